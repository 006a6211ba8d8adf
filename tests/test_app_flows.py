"""Pilot tests of the app's user flows: choose, read, train, pause, reset, refuse, diverge."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input, Label, OptionList, Select

from losstui.core.datasets import check_pairing
from losstui.core.presets import presets_for
from losstui.core.problems import PROBLEMS, recommend
from losstui.core.text import format_loss
from losstui.lessons.format import Lesson
from losstui.tui.app import LossApp
from losstui.tui.glyphs import UNICODE
from losstui.tui.palette import commands as palette_commands
from losstui.tui.screens.help_screen import ALIAS_NOTE, help_sections, key_text
from losstui.tui.widgets.distribution_view import DistributionView
from losstui.tui.widgets.pq_lab import PQLab
from losstui.tui.widgets.recommendation_view import recommendation_text
from losstui.tui.widgets.status_bar import StatusBar
from losstui.tui.widgets.train_controls import TrainControls
from losstui.tui.widgets.train_stats import TrainStats
from tests.app_helpers import flat, footer, notifications, pane_ready, screen_text, widget_text


async def _train_pane(pilot) -> None:
    await pilot.press("3")
    await pane_ready(pilot, pilot.app, "train")


def _recommendation_as_read(key: str, width: int) -> str:
    """What the Recommendation pane draws for problem `key` (its text builder, rendered at
    `width` columns), whitespace collapsed."""
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(recommendation_text(key, UNICODE))
    return flat(console.export_text())


def _assert_recommendation_read(key: str, text: str) -> None:
    rec = recommend(key)
    assert flat(rec.loss_title) in text, key
    if PROBLEMS[key].kind == "density":  # no output layer and no y: parameters and x
        assert "Activation" not in text
        assert "y ~" not in text
        assert f"Parameters {flat(rec.activation_reason)}" in text
        assert f"x ~ {rec.distribution}" in text
    else:
        assert f"Activation {rec.activation}" in text, key
        assert f"y ~ {rec.distribution}" in text, key
    # The activation's reason is said once, in the rationale, not repeated under it.
    assert text.count(flat(rec.activation_reason)) <= 1, key


@pytest.mark.parametrize("key", PROBLEMS)
def test_each_problem_shows_its_recommended_loss_and_activation(key):
    _assert_recommendation_read(key, _recommendation_as_read(key, 116))


async def test_the_recommendation_pane_follows_the_problem_chosen():
    # The pane draws what its text builder gives (the test above, for every problem), and
    # follows the problem as it changes: a supervised one, then a density.
    app = LossApp(problem="regression")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.state.pane == "recommendation"
        for key in ("binary_classification", "density_estimation"):
            app.state.set_problem(key)
            await pilot.pause()
            _assert_recommendation_read(key, flat(screen_text(app)))


async def test_a_problem_chosen_by_keyboard_or_by_the_questions_updates_the_recommendation():
    app = LossApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        chooser = app.query_one("#chooser")
        assert chooser.has_focus
        await pilot.press("home", "enter")  # the first entry: regression
        await pilot.pause()
        assert app.state.problem == "regression"
        assert app.state.pane == "recommendation"
        assert "mean squared error" in flat(screen_text(app)).lower()
        # Back on the Problem pane, the questions lead to a problem too.
        await pilot.press("1")
        await pilot.pause()
        assert chooser.has_focus
        await pilot.press("tab")  # into the answers
        await pilot.pause()
        await pilot.press("home", "enter")  # "a real number" -> outliers?
        await pilot.pause()
        await pilot.press("home", "enter")  # "yes" -> robust regression
        await pilot.pause()
        assert app.state.problem == "robust_regression"


async def test_n_steps_space_plays_and_pauses_r_resets_and_the_footer_follows():
    # One app walked through the Train pane's keys (each check used to start its own).
    app = LossApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await _train_pane(pilot)
        # n and s step once each; the loss falls as training goes on.
        first = app.state.trainer.history[-1].val_loss
        await pilot.press("n", "n", "s")
        await pilot.pause()
        assert app.state.trainer.step_count == 3
        assert "step 3" in screen_text(app)
        app.state.step(300)
        await pilot.pause()
        assert app.state.trainer.history[-1].val_loss < 0.5 * first
        assert "step 303" in screen_text(app)
        # r goes back to step 0.
        await pilot.press("r")
        await pilot.pause()
        assert app.state.trainer.step_count == 0
        assert "step 0" in screen_text(app)
        # The footer offers Play while paused and Pause while running; the timer trains.
        row = footer(app)
        assert "Play" in row
        assert "Pause" not in row
        await pilot.press("space")
        await pilot.pause()
        assert app.state.running
        row = footer(app)
        assert "Pause" in row
        assert "Play" not in row
        app.clock.tick()  # what the timer does each tenth of a second
        app.clock.tick()
        assert app.state.trainer.step_count >= 2 * app.state.steps_per_tick
        # Pause freezes everything, a stray tick after it too.
        await pilot.press("space")
        await pilot.pause()
        assert not app.state.running
        assert "Play" in footer(app)
        frozen_step = app.state.trainer.step_count
        frozen_screen = screen_text(app)
        app.clock.tick()
        for _ in range(5):
            await pilot.pause()
        assert app.state.trainer.step_count == frozen_step
        assert screen_text(app) == frozen_screen
        assert "PAUSED" in frozen_screen
        # At 80 columns the settings column starts hidden; c opens it, escape closes it, and
        # the keys reach the pane again: space trains.
        controls = app.query_one(TrainControls)
        assert not controls.display
        await pilot.press("c")
        await pilot.pause()
        assert controls.display
        assert app.train_pane.focus_in_settings()
        await pilot.press("escape")
        await pilot.pause()
        assert not controls.display
        assert not app.train_pane.focus_in_settings()
        await pilot.press("space")
        await pilot.pause()
        assert app.state.running


async def _type_into(pilot, app, field: str, text: str) -> None:
    widget = app.query_one(f"#field-{field}", Input)
    widget.focus()
    await pilot.pause()
    widget.value = ""
    await pilot.press(*text, "enter")
    await pilot.pause()


async def _refused_pairing_shows_the_whole_reason(pilot, app) -> None:
    """KL divergence chosen for the binary problem is refused, and the whole reason shows under
    the loss (the column scrolls it into view after a refresh or two)."""
    app.query_one("#field-loss", Select).value = "kl_divergence"
    await pilot.pause()
    reason = check_pairing("kl_divergence", app.state.trainer.dataset)
    label, controls = app.query_one("#error-loss"), app.query_one(TrainControls)
    for _ in range(5):
        if controls.region.contains_region(label.region):
            break
        await pilot.pause()
    shown = widget_text(app, "#error-loss")
    assert shown.startswith(flat(f"KL divergence cannot run here: {reason}"))
    assert app.query_one("#field-loss", Select).value == "binary_cross_entropy"


async def test_typing_into_the_learning_rate_replaces_it_and_a_bad_one_shows_the_reason():
    app = LossApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await _train_pane(pilot)
        # c opens the column (hidden at 80 columns) into its first field; tab to the rate.
        await pilot.press("c")
        while not app.query_one("#field-lr", Input).has_focus:
            await pilot.press("tab")
        await pilot.press(*"0.2", "enter")
        await pilot.pause()
        assert app.state.config.lr == 0.2
        await pilot.press(*"0.3", "enter")  # still focused: the next value replaces it too
        await pilot.pause()
        assert app.state.config.lr == 0.3
        await pilot.press(*"x", "enter")
        await pilot.pause()
        await pilot.press(*"0.4", "enter")  # after an error as well
        await pilot.pause()
        assert app.state.config.lr == 0.4
        for bad in ("abc", "-1", "0"):
            await _type_into(pilot, app, "lr", bad)
            error = app.query_one("#error-lr", Label)
            assert error.display
            assert "learning rate" in str(error.render())
            assert app.state.config.lr == 0.4
            # The kept value is back in the field, and the whole reason is on show.
            assert app.query_one("#field-lr", Input).value == "0.4"
            reason = f"learning rate must be a number > 0 and at most 1e+09, got '{bad}'; kept 0.4"
            assert widget_text(app, "#error-lr") == reason
        await _type_into(pilot, app, "lr", "0.2")
        assert app.state.config.lr == 0.2
        assert not app.query_one("#error-lr", Label).display
        # A refused pairing shows its whole reason in the narrow column too.
        await _refused_pairing_shows_the_whole_reason(pilot, app)


async def test_huge_learning_rate_diverges_and_the_app_stays_usable():
    app = LossApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await _train_pane(pilot)
        await pilot.press("c")
        await _type_into(pilot, app, "lr", "1e6")
        await pilot.press("escape")
        await pilot.press("space")
        await pilot.pause()
        for _ in range(50):
            app.clock.tick()
            if app.state.trainer.diverged:
                break
        await pilot.pause()
        assert app.state.trainer.diverged
        assert not app.state.running
        text = flat(screen_text(app))
        assert f"diverged at step {app.state.trainer.diverged_at_step}" in text.lower()
        assert "lower the learning rate" in text.lower()
        await pilot.press("space", "n")  # refused with the reason, not silence or a crash
        await pilot.pause()
        said = [flat(n) for n in notifications(app)]
        assert sum("Lower the learning rate" in n for n in said) >= 2, said
        assert app.state.trainer.diverged
        assert not app.state.running
        await pilot.press("r")
        await pilot.pause()
        assert app.state.trainer.step_count == 0
        assert not app.state.trainer.diverged
        await _type_into(pilot, app, "lr", "0.05")
        app.state.step(20)
        assert not app.state.trainer.diverged


async def test_the_settings_column_at_120x40_goes_through_the_state():
    # One app walked through the settings column at 120x40 (each check used to start its own):
    # the lists, a refused pairing, a loss not recommended, the model, a setting that restarts
    # the run, then c and escape moving the keys in and out.
    app = LossApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await _train_pane(pilot)
        controls = app.query_one(TrainControls)
        assert controls.display
        # The lists have no blank row.
        for select in app.query(Select):
            assert Select.BLANK not in [value for _, value in select._options]
            assert select.value != Select.BLANK
        # A pairing that cannot run is refused with the reason, the loss kept.
        app.query_one("#field-loss", Select).value = "sparse_categorical_cross_entropy"
        await pilot.pause()
        assert app.state.config.loss == "binary_cross_entropy"
        error = app.query_one("#error-loss", Label)
        assert error.display
        assert "cannot run" in str(error.render())
        assert app.query_one("#field-loss", Select).value == "binary_cross_entropy"
        await _refused_pairing_shows_the_whole_reason(pilot, app)
        # A loss not recommended trains, and the screen says so.
        app.query_one("#field-loss", Select).value = "mean_squared_error"
        await pilot.pause()
        assert app.state.config.loss == "mean_squared_error"
        first = app.state.trainer.history[-1].val_loss
        app.state.step(300)
        await pilot.pause()
        assert app.state.trainer.history[-1].val_loss < first
        text = flat(screen_text(app))
        assert "(not recommended)" in text
        assert "Mean squared error + linear" in text  # the status names the chosen pairing
        # An alternative the Recommendation pane lists (hinge, under "Reasonable alternatives")
        # is called one on the Train pane and in the menu, not "not recommended".
        app.state.set("loss", "hinge")
        await pilot.pause()
        text = flat(screen_text(app))
        assert "(reasonable alternative)" in text
        assert "not recommended" not in text
        select = app.query_one("#field-loss", Select)
        menu = {value: str(label) for label, value in select._options}
        assert menu["hinge"].endswith("(alternative)")
        assert menu["mean_squared_error"].endswith("(not recommended)")
        assert menu["binary_cross_entropy"].endswith("(recommended)")
        # A softmax on one output is marked in the list itself, before it is chosen.
        assert "cannot run" in flat(menu["categorical_cross_entropy"])
        # The model, the hidden layers (a bad one refused), a new seed by g.
        app.query_one("#field-model", Select).value = "mlp"
        await pilot.pause()
        await _type_into(pilot, app, "hidden", "32,16")
        assert app.state.config.model == "mlp"
        assert app.state.config.hidden == (32, 16)
        await _type_into(pilot, app, "hidden", "32,x")
        assert app.state.config.hidden == (32, 16)
        assert app.query_one("#error-hidden", Label).display
        seed = app.state.config.seed
        await pilot.press("escape", "g")
        await pilot.pause()
        assert app.state.config.seed == seed + 1
        # A new setting says training restarts from step 0, unless there is nothing to lose.
        app.state.step(30)
        await _type_into(pilot, app, "lr", "0.5")
        assert app.state.trainer.step_count == 0
        assert "learning rate 0.5: training restarts from step 0" in notifications(app)
        await _type_into(pilot, app, "batch_size", "8")  # at step 0 there is nothing to lose
        assert not any("batch size" in m for m in notifications(app))
        app.state.step(5)
        await _type_into(pilot, app, "batch_size", "16")
        assert "batch size 16: training restarts from step 0" in notifications(app)
        await pilot.press("escape")
        await pilot.pause()
        # c goes into the settings, and the hints follow the focus.
        assert "c Settings" in footer(app)
        assert "space trains" in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.focused, Select)
        assert "c Hide settings" in footer(app)
        assert "enter opens the list" in screen_text(app)
        app.query_one("#field-lr", Input).focus()
        await pilot.pause()
        text = screen_text(app)
        assert "esc leaves the field" in text
        assert "space" not in text.splitlines()[2]
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is None or not isinstance(app.focused, Input)
        assert "space trains" in screen_text(app)
        await pilot.press("c")  # back in, then c hides the column
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert not app.query_one(TrainControls).display
        assert "c Settings" in footer(app)


async def test_help_scrolls_by_keyboard_lists_every_key_and_closes():
    app = LossApp()
    app.animation_level = "none"  # scroll at once, no waiting for an animation
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        box = app.screen.query_one("#help-box")
        assert box.has_focus
        assert box.max_scroll_y > 0
        await pilot.press("pagedown")
        assert box.scroll_target_y > 0
        await pilot.press("end")
        await pilot.pause()
        text = screen_text(app)
        assert "close" in text
        assert "P/Q lab" in text
        await pilot.press("home")
        await pilot.pause()
        assert "Anywhere" in screen_text(app)
        # The description column starts near the left, so descriptions don't wrap early.
        line = next(row for row in screen_text(app).splitlines() if "this help" in row)
        assert line.index("this help") - line.index("? or F1") <= 16
        await pilot.press("escape")
        await pilot.pause()
        # On a larger terminal every key shows at once, and escape closes it.
        await pilot.resize_terminal(120, 40)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        for key in ("space", "n or s", "+/-", "? or F1", "q or ctrl+c"):
            assert key in text
        await pilot.press("escape")
        await pilot.pause()
        assert "1 Problem" in screen_text(app)


def _help_text(ascii: bool = False) -> str:
    sections = help_sections(ascii=ascii)
    return "\n".join(f"{keys}  {what}" for _, rows in sections for keys, what in rows)


@pytest.mark.parametrize("widget", [PQLab, DistributionView, LossApp])
def test_help_names_every_key_of_every_pane(widget):
    text = _help_text() + "\n" + ALIAS_NOTE
    for binding in widget.BINDINGS:
        for key in binding.key.split(","):
            assert key_text(key) in text, f"{key} of {widget.__name__} missing from the help"


def test_help_explains_the_lab_and_distributions_keys():
    text = _help_text()
    for row in (
        "1 2 3 4 5 6 7  panes: Problem, Recommendation, Train, Distributions, P/Q lab, Lessons, "
        "Race",
        "p  switch between editing P and editing Q",
        "←/→  edit P / edit Q",
        "↑/↓  previous / next outcome",
        "+/- or ]/[  move 0.05",
        "}/{  move 0.01",
        "r  back to P = [0.10, 0.40, 0.50]",
        "→/← or j/k  next / previous validation example",
        "w  the worst-predicted example",
        "home/end  first / last example",
        "pgdn/pgup  10 examples",
    ):
        assert row in text
    assert "left/right  edit P / edit Q" in _help_text(ascii=True)


def test_the_divergence_hint_does_not_send_the_user_to_r():
    from losstui.core.state import AppState

    state = AppState("binary_classification")
    state.set_lr(1e6)
    state.step(200)
    assert state.trainer.diverged
    message = state.divergence_message
    assert "press r" not in message
    assert "Lower the learning rate" in message
    assert "restarts from step 0" in message


def test_run_end_messages_offer_no_setting_a_lesson_holds():
    # Lesson 1 locks every setting, then diverges the run on purpose: "c opens the settings"
    # sent the student to a column where nothing could change.
    from losstui.core.state import AppState

    state = AppState("binary_classification")
    state.set_lr(1e6)
    state.step(200)
    state.set_controls(locked={"lr"}, hidden=set())
    message = state.divergence_message or ""
    assert "diverged at step" in message
    assert "learning rate (try" not in message
    assert "settings" not in message
    state = AppState("binary_classification")
    state.apply({"patience": "300"})
    state.step(5000)
    assert state.trainer.converged
    assert "patience" in (state.convergence_message or "")
    state.set_controls(locked={"patience"}, hidden=set())
    message = state.convergence_message or ""
    assert "converged at step" in message
    assert "patience" not in message


async def test_each_step_by_hand_moves_the_loss_curve_and_the_stats_redraw_only_on_a_change():
    # The history records every 20 steps: the curve stood at step 0 while n moved the stats.
    from losstui.tui.widgets.loss_curves import LossCurves

    app = LossApp(setup="problem=regression pane=train")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        curves = app.query_one(LossCurves)
        drawn = [curves.render().plain]
        for _ in range(3):
            await pilot.press("n")
            await pilot.pause()
            drawn.append(curves.render().plain)
        assert app.state.trainer.step_count == 3
        assert len(app.state.trainer.history) == 1
        assert len(set(drawn)) == 4, "a step by hand left the curve as it was"
        await pilot.press("r")  # back to step 0: the points of steps 1-3 go with the run
        await pilot.pause()
        assert app.state.trainer.step_count == 0
        assert curves.render().plain == drawn[0]
        await pilot.press("space")  # training on: the records take over, the run goes on
        await pilot.pause()
        app.state.pause()  # after however many ticks the machine gave it: on to a record
        app.state.step(40 - app.state.trainer.step_count % 20)
        await pilot.pause()
        assert [r.step for r in app.state.trainer.history][-1] == app.state.trainer.step_count
        # The stats do not redraw when nothing changed, and do once when a step changes them.
        stats = app.query_one(TrainStats)
        calls = []
        original = stats.refresh
        stats.refresh = lambda *a, **k: calls.append(1) or original(*a, **k)
        app.train_pane.draw(force=True)
        app.train_pane.draw(force=True)
        assert calls == []
        app.state.step(1)
        assert len(calls) == 1


async def test_stats_show_the_losses_of_the_step_on_show_and_the_density_nll_once():
    app = LossApp(problem="soft_label_classification")
    async with app.run_test(size=(120, 40)) as pilot:
        await _train_pane(pilot)
        app.state.step(53)  # between two history records (every 20 steps)
        await pilot.pause()
        now = app.state.trainer.evaluate()
        stats = app.query_one(TrainStats)
        assert stats.values["val_loss"] == now["val_loss"]
        text = flat(screen_text(app))
        assert "step 53" in text
        assert f"val {format_loss(now['val_loss'])}" in text
        assert app.state.trainer.history[-1].step == 40  # the record is older than the screen
        # A density's stats show the NLL once, and its units key is greyed.
        app.state.set_problem("density_estimation")
        app.state.step(20)
        await pilot.pause()
        text = flat(screen_text(app))
        assert "NLL" not in text.split("step 20", 1)[1].split("loss:", 1)[0]
        assert "Gaussian negative log-likelihood" in text
        await pilot.press("4")
        await pilot.pause()
        assert (
            app.main_screen.check_action("toggle_units", ()) is None
        )  # shown, greyed: no effect here
        app.state.set_problem("regression")
        assert app.main_screen.check_action("toggle_units", ()) is None
        app.state.set_problem("multiclass_classification")
        assert app.main_screen.check_action("toggle_units", ()) is True


async def test_panes_open_by_number_take_the_keys_at_once_and_ctrl_c_quits():
    app = LossApp()
    async with app.run_test(size=(80, 24)) as pilot:
        # A pane opened by its number takes the keys at once.
        await pilot.press("5")
        await pilot.pause()
        lab = app.query_one("#pq-lab")
        await pilot.press("plus")  # Q's first outcome gains 0.05
        await pilot.pause()
        assert lab.q[0] == 0.85
        await pilot.press("4", "j")
        await pilot.pause()
        assert app.query_one("#dist-view").example == app.state.example == 1
        # Every pane by its number; u toggles the units.
        for key, pane in zip(
            "12345", ("problem", "recommendation", "train", "distributions", "pq_lab"), strict=True
        ):
            await pilot.press(key)
            await pilot.pause()
            assert app.state.pane == pane
        await pilot.press("u")
        await pilot.pause()
        assert app.state.units == "nats"
        # ctrl+c quits with the status of an interrupted program.
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 130


async def test_the_lab_shows_values_set_through_the_state():
    app = LossApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.state.set_pq((0.5, 0.5, 0.0), (0.2, 0.3, 0.5))
        app.state.set_pane("pq_lab")
        await pilot.pause()
        lab = app.query_one("#pq-lab")
        assert (lab.p, lab.q) == ((0.5, 0.5, 0.0), (0.2, 0.3, 0.5))
        await pilot.press("plus")  # and a key in the lab goes back into the state
        await pilot.pause()
        assert app.state.pq_q == lab.q != (0.2, 0.3, 0.5)


async def test_count_losses_are_the_full_nll_and_a_diverged_model_is_drawn_on_every_pane():
    # The Poisson loss drops log y!; the curves add it back so train and validation compare, and
    # the screen says which is which. The full NLL stays positive, so the log axis works.
    app = LossApp(problem="count_regression")
    async with app.run_test(size=(80, 24)) as pilot:
        await _train_pane(pilot)
        app.state.step(400)
        await pilot.pause()
        text = flat(screen_text(app))
        assert "train, val: the full NLL (with log y!)" in text or "full NLL (with log y!)" in text
        assert "full NLL by step" in text
        values = app.query_one(TrainStats).values
        assert min(values["train_loss"], values["val_loss"]) > 0
        await pilot.press("l")
        await pilot.pause()
        assert app.state.log10
        assert "log10(full NLL) by step" in flat(screen_text(app))
        # Predictions near 1e28, or parameters that are no longer numbers: every pane still
        # draws, says what happened, and the app stays alive.
        for problem in ("count_regression", "density_estimation"):
            app.state.set_problem(problem)
            await pilot.press("3")
            await pilot.pause()
            app.state.set_lr("1e6")
            app.state.step(300)
            assert app.state.trainer.diverged, problem
            await pilot.pause()
            assert "diverged at step" in flat(screen_text(app)).lower(), problem
            await pilot.press("4")
            await pilot.pause()
            assert app.state.pane == "distributions"
            assert "diverged" in flat(screen_text(app)).lower(), problem


async def test_d_opens_the_presets_and_enter_applies_one_with_its_claim():
    app = LossApp(problem="binary_classification")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        count = len(presets_for("binary_classification"))
        assert f"press d: {count} presets show" in flat(screen_text(app))  # it says how
        await pilot.press("d")
        await pilot.pause()
        assert "Saturated start" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        state = app.state
        assert state.pane == "train"
        assert state.config.init_scale == 30
        assert state.trainer.step_count == 0
        assert not state.running
        assert any("confidently" in n.message for n in app._notifications)
        await pilot.press("d", "escape")  # escape leaves everything as it was
        await pilot.pause()
        assert state.pane == "train"
        assert state.config.init_scale == 30


async def test_a_setup_line_opens_that_setup_and_the_palette_copies_it_back():
    line = "problem=regression dataset=curve model=mlp lr=0.1 pane=train"
    app = LossApp(setup=line)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.state.setup_line() == line
        assert "Regression" in screen_text(app)
        assert app.state.pane == "train"
        app.action_copy_setup()
        await pilot.pause()
        assert any(n.message == line for n in app._notifications)
        # The command palette offers the main actions.
        titles = {c.title for c in palette_commands(app, app.screen)}
        for title in ("Play / pause training", "Step once", "Reset training", "Go to Train"):
            assert title in titles
        # One "Keys": the app's help, not Textual's side panel of keys losstui does not have.
        keys = [c for c in palette_commands(app, app.screen) if c.title == "Keys"]
        assert len(keys) == 1
        assert keys[0].callback == app.action_help


LESSON = """---
title: A saturated start
summary: Cross-entropy against squared error.
minutes: 5
---
Accuracy now: {accuracy}.

