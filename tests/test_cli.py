"""Tests of the command line: each subcommand's output and each kind of bad input."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import subprocess
import sys

import pytest

from losstui import __version__, cli
from losstui.core.losses import LOSSES
from losstui.core.problems import PROBLEMS, recommend

INFO_EXAMPLE = ["info", "--p", "0.1,0.4,0.5", "--q", "0.8,0.15,0.05"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """main(argv) in-process: (status, stdout, stderr)."""
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys, *argv: str):
    status, out, err = run(capsys, *argv, "--json")
    assert status == 0, err
    return json.loads(out)


def run_subprocess(*argv: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "losstui", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        **kwargs,
    )


# -- top level -------------------------------------------------------------------------------------


def test_version(capsys):
    status, out, _ = run(capsys, "--version")
    assert status == 0
    assert out.strip() == f"losstui {__version__}"


def test_help_lists_the_commands(capsys):
    status, out, _ = run(capsys, "--help")
    assert status == 0
    for command in ("recommend", "losses", "info", "train"):
        assert command in out


@pytest.mark.parametrize("command", ["recommend", "losses", "info", "lesson", "serve", "train"])
def test_every_command_has_help(capsys, command):
    status, out, _ = run(capsys, command, "--help")
    assert status == 0
    assert out.startswith(f"usage: losstui {command}")


def test_train_help_lists_every_setting_flag_with_its_text(capsys):
    _, out, _ = run(capsys, "train", "--help")
    assert "improved by 0.1% for" in " ".join(out.split())


def test_no_command_starts_the_app(capsys, monkeypatch):
    calls = []
    monkeypatch.setattr(
        cli,
        "run_app",
        lambda problem, ascii_only, preset, setup, **options: (
            calls.append((problem, preset, setup)) or 0
        ),
    )
    assert cli.main([]) == 0
    assert cli.main(["--problem", "count_regression", "--ascii"]) == 0
    assert cli.main(["--preset", "saturated_start"]) == 0
    assert cli.main(["--setup", "problem=regression lr=0.1"]) == 0
    assert calls == [
        (None, None, None),
        ("count_regression", None, None),
        (None, "saturated_start", None),
        (None, None, "problem=regression lr=0.1"),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("problem=regression lr=0", "learning rate must be a number > 0"),
        ("problem=nope", "unknown problem"),
        ("lr", "expected KEY=VALUE, got 'lr'"),
        ("problem=regression loss=binary_cross_entropy", "cannot run here"),
    ],
)
def test_a_bad_setup_line_is_refused_with_the_reason(capsys, line, message):
    assert cli.main(["--setup", line]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("losstui: error: argument --setup: ")
    assert message in err


@pytest.mark.parametrize("code", [0, 3])
def test_the_command_exits_with_the_apps_exit_status(monkeypatch, code):
    from losstui.tui.app import LossApp

    real_run = LossApp.run

    async def quit_with_code(pilot):
        pilot.app.exit(return_code=code)

    monkeypatch.setattr(
        LossApp, "run", lambda app: real_run(app, headless=True, auto_pilot=quit_with_code)
    )
    monkeypatch.setattr("losstui.tui.streams.terminal_problem", lambda: None)  # pytest's stdin
    assert cli.main(["--problem", "regression"]) == code


def test_unknown_app_problem_is_refused_before_the_app_starts(capsys, monkeypatch):
    monkeypatch.setattr(cli, "run_app", lambda *a: pytest.fail("the app must not start"))
    status, out, err = run(capsys, "--problem", "nope")
    assert status == 2
    assert out == ""
    assert "'nope'" in err
    assert "binary_classification" in err


# -- recommend -------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(PROBLEMS))
def test_recommend_text(capsys, key):
    status, out, err = run(capsys, "recommend", key)
    assert status == 0
    assert err == ""
    rec = recommend(key)
    assert PROBLEMS[key].title in out
    assert rec.loss_title in out
    if PROBLEMS[key].kind == "density":
        assert "Parameters:    " in out
        assert "Activation:" not in out
    else:
        assert f"Activation:    {rec.activation} on the output" in out
    assert "Why (maximum likelihood):" in out
    assert "PyTorch:" in out
    assert "Keras:" in out
    assert "scikit-learn:" in out
    for alt in rec.alternatives:
        assert f"  - {alt.loss}:" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_recommend_json(capsys):
    data = run_json(capsys, "recommend", "binary_classification")
    rec = data["recommendation"]
    assert rec["loss"] == "binary_cross_entropy"
    assert rec["activation"] == "sigmoid"
    assert rec["distribution"] == "Bernoulli"
    assert "nn.BCEWithLogitsLoss()" in rec["pytorch"]
    assert {a["loss"] for a in rec["alternatives"]} >= {"hinge", "squared_hinge"}
    assert data["problem"]["default_dataset"] == PROBLEMS["binary_classification"].default_dataset
    density = run_json(capsys, "recommend", "density_estimation")["recommendation"]
    assert density["loss"] == "gaussian_nll"
    assert density["loss_title"] == "Gaussian negative log-likelihood"


# -- losses ----------------------------------------------------------------------------------------


def test_losses_table(capsys):
    status, out, _ = run(capsys, "losses")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split() == ["KEY", "ACTIVATION", "TARGET", "TITLE"]
    assert len(lines) == len(LOSSES) + 1
    for line, (key, loss) in zip(lines[1:], LOSSES.items(), strict=True):
        assert line.split()[:3] == [key, loss.activation, loss.target]


def test_losses_json(capsys):
    data = run_json(capsys, "losses")
    assert [d["key"] for d in data] == list(LOSSES)
    for d in data:
        assert d["activation"] == LOSSES[d["key"]].activation
        assert d["formula"] == LOSSES[d["key"]].formula


# -- info ------------------------------------------------------------------------------------------


def _info_values(out: str) -> dict[str, str]:
    values = {}
    for line in out.splitlines():
        if " = " in line and not line.startswith(("P =", "Q =")):
            name, rest = line.split(" = ", 1)
            values[name.strip()] = rest.split()[0]
    return values


def test_info_worked_example_in_bits(capsys):
    # DESIGN.md: H(P) = 1.361, H(P,Q) = 3.288, H(Q,P) = 2.906, KL(P||Q) = 1.927, KL(Q||P) = 2.022.
    status, out, err = run(capsys, *INFO_EXAMPLE, "--base", "2")
    assert status == 0
    assert err == ""
    assert "bits" in out
    values = _info_values(out)
    assert values["H(P)"] == "1.361"
    assert values["H(Q)"] == "0.884"
    assert values["H(P,Q)"] == "3.288"
    assert values["H(Q,P)"] == "2.906"
    assert values["KL(P||Q)"] == "1.927"
    assert values["KL(Q||P)"] == "2.022"
    assert values["JS(P,Q)"] == "0.420"


def test_info_defaults_to_bits(capsys):
    _, out_default, _ = run(capsys, *INFO_EXAMPLE)
    _, out_bits, _ = run(capsys, *INFO_EXAMPLE, "--base", "2")
    assert out_default == out_bits


def test_info_json_and_other_bases(capsys):
    bits = run_json(capsys, *INFO_EXAMPLE, "--base", "2")
    nats = run_json(capsys, *INFO_EXAMPLE, "--base", "e")
    bans = run_json(capsys, *INFO_EXAMPLE, "--base", "10")
    assert (bits["unit"], nats["unit"], bans["unit"]) == ("bits", "nats", "hartleys")
    assert bits["entropy_p"] == pytest.approx(1.3609640, abs=1e-6)
    assert bits["cross_entropy_pq"] == pytest.approx(3.2879431, abs=1e-6)
    assert bits["kl_qp"] == pytest.approx(2.0216480, abs=1e-6)
    # H(P,Q) = H(P) + KL(P||Q), and changing base only rescales.
    assert bits["cross_entropy_pq"] == pytest.approx(bits["entropy_p"] + bits["kl_pq"])
    assert nats["kl_pq"] == pytest.approx(bits["kl_pq"] * math.log(2))
    assert bans["js"] == pytest.approx(bits["js"] * math.log10(2))


def test_info_infinite_cross_entropy(capsys):
    argv = ["info", "--p", "0.5,0.5,0", "--q", "1,0,0"]
    status, out, _ = run(capsys, *argv)
    assert status == 0
    values = _info_values(out)
    assert values["H(P,Q)"] == "inf"
    assert values["KL(P||Q)"] == "inf"
    assert values["KL(Q||P)"] == "1.000"
    data = run_json(capsys, *argv)
    assert data["kl_pq"] == "inf"
    assert data["kl_qp"] == pytest.approx(1.0)


# -- bad input: status 2, one line on stderr naming the value and what is allowed -----------------

BAD_INPUT = [
    (["frobnicate"], ["'frobnicate'", "recommend", "train"]),
    (["recommend", "nope"], ["'nope'", "regression", "density_estimation"]),
    (["recommend"], ["KEY"]),
    (["--problem", "nope"], ["'nope'", "regression"]),
    (["losses", "--wat"], ["--wat"]),
    (["info", "--p", "0.1,0.4,0.5"], ["--q"]),
    (["info", "--p", "a,b", "--q", "0.5,0.5"], ["'a,b'", "probabilities"]),
    (["info", "--p", "0.1,0.4", "--q", "0.5,0.5"], ["--p", "sums to 0.5"]),
    (["info", "--p", "0.5,0.5", "--q", "1.5,-0.5"], ["--q", "negative"]),
    (["info", "--p", "0.5,0.5", "--q", "0.2,0.3,0.5"], ["--p", "--q", "same length"]),
    (["info", "--p", "0.5,0.5", "--q", "0.5,0.5", "--base", "3"], ["'3'", "2, e, 10"]),
    (["train"], ["--problem"]),
    (["train", "--problem", "nope"], ["'nope'", "binary_classification"]),
    (["train", "--problem", "regression", "--loss", "l3"], ["'l3'", "mean_squared_error"]),
    (["train", "--problem", "regression", "--dataset", "iris"], ["'iris'", "moons"]),
    (["train", "--problem", "regression", "--dataset", "moons"], ["'moons'", "line"]),
    (["train", "--problem", "regression", "--model", "cnn"], ["'cnn'", "linear", "mlp"]),
    (["train", "--problem", "density_estimation", "--model", "mlp"], ["'mlp'", "linear"]),
    (["train", "--problem", "regression", "--activation", "gelu"], ["'gelu'", "tanh", "relu"]),
    (["train", "--problem", "regression", "--hidden", "32,,16"], ["'32,,16'", "32,16"]),
    (["train", "--problem", "regression", "--hidden", "0"], ["'0'", "1 to"]),
    (["train", "--problem", "regression", "--hidden", "²"], ["'²'", "from 1 to 1024"]),
    (["train", "--problem", "regression", "--hidden", "5000"], ["'5000'", "from 1 to 1024"]),
    (["train", "--problem", "regression", "--hidden", "8,8,8,8,8"], ["1 to 4 whole numbers"]),
    (["train", "--problem", "regression", "--steps", "10" * 6], ["--steps", "at most 10,000,000"]),
    (["train", "--problem", "regression", "--epochs", "1000000"], ["--epochs", "at most 100,000"]),
    (["train", "--problem", "regression", "--steps", "٣"], ["--steps", "whole number"]),
    (["train", "--problem", "regression", "--hidden", "-3"], ["--hidden"]),
    (["train", "--problem", "regression", "--patience", "soon"], ["--patience", "from 0 to"]),
    (
        ["train", "--problem", "regression", "--model", "linear", "--hidden", "8"],
        ["--hidden", "mlp"],
    ),
    (["train", "--problem", "regression", "--lr", "fast"], ["--lr", "'fast'", "number"]),
    (["train", "--problem", "regression", "--lr", "0"], ["--lr", "'0'", "> 0"]),
    (["train", "--problem", "regression", "--lr", "-0.1"], ["--lr", "'-0.1'", "> 0"]),
    (["train", "--problem", "regression", "--lr", "nan"], ["--lr", "'nan'"]),
    (["train", "--problem", "regression", "--momentum", "1"], ["--momentum", "[0, 1)"]),
    (["train", "--problem", "regression", "--momentum", "-0.5"], ["--momentum", "[0, 1)"]),
    (["train", "--problem", "regression", "--batch-size", "0"], ["--batch-size", "from 1 to"]),
    (["train", "--problem", "regression", "--batch-size", "2.5"], ["--batch-size", "'2.5'"]),
    (["train", "--problem", "regression", "--steps", "0"], ["--steps", "≥ 1"]),
    (["train", "--problem", "regression", "--epochs", "many"], ["--epochs", "'many'"]),
    (["train", "--problem", "regression", "--steps", "5", "--epochs", "2"], ["--epochs"]),
    (["train", "--problem", "regression", "--seed", "-1"], ["--seed", "from 0 to"]),
    (["train", "--problem", "regression", "--format", "xml"], ["'xml'", "table, csv, json"]),
    (["train", "--problem", "regression", "--samples", "5"], ["--samples", "'5'", "from 6 to"]),
    (["train", "--problem", "regression", "--samples", "2e3"], ["--samples", "'2e3'", "whole"]),
    (
        ["train", "--problem", "regression", "--samples", "1000001"],
        ["--samples", "'1000001'", "to 1,000,000"],
    ),
]


@pytest.mark.parametrize(("argv", "expected"), BAD_INPUT, ids=[" ".join(a) for a, _ in BAD_INPUT])
def test_bad_input_is_one_line_and_status_2(capsys, argv, expected):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.endswith("\n"), err
    assert err.count("\n") == 1, err
    assert err.startswith("losstui")
    for text in expected:
        assert text in err, (text, err)


def test_refused_pairing_gives_the_reason(capsys):
    argv = ["train", "--problem", "binary_classification", "--loss", "categorical_cross_entropy"]
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "cannot train categorical_cross_entropy" in err
    assert "softmax" in err
    status, _, err = run(capsys, "train", "--problem", "density_estimation", "--loss", "poisson")
    assert status == 2
    assert "cannot train poisson" in err
    status, _, err = run(capsys, "train", "--problem", "regression", "--loss", "gaussian_nll")
    assert status == 2
    assert "cannot train gaussian_nll" in err


# -- train -----------------------------------------------------------------------------------------


def train_json(capsys, *argv: str) -> tuple[dict, str]:
    status, out, err = run(capsys, "train", *argv, "--format", "json")
    assert status == 0, err
    return json.loads(out), err


def test_train_json(capsys):
    data, err = train_json(capsys, "--problem", "binary_classification", "--steps", "200")
    assert err == ""
    assert data["config"]["problem"] == "binary_classification"
    assert data["config"]["loss"] == "binary_cross_entropy"
    assert data["is_recommended"] is True
    assert data["steps"] == 200
    assert data["diverged"] is False
    assert data["diverged_at_step"] is None
    history = data["history"]
    assert history[0]["step"] == 0
    assert history[-1]["step"] == 200
    assert set(history[0]) == {"step", "epoch", "train_loss", "val_loss", "accuracy"}
    assert history[-1]["val_loss"] < history[0]["val_loss"]
    assert data["final"]["accuracy"] > 0.8
    assert data["final"]["val_loss"] == pytest.approx(history[-1]["val_loss"])


def test_train_options_reach_the_config(capsys):
    data, _ = train_json(
        capsys,
        "--problem", "regression",
        "--hidden", "32,16",
        "--activation", "relu",
        "--lr", "0.01",
        "--momentum", "0.5",
        "--batch-size", "16",
        "--seed", "7",
        "--steps", "3",
    )  # fmt: skip
    config = data["config"]
    assert config["model"] == "mlp"  # asking for hidden layers asks for an MLP
    assert config["hidden"] == [32, 16]
    assert config["hidden_activation"] == "relu"
    assert (config["lr"], config["momentum"], config["batch_size"]) == (0.01, 0.5, 16)
    assert config["seed"] == 7
    data, _ = train_json(
        capsys, "--problem", "binary_classification", "--dataset", "moons", "--steps", "1"
    )
    assert data["config"]["dataset"] == "moons"
    assert data["config"]["model"] == "mlp"  # the model that suits the dataset


def test_train_epochs(capsys):
    data, _ = train_json(capsys, "--problem", "regression", "--epochs", "3", "--batch-size", "32")
    assert data["final"]["epoch"] == pytest.approx(3.0)
    assert data["history"][-1]["epoch"] == pytest.approx(3.0)


def test_train_samples_sets_the_dataset_size(capsys):
    # 300 samples keep 200 for training: two epochs of batch 50 are 8 steps.
    argv = ["--problem", "regression", "--samples", "300", "--batch-size", "50", "--epochs", "2"]
    data, _ = train_json(capsys, *argv)
    assert data["config"]["n_samples"] == 300
    assert data["steps"] == 8
    assert data["final"]["epoch"] == pytest.approx(2.0)
    default, _ = train_json(capsys, *argv[:2], *argv[4:])
    assert default["config"]["n_samples"] is None
    assert default["steps"] != 8


def test_train_is_reproducible(capsys):
    argv = ["--problem", "multiclass_classification", "--steps", "50", "--seed", "3"]
    first, _ = train_json(capsys, *argv)
    second, _ = train_json(capsys, *argv)
    assert first == second


def test_train_density(capsys):
    data, _ = train_json(capsys, "--problem", "density_estimation", "--steps", "100")
    assert data["config"]["loss"] == "gaussian_nll"
    assert data["recommended_loss"] == "gaussian_nll"
    assert data["is_recommended"] is True
    assert "nll" in data["history"][0]


def test_train_stops_where_the_stop_rule_says_and_says_so(capsys):
    data, _ = train_json(capsys, "--problem", "binary_classification", "--patience", "300")
    assert data["config"]["patience"] == 300
    assert data["converged"] is True
    assert data["converged_at_step"] == data["steps"] == 600
    assert data["convergence_reason"] == "validation loss not improved for 300 steps"
    assert data["history"][-1]["step"] == 600
    status, out, _ = run(capsys, "train", "--problem", "binary_classification", "--patience", "300")
    assert status == 0
    assert out.splitlines()[-1].startswith(
        "Converged at step 600 (60.0 epochs): validation loss not improved for 300 steps; "
        "train loss "
    )
    # Off (the default outside presets): the run takes every step it is given.
    data, _ = train_json(capsys, "--problem", "binary_classification", "--steps", "700")
    assert data["converged"] is False
    assert data["converged_at_step"] is None
    assert data["convergence_reason"] is None
    assert data["steps"] == 700
    # A preset turns it on; --patience 0 turns it off again.
    data, _ = train_json(capsys, "--preset", "saturated_start", "--steps", "5000")
    assert data["config"]["patience"] == 300
    assert data["converged"] is True
    assert data["steps"] == data["converged_at_step"] < 5000
    data, _ = train_json(capsys, "--preset", "saturated_start", "--patience", "0", "--steps", "50")
    assert data["converged"] is False
    assert data["steps"] == 50


def test_train_divergence_is_reported_not_crashed(capsys):
    data, _ = train_json(capsys, "--problem", "regression", "--lr", "1e6", "--steps", "200")
    assert data["diverged"] is True
    assert isinstance(data["diverged_at_step"], int)
    assert data["diverged_at_step"] >= 1
    assert data["divergence_reason"]
    status, out, _ = run(capsys, "train", "--problem", "regression", "--lr", "1e6")
    assert status == 0
    assert "Diverged:" in out.splitlines()[-1]


def test_train_not_recommended_note_goes_to_stderr_for_machine_formats(capsys):
    argv = ["--problem", "binary_classification", "--loss", "mean_squared_error", "--steps", "20"]
    data, err = train_json(capsys, *argv)
    assert data["is_recommended"] is False
    assert data["recommended_loss"] == "binary_cross_entropy"
    assert err.count("\n") == 1
    assert "mean_squared_error is not the recommended loss" in err
    status, out, err = run(capsys, "train", *argv, "--format", "csv")
    assert status == 0
    assert "not the recommended loss" in err
    assert "not the recommended" not in out
    status, out, err = run(capsys, "train", *argv)
    assert status == 0
    assert err == ""
    assert "mean_squared_error is not the recommended loss" in out.splitlines()[-1]


def test_equivalent_form_is_not_flagged(capsys):
    argv = ["--problem", "multiclass_classification", "--steps", "5"]
    data, err = train_json(capsys, *argv, "--loss", "sparse_categorical_cross_entropy")
    assert data["is_recommended"] is True
    assert err == ""


def test_train_csv(capsys):
    status, out, err = run(
        capsys,
        "train",
        "--problem",
        "multilabel_classification",
        "--steps",
        "60",
        "--format",
        "csv",
    )
    assert status == 0
    assert err == ""
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["step", "epoch", "train_loss", "val_loss", "subset_accuracy", "hamming_loss"]
    body = rows[1:]
    assert int(body[0][0]) == 0
    assert int(body[-1][0]) == 60
    steps = [int(r[0]) for r in body]
    assert steps == sorted(steps)
    for r in body:
        assert len(r) == len(rows[0])
        assert all(math.isfinite(float(v)) for v in r)


def test_train_table(capsys):
    status, out, err = run(capsys, "train", "--problem", "count_regression", "--steps", "2000")
    assert status == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0].startswith("count_regression · poisson · counts")
    header = next(line for line in lines if "train loss" in line)
    assert header.split() == ["step", "epoch", "train", "loss", "val", "loss", "r2", "mae"]
    rows = [line for line in lines if line.strip()[:1].isdigit()]
    assert 15 <= len(rows) <= 21  # thinned to about 20 rows
    assert rows[0].split()[0] == "0"
    assert rows[-1].split()[0] == "2000"
    assert lines[-2].startswith("Done: 2000 steps")
    assert lines[-1].startswith("note: train and val losses are the full NLL (with log y!)")


# -- pipes and interrupts --------------------------------------------------------------------------


def test_broken_pipe_is_quiet(capsys, monkeypatch):
    def broken(args):
        raise BrokenPipeError

    monkeypatch.setitem(cli.COMMANDS, "losses", broken)
    status, _, err = run(capsys, "losses")
    assert status == 141
    assert err == ""


def test_keyboard_interrupt_exits_130(capsys, monkeypatch):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setitem(cli.COMMANDS, "losses", interrupted)
    status, _, err = run(capsys, "losses")
    assert status == 130
    assert "Traceback" not in err


def test_subprocess_exit_statuses():
    ok = run_subprocess("recommend", "count_regression")
    assert ok.returncode == 0
    assert "poisson" in ok.stdout
    assert ok.stderr == ""
    bad = run_subprocess("train", "--problem", "regression", "--lr", "-1")
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.count("\n") == 1
    assert "Traceback" not in bad.stderr


def test_subprocess_closed_pipe_has_no_traceback():
    # Enough CSV to overflow a pipe buffer, read by a consumer that stops after one line.
    argv = ["train", "--problem", "binary_classification", "--steps", "20000", "--format", "csv"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "losstui", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout.readline().startswith(b"step,")
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err
    assert b"BrokenPipe" not in err
    assert proc.returncode in (0, 141)  # 0 when the last write got into the pipe in time


def test_a_terminal_without_utf8_reads_the_formulas_in_ascii():
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    out = run_subprocess("recommend", "binary_classification", env=env)
    assert out.returncode == 0
    assert out.stdout.isascii()
    assert "sigma(z)" in out.stdout  # spelled out, not "?(z)"
    bad = run_subprocess("train", "--problem", "regression", "--steps", "0", env=env)
    assert bad.returncode == 2
    assert (
        bad.stderr.strip() == "losstui train: error: argument --steps: steps must be >= 1, got '0'"
    )


def test_train_accepts_the_short_names_people_type(capsys):
    status, out, err = run(
        capsys,
        "train",
        "--problem",
        "regression",
        "--loss",
        "mae",
        "--steps",
        "5",
        "--format",
        "json",
    )
    assert status == 0, err
    assert json.loads(out)["config"]["loss"] == "mean_absolute_error"
