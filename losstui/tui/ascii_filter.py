"""Provides the line filter that keeps every cell the app writes within 7-bit ASCII."""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from losstui.tui.glyphs import ascii_cell


@lru_cache(maxsize=4096)
def _ascii_text(text: str) -> str:
    """`text` with each non-ASCII character replaced by ASCII of the same cell width."""
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
        else:
            width = cell_len(ch)
            out.append((ascii_cell(ch) + " " * width)[:width] if width else "")
    return "".join(out)


class AsciiFilter(LineFilter):
    """The last line of defence for --ascii: Textual's own widgets draw scrollbars, arrows and
    icons in Unicode, and a terminal without UTF-8 shows those as mojibake."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            seg if seg.text.isascii() else Segment(_ascii_text(seg.text), seg.style, seg.control)
            for seg in segments
        ]
