"""Text as a learner reads it: numbers formatted, symbols spelled in ASCII, histories thinned."""

from __future__ import annotations

import functools
import itertools
import math
import unicodedata
from collections.abc import Sequence
from typing import TypeVar

# This module is imported by `losstui --help` (for ASCII output): the standard library only.

# -- numbers -------------------------------------------------------------------------------------

#: Metrics that are fractions of examples or labels, shown as percentages.
PERCENT_METRICS = ("accuracy", "subset_accuracy", "hamming_loss")
#: Each metric's name as the stats line and the lessons write it.
METRIC_TITLES = {
    "accuracy": "accuracy",
    "r2": "R²",
    "mae": "MAE",
    "subset_accuracy": "subset accuracy",
    "hamming_loss": "Hamming loss",
    "nll": "NLL",
}


def _non_finite(value: float) -> str:
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


def format_loss(value: float | None) -> str:
    """A loss (or a metric that is not a fraction) in 4 significant digits: "0.3532", "1.234e+04",
    "2e-05"; "nan", "inf" and "-inf" spelled out, "-" for no value."""
    if value is None:
        return "-"
    if not math.isfinite(value):
        return _non_finite(value)
    return f"{value:.4g}"


def fit_number(text: str, width: int) -> str:
    """A number written by `format_loss` (`text`) in at most `width` characters where fewer
    significant digits make it fit: "1.127e+04" → "1.13e+04" in 8, "123456.7" → "1.23e+05"
    in 8. Cutting its end instead would hide the exponent. Text that is not a number, or that
    fits, comes back as it is."""
    if len(text) <= width:
        return text
    try:
        value = float(text)
    except ValueError:
        return text
    for digits in range(3, 0, -1):
        shorter = f"{value:.{digits}g}"
        if len(shorter) <= width:
            return shorter
    return text


def format_percent(fraction: float) -> str:
    """A fraction in [0, 1] as a percentage with one decimal: 0.9233 → "92.3%"."""
    if not math.isfinite(fraction):
        return _non_finite(fraction)
    return f"{100 * fraction:.1f}%"


def format_metric(name: str, value: float | None) -> str:
    """Metric `name`'s value: a percentage for the fractions in PERCENT_METRICS ("92.3%"),
    otherwise as a loss ("0.4127")."""
    if value is not None and name in PERCENT_METRICS and math.isfinite(value):
        return format_percent(value)
    return format_loss(value)


def format_epoch(epoch: float) -> str:
    """An epoch count, possibly fractional, to one decimal: 2.6667 → "2.7"."""
    return f"{epoch:.1f}"


def format_information(value: float, digits: int = 3) -> str:
    """An entropy, cross-entropy or KL divergence in bits or nats, to read off.

    `digits` decimals from 0.1 up ("1.361", "845503.718"), `digits` significant digits below
    ("0.0412", "0.000412"), scientific below 1e-4 ("4.12e-05"), so a small KL divergence never
    shows as 0.000; rounding noise around 0 as "0.000", never "-0.000"; ∞ as "∞" ("inf" through
    `to_ascii`), not-a-number as "nan".
    """
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
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


def format_probability(value: float, decimals: int = 3) -> str:
    """A probability with a fixed number of decimals, so columns of them line up: "0.873"."""
    return f"{value:.{decimals}f}"


