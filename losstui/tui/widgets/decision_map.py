"""Provides the 2-D decision-region heatmap: a pattern and a digit per class or set of labels."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.widget import Widget

from losstui.core.run import RunView
from losstui.core.tasks import get_task
from losstui.tui.changed_cells import ChangedCells
from losstui.tui.glyphs import UNICODE, Glyphs

CLASS_COLOURS = ("#5fa8ff", "#ff875f", "#87d75f", "#d7af5f", "#af87ff", "#5fd7d7", "#ff5faf")
UNSURE = 0.6
"""Cells whose predicted class has probability below this are left blank: the boundary band."""
MIN_ROWS = 3
"""Rows below which the regions cannot be read; the key gives way first."""
LABEL_LETTERS = "ABCDEFGH"
"""Several labels: label j is called LABEL_LETTERS[j] in the legend."""


@dataclass(frozen=True)
class Code:
    """How one class (or one set of labels) is drawn: its region fill, its data points' character
    and its name in the legend."""

    region: str
    point: str
    name: str


def class_scores(run: RunView, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(class index (n,), confidence in [0, 1] (n,)) of the model at inputs x (n, 2).

    The class is the run's own decision (`Trainer.classes_from_logits`), so the map agrees
    with the accuracy beside it; the confidence is that class's probability as the Distributions
    pane reads it. Several labels: the bit pattern of the labels predicted on, and the least
    certain label's probability.
    """
    task = get_task(run.dataset.kind)
    logits = run.logits(x)
    with np.errstate(all="ignore"):
        decided = run.classes_from_logits(logits)
        q, _, _ = task.class_probabilities(run.loss.link, logits)  # (n, groups, outcomes)
    return task.codes(decided, q)


def blank_rule(loss, kind: str) -> str:
    """Where the map is left blank, said in what the model outputs: a probability p (sigmoid,
    softmax), a margin score z (hinge: no p), or a raw output ŷ. A cell is blank when its class's
    Q (`class_scores`) is below UNSURE; with two outcomes that is a band around the boundary,
    not a threshold on class 1's p (`Task.blank_rule`, in the words of the loss's link)."""
    return get_task(kind).blank_rule(loss.link, UNSURE)


def true_classes(dataset) -> np.ndarray:
    """Class index of each training example, coded as class_scores codes predictions."""
    return get_task(dataset.kind).true_codes(dataset.y_train)


