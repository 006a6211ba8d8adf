"""Provides how each run of a race is told apart: a mark that reads without colour, and a colour."""

from __future__ import annotations

from losstui.core.text import short_label

__all__ = ["PLOT_COLOURS", "RUN_MARKS", "TEXT_COLOURS", "short_label"]

#: Run i's mark in the plots, the legends and the table: ASCII in every character set, so a run
#: reads the same with NO_COLOR, on a monochrome projector and in ASCII mode. Not "+" or "-",
#: which the ASCII frame draws its ticks and axes with.
RUN_MARKS = ("*", "o", "x", "#")
#: Run i's colour as plotext names it, and as Rich does (the table and the captions): four hues
#: apart in lightness as well as in hue, which keep apart for most colour-blind readers.
PLOT_COLOURS = ("cyan", "orange", "green", "magenta")
TEXT_COLOURS = ("#5fd7ff", "#ffaf00", "#87d75f", "#ff87ff")
