"""Linear model and MLP with backpropagation (a model on zero inputs is a density's parameters)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

import numpy as np

from losstui.core.activations import HIDDEN_ACTIVATIONS
from losstui.core.numerics import Array, sigmoid

INITS = ("he", "xavier")
MODEL_KINDS = ("linear", "mlp")
HIDDEN_ACTIVATION_NAMES = tuple(HIDDEN_ACTIVATIONS)
#: The init a hidden activation starts with when none is asked for: He for ReLU (which zeroes
#: half its inputs, so the variance needs doubling), Xavier for the rest.
DEFAULT_INITS: dict[str, str] = {"relu": "he"}


def _init_weights(
    rng: np.random.Generator, fan_in: int, fan_out: int, init: str, scale: float = 1.0
) -> Array:
    """Gaussian weights: He σ = √(2/fan_in) (for ReLU), Xavier/Glorot σ = √(2/(fan_in+fan_out)),
    each σ times `scale` (above 1: a network that starts saturated and confident)."""
    if init == "he":
        std = math.sqrt(2.0 / fan_in)
    elif init == "xavier":
        std = math.sqrt(2.0 / (fan_in + fan_out))
    else:
        raise ValueError(f"unknown init {init!r}; allowed: {', '.join(INITS)}")
    return rng.normal(0.0, std * scale, size=(fan_in, fan_out))


class _FlatParams:
    """Parameters and gradients as views into one flat vector each.

    One flat vector lets the optimiser update every parameter with a couple of numpy calls, and
    lets a trainer snapshot or restore a model with one copy.
    """

    params: list[Array]
    grads: list[Array]
    flat_params: Array
    flat_grads: Array

    def _allocate(self, shapes: Sequence[tuple[int, ...]]) -> None:
        sizes = [math.prod(s) for s in shapes]
        self.flat_params = np.zeros(sum(sizes))
        self.flat_grads = np.zeros(sum(sizes))
        self.params, self.grads = [], []
        start = 0
        for shape, size in zip(shapes, sizes, strict=True):
            self.params.append(self.flat_params[start : start + size].reshape(shape))
            self.grads.append(self.flat_grads[start : start + size].reshape(shape))
            start += size

    @property
    def n_params(self) -> int:
        """Number of scalar parameters."""
        return int(self.flat_params.size)

    def get_state(self) -> Array:
        """A copy of all parameters as one flat vector."""
        state: Array = self.flat_params.copy()
        return state

    def set_state(self, state: Array) -> None:
        """Overwrite all parameters from a flat vector made by `get_state`."""
        self.flat_params[...] = state


class MLP(_FlatParams):
    """A multi-layer perceptron: hᵢ = f(hᵢ₋₁·Wᵢ + bᵢ) for the hidden layers, then a linear output
    layer whose result is the logits (n, n_out). The output activation belongs to the loss.

    `params` is [W₁ (n_in, h₁), b₁ (h₁,), …, W_L (h_{L−1}, n_out), b_L (n_out,)]; `backward`
    fills `grads`, aligned with `params`. Both are views into `flat_params` / `flat_grads` and
    are overwritten in place: copy them to keep them.
    """

    def __init__(
        self,
        n_in: int,
        hidden: Sequence[int] = (16,),
        n_out: int = 1,
        activation: str = "tanh",
        init: str | None = None,
        rng: np.random.Generator | None = None,
        init_scale: float = 1.0,
    ) -> None:
        hidden = tuple(int(h) for h in hidden)
        if not (math.isfinite(init_scale) and init_scale > 0):
            raise ValueError(f"init_scale must be a finite number > 0, got {init_scale!r}")
        if any(h < 1 for h in hidden) or n_in < 0 or n_out < 1:
            raise ValueError(
                f"layer sizes must be positive, got n_in={n_in}, hidden={hidden}, n_out={n_out}"
            )
        # Checks a name a user typed (a hidden layer's), not what an output means.
        if activation not in HIDDEN_ACTIVATION_NAMES:
            allowed = ", ".join(HIDDEN_ACTIVATION_NAMES)
            raise ValueError(f"unknown hidden activation {activation!r}; allowed: {allowed}")
        if init is None:
            init = DEFAULT_INITS.get(activation, "xavier")
        if init not in INITS:
            raise ValueError(f"unknown init {init!r}; allowed: {', '.join(INITS)}")
        rng = np.random.default_rng(0) if rng is None else rng
        self.n_in, self.hidden, self.n_out = int(n_in), hidden, int(n_out)
        self.activation, self.init = activation, init
        sizes = (self.n_in, *hidden, self.n_out)
        shapes: list[tuple[int, ...]] = []
        for a, b in itertools.pairwise(sizes):
            shapes += [(a, b), (b,)]
        self._allocate(shapes)
        self.weights = self.params[0::2]
        self.biases = self.params[1::2]
        self._gw = self.grads[0::2]
        self._gb = self.grads[1::2]
        for w in self.weights:
            w[...] = _init_weights(rng, w.shape[0], w.shape[1], init, init_scale)
        self._h: list[Array] = []

    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + 1)."""
        return len(self.weights)

    def forward(self, x: Array) -> Array:
        """Logits (n, n_out) for inputs x (n, n_in); caches what `backward` needs."""
        h = x
        hs = [x]
        last = len(self.weights) - 1
        act = self.activation
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            z = h @ w
            z += b
            if i < last:
                if act == "tanh":
                    np.tanh(z, out=z)
                elif act == "relu":
                    np.maximum(z, 0.0, out=z)
                elif act == "sigmoid":
                    z = sigmoid(z)
                hs.append(z)
            h = z
        self._h = hs
        return h

    __call__ = forward

    def backward(self, grad_logits: Array) -> list[Array]:
        """Parameter gradients ∂L/∂θ (aligned with `params`) from ∂L/∂logits (n, n_out), by the
        chain rule through the layers cached by the last `forward`."""
        hs = self._h
        g = grad_logits
        act = self.activation
        for i in range(len(self.weights) - 1, -1, -1):
            # np.dot and np.add.reduce with out= skip the Python wrappers of matmul and np.sum:
            # at these sizes the call overhead is most of the cost.
            np.dot(hs[i].T, g, out=self._gw[i])
            np.add.reduce(g, axis=0, out=self._gb[i])
            if i == 0:
                break
            g = g @ self.weights[i].T
            h = hs[i]
            # Each derivative is written through the layer's output h = f(z), which is cached.
            if act == "tanh":  # f′ = 1 − h²
                d = h * h
                np.subtract(1.0, d, out=d)
                g *= d
            elif act == "relu":  # f′ = 1 where h > 0
                g *= h > 0.0
            elif act == "sigmoid":  # f′ = h (1 − h)
                g *= h * (1.0 - h)
        return self.grads

    def describe(self) -> str:
        """The architecture in one line, e.g. "MLP 2-16-1 (tanh)"; "2 parameters" for a model on
        no inputs, whose output is its bias (a density's parameters)."""
        if self.n_in == 0 and not self.hidden:
            return f"{self.n_out} parameters"
        sizes = "-".join(str(s) for s in (self.n_in, *self.hidden, self.n_out))
        return f"MLP {sizes} ({self.activation})" if self.hidden else f"Linear {sizes}"


