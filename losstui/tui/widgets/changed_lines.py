"""Provides ChangedLines: a widget of lines of text that repaints only the cells they change."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from losstui.tui.changed_cells import ChangedCells


class ChangedLines(Widget):
    """Lines of text, as many as the width wraps them to, of which a redraw repaints only the
    cells that changed (a read-out's digits), not the whole widget.

    A subclass builds its lines for a width (`build_lines`) and calls `redraw()` when what it
    shows changed.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines_for: tuple[int, list[Text]] | None = None
        self._cells = ChangedCells()

    def build_lines(self, width: int) -> list[Text]:
        """What the widget shows, as lines no wider than `width`."""
        raise NotImplementedError

    def lines(self, width: int) -> list[Text]:
        """`build_lines(width)`, built once per width and content."""
        if self._lines_for is None or self._lines_for[0] != width:
            self._lines_for = (width, self.build_lines(width))
        return self._lines_for[1]

    def redraw(self) -> None:
        """Build the lines again and repaint the cells that changed; a new number of lines lays
        the widget out again."""
        old_height = len(self._lines_for[1]) if self._lines_for else -1
        self._lines_for = None
        width = self.size.width
        lines = self.lines(width)
        if len(lines) != old_height:
            self._cells.regions(lines, width)  # remembered; laid out, it is repainted whole
            self.refresh(layout=True)
        else:
            self._cells.repaint(self, lines, width)

    def forget_lines(self) -> None:
        """Build the lines again when next drawn, and repaint them whole (a new theme)."""
        self._lines_for = None
        self._cells.forget()

    def on_resize(self) -> None:
        # Textual repaints a resized widget whole; the next redraw compares with that.
        self._cells.forget()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        return Text("\n", no_wrap=True, overflow="crop").join(self.lines(self.size.width))
