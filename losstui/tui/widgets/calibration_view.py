"""Provides the calibration view: can a classifier's probabilities be trusted?"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from losstui.core.calibration import Reliability
from losstui.core.text import format_percent
from losstui.tui.glyphs import UNICODE, Glyphs

#: The marks on each bin's gauge from 0 to 1: where the bin's mean predicted probability lies,
#: and how often its examples came true. Where they fall in one cell, the bin is calibrated.
PREDICTED_MARK = "|"
OBSERVED_MARK = "o"
BOTH_MARK = "@"


#: Below this many rows (under a lesson's strip at 80x24) the diagram has five bins, not ten.
LOW_ROWS = 17


def bins_for(height: int) -> int:
    """How many bins a diagram `height` rows tall shows: ten, or five where ten do not fit."""
    return 10 if height >= LOW_ROWS else 5


def gauge(predicted: float, observed: float, width: int) -> str:
    """A row of `width` cells for [0, 1]: `PREDICTED_MARK` at `predicted`, `OBSERVED_MARK` at
    `observed`, `BOTH_MARK` where they share a cell, dots elsewhere."""
    cells = ["·"] * width

    def cell(value: float) -> int:
        return min(max(round(value * (width - 1)), 0), width - 1)

    p, o = cell(predicted), cell(observed)
    cells[p] = PREDICTED_MARK
    cells[o] = BOTH_MARK if o == p else OBSERVED_MARK
    return "".join(cells)


class CalibrationView(Static):
    """A reliability diagram as rows, one per bin of the predicted probability: its range, how
    many examples, their mean predicted probability, how often they came true, and a gauge from
    0 to 1 with both marked (`gauge`); then the expected calibration error beside what chance
    alone gives on this many examples, the Brier score, and the core's one sentence. Margin
    scores get the sentence alone: they are no probabilities to bin."""

    DEFAULT_CSS = """
        CalibrationView {
            height: 1fr;
            padding: 0 1;
        }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs: Glyphs = UNICODE

    def show(self, result: Reliability) -> None:
        """Draw `result`."""
        spell = self.glyphs.text
        out = Text(
            spell(f"Calibration of {result.loss_title} on {result.n:,} examples"),
            style="bold",
        )
        out.append(spell("  (c: back)"), style="dim")
        if not result.binned:
            out.append(spell(f"\n\n{result.sentence}."))
            self.update(out)
            return
        width = max(min(self.size.width - 50, 31), 11)
        if len(result.counts) > bins_for(0):  # room for the marks' meaning
            out.append(
                spell(
                    f"\n{result.predicted_name}: {PREDICTED_MARK} its mean in the bin, "
                    f"{OBSERVED_MARK} {result.observed_name} ({BOTH_MARK}: both)"
                ),
                style="dim",
            )
        head = f"\n {'bin':<9} {'examples':>8} {'mean':>7} {'observed':>9}  0{' ' * (width - 2)}1"
        out.append(spell(head), style="bold")
        for low, high, count, mean, observed in result.rows():
            row = f"\n {low:.1f}-{high:.1f}   {count:>8,}"
            if mean is None or observed is None:
                out.append(spell(row + f" {'-':>7} {'-':>9}"))
                continue
            out.append(spell(row + f" {mean:>7.3f} {observed:>9.3f}  "))
            out.append(spell(gauge(mean, observed, width)))
        ece = f"ECE {result.ece:.3f}" if result.ece is not None else ""
        if result.ece_chance is not None:
            ece += f" (chance alone: about {result.ece_chance:.3f})"
        brier = f"   Brier {result.brier:.3f}" if result.brier is not None else ""
        accuracy = ""
        if result.accuracy is not None:
            accuracy = f"   right {format_percent(result.accuracy)}"
        out.append(spell(f"\n{ece}{brier}{accuracy}"), style="bold")
        out.append(spell(f"\n{result.sentence}."))
        self.update(out)
