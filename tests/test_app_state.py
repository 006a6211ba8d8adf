"""The app renders its state: a restored snapshot gives the same screen; lessons' locks show."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select

from losstui.core.settings import PANES
from losstui.tui.app import LossApp
from tests.app_helpers import footer_settled, pane_ready, screen_text

SETUP = "problem=multiclass_classification dataset=spiral3 model=mlp hidden=32 lr=0.1 units=nats"


async def test_a_snapshot_restored_into_a_fresh_app_gives_the_same_screen():
    # One app gives a snapshot and its screen on each of three panes; each is restored into a
    # fresh app of its own.
    shown = {}
    first = LossApp()
    async with first.run_test(size=(80, 24)) as pilot:
        first.state.apply_setup_line(SETUP)
        first.state.apply({"example": 7, "p": "0.2,0.3,0.5", "q": "0.6,0.2,0.2"})
        first.state.step(120)
        for pane in ("train", "distributions", "pq_lab"):
            first.state.set_pane(pane)
            await pane_ready(pilot, first, pane)
            await footer_settled(pilot, first)
            shown[pane] = (first.state.snapshot(), screen_text(first))
    for pane, (snapshot, expected) in shown.items():
        second = LossApp()
        async with second.run_test(size=(80, 24)) as pilot:
            second.state.restore(snapshot)
            await pane_ready(pilot, second, pane)
            await footer_settled(pilot, second)
            assert screen_text(second) == expected, pane


@pytest.mark.parametrize("pane", PANES)
async def test_a_pane_chosen_before_the_first_refresh_sticks(pane):
    app = LossApp()
    app.state.set_pane(pane)  # as a lesson or a shared setup does before the app starts
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.state.pane == pane
        assert app.query_one("#panes").active == pane


async def test_a_pane_chosen_while_the_app_starts_sticks():
    app = LossApp()
    async with app.run_test(size=(100, 30)) as pilot:
        app.state.set_pane("pq_lab")  # before the first refresh has drawn the tab row
        await pilot.pause()
        await pilot.pause()
        assert app.state.pane == "pq_lab"
        assert app.query_one("#panes").active == "pq_lab"


async def test_locked_settings_are_greyed_and_hidden_ones_are_gone():
    app = LossApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.state.set_pane("train")
        app.state.lock("lr")
        app.state.hide("loss", "regenerate")
        await pilot.pause()
        assert app.query_one("#field-lr", Input).disabled
        assert not app.query_one("#field-momentum", Input).disabled
        assert not app.query_one("#field-loss", Select).display
        assert not app.query_one("#label-loss").display
        assert not app.query_one("#regenerate").display
        app.state.unlock()
        app.state.show()
        await pilot.pause()
        assert not app.query_one("#field-lr", Input).disabled
        assert app.query_one("#field-loss", Select).display


async def test_a_locked_action_is_refused_and_a_locked_p_leaves_q_editable_in_the_lab():
    app = LossApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.state.set_pane("train")
        app.state.lock("play")
        await pilot.pause()
        assert app.main_screen.check_action("play", ()) is None  # shown, greyed
        await pilot.press("space")
        await pilot.pause()
        assert not app.state.running
        # A lesson that locks P leaves Q editable in the lab.
        app.state.unlock()
        app.state.set_pane("pq_lab")
        app.state.lock("p")
        await pilot.pause()
        p, q = app.state.pq_p, app.state.pq_q
        await pilot.press("right", "plus")  # edit Q: allowed
        await pilot.pause()
        assert app.state.pq_p == p
        assert app.state.pq_q != q
        await pilot.press("left", "plus")  # edit P: refused with the reason, P kept
        await pilot.pause()
        assert app.state.pq_p == p
        assert any("P: the lesson holds it" in n.message for n in app._notifications)
