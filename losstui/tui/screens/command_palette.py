"""Provides the command palette, Textual's own made safe against keys that arrive in one burst."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette
from textual.widgets import LoadingIndicator, OptionList

from losstui.tui.screens.closes_once import ClosesOnce


class SafeCommandPalette(ClosesOnce, CommandPalette):
    """Textual's command palette, closed once and paging safely however keys are batched.

    Over a slow link keys arrive together, and Textual's palette handles them before its own
    state has caught up:
    - two Enters in one burst select the command twice; the second dismiss would pop the main
      screen away (`ClosesOnce` keeps it to one);
    - Escape in the same burst as typed text removes the palette while its search is still
      running, and the search's result then looks for the list, or the busy indicator, that
      went with it (`NoMatches: CommandList` in `_watch__list_visible`, `NoMatches:
      LoadingIndicator` in `_watch__show_busy`);
    - PageUp or PageDown before the list has been laid out looks up a line that is not there yet
      (`KeyError: 0` in `OptionList._move_page`, as reported in kagan-sh/kagan-legacy#31).
    """

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
        if not self.dismissed and self.query(CommandList):
            super()._watch__list_visible()

    async def _watch__show_busy(self) -> None:
        # The same for the busy indicator of a search still running when the palette closed.
        parts = bool(self.query(LoadingIndicator)) and bool(self.query(CommandList))
        if parts and not self.dismissed:
            await super()._watch__show_busy()
