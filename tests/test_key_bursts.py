"""Keys that arrive in one burst (a slow SSH link, a pasted string) never crash the app."""

from __future__ import annotations

import os
import random
import unicodedata

import pytest
from textual import events
from textual.app import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.command import CommandPalette
from textual.widgets import LoadingIndicator

from losstui.core.settings import PANES
from losstui.tui.app import LossApp

#: Every key the app or its dialogs act on, and a few letters that only get typed.
KEYS = (
    *"123456",
    *"nsrlugcdhextf<>?+-=jkab",
    "space",
    "f1",
    "escape",
    "enter",
    "tab",
    "shift+tab",
    "up",
    "down",
    "left",
    "right",
    "pageup",
    "pagedown",
    "home",
    "end",
    "backspace",
    "ctrl+p",
)

#: The bursts that crashed the app through Textual's command palette.
ADVERSARIAL = (
    ("ctrl+p", "pagedown"),
    ("ctrl+p", "pageup"),
    ("ctrl+p", "down", "enter", "enter"),
    ("ctrl+p", "enter", "enter", "enter"),
    ("5", "ctrl+p"),
    ("?",),
    ("ctrl+p",),
    ("ctrl+p", "?", "ctrl+p", "f1", "ctrl+p"),
    ("d", "enter", "enter", "ctrl+p", "pagedown", "enter"),
    ("ctrl+p", "escape", "escape", "ctrl+p", "escape"),
)

#: Bursts that crashed the app through its own dialogs and lists: the presets dialog dismissed
#: twice, the lessons list paged before it was laid out, a lesson's strip taken down before it
#: had focused its question, the question path answering a question it had moved past (both
#: found by benchmarks/key_bursts.py).
OWN = (
    ("tab", "enter", "enter"),
    ("tab", "enter", "enter", "enter", "enter"),
    ("6", "enter", "enter", "x"),
    ("6", "enter", "x", "6", "enter"),
    ("d", "enter", "enter"),
    ("d", "escape", "escape"),
    ("d", "enter", "d", "enter", "enter"),
    ("6", "pageup"),
    ("6", "pagedown"),
    ("6", "pagedown", "pageup", "pagedown"),
    ("?", "escape", "escape"),
)


@pytest.fixture(autouse=True)
def _in_a_scratch_directory(tmp_path, monkeypatch):
    """The palette's Screenshot may be among the keys: it saves in the working directory."""
    monkeypatch.chdir(tmp_path)


def burst(app: LossApp, keys: tuple[str, ...]) -> None:
    """Queue every key at once, as a terminal delivers a burst: no turn of the event loop in
    between (Pilot's own press() lets the app settle after each key)."""
    assert app._driver is not None
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


def assert_alive_and_valid(app: LossApp) -> None:
    assert app._exception is None, repr(app._exception)
    assert app.is_running
    stack = app.screen_stack
    assert stack[0] is app.main_screen
    assert sum(isinstance(screen, CommandPalette) for screen in stack) <= 1
    assert len({id(screen) for screen in stack}) == len(stack)
    assert app.state.pane in PANES


async def settle(pilot) -> None:
    """Let the app handle the burst and what it queued in turn (Pilot's idle wait would cost
    up to a second a burst, most of it while training runs)."""
    for _ in range(3):
        await pilot._wait_for_screen()
    pilot.app.state.pause()


async def back_to_main(app: LossApp, pilot) -> None:
    """Close every dialog and stop training, so the next burst starts from the main screen."""
    while len(app.screen_stack) > 1:
        await app.pop_screen()
    app.main_screen.focus_pane()


async def test_the_command_palette_bursts_that_crashed_textual_are_survived():
    app = LossApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        for keys in ADVERSARIAL:
            burst(app, keys)
            await settle(pilot)
            await pilot.pause()  # the palette's search runs on; let it finish
            assert_alive_and_valid(app)


async def test_a_palette_search_still_busy_when_it_closes_is_survived():
    """A search slower than the palette's half-second busy countdown, in a burst that also
    closes the palette: the busy indicator is switched after the palette's parts are gone
    (found by benchmarks/key_bursts.py in the real app: `NoMatches: LoadingIndicator`)."""
    app = LossApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, ("ctrl+p", *"go"))
        await settle(pilot)
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        # The countdown fires while the palette is being taken down, its parts first.
        await palette.query_one(LoadingIndicator).remove()
        palette._show_busy = True
        await settle(pilot)
        palette.dismiss()
        await settle(pilot)
        await pilot.pause()
        assert_alive_and_valid(app)
        assert app.screen is app.main_screen
    assert app._exception is None, repr(app._exception)


