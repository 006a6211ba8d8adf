"""`losstui race`: runs that differ in one setting, on one clock, in three formats; bad input is one
line and status 2."""

from __future__ import annotations

import csv
import io
import json

import pytest

from losstui import cli


def _run(capsys, *words: str) -> tuple[int, str, str]:
    code = cli.main(list(words))
    out, err = capsys.readouterr()
    return code, out, err


def _json(capsys, *words: str) -> dict:
    code, out, _ = _run(capsys, *words, "--format", "json")
    assert code == 0
    return json.loads(out)


def test_runs_share_data_start_and_order_and_equal_settings_equal_train(capsys):
    """Two runs with the same value give the same history, and each is `train`'s run: a race of
    one value twice is train, bit for bit."""
    race = _json(
        capsys,
        "race",
        "--problem",
        "binary_classification",
        "--vary",
        "lr=0.05,0.05",
        "--steps",
        "80",
    )
    first, second = race["runs"]
    assert first["history"] == second["history"]
    train = _json(
        capsys, "train", "--problem", "binary_classification", "--lr", "0.05", "--steps", "80"
    )
    assert first["history"] == train["history"]
    assert first["config"] == train["config"]
    # Step 0 is the same start for any learning rate: same data, same initial weights.
    race = _json(
        capsys,
        "race",
        "--problem",
        "binary_classification",
        "--vary",
        "lr=0.01,0.5",
        "--steps",
        "40",
    )
    starts = [run["history"][0] for run in race["runs"]]
    assert starts[0] == starts[1]
    assert race["runs"][0]["history"][-1] != race["runs"][1]["history"][-1]


def test_json_holds_the_raced_setting_and_each_run(capsys):
    race = _json(
        capsys, "race", "--problem", "regression", "--vary", "hidden=16/32,16", "--steps", "30"
    )
    assert race["vary"] == {"key": "hidden", "values": [[16], [32, 16]]}
    assert [r["config"]["hidden"] for r in race["runs"]] == [[16], [32, 16]]
    assert all(r["config"]["model"] == "mlp" for r in race["runs"])
    assert [r["label"] for r in race["runs"]] == ["hidden 16", "hidden 32,16"]
    losses = _json(
        capsys, "race", "--problem", "regression", "--vary", "loss=mse,huber", "--steps", "10"
    )
    assert [r["label"] for r in losses["runs"]] == ["mean_squared_error", "huber"]
    for run in race["runs"]:
        assert run["steps"] == 30
        assert run["history"][-1]["step"] == 30
        assert {"diverged", "diverged_at_step", "converged", "converged_at_step"} <= set(run)


def test_a_diverged_run_stops_while_the_others_train_on(capsys):
    code, out, _ = _run(
        capsys,
        "race",
        "--problem",
        "binary_classification",
        "--vary",
        "lr=0.05,1e4",
        "--steps",
        "100",
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "binary_classification · two_blobs · race on lr: lr 0.05, lr 10000"
    calm = next(line.split() for line in lines if line.split()[:2] == ["1", "0.05"])
    wild = next(line.split() for line in lines if line.split()[:2] == ["2", "10000"])
    assert calm[2:4] == ["done", "10.0"]  # 100 steps of batch 32 on 320 points: ten epochs
    assert wild[2:5] == ["diverged", "at", "1"]
    assert wild[-3:] == ["-", "-", "-"]  # a diverged model's numbers are not shown


def test_csv_has_a_run_column_and_the_value(capsys):
    code, out, err = _run(
        capsys,
        "race",
        "--preset",
        "saturated_start",
        "--vary",
        "loss=binary_cross_entropy,sigmoid_mean_squared_error",
        "--steps",
        "40",
        "--format",
        "csv",
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["run"] for r in rows} == {"1", "2"}
    assert {r["loss"] for r in rows} == {"binary_cross_entropy", "sigmoid_mean_squared_error"}
    assert [r["step"] for r in rows if r["run"] == "1"] == ["0", "20", "40"]
    assert "not the recommended loss" in err  # notes go to stderr: the file stays one CSV


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (["--problem", "regression", "--vary", "lr=0.1"], "2 to 4 values, got 'lr=0.1'"),
        (["--problem", "regression", "--vary", "seed=1,2"], "KEY one of loss, lr"),
        (["--problem", "regression", "--vary", "lr=0.1,x"], "learning rate must be a number"),
        (["--problem", "regression", "--vary", "lr=1,2,3,4,5"], "2 to 4 values"),
        (["--problem", "regression", "--vary", "loss=mse,bce"], "cannot run here"),
        (["--problem", "regression", "--lr", "0.1", "--vary", "lr=0.1,0.2"], "leave out"),
        (["--problem", "regression"], "required: --vary"),
        (["--preset", "saturated_start"], "required: --vary"),
        (["--vary", "lr=0.1,0.2"], "one of --problem or --preset is required"),
    ],
)
def test_bad_input_is_one_line_and_status_2(capsys, words, message):
    code, out, err = _run(capsys, "race", *words)
    assert code == 2
    assert out == ""
    assert err.startswith("losstui race: error: ")
    assert err.count("\n") == 1
    assert message in err


def test_a_race_preset_brings_its_race(capsys):
    race = _json(capsys, "race", "--preset", "race_learning_rates", "--steps", "300")
    assert race["vary"] == {"key": "lr", "values": [0.001, 0.01, 0.1, 1.0]}
    assert [r["diverged"] for r in race["runs"]] == [False, False, False, True]
    # --vary replaces the preset's race; the rest of its setup stays.
    race = _json(
        capsys,
        "race",
        "--preset",
        "race_learning_rates",
        "--vary",
        "momentum=0,0.5",
        "--steps",
        "10",
    )
    assert [r["config"]["momentum"] for r in race["runs"]] == [0.0, 0.5]
    assert {r["config"]["dataset"] for r in race["runs"]} == {"line"}
    code, _, err = _run(capsys, "train", "--preset", "race_learning_rates")
    assert code == 2
    assert "unknown preset 'race_learning_rates'" in err
