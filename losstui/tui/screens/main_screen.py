"""Provides the main screen: the status line, the six panes as tabs, a lesson slot, the keys."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Container, Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static, TabbedContent, TabPane

from losstui.core.settings import PANES
from losstui.core.state import AppState, StateChanged
from losstui.tui.glyphs import UNICODE, Glyphs
from losstui.tui.panes.distributions_pane import DistributionsPane
from losstui.tui.panes.lessons_pane import LessonsPane
from losstui.tui.panes.pane import Pane
from losstui.tui.panes.pq_lab_pane import PQLabPane
from losstui.tui.panes.problem_pane import ProblemPane
from losstui.tui.panes.recommendation_pane import RecommendationPane
from losstui.tui.panes.train_pane import TrainPane
from losstui.tui.widgets.status_bar import StatusBar

MIN_WIDTH, MIN_HEIGHT = 60, 20
"""Below this the layout cannot show a pane and its keys; the screen says so instead."""
WIDE = 120
"""From this width panes sit side by side (chooser beside recommendation, curves beside model)."""
TALL = 36

TAB_TITLES = {
    "problem": "1 Problem",
    "recommendation": "2 Recommendation",
    "train": "3 Train",
    "distributions": "4 Distributions",
    "pq_lab": "5 P/Q lab",
    "lessons": "6 Lessons",
}
SHORT_TAB_TITLES = {
    **TAB_TITLES,
    "recommendation": "2 Recommend",
    "distributions": "4 Dist",
    "pq_lab": "5 P/Q",
}
"""Tab titles below 80 columns, where the full ones don't fit on one line."""
PANE_CLASSES: dict[str, type[Pane]] = {
    "problem": ProblemPane,
    "recommendation": RecommendationPane,
    "train": TrainPane,
    "distributions": DistributionsPane,
    "pq_lab": PQLabPane,
    "lessons": LessonsPane,
}


class MainScreen(Screen[None]):
    """Composes one widget per pane; each renders the app state and redraws itself. The screen
    keeps the tab row in step with the state's pane and fits the layout to the terminal."""

    AUTO_FOCUS = None  # the open pane's main widget takes focus; another would switch tabs

    def __init__(
        self, state: AppState, glyphs: Glyphs = UNICODE, lesson: Widget | None = None
    ) -> None:
        super().__init__(id="_default")
        self.state = state
        self.glyphs = glyphs
        self.lesson = lesson

    def compose(self) -> ComposeResult:
        yield StatusBar(self.state, self.glyphs, id="status-bar")
        with Horizontal(id="main-row"), TabbedContent(initial=self.state.pane, id="panes"):
            for pane in PANES:
                with TabPane(TAB_TITLES[pane], id=pane):
                    yield PANE_CLASSES[pane](self.state, self.glyphs, id=f"{pane}-pane")

        # A lesson's steps sit in a strip under the panes, so the text and the pane it drives
        # share an 80x24 screen; the slot stays empty and hidden without a lesson.
        with Container(id="lesson-slot", classes="-open" if self.lesson else None):
            if self.lesson is not None:
                yield self.lesson
        yield Static("", id="too-small")
        yield Footer()

    def on_mount(self) -> None:
        found = self.query("#panes").results(TabbedContent)
        tabs = next(found, None)
        if tabs is None:  # the app exited before the screen was composed: nothing to set up
            return
        self._tabs = tabs
        if self.glyphs.name == "ascii":
            self.add_class("-ascii")
        for widget in self.query("*"):
            if hasattr(widget, "glyphs"):
                widget.glyphs = self.glyphs
        self.state.subscribe(self._changed)
        self.apply_size(self.app.size.width, self.app.size.height)
        self.focus_pane()
        self.watch(self, "focused", self._focus_changed, init=False)

    def on_unmount(self) -> None:
        self.state.unsubscribe(self._changed)

    def pane(self, pane_id: str | None = None) -> Pane:
        """The pane widget of `pane_id` (the state's pane by default)."""
        return self.query_one(f"#{pane_id or self.state.pane}-pane", Pane)

    # -- state -> screen -------------------------------------------------------------------------

    def _changed(self, event: StateChanged) -> None:
        if "pane" in event:
            if self._tabs.active != self.state.pane:
                self._tabs.active = self.state.pane
            # The pane's own keys (the P/Q lab's arrows, the examples' j/k) need its widget
            # focused; after the refresh, so that the newly shown pane can take focus.
            self.call_after_refresh(self.focus_pane, self.state.pane)
        if event.touches("pane", "running", "trainer"):
            self.app.refresh_bindings()

    def focus_pane(self, pane: str | None = None) -> None:
        """Focus the main widget of `pane`, if it is still the open one."""
        if pane is not None and pane != self.state.pane:
            return
        target = self.pane().focus_target()
        # Focus now, not via call_later: a late focus in another pane would switch tabs back.
        self.set_focus(target if target is not None and target.can_focus else None)

    def _focus_changed(self, _focused: Widget | None = None) -> None:
        self.app.refresh_bindings()  # c reads "Settings" or "Hide settings"
        if self.state.pane == "train":
            self.query_one(TrainPane).draw(force=True, plots=False)

    # -- size ------------------------------------------------------------------------------------

    def on_resize(self, event) -> None:
        if hasattr(self, "_tabs"):  # a resize before on_mount: on_mount applies the size
            self.apply_size(event.size.width, event.size.height)

    def apply_size(self, width: int, height: int) -> None:
        """Fit the layout to a terminal of `width` x `height` cells."""
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.set_class(small, "-too-small")
        self.set_class(width >= WIDE, "-wide")
        self.set_class(height >= TALL, "-tall")
        self.query_one(TrainPane).apply_width(width)
        footer = self.query_one(Footer)
        footer.compact = width < 80
        footer.show_command_palette = width >= 80
        titles = TAB_TITLES if width >= 80 else SHORT_TAB_TITLES
        for pane, title in titles.items():
            tab = self._tabs.get_tab(pane)
            if str(tab.label) != title:
                tab.label = title
        if small:  # short lines, each centred on its own
            self.query_one("#too-small", Static).update(
                f"losstui needs a terminal of at least {MIN_WIDTH}x{MIN_HEIGHT};\n"
                f"this one is {width}x{height}.\n\n"
                "Enlarge the window,\nor press q to quit."
            )

    # -- widgets -> state ------------------------------------------------------------------------

    @on(TabbedContent.TabActivated, "#panes")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane.id or "problem"
        # Activations queued before a programmatic switch arrive late: trust only the live tab.
        if pane in PANES and event.tabbed_content is self._tabs and pane == self._tabs.active:
            self.state.set_pane(pane)
