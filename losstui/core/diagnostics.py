"""What a trained model predicts, set against the truth: per-example P and Q, residuals, NLL curves.

Everything here is in nats; the app converts to bits.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from losstui.core import info
from losstui.core.datasets import targets_for
from losstui.core.losses import DensityLoss, Loss, gaussian_mle
from losstui.core.numerics import Array
from losstui.core.tasks import TASKS, get_task

if TYPE_CHECKING:
    from losstui.core.run import RunView

CLASSIFICATION_KINDS = tuple(kind for kind, task in TASKS.items() if task.classes)
REGRESSION_KINDS = tuple(kind for kind, task in TASKS.items() if task.residuals)

#: Losses whose validation value is the mean cross-entropy H(P,Q) of the rows the view shows.
CROSS_ENTROPY_LOSSES = (
    "binary_cross_entropy",
    "categorical_cross_entropy",
    "sparse_categorical_cross_entropy",
    # Its Q is softmax(softmax(z)), the distribution its cross-entropy is taken of.
    "double_softmax_cross_entropy",
)


@dataclass(frozen=True, eq=False)
class ClassificationData:
    """True and predicted distributions of every validation example, and their information.

    Shapes: n examples, G groups, K outcomes per group. A binary, multi-class or soft-label
    problem has one group (G = 1) of K classes; a multi-label problem has one Bernoulli group per
    label (G = L, K = 2: absent, present). `p` and `q` are (n, G, K); `h_p`, `h_pq` and `kl` are
    (n, G) in nats. An example's value is the mean over its groups, as binary cross-entropy
    averages over the labels.
    """

    kind: str
    x: Array
    p: Array
    q: Array
    h_p: Array
    h_pq: Array
    kl: Array
    outcome_names: tuple[str, ...]
    group_names: tuple[str, ...]
    loss_name: str
    loss_title: str
    #: The run's loss on the validation set, in nats.
    val_loss: float
    #: How Q was read from an output that is not a probability; None for sigmoid and softmax.
    q_reading: str | None
    #: The raw outputs ŷ (n, k) where Q was read by clipping them to [0, 1] (a linear or exp
    #: output on class labels: squared error, Poisson); None where the outputs pass through a
    #: sigmoid or softmax.
    outputs: Array | None = None
    #: The per-class numbers Q was made from, (n, K), where Q is not the model's output itself:
    #: K sigmoid outputs (or outputs clipped to [0, 1]) that Q divides by their sum, or the
    #: softmax layer's outputs that a double softmax squashes again; None otherwise.
    before_q: Array | None = None
    #: What `before_q` holds, e.g. "sigmoid outputs"; None with it.
    before_q_name: str | None = None
    #: How Q is made from `before_q`: "sum" (divided by their sum) or "softmax"; None with it.
    before_q_step: str | None = None
    #: Whether the loss was trained on targets other than P: hard labels (each row's most
    #: likely class) for a loss that needs them on soft-label data.
    other_targets: bool = False

    @property
    def n(self) -> int:
        """Number of validation examples."""
        return int(self.p.shape[0])

    def example_h_p(self) -> Array:
        """H(P) of each example, mean over its groups; (n,)."""
        out: Array = self.h_p.mean(axis=1)
        return out

    def example_h_pq(self) -> Array:
        """H(P,Q) of each example, mean over its groups; (n,)."""
        out: Array = self.h_pq.mean(axis=1)
        return out

    def example_kl(self) -> Array:
        """KL(P‖Q) of each example, mean over its groups; (n,)."""
        out: Array = self.kl.mean(axis=1)
        return out

    def outside_unit(self) -> NDArray[np.bool_]:
        """Whether each example has an output ŷ outside [0, 1], where it is no probability;
        (n,) bools, all False when the outputs are probabilities."""
        if self.outputs is None:
            return np.zeros(self.n, dtype=bool)
        outside: NDArray[np.bool_] = np.any((self.outputs < 0.0) | (self.outputs > 1.0), axis=1)
        return outside


def class_probabilities(loss: Loss, kind: str, logits: Array) -> tuple[Array, Array, str | None]:
    """(Q, log Q, how Q was read), Q of shape (n, G, K), from the model's logits (n, k).

    Sigmoid and softmax outputs are probabilities already. Other outputs are read so that the
    most probable outcome is the class the run predicts (`Trainer.classify`): a margin score
    through a sigmoid or softmax, a regression output clipped to [0, 1]. The third element says
    how Q was read, None for sigmoid and softmax. The task says whether each output is a yes/no
    of its own or one class among them; the loss's link how its output is read
    (`Task.class_probabilities`).
    """
    return get_task(kind).class_probabilities(loss.link, logits)


def classification_data(run: RunView) -> ClassificationData:
    """P, Q and H(P), H(P,Q), KL(P‖Q) per validation example of a classification run.

    H(P,Q) = −Σₖ pₖ·log qₖ with log q from the logits (stable for confident models), H(P) from
    `info.entropy_rows`, KL = H(P,Q) − H(P); all in nats.
    """
    dataset, loss = run.dataset, run.loss
    task = get_task(dataset.kind)
    logits = np.asarray(run.logits(dataset.x_val), dtype=np.float64)
    p, outcomes, groups = task.true_rows(
        dataset.y_val, dataset.n_classes, tuple(dataset.target_names)
    )
    q, log_q, reading = task.class_probabilities(loss.link, logits)
    n, g, k = p.shape
    h_p = info.entropy_rows(p.reshape(n * g, k)).reshape(n, g)
    with np.errstate(invalid="ignore"):
        h_pq = -np.sum(np.where(p > 0.0, p * log_q, 0.0), axis=-1) + 0.0
        kl = np.where(np.isinf(h_pq), np.inf, np.maximum(h_pq - h_p, 0.0))
    with np.errstate(all="ignore"):
        val_loss = float(loss(targets_for(loss, dataset, "val"), logits))
        # Plain values (not probabilities, not margin scores) are read as Q by clipping.
        clipped = loss.link.value
        outputs = np.asarray(loss.predict(logits), dtype=np.float64) if clipped else None
    before_q, before_name, before_step = task.before_q(loss.link, logits)
    y_val = np.asarray(dataset.y_val)
    other = task.soft_labels and not np.array_equal(
        np.asarray(targets_for(loss, dataset, "val")), y_val
    )
    return ClassificationData(
        kind=dataset.kind,
        x=dataset.x_val,
        p=p,
        q=q,
        h_p=h_p,
        h_pq=h_pq,
        kl=kl,
        outcome_names=outcomes,
        group_names=groups,
        loss_name=loss.name,
        loss_title=loss.title,
        val_loss=val_loss,
        q_reading=reading,
        outputs=outputs,
        before_q=before_q,
        before_q_name=before_name,
        before_q_step=before_step,
        other_targets=other,
    )


# -- regression -----------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class NoiseCurve:
    """A zero-centred noise density with its maximum-likelihood scale."""

    name: str  # "Gaussian" or "Laplace"
    scale_name: str  # "σ" or "b"
    scale: float
    how: str  # how the scale was chosen, e.g. "RMS residual, the ML fit"

    def pdf(self, r: Array) -> Array:
        """The density at residuals r: N(0, σ²) or Laplace(0, b)."""
        s = max(self.scale, 1e-12)
        if self.name == "Laplace":
            return np.exp(-np.abs(r) / s) / (2.0 * s)
        return np.exp(-0.5 * (r / s) ** 2) / (s * math.sqrt(2.0 * math.pi))


@dataclass(frozen=True, eq=False)
class ResidualData:
    """Validation residuals of a regression run and the noise densities its loss assumes."""

    residuals: Array  # (n,)
    what: str  # the residual's formula, e.g. "y − ŷ"
    curves: tuple[NoiseCurve, ...]
    note: str
    true_noise: str | None
    loss_title: str
    #: The noise distribution the loss is the negative log-likelihood of, e.g. "Gaussian".
    distribution: str


def _laplace(r: Array) -> NoiseCurve:
    return NoiseCurve("Laplace", "b", float(np.mean(np.abs(r))), "mean |residual|, the ML fit")


def _gaussian(r: Array) -> NoiseCurve:
    return NoiseCurve("Gaussian", "σ", float(np.sqrt(np.mean(r * r))), "RMS residual, the ML fit")


def residual_data(run: RunView) -> ResidualData:
    """Residuals on the validation split and the zero-mean noise density the loss assumes, its
    scale fitted to them by maximum likelihood (σ = √mean r², b = mean |r|)."""
    dataset, loss = run.dataset, run.loss
    y = np.asarray(dataset.y_val, dtype=np.float64).reshape(-1)
    with np.errstate(all="ignore"):
        y_hat = np.asarray(run.predict(dataset.x_val), dtype=np.float64).reshape(-1)
    name = loss.name
    if name == "mean_absolute_error":
        r = y - y_hat
        curves: tuple[NoiseCurve, ...] = (_laplace(r),)
        note = "Mean absolute error is the negative log-likelihood of Laplace noise."
        what = "y − ŷ"
    elif name == "huber":
        r = y - y_hat
        curves = (_gaussian(r), _laplace(r))
        note = (
            "Huber (δ = 1) is squared for |r| ≤ 1 and absolute beyond: its noise model is "
            "Gaussian in the middle and Laplace in the tails, between the two curves."
        )
        what = "y − ŷ"
    elif name == "mean_squared_logarithmic_error":
        with np.errstate(all="ignore"):
            r = np.log1p(np.maximum(y, 0.0)) - np.log1p(np.maximum(y_hat, 0.0))
        curves = (_gaussian(r),)
        note = "MSLE is squared error on log(1 + y): Gaussian noise there, so 1 + y is log-normal."
        what = "log(1 + y) − log(1 + ŷ)"
    elif name == "poisson":
        with np.errstate(all="ignore"):
            r = (y - y_hat) / np.sqrt(np.maximum(y_hat, 1e-12))
        rms = float(np.sqrt(np.mean(r * r)))
        curves = (NoiseCurve("Gaussian", "σ", 1.0, f"fixed; the RMS of these is {rms:.3f}"),)
        note = (
            "Poisson: the variance equals the mean ŷ, so residuals divided by √ŷ should spread "
            "about like N(0, 1)."
        )
        what = "(y − ŷ) / √ŷ"
    else:
        r = y - y_hat
        curves = (_gaussian(r),)
        note = "Squared error is the negative log-likelihood of Gaussian noise of fixed σ."
        what = "y − ŷ"
    noise = dict(getattr(dataset, "noise", None) or {})
    true_noise = noise.get("description")
    if true_noise is None and noise:
        true_noise = ", ".join(f"{k} {v}" for k, v in noise.items())
    return ResidualData(r, what, curves, note, true_noise, loss.title, loss.distribution)


# -- density estimation ---------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class NLLCurve:
    """Mean negative log-likelihood of the training samples as one parameter varies, the others
    held at the current SGD estimate."""

    param: str  # "μ" or "μ₁"
    held: str  # what is held, e.g. "σ = 0.812"
    grid: Array  # (m,) parameter values
    nll: Array  # (m,) mean NLL at each
    current: tuple[float, float]  # (parameter, NLL) of the SGD estimate
    best: tuple[float, float]  # (parameter, NLL) of the marked optimum
    best_label: str  # e.g. "closed-form MLE μ̂ = mean(x)"
    closed_form: str | None  # the full closed-form fit, when there is one
    n: int


def density_parameters(run: RunView) -> Array:
    """The fitted density's parameters θ (k,): the output of a model on no inputs."""
    theta: Array = run.logits(np.empty((1, 0)))[0]
    return theta


