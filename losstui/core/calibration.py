"""Calibration: can a classifier's probabilities be trusted? A reliability diagram's numbers.

A model's predicted probability is calibrated when, among the examples it gives probability p,
a fraction p turn out right. The reliability diagram sorts the validation examples into
equal-width bins of predicted probability and sets each bin's mean predicted probability
against the fraction observed; the expected calibration error (ECE) sums the gaps, weighted by
the bins' counts, and the Brier score is the mean squared difference between the predicted
probabilities and the 0/1 outcomes.

What is binned is the class probability Q the app reads from the run
(`diagnostics.classification_data`, the same Q the Distributions pane shows), and what the
outputs are is the loss's link's answer (`Link.probability`, `Link.score`, `Link.value`):

- probabilities (a sigmoid or softmax: cross-entropy, and the double softmax's capped one) are
  binned as they are;
- margin scores (hinge, squared hinge) are no probabilities: nothing is binned, no ECE or Brier
  score is given, and the reading says so;
- plain values (squared error on 0/1 labels) may leave [0, 1]: the outputs outside are counted,
  and the bins read each output clipped to [0, 1], which the reading says.

Pure numpy; every array is float64.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from losstui.core.diagnostics import classification_data
from losstui.core.numerics import Array
from losstui.core.tasks import get_task

if TYPE_CHECKING:
    from losstui.core.run import RunView

#: What the outputs are, as `Reliability.outputs` says it.
PROBABILITY = "probability"
MARGIN = "margin"
VALUE = "value"

#: Equal-width bins on [0, 1] unless a caller asks for others.
BINS = 10

#: An ECE up to this many times what chance alone gives (`ece_by_chance`) is read as
#: "probabilities match frequencies": with a few hundred validation examples in 10 bins,
#: perfectly calibrated probabilities show an ECE of a few hundredths (each bin's observed
#: fraction is a sample), so a gap of that size is no evidence of miscalibration. Outcomes
#: drawn from calibrated probabilities (8 to 500 examples) pass 1.4-1.6 times the chance
#: level one time in 20, and twice it in under 1% of draws.
CHANCE_FACTOR = 2.0

#: An ECE below this is read as a match whatever chance gives: a model sure of nearly every
#: example gives chance almost nothing to do, and a gap under a hundredth is no lesson.
MATCH_ECE = 0.01


@dataclass(frozen=True, eq=False)
class Reliability:
    """A reliability diagram of a classification run's validation set, with its ECE and Brier.

    Conventions. Binary (one output): the predicted probability is Q(class 1) and the outcome
    is whether the label is 1, so the bins span all of [0, 1] and show both classes' errors.
    Multi-class (K outputs): the predicted probability is the confidence, the largest Qₖ of the
    row (the class the run decides), and the outcome is whether that class is right: the
    "top-label" diagram of Guo et al. (2017), one diagram for any K, of the number a decision
    rests on (a per-class diagram would need K of them).

    Shapes: n validation examples, B bins. `edges` (B + 1,) = 0, 1/B, …, 1; bin b holds
    edges[b] ≤ p < edges[b + 1], the last bin also p = 1. `counts` (B,) int;
    `mean_probability` (B,) the mean predicted probability p_b of each bin and `frequency`
    (B,) the fraction f_b of its outcomes that are 1, both NaN where a bin is empty.
    `predicted` (n,) and `observed` (n,) are what is binned, per example (the predicted
    probability, clipped for plain values; the outcome 0 or 1).

    ECE = Σ_b (n_b / n)·|f_b − p_b| over the non-empty bins.
    Brier: binary, mean over examples of (Q(1) − y)², in [0, 1] (scikit-learn's
    brier_score_loss); multi-class, mean over examples of Σₖ (Qₖ − yₖ)² with y one-hot, in
    [0, 2] (Brier's own 1950 definition). The binary form is half the two-class sum.

    For margin scores (`outputs == "margin"`) nothing is binned: `counts` are all 0,
    `predicted`, `ece` and `brier` are None.
    """

    loss_name: str
    loss_title: str
    #: "probability", "margin" or "value" (see the module's docstring).
    outputs: str
    #: True for one output (Q(class 1) against y = 1), False for the top class's confidence.
    binary: bool
    n: int
    n_classes: int
    edges: Array
    counts: NDArray[np.int_]
    mean_probability: Array
    frequency: Array
    predicted: Array | None
    observed: Array
    ece: float | None
    #: The ECE perfectly calibrated probabilities would show by chance on these n examples
    #: (`ece_by_chance`): an ECE near it is no evidence of miscalibration. None for margins.
    ece_chance: float | None
    brier: float | None
    #: The largest probability the link can give one class (`Link.cap`): 1 unless it squashes.
    cap: float
    #: The largest probability the model gives any class on the validation set (of Q, the
    #: clipped reading for plain values); None for margins.
    top: float | None
    #: Mean predicted probability and mean outcome over all n (binary: mean Q(1) and the share
    #: of class 1; multi-class: mean confidence and accuracy); None for margins.
    mean_predicted: float | None
    mean_observed: float | None
    #: The top class's mean Q and the fraction of examples whose top class is right, for both
    #: conventions (what over- and under-confident compare); None for margins.
    mean_confidence: float | None
    accuracy: float | None
    #: How many examples have an output outside [0, 1] (plain values only; 0 otherwise), and
    #: the outputs' range (plain values only; None otherwise).
    outside: int
    output_range: tuple[float, float] | None
    #: How the probability was read from an output that is not one (the link's words), or None.
    reading: str | None
    #: What the axes are: e.g. "Q(class 1)" and "fraction of class 1".
    predicted_name: str
    observed_name: str
    #: One sentence for a student: what the diagram says.
    sentence: str

    @property
    def binned(self) -> bool:
        """Whether the bins hold probabilities to draw (False for margin scores)."""
        return self.predicted is not None

    def rows(self) -> list[tuple[float, float, int, float | None, float | None]]:
        """Each bin as (lower edge, upper edge, count, mean predicted, observed), None where
        the bin is empty."""
        out = []
        for b, count in enumerate(self.counts.tolist()):
            empty = count == 0
            out.append(
                (
                    float(self.edges[b]),
                    float(self.edges[b + 1]),
                    int(count),
                    None if empty else float(self.mean_probability[b]),
                    None if empty else float(self.frequency[b]),
                )
            )
        return out


def supports(kind: str) -> bool:
    """Whether a task kind gets a reliability diagram: one true class per example (binary and
    multi-class), not sets of labels or soft labels."""
    return get_task(kind).true_class


def bin_edges(bins: int = BINS) -> Array:
    """Equal-width edges on [0, 1], (bins + 1,): b/bins for b = 0, …, bins, each the float
    nearest b/bins (so a probability typed as 0.6 sits on the edge 3/5, not below it, as it
    would below linspace's 0.6000000000000001)."""
    if bins < 1:
        raise ValueError(f"bins must be at least 1, not {bins}")
    out: Array = np.arange(bins + 1, dtype=np.float64) / bins
    return out


def bin_index(p: Array, edges: Array) -> NDArray[np.intp]:
    """The bin of each probability p (n,) in [0, 1]: b with edges[b] ≤ p < edges[b + 1], and
    the last bin for p = 1; (n,)."""
    inner = edges[1:-1]
    out: NDArray[np.intp] = np.searchsorted(inner, p, side="right")
    return out


def reliability_bins(
    predicted: Array, observed: Array, bins: int = BINS
) -> tuple[Array, NDArray[np.int_], Array, Array, float]:
    """(edges (B + 1,), counts (B,), mean predicted (B,), observed frequency (B,), ECE) of
    predicted probabilities (n,) in [0, 1] against 0/1 outcomes (n,); NaN for an empty bin's
    means. ECE = Σ_b (n_b / n)·|f_b − p_b|, f_b the bin's observed frequency and p_b its mean
    predicted probability."""
    p = np.asarray(predicted, dtype=np.float64).reshape(-1)
    y = np.asarray(observed, dtype=np.float64).reshape(-1)
    if p.shape != y.shape:
        raise ValueError(f"predicted {p.shape} and observed {y.shape} differ in length")
    if p.size and (p.min() < 0.0 or p.max() > 1.0):
        raise ValueError("predicted probabilities must lie in [0, 1]")
    edges = bin_edges(bins)
    index = bin_index(p, edges)
    counts: NDArray[np.int_] = np.bincount(index, minlength=bins).astype(np.int_)
    sum_p = np.bincount(index, weights=p, minlength=bins)
    sum_y = np.bincount(index, weights=y, minlength=bins)
    full = counts > 0
    safe = np.where(full, counts, 1)
    mean_probability = np.where(full, sum_p / safe, np.nan)
    frequency = np.where(full, sum_y / safe, np.nan)
    n = p.size
    # (n_b / n)·|f_b − p_b| = |Σ y − Σ p| / n over the bin's examples.
    ece = float(np.sum(np.abs(sum_y[full] - sum_p[full])) / n) if n else 0.0
    return edges, counts, mean_probability, frequency, ece


def reliability(run: RunView, bins: int = BINS) -> Reliability:
    """The reliability diagram of `run`'s validation set in `bins` equal-width bins on [0, 1].

    The probability is the app's Q of each validation example (`classification_data`, the Q the
    Distributions pane shows), of shape (n, 1, K): binary, Q(class 1) against y = 1;
    multi-class, the top Qₖ against whether that class is right (see `Reliability`). What the
    outputs are is the loss's link's answer. ValueError for a task without one true class per
    example (`supports`).
    """
    dataset, loss = run.dataset, run.loss
    task = get_task(dataset.kind)
    if not task.true_class:
        raise ValueError(
            f"{task.title} has no single true class per example: no reliability diagram"
        )
    link = loss.link
    data = classification_data(run)
    outputs = MARGIN if link.score else (PROBABILITY if link.probability else VALUE)
    return reliability_of(
        data.q[:, 0, :],
        np.argmax(data.p[:, 0, :], axis=1),
        binary=task.bernoulli,
        bins=bins,
        outputs=outputs,
        cap=float(link.cap(data.q.shape[2])),
        values=data.outputs if outputs == VALUE else None,
        reading=data.q_reading,
        loss_name=loss.name,
        loss_title=loss.title,
        capped_by=link.title,
        positive=data.outcome_names[1] if len(data.outcome_names) > 1 else "class 1",
    )


def reliability_of(
    q: Array,
    classes: NDArray[np.integer] | Array,
    *,
    binary: bool,
    bins: int = BINS,
    outputs: str = PROBABILITY,
    cap: float = 1.0,
    values: Array | None = None,
    reading: str | None = None,
    loss_name: str = "",
    loss_title: str = "",
    capped_by: str = "",
    positive: str = "class 1",
) -> Reliability:
    """The reliability diagram of class probabilities q (n, K) against true classes (n,) ints.

    `binary`: q is (Q(class 0), Q(class 1)) of one output, K = 2, and Q(class 1) is binned
    against y = 1; otherwise the top Qₖ against whether class k is right. `outputs`: what the
    model's outputs are ("probability", "margin": nothing binned, "value": q is the outputs
    clipped to [0, 1]); `values` (n, k): the raw outputs of a "value" run, to count those
    outside [0, 1]; `cap`: the largest probability the link can give (`Link.cap`); `capped_by`:
    the link's title, for the sentence; `positive`: class 1's name.
    """
    q = np.asarray(q, dtype=np.float64)
    classes = np.asarray(classes).astype(np.intp).reshape(-1)
    n, k = q.shape
    if classes.shape != (n,):
        raise ValueError(f"q {q.shape} and classes {classes.shape} differ in length")
    truth = np.eye(k)[classes]  # (n, K), one-hot
    edges = bin_edges(bins)
    if binary:
        predicted_name, observed_name = f"Q({positive})", f"fraction of {positive}"
    else:
        predicted_name, observed_name = "confidence (top class's Q)", "fraction right"

    outside, output_range = 0, None
    if outputs == VALUE and values is not None:
        raw = np.asarray(values, dtype=np.float64)
        outside = int(np.sum(np.any((raw < 0.0) | (raw > 1.0), axis=1)))
        with np.errstate(invalid="ignore"):
            output_range = (float(np.min(raw)), float(np.max(raw)))

    rows = np.arange(n)
    decided = np.argmax(q, axis=1)
    if binary:
        predicted, observed = q[:, 1], truth[:, 1]
    else:
        predicted, observed = q[rows, decided], truth[rows, decided]
    observed = np.asarray(observed, dtype=np.float64)
    common = {
        "loss_name": loss_name,
        "loss_title": loss_title,
        "outputs": outputs,
        "binary": binary,
        "n": n,
        "n_classes": k,
        "edges": edges,
        "observed": observed,
        "cap": cap,
        "outside": outside,
        "output_range": output_range,
        "reading": reading,
        "predicted_name": predicted_name,
        "observed_name": observed_name,
    }

    finite = np.all(np.isfinite(q), axis=1)
    if outputs == MARGIN or not finite.all():
        if outputs == MARGIN:
            title = _lower_first(loss_title) or "this loss"
            sentence = f"Margins, not probabilities: {title} gives no probability to check"
        else:
            sentence = (
                f"{int(np.sum(~finite))} of {n} outputs are not numbers (the run diverged): "
                "no probabilities to check"
            )
        empty = np.full(bins, np.nan)
        return Reliability(
            **common,
            counts=np.zeros(bins, dtype=np.int_),
            mean_probability=empty,
            frequency=empty.copy(),
            predicted=None,
            ece=None,
            ece_chance=None,
            brier=None,
            top=None,
            mean_predicted=None,
            mean_observed=None,
            mean_confidence=None,
            accuracy=None,
            sentence=sentence,
        )

    _, counts, mean_probability, frequency, ece = reliability_bins(predicted, observed, bins)
    chance = ece_by_chance(predicted, bins)
    squared = np.sum((q - truth) ** 2, axis=1)  # (n,)
    brier = float(np.mean(squared) / 2.0) if binary else float(np.mean(squared))
    top = float(np.max(q))
    mean_confidence = float(np.mean(q[rows, decided]))
    accuracy = float(np.mean(truth[rows, decided]))
    sentence = _sentence(
        outputs=outputs,
        binary=binary,
        ece=ece,
        chance=chance,
        cap=cap,
        confidence=mean_confidence,
        accuracy=accuracy,
        outside=outside,
        n=n,
        capped_by=capped_by,
    )
    return Reliability(
        **common,
        counts=counts,
        mean_probability=mean_probability,
        frequency=frequency,
        predicted=np.asarray(predicted, dtype=np.float64),
        ece=ece,
        ece_chance=chance,
        brier=brier,
        top=top,
        mean_predicted=float(np.mean(predicted)),
        mean_observed=float(np.mean(observed)),
        mean_confidence=mean_confidence,
        accuracy=accuracy,
        sentence=sentence,
    )


def ece_by_chance(predicted: Array, bins: int = BINS) -> float:
    """The ECE that perfectly calibrated probabilities `predicted` (n,) would show on average by
    chance alone, each outcome drawn as 1 with its own probability pᵢ: in bin b the observed
    fraction has standard deviation σ_b = √(Σᵢ pᵢ(1 − pᵢ)) / n_b, and a normal gap's mean
    size is σ_b·√(2/π), so ≈ √(2/π)/n · Σ_b √(Σ_{i∈b} pᵢ(1 − pᵢ)). A normal approximation:
    a bin of a few examples reads lower than its exact value."""
    p = np.asarray(predicted, dtype=np.float64).reshape(-1)
    if not p.size:
        return 0.0
    edges = bin_edges(bins)
    spread = np.bincount(bin_index(p, edges), weights=p * (1.0 - p), minlength=bins)
    return float(math.sqrt(2.0 / math.pi) * np.sum(np.sqrt(spread)) / p.size)


def _lower_first(title: str) -> str:
    """ "Hinge loss" → "hinge loss"; an acronym ("KL divergence") keeps its capitals."""
    if len(title) > 1 and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def _sentence(
    *,
    outputs: str,
    binary: bool,
    ece: float,
    chance: float,
    cap: float,
    confidence: float,
    accuracy: float,
    outside: int,
    n: int,
    capped_by: str,
) -> str:
    """One sentence for a student; every number in it is the diagram's own. `confidence` and
    `accuracy`: the top class's mean Q and the fraction of top classes right, over all n;
    `chance`: the ECE of calibrated probabilities by chance (`ece_by_chance`)."""
    if outputs == VALUE:
        read = "clipped to [0, 1]" if binary else "clipped to [0, 1] and divided by their sum"
        if outside:
            which = "outputs" if binary else "examples with outputs"
            return (
                f"{outside} of {n} {which} outside [0, 1]: not probabilities; "
                f"the bins read them {read} (ECE {ece:.3f})"
            )
        return f"Outputs, not probabilities, none outside [0, 1], read {read}: ECE {ece:.3f}"
    if cap < 1.0:
        capped = f"the {capped_by or 'link'} never gives a probability above {_up(cap)}"
        if accuracy > confidence:
            return (
                f"Under-confident: {capped}, yet {_percent(accuracy)} of its decisions are "
                f"right; ECE {ece:.3f}"
            )
        return f"Capped: {capped}; ECE {ece:.3f}"
    if ece < MATCH_ECE:
        return f"Probabilities match frequencies: ECE {ece:.3f}"
    versus = f"ECE {ece:.3f}, where chance alone gives about {chance:.3f} on {n} examples"
    if ece <= CHANCE_FACTOR * chance:
        return f"Probabilities match frequencies within chance: {versus}"
    gap = confidence - accuracy
    if abs(gap) >= ece / 2.0:
        side = "Over-confident" if gap > 0 else "Under-confident"
        sure, right = _percent(confidence), _percent(accuracy)
        if sure == right:  # a gap that whole percentages hide
            sure, right = _percent(confidence, 1), _percent(accuracy, 1)
        return f"{side}: {sure} sure on average, {right} right; {versus}"
    return f"Probabilities stray from frequencies: {versus}"


def _up(value: float) -> str:
    """`value` rounded up to three decimals, so "never above 0.577" stays true of 0.57612."""
    return f"{math.ceil(value * 1000.0) / 1000.0:.3f}"


def _percent(value: float, decimals: int = 0) -> str:
    """A fraction as a percentage: 0.784 → "78%" (decimals=1: "78.4%")."""
    return f"{value:.{decimals}%}"
