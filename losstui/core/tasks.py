"""Task kinds (regression, binary, ..., density): their metrics, losses, outputs and targets.

A dataset has one task kind. What follows from the kind lives here and nowhere else: the metrics
recorded on the validation split, which loss target domains can train on it (a loss declares its
domain as `Loss.target`, as scikit-learn's losses declare `interval_y_true`), the width of the
model's output layer, how canonical targets are encoded for a loss, the models that make sense,
the picture that shows the model, and what a model's outputs mean for it: the classes it decides,
the class probabilities Q read from them, the true distributions P and the validation metrics.
What one output means is its link's business (`losstui.core.links`); how the outputs make up
an answer (one yes/no per output, one class among them, a number) is the task's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, cast

import numpy as np
from numpy.typing import NDArray

from losstui.core.links import BeforeQ, Link, Reading
from losstui.core.losses import LOSSES, DensityLoss, Loss
from losstui.core.numerics import Array


class DataShape(Protocol):
    """What the pairing rules read of a dataset: a `DatasetSpec` or a generated `Dataset`."""

    @property
    def kind(self) -> str: ...

    @property
    def nonnegative_targets(self) -> bool: ...


#: Loss target domains that carry class labels, and those that put a softmax over the outputs.
CLASS_TARGETS = ("binary", "signed_binary", "onehot", "sparse", "distribution")
SOFTMAX_TARGETS = ("onehot", "sparse", "distribution")


@dataclass(frozen=True)
class Task:
    """One task kind and what follows from it.

    `targets`: the loss target domains (`Loss.target`) that can train on it; `metrics`: the
    validation metrics a Trainer records; `models`: the model kinds offered; `picture`: "fit"
    (points and a curve), "map" (decision regions) or "density" (histogram and density);
    `classes`: whether predictions are classes (accuracy, P against Q in bits); `bernoulli`:
    whether each output is a yes/no of its own (binary, multi-label) rather than one class among
    the outputs; `data_kinds`: the kinds of data a problem of this kind trains on (its own
    unless said); `label_dtype`: how the targets are stored (class indices as int64).
    """

    kind: str
    title: str
    targets: tuple[str, ...]
    metrics: tuple[str, ...]
    models: tuple[str, ...] = ("linear", "mlp")
    picture: str = "fit"
    classes: bool = False
    bernoulli: bool = False
    data_kinds: tuple[str, ...] = ()
    label_dtype: type[np.float64] | type[np.int64] = np.float64

    @property
    def supervised(self) -> bool:
        """Whether the data has targets to predict from inputs (not samples alone)."""
        return "samples" not in self.targets

    def offers(self, loss: Loss) -> bool:
        """Whether a loss menu for this task lists `loss`: supervised losses for supervised
        tasks (refused pairings included, as lessons), density NLLs for density estimation."""
        return isinstance(loss, DensityLoss) != self.supervised

    def trains_on(self, data_kind: str) -> bool:
        """Whether a problem of this kind can train on `data_kind` data: its own kind, and
        regression and count data either way (squared error on counts is a lesson)."""
        return data_kind in (self.data_kinds or (self.kind,))

    # -- what each picture and view asks -------------------------------------------------------
    @property
    def residuals(self) -> bool:
        """Whether the targets are numbers a curve fits, so the diagnostics are residuals."""
        return self.picture == "fit"

    def shows_map(self, n_features: int) -> bool:
        """Whether the model is drawn as decision regions: classes over exactly two inputs."""
        return self.picture == "map" and n_features == 2

    @property
    def shows_fit(self) -> bool:
        """Whether the model is drawn as a fitted curve (or a fitted density over samples)."""
        return self.picture in ("fit", "density")

    @property
    def label_sets(self) -> bool:
        """Whether an example's class is a set of labels (several 0/1 outputs, any number on)."""
        return self.kind == "multilabel"

    @property
    def true_class(self) -> bool:
        """Whether each example has one true class a view can name (hard labels)."""
        return self.kind in ("binary", "multiclass")

    @property
    def soft_labels(self) -> bool:
        """Whether the targets are probability rows, which a loss that needs hard labels
        trains on as their most likely class."""
        return self.kind == "soft_label"

    # -- decisions and class probabilities -----------------------------------------------------
    def decide(self, link: Link, z: Array) -> Array:
        """Predicted classes from logits z (n, outputs): (n,) int labels where each example has
        one class (the one output's switch at the link's threshold; the largest of several
        outputs), (n, L) 0/1 floats for sets of labels (each output's own switch); ValueError
        for a task without classes."""
        if not self.classes:
            raise ValueError(f"{self.kind} data has no classes")
        if not self.bernoulli:
            # int labels (see above), not floats: the annotation covers both forms.
            return cast(Array, link.classes(z))
        on = link.on(z)
        if self.label_sets:
            return on.astype(np.float64)
        return cast(Array, on[:, 0].astype(np.int64))

    def class_probabilities(self, link: Link, z: Array) -> Reading:
        """(Q, log Q, how Q was read), Q of shape (n, G, K), from logits z (n, k): one
        Bernoulli per output (G = k, K = 2) or one categorical over the outputs (G = 1, K = k).
        The reading is None where the outputs are probabilities already; otherwise Q is read
        so that its likeliest outcome is the class `decide` gives."""
        return link.bernoulli(z) if self.bernoulli else link.categorical(z)

    def before_q(self, link: Link, z: Array) -> BeforeQ:
        """(the per-class numbers Q was made from (n, K), what they are, how Q is made from
        them: "sum" or "softmax") where a single-group Q is not the model's output itself;
        Nones where it is, or where each output is its own yes/no."""
        if self.bernoulli:
            return None, None, None
        return link.before_categorical(z)

    def blank_rule(self, link: Link, unsure: float) -> str:
        """Where a picture of the classes leaves a cell blank, said in the link's output: where
        the decided class's Q is below `unsure`."""
        if self.bernoulli:
            band = link.bernoulli_blank(unsure)
            return f"a label's {band}" if self.label_sets else band
        return link.categorical_blank(unsure)

    def codes(self, decided: Array, q: Array) -> tuple[NDArray[np.int_], Array]:
        """(class code (n,), confidence in [0, 1] (n,)) from `decide`'s classes and Q (n, G, K):
        the class and its Q, or for sets of labels the bit pattern of the labels on (bit j =
        label j) and the least certain label's Q."""
        if self.label_sets:
            on = decided.astype(int)  # (n, labels)
            conf: Array = np.take_along_axis(q, on[:, :, None], axis=2)[:, :, 0].min(axis=1)
            bits: NDArray[np.int_] = (on * (1 << np.arange(on.shape[1]))).sum(axis=1)
            return bits, conf
        cls = decided.astype(int)
        return cls, q[np.arange(len(cls)), 0, cls]

    def true_codes(self, y: Array) -> NDArray[np.int_]:
        """The class code (as `codes` gives) of each target row of y."""
        if self.label_sets:
            out: NDArray[np.int_] = ((y > 0.5) * (1 << np.arange(y.shape[1]))).sum(axis=1)
            return out
        if self.bernoulli:
            return (y[:, 0] > 0.5).astype(int)
        if self.soft_labels:
            best: NDArray[np.int_] = np.argmax(y, axis=1)
            return best
        return np.asarray(y, dtype=int)

    def n_codes(self, n_classes: int | None, y: Array) -> int:
        """How many class codes there are: 2 for one yes/no, 2^L for sets of L labels, else the
        class count (2 when unknown). y: the targets, (n, L) for labels."""
        if self.label_sets:
            return 1 << int(y.shape[1])
        if self.bernoulli:
            return 2
        return int(n_classes or 2)

    def true_rows(
        self, y: Array, n_classes: int | None, names: tuple[str, ...]
    ) -> tuple[Array, tuple[str, ...], tuple[str, ...]]:
        """(P of shape (n, G, K), the K outcomes' names, the G groups' names) of targets y:
        a Bernoulli (absent, present) per label, one for a binary class, or the class rows
        (one-hot from indices). `names`: the dataset's target names, used where they fit."""
        if self.bernoulli and not self.label_sets:
            y1 = y.reshape(-1, 1).astype(np.float64)
            outcomes: tuple[str, ...] = names if len(names) == 2 else ("class 0", "class 1")
            return np.stack([1.0 - y1, y1], axis=-1), outcomes, ("",)
        if self.label_sets:
            y = y.astype(np.float64)
            labels: tuple[str, ...] = (
                names
                if len(names) == y.shape[1]
                else tuple(f"label {i}" for i in range(y.shape[1]))
            )
            return np.stack([1.0 - y, y], axis=-1), ("absent", "present"), labels
        if self.soft_labels:
            p = np.asarray(y, dtype=np.float64)
            k = p.shape[1]
        else:
            k = int(cast(int, n_classes))  # class indices come with their class count
            p = np.eye(k)[y.astype(np.intp)]
        outcomes = names if len(names) == k else tuple(f"class {i}" for i in range(k))
        return p[:, None, :], outcomes, ("",)

    # -- metrics -----------------------------------------------------------------------------
    def metric_values(self, link: Link, z: Array, y: Array, loss: float) -> dict[str, float]:
        """The validation metrics (`metrics`) of logits z (n, k) against targets y, given the
        split's mean loss: NLL for a density; R² and mean absolute error of the prediction for
        numbers; accuracy of `decide`'s classes; subset accuracy and Hamming loss for labels."""
        if not self.supervised:
            return {"nll": loss}
        if not self.classes:
            pred = link.inverse(z)
            ss_tot = float(np.sum((y - y.mean()) ** 2))
            ss_res = float(np.sum((y - pred) ** 2))
            r2 = 1.0 - ss_res / ss_tot if ss_tot > 0 else float("nan")
            return {"r2": r2, "mae": float(np.mean(np.abs(y - pred)))}
        classes = self.decide(link, z)
        if self.label_sets:
            wrong = classes != y
            return {
                "subset_accuracy": float(np.mean(~wrong.any(axis=1))),
                "hamming_loss": float(np.mean(wrong)),
            }
        if self.bernoulli:
            truth = y[:, 0]
        elif self.soft_labels:
            truth = np.argmax(y, axis=1)
        else:
            truth = y
        return {"accuracy": float(np.mean(classes == truth))}


