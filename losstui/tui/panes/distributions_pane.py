"""Provides the Distributions pane: true P against predicted Q, residuals, the NLL curve."""

from __future__ import annotations

import numpy as np
from textual import on
from textual.app import ComposeResult

from losstui.core.state import StateChanged
from losstui.tui.panes.pane import Pane
from losstui.tui.widgets.distribution_view import DistributionView


class DistributionsPane(Pane):
    """What the model predicts, set against the truth; the example on show is the state's. With
    the state's `calibration` on, for a classifier with one true class per example, whether its
    probabilities can be trusted instead (`CalibrationView`, composed when first shown)."""

    DEFAULT_CSS = """
        #dist-view {
            height: 1fr;
        }
    """

    pane_id = "distributions"

    def compose(self) -> ComposeResult:
        yield DistributionView(id="dist-view", units=self.state.units)

    def state_changed(self, event: StateChanged) -> None:
        view = self.query_one(DistributionView)
        if "units" in event:
            view.units = self.state.units
        if "example" in event:
            view.select_example(self.state.example)

    def draw(self, force: bool = False) -> None:
        view = self.query_one(DistributionView)
        calibrated = self.state.calibration and self._calibrates()
        view.display = not calibrated
        if calibrated:
            self._draw_calibration()
            return
        self.turned_off("calibration-view")
        # A diverged model overflows on purpose; the pane says so in words, not in warnings.
        with np.errstate(all="ignore"):
            view.show(self.state.run)
        if view.example != self.state.example:
            view.select_example(self.state.example)

    def on_resize(self) -> None:
        # The reliability diagram's bins fit the height: under a lesson's strip, fewer.
        if self.shown and self.state.calibration and self._calibrates():
            self.draw(force=True)

    def _calibrates(self) -> bool:
        """Whether the run's task has one true class per example, so a reliability diagram."""
        from losstui.core.calibration import supports

        return supports(self.state.run.dataset.kind)

    def _draw_calibration(self) -> None:
        from losstui.core.calibration import reliability
        from losstui.tui.widgets.calibration_view import CalibrationView, bins_for

        view = self.turned_on(CalibrationView, "calibration-view")
        with np.errstate(all="ignore"):
            result = reliability(self.state.run, bins=bins_for(self.size.height))
        self.call_after_refresh(view.show, result)  # its gauges fit its size

    def focus_target(self):
        return self.query_one(DistributionView)

    @on(DistributionView.ExampleRequested, "#dist-view")
    def _example_requested(self, event: DistributionView.ExampleRequested) -> None:
        self.state.set_example(event.index)  # the state's change event selects it in the view

    # -- its keys (bound on the main screen, which asks the pane on show: see tui/actions.py) --

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """u (bits or nats) applies to classification; elsewhere it is shown greyed."""
        from losstui.core.tasks import get_task

        if action == "toggle_units":  # bits and nats measure information: classification
            return True if get_task(self.state.run.dataset.kind).classes else None
        if action == "toggle_calibration":
            return self._calibrates()
        return True
