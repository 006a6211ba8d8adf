"""A fast start: only the pane on show is composed at start; every other pane is composed the
first time it is opened, and then works as if it had been there all along."""

from __future__ import annotations

from losstui.core.settings import PANES
from losstui.tui.app import LossApp
from losstui.tui.palette import commands as palette_commands
from losstui.tui.screens.main_screen import PANE_CLASSES
from tests.app_helpers import flat, screen_text, widget_text

#: Something each pane shows once composed, to see that it drew.
SHOWS = {
    "problem": "Choose your problem",
    "recommendation": "Binary cross-entropy",
    "train": "step 0",
    "distributions": "H(P",
    "pq_lab": "KL(P",
    "lessons": "Guided lessons",
    "race": "A race trains",
}


def composed(app: LossApp) -> set[str]:
    return {pane for pane in PANE_CLASSES if app.main_screen.query(f"#{pane}-pane")}


async def test_each_pane_is_composed_when_first_opened_and_then_draws_and_takes_the_keys():
    # One app opens the panes one by one: each is composed on its first opening, not before.
    app = LossApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert composed(app) == {"problem"}
        opened = {"problem"}
        for pane in (p for p in PANE_CLASSES if p != "problem"):
            assert pane not in composed(app), pane
            await pilot.press(str(PANES.index(pane) + 1))
            await pilot.pause()
            await pilot.pause()
            opened.add(pane)
            assert composed(app) == opened, pane
            assert app.state.pane == pane
            assert SHOWS[pane] in flat(screen_text(app)), pane
            # The keys go where the pane sends them, as for a pane composed at start.
            target = app.main_screen.pane(pane).focus_target()
            if target is not None and target.can_focus:
                assert app.focused is target, pane


async def test_a_pane_composed_later_trains_and_follows_the_state():
    app = LossApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.state.step(40)  # trained before the Train pane was ever opened
        await pilot.press("3")
        await pilot.pause()
        assert "step 40" in widget_text(app, "#stats")
        await pilot.press("n")
        await pilot.pause()
        assert "step 41" in widget_text(app, "#stats")
        assert "c Settings" in screen_text(app).splitlines()[-1]


async def test_a_pane_composed_later_draws_in_ascii_with_ascii():
    app = LossApp(ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("5")
        await pilot.pause()
        await pilot.pause()
        text = screen_text(app)
        assert "KL(P" in text
        assert text.isascii(), sorted({c for c in text if not c.isascii()})


async def test_choosing_a_problem_from_the_palette_before_the_problem_pane_was_opened():
    app = LossApp(preset="saturated_start")  # opens on the Train pane
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "problem" not in composed(app)
        command = next(
            c for c in palette_commands(app, app.screen) if c.title == "Problem: Regression"
        )
        command.callback()
        await pilot.pause()
        assert app.state.problem == "regression"
        assert app.state.pane == "recommendation"


async def test_the_footer_has_its_keys_on_the_first_frame():
    # The bottom row shows the keys on the first frame the app displays, not frames later
    # (Textual's own Footer waits for the screen's bindings signal, then for a refresh).
    from textual.widgets._footer import FooterKey

    first_frame: list[list[str]] = []
    app = LossApp()
    display = app._display

    def first_display(screen, renderable):
        if renderable is not None and not first_frame:
            first_frame.append([key.key for key in screen.query(FooterKey)])
        return display(screen, renderable)

    app._display = first_display  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert {"3", "question_mark", "q"} <= set(first_frame[0]), first_frame
