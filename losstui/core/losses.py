"""Loss functions that take logits, fuse their output activation stably, and the LOSSES registry.

Every loss follows one pattern (after scikit-learn's `_loss` module): `values(y_true, logits)` gives
the unreduced loss and `values_gradient(y_true, logits)` its derivative, written side by side; the
base class validates shapes and reduces. Element-wise losses average over every element;
distribution losses (categorical, sparse categorical, KL) sum over classes and average over
samples, as PyTorch does by default.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from losstui.core.links import (
    CLIPPED_IDENTITY,
    DOUBLE_SOFTMAX,
    GAUSSIAN,
    GAUSSIAN_MIXTURE,
    IDENTITY,
    LOG,
    LOG1P,
    SCORE,
    SIGMOID,
    SOFTMAX,
    Link,
    Softmax,
    floored,
)
from losstui.core.links import LOG_SIGMA_MIN as LOG_SIGMA_MIN  # re-exported: a density's floor
from losstui.core.numerics import (
    Array,
    as_float_array,
    log_sigmoid,
    log_softmax,
    logsumexp,
    safe_exp,
    safe_exp_derivative,
    sigmoid,
    softmax,
    softplus,
)


class Loss:
    """A loss on pre-activation outputs `logits`, shape (n, k); see the module docstring.

    Attributes shown to learners: `title`, `formula` (plain Unicode), `when_to_use`.
    `link` is the output link fused into the loss (`losstui.core.links`): what the output means,
    the prediction and the decision rule; `activation` is its name. `target` is the kind of
    y_true the loss reads.
    """

    name: str = ""
    title: str = ""
    link: Link = IDENTITY
    target: str = "real"
    distribution: str = ""
    formula: str = ""
    when_to_use: str = ""
    #: True when the loss sums over the classes of a row (categorical, sparse, KL).
    sums_over_classes: bool = False
    #: True for a pairing kept only to be seen failing (its title ends "(a trap)"): it runs, it
    #: is never recommended, and `when_to_use` says what goes wrong.
    trap: bool = False

    # -- what each loss defines -------------------------------------------------------------
    def _values(self, y: Array, z: Array) -> Array:
        """Unreduced loss: element by element, or (n,) for a distribution loss."""
        raise NotImplementedError

    def _values_gradient(self, y: Array, z: Array) -> Array:
        """∂(Σ values)/∂z, same shape as z."""
        raise NotImplementedError

    @property
    def activation(self) -> str:
        """The output activation's name: "linear", "sigmoid", "softmax" or "exp"."""
        return self.link.name

    @property
    def logit_threshold(self) -> float:
        """The logit at which a one-output classifier switches to the positive class (σ(z) = 0.5
        at z = 0; a raw output compared with labels 0/1 switches at 0.5): the link's."""
        return self.link.threshold

    def predict(self, logits: ArrayLike) -> Array:
        """The output activation applied to `logits`: predictions in target space, same shape."""
        return self.link.inverse(logits)

    def cap(self, k: int) -> float:
        """The largest probability `predict` can give a class of k: 1, except for a loss that
        squashes its outputs (the double softmax)."""
        return self.link.cap(k)

    #: How a history of this loss is labelled when it adds back `dropped_constant` ("" if not).
    recorded_as: str = ""

    def dropped_constant(self, y_true: Array) -> Array | None:
        """The per-element term of the negative log-likelihood that the loss leaves out because
        it does not depend on the model (same shape as y_true); None when nothing is dropped.
        Training ignores it; comparing train with validation needs it, since the splits'
        targets differ."""
        return None

    def initial_bias(
        self, n_outputs: int, rng: np.random.Generator, y_train: Array | None = None
    ) -> Array | None:
        """The output layer's starting bias, (n_outputs,), given the training targets; None
        keeps the model's own (zeros)."""
        return None

    @property
    def pairing(self) -> str:
        """The loss with its output activation, as a status line names them."""
        return f"{self.title} + {self.activation}"

    # -- shared behaviour ---------------------------------------------------------------------
    def _check(self, y_true: ArrayLike, logits: ArrayLike) -> tuple[Array, Array]:
        y = as_float_array(y_true)
        z = as_float_array(logits)
        if y.shape != z.shape:
            raise ValueError(
                f"{self.name}: y_true has shape {y.shape} but logits have shape {z.shape}; "
                "they must match exactly"
            )
        if z.size == 0:
            raise ValueError(f"{self.name}: the batch is empty (shape {z.shape}); no mean to take")
        if self.sums_over_classes and z.ndim != 2:
            raise ValueError(
                f"{self.name}: expects 2-D arrays of shape (n, classes), got shape {z.shape}"
            )
        return y, z

    def _count(self, z: Array) -> int:
        """How many terms the mean divides by: every element, or every row."""
        return z.shape[0] if self.sums_over_classes else z.size

    def values(self, y_true: ArrayLike, logits: ArrayLike) -> Array:
        """Unreduced loss: shape of logits for element-wise losses, (n,) for distribution losses."""
        return self._values(*self._check(y_true, logits))

    def per_sample(self, y_true: ArrayLike, logits: ArrayLike) -> Array:
        """Loss of each sample, shape (n,): row mean (element-wise) or row sum (distribution)."""
        v = self.values(y_true, logits)
        if self.sums_over_classes or v.ndim == 1:
            return v
        rows: Array = v.reshape(v.shape[0], -1).mean(axis=1)
        return rows

    def __call__(self, y_true: ArrayLike, logits: ArrayLike) -> float:
        """The mean loss of the batch (a Python float)."""
        y, z = self._check(y_true, logits)
        return float(np.sum(self._values(y, z)) / self._count(z))

    def gradient(self, y_true: ArrayLike, logits: ArrayLike) -> Array:
        """∂(mean loss)/∂logits, same shape as logits."""
        y, z = self._check(y_true, logits)
        return self._values_gradient(y, z) / self._count(z)

    def gradient_unchecked(self, y_true: Array, logits: Array) -> Array:
        """`gradient` without the shape and label checks, for a training loop whose targets were
        checked once; y_true and logits must already be float64 arrays of matching shapes
        (integer labels for the sparse loss)."""
        return self._values_gradient(y_true, logits) / self._count(logits)

    def __repr__(self) -> str:
        return f"<Loss {self.name}>"


