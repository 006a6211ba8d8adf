"""Where each student got to in each lesson, kept per user so that a lesson resumes at its step.

The file is `$XDG_STATE_HOME/losstui/progress.json` (`~/.local/state/losstui/progress.json` when the
variable is unset or relative): a JSON object of lesson key (a built-in lesson's name, or a file's
absolute path) → the index of the step reached, and under "answers", lesson key → {step index:
{"ask": the question, "answer": the text of the answer chosen}}. An answer is kept with its question
and by its text, so that a lesson file edited since drops the answers that no longer fit it. Under
"states", lesson key → the app state as the student left it (`AppState.snapshot()`'s settings and
step, with the index of the step it was left on), so that a resumed lesson shows the P/Q lab, the
pane and the run as they were. (Earlier
versions wrote the steps alone, and keep the steps of this layout when they save.) A lab account
may have a read-only or full home: progress that cannot be written is simply not kept, and the
lesson still runs. A file that is there but cannot be read is never overwritten: it is renamed
`progress.json.unreadable-<time>` and the user told once. Two instances may save at once: each
save re-reads the file under a lock and changes its own lesson's entries only.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TypeGuard

from losstui.paths import UnreadableFile, read_bounded, state_directory

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
MAX_STEP = 999_999
"""The largest step index read from the file (as `_INDEX` allows six digits)."""
LIMIT = 4 * 2**20
"""The largest progress file read, in bytes: far above any class's progress, far below memory."""
LOCK_WAIT = 2.0
"""Seconds a save waits for another instance's save to finish before going on without the lock."""

_notice: tuple[Path, str] | None = None
"""The progress file that could not be read and what happened to it, until it is said."""

Answered = Mapping[int, tuple[str, str]]
"""Step index → (the question, the text of the answer chosen)."""


def progress_file() -> Path:
    """The progress file of this user (it may not exist yet)."""
    return state_directory() / "progress.json"


def _entries() -> dict[str, object]:
    """The file's object as read; {} when there is none. A file that is there but does not read
    as one (not JSON, not UTF-8, too deep or too large, not a regular file, not readable) is
    kept aside, under the lock, and said once (`take_notice`): the next save must not overwrite
    a student's progress with the one lesson it knows."""
    data, trouble = _read(progress_file())
    if trouble is None:
        return data
    with _locked():
        data, trouble = _read(progress_file())  # another instance may have moved it already
        if trouble is not None:
            _set_aside(trouble)
    return data


def _read(path: Path) -> tuple[dict[str, object], str | None]:
    """The object in the file at `path` and None; or {} and what is wrong with the file ({} and
    None when there is no file). Reads regular files only, never more than `LIMIT` bytes, and
    never waits: a FIFO or a device in its place is refused before it is read."""
    try:
        raw = read_bounded(path, LIMIT)
    except FileNotFoundError:
        return {}, None
    except UnreadableFile as error:
        return {}, str(error)
    except OSError as error:
        return {}, error.strerror or type(error).__name__
    try:
        # A byte-order mark (an editor's) is accepted: the content is still the student's.
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return {}, "it is not UTF-8 text"
    except RecursionError:
        return {}, "it nests too deep"
    except ValueError:
        return {}, "it is not JSON"
    if not isinstance(data, dict):
        return {}, "it does not hold a JSON object"
    return data, None


