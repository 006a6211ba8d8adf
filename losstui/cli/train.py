"""`losstui train`: train a small numpy model with SGD headless, and print its loss history as a
table, CSV or JSON. Unset options take the problem's recommended defaults (or a preset's setup)."""

from __future__ import annotations

import argparse
import math
import sys
from typing import Any

from losstui.cli.output import is_terminal
from losstui.cli.parser import DEFAULT_STEPS, PROG, TRAIN_FLAGS, UsageError
from losstui.cli.printing import print_json
from losstui.core.presets import PRESETS
from losstui.core.settings import SETTINGS, TRAINING_KEYS
from losstui.core.text import format_epoch, format_metric, thin

#: The most rows the table shows: a longer history is thinned evenly, its first and last kept.
TABLE_ROWS = 20
#: A headless run longer than this (estimated) shows a progress bar when stderr is a terminal.
PROGRESS_AFTER_SECONDS = 2.0


def cmd_train(args: argparse.Namespace) -> int:
    """Train as the arguments say and print the history in --format; status 130 after ctrl+c
    (the history so far is printed), else 0."""
    from losstui import cli  # the package's _run_steps, which a test may stand in for

    config = _train_config(args)
    trainer, total = _start(config, args)
    interrupted = cli._run_steps(trainer, total)
    note = _notes(config, trainer, total, interrupted)
    final = {
        "step": trainer.step_count,
        "epoch": trainer.epoch,
        **trainer.evaluate(),
    }
    records = [r.as_dict() for r in trainer.history]
    if not trainer.diverged and (not records or records[-1]["step"] != trainer.step_count):
        # The history is recorded on a schedule; end it where the run ended.
        records.append(final)
    _PRINTERS[args.format](config, trainer, records, final, note)
    # ctrl+c: the history so far is printed, and the status says the run was cut short.
    return 130 if interrupted else 0


def _train_error(message: str) -> UsageError:
    """A one-line error of `losstui train` (status 2), its whitespace run together."""
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


def _start(config: Any, args: argparse.Namespace) -> tuple[Any, int]:
    """The Trainer for `config` and the steps to run, refused (status 2, saying what it would
    cost) when the run is over the work cap and --allow-long-run was not given."""
    from losstui.core.trainer import Trainer
    from losstui.core.work import over_cap, run_cost

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
    return trainer, total


def _notes(config: Any, trainer: Any, total: int, interrupted: bool) -> str | None:
    """The notes under the history, one a line (None if there are none): a run cut short, a loss
    that is not the recommended one, losses shown with a constant added back, a clean
    validation set."""
    notes = []
    if interrupted:
        notes.append(f"note: interrupted (ctrl+c) at step {trainer.step_count:,} of {total:,}.")
    loss_note = _loss_note(config.problem, config.loss)
    if loss_note:
        notes.append(loss_note)
    if trainer.loss.recorded_as:
        # Train and validation targets differ, so their dropped constants do: say what is shown.
        notes.append(
            f"note: train and val losses are the {trainer.recorded_as}, the likelihood's constant "
            f"that {config.loss} leaves out added back, so the two compare fairly."
        )
    if trainer.dataset.validation_note:
        notes.append(f"note: {trainer.dataset.validation_note}.")
    return "\n".join(notes) if notes else None


def _columns(trainer: Any) -> list[str]:
    """The history's columns, as the CSV header and the table name them."""
    return ["step", "epoch", "train_loss", "val_loss", *trainer.metric_names]


def _print_json_history(
    config: Any,
    trainer: Any,
    records: list[dict[str, Any]],
    final: dict[str, Any],
    note: str | None,
) -> None:
    """--format json: the configuration, the verdicts and the history in one object on stdout;
    the notes on stderr, so that the output stays one JSON document."""
    from losstui.core.problems import loss_verdict
    from losstui.core.trainer import DEFAULT_LOSS

    print_json(
        {
            "config": config.as_dict(),
            "recommended_loss": DEFAULT_LOSS[config.problem],
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


def _print_csv_history(
    config: Any,
    trainer: Any,
    records: list[dict[str, Any]],
    final: dict[str, Any],
    note: str | None,
) -> None:
    """--format csv: a header and one row per record on stdout (a divergence as a last comment
    line); the notes on stderr, so that the output stays one CSV file."""
    columns = _columns(trainer)
    print(",".join(columns))
    for row in records:
        print(",".join(_csv_value(row.get(c, math.nan)) for c in columns))
    if trainer.diverged:
        # The rows stop at the divergence; a reader of the file must not take them as a run.
        print(f"# {trainer.divergence_message}")
    if note:
        print(note, file=sys.stderr)


def _run_steps(trainer: Any, total: int) -> bool:
    """Train up to `total` steps in slices; True if ctrl+c stopped it (the history so far is kept
    and printed). A long run shows rich's progress bar on stderr when stderr is a terminal."""
    from losstui.core.work import run_cost

    seconds = run_cost(trainer.config).seconds(total)
    show = seconds > PROGRESS_AFTER_SECONDS and is_terminal(sys.stderr)
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
    """A CSV cell: a count as is, a value at full precision (repr), inf and nan as Python writes
    them."""
    if isinstance(value, int):
        return str(value)
    return repr(float(value))


def _summary(trainer: Any, final: dict[str, Any]) -> str:
    """The line under the table: how the run ended (diverged, converged or done) and its final
    values."""
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


def _print_table(
    config: Any,
    trainer: Any,
    records: list[dict[str, Any]],
    final: dict[str, Any],
    note: str | None,
) -> None:
    """--format table (the default): a line naming the run, the history thinned to TABLE_ROWS
    rows, a summary line, then the notes, all on stdout."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # rich exits 1 on a closed pipe; main() gives every command the same quiet 141.
            raise BrokenPipeError

    columns = _columns(trainer)
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


#: The printer of each --format.
_PRINTERS = {"table": _print_table, "csv": _print_csv_history, "json": _print_json_history}
