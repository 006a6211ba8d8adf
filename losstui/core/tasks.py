"""Task kinds (regression, binary, ..., density): their metrics, losses, outputs and targets.

A dataset has one task kind. What follows from the kind lives here and nowhere else: the metrics
recorded on the validation split, which loss target domains can train on it (a loss declares its
domain as `Loss.target`, as scikit-learn's losses declare `interval_y_true`), the width of the
model's output layer, how canonical targets are encoded for a loss, the models that make sense,
and the picture that shows the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, cast

import numpy as np

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
    `classes`: whether predictions are classes (accuracy, P against Q in bits).
    """

    kind: str
    title: str
    targets: tuple[str, ...]
    metrics: tuple[str, ...]
    models: tuple[str, ...] = ("linear", "mlp")
    picture: str = "fit"
    classes: bool = False

    @property
    def supervised(self) -> bool:
        """Whether the data has targets to predict from inputs (not samples alone)."""
        return "samples" not in self.targets

    def offers(self, loss: Loss) -> bool:
        """Whether a loss menu for this task lists `loss`: supervised losses for supervised
        tasks (refused pairings included, as lessons), density NLLs for density estimation."""
        return isinstance(loss, DensityLoss) != self.supervised


_REAL = ("real", "nonnegative")
_TWO_CLASS = ("binary", "signed_binary")
#: Every supervised domain: squared error or Poisson on class labels runs, as a lesson.
_SUPERVISED = (*_REAL, *CLASS_TARGETS)
_NO_SOFTMAX = tuple(t for t in _SUPERVISED if t not in SOFTMAX_TARGETS)
#: 0/1 label rows under a softmax: only multi-label data has them (a trap shown there).
MULTIHOT = "multihot"

TASKS: dict[str, Task] = {
    t.kind: t
    for t in (
        Task("regression", "regression", _REAL, ("r2", "mae")),
        Task("count", "count regression", _REAL, ("r2", "mae")),
        Task(
            "binary",
            "binary classification",
            _NO_SOFTMAX,
            ("accuracy",),
            picture="map",
            classes=True,
        ),
        Task(
            "multiclass",
            "multi-class classification",
            _SUPERVISED,
            ("accuracy",),
            picture="map",
            classes=True,
        ),
        Task(
            "multilabel",
            "multi-label classification",
            (*_NO_SOFTMAX, MULTIHOT),
            ("subset_accuracy", "hamming_loss"),
            picture="map",
            classes=True,
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
