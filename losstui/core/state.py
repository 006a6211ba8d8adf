"""The app state: everything a user or a lesson can set, its change events, locks, snapshot/restore.

The panes render this state and send it intents; lessons, the setup line and (later) races and
export read and write it, never a widget. It is UI-free: a lesson script runs against it without
Textual. Every value enters through `losstui.core.settings`, so a bad value gets the same
one-line message here as on the command line, and the state keeps its previous value.
"""

from __future__ import annotations

import builtins
import enum
import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from losstui.core.configuration import configure, configure_whole, datasets_for
from losstui.core.losses import LOSSES
from losstui.core.presets import app_preset
from losstui.core.problems import Recommendation, Standing, loss_verdict, recommend
from losstui.core.race import (
    all_stopped,
    alternatives_race,
    learning_rate_race,
    make_runs,
    race_configs,
    step_runs,
)
from losstui.core.run import Ghost, Run
from losstui.core.settings import (
    SETTINGS,
    SPEEDS,
    TRAINING_KEYS,
    UNITS,
    VIEW_KEYS,
    Race,
    SettingError,
    get_setting,
    parse_setup_line,
)
from losstui.core.tasks import check_pairing, get_task
from losstui.core.trainer import STOP_KEYS, TrainConfig, Trainer
from losstui.core.work import app_over_cap

DEFAULT_PROBLEM = "binary_classification"
DEFAULT_SPEED = 50
"""SGD steps per second when the app starts."""
TICKS_PER_SECOND = 10
"""How often a running app steps; each tick takes speed / TICKS_PER_SECOND steps."""
FAST_CHUNK = 64
"""Fast-forward takes steps in chunks this long between looks at the clock (a step is about
25 µs for the default problem, so a chunk is a couple of milliseconds)."""
PQ_START = ((0.10, 0.40, 0.50), (0.80, 0.15, 0.05))
"""The P/Q lab's starting distributions: DESIGN.md's worked example."""
#: Controls a lesson may lock or hide besides the settings: the run's actions.
ACTIONS = ("play", "step", "reset", "regenerate")
#: The actions as a refusal names them, with their keys.
ACTION_LABELS = {
    "play": "training (space, f)",
    "step": "one step (n)",
    "reset": "reset (r)",
    "regenerate": "new data (g)",
}
CONTROLS = (*SETTINGS, *ACTIONS)


class Part(str, enum.Enum):
    """What a change touched. A str, so `"pane" in event` reads naturally."""

    PROBLEM = "problem"
    CONFIG = "config"
    TRAINER = "trainer"  # a new run (or a reset): step 0
    PROGRESS = "progress"  # steps were taken
    RUNNING = "running"
    SPEED = "speed"
    LOG10 = "log10"
    SHAPES = "shapes"
    CALIBRATION = "calibration"
    LANDSCAPE = "landscape"
    UNITS = "units"
    PANE = "pane"
    PQ = "pq"
    EXAMPLE = "example"
    CONTROLS = "controls"  # locks or visibility
    RUNS = "runs"  # the runs on the clock, or which one is selected
    SELECTED = "selected"  # another run of the same race selected: the runs are as they were
    GHOST = "ghost"  # the replaced run's curve, or whether ghosts are shown


@dataclass(frozen=True)
class StateChanged:
    """One change of the state: the parts it touched, and the selected run's index."""

    parts: frozenset[Part]
    run: int = 0

    def __contains__(self, part: object) -> bool:
        return part in self.parts

    def touches(self, *parts: Part | str) -> bool:
        """Whether any of `parts` changed."""
        return any(p in self.parts for p in parts)


Listener = Callable[[StateChanged], None]


@dataclass(frozen=True)
class LossChoice:
    """One entry of the loss menu: where it stands for the problem, and why it cannot run if it
    can't."""

    key: str
    title: str
    standing: Standing
    refusal: str | None

    @property
    def recommended(self) -> bool:
        """Whether it is the recommended loss (or the same choice in another form)."""
        return self.standing is Standing.RECOMMENDED


#: Config keys whose change makes new data (the others train on the same arrays).
_DATA_KEYS = ("dataset", "seed", "n_samples")


