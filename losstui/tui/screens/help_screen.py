"""Provides the help dialog that lists every key."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

#: (keys, what they do), grouped; the single source of the help text.
KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Anywhere",
        (
            ("1 2 3 4 5", "Problem, Recommendation, Train, Distributions, P/Q lab"),
            ("tab / shift+tab", "move between controls"),
            ("escape", "leave a field (keys work again)"),
            ("? or F1", "this help"),
            ("ctrl+p", "command palette: every action by name"),
            ("q or ctrl+c", "quit"),
        ),
    ),
    (
        "Problem pane",
        (
            ("up/down, enter", "highlight and choose a problem"),
            ("tab", "the question path, for when you don't know the name"),
        ),
    ),
    (
        "Training (Train and Distributions panes)",
        (
            ("space", "play / pause"),
            ("n or s", "one SGD step"),
            ("r", "reset to step 0 (same data, same initial weights)"),
            ("+ / -", "faster / slower (steps per second)"),
            ("g", "new data: regenerate the dataset with the next seed"),
            ("l", "loss axis: log10(loss) or loss"),
            ("c", "show or hide the settings column"),
        ),
    ),
    (
        "Distributions and P/Q lab",
        (
            ("u", "bits or nats"),
            ("left/right, up/down", "P/Q lab: edit P or Q, choose an outcome"),
            ("+ / -  [ / ]", "P/Q lab: move 0.05 of probability into / out of the outcome"),
            ("r", "P/Q lab: back to P = [0.10, 0.40, 0.50], Q = [0.80, 0.15, 0.05]"),
        ),
    ),
)


def help_table() -> Table:
    """Every key, grouped by where it applies."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for group, rows in KEYS:
        table.add_row(Text(group, style="bold underline"), "")
        for keys, what in rows:
            table.add_row(keys, what)
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    """Lists every key; escape, q, ? or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", show=True),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(
                Text.assemble(
                    ("losstui keys", "bold"), "   (escape closes; the footer shows the main ones)\n"
                ),
            )
            yield Static(help_table())

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
