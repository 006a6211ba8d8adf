"""The layout at the supported sizes, the too-small message, and ASCII-only output."""

from __future__ import annotations

import pytest

from losstui.tui.app import LossApp
from losstui.tui.state import PANES
from tests.app_helpers import screen_text

#: Per pane, the widgets a user needs to see, by id.
ESSENTIAL = {
    "problem": ("#chooser", "#questions"),
    "recommendation": ("#recommendation-view",),
    "train": ("#stats", "#curves", "#model-view"),
    "distributions": ("#dist-view",),
    "pq_lab": ("#pq-lab",),
}


def _inside(app, selector: str) -> bool:
    region = app.query_one(selector).region
    screen = app.screen.region
    return region.area > 0 and screen.contains_region(region)


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40), (200, 60)])
async def test_every_pane_shows_its_essentials_tabs_and_footer(size):
    app = LossApp()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.state.step(50)
        for pane in PANES:
            app.state.set_pane(pane)
            await pilot.pause()
            for selector in (*ESSENTIAL[pane], "#panes Tabs", "Footer", "#status-bar"):
                assert _inside(app, selector), f"{selector} cut off on {pane} at {size}"
            text = screen_text(app)
            assert "1 Problem" in text and "5 P/Q lab" in text  # every tab title fits
            assert "Quit" in text.splitlines()[-1]


async def test_train_pane_at_80x24_shows_curves_and_picture_big_enough_to_read():
    app = LossApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.state.set_pane("train")
        await pilot.pause()
        for selector in ("#curves", "#model-view"):
            region = app.query_one(selector).region
            assert region.width >= 60 and region.height >= 7


async def test_below_the_minimum_size_it_says_how_large_the_terminal_must_be():
    app = LossApp()
    async with app.run_test(size=(50, 15)) as pilot:
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "at least 60x20" in text and "50x15" in text
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "1 Problem" in screen_text(app)


async def test_resizing_through_many_sizes_never_crashes():
    app = LossApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.state.set_pane("train")
        app.state.step(20)
        for size in ((40, 10), (61, 21), (100, 30), (200, 60), (121, 41), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
        assert app.is_running


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_ascii_mode_writes_only_ascii(size):
    app = LossApp(ascii=True)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.state.step(60)
        for pane in PANES:
            app.state.set_pane(pane)
            await pilot.pause()
            text = screen_text(app)
            bad = sorted({c for c in text if not c.isascii()})
            assert not bad, f"non-ASCII {bad} on {pane}"
        await pilot.press("question_mark")
        await pilot.pause()
        assert screen_text(app).isascii()
