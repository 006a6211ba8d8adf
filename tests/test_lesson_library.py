"""Finding lessons: the built-in list with each student's progress, opening a lesson by number,
name or path, the Lessons pane, a malformed lesson opening on its errors, and --watch reloading a
lesson at the same step."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from losstui import cli
from losstui.core.content import ContentError
from losstui.lessons import files, library, progress
from losstui.lessons.format import read_lesson
from losstui.tui.app import LossApp
from tests.app_helpers import flat, pane_ready, screen_text
from tests.cli_helpers import run

HEAD = "---\ntitle: {title}\nsummary: {summary}\nminutes: {minutes}\n---\n"
TWO_STEPS = """Train it: step {{step}}.

```losstui
set problem=binary_classification pane=train
wait step >= 20
hint Press n.
```
---
The second step of {title}.
"""


def lesson_text(title: str, summary: str = "What it teaches.", minutes: int = 5) -> str:
    head = HEAD.format(title=title, summary=summary, minutes=minutes)
    return head + TWO_STEPS.format(title=title)


@pytest.fixture
def shelf(tmp_path, monkeypatch):
    """Two built-in lessons in a directory of their own."""
    directory = tmp_path / "lessons"
    directory.mkdir()
    (directory / "01-first-steps.md").write_text(lesson_text("First steps", minutes=10))
    (directory / "02-second-look.md").write_text(lesson_text("Second look", minutes=15))
    monkeypatch.setattr(files, "LESSON_DIR", directory)
    return directory


def test_a_built_in_lesson_is_found_by_number_short_name_or_file_stem(shelf):
    for name in ("2", "02", "second-look", "02-second-look"):
        assert files.find_lesson(name) == shelf / "02-second-look.md"


def test_a_path_is_a_lesson_file_and_unknown_names_say_what_is_allowed(shelf, tmp_path):
    own = tmp_path / "mine.md"
    own.write_text(lesson_text("Mine"))
    assert files.find_lesson(str(own)) == own
    with pytest.raises(ContentError, match=r"lesson file '.*gone\.md' not found"):
        files.find_lesson(str(tmp_path / "gone.md"))
    allowed = r"no lesson 'third': choose 1-2, a name \(first-steps, second-look\) or a lesson"
    with pytest.raises(ContentError, match=allowed):
        files.find_lesson("third")


def test_losstui_lesson_lists_the_built_in_lessons_with_the_step_reached(shelf, capsys):
    progress.save(library.lesson_key(read_lesson(str(shelf / "02-second-look.md"))), 1)
    status, out, _ = run(capsys, "lesson")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split() == ["1", "first-steps", "10", "min", "not", "started", "First", "steps"]
    assert "last step (2 of 2)" in lines[1]
    assert lines[1].endswith("Second look")
    assert all(len(line) <= 80 for line in lines)


def test_lesson_check_takes_a_built_in_name_and_an_unknown_one_exits_2(shelf, capsys):
    assert run(capsys, "lesson", "check", "first-steps")[:2] == (
        0,
        f"{shelf / '01-first-steps.md'}: ok\n",
    )
    status, _, err = run(capsys, "lesson", "nine")
    assert status == 2
    assert err == (
        "losstui lesson: error: no lesson 'nine': choose 1-2, a name (first-steps, second-look) "
        "or a lesson file's path\n"
    )
    status, _, err = run(capsys, "lesson", "check", "gone.md")
    assert status == 2
    assert err == "losstui lesson check: error: lesson file 'gone.md' not found\n"


LONG_TITLE = "What a loss function is, and what gradient descent does with it"


def test_at_80_columns_a_long_title_goes_on_its_own_line_under_its_lesson(shelf, capsys):
    (shelf / "02-second-look.md").write_text(lesson_text(LONG_TITLE, minutes=15))
    status, out, _ = run(capsys, "lesson")
    assert status == 0
    assert out.splitlines() == [
        " 1  first-steps  10 min  not started",
        "    First steps",
        " 2  second-look  15 min  not started",
        f"    {LONG_TITLE}",
        "",
        "Open one: losstui lesson NUMBER.  Your own: losstui lesson FILE.md",
    ]


def test_a_wide_terminal_gets_one_line_a_lesson_and_a_pipe_always_80_columns(
    shelf, capsys, monkeypatch
):
    (shelf / "02-second-look.md").write_text(lesson_text(LONG_TITLE, minutes=15))
    monkeypatch.setenv("COLUMNS", "120")
    status, out, _ = run(capsys, "lesson")  # piped (captured): COLUMNS does not change the text
    assert status == 0
    assert out.splitlines()[1] == "    First steps"
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    status, out, _ = run(capsys, "lesson")
    assert status == 0
    lines = out.splitlines()
    assert lines[:2] == [
        " 1  first-steps  10 min  not started  First steps",
        f" 2  second-look  15 min  not started  {LONG_TITLE}",
    ]
    assert lines[-1].startswith("Open one: losstui lesson NUMBER.")


def test_the_built_in_lessons_list_fits_80_columns_and_24_lines(capsys):
    status, out, _ = run(capsys, "lesson")
    assert status == 0
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert len(lines) < 24
    for entry in library.builtin_lessons():
        assert f"{entry.number:>2}  {entry.short_name} " in out
        assert entry.title in out
    assert lines[-1] == "Open one: losstui lesson NUMBER.  Your own: losstui lesson FILE.md"


def test_losstui_lesson_name_opens_the_app_on_that_file(shelf, monkeypatch):
    opened = {}
    monkeypatch.setattr(cli, "run_app", lambda *args, **kwargs: opened.update(kwargs) or 0)
    assert cli.main(["lesson", "2", "--watch", "--instructor"]) == 0
    assert opened["lesson_path"] == str(shelf / "02-second-look.md")
    assert opened["watch"]
    assert opened["instructor"]


async def test_the_lessons_pane_lists_them_and_enter_opens_one_where_the_student_left(shelf):
    key = library.lesson_key(read_lesson(str(shelf / "02-second-look.md")))
    progress.save(key, 1)
    app = LossApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        await pilot.pause()
        text = screen_text(app)
        assert re.search(r"1\. First steps  10 min\s*▎", text)  # not started: nothing more
        assert "2. Second look  15 min  step 2/2" in text
        await pilot.press("down")
        await pilot.pause()
        assert "(2 steps, 15 minutes; last step (2 of 2))" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "Lesson · step 2 of 2  Second look" in screen_text(app)
        assert app.state.pane == "train"  # the steps before it were set up again


async def test_a_malformed_lesson_opens_the_app_on_its_errors_and_x_closes_them(tmp_path):
    path = tmp_path / "broken.md"
    path.write_text(lesson_text("Broken").replace("wait step", "wait stepp"))
    app = LossApp(lesson_path=str(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Lesson · cannot open" in text
        assert ":10: unknown name 'stepp' in a condition" in flat(text)
        assert app.lesson is None
        assert "1 Problem" in text
        await pilot.press("x")
        await pilot.pause()
        assert "cannot open" not in screen_text(app)


async def test_watch_reloads_a_saved_lesson_at_the_same_step_and_shows_new_errors(tmp_path):
    path = tmp_path / "draft.md"
    path.write_text(lesson_text("Draft"))
    app = LossApp(lesson_path=str(path), watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        app.state.step(20)
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert "step 2 of 2" in screen_text(app)

        def save(text: str) -> None:
            path.write_text(text)
            stat = os.stat(path)  # a later modification time, however fast the test runs
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))

        save(lesson_text("Draft").replace("The second step", "The edited second step"))
        await app.lessons.file_changed()
        await pilot.pause()
        text = screen_text(app)
        assert "step 2 of 2" in text
        assert "The edited second step of Draft." in text
        assert app.state.trainer.step_count == 20  # the run goes on: the setup did not change
        save(lesson_text("Draft").replace("set problem", "sett problem"))
        await app.lessons.file_changed()
        await pilot.pause()
        assert "unknown directive 'sett'" in screen_text(app)
        save(lesson_text("Draft"))
        await app.lessons.file_changed()
        await pilot.pause()
        assert "Lesson · step 2 of 2" in screen_text(app)  # after an error too: the step kept


def test_the_error_strip_cuts_long_lists_of_what_is_allowed():
    from losstui.tui.widgets.lesson_problem import shortened

    long = "L.md:7: unknown placeholder {x}; allowed: " + ", ".join(f"{{n{i}}}" for i in range(40))
    assert shortened(long).endswith("{n6}, {n7} and 32 more")
    short = "L.md:7: unknown directive 'sett'; allowed: set, lock, unlock, hide, show, run, pause"
    assert shortened(short) == short


async def test_past_the_last_step_the_lesson_is_finished_and_listed_so(shelf, capsys):
    app = LossApp(lesson_path=str(shelf / "01-first-steps.md"))
    async with app.run_test(size=(80, 24)) as pilot:
        app.state.step(20)
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert "Done. The last step: > finishes the lesson." in screen_text(app)
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert "Lesson finished." in screen_text(app)
        await pilot.press("6")
        await pane_ready(pilot, app, "lessons")
        assert "1. First steps  10 min  finished" in screen_text(app)
    status, out, _ = run(capsys, "lesson")
    assert status == 0
    assert "finished (2 steps)" in out.splitlines()[0]


def test_a_lesson_finished_once_is_listed_finished_wherever_it_is_opened_again():
    from losstui.lessons.library import Entry

    entry = Entry("03-logistic-regression", Path("x.md"), "T", "S", 15, steps=9, reached=3)
    assert entry.progress_text() == "step 4 of 9"
    finished = Entry("03-logistic-regression", Path("x.md"), "T", "S", 15, 9, 3, done=True)
    assert finished.progress_text() == "finished (9 steps)"
    assert finished.finished