```losstui
set problem=binary_classification init_scale=30 pane=train
lock loss
wait step >= 40
hint Press n; at step {step} now.
```
---
```losstui
ask Which gradient vanishes?
- [ ] cross-entropy's | No.
- [x] squared error's | Right: p·(1 − p).
```
"""


async def test_a_lesson_runs_beside_the_pane_it_drives_at_80x24():
    from losstui.lessons.format import parse_lesson

    app = LossApp(lesson=parse_lesson(LESSON, "L.md"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Lesson · step 1 of 2  A saturated start" in text
        assert "Accuracy now: 22.0%." in text
        assert "step 0" in text
        assert app.state.is_locked("loss")
        assert app.state.config.init_scale == 30
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert app.lesson is not None
        assert app.lesson.index == 0
        assert "Not yet: > goes on once the step is at least 40 (now 0)" in screen_text(app)
        await pilot.press("n", "n", "n")  # the refusal follows the run: it said "(now 0)" on
        await pilot.pause()
        assert "Not yet: > goes on once the step is at least 40 (now 3)" in screen_text(app)
        await pilot.press("h")
        await pilot.pause()
        assert "Hint: Press n; at step 3 now." in screen_text(app)
        app.state.step(40)
        await pilot.pause()
        assert "Done: > goes on." in screen_text(app)
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert "step 2 of 2" in screen_text(app)
        # The question takes the arrows; going back gives them back to the pane.
        assert app.focused is not None
        assert app.focused.id == "lesson-choices"
        await pilot.press("less_than_sign")
        await pilot.pause()
        assert app.lesson.index == 0
        assert app.focused is None or app.focused.id != "lesson-choices"
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert "step 2 of 2" in screen_text(app)
        await pilot.press("enter")  # the first answer, highlighted, is wrong
        await pilot.pause()
        assert "No." in screen_text(app)
        assert app.lesson.blocked() is not None
        await pilot.press("down", "enter")
        await pilot.pause()
        assert "Right: p·(1 − p)." in screen_text(app)
        assert app.lesson.blocked() is None
        await pilot.press("x")  # leaving keeps the app as it is, without the lesson's locks
        await pilot.pause()
        assert app.lesson is None
        assert not app.state.is_locked("loss")
        assert "Lesson ·" not in screen_text(app)
        assert app.state.config.init_scale == 30


async def test_while_training_the_lesson_strip_quotes_the_step_the_stats_line_shows(
    monkeypatch,
):
    from losstui.lessons.format import parse_lesson
    from losstui.tui.panes.train_pane import TrainPane

    # The Train pane redraws its numbers on every step here (a fast machine's worth of frames);
    # the strip must follow it, not keep a clock of its own.
    monkeypatch.setattr(TrainPane, "redraw_interval", property(lambda self: 0.0))
    lesson = "---\ntitle: T\nsummary: S\nminutes: 1\n---\nNow at step {step}.\n\n" + (
        "```losstui\nset problem=binary_classification pane=train\n```\n"
    )
    app = LossApp(lesson=parse_lesson(lesson, "L.md"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.state.play()
        app.clock.ticker.pause()  # the test steps the state itself
        for _ in range(6):
            app.state.step(7)
            await pilot.pause()
            step = app.state.trainer.step_count
            assert f"step {step}" in widget_text(app, "#stats")
            assert f"Now at step {step}." in flat(widget_text(app, "#lesson-text"))


async def test_in_ascii_a_lessons_formulas_read_as_spelled_not_as_markup():
    from losstui.lessons.format import parse_lesson

    lesson = "---\ntitle: T\nsummary: S\nminutes: 1\n---\nA line ŷ = w·x + b; SGD: θ ← θ − η·∇L.\n"
    app = LossApp(ascii=True, lesson=parse_lesson(lesson, "L.md"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # The * of w*x and eta*grad is shown, not taken for an emphasis that hides it.
        assert "A line y_hat = w*x + b; SGD: theta <- theta - eta*grad L." in flat(
            widget_text(app, "#lesson-text")
        )


async def test_a_student_who_quits_in_a_lesson_resumes_at_the_same_step(tmp_path):
    from losstui.lessons.format import read_lesson

    path = tmp_path / "saturated.md"
    path.write_text(LESSON, encoding="utf-8")
    app = LossApp(lesson=read_lesson(str(path)))
    async with app.run_test(size=(80, 24)) as pilot:
        app.state.step(40)
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert "step 2 of 2" in screen_text(app)
    again = LossApp(lesson=read_lesson(str(path)))
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "step 2 of 2" in screen_text(again)
        assert again.state.config.init_scale == 30  # the steps before it are set up again
        await pilot.press("down", "enter")  # the right answer; then the student quits
        await pilot.pause()
    third = LossApp(lesson=read_lesson(str(path)))
    async with third.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # The question answered before is not asked again: its answer is highlighted, its
        # feedback said, and > may go on.
        assert third.lesson is not None
        assert third.lesson.blocked() is None
        choices = third.query_one("#lesson-choices", OptionList)
        assert choices.highlighted == 1
        assert "Right: p·(1 − p)." in screen_text(third)


PQ_LESSON = """---
title: Moving Q
summary: KL as Q moves.
minutes: 5
---
Move Q until KL(P‖Q) is below 0.1: now {kl_pq}.

