"""Command line: start the app, or run the headless commands recommend, losses, info and train."""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shlex
import shutil
import sys
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

from losstui import __version__
from losstui.cli_output import (
    STATUS_BROKEN_PIPE,
    STATUS_OUTPUT_FAILED,
    drop_pending_output,
    output_failed,
    stand_in_for_closed_streams,
    tell,
)
from losstui.core.presets import PRESETS
from losstui.core.problems import PROBLEMS
from losstui.core.settings import (
    SETTINGS,
    TRAINING_KEYS,
    Setting,
    SettingError,
    cut_quoted,
    is_plain_number,
    shown_value,
)
from losstui.core.text import format_epoch, format_information, format_metric, thin, to_ascii
from losstui.core.threads import pin_blas_threads

# Imports below this line stay inside functions: `losstui --help` and the headless commands must
# not pay for (or depend on) textual, and numpy is loaded only by the commands that compute.

PROG = "losstui"
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
DEFAULT_STEPS = 1000
#: Upper bounds on a headless run's length: about five minutes of SGD on this project's models.
MAX_STEPS = 10_000_000
MAX_EPOCHS = 100_000
#: The most samples a headless dataset may have (train and validation together).
TABLE_ROWS = 20
BASES = {"2": (2.0, "bits"), "e": (math.e, "nats"), "10": (10.0, "hartleys")}

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
"""


class UsageError(Exception):
    """Bad input a user typed: shown as one line on stderr, exit status 2."""


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
    if value not in allowed:
        raise argparse.ArgumentTypeError(
            f"unknown {kind} {shown_value(value)}; allowed: {', '.join(allowed)}"
        )
    return value


def _problem(value: str) -> str:
    return _one_of("problem", value, list(PROBLEMS))


def _preset(value: str) -> str:
    return _one_of("preset", value, list(PRESETS))


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
    return _one_of("base", value, list(BASES))


# -- the parser ------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The `losstui` argument parser with its four headless subcommands."""
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
    parser.add_argument(
        "--problem",
        dest="app_problem",
        metavar="KEY",
        type=_problem,
        help=f"open the app with this problem chosen ({', '.join(PROBLEMS)})",
    )
    parser.add_argument(
        "--preset",
        dest="app_preset",
        metavar="KEY",
        type=_preset,
        help=f"open the app on a preset that demonstrates a claim ({', '.join(PRESETS)})",
    )
    parser.add_argument(
        "--setup",
        dest="app_setup",
        metavar="LINE",
        help='open the app on a setup line of KEY=VALUE words, e.g. "problem=regression lr=0.1" '
        "(the app's palette copies the current one)",
    )
    parser.add_argument(
        "--ascii",
        action="store_true",
        help="draw with ASCII characters only (slow links, old fonts)",
    )
    parser.add_argument(
        "--low-bandwidth",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="redraw the pictures about once a second, for slow links (automatic when "
        "SSH_CONNECTION is set; --no-low-bandwidth turns it off)",
    )
    parser.add_argument(
        "--save-dir",
        metavar="DIR",
        type=_save_dir,
        help="where the palette's Screenshot saves its SVG (default: the working directory)",
    )
    parser.add_argument(
        "--allow-long-run",
        dest="app_allow_long_run",
        action="store_true",
        help="let the app train a run whose one step takes longer than 50 ms, one evaluation "
        "longer than 1 second or its start longer than 5 seconds (it refuses such a run "
        "otherwise, saying what it would cost); the 1 GB memory cap stays",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    rec = commands.add_parser(
        "recommend",
        help="the loss and output activation for a problem, and why",
        description="Print the recommended loss and output activation for a problem, the "
        "maximum-likelihood reason, alternatives and the names in PyTorch, Keras, scikit-learn.",
    )
    rec.add_argument("key", metavar="KEY", type=_problem, help=", ".join(PROBLEMS))
    rec.add_argument("--json", action="store_true", help="print JSON")

    losses = commands.add_parser(
        "losses",
        help="list every loss with its output activation",
        description="List every loss: its key, output activation, target form and title.",
    )
    losses.add_argument("--json", action="store_true", help="print JSON with formulas")

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

    # Listed here for `losstui --help`; `losstui serve ...` is read by serve_parser (_main).
    commands.add_parser("serve", help=SERVE_HELP)

    train = commands.add_parser(
        "train",
        help="train a small model headless and print its history",
        description="Train a small numpy model with SGD on a synthetic dataset and print the "
        "loss history. Unset options take the problem's recommended defaults. The run ends "
        "after --steps or --epochs, or earlier when --patience N is set and the validation loss "
        "has not improved for N steps.",
    )
    train.add_argument("--problem", metavar="KEY", type=_problem, help=", ".join(PROBLEMS))
    train.add_argument(
        "--preset",
        metavar="KEY",
        type=_preset,
        help="start from a preset's setup (its problem included); flags given change it: "
        + ", ".join(PRESETS),
    )
    # Each training setting's flag, parser, help and message come from the one schema.
    for key in TRAIN_FLAGS:
        setting = SETTINGS[key]
        assert setting.flag, f"the setting {key!r} has no command-line flag"
        train.add_argument(
            setting.flag,
            dest=key,
            type=_typed(setting),
            metavar=setting.metavar,
            # argparse formats help with %: a percent in the text ("0.1%") must be doubled.
            help=(
                f"{setting.help}: {setting.allowed()}" if setting.allowed() else setting.help
            ).replace("%", "%%"),
        )
    length = train.add_mutually_exclusive_group()
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
    train.add_argument(
        "--allow-long-run",
        action="store_true",
        help="run even when the estimated time (making the data, the steps, the evaluations) "
        "is above the cap of five minutes; the 1 GB memory cap stays",
    )
    train.add_argument(
        "--format",
        default="table",
        type=lambda v: _one_of("format", v, ["table", "csv", "json"]),
        metavar="{table,csv,json}",
        help="output format (default table)",
    )
    return parser


# -- output helpers --------------------------------------------------------------------------------


def _finite_or_text(value: Any) -> Any:
    """JSON has no inf or NaN: write them as the strings "inf", "-inf", "nan"."""
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, dict):
        return {k: _finite_or_text(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite_or_text(v) for v in value]
    return value


def _print_json(data: Any) -> None:
    print(json.dumps(_finite_or_text(data), indent=2, ensure_ascii=False, allow_nan=False))


def _wrap(text: str, first: str = "  ", rest: str = "  ") -> str:
    return textwrap.fill(
        text, width=88, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    )


def _bullet(text: str) -> str:
    return _wrap(text, "  - ", "    ")


# -- recommend -------------------------------------------------------------------------------------


def _recommendation_dict(key: str) -> dict[str, Any]:
    from dataclasses import asdict

    from losstui.core.problems import recommend

    problem = PROBLEMS[key]
    return {"problem": asdict(problem), "recommendation": asdict(recommend(key))}


def cmd_recommend(args: argparse.Namespace) -> int:
    from losstui.core.problems import Standing, loss_verdict, recommend

    if args.json:
        _print_json(_recommendation_dict(args.key))
        return 0
    problem = PROBLEMS[args.key]
    rec = recommend(args.key)
    loss = f"{rec.loss} ({rec.loss_title})" if rec.loss else rec.loss_title
    field = " " * 15
    lines = [
        _wrap(f"{problem.title}: {problem.summary}", "", ""),
        "",
        _wrap(problem.target, "Target:        ", field),
        _wrap(rec.distribution, "Distribution:  ", field),
        # The rationale explains the activation; a density has parameters, not an output layer.
        _wrap(rec.activation_reason, "Parameters:    ", field)
        if problem.kind == "density"
        else _wrap(f"{rec.activation} on the output", "Activation:    ", field),
        _wrap(loss, "Loss:          ", field),
        f"Formula:       {rec.formula}",
        "",
        "Why (maximum likelihood):",
        _wrap(rec.rationale),
    ]
    # The kinds the app names: recommended (above, or in another form), alternatives, not.
    for title, kind in (
        ("The same choice in another form:", Standing.RECOMMENDED),
        ("Reasonable alternatives:", Standing.ALTERNATIVE),
        ("Not recommended:", Standing.NOT_RECOMMENDED),
    ):
        listed = [a for a in rec.alternatives if loss_verdict(args.key, a.loss).standing is kind]
        if listed:
            lines += ["", title]
            lines += [_bullet(f"{alt.loss}: {alt.when}") for alt in listed]
    lines += [
        "",
        "In the libraries:",
        _wrap(f"PyTorch: {rec.pytorch}"),
        _wrap(f"Keras: {rec.keras}"),
        _wrap(f"scikit-learn: {rec.sklearn}"),
    ]
    if rec.pitfalls:
        lines += ["", "Pitfalls:"]
        lines += [_bullet(p) for p in rec.pitfalls]
    print("\n".join(lines))
    return 0


# -- losses ----------------------------------------------------------------------------------------


def cmd_losses(args: argparse.Namespace) -> int:
    from losstui.core.losses import LOSSES

    if args.json:
        _print_json(
            [
                {
                    "key": key,
                    "title": loss.title,
                    "activation": loss.activation,
                    "target": loss.target,
                    "distribution": getattr(loss, "distribution", ""),
                    "formula": loss.formula,
                    "when_to_use": loss.when_to_use,
                }
                for key, loss in LOSSES.items()
            ]
        )
        return 0
    width = max(len(k) for k in LOSSES)
    print(f"{'KEY':<{width}}  {'ACTIVATION':<10}  {'TARGET':<13}  TITLE")
    for key, loss in LOSSES.items():
        print(f"{key:<{width}}  {loss.activation:<10}  {loss.target:<13}  {loss.title}")
    return 0


# -- info ------------------------------------------------------------------------------------------


def cmd_info(args: argparse.Namespace) -> int:
    from losstui.core import info

    try:
        p = info.validate_distribution(args.p, "--p")
        q = info.validate_distribution(args.q, "--q")
    except ValueError as exc:
        raise UsageError(f"{PROG} info: error: {exc}") from None
    if p.shape != q.shape:
        raise UsageError(
            f"{PROG} info: error: --p has {p.size} probabilities but --q has {q.size}; "
            "they must have the same length"
        )
    base, unit = BASES[args.base]
    # (JSON key, shown name, value, what it means)
    rows = [
        ("entropy_p", "H(P)", info.entropy(p, base), "entropy of P"),
        ("entropy_q", "H(Q)", info.entropy(q, base), "entropy of Q"),
        ("cross_entropy_pq", "H(P,Q)", info.cross_entropy(p, q, base), "= H(P) + KL(P||Q)"),
        ("cross_entropy_qp", "H(Q,P)", info.cross_entropy(q, p, base), "= H(Q) + KL(Q||P)"),
        (
            "kl_pq",
            "KL(P||Q)",
            info.kl_divergence(p, q, base),
            f"extra {unit} to code samples of P with a code built for Q",
        ),
        ("kl_qp", "KL(Q||P)", info.kl_divergence(q, p, base), "the other way: KL is not symmetric"),
        ("js", "JS(P,Q)", info.js_divergence(p, q, base), "Jensen-Shannon: symmetric, finite"),
    ]
    if args.json:
        values = {key: value for key, _, value, _ in rows}
        _print_json({"p": p.tolist(), "q": q.tolist(), "base": args.base, "unit": unit, **values})
        return 0
    print(f"P = {_list(p)}")
    print(f"Q = {_list(q)}")
    print(f"in {unit} (log base {args.base})")
    # The labels here are ASCII (KL(P||Q)), so the numbers are too: ∞ is "inf".
    shown = [to_ascii(format_information(value)) for _, _, value, _ in rows]
    width = max(7, *(len(text) for text in shown))
    for (_, name, _, meaning), text in zip(rows, shown, strict=True):
        print(f"{name:<9} = {text:>{width}}   {meaning}")
    return 0


def _list(values: Any) -> str:
    return "[" + ", ".join(f"{v:g}" for v in values) + "]"


# -- train -----------------------------------------------------------------------------------------


def _train_error(message: str) -> UsageError:
    return UsageError(f"{PROG} train: error: {' '.join(message.split())}")


def _train_config(args: argparse.Namespace):
    """The TrainConfig for the parsed arguments: the problem's defaults (or the preset's setup),
    then what was given, by the rules the app applies (`core.configuration.configure`)."""
    from losstui.core.configuration import PairingError, configure
    from losstui.core.trainer import TrainConfig

    if args.preset is not None:
        preset = PRESETS[args.preset]
        if args.problem is not None and args.problem != preset.problem:
            raise _train_error(
                f"--preset {args.preset} is a {preset.problem} setup, not {args.problem}"
            )
        problem = preset.problem
        settings = {k: v for k, v in preset.settings.items() if k in TRAINING_KEYS}
        settings.pop("problem")
        base = {k: SETTINGS[k].parse(v) for k, v in settings.items()}
    elif args.problem is not None:
        problem, base = args.problem, {}
    else:
        raise _train_error("one of --problem or --preset is required")
    given = {key: getattr(args, key) for key in TRAIN_FLAGS if getattr(args, key) is not None}
    if args.model not in (None, "mlp") and {"hidden", "hidden_activation"} & set(given):
        # Said in the flags' words: the rule is configure's.
        raise _train_error(f"--hidden and --activation apply to --model mlp, not {args.model!r}")
    config = configure(TrainConfig.default_for(problem), base)
    try:
        return configure(config, given)
    except PairingError as exc:
        dataset = given.get("dataset", config.dataset)
        raise _train_error(f"cannot train {args.loss} on {dataset}: {exc.reason}") from None
    except ValueError as exc:
        raise _train_error(str(exc)) from None


def cmd_train(args: argparse.Namespace) -> int:

    from losstui.core.problems import loss_verdict
    from losstui.core.trainer import DEFAULT_LOSS, Trainer
    from losstui.core.work import over_cap, run_cost

    config = _train_config(args)
    try:
        # Estimated before any data is made: making it may be most of the cost.
        cost = run_cost(config)
        if args.steps is not None:
            total = args.steps
        elif args.epochs is not None:
            total = args.epochs * cost.steps_per_epoch()
        else:
            total = DEFAULT_STEPS
        refusal = over_cap(config, total, lifted=args.allow_long_run)
        if refusal is not None:
            raise _train_error(refusal)
        trainer = Trainer(config)
    except ValueError as exc:
        raise _train_error(f"cannot train {config.loss} on {config.dataset}: {exc}") from None

    interrupted = _run_steps(trainer, total)

    recommended_loss = DEFAULT_LOSS[config.problem]
    note = _loss_note(config.problem, config.loss)
    # ctrl+c: the history so far is printed, and the status says the run was cut short.
    status = 130 if interrupted else 0
    if interrupted:
        stopped = f"note: interrupted (ctrl+c) at step {trainer.step_count:,} of {total:,}."
        note = f"{stopped}\n{note}" if note else stopped
    if trainer.loss.recorded_as:
        # Train and validation targets differ, so their dropped constants do: say what is shown.
        recorded = (
            f"note: train and val losses are the {trainer.recorded_as}, the likelihood's constant "
            f"that {config.loss} leaves out added back, so the two compare fairly."
        )
        note = f"{note}\n{recorded}" if note else recorded
    if trainer.dataset.validation_note:
        clean = f"note: {trainer.dataset.validation_note}."
        note = f"{note}\n{clean}" if note else clean
    final = {
        "step": trainer.step_count,
        "epoch": trainer.epoch,
        **trainer.evaluate(),
    }
    records = [r.as_dict() for r in trainer.history]
    if not trainer.diverged and (not records or records[-1]["step"] != trainer.step_count):
        # The history is recorded on a schedule; end it where the run ended.
        records.append(final)

    if args.format == "json":
        config_dict = config.as_dict()
        _print_json(
            {
                "config": config_dict,
                "recommended_loss": recommended_loss,
                "is_recommended": _loss_note(config.problem, config.loss) is None,
                "losses_are": trainer.recorded_as,
                "standing": loss_verdict(config.problem, config.loss).standing.value,
                "steps": trainer.step_count,
                "diverged": trainer.diverged,
                "diverged_at_step": trainer.diverged_at_step,
                "divergence_reason": trainer.divergence_reason,
                "converged": trainer.converged,
                "converged_at_step": trainer.converged_at_step,
                "convergence_reason": _convergence_reason(trainer),
                "final": final,
                "history": records,
            }
        )
        if note:
            print(note, file=sys.stderr)
        return status
    columns = ["step", "epoch", "train_loss", "val_loss", *trainer.metric_names]
    if args.format == "csv":
        print(",".join(columns))
        for row in records:
            print(",".join(_csv_value(row.get(c, math.nan)) for c in columns))
        if trainer.diverged:
            # The rows stop at the divergence; a reader of the file must not take them as a run.
            print(f"# {trainer.divergence_message}")
        if note:
            print(note, file=sys.stderr)
        return status
    _print_table(config, trainer, records, columns, final, note)
    return status


#: A headless run longer than this (estimated) shows a progress bar when stderr is a terminal.
PROGRESS_AFTER_SECONDS = 2.0


def _run_steps(trainer: Any, total: int) -> bool:
    """Train up to `total` steps in slices; True if ctrl+c stopped it (the history so far is kept
    and printed). A long run shows rich's progress bar on stderr when stderr is a terminal."""
    from losstui.core.work import run_cost

    seconds = run_cost(trainer.config).seconds(total)
    show = seconds > PROGRESS_AFTER_SECONDS and _is_terminal(sys.stderr)
    progress = None
    if show:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        progress = Progress(
            TextColumn("training"),
            BarColumn(),
            TextColumn("{task.completed:,}/{task.total:,} steps"),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        )
        progress.start()
        task = progress.add_task("train", total=total)
    done = 0
    try:
        while done < total and not trainer.diverged and not trainer.converged:
            step = trainer.step(min(100, total - done))
            if step == 0:
                break
            done += step
            if progress is not None:
                progress.update(task, completed=done)
    except KeyboardInterrupt:
        return True
    finally:
        if progress is not None:
            progress.stop()
    return False


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _loss_note(problem: str, loss: str) -> str | None:
    """One line when `loss` is legal but not the recommended choice for `problem`, else None."""
    from losstui.core.problems import Standing, loss_verdict, recommend

    verdict = loss_verdict(problem, loss)
    if verdict.standing is Standing.RECOMMENDED:
        return None
    rec = recommend(problem)
    head = f"note: {loss} is not the recommended loss for {problem} (recommended: {rec.loss})"
    if verdict.standing is Standing.ALTERNATIVE:
        return f"{head}, but a reasonable alternative; see `losstui recommend {problem}`."
    return f"{head}; it runs so that you can compare."


def _csv_value(value: Any) -> str:
    if isinstance(value, int):
        return str(value)
    return repr(float(value))


def _summary(trainer: Any, final: dict[str, Any]) -> str:
    if trainer.diverged:
        return f"Diverged: {trainer.divergence_message}."
    epochs = f"{format_epoch(final['epoch'])} epochs"
    values = [
        f"{key.replace('_', ' ')} {format_metric(key, float(value))}"
        for key, value in final.items()
        if key not in ("step", "epoch") and isinstance(value, (int, float))
    ]
    if trainer.converged:
        # "Converged at step 600 (60.0 epochs): validation loss not improved for 300 steps;
        # train ..."
        head = f"Converged at step {trainer.converged_at_step:,} ({epochs})"
        return f"{head}: {_convergence_reason(trainer)}; " + ", ".join(values) + "."
    return "Done: " + ", ".join([f"{final['step']} steps ({epochs})", *values]) + "."


def _convergence_reason(trainer: Any) -> str | None:
    """Why the stop rule ended the run, "validation loss not improved for 300 steps"; None if it did
    not."""
    summary = trainer.convergence_summary
    return summary.split(": ", 1)[1] if summary else None


def _print_table(config, trainer, records, columns, final, note) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # rich exits 1 on a closed pipe; main() gives every command the same quiet 141.
            raise BrokenPipeError

    table = Table(box=box.SIMPLE_HEAD)
    for column in columns:
        table.add_column(column.replace("_", " "), justify="right")
    for row in thin(records, TABLE_ROWS):
        cells = []
        for c in columns:
            value = row.get(c, math.nan)
            if c == "step":
                cells.append(str(value))
            elif c == "epoch":
                cells.append(format_epoch(float(value)))
            else:
                cells.append(format_metric(c, float(value)))
        table.add_row(*cells)
    print(f"{config.problem} · {config.loss} · {config.dataset} · {trainer.describe_model()}")
    sys.stdout.flush()  # the table goes through rich's own writer
    _Console(file=sys.stdout, highlight=False).print(table)
    print(_summary(trainer, final))
    if note:
        print(note)


# -- the app ---------------------------------------------------------------------------------------


def low_bandwidth_wanted(flag: bool | None, environ: Mapping[str, str] | None = None) -> bool:
    """Whether the app redraws for a slow link: as `flag` says (--low-bandwidth or
    --no-low-bandwidth), or, when neither was given, whenever it runs over SSH."""
    if flag is not None:
        return flag
    return bool((os.environ if environ is None else environ).get("SSH_CONNECTION"))


def _has_terminal() -> bool:
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
    if not _has_terminal():
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


def cmd_lesson(args: argparse.Namespace) -> int:
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
    path = _lesson_path(name, f"{PROG} lesson check" if checking else f"{PROG} lesson")
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
        return run_app(
            None,
            args.ascii,
            lesson_path=path,
            lesson_step=None if args.step is None else _lesson_step(path, args.step),
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
    if not _has_terminal():
        return 2
    from losstui.tui.notes_app import run_notes

    return run_notes(path, args.ascii)


def _lesson_step(path: str, raw: str) -> int:
    """`--step N` of the lesson at `path` as a step index (from 0); UsageError naming the value
    and the steps the lesson has. A lesson with errors opens on them: N is only checked to be a
    whole number from 1 then (the app opens at its last step if the fixed lesson is shorter)."""
    from losstui.core.content import ContentError
    from losstui.lessons.files import read_text
    from losstui.lessons.format import parse_lesson

    try:
        count: int | None = len(parse_lesson(read_text(path), path).steps)
    except ContentError:
        count = None
    allowed = "a whole number from 1" if count is None else f"a step from 1 to {count}"
    text = raw.strip()
    if not re.fullmatch(r"[0-9]{1,7}", text) or int(text) < 1 or (count and int(text) > count):
        raise UsageError(f"{PROG} lesson: error: --step must be {allowed}, got {shown_value(raw)}")
    return int(text) - 1


def _lesson_path(name: str, prog: str) -> str:
    """The file of the lesson `name` (a number, a name or a path); UsageError, in the words of
    the list (`choose 1-7, a name (...)`), when there is none."""
    from losstui.core.content import ContentError
    from losstui.lessons.files import find_lesson

    try:
        return str(find_lesson(name))
    except ContentError as error:
        raise UsageError(f"{prog}: error: {error.problem}") from None


#: How wide `losstui lesson` writes when stdout is not a terminal: a pipe or a file gets the same
#: text on every machine, and 80 columns is the narrowest terminal a student has.
PIPED_WIDTH = 80


def _output_width() -> int:
    """The terminal's columns when stdout is one, else PIPED_WIDTH (never under 40: a width of 0,
    which some terminals report, would wrap every word on a line of its own)."""
    if not _is_terminal(sys.stdout):
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


SERVE_HELP = "serve the app in a web browser (a projector), with textual-serve"


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


def cmd_serve(argv: list[str]) -> int:
    """`losstui serve`: check the app's arguments here (a bad value exits 2 before a browser
    ever connects), then serve the app with them."""
    from losstui.serve import address_problem, serve

    at = argv.index("serve")
    try:
        args, rest = serve_parser().parse_known_args(argv[at + 1 :])
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    app_argv = [*argv[:at], *rest]
    app, extra = build_parser().parse_known_args(app_argv)  # UsageError on a bad value
    _refuse_extra(app, extra)
    _check_setup(app)
    if app.command not in (None, "lesson") or (
        app.command == "lesson" and app.target in (None, "check")
    ):
        raise UsageError(
            f"{PROG} serve: error: serve opens the app: give its options, or `lesson NAME`; "
            f"got {shown_value(shlex.join(app_argv))}"
        )
    if app.command == "lesson":
        path = _lesson_path(app.target, f"{PROG} lesson")  # said now, not in a browser's tab
        if app.step is not None:
            _lesson_step(path, app.step)
    problem = address_problem(args.host, args.port)
    if problem is not None:
        raise UsageError(f"{PROG} serve: error: {problem}")
    return serve(app_argv, host=args.host, port=args.port)


COMMANDS = {
    "lesson": cmd_lesson,
    "recommend": cmd_recommend,
    "losses": cmd_losses,
    "info": cmd_info,
    "train": cmd_train,
}


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


def _join_negative_values(argv: Sequence[str], parser: argparse.ArgumentParser) -> list[str]:
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


def _refuse_extra(args: argparse.Namespace, extra: Sequence[str]) -> None:
    """UsageError naming the arguments no option or command took, each cut when long."""
    if extra:
        where = f"{PROG} {args.command}" if args.command else PROG
        raise UsageError(
            f"{where}: error: unrecognized arguments: {' '.join(shown_value(e) for e in extra)}; "
            f"see `{where} --help`"
        )


#: Options of the app itself, which a command would silently ignore.
APP_OPTIONS = {"app_problem": "--problem", "app_preset": "--preset", "app_setup": "--setup"}


def _check_setup(args: argparse.Namespace) -> None:
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


def _main(argv: Sequence[str] | None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if "serve" in words and not set(words[: words.index("serve")]) & set(COMMANDS):
        return cmd_serve(words)
    parser = build_parser()
    argv = _join_negative_values(sys.argv[1:] if argv is None else argv, parser)
    try:
        args, extra = parser.parse_known_args(argv)
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    _refuse_extra(args, extra)
    _check_setup(args)
    if args.command is not None:
        for dest, flag in APP_OPTIONS.items():
            if getattr(args, dest) is not None:
                raise UsageError(
                    f"{PROG}: error: {flag} before a command opens the app with it, and "
                    f"`{args.command}` would ignore it; put the command's own options after it"
                    + (f": {PROG} {args.command} {flag} ..." if args.command == "train" else "")
                )
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


class _AsciiWriter:
    """A text stream that spells everything it writes in ASCII (σ → sigma, ≥ → >=, Σᵢ → sum_i).

    Formulas and messages are Unicode; on a terminal whose locale is not UTF-8 a learner should
    read "sigma(z)", not "?(z)".
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(to_ascii(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _speaks_utf8(stream: Any) -> bool:
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding == "utf8"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `losstui` console script; returns the exit status: 0, 1 when the
    output cannot be written, 2 for bad input, 130 after ctrl+c, 141 when the reader of the
    output went away; the app's own statuses (run_app) otherwise."""
    pin_blas_threads()  # before anything loads numpy
    stand_in_for_closed_streams()
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if not _speaks_utf8(stream) and not isinstance(stream, _AsciiWriter):
            setattr(sys, name, _AsciiWriter(stream))
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
