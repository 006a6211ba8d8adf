"""One work cap for long runs: the time and memory of a run, data and evaluation included,
estimated before any data is made; refused with the estimate and the flag; ctrl+c keeps the
history."""

from __future__ import annotations

import pytest

from losstui import cli
from losstui.core import trainer as trainer_module
from losstui.core.trainer import TrainConfig
from losstui.core.work import LIFT_FLAG, MAX_BYTES, app_over_cap, over_cap, run_cost
from tests.cli_helpers import run


def config(problem: str = "regression", **changes) -> TrainConfig:
    return TrainConfig.default_for(problem).replace(**changes)


def test_the_estimate_counts_the_parameters_of_the_run_it_describes():
    for changes in ({}, {"model": "mlp", "hidden": (64, 32)}, {"dataset": "linear20"}):
        cfg = config(**changes)
        assert run_cost(cfg).n_params == trainer_module.Trainer(cfg).model.n_params
    blobs = config("multiclass_classification", model="mlp", hidden=(8,))
    assert run_cost(blobs).n_params == trainer_module.Trainer(blobs).model.n_params


def test_the_cost_grows_with_steps_samples_parameters_and_batch():
    small = run_cost(config())
    assert small.seconds(2000) > small.seconds(1000) > small.seconds(0) > 0
    more_data = run_cost(config(n_samples=100_000))
    assert more_data.record_seconds > small.record_seconds
    assert more_data.data_seconds > small.data_seconds
    assert more_data.peak_bytes > small.peak_bytes
    wider = run_cost(config(model="mlp", hidden=(256,)))
    assert wider.step_seconds > small.step_seconds
    assert run_cost(config(batch_size=128)).step_seconds > small.step_seconds
    assert over_cap(config(), 1000) is None
    assert app_over_cap(config()) is None


@pytest.mark.parametrize(
    "argv",
    [
        ("--epochs", "100000", "--batch-size", "1"),  # round the 10-million-step cap
        ("--hidden", "1024,1024,1024,1024", "--steps", "10000000"),
        ("--hidden", "1024,1024,1024,1024", "--steps", "10000"),
        # One step, but a million samples: making them and evaluating them is the cost.
        ("--samples", "1000000", "--hidden", "1024,1024,1024,1024", "--batch-size", "1",
         "--steps", "1"),
    ],
    ids=["epochs x batch 1", "huge model, many steps", "huge model", "huge data, one step"],
)  # fmt: skip
def test_a_run_above_the_cap_is_refused_with_the_estimate_and_the_flag(capsys, argv):
    status, out, err = run(capsys, "train", "--problem", "regression", "--model", "mlp", *argv)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("losstui train: error: this run would take")
    assert "parameters, batch" in err
    assert LIFT_FLAG in err


def test_a_preset_does_not_slip_a_huge_run_past_the_cap(capsys):
    argv = ("--samples", "1000000", "--model", "mlp", "--hidden", "1024,1024,1024,1024")
    status, _, err = run(
        capsys, "train", "--preset", "saturated_start", *argv, "--batch-size", "1", "--steps", "1"
    )
    assert status == 2
    assert "this run would take" in err


@pytest.mark.parametrize("lift", [(), (LIFT_FLAG,)], ids=["capped", "with the flag"])
def test_a_run_above_the_memory_cap_is_refused_even_with_the_flag(capsys, lift):
    # A batch of 266,667 through 1,024 hidden units: gigabytes of activations.
    argv = ("--samples", "400000", "--model", "mlp", "--hidden", "1024", "--batch-size", "400000")
    status, out, err = run(capsys, "train", "--problem", "regression", *argv, "--steps", "5", *lift)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "of memory" in err
    assert "above the cap of 1 GB" in err
    assert (
        run_cost(
            config(n_samples=400_000, model="mlp", hidden=(1024,), batch_size=400_000)
        ).peak_bytes
        > MAX_BYTES
    )


def test_the_dataset_cache_is_bounded_by_bytes(monkeypatch):
    monkeypatch.setattr(trainer_module, "_cache", {})
    monkeypatch.setattr(trainer_module, "CACHE_BYTES", 400_000)
    sets = [trainer_module.cached_dataset("linear20", seed, 2000) for seed in range(20)]
    held = sum(trainer_module._nbytes(d) for d in trainer_module._cache.values())
    one = trainer_module._nbytes(sets[-1])
    assert held <= 400_000 + one
    assert len(trainer_module._cache) < 20
    assert trainer_module.cached_dataset("linear20", 19, 2000) is sets[-1]  # the last is kept


