"""Provides the training read-out: run state, step, epoch, losses, the task metric."""

from __future__ import annotations

import textwrap

from rich.text import Text

from losstui.core.problems import Standing
from losstui.core.run import RunView
from losstui.core.text import METRIC_TITLES, format_epoch, format_loss, format_metric
from losstui.tui.glyphs import UNICODE, Glyphs
from losstui.tui.widgets.changed_lines import ChangedLines

NUMBER_WIDTH = 9
"""Cells reserved for a number ("-0.001234", "1.234e+05"), so that lines break at the same places
while the digits change."""


Chunk = list[tuple[str, str]]
"""Pieces of text with their styles, kept together on one line."""


class TrainStats(ChangedLines):
    """Step, epoch, losses and metrics of a run, at the step it shows.

    The app calls show() a few times a second; the losses come from `run.evaluate()` at the
    current step (a forward pass over a few hundred points), not from the last history record,
    so they agree with the Distributions pane. Lines are packed to the widget's width by whole
    pieces with room for the widest number, so the layout does not jump as digits change, and
    only the cells that changed (the digits, mostly) are repainted: the labels stay as drawn.
    """

    DEFAULT_CSS = """
    TrainStats {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs: Glyphs = UNICODE
        self._last: tuple | None = None
        self._evaluated: tuple[RunView, int, dict[str, float]] | None = None
        self.values: dict[str, float] = {}
        """The losses and metrics on show: train_loss, val_loss and each metric."""
        self._parts: dict = {}

    def evaluate(self, run: RunView) -> dict[str, float]:
        """`run.evaluate()` at its current step, computed once per step."""
        cached = self._evaluated
        if cached is not None and cached[0] is run and cached[1] == run.step_count:
            return cached[2]
        values = run.evaluate()
        self._evaluated = (run, run.step_count, values)
        return values

    def show(
        self,
        run: RunView,
        *,
        running: bool,
        steps_per_second: int,
        fast: bool = False,
        loss_title: str,
        standing: Standing,
        divergence: str | None,
        hint: str | None = None,
        convergence: str | None = None,
        note: str | tuple[str, ...] | None = None,
    ) -> None:
        """Redraw from `run` (skipped when nothing visible changed). `hint` replaces the
        keys suggested in the first line (the app's word while a text field has focus); `note`
        is one more line under the losses: the first of its variants that fits one line, or
        the last one wrapped."""
        values = self.evaluate(run)
        key = (
            run,
            run.step_count,
            running,
            fast,
            steps_per_second,
            loss_title,
            standing,
            divergence,
            convergence,
            hint,
            note,
        )
        if key == self._last:
            return
        self._last = key
        self.values = values
        metrics = [(name, values.get(name)) for name in run.metric_names]
        # A density's NLL metric is its validation loss: say it once.
        metrics = [(n, v) for n, v in metrics if n != "nll"]
        self._parts = {
            "step": run.step_count,
            "epoch": run.epoch,
            "train": values.get("train_loss"),
            "val": values.get("val_loss"),
            "metrics": metrics,
            "running": running,
            "fast": fast,
            "sps": steps_per_second,
            "loss_title": loss_title,
            "standing": standing,
            "divergence": divergence,
            "convergence": convergence,
            "hint": hint,
            "note": note,
        }
        self.redraw()

    # Drawing -----------------------------------------------------------------------------------

    def build_lines(self, width: int) -> list[Text]:
        """The read-out as lines no wider than `width`."""
        return self._build(max(width, 20)) if self._parts else []

    def _build(self, width: int) -> list[Text]:
        p, g = self._parts, self.glyphs
        lines: list[Text] = []
        if p["divergence"]:  # the badge says "diverged": the message goes on from there
            message = g.text(p["divergence"]).removeprefix("diverged ")
            lines += self._wrapped(" DIVERGED ", "bold reverse", message, width)
        elif p["convergence"]:  # "converged at step 1,240: ..." after a CONVERGED badge
            message = g.text(p["convergence"]).removeprefix("converged ") + " (r: again)"
            lines += self._wrapped(" CONVERGED ", "bold reverse", message, width)
        else:
            if p["fast"]:  # the rate is measured; 0 until the second redraw
                badge = f" {g.fast} FAST-FORWARD "
                rate = f" {p['sps']:,} steps/s" if p["sps"] else ""
                hints: tuple[str, ...] = (
                    f"{rate}  (f or space stops)",
                    " (f or space stops)",
                    rate,
                )
                style = "bold reverse"
            elif p["running"]:
                badge = f" {g.play} TRAINING "
                hints = (
                    f" {p['sps']} steps/s  (space pauses, +/- speed)",
                    f" {p['sps']} steps/s  (space pauses)",
                    f" {p['sps']} steps/s",
                )
                style = "bold reverse"
            else:
                badge = f" {g.pause} PAUSED "
                first = p["step"] == 0
                hints = (
                    " space trains, n steps once" if first else " space resumes, n steps once",
                    " space trains" if first else " space resumes",
                )
                style = "bold"
            if p["hint"]:
                hints = (f" {p['hint']}", "")
            line = Text(badge, style=style)
            fitting = [h for h in hints if len(badge) + len(h) <= width] or [""]
            line.append(fitting[0], style="" if p["running"] else "dim")
            lines.append(line)

        epoch = format_epoch(p["epoch"])
        chunks: list[tuple[Chunk, int]] = [
            (
                [("step ", "dim"), (f"{p['step']}", "bold"), ("  epoch ", "dim"), (epoch, "bold")],
                len("step   epoch ") + 6 + 5,
            ),
            (
                [
                    ("train ", "dim"),
                    (format_loss(p["train"]), "bold"),
                    ("  val ", "dim"),
                    (format_loss(p["val"]), "bold"),
                ],
                len("train   val ") + 2 * NUMBER_WIDTH,
            ),
        ]
        for name, value in p["metrics"]:
            title = g.text(METRIC_TITLES.get(name, name))
            shown = format_metric(name, value)
            reserved = len("100.0%") if shown.endswith("%") else NUMBER_WIDTH
            chunks.append(([(f"{title} ", "dim"), (shown, "bold")], len(title) + 1 + reserved))
        lines += self._pack(chunks, width)

        # The same three words as the Recommendation pane and the loss menu.
        standing = p["standing"]
        style = "bold" if standing is Standing.NOT_RECOMMENDED else "dim"
        verdict = (f"({standing.value})", style)
        title = g.text(p["loss_title"])
        loss_chunks = [([("loss: ", "dim"), (title, "")], 6 + len(title)), ([verdict], 0)]
        lines += self._pack(loss_chunks, width)
        if p["note"]:
            notes = [g.text(n) for n in ((p["note"],) if isinstance(p["note"], str) else p["note"])]
            note = next((n for n in notes if len(n) <= width), notes[-1])
            lines += [Text(row, style="italic") for row in textwrap.wrap(note, width)]
        return lines

    @staticmethod
    def _pack(chunks: list[tuple[Chunk, int]], width: int) -> list[Text]:
        """Chunks on as few lines as fit `width`, two spaces apart, each at its reserved width."""
        lines: list[Text] = []
        line, used = Text(), 0
        for pieces, reserved in chunks:
            gap = 2 if used else 0
            size = max(reserved, sum(len(text) for text, _ in pieces))
            if used and used + gap + size > width:
                lines.append(line)
                line, used, gap = Text(), 0, 0
            if gap:
                line.append("  ")
            for text, style in pieces:
                line.append(text, style=style)
            used += gap + size
        if used:
            lines.append(line)
        for row in lines:
            row.truncate(width)
        return lines

    @staticmethod
    def _wrapped(badge: str, style: str, text: str, width: int) -> list[Text]:
        """`badge` then `text`, wrapped to `width` (the badge takes the first line's start)."""
        rows = textwrap.wrap(" " * (len(badge) + 1) + text, width) or [""]
        first = Text(badge, style=style)
        first.append(rows[0][len(badge) :], style="bold")
        return [first] + [Text(row, style="bold") for row in rows[1:]]
