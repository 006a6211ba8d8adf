"""Provides the model picture for regression and density: data, fitted curve or density."""

from __future__ import annotations

import re
from typing import cast

import numpy as np
from rich.cells import cell_len, chop_cells
from rich.text import Text

from losstui.core.diagnostics import density_parameters
from losstui.core.losses import DensityLoss
from losstui.core.run import RunView
from losstui.core.tasks import get_task
from losstui.tui.widgets.ascii_plot import AsciiPlot

MAX_POINTS = 150
"""Scatter at most this many points: more only costs time and bytes in a character plot."""

Chunk = tuple[str, str, int]
"""A piece of the caption no line breaks inside: (what separates it from the piece before,
its text, what a line break before it costs)."""

# What a line break costs: of the layouts with the fewest lines, the cheapest is drawn, so the
# caption breaks between legend entries first, then after a comma or before a "+", then
# between words; a piece wider than the plot is split only when nothing else fits.
ENTRY, CLAUSE, WORD, FOLD = 0, 1, 2, 10


def legend_chunks(label: str, marker: str = "", separator: str = "  ") -> list[Chunk]:
    """One caption entry, `marker` then `label`, as the pieces a line may break between: at a
    space outside parentheses, but never after the marker, a "+" or a "=", nor before a "=",
    so "μ = 0.31" and each "0.32·N(-1.51, 0.459²)" stay whole."""
    words, depth, word = [], 0, ""
    for ch in label:
        if ch == " " and depth == 0:
            words.append(word)
            word = ""
            continue
        depth += (ch == "(") - (ch == ")")
        word += ch
    words.append(word)
    if marker:
        words[0] = f"{marker} {words[0]}"
    chunks: list[Chunk] = [(separator, words[0], ENTRY)]
    for word in words[1:]:
        last = chunks[-1][1].rsplit(" ", 1)[-1]
        if word == "=" or last in ("=", "+"):
            sep, text, cost = chunks[-1]
            chunks[-1] = (sep, f"{text} {word}", cost)
        else:
            chunks.append((" ", word, CLAUSE if word == "+" or last.endswith(",") else WORD))
    return chunks


NUMBER = re.compile(r"(?<![\w^.])-?\d+(?:\.\d+)?(?:e[+-]\d+)?")
"""A number in a legend ("-1.51", "0.459", "1.2e+03"), not a power such as the 2 of "^2"."""
NUMBER_CELLS = 6
"""A number is laid out as if at least this wide ("-0.308"), so the caption keeps its lines
while training changes the digits, and the plot under it does not jump a row."""


def wrap_chunks(chunks: list[Chunk], width: int) -> list[str]:
    """`chunks` on as few lines of `width` cells as hold them, breaking where it costs least;
    a line starts without its first piece's separator. Every character is on some line."""
    if width <= 0 or not chunks:
        return []
    pieces: list[Chunk] = []
    for sep, text, cost in chunks:
        for i, part in enumerate(chop_cells(text, width) if cell_len(text) > width else [text]):
            pieces.append((sep, part, cost) if i == 0 else ("", part, FOLD))

    def line(start: int, end: int) -> str:
        return pieces[start][1] + "".join(sep + text for sep, text, _ in pieces[start + 1 : end])

    def fits(start: int, end: int) -> bool:
        padded = NUMBER.sub(lambda m: m[0].rjust(NUMBER_CELLS), line(start, end))
        return end - start == 1 or cell_len(padded) <= width

    # best[end]: (lines, cost, start of the last line) for pieces[:end]; every piece fits alone.
    best: list[tuple[int, int, int]] = [(0, 0, 0)]
    for end in range(1, len(pieces) + 1):
        best.append(
            min(
                (best[start][0] + 1, best[start][1] + (pieces[start][2] if start else 0), start)
                for start in range(end)
                if fits(start, end)
            )
        )
    lines, end = [], len(pieces)
    while end:
        start = best[end][2]
        lines.append(line(start, end))
        end = start
    return lines[::-1]


