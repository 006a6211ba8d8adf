"""A lesson that races: `set race=...` starts the runs, `{run2.accuracy}` quotes one run's value
live, `wait run2.r2 > 0.8` waits on one run, `keep run2.r2 as KEPT` keeps it with that run's
loss, and `lesson check` refuses a run the step does not race."""

from __future__ import annotations

import pytest

from losstui.core.state import AppState
from losstui.core.text import format_metric
from losstui.lessons.format import check_lesson, parse_condition, parse_lesson
from losstui.lessons.runner import LessonRun
from losstui.lessons.values import lesson_values, waiting_for

HEAD = "---\ntitle: Races\nsummary: Two losses side by side.\nminutes: 10\n---\n"

#: Squared error against absolute error on a line with outliers, then a question.
SETUP = (
    "set problem=robust_regression dataset=line_outliers seed=0 "
    "race=loss:mean_squared_error,mean_absolute_error pane=race"
)
RACE = (
    HEAD
    + """Squared error {run1.r2} ({run1}), absolute error {run2.r2} ({run2}); on show {r2}.

```losstui
{setup}
lock race
wait run2.r2 > 0.8
keep run1.r2 as squared, run2.r2 as absolute
hint Press space.
```
---
Kept: {squared} and {absolute}.

```losstui
pause
```
""".replace("{setup}", SETUP)
)


def errors_of(body: str) -> list[str]:
    return [str(e) for e in check_lesson(HEAD + body, "L.md")]


def entered(text: str) -> tuple[LessonRun, AppState]:
    state = AppState()
    run = LessonRun(parse_lesson(text, "L.md"), state)
    run.enter()
    return run, state


def test_a_step_quotes_each_run_of_its_race_live_and_keeps_each_with_its_own_loss():
    run, state = entered(RACE)
    assert [r.config.loss for r in state.runs] == ["mean_squared_error", "mean_absolute_error"]
    assert state.is_locked("race")
    state.step(300)
    squared, absolute = (r.evaluate()["r2"] for r in state.runs)
    assert squared != absolute
    first, second = (format_metric("r2", value) for value in (squared, absolute))
    assert run.text() == (
        f"Squared error {first} (Mean squared error), absolute error {second} (Mean absolute "
        f"error); on show {first}."
    )
    # The unnumbered names are the run on show: `]` shows the second run.
    state.select_run(1)
    assert run.text().endswith(f"on show {second}.")
    assert run.next() is None
    assert run.text() == (f"Kept: {first} (Mean squared error) and {second} (Mean absolute error).")


def test_a_wait_on_one_run_holds_on_that_run_and_reads_with_its_name():
    run, state = entered(RACE)
    wait = parse_condition("run2.r2 > 0.8")
    assert (wait.run, wait.name, wait.key) == (2, "r2", "run2.r2")
    values = lesson_values(state)
    now = format_metric("r2", values["run2.r2"])
    assert waiting_for(wait, values) == (
        f"run 2 (Mean absolute error): R² is above 0.8 (now {now})"
    )
    assert run.blocked() == f"not yet: > goes on once {waiting_for(wait, values)}"
    # Fast-forward stops on the first step where absolute error's R² passes 0.8.
    state.fast_forward()
    stop = run.fast_stop()
    assert stop is not None
    state.step_for(60.0, 5000, stop)
    assert state.runs[1].evaluate()["r2"] > 0.8
    assert run.blocked() is None
    # On the first step where it holds: one step fewer, absolute error's R² was not past 0.8.
    at = state.step_count
    state.reset()
    state.step(at - 1)
    assert state.runs[1].evaluate()["r2"] <= 0.8


def test_the_race_values_name_every_run_by_its_raced_value():
    state = AppState("regression")
    state.apply({"race": "lr:0.01,0.1,1"})
    values = lesson_values(state)
    assert [values[f"run{i}"] for i in (1, 2, 3)] == [
        "lr 0.01",
        "lr 0.1",
        "lr 1",
    ]
    assert [values[f"run{i}.lr"] for i in (1, 2, 3)] == [0.01, 0.1, 1.0]
    assert "run4.r2" not in values
    # One run: no run's own values at all.
    state.apply({"race": "off"})
    assert not [key for key in lesson_values(state) if key.startswith(("run1", "run2"))]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "{run2.r2}\n\n```losstui\nset problem=regression\n```\n",
            "no race is on at this step",
        ),
        (
            "{run3.r2}\n\n```losstui\nset problem=regression race=lr:0.01,0.1\n```\n",
            "run3: this step races 2 runs, run1 to run2",
        ),
        (
            "x\n\n```losstui\nset problem=regression race=lr:0.01,0.1\nwait run3.r2 > 0.5\n"
            "hint h\n```\n",
            "run3: this step races 2 runs",
        ),
        ("{run5.r2}\n", "a race has runs 1 to 4, got run 5"),
        ("{run2.h_pq}\n", "a run's own values are"),
        (
            "x\n\n```losstui\nset problem=regression\nkeep r2 as run2\n```\n",
            "not a live value's name nor a run's",
        ),
        (
            "x\n\n```losstui\nset problem=regression\nkeep run2.r2 as kept\n```\n",
            "no race is on at this step",
        ),
    ],
)
def test_a_run_the_step_does_not_race_is_an_error_at_its_line(body, message):
    errors = errors_of(body)
    assert len(errors) == 1, errors
    assert message in errors[0]


def test_a_race_step_counts_every_run_against_the_time_a_class_can_wait():
    # One MLP of this size trains 200,000 steps within the cap; four of them do not.
    setup = "set problem=regression model=mlp hidden=64,64 n_samples=2000 batch_size=256"
    alone = errors_of(f"x\n\n```losstui\n{setup}\nrun 60000\n```\n")
    raced = errors_of(f"x\n\n```losstui\n{setup} race=lr:0.001,0.01,0.1,0.2\nrun 60000\n```\n")
    assert alone == []
    assert len(raced) == 1
    assert "4 runs" in raced[0]


def test_a_student_who_quits_mid_race_resumes_the_race_where_they_left_it():
    run, state = entered(RACE)
    state.select_run(1)
    state.step(250)
    left = run.left_state()
    ends = [r.evaluate() for r in state.runs]
    again = AppState()
    resumed = LessonRun(parse_lesson(RACE, "L.md"), again)
    assert resumed.resume(left)
    assert again.race == state.race
    assert again.step_count == 250
    assert [r.evaluate() for r in again.runs] == ends


def test_a_new_race_shows_its_first_run_and_a_changed_setting_keeps_the_run_on_show():
    # Lesson 6 shows hinge (`]`), then races the blobs' losses: they start at their first run.
    state = AppState("binary_classification")
    state.apply({"race": "loss:binary_cross_entropy,hinge"})
    state.select_run(1)
    state.apply({"lr": "0.05"})  # the same race, one setting changed: hinge stays on show
    assert state.selected == 1
    state.apply({"race": "lr:0.01,0.1"})
    assert state.selected == 0
