"""Tests of the problem catalogue, recommend() and the guided question path."""

from __future__ import annotations

import pytest

from losstui.core import datasets
from losstui.core.losses import LOSSES
from losstui.core.problems import (
    FIRST_QUESTION,
    PROBLEMS,
    QUESTIONS,
    Question,
    get_problem,
    is_recommended,
    loss_verdict,
    question_paths,
    recommend,
    walk,
)

DESIGN_KEYS = [
    "regression",
    "robust_regression",
    "wide_range_regression",
    "count_regression",
    "binary_classification",
    "multiclass_classification",
    "multilabel_classification",
    "soft_label_classification",
    "density_estimation",
]
SUPERVISED = [k for k in DESIGN_KEYS if k != "density_estimation"]

# DESIGN.md's maximum-likelihood table: problem -> (distribution word, activation, loss).
TABLE = {
    "regression": ("Gaussian", "linear", "mean_squared_error"),
    "robust_regression": ("Laplace", "linear", "mean_absolute_error"),
    "wide_range_regression": ("log-normal", "linear", "mean_squared_logarithmic_error"),
    "count_regression": ("Poisson", "exp", "poisson"),
    "binary_classification": ("Bernoulli", "sigmoid", "binary_cross_entropy"),
    "multiclass_classification": ("categorical", "softmax", "categorical_cross_entropy"),
    "multilabel_classification": ("Bernoulli", "sigmoid", "binary_cross_entropy"),
    "soft_label_classification": ("categorical", "softmax", "kl_divergence"),
}


def test_catalogue_keys_are_those_of_design():
    assert list(PROBLEMS) == DESIGN_KEYS
    for key, problem in PROBLEMS.items():
        assert problem.key == key
        assert problem.title
        assert problem.summary
        assert problem.target
        assert "\n" not in problem.summary
        assert problem.default_dataset in problem.datasets


@pytest.mark.parametrize("key", SUPERVISED)
def test_recommendation_is_a_loss_with_its_own_activation(key):
    rec = recommend(key)
    assert rec.problem == key
    assert rec.loss in LOSSES
    assert rec.activation == LOSSES[rec.loss].activation
    for other in rec.equivalent:
        assert other in LOSSES
        assert LOSSES[other].activation == rec.activation
    distribution, activation, loss = TABLE[key]
    assert (rec.loss, rec.activation) == (loss, activation)
    assert distribution in rec.distribution


def test_density_estimation_is_negative_log_likelihood():
    rec = recommend("density_estimation")
    assert rec.loss == "gaussian_nll"
    assert "GaussianMixture" in rec.sklearn
    assert is_recommended("density_estimation", "gaussian_nll")
    assert not is_recommended("density_estimation", "mean_squared_error")


@pytest.mark.parametrize("key", DESIGN_KEYS)
def test_recommendation_explains_itself(key):
    rec = recommend(key)
    # The maximum-likelihood path: a distribution, its likelihood, −log, the loss.
    assert "likelihood" in rec.rationale
    assert "−log" in rec.rationale
    assert "\n" not in rec.rationale
    assert rec.formula.startswith("L = ")
    assert rec.activation_reason
    for text in (rec.pytorch, rec.keras, rec.sklearn):
        assert text.strip()
    for alt in rec.alternatives:
        assert alt.loss in LOSSES
        assert alt.loss != rec.loss
        assert alt.when.strip()
        # The standing is said by its group heading, so the text does not repeat it.
        assert not alt.when.lower().startswith(("not recommended", "kept as a lesson"))
        verdict = loss_verdict(key, alt.loss)
        if alt.loss in rec.equivalent:  # the same choice in another form
            assert verdict.standing.value == "recommended"
            assert not alt.discouraged
            continue
        assert verdict.reason == alt.when
        assert verdict.standing.value == (
            "not recommended" if alt.discouraged else "reasonable alternative"
        )


