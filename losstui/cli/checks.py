"""Checks of a parsed command line that no one option can make: arguments nothing took, the app's
--setup line read on the state the app opens on, and app options given before a command."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from losstui.cli.parser import APP_OPTIONS, PROG, UsageError
from losstui.core.settings import SettingError, shown_value


def refuse_extra(args: argparse.Namespace, extra: Sequence[str]) -> None:
    """UsageError naming the arguments no option or command took, each cut when long."""
    if extra:
        where = f"{PROG} {args.command}" if args.command else PROG
        raise UsageError(
            f"{where}: error: unrecognized arguments: {' '.join(shown_value(e) for e in extra)}; "
            f"see `{where} --help`"
        )


def check_setup(args: argparse.Namespace) -> None:
    """The app's --setup line, read whole on the state the app opens on (no textual needed):
    the --problem or --preset given, and the work cap as --allow-long-run sets it, as the app
    builds it. Status 2, naming what is wrong, before the app opens: `--problem regression
    --setup loss=bce` is read on regression, where bce does not fit, not on the default problem."""
    if args.app_setup is None:
        return
    from losstui.core.state import AppState

    opening = f" (on --preset {args.app_preset})" if args.app_preset else ""
    if not opening and args.app_problem is not None:
        opening = f" (on --problem {args.app_problem})"
    try:
        AppState.opening(
            args.app_problem,
            preset=args.app_preset,
            setup=args.app_setup,
            allow_long_run=args.app_allow_long_run,
        )
    except SettingError as error:
        raise UsageError(f"{PROG}: error: argument --setup: {error}{opening}") from None


def refuse_app_options_before_command(args: argparse.Namespace) -> None:
    """UsageError when an option of the app comes before a command, which would ignore it:
    `losstui --problem regression train` means `losstui train --problem regression`."""
    if args.command is None:
        return
    for option in APP_OPTIONS:
        if option.opens_app and getattr(args, option.dest) is not None:
            raise UsageError(
                f"{PROG}: error: {option.flag} before a command opens the app with it, and "
                f"`{args.command}` would ignore it; put the command's own options after it"
                + (f": {PROG} {args.command} {option.flag} ..." if args.command == "train" else "")
            )
