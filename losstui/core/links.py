"""Output links: what a model's pre-activation output z means, one object per link.

After scikit-learn's `sklearn/_loss/link.py`: a link g maps a prediction in target space to the
logit, z = g(ŷ), and its inverse gives the prediction, ŷ = g⁻¹(z). Each loss holds one link
(`Loss.link`) and everything that follows from it lives here: the prediction (`inverse`), the
decision rule (`on`, `classes`), the probability cap (`cap`), how a class probability Q is read
from an output that may not be one (`bernoulli`, `categorical`), and a sentence for a reader
(`meaning`). What a task makes of those (one yes/no per output, or one class among the
outputs) is the Task's business (`losstui.core.tasks`).

Every array is float64; logits z have shape (n, k) unless a method says otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from losstui.core.numerics import (
    Array,
    as_float_array,
    log_sigmoid,
    log_softmax,
    safe_exp,
    sigmoid,
    softmax,
)
from losstui.core.text import format_probability

#: A Q read from outputs, (n, G, K); its log, same shape; how it was read (None: Q is the output).
Reading = tuple[Array, Array, str | None]
#: (the per-class numbers Q was made from (n, K), what they are, "sum" or "softmax"), or Nones.
BeforeQ = tuple[Array | None, str | None, str | None]

#: log σ is floored here (σ ≥ 0.001), as PyTorch's GaussianNLLLoss floors the variance and
#: scikit-learn's GaussianMixture adds reg_covar: a component that shrinks onto one sample would
#: otherwise push the likelihood to infinity. Below the floor the gradient in log σ is 0.
LOG_SIGMA_MIN = math.log(1e-3)


class Link:
    """The identity link, ŷ = z, and the base of every link.

    Attributes: `name`, the output activation as the app names it ("linear", "sigmoid",
    "softmax", "exp"; several links share a name); `title` and `formula` in plain Unicode;
    `meaning`, what one output says to a reader; `symbol`, the letter the output is called
    (p, z, ŷ, θ); `threshold`, the logit at which one output switches from class 0 to class 1
    (a raw output compared with labels 0/1 switches at ŷ = 0.5); `probability`, whether the
    outputs are probabilities already; `score`, whether they are margin scores, read as a
    probability through a sigmoid or a softmax.
    """

    __slots__ = ()

    name: str = "linear"
    title: str = "identity"
    formula: str = "ŷ = z"
    meaning: str = "the prediction ŷ itself, on the targets' own scale"
    symbol: str = "ŷ"
    threshold: float = 0.5
    probability: bool = False
    score: bool = False

    # -- the link and its inverse -----------------------------------------------------------
    def inverse(self, z: ArrayLike) -> Array:
        """ŷ = g⁻¹(z): the prediction in target space, same shape as z (a new array)."""
        out: Array = as_float_array(z).copy()
        return out

    def link(self, y: ArrayLike) -> Array:
        """z = g(ŷ): the logit that predicts ŷ, same shape (where g is one-to-one)."""
        out: Array = as_float_array(y).copy()
        return out

    @property
    def value(self) -> bool:
        """Whether the output is a plain value (neither a probability nor a margin score): as a
        class probability it is read by clipping to [0, 1]."""
        return not (self.probability or self.score)

    # -- decisions ---------------------------------------------------------------------------
    def on(self, z: ArrayLike) -> NDArray[np.bool_]:
        """Each output's own yes/no, same shape as z: z > `threshold`."""
        out: NDArray[np.bool_] = as_float_array(z) > self.threshold
        return out

    def classes(self, z: ArrayLike) -> NDArray[np.intp]:
        """One class among the k outputs of each row, (n,): the largest logit. Every inverse
        here is increasing in each output, so that is the largest prediction too."""
        out: NDArray[np.intp] = np.argmax(as_float_array(z), axis=1)
        return out

    def cap(self, k: int) -> float:
        """The largest probability the link can give one of k classes: 1 unless it squashes."""
        return 1.0

    # -- the output read as a class probability Q ----------------------------------------------
    def bernoulli(self, z: Array) -> Reading:
        """Q of shape (n, k, 2) (absent, present) with one yes/no per output, read so that the
        likelier outcome is the decision `on` makes: here the output clipped to [0, 1]."""
        q1 = np.clip(self.inverse(z), 0.0, 1.0)
        return _logged(np.stack([1.0 - q1, q1], axis=-1), self._bernoulli_reading)

    _bernoulli_reading = "the output ŷ read as Q(1), clipped to [0, 1]"

    def categorical(self, z: Array) -> Reading:
        """Q of shape (n, 1, k): one class among the k outputs, read so that the likeliest class
        is the decision `classes` makes: here the outputs clipped to [0, 1], divided by their sum
        (uniform where all are 0)."""
        raw = np.clip(self.inverse(z), 0.0, 1.0)
        total = raw.sum(axis=1, keepdims=True)
        k = raw.shape[1]
        q = np.where(total > 0.0, raw / np.where(total > 0.0, total, 1.0), 1.0 / k)[:, None, :]
        return _logged(q, self._categorical_reading)

    _categorical_reading = "the outputs clipped to [0, 1] and divided by their sum"

    def before_categorical(self, z: Array) -> BeforeQ:
        """The per-class numbers `categorical` made Q from, (n, k), what they are and how Q is
        made of them ("sum" or "softmax"); Nones where Q is the output itself."""
        raw = np.clip(np.asarray(self.inverse(z), dtype=np.float64), 0.0, 1.0)
        return raw, self._before_name, "sum"

    _before_name = "outputs clipped to [0, 1]"

    def bernoulli_blank(self, unsure: float) -> str:
        """Where a one-output Q is below `unsure`, said in the output: a band around the switch."""
        return f"{1 - unsure:g}<{self.symbol}<{unsure:g}"

    def categorical_blank(self, unsure: float) -> str:
        """Where the likeliest class's Q (`categorical`) is below `unsure`, said in the output."""
        return f"top {self.symbol}/Σ{self.symbol}<{unsure:g}"

    def __repr__(self) -> str:
        return f"<Link {type(self).__name__} ({self.name})>"