_REAL = ("real", "nonnegative")
_TWO_CLASS = ("binary", "signed_binary")
#: Every supervised domain: squared error or Poisson on class labels runs, as a lesson.
_SUPERVISED = (*_REAL, *CLASS_TARGETS)
_NO_SOFTMAX = tuple(t for t in _SUPERVISED if t not in SOFTMAX_TARGETS)
#: 0/1 label rows under a softmax: only multi-label data has them (a trap shown there).
MULTIHOT = "multihot"
#: Regression and count data are both real-valued targets: either problem may train on either.
_NUMBERS = ("regression", "count")
_COUNTS = ("count", "regression")

TASKS: dict[str, Task] = {
    t.kind: t
    for t in (
        Task("regression", "regression", _REAL, ("r2", "mae"), data_kinds=_NUMBERS),
        Task("count", "count regression", _REAL, ("r2", "mae"), data_kinds=_COUNTS),
        Task(
            "binary",
            "binary classification",
            _NO_SOFTMAX,
            ("accuracy",),
            picture="map",
            classes=True,
            bernoulli=True,
        ),
        Task(
            "multiclass",
            "multi-class classification",
            _SUPERVISED,
            ("accuracy",),
            picture="map",
            classes=True,
            label_dtype=np.int64,
        ),
        Task(
            "multilabel",
            "multi-label classification",
            (*_NO_SOFTMAX, MULTIHOT),
            ("subset_accuracy", "hamming_loss"),
            picture="map",
            classes=True,
            bernoulli=True,
        ),
        Task(
            "soft_label",
            "soft-label classification",
            _SUPERVISED,
            ("accuracy",),
            picture="map",
            classes=True,
        ),
        Task("density", "density estimation", ("samples",), ("nll",), ("linear",), "density"),
    )
}

