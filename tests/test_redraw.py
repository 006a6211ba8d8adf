"""Redraws near the floor: a frame repaints only the cells that changed, the loss curve's axes
grow in steps, and Textual's partial updates send only the refreshed cells."""

from __future__ import annotations

import numpy as np
import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import _compositor
from textual.geometry import Region
from textual.strip import Strip

from losstui.core.problems import Standing
from losstui.core.trainer import Record, TrainConfig, Trainer
from losstui.tui import partial_update
from losstui.tui.changed_cells import ChangedCells
from losstui.tui.widgets.decision_map import DecisionMap
from losstui.tui.widgets.lesson_text import LessonText
from losstui.tui.widgets.loss_curves import LossCurves, kept_records, x_limit, y_limits
from losstui.tui.widgets.train_stats import TrainStats
from tests.app_helpers import Harness


class Repaints:
    """Records the regions each refresh() of a widget asked for (() for the whole widget)."""

    def __init__(self, widget) -> None:
        self.calls: list[tuple[Region, ...]] = []
        original = widget.refresh

        def refresh(*regions, **kwargs):
            self.calls.append(regions)
            return original(*regions, **kwargs)

        widget.refresh = refresh


# -- which cells changed --------------------------------------------------------------------------
def test_changed_cells_are_the_digits_that_changed():
    cells = ChangedCells()
    bold = Style(bold=True)
    before = Text.assemble(("step ", "dim"), ("1240", bold), ("  epoch ", "dim"), ("12.4", bold))
    after = Text.assemble(("step ", "dim"), ("1260", bold), ("  epoch ", "dim"), ("12.6", bold))
    assert cells.regions([before], 40) is None  # the first frame: everything
    assert cells.regions([before], 40) == []  # the same frame again: nothing
    assert cells.regions([after], 40) == [Region(7, 0, 1, 1), Region(20, 0, 1, 1)]


def test_a_style_change_alone_is_a_change_and_close_changes_are_one_region():
    cells = ChangedCells()
    cells.regions([Text("abcdefgh")], 20)
    restyled = Text("abcdefgh")
    restyled.stylize("bold", 1, 2)
    restyled.stylize("bold", 4, 5)
    assert cells.regions([restyled], 20) == [Region(1, 0, 4, 1)]
    assert cells.regions([restyled, Text("more")], 20) is None  # a new line count: everything


# -- widgets --------------------------------------------------------------------------------------
def _show_stats(stats: TrainStats, trainer: Trainer) -> None:
    stats.show(
        trainer,
        running=True,
        steps_per_second=50,
        loss_title=trainer.loss.title,
        standing=Standing.RECOMMENDED,
        divergence=None,
    )


async def test_the_stats_repaint_only_their_numbers_and_nothing_when_unchanged():
    trainer = Trainer(TrainConfig.default_for("binary_classification"))
    trainer.step(200)
    app = Harness(TrainStats())
    async with app.run_test(size=(80, 10)) as pilot:
        stats = app.widget
        _show_stats(stats, trainer)
        await pilot.pause()  # laid out: the read-out takes its height, and is painted whole
        trainer.step(20)
        _show_stats(stats, trainer)
        await pilot.pause()
        repaints = Repaints(stats)
        _show_stats(stats, trainer)  # the same step: nothing to repaint
        assert repaints.calls == []
        trainer.step(20)
        _show_stats(stats, trainer)
        await pilot.pause()
        (regions,) = repaints.calls
        assert regions, "a new step repaints some cells, not the whole read-out"
        lines = [line.plain for line in stats.lines(stats.size.width)]
        for region in regions:
            cells = lines[region.y][region.x : region.right]
            # Numbers change; labels such as "step", "train", "accuracy" stay as drawn.
            assert not any(word in cells for word in ("step", "epoch", "train", "val")), cells
            assert any(c.isdigit() for c in cells), cells


async def test_a_lessons_live_values_repaint_only_their_digits():
    prose = "Each step lowers the **loss**: press `space`.\n\nStep {}: validation loss **{}**."
    app = Harness(LessonText())
    async with app.run_test(size=(80, 10)) as pilot:
        text = app.widget
        text.update(prose.format(300, "0.08383"))
        await pilot.pause()  # laid out to its height, and painted whole
        text.update(prose.format(310, "0.08301"))
        await pilot.pause()
        repaints = Repaints(text)
        text.update(prose.format(310, "0.08301"))  # the same text: nothing to repaint
        assert repaints.calls == []
        text.update(prose.format(320, "0.08291"))
        await pilot.pause()
        (regions,) = repaints.calls
        assert regions, "new values repaint some cells, not the whole prose"
        lines = [line.plain for line in text.lines(text.size.width)]
        assert lines[2].startswith("Step 320: validation loss 0.08291.")
        for region in regions:
            cells = lines[region.y][region.x : region.right]
            assert region.y == 2, cells
            assert not any(w in cells for w in ("Step", "validation")), cells


