"""The `losstui` argument parsers: the app's options and each command's, the check every value
gets (a message that names the bad value and what is allowed), and the one-line error with
status 2 that anything typed wrong ends in."""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from losstui import __version__
from losstui.cli.output import PROG, UsageError
from losstui.core.presets import PRESETS, RACE_PRESETS
from losstui.core.problems import PROBLEMS
from losstui.core.settings import (
    MAX_RUNS,
    RACE_KEYS,
    SETTINGS,
    Race,
    Setting,
    SettingError,
    cut_quoted,
    is_plain_number,
    shown_value,
)

#: The training settings `losstui train` takes as flags, in the order its help lists them.
TRAIN_FLAGS = (
    "loss",
    "dataset",
    "model",
    "hidden",
    "hidden_activation",
    "lr",
    "momentum",
    "batch_size",
    "seed",
    "n_samples",
    "init_scale",
    "patience",
)
#: How long `losstui train` runs when neither --steps nor --epochs is given.
DEFAULT_STEPS = 1000
#: Upper bounds on a headless run's length: about five minutes of SGD on this project's models.
MAX_STEPS = 10_000_000
MAX_EPOCHS = 100_000
#: `losstui info --base`: the logarithm's base and the unit it counts in.
BASES = {"2": (2.0, "bits"), "e": (math.e, "nats"), "10": (10.0, "hartleys")}
#: `losstui serve`'s line in `losstui --help` (its own parser is serve_parser).
SERVE_HELP = "serve the app in a web browser (a projector), with textual-serve"

EXAMPLES = """\
examples:
  losstui                                   open the app
  losstui --problem count_regression        open the app on one problem
  losstui recommend binary_classification   which loss and activation, and why
  losstui losses                            every loss, its activation and target
  losstui info --p 0.1,0.4,0.5 --q 0.8,0.15,0.05 --base 2
  losstui train --problem binary_classification --steps 500
  losstui train --problem binary_classification --loss mean_squared_error --format csv
  losstui train --preset saturated_start --loss sigmoid_mean_squared_error
  losstui race --problem binary_classification --vary lr=0.01,0.1,1
  losstui shapes binary_classification --target 0
  losstui landscape --problem regression --dataset line --momentum 0.9 --steps 200
"""


#: A value argparse quotes in its own messages, as repr() writes it.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, without the usage block."""

    def error(self, message: str) -> NoReturn:
        if "ignored explicit argument" in message:  # --ascii=yes: say what is allowed
            message += " (this switch takes no value)"
        # argparse quotes what was typed whole ("invalid choice: '…'"): cut it as ours are.
        message = _QUOTED.sub(lambda m: cut_quoted(m.group()), message)
        raise UsageError(f"{self.prog}: error: {' '.join(message.split())}")

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> Any:
        # `--setup=--`: argparse drops a "--" as the end of the options even when it is an
        # option's own value, and hands the option an empty list, which its check never sees
        # (a traceback later). The value is "--": read and checked as any other value is.
        if action.option_strings and action.nargs is None and arg_strings == ["--"]:
            value = self._get_value(action, "--")
            self._check_value(action, value)
            return value
        return super()._get_values(action, arg_strings)

    def _print_message(self, message: str, file: Any = None) -> None:
        # argparse ignores a failed write of --help or --version and exits 0; let main() see it.
        if message:
            (file or sys.stderr).write(message)


# -- argument types: each names the bad value and what is allowed ----------------------------------


def _one_of(kind: str, value: str, allowed: Sequence[str]) -> str:
    """`value` if it is one of `allowed`, else an error that lists them."""
    if value not in allowed:
        raise argparse.ArgumentTypeError(
            f"unknown {kind} {shown_value(value)}; allowed: {', '.join(allowed)}"
        )
    return value


def _problem(value: str) -> str:
    """A problem's key."""
    return _one_of("problem", value, list(PROBLEMS))


def _preset_of(keys: Sequence[str]):
    """An argparse type for a preset's key among `keys`."""

    def preset(value: str) -> str:
        return _one_of("preset", value, list(keys))

    return preset


#: A preset's key (train's --preset).
_preset = _preset_of(tuple(PRESETS))
#: The app's --preset: a race preset too, which opens on the Race pane.
_app_preset = _preset_of((*PRESETS, *RACE_PRESETS))


