"""Provides the status line: problem, loss and activation, whether training runs, the step."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from losstui.core.problems import PROBLEMS
from losstui.tui.changed_cells import ChangedCells
from losstui.tui.glyphs import UNICODE, Glyphs
from losstui.tui.opening import OPENING_LOSSES, is_built, when_built

# The state's module loads just after the first frame; the line's first text needs none of it.
if TYPE_CHECKING:
    from losstui.core.state import AppState, StateChanged

WIDE = 120
"""From this width the line also names the app and the step."""
INTERVAL = 1.0
"""Seconds between updates while training: the step counter is glanced at, not read digit by
digit (the stats line on the Train pane counts faster)."""
RATE_WINDOW = 1.0
"""Seconds over which the achieved step rate is measured."""
SHORT_OF = 0.9
"""Below this share of the asked speed, the line names both: "training 52/s of 1,000/s"."""


class StatusBar(Widget):
    """One line that says what runs; it follows the app state on its own and repaints only the
    cells that change (the step count's last digits, mostly)."""

    def __init__(self, state: AppState, glyphs: Glyphs = UNICODE, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state = state
        self.glyphs = glyphs
        self._text = ""
        self._last = 0.0
        self._cells = ChangedCells()
        # Where the current rate window began, (time, step), and the last rate measured: a
        # large model cannot keep up with the asked speed, and the line must say what it does.
        self._window: tuple[float, int] | None = None
        self._rate: float | None = None

    def on_mount(self) -> None:
        self.state.subscribe(self._changed)
        self.update_line()
        when_built(self.state, self.update_line)  # the same line, read from the state itself

    def on_unmount(self) -> None:
        self.state.unsubscribe(self._changed)

    def on_resize(self) -> None:
        self._cells.forget()
        self.update_line()

    def render(self) -> Text:
        return Text(self._text, no_wrap=True, overflow="crop")

    def _changed(self, event: StateChanged) -> None:
        now = time.monotonic()
        if event.parts <= {"progress"} and self.state.running and now - self._last < INTERVAL:
            return
        self._last = now
        self.update_line()

    def line(self, width: int) -> str:
        """The status for a terminal `width` cells wide: the first variant that fits one line
        (a wrapped status would push the panes down)."""
        state = self.state
        problem = PROBLEMS[state.problem].title
        if not is_built(state):  # the first frame: a fresh state, paused at step 0
            opening = OPENING_LOSSES[state.problem]
            return self._fit(
                width, problem, opening.title, opening.pairing, "paused", None, "step 0"
            )
        brief = None  # the run's state without its reason, where the names matter more
        if state.race is not None:  # the race's state, not the selected run's alone
            run, brief = self._race_text()
        elif state.run.diverged:
            run = "DIVERGED"
        elif state.run.converged:  # "converged at step 1,240: validation loss not improved …"
            run = state.run.convergence_summary or "converged"
            brief = run.split(":", 1)[0]
        elif state.running:
            run = "fast-forward" if state.fast else self._running_text()
        else:
            run = "paused"
        step = f"step {state.run.step_count}"
        loss = state.run.loss
        return self._fit(width, problem, loss.title, loss.pairing, run, brief, step)

    def _fit(
        self,
        width: int,
        problem: str,
        title: str,
        pairing: str,
        run: str,
        brief: str | None,
        step: str,
    ) -> str:
        """The first variant of the line that fits `width` cells."""
        # The stop rule's reason goes before the names do: at 80 columns "Binary classification
        # | … | converged at step 600" (the Train pane's state line gives the reason).
        short = brief or run
        variants = (
            f" losstui | {problem} | {pairing} | {run} | {step}",
            f" {problem} | {pairing} | {run}",
            f" {problem} | {pairing} | {short}",
            f" {problem} | {title} | {short}",
            f" {title} | {short}",
            f" {short}",
        )
        # Below WIDE the step count is left to the stats line on the Train pane.
        candidates = [self.glyphs.text(v) for v in variants[0 if width >= WIDE else 1 :]]
        return next((t for t in candidates if cell_len(t) <= width), candidates[-1][:width])

    def _race_text(self) -> tuple[str, str]:
        """(the race's state, and its short form): how many runs still train, and whether the
        clock runs; "race over" once every run has stopped (the Race pane's table says how)."""
        state = self.state
        runs = len(state.runs)
        left = sum(not run.stopped for run in state.runs)
        if not left:
            return "race over: every run stopped", "race over"
        if state.running:
            clock = "fast-forward" if state.fast else self._running_text()
        else:
            clock = "paused"
        return f"{clock}, {left} of {runs} runs left", clock

    def _running_text(self) -> str:
        """'training' until a rate is measured, then the achieved rate ('training 980/s'), with
        the asked one when it falls short ('training 52/s of 1,000/s')."""
        if self._rate is None:
            return "training"
        achieved = f"training {self._rate:,.0f}/s"
        speed = self.state.speed
        return f"{achieved} of {speed:,}/s" if self._rate < SHORT_OF * speed else achieved

    def measure(self, now: float) -> None:
        """Update the achieved rate from the step counter at time `now` (seconds, monotonic)."""
        if not is_built(self.state):  # nothing runs before the state is built
            return
        step = self.state.step_count
        if not self.state.running:
            self._window, self._rate = None, None
        elif self._window is None or step < self._window[1]:
            self._window = (now, step)  # a new run, or a reset: start measuring again
        elif now - self._window[0] >= RATE_WINDOW:
            start, first = self._window
            self._rate = (step - first) / (now - start)
            self._window = (now, step)

    def update_line(self) -> None:
        """Rewrite the line if it changed (an unchanged line is not worth a repaint)."""
        self.measure(time.monotonic())
        text = self.line(self.app.size.width)
        if text != self._text:
            self._text = text
            self._cells.repaint(self, [Text(text)], self.size.width)
