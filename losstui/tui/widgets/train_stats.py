"""Provides the training read-out: run state, step, epoch, losses, the task metric."""

from __future__ import annotations

import math

from rich.text import Text
from textual.widgets import Static

from losstui.tui.glyphs import UNICODE, Glyphs

METRIC_TITLES = {
    "accuracy": "accuracy",
    "r2": "R²",
    "mae": "MAE",
    "subset_accuracy": "subset accuracy",
    "hamming_loss": "Hamming loss",
    "nll": "NLL",
}
PERCENT_METRICS = ("accuracy", "subset_accuracy", "hamming_loss")


def fmt(value: float | None) -> str:
    """A loss or metric in 4 significant digits; 'inf'/'nan' spelled out."""
    if value is None:
        return "-"
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.4g}"


class TrainStats(Static):
    """Step, epoch, losses and metrics of a trainer; the app calls show() a few times a second."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.glyphs: Glyphs = UNICODE
        self._last: tuple | None = None

    def show(
        self,
        trainer,
        *,
        running: bool,
        steps_per_second: int,
        loss_title: str,
        recommended: bool,
        divergence: str | None,
    ) -> None:
        """Redraw from `trainer` (skipped when nothing visible changed)."""
        record = trainer.history[-1] if trainer.history else None
        key = (
            trainer.step_count,
            running,
            steps_per_second,
            loss_title,
            recommended,
            divergence,
            record,
        )
        if key == self._last:
            return
        self._last = key
        g = self.glyphs
        out = Text(no_wrap=False)
        if divergence:
            out.append(" DIVERGED ", style="bold reverse")
            out.append(" " + g.text(divergence) + "\n", style="bold")
        elif running:
            out.append(
                " > TRAINING " if g.name == "ascii" else " ▶ TRAINING ", style="bold reverse"
            )
            out.append(f" {steps_per_second} steps/s  (space pauses, +/- speed)\n")
        else:
            out.append(" || PAUSED " if g.name == "ascii" else " ⏸ PAUSED ", style="bold")
            hint = "space trains, n steps once" if trainer.step_count == 0 else "space resumes"
            out.append(f" {hint}\n", style="dim")
        out.append("step ", style="dim")
        out.append(f"{trainer.step_count}", style="bold")
        out.append("  epoch ", style="dim")
        out.append(f"{trainer.epoch:.1f}", style="bold")
        if record is not None:
            out.append("  train ", style="dim")
            out.append(fmt(record.train_loss), style="bold")
            out.append("  val ", style="dim")
            out.append(fmt(record.val_loss), style="bold")
            for name in trainer.metric_names:
                value = record.metrics.get(name)
                title = g.text(METRIC_TITLES.get(name, name))
                out.append(f"  {title} ", style="dim")
                if value is not None and name in PERCENT_METRICS and math.isfinite(value):
                    out.append(f"{100 * value:.1f}%", style="bold")
                else:
                    out.append(fmt(value), style="bold")
        out.append("\nloss: ", style="dim")
        out.append(g.text(loss_title))
        out.append(
            "  (recommended)" if recommended else "  (not the recommended loss: a lesson)",
            style="dim" if recommended else "bold",
        )
        self.update(out)
