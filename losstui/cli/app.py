"""Opening the Textual app from the command line: `losstui` without a command, and `losstui lesson
NAME`. textual is imported only when the app opens, so the headless commands never load it."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from losstui.cli.output import PROG, tell


def low_bandwidth_wanted(flag: bool | None, environ: Mapping[str, str] | None = None) -> bool:
    """Whether the app redraws for a slow link: as `flag` says (--low-bandwidth or
    --no-low-bandwidth), or, when neither was given, whenever it runs over SSH."""
    if flag is not None:
        return flag
    return bool((os.environ if environ is None else environ).get("SSH_CONNECTION"))


def has_terminal() -> bool:
    """Whether the app can run here; if not, says why in one line on stderr when stderr can be
    written (with stderr closed too, `losstui </dev/null 2>&-`, the status stays 2: the input is
    what is wrong, not the output)."""
    from losstui.tui.streams import terminal_problem

    problem_here = terminal_problem()
    if problem_here is not None:
        tell(problem_here)
    return problem_here is None


def run_app(
    problem: str | None,
    ascii_only: bool,
    preset: str | None = None,
    setup: str | None = None,
    lesson_path: str | None = None,
    instructor: bool = False,
    watch: bool = False,
    *,
    lesson_step: int | None = None,
    low_bandwidth: bool = False,
    save_dir: str | None = None,
    allow_long_run: bool = False,
) -> int:
    """Open the Textual app and return its exit status (textual is imported only here, so the
    headless commands never load it). Status 2 at once when stdin or stdout is not a terminal."""
    if not has_terminal():
        return 2
    try:
        from losstui.tui.app import run
    except ImportError as exc:
        print(f"{PROG}: error: the app cannot start: {exc}", file=sys.stderr)
        return 1
    return run(
        problem=problem,
        ascii=ascii_only,
        preset=preset,
        setup=setup,
        lesson_path=lesson_path,
        lesson_step=lesson_step,
        instructor=instructor,
        watch=watch,
        low_bandwidth=low_bandwidth,
        save_dir=save_dir,
        allow_long_run=allow_long_run,
    )
