"""Provides Pane, the base of the main screen's panes: a view of the state that redraws itself."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual.containers import Container
from textual.message import Message
from textual.widget import Widget

from losstui.tui.glyphs import UNICODE, Glyphs

# The state's module loads just after the first frame (see losstui.tui.opening).
if TYPE_CHECKING:
    from losstui.core.state import AppState, StateChanged

#: A view a pane mounts when a key first turns it on.
View = TypeVar("View", bound=Widget)

LOW_BANDWIDTH_INTERVAL = 1.0
"""Seconds between redraws while training when the app redraws for a slow link."""


def due(now: float, last: float, interval: float, gap: float) -> bool:
    """Whether a redraw last made at `last` must be made at `now` for redraws to stay at most
    `interval` seconds apart, when the next chance to redraw comes about `gap` seconds later
    (the last gap between chances: a tick, a fast-forward slice, a frame).

    Redraws can only fall on such chances. Waiting until `interval` has passed redraws on the
    first chance after it, up to a whole gap late: at ten ticks a second a picture kept "at
    least 1.0 s apart" redrew every 1.2 s. Here it redraws on the last chance before it. An
    interval that is not a whole number of gaps keeps a timer's jitter from moving a redraw a
    chance earlier or later (at ten ticks a second, 0.35 s redraws every 0.3 s).
    """
    waited = now - last
    return waited >= interval or waited + gap > interval


class Pane(Container):
    """One pane of the main screen. It renders the app state and sends it intents; it holds no
    value a user or a lesson can set. It listens to the state while mounted and draws only while
    it is the pane on show, while training runs at least and about every `interval` seconds.

    Subclasses set `pane_id` (a `PANES` entry) and implement `draw(force)`.
    """

    # Each pane's own rules are in its DEFAULT_CSS, loaded with the pane when it is first
    # opened; losstui/tui/app.tcss has the app-wide ones.
    DEFAULT_CSS = """
        Pane {
            height: 1fr;
            width: 1fr;
        }
    """

    class Drawn(Message):
        """The pane redrew for a change of the state (see `_changed`); the screen passes it on to
        the lesson strip, which quotes live values in step with what the pane on show draws."""

    pane_id: ClassVar[str] = ""
    #: Seconds between redraws while training, at most: what a student can read, within the
    #: byte budget.
    interval: ClassVar[float] = 0.55

    def __init__(self, state: AppState, glyphs: Glyphs = UNICODE, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state = state
        self.glyphs = glyphs
        self._last_draw = 0.0
        #: When the state last changed, and the gap before that: changes come a tick apart.
        self._last_change = 0.0
        self._change_gap = 0.0

    def on_mount(self) -> None:
        # Textual calls the on_mount of each class in the pane's MRO, this one after the
        # subclass's: a subclass that called it too subscribed twice, and drew every change twice.
        self.state.subscribe(self._changed)
        self.draw(force=True)

    def on_unmount(self) -> None:
        self.state.unsubscribe(self._changed)

    def now(self) -> float:
        """The clock redraws are timed by, in seconds (a test gives a simulated one)."""
        return time.monotonic()

    @property
    def redraw_interval(self) -> float:
        """Seconds between redraws while training, at most: `interval`, or a second when the
        app redraws for a slow link (`--low-bandwidth`)."""
        if getattr(self.app, "low_bandwidth", False):
            return max(self.interval, LOW_BANDWIDTH_INTERVAL)
        return self.interval

    @property
    def shown(self) -> bool:
        """Whether this pane is the one the state shows."""
        return self.state.pane == self.pane_id

    def _changed(self, event: StateChanged) -> None:
        self.state_changed(event)
        if not self.shown:
            return
        # While training runs, progress redraws are throttled; anything else redraws at once.
        only_progress = event.parts <= {"progress"} and self.state.running
        now = self.now()
        self._change_gap, self._last_change = now - self._last_change, now
        if only_progress and not due(now, self._last_draw, self.redraw_interval, self._change_gap):
            return
        self._last_draw = now
        self.draw(force=not only_progress)
        self.post_message(self.Drawn())

    def state_changed(self, event: StateChanged) -> None:
        """Bring widgets that follow the state whether shown or not (menus, values) up to date."""

    def draw(self, force: bool = False) -> None:
        """Redraw what this pane shows from the state."""

    def focus_target(self):
        """The widget that takes the keys when this pane is opened (None: the pane itself)."""
        return None

    def turned_on(self, view_type: type[View], view_id: str, parent: Widget | None = None) -> View:
        """The pane's `view_type` view (the loss shapes, the calibration: a key turns it on),
        mounted in `parent` (the pane itself by default) with the pane's glyphs when first
        wanted, and shown. It has its size on the next refresh: draw it then
        (`call_after_refresh`)."""
        found = self.query(view_type)
        if found:
            view = found.first()
        else:
            view = view_type(id=view_id)
            view.glyphs = self.glyphs  # type: ignore[attr-defined]
            (parent or self).mount(view)
        view.display = True
        return view

    def turned_off(self, view_id: str) -> None:
        """Hide the view `turned_on` mounted as `view_id`, if it ever was."""
        for view in self.query(f"#{view_id}"):
            view.display = False
