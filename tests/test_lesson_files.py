"""Lesson files that `lesson check` accepts open and run; what a file cannot do to the app or the
student's terminal (control sequences, a FIFO, a huge file, a front matter that does not read)."""

from __future__ import annotations

import os
import re

import pytest

from losstui.core.content import ContentError
from losstui.core.settings import SettingError
from losstui.core.state import AppState
from losstui.lessons.files import MAX_FILE_BYTES, read_text
from losstui.lessons.format import check_lesson, parse_lesson, read_lesson
from losstui.lessons.runner import LessonRun
from losstui.tui.app import LossApp
from tests.app_helpers import screen_text
from tests.cli_helpers import run
from tests.lesson_helpers import entered, go_on

HEAD = "---\ntitle: Files\nsummary: What a lesson file cannot do.\nminutes: 10\n---\n"


def lesson_text(directives: str, *, minutes: str = "10", second: str = "Step two.") -> str:
    head = HEAD.replace("minutes: 10", f"minutes: {minutes}")
    return f"{head}Step one.\n\n```losstui\n{directives}\n```\n---\n{second}\n"


def errors_of(text: str) -> list[str]:
    return [str(e) for e in check_lesson(text, "L.md")]


# -- the pane held by a lesson --------------------------------------------------------------------


def test_a_control_held_at_its_own_value_is_no_change_and_another_value_is_refused():
    state = AppState()
    state.set_pane("train")
    state.lock("pane")
    state.set_pane("train")  # the screen showing the tab the lesson holds
    with pytest.raises(SettingError, match="the lesson holds it"):
        state.set_pane("problem")
    assert state.pane == "train"


