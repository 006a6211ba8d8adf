"""The exact messages and results of the readers of files that users write (lessons, conditions,
recommendations, the question path) and of the ASCII spellings, pinned where the other tests
leave a branch unchecked."""

from __future__ import annotations

import os

import pytest

from losstui.core.content import ContentError
from losstui.core.losses import LOSSES
from losstui.core.problems import PROBLEMS, Alternative, load_questions, load_recommendation
from losstui.core.settings import SettingError
from losstui.core.text import to_ascii
from losstui.lessons.format import check_lesson, parse_lesson
from losstui.lessons.language import NAMES, Choice, Condition, Question, parse_condition
from losstui.tui.glyphs import ascii_cell

HEAD = "---\ntitle: Checks\nsummary: What the checker catches.\nminutes: 10\n---\n"
LOSS_KEYS = ", ".join(LOSSES)


def _controls() -> str:
    from losstui.core.state import CONTROLS

    return ", ".join(CONTROLS)


# -- lesson directives -----------------------------------------------------------------------------

BROKEN_LESSON = """Text {kept_one}.
```losstui
- [x] orphan | no ask yet
# a comment
frobnicate now
set
set lr=0.1
run 0
pause now
hint
ask
lock
unlock nosuch
keep val_loss as kept_one, diverged as x
```
---
Step two.
```losstui
set lr=abc loss=nosuch
run 2000000
wait nosuch > 1
ask Which one? {kept_one}
- [x] this | yes
- nothing here
- [ ] a | b | c
- [ ]  | empty text
```
---
Step three.
```losstui
ask Pick {nosuch}
- [x] one | right
- [x] two | also right
keep r2 as kept_one
hint Look at {val_loss}
```
---
Step four.
```losstui
ask Only one?
- [x] one | right
wait step >= 10 or
```
"""


def test_every_directive_error_names_its_line():
    controls = _controls()
    names = ", ".join(NAMES)
    placeholders = ", ".join("{" + n + "}" for n in NAMES)
    ask = (
        "`ask` needs 2 to 7 choices (a to g, the keys that answer them), exactly one marked `- [x]`"
    )
    assert [str(e) for e in check_lesson(HEAD + BROKEN_LESSON, "L.md")] == [
        "L.md:6: {kept_one} is quoted before it is kept: the `keep` at line 19 keeps it when the "
        "student leaves its step, so quote it from the step after on",
        "L.md:8: a choice (`- [x] text | feedback`) must follow an `ask` line",
        "L.md:10: unknown directive 'frobnicate'; allowed: set, lock, unlock, hide, show, run, "
        "pause, wait, keep, hint, ask",
        "L.md:11: `set` needs KEY=VALUE words",
        "L.md:12: `set` is given twice in one step",
        "L.md:13: `run` takes a number of steps from 1 to 1,000,000",
        "L.md:14: `pause` takes nothing after it",
        "L.md:15: `hint` needs its text on the same line",
        "L.md:16: `ask` needs its question on the same line",
        f"L.md:17: `lock` needs one or more names; allowed: {controls}",
        f"L.md:18: unknown control 'nosuch'; allowed: {controls}",
        "L.md:19: diverged is a yes/no state: keep a number or a setting",
        "L.md:24: lr=abc: learning rate must be a number > 0 and at most 1e+09, got 'abc'",
        f"L.md:24: loss=nosuch: unknown loss 'nosuch'; allowed: {LOSS_KEYS}",
        "L.md:25: `run` takes a number of steps from 1 to 1,000,000",
        f"L.md:26: unknown name 'nosuch' in a condition; allowed: {names}, and in a race "
        "run1.NAME to run4.NAME",
        "L.md:29: expected a choice `- [x] text | feedback`, got '- nothing here'",
        "L.md:30: a choice has one `|`, between its text and its feedback: write a `|` inside "
        "either as `\\|`, got '- [ ] a | b | c'",
        "L.md:31: expected a choice `- [x] text | feedback`, got '- [ ]  | empty text'",
        f"L.md:36: {ask}",
        "L.md:36: unknown placeholder {nosuch}: neither a live value nor kept by a `keep`; "
        f"allowed: {placeholders}",
        "L.md:39: kept_one is kept already, at line 19",
        f"L.md:45: {ask}",
        "L.md:47: expected a condition such as `val_loss < 0.3`, `loss == hinge` or `diverged`, "
        "got 'step >= 10 or'",
    ]


def test_a_long_bad_value_is_shown_cut_short():
    errors = check_lesson(HEAD + f"Text.\n```losstui\nset dataset={'x' * 300}\n```\n", "L.md")
    shown = "'" + "x" * 89 + "…' (300 characters)"
    assert len(errors) == 1
    assert str(errors[0]).startswith(f"L.md:8: dataset={shown}: unknown dataset {shown}; allowed: ")