# -- regression ----------------------------------------------------------------------------------
class MeanSquaredError(Loss):
    """Mean squared error. Domain: y ∈ ℝ. Link: identity. ℓ = (z − y)²."""

    name = "mean_squared_error"
    title = "Mean squared error"
    link = IDENTITY
    target = "real"
    distribution = "Gaussian"
    formula = "L = (1/n) Σᵢ (yᵢ − ŷᵢ)²,   ŷ = z"
    when_to_use = (
        "Real-valued targets with roughly Gaussian noise: it is the negative log-likelihood of a "
        "Gaussian with fixed variance. Large errors dominate, so outliers pull the fit."
    )

    def _values(self, y: Array, z: Array) -> Array:
        return (z - y) ** 2

    def _values_gradient(self, y: Array, z: Array) -> Array:
        return 2.0 * (z - y)


class MeanAbsoluteError(Loss):
    """Mean absolute error. Domain: y ∈ ℝ. Link: identity. ℓ = |z − y| (subgradient 0 at z = y)."""

    name = "mean_absolute_error"
    title = "Mean absolute error"
    link = IDENTITY
    target = "real"
    distribution = "Laplace"
    formula = "L = (1/n) Σᵢ |yᵢ − ŷᵢ|,   ŷ = z"
    when_to_use = (
        "Real-valued targets with heavy-tailed noise or outliers: the negative log-likelihood of a "
        "Laplace distribution. It predicts the conditional median; its gradient never shrinks, so "
        "SGD needs a decaying or small learning rate to settle."
    )

    def _values(self, y: Array, z: Array) -> Array:
        return np.abs(z - y)

    def _values_gradient(self, y: Array, z: Array) -> Array:
        return np.sign(z - y)


class Huber(Loss):
    """Huber loss with δ = 1. ℓ = ½r² for |r| ≤ 1, |r| − ½ beyond, where r = z − y."""

    name = "huber"
    title = "Huber loss (δ = 1)"
    link = IDENTITY
    target = "real"
    distribution = "Gaussian near zero, Laplace in the tails"
    formula = "L = (1/n) Σᵢ h(yᵢ − ŷᵢ),   h(r) = ½r² if |r| ≤ 1, else |r| − ½,   ŷ = z"
    when_to_use = (
        "Regression with some outliers: quadratic (like squared error) for small residuals, "
        "linear (like absolute error) for large ones, so outliers cannot dominate but the "
        "gradient still shrinks near the optimum."
    )
    delta = 1.0

    def _values(self, y: Array, z: Array) -> Array:
        r = np.abs(z - y)
        return np.where(r <= self.delta, 0.5 * r * r, self.delta * (r - 0.5 * self.delta))

    def _values_gradient(self, y: Array, z: Array) -> Array:
        return np.clip(z - y, -self.delta, self.delta)


class MeanSquaredLogarithmicError(Loss):
    """Mean squared logarithmic error. ℓ = (log(1 + max(z, 0)) − log(1 + max(y, 0)))²."""

    name = "mean_squared_logarithmic_error"
    title = "Mean squared logarithmic error"
    link = CLIPPED_IDENTITY
    target = "nonnegative"
    distribution = "log-normal (on 1 + y)"
    formula = "L = (1/n) Σᵢ (log(1 + yᵢ) − log(1 + ŷᵢ))²,   ŷ = max(z, 0)"
    when_to_use = (
        "Positive targets spanning orders of magnitude, where relative error matters: an error of "
        "10 on 1000 costs about as much as 0.1 on 10. It is squared error on log(1 + y)."
    )

    def _values(self, y: Array, z: Array) -> Array:
        d = np.log1p(np.maximum(z, 0.0)) - np.log1p(np.maximum(y, 0.0))
        out: Array = d * d
        return out

    def _values_gradient(self, y: Array, z: Array) -> Array:
        zp = np.maximum(z, 0.0)
        d = np.log1p(zp) - np.log1p(np.maximum(y, 0.0))
        # max(z, 0) has slope 0 below zero: a prediction stuck below 0 gets no gradient (a trap
        # worth seeing), so the model should start with positive outputs.
        return np.where(z > 0.0, 2.0 * d / (1.0 + zp), 0.0)


