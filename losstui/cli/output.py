"""The command line's standard streams: what it does when its output cannot be written (closed,
full or a gone reader), ASCII spelling where the output is not UTF-8, and whether a stream is a
terminal."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from typing import Any

from losstui.core.text import to_ascii

#: The program's name, as its messages start with it.
PROG = "losstui"
#: Exit statuses of the headless commands (the README's table lists them all).
STATUS_OUTPUT_FAILED = 1
#: A reader that went away (`losstui losses | head -1`): quiet, as the shell reports a process
#: that SIGPIPE ended (128 + 13).
STATUS_BROKEN_PIPE = 141


class UsageError(Exception):
    """Bad input a user typed: shown as one line on stderr, exit status 2."""


class ClosedStream:
    """Stands for a standard stream the shell closed (`>&-`): Python sets it to None, which
    fails later as "'NoneType' object has no attribute 'flush'"; this fails at the first write
    with an OSError that says which stream it is."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, name: str) -> None:
        self.name = name

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, f"{self.name} is closed")

    def flush(self) -> None:
        pass  # nothing was written, so there is nothing to lose

    def fileno(self) -> int:
        raise OSError(errno.EBADF, f"{self.name} is closed")

    def isatty(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(name)


def stand_in_for_closed_streams() -> None:
    """Put a ClosedStream where stdout or stderr is None."""
    if sys.stdout is None:
        sys.stdout = ClosedStream("standard output")
    if sys.stderr is None:
        sys.stderr = ClosedStream("standard error")


def tell(line: str) -> None:
    """Write one line on stderr, if it can be written at all."""
    with contextlib.suppress(OSError, ValueError):
        print(line, file=sys.stderr, flush=True)


def drop_pending_output() -> None:
    """Point stdout at the null device, so Python's final flush at exit does not fail again on
    what is still buffered (and print "Exception ignored ...")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - held until the process exits


def output_failed(error: OSError) -> str:
    """The one line for an output that cannot be written, e.g. `>/dev/full` or `>&-`."""
    reason = error.strerror or str(error)
    return f"losstui: error: cannot write the output: {reason}"


class AsciiWriter:
    """A text stream that spells everything it writes in ASCII (σ → sigma, ≥ → >=, Σᵢ → sum_i).

    Formulas and messages are Unicode; on a terminal whose locale is not UTF-8 a learner should
    read "sigma(z)", not "?(z)".
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(to_ascii(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _speaks_utf8(stream: Any) -> bool:
    """Whether `stream` encodes UTF-8, however its encoding is spelt ("UTF-8", "utf_8")."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding == "utf8"


def spell_in_ascii_unless_utf8() -> None:
    """Wrap stdout and stderr in an AsciiWriter where they do not write UTF-8 (once only)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if not _speaks_utf8(stream) and not isinstance(stream, AsciiWriter):
            setattr(sys, name, AsciiWriter(stream))


def is_terminal(stream: Any) -> bool:
    """Whether `stream` is a terminal; False for one that is closed or has no file behind it."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False
