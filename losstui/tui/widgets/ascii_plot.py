"""Provides a PlotextPlot with round-number ticks, a caption line and an ASCII frame."""

from __future__ import annotations

import math

from rich.text import Text
from textual.app import RenderResult
from textual_plotext import PlotextPlot

from losstui.core.text import format_ticks
from losstui.tui.changed_cells import ChangedCells
from losstui.tui.glyphs import UNICODE, Glyphs


def nice_ticks(lo: float, hi: float, most: int, *, integer: bool = False) -> list[float]:
    """Round-number ticks within [lo, hi]: multiples of 1, 2 or 5 × 10^k, as many as fit in
    `most` (at least 2 when the range allows); whole numbers only when `integer`."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    if hi < lo:
        lo, hi = hi, lo
    if hi - lo <= 0:
        return [lo]
    most = max(most, 2)
    exponent = math.floor(math.log10((hi - lo) / most))
    previous: list[float] = []
    for e in range(exponent - 1, exponent + 3):
        for m in (1, 2, 5):
            step = m * 10.0**e
            if integer and step < 1:
                continue
            first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
            # Multiples of the step, so a tick is exactly 0 rather than 1e-17.
            ticks = [0.0 if k == 0 else k * step for k in range(first, last + 1)]
            if len(ticks) <= most:
                # One tick says nothing about scale: then one more than asked is better.
                return previous if len(ticks) < 2 and previous else ticks
            previous = ticks
    return previous


class AsciiPlot(PlotextPlot):
    """A textual-plotext plot drawn for small terminals: a caption line (title and legend; more
    lines where `caption_lines` wraps it) in place of plotext's title and axis-label rows, left
    and bottom axes only, round-number ticks (`set_axes`), and +-| for the frame when `glyphs`
    is ASCII.

    Subclasses set the plot up and call `redraw()`, which builds the frame at once and repaints
    only the cells that differ from the frame on show.
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.glyphs: Glyphs = UNICODE
        self.caption: str | Text = ""
        """The first line: what is plotted and the legend; spelled for `glyphs` when drawn."""
        self._axes: tuple[tuple[float, float], tuple[float, float], bool, bool] | None = None
        self._frame: tuple[tuple, Text] | None = None
        self._cells = ChangedCells()

    def reset_plot(self) -> None:
        """Forget the previous frame's data, settings and caption."""
        self.plt.clear_data()
        self.plt.clear_figure()
        self.plt.yaxes(True, False)  # no right-hand frame: the bottom and left axes carry ticks
        self.caption = ""
        self._axes = None

    def canvas_size(self) -> tuple[int, int]:
        """About how many (columns, rows) the data area has at the current size."""
        width, height = self.size
        return max(width - 7, 4), max(height - 2 - len(self._captions(width, height)), 1)

    def caption_lines(self, width: int) -> list[Text]:
        """The caption as drawn `width` cells wide: one line, cut at the edge. A subclass whose
        caption must be read whole (numbers in a legend) wraps it onto more lines instead."""
        caption = self.caption
        if isinstance(caption, str):
            caption = Text(caption, style="bold")
        if self.glyphs.text(caption.plain) != caption.plain:  # spelled out: spans move
            caption = Text(self.glyphs.text(caption.plain), style=caption.style)
        caption = caption.copy()
        caption.truncate(width)
        return [caption]

    def _captions(self, width: int, height: int) -> list[Text]:
        """The caption's lines at this size, leaving the axis and at least one row of data."""
        if not self.caption or height <= 1:
            return []
        return self.caption_lines(width)[: max(height - 3, 1)]

    def set_axes(
        self,
        xlim: tuple[float, float],
        ylim: tuple[float, float],
        *,
        integer_x: bool = False,
        integer_y: bool = False,
    ) -> None:
        """Set the axes' limits; round-number ticks that fit are chosen when the plot is drawn,
        at its size then."""
        self.plt.xlim(*xlim)
        self.plt.ylim(*ylim)
        self._axes = (xlim, ylim, integer_x, integer_y)

    def _set_ticks(self) -> None:
        if self._axes is None:
            return
        xlim, ylim, integer_x, integer_y = self._axes
        plt = self.plt
        columns, rows = self.canvas_size()
        # Up to one y tick every other row (fewer on a tall plot), and x labels three cells apart.
        y_most = min(rows // 2 + 1, max(6, rows // 5), 10)
        y_ticks = nice_ticks(*ylim, y_most, integer=integer_y)
        if y_ticks:
            plt.yticks(y_ticks, format_ticks(y_ticks))
        x_ticks: list[float] = []
        for most in range(max(columns // 6, 2), 1, -1):
            x_ticks = nice_ticks(*xlim, most, integer=integer_x)
            if sum(len(label) + 3 for label in format_ticks(x_ticks)) <= columns:
                break
        if x_ticks:
            plt.xticks(x_ticks, format_ticks(x_ticks))

    def redraw(self) -> None:
        """Build the frame from the plot as set up now; repaint the cells that changed."""
        width, height = self.size
        if width <= 0 or height <= 0:  # not laid out yet: render() builds it when shown
            self._frame = None
            self.refresh()
            return
        lines = self._frame_lines()
        self._frame = (self._frame_key(), Text("\n").join(lines))
        self._cells.repaint(self, lines, width)

    def _frame_key(self) -> tuple:
        return (self.size, self.app.theme, self.glyphs)

    def render(self) -> RenderResult:
        if self._frame is None or self._frame[0] != self._frame_key():
            # A new size, theme or character set: Textual repaints the whole widget.
            lines = self._frame_lines()
            self._frame = (self._frame_key(), Text("\n").join(lines))
            self._cells.forget()
            self._cells.regions(lines, self.size.width)
        return self._frame[1]

    def _frame_lines(self) -> list[Text]:
        """The plot as lines of the widget's size: caption, data rows, axis and tick labels."""
        width, height = self.size
        captions = self._captions(width, height)
        caption_rows = len(captions)
        # plotext draws a top frame line however the axes are set; build one row taller and drop it.
        plot_height = height - caption_rows + 1
        plt = self.plt
        self._set_ticks()
        plt.plotsize(width, plot_height)
        plt._set_size(width, plot_height)
        plt.theme(self._get_plotext_theme_name(self.app.theme))
        lines = list(Text.from_ansi(plt.build().rstrip("\n")).split("\n", allow_blank=True))
        for i, line in enumerate(lines[:3]):
            stripped = line.plain.strip()
            if stripped.startswith("┌") and set(stripped[1:]) <= {"─", "┐"}:
                del lines[i]
                break
        lines = lines[-(height - caption_rows) :] if height > caption_rows else []
        if self.glyphs.box_to_ascii is not None:
            # plotext has no ASCII frame option; the translation keeps every cell's width.
            for line in lines:
                line.plain = line.plain.translate(self.glyphs.box_to_ascii)
        return captions + lines
