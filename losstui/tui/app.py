"""Provides the losstui Textual app and run(), the entry point the command line calls."""

from __future__ import annotations

import contextlib
import math
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

from losstui.core.content import ContentError
from losstui.core.presets import PRESETS
from losstui.core.problems import PROBLEMS
from losstui.core.settings import PANES
from losstui.core.state import TICKS_PER_SECOND, AppState, Part, StateChanged
from losstui.core.tasks import get_task
from losstui.tui import partial_update, signals
from losstui.tui.actions import TRAINING_ACTIONS, TRAINING_PANES
from losstui.tui.crash_report import crash_line, write_report
from losstui.tui.glyphs import Glyphs, choose_glyphs
from losstui.tui.screens.command_palette import SafeCommandPalette
from losstui.tui.screens.main_screen import TAB_TITLES, MainScreen
from losstui.tui.streams import drawing_on_the_terminal

#: Seconds between looks at a watched lesson file's modification time.
WATCH_INTERVAL = 0.5

# What the first screen does not show loads when first needed (a fast start): the other panes
# (see PANE_CLASSES), plotext with them, the help and preset dialogs, lessons and their panel.
if TYPE_CHECKING:
    from rich.console import RenderableType

    from losstui.lessons.language import Lesson
    from losstui.lessons.runner import LessonRun
    from losstui.tui.panes.lessons_pane import LessonsPane
    from losstui.tui.panes.train_pane import TrainPane
    from losstui.tui.widgets.lesson_panel import LessonPanel

