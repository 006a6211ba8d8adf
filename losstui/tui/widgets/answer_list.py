"""Provides the answer list: a lesson question's answers, chosen by letter or with ↑/↓ and enter."""

from __future__ import annotations

from collections.abc import Sequence
from string import ascii_lowercase
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from losstui.tui.widgets.problem_chooser import Indented, MarkedOptionList


def letter(index: int) -> str:
    """The letter that names answer `index` (0 → "a")."""
    return ascii_lowercase[index]


class AnswerList(MarkedOptionList):
    """The answers to a lesson step's question, "a) …", "b) …". A letter chooses its answer, as
    ↑/↓ and enter do: while the list has focus, "c" answers c) and does not open the settings.
    A letter past the last answer is the app's key as usual (h for the hint, x to leave). The
    highlighted answer carries the "> " mark, so it shows without colour."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(key, f"choose({index})", show=False) for index, key in enumerate(ascii_lowercase)
    ]

    def set_answers(self, answers: Sequence[str], highlighted: int = 0) -> None:
        """Show `answers`, lettered, with answer `highlighted` under the cursor."""
        self.set_marked_options(
            [(Indented(Text(text), f"{letter(i)}) "), str(i)) for i, text in enumerate(answers)]
        )
        self.highlighted = highlighted if 0 <= highlighted < len(answers) else 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            index = parameters[0]
            return isinstance(index, int) and index < self.option_count
        return True

    def action_choose(self, index: int) -> None:
        """Choose answer `index`, as if the cursor were moved there and enter pressed."""
        self.highlighted = index
        self.action_select()
