"""Writes the full report of an error that stopped the app to a file, for a one-line notice."""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from pathlib import Path

from losstui.paths import state_directory


def write_report(error: BaseException, setup_line: str = "") -> Path | None:
    """Write the traceback of `error` (and the setup it ran on) to a new file; its path, or None
    when no directory can be written."""
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    if setup_line:
        text += f"\nsetup: {setup_line}\n"
    name = time.strftime("crash-%Y%m%d-%H%M%S-") + f"{os.getpid()}.txt"
    for directory in (state_directory(), Path(tempfile.gettempdir())):
        try:
            directory.mkdir(parents=True, exist_ok=True)
            path = directory / name
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def crash_line(error: BaseException, path: Path | None) -> str:
    """The one line the user reads after a crash: what, and where the full report is."""
    what = f"{type(error).__name__}: {error}".splitlines()[0][:200]
    where = f"the full report is in {path}" if path else "no report could be written"
    return f"losstui: error: the app stopped on an unexpected error ({what}); {where}"
