"""Measures losstui's terminal output against the changed-cell floor, beside htop's, in one run.

For each terminal size, interleaved round after round: losstui training the default problem at
the default speed on the Train pane, the same with --low-bandwidth, and htop at its default
refresh, each through `terminal_meter.measure` (bytes written, the floor from a pyte replay, CPU).
Prints a Markdown table of the medians. Needs pyte (pip install -r benchmarks/requirements.txt)
and htop on the PATH (htop rows are skipped without it).

    .venv/bin/python benchmarks/redraw_floor.py                      # 80x24, 120x40, 200x60
    .venv/bin/python benchmarks/redraw_floor.py --sizes 80x24 --rounds 1
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from terminal_meter import Measurement, measure

START_KEYS_AT = 8.0
"""Seconds after start to open the Train pane (space follows half a second later): room for a
slow start on a busy machine."""
WARMUP = START_KEYS_AT + 3.0


def cases(python: str) -> dict[str, tuple[list[str], list[tuple[float, bytes]]]]:
    """Name → (command, keys typed at seconds after start)."""
    train = [(START_KEYS_AT, b"3"), (START_KEYS_AT + 0.5, b" ")]
    out = {
        "losstui, training": ([python, "-m", "losstui", "--no-low-bandwidth"], train),
        "losstui --low-bandwidth, training": ([python, "-m", "losstui", "--low-bandwidth"], train),
    }
    if shutil.which("htop"):
        out["htop"] = (["htop"], [])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="80x24,120x40,200x60", help="COLSxROWS,...")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (default 2)")
    parser.add_argument("--seconds", type=float, default=10.0, help="window (default 10 s)")
    parser.add_argument("--python", default=sys.executable, help="the Python that runs losstui")
    args = parser.parse_args(argv)
    sizes = [tuple(int(n) for n in size.split("x")) for size in args.sizes.split(",")]
    # The same terminal type for every program, and no SSH_CONNECTION: the flags choose the mode.
    env = {k: v for k, v in os.environ.items() if k != "SSH_CONNECTION"}
    env["TERM"] = "xterm-256color"
    results: dict[tuple[str, int, int], list[Measurement]] = {}
    for round_ in range(args.rounds):
        for cols, rows in sizes:
            for name, (command, keys) in cases(args.python).items():
                m = measure(
                    command,
                    cols=cols,
                    rows=rows,
                    keys=keys,
                    warmup=WARMUP,
                    seconds=args.seconds,
                    env=env,
                )
                print(
                    f"round {round_ + 1} {cols}x{rows} {name}: {m.bytes_per_s / 1024:.2f} KB/s, "
                    f"floor {m.floor_per_s / 1024:.2f} KB/s, {m.ratio_to_floor:.2f}x, "
                    f"CPU {100 * m.cpu_share_of_one_core:.1f}%",
                    file=sys.stderr,
                )
                results.setdefault((name, cols, rows), []).append(m)
    print("| program | size | bytes/s | floor | ratio to the floor | CPU (one core) |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for (name, cols, rows), ms in results.items():

        def median(values: list[float]) -> float:
            finite = [v for v in values if math.isfinite(v)]
            return statistics.median(finite) if finite else float("nan")

        rate = median([m.bytes_per_s for m in ms])
        floor = median([m.floor_per_s for m in ms])
        ratio = median([m.ratio_to_floor for m in ms])
        cpu = median([m.cpu_share_of_one_core for m in ms])
        print(
            f"| {name} | {cols}x{rows} | {rate / 1024:.2f} KB/s | {floor / 1024:.2f} KB/s | "
            f"{ratio:.2f}x | {100 * cpu:.1f}% |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