def format_ticks(ticks: Sequence[float]) -> list[str]:
    """Axis labels for `ticks` with the few digits that tell them apart: "0.25", "1e-05", "300",
    never "-0" or a float's full 17 digits."""
    if not ticks:
        return []
    biggest = max(abs(t) for t in ticks)
    step = min((b - a for a, b in itertools.pairwise(ticks)), default=biggest) or 1.0
    if biggest >= 1e6 or 0 < biggest < 1e-3:
        digits = 2
        labels = [f"{t:.{digits}g}" for t in ticks]
        while digits < 8 and len(set(labels)) < len(labels):
            digits += 1
            labels = [f"{t:.{digits}g}" for t in ticks]
        labels = [
            label.replace("e+0", "e").replace("e-0", "e-").replace("e+", "e") for label in labels
        ]
    else:
        decimals = max(0, -math.floor(math.log10(step) + 1e-9))
        while decimals < 8 and any(
            abs(float(f"{t:.{decimals}f}") - t) > step * 1e-6 for t in ticks
        ):
            decimals += 1  # a step of 2.5 or 0.25 needs one digit more than its magnitude
        labels = [f"{t:.{decimals}f}" for t in ticks]
    return [label[1:] if label.startswith("-") and float(label) == 0 else label for label in labels]


# -- ASCII spelling ------------------------------------------------------------------------------

#: Spellings of single characters. Sub- and superscripts, accents, fractions and letter-like
#: symbols (ℝ, ℓ) need no entry: their Unicode decomposition spells them.
ASCII_WORDS: dict[str, str] = {
    "−": "-",
    "–": "-",
    "—": "--",
    "·": "*",
    "…": "...",
    "×": "x",
    "÷": "/",
    "±": "+/-",
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "≈": "~",
    "→": "->",
    "←": "<-",
    "↑": "up",
    "↓": "down",
    "⇒": "=>",
    "∈": "in",
    "∞": "inf",
    "√": "sqrt",
    "∂": "d",
    "∇": "grad ",
    "∑": "sum",
    "Σ": "sum",
    "∏": "prod",
    "Π": "prod",
    "‖": "||",
    "⌈": "ceil(",
    "⌉": ")",
    "⌊": "floor(",
    "⌋": ")",
    "′": "'",
    "’": "'",
    "‘": "'",
    "“": '"',
    "”": '"',
    "•": "*",
    "●": "o",
    "▲": "^",
    "▼": "v",
    "▶": ">",
    "◀": "<",
    "▸": ">",
    "▾": "v",
    "⏸": "||",
    "✓": "v",
    "✗": "x",
    "★": "*",
    "☆": "*",
    # Greek letters used as variables: see _VARIABLES for how they join their neighbours.
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "Δ": "Delta",
    "ε": "eps",
    "η": "eta",
    "θ": "theta",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
    "ν": "nu",
    "π": "pi",
    "ρ": "rho",
    "σ": "sigma",
    "τ": "tau",
    "φ": "phi",
    "ψ": "psi",
    "ω": "omega",
}

#: Characters spelled as a word with a space either side ("x ∈ S" → "x in S", never "xinS").
_SPACED = frozenset("∈")

#: Greek letters standing for a quantity: spelled as a word, they take a "*" where they touch a
#: letter or digit, as a product does ("2πσ²" → "2*pi*sigma^2", not "2pisigma^2").
_VARIABLES = frozenset("αβγδΔεηθκλμνπρστφψω")

#: Combining marks with a name in formulas; other marks (accents) are dropped.
_MARKS = {"\u0302": "_hat", "\u0304": "_bar", "\u0305": "_bar", "\u0303": "_tilde"}


@functools.lru_cache(maxsize=1024)
def _script(ch: str) -> tuple[str, str] | None:
    """("_", "k") for the subscript ₖ, ("^", "2") for the superscript ², None for others."""
    tag, _, rest = unicodedata.decomposition(ch).partition(" ")
    if tag not in ("<sub>", "<super>") or not rest:
        return None
    base = "".join(chr(int(code, 16)) for code in rest.split())
    return ("_" if tag == "<sub>" else "^"), _spell_char(base)


@functools.lru_cache(maxsize=1024)
def _spell_char(ch: str) -> str:
    """One character in ASCII, with no regard to its neighbours; "?" if it has no spelling."""
    if ch.isascii():
        return ch
    if ch in ASCII_WORDS:
        return ASCII_WORDS[ch]
    if unicodedata.combining(ch):
        return _MARKS.get(ch, "")
    script = _script(ch)
    if script is not None:
        return script[1]
    plain = unicodedata.normalize("NFKD", ch).replace("\u2044", "/")  # ½ → 1⁄2 → 1/2
    plain = "".join(_spell_char(c) if c != ch else "" for c in plain)
    return plain if plain.isascii() and plain else "?"


