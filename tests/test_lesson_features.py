"""What a lesson can say and wait for: combined waits, text revealed once the step is done,
values kept from one step and quoted on later ones, settings shown by the names the app shows."""

from __future__ import annotations

import pytest

from losstui.core.state import AppState
from losstui.lessons import progress
from losstui.lessons.format import TRAINED, check_lesson, parse_condition, parse_lesson
from losstui.lessons.runner import LessonRun
from losstui.lessons.values import fill, format_value, lesson_values, waiting_for

HEAD = "---\ntitle: Features\nsummary: What a lesson can say.\nminutes: 10\n---\n"


def errors_of(body: str) -> list[str]:
    return [str(e) for e in check_lesson(HEAD + body, "L.md")]


def test_settings_read_as_the_app_shows_them_not_as_their_keys():
    values = lesson_values(AppState("robust_regression"))
    text = fill("{loss} on {dataset}, {problem}, the {pane} pane, lr {lr}", values)
    assert text == (
        "Mean absolute error on Line with outliers, Robust regression, the Problem pane, lr 0.02"
    )
    words = waiting_for(parse_condition("loss == huber"), values)
    assert words == "the loss is Huber loss (δ = 1)"


# -- and / or ---------------------------------------------------------------------------------


def test_a_combined_wait_holds_as_its_parts_combine_and_reads_as_words():
    state = AppState("binary_classification")
    both = parse_condition("step >= 100 and accuracy > 0.9")
    either = parse_condition("diverged or step >= 100")
    mixed = parse_condition("step > 5 and val_loss < 0.2 or diverged")
    values = lesson_values(state)
    assert not both.holds(values)
    assert not either.holds(values)
    assert waiting_for(both, values) == (
        "the step is at least 100 (now 0) and accuracy is above 90.0% (now 22.0%)"
    )
    assert waiting_for(mixed, values) == (
        "the step is above 5 (now 0) and the validation loss is below 0.2 (now 0.9853), "
        "or the run has diverged"
    )
    state.step(100)
    values = lesson_values(state)
    assert either.holds(values)
    assert both.holds(values)


def test_a_combined_wait_is_a_wait_on_training_if_any_part_is():
    # f stops where it first holds, and going back trains until it holds.
    assert parse_condition("pane == train or step >= 40").name in TRAINED
    assert parse_condition("units == nats and accuracy > 0.8").name in TRAINED
    assert parse_condition("pane == train or units == nats").name not in TRAINED
    lesson = parse_lesson(
        HEAD
        + "Train.\n```losstui\nset problem=regression pane=train\n"
        + "wait pane == distributions or step >= 40 and r2 > 0.5\n```\n---\nAt {step}.\n",
        "L.md",
    )
    back = LessonRun(lesson, AppState(), index=1)
    back.enter()
    reached = back.state.trainer.step_count
    assert reached >= 40
    assert back.text() == f"At {reached}."


# -- revealed once done ----------------------------------------------------------------------

REVEAL = (
    HEAD
    + "Train to step 50.\n\n<!-- then -->\n\nAt step {step} the loss is {val_loss}.\n"
    + "```losstui\nset problem=regression pane=train\nwait step >= 50\n```\n"
    + "---\nNext.\n"
)


def test_the_text_after_then_shows_once_the_wait_holds_and_stays():
    lesson = parse_lesson(REVEAL, "L.md")
    assert lesson.steps[0].before_done == "Train to step 50."
    state = AppState()
    run = LessonRun(lesson, state)
    run.enter()
    assert run.text() == "Train to step 50."  # no "At step 0" contradicting the screen
    state.step(50)
    shown = run.text()
    assert shown.startswith("Train to step 50.\n\n")
    assert "At step 50 the loss is" in shown
    state.reset()
    assert "At step 0" in run.text()  # once shown it stays, though the wait no longer holds
    state.step(50)
    assert run.next() is None
    assert run.back()
    assert "At step 50" in run.text()  # back on a step done: its result shows


def test_a_question_reveals_too_and_a_step_with_nothing_to_wait_for_is_an_error():
    lesson = parse_lesson(
        HEAD + "Which?\n<!-- then -->\nBecause.\n```losstui\nask Which?\n- [x] a\n- [ ] b\n```\n",
        "L.md",
    )
    run = LessonRun(lesson, AppState())
    run.enter()
    assert run.text() == "Which?"
    run.answer(1)
    assert run.text() == "Which?"
    run.answer(0)
    assert run.text() == "Which?\n\nBecause."
    assert errors_of("Text.\n<!-- then -->\nMore.\n") == [
        "L.md:7: `<!-- then -->` shows the text after it once the step's `wait` holds or its "
        "question is answered: this step has neither"
    ]
    twice = "A\n<!-- then -->\nB\n<!-- then -->\nC\n```losstui\nwait step > 1\n```\n"
    assert errors_of(twice) == ["L.md:7: a step has at most one `<!-- then -->` line"]


