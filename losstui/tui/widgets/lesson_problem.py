"""Provides the lesson problem strip: why a lesson file cannot open, in place of its steps."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

#: How many of an "allowed:" list the strip shows; `lesson check` prints them all.
ALLOWED_SHOWN = 8
_ALLOWED = re.compile(r"(; allowed: )(.*)\Z")


def shortened(error: str) -> str:
    """`error` with a long "allowed: a, b, c, ..." list cut to its first few names, so that
    two or three errors fit the strip at 80x24."""

    def cut(match: re.Match[str]) -> str:
        names = match.group(2).split(", ")
        if len(names) <= ALLOWED_SHOWN + 4:  # a short list is worth reading whole
            return match.group(0)
        rest = len(names) - ALLOWED_SHOWN
        return f"{match.group(1)}{', '.join(names[:ALLOWED_SHOWN])} and {rest} more"

    return _ALLOWED.sub(cut, error)


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
        yield Static(Text("\n".join(shortened(e) for e in self.errors)), id="lesson-problem-errors")
        then = (
            "Fix the file and save it: the lesson opens by itself."
            if self.watching
            else f"Fix the file (`losstui lesson check {self.source}` lists every error), "
            "then open it again."
        )
        yield Static(Text(f"{then}   x closes this strip", style="italic"))
