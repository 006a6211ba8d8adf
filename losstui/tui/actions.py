"""The app's actions in one table: the keys, the footer, the help and the command palette read it.

Each action is written once, with its key(s), its footer label, where its binding lives (the app,
or the main screen), the panes where it applies, its line in the help and its palette entry. The
bindings (`bindings`), the help (`screens/help_screen.py`) and the palette (`palette.py`) are built
from `ACTIONS`; a test checks that each of them has what the table says it should.

The table's order is the bindings' order, which is the footer's, and, within a help group, the
help's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from textual.binding import Binding

from losstui.core.settings import PANES

#: The panes where training is on show and its keys act.
TRAINING_PANES = ("train", "distributions", "race")

#: The title of each pane's tab, which its key's binding (1 to 7) is named after too.
TAB_TITLES = {
    "problem": "1 Problem",
    "recommendation": "2 Recommendation",
    "train": "3 Train",
    "distributions": "4 Distributions",
    "pq_lab": "5 P/Q lab",
    "lessons": "6 Lessons",
    "race": "7 Race",
}

#: The keys that answer a lesson's question, one per answer: the lesson format's MAX_CHOICES of
#: them, as the answer list letters them (a test holds the three together; the lessons modules
#: load only when a lesson opens).
ANSWER_LETTERS = "abcdefg"

#: How a key name reads in the help and the palette; names not listed read as they are.
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


def key_text(key: str, *, ascii: bool = False) -> str:
    """One key as the help writes it: "+", "pgdn", "←" (or "left" in ASCII)."""
    key = key.strip()
    if key in ARROWS:
        return key if ascii else ARROWS[key]
    if key.startswith("ctrl+"):
        return "ctrl+" + key_text(key[5:], ascii=ascii)
    return KEY_NAMES.get(key, key)


#: Where an action's binding lives: the app (keys that act over any screen: the panes, help,
#: quitting) or the main screen (training, the panes' views and the lesson's strip: what it shows).
Scope = Literal["app", "screen"]
#: The help's sections that list table actions (the help adds rows of its own around them):
#: "panes" and "quit" are written as one row each.
HelpGroup = Literal["panes", "anywhere", "training", "race", "lesson", "quit"]


@dataclass(frozen=True)
class Palette:
    """An action's entry in the command palette: its title, what it does, and the action it runs
    when that is not the key's own (a palette entry has no key state to pick play or pause)."""

    title: str
    what: str
    action: str | None = None


@dataclass(frozen=True)
class Action:
    """One action: its key(s) and footer label, where it is bound and applies, its help line and
    its palette entry."""

    #: The action as Textual runs it: "step", "pane('train')", "lesson_answer(0)".
    action: str
    #: Textual's key list ("plus,equals_sign"); "" for an action only the palette offers.
    keys: str = ""
    #: The footer's label (and the binding's description).
    label: str = ""
    #: Shown in the footer (where it applies: `check_action` hides it elsewhere).
    show: bool = False
    key_display: str | None = None
    #: Checked before the focused widget's keys (see Textual's priority bindings).
    priority: bool = False
    #: More keys for the same action, never in the footer ("s" steps, as "n" does).
    more_keys: str = ""
    scope: Scope = "app"
    #: The panes where it applies; elsewhere it is hidden. Empty: wherever its scope is.
    panes: tuple[str, ...] = ()
    #: The pane on show decides whether it applies (its `check_action`), within `panes`.
    pane_checks: bool = False
    #: The help's section and words; no group: not in the help.
    group: HelpGroup | None = None
    help: str = ""
    palette: Palette | None = None

    @property
    def name(self) -> str:
        """The action's name without its parameters: "pane" for "pane('train')"."""
        return self.action.split("(", 1)[0]

    def bindings(self) -> Iterator[Binding]:
        """Its Textual bindings: its keys, then its further keys, hidden."""
        if self.keys:
            yield Binding(
                self.keys,
                self.action,
                self.label,
                show=self.show,
                key_display=self.key_display,
                priority=self.priority,
            )
        if self.more_keys:
            yield Binding(self.more_keys, self.action, self.label, show=False)

    def palette_what(self) -> str:
        """The palette's line under the title: what it does, and its key ("One SGD step (n)")."""
        assert self.palette is not None
        if not self.keys:
            return self.palette.what
        return f"{self.palette.what} ({key_text(self.keys.split(',')[0])})"


