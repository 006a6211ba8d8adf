"""The built-in lessons, and how a lesson is named on the command line and in the Lessons pane.

Built-in lessons are the Markdown files in `losstui/content/lessons/`, named `NN-short-name.md`
and listed in that order. A lesson is found by any of its names:

    losstui lesson 3                     the third built-in lesson
    losstui lesson logistic-regression   its short name
    losstui lesson 03-logistic-regression
    losstui lesson my-lesson.md          any lesson file (a path)
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from losstui.core.content import ContentError
from losstui.core.settings import shown_value
from losstui.lessons import progress
from losstui.lessons.format import Lesson, read_lesson

LESSON_DIR = Path(__file__).resolve().parent.parent / "content" / "lessons"
_NUMBERED = re.compile(r"(\d+)-(.+)\Z")


@dataclass(frozen=True)
class Entry:
    """One built-in lesson as a list shows it: `name` is the file stem (`03-logistic-regression`),
    `reached` the step index a student reached (None: never opened)."""

    name: str
    path: Path
    title: str
    summary: str
    minutes: int
    steps: int
    reached: int | None
    #: Whether the student finished it once (it stays finished when opened again).
    done: bool = False

    @property
    def number(self) -> int:
        match = _NUMBERED.match(self.name)
        return int(match.group(1)) if match else 0

    @property
    def short_name(self) -> str:
        return _short_name(self.name)

    @property
    def finished(self) -> bool:
        """Whether the student went past the last step (progress keeps one past it)."""
        return self.done or (self.reached is not None and self.reached >= self.steps)

    @property
    def step(self) -> int | None:
        """The step reached, counted from 1 (None: never opened)."""
        return None if self.reached is None else min(self.reached, self.steps - 1) + 1

    def progress_text(self) -> str:
        """ "not started", "step 3 of 9", "last step (9 of 9)" or "finished (9 steps)"."""
        step = self.step
        if step is None:
            return "not started"
        if self.finished:
            return f"finished ({self.steps} steps)"
        if step == self.steps:
            return f"last step ({step} of {self.steps})"
        return f"step {step} of {self.steps}"


def _short_name(stem: str) -> str:
    """A built-in lesson's name without its number: `logistic-regression`."""
    match = _NUMBERED.match(stem)
    return match.group(2) if match else stem


def builtin_paths() -> list[Path]:
    """The built-in lesson files, in their order."""
    if not LESSON_DIR.is_dir():
        return []
    return sorted(p for p in LESSON_DIR.iterdir() if p.suffix == ".md" and p.name[0] not in "._")


def builtin_lessons() -> list[Entry]:
    """Every built-in lesson with the step this user reached in it (a built-in lesson that does
    not read is a packaging fault: it raises, and a test reads them all)."""
    reached, done = progress.load_all(), progress.finished()
    entries = []
    for path in builtin_paths():
        lesson = read_lesson(str(path))
        entries.append(
            Entry(
                name=path.stem,
                path=path,
                title=lesson.title,
                summary=lesson.summary,
                minutes=lesson.minutes,
                steps=len(lesson.steps),
                reached=reached.get(lesson_key(lesson)),
                done=lesson_key(lesson) in done,
            )
        )
    return entries


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
    names = ", ".join(_short_name(p.stem) for p in paths)
    if len(numbers) > 1 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        counted = f"{numbers[0]}-{numbers[-1]}, "
    else:
        counted = "".join(f"{n}, " for n in numbers)
    return f"choose {counted}a name ({names}) or a lesson file's path"


def lesson_key(lesson: Lesson) -> str:
    """The name a lesson's progress is kept under: a built-in lesson's file stem (the same for
    every installed copy), or the absolute path of any other file."""
    path = Path(lesson.source).resolve()
    if path.parent == LESSON_DIR:
        return path.stem
    return str(path)


def modified(path: str) -> float | None:
    """The modification time of the lesson file at `path` (a reload follows a save); None when
    it cannot be read."""
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None
