"""Output links (core/links.py) and what the Task makes of them: predictions, decisions, Q."""

from __future__ import annotations

import math
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from losstui.core import links
from losstui.core.links import (
    CLIPPED_IDENTITY,
    DOUBLE_SOFTMAX,
    GAUSSIAN,
    GAUSSIAN_MIXTURE,
    IDENTITY,
    LINKS,
    LOG,
    LOG1P,
    LOG_SIGMA_MIN,
    SCORE,
    SIGMOID,
    SOFTMAX,
    Link,
    Softmax,
)
from losstui.core.losses import LOSSES
from losstui.core.numerics import safe_exp, sigmoid, softmax
from losstui.core.tasks import TASKS, check_pairing, get_task

# -- each link's inverse by hand -------------------------------------------------------------
HAND = [
    (IDENTITY, [[-2.0], [0.0], [3.5]], [[-2.0], [0.0], [3.5]]),
    (CLIPPED_IDENTITY, [[-2.0], [0.0], [3.5]], [[0.0], [0.0], [3.5]]),
    (LOG, [[0.0], [math.log(2.0)], [60.0]], [[1.0], [2.0], [math.exp(50.0) * 11.0]]),
    (LOG1P, [[0.0], [math.log(3.0)]], [[0.0], [2.0]]),
    (SCORE, [[-1.5], [0.0], [2.0]], [[-1.5], [0.0], [2.0]]),
    (SIGMOID, [[0.0], [math.log(3.0)], [-math.log(3.0)]], [[0.5], [0.75], [0.25]]),
    (SOFTMAX, [[0.0, math.log(2.0), math.log(3.0)]], [[1 / 6, 2 / 6, 3 / 6]]),
    (
        DOUBLE_SOFTMAX,
        [[0.0, math.log(2.0), math.log(3.0)]],
        [[math.exp(k / 6) / sum(math.exp(j / 6) for j in (1, 2, 3)) for k in (1, 2, 3)]],
    ),
    (GAUSSIAN, [[1.5, math.log(2.0)], [0.0, -20.0]], [[1.5, 2.0], [0.0, 0.001]]),
    (GAUSSIAN_MIXTURE, [[0.0, 1.0, 2.0, 0.0, math.log(3.0)]], [[0.5, 1.0, 2.0, 1.0, 3.0]]),
]


@pytest.mark.parametrize(("link", "z", "expected"), HAND, ids=lambda v: repr(v)[:30])
def test_each_links_inverse_matches_a_hand_computation(link, z, expected):
    z = np.array(z)
    out = link.inverse(z)
    assert out.dtype == np.float64
    assert out.shape == z.shape
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-15)
    assert out is not z  # a new array: a caller may write into it


def test_every_link_is_in_the_registry_and_tested_by_hand():
    assert {id(link) for link, _, _ in HAND} == {id(link) for link in LINKS.values()} - {
        id(links.FLOORED_EXP)  # σ's link, tested inside GAUSSIAN and GAUSSIAN_MIXTURE
    }


@pytest.mark.parametrize("key", LINKS)
def test_inverse_is_stable_for_huge_logits(key):
    link = LINKS[key]
    width = {"gaussian": 2, "gaussian_mixture": 5}.get(key, 3)
    z = np.array([[1e4] * width, [-1e4] * width, np.linspace(-1e4, 1e4, width)])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = link.inverse(z)
    assert out.dtype == np.float64
    assert np.all(np.isfinite(out))


@pytest.mark.parametrize(
    ("link", "y"),
    [
        (IDENTITY, [[-1.0, 2.0]]),
        (LOG, [[0.5, 7.0]]),
        (LOG1P, [[0.0, 9.0]]),
        (SIGMOID, [[0.1, 0.9]]),
        (SOFTMAX, [[0.2, 0.3, 0.5]]),
        (GAUSSIAN, [[1.0, 0.5]]),
        (GAUSSIAN_MIXTURE, [[0.3, -1.0, 1.0, 0.5, 2.0]]),
    ],
)
def test_link_and_inverse_undo_each_other(link, y):
    np.testing.assert_allclose(link.inverse(link.link(np.array(y))), y, rtol=1e-12)


