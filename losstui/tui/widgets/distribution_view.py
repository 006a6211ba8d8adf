"""Provides the distributions pane: true P against predicted Q, residuals, or the NLL curve."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from losstui.core.diagnostics import (
    CROSS_ENTROPY_LOSSES,
    ClassificationData,
    NLLCurve,
    ResidualData,
    classification_data,
    nll_curve,
    residual_data,
)
from losstui.core.run import RunView
from losstui.core.tasks import get_task
from losstui.core.text import format_information, format_loss, format_probability
from losstui.tui.glyphs import Glyphs, UsesGlyphs, choose_glyphs
from losstui.tui.widgets.ascii_plot import AsciiPlot
from losstui.tui.widgets.dist_text import unit_base, wrap, wrap_parts

#: The pane's own keys, shown at its top (the footer keeps to the app's few keys).
KEYS_HINT = ["keys: ←/→ or j/k example", "w worst", "home/end first/last"]

#: Bars are at most this many cells long: on a wide terminal longer ones are hard to compare.
MAX_BAR = 48

#: The NLL plot's bottom margin, in rows: the ▲ sits on the floor, that far under the curve's
#: lowest point, clear of the curve and of ● there, at every height of the plot.
FLOOR_ROWS = 1.5
#: The same as a fraction of the y range, before the plot is laid out (about 1.5 rows at 80x24).
FLOOR_MARGIN = 0.15

#: How plotext markers look in a legend line.
_MARKER_LOOKS = {"braille": "⠶", "dot": "•", "hd": "▞", "fhd": "▞", "sd": "█"}


class _Lines(Widget):
    """Text lines drawn at the widget's current width by a function of that width."""

    DEFAULT_CSS = """
    _Lines {
        height: auto;
    }
    """

    def __init__(self, build: Callable[[int], list[Text]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._build = build

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._build(width))

    def render(self) -> Text:
        return Text("\n").join(self._build(self.size.width))

    def redraw(self) -> None:
        """Repaint; lay the screen out again only if the number of lines changed, since a
        layout pass repaints more of the screen than the lines themselves."""
        height = len(self._build(self.size.width)) if self.size.width else -1
        self.refresh(layout=height != self.size.height)


class DistributionView(UsesGlyphs, Widget, can_focus=True):
    """What a run's model believes, set against the truth, for the problem it trains on.

    Classification: validation example by example, the true P beside the predicted Q with H(P),
    H(P,Q) and KL(P‖Q), and the mean over examples, which is the validation cross-entropy.
    Regression: a histogram of validation residuals against the noise density the loss assumes.
    Density estimation: the mean negative log-likelihood as μ varies, with the SGD estimate and
    the closed-form optimum marked. `show(run)` redraws; `units` is "bits" or "nats".
    """

    DEFAULT_CSS = """
    DistributionView {
        height: 1fr;
        padding: 0 1;
    }
    DistributionView > #dist-plot {
        height: 1fr;
        min-height: 6;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # The pane prints its own key hints; the footer keeps to the app's few keys.
        Binding("right,j", "step_example(1)", "Next example", show=False),
        Binding("left,k", "step_example(-1)", "Previous example", show=False),
        Binding("w", "worst_example", "Worst example", show=False),
        Binding("home", "select_example(0)", "First example", show=False),
        Binding("end", "select_example(-1)", "Last example", show=False),
        Binding("pagedown", "step_example(10)", "10 examples on", show=False),
        Binding("pageup", "step_example(-10)", "10 examples back", show=False),
    ]

    @dataclass
    class ExampleRequested(Message, namespace="distribution_view"):
        """A key asks for validation example `index` (already clamped to the set); the owner
        applies it and calls `select_example`."""

        view: DistributionView
        index: int

        @property
        def control(self) -> DistributionView:
            """The view that asks."""
            return self.view

    units: reactive[str] = reactive("bits")
    """The unit of entropy, cross-entropy and KL: "bits" (log base 2) or "nats" (natural log)."""
    example: reactive[int] = reactive(0)
    """Index of the validation example on show (classification), as the owner selected it: the
    keys post `ExampleRequested` and leave it to the owner (the app state) to choose."""

    def __init__(
        self,
        *,
        units: str = "bits",
        glyphs: Glyphs | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        unit_base(units)
        self.set_reactive(DistributionView.units, units)
        self._glyphs = glyphs or choose_glyphs()
        self._run: RunView | None = None
        self._data_key: tuple | None = None
        self._classification: ClassificationData | None = None
        self._residuals: ResidualData | None = None
        self._curve: NLLCurve | None = None
        self._message: str | None = "Nothing to show yet: no training run."
        self._warning: str | None = None

    def on_mount(self) -> None:
        # show() may have run before the children existed: draw what it computed.
        self._draw_plot()
        self._refresh_text()

    def on_resize(self) -> None:
        if self._curve is not None:  # the ▲'s floor is set in rows of the plot's new height
            self.call_after_refresh(self._draw_plot)

    def compose(self) -> ComposeResult:
        yield _Lines(self._summary_lines, id="dist-summary")
        plot = AsciiPlot(id="dist-plot")
        plot.glyphs = self._glyphs
        plot.display = False
        yield plot
        yield _Lines(self._note_lines, id="dist-notes")

    # -- public interface ---------------------------------------------------------------------
    @property
    def run(self) -> RunView | None:
        """The run last given to `show`, or None."""
        return self._run

    def _glyphs_changed(self) -> None:
        for plot in self.query("#dist-plot").results(AsciiPlot):
            plot.glyphs = self._glyphs
        if self._run is not None:
            self.show(self._run, force=True)  # plot markers depend on the glyphs

    @property
    def data(self) -> ClassificationData | ResidualData | NLLCurve | None:
        """What is on show: per-example distributions, residuals or the NLL curve (nats)."""
        return self._classification or self._residuals or self._curve

    def show(self, run: RunView, *, force: bool = False) -> None:
        """Redraw from `run`; nothing to do when its run, data, config and step count are
        what was drawn last, unless `force` (for a model changed in place without a step)."""
        self._run = run
        key = self._key(run)
        if key == self._data_key and not force:
            return
        self._data_key = key
        self._classification = self._residuals = self._curve = None
        self._message = None
        self._warning = None
        if run.diverged:
            step = run.diverged_at_step or run.step_count
            self._warning = (
                f"The run diverged at step {step}; shown: its last parameters. Reset with a "
                "lower learning rate."
            )
        kind = run.dataset.kind
        task = get_task(kind)
        try:
            if task.classes:
                data = classification_data(run)
                if not np.all(np.isfinite(data.q)):
                    raise FloatingPointError
                self._classification = data
                self.example = min(self.example, data.n - 1)
            elif task.residuals:
                self._residuals = residual_data(run)
                if not np.all(np.isfinite(self._residuals.residuals)):
                    raise FloatingPointError
            elif not task.supervised:
                self._curve = nll_curve(run)
                if not math.isfinite(self._curve.current[1]):
                    raise FloatingPointError
            else:
                self._message = f"No distributions to show for {kind} data."
        except FloatingPointError:
            self._classification = self._residuals = self._curve = None
            self._message = self._broken_message(run)
        self._draw_plot()
        self._refresh_text()

    def select_example(self, index: int) -> None:
        """Show validation example `index` (negative counts from the end; clamped to the set)."""
        n = self._classification.n if self._classification else None
        if n:
            index = index % n if index < 0 else min(index, n - 1)
        self.example = max(index, 0)

    # -- keys ---------------------------------------------------------------------------------
    def _request(self, index: int) -> None:
        if self._classification:
            n = self._classification.n
            index = index % n if index < 0 else min(index, n - 1)
            if index != self.example:
                self.post_message(self.ExampleRequested(self, index))

    def action_step_example(self, delta: int) -> None:
        if self._classification:
            self._request((self.example + delta) % self._classification.n)

    def action_select_example(self, index: int) -> None:
        self._request(index)

    def action_worst_example(self) -> None:
        """Ask for the worst-predicted example: the largest KL(P‖Q), the part of H(P,Q) the
        model controls (H(P) is the targets' own uncertainty, which no model removes)."""
        if self._classification:
            self._request(int(np.argmax(self._classification.example_kl())))

    # -- reactives ----------------------------------------------------------------------------
    def validate_units(self, units: str) -> str:
        unit_base(units)  # ValueError for anything but bits or nats
        return units

    def watch_units(self) -> None:
        self._refresh_text()

    def watch_example(self) -> None:
        self._refresh_text()

    # -- drawing ------------------------------------------------------------------------------
    @staticmethod
    def _key(run: RunView) -> tuple:
        # A run object is rebuilt when the problem, data or model changes; within one, the
        # step count (and a reset to step 0) says whether the model moved.
        return (
            id(run),
            id(run.dataset),
            run.config,
            run.step_count,
            run.diverged,
        )

    def _broken_message(self, run: RunView) -> str:
        step = run.diverged_at_step or run.step_count
        return (
            f"The run diverged at step {step}: the model's outputs are no longer finite numbers, "
            "so there is no distribution to show. Reset with a lower learning rate."
        )

    def _refresh_text(self) -> None:
        for lines in self.query(_Lines):
            lines.redraw()

    def _draw_plot(self) -> None:
        plots = self.query("#dist-plot").results(AsciiPlot)
        plot = next(plots, None)
        if plot is None:  # not composed yet: on_mount draws
            return
        plot.display = self._residuals is not None or self._curve is not None
        if not plot.display:
            return
        plot.reset_plot()
        with np.errstate(all="ignore"):
            if self._residuals is not None:
                self._plot_residuals(plot, self._residuals)
            elif self._curve is not None:
                self._plot_curve(plot, self._curve)
        plot.redraw()

    def _plot_residuals(self, plot: AsciiPlot, data: ResidualData) -> None:
        g, plt = self._glyphs, plot.plt
        lo, hi = _residual_range(data)
        bins = int(np.clip((plot.size.width or 60) // 2, 12, 40))
        counts, edges = np.histogram(data.residuals, bins=bins, range=(lo, hi))
        # Divide by every residual, not just those in range, so the bars stay a density.
        heights = counts / (len(data.residuals) * (edges[1] - edges[0]))
        centres = (edges[:-1] + edges[1:]) / 2
        plt.bar(
            centres.tolist(),
            heights.tolist(),
            marker=g.shades[1],
            width=1.0,
            reset_ticks=False,
        )
        grid = np.linspace(lo, hi, 161)
        top = float(heights.max())
        for curve, marker in zip(data.curves, (g.plot_marker, g.plot_marker_alt), strict=False):
            pdf = curve.pdf(grid)
            top = max(top, float(pdf.max()))
            plt.plot(grid.tolist(), pdf.tolist(), marker=marker)
        plot.set_axes((lo, hi), (0.0, top * 1.1 or 1.0))
        plt.xlabel(g.text(f"residual {data.what}"))

    def _plot_curve(self, plot: AsciiPlot, curve: NLLCurve) -> None:
        g, plt = self._glyphs, plot.plt
        finite = curve.nll[np.isfinite(curve.nll)]
        if finite.size == 0:  # a diverged fit: nothing finite to draw; the text says why
            return
        low = float(finite.min())
        marks = [v for v in (curve.current[1], curve.best[1]) if np.isfinite(v)]
        spread = max(marks, default=low) - low
        high = min(float(finite.max()), low + max(3.0 * spread, 2.5))
        # The ▲ sits on the floor, under the optimum, pointing up at it: on the curve it would
        # share a cell with ● whenever SGD has converged, and ● drawn over it would hide it.
        # A fixed share of the range put it 1.5 rows under the curve at 80x24 and 4 at 120x40,
        # where the legend's NLL, the curve's lowest, read as a different value.
        rows = plot.canvas_size()[1] if plot.size.height > 0 else 0
        if rows > FLOOR_ROWS + 2:  # the lowest point FLOOR_ROWS rows up from the floor's row
            floor = low - FLOOR_ROWS * (high - low) / (rows - 1 - FLOOR_ROWS)
        else:
            floor = low - FLOOR_MARGIN * (high - low)
        shown = curve.nll <= high
        plt.plot(curve.grid[shown].tolist(), curve.nll[shown].tolist(), marker=g.plot_marker)
        plt.scatter([curve.best[0]], [floor], marker=g.marker)
        plt.scatter([curve.current[0]], [min(curve.current[1], high)], marker=g.point)
        plot.set_axes((float(curve.grid[0]), float(curve.grid[-1])), (floor, high))
        plt.xlabel(g.text(curve.param))

    # -- text ---------------------------------------------------------------------------------
    def _summary_lines(self, width: int) -> list[Text]:
        if self._message is not None:
            return self._para(self._message, width)
        warning = self._para(self._warning, width, "bold reverse") if self._warning else []
        return warning + self._body_lines(width)

    def _body_lines(self, width: int) -> list[Text]:
        if self._classification is not None:
            return self._classification_lines(self._classification, width)
        if self._residuals is not None:
            return self._residual_head(self._residuals, width)
        if self._curve is not None:
            return self._para(
                f"Mean negative log-likelihood of the {self._curve.n} training samples as "
                f"{self._curve.param} varies ({self._curve.held} held at the SGD estimate)",
                width,
                "bold",
            )
        return []

    def _note_lines(self, width: int) -> list[Text]:
        if self._residuals is not None:
            return self._residual_notes(self._residuals, width)
        if self._curve is not None:
            return self._curve_notes(self._curve, width)
        return []

    def _para(
        self, text: str, width: int, style: str = "", indent: str = "", hang: str = ""
    ) -> list[Text]:
        """`text`, spelled for the glyphs, broken at spaces into lines at most `width` wide;
        `indent` before every line, `hang` more before the lines after the first."""
        lines = wrap(
            self._glyphs.text(text),
            max(width, 20),
            indent=indent,
            hang=hang or ("  " if indent else ""),
        )
        return [Text(line, style=style) for line in lines]

    def _parts(self, parts: list[str], width: int, style: str = "") -> list[Text]:
        """`parts` spelled for the glyphs, side by side, a line broken only between them."""
        spelled = [self._glyphs.text(part) for part in parts]
        return [Text(line, style=style) for line in wrap_parts(spelled, max(width, 20))]

    def _value(self, nats: float | np.floating) -> str:
        """A value in nats, converted to the current units and formatted: "0.345 bits"."""
        value = float(nats) / math.log(unit_base(self.units))
        return self._glyphs.text(f"{format_information(value)} {self.units}")

    def _classification_lines(self, data: ClassificationData, width: int) -> list[Text]:
        i = min(self.example, data.n - 1)
        head = [f"Validation example {i + 1} of {data.n}"]
        if data.x.shape[1] <= 4:
            head.append("x = (" + ", ".join(f"{v:.2f}" for v in data.x[i]) + ")")
        if get_task(data.kind).true_class:
            head.append(f"true: {data.outcome_names[int(np.argmax(data.p[i, 0]))]}")
        lines = self._parts(head, width, "bold")
        # The pane's own keys come first: below the bars they fell off an 80x24 screen.
        # c: the reliability diagram, where every example has one true class.
        calibrates = get_task(data.kind).true_class
        lines += self._parts([*KEYS_HINT, *(["c calibration"] if calibrates else [])], width, "dim")
        if data.p.shape[1] == 1:
            lines += self._class_rows(data, i, width)
            if data.before_q is not None:
                lines += self._para(_before_q_note(data, i), width)
        else:
            lines += self._label_rows(data, i, width)
            lines += self._para(
                f"Mean over the {data.p.shape[1]} labels, as the loss takes:", width
            )
        measures = [
            f"H(P) = {self._value(data.example_h_p()[i])}",
            f"H(P,Q) = {self._value(data.example_h_pq()[i])}",
            f"KL(P‖Q) = {self._value(data.example_kl()[i])}",
        ]
        lines += self._parts(measures, width, "bold")
        lines += self._para(_identity_note(data, i, _scored(data)), width, "dim")
        lines.append(Text())
        for text in self._mean_text(data):
            lines += self._para(text, width, hang="  ")
        room = max(self.size.height, 0) - len(lines) - 1
        if room >= 5:
            lines.append(Text())
            lines += self._spread_lines(data, i, width, min(room, 10))
        return lines

    def _class_rows(self, data: ClassificationData, i: int, width: int) -> list[Text]:
        g = self._glyphs
        names = data.outcome_names
        name_width = min(max(len(n) for n in names), 20)
        bar_width = min(max((width - name_width - 2 - 2 * 6 - 3) // 2, 4), MAX_BAR)
        header = Text(" " * (name_width + 2))
        header.append(f"{'P  true':<{bar_width + 9}}Q  predicted", style="bold")
        if data.outputs is not None and data.outputs.shape[1] == 1:
            # The output itself, before it was clipped into Q: 1.35 is no probability.
            raw = g.text(f" from ŷ = {_output(float(data.outputs[i, 0]))}")
            if len(header) + len(raw) <= width:
                header.append(raw, style="bold")
        rows = [header]
        for k, name in enumerate(names):
            p, q = float(data.p[i, 0, k]), float(data.q[i, 0, k])
            row = Text(f"{g.text(name)[:name_width]:<{name_width}}  ")
            row.append(f"{format_probability(p)} ")
            row.append(g.bar(p, bar_width), style="cyan")
            row.append("   ")
            row.append(f"{format_probability(q)} ")
            row.append(g.bar(q, bar_width), style="magenta")
            rows.append(row)
        return rows

    def _label_rows(self, data: ClassificationData, i: int, width: int) -> list[Text]:
        g = self._glyphs
        names = data.group_names
        name_width = min(max(len(n) for n in names), 20)
        value_width = 12
        bar_width = min(max(width - name_width - 13 - value_width - 2, 4), MAX_BAR)
        header = Text(f"{'label':<{name_width}}  y  Q(present)", style="bold")
        header.append(" " * (bar_width - 4) + f"{'H(P,Q)':>{value_width + 2}}", style="bold")
        rows = [header]
        for j, name in enumerate(names):
            y, q = float(data.p[i, j, 1]), float(data.q[i, j, 1])
            label = g.text(name)[:name_width]
            row = Text(f"{label:<{name_width}}  {y:.0f}  {format_probability(q)} ")
            row.append(g.bar(q, bar_width), style="magenta")
            row.append(f"  {self._value(data.h_pq[i, j]):>{value_width}}")
            rows.append(row)
        return rows

    def _mean_text(self, data: ClassificationData) -> list[str]:
        """The mean of the per-example values over the validation examples, and how it relates
        to the validation loss: one number in one unit, the loss's own (nats) last."""
        mean_h_pq = float(np.mean(data.example_h_pq()))
        mean_kl = float(np.mean(data.example_kl()))
        val = data.val_loss  # of the model as it is now, not of the last history record
        n = f"over the {data.n} validation examples"
        reading = f"Q here: {data.q_reading}." if data.q_reading else ""

        def chain(symbol: str, mean: float) -> str:
            """'mean H(P,Q) over … = 0.510 bits = 0.353 nats', the nats only when in bits."""
            text = f"mean {symbol} {n} = {self._value(mean)}"
            return text + ("" if self.units == "nats" else f" = {format_information(mean)} nats")

        title = data.loss_title
        if title[1:2].islower():  # "Binary cross-entropy" reads on in lower case; "KL" stays
            title = title[0].lower() + title[1:]
        if data.loss_name == "kl_divergence" and _matches(mean_kl, val):
            return [
                f"{chain('KL(P‖Q)', mean_kl)} = the validation loss, {title}",
                f"{chain('H(P,Q)', mean_h_pq)}: H(P,Q) = H(P) + KL(P‖Q), and H(P) does not "
                "depend on the model.",
            ]
        if _scored(data):
            return [f"{chain('H(P,Q)', mean_h_pq)} = the validation loss, {title}"] + (
                [reading] if reading else []
            )
        lines = [chain("H(P,Q)", mean_h_pq)]
        unit = " nats" if data.loss_name in (*CROSS_ENTROPY_LOSSES, "kl_divergence") else ""
        trained = f"The model was trained with {title}"
        if data.other_targets:
            lines.append(
                f"{trained} on other targets, each example's most likely class (validation "
                f"loss {format_information(val)}{unit}); the rows here are the dataset's own "
                "distributions."
            )
        else:
            lines.append(
                f"{trained}: validation loss {format_information(val)}{unit}, and the "
                "cross-entropy is shown for comparison."
            )
        if data.before_q is not None and data.before_q_step == "sum":
            sums = data.before_q.sum(axis=1)
            lines.append(
                f"Its {data.before_q_name} need not sum to 1: the sums run from "
                f"{_output(float(sums.min()))} to {_output(float(sums.max()))} over the "
                f"{data.n} validation examples, and Q here is them divided by their sum."
            )
        elif reading:
            lines.append(reading)
        if data.outputs is not None and data.outputs.size:
            lines.append(_outputs_note(data))
        return lines

    def _spread_lines(self, data: ClassificationData, i: int, width: int, rows: int) -> list[Text]:
        """A histogram of the per-example H(P,Q) with this example's bar and the mean's marked:
        a few confident mistakes can carry much of the mean."""
        g = self._glyphs
        scale = math.log(unit_base(self.units))
        values = data.example_h_pq() / scale
        finite = values[np.isfinite(values)]
        n_inf = int(values.size - finite.size)
        bins = rows - 1 - (1 if n_inf else 0)
        top = float(finite.max()) if finite.size else 1.0
        edges = np.linspace(0.0, top if top > 0 else 1.0, bins + 1)
        counts, _ = np.histogram(finite, bins=edges)
        mean = float(np.mean(values))

        def bin_of(v: float) -> int:
            return (
                bins
                if math.isinf(v)
                else min(int(np.searchsorted(edges, v, "right")) - 1, bins - 1)
            )

        decimals = 2 if top < 100 else 0  # a diverged run's values run to six figures
        labels = [f"{edges[b]:.{decimals}f}-{edges[b + 1]:.{decimals}f}" for b in range(bins)]
        tallies = [int(c) for c in counts]
        if n_inf:
            labels.append(g.text("∞"))
            tallies.append(n_inf)
        label_width = max(len(t) for t in labels)
        count_width = len(str(max(tallies)))
        bar_width = min(max(width - label_width - count_width - 26, 4), MAX_BAR)
        most = max(tallies) or 1
        lines = self._para(
            f"Per-example H(P,Q) in {self.units} across the {data.n} examples:", width, "dim"
        )
        for b, (label, tally) in enumerate(zip(labels, tallies, strict=True)):
            row = Text(f"{label:>{label_width}} ")
            row.append(g.bar(tally / most, bar_width, show_any=True), style="cyan")
            row.append(f" {tally:>{count_width}}")
            marks = [m for m, v in (("this example", values[i]), ("mean", mean)) if bin_of(v) == b]
            if marks:
                row.append(g.text(f"  ← {', '.join(marks)}"), style="bold")
            lines.append(row)
        return lines

    def _residual_head(self, data: ResidualData, width: int) -> list[Text]:
        lines = self._para(
            f"Residuals {data.what} of the {len(data.residuals)} validation examples against the "
            f"noise the loss assumes ({data.loss_title}: {data.distribution})",
            width,
            "bold",
        )
        if data.true_noise:
            lines += self._para(f"The data's true noise: {data.true_noise}", width)
        return lines

    def _residual_notes(self, data: ResidualData, width: int) -> list[Text]:
        g = self._glyphs
        legend = [f"{g.shades[1]} residuals (histogram)"]
        for curve, marker in zip(data.curves, (g.plot_marker, g.plot_marker_alt), strict=False):
            look = _MARKER_LOOKS.get(marker, marker)
            legend.append(
                f"{look} {curve.name}, {curve.scale_name} = {curve.scale:.3f} ({curve.how})"
            )
        lines = self._para("   ".join(legend), width)
        lo, hi = _residual_range(data)
        outside = int(np.sum((data.residuals < lo) | (data.residuals > hi)))
        if outside:
            lines += self._para(
                f"{outside} residual{'s' if outside > 1 else ''} outside [{lo:.2f}, {hi:.2f}] "
                "not drawn: outliers",
                width,
            )
        return lines + self._para(data.note, width, "dim")

    def _curve_notes(self, curve: NLLCurve, width: int) -> list[Text]:
        g = self._glyphs
        step = self._run.step_count if self._run is not None else 0
        texts = [
            f"{g.point} SGD estimate after {step} steps: {curve.param} = {curve.current[0]:.3f}, "
            f"NLL = {curve.current[1]:.3f}",
            f"{g.marker} {curve.best_label}: {curve.param} = {curve.best[0]:.3f}, "
            f"NLL = {curve.best[1]:.3f}",
        ]
        if curve.closed_form:
            texts.append(curve.closed_form)
        return [line for text in texts for line in self._para(text, width)]


def _residual_range(data: ResidualData) -> tuple[float, float]:
    """The plotted residual range: ±4 fitted scales or ±5 robust standard deviations
    (1.4826·MAD), whichever is wider, but no wider than the residuals reach."""
    r = data.residuals
    mad = float(np.median(np.abs(r - np.median(r)))) * 1.4826
    half = max(5.0 * mad, *(4.0 * c.scale for c in data.curves))
    extreme = float(np.max(np.abs(r))) if r.size else 0.0
    if extreme > 0.0:
        half = min(half, 1.05 * extreme)
    return (-half, half) if half > 0.0 else (-1.0, 1.0)


def _output(value: float) -> str:
    """A raw output ŷ to three significant digits: "1.35", "-0.0442"."""
    return format_loss(value) if not math.isfinite(value) else f"{value:.3g}"


def _outputs_note(data: ClassificationData) -> str:
    """Where the raw outputs ŷ lie, and how many leave [0, 1]: what clipping them into Q hides."""
    outputs = data.outputs if data.outputs is not None else np.zeros((0, 1))
    finite = outputs[np.isfinite(outputs)]
    if finite.size == 0:
        return "Its outputs ŷ are not finite numbers."
    low, high = _output(float(finite.min())), _output(float(finite.max()))
    outside = int(np.sum(data.outside_unit()))
    if not outside:
        return (
            f"Its outputs ŷ run from {low} to {high}: inside [0, 1] here, though nothing keeps "
            "them there."
        )
    return (
        f"Its outputs ŷ run from {low} to {high}: {outside} of the {data.n} examples have one "
        "outside [0, 1], so they are not probabilities."
    )


def _matches(mean: float, val: float) -> bool:
    """Whether a mean over the examples is the validation loss `val`, to rounding."""
    if math.isfinite(mean):
        return math.isclose(mean, val, rel_tol=1e-9, abs_tol=1e-12)
    return mean == val


def _scored(data: ClassificationData) -> bool:
    """Whether Q is the distribution the loss scores: its H(P,Q) per example is the loss's
    own value, and their mean the validation loss."""
    return data.loss_name in CROSS_ENTROPY_LOSSES and _matches(
        float(np.mean(data.example_h_pq())), data.val_loss
    )


def _before_q_note(data: ClassificationData, i: int) -> str:
    """This example's numbers Q was made from, and how: "Sigmoid outputs 0.000 0.410 0.840
    sum to 1.250: Q = them / 1.250"."""
    values = data.before_q[i] if data.before_q is not None else np.zeros(0)
    shown = " ".join(format_probability(float(v)) for v in values)
    name = (data.before_q_name or "outputs").capitalize()
    if data.before_q_step == "softmax":
        return f"{name} = {shown}; Q = softmax(s)."
    total = float(values.sum())
    if total <= 0.0:
        return f"{name} {shown} sum to 0: Q is uniform."
    return f"{name} {shown} sum to {total:.3f}: Q = them / {total:.3f}."


def _identity_note(data: ClassificationData, i: int, scored: bool) -> str:
    if data.p.shape[1] == 1 and np.count_nonzero(data.p[i, 0]) == 1:
        return "P is one-hot, so H(P) = 0 and H(P,Q) = KL(P‖Q) = −log Q(true class)" + (
            ": this example's log loss." if scored else "."
        )
    return "H(P,Q) = H(P) + KL(P‖Q): only the KL part depends on the model."
