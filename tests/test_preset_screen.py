"""The presets dialog: which preset enter applies shows in characters, not only in colour."""

from __future__ import annotations

import pytest

from losstui.core.presets import PRESETS
from losstui.tui.app import LossApp
from losstui.tui.screens.preset_screen import PresetScreen
from tests.app_helpers import notified, screen_text


def dialog_rows(app: LossApp) -> list[str]:
    """The rows of the presets list as the terminal shows them, the border cut off."""
    region = app.screen.query_one("#preset-list").content_region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return [row[region.x : region.right] for row in rows]


def marked(app: LossApp) -> list[str]:
    """The rows that carry the "> " cursor mark."""
    return [row for row in dialog_rows(app) if row.startswith("> ")]


@pytest.mark.parametrize("ascii", [False, True], ids=["unicode", "ascii"])
async def test_the_highlighted_preset_is_marked_and_the_mark_moves_with_down(ascii):
    app = LossApp(problem="binary_classification", ascii=ascii)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, PresetScreen)
        # Binary classification's presets come first, the first of them under the cursor; one
        # row is marked (a title that wraps carries the mark on its first row only).
        assert [row.split(":")[0] for row in marked(app)] == ["> Saturated start"]
        await pilot.press("down")
        await pilot.pause()
        assert [row.split(":")[0] for row in marked(app)] == ["> Far cluster"]
        await pilot.press("enter")
        await pilot.pause()
        # The marked preset is the one enter applied: its title heads the notification.
        assert not isinstance(app.screen, PresetScreen)
        assert (await notified(pilot, app))[-1] == PRESETS["far_cluster"].title


async def test_titles_start_at_the_mark_and_their_text_is_indented_under_them():
    # Without colour, and with the highlighted option bold throughout, the indent is what tells
    # a title from its claim: only titles (and their wrapped lines) start before column 4.
    app = LossApp(problem="binary_classification", ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        rows = [row.rstrip() for row in dialog_rows(app)]
        title = rows.index(next(row for row in rows if "Saturated start" in row))
        assert rows[title].startswith("> Saturated start")
        claim = next(row for row in rows if "The initial weights" in row)
        assert claim.startswith("    The initial weights")  # the mark's gutter, then two more
        assert any(row.startswith("    Then compare: loss=") for row in rows)
        assert any(row.startswith("  Far cluster") for row in rows)  # unmarked: no "> "
