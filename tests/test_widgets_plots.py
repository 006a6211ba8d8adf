"""Plots: round-number ticks (no raw floats, no -0, whole steps), the legend on the caption line,
a validation marker unlike the ASCII frame's ticks, and the rows given to data."""

from __future__ import annotations

import re

import pytest
from textual.app import App, ComposeResult

from losstui.core.text import format_ticks
from losstui.core.trainer import Record, TrainConfig, Trainer
from losstui.tui.glyphs import ASCII, UNICODE
from losstui.tui.widgets.ascii_plot import nice_ticks
from losstui.tui.widgets.fit_plot import FitPlot
from losstui.tui.widgets.loss_curves import LossCurves

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
    assert "-0" not in format_ticks([-1e-17, 1.0]) and "-0.0" not in format_ticks([-1e-17, 0.5])


class PlotApp(App):
    CSS = "Screen > * { height: 8; }"

    def __init__(self, plot, glyphs=UNICODE) -> None:
        super().__init__()
        self.plot = plot
        self.plot.glyphs = glyphs

    def compose(self) -> ComposeResult:
        yield self.plot


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
        plot = app.plot
        plot.show(history(), log10=False, loss_name="loss")
        await pilot.pause()
        lines = rendered(plot)
        assert len(lines) == 8
        assert lines[0].startswith("loss by step   train")
        assert "step" not in "".join(lines[1:]) and "loss" not in "".join(lines[1:])
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
            assert "validation • •" in lines[0] and "•" in "".join(lines[1:])


async def test_a_run_at_step_0_has_whole_step_ticks():
    app = PlotApp(LossCurves())
    async with app.run_test(size=(80, 10)) as pilot:
        app.plot.show(history(1), log10=False, loss_name="loss")
        await pilot.pause()
        axis_labels = rendered(app.plot)[-1].split()
        assert axis_labels and all(label.isdigit() for label in axis_labels), axis_labels


@pytest.mark.parametrize("problem", ["density_estimation", "regression", "count_regression"])
async def test_model_plots_label_axes_with_few_digits(problem):
    trainer = Trainer(TrainConfig.default_for(problem))
    trainer.step(30)
    app = PlotApp(FitPlot())
    async with app.run_test(size=(80, 10)) as pilot:
        app.plot.show(trainer)
        await pilot.pause()
        lines = rendered(app.plot)
        text = "\n".join(lines)
        assert not LONG_NUMBER.search(text), text
        assert not re.search(r"(?<![\d.])-0(\.0+)?(?![\d.])", text), text
        tick_line = lines[-1].split()
        assert len(tick_line) >= 3 and all(len(label) <= 5 for label in tick_line), tick_line
        assert ("samples" in lines[0]) or ("data" in lines[0] and "model" in lines[0])
