"""Provides the command palette, Textual's own made safe against keys that arrive in one burst."""

from __future__ import annotations

from textual import events
from textual.await_complete import AwaitComplete
from textual.command import CommandList, CommandPalette
from textual.message import Message
from textual.widgets import Button, Input, OptionList

#: What the palette acts on from the keyboard: once it is dismissed, later ones are dropped.
_CHOICES = (events.Key, Input.Submitted, OptionList.OptionSelected, Button.Pressed)


class SafeCommandPalette(CommandPalette):
    """Textual's command palette, closed once and paging safely however keys are batched.

    Over a slow link keys arrive together, and Textual's palette handles them before its own
    state has caught up:
    - two Enters in one burst select the command twice; the second dismiss pops the main screen
      away (`ScreenStackError: Can't pop screen`, Textual issue #4884's double dismiss);
    - Escape in the same burst as typed text removes the palette while its search is still
      running, and the search's result then looks for the list that went with it
      (`NoMatches: CommandList` in `_watch__list_visible`);
    - PageUp or PageDown before the list has been laid out looks up a line that is not there yet
      (`KeyError: 0` in `OptionList._move_page`, as reported in kagan-sh/kagan-legacy#31).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._dismissed = False

    async def _on_message(self, message: Message) -> None:
        # Keys and selections queued before the palette decided to close would act a second time.
        if self._dismissed and isinstance(message, _CHOICES):
            message.stop()
            return
        await super()._on_message(message)

    def dismiss(self, result: None = None) -> AwaitComplete:
        if self._dismissed or not self.is_active:
            self._dismissed = True
            return AwaitComplete.nothing()
        self._dismissed = True
        return super().dismiss(result)

    def _action_command_list(self, action: str) -> None:
        try:
            super()._action_command_list(action)
        except KeyError:
            # The list has options but no lines yet: page to its end, as a laid-out list would.
            command_list = self.query_one(OptionList)
            if action == "page_down":
                command_list.action_last()
            elif action == "page_up":
                command_list.action_first()
            else:
                raise

    def _watch__list_visible(self) -> None:
        # A search that finishes after the palette was dismissed has no list left to show.
        if not self._dismissed and self.query(CommandList):
            super()._watch__list_visible()
