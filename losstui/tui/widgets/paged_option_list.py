"""Provides option lists that page safely before they have been laid out (our lists, and the
drop-down of a Select), and tell a choice made from options since replaced."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import OptionList, Select
from textual.widgets._select import SelectCurrent, SelectOverlay

if TYPE_CHECKING:
    _Base = OptionList
else:
    _Base = object


class PagesBeforeLayout(_Base):
    """Mix into an OptionList (before it) so that PageUp and PageDown work before layout.

    A key that shows a list and PageUp or PageDown in the same burst (`6 PageDown` over a slow
    link, or a Select opened and paged at once) page a list that has options but no lines yet:
    Textual looks up the highlighted option's line and fails (`KeyError: 0` in
    `OptionList._move_page`). Until the list has a size, paging goes to its first or last
    option, as paging a short laid-out list does.
    """

    def action_page_up(self) -> None:
        if self.scrollable_content_region:
            super().action_page_up()
        else:
            self.action_first()

    def action_page_down(self) -> None:
        if self.scrollable_content_region:
            super().action_page_down()
        else:
            self.action_last()


class PagedOptionList(PagesBeforeLayout, OptionList):
    """Textual's OptionList, paging safely before layout (see `PagesBeforeLayout`)."""

    def offers(self, event: OptionList.OptionSelected) -> bool:
        """Whether the option chosen in `event` is still the one at its place in this list.

        Two Enters in one burst select twice before the handler of the first has refilled the
        list (the next question's answers): the second selection names an option of the list
        as it was, which the new one may not have, or have elsewhere. A handler that refills
        the list ignores a choice this says is gone.
        """
        index = event.option_index
        return 0 <= index < self.option_count and self.get_option_at_index(index) is event.option


class _PagedSelectOverlay(PagesBeforeLayout, SelectOverlay):
    """A Select's drop-down, paging safely before layout."""


class PagedSelect(Select[str]):
    """Textual's Select whose drop-down pages safely before it is laid out (it has no size
    until it opens)."""

    def compose(self) -> ComposeResult:
        # As Select.compose, with the overlay that pages safely.
        yield SelectCurrent(self.prompt)
        yield _PagedSelectOverlay(type_to_search=self._type_to_search).data_bind(
            compact=Select.compact
        )
