"""Loss shapes: each loss a problem can train on, drawn against one prediction, with its gradient.

A student reads that squared error through a sigmoid "learns slowly when it saturates"; the
shapes show why: its curve goes flat where the model is confidently wrong, and its gradient with
it. For one example with a target y the student picks, each loss the recommendation lists (the
recommended one, its alternatives, the discouraged ones and the traps, each labelled) is
evaluated along one axis of the prediction:

- real targets (regression, robust, wide range): the residual r = ŷ − y, the prediction
  ŷ = y + r in target space, the raw output z = g(ŷ) through the loss's own link g;
- counts: the predicted rate λ = ŷ, z = g(λ);
- two classes and each label of several: the margin m = s·(z − t), with s = 2y − 1 the label
  as ±1 and t the loss's own decision threshold (0 for a sigmoid or a score, 0.5 for a raw
  output compared with 0/1), or, with `axis="probability"`, the probability p of class 1
  (only for losses whose output is a probability or a value; a margin score has none);
- several classes: the true class's logit z_y, the other K − 1 logits held at 0.

Every value comes from the loss objects of `losstui.core.losses` (`per_sample` and `gradient`
on a batch of one example per axis point), never a second formula: the curve is what training
minimises, and its gradient is ∂ℓ/∂z, the raw output's, which is what SGD follows (for the
softmax losses, the true class's component). Where a point lies outside the link's domain
(ŷ ≤ 0 under a log link) the curve has a gap (NaN).

`rug` places a run's validation examples on the same axis, so the student sees where the model
is on each curve (in the saturated start they sit where squared error's gradient is flat).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from losstui.core.losses import LOSSES, Loss
from losstui.core.numerics import Array
from losstui.core.problems import PROBLEMS, recommend
from losstui.core.run import RunView
from losstui.core.tasks import encode_targets

#: Points along the axis: enough for a smooth curve at any terminal width.
POINTS = 121
#: Classes of the several-classes axis: the true one and two others at logit 0.
CLASSES = 3
#: How each axis is named, for a plot's caption and the headless table.
AXIS_TITLES = {
    "residual": "residual ŷ − y",
    "rate": "predicted rate λ",
    "margin": "margin s·(z − t)",
    "probability": "p = P(class 1)",
    "true_logit": "true class's logit z_y",
}
#: Each axis in a few words, for a plot's caption.
AXIS_WORDS = {
    "residual": "residual ŷ − y",
    "rate": "rate λ",
    "margin": "margin",
    "probability": "probability p",
    "true_logit": "true class's logit",
}
#: What an axis is, where its words do not say it all.
AXIS_DEFINITIONS = {
    "margin": (
        "margin = s·(z − t), s = +1 for y = 1 and −1 for y = 0, t = 0 (0.5 for a raw output "
        "compared with 0/1)"
    ),
    "true_logit": f"the other {CLASSES - 1} logits held at 0",
}


class ShapeError(ValueError):
    """A problem or a target the shapes cannot be drawn for; the message says what is allowed."""


@dataclass(frozen=True)
class Curve:
    """One loss along the axis: ℓ(x) per example, (m,), and ∂ℓ/∂z, (m,); NaN outside the link's
    domain. `role`: "recommended", "alternative", "discouraged" or "trap"."""

    loss: str
    title: str
    role: str
    values: Array
    gradient: Array
    #: How the values are read where the loss adds back a term training drops (the Poisson
    #: loss's log y!, as its history records it); "" otherwise.
    recorded_as: str = ""
    #: The loss's place among the problem's (`losses_of`): a view marks it the same on every
    #: axis, where some losses have no curve.
    slot: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "loss": self.loss,
            "title": self.title,
            "role": self.role,
            "recorded_as": self.recorded_as,
            "values": _listed(self.values),
            "gradient": _listed(self.gradient),
        }


@dataclass(frozen=True)
class Shapes:
    """The curves of one problem's losses along one axis (`axis`, a key of AXIS_TITLES):
    `x`, (m,), the axis points; `target`, the example's target y; `note`, how the rest of the
    example is held (the other classes' logits, the threshold of the margin)."""

    problem: str
    axis: str
    target: float
    x: Array
    curves: tuple[Curve, ...]
    note: str
    #: Losses of the problem that have no curve on this axis, as (title, why).
    left_out: tuple[tuple[str, str], ...] = ()

    @property
    def axis_title(self) -> str:
        return AXIS_TITLES[self.axis]

    @property
    def axis_words(self) -> str:
        return AXIS_WORDS[self.axis]

    @property
    def definition(self) -> str:
        """What the axis is, where its title does not say it all ("" where it does)."""
        return AXIS_DEFINITIONS.get(self.axis, "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "problem": self.problem,
            "axis": self.axis,
            "axis_title": self.axis_title,
            "target": self.target,
            "note": self.note,
            "definition": self.definition,
            "x": _listed(self.x),
            "curves": [curve.as_dict() for curve in self.curves],
            "left_out": [{"title": title, "why": why} for title, why in self.left_out],
        }


def _listed(values: Array) -> list[float | None]:
    """JSON-ready: NaN (a gap) as None."""
    return [float(v) if math.isfinite(v) else None for v in values]


def losses_of(problem: str) -> list[tuple[str, str]]:
    """The losses that can train on `problem`, as (LOSSES key, role): the recommended loss,
    then each alternative the recommendation lists, a trap (a pairing kept to be seen failing)
    or a discouraged one labelled so."""
    rec = recommend(problem)
    out = [(rec.loss, "recommended")]
    for alt in rec.alternatives:
        if LOSSES[alt.loss].trap:
            role = "trap"
        elif alt.discouraged:
            role = "discouraged"
        else:
            role = "alternative"
        if all(alt.loss != key for key, _ in out):
            out.append((alt.loss, role))
    return out


#: The axis each task kind is drawn along; a kind not here (density) has no shapes.
_AXES = {
    "regression": "residual",
    "count": "rate",
    "binary": "margin",
    "multilabel": "margin",  # each label is a coin flip of its own
    "multiclass": "true_logit",
    "soft_label": "true_logit",  # a one-hot target is a soft label too
}
#: The problems that have shapes: every one whose examples have one prediction each.
SHAPED = tuple(p for p, spec in PROBLEMS.items() if _AXES.get(spec.kind))
#: The task kind whose target encoding each axis builds its example with (`encode_targets`).
_ENCODED_AS = {
    "residual": "regression",
    "rate": "count",
    "margin": "binary",
    "probability": "binary",
    "true_logit": "multiclass",
}


def axis_of(problem: str, probability: bool = False) -> str:
    """The axis a problem's shapes are drawn along (see the module docstring)."""
    if problem not in PROBLEMS:
        raise ShapeError(f"unknown problem {problem!r}; allowed: {', '.join(PROBLEMS)}")
    axis = _AXES.get(PROBLEMS[problem].kind)
    if axis is None:  # a loss over samples: no one example, no one prediction
        raise ShapeError(
            f"{problem} scores samples under a whole distribution, not one prediction per "
            f"example: it has no loss shapes; allowed: {', '.join(SHAPED)}"
        )
    if probability:
        if axis != "margin":
            raise ShapeError(
                "the probability axis is for two classes or labels (binary_classification, "
                f"multilabel_classification), not {problem}"
            )
        return "probability"
    return axis


def default_target(problem: str) -> float:
    """The example's target when the student picks none: 0 for real targets, 10 for positive
    ones spanning orders of magnitude, 3 for counts, class 1 of two, class 0 of several."""
    return targets_of(problem)[0]


def targets_of(problem: str) -> tuple[float, ...]:
    """The targets a student steps through (the first is `default_target`): both classes, each
    of the classes, a few counts, and for positive targets three orders of magnitude (squared
    log error's curve changes with them; squared error's, in the residual, does not)."""
    axis = axis_of(problem)
    if axis == "residual":
        return (10.0, 1.0, 100.0) if _positive(problem) else (0.0,)
    return {
        "rate": (3.0, 0.0, 10.0),
        "margin": (1.0, 0.0),
        "true_logit": tuple(float(c) for c in range(CLASSES)),
    }[axis]


def _positive(problem: str) -> bool:
    """Whether a problem's targets are positive (its losses may take logs of them)."""
    return any(LOSSES[key].target == "nonnegative" for key, _ in losses_of(problem))


def check_target(problem: str, target: float) -> float:
    """`target` if an example of `problem` can have it; ShapeError naming what is allowed."""
    axis = axis_of(problem)
    if not math.isfinite(target):
        raise ShapeError(f"the target must be a finite number, got {target}")
    if axis == "margin" and target not in (0.0, 1.0):
        raise ShapeError(f"the target for {problem} is a class, 0 or 1, got {target:g}")
    if axis == "true_logit" and target not in range(CLASSES):
        raise ShapeError(
            f"the target for {problem} is a class from 0 to {CLASSES - 1}, got {target:g}"
        )
    if axis == "rate" and (target < 0 or target != int(target)):
        raise ShapeError(f"the target for {problem} is a count (0, 1, 2, ...), got {target:g}")
    if axis == "residual" and _positive(problem) and target <= 0:
        raise ShapeError(f"the target for {problem} is a positive number, got {target:g}")
    return float(target)


def loss_shapes(
    problem: str,
    target: float | None = None,
    *,
    probability: bool = False,
    span: float | None = None,
    points: int = POINTS,
) -> Shapes:
    """Each loss of `problem` (`losses_of`) along its axis (`axis_of`) for one example whose
    target is `target` (`default_target` when None; checked by `check_target`). `span`: how far
    the axis reaches, each side of 0 for a residual, a margin or a logit, from 0 for a rate
    (`span_for` fits it to a run's examples); None for the axis's own."""
    axis = axis_of(problem, probability)
    y = default_target(problem) if target is None else check_target(problem, target)
    x = _axis_points(axis, y, points, span)
    curves, left_out = [], []
    for slot, (key, role) in enumerate(losses_of(problem)):
        loss = LOSSES[key]
        why = _no_curve(loss, axis)
        if why:
            left_out.append((loss.title, why))
            continue
        values, gradient = _along(loss, axis, y, x)
        curves.append(Curve(key, loss.title, role, values, gradient, loss.recorded_as, slot))
    return Shapes(problem, axis, y, x, tuple(curves), _note(axis, y), tuple(left_out))


def _no_curve(loss: Loss, axis: str) -> str:
    """Why `loss` has no curve along `axis` ("" where it has one)."""
    one_output = axis in ("margin", "probability")
    if one_output and loss.sums_over_classes:
        return "a softmax over one output is always 1: it needs every label at once"
    if axis == "probability" and loss.link.score:
        return "a margin score is no probability"
    return ""


def _axis_points(axis: str, y: float, points: int, span: float | None) -> Array:
    if axis == "probability":
        return np.linspace(0.01, 0.99, points)
    if axis == "rate":
        top = span or max(3.0 * y, 6.0)
        return np.linspace(top / points, top, points)  # λ > 0
    if axis == "residual":
        span = span or max(3.0, abs(y))
    return np.linspace(-(span or 4.0), span or 4.0, points)  # a residual, a margin or a logit


#: The spans `span_for` picks from: round numbers, so the axis's ticks stay readable.
_SPANS = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 15.0, 20.0, 30.0, 40.0, 60.0, 100.0)


