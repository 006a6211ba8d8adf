"""Provides the main screen: the status line, the seven panes as tabs, a lesson slot, the keys."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Container, Horizontal
from textual.css.query import NoMatches
from textual.geometry import Spacing
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static, TabbedContent, TabPane
from textual.widgets._toast import ToastRack  # Textual's own notices; no public import

from losstui.core.settings import PANES, SettingError
from losstui.tui.actions import TAB_TITLES
from losstui.tui.glyphs import UNICODE, Glyphs
from losstui.tui.lazy import LazyClasses
from losstui.tui.opening import is_built
from losstui.tui.panes.pane import Pane
from losstui.tui.screens.main_keys import MainKeys
from losstui.tui.widgets.keys_footer import KeysFooter
from losstui.tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from losstui.core.state import AppState, StateChanged
    from losstui.tui.lesson_controller import LessonController
    from losstui.tui.panes.train_pane import TrainPane


MIN_WIDTH, MIN_HEIGHT = 60, 20
"""Below this the layout cannot show a pane and its keys; the screen says so instead."""
WIDE = 120
"""From this width panes sit side by side (chooser beside recommendation, curves beside model)."""
TALL = 36
#: Rows from which a lesson's question strip may take three more rows from the panes.
ROOMY = 24
FULL = 80
"""From this width the tab titles and the footer's keys are written in full."""

MEDIUM_TAB_TITLES = {**TAB_TITLES, "distributions": "4 Dist", "pq_lab": "5 P/Q"}
SHORT_TAB_TITLES = {**MEDIUM_TAB_TITLES, "recommendation": "2 Recommend"}
NARROW_TAB_TITLES = {**SHORT_TAB_TITLES, "recommendation": "2 Rec"}
#: Each tab's padding, in cells: one each side; one before it on a narrow screen (`-narrow-tabs`).
TAB_PADDING, NARROW_TAB_PADDING = 2, 1


def too_small_message(width: int, height: int) -> str:
    """What the screen says instead of the panes on a terminal of `width` x `height` below the
    minimum size: short lines, each centred on its own."""
    return (
        f"losstui needs a terminal of at least {MIN_WIDTH}x{MIN_HEIGHT};\n"
        f"this one is {width}x{height}.\n\n"
        "Enlarge the window,\nor press q to quit."
    )


def _row_width(titles: Mapping[str, str], padding: int) -> int:
    return sum(len(title) + padding for title in titles.values())


def tab_titles(width: int) -> tuple[Mapping[str, str], bool]:
    """The tab titles for a terminal `width` columns wide, the longest whose row fits on one
    line (seven tabs in full take 85 columns), and whether the tabs must lose their right-hand
    padding to fit (60 columns)."""
    for titles in (TAB_TITLES, MEDIUM_TAB_TITLES, SHORT_TAB_TITLES):
        if _row_width(titles, TAB_PADDING) <= width:
            return titles, False
    return NARROW_TAB_TITLES, _row_width(NARROW_TAB_TITLES, TAB_PADDING) > width


PANE_CLASSES: Mapping[str, type[Pane]] = LazyClasses(
    {
        "problem": "losstui.tui.panes.problem_pane:ProblemPane",
        "recommendation": "losstui.tui.panes.recommendation_pane:RecommendationPane",
        "train": "losstui.tui.panes.train_pane:TrainPane",
        "distributions": "losstui.tui.panes.distributions_pane:DistributionsPane",
        "pq_lab": "losstui.tui.panes.pq_lab_pane:PQLabPane",
        "lessons": "losstui.tui.panes.lessons_pane:LessonsPane",
        "race": "losstui.tui.panes.race_pane:RacePane",
    }
)
"""Each pane's class, imported when the pane is first opened (a class itself works too)."""