def _training(action: str, keys: str, label: str, **more: Any) -> Action:
    """An action that drives training: bound on the main screen, on the training panes."""
    return Action(
        action, keys, label, scope="screen", panes=TRAINING_PANES, group="training", **more
    )


def _title(pane: str) -> str:
    """A pane's name without its key: "P/Q lab"."""
    return TAB_TITLES[pane].split(" ", 1)[1]


def _lesson(action: str, keys: str, label: str = "", **more: Any) -> Action:
    """A lesson's key: bound on the main screen, which holds the lesson's strip."""
    return Action(action, keys, label, scope="screen", **more)


PLAY_PAUSE = "play / pause training"
FASTER_SLOWER = "faster / slower (steps per second)"
SETTINGS_HELP = "Train pane: go into the settings column (from inside it: hide it)"
NEXT_BACK = "next step / previous step"
RUN_HELP = "In a race: show the next / previous run (Race, Train and Distributions panes)"

ACTIONS: tuple[Action, ...] = (
    # Training, on the Train and Distributions panes (bound on the main screen).
    _training(
        "play",
        "space",
        "Play",
        show=True,
        key_display="space",
        help=PLAY_PAUSE,
        palette=Palette("Play / pause training", "Start or stop SGD", "toggle_running"),
    ),
    _training("pause", "space", "Pause", show=True, key_display="space", help=PLAY_PAUSE),
    _training(
        "fast_forward",
        "f",
        "Fast",
        show=True,
        help="fast-forward to the stop rule, as fast as the machine allows (f stops)",
        palette=Palette(
            "Fast-forward",
            "Train as fast as the machine allows until the stop rule or a key",
            "fast_forward_or_say_why",
        ),
    ),
    # f where fast-forward cannot run (another pane, a diverged run) says why.
    Action("fast_forward_refused", "f", scope="screen"),
    _training(
        "step",
        "n",
        "Step",
        show=True,
        more_keys="s",
        help="one SGD step",
        palette=Palette("Step once", "One SGD step"),
    ),
    _training(
        "reset",
        "r",
        "Reset",
        show=True,
        help="back to step 0 (same data, initial weights and settings)",
        palette=Palette("Reset training", "Back to step 0"),
    ),
    _training(
        "faster",
        "plus,equals_sign",
        "Faster",
        help=FASTER_SLOWER,
        palette=Palette("Faster", "More steps per second"),
    ),
    _training(
        "slower",
        "minus",
        "Slower",
        help=FASTER_SLOWER,
        palette=Palette("Slower", "Fewer steps per second"),
    ),
    _training(
        "regenerate",
        "g",
        "New data",
        help="new data: draw the dataset again with the next seed",
        palette=Palette("New data", "Regenerate the dataset with the next seed"),
    ),
    # The views' own keys (bound on the main screen too; the panes answer for them).
    Action(
        "toggle_log10",
        "l",
        "log10",
        scope="screen",
        panes=("train",),
        group="training",
        help="Train pane: loss axis in log10(loss) or in loss",
        palette=Palette("Toggle log10 loss axis", "Plot log10(loss) or loss"),
    ),
    Action(
        "toggle_ghosts",
        "o",
        "ghost",
        scope="screen",
        panes=("train",),
        group="training",
        help="Train pane: show or hide the ghost, the curve of the run a setting change replaced",
        palette=Palette(
            "Toggle ghost curves",
            "Draw the replaced run's loss curve, faint, under the new run's",
        ),
    ),
    Action(
        "toggle_shapes",
        "s",
        "Shapes",
        show=True,
        scope="screen",
        panes=("recommendation",),
        pane_checks=True,
        group="training",
        help="Recommendation pane: each loss and its gradient against the prediction, or the text",
        palette=Palette(
            "Toggle loss shapes",
            "Draw the problem's losses and their gradients against the prediction",
        ),
    ),
    Action(
        "shape_target",
        "y",
        "Target",
        show=True,
        scope="screen",
        panes=("recommendation",),
        pane_checks=True,
        group="training",
        help="Recommendation pane, shapes on: the shapes for another target (class, count)",
    ),
    Action(
        "shape_axis",
        "p",
        "p/margin",
        show=True,
        scope="screen",
        panes=("recommendation",),
        pane_checks=True,
        group="training",
        help="Recommendation pane, shapes on, two classes: against p, or against the margin",
    ),
    Action(
        "toggle_calibration",
        "c",
        "Calibration",
        # Not in the footer: at 80 columns it would push Quit off it. The pane's own keys line
        # lists it where it applies.
        scope="screen",
        panes=("distributions",),
        pane_checks=True,
        group="training",
        help="Distributions pane: can the probabilities be trusted (a reliability diagram)",
        palette=Palette(
            "Toggle calibration",
            "Predicted probabilities against how often they come true, in bins",
        ),
    ),
    Action(
        "toggle_landscape",
        "w",
        "Landscape",
        # Not in the footer: at 80 columns the Train pane's keys fill it.
        scope="screen",
        panes=("train",),
        group="training",
        help="Train pane: the loss landscape SGD walks, in place of the fit",
        palette=Palette(
            "Toggle loss landscape",
            "The training loss over two parameters and SGD's path, in place of the fit",
        ),
    ),
    Action(
        "open_settings",
        "c",
        "Settings",
        show=True,
        scope="screen",
        panes=("train",),
        pane_checks=True,
        group="training",
        help=SETTINGS_HELP,
    ),
    Action(
        "hide_settings",
        "c",
        "Hide settings",
        show=True,
        scope="screen",
        panes=("train",),
        pane_checks=True,
        group="training",
        help=SETTINGS_HELP,
    ),
    # u and c are never both in the footer (c on the Train pane, u on the others), so u comes
    # last here, where the help lists it.
    Action(
        "toggle_units",
        "u",
        "bits/nats",
        show=True,
        scope="screen",
        panes=("distributions", "pq_lab"),
        pane_checks=True,
        group="training",
        help="bits or nats (classification and the P/Q lab)",
        palette=Palette("Toggle bits / nats", "Units of entropy and KL"),
    ),
    # Races: started from the Train pane (or the Race pane when none is on), ended on the Race
    # pane; v does one or the other, never both (check_action: whether a race is on).
    # Not in the footer: at 60 columns the Train pane's keys would push Quit off it.
    Action(
        "race_losses",
        "v",
        "Race",
        scope="screen",
        panes=("train", "race"),
        group="race",
        help="race this run's loss against the alternatives the recommendation lists",
        palette=Palette(
            "Race losses",
            "This run's loss against the recommendation's alternatives, on the Race pane",
        ),
    ),
    Action(
        "race_learning_rates",
        scope="screen",
        palette=Palette(
            "Race learning rates", "This setup at lr 0.001, 0.01, 0.1 and 1, on the Race pane"
        ),
    ),
    Action(
        "end_race",
        "v",
        "End race",
        show=True,
        scope="screen",
        panes=("race",),
        group="race",
        help="Race pane: end the race; the selected run goes on alone",
        palette=Palette("End the race", "Back to one run: the selected one, as far as it trained"),
    ),
    Action(
        "next_run",
        "right_square_bracket",
        "Next run",
        key_display="]",
        scope="screen",
        panes=("race", "train", "distributions"),
        group="race",
        help=RUN_HELP,
    ),
    Action(
        "previous_run",
        "left_square_bracket",
        "Previous run",
        key_display="[",
        scope="screen",
        panes=("race", "train", "distributions"),
        group="race",
        help=RUN_HELP,
    ),
    # The Train pane from the first two (priority: over the focused widget and a dialog).
    Action(
        "goto_train",
        "3",
        "Train",
        show=True,
        priority=True,
        panes=("problem", "recommendation"),
    ),
    # Anywhere.
    Action(
        "help",
        "question_mark,f1",
        "Help",
        show=True,
        key_display="?",
        group="anywhere",
        help="this help",
        palette=Palette("Keys", "Every key, by where it works"),
    ),
    Action(
        "copy_setup",
        palette=Palette("Copy the setup line", "The current setup as KEY=VALUE words"),
    ),
    Action(
        "presets",
        "d",
        "Presets",
        group="anywhere",
        help="presets: setups that show each claim of the text",
        palette=Palette("Presets", "Setups that show each claim of the text"),
    ),
    Action(
        "leave_field",
        "escape",
        scope="screen",
        group="anywhere",
        help="leave a field; single-letter keys work again",
    ),
    # Textual reads ctrl+z as a key (the terminal is in raw mode): without this it did nothing.
    Action(
        "suspend_process",
        "ctrl+z",
        "Suspend",
        group="anywhere",
        help="suspend to the shell; fg brings it back",
    ),
    # Each pane by its number (priority, as 3 above).
    *(
        Action(
            f"pane('{pane}')",
            str(i + 1),
            TAB_TITLES[pane],
            priority=True,
            group="panes",
            palette=Palette(f"Go to {_title(pane)}", f"Show the {_title(pane)} pane"),
        )
        for i, pane in enumerate(PANES)
    ),
    # A lesson's keys (bound on the main screen). The lesson strip lists them (> < h e x) on its
    # last line: the footer, full at 80 columns, leaves them out.
    _lesson(
        "lesson_next",
        "greater_than_sign",
        "Next step",
        key_display=">",
        group="lesson",
        help=NEXT_BACK,
    ),
    _lesson(
        "lesson_back",
        "less_than_sign",
        "Back",
        key_display="<",
        group="lesson",
        help=NEXT_BACK,
    ),
    _lesson("lesson_hint", "h", "Hint", group="lesson", help="the step's hint"),
    _lesson(
        "lesson_enlarge",
        "e",
        "Enlarge lesson",
        group="lesson",
        help="enlarge the lesson's text, or shrink it back",
    ),
    _lesson(
        "lesson_leave",
        "x",
        "Leave lesson",
        group="lesson",
        help="leave the lesson (the app stays as it is)",
    ),
    # Authoring and teaching only (--instructor, --watch): check_action hides it otherwise. Its
    # words are ready, but the help has never listed it (no group).
    _lesson("lesson_jump", "t", "To step", help="jump to a step (--instructor, --watch)"),
    Action("quit", "q", "Quit", show=True, group="quit", help="quit"),
    Action("interrupt", "ctrl+c", "Quit", priority=True, group="quit", help="quit"),
    # A lesson's question answers to its letters from any pane, before the keys they share
    # (c settings, d presets, e enlarge; hence priority, checked before the focused widget
    # and the other keys): moving to another pane to look, then typing the answer, left the
    # question deaf. A letter past the last answer, typed into a field, or pressed once the
    # question is answered right, is the usual key.
    *(
        _lesson(f"lesson_answer({i})", letter, priority=True)
        for i, letter in enumerate(ANSWER_LETTERS)
    ),
)

#: Each action by its name (without parameters); "pane" and "lesson_answer" name their first.
BY_NAME: dict[str, Action] = {}
for _entry in ACTIONS:
    BY_NAME.setdefault(_entry.name, _entry)


def bindings(scope: Scope) -> list[Binding]:
    """The bindings of the actions bound in `scope`, in the table's order."""
    return [b for a in ACTIONS if a.scope == scope for b in a.bindings()]
