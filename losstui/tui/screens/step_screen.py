"""Provides the dialog that asks an instructor which lesson step to jump to."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from losstui.tui.screens.closes_once import ClosesOnce


class StepScreen(ClosesOnce, ModalScreen[int | None]):
    """Asks for a step number from 1 to `count`; enter returns its index (from 0), escape
    None. A number out of range is refused in the dialog, with the range."""

    DEFAULT_CSS = """
    StepScreen { align: center middle; }
    #step-box { width: 44; height: auto; border: round $primary; padding: 0 1; }
    #step-error { color: $error; }
    """
    AUTO_FOCUS = "#step-number"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Close", show=True),
    ]

    def __init__(self, count: int, current: int) -> None:
        super().__init__()
        self.count = count
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="step-box"):
            yield Static(f"Jump to step (1-{self.count}), enter; esc closes")
            yield Input(
                placeholder=str(self.current + 1),
                restrict=r"[0-9]*",
                max_length=len(str(self.count)),
                id="step-number",
            )
            yield Static(id="step-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip() or str(self.current + 1)
        if text.isdigit() and 1 <= int(text) <= self.count:
            self.dismiss(int(text) - 1)
            return
        self.query_one("#step-error", Static).update(f"a step from 1 to {self.count}, got {text!r}")

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