def nll_curve(run: RunView, points: int = 121) -> NLLCurve:
    """NLL(θ) = −mean log p(xᵢ | θ) over the training samples for θ = μ (μ₁ for a mixture), the
    other parameters held at the SGD estimate, on a grid spanning the samples and the estimate;
    (m,) arrays, m = `points` + 2: the SGD estimate and the marked optimum are points of the grid,
    so the drawn curve passes through both marks (m = `points` when a diverged fit leaves the
    grid non-finite)."""
    loss = run.loss
    # A type guard more than a question: the curve needs a density's log_pdf and parameters.
    if not isinstance(loss, DensityLoss):
        raise ValueError(f"{loss.name} is not a density's negative log-likelihood")
    x = np.asarray(run.dataset.y_train, dtype=np.float64).reshape(-1)
    theta = density_parameters(run)
    index = 0 if loss.n_parameters == 2 else 1  # μ of a Gaussian, μ₁ of a mixture
    param = loss.parameter_names[index]
    current = float(theta[index])
    closed = loss.closed_form(x)
    if closed is not None:
        # NLL(μ) − min = (μ − μ̂)² / 2σ²: two σ beyond both marks shows the parabola whole.
        mu_hat = float(closed[index])
        half = abs(current - mu_hat) / 2 + 2.0 * float(np.exp(theta[1]))
        grid = np.linspace((current + mu_hat) / 2 - half, (current + mu_hat) / 2 + half, points)
    else:
        lo, hi = min(float(x.min()), current), max(float(x.max()), current)
        pad = 0.1 * (hi - lo) or 1.0
        grid = np.linspace(lo - pad, hi + pad, points)

    def nll(t: Array) -> float:
        return float(-np.mean(loss.log_pdf(x, t)))

    def nll_at(value: float) -> float:
        probe = theta.copy()
        probe[index] = value
        return nll(probe)

    with np.errstate(all="ignore"):
        values = np.array([nll_at(float(value)) for value in grid])
        current_nll = nll(theta)
        closed_form = None
        if closed is not None:
            best = (float(closed[index]), nll_at(float(closed[index])))
            best_label = "closed-form MLE μ̂ = mean(x)"
            mu_hat, sigma_hat = gaussian_mle(x)
            closed_form = (
                f"closed form: μ̂ = {mu_hat:.3f}, σ̂ = {sigma_hat:.3f} (divide by n), "
                f"NLL = {nll(closed):.3f}"
            )
            held = f"σ = {float(np.exp(theta[1])):.3f}"
        else:
            best = lowest_on_curve(nll_at, grid, values, (current, current_nll))
            best_label = "lowest NLL (no closed form for a mixture)"
            held = "the weight, μ₂ and both σ"
    if np.all(np.isfinite(grid)):  # not after a divergence, where σ and so the grid overflow
        grid, values = _with_points(grid, values, ((current, current_nll), best))
    return NLLCurve(
        param,
        held,
        grid,
        values,
        (current, current_nll),
        best,
        best_label,
        closed_form,
        int(x.size),
    )


