"""Provides an OptionList that pages safely before it has been laid out, and tells a choice made
from options it has since replaced."""

from __future__ import annotations

from textual.widgets import OptionList


class PagedOptionList(OptionList):
    """Textual's OptionList, with PageUp and PageDown that work in a list not laid out yet.

    A key that shows a pane and PageUp or PageDown in the same burst (`6 PageDown` over a slow
    link) page a list that has options but no lines yet: Textual looks up the highlighted
    option's line and fails (`KeyError: 0` in `OptionList._move_page`). Until the list has a
    size, paging goes to its first or last option, as paging a short laid-out list does.
    """

    def offers(self, event: OptionList.OptionSelected) -> bool:
        """Whether the option chosen in `event` is still the one at its place in this list.

        Two Enters in one burst select twice before the handler of the first has refilled the
        list (the next question's answers): the second selection names an option of the list
        as it was, which the new one may not have, or have elsewhere. A handler that refills
        the list ignores a choice this says is gone.
        """
        index = event.option_index
        return 0 <= index < self.option_count and self.get_option_at_index(index) is event.option

    def _laid_out(self) -> bool:
        return bool(self.scrollable_content_region)

    def action_page_up(self) -> None:
        if self._laid_out():
            super().action_page_up()
        else:
            self.action_first()

    def action_page_down(self) -> None:
        if self._laid_out():
            super().action_page_down()
        else:
            self.action_last()
