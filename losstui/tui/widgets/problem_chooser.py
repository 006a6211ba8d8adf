"""Provides the problem catalogue: one line per problem, Enter chooses it."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from losstui.core.problems import PROBLEMS
from losstui.tui.glyphs import UNICODE, Glyphs, UsesGlyphs
from losstui.tui.hanging import Hanging
from losstui.tui.widgets.paged_option_list import PagedOptionList

CURSOR = "> "
"""Marks the highlighted option in characters, so the cursor shows without colour (NO_COLOR)."""


def _marked(body: Hanging, marked: bool) -> Hanging:
    """`body` behind a two-cell gutter holding the cursor mark; wrapped lines keep the indent."""
    return body.behind(CURSOR if marked else " " * len(CURSOR))


class MarkedOptionList(PagedOptionList):
    """An OptionList (paging safely) whose highlighted option carries a "> " mark as well as a
    background."""

    _marked_index: int | None = None
    _bodies: Sequence[Hanging] = ()

    def set_marked_options(self, options: Sequence[tuple[Hanging | Text, str | None]]) -> None:
        """Replace the options with `options`, (body, id) pairs, and highlight the first. A
        body of rich text is one paragraph."""
        bodies = [body if isinstance(body, Hanging) else Hanging.of(body) for body, _ in options]
        self._bodies = []
        self._marked_index = None
        self.clear_options()
        self.add_options(
            Option(_marked(body, False), id=key)
            for body, (_, key) in zip(bodies, options, strict=True)
        )
        self._bodies = bodies
        self.highlighted = 0 if options else None
        self._mark(self.highlighted)

    def watch_highlighted(self, highlighted: int | None) -> None:
        self._mark(highlighted)
        super().watch_highlighted(highlighted)

    def _mark(self, index: int | None) -> None:
        bodies = self._bodies
        count = min(len(bodies), self.option_count)
        if index == self._marked_index:
            return
        if self._marked_index is not None and self._marked_index < count:
            self.replace_option_prompt_at_index(
                self._marked_index, _marked(bodies[self._marked_index], False)
            )
        if index is not None and index < count:
            self.replace_option_prompt_at_index(index, _marked(bodies[index], True))
        self._marked_index = index


class ProblemChooser(UsesGlyphs, MarkedOptionList):
    """The catalogue of problems; highlighting previews one, Enter (or a click) chooses it."""

    @dataclass
    class _ProblemMessage(Message):
        """A message about the problem with catalogue key `key`."""

        chooser: ProblemChooser
        key: str

        @property
        def control(self) -> ProblemChooser:
            return self.chooser

    @dataclass
    class ProblemHighlighted(_ProblemMessage):
        """The cursor moved onto a problem."""

    @dataclass
    class ProblemSelected(_ProblemMessage):
        """The user chose a problem."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._glyphs: Glyphs = UNICODE
        self._fill()

    def _glyphs_changed(self) -> None:
        key = self.highlighted_option.id if self.highlighted_option else None
        self._fill()
        if key:
            self.select_key(key)

    def _fill(self) -> None:
        g = self._glyphs.text
        self.set_marked_options(
            [
                (
                    Hanging.of(
                        Text(g(problem.title), style="bold"),
                        Text(g(problem.summary), style="dim"),
                        indent="  ",
                    ),
                    problem.key,
                )
                for problem in PROBLEMS.values()
            ]
        )

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
