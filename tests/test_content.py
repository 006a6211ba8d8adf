"""Tests of the content files: every problem's recommendation is there and whole, and a malformed
file fails with one line naming the file, the line and what is wrong."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import fields

import pytest

from losstui.core import problems
from losstui.core.content import (
    ContentError,
    one_paragraph,
    parse_document,
    read_document,
    split_sections,
    split_steps,
)
from losstui.core.losses import LOSSES
from losstui.core.problems import (
    FIRST_QUESTION,
    PROBLEMS,
    QUESTIONS,
    RECOMMENDATIONS_DIR,
    load_questions,
    load_recommendation,
    question_paths,
    recommend,
    walk,
)

SUPERVISED = [key for key in PROBLEMS if recommend(key).loss is not None]

# A complete, valid recommendation file; the malformed cases below each break one thing in it.
VALID = """\
---
loss: categorical_cross_entropy
activation: softmax
distribution: categorical
equivalent: sparse_categorical_cross_entropy, kl_divergence
---

# Why (maximum likelihood)

Assume the label is one categorical draw; −log of its
likelihood is the cross-entropy.

# Why this activation

Softmax makes K positive numbers summing to 1.

# Alternatives

## binary_cross_entropy (not recommended)

A sigmoid per class
answers a multi-label question.

## kl_divergence

Equal for one-hot targets.

# PyTorch

nn.CrossEntropyLoss() on the logits.

# Keras

keras.losses.CategoricalCrossentropy(from_logits=True).

# scikit-learn

LogisticRegression.

# Pitfalls

- A softmax layer before the loss squashes
  the outputs twice.

- Softmax with per-class binary cross-entropy answers another question.
"""


def write(tmp_path, text: str, name: str = "multiclass_classification.md") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def line_of(text: str, needle: str) -> int:
    """The 1-based number of the first line of `text` that contains `needle`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


# -- the shipped content ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(PROBLEMS))
def test_every_problem_has_a_complete_content_file(key):
    path = os.path.join(RECOMMENDATIONS_DIR, f"{key}.md")
    assert os.path.isfile(path)
    rec = load_recommendation(path)
    assert rec == recommend(key)
    for f in fields(rec):
        value = getattr(rec, f.name)
        if f.name == "equivalent":
            assert all(value)  # optional: only where another form is the same choice
        else:
            assert value, (key, f.name)
            if isinstance(value, str):
                assert value == value.strip(), (key, f.name)
                assert "\n" not in value, (key, f.name)
    for text in (*rec.pitfalls, *(a.when for a in rec.alternatives)):
        assert text
        assert "\n" not in text


@pytest.mark.parametrize("key", SUPERVISED)
def test_a_recommendation_shows_its_losss_own_title_and_formula(key):
    rec = recommend(key)
    assert rec.loss_title == LOSSES[rec.loss].title
    assert rec.formula == LOSSES[rec.loss].formula


def test_the_richer_formulas_live_in_the_losses():
    assert LOSSES["poisson"].formula == "L = (1/n) Σᵢ (exp(zᵢ) − yᵢ·zᵢ),   λ̂ = exp(z)"
    assert "1/(1 + e⁻ᶻ)" in LOSSES["binary_cross_entropy"].formula
    # One notation across every loss: a mean over n samples, indexed by i.
    for loss in LOSSES.values():
        assert loss.formula.startswith(("L = (1/n) Σᵢ ", "L = −(1/n) Σᵢ ")), loss.name


def test_density_estimation_reads_its_title_and_formula_from_its_loss():
    rec = recommend("density_estimation")
    assert rec.loss == "gaussian_nll"
    assert (rec.loss_title, rec.formula) == (LOSSES[rec.loss].title, LOSSES[rec.loss].formula)


def test_the_question_file_is_the_question_path():
    # The first question in the file is asked first, and the file reaches every problem.
    assert FIRST_QUESTION == "target"
    assert list(QUESTIONS) == ["target", "outliers", "wide_range"]
    assert set(question_paths()) == set(PROBLEMS)
    assert walk(["real", "no", "yes"]) == "wide_range_regression"
    assert QUESTIONS["target"].answers[1].text == "a count (0, 1, 2, …)"


