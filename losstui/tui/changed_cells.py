"""Provides ChangedCells: the cells of a widget that a new frame changes, as regions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Region

if TYPE_CHECKING:
    from textual.widget import Widget

BRIDGE = 6
"""Changed cells this close together in a row are refreshed as one region: rewriting a few
unchanged cells costs fewer bytes than a second cursor move and style code."""

Cells = list[tuple[str, tuple]]
"""One line as (character, the styles that apply to it, in order) per cell."""


def line_cells(line: Text) -> Cells | None:
    """The cells of `line`, one per character; None when a character is not one cell wide
    (then the line is compared whole)."""
    plain = line.plain
    if not plain.isascii() and cell_len(plain) != len(plain):
        return None
    styles: list[tuple] = [(line.style,)] * len(plain)
    for span in line.spans:
        for i in range(max(span.start, 0), min(span.end, len(plain))):
            styles[i] = (*styles[i], span.style)
    return list(zip(plain, styles, strict=True))


def changed_runs(before: Cells, after: Cells, width: int) -> list[tuple[int, int]]:
    """[start, end) column runs where `after` differs from `before` (cells past either line's
    end count as blank), runs closer than BRIDGE merged, clipped to `width`."""
    blank = (" ", ())
    runs: list[tuple[int, int]] = []
    for x in range(min(max(len(before), len(after)), width)):
        old = before[x] if x < len(before) else blank
        new = after[x] if x < len(after) else blank
        if old == new:
            continue
        if runs and x - runs[-1][1] < BRIDGE:
            runs[-1] = (runs[-1][0], x + 1)
        else:
            runs.append((x, x + 1))
    return runs


class ChangedCells:
    """Remembers the lines a widget last showed and says which regions a new set changes.

    Textual repaints the whole widget on a bare `refresh()`, rewriting every row to the
    terminal; refreshing only the changed regions writes only those cells (and the style runs
    they fall in), so a read-out whose digits change costs a few bytes, not its whole area.
    """

    def __init__(self) -> None:
        self._rows: list[Cells | None] | None = None
        self._lines: list[Text] = []

    def forget(self) -> None:
        """Next time, repaint everything (after a resize, a theme or character-set change)."""
        self._rows = None

    def regions(self, lines: Sequence[Text], width: int) -> list[Region] | None:
        """Regions (x, y, width, 1) in content coordinates where `lines` differ from the lines of
        the previous call; None when the whole widget must be repainted (the first call, or the
        number of lines changed). An empty list: nothing changed."""
        rows = [line_cells(line) for line in lines]
        before, self._rows = self._rows, rows
        old_lines, self._lines = self._lines, list(lines)
        if before is None or len(before) != len(rows):
            return None
        out: list[Region] = []
        for y, (old, new) in enumerate(zip(before, rows, strict=True)):
            if old is None or new is None:  # wide characters: the line is compared whole
                if old_lines[y] != lines[y] or old != new:
                    out.append(Region(0, y, width, 1))
                continue
            out.extend(Region(a, y, b - a, 1) for a, b in changed_runs(old, new, width))
        return out

    def repaint(self, widget: Widget, lines: Sequence[Text], width: int) -> None:
        """Refresh in `widget` the regions where `lines` differ from the lines of the previous
        call: the whole widget when `regions` says so, nothing when nothing changed."""
        regions = self.regions(lines, width)
        if regions is None:
            widget.refresh()
        elif regions:
            widget.refresh(*regions)