async def test_the_decision_map_repaints_only_where_the_regions_moved():
    trainer = Trainer(TrainConfig.default_for("binary_classification"))
    trainer.step(300)
    app = Harness(DecisionMap())
    async with app.run_test(size=(60, 16)) as pilot:
        view = app.widget
        view.show(trainer)
        await pilot.pause()
        repaints = Repaints(view)
        view.show(trainer)  # the same model: nothing
        assert repaints.calls == []
        trainer.step(5)
        view.show(trainer)
        await pilot.pause()
        assert repaints.calls, "the boundary moved a little"
        (regions,) = repaints.calls
        painted = sum(r.area for r in regions)
        assert 0 < painted < 60 * 16 // 4, painted  # a few cells along the boundary


# -- the loss curve's axes ------------------------------------------------------------------------
def test_the_step_axis_grows_in_steps():
    assert [x_limit(s) for s in (0, 10, 11, 95, 100, 101, 151, 999, 1000, 1001)] == [
        10,
        10,
        15,
        100,
        100,
        150,
        200,
        1000,
        1000,
        1500,
    ]
    # While the run goes from step 101 to 150 the axis stays put.
    assert {x_limit(s) for s in range(101, 151)} == {150}


def test_the_loss_axis_keeps_its_limits_while_the_loss_fills_them():
    first = y_limits(0.20, 0.69, None)
    assert first == pytest.approx((0.15, 0.70))  # round numbers around the losses
    assert y_limits(0.16, 0.69, first) == first  # the loss fell, still on the axis: it stays
    moved = y_limits(0.12, 0.69, first)  # the loss fell below the axis: it moves
    assert moved[0] <= 0.12
    assert moved == pytest.approx((0.10, 0.80))
    assert y_limits(0.60, 0.69, first)[0] > 0.5  # a loss that fills little of it: it closes in


def test_records_drawn_stay_drawn_as_the_run_goes_on():
    steps = np.arange(0, 2001, 20, dtype=np.float64)
    before = kept_records(steps[:80], (0.0, 2000.0), 50)
    after = kept_records(steps, (0.0, 2000.0), 50)
    # Every record drawn before (but the moving last one) is still drawn.
    assert set(steps[before[:-1]]) <= set(steps[after])


def _history(n: int) -> list[Record]:
    return [
        Record(
            step=20 * i, epoch=i / 5, train_loss=0.2 + 0.5 / (1 + i), val_loss=0.25 + 0.5 / (1 + i)
        )
        for i in range(n)
    ]


async def test_a_growing_run_leaves_the_axis_and_the_old_curve_as_drawn():
    app = Harness(LossCurves())
    async with app.run_test(size=(80, 12)) as pilot:
        plot = app.widget
        history = _history(12)  # steps 0 to 220: the axis ends at 300
        plot.show(history, log10=False, loss_name="loss")
        await pilot.pause()
        before = plot.render().plain.splitlines()
        history.extend(_history(14)[12:])  # two more records: steps 240, 260
        plot.show(history, log10=False, loss_name="loss")
        await pilot.pause()
        after = plot.render().plain.splitlines()
        assert after[-2:] == before[-2:], "the step axis and its labels did not move"
        assert after[-1].split()[-1] == "300"
        # The curve left of the new records is as it was.
        left = 4 + (80 - 8) * 200 // 300 // 1
        assert [row[:left] for row in after[1:-2]] == [row[:left] for row in before[1:-2]]


# -- what reaches the terminal --------------------------------------------------------------------
def test_a_refreshed_span_is_sent_alone_not_from_the_start_of_its_line():
    partial_update.install()
    line = Strip([Segment(" step "), Segment("1240", Style(bold=True)), Segment("  epoch 12.4")])
    update = _compositor.ChopsUpdate([{0: line}], [(0, 8, 9)], [[line.cell_length]])
    sent = update.render_segments(Console(force_terminal=True, color_system="truecolor"))
    assert sent.startswith("\x1b[1;9H")  # straight to the changed digit
    assert "step" not in sent
    assert "epoch" not in sent
    assert "4" in sent


async def test_a_change_of_state_draws_each_pane_once():
    # Each pane drew every change twice, subscribed twice: by Textual, which calls the base
    # pane's on_mount itself, and by each pane's own on_mount calling it again.
    from losstui.core.settings import PANES
    from losstui.tui.app import LossApp
    from losstui.tui.panes.pane import Pane

    app = LossApp()
    async with app.run_test(size=(80, 24)) as pilot:
        for pane in PANES:  # every pane composed
            app.state.set_pane(pane)
            await pilot.pause()
        app.state.set_pane("train")
        await pilot.pause()
        drawn: list[str] = []
        for pane in app.main_screen.query(Pane):
            draw = pane.draw
            pane.draw = lambda *a, _draw=draw, _id=pane.pane_id, **k: (
                drawn.append(_id),
                _draw(*a, **k),
            )[1]
        app.state.step_once()
        assert drawn == ["train"]
        assert len(app.main_screen.query(Pane)) == len(PANES)
