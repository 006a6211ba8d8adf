"""Stochastic gradient descent with classical (heavy-ball) momentum and L2 weight decay."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from losstui.core.numerics import Array
from losstui.core.settings import SETTINGS


def check_hyperparameters(lr: float, momentum: float, weight_decay: float) -> None:
    """SettingError (a ValueError) naming the first bad value, with the schema's bounds:
    0 < lr ≤ 1e9, 0 ≤ momentum < 1, weight_decay ≥ 0."""
    for key, value in (("lr", lr), ("momentum", momentum), ("weight_decay", weight_decay)):
        SETTINGS[key].check(value)


class SGD:
    """Updates parameters in place from their gradients g, as PyTorch's SGD does:

    g ← g + λ·θ (weight decay λ)     v ← μ·v + g (momentum μ)     θ ← θ − η·v (learning rate η)

    With μ = 0 this is plain SGD, θ ← θ − η·g. The velocity v starts at zero.
    """

    def __init__(
        self,
        params: Sequence[Array],
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        check_hyperparameters(lr, momentum, weight_decay)
        self.params = list(params)
        self.lr = float(lr)
        self.momentum = float(momentum)
        self.weight_decay = float(weight_decay)
        self.velocity = [np.zeros_like(p) for p in self.params]

    def step(self, grads: Sequence[Array]) -> None:
        """One update of every parameter from `grads` (aligned with `params`; left unchanged)."""
        lr, mu, wd = self.lr, self.momentum, self.weight_decay
        if not mu and not wd:  # plain SGD, the common case in the hot loop
            for p, g in zip(self.params, grads, strict=True):
                p -= lr * g
            return
        for p, g, v in zip(self.params, grads, self.velocity, strict=True):
            if wd:
                g = g + wd * p
            if mu:
                v *= mu
                v += g
                g = v
            p -= lr * g

    def reset(self) -> None:
        """Forget the velocity (as at construction)."""
        for v in self.velocity:
            v.fill(0.0)