def test_every_directive_reads_into_its_step():
    body = """One {val_loss}.
```losstui
set problem=regression lr=0.05
lock loss lr
unlock model
hide pane
show speed
run 300
pause
wait step >= 300 and val_loss < 0.5
keep val_loss as first_loss, lr as first_lr
hint Press space: {step}
ask Which loss \\| here? {lr}
- [ ] squared \\| error | No \\| not it.
- [X] the other one | Yes.
- [ ] a third
```
"""
    (step,) = parse_lesson(HEAD + body, "L.md").steps
    assert (step.line, step.prose, step.settings, step.set_line) == (
        6,
        "One {val_loss}.",
        {"problem": "regression", "lr": "0.05"},
        8,
    )
    assert (step.lock, step.unlock, step.hide, step.show) == (
        ("loss", "lr"),
        ("model",),
        ("pane",),
        ("speed",),
    )
    assert (step.run, step.run_line, step.pause, step.wait_line) == (300, 13, True, 15)
    assert step.wait == parse_condition("step >= 300 and val_loss < 0.5")
    assert step.keep == (("val_loss", "first_loss"), ("lr", "first_lr"))
    assert step.hint == "Press space: {step}"
    assert step.ask == Question(
        "Which loss \\| here? {lr}",
        (
            Choice("squared | error", False, "No | not it."),
            Choice("the other one", True, "Yes."),
            Choice("a third", False, ""),
        ),
    )


# -- wait conditions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "`and` and `or` join two conditions: a condition is missing"),
        ("and", "`and` and `or` join two conditions: a condition is missing"),
        ("or", "`and` and `or` join two conditions: a condition is missing"),
        (
            "val_loss <",
            "expected a condition such as `val_loss < 0.3`, `loss == hinge` or `diverged`, "
            "got 'val_loss <'",
        ),
        (
            "step >= 1 and  and diverged",
            "expected a condition such as `val_loss < 0.3`, `loss == hinge` or `diverged`, "
            "got 'and diverged'",
        ),
        (
            "step",
            "step needs a comparison (e.g. `step >= 1`); alone only: diverged, running, paused",
        ),
        ("diverged > 1", "diverged is a yes/no state: write `wait diverged` alone"),
        (
            "accuracy > x%",
            "accuracy compares with a fraction from 0 to 1 or a percentage (0.9 or 90%), got 'x%'",
        ),
        (
            "accuracy > 150%",
            "accuracy is a fraction from 0 to 1, shown as a percentage: write 0.9 or 90% for "
            "90.0%, got '150%'",
        ),
        ("val_loss < abc", "val_loss compares with a number, got 'abc'"),
        ("step <= nan", "step compares with a finite number, got 'nan'"),
        ("loss > hinge", "loss is a setting: compare it with == or !=, not >"),
        ("loss == nosuch", f"unknown loss 'nosuch'; allowed: {LOSS_KEYS}"),
        ("js == 2", "wait js == 2 can never hold: JS(P,Q) lies from 0 to 1 bit (ln 2 nats)"),
    ],
)
def test_a_wrong_condition_says_what_is_wrong(text, message):
    with pytest.raises(SettingError) as info:
        parse_condition(text)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("paused", Condition("paused", "paused")),
        (" step>=3 ", Condition("step>=3", "step", ">=", 3.0)),
        ("accuracy > 90%", Condition("accuracy > 90%", "accuracy", ">", 0.9)),
        ("accuracy >= 0.5", Condition("accuracy >= 0.5", "accuracy", ">=", 0.5)),
        ("r2 >= 1", Condition("r2 >= 1", "r2", ">=", 1.0)),
        ("loss == hinge", Condition("loss == hinge", "loss", "==", "hinge")),
        ("lr != 0.1", Condition("lr != 0.1", "lr", "!=", 0.1)),
    ],
)
def test_a_condition_reads_into_its_parts(text, condition):
    assert parse_condition(text) == condition


# -- recommendations and the question path ---------------------------------------------------------

RECOMMENDATION = os.path.join(
    os.path.dirname(__file__), "..", "losstui", "content", "recommendations", "regression.md"
)
QUESTIONS = os.path.join(os.path.dirname(__file__), "..", "losstui", "content", "questions.md")


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def _error(load, path: str) -> str:
    with pytest.raises(ContentError) as info:
        load(path)
    return str(info.value)[len(path) :]


def _recommendation_error(tmp_path, old: str, new: str) -> str:
    text = _read(RECOMMENDATION)
    assert old in text
    path = tmp_path / "regression.md"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return _error(load_recommendation, str(path))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "loss: mean_squared_error\n",
            "loss: mean_squared_error\ncolour: red\n",
            ":3: unknown key `colour` in the front matter; allowed: loss, activation, "
            "distribution, equivalent",
        ),
        (
            "loss: mean_squared_error\n",
            "loss: mse\n",
            f":2: unknown loss 'mse' in `loss`; allowed: {LOSS_KEYS}",
        ),
        (
            "loss: mean_squared_error\n",
            "loss: mean_squared_error\nequivalent: huber, ,  nosuch\n",
            f":3: unknown loss 'nosuch' in `equivalent`; allowed: {LOSS_KEYS}",
        ),
        ("activation: linear\n", "", ":1: `activation` is missing from the front matter"),
        (
            "# Keras",
            "# Caveats",
            ":38: unknown section '# Caveats'; allowed: Why (maximum likelihood), Why this "
            "activation, Alternatives, PyTorch, Keras, scikit-learn, Pitfalls",
        ),
        ("# Keras", "# PyTorch", ":38: section '# PyTorch' appears twice (first on line 33)"),
        ("# Keras", "## Keras", ": section '# Keras' is missing"),
        (
            "## huber",
            "## huber (discouraged)",
            ":23: an alternative's heading is a loss key, optionally followed by "
            f"'(not recommended)'; got 'huber (discouraged)'; loss keys: {LOSS_KEYS}",
        ),
    ],
)
def test_a_wrong_recommendation_names_its_line(tmp_path, old, new, message):
    assert _recommendation_error(tmp_path, old, new) == message


