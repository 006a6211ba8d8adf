"""Stable primitives and activations: values, extremes and derivatives."""

from __future__ import annotations

import math

import numpy as np
import pytest

from losstui.core.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from losstui.core.numerics import (
    log_sigmoid,
    log_softmax,
    logsumexp,
    safe_exp,
    sigmoid,
    softmax,
    softplus,
)

EXTREMES = np.array([-1e4, -710.0, -50.0, -1.0, 0.0, 1.0, 50.0, 710.0, 1e4])


def test_softplus_and_sigmoid_at_extremes():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        sp = softplus(EXTREMES)
        s = sigmoid(EXTREMES)
        ls = log_sigmoid(EXTREMES)
    assert sp[-1] == 1e4
    assert sp[0] == 0.0
    assert sp[4] == pytest.approx(math.log(2.0))
    assert s[0] == 0.0
    assert s[-1] == 1.0
    assert s[4] == 0.5
    assert ls[0] == -1e4
    assert ls[-1] == 0.0
    np.testing.assert_allclose(sigmoid([-1.0, 1.0]), [1 / (1 + math.e), 1 / (1 + math.exp(-1))])


def test_logsumexp_shifts_each_row_by_its_own_maximum():
    z = np.array([[1e4, 1e4], [0.0, 0.0], [-1e4, -1e4 + math.log(3.0)]])
    np.testing.assert_allclose(
        logsumexp(z, axis=1), [1e4 + math.log(2.0), math.log(2.0), -1e4 + math.log(4.0)]
    )
    # A global shift would turn the third row into log 0 = −∞.
    assert np.all(np.isfinite(log_softmax(z, axis=1)))
    np.testing.assert_allclose(np.exp(log_softmax(z, axis=1)).sum(axis=1), 1.0)
    np.testing.assert_allclose(softmax(z, axis=1), np.exp(log_softmax(z, axis=1)))


def test_logsumexp_of_an_all_minus_infinity_row_is_minus_infinity():
    assert logsumexp(np.array([-np.inf, -np.inf])) == -np.inf


def test_safe_exp_is_exp_below_fifty_and_continues_linearly_above():
    assert safe_exp(10.0) == pytest.approx(math.exp(10.0))
    with np.errstate(over="raise"):
        big = safe_exp(1e4)
    assert np.isfinite(big)
    assert big == pytest.approx(math.exp(50.0) * (1 + 1e4 - 50.0))


def numeric_derivative(f, z, h=1e-6):
    return (f(z + h) - f(z - h)) / (2 * h)


@pytest.mark.parametrize("name", sorted(set(ACTIVATIONS) - {"softmax"}))
def test_elementwise_derivatives_match_central_differences(name):
    act = ACTIVATIONS[name]
    z = np.random.default_rng(0).normal(size=(5, 3)) * 2
    z = np.where(np.abs(z) < 1e-3, 0.1, z)  # away from ReLU's kink
    np.testing.assert_allclose(act.derivative(z), numeric_derivative(act.forward, z), rtol=1e-6)
    g = np.random.default_rng(1).normal(size=z.shape)
    np.testing.assert_allclose(act.backward(z, g), g * act.derivative(z))


def test_softmax_backward_is_the_vector_jacobian_product():
    act = ACTIVATIONS["softmax"]
    rng = np.random.default_rng(2)
    z = rng.normal(size=(4, 3))
    g = rng.normal(size=(4, 3))
    numeric = np.zeros_like(z)
    for idx in np.ndindex(z.shape):
        zp, zm = z.copy(), z.copy()
        zp[idx] += 1e-6
        zm[idx] -= 1e-6
        numeric[idx] = (np.sum(g * act(zp)) - np.sum(g * act(zm))) / 2e-6
    np.testing.assert_allclose(act.backward(z, g), numeric, rtol=1e-6, atol=1e-9)
    with pytest.raises(ValueError, match="not element-wise"):
        act.derivative(z)


def test_registries_name_the_output_and_hidden_activations():
    assert set(OUTPUT_ACTIVATIONS) == {"linear", "sigmoid", "softmax", "exp"}
    assert set(HIDDEN_ACTIVATIONS) == {"tanh", "relu", "sigmoid", "linear"}
