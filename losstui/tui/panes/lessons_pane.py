"""Provides the Lessons pane: the built-in lessons, how far this user got in each, and how to open
one (or one's own lesson file)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from losstui.core.content import ContentError
from losstui.core.state import StateChanged
from losstui.lessons.library import Entry, builtin_lessons
from losstui.tui.panes.pane import Pane
from losstui.tui.widgets.paged_option_list import PagedOptionList

ABOUT = (
    "A lesson opens in a strip under the panes: its text beside the pane it drives.  "
    "Your own lesson file: losstui lesson FILE.md (the format: docs/lessons.md)."
)


class LessonsPane(Pane):
    """The built-in lessons as a list (enter opens one, where the student left it), and below it
    the highlighted lesson's summary."""

    DEFAULT_CSS = """
        #lessons-col {
            padding: 0 1;
        }
        #lesson-list {
            height: auto;
            max-height: 1fr;
        }
        #lesson-summary {
            padding: 1 0 0 0;
            height: auto;
        }
        #lessons-about {
            padding: 1 0 0 0;
            height: auto;
        }
    """

    pane_id = "lessons"

    def compose(self) -> ComposeResult:
        with Vertical(id="lessons-col"):
            yield Label("Guided lessons (enter opens one):", classes="pane-title")
            yield PagedOptionList(id="lesson-list")
            yield Static(id="lesson-summary")
            yield Static(Text(ABOUT, style="dim"), id="lessons-about")

    def on_mount(self) -> None:
        self.entries: list[Entry] = []

    def state_changed(self, event: StateChanged) -> None:
        if "pane" in event and self.shown:
            self.draw(force=True)

    def draw(self, force: bool = False) -> None:
        """List the lessons with this user's progress (re-read: it changes as lessons go on)."""
        if not force:
            return
        try:
            self.entries = builtin_lessons()
        except ContentError as error:  # a broken installation: say so, don't crash
            self.entries = []
            self.query_one("#lesson-summary", Static).update(str(error))
        listing = self.query_one("#lesson-list", OptionList)
        highlighted = listing.highlighted
        g = self.glyphs.text
        listing.clear_options()
        # Columns: the titles padded to the longest, then minutes and the step reached (short,
        # so that a row fits 80 columns; the full "step 3 of 9" is in the summary below).
        titles = [g(e.title) for e in self.entries]
        width = max(map(len, titles), default=0)
        listing.add_options(
            [
                Option(
                    Text.assemble(
                        (f"{e.number}. ", "bold"),
                        title.ljust(width),
                        (f"  {e.minutes:>2} min", "dim"),
                        (f"  {self._reached(e)}", "bold"),
                    ),
                    id=e.name,
                )
                for e, title in zip(self.entries, titles, strict=True)
            ]
        )
        if self.entries:
            listing.highlighted = min(highlighted or 0, len(self.entries) - 1)

    @staticmethod
    def _reached(entry: Entry) -> str:
        if entry.step is None:
            return ""
        return "finished" if entry.finished else f"step {entry.step}/{entry.steps}"

    @on(OptionList.OptionHighlighted, "#lesson-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        entry = self.entries[event.option_index]
        g = self.glyphs.text
        self.query_one("#lesson-summary", Static).update(
            Text.assemble(
                (g(entry.summary), "italic"),
                f"  ({entry.steps} steps, {entry.minutes} minutes; {entry.progress_text()})",
            )
        )

    class LessonChosen(Message):
        """The student chose a lesson: the app opens the file at `path`."""

        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    @on(OptionList.OptionSelected, "#lesson-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.LessonChosen(str(self.entries[event.option_index].path)))

    def focus_target(self):
        return self.query_one("#lesson-list")