# -- every loss: its link is its prediction, as predict computed it before links ---------------
#: What each loss's predict computed before it had a link (the formulas, written out again).
TODAY_PREDICT = {
    "mean_squared_error": lambda z: z,
    "mean_absolute_error": lambda z: z,
    "huber": lambda z: z,
    "mean_squared_logarithmic_error": lambda z: np.maximum(z, 0.0),
    "log_target_squared_error": lambda z: np.expm1(np.minimum(z, 700.0)),
    "poisson": safe_exp,
    "binary_cross_entropy": sigmoid,
    "sigmoid_mean_squared_error": sigmoid,
    "positive_only_cross_entropy": sigmoid,
    "hinge": lambda z: z,
    "squared_hinge": lambda z: z,
    "categorical_cross_entropy": lambda z: softmax(z, axis=-1),
    "sparse_categorical_cross_entropy": lambda z: softmax(z, axis=-1),
    "kl_divergence": lambda z: softmax(z, axis=-1),
    "double_softmax_cross_entropy": lambda z: softmax(softmax(z, axis=-1), axis=-1),
    "multilabel_softmax_cross_entropy": lambda z: softmax(z, axis=-1),
    "gaussian_nll": lambda z: np.stack(
        [z[..., 0], safe_exp(np.maximum(z[..., 1], LOG_SIGMA_MIN))], axis=-1
    ),
    "gaussian_mixture_nll": lambda z: np.concatenate(
        [sigmoid(z[..., :1]), z[..., 1:3], safe_exp(np.maximum(z[..., 3:5], LOG_SIGMA_MIN))],
        axis=-1,
    ),
}
#: The activation each loss is listed with (the CLI, the status line, the recommendation).
TODAY_ACTIVATION = {
    "log_target_squared_error": "exp",
    "poisson": "exp",
    "binary_cross_entropy": "sigmoid",
    "sigmoid_mean_squared_error": "sigmoid",
    "positive_only_cross_entropy": "sigmoid",
    "categorical_cross_entropy": "softmax",
    "sparse_categorical_cross_entropy": "softmax",
    "kl_divergence": "softmax",
    "double_softmax_cross_entropy": "softmax",
    "multilabel_softmax_cross_entropy": "softmax",
}
#: The logit at which one output switched to class 1 before links (softmax losses excepted:
#: a softmax's output is on when its share passes ½, whatever the logit).
TODAY_THRESHOLD = {
    "poisson": math.log(0.5),
    "binary_cross_entropy": 0.0,
    "sigmoid_mean_squared_error": 0.0,
    "positive_only_cross_entropy": 0.0,
    "hinge": 0.0,
    "squared_hinge": 0.0,
}


def _width(loss) -> int:
    return getattr(loss, "n_parameters", 0) or 3


def test_every_loss_has_a_reference_prediction():
    assert set(TODAY_PREDICT) == set(LOSSES)


@pytest.mark.parametrize("name", LOSSES)
def test_a_losss_prediction_is_its_links_inverse_and_unchanged(name):
    loss = LOSSES[name]
    assert isinstance(loss.link, Link)
    rng = np.random.default_rng(7)
    for scale in (1.0, 40.0, 1e4):
        z = rng.normal(0.0, scale, size=(9, _width(loss)))
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            predicted = loss.predict(z)
        assert np.array_equal(predicted, loss.link.inverse(z))
        assert np.array_equal(predicted, TODAY_PREDICT[name](z))


@pytest.mark.parametrize("name", LOSSES)
def test_a_losss_activation_and_threshold_are_its_links(name):
    loss = LOSSES[name]
    assert loss.activation == loss.link.name == TODAY_ACTIVATION.get(name, "linear")
    assert loss.logit_threshold == loss.link.threshold
    if not isinstance(loss.link, Softmax):
        assert loss.logit_threshold == TODAY_THRESHOLD.get(name, 0.5)
    assert loss.link.meaning
    assert loss.link.formula


def test_the_probability_cap_is_the_links():
    for loss in LOSSES.values():
        expected = math.e / (math.e + 2) if loss.link is DOUBLE_SOFTMAX else 1.0
        assert loss.cap(3) == pytest.approx(expected, rel=1e-15)


# -- decisions, against the rule each task kind used before ------------------------------------
def _today_classes(kind: str, loss, z):
    """`Trainer.classes_from_logits` as it was written before links."""
    if kind in ("multiclass", "soft_label"):
        return np.argmax(z, axis=1)
    threshold = TODAY_THRESHOLD.get(loss.name, 0.5)
    if kind == "binary":
        return (z[:, 0] > threshold).astype(np.int64)
    if loss.activation == "softmax":
        return (loss.predict(z) > 0.5).astype(np.float64)
    return (z > threshold).astype(np.float64)


CLASS_KINDS = [kind for kind, task in TASKS.items() if task.classes]
PAIRS = [
    (kind, name)
    for kind in CLASS_KINDS
    for name, loss in LOSSES.items()
    if check_pairing(loss, SimpleNamespace(kind=kind, nonnegative_targets=True)) is None
]


@pytest.mark.parametrize(("kind", "name"), PAIRS)
def test_decisions_are_todays(kind, name):
    loss, task = LOSSES[name], get_task(kind)
    width = 1 if kind == "binary" else 3
    rng = np.random.default_rng(3)
    # Logits near every threshold in use (0, 0.5, log 0.5) and far from them.
    z = np.concatenate(
        [
            rng.normal(0.0, 2.0, size=(200, width)),
            np.array([[0.0] * width, [0.5] * width, [math.log(0.5)] * width]),
        ]
    )
    decided = task.decide(loss.link, z)
    expected = _today_classes(kind, loss, z)
    assert decided.dtype == expected.dtype
    assert np.array_equal(decided, expected)


