"""Measures what a program costs a terminal: bytes per second written, CPU share and peak memory.

Runs any command in a pseudo-terminal of a given size, optionally types keys at given times,
measures over a window after a warm-up, then quits the program (q, then SIGTERM, then SIGKILL)
and prints one summary line (or JSON). Standard library only, Linux (/proc) first.

    python benchmarks/terminal_meter.py --cols 80 --rows 24 --keys 3 --after 2 \\
        --keys " " --after 2.5 --warmup 5 --seconds 10 -- python -m losstui
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import fcntl
import json
import math
import os
import platform
import re
import resource
import select
import signal
import struct
import sys
import tempfile
import termios
import time
from dataclasses import asdict, dataclass
from typing import BinaryIO

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Queries a full-screen program may send on start-up and wait for; a real terminal answers them.
_CURSOR_POSITION = re.compile(rb"\x1b\[\??6n")
_DEVICE_ATTRIBUTES = re.compile(rb"\x1b\[0?c")
_MODE_QUERY = re.compile(rb"\x1b\[\?(\d+)\$p")


@dataclass
class Measurement:
    """What the window saw: bytes written to the terminal, CPU seconds and peak memory."""

    command: str
    cols: int
    rows: int
    warmup_s: float
    window_s: float
    bytes_total: int
    bytes_in_window: int
    bytes_per_s: float
    cpu_s_in_window: float
    cpu_share_of_one_core: float
    peak_rss_mb: float
    exit: str
    completed: bool  # False when the program ended before the window closed
    cpu_count: int
    machine: str
    changed_cells: int = 0
    """Cells whose character or style changed on screen during the window (replayed through
    pyte); 0 when pyte is not installed."""
    floor_bytes: int = 0
    """The least a renderer could have written for those changes (see `floor_cost`)."""
    floor_per_s: float = float("nan")
    ratio_to_floor: float = float("nan")


def _proc_stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, utime + stime + cutime + cstime in seconds) from /proc, or None if gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except OSError:
        return None
    # The command name may hold spaces and parentheses: split after its closing ")".
    fields = data[data.rindex(b")") + 2 :].split()
    ppid = int(fields[1])
    ticks = sum(int(v) for v in fields[11:15])
    return ppid, ticks / CLOCK_TICKS


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds used so far by `root` and all its living descendants (plus the children they
    have reaped), summed from /proc."""
    stats: dict[int, tuple[int, float]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            stat = _proc_stat(int(name))
            if stat is not None:
                stats[int(name)] = stat
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            total += stats[pid][1]
            todo.extend(children.get(pid, ()))
    return total


def peak_rss_mb(pid: int) -> float:
    """VmHWM (the peak resident set) of `pid` in MB, 0 if unknown."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _answer_queries(chunk: bytes, rows: int) -> bytes:
    """Replies a terminal would give to the queries in `chunk`, so start-up never waits."""
    out = b""
    for _ in _CURSOR_POSITION.finditer(chunk):
        out += f"\x1b[{rows};1R".encode()
    for _ in _DEVICE_ATTRIBUTES.finditer(chunk):
        out += b"\x1b[?62;22c"  # a VT220-class terminal with colour
    for match in _MODE_QUERY.finditer(chunk):
        out += b"\x1b[?" + match.group(1) + b";0$y"  # "mode not recognised"
    return out


def spawn(argv: list[str], cols: int, rows: int, env: dict[str, str]) -> tuple[int, int]:
    """Start `argv` on a new pseudo-terminal of cols x rows as its controlling terminal;
    returns (pid, master fd)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    pid = os.fork()
    if pid == 0:  # the child: become a session leader on the new terminal, then exec
        try:
            os.close(master)
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
            for fd in (0, 1, 2):
                os.dup2(slave, fd)
            if slave > 2:
                os.close(slave)
            os.execvpe(argv[0], argv, env)
        except BaseException as error:  # exec failed: say why on the terminal, never return
            os.write(2, f"terminal_meter: cannot run {argv[0]}: {error}\n".encode())
        finally:
            os._exit(127)
    os.close(slave)
    return pid, master


class _Capture:
    """What the program wrote: every chunk with the time it arrived (replayed after the run,
    never during it, so the replay's CPU does not compete with the program, to find the
    changed-cell floor), the byte counts, and a recording of the window if asked."""

    def __init__(self, start: float, recording: BinaryIO | None) -> None:
        self.start, self.recording = start, recording
        self.total = self.in_window = 0
        self.chunks: list[tuple[float, bytes]] = []

    def take(self, now: float, chunk: bytes, *, in_window: bool) -> None:
        self.total += len(chunk)
        self.chunks.append((now - self.start, chunk))
        if in_window:
            self.in_window += len(chunk)
            if self.recording:
                self.recording.write(chunk)

    def close(self) -> None:
        if self.recording:
            self.recording.close()


def _next_chunk(master: int, timeout: float) -> bytes | None:
    """The next bytes the program wrote within `timeout` seconds: None if none came, b"" once
    it closed the terminal."""
    ready, _, _ = select.select([master], [], [], timeout)
    if not ready:
        return None
    try:
        return os.read(master, 65536)
    except OSError:  # EIO: the program closed the terminal
        return b""


def measure(
    argv: list[str],
    *,
    cols: int = 80,
    rows: int = 24,
    keys: list[tuple[float, bytes]] | None = None,
    warmup: float = 3.0,
    seconds: float = 10.0,
    quit_keys: bytes = b"q",
    env: dict[str, str] | None = None,
    record: str | None = None,
) -> Measurement:
    """Run `argv`, type `keys` (at seconds after start), and measure from `warmup` for
    `seconds`: bytes the program writes to the terminal and CPU of its process tree. `record`
    names a file that receives everything written during the window, to see what was redrawn."""
    child_env = dict(os.environ if env is None else env)
    child_env["COLUMNS"], child_env["LINES"] = str(cols), str(rows)
    pid, master = spawn(argv, cols, rows, child_env)
    pending = sorted(keys or [])
    start = time.monotonic()
    window_start, window_end = start + warmup, start + warmup + seconds
    cpu_start = cpu_end = None
    peak = 0.0
    exited: int | None = None
    capture = _Capture(start, open(record, "wb") if record else None)  # noqa: SIM115
    while True:
        now = time.monotonic()
        while pending and now - start >= pending[0][0]:
            os.write(master, pending.pop(0)[1])
        if cpu_start is None and now >= window_start:
            cpu_start = tree_cpu_seconds(pid)
        if now >= window_end:
            cpu_end, peak = tree_cpu_seconds(pid), peak_rss_mb(pid)
            break
        deadline = window_start if cpu_start is None else window_end
        if pending:
            deadline = min(deadline, start + pending[0][0])
        chunk = _next_chunk(master, min(max(deadline - now, 0.0), 0.25))
        if chunk is None:
            continue
        if not chunk:  # the program closed the terminal
            exited = os.waitpid(pid, 0)[1]
            break
        capture.take(now, chunk, in_window=cpu_start is not None)
        reply = _answer_queries(chunk, rows)
        if reply:
            os.write(master, reply)
    capture.close()
    total, in_window, chunks = capture.total, capture.in_window, capture.chunks
    if cpu_start is None or cpu_end is None:
        cpu_start, cpu_end = 0.0, 0.0
    status = _stop(pid, master, quit_keys) if exited is None else _describe(exited)
    os.close(master)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = max(peak, children.ru_maxrss / 1024)  # kilobytes on Linux
    # A program that ends before the window closes has no rate to report.
    window = seconds if exited is None else 0.0
    floor = replay_floor(chunks, cols, rows, warmup, warmup + seconds)
    return _measurement(
        argv,
        (cols, rows, warmup, seconds, window),
        (total, in_window, cpu_end - cpu_start, peak),
        (status, exited is None),
        floor,
    )


def _measurement(
    argv: list[str],
    size: tuple[int, int, float, float, float],
    counts: tuple[int, int, float, float],
    ending: tuple[str, bool],
    floor: tuple[int, int] | None,
) -> Measurement:
    """The figures of one run: its rates over `window` seconds (0 when the program ended
    before the window closed: no rate), and the changed-cell floor's where there is one."""
    cols, rows, warmup, seconds, window = size
    total, in_window, cpu, peak = counts
    status, completed = ending
    changed, floor_bytes = floor if floor is not None else (0, 0)
    nan = float("nan")
    return Measurement(
        command=" ".join(argv),
        cols=cols,
        rows=rows,
        warmup_s=warmup,
        window_s=seconds,
        bytes_total=total,
        bytes_in_window=in_window,
        bytes_per_s=in_window / window if window else nan,
        cpu_s_in_window=cpu,
        cpu_share_of_one_core=cpu / window if window else nan,
        peak_rss_mb=round(peak, 1),
        exit=status,
        completed=completed,
        cpu_count=os.cpu_count() or 1,
        machine=f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores",
        changed_cells=changed,
        floor_bytes=floor_bytes,
        floor_per_s=floor_bytes / window if window and floor is not None else nan,
        ratio_to_floor=in_window / floor_bytes if floor_bytes else nan,
    )


FRAME_GAP_S = 0.003
"""Output arriving within this long of the previous read belongs to the same frame: a program
writes a frame at once, the terminal delivers it in pieces of a few KB."""


def frames(chunks: list[tuple[float, bytes]]) -> list[tuple[float, bytes]]:
    """(arrival time of the first piece, bytes) of each frame, from timed reads."""
    out: list[tuple[float, bytearray]] = []
    last = -1.0
    for t, data in chunks:
        if out and t - last <= FRAME_GAP_S:
            out[-1][1].extend(data)
        else:
            out.append((t, bytearray(data)))
        last = t
    return [(t, bytes(data)) for t, data in out]


def _sgr_length(char) -> int:
    """Bytes of one SGR sequence that sets a pyte cell's whole style from any other: a reset,
    then each attribute and colour it has."""
    params = ["0"]
    for flag, code in (
        (char.bold, "1"),
        (char.italics, "3"),
        (char.underscore, "4"),
        (char.blink, "5"),
        (char.reverse, "7"),
        (char.strikethrough, "9"),
    ):
        if flag:
            params.append(code)
    for colour, base in ((char.fg, 30), (char.bg, 40)):
        if colour == "default":
            continue
        if len(colour) == 6 and all(c in "0123456789abcdefABCDEF" for c in colour):
            r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
            params.append(f"{base + 8};2;{r};{g};{b}")
        else:  # a named colour: one of the eight (or bright) codes
            params.append(str(base))
    return len("\x1b[m") + len(";".join(params))


def floor_cost(row: int, before: list, after: list) -> tuple[int, int]:
    """(cells changed, least bytes to change them) for one screen row, given its pyte cells
    before and after a frame.

    The floor is what an ideal renderer would write: per run of changed cells, one cursor move
    (ESC [ row ; col H); within the run, one SGR sequence wherever the style differs from the
    cell before (`_sgr_length`); and each character's UTF-8 bytes."""
    changed = cost = 0
    pen = None
    col, width = 0, len(after)
    while col < width:
        if before[col] == after[col]:
            col += 1
            continue
        cost += len(f"\x1b[{row + 1};{col + 1}H")
        while col < width and before[col] != after[col]:
            cell = after[col]
            style = cell[1:]
            if style != pen:
                cost += _sgr_length(cell)
                pen = style
            cost += len(cell.data.encode("utf-8"))
            changed += 1
            col += 1
    return changed, cost


def replay_floor(
    chunks: list[tuple[float, bytes]], cols: int, rows: int, start: float, end: float
) -> tuple[int, int] | None:
    """(cells changed, floor bytes) over the frames that arrived between `start` and `end`
    seconds, from replaying all of the output through the pyte terminal emulator; None when pyte
    is not installed (pip install -r benchmarks/requirements.txt).

    Each frame is compared with the screen before it, so a cell that changes and changes back
    within one frame costs nothing, and one that changes in two frames costs twice."""
    try:
        import pyte
    except ImportError:
        return None
    screen = pyte.Screen(cols, rows)
    stream = pyte.ByteStream(screen)
    shown = [[screen.buffer[y][x] for x in range(cols)] for y in range(rows)]
    changed = cost = 0
    for t, data in frames(chunks):
        screen.dirty.clear()
        stream.feed(data)
        for y in sorted(screen.dirty):
            if y >= rows:
                continue
            line = screen.buffer[y]
            after = [line[x] for x in range(cols)]
            if start <= t < end:
                cells, size = floor_cost(y, shown[y], after)
                changed += cells
                cost += size
            shown[y] = after
    return changed, cost


_CURSOR_TO = re.compile(rb"\x1b\[(\d+)(?:;\d+)?H")


def bytes_by_row(output: bytes) -> dict[int, tuple[int, int]]:
    """Screen row → (times the cursor was moved there, bytes written from there to the next
    move), from raw terminal output; which rows a program redraws, and what they cost."""
    moves = list(_CURSOR_TO.finditer(output))
    rows: dict[int, tuple[int, int]] = {}
    for i, move in enumerate(moves):
        end = moves[i + 1].start() if i + 1 < len(moves) else len(output)
        row = int(move.group(1))
        count, size = rows.get(row, (0, 0))
        rows[row] = (count + 1, size + end - move.start())
    return rows


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit {os.WEXITSTATUS(status)}"


def _stop(pid: int, master: int, quit_keys: bytes) -> str:
    """Quit politely (the quit keys), then SIGTERM, then SIGKILL; keep draining the terminal so
    the program is never blocked writing its goodbye."""
    for action, grace in ((quit_keys, 3.0), (signal.SIGTERM, 3.0), (signal.SIGKILL, 3.0)):
        if isinstance(action, bytes):
            if action:
                os.write(master, action)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, action)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                how = _describe(status)
                return how if isinstance(action, bytes) else f"{how} after {action.name}"
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                with contextlib.suppress(OSError):
                    os.read(master, 65536)
    return "did not stop"


