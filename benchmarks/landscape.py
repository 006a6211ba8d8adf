"""Loss landscape speed: a fresh 60 × 20 grid (the whole landscape, cache cleared, and the grid
evaluation alone) and the cost of one frame that moves the SGD path over a cached grid, for each
two-parameter model at 1,000 samples; and a slice through an MLP.

    python benchmarks/landscape.py            # seven repeats each, best and median
    python benchmarks/landscape.py --quick    # three repeats

Targets (issue 20): a fresh 60 × 20 grid under 50 ms at 1,000 samples; the path under 1 ms a
frame. A frame here is `landscape(run, path=recorder)` after one SGD step: the recorder's new
point, the cached grid and the bounds (the step itself is the trainer's, not the view's). The
app's frame is the shipped path: the Train pane's `PathReplay` after the 50 steps a second of
training at the default speed takes, replayed on a copy of the run, and the cached grid.
"""

from __future__ import annotations

import os

# One BLAS thread, set before numpy is imported: the figures are per core.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from losstui.core import landscape as land  # noqa: E402
from losstui.core.run import Run  # noqa: E402
from losstui.core.trainer import TrainConfig  # noqa: E402

SETUPS = (
    ("regression", "line", "mean_squared_error"),
    ("robust_regression", "line_outliers", "mean_absolute_error"),
    ("binary_classification", "two_blobs_1d", "binary_cross_entropy"),
    ("density_estimation", "gaussian_samples", "gaussian_nll"),
)


def timed(f: Callable[[], object], repeats: int) -> tuple[float, float, float]:
    """(best, median) wall-clock seconds of `repeats` calls, and the best CPU seconds (what the
    process itself spent: on a busy machine the wall clock also counts others' turns)."""
    times, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        f()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(times), statistics.median(times), min(cpu)


def frame_times(run: Run, path: land.PathRecorder, steps: int, count: int) -> list[float]:
    """Seconds of `count` frames, each drawn after `steps` SGD steps of `run` with `path`."""
    out = []
    for _ in range(count):
        run.step(steps)
        start = time.perf_counter()
        land.landscape(run, path=path)
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--samples", type=int, default=1000, help="samples in all (2/3 train)")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
        "ms: best / median wall clock [best CPU]"
    )
    print(f"{'data, loss':50} {'fresh':>21} {'grid only':>21} {'frame':>15} {'app frame':>15}")
    for problem, dataset, loss in SETUPS:
        config = TrainConfig.default_for(problem).replace(
            dataset=dataset, loss=loss, model="linear", n_samples=args.samples
        )
        run = Run(config)
        recorder = land.PathRecorder()
        recorder.follow(run)
        for _ in range(100):
            run.step(1)
            recorder.follow(run)

        def fresh(run: Run = run, recorder: land.PathRecorder = recorder) -> None:
            land.clear_cache()
            land.landscape(run, path=recorder)

        view = land.landscape(run, path=recorder)
        plane = land.plane_of(run)
        assert plane is not None
        data, exact, _ = land._anchor(run.trainer, plane, np.zeros((2, 2)))
        surface = view.surface

        def grid(
            plane: land.Plane = plane,
            data: land._Data = data,
            exact: np.ndarray | None = exact,
            bounds: tuple[float, float, float, float] = surface.bounds,
            run: Run = run,
        ) -> None:
            land._plane_surface(plane, run.loss, data, exact, 60, 20, bounds)

        frames = frame_times(run, recorder, steps=1, count=200)
        # The app's frame: the Train pane draws the landscape about once a second, and its path
        # (PathReplay) replays the steps since on a copy of the run: 50 at the default speed.
        replay = land.PathReplay()
        replay.follow(run)
        app_frames = frame_times(run, replay, steps=50, count=20)
        f_best, f_med, f_cpu = timed(fresh, repeats)
        g_best, g_med, g_cpu = timed(grid, repeats)
        name = f"{dataset} ({run.trainer.dataset.n_train} train), {loss}"
        print(
            f"{name:50} {f_best * 1e3:5.1f} / {f_med * 1e3:5.1f} [{f_cpu * 1e3:5.1f}] "
            f"{g_best * 1e3:5.1f} / {g_med * 1e3:5.1f} [{g_cpu * 1e3:5.1f}] "
            f"{min(frames) * 1e3:5.3f} / {statistics.median(frames) * 1e3:5.3f} "
            f"{min(app_frames) * 1e3:5.2f} / {statistics.median(app_frames) * 1e3:5.2f}"
        )
    config = TrainConfig.default_for("binary_classification").replace(dataset="moons", model="mlp")
    run = Run(config)
    run.step(300)

    def sliced() -> None:
        land.clear_cache()
        land.slice_landscape(run)

    s_best, s_med, s_cpu = timed(sliced, max(3, repeats // 2))
    print(
        f"slice 41 × 21, {run.trainer.describe_model()} on moons "
        f"({run.trainer.dataset.n_train} train): {s_best * 1e3:.0f} / {s_med * 1e3:.0f} "
        f"[{s_cpu * 1e3:.0f}] ms"
    )


if __name__ == "__main__":
    main()
