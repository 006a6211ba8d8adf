"""Lesson files: a sound lesson reads into steps; every kind of mistake is reported at its line;
conditions and placeholders read the live app state."""

from __future__ import annotations

import json
import math

import pytest

from losstui.core.settings import SettingError
from losstui.core.state import AppState
from losstui.lessons.files import builtin_paths
from losstui.lessons.format import check_lesson, parse_condition, parse_lesson, read_lesson
from losstui.lessons.runner import LessonRun
from losstui.lessons.values import fill, lesson_values, waiting_for
from tests.cli_helpers import run

HEAD = "---\ntitle: Log loss\nsummary: The Bernoulli likelihood.\nminutes: 10\n---\n"
GOOD = (
    HEAD
    + """Validation loss {val_loss}, accuracy {accuracy}.
<!-- Ask the room first. -->

```losstui
set problem=binary_classification pane=train
lock loss lr
wait step >= 200
hint Press space to train.
```
---
```losstui
ask Which loss recovers from a saturated start?
- [x] binary cross-entropy | Right: its gradient is p − y.
- [ ] squared error | No: its gradient carries p·(1 − p).
```
"""
)


def errors_of(body: str, head: str = HEAD) -> list[str]:
    return [str(e) for e in check_lesson(head + body, "L.md")]


def test_a_sound_lesson_reads_into_its_steps():
    lesson = parse_lesson(GOOD, "L.md")
    assert (lesson.title, lesson.minutes, lesson.requires) == ("Log loss", 10, None)
    first, second = lesson.steps
    assert first.settings == {"problem": "binary_classification", "pane": "train"}
    assert first.lock == ("loss", "lr")
    assert first.hint == "Press space to train."
    assert first.notes == ("Ask the room first.",)
    assert "<!--" not in first.prose
    assert first.wait is not None
    assert first.wait.text == "step >= 200"
    assert second.ask is not None
    assert [c.correct for c in second.ask.choices] == [True, False]
    assert check_lesson(GOOD, "L.md") == []


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("```losstui\nsett lr=0.1\n```\n", 7, "unknown directive 'sett'; allowed: set,"),
        ("```losstui\nset speed=7\n```\n", 7, "speed must be one of: 10, 20, 50"),
        ("```losstui\nset colour=red\n```\n", 7, "unknown setting 'colour'"),
        ("```losstui\nlock nothing\n```\n", 7, "unknown control 'nothing'"),
        ("```losstui\nwait val_loss < low\n```\n", 7, "val_loss compares with a number"),
        ("```losstui\nwait happy\n```\n", 7, "unknown name 'happy' in a condition"),
        ("```losstui\nwait loss < 3\n```\n", 7, "compare it with == or !="),
        ("```losstui\nrun 0\n```\n", 7, "`run` takes a number of steps from 1"),
        ("```losstui\nask Which?\n- [ ] a | no\n- [ ] b | no\n```\n", 7, "exactly one marked"),
        (
            "```losstui\nask Which?\n- [x] a\n" + "- [ ] b\n" * 7 + "```\n",
            7,
            "`ask` needs 2 to 7 choices (a to g, the keys that answer them)",
        ),
        ("```losstui\nwait step > 1\nwait step > 2\n```\n", 8, "`wait` is given twice"),
        ("Text {nope}.\n", 6, "unknown placeholder {nope}"),
        ("One.\n---\n\n---\nThree.\n", 8, "an empty step"),
        ("```losstui\nset problem=regression loss=hinge\n```\n", 7, "cannot run here"),
        ("```losstui\nset lr=0.1\n", 6, "never closed"),
        ("```losstui\nhint Look at {nope}.\n```\n", 7, "unknown placeholder {nope}"),
        ("```losstui\nask At {nope}?\n- [x] a | yes\n- [ ] b | no\n```\n", 7, "{nope}"),
        ("```losstui\nask Q?\n- [x] a | at {nope}\n- [ ] b | no\n```\n", 8, "{nope}"),
        ("```losstui\nwait accuracy > 80\n```\n", 7, "write 0.9 or 90% for 90.0%, got '80'"),
        ("```losstui\nwait r2 > 0.5\n```\n", 7, "binary classification has no r2 at this"),
    ],
)
def test_each_mistake_is_reported_at_its_line(body, line, message):
    errors = errors_of(body)
    assert any(e.startswith(f"L.md:{line}: ") and message in e for e in errors), errors


def test_every_bad_value_of_a_set_line_is_reported_by_its_key():
    errors = errors_of("```losstui\nset pane=training speed=30 lr=fast\n```\n")
    assert [e.split(": ")[1] for e in errors] == ["pane=training", "speed=30", "lr=fast"]
    assert all(e.startswith("L.md:7: ") for e in errors)