def _logged(q: Array, reading: str | None) -> Reading:
    """(Q, log Q, reading); log 0 = −∞ without a warning."""
    with np.errstate(divide="ignore"):
        log_q = np.log(q)
    return q, log_q, reading


class Identity(Link):
    """ŷ = z: a regression output on the targets' own scale."""

    __slots__ = ()


class ClippedIdentity(Link):
    """ŷ = max(z, 0): a non-negative prediction (mean squared logarithmic error)."""

    __slots__ = ()
    title = "identity clipped at 0"
    formula = "ŷ = max(z, 0)"
    meaning = "the prediction ŷ = max(z, 0), never below 0"

    def inverse(self, z: ArrayLike) -> Array:
        return np.maximum(as_float_array(z), 0.0)


class Log(Link):
    """The log link: z = log λ, λ = eᶻ (continued linearly above z = 50, `numerics.safe_exp`).

    One output switches at λ = 0.5, that is z = log 0.5.
    """

    __slots__ = ()
    name = "exp"
    title = "log link"
    formula = "λ = exp(z)"
    meaning = "the rate λ = eᶻ (the mean count), always above 0"
    symbol = "ŷ"
    threshold = math.log(0.5)

    def inverse(self, z: ArrayLike) -> Array:
        return safe_exp(z)

    def link(self, y: ArrayLike) -> Array:
        with np.errstate(divide="ignore"):
            out: Array = np.log(as_float_array(y))
        return out


class Log1p(Link):
    """z = log(1 + ŷ), ŷ = eᶻ − 1 (z capped at 700 so eᶻ stays finite).

    One output switches at z = 0.5, the number every raw output is compared with (not at
    ŷ = 0.5, which would be z = log 1.5).
    """

    __slots__ = ()
    name = "exp"
    title = "log(1 + y) link"
    formula = "ŷ = exp(z) − 1"
    meaning = "the prediction ŷ = eᶻ − 1, read from z = log(1 + ŷ)"

    def inverse(self, z: ArrayLike) -> Array:
        return np.expm1(np.minimum(as_float_array(z), 700.0))

    def link(self, y: ArrayLike) -> Array:
        return np.log1p(as_float_array(y))


