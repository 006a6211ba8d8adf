"""The one way the tests run the command line: `losstui ARGV...` in-process, its exit status
and what it printed."""

from __future__ import annotations

from losstui import cli


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """`losstui *argv` in this process: its exit status, stdout and stderr (read from `capsys`,
    which it leaves empty)."""
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err
