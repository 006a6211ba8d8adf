"""The loss landscape on the Train pane, read at 80x24 and 120x40 by keys, in ASCII: the
surface's values are the core's (tests/test_landscape.py)."""

from __future__ import annotations

from losstui.core.landscape import PathReplay, landscape
from losstui.tui.app import LossApp
from losstui.tui.widgets.landscape_view import (
    NOW_MARK,
    OPTIMUM_MARK,
    PATH_MARK,
    START_MARK,
    LandscapeView,
)
from tests.app_helpers import pane_ready, screen_text


async def test_w_draws_the_landscape_and_the_path_in_place_of_the_fit_and_back(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")  # bands and marks are characters, not colours
    app = LossApp(ascii=True, setup="problem=regression dataset=line pane=train momentum=0.9")
    async with app.run_test(size=(80, 24)) as pilot:
        await pane_ready(pilot, app, "train")
        await pilot.press("w")
        await pilot.pause()
        assert app.state.landscape
        app.state.step(150)  # a fast-forward's worth between two frames
        app.state.step(1)
        await pilot.pause()
        text = screen_text(app)
        assert sorted({c for c in text if not c.isascii()}) == []
        assert "training loss over slope w, intercept b" in text
        assert f"{START_MARK} start {PATH_MARK} path {NOW_MARK} now {OPTIMUM_MARK} optimum" in text
        # Every step's cell is drawn, not one a frame: the marks are the core's path, cell for cell.
        view = app.screen.query_one(LandscapeView)
        columns, rows = view.grid_size()
        drawn = landscape(app.state.run, columns, rows, path=PathReplay())
        surface = drawn.surface
        assert len(drawn.path) == 152
        ends = {surface.cell(p) for p in (drawn.initial, surface.optimum, drawn.current)}
        passed = {surface.cell(p) for p in drawn.path} - ends - {None}
        region = view.region
        lines = screen_text(app).splitlines()[region.y : region.bottom]
        grid = [line[region.x : region.right] for line in lines][1 : 1 + rows]
        assert "".join(line[-columns:] for line in grid).count(PATH_MARK) == len(passed)
        assert len(passed) >= 3
        assert START_MARK in "".join(grid)
        # At 120x40 the grid grows to the view.
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        rows = [line for line in screen_text(app).splitlines() if "|" in line and "S" in line]
        assert rows
        # w again: the fit.
        await pilot.press("w")
        await pilot.pause()
        assert not app.state.landscape
        assert "training loss over" not in screen_text(app)


async def test_a_larger_model_gets_a_slice_marked_as_one():
    app = LossApp(setup="problem=binary_classification dataset=moons model=mlp pane=train")
    async with app.run_test(size=(120, 40)) as pilot:
        await pane_ready(pilot, app, "train")
        await pilot.press("w")
        await pilot.pause()
        await pilot.pause()
        text = screen_text(app)
        assert "a slice of the loss over" in text
        assert "A slice, not the whole surface" in " ".join(text.split())
