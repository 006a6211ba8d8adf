"""Provides the live train and validation loss curves, drawn by plotext through textual-plotext."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from losstui.core.text import thin_indices
from losstui.tui.widgets.ascii_plot import AsciiPlot


class LossCurves(AsciiPlot):
    """Train and validation loss against step; `show(history, log10)` redraws from a history."""

    def show(self, history: Sequence, *, log10: bool, loss_name: str) -> None:
        """Plot `history` (Records with step, train_loss, val_loss) thinned to the plot's width;
        `loss_name` says what the values are ("loss", "full NLL (with log y!)")."""
        self._last_args = (history, log10, loss_name)
        plt = self.plt
        self.reset_plot()
        width = max(self.size.width - 8, 10) * (2 if self.glyphs.plot_marker == "braille" else 1)
        steps = np.array([r.step for r in history], dtype=np.float64)
        train = np.array([r.train_loss for r in history], dtype=np.float64)
        val = np.array([r.val_loss for r in history], dtype=np.float64)
        if log10:
            if np.any(np.isfinite(train) & (train <= 0)) or np.any(np.isfinite(val) & (val <= 0)):
                log10 = False  # the app tells the user why the axis stays linear
            else:
                with np.errstate(divide="ignore", invalid="ignore"):
                    train, val = np.log10(train), np.log10(val)
        keep = np.array(thin_indices(len(steps), width), dtype=np.intp)
        steps, train, val = steps[keep], train[keep], val[keep]
        ok_t, ok_v = np.isfinite(train), np.isfinite(val)
        name = loss_name.split(" (")[0] if loss_name else "loss"  # the caption is one short line
        what = f"log10({name})" if log10 else name
        self.caption = self.glyphs.text(
            f"{what} by step   train {self._m(0)}  validation {self._m(1)}"
        )
        if ok_t.sum() >= 1:
            plt.plot(steps[ok_t].tolist(), train[ok_t].tolist(), marker=self.glyphs.plot_marker)
        # Validation as spaced points, not a line: the two series differ in shape, not only colour.
        spaced = np.array(thin_indices(len(steps), max(width // 6, 2)), dtype=np.intp)
        ok_s = spaced[ok_v[spaced]]
        if ok_s.size:
            plt.scatter(
                steps[ok_s].tolist(), val[ok_s].tolist(), marker=self.glyphs.plot_marker_alt
            )
        if not len(steps):
            self.refresh()
            return
        first, last = float(steps[0]), float(steps[-1])
        x_range = (first, last) if last > first else (first, first + 10.0)
        finite = np.concatenate([train[ok_t], val[ok_v]])
        if finite.size:
            low, high = float(finite.min()), float(finite.max())
            pad = (high - low) * 0.05 or max(abs(high) * 0.05, 1e-3)
            self.set_axes(x_range, (low - pad, high + pad), integer_x=True)
        else:
            self.plt.xlim(*x_range)
        self.refresh()

    def on_resize(self) -> None:
        # Thinning depends on the width: redraw the last history at the new size.
        args = getattr(self, "_last_args", None)
        if args is not None:
            self.show(args[0], log10=args[1], loss_name=args[2])

    def _m(self, i: int) -> str:
        marker = (self.glyphs.plot_marker, self.glyphs.plot_marker_alt)[i]
        if i == 1:  # spaced points
            look = {"dot": "•", "hd": "▄"}.get(marker, marker)
            return f"{look} {look}"
        return {"braille": "⠒⠒", "hd": "▄▄"}.get(marker, marker * 2)
