"""Core speed: the shipped `losstui train` command, pinned and unpinned, with and without a busy
core, at 1,000 to 100,000 samples; and SGD steps per second through the real Trainer against a
minimal hand-written numpy loop.

    python benchmarks/bench_core.py            # both parts, three interleaved runs each
    python benchmarks/bench_core.py --quick    # one run each, fewer steps: a quick look
"""

from __future__ import annotations

import os

# One BLAS thread in this process, set before numpy is imported: the in-process figures are per
# core, and at these sizes extra threads only add scheduling noise. The `losstui train`
# subprocesses get an environment of their own (see `cli_env`).
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
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# Measure the checkout this script is in, whatever the environment has installed.
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from losstui.core.threads import THREAD_VARIABLES  # noqa: E402
from losstui.core.trainer import TrainConfig, Trainer  # noqa: E402

# -- the shipped command line ----------------------------------------------------------------------

#: What a user types: an MLP 20-256-256-1 on the 20-feature regression set; `--samples` and
#: `--steps` are added per case.
CLI_ARGS = ("train", "--problem", "regression", "--dataset", "linear20", "--hidden", "256,256")
CLI_SIZES = (1_000, 10_000, 100_000)
#: A CPU-burning process that keeps one core busy, as another user's job would.
BURNER = (sys.executable, "-c", "while True: pass")


@dataclass(frozen=True)
class CliCase:
    samples: int
    busy: bool
    pinned: bool


@dataclass(frozen=True)
class CliRun:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float


def cpu_count() -> int:
    return os.cpu_count() or 1


def cli_env(pinned: bool) -> dict[str, str]:
    """The environment of a `losstui train` run: no thread count set, so the shipped pinning
    applies; or, unpinned, OpenBLAS's own default (a thread per core) set explicitly, which the
    pinning respects as the user's choice."""
    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    if not pinned:
        env["OPENBLAS_NUM_THREADS"] = str(cpu_count())
    return env


@contextmanager
def busy_core(busy: bool) -> Iterator[None]:
    """Keep one core busy with a burner process for the duration; always kill it."""
    if not busy:
        yield
        return
    burner = subprocess.Popen(BURNER, stdin=subprocess.DEVNULL)
    try:
        time.sleep(0.2)  # let it start burning before the measured run
        yield
    finally:
        burner.kill()
        burner.wait()


def run_cli(case: CliCase, steps: int) -> CliRun:
    """One `python -m losstui train ...` run: wall time, CPU time (user + system) and peak RSS of
    that process alone (os.wait4 gives the rusage of the one child)."""
    argv = [
        sys.executable,
        "-m",
        "losstui",
        *CLI_ARGS,
        "--samples",
        str(case.samples),
        "--steps",
        str(steps),
        "--format",
        "csv",
    ]
    with tempfile.TemporaryFile() as err, busy_core(case.busy):
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            argv, cwd=ROOT, env=cli_env(case.pinned), stdout=subprocess.DEVNULL, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            message = err.read().decode(errors="replace").strip()
            raise RuntimeError(f"{' '.join(argv[1:])} exited {proc.returncode}: {message}")
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    rss_mb = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    return CliRun(wall, usage.ru_utime + usage.ru_stime, rss_mb)


def bench_cli(sizes: tuple[int, ...], steps: int, repeats: int) -> None:
    """Median wall time, CPU time and peak memory of each case over `repeats` interleaved rounds
    (each round runs every case once), printed as a Markdown table."""
    cases = [
        CliCase(n, busy, pinned)
        for n in sizes
        for busy in (False, True)
        for pinned in (True, False)
    ]
    runs: dict[CliCase, list[CliRun]] = {c: [] for c in cases}
    load_before = os.getloadavg()[0]
    for round_ in range(repeats):
        for case in cases:
            run = run_cli(case, steps)
            runs[case].append(run)
            # Progress on stderr: a full run takes minutes while evaluation scales with the data.
            print(
                f"round {round_ + 1}/{repeats}: {case.samples:,} samples, "
                f"{'busy' if case.busy else 'quiet'}, {'pinned' if case.pinned else 'unpinned'}: "
                f"{run.wall_s:.2f} s",
                file=sys.stderr,
            )
    load_after = os.getloadavg()[0]
    print(
        f"\n`losstui {' '.join(CLI_ARGS)} --samples N --steps {steps}`: median of {repeats} "
        f"interleaved run(s); load average {load_before:.1f} before, {load_after:.1f} after"
    )
    print()
    print("| samples | other load | BLAS threads | wall s | CPU s | peak RSS MB |")
    print("| ---: | --- | --- | ---: | ---: | ---: |")
    for case in cases:
        rs = runs[case]
        wall = statistics.median(r.wall_s for r in rs)
        cpu = statistics.median(r.cpu_s for r in rs)
        rss = statistics.median(r.peak_rss_mb for r in rs)
        load = "one core busy" if case.busy else "quiet"
        threads = "1 (shipped)" if case.pinned else f"{cpu_count()} (OPENBLAS_NUM_THREADS)"
        print(f"| {case.samples:,} | {load} | {threads} | {wall:.2f} | {cpu:.2f} | {rss:.0f} |")
    sys.stdout.flush()


