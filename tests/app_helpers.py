"""Helpers for the app's Pilot tests: the screen as text, and a few waits without sleeping."""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App, ComposeResult
from textual.widget import Widget


class Harness(App):
    """The one app the widget tests mount their widgets in: `widgets` and nothing else, each
    with `glyphs` where given, the first focused with `focus`, under `css` where given.
    Subclasses add what the widget's owner does with the messages it posts."""

    def __init__(
        self, *widgets: Widget, glyphs: object = None, css: str = "", focus: bool = False
    ) -> None:
        if css:
            self.CSS = css
        super().__init__()
        self.widgets = widgets
        self._focus = focus
        if glyphs is not None:
            for widget in widgets:
                widget.glyphs = glyphs  # type: ignore[attr-defined]

    @property
    def widget(self) -> Widget:
        """The (first) widget under test."""
        return self.widgets[0]

    def compose(self) -> ComposeResult:
        yield from self.widgets

    def on_mount(self) -> None:
        if self._focus and self.widgets:
            self.widgets[0].focus()


def screen_text(app: App) -> str:
    """What the terminal shows now, as plain text (one line per row)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()


def flat(text: str) -> str:
    """`text` with runs of whitespace collapsed, so wrapped phrases can be searched for."""
    return " ".join(text.split())


def notifications(app: App) -> list[str]:
    """The messages the app has notified so far (recorded even when tests don't show them)."""
    return [n.message for n in app._notifications]


def footer(app: App) -> str:
    """The footer row as text."""
    return screen_text(app).splitlines()[-1]


def widget_text(app: App, selector: str) -> str:
    """The screen text inside one widget's region, rows joined by spaces (for wrapped text)."""
    region = app.screen.query_one(selector).region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return flat(" ".join(row[region.x : region.right] for row in rows))


async def notified(pilot, app: App, tries: int = 20) -> list[str]:
    """The notifications' titles once there is one: an action taken by a key notifies on a
    later turn of the event loop, more of them on a loaded machine."""
    for _ in range(tries):
        if app._notifications:
            break
        await pilot.pause()
    return [n.title for n in app._notifications]


async def footer_settled(pilot, app: App, tries: int = 20) -> str:
    """The footer row once it shows its keys: a pane change refreshes the bindings, and the
    footer recomposes on a later turn of the event loop, blank in between."""
    for _ in range(tries):
        row = footer(app)
        if row.strip():
            return row
        await pilot.pause()
    return footer(app)


async def pane_ready(pilot, app: App, pane: str, tries: int = 20) -> None:
    """Wait until `pane` is composed and drawn: a pane opened for the first time is composed
    on later turns of the event loop (lazily), more of them on a loaded machine."""
    screen = app.main_screen  # type: ignore[attr-defined]
    for _ in range(tries):
        if screen.composed(pane) is not None:
            break
        await pilot.pause()
    await pilot.pause()
