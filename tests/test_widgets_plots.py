"""Plots: round-number ticks (no raw floats, no -0, whole steps), the legend on the caption line
(wrapped, never cut, where a fit's numbers would not fit), a validation marker unlike the ASCII
frame's ticks, and the rows given to data."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from losstui.core.diagnostics import density_parameters
from losstui.core.text import format_ticks
from losstui.core.trainer import Record, TrainConfig, Trainer
from losstui.lessons.format import parse_lesson
from losstui.tui.app import LossApp
from losstui.tui.glyphs import ASCII, UNICODE
from losstui.tui.widgets.ascii_plot import nice_ticks
from losstui.tui.widgets.fit_plot import FitPlot, legend_chunks, wrap_chunks
from losstui.tui.widgets.loss_curves import LossCurves
from tests.app_helpers import Harness, flat, widget_text

LONG_NUMBER = re.compile(r"\d\.\d{5,}")


@pytest.mark.parametrize(
    ("lo", "hi", "most", "integer", "expected"),
    [
        (-0.5462013530329454, 3.04436206719709, 5, False, ["0", "1", "2", "3"]),
        (-0.77, 0.77, 5, False, ["-0.5", "0.0", "0.5"]),
        (0.0, 10.0, 5, True, ["0", "5", "10"]),
        (0.0, 1.0, 5, True, ["0", "1"]),  # steps are whole numbers: no 0.25
        (0.2, 0.21, 3, False, ["0.200", "0.205", "0.210"]),
        (0.000012, 0.000587, 4, False, ["0.0002", "0.0004"]),
        (-2.0, 3.5, 2, False, ["-2", "0", "2"]),  # never a lone tick
    ],
)
def test_ticks_are_round_numbers_with_few_digits(lo, hi, most, integer, expected):
    ticks = nice_ticks(lo, hi, most, integer=integer)
    assert format_ticks(ticks) == expected
    assert all(lo <= t <= hi for t in ticks)


def test_no_negative_zero_label():
    assert "-0" not in format_ticks([-1e-17, 1.0])
    assert "-0.0" not in format_ticks([-1e-17, 0.5])


def PlotApp(plot, glyphs=UNICODE) -> Harness:
    """`plot`, eight rows high, in the test harness."""
    return Harness(plot, glyphs=glyphs, css="Screen > * { height: 8; }")


def history(n: int = 30) -> list[Record]:
    return [
        Record(step=20 * i, epoch=i / 5, train_loss=1.0 / (1 + i), val_loss=1.1 / (1 + i))
        for i in range(n)
    ]


def rendered(plot) -> list[str]:
    return plot.render().plain.splitlines()


@pytest.mark.parametrize("glyphs", [UNICODE, ASCII])
async def test_loss_curves_caption_carries_the_legend_and_data_gets_the_rows(glyphs):
    app = PlotApp(LossCurves(), glyphs)
    async with app.run_test(size=(80, 10)) as pilot:
        plot = app.widget
        plot.show(history(), log10=False, loss_name="loss")
        await pilot.pause()
        lines = rendered(plot)
        assert len(lines) == 8
        assert lines[0].startswith("loss by step   train")
        assert "step" not in "".join(lines[1:])
        assert "loss" not in "".join(lines[1:])
        # The caption, 5 rows of data, the axis and its labels: no title, frame or label rows.
        assert set(lines[-2].strip()) <= set("└┬─+-")
        assert all(line.lstrip(" .0123456789")[:1] in ("│", "┤", "|", "+") for line in lines[1:-2])
        text = "\n".join(lines)
        assert not LONG_NUMBER.search(text)
        if glyphs is ASCII:
            assert text.isascii()
            assert "validation o o" in lines[0]
            # The validation points are drawn as "o", the frame's ticks as "+": never confused.
            assert "o" in "".join(lines[1:-2]).replace("o o", "")
        else:
            assert "validation • •" in lines[0]
            assert "•" in "".join(lines[1:])


@pytest.mark.parametrize(
    ("width", "legend"), [(30, "loss   train ⠒⠒  val • •"), (22, "train ⠒⠒  val • •")]
)
async def test_a_narrow_loss_plot_keeps_both_marks_of_its_legend(width, legend):
    # Beside a lesson at 60 columns the legend was cut to "train ⠒⠒  valid".
    app = PlotApp(LossCurves())
    async with app.run_test(size=(width, 10)) as pilot:
        app.widget.show(history(), log10=False, loss_name="loss")
        await pilot.pause()
        assert rendered(app.widget)[0].rstrip() == legend


async def test_a_run_at_step_0_has_whole_step_ticks():
    app = PlotApp(LossCurves())
    async with app.run_test(size=(80, 10)) as pilot:
        app.widget.show(history(1), log10=False, loss_name="loss")
        await pilot.pause()
        axis_labels = rendered(app.widget)[-1].split()
        assert axis_labels, axis_labels
        assert all(label.isdigit() for label in axis_labels), axis_labels


@pytest.mark.parametrize("problem", ["density_estimation", "regression", "count_regression"])
async def test_model_plots_label_axes_with_few_digits(problem):
    trainer = Trainer(TrainConfig.default_for(problem))
    trainer.step(30)
    app = PlotApp(FitPlot())
    async with app.run_test(size=(80, 10)) as pilot:
        app.widget.show(trainer)
        await pilot.pause()
        lines = rendered(app.widget)
        text = "\n".join(lines)
        assert not LONG_NUMBER.search(text), text
        assert not re.search(r"(?<![\d.])-0(\.0+)?(?![\d.])", text), text
        tick_line = lines[-1].split()
        assert len(tick_line) >= 3, tick_line
        assert all(len(label) <= 5 for label in tick_line), tick_line
        assert ("samples" in lines[0]) or ("data" in lines[0] and "model" in lines[0])


# -- the caption wraps where the plot is narrow: a legend's numbers are read, never cut ----------

DENSITY_LESSON = """---
title: T
summary: S
minutes: 1
---
Fit the samples.

