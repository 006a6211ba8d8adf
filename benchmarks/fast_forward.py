"""Measures fast-forward in the running app: steps per second, redraws per second, key response.

Starts losstui in a detached tmux session, opens the Train pane, presses f and reads the stats
line (`step N`) from the pane about 20 times a second for a window; then presses f again and
times how long the pane takes to show PAUSED. Beside it, in this process, the same problem's
Trainer runs bare (no app) for the same length: what the machine allows. The two alternate,
round after round; the table gives medians.

    python benchmarks/fast_forward.py                     # 3 rounds of 8 s at 80x24
    python benchmarks/fast_forward.py --rounds 5 --seconds 10 --cols 120 --rows 40

Needs tmux; the tmux server runs on a socket of its own and is killed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the app pins it

STEP = re.compile(r"\bstep ([\d,]+)")


def _tmux(socket: str, *args: str) -> str:
    done = subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True)
    return done.stdout


def _wait_for(socket: str, text: str, timeout: float = 30.0) -> float:
    start = time.perf_counter()
    while text not in _tmux(socket, "capture-pane", "-p", "-t", "ff"):
        if time.perf_counter() - start > timeout:
            raise SystemExit(f"{text!r} never appeared:\n{_tmux(socket, 'capture-pane', '-p')}")
        time.sleep(0.01)
    return time.perf_counter() - start


def _step_on_screen(socket: str) -> int | None:
    for line in _tmux(socket, "capture-pane", "-p", "-t", "ff").splitlines()[:6]:
        found = STEP.search(line)
        if found and "epoch" in line:
            return int(found.group(1).replace(",", ""))
    return None


def app_round(socket: str, seconds: float, cols: int, rows: int) -> dict[str, float]:
    """One run of the app: steps/s and redraws/s of the stats line while fast-forwarding, and
    the seconds from pressing f (stop) to PAUSED on screen."""
    command = f"cd {shlex.quote(str(ROOT))} && LANG=C.UTF-8 exec {shlex.quote(sys.executable)}"
    command += " -m losstui"
    _tmux(socket, "new-session", "-d", "-s", "ff", "-x", str(cols), "-y", str(rows), command)
    try:
        _wait_for(socket, "1 Problem")
        _tmux(socket, "send-keys", "-t", "ff", "3")
        _wait_for(socket, "step 0")
        _tmux(socket, "send-keys", "-t", "ff", "f")
        _wait_for(socket, "FAST-FORWARD")
        readings: list[tuple[float, int]] = []
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            step = _step_on_screen(socket)
            if step is not None and (not readings or step != readings[-1][1]):
                readings.append((time.perf_counter(), step))
            time.sleep(0.05)
        _tmux(socket, "send-keys", "-t", "ff", "f")
        stop = _wait_for(socket, "PAUSED")
    finally:
        _tmux(socket, "kill-session", "-t", "ff")
    (t0, s0), (t1, s1) = readings[1], readings[-1]  # from the first redraw after the start
    return {
        "steps_per_s": (s1 - s0) / (t1 - t0),
        "redraws_per_s": (len(readings) - 2) / (t1 - t0),
        "stop_key_s": stop,
    }


def bare_round(seconds: float) -> float:
    """Steps per second of the default problem's Trainer with no app around it."""
    from losstui.core.state import AppState

    trainer = AppState().trainer
    trainer.step(200)  # warm
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        done += trainer.step(500)
    return done / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8.0, help="window of each app run")
    parser.add_argument("--cols", type=int, default=80)
    parser.add_argument("--rows", type=int, default=24)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    socket = f"losstui-ff-{os.getpid()}"
    rounds: list[dict[str, float]] = []
    try:
        for _ in range(args.rounds):
            result = app_round(socket, args.seconds, args.cols, args.rows)
            result["bare_steps_per_s"] = bare_round(min(args.seconds, 3.0))
            rounds.append(result)
    finally:
        _tmux(socket, "kill-server")
    summary = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
    summary["share_of_bare"] = statistics.median(
        r["steps_per_s"] / r["bare_steps_per_s"] for r in rounds
    )
    out = {
        "size": f"{args.cols}x{args.rows}",
        "rounds": args.rounds,
        "median": {k: round(v, 3) for k, v in summary.items()},
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if args.json:
        print(json.dumps(out))
    else:
        m = out["median"]
        print(
            f"{out['size']}, {args.rounds} rounds, medians: fast-forward "
            f"{m['steps_per_s']:,.0f} steps/s ({m['share_of_bare']:.0%} of the bare Trainer's "
            f"{m['bare_steps_per_s']:,.0f}), stats line redrawn {m['redraws_per_s']:.1f}/s, "
            f"f to PAUSED on screen {1000 * m['stop_key_s']:.0f} ms "
            f"(load average {out['load_average'][0]})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
