"""Provides the P/Q lab pane: two distributions, their entropies and divergences."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult

from losstui.core.state import StateChanged
from losstui.tui.panes.pane import Pane
from losstui.tui.widgets.pq_lab import PQLab


class PQLabPane(Pane):
    """The P/Q lab; P and Q live in the state, the lab draws them and reports the user's moves."""

    DEFAULT_CSS = """
        #pq-lab {
            height: 1fr;
        }
    """

    pane_id = "pq_lab"

    def compose(self) -> ComposeResult:
        yield PQLab(self.state.pq_p, self.state.pq_q, id="pq-lab", units=self.state.units)

    def on_mount(self) -> None:
        self._sync()

    def state_changed(self, event: StateChanged) -> None:
        if event.touches("pq", "units"):
            self._sync()

    def _sync(self) -> None:
        lab = self.query_one(PQLab)
        lab.units = self.state.units
        lab.show(self.state.pq_p, self.state.pq_q)

    def focus_target(self):
        return self.query_one(PQLab)

    @on(PQLab.EditRequested, "#pq-lab")
    def _pq_edit_requested(self, event: PQLab.EditRequested) -> None:
        # The lab only asks for valid distributions; the state's change event redraws it. A
        # lesson may lock P or Q: say so and redraw what is kept.
        try:
            self.state.set_pq(event.p, event.q)
        except ValueError as error:
            self.notify(str(error), severity="warning", markup=False)
            self.query_one(PQLab).show(self.state.pq_p, self.state.pq_q)
