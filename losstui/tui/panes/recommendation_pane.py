"""Provides the Recommendation pane: loss, activation and the maximum-likelihood reason, or the
shapes of the problem's losses (s)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult

from losstui.core.state import StateChanged
from losstui.tui.panes.pane import Pane
from losstui.tui.widgets.recommendation_view import RecommendationView

if TYPE_CHECKING:  # the shapes' module loads when the shapes are first turned on
    from losstui.core.shapes import Shapes


class RecommendationPane(Pane):
    """The recommendation for the chosen problem, in full; with the state's `shapes` on, each
    loss the recommendation names drawn against the prediction with its gradient, and the run's
    validation examples on the same axis (`ShapesView`, composed when first shown).

    `target` is which of the targets the problem offers (`targets_of`) the shapes are drawn for:
    where the view stands, as a scroll position is, not a setting; a new problem starts it
    again."""

    DEFAULT_CSS = """
        #recommendation-view {
            padding: 0 1;
            height: 1fr;
        }
        #shapes-view {
            padding: 0 1;
        }
    """

    pane_id = "recommendation"
    #: While training runs on this pane the rug moves: redraw it about this often.
    interval = 1.0

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.target = 0
        #: Two classes: against the probability p of class 1 (p) rather than the margin.
        self.probability = False
        #: The shapes computed, by (problem, target, probability, span): the axis's own span
        #: (to place the rug) and the one that holds every example.
        self._computed: dict[tuple[object, ...], Shapes] = {}

    def compose(self) -> ComposeResult:
        yield RecommendationView(id="recommendation-view")

    def on_mount(self) -> None:
        self.query_one(RecommendationView).show(self.state.problem)

    def state_changed(self, event: StateChanged) -> None:
        if "problem" in event:
            self.query_one(RecommendationView).show(self.state.problem)
            self.target, self.probability = 0, False

    def draw(self, force: bool = False) -> None:
        shapes_on = self.state.shapes and self._has_shapes()
        self.query_one(RecommendationView).display = not shapes_on
        if shapes_on:
            self._draw_shapes()
        else:
            self.turned_off("shapes-view")

    def _has_shapes(self) -> bool:
        from losstui.core.shapes import SHAPED

        return self.state.problem in SHAPED

    def _draw_shapes(self) -> None:
        from losstui.core.shapes import axis_of, rug, span_for, targets_of
        from losstui.tui.widgets.shapes_view import ShapesView

        view = self.turned_on(ShapesView, "shapes-view")
        state = self.state
        targets = targets_of(state.problem)
        target = targets[self.target % len(targets)]
        shapes = self._shapes(target)
        positions = rug(state.run, shapes)
        span = span_for(positions, shapes.axis, least=abs(float(shapes.x[-1])))
        if span is not None and span != abs(float(shapes.x[-1])):
            shapes = self._shapes(target, span)  # wider, to hold every example
        # Mounted just now, the view has its parts and its size on the next refresh.
        axes = 2 if axis_of(state.problem) == "margin" else 1
        self.call_after_refresh(
            view.show, shapes, positions, state.run.step_count, len(targets), axes
        )

    def _shapes(self, target: float, span: float | None = None) -> Shapes:
        """The problem's shapes for `target` on the axis chosen, computed once per choice: while
        training runs, a frame moves the rug alone."""
        from losstui.core.shapes import loss_shapes

        key = (self.state.problem, target, self.probability, span)
        if key not in self._computed:
            if len(self._computed) > 8:  # another problem or target: the old ones go
                self._computed.clear()
            problem = self.state.problem
            self._computed[key] = loss_shapes(
                problem, target, probability=self.probability, span=span
            )
        return self._computed[key]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """s draws the shapes where the problem has them (density estimation has none); y steps
        through the targets while they are on show and there is a choice."""
        if action == "toggle_shapes":
            return self._has_shapes()
        from losstui.core.shapes import axis_of, targets_of

        shown = self.state.shapes and self._has_shapes()
        if action == "shape_target":
            return shown and len(targets_of(self.state.problem)) > 1
        if action == "shape_axis":
            return shown and axis_of(self.state.problem) == "margin"
        return True

    def next_target(self) -> None:
        """y: the shapes for the problem's next target (class 0, then class 1, ...)."""
        self.target += 1
        self.draw(force=True)

    def next_axis(self) -> None:
        """p: two classes against the probability p of class 1, or against the margin."""
        self.probability = not self.probability
        self.draw(force=True)

    def focus_target(self):
        return self.query_one(RecommendationView)
