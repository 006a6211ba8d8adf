"""`lesson check` catches what would stop or mislead a class: waits that can never hold, an
unclosed directives block, a `|` that would cut a choice short, settings the app would refuse."""

from __future__ import annotations

import pytest

from losstui.core.settings import SettingError
from losstui.core.state import AppState
from losstui.lessons.format import check_lesson, parse_condition, parse_lesson
from losstui.lessons.runner import LessonRun
from tests.cli_helpers import run

HEAD = "---\ntitle: Checks\nsummary: What the checker catches.\nminutes: 10\n---\n"


def errors_of(body: str) -> list[str]:
    return [str(e) for e in check_lesson(HEAD + body, "L.md")]


@pytest.mark.parametrize(
    ("wait", "message"),
    [
        ("r2 > 1.5", "wait r2 > 1.5 can never hold: r2 is at most 1"),
        ("accuracy > 100%", "can never hold: accuracy is a fraction from 0 to 1"),
        ("kl_pq < 0", "wait kl_pq < 0 can never hold: kl_pq is never below 0"),
        ("step < 0", "wait step < 0 can never hold"),
        ("step >= inf", "step compares with a finite number, got 'inf'"),
        ("val_loss < nan", "val_loss compares with a finite number, got 'nan'"),
        ("step > 10 and r2 > 2", "wait r2 > 2 can never hold"),
    ],
)
def test_a_wait_that_can_never_hold_is_an_error(wait, message):
    errors = errors_of(f"Train.\n```losstui\nset problem=regression\nwait {wait}\n```\n")
    assert [e for e in errors if e.startswith("L.md:9: ") and message in e], errors


def test_a_loss_below_its_floor_is_an_error_only_for_a_loss_that_never_goes_there():
    below = "```losstui\nset problem={problem}\nwait val_loss < -0.5\n```\n"
    assert errors_of(below.format(problem="regression")) == [
        "L.md:8: wait val_loss < -0.5 can never hold: Mean squared error is never below 0"
    ]
    # A density's negative log-likelihood goes below 0: a density above 1 is no mistake.
    assert errors_of(below.format(problem="density_estimation")) == []


def test_an_unclosed_block_is_one_error_at_the_line_that_opens_it():
    body = (
        "One.\n```losstui\nset problem=regression\nwait step >= 10\n"  # never closed
        "---\nTwo, read as written.\n```losstui\nsett lr=0.2\n```\n"
    )
    assert errors_of(body) == [
        "L.md:7: the ```losstui block opened here is never closed",
        "L.md:13: unknown directive 'sett'; allowed: set, lock, unlock, hide, show, run, pause, "
        "wait, keep, hint, ask",
    ]
    # Another block opening before it closes, and the end of the file, say the same, once.
    assert errors_of("```losstui\nset lr=0.1\n```losstui\nset lr=0.2\n```\n") == [
        "L.md:6: the ```losstui block opened here is never closed"
    ]
    assert errors_of("Text.\n```losstui\nset lr=0.1\n") == [
        "L.md:7: the ```losstui block opened here is never closed"
    ]
    # Another language's block may hold a rule: it is its text, not a step's end.
    assert errors_of("```yaml\na: 1\n---\nb: 2\n```\nText.\n") == []
    # A longer fence holds a shorter one: an example of the format, shown in a step.
    shown = "````markdown\n```losstui\nset lr=1\n```\n---\n````\nText.\n---\nTwo.\n"
    assert errors_of(shown) == []
    assert len(parse_lesson(HEAD + shown, "L.md").steps) == 2


def test_a_bar_inside_a_choice_is_escaped_and_an_unescaped_one_is_reported():
    ask = "```losstui\nask Where does Huber turn linear?\n{choice}\n- [ ] nowhere | No.\n```\n"
    bare = errors_of(ask.format(choice="- [x] beyond |error| = 1 | Right."))
    assert len(bare) == 1
    assert bare[0].startswith(
        "L.md:8: a choice has one `|`, between its text and its feedback: write a `|` inside "
        "either as `\\|`"
    )
    lesson = parse_lesson(
        HEAD + ask.format(choice=r"- [x] beyond \|error\| = 1 | Right: \|r\| − ½ there."), "L.md"
    )
    question = lesson.steps[0].ask
    assert question is not None
    assert question.choices[0].text == "beyond |error| = 1"
    assert question.choices[0].feedback == "Right: |r| − ½ there."


def test_the_lab_bounds_its_outcomes_in_the_lesson_check_the_setup_line_and_the_state():
    errors = errors_of("```losstui\nset p=1 q=1 pane=pq_lab\n```\n")
    assert errors[0] == (
        "L.md:7: p=1: P has 2 to 9 outcomes (the lab letters them A to I), got 1: '1'"
    )
    ten = ",".join(["0.1"] * 10)
    assert "got 10" in errors_of(f"```losstui\nset p={ten} q={ten}\n```\n")[0]
    state = AppState()
    for line in ("p=1 q=1", "p=1 q=1 pane=pq_lab", f"p={ten} q={ten}"):
        with pytest.raises(SettingError, match="2 to 9 outcomes"):
            state.apply_setup_line(line)
    assert state.pq_p == (0.1, 0.4, 0.5)  # refused whole: the lab keeps what it showed
    state.apply_setup_line("p=0.5,0.5 q=0.9,0.1 pane=pq_lab")
    assert state.pq_q == (0.9, 0.1)


async def test_a_setup_line_with_one_outcome_never_reaches_the_lab(capsys):
    status, _, err = run(capsys, "--setup", "p=1 q=1")
    assert status == 2
    assert err.startswith("losstui: error: argument --setup: P has 2 to 9 outcomes")
    assert err.count("\n") == 1


def test_combined_waits_are_checked_part_by_part():
    with pytest.raises(SettingError, match="unknown name 'stepp'"):
        parse_condition("stepp > 3 or diverged")
    wait = "wait step > 3 and accuracy > 0.5"
    errors = errors_of(f"```losstui\nset problem=regression\n{wait}\n```\n")
    assert errors == [
        "L.md:8: wait accuracy > 0.5: regression has no accuracy at this step, so it would "
        "never hold and the student could not go on"
    ]


def test_a_lesson_that_passed_the_check_sets_up_every_step_going_back_or_forward():
    # Going back applies the settings so far at once: an earlier step's dataset with a later
    # step's problem was refused there, and the app stopped on a lesson the check had passed.
    text = (
        HEAD
        + "One.\n```losstui\nset problem=regression dataset=curve\n```\n"
        + "---\nTwo.\n```losstui\nset problem=binary_classification\n```\n---\nThree.\n"
    )
    assert check_lesson(text, "L.md") == []
    state = AppState()
    run = LessonRun(parse_lesson(text, "L.md"), state, index=2)
    run.enter()
    assert state.problem == "binary_classification"
    assert run.back()
    assert run.back()
    assert state.config.dataset == "curve"
    # Coming forward on what the student changed: a loss the student's data cannot train.
    text = (
        HEAD
        + "One.\n```losstui\nset problem=count_regression\n```\n"
        + "---\nTwo.\n```losstui\nset loss=poisson\n```\n"
    )
    assert check_lesson(text, "L.md") == []
    state = AppState()
    run = LessonRun(parse_lesson(text, "L.md"), state)
    run.enter()
    state.apply_setup_line("problem=regression")  # the student's own change
    assert run.next() is None
    assert state.config.loss == "poisson"
