"""Holds the app's settable, observable state: one place for keys, widgets and future lessons."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from losstui.core.datasets import DATASETS
from losstui.core.losses import LOSSES
from losstui.core.models import HIDDEN_ACTIVATION_NAMES
from losstui.core.problems import PROBLEMS, recommend
from losstui.core.tasks import check_pairing, get_task
from losstui.core.trainer import TrainConfig, Trainer, parse_hidden_sizes

PANES = ("problem", "recommendation", "train", "distributions", "pq_lab")
"""Pane ids in tab order; keys 1..5 select them."""

SPEEDS = (1, 2, 5, 10, 20, 50, 100)
"""SGD steps per tick; the app ticks TICKS_PER_SECOND times a second while running."""

TICKS_PER_SECOND = 10
DEFAULT_SPEED_INDEX = 2
DEFAULT_PROBLEM = "binary_classification"
UNITS = ("bits", "nats")
HIDDEN_ACTIVATIONS = tuple(HIDDEN_ACTIVATION_NAMES)
PQ_START = ((0.10, 0.40, 0.50), (0.80, 0.15, 0.05))
"""The P/Q lab's starting distributions: DESIGN.md's worked example."""

Listener = Callable[[frozenset[str]], None]


@dataclass(frozen=True)
class LossChoice:
    """One entry of the loss menu: whether it is recommended, and why it cannot run if it can't."""

    key: str
    title: str
    recommended: bool
    refusal: str | None