class FitPlot(AsciiPlot):
    """1-D regression: points and the fitted curve; more inputs: predicted against true;
    density: the histogram of the samples and the fitted density.

    The caption wraps onto more lines where the plot is narrow (a lesson's half of an
    80-column screen): the fitted parameters are read, never cut."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._chunks: list[Chunk] = []

    def _legend(self, title: str, *entries: tuple[str, str]) -> None:
        """Set the caption: `title` (may be empty), then each (marker, label) of the legend."""
        text = self.glyphs.text
        chunks = legend_chunks(text(title), separator="") if title else []
        for i, (marker, label) in enumerate(entries):
            separator = "  " if i else "   " if title else ""
            chunks += legend_chunks(text(label), text(marker), separator)
        self._chunks = chunks
        self.caption = "".join(sep + part for sep, part, _ in chunks)

    def reset_plot(self) -> None:
        super().reset_plot()
        self._chunks = []

    def caption_lines(self, width: int) -> list[Text]:
        if not self._chunks:
            return super().caption_lines(width)
        # `_legend` spelled the pieces for these glyphs already.
        return [Text(line, style="bold") for line in wrap_chunks(self._chunks, width)]

    def show(self, run: RunView) -> None:
        """Redraw from `run`'s data and model."""
        self._run = run
        self.reset_plot()
        with np.errstate(all="ignore"):
            if not get_task(run.dataset.kind).supervised:  # samples: a fitted density
                self._density(run)
            elif run.dataset.n_features == 1:
                self._curve(run)
            else:
                self._against_truth(run)
        self.redraw()

    def _look(self, marker: str, repeat: int = 2) -> str:
        """How a plotext marker looks in the caption's legend."""
        return {"braille": "⠒", "dot": "•", "hd": "▄", "fhd": "▞"}.get(marker, marker) * repeat

    def _curve(self, run: RunView) -> None:
        ds, plt, g = run.dataset, self.plt, self.glyphs
        x = ds.x_train[:MAX_POINTS, 0]
        y = ds.y_train[:MAX_POINTS, 0]
        grid = np.linspace(ds.x_train.min(), ds.x_train.max(), 60)[:, None]
        fit = run.predict(grid)[:, 0]
        low, high = float(y.min()), float(y.max())
        # With outliers in the data, the clean curve they were drawn around sets the axis.
        clean = ds.true_function if ds.noise.get("outlier_fraction") else None
        truth = clean(grid)[:, 0] if clean is not None else None
        if truth is not None:
            # Gross outliers would stretch the axis until the fit's pull is a fraction of a row:
            # the axis spans the clean data (the truth ± 4σ) and the fit; outliers beyond it sit
            # on the top edge.
            sigma = float(ds.noise.get("scale", 0.3))
            low = min(float(truth.min()) - 4 * sigma, float(np.nanmin(fit)))
            high = max(float(truth.max()) + 4 * sigma, float(np.nanmax(fit)))
            y = np.clip(y, low, high)
        plt.scatter(x.tolist(), y.tolist(), marker=g.point_marker)
        span = high - low or 1.0
        if truth is not None:
            plt.plot(grid[:, 0].tolist(), truth.tolist(), marker=g.plot_marker_alt)
        if np.all(np.isfinite(fit)):
            # A diverged model predicts 1e28: plotext would walk every cell of a line that long,
            # so the curve is cut a few spans outside the axes, where it is off-screen anyway.
            fit = np.clip(fit, low - 4 * span, high + 4 * span)
            plt.plot(grid[:, 0].tolist(), fit.tolist(), marker=g.plot_marker)
        legend = [(self._look(g.point_marker, 1), "data"), (self._look(g.plot_marker), "model")]
        if truth is not None:
            legend += [
                (self._look(g.plot_marker_alt, 1), "truth"),
                ("", "outliers on the top edge"),
            ]
        self._legend("y against x", *legend)
        self.set_axes(
            (float(grid[0, 0]), float(grid[-1, 0])),
            (low - 0.1 * span, high + 0.1 * span),
        )

    def _against_truth(self, run: RunView) -> None:
        ds, plt, g = run.dataset, self.plt, self.glyphs
        y = ds.y_val[:MAX_POINTS, 0]
        pred = run.predict(ds.x_val[:MAX_POINTS])[:, 0]
        ok = np.isfinite(pred)
        plt.scatter(y[ok].tolist(), pred[ok].tolist(), marker=g.point_marker)
        lo, hi = float(y.min()), float(y.max())
        plt.plot([lo, hi], [lo, hi], marker=g.plot_marker_alt)
        self._legend(
            "predicted against true y",
            (self._look(g.point_marker, 1), "example"),
            (self._look(g.plot_marker_alt), "predicted = true"),
        )
        both = np.concatenate([y, pred[ok]])
        low, high = float(both.min()), float(both.max())
        pad = (high - low) * 0.05 or 1.0
        self.set_axes((lo, hi if hi > lo else lo + 1.0), (low - pad, high + pad))

    def _density(self, run: RunView) -> None:
        ds, plt, g = run.dataset, self.plt, self.glyphs
        samples = ds.y_train[:, 0]
        bins = min(24, max(8, self.size.width // 3))
        counts, edges = np.histogram(samples, bins=bins, density=True)
        centres = (edges[:-1] + edges[1:]) / 2
        # reset_ticks=False: plotext would label every bar with its centre's 17 digits.
        plt.bar(centres.tolist(), counts.tolist(), marker=g.bar_full, width=0.8, reset_ticks=False)
        grid = np.linspace(edges[0], edges[-1], 80)
        theta = density_parameters(run)
        # Samples train only with a density's loss (`check_pairing`), which has a pdf.
        loss = cast(DensityLoss, run.loss)
        pdf = loss.pdf(grid, theta)
        if np.all(np.isfinite(pdf)):
            plt.plot(grid.tolist(), pdf.tolist(), marker=g.plot_marker)
        # The loss's own words for θ, so the legend's values are the model's to the digit.
        fitted = loss.describe(theta)
        self._legend("", (g.bar_full, "samples"), (self._look(g.plot_marker), fitted))
        self.set_axes(
            (float(edges[0]), float(edges[-1])), (0.0, float(max(counts.max(), 1e-9)) * 1.3)
        )

    def on_resize(self) -> None:
        # The picture depends on the size in cells; redraw the last run at the new size.
        run = getattr(self, "_run", None)
        if run is not None:
            self.show(run)