class LogTargetSquaredError(Loss):
    """Squared error on log(1 + y): the output z is read as log(1 + ŷ), so ŷ = exp(z) − 1.

    ℓ = (z − log(1 + y))² = (log(1 + ŷ) − log(1 + y))²: mean squared logarithmic error on the
    prediction ŷ, without the clip at 0, so every sample keeps its gradient 2(z − log(1 + y)).
    """

    name = "log_target_squared_error"
    title = "Squared error on log(1 + y)"
    link = LOG1P
    target = "nonnegative"
    distribution = "log-normal (on 1 + y)"
    formula = "L = (1/n) Σᵢ (zᵢ − log(1 + yᵢ))²,   ŷ = exp(z) − 1"
    when_to_use = (
        "Positive targets spanning orders of magnitude: train squared error on log(1 + y) and "
        "undo the transform with ŷ = exp(z) − 1. It is mean squared logarithmic error without "
        "the clip at 0, so no sample ever stops teaching."
    )

    def _values(self, y: Array, z: Array) -> Array:
        d = z - np.log1p(np.maximum(y, 0.0))
        return d * d

    def _values_gradient(self, y: Array, z: Array) -> Array:
        return 2.0 * (z - np.log1p(np.maximum(y, 0.0)))

    def initial_bias(
        self, n_outputs: int, rng: np.random.Generator, y_train: Array | None = None
    ) -> Array | None:
        """mean log(1 + y): the output starts at the targets' typical size, as a regression on
        the transformed targets would."""
        if y_train is None:
            return None
        return np.full(n_outputs, float(np.mean(np.log1p(np.maximum(y_train, 0.0)))))


class Poisson(Loss):
    """Poisson negative log-likelihood on the log-rate z, dropping log y!: ℓ = eᶻ − y·z.

    For z > 50 (a rate above 5·10²¹) eᶻ is continued by its tangent line so the value and gradient
    stay finite for any finite logit (see `numerics.safe_exp`).
    """

    name = "poisson"
    title = "Poisson loss"
    link = LOG
    target = "nonnegative"
    distribution = "Poisson"
    formula = "L = (1/n) Σᵢ (exp(zᵢ) − yᵢ·zᵢ),   λ̂ = exp(z)"
    when_to_use = (
        "Counts (0, 1, 2, …) such as events per hour: the negative log-likelihood of a Poisson "
        "distribution whose rate λ = eᶻ is always positive. The variance grows with the mean."
    )
    recorded_as = "full NLL (with log y!)"

    def _values(self, y: Array, z: Array) -> Array:
        return safe_exp(z) - y * z

    def initial_bias(
        self, n_outputs: int, rng: np.random.Generator, y_train: Array | None = None
    ) -> Array | None:
        """log(mean y): the rate starts at the mean count, so the first gradients exp(z) − y are
        of the size of the counts' spread, not of the counts (a start at z = 0 with counts near
        100 overshoots and overflows). None (zeros) when there are no counts above 0."""
        if y_train is None:
            return None
        mean = float(np.mean(y_train))
        return np.full(n_outputs, math.log(mean)) if mean > 0 else None

    def dropped_constant(self, y_true: Array) -> Array | None:
        # log y! = lgamma(y + 1); numpy has no lgamma, so Python's, element by element (once
        # per split: it does not change as the model trains).
        y = as_float_array(y_true)
        return np.array([math.lgamma(v) for v in (y + 1.0).ravel()]).reshape(y.shape)

    def _values_gradient(self, y: Array, z: Array) -> Array:
        return safe_exp_derivative(z) - y


# -- binary classification -----------------------------------------------------------------------
class BinaryCrossEntropy(Loss):
    """Binary cross-entropy on logits.

    ℓ = −y·log σ(z) − (1 − y)·log(1 − σ(z)) = softplus(z) − y·z, stable for any finite z.
    """

    name = "binary_cross_entropy"
    title = "Binary cross-entropy (log loss)"
    link = SIGMOID
    target = "binary"
    distribution = "Bernoulli"
    formula = "L = −(1/n) Σᵢ [yᵢ·log p̂ᵢ + (1 − yᵢ)·log(1 − p̂ᵢ)],   p̂ = σ(z) = 1/(1 + e⁻ᶻ)"
    when_to_use = (
        "Two classes, or several independent yes/no labels: the negative log-likelihood of a "
        "Bernoulli whose probability is p = σ(z). Confident mistakes cost without bound."
    )

    def _values(self, y: Array, z: Array) -> Array:
        return softplus(z) - y * z

    def _values_gradient(self, y: Array, z: Array) -> Array:
        return sigmoid(z) - y


