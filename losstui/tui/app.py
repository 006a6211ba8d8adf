"""Provides the losstui Textual app and run(), the entry point the command line calls."""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.command import CommandPalette, Provider
from textual.screen import Screen

from losstui.tui import partial_update, signals
from losstui.tui.actions import BY_NAME, bindings
from losstui.tui.clock import TrainingClock
from losstui.tui.crash_report import crash_line, write_report
from losstui.tui.glyphs import Glyphs, choose_glyphs
from losstui.tui.intents import attempt
from losstui.tui.lazy import lazy_class
from losstui.tui.lesson_controller import LessonController
from losstui.tui.opening import opening_state
from losstui.tui.screens.command_palette import SafeCommandPalette
from losstui.tui.screens.main_screen import MainScreen
from losstui.tui.screenshots import deliver
from losstui.tui.streams import drawing_on_the_terminal

# What the first screen does not show loads when first needed (a fast start): the other panes,
# plotext with them, the help and preset dialogs, the palette's commands and the presets,
# lessons and their panel.
if TYPE_CHECKING:
    from rich.console import RenderableType

    from losstui.core.state import AppState
    from losstui.lessons.language import Lesson
    from losstui.lessons.runner import LessonRun
    from losstui.tui.panes.lessons_pane import LessonsPane
    from losstui.tui.panes.train_pane import TrainPane


