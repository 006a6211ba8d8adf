"""One path from settings to a training configuration: the same words give the same run in the
app, `train`, a preset and a lesson."""

from __future__ import annotations

import json

import pytest

from losstui import cli
from losstui.core.configuration import configure
from losstui.core.settings import SettingError
from losstui.core.state import AppState
from losstui.core.trainer import TrainConfig


def trained_config(capsys, *argv: str) -> dict:
    status = cli.main(["train", *argv, "--steps", "1", "--format", "json"])
    out, _ = capsys.readouterr()
    assert status == 0
    return json.loads(out)["config"]


@pytest.mark.parametrize(
    ("flags", "line"),
    [
        (("--problem", "regression", "--dataset", "curve"), "problem=regression dataset=curve"),
        (("--problem", "regression", "--hidden", "8"), "problem=regression hidden=8"),
        (
            ("--problem", "binary_classification", "--dataset", "moons", "--model", "linear"),
            "problem=binary_classification dataset=moons model=linear",
        ),
        (("--preset", "article_circles", "--lr", "0.05"), None),
    ],
    ids=["a dataset brings its model", "hidden layers ask for an mlp", "a model named", "preset"],
)
def test_train_and_the_app_give_the_same_configuration(capsys, flags, line):
    state = AppState()
    if line is None:
        state.apply_preset(flags[1])
        state.apply_setup_line("lr=0.05")
    else:
        state.apply_setup_line(line)
    assert trained_config(capsys, *flags) == state.config.as_dict()


def test_a_dataset_brings_the_model_that_suits_it_unless_one_is_named():
    line = TrainConfig.default_for("regression")
    assert line.model == "linear"
    assert configure(line, {"dataset": "curve"}).model == "mlp"
    assert configure(line, {"dataset": "curve", "model": "linear"}).model == "linear"


def test_hidden_layers_on_a_model_named_linear_are_refused():
    with pytest.raises(SettingError, match="apply to model=mlp"):
        configure(TrainConfig.default_for("regression"), {"model": "linear", "hidden": (8,)})