def parse_float(text: str | float, name: str, low: float, high: float, *, low_open: bool) -> float:
    """`text` as a float in (low, high) or [low, high); else ValueError with a one-line reason."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {str(text).strip()!r}") from None
    interval = f"{'(' if low_open else '['}{low:g}, {high:g})"
    too_low = value <= low if low_open else value < low
    if not math.isfinite(value) or too_low or value >= high:
        raise ValueError(f"{name} must be in {interval}, got {value:g}")
    return value


def parse_int(text: str | int, name: str, low: int, high: int) -> int:
    """`text` as an int in [low, high]; ValueError with a one-line reason otherwise."""
    try:
        value = int(str(text).strip())
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {str(text).strip()!r}") from None
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")
    return value


class AppState:
    """Everything the user (or a lesson) can set, with validating setters and change listeners.

    Listeners receive the frozenset of names that changed: "problem", "config", "trainer" (a new
    run), "progress" (steps were taken), "running", "speed", "log10", "units", "pane", "pq".
    Setters raise ValueError with a one-line message and leave the state as it was.
    """

    def __init__(self, problem: str | None = None, seed: int = 0) -> None:
        key = problem or DEFAULT_PROBLEM
        if key not in PROBLEMS:
            raise ValueError(f"unknown problem {key!r}; allowed: {', '.join(PROBLEMS)}")
        self._listeners: list[Listener] = []
        self.problem: str = key
        self.config: TrainConfig = TrainConfig.default_for(key).replace(seed=seed)
        self.trainer: Trainer = Trainer(self.config)
        self.running = False
        self.speed_index = DEFAULT_SPEED_INDEX
        self.log10 = False
        self.units = "bits"
        self.pane = "problem"
        self.pq_p: tuple[float, ...] = PQ_START[0]
        self.pq_q: tuple[float, ...] = PQ_START[1]

    # Observation -------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        """Call `listener(changed_names)` after every change."""
        self._listeners.append(listener)

    def _emit(self, *names: str) -> None:
        changed = frozenset(names)
        for listener in list(self._listeners):
            listener(changed)

    # Derived values ----------------------------------------------------------------------------

    @property
    def recommendation(self):
        """The core's Recommendation for the current problem."""
        return recommend(self.problem)

    @property
    def recommended_loss(self) -> str:
        """The LOSSES key recommended for the problem."""
        return self.recommendation.loss

    @property
    def speed(self) -> int:
        """SGD steps per tick."""
        return SPEEDS[self.speed_index]

    @property
    def steps_per_second(self) -> int:
        return self.speed * TICKS_PER_SECOND

    @property
    def models(self) -> tuple[str, ...]:
        """Model kinds offered for the task (density estimation: its parameters, "linear")."""
        return get_task(self.trainer.dataset.kind).models

    @property
    def datasets(self) -> tuple[str, ...]:
        """Dataset names offered for the current problem."""
        return tuple(PROBLEMS[self.problem].datasets)

    def loss_choices(self) -> list[LossChoice]:
        """Every loss, marked recommended or refused (with the reason) for the current dataset."""
        recommended = self.recommended_loss
        dataset = self.trainer.dataset
        task = get_task(dataset.kind)
        return [
            LossChoice(key, loss.title, key == recommended, check_pairing(key, dataset))
            for key, loss in LOSSES.items()
            if task.offers(loss)
        ]

    @property
    def divergence_message(self) -> str | None:
        """A plain sentence when the run diverged, with a learning rate to try; else None."""
        trainer = self.trainer
        if not trainer.diverged:
            return None
        reason = trainer.divergence_reason or "the loss became inf/NaN"
        # The core's reason may repeat "training diverged at step N"; keep only what happened.
        reason = re.sub(r"^training diverged at step \d+:\s*", "", reason).split(";")[0]
        default_lr = TrainConfig.default_for(self.problem).lr
        suggestion = default_lr if default_lr < self.config.lr else self.config.lr / 10
        # A new learning rate is a new run from step 0; r alone would diverge the same way.
        return (
            f"diverged at step {trainer.diverged_at_step}: {reason}. "
            f"Lower the learning rate (try {suggestion:g}; c opens the settings): "
            "a new rate restarts from step 0."
        )

    # Problem and configuration -----------------------------------------------------------------

    def set_problem(self, key: str) -> None:
        """Choose a catalogue problem: its default configuration and a fresh, paused run."""
        if key not in PROBLEMS:
            raise ValueError(f"unknown problem {key!r}; allowed: {', '.join(PROBLEMS)}")
        if key == self.problem:
            return
        config = TrainConfig.default_for(key).replace(seed=self.config.seed)
        trainer = Trainer(config)
        self.problem, self.config, self.trainer, self.running = key, config, trainer, False
        self._emit("problem", "config", "trainer", "running", "progress")

    def _reconfigure(self, *, same_data: bool = True, **changes) -> None:
        config = self.config.replace(**changes)
        dataset = self.trainer.dataset if same_data else None
        trainer = Trainer(config, dataset=dataset)
        self.config, self.trainer = config, trainer
        if trainer.diverged:
            self.running = False
        self._emit("config", "trainer", "progress", "running")

    def set_dataset(self, name: str) -> None:
        """Switch dataset; a loss that cannot run on it falls back to the recommended one."""
        if name not in DATASETS or name not in self.datasets:
            raise ValueError(f"unknown dataset {name!r}; allowed: {', '.join(self.datasets)}")
        if name == self.config.dataset:
            return
        try:
            config = self.config.replace(dataset=name)
        except ValueError:
            config = self.config.replace(dataset=name, loss=self.recommended_loss)
        self.config, self.trainer = config, Trainer(config)
        self._emit("config", "trainer", "progress")

    def set_loss(self, key: str) -> None:
        """Choose the loss; a pairing that cannot run raises ValueError with the core's reason."""
        if key not in LOSSES:
            raise ValueError(f"unknown loss {key!r}; allowed: {', '.join(LOSSES)}")
        reason = check_pairing(key, self.trainer.dataset)
        if reason:
            raise ValueError(f"{LOSSES[key].title} cannot run here: {reason}")
        if key != self.config.loss:
            self._reconfigure(loss=key)

    def set_model(self, kind: str) -> None:
        if kind not in self.models:
            raise ValueError(f"model must be one of {', '.join(self.models)}, got {kind!r}")
        if kind != self.config.model:
            self._reconfigure(model=kind)

    def set_hidden(self, text: str | Iterable[int]) -> None:
        if not isinstance(text, str):
            text = ",".join(str(v) for v in text)
        sizes = parse_hidden_sizes(text)
        if sizes != tuple(self.config.hidden):
            self._reconfigure(hidden=sizes)

    def set_hidden_activation(self, name: str) -> None:
        if name not in HIDDEN_ACTIVATIONS:
            allowed = ", ".join(HIDDEN_ACTIVATIONS)
            raise ValueError(f"hidden activation must be one of {allowed}, got {name!r}")
        if name != self.config.hidden_activation:
            self._reconfigure(hidden_activation=name)

    def set_lr(self, text: str | float) -> None:
        lr = parse_float(text, "learning rate", 0.0, 1e9, low_open=True)
        if lr != self.config.lr:
            self._reconfigure(lr=lr)

    def set_momentum(self, text: str | float) -> None:
        momentum = parse_float(text, "momentum", 0.0, 1.0, low_open=False)
        if momentum != self.config.momentum:
            self._reconfigure(momentum=momentum)

    def set_batch_size(self, text: str | int) -> None:
        n_train = len(self.trainer.dataset.x_train)
        batch = parse_int(text, "batch size", 1, n_train)
        if batch != self.config.batch_size:
            self._reconfigure(batch_size=batch)

    def set_seed(self, seed: int) -> None:
        """New data, initial weights and minibatch order from `seed`."""
        seed = parse_int(seed, "seed", 0, 2**31 - 1)
        if seed != self.config.seed:
            self._reconfigure(same_data=False, seed=seed)

    def regenerate(self) -> None:
        """Draw a new dataset (and initial weights) with the next seed."""
        self.set_seed(self.config.seed + 1)

    # Running -----------------------------------------------------------------------------------

    def step(self, n: int = 1) -> int:
        """Take up to n SGD steps; stops running on divergence. Returns the steps taken."""
        if self.trainer.diverged:
            return 0
        done = self.trainer.step(n)
        if self.trainer.diverged:
            self.running = False
            self._emit("progress", "running")
        elif done:
            self._emit("progress")
        return done

    def play(self) -> None:
        if self.trainer.diverged:
            raise ValueError(self.divergence_message or "the run diverged; press r to reset")
        if not self.running:
            self.running = True
            self._emit("running")

    def pause(self) -> None:
        if self.running:
            self.running = False
            self._emit("running")

    def toggle_running(self) -> None:
        if self.running:
            self.pause()
        else:
            self.play()

    def reset(self) -> None:
        """Back to step 0 with the same data and initial weights; paused."""
        self.trainer.reset()
        self.running = False
        self._emit("trainer", "progress", "running")

    def faster(self) -> None:
        if self.speed_index < len(SPEEDS) - 1:
            self.speed_index += 1
            self._emit("speed")

    def slower(self) -> None:
        if self.speed_index > 0:
            self.speed_index -= 1
            self._emit("speed")

    # Views -------------------------------------------------------------------------------------

    def toggle_log10(self) -> None:
        self.log10 = not self.log10
        self._emit("log10")

    def set_units(self, units: str) -> None:
        if units not in UNITS:
            raise ValueError(f"units must be one of {', '.join(UNITS)}, got {units!r}")
        if units != self.units:
            self.units = units
            self._emit("units")

    def toggle_units(self) -> None:
        self.set_units("nats" if self.units == "bits" else "bits")

    def set_pane(self, pane: str) -> None:
        if pane not in PANES:
            raise ValueError(f"pane must be one of {', '.join(PANES)}, got {pane!r}")
        if pane != self.pane:
            self.pane = pane
            self._emit("pane")

    def set_pq(self, p: Iterable[float], q: Iterable[float]) -> None:
        """Set the P/Q lab's distributions (same length, non-negative, each summing to 1)."""
        from losstui.core.info import validate_distribution

        p_arr = validate_distribution(list(p), name="P")
        q_arr = validate_distribution(list(q), name="Q")
        if len(p_arr) != len(q_arr):
            raise ValueError(
                f"P and Q must have the same length, got {len(p_arr)} and {len(q_arr)}"
            )
        self.pq_p = tuple(float(v) for v in p_arr)
        self.pq_q = tuple(float(v) for v in q_arr)
        self._emit("pq")
