"""Provides the live train and validation loss curves, drawn by plotext through textual-plotext."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from rich.cells import cell_len
from rich.text import Text

from losstui.core.run import Ghost
from losstui.tui.widgets.ascii_plot import AsciiPlot

X_STEPS = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
"""The step axis ends at one of these times a power of ten: it grows in steps of at most 1.5x,
so the curve keeps at least two thirds of the width and moves only when the axis grows."""
FILL = 0.7
"""The loss axis keeps its limits while the losses fill at least this share of it."""


def x_limit(last: float) -> float:
    """The right end of the step axis for a run at step `last`: the first of 10, 15, 20, 30, 40,
    50, 60, 80, 100, 150, … at or above it."""
    if last <= 10:
        return 10.0
    power = 10.0 ** math.floor(math.log10(last))
    return next(m * power for m in X_STEPS if m * power >= last)


def y_limits(low: float, high: float, previous: tuple[float, float] | None) -> tuple[float, float]:
    """Limits of the loss axis around [low, high] on multiples of a round step (1, 2 or 5 ×
    10^k, up to ten to the range); `previous` is kept while it holds the data and the data
    fills at least FILL of it, so a falling loss moves the axis now and then, not every frame."""
    if previous is not None:
        lo, hi = previous
        if lo <= low and high <= hi and high - low >= FILL * (hi - lo):
            return previous
    span = high - low or max(abs(high) * 0.1, 1e-3)
    pad = span * 0.02
    exponent = math.floor(math.log10(span / 10))
    step = next(m * 10.0**exponent for m in (1, 2, 5, 10) if span / (m * 10.0**exponent) <= 10)
    lo = math.floor((low - pad) / step) * step
    hi = math.ceil((high + pad) / step) * step
    return lo, hi


def kept_records(steps: np.ndarray, x_range: tuple[float, float], columns: int) -> np.ndarray:
    """Indices of the records to draw, about `columns` of them across the step axis: those at
    multiples of a spacing that is a whole number of recording intervals, and the last. The
    spacing depends only on the axis, so a record once drawn stays drawn as the run goes on
    (until the axis grows) and a new frame changes the curve only at its right end."""
    n = len(steps)
    if n <= 2:
        return np.arange(n, dtype=np.intp)
    x0, x1 = x_range
    every = max(float(np.median(np.diff(steps))), 1.0)  # the trainer's recording interval
    spacing = every * max(1, math.ceil((x1 - x0) / max(columns, 1) / every))
    offset = np.round((steps - x0) / spacing, 6)
    keep = np.flatnonzero(offset == np.floor(offset))
    if keep.size == 0 or keep[-1] != n - 1:
        keep = np.append(keep, n - 1)
    return keep.astype(np.intp)


def _ghost_curve(ghost: Ghost, log10: bool, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The ghost's (steps, train losses), thinned to `width`, log10 with `log10` (empty where a
    loss is 0 or below)."""
    empty = np.empty(0)
    steps = np.array([r.step for r in ghost.history], dtype=np.float64)
    train = np.array([r.train_loss for r in ghost.history], dtype=np.float64)
    ok = np.isfinite(train)
    steps, train = steps[ok], train[ok]
    if log10:
        if np.any(train <= 0):
            return empty, empty
        train = np.log10(train)
    if not steps.size:
        return empty, empty
    keep = kept_records(steps, (float(steps.min()), x_limit(float(steps.max()))), width)
    return steps[keep], train[keep]


