"""Provides the lesson problem strip: why a lesson file cannot open, in place of its steps."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static


class LessonProblem(VerticalScroll):
    """Shown in the lesson slot when a lesson file does not read: every error as
    `FILE:LINE: message`, and what to do. The rest of the app works as usual underneath; with
    `--watch` the lesson opens as soon as the file is saved without errors."""

    def __init__(self, source: str, errors: Sequence[str], watching: bool = False) -> None:
        super().__init__(id="lesson-problem")
        self.source = source
        self.errors = tuple(errors)
        self.watching = watching

    def compose(self):
        head = Text.assemble(
            (" Lesson · cannot open ", "bold reverse"), (f"  {self.source}", "bold")
        )
        yield Static(head, id="lesson-problem-head")
        yield Static(Text("\n".join(self.errors)), id="lesson-problem-errors")
        then = (
            "Fix the file and save it: the lesson opens by itself."
            if self.watching
            else f"Fix the file (`losstui lesson check {self.source}` lists every error), "
            "then open it again."
        )
        yield Static(Text(f"{then}   x closes this strip", style="italic"))
