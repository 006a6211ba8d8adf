"""Provides a race's curves overlaid: the task metric, or each run's loss over its first value."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
from rich.cells import cell_len
from rich.text import Text

from losstui.core.race_summary import race_metric
from losstui.core.run import RunView
from losstui.core.text import METRIC_TITLES, format_loss
from losstui.tui.run_marks import PLOT_COLOURS, RUN_MARKS, TEXT_COLOURS, short_label
from losstui.tui.widgets.ascii_plot import AsciiPlot
from losstui.tui.widgets.loss_curves import kept_records, x_limit, y_limits

Shown = Literal["metric", "loss"]
#: The loss axis stops at this multiple of the first value: a diverging run leaves through the
#: top (the table says when it diverged) instead of squashing the others' curves to a line.
MAX_RATIO = 2.0
#: R² has no floor; below this a run's curve leaves through the bottom for the same reason.
MIN_R2 = -1.0


def first_metric(run: RunView) -> str | None:
    """The metric a race compares runs by (`race_metric`)."""
    return race_metric(run.metric_names)


def run_curve(run: RunView, shown: Shown, metric: str | None) -> tuple[np.ndarray, np.ndarray]:
    """(steps, values) of `run`'s recorded history, finite values only: its validation `metric`,
    or its train loss divided by the first recorded train loss (the loss itself when that is 0
    or below, as a density's NLL may be)."""
    history = run.history
    steps = np.array([r.step for r in history], dtype=np.float64)
    if shown == "metric":
        key = metric or ""
        values = np.array([r.metrics.get(key, math.nan) for r in history], dtype=np.float64)
    else:
        values = np.array([r.train_loss for r in history], dtype=np.float64)
        first = values[0] if values.size else math.nan
        if math.isfinite(first) and first > 0:
            values = values / first
    ok = np.isfinite(values)
    return steps[ok], values[ok]


class RaceCurves(AsciiPlot):
    """The runs of a race overlaid on one axis, each in its colour and with its mark (`RUN_MARKS`,
    so the curves read without colour): `shown` "metric" plots the validation metric, "loss" the
    train loss divided by its first recorded value, Lᵢ(t) / Lᵢ(0) (the losses' units differ),
    each run's raw train loss now in the legend ("loss÷first: * BCE 0.3548"). `show(runs,
    labels)` redraws."""

    def __init__(self, shown: Shown, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: Shown = shown
        self._legend: list[Text] = []
        self._title = ""
        self._y_for: tuple[tuple[int, ...], tuple[float, float]] | None = None
        self._last: tuple[Sequence[RunView], Sequence[str], int | None, bool] | None = None
        self._drawn: tuple[object, ...] | None = None

    def show(
        self,
        runs: Sequence[RunView],
        labels: Sequence[str],
        best: int | None = None,
        level: bool = False,
    ) -> None:
        """Plot `runs` (labelled `labels`), thinned to the plot's width; `best`: the run leading
        on the metric now, named in the metric plot's title (None: no leader, or a tie);
        `level`: every run has the same metric now, and the title says so."""
        self._last = (runs, labels, best, level)
        # Choosing another run redraws the pane, not the runs: the curves are the same.
        drawn = (
            tuple((id(run), run.step_count, len(run.history)) for run in runs),
            tuple(labels),
            best,
            level,
            self.size,
            self.glyphs.name,
        )
        if drawn == self._drawn:
            return
        self._drawn = drawn
        self.reset_plot()
        if not runs:
            self.redraw()
            return
        metric = first_metric(runs[0])
        braille = self.glyphs.plot_marker == "braille"
        width = max(self.size.width - 8, 10) * (2 if braille else 1)
        curves = [run_curve(run, self.shown, metric) for run in runs]
        last = max((float(s.max()) for s, _ in curves if s.size), default=0.0)
        x_range = (0.0, x_limit(last))
        self._caption(runs, labels, metric, best, level)
        low, high = math.inf, -math.inf
        for i, (steps, values) in enumerate(curves):
            if not steps.size:
                continue
            keep = kept_records(steps, x_range, width)
            xs, ys = steps[keep], values[keep]
            self.plt.plot(xs.tolist(), ys.tolist(), marker=RUN_MARKS[i], color=PLOT_COLOURS[i])
            low, high = min(low, float(ys.min())), max(high, float(ys.max()))
        if math.isfinite(low):
            if self.shown == "loss":
                high = min(high, MAX_RATIO)
            elif metric == "r2":
                low = max(low, MIN_R2)
            key = tuple(id(run) for run in runs)  # new runs start the axis afresh
            previous = self._y_for[1] if self._y_for and self._y_for[0] == key else None
            y_range = y_limits(low, max(high, low), previous)
            self._y_for = (key, y_range)
            self.set_axes(x_range, y_range, integer_x=True)
        self.redraw()

    def _caption(
        self,
        runs: Sequence[RunView],
        labels: Sequence[str],
        metric: str | None,
        best: int | None,
        level: bool,
    ) -> None:
        """The title and one legend entry per run: its mark, short label and value now."""
        if self.shown == "metric":
            title = f"validation {METRIC_TITLES.get(metric or '', metric or 'metric')}"
            if best is not None:
                title += f", best now {RUN_MARKS[best]} {short_label(labels[best])}"
            elif level:
                title += ", every run level"
        else:
            title = "loss÷first:"
        self._title = self.glyphs.text(title)
        self._legend = []
        if self.shown == "metric":  # its values are in the table: the title names the leader
            self.caption = self._title
            return
        for i, (run, label) in enumerate(zip(runs, labels, strict=True)):
            value = format_loss(run.evaluate().get("train_loss"))
            text = f"{RUN_MARKS[i]} {short_label(label)} {value}"
            self._legend.append(Text(self.glyphs.text(text), style=TEXT_COLOURS[i]))
        self.caption = self._title

    def caption_lines(self, width: int) -> list[Text]:
        """The title, then the legend's entries, on as few lines as hold them (each entry whole
        where it fits: a value cut off would mislead)."""
        lines = []
        line = Text(self._title, style="bold")
        for entry in self._legend:
            joined = cell_len(line.plain) + 2 + cell_len(entry.plain)
            if line.plain and joined > width:
                lines.append(line)
                line = Text()
            if line.plain:
                line.append("  ")
            line.append_text(entry)
        if line.plain:
            lines.append(line)
        for text in lines:
            text.truncate(width)
        return lines

    def on_resize(self) -> None:
        # Thinning depends on the width: redraw the last runs at the new size.
        if self._last is not None:
            self.show(*self._last)
