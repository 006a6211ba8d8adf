"""Hanging-indented text as a Textual visual: paragraphs each wrapped behind a gutter, which the
first line of the paragraph may write ("> ", "a) ") and its other lines leave blank.

The option lists (the problems, the questions' answers, the presets) draw every option this way.
As a Textual `Visual` it wraps with Textual's own `Content`, where a rich renderable of the same
shape went through a rich `Console` for each option at each width and style, twice per option at
least (its height, then its lines): the first screen's two lists took about a third of its
rendering there.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual.content import Content, Span
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual


class Paragraph(NamedTuple):
    """`text` wrapped to the width left after `len(first)` cells: its first line behind
    `first`, the others behind as many spaces."""

    first: str
    text: Content

    @property
    def gutter(self) -> int:
        return len(self.first)

    def lines(self, width: int) -> tuple[Content, ...]:
        """The text's lines at a width of `width` cells, gutter included (one at least)."""
        return _wrapped(self.text, max(1, width - self.gutter))


class Hanging(Visual):
    """Paragraphs stacked one under the other, each hanging behind its gutter.

    `Hanging.of(Text("Regression"), Text("A real number"), indent="  ")` is the title on its
    line and the summary under it, two cells in, wrapped lines kept in line with it;
    `hanging.behind("> ")` puts a gutter in front of all of it (the cursor's mark)."""

    def __init__(self, paragraphs: Sequence[Paragraph]) -> None:
        self.paragraphs = tuple(paragraphs)

    @classmethod
    def of(cls, first: Text | str, *rest: Text | str, indent: str = "") -> Hanging:
        """`first` at the left edge, then each of `rest` behind `indent` (blank)."""
        return cls(
            [Paragraph("", _content(first))]
            + [Paragraph(" " * len(indent), _content(text)) for text in rest]
        )

    @classmethod
    def indented(cls, text: Text | str, first: str) -> Hanging:
        """`text` behind `first` on its first line, and behind as many spaces below."""
        return cls([Paragraph(first, _content(text))])

    def behind(self, first: str) -> Hanging:
        """All of it `len(first)` cells in, with `first` written in front of its first line."""
        blank = " " * len(first)
        return Hanging(
            [
                Paragraph((first if index == 0 else blank) + paragraph.first, paragraph.text)
                for index, paragraph in enumerate(self.paragraphs)
            ]
        )

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((p.gutter + p.text.cell_length for p in self.paragraphs), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(len(p.lines(width)) for p in self.paragraphs)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        rich_style = style.rich_style
        strips: list[Strip] = []
        for paragraph in self.paragraphs:
            blank = " " * paragraph.gutter
            for index, line in enumerate(paragraph.lines(width)):
                gutter = paragraph.first if index == 0 else blank
                segments = [Segment(gutter, rich_style), *line.render_segments(style)]
                strips.append(Strip(segments).extend_cell_length(width, rich_style))
        return strips if height is None else strips[:height]


@lru_cache(maxsize=1024)
def _wrapped(text: Content, width: int) -> tuple[Content, ...]:
    """`text` wrapped to `width` cells, kept: an option list asks for each option's height and
    then its lines, in each of its styles (highlighted, focused), all at one width."""
    return tuple(text.wrap(width)) or (Content(""),)


def _content(text: Text | str) -> Content:
    """Rich text (its style and spans kept) or plain text (never read as markup) as Content.

    The styles are parsed here, once: a style left as a name ("dim") is parsed again each time
    a line is drawn, which was half the cost of drawing an option."""
    if isinstance(text, str):
        return Content(text)
    spans = [Span(0, len(text.plain), _style(text.style))] if text.style else []
    spans += [Span(span.start, span.end, _style(span.style)) for span in text.spans]
    return Content(text.plain, spans=spans)


def _style(style: str | RichStyle) -> Style:
    return Style.from_rich_style(RichStyle.parse(style) if isinstance(style, str) else style)
