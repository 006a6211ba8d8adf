"""Provides the training settings column: dataset, model, loss and the SGD hyperparameters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, Select

from losstui.core.datasets import DATASETS
from losstui.tui.glyphs import UNICODE, Glyphs

#: (field, label) for each setting, in display order; the field names match AppState's setters.
FIELDS = (
    ("dataset", "Dataset"),
    ("model", "Model"),
    ("hidden", "Hidden sizes (e.g. 32,16)"),
    ("hidden_activation", "Hidden activation"),
    ("loss", "Loss"),
    ("lr", "Learning rate"),
    ("momentum", "Momentum [0, 1)"),
    ("batch_size", "Batch size"),
)
SELECT_FIELDS = ("dataset", "model", "hidden_activation", "loss")


class TrainControls(VerticalScroll):
    """The settings; it posts SettingSubmitted and the app answers with set_values / show_error."""

    class SettingSubmitted(Message):
        """The user chose or typed a new value for `field` (a name of FIELDS)."""

        def __init__(self, controls: TrainControls, field: str, value: str) -> None:
            super().__init__()
            self.controls = controls
            self.field = field
            self.value = value

        @property
        def control(self) -> TrainControls:
            return self.controls

    class RegenerateRequested(Message):
        """The user asked for a new draw of the dataset."""

        def __init__(self, controls: TrainControls) -> None:
            super().__init__()
            self.controls = controls

        @property
        def control(self) -> TrainControls:
            return self.controls

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs: Glyphs = UNICODE
        self._values: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        for field, label in FIELDS:
            yield Label(label, classes="field-label", id=f"label-{field}")
            if field in SELECT_FIELDS:
                yield Select[str]([], id=f"field-{field}", allow_blank=True, compact=True)
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
            with select.prevent(Select.Changed):
                select.set_options(opts)
                if field in self._values:
                    self._set_select(select, self._values[field])

    def set_values(self, values: dict[str, str], enabled: dict[str, bool] | None = None) -> None:
        """Show the values in effect (field -> text) and clear the errors of changed fields."""
        for field, value in values.items():
            self._values[field] = value
            widget = self.query_one(f"#field-{field}")
            if isinstance(widget, Select):
                with widget.prevent(Select.Changed):
                    self._set_select(widget, value)
            elif isinstance(widget, Input) and widget.value != value and not widget.has_focus:
                with widget.prevent(Input.Changed):
                    widget.value = value
            self.show_error(field, "")
        for field, on_ in (enabled or {}).items():
            self.query_one(f"#field-{field}").disabled = not on_

    def show_error(self, field: str, message: str) -> None:
        """Show `message` under `field` (empty clears it)."""
        label = self.query_one(f"#error-{field}", Label)
        label.update(self.glyphs.text(message))
        label.display = bool(message)

    def _set_select(self, select: Select, value: str) -> None:
        if any(v == value for _, v in select._options):
            select.value = value

    # Messages up -------------------------------------------------------------------------------

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        field = (event.select.id or "").removeprefix("field-")
        if event.value is Select.BLANK or field not in SELECT_FIELDS:
            return
        if self._values.get(field) != event.value:
            self.post_message(self.SettingSubmitted(self, field, str(event.value)))

    @on(Input.Submitted)
    @on(Input.Blurred)
    def _input_done(self, event: Input.Submitted | Input.Blurred) -> None:
        event.stop()
        field = (event.input.id or "").removeprefix("field-")
        if event.value.strip() != self._values.get(field):
            self.post_message(self.SettingSubmitted(self, field, event.value.strip()))
        else:
            self.show_error(field, "")

    @on(Button.Pressed, "#regenerate")
    def _regenerate(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.RegenerateRequested(self))

    def revert(self, field: str) -> None:
        """Put the value in effect back into `field` (after a refused choice)."""
        value = self._values.get(field)
        widget = self.query_one(f"#field-{field}")
        if value is None:
            return
        if isinstance(widget, Select):
            with widget.prevent(Select.Changed):
                self._set_select(widget, value)
        elif isinstance(widget, Input):
            with widget.prevent(Input.Changed):
                widget.value = value