async def test_two_enters_in_one_burst_run_the_palettes_command_and_close_it():
    app = LossApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, ("ctrl+p", *"go to p/q"))
        await settle(pilot)
        await pilot.pause()  # the search finishes
        burst(app, ("down", "enter", "enter"))
        await settle(pilot)
        await pilot.pause()
        assert_alive_and_valid(app)
        assert app.screen is app.main_screen
        assert app.state.pane == "pq_lab"


async def test_a_dialog_closed_twice_in_one_burst_leaves_the_main_screen_in_place():
    """`d Enter Enter` typed fast applies the first preset once and closes the dialog once;
    `6 PageUp` shows the lessons list and pages it, whatever the order the keys land in."""
    app = LossApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        for keys in OWN:
            burst(app, keys)
            await settle(pilot)
            assert_alive_and_valid(app)
            await back_to_main(app, pilot)
        burst(app, ("d", "enter", "enter"))
        await settle(pilot)
        await pilot.pause()  # the dialog's pop, queued behind the dropped Enter
        assert app.screen is app.main_screen
        assert app.state.setup_line() != LossApp(seed=0).state.setup_line()  # a preset applied
        burst(app, ("6", "pagedown"))
        await settle(pilot)
        assert app.state.pane == "lessons"
        listing = app.main_screen.query_one("#lesson-list")
        assert listing.highlighted == listing.option_count - 1
    assert app._exception is None, repr(app._exception)


#: Bursts per run and size: a handful keeps the suite quick; every run draws fresh ones, and
#: `benchmarks/key_bursts.py` runs hundreds in the real app. `LOSSTUI_KEY_BURSTS=500` runs more
#: here; `LOSSTUI_KEY_BURST_SEED=N` replays the seed a failure printed.
BURSTS = int(os.environ.get("LOSSTUI_KEY_BURSTS", "8"))


def fresh_seed() -> int:
    """The seed of this run's bursts: the one asked for, or a new one each run."""
    asked = os.environ.get("LOSSTUI_KEY_BURST_SEED")
    return int(asked) if asked else random.SystemRandom().randrange(2**32)


async def test_random_key_bursts_never_crash_the_app():
    """Random bursts of 2 to 8 keys, each from the main screen, with a fresh seed each run, on
    the smallest terminals the app is made for (80x24, then resized to 60x20); a failure names
    the seed, the size and the burst."""
    seed = fresh_seed()
    rng = random.Random(seed)
    app = LossApp(seed=0)
    keys: tuple[str, ...] = ()
    size = (80, 24)
    replay = f"LOSSTUI_KEY_BURST_SEED={seed}"
    try:
        async with app.run_test(size=size) as pilot:
            for size in ((80, 24), (60, 20)):
                await pilot.resize_terminal(*size)
                for _ in range(BURSTS):
                    keys = tuple(rng.choice(KEYS) for _ in range(rng.randint(2, 8)))
                    burst(app, keys)
                    await settle(pilot)
                    assert_alive_and_valid(app)
                    await back_to_main(app, pilot)
    except Exception as error:
        raise AssertionError(f"{replay} at {size}: the burst {keys} ended on {error!r}") from error
    # Keys left over as it shut down too.
    assert app._exception is None, f"{replay}: {app._exception!r}"


async def test_a_lesson_chosen_as_the_app_closes_does_not_crash_it():
    """`6 Enter` then `q` in one burst: the lesson's strip is mounted while the app takes its
    screen down (`NoMatches: #lesson-slot`, `MountError` in the real app): nothing to mount."""
    from losstui.lessons.files import builtin_paths

    app = LossApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.main_screen.query_one("#lesson-slot").remove()  # the screen going, in part
        await app.open_lesson(str(builtin_paths()[0]))
        await pilot.pause()
    assert app._exception is None, repr(app._exception)


async def test_a_settings_drop_down_paged_before_it_opens_does_not_crash_the_app():
    """A setting's drop-down has no size until it opens: PageUp reaching it in the same burst
    as the key that opened it raised `KeyError: 0` (found by benchmarks/key_bursts.py)."""
    from textual.widgets._select import SelectOverlay

    app = LossApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, ("3", "c"))
        await settle(pilot)
        overlay = app.main_screen.query(SelectOverlay).first()
        assert not overlay.scrollable_content_region  # closed: not laid out
        overlay.action_page_up()
        overlay.action_page_down()
        assert overlay.highlighted == overlay.option_count - 1
    assert app._exception is None, repr(app._exception)


async def test_a_pane_shown_as_the_app_closes_does_not_crash_it():
    """A pane's key and `q` in one burst: the pane is composed into a tab the closing app has
    already taken down (`MountError` on the TabPane, found by benchmarks/key_bursts.py)."""
    app = LossApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        tabs = app.main_screen.query_one("#panes")
        await tabs.get_pane("recommendation").remove()  # the screen going, in part
        app.main_screen.compose_pane("recommendation")  # as the pane's key asks
        await pilot.pause()
    assert app._exception is None, repr(app._exception)