```losstui
set problem=density_estimation dataset=mixture_samples loss={loss} pane=train
```
"""

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]\d+)?")


def fitted_values(trainer) -> list[float]:
    """The fit's parameters in the order its legend names them."""
    values = trainer.loss.predict(density_parameters(trainer))
    if trainer.config.loss == "gaussian_mixture_nll":
        pi, mu1, mu2, s1, s2 = values
        return [pi, mu1, s1, 1.0 - pi, mu2, s2]
    return list(values)


@pytest.mark.parametrize("ascii", [False, True])
@pytest.mark.parametrize("loss", ["gaussian_nll", "gaussian_mixture_nll"])
async def test_beside_a_lesson_the_density_legend_is_whole_on_screen(loss, ascii):
    # A lesson's strip puts the density plot beside the loss curves, about half the width: at
    # 80 columns, then the terminal narrowed to 60.
    app = LossApp(ascii=ascii, lesson=parse_lesson(DENSITY_LESSON.format(loss=loss), "L.md"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.state.step(300)
        await pilot.pause()
        trainer = app.state.trainer
        assert trainer.config.loss == loss
        assert not trainer.diverged
        g = ASCII if ascii else UNICODE
        fitted = trainer.loss.describe(density_parameters(trainer))
        marker = "**" if ascii else "⠒⠒"
        legend = g.text(f"{g.bar_full} samples  {marker} {fitted}")
        plot = app.screen.query_one("#fit-plot", FitPlot)
        values = fitted_values(trainer)
        spec = [".2f", ".3g", ".3g"] * 2 if loss == "gaussian_mixture_nll" else [".3g", ".3g"]
        for width in (80, 60):
            if width != 80:
                await pilot.resize_terminal(width, 24)
                await pilot.pause()
            if loss == "gaussian_mixture_nll":  # two components never fit on one line here
                assert plot.size.width < cell_len(legend), width
                assert " + " in fitted
            # The legend's rows, read in order: every word and number whole, none cut at the
            # edge.
            shown = widget_text(app, "#fit-plot")
            assert shown.startswith(flat(legend)), (width, legend, shown)
            # Its numbers are the model's, to the digits shown (π to 2 decimals, the rest 3
            # figures).
            numbers = NUMBER.findall(shown.split(marker, 1)[1].replace("^2", "²"))
            expected = [format(v, f) for v, f in zip(values, spec, strict=True)]
            assert numbers[: len(values)] == expected, width
            if ascii:
                assert "".join(shown.split()).isascii()


def test_legend_breaks_between_entries_then_clauses_never_inside_a_number():
    chunks = legend_chunks("samples", "█", "") + legend_chunks(
        "0.32·N(-1.51, 0.459²) + 0.68·N(1.18, 0.621²)", "⠒⠒"
    )
    assert wrap_chunks(chunks, 80) == ["█ samples  ⠒⠒ 0.32·N(-1.51, 0.459²) + 0.68·N(1.18, 0.621²)"]
    assert wrap_chunks(chunks, 42) == [
        "█ samples  ⠒⠒ 0.32·N(-1.51, 0.459²)",
        "+ 0.68·N(1.18, 0.621²)",
    ]
    assert wrap_chunks(chunks, 30) == [
        "█ samples",
        "⠒⠒ 0.32·N(-1.51, 0.459²)",
        "+ 0.68·N(1.18, 0.621²)",
    ]
    gaussian = legend_chunks("samples", "#", "") + legend_chunks(
        "Gaussian mu = -0.0308, sigma = 1.39", "**"
    )
    # Two lines either way: between the entries reads better than after a comma.
    assert wrap_chunks(gaussian, 42) == ["# samples", "** Gaussian mu = -0.0308, sigma = 1.39"]
    assert wrap_chunks(gaussian, 30) == ["# samples  ** Gaussian", "mu = -0.0308, sigma = 1.39"]
    # The rows do not change with the digits as training goes on: the plot does not jump.
    for fit in (
        "Gaussian μ = 0, σ = 1",
        "Gaussian μ = 1.5, σ = 0.67",
        "Gaussian μ = 0.308, σ = 1.39",
    ):
        start = legend_chunks("samples", "█", "") + legend_chunks(fit, "⠒⠒")
        assert wrap_chunks(start, 42) == ["█ samples", f"⠒⠒ {fit}"]
    # Narrower than a piece: the piece is split, but every character is still shown.
    assert "".join(wrap_chunks(gaussian, 8)) == "# samples** Gaussianmu = -0.0308,sigma = 1.39"


@pytest.mark.parametrize("glyphs", [UNICODE, ASCII])
async def test_a_narrow_regression_plot_shows_its_whole_outlier_legend(glyphs):
    trainer = Trainer(TrainConfig.default_for("regression").replace(dataset="line_outliers"))
    trainer.step(30)
    app = PlotApp(FitPlot(), glyphs)
    async with app.run_test(size=(42, 10)) as pilot:
        app.widget.show(trainer)
        await pilot.pause()
        lines = rendered(app.widget)
        assert len(lines) == 8
        caption = flat(" ".join(lines[:2]))
        point, curve, truth = (".", "**", "o") if glyphs is ASCII else ("·", "⠒⠒", "•")
        assert caption == (
            f"y against x {point} data {curve} model {truth} truth outliers on the top edge"
        )
        # Both rows are caption; the data and axes keep the rest.
        assert set(lines[-2].strip()) <= set("└┬─+-")