class Score(Link):
    """A margin score: the identity, compared with labels −1/+1, so it switches at z = 0.

    Not a probability: where a class probability is needed it is read through a sigmoid (one
    output) or a softmax (several).
    """

    __slots__ = ()
    title = "raw score"
    formula = "score = z"
    meaning = "a margin score: its sign is the class, its size is no probability"
    symbol = "z"
    threshold = 0.0
    score = True

    def bernoulli(self, z: Array) -> Reading:
        # log σ(±z) directly: 1 − σ(z) would round to 0 for a confident model.
        log_q = np.stack([log_sigmoid(-z), log_sigmoid(z)], axis=-1)
        return np.exp(log_q), log_q, "the score z read through a sigmoid, Q(1) = σ(z)"

    def categorical(self, z: Array) -> Reading:
        log_q = log_softmax(z, axis=1)[:, None, :]
        return np.exp(log_q), log_q, "the scores read through a softmax"

    def before_categorical(self, z: Array) -> BeforeQ:
        return None, None, None

    def bernoulli_blank(self, unsure: float) -> str:
        # Q(1) = σ(z): σ(z) ∈ (1 − unsure, unsure) where |z| < logit(unsure).
        return f"|z|<{math.log(unsure / (1 - unsure)):.2f}"

    def categorical_blank(self, unsure: float) -> str:
        return f"top softmax(z)<{unsure:g}"


class Sigmoid(Link):
    """The logit link: z = log(p / (1 − p)), p = σ(z) = 1 / (1 + e⁻ᶻ); p = 0.5 at z = 0."""

    __slots__ = ()
    name = "sigmoid"
    title = "sigmoid"
    formula = "p = σ(z) = 1 / (1 + e⁻ᶻ)"
    meaning = "the probability of class 1 (of each label, where there are several)"
    symbol = "p"
    threshold = 0.0
    probability = True

    def inverse(self, z: ArrayLike) -> Array:
        return sigmoid(z)

    def link(self, y: ArrayLike) -> Array:
        p = as_float_array(y)
        with np.errstate(divide="ignore"):
            out: Array = np.log(p) - np.log1p(-p)
        return out

    def bernoulli(self, z: Array) -> Reading:
        # log σ(±z) directly: 1 − σ(z) would round to 0 for a confident model.
        log_q = np.stack([log_sigmoid(-z), log_sigmoid(z)], axis=-1)
        return np.exp(log_q), log_q, None

    _categorical_reading = "the K sigmoid outputs divided by their sum"
    _before_name = "sigmoid outputs"


class Softmax(Link):
    """The multinomial logit: pₖ = eᶻᵏ / Σⱼ eᶻʲ along the last axis; each row sums to 1.

    Its link is defined up to a constant per row; `link` gives the one whose row sums to 0,
    zₖ = log pₖ − mean log p. One output is on when its share passes ½ (`on`); `threshold`
    (z = 0) is not used by any decision.
    """

    __slots__ = ()
    name = "softmax"
    title = "softmax"
    formula = "pₖ = exp(zₖ) / Σⱼ exp(zⱼ)"
    meaning = "the probability of each class; a row's probabilities sum to 1"
    symbol = "p"
    threshold = 0.0
    probability = True

    def inverse(self, z: ArrayLike) -> Array:
        return softmax(z, axis=-1)

    def log_inverse(self, z: ArrayLike) -> Array:
        """log `inverse`(z), computed stably: the log-probabilities a cross-entropy scores."""
        return log_softmax(as_float_array(z), axis=-1)

    def link(self, y: ArrayLike) -> Array:
        with np.errstate(divide="ignore"):
            log_p = np.log(as_float_array(y))
        out: Array = log_p - np.mean(log_p, axis=-1, keepdims=True)
        return out

    def on(self, z: ArrayLike) -> NDArray[np.bool_]:
        """A softmax shares one unit among the outputs: each is on when its share passes ½."""
        out: NDArray[np.bool_] = self.inverse(z) > 0.5
        return out

    def categorical(self, z: Array) -> Reading:
        """Q is the distribution the loss scores: its cross-entropy with P is the loss."""
        log_q = self.log_inverse(z)[:, None, :]
        return np.exp(log_q), log_q, None

    def before_categorical(self, z: Array) -> BeforeQ:
        return None, None, None

    _bernoulli_reading = "each label's share of one softmax read as Q(present); the shares sum to 1"

    def categorical_blank(self, unsure: float) -> str:
        return f"top p<{unsure:g}"


