"""`losstui race`: train 2 to 4 runs that differ in one setting (`--vary KEY=V1,V2`) side by side
on one clock, from the same data, initial weights and minibatch order, and print their histories
and how each ended, as a table, CSV or JSON. Every other option is `train`'s."""

from __future__ import annotations

import argparse
import math
import sys
from typing import Any

from losstui.cli.printing import print_json
from losstui.cli.training import (
    command_error,
    csv_value,
    final_values,
    loss_note,
    outcome,
    records_of,
    run_in_slices,
    total_steps,
    train_config,
)
from losstui.core.text import METRIC_TITLES, format_epoch, format_metric, thin

#: The most rows the history table shows (thinned evenly, its first and last kept).
TABLE_ROWS = 20


def cmd_race(args: argparse.Namespace) -> int:
    """Race as the arguments say and print the runs in --format; status 130 after ctrl+c (the
    histories so far are printed), else 0."""
    race = args.vary if args.vary is not None else _preset_race(args.preset)
    if getattr(args, race.key) is not None:
        raise command_error(
            "race",
            f"--vary {race.key}=... sets each run's {race.key}: leave out the flag that sets one",
        )
    base = train_config(args, "race")
    runs, total = _start(base, race, args)
    interrupted = _run_together(runs, total)
    results = [_result(run, value) for run, value in zip(runs, race.values, strict=True)]
    _PRINTERS[args.format](base, race, runs, results, _notes(runs, total, interrupted))
    return 130 if interrupted else 0


def _preset_race(preset: str | None) -> Any:
    """The race a race preset brings; status 2 without one (--vary is then required)."""
    from losstui.core.presets import RACE_PRESETS
    from losstui.core.settings import SETTINGS

    if preset not in RACE_PRESETS:
        raise command_error("race", "the following arguments are required: --vary")
    return SETTINGS["race"].parse(RACE_PRESETS[preset].settings["race"])


def _start(base: Any, race: Any, args: argparse.Namespace) -> tuple[list[Any], int]:
    """The race's runs at step 0 and the steps to run; status 2 when a run cannot be made (a
    loss that cannot train on the data) or the race is over the work cap."""
    from losstui.core.race import make_runs, race_configs
    from losstui.core.settings import SettingError
    from losstui.core.work import over_cap

    try:
        configs = race_configs(base, race)
    except SettingError as error:
        raise command_error("race", str(error).removeprefix("race: ")) from None
    # The clock's length (--steps, or --epochs of the first run); each run within the caps for
    # it, then the race as a whole: its runs one after another.
    total = total_steps(configs[0], args, "race")
    for config in configs[1:]:
        refusal = over_cap(config, total, lifted=args.allow_long_run)
        if refusal is not None:
            raise command_error("race", refusal)
    _check_the_whole(configs, total, args)
    try:
        return make_runs(configs, race), total
    except ValueError as exc:
        raise command_error("race", str(exc)) from None


def _check_the_whole(configs: list[Any], total: int, args: argparse.Namespace) -> None:
    """Status 2 when the runs together would take longer than the work cap (each alone fits)."""
    from losstui.core.work import LIFT_FLAG, MAX_SECONDS, describe_seconds, run_cost

    seconds = sum(run_cost(config).seconds(total) for config in configs)
    if seconds > MAX_SECONDS and not args.allow_long_run:
        raise command_error(
            "race",
            f"the {len(configs)} runs would take {describe_seconds(seconds)} together, above the "
            f"cap of {describe_seconds(MAX_SECONDS, about=False)}; ask for fewer steps, or add "
            f"{LIFT_FLAG} to run them anyway",
        )


def _run_together(runs: list[Any], total: int) -> bool:
    """Step every run on one clock up to `total` steps; True if ctrl+c stopped it."""
    from losstui.core.race import all_stopped, step_runs
    from losstui.core.work import run_cost

    seconds = sum(run_cost(run.config).seconds(total) for run in runs)
    return run_in_slices(lambda n: step_runs(runs, n), lambda: all_stopped(runs), total, seconds)


def _result(run: Any, value: Any) -> dict[str, Any]:
    """One run's results as JSON writes them."""
    final = final_values(run)
    return {
        "value": list(value) if isinstance(value, tuple) else value,  # hidden sizes: a list
        "label": run.label,
        "config": run.config.as_dict(),
        "losses_are": run.recorded_as,
        **outcome(run.trainer),
        "final": final,
        "history": records_of(run, final),
    }


def _notes(runs: list[Any], total: int, interrupted: bool) -> str | None:
    """The notes under the results, one a line (None if there are none)."""
    notes = []
    if interrupted:
        step = max(run.step_count for run in runs)
        notes.append(f"note: interrupted (ctrl+c) at step {step:,} of {total:,}.")
    for run in runs:
        not_recommended = loss_note(run.config.problem, run.config.loss)
        if not_recommended and not_recommended not in notes:
            notes.append(not_recommended)
    if runs[0].dataset.validation_note:
        notes.append(f"note: {runs[0].dataset.validation_note}.")
    return "\n".join(notes) if notes else None


