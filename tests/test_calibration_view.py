"""The calibration view on the Distributions pane: which classifier's probabilities can be
trusted, read at 80x24 by keys, in ASCII and without colour. The numbers are the core's
(tests/test_calibration.py)."""

from __future__ import annotations

from losstui.core.calibration import reliability
from losstui.tui.app import LossApp
from losstui.tui.widgets.calibration_view import BOTH_MARK, OBSERVED_MARK, PREDICTED_MARK, gauge
from tests.app_helpers import flat, pane_ready, screen_text


def test_a_gauge_marks_the_mean_and_the_frequency_and_one_mark_where_they_meet():
    assert gauge(0.0, 1.0, 11) == f"{PREDICTED_MARK}·········{OBSERVED_MARK}"
    assert gauge(0.52, 0.48, 11) == f"·····{BOTH_MARK}·····"
    assert gauge(0.3, 0.7, 11) == f"···{PREDICTED_MARK}···{OBSERVED_MARK}···"


async def _calibration(pilot, app: LossApp) -> str:
    await pilot.press("4")
    await pane_ready(pilot, app, "distributions")
    assert "c calibration" in flat(screen_text(app))
    await pilot.press("c")
    await pilot.pause()
    assert app.state.calibration
    return screen_text(app)


async def test_the_double_softmax_reads_as_capped_and_cross_entropy_as_trusted():
    app = LossApp(
        preset="double_softmax", setup="loss=double_softmax_cross_entropy patience=0 seed=0"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        app.state.step(800)
        text = await _calibration(pilot, app)
        result = reliability(app.state.run)
        words = flat(text)
        title = "Cross-entropy after a softmax layer (a trap)"
        assert f"Calibration of {title} on 500 examples" in words
        assert result.sentence.startswith("Under-confident")
        assert f"{result.sentence}." in words
        # No example is in a bin past the cap, 0.577: the rows above it are empty.
        rows = [line for line in text.splitlines() if line.startswith("  0.")]
        assert len(rows) == 10
        assert all(row.split()[1] == "0" for row in rows[6:])
        assert f"ECE {result.ece:.3f}" in words
        # The same setup on cross-entropy: its probabilities match the frequencies.
        app.state.set("loss", "categorical_cross_entropy")
        app.state.step(800)
        await pilot.pause()
        assert "Probabilities match frequencies within chance" in flat(screen_text(app))
        # At 120x40 the gauges widen and the ten bins stay.
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        rows = [line for line in screen_text(app).splitlines() if line.startswith("  0.")]
        assert len(rows) == 10
        # c again: the examples.
        await pilot.press("c")
        await pilot.pause()
        assert "Validation example 1 of 500" in screen_text(app)


async def test_margins_are_not_binned_as_probabilities_and_ascii_stays_ascii(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")  # the marks and words carry it all
    app = LossApp(ascii=True, preset="far_cluster", setup="loss=hinge")
    async with app.run_test(size=(80, 24)) as pilot:
        app.state.step(200)
        text = await _calibration(pilot, app)
        assert sorted({c for c in text if not c.isascii()}) == []
        assert "Margins, not probabilities: hinge loss gives no probability to check." in flat(text)
        assert "examples    mean" not in text
        # Squared error on the far cluster: outputs outside [0, 1], binned clipped, and said.
        app.state.set("loss", "mean_squared_error")
        app.state.step(500)
        await pilot.pause()
        words = flat(screen_text(app))
        assert "outside [0, 1]" in words
        assert "clipped" in words