class MainScreen(MainKeys):
    """Composes one widget per pane; each renders the app state and redraws itself. The screen
    keeps the tab row in step with the state's pane and fits the layout to the terminal; its
    keys (training, the views', the lesson's) are its base's, `MainKeys`.

    Only the pane on show is composed at start; each other pane is imported and composed the
    first time it is opened, so the first screen costs one pane, not all of them.
    """

    AUTO_FOCUS = None  # the open pane's main widget takes focus; another would switch tabs

    def __init__(
        self,
        state: AppState,
        glyphs: Glyphs = UNICODE,
        lesson: Widget | None = None,
        lessons: LessonController | None = None,
    ) -> None:
        super().__init__(id="_default")
        self.state = state
        self.glyphs = glyphs
        #: The lesson strip to open with (None: none), and the app's lesson controller, which
        #: fast-forward asks whether a lesson step stops it.
        self.lesson = lesson
        self.lessons = lessons
        self.set_class(lesson is not None, "-lesson")  # the strip takes rows from the panes
        self.set_class(glyphs.name == "ascii", "-ascii")
        #: The panes composed so far, by id: the one on show at start, then each when opened.
        self._panes: dict[str, Pane] = {}

    def compose(self) -> ComposeResult:
        # The size classes before the widgets are styled: set in on_mount, -wide would restyle
        # every widget on the first screen of a wide terminal and lay it out twice.
        self._size_classes(self.app.size.width, self.app.size.height)
        full = self.app.size.width >= FULL  # titles and keys as apply_size has them
        titles, _ = tab_titles(self.app.size.width)
        yield StatusBar(self.state, self.glyphs, id="status-bar")
        with Horizontal(id="main-row"), TabbedContent(initial=self.state.pane, id="panes"):
            for pane in PANE_CLASSES:
                with TabPane(titles[pane], id=pane):
                    if pane == self.state.pane:
                        yield self._new_pane(pane)

        # A lesson's steps sit in a strip under the panes, so the text and the pane it drives
        # share an 80x24 screen; the slot stays empty and hidden without a lesson.
        with Container(id="lesson-slot", classes="-open" if self.lesson else None):
            if self.lesson is not None:
                yield self.lesson
        # The message of a terminal below the minimum size, composed when first shown.
        if self.has_class("-too-small"):
            yield Static(too_small_message(*self.app.size), id="too-small")
        yield KeysFooter(compact=not full, show_command_palette=full)

    def on_mount(self) -> None:
        found = self.query("#panes").results(TabbedContent)
        tabs = next(found, None)
        if tabs is None:  # the app exited before the screen was composed: nothing to set up
            return
        self._tabs = tabs
        for widget in self.query("*"):
            if hasattr(widget, "glyphs"):
                widget.glyphs = self.glyphs
        self.state.subscribe(self._changed)
        self.apply_size(self.app.size.width, self.app.size.height)
        self.focus_pane()
        self.watch(self, "focused", self._focus_changed, init=False)
        # The strip's height changes with the step (a question, enlarged) and the terminal.
        self.screen_layout_refresh_signal.subscribe(self, self._place_notices)

    def on_unmount(self) -> None:
        self.state.unsubscribe(self._changed)

    def _new_pane(self, pane_id: str) -> Pane:
        widget = PANE_CLASSES[pane_id](self.state, self.glyphs, id=f"{pane_id}-pane")
        self._panes[pane_id] = widget
        return widget

    def compose_pane(self, pane_id: str) -> Pane:
        """The pane widget of `pane_id`, composed into its tab now if it was not yet: it is in
        the DOM at once and mounted (its widgets composed, drawn, focused if on show) on a later
        turn of the event loop; `composed(pane_id)` says when."""
        if pane_id in self._panes:
            return self._panes[pane_id]
        widget = self._new_pane(pane_id)
        try:
            tab = self._tabs.get_pane(pane_id)
        except NoMatches:
            tab = None
        if tab is None or not tab.is_attached:
            return widget  # the app is closing (q in the same burst of keys): nowhere to mount
        mounting = tab.mount(widget)

        async def mounted() -> None:
            await mounting
            self._pane_mounted(widget)

        self.call_next(mounted)
        return widget

    def _pane_mounted(self, widget: Pane) -> None:
        """What on_mount does for the panes of the first screen, for a pane composed later."""
        for child in (widget, *widget.query("*")):
            if hasattr(child, "glyphs"):
                child.glyphs = self.glyphs
        self.apply_size(self.app.size.width, self.app.size.height)
        self.app.refresh_bindings()
        self.focus_pane(widget.pane_id)

    def composed(self, pane_id: str) -> Pane | None:
        """The pane widget of `pane_id` once it is mounted with its widgets; else None (a pane
        not opened yet, or still being composed)."""
        widget = self._panes.get(pane_id)
        return widget if widget is not None and widget.is_mounted else None

    def train_pane(self) -> TrainPane | None:
        """The Train pane once composed and mounted, else None."""
        return cast("TrainPane | None", self.composed("train"))

    def pane_on_show(self) -> Pane | None:
        """The pane widget on show, once composed (perhaps not mounted yet), else None."""
        return self._panes.get(self.state.pane)

    def pane(self, pane_id: str | None = None) -> Pane:
        """The pane widget of `pane_id` (the state's pane by default), composing it if it was
        not yet (see `compose_pane`)."""
        return self.compose_pane(pane_id or self.state.pane)

    # -- state -> screen -------------------------------------------------------------------------

    def _changed(self, event: StateChanged) -> None:
        if "pane" in event:
            self.compose_pane(self.state.pane)
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
        shown = self.composed(self.state.pane)
        if shown is None:  # still being composed: it focuses itself once mounted
            return
        target = shown.focus_target()
        # Focus now, not via call_later: a late focus in another pane would switch tabs back.
        self.set_focus(target if target is not None and target.can_focus else None)

    def _focus_changed(self, _focused: Widget | None = None) -> None:
        self.app.refresh_bindings()  # c reads "Settings" or "Hide settings"
        train = self.train_pane()
        if self.state.pane == "train" and train is not None:
            train.draw(force=True, plots=False)

    @on(Pane.Drawn)
    def _pane_drawn(self, event: Pane.Drawn) -> None:
        # Attributes down, messages up: the pane and the lesson strip are cousins, so the
        # screen that holds both tells the strip, and the strip needs no pane to look at.
        event.stop()
        if not self.has_class("-lesson"):
            return
        # Imported with the first lesson, not with the screen (the lessons stay off start-up).
        from losstui.tui.widgets.lesson_panel import LessonPanel

        for strip in self.query(LessonPanel):
            strip.pane_drawn()

    # -- size ------------------------------------------------------------------------------------

    def on_resize(self, event) -> None:
        if hasattr(self, "_tabs"):  # a resize before on_mount: on_mount applies the size
            self.apply_size(event.size.width, event.size.height)

    def _size_classes(self, width: int, height: int) -> bool:
        """Set the classes the stylesheet lays out by for `width` x `height`; True when the
        terminal is below the minimum size."""
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.set_class(small, "-too-small")
        self.set_class(width >= WIDE, "-wide")
        self.set_class(height >= TALL, "-tall")
        self.set_class(height < ROOMY, "-short")
        self.set_class(tab_titles(width)[1], "-narrow-tabs")
        return small

    def apply_size(self, width: int, height: int) -> None:
        """Fit the layout to a terminal of `width` x `height` cells."""
        small = self._size_classes(width, height)
        train = self.train_pane()
        if train is not None:
            train.apply_width(width)
        footer = self.query_one(Footer)
        footer.compact = width < FULL
        footer.show_command_palette = width >= FULL
        titles, _ = tab_titles(width)
        for pane, title in titles.items():
            tab = self._tabs.get_tab(pane)
            if str(tab.label) != title:
                tab.label = title
        if small:
            message = too_small_message(width, height)
            shown = next(self.query("#too-small").results(Static), None)
            if shown is not None:
                shown.update(message)
            else:
                self.mount(Static(message, id="too-small"), before=footer)

    def _place_notices(self, _screen: Screen | None = None) -> None:
        """Notices sit above the lesson's strip, never over the step's text: Textual docks them
        at the screen's bottom, above the footer."""
        # The rack is one of the screen's own children (Textual mounts it there): looking among
        # them, not through every widget, keeps this cheap, as it runs on every layout.
        try:
            rack = self.get_child_by_type(ToastRack)
        except NoMatches:  # notifications off (tests, mostly)
            return
        slot = self.query_one("#lesson-slot")
        below = self.size.height - slot.region.y if slot.display and slot.region else 1
        if rack.styles.margin.bottom != below:
            rack.styles.margin = Spacing(0, 0, below, 0)

    # -- widgets -> state ------------------------------------------------------------------------

    @on(TabbedContent.TabActivated, "#panes")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane.id or "problem"
        # Activations queued before a programmatic switch arrive late: trust only the live tab.
        if pane in PANES and event.tabbed_content is self._tabs and pane == self._tabs.active:
            if pane == self.state.pane and not is_built(self.state):
                return  # the opening tab, activated on mount: a fresh state shows it already
            try:
                self.state.set_pane(pane)
            except SettingError as error:  # a lesson holds the pane: its tab comes back
                self._tabs.active = self.state.pane
                self.notify(str(error), severity="warning", markup=False)
