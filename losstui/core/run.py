"""A run: one training configuration, its data and trainer, its history, its messages, and the
losses seen between the history's records.

A run is the unit the app state holds (one, or up to four on one clock), and what every view is
given to draw: views read it through `RunView`, never through the state. The same configuration
gives the same run, bit for bit, wherever it is made (the app, `losstui train`, a preset, a
lesson): the data and initial weights are seeded by the configuration alone.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from losstui.core.datasets import Dataset
from losstui.core.losses import Loss
from losstui.core.numerics import Array
from losstui.core.settings import SETTINGS, TRAINING_KEYS
from losstui.core.trainer import Record, TrainConfig, Trainer


class Point(NamedTuple):
    """The losses at a step the history does not record (seen while paused): a tuple
    (step, train_loss, val_loss), as the loss curves read it."""

    step: int
    train_loss: float
    val_loss: float


@dataclass(frozen=True)
class Ghost:
    """What stays of a run the user replaced by changing a setting: its recorded history, what
    set it apart from the run that replaced it ("lr 0.1"), and what its losses are."""

    history: tuple[Record, ...]
    label: str
    recorded_as: str
    #: The problem and loss of the run: a ghost is drawn only beside a run of the same two.
    problem: str
    loss: str

    def fits(self, config: TrainConfig) -> bool:
        """Whether the ghost's losses compare with a run of `config` (the same problem and
        loss: other losses are in other units)."""
        return (self.problem, self.loss) == (config.problem, config.loss)


class RunView(Protocol):
    """What a view reads of a run: its configuration, data, loss, progress and model.

    A `Run` provides it, and so does a bare `Trainer` (a widget test may hand one in).
    """

    @property
    def config(self) -> TrainConfig: ...

    @property
    def dataset(self) -> Dataset: ...

    @property
    def loss(self) -> Loss: ...

    @property
    def history(self) -> list[Record]: ...

    @property
    def step_count(self) -> int: ...

    @property
    def epoch(self) -> float: ...

    @property
    def diverged(self) -> bool: ...

    @property
    def diverged_at_step(self) -> int | None: ...

    @property
    def converged(self) -> bool: ...

    @property
    def converged_at_step(self) -> int | None: ...

    @property
    def convergence_summary(self) -> str | None: ...

    @property
    def metric_names(self) -> tuple[str, ...]: ...

    @property
    def recorded_as(self) -> str: ...

    def evaluate(self) -> dict[str, float]: ...

    def logits(self, x: Array) -> Array: ...

    def predict(self, x: Array) -> Array: ...

    def classes_from_logits(self, z: Array) -> Array: ...


#: Whether a control is held by a lesson (the state's locks), for advice that names a setting.
Held = Callable[[str], bool]


def _never_held(name: str) -> bool:
    return False


class Run:
    """One training run: `config` → data, model, SGD (`trainer`), history, messages.

    `step(n)` trains; `reset()` goes back to step 0 with the same data and weights; `between`
    holds the losses seen while paused at steps the history does not record (the history records
    every 20 steps or so; without these points the curves stand still while a student steps
    with n). A reset clears them.
    """

    def __init__(self, config: TrainConfig, *, label: str = "") -> None:
        self.trainer = Trainer(config)
        #: What sets this run apart in a race ("lr 0.1"); "" for a run on its own.
        self.label = label
        self.between: list[Point] = []

    # -- what views read (RunView) --------------------------------------------------------------

    @property
    def config(self) -> TrainConfig:
        """The run's configuration (the stop rule may change while the run goes on)."""
        return self.trainer.config

    @property
    def dataset(self) -> Dataset:
        """The run's data."""
        return self.trainer.dataset

    @property
    def loss(self) -> Loss:
        """The run's loss."""
        return self.trainer.loss

    @property
    def history(self) -> list[Record]:
        """The recorded losses and metrics, from step 0 (see `Trainer`)."""
        return self.trainer.history

    @property
    def step_count(self) -> int:
        """SGD steps taken."""
        return self.trainer.step_count

    @property
    def epoch(self) -> float:
        """Passes over the training set (fractional)."""
        return self.trainer.epoch

    @property
    def diverged(self) -> bool:
        """Whether the run diverged (it takes no more steps)."""
        return self.trainer.diverged

    @property
    def diverged_at_step(self) -> int | None:
        """The step at which it diverged, or None."""
        return self.trainer.diverged_at_step

    @property
    def converged(self) -> bool:
        """Whether the stop rule ended the run."""
        return self.trainer.converged

    @property
    def converged_at_step(self) -> int | None:
        """The step at which the stop rule ended the run, or None."""
        return self.trainer.converged_at_step

    @property
    def convergence_summary(self) -> str | None:
        """ "converged at step 1,240: …", or None."""
        return self.trainer.convergence_summary

    @property
    def metric_names(self) -> tuple[str, ...]:
        """The validation metrics the history records."""
        return self.trainer.metric_names

    @property
    def recorded_as(self) -> str:
        """What the history's losses are ("loss", or the full NLL)."""
        return self.trainer.recorded_as

    @property
    def stopped(self) -> bool:
        """Whether the run takes no more steps (diverged, or the stop rule ended it)."""
        return self.trainer.diverged or self.trainer.converged

    def evaluate(self) -> dict[str, float]:
        """train_loss, val_loss and the metrics now (computed once per step)."""
        return self.trainer.evaluate()

    def logits(self, x: Array) -> Array:
        """The model's raw outputs (n, k) for inputs x (n, d)."""
        return self.trainer.logits(x)

    def predict(self, x: Array) -> Array:
        """Predictions in target space (the loss's link applied to the logits)."""
        return self.trainer.predict(x)

    def classes_from_logits(self, z: Array) -> Array:
        """The run's decision for logits z (n, k)."""
        return self.trainer.classes_from_logits(z)

    # -- training -----------------------------------------------------------------------------

    def step(self, n: int = 1) -> int:
        """Up to n SGD steps; the steps taken (fewer once the run stops)."""
        return self.trainer.step(n)

    def reset(self) -> None:
        """Back to step 0: the same data, initial weights and minibatch order."""
        self.trainer.reset()
        self.between = []

    def set_patience(self, patience: int) -> None:
        """A new stop rule on the run so far (see `Trainer.set_patience`)."""
        self.trainer.set_patience(patience)

    def keeps_run(self, patience: int) -> bool:
        """Whether the run so far is the run `patience` gives (`Trainer.keeps_run`)."""
        return self.trainer.keeps_run(patience)

    def points_between(self, *, paused: bool) -> list[Point]:
        """The losses seen while paused between records, with the present step's added when
        paused off a record. While training the curves follow the records alone (a point per
        frame would redraw their right end for nothing)."""
        step = self.step_count
        # A run restored or reset from outside (a lesson steps its trainer) drops later points.
        kept = [p for p in self.between if p.step <= step]
        history = self.history
        recorded = bool(history) and history[-1].step == step
        fresh = not kept or kept[-1].step != step
        if paused and fresh and not recorded:
            values = self.evaluate()
            kept.append(Point(step, float(values["train_loss"]), float(values["val_loss"])))
        self.between = kept
        return kept

    # -- messages -------------------------------------------------------------------------------

    def ghost(self, replacement: TrainConfig) -> Ghost | None:
        """What stays of this run on the loss plot once `replacement` takes its place: None when
        there is nothing to compare (fewer than two records, another problem, or another loss,
        whose values are in other units)."""
        config = self.config
        ghost = Ghost(tuple(self.history), "", self.recorded_as, config.problem, config.loss)
        if len(self.history) < 2 or not ghost.fits(replacement):
            return None  # a curve of one record is a point, not a curve
        changed = [
            f"{key} {SETTINGS[key].format(old)}"
            for key in TRAINING_KEYS
            if (old := getattr(config, key)) != getattr(replacement, key) and old is not None
        ]
        return dataclasses.replace(ghost, label=", ".join(changed) or "before")

    def divergence_message(self, held: Held = _never_held) -> str | None:
        """A plain sentence when the run diverged, with the setting the run points to (the
        initial scale when it blew up from a large start, else the learning rate) and a value to
        try; else None. `held(name)`: whether a lesson holds that setting (advice it would refuse
        is left out)."""
        trainer, config = self.trainer, self.config
        summary = trainer.divergence_summary
        if summary is None:
            return None
        if trainer.divergence_cause == "init_scale":
            # It blew up from its start: a smaller rate would blow up the same way.
            cause = (
                f"{summary}: the initial weights, {config.init_scale:g} times the usual "
                "size, start the outputs too far out."
            )
            if held("init_scale"):
                return cause
            return (
                f"{cause} Lower the initial weight scale (try init_scale=1; c opens the "
                "settings): a new scale restarts from step 0."
            )
        if held("lr"):  # a lesson holds the rate: advice it refuses would mislead
            return f"{summary}."
        default_lr = TrainConfig.default_for(config.problem).lr
        suggestion = default_lr if default_lr < config.lr else config.lr / 10
        # A new learning rate is a new run from step 0; r alone would diverge the same way.
        return (
            f"{summary}. Lower the learning rate (try {suggestion:g}; c opens the settings): "
            "a new rate restarts from step 0."
        )

    def convergence_message(self, held: Held = _never_held) -> str | None:
        """A plain sentence when the stop rule ended the run, with how to go on; else None."""
        summary = self.trainer.convergence_summary
        if summary is None:
            return None
        if held("patience"):  # a lesson holds the stop rule
            return f"The run {summary}."
        # Patience changes keep the run (see `AppState.apply`): 0 or a longer one trains on.
        return (
            f"The run {summary}. To train on from here, set patience to 0 (no stop rule) or "
            "longer (c opens the settings); r starts again."
        )