def span_for(positions: Array, axis: str, least: float = 4.0) -> float | None:
    """The smallest round span (at least `least`) that holds 95% of a run's examples on the
    axis (`rug`), so that none of them sits off the plot where a saturated start puts them; None
    for the probability axis, which is always (0, 1)."""
    if axis == "probability":
        return None
    finite = np.abs(positions[np.isfinite(positions)])
    if not finite.size:
        return least
    reach = float(np.quantile(finite, 0.95))
    return next((s for s in _SPANS if s >= max(reach, least)), _SPANS[-1])


def _note(axis: str, y: float) -> str:
    if axis in ("margin", "probability"):
        return f"label y = {int(y)}"
    if axis == "true_logit":
        return f"true class {int(y)} of {CLASSES}"
    if axis == "rate":
        return f"count y = {y:g}"
    return f"target y = {y:g}"


def _along(loss: Loss, axis: str, y: float, x: Array) -> tuple[Array, Array]:
    """ℓ and ∂ℓ/∂z of `loss` at each point of `x`: one example per point, evaluated as a batch
    through the loss's own `per_sample` and `gradient` (the mean's gradient times the batch
    size is each example's own)."""
    m = len(x)
    if axis == "true_logit":
        z = np.zeros((m, CLASSES))
        z[:, int(y)] = x
        canonical: Array = np.full(m, int(y), dtype=np.int64)
        column = int(y)
    else:
        z = _outputs(loss, axis, y, x)[:, None]
        canonical = np.full((m, 1), y)
        column = 0
    targets = encode_targets(loss, _ENCODED_AS[axis], canonical, CLASSES)
    ok = np.isfinite(z).all(axis=1)
    values = np.full(m, np.nan)
    gradient = np.full(m, np.nan)
    if ok.any():
        with np.errstate(all="ignore"):
            values[ok] = loss.per_sample(targets[ok], z[ok])
            gradient[ok] = loss.gradient(targets[ok], z[ok])[:, column] * ok.sum()
        dropped = loss.dropped_constant(np.asarray(targets[ok], dtype=np.float64))
        if dropped is not None:  # the full NLL, as the loss's history records it
            values[ok] += dropped.reshape(ok.sum(), -1).mean(axis=1)
    return values, gradient


