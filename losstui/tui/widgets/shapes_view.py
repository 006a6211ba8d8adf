"""Provides the loss shapes view: every loss of a problem and its gradient, side by side."""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Container
from textual.widgets import Static

from losstui.core.shapes import Shapes
from losstui.tui.glyphs import UNICODE, Glyphs
from losstui.tui.run_marks import short_label
from losstui.tui.widgets.shapes_plot import RUG_MARK, SHAPE_MARKS, SHAPE_TEXT_COLOURS, ShapesPlot

#: From this width the two plots stand side by side; below it, one above the other.
SIDE_WIDTH = 76
#: Below this many rows (under a lesson's strip at 80x24) the heading goes and the legend is
#: one line of short names: the plots need the rows.
LOW_ROWS = 16
#: How each role reads in the legend.
ROLE_WORDS = {
    "recommended": "recommended",
    "alternative": "alternative",
    "discouraged": "not recommended",
    "trap": "a trap",
}


class ShapesView(Container):
    """A heading (the example and the keys), the losses' plot and their gradients' plot, and a
    legend: each curve's mark, title and what it is to the problem, then the rug (the run's
    validation examples on the same axis) and the losses that have no curve on it, saying why.
    `show(shapes, rug, step)` redraws."""

    DEFAULT_CSS = """
        ShapesView {
            height: 1fr;
        }
        ShapesView > #shapes-heading, ShapesView > #shapes-legend {
            height: auto;
        }
        ShapesView > #shapes-plots {
            height: 1fr;
            layout: horizontal;
        }
        ShapesView > #shapes-plots.-stacked {
            layout: vertical;
        }
        ShapesView.-low > #shapes-heading {
            display: none;
        }
        ShapesView ShapesPlot {
            width: 1fr;
            height: 1fr;
        }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs: Glyphs = UNICODE
        self._last: tuple[Shapes, np.ndarray | None, int, int, int] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="shapes-heading")
        with Container(id="shapes-plots"):
            yield ShapesPlot("values", id="shapes-values")
            yield ShapesPlot("gradient", id="shapes-gradient")
        yield Static(id="shapes-legend")

    def show(
        self, shapes: Shapes, rug: np.ndarray | None, step: int, choices: int, axes: int = 1
    ) -> None:
        """Draw `shapes` with a run's examples at `step` (`rug`); `choices`: how many targets the
        y key steps through (1: no key to offer); `axes`: 2 where p draws against the other
        axis (the margin or the probability)."""
        self._last = (shapes, rug, step, choices, axes)
        spell = self.glyphs.text
        heading = Text(spell(f"Loss shapes, one example: {shapes.note}"), style="bold")
        keys = ["y: next target"] if choices > 1 else []
        if axes > 1:
            keys.append("p: margin" if shapes.axis == "probability" else "p: against p")
        heading.append(spell(f"  ({', '.join([*keys, 's: text'])})"), style="dim")
        self.query_one("#shapes-heading", Static).update(heading)
        for plot in self.query(ShapesPlot):
            plot.glyphs = self.glyphs
            plot.show(shapes, rug)
        low = self.has_class("-low")
        legend = self._short_legend(shapes) if low else self._legend(shapes, rug, step)
        self.query_one("#shapes-legend", Static).update(legend)

    def _short_legend(self, shapes: Shapes) -> Text:
        """One line: each curve's mark and its loss's short name ("* BCE  @ SMSE")."""
        legend = Text()
        for i, curve in enumerate(shapes.curves):
            if i:
                legend.append("  ")
            legend.append(
                self.glyphs.text(f"{SHAPE_MARKS[curve.slot]} {short_label(curve.loss)}"),
                style=SHAPE_TEXT_COLOURS[curve.slot],
            )
        legend.append(self.glyphs.text(f"  {RUG_MARK} examples"), style="dim")
        return legend

    def _legend(self, shapes: Shapes, rug: np.ndarray | None, step: int) -> Text:
        spell = self.glyphs.text
        legend = Text()
        for i, curve in enumerate(shapes.curves):
            if i:
                legend.append("  ")
            words = f"{SHAPE_MARKS[curve.slot]} {curve.title}"
            if curve.role != "trap":  # a trap's title says so: "(a trap)"
                words += f" ({ROLE_WORDS[curve.role]})"
            same = _same_as(shapes, i)
            if same is not None:  # drawn under it: say so, or the curve seems missing
                words += f" = {SHAPE_MARKS[shapes.curves[same].slot]}"
            if curve.recorded_as:
                words += f" [{curve.recorded_as}]"
            legend.append(spell(words), style=SHAPE_TEXT_COLOURS[curve.slot])
        if rug is not None:
            x = shapes.x
            off = 0 if shapes.axis == "probability" else int(np.sum((rug < x[0]) | (rug > x[-1])))
            where = f", {off} off the axis" if off else ""
            legend.append(
                spell(
                    f"\n{RUG_MARK} the run's {rug.size} validation examples at step {step:,}{where}"
                ),
                style="dim",
            )
        if shapes.definition:
            legend.append(
                spell(f"\n{shapes.definition[:1].upper()}{shapes.definition[1:]}."), style="dim"
            )
        for title, why in shapes.left_out:
            legend.append(spell(f"\nNo curve for {title}: {why}."), style="dim")
        return legend

    def on_resize(self) -> None:
        self.query_one("#shapes-plots").set_class(self.size.width < SIDE_WIDTH, "-stacked")
        low = self.size.height < LOW_ROWS
        if low != self.has_class("-low"):
            self.set_class(low, "-low")
            if self._last is not None:
                self.show(*self._last)


def _same_as(shapes: Shapes, i: int) -> int | None:
    """The first curve before curve `i` with the same values and gradient everywhere (the sparse
    form of cross-entropy, KL on one-hot targets), or None."""
    curve = shapes.curves[i]
    for j, other in enumerate(shapes.curves[:i]):
        if np.allclose(curve.values, other.values, equal_nan=True) and np.allclose(
            curve.gradient, other.gradient, equal_nan=True
        ):
            return j
    return None
