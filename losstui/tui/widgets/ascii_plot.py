"""Provides a PlotextPlot that can draw its frame and ticks in plain ASCII."""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
from textual_plotext import PlotextPlot

from losstui.tui.glyphs import UNICODE, Glyphs


class AsciiPlot(PlotextPlot):
    """A textual-plotext plot whose box-drawing frame becomes +-| when `glyphs` is ASCII."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.glyphs: Glyphs = UNICODE

    def reset_plot(self) -> None:
        """Forget the previous frame's data and settings."""
        self.plt.clear_data()
        self.plt.clear_figure()

    def render(self) -> RenderResult:
        text = super().render()
        if self.glyphs.box_to_ascii is not None and isinstance(text, Text):
            # plotext has no ASCII frame option; the translation keeps every cell's width.
            text.plain = text.plain.translate(self.glyphs.box_to_ascii)
        return text
