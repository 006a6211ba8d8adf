"""Provides install(): Textual's partial screen updates write only the refreshed cells."""

from __future__ import annotations

from rich.console import Console
from textual import _compositor

_ORIGINAL = getattr(_compositor.ChopsUpdate, "render_segments", None)


def _render_segments(self: _compositor.ChopsUpdate, console: Console) -> str:
    """The update as terminal data: for each refreshed span (y, x1, x2), the cells x1 to x2.

    Textual 8 writes each span from the left edge of the widget it falls in (a "TODO: crop to
    x extents" in its compositor), so refreshing one changed digit in a line of stats rewrites
    the line up to that digit. Cropping the start too sends the digit alone. A line holding
    characters two cells wide is written as Textual writes it, since a crop could halve one.
    """
    sequences: list[str] = []
    append = sequences.append
    move_to = _compositor.Control.move_to
    last_y = self.spans[-1][0]
    for y, x1, x2 in self.spans:
        line = self.chops[y]
        ends = self.chop_ends[y]
        for end, (x, strip) in zip(ends, line.items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            start = x
            if x < x1 and strip.cell_length == sum(len(s.text) for s in strip):
                start = x1
            stop = min(end, x2)
            piece = strip if (start, stop) == (x, end) else strip.crop(start - x, stop - x)
            append(move_to(start, y).segment.text)
            append(piece.render(console))
        if y != last_y:
            append("\n")
    return "".join(sequences)


def install() -> None:
    """Make Textual's partial updates write only the refreshed cells (once; a Textual without
    the method this replaces is left as it is)."""
    if _ORIGINAL is not None:
        _compositor.ChopsUpdate.render_segments = _render_segments  # type: ignore[method-assign]
