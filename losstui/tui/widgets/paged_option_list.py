"""Provides an OptionList that pages safely before it has been laid out."""

from __future__ import annotations

from textual.widgets import OptionList


class PagedOptionList(OptionList):
    """Textual's OptionList, with PageUp and PageDown that work in a list not laid out yet.

    A key that shows a pane and PageUp or PageDown in the same burst (`6 PageDown` over a slow
    link) page a list that has options but no lines yet: Textual looks up the highlighted
    option's line and fails (`KeyError: 0` in `OptionList._move_page`). Until the list has a
    size, paging goes to its first or last option, as paging a short laid-out list does.
    """

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
