"""Provides SizedWebDriver: Textual's web driver, with the browser's screen size held to what a
screen can be.

`losstui serve` runs one copy of the app per browser tab, and the tab says how big its screen is:
in the websocket's address (`/ws?width=80&height=24`, which textual-serve hands the app as COLUMNS
and ROWS) and in each resize message. Textual takes both as they come. A size of -5 crashed the
app in its first frame; 20000x20000 grew it past 1.1 GB and flooded the server with frames until
it stopped answering ctrl+c. Any client can send either, so the app clamps them here.
"""

from __future__ import annotations

import math
import os
from typing import Any

from textual import events
from textual.app import App
from textual.drivers.web_driver import WebDriver
from textual.geometry import Size

#: The largest screen a browser tab may ask for, in cells: a 4K projector at a small font is
#: about 480x135; a frame of 1000x1000 cells is still drawn in a fraction of a second.
MAX_COLUMNS = 1000
MAX_ROWS = 1000
#: What the app assumes when the tab says nothing it can read (Textual's own default).
DEFAULT_SIZE = (80, 24)


def _cells(value: object, most: int) -> int | None:
    """`value` (a number, or its text) as a count of cells from 1 to `most`; None when it is not
    a finite number at all."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return min(max(int(value), 1), most)


def screen_size(width: object, height: object, fallback: tuple[int, int]) -> tuple[int, int]:
    """The size a tab asked for, each side held to 1..MAX_COLUMNS or 1..MAX_ROWS; `fallback`
    when either side is not a number."""
    columns, rows = _cells(width, MAX_COLUMNS), _cells(height, MAX_ROWS)
    if columns is None or rows is None:
        return fallback
    return columns, rows


class SizedWebDriver(WebDriver):
    """Textual's WebDriver with the start size (COLUMNS, ROWS) and every resize clamped by
    `screen_size`; a resize that is not a size at all keeps the size the app has. Resizes reach
    the app in the order the tab sent them, after the start size."""

    def __init__(
        self,
        app: App[Any],
        *,
        debug: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
    ) -> None:
        if size is None:
            size = screen_size(os.environ.get("COLUMNS"), os.environ.get("ROWS"), DEFAULT_SIZE)
        super().__init__(app, debug=debug, mouse=mouse, size=size)

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type != "resize":
            super().on_meta(packet_type, payload)
            return
        self._size = screen_size(
            payload.get("width"), payload.get("height"), self._size or DEFAULT_SIZE
        )
        size = Size(*self._size)
        # Sent as Textual's driver sends the start size (through the event loop, a turn later
        # than its own resizes, which it posts straight to the app's queue): a resize that came
        # before the first frame was overtaken by the older start size, leaving the app at the
        # start size and its screen at the new one, and a layout that changes between the two
        # (80 columns: the tab titles, the footer) froze the app redrawing between them.
        self.send_message(events.Resize(size, size))
