"""Provides units and line wrapping for the P/Q lab and the distribution view."""

from __future__ import annotations

import textwrap

from losstui.core.info import UNITS, unit_base

__all__ = ["UNITS", "unit_base", "wrap", "wrap_parts"]


def wrap(text: str, width: int, *, indent: str = "", hang: str = "") -> list[str]:
    """`text` broken at spaces (never inside "cross-entropy") into lines at most `width` wide;
    `indent` before every line and `hang` more before the lines after the first."""
    return textwrap.wrap(
        text,
        max(width, 1),
        initial_indent=indent,
        subsequent_indent=indent + hang,
        break_on_hyphens=False,
    ) or [""]


def wrap_parts(parts: list[str], width: int, gap: int = 3) -> list[str]:
    """`parts` ("H(P) = 0.5 bits", "w worst") joined `gap` spaces apart, a line broken only
    between parts, so a number never parts from its unit; a part wider than `width` is wrapped."""
    lines: list[str] = []
    line = ""
    for part in parts:
        if line and len(line) + gap + len(part) <= width:
            line += " " * gap + part
            continue
        if line:
            lines.append(line)
        if len(part) > width:
            *whole, line = wrap(part, width)
            lines += whole
        else:
            line = part
    return [*lines, line] if line or not lines else lines
