"""The app state without Textual: the schema, locks, events, snapshot and the setup line."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from losstui.core.datasets import DATASETS, DatasetSpec, register_dataset
from losstui.core.problems import PROBLEMS
from losstui.core.settings import SETTINGS, SettingError, parse_setup_line
from losstui.core.state import AppState, Part
from losstui.core.trainer import TrainConfig


def test_a_lesson_shaped_script_runs_against_the_state_alone():
    # What a lesson step does: set the problem, the config and the pane, lock two controls,
    # train, and hand the class a snapshot that rebuilds the same run.
    state = AppState()
    state.apply_setup_line("problem=regression dataset=curve model=mlp hidden=32,16 lr=0.05")
    state.set_pane("train")
    state.lock("lr", "dataset")
    assert state.step(100) == 100
    with pytest.raises(SettingError, match="Learning rate: the lesson holds it at this step"):
        state.set("lr", 0.1)
    assert state.config.lr == 0.05  # refused: the value stays
    state.lock("regenerate")  # an action is named as the student knows it, with its key
    with pytest.raises(SettingError, match=r"^New data \(g\): the lesson holds it at this step"):
        state.regenerate()
    state.unlock("regenerate")

    snapshot = json.loads(json.dumps(state.snapshot()))  # plain data, as a file would hold it
    fresh = AppState()
    fresh.restore(snapshot)
    assert fresh.config == state.config
    assert fresh.pane == "train"
    assert fresh.trainer.step_count == 100
    np.testing.assert_array_equal(fresh.trainer.model.flat_params, state.trainer.model.flat_params)
    assert fresh.trainer.history == state.trainer.history
    assert fresh.locked == {"lr", "dataset"}
    assert fresh.setup_line() == state.setup_line()


def test_the_state_module_loads_no_ui_library():
    code = (
        "import sys, losstui.core.state\n"
        "print([m for m in ('textual', 'rich', 'plotext') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_setup_line_is_applied_whole_or_not_at_all():
    state = AppState("regression")
    before = state.snapshot()
    with pytest.raises(SettingError, match="momentum must be a number in"):
        state.apply_setup_line("lr=0.3 momentum=1.5")
    assert state.snapshot() == before
    with pytest.raises(SettingError, match="expected KEY=VALUE, got 'lr'"):
        state.apply_setup_line("lr 0.3")
    with pytest.raises(SettingError, match="unknown setting 'colour'"):
        state.apply_setup_line("colour=red")
    with pytest.raises(SettingError, match="lr is given twice"):
        parse_setup_line("lr=0.1 lr=0.2")
    assert state.snapshot() == before


def test_the_setup_line_names_only_what_differs_and_reads_back():
    state = AppState("binary_classification")
    assert state.setup_line() == "problem=binary_classification"
    state.apply({"dataset": "moons", "model": "mlp", "lr": "0.2", "units": "nats", "pane": "train"})
    line = state.setup_line()
    assert line == (
        "problem=binary_classification dataset=moons model=mlp lr=0.2 pane=train units=nats"
    )
    other = AppState("count_regression")
    other.apply_setup_line(line)
    assert other.values() == state.values()
    full = state.setup_line(full=True)
    assert "momentum=0.9" in full
    assert "batch_size=32" in full


def test_a_new_problem_in_a_line_is_applied_before_the_settings_it_carries():
    state = AppState("binary_classification")
    state.apply_setup_line("problem=count_regression lr=0.02")
    assert state.config.problem == "count_regression"
    assert state.config.lr == 0.02
    assert state.config.loss == "poisson"
    assert state.config.dataset == "counts"


def test_one_message_per_bad_value_in_the_state_the_config_and_the_command_line(capsys):
    from losstui.cli import main

    message = "learning rate must be a number > 0 and at most 1e+09, got '0'"
    with pytest.raises(SettingError) as in_state:
        AppState().set("lr", "0")
    with pytest.raises(SettingError) as in_config:
        TrainConfig.default_for("regression").replace(lr="0")
    assert str(in_state.value) == str(in_config.value) == message
    assert main(["train", "--problem", "regression", "--lr", "0"]) == 2
    assert capsys.readouterr().err.strip().endswith(message)


def test_each_change_is_one_typed_event():
    state = AppState()
    events = []
    state.subscribe(events.append)
    state.apply({"lr": 0.1, "pane": "train"})
    assert len(events) == 1
    assert {Part.CONFIG, Part.TRAINER, Part.PANE} <= events[0].parts
    assert "pane" in events[0]
    assert "units" not in events[0]
    state.set("lr", 0.1)  # no change: no event
    assert len(events) == 1
    state.step(3)
    assert events[-1].parts == {Part.PROGRESS}


def test_a_dataset_added_at_run_time_is_offered_and_a_loss_it_cannot_take_is_replaced():
    def make(rng, n):
        x = rng.uniform(-1, 1, size=(n, 1))
        return {"x": x, "y": rng.poisson(np.exp(x)).astype(float)}

    spec = DatasetSpec(
        "my_counts_for_test", "Mine", "Counts.", "regression", make, nonnegative_targets=True
    )
    state = AppState("regression")
    assert state.datasets == ("line", "curve", "linear20")
    register_dataset(spec)
    try:
        assert state.datasets == ("line", "curve", "linear20", spec.name)
        state.apply({"dataset": spec.name, "loss": "poisson"})
        state.set("dataset", "line")  # negative targets: Poisson cannot run there
        assert state.config.loss == "mean_squared_error"
        with pytest.raises(SettingError, match="Poisson loss cannot run here"):
            state.set("loss", "poisson")
    finally:
        DATASETS.pop(spec.name, None)


def test_hidden_controls_are_locked_and_unknown_controls_are_named():
    state = AppState()
    state.hide("loss", "reset")
    assert state.is_locked("loss")
    assert state.is_locked("reset")
    with pytest.raises(SettingError, match="Loss: the lesson holds it"):
        state.set("loss", "hinge")
    with pytest.raises(SettingError, match=r"Reset \(r\): the lesson holds it"):
        state.reset()
    with pytest.raises(SettingError, match="unknown control 'volume'"):
        state.lock("volume")
    state.show()
    state.set("loss", "hinge")
    assert state.config.loss == "hinge"


def test_a_bad_snapshot_changes_nothing():
    state = AppState()
    before = state.snapshot()
    with pytest.raises(SettingError, match="step must be a whole number"):
        state.restore({"settings": {"lr": "0.1"}, "step": -4})
    with pytest.raises(SettingError, match="learning rate must be"):
        state.restore({"settings": {"lr": "fast"}, "step": 0})
    assert state.snapshot() == before


def test_every_setting_formats_a_value_it_parses_back():
    values = AppState("multilabel_classification").values()
    for key, value in values.items():
        if value is not None:
            setting = SETTINGS[key]
            assert setting.parse(setting.format(value)) == value, key


def test_a_converged_run_stops_playing_and_a_new_patience_keeps_it_when_it_can():
    state = AppState("binary_classification")
    state.apply_setup_line("patience=300")
    state.play()
    while state.running:  # the app's loop: a tick's steps at a time, until the rule stops it
        state.step(state.steps_per_tick)
    trainer = state.trainer
    assert trainer.converged
    assert trainer.step_count == 600
    assert state.step(5) == 0
    with pytest.raises(ValueError, match="step 600: validation loss not improved for 300"):
        state.play()
    # Off (or longer): the same run goes on from step 600.
    state.set("patience", 0)
    assert state.trainer is trainer
    assert trainer.step_count == 600
    assert not trainer.converged
    state.play()
    assert state.running
    assert state.step(20) == 20
    # Shorter than the flat stretch it has had: that rule would have stopped it earlier, so it
    # is a new run from step 0, as any other training setting.
    state.pause()
    state.set("patience", 100)
    assert state.trainer is not trainer
    assert state.trainer.step_count == 0
    assert state.setup_line() == "problem=binary_classification patience=100"


@pytest.mark.parametrize("problem", list(PROBLEMS))
def test_the_setup_line_round_trips_for_every_problem(problem):
    state = AppState(problem)
    state.apply({"lr": "0.02", "seed": "7", "pane": "distributions", "units": "nats"})
    for full in (False, True):
        fresh = AppState()
        fresh.apply_setup_line(state.setup_line(full=full))
        assert fresh.values() == state.values()
        assert fresh.setup_line(full=full) == state.setup_line(full=full)
