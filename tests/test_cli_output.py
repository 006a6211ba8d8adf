"""The headless commands when their output cannot be written: closed, full, or a reader gone."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from losstui import cli

COMMANDS = [
    ("losses",),
    ("recommend", "regression"),
    ("info", "--p", "0.5,0.5", "--q", "0.9,0.1"),
    ("train", "--problem", "regression", "--steps", "20"),
    ("--help",),
    ("--version",),
]
IDS = [c[0] for c in COMMANDS]


def losstui(*argv: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "losstui", *argv], capture_output=False, timeout=60, **kwargs
    )


@pytest.mark.parametrize("argv", COMMANDS, ids=IDS)
def test_a_closed_stdout_is_one_line_and_status_1(argv):
    proc = losstui(*argv, stdout=None, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1))
    assert proc.returncode == 1
    assert proc.stderr == b"losstui: error: cannot write the output: standard output is closed\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("argv", COMMANDS, ids=IDS)
def test_a_full_disk_is_one_line_and_status_1(argv):
    with open("/dev/full", "w") as full:
        proc = losstui(*argv, stdout=full, stderr=subprocess.PIPE)
    assert proc.returncode == 1
    assert proc.stderr == b"losstui: error: cannot write the output: No space left on device\n"


def test_closed_stdout_and_stderr_still_give_the_status():
    proc = losstui("losses", preexec_fn=lambda: (os.close(1), os.close(2)))
    assert proc.returncode == 1


def test_a_reader_that_goes_away_ends_the_run_quietly_with_141():
    # More output than a pipe holds, read by a consumer that stops after one line.
    argv = ["train", "--problem", "regression", "--steps", "20000", "--format", "csv"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "losstui", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout.readline()
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert err == b""
    assert proc.returncode == 141


class _GoneReader(io.StringIO):
    """A stdout whose reader has gone after the first write."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        if self.getvalue():
            raise BrokenPipeError
        return super().write(text)


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_every_format_of_train_gives_141_on_a_gone_reader(monkeypatch, capsys, fmt):
    monkeypatch.setattr(sys, "stdout", _GoneReader())
    monkeypatch.setattr(cli, "drop_pending_output", lambda: None)  # keep pytest's fd 1
    argv = ["train", "--problem", "regression", "--steps", "50", "--format", fmt]
    assert cli.main(argv) == 141
    assert capsys.readouterr().err == ""