#: The keys that answer a lesson's question, one per answer: the lesson format's MAX_CHOICES of
#: them, as the answer list letters them (a test holds the three together; the lessons modules
#: load only when a lesson opens).
ANSWER_LETTERS = "abcdefg"
FAST_SLICE = 0.08
"""Seconds of training per slice in fast-forward. Slices follow each other with only a yield to
the event loop between them, where keys are answered and the panes' redraws (about 4 frames a
second) are painted: a key waits at most one slice and a frame."""
FAST_GAP = 0.001
"""Seconds between fast-forward slices: just a turn of the event loop."""


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
        Binding("f", "fast_forward", "Fast"),
        Binding("f", "fast_forward_refused", show=False),
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
        # The lesson strip lists its own keys (> < h e x) on its last line: the footer, full at
        # 80 columns, leaves them out.
        Binding("greater_than_sign", "lesson_next", "Next step", key_display=">", show=False),
        Binding("less_than_sign", "lesson_back", "Back", key_display="<", show=False),
        Binding("h", "lesson_hint", "Hint", show=False),
        Binding("e", "lesson_enlarge", "Enlarge lesson", show=False),
        Binding("x", "lesson_leave", "Leave lesson", show=False),
        # Authoring and teaching only (--instructor, --watch): check_action hides it otherwise.
        Binding("t", "lesson_jump", "To step", show=False),  # in the help: the footer is full at 80
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
        Binding("ctrl+c", "interrupt", "Quit", show=False, priority=True),
        # A lesson's question answers to its letters from any pane, before the keys they share
        # (c settings, d presets, e enlarge; hence priority, checked before the focused widget
        # and the other keys): moving to another pane to look, then typing the answer, left the
        # question deaf. A letter past the last answer, typed into a field, or pressed once the
        # question is answered right, is the usual key.
        # Last in the list, so the footer keeps its order.
        *(
            Binding(letter, f"lesson_answer({i})", show=False, priority=True)
            for i, letter in enumerate(ANSWER_LETTERS)
        ),
        # Textual reads ctrl+z as a key (the terminal is in raw mode): without this it did nothing.
        Binding("ctrl+z", "suspend_process", "Suspend", show=False),
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
        # A setup line was checked by the command line, on this same opening state.
        self.state = AppState.opening(
            problem, seed=seed, preset=preset, setup=setup, allow_long_run=allow_long_run
        )
        if setup is None and problem is not None:  # open on the named problem's recommendation
            self.state.set_pane("recommendation")
        self.lesson: LessonRun | None = None
        self.instructor = instructor
        #: The lesson file being followed (None: none, or one given as a parsed Lesson), whether
        #: to reload it when it is saved, and the modification time last read.
        self.lesson_path = lesson_path
        self.watch_lesson = watch and lesson_path is not None
        self._lesson_mtime: float | None = None
        #: The step (from 0) the lesson file opens at (`--step`), once; None: where the student
        #: left it.
        self._opening_step = lesson_step
        strip: Widget | None
        if lesson_path is not None:
            lesson, strip = self._read_lesson(lesson_path)
        else:
            strip = self._start_lesson(lesson) if lesson is not None else None
        self.main_screen = MainScreen(self.state, self.glyphs, strip)
        if self.glyphs.name == "ascii":
            from losstui.tui.ascii_filter import AsciiFilter

            self._filters.append(AsciiFilter())

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
        if self.watch_lesson:
            self.set_interval(WATCH_INTERVAL, self._lesson_file_changed)
        self._ticker = self.set_interval(1 / TICKS_PER_SECOND, self._tick, pause=True)
        self._fast_timer: Timer | None = None
        self._said_no_stop_rule = False
        self.state.subscribe(self._state_changed)
        self._state_changed(StateChanged(frozenset({Part.RUNNING})))
        if self.low_bandwidth:  # say why the pictures move in steps, and how to change it
            self.notify(
                "Low-bandwidth mode (a slow link, or SSH): the pictures redraw about once a "
                "second. losstui --no-low-bandwidth redraws them smoothly.",
                timeout=6,
            )
        self.call_after_refresh(self._tell_progress_trouble, True)

    def _tell_progress_trouble(self, read: bool = False) -> None:
        """Say once that the saved progress could not be read and was kept aside (looked at
        after the first frame, `read`, and after each save)."""
        from losstui.lessons import progress

        notice = progress.check() if read else progress.take_notice()
        if notice is not None:
            self.notify(notice, title="Saved progress", severity="warning", timeout=20)

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
            state = self.state
            if state.running and state.fast:
                # Fast-forward runs slice after slice, not on the ticker's clock: a ticker
                # skips whole periods whenever a slice and a frame overrun one.
                self._ticker.pause()
                if self._fast_timer is None:
                    self._fast_timer = self.set_timer(FAST_GAP, self._fast_slice)
            elif state.running:
                self._ticker.resume()
            else:
                self._ticker.pause()

    def _fast_slice(self) -> None:
        """One slice of fast-forward, then the next after a turn of the event loop."""
        self._fast_timer = None
        if self._fast_forwarding():
            self._tick()
        if self._fast_forwarding():  # the slice may have ended the run (the stop rule, `run N`)
            self._fast_timer = self.set_timer(FAST_GAP, self._fast_slice)

    def _fast_forwarding(self) -> bool:
        return self.state.running and self.state.fast and self.is_running

    def _tick(self) -> None:
        state = self.state
        if not state.running or not self.is_running:
            # Quitting takes the screens down widget by widget while the timer still fires: a
            # tick then would draw into panes whose widgets are gone.
            self._ticker.pause()
            return
        # A lesson step's `run N` (and, fast-forwarding, its `wait step >= N`) ends on its step
        # exactly, however many steps a tick takes.
        until = self.lesson.until() if self.lesson is not None else None
        limit = math.inf if until is None else max(0, until - state.trainer.step_count)
        if state.fast:
            # A lesson's wait on what training moves ends fast-forward on its first step.
            until_wait = self.lesson.fast_stop() if self.lesson is not None else None
            state.step_for(FAST_SLICE, limit, until_wait)
        else:
            state.step(int(min(state.steps_per_tick, limit)))
        if self.lesson is not None:  # a step's `run N` or `wait` pauses once it is done
            self.lesson.tick()

    @property
    def train_pane(self) -> TrainPane | None:
        """The Train pane of the main screen, once it is composed (it is, when first opened)."""
        return self.main_screen.train_pane()

    # Actions -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        state = self.state
        pane = state.pane
        if action == "suspend_process":  # the browser's app has no shell to go back to
            return not self.is_web
        if action == "lesson_answer":
            lesson = self.lesson
            ask = lesson.step.ask if lesson is not None else None
            index = parameters[0] if parameters else None
            # Not over a dialog (the palette's search, the help) or into the settings' fields.
            train = self.train_pane
            typing = not isinstance(self.screen, MainScreen) or (
                train is not None and train.focus_in_settings()
            )
            if lesson is None or ask is None or typing:
                return False
            if not isinstance(index, int) or index >= len(ask.choices):
                return False
            # Answered right, the letters are the usual keys again ("answer, then open the
            # Loss list: 3, c").
            chosen = lesson.answers.get(lesson.index)
            return chosen is None or not ask.choices[chosen].correct
        if action == "lesson_leave":  # also closes the strip of a lesson file's errors
            return self.lesson is not None or self.lesson_path is not None
        if action == "lesson_jump":
            return self.lesson is not None and (self.instructor or self.watch_lesson)
        if action.startswith("lesson_"):
            return self.lesson is not None
        if action in TRAINING_ACTIONS and pane not in TRAINING_PANES:
            return False
        if action in ("play", "step", "reset", "regenerate") and state.is_locked(action):
            return None  # a lesson holds it: shown, greyed
        if action == "play":  # after a divergence too: pressed, it says why and what to do
            return not state.running
        if action == "pause":
            return state.running
        if action == "fast_forward":
            trainer = state.trainer
            return not (state.is_locked("play") or trainer.diverged or trainer.converged)
        if action == "fast_forward_refused":  # f where fast-forward cannot run: says why
            return not self.check_action("fast_forward", ())
        if action == "step":
            return None if state.running else True
        if action in ("open_settings", "hide_settings"):
            train = self.train_pane
            if pane != "train" or train is None:
                return False
            return train.focus_in_settings() == (action == "hide_settings")
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

    def action_fast_forward(self) -> None:
        """f: train as fast as the machine allows, drawing about 4 frames a second, until the
        stop rule ends the run; f or space again stops it."""
        state = self.state
        if state.running and state.fast:
            state.pause()
            return
        self._attempt(state.fast_forward)
        if self.lesson is not None and state.fast:
            self.lesson.fast_forward_started()
        lesson_stops_it = self.lesson is not None and self.lesson.wait_stops_fast_forward()
        no_stop_rule = state.fast and state.config.patience == 0 and not lesson_stops_it
        # Said once a session: the notice covers the plots' right half while it shows.
        if no_stop_rule and not self._said_no_stop_rule:
            self._said_no_stop_rule = True
            self.notify(
                "Fast-forward: no stop rule is set (patience 0), so it trains until you press f "
                "or space. A patience in the settings (c) stops it on a plateau.",
                timeout=6,
            )

    def action_fast_forward_refused(self) -> None:
        """f where fast-forward does not apply: the reason, as a notice."""
        if self.state.pane not in TRAINING_PANES:
            self.notify(
                "Fast-forward trains the model: open the Train pane (3) or the Distributions "
                "pane (4) first.",
                severity="warning",
                timeout=4,
            )
            return
        self._attempt(self.state.fast_forward)  # refuses with the run's reason

    def action_step(self) -> None:
        """One SGD step (the key n); also what tests call to advance training deterministically."""
        if not self.state.is_locked("step"):
            self._attempt(self.state.step_once)

    def action_reset(self) -> None:
        self._attempt(self.state.reset)

    def action_faster(self) -> None:
        self._attempt(self.state.faster)

    def action_slower(self) -> None:
        self._attempt(self.state.slower)

    def action_toggle_log10(self) -> None:
        train = self.train_pane
        if not self.state.log10 and train is not None and train.loss_went_nonpositive():
            train.log10_unavailable()
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

    def on_train_controls_regenerate_requested(self) -> None:
        """TrainControls.RegenerateRequested (by name, so the Train pane loads when opened)."""
        self.action_regenerate()

    def action_open_settings(self) -> None:
        """c: show the settings column and put the keys in its first field."""
        if self.train_pane is not None:
            self.train_pane.open_settings()

    def action_hide_settings(self) -> None:
        """c inside the settings: hide the column; the keys go back to the pane."""
        if self.train_pane is not None:
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
        from losstui.tui.screens.help_screen import HelpScreen

        if not isinstance(self.screen, (HelpScreen, SafeCommandPalette)):
            ascii = self.glyphs.name == "ascii"
            # The jump to a step is for an instructor or an author: listed in their modes only.
            jump = self.instructor or self.watch_lesson
            bindings = [
                b
                for b in self.BINDINGS
                if jump or not (isinstance(b, Binding) and b.action == "lesson_jump")
            ]
            self.push_screen(HelpScreen(bindings, ascii=ascii, classes="-ascii" if ascii else None))

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
        from losstui.tui.widgets.lesson_panel import LessonPanel

        return self.main_screen.query_one(LessonPanel)

    def _start_lesson(
        self,
        lesson: Lesson,
        index: int | None = None,
        answered: dict[int, tuple[str, str]] | None = None,
    ) -> LessonPanel:
        """Follow `lesson` from step `index` with the answers `answered` (by default the step
        this user reached in it and the answers chosen: a student who quit in the middle
        resumes there, their questions answered); its panel, to mount in the lesson slot.
        Entering the step sets exactly its locks and hidden controls, a previous lesson's too."""
        from losstui.lessons import progress
        from losstui.lessons.library import lesson_key
        from losstui.lessons.runner import LessonRun
        from losstui.tui.widgets.lesson_panel import LessonPanel

        key = lesson_key(lesson)
        resuming = index is None
        if index is None:
            index = progress.load(key)
        # Sliced: the training a step needs is done between keys (see LessonPanel).
        self.lesson = LessonRun(lesson, self.state, index, sliced=True)
        self.lesson.restore_answers(progress.load_answers(key) if answered is None else answered)
        self.lesson.restore_kept(progress.load_kept(key))
        if resuming:  # as the student left it: the P/Q lab, the pane, the run
            self.lesson.resume(progress.load_state(key))
        else:
            self.lesson.enter()
            if min(progress.load(key), self.lesson.count - 1) != self.lesson.index:
                # Opened at another step (--step): kept, so that a resume and the speaker
                # notes (`--notes`, in another terminal) follow it.
                self._keep_progress(self.lesson.index)
        return LessonPanel(self.lesson, self.glyphs, instructor=self.instructor)

    def _read_lesson(self, path: str) -> tuple[Lesson | None, Widget]:
        """Read the lesson file at `path` and start it (keeping the current step when it is the
        file already followed, reloaded); a file with errors gives the strip that lists them,
        and the app goes on without a lesson."""
        from losstui.lessons.files import read_text
        from losstui.lessons.format import check_lesson, parse_lesson

        # The file followed, reloaded: at the same step, with the same answers.
        same = self.lesson
        if same is not None and same.lesson.source != path:
            same = None
        index = same.index if same is not None else self._opening_step
        self._opening_step = None
        answered = same.answered() if same is not None else None
        from losstui.lessons.files import modified

        self._lesson_mtime = modified(path)
        try:
            text = read_text(path)
            errors = check_lesson(text, path)
            lesson = parse_lesson(text, path) if not errors else None
        except ContentError as error:
            errors, lesson = [error], None
        if lesson is None:
            from losstui.tui.widgets.lesson_problem import LessonProblem

            self._stop_lesson()
            return None, LessonProblem(path, [str(e) for e in errors], self.watch_lesson)
        return lesson, self._start_lesson(lesson, index, answered)

    def _keep_progress(self, index: int | None = None) -> None:
        """Save `index` as the step this user reached in the lesson followed (by default the
        step kept before, or the step on show if further on: an answer does not take back a
        finished lesson), with the answers chosen so far."""
        from losstui.lessons import progress
        from losstui.lessons.library import lesson_key

        if self.lesson is not None:
            key = lesson_key(self.lesson.lesson)
            reached = max(progress.load(key), self.lesson.index) if index is None else index
            progress.save(key, reached, self.lesson.answered(), self.lesson.left_state())
            progress.save_kept(key, self.lesson.kept)
            self._tell_progress_trouble()

    def _finish(self) -> None:
        """The lesson followed is finished: kept one past its last step (reopened, it opens on
        the last step), and listed finished from now on, wherever it is opened at later."""
        from losstui.lessons import progress
        from losstui.lessons.library import lesson_key

        if self.lesson is not None:
            self._keep_progress(self.lesson.count)
            progress.mark_finished(lesson_key(self.lesson.lesson))

    def _finish_if_done(self) -> None:
        """Leaving on the last step with nothing left to do there finishes the lesson, as `>`
        does (the built-in lessons end "press x to leave"); elsewhere the state is kept."""
        lesson = self.lesson
        if lesson is None:
            return
        if lesson.last and lesson.blocked() is None:
            self._finish()
        else:
            self._keep_progress()

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
            self._finish_if_done()
        super().exit(result, return_code, message)

    def action_interrupt(self) -> None:
        """ctrl+c: quit as an interrupted program does, with status 130 (q quits with 0)."""
        signals.interrupt(self)

    def on_lesson_panel_answered(self) -> None:
        self._keep_progress()  # an answer survives a quit before the student goes on

    def _stop_lesson(self) -> None:
        if self.lesson is not None:
            self.lesson = None
            self.state.set_controls()  # nothing locked or hidden any more, in one change

    async def open_lesson(self, path: str) -> None:
        """Open the lesson file at `path` in the lesson strip (or the strip of its errors)."""
        self.lesson_path = path
        _, strip = self._read_lesson(path)
        await self._mount_strip(strip)

    async def _mount_strip(self, strip: Widget | None) -> None:
        slot = next(self.main_screen.query("#lesson-slot").results(), None)
        if slot is not None:
            await slot.remove_children()
        if slot is None or not slot.is_attached:
            return  # the app closed as the lesson opened (q in the same burst of keys)
        if strip is not None:
            await slot.mount(strip)
        slot.set_class(strip is not None, "-open")
        self.main_screen.set_class(strip is not None, "-lesson")
        self.refresh_bindings()

    async def on_lessons_pane_lesson_chosen(self, event: LessonsPane.LessonChosen) -> None:
        await self.open_lesson(event.path)

    async def _lesson_file_changed(self) -> None:
        """--watch: reload the lesson when its file was saved, at the same step."""
        path = self.lesson_path
        if path is None:
            return
        from losstui.lessons.files import modified

        mtime = modified(path)
        if mtime is None or mtime == self._lesson_mtime:
            return
        await self.open_lesson(path)
        if self.lesson is not None:
            self.notify("Lesson reloaded", timeout=2)

    def action_lesson_next(self) -> None:
        if self.lesson is None:
            return
        if self.lesson.last and self.lesson.blocked() is None:
            # Past the last step: the lesson is finished, and the lists say so. Its progress is
            # kept one past the last step; reopened, it opens on the last step.
            self._finish()
            self.lesson_panel.say(
                "Lesson finished. x leaves it; the Lessons pane (6) lists the others."
            )
            return
        reason = self.lesson.next()
        if reason is not None:
            self.lesson_panel.say_refused()
            return
        self._stepped(self.lesson.index)

    def action_lesson_jump(self) -> None:
        """t (--instructor, --watch): ask for a step and open it as going back would, the
        steps before it set up again."""
        from losstui.tui.screens.step_screen import StepScreen

        lesson = self.lesson
        if lesson is not None and not isinstance(self.screen, StepScreen):
            self.push_screen(StepScreen(lesson.count, lesson.index), self._jump)

    def _jump(self, index: int | None) -> None:
        if self.lesson is not None and index is not None:
            self.lesson.enter(index)
            self._stepped(self.lesson.index)

    def action_lesson_back(self) -> None:
        if self.lesson is not None and self.lesson.back():
            self._stepped(self.lesson.index)

    def _stepped(self, index: int) -> None:
        """After > or <: keep step `index` as the one reached, and show it."""
        self._keep_progress(index)
        self.lesson_panel.refresh_step()
        self.lesson_panel.focus_choices()

    def action_lesson_answer(self, index: int) -> None:
        """A letter: answer `index` of the step's question, whichever pane is on show."""
        if self.lesson is not None:
            self.lesson_panel.answer(index)

    def action_lesson_hint(self) -> None:
        if self.lesson is not None:
            hint = self.lesson.fill(self.lesson.step.hint) or "no hint for this step."
            self.lesson_panel.say(f"Hint: {hint}")

    def action_lesson_enlarge(self) -> None:
        if self.lesson is not None:
            self.main_screen.query_one("#lesson-slot").toggle_class("-enlarged")

    async def action_lesson_leave(self) -> None:
        """Leave the lesson (or close the strip of a lesson file's errors): its locks and hidden
        controls go, the app stays as it is."""
        self._finish_if_done()
        self._stop_lesson()
        self.lesson_path = None
        await self._mount_strip(None)

    def action_leave_field(self) -> None:
        """Escape: take focus out of a text field so single-letter keys act again (and close a
        settings column that `c` opened on a narrow terminal)."""
        train = self.train_pane
        if train is not None and train.focus_in_settings():
            train.leave_settings()
        self.main_screen.focus_pane()

    def deliver_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        """The palette's Screenshot: an SVG of the screen in the save directory (`--save-dir`,
        else the working directory), its path shown; a failure says why. Textual's own saves
        to ~/Downloads, which most lab accounts lack, and then says only that it failed. In a
        browser (`losstui serve`) the browser downloads it, as Textual does."""
        if self.is_web:
            return super().deliver_screenshot(filename, path, time_format)
        folder = Path(path) if path is not None else (self.save_dir or Path.cwd())
        try:
            saved = Path(self.save_screenshot(filename, str(folder), time_format)).resolve()
        except OSError as error:
            reason = error.strerror or str(error)
            self.notify(
                f"Could not save the screenshot in {folder}: {reason}. Start losstui with "
                "--save-dir DIR to save it elsewhere.",
                title="Screenshot",
                severity="error",
                markup=False,
                timeout=10,
            )
            return None
        self.notify(str(saved), title="Screenshot saved", markup=False, timeout=10)
        return None

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's "Keys" opens its own side panel: it lists keys losstui does not have
        # (super+c), pushes the tabs off the left edge and does not close on esc. The app's help
        # (?) takes its name.
        yield from (c for c in super().get_system_commands(screen) if c.title != "Keys")
        commands = (
            ("Play / pause training", "Start or stop SGD (space)", self._palette_toggle),
            (
                "Fast-forward",
                "Train as fast as the machine allows until the stop rule or a key (f)",
                self._palette_fast_forward,
            ),
            ("Step once", "One SGD step (n)", self.action_step),
            ("Reset training", "Back to step 0 (r)", self.action_reset),
            ("Faster", "More steps per second (+)", self.action_faster),
            ("Slower", "Fewer steps per second (-)", self.action_slower),
            ("New data", "Regenerate the dataset with the next seed (g)", self.action_regenerate),
            ("Toggle log10 loss axis", "Plot log10(loss) or loss (l)", self.action_toggle_log10),
            ("Toggle bits / nats", "Units of entropy and KL (u)", self.action_toggle_units),
            ("Keys", "Every key, by where it works (?)", self.action_help),
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

    def _palette_fast_forward(self) -> None:
        if self.check_action("fast_forward", ()):
            self.action_fast_forward()
        else:
            self.action_fast_forward_refused()

    def _preset(self, key: str) -> Callable[[], None]:
        return lambda: self._apply_preset(key)

    def _go(self, pane: str) -> Callable[[], None]:
        return lambda: self.action_pane(pane)

    def _choose(self, key: str) -> Callable[[], None]:
        def choose() -> None:
            from losstui.tui.panes.problem_pane import ProblemPane

            pane = self.main_screen.composed("problem")
            if pane is not None:
                cast(ProblemPane, pane).choose(key)
            else:  # the Problem pane was never opened: choose as it would, on the state
                self._attempt(lambda: self.state.set_problem(key))
                self.action_pane("recommendation")

        return choose


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
