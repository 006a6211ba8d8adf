"""The built-in lessons as the lists show them (`losstui lesson`, the Lessons pane): each with
the step this user reached, and the name a lesson's progress is kept under. Finding and reading
the files is `files`'s."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from losstui.lessons import files, progress
from losstui.lessons.files import builtin_paths, lesson_number, short_name
from losstui.lessons.format import read_lesson
from losstui.lessons.language import Lesson


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
        return lesson_number(self.name)

    @property
    def short_name(self) -> str:
        return short_name(self.name)

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


def builtin_lessons() -> list[Entry]:
    """Every built-in lesson with the step this user reached in it (a built-in lesson that does
    not read is a packaging fault: it raises, and a test reads them all)."""
    reached, done = progress.load_all(), progress.finished()
    entries = []
    for path in builtin_paths():
        stat = path.stat()
        title, summary, minutes, steps, key = _listing(path, stat.st_mtime_ns, stat.st_size)
        entries.append(
            Entry(
                name=path.stem,
                path=path,
                title=title,
                summary=summary,
                minutes=minutes,
                steps=steps,
                reached=reached.get(key),
                done=key in done,
            )
        )
    return entries


@lru_cache(maxsize=64)
def _listing(path: Path, _mtime_ns: int, _size: int) -> tuple[str, str, int, int, str]:
    """A built-in lesson's title, summary, minutes, step count and progress key, read once per
    version of its file: reading one checks every step (20 ms), and the Lessons pane lists them
    all each time it is drawn."""
    lesson = read_lesson(str(path))
    return lesson.title, lesson.summary, lesson.minutes, len(lesson.steps), lesson_key(lesson)


def lesson_key(lesson: Lesson) -> str:
    """The name a lesson's progress is kept under: a built-in lesson's file stem (the same for
    every installed copy), or the absolute path of any other file."""
    path = Path(lesson.source).resolve()
    if path.parent == files.LESSON_DIR:
        return path.stem
    return str(path)