def _parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Bytes per second, CPU share and peak memory of a program in a terminal.",
        epilog="Put the command after --, e.g. -- python -m losstui",
    )
    parser.add_argument("--cols", type=int, default=80, help="terminal width (default 80)")
    parser.add_argument("--rows", type=int, default=24, help="terminal height (default 24)")
    parser.add_argument(
        "--keys",
        action="append",
        default=[],
        help=r'keys to type, Python escapes allowed ("\r", "\x1b"); repeat with --after',
    )
    parser.add_argument(
        "--after",
        action="append",
        type=float,
        default=[],
        help="seconds after start to type the matching --keys (default 2)",
    )
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds to measure")
    parser.add_argument("--quit", default="q", help='keys that quit the program (default "q")')
    parser.add_argument(
        "--term", default="xterm-256color", help="TERM for the program (default xterm-256color)"
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set an environment variable for the program (NAME= removes it); repeatable",
    )
    parser.add_argument(
        "--record", metavar="FILE", help="save the bytes written during the window to FILE"
    )
    parser.add_argument(
        "--by-row",
        action="store_true",
        help="also print, per screen row, how often it was redrawn and how many bytes it took",
    )
    parser.add_argument("--json", action="store_true", help="print the measurement as JSON")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command to run")
    args = parser.parse_args(argv)
    if args.command[:1] == ["--"]:
        args.command = args.command[1:]
    if not args.command:
        parser.error("give the command to measure after --")
    if len(args.after) > len(args.keys):
        parser.error("each --after needs a --keys")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    times = args.after + [2.0] * (len(args.keys) - len(args.after))
    keys = [
        (t, codecs.decode(k, "unicode_escape").encode("utf-8"))
        for t, k in zip(times, args.keys, strict=True)
    ]
    quit_keys = codecs.decode(args.quit, "unicode_escape").encode("utf-8")
    env = dict(os.environ, TERM=args.term)
    for setting in args.env:
        name, _, value = setting.partition("=")
        if value:
            env[name] = value
        else:
            env.pop(name, None)
    record = args.record
    if args.by_row and not record:
        record = os.path.join(tempfile.mkdtemp(prefix="terminal_meter"), "window.bin")
    m = measure(
        args.command,
        cols=args.cols,
        rows=args.rows,
        keys=keys,
        warmup=args.warmup,
        seconds=args.seconds,
        quit_keys=quit_keys,
        env=env,
        record=record,
    )
    if args.json:
        print(json.dumps(asdict(m)))
    else:
        print(
            f"{m.cols}x{m.rows}  {m.bytes_per_s / 1024:.2f} KB/s ({m.bytes_in_window} B in "
            f"{m.window_s:g} s)  CPU {100 * m.cpu_share_of_one_core:.1f}% of one core  "
            f"peak RSS {m.peak_rss_mb:.0f} MB  [{m.exit}; {m.machine}; TERM={args.term}]  "
            f"{m.command}"
        )
        if not math.isnan(m.floor_per_s):
            print(
                f"  floor {m.floor_per_s / 1024:.2f} KB/s ({m.changed_cells} changed cells, "
                f"{m.floor_bytes} B)  ratio {m.ratio_to_floor:.1f}x the floor"
            )
        elif m.completed:
            print("  floor: unknown (pip install -r benchmarks/requirements.txt for pyte)")
    if args.by_row:
        with open(record, "rb") as f:
            rows = bytes_by_row(f.read())
        print(
            " row  redraws  bytes   (cursor moves to the row in the window; bytes up to the next)"
        )
        for row, (count, size) in sorted(rows.items()):
            print(f"{row:4d}  {count:7d}  {size:6d}")
    return 0 if m.completed else 1


if __name__ == "__main__":
    sys.exit(main())
