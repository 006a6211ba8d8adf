"""The problem chooser and the question path: nothing cut at 40 columns, the cursor shown by a
character (NO_COLOR), and ASCII spelled out."""

from __future__ import annotations

from app_helpers import flat, screen_text
from textual.app import App, ComposeResult
from textual.containers import Horizontal

from losstui.core.problems import PROBLEMS
from losstui.tui.glyphs import ASCII
from losstui.tui.widgets.problem_chooser import ProblemChooser
from losstui.tui.widgets.question_path import QuestionPath


class PickApp(App):
    """The two columns of the Problem pane at 80 columns: 40 cells each."""

    CSS = "Horizontal > * { width: 40; } OptionList { border: none; height: 1fr; }"

    def __init__(self, ascii: bool = False) -> None:
        super().__init__()
        self.ascii = ascii
        self.found: list[str] = []

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield ProblemChooser(id="chooser")
            yield QuestionPath(id="questions")

    def on_mount(self) -> None:
        if self.ascii:
            for widget in (self.query_one(ProblemChooser), self.query_one(QuestionPath)):
                widget.glyphs = ASCII

    def on_question_path_problem_found(self, message: QuestionPath.ProblemFound) -> None:
        self.found.append(message.key)


def column(text: str, left: int) -> str:
    """The catalogue's column (left=0) or the questions' column (left=40) of the screen."""
    return "\n".join(line[left : left + 40] for line in text.splitlines())


def marked_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.lstrip().startswith("> ")]


async def test_long_questions_and_answers_wrap_instead_of_being_cut():
    app = PickApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#question-answers").focus()
        await pilot.press("enter", "down", "enter")  # a real number, no outliers
        text = flat(column(screen_text(app), 40))
        assert "Q3. Does it span orders of magnitude (always positive)?" in text
        assert "yes, e.g. 3 to 30,000 → Wide-range regression" in text
        await pilot.press("enter")
        assert app.found == ["wide_range_regression"]


async def test_the_highlighted_answer_and_problem_carry_a_mark_not_only_a_colour():
    app = PickApp()
    async with app.run_test(size=(80, 24)) as pilot:
        chooser = app.query_one(ProblemChooser)
        chooser.focus()
        await pilot.press("down", "down")
        text = screen_text(app)
        assert marked_lines(column(text, 0)) == [f"> {PROBLEMS['wide_range_regression'].title}"]
        assert marked_lines(column(text, 40)) == ["> a real number  (one more question)"]
        chooser.select_key("density_estimation")
        await pilot.pause()
        marks = marked_lines(column(screen_text(app), 0))
        assert marks == [f"> {PROBLEMS['density_estimation'].title}"]


async def test_ascii_mode_spells_the_catalogue_and_answers_in_ascii():
    app = PickApp(ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Predict a count (0, 1, 2, ...)" in flat(column(text, 0))
        assert "a count (0, 1, 2, ...) -> Count regression" in flat(column(text, 40))
        own = text.translate({ord(c): None for c in "▁▂▃▄▅▆▇█▔"})  # the scrollbar is Textual's
        assert own.isascii(), sorted({c for c in own if not c.isascii()})