class SigmoidMeanSquaredError(Loss):
    """Squared error on a sigmoid output: ℓ = (σ(z) − y)², y ∈ [0, 1].

    Not a likelihood for 0/1 labels; it is here to show a trap. Its gradient
    2(σ(z) − y)·σ(z)(1 − σ(z)) vanishes when the sigmoid saturates, so a confidently wrong output
    (z far on the wrong side) barely learns, where binary cross-entropy's gradient σ(z) − y stays
    large.
    """

    name = "sigmoid_mean_squared_error"
    title = "Squared error on a sigmoid (a trap)"
    link = SIGMOID
    target = "binary"
    distribution = "Gaussian on a probability (not a likelihood for 0/1 labels)"
    formula = "L = (1/n) Σᵢ (yᵢ − p̂ᵢ)²,   p̂ = σ(z)"
    when_to_use = (
        "Never for classification, but worth seeing once: its gradient carries a factor "
        "σ(z)(1 − σ(z)) that vanishes when the sigmoid saturates, so a confidently wrong "
        "prediction learns slowly. Binary cross-entropy cancels that factor."
    )
    trap = True

    def _values(self, y: Array, z: Array) -> Array:
        d = sigmoid(z) - y
        return d * d

    def _values_gradient(self, y: Array, z: Array) -> Array:
        p = sigmoid(z)
        return 2.0 * (p - y) * p * (1.0 - p)


class PositiveOnlyCrossEntropy(Loss):
    """Binary cross-entropy with its (1 − y) term dropped, as some tutorials write it (a trap).

    ℓ = −y·log σ(z) = y·softplus(−z). Nothing penalises p → 1 on a 0 label, so predicting 1 for
    every point minimises it: the gradient is y·(σ(z) − 1), never positive.
    """

    name = "positive_only_cross_entropy"
    title = "Cross-entropy without its (1 − y) term (a trap)"
    link = SIGMOID
    target = "binary"
    distribution = "none: half of the Bernoulli likelihood"
    formula = "L = −(1/n) Σᵢ yᵢ·log p̂ᵢ,   p̂ = σ(z)   (the (1 − yᵢ)·log(1 − p̂ᵢ) term is missing)"
    when_to_use = (
        "Never: it is the binary cross-entropy formula with the (1 − y)·log(1 − p) term lost, "
        "a slip found in tutorials. Only the positive labels are scored, so the model learns to "
        "call every point positive."
    )
    trap = True

    def _values(self, y: Array, z: Array) -> Array:
        return y * softplus(-z)

    def _values_gradient(self, y: Array, z: Array) -> Array:
        return y * (sigmoid(z) - 1.0)


def _signed(y: Array) -> Array:
    """Labels in {−1, +1}; 0 is read as −1 so that 0/1 labels work unchanged."""
    return np.where(y > 0.0, 1.0, -1.0)


class Hinge(Loss):
    """Hinge loss on a raw score, labels t ∈ {−1, +1} (0 read as −1): ℓ = max(0, 1 − t·z)."""

    name = "hinge"
    title = "Hinge loss"
    link = SCORE
    target = "signed_binary"
    distribution = "none (margin-based, from support vector machines)"
    formula = "L = (1/n) Σᵢ max(0, 1 − tᵢ·zᵢ),   t ∈ {−1, +1}"
    when_to_use = (
        "Binary classification when only the decision matters, not a probability: it stops "
        "pushing once a point is beyond the margin (t·z ≥ 1). Not a likelihood, so z is not a "
        "calibrated probability."
    )

    def _values(self, y: Array, z: Array) -> Array:
        return np.maximum(0.0, 1.0 - _signed(y) * z)

    def _values_gradient(self, y: Array, z: Array) -> Array:
        t = _signed(y)
        return np.where(1.0 - t * z > 0.0, -t, 0.0)


class SquaredHinge(Loss):
    """Squared hinge loss, labels t ∈ {−1, +1} (0 read as −1): ℓ = max(0, 1 − t·z)²."""

    name = "squared_hinge"
    title = "Squared hinge loss"
    link = SCORE
    target = "signed_binary"
    distribution = "none (margin-based, from support vector machines)"
    formula = "L = (1/n) Σᵢ max(0, 1 − tᵢ·zᵢ)²,   t ∈ {−1, +1}"
    when_to_use = (
        "Like hinge but smooth at the margin and harsher on large violations; a margin-based "
        "alternative to binary cross-entropy when calibrated probabilities are not needed."
    )

    def _values(self, y: Array, z: Array) -> Array:
        m = np.maximum(0.0, 1.0 - _signed(y) * z)
        return m * m

    def _values_gradient(self, y: Array, z: Array) -> Array:
        t = _signed(y)
        return -2.0 * t * np.maximum(0.0, 1.0 - t * z)