def test_front_matter_mistakes_are_reported():
    assert errors_of("Text.\n", head="")[0].startswith("L.md:1: a lesson starts with front matter")
    nowhere = errors_of("Text.\n", head=HEAD.replace("---\n", "---\nrequires: nowhere\n", 1))
    assert any(e.startswith("L.md:2: `requires` names no lesson: 'nowhere'") for e in nowhere)
    assert errors_of("Text.\n", head=HEAD.replace("---\n", "---\nrequires: 3\n", 1)) == []
    errors = errors_of("Text.\n", head="---\ntitle: T\nminutes: lots\ncolour: red\n---\n")
    assert "L.md:1: `summary` is missing from the front matter" in errors
    assert any(e.startswith("L.md:3: `minutes` must be a whole number") for e in errors)
    assert any(e.startswith("L.md:4: unknown front-matter key `colour`") for e in errors)


def test_conditions_read_the_live_state():
    state = AppState("binary_classification")
    at_200 = parse_condition("step >= 200")
    accurate = parse_condition("accuracy > 0.9")
    on_hinge = parse_condition("loss == hinge")
    assert not at_200.holds(lesson_values(state))
    assert not accurate.holds(lesson_values(state))
    state.step(200)
    values = lesson_values(state)
    assert at_200.holds(values)
    assert accurate.holds(values)
    assert not on_hinge.holds(values)
    state.set("loss", "hinge")
    assert on_hinge.holds(lesson_values(state))
    assert parse_condition("paused").holds(lesson_values(state))
    # A number the task does not have never holds: no R² for a classifier.
    assert math.isnan(values["r2"])
    assert not parse_condition("r2 > 0").holds(values)
    assert parse_condition("kl_pq > 1.9").holds(values)  # the lab's 1.927 bits
    with pytest.raises(SettingError, match="unknown loss 'nope'"):
        parse_condition("loss == nope")
    # Accuracy is held as a fraction and shown as a percentage: both spellings mean the same.
    assert parse_condition("accuracy > 90%").value == parse_condition("accuracy > 0.9").value


def test_placeholders_show_values_as_the_app_formats_them():
    state = AppState("binary_classification")
    state.step(300)
    text = fill(
        "loss {val_loss}, {accuracy}, KL {kl_pq}, lr {lr}, step {step}", lesson_values(state)
    )
    assert text == "loss 0.1213, 94.7%, KL 1.927 bits, lr 0.05, step 300"


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ("val_loss < 0.09", "the validation loss is below 0.09 (now 0.9853)"),
        ("accuracy > 0.9", "accuracy is above 90.0% (now 22.0%)"),
        ("kl_pq < 0.1", "KL(P‖Q) is below 0.100 bits (now 1.927 bits)"),
        ("diverged", "the run has diverged"),
        ("pane == distributions", "the Distributions pane is open (4)"),
        ("pane == pq_lab", "the P/Q lab is open (5)"),
        ("units == bits", "the units are bits (u)"),
        ("lr == 0.1", "the learning rate is 0.1 (now 0.05)"),
    ],
)
def test_what_next_waits_for_reads_as_words_with_the_value_now(condition, words):
    # "waits for val_loss < 0.09" named the condition as the lesson file writes it.
    values = lesson_values(AppState("binary_classification"))
    assert waiting_for(parse_condition(condition), values) == words


def test_lesson_check_command(tmp_path, capsys):
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(HEAD + "```losstui\nsett lr=1\n```\n", encoding="utf-8")
    assert run(capsys, "lesson", "check", str(good))[:2] == (0, f"{good}: ok\n")
    status, _, err = run(capsys, "lesson", "check", str(bad))
    assert status == 2
    assert err.startswith(f"{bad}:7: unknown directive 'sett'")
    status, _, err = run(capsys, "lesson", "check", str(tmp_path / "none.md"))
    assert status == 2
    assert err == (f"losstui lesson check: error: lesson file '{tmp_path / 'none.md'}' not found\n")


def test_a_lesson_run_sets_locks_waits_asks_and_goes_back():
    from losstui.lessons.runner import LessonRun

    state = AppState()
    run = LessonRun(parse_lesson(GOOD, "L.md"), state)
    run.enter()
    assert state.problem == "binary_classification"
    assert state.pane == "train"
    assert state.is_locked("loss")
    assert state.is_locked("lr")
    assert run.text().startswith("Validation loss 0.9853, accuracy 22.0%")
    assert run.next() == "not yet: > goes on once the step is at least 200 (now 0)"
    state.step(200)
    assert run.next() is None
    assert run.index == 1
    assert run.next() == "answer the question first"
    assert run.answer(1).feedback.startswith("No:")
    assert run.blocked() is not None
    assert run.answer(0).correct
    assert run.next() == "this is the last step"
    assert run.back()
    assert run.index == 0
    assert state.is_locked("loss")
    assert not run.back()


