"""Checks that the app has a terminal to read and draw on, before Textual is loaded."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

HEADLESS = "losstui recommend KEY, losstui losses, losstui info, losstui train"


def _served() -> bool:
    """Whether Textual draws through another driver (`losstui serve`: textual-serve runs the
    app with TEXTUAL_DRIVER naming its web driver, which speaks over pipes, not a terminal)."""
    return bool(os.environ.get("TEXTUAL_DRIVER"))


def _is_terminal(stream: object) -> bool:
    try:
        return stream is not None and os.isatty(stream.fileno())  # type: ignore[attr-defined]
    except (OSError, ValueError, AttributeError):
        return False


def terminal_problem() -> str | None:
    """One line saying why the app cannot run here (stdin or stdout is closed, a file or a
    pipe), naming the headless commands that can; None when both are terminals.

    Without this, `losstui < /dev/null` draws, ignores q and spins a core, and `losstui <&-`
    fails inside Textual with a traceback.
    """
    if _served():
        return None
    for name, stream in (("standard input", sys.stdin), ("standard output", sys.stdout)):
        if not _is_terminal(stream):
            return (
                f"losstui: error: the app needs a terminal, but {name} is not one (it is "
                f"closed, a file or a pipe); the headless commands run anywhere: {HEADLESS} "
                "(losstui --help)"
            )
    return None


@contextlib.contextmanager
def drawing_on_the_terminal() -> Iterator[None]:
    """Textual draws on `sys.__stderr__`; while this block runs, when stderr is not a terminal
    (`2>/dev/null`, `2>log`, `2>&-`) it draws on stdout instead, which is one."""
    if _served() or _is_terminal(sys.__stderr__):
        yield
        return
    saved = sys.__stderr__
    sys.__stderr__ = sys.__stdout__  # type: ignore[misc]
    try:
        yield
    finally:
        sys.__stderr__ = saved  # type: ignore[misc]