class DecisionMap(Widget):
    """The model's decision regions over the data's bounding box, drawn in characters."""

    DEFAULT_CSS = "DecisionMap { width: 1fr; height: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs: Glyphs = UNICODE
        self._text = Text("")
        self._run: RunView | None = None
        self._cells = ChangedCells()

    def show(self, run: RunView) -> None:
        """Redraw the regions of `run`'s model and its training points."""
        self._run = run
        ds = run.dataset
        width = self.size.width
        codes = self.codes(ds)
        cap = run.loss.cap(len(codes))  # below UNSURE, p never shows: say why it is blank
        blank = blank_rule(run.loss, ds.kind)
        legend = self._legend(codes, ds, width, cap=cap, blank=blank)
        if self.size.height - len(legend) < len(legend) + 2:  # the key would crowd out the map
            legend = self._legend(codes, ds, width, compact=True, cap=cap, blank=blank)
        if self.size.height - len(legend) < MIN_ROWS:  # the key's first line, then none
            legend = legend[:1] if self.size.height - 1 >= MIN_ROWS else []
        height = self.size.height - len(legend)
        if width < 4 or height < MIN_ROWS:
            # Too small for a map (a short terminal, with the settings open): say so, rather
            # than leave the picture drawn for a larger area, whose rows would wrap here.
            self._text = Text(self.glyphs.text("(no room for the map)"), style=Style(dim=True))
            self._cells.forget()
            self.refresh()
            return
        x_all = np.concatenate([ds.x_train, ds.x_val])
        lo, hi = x_all.min(axis=0), x_all.max(axis=0)
        pad = (hi - lo) * 0.05 + 1e-9
        lo, hi = lo - pad, hi + pad
        xs = lo[0] + (np.arange(width) + 0.5) / width * (hi[0] - lo[0])
        ys = hi[1] - (np.arange(height) + 0.5) / height * (hi[1] - lo[1])
        gx, gy = np.meshgrid(xs, ys)
        cls, conf = class_scores(run, np.column_stack([gx.ravel(), gy.ravel()]))
        cls, conf = cls.reshape(height, width), conf.reshape(height, width)
        points = {}
        col = ((ds.x_train[:, 0] - lo[0]) / (hi[0] - lo[0]) * width).astype(int).clip(0, width - 1)
        row = ((hi[1] - ds.x_train[:, 1]) / (hi[1] - lo[1]) * height).astype(int)
        row = row.clip(0, height - 1)
        for r, c, k in zip(row, col, true_classes(ds), strict=True):
            points[(int(r), int(c))] = int(k)
        text = Text(no_wrap=True, overflow="crop")
        for r in range(height):
            # Cells are appended in runs of one style: one span per run, not per cell, keeps
            # the escape codes written to the terminal (and so the bytes per frame) few.
            chars: list[str] = []
            chars_style: Style | None = None
            for c in range(width):
                if (r, c) in points:
                    k = points[(r, c)]
                    char = codes[k].point if k < len(codes) else "*"
                    style = self._styles(k)[0]
                else:
                    k = int(cls[r, c])
                    char = codes[k].region if conf[r, c] >= UNSURE and k < len(codes) else " "
                    style = self._styles(k)[1]
                if style is not chars_style and chars:
                    text.append("".join(chars), chars_style)
                    chars = []
                chars_style = style
                chars.append(char)
            if chars:
                text.append("".join(chars), chars_style)
            text.append("\n")
        text.append(Text("\n").join(legend))
        # Once the boundary settles a frame changes a few cells along it, or none: only those
        # are repainted.
        self._text = text
        self._cells.repaint(self, list(text.split("\n", allow_blank=True)), width)

    def codes(self, ds) -> list[Code]:
        """How each class code is drawn and named: class k, or a set of labels (bit j = label j)."""
        patterns = self.glyphs.region_patterns
        if get_task(ds.kind).label_sets:
            n_labels = ds.y_train.shape[1]
            letters = LABEL_LETTERS[:n_labels]
            out = []
            for k in range(1 << n_labels):
                on = [letters[j] for j in range(n_labels) if k >> j & 1]
                name = "+".join(on) if on else "none"
                out.append(Code(patterns[k % len(patterns)], str(k) if k < 10 else "*", name))
            return out
        names = tuple(getattr(ds, "target_names", ()) or ())
        n = self._n_codes(ds)
        if len(names) != n:
            names = tuple(f"class {k}" for k in range(n))
        return [
            Code(patterns[k % len(patterns)], str(k) if k < 10 else "*", names[k]) for k in range(n)
        ]

    def _legend(
        self,
        codes: list[Code],
        ds,
        width: int,
        compact: bool = False,
        cap: float = 1.0,
        blank: str = f"top p<{UNSURE:g}",
    ) -> list[Text]:
        """The key to the map, wrapped at spaces between entries so that none is ever cut.
        `compact` (a short map, under a lesson's strip): several labels' sets are told by the
        rule that makes their digits and shades (A=1 + B=2 + C=4) instead of one by one. `cap`:
        the most any p can be with this loss, said when it is below the blank's threshold.
        `blank`: where the map is blank, in the model's own output (`blank_rule`)."""
        g = self.glyphs
        blank = f"blank: {blank}"
        if cap < UNSURE:
            blank += f" (all: this loss keeps p ≤ {cap:.3f})"
        notes = [g.text(blank), "digits: data"]
        if get_task(ds.kind).label_sets:
            names = tuple(getattr(ds, "target_names", ()) or ())
            letters = LABEL_LETTERS[: ds.y_train.shape[1]]
            if len(names) != len(letters):
                names = tuple(f"label {j}" for j in range(len(letters)))
            meanings = [f"{x} = {g.text(name)}" for x, name in zip(letters, names, strict=True)]
            if compact:
                # The shades follow the same rule: each fill beside the digit of its set.
                rule = " ".join(f"{x}={1 << j}" for j, x in enumerate(letters))
                shades = " ".join(f"{code.region}{code.point}" for code in codes)
                groups = [[f"digit, shade = sum of {rule} on"], [shades, *meanings]]
            else:
                # The sets first, then what each letter stands for, on a line of its own.
                groups = [
                    [f"{code.region}{code.point} {code.name}" for code in codes],
                    meanings + notes,
                ]
        else:
            groups = [[f"{code.region} {g.text(code.name)}" for code in codes] + notes]
        lines: list[Text] = []
        for entries in groups:
            line = ""
            for entry in entries:
                if line and len(line) + 2 + len(entry) > width:
                    lines.append(Text(line, style=Style(dim=True)))
                    line = ""
                line = f"{line}  {entry}" if line else entry
            lines.append(Text(line[: max(width, 1)], style=Style(dim=True)))
        return lines

    @staticmethod
    @functools.lru_cache(maxsize=32)
    def _styles(k: int) -> tuple[Style, Style]:
        """(data point, region) styles of class code k; cached so runs compare by identity."""
        colour = CLASS_COLOURS[k % len(CLASS_COLOURS)]
        return Style(color=colour, bold=True), Style(color=colour, dim=True)

    @staticmethod
    def _n_codes(ds) -> int:
        return get_task(ds.kind).n_codes(ds.n_classes, ds.y_train)

    def render(self) -> RenderResult:
        return self._text

    def on_resize(self) -> None:
        # The picture depends on the size in cells; redraw the last run at the new size.
        self._cells.forget()
        run = self._run
        if run is not None:
            self.show(run)
