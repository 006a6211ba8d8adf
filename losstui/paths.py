"""Provides where losstui keeps a user's state: saved lesson progress and crash reports."""

from __future__ import annotations

import os
from pathlib import Path


def state_directory() -> Path:
    """`$XDG_STATE_HOME/losstui`, or `~/.local/state/losstui` when the variable is unset, empty
    or relative: the XDG Base Directory spec says a relative path is invalid and to be ignored
    (it would put a student's progress wherever the app happened to be started)."""
    base = os.environ.get("XDG_STATE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(Path.home(), ".local", "state")
    return Path(base) / "losstui"
