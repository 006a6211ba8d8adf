"""Lesson files: where the built-in ones are, how a lesson is named on the command line, and
the one bounded way every lesson file is read.

Built-in lessons are the Markdown files in `losstui/content/lessons/`, named `NN-short-name.md`
and listed in that order. A lesson is found by any of its names:

    losstui lesson 3                     the third built-in lesson
    losstui lesson logistic-regression   its short name
    losstui lesson 03-logistic-regression
    losstui lesson my-lesson.md          any lesson file (a path)

Imports nothing else of the lessons package.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from losstui.core.content import ContentError
from losstui.core.settings import shown_value
from losstui.paths import NotRegularFile, TooLarge, read_bounded

LESSON_DIR = Path(__file__).resolve().parent.parent / "content" / "lessons"
_NUMBERED = re.compile(r"(\d+)-(.+)\Z")
#: The largest lesson file read: a lesson is a few pages; a larger file is a mistake.
MAX_FILE_BYTES = 1_000_000


def lesson_number(stem: str) -> int:
    """A built-in lesson's number, from its file stem `03-logistic-regression` (0: none)."""
    match = _NUMBERED.match(stem)
    return int(match.group(1)) if match else 0


def short_name(stem: str) -> str:
    """A built-in lesson's name without its number: `logistic-regression`."""
    match = _NUMBERED.match(stem)
    return match.group(2) if match else stem


def builtin_paths() -> list[Path]:
    """The built-in lesson files, in their order."""
    if not LESSON_DIR.is_dir():
        return []
    return sorted(p for p in LESSON_DIR.iterdir() if p.suffix == ".md" and p.name[0] not in "._")


def find_lesson(name: str) -> Path:
    """The file of the lesson `name` (a path, or a built-in lesson's number, short name or file
    stem); ContentError naming what is allowed when there is none."""
    # `problem` names the value itself, so the command line can print it after its own prefix.
    if os.sep in name or name.endswith(".md") or os.path.isfile(name):
        if not os.path.isfile(name):
            # A path is shown whole up to a few lines' length: its end is what tells files apart.
            shown = repr(name) if len(name) <= 200 else shown_value(name)
            # A FIFO, a device or a folder is there but is no lesson (reading one could hang).
            missing = "is not a regular file" if os.path.exists(name) else "not found"
            raise ContentError(name, None, f"lesson file {shown} {missing}")
        return Path(name)
    paths = builtin_paths()
    for path in paths:
        match = _NUMBERED.match(path.stem)
        names = {path.stem}
        if match:
            names |= {match.group(2), match.group(1), str(int(match.group(1)))}
        if name in names:
            return path
    raise ContentError(name, None, f"no lesson {shown_value(name)}: {_choices(paths)}")


def _choices(paths: list[Path]) -> str:
    """What `losstui lesson NAME` takes, in the words of its list: the numbers and short names
    it shows (`choose 1-7, a name (loss-and-sgd, ...) or a lesson file's path`)."""
    if not paths:
        return "no built-in lessons are installed; give a lesson file's path"
    numbers = sorted(int(m.group(1)) for p in paths if (m := _NUMBERED.match(p.stem)))
    names = ", ".join(short_name(p.stem) for p in paths)
    if len(numbers) > 1 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        counted = f"{numbers[0]}-{numbers[-1]}, "
    else:
        counted = "".join(f"{n}, " for n in numbers)
    return f"choose {counted}a name ({names}) or a lesson file's path"


def read_text(path: str) -> str:
    """The text of the UTF-8 file at `path`, read whole; ContentError if it is missing, not a
    regular file, above MAX_FILE_BYTES or not UTF-8. Every lesson file is read here (`lesson
    check`, the app, --watch, the notes, the lists): a FIFO or a device would hang a reader or
    fill its memory, so only regular files are read, and never more than MAX_FILE_BYTES."""
    try:
        data = read_bounded(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise ContentError(path, None, "file not found") from None
    except NotRegularFile:
        raise ContentError(path, None, "not a regular file: a lesson is a Markdown file") from None
    except TooLarge:
        raise ContentError(
            path,
            None,
            f"larger than {MAX_FILE_BYTES // 1_000_000} MB: a lesson is a few pages of text",
        ) from None
    except OSError as error:
        raise ContentError(path, None, f"cannot be read ({error.strerror})") from None
    try:
        return data.decode("utf-8-sig")  # a byte-order mark, as some editors write, dropped
    except UnicodeDecodeError as error:
        raise ContentError(
            path, None, f"not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None


def modified(path: str) -> float | None:
    """The modification time of the lesson file at `path` (a reload follows a save); None when
    it cannot be read."""
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None
