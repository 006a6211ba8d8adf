"""Provides the presets dialog: the setups that show each claim of the text, one key away."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

from losstui.core.presets import PRESETS, RACE_PRESETS, Preset
from losstui.tui.hanging import Hanging
from losstui.tui.screens.closes_once import ClosesOnce
from losstui.tui.screens.dialog_box import dialog_box_css
from losstui.tui.widgets.problem_chooser import MarkedOptionList

#: How far a preset's claim sits in from its title: without colour or bold (the highlighted
#: option is bold throughout) the titles are the only lines that start at the mark.
BODY_INDENT = "  "


def _prompt(preset: Preset, glyphs_text: Callable[[str], str]) -> Hanging:
    """A preset as one option: its title in bold, then indented under it its claim and what to
    change to see it."""
    body = Text(glyphs_text(preset.claim))
    title = preset.title if preset.key not in RACE_PRESETS else f"Race: {preset.title}"
    if preset.compare:
        body.append(f"\nThen compare: {glyphs_text(preset.compare)}", style="italic")
    return Hanging.of(Text(glyphs_text(title), style="bold"), body, indent=BODY_INDENT)


class PresetScreen(ClosesOnce, ModalScreen[str | None]):
    """Lists the presets, the current problem's first; enter returns the chosen key, escape
    returns None. `text` spells the prose (ASCII or not)."""

    DEFAULT_CSS = (
        dialog_box_css("PresetScreen", "preset-box")
        + """
        #preset-list {
            height: 1fr;
        }
    """
    )

    AUTO_FOCUS = "#preset-list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,d", "dismiss_none", "Close", show=True),
    ]

    def __init__(
        self, problem: str, *, text: Callable[[str], str] = str, classes: str | None = None
    ) -> None:
        super().__init__(classes=classes)
        # This problem's presets come first: they demonstrate what its recommendation says. The
        # races follow the single runs, each marked as one (it opens the Race pane).
        self._presets = sorted(PRESETS.values(), key=lambda p: p.problem != problem) + sorted(
            RACE_PRESETS.values(), key=lambda p: p.problem != problem
        )
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
            # The highlighted preset carries the "> " mark, so the one enter applies shows
            # without colour (NO_COLOR, or ASCII terminals where only a background marks it).
            presets = MarkedOptionList(id="preset-list")
            presets.set_marked_options([(_prompt(p, self._text), p.key) for p in self._presets])
            yield presets

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