# -- distributions over K classes -----------------------------------------------------------------
class CategoricalCrossEntropy(Loss):
    """Categorical cross-entropy on logits, rows y summing to 1: ℓ = −Σₖ yₖ·log softmax(z)ₖ."""

    name = "categorical_cross_entropy"
    title = "Categorical cross-entropy"
    link: Softmax = SOFTMAX
    target = "onehot"
    distribution = "categorical"
    formula = "L = −(1/n) Σᵢ Σₖ yᵢₖ·log p̂ᵢₖ,   p̂ = softmax(z)"
    when_to_use = (
        "One of K classes, targets one-hot (or soft) rows: the negative log-likelihood of a "
        "categorical distribution whose probabilities come from softmax."
    )
    sums_over_classes = True

    def _values(self, y: Array, z: Array) -> Array:
        out: Array = -np.sum(y * log_softmax(z, axis=1), axis=1)
        return out

    def _values_gradient(self, y: Array, z: Array) -> Array:
        # ∂/∂z of −Σₖ yₖ(zₖ − logsumexp z) = (Σₖ yₖ)·softmax(z) − y; Σₖ yₖ = 1 for a distribution.
        out: Array = np.sum(y, axis=1, keepdims=True) * softmax(z, axis=1) - y
        return out

    def log_predict(self, logits: ArrayLike) -> Array:
        """log `predict`(logits), computed stably: the log-probabilities the loss scores, whose
        cross-entropy with a target row is that row's loss."""
        return self.link.log_inverse(logits)


class SparseCategoricalCrossEntropy(CategoricalCrossEntropy):
    """Categorical cross-entropy with integer labels yᵢ ∈ {0, …, K−1} of shape (n,).

    ℓᵢ = −log pᵢ,yᵢ with pᵢ = softmax(zᵢ).
    """

    name = "sparse_categorical_cross_entropy"
    title = "Sparse categorical cross-entropy"
    target = "sparse"
    formula = "L = −(1/n) Σᵢ log p̂ᵢ,yᵢ,   p̂ = softmax(z),   yᵢ ∈ {0, …, K−1}"
    when_to_use = (
        "The same loss as categorical cross-entropy when the labels are class indices rather than "
        "one-hot rows: it reads one log-probability per sample."
    )

    def _check(self, y_true: ArrayLike, logits: ArrayLike) -> tuple[Array, Array]:
        y = np.asarray(y_true)
        z = as_float_array(logits)
        if z.size == 0:
            raise ValueError(f"{self.name}: the batch is empty (shape {z.shape}); no mean to take")
        if z.ndim != 2 or y.shape != (z.shape[0],):
            raise ValueError(
                f"{self.name}: y_true has shape {y.shape} but logits have shape {z.shape}; "
                "expected integer labels of shape (n,) and logits of shape (n, classes)"
            )
        if y.size and (
            not np.all(np.isfinite(y.astype(np.float64)))
            or np.any(y != np.round(y))
            or y.min() < 0
            or y.max() >= z.shape[1]
        ):
            raise ValueError(
                f"{self.name}: labels must be whole numbers from 0 to {z.shape[1] - 1}"
            )
        return y.astype(np.intp), z

    def _values(self, y: Array, z: Array) -> Array:
        out: Array = -log_softmax(z, axis=1)[np.arange(z.shape[0]), y]
        return out

    def _values_gradient(self, y: Array, z: Array) -> Array:
        g = softmax(z, axis=1)
        g[np.arange(z.shape[0]), y] -= 1.0
        return g


class KLDivergence(CategoricalCrossEntropy):
    """KL(P‖Q) per row, P = y_true (probability rows), Q = softmax(z); 0·log 0 = 0.

    ℓ = Σₖ pₖ·(log pₖ − log qₖ) = cross-entropy − H(P): the same gradient as categorical
    cross-entropy, shifted by the constant entropy of the targets, so it is 0 at a perfect fit.
    """

    name = "kl_divergence"
    title = "KL divergence"
    target = "distribution"
    formula = "L = (1/n) Σᵢ Σₖ pᵢₖ·log(pᵢₖ / q̂ᵢₖ),   q̂ = softmax(z)"
    when_to_use = (
        "Targets that are whole probability distributions (soft labels, a teacher's outputs): "
        "it equals cross-entropy minus the targets' own entropy, so it reaches 0 at a perfect fit."
    )

    def _values(self, y: Array, z: Array) -> Array:
        positive = y > 0.0
        p_log_p = np.where(positive, y * np.log(np.where(positive, y, 1.0)), 0.0)
        # KL ≥ 0; rounding can leave −1e-17 at a perfect fit, which a learner would read as "−0".
        out: Array = np.maximum(np.sum(p_log_p - y * log_softmax(z, axis=1), axis=1), 0.0)
        return out


