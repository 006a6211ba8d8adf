"""Provides the problem catalogue: one line per problem, Enter chooses it."""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from losstui.core.problems import PROBLEMS


class ProblemChooser(OptionList):
    """The catalogue of problems; highlighting previews one, Enter (or a click) chooses it."""

    class _ProblemMessage(Message):
        """A message about the problem with catalogue key `key`."""

        def __init__(self, chooser: ProblemChooser, key: str) -> None:
            super().__init__()
            self.chooser = chooser
            self.key = key

        @property
        def control(self) -> ProblemChooser:
            return self.chooser

    class ProblemHighlighted(_ProblemMessage):
        """The cursor moved onto a problem."""

    class ProblemSelected(_ProblemMessage):
        """The user chose a problem."""

    def __init__(self, *, id: str | None = None) -> None:
        options = []
        for problem in PROBLEMS.values():
            prompt = Text.assemble((problem.title, "bold"), "\n  ", (problem.summary, "dim"))
            options.append(Option(prompt, id=problem.key))
        super().__init__(*options, id=id)

    def select_key(self, key: str) -> None:
        """Move the cursor to `key` without announcing a selection."""
        with contextlib.suppress(Exception):  # an unknown key leaves the cursor where it is
            self.highlighted = self.get_option_index(key)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.ProblemHighlighted(self, event.option.id))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.ProblemSelected(self, event.option.id))
