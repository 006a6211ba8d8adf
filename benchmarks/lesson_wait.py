"""Measures what a lesson's wait costs fast-forward: steps per second with the wait looked at after
every SGD step (so that `f` stops on the first step where it holds), against none.

The shipped path: an `AppState`, a `LessonRun` on a one-step lesson whose wait never holds, and
`AppState.step_for` with the test `LessonRun.fast_stop()` gives, as the app's fast-forward slice
calls it. A wait on the step or the epoch reads counters only; one on a loss or a metric makes a
pass over the data each step. Rounds alternate; the table gives medians.

    OPENBLAS_NUM_THREADS=1 python benchmarks/lesson_wait.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from losstui.core.state import AppState
from losstui.lessons.format import parse_lesson
from losstui.lessons.runner import LessonRun

HEAD = (
    "---\ntitle: B\nsummary: Bench.\nminutes: 1\n---\nTrain.\n```losstui\nset {setup}\n{wait}```\n"
)
SETUPS = {
    "two blobs, linear": "problem=binary_classification",
    "circles, MLP 50": "problem=binary_classification dataset=article_circles model=mlp "
    "hidden=50 hidden_activation=relu batch_size=32",
}
WAITS = {
    "no wait": "",
    "wait epoch >= 1e6": "wait epoch >= 1000000\n",
    "wait accuracy > 0.999": "wait accuracy > 0.999\n",
}
SECONDS = 1.0
ROUNDS = 5


def rate(setup: str, wait: str) -> float:
    """Steps per second of one fast-forward slice of SECONDS."""
    lesson = parse_lesson(HEAD.format(setup=setup, wait=wait), "bench.md")
    state = AppState()
    run = LessonRun(lesson, state)
    run.enter()
    state.fast_forward()
    run.fast_forward_started()
    start = time.perf_counter()
    steps = state.step_for(SECONDS, until=run.fast_stop())
    return steps / (time.perf_counter() - start)


def main() -> None:
    print(f"{'data':<20} {'wait':<24} {'steps/s':>9} {'of no wait':>11}")
    for name, setup in SETUPS.items():
        found: dict[str, list[float]] = {w: [] for w in WAITS}
        for _ in range(ROUNDS):
            for label, wait in WAITS.items():
                found[label].append(rate(setup, wait))
        bare = statistics.median(found["no wait"])
        for label in WAITS:
            median = statistics.median(found[label])
            print(f"{name:<20} {label:<24} {median:>9,.0f} {median / bare:>10.0%}")


if __name__ == "__main__":
    main()
