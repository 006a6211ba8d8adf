"""The app in a real pseudo-terminal: signals end it with the terminal restored; streams that are
not a terminal are refused at once; an uncaught error exits 1 with one line."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals and signals")

ALT_SCREEN_OFF = b"\x1b[?1049l"
CURSOR_SHOWN = b"\x1b[?25h"
MOUSE_OFF = b"\x1b[?1000l"
#: Bounds for waiting on the child: generous, since two cores are shared; a wait ends as soon
#: as its condition holds.
START_SECONDS = 60
EXIT_SECONDS = 30


class AppInPty:
    """`python -m losstui ARGS` with stdin, stdout and (unless given) stderr on a new pty."""

    def __init__(
        self, *args: str, stderr=None, env=None, preexec_fn=None, command=("-m", "losstui")
    ) -> None:
        self.master, slave = pty.openpty()
        os.set_blocking(self.master, False)
        environ = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
        environ.update(env or {})
        self.process = subprocess.Popen(
            [sys.executable, *command, *args],
            stdin=slave,
            stdout=slave,
            stderr=slave if stderr is None else stderr,
            env=environ,
            start_new_session=True,  # the pty becomes its controlling terminal
            preexec_fn=preexec_fn,
        )
        os.close(slave)
        self.output = bytearray()

    def read_until(self, predicate, seconds: float) -> bool:
        """Read what the app writes until `predicate(output)` holds or `seconds` pass."""
        deadline = time.monotonic() + seconds
        while not predicate(bytes(self.output)):
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            ready, _, _ = select.select([self.master], [], [], min(left, 0.5))
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:  # the child has gone and closed the pty
                    return predicate(bytes(self.output))
        return True

    def wait_drawn(self) -> None:
        # The footer's Quit key is drawn last of the first frame.
        assert self.read_until(lambda out: b"Quit" in out, START_SECONDS), bytes(self.output)

    def exit_status(self) -> int:
        self.read_until(lambda _: self.process.poll() is not None, EXIT_SECONDS)
        return self.process.wait(timeout=EXIT_SECONDS)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


@pytest.fixture
def app_in_pty():
    started: list[AppInPty] = []

    def start(*args: str, **kwargs) -> AppInPty:
        started.append(AppInPty(*args, **kwargs))
        return started[-1]

    yield start
    for app in started:
        app.close()


@pytest.mark.parametrize(
    "signum",
    [
        signal.SIGTERM,
        signal.SIGHUP,
        signal.SIGQUIT,
        signal.SIGINT,  # `kill -INT`: 130, as the README says, not 0
        signal.SIGUSR1,
        signal.SIGUSR2,
        signal.SIGALRM,
    ],
    ids=lambda signum: signal.Signals(signum).name,
)
def test_a_signal_ends_the_app_with_the_terminal_restored(app_in_pty, signum):
    app = app_in_pty()
    app.wait_drawn()
    drawn = len(app.output)
    app.process.send_signal(signum)
    assert app.exit_status() == 128 + signum
    after = bytes(app.output[drawn:])
    assert ALT_SCREEN_OFF in after
    assert CURSOR_SHOWN in after
    assert MOUSE_OFF in after
    assert b"Traceback" not in app.output


def test_a_signal_ends_the_speaker_notes_with_the_terminal_restored(app_in_pty, tmp_path):
    notes = app_in_pty("lesson", "1", "--notes", env={"XDG_STATE_HOME": str(tmp_path)})
    notes.wait_drawn()
    drawn = len(notes.output)
    notes.process.send_signal(signal.SIGUSR1)
    assert notes.exit_status() == 128 + signal.SIGUSR1
    after = bytes(notes.output[drawn:])
    assert ALT_SCREEN_OFF in after
    assert CURSOR_SHOWN in after


def test_every_signal_that_would_end_the_app_restores_the_terminal_first():
    """Each signal whose default ends a program, as signal(7) lists them, is one the app ends
    on cleanly; left out only those no program catches and the kernel's own faults."""
    from losstui.tui.signals import EXIT_SIGNALS

    ignored = {"SIGPIPE", "SIGXFSZ"}  # Python ignores these itself: they end nothing
    never = {"SIGKILL", "SIGSTOP"}
    faults = {"SIGSEGV", "SIGBUS", "SIGILL", "SIGFPE", "SIGTRAP", "SIGSYS"}
    default_continues = {"SIGCHLD", "SIGCONT", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG"}
    default_continues |= {"SIGWINCH"}
    for signum in signal.valid_signals():
        try:
            name = signal.Signals(signum).name
        except ValueError:  # a real-time signal between SIGRTMIN and SIGRTMAX has no name
            name = f"SIGRTMIN+{signum - signal.SIGRTMIN}"
        if name in ignored | never | faults | default_continues:
            assert signum not in EXIT_SIGNALS, name
        else:  # ends the program by default: the app must handle it
            assert signum in EXIT_SIGNALS, name


def test_the_readme_exit_status_table_names_every_signal_the_app_ends_on():
    from pathlib import Path

    from losstui.tui.signals import EXIT_SIGNALS

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| 128 + N |"))
    listed = {name: int(status) for name, status in re.findall(r"(SIG[A-Z0-9]+) (\d+)", row)}
    for name, status in listed.items():
        if hasattr(signal, name):  # SIGSTKFLT and SIGPWR are Linux's
            assert status == 128 + getattr(signal, name), name
            assert getattr(signal, name) in EXIT_SIGNALS, name
    realtime = range(getattr(signal, "SIGRTMIN", 0), getattr(signal, "SIGRTMAX", -1) + 1)
    for signum in EXIT_SIGNALS:
        if signum in realtime:  # the row gives the rule
            assert f"SIGRTMIN+n: {128 + signal.SIGRTMIN} + n" in row
        else:
            assert signal.Signals(signum).name in listed


def _close(fd: int):
    """A preexec_fn that closes one of the child's standard streams (`<&-`, `2>&-`)."""
    return lambda: os.close(fd)


@pytest.mark.parametrize(
    "how",
    [{"stdin": subprocess.DEVNULL}, {"input": b"q\n"}, {"preexec_fn": _close(0)}],
    ids=["< /dev/null", "echo | losstui", "<&-"],
)
def test_the_app_refuses_a_stdin_that_is_not_a_terminal_at_once(how):
    process = subprocess.run(
        [sys.executable, "-m", "losstui"], capture_output=True, timeout=EXIT_SECONDS, **how
    )
    assert process.returncode == 2
    err = process.stderr.decode()
    assert err.count("\n") == 1
    assert "needs a terminal" in err
    assert "standard input" in err
    assert "losstui train" in err
    assert "Traceback" not in err
    assert process.stdout == b""


@pytest.mark.parametrize("argv", [[], ["lesson", "1", "--notes"]], ids=["app", "notes"])
def test_no_terminal_is_status_2_even_with_stderr_closed(argv):
    """`losstui </dev/null 2>&-`: the line cannot be written, but the input is what is wrong."""
    process = subprocess.run(
        [sys.executable, "-m", "losstui", *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=EXIT_SECONDS,
        preexec_fn=_close(2),
    )
    assert process.returncode == 2
    assert process.stdout == b""


def test_the_app_refuses_a_stdout_that_is_not_a_terminal():
    master, slave = pty.openpty()
    try:
        process = subprocess.run(
            [sys.executable, "-m", "losstui"],
            stdin=slave,
            capture_output=True,
            timeout=EXIT_SECONDS,
        )
    finally:
        os.close(master)
        os.close(slave)
    assert process.returncode == 2
    assert b"standard output" in process.stderr
    assert process.stderr.count(b"\n") == 1


@pytest.mark.parametrize(
    "how",
    [{"stderr": subprocess.DEVNULL}, {"stderr": subprocess.DEVNULL, "preexec_fn": _close(2)}],
    ids=["2>/dev/null", "2>&-"],
)
def test_the_app_draws_on_the_terminal_whatever_stderr_is(app_in_pty, how):
    app = app_in_pty(**how)
    app.wait_drawn()
    os.write(app.master, b"q")
    assert app.exit_status() == 0


#: The app with its step action broken, as a bug would break it.
BROKEN_APP = (
    "import sys; from losstui.tui.screens.main_screen import MainScreen; "
    "MainScreen.action_step = lambda self: 1 / 0; "
    "from losstui.cli import main; sys.exit(main())"
)


def test_an_uncaught_error_exits_1_with_one_line_and_the_report_in_a_file(app_in_pty, tmp_path):
    app = app_in_pty(command=("-c", BROKEN_APP), env={"XDG_STATE_HOME": str(tmp_path)})
    app.wait_drawn()
    os.write(app.master, b"3")
    os.write(app.master, b"n")
    assert app.exit_status() == 1
    out = bytes(app.output).decode(errors="replace")
    assert ALT_SCREEN_OFF.decode() in out
    assert "Traceback" not in out
    reports = list((tmp_path / "losstui").glob("crash-*.txt"))
    assert len(reports) == 1
    assert "ZeroDivisionError" in reports[0].read_text()
    line = out.rsplit(ALT_SCREEN_OFF.decode(), 1)[1]
    assert f"the full report is in {reports[0]}" in line
    assert "unexpected error (ZeroDivisionError: division by zero)" in line


def _text(output: bytes) -> str:
    """What the escape sequences in `output` draw, as bare text."""
    return re.sub(
        r"\x1b(\[[0-9;?<>=$]*[ -/]*[@-~]|[()][0-9A-B]|[=>])", "", output.decode(errors="replace")
    )


def _stopped(pid: int) -> bool:
    """True once the process is stopped (state T in /proc/PID/stat)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("T", "t")
    except OSError:
        return False


def _proc_state(pid: int) -> str:
    """What a failed wait shows: the state and wait channel of each of the child's threads."""
    try:
        tasks = sorted(os.listdir(f"/proc/{pid}/task"))
        return "; ".join(
            open(f"/proc/{pid}/task/{t}/stat").read().rsplit(")", 1)[1].split()[0]
            + " "
            + open(f"/proc/{pid}/task/{t}/wchan").read()
            for t in tasks
        )
    except OSError as error:
        return str(error)


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads /proc")
def test_a_stray_sigcont_starts_no_second_input_thread(app_in_pty):
    app = app_in_pty()
    app.wait_drawn()
    threads = len(os.listdir(f"/proc/{app.process.pid}/task"))  # main, input, writer
    for _ in range(2):  # `kill -CONT` on a running app, as after `kill -STOP`
        app.process.send_signal(signal.SIGCONT)
    drawn = len(app.output)
    # Answered (the tab moves), so the signals have been handled.
    os.write(app.master, b"2")
    assert app.read_until(lambda out: len(out) > drawn, START_SECONDS)
    # Textual's own handler started the driver again on each: an input thread and a writer more.
    assert len(os.listdir(f"/proc/{app.process.pid}/task")) == threads
    os.write(app.master, b"q")
    assert app.exit_status() == 0


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads /proc")
@pytest.mark.parametrize("suspend", ["ctrl+z", "kill -TSTP"])
def test_after_suspend_and_resume_the_whole_screen_is_drawn_at_once(app_in_pty, suspend):
    app = app_in_pty()
    app.wait_drawn()
    if suspend == "ctrl+z":
        os.write(app.master, b"\x1a")
    else:
        app.process.send_signal(signal.SIGTSTP)
    stopped = app.read_until(lambda _: _stopped(app.process.pid), EXIT_SECONDS)
    assert stopped, _proc_state(app.process.pid)
    # Stopped, it has left the alternate screen: the shell's prompt shows on the terminal.
    assert app.output.rfind(ALT_SCREEN_OFF) > app.output.rfind(b"\x1b[?1049h")
    resumed = len(app.output)
    app.process.send_signal(signal.SIGCONT)
    # The footer and the tabs come back without a key being pressed.
    assert app.read_until(lambda out: "Recommendation" in _text(out[resumed:]), START_SECONDS), (
        _text(app.output[resumed:])
    )
    os.write(app.master, b"q")
    assert app.exit_status() == 0


@pytest.mark.skipif(not os.path.exists("/bin/bash"), reason="needs bash for job control")
def test_ctrl_z_bg_then_fg_brings_the_app_back_alive(app_in_pty):
    # `bg` continued the suspended app in the background, where taking the terminal failed:
    # after `fg` it had no input thread, its keys echoed and q did nothing.
    shell = app_in_pty(
        command=("-c", "import os; os.execv('/bin/bash', ['bash', '--norc', '--noprofile', '-i'])"),
        env={"PS1": "$ "},
    )
    os.write(shell.master, f"{sys.executable} -m losstui\n".encode())
    shell.wait_drawn()
    os.write(shell.master, b"\x1a")  # ctrl+z
    assert shell.read_until(lambda out: b"Stopped" in out, EXIT_SECONDS), _text(shell.output)
    os.write(shell.master, b"bg\n")
    assert shell.read_until(lambda out: b"&" in out.split(b"Stopped")[-1], EXIT_SECONDS)
    resumed = len(shell.output)
    os.write(shell.master, b"fg\n")
    assert shell.read_until(lambda out: "Recommendation" in _text(out[resumed:]), START_SECONDS)
    after = len(shell.output)
    os.write(shell.master, b"3")  # the app answers keys again
    assert shell.read_until(lambda out: "PAUSED" in _text(out[after:]), START_SECONDS), _text(
        shell.output[after:]
    )
    os.write(shell.master, b"q")  # it quits, and the shell's prompt comes back
    assert shell.read_until(
        lambda out: ALT_SCREEN_OFF in out[after:] and b"$ " in out[out.rfind(ALT_SCREEN_OFF) :],
        EXIT_SECONDS,
    ), _text(shell.output[after:])
