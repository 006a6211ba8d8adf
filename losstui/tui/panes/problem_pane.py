"""Provides the Problem pane: the catalogue, the question path and a preview of the choice."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Container, Horizontal, Vertical
from textual.widgets import Label

from losstui.core.problems import PROBLEMS
from losstui.tui.opening import is_built, when_built
from losstui.tui.panes.pane import Pane
from losstui.tui.widgets.problem_chooser import ProblemChooser
from losstui.tui.widgets.question_path import QuestionPath

if TYPE_CHECKING:
    from losstui.core.state import StateChanged
    from losstui.tui.widgets.recommendation_view import RecommendationView

WIDE = 120
"""From this width the preview sits beside the chooser, so choosing stays on this pane."""


class ProblemPane(Pane):
    """Choose a problem from the catalogue, or find it by answering questions."""

    DEFAULT_CSS = """
        #problem-row {
            height: 1fr;
        }
        #pick {
            layout: horizontal;
            width: 1fr;
            height: 1fr;
        }
        #chooser-col, #questions-col {
            width: 1fr;
            height: 1fr;
        }
        #chooser {
            height: 1fr;
            border: none;
        }
        #questions {
            height: 1fr;
        }
        #question-text {
            padding: 0 1;
            text-style: italic;
        }
        #question-answers {
            height: 1fr;
            border: none;
        }
        #preview {
            display: none;
            width: 1fr;
            padding: 0 1;
            border-left: vkey $primary;
        }
        .-wide #preview {
            display: block;
        }
        .-wide #pick {
            layout: vertical;
            width: 50;
        }
        .-wide #chooser-col {
            height: 2fr;
        }
        .-wide #questions-col {
            height: 1fr;
        }
        /* ASCII: the border Textual draws in box characters becomes | */
        .-ascii #preview {
            border-left: ascii $primary;
        }
    """
    SCOPED_CSS = False  # its rules name the screen's size classes (.-wide, .-ascii)

    pane_id = "problem"

    def compose(self) -> ComposeResult:
        with Horizontal(id="problem-row"):
            with Container(id="pick"):
                with Vertical(id="chooser-col"):
                    yield Label("Choose your problem (enter):", classes="pane-title")
                    yield ProblemChooser(id="chooser")
                with Vertical(id="questions-col"):
                    yield Label("Don't know its name? Answer:", classes="pane-title")
                    yield QuestionPath(id="questions")
            # The preview shows from 120 columns only: below, it is composed (and its module
            # loaded) when the terminal first grows that wide, not for a first screen that
            # hides it.
            if self.app.size.width >= WIDE:
                yield self._new_preview()

    @staticmethod
    def _new_preview() -> RecommendationView:
        from losstui.tui.widgets.recommendation_view import RecommendationView

        return RecommendationView(brief=True, id="preview")

    def _preview(self) -> RecommendationView | None:
        """The preview beside the chooser, once composed (None below 120 columns until then)."""
        return cast("RecommendationView | None", next(self.query("#preview").results(), None))

    async def on_resize(self) -> None:
        if self.app.size.width < WIDE or self._preview() is not None:
            return
        preview = self._new_preview()
        preview.glyphs = self.glyphs
        await self.query_one("#problem-row").mount(preview)
        if is_built(self.state):
            self._show_highlighted()

    def on_mount(self) -> None:
        self._show_problem()
        # The preview reads the loss registry (numpy): it is drawn once the state is built,
        # just after the first frame (beside the chooser from 120 columns, hidden below).
        when_built(self.state, self._show_highlighted)

    def state_changed(self, event: StateChanged) -> None:
        if "problem" in event:
            self._show_problem()

    def _show_problem(self) -> None:
        key = self.state.problem
        self.query_one("#chooser", ProblemChooser).select_key(key)
        preview = self._preview()
        if preview is not None and is_built(self.state):
            preview.show(key)

    def _show_highlighted(self) -> None:
        """Preview the problem under the cursor (moved, perhaps, before the state was built)."""
        preview = self._preview()
        if preview is None:
            return
        option = self.query_one("#chooser", ProblemChooser).highlighted_option
        key = option.id if option is not None and option.id else self.state.problem
        preview.show(key)

    def focus_target(self):
        return self.query_one("#chooser")

    @on(ProblemChooser.ProblemSelected, "#chooser")
    def _problem_selected(self, event: ProblemChooser.ProblemSelected) -> None:
        self.choose(event.key)

    @on(ProblemChooser.ProblemHighlighted, "#chooser")
    def _problem_highlighted(self, event: ProblemChooser.ProblemHighlighted) -> None:
        preview = self._preview()
        if preview is not None and is_built(self.state):  # else drawn once the state is built
            preview.show(event.key)

    @on(QuestionPath.ProblemFound, "#questions")
    def _problem_found(self, event: QuestionPath.ProblemFound) -> None:
        self.app.notify(f"Your problem: {PROBLEMS[event.key].title}", timeout=4)
        self.choose(event.key)

    def choose(self, key: str) -> None:
        """Choose `key`; below WIDE the recommendation opens, since no preview sits beside."""
        self.state.set_problem(key)
        self._show_problem()
        if self.app.size.width < WIDE:
            self.state.set_pane("recommendation")
