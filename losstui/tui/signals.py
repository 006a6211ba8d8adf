"""Ends the app cleanly on SIGTERM, SIGHUP and SIGQUIT; suspends it on SIGTSTP between two turns of
the event loop, and repaints it after the resume."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable

from textual.app import App

#: Signals that end the app: Python's defaults would kill it with the terminal still in the
#: alternate screen, mouse reporting on and the cursor hidden.
EXIT_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name)
)


def exit_status(signum: int) -> int:
    """The shell's status for a process ended by `signum`: 128 + its number (SIGTERM: 143)."""
    return 128 + signum


def install(app: App) -> None:
    """Make each of EXIT_SIGNALS exit `app` through Textual's shutdown (which restores the
    terminal) with status 128 + the signal's number, and repaint the whole screen on resume.
    The handlers go when the app's event loop closes."""
    loop = asyncio.get_running_loop()
    for signum in EXIT_SIGNALS:
        # Not on Windows, and not from a thread that is not the main one (some test runners).
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, _exit, app, signum)
    # Textual's driver suspends the app from a plain signal handler (signal.signal), which Python
    # runs between any two bytecodes of the main thread: caught inside the writer queue's lock or
    # half way through an import, its own writes and joins would wait forever, and the process
    # never stops. `kill -TSTP` (ctrl+z sends it too) now reaches the same handler between two
    # callbacks of the event loop, where the main thread holds nothing.
    suspend = _driver_suspend(app)
    if suspend is not None and hasattr(signal, "SIGTSTP"):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGTSTP, suspend)
    # After ctrl+z and `fg` Textual re-enters the alternate screen, blank, and draws only what
    # changes next; draw everything now.
    app.app_resume_signal.subscribe(app, _repaint)


def _driver_suspend(app: App) -> Callable[[], None] | None:
    """The driver's own suspend (leave the alternate screen, stop, and on SIGCONT come back), or
    None where the driver cannot suspend (headless, the browser)."""
    driver = app._driver
    if driver is None or not driver.can_suspend:
        return None
    return getattr(driver, "_sigtstp_application", None)


def _exit(app: App, signum: int) -> None:
    app.exit(return_code=exit_status(signum))


def _repaint(app: App) -> None:
    # A region marks every cell dirty; a plain refresh() redraws only widgets that changed.
    app.screen.refresh(app.screen.region)
