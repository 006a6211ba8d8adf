"""Provides the speaker-notes app: a lesson's notes in a second terminal, following its step.

`losstui lesson 3 --notes` beside `losstui lesson 3` (or `losstui serve lesson 3`) on the
projector: the class sees the lesson, the instructor sees each step's speaker notes, its question
with the right answer, and what comes next. The presenting app keeps the step on show in the
progress file as it moves (`>`, `<`, the jump key, a resume); this app looks at that file a few
times a second and follows. It reads the lesson file again when it is saved, as `--watch` does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from losstui.core.content import ContentError
from losstui.lessons import progress
from losstui.lessons.files import modified
from losstui.lessons.format import read_lesson
from losstui.lessons.language import Lesson, Step
from losstui.lessons.library import lesson_key
from losstui.tui import signals
from losstui.tui.glyphs import UNICODE, Glyphs

#: Seconds between looks at the progress file (a step change shows within this) and the lesson.
FOLLOW_INTERVAL = 0.25
#: The paragraphs of prose the notes show of the step on show, and of the next step.
PROSE_PARAGRAPHS = 3
PREVIEW_PARAGRAPHS = 1


def notes_text(lesson: Lesson, index: int, glyphs: Glyphs = UNICODE) -> Text:
    """What the notes terminal shows for step `index` (from 0): the step's number and what it
    does, its speaker notes, its question with the right answer marked, the opening of its
    prose (what the class reads), and the opening of the next step."""
    index = max(0, min(index, len(lesson.steps) - 1))
    step = lesson.steps[index]
    g = glyphs.text
    out = Text()
    out.append(f"Step {index + 1} of {len(lesson.steps)}", style="bold")
    doing = _doing(step)
    if doing:
        out.append(f"  {g(doing)}", style="dim")
    out.append("\n\n")
    if step.notes:
        for note in step.notes:
            out.append(g(" ".join(note.split())) + "\n\n")
    else:
        out.append("(no notes for this step)\n\n", style="dim")
    if step.ask is not None:
        out.append(f"Asks: {g(step.ask.prompt)}\n", style="bold")
        for letter, choice in zip("abcdefg", step.ask.choices, strict=False):
            out.append(f"  {letter}) {g(choice.text)}", style="bold" if choice.correct else "")
            out.append("  right\n" if choice.correct else "\n", style="green")
        out.append("\n")
    out.append("The class reads:\n", style="dim bold")
    out.append(_opening(step.prose, PROSE_PARAGRAPHS, g) + "\n\n", style="dim")
    if index + 1 < len(lesson.steps):
        out.append("Next: ", style="bold")
        out.append(_opening(lesson.steps[index + 1].prose, PREVIEW_PARAGRAPHS, g), style="dim")
    else:
        out.append("The last step: > finishes the lesson.", style="bold")
    return out


def _doing(step: Step) -> str:
    """What the step does to the app, in a few words: what it sets, its run, its wait."""
    parts = []
    if step.settings:
        parts.append("sets " + ", ".join(step.settings))
    if step.run:
        parts.append(f"trains {step.run:,} steps")
    if step.wait is not None:
        parts.append(f"waits for {step.wait.text}")
    return " · ".join(parts)


def _opening(prose: str, paragraphs: int, spell: Callable[[str], str]) -> str:
    """The first `paragraphs` paragraphs of `prose`, each on one line that the terminal wraps
    (a lesson file wraps its lines for its own width), Markdown's emphasis marks left out, and
    "…" where it goes on; as `spell` shows it."""
    found = [" ".join(p.split()) for p in prose.split("\n\n") if p.strip()]
    shown = [p.replace("**", "").replace("`", "") for p in found[:paragraphs]]
    return spell("\n".join(shown) + ("\n…" if len(found) > paragraphs else ""))


class NotesApp(App[None]):
    """The speaker notes of the lesson at `path`, following the step the presenting app shows."""

    TITLE = "losstui notes"
    CSS = """
    #notes-head { height: 1; background: $primary; color: $text; padding: 0 1; }
    #notes-body { padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("less_than_sign", "peek(-1)", "Peek back", key_display="<"),
        Binding("greater_than_sign", "peek(1)", "Peek on", key_display=">"),
        Binding("escape", "follow", "Follow"),
    ]

    def __init__(self, path: str, glyphs: Glyphs = UNICODE) -> None:
        super().__init__()
        self.path = path
        self.glyphs = glyphs
        self.lesson = read_lesson(path)
        self._mtime = modified(path)
        #: The step the presenting app shows, as last read; the step on show here (they differ
        #: while the instructor peeks with < and >).
        self.followed = self._presented()
        self.index = self.followed

    def compose(self) -> ComposeResult:
        yield Static(id="notes-head")
        with VerticalScroll(id="notes-body"):
            yield Static(id="notes-text")
        yield Footer()

    def on_mount(self) -> None:
        signals.install(self)  # a signal ends the notes as it ends the app: terminal restored
        self.set_interval(FOLLOW_INTERVAL, self._follow)
        self._show()

    def _presented(self) -> int:
        """The step on show in the presenting app (from 0): the one its progress keeps."""
        return min(progress.load(lesson_key(self.lesson)), len(self.lesson.steps) - 1)

    def _follow(self) -> None:
        """Follow the presenting app to its step (and a saved lesson file to its new text)."""
        mtime = modified(self.path)
        if mtime is not None and mtime != self._mtime:
            self._mtime = mtime
            try:
                self.lesson = read_lesson(self.path)
            except ContentError as error:
                self.notify(f"The lesson file has an error: {error}", severity="error")
            self._show()
        presented = self._presented()
        if presented != self.followed:
            self.followed = self.index = presented
            self._show()

    def _show(self) -> None:
        following = self.index == self.followed
        head = f"{self.glyphs.text(self.lesson.title)} · speaker notes"
        if not following:  # first, so that a narrow terminal keeps it
            head = f"Peeking: the class is on step {self.followed + 1} (esc follows) · {head}"
        self.query_one("#notes-head", Static).update(Text(head))
        self.query_one("#notes-text", Static).update(
            notes_text(self.lesson, self.index, self.glyphs)
        )

    def action_peek(self, by: int) -> None:
        """< and >: read the notes of the step before or after, the class staying where it is."""
        self.index = max(0, min(self.index + by, len(self.lesson.steps) - 1))
        self._show()

    def action_follow(self) -> None:
        self.index = self.followed
        self._show()


def run_notes(path: str, ascii: bool = False) -> int:
    """Run the notes app for the lesson at `path` (checked by the caller); its exit status."""
    from losstui.tui.glyphs import choose_glyphs
    from losstui.tui.streams import drawing_on_the_terminal

    app = NotesApp(path, choose_glyphs(ascii))
    with drawing_on_the_terminal():
        app.run()
    return app.return_code or 0
