"""Provides CaptionLine: one line of text (a picture's caption) that repaints only the cells it
changes."""

from __future__ import annotations

from rich.text import Text

from losstui.tui.widgets.changed_lines import ChangedLines


class CaptionLine(ChangedLines):
    """One line of text, cut to the width. A new caption repaints the cells that changed ("step
    1,240" to "step 1,260": four digits), where a Static's update lays the screen out again on
    every frame of training."""

    DEFAULT_CSS = """
        CaptionLine {
            height: 1;
        }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id)
        if classes:
            self.add_class(*classes.split())
        self._text = Text()

    def show(self, text: Text) -> None:
        """Show `text` (nothing to do when it is the caption on show)."""
        if text == self._text:
            return
        self._text = text
        self.redraw()

    def build_lines(self, width: int) -> list[Text]:
        line = self._text.copy()
        line.truncate(max(width, 0), overflow="crop")
        return [line]
