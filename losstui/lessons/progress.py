"""Where each student got to in each lesson, kept per user so that a lesson resumes at its step.

The file is `$XDG_STATE_HOME/losstui/progress.json` (`~/.local/state/losstui/progress.json` when the
variable is unset): a JSON object of lesson key (a built-in lesson's name, or a file's absolute
path) → the index of the step reached, and under "answers", lesson key → {step index: {"ask": the
question, "answer": the text of the answer chosen}}. An answer is kept with its question and by
its text, so that a lesson file edited since drops the answers that no longer fit it. Under
"states", lesson key → the app state as the student left it (`AppState.snapshot()`'s settings and
step, with the index of the step it was left on), so that a resumed lesson shows the P/Q lab, the
pane and the run as they were. (Earlier
versions wrote the steps alone, and keep the steps of this layout when they save.) A lab account
may have a read-only or full home: progress that cannot be read or written is simply not kept,
and the lesson still runs.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

ANSWERS = "answers"
"""The entry that holds the answers (no lesson key looks like it: a built-in lesson's name
starts with its number, another lesson's key is an absolute path)."""
FINISHED = "finished"
"""The entry that lists the lessons a student finished: finished stays finished, though the
step kept moves on when the lesson is opened again (going back, an instructor's jump)."""
STATES = "states"
"""The entry that holds the app state each lesson was left in."""
#: A step index as the file writes it.
_INDEX = re.compile(r"[0-9]{1,6}")

Answered = Mapping[int, tuple[str, str]]
"""Step index → (the question, the text of the answer chosen)."""


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


def load_all() -> dict[str, int]:
    """Every lesson's step reached; {} when there is no file or it cannot be read."""
    return {
        key: step
        for key, step in _entries().items()
        if isinstance(step, int) and not isinstance(step, bool)
    }


def finished() -> set[str]:
    """The keys of the lessons this user finished; empty when none, or the file cannot be read."""
    return _finished(_entries())


def _finished(data: Mapping[str, object]) -> set[str]:
    listed = data.get(FINISHED)
    return {k for k in listed if isinstance(k, str)} if isinstance(listed, list) else set()


def mark_finished(key: str) -> bool:
    """Remember that lesson `key` is finished; False (and nothing raised) if it cannot be kept."""
    data = _entries()
    data[FINISHED] = sorted(_finished(data) | {key})
    return _write(data)


def load(key: str) -> int:
    """The step index reached in lesson `key` (0 when unknown)."""
    return max(0, load_all().get(key, 0))


def load_answers(key: str) -> dict[int, tuple[str, str]]:
    """The answers chosen in lesson `key` (see `Answered`); {} when none, and whatever in the
    file does not read as an answer is left out."""
    every = _entries().get(ANSWERS)
    kept = every.get(key) if isinstance(every, dict) else None
    if not isinstance(kept, dict):
        return {}
    answers: dict[int, tuple[str, str]] = {}
    for index, answer in kept.items():
        if not (isinstance(index, str) and _INDEX.fullmatch(index) and isinstance(answer, dict)):
            continue
        ask, text = answer.get("ask"), answer.get("answer")
        if isinstance(ask, str) and isinstance(text, str):
            answers[int(index)] = (ask, text)
    return answers


def load_state(key: str) -> dict[str, object] | None:
    """The app state lesson `key` was left in (see `save`), as saved; None when none was. What
    it holds is checked where it is restored (`LessonRun.resume`)."""
    every = _entries().get(STATES)
    kept = every.get(key) if isinstance(every, dict) else None
    return kept if isinstance(kept, dict) else None


def save(
    key: str,
    index: int,
    answers: Answered | None = None,
    state: Mapping[str, object] | None = None,
) -> bool:
    """Remember step `index` of lesson `key`, the `answers` chosen in it and the app `state`
    it was left in (a JSON-ready dict; None keeps the one saved before); False (and nothing
    raised) if it cannot be kept."""
    data = _entries()
    data[key] = int(index)
    if state is not None:
        states = data.get(STATES)
        data[STATES] = {**(states if isinstance(states, dict) else {}), key: dict(state)}
    every = data.get(ANSWERS)
    every = dict(every) if isinstance(every, dict) else {}
    every.pop(key, None)
    if answers:
        every[key] = {
            str(i): {"ask": ask, "answer": text} for i, (ask, text) in sorted(answers.items())
        }
    if every:
        data[ANSWERS] = every
    else:
        data.pop(ANSWERS, None)
    return _write(data)


def _write(data: dict[str, object]) -> bool:
    """Write `data` as the progress file, whole or not at all; False if it cannot be."""
    path = progress_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(path)  # whole or not at all, even if two sessions save at once
    except OSError:
        return False
    return True


KEPT = "kept"
"""The entry that holds the values kept by the lessons' `keep` (see `save_kept`)."""


def load_kept(key: str) -> dict[str, str]:
    """The values kept in lesson `key` by its `keep` directives, name → the text shown
    ("0.8123 (Mean squared error)"); {} when none, and what does not read as one is left out."""
    every = _entries().get(KEPT)
    kept = every.get(key) if isinstance(every, dict) else None
    if not isinstance(kept, dict):
        return {}
    return {k: v for k, v in kept.items() if isinstance(k, str) and isinstance(v, str)}


def save_kept(key: str, kept: Mapping[str, str]) -> bool:
    """Remember the values kept in lesson `key` (under "kept", lesson key → {name: text}), so
    that a resumed lesson quotes what the student saw; False (and nothing raised) if they
    cannot be kept."""
    data = _entries()
    every = data.get(KEPT)
    every = dict(every) if isinstance(every, dict) else {}
    if kept:
        every[key] = dict(kept)
    else:
        every.pop(key, None)
    if every:
        data[KEPT] = every
    else:
        data.pop(KEPT, None)
    return _write(data)
