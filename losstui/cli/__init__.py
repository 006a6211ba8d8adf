"""Command line: start the app, or run the headless commands recommend, losses, info, lesson,
train, race and serve.

The package is flat: `parser` reads the command line, `checks` what no one option can check,
`app` opens the Textual app, `output` and `printing` are the shared output helpers, and each
command has a module of its own (`recommend`, `losses`, `info`, `lesson`, `train`, `race`,
`serve`) that imports only those and `training` (what train and race share), never another
command. This module dispatches, and `main` turns every way a command can end into an exit
status. A command's module loads only when that command runs, and the parser only when there is
a command line to read: `losstui` alone imports what the app needs and nothing else.

Names a test stands in for (monkeypatch) live here and are looked up here when called:
`run_app`, `COMMANDS`, `drop_pending_output`, and `_run_steps` (cmd_train calls it through this
package).
"""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from typing import Any

from losstui.cli.app import low_bandwidth_wanted, run_app
from losstui.cli.output import (
    STATUS_BROKEN_PIPE,
    STATUS_OUTPUT_FAILED,
    UsageError,
    drop_pending_output,
    output_failed,
    spell_in_ascii_unless_utf8,
    stand_in_for_closed_streams,
    tell,
)
from losstui.core.threads import pin_blas_threads

# Imports stay inside functions in every module of this package: `losstui --help` and the
# headless commands must not pay for (or depend on) textual, and numpy is loaded only by the
# commands that compute. Each command's module, and the parser, load when they are used:
# `losstui` alone opens the app without either (see `_LAZY`).

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

Command = Callable[[Any], int]


class LazyCommands(MutableMapping[str, Command]):
    """The headless commands by name, each given as "module:function" of this package and
    imported when first looked up; a test may stand another function in for one (setitem).
    Iteration gives the names without importing anything."""

    def __init__(self, paths: dict[str, str]) -> None:
        self._paths = paths
        self._loaded: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name not in self._loaded:
            module, _, function = self._paths[name].partition(":")
            self._loaded[name] = getattr(importlib.import_module(f"{__name__}.{module}"), function)
        return self._loaded[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._paths.setdefault(name, "")
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._paths[name]
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


#: The headless commands argparse reads, by name (`serve` reads its own arguments: cmd_serve).
COMMANDS: MutableMapping[str, Command] = LazyCommands(
    {
        "lesson": "lesson:cmd_lesson",
        "recommend": "recommend:cmd_recommend",
        "losses": "losses:cmd_losses",
        "info": "info:cmd_info",
        "train": "train:cmd_train",
        "race": "race:cmd_race",
        "shapes": "shapes:cmd_shapes",
        "landscape": "landscape:cmd_landscape",
    }
)

#: The package's other names, each imported from its module when first asked for.
_LAZY = {
    "build_parser": "parser",
    "serve_parser": "parser",
    "join_negative_values": "parser",
    "_commands_of": "parser",
    "_value_options": "parser",
    "_value_options_of": "parser",
    "check_setup": "checks",
    "refuse_app_options_before_command": "checks",
    "refuse_extra": "checks",
    "cmd_serve": "serve",
    "_run_steps": "train",
}


def _lazy(name: str) -> Any:
    """The package's `name`: a test's stand-in if one is set, else the module's own."""
    return globals()[name] if name in globals() else __getattr__(name)


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value  # looked up here from now on (and where a test stands in for it)
    return value


def _main(argv: Sequence[str] | None) -> int:
    """Read the command line and run what it asks for; UsageError for anything typed wrong."""
    words = list(sys.argv[1:] if argv is None else argv)
    if not words:  # `losstui` alone: the app, on the values the parser gives when none is typed
        return run_app(
            None,
            False,
            None,
            None,
            low_bandwidth=low_bandwidth_wanted(None),
            save_dir=None,
            allow_long_run=False,
        )
    from losstui.cli.checks import check_setup, refuse_app_options_before_command, refuse_extra
    from losstui.cli.parser import build_parser, join_negative_values

    if "serve" in words and not set(words[: words.index("serve")]) & set(COMMANDS):
        gc.enable()
        return _lazy("cmd_serve")(words)
    parser = build_parser()
    argv = join_negative_values(words, parser)
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
    gc.enable()  # a command's run collects as usual; only the app's start goes without
    return COMMANDS[args.command](args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `losstui` console script; returns the exit status: 0, 1 when the
    output cannot be written, 2 for bad input, 130 after ctrl+c, 141 when the reader of the
    output went away; the app's own statuses (run_app) otherwise."""
    pin_blas_threads()  # before anything loads numpy
    stand_in_for_closed_streams()
    spell_in_ascii_unless_utf8()
    # No garbage collection until the app's first frame is drawn (the app turns it back on then)
    # or a command runs: the imports and the first screen allocate many objects, few of them
    # garbage, and the collections they would set off took a fifth of the app's start.
    gc.disable()
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
    finally:
        gc.enable()