def _save_dir(value: str) -> str:
    """A directory that exists and that this user may write in (for screenshots)."""
    path = os.path.expanduser(value)
    if not os.path.isdir(path):
        raise argparse.ArgumentTypeError(
            f"{shown_value(value)} is not a directory; give an existing one"
        )
    if not os.access(path, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(
            f"{shown_value(value)} is not writable; give a directory you own"
        )
    return path


def _typed(setting: Setting):
    """An argparse type that reads a value through its setting (the schema's one message)."""

    def parse(value: str) -> Any:
        try:
            return setting.parse(value)
        except SettingError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    parse.__name__ = setting.key
    return parse


def _int_at_least(low: int, what: str, high: int | None = None):
    """An argparse type for a whole number from `low` (to `high`, if given), named `what` in its
    messages."""

    def parse(value: str) -> int:
        text = value.strip()
        shown = shown_value(value)
        if not re.fullmatch(r"[+-]?[0-9]+", text):
            raise argparse.ArgumentTypeError(f"{what} must be a whole number ≥ {low}, got {shown}")
        if len(text.lstrip("+-0")) > 18:  # int() refuses 4,300 digits with Python's own words
            limit = f"at most {high:,}" if high is not None else "a smaller number"
            raise argparse.ArgumentTypeError(f"{what} must be {limit}, got {shown}")
        n = int(text)
        if n < low:
            raise argparse.ArgumentTypeError(f"{what} must be ≥ {low}, got {shown}")
        if high is not None and n > high:
            raise argparse.ArgumentTypeError(f"{what} must be at most {high:,}, got {shown}")
        return n

    parse.__name__ = what.replace(" ", "_")
    return parse


def _probabilities(value: str) -> list[float]:
    """Comma-separated plain numbers (whether they form a distribution is `info`'s check)."""
    parts = [p.strip() for p in value.split(",")]
    numbers = []
    for p in parts:
        try:
            if not is_plain_number(p):
                raise ValueError(p)
            numbers.append(float(p))
        except ValueError:
            raise argparse.ArgumentTypeError(
                "expected comma-separated probabilities such as 0.1,0.4,0.5, "
                f"got {shown_value(value)}"
            ) from None
    return numbers


def _base(value: str) -> str:
    """A logarithm base of BASES."""
    return _one_of("base", value, list(BASES))


# -- the app's options: one table, read by the parser and by the checks ---------------------------


@dataclass(frozen=True)
class AppOption:
    """One option of the app, given before any command (`losstui --problem KEY`)."""

    flag: str
    #: Where argparse keeps the value, and the name the checks read it by.
    dest: str
    #: The rest of add_argument's keywords: its type (the value's check), help, metavar, ...
    arguments: Mapping[str, Any]
    #: An option the app opens on, which a command after it would silently ignore: refused there
    #: (checks.refuse_app_options_before_command).
    opens_app: bool = False


#: The app's options, in the order `losstui --help` lists them.
APP_OPTIONS = (
    AppOption(
        "--problem",
        "app_problem",
        {
            "metavar": "KEY",
            "type": _problem,
            "help": f"open the app with this problem chosen ({', '.join(PROBLEMS)})",
        },
        opens_app=True,
    ),
    AppOption(
        "--preset",
        "app_preset",
        {
            "metavar": "KEY",
            "type": _app_preset,
            "help": (
                "open the app on a preset that demonstrates a claim "
                f"({', '.join((*PRESETS, *RACE_PRESETS))})"
            ),
        },
        opens_app=True,
    ),
    AppOption(
        "--setup",
        "app_setup",
        {
            "metavar": "LINE",
            "help": 'open the app on a setup line of KEY=VALUE words, e.g. "problem=regression '
            "lr=0.1\" (the app's palette copies the current one)",
        },
        opens_app=True,
    ),
    AppOption(
        "--ascii",
        "ascii",
        {
            "action": "store_true",
            "help": "draw with ASCII characters only (slow links, old fonts)",
        },
    ),
    AppOption(
        "--low-bandwidth",
        "low_bandwidth",
        {
            "action": argparse.BooleanOptionalAction,
            "default": None,
            "help": "redraw the pictures about once a second, for slow links (automatic when "
            "SSH_CONNECTION is set; --no-low-bandwidth turns it off)",
        },
    ),
    AppOption(
        "--save-dir",
        "save_dir",
        {
            "metavar": "DIR",
            "type": _save_dir,
            "help": "where the palette's Screenshot saves its SVG (default: the working directory)",
        },
    ),
    AppOption(
        "--allow-long-run",
        "app_allow_long_run",
        {
            "action": "store_true",
            "help": "let the app train a run whose one step takes longer than 50 ms, one "
            "evaluation longer than 1 second or its start longer than 5 seconds (it refuses such "
            "a run otherwise, saying what it would cost); the 1 GB memory cap stays",
        },
    ),
)


# -- the parser ------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The `losstui` argument parser: the app's options (APP_OPTIONS) and the commands'."""
    parser = _Parser(
        allow_abbrev=False,  # "--p" of `info` must not read as an abbreviated "--preset"
        prog=PROG,
        description=(
            "Learn which loss function and output activation a neural network needs, and why. "
            "Without a command, opens the app."
        ),
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for option in APP_OPTIONS:
        parser.add_argument(option.flag, dest=option.dest, **option.arguments)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    # In the order `losstui --help` lists them.
    _add_recommend(commands)
    _add_losses(commands)
    _add_info(commands)
    _add_lesson(commands)
    # Listed here for `losstui --help`; `losstui serve ...` is read by serve_parser (cli.serve).
    commands.add_parser("serve", help=SERVE_HELP)
    _add_train(commands)
    _add_race(commands)
    _add_shapes(commands)
    _add_landscape(commands)
    return parser


def _add_recommend(commands: argparse._SubParsersAction[_Parser]) -> None:
    """`losstui recommend KEY [--json]`."""
    rec = commands.add_parser(
        "recommend",
        help="the loss and output activation for a problem, and why",
        description="Print the recommended loss and output activation for a problem, the "
        "maximum-likelihood reason, alternatives and the names in PyTorch, Keras, scikit-learn.",
    )
    rec.add_argument("key", metavar="KEY", type=_problem, help=", ".join(PROBLEMS))
    rec.add_argument("--json", action="store_true", help="print JSON")


def _add_losses(commands: argparse._SubParsersAction[_Parser]) -> None:
    """`losstui losses [--json]`."""
    losses = commands.add_parser(
        "losses",
        help="list every loss with its output activation",
        description="List every loss: its key, output activation, target form and title.",
    )
    losses.add_argument("--json", action="store_true", help="print JSON with formulas")


def _add_info(commands: argparse._SubParsersAction[_Parser]) -> None:
    """`losstui info --p P --q Q [--base B] [--json]`."""
    info = commands.add_parser(
        "info",
        help="entropy, cross-entropy and KL divergence of two distributions",
        description="Entropy, cross-entropy both ways, KL divergence both ways and "
        "Jensen-Shannon divergence of two discrete distributions P and Q.",
    )
    info.add_argument(
        "--p", required=True, metavar="P", type=_probabilities, help="e.g. 0.1,0.4,0.5"
    )
    info.add_argument(
        "--q", required=True, metavar="Q", type=_probabilities, help="e.g. 0.8,0.15,0.05"
    )
    info.add_argument(
        "--base",
        default="2",
        type=_base,
        metavar="{2,e,10}",
        help="logarithm base: 2 for bits (default), e for nats, 10 for hartleys",
    )
    info.add_argument("--json", action="store_true", help="print JSON")


def _add_lesson(commands: argparse._SubParsersAction[_Parser]) -> None:
    """`losstui lesson [NAME | check NAME] [--instructor] [--watch] [--step N] [--notes]`."""
    lesson = commands.add_parser(
        "lesson",
        help="list the built-in lessons, follow one in the app, or check a lesson file",
        description="`losstui lesson` lists the built-in lessons (title, minutes, the step you "
        "reached). `losstui lesson NAME` opens the app in one: NAME is its number, its name, or "
        "the path of a lesson file (a guided walkthrough written in Markdown: docs/lessons.md). "
        "`losstui lesson check NAME` checks a lesson without running it: every unknown directive, "
        "key, value, condition or placeholder, a missing front matter and an empty step, each as "
        "PATH:LINE: message (status 2 if any).",
    )
    lesson.add_argument(
        "target",
        metavar="NAME|check",
        nargs="?",
        help="a lesson (number, name or path), or `check`",
    )
    lesson.add_argument("path", metavar="NAME", nargs="?", help="the lesson to check")
    lesson.add_argument(
        "--instructor", action="store_true", help="show the speaker notes under each step"
    )
    lesson.add_argument(
        "--watch",
        action="store_true",
        help="reload the lesson file whenever it is saved, keeping the current step",
    )
    lesson.add_argument(
        "--step",
        metavar="N",
        help="open the lesson at step N (from 1, as the app counts them: step 3 of 9)",
    )
    lesson.add_argument(
        "--notes",
        action="store_true",
        help="show the speaker notes in this terminal, following the step on show where the "
        "lesson runs (`losstui lesson 3` or `losstui serve lesson 3` on the projector)",
    )


def _add_train(commands: argparse._SubParsersAction[_Parser]) -> None:
    """`losstui train (--problem KEY | --preset KEY) [a flag per setting] [--steps N | --epochs N]
    [--allow-long-run] [--format F]`."""
    train = commands.add_parser(
        "train",
        help="train a small model headless and print its history",
        description="Train a small numpy model with SGD on a synthetic dataset and print the "
        "loss history. Unset options take the problem's recommended defaults. The run ends "
        "after --steps or --epochs, or earlier when --patience N is set and the validation loss "
        "has not improved for N steps.",
    )
    _add_training_options(train)


def _add_race(commands: argparse._SubParsersAction[_Parser]) -> None:
    """`losstui race --vary KEY=V1,V2[,V3,V4]` and every option of `train`."""
    race = commands.add_parser(
        "race",
        help="train 2 to 4 runs that differ in one setting, side by side",
        description="Train 2 to 4 runs that differ in one setting (--vary) on the same data, "
        "from the same initial weights and with the same minibatch order, stepped together, "
        "and print their histories and how each ended. Every other option is train's: unset "
        "options take the problem's (or the preset's) defaults. Each run ends on its own "
        "(--patience, or a divergence); the race ends when all have.",
    )
    race.add_argument(
        "--vary",
        metavar="KEY=V1,V2",
        type=_vary,
        help=f"the setting the runs differ in and each run's value: KEY one of "
        f"{', '.join(RACE_KEYS)}; 2 to {MAX_RUNS} values (hidden sizes separated by /, e.g. "
        "hidden=16/32,16); a race preset brings its own",
    )
    _add_training_options(race, presets=(*PRESETS, *RACE_PRESETS))


def _add_shapes(commands: argparse._SubParsersAction[_Parser]) -> None:
    """`losstui shapes PROBLEM [--target Y] [--axis margin|probability] [--points N]
    [--format table|json]`."""
    shapes = commands.add_parser(
        "shapes",
        help="each loss of a problem and its gradient against one prediction",
        description="Print each loss the recommendation for a problem names (recommended, "
        "alternatives, discouraged, traps) for one example, against the residual, the rate, the "
        "margin or the true class's logit, with its gradient in the raw output.",
    )
    shapes.add_argument("problem", metavar="PROBLEM", type=_problem, help=", ".join(PROBLEMS))
    shapes.add_argument(
        "--target",
        type=_finite("target"),
        metavar="Y",
        help="the example's target: a class (0 or 1; 0 to 2 of three), a count, a number",
    )
    shapes.add_argument(
        "--axis",
        default="margin",
        type=lambda v: _one_of("axis", v, ["margin", "probability"]),
        metavar="{margin,probability}",
        help="two classes: against the margin (default) or the probability p of class 1",
    )
    shapes.add_argument(
        "--points",
        type=_int_at_least(3, "points", 1001),
        metavar="N",
        help="points along the axis (default 9 in a table, 121 in JSON)",
    )
    _add_format(shapes, ("table", "json"))


def _add_landscape(commands: argparse._SubParsersAction[_Parser]) -> None:
    """`losstui landscape` and every option of `train`."""
    landscape = commands.add_parser(
        "landscape",
        help="the loss over a model's two parameters and the path SGD took",
        description="Train a run as train does (the same options and defaults) and print the "
        "training loss over its two parameters (a 1-D linear or logistic regression, a "
        "Gaussian's mean and log σ) with the path SGD took at every step and the optimum; for "
        "a larger model, a slice through its weights along two random directions.",
    )
    _add_training_options(landscape, formats=("table", "json"))


def _finite(what: str):
    """An argparse type for a finite number, named `what` in its message."""

    def parse(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise argparse.ArgumentTypeError(
                f"{what} must be a finite number, got {shown_value(value)}"
            )
        return number

    return parse


def _vary(value: str) -> Race:
    """`KEY=V1,V2,...` as a Race, read by the settings schema's rule for a race."""
    key, equals, values = value.partition("=")
    try:
        if not equals:
            raise SettingError("")
        race = SETTINGS["race"].parse(f"{key}:{values}")
    except SettingError as error:
        if str(error).startswith("race: "):  # a value the raced setting refuses: its message
            raise argparse.ArgumentTypeError(str(error).removeprefix("race: ")) from None
        raise argparse.ArgumentTypeError(
            f"expected KEY=V1,V2 with KEY one of {', '.join(RACE_KEYS)} and 2 to {MAX_RUNS} "
            f"values, got {shown_value(value)}"
        ) from None
    if race is None:  # "off" is the setup line's word for one run, not a race
        raise argparse.ArgumentTypeError(f"expected KEY=V1,V2, got {shown_value(value)}")
    return race


def _add_training_options(
    command: argparse.ArgumentParser,
    presets: Sequence[str] = tuple(PRESETS),
    formats: Sequence[str] = ("table", "csv", "json"),
) -> None:
    """The options of a headless training command: the problem or one of `presets`, a flag per
    training setting (from the schema), the length of the run, the work cap's switch and the
    format."""
    command.add_argument("--problem", metavar="KEY", type=_problem, help=", ".join(PROBLEMS))
    command.add_argument(
        "--preset",
        metavar="KEY",
        type=_preset_of(presets),
        help="start from a preset's setup (its problem included); flags given change it: "
        + ", ".join(presets),
    )
    # Each training setting's flag, parser, help and message come from the one schema.
    for key in TRAIN_FLAGS:
        setting = SETTINGS[key]
        assert setting.flag, f"the setting {key!r} has no command-line flag"
        command.add_argument(
            setting.flag,
            dest=key,
            type=_typed(setting),
            metavar=setting.metavar,
            # argparse formats help with %: a percent in the text ("0.1%") must be doubled.
            help=(
                f"{setting.help}: {setting.allowed()}" if setting.allowed() else setting.help
            ).replace("%", "%%"),
        )
    length = command.add_mutually_exclusive_group()
    length.add_argument(
        "--epochs",
        type=_int_at_least(1, "epochs", MAX_EPOCHS),
        metavar="N",
        help="passes over the training set",
    )
    length.add_argument(
        "--steps",
        type=_int_at_least(1, "steps", MAX_STEPS),
        metavar="N",
        help=f"SGD steps (default {DEFAULT_STEPS})",
    )
    command.add_argument(
        "--allow-long-run",
        action="store_true",
        help="run even when the estimated time (making the data, the steps, the evaluations) "
        "is above the cap of five minutes; the 1 GB memory cap stays",
    )
    _add_format(command, formats)


def _add_format(command: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    """`--format`, one of `formats`, the first the default."""
    command.add_argument(
        "--format",
        default=formats[0],
        type=lambda v: _one_of("format", v, list(formats)),
        metavar="{" + ",".join(formats) + "}",
        help=f"output format (default {formats[0]})",
    )


# -- `losstui serve` -------------------------------------------------------------------------------


def serve_parser() -> argparse.ArgumentParser:
    """`losstui serve [--host HOST] [--port PORT] [APP ARGS]`: every other argument, before or
    after `serve`, is the app's."""
    parser = _Parser(
        prog=f"{PROG} serve",
        description="Serve the app at http://HOST:PORT, one copy of it per browser tab, for a "
        "projector or a class's browsers. Every other argument goes to the app: its options "
        "(`losstui serve --preset saturated_start`) or a lesson (`losstui serve lesson 3`). Needs "
        "the optional extra: pip install 'losstui[serve]'.",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every "
        "network the machine is on)",
    )
    parser.add_argument(
        "--port", type=_int_at_least(1, "port", 65535), default=8000, help="default 8000"
    )
    return parser


# -- reading argv --------------------------------------------------------------------------------


def _value_options_of(parser: argparse.ArgumentParser) -> set[str]:
    """The option strings of `parser` itself (not of its commands) that take a value."""
    return {
        option
        for action in parser._actions
        if action.option_strings and action.nargs != 0
        for option in action.option_strings
    }


def _commands_of(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parsers of `parser`'s commands, by name."""
    return {
        name: sub
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name, sub in action.choices.items()
    }


def _value_options(parser: argparse.ArgumentParser) -> set[str]:
    """Every option string, of the parser and its commands, that takes a value."""
    found = _value_options_of(parser)
    for sub in _commands_of(parser).values():
        found |= _value_options(sub)
    return found


def join_negative_values(argv: Sequence[str], parser: argparse.ArgumentParser) -> list[str]:
    """`--lr -inf` as `--lr=-inf`: argparse reads a value that starts with "-" and is not a plain
    negative number as an option and says only "expected one argument"; joined, the value
    reaches its check, whose message names it and what is allowed."""
    takes_value = _value_options(parser)
    joined: list[str] = []
    tokens = list(argv)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if (
            token in takes_value
            and following is not None
            and following.startswith("-")
            and following.split("=", 1)[0] not in takes_value | {"-h", "--help", "--ascii"}
            and not following.startswith("--")
        ):
            joined.append(f"{token}={following}")
            i += 2
            continue
        joined.append(token)
        i += 1
    return joined
