"""Helpers for the app's Pilot tests: the screen as text, and a few waits without sleeping."""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App


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
