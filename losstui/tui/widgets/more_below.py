"""Provides MoreBelow: the line at the foot of a scrolling text that says there is more below."""

from __future__ import annotations

from rich.text import Text
from textual.containers import ScrollableContainer
from textual.screen import Screen
from textual.widgets import Static

from losstui.tui.glyphs import UNICODE, Glyphs, UsesGlyphs


class MoreBelow(UsesGlyphs, Static):
    """Docked at the foot of the scrolling container it is composed in, it shows "▼ more below"
    and how to scroll (`how`) while text is hidden under the container's last row, and is gone
    once the end is in view. A scrollbar alone does not say so: without colour, or in ASCII, it
    reads as a stray mark, and a text cut off at a row's end looks finished.

    `keys_need_focus`: `how` names keys that scroll the container only while it has focus, so
    it is said only then.
    """

    DEFAULT_CSS = """
    MoreBelow {
        dock: bottom;
        display: none;
        width: 100%;
        height: 1;
        text-align: right;
    }
    """

    def __init__(
        self,
        how: str,
        glyphs: Glyphs = UNICODE,
        *,
        keys_need_focus: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.how = how
        self.keys_need_focus = keys_need_focus
        self._glyphs = glyphs

    def on_mount(self) -> None:
        self._glyphs_changed()
        if self.parent is not None:
            self.watch(self.parent, "scroll_y", self._check, init=False)
        if self.keys_need_focus:
            self.watch(self.screen, "focused", self._glyphs_changed, init=False)
        # After any layout: the text changed, or the container or the terminal was resized.
        self.screen.screen_layout_refresh_signal.subscribe(self, self._check)

    def _glyphs_changed(self, _focused: object = None) -> None:
        arrow = "v" if self.glyphs.name == "ascii" else "▼"
        line = f" {arrow} more below"
        focused = self.is_attached and self.screen.focused is self.parent
        if self.how and (focused or not self.keys_need_focus):
            line += f": {self.glyphs.text(self.how)}"
        self.update(Text(line + " ", style="bold reverse"))

    def say(self, how: str) -> None:
        """Say that `how` scrolls the text, from now on (a key, the mouse)."""
        if how != self.how:
            self.how = how
            self._glyphs_changed()

    @property
    def hidden_below(self) -> bool:
        """Whether text is hidden under the container's last row."""
        container = self.parent
        if not isinstance(container, ScrollableContainer):
            return False
        return round(container.scroll_y) < container.max_scroll_y

    def _check(self, _changed: object = None) -> None:
        if not self.is_attached or (isinstance(_changed, Screen) and _changed is not self.screen):
            return
        more = self.hidden_below
        if self.display != more:
            self.display = more