def test_resuming_on_a_step_does_not_reveal_it_before_it_is_done():
    lesson = parse_lesson(REVEAL, "L.md")
    run = LessonRun(lesson, AppState(), index=0)
    run.enter()
    assert run.text() == "Train to step 50."


# -- kept values -----------------------------------------------------------------------------

KEEP = (
    HEAD
    + "Squared error first.\n```losstui\n"
    + "set problem=robust_regression dataset=line_outliers loss=mean_squared_error pane=train\n"
    + "wait step >= 200\nkeep r2 as squared_r2, val_loss as squared_loss\n```\n"
    + "---\nNow Huber: R² {r2}; squared error reached {squared_r2}.\n"
    + "```losstui\nset loss=huber\nwait step >= 200\n```\n"
    + "---\nSquared error's loss was {squared_loss}.\n"
)


def test_a_kept_value_is_quoted_later_with_the_run_it_came_from():
    state = AppState()
    run = LessonRun(parse_lesson(KEEP, "L.md"), state)
    run.enter()
    state.step(260)  # the student trained past the wait: the value kept is the one they saw
    seen = r2_now(state)
    assert run.next() is None
    assert run.kept["squared_r2"] == f"{seen} (Mean squared error)"
    huber = r2_now(state)
    quoted = f"squared error reached {seen} (Mean squared error)."
    assert run.text() == f"Now Huber: R² {huber}; {quoted}"
    # Going back and forth keeps what the student saw, not a replay's number.
    assert run.back()
    assert run.kept["squared_r2"].startswith(seen)
    state.step(250)  # the step starts its run again: the student trains it again
    again = r2_now(state)
    assert again != seen
    assert run.next() is None
    assert run.kept["squared_r2"] == f"{again} (Mean squared error)"


def r2_now(state: AppState) -> str:
    return format_value("r2", lesson_values(state)["r2"])


def test_kept_values_survive_a_resume_and_are_replayed_when_none_were_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    lesson = parse_lesson(KEEP, "L.md")
    state = AppState()
    run = LessonRun(lesson, state)
    run.enter()
    state.step(300)
    assert run.next() is None
    assert progress.save_kept("L.md", run.kept)
    again = LessonRun(lesson, AppState(), index=2)
    again.restore_kept(progress.load_kept("L.md") | {"gone": "1"})
    again.enter()
    assert again.kept == run.kept  # what the student saw, not step 200's number
    assert again.text() == f"Squared error's loss was {run.kept['squared_loss']}."
    # Nothing kept (an older progress file, an instructor jumping ahead): the steps that keep
    # are replayed on a state of their own, as the student who took them would leave them.
    fresh = LessonRun(lesson, AppState(), index=2)
    fresh.enter()
    replayed = AppState()
    replayed.apply_setup_line(
        "problem=robust_regression dataset=line_outliers loss=mean_squared_error"
    )
    replayed.step(200)
    loss = format_value("val_loss", lesson_values(replayed)["val_loss"])
    assert fresh.kept["squared_loss"] == f"{loss} (Mean squared error)"
    assert fresh.state.config.loss == "huber"  # the lesson's own state is the step's


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "Early {squared_r2}.\n```losstui\nset problem=regression\nkeep r2 as squared_r2\n```\n",
            "L.md:6: {squared_r2} is quoted before it is kept: the `keep` at line 9 keeps it",
        ),
        ("Never {kept_r2}.\n", "L.md:6: unknown placeholder {kept_r2}: neither a live value"),
        ("```losstui\nkeep r2 as r2\n```\n", "L.md:7: a kept value's name is lower-case"),
        ("```losstui\nkeep rr as x\n```\n", "L.md:7: unknown name 'rr' to keep"),
        ("```losstui\nkeep r2 to x\n```\n", "L.md:7: expected `keep NAME as KEPT`"),
        (
            "```losstui\nkeep r2 as x\n```\n---\n```losstui\nkeep mae as x\n```\n",
            "L.md:11: x is kept already, at line 7",
        ),
    ],
)
def test_a_kept_name_is_checked(body, message):
    errors = errors_of(body)
    assert any(e.startswith(message) for e in errors), errors


def test_a_kept_value_names_its_run_only_where_a_run_moves_it():
    from losstui.lessons.values import kept_text

    values = lesson_values(AppState("robust_regression"))
    values["loss"] = "huber"
    assert kept_text("val_loss", values).endswith(" (Huber loss)")  # not "(Huber loss (δ = 1))"
    assert kept_text("kl_pq", values) == "1.927 bits"  # the lab's, whatever the run
    assert kept_text("lr", values) == "0.02"
    assert kept_text("loss", values) == "Huber loss (δ = 1)"
