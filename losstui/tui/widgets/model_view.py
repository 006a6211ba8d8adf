"""Provides the picture of the model: decision regions, fitted curve or fitted density."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Container
from textual.widgets import Static

from losstui.core.run import RunView
from losstui.core.tasks import get_task
from losstui.tui.glyphs import UNICODE, Glyphs
from losstui.tui.widgets.decision_map import DecisionMap
from losstui.tui.widgets.fit_plot import FitPlot


class ModelView(Container):
    """Chooses the picture that fits the run's data and redraws it on show(run)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs: Glyphs = UNICODE
        self._shown: tuple | None = None

    def compose(self) -> ComposeResult:
        yield DecisionMap(id="decision-map")
        yield FitPlot(id="fit-plot")
        yield Static("", id="model-note")

    def show(self, run: RunView) -> None:
        """Redraw the picture of `run`'s current model, unless it is the one on show."""
        # The app forces redraws on every pane, speed or log10 change; the picture only changes
        # with the model, the character set or the size.
        key = (run, run.step_count, run.diverged, self.glyphs, self.size)
        if key == self._shown:
            return
        self._shown = key
        ds = run.dataset
        decision = self.query_one(DecisionMap)
        fit = self.query_one(FitPlot)
        note = self.query_one("#model-note", Static)
        decision.glyphs = fit.glyphs = self.glyphs
        task = get_task(ds.kind)
        use_map = task.shows_map(ds.n_features)
        use_fit = task.shows_fit
        decision.display = use_map
        fit.display = use_fit
        note.display = not (use_map or use_fit)
        if use_map:
            decision.show(run)
        elif use_fit:
            fit.show(run)
        else:
            note.update(f"No picture for {ds.n_features} inputs; see the curves and metrics.")
