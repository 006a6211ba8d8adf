"""Provides attempt(): an intent run on the app state, a refusal said as a notice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.widget import Widget


def attempt(node: App[Any] | Widget, intent: Callable[[], object]) -> bool:
    """Run `intent` on the state; a refusal (a lock, a diverged run: a ValueError) becomes a
    warning notice from `node` (the app, a screen, a pane). Whether it ran."""
    try:
        intent()
    except ValueError as error:
        node.notify(str(error), severity="warning", markup=False)
        return False
    return True
