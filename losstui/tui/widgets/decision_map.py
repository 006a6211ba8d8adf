"""Provides the 2-D decision-region heatmap: a pattern per predicted class, data as class digits."""

from __future__ import annotations

import functools

import numpy as np
from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.widget import Widget

from losstui.core.diagnostics import class_probabilities
from losstui.tui.glyphs import UNICODE, Glyphs

CLASS_COLOURS = ("#5fa8ff", "#ff875f", "#87d75f", "#d7af5f", "#af87ff", "#5fd7d7", "#ff5faf")
UNSURE = 0.6
"""Cells whose predicted class has probability below this are left blank: the boundary band."""


def class_scores(trainer, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(class index (n,), confidence in [0, 1] (n,)) of the model at inputs x (n, 2).

    The class is the trainer's own decision (`Trainer.classes_from_logits`), so the map agrees
    with the accuracy beside it; the confidence is that class's probability as the Distributions
    pane reads it. Several labels: the bit pattern of the labels predicted on, and the least
    certain label's probability.
    """
    kind = trainer.dataset.kind
    logits = trainer.logits(x)
    with np.errstate(all="ignore"):
        decided = trainer.classes_from_logits(logits)
        q, _, _ = class_probabilities(trainer.loss, kind, logits)  # (n, groups, outcomes)
    rows = np.arange(len(x))
    if kind == "multilabel":
        on = decided.astype(int)  # (n, labels)
        conf = np.take_along_axis(q, on[:, :, None], axis=2)[:, :, 0].min(axis=1)
        return (on * (1 << np.arange(on.shape[1]))).sum(axis=1), conf
    cls = decided.astype(int)
    return cls, q[rows, 0, cls]


def true_classes(dataset) -> np.ndarray:
    """Class index of each training example, coded as class_scores codes predictions."""
    y = dataset.y_train
    if dataset.kind == "binary":
        return (y[:, 0] > 0.5).astype(int)
    if dataset.kind == "multilabel":
        return ((y > 0.5) * (1 << np.arange(y.shape[1]))).sum(axis=1)
    if dataset.kind == "soft_label":
        return np.argmax(y, axis=1)
    return np.asarray(y, dtype=int)


class DecisionMap(Widget):
    """The model's decision regions over the data's bounding box, drawn in characters."""

    DEFAULT_CSS = "DecisionMap { width: 1fr; height: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs: Glyphs = UNICODE
        self._text = Text("")

    def show(self, trainer) -> None:
        """Redraw the regions of `trainer`'s model and its training points."""
        self._trainer = trainer
        width, height = self.size.width, self.size.height - 1
        if width < 4 or height < 3:
            return
        ds = trainer.dataset
        x_all = np.concatenate([ds.x_train, ds.x_val])
        lo, hi = x_all.min(axis=0), x_all.max(axis=0)
        pad = (hi - lo) * 0.05 + 1e-9
        lo, hi = lo - pad, hi + pad
        xs = lo[0] + (np.arange(width) + 0.5) / width * (hi[0] - lo[0])
        ys = hi[1] - (np.arange(height) + 0.5) / height * (hi[1] - lo[1])
        gx, gy = np.meshgrid(xs, ys)
        cls, conf = class_scores(trainer, np.column_stack([gx.ravel(), gy.ravel()]))
        cls, conf = cls.reshape(height, width), conf.reshape(height, width)
        points = {}
        col = ((ds.x_train[:, 0] - lo[0]) / (hi[0] - lo[0]) * width).astype(int).clip(0, width - 1)
        row = ((hi[1] - ds.x_train[:, 1]) / (hi[1] - lo[1]) * height).astype(int)
        row = row.clip(0, height - 1)
        for r, c, k in zip(row, col, true_classes(ds), strict=True):
            points[(int(r), int(c))] = int(k)
        patterns = self.glyphs.region_patterns
        text = Text(no_wrap=True, overflow="crop")
        for r in range(height):
            # Cells are appended in runs of one style: one span per run, not per cell, keeps
            # the escape codes written to the terminal (and so the bytes per frame) few.
            run, run_style = [], None
            for c in range(width):
                if (r, c) in points:
                    k = points[(r, c)]
                    char = str(k) if k < 10 else "*"
                    style = self._styles(k)[0]
                else:
                    k = int(cls[r, c])
                    char = patterns[k % len(patterns)] if conf[r, c] >= UNSURE else " "
                    style = self._styles(k)[1]
                if style is not run_style and run:
                    text.append("".join(run), run_style)
                    run = []
                run_style = style
                run.append(char)
            if run:
                text.append("".join(run), run_style)
            text.append("\n")
        legend = [
            f"{patterns[k % len(patterns)]}={'labels ' if ds.kind == 'multilabel' else 'class '}{k}"
            for k in range(self._n_codes(ds))
        ]
        text.append(
            " ".join(legend) + f"  blank: p<{UNSURE:g}  digits: data",
            Style(dim=True),
        )
        # Once the boundary settles most frames are identical: repainting them costs bytes only.
        if text.plain != self._text.plain or text.spans != self._text.spans:
            self._text = text
            self.refresh()

    @staticmethod
    @functools.lru_cache(maxsize=32)
    def _styles(k: int) -> tuple[Style, Style]:
        """(data point, region) styles of class code k; cached so runs compare by identity."""
        colour = CLASS_COLOURS[k % len(CLASS_COLOURS)]
        return Style(color=colour, bold=True), Style(color=colour, dim=True)

    @staticmethod
    def _n_codes(ds) -> int:
        if ds.kind == "binary":
            return 2
        if ds.kind == "multilabel":
            return 1 << ds.y_train.shape[1]
        return int(ds.n_classes or 2)

    def render(self) -> RenderResult:
        return self._text

    def on_resize(self) -> None:
        # The picture depends on the size in cells; redraw the last trainer at the new size.
        trainer = getattr(self, "_trainer", None)
        if trainer is not None:
            self.show(trainer)
