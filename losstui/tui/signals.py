"""Ends the app cleanly, terminal restored, on every signal that would otherwise end it; suspends
it on SIGTSTP between two turns of the event loop, and repaints it after the resume."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys

from textual.app import App, SuspendNotSupported

#: Signals whose default ends a program and that Python leaves at that default (it ignores
#: SIGPIPE and SIGXFSZ itself), by name: left alone, each would end the app with the terminal
#: still in the alternate screen, mouse reporting on and the cursor hidden. Not here: SIGKILL and
#: SIGSTOP, which no program can catch, and the faults the kernel raises on the instruction that
#: caused them (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS): a handler that returns would
#: run that instruction again, for ever.
_ENDING = (
    "SIGHUP",
    "SIGINT",
    "SIGQUIT",
    "SIGABRT",
    "SIGUSR1",
    "SIGUSR2",
    "SIGALRM",
    "SIGTERM",
    "SIGSTKFLT",
    "SIGXCPU",
    "SIGVTALRM",
    "SIGPROF",
    "SIGIO",
    "SIGPWR",
    "SIGEMT",
    "SIGLOST",
)


def _ending_signals() -> tuple[int, ...]:
    """The numbers of _ENDING on this platform, and the real-time signals (SIGRTMIN to
    SIGRTMAX), which also end a program by default."""
    found = {int(getattr(signal, name)) for name in _ENDING if hasattr(signal, name)}
    if hasattr(signal, "SIGRTMIN") and hasattr(signal, "SIGRTMAX"):
        found.update(range(signal.SIGRTMIN, signal.SIGRTMAX + 1))
    return tuple(sorted(found))


EXIT_SIGNALS = _ending_signals()


def exit_status(signum: int) -> int:
    """The shell's status for a process ended by `signum`: 128 + its number (SIGTERM: 143)."""
    return 128 + signum


def _at_default(signum: int) -> bool:
    """Whether `signum` still does what it does by default: a handler someone else installed
    (a test runner's, faulthandler's) is theirs to keep. asyncio.run's SIGINT handler counts as
    a default: it cancels the app's task, which ends the app with status 0, not 130."""
    try:
        handler = signal.getsignal(signum)
    except (OSError, ValueError):
        return False
    if handler in (signal.SIG_DFL, signal.default_int_handler):
        return True
    runner = getattr(asyncio, "Runner", ())  # Python 3.11 on
    method = getattr(handler, "func", handler)  # it installs a functools.partial of a method
    return isinstance(getattr(method, "__self__", None), runner)


def interrupt(app: App) -> None:
    """ctrl+c, a key in the app's raw terminal: end it as SIGINT would, with status 130."""
    _exit(app, signal.SIGINT)


def install(app: App) -> None:
    """Make each of EXIT_SIGNALS left at its default exit `app` through Textual's shutdown
    (which restores the terminal) with status 128 + the signal's number; suspend it on SIGTSTP
    and repaint the whole screen when it comes back. The handlers go when the app's event loop
    closes."""
    loop = asyncio.get_running_loop()
    for signum in EXIT_SIGNALS:
        if not _at_default(signum):
            continue
        # Not on Windows, and not from a thread that is not the main one (some test runners).
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError, OSError):
            loop.add_signal_handler(signum, _exit, app, signum)
    # After ctrl+z and `fg` Textual re-enters the alternate screen, blank, and draws only what
    # changes next; draw everything now.
    app.app_resume_signal.subscribe(app, _repaint)
    if app.is_headless or app.is_web or not hasattr(signal, "SIGTSTP"):
        return
    # Textual's terminal driver handles both with plain signal handlers (signal.signal), which
    # Python runs between any two bytecodes of the main thread. On SIGTSTP it suspends there:
    # caught inside the writer queue's lock or half way through an import, its own writes and
    # joins can wait forever, and the process never stops. On every SIGCONT it starts the driver
    # again, whether or not it was suspended: a stray `kill -CONT` started a second input thread
    # and a second writer, and `q` no longer ended the app. Both now run between two callbacks of
    # the event loop, where the main thread holds nothing; ctrl+z sends SIGTSTP too.
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop.add_signal_handler(signal.SIGTSTP, _suspend, app)
        loop.add_signal_handler(signal.SIGCONT, _repaint, app)


def _suspend(app: App) -> None:
    """Leave the alternate screen and give the terminal back (Textual's App.suspend), stop the
    process, and take the terminal again when it is continued in the foreground (`fg`)."""
    with contextlib.suppress(SuspendNotSupported), app.suspend():
        os.kill(os.getpid(), signal.SIGSTOP)  # stopped here until SIGCONT
        # `bg` continues it in the background, where taking the terminal fails and Textual
        # would go on without its input and writer threads: stop again until `fg`.
        while not _in_foreground():
            os.kill(os.getpid(), signal.SIGSTOP)


def _in_foreground() -> bool:
    """Whether this process's group owns the terminal (True where there is none to own)."""
    stdin = sys.__stdin__
    try:
        return stdin is None or os.tcgetpgrp(stdin.fileno()) == os.getpgrp()
    except (OSError, ValueError):
        return True


def _exit(app: App, signum: int) -> None:
    app.exit(return_code=exit_status(signum))


def _repaint(app: App) -> None:
    # A region marks every cell dirty; a plain refresh() redraws only widgets that changed.
    app.screen.refresh(app.screen.region)