def _is_word_char(ch: str) -> bool:
    """True for a character whose spelling is part of a name: an ASCII letter or digit, a
    variable, or a mark or script written after one."""
    return bool(ch) and (
        (ch.isascii() and ch.isalnum())
        or ch in _VARIABLES
        or ch in _MARKS
        or _script(ch) is not None
    )


def _joins(prev: str, ch: str) -> bool:
    """True when `ch` follows `prev` in one product that ASCII must write with "*": a variable
    touching a name (2π, πσ, σx), or a letter or digit after a sub- or superscript (θ₁x)."""
    if not prev:
        return False
    if ch in _VARIABLES:
        return _is_word_char(prev) or _is_fraction(prev)
    if ch.isascii() and ch.isalnum():
        return (
            prev in _VARIABLES or prev in _MARKS or _script(prev) is not None or _is_fraction(prev)
        )
    return False


def _is_fraction(ch: str) -> bool:
    """True for a fraction written as one character, such as ½."""
    return unicodedata.decomposition(ch).startswith("<fraction>")


def _symbol_end(chars: str, start: int) -> int:
    """The index of the last character of the symbol at `start`: its base and the marks and
    scripts written after it."""
    end = start
    while end + 1 < len(chars) and (chars[end + 1] in _MARKS or _script(chars[end + 1])):
        end += 1
    return end


#: Characters that Markdown reads as markup wherever they stand (a backslash before one shows it).
_MARKDOWN_MARKUP = frozenset("\\`*_[]<>|~#")


def _markdown_literal(spelled: str) -> str:
    return "".join("\\" + c if c in _MARKDOWN_MARKUP else c for c in spelled)


def _decomposed(text: str) -> str:
    """`text` with its letters come apart into base and marks (ŷ → y + combining circumflex);
    symbols stay whole, since ≠ would come apart into "=" and a slash."""
    return "".join(
        unicodedata.normalize("NFD", ch)
        if not ch.isascii() and unicodedata.category(ch)[0] == "L"
        else ch
        for ch in unicodedata.normalize("NFC", text)
    )


class _Spelling:
    """The ASCII spelling of `chars` (see `to_ascii`), built a character at a time: each one is
    spelled by what it is and what stands on either side of it."""

    def __init__(self, chars: str, markdown: bool) -> None:
        self.chars = chars
        self.markdown = markdown
        self.out: list[str] = []
        self.closing: list[int] = []  # positions after which a "sqrt(" opened for one symbol closes
        self.prev = ""

    def spelled(self) -> str:
        for i, ch in enumerate(self.chars):
            spelled = self._spell(i, ch)
            self.out.append(
                _markdown_literal(spelled) if self.markdown and not ch.isascii() else spelled
            )
            while self.closing and self.closing[-1] == i:
                self.closing.pop()
                self.out.append(")")
            self.prev = ch
        return "".join(self.out)

    def _spell(self, i: int, ch: str) -> str:
        if ch.isascii():
            return self._ascii(ch)
        script = _script(ch)
        if script is not None:
            return self._in_script(*script)
        after = self.chars[i + 1] if i + 1 < len(self.chars) else ""
        if ch in _SPACED:
            return self._spaced(ch, after)
        if ch == "√" and _is_word_char(after):
            return self._root(i)
        spelled = _spell_char(ch)
        return "*" + spelled if _joins(self.prev, ch) else spelled

    def _ascii(self, ch: str) -> str:
        """The text's own character stays as it is (its markup too); a "*" joining it to a
        spelled-out letter before it is spelling."""
        prev = self.prev
        if prev and not prev.isascii() and _joins(prev, ch):
            return (r"\*" if self.markdown else "*") + ch
        return ch

    def _in_script(self, mark: str, spelled: str) -> str:
        """A sub- or superscript: after its mark ("_" or "^") unless it continues a run of them."""
        before = _script(self.prev) if self.prev else None
        if before is None or before[0] != mark:
            return mark + spelled
        return spelled

    def _spaced(self, ch: str, after: str) -> str:
        """A symbol spelled as a word (∈ → in), with a space on either side."""
        spelled = ASCII_WORDS[ch]
        if self.out and not self.out[-1].endswith(" "):
            spelled = " " + spelled
        if after and not after.isspace():
            spelled += " "
        return spelled

    def _root(self, i: int) -> str:
        """√ before a name: "sqrt(" closed after one symbol under the root (√ŷ → sqrt(y_hat)),
        "sqrt " when more follows ("√mean r²" reads on: "sqrt mean r^2")."""
        end = _symbol_end(self.chars, i + 1)
        if end + 1 < len(self.chars) and _is_word_char(self.chars[end + 1]):
            return "sqrt "
        self.closing.append(end)
        return "sqrt("


