"""A lesson named on the command line (`losstui lesson NAME`, `losstui serve lesson NAME`): its
file, and the step its --step names, each refused in one line when there is none."""

from __future__ import annotations

import re

from losstui.cli.parser import PROG, UsageError
from losstui.core.settings import shown_value


def lesson_step(path: str, raw: str) -> int:
    """`--step N` of the lesson at `path` as a step index (from 0); UsageError naming the value
    and the steps the lesson has. A lesson with errors opens on them: N is only checked to be a
    whole number from 1 then (the app opens at its last step if the fixed lesson is shorter)."""
    from losstui.core.content import ContentError
    from losstui.lessons.files import read_text
    from losstui.lessons.format import parse_lesson

    try:
        count: int | None = len(parse_lesson(read_text(path), path).steps)
    except ContentError:
        count = None
    allowed = "a whole number from 1" if count is None else f"a step from 1 to {count}"
    text = raw.strip()
    if not re.fullmatch(r"[0-9]{1,7}", text) or int(text) < 1 or (count and int(text) > count):
        raise UsageError(f"{PROG} lesson: error: --step must be {allowed}, got {shown_value(raw)}")
    return int(text) - 1


def lesson_path(name: str, prog: str) -> str:
    """The file of the lesson `name` (a number, a name or a path); UsageError, in the words of
    the list (`choose 1-7, a name (...)`), when there is none."""
    from losstui.core.content import ContentError
    from losstui.lessons.files import find_lesson

    try:
        return str(find_lesson(name))
    except ContentError as error:
        raise UsageError(f"{prog}: error: {error.problem}") from None
