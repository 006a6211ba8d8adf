"""Seeded synthetic datasets, one or more per problem, and the target forms each loss needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from losstui.core.losses import Loss
from losstui.core.numerics import Array, softmax
from losstui.core.tasks import check_pairing, encode_targets, get_task

#: Fraction of the generated samples held out for validation.
VALIDATION_FRACTION = 1.0 / 3.0


@dataclass(frozen=True, eq=False)
class Dataset:
    """A generated dataset with a train/validation split.

    x_train (n, d) and x_val (m, d) are float64. Targets, by kind:
    regression and count (n, 1) float; binary (n, 1) float in {0, 1}; multiclass (n,) int64 labels
    0..K−1; multilabel (n, L) float in {0, 1}; soft_label (n, K) probability rows; density: the
    samples (n, 1), whose inputs x have no columns (n, 0).
    """

    name: str
    title: str
    description: str
    kind: str
    x_train: Array
    y_train: Array
    x_val: Array
    y_val: Array
    n_classes: int | None = None
    #: Every target is ≥ 0 (counts, positive amounts): losses of nonnegative targets may run.
    nonnegative_targets: bool = False
    feature_names: tuple[str, ...] = ()
    target_names: tuple[str, ...] = ()
    seed: int = 0
    #: Regression sets: the noise the data was made with, e.g. {"distribution": "gaussian",
    #: "scale": 0.3}; "description" says it in words.
    noise: dict[str, Any] = field(default_factory=dict)
    #: Density sets: the true density, e.g. {"distribution": "gaussian", "mu": 1.0, "sigma": 0.8}.
    true_density: dict[str, Any] = field(default_factory=dict)
    #: The noise-free truth, x (n, d) -> (n, k): E[y | x] for regression and count sets, the true
    #: class probabilities for soft-label sets; None where there is no such function.
    true_function: Callable[[Array], Array] | None = None
    #: What the validation split is, when it differs from the training data's kind: said on
    #: screen and by `train` beside the validation numbers ("" when it is the same kind).
    validation_note: str = ""

    @property
    def n_features(self) -> int:
        """Number of input features d."""
        return int(self.x_train.shape[1])

    @property
    def n_train(self) -> int:
        """Number of training samples."""
        return int(self.x_train.shape[0])

    @property
    def n_val(self) -> int:
        """Number of validation samples."""
        return int(self.x_val.shape[0])

    def x(self, split: str) -> Array:
        """Inputs of `split` ("train" or "val")."""
        return self.x_train if _check_split(split) == "train" else self.x_val

    def y(self, split: str) -> Array:
        """Canonical targets of `split` ("train" or "val")."""
        return self.y_train if _check_split(split) == "train" else self.y_val


@dataclass(frozen=True)
class DatasetSpec:
    """A dataset recipe: `generate(seed, n)` makes n samples (default `default_n`) and splits them
    two thirds train, one third validation."""

    name: str
    title: str
    description: str
    kind: str
    make: Callable[[np.random.Generator, int], dict[str, Any]] = field(repr=False)
    default_n: int = 450
    #: The model that suits the data: "linear" where the truth is (generalised) linear, "mlp"
    #: where it is not (a density's model is its parameters: "linear" on no inputs).
    suggested_model: str = "linear"
    #: Every target is ≥ 0; declared so that pairings are checked without making the data.
    nonnegative_targets: bool = False
    #: The share of the samples held out for validation.
    validation_fraction: float = VALIDATION_FRACTION

    def __post_init__(self) -> None:
        get_task(self.kind)  # ValueError for an unknown kind

    def generate(self, seed: int = 0, n: int | None = None) -> Dataset:
        """The dataset for `seed` (same seed, same arrays) with `n` samples in all."""
        n = self.default_n if n is None else int(n)
        if n < 6:
            raise ValueError(f"n = {n} is too small: a dataset needs at least 6 samples")
        rng = np.random.default_rng(seed)
        parts = self.make(rng, n)
        x = np.asarray(parts.pop("x"), dtype=np.float64)
        y = parts.pop("y")
        # Robust regression scores the fit against the truth the outliers hide: its validation
        # targets are the clean ones (the truth plus the Gaussian noise, no gross errors).
        clean = parts.pop("y_clean", None)
        # Generators may emit samples grouped by class; shuffle before splitting.
        order = rng.permutation(n)
        x = x[order]
        n_val = max(2, round(n * self.validation_fraction))
        n_train = n - n_val
        y = np.asarray(y)[order]
        y = y.astype(get_task(self.kind).label_dtype)  # class indices as int64, else float64
        if clean is not None:
            y = y.copy()
            y[n_train:] = np.asarray(clean, dtype=np.float64)[order][n_train:]
            parts["validation_note"] = (
                "val and R² are scored on clean targets: the truth plus Gaussian noise, without "
                "the training data's outliers"
            )
        return Dataset(
            name=self.name,
            title=self.title,
            description=self.description,
            kind=self.kind,
            x_train=np.ascontiguousarray(x[:n_train]),
            y_train=np.ascontiguousarray(y[:n_train]),
            x_val=np.ascontiguousarray(x[n_train:]),
            y_val=np.ascontiguousarray(y[n_train:]),
            seed=int(seed),
            nonnegative_targets=self.nonnegative_targets,
            **parts,
        )


def _check_split(split: str) -> str:
    if split not in ("train", "val"):
        raise ValueError(f"unknown split {split!r}; allowed: train, val")
    return split


# ---------------------------------------------------------------------------------------------
# Generators: each takes (rng, n) and returns x, y and any extra Dataset fields.


def _uniform_1d(rng: np.random.Generator, n: int, low: float = -2.0, high: float = 2.0) -> Array:
    return rng.uniform(low, high, size=(n, 1))


def _line_truth(x: Array) -> Array:
    return 0.8 * x[:, :1] + 0.5


def _curve_truth(x: Array) -> Array:
    return np.sin(1.5 * x[:, :1]) + 0.3 * x[:, :1]


GAUSSIAN_SCALE = 0.3
OUTLIER_FRACTION = 0.1


def _gaussian_regression(
    truth: Callable[[Array], Array],
) -> Callable[[np.random.Generator, int], dict[str, Any]]:
    def make(rng: np.random.Generator, n: int) -> dict[str, Any]:
        x = _uniform_1d(rng, n)
        y = truth(x) + rng.normal(0.0, GAUSSIAN_SCALE, size=(n, 1))
        noise = {
            "distribution": "gaussian",
            "scale": GAUSSIAN_SCALE,
            "description": f"Gaussian noise, σ = {GAUSSIAN_SCALE}",
        }
        return {"x": x, "y": y, "noise": noise, "true_function": truth, "feature_names": ("x",)}

    return make


def _outlier_regression(
    truth: Callable[[Array], Array],
) -> Callable[[np.random.Generator, int], dict[str, Any]]:
    def make(rng: np.random.Generator, n: int) -> dict[str, Any]:
        x = _uniform_1d(rng, n)
        clean = truth(x) + rng.normal(0.0, GAUSSIAN_SCALE, size=(n, 1))
        # Gross errors (a misplaced decimal point, a sensor glitch): far off and upward, so they
        # drag a squared-error fit but barely move an absolute-error one.
        y = clean.copy()
        n_out = max(1, round(n * OUTLIER_FRACTION))
        idx = rng.choice(n, size=n_out, replace=False)
        y[idx, 0] += rng.uniform(4.0, 8.0, size=n_out)
        noise = {
            "distribution": "gaussian",
            "scale": GAUSSIAN_SCALE,
            "outlier_fraction": OUTLIER_FRACTION,
            "outlier_shift": (4.0, 8.0),
            "description": (
                f"Gaussian noise, σ = {GAUSSIAN_SCALE}, plus {OUTLIER_FRACTION:.0%} gross outliers "
                "shifted up by 4 to 8 in training; validation targets are clean"
            ),
        }
        return {
            "x": x,
            "y": y,
            "y_clean": clean,
            "noise": noise,
            "true_function": truth,
            "feature_names": ("x",),
        }

    return make


LOGNORMAL_SCALE = 0.4


def _wide_range_truth(x: Array) -> Array:
    # The median of y: from e^(−1.6) ≈ 0.2 at x = −2 to e^(4.8) ≈ 120 at x = 2.
    return np.exp(1.6 + 1.6 * x[:, :1])


def _make_wide_range(rng: np.random.Generator, n: int) -> dict[str, Any]:
    x = _uniform_1d(rng, n)
    y = _wide_range_truth(x) * np.exp(rng.normal(0.0, LOGNORMAL_SCALE, size=(n, 1)))
    noise = {
        "distribution": "lognormal",
        "scale": LOGNORMAL_SCALE,
        "description": (
            f"multiplicative log-normal noise: log y = log f(x) + ε, ε ~ N(0, {LOGNORMAL_SCALE}²)"
        ),
    }
    # The truth stored is the median exp(E[log y]), the value MSLE-style fits aim at.
    return {
        "x": x,
        "y": y,
        "noise": noise,
        "true_function": _wide_range_truth,
        "feature_names": ("x",),
    }


def _count_rate(x: Array) -> Array:
    return np.exp(0.5 + 0.8 * x[:, :1])


def _count_data(
    x: Array, y: Array, rate: Callable[[Array], Array], distribution: str, description: str
) -> dict[str, Any]:
    """A count dataset: one feature x, counts y, the rate λ(x) as its truth."""
    noise = {"distribution": distribution, "description": description}
    return {"x": x, "y": y, "noise": noise, "true_function": rate, "feature_names": ("x",)}


def _make_counts(rng: np.random.Generator, n: int) -> dict[str, Any]:
    x = _uniform_1d(rng, n)
    y = rng.poisson(_count_rate(x)).astype(np.float64)
    return _count_data(
        x, y, _count_rate, "poisson", "Poisson counts with rate λ(x) = exp(0.5 + 0.8·x)"
    )


#: The gamma shape k of the overdispersed counts: their variance is μ + μ²/k.
OVERDISPERSION_SHAPE = 2.0


def _make_overdispersed_counts(rng: np.random.Generator, n: int) -> dict[str, Any]:
    # A gamma-distributed rate around the counts' own λ(x) (mean λ, shape k): the counts are
    # negative binomial, with mean λ as before and variance λ + λ²/k, more than the Poisson's λ.
    x = _uniform_1d(rng, n)
    k = OVERDISPERSION_SHAPE
    rate = _count_rate(x) * rng.gamma(k, 1.0 / k, size=(n, 1))
    y = rng.poisson(rate).astype(np.float64)
    description = f"negative binomial counts: mean λ(x) = exp(0.5 + 0.8·x), variance λ + λ²/{k:g}"
    return _count_data(x, y, _count_rate, "negative_binomial", description)


def _large_count_rate(x: Array) -> Array:
    return np.exp(4.0 + 0.25 * x[:, :1])


def _make_large_counts(rng: np.random.Generator, n: int) -> dict[str, Any]:
    # Rates from about 33 to 90: a Poisson count that large is close to a Gaussian of variance
    # λ, and over this range exp(4 + 0.25·x) is close to a line, so squared error has little to
    # get wrong.
    x = _uniform_1d(rng, n)
    y = rng.poisson(_large_count_rate(x)).astype(np.float64)
    description = "Poisson counts with rate λ(x) = exp(4 + 0.25·x), from about 33 to 90"
    return _count_data(x, y, _large_count_rate, "poisson", description)


N_FEATURES_LINEAR20 = 20
N_INFORMATIVE_LINEAR20 = 10
#: make_regression's noise=0.1, in the raw targets' units (their spread is about 180).
LINEAR20_NOISE = 0.1


def _make_linear20(rng: np.random.Generator, n: int) -> dict[str, Any]:
    # The articles' regression experiment: make_regression(n_samples=1000, n_features=20,
    # noise=0.1): Gaussian features, 10 of them informative with coefficients 100·U(0, 1), then
    # inputs and targets standardised (StandardScaler on the whole set), split in half.
    raw_x = rng.normal(size=(n, N_FEATURES_LINEAR20))
    coef = np.zeros((N_FEATURES_LINEAR20, 1))
    informative = rng.choice(N_FEATURES_LINEAR20, size=N_INFORMATIVE_LINEAR20, replace=False)
    coef[informative, 0] = 100.0 * rng.uniform(size=N_INFORMATIVE_LINEAR20)
    raw_y = raw_x @ coef + rng.normal(0.0, LINEAR20_NOISE, size=(n, 1))
    x_mean, x_std = raw_x.mean(axis=0), raw_x.std(axis=0)
    y_mean, y_std = float(raw_y.mean()), float(raw_y.std())

    def truth(xx: Array) -> Array:
        out: Array = ((xx * x_std + x_mean) @ coef - y_mean) / y_std
        return out

    scale = LINEAR20_NOISE / y_std
    noise = {
        "distribution": "gaussian",
        "scale": scale,
        "description": (
            f"Gaussian noise, σ = {LINEAR20_NOISE:g} before standardising, {scale:.1e} after: "
            "almost none"
        ),
    }
    names = tuple(f"x{i + 1}" for i in range(N_FEATURES_LINEAR20))
    return {
        "x": (raw_x - x_mean) / x_std,
        "y": (raw_y - y_mean) / y_std,
        "noise": noise,
        "true_function": truth,
        "feature_names": names,
    }


def _binary(x: Array, labels: NDArray[np.integer]) -> dict[str, Any]:
    return {
        "x": x,
        "y": np.asarray(labels, dtype=np.float64).reshape(-1, 1),
        "n_classes": 2,
        "feature_names": ("x1", "x2"),
        "target_names": ("class 0", "class 1"),
    }


def _make_two_blobs(rng: np.random.Generator, n: int) -> dict[str, Any]:
    y = np.arange(n) % 2
    centres = np.array([[-1.0, -0.6], [1.0, 0.6]])
    x = centres[y] + rng.normal(0.0, 0.75, size=(n, 2))
    return _binary(x, y)


#: The classes' centres and spread on the one axis of `two_blobs_1d`.
BLOBS_1D_CENTRES, BLOBS_1D_SCALE = (-1.0, 1.0), 0.75


def _make_two_blobs_1d(rng: np.random.Generator, n: int) -> dict[str, Any]:
    # Two blobs on one axis: logistic regression on it has two parameters, a weight and a bias,
    # so its whole loss surface can be drawn. They overlap (about 9% of the points lie past the
    # midpoint), so the best weight is finite: about 2·1/0.75² ≈ 3.6, the bias about 0.
    y = np.arange(n) % 2
    x = np.asarray(BLOBS_1D_CENTRES)[y] + rng.normal(0.0, BLOBS_1D_SCALE, size=n)
    return {**_binary(x[:, None], y), "feature_names": ("x",)}


#: Where the far cluster of `far_cluster` sits: on class 1's side, along the blobs' axis.
FAR_CENTRE = (7.0, 6.0)


def _make_far_cluster(rng: np.random.Generator, n: int) -> dict[str, Any]:
    # Two blobs, and a sixth of the points (all class 1) moved far out on class 1's own side.
    # They are right, and a probability model barely notices them; a squared-error fit of the
    # 0/1 labels does: their outputs far above 1 cost, and the boundary moves to cut that cost.
    y = np.arange(n) % 2
    centres = np.array([[-1.0, -0.6], [1.0, 0.6]])
    x = centres[y] + rng.normal(0.0, 0.75, size=(n, 2))
    far = np.flatnonzero(y == 1)[: n // 6]
    x[far] = np.asarray(FAR_CENTRE) + rng.normal(0.0, 0.5, size=(far.size, 2))
    return _binary(x, y)


def _make_circles(rng: np.random.Generator, n: int) -> dict[str, Any]:
    # Like make_circles(noise=0.1, factor=0.5): outer circle class 0, inner circle class 1.
    y = np.arange(n) % 2
    angle = rng.uniform(0.0, 2.0 * np.pi, size=n)
    radius = np.where(y == 1, 0.5, 1.0)
    x = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    x += rng.normal(0.0, 0.1, size=(n, 2))
    return _binary(x * 1.5, y)


def _make_moons(rng: np.random.Generator, n: int) -> dict[str, Any]:
    # Like make_moons(noise=0.15), centred and scaled to about unit spread.
    y = np.arange(n) % 2
    t = rng.uniform(0.0, np.pi, size=n)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)])
    x = np.where((y == 0)[:, None], upper, lower) + rng.normal(0.0, 0.15, size=(n, 2))
    return _binary((x - [0.5, 0.25]) * 1.2, y)


def _make_xor(rng: np.random.Generator, n: int) -> dict[str, Any]:
    x = rng.uniform(-1.5, 1.5, size=(n, 2))
    y = (x[:, 0] * x[:, 1] > 0.0).astype(np.int64)
    return _binary(x, y)


def _spiral(rng: np.random.Generator, n: int, arms: int) -> tuple[Array, NDArray[np.integer]]:
    y = np.arange(n) % arms
    t = np.sqrt(rng.uniform(0.05, 1.0, size=n))  # sqrt: even density along the arm
    angle = 1.75 * np.pi * t + 2.0 * np.pi * y / arms
    x = 1.8 * t[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    x += rng.normal(0.0, 0.08, size=(n, 2))
    return x, y


def _make_spiral2(rng: np.random.Generator, n: int) -> dict[str, Any]:
    x, y = _spiral(rng, n, 2)
    return _binary(x, y)


def _make_spiral3(rng: np.random.Generator, n: int) -> dict[str, Any]:
    x, y = _spiral(rng, n, 3)
    return {
        "x": x,
        "y": y,
        "n_classes": 3,
        "feature_names": ("x1", "x2"),
        "target_names": ("arm 0", "arm 1", "arm 2"),
    }


N_BLOB_CLASSES = 4

#: The articles' experiments (Brownlee, "How to Choose Loss Functions When Training Deep Learning
#: Neural Networks"): 1,000 points split in half, scikit-learn's generators with these settings.
ARTICLE_N = 1000
ARTICLE_CIRCLES = {"noise": 0.1, "factor": 0.8}
ARTICLE_BLOB_STD = 2.0
#: The article's centres: make_blobs(random_state=2) draws them with
#: RandomState(2).uniform(−10, 10, size=(3, 2)). Two of them are 2.4 apart with std 2, so the
#: classes overlap: the nearest true centre, the best possible rule, scores about 82% on average
#: (79% on seed 0's 500 validation points). A seed changes the points, not these centres.
ARTICLE_BLOB_CENTRES = np.random.RandomState(2).uniform(-10.0, 10.0, size=(3, 2))


def _make_article_circles(rng: np.random.Generator, n: int) -> dict[str, Any]:
    # make_circles(n_samples=1000, noise=0.1, factor=0.8): two circles of radius 1 and 0.8, not
    # rescaled, so the classes overlap and about 85% is what a good model reaches.
    y = np.arange(n) % 2
    angle = rng.uniform(0.0, 2.0 * np.pi, size=n)
    radius = np.where(y == 1, ARTICLE_CIRCLES["factor"], 1.0)
    x = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    x += rng.normal(0.0, ARTICLE_CIRCLES["noise"], size=(n, 2))
    return _binary(x, y)


def _make_article_blobs(rng: np.random.Generator, n: int) -> dict[str, Any]:
    # make_blobs(n_samples=1000, centers=3, n_features=2, cluster_std=2, random_state=2): the
    # article's centres, points not rescaled, as the article feeds them to the network.
    k = len(ARTICLE_BLOB_CENTRES)
    y = np.arange(n) % k
    x = ARTICLE_BLOB_CENTRES[y] + rng.normal(0.0, ARTICLE_BLOB_STD, size=(n, 2))
    return {
        "x": x,
        "y": y,
        "n_classes": k,
        "feature_names": ("x1", "x2"),
        "target_names": tuple(f"blob {i}" for i in range(k)),
    }


def _make_blobs(rng: np.random.Generator, n: int) -> dict[str, Any]:
    # Like make_blobs(centers=4, cluster_std=2): centres in a box about 20 wide. The centres sit on
    # a ring at a random rotation (not uniformly at random) so that no seed puts two on top of each
    # other; the inputs are then scaled to O(1).
    k = N_BLOB_CLASSES
    y = np.arange(n) % k
    rotation = rng.uniform(0.0, 2.0 * np.pi)
    angles = rotation + 2.0 * np.pi * np.arange(k) / k
    centres = 6.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    x = centres[y] + rng.normal(0.0, 2.0, size=(n, 2))
    return {
        "x": x / 5.0,
        "y": y,
        "n_classes": k,
        "feature_names": ("x1", "x2"),
        "target_names": tuple(f"class {i}" for i in range(k)),
    }


MULTILABEL_FLIP = 0.03


def _make_regions(rng: np.random.Generator, n: int) -> dict[str, Any]:
    x = rng.uniform(-1.5, 1.5, size=(n, 2))
    labels = np.column_stack(
        [
            x[:, 0] > 0.0,
            x[:, 1] > 0.3 * x[:, 0],
            np.hypot(x[:, 0], x[:, 1]) < 1.0,
        ]
    ).astype(np.float64)
    # A little label noise: real tags are never perfect.
    flip = rng.uniform(size=labels.shape) < MULTILABEL_FLIP
    labels = np.where(flip, 1.0 - labels, labels)
    return {
        "x": x,
        "y": labels,
        "feature_names": ("x1", "x2"),
        "target_names": ("right", "above the line", "near the centre"),
    }


SOFT_W = np.array([[2.0, -1.0, -1.0], [0.0, 1.7, -1.7]])
SOFT_B = np.array([0.3, 0.0, -0.3])


def _soft_truth(x: Array) -> Array:
    return softmax(x @ SOFT_W + SOFT_B, axis=-1)


def _make_soft_softmax(rng: np.random.Generator, n: int) -> dict[str, Any]:
    x = rng.normal(0.0, 1.0, size=(n, 2))
    return {
        "x": x,
        "y": _soft_truth(x),
        "n_classes": 3,
        "feature_names": ("x1", "x2"),
        "target_names": ("class 0", "class 1", "class 2"),
        "true_function": _soft_truth,
    }


N_ANNOTATORS = 5


def _make_votes(rng: np.random.Generator, n: int) -> dict[str, Any]:
    x = rng.normal(0.0, 1.0, size=(n, 2))
    p = _soft_truth(x)
    votes = np.stack([rng.multinomial(N_ANNOTATORS, row) for row in p])
    return {
        "x": x,
        "y": votes / N_ANNOTATORS,
        "n_classes": 3,
        "feature_names": ("x1", "x2"),
        "target_names": ("class 0", "class 1", "class 2"),
        "true_function": _soft_truth,
    }


GAUSSIAN_MU, GAUSSIAN_SIGMA = 1.5, 0.7
MIXTURE = {"weights": (0.35, 0.65), "mu": (-1.5, 1.2), "sigma": (0.5, 0.7)}


def _make_gaussian_samples(rng: np.random.Generator, n: int) -> dict[str, Any]:
    # Samples and no inputs: the samples are the targets, the inputs have no columns.
    return {
        "x": np.empty((n, 0)),
        "y": rng.normal(GAUSSIAN_MU, GAUSSIAN_SIGMA, size=(n, 1)),
        "true_density": {"distribution": "gaussian", "mu": GAUSSIAN_MU, "sigma": GAUSSIAN_SIGMA},
    }


def _make_mixture_samples(rng: np.random.Generator, n: int) -> dict[str, Any]:
    comp = (rng.uniform(size=n) >= MIXTURE["weights"][0]).astype(np.int64)
    mu = np.asarray(MIXTURE["mu"])[comp]
    sigma = np.asarray(MIXTURE["sigma"])[comp]
    return {
        "x": np.empty((n, 0)),
        "y": (mu + sigma * rng.normal(size=n))[:, None],
        "true_density": {"distribution": "gaussian_mixture", **MIXTURE},
    }


def _specs(*specs: DatasetSpec) -> dict[str, DatasetSpec]:
    return {s.name: s for s in specs}


#: Every dataset recipe by name.
DATASETS: dict[str, DatasetSpec] = _specs(
    DatasetSpec(
        "line",
        "Noisy line",
        "y = 0.8·x + 0.5 plus Gaussian noise (σ = 0.3): the textbook regression.",
        "regression",
        _gaussian_regression(_line_truth),
    ),
    DatasetSpec(
        "curve",
        "Noisy curve",
        "y = sin(1.5·x) + 0.3·x plus Gaussian noise (σ = 0.3): a line cannot fit it, an MLP can.",
        "regression",
        _gaussian_regression(_curve_truth),
        suggested_model="mlp",
    ),
    DatasetSpec(
        "line_outliers",
        "Line with outliers",
        "The noisy line with 10% gross errors far above it in training; the validation targets "
        "are clean (no outliers), so R² and the validation loss score the fit to the truth.",
        "regression",
        _outlier_regression(_line_truth),
    ),
    DatasetSpec(
        "curve_outliers",
        "Curve with outliers",
        "The noisy curve with 10% gross errors far above it in training; the validation targets "
        "are clean (no outliers), so R² and the validation loss score the fit to the truth.",
        "regression",
        _outlier_regression(_curve_truth),
        suggested_model="mlp",
    ),
    DatasetSpec(
        "wide_range",
        "Wide-range targets",
        "Positive targets from about 0.1 to a few hundred, with multiplicative log-normal noise.",
        "regression",
        _make_wide_range,
        suggested_model="mlp",
        nonnegative_targets=True,
    ),
    DatasetSpec(
        "counts",
        "Poisson counts",
        "Event counts whose rate grows exponentially with x: λ = exp(0.5 + 0.8·x).",
        "count",
        _make_counts,
        nonnegative_targets=True,
    ),
    DatasetSpec(
        "overdispersed_counts",
        "Overdispersed counts",
        "Counts with the same mean λ = exp(0.5 + 0.8·x) but more spread than a Poisson's: "
        "variance λ + λ²/2 (a negative binomial, as a gamma-distributed rate gives).",
        "count",
        _make_overdispersed_counts,
        nonnegative_targets=True,
    ),
    DatasetSpec(
        "large_counts",
        "Large counts",
        "Poisson counts with rate λ = exp(4 + 0.25·x), from about 33 to 90: counts this large "
        "are roughly Gaussian, and squared error fits them about as well as the Poisson loss.",
        "count",
        _make_large_counts,
        nonnegative_targets=True,
    ),
    DatasetSpec(
        "linear20",
        "20-feature regression (the article's)",
        "make_regression(n_features=20, noise=0.1), 10 features informative, inputs and targets "
        "standardised, 1,000 points split in half, as in the article 'How to Choose Loss "
        "Functions When Training Deep Learning Neural Networks': an MLP of 25 ReLU units with "
        "squared error reaches a validation loss under 0.01 (the article's: 0.001).",
        "regression",
        _make_linear20,
        default_n=ARTICLE_N,
        validation_fraction=0.5,
    ),
    DatasetSpec(
        "two_blobs",
        "Two blobs",
        "Two overlapping Gaussian clouds: a straight line separates them best.",
        "binary",
        _make_two_blobs,
    ),
    DatasetSpec(
        "two_blobs_1d",
        "Two blobs on a line",
        f"Two overlapping Gaussian clouds on one axis (centres {BLOBS_1D_CENTRES[0]:g} and "
        f"{BLOBS_1D_CENTRES[1]:g}, σ = {BLOBS_1D_SCALE}): logistic regression on it has two "
        "parameters, a weight and a bias, so its whole loss landscape can be drawn.",
        "binary",
        _make_two_blobs_1d,
    ),
    DatasetSpec(
        "far_cluster",
        "Blobs and a far cluster",
        "Two blobs, and a sixth of the points, all class 1, far out on class 1's own side around "
        "(7, 6): correctly labelled, yet they pull a squared-error boundary towards them.",
        "binary",
        _make_far_cluster,
    ),
    DatasetSpec(
        "circles",
        "Circles",
        "A small circle inside a larger one (noise 0.1, radius ratio 0.5): no line separates them.",
        "binary",
        _make_circles,
        suggested_model="mlp",
    ),
    DatasetSpec(
        "article_circles",
        "Circles (the article's)",
        "make_circles(noise=0.1, factor=0.8), 1,000 points split in half, as in the article "
        "'How to Choose Loss Functions When Training Deep Learning Neural Networks': an MLP of "
        "50 ReLU units with binary cross-entropy reaches about 85%.",
        "binary",
        _make_article_circles,
        default_n=ARTICLE_N,
        suggested_model="mlp",
        validation_fraction=0.5,
    ),
    DatasetSpec(
        "moons",
        "Moons",
        "Two interleaving half-moons with noise: the boundary must bend.",
        "binary",
        _make_moons,
        suggested_model="mlp",
    ),
    DatasetSpec(
        "xor",
        "XOR",
        "Class 1 where x1 and x2 have the same sign: the classic problem a line cannot solve.",
        "binary",
        _make_xor,
        suggested_model="mlp",
    ),
    DatasetSpec(
        "spiral",
        "Two-arm spiral",
        "Two interleaved spiral arms: hard for a small network.",
        "binary",
        _make_spiral2,
        suggested_model="mlp",
    ),
    DatasetSpec(
        "blobs",
        "Four blobs",
        "Four overlapping Gaussian clouds (cluster std 2, like make_blobs), one per class.",
        "multiclass",
        _make_blobs,
    ),
    DatasetSpec(
        "article_blobs",
        "Three blobs (the article's)",
        "make_blobs(centers=3, cluster_std=2) in a box of side 20, 1,000 points split in half, as "
        "in the article 'How to Choose Loss Functions When Training Deep Learning Neural "
        "Networks', where an MLP of 50 ReLU units with cross-entropy scores 82%.",
        "multiclass",
        _make_article_blobs,
        default_n=ARTICLE_N,
        suggested_model="mlp",
        validation_fraction=0.5,
    ),
    DatasetSpec(
        "spiral3",
        "Three-arm spiral",
        "Three interleaved spiral arms, one class each.",
        "multiclass",
        _make_spiral3,
        suggested_model="mlp",
    ),
    DatasetSpec(
        "regions",
        "Overlapping regions",
        "Three tags per point (right half, above a line, near the centre); any number can be on.",
        "multilabel",
        _make_regions,
        suggested_model="mlp",
    ),
    DatasetSpec(
        "soft_softmax",
        "Soft labels",
        "Each target is a probability row over 3 classes: a softmax of a known linear function, "
        "which a linear model can fit exactly (KL falls to 0).",
        "soft_label",
        _make_soft_softmax,
    ),
    DatasetSpec(
        "annotator_votes",
        "Annotator votes",
        "Each target is the fraction of 5 annotators who chose each of 3 classes, each annotator "
        "drawing from the true probabilities: no model reproduces the votes exactly.",
        "soft_label",
        _make_votes,
    ),
    DatasetSpec(
        "gaussian_samples",
        "One Gaussian",
        f"Samples from a single Gaussian, μ = {GAUSSIAN_MU}, σ = {GAUSSIAN_SIGMA}.",
        "density",
        _make_gaussian_samples,
    ),
    DatasetSpec(
        "mixture_samples",
        "Two-bump mixture",
        "Samples from a mixture of two Gaussians: one bell curve cannot fit them.",
        "density",
        _make_mixture_samples,
    ),
)


def register_dataset(spec: DatasetSpec) -> None:
    """Add a dataset recipe at run time (a user's own data); ValueError if the name is taken."""
    if spec.name in DATASETS:
        raise ValueError(f"a dataset called {spec.name!r} exists already; choose another name")
    DATASETS[spec.name] = spec


def dataset_names(kind: str | None = None) -> tuple[str, ...]:
    """Names of all datasets, or of those of one kind."""
    # Which data are of a kind, not what the kind means: the one comparison of kinds here.
    return tuple(k for k, s in DATASETS.items() if kind is None or s.kind == kind)


def get_dataset_spec(name: str) -> DatasetSpec:
    """The recipe called `name`; ValueError listing the names otherwise."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; allowed: {', '.join(DATASETS)}")
    return DATASETS[name]


def make_dataset(name: str, seed: int = 0, n: int | None = None) -> Dataset:
    """The dataset `name` generated from `seed` (ValueError listing the names if unknown)."""
    return get_dataset_spec(name).generate(seed, n)


def targets_for(loss: Loss | str, dataset: Dataset, split: str = "train") -> Array:
    """The targets of `split` in the form `loss` (a Loss or a `LOSSES` key) expects (see
    `tasks.encode_targets`); ValueError with the `check_pairing` reason if it cannot run."""
    reason = check_pairing(loss, dataset)
    if reason is not None:
        raise ValueError(reason)
    return encode_targets(loss, dataset.kind, dataset.y(split), dataset.n_classes)