@pytest.mark.parametrize(("kind", "name"), PAIRS)
def test_q_sums_to_one_and_its_likeliest_outcome_is_the_decision(kind, name):
    loss, task = LOSSES[name], get_task(kind)
    width = 1 if kind == "binary" else 3
    z = np.random.default_rng(5).normal(0.0, 2.0, size=(300, width))
    q, log_q, reading = task.class_probabilities(loss.link, z)
    if reading is None:  # Q is the output itself: only a probability can be
        assert loss.link.probability
    np.testing.assert_allclose(q.sum(axis=-1), 1.0, rtol=1e-12)
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(np.exp(log_q), q, rtol=1e-12, atol=1e-300)
    decided = task.decide(loss.link, z)
    if loss.link is LOG1P and task.bernoulli:
        # The one exception kept as it was: eᶻ − 1 is read as Q(1), but the output switches
        # at z = 0.5 (every raw output's number), not at z = log 1.5 where Q(1) passes ½.
        z_band = (z > math.log(1.5)) & (z <= 0.5)
        keep = ~z_band.any(axis=1)
        q, decided = q[keep], decided[keep]
    if task.bernoulli:
        likeliest = np.argmax(q, axis=-1)
        on = decided if task.label_sets else decided[:, None]
        clear = np.abs(q[..., 1] - 0.5) > 1e-12  # a tie (Q = ½ clipped) decides either way
        assert np.array_equal(likeliest[clear], on.astype(int)[clear])
    else:
        top = np.sort(q[:, 0, :], axis=-1)
        clear = top[:, -1] - top[:, -2] > 1e-12
        assert np.array_equal(np.argmax(q[:, 0, :], axis=-1)[clear], decided[clear])


@pytest.mark.parametrize(
    ("kind", "name", "rule"),
    [
        ("binary", "binary_cross_entropy", "0.4<p<0.6"),
        ("binary", "hinge", "|z|<0.41"),
        ("binary", "mean_squared_error", "0.4<ŷ<0.6"),
        ("multilabel", "binary_cross_entropy", "a label's 0.4<p<0.6"),
        ("multilabel", "multilabel_softmax_cross_entropy", "a label's 0.4<p<0.6"),
        ("multiclass", "categorical_cross_entropy", "top p<0.6"),
        ("multiclass", "double_softmax_cross_entropy", "top p<0.6"),
        ("multiclass", "hinge", "top softmax(z)<0.6"),
        ("multiclass", "binary_cross_entropy", "top p/Σp<0.6"),
        ("soft_label", "poisson", "top ŷ/Σŷ<0.6"),
    ],
)
def test_blank_rules_are_todays(kind, name, rule):
    assert get_task(kind).blank_rule(LOSSES[name].link, 0.6) == rule


def test_margin_scores_are_read_through_a_sigmoid_and_a_softmax():
    z = np.array([[2.0, -1.0, 0.5]])
    q, _, reading = get_task("multilabel").class_probabilities(SCORE, z)
    np.testing.assert_allclose(q[..., 1], sigmoid(z))
    assert reading == "the score z read through a sigmoid, Q(1) = σ(z)"
    q, _, reading = get_task("multiclass").class_probabilities(SCORE, z)
    np.testing.assert_allclose(q[:, 0], softmax(z))
    assert reading == "the scores read through a softmax"


def test_a_double_softmax_says_its_cap():
    _, _, reading = get_task("multiclass").class_probabilities(DOUBLE_SOFTMAX, np.zeros((1, 3)))
    assert reading is not None
    assert "e/(e + 2)" in reading


# -- comparisons of kinds and activations stay in tasks.py and links.py ---------------------
COMPARISON = re.compile(
    r"\b(kind|activation)\s*(==|!=)|\b(kind|activation)\s+(not\s+)?in\s|isinstance\(.*(Loss|loss)"
)
#: At most this many outside core/tasks.py and core/links.py, each with a reason beside it.
MOST_COMPARISONS = 5


def _comparisons() -> list[str]:
    root = Path(__file__).resolve().parent.parent / "losstui"
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.relative_to(root).as_posix() in ("core/tasks.py", "core/links.py"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in COMPARISON.finditer(line):
                # `for title, kind in (...)`: a loop's target, not a comparison.
                if re.search(r"\bfor\b(?!.*\bif\b)", line[: match.start()]):
                    continue
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_kind_and_activation_comparisons_do_not_creep_back():
    found = _comparisons()
    assert len(found) <= MOST_COMPARISONS, "\n".join(found)
