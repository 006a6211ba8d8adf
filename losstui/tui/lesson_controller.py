"""Provides the lesson controller: the lesson followed, its strip, its moves, its progress."""

from __future__ import annotations

from typing import TYPE_CHECKING

from losstui.core.content import ContentError
from losstui.tui.glyphs import Glyphs

# The lessons modules and the lesson strip load with the first lesson, not at start-up.
if TYPE_CHECKING:
    from textual.widget import Widget

    from losstui.core.state import AppState
    from losstui.lessons.language import Lesson
    from losstui.lessons.runner import LessonRun
    from losstui.tui.app import LossApp
    from losstui.tui.widgets.lesson_panel import LessonPanel

#: Seconds between looks at a watched lesson file's modification time.
WATCH_INTERVAL = 0.5


class LessonController:
    """Follows one lesson (or none) over the app's state: opens it where the student left it,
    takes it on and back, finishes it, reloads its file when saved (`--watch`), and keeps the
    student's progress after each move. The app holds one and sends it the lesson keys."""

    def __init__(
        self,
        app: LossApp,
        path: str | None = None,
        watch: bool = False,
        instructor: bool = False,
        opening_step: int | None = None,
    ) -> None:
        """Follow the lesson file at `path` (None: a lesson given later, or none), reloading it
        when saved if `watch`, with the instructor's keys if `instructor`, opening at step
        `opening_step` (from 0) rather than where the student left it."""
        self.app = app
        self.state: AppState = app.state
        self.glyphs: Glyphs = app.glyphs
        #: The lesson followed, run over the state (None: no lesson).
        self.run: LessonRun | None = None
        self.instructor = instructor
        #: The lesson file being followed (None: none, or one given as a parsed Lesson), whether
        #: to reload it when it is saved, and the modification time last read.
        self.path = path
        self.watch = watch and path is not None
        self._mtime: float | None = None
        #: The step (from 0) the lesson file opens at (`--step`), once; None: where the student
        #: left it.
        self._opening_step = opening_step

    def opening_strip(self, lesson: Lesson | None) -> Widget | None:
        """The strip the app opens with: the lesson file's (or its errors'), the given
        lesson's, or None without a lesson."""
        if self.path is not None:
            return self.read(self.path)[1]
        return self.start(lesson) if lesson is not None else None

    def start_watching(self) -> None:
        """--watch: look at the lesson file's modification time from now on."""
        if self.watch:
            self.app.set_interval(WATCH_INTERVAL, self.file_changed)

    @property
    def panel(self) -> LessonPanel:
        """The lesson strip on the main screen."""
        from losstui.tui.widgets.lesson_panel import LessonPanel

        return self.app.main_screen.query_one(LessonPanel)

    # -- opening and closing ---------------------------------------------------------------------

    def start(
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
        run = self.run = LessonRun(lesson, self.state, index, sliced=True)
        run.restore_answers(progress.load_answers(key) if answered is None else answered)
        run.restore_kept(progress.load_kept(key))
        if resuming:  # as the student left it: the P/Q lab, the pane, the run
            run.resume(progress.load_state(key))
        else:
            run.enter()
            if min(progress.load(key), run.count - 1) != run.index:
                # Opened at another step (--step): kept, so that a resume and the speaker
                # notes (`--notes`, in another terminal) follow it.
                self.keep_progress(run.index)
        return LessonPanel(run, self.glyphs, instructor=self.instructor)

    def read(self, path: str) -> tuple[Lesson | None, Widget]:
        """Read the lesson file at `path` and start it (keeping the current step when it is the
        file already followed, reloaded); a file with errors gives the strip that lists them,
        and the app goes on without a lesson."""
        from losstui.lessons.files import modified, read_text
        from losstui.lessons.format import check_lesson, parse_lesson

        # The file followed, reloaded: at the same step, with the same answers.
        same = self.run
        if same is not None and same.lesson.source != path:
            same = None
        index = same.index if same is not None else self._opening_step
        self._opening_step = None
        answered = same.answered() if same is not None else None
        self._mtime = modified(path)
        try:
            text = read_text(path)
            errors = check_lesson(text, path)
            lesson = parse_lesson(text, path) if not errors else None
        except ContentError as error:
            errors, lesson = [error], None
        if lesson is None:
            from losstui.tui.widgets.lesson_problem import LessonProblem

            self.stop()
            return None, LessonProblem(path, [str(e) for e in errors], self.watch)
        return lesson, self.start(lesson, index, answered)

    def stop(self) -> None:
        """Follow no lesson: its locks and hidden controls go, in one change of the state."""
        if self.run is not None:
            self.run = None
            self.state.set_controls()

    async def open(self, path: str) -> None:
        """Open the lesson file at `path` in the lesson strip (or the strip of its errors)."""
        self.path = path
        _, strip = self.read(path)
        await self.mount_strip(strip)

    async def mount_strip(self, strip: Widget | None) -> None:
        """Put `strip` in the main screen's lesson slot (None: empty it and hide the slot)."""
        screen = self.app.main_screen
        slot = next(screen.query("#lesson-slot").results(), None)
        if slot is not None:
            await slot.remove_children()
        if slot is None or not slot.is_attached:
            return  # the app closed as the lesson opened (q in the same burst of keys)
        if strip is not None:
            await slot.mount(strip)
        slot.set_class(strip is not None, "-open")
        screen.set_class(strip is not None, "-lesson")
        self.app.refresh_bindings()

    async def file_changed(self) -> None:
        """--watch: reload the lesson when its file was saved, at the same step."""
        path = self.path
        if path is None:
            return
        from losstui.lessons.files import modified

        mtime = modified(path)
        if mtime is None or mtime == self._mtime:
            return
        await self.open(path)
        if self.run is not None:
            self.app.notify("Lesson reloaded", timeout=2)

    async def leave(self) -> None:
        """Leave the lesson (or close the strip of a lesson file's errors): its locks and hidden
        controls go, the app stays as it is."""
        self.finish_if_done()
        self.stop()
        self.path = None
        await self.mount_strip(None)

    # -- progress --------------------------------------------------------------------------------

    def tell_progress_trouble(self, read: bool = False) -> None:
        """Say once that the saved progress could not be read and was kept aside (looked at
        after the first frame, `read`, and after each save)."""
        from losstui.lessons import progress

        notice = progress.check() if read else progress.take_notice()
        if notice is not None:
            self.app.notify(notice, title="Saved progress", severity="warning", timeout=20)

    def keep_progress(self, index: int | None = None) -> None:
        """Save `index` as the step this user reached in the lesson followed (by default the
        step kept before, or the step on show if further on: an answer does not take back a
        finished lesson), with the answers chosen so far."""
        from losstui.lessons import progress
        from losstui.lessons.library import lesson_key

        if self.run is not None:
            key = lesson_key(self.run.lesson)
            reached = max(progress.load(key), self.run.index) if index is None else index
            progress.save(key, reached, self.run.answered(), self.run.left_state())
            progress.save_kept(key, self.run.kept)
            self.tell_progress_trouble()

    def finish(self) -> None:
        """The lesson followed is finished: kept one past its last step (reopened, it opens on
        the last step), and listed finished from now on, wherever it is opened at later."""
        from losstui.lessons import progress
        from losstui.lessons.library import lesson_key

        if self.run is not None:
            self.keep_progress(self.run.count)
            progress.mark_finished(lesson_key(self.run.lesson))

    def finish_if_done(self) -> None:
        """Leaving on the last step with nothing left to do there finishes the lesson, as `>`
        does (the built-in lessons end "press x to leave"); elsewhere the state is kept."""
        run = self.run
        if run is None:
            return
        if run.last and run.blocked() is None:
            self.finish()
        else:
            self.keep_progress()

    # -- the lesson keys -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool:
        """Whether the lesson key `action` applies now (the app's check_action asks)."""
        if action == "lesson_answer":
            return self._can_answer(parameters[0] if parameters else None)
        if action == "lesson_leave":  # also closes the strip of a lesson file's errors
            return self.run is not None or self.path is not None
        if action == "lesson_jump":
            return self.run is not None and (self.instructor or self.watch)
        return self.run is not None

    def _can_answer(self, index: object) -> bool:
        """Whether a letter answers answer `index` of the step's question now."""
        from losstui.tui.screens.main_screen import MainScreen

        run = self.run
        ask = run.step.ask if run is not None else None
        # Not over a dialog (the palette's search, the help) or into the settings' fields.
        train = self.app.main_screen.train_pane()
        typing = not isinstance(self.app.screen, MainScreen) or (
            train is not None and train.focus_in_settings()
        )
        if run is None or ask is None or typing:
            return False
        if not isinstance(index, int) or index >= len(ask.choices):
            return False
        # Answered right, the letters are the usual keys again ("answer, then open the Loss
        # list: 3, c").
        chosen = run.answers.get(run.index)
        return chosen is None or not ask.choices[chosen].correct

    def next(self) -> None:
        """>: the next step, or, past the last, the lesson finished."""
        run = self.run
        if run is None:
            return
        if run.last and run.blocked() is None:
            # Past the last step: the lesson is finished, and the lists say so. Its progress is
            # kept one past the last step; reopened, it opens on the last step.
            self.finish()
            self.panel.say("Lesson finished. x leaves it; the Lessons pane (6) lists the others.")
            return
        if run.next() is not None:
            self.panel.say_refused()
            return
        self._stepped(run.index)

    def back(self) -> None:
        """<: the step before."""
        if self.run is not None and self.run.back():
            self._stepped(self.run.index)

    def ask_jump(self) -> None:
        """t (--instructor, --watch): ask for a step and open it as going back would, the
        steps before it set up again."""
        from losstui.tui.screens.step_screen import StepScreen

        run = self.run
        if run is not None and not isinstance(self.app.screen, StepScreen):
            self.app.push_screen(StepScreen(run.count, run.index), self._jump)

    def _jump(self, index: int | None) -> None:
        if self.run is not None and index is not None:
            self.run.enter(index)
            self._stepped(self.run.index)

    def _stepped(self, index: int) -> None:
        """After > or < (or t): keep step `index` as the one reached, and show it."""
        self.keep_progress(index)
        self.panel.refresh_step()
        self.panel.focus_choices()

    def answer(self, index: int) -> None:
        """A letter: answer `index` of the step's question, whichever pane is on show."""
        if self.run is not None:
            self.panel.answer(index)

    def hint(self) -> None:
        """h: the step's hint, in the strip."""
        if self.run is not None:
            hint = self.run.fill(self.run.step.hint) or "no hint for this step."
            self.panel.say(f"Hint: {hint}")

    def enlarge(self) -> None:
        """e: the lesson's text over more rows, or back."""
        if self.run is not None:
            self.app.main_screen.query_one("#lesson-slot").toggle_class("-enlarged")

    # -- what training asks of the lesson --------------------------------------------------------

    def fast_forward_started(self) -> None:
        """Fast-forward began: a step waiting on training may stop it."""
        if self.run is not None:
            self.run.fast_forward_started()

    def stops_fast_forward(self) -> bool:
        """Whether the step's wait ends fast-forward (so it needs no stop rule of its own)."""
        return self.run is not None and self.run.wait_stops_fast_forward()
