"""Provides the help dialog that lists every key, read from the bindings so it cannot drift."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from losstui.tui.actions import TRAINING_PANE_ACTIONS
from losstui.tui.screens.closes_once import ClosesOnce
from losstui.tui.widgets.distribution_view import DistributionView
from losstui.tui.widgets.pq_lab import PQLab

#: How a key name reads in the help; names not listed are shown as they are ("space", "r").
KEY_NAMES = {
    "plus": "+",
    "minus": "-",
    "equals_sign": "=",
    "underscore": "_",
    "question_mark": "?",
    "greater_than_sign": ">",
    "less_than_sign": "<",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
    "pageup": "pgup",
    "pagedown": "pgdn",
    "escape": "esc",
    "f1": "F1",
}
ARROWS = {"left": "←", "right": "→", "up": "↑", "down": "↓"}

#: Keys that only repeat a neighbour's (+ unshifted, - shifted): left out of the key column and
#: named once in the footnote, so the column stays narrow.
ALIASES = ("equals_sign", "underscore")
ALIAS_NOTE = "= works as +, and _ as {."

#: What an action does, in the help's words; actions in a row with the same text share a line
#: ("←/→  edit P / edit Q"). An action not listed falls back to its binding's tooltip or label.
ACTION_HELP = {
    # The app
    "play": "play / pause training",
    "pause": "play / pause training",
    "fast_forward": "fast-forward to the stop rule, as fast as the machine allows (f stops)",
    "step": "one SGD step",
    "faster": "faster / slower (steps per second)",
    "slower": "faster / slower (steps per second)",
    "regenerate": "new data: draw the dataset again with the next seed",
    "toggle_log10": "Train pane: loss axis in log10(loss) or in loss",
    "open_settings": "Train pane: go into the settings column (from inside it: hide it)",
    "hide_settings": "Train pane: go into the settings column (from inside it: hide it)",
    "toggle_units": "bits or nats (classification and the P/Q lab)",
    "help": "this help",
    "presets": "presets: setups that show each claim of the text",
    "lesson_next": "next step / previous step",
    "lesson_back": "next step / previous step",
    "lesson_hint": "the step's hint",
    "lesson_enlarge": "enlarge the lesson's text, or shrink it back",
    "lesson_leave": "leave the lesson (the app stays as it is)",
    "lesson_jump": "jump to a step (--instructor, --watch)",
    "quit": "quit",
    "suspend_process": "suspend to the shell; fg brings it back",
    "leave_field": "leave a field; single-letter keys work again",
    # Distributions pane
    "step_example(1)": "next / previous validation example",
    "step_example(-1)": "next / previous validation example",
    "worst_example": "the worst-predicted example (largest KL(P‖Q))",
    "select_example(0)": "first / last example",
    "select_example(-1)": "first / last example",
    "step_example(10)": "10 examples on / back",
    "step_example(-10)": "10 examples on / back",
    # P/Q lab
    "toggle_edited": "switch between editing P and editing Q",
    "edit('p')": "edit P / edit Q",
    "edit('q')": "edit P / edit Q",
    "select_outcome(-1)": "previous / next outcome",
    "select_outcome(1)": "previous / next outcome",
    "move(5)": "move 0.05 of probability into / out of the outcome",
    "move(-5)": "move 0.05 of probability into / out of the outcome",
    "move(1)": "move 0.01 into / out of the outcome",
    "move(-1)": "move 0.01 into / out of the outcome",
}
#: "reset" means one thing in the app and another in the lab.
APP_HELP = {**ACTION_HELP, "reset": "back to step 0 (same data, initial weights and settings)"}
LAB_HELP = {**ACTION_HELP, "reset": "back to P = [0.10, 0.40, 0.50], Q = [0.80, 0.15, 0.05]"}


#: The keys a lesson adds, in the order the help lists them.
LESSON_ACTIONS = (
    "lesson_next",
    "lesson_back",
    "lesson_hint",
    "lesson_enlarge",
    "lesson_leave",
    "lesson_jump",
)

Row = tuple[str, str]


def key_text(key: str, *, ascii: bool = False) -> str:
    """One key as the help writes it: "+", "pgdn", "←" (or "left" in ASCII)."""
    key = key.strip()
    if key in ARROWS:
        return key if ascii else ARROWS[key]
    if key.startswith("ctrl+"):
        return "ctrl+" + key_text(key[5:], ascii=ascii)
    return KEY_NAMES.get(key, key)


def _keys(binding: Binding) -> list[str]:
    return [k.strip() for k in binding.key.split(",") if k.strip() not in ALIASES]


def _join_keys(groups: Sequence[list[str]], *, ascii: bool) -> str:
    """Keys of one or more bindings on a line: "n or s"; paired actions as "+/- or ]/["."""
    if len(groups) == 1:
        return " or ".join(key_text(k, ascii=ascii) for k in groups[0])
    width = max(len(g) for g in groups)
    variants = []
    for i in range(width):
        keys = [key_text(g[i], ascii=ascii) for g in groups if i < len(g)]
        variants.append("/".join(keys))
    return " or ".join(variants)


def binding_rows(
    bindings: Iterable[BindingType], help_text: dict[str, str], *, ascii: bool = False
) -> list[Row]:
    """(keys, what they do) for `bindings`, neighbours with the same help text on one row."""
    rows: list[tuple[list[list[str]], str, str]] = []  # (keys per action, help, first action)
    for binding in bindings:
        if not isinstance(binding, Binding):
            continue
        keys = _keys(binding)
        if not keys:
            continue
        what = help_text.get(binding.action)
        if what is None:  # a key added since: its own words, in the help's lower case
            what = binding.tooltip or binding.description
            what = what[:1].lower() + what[1:] if what[:2] != what[:2].upper() else what
        if rows and rows[-1][1] == what:
            groups = rows[-1][0]
            if rows[-1][2] == binding.action:  # another binding of the same action: "n or s"
                groups[-1].extend(k for k in keys if k not in groups[-1])
            elif keys not in groups:  # the other half of a pair: "+/-"
                groups.append(keys)
        else:
            rows.append(([keys], what, binding.action))
    return [(_join_keys(groups, ascii=ascii), what) for groups, what, _ in rows]


def help_sections(app_bindings: Iterable[BindingType], *, ascii: bool = False) -> list:
    """[(title, [(keys, what), ...]), ...]: every key of the app and of each pane's widget."""
    bindings = [b for b in app_bindings if isinstance(b, Binding)]
    by_action: dict[str, list[Binding]] = {}
    for binding in bindings:
        by_action.setdefault(binding.action, []).append(binding)

    def rows_for(actions: Sequence[str]) -> list[Row]:
        chosen = [b for a in actions for b in by_action.get(a, ())]
        return binding_rows(chosen, APP_HELP, ascii=ascii)

    panes = [b for b in bindings if b.action.startswith("pane(")]
    pane_keys = " ".join(key_text(k) for b in panes for k in _keys(b))
    # Each pane's binding is described by its tab's title, "1 Problem": the names, in key order.
    pane_names = ", ".join(b.description.split(" ", 1)[-1] for b in panes)
    quit_keys = " or ".join(
        key_text(k) for a in ("quit", "interrupt") for b in by_action.get(a, ()) for k in _keys(b)
    )
    arrows = "up/down" if ascii else "↑/↓"
    return [
        (
            "Anywhere",
            [
                (pane_keys, f"panes: {pane_names}"),
                ("tab", "next control; shift+tab the previous one"),
                *rows_for(("help", "presets", "leave_field", "suspend_process")),
                ("ctrl+p", "command palette: every action by name"),
                (quit_keys, "quit"),
            ],
        ),
        (
            "Problem pane",
            [
                (f"{arrows} enter", "highlight and choose a problem"),
                ("tab", "the question path, for when you don't know the name"),
            ],
        ),
        ("Train and Distributions panes", rows_for(TRAINING_PANE_ACTIONS)),
        (
            "In a lesson (losstui lesson FILE)",
            [
                *rows_for(
                    ("lesson_next", "lesson_back", "lesson_hint", "lesson_enlarge", "lesson_leave")
                ),
                ("a b c ...", "answer the step's question (as do the arrows and enter)"),
            ],
        ),
        (
            "Settings column (Train pane, c)",
            [
                ("tab", "next field; shift+tab the previous one"),
                ("enter", "apply a typed value, or open a list"),
                ("esc", "leave the field; training keys work again"),
            ],
        ),
        ("Distributions pane", binding_rows(DistributionView.BINDINGS, ACTION_HELP, ascii=ascii)),
        ("P/Q lab", binding_rows(PQLab.BINDINGS, LAB_HELP, ascii=ascii)),
        (
            "This help",
            [
                (arrows, "scroll a line"),
                ("pgup/pgdn", "scroll a page"),
                ("home/end", "top / bottom"),
                ("esc ? F1 q", "close"),
            ],
        ),
    ]


