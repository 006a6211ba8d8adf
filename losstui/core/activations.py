"""Output and hidden activations with their derivatives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from losstui.core.numerics import Array, as_float_array, safe_exp, safe_exp_derivative, sigmoid
from losstui.core.numerics import softmax as _softmax


@dataclass(frozen=True)
class Activation:
    """An activation a = f(z) applied to pre-activations z of shape (n, k).

    `derivative(z)` is f′(z) element by element; `backward(z, grad_out)` is the vector-Jacobian
    product ∂L/∂z given ∂L/∂a, which for softmax mixes the entries of a row.
    """

    name: str
    title: str
    formula: str
    _forward: Callable[[Array], Array]
    _derivative: Callable[[Array], Array] | None

    def forward(self, z: ArrayLike) -> Array:
        """f(z), same shape as z."""
        return self._forward(as_float_array(z))

    __call__ = forward

    def derivative(self, z: ArrayLike) -> Array:
        """f′(z) element by element, same shape as z (not defined for softmax)."""
        if self._derivative is None:
            raise ValueError(f"{self.name} is not element-wise; use backward(z, grad_out)")
        return self._derivative(as_float_array(z))

    def backward(self, z: ArrayLike, grad_out: ArrayLike) -> Array:
        """∂L/∂z from ∂L/∂a = grad_out; both of the shape of z."""
        z = as_float_array(z)
        g = as_float_array(grad_out)
        if self._derivative is None:  # softmax: ∂L/∂zᵢ = sᵢ (gᵢ − Σⱼ gⱼ sⱼ)
            s = _softmax(z, axis=-1)
            out: Array = s * (g - np.sum(g * s, axis=-1, keepdims=True))
            return out
        return g * self._derivative(z)


def _sigmoid_derivative(z: Array) -> Array:
    s = sigmoid(z)
    return s * (1.0 - s)


def _tanh_derivative(z: Array) -> Array:
    t = np.tanh(z)
    return 1.0 - t * t


LINEAR = Activation("linear", "Linear (identity)", "a = z", lambda z: z.copy(), np.ones_like)
SIGMOID = Activation("sigmoid", "Sigmoid", "a = 1 / (1 + e⁻ᶻ)", sigmoid, _sigmoid_derivative)
SOFTMAX = Activation(
    "softmax", "Softmax", "aₖ = eᶻᵏ / Σⱼ eᶻʲ", lambda z: _softmax(z, axis=-1), None
)
EXP = Activation("exp", "Exponential", "a = eᶻ", safe_exp, safe_exp_derivative)
TANH = Activation("tanh", "Tanh", "a = tanh z", np.tanh, _tanh_derivative)
RELU = Activation(
    "relu",
    "ReLU",
    "a = max(0, z)",
    lambda z: np.maximum(z, 0.0),
    lambda z: (z > 0.0).astype(np.float64),
)

#: Activations a loss can pair with on the output layer.
OUTPUT_ACTIVATIONS: dict[str, Activation] = {a.name: a for a in (LINEAR, SIGMOID, SOFTMAX, EXP)}
#: Activations for hidden layers of an MLP.
HIDDEN_ACTIVATIONS: dict[str, Activation] = {a.name: a for a in (TANH, RELU, SIGMOID, LINEAR)}
#: Every activation by name.
ACTIVATIONS: dict[str, Activation] = {**OUTPUT_ACTIVATIONS, **HIDDEN_ACTIVATIONS}
