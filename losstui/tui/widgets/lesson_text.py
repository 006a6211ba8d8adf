"""Provides LessonText: a lesson step's prose; a live value repaints only the cells it changes."""

from __future__ import annotations

from typing import ClassVar

from rich.markdown import Markdown
from rich.text import Text
from rich.theme import Theme

from losstui.tui.widgets.changed_lines import ChangedLines


class LessonText(ChangedLines):
    """A step's prose, rendered from Markdown (paragraphs, **bold**, `code`, lists), as tall as
    it wraps to.

    While training runs the prose's live values ("step 340: validation loss 0.412") change
    four times a second, and a class may share one slow link. Textual's Markdown widget rebuilds
    its blocks on every update and repaints the whole strip; here a new text is compared cell by
    cell with the one on show, and only the cells that changed (the digits, mostly) are sent.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"lesson-text--code"}
    DEFAULT_CSS = """
    LessonText {
        height: auto;
    }
    /* `code`, as Textual's Markdown widget shows it, in the app's theme */
    LessonText > .lesson-text--code {
        background: $warning 10%;
        color: $text-warning 95%;
    }
    LessonText:light > .lesson-text--code {
        background: $error 5%;
        color: $text-error 95%;
    }
    LessonText:ansi > .lesson-text--code {
        background: ansi_default;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source = ""
        """The Markdown on show."""

    def update(self, source: str) -> None:
        """Show `source`, repainting only what differs from the text on show."""
        if source != self.source:
            self.source = source
            self.redraw()

    def notify_style_update(self) -> None:
        # A new theme restyles `code`: draw the lines again, and compare with the new ones.
        super().notify_style_update()
        self.forget_lines()

    def build_lines(self, width: int) -> list[Text]:
        """The prose wrapped to `width` columns, one Text per line."""
        if not self.source.strip() or width <= 0:
            return []
        console = self.app.console
        options = console.options.update(width=width, highlight=False)
        code = self.get_component_rich_style("lesson-text--code", partial=False)
        # A link shows its address after its text: a terminal over SSH cannot be clicked.
        markdown = Markdown(self.source, hyperlinks=False)
        with console.use_theme(Theme({"markdown.code": code})):
            rendered = console.render_lines(markdown, options, pad=False)
        return [
            Text.assemble(*((s.text, s.style or "") for s in line if not s.control), end="")
            for line in rendered
        ]