#: Golden-section steps per bracket: each shrinks it by φ − 1 ≈ 0.618, so 60 shrink a grid cell
#: by ≈ 3·10⁻¹³, far below the three decimals shown, for ≈ 60 NLL evaluations each.
GOLDEN_STEPS = 60

#: How many of the grid's lowest local minima are refined: a mixture's curve has a dip near each
#: component's samples, and on a coarse grid the deepest dip may not hold the lowest grid point.
REFINED_DIPS = 3


def lowest_on_curve(
    f: Callable[[float], float],
    grid: Array,
    values: Array,
    anchor: tuple[float, float],
) -> tuple[float, float]:
    """The lowest point (t, f(t)) along a 1-D curve f sampled as `values` = f(`grid`), (m,).

    A grid minimum is only as close to the true one as the grid step: next to a narrow density
    (σ smaller than a few steps) it can sit visibly above it. So each of the REFINED_DIPS lowest
    local minima of the grid is refined by golden-section search between its two neighbours, and
    so is `anchor` = (t₀, f(t₀)) (the SGD estimate) within one grid step. The answer is the
    lowest of every point evaluated, the grid and the anchor included: never above any of them.
    """
    finite = np.where(np.isfinite(values), values, np.inf)
    best = min(zip(finite.tolist(), grid.tolist(), strict=True))
    if np.isfinite(anchor[1]):
        best = min(best, (anchor[1], anchor[0]))
    if grid.size < 2:
        return best[1], best[0]
    step = float(grid[1] - grid[0])
    brackets = [(max(anchor[0] - step, grid[0]), min(anchor[0] + step, grid[-1]))]
    for i in _local_minima(finite)[:REFINED_DIPS]:
        brackets.append((grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]))
    for a, b in brackets:
        if a < b:
            t, value = golden_section(f, float(a), float(b))
            best = min(best, (value, t))
    return best[1], best[0]