def test_framework_names_use_the_fused_logit_forms():
    binary = recommend("binary_classification")
    assert "nn.BCEWithLogitsLoss()" in binary.pytorch
    assert "BinaryCrossentropy(from_logits=True)" in binary.keras
    assert "LogisticRegression" in binary.sklearn
    assert "log_loss" in binary.sklearn
    multiclass = recommend("multiclass_classification")
    assert "nn.CrossEntropyLoss()" in multiclass.pytorch
    assert "from_logits=True" in multiclass.keras
    assert "nn.PoissonNLLLoss(log_input=True)" in recommend("count_regression").pytorch
    assert "PoissonRegressor" in recommend("count_regression").sklearn
    assert "HuberRegressor" in recommend("robust_regression").sklearn
    assert 'reduction="batchmean"' in recommend("soft_label_classification").pytorch


def test_known_traps_are_shown():
    binary = recommend("binary_classification")
    alternatives = {a.loss: a for a in binary.alternatives}
    assert {"hinge", "squared_hinge"} <= set(alternatives)
    assert alternatives["mean_squared_error"].discouraged
    assert any("(1 − y)" in p for p in binary.pitfalls)
    assert any("saturates" in p for p in binary.pitfalls)
    assert any("diverges" in p for p in recommend("regression").pitfalls)
    robust = {a.loss for a in recommend("robust_regression").alternatives}
    assert "huber" in robust
    assert any("softmax" in p.lower() for p in recommend("multiclass_classification").pitfalls)


def test_is_recommended_accepts_equivalent_forms():
    assert is_recommended("multiclass_classification", "categorical_cross_entropy")
    assert is_recommended("multiclass_classification", "sparse_categorical_cross_entropy")
    assert is_recommended("soft_label_classification", "categorical_cross_entropy")
    assert not is_recommended("binary_classification", "mean_squared_error")


@pytest.mark.parametrize("bad", ["nope", "", None, "Regression"])
def test_unknown_problem_lists_the_allowed_keys(bad):
    with pytest.raises(ValueError, match="unknown problem") as info:
        recommend(bad)
    assert "binary_classification" in str(info.value)
    with pytest.raises(ValueError, match="unknown problem"):
        get_problem(bad)


def test_question_path_reaches_every_problem():
    paths = question_paths()
    assert set(paths) == set(PROBLEMS)
    for key, path in paths.items():
        assert walk(path) == key


def test_question_path_follows_the_design():
    assert QUESTIONS[FIRST_QUESTION].text == "What is your target?"
    assert walk(["real", "yes"]) == "robust_regression"
    assert walk(["real", "no", "yes"]) == "wide_range_regression"
    assert walk(["real", "no", "no"]) == "regression"
    assert walk(["count"]) == "count_regression"
    assert walk(["samples"]) == "density_estimation"
    # Indices work as well as keys.
    assert walk([0, 1, 1]) == "regression"


def test_walk_stops_at_an_unanswered_question():
    first = walk([])
    assert isinstance(first, Question)
    assert first.key == FIRST_QUESTION
    follow_up = walk(["real"])
    assert isinstance(follow_up, Question)
    assert follow_up.text == "Are there gross outliers?"
    assert walk(["real", "no"]).text == "Does it span orders of magnitude (always positive)?"


@pytest.mark.parametrize("choices", [["maybe"], [99], [-1], ["binary", "yes"], ["real", True]])
def test_walk_rejects_bad_choices(choices):
    with pytest.raises(ValueError, match=r"no answer|left over"):
        walk(choices)


def test_every_answer_leads_somewhere():
    for question in QUESTIONS.values():
        assert question.answers
        for answer in question.answers:
            assert (answer.next is None) != (answer.problem is None)
            assert answer.next is None or answer.next in QUESTIONS
            assert answer.problem is None or answer.problem in PROBLEMS


def test_datasets_exist_and_fit_their_problem():
    for problem in PROBLEMS.values():
        for name in problem.datasets:
            assert name in datasets.DATASETS, (problem.key, name)
            assert datasets.DATASETS[name].kind == problem.kind, (problem.key, name)


@pytest.mark.parametrize("key", DESIGN_KEYS)
def test_recommended_and_alternative_losses_can_run_on_the_default_dataset(key):
    problem = PROBLEMS[key]
    rec = recommend(key)
    data = datasets.make_dataset(problem.default_dataset, seed=0)
    loss = rec.loss
    assert datasets.check_pairing(loss, data) is None
    for alt in (*rec.alternatives, *(a for a in rec.equivalent)):
        name = alt if isinstance(alt, str) else alt.loss
        assert datasets.check_pairing(name, data) is None, (key, name)
