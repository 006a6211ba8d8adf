"""Provides the help dialog that lists every key, read from the action table so it cannot drift."""

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

from losstui.tui.actions import ACTIONS, HelpGroup, key_text
from losstui.tui.screens.closes_once import ClosesOnce
from losstui.tui.screens.dialog_box import dialog_box_css
from losstui.tui.widgets.distribution_view import DistributionView
from losstui.tui.widgets.pq_lab import PQLab

#: Keys that only repeat a neighbour's (+ unshifted, - shifted): left out of the key column and
#: named once in the footnote, so the column stays narrow.
ALIASES = ("equals_sign", "underscore")
ALIAS_NOTE = "= works as +, and _ as {."

#: What a pane widget's key does, in the help's words; actions in a row with the same text share a
#: line ("←/→  edit P / edit Q"). An action not listed falls back to its binding's tooltip or
#: label. (The app's own actions have their words in the action table, `losstui.tui.actions`.)
WIDGET_HELP = {
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
#: "reset" means one thing in the app (the table's) and another in the lab.
LAB_HELP = {**WIDGET_HELP, "reset": "back to P = [0.10, 0.40, 0.50], Q = [0.80, 0.15, 0.05]"}

Row = tuple[str, str]


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


def table_rows(group: HelpGroup, *, ascii: bool = False) -> list[Row]:
    """(keys, what they do) for the table's actions of help group `group`, in its order."""
    chosen = [a for a in ACTIONS if a.group == group]
    words = {a.action: a.help for a in chosen}
    return binding_rows((b for a in chosen for b in a.bindings()), words, ascii=ascii)


def help_sections(*, ascii: bool = False) -> list:
    """[(title, [(keys, what), ...]), ...]: every key of the app and of each pane's widget."""
    panes = [b for a in ACTIONS if a.group == "panes" for b in a.bindings()]
    pane_keys = " ".join(key_text(k) for b in panes for k in _keys(b))
    # Each pane's binding is described by its tab's title, "1 Problem": the names, in key order.
    pane_names = ", ".join(b.description.split(" ", 1)[-1] for b in panes)
    quit_keys = " or ".join(
        key_text(k) for a in ACTIONS if a.group == "quit" for b in a.bindings() for k in _keys(b)
    )
    arrows = "up/down" if ascii else "↑/↓"
    return [
        (
            "Anywhere",
            [
                (pane_keys, f"panes: {pane_names}"),
                ("tab", "next control; shift+tab the previous one"),
                *table_rows("anywhere", ascii=ascii),
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
        ("Train, Distributions and Race panes", table_rows("training", ascii=ascii)),
        (
            "Races (Train and Race panes)",
            [
                *table_rows("race", ascii=ascii),
                ("ctrl+p", "Race learning rates; d: the race presets"),
            ],
        ),
        (
            "In a lesson (losstui lesson FILE)",
            [
                *table_rows("lesson", ascii=ascii),
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
        ("Distributions pane", binding_rows(DistributionView.BINDINGS, WIDGET_HELP, ascii=ascii)),
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


def help_renderable(*, ascii: bool = False) -> Group:
    """Every key, grouped by where it applies: each heading on its own line, a narrow key column."""
    sections = help_sections(ascii=ascii)
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

    DEFAULT_CSS = dialog_box_css("HelpScreen", "help-box")

    AUTO_FOCUS = "#help-box"  # the scroll container takes the arrows and page keys at once
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", show=True),
    ]

    def __init__(self, *, ascii: bool = False, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self._ascii = ascii

    def compose(self) -> ComposeResult:
        scroll = "up/down pgup/pgdn" if self._ascii else "↑/↓ pgup/pgdn"
        with VerticalScroll(id="help-box"):
            yield Static(
                Text.assemble(("losstui keys", "bold"), f"   ({scroll} scroll, esc closes)\n"),
                id="help-title",
            )
            yield Static(help_renderable(ascii=self._ascii), id="help-keys")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