class DoubleSoftmaxCrossEntropy(CategoricalCrossEntropy):
    """Categorical cross-entropy after a softmax layer: softmax applied twice (a trap).

    s = softmax(z), q = softmax(s), ℓ = −Σₖ yₖ·log qₖ = logsumexp(s) − Σₖ yₖ·sₖ for rows y summing
    to 1. Each sₖ lies in (0, 1), so q is squashed towards uniform: no qₖ can pass
    e/(e + K − 1) (58% for K = 3), the loss cannot fall below −log of that, and the gradient
    reaches z through the softmax's Jacobian, diag(s) − s·sᵀ, which shrinks it.
    """

    name = "double_softmax_cross_entropy"
    title = "Cross-entropy after a softmax layer (a trap)"
    link = DOUBLE_SOFTMAX
    formula = "L = −(1/n) Σᵢ Σₖ yᵢₖ·log q̂ᵢₖ,   q̂ = softmax(softmax(z))"
    when_to_use = (
        "Never: it is what a softmax layer in front of a loss that applies log_softmax itself "
        "(nn.CrossEntropyLoss, from_logits=True) computes. The second softmax sees numbers in "
        "(0, 1), so no probability can pass e/(e + K − 1) and the model learns slowly."
    )
    trap = True

    def _values(self, y: Array, z: Array) -> Array:
        out: Array = -np.sum(y * self.log_predict(z), axis=1)
        return out

    def _values_gradient(self, y: Array, z: Array) -> Array:
        s = softmax(z, axis=1)
        g = np.sum(y, axis=1, keepdims=True) * softmax(s, axis=1) - y  # ∂ℓ/∂s
        # Back through s = softmax(z): ∂ℓ/∂zⱼ = sⱼ·(gⱼ − Σₖ sₖ·gₖ).
        out: Array = s * (g - np.sum(s * g, axis=1, keepdims=True))
        return out


class MultilabelSoftmaxCrossEntropy(Loss):
    """A softmax over several 0/1 labels, scored by cross-entropy with the labels shared out
    (a trap): w = y / max(Σₖ yₖ, 1), ℓ = −Σₖ wₖ·log softmax(z)ₖ.

    The K probabilities share one unit of mass, so labels compete: two labels that are both on
    can each reach at most ½, and none passes the 0.5 threshold; an example with no label on
    contributes nothing (ℓ = 0), since a softmax cannot say "none".
    """

    name = "multilabel_softmax_cross_entropy"
    title = "Softmax over the labels (a trap)"
    link = SOFTMAX
    target = "multihot"
    distribution = "categorical: one label per example (the labels compete)"
    formula = "L = −(1/n) Σᵢ Σₖ wᵢₖ·log p̂ᵢₖ,   wᵢ = yᵢ / max(Σₖ yᵢₖ, 1),   p̂ = softmax(z)"
    when_to_use = (
        "Never for multi-label data: a softmax makes the labels compete for one unit of "
        "probability, so two labels that are both on cannot both pass 0.5. One sigmoid per "
        "label (binary_cross_entropy) scores each label on its own."
    )
    trap = True
    sums_over_classes = True

    @staticmethod
    def _weights(y: Array) -> Array:
        out: Array = y / np.maximum(np.sum(y, axis=1, keepdims=True), 1.0)
        return out

    def _values(self, y: Array, z: Array) -> Array:
        out: Array = -np.sum(self._weights(y) * log_softmax(z, axis=1), axis=1)
        return out

    def _values_gradient(self, y: Array, z: Array) -> Array:
        w = self._weights(y)
        out: Array = np.sum(w, axis=1, keepdims=True) * softmax(z, axis=1) - w
        return out


# -- densities: samples without inputs -----------------------------------------------------------
_LOG_2PI = math.log(2.0 * math.pi)
#: log σ is floored at LOG_SIGMA_MIN (σ ≥ 0.001; see `links.LOG_SIGMA_MIN`), where σ's link
#: floors it too: the loss and the prediction read the same σ.
_floored = floored