class LossApp(App[None]):
    """Choose a problem, read the recommendation, train live, compare distributions.

    The app holds the state, the training clock, the lesson controller and the keys that act
    from anywhere; the main screen, its keys and its panes draw and drive the state. Every key
    is in the action table (`losstui.tui.actions`), which the footer, the help and the command
    palette (`losstui.tui.palette`) read.
    """

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "losstui"
    ENABLE_COMMAND_PALETTE = True
    # One provider for Textual's commands and the app's, listed together (see LossCommands).
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {
        lazy_class("losstui.tui.palette:LossCommands")  # loaded when the palette first opens
    }
    AUTO_FOCUS = None  # the main screen focuses the open pane; focusing another would switch tabs

    BINDINGS: ClassVar[list[BindingType]] = list(bindings("app"))

    def __init__(
        self,
        problem: str | None = None,
        ascii: bool = False,
        seed: int = 0,
        preset: str | None = None,
        setup: str | None = None,
        lesson: Lesson | None = None,
        instructor: bool = False,
        lesson_path: str | None = None,
        watch: bool = False,
        low_bandwidth: bool = False,
        save_dir: str | Path | None = None,
        allow_long_run: bool = False,
        lesson_step: int | None = None,
    ) -> None:
        self.glyphs: Glyphs = choose_glyphs(force_ascii=ascii)
        #: Redraw the pictures about once a second (a slow link); the panes read it.
        self.low_bandwidth = low_bandwidth
        #: Where screenshots go: the working directory unless `--save-dir` names another.
        self.save_dir = Path(save_dir) if save_dir is not None else None
        partial_update.install()  # a refreshed digit is sent alone, not with its line
        super().__init__()
        # The state (numpy, the trainer, the data) comes just after the first frame when that
        # is the Problem pane of a fresh state; `state` stands for it until then (LateState).
        self._late = opening_state(problem, seed, preset, setup, allow_long_run)
        if lesson is not None or lesson_path is not None:
            self._late.build_now()  # a lesson opens on its own step's values
        self.state = cast("AppState", self._late)
        self.lessons = LessonController(self, lesson_path, watch, instructor, lesson_step)
        self.clock = TrainingClock(self, self.state, self.lessons)
        strip = self.lessons.opening_strip(lesson)
        self.main_screen = MainScreen(self.state, self.glyphs, strip, self.lessons)
        if self.glyphs.name == "ascii":
            from losstui.tui.ascii_filter import AsciiFilter

            self._filters.append(AsciiFilter())

    @property
    def lesson(self) -> LessonRun | None:
        """The lesson followed, run over the state (None: no lesson)."""
        return self.lessons.run

    @property
    def train_pane(self) -> TrainPane | None:
        """The Train pane of the main screen, once it is composed (it is, when first opened)."""
        return self.main_screen.train_pane()

    async def on_event(self, event: events.Event) -> None:
        # Keys of a burst can outlast the screens while the app shuts down (a quit, a dropped
        # link): Textual would raise ScreenStackError for each ("No screens on stack") and end
        # on a crash report. They have nowhere to go.
        if isinstance(event, events.Key) and not self.screen_stack:
            return
        await super().on_event(event)

    def get_default_screen(self) -> Screen:
        return self.main_screen

    def on_mount(self) -> None:
        signals.install(self)
        self.lessons.start_watching()
        self.clock.start()
        if self.low_bandwidth:  # say why the pictures move in steps, and how to change it
            self.notify(
                "Low-bandwidth mode (a slow link, or SSH): the pictures redraw about once a "
                "second. losstui --no-low-bandwidth redraws them smoothly.",
                timeout=6,
            )
        self.call_after_refresh(self.lessons.tell_progress_trouble, True)
        self.call_after_refresh(gc.enable)  # off since the command line started (cli.main)
        # After the first frame is drawn: a key pressed before builds it then (see LateState).
        self.call_after_refresh(self._late.build_now)
        self._late.when_built(self.refresh_bindings)  # the footer's keys, from the state

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

    def exit(
        self,
        result: None = None,
        return_code: int = 0,
        message: RenderableType | None = None,
    ) -> None:
        """Quit (q, a signal, an error): a lesson's progress is kept as the student left it."""
        # Quitting must not fail on what it only tries to keep (after a crash, the state that
        # broke may be what it reads): the crash report comes first.
        with contextlib.suppress(Exception):
            self.lessons.finish_if_done()
        super().exit(result, return_code, message)

    # Keys that act from anywhere (the main screen has the training keys) ------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "suspend_process":  # the browser's app has no shell to go back to
            return not self.is_web
        entry = BY_NAME.get(action)
        return entry is None or not entry.panes or self.state.pane in entry.panes

    def action_interrupt(self) -> None:
        """ctrl+c: quit as an interrupted program does, with status 130 (q quits with 0)."""
        signals.interrupt(self)

    def action_pane(self, pane: str) -> None:
        attempt(self, lambda: self.state.set_pane(pane))

    def action_goto_train(self) -> None:
        self.action_pane("train")

    def action_command_palette(self) -> None:
        """ctrl+p: the command palette, unless one is open anywhere in the stack (a burst of keys
        can put help over it; a second one would clash with its id, Textual issue #3714's
        DuplicateIds), Textual's own theme picker (the palette's Theme) too."""
        if not any(isinstance(screen, CommandPalette) for screen in self.screen_stack):
            self.push_screen(SafeCommandPalette(id="--command-palette"))

    def action_help(self) -> None:
        from losstui.tui.screens.help_screen import HelpScreen

        if not isinstance(self.screen, (HelpScreen, CommandPalette)):
            ascii = self.glyphs.name == "ascii"
            self.push_screen(HelpScreen(ascii=ascii, classes="-ascii" if ascii else None))

    def action_copy_setup(self) -> None:
        """Copy the setup line (terminals that support OSC 52) and show it, to print or share:
        `losstui --setup "..."` opens the same setup."""
        line = self.state.setup_line()
        self.copy_to_clipboard(line)
        self.notify(line, title="Setup line (copied; losstui --setup opens it)", timeout=15)

    def action_presets(self) -> None:
        """The presets dialog; the chosen one is applied and its claim shown."""
        from losstui.tui.screens.preset_screen import PresetScreen

        if isinstance(self.screen, PresetScreen):
            return
        ascii = self.glyphs.name == "ascii"
        self.push_screen(
            PresetScreen(
                self.state.problem, text=self.glyphs.text, classes="-ascii" if ascii else None
            ),
            self.apply_preset,
        )

    def apply_preset(self, key: str | None) -> None:
        """Apply preset `key` (None: the dialog was closed), its claim shown on the pane it opens
        (the Train pane, or the Race pane for a race)."""
        from losstui.core.presets import app_preset

        if key is not None and attempt(self, lambda: self.state.apply_preset(key)):
            preset = app_preset(key)
            self.notify(self.glyphs.text(preset.claim), title=preset.title, timeout=10)

    # Lessons: the controller follows the lesson (the main screen has its keys) ------------------

    async def open_lesson(self, path: str) -> None:
        """Open the lesson file at `path` in the lesson strip (or the strip of its errors)."""
        await self.lessons.open(path)

    async def on_lessons_pane_lesson_chosen(self, event: LessonsPane.LessonChosen) -> None:
        await self.lessons.open(event.path)

    def on_lesson_panel_answered(self) -> None:
        self.lessons.keep_progress()  # an answer survives a quit before the student goes on

    # Screenshots and the palette ----------------------------------------------------------------

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The palette's Screenshot, saved where `--save-dir` says (see `screenshots.deliver`);
        in a browser (`losstui serve`) the browser downloads it, as Textual does."""
        if self.is_web:
            return super().deliver_screenshot(filename, path, time_format)
        deliver(self, self.save_dir, filename, path, time_format)
        return None

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's "Keys" opens its own side panel: it lists keys losstui does not have
        # (super+c), pushes the tabs off the left edge and does not close on esc. The app's help
        # (?) takes its name. The app's own commands are the palette's (LossCommands).
        yield from (c for c in super().get_system_commands(screen) if c.title != "Keys")


def run(
    problem: str | None = None,
    ascii: bool = False,
    preset: str | None = None,
    setup: str | None = None,
    lesson: Lesson | None = None,
    instructor: bool = False,
    lesson_path: str | None = None,
    watch: bool = False,
    low_bandwidth: bool = False,
    save_dir: str | None = None,
    allow_long_run: bool = False,
    lesson_step: int | None = None,
) -> int:
    """Build the app (on `problem`, `preset` or a `setup` line, in ASCII if asked or if the locale
    is not UTF-8, redrawing for a slow link if `low_bandwidth`), run it, and return its exit
    status: 0, 1 when it stopped on an error (the report's path printed in one line), 128 + N
    when signal N ended it."""
    app = LossApp(
        problem=problem,
        ascii=ascii,
        preset=preset,
        setup=setup,
        lesson=lesson,
        instructor=instructor,
        lesson_path=lesson_path,
        watch=watch,
        low_bandwidth=low_bandwidth,
        save_dir=save_dir,
        allow_long_run=allow_long_run,
        lesson_step=lesson_step,
    )
    with drawing_on_the_terminal():
        app.run()
    if app._exception is not None:  # an uncaught error: never status 0
        return 1
    return app.return_code or 0
