"""Where each student got to in each lesson, kept per user so that a lesson resumes at its step.

The file is `$XDG_STATE_HOME/losstui/progress.json` (`~/.local/state/losstui/progress.json` when the
variable is unset): a JSON object of lesson key (a built-in lesson's name, or a file's absolute
path) → the index of the step reached. A lab account may have a read-only or full home: progress
that cannot be read or written is simply not kept, and the lesson still runs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def progress_file() -> Path:
    """The progress file of this user (it may not exist yet)."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(Path.home(), ".local", "state")
    return Path(base) / "losstui" / "progress.json"


def load_all() -> dict[str, int]:
    """Every lesson's step reached; {} when there is no file or it cannot be read."""
    try:
        data = json.loads(progress_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, int) and not isinstance(v, bool)}


def load(key: str) -> int:
    """The step index reached in lesson `key` (0 when unknown)."""
    return max(0, load_all().get(key, 0))


def save(key: str, index: int) -> bool:
    """Remember step `index` of lesson `key`; False (and nothing raised) if it cannot be kept."""
    path = progress_file()
    data = load_all()
    data[key] = int(index)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(path)  # whole or not at all, even if two sessions save at once
    except OSError:
        return False
    return True