class DensityLoss(Loss):
    """The negative log-likelihood of samples under a parametric density, ℓ = −log p(y | θ).

    Density estimation has samples and no inputs, so the model's logits are the density's
    parameters θ, one row (n, k) per sample (a model on zero inputs gives every row its bias).
    y_true holds the samples, shape (n, 1) or (n,); the mean is taken over samples. Subclasses
    define `_values` and `_values_gradient` as every loss does and name their parameters;
    `predict` gives the parameters in natural form (σ rather than log σ).
    """

    target = "samples"
    sums_over_classes = True
    #: Names of the columns of the logits, e.g. ("μ", "log σ").
    parameter_names: tuple[str, ...] = ()

    @property
    def pairing(self) -> str:
        """The loss alone: a density's parameters have their own links, named in the formula."""
        return self.title

    @property
    def n_parameters(self) -> int:
        """How many outputs the model needs: one per parameter of the density."""
        return len(self.parameter_names)

    def _check(self, y_true: ArrayLike, logits: ArrayLike) -> tuple[Array, Array]:
        y = as_float_array(y_true)
        z = as_float_array(logits)
        if z.size == 0:
            raise ValueError(f"{self.name}: the batch is empty (shape {z.shape}); no mean to take")
        if z.ndim != 2 or z.shape[1] != self.n_parameters or y.reshape(-1).shape[0] != len(z):
            raise ValueError(
                f"{self.name}: y_true has shape {y.shape} but logits have shape {z.shape}; "
                f"expected samples of shape (n, 1) and logits of shape (n, {self.n_parameters})"
            )
        return y.reshape(-1, 1), z

    def initial_bias(
        self, n_outputs: int, rng: np.random.Generator, y_train: Array | None = None
    ) -> Array | None:
        """Where SGD starts, θ of shape (k,): a standard shape (N(0, 1)), not the answer."""
        return np.zeros(self.n_parameters)

    def log_pdf(self, samples: ArrayLike, theta: ArrayLike) -> Array:
        """log p(x | θ) at each sample, (m,), for one parameter vector θ of shape (k,)."""
        x = as_float_array(samples).reshape(-1, 1)
        z = np.broadcast_to(as_float_array(theta), (len(x), self.n_parameters))
        return -self._values(x, z)

    def pdf(self, samples: ArrayLike, theta: ArrayLike) -> Array:
        """p(x | θ) at each sample, (m,)."""
        return np.exp(self.log_pdf(samples, theta))

    def closed_form(self, samples: ArrayLike) -> Array | None:
        """The maximum-likelihood θ of the samples in closed form, (k,); None when there is none."""
        return None

    def describe(self, theta: ArrayLike) -> str:
        """The density with parameters θ in one line, e.g. "Gaussian μ = 1.5, σ = 0.7"."""
        raise NotImplementedError


def gaussian_mle(samples: ArrayLike) -> tuple[float, float]:
    """(μ̂, σ̂): the closed-form maximum-likelihood mean and standard deviation (σ̂ divides by n)."""
    x = as_float_array(samples).reshape(-1)
    mu = float(np.mean(x))
    return mu, float(np.sqrt(np.mean((x - mu) ** 2)))


class GaussianNLL(DensityLoss):
    """Gaussian negative log-likelihood, θ = (μ, log σ) (log σ keeps σ positive under SGD).

    ℓ = ½ log 2π + log σ + (y − μ)² / (2σ²)
    ∂ℓ/∂μ = −(y − μ) / σ²        ∂ℓ/∂log σ = 1 − (y − μ)² / σ²
    PyTorch's GaussianNLLLoss(full=True) with var = σ² gives the same value. σ ≥ 0.001.
    """

    name = "gaussian_nll"
    title = "Gaussian negative log-likelihood"
    link = GAUSSIAN
    distribution = "Gaussian"
    formula = "L = (1/n) Σᵢ [½ log 2π + log σ + (xᵢ − μ)² / (2σ²)],   σ = exp(log σ)"
    when_to_use = (
        "Samples from one bell-shaped bump: fit μ and σ by maximum likelihood. SGD and the closed "
        "form (μ̂ = mean, σ̂ = standard deviation) reach the same answer."
    )
    parameter_names = ("μ", "log σ")

    def _values(self, y: Array, z: Array) -> Array:
        log_sigma, _ = _floored(z[:, 1])
        r = (y[:, 0] - z[:, 0]) * np.exp(-log_sigma)
        return 0.5 * _LOG_2PI + log_sigma + 0.5 * r * r

    def _values_gradient(self, y: Array, z: Array) -> Array:
        log_sigma, above = _floored(z[:, 1])
        inv_var = np.exp(-2.0 * log_sigma)
        d = y[:, 0] - z[:, 0]
        return np.stack([-d * inv_var, (1.0 - d * d * inv_var) * above], axis=1)

    def closed_form(self, samples: ArrayLike) -> Array | None:
        mu, sigma = gaussian_mle(samples)
        return np.array([mu, math.log(sigma)]) if sigma > 0.0 else None

    def describe(self, theta: ArrayLike) -> str:
        mu, sigma = self.predict(theta)
        return f"Gaussian μ = {mu:.3g}, σ = {sigma:.3g}"


