"""Provides the model picture for regression and density: data, fitted curve or density."""

from __future__ import annotations

import numpy as np

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
        ds = trainer.dataset
        plt = self.plt
        g = self.glyphs
        with np.errstate(all="ignore"):
            if ds.kind == "density":
                self._density(trainer)
            elif ds.n_features == 1:
                x = ds.x_train[:MAX_POINTS, 0]
                y = ds.y_train[:MAX_POINTS, 0]
                plt.scatter(x.tolist(), y.tolist(), marker=g.point_marker, label="data")
                grid = np.linspace(ds.x_train.min(), ds.x_train.max(), 60)[:, None]
                fit = trainer.predict(grid)[:, 0]
                if np.all(np.isfinite(fit)):
                    plt.plot(grid[:, 0].tolist(), fit.tolist(), marker=g.plot_marker, label="model")
                plt.xlabel("x")
                plt.title("data and the fitted curve")
                span = float(y.max() - y.min()) or 1.0
                plt.ylim(float(y.min()) - 0.1 * span, float(y.max()) + 0.1 * span)
            else:
                y = ds.y_val[:MAX_POINTS, 0]
                pred = trainer.predict(ds.x_val[:MAX_POINTS])[:, 0]
                ok = np.isfinite(pred)
                plt.scatter(y[ok].tolist(), pred[ok].tolist(), marker=g.point_marker)
                lo, hi = float(y.min()), float(y.max())
                plt.plot([lo, hi], [lo, hi], marker=g.plot_marker_alt)
                plt.xlabel("true y (validation)")
                plt.title(f"predicted against true ({ds.n_features} inputs): on the line is right")
        self.refresh()

    def _density(self, trainer) -> None:
        ds, plt, g = trainer.dataset, self.plt, self.glyphs
        x = ds.x_train[:, 0]
        counts, edges = np.histogram(x, bins=min(24, max(8, self.size.width // 3)), density=True)
        centres = (edges[:-1] + edges[1:]) / 2
        plt.bar(centres.tolist(), counts.tolist(), marker=g.bar_full, width=0.8, label="samples")
        grid = np.linspace(edges[0], edges[-1], 80)
        model = getattr(trainer, "model", None)
        if model is not None and hasattr(model, "pdf"):
            pdf = model.pdf(grid)
            if np.all(np.isfinite(pdf)):
                plt.plot(grid.tolist(), pdf.tolist(), marker=g.plot_marker, label="model")
            describe = getattr(model, "describe", None)
            plt.title(g.text(describe() if describe else "histogram and fitted density"))
        plt.ylim(0, float(max(counts.max(), 1e-9)) * 1.3)
        plt.xlabel("x")

    def on_resize(self) -> None:
        # The picture depends on the size in cells; redraw the last trainer at the new size.
        trainer = getattr(self, "_trainer", None)
        if trainer is not None:
            self.show(trainer)