def test_a_run_directive_trains_that_many_steps_then_pauses():
    from losstui.lessons.runner import LessonRun

    lesson = parse_lesson(
        HEAD + "Watch.\n```losstui\nset problem=regression\nrun 50\n```\n", "L.md"
    )
    state = AppState()
    run = LessonRun(lesson, state)
    run.enter()
    assert state.running
    assert run.run_until == 50
    state.step(30)
    run.tick()
    assert state.running
    state.step(20)
    run.tick()
    assert not state.running
    assert state.trainer.step_count == 50


def test_progress_is_kept_per_user_and_survives_a_broken_file(tmp_path, monkeypatch):
    from losstui.lessons import progress

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert progress.load("/lessons/a.md") == 0
    assert progress.save("/lessons/a.md", 3)
    assert progress.save("/lessons/b.md", 1)
    assert progress.load("/lessons/a.md") == 3
    assert progress.progress_file() == tmp_path / "losstui" / "progress.json"
    progress.progress_file().write_text("not json", encoding="utf-8")
    assert progress.load("/lessons/a.md") == 0  # unreadable: start again, never crash
    monkeypatch.setenv("XDG_STATE_HOME", "/proc/nowhere")
    assert not progress.save("/lessons/a.md", 2)  # cannot be kept: said, not raised


def test_answers_are_kept_with_their_question_and_an_older_version_keeps_the_steps(
    tmp_path, monkeypatch
):
    from losstui.lessons import progress
    from losstui.lessons.runner import LessonRun

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    lesson = parse_lesson(GOOD, "L.md")
    run = LessonRun(lesson, AppState(), 1)
    run.answer(1)
    run.answer(0)  # the last answer counts
    asked = "Which loss recovers from a saturated start?"
    assert run.answered() == {1: (asked, "binary cross-entropy")}
    assert progress.save("L.md", 1, run.answered())
    assert progress.load("L.md") == 1
    assert progress.load_answers("L.md") == run.answered()

    again = LessonRun(lesson, AppState(), progress.load("L.md"))
    again.restore_answers(progress.load_answers("L.md"))
    assert again.blocked() is None  # answered in the earlier run: not asked again

    # Answers that no longer fit the (edited) lesson are dropped, never raised: another
    # question at that step (even with an answer of the same text), no such answer, no step.
    again = LessonRun(lesson, AppState(), 1)
    again.restore_answers(
        {
            1: ("Which loss saturates?", "binary cross-entropy"),
            0: (asked, "binary cross-entropy"),
            7: (asked, "binary cross-entropy"),
        }
    )
    again.restore_answers({1: (asked, "mean absolute error")})
    assert again.answers == {}
    assert again.blocked() == "answer the question first"

    # The steps stay where earlier versions read them (a bare index per lesson), and what
    # does not read as an answer is left out, never raised.
    data = json.loads(progress.progress_file().read_text(encoding="utf-8"))
    assert data["L.md"] == 1
    data["answers"]["M.md"] = {"²": {"ask": "a", "answer": "b"}, "9" * 5000: {}, "2": "x"}
    progress.progress_file().write_text(json.dumps(data), encoding="utf-8")
    assert progress.load_answers("M.md") == {}
    assert progress.load_all() == {"L.md": 1}


def test_the_documented_examples_are_sound(tmp_path):
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs" / "lessons.md"
    text = docs.read_text(encoding="utf-8")
    examples = [part.split("````", 1)[0] for part in text.split("````markdown\n")[1:]]
    full = [e for e in examples if e.startswith("---\n")]
    assert len(full) == 1
    assert len(examples) > 1
    for example in examples:  # a fragment is checked as the steps of a lesson
        lesson = example if example.startswith("---\n") else HEAD + example
        assert check_lesson(lesson, "example.md") == [], example
    lesson = parse_lesson(full[0], "example.md")
    assert len(lesson.steps) == 3
    assert lesson.steps[2].ask is not None
    # Every directive and condition name the tables document is one the reader knows.
    from losstui.lessons.format import DIRECTIVES, NAMES

    for word in DIRECTIVES:
        assert f"| `{word}" in text
    for name in NAMES:
        assert f"`{name}`" in text, name


BACK_AND_RESUME = (
    HEAD
    + "Train to step 100.\n```losstui\nset problem=regression lr=0.05 pane=train\n"
    + "wait step >= 100\n```\n"
    + "---\nAt step {step} the loss is {val_loss}.\n"
    + "---\nA new rate.\n```losstui\nset lr=0.2\nrun 40\n```\n"
    + "---\nAfter the run: step {step}.\n"
)


