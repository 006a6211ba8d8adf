"""Provides where losstui keeps a user's state (saved lesson progress, crash reports), and the
one way it reads a file a user can put in its place (a lesson, the progress file)."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def state_directory() -> Path:
    """`$XDG_STATE_HOME/losstui`, or `~/.local/state/losstui` when the variable is unset, empty
    or relative: the XDG Base Directory spec says a relative path is invalid and to be ignored
    (it would put a student's progress wherever the app happened to be started)."""
    base = os.environ.get("XDG_STATE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(Path.home(), ".local", "state")
    return Path(base) / "losstui"


class UnreadableFile(OSError):
    """The file is there but is not one to read; the message says why, in words a user reads
    after the file's name."""


class NotRegularFile(UnreadableFile):
    """A FIFO, a device or a directory where a file was expected."""


class TooLarge(UnreadableFile):
    """A file above the reader's limit."""


def read_bounded(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them. A FIFO or a device in
    its place would hang a reader or fill its memory: it is opened without blocking and refused
    (NotRegularFile), as is a file above `limit` (TooLarge); FileNotFoundError and the other
    OSErrors as the system raises them."""
    # Looked at before it is opened (a FIFO is then never opened at all), and again once open,
    # in case it was replaced in between.
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise NotRegularFile("it is not a regular file")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile("it is not a regular file")
        chunks, size = [], 0
        while size <= limit and (chunk := os.read(fd, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise TooLarge(f"it is larger than {limit / 2**20:g} MB")
    return b"".join(chunks)