class DoubleSoftmax(Softmax):
    """A softmax applied twice, q = softmax(softmax(z)) (a trap): each softmax output lies in
    (0, 1), so the second softmax cannot give any class more than e/(e + K − 1)."""

    __slots__ = ()
    title = "softmax of a softmax"
    formula = "q = softmax(softmax(z))"
    meaning = (
        "the probability of each class, squashed by a second softmax: never above e/(e + K − 1)"
    )

    def inverse(self, z: ArrayLike) -> Array:
        return softmax(softmax(z, axis=-1), axis=-1)

    def log_inverse(self, z: ArrayLike) -> Array:
        """log softmax(softmax(z)): the distribution the loss scores, not the softmax layer's."""
        return log_softmax(softmax(as_float_array(z), axis=-1), axis=-1)

    def link(self, y: ArrayLike) -> Array:
        raise ValueError("a softmax of a softmax is not one-to-one onto the probabilities")

    def cap(self, k: int) -> float:
        """e/(e + k − 1): the second softmax of a one-hot row, the most extreme a softmax
        layer's output can be."""
        return math.e / (math.e + k - 1)

    def categorical(self, z: Array) -> Reading:
        q, log_q, _ = super().categorical(z)
        k = z.shape[1]
        reading = (
            "softmax(s), the distribution the loss scores; each s lies in (0, 1), so "
            "no Q can pass "
            f"e/(e + {k - 1}) = {format_probability(self.cap(k))}"
        )
        return q, log_q, reading

    def before_categorical(self, z: Array) -> BeforeQ:
        return softmax(z, axis=1), "softmax layer's outputs s", "softmax"


class FlooredExp(Link):
    """σ = exp(max(log σ, LOG_SIGMA_MIN)): a positive scale whose log is floored at log 0.001."""

    __slots__ = ()
    name = "exp"
    title = "floored exp"
    formula = "σ = exp(max(log σ, log 0.001))"
    meaning = "a scale σ = exp(log σ), never below 0.001"
    symbol = "σ"

    def inverse(self, z: ArrayLike) -> Array:
        return safe_exp(floored(as_float_array(z))[0])

    def link(self, y: ArrayLike) -> Array:
        with np.errstate(divide="ignore"):
            out: Array = np.log(as_float_array(y))
        return out


def floored(log_sigma: Array) -> tuple[Array, Array]:
    """(max(log σ, LOG_SIGMA_MIN), 1 where log σ is above the floor else 0)."""
    return np.maximum(log_sigma, LOG_SIGMA_MIN), (log_sigma > LOG_SIGMA_MIN).astype(np.float64)


@dataclass(frozen=True, repr=False)
class ParameterLinks(Link):
    """A density's parameters, each block of columns through its own link: θ = (z₁, …, zₖ) in
    the last axis, `parts` = ((link, width), …) from the first column on.

    For the Gaussian, μ as it is and σ = exp(log σ); for a mixture also π = σ(logit π).
    """

    parts: tuple[tuple[Link, int], ...]
    meaning: str
    formula: str
    title = "parameter links"
    symbol = "θ"

    def _blocks(self, z: Array, apply: str) -> Array:
        out, start = [], 0
        for part, width in self.parts:
            out.append(getattr(part, apply)(z[..., start : start + width]))
            start += width
        return np.concatenate(out, axis=-1)

    def inverse(self, z: ArrayLike) -> Array:
        """The parameters in natural form, (…, k): each block of z through its link."""
        return self._blocks(as_float_array(z), "inverse")

    def link(self, y: ArrayLike) -> Array:
        return self._blocks(as_float_array(y), "link")


IDENTITY = Identity()
CLIPPED_IDENTITY = ClippedIdentity()
LOG = Log()
LOG1P = Log1p()
SCORE = Score()
SIGMOID = Sigmoid()
SOFTMAX = Softmax()
DOUBLE_SOFTMAX = DoubleSoftmax()
FLOORED_EXP = FlooredExp()
GAUSSIAN = ParameterLinks(
    ((IDENTITY, 1), (FLOORED_EXP, 1)),
    "the Gaussian's mean μ and its spread σ",
    "μ = z₁,   σ = exp(max(log σ, log 0.001))",
)
GAUSSIAN_MIXTURE = ParameterLinks(
    ((SIGMOID, 1), (IDENTITY, 2), (FLOORED_EXP, 2)),
    "the first component's weight π, the two means μ₁ and μ₂ and the two spreads σ₁ and σ₂",
    "π = σ(logit π),   μₖ = zₖ,   σₖ = exp(max(log σₖ, log 0.001))",
)

#: Every link a loss holds, by a key of its own (names such as "exp" are shared).
LINKS: dict[str, Link] = {
    "identity": IDENTITY,
    "clipped_identity": CLIPPED_IDENTITY,
    "log": LOG,
    "log1p": LOG1P,
    "score": SCORE,
    "sigmoid": SIGMOID,
    "softmax": SOFTMAX,
    "double_softmax": DOUBLE_SOFTMAX,
    "floored_exp": FLOORED_EXP,
    "gaussian": GAUSSIAN,
    "gaussian_mixture": GAUSSIAN_MIXTURE,
}