def help_renderable(app_bindings: Iterable[BindingType], *, ascii: bool = False) -> Group:
    """Every key, grouped by where it applies: each heading on its own line, a narrow key column."""
    sections = help_sections(app_bindings, ascii=ascii)
    key_width = min(max(len(k) for _, rows in sections for k, _ in rows), 18)
    parts: list = []
    for title, rows in sections:
        parts.append(Text(title, style="bold underline"))
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", width=key_width)
        table.add_column(ratio=1)
        for keys, what in rows:
            table.add_row(keys, what)
        parts.append(table)
        parts.append(Text(""))
    parts.append(Text(ALIAS_NOTE, style="dim"))
    return Group(*parts)


class HelpScreen(ClosesOnce, ModalScreen[None]):
    """Lists every key; it scrolls by keyboard; escape, q, ? or F1 closes it."""

    AUTO_FOCUS = "#help-box"  # the scroll container takes the arrows and page keys at once
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", show=True),
    ]

    def __init__(
        self,
        app_bindings: Iterable[BindingType] = (),
        *,
        ascii: bool = False,
        classes: str | None = None,
    ) -> None:
        super().__init__(classes=classes)
        self._app_bindings = list(app_bindings)
        self._ascii = ascii

    def compose(self) -> ComposeResult:
        scroll = "up/down pgup/pgdn" if self._ascii else "↑/↓ pgup/pgdn"
        with VerticalScroll(id="help-box"):
            yield Static(
                Text.assemble(("losstui keys", "bold"), f"   ({scroll} scroll, esc closes)\n"),
                id="help-title",
            )
            yield Static(help_renderable(self._app_bindings, ascii=self._ascii), id="help-keys")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
