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
    """`text` with each non-ASCII character replaced by ASCII of the same cell width.

    An ellipsis followed by two spaces (Textual's "Search for commands…" placeholder) takes
    them for its three dots; elsewhere it has one cell and becomes one ".".
    """
    text = text.replace("…  ", "...")
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
        out = []
        spare = 0  # cells of leading blanks the previous segment's "..." took from this one
        for i, seg in enumerate(segments):
            text = seg.text
            if spare and text.startswith(" " * spare):
                text, spare = text[spare:], 0
            if not text.isascii():
                following = segments[i + 1].text if i + 1 < len(segments) else ""
                if text.endswith("…") and following.startswith("  ") and not seg.control:
                    text, spare = text[:-1] + "...", 2
                text = _ascii_text(text)
            out.append(seg if text == seg.text else Segment(text, seg.style, seg.control))
        return out
