"""Provides number formatting and ASCII spelling for the P/Q lab and the distribution view."""

from __future__ import annotations

import math
import textwrap

from losstui.tui.glyphs import Glyphs, to_ascii

#: The units information is measured in, and the logarithm base each stands for.
UNITS: dict[str, float] = {"bits": 2.0, "nats": math.e}

#: Plain-ASCII spellings of the symbols the panes write, for terminals without UTF-8.
ASCII_SPELLINGS: dict[str, str] = {
    "‖": "||",
    "≠": "!=",
    "≈": "~",
    "≤": "<=",
    "≥": ">=",
    "∞": "inf",
    "−": "-",
    "–": "-",
    "—": "--",
    "·": "*",
    "×": "x",
    "½": "1/2",
    "±": "+/-",
    "²": "^2",
    "σ": "sigma",
    "μ": "mu",
    "ŷ": "y^",
    "Σ": "sum",
    "←": "<-",
    "→": "->",
    "↑": "up",
    "↓": "down",
    "…": "...",
    "₁": "1",
    "₂": "2",
    "̂": "",  # combining circumflex (as in μ̂): ASCII text says "MLE" instead
}
_ASCII_TABLE = str.maketrans(ASCII_SPELLINGS)
#: Spellings of whole symbols, applied before the characters are.
ASCII_PHRASES: dict[str, str] = {"√ŷ": "sqrt(y^)", "μ̂": "mu_hat", "σ̂": "sigma_hat"}


def unit_base(units: str) -> float:
    """The logarithm base for `units` ("bits" → 2, "nats" → e); ValueError otherwise."""
    try:
        return UNITS[units]
    except KeyError:
        raise ValueError(f"units must be one of {', '.join(UNITS)}, got {units!r}") from None


def spell(text: str, glyphs: Glyphs) -> str:
    """`text` as the terminal can show it: unchanged for Unicode glyphs, 7-bit ASCII otherwise.

    The panes' own symbols get the spellings above ("‖" → "||", "∞" → "inf"); anything else
    goes through the app's general `to_ascii`, which writes "?" where it knows no spelling.
    """
    if glyphs.name != "ascii":
        return text
    for phrase, ascii_phrase in ASCII_PHRASES.items():
        text = text.replace(phrase, ascii_phrase)
    text = text.translate(_ASCII_TABLE)
    return text if text.isascii() else to_ascii(text)


def number(value: float, glyphs: Glyphs, digits: int = 3) -> str:
    """`value` to read off: `digits` decimals from 0.1 up ("1.361", "845503.718"), `digits`
    significant digits below ("0.0412", "0.000412"), scientific below 1e-4 ("4.12e-05"), so a
    small KL divergence never shows as 0.000; exact 0 as "0.000", ∞ as "∞" ("inf" in ASCII),
    never "−0.000"."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return spell("∞" if value > 0 else "−∞", glyphs)
    size = abs(value)
    if size < 1e-12:  # rounding noise around an exact 0, such as H(P,Q) − H(P) for P = Q
        return f"{0.0:.{digits}f}"
    if size >= 0.1:
        text = f"{value:.{digits}f}"
    elif size >= 1e-4:
        text = f"{value:#.{digits}g}"
    else:
        text = f"{value:.{digits - 1}e}"
    if text.startswith("-") and float(text) == 0.0:
        text = text[1:]
    return text


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
