"""The layout at the supported sizes, the too-small message, and ASCII-only output."""

from __future__ import annotations

from rich.cells import cell_len

from losstui.core.problems import PROBLEMS
from losstui.core.settings import PANES
from losstui.tui.app import LossApp
from losstui.tui.widgets.status_bar import StatusBar
from losstui.tui.widgets.train_stats import TrainStats
from tests.app_helpers import footer_settled, pane_ready, screen_text

#: Per pane, the widgets a user needs to see, by id.
ESSENTIAL = {
    "problem": ("#chooser", "#questions"),
    "recommendation": ("#recommendation-view",),
    "train": ("#stats", "#curves", "#model-view"),
    "distributions": ("#dist-view",),
    "pq_lab": ("#pq-lab",),
    "lessons": ("#lesson-list",),
    "race": ("#race-empty",),
}


def _inside(app, selector: str) -> bool:
    region = app.query_one(selector).region
    screen = app.screen.region
    return region.area > 0 and screen.contains_region(region)


#: The sizes the layout is checked at: the minimum, the SSH default, and larger terminals.
SIZES = ((60, 20), (80, 24), (100, 30), (120, 40), (200, 60))


async def test_every_pane_shows_its_essentials_tabs_and_footer():
    # One app resized through the sizes, as a user drags a window: each pane is composed once.
    app = LossApp()
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.pause()
        app.state.step(50)
        for size in SIZES:
            await pilot.resize_terminal(*size)
            for pane in PANES:
                app.state.set_pane(pane)
                await pane_ready(pilot, app, pane)
                selectors = (*ESSENTIAL[pane], "#panes Tabs", "Footer", "#status-bar")
                for _ in range(20):  # shown and laid out a refresh or two later when loaded
                    shown = app.query_one("#panes").active == pane
                    if shown and all(_inside(app, selector) for selector in selectors):
                        break
                    await pilot.pause()
                for selector in selectors:
                    assert _inside(app, selector), f"{selector} cut off on {pane} at {size}"
                text = screen_text(app)
                if "Quit" not in text.splitlines()[-1]:  # the footer recomposes a turn later
                    assert "Quit" in await footer_settled(pilot, app)
                    text = screen_text(app)
                assert "1 Problem" in text
                assert "6 Lessons" in text
                assert "7 Race" in text  # seven tabs on one line, at 60 columns too
        # Through odd sizes, below the minimum too, it never crashes.
        app.state.set_pane("train")
        app.state.step(20)
        for size in ((40, 10), (61, 21), (100, 30), (200, 60), (121, 41), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
        assert app.is_running


async def test_below_the_minimum_size_a_centred_message_says_how_large_it_must_be():
    app = LossApp()
    async with app.run_test(size=(50, 15)) as pilot:
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "at least 60x20" in text
        assert "50x15" in text
        # Centred line by line, and nothing of the app behind it.
        rows = [row for row in screen_text(app).splitlines() if row.strip()]
        assert rows
        assert all("Quit" not in row for row in rows)
        for row in rows:
            left = len(row) - len(row.lstrip())
            right = len(row) - len(row.rstrip())
            assert abs(left - right) <= 1, row
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "1 Problem" in screen_text(app)


async def test_the_footer_names_the_palette_key_and_the_settings_show_once_there_is_room():
    app = LossApp()
    async with app.run_test(size=(60, 20)) as pilot:
        assert "palette" not in await footer_settled(pilot, app)  # no room at 60 columns
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert "^p palette" in await footer_settled(pilot, app)
        await pilot.resize_terminal(70, 24)
        await pilot.pause()
        assert "palette" not in await footer_settled(pilot, app)
        # The settings start hidden below 100 columns.
        app.state.set_pane("train")
        for width, shown in ((60, False), (99, False), (100, True), (80, False)):
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            assert app.query_one("#controls").display is shown, width
        # At 80x24 the curves and the picture are big enough to read.
        for selector in ("#curves", "#model-view"):
            region = app.query_one(selector).region
            assert region.width >= 60
            assert region.height >= 7


async def test_ascii_mode_writes_only_ascii():
    app = LossApp(ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.state.step(60)
        for size in ((80, 24), (120, 40)):
            await pilot.resize_terminal(*size)
            for pane in PANES:
                app.state.set_pane(pane)
                await pilot.pause()
                text = screen_text(app)
                bad = sorted({c for c in text if not c.isascii()})
                assert not bad, f"non-ASCII {bad} on {pane} at {size}"
        await pilot.press("question_mark")
        await pilot.pause()
        assert screen_text(app).isascii()


async def test_status_and_stats_lines_never_wrap():
    """At 60 columns with the settings shown, the narrowest the stats get."""
    width = 60
    app = LossApp()
    async with app.run_test(size=(width, 20)) as pilot:
        await pilot.pause()
        app.state.set_pane("train")
        await pilot.press("c", "escape")  # the settings shown: the stats at their narrowest
        for problem in PROBLEMS:
            app.state.set_problem(problem)
            app.state.play()
            await pilot.pause()
            stats = app.query_one(TrainStats)
            rows = screen_text(app).splitlines()
            status = app.query_one(StatusBar).line(width)
            assert rows[0].strip() == status.strip(), problem  # one row, whole
            assert cell_len(status) <= width
            first = stats.lines(stats.size.width)[0].plain
            assert cell_len(first) <= stats.size.width, problem
            assert "TRAINING" in first, problem
            app.state.pause()


async def test_at_60x20_the_loss_plot_keeps_five_rows():
    app = LossApp(problem="count_regression")  # a negative loss adds a note to the stats
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        app.state.set_pane("train")
        app.state.step(300)
        await pilot.pause()
        assert app.query_one("#curves").region.height >= 5
        await pilot.press("c")  # the settings shown take less than half the width
        await pilot.pause()
        assert app.query_one("#controls").region.width < 30
        app.state.set_problem("binary_classification")
        app.state.set_lr(1e6)  # the divergence message takes three more lines
        app.state.step(50)
        assert app.state.trainer.diverged
        await pilot.pause()
        assert app.query_one("#curves").region.height >= 5
