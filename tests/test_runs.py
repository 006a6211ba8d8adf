"""Runs as the unit of the app state: several runs on one clock, their snapshot, restore and setup
line, and one run made the same way wherever it is made."""

from __future__ import annotations

import json

import numpy as np
import pytest

from losstui.core.run import Run
from losstui.core.settings import SettingError
from losstui.core.state import AppState, Part
from losstui.core.trainer import TrainConfig, Trainer


def _weights(run: Run) -> np.ndarray:
    return run.trainer.model.flat_params.copy()


def test_two_runs_step_on_one_clock_and_restore_from_a_snapshot():
    state = AppState("binary_classification")
    state.apply_setup_line("race=lr:0.01,0.1")
    assert [run.config.lr for run in state.runs] == [0.01, 0.1]
    assert [run.label for run in state.runs] == ["lr 0.01", "lr 0.1"]
    state.step(45)
    assert [run.step_count for run in state.runs] == [45, 45]
    assert not np.array_equal(_weights(state.runs[0]), _weights(state.runs[1]))

    state.select_run(1)
    snapshot = json.loads(json.dumps(state.snapshot()))  # plain data, as a file would hold it
    fresh = AppState()
    fresh.restore(snapshot)
    assert fresh.race == state.race
    assert fresh.selected == 1
    assert fresh.config == state.config
    for restored, run in zip(fresh.runs, state.runs, strict=True):
        assert restored.step_count == run.step_count
        assert np.array_equal(_weights(restored), _weights(run))  # bit for bit
        assert [r.val_loss for r in restored.history] == [r.val_loss for r in run.history]


def test_the_setup_line_carries_the_race_and_a_snapshot_of_one_run_ends_it():
    state = AppState("regression")
    state.apply_setup_line("race=hidden:16/32,16 momentum=0.5")
    line = state.setup_line()
    assert "race=hidden:16/32,16" in line
    again = AppState()
    again.apply_setup_line(line)
    assert [run.config for run in again.runs] == [run.config for run in state.runs]
    assert all(run.config.momentum == 0.5 and run.config.model == "mlp" for run in state.runs)

    single = AppState("regression").snapshot()
    state.restore(single)
    assert state.race is None
    assert len(state.runs) == 1


def test_equal_settings_give_identical_runs():
    state = AppState("binary_classification")
    state.apply_setup_line("race=loss:binary_cross_entropy,binary_cross_entropy")
    state.step(60)
    first, second = state.runs
    assert np.array_equal(_weights(first), _weights(second))
    assert [r.train_loss for r in first.history] == [r.train_loss for r in second.history]


def test_a_run_in_the_app_equals_the_run_train_makes():
    """The same configuration gives the same run, bit for bit, in the app state and in a bare
    Trainer (what `losstui train` steps)."""
    state = AppState("regression")
    state.apply_setup_line("dataset=curve lr=0.05")
    config = TrainConfig.default_for("regression").replace(dataset="curve", model="mlp", lr=0.05)
    assert state.config == config
    bare = Trainer(config)
    state.step(70)
    bare.step(70)
    assert np.array_equal(_weights(state.run), bare.model.flat_params)


def test_a_stopped_run_waits_while_the_others_train_on():
    state = AppState("binary_classification")
    state.apply_setup_line("race=lr:0.05,1e6")
    state.play()
    state.step(200)
    calm, wild = state.runs
    assert wild.diverged
    assert wild.step_count < 200
    assert calm.step_count == 200
    assert state.step_count == 200
    assert state.running  # one run still trains


def test_changing_the_raced_setting_changes_the_selected_run_only():
    state = AppState("binary_classification")
    state.apply_setup_line("race=lr:0.01,0.1")
    state.select_run(1)
    state.set("lr", 0.3)
    assert [run.config.lr for run in state.runs] == [0.01, 0.3]
    state.set("momentum", 0.5)  # any other setting applies to every run
    assert [run.config.momentum for run in state.runs] == [0.5, 0.5]


def test_a_new_problem_ends_the_race_and_a_bad_race_changes_nothing():
    state = AppState("binary_classification")
    state.apply_setup_line("race=lr:0.01,0.1")
    events = []
    state.subscribe(events.append)
    state.set_problem("regression")
    assert state.race is None
    assert len(state.runs) == 1
    assert Part.RUNS in events[-1]
    assert Part.PROBLEM in events[-1]

    before = state.snapshot()
    for line, message in [
        ("race=lr:0.1", "2 to 4"),
        ("race=seed:1,2", "KEY one of loss"),
        ("race=lr:0.1,fast", "learning rate must be"),
        ("race=loss:mse,binary_cross_entropy", "race:"),  # bce cannot train on regression data
    ]:
        with pytest.raises(SettingError, match=message):
            state.apply_setup_line(line)
        assert state.snapshot() == before


def test_selecting_a_run_outside_the_race_is_refused():
    state = AppState()
    with pytest.raises(SettingError, match="from 1 to 1"):
        state.select_run(1)


@pytest.mark.parametrize("preset", ["saturated_start", "large_counts"])
def test_a_preset_gives_the_same_run_in_the_app_and_in_train(preset, capsys):
    """`losstui train --preset KEY` and the app's preset train the same run, bit for bit."""
    from losstui import cli

    assert cli.main(["train", "--preset", preset, "--steps", "60", "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    state = AppState()
    state.apply_preset(preset)
    assert state.config.as_dict() == {
        k: list(v) if isinstance(v, tuple) else v for k, v in printed["config"].items()
    }
    state.step(60)
    assert printed["final"]["train_loss"] == state.run.evaluate()["train_loss"]
    assert printed["history"][-1]["val_loss"] == state.run.history[-1].val_loss


def test_a_lesson_step_trains_the_run_its_settings_give():
    """A lesson's `set` and `run N` train the run a bare Trainer of the same configuration
    trains, bit for bit."""
    from lesson_helpers import entered, go_on

    from losstui.lessons.format import parse_lesson

    text = (
        "---\ntitle: Same run\nsummary: One run.\nminutes: 1\n---\nReady.\n---\nIt trains.\n\n"
        "```losstui\nset problem=regression dataset=curve lr=0.05 seed=3\nrun 40\n```\n"
    )
    lesson_run, state = entered(parse_lesson(text, "same.md"))
    go_on(lesson_run)
    assert state.running
    while state.running:  # as the app's ticker drives a step's `run N`
        state.step(state.steps_per_tick)
        lesson_run.tick()
    assert state.step_count == 40
    bare = Trainer(state.config)
    bare.step(40)
    assert np.array_equal(_weights(state.run), bare.model.flat_params)


def test_no_view_reads_the_trainer_from_the_state():
    """Views are given a run (`RunView`); none reaches through the state to a trainer."""
    from pathlib import Path

    import losstui.tui

    root = Path(losstui.tui.__file__).parent
    readers = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "state.trainer" in line
    ]
    assert readers == []


def test_a_whole_configuration_is_taken_as_it_is_not_as_changes():
    """A snapshot's settings are a whole configuration: a linear model keeps the hidden sizes it
    carries, and going back to a fresh setup from an MLP is not read as asking a linear model
    for hidden layers (a lesson's back did this, found by the lesson property test)."""
    state = AppState()
    state.apply_setup_line("dataset=moons model=mlp hidden=4,4 loss=hinge")
    state.apply(AppState().snapshot()["settings"], force=True)
    assert state.config == AppState().config

    carried = AppState()
    carried.apply_setup_line("model=mlp hidden=8")
    carried.set("model", "linear")  # the sizes stay, unused
    again = AppState()
    again.restore(carried.snapshot())
    assert again.config == carried.config
