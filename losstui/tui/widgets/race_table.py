"""Provides the race's table: per run its losses, metric, step at the target, and how it ended."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text

from losstui.core.race_summary import RaceRow, Target, race_metric, race_row
from losstui.core.run import RunView
from losstui.core.text import METRIC_TITLES, fit_number
from losstui.tui.glyphs import UNICODE, Glyphs
from losstui.tui.run_marks import RUN_MARKS, TEXT_COLOURS, short_label
from losstui.tui.widgets.changed_lines import ChangedLines

#: The number columns' widths (train, val, metric, step at the target) and how it ended.
NUMBER_WIDTH = 8
ENDED_WIDTH = 16


def _cell(text: str, width: int, *, right: bool = True, cut: str = "…") -> str:
    """`text` in a cell `width` wide, its end replaced by `cut` when longer."""
    if cell_len(text) > width:
        text = text[: max(width - len(cut), 0)] + cut
    return text.rjust(width) if right else text.ljust(width)


class RaceTable(ChangedLines):
    """One line per run under a header line: the run's mark and label (the selected run marked
    "> "), final train and validation loss, the metric (the leader's in bold), the step at which
    it reached the target (the header states the target), and "training", "converged N" or
    "diverged N". A redraw repaints the cells that changed (the numbers), and lays nothing out
    while the number of runs stays."""

    DEFAULT_CSS = """
        RaceTable {
            height: auto;
        }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs: Glyphs = UNICODE
        self._last: tuple | None = None

    def show(
        self,
        runs: Sequence[RunView],
        labels: Sequence[str],
        *,
        selected: int,
        best: int | None,
        target: Target | None,
    ) -> None:
        """Redraw the table for `runs` now; `best` (the leader on the metric) is flagged."""
        metric = race_metric(runs[0].metric_names) if runs else None
        rows = [race_row(run, label, target) for run, label in zip(runs, labels, strict=True)]
        self._last = (rows, labels, selected, best, target, metric)
        self.redraw()

    def build_lines(self, width: int) -> list[Text]:
        # The label column takes the width the numbers leave.
        if self._last is None:
            return []
        return list(self._render_rows(*self._last, width=width).split("\n"))

    def _render_rows(
        self,
        rows: list[RaceRow],
        labels: Sequence[str],
        selected: int,
        best: int | None,
        target: Target | None,
        metric: str | None,
        *,
        width: int,
    ) -> Text:
        width = max(width or self.app.size.width, 40)
        reached = f"{target.short} at" if target is not None else "target"
        heads = ["train", "val", METRIC_TITLES.get(metric or "", "metric"), reached]
        # "> * " and the label, a space and each number, two spaces and how the run ended.
        fixed = 4 + (NUMBER_WIDTH + 1) * len(heads) + 2 + ENDED_WIDTH
        # The widest label ("SCCE sparse_categorical_cross_entropy"), and no wider: on a wide
        # terminal the numbers stay beside their labels.
        label_width = min(max(width - fixed, 8), 38)
        # The legends name a run by its short label; the table gives the full one beside it,
        # cut short where it does not fit, or the short one alone where little of it would show.
        names = []
        for label in labels:
            short = short_label(label)
            both = f"{short} {label}" if short != label else label
            enough = cell_len(both) <= label_width or label_width >= cell_len(short) + 8
            names.append(both if enough else short)
        out = Text(no_wrap=True, overflow="ellipsis")
        spell, cut = self.glyphs.text, "…" if self.glyphs.name != "ascii" else "~"

        def cell(text: str, width: int, right: bool = True) -> str:
            return _cell(spell(text), width, right=right, cut=cut)

        def add(text: str, style: str = "") -> None:
            out.append(text, style=style)

        add("    " + cell("run", label_width, right=False), "bold")
        for head in heads:
            add(" " + cell(head, NUMBER_WIDTH), "bold")
        add("  ended", "bold")
        for i, row in enumerate(rows):
            style = f"bold {TEXT_COLOURS[i]}" if i == selected else TEXT_COLOURS[i]
            add("\n" + ("> " if i == selected else "  "))
            add(f"{RUN_MARKS[i]} " + cell(names[i], label_width, right=False), style)
            for value in (row.train, row.val):
                add(" " + cell(fit_number(value, NUMBER_WIDTH), NUMBER_WIDTH))
            metric = fit_number(row.metric, NUMBER_WIDTH)
            add(" " + cell(metric, NUMBER_WIDTH), "bold" if i == best else "")
            add(" " + cell(row.reached, NUMBER_WIDTH))
            add("  " + cell(row.ended, ENDED_WIDTH, right=False))
        return out
