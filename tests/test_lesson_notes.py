"""Speaker notes in a second terminal: `losstui lesson NAME --notes` follows the step the lesson
shows where it runs (the projector's `losstui lesson NAME` or `losstui serve lesson NAME`)."""

from __future__ import annotations

import pytest

from losstui.lessons import progress
from losstui.lessons.format import read_lesson
from losstui.lessons.library import lesson_key
from losstui.tui.app import LossApp
from losstui.tui.glyphs import ASCII
from losstui.tui.notes_app import NotesApp, notes_text
from tests.app_helpers import screen_text
from tests.cli_helpers import run

LESSON = """---
title: Notes
summary: A lesson with speaker notes.
minutes: 5
---
First: train to step 30.

<!-- Ask the room what the loss will do first. -->

```losstui
set problem=regression pane=train
wait step >= 30
```
---
Second: which loss?

<!-- Most pick squared error; ask why. -->

```losstui
ask Which loss is Gaussian noise's?
- [ ] absolute error | No.
- [x] squared error, (y − ŷ)² | Right.
```
---
Third, the end.
"""


@pytest.fixture
def lesson_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = tmp_path / "notes.md"
    path.write_text(LESSON, encoding="utf-8")
    return path


def test_the_notes_of_a_step_give_its_question_with_the_right_answer_and_what_comes_next(
    lesson_file,
):
    lesson = read_lesson(str(lesson_file))
    first = notes_text(lesson, 0).plain
    assert first.startswith("Step 1 of 3  sets problem, pane · waits for step >= 30")
    assert "Ask the room what the loss will do first." in first
    assert "The class reads:\nFirst: train to step 30." in first
    assert "Next: Second: which loss?" in first
    second = notes_text(lesson, 1).plain
    assert "Most pick squared error; ask why." in second
    assert "a) absolute error\n" in second
    assert "b) squared error, (y − ŷ)²  right" in second
    assert notes_text(lesson, 2).plain.endswith("The last step: > finishes the lesson.")
    assert "(no notes for this step)" in notes_text(lesson, 2).plain
    # Without UTF-8 the notes are spelled in ASCII, as the app's text is.
    ascii_notes = notes_text(lesson, 1, ASCII).plain
    assert "ŷ" not in ascii_notes
    assert "(y - y_hat)^2  right" in ascii_notes


async def test_the_notes_follow_the_step_the_lesson_shows_in_another_app(lesson_file):
    notes = NotesApp(str(lesson_file))
    class_app = LossApp(lesson_path=str(lesson_file))
    async with notes.run_test(size=(80, 24)) as notes_pilot:
        assert "Step 1 of 3" in screen_text(notes)
        async with class_app.run_test(size=(80, 24)) as pilot:
            class_app.state.step(30)
            await pilot.press("greater_than_sign")
            await pilot.pause()
            notes._follow()  # what its timer does four times a second
            await notes_pilot.pause()
            assert "Step 2 of 3" in screen_text(notes)
            assert "Most pick squared error" in screen_text(notes)
            # The instructor peeks ahead: the notes leave the class's step until escape.
            await notes_pilot.press("greater_than_sign")
            assert "Step 3 of 3" in screen_text(notes)
            assert screen_text(notes).startswith(" Peeking: the class is on step 2 (esc follows)")
            await notes_pilot.press("escape")
            assert "Step 2 of 3" in screen_text(notes)
            await pilot.press("less_than_sign")
            await pilot.pause()
            notes._follow()
            await notes_pilot.pause()
            assert "Step 1 of 3" in screen_text(notes)


async def test_a_lesson_opened_at_a_step_is_followed_from_it(lesson_file):
    app = LossApp(lesson_path=str(lesson_file), lesson_step=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert progress.load(lesson_key(read_lesson(str(lesson_file)))) == 2


def test_notes_refuse_what_only_the_lesson_takes_in_one_line(lesson_file, capsys):
    for extra in (["--step", "2"], ["--watch"]):
        status, _, err = run(capsys, "lesson", str(lesson_file), "--notes", *extra)
        assert status == 2
        assert err.count("\n") == 1
        assert f"give {extra[0]} to that one" in err
    status, _, err = run(capsys, "lesson", "check", str(lesson_file), "--notes")
    assert status == 2
    assert "--notes shows a lesson's notes" in err
    broken = lesson_file.with_name("broken.md")
    broken.write_text(LESSON.replace("wait step >= 30", "wait stepp >= 30"), encoding="utf-8")
    status, _, err = run(capsys, "lesson", str(broken), "--notes")
    assert status == 2
    assert err.count("\n") == 1
    assert "broken.md:" in err
    assert "lesson check" in err
