"""Measures a race on the Race pane where a class runs it: four runs of the default MLP at the
app's fastest speed (1,000 steps a second), at 80x24 in a pseudo-terminal.

Two figures, each against its target (issue 19):

- **a key's answer**: while the race trains, `]` and `[` select the next and the previous run,
  and the pane's caption changes ("2/4 ...", "1/4 ..."). The time from writing the key to the
  terminal to the first output after which the screen (replayed through pyte as it arrives)
  shows the new caption, each key in turn; target: under 100 ms.
- **bytes against the floor**: what the app writes over a window of training, against the
  least a renderer could write for the cells that changed (`terminal_meter.measure`, its pyte
  replay); target: within 2x.

Needs pyte (pip install -r benchmarks/requirements.txt).

    .venv/bin/python benchmarks/race_pane.py                 # 20 keys, a 10 s window
    .venv/bin/python benchmarks/race_pane.py --keys 40 --seconds 20
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import pyte

sys.path.insert(0, str(Path(__file__).resolve().parent))

from terminal_meter import _answer_queries, _next_chunk, _stop, measure, spawn

SETUP = (
    "problem=binary_classification model=mlp speed=1000 patience=0 pane=race "
    "race=lr:0.001,0.01,0.1,1"
)
"""Four learning rates on the default MLP, at the fastest speed, the stop rule off: no run ends
in the window, so every frame has four runs' worth to draw."""
START = 6.0
"""Seconds after start to press space: room for a slow start on a busy machine."""
WARMUP = START + 3.0


def command(python: str) -> list[str]:
    return [python, "-m", "losstui", "--no-low-bandwidth", "--setup", SETUP]


def key_answers(
    python: str, keys: int, cols: int = 80, rows: int = 24, *, paused: bool = False
) -> list[float]:
    """Seconds from each key (`]`, then `[`, in turn) to the screen showing the run it selects,
    while the race trains (`paused`: with training paused, the key's own cost)."""
    env = {**os.environ, "COLUMNS": str(cols), "LINES": str(rows)}
    pid, master = spawn(command(python), cols, rows, env)
    screen = pyte.Screen(cols, rows)
    stream = pyte.ByteStream(screen)
    start = time.monotonic()

    def pump(until: float, shows: str | None = None) -> bool:
        """Feed the program's output to the screen until `until` (monotonic), or until a row
        shows `shows`; whether it did."""
        while (now := time.monotonic()) < until:
            chunk = _next_chunk(master, min(until - now, 0.05))
            if chunk is None:
                continue
            if not chunk:
                raise SystemExit("losstui ended during the measurement")
            stream.feed(chunk)
            reply = _answer_queries(chunk, rows)
            if reply:
                os.write(master, reply)
            if shows is not None and any(shows in line for line in screen.display):
                return True
        return False

    answers: list[float] = []
    try:
        pump(start + START)
        if not paused:
            os.write(master, b" ")
        pump(start + WARMUP)
        for index in range(keys):
            key, caption = (b"]", "2/4 ") if index % 2 == 0 else (b"[", "1/4 ")
            sent = time.monotonic()
            os.write(master, key)
            if not pump(sent + 5.0, caption):
                raise SystemExit(f"the caption {caption!r} never showed after {key!r}")
            answers.append(time.monotonic() - sent)
            pump(time.monotonic() + 0.3)  # a few frames of training before the next key
    finally:
        _stop(pid, master, b"q")
        os.close(master)
    return answers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keys", type=int, default=20, help="keys to time (default 20)")
    parser.add_argument("--seconds", type=float, default=10.0, help="bytes window (default 10 s)")
    parser.add_argument("--python", default=sys.executable, help="the Python that runs losstui")
    args = parser.parse_args(argv)

    for paused in (True, False):
        answers = [1000 * s for s in key_answers(args.python, args.keys, paused=paused)]
        print(
            f"key to screen, {'paused' if paused else 'training'}, {len(answers)} keys: "
            f"median {statistics.median(answers):.0f} ms, max {max(answers):.0f} ms "
            "(target: under 100 ms)"
        )
    m = measure(
        command(args.python),
        cols=80,
        rows=24,
        keys=[(START, b" ")],
        warmup=WARMUP,
        seconds=args.seconds,
    )
    print(
        f"bytes: {m.bytes_per_s / 1000:.2f} KB/s, floor {m.floor_per_s / 1000:.2f} KB/s, "
        f"{m.ratio_to_floor:.2f}x the floor (target: within 2x); "
        f"CPU {100 * m.cpu_share_of_one_core:.0f}% of a core, {m.changed_cells} cells changed"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