def test_alternatives_without_headings_are_an_error(tmp_path):
    text = _read(RECOMMENDATION)
    start, end = text.index("# Alternatives"), text.index("# PyTorch")
    path = tmp_path / "regression.md"
    path.write_text(text[:start] + "# Alternatives\n\n" + text[end:], encoding="utf-8")
    assert _error(load_recommendation, str(path)) == (
        ":21: '# Alternatives' has no '## loss' headings"
    )


def test_a_recommendation_reads_its_optional_parts(tmp_path):
    text = _read(RECOMMENDATION).replace(
        "loss: mean_squared_error\n", "loss: mean_squared_error\nequivalent: huber, , poisson\n"
    )
    path = tmp_path / "regression.md"
    path.write_text(text.replace("## huber", "## huber (not recommended)"), encoding="utf-8")
    rec = load_recommendation(str(path))
    assert rec.problem == "regression"
    assert rec.equivalent == ("huber", "poisson")
    assert [(a.loss, a.discouraged) for a in rec.alternatives] == [
        ("huber", True),
        ("mean_absolute_error", False),
    ]
    assert len(rec.pitfalls) == 4
    assert rec.pitfalls[0].startswith("Squaring makes")
    # Without the optional sections: no alternatives, no pitfalls.
    start, end = text.index("# Alternatives"), text.index("# PyTorch")
    bare = text[:start] + text[end:]
    path.write_text(bare[: bare.index("# Pitfalls")], encoding="utf-8")
    rec = load_recommendation(str(path))
    assert (rec.alternatives, rec.pitfalls) == ((), ())
    assert isinstance(Alternative("huber", "x"), Alternative)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("# target", "---\nx: 1\n---\n# target", ":2: a question file has no front matter"),
        (
            "# outliers",
            "# Outliers",
            ":13: a question's heading is its key in lower case with underscores, got 'Outliers'",
        ),
        ("# outliers", "# target", ":13: question 'target' appears twice"),
        (
            "problem: regression\n",
            "problem: nosuch\n",
            f":25: unknown problem 'nosuch'; allowed: {', '.join(PROBLEMS)}",
        ),
    ],
)
def test_a_wrong_question_file_names_its_line(tmp_path, old, new, message):
    text = _read(QUESTIONS)
    assert old in text
    path = tmp_path / "questions.md"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert _error(load_questions, str(path)) == message


def test_a_question_file_without_questions_is_an_error(tmp_path):
    path = tmp_path / "questions.md"
    path.write_text("\n", encoding="utf-8")
    assert _error(load_questions, str(path)) == ": no questions: expected `# key` sections"


# -- ASCII spellings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "markdown", "ascii"),
    [
        ("2πσ²", False, "2*pi*sigma^2"),
        ("2πσ²", True, "2\\*pi\\*sigma^2"),
        ("σx", True, "sigma\\*x"),
        ("θ₁x", False, "theta_1*x"),
        ("xᵢⱼ", False, "x_ij"),
        ("x⁻¹", False, "x^-1"),
        ("√ŷ + √(a)", False, "sqrt(y_hat) + sqrt(a)"),
        ("√mean r²", False, "sqrt mean r^2"),
        ("√μ̂₁", True, "sqrt(mu\\_hat\\_1)"),
        ("a≤b", False, "a<=b"),
        ("a→b", True, "a-\\>b"),
        ("x∈A", False, "x in A"),
        ("x ∈ A", False, "x in A"),
        ("x∈", False, "x in"),
        ("½r²", False, "1/2*r^2"),
        ("w·x", True, "w\\*x"),
        ("é", False, "e"),
        ("\U0001f600", False, "?"),
    ],
)
def test_ascii_spellings(text, markdown, ascii):
    assert to_ascii(text, markdown) == ascii


@pytest.mark.parametrize(
    ("char", "cell"),
    [
        ("a", "a"),
        ("·", "*"),
        ("\u2800", " "),
        ("\u28ff", "."),
        ("│", "|"),
        ("═", "-"),
        ("┼", "+"),
        ("░", "."),
        ("▓", "%"),
        ("▖", "#"),
        ("▌", "#"),
        ("▎", "|"),
        ("🔎", ">"),
        ("é", "e"),
        ("λ", "l"),
        ("Ж", "Z"),
        ("ꜰ", "f"),
        ("Ɐ", "A"),
        ("\U0010ffff", "?"),
    ],
)
def test_ascii_cells(char, cell):
    assert ascii_cell(char) == cell
