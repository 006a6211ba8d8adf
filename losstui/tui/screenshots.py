"""Provides deliver(): the palette's Screenshot, saved where the user can find it, or why not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App


def deliver(
    app: App[Any],
    save_dir: Path | None,
    filename: str | None = None,
    path: str | None = None,
    time_format: str | None = None,
) -> None:
    """Save an SVG of `app`'s screen in `path`, else `save_dir` (`--save-dir`), else the
    working directory, and show its path; a failure says why. Textual's own saves to
    ~/Downloads, which most lab accounts lack, and then says only that it failed."""
    folder = Path(path) if path is not None else (save_dir or Path.cwd())
    try:
        saved = Path(app.save_screenshot(filename, str(folder), time_format)).resolve()
    except OSError as error:
        reason = error.strerror or str(error)
        app.notify(
            f"Could not save the screenshot in {folder}: {reason}. Start losstui with "
            "--save-dir DIR to save it elsewhere.",
            title="Screenshot",
            severity="error",
            markup=False,
            timeout=10,
        )
        return
    app.notify(str(saved), title="Screenshot saved", markup=False, timeout=10)
