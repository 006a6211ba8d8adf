"""How the headless commands print: JSON that stays valid with inf and NaN in it, and paragraphs
and bullets wrapped to one width."""

from __future__ import annotations

import json
import math
import textwrap
from typing import Any


def finite_or_text(value: Any) -> Any:
    """JSON has no inf or NaN: write them as the strings "inf", "-inf", "nan"."""
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, dict):
        return {k: finite_or_text(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_or_text(v) for v in value]
    return value


def print_json(data: Any) -> None:
    """`data` as indented JSON on stdout, Unicode kept (the ASCII speller handles other locales)."""
    print(json.dumps(finite_or_text(data), indent=2, ensure_ascii=False, allow_nan=False))


def wrap(text: str, first: str = "  ", rest: str = "  ") -> str:
    """`text` filled to 88 columns, its first line indented by `first` and the others by `rest`."""
    return textwrap.fill(
        text, width=88, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    )


def bullet(text: str) -> str:
    """`text` as an item of a list: "  - " before it, its further lines under its first word."""
    return wrap(text, "  - ", "    ")
