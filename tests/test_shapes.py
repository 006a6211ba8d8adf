"""Loss shapes: every plotted value is the loss object's own, the gradients are ∂ℓ/∂z (checked
against finite differences and by hand), and a run's examples sit where the text says they do."""

from __future__ import annotations

import math

import numpy as np
import pytest

from losstui.core.losses import LOSSES
from losstui.core.shapes import (
    CLASSES,
    SHAPED,
    ShapeError,
    loss_shapes,
    losses_of,
    rug,
    span_for,
)
from losstui.core.state import AppState
from losstui.core.tasks import encode_targets
from tests.lesson_helpers import SEED_OFFSETS

#: Each problem with the targets a student may pick, and the probability axis where it exists.
CASES = [
    *((p, None, False) for p in SHAPED),
    ("regression", 2.5, False),
    ("wide_range_regression", 100.0, False),
    ("count_regression", 0.0, False),
    ("count_regression", 7.0, False),
    ("binary_classification", 0.0, False),
    ("binary_classification", 1.0, True),
    ("binary_classification", 0.0, True),
    ("multiclass_classification", 2.0, False),
]


def _example(shapes, key: str, i: int) -> tuple[np.ndarray, np.ndarray, int]:
    """The one example behind point i of a curve, built by hand: (y, z, the column of z)."""
    loss, x, y = LOSSES[key], shapes.x[i], shapes.target
    if shapes.axis == "true_logit":
        z = np.zeros((1, CLASSES))
        z[0, int(y)] = x
        return encode_targets(loss, "multiclass", np.array([int(y)]), CLASSES), z, int(y)
    kind = {"residual": "regression", "rate": "count"}.get(shapes.axis, "binary")
    targets = encode_targets(loss, kind, np.array([[y]]))
    if shapes.axis == "margin":
        z = loss.link.threshold + (2 * y - 1) * x
    elif shapes.axis == "probability":
        z = math.log(x / (1 - x)) if loss.link.probability else x  # σ⁻¹(p), or p itself
    else:
        prediction = y + x if shapes.axis == "residual" else x
        z = float(loss.link.link(np.array([prediction]))[0])
    return targets, np.array([[z]]), 0


@pytest.mark.parametrize(("problem", "target", "probability"), CASES)
def test_every_plotted_value_is_the_losss_own_on_that_one_example(problem, target, probability):
    shapes = loss_shapes(problem, target, probability=probability, points=41)
    assert shapes.curves
    for curve in shapes.curves:
        loss = LOSSES[curve.loss]
        drawn = np.isfinite(curve.values)
        assert drawn.mean() > 0.5, curve.loss
        for i in np.flatnonzero(drawn):
            y, z, column = _example(shapes, curve.loss, i)
            value = loss(y, z) + np.sum(loss.dropped_constant(y) if curve.recorded_as else 0.0)
            assert curve.values[i] == pytest.approx(value, rel=1e-12, abs=1e-12)
            assert curve.gradient[i] == pytest.approx(loss.gradient(y, z)[0, column], abs=1e-12)


@pytest.mark.parametrize(("problem", "target", "probability"), CASES)
def test_each_gradient_is_the_slope_of_its_loss_in_the_raw_output(problem, target, probability):
    shapes = loss_shapes(problem, target, probability=probability, points=41)
    h = 1e-6
    for curve in shapes.curves:
        loss = LOSSES[curve.loss]
        for i in np.flatnonzero(np.isfinite(curve.values)):
            y, z, column = _example(shapes, curve.loss, i)
            step = np.zeros_like(z)
            step[0, column] = h
            # A kink (hinge at margin 1, |r| at 0) has no slope: the gradient jumps across it.
            sides = [loss.gradient(y, z + s * step)[0, column] for s in (-2, 2)]
            if abs(sides[0] - sides[1]) > 1e-4 + 1e-3 * abs(sides[0]):
                continue
            slope = (loss(y, z + step) - loss(y, z - step)) / (2 * h)
            assert curve.gradient[i] == pytest.approx(slope, rel=1e-5, abs=1e-6), curve.loss


def _at(shapes, key: str, x: float) -> tuple[float, float]:
    curve = next(c for c in shapes.curves if c.loss == key)
    i = int(np.argmin(np.abs(shapes.x - x)))
    assert shapes.x[i] == pytest.approx(x)
    return curve.values[i], curve.gradient[i]


