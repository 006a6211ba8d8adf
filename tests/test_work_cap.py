"""One work cap for long runs: refused with the estimate and the flag; ctrl+c keeps the history."""

from __future__ import annotations

import pytest

from losstui import cli
from losstui.core.work import LIFT_FLAG, over_cap, work


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_the_cost_grows_with_steps_parameters_and_batch():
    assert work(10, 100, 32) == 10 * work(1, 100, 32)
    assert work(1, 200, 32) > work(1, 100, 32) and work(1, 100, 64) > work(1, 100, 32)
    assert over_cap(1000, 3, 32) is None
    assert over_cap(10_000_000, 3_151_873, 32) is not None


@pytest.mark.parametrize(
    "argv",
    [
        ("--epochs", "100000", "--batch-size", "1"),  # round the 10-million-step cap
        ("--hidden", "1024,1024,1024,1024", "--steps", "10000000"),
        ("--hidden", "1024,1024,1024,1024", "--steps", "10000"),
    ],
    ids=["epochs x batch 1", "huge model, many steps", "huge model"],
)
def test_a_run_above_the_cap_is_refused_with_the_estimate_and_the_flag(capsys, argv):
    status, out, err = run(capsys, "train", "--problem", "regression", *argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("losstui train: error: this run would take")
    assert "parameters × batch" in err and LIFT_FLAG in err


def test_the_flag_lifts_the_cap(capsys, monkeypatch):
    asked = []
    monkeypatch.setattr(cli, "_run_steps", lambda trainer, total: asked.append(total) or False)
    argv = ("--hidden", "1024,1024,1024,1024", "--steps", "10000", LIFT_FLAG)
    status, _, _ = run(capsys, "train", "--problem", "regression", *argv)
    assert status == 0 and asked == [10000]


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
    with pytest.raises(SettingError, match=r"about 131 ms a step \(3,152,897 parameters"):
        state.apply_setup_line(HUGE)
    assert state.trainer is run and state.config.hidden == (512, 512)
    lifted = AppState(allow_long_run=True)
    lifted.apply_setup_line(HUGE)
    assert lifted.config.hidden == (1024, 1024, 1024, 1024)


def test_the_app_refuses_such_a_setup_line_unless_the_flag_lifts_the_cap(capsys, monkeypatch):
    opened = []
    monkeypatch.setattr(cli, "run_app", lambda *args, **options: opened.append(options) or 0)
    status, out, err = run(capsys, "--setup", HUGE)
    assert out == ""
    assert status == 2 and not opened and err.count("\n") == 1
    assert err.startswith("losstui: error: argument --setup: this model would take about 131 ms")
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
        assert app.state.config.hidden == (16,) and field.value == "16"
        assert "above the app's cap of 50 ms" in widget_text(app, "#error-hidden")
