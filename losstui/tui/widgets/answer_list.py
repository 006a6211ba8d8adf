"""Provides the answer list: a lesson question's answers, chosen by letter or with ↑/↓ and enter."""

from __future__ import annotations

from collections.abc import Sequence
from string import ascii_lowercase

from rich.text import Text

from losstui.tui.hanging import Hanging
from losstui.tui.widgets.problem_chooser import MarkedOptionList


def letter(index: int) -> str:
    """The letter that names answer `index` (0 → "a")."""
    return ascii_lowercase[index]


class AnswerList(MarkedOptionList):
    """The answers to a lesson step's question, "a) …", "b) …", chosen with ↑/↓ and enter, or
    by letter (the app's keys, which answer from any pane: see `choose`). The highlighted
    answer carries the "> " mark, so it shows without colour."""

    def set_answers(self, answers: Sequence[str], highlighted: int = 0) -> None:
        """Show `answers`, lettered, with answer `highlighted` under the cursor."""
        self.set_marked_options(
            [
                (Hanging.indented(Text(text), f"{letter(i)}) "), str(i))
                for i, text in enumerate(answers)
            ]
        )
        self.highlighted = highlighted if 0 <= highlighted < len(answers) else 0

    def choose(self, index: int) -> None:
        """Choose answer `index`, as if the cursor were moved there and enter pressed."""
        self.highlighted = index
        self.action_select()
