"""Measures time to first screen: losstui against a bare Textual app, in tmux, interleaved.

Each run starts one program in a fresh detached tmux session of the given size and polls the
pane (`tmux capture-pane`) until the program's first screen shows its marker text; the time from
launching the session to that capture is the run's figure. The bare app is the smallest Textual
app that shows one line, started by the same Python; the two alternate run by run (which goes
first alternates too), so both see the same machine. Prints the medians and their ratio.

    python benchmarks/startup.py                 # 9 runs each at 80x24
    python benchmarks/startup.py --runs 15 --cols 120 --rows 40
    python benchmarks/startup.py --json
    python benchmarks/startup.py --also /tmp/old   # another checkout too (git archive of a commit)

Standard library only; needs tmux. The tmux server runs on a socket of its own and is killed at
the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE_TEXT = "bare textual ready"
BARE_APP = f"""
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static({BARE_TEXT!r})
Bare().run()
"""
#: What losstui's first screen shows once it is drawn whole: the tab row and the footer's last key.
LOSSTUI_MARKERS = ("1 Problem", "Quit")


def _tmux(socket: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["tmux", "-L", socket, *args], capture_output=True, text=True, check=False
    )


def time_to_screen(
    socket: str, command: str, markers: tuple[str, ...], cols: int, rows: int, timeout: float
) -> float:
    """Seconds from starting `command` in a new tmux session until every marker is on screen."""
    _tmux(socket, "kill-session", "-t", "bench")
    start = time.perf_counter()
    _tmux(socket, "new-session", "-d", "-s", "bench", "-x", str(cols), "-y", str(rows), command)
    try:
        while True:
            shown = _tmux(socket, "capture-pane", "-p", "-t", "bench").stdout
            elapsed = time.perf_counter() - start
            if all(marker in shown for marker in markers):
                return elapsed
            if elapsed > timeout:
                raise SystemExit(f"no first screen after {timeout:g} s: {command}\n{shown}")
            time.sleep(0.005)
    finally:
        _tmux(socket, "kill-session", "-t", "bench")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each program (default 9)")
    parser.add_argument("--cols", type=int, default=80)
    parser.add_argument("--rows", type=int, default=24)
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per run at most")
    parser.add_argument("--python", default=sys.executable, help="the interpreter for both")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--also",
        action="append",
        default=[],
        metavar="DIR",
        help="also time losstui from this checkout (e.g. an older commit), interleaved",
    )
    args = parser.parse_args(argv)

    python = shlex.quote(args.python)
    env = f"cd {shlex.quote(str(ROOT))} && LANG=C.UTF-8 TERM=xterm-256color exec"
    cases = {
        "bare": (f"{env} {python} -c {shlex.quote(BARE_APP)}", (BARE_TEXT,)),
        "losstui": (f"{env} {python} -m losstui", LOSSTUI_MARKERS),
    }
    for other in args.also:
        # `python -m` puts the working directory first on sys.path: that checkout's losstui runs.
        there = f"cd {shlex.quote(other)} && LANG=C.UTF-8 TERM=xterm-256color exec"
        cases[other] = (f"{there} {python} -m losstui", LOSSTUI_MARKERS)
    socket = f"losstui-startup-{os.getpid()}"
    times: dict[str, list[float]] = {name: [] for name in cases}
    try:
        # One throwaway run each fills the disk cache and Python's bytecode cache.
        for command, markers in cases.values():
            time_to_screen(socket, command, markers, args.cols, args.rows, args.timeout)
        for i in range(args.runs):
            order = list(cases) if i % 2 == 0 else list(reversed(cases))
            for name in order:
                command, markers = cases[name]
                times[name].append(
                    time_to_screen(socket, command, markers, args.cols, args.rows, args.timeout)
                )
    finally:
        _tmux(socket, "kill-server")

    medians = {name: statistics.median(values) for name, values in times.items()}
    ratio = medians["losstui"] / medians["bare"]
    result = {
        "size": f"{args.cols}x{args.rows}",
        "runs": args.runs,
        "median_ms": {name: round(1000 * m, 1) for name, m in medians.items()},
        "all_ms": {name: [round(1000 * t, 1) for t in values] for name, values in times.items()},
        "ratio": round(ratio, 3),
        "ratios": {name: round(m / medians["bare"], 3) for name, m in medians.items()},
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['size']}, {args.runs} interleaved runs each, medians: "
            f"bare Textual {result['median_ms']['bare']:.0f} ms, "
            f"losstui {result['median_ms']['losstui']:.0f} ms, ratio {ratio:.2f} "
            f"(load average {result['load_average'][0]})"
        )
        for other in args.also:
            print(
                f"  {other}: {result['median_ms'][other]:.0f} ms, "
                f"ratio {result['ratios'][other]:.2f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
