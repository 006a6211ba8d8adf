"""Provides the losstui Textual app and run(), the entry point the command line calls."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

import numpy as np
from rich.cells import cell_len
from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Select, Static, TabbedContent, TabPane

from losstui.core.diagnostics import CLASSIFICATION_KINDS
from losstui.core.losses import LOSSES, DensityLoss
from losstui.core.models import HIDDEN_ACTIVATION_NAMES
from losstui.core.problems import PROBLEMS, is_recommended
from losstui.core.settings import PANES, SETTINGS
from losstui.core.state import TICKS_PER_SECOND, AppState, StateChanged
from losstui.tui.glyphs import Glyphs, choose_glyphs
from losstui.tui.screens.help_screen import HelpScreen
from losstui.tui.widgets.distribution_view import DistributionView
from losstui.tui.widgets.loss_curves import LossCurves
from losstui.tui.widgets.model_view import ModelView
from losstui.tui.widgets.pq_lab import PQLab
from losstui.tui.widgets.problem_chooser import ProblemChooser
from losstui.tui.widgets.question_path import QuestionPath
from losstui.tui.widgets.recommendation_view import RecommendationView
from losstui.tui.widgets.train_controls import FIELDS, SELECT_FIELDS, TrainControls
from losstui.tui.widgets.train_stats import TrainStats

MIN_WIDTH, MIN_HEIGHT = 60, 20
"""Below this the layout cannot show a pane and its keys; the app says so instead."""
WIDE = 120
"""From this width panes sit side by side (chooser beside recommendation, curves beside model)."""
SETTINGS_WIDTH = 100
"""Below this width the settings column starts hidden on the Train pane (key c shows it)."""
STATS_INTERVAL = 0.25
PLOT_INTERVAL = 0.5
MAP_INTERVAL = 1.0
"""Seconds between redraws while training: what a student can read, and within the byte budget."""

TAB_TITLES = {
    "problem": "1 Problem",
    "recommendation": "2 Recommendation",
    "train": "3 Train",
    "distributions": "4 Distributions",
    "pq_lab": "5 P/Q lab",
}
SHORT_TAB_TITLES = {**TAB_TITLES, "recommendation": "2 Recommend", "distributions": "4 Distrib"}
"""Tab titles below 80 columns, where the full ones don't fit on one line."""
TRAINING_PANES = ("train", "distributions")
TRAINING_ACTIONS = ("play", "pause", "step", "reset", "faster", "slower", "regenerate")
NEGATIVE_LOSS_NOTES = {
    "poisson": (
        "Poisson loss drops log y!, so it can be negative; only changes matter.",
        "Poisson loss drops log y!, so it can go below 0.",
    ),
    **{
        key: (
            "A density can exceed 1, so its negative log-likelihood can be negative; "
            "only changes matter.",
            "A density can exceed 1, so its NLL can go below 0.",
        )
        for key, loss in LOSSES.items()
        if isinstance(loss, DensityLoss)
    },
}
"""Why a loss on show is 0 or below; other losses get a general sentence."""


