"""Provides the guided question path for users who don't know their problem's name."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static

from losstui.core.problems import FIRST_QUESTION, PROBLEMS, QUESTIONS
from losstui.tui.glyphs import UNICODE, Glyphs, UsesGlyphs
from losstui.tui.widgets.problem_chooser import MarkedOptionList

_BACK = "__back__"


class QuestionPath(UsesGlyphs, Vertical):
    """Asks "what is your target?" and follow-ups, one at a time, until a problem is reached."""

    DEFAULT_CSS = """
    QuestionPath > #question-text {
        width: 1fr;
        height: auto;
    }
    """

    @dataclass
    class ProblemFound(Message):
        """The answers led to problem `key`."""

        path: QuestionPath
        key: str

        @property
        def control(self) -> QuestionPath:
            return self.path

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._trail: list[str] = [FIRST_QUESTION]
        self._glyphs: Glyphs = UNICODE

    def _glyphs_changed(self) -> None:
        if self.is_mounted:
            self._show()

    def compose(self) -> ComposeResult:
        # A Static, not a Label: a Label is as wide as its text and a long question was cut.
        yield Static("", id="question-text")
        yield MarkedOptionList(id="question-answers")

    def on_mount(self) -> None:
        self._show()

    def restart(self) -> None:
        """Back to the first question."""
        self._trail = [FIRST_QUESTION]
        self._show()

    def _show(self) -> None:
        g = self._glyphs
        question = QUESTIONS[self._trail[-1]]
        step = len(self._trail)
        self.query_one("#question-text", Static).update(Text(g.text(f"Q{step}. {question.text}")))
        options = []
        for answer in question.answers:
            body = Text(g.text(answer.text))
            if answer.problem:
                body.append(f" {g.arrow_right} {g.text(PROBLEMS[answer.problem].title)}", "dim")
            else:
                body.append("  (one more question)", "dim")
            options.append((body, answer.key))
        if step > 1:
            options.append((Text("< back to the previous question", "dim"), _BACK))
        self.query_one("#question-answers", MarkedOptionList).set_marked_options(options)

    @on(OptionList.OptionSelected, "#question-answers")
    def _answered(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if not self.query_one("#question-answers", MarkedOptionList).offers(event):
            return  # an answer to the question before, chosen in the same burst of keys
        if event.option.id == _BACK:
            self._trail.pop()
            self._show()
            return
        answer = QUESTIONS[self._trail[-1]].answer(event.option.id or "")
        if answer.problem is not None:
            self.post_message(self.ProblemFound(self, answer.problem))
            self.restart()
        elif answer.next is not None:
            self._trail.append(answer.next)
            self._show()