```losstui
set pane=pq_lab p=0.1,0.4,0.5 q=0.8,0.15,0.05
wait kl_pq < 0.1
```
---
KL(P‖Q) = {kl_pq}: Q is close to P. Now train.

```losstui
set problem=regression
```
"""


async def test_a_resumed_lesson_shows_the_state_the_student_left(tmp_path):
    # Lesson 4: Q moved until KL = 0.0692, step 6 reached, q; reopened, Q was back to
    # [0.80, 0.15, 0.05] and the step's text read false.
    from losstui.lessons.format import read_lesson

    path = tmp_path / "pq.md"
    path.write_text(PQ_LESSON, encoding="utf-8")
    app = LossApp(lesson=read_lesson(str(path)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.state.set_pq((0.1, 0.4, 0.5), (0.2, 0.35, 0.45))
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert app.lesson is not None
        assert app.lesson.index == 1
        text = flat(screen_text(app))
        app.state.set_pane("train")
        app.state.step(137)  # the student trains, then quits
        left = app.state.trainer.evaluate()
        await pilot.pause()
        await pilot.press("q")
    again = LossApp(lesson=read_lesson(str(path)))
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        state = again.state
        assert again.lesson is not None
        assert again.lesson.index == 1
        assert state.pq_q == (0.2, 0.35, 0.45)
        assert state.pane == "train"
        assert state.trainer.step_count == 137
        assert state.trainer.evaluate() == left
        assert "KL(P‖Q) = 0.0" in text
        assert again.lesson.text().split(":")[0] in text


def saturated_lesson(tmp_path: Path) -> tuple[Path, Lesson]:
    """LESSON written to a file in `tmp_path`, and read from it."""
    from losstui.lessons.format import read_lesson

    path = tmp_path / "saturated.md"
    path.write_text(LESSON, encoding="utf-8")
    return path, read_lesson(str(path))


async def test_leaving_a_lesson_on_its_last_step_finishes_it(tmp_path):
    # Lessons 1-4 end "Press x to leave": doing so left them "last step (9 of 9)".
    from losstui.lessons import progress
    from losstui.lessons.library import lesson_key

    path, lesson = saturated_lesson(tmp_path)
    app = LossApp(lesson=lesson)
    async with app.run_test(size=(80, 24)) as pilot:
        app.state.step(40)
        await pilot.press("greater_than_sign", "x")  # the last step's question unanswered
        await pilot.pause()
        assert app.lesson is None
        assert progress.load(lesson_key(lesson)) == 1
        await app.open_lesson(str(path))
        await pilot.press("b", "x")  # answered right, then left
        await pilot.pause()
        assert app.lesson is None
        assert progress.load(lesson_key(lesson)) == 2
    # Opened again at its first step (an instructor's --step 1 on the same account): the step
    # on show moves, and the lesson stays finished.
    again = LossApp(lesson_path=str(path), lesson_step=0)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert progress.load(lesson_key(lesson)) == 0
    assert lesson_key(lesson) in progress.finished()


async def test_answering_again_on_the_last_step_leaves_the_lesson_finished(tmp_path):
    from losstui.lessons import progress
    from losstui.lessons.library import lesson_key

    _, lesson = saturated_lesson(tmp_path)
    app = LossApp(lesson=lesson)
    async with app.run_test(size=(80, 24)) as pilot:
        app.state.step(40)
        await pilot.press("greater_than_sign")
        await pilot.press("down", "enter", "greater_than_sign")  # right, then finished
        await pilot.pause()
        assert progress.load(lesson_key(lesson)) == 2  # one past the last step: finished
        await pilot.press("up", "enter")  # a second thought, after the end
        await pilot.pause()
        assert progress.load(lesson_key(lesson)) == 2
        assert progress.load_answers(lesson_key(lesson))[1][1] == "cross-entropy's"


async def test_a_converged_run_stops_playing_and_space_and_n_say_why():
    app = LossApp(setup="problem=binary_classification patience=300 pane=train speed=1000")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.state.play()
        while app.state.running:  # the app's own loop, tick by tick, until the rule stops it
            app.state.step(app.state.steps_per_tick)
        await pilot.pause()
        trainer = app.state.trainer
        assert trainer.converged
        assert not app.state.running
        at = trainer.converged_at_step
        summary = f"converged at step {at:,}: validation loss not improved for 300"
        text = flat(screen_text(app))
        assert "CONVERGED" in text
        assert summary.removeprefix("converged ") in text
        # The status line says it too: whole where it fits beside the names, and at 80 columns
        # without the reason, which would push out the problem and the loss.
        bar = app.screen.query_one("#status-bar", StatusBar)
        assert summary in bar.line(160)
        assert "Binary classification" in bar.line(160)
        status = bar.line(80)
        assert status.startswith(" Binary classification | ")
        assert len(status) <= 80
        assert status.endswith(f"converged at step {trainer.converged_at_step:,}")
        top = screen_text(app).splitlines()[0]
        assert top.startswith(" Binary classification | ")
        assert f"converged at step {at}" in top
        # n and space are refused, each with the reason and the way on.
        await pilot.press("n", "space")
        await pilot.pause()
        assert trainer.step_count == at
        assert not app.state.running
        said = [flat(n) for n in notifications(app)]
        assert sum("set patience to 0" in n for n in said) == 2, said


async def test_patience_off_trains_a_converged_run_on_from_where_it_stopped():
    app = LossApp(setup="problem=regression patience=300 pane=train")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.state.step(5000)
        trainer = app.state.trainer
        stopped_at = trainer.step_count
        assert trainer.converged
        assert stopped_at == trainer.converged_at_step < 5000
        await _type_into(pilot, app, "patience", "0")
        assert app.state.trainer is trainer
        assert trainer.step_count == stopped_at
        assert not trainer.converged
        assert app.state.config.patience == 0
        assert any(f"goes on from step {stopped_at:,}" in m for m in notifications(app))
        await pilot.press("escape", "space")  # plays again
        await pilot.pause()
        assert app.state.running
        app.state.pause()
        assert app.state.step(40) == 40
        assert trainer.step_count > stopped_at


QUESTION_FIRST = """---
title: Straight to a question
summary: One question.
minutes: 1
---
Think of the gradient of squared error through a sigmoid. It has three factors, and one of
them is small whenever the sigmoid saturates. Which?