class LossApp(App[None]):
    """Choose a problem, read the recommendation, train live, compare distributions."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "losstui"
    ENABLE_COMMAND_PALETTE = True
    AUTO_FOCUS = None  # on_mount focuses the open pane; focusing another would switch tabs

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "play", "Play", key_display="space"),
        Binding("space", "pause", "Pause", key_display="space"),
        Binding("n", "step", "Step"),
        Binding("s", "step", "Step", show=False),
        Binding("r", "reset", "Reset"),
        Binding("plus,equals_sign", "faster", "Faster", show=False),
        Binding("minus", "slower", "Slower", show=False),
        Binding("l", "toggle_log10", "log10", show=False),
        Binding("u", "toggle_units", "bits/nats"),
        Binding("g", "regenerate", "New data", show=False),
        Binding("c", "open_settings", "Settings"),
        Binding("c", "hide_settings", "Hide settings"),
        Binding("3", "goto_train", "Train", priority=True),
        *(
            Binding(str(i + 1), f"pane('{pane}')", TAB_TITLES[pane], show=False, priority=True)
            for i, pane in enumerate(PANES)
        ),
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("escape", "leave_field", show=False),
    ]

    def __init__(self, problem: str | None = None, ascii: bool = False, seed: int = 0) -> None:
        self.glyphs: Glyphs = choose_glyphs(force_ascii=ascii)
        super().__init__()
        self.state = AppState(problem, seed=seed)
        if problem is not None:  # the user named the problem: open on its recommendation
            self.state.set_pane("recommendation")
        self.state.subscribe(self._state_changed)
        self._settings_choice: bool | None = None  # the user's c toggle overrides the default
        self._last_stats = 0.0
        self._last_plots = 0.0
        self._last_map = 0.0
        self._status_text = ""
        if self.glyphs.name == "ascii":
            from losstui.tui.ascii_filter import AsciiFilter

            self._filters.append(AsciiFilter())

    # Layout ------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="status-bar")
        with TabbedContent(initial=self.state.pane, id="panes"):
            with TabPane(TAB_TITLES["problem"], id="problem"), Horizontal(id="problem-row"):
                with Container(id="pick"):
                    with Vertical(id="chooser-col"):
                        yield Label("Choose your problem (enter):", classes="pane-title")
                        yield ProblemChooser(id="chooser")
                    with Vertical(id="questions-col"):
                        yield Label("Don't know its name? Answer:", classes="pane-title")
                        yield QuestionPath(id="questions")
                yield RecommendationView(brief=True, id="preview")
            with TabPane(TAB_TITLES["recommendation"], id="recommendation"):
                yield RecommendationView(id="recommendation-view")
            with TabPane(TAB_TITLES["train"], id="train"), Horizontal(id="train-row"):
                yield TrainControls(id="controls")
                with Vertical(id="train-main"):
                    yield TrainStats(id="stats")
                    with Container(id="plots"):
                        yield LossCurves(id="curves")
                        yield ModelView(id="model-view")
            with TabPane(TAB_TITLES["distributions"], id="distributions"):
                yield DistributionView(id="dist-view")
            with TabPane(TAB_TITLES["pq_lab"], id="pq_lab"):
                yield PQLab(id="pq-lab")
        yield Static("", id="too-small")
        yield Footer()

    def on_mount(self) -> None:
        self._tabs = self.query_one("#panes", TabbedContent)
        self._preview = self.query_one("#preview", RecommendationView)
        if self.glyphs.name == "ascii":
            self.screen.add_class("-ascii")
        for widget in self.query("*"):
            if hasattr(widget, "glyphs") and widget is not self:
                widget.glyphs = self.glyphs
            if hasattr(widget, "units") and isinstance(getattr(widget, "units", None), str):
                widget.units = self.state.units
        self._ticker = self.set_interval(1 / TICKS_PER_SECOND, self._tick, pause=True)
        self._apply_size(self.size.width, self.size.height)
        self._sync_problem()
        self._sync_controls()
        self.action_leave_field()  # focus the open pane's main widget
        self._redraw(force=True)
        self.watch(self.screen, "focused", self._focus_changed, init=False)

    def on_resize(self, event) -> None:
        self._apply_size(event.size.width, event.size.height)

    def _apply_size(self, width: int, height: int) -> None:
        if not hasattr(self, "_tabs"):  # a resize before on_mount: on_mount applies the size
            return
        screen = self.screen
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        screen.set_class(small, "-too-small")
        screen.set_class(width >= WIDE, "-wide")
        screen.set_class(height >= 36, "-tall")
        self._apply_settings_visibility(width)
        footer = self.query_one(Footer)
        footer.compact = width < 80
        footer.show_command_palette = width >= 80
        titles = TAB_TITLES if width >= 80 else SHORT_TAB_TITLES
        for pane, title in titles.items():
            tab = self._tabs.get_tab(pane)
            if str(tab.label) != title:
                tab.label = title
        if small:  # short lines, each centred on its own
            self.query_one("#too-small", Static).update(
                f"losstui needs a terminal of at least {MIN_WIDTH}x{MIN_HEIGHT};\n"
                f"this one is {width}x{height}.\n\n"
                "Enlarge the window,\nor press q to quit."
            )
        self._update_status()

    def _apply_settings_visibility(self, width: int | None = None) -> None:
        width = self.size.width if width is None else width
        default = width >= SETTINGS_WIDTH
        show = self._settings_choice if self._settings_choice is not None else default
        self.query_one("#controls", TrainControls).display = show

    # State -> widgets (attributes down) --------------------------------------------------------

    def _state_changed(self, changed: StateChanged) -> None:
        state = self.state
        if "problem" in changed:
            self._sync_problem()
        if "config" in changed or "trainer" in changed:
            self._sync_controls()
        if "running" in changed:
            if state.running:
                self._ticker.resume()
            else:
                self._ticker.pause()
            self.refresh_bindings()
        if "pane" in changed:
            tabs = self._tabs
            if tabs.active != state.pane:
                tabs.active = state.pane
            # The pane's own keys (the P/Q lab's arrows, the examples' j/k) need its widget focused;
            # after the refresh, so that the newly shown pane can take focus.
            self.call_after_refresh(self._focus_pane, state.pane)
            self.refresh_bindings()
            self._redraw(force=True)
        if "units" in changed:
            self.query_one("#dist-view", DistributionView).units = state.units
            self.query_one("#pq-lab", PQLab).units = state.units
            self._redraw(force=True)
        if "pq" in changed:  # a lesson or the palette set the lab's values: show them
            lab = self.query_one("#pq-lab", PQLab)
            if (lab.p, lab.q) != (state.pq_p, state.pq_q):
                lab.set_distributions(state.pq_p, state.pq_q)
        if "log10" in changed:
            self._redraw(force=True, stats=False)
        if changed.touches("trainer", "config", "speed", "problem") or (
            "progress" in changed and not state.running
        ):
            self._redraw(force=True)
        elif "running" in changed:
            # Play shows TRAINING at once; the last frame before a pause shows the final state.
            self._redraw(force=True)
        self._update_status()

    def _sync_problem(self) -> None:
        key = self.state.problem
        self.query_one("#controls", TrainControls).clear_errors()
        self.query_one("#chooser", ProblemChooser).select_key(key)
        for view in self.query(RecommendationView):
            view.show(key)

    def _sync_controls(self) -> None:
        state = self.state
        config = state.config
        controls = self.query_one("#controls", TrainControls)
        losses = []
        for choice in state.loss_choices():
            label = choice.title
            if choice.recommended or is_recommended(state.problem, choice.key):
                label += "  (recommended)"
            elif choice.refusal:
                label += "  (cannot run)"
            losses.append((choice.key, label))
        controls.set_options(state.datasets, state.models, HIDDEN_ACTIVATION_NAMES, losses)
        controls.set_values(
            {key: SETTINGS[key].format(getattr(config, key)) for key, _ in FIELDS},
            enabled={
                "hidden": config.model == "mlp",
                "hidden_activation": config.model == "mlp",
                "loss": len(state.loss_choices()) > 1,
            },
        )

    def _update_status(self) -> None:
        state = self.state
        problem = PROBLEMS[state.problem].title
        loss = self._loss_title()
        if state.trainer.diverged:
            run = "DIVERGED"
        elif state.running:
            run = f"training {state.speed}/s"
        else:
            run = "paused"
        pairing = LOSSES[state.config.loss].pairing
        step = f"step {state.trainer.step_count}"
        # The first variant that fits one line: a wrapped status would push the panes down.
        variants = (
            f" losstui | {problem} | {pairing} | {run} | {step}",
            f" {problem} | {pairing} | {run}",
            f" {problem} | {loss} | {run}",
            f" {loss} | {run}",
        )
        width = self.size.width
        # Below WIDE the step count is left to the stats line on the Train pane.
        candidates = [self.glyphs.text(v) for v in variants[0 if width >= WIDE else 1 :]]
        text = next((t for t in candidates if cell_len(t) <= width), candidates[-1][:width])
        if text != self._status_text:  # an unchanged line is not worth a repaint
            self._status_text = text
            self.query_one("#status-bar", Static).update(text)

    def _loss_title(self) -> str:
        return LOSSES[self.state.config.loss].title

    # Drawing -----------------------------------------------------------------------------------

    def _visible(self, pane: str) -> bool:
        return pane == self.state.pane

    def _redraw(self, *, force: bool = False, stats: bool = True, plots: bool = True) -> None:
        """Redraw what is visible; while training, stats 4 and plots 2 times a second at most."""
        # A diverged model overflows on purpose; the panes say so in words, not in warnings.
        with np.errstate(all="ignore"):
            self._draw_visible(force=force, stats=stats, plots=plots)

    def _draw_visible(self, *, force: bool, stats: bool, plots: bool) -> None:
        now = time.monotonic()
        state = self.state
        trainer = state.trainer
        if stats and (force or now - self._last_stats >= STATS_INTERVAL):
            self._last_stats = now
            self._update_status()
            if self._visible("train"):
                readout = self.query_one("#stats", TrainStats)
                values = readout.evaluate(trainer)
                shown = (values.get("train_loss"), values.get("val_loss"))
                nonpositive = any(v is not None and v <= 0 for v in shown)
                readout.show(
                    trainer,
                    running=state.running,
                    steps_per_second=state.speed,
                    loss_title=self._loss_title(),
                    recommended=is_recommended(state.problem, state.config.loss),
                    divergence=state.divergence_message,
                    hint=self._focus_hint(),
                    note=self._negative_loss_note() if nonpositive else None,
                )
        if plots and (force or now - self._last_plots >= PLOT_INTERVAL):
            self._last_plots = now
            if self._visible("train"):
                if state.log10 and self._loss_went_nonpositive():
                    self.call_later(self._log10_unavailable)
                self.query_one("#curves", LossCurves).show(
                    trainer.history, log10=state.log10, loss_name=self._loss_title()
                )
                if force or now - self._last_map >= MAP_INTERVAL:
                    self._last_map = now
                    self.query_one("#model-view", ModelView).show(trainer)
            if self._visible("distributions"):
                self.query_one("#dist-view", DistributionView).show(trainer)

    def _negative_loss_note(self) -> tuple[str, ...]:
        return NEGATIVE_LOSS_NOTES.get(
            self.state.config.loss,
            (f"{self._loss_title()} is 0 or below here; only its changes matter.",),
        )

    def _loss_went_nonpositive(self) -> bool:
        """Whether a loss on show (plotted, or in the stats) is 0 or below: no log10 of it."""
        trainer = self.state.trainer
        now = self.query_one("#stats", TrainStats).evaluate(trainer)
        if min(now["train_loss"], now["val_loss"]) <= 0:
            return True
        return any(min(r.train_loss, r.val_loss) <= 0 for r in trainer.history)

    def _log10_unavailable(self) -> None:
        if self.state.log10:
            self.state.toggle_log10()
        self.notify(
            f"log10 is unavailable: the {self._loss_title()} goes to 0 or below. "
            "The loss axis stays linear.",
            timeout=5,
            markup=False,
        )

    def _focus_hint(self) -> str | None:
        """What the keys do while a settings field has focus (space and letters type there)."""
        focused = self.focused
        if isinstance(focused, Input):
            return "enter applies, esc leaves the field"
        if isinstance(focused, Select):
            return "enter opens the list, esc leaves"
        if focused is not None and focused.id == "regenerate":
            return "enter draws new data, esc leaves"
        return None

    def _focus_changed(self, _focused: Widget | None = None) -> None:
        self.refresh_bindings()  # c reads "Settings" or "Hide settings"
        if self._visible("train"):
            self._redraw(force=True, plots=False)

    def _tick(self) -> None:
        if not self.state.running:
            self._ticker.pause()
            return
        self.state.step(self.state.steps_per_tick)
        self._redraw()

    # Messages up -------------------------------------------------------------------------------

    @on(TabbedContent.TabActivated, "#panes")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane.id or "problem"
        # Activations queued before a programmatic switch arrive late: trust only the live tab.
        if pane in PANES and event.tabbed_content is self._tabs and pane == self._tabs.active:
            self.state.set_pane(pane)

    @on(ProblemChooser.ProblemSelected, "#chooser")
    def _problem_selected(self, event: ProblemChooser.ProblemSelected) -> None:
        self._choose_problem(event.key)

    @on(ProblemChooser.ProblemHighlighted, "#chooser")
    def _problem_highlighted(self, event: ProblemChooser.ProblemHighlighted) -> None:
        self._preview.show(event.key)

    @on(QuestionPath.ProblemFound, "#questions")
    def _problem_found(self, event: QuestionPath.ProblemFound) -> None:
        self.notify(f"Your problem: {PROBLEMS[event.key].title}", timeout=4)
        self._choose_problem(event.key)

    def _choose_problem(self, key: str) -> None:
        self.state.set_problem(key)
        self._sync_problem()
        if self.size.width < WIDE:
            self.state.set_pane("recommendation")

    @on(TrainControls.SettingSubmitted, "#controls")
    def _setting_submitted(self, event: TrainControls.SettingSubmitted) -> None:
        state = self.state
        controls = self.query_one("#controls", TrainControls)
        field = event.field
        before, steps_before, loss_before = (
            state.trainer,
            state.trainer.step_count,
            state.config.loss,
        )
        try:
            state.set(field, event.value)
        except ValueError as error:
            # The reason stays under the field until the field is next changed successfully.
            # A list shows the kept choice itself; a text field's kept value is worth naming.
            kept = "" if field in SELECT_FIELDS else f"; kept {controls.value_label(field)}"
            controls.show_error(field, f"{error}{kept}")
            controls.revert(field)
            return
        controls.show_error(field, "")
        controls.revert(field)  # as the state reads it: "32,,16" shows as "32,16"
        if state.trainer is not before and steps_before:  # the steps so far are gone: say so
            shown = controls.value_label(field).split("  (")[0]
            message = f"{SETTINGS[field].label} {shown}: training restarts from step 0"
            if field != "loss" and state.config.loss != loss_before:
                message += f"; the loss is now {self._loss_title()}"
            self.notify(self.glyphs.text(message), timeout=4, markup=False)

    @on(TrainControls.RegenerateRequested, "#controls")
    def _regenerate_requested(self) -> None:
        self.action_regenerate()

    @on(PQLab.Changed, "#pq-lab")
    def _pq_changed(self, event: PQLab.Changed) -> None:
        self.state.set_pq(event.p, event.q)  # the lab only ever holds valid distributions

    # Actions -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        state = self.state
        pane = state.pane
        if action in TRAINING_ACTIONS and pane not in TRAINING_PANES:
            return False
        if action == "play":
            if state.running:
                return False
            return None if state.trainer.diverged else True
        if action == "pause":
            return state.running
        if action == "step":
            return None if state.trainer.diverged or state.running else True
        if action == "open_settings":
            return pane == "train" and not self._focus_in_settings()
        if action == "hide_settings":
            return pane == "train" and self._focus_in_settings()
        if action == "toggle_log10":
            return pane == "train"
        if action == "toggle_units":
            if pane == "distributions":  # bits and nats measure information: classification
                kind = state.trainer.dataset.kind
                return True if kind in CLASSIFICATION_KINDS else None
            return pane == "pq_lab"
        if action == "goto_train":
            return pane in ("problem", "recommendation")
        return True

    def action_play(self) -> None:
        try:
            self.state.play()
        except ValueError as error:
            self.notify(str(error), severity="warning", markup=False)

    def action_pause(self) -> None:
        self.state.pause()

    def action_step(self) -> None:
        """One SGD step (the key n); also what tests call to advance training deterministically."""
        self.state.step(1)

    def action_reset(self) -> None:
        self.state.reset()

    def action_faster(self) -> None:
        self.state.faster()

    def action_slower(self) -> None:
        self.state.slower()

    def action_toggle_log10(self) -> None:
        if not self.state.log10 and self._loss_went_nonpositive():
            self._log10_unavailable()
            return
        self.state.toggle_log10()

    def action_toggle_units(self) -> None:
        self.state.toggle_units()

    def action_regenerate(self) -> None:
        self.state.regenerate()
        self.notify(
            f"New data drawn with seed {self.state.config.seed}: training restarts from step 0",
            timeout=3,
        )

    def action_open_settings(self) -> None:
        """c: show the settings column and put the keys in its first field."""
        controls = self.query_one("#controls", TrainControls)
        if not controls.display:
            self._settings_choice = True
            self._apply_settings_visibility()
        first = next((w for w in controls.query("Input, Select") if w.focusable), None)
        self.screen.set_focus(first)

    def action_hide_settings(self) -> None:
        """c inside the settings: hide the column; the keys go back to the pane."""
        self._settings_choice = False
        self._apply_settings_visibility()
        self.action_leave_field()

    def _focus_in_settings(self) -> bool:
        focused = self.focused
        controls = self.query_one("#controls", TrainControls)
        return focused is not None and controls in focused.ancestors

    def action_pane(self, pane: str) -> None:
        self.state.set_pane(pane)

    def action_goto_train(self) -> None:
        self.state.set_pane("train")

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            ascii = self.glyphs.name == "ascii"
            self.push_screen(
                HelpScreen(self.BINDINGS, ascii=ascii, classes="-ascii" if ascii else None)
            )

    def action_leave_field(self) -> None:
        """Escape: take focus out of a text field so single-letter keys act again."""
        self._focus_pane(self.state.pane)

    def _focus_pane(self, pane: str) -> None:
        """Focus the main widget of `pane`, if it is still the open one."""
        if pane != self.state.pane:
            return
        target = {
            "problem": "#chooser",
            "recommendation": "#recommendation-view",
            "train": "#curves",
            "distributions": "#dist-view",
            "pq_lab": "#pq-lab",
        }[pane]
        widget = self.query_one(target)
        # Focus now, not via call_later: a late focus in another pane would switch tabs back.
        self.screen.set_focus(widget if widget.can_focus else None)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        commands = (
            ("Play / pause training", "Start or stop SGD (space)", self._palette_toggle),
            ("Step once", "One SGD step (n)", self.action_step),
            ("Reset training", "Back to step 0 (r)", self.action_reset),
            ("Faster", "More steps per second (+)", self.action_faster),
            ("Slower", "Fewer steps per second (-)", self.action_slower),
            ("New data", "Regenerate the dataset with the next seed (g)", self.action_regenerate),
            ("Toggle log10 loss axis", "Plot log10(loss) or loss (l)", self.action_toggle_log10),
            ("Toggle bits / nats", "Units of entropy and KL (u)", self.action_toggle_units),
            ("Show keys", "Every key (?)", self.action_help),
        )
        for title, help_text, callback in commands:
            yield SystemCommand(title, help_text, callback)
        for i, pane in enumerate(PANES):
            title = TAB_TITLES[pane].split(" ", 1)[1]
            yield SystemCommand(
                f"Go to {title}", f"Show the {title} pane ({i + 1})", self._go(pane)
            )
        for key, problem in PROBLEMS.items():
            yield SystemCommand(f"Problem: {problem.title}", problem.summary, self._choose(key))

    def _palette_toggle(self) -> None:
        try:
            self.state.toggle_running()
        except ValueError as error:
            self.notify(str(error), severity="warning", markup=False)

    def _go(self, pane: str):
        return lambda: self.state.set_pane(pane)

    def _choose(self, key: str):
        return lambda: self._choose_problem(key)


def run(problem: str | None = None, ascii: bool = False) -> int:
    """Build the app (on `problem`, in ASCII if asked or if the locale is not UTF-8) and run it;
    return its exit status (1 after a crash)."""
    app = LossApp(problem=problem, ascii=ascii)
    app.run()
    return app.return_code or 0
