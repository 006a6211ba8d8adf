"""Authoring and teaching: `losstui lesson FILE --step N` opens at a step, and `t` jumps to one
in --instructor or --watch mode."""

from __future__ import annotations

import pytest

from losstui import cli
from losstui.tui.app import LossApp
from tests.app_helpers import screen_text
from tests.cli_helpers import run

LESSON = """---
title: Three steps
summary: For jumping about.
minutes: 5
---
First: train to step 30.

```losstui
set problem=regression pane=train
wait step >= 30
```
---
Second, at step {step}.
---
Third, at step {step}.
"""


@pytest.fixture
def lesson_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = tmp_path / "three.md"
    path.write_text(LESSON, encoding="utf-8")
    return path


def test_step_n_opens_the_app_at_that_step_and_a_bad_n_exits_2(lesson_file, monkeypatch, capsys):
    opened = {}
    monkeypatch.setattr(cli, "run_app", lambda *args, **kwargs: opened.update(kwargs) or 0)
    assert cli.main(["lesson", str(lesson_file), "--step", "3"]) == 0
    assert opened["lesson_step"] == 2
    for bad in ("0", "4", "two", "-1"):
        status, _, err = run(capsys, "lesson", str(lesson_file), "--step", bad)
        assert status == 2
        assert err == (f"losstui lesson: error: --step must be a step from 1 to 3, got '{bad}'\n")
    status, _, err = run(capsys, "lesson", "check", str(lesson_file), "--step", "2")
    assert status == 2
    assert "--step opens the app at a step" in err


async def test_the_app_opens_at_the_step_with_the_steps_before_it_replayed(lesson_file):
    app = LossApp(lesson_path=str(lesson_file), lesson_step=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Lesson · step 2 of 3" in text
        assert "Second, at step 30." in text


async def test_t_jumps_to_a_step_for_an_instructor_only(lesson_file):
    app = LossApp(lesson_path=str(lesson_file), instructor=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "step 1 of 3" in screen_text(app)
        await pilot.press("t", "7", "enter")  # out of range: said, and asked again
        await pilot.pause()
        assert "a step from 1 to 3, got '7'" in screen_text(app)
        await pilot.press("backspace", "3", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Lesson · step 3 of 3" in text
        assert "Third, at step 30." in text
        await pilot.press("t", "escape")
        await pilot.pause()
        assert "Lesson · step 3 of 3" in screen_text(app)
    student = LossApp(lesson_path=str(lesson_file))
    async with student.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not student.main_screen.check_action("lesson_jump", ())
        await pilot.press("t")
        await pilot.pause()
        assert "Jump to step" not in screen_text(student)


async def test_the_text_after_then_shows_in_the_strip_once_the_question_is_answered(tmp_path):
    path = tmp_path / "why.md"
    path.write_text(
        "---\ntitle: Why\nsummary: A reveal.\nminutes: 5\n---\nWhich one?\n\n<!-- then -->\n\n"
        "Because it is the likelihood's.\n\n```losstui\nask Which?\n- [ ] this | No.\n"
        "- [x] that | Yes.\n```\n",
        encoding="utf-8",
    )
    app = LossApp(lesson_path=str(path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Which one?" in screen_text(app)
        assert "Because" not in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        assert "Because" not in screen_text(app)
        await pilot.press("b")
        await pilot.pause()
        assert "Because it is the likelihood's." in screen_text(app)


async def test_a_value_kept_in_the_app_is_quoted_again_after_a_quit(lesson_file):
    from losstui.lessons import library, progress

    lesson_file.write_text(
        LESSON.replace("wait step >= 30\n", "wait step >= 30\nkeep r2 as first_r2\n").replace(
            "Second, at step {step}.", "Second: the first run's R² was {first_r2}."
        ),
        encoding="utf-8",
    )
    app = LossApp(lesson_path=str(lesson_file))
    async with app.run_test(size=(100, 30)) as pilot:
        app.state.step(45)
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert app.lesson is not None
        kept = app.lesson.kept["first_r2"]
        assert f"Second: the first run's R² was {kept}." in screen_text(app)
    assert kept.endswith(" (Mean squared error)")
    key = library.lesson_key(library.read_lesson(str(lesson_file)))
    assert progress.load_kept(key) == {"first_r2": kept}
    again = LossApp(lesson_path=str(lesson_file))
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert f"R² was {kept}." in screen_text(again)  # step 45's value, not a replay's 30


async def test_an_instructors_footer_keeps_help_and_quit_in_view_at_80_columns(lesson_file):
    # `t` in the footer pushed "? Help  q Quit" off it; it is in the help instead.
    app = LossApp(lesson_path=str(lesson_file), instructor=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "? Help" in footer
        assert "q Quit" in footer
