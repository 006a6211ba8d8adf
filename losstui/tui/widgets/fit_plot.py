"""Provides the model picture for regression and density: data, fitted curve or density."""

from __future__ import annotations

import numpy as np

from losstui.core.diagnostics import density_parameters
from losstui.tui.widgets.ascii_plot import AsciiPlot

MAX_POINTS = 150
"""Scatter at most this many points: more only costs time and bytes in a character plot."""


class FitPlot(AsciiPlot):
    """1-D regression: points and the fitted curve; more inputs: predicted against true;
    density: the histogram of the samples and the fitted density."""

    def show(self, trainer) -> None:
        """Redraw from `trainer`'s data and model."""
        self._trainer = trainer
        self.reset_plot()
        with np.errstate(all="ignore"):
            if trainer.dataset.kind == "density":
                self._density(trainer)
            elif trainer.dataset.n_features == 1:
                self._curve(trainer)
            else:
                self._against_truth(trainer)
        self.redraw()

    def _look(self, marker: str, repeat: int = 2) -> str:
        """How a plotext marker looks in the caption's legend."""
        return {"braille": "⠒", "dot": "•", "hd": "▄", "fhd": "▞"}.get(marker, marker) * repeat

    def _curve(self, trainer) -> None:
        ds, plt, g = trainer.dataset, self.plt, self.glyphs
        x = ds.x_train[:MAX_POINTS, 0]
        y = ds.y_train[:MAX_POINTS, 0]
        grid = np.linspace(ds.x_train.min(), ds.x_train.max(), 60)[:, None]
        fit = trainer.predict(grid)[:, 0]
        low, high = float(y.min()), float(y.max())
        outliers = bool(ds.noise.get("outlier_fraction")) and ds.true_function is not None
        truth = ds.true_function(grid)[:, 0] if outliers else None
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
        legend = f"{self._look(g.point_marker, 1)} data  {self._look(g.plot_marker)} model"
        if truth is not None:
            legend += f"  {self._look(g.plot_marker_alt, 1)} truth  outliers on the top edge"
        self.caption = g.text(f"y against x   {legend}")
        self.set_axes(
            (float(grid[0, 0]), float(grid[-1, 0])),
            (low - 0.1 * span, high + 0.1 * span),
        )

    def _against_truth(self, trainer) -> None:
        ds, plt, g = trainer.dataset, self.plt, self.glyphs
        y = ds.y_val[:MAX_POINTS, 0]
        pred = trainer.predict(ds.x_val[:MAX_POINTS])[:, 0]
        ok = np.isfinite(pred)
        plt.scatter(y[ok].tolist(), pred[ok].tolist(), marker=g.point_marker)
        lo, hi = float(y.min()), float(y.max())
        plt.plot([lo, hi], [lo, hi], marker=g.plot_marker_alt)
        self.caption = g.text(
            f"predicted against true y   {self._look(g.point_marker, 1)} example  "
            f"{self._look(g.plot_marker_alt)} predicted = true"
        )
        both = np.concatenate([y, pred[ok]])
        low, high = float(both.min()), float(both.max())
        pad = (high - low) * 0.05 or 1.0
        self.set_axes((lo, hi if hi > lo else lo + 1.0), (low - pad, high + pad))

    def _density(self, trainer) -> None:
        ds, plt, g = trainer.dataset, self.plt, self.glyphs
        samples = ds.y_train[:, 0]
        bins = min(24, max(8, self.size.width // 3))
        counts, edges = np.histogram(samples, bins=bins, density=True)
        centres = (edges[:-1] + edges[1:]) / 2
        # reset_ticks=False: plotext would label every bar with its centre's 17 digits.
        plt.bar(centres.tolist(), counts.tolist(), marker=g.bar_full, width=0.8, reset_ticks=False)
        grid = np.linspace(edges[0], edges[-1], 80)
        theta = density_parameters(trainer)
        pdf = trainer.loss.pdf(grid, theta)
        if np.all(np.isfinite(pdf)):
            plt.plot(grid.tolist(), pdf.tolist(), marker=g.plot_marker)
        fitted = trainer.loss.describe(theta)
        self.caption = g.text(f"{g.bar_full} samples  {self._look(g.plot_marker)} {fitted}")
        self.set_axes(
            (float(edges[0]), float(edges[-1])), (0.0, float(max(counts.max(), 1e-9)) * 1.3)
        )

    def on_resize(self) -> None:
        # The picture depends on the size in cells; redraw the last trainer at the new size.
        trainer = getattr(self, "_trainer", None)
        if trainer is not None:
            self.show(trainer)