# Panes spell the same captions and titles at every redraw: remember the recent ones.
@functools.lru_cache(maxsize=4096)
def to_ascii(text: str, markdown: bool = False) -> str:
    """`text` spelled in 7-bit ASCII, by one rule wherever the app or the CLI writes it.

    Greek letters as words (σ → sigma, μ₁ → mu_1), joined by "*" to a letter or digit they
    touch, as in a product (2πσ² → 2*pi*sigma^2, θ₁x → theta_1*x, ½r² → 1/2*r^2); subscripts
    after "_" and superscripts after "^", a run of them together (xᵢⱼ → x_ij, x⁻¹ → x^-1);
    hats, bars and tildes as suffixes (ŷ → y_hat, μ̂ → mu_hat); √ŷ → sqrt(y_hat), √(…) →
    sqrt(…); symbols as their ASCII forms (‖ → ||, · → *, − → -, ≤ → <=, ≠ → !=, Σᵢ → sum_i,
    ∞ → inf, … → ...). Plain ASCII comes back unchanged; a character with no spelling becomes
    "?".

    `markdown`: `text` is Markdown prose (no code in it, where Markdown shows every character
    as it is), and what the spelling adds is escaped so that it reads as itself, not as markup
    (w·x → w\\*x, not the start of an emphasis); the text's own markup is left as it is.
    """
    if text.isascii():
        return text
    return _Spelling(_decomposed(text), markdown).spelled()


# -- thinning --------------------------------------------------------------------------------------

T = TypeVar("T")


def thin_indices(n: int, most: int) -> list[int]:
    """Indices into a sequence of `n` items: min(n, max(`most`, 2)) of them, evenly spaced and
    increasing, always the first and the last (so never fewer than two of several)."""
    most = max(most, 2)
    if n <= most:
        return list(range(n))
    # Exact integer arithmetic: index i * (n − 1) / (most − 1), rounded half up; since
    # n − 1 ≥ most − 1 the step is at least 1, so no index repeats.
    span, gaps = n - 1, most - 1
    return [(i * span + gaps // 2) // gaps for i in range(most)]


def thin(items: Sequence[T], most: int) -> list[T]:
    """At most max(`most`, 2) of `items` (a training history, say), evenly spaced, always keeping
    the first and the last: a history drawn to a plot's width or a table's rows."""
    return [items[i] for i in thin_indices(len(items), most)]


def short_label(label: str) -> str:
    """A run's label (or a loss key) short enough for a legend or a table: a key of two words or
    more by its initials ("binary_cross_entropy" → "BCE", "squared_hinge" → "SH"; a word of two
    letters whole: "kl_divergence" → "KLD"); other labels ("lr 0.1", "huber") as they are."""
    words = label.split("_")
    if len(words) < 2:
        return label
    return "".join(w if len(w) <= 2 else w[0] for w in words).upper()
