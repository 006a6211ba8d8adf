"""Provides KeysFooter: Textual's footer, with its keys on the first frame."""

from __future__ import annotations

from textual.widgets import Footer


class KeysFooter(Footer):
    """The footer of key bindings, drawn with the screen's first frame, and with the command
    palette's key as its width allows.

    Textual's Footer composes no keys until the screen first publishes its bindings, and then
    only after another refresh: the first screen would come up with an empty bottom row and
    fill it two frames later. This one composes the keys it can see when it is mounted (the
    app's and the screen's); the focused widget's own keys join when the screen publishes its
    bindings, as before.
    """

    def __init__(
        self, *, id: str | None = None, compact: bool = False, show_command_palette: bool = True
    ) -> None:
        super().__init__(id=id, compact=compact, show_command_palette=show_command_palette)
        self.set_reactive(Footer._bindings_ready, True)

    async def watch_show_command_palette(self) -> None:
        # Textual's Footer adds the palette's key only when it composes: a terminal widened past
        # the width that shows it would not show it until the bindings next changed.
        await self.recompose()