def _local_minima(values: Array) -> list[int]:
    """Indices i of the finite local minima of `values` (m,), values[i] ≤ both neighbours (one
    at an end), lowest first."""
    padded = np.concatenate(([np.inf], values, [np.inf]))
    middle = padded[1:-1]
    dips = np.flatnonzero((middle <= padded[:-2]) & (middle <= padded[2:]) & np.isfinite(middle))
    return sorted(dips.tolist(), key=lambda i: values[i])


def golden_section(
    f: Callable[[float], float], a: float, b: float, steps: int = GOLDEN_STEPS
) -> tuple[float, float]:
    """The lowest (t, f(t)) a golden-section search of [a, b] evaluates: two probes
    c = b − r·(b − a) and d = a + r·(b − a), r = (√5 − 1)/2; keep [a, d] if f(c) ≤ f(d), else
    [c, b], reusing one probe each step. For f unimodal on [a, b] that is its minimum to
    (b − a)·r^steps, or to ≈ √ε·|t| where f is flat to rounding; otherwise some local minimum,
    still no higher than any probe. A non-finite f counts as +∞."""

    def g(t: float) -> float:
        value = f(t)
        return value if math.isfinite(value) else math.inf

    r = (math.sqrt(5.0) - 1.0) / 2.0
    c, d = b - r * (b - a), a + r * (b - a)
    fc, fd = g(c), g(d)
    best = min((fc, c), (fd, d))
    for _ in range(steps):
        if fc <= fd:
            b, d, fd = d, c, fc
            c = b - r * (b - a)
            fc = g(c)
            best = min(best, (fc, c))
        else:
            a, c, fc = c, d, fd
            d = a + r * (b - a)
            fd = g(d)
            best = min(best, (fd, d))
    return best[1], best[0]


def _with_points(
    grid: Array, values: Array, points: tuple[tuple[float, float], ...]
) -> tuple[Array, Array]:
    """`grid` (m,) and `values` (m,) with the (t, value) `points` (p,) merged in, sorted by t:
    (m + p,) each."""
    ts = np.concatenate((grid, [t for t, _ in points]))
    vs = np.concatenate((values, [v for _, v in points]))
    order = np.argsort(ts, kind="stable")
    return ts[order], vs[order]
