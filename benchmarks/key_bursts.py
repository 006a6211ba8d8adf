"""Random key bursts typed into the real app in a terminal: does it end with status 0 and leave
the terminal as it found it?

Each run starts losstui in a detached tmux window (80x24 or 60x20, alternately) with a state
directory of its own, types one burst of random keys in a single write (as a slow link or a paste
delivers them), then Escape and `q` until the app exits. A run passes when the app exits with
status 0 within the time allowed, the alternate screen is off, the cursor shows, mouse reporting
is off and the tty's settings (`stty -g`) are the ones it started with. Every run draws a fresh
seed; a failure prints it, and `--seed N` replays that run alone.

    python benchmarks/key_bursts.py                   # 200 runs of 300 keys
    python benchmarks/key_bursts.py --runs 20 --keys 100
    python benchmarks/key_bursts.py --seed 1234567 --size 60x20

It runs the checkout it is in (on PYTHONPATH, with this Python). Linux and tmux; each tmux server
runs on a socket of its own and is killed after its run (and on SIGTERM). Not part of the test
suite (tests/test_key_bursts.py draws a few fresh bursts per run under Pilot).
"""

from __future__ import annotations

import argparse
import random
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = ((80, 24), (60, 20))
#: The shell's line after the app: its exit status and whether the tty settings came back.
END = re.compile(r"END rc=(\d+) tty=(\w+)")

#: tmux's names of the keys the app or its dialogs act on, and a few that only get typed. Not
#: q, ctrl+c or ctrl+z: they end or suspend the app mid-burst, and the rest would reach the shell.
KEYS = (
    *"123456",
    *"nsrlugcdhextfjkabwyz",
    *"<>?+-=.,/0789",
    "Space",
    "F1",
    "Escape",
    "Enter",
    "Tab",
    "BTab",
    "Up",
    "Down",
    "Left",
    "Right",
    "PPage",
    "NPage",
    "Home",
    "End",
    "BSpace",
    "C-p",
)

#: The terminal modes the app turns on and must turn off: tmux's name → the value when restored.
RESTORED = {"alternate_on": "0", "cursor_flag": "1", "mouse_any_flag": "0", "mouse_all_flag": "0"}


@dataclass
class Outcome:
    seed: int
    size: tuple[int, int]
    ok: bool
    what: str
    seconds: float


class Terminal:
    """One tmux window on a server of its own, running a plain shell."""

    def __init__(self, size: tuple[int, int]) -> None:
        self.socket = f"losstui-key-bursts-{random.SystemRandom().randrange(10**9)}"
        width, height = size
        shell = "env -i PATH=/usr/bin:/bin TERM=xterm-256color PS1='READY$ ' bash --norc -i"
        self.tmux("new-session", "-d", "-s", "k", "-x", str(width), "-y", str(height), shell)

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True
        ).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "k")

    def flag(self, name: str) -> str:
        return self.tmux("display-message", "-p", "-t", "k", f"#{{{name}}}").strip()

    def wait(self, done, timeout: float) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if done():
                return True
            time.sleep(0.1)
        return False

    def close(self) -> None:
        self.tmux("kill-server")


def one_run(seed: int, size: tuple[int, int], keys: int, losstui: str) -> Outcome:
    """Type one burst from `seed` into `losstui` (a shell command) in a fresh terminal."""
    rng = random.Random(seed)
    burst = [rng.choice(KEYS) for _ in range(keys)]
    start = time.monotonic()
    term = Terminal(size)
    try:
        if not term.wait(lambda: "READY$" in term.screen(), 20):
            return Outcome(seed, size, False, "the shell never started", 0.0)
        with tempfile.TemporaryDirectory() as state:
            line = (
                f"S0=$(stty -g); XDG_STATE_HOME={shlex.quote(state)} {losstui}; "
                'rc=$?; [ "$(stty -g)" = "$S0" ] && t=same || t=changed; echo "END rc=$rc tty=$t"'
            )
            term.tmux("send-keys", "-t", "k", "-l", line)
            term.tmux("send-keys", "-t", "k", "Enter")
            if not term.wait(lambda: term.flag("alternate_on") == "1", 60):
                return Outcome(seed, size, False, "the app never started", 0.0)
            term.wait(lambda: "Quit" in term.screen(), 30)  # the first frame: its footer
            started = time.monotonic() - start
            term.tmux("send-keys", "-t", "k", *burst)
            tries, exited = 0, False
            while tries < 12 and not exited:  # Escape leaves a field or a dialog; then q quits
                tries += 1
                # Apart: Escape and q in one write read as alt+q.
                for key in ("Escape", "Escape", "q"):
                    time.sleep(0.3)
                    term.tmux("send-keys", "-t", "k", key)
                exited = term.wait(lambda: END.search(term.screen()) is not None, 5)
            seconds = time.monotonic() - start
            if not exited:
                return Outcome(seed, size, False, "did not quit:\n" + term.screen(), seconds)
            screen = term.screen()
            end = END.search(screen)
            result = [end.group(0)] if end else ["no exit line"]
            flags = {name: term.flag(name) for name in RESTORED}
            wrong = [f"{k}={v}" for k, v in flags.items() if v != RESTORED[k]]
            if result != ["END rc=0 tty=same"] or wrong:
                crash = "".join(p.read_text() for p in Path(state).glob("losstui/crash-*.txt"))
                what = f"{' '.join(result)} {' '.join(wrong)}\n{screen}\n{crash}"
                return Outcome(seed, size, False, what, seconds)
            return Outcome(seed, size, True, f"start {started:.1f}s, quit on try {tries}", seconds)
    finally:
        term.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--keys", type=int, default=300, help="keys a burst (300)")
    parser.add_argument("--seed", type=int, help="replay one run with this seed")
    parser.add_argument("--size", help="WxH of a replay (80x24)", default="80x24")
    args = parser.parse_args()
    # A SIGTERM unwinds like ^C, so that the run's tmux server is killed on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    # The checkout this script is in, whatever is installed: a copy of a commit measures it.
    losstui = f"PYTHONPATH={shlex.quote(str(ROOT))} {shlex.quote(sys.executable)} -m losstui"
    if args.seed is not None:
        width, height = (int(n) for n in args.size.split("x"))
        plan = [(args.seed, (width, height))]
    else:
        fresh = random.SystemRandom()
        plan = [(fresh.randrange(2**32), SIZES[i % len(SIZES)]) for i in range(args.runs)]
    failures = 0
    seconds = 0.0
    for number, (seed, size) in enumerate(plan, 1):
        outcome = one_run(seed, size, args.keys, losstui)
        seconds += outcome.seconds
        mark = "ok" if outcome.ok else "FAILED"
        print(
            f"{number:4d} seed {seed:10d} {size[0]}x{size[1]} {outcome.seconds:5.1f}s {mark}",
            end="",
        )
        if outcome.ok:
            print(f" ({outcome.what})")
        else:
            failures += 1
            print(f"\n     replay: --seed {seed} --size {size[0]}x{size[1]}\n{outcome.what}")
        sys.stdout.flush()
    print(
        f"{len(plan) - failures} of {len(plan)} runs ended with status 0 and the terminal restored"
    )
    print(f"(mean {seconds / max(1, len(plan)):.1f} s a run)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
