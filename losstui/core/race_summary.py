"""A race's table, as numbers and words: each run's final losses, its metric, the step at which
it reached the task's target, and how it ended."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from losstui.core.run import RunView
from losstui.core.text import METRIC_TITLES, PERCENT_METRICS, format_loss, format_metric


@dataclass(frozen=True)
class Target:
    """A level of the task metric that reads as "learned it": `metric` ≥ `level` (or ≤ where
    lower is better)."""

    metric: str
    level: float
    higher_is_better: bool = True

    def reached(self, value: float) -> bool:
        """Whether `value` of the metric is at the target or better (never for nan)."""
        if not math.isfinite(value):
            return False
        return value >= self.level if self.higher_is_better else value <= self.level

    @property
    def text(self) -> str:
        """The target as a table header writes it: "accuracy ≥ 80.0%", "R² ≥ 0.8"."""
        sign = "≥" if self.higher_is_better else "≤"
        shown = format_metric(self.metric, self.level)
        return f"{METRIC_TITLES.get(self.metric, self.metric)} {sign} {shown}"

    @property
    def short(self) -> str:
        """The target in a table's column head: "≥80%", "≥0.8"."""
        sign = "≥" if self.higher_is_better else "≤"
        if self.metric in PERCENT_METRICS:
            return f"{sign}{100 * self.level:g}%"
        return f"{sign}{self.level:g}"


#: The target per metric: a level the race presets' runs reach when they learn the problem at
#: all (80% on the article's circles, whose overlap caps accuracy at about 85%; R² 0.8 on the
#: line, which squared error among outliers misses). A density's NLL has no level that means
#: the same on every data set, so it has none.
TARGETS: dict[str, Target] = {
    "accuracy": Target("accuracy", 0.8),
    "subset_accuracy": Target("subset_accuracy", 0.7),
    "r2": Target("r2", 0.8),
}


def race_metric(metric_names: Sequence[str]) -> str | None:
    """The metric a race compares its runs by: the first validation metric, a density's NLL
    (its validation loss, in the same units for every run on the same samples) only when
    there is no other."""
    return next((m for m in metric_names if m != "nll"), next(iter(metric_names), None))


def target_for(metric_names: Sequence[str]) -> Target | None:
    """The target of the first metric that has one, or None."""
    return next((TARGETS[m] for m in metric_names if m in TARGETS), None)


def step_reaching(run: RunView, target: Target) -> int | None:
    """The first recorded step at which the run's validation metric reached `target`, or None."""
    for record in run.history:
        value = record.metrics.get(target.metric)
        if value is not None and target.reached(value):
            return record.step
    return None


@dataclass(frozen=True)
class RaceRow:
    """One run's line of the race table, as text: what sets it apart, its final train and
    validation loss, its metric, the step it reached the target ("-": not yet), and how it
    ended ("training", "converged 1,240", "diverged 40")."""

    label: str
    train: str
    val: str
    metric: str
    reached: str
    ended: str


def race_row(run: RunView, label: str, target: Target | None) -> RaceRow:
    """The table's row of `run` now: its losses and metric at its present step."""
    values = run.evaluate()
    metric = race_metric(run.metric_names)
    step = step_reaching(run, target) if target is not None else None
    if run.diverged:
        ended = f"diverged {run.diverged_at_step or 0:,}"
    elif run.converged:
        ended = f"converged {run.converged_at_step or 0:,}"
    else:
        ended = "training"
    return RaceRow(
        label,
        format_loss(values.get("train_loss")),
        format_loss(values.get("val_loss")),
        format_metric(metric, values.get(metric)) if metric else "-",
        f"{step:,}" if step is not None else "-",
        ended,
    )


def all_level(runs: Sequence[RunView], metric: str) -> bool:
    """Whether every run (two or more) has the same validation metric now, to the 3 decimals a
    reader compares (the categorical forms: one loss written three ways)."""
    values = [run.evaluate().get(metric) for run in runs]
    shown = {round(v, 3) for v in values if v is not None and math.isfinite(v)}
    return len(runs) > 1 and len(shown) == 1 and None not in values


def leader(runs: Sequence[RunView], metric: str) -> int | None:
    """The index of the run whose validation metric is best now (None when no run has a finite
    value, or when runs tie at the top: a tie has no winner)."""
    higher = metric not in ("hamming_loss", "nll")
    scored = []
    for i, run in enumerate(runs):
        value = run.evaluate().get(metric)
        if value is not None and math.isfinite(value) and not run.diverged:
            scored.append((value if higher else -value, i))
    if not scored:
        return None
    scored.sort(reverse=True)
    # Shown to 3 digits: runs equal there read as a tie on screen, so none is called the leader.
    if len(scored) > 1 and round(scored[0][0], 3) == round(scored[1][0], 3):
        return None
    return scored[0][1]
