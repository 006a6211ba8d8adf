"""The work cap's estimate against the real run: for each configuration, in a fresh process
pinned to one BLAS thread, the seconds to make the data, one SGD step and one evaluation, and
the peak resident memory, each beside `losstui.core.work.run_cost`'s figure.

    python benchmarks/work_cap.py           # the table in benchmarks/README.md, "The work cap"
    python benchmarks/work_cap.py --quick   # the three smallest rows
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

#: (problem, changes): the app's defaults, the sizes the cap is about, and the issue's cases
#: scaled to run within a minute.
CASES: list[tuple[str, dict[str, object]]] = [
    ("regression", {}),
    ("binary_classification", {"model": "mlp", "hidden": (64,)}),
    ("binary_classification", {"model": "mlp", "hidden": (256, 256)}),
    ("binary_classification", {"model": "mlp", "hidden": (1024,) * 4}),
    ("binary_classification", {"model": "mlp", "hidden": (1024,) * 4, "batch_size": 1}),
    ("regression", {"dataset": "linear20", "n_samples": 1_000_000}),
    ("regression", {"model": "mlp", "hidden": (1024,), "n_samples": 60_000, "batch_size": 40_000}),
    ("regression", {"dataset": "linear20", "model": "mlp", "hidden": (256,), "n_samples": 50_000}),
]

#: Run in the child: measure one configuration, print one JSON line.
CHILD = """
import json, resource, sys, time
from losstui.core.datasets import make_dataset
from losstui.core.trainer import TrainConfig, Trainer
from losstui.core.work import run_cost
problem, changes = json.loads(sys.argv[1])
changes = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
config = TrainConfig.default_for(problem).replace(**changes)
cost = run_cost(config)
start = time.perf_counter()
data = make_dataset(config.dataset, config.seed, config.n_samples)
made = time.perf_counter()
trainer = Trainer(config, data)  # step 0's record: one evaluation
ready = time.perf_counter()
steps = max(1, min(200, int(0.5 / max(cost.step_seconds, 1e-6))))
best = float("inf")
for _ in range(3):
    t = time.perf_counter()
    trainer.step(steps)
    best = min(best, (time.perf_counter() - t) / steps)
t = time.perf_counter()
trainer._evaluate()
evaluation = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({
    "data": [made - start, cost.data_seconds],
    "step": [best, cost.step_seconds],
    "eval": [evaluation, cost.record_seconds],
    "start": [ready - start, cost.start_seconds],
    "peak": [peak, cost.peak_bytes],
}))
"""


def describe(problem: str, changes: dict[str, object]) -> str:
    words = [problem] + [
        f"{k}={','.join(map(str, v)) if isinstance(v, tuple) else v}" for k, v in changes.items()
    ]
    return " ".join(words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the three smallest rows")
    args = parser.parse_args()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    print("| run | data s | step ms | eval s | start s | peak MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for problem, changes in CASES[:3] if args.quick else CASES:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, json.dumps([problem, changes])],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        got = json.loads(out)
        cells = [
            f"{got['data'][0]:.2f} ({got['data'][1]:.2f})",
            f"{got['step'][0] * 1e3:.2f} ({got['step'][1] * 1e3:.2f})",
            f"{got['eval'][0]:.3f} ({got['eval'][1]:.3f})",
            f"{got['start'][0]:.2f} ({got['start'][1]:.2f})",
            f"{got['peak'][0] / 1e6:,.0f} ({got['peak'][1] / 1e6:,.0f})",
        ]
        print(f"| `{describe(problem, changes)}` | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
