"""Provides the shapes' plot: each loss of a problem, or its gradient, against one prediction."""

from __future__ import annotations

import math

import numpy as np

from losstui.core.shapes import Shapes
from losstui.tui.run_marks import PLOT_COLOURS, RUN_MARKS, TEXT_COLOURS
from losstui.tui.widgets.ascii_plot import AsciiPlot

#: Curve i's mark and colours: a race's four, then two more (a problem lists up to six losses).
#: ASCII in every character set, and never "+", "-" or "|", which the frame and the rug use.
SHAPE_MARKS = (*RUN_MARKS, "@", "%")
SHAPE_PLOT_COLOURS = (*PLOT_COLOURS, "red", "blue")
SHAPE_TEXT_COLOURS = (*TEXT_COLOURS, "#ff5f5f", "#87afff")
#: The rug's mark: one per column that holds a run's example.
RUG_MARK = "|"
#: How far above the recommended loss's own range the y axis reaches: enough to see another
#: loss leave it, not so much that the recommended curve flattens into the axis.
HEADROOM = 1.5


class ShapesPlot(AsciiPlot):
    """`shows` "values": each loss ℓ against the axis; "gradient": ∂ℓ/∂z. Each curve in its mark
    and colour (`SHAPE_MARKS`), the run's examples as a rug of `RUG_MARK` along the bottom. The
    y axis is fitted to the recommended loss (the first curve) with HEADROOM: a loss that grows
    faster leaves the top, as it does."""

    def __init__(self, shows: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shows = shows
        self._last: tuple[Shapes, np.ndarray | None] | None = None

    def show(self, shapes: Shapes, rug: np.ndarray | None) -> None:
        """Plot `shapes`, with `rug` (a run's examples on the axis; None for none)."""
        self._last = (shapes, rug)
        self.reset_plot()
        x = shapes.x
        lines = [
            curve.values if self.shows == "values" else curve.gradient for curve in shapes.curves
        ]
        low, high = self._y_range(lines)
        # The recommended loss last, so that it is drawn over the others where they meet.
        for curve, ys in reversed(list(zip(shapes.curves, lines, strict=True))):
            drawn = np.isfinite(ys)
            self.plt.plot(
                x[drawn].tolist(),
                np.clip(ys[drawn], low - 1.0, high + 1.0).tolist(),
                marker=SHAPE_MARKS[curve.slot],
                color=SHAPE_PLOT_COLOURS[curve.slot],
            )
        if rug is not None and rug.size:
            if shapes.axis == "probability":  # p near 0 or 1 sits at the axis's ends
                rug = np.clip(rug, x[0], x[-1])
            inside = rug[(rug >= x[0]) & (rug <= x[-1])]
            columns = max(self.canvas_size()[0], 1)
            # One mark per column that holds an example: a rug, not a histogram.
            cells = np.unique(np.round((inside - x[0]) / (x[-1] - x[0]) * (columns - 1)))
            xs = x[0] + cells / max(columns - 1, 1) * (x[-1] - x[0])
            self.plt.scatter(xs.tolist(), [low] * len(xs), marker=RUG_MARK, color="white")
        if self.shows == "values":
            self.caption = f"loss ℓ against the {shapes.axis_words}"
        else:  # beside the loss's plot, on the same axis
            self.caption = "its gradient ∂ℓ/∂z (the raw output's)"
        self.set_axes((float(x[0]), float(x[-1])), (low, high))
        self.redraw()

    def _y_range(self, lines: list[np.ndarray]) -> tuple[float, float]:
        first = lines[0][np.isfinite(lines[0])] if lines else np.empty(0)
        if not first.size:
            return 0.0, 1.0
        if self.shows == "gradient":
            reach = max(float(np.max(np.abs(first))) * HEADROOM, 1.0)
            return -reach, reach
        low = min(float(first.min()), 0.0)
        high = float(first.max())
        high = low + max((high - low) * HEADROOM, 1.0)
        return low, high if math.isfinite(high) else low + 1.0

    def on_resize(self) -> None:
        # The rug is thinned to the columns: redraw it at the new width.
        if self._last is not None:
            self.show(*self._last)
