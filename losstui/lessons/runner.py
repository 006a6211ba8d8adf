"""The lesson runner: a lesson driving the app state step by step, UI-free."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Generator, Mapping
from typing import TYPE_CHECKING, Any

from losstui.core.settings import SettingError
from losstui.lessons.format import REPLAY_STEPS, starts_runs
from losstui.lessons.language import TRAINED, Choice, Condition, Lesson, Step
from losstui.lessons.values import (
    density_values,
    fill,
    kept_text,
    lesson_values,
    race_values,
    waiting_for,
)

if TYPE_CHECKING:
    from losstui.core.state import AppState

#: `wait step OP N`: how many steps past N the wait first holds.
_REACHES = {">=": 0, "==": 0, ">": 1}
#: Resuming: a run left further on than this many steps, or than RESUME_SECONDS of training by
#: the work cap's estimate, is trained again only this far, so that opening a lesson never stalls.
RESUME_STEPS = 50_000
RESUME_SECONDS = 10.0
#: Training that entering a step needs (going back, resuming) is done in slices of about this
#: long, with the app's keys answered between them (`LessonRun.settle`).
SLICE_SECONDS = 0.05

#: Training in slices: yields between them, returns what the last one gives.
Slices = Generator[None, None, Any]


def _fresh(step: Step) -> bool:
    """Whether `step` sets something that starts new runs."""
    return starts_runs(step.settings)


def _trains(wait: Condition | None) -> bool:
    """Whether training moves what `wait` looks at, so that training can meet it."""
    return wait is not None and wait.name in TRAINED


#: What the run counts as it trains, read without a pass over the data.
_COUNTED = frozenset({"step", "epoch", "diverged"})


def trained_values(
    state: AppState, names: frozenset[str] | None = None, *, each_run: bool = False
) -> dict[str, Any]:
    """The values training moves (the clock's step, the selected run's epoch, losses, metrics,
    divergence and, for density data, the fit), read from an `AppState` at a fraction of
    `lesson_values`'s cost: fast-forward looks at a wait after every step. With `names`, only
    what those need: a wait on the step, the epoch or a divergence costs no pass over the data.
    `each_run`: the wait reads one run of a race (`run2.accuracy`): every run's values too
    (`race_values`)."""
    run = state.run
    out: dict[str, Any] = {
        "step": state.step_count,
        "epoch": run.epoch,
        "diverged": run.diverged,
    }
    if names is None or not names <= _COUNTED:
        out.update(run.evaluate())
        out.update(density_values(run.trainer))
    if each_run:
        out.update(race_values(state))  # a wait on one run of a race
    return out


def _step_target(wait: Condition | None) -> int | None:
    """The step at which `wait step >= N` (or > N, == N) first holds; None for another wait."""
    if wait is None or wait.name != "step" or wait.op not in _REACHES:
        return None
    return int(wait.value) + _REACHES[wait.op]


class LessonRun:
    """A lesson driving an `AppState`, step by step (UI-free: the app's lesson panel and the
    tests drive it the same way).

    Entering step i applies what steps 0 … i set, locked, unlocked, hid and showed, in order, so
    going back gives the same screen as coming forward. A step's `run N` trains N steps: the app
    plays and `tick()` pauses it when they are done. `blocked()` says why Next is refused.
    """

    def __init__(
        self, lesson: Lesson, state: AppState, index: int = 0, *, sliced: bool = False
    ) -> None:
        self.lesson = lesson
        self.state = state
        #: Whether entering a step leaves its training (going back, resuming) to `settle`, in
        #: slices the app's event loop drives, so that q and < answer meanwhile; else (tests,
        #: scripts) it is done before `enter` returns.
        self.sliced = sliced
        self._pending: Slices | None = None
        self.index = max(0, min(index, len(lesson.steps) - 1))
        self.answers: dict[int, int] = {}
        self.run_until: int | None = None
        self.hint_shown = False
        #: Whether the step's wait held at the last look of a fast-forward (its start, then each
        #: slice).
        self._held = False
        #: Values kept by the steps' `keep`, by the name they are quoted by, as shown: "0.8123
        #: (Mean squared error)" (see `kept_text`).
        self.kept: dict[str, str] = {}
        #: The furthest step entered (the steps before it are done), and the steps whose text
        #: after `<!-- then -->` shows.
        self._furthest = self.index
        self._revealed: set[int] = set()

    @property
    def step(self) -> Step:
        return self.lesson.steps[self.index]

    @property
    def count(self) -> int:
        return len(self.lesson.steps)

    @property
    def last(self) -> bool:
        return self.index == self.count - 1

    def enter(self, index: int | None = None, *, replay: bool = True) -> None:
        """Go to step `index` (the current one by default) and apply it to the state: the
        settings of every step up to it (`replay`, going back or resuming) or its own alone
        (coming forward, so that what the student changed meanwhile stays)."""
        if index is not None:
            index = max(0, min(index, self.count - 1))
            if not replay and index == self.index + 1:
                # Coming forward by Next: the student leaves this step as they see it.
                self._keep(self.step, self.values())
            self.index = index
        self._furthest = max(self._furthest, self.index)
        self.hint_shown = False
        self.run_until = None
        self._held = False
        state = self.state
        state.pause()
        locked: set[str] = set()
        hidden: set[str] = set()
        for step in self.lesson.steps[: self.index + 1]:
            locked = (locked | set(step.lock)) - set(step.unlock)
            hidden = (hidden | set(step.hide)) - set(step.show)
        if replay:
            # Each step's settings in order, as coming forward applied them: all at once, an
            # earlier step's loss would outlive a later step's new problem (which brings its
            # own defaults), and an earlier dataset could meet a later problem.
            self._apply_in_order()
        elif self.step.settings:
            try:
                state.apply(dict(self.step.settings), force=True)
            except ValueError:  # a SettingError, as `lesson check` catches it
                # This step's settings on what the student changed meanwhile may not go
                # together where the steps' own, in order, do: set them up as `lesson check`
                # replayed them, so a lesson that passed it cannot crash here.
                self._apply_in_order()
        state.set_controls(locked=locked, hidden=hidden)
        self._start(self._entered(replay))

    def _entered(self, replay: bool) -> Slices:
        """Entering the step, once its settings are set: train the run as before (`replay`),
        start the step's own `run N`, keep what earlier steps keep."""
        state = self.state
        base = (yield from self._train_as_before()) if replay else None
        # Going back (or resuming) to a step whose run is done does not train it again.
        done = state.step_count >= (self.step.run if base is None else base + self.step.run)
        # A run that diverged (or that its stop rule ended) does not train on: the Train pane
        # says so and what to change, as for any run, and `r` starts it again.
        if self.step.run and not (replay and done) and not state.stopped:
            self.run_until = state.step_count + self.step.run
            state.play(force=True)  # the lesson's own run, where it holds the key from the student
        if replay:
            yield from self._missing_kept()

    def _start(self, work: Slices) -> None:
        """Do `work` (the training a step needs) now, or, `sliced`, leave it to `settle`; work
        left from a step the student has left is dropped."""
        if self._pending is not None:
            self._pending.close()
        self._pending = work
        if not self.sliced:
            self.settle()

    @property
    def settling(self) -> bool:
        """Whether the step is still being set up: its run trained as before, in slices."""
        return self._pending is not None

    def settle(self, seconds: float = math.inf) -> bool:
        """Go on with setting up the step (training its run as before) for about `seconds`;
        whether it is set up."""
        deadline = time.perf_counter() + seconds
        while self._pending is not None:
            try:
                next(self._pending)
            except StopIteration:
                self._pending = None
                break
            if time.perf_counter() >= deadline:
                return False
        return True

    def _train(self, steps: float, until: Callable[[], bool] | None = None) -> Slices:
        """Train up to `steps` steps (with `until`, to the first step after which it holds), in
        slices of SLICE_SECONDS with a yield between them."""
        state = self.state
        left = steps
        while left > 0:
            taken = state.step_for(SLICE_SECONDS, left, until)
            left -= taken
            if not taken or state.stopped:
                return
            if until is not None and left > 0 and until():
                return
            if left > 0:
                yield

    def _apply_in_order(self) -> None:
        """Every step's settings up to this one, in order, from a fresh state's (as coming
        forward and `lesson check` apply them), worked out on a scratch state and then set at
        once: where they equal the settings now, the run is kept (going back to a step done
        quotes the run the student trained)."""
        from losstui.core.state import AppState

        scratch = AppState()
        for step in self.lesson.steps[: self.index + 1]:
            if step.settings:
                scratch.apply(step.settings, force=True)
        settings = scratch.snapshot()["settings"]
        settings.setdefault("race", "off")  # a snapshot leaves out a race that is not on
        self.state.apply(settings, force=True)

    def _train_as_before(self) -> Slices:
        """Going back or resuming to this step, where the replayed settings started a new run:
        train it as the steps before did since their last training setting, in order (a `run
        N` trains N steps, a `wait` on what training moves trains until it holds), so that
        prose written for that run quotes it ("full batch lands on the closed form"), not step
        0. Coming forward, the student has done it. Returns the step reached; None where the
        run went on (nothing was reset) and is the student's as it is."""
        steps = self.lesson.steps
        if _fresh(self.step):
            return 0  # this step starts its own run
        state = self.state
        if state.step_count > 0:
            return None
        first = next((i for i in range(self.index - 1, -1, -1) if _fresh(steps[i])), 0)
        for step in steps[first : self.index]:
            yield from self._train_like(step)
            if step.keep and not all(kept in self.kept for _, kept in step.keep):
                self._keep(step, self.values())  # as the student would have left it
        return state.step_count

    def _train_like(self, step: Step) -> Slices:
        """Train the run as `step` has the student train it: its `run N`, then until its `wait`
        on what training moves holds (at most REPLAY_STEPS)."""
        state = self.state
        if step.run:
            yield from self._train(step.run)
        wait = step.wait
        target = _step_target(wait)
        if target is not None:
            yield from self._train(max(0, target - state.step_count))
        elif wait is not None and _trains(wait) and not wait.holds(self.values()):
            # To the first step where it holds, as fast-forward stops there.
            yield from self._train(REPLAY_STEPS, until=self._first_hold(wait))

    def _keep(self, step: Step, values: Mapping[str, Any]) -> None:
        """Keep what `step` keeps, as `values` show it now."""
        for name, kept in step.keep:
            self.kept[kept] = kept_text(name, values)

    def _missing_kept(self) -> Slices:
        """Keep, by replaying the lesson on a state of its own, the values the steps before this
        one keep but this run has not (resuming with an older progress file, or an instructor
        jumping ahead): each as the student who took those steps would have left it."""
        from losstui.core.state import AppState

        for i, step in enumerate(self.lesson.steps[: self.index]):
            if all(kept in self.kept for _, kept in step.keep):
                continue  # nothing to keep, or kept already (maybe by the replay before)
            scratch = LessonRun(self.lesson, AppState(), i, sliced=True)
            scratch.kept = self.kept  # what is kept already stays as the student saw it
            scratch.enter()
            if scratch._pending is not None:
                yield from scratch._pending
                scratch._pending = None
            scratch.state.pause()
            yield from scratch._train_like(step)
            scratch._keep(step, scratch.values())

    def restore_kept(self, kept: Mapping[str, str]) -> None:
        """Take back values kept in an earlier run (see `kept`); a name no step of the lesson
        keeps any more (an edited lesson) is dropped."""
        keeps = {name for step in self.lesson.steps for _, name in step.keep}
        self.kept.update({k: v for k, v in kept.items() if k in keeps and isinstance(v, str)})

    def left_state(self) -> dict[str, Any]:
        """The app state as the student leaves it at this step, JSON-ready for the progress file:
        every setting (the P/Q lab, the pane, the run's configuration), the steps trained, and
        this step's index. `resume` rebuilds it."""
        snapshot = self.state.snapshot()
        return {"index": self.index, "settings": snapshot["settings"], "step": snapshot["step"]}

    def resume(self, left: Mapping[str, Any] | None) -> bool:
        """Enter this step as the student left it: the steps' settings replayed, then the state
        `left_state` saved (the P/Q lab's distributions, the pane, the run trained to its step,
        at most RESUME_STEPS). A saved state of another step, or one that no longer applies (an
        edited lesson, a hand-edited file), is ignored: the step is entered as going back would.
        Whether the saved state was restored."""
        self.enter()
        if not left or left.get("index") != self.index:
            return False
        state = self.state
        step, settings = left.get("step"), left.get("settings")
        if not isinstance(step, int) or isinstance(step, bool) or not isinstance(settings, dict):
            return False
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in settings.items()):
            return False
        snapshot = {
            "settings": settings,
            "step": 0,  # trained below, in slices
            "locked": sorted(state.locked),
            "hidden": sorted(state.hidden),
        }
        try:
            state.restore(snapshot)  # whole or not at all
        except SettingError:
            return False
        self.run_until = None  # the step's `run` was the student's to finish: space goes on
        # The run trained again to where it was left (as far as RESUME_STEPS and RESUME_SECONDS
        # allow), in place of the replay `enter` began; what earlier steps keep, kept as then.
        self._start(self._resumed(min(max(0, step), RESUME_STEPS, self._affordable())))
        return True

    def _resumed(self, steps: int) -> Slices:
        yield from self._train(steps)
        yield from self._missing_kept()

    def _affordable(self) -> int:
        """How many steps of the state's run fit in RESUME_SECONDS, by the work cap's estimate."""
        from losstui.core.work import run_cost

        return run_cost(self.state.config).steps_within(RESUME_SECONDS)

    def until(self) -> int | None:
        """The step at which training stops by itself: the end of this step's `run N`; under
        fast-forward, also the step its `wait step >= N` names. While the step is set up
        (`settling`), where it is: space or f waits for the replay to end."""
        if self.settling:
            return self.state.step_count
        ends: list[int] = [] if self.run_until is None else [self.run_until]
        target = _step_target(self.step.wait)
        if self.state.fast and target is not None and self.state.step_count < target:
            ends.append(target)  # once there, f goes on past it
        return min(ends, default=None)

    def wait_stops_fast_forward(self) -> bool:
        """Whether a fast-forward started now ends where this step's `wait` first holds: a wait
        on what training moves that does not hold yet (not one on a pane or the units)."""
        return _trains(self.step.wait) and not self.waited()

    def fast_stop(self) -> Callable[[], bool] | None:
        """While fast-forwarding, the test to make after each SGD step so that `f` stops on the
        first step where this step's wait holds; None where the wait does not stop it (there is
        none, training does not move it, or it held when `f` was pressed)."""
        wait = self.step.wait
        if wait is None or not _trains(wait) or self._held or not self.state.fast:
            return None
        return self._first_hold(wait)

    def _first_hold(self, wait: Condition) -> Callable[[], bool]:
        """A test of `wait` on the values as they are now, with what training moves read anew."""
        state = self.state
        leaves = wait.simple()
        names = frozenset(leaf.name for leaf in leaves)
        each_run = any(leaf.run is not None for leaf in leaves)
        # What training does not move, read once, and only where the wait names some of it
        # (`pane == train and r2 > 0.8`): a full read is a pass over the P/Q lab and settings
        # at each fast-forward slice.
        still = self.values() if names - TRAINED else {}

        def holds() -> bool:
            return wait.holds({**still, **trained_values(state, names, each_run=each_run)})

        return holds

    def fast_forward_started(self) -> None:
        """f was pressed: a wait that holds now does not stop this fast-forward (the steps
        taken by n, or a `run`, may have met it since the last tick looked)."""
        self._held = self.waited()

    def tick(self) -> None:
        """After training progressed: pause once this step's `run` is done, and end a
        fast-forward once this step's `wait` holds."""
        state = self.state
        if self.run_until is not None and state.step_count >= self.run_until:
            self.run_until = None
            state.pause()
            return
        # The step's prose was written for the moment its wait first holds ("train to step
        # 300: 300 steps are not enough"); a fast-forward on to the stop rule, thousands of
        # steps later, would have the text say the opposite of the screen. Only the moment it
        # first holds: f pressed again, or on a step already done, goes on.
        # Looked at only while fast-forwarding: the live values cost a pass over the data.
        if not _trains(self.step.wait) or not (state.fast and state.running):
            return
        held, self._held = self._held, self.waited()
        if self._held and not held:
            state.pause()

    def waited(self) -> bool:
        """Whether this step's `wait` holds now (False for a step without one)."""
        wait = self.step.wait
        return wait is not None and wait.holds(self.values())

    def values(self) -> dict[str, Any]:
        return lesson_values(self.state)

    def text(self) -> str:
        """The step's prose with its placeholders filled from the state and the kept values.
        Up to its `<!-- then -->` line alone until the step is done (its wait holds, its
        question is answered right): the rest describes the result. Once shown, it stays, even
        if the value flickers back (it said what happened), and on a step the student has left
        and comes back to."""
        step, values = self.step, {**self.values(), **self.kept}
        if step.before_done is not None and self.index not in self._revealed:
            if self.index < self._furthest or self.blocked(values) is None:
                self._revealed.add(self.index)
            else:
                return fill(step.before_done, values)
        return fill(step.prose, values)

    def fill(self, text: str) -> str:
        """Any of the step's own texts (its hint, question, choices, feedback) with its
        placeholders filled from the state now and the kept values."""
        return fill(text, {**self.values(), **self.kept}) if "{" in text else text

    def blocked(self, values: Mapping[str, Any] | None = None) -> str | None:
        """Why Next is refused now (its `wait` does not hold, its question is unanswered), or
        None when the student may go on. `values`: the live values, when read already."""
        step = self.step
        if self.settling:
            trained = self.state.step_count
            return f"a moment: setting up this step, its run trained as before (step {trained:,})"
        if step.ask is not None:
            chosen = self.answers.get(self.index)
            if chosen is None or not step.ask.choices[chosen].correct:
                return "answer the question first"
        if step.wait is not None:
            if values is None:
                values = self.values()
            if not step.wait.holds(values):
                return f"not yet: > goes on once {waiting_for(step.wait, values)}"
        return None

    def answer(self, choice: int) -> Choice:
        """Record the student's answer to this step's question; the choice, with its feedback."""
        if self.step.ask is None:
            raise ValueError("this step asks no question")
        self.answers[self.index] = choice
        return self.step.ask.choices[choice]

    def answered(self) -> dict[int, tuple[str, str]]:
        """The answers chosen so far: step index → (the question, the answer's text), to keep
        across runs."""
        return {
            i: (ask.prompt, ask.choices[choice].text)
            for i, choice in self.answers.items()
            if (ask := self.lesson.steps[i].ask) is not None
        }

    def restore_answers(self, answered: Mapping[int, tuple[str, str]]) -> None:
        """Take back answers kept from an earlier run (see `answered`); an answer that no longer
        fits the lesson (no such step, another question there, no such answer) is dropped."""
        for i, (prompt, text) in answered.items():
            ask = self.lesson.steps[i].ask if 0 <= i < self.count else None
            if ask is None or ask.prompt != prompt:
                continue
            texts = [c.text for c in ask.choices]
            if text in texts:
                self.answers[i] = texts.index(text)

    def next(self) -> str | None:
        """Go on to the next step; the reason when that is refused (or this is the last)."""
        reason = self.blocked()
        if reason is None and self.last:
            reason = "this is the last step"
        if reason is None:
            self.enter(self.index + 1, replay=False)
        return reason

    def back(self) -> bool:
        """Back to the previous step; False on the first."""
        if self.index == 0:
            return False
        self.enter(self.index - 1)
        return True
