"""Entropy, cross-entropy, KL and Jensen-Shannon divergence of discrete distributions.

Conventions: 0·log 0 = 0, and log(p/0) = ∞ for p > 0, so H(P,Q) and KL(P‖Q) are ∞ when Q gives
zero probability to an outcome that P deems possible. `base` sets the unit: e for nats (the
default), 2 for bits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import ArrayLike

from losstui.core.numerics import Array

#: How far from 1 a distribution's sum may be and still count as a distribution.
SUM_TOLERANCE = 1e-6


def _log_base(base: float) -> float:
    if not (math.isfinite(base) and base > 0.0 and base != 1.0):
        raise ValueError(f"base must be a positive number other than 1, got {base!r}")
    return math.log(base)


def validate_distribution(p: ArrayLike, name: str = "p") -> Array:
    """`p` as a float64 vector after checking it is a probability distribution.

    ValueError says which check failed: not 1-D, empty, not finite, negative, or a sum off 1 by
    more than 1e-6.
    """
    arr = np.asarray(p, dtype=np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty list of probabilities, got shape {arr.shape}")
    _check_probabilities(arr, name)
    return arr


def validate_rows(p: ArrayLike, name: str = "P") -> Array:
    """An (n, K) array whose every row is a probability distribution; ValueError otherwise."""
    arr = np.asarray(p, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] == 0:
        raise ValueError(f"{name} must have shape (n, K) with K ≥ 1, got shape {arr.shape}")
    _check_probabilities(arr, name)
    return arr


def _check_probabilities(arr: Array, name: str) -> None:
    """ValueError unless every value is finite and ≥ 0 and each distribution (along the last
    axis) sums to 1 within SUM_TOLERANCE; the message says which check failed."""
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains a value that is not a finite number")
    if np.any(arr < 0.0):
        raise ValueError(f"{name} contains a negative probability ({arr.min():g})")
    totals = arr.sum(axis=-1)
    off = np.abs(totals - 1.0) > SUM_TOLERANCE
    if arr.ndim == 1 and off:
        raise ValueError(f"{name} sums to {float(totals):g}, not 1")
    if np.any(off):
        row = int(np.argmax(off))
        raise ValueError(f"row {row} of {name} sums to {totals[row]:g}, not 1")


def _pair(p: ArrayLike, q: ArrayLike) -> tuple[Array, Array]:
    p = validate_distribution(p, "p")
    q = validate_distribution(q, "q")
    if p.shape != q.shape:
        raise ValueError(f"p has {p.size} outcomes but q has {q.size}; they must have the same")
    return p, q


def _pair_rows(p: ArrayLike, q: ArrayLike) -> tuple[Array, Array]:
    p, q = validate_rows(p, "P"), validate_rows(q, "Q")
    if p.shape != q.shape:
        raise ValueError(f"P has shape {p.shape} but Q has shape {q.shape}; they must match")
    return p, q


def _xlogy_rows(p: Array, q: Array) -> Array:
    """Σₖ pₖ·log qₖ along the last axis, with 0·log q = 0 and p·log 0 = −∞ for p > 0."""
    positive = p > 0.0
    safe_q = np.where(positive, q, 1.0)
    with np.errstate(divide="ignore"):
        logs = np.log(safe_q)
    rows: Array = np.sum(np.where(positive, p * logs, 0.0), axis=-1)
    return rows


def entropy(p: ArrayLike, base: float = math.e) -> float:
    """H(P) = −Σₖ pₖ·log pₖ."""
    lb = _log_base(base)
    p = validate_distribution(p, "p")
    return float(-_xlogy_rows(p, p) / lb) + 0.0  # + 0.0 turns −0.0 into 0.0


def cross_entropy(p: ArrayLike, q: ArrayLike, base: float = math.e) -> float:
    """H(P,Q) = −Σₖ pₖ·log qₖ = H(P) + KL(P‖Q); ∞ if some qₖ = 0 where pₖ > 0."""
    lb = _log_base(base)
    p, q = _pair(p, q)
    return float(-_xlogy_rows(p, q) / lb) + 0.0


def kl_divergence(p: ArrayLike, q: ArrayLike, base: float = math.e) -> float:
    """KL(P‖Q) = Σₖ pₖ·log(pₖ/qₖ) ≥ 0, zero only when P = Q; not symmetric."""
    lb = _log_base(base)
    p, q = _pair(p, q)
    value = float((_xlogy_rows(p, p) - _xlogy_rows(p, q)) / lb)
    return max(value, 0.0)  # rounding can leave −1e-17 where P = Q


def js_divergence(p: ArrayLike, q: ArrayLike, base: float = math.e) -> float:
    """JS(P,Q) = ½·KL(P‖M) + ½·KL(Q‖M), M = ½(P + Q): symmetric, finite, at most log 2."""
    p, q = _pair(p, q)
    m = 0.5 * (p + q)
    return 0.5 * kl_divergence(p, m, base) + 0.5 * kl_divergence(q, m, base)


def entropy_rows(p: ArrayLike, base: float = math.e) -> Array:
    """H of each row of an (n, K) array of distributions; shape (n,)."""
    lb = _log_base(base)
    p = validate_rows(p, "P")
    return -_xlogy_rows(p, p) / lb + 0.0


def cross_entropy_rows(p: ArrayLike, q: ArrayLike, base: float = math.e) -> Array:
    """H(Pᵢ, Qᵢ) row by row for (n, K) arrays; shape (n,)."""
    lb = _log_base(base)
    p, q = _pair_rows(p, q)
    return -_xlogy_rows(p, q) / lb + 0.0


def kl_rows(p: ArrayLike, q: ArrayLike, base: float = math.e) -> Array:
    """KL(Pᵢ‖Qᵢ) row by row for (n, K) arrays; shape (n,)."""
    lb = _log_base(base)
    p, q = _pair_rows(p, q)
    return np.maximum((_xlogy_rows(p, p) - _xlogy_rows(p, q)) / lb, 0.0)


#: The units information is measured in, and the logarithm base each stands for.
UNITS: dict[str, float] = {"bits": 2.0, "nats": math.e}


def unit_base(units: str) -> float:
    """The logarithm base for `units` ("bits" → 2, "nats" → e); ValueError otherwise."""
    try:
        return UNITS[units]
    except KeyError:
        raise ValueError(f"units must be one of {', '.join(UNITS)}, got {units!r}") from None


@dataclass(frozen=True)
class PQMeasures:
    """Every measure of two distributions P and Q, in one unit (bits or nats): the P/Q lab shows
    them and lessons quote them."""

    units: str
    h_p: float
    h_q: float
    h_pq: float
    h_qp: float
    kl_pq: float
    kl_qp: float
    js: float

    @classmethod
    def of(cls, p: Sequence[float], q: Sequence[float], units: str = "bits") -> PQMeasures:
        """The measures of P and Q in `units` ("bits" or "nats")."""
        base = unit_base(units)
        return cls(
            units=units,
            h_p=entropy(p, base),
            h_q=entropy(q, base),
            h_pq=cross_entropy(p, q, base),
            h_qp=cross_entropy(q, p, base),
            kl_pq=kl_divergence(p, q, base),
            kl_qp=kl_divergence(q, p, base),
            js=js_divergence(p, q, base),
        )

    def values(self) -> dict[str, float]:
        """The measures by name (h_p, …, js), without the units."""
        out = asdict(self)
        del out["units"]
        return out
