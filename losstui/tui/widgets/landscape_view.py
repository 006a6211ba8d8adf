"""Provides the loss landscape: the training loss over two parameters, and the path SGD takes."""

from __future__ import annotations

import math

from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from losstui.core.landscape import (
    BAND_MARKS,
    CLOSED_FORM,
    NOW_MARK,
    OPTIMUM_MARK,
    PATH_MARK,
    START_MARK,
    Landscape,
    picture,
)
from losstui.core.text import format_loss
from losstui.tui.glyphs import UNICODE, Glyphs

#: What a slice is, under it (the core's note, in fewer words).
SLICE_NOTE = (
    "A slice, not the whole surface: the loss along two random directions through the current "
    "weights (0, 0), scaled neuron by neuron to the weights (Li et al. 2018)."
)
#: Columns the y axis's tick labels take, with their "┤".
LEFT = 8
#: Rows beside the grid: the caption, the x axis, its ticks and the legend.
AROUND = 4


class LandscapeView(Static):
    """The training loss over a grid of two parameters as character bands (`BAND_MARKS`, low to
    high), the SGD path over it (`PATH_MARK`, from `START_MARK` to `NOW_MARK`) and the optimum
    (`OPTIMUM_MARK`), with the parameters' names and ticks on the axes; for a larger model a
    slice through its weights along two directions, marked as one. `grid_size()` says how many
    cells fit; `show(landscape)` draws."""

    DEFAULT_CSS = """
        LandscapeView {
            width: 1fr;
            height: 1fr;
            text-wrap: nowrap;
            text-overflow: clip;
        }
    """

    class Resized(Message):
        """The view has another size: its grid must be computed again to fit it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs: Glyphs = UNICODE
        self._size_drawn: tuple[int, int] | None = None
        self._slice_drawn = False

    def on_resize(self) -> None:
        if self._size_drawn is not None and self._size_drawn != self.grid_size(self._slice_drawn):
            self.post_message(self.Resized())

    def grid_size(self, slice: bool = False) -> tuple[int, int]:
        """(columns, rows) of the grid at the view's size now, at least 8 x 4; a slice leaves
        rows for the note that says it is one."""
        width, height = self.size
        note = math.ceil(len(SLICE_NOTE) / max(width, 1)) if slice else 0
        return max(width - LEFT - 1, 8), max(height - AROUND - note, 4)

    def show(self, landscape: Landscape) -> None:
        """Draw `landscape` (its grid, its path and the run's points)."""
        surface = landscape.surface
        self._slice_drawn = surface.is_slice
        self._size_drawn = self.grid_size(self._slice_drawn)
        spell = self.glyphs.text
        lines = picture(landscape)
        rows, columns = len(lines), len(lines[0]) if lines else 0
        x_name, y_name = surface.names
        title = "a slice of the loss" if surface.is_slice else "training loss"
        # The grid's rows must never wrap: a wrap point in a row's leading spaces would shift it.
        out = Text(
            spell(f"{title} over {x_name}, {y_name}"), style="bold", no_wrap=True, overflow="crop"
        )
        low, high = surface.y[0], surface.y[-1]
        ticks = {0: low, rows // 2: (low + high) / 2, rows - 1: high}
        for i, line in enumerate(lines):  # the highest y first
            r = rows - 1 - i
            label = _tick(ticks[r]) if r in ticks else ""
            out.append(spell(f"\n{label:>{LEFT - 1}}┤") if label else spell(f"\n{'':>{LEFT - 1}}│"))
            out.append(line)
        out.append(spell(f"\n{'':>{LEFT - 1}}└{'─' * columns}"))
        left, right = _tick(surface.x[0]), _tick(surface.x[-1])
        middle = _tick((surface.x[0] + surface.x[-1]) / 2)
        gap = max(columns - len(left) - len(middle) - len(right), 2)
        out.append(f"\n{'':>{LEFT}}{left}{' ' * (gap // 2)}{middle}{' ' * (gap - gap // 2)}{right}")
        optimum = "optimum" if surface.optimum_kind == CLOSED_FORM else "grid's lowest"
        legend = (
            f"\n{START_MARK} start {PATH_MARK} path {NOW_MARK} now {OPTIMUM_MARK} {optimum} "
            f"{format_loss(surface.optimum_loss)}"
        )
        if self.size.width >= 70:
            legend += f"  bands: low '{BAND_MARKS[1]}' to high '{BAND_MARKS[-1]}'"
        out.append(spell(legend), style="dim")
        if surface.is_slice:  # say it is not the whole surface
            out.append(spell(f"\n{SLICE_NOTE}"), style="dim")
        self.update(out)


def _tick(value: float) -> str:
    """A tick label: 3 significant digits, "0" for a zero that rounding made negative."""
    if not math.isfinite(value):
        return "?"
    text = f"{value:.3g}"
    return "0" if text in ("-0", "0") else text
