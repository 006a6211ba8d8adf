"""Provides the presets dialog: the setups that show each claim of the text, one key away."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from losstui.core.presets import PRESETS, Preset


def _prompt(preset: Preset, glyphs_text) -> Text:
    """A preset as one option: its title in bold, its claim and what to change to see it."""
    text = Text(glyphs_text(preset.title), style="bold")
    text.append("\n" + glyphs_text(preset.claim))
    if preset.compare:
        text.append(f"\nThen compare: {glyphs_text(preset.compare)}", style="italic")
    return text


class PresetScreen(ModalScreen[str | None]):
    """Lists the presets, the current problem's first; enter returns the chosen key, escape
    returns None. `text` spells the prose (ASCII or not)."""

    AUTO_FOCUS = "#preset-list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,d", "dismiss_none", "Close", show=True),
    ]

    def __init__(self, problem: str, *, text=str, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        # This problem's presets come first: they demonstrate what its recommendation says.
        self._presets = sorted(PRESETS.values(), key=lambda p: p.problem != problem)
        self._text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="preset-box"):
            yield Static(
                Text.assemble(
                    ("Presets", "bold"),
                    "  setups that show a claim of the text (enter applies, esc closes)",
                ),
                id="preset-title",
            )
            yield OptionList(
                *(Option(_prompt(p, self._text), id=p.key) for p in self._presets),
                id="preset-list",
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