def test_going_back_or_resuming_trains_the_run_as_the_steps_before_took_it():
    # Going back replays the settings, which start a new run at step 0: a step whose prose
    # quotes the run the student trained ("full batch lands on the closed form") quoted step 0.
    lesson = parse_lesson(BACK_AND_RESUME, "L.md")
    state = AppState()
    run = LessonRun(lesson, state)
    run.enter()
    state.step(100)
    assert run.next() is None
    seen = run.text()
    assert seen.startswith("At step 100 the loss is")
    assert run.next() is None
    assert state.trainer.step_count == 0
    assert run.back()
    assert run.index == 1
    assert state.config.lr != 0.2
    assert run.text() == seen
    # Resuming at the last step: the first run to 100 is replaced by lr 0.2's run of 40.
    resumed = AppState()
    again = LessonRun(lesson, resumed, index=3)
    again.enter()
    assert resumed.config.lr == 0.2
    assert again.text() == "After the run: step 40."
    # Resuming at the step that asks for the training trains nothing: the student does it.
    first = AppState()
    LessonRun(lesson, first, index=0).enter()
    assert first.trainer.step_count == 0


def _fast_forward_once(run: LessonRun, state: AppState) -> None:
    """What f and one slice do: start fast-forward, train a chunk, let the lesson look."""
    state.fast_forward()
    run.fast_forward_started()
    until = run.until()
    state.step(200 if until is None else max(0, until - state.trainer.step_count))
    run.tick()


def test_f_goes_on_when_the_wait_was_met_by_steps_taken_by_hand_or_by_a_run():
    lesson = parse_lesson(
        HEAD
        + "Three steps.\n```losstui\nset problem=regression lr=0.05 pane=train\n"
        + "wait step >= 3\n```\n---\nA run.\n```losstui\nrun 40\nwait step >= 40\n```\n"
        + "---\nTo the Distributions pane.\n```losstui\nwait pane == distributions\n```\n",
        "L.md",
    )
    state = AppState()
    run = LessonRun(lesson, state)
    run.enter()
    state.step(3)  # n, n, n: no tick looked
    _fast_forward_once(run, state)
    assert state.running
    assert state.trainer.step_count > 3
    state.pause()
    assert run.next() is None
    state.step(40)  # the step's run, done
    run.tick()
    assert not state.running
    assert run.blocked() is None
    _fast_forward_once(run, state)
    assert state.running, "f stopped at once on a wait its run had met"
    state.pause()
    # A wait training cannot meet (a pane) neither stops f nor hides that nothing else will.
    assert run.next() is None
    assert not run.wait_stops_fast_forward()


def test_going_back_replays_runs_and_waits_in_order_and_until_a_divergence():
    lesson = parse_lesson(
        HEAD
        + "Train.\n```losstui\nset problem=regression lr=0.05 pane=train\nwait step >= 300\n```\n"
        + "---\nMore.\n```losstui\nrun 50\n```\n---\nAt step {step}.\n---\nToo large.\n"
        + "```losstui\nset lr=5\nwait diverged\n```\n---\nDiverged at {step}.\n",
        "L.md",
    )
    at = LessonRun(lesson, AppState(), index=2)
    at.enter()
    assert at.text() == "At step 350."  # 300, then 50 more: not max(300, 50)
    state = AppState()
    after = LessonRun(lesson, state, index=4)
    after.enter()
    assert state.trainer.diverged
    assert after.text() == f"Diverged at {state.trainer.step_count}."


def test_the_answer_keys_are_the_letters_the_answers_carry():
    from losstui.lessons.format import MAX_CHOICES
    from losstui.tui.actions import ANSWER_LETTERS
    from losstui.tui.widgets.answer_list import letter

    assert len(ANSWER_LETTERS) == MAX_CHOICES
    assert [letter(i) for i in range(MAX_CHOICES)] == list(ANSWER_LETTERS)


@pytest.mark.parametrize("path", builtin_paths(), ids=lambda p: p.stem[:2])
def test_going_back_to_a_built_in_lessons_step_sets_it_up_as_coming_to_it(path):
    # Lesson 6, back to step 6 (three blobs): the header said "Squared hinge loss", step 4's
    # loss outliving step 6's new problem, where coming forward gave cross-entropy.
    lesson = read_lesson(str(path))
    state = AppState()
    run = LessonRun(lesson, state)
    forward = []
    for index in range(run.count):
        run.enter(index, replay=index == 0)
        forward.append(state.setup_line(full=True))
    for index in reversed(range(run.count)):
        run.enter(index)
        assert state.setup_line(full=True) == forward[index], f"step {index + 1}"