def _ending(result: dict[str, Any]) -> str:
    """How a run ended, in a few words: "diverged at 40", "converged at 600" (steps), "done"."""
    if result["diverged"]:
        return f"diverged at {result['diverged_at_step']:,}"
    if result["converged"]:
        return f"converged at {result['converged_at_step']:,}"
    return "done"


def _metric(results: list[dict[str, Any]]) -> str | None:
    """The task's first metric (accuracy, R², ...), the race's shared yardstick; None if none."""
    names = [k for k in results[0]["final"] if k not in ("step", "epoch", "train_loss", "val_loss")]
    return names[0] if names else None


def _print_table(
    base: Any, race: Any, runs: list[Any], results: list[dict[str, Any]], note: str | None
) -> None:
    """--format table: a line naming the race, each run's validation metric by step (the loss
    where the task has none; a run that has stopped leaves its cells blank), then one row per
    run: how it ended, its final train and validation losses and metric."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from losstui.core.settings import SETTINGS

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError  # main() gives every command the same quiet 141

    labels = [run.label for run in runs]
    metric = _metric(results)
    # The task's metric is the runs' shared yardstick: different losses have different units.
    shared = metric or "val_loss"
    by_step: dict[int, list[str]] = {}
    for i, result in enumerate(results):
        for record in result["history"]:
            row = by_step.setdefault(record["step"], [""] * len(runs))
            row[i] = format_metric(shared, float(record.get(shared, math.nan)))
    # Runs by number: four losses' names side by side would not fit 80 columns.
    title = f"val {METRIC_TITLES.get(shared, 'loss')} by step"
    history = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left")
    history.add_column("step", justify="right")
    for number in range(1, len(runs) + 1):
        history.add_column(f"run {number}", justify="right")
    for step in thin(sorted(by_step), TABLE_ROWS):
        history.add_row(str(step), *by_step[step])
    summary = Table(
        box=box.SIMPLE_HEAD, title="how each run ended", title_justify="left", pad_edge=False
    )
    summary.add_column("run", justify="right")
    summary.add_column(race.key, no_wrap=True)
    for column in ("ended", "epochs", "train", "val"):
        summary.add_column(column, justify="left" if column == "ended" else "right")
    if metric is not None:
        summary.add_column(METRIC_TITLES.get(metric, metric), justify="right")
    for number, (value, result) in enumerate(zip(race.values, results, strict=True), 1):
        final = result["final"]
        shown = ["train_loss", "val_loss", *([metric] if metric is not None else [])]
        # A diverged model's numbers mean nothing: its row says when it diverged, not them.
        numbers = [
            "-" if result["diverged"] else format_metric(key, float(final.get(key, math.nan)))
            for key in shown
        ]
        written = SETTINGS[race.key].format(value)
        epochs = format_epoch(float(final["epoch"]))
        summary.add_row(str(number), written, _ending(result), epochs, *numbers)
    print(f"{base.problem} · {base.dataset} · race on {race.key}: {', '.join(labels)}")
    sys.stdout.flush()  # the tables go through rich's own writer
    console = _Console(file=sys.stdout, highlight=False)
    console.print(history)
    console.print(summary)
    if note:
        print(note)


def _print_csv(
    base: Any, race: Any, runs: list[Any], results: list[dict[str, Any]], note: str | None
) -> None:
    """--format csv: one row per record of every run, the run (its label) and its value first;
    the notes on stderr, so that the output stays one CSV file."""
    from losstui.core.settings import SETTINGS

    columns = ["step", "epoch", "train_loss", "val_loss", *runs[0].metric_names]
    print(",".join(["run", race.key, *columns]))
    for index, (value, result) in enumerate(zip(race.values, results, strict=True)):
        written = SETTINGS[race.key].format(value)
        quoted = f'"{written}"' if "," in written else written  # hidden sizes: 32,16
        for row in result["history"]:
            cells = [csv_value(row.get(c, math.nan)) for c in columns]
            print(",".join([str(index + 1), quoted, *cells]))
    if note:
        print(note, file=sys.stderr)


def _print_json(
    base: Any, race: Any, runs: list[Any], results: list[dict[str, Any]], note: str | None
) -> None:
    """--format json: the raced setting and its values, and each run with its value, full
    configuration, history and how it ended; the notes on stderr."""
    print_json(
        {
            "vary": {"key": race.key, "values": [r["value"] for r in results]},
            "runs": results,
        }
    )
    if note:
        print(note, file=sys.stderr)


#: The printer of each --format.
_PRINTERS = {"table": _print_table, "csv": _print_csv, "json": _print_json}
