"""The look the app's dialogs share: centred, a box of 90% of the screen (100 columns at most)
with a round border, or an ASCII one where the app draws in ASCII."""

from __future__ import annotations


def dialog_box_css(screen: str, box: str) -> str:
    """The rules for dialog `screen` (its class name) and its box (`box`, the id of the container
    that holds its content), for the screen's DEFAULT_CSS."""
    return f"""
        {screen} {{
            align: center middle;
        }}
        #{box} {{
            width: 90%;
            max-width: 100;
            height: 90%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }}
        {screen}.-ascii #{box} {{
            border: ascii $primary;
        }}
    """
