"""Provides the training settings column: dataset, model, loss and the SGD hyperparameters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select

from losstui.core.datasets import DATASETS
from losstui.core.settings import SETTINGS
from losstui.tui.glyphs import UNICODE, Glyphs
from losstui.tui.widgets.paged_option_list import PagedSelect

#: (setting key, heading) for each field, in display order; headings come from the schema.
FIELDS = tuple(
    (key, SETTINGS[key].title)
    for key in (
        "dataset",
        "model",
        "hidden",
        "hidden_activation",
        "loss",
        "lr",
        "momentum",
        "batch_size",
        "init_scale",
        "patience",
    )
)
SELECT_FIELDS = ("dataset", "model", "hidden_activation", "loss")


class TrainControls(VerticalScroll, can_focus=False):
    """The settings; it posts SettingSubmitted and the app answers with set_values / show_error.

    The column itself takes no focus (its fields do), so tab goes from field to field. The label
    of the focused field is marked with an arrow and reverse video, which shows without colour.

    At most one error shows at a time, so the column never grows by more than one reason (at
    80x24 two wrapped reasons push the fields below them off screen). The error goes when its
    field gets a valid value, when the user leaves that field (which shows the kept value
    again), when another value is submitted or a setting changes, or when another error comes.
    """

    @dataclass
    class SettingSubmitted(Message):
        """The user chose or typed a new value for `field` (a setting key of FIELDS)."""

        controls: TrainControls
        field: str
        value: str

        @property
        def control(self) -> TrainControls:
            return self.controls

    @dataclass
    class RegenerateRequested(Message):
        """The user asked for a new draw of the dataset."""

        controls: TrainControls

        @property
        def control(self) -> TrainControls:
            return self.controls

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs: Glyphs = UNICODE
        self._values: dict[str, str] = {}
        #: The field whose error shows, if any (one at a time).
        self._error_field: str | None = None

    def compose(self) -> ComposeResult:
        for field, label in FIELDS:
            yield Label(label, classes="field-label", id=f"label-{field}")
            if field in SELECT_FIELDS:
                # No blank row: a setting always has a value. The placeholder option lasts until
                # the app's first set_options.
                yield PagedSelect([("-", "")], id=f"field-{field}", allow_blank=False, compact=True)
            else:
                yield Input(id=f"field-{field}", compact=True, select_on_focus=True)
            yield Label("", classes="field-error", id=f"error-{field}")
            if field == "dataset":
                yield Button("New data (g)", id="regenerate", compact=True)

    # Attributes down ---------------------------------------------------------------------------

    def set_options(
        self,
        datasets: Iterable[str],
        models: Sequence[str],
        activations: Sequence[str],
        losses: Sequence[tuple[str, str]],
    ) -> None:
        """Replace the choices: `losses` is (key, label) with the label already marked."""
        g = self.glyphs.text
        options = {
            "dataset": [(g(DATASETS[name].title), name) for name in datasets],
            "model": [(m, m) for m in models],
            "hidden_activation": [(a, a) for a in activations],
            "loss": [(g(label), key) for key, label in losses],
        }
        for field, opts in options.items():
            select = self.query_one(f"#field-{field}", Select)
            if list(select._options) == opts:
                continue  # unchanged: keep the open list and its highlight as they are
            with select.prevent(Select.Changed):
                select.set_options(opts)
                if field in self._values:
                    self._set_select(select, self._values[field])
                # The value may be the one it was (the first option, say), so its watcher did not
                # run: the box would show the old label ("(recommended)" for a new problem's
                # "(not recommended)").
                select.mutate_reactive(Select.value)  # type: ignore[misc]  # Select is generic

    def set_values(self, values: dict[str, str], enabled: dict[str, bool] | None = None) -> None:
        """Show the values in effect (field -> text). A field being edited keeps what the user
        typed unless its value in effect changed. A changed value clears the error shown: a
        setting was applied, so the refused value is no longer the news."""
        for field, value in values.items():
            changed = self._values.get(field) != value
            if changed and field in self._values:
                self.clear_errors()
            self._values[field] = value
            widget = self.query_one(f"#field-{field}")
            if isinstance(widget, Select):
                with widget.prevent(Select.Changed):
                    self._set_select(widget, value)
            elif (
                isinstance(widget, Input)
                and widget.value != value
                and (changed or not widget.has_focus)
            ):
                self._put(widget, value)
        for field, on_ in (enabled or {}).items():
            self.query_one(f"#field-{field}").disabled = not on_

    def set_hidden(self, names: Iterable[str]) -> None:
        """Take the fields called `names` (and the New data button for "regenerate") off the
        column, and bring the others back: a lesson hides what a step does not want touched."""
        hidden = set(names)
        for field, _ in FIELDS:
            for part in ("label", "field"):
                self.query_one(f"#{part}-{field}").display = field not in hidden
        self.query_one("#regenerate").display = "regenerate" not in hidden

    def show_error(self, field: str, message: str) -> None:
        """Show `message` under `field`, wrapped to the column, in place of any other field's
        error (empty clears `field`'s error)."""
        if message and self._error_field not in (None, field):
            self._put_error(self._error_field, "")
        self._put_error(field, message)
        if message:
            self._error_field = field
            if not self.display:
                # Esc with a bad value typed closes a narrow terminal's column as it submits
                # the value: the reason waits under the field, and a toast says it now.
                self.app.notify(self.glyphs.text(message), severity="warning", markup=False)
        elif self._error_field == field:
            self._error_field = None

    def clear_errors(self) -> None:
        """Clear the error shown (a new problem or an applied setting: the reason is old)."""
        if self._error_field is not None:
            self.show_error(self._error_field, "")

    def _put_error(self, field: str, message: str) -> None:
        label = self.query_one(f"#error-{field}", Label)
        label.update(self.glyphs.text(message))
        label.display = bool(message)
        if message:
            self.call_after_refresh(label.scroll_visible, animate=False)

    def error(self, field: str) -> str:
        """The error shown under `field`, or ""."""
        label = self.query_one(f"#error-{field}", Label)
        return str(label.render()) if label.display else ""

    def value_label(self, field: str) -> str:
        """The value in effect of `field` as the user reads it (an option's label for a list)."""
        value = self._values.get(field, "")
        widget = self.query_one(f"#field-{field}")
        if isinstance(widget, Select):
            for prompt, option in widget._options:
                if option == value:
                    return str(prompt)
        return value

    def revert(self, field: str) -> None:
        """Put the value in effect back into `field` (after a refused value, or to normalise
        what was typed); a focused text field selects it all, so typing replaces it."""
        value = self._values.get(field)
        widget = self.query_one(f"#field-{field}")
        if value is None:
            return
        if isinstance(widget, Select):
            with widget.prevent(Select.Changed):
                self._set_select(widget, value)
        elif isinstance(widget, Input):
            self._put(widget, value)

    @staticmethod
    def _put(widget: Input, value: str) -> None:
        with widget.prevent(Input.Changed):
            widget.value = value
        if widget.has_focus:
            widget.select_all()

    def _set_select(self, select: Select, value: str) -> None:
        if any(v == value for _, v in select._options):
            select.value = value

    # Focus marker ------------------------------------------------------------------------------

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._mark(event.widget, True)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._mark(event.widget, False)
        # Leaving a list drops its error (the list shows the kept choice). A text field's blur
        # may submit what was typed, so `_input_done` decides; opening a list moves the focus
        # into the list's own overlay, which is not leaving it.
        field = self._error_field
        if field not in SELECT_FIELDS:
            return
        select = self.query_one(f"#field-{field}")
        focused = self.screen.focused
        if focused is not select and (focused is None or select not in focused.ancestors):
            self.show_error(field, "")

    def _mark(self, widget, focused: bool) -> None:
        field = (widget.id or "").removeprefix("field-")
        labels = dict(FIELDS)
        if field not in labels:
            return
        label = self.query_one(f"#label-{field}", Label)
        arrow = self.glyphs.text("▶ ")
        label.update(arrow + labels[field] if focused else labels[field])
        label.set_class(focused, "-focused")
        if focused:  # the field's heading in view too, with its ▶ (focus scrolls the field only)
            self.call_after_refresh(self.reveal, widget)

    def reveal(self, field: Widget) -> None:
        """Scroll so that `field` and its heading above it are both in view."""
        name = (field.id or "").removeprefix("field-")
        if not field.is_attached or name not in dict(FIELDS):
            return
        label = self.query_one(f"#label-{name}", Label)
        region = label.virtual_region.union(field.virtual_region)
        self.scroll_to_region(region, animate=False, immediate=True)

    # Messages up -------------------------------------------------------------------------------

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        field = (event.select.id or "").removeprefix("field-")
        if event.value is Select.BLANK or field not in SELECT_FIELDS or field not in self._values:
            return  # the placeholder before the app's first values
        if self._values.get(field) != event.value:
            self._submit(field, str(event.value))

    @on(Input.Submitted)
    @on(Input.Blurred)
    def _input_done(self, event: Input.Submitted | Input.Blurred) -> None:
        event.stop()
        field = (event.input.id or "").removeprefix("field-")
        if field not in self._values:
            return
        if event.value.strip() != self._values.get(field):
            self._submit(field, event.value.strip())
        elif isinstance(event, Input.Submitted):
            event.input.select_all()  # enter on an unchanged value: the next keys replace it
        elif self._error_field == field:
            # Left with the kept value in the field: the reason has been read and no longer
            # describes what the field shows.
            self.show_error(field, "")

    def _submit(self, field: str, value: str) -> None:
        """Post `value` for `field`; another field's error goes (the user has moved on), and
        this field's stays until the answer replaces or clears it (no flicker in between)."""
        if self._error_field not in (None, field):
            self.show_error(self._error_field, "")
        self.post_message(self.SettingSubmitted(self, field, value))

    @on(Button.Pressed, "#regenerate")
    def _regenerate(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.RegenerateRequested(self))
