"""Provides MainKeys, the main screen's own keys: training, the panes' views, the lesson's."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import BindingType
from textual.screen import Screen

from losstui.tui.actions import BY_NAME, TRAINING_PANES, bindings
from losstui.tui.intents import attempt

if TYPE_CHECKING:
    from losstui.core.state import AppState
    from losstui.tui.lesson_controller import LessonController
    from losstui.tui.panes.pane import Pane
    from losstui.tui.panes.train_pane import TrainPane

#: Actions a lesson can hold: shown in the footer, greyed.
LOCKABLE = ("play", "step", "reset", "regenerate")
#: Keys that start, end or look through a race.
RACE_ACTIONS = ("race_losses", "end_race", "next_run", "previous_run")


class MainKeys(Screen[None]):
    """The keys that act on what the main screen shows, bound here rather than on the app (the
    action table says which): training on the Train and Distributions panes; the views' own
    keys, which the pane on show answers for (`Pane.check_action`, its `action_*`); and the keys
    of the lesson in the strip, which the app's lesson controller follows.

    The main screen sets `state` and `lessons` and finds its panes (`train_pane`, `pane_on_show`).
    All of its keys are in this one BINDINGS: Textual merges a class's bindings over its bases'
    key by key, so two bases binding the same key (c, e, f are a lesson's answers too) would
    lose one.
    """

    BINDINGS: ClassVar[list[BindingType]] = list(bindings("screen"))

    state: AppState
    lessons: LessonController | None
    #: Whether the notice that fast-forward has no stop rule was given (once a session).
    _said_no_stop_rule = False

    def train_pane(self) -> TrainPane | None:
        """The Train pane once composed and mounted, else None."""
        raise NotImplementedError

    def pane_on_show(self) -> Pane | None:
        """The pane widget on show, composed (perhaps not mounted yet), else None."""
        raise NotImplementedError

    def focus_pane(self, pane: str | None = None) -> None:
        """Give the keys to the pane on show."""
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        entry = BY_NAME.get(action)
        if entry is None or entry.scope != "screen":
            return True  # Textual's own (tab, copy)
        if action.startswith("lesson_"):
            return self.lessons is not None and self.lessons.check_action(action, parameters)
        if entry.panes and self.state.pane not in entry.panes:
            return False
        if entry.pane_checks:  # the pane on show says whether the key applies there
            pane = self.pane_on_show()
            return pane.check_action(action, parameters) if pane is not None else False
        return self._check_training(action)

    def _check_training(self, action: str) -> bool | None:
        state = self.state
        if action in RACE_ACTIONS:
            # v races on the Train pane, and on the Race pane until a race is on; then it ends it.
            racing = state.race is not None
            if action == "race_losses":
                return state.pane == "train" or not racing
            return racing
        if action in LOCKABLE and state.is_locked(action):
            return None  # a lesson holds it: shown, greyed
        if action == "play":  # after a divergence too: pressed, it says why and what to do
            return not state.running
        if action == "pause":
            return state.running
        if action == "fast_forward":
            return not (state.is_locked("play") or state.stopped)
        if action == "fast_forward_refused":  # f where fast-forward cannot run: says why
            return not self.check_action("fast_forward", ())
        if action == "step":
            return None if state.running else True
        return True

    # -- training --------------------------------------------------------------------------------

    def action_play(self) -> None:
        attempt(self, self.state.play)

    def action_pause(self) -> None:
        self.state.pause()

    def action_toggle_running(self) -> None:
        """The palette's Play / pause: whichever applies."""
        attempt(self, self.state.toggle_running)

    def action_fast_forward(self) -> None:
        """f: train as fast as the machine allows, drawing about 4 frames a second, until the
        stop rule ends the run; f or space again stops it."""
        state = self.state
        if state.running and state.fast:
            state.pause()
            return
        attempt(self, state.fast_forward)
        lessons = self.lessons
        if lessons is not None and state.fast:
            lessons.fast_forward_started()
        lesson_stops_it = lessons is not None and lessons.stops_fast_forward()
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
                "Fast-forward trains the model: open the Train pane (3), the Distributions "
                "pane (4) or the Race pane (7) first.",
                severity="warning",
                timeout=4,
            )
            return
        attempt(self, self.state.fast_forward)  # refuses with the run's reason

    def action_fast_forward_or_say_why(self) -> None:
        """The palette's Fast-forward: as f does wherever it is chosen."""
        if self.check_action("fast_forward", ()):
            self.action_fast_forward()
        else:
            self.action_fast_forward_refused()

    def action_step(self) -> None:
        """One SGD step (the key n); also what tests call to advance training deterministically."""
        if not self.state.is_locked("step"):
            attempt(self, self.state.step_once)

    def action_reset(self) -> None:
        attempt(self, self.state.reset)

    def action_faster(self) -> None:
        attempt(self, self.state.faster)

    def action_slower(self) -> None:
        attempt(self, self.state.slower)

    def action_regenerate(self) -> None:
        if attempt(self, self.state.regenerate):
            self.notify(
                f"New data drawn with seed {self.state.config.seed}: training restarts from step 0",
                timeout=3,
            )

    def on_train_controls_regenerate_requested(self) -> None:
        """TrainControls.RegenerateRequested (by name, so the Train pane loads when opened)."""
        self.action_regenerate()

    # -- races ---------------------------------------------------------------------------------

    def action_race_losses(self) -> None:
        """v: race this run's loss against the recommendation's alternatives."""
        if attempt(self, self.state.race_losses):
            self._say_race()

    def action_race_learning_rates(self) -> None:
        """The palette's Race learning rates."""
        if attempt(self, self.state.race_learning_rates):
            self._say_race()

    def _say_race(self) -> None:
        labels = ", ".join(run.label for run in self.state.runs)
        self.notify(f"Race of {labels}: space plays all of them; v ends it.", timeout=4)

    def action_end_race(self) -> None:
        """v on the Race pane: back to one run, the selected one."""
        label = self.state.run.label
        if attempt(self, self.state.end_race):
            self.notify(f"Race ended: {label} goes on alone.", timeout=3, markup=False)

    def action_next_run(self) -> None:
        self._select_run(1)

    def action_previous_run(self) -> None:
        self._select_run(-1)

    def _select_run(self, step: int) -> None:
        """Select the next run (`step` 1) or the previous one (-1), round the race."""
        state = self.state
        attempt(self, lambda: state.select_run((state.selected + step) % len(state.runs)))

    # -- the views -------------------------------------------------------------------------------

    def action_toggle_units(self) -> None:
        attempt(self, self.state.toggle_units)

    def action_toggle_log10(self) -> None:
        """l: the Train pane's loss axis; from the palette too, whichever pane is on show."""
        train = self.train_pane()
        if train is not None:
            train.action_toggle_log10()
        else:  # never opened: nothing drawn whose loss could refuse a log10
            attempt(self, self.state.toggle_log10)

    def action_toggle_landscape(self) -> None:
        """w on the Train pane: the loss landscape, or the fit."""
        attempt(self, self.state.toggle_landscape)

    def action_toggle_calibration(self) -> None:
        """c on the Distributions pane: the reliability diagram, or the examples."""
        attempt(self, self.state.toggle_calibration)

    def action_toggle_shapes(self) -> None:
        """s: the Recommendation pane's losses drawn against the prediction, or its text."""
        attempt(self, self.state.toggle_shapes)

    def action_shape_target(self) -> None:
        """y: the shapes for the problem's next target."""
        pane = self.pane_on_show()
        if pane is not None and hasattr(pane, "next_target"):
            pane.next_target()

    def action_shape_axis(self) -> None:
        """p: two classes' shapes against the probability p, or against the margin."""
        pane = self.pane_on_show()
        if pane is not None and hasattr(pane, "next_axis"):
            pane.next_axis()

    def action_toggle_ghosts(self) -> None:
        """o: the ghost curve on the Train pane's loss plot; from the palette too."""
        train = self.train_pane()
        if train is not None:
            train.action_toggle_ghosts()
        else:
            self.state.toggle_ghosts()

    def action_open_settings(self) -> None:
        """c: show the settings column and put the keys in its first field."""
        train = self.train_pane()
        if train is not None:
            train.open_settings()

    def action_hide_settings(self) -> None:
        """c inside the settings: hide the column; the keys go back to the pane."""
        train = self.train_pane()
        if train is not None:
            train.hide_settings()
        self.action_leave_field()

    def action_leave_field(self) -> None:
        """Escape: take focus out of a text field so single-letter keys act again (and close a
        settings column that `c` opened on a narrow terminal)."""
        train = self.train_pane()
        if train is not None and train.focus_in_settings():
            train.leave_settings()
        self.focus_pane()

    # -- the lesson in the strip -----------------------------------------------------------------

    def action_lesson_next(self) -> None:
        if self.lessons is not None:
            self.lessons.next()

    def action_lesson_back(self) -> None:
        if self.lessons is not None:
            self.lessons.back()

    def action_lesson_jump(self) -> None:
        if self.lessons is not None:
            self.lessons.ask_jump()

    def action_lesson_answer(self, index: int) -> None:
        if self.lessons is not None:
            self.lessons.answer(index)

    def action_lesson_hint(self) -> None:
        if self.lessons is not None:
            self.lessons.hint()

    def action_lesson_enlarge(self) -> None:
        if self.lessons is not None:
            self.lessons.enlarge()

    async def action_lesson_leave(self) -> None:
        if self.lessons is not None:
            await self.lessons.leave()
