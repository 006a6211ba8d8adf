"""Entropy, cross-entropy, KL and JS: the worked example, properties and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from losstui.core.info import (
    cross_entropy,
    cross_entropy_rows,
    entropy,
    entropy_rows,
    js_divergence,
    kl_divergence,
    kl_rows,
)

P = [0.10, 0.40, 0.50]
Q = [0.80, 0.15, 0.05]


def test_worked_example_in_bits():
    assert round(entropy(P, base=2), 3) == 1.361
    assert round(cross_entropy(P, Q, base=2), 3) == 3.288
    assert round(cross_entropy(Q, P, base=2), 3) == 2.906
    assert round(kl_divergence(P, Q, base=2), 3) == 1.927
    assert round(kl_divergence(Q, P, base=2), 3) == 2.022


def test_worked_example_by_hand_in_nats():
    # −(0.1 ln 0.1 + 0.4 ln 0.4 + 0.5 ln 0.5)
    h = -(0.1 * math.log(0.1) + 0.4 * math.log(0.4) + 0.5 * math.log(0.5))
    ce = -(0.1 * math.log(0.8) + 0.4 * math.log(0.15) + 0.5 * math.log(0.05))
    assert entropy(P) == pytest.approx(h, rel=1e-14)
    assert cross_entropy(P, Q) == pytest.approx(ce, rel=1e-14)
    assert kl_divergence(P, Q) == pytest.approx(ce - h, rel=1e-14)


def test_zero_log_zero_is_zero_and_missing_support_is_infinite():
    assert entropy([1.0, 0.0]) == 0.0
    assert kl_divergence([0.5, 0.5, 0.0], [0.25, 0.25, 0.5]) == pytest.approx(math.log(2.0))
    assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert js_divergence([0.5, 0.5], [1.0, 0.0]) < math.log(2.0)


def test_js_is_symmetric_and_bounded_by_log_two():
    assert js_divergence(P, Q) == pytest.approx(js_divergence(Q, P), rel=1e-14)
    assert js_divergence([1.0, 0.0], [0.0, 1.0], base=2) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("p", "q", "message"),
    [
        ([0.5, 0.6], [0.5, 0.5], "p sums to 1.1, not 1"),
        ([1.2, -0.2], [0.5, 0.5], "p contains a negative probability"),
        ([0.5, 0.5], [0.2, 0.3, 0.5], "p has 2 outcomes but q has 3"),
        ([0.5, 0.5], [0.5, math.nan], "q contains a value that is not a finite number"),
        ([], [], "non-empty"),
    ],
)
def test_bad_distributions_say_what_is_wrong(p, q, message):
    with pytest.raises(ValueError, match=message):
        cross_entropy(p, q)


@pytest.mark.parametrize(
    ("p", "q", "message"),
    [
        ([[0.5, 0.5], [0.5, 0.6]], [[0.5, 0.5]] * 2, "row 1 of P sums to 1.1, not 1"),
        ([[0.5, 0.5]] * 2, [[1.2, -0.2], [0.5, 0.5]], "Q contains a negative probability"),
        ([[0.5, 0.5]] * 2, [[0.5, math.inf]] * 2, "Q contains a value that is not a finite"),
        ([[0.5, 0.5]] * 2, [[0.5, 0.5]] * 3, r"P has shape \(2, 2\) but Q has shape \(3, 2\)"),
        ([0.5, 0.5], [0.5, 0.5], r"P must have shape \(n, K\)"),
    ],
)
@pytest.mark.parametrize("measure", [cross_entropy_rows, kl_rows])
def test_bad_rows_say_what_is_wrong_as_single_distributions_do(measure, p, q, message):
    with pytest.raises(ValueError, match=message):
        measure(p, q)


def test_bad_base_is_refused():
    with pytest.raises(ValueError, match="base"):
        entropy(P, base=1)


@st.composite
def distribution_pairs(draw):
    k = draw(st.integers(min_value=1, max_value=6))
    weights = st.lists(st.floats(0.0, 10.0), min_size=k, max_size=k)
    p = np.array(draw(weights))
    q = np.array(draw(weights)) + 1e-3  # q > 0 everywhere keeps KL finite
    if p.sum() == 0:
        p[0] = 1.0
    return p / p.sum(), q / q.sum()


@given(distribution_pairs())
def test_information_identities(pq):
    p, q = pq
    assert kl_divergence(p, q) >= 0.0
    assert kl_divergence(p, p) == pytest.approx(0.0, abs=1e-12)
    assert cross_entropy(p, q) == pytest.approx(entropy(p) + kl_divergence(p, q), abs=1e-9)
    assert 0.0 <= js_divergence(p, q) <= math.log(2.0) + 1e-12
    assert entropy(p, base=2) == pytest.approx(entropy(p) / math.log(2.0), abs=1e-12)


@given(distribution_pairs())
def test_row_versions_agree_with_the_scalar_ones(pq):
    p, q = pq
    rows_p, rows_q = np.vstack([p, q]), np.vstack([q, q])
    np.testing.assert_allclose(entropy_rows(rows_p), [entropy(p), entropy(q)], atol=1e-12)
    np.testing.assert_allclose(
        cross_entropy_rows(rows_p, rows_q), [cross_entropy(p, q), entropy(q)], atol=1e-12
    )
    np.testing.assert_allclose(kl_rows(rows_p, rows_q), [kl_divergence(p, q), 0.0], atol=1e-12)