def test_importing_the_catalogue_stays_free_of_numpy():
    # `losstui --help` imports PROBLEMS; the losses (and numpy) are read only by recommend().
    code = (
        "import json, sys\n"
        "import losstui.core.problems as p\n"
        "before = 'numpy' in sys.modules\n"
        "p.recommend('regression')\n"
        "print(json.dumps([before, 'numpy' in sys.modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=os.getcwd()
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [False, True]


# -- reading a valid file --------------------------------------------------------------------------


def test_a_valid_file_reads_into_a_recommendation(tmp_path):
    rec = load_recommendation(write(tmp_path, VALID))
    assert rec.problem == "multiclass_classification"
    assert rec.loss == "categorical_cross_entropy"
    assert rec.loss_title == LOSSES["categorical_cross_entropy"].title
    assert rec.equivalent == ("sparse_categorical_cross_entropy", "kl_divergence")
    # Wrapped lines join with single spaces.
    assert rec.rationale == (
        "Assume the label is one categorical draw; −log of its likelihood is the cross-entropy."
    )
    assert [(a.loss, a.discouraged) for a in rec.alternatives] == [
        ("binary_cross_entropy", True),
        ("kl_divergence", False),
    ]
    assert rec.alternatives[0].when == ("A sigmoid per class answers a multi-label question.")
    assert rec.pitfalls == (
        "A softmax layer before the loss squashes the outputs twice.",
        "Softmax with per-class binary cross-entropy answers another question.",
    )


# -- malformed files: one line, the file, the line, the problem ------------------------------------

BROKEN = {
    "front matter never closed": (
        VALID.replace("---\n\n# Why (maximum", "\n# Why (maximum", 1),
        "---",
        "never closed",
    ),
    "front matter line without a colon": (
        VALID.replace("activation: softmax", "activation softmax"),
        "activation softmax",
        "expected `key: value`",
    ),
    "front matter key given twice": (
        VALID.replace("distribution: categorical", "distribution: categorical\nactivation: exp"),
        "activation: exp",
        "`activation` is given twice",
    ),
    "unknown front matter key": (
        VALID.replace("activation: softmax", "activaton: softmax"),
        "activaton",
        "unknown key `activaton`",
    ),
    "unknown loss": (
        VALID.replace("loss: categorical_cross_entropy", "loss: cross_entropi"),
        "cross_entropi",
        "unknown loss 'cross_entropi'",
    ),
    "unknown equivalent loss": (
        VALID.replace("kl_divergence\n---", "kl_divergense\n---"),
        "equivalent:",
        "unknown loss 'kl_divergense'",
    ),
    "title repeated from the loss": (
        VALID.replace("activation: softmax", "activation: softmax\ntitle: cross-entropy"),
        "title: cross-entropy",
        "unknown key `title` in the front matter",
    ),
    "no loss": (
        VALID.replace("loss: categorical_cross_entropy\n", ""),
        "---",
        "`loss` is missing",
    ),
    "text before the first heading": (
        VALID.replace("\n# Why (maximum", "Stray words.\n# Why (maximum"),
        "Stray words.",
        "text before the first # heading",
    ),
    "unknown section": (
        VALID.replace("# Keras", "# TensorFlow"),
        "# TensorFlow",
        "unknown section '# TensorFlow'",
    ),
    "section twice": (
        # The trailing space tells the second heading apart here; the reader strips it.
        VALID.replace("# Keras", "# PyTorch "),
        "# PyTorch ",
        "appears twice",
    ),
    "empty section": (
        VALID.replace("LogisticRegression.\n", ""),
        "# scikit-learn",
        "section '# scikit-learn' is empty",
    ),
    "two paragraphs where one is expected": (
        VALID.replace("Softmax makes K", "Softmax is the answer.\n\nSoftmax makes K"),
        "Softmax makes K",
        "must be one paragraph",
    ),
    "alternative heading not a loss": (
        VALID.replace("## kl_divergence", "## KL divergence"),
        "## KL divergence",
        "an alternative's heading is a loss key",
    ),
    "alternatives without subsections": (
        VALID.replace("## binary_cross_entropy (not recommended)\n", "").replace(
            "## kl_divergence\n", ""
        ),
        "A sigmoid",
        "text before the first ## heading",
    ),
    "pitfall that is not a list item": (
        VALID.replace("- Softmax with per-class", "Softmax with per-class"),
        "Softmax with per-class",
        "expected a list item starting with `- `",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_malformed_file_names_the_file_the_line_and_the_problem(tmp_path, case):
    text, needle, problem = BROKEN[case]
    path = write(tmp_path, text)
    with pytest.raises(ContentError) as info:
        load_recommendation(path)
    message = str(info.value)
    assert isinstance(info.value, ContentError)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line_of(text, needle)}: "), message
    assert problem in message


def test_a_missing_section_names_the_file_and_the_section(tmp_path):
    text = VALID.replace("# Keras\n\nkeras.losses.CategoricalCrossentropy(from_logits=True).\n", "")
    path = write(tmp_path, text)
    with pytest.raises(ContentError, match=r"section '# Keras' is missing") as info:
        load_recommendation(path)
    assert str(info.value).startswith(f"{path}: ")


def test_a_missing_or_undecodable_file_is_one_line(tmp_path):
    missing = str(tmp_path / "nope.md")
    with pytest.raises(ContentError, match=r"nope\.md: file not found$"):
        load_recommendation(missing)
    latin1 = tmp_path / "regression.md"
    latin1.write_bytes(VALID.replace("−log", "log").encode() + "caf\xe9\n".encode("latin-1"))
    with pytest.raises(ContentError, match=r"regression\.md: not UTF-8 text"):
        load_recommendation(str(latin1))


def test_a_stray_recommendation_file_is_an_error(tmp_path, monkeypatch):
    # A file whose name is not a problem (a typo) would otherwise be silently ignored.
    for key in PROBLEMS:
        src = os.path.join(RECOMMENDATIONS_DIR, f"{key}.md")
        with open(src, encoding="utf-8") as f:
            (tmp_path / f"{key}.md").write_text(f.read(), encoding="utf-8")
    (tmp_path / "regresion.md").write_text(VALID, encoding="utf-8")
    monkeypatch.setattr(problems, "RECOMMENDATIONS_DIR", str(tmp_path))
    with pytest.raises(ContentError, match=r"regresion\.md: no problem 'regresion'"):
        problems._recommendations.__wrapped__()


# -- the question file -----------------------------------------------------------------------------

QUESTIONS_TEXT = """\
# target

What is your
target?

- real: a real number -> next: outliers
- count: a count -> problem: count_regression

# outliers

Are there outliers?

- yes: yes, a few
  targets are far off -> problem: robust_regression
- no: no -> problem: regression
"""


def test_a_question_file_reads_into_the_path(tmp_path):
    questions = load_questions(write(tmp_path, QUESTIONS_TEXT, "questions.md"))
    assert list(questions) == ["target", "outliers"]
    assert questions["target"].text == "What is your target?"
    yes = questions["outliers"].answers[0]
    assert (yes.key, yes.text, yes.problem, yes.next) == (
        "yes",
        "yes, a few targets are far off",
        "robust_regression",
        None,
    )
    assert questions["target"].answers[0].next == "outliers"


BROKEN_QUESTIONS = {
    "answer without a destination": (
        QUESTIONS_TEXT.replace("a count -> problem: count_regression", "a count"),
        "- count: a count",
        "an answer is `- key: text -> next: question`",
    ),
    "unknown problem": (
        QUESTIONS_TEXT.replace("problem: regression", "problem: regresion"),
        "- no: no",
        "unknown problem 'regresion'",
    ),
    "unknown next question": (
        QUESTIONS_TEXT.replace("next: outliers", "next: outlier"),
        "- real:",
        "unknown question 'outlier'",
    ),
    "answer leads back": (
        QUESTIONS_TEXT.replace("problem: regression", "next: target"),
        "- no: no",
        "leads back to 'target'",
    ),
    "question never asked": (
        QUESTIONS_TEXT.replace("next: outliers", "problem: regression"),
        "# outliers",
        "question 'outliers' is never asked",
    ),
    "answer twice": (
        QUESTIONS_TEXT.replace("- count: a count", "- real: a count"),
        "- real: a count",
        "answer 'real' appears twice",
    ),
    "question without answers": (
        QUESTIONS_TEXT.replace(
            "- yes: yes, a few\n  targets are far off -> problem: robust_regression\n"
            "- no: no -> problem: regression\n",
            "",
        ),
        "# outliers",
        "question 'outliers' has no `- ` answers",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN_QUESTIONS))
def test_a_malformed_question_file_names_the_line(tmp_path, case):
    text, needle, problem = BROKEN_QUESTIONS[case]
    path = write(tmp_path, text, "questions.md")
    with pytest.raises(ContentError) as info:
        load_questions(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line_of(text, needle)}: "), message
    assert problem in message
    assert "\n" not in message


# -- the generic format, as lesson files will use it -----------------------------------------------


def test_a_lesson_shaped_file_splits_into_front_matter_steps_and_sections(tmp_path):
    text = (
        "\ufeff---\n"
        "title: Why not squared error?\n"
        "problem: binary_classification\n"
        "---\n"
        "# Step\n"
        "Train with squared error\n"
        "on a sigmoid.\n"
        "---\n"
        "# Step\n"
        "Now switch to binary cross-entropy.\n"
        "# Check\n"
        "The loss falls faster.\n"
    )
    doc = read_document(write(tmp_path, text, "lesson.md"))
    assert doc.meta == {"title": "Why not squared error?", "problem": "binary_classification"}
    steps = split_steps(doc.body)
    assert [s.start for s in steps] == [5, 9]
    first = split_sections(steps[0])
    assert [(s.title, s.line) for s in first] == [("Step", 5)]
    assert one_paragraph(first[0].body, "step") == "Train with squared error on a sigmoid."
    second = split_sections(steps[1])
    assert [(s.title, s.line) for s in second] == [("Step", 9), ("Check", 11)]


def test_front_matter_is_optional_and_errors_carry_the_source():
    doc = parse_document("# Only a heading\n\ntext\n", "inline.md")
    assert doc.meta == {}
    assert doc.body.start == 1
    with pytest.raises(ContentError, match=r"^inline\.md:3: "):
        parse_document("---\ntitle: x\ntitle\n---\n", "inline.md")
    with pytest.raises(ContentError, match=r"^inline\.md:1: `title` is missing"):
        parse_document("---\n---\n", "inline.md").require("title")