def _outputs(loss: Loss, axis: str, y: float, x: Array) -> Array:
    """The raw output z at each axis point, (m,): through the link's inverse direction g."""
    link = loss.link
    if axis == "margin":
        return link.threshold + (2.0 * y - 1.0) * x
    if axis == "probability":
        return link.link(x)
    prediction = y + x if axis == "residual" else x
    with np.errstate(all="ignore"):
        z = link.link(prediction)
    # The prediction must come back: a link that clips (max(z, 0)) or a log of a number ≤ 0
    # cannot reach it.
    back = link.inverse(np.where(np.isfinite(z), z, 0.0))
    return np.where(np.isfinite(z) & np.isclose(back, prediction), z, np.nan)


def rug(run: RunView, shapes: Shapes) -> Array:
    """Where each of the run's validation examples lies on `shapes`' axis, (n,): its residual,
    its rate, its margin (under the run's own loss's threshold), its probability of class 1, or
    its true class's logit (the other logits as they are: a rug, not a curve). For several
    labels, every label of every example."""
    loss, data = run.loss, run.dataset
    z = np.asarray(run.logits(data.x_val), dtype=np.float64)
    y_val = np.asarray(data.y_val)
    axis = shapes.axis
    if axis == "true_logit":
        labels = np.argmax(y_val, axis=1) if y_val.ndim == 2 else y_val.astype(np.int64)
        out: Array = z[np.arange(len(z)), labels]
        return out
    if axis == "probability":  # the examples of the curve's label
        p = np.asarray(loss.predict(z), dtype=np.float64)
        mine: Array = p[y_val == shapes.target].ravel()
        return mine
    if axis == "margin":
        signs = 2.0 * y_val.astype(np.float64) - 1.0
        return np.asarray(signs * (z - loss.link.threshold), dtype=np.float64).ravel()
    prediction = np.asarray(loss.predict(z), dtype=np.float64).ravel()
    if axis == "rate":
        return prediction
    return prediction - y_val.astype(np.float64).ravel()
