"""What the headless training commands (`train`, `race`) share: the configuration from the
flags, the run's length under the work cap, stepping in slices with a progress bar and ctrl+c,
and a few ways of writing the results."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from losstui.cli.output import is_terminal
from losstui.cli.parser import DEFAULT_STEPS, PROG, TRAIN_FLAGS, UsageError
from losstui.core.presets import PRESETS, RACE_PRESETS
from losstui.core.settings import SETTINGS, TRAINING_KEYS

#: A headless run longer than this (estimated) shows a progress bar when stderr is a terminal.
PROGRESS_AFTER_SECONDS = 2.0


def command_error(command: str, message: str) -> UsageError:
    """A one-line error of `losstui COMMAND` (status 2), its whitespace run together."""
    return UsageError(f"{PROG} {command}: error: {' '.join(message.split())}")


def train_config(args: argparse.Namespace, command: str = "train") -> Any:
    """The TrainConfig for the parsed arguments: the problem's defaults (or the preset's setup),
    then what was given, by the rules the app applies (`core.configuration.configure`)."""
    from losstui.core.configuration import PairingError, configure
    from losstui.core.trainer import TrainConfig

    if args.preset is not None:
        preset = PRESETS.get(args.preset) or RACE_PRESETS[args.preset]
        if args.problem is not None and args.problem != preset.problem:
            raise command_error(
                command, f"--preset {args.preset} is a {preset.problem} setup, not {args.problem}"
            )
        problem = preset.problem
        settings = {k: v for k, v in preset.settings.items() if k in TRAINING_KEYS}
        settings.pop("problem")
        base = {k: SETTINGS[k].parse(v) for k, v in settings.items()}
    elif args.problem is not None:
        problem, base = args.problem, {}
    else:
        raise command_error(command, "one of --problem or --preset is required")
    given = {key: getattr(args, key) for key in TRAIN_FLAGS if getattr(args, key) is not None}
    if args.model not in (None, "mlp") and {"hidden", "hidden_activation"} & set(given):
        # Said in the flags' words: the rule is configure's.
        raise command_error(
            command, f"--hidden and --activation apply to --model mlp, not {args.model!r}"
        )
    config = configure(TrainConfig.default_for(problem), base)
    try:
        return configure(config, given)
    except PairingError as exc:
        dataset = given.get("dataset", config.dataset)
        raise command_error(
            command, f"cannot train {args.loss} on {dataset}: {exc.reason}"
        ) from None
    except ValueError as exc:
        raise command_error(command, str(exc)) from None


def total_steps(config: Any, args: argparse.Namespace, command: str = "train") -> int:
    """The steps to run (--steps, --epochs or the default), refused (status 2, saying what it
    would cost) when the run is over the work cap and --allow-long-run was not given."""
    from losstui.core.work import over_cap, run_cost

    try:
        # Estimated before any data is made: making it may be most of the cost.
        cost = run_cost(config)
        if args.steps is not None:
            total = int(args.steps)
        elif args.epochs is not None:
            total = args.epochs * cost.steps_per_epoch()
        else:
            total = DEFAULT_STEPS
        refusal = over_cap(config, total, lifted=args.allow_long_run)
    except ValueError as exc:
        reason = f"cannot train {config.loss} on {config.dataset}: {exc}"
        raise command_error(command, reason) from None
    if refusal is not None:
        raise command_error(command, refusal)
    return total


def run_in_slices(
    step: Callable[[int], int], stopped: Callable[[], bool], total: int, seconds: float
) -> bool:
    """Call `step(n)` in slices of at most 100 steps until `total` steps or `stopped()`; True if
    ctrl+c stopped it (what was trained is kept). A run estimated at more than
    PROGRESS_AFTER_SECONDS shows rich's progress bar on stderr when stderr is a terminal."""
    progress = None
    if seconds > PROGRESS_AFTER_SECONDS and is_terminal(sys.stderr):
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
        while done < total and not stopped():
            taken = step(min(100, total - done))
            if taken == 0:
                break
            done += taken
            if progress is not None:
                progress.update(task, completed=done)
    except KeyboardInterrupt:
        return True
    finally:
        if progress is not None:
            progress.stop()
    return False


def loss_note(problem: str, loss: str) -> str | None:
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


def csv_value(value: Any) -> str:
    """A CSV cell: a count as is, a value at full precision (repr), inf and nan as Python writes
    them."""
    if isinstance(value, int):
        return str(value)
    return repr(float(value))


def convergence_reason(run: Any) -> str | None:
    """Why the stop rule ended the run, "validation loss not improved for 300 steps"; None if it
    did not."""
    summary = run.convergence_summary
    return summary.split(": ", 1)[1] if summary else None


def outcome(trainer: Any) -> dict[str, Any]:
    """How a run ended, as JSON writes it: its steps, and whether and when it diverged or the
    stop rule ended it, and why."""
    return {
        "steps": trainer.step_count,
        "diverged": trainer.diverged,
        "diverged_at_step": trainer.diverged_at_step,
        "divergence_reason": trainer.divergence_reason,
        "converged": trainer.converged,
        "converged_at_step": trainer.converged_at_step,
        "convergence_reason": convergence_reason(trainer),
    }


def final_values(run: Any) -> dict[str, Any]:
    """The run's step, epoch, losses and metrics now."""
    return {"step": run.step_count, "epoch": run.epoch, **run.evaluate()}


def records_of(run: Any, final: dict[str, Any]) -> list[dict[str, Any]]:
    """The run's history as dicts, ended where the run ended (the history is recorded on a
    schedule; a diverged run ends at its last healthy record)."""
    records = [r.as_dict() for r in run.history]
    if not run.diverged and (not records or records[-1]["step"] != run.step_count):
        records.append(final)
    return records
