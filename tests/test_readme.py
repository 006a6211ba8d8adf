"""The README's command examples are the commands' real output, so they cannot drift.

Each ```console block of README.md holds `$ losstui ...` lines, each followed by what it prints
(stdout, then stderr); `| tail -N` keeps the last N lines, as the shell would. After a change that
alters an output, rewrite the blocks with

    .venv/bin/python tests/test_readme.py --update
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from losstui import cli

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)
TAIL = re.compile(r"\s*\|\s*tail -(\d+)\s*\Z")


class _Terminal(io.StringIO):
    """A captured stream that says it speaks UTF-8, as the README's terminal does."""

    encoding = "utf-8"  # type: ignore[assignment]


@dataclass(frozen=True)
class Example:
    command: str
    shown: str


def examples(text: str) -> list[Example]:
    """Every `$ losstui ...` line of the console blocks, with the output shown under it."""
    found = []
    for block in BLOCK.findall(text):
        command, lines = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    found.append(Example(command, "\n".join(lines)))
                command, lines = line[2:], []
            else:
                lines.append(line)
        if command is not None:
            found.append(Example(command, "\n".join(lines)))
    return found


def output(command: str) -> str:
    """What `command` prints (stdout then stderr), its `| tail -N` applied."""
    tail = TAIL.search(command)
    argv = shlex.split(command[: tail.start()] if tail else command)
    assert argv[0] == "losstui", command
    out, err = _Terminal(), _Terminal()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        cli.main(argv[1:])
    lines = (out.getvalue() + err.getvalue()).rstrip("\n").splitlines()
    if tail:
        lines = lines[-int(tail.group(1)) :]
    return "\n".join(line.rstrip() for line in lines)


EXAMPLES = examples(README.read_text(encoding="utf-8"))


def test_the_readme_has_examples_of_every_headless_command():
    commands = {shlex.split(e.command)[1] for e in EXAMPLES}
    assert {"recommend", "losses", "info", "train", "race", "shapes", "landscape"} <= commands


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.command for e in EXAMPLES])
def test_a_readme_example_is_what_the_command_prints(example):
    shown = "\n".join(line.rstrip() for line in example.shown.splitlines())
    assert output(example.command) == shown


def update() -> None:
    """Rewrite every console block's outputs with what the commands print now."""
    text = README.read_text(encoding="utf-8")

    def rewrite(match: re.Match[str]) -> str:
        lines = []
        for example in examples(match.group(0)):
            lines += [f"$ {example.command}", output(example.command)]
        return "```console\n" + "\n".join(lines) + "\n```"

    README.write_text(BLOCK.sub(rewrite, text), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(__doc__)
    update()
