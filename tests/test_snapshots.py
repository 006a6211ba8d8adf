"""Snapshot tests: the panes at 80x24 and 120x40 with a fixed seed and paused timers."""

from __future__ import annotations

import pytest

from losstui.tui.app import LossApp

STEPS = 200
"""Trained by calling the state directly, so the picture is the same on every machine."""


def _at(pane: str, steps: int = STEPS):
    async def run_before(pilot) -> None:
        await pilot.pause()
        app = pilot.app
        app.state.step(steps)
        app.state.set_pane(pane)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("pane", ["problem", "train"])
def test_pane_snapshot(snap_compare, pane, size):
    assert snap_compare(LossApp(seed=0), terminal_size=size, run_before=_at(pane))


def test_recommendation_snapshot(snap_compare):
    app = LossApp(problem="multiclass_classification", seed=0)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_at("recommendation", 0))


def test_ascii_train_snapshot(snap_compare):
    assert snap_compare(
        LossApp(ascii=True, seed=0), terminal_size=(80, 24), run_before=_at("train")
    )
