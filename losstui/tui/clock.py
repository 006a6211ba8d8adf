"""Provides the training clock: a tick timer while training plays, slices in fast-forward."""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from losstui.tui.opening import when_built

# The state's module (numpy) loads after the first frame: the clock needs it once training can.
if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

    from losstui.core.state import AppState, StateChanged
    from losstui.tui.lesson_controller import LessonController

FAST_SLICE = 0.08
"""Seconds of training per slice in fast-forward. Slices follow each other with only a yield to
the event loop between them, where keys are answered and the panes' redraws (about 4 frames a
second) are painted: a key waits at most one slice and a frame."""
FAST_GAP = 0.001
"""Seconds between fast-forward slices: just a turn of the event loop."""
PIECE = 0.015
"""Seconds of training between two turns of the event loop while training plays. A tick's steps
go in pieces of about this long, each piece stepping every run alike, so a key waits for one
piece, not a whole tick: four runs of the MLP at 1,000 steps a second took 60 ms a tick."""


class TrainingClock:
    """Trains while the state says it runs: `steps_per_tick` steps a tick on a paused-when-idle
    timer (Textual's stopwatch pattern), or, fast-forwarding, slice after slice. A lesson step's
    `run N` and `wait` end training on their step exactly."""

    def __init__(self, app: App[None], state: AppState, lessons: LessonController) -> None:
        self.app = app
        self.state = state
        self.lessons = lessons
        self._fast_timer: Timer | None = None
        self._ticker: Timer | None = None
        #: The steps of the tick still to train, the timer of its next piece, and what a step
        #: of the clock has been costing (seconds; 0 before the first piece).
        self._owed = 0
        self._piece_timer: Timer | None = None
        self._step_cost = 0.0

    @property
    def ticker(self) -> Timer:
        """The tick timer, paused while training does not play (made on first use, from the
        state's tick rate)."""
        if self._ticker is None:
            from losstui.core.state import TICKS_PER_SECOND

            self._ticker = self.app.set_interval(1 / TICKS_PER_SECOND, self._on_tick, pause=True)
        return self._ticker

    def start(self) -> None:
        """Follow the state's running (call once the app is mounted): from when it is built,
        just after the first frame."""
        self.state.subscribe(self._state_changed)
        when_built(self.state, self._follow_running)

    def _state_changed(self, event: StateChanged) -> None:
        if "running" in event:
            self._follow_running()

    def _follow_running(self) -> None:
        """Tick while training plays, slice after slice in fast-forward, else pause."""
        state = self.state
        if state.running and state.fast:
            # Fast-forward runs slice after slice, not on the ticker's clock: a ticker
            # skips whole periods whenever a slice and a frame overrun one.
            self.ticker.pause()
            if self._fast_timer is None:
                self._fast_timer = self.app.set_timer(FAST_GAP, self._fast_slice)
        elif state.running:
            self.ticker.resume()
        else:
            self.ticker.pause()

    def _fast_slice(self) -> None:
        """One slice of fast-forward, then the next after a turn of the event loop."""
        self._fast_timer = None
        if self._fast_forwarding():
            self.tick()
        if self._fast_forwarding():  # the slice may have ended the run (the stop rule, `run N`)
            self._fast_timer = self.app.set_timer(FAST_GAP, self._fast_slice)

    def _fast_forwarding(self) -> bool:
        return self.state.running and self.state.fast and self.app.is_running

    def _on_tick(self) -> None:
        """The timer's tick: its steps owed, trained piece by piece. What a tick left untrained
        when the next comes is dropped, as a late timer drops its missed periods."""
        self._owed = self.state.steps_per_tick
        if self._piece_timer is None:
            self._train_piece()

    def _train_piece(self) -> None:
        """Train about PIECE seconds of the tick's steps; the rest after a turn of the loop."""
        self._piece_timer = None
        if self._owed <= 0:
            return
        cost = self._step_cost
        steps = self._owed if cost <= 0 else max(1, min(self._owed, int(PIECE / cost)))
        start = time.perf_counter()
        taken = self.tick(steps)
        if taken:
            measured = (time.perf_counter() - start) / taken
            self._step_cost = measured if cost <= 0 else 0.7 * cost + 0.3 * measured
        self._owed -= steps
        state = self.state
        if self._owed > 0 and state.running and not state.fast and self.app.is_running:
            self._piece_timer = self.app.set_timer(FAST_GAP, self._train_piece)
        else:
            self._owed = 0

    def tick(self, steps: int | None = None) -> int:
        """One tick of training, or `steps` of it while playing (what the timer does, piece by
        piece; tests call it to train deterministically). Returns the clock's steps taken."""
        state = self.state
        if not state.running or not self.app.is_running:
            # Quitting takes the screens down widget by widget while the timer still fires: a
            # tick then would draw into panes whose widgets are gone.
            self.ticker.pause()
            return 0
        # A lesson step's `run N` (and, fast-forwarding, its `wait step >= N`) ends on its step
        # exactly, however many steps a tick takes.
        lesson = self.lessons.run
        until = lesson.until() if lesson is not None else None
        limit = math.inf if until is None else max(0, until - state.step_count)
        if state.fast:
            # A lesson's wait on what training moves ends fast-forward on its first step.
            until_wait = lesson.fast_stop() if lesson is not None else None
            taken = state.step_for(FAST_SLICE, limit, until_wait)
        else:
            wanted = state.steps_per_tick if steps is None else steps
            taken = state.step(int(min(wanted, limit)))
        if lesson is not None:  # a step's `run N` or `wait` pauses once it is done
            lesson.tick()
        return taken