#: Every task kind, in catalogue order.
KINDS: tuple[str, ...] = tuple(TASKS)


def get_task(kind: str) -> Task:
    """The Task of `kind`; ValueError listing the kinds otherwise."""
    try:
        return TASKS[kind]
    except KeyError:
        raise ValueError(f"unknown task kind {kind!r}; allowed: {', '.join(TASKS)}") from None


def _loss(loss: Loss | str) -> Loss:
    if isinstance(loss, Loss):
        return loss
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; allowed: {', '.join(LOSSES)}")
    return LOSSES[loss]


def check_pairing(loss: Loss | str, data: DataShape) -> str | None:
    """Why `loss` cannot train on `data` (a dataset or its recipe), in a sentence a learner
    understands; None when it can (including pairings that run but are not recommended).

    Reads only the task kind and what the recipe declares of its targets, so no data is made.
    """
    the_loss = _loss(loss)
    key, target = the_loss.name, the_loss.target
    kind = data.kind
    if target in get_task(kind).targets:
        if target == "nonnegative" and not data.nonnegative_targets:
            return (
                f"{key} needs targets ≥ 0 (it models counts or positive amounts), but this "
                "dataset has negative targets"
            )
        return None
    if kind == "density":
        return (
            f"{key} needs targets, but density estimation has only samples: fit a density by "
            "its negative log-likelihood (gaussian_nll or gaussian_mixture_nll) instead"
        )
    if target == "samples":
        return (
            f"{key} fits a density to samples without inputs; this dataset has inputs and "
            f"{kind} targets, so choose a supervised loss"
        )
    if target == MULTIHOT and kind in ("multiclass", "soft_label"):
        return (
            f"{key} shares a softmax between several 0/1 labels, which only multi-label data "
            "has; here each example has one class, so use categorical_cross_entropy"
        )
    if kind in ("regression", "count"):
        return (
            f"{key} needs class labels, but this dataset's targets are real numbers; "
            "use a regression loss"
        )
    if kind == "binary":
        return (
            f"{key} puts a softmax over the outputs, but a binary problem has a single output "
            "and the softmax of one number is always 1; use binary_cross_entropy "
            "(a sigmoid on the one output)"
        )
    return (
        f"{key} assumes exactly one class per example (a softmax that shares probability "
        "between labels), but here each example can carry several labels or none; use "
        "binary_cross_entropy (a sigmoid per label)"
    )