def _set_aside(trouble: str) -> None:
    """Rename the unreadable progress file beside itself, so that nothing a student saved is
    overwritten, and leave the one notice that says so. A file that cannot be moved stays; the
    save that follows then refuses to replace it (see `_update`)."""
    global _notice
    path = progress_file()
    aside = path.with_name(f"{path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
    if aside.exists() or aside.is_symlink():
        aside = aside.with_name(f"{aside.name}-{os.getpid()}")
    try:
        os.rename(path, aside)
    except OSError as error:
        _notice = (
            path,
            (
                f"{path} cannot be read ({trouble}) nor moved aside ({error.strerror}): lesson "
                "progress is not saved until it is fixed or removed"
            ),
        )
        return
    _notice = (
        path,
        (
            f"{path} could not be read ({trouble}); it was kept aside as {aside.name}, and "
            "lesson progress starts again"
        ),
    )


def check() -> str | None:
    """Read the progress file now (an unreadable one is kept aside) and `take_notice()`."""
    _entries()
    return take_notice()


def take_notice() -> str | None:
    """What happened to an unreadable progress file, once: None when nothing did, or when it
    was said already. The app shows it as a notice; `losstui lesson` prints it on stderr."""
    global _notice
    notice, _notice = _notice, None
    # Only about this user's file (a test or a tool may have pointed XDG_STATE_HOME elsewhere).
    return notice[1] if notice is not None and notice[0] == progress_file() else None


def load_all() -> dict[str, int]:
    """Every lesson's step reached; {} when there is no file or it cannot be read."""
    return {key: step for key, step in _entries().items() if _is_step(step)}


def _is_step(value: object) -> TypeGuard[int]:
    """Whether `value` read from the file is a step a lesson can be at: a whole number from 0
    to `MAX_STEP` (a negative one would show "step -4 of 8"; anything else is dropped, and the
    lesson starts at its first step)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_STEP


def finished() -> set[str]:
    """The keys of the lessons this user finished; empty when none, or the file cannot be read."""
    return _finished(_entries())


def _finished(data: Mapping[str, object]) -> set[str]:
    listed = data.get(FINISHED)
    return {k for k in listed if isinstance(k, str)} if isinstance(listed, list) else set()


def mark_finished(key: str) -> bool:
    """Remember that lesson `key` is finished; False (and nothing raised) if it cannot be kept."""

    def change(data: dict[str, object]) -> None:
        data[FINISHED] = sorted(_finished(data) | {key})

    return _update(change)


def load(key: str) -> int:
    """The step index reached in lesson `key` (0 when unknown)."""
    return load_all().get(key, 0)


def load_answers(key: str) -> dict[int, tuple[str, str]]:
    """The answers chosen in lesson `key` (see `Answered`); {} when none, and whatever in the
    file does not read as an answer is left out."""
    kept = _entry(_entries(), ANSWERS, key)
    if kept is None:
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
    return _entry(_entries(), STATES, key)


def save(
    key: str,
    index: int,
    answers: Answered | None = None,
    state: Mapping[str, object] | None = None,
) -> bool:
    """Remember step `index` of lesson `key`, the `answers` chosen in it and the app `state`
    it was left in (a JSON-ready dict; None keeps the one saved before); False (and nothing
    raised) if it cannot be kept."""

    def change(data: dict[str, object]) -> None:
        data[key] = int(index)
        if state is not None:
            _set_entry(data, STATES, key, state)
        chosen = sorted((answers or {}).items())
        entry = {str(i): {"ask": ask, "answer": text} for i, (ask, text) in chosen}
        _set_entry(data, ANSWERS, key, entry or None)

    return _update(change)


def _entry(data: Mapping[str, object], section: str, key: str) -> dict[str, object] | None:
    """Lesson `key`'s entry in `section` (STATES, ANSWERS, KEPT: each a table of lesson key →
    entry); None when there is none, or what is there is not a table."""
    every = data.get(section)
    entry = every.get(key) if isinstance(every, dict) else None
    return entry if isinstance(entry, dict) else None


def _set_entry(
    data: dict[str, object], section: str, key: str, entry: Mapping[str, object] | None
) -> None:
    """Set lesson `key`'s `entry` in `section`, or drop it (None); a section left empty goes."""
    every = data.get(section)
    every = dict(every) if isinstance(every, dict) else {}
    every.pop(key, None)
    if entry is not None:
        every[key] = dict(entry)
    if every:
        data[section] = every
    else:
        data.pop(section, None)


def _update(change: Callable[[dict[str, object]], None]) -> bool:
    """Apply `change` to the file's object and write it back, whole or not at all; False (and
    nothing raised) if it cannot be kept. Under the lock the file is read again just before it
    is written, so that another instance's save in between (another lesson's step, its
    answers) is kept: each save changes its own lesson's entries only."""
    with _locked():
        data, trouble = _read(progress_file())
        if trouble is not None:
            _set_aside(trouble)
            data, trouble = _read(progress_file())
            if trouble is not None:  # still there: never overwritten
                return False
        change(data)
        return _write(data)


def _write(data: dict[str, object]) -> bool:
    """Write `data` as the progress file through a temporary file of its own, replaced
    atomically: a reader sees the old file or the new one, never a part, even while another
    instance writes; False if it cannot be written."""
    path = progress_file()
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(json.dumps(data, indent=1, sort_keys=True))
            file.flush()
            os.fsync(file.fileno())  # on disk before it replaces the old one
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False
    return True


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    """Hold the progress lock (an flock on a file beside the progress file) while reading,
    changing and writing, so that two instances saving at once do not lose each other's
    steps. Where there is no flock, or no lock can be had within `LOCK_WAIT` seconds (a
    stopped instance holding it), the save goes on without: slower to lose a race than to hang."""
    try:
        import fcntl
    except ImportError:  # not on this platform: the atomic replace alone
        yield
        return
    path = progress_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path.with_name(f".{path.name}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:  # a read-only state directory: nothing will be written anyway
        yield
        return
    try:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.005)
            except OSError:  # a file system without locks
                break
        yield
    finally:
        os.close(fd)  # releases the lock


KEPT = "kept"
"""The entry that holds the values kept by the lessons' `keep` (see `save_kept`)."""


def load_kept(key: str) -> dict[str, str]:
    """The values kept in lesson `key` by its `keep` directives, name → the text shown
    ("0.8123 (Mean squared error)"); {} when none, and what does not read as one is left out."""
    kept = _entry(_entries(), KEPT, key)
    if kept is None:
        return {}
    return {k: v for k, v in kept.items() if isinstance(k, str) and isinstance(v, str)}


def save_kept(key: str, kept: Mapping[str, str]) -> bool:
    """Remember the values kept in lesson `key` (under "kept", lesson key → {name: text}), so
    that a resumed lesson quotes what the student saw; False (and nothing raised) if they
    cannot be kept."""

    def change(data: dict[str, object]) -> None:
        _set_entry(data, KEPT, key, kept or None)

    return _update(change)
