"""Provides the character sets the app draws with, in Unicode and in plain ASCII."""

from __future__ import annotations

import locale
import os
import sys
from dataclasses import dataclass


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
    plot_marker: str  # plotext marker name: "braille" draws 2x4 dots per cell, "dot" is ASCII-safe

    def bar(self, fraction: float, width: int) -> str:
        """A bar `width` cells wide, filled to `fraction` ∈ [0, 1], padded with `bar_empty`."""
        fraction = min(max(fraction, 0.0), 1.0)
        eighths = round(fraction * width * 8)
        full, rest = divmod(eighths, 8)
        parts = self.bar_full * full
        if full < width and rest:
            steps = len(self.bar_partial) - 1
            parts += self.bar_partial[round(rest * steps / 8)] or self.bar_empty
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
    plot_marker="dot",
)


def locale_is_utf8(environ: dict[str, str] | None = None) -> bool:
    """True when the terminal's locale and stdout can carry UTF-8.

    The locale variables decide in the order the C library reads them (LC_ALL, LC_CTYPE, LANG);
    with none set, fall back to what Python chose for stdout.
    """
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_CTYPE", "LANG"):
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
