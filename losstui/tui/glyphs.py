"""Provides the character sets the app draws with, in Unicode and in plain ASCII."""

from __future__ import annotations

import locale
import os
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from losstui.core.text import ASCII_WORDS, to_ascii

#: A run of backticks: a code span opens with one and closes with the next of the same length.
_TICKS = re.compile(r"`+")


@dataclass(frozen=True)
class Glyphs:
    """Characters for bars, shading and markers; `ascii` sets stay within 7-bit ASCII.

    `shades` runs from empty to full, so a value v in [0, 1] is drawn as
    shades[round(v · (len(shades) − 1))].
    """

    name: str
    bar_full: str
    bar_partial: tuple[str, ...]  # eighths of a cell, empty first, for fractional bar ends
    bar_empty: str
    shades: tuple[str, ...]
    point: str
    marker: str
    arrow_right: str
    bullet: str
    plot_marker: str  # plotext marker: "braille" draws 2x4 dots per cell; one ASCII char is safe
    plot_marker_alt: str = "dot"  # a second series' marker, so series differ by shape, not colour
    point_marker: str = "dot"  # scattered data points in plots
    #: Fill patterns telling decision regions apart without colour: class k uses patterns[k].
    region_patterns: tuple[str, ...] = ("·", "░", "▒", "▓", "+", "x", "=", "~")
    #: Box-drawing characters that plotext draws frames and ticks with, mapped to ASCII.
    box_to_ascii: dict[int, str] | None = None
    #: The training state's signs: paused, training, fast-forward. The pause sign is two left
    #: half blocks, not ⏸: the browser (`losstui serve`) shows ⏸ as an empty box, since its
    #: web font (Roboto Mono) lacks it, while xterm.js draws block elements itself.
    pause: str = "||"
    play: str = ">"
    fast: str = ">>"

    def text(self, text: str) -> str:
        """`text` as this set can show it: unchanged in Unicode, spelled out in ASCII."""
        return to_ascii(text) if self.name == "ascii" else text

    def markdown(self, text: str) -> str:
        """Markdown `text` as this set can show it: as `text` does, with what the ASCII
        spelling adds to the prose escaped, so that w·x reads "w*x" and does not open an
        emphasis (code, which Markdown shows as it is, is spelled unescaped)."""
        return _spell_markdown(text) if self.name == "ascii" else text

    def bar(self, fraction: float, width: int, *, show_any: bool = False) -> str:
        """A bar `width` cells wide, filled to `fraction` ∈ [0, 1], padded with `bar_empty`.
        `show_any`: a fraction above 0 fills at least the smallest mark this glyph set draws
        (ASCII has only whole and half cells), so a count of 1 never reads as an empty bin."""
        fraction = min(max(fraction, 0.0), 1.0)
        eighths = round(fraction * width * 8)
        full, rest = divmod(eighths, 8)
        parts = self.bar_full * full
        if full < width and rest:
            steps = len(self.bar_partial) - 1
            parts += self.bar_partial[round(rest * steps / 8)] or self.bar_empty
        if show_any and fraction > 0 and width > 0 and not parts.strip(self.bar_empty):
            parts = next((p for p in self.bar_partial if p), self.bar_full)
        return (parts + self.bar_empty * width)[:width]


