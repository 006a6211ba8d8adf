"""The lesson strip's prose: Markdown drawn in the app's theme, links with their address."""

from __future__ import annotations

from losstui.tui.widgets.lesson_text import LessonText
from tests.app_helpers import Harness


async def test_code_takes_the_themes_colours_and_a_link_shows_its_address():
    app = Harness(LessonText())
    async with app.run_test(size=(80, 10)) as pilot:
        text = app.query_one(LessonText)
        text.update("Press `space` to train; see [the notes](https://example.org/notes).")
        await pilot.pause()
        (line,) = text.lines(text.size.width)
        assert line.plain.startswith("Press space to train; see the notes")
        assert "https://example.org/notes" in line.plain  # over SSH, nothing to click
        start = line.plain.index("space")
        code = line.get_style_at_offset(app.console, start)
        expected = text.get_component_rich_style("lesson-text--code", partial=False)
        assert code.color == expected.color
        assert code.bgcolor == expected.bgcolor
        app.theme = "textual-light"  # a light theme: the same code in its own colours
        await pilot.pause()
        (line,) = text.lines(text.size.width)
        light = line.get_style_at_offset(app.console, start)
        assert (
            light.bgcolor
            == text.get_component_rich_style("lesson-text--code", partial=False).bgcolor
        )
        assert light.bgcolor != code.bgcolor
