"""Provides the guided question path for users who don't know their problem's name."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from losstui.core.problems import FIRST_QUESTION, PROBLEMS, QUESTIONS

_BACK = "__back__"


class QuestionPath(Vertical):
    """Asks "what is your target?" and follow-ups, one at a time, until a problem is reached."""

    class ProblemFound(Message):
        """The answers led to problem `key`."""

        def __init__(self, path: QuestionPath, key: str) -> None:
            super().__init__()
            self.path = path
            self.key = key

        @property
        def control(self) -> QuestionPath:
            return self.path

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._trail: list[str] = [FIRST_QUESTION]

    def compose(self) -> ComposeResult:
        yield Label("", id="question-text")
        yield OptionList(id="question-answers")

    def on_mount(self) -> None:
        self._show()

    def restart(self) -> None:
        """Back to the first question."""
        self._trail = [FIRST_QUESTION]
        self._show()

    def _show(self) -> None:
        question = QUESTIONS[self._trail[-1]]
        step = len(self._trail)
        self.query_one("#question-text", Label).update(f"Q{step}. {question.text}")
        answers = self.query_one("#question-answers", OptionList)
        answers.clear_options()
        for answer in question.answers:
            lead = (
                f"  = {PROBLEMS[answer.problem].title}"
                if answer.problem
                else "  (one more question)"
            )
            answers.add_option(Option(f"{answer.text}{lead}", id=answer.key))
        if step > 1:
            answers.add_option(Option("< back to the previous question", id=_BACK))
        answers.highlighted = 0

    @on(OptionList.OptionSelected, "#question-answers")
    def _answered(self, event: OptionList.OptionSelected) -> None:
        event.stop()
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
