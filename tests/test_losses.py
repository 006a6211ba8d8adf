"""Every loss: hand-computed values, gradients against finite differences, optima, extremes."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from losstui.core.losses import LOG_SIGMA_MIN, LOSSES, DensityLoss, gaussian_mle, get_loss
from losstui.core.numerics import sigmoid, softmax

ALL = sorted(LOSSES)


def logit_shape(loss, shape: tuple[int, int]) -> tuple[int, int]:
    """`shape`, with a density's parameter count as its width (logits are its parameters)."""
    return (shape[0], loss.n_parameters) if isinstance(loss, DensityLoss) else shape


def make_targets(loss, rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Targets of the kind `loss` reads, for logits of `shape`."""
    n, k = shape
    if loss.target == "samples":
        return rng.normal(size=(n, 1)) * 2.0
    if loss.target == "sparse":
        return rng.integers(0, k, size=n)
    if loss.target in ("onehot", "distribution"):
        return softmax(rng.normal(size=shape) * 2.0)  # soft rows exercise the general formula
    if loss.target in ("binary", "signed_binary", "multihot"):
        return rng.integers(0, 2, size=shape).astype(float)
    if loss.target == "nonnegative":
        return rng.poisson(3.0, size=shape).astype(float)
    return rng.normal(size=shape)


def make_logits(loss, y, rng: np.random.Generator, shape) -> np.ndarray:
    """Logits kept at least 1e-2 away from the loss's kinks, where a derivative does not exist."""
    z = rng.normal(size=shape) * 1.5
    if loss.name == "mean_squared_logarithmic_error":
        z = np.abs(z) + 0.05
    for _ in range(100):
        if loss.name in ("mean_absolute_error", "huber"):
            r = z - y
            near = np.minimum(np.abs(r), np.abs(np.abs(r) - 1.0)) < 1e-2
        elif loss.name in ("hinge", "squared_hinge"):
            t = np.where(y > 0, 1.0, -1.0)
            near = np.abs(1.0 - t * z) < 1e-2
        else:
            break
        if not near.any():
            break
        z = np.where(near, z + 0.05, z)
    return z


def numeric_gradient(f, z: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central difference (f(z + h·eᵢ) − f(z − h·eᵢ)) / 2h for every element of z."""
    g = np.zeros_like(z)
    for idx in np.ndindex(z.shape):
        zp, zm = z.copy(), z.copy()
        zp[idx] += h
        zm[idx] -= h
        g[idx] = (f(zp) - f(zm)) / (2.0 * h)
    return g


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("shape", [(1, 1), (5, 1), (4, 3), (7, 2)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_matches_central_difference(name, shape, seed):
    loss = LOSSES[name]
    if loss.sums_over_classes and shape[1] == 1 and loss.target == "sparse":
        shape = (shape[0], 2)
    shape = logit_shape(loss, shape)
    rng = np.random.default_rng(seed)
    y = make_targets(loss, rng, shape)
    z = make_logits(loss, y, rng, shape)
    analytic = loss.gradient(y, z)
    numeric = numeric_gradient(lambda zz: loss(y, zz), z)
    assert analytic.shape == z.shape
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-7)


# Hand computations, each written out in its comment.
HAND_VALUES = [
    # ((1.5−1)² + (1−2)²) / 2 = (0.25 + 1) / 2
    ("mean_squared_error", [[1.0], [2.0]], [[1.5], [1.0]], 0.625),
    # (|0.5| + |−1|) / 2
    ("mean_absolute_error", [[1.0], [2.0]], [[1.5], [1.0]], 0.75),
    # r = 0.5, 2, −3 → ½·0.25, 2 − ½, 3 − ½ → (0.125 + 1.5 + 2.5) / 3
    ("huber", [[0.0], [0.0], [0.0]], [[0.5], [2.0], [-3.0]], 4.125 / 3),
    # (log(e) − log 1)² = 1 and (log e − log e)² = 0 → ½; a negative logit predicts 0
    ("mean_squared_logarithmic_error", [[0.0], [math.e - 1]], [[math.e - 1], [math.e - 1]], 0.5),
    ("mean_squared_logarithmic_error", [[0.0]], [[-5.0]], 0.0),
    # λ = 1, y = 1: 1 − 0 = 1;  λ = 2, y = 3: 2 − 3·log 2
    ("poisson", [[1.0], [3.0]], [[0.0], [math.log(2.0)]], (1.0 + 2.0 - 3.0 * math.log(2.0)) / 2),
    # p = ½ with y = 1: (½)²;  p = ¾ with y = 0: (¾)²
    ("sigmoid_mean_squared_error", [[1.0], [0.0]], [[0.0], [math.log(3.0)]], (0.25 + 0.5625) / 2),
    # p = ½ with y = 1: log 2;  p = ¾ with y = 0: −log ¼ = log 4
    ("binary_cross_entropy", [[1.0], [0.0]], [[0.0], [math.log(3.0)]], 1.5 * math.log(2.0)),
    # t = +1, −1, +1 (0 read as −1): max(0, 1−2), max(0, 1+0.5), max(0, 1+1)
    ("hinge", [[1.0], [0.0], [1.0]], [[2.0], [0.5], [-1.0]], 3.5 / 3),
    ("hinge", [[1.0], [-1.0], [1.0]], [[2.0], [0.5], [-1.0]], 3.5 / 3),
    ("squared_hinge", [[1.0], [0.0], [1.0]], [[2.0], [0.5], [-1.0]], 6.25 / 3),
    # uniform over 3 classes: −log ⅓
    ("categorical_cross_entropy", [[0.0, 1.0, 0.0]], [[0.0, 0.0, 0.0]], math.log(3.0)),
    # −log softmax(1, 2, 3)₃ = log(e + e² + e³) − 3
    (
        "categorical_cross_entropy",
        [[0.0, 0.0, 1.0]],
        [[1.0, 2.0, 3.0]],
        math.log(math.e + math.e**2 + math.e**3) - 3.0,
    ),
    (
        "sparse_categorical_cross_entropy",
        [2],
        [[1.0, 2.0, 3.0]],
        math.log(math.e + math.e**2 + math.e**3) - 3.0,
    ),
    # two rows: log 3 and log 2, averaged over samples (summed over classes)
    (
        "sparse_categorical_cross_entropy",
        [0, 1],
        [[0.0, 0.0, 0.0], [0.0, 0.0, -1e4]],
        (math.log(3.0) + math.log(2.0)) / 2,
    ),
    # KL([1, 0] ‖ [½, ½]) = log 2, with 0·log 0 = 0
    ("kl_divergence", [[1.0, 0.0]], [[0.0, 0.0]], math.log(2.0)),
    # Q = softmax(0, log 3) = [¼, ¾] = P
    ("kl_divergence", [[0.25, 0.75]], [[0.0, math.log(3.0)]], 0.0),
    # N(0, 1) at y = 0: ½ log 2π;  N(1, 2²) at y = 3: ½ log 2π + log 2 + (2/2)²/2
    ("gaussian_nll", [[0.0]], [[0.0, 0.0]], 0.5 * math.log(2 * math.pi)),
    (
        "gaussian_nll",
        [[3.0]],
        [[1.0, math.log(2.0)]],
        0.5 * math.log(2 * math.pi) + math.log(2) + 0.5,
    ),
    # equal weights, both components N(0, 1): the mixture is N(0, 1) itself
    ("gaussian_mixture_nll", [[0.0]], [[0.0, 0.0, 0.0, 0.0, 0.0]], 0.5 * math.log(2 * math.pi)),
    # π = σ(log 3) = ¾ on N(0, 1), ¼ on N(10, 1), at y = 0: −log(¾·φ(0) + ¼·φ(10))
    (
        "gaussian_mixture_nll",
        [[0.0]],
        [[math.log(3.0), 0.0, 10.0, 0.0, 0.0]],
        -math.log(0.75 / math.sqrt(2 * math.pi) + 0.25 * math.exp(-50) / math.sqrt(2 * math.pi)),
    ),
]


@pytest.mark.parametrize(("name", "y", "z", "expected"), HAND_VALUES)
def test_hand_computed_values(name, y, z, expected):
    assert LOSSES[name](np.array(y), np.array(z)) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def perfect_prediction(name: str):
    """Targets and the logits that predict them exactly, for losses with such an optimum."""
    y_real = np.array([[0.5], [-1.2], [3.0]])
    y_pos = np.array([[0.5], [2.0], [7.0]])
    p_soft = np.array([[0.2], [0.7], [0.9]])
    rows = np.array([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]])
    return {
        # A density's rows share one θ: its optimum is tested below, on the shared parameters.
        "gaussian_nll": None,
        "gaussian_mixture_nll": None,
        "mean_squared_error": (y_real, y_real),
        "mean_absolute_error": (y_real, y_real),
        "huber": (y_real, y_real),
        "mean_squared_logarithmic_error": (y_pos, y_pos),
        "log_target_squared_error": (y_pos, np.log1p(y_pos)),
        "poisson": (y_pos, np.log(y_pos)),
        "binary_cross_entropy": (p_soft, np.log(p_soft / (1 - p_soft))),
        "sigmoid_mean_squared_error": (p_soft, np.log(p_soft / (1 - p_soft))),
        "hinge": (np.array([[1.0], [0.0]]), np.array([[1.5], [-2.0]])),
        "squared_hinge": (np.array([[1.0], [0.0]]), np.array([[1.0], [-1.0]])),
        "categorical_cross_entropy": (rows, np.log(rows)),
        "sparse_categorical_cross_entropy": None,  # a hard label is only reached as z → ∞
        "kl_divergence": (rows, np.log(rows)),
        # The traps: the positive-only loss falls forever as z → ∞; the second softmax cannot
        # reach these rows (see the cap test); shared labels are reached at equal logits.
        "positive_only_cross_entropy": None,
        "double_softmax_cross_entropy": None,
        "multilabel_softmax_cross_entropy": (
            np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]]),
            np.zeros((2, 3)),
        ),
    }[name]


@pytest.mark.parametrize("name", ALL)
def test_zero_gradient_and_minimum_at_perfect_prediction(name):
    loss = LOSSES[name]
    case = perfect_prediction(name)
    if case is None:
        pytest.skip("no finite minimiser")
    y, z = case
    np.testing.assert_allclose(loss.gradient(y, z), 0.0, atol=1e-12)
    best = loss(y, z)
    rng = np.random.default_rng(0)
    for _ in range(20):
        assert loss(y, z + rng.normal(scale=0.1, size=z.shape)) >= best - 1e-12
    if name in ("mean_squared_error", "mean_absolute_error", "huber", "kl_divergence"):
        assert best == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("scale", [50.0, 1e3, 1e4])
def test_extreme_logits_stay_finite_without_warnings(name, scale):
    loss = LOSSES[name]
    rng = np.random.default_rng(3)
    z = np.array([[scale, -scale, 0.0], [-scale, scale, scale], [0.0, -scale, -scale]])
    if isinstance(loss, DensityLoss):
        z = np.resize(z, (3, loss.n_parameters))
    y = make_targets(loss, rng, z.shape)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        value = loss(y, z)
        grad = loss.gradient(y, z)
        per_sample = loss.per_sample(y, z)
        pred = loss.predict(z)
    assert np.isfinite(value)
    assert np.all(np.isfinite(grad))
    assert np.all(np.isfinite(per_sample))
    assert np.all(np.isfinite(pred))


@pytest.mark.parametrize("name", ALL)
def test_mismatched_shapes_raise_value_error_naming_both(name):
    loss = LOSSES[name]
    y = np.zeros(4) if loss.target != "sparse" else np.zeros((4, 1))
    z = np.zeros((4, 1)) if loss.target != "sparse" else np.zeros((4, 3))
    with pytest.raises(ValueError, match=re.escape(str(y.shape))) as err:
        loss(y, z)
    assert str(y.shape) in str(err.value)
    assert str(z.shape) in str(err.value)
    with pytest.raises(ValueError, match=re.escape(str(z.shape))):
        loss.gradient(y, z)


@pytest.mark.parametrize("name", ALL)
def test_mean_of_per_sample_values_is_the_loss(name):
    loss = LOSSES[name]
    rng = np.random.default_rng(5)
    shape = logit_shape(loss, (6, 3))
    y = make_targets(loss, rng, shape)
    z = make_logits(loss, y, rng, shape)
    assert loss.per_sample(y, z).shape == (6,)
    assert loss.per_sample(y, z).mean() == pytest.approx(loss(y, z), rel=1e-12)


def test_reduction_averages_elements_or_samples():
    # Element-wise: mean over all 2·2 elements. Distribution: sum over classes, mean over rows.
    y = np.array([[1.0, 0.0], [0.0, 1.0]])
    z = np.zeros((2, 2))
    assert LOSSES["mean_squared_error"](y, z) == pytest.approx(0.5)
    assert LOSSES["categorical_cross_entropy"](y, z) == pytest.approx(math.log(2.0))
    assert LOSSES["binary_cross_entropy"](y, z) == pytest.approx(math.log(2.0))


def test_binary_cross_entropy_equals_two_class_categorical():
    rng = np.random.default_rng(7)
    z = rng.normal(size=(50, 1)) * 4
    y = rng.random((50, 1))  # soft labels too
    bce = LOSSES["binary_cross_entropy"](y, z)
    cce = LOSSES["categorical_cross_entropy"](np.hstack([1 - y, y]), np.hstack([0 * z, z]))
    assert bce == pytest.approx(cce, rel=1e-12)


def test_sparse_and_one_hot_categorical_agree():
    rng = np.random.default_rng(8)
    z = rng.normal(size=(20, 4))
    labels = rng.integers(0, 4, size=20)
    one_hot = np.eye(4)[labels]
    sparse, dense = LOSSES["sparse_categorical_cross_entropy"], LOSSES["categorical_cross_entropy"]
    assert sparse(labels, z) == pytest.approx(dense(one_hot, z), rel=1e-12)
    np.testing.assert_allclose(sparse.gradient(labels, z), dense.gradient(one_hot, z), atol=1e-15)


def test_kl_is_cross_entropy_minus_target_entropy():
    rng = np.random.default_rng(9)
    p = softmax(rng.normal(size=(10, 3)))
    z = rng.normal(size=(10, 3))
    h = -np.sum(p * np.log(p), axis=1).mean()
    kl, ce = LOSSES["kl_divergence"], LOSSES["categorical_cross_entropy"]
    assert kl(p, z) == pytest.approx(ce(p, z) - h, rel=1e-12)
    np.testing.assert_allclose(kl.gradient(p, z), ce.gradient(p, z), atol=1e-15)


def test_sparse_labels_out_of_range_are_refused():
    with pytest.raises(ValueError, match="labels must be whole numbers from 0 to 2"):
        LOSSES["sparse_categorical_cross_entropy"](np.array([0, 3]), np.zeros((2, 3)))


def test_predictions_apply_the_paired_activation():
    z = np.array([[-2.0], [0.0], [3.0]])
    np.testing.assert_allclose(LOSSES["binary_cross_entropy"].predict(z), sigmoid(z))
    np.testing.assert_allclose(LOSSES["sigmoid_mean_squared_error"].predict(z), sigmoid(z))
    np.testing.assert_allclose(LOSSES["poisson"].predict(z), np.exp(z))
    np.testing.assert_allclose(LOSSES["mean_squared_error"].predict(z), z)
    rows = LOSSES["categorical_cross_entropy"].predict(np.array([[1.0, 2.0, 3.0]]))
    assert rows.sum() == pytest.approx(1.0)


def test_every_loss_documents_itself():
    for name, loss in LOSSES.items():
        assert loss.name == name
        assert loss.title
        assert loss.formula
        assert loss.when_to_use
        assert loss.activation in ("linear", "sigmoid", "softmax", "exp")


def test_unknown_loss_lists_the_allowed_names():
    with pytest.raises(ValueError, match="mean_squared_error"):
        get_loss("l3")


def test_registry_has_the_contracted_names():
    assert set(LOSSES) >= {
        "mean_squared_error",
        "mean_absolute_error",
        "huber",
        "mean_squared_logarithmic_error",
        "poisson",
        "binary_cross_entropy",
        "hinge",
        "squared_hinge",
        "categorical_cross_entropy",
        "sparse_categorical_cross_entropy",
        "kl_divergence",
    }


def test_squared_error_on_a_sigmoid_stalls_where_cross_entropy_does_not():
    # A confidently wrong prediction: label 1, logit −8 (p ≈ 0.0003).
    y, z = np.array([[1.0]]), np.array([[-8.0]])
    stalled = abs(LOSSES["sigmoid_mean_squared_error"].gradient(y, z)[0, 0])
    learning = abs(LOSSES["binary_cross_entropy"].gradient(y, z)[0, 0])
    assert stalled < 1e-3 < 0.99 < learning


@pytest.mark.parametrize("name", ALL)
def test_an_empty_batch_is_refused_not_averaged_to_nan(name):
    loss = LOSSES[name]
    y = np.zeros(0, dtype=int) if loss.target == "sparse" else np.zeros((0, 2))
    with pytest.raises(ValueError, match="empty"):
        loss(y, np.zeros((0, 2)))


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("mse", "mean_squared_error"),
        ("BCE", "binary_cross_entropy"),
        ("kl-divergence", "kl_divergence"),
    ],
)
def test_common_short_names_find_their_loss(typed, key):
    assert get_loss(typed) is LOSSES[key]


def test_density_losses_equal_the_log_density_they_name():
    # −log N(y; μ, σ²) written out, against the loss at θ = (μ, log σ) on every row.
    y = np.array([[0.3], [-1.0], [2.5]])
    mu, sigma = 0.4, 1.7
    by_hand = 0.5 * math.log(2 * math.pi) + math.log(sigma) + (y - mu) ** 2 / (2 * sigma**2)
    z = np.tile([mu, math.log(sigma)], (3, 1))
    assert LOSSES["gaussian_nll"](y, z) == pytest.approx(float(by_hand.mean()), rel=1e-12)
    assert LOSSES["gaussian_nll"].pdf([0.4], [mu, math.log(sigma)])[0] == pytest.approx(
        1 / (sigma * math.sqrt(2 * math.pi))
    )


def test_a_collapsing_sigma_is_floored_so_the_likelihood_stays_finite():
    loss = LOSSES["gaussian_nll"]
    y = np.array([[1.0], [1.0]])
    z = np.array([[1.0, -1e4], [1.0, -1e4]])  # σ = e^(−10⁴): a spike of zero width on the samples
    assert loss(y, z) == pytest.approx(0.5 * math.log(2 * math.pi) + LOG_SIGMA_MIN)
    assert loss.gradient(y, z)[0, 1] == 0.0


def test_mixture_with_equal_components_is_the_single_gaussian():
    rng = np.random.default_rng(11)
    y = rng.normal(size=(30, 1))
    single = LOSSES["gaussian_nll"](y, np.tile([0.2, 0.1], (30, 1)))
    both = LOSSES["gaussian_mixture_nll"](y, np.tile([0.7, 0.2, 0.2, 0.1, 0.1], (30, 1)))
    assert both == pytest.approx(single, rel=1e-12)


def test_gaussian_gradient_vanishes_at_the_closed_form_mle():
    # Every row holds the same θ, so SGD follows the gradient summed over the rows.
    samples = np.array([[0.5], [-1.2], [3.0], [2.0]])
    mu, sigma = gaussian_mle(samples)
    z = np.tile([mu, math.log(sigma)], (4, 1))
    loss = LOSSES["gaussian_nll"]
    np.testing.assert_allclose(loss.gradient(samples, z).sum(axis=0), 0.0, atol=1e-12)
    rng = np.random.default_rng(0)
    for _ in range(20):
        nudged = z + rng.normal(scale=0.1, size=2)
        assert loss(samples, nudged) > loss(samples, z)


def test_poisson_drops_log_y_factorial_and_says_so():
    import math

    from losstui.core.losses import LOSSES

    poisson = LOSSES["poisson"]
    y = np.array([[0.0], [1.0], [3.0], [10.0]])
    dropped = poisson.dropped_constant(y)
    assert dropped.shape == y.shape
    assert np.allclose(dropped[:, 0], [0.0, 0.0, math.log(6), math.log(3628800)])
    # loss + log y! is the Poisson log-pmf's negative, by hand: λ − y·log λ + log y!
    z = np.array([[0.3], [-1.0], [1.2], [2.0]])
    lam = np.exp(z)
    full = poisson.values(y, z) + dropped
    by_hand = [
        lam[i, 0] - y[i, 0] * math.log(lam[i, 0]) + math.lgamma(y[i, 0] + 1) for i in range(4)
    ]
    assert np.allclose(full[:, 0], by_hand)
    assert LOSSES["mean_squared_error"].dropped_constant(y) is None


def test_a_trap_says_so_in_its_title_and_is_never_recommended():
    from losstui.core.problems import PROBLEMS, Standing, loss_verdict

    traps = {name for name, loss in LOSSES.items() if loss.trap}
    assert traps == {name for name, loss in LOSSES.items() if loss.title.endswith("(a trap)")}
    assert len(traps) >= 4
    for problem in PROBLEMS:
        for name in traps:
            assert loss_verdict(problem, name).standing is Standing.NOT_RECOMMENDED


@pytest.mark.parametrize(
    "name",
    [
        "categorical_cross_entropy",
        "sparse_categorical_cross_entropy",
        "kl_divergence",
        "double_softmax_cross_entropy",
    ],
)
def test_log_predict_is_the_log_of_the_distribution_the_loss_scores(name):
    loss = LOSSES[name]
    rng = np.random.default_rng(3)
    z = rng.normal(scale=4.0, size=(6, 3))
    log_q = loss.log_predict(z)
    np.testing.assert_allclose(np.exp(log_q), loss.predict(z), rtol=1e-12)
    if name != "kl_divergence":  # KL subtracts H(P); the others are −log Q(true class)
        labels = rng.integers(0, 3, size=6)
        y = labels if loss.target == "sparse" else np.eye(3)[labels]
        np.testing.assert_allclose(loss.per_sample(y, z), -log_q[np.arange(6), labels])


def test_double_softmax_caps_q_at_e_over_e_plus_k_minus_1():
    loss = LOSSES["double_softmax_cross_entropy"]
    assert loss.cap(3) == pytest.approx(math.e / (math.e + 2.0)) == pytest.approx(0.576, abs=5e-4)
    # The most confident softmax layer (a one-hot row) reaches the cap and no further.
    q = loss.predict(np.array([[60.0, 0.0, 0.0], [3.0, 1.0, -2.0]]))
    assert q.max() <= loss.cap(3) + 1e-15
    assert q[0, 0] == pytest.approx(loss.cap(3))