```losstui
set pane=train
ask Which factor vanishes when p is near 0 or 1?
- [ ] (p − y) | No: that one is large when the model is confidently wrong.
- [ ] the input x | No: the input does not depend on p.
- [ ] the learning rate | No: it is a constant.
- [ ] the batch size | No: it only averages.
- [x] p·(1 − p) | Right: the sigmoid's slope.
```
"""


async def test_a_lesson_opening_on_a_question_takes_the_arrows_and_leaves_the_palette_alone():
    from textual.widgets import Input

    from losstui.lessons.format import parse_lesson

    app = LossApp(lesson=parse_lesson(QUESTION_FIRST, "Q.md"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused is not None
        assert app.focused.id == "lesson-choices"
        await pilot.press("down", "down", "down", "down")  # from the first answer to the last
        await pilot.pause()
        assert "e) p·(1 − p)" in screen_text(app)  # scrolled into the strip
        # The answer letters leave the palette's search alone.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press("b", "a", "c")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "bac"
        assert app.lesson is not None
        assert app.lesson.answers == {}
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is not None
        assert app.focused.id == "lesson-choices"
        await pilot.press("enter")
        await pilot.pause()
        assert "Right: the sigmoid's slope." in screen_text(app)


async def test_a_letter_answers_the_question_and_c_does_not_open_the_settings():
    from losstui.lessons.format import parse_lesson

    app = LossApp(lesson=parse_lesson(QUESTION_FIRST, "Q.md"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        # How to answer is said; the cursor's answer is marked by a character, not colour alone.
        assert "Answer the question first: a letter, or ↑/↓ and enter" in flat(text)
        assert "> a) (p − y)" in text
        await pilot.press("c")  # answer c), "the learning rate": not the settings column
        await pilot.pause()
        assert "No: it is a constant." in screen_text(app)
        assert app.lesson is not None
        assert app.lesson.answers == {0: 2}
        assert not app.train_pane.focus_in_settings()
        assert "> c) the learning rate" in screen_text(app)
        await pilot.press("h")  # no answer h): the hint, as everywhere in a lesson
        await pilot.pause()
        assert app.lesson.answers == {0: 2}
        assert "Hint: no hint for this step." in screen_text(app)
        # From another pane too: the list has lost the focus, the letters still answer.
        await pilot.press("4")
        await pilot.pause()
        assert app.state.pane == "distributions"
        assert app.focused is not None
        assert app.focused.id != "lesson-choices"
        await pilot.press("e")
        await pilot.pause()
        assert "Right: the sigmoid's slope." in screen_text(app)
        slot = app.main_screen.query_one("#lesson-slot")
        assert not slot.has_class("-enlarged")
        await pilot.press("e")  # answered right: e is the lesson's enlarge again
        await pilot.pause()
        assert slot.has_class("-enlarged")
        assert app.lesson.answers == {0: 4}
        assert app.lesson.blocked() is None


async def test_the_loss_box_relabels_its_choice_when_the_problem_changes():
    from textual.widgets._select import SelectCurrent

    app = LossApp(setup="problem=regression dataset=line loss=mean_squared_error pane=train")
    async with app.run_test(size=(120, 40)) as pilot:
        await pane_ready(pilot, app, "train")
        box = app.query_one("#field-loss", Select).query_one(SelectCurrent)
        assert str(box.query_one("#label").render()).endswith("(recommended)")
        new_problem = {"problem": "robust_regression", "dataset": "line_outliers"}
        app.state.apply({**new_problem, "loss": "mean_squared_error"})
        await pilot.pause()
        assert str(box.query_one("#label").render()).endswith("(not recommended)")
