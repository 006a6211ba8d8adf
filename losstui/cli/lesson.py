"""`losstui lesson`: list the built-in lessons, open one in the app (or its speaker notes in this
terminal), or check a lesson file without running it."""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap

from losstui.cli.app import has_terminal, low_bandwidth_wanted
from losstui.cli.lesson_names import lesson_path, lesson_step
from losstui.cli.output import is_terminal
from losstui.cli.parser import PROG, UsageError
from losstui.core.settings import shown_value


def cmd_lesson(args: argparse.Namespace) -> int:
    """`lesson` lists, `lesson NAME` opens (or shows the notes of), `lesson check NAME` checks:
    each error as PATH:LINE: message on stderr, status 2 if there is any."""
    from losstui.core.content import ContentError
    from losstui.lessons.files import read_text
    from losstui.lessons.format import check_lesson

    if args.target is None:
        if args.step is not None:
            raise UsageError(
                f"{PROG} lesson: error: --step needs a lesson: losstui lesson NAME --step N"
            )
        return _list_lessons()
    checking = args.target == "check"
    if not checking and args.path is not None:
        raise UsageError(
            f"{PROG} lesson: error: expected `lesson NAME` or `lesson check NAME`, "
            f"got {shown_value(args.target)} {shown_value(args.path)}"
        )
    name = args.path if checking else args.target
    if name is None:
        raise UsageError(f"{PROG} lesson check: error: give the lesson to check")
    path = lesson_path(name, f"{PROG} lesson check" if checking else f"{PROG} lesson")
    if checking and args.notes:
        raise UsageError(
            f"{PROG} lesson check: error: --notes shows a lesson's notes; check reads it"
        )
    if checking and args.step is not None:
        raise UsageError(
            f"{PROG} lesson check: error: --step opens the app at a step; check reads them all"
        )
    if args.notes:
        return _lesson_notes(path, args)
    if not checking:
        # A lesson with errors opens too, on the list of its errors: with --watch its author
        # fixes the file beside the running app.
        from losstui import cli  # the package's run_app, which a test may stand in for

        return cli.run_app(
            None,
            args.ascii,
            lesson_path=path,
            lesson_step=None if args.step is None else lesson_step(path, args.step),
            instructor=args.instructor,
            watch=args.watch,
            low_bandwidth=low_bandwidth_wanted(args.low_bandwidth),
            save_dir=args.save_dir,
            allow_long_run=args.app_allow_long_run,
        )
    try:
        errors = check_lesson(read_text(path), path)
    except ContentError as error:
        errors = [error]
    for found in errors:
        print(found, file=sys.stderr)
    if errors:
        return 2
    print(f"{path}: ok")
    return 0


def _lesson_notes(path: str, args: argparse.Namespace) -> int:
    """`losstui lesson NAME --notes`: the speaker notes, following the lesson as it is shown
    elsewhere; a lesson with errors is refused with them (the notes need its steps)."""
    from losstui.core.content import ContentError
    from losstui.lessons.files import read_text
    from losstui.lessons.format import check_lesson

    for flag, given in (("--step", args.step is not None), ("--watch", args.watch)):
        if given:
            raise UsageError(
                f"{PROG} lesson: error: --notes follows the step shown where the lesson runs; "
                f"give {flag} to that one"
            )
    try:
        errors = check_lesson(read_text(path), path)
    except ContentError as error:
        errors = [error]
    if errors:
        raise UsageError(f"{PROG} lesson: error: {errors[0]} (losstui lesson check shows all)")
    if not has_terminal():
        return 2
    from losstui.tui.notes_app import run_notes

    return run_notes(path, args.ascii)


#: How wide `losstui lesson` writes when stdout is not a terminal: a pipe or a file gets the same
#: text on every machine, and 80 columns is the narrowest terminal a student has.
PIPED_WIDTH = 80


def _output_width() -> int:
    """The terminal's columns when stdout is one, else PIPED_WIDTH (never under 40: a width of 0,
    which some terminals report, would wrap every word on a line of its own)."""
    if not is_terminal(sys.stdout):
        return PIPED_WIDTH
    columns = shutil.get_terminal_size((PIPED_WIDTH, 24)).columns
    return max(columns, 40) if columns > 0 else PIPED_WIDTH


def _list_lessons() -> int:
    """`losstui lesson`: the built-in lessons with the step this user reached, one a line when
    the titles fit the width, else each title on an indented line under its lesson (at 80
    columns a row with its title would wrap in the middle of a word)."""
    from losstui.lessons import progress
    from losstui.lessons.library import builtin_lessons

    entries = builtin_lessons()
    notice = progress.take_notice()  # an unreadable progress file, kept aside: said once
    if notice is not None:
        print(f"{PROG}: note: {notice}", file=sys.stderr)
    if not entries:
        print("No built-in lessons are installed.")
        return 0
    width = _output_width()
    name_width = max(len(e.short_name) for e in entries)
    # Padded only to the longest value shown, so that "not started" leaves no gap.
    minutes_width = max(len(str(e.minutes)) for e in entries)
    status_width = max(len(e.progress_text()) for e in entries)
    rows = [
        f"{e.number:>2}  {e.short_name:<{name_width}}  {e.minutes:>{minutes_width}} min  "
        f"{e.progress_text():<{status_width}}"
        for e in entries
    ]
    if all(len(row) + 2 + len(e.title) <= width for row, e in zip(rows, entries, strict=True)):
        for row, e in zip(rows, entries, strict=True):
            print(f"{row}  {e.title}")
    else:
        for row, e in zip(rows, entries, strict=True):
            print(row.rstrip())
            print(textwrap.fill(e.title, width, initial_indent="    ", subsequent_indent="    "))
    print()
    print(
        textwrap.fill("Open one: losstui lesson NUMBER.  Your own: losstui lesson FILE.md", width)
    )
    return 0
