"""ASCII spelling: human text reads as words, and Textual's own thin rules and icons stay clean."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.color import Color

from losstui.core.text import to_ascii
from losstui.tui.ascii_filter import AsciiFilter
from losstui.tui.glyphs import ASCII, UNICODE, ascii_cell, locale_is_utf8


def test_human_text_is_spelled_out_not_cut_to_one_character():
    assert to_ascii("a count (0, 1, 2, …)") == "a count (0, 1, 2, ...)"
    assert ASCII.text("σ = 0.3, μ̂ → ŷ") == "sigma = 0.3, mu_hat -> y_hat"
    assert UNICODE.text("σ …") == "σ …"


@pytest.mark.parametrize(
    ("char", "expected"),
    [
        ("▔", "-"),  # the command palette's top edge
        ("▁", "-"),  # its bottom edge
        ("▀", "-"),
        ("▄", "-"),
        ("▏", "|"),  # the footer's separator before ^p palette
        ("▕", "|"),
        ("█", "#"),
        ("▒", ":"),
        ("╭", "+"),
        ("─", "-"),
    ],
)
def test_thin_blocks_become_rules_not_solid_bars(char, expected):
    assert ascii_cell(char) == expected


def test_filter_keeps_cell_widths_and_shows_the_palette_clean():
    line = [
        Segment(" "),
        Segment("🔎", Style(bold=True)),  # two cells wide
        Segment(" Search for commands…", Style(dim=True)),
        Segment("   "),
        Segment("▔▔▔▔"),
    ]
    out = AsciiFilter().apply(line, Color(0, 0, 0))
    text = "".join(seg.text for seg in out)
    assert text == " >  Search for commands... ----"
    assert text.isascii()
    assert sum(len(seg.text) for seg in out) == 1 + 2 + 21 + 3 + 4


def test_an_ellipsis_without_room_is_one_dot():
    out = AsciiFilter().apply([Segment("wait…"), Segment("x")], Color(0, 0, 0))
    assert "".join(seg.text for seg in out) == "wait.x"


@pytest.mark.parametrize(
    ("environ", "utf8"),
    [
        ({"LANG": "en_GB.UTF-8"}, True),
        ({"LANG": "C"}, False),
        # Python coerces a C locale to LC_CTYPE=C.UTF-8 in its own environment (PEP 538): the
        # terminal is still the one LANG=C describes.
        ({"LANG": "C", "LC_CTYPE": "C.UTF-8"}, False),
        ({"LANG": "en_US.UTF-8", "LC_CTYPE": "C.UTF-8"}, True),
        ({"LC_ALL": "C", "LANG": "en_US.UTF-8"}, False),
        ({"LC_ALL": "C.UTF-8", "LANG": "C"}, True),
    ],
)
def test_locale_decides_unicode_or_ascii(environ, utf8):
    assert locale_is_utf8(environ) is utf8


def test_a_lessons_markdown_in_ascii_reads_as_spelled_code_as_it_is():
    from rich.console import Console
    from rich.markdown import Markdown

    prose = (
        "Here **ŷ** = w·x + b; θ ← θ − η·∇L, with `ŷ = w·x` in code, and Σᵢ yᵢ.\n\n"
        "```\nσ·x in a fence\n```\n\n    σ·x indented\n\nA `` ` `` tick, then μ·ν."
    )
    spelled = ASCII.markdown(prose)
    assert spelled.isascii()
    assert UNICODE.markdown(prose) == prose
    console = Console(width=200, color_system=None)
    with console.capture() as shown:
        console.print(Markdown(spelled))
    # What a student reads: the spelling with its * and _ as characters, in the prose and in
    # code alike; the bold and the code still markup.
    assert " ".join(shown.get().split()) == (
        "Here y_hat = w*x + b; theta <- theta - eta*grad L, with y_hat = w*x in code, "
        "and sum_i y_i. sigma*x in a fence sigma*x indented A ` tick, then mu*nu."
    )


def test_a_lesson_with_odd_line_breaks_still_spells():
    # markdown-it numbers lines at "\n" alone; form feeds and Unicode line separators are text.
    text = "a σ·x\x0cb\u2028c\r\n\r\n    σ·x indented\r\n"
    spelled = ASCII.markdown(text)
    assert spelled.isascii()
    assert spelled.startswith(r"a sigma\*x")
    assert "    sigma*x indented" in spelled


@pytest.mark.parametrize("glyphs", [UNICODE, ASCII])
def test_a_histogram_bar_of_one_in_many_still_shows(glyphs):
    # In ASCII a bin of 1 beside a bin of 40 drew only dots, the same as an empty bin.
    assert glyphs.bar(1 / 40, 8, show_any=True)[0] != glyphs.bar_empty
    assert glyphs.bar(1 / 200, 8, show_any=True)[0] != glyphs.bar_empty
    assert glyphs.bar(0.0, 8, show_any=True) == glyphs.bar_empty * 8
    assert ASCII.bar(1 / 40, 8) == ASCII.bar_empty * 8  # without it: as before


def test_the_training_signs_are_drawn_by_the_browsers_terminal_itself():
    # `losstui serve` shows the app in xterm.js with the Roboto Mono web font, which has no
    # ⏸ (an empty box). xterm.js draws box drawing and block elements (U+2500-U+259F) itself.
    assert all(c.isascii() or 0x2500 <= ord(c) <= 0x259F for c in UNICODE.pause)
    assert "⏸" not in UNICODE.pause
    assert ASCII.pause.isascii()
    assert ASCII.play.isascii()


async def test_paused_reads_with_a_sign_the_browser_can_show():
    from losstui.tui.app import LossApp
    from tests.app_helpers import pane_ready, screen_text

    app = LossApp(problem="regression")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pane_ready(pilot, app, "train")
        text = screen_text(app)
        assert "▌▌ PAUSED" in text
        assert "⏸" not in text