class HasTargets(Protocol):
    """What output widths and target encodings read of a generated dataset (read-only)."""

    @property
    def kind(self) -> str: ...
    @property
    def n_classes(self) -> int | None: ...
    @property
    def y_train(self) -> Array | None: ...


def n_outputs(loss: Loss | str, dataset: HasTargets) -> int:
    """Width of the model's output layer for `loss` on `dataset`: K classes for multi-class and
    soft labels, L for L labels, the density's parameter count for density estimation, else 1."""
    the_loss = _loss(loss)
    if isinstance(the_loss, DensityLoss):
        return the_loss.n_parameters
    kind = dataset.kind
    if kind in ("multiclass", "soft_label"):
        return int(dataset.n_classes or 0)
    if kind == "multilabel" and dataset.y_train is not None:
        return int(dataset.y_train.shape[1])
    return 1


def encode_targets(loss: Loss | str, kind: str, y: Array, n_classes: int | None = None) -> Array:
    """Canonical targets `y` of a `kind` dataset in the form `loss` expects.

    sparse: (n,) int64 labels; onehot and distribution: (n, K) rows; binary, real, nonnegative
    and samples: (n, k) floats; signed_binary: (n, k) in {−1, +1}. Soft labels become hard
    labels (argmax) for losses that need them.
    """
    target = _loss(loss).target
    if kind == "multiclass":
        if target == "sparse":
            return y
        onehot: Array = np.eye(int(n_classes or 0))[y]
        return 2.0 * onehot - 1.0 if target == "signed_binary" else onehot
    if kind == "soft_label":
        if target == "sparse":
            # int64 labels, as the sparse loss reads them (see the docstring), not floats.
            return cast(Array, np.argmax(y, axis=1).astype(np.int64))
        if target == "signed_binary":
            hard: Array = np.eye(y.shape[1])[np.argmax(y, axis=1)]
            return 2.0 * hard - 1.0
        return y
    # regression, count, binary, multilabel and density targets are already (n, k) floats.
    if target == "signed_binary":
        return 2.0 * y - 1.0
    return y
