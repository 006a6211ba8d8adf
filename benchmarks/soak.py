"""A long run of the app: resident memory, CPU and step rate sampled over time.

Starts losstui in a detached tmux session on the Train pane, trains (at a chosen speed, or in
fast-forward with --fast) and every --every seconds reads the process's resident memory and CPU
time from /proc and the step counter from the screen. Prints one row per sample and a summary:
memory at the start and the end of the run and its peak, CPU as a share of one core, the step
rate in the first and the last fifth of the run.

    python benchmarks/soak.py                       # 2 minutes at 500 steps/s, 80x24
    python benchmarks/soak.py --minutes 30          # the long run
    python benchmarks/soak.py --minutes 5 --fast    # fast-forward, no stop rule

Linux (/proc) and tmux; the tmux server runs on a socket of its own and is killed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
STEP = re.compile(r"\bstep ([\d,]+)")
SPEEDS = (10, 20, 50, 100, 200, 500, 1000)


def _tmux(socket: str, *args: str) -> str:
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True).stdout


def _screen(socket: str) -> str:
    return _tmux(socket, "capture-pane", "-p", "-t", "soak")


def _wait_for(socket: str, text: str, timeout: float = 60.0) -> None:
    start = time.perf_counter()
    while text not in _screen(socket):
        if time.perf_counter() - start > timeout:
            raise SystemExit(f"{text!r} never appeared:\n{_screen(socket)}")
        time.sleep(0.05)


def _step(socket: str) -> int | None:
    for line in _screen(socket).splitlines()[:6]:
        found = STEP.search(line)
        if found and "epoch" in line:
            return int(found.group(1).replace(",", ""))
    return None


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"no VmRSS for process {pid}")


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=2.0, help="length of the run (2)")
    parser.add_argument("--every", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--speed", type=int, default=500, choices=SPEEDS, help="steps/s (500)")
    parser.add_argument("--fast", action="store_true", help="fast-forward instead of a speed")
    parser.add_argument("--cols", type=int, default=80)
    parser.add_argument("--rows", type=int, default=24)
    parser.add_argument("--json", action="store_true", help="print the samples as JSON")
    args = parser.parse_args(argv)

    setup = f"problem=binary_classification pane=train speed={args.speed}"
    command = (
        f"cd {shlex.quote(str(ROOT))} && LANG=C.UTF-8 exec {shlex.quote(sys.executable)} "
        f"-m losstui --setup {shlex.quote(setup)}"
    )
    socket = f"losstui-soak-{os.getpid()}"
    size = ("-x", str(args.cols), "-y", str(args.rows))
    _tmux(socket, "new-session", "-d", "-s", "soak", *size, command)
    samples: list[dict[str, float]] = []
    try:
        pid = int(_tmux(socket, "display-message", "-p", "-t", "soak", "#{pane_pid}").strip())
        _wait_for(socket, "step 0")
        _tmux(socket, "send-keys", "-t", "soak", "f" if args.fast else "space")
        start = time.perf_counter()
        cpu0 = _cpu_s(pid)
        end = start + 60 * args.minutes
        while True:
            now = time.perf_counter()
            step = _step(socket)
            samples.append(
                {
                    "t_s": round(now - start, 1),
                    "step": step if step is not None else -1,
                    "rss_mb": round(_rss_mb(pid), 1),
                    "cpu_s": round(_cpu_s(pid) - cpu0, 2),
                }
            )
            if not args.json:
                s = samples[-1]
                print(
                    f"{s['t_s']:8.1f} s  step {s['step']:>10,}  RSS {s['rss_mb']:6.1f} MB  "
                    f"CPU {s['cpu_s']:7.1f} s",
                    flush=True,
                )
            if now >= end:
                break
            time.sleep(max(0.0, min(args.every, end - time.perf_counter())))
    finally:
        _tmux(socket, "kill-server")

    first, last = samples[0], samples[-1]
    fifth = max(1, len(samples) // 5)

    def rate(a: dict[str, float], b: dict[str, float]) -> float:
        return (b["step"] - a["step"]) / (b["t_s"] - a["t_s"]) if b["t_s"] > a["t_s"] else 0.0

    summary = {
        "mode": "fast-forward" if args.fast else f"{args.speed} steps/s",
        "size": f"{args.cols}x{args.rows}",
        "minutes": args.minutes,
        "rss_mb_start": first["rss_mb"],
        "rss_mb_end": last["rss_mb"],
        "rss_mb_peak": max(s["rss_mb"] for s in samples),
        "cpu_share_of_one_core": round(last["cpu_s"] / last["t_s"], 3) if last["t_s"] else 0.0,
        "steps_per_s_first_fifth": round(rate(samples[0], samples[fifth])),
        "steps_per_s_last_fifth": round(rate(samples[-1 - fifth], samples[-1])),
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if args.json:
        print(json.dumps({"summary": summary, "samples": samples}))
    else:
        print(
            f"{summary['mode']}, {summary['size']}, {args.minutes:g} min: RSS "
            f"{summary['rss_mb_start']:.1f} → {summary['rss_mb_end']:.1f} MB "
            f"(peak {summary['rss_mb_peak']:.1f}), CPU {summary['cpu_share_of_one_core']:.1%} "
            f"of one core, steps/s {summary['steps_per_s_first_fifth']:,} in the first fifth, "
            f"{summary['steps_per_s_last_fifth']:,} in the last "
            f"(load average {summary['load_average'][0]})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
