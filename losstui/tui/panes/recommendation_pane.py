"""Provides the Recommendation pane: loss, activation and the maximum-likelihood reason."""

from __future__ import annotations

from textual.app import ComposeResult

from losstui.core.state import StateChanged
from losstui.tui.panes.pane import Pane
from losstui.tui.widgets.recommendation_view import RecommendationView


class RecommendationPane(Pane):
    """The recommendation for the chosen problem, in full."""

    DEFAULT_CSS = """
        #recommendation-view {
            padding: 0 1;
            height: 1fr;
        }
    """

    pane_id = "recommendation"

    def compose(self) -> ComposeResult:
        yield RecommendationView(id="recommendation-view")

    def on_mount(self) -> None:
        self.query_one(RecommendationView).show(self.state.problem)

    def state_changed(self, event: StateChanged) -> None:
        if "problem" in event:
            self.query_one(RecommendationView).show(self.state.problem)

    def focus_target(self):
        return self.query_one(RecommendationView)
