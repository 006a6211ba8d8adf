"""Provides the Train pane: the settings column, the live numbers, the loss curves and the model."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from textual import on
from textual.app import ComposeResult
from textual.containers import Container, Horizontal, Vertical
from textual.widgets import Input, Select

from losstui.core.losses import LOSSES
from losstui.core.models import HIDDEN_ACTIVATION_NAMES
from losstui.core.problems import Standing, loss_verdict
from losstui.core.settings import SETTINGS
from losstui.core.state import StateChanged
from losstui.tui.panes.pane import Pane, due
from losstui.tui.widgets.loss_curves import LossCurves
from losstui.tui.widgets.model_view import ModelView
from losstui.tui.widgets.train_controls import FIELDS, SELECT_FIELDS, TrainControls
from losstui.tui.widgets.train_stats import TrainStats

if TYPE_CHECKING:  # the landscape's module loads when the landscape is first turned on
    from losstui.core.landscape import Landscape, PathReplay
    from losstui.core.run import RunView

SETTINGS_WIDTH = 100
"""Below this width the settings column starts hidden (key c shows it)."""
STATS_INTERVAL = 0.35
PLOT_INTERVAL = 0.65
MAP_INTERVAL = 1.0
"""Seconds between redraws while training, at most: what a student can read, and within the
byte budget (the model's picture is the costliest: a row of colour per cell). At ten ticks a
second the numbers redraw every 0.3 s, the curves every 0.6 s and the picture every 0.9 s."""
NEGATIVE_LOSS_NOTES = {
    **{
        key: (
            "A density can exceed 1, so its negative log-likelihood can be negative; "
            "only changes matter.",
            "A density can exceed 1, so its NLL can go below 0.",
        )
        for key, loss in LOSSES.items()
        if loss.target == "samples"
    },
}
"""Why a loss on show is 0 or below; other losses get a general sentence."""


class TrainPane(Pane):
    """Train live: settings on the left, numbers, loss curves and the model's picture."""

    DEFAULT_CSS = """
        #train-row {
            height: 1fr;
        }
        #controls {
            width: 30;
            max-width: 40%;  /* shown with c at 60 columns, it leaves the plots most of the width */
            height: 1fr;
            padding: 0 1 0 0;
            border-right: vkey $primary;
            scrollbar-size-vertical: 1;
            scrollbar-gutter: stable;  /* a long error must not rewrap the column when it scrolls */
        }
        .field-label {
            color: $text-muted;
            margin-top: 0;
        }
        /* The focused field: its label gains an arrow (TrainControls) and reverse video, which show
           without colour; the field itself is tinted. */
        .field-label.-focused {
            color: $text;
            text-style: bold reverse;
        }
        .field-error {
            display: none;
            width: 100%;
            color: $text-error;
            text-style: bold;
            height: auto;
        }
        #controls Input, #controls Select {
            width: 100%;
        }
        #controls Input:focus, #controls Select:focus > SelectCurrent {
            background: $accent 40%;
            text-style: bold;
        }
        #regenerate {
            width: auto;
            margin: 0 0 0 0;
        }
        #train-main {
            width: 1fr;
            height: 1fr;
        }
        #stats {
            height: auto;
            padding: 0 1;
        }
        #plots {
            layout: vertical;
            height: 1fr;
        }
        #curves {
            height: 1fr;
            min-height: 5;  /* a few rows of curve even when the stats above take several lines */
        }
        #model-view {
            height: 1fr;
        }
        .-wide #plots, .-lesson #plots {
            layout: horizontal;
        }
        /* Under a lesson's strip the pictures stand side by side: stacked, at 80x24 each would get
           two or three rows. */
        .-wide #curves, .-wide #model-view, .-lesson #curves, .-lesson #model-view {
            width: 1fr;
            height: 1fr;
        }
        #model-note {
            padding: 1;
        }
        #fit-plot, #decision-map {
            height: 1fr;
        }
        /* ASCII: the border Textual draws in box characters becomes | */
        .-ascii #controls {
            border-right: ascii $primary;
        }
    """
    SCOPED_CSS = False  # its rules name the screen's size classes (.-wide, .-ascii)

    pane_id = "train"
    interval = STATS_INTERVAL

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._last_plots = 0.0
        self._last_map = 0.0
        #: When the numbers were last drawn while training, and the gap before: a picture is
        #: drawn on such a frame.
        self._last_frame = 0.0
        self._frame_gap = 0.0
        #: The user's c toggle overrides the width's default (a view preference, not a setting).
        self.settings_choice: bool | None = None
        #: (time, step) at the last redraw, and the fast-forward rate measured from it.
        self._rate_mark: tuple[float, int] | None = None
        self._rate = 0
        #: The landscape's SGD path (`PathReplay`: every step, replayed on a copy of the run
        #: while the landscape is on show); None until then, and again for another run.
        self._path: PathReplay | None = None
        #: A larger model's slice, (run, its step when asked for, the slice): computed once
        #: when the landscape is turned on, not every frame (it costs a pass over the data per
        #: cell).
        self._slice: tuple[RunView, int, Landscape] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="train-row"):
            yield TrainControls(id="controls")
            with Vertical(id="train-main"):
                yield TrainStats(id="stats")
                with Container(id="plots"):
                    yield LossCurves(id="curves")
                    yield ModelView(id="model-view")

    def on_mount(self) -> None:
        self._sync_controls()
        # Composed when first opened (not at start): fit the width before the first paint.
        self.apply_width(self.app.size.width)

    # -- state -> widgets ----------------------------------------------------------------------

    def state_changed(self, event: StateChanged) -> None:
        if event.touches("trainer", "config", "runs"):
            self._path = self._slice = None  # another run: another path, another slice
        if "problem" in event:
            self.query_one(TrainControls).clear_errors()
        if event.touches("config", "trainer", "controls"):
            self._sync_controls()

    def _sync_controls(self) -> None:
        state = self.state
        config = state.config
        controls = self.query_one(TrainControls)
        losses = []
        for choice in state.loss_choices():
            label = choice.title
            if choice.refusal:
                label += "  (cannot run)"
            elif choice.standing is Standing.ALTERNATIVE:
                label += "  (alternative)"  # the menu is narrow; the Train pane says it in full
            else:
                label += f"  ({choice.standing.value})"
            losses.append((choice.key, label))
        controls.set_options(state.datasets, state.models, HIDDEN_ACTIVATION_NAMES, losses)
        mlp = config.model == "mlp"
        enabled = {
            "hidden": mlp,
            "hidden_activation": mlp,
            "loss": len(losses) > 1,
        }
        controls.set_values(
            {key: SETTINGS[key].format(getattr(config, key)) for key, _ in FIELDS},
            enabled={key: enabled.get(key, True) and not state.is_locked(key) for key, _ in FIELDS},
        )
        controls.set_hidden(state.hidden)

    def apply_width(self, width: int) -> None:
        """Show the settings column by default from SETTINGS_WIDTH columns up."""
        default = width >= SETTINGS_WIDTH
        show = self.settings_choice if self.settings_choice is not None else default
        self.query_one(TrainControls).display = show

    # -- drawing -------------------------------------------------------------------------------

    def draw(self, force: bool = False, *, plots: bool = True) -> None:
        """Redraw the numbers; the curves and the model too when due (always with `force`)."""
        # A diverged model overflows on purpose; the panes say so in words, not in warnings.
        with np.errstate(all="ignore"):
            self._draw(force, plots)

    def _draw(self, force: bool, plots: bool) -> None:
        state, run = self.state, self.state.run
        now = self.now()
        if not force:  # a forced frame (a key, a setting) says nothing of when the next comes
            self._frame_gap, self._last_frame = now - self._last_frame, now
        values = run.evaluate()
        shown = (values.get("train_loss"), values.get("val_loss"))
        nonpositive = any(v is not None and v <= 0 for v in shown)
        self.query_one(TrainStats).show(
            run,
            running=state.running,
            fast=state.running and state.fast,
            steps_per_second=self._fast_rate(now) if state.fast else state.speed,
            loss_title=run.loss.title,
            standing=loss_verdict(state.problem, state.config.loss).standing,
            divergence=state.divergence_message,
            convergence=run.convergence_summary,
            hint=self._focus_hint(),
            note=self._negative_loss_note() if nonpositive else self._recorded_note(),
        )
        if not plots:
            return
        # Each picture on its own schedule, judged on every frame: at most its interval apart
        # (a second on a slow link), whether or not the other one was drawn on this frame.
        slow, gap = self.redraw_interval, self._frame_gap
        if force or due(now, self._last_plots, max(PLOT_INTERVAL, slow), gap):
            self._last_plots = now
            if state.log10 and self.loss_went_nonpositive():
                self.call_later(self.log10_unavailable)
            self.query_one(LossCurves).show(
                run.history,
                log10=state.log10,
                loss_name=run.recorded_as,
                # The losses seen while paused between records: without them the curves stood
                # still while the student stepped with n and the stats line moved.
                between=run.points_between(paused=not state.running),
                # The run a setting change replaced, faint under the live curves (key o).
                ghost=state.ghost if state.ghosts else None,
            )
        if force or due(now, self._last_map, max(MAP_INTERVAL, slow), gap):
            self._last_map = now
            landscape = state.landscape
            self.query_one(ModelView).display = not landscape
            if landscape:
                self._draw_landscape()
            else:
                self.turned_off("landscape-view")
                self._slice = None  # turned on again: a fresh slice
                self.query_one(ModelView).show(run)

    def on_landscape_view_resized(self) -> None:
        if self.state.landscape:
            self._slice = None  # a slice's grid is computed for a size
            self._draw_landscape()

    def _draw_landscape(self) -> None:
        """The loss landscape in place of the fit: the whole surface of a two-parameter model
        with the path so far, or for a larger model a slice through its weights."""
        from losstui.core.landscape import PathReplay, landscape, plane_of, slice_landscape
        from losstui.tui.widgets.landscape_view import LandscapeView

        view = self.turned_on(LandscapeView, "landscape-view", self.query_one("#plots"))
        if not view.size.width:  # mounted just now: its grid fits the size it is given
            self.call_after_refresh(self._draw_landscape)
            return
        run = self.state.run
        plane = plane_of(run.trainer) is not None
        columns, rows = view.grid_size(slice=not plane)
        if plane:
            if self._path is None:  # every step SGD took, however seldom this draws
                self._path = PathReplay()
            drawn = landscape(run.trainer, columns, rows, path=self._path)
        else:
            if self._slice is None or self._slice[0] is not run:
                self._slice = (run, run.step_count, slice_landscape(run.trainer, columns, rows))
            drawn = self._slice[2]
        self.call_after_refresh(view.show, drawn)

    def _recorded_note(self) -> tuple[str, ...] | None:
        """For a loss recorded with the constant it drops: say what the numbers are."""
        run = self.state.run
        loss = run.loss
        if run.dataset.validation_note:
            return (run.dataset.validation_note + ".", "val, R²: clean targets, no outliers")
        if not loss.recorded_as:
            return None
        return (
            f"train, val: the {loss.recorded_as}; {loss.title} trains without the constant.",
            f"train, val: {loss.recorded_as}",
        )

    def _negative_loss_note(self) -> tuple[str, ...]:
        loss = self.state.run.loss
        return NEGATIVE_LOSS_NOTES.get(
            loss.name, (f"{loss.title} is 0 or below here; only its changes matter.",)
        )

    def _fast_rate(self, now: float) -> int:
        """Steps per second fast-forward reaches, measured between redraws (0 until known)."""
        step = self.state.step_count
        last = self._rate_mark
        self._rate_mark = (now, step)
        if last is None or now - last[0] <= 0 or step < last[1]:
            return self._rate
        self._rate = int(round((step - last[1]) / (now - last[0]), -2))
        return self._rate

    def loss_went_nonpositive(self) -> bool:
        """Whether a loss on show (plotted, or in the stats) is 0 or below: no log10 of it."""
        run = self.state.run
        now = run.evaluate()
        if min(now["train_loss"], now["val_loss"]) <= 0:
            return True
        return any(min(r.train_loss, r.val_loss) <= 0 for r in run.history)

    def log10_unavailable(self) -> None:
        """Turn the log axis off, and say why."""
        if self.state.log10:
            self.state.toggle_log10()
        self.app.notify(
            f"log10 is unavailable: the {self.state.run.loss.title} goes to 0 or below. "
            "The loss axis stays linear.",
            timeout=5,
            markup=False,
        )

    def _focus_hint(self) -> str | None:
        """What the keys do while a settings field has focus (space and letters type there)."""
        focused = self.app.focused
        if isinstance(focused, Input):
            return "enter applies, esc leaves the field"
        if isinstance(focused, Select):
            return "enter opens the list, esc leaves"
        if focused is not None and focused.id == "regenerate":
            return "enter draws new data, esc leaves"
        return None

    # -- focus ---------------------------------------------------------------------------------

    def focus_target(self):
        return self.query_one("#curves")

    def focus_in_settings(self) -> bool:
        """Whether the keys are in the settings column."""
        focused = self.app.focused
        return focused is not None and self.query_one(TrainControls) in focused.ancestors

    def open_settings(self) -> None:
        """Show the settings column and put the keys in its first field."""
        controls = self.query_one(TrainControls)
        if not controls.display:
            self.settings_choice = True
            self.apply_width(self.app.size.width)
        first = next((w for w in controls.query("Input, Select") if w.focusable), None)
        self.screen.set_focus(first)
        if first is not None:
            # The column may have just appeared: scroll the field and its heading into view
            # once it is laid out (the fields above may be locked; the column is short at 80x24).
            self.call_after_refresh(controls.reveal, first)

    def hide_settings(self) -> None:
        """Hide the settings column."""
        self.settings_choice = False
        self.apply_width(self.app.size.width)

    def leave_settings(self) -> None:
        """Escape out of the settings: a column that `c` opened on a narrow terminal, where it
        is hidden by default, closes again so that the plots get their width back."""
        if self.settings_choice and self.app.size.width < SETTINGS_WIDTH:
            self.settings_choice = None
            self.apply_width(self.app.size.width)

    # -- widgets -> state (messages up) -------------------------------------------------------

    def _full_batch_note(self) -> str:
        """When the batch size asked for is more than the training set, what a step then does
        ("more than the 200 training points: …"); "" otherwise."""
        asked, n_train = self.state.config.batch_size, self.state.run.dataset.n_train
        if asked <= n_train:
            return ""
        return (
            f"more than the {n_train:,} training points: each step uses them all "
            "(full-batch gradient descent)"
        )

    @on(TrainControls.SettingSubmitted, "#controls")
    def _setting_submitted(self, event: TrainControls.SettingSubmitted) -> None:
        state = self.state
        controls = self.query_one(TrainControls)
        field = event.field
        before, steps_before, loss_before = (
            state.run,
            state.run.step_count,
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
        # Allowed (the core's rule: a batch larger than the training set is the full batch), but
        # the epoch count then rises by 1.0 a step; say why rather than leave it to puzzle.
        full_batch = self._full_batch_note() if field == "batch_size" else ""
        if state.run is not before and steps_before:  # the steps so far are gone: say so
            shown = controls.value_label(field).split("  (")[0]
            message = f"{SETTINGS[field].label} {shown}: training restarts from step 0"
            if field != "loss" and state.config.loss != loss_before:
                message += f"; the loss is now {state.run.loss.title}"
            if full_batch:
                message += f". That is {full_batch}"
            self.app.notify(self.glyphs.text(message), timeout=6 if full_batch else 4, markup=False)
        elif full_batch:  # at step 0 nothing restarts, but the note still matters
            message = f"{SETTINGS[field].label} {controls.value_label(field)} is {full_batch}"
            self.app.notify(self.glyphs.text(message), timeout=6, markup=False)
        elif state.run is before and steps_before:  # the stop rule changed; the run goes on
            shown = controls.value_label(field)
            message = f"{SETTINGS[field].label} {shown}: the run goes on from step {steps_before:,}"
            if state.run.converged:
                message = f"{SETTINGS[field].label} {shown}: {state.run.convergence_summary}"
            self.app.notify(self.glyphs.text(message), timeout=4, markup=False)

    # -- its keys (bound on the main screen, which passes them on: see tui/actions.py) ---------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """c reads "Settings" outside the settings column and "Hide settings" inside it."""
        if action in ("open_settings", "hide_settings"):
            if not self.is_mounted:
                return False
            return self.focus_in_settings() == (action == "hide_settings")
        return True

    def action_toggle_ghosts(self) -> None:
        """o: draw the replaced run's curve on the loss plot, or not."""
        self.state.toggle_ghosts()
        shown = "shown" if self.state.ghosts else "hidden"
        self.app.notify(f"Ghost curves {shown} (o)", timeout=3, markup=False)

    def action_toggle_log10(self) -> None:
        """l: plot log10(loss) or the loss; a loss at 0 or below has none, and it says so."""
        from losstui.tui.intents import attempt

        if not self.state.log10 and self.loss_went_nonpositive():
            self.log10_unavailable()
            return
        attempt(self, self.state.toggle_log10)
