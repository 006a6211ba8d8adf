"""Provides KeysFooter: Textual's footer, with its keys on the first frame."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


class KeysFooter(Footer):
    """The footer of key bindings, drawn with the screen's first frame, and with the command
    palette's key as its width allows.

    Textual's Footer composes no keys until the screen first publishes its bindings, and then
    only after another refresh: the first screen would come up with an empty bottom row and
    fill it two frames later. This one composes the keys it can see when it is mounted (the
    app's and the screen's); the focused widget's own keys join when the screen publishes its
    bindings, as before.

    It composes again only when the keys it shows change. Textual's Footer composes anew on
    every change of the screen's bindings, which happens on every change of focus: a tab through
    the settings column mounted fifteen key widgets and laid out the screen again on each press,
    a third of the press's time, for a row that read the same.
    """

    _shown: tuple[tuple[str, str, str, bool], ...] | None = None

    def __init__(
        self, *, id: str | None = None, compact: bool = False, show_command_palette: bool = True
    ) -> None:
        super().__init__(id=id, compact=compact, show_command_palette=show_command_palette)
        self.set_reactive(Footer._bindings_ready, True)

    def _keys(self, screen: Screen) -> tuple[tuple[str, str, str, bool], ...]:
        """What the row shows for `screen`'s bindings: each key, how it is written, its
        description and whether it is enabled, in order."""
        return tuple(
            (binding.key, self.app.get_key_display(binding), binding.description, enabled)
            for _, binding, enabled, _ in screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            keys = self._keys(screen)
            if keys == self._shown:
                return
            self._shown = keys
        super().bindings_changed(screen)

    async def watch_show_command_palette(self) -> None:
        # Textual's Footer adds the palette's key only when it composes: a terminal widened past
        # the width that shows it would not show it until the bindings next changed.
        self._shown = None
        await self.recompose()