class Linear(MLP):
    """A linear model: logits = x·W + b, W (n_in, n_out), b (n_out,); `params` is [W, b]."""

    def __init__(
        self,
        n_in: int,
        n_out: int = 1,
        rng: np.random.Generator | None = None,
        init: str = "xavier",
        init_scale: float = 1.0,
    ) -> None:
        super().__init__(
            n_in, (), n_out, activation="linear", init=init, rng=rng, init_scale=init_scale
        )

    @property
    def W(self) -> Array:
        """Weights (n_in, n_out)."""
        return self.weights[0]

    @property
    def b(self) -> Array:
        """Biases (n_out,)."""
        return self.biases[0]

    def forward(self, x: Array) -> Array:
        """Logits x·W + b, shape (n, n_out)."""
        self._h = [x]
        z = x @ self.weights[0]
        z += self.biases[0]
        return z

    __call__ = forward

    def backward(self, grad_logits: Array) -> list[Array]:
        """[∂L/∂W = xᵀ·g, ∂L/∂b = Σₙ g] from g = ∂L/∂logits (n, n_out)."""
        np.dot(self._h[0].T, grad_logits, out=self._gw[0])
        np.add.reduce(grad_logits, axis=0, out=self._gb[0])
        return self.grads


def make_model(
    kind: str,
    n_in: int,
    n_out: int,
    rng: np.random.Generator | None = None,
    hidden: Sequence[int] = (16,),
    activation: str = "tanh",
    init: str | None = None,
    init_scale: float = 1.0,
) -> MLP:
    """A "linear" model or an "mlp" with the given hidden sizes and hidden activation; the
    initial weights' standard deviation is the init's times `init_scale`."""
    builders: dict[str, Callable[[], MLP]] = {
        "linear": lambda: Linear(
            n_in, n_out, rng=rng, init=init or "xavier", init_scale=init_scale
        ),
        "mlp": lambda: MLP(
            n_in, hidden, n_out, activation=activation, init=init, rng=rng, init_scale=init_scale
        ),
    }
    build = builders.get(kind)
    if build is None:
        raise ValueError(f"unknown model {kind!r}; allowed: {', '.join(MODEL_KINDS)}")
    return build()
