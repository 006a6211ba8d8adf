"""`losstui train`: train a small numpy model with SGD headless, and print its loss history as a
table, CSV or JSON. Unset options take the problem's recommended defaults (or a preset's setup)."""

from __future__ import annotations

import argparse
import math
import sys
from typing import Any

from losstui.cli.printing import print_json
from losstui.cli.training import (
    command_error,
    convergence_reason,
    csv_value,
    final_values,
    loss_note,
    outcome,
    records_of,
    run_in_slices,
    total_steps,
    train_config,
)
from losstui.core.text import format_epoch, format_metric, thin

#: The most rows the table shows: a longer history is thinned evenly, its first and last kept.
TABLE_ROWS = 20


def cmd_train(args: argparse.Namespace) -> int:
    """Train as the arguments say and print the history in --format; status 130 after ctrl+c
    (the history so far is printed), else 0."""
    from losstui import cli  # the package's _run_steps, which a test may stand in for

    config = train_config(args)
    trainer, total = _start(config, args)
    interrupted = cli._run_steps(trainer, total)
    note = _notes(config, trainer, total, interrupted)
    final = final_values(trainer)
    _PRINTERS[args.format](config, trainer, records_of(trainer, final), final, note)
    # ctrl+c: the history so far is printed, and the status says the run was cut short.
    return 130 if interrupted else 0


def _start(config: Any, args: argparse.Namespace) -> tuple[Any, int]:
    """The Trainer for `config` and the steps to run (see `total_steps`)."""
    from losstui.core.trainer import Trainer

    total = total_steps(config, args)
    try:
        trainer = Trainer(config)
    except ValueError as exc:
        raise command_error(
            "train", f"cannot train {config.loss} on {config.dataset}: {exc}"
        ) from None
    return trainer, total


def _notes(config: Any, trainer: Any, total: int, interrupted: bool) -> str | None:
    """The notes under the history, one a line (None if there are none): a run cut short, a loss
    that is not the recommended one, losses shown with a constant added back, a clean
    validation set."""
    notes = []
    if interrupted:
        notes.append(f"note: interrupted (ctrl+c) at step {trainer.step_count:,} of {total:,}.")
    not_recommended = loss_note(config.problem, config.loss)
    if not_recommended:
        notes.append(not_recommended)
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
            "is_recommended": loss_note(config.problem, config.loss) is None,
            "losses_are": trainer.recorded_as,
            "standing": loss_verdict(config.problem, config.loss).standing.value,
            **outcome(trainer),
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
        print(",".join(csv_value(row.get(c, math.nan)) for c in columns))
    if trainer.diverged:
        # The rows stop at the divergence; a reader of the file must not take them as a run.
        print(f"# {trainer.divergence_message}")
    if note:
        print(note, file=sys.stderr)


def _run_steps(trainer: Any, total: int) -> bool:
    """Train up to `total` steps in slices; True if ctrl+c stopped it (the history so far is kept
    and printed). A long run shows a progress bar on stderr (`run_in_slices`)."""
    from losstui.core.work import run_cost

    seconds = run_cost(trainer.config).seconds(total)
    return run_in_slices(
        trainer.step, lambda: trainer.diverged or trainer.converged, total, seconds
    )


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
        return f"{head}: {convergence_reason(trainer)}; " + ", ".join(values) + "."
    return "Done: " + ", ".join([f"{final['step']} steps ({epochs})", *values]) + "."


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
