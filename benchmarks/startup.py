"""Measures time to first screen: losstui against a bare Textual app, in tmux, interleaved.

Each run starts one program in a fresh detached tmux session of the given size and polls the
pane (`tmux capture-pane`) until the program's first screen shows its marker text; the time from
launching the session to that capture is the run's figure. The bare app is the smallest Textual
app that shows one line, started by the same Python. The peer is a Textual app of stock widgets
built like losstui's first screen (a status line, six tabs, the problem list and the questions as
option lists, the footer's keys) with no losstui code and no numpy: what Textual itself costs for
such a screen, the floor any app of this shape starts from. The programs alternate run by run
(which goes first alternates too), so all see the same machine. Prints the medians and the
ratios to the bare app.

    python benchmarks/startup.py                 # 9 runs each at 80x24
    python benchmarks/startup.py --runs 15 --cols 120 --rows 40
    python benchmarks/startup.py --json
    python benchmarks/startup.py --also /tmp/old   # another checkout too (git archive of a commit)
    python benchmarks/startup.py --written         # and when each program writes its first frame
    python benchmarks/startup.py --cols 120 --rows 40 --preview   # losstui's preview drawn too

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
PEER_TEXT = "peer textual ready"
PEER_APP = f"""
from textual.app import App
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Label, OptionList, Static, TabbedContent, TabPane
class KeysFooter(Footer):  # the footer's keys on the first frame, as losstui's footer does
    def __init__(self):
        super().__init__()
        self.set_reactive(Footer._bindings_ready, True)
class Peer(App):
    CSS = "#status {{ height: 1; }} TabbedContent {{ height: 1fr; }} "\\
        "Horizontal > Vertical {{ width: 1fr; }} "\\
        "OptionList {{ height: 1fr; }}"
    BINDINGS = [Binding("3", "x", "Train"), Binding("question_mark", "x", "Help", key_display="?"),
                Binding("q", "quit", "Quit")]
    def compose(self):
        yield Static({PEER_TEXT!r}, id="status")
        with TabbedContent():
            for title in ("1 Problem", "2 Recommendation", "3 Train", "4 Distributions",
                          "5 P/Q lab", "6 Lessons"):
                with TabPane(title):
                    if title == "1 Problem":
                        with Horizontal():
                            with Vertical():
                                yield Label("Choose your problem (enter):")
                                yield OptionList(*(f"Problem {{i}}\\n  what it predicts, in a "
                                                   "line of about this length" for i in range(12)))
                            with Vertical():
                                yield Label("Don't know its name? Answer:")
                                yield OptionList("a real number", "one of two classes",
                                                 "one of several classes", "a count")
        yield KeysFooter()
Peer().run()
"""
#: With --written, run first in each program: the wall-clock time at which its first full frame
#: (over 1,000 bytes) leaves Textual's driver goes to the file named by STARTUP_MARK.
WRITE_MARK = """
import os as _os, time as _time
from textual.drivers.linux_driver import LinuxDriver as _Driver
_write = _Driver.write
def _marked(self, data):
    if len(data) > 1000 and not _marked.done:
        _marked.done = True
        with open(_os.environ["STARTUP_MARK"], "w") as _file:
            _file.write(repr(_time.time()))
    return _write(self, data)
