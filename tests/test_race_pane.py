"""The Race pane and starting a race from the app: which runs a race key makes (headless), and
what a student reads on the pane at 80x24 and 120x40, in ASCII and without colour."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from losstui.core.presets import PRESETS, RACE_PRESETS
from losstui.core.race import alternatives_race
from losstui.core.settings import SettingError
from losstui.core.state import AppState
from losstui.core.text import fit_number
from losstui.tui.app import LossApp
from losstui.tui.run_marks import RUN_MARKS
from losstui.tui.widgets.race_table import NUMBER_WIDTH
from tests.app_helpers import flat, pane_ready, screen_text

# -- headless: which runs the keys race -----------------------------------------------------------


def _data(kind: str, nonnegative: bool = True) -> SimpleNamespace:
    return SimpleNamespace(kind=kind, nonnegative_targets=nonnegative)


def test_racing_the_losses_puts_the_run_first_then_the_recommendation_and_its_alternatives():
    binary = _data("binary")
    assert alternatives_race("binary_classification", "binary_cross_entropy", binary).values == (
        "binary_cross_entropy",
        "hinge",
        "squared_hinge",
        "mean_squared_error",
    )
    # A run on another loss races against the recommended one first; four runs at most.
    race = alternatives_race("binary_classification", "sigmoid_mean_squared_error", binary)
    assert race.values == (
        "sigmoid_mean_squared_error",
        "binary_cross_entropy",
        "hinge",
        "squared_hinge",
    )


def test_racing_the_losses_leaves_out_losses_that_cannot_train_on_the_data():
    # Negative targets: the losses of positive amounts (log error, Poisson) cannot train.
    race = alternatives_race(
        "wide_range_regression", "mean_squared_error", _data("regression", False)
    )
    assert "poisson" not in race.values
    assert "mean_squared_logarithmic_error" not in race.values
    assert race.values[0] == "mean_squared_error"
    with pytest.raises(SettingError, match="no other loss"):
        alternatives_race("regression", "mean_squared_error", _data("density"))


def test_ending_a_race_keeps_the_selected_run_as_far_as_it_trained():
    state = AppState()
    state.race_losses()
    assert state.pane == "race"
    state.step(5)
    state.select_run(1)
    state.end_race()
    assert state.race is None
    assert len(state.runs) == 1
    assert (state.config.loss, state.step_count) == ("hinge", 5)
    with pytest.raises(ValueError, match="No race is on"):
        state.end_race()


def test_a_race_whose_runs_all_stopped_says_how_each_ended_and_how_to_go_on():
    state = AppState()
    state.apply_preset("race_learning_rates")
    state.step(2000)
    assert state.stopped
    with pytest.raises(ValueError, match="Every run of the race has stopped") as refused:
        state.play()
    message = str(refused.value)
    assert re.search(r"lr 1 diverged at step \d", message)
    assert re.search(r"lr 0.01 converged at step \d", message)
    assert "r starts the race again" in message


# -- on screen ------------------------------------------------------------------------------------


def _row(text: str, mark: str, label: str) -> str:
    """The table's row of the run with `mark` and `label` (its first line that starts so)."""
    pattern = re.compile(rf"^[> ] {re.escape(mark)} {re.escape(label)}\b.*$", re.MULTILINE)
    found = pattern.search(text)
    assert found, f"no row for {mark} {label} in:\n{text}"
    return found.group(0)


async def _choose_preset(pilot, app: LossApp, key: str) -> None:
    """Open the presets dialog with d and choose `key` with end, up and enter (the race presets
    are listed last)."""
    await pilot.press("d")
    await pilot.pause()
    keys = [p.key for p in app.screen._presets]  # the dialog's order: the problem's first
    await pilot.press("end", *["up"] * (len(keys) - 1 - keys.index(key)), "enter")
    await pane_ready(pilot, app, "race")


async def test_a_student_races_the_binary_losses_by_keys_and_reads_which_leads_at_80x24():
    app = LossApp(problem="binary_classification")
    async with app.run_test(size=(80, 24)) as pilot:
        await _choose_preset(pilot, app, "race_binary_losses")
        assert app.state.pane == "race"
        app.state.step(400)
        await pilot.pause()
        text = screen_text(app)
        # Which wins: the metric plot names the leader, and its accuracy is the table's highest.
        leader = re.search(r"best now (\S) (\S+)", text)
        assert leader, text
        mark, short = leader.groups()
        shorts = ("BCE", "SMSE", "hinge", "SH")
        rows = {m: _row(text, m, s) for m, s in zip(RUN_MARKS, shorts, strict=True)}
        assert short == shorts[RUN_MARKS.index(mark)]
        accuracy = {m: float(re.findall(r"(\d+\.\d)%", row)[0]) for m, row in rows.items()}
        assert accuracy[mark] == max(accuracy.values())
        assert "≥80% at" in text  # the target, stated in the table's head

        # [ and ] go through the runs' pictures; the run selected is the one marked "> ".
        await pilot.press("right_square_bracket")
        await pilot.pause()
        text = screen_text(app)
        assert "2/4 o SMSE" in text
        assert _row(text, "o", "SMSE").startswith("> ")

        # On the Train pane ] shows the next run too: its loss heads the screen.
        await pilot.press("3")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.state.selected == 2
        assert screen_text(app).splitlines()[0].startswith(" Binary classification | Hinge loss")


