"""The recommendation pane: wrapped list items hang under their text, and ASCII is spelled out."""

from __future__ import annotations

import pytest
from app_helpers import flat, screen_text
from textual.app import App, ComposeResult

from losstui.core.problems import PROBLEMS, recommend
from losstui.tui.glyphs import ASCII, UNICODE
from losstui.tui.widgets.recommendation_view import RecommendationView


class RecoApp(App):
    def __init__(self, key: str, glyphs=UNICODE) -> None:
        super().__init__()
        self.key = key
        self.glyphs = glyphs

    def compose(self) -> ComposeResult:
        yield RecommendationView(id="reco")

    def on_mount(self) -> None:
        view = self.query_one(RecommendationView)
        view.glyphs = self.glyphs
        view.show(self.key)


async def test_wrapped_alternatives_hang_under_their_text_not_the_bullet():
    app = RecoApp("binary_classification")
    async with app.run_test(size=(80, 60)) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        start = next(i for i, line in enumerate(lines) if line.strip() == "Reasonable alternatives")
        middle = next(i for i, line in enumerate(lines) if line.strip() == "Not recommended")
        end = next(i for i, line in enumerate(lines) if "See it on screen" in line)
        items = lines[start + 1 : middle] + lines[middle + 1 : end]
        text = flat("\n".join(lines))
        # hinge is a reasonable alternative, squared error is not recommended: each in its group.
        assert "Hinge" in flat("\n".join(lines[start:middle]))
        assert "Mean squared error" in flat("\n".join(lines[middle:end]))
        assert "kept as a lesson" not in text
        assert any(line.startswith(" • ") for line in items)
        for line in items:  # every line is either a bullet or indented past it
            assert line.startswith((" • ", "   ")) or not line.strip(), line


@pytest.mark.parametrize("key", list(PROBLEMS))
async def test_ascii_mode_spells_every_recommendation(key):
    app = RecoApp(key, ASCII)
    async with app.run_test(size=(80, 80)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        body = text.translate({ord(c): None for c in "▁▂▃▄▅▆▇█▔"})  # Textual's scrollbar
        assert body.isascii(), sorted({c for c in body if not c.isascii()})
        assert ASCII.text(recommend(key).loss_title) in flat(text)
