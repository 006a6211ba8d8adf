"""The app stays thin, and every action in the table reaches the keys, the help and the palette
it says it does."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.actions import parse

from losstui.tui.actions import ACTIONS, BY_NAME, Action, key_text
from losstui.tui.app import LossApp
from losstui.tui.palette import commands
from losstui.tui.screens.help_screen import help_sections
from losstui.tui.screens.main_screen import MainScreen

APP_MODULE = Path(__file__).parents[1] / "losstui" / "tui" / "app.py"


def test_the_app_module_stays_under_300_lines():
    lines = APP_MODULE.read_text(encoding="utf-8").count("\n")
    assert lines < 300, f"losstui/tui/app.py has {lines} lines: move the new work out of LossApp"


def _bound(entry: Action) -> list[tuple[str, str]]:
    """(key list, action) of the bindings where the table puts `entry`."""
    owner = LossApp if entry.scope == "app" else MainScreen
    return [(b.key, b.action) for b in owner.BINDINGS if b.action == entry.action]


@pytest.mark.parametrize("entry", ACTIONS, ids=lambda a: a.action)
def test_each_action_is_bound_where_the_table_says(entry: Action):
    keys = [k for k in (entry.keys, entry.more_keys) if k]
    assert sorted(_bound(entry)) == sorted((k, entry.action) for k in keys)
    # and nowhere else: a key bound twice would answer from whichever namespace comes first
    other = MainScreen if entry.scope == "app" else LossApp
    assert not [b for b in other.BINDINGS if b.action == entry.action]


@pytest.mark.parametrize("entry", ACTIONS, ids=lambda a: a.action)
def test_each_action_has_a_method_where_it_is_bound(entry: Action):
    owner = LossApp if entry.scope == "app" else MainScreen
    _, name, _ = parse(entry.action)
    assert callable(getattr(owner, f"action_{name}", None)), entry.action
    if entry.palette is not None and entry.palette.action is not None:
        assert callable(getattr(owner, f"action_{entry.palette.action}", None))


def _help_rows() -> list[tuple[str, str]]:
    return [row for _, rows in help_sections() for row in rows]


@pytest.mark.parametrize("entry", [a for a in ACTIONS if a.group], ids=lambda a: a.action)
def test_each_action_with_a_help_group_has_a_help_line(entry: Action):
    rows = _help_rows()
    first_key = key_text(entry.keys.split(",")[0])
    if entry.group == "panes":  # one row for all six: "1 2 3 4 5 6  panes: ..."
        assert any(first_key in keys.split() and what.startswith("panes:") for keys, what in rows)
    else:
        assert any(first_key in keys and what == entry.help for keys, what in rows), entry.action


def test_an_action_without_a_help_group_has_no_help_line_of_its_own():
    listed = {what for _, what in _help_rows()}
    for entry in ACTIONS:
        if entry.group is None and entry.help:
            assert entry.help not in listed, entry.action


async def test_each_palette_entry_of_the_table_is_in_the_palette():
    app = LossApp()
    async with app.run_test(size=(80, 24)):
        offered = {(c.title, c.help) for c in commands(app, app.screen)}
        for entry in ACTIONS:
            if entry.palette is not None:
                assert (entry.palette.title, entry.palette_what()) in offered, entry.action
        titles = [c.title for c in commands(app, app.screen)]
        assert len(titles) == len(set(titles)), "two palette commands share a title"


def test_each_action_is_named_once():
    names = [a.action for a in ACTIONS]
    assert len(names) == len(set(names))
    assert all(BY_NAME[a.name].name == a.name for a in ACTIONS)


def test_every_footer_key_has_a_label():
    for entry in ACTIONS:
        if entry.show:
            assert entry.label, entry.action
            assert entry.keys, entry.action
