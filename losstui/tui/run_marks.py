"""Provides how each run of a race is told apart: a mark that reads without colour, and a colour."""

from __future__ import annotations

#: Run i's mark in the plots, the legends and the table: ASCII in every character set, so a run
#: reads the same with NO_COLOR, on a monochrome projector and in ASCII mode. Not "+" or "-",
#: which the ASCII frame draws its ticks and axes with.
RUN_MARKS = ("*", "o", "x", "#")
#: Run i's colour as plotext names it, and as Rich does (the table and the captions): four hues
#: apart in lightness as well as in hue, which keep apart for most colour-blind readers.
PLOT_COLOURS = ("cyan", "orange", "green", "magenta")
TEXT_COLOURS = ("#5fd7ff", "#ffaf00", "#87d75f", "#ff87ff")


def short_label(label: str) -> str:
    """A run's label short enough for a legend: a loss key of two words or more by its initials
    ("binary_cross_entropy" → "BCE", "squared_hinge" → "SH"; a word of two letters whole:
    "kl_divergence" → "KLD"); other labels ("lr 0.1", "huber") as they are."""
    words = label.split("_")
    if len(words) < 2:
        return label
    return "".join(w if len(w) <= 2 else w[0] for w in words).upper()