_marked.done = False
_Driver.write = _marked
"""
#: losstui's entry, as `python -m losstui` runs it (for --written, which runs code with -c).
LOSSTUI_ENTRY = "from losstui.cli import main\nraise SystemExit(main([]))\n"
#: What losstui's first screen shows once it is drawn whole: the tab row and the footer's last key.
LOSSTUI_MARKERS = ("1 Problem", "Quit")
#: With --preview, also the preview beside the chooser (120 columns and more), which is drawn once
#: the app state is built, just after the first frame: its first heading.
PREVIEW_MARKER = "Why (maximum likelihood)"


def _tmux(socket: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["tmux", "-L", socket, *args], capture_output=True, text=True, check=False
    )


def time_to_screen(
    socket: str,
    command: str,
    markers: tuple[str, ...],
    cols: int,
    rows: int,
    timeout: float,
    mark: Path | None = None,
) -> tuple[float, float | None]:
    """Seconds from starting `command` in a new tmux session until every marker is on screen,
    and (when `mark` names the file a WRITE_MARK writes) until the program wrote its first
    frame."""
    _tmux(socket, "kill-session", "-t", "bench")
    if mark is not None:
        mark.unlink(missing_ok=True)
    wall = time.time()
    start = time.perf_counter()
    started = _tmux(
        socket, "new-session", "-d", "-s", "bench", "-x", str(cols), "-y", str(rows), command
    )
    if started.returncode != 0:  # not a run of the program: say why rather than wait for it
        raise SystemExit(f"tmux could not start the session: {started.stderr.strip()}")
    try:
        while True:
            shown = _tmux(socket, "capture-pane", "-p", "-t", "bench").stdout
            elapsed = time.perf_counter() - start
            if all(marker in shown for marker in markers):
                written = float(mark.read_text()) - wall if mark and mark.exists() else None
                return elapsed, written
            if elapsed > timeout:
                raise SystemExit(f"no first screen after {timeout:g} s: {command}\n{shown}")
            time.sleep(0.005)
    finally:
        _tmux(socket, "kill-session", "-t", "bench")


def _time_all(
    cases: dict[str, tuple[str, tuple[str, ...]]],
    runs: int,
    size: tuple[int, int, float],
    mark: Path | None,
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Each case's seconds to its screen (and to its first frame written, with `mark`), over
    `runs` interleaved rounds after one throwaway run each, on a tmux server of its own."""
    socket = f"losstui-startup-{os.getpid()}"
    times: dict[str, list[float]] = {name: [] for name in cases}
    writes: dict[str, list[float]] = {name: [] for name in cases}
    try:
        # A session that outlives the runs: with none left, a tmux server exits as the last
        # run's session is killed, and the next run's may reach it while it is going away.
        _tmux(socket, "new-session", "-d", "-s", "keep", "-x", "20", "-y", "2", "sleep 86400")
        # One throwaway run each fills the disk cache and Python's bytecode cache.
        for command, markers in cases.values():
            time_to_screen(socket, command, markers, *size, mark)
        for i in range(runs):
            order = list(cases) if i % 2 == 0 else list(reversed(cases))
            for name in order:
                command, markers = cases[name]
                shown, written = time_to_screen(socket, command, markers, *size, mark)
                times[name].append(shown)
                if written is not None:
                    writes[name].append(written)
    finally:
        _tmux(socket, "kill-server")
        if mark is not None:
            mark.unlink(missing_ok=True)
    return times, writes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each program (default 9)")
    parser.add_argument("--cols", type=int, default=80)
    parser.add_argument("--rows", type=int, default=24)
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per run at most")
    parser.add_argument("--python", default=sys.executable, help="the interpreter for both")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--written",
        action="store_true",
        help="also time when each program writes its first frame (its code runs with a probe)",
    )
    parser.add_argument(
        "--preview",
        action="store_true",
        help="losstui's screen counts once the preview beside the chooser is drawn too "
        "(120 columns and more; drawn after the first frame)",
    )
    parser.add_argument(
        "--also",
        action="append",
        default=[],
        metavar="DIR",
        help="also time losstui from this checkout (e.g. an older commit), interleaved",
    )
    args = parser.parse_args(argv)

    python = shlex.quote(args.python)
    # Bytecode is written and read as on a user's machine (the first, throwaway run writes it),
    # whatever this shell says.
    unset = "unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX &&"
    mark = Path(f"/tmp/losstui-startup-{os.getpid()}.mark") if args.written else None
    variables = "LANG=C.UTF-8 TERM=xterm-256color"
    if mark is not None:
        variables += f" STARTUP_MARK={shlex.quote(str(mark))}"
    env = f"{unset} cd {shlex.quote(str(ROOT))} && {variables} exec"

    def program(code: str) -> str:
        return f"{python} -c {shlex.quote((WRITE_MARK if mark else '') + code)}"

    markers = (*LOSSTUI_MARKERS, PREVIEW_MARKER) if args.preview else LOSSTUI_MARKERS
    # `python -m` (and -c) put the working directory first on sys.path: that checkout's losstui.
    losstui = program(LOSSTUI_ENTRY) if mark else f"{python} -m losstui"
    cases = {
        "bare": (f"{env} {program(BARE_APP)}", (BARE_TEXT,)),
        "peer": (f"{env} {program(PEER_APP)}", (PEER_TEXT, "1 Problem", "Quit")),
        "losstui": (f"{env} {losstui}", markers),
    }
    for other in args.also:
        there = f"{unset} cd {shlex.quote(other)} && {variables} exec"
        cases[other] = (f"{there} {losstui}", markers)
    size = (args.cols, args.rows, args.timeout)
    times, writes = _time_all(cases, args.runs, size, mark)

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
    if args.written:
        written = {name: statistics.median(v) for name, v in writes.items() if v}
        result["written_median_ms"] = {name: round(1000 * m, 1) for name, m in written.items()}
        result["written_ratios"] = {
            name: round(m / written["bare"], 3) for name, m in written.items()
        }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['size']}, {args.runs} interleaved runs each, medians: "
            f"bare Textual {result['median_ms']['bare']:.0f} ms, "
            f"Textual peer {result['median_ms']['peer']:.0f} ms "
            f"(ratio {result['ratios']['peer']:.2f}), "
            f"losstui {result['median_ms']['losstui']:.0f} ms (ratio {ratio:.2f}) "
            f"(load average {result['load_average'][0]})"
        )
        for other in args.also:
            print(
                f"  {other}: {result['median_ms'][other]:.0f} ms, "
                f"ratio {result['ratios'][other]:.2f}"
            )
        if args.written:
            print(
                "  first frame written: "
                + ", ".join(
                    f"{name} {ms:.0f} ms (ratio {result['written_ratios'][name]:.2f})"
                    for name, ms in result["written_median_ms"].items()
                )
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