@pytest.mark.parametrize("hold", ["lock pane", "hide pane"])
async def test_a_lesson_holding_the_pane_opens_and_a_tab_click_comes_back(tmp_path, hold):
    path = tmp_path / "held.md"
    path.write_text(lesson_text(f"set pane=train\n{hold}"), encoding="utf-8")
    assert check_lesson(path.read_text(encoding="utf-8"), str(path)) == []
    app = LossApp(lesson_path=str(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.main_screen.query_one("#panes").active = "problem"  # as a click on its tab
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert app.state.pane == "train"
        assert app.main_screen.query_one("#panes").active == "train"
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert app.lesson is not None
        assert app.lesson.index == 1
    assert app.return_code in (None, 0)


# -- a run that diverges in a lesson --------------------------------------------------------------


def test_going_back_to_a_step_whose_run_diverged_shows_the_divergence_not_a_crash():
    text = lesson_text("set problem=regression lr=1000000 pane=train\nrun 50")
    assert errors_of(text) == []
    run, state = entered(parse_lesson(text, "L.md"))
    state.step(50)
    assert state.trainer.diverged
    go_on(run)
    assert run.back()
    assert run.index == 0
    assert not state.running
    assert "diverged" in (state.divergence_message or "")


# -- the front matter -----------------------------------------------------------------------------


@pytest.mark.parametrize("minutes", ["²", "５", "1e3", "0", "601", "-3", "9" * 5000])
def test_minutes_that_are_not_a_whole_number_in_range_are_one_clear_line(minutes):
    errors = errors_of(lesson_text("pause", minutes=minutes))
    assert len(errors) == 1, errors
    assert errors[0].startswith("L.md:4: `minutes` must be a whole number from 1 to 600, got ")
    assert len(errors[0]) < 200  # a long value is cut


def test_a_title_that_fills_screens_is_refused_with_its_value_cut():
    errors = errors_of(HEAD.replace("title: Files", "title: " + "T" * 5000) + "Step.\n")
    assert len(errors) == 1
    assert "`title` is at most 100 characters" in errors[0]
    assert len(errors[0]) < 250


def test_lesson_check_and_lesson_open_say_a_bad_front_matter_in_one_line(tmp_path, capsys):
    path = tmp_path / "sup.md"
    path.write_text(lesson_text("pause", minutes="²"), encoding="utf-8")
    status, _, err = run(capsys, "lesson", "check", str(path))
    assert status == 2
    assert err == f"{path}:4: `minutes` must be a whole number from 1 to 600, got '²'\n"


# -- control characters ---------------------------------------------------------------------------

ESCAPES = "\x1b[?1049l\x1b[2J\x1b]0;pwned\x07\x1bPq\x1b\\\x9b2J\x00\x07\x7f"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_escape_sequences_in_a_lesson_never_reach_the_terminal(tmp_path):
    path = tmp_path / "escapes.md"
    path.write_text(
        HEAD.replace("Files", f"Files{ESCAPES}")
        + f"Prose{ESCAPES} here.\r\n\n```losstui\nhint A{ESCAPES} hint\nask Which{ESCAPES}?\n"
        f"- [x] yes{ESCAPES} | right{ESCAPES}\n- [ ] no | wrong\n```\n",
        encoding="utf-8",
    )
    lesson = read_lesson(str(path))
    step = lesson.steps[0]
    assert step.ask is not None
    texts = [lesson.title, step.prose, step.hint, step.ask.prompt]
    texts += [t for c in step.ask.choices for t in (c.text, c.feedback)]
    assert [t for t in texts if CONTROL.search(t)] == []
    assert (lesson.title, step.prose, step.hint) == ("Files", "Prose here.", "A hint")
    assert (step.ask.prompt, step.ask.choices[0].feedback) == ("Which?", "right")


# -- files that are not lesson files --------------------------------------------------------------


def test_a_fifo_a_folder_or_a_huge_file_is_refused_without_reading_it(tmp_path):
    fifo = tmp_path / "lesson.md"
    os.mkfifo(fifo)  # no writer: a plain open would wait for one forever
    huge = tmp_path / "huge.md"
    huge.write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    for path, problem in (
        (fifo, "not a regular file"),
        (tmp_path, "not a regular file"),
        (huge, "larger than 1 MB"),
    ):
        with pytest.raises(ContentError, match=problem):
            read_text(str(path))


def test_lesson_check_of_a_fifo_is_one_line(tmp_path, capsys):
    fifo = tmp_path / "lesson.md"
    os.mkfifo(fifo)
    status, _, err = run(capsys, "lesson", "check", str(fifo))
    assert status == 2
    err = err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].endswith("is not a regular file"), err


def shown(app: LossApp) -> str:
    """The screen's words, rows joined: a long path wraps the errors' lines."""
    return " ".join(screen_text(app).split())


async def test_watch_shows_the_errors_of_a_fifo_or_a_bad_front_matter_and_reopens(tmp_path):
    path = tmp_path / "watched.md"
    good = lesson_text("pause")
    path.write_text(good, encoding="utf-8")
    app = LossApp(lesson_path=str(path), watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.lesson is not None
        path.unlink()
        os.mkfifo(path)  # saved over by something that is not a file
        await app.lessons.file_changed()
        await pilot.pause()
        assert app.lesson is None
        assert "not a regular file" in shown(app)
        path.unlink()
        path.write_text(lesson_text("pause", minutes="²"), encoding="utf-8")
        os.utime(path, (1, 1))
        await app.lessons.file_changed()
        await pilot.pause()
        assert app.lesson is None
        assert "`minutes` must be a whole number" in shown(app)
        path.write_text(good, encoding="utf-8")
        os.utime(path, (2, 2))
        await app.lessons.file_changed()
        await pilot.pause()
        assert app.lesson is not None
        assert "Step one." in screen_text(app)
    assert app.return_code in (None, 0)


# -- work a class cannot wait for ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("directives", "what"),
    [
        ("set model=mlp hidden=256,256 pane=train\nrun 1000000", "'run 1000000' trains the run"),
        ("set problem=regression\nwait step >= 1e15", "'wait step >= 1e15' trains the run"),
        ("set problem=regression\nwait epoch >= 1e12", "'wait epoch >= 1e12' trains the run"),
    ],
)
def test_a_run_or_a_wait_a_class_cannot_wait_for_is_an_error(directives, what):
    errors = errors_of(lesson_text(directives))
    assert len(errors) == 1, errors
    assert what in errors[0], errors
    assert "above the 5 minutes a class can wait" in errors[0]


def test_a_model_too_slow_for_the_app_is_refused_before_any_data_is_made():
    # This step once took `lesson check` 87 s: it made a million samples to evaluate them.
    text = lesson_text("set model=mlp hidden=1024,1024,1024 batch_size=1 n_samples=1000000")
    errors = errors_of(text)
    assert len(errors) == 1, errors
    assert "above the app's cap" in errors[0], errors


def test_a_lesson_plays_its_own_run_where_it_holds_the_key_from_the_student():
    run, state = entered(parse_lesson(lesson_text("hide play\nrun 5"), "L.md"))
    assert state.running
    assert run.run_until == 5
    with pytest.raises(SettingError, match="the lesson holds it"):
        state.play()  # the student's space


SLOW = "set problem=regression model=mlp hidden=128,128 pane=train\nrun 100000"


def test_going_back_sliced_sets_the_step_up_between_keys_and_refuses_next_meanwhile():
    lesson = parse_lesson(lesson_text("set problem=regression pane=train\nrun 30"), "L.md")
    assert errors_of(lesson_text("set problem=regression pane=train\nrun 30")) == []
    run = LessonRun(lesson, AppState(), index=1, sliced=True)
    run.enter()  # the run of step 1 is trained as before, by `settle`
    assert run.settling
    assert run.state.trainer.step_count == 0
    assert (run.next() or "").startswith("a moment: setting up this step")
    assert run.settle()
    assert not run.settling
    assert run.state.trainer.step_count == 30
    assert run.blocked() is None


async def test_q_quits_while_a_step_is_being_set_up(tmp_path):
    path = tmp_path / "slow.md"
    path.write_text(lesson_text(SLOW, second="Step two at {step}."), encoding="utf-8")
    assert check_lesson(path.read_text(encoding="utf-8"), str(path)) == []
    app = LossApp(lesson_path=str(path), lesson_step=1)  # the 100,000 steps trained as before
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.lesson is not None
        assert app.lesson.settling
        assert "A moment: setting up this step" in shown(app)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert app.state.trainer.step_count < 100_000  # q answered before the replay was done


def test_resuming_a_long_run_trains_it_again_only_as_far_as_a_few_seconds_allow(monkeypatch):
    from losstui.lessons import runner

    # A 256x256 network left at step 50,000: training it again would take minutes.
    text = lesson_text("set problem=regression model=mlp hidden=256,256 pane=train")
    lesson = parse_lesson(text, "L.md")
    left_run, left_state = entered(lesson)
    left = {**left_run.left_state(), "step": 50_000}
    monkeypatch.setattr(runner, "RESUME_SECONDS", 0.5)  # the cap, made short for the test
    run = LessonRun(lesson, AppState(), index=0)
    assert run.resume(left)
    assert 0 < run.state.trainer.step_count < 5_000
    assert run.state.config == left_state.config


def test_a_long_bad_value_in_a_set_line_is_cut_in_its_error():
    p = ",".join(["0.001"] * 1000)
    (error,) = errors_of(lesson_text(f"set pane=pq_lab p={p}"))
    assert len(error) < 300
    assert "(5,999 characters)" in error
    assert "2 to 9 outcomes" in error
    (short,) = errors_of(lesson_text("set lr=0.5x"))
    assert "lr=0.5x: " in short  # a short value as it was written