def test_the_values_a_student_reads_match_a_hand_computation():
    regression = loss_shapes("regression", 0.0, points=121)  # residuals −3 … 3 by 0.05
    assert _at(regression, "mean_squared_error", 3.0) == pytest.approx((9.0, 6.0))
    assert _at(regression, "mean_absolute_error", -2.0) == pytest.approx((2.0, -1.0))
    # Huber, δ = 1: δ·(|r| − δ/2) beyond δ, r²/2 within.
    assert _at(regression, "huber", 3.0) == pytest.approx((2.5, 1.0))
    assert _at(regression, "huber", 0.5) == pytest.approx((0.125, 0.5))
    binary = loss_shapes("binary_classification", 1.0, points=81)  # margins −4 … 4 by 0.1
    # At margin 0, p = ½: log loss ln 2 with gradient p − y = −½; squared error through a
    # sigmoid (p − y)² = ¼ with gradient 2(p − y)·p·(1 − p) = −¼.
    assert _at(binary, "binary_cross_entropy", 0.0) == pytest.approx((math.log(2), -0.5))
    assert _at(binary, "sigmoid_mean_squared_error", 0.0) == pytest.approx((0.25, -0.25))
    assert _at(binary, "hinge", -1.0) == pytest.approx((2.0, -1.0))  # max(0, 1 − m)
    assert _at(binary, "hinge", 2.0) == pytest.approx((0.0, 0.0))
    # Counts, y = 3, at λ = 3: the full NLL λ − y·ln λ + ln y!, gradient in z = ln λ: λ − y = 0.
    counts = loss_shapes("count_regression", 3.0, span=6.0, points=120)  # λ = 0.05 … 6
    value, gradient = _at(counts, "poisson", 3.0)
    assert value == pytest.approx(3 - 3 * math.log(3) + math.log(6))
    assert gradient == pytest.approx(0.0, abs=1e-12)
    # Three classes, the true one's logit 0 and the others 0: −ln ⅓ and p − 1 = −⅔.
    several = loss_shapes("multiclass_classification", 0.0, points=81)
    value, gradient = _at(several, "categorical_cross_entropy", 0.0)
    assert (value, gradient) == pytest.approx((math.log(3), -2 / 3))


def test_each_loss_is_labelled_by_what_it_is_to_the_problem():
    roles = dict(losses_of("binary_classification"))
    assert roles["binary_cross_entropy"] == "recommended"
    assert roles["hinge"] == "alternative"
    assert roles["mean_squared_error"] == "discouraged"
    assert roles["sigmoid_mean_squared_error"] == "trap"
    # A softmax over one label, and a margin read as a probability, are left out, saying why.
    multilabel = loss_shapes("multilabel_classification")
    assert [title for title, _ in multilabel.left_out] == ["Softmax over the labels (a trap)"]
    probability = loss_shapes("binary_classification", probability=True)
    assert {c.loss for c in probability.curves}.isdisjoint({"hinge", "squared_hinge"})
    assert all(why == "a margin score is no probability" for _, why in probability.left_out)


@pytest.mark.parametrize(
    ("problem", "target", "message"),
    [
        ("binary_classification", 2.0, "is a class, 0 or 1, got 2"),
        ("multiclass_classification", 3.0, "is a class from 0 to 2, got 3"),
        ("count_regression", 2.5, "is a count (0, 1, 2, ...), got 2.5"),
        ("wide_range_regression", -1.0, "is a positive number, got -1"),
        ("regression", math.inf, "must be a finite number"),
        ("density_estimation", None, "has no loss shapes"),
        ("weather", None, "unknown problem 'weather'"),
    ],
)
def test_a_target_an_example_cannot_have_is_refused_naming_what_is_allowed(
    problem, target, message
):
    with pytest.raises(ShapeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        loss_shapes(problem, target)


@pytest.mark.claim
@pytest.mark.parametrize("offset", SEED_OFFSETS)
def test_in_the_saturated_start_the_examples_sit_where_squared_errors_gradient_is_flat(offset):
    """The saturated_start preset: most validation examples sit on the sigmoid's tails, where
    squared error's gradient through the sigmoid is nearly 0 and log loss's is not (for a wrong
    example |p − y| > ½). The axis reaches far enough to show them all."""
    state = AppState()
    state.apply_preset("saturated_start")
    state.set("seed", str(offset))
    positions = rug(state.run, loss_shapes("binary_classification"))
    span = span_for(positions, "margin")
    shapes = loss_shapes("binary_classification", span=span)
    assert (np.abs(positions) <= span).mean() >= 0.95
    # "Most sit beyond a margin of ±4" (the README): 72% to 95% at offsets 0-4.
    assert (np.abs(positions) > 4).mean() > 0.6
    flat = {}
    for key in ("sigmoid_mean_squared_error", "binary_cross_entropy"):
        curve = next(c for c in shapes.curves if c.loss == key)
        flat[key] = np.abs(np.interp(positions, shapes.x, curve.gradient)) < 0.01
    # Measured at offsets 0-4: 71% to 95% of the 150 examples where squared error's gradient
    # is below 0.01; log loss's is flat only on the right side, never on a wrong example.
    assert flat["sigmoid_mean_squared_error"].mean() > 0.6
    wrong = positions < 0
    assert not flat["binary_cross_entropy"][wrong].any()
    assert flat["sigmoid_mean_squared_error"][wrong].mean() > 0.5
