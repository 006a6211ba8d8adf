"""SGD steps per second through the real Trainer, against a minimal hand-written numpy loop."""

from __future__ import annotations

import os

# One BLAS thread, set before numpy is imported: the figures are per core, and at these sizes
# extra threads only add scheduling noise.
for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import itertools  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402

from losstui.core.trainer import TrainConfig, Trainer  # noqa: E402

CASES: dict[str, dict] = {
    "logistic regression 2-1, batch 32": {
        "problem": "binary_classification",
        "dataset": "two_blobs",
        "loss": "binary_cross_entropy",
        "model": "linear",
        "batch_size": 32,
    },
    "MLP 2-16-1 tanh, sigmoid out, batch 32": {
        "problem": "binary_classification",
        "dataset": "moons",
        "loss": "binary_cross_entropy",
        "model": "mlp",
        "hidden": (16,),
        "batch_size": 32,
    },
    "MLP 2-64-64-3 tanh, softmax out, batch 128": {
        "problem": "multiclass_classification",
        "dataset": "spiral3",
        "loss": "sparse_categorical_cross_entropy",
        "model": "mlp",
        "hidden": (64, 64),
        "batch_size": 128,
    },
}


def hand_loop(config: TrainConfig, trainer: Trainer) -> Callable[[int], None]:
    """A minimal numpy loop for the same data, architecture, batch size and optimiser: a shuffle
    per epoch, forward, backward and update; no evaluation, no checks, no abstractions."""
    ds = trainer.dataset
    x = np.ascontiguousarray(ds.x_train)
    softmax_out = config.loss == "sparse_categorical_cross_entropy"
    y = ds.y_train.astype(np.intp) if softmax_out else ds.y_train
    n = x.shape[0]
    rng = np.random.default_rng(123)
    hidden = config.hidden if config.model == "mlp" else ()
    sizes = (x.shape[1], *hidden, trainer.n_outputs)
    ws = [rng.normal(0, np.sqrt(2 / (a + b)), (a, b)) for a, b in itertools.pairwise(sizes)]
    bs_ = [np.zeros(b) for b in sizes[1:]]
    params = [p for pair in zip(ws, bs_, strict=True) for p in pair]
    vel = [np.zeros_like(p) for p in params]
    lr, mu, bs = config.lr, config.momentum, config.batch_size
    state = {"pos": n, "xs": x, "ys": y}

    def run(steps: int) -> None:
        pos, xs, ys = state["pos"], state["xs"], state["ys"]
        for _ in range(steps):
            if pos >= n:
                order = rng.permutation(n)
                xs, ys, pos = x[order], y[order], 0
            xb, yb = xs[pos : pos + bs], ys[pos : pos + bs]
            pos += bs
            hs = [xb]
            h = xb
            for i in range(len(ws) - 1):
                h = np.tanh(h @ ws[i] + bs_[i])
                hs.append(h)
            z = h @ ws[-1] + bs_[-1]
            m = len(xb)
            if softmax_out:
                e = np.exp(z - z.max(axis=1, keepdims=True))
                g = e / e.sum(axis=1, keepdims=True)
                g[np.arange(m), yb] -= 1.0
                g /= m
            else:
                g = (1.0 / (1.0 + np.exp(-z)) - yb) / m
            grads = []
            for i in range(len(ws) - 1, -1, -1):
                grads.append(g.sum(axis=0))
                grads.append(hs[i].T @ g)
                if i:
                    g = (g @ ws[i].T) * (1.0 - hs[i] * hs[i])
            grads.reverse()
            for p, gp, v in zip(params, grads, vel, strict=True):
                if mu:
                    v *= mu
                    v += gp
                    gp = v
                p -= lr * gp
        state.update(pos=pos, xs=xs, ys=ys)

    return run


def through_trainer(trainer: Trainer) -> Callable[[int], None]:
    """`trainer.step(k)`, failing loudly if the run diverges (the figures would mean nothing)."""

    def run(steps: int) -> None:
        if trainer.step(steps) < steps:
            raise RuntimeError(f"the benchmark run diverged: {trainer.divergence_reason}")

    return run


def rate(run: Callable[[int], None], seconds: float) -> float:
    """Steps per second of `run(k)`: the best of timed chunks of about 0.2 s after a warm-up."""
    run(200)
    best, chunk = 0.0, 500
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        t0 = time.perf_counter()
        run(chunk)
        dt = time.perf_counter() - t0
        best = max(best, chunk / dt)
        chunk = max(100, int(chunk * min(4.0, 0.2 / dt)))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    parser.add_argument(
        "--momentum",
        type=float,
        action="append",
        help="SGD momentum for both loops (repeatable; default: 0 and 0.9)",
    )
    args = parser.parse_args()
    print(
        f"numpy {np.__version__}, Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, one BLAS thread, float64, learning rate 0.05"
    )
    print(f"{'case':44s} {'momentum':>8s} {'Trainer':>9s} {'hand loop':>9s} {'ratio':>6s}")
    for momentum in args.momentum or [0.0, 0.9]:
        for name, settings in CASES.items():
            config = TrainConfig(lr=0.05, momentum=momentum, **settings)
            trainer = Trainer(config)
            r_trainer = rate(through_trainer(trainer), args.seconds)
            r_hand = rate(hand_loop(config, trainer), args.seconds)
            print(
                f"{name:44s} {momentum:8g} {r_trainer:9,.0f} {r_hand:9,.0f} "
                f"{r_trainer / r_hand:6.2f}"
            )


if __name__ == "__main__":
    main()