class LossCurves(AsciiPlot):
    """Train and validation loss against step; `show(history, log10)` redraws from a history.

    Both axes grow in steps (`x_limit`, `y_limits`) and the records drawn are fixed by the
    step axis (`kept_records`): while training, a frame adds to the right end of the curves and
    the rest of the plot stays as drawn, so only the new cells are sent to the terminal."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._captions_by_length: list[str] = []
        self._y_for: tuple[tuple[int, bool], tuple[float, float]] | None = None
        #: The ghost's thinned curve, for (the ghost, log10, width): a ghost never changes, so a
        #: frame while training does not build it again.
        self._ghost_for: tuple[Ghost, bool, int, tuple[np.ndarray, np.ndarray]] | None = None

    def show(
        self,
        history: Sequence,
        *,
        log10: bool,
        loss_name: str,
        between: Sequence[tuple[int, float, float]] = (),
        ghost: Ghost | None = None,
    ) -> None:
        """Plot `history` (Records with step, train_loss, val_loss) thinned to the plot's width;
        `loss_name` says what the values are ("loss", "full NLL (with log y!)"). `between`,
        (step, train loss, validation loss) points at steps the history does not record (steps
        taken one by one), join the curves in step order. `ghost`: the train curve of the run
        a setting change replaced, drawn faint and dotted under the others, its label in the
        legend."""
        self._last_args = (history, log10, loss_name, between, ghost)
        plt = self.plt
        self.reset_plot()
        width = max(self.size.width - 8, 10) * (2 if self.glyphs.plot_marker == "braille" else 1)
        hand: list[tuple[int, float, float]] = []
        if between:  # most frames have none: no set of every record's step for nothing
            recorded = {r.step for r in history}
            hand = [p for p in between if p[0] not in recorded]
        rows = [(r.step, r.train_loss, r.val_loss) for r in history] + hand
        columns = np.array(rows, dtype=np.float64).reshape(-1, 3).T
        steps, train, val = columns[0], columns[1], columns[2]
        if log10:
            if np.any(np.isfinite(train) & (train <= 0)) or np.any(np.isfinite(val) & (val <= 0)):
                log10 = False  # the app tells the user why the axis stays linear
            else:
                with np.errstate(divide="ignore", invalid="ignore"):
                    train, val = np.log10(train), np.log10(val)
        n = len(history)  # rows[:n] are the records, rows[n:] the steps taken by hand
        ghost_steps, ghost_train = self._ghost(ghost, log10, width)
        last = float(steps.max()) if len(steps) else 0.0
        if ghost_steps.size:  # the axis spans the ghost too: the new run grows into it
            last = max(last, float(ghost_steps.max()))
        x_range = (float(steps.min()), x_limit(last)) if len(steps) else (0.0, 10.0)
        # Thinned by the records alone (their spacing sets the grid); every step taken by hand
        # is drawn, and the last of them carries a validation point, where the stats line is.
        keep = np.concatenate([kept_records(steps[:n], x_range, width), np.arange(n, len(steps))])
        # Validation as spaced points, not a line: the two series differ in shape, not only colour.
        spaced = kept_records(steps[:n], x_range, max(width // 6, 2))
        if len(steps) > n and steps[-1] == last:
            spaced = np.append(spaced, len(steps) - 1)
        spaced = spaced[np.isfinite(val[spaced])]
        val_steps, val_shown = steps[spaced], val[spaced]
        order = keep[np.argsort(steps[keep], kind="stable")]
        steps, train = steps[order], train[order]
        ok_t = np.isfinite(train)
        name = loss_name.split(" (")[0] if loss_name else "loss"  # the caption is one short line
        what = f"log10({name})" if log10 else name
        legend = [
            f"{what} by step   train {self._m(0)}  validation {self._m(1)}",
            f"{what}   train {self._m(0)}  val {self._m(1)}",
            f"train {self._m(0)}  val {self._m(1)}",
        ]
        if ghost_steps.size and ghost is not None:
            # The ghost's label on every variant: a faint curve without one is a puzzle.
            mark = f"{self._ghost_look()} {ghost.label}"
            legend = [f"{text}  {mark}" for text in legend] + [f"train {self._m(0)}  {mark}"]
        self._captions_by_length = [self.glyphs.text(text) for text in legend]
        self.caption = self._captions_by_length[0]
        if ghost_steps.size:  # first, so the live curves draw over it
            plt.plot(
                ghost_steps.tolist(),
                ghost_train.tolist(),
                marker=self.glyphs.point_marker,
                color="gray",
            )
        if ok_t.sum() >= 1:
            plt.plot(steps[ok_t].tolist(), train[ok_t].tolist(), marker=self.glyphs.plot_marker)
        if val_shown.size:
            plt.scatter(val_steps.tolist(), val_shown.tolist(), marker=self.glyphs.plot_marker_alt)
        if not len(steps):
            self.redraw()
            return
        finite = np.concatenate([train[ok_t], val_shown, ghost_train])
        if finite.size:
            low, high = float(finite.min()), float(finite.max())
            run = (id(history), log10)  # a new run or a new scale starts the axis afresh
            previous = self._y_for[1] if self._y_for and self._y_for[0] == run else None
            y_range = y_limits(low, high, previous)
            self._y_for = (run, y_range)
            self.set_axes(x_range, y_range, integer_x=True)
        else:
            self.plt.xlim(*x_range)
        self.redraw()

    def caption_lines(self, width: int) -> list[Text]:
        """The legend that fits `width` cells: in full, then shorter ("val", no "by step"),
        so that a narrow plot (60 columns, beside a lesson) keeps both series' marks."""
        fitting = [c for c in self._captions_by_length if cell_len(c) <= width]
        return [Text(fitting[0], style="bold")] if fitting else super().caption_lines(width)

    def on_resize(self) -> None:
        # Thinning depends on the width: redraw the last history at the new size.
        args = getattr(self, "_last_args", None)
        if args is not None:
            self.show(args[0], log10=args[1], loss_name=args[2], between=args[3], ghost=args[4])

    def _ghost(self, ghost: Ghost | None, log10: bool, width: int) -> tuple[np.ndarray, np.ndarray]:
        """The ghost's (steps, train losses) to draw, thinned to `width`, on the axis's scale;
        empty where there is none or where log10 has no value for it."""
        empty = np.empty(0)
        if ghost is None:
            return empty, empty
        cached = self._ghost_for
        if cached is None or cached[0] is not ghost or cached[1:3] != (log10, width):
            cached = self._ghost_for = (ghost, log10, width, _ghost_curve(ghost, log10, width))
        return cached[3]

    def _ghost_look(self) -> str:
        """How the ghost's dotted curve looks in the legend."""
        return self.glyphs.point_marker * 2

    def _m(self, i: int) -> str:
        marker = (self.glyphs.plot_marker, self.glyphs.plot_marker_alt)[i]
        if i == 1:  # spaced points
            look = {"dot": "•", "hd": "▄"}.get(marker, marker)
            return f"{look} {look}"
        return {"braille": "⠒⠒", "hd": "▄▄"}.get(marker, marker * 2)
