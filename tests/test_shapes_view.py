"""The loss shapes on the Recommendation pane: what a student reads at 80x24 and 120x40, by keys,
in ASCII and without colour. The values are the core's (tests/test_shapes.py)."""

from __future__ import annotations

import pytest

from losstui.tui.app import LossApp
from losstui.tui.widgets.shapes_plot import RUG_MARK, SHAPE_MARKS
from tests.app_helpers import flat, footer_settled, pane_ready, screen_text


async def _shapes_on(pilot, app: LossApp) -> str:
    await pilot.press("2")
    await pane_ready(pilot, app, "recommendation")
    assert "s Shapes" in await footer_settled(pilot, app)
    await pilot.press("s")
    await pilot.pause()
    assert app.state.shapes
    return screen_text(app)


async def test_in_the_saturated_start_a_student_finds_why_squared_error_stalls():
    app = LossApp(preset="saturated_start")
    async with app.run_test(size=(80, 24)) as pilot:
        text = await _shapes_on(pilot, app)
        words = flat(text)
        assert "Loss shapes, one example: label y = 1" in words
        assert "loss ℓ against the margin" in text
        assert "its gradient ∂ℓ/∂z" in text
        # Each loss by its mark and what it is to the problem; the examples as a rug that the
        # axis reaches far enough to hold (the saturated start puts them out to ±60).
        assert "* Binary cross-entropy (log loss) (recommended)" in words
        assert "@ Squared error on a sigmoid (a trap)" in words
        assert f"{RUG_MARK} the run's 150 validation examples at step 0" in words
        assert "-50             0            50" in text  # the axis's ticks
        # The gradient plot: squared error through a sigmoid is flat at 0 on the wrong side,
        # where cross-entropy's is at −1.
        rows = text.splitlines()
        gradient = [row[40:] for row in rows[3:17]]
        zero = next(row for row in gradient if row.lstrip().startswith("0┤"))
        minus_one = next(row for row in gradient if row.lstrip().startswith("-1┤"))
        assert zero.split("┤")[1].startswith("@@@@@@")
        assert minus_one.split("┤")[1].startswith("******")
        # p: against the probability p of class 1; each loss keeps its mark, and the margins
        # that are no probability say so.
        await pilot.press("p")
        await pilot.pause()
        words = flat(screen_text(app))
        assert "loss ℓ against the probability p" in words
        assert "@ Squared error on a sigmoid (a trap)" in words
        assert "No curve for Hinge loss: a margin score is no probability." in words
        await pilot.press("p")
        # y: the other label; s: back to the text.
        await pilot.press("y")
        await pilot.pause()
        assert "label y = 0" in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        assert not app.state.shapes
        assert "Why (maximum likelihood)" in screen_text(app)
        # At 120x40 the plots stand side by side, taller.
        await pilot.press("s")
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        rows = screen_text(app).splitlines()
        assert "loss ℓ against the margin" in rows[3]
        assert "its gradient ∂ℓ/∂z" in rows[3]


@pytest.mark.parametrize("ascii_mode", [True, False])
async def test_each_curve_reads_by_its_mark_in_ascii_and_without_colour(monkeypatch, ascii_mode):
    monkeypatch.setenv("NO_COLOR", "1")
    app = LossApp(ascii=ascii_mode, problem="regression")
    async with app.run_test(size=(80, 24)) as pilot:
        text = await _shapes_on(pilot, app)
        if ascii_mode:
            assert sorted({c for c in text if not c.isascii()}) == []
        plots = "\n".join(text.splitlines()[3:18])
        assert all(mark in plots for mark in SHAPE_MARKS[:3])
        words = flat(text)
        assert f"{SHAPE_MARKS[1]} Huber loss" in words
        # One target only (squared error's curve in the residual is the same for any y).
        assert "y: next target" not in words
        assert "y Target" not in await footer_settled(pilot, app)


async def test_density_estimation_has_no_shapes_and_offers_none():
    app = LossApp(problem="density_estimation")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pane_ready(pilot, app, "recommendation")
        assert "s Shapes" not in await footer_settled(pilot, app)
