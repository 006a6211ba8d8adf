"""Provides the rule every dialog follows: it closes once, whatever keys arrive with the close."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.await_complete import AwaitComplete
from textual.message import Message
from textual.widgets import Button, Input, OptionList

if TYPE_CHECKING:
    from textual.screen import Screen

    _Base = Screen[Any]
else:
    _Base = object

#: What a dialog acts on from the keyboard: once it is closing, later ones are dropped.
CHOICES = (events.Key, Input.Submitted, OptionList.OptionSelected, Button.Pressed)


class ClosesOnce(_Base):
    """Mix into a dialog (before its Textual screen class) so that it is dismissed once.

    Over a slow link, or when keys are pasted, a burst like `d Enter Enter` reaches the dialog
    before its first dismiss has taken it off the stack. Textual's `dismiss` pops whatever screen
    is on top, so a second one pops the screen under the dialog, and with it the main screen
    (`ScreenStackError: Can't pop screen`; Textual issue #4884's double dismiss). Here the first
    dismiss wins; choices queued behind it are dropped, and a dialog that is no longer on top
    pops nothing.
    """

    _dismissed_once = False

    @property
    def dismissed(self) -> bool:
        """Whether the dialog was dismissed (it may still be on the stack for a moment)."""
        return self._dismissed_once

    async def _on_message(self, message: Message) -> None:
        # Keys and selections queued before the dialog decided to close would act a second time.
        if self._dismissed_once and isinstance(message, CHOICES):
            message.stop()
            return
        await super()._on_message(message)

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if self._dismissed_once or not self.is_active:
            self._dismissed_once = True
            return AwaitComplete.nothing()
        self._dismissed_once = True
        return super().dismiss(result)
