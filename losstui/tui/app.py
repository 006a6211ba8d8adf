"""Provides the losstui Textual app and run(), the entry point the command line calls."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from losstui.core.presets import PRESETS
from losstui.core.problems import PROBLEMS
from losstui.core.settings import PANES
from losstui.core.state import TICKS_PER_SECOND, AppState, StateChanged
from losstui.core.tasks import get_task
from losstui.lessons import progress
from losstui.lessons.format import Lesson
from losstui.lessons.progress import lesson_key
from losstui.lessons.runner import LessonRun
from losstui.tui import signals
from losstui.tui.crash_report import crash_line, write_report
from losstui.tui.glyphs import Glyphs, choose_glyphs
from losstui.tui.panes.problem_pane import ProblemPane
from losstui.tui.panes.train_pane import TrainPane
from losstui.tui.screens.command_palette import SafeCommandPalette
from losstui.tui.screens.help_screen import HelpScreen
from losstui.tui.screens.main_screen import TAB_TITLES, MainScreen
from losstui.tui.screens.preset_screen import PresetScreen
from losstui.tui.streams import drawing_on_the_terminal
from losstui.tui.widgets.lesson_panel import LessonPanel
from losstui.tui.widgets.train_controls import TrainControls

TRAINING_PANES = ("train", "distributions")
TRAINING_ACTIONS = ("play", "pause", "step", "reset", "faster", "slower", "regenerate")


class LossApp(App[None]):
    """Choose a problem, read the recommendation, train live, compare distributions.

    The app holds the state, the keys and the training timer; the main screen and its panes
    draw the state.
    """

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "losstui"
    ENABLE_COMMAND_PALETTE = True
    AUTO_FOCUS = None  # the main screen focuses the open pane; focusing another would switch tabs

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
        Binding("d", "presets", "Presets", show=False),
        Binding("greater_than_sign", "lesson_next", "Next step", key_display=">"),
        Binding("less_than_sign", "lesson_back", "Back", key_display="<", show=False),
        Binding("h", "lesson_hint", "Hint", show=False),
        Binding("e", "lesson_enlarge", "Enlarge lesson", show=False),
        Binding("x", "lesson_leave", "Leave lesson", show=False),
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("escape", "leave_field", show=False),
    ]

    def __init__(
        self,
        problem: str | None = None,
        ascii: bool = False,
        seed: int = 0,
        preset: str | None = None,
        setup: str | None = None,
        lesson: Lesson | None = None,
        instructor: bool = False,
    ) -> None:
        self.glyphs: Glyphs = choose_glyphs(force_ascii=ascii)
        super().__init__()
        self.state = AppState(problem, seed=seed)
        if preset is not None:  # a preset opens on the Train pane, ready to play
            self.state.apply_preset(preset)
        if setup is not None:  # a shared setup line (checked by the command line) on top
            self.state.apply_setup_line(setup)
        elif problem is not None:  # the user named the problem: open on its recommendation
            self.state.set_pane("recommendation")
        self.lesson: LessonRun | None = None
        panel = None
        if lesson is not None:
            # A student who quit in the middle resumes at the same step.
            self.lesson = LessonRun(lesson, self.state, progress.load(lesson_key(lesson)))
            self.lesson.enter()
            panel = LessonPanel(self.lesson, self.glyphs, instructor=instructor)
        self.main_screen = MainScreen(self.state, self.glyphs, panel)
        if self.glyphs.name == "ascii":
            from losstui.tui.ascii_filter import AsciiFilter

            self._filters.append(AsciiFilter())

    def get_default_screen(self) -> Screen:
        return self.main_screen

    def on_mount(self) -> None:
        signals.install(self)
        self._ticker = self.set_interval(1 / TICKS_PER_SECOND, self._tick, pause=True)
        self.state.subscribe(self._state_changed)
        if self.state.running:
            self._ticker.resume()

    def _print_error_renderables(self) -> None:
        # Textual prints the traceback of an uncaught error over the restored terminal; write it
        # to a file instead and say where in one line.
        if self._exception is None:
            super()._print_error_renderables()
            return
        self._exit_renderables.clear()
        try:
            setup = self.state.setup_line()
        except Exception:  # the state may be what broke
            setup = ""
        path = write_report(self._exception, setup)
        stream = sys.stderr if sys.stderr is not None else sys.__stdout__
        if stream is not None:
            print(crash_line(self._exception, path), file=stream)

    def _state_changed(self, event: StateChanged) -> None:
        if "running" in event:
            if self.state.running:
                self._ticker.resume()
            else:
                self._ticker.pause()

    def _tick(self) -> None:
        if not self.state.running:
            self._ticker.pause()
            return
        self.state.step(self.state.steps_per_tick)
        if self.lesson is not None:  # a step's `run N` pauses once its N steps are done
            self.lesson.tick()

    @property
    def train_pane(self) -> TrainPane:
        """The Train pane of the main screen."""
        return self.main_screen.query_one(TrainPane)

    # Actions -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        state = self.state
        pane = state.pane
        if action.startswith("lesson_"):
            return self.lesson is not None
        if action in TRAINING_ACTIONS and pane not in TRAINING_PANES:
            return False
        if action in ("play", "step", "reset", "regenerate") and state.is_locked(action):
            return None  # a lesson holds it: shown, greyed
        if action == "play":
            if state.running:
                return False
            return None if state.trainer.diverged else True
        if action == "pause":
            return state.running
        if action == "step":
            return None if state.trainer.diverged or state.running else True
        if action == "open_settings":
            return pane == "train" and not self.train_pane.focus_in_settings()
        if action == "hide_settings":
            return pane == "train" and self.train_pane.focus_in_settings()
        if action == "toggle_log10":
            return pane == "train"
        if action == "toggle_units":
            if pane == "distributions":  # bits and nats measure information: classification
                return True if get_task(state.trainer.dataset.kind).classes else None
            return pane == "pq_lab"
        if action == "goto_train":
            return pane in ("problem", "recommendation")
        return True

    def _attempt(self, intent: Callable[[], object]) -> None:
        """Run an intent on the state; a refusal (a lock, a diverged run) becomes a notice."""
        try:
            intent()
        except ValueError as error:
            self.notify(str(error), severity="warning", markup=False)

    def action_play(self) -> None:
        self._attempt(self.state.play)

    def action_pause(self) -> None:
        self.state.pause()

    def action_step(self) -> None:
        """One SGD step (the key n); also what tests call to advance training deterministically."""
        if not self.state.is_locked("step"):
            self.state.step(1)

    def action_reset(self) -> None:
        self._attempt(self.state.reset)

    def action_faster(self) -> None:
        self._attempt(self.state.faster)

    def action_slower(self) -> None:
        self._attempt(self.state.slower)

    def action_toggle_log10(self) -> None:
        if not self.state.log10 and self.train_pane.loss_went_nonpositive():
            self.train_pane.log10_unavailable()
            return
        self._attempt(self.state.toggle_log10)

    def action_toggle_units(self) -> None:
        self._attempt(self.state.toggle_units)

    def action_regenerate(self) -> None:
        try:
            self.state.regenerate()
        except ValueError as error:
            self.notify(str(error), severity="warning", markup=False)
            return
        self.notify(
            f"New data drawn with seed {self.state.config.seed}: training restarts from step 0",
            timeout=3,
        )

    @on(TrainControls.RegenerateRequested)
    def _regenerate_requested(self) -> None:
        self.action_regenerate()

    def action_open_settings(self) -> None:
        """c: show the settings column and put the keys in its first field."""
        self.train_pane.open_settings()

    def action_hide_settings(self) -> None:
        """c inside the settings: hide the column; the keys go back to the pane."""
        self.train_pane.hide_settings()
        self.action_leave_field()

    def action_pane(self, pane: str) -> None:
        self._attempt(lambda: self.state.set_pane(pane))

    def action_goto_train(self) -> None:
        self.action_pane("train")

    def action_command_palette(self) -> None:
        """ctrl+p: the command palette, unless one is open anywhere in the stack (a burst of keys
        can put help over it; a second one would clash with its id, Textual issue #3714's
        DuplicateIds)."""
        if not any(isinstance(screen, SafeCommandPalette) for screen in self.screen_stack):
            self.push_screen(SafeCommandPalette(id="--command-palette"))

    def action_help(self) -> None:
        if not isinstance(self.screen, (HelpScreen, SafeCommandPalette)):
            ascii = self.glyphs.name == "ascii"
            self.push_screen(
                HelpScreen(self.BINDINGS, ascii=ascii, classes="-ascii" if ascii else None)
            )

    def action_copy_setup(self) -> None:
        """Copy the setup line (terminals that support OSC 52) and show it, to print or share:
        `losstui --setup "..."` opens the same setup."""
        line = self.state.setup_line()
        self.copy_to_clipboard(line)
        self.notify(line, title="Setup line (copied; losstui --setup opens it)", timeout=15)

    def action_presets(self) -> None:
        """The presets dialog; the chosen one is applied and its claim shown."""
        if isinstance(self.screen, PresetScreen):
            return
        ascii = self.glyphs.name == "ascii"
        self.push_screen(
            PresetScreen(
                self.state.problem, text=self.glyphs.text, classes="-ascii" if ascii else None
            ),
            self._apply_preset,
        )

    def _apply_preset(self, key: str | None) -> None:
        if key is None:
            return
        self._attempt(lambda: self.state.apply_preset(key))
        if self.state.pane == "train":
            preset = PRESETS[key]
            self.notify(self.glyphs.text(preset.claim), title=preset.title, timeout=10)

    # Lessons ------------------------------------------------------------------------------------

    @property
    def lesson_panel(self) -> LessonPanel:
        return self.main_screen.query_one(LessonPanel)

    def action_lesson_next(self) -> None:
        if self.lesson is None:
            return
        reason = self.lesson.next()
        if reason is not None:
            self.lesson_panel.say(f"Not yet: {reason.removeprefix('not yet: ')}.")
            return
        progress.save(lesson_key(self.lesson.lesson), self.lesson.index)
        self.lesson_panel.refresh_step()
        self.lesson_panel.focus_choices()

    def action_lesson_back(self) -> None:
        if self.lesson is not None and self.lesson.back():
            progress.save(lesson_key(self.lesson.lesson), self.lesson.index)
            self.lesson_panel.refresh_step()

    def action_lesson_hint(self) -> None:
        if self.lesson is not None:
            self.lesson_panel.say(f"Hint: {self.lesson.step.hint or 'no hint for this step.'}")

    def action_lesson_enlarge(self) -> None:
        if self.lesson is not None:
            self.main_screen.query_one("#lesson-slot").toggle_class("-enlarged")

    def action_lesson_leave(self) -> None:
        """Leave the lesson: its locks and hidden controls go, the app stays as it is."""
        if self.lesson is None:
            return
        self.lesson = None
        self.state.unlock()
        self.state.show(*self.state.hidden)
        slot = self.main_screen.query_one("#lesson-slot")
        slot.remove_children()
        slot.remove_class("-open")
        self.refresh_bindings()

    def action_leave_field(self) -> None:
        """Escape: take focus out of a text field so single-letter keys act again."""
        self.main_screen.focus_pane()

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
            ("Copy the setup line", "The current setup as KEY=VALUE words", self.action_copy_setup),
            ("Presets", "Setups that show each claim of the text (d)", self.action_presets),
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
        for key, preset in PRESETS.items():
            yield SystemCommand(f"Preset: {preset.title}", preset.claim, self._preset(key))

    def _palette_toggle(self) -> None:
        self._attempt(self.state.toggle_running)

    def _preset(self, key: str) -> Callable[[], None]:
        return lambda: self._apply_preset(key)

    def _go(self, pane: str) -> Callable[[], None]:
        return lambda: self.action_pane(pane)

    def _choose(self, key: str) -> Callable[[], None]:
        return lambda: self.main_screen.query_one("#problem-pane", ProblemPane).choose(key)


def run(
    problem: str | None = None,
    ascii: bool = False,
    preset: str | None = None,
    setup: str | None = None,
    lesson: Lesson | None = None,
    instructor: bool = False,
) -> int:
    """Build the app (on `problem`, `preset` or a `setup` line, in ASCII if asked or if the locale
    is not UTF-8), run it, and return its exit status: 0, 1 when it stopped on an error (the
    report's path printed in one line), 128 + N when signal N ended it."""
    app = LossApp(
        problem=problem,
        ascii=ascii,
        preset=preset,
        setup=setup,
        lesson=lesson,
        instructor=instructor,
    )
    with drawing_on_the_terminal():
        app.run()
    if app._exception is not None:  # an uncaught error: never status 0
        return 1
    return app.return_code or 0