UNICODE = Glyphs(
    name="unicode",
    bar_full="█",
    bar_partial=("", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"),
    bar_empty=" ",
    shades=(" ", "░", "▒", "▓"),
    point="●",
    marker="▲",
    arrow_right="→",
    bullet="•",
    plot_marker="braille",
    plot_marker_alt="dot",
    point_marker="·",
    pause="▌▌",
    play="▶",
    fast="▶▶",
)

ASCII = Glyphs(
    name="ascii",
    bar_full="#",
    bar_partial=("", "", "#"),
    bar_empty=".",
    shades=(" ", ".", ":", "%"),
    point="o",
    marker="^",
    arrow_right="->",
    bullet="*",
    plot_marker="*",
    # Not "+": the ASCII frame draws its ticks with "+", and a series must not look like them.
    plot_marker_alt="o",
    point_marker=".",
    region_patterns=(".", ":", "=", "%", "+", "x", "~", "-"),
    box_to_ascii=str.maketrans(
        {
            "┌": "+",
            "┐": "+",
            "└": "+",
            "┘": "+",
            "─": "-",
            "│": "|",
            "┤": "+",
            "├": "+",
            "┬": "+",
            "┴": "+",
            "┼": "+",
            "•": "o",
            "·": ".",
            "█": "#",
            "▄": "_",
            "▀": "-",
        }
    ),
)


_COERCED = ("C.UTF-8", "C.utf8", "UTF-8")
"""The values Python's C-locale coercion (PEP 538) gives LC_CTYPE."""


class UsesGlyphs:
    """Mixin for a widget that draws with a character set: the app sets `glyphs` after mount
    (ASCII in --ascii mode), and the widget redraws in `_glyphs_changed`."""

    _glyphs: Glyphs = UNICODE

    @property
    def glyphs(self) -> Glyphs:
        """The character set drawn with."""
        return self._glyphs

    @glyphs.setter
    def glyphs(self, glyphs: Glyphs) -> None:
        if glyphs is not self._glyphs:
            self._glyphs = glyphs
            self._glyphs_changed()

    def _glyphs_changed(self) -> None:
        """Redraw in the new character set."""


def locale_is_utf8(environ: dict[str, str] | None = None) -> bool:
    """True when the terminal's locale and stdout can carry UTF-8.

    The locale variables decide in the order the C library reads them (LC_ALL, LC_CTYPE, LANG);
    with none set, fall back to what Python chose for stdout.
    """
    env = os.environ if environ is None else environ
    names = ["LC_ALL", "LC_CTYPE", "LANG"]
    if not env.get("LC_ALL") and env.get("LC_CTYPE") in _COERCED and env.get("LANG"):
        # Python itself sets LC_CTYPE=C.UTF-8 when it starts in the C locale (PEP 538): the
        # terminal's own setting is then the LANG the user gave, e.g. LANG=C over SSH.
        names.remove("LC_CTYPE")
    for var in names:
        value = env.get(var)
        if value:
            return "utf-8" in value.lower() or "utf8" in value.lower()
    encoding = getattr(sys.stdout, "encoding", None) or locale.getpreferredencoding(False)
    return encoding.lower().replace("-", "") == "utf8"


def choose_glyphs(force_ascii: bool = False, environ: dict[str, str] | None = None) -> Glyphs:
    """ASCII when asked for or when the locale is not UTF-8, else Unicode."""
    if force_ascii or not locale_is_utf8(environ):
        return ASCII
    return UNICODE


def ascii_cell(ch: str) -> str:
    """One ASCII character standing in for the one-cell character `ch` (box, block, braille…)."""
    if ch.isascii():
        return ch
    if len(ASCII_WORDS.get(ch, "")) == 1:
        return ASCII_WORDS[ch]
    name = unicodedata.name(ch, "")
    for drawn, cell in _DRAWN_CELLS:
        if drawn(name):
            return cell(ch, name)
    return _letter_cell(ch, name)


def _braille_cell(ch: str, name: str) -> str:
    return " " if ch == "\u2800" else "."


def _box_cell(ch: str, name: str) -> str:
    if "VERTICAL" in name and "HORIZONTAL" not in name:
        return "|"
    if "HORIZONTAL" in name and "VERTICAL" not in name:
        return "-"
    return "+"


def _shade_cell(ch: str, name: str) -> str:
    return {"LIGHT SHADE": ".", "MEDIUM SHADE": ":", "DARK SHADE": "%"}.get(name, "#")


def _block_cell(ch: str, name: str) -> str:
    """Textual draws rules, the palette's frame and scrollbar ends with thin partial blocks: as
    "#" they read as solid bars, so thin horizontal ones become "-", thin vertical "|"."""
    if "FULL" in name or "QUADRANT" in name:
        return "#"
    if name.startswith(("UPPER", "LOWER")):
        return "-"
    if name.startswith(("LEFT", "RIGHT")) and ("EIGHTH" in name or "QUARTER" in name):
        return "|" if name.split()[1] == "ONE" else "#"
    return "#"


def _search_icon_cell(ch: str, name: str) -> str:
    return ">"  # the command palette's search icon


#: The characters drawn with (told apart by their Unicode names), each kind with its cell; the
#: first whose test holds decides.
_DRAWN_CELLS: tuple[tuple[Callable[[str], bool], Callable[[str, str], str]], ...] = (
    (lambda name: name.startswith("BRAILLE"), _braille_cell),
    (lambda name: name.startswith("BOX DRAWINGS"), _box_cell),
    (lambda name: "SHADE" in name, _shade_cell),
    (lambda name: "BLOCK" in name or "QUADRANT" in name, _block_cell),
    (lambda name: "MAGNIFYING" in name, _search_icon_cell),
)


def _letter_cell(ch: str, name: str) -> str:
    """Any other character: its ASCII base (é → e), else the letter its name spells out
    (LATIN LETTER SMALL CAPITAL F → f), else its name's last word's initial (GREEK SMALL
    LETTER LAMDA → l), else "?"."""
    plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
    if plain:
        return plain[0]
    small = "SMALL" in name
    words = name.split()
    for word in words:
        if len(word) == 1 and word.isalpha():
            return word.lower() if small else word
    if not words:
        return "?"
    return words[-1][0].lower() if small else words[-1][0]


def _spell_markdown(text: str) -> str:
    """Markdown `text` in ASCII: code blocks and code spans spelled as they are, the prose
    spelled with what the spelling adds escaped (`to_ascii(..., markdown=True)`)."""
    if text.isascii():
        return text
    from markdown_it import MarkdownIt  # Rich's Markdown reader, loaded with the lesson strip

    # Lines as markdown-it numbers them: split at "\n" alone (str.splitlines splits at more).
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    code = [False] * len(lines)
    for token in MarkdownIt().parse(text):
        if token.type in ("fence", "code_block") and token.map is not None:
            begin, end = token.map
            for i in range(begin, min(end, len(lines))):
                code[i] = True
    out: list[str] = []
    prose: list[str] = []
    for line, is_code in zip(lines, code, strict=True):
        if is_code:
            out.append(_spell_prose("".join(prose)))
            prose.clear()
            out.append(to_ascii(line))
        else:
            prose.append(line)
    out.append(_spell_prose("".join(prose)))
    return "".join(out)


def _spell_prose(text: str) -> str:
    """Prose in ASCII, its code spans spelled unescaped and the rest escaped."""
    out: list[str] = []
    at = 0  # the prose not yet spelled starts here
    search = 0
    while (opening := _TICKS.search(text, search)) is not None:
        ticks = opening.group()
        closing = next(
            (m for m in _TICKS.finditer(text, opening.end()) if m.group() == ticks), None
        )
        if closing is None:  # no closing run: the backticks are characters of the prose
            search = opening.end()
            continue
        out.append(to_ascii(text[at : opening.start()], markdown=True))
        out.append(to_ascii(text[opening.start() : closing.end()]))
        at = search = closing.end()
    out.append(to_ascii(text[at:], markdown=True))
    return "".join(out)