async def test_a_student_races_four_learning_rates_by_keys_and_sees_lr_1_diverge_at_80x24():
    app = LossApp(problem="regression")
    async with app.run_test(size=(80, 24)) as pilot:
        await _choose_preset(pilot, app, "race_learning_rates")
        wild = app.state.runs[-1]
        while not wild.diverged:  # within a few hundred steps, as the preset says (170 here)
            app.state.step(app.state.steps_per_tick)
        await pilot.pause()
        text = screen_text(app)
        assert re.search(r"diverged \d+", _row(text, "#", "lr 1"))
        for mark, label in zip(RUN_MARKS[:3], ("lr 0.001", "lr 0.01", "lr 0.1"), strict=True):
            assert "training" in _row(text, mark, label)

        # v ends the race: the selected run goes on alone, and the pane says how to race again.
        await pilot.press("v")
        await pilot.pause()
        assert len(app.state.runs) == 1
        text = flat(screen_text(app))
        assert "A race trains 2 to 4 runs" in text
        assert "v on the Train pane" in text


async def test_at_120x40_every_runs_picture_is_on_show_side_by_side():
    app = LossApp(preset="race_binary_losses")
    async with app.run_test(size=(120, 40)) as pilot:
        await pane_ready(pilot, app, "race")
        app.state.step(20)
        await pilot.pause()
        lines = screen_text(app).splitlines()
        captions = [line for line in lines if "SMSE  step 20" in line]
        assert captions, "\n".join(lines)
        for caption in ("> * BCE  step 20", "o SMSE  step 20", "x hinge  step 20", "# SH  step 20"):
            assert caption in captions[0]


async def test_in_ascii_the_race_pane_writes_only_ascii():
    app = LossApp(ascii=True, preset="race_learning_rates")
    async with app.run_test(size=(80, 24)) as pilot:
        await pane_ready(pilot, app, "race")
        app.state.step(40)
        await pilot.pause()
        text = screen_text(app)
        assert sorted({c for c in text if not c.isascii()}) == []
        assert ">=0.8 at" in text


async def test_without_colour_each_run_is_told_apart_by_its_mark(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = LossApp(preset="race_outliers")
    async with app.run_test(size=(80, 24)) as pilot:
        await pane_ready(pilot, app, "race")
        app.state.step(60)
        await pilot.pause()
        text = screen_text(app)
        labels = ("MSE", "MAE", "huber")
        for mark, label in zip(RUN_MARKS[:3], labels, strict=True):
            _row(text, mark, label)  # the table: the mark beside the run's name
            assert f"{mark} {label} " in flat(text.split("loss÷first:")[1])  # the legend
        # Each run's curve is drawn in its mark: the plots hold all three.
        plots = "\n".join(line[:40] for line in text.splitlines()[2:17])
        assert all(mark in plots for mark in RUN_MARKS[:3])


def test_a_number_too_wide_for_the_table_keeps_its_exponent():
    # Squared error on targets in the hundreds: a loss of 11,270 is "1.13e+04", not "1.127e+…".
    assert fit_number("1.127e+04", NUMBER_WIDTH) == "1.13e+04"
    assert fit_number("-1.234e+05", NUMBER_WIDTH) == "-1.2e+05"
    assert fit_number("0.3694", NUMBER_WIDTH) == "0.3694"
    assert fit_number("training", 4) == "training"  # not a number: the cell cuts it


def test_every_race_preset_is_offered_where_presets_are():
    from losstui.tui.screens.preset_screen import PresetScreen

    offered = [p.key for p in PresetScreen("binary_classification")._presets]
    assert set(offered) == {*PRESETS, *RACE_PRESETS}


async def test_a_tick_trains_in_pieces_that_keep_the_runs_together_and_a_pause_ends_it():
    # Four MLP runs at 1,000 steps a second took 60 ms a tick, and a key waited for all of it:
    # the tick's steps go in pieces of about 15 ms, every run stepped alike in each.
    from losstui.tui.clock import PIECE

    setup = "problem=binary_classification speed=1000 patience=0 race=lr:0.001,0.01,0.1,1"
    app = LossApp(setup=setup)
    async with app.run_test(size=(80, 24)) as pilot:
        state, clock = app.state, app.clock
        state.play()
        clock.ticker.pause()  # the test's own ticks
        clock._step_cost = PIECE / 7.5  # as if a step of the clock cost 2/15 of a piece: 7 a piece
        clock._on_tick()
        assert state.step_count == 7  # the first piece; the rest after turns of the loop
        for _ in range(40):
            if not clock._owed:
                break
            await pilot.pause()
            assert len({run.step_count for run in state.runs}) == 1
        assert state.step_count == state.steps_per_tick == 100
        clock._step_cost = PIECE / 7.5
        clock._on_tick()
        state.pause()  # a key between two pieces: the rest of the tick is not trained
        await pilot.pause()
        await pilot.pause()
        assert state.step_count == 107
        assert not clock._owed
