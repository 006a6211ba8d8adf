"""Command line: start the app, or run the headless commands recommend, losses, info, lesson,
train, race and serve.

The package is flat: `parser` reads the command line, `checks` what no one option can check,
`app` opens the Textual app, `output` and `printing` are the shared output helpers, and each
command has a module of its own (`recommend`, `losses`, `info`, `lesson`, `train`, `race`,
`serve`) that imports only those and `training` (what train and race share), never another
command. This module dispatches, and `main` turns every way a
command can end into an exit status.

Names a test stands in for (monkeypatch) live here and are looked up here when called:
`run_app`, `COMMANDS`, `drop_pending_output`, and `_run_steps` (cmd_train calls it through this
package).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from losstui.cli.app import low_bandwidth_wanted, run_app
from losstui.cli.checks import check_setup, refuse_app_options_before_command, refuse_extra
from losstui.cli.info import cmd_info
from losstui.cli.lesson import cmd_lesson
from losstui.cli.losses import cmd_losses
from losstui.cli.output import (
    STATUS_BROKEN_PIPE,
    STATUS_OUTPUT_FAILED,
    drop_pending_output,
    output_failed,
    spell_in_ascii_unless_utf8,
    stand_in_for_closed_streams,
    tell,
)
from losstui.cli.parser import (
    UsageError,
    _commands_of,
    _value_options,
    _value_options_of,
    build_parser,
    join_negative_values,
    serve_parser,
)
from losstui.cli.race import cmd_race
from losstui.cli.recommend import cmd_recommend
from losstui.cli.serve import cmd_serve
from losstui.cli.train import _run_steps, cmd_train
from losstui.core.threads import pin_blas_threads

# Imports stay inside functions in every module of this package: `losstui --help` and the
# headless commands must not pay for (or depend on) textual, and numpy is loaded only by the
# commands that compute.

__all__ = [
    "COMMANDS",
    "UsageError",
    "_commands_of",
    "_run_steps",
    "_value_options",
    "_value_options_of",
    "build_parser",
    "cmd_serve",
    "drop_pending_output",
    "low_bandwidth_wanted",
    "main",
    "run_app",
    "serve_parser",
]

#: The headless commands argparse reads, by name (`serve` reads its own arguments: cmd_serve).
COMMANDS = {
    "lesson": cmd_lesson,
    "recommend": cmd_recommend,
    "losses": cmd_losses,
    "info": cmd_info,
    "train": cmd_train,
    "race": cmd_race,
}


def _main(argv: Sequence[str] | None) -> int:
    """Read the command line and run what it asks for; UsageError for anything typed wrong."""
    words = list(sys.argv[1:] if argv is None else argv)
    if "serve" in words and not set(words[: words.index("serve")]) & set(COMMANDS):
        return cmd_serve(words)
    parser = build_parser()
    argv = join_negative_values(sys.argv[1:] if argv is None else argv, parser)
    try:
        args, extra = parser.parse_known_args(argv)
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    refuse_extra(args, extra)
    check_setup(args)
    refuse_app_options_before_command(args)
    if args.command is None:
        return run_app(
            args.app_problem,
            args.ascii,
            args.app_preset,
            args.app_setup,
            low_bandwidth=low_bandwidth_wanted(args.low_bandwidth),
            save_dir=args.save_dir,
            allow_long_run=args.app_allow_long_run,
        )
    return COMMANDS[args.command](args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `losstui` console script; returns the exit status: 0, 1 when the
    output cannot be written, 2 for bad input, 130 after ctrl+c, 141 when the reader of the
    output went away; the app's own statuses (run_app) otherwise."""
    pin_blas_threads()  # before anything loads numpy
    stand_in_for_closed_streams()
    spell_in_ascii_unless_utf8()
    try:
        status = _main(argv)
        sys.stdout.flush()  # a closed pipe or a full disk shows up here, while we can handle it
        return status
    except UsageError as exc:
        tell(str(exc))
        return 2
    except BrokenPipeError:
        # `losstui losses | head -1`: the reader has gone; stop quietly.
        drop_pending_output()
        return STATUS_BROKEN_PIPE
    except OSError as exc:
        # `>/dev/full`, `>&-`: say so in one line.
        drop_pending_output()
        tell(output_failed(exc))
        return STATUS_OUTPUT_FAILED
    except KeyboardInterrupt:
        return 130
