"""The status line says how fast training really runs, not only how fast it was asked to."""

from __future__ import annotations

from losstui.tui.app import LossApp
from losstui.tui.widgets.status_bar import StatusBar


async def test_the_status_shows_the_achieved_step_rate_not_the_asked_one():
    app = LossApp(problem="regression", seed=0)
    async with app.run_test(size=(120, 40)) as pilot:
        app.clock.ticker.pause()  # the test takes the steps, so that the rate is known
        app.state.running = True
        bar = app.main_screen.query_one(StatusBar)
        asked = app.state.speed
        bar.measure(100.0)
        app.state.trainer.step(asked // 20)  # a twentieth of the asked speed, in one second
        bar.measure(101.0)
        assert f"training {asked // 20:,}/s of {asked:,}/s" in bar.line(120)
        app.state.trainer.step(asked)
        bar.measure(102.0)
        assert f"training {asked:,}/s |" in bar.line(120)
        await pilot.pause()