class GaussianMixtureNLL(DensityLoss):
    """Negative log-likelihood of a two-Gaussian mixture p(y) = π N(y; μ₁, σ₁²) + (1 − π)
    N(y; μ₂, σ₂²), θ = (logit π, μ₁, μ₂, log σ₁, log σ₂).

    ℓ = −log Σₖ exp(log πₖ + log N(y; μₖ, σₖ²)), a log-sum-exp over the two components.
    With responsibilities rₖ = πₖ N(y; μₖ, σₖ²) / p(y):
    ∂ℓ/∂logit π = −(r₁ − π)   ∂ℓ/∂μₖ = −rₖ (y − μₖ) / σₖ²   ∂ℓ/∂log σₖ = −rₖ ((y − μₖ)² / σₖ² − 1)
    σₖ ≥ 0.001.
    """

    name = "gaussian_mixture_nll"
    title = "Two-Gaussian mixture negative log-likelihood"
    link = GAUSSIAN_MIXTURE
    distribution = "mixture of two Gaussians"
    formula = (
        "L = −(1/n) Σᵢ log[π·N(xᵢ; μ₁, σ₁²) + (1 − π)·N(xᵢ; μ₂, σ₂²)],   "
        "π = σ(logit π),   σₖ = exp(log σₖ)"
    )
    when_to_use = (
        "Samples with two bumps, which one Gaussian cannot fit. There is no closed form; SGD (or "
        "EM) finds a local optimum that depends on where it starts."
    )
    parameter_names = ("logit π", "μ₁", "μ₂", "log σ₁", "log σ₂")

    def _log_joint(self, y: Array, z: Array) -> Array:
        """log πₖ + log N(y; μₖ, σₖ²), shape (n, 2)."""
        logit = z[:, :1]
        log_w = np.concatenate([log_sigmoid(logit), log_sigmoid(-logit)], axis=1)
        log_sigma, _ = _floored(z[:, 3:5])
        r = (y - z[:, 1:3]) * np.exp(-log_sigma)
        return log_w - 0.5 * _LOG_2PI - log_sigma - 0.5 * r * r

    def _values(self, y: Array, z: Array) -> Array:
        return -logsumexp(self._log_joint(y, z), axis=1)

    def _values_gradient(self, y: Array, z: Array) -> Array:
        joint = self._log_joint(y, z)
        r = np.exp(joint - logsumexp(joint, axis=1, keepdims=True))  # responsibilities (n, 2)
        log_sigma, above = _floored(z[:, 3:5])
        inv_var = np.exp(-2.0 * log_sigma)
        d = y - z[:, 1:3]
        return np.concatenate(
            [
                -(r[:, :1] - sigmoid(z[:, :1])),
                -r * d * inv_var,
                -r * (d * d * inv_var - 1.0) * above,
            ],
            axis=1,
        )

    def initial_bias(
        self, n_outputs: int, rng: np.random.Generator, y_train: Array | None = None
    ) -> Array | None:
        """Equal weights, unit widths and two random means, sorted (so the components differ)."""
        mu = np.sort(rng.normal(0.0, 1.0, size=2))
        return np.array([0.0, mu[0], mu[1], 0.0, 0.0])

    def describe(self, theta: ArrayLike) -> str:
        pi, mu1, mu2, s1, s2 = self.predict(theta)
        return f"{pi:.2f}·N({mu1:.3g}, {s1:.3g}²) + {1.0 - pi:.2f}·N({mu2:.3g}, {s2:.3g}²)"


#: Every loss by its snake_case name.
LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        MeanSquaredError(),
        MeanAbsoluteError(),
        Huber(),
        MeanSquaredLogarithmicError(),
        LogTargetSquaredError(),
        Poisson(),
        BinaryCrossEntropy(),
        SigmoidMeanSquaredError(),
        PositiveOnlyCrossEntropy(),
        Hinge(),
        SquaredHinge(),
        CategoricalCrossEntropy(),
        SparseCategoricalCrossEntropy(),
        KLDivergence(),
        DoubleSoftmaxCrossEntropy(),
        MultilabelSoftmaxCrossEntropy(),
        GaussianNLL(),
        GaussianMixtureNLL(),
    )
}


#: Short names people type, mapped to `LOSSES` keys (PyTorch's and Keras' spellings among them).
LOSS_ALIASES: dict[str, str] = {
    "mse": "mean_squared_error",
    "l2": "mean_squared_error",
    "mae": "mean_absolute_error",
    "l1": "mean_absolute_error",
    "msle": "mean_squared_logarithmic_error",
    "bce": "binary_cross_entropy",
    "log_loss": "binary_cross_entropy",
    "logloss": "binary_cross_entropy",
    "binary_crossentropy": "binary_cross_entropy",
    "cce": "categorical_cross_entropy",
    "cross_entropy": "categorical_cross_entropy",
    "categorical_crossentropy": "categorical_cross_entropy",
    "sparse_categorical_crossentropy": "sparse_categorical_cross_entropy",
    "kl": "kl_divergence",
    "kld": "kl_divergence",
    "kullback_leibler_divergence": "kl_divergence",
    "smooth_l1": "huber",
    "nll": "gaussian_nll",
    "gaussian_nll_loss": "gaussian_nll",
}


def resolve_loss_name(name: str) -> str:
    """The `LOSSES` key for `name`, accepting aliases such as "mse" and "bce", any case, and
    dashes or spaces for underscores; `name` unchanged when it is not a known loss."""
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    key = LOSS_ALIASES.get(key, key)
    return key if key in LOSSES else name


def get_loss(name: str) -> Loss:
    """The loss called `name` (or an alias, see `resolve_loss_name`); ValueError listing the
    allowed names otherwise."""
    try:
        return LOSSES[resolve_loss_name(name)]
    except KeyError:
        raise ValueError(f"unknown loss {name!r}; choose one of: {', '.join(LOSSES)}") from None
