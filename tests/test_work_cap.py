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