# -- the Trainer against a hand loop, in process ---------------------------------------------------

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


def bench_loop(seconds: float, momenta: list[float], rounds: int) -> None:
    """Steps per second of the Trainer and of the hand loop for each case, and their ratio.

    A shared machine's speed drifts by tens of percent within seconds, so the two loops run in
    `rounds` interleaved rounds (alternating which goes first) of `seconds` each; the table gives
    the median rates and the median of the rounds' ratios.
    """
    print(
        f"\nTrainer against a hand loop, in process: numpy {np.__version__}, one BLAS thread, "
        f"float64, learning rate 0.05, median of {rounds} interleaved rounds"
    )
    print()
    print("| case | momentum | Trainer steps/s | hand loop steps/s | ratio |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for momentum in momenta:
        for name, settings in CASES.items():
            config = TrainConfig(lr=0.05, momentum=momentum, **settings)
            trainer = Trainer(config)
            loops = (through_trainer(trainer), hand_loop(config, trainer))
            rates: list[tuple[float, float]] = []
            for i in range(rounds):
                order = (0, 1) if i % 2 == 0 else (1, 0)
                measured = {k: rate(loops[k], seconds) for k in order}
                rates.append((measured[0], measured[1]))
            r_trainer = statistics.median(t for t, _ in rates)
            r_hand = statistics.median(h for _, h in rates)
            ratio = statistics.median(t / h for t, h in rates)
            print(f"| {name} | {momentum:g} | {r_trainer:,.0f} | {r_hand:,.0f} | {ratio:.2f} |")
            sys.stdout.flush()


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        message = f"expected sizes such as 1000,10000, got {text!r}"
        raise argparse.ArgumentTypeError(message) from None
    if not sizes or min(sizes) < 6:
        raise argparse.ArgumentTypeError(f"sizes must be whole numbers ≥ 6, got {text!r}")
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="one run per case, 200 steps, 0.5 s per in-process figure",
    )
    parser.add_argument(
        "--part",
        choices=("all", "cli", "loop"),
        default="all",
        help="cli: the shipped command line; loop: the Trainer against a hand loop",
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=CLI_SIZES,
        help="dataset sizes for the command line, e.g. 1000,100000 (default 1000,10000,100000)",
    )
    parser.add_argument("--steps", type=int, help="SGD steps per command line (default 500)")
    parser.add_argument(
        "--repeats", type=int, help="interleaved rounds per case (default 3; 5 for the loop)"
    )
    parser.add_argument(
        "--seconds", type=float, help="time per in-process figure and round (default 1)"
    )
    parser.add_argument(
        "--momentum",
        type=float,
        action="append",
        help="SGD momentum for both loops (repeatable; default: 0 and 0.9)",
    )
    args = parser.parse_args()
    steps = args.steps or (200 if args.quick else 500)
    repeats = args.repeats or (1 if args.quick else 3)
    seconds = args.seconds or (0.5 if args.quick else 1.0)
    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}, "
        f"{cpu_count()} cores, {platform.system()}"
    )
    sys.stdout.flush()
    if args.part in ("all", "cli"):
        bench_cli(args.sizes, steps, repeats)
    if args.part in ("all", "loop"):
        rounds = args.repeats or (1 if args.quick else 5)
        bench_loop(seconds, args.momentum or [0.0, 0.9], rounds)


if __name__ == "__main__":
    main()
