"""Measures a race's clock: the app state stepping four runs together against four bare Trainers
stepped in turn, the machine's floor for the same work.

Both sides train the same four configurations (a race of learning rates on a problem's default
model, the stop rule off, so no run stops) for the same wall time, in alternating rounds; the
figure is clock steps per second × 4 (run-steps per second) on each side, and their ratio. The
state steps through `AppState.step_for`, the path fast-forward takes in the app (its chunks of
FAST_CHUNK steps per run, the clock read between them); the bare side calls `Trainer.step` on
each trainer in turn, FAST_CHUNK steps at a time. Issue 19's floor: at least 0.8x.

    python benchmarks/race_clock.py                        # 5 rounds of 2 s, binary, MLP
    python benchmarks/race_clock.py --problem regression --rounds 7 --seconds 3
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the app pins it

from losstui.core.race import race_configs  # noqa: E402
from losstui.core.settings import SETTINGS  # noqa: E402
from losstui.core.state import FAST_CHUNK, AppState  # noqa: E402
from losstui.core.trainer import Trainer  # noqa: E402

RACE = "lr:0.001,0.003,0.01,0.03"


def state_round(problem: str, model: str, seconds: float) -> float:
    """Run-steps per second of the app state's clock over the four runs."""
    state = AppState(problem)
    state.apply_setup_line(f"model={model} patience=0 race={RACE}")
    start = time.perf_counter()
    steps = state.step_for(seconds)
    elapsed = time.perf_counter() - start
    return steps * len(state.runs) / elapsed


def bare_round(problem: str, model: str, seconds: float) -> float:
    """Run-steps per second of four bare Trainers stepped in turn, FAST_CHUNK steps each."""
    state = AppState(problem)
    state.apply_setup_line(f"model={model} patience=0")
    race = SETTINGS["race"].parse(RACE)
    trainers = [Trainer(config) for config in race_configs(state.config, race)]
    done = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for trainer in trainers:
            done += trainer.step(FAST_CHUNK)
    return done / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problem", default="binary_classification")
    parser.add_argument("--model", default="mlp")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    ours, bare = [], []
    for i in range(args.rounds):
        first, second = (state_round, bare_round) if i % 2 == 0 else (bare_round, state_round)
        a = first(args.problem, args.model, args.seconds)
        b = second(args.problem, args.model, args.seconds)
        (ours if first is state_round else bare).append(a)
        (bare if first is state_round else ours).append(b)
    ours_m, bare_m = statistics.median(ours), statistics.median(bare)
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"problem {args.problem}, model {args.model}, race {RACE}, {args.rounds} rounds")
    print(f"app state clock : {ours_m:10,.0f} run-steps/s")
    print(f"bare trainers   : {bare_m:10,.0f} run-steps/s")
    print(f"ratio           : {ours_m / bare_m:.2f}")


if __name__ == "__main__":
    main()