#: What a fresh state shows, whatever its problem: the view settings' starting values.
VIEW_DEFAULTS: dict[str, Any] = {
    "pane": "problem",
    "speed": DEFAULT_SPEED,
    "units": "bits",
    "log10": False,
    "shapes": False,
    "calibration": False,
    "landscape": False,
    "example": 0,
    "p": PQ_START[0],
    "q": PQ_START[1],
}


class AppState:
    """Everything the user (or a lesson) can set, with validating setters and change listeners.

    `runs` holds the runs on the clock: one, or 2 to MAX_RUNS in a race (`race`: the one setting
    they differ in, and each run's value); every step of the clock steps each run that has not
    stopped. `run` is the selected run, and `config` its configuration; views are given a run
    to draw. Setters raise SettingError (a ValueError) with a one-line message and leave the state
    as it was; a locked control refuses with a message that says so.
    """

    def __init__(
        self, problem: str | None = None, seed: int = 0, *, allow_long_run: bool = False
    ) -> None:
        key = SETTINGS["problem"].parse(problem or DEFAULT_PROBLEM)
        self._listeners: list[Listener] = []
        #: Whether a model whose one step costs more than the work cap may be trained.
        self.allow_long_run = allow_long_run
        config = TrainConfig.default_for(key).replace(seed=SETTINGS["seed"].check(seed))
        self.runs: list[Run] = [Run(config)]
        self.selected = 0
        #: The setting a race varies and each run's value; None for one run.
        self.race: Race | None = None
        #: The curve of the run a setting change replaced, kept for comparison until the next
        #: change or a reset (one run only: a race compares its runs itself).
        self.ghost: Ghost | None = None
        #: Whether the loss plot draws the ghost (a view preference, key o).
        self.ghosts = True
        self.running = False
        #: Fast-forward: while running, train as fast as the machine allows (`step_for`).
        self.fast = False
        self.speed: int = VIEW_DEFAULTS["speed"]
        self.log10: bool = VIEW_DEFAULTS["log10"]
        #: Whether the Recommendation pane draws the losses' shapes in place of its text.
        self.shapes: bool = VIEW_DEFAULTS["shapes"]
        #: Whether the Distributions pane draws the probabilities' reliability diagram.
        self.calibration: bool = VIEW_DEFAULTS["calibration"]
        #: Whether the Train pane draws the loss landscape in place of the fit.
        self.landscape: bool = VIEW_DEFAULTS["landscape"]
        self.units: str = VIEW_DEFAULTS["units"]
        self.pane: str = VIEW_DEFAULTS["pane"]
        self.example: int = VIEW_DEFAULTS["example"]
        self.pq_p: tuple[float, ...] = VIEW_DEFAULTS["p"]
        self.pq_q: tuple[float, ...] = VIEW_DEFAULTS["q"]
        self.locked: frozenset[str] = frozenset()
        self.hidden: frozenset[str] = frozenset()

    @classmethod
    def opening(
        cls,
        problem: str | None = None,
        *,
        seed: int = 0,
        preset: str | None = None,
        setup: str | None = None,
        allow_long_run: bool = False,
    ) -> AppState:
        """The state the app opens on: the problem, the preset on it, the setup line on top, in
        that order (so `--problem regression --setup loss=bce` is read on regression). Raises
        SettingError as the setters do; the command line checks a line here before the app
        opens on it."""
        state = cls(problem, seed=seed, allow_long_run=allow_long_run)
        if preset is not None:  # a preset opens on the Train pane, ready to play
            state.apply_preset(preset)
        if setup is not None:
            state.apply_setup_line(setup)
        return state

    # Observation -------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        """Call `listener(event)` after every change."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        """Stop calling `listener`."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(self, *parts: Part | str) -> None:
        event = StateChanged(frozenset(Part(p) for p in parts), self.selected)
        for listener in list(self._listeners):
            listener(event)

    # The selected run --------------------------------------------------------------------------

    @property
    def run(self) -> Run:
        """The selected run: the one the views draw."""
        return self.runs[self.selected]

    @property
    def trainer(self) -> Trainer:
        """The selected run's Trainer (for the lesson runner's checks and the command line;
        views draw from `run`)."""
        return self.run.trainer

    @property
    def config(self) -> TrainConfig:
        """The selected run's configuration."""
        return self.run.config

    @property
    def step_count(self) -> int:
        """Steps the clock has taken: the most any run took (a stopped run stops early)."""
        return max(run.step_count for run in self.runs)

    @property
    def stopped(self) -> bool:
        """Whether every run has stopped (diverged, or ended by the stop rule)."""
        return all_stopped(self.runs)

    def select_run(self, index: int) -> None:
        """Show run `index` (from 0) in the views."""
        if not 0 <= index < len(self.runs):
            raise SettingError(f"run must be a whole number from 1 to {len(self.runs)}")
        if index != self.selected:
            self.selected = index
            self._emit(Part.SELECTED, Part.RUNS, Part.CONFIG, Part.TRAINER, Part.PROGRESS)

    @property
    def problem(self) -> str:
        """The chosen problem's key."""
        return self.config.problem

    @property
    def recommendation(self) -> Recommendation:
        """The core's Recommendation for the current problem."""
        return recommend(self.problem)

    @property
    def recommended_loss(self) -> str:
        """The LOSSES key recommended for the problem."""
        return self.recommendation.loss

    @property
    def steps_per_tick(self) -> int:
        """SGD steps per tick of a running app."""
        return max(1, self.speed // TICKS_PER_SECOND)

    @property
    def models(self) -> tuple[str, ...]:
        """Model kinds offered for the task (density estimation: its parameters, "linear")."""
        return get_task(self.run.dataset.kind).models

    @property
    def datasets(self) -> tuple[str, ...]:
        """Dataset names offered for the problem: its own, then any added at run time that fit."""
        return datasets_for(self.problem)

    def loss_choices(self) -> list[LossChoice]:
        """The losses the menu offers, each with its standing and, if it cannot run, the reason."""
        dataset = self.run.dataset
        task = get_task(dataset.kind)
        return [
            LossChoice(
                key,
                loss.title,
                loss_verdict(self.problem, key).standing,
                check_pairing(key, dataset),
            )
            for key, loss in LOSSES.items()
            if task.offers(loss)
        ]

    @property
    def divergence_message(self) -> str | None:
        """The selected run's divergence in a sentence, with advice a lesson would not refuse
        (`Run.divergence_message`); None when it has not diverged."""
        return self.run.divergence_message(self.is_locked)

    @property
    def convergence_message(self) -> str | None:
        """The selected run's end by the stop rule in a sentence, with how to go on; else None."""
        return self.run.convergence_message(self.is_locked)

    # Locks and visibility ------------------------------------------------------------------------

    def _controls(self, names: Iterable[str]) -> frozenset[str]:
        out = frozenset(names)
        unknown = sorted(out - set(CONTROLS))
        if unknown:
            raise SettingError(f"unknown control {unknown[0]!r}; allowed: {', '.join(CONTROLS)}")
        return out

    def lock(self, *names: str) -> None:
        """Refuse changes to these settings or actions until they are unlocked."""
        self._set_controls(locked=self.locked | self._controls(names))

    def unlock(self, *names: str) -> None:
        """Allow changes again (no names: unlock everything)."""
        names_ = self._controls(names) if names else self.locked
        self._set_controls(locked=self.locked - names_)

    def hide(self, *names: str) -> None:
        """Take these controls off the screen (a hidden control is also locked)."""
        self._set_controls(hidden=self.hidden | self._controls(names))

    def show(self, *names: str) -> None:
        """Show hidden controls again (no names: show everything)."""
        names_ = self._controls(names) if names else self.hidden
        self._set_controls(hidden=self.hidden - names_)

    def set_controls(self, *, locked: Iterable[str] = (), hidden: Iterable[str] = ()) -> None:
        """Exactly these controls locked and these hidden, in one change (a lesson's step):
        the views re-sync once, not once per lock."""
        self._set_controls(locked=self._controls(locked), hidden=self._controls(hidden))

    def _set_controls(
        self, *, locked: frozenset[str] | None = None, hidden: frozenset[str] | None = None
    ) -> None:
        before = (self.locked, self.hidden)
        self.locked = self.locked if locked is None else locked
        self.hidden = self.hidden if hidden is None else hidden
        if (self.locked, self.hidden) != before:
            self._emit(Part.CONTROLS)

    def is_locked(self, name: str) -> bool:
        """Whether a lesson keeps this control as it is (locked or hidden)."""
        return name in self.locked or name in self.hidden

    def _guard(self, name: str) -> None:
        if self.is_locked(name):
            label = SETTINGS[name].label if name in SETTINGS else ACTION_LABELS[name]
            raise SettingError(f"{label[:1].upper()}{label[1:]}: the lesson holds it at this step")

    # Setting values ------------------------------------------------------------------------------

    def set(self, key: str, value: object) -> None:
        """Set one setting from text or a value (see `apply`)."""
        self.apply({key: value})

    def apply(self, changes: Mapping[str, object], *, force: bool = False) -> None:
        """Set several settings at once, whole or not at all: every value is parsed and the new
        configurations validated before anything changes. Training settings make new runs from
        step 0 when they change them; a new problem starts from that problem's defaults (keeping
        the seed) and ends a race. A dataset the loss cannot train on brings the recommended
        loss. A training setting applies to every run of a race, except the setting the race
        varies, which applies to the selected run. `force` ignores locks (restoring a
        snapshot)."""
        values = {key: get_setting(key).parse(raw) for key, raw in changes.items()}
        if not force:
            self._guard_changes(values)
        race, configs = self._planned_runs(values)
        view = {k: v for k, v in values.items() if k in VIEW_KEYS}
        if "p" in view or "q" in view:
            p, q = view.get("p", self.pq_p), view.get("q", self.pq_q)
            if len(p) != len(q):
                raise SettingError(f"P and Q must have the same length, got {len(p)} and {len(q)}")
        current = [run.config for run in self.runs]
        changed = configs != current or race != self.race
        keeps_runs = changed and race == self.race and self._only_the_stop_rule(configs)
        new_runs = None
        if changed and not keeps_runs:
            # Checked before the runs are made: making their data and step 0's record is the cost.
            for config in configs:
                refusal = app_over_cap(config, lifted=self.allow_long_run)
                if refusal is not None:
                    raise SettingError(refusal)
            new_runs = make_runs(configs, race)
        # Everything is valid: change the state, then tell the listeners once.
        parts: set[Part] = set()
        if keeps_runs:
            parts |= self._keep_runs(configs)
        elif new_runs is not None:
            parts |= self._replace_runs(new_runs, race)
        parts |= self._apply_view(view)
        if parts:
            self._emit(*parts)

    def _guard_changes(self, values: Mapping[str, Any]) -> None:
        """SettingError when a lesson holds a control that `values` would change."""
        current = self.values()
        for key, value in values.items():
            # A held control set to the value it has is no change (a tab shown again as the
            # screen opens on the pane a lesson holds).
            if value != current.get(key):
                self._guard(key)

    def _planned_runs(self, values: Mapping[str, Any]) -> tuple[Race | None, list[TrainConfig]]:
        """The race and each run's configuration that `values` ask for (SettingError when they
        cannot go together). Changes start from the selected run's configuration."""
        config = self.config
        training = {k: v for k, v in values.items() if k in TRAINING_KEYS}
        problem = training.pop("problem", config.problem)
        race = values.get("race", self.race)
        # A whole configuration (a snapshot's: every setting but those left unset, which a
        # snapshot omits) is taken as it is, not as changes to this one.
        defaults = TrainConfig.default_for(problem)
        unset = {k for k in TRAINING_KEYS if getattr(defaults, k) is None}
        whole = set(training) | unset >= set(TRAINING_KEYS) - {"problem"}
        if problem != config.problem:
            config = TrainConfig.default_for(problem).replace(seed=config.seed)
            if "race" not in values:
                race = None  # a race's values were chosen for the old problem
        if race is not None and race.key in training and "race" not in values:
            # The setting the race varies, changed on the selected run: that run's value.
            race = race.with_value(self.selected, training[race.key])
            if not whole:
                training.pop(race.key)
        if whole:
            config = configure_whole(problem, training)
        elif training:
            config = configure(config, training)
        if race is None:
            return None, [config]
        return race, race_configs(config, race)

    def _only_the_stop_rule(self, configs: list[TrainConfig]) -> bool:
        """Whether `configs` change only the runs' stop rule, in a way that keeps every run (it
        would not have stopped earlier: `Trainer.keeps_run`)."""
        if len(configs) != len(self.runs):
            return False
        for run, config in zip(self.runs, configs, strict=True):
            current = run.config
            if config.replace(**{k: getattr(current, k) for k in STOP_KEYS}) != current:
                return False
            if not run.keeps_run(config.patience):
                return False
        return True

    def _keep_runs(self, configs: list[TrainConfig]) -> builtins.set[Part]:
        """The runs so far are the runs the new stop rule gives: they go on from here (a
        converged run trains on under patience 0 or a longer one)."""
        for run, config in zip(self.runs, configs, strict=True):
            run.set_patience(config.patience)
        if self.stopped:
            self.running = self.fast = False
        return {Part.CONFIG, Part.PROGRESS, Part.RUNNING}

    def _replace_runs(self, runs: list[Run], race: Race | None) -> builtins.set[Part]:
        parts = {Part.CONFIG, Part.TRAINER, Part.PROGRESS, Part.RUNNING, Part.GHOST}
        one_to_one = race is None and self.race is None and len(self.runs) == 1
        ghost = self.run.ghost(runs[0].config) if one_to_one else None
        # A run with nothing to compare (no steps yet) leaves the ghost before it, where that
        # compares with the new run: a change and a second one at step 0 keep the run trained.
        kept = self.ghost if self.ghost is not None and self.ghost.fits(runs[0].config) else None
        self.ghost = ghost if ghost is not None or not one_to_one else kept
        if runs[0].config.problem != self.config.problem:
            parts.add(Part.PROBLEM)
            self.running = self.fast = False
        if race != self.race or len(runs) != len(self.runs):
            parts.add(Part.RUNS)
        # Another race shows its first run; the same race, a setting changed, keeps its choice.
        self.selected = min(self.selected, len(runs) - 1) if race == self.race else 0
        self.runs, self.race = runs, race
        if self.stopped:
            self.running = self.fast = False
        return parts

    def _apply_view(self, view: dict[str, Any]) -> builtins.set[Part]:  # `set` is a method here
        parts: set[Part] = set()
        # Each of these is an attribute of the same name and a Part of the same value.
        view_keys = ("pane", "speed", "units", "log10", "shapes", "calibration", "landscape")
        for key in (*view_keys, "example"):
            if key in view and view[key] != getattr(self, key):
                setattr(self, key, view[key])
                parts.add(Part(key))
        p, q = view.get("p", self.pq_p), view.get("q", self.pq_q)
        if (p, q) != (self.pq_p, self.pq_q):
            self.pq_p, self.pq_q = p, q
            parts.add(Part.PQ)
        return parts

    # The familiar setters, each one setting through `apply`.

    def set_problem(self, key: str) -> None:
        """Choose a catalogue problem: its default configuration and a fresh, paused run."""
        self.set("problem", key)

    def set_pane(self, pane: str) -> None:
        """Show `pane` (one of PANES)."""
        self.set("pane", pane)

    def set_units(self, units: str) -> None:
        """Bits or nats for entropy, cross-entropy and KL."""
        self.set("units", units)

    def set_pq(self, p: Iterable[float], q: Iterable[float]) -> None:
        """The P/Q lab's distributions (same length, non-negative, each summing to 1). Only
        the one that changes is set, so a lesson may lock the other."""
        p, q = tuple(p), tuple(q)
        changes = {"p": p} if p != self.pq_p else {}
        if q != self.pq_q or len(q) != len(p):
            changes["q"] = q
        if changes:
            self.apply(changes)

    def set_example(self, index: int) -> None:
        """The validation example the Distributions pane shows (views clamp it to the set)."""
        self.set("example", index)

    def set_lr(self, value: object) -> None:
        """The learning rate (a new run from step 0 when it changes)."""
        self.set("lr", value)

    def regenerate(self) -> None:
        """Draw a new dataset (and initial weights) with the next seed."""
        self._guard("regenerate")
        self.set("seed", self.config.seed + 1)

    # Running -------------------------------------------------------------------------------------

    def step(self, n: int = 1) -> int:
        """Take up to n SGD steps; stops running on divergence or convergence. Returns the steps
        taken."""
        return self.step_for(math.inf, n)

    def step_for(
        self,
        seconds: float,
        limit: float = math.inf,
        until: Callable[[], bool] | None = None,
    ) -> int:
        """Train for about `seconds` of wall time (fast-forward's slice), at most `limit` steps
        of the clock, and with `until` (a lesson's wait) up to the first step after which
        `until()` holds. Each step of the clock steps every run that has not stopped, so runs
        stay at the same step until one stops. Playing stops when every run has stopped;
        listeners hear of it once. Returns the clock's steps taken."""
        if self.stopped:
            if self.running:
                self.running = self.fast = False
                self._emit(Part.RUNNING)
            return 0
        done = 0
        deadline = time.perf_counter() + seconds
        # Steps in chunks: the clock is read every FAST_CHUNK steps, not every step. A wait is
        # looked at after every step, so that fast-forward stops on the first step it holds
        # (a look costs about one pass over the data: a few SGD steps' worth).
        chunk = FAST_CHUNK if until is None else 1
        while done < limit:
            n = int(min(limit - done, chunk))
            taken = step_runs(self.runs, n)
            done += taken
            if not taken or self.stopped:
                break
            if until is not None and until():
                break
            if time.perf_counter() >= deadline:
                break
        if self.stopped:
            # The runs stopped themselves (the stop rule, or divergence): playing stops with them.
            self.running = self.fast = False
            self._emit(Part.PROGRESS, Part.RUNNING)
        elif done:
            self._emit(Part.PROGRESS)
        return done

    # Races ---------------------------------------------------------------------------------------

    def race_losses(self) -> None:
        """Race the selected run's loss against the recommended loss and the alternatives the
        recommendation lists (those that can train on the data, at most four runs), on the
        Race pane (SettingError when there is no other loss, or a lesson holds the race)."""
        race = alternatives_race(self.problem, self.config.loss, self.run.dataset)
        self.apply({"race": race, "pane": "race"})

    def race_learning_rates(self) -> None:
        """Race the selected run's setup at the learning rates 0.001, 0.01, 0.1 and 1, on the
        Race pane."""
        self.apply({"race": learning_rate_race(), "pane": "race"})

    def end_race(self) -> None:
        """Back to one run: the selected one, as far as it trained (ValueError when no race is
        on, or a lesson holds the race)."""
        if self.race is None:
            raise ValueError("No race is on: v on the Train pane races the losses")
        self._guard("race")
        run = self.run
        run.label = ""
        self.runs, self.race, self.selected = [run], None, 0
        if self.stopped:
            self.running = self.fast = False
        self._emit(Part.RUNS, Part.CONFIG, Part.TRAINER, Part.PROGRESS, Part.RUNNING)

    def _refuse_to_train(self, action: str = "play", *, force: bool = False) -> None:
        """ValueError, with the reason, when the runs cannot train on (a lesson holds `action`,
        unless `force`; every run diverged or was ended by the stop rule: the selected run's
        reason, or the first stopped run's)."""
        if not force:
            self._guard(action)
        if not self.stopped:
            return
        if self.race is not None:
            raise ValueError(self._race_ended())
        run = self.run
        if run.diverged:
            raise ValueError(run.divergence_message(self.is_locked) or "the run diverged")
        raise ValueError(run.convergence_message(self.is_locked))

    def _race_ended(self) -> str:
        """Why a race whose runs have all stopped trains no more, run by run."""
        ends = []
        for run in self.runs:
            if run.diverged:
                ends.append(f"{run.label} diverged at step {run.diverged_at_step or 0:,}")
            else:
                ends.append(f"{run.label} converged at step {run.converged_at_step or 0:,}")
        how = "r starts the race again"
        if not self.is_locked("patience") and not all(run.diverged for run in self.runs):
            how += "; patience 0 (c on the Train pane) trains the converged runs on"
        return f"Every run of the race has stopped ({'; '.join(ends)}). {how}."

    def step_once(self) -> None:
        """One SGD step, the key n (ValueError, with the reason, where `play` would refuse: a
        step that silently does nothing leaves the student guessing)."""
        self._refuse_to_train("step")
        self.step(1)

    def play(self, *, force: bool = False) -> None:
        """Start training at the chosen speed (ValueError, with the reason, once the run has
        diverged or converged). `force`: a lesson's own `run N`, which plays where the lesson
        holds the key."""
        self._refuse_to_train(force=force)
        if not self.running or self.fast:
            self.running, self.fast = True, False
            self._emit(Part.RUNNING)

    def fast_forward(self) -> None:
        """Train as fast as the machine allows until the stop rule ends the run or `pause`
        (ValueError, with the reason, where `play` would refuse)."""
        self._refuse_to_train()
        if not (self.running and self.fast):
            self.running, self.fast = True, True
            self._emit(Part.RUNNING)

    def pause(self) -> None:
        """Stop training (at the chosen speed or fast-forward)."""
        if self.running:
            self.running = self.fast = False
            self._emit(Part.RUNNING)

    def toggle_running(self) -> None:
        """Play when paused, pause when playing."""
        if self.running:
            self.pause()
        else:
            self.play()

    def reset(self) -> None:
        """Back to step 0 with the same data and initial weights; paused."""
        self._guard("reset")
        self._reset_runs()
        self.ghost = None
        self.running = self.fast = False
        self._emit(Part.TRAINER, Part.PROGRESS, Part.RUNNING, Part.GHOST)

    def toggle_ghosts(self) -> None:
        """Draw the replaced run's curve on the loss plot, or not."""
        self.ghosts = not self.ghosts
        self._emit(Part.GHOST)

    def _reset_runs(self) -> None:
        for run in self.runs:
            run.reset()

    def faster(self) -> None:
        """The next speed up, if any."""
        i = SPEEDS.index(self.speed)
        if i < len(SPEEDS) - 1:
            self.set("speed", SPEEDS[i + 1])

    def slower(self) -> None:
        """The next speed down, if any."""
        i = SPEEDS.index(self.speed)
        if i > 0:
            self.set("speed", SPEEDS[i - 1])

    def toggle_log10(self) -> None:
        """Plot log10(loss) or the loss."""
        self.set("log10", not self.log10)

    def toggle_landscape(self) -> None:
        """The Train pane's loss landscape, or its fit."""
        self.set("landscape", not self.landscape)

    def toggle_calibration(self) -> None:
        """The Distributions pane's reliability diagram, or its examples."""
        self.set("calibration", not self.calibration)

    def toggle_shapes(self) -> None:
        """The Recommendation pane's losses drawn against the prediction, or its text."""
        self.set("shapes", not self.shapes)

    def toggle_units(self) -> None:
        """Switch between bits and nats."""
        self.set_units(UNITS[1 - UNITS.index(self.units)])

    # Snapshot, restore and the setup line -----------------------------------------------------

    def values(self) -> dict[str, Any]:
        """Every setting's value: the selected run's configuration, what is on show, and the
        race (None for one run)."""
        config = self.config
        out: dict[str, Any] = {k: getattr(config, k) for k in TRAINING_KEYS}
        out.update(
            pane=self.pane,
            speed=self.speed,
            units=self.units,
            log10=self.log10,
            shapes=self.shapes,
            calibration=self.calibration,
            landscape=self.landscape,
            example=self.example,
            p=self.pq_p,
            q=self.pq_q,
            race=self.race,
        )
        return out

    def snapshot(self) -> dict[str, Any]:
        """The state as a plain, JSON-ready dict: every setting as setup-line text (a race's
        runs too), the steps the clock took, which run is selected, and the locked and hidden
        controls. `restore` rebuilds the same state."""
        settings = {k: SETTINGS[k].format(v) for k, v in self.values().items() if v is not None}
        extra = {"selected": self.selected} if self.selected else {}
        return {
            "settings": settings,
            "step": self.step_count,
            **extra,
            "locked": sorted(self.locked),
            "hidden": sorted(self.hidden),
        }

    def restore(self, snapshot: Mapping[str, Any]) -> None:
        """Rebuild the state `snapshot` describes: its settings, its locks and its run, trained
        to the same step (training is deterministic, so the same steps give the same numbers).
        A bad snapshot raises SettingError and changes nothing."""
        settings = snapshot.get("settings")
        step = snapshot.get("step", 0)
        if not isinstance(settings, Mapping):
            raise SettingError("a snapshot needs a 'settings' table of KEY: VALUE")
        if not isinstance(step, int) or isinstance(step, bool) or step < 0:
            raise SettingError(f"a snapshot's step must be a whole number ≥ 0, got {step!r}")
        locked = self._controls(snapshot.get("locked", ()))
        hidden = self._controls(snapshot.get("hidden", ()))
        selected = snapshot.get("selected", 0)
        race = SETTINGS["race"].parse(settings.get("race"))
        runs = 1 if race is None else len(race.values)
        if not isinstance(selected, int) or isinstance(selected, bool) or not 0 <= selected < runs:
            raise SettingError(f"a snapshot's selected run must be a run's index, got {selected!r}")
        self.pause()
        # A snapshot without a race is of one run: the race on now, if any, ends.
        self.apply({"race": "off", **settings}, force=True)
        for run in self.runs:
            run.reset()
            run.step(step)  # one clock: each run its steps, or fewer where it stopped
        self.selected = selected
        self.ghost = None  # a restored state is the one saved, without the run it replaced
        self._set_controls(locked=locked, hidden=hidden)
        self._emit(Part.TRAINER, Part.PROGRESS, Part.RUNNING, Part.GHOST)

    def setup_line(self, *, full: bool = False) -> str:
        """The state as one line of `KEY=VALUE` words that `apply_setup_line` reads: the problem,
        then the settings that differ from the problem's defaults (all of them with `full`)."""
        defaults = TrainConfig.default_for(self.problem)  # no data made to read them
        fresh = {**{k: getattr(defaults, k) for k in TRAINING_KEYS}, **VIEW_DEFAULTS, "race": None}
        words = [f"problem={self.problem}"]
        for key, value in self.values().items():
            if key != "problem" and value is not None and (full or value != fresh[key]):
                words.append(f"{key}={SETTINGS[key].format(value)}")
        return " ".join(words)

    def apply_preset(self, key: str) -> None:
        """Set up the named preset (see `losstui.core.presets`): its settings on its problem's
        defaults, fresh paused runs, the Train pane (the Race pane for a race preset);
        SettingError for an unknown key or a locked setting it would change."""
        preset = app_preset(key)
        # The problem's defaults come from its config alone: no throwaway state, run or data.
        fresh = TrainConfig.default_for(preset.problem)
        target: dict[str, object] = {
            k: v for k in TRAINING_KEYS if (v := getattr(fresh, k)) is not None
        }
        target.update({k: get_setting(k).parse(v) for k, v in preset.settings.items()})
        target.setdefault("race", None)  # a preset without a race is one run
        target["pane"] = "train" if target["race"] is None else "race"
        self.pause()
        if self.values().get("problem") != target["problem"]:
            # A new problem brings its own defaults: compare the preset with those, or a
            # setting equal to the old problem's value (model=linear) would be left out.
            self.apply({"problem": target["problem"]})
        current = self.values()
        self.apply({k: v for k, v in target.items() if current.get(k) != v})
        self._reset_runs()
        self.ghost = None  # a preset is a fresh demonstration
        self._emit(Part.TRAINER, Part.PROGRESS, Part.GHOST)

    def apply_setup_line(self, text: str) -> None:
        """Apply a line of `KEY=VALUE` words, whole or not at all (SettingError naming the first
        bad word or value). A problem in the line is applied first, so the rest is read on it."""
        self.apply(parse_setup_line(text))
