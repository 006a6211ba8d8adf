"""Where each student got to in each lesson, kept per user so that a lesson resumes at its step.

The file is `$XDG_STATE_HOME/losstui/progress.json` (`~/.local/state/losstui/progress.json` when the
variable is unset): a JSON object of lesson key (a built-in lesson's name, or a file's absolute
path) → {"step": the index of the step reached, "answers": {step index: the text of the answer
chosen}}. An answer is kept by its text, so that a lesson file edited since drops the answers that
no longer fit it. (A bare step index, as earlier versions wrote, still reads.) A lab account may
have a read-only or full home: progress that cannot be read or written is simply not kept, and
the lesson still runs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path


def progress_file() -> Path:
    """The progress file of this user (it may not exist yet)."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(Path.home(), ".local", "state")
    return Path(base) / "losstui" / "progress.json"


def _entries() -> dict[str, object]:
    """The file's object as read; {} when there is no file or it cannot be read."""
    try:
        data = json.loads(progress_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _step(entry: object) -> int | None:
    if isinstance(entry, dict):
        entry = entry.get("step")
    return entry if isinstance(entry, int) and not isinstance(entry, bool) else None


def load_all() -> dict[str, int]:
    """Every lesson's step reached; {} when there is no file or it cannot be read."""
    steps = {key: _step(entry) for key, entry in _entries().items()}
    return {key: step for key, step in steps.items() if step is not None}


def load(key: str) -> int:
    """The step index reached in lesson `key` (0 when unknown)."""
    return max(0, load_all().get(key, 0))


def load_answers(key: str) -> dict[int, str]:
    """The answers chosen in lesson `key`: step index → the answer's text ({} when none)."""
    entry = _entries().get(key)
    answers = entry.get("answers") if isinstance(entry, dict) else None
    if not isinstance(answers, dict):
        return {}
    return {
        int(index): text
        for index, text in answers.items()
        if isinstance(index, str) and index.isdigit() and isinstance(text, str)
    }


def save(key: str, index: int, answers: Mapping[int, str] | None = None) -> bool:
    """Remember step `index` of lesson `key`, and the `answers` chosen in it (step index → the
    answer's text); False (and nothing raised) if it cannot be kept."""
    path = progress_file()
    data = _entries()
    entry: dict[str, object] = {"step": int(index)}
    if answers:
        entry["answers"] = {str(i): text for i, text in sorted(answers.items())}
    data[key] = entry
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(path)  # whole or not at all, even if two sessions save at once
    except OSError:
        return False
    return True