def test_the_flag_lifts_the_cap(capsys, monkeypatch):
    asked = []
    monkeypatch.setattr(cli, "_run_steps", lambda trainer, total: asked.append(total) or False)
    argv = ("--hidden", "1024,1024,1024,1024", "--steps", "10000", LIFT_FLAG)
    status, _, _ = run(capsys, "train", "--problem", "regression", *argv)
    assert status == 0
    assert asked == [10000]


def test_ctrl_c_prints_the_history_so_far(capsys, monkeypatch):
    from losstui.core.trainer import Trainer

    real_step = Trainer.step

    def step_then_interrupt(self, n=1):
        if self.step_count >= 300:
            raise KeyboardInterrupt
        return real_step(self, n)

    monkeypatch.setattr(Trainer, "step", step_then_interrupt)
    status, out, _ = run(capsys, "train", "--problem", "regression", "--steps", "1000")
    assert status == 130
    assert "Done: 300 steps" in out
    assert "interrupted (ctrl+c) at step 300 of 1,000" in out


HUGE = "problem=binary_classification model=mlp hidden=1024,1024,1024,1024"


def test_the_app_state_refuses_a_model_above_the_step_cap_and_keeps_the_run():
    from losstui.core.settings import SettingError
    from losstui.core.state import AppState

    state = AppState()
    state.apply_setup_line("problem=binary_classification model=mlp hidden=512,512")
    run = state.trainer
    with pytest.raises(SettingError, match=r"about 1\d\d ms a step \(3,152,897 parameters"):
        state.apply_setup_line(HUGE)
    assert state.trainer is run
    assert state.config.hidden == (512, 512)
    lifted = AppState(allow_long_run=True)
    lifted.apply_setup_line(HUGE)
    assert lifted.config.hidden == (1024, 1024, 1024, 1024)


def test_the_app_refuses_such_a_setup_line_unless_the_flag_lifts_the_cap(capsys, monkeypatch):
    opened = []
    monkeypatch.setattr(cli, "run_app", lambda *args, **options: opened.append(options) or 0)
    status, out, err = run(capsys, "--setup", HUGE)
    assert out == ""
    assert status == 2
    assert not opened
    assert err.count("\n") == 1
    assert err.startswith("losstui: error: argument --setup: this model would take about 1")
    assert LIFT_FLAG in err
    assert run(capsys, "--setup", HUGE, LIFT_FLAG)[0] == 0
    assert opened[-1]["allow_long_run"] is True
    assert run(capsys, LIFT_FLAG, "lesson", "1")[0] == 0  # a lesson's app is lifted too
    assert opened[-1]["allow_long_run"] is True


async def test_the_settings_column_refuses_a_model_above_the_cap_inline():
    from textual.widgets import Input

    from losstui.tui.app import LossApp
    from tests.app_helpers import widget_text

    app = LossApp(setup="problem=binary_classification model=mlp hidden=16 pane=train")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        field = app.query_one("#field-hidden", Input)
        field.focus()
        field.value = "1024,1024,1024,1024"
        await pilot.press("enter")
        await pilot.pause()
        assert app.state.config.hidden == (16,)
        assert field.value == "16"
        assert "above the app's cap of 50 ms" in widget_text(app, "#error-hidden")


@pytest.mark.parametrize(
    "setup",
    [
        "model=mlp hidden=1024,1024,1024 batch_size=1 n_samples=1000000 pane=train",
        "problem=regression dataset=linear20 model=mlp hidden=256 n_samples=1000000",
    ],
    ids=["a huge model on huge data", "each evaluation too long"],
)
def test_the_app_refuses_a_run_whose_first_picture_would_take_minutes(setup):
    from losstui.core.settings import SettingError
    from losstui.core.state import AppState

    state = AppState()
    before = state.trainer
    with pytest.raises(SettingError, match="above the app's cap"):
        state.apply_setup_line(setup)
    assert state.trainer is before  # refused before any data was made
