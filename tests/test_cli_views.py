"""`losstui shapes` and `losstui landscape`: the loss views headless, their formats and their
refusals (status 2, one line)."""

from __future__ import annotations

import json
import math

import pytest

from losstui.core.losses import LOSSES
from tests.cli_helpers import run


def test_shapes_prints_each_losss_values_and_gradients_as_the_loss_objects_give_them(capsys):
    status, out, err = run(capsys, "shapes", "regression")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Loss shapes for regression, one example: target y = 0."
    table = {
        line.split("  ")[0]: line.split()[-9:] for line in lines if line.startswith(("ℓ", "∂"))
    }
    # Residuals −3 … 3 by 0.75: squared error (z − y)², its gradient 2(z − y).
    assert table["ℓ MSE"][0] == "9.000"
    assert table["∂ℓ/∂z MSE"][-1] == "6.000"
    assert "MAE: Mean absolute error (alternative)" in lines


def test_shapes_in_json_holds_every_point_and_names_the_axis(capsys):
    status, out, _ = run(
        capsys, "shapes", "binary_classification", "--target", "0", "--format", "json"
    )
    assert status == 0
    data = json.loads(out)
    assert (data["axis"], data["target"], len(data["x"])) == ("margin", 0.0, 121)
    curves = {c["loss"]: c for c in data["curves"]}
    # The trap that drops (1 − y)·log(1 − p) costs nothing for a label 0, at every margin.
    assert set(curves["positive_only_cross_entropy"]["values"]) == {0.0}
    bce = curves["binary_cross_entropy"]
    assert bce["role"] == "recommended"
    assert bce["values"][60] == pytest.approx(math.log(2))  # margin 0: p = ½
    assert curves["hinge"]["values"][0] == LOSSES["hinge"](
        [[-1.0]], [[4.0]]
    )  # margin −4 for y = 0 is z = 4


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["shapes", "binary_classification", "--target", "3"], "is a class, 0 or 1, got 3"),
        (["shapes", "density_estimation"], "has no loss shapes"),
        (["shapes", "regression", "--target", "nan"], "target must be a finite number"),
        (["shapes", "regression", "--axis", "probability"], "probability axis is for two"),
        (["landscape", "--problem", "regression", "--format", "csv"], "unknown format 'csv'"),
    ],
)
def test_a_bad_value_is_refused_with_one_line_and_status_2(capsys, argv, message):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert message in err


def test_landscape_draws_the_surface_the_path_and_the_least_squares_optimum(capsys):
    argv = ("landscape", "--problem", "regression", "--dataset", "line", "--momentum", "0.9")
    status, out, err = run(capsys, *argv, "--lr", "0.02", "--steps", "200")
    assert (status, err) == (0, "")
    picture = [line[3:] for line in out.splitlines() if line.startswith("  |")]
    assert len(picture) == 20
    assert {len(line) for line in picture} == {60}
    cells = "".join(picture)
    for mark in "So@":
        assert mark in cells
    assert "X the optimum (closed form, loss" in out
    assert "The path ran 0.45" in out  # momentum past the optimum (0.42 to 0.49 at five seeds)
    status, out, _ = run(capsys, *argv, "--lr", "0.02", "--steps", "200", "--format", "json")
    data = json.loads(out)
    assert data["optimum"]["kind"] == "closed form"
    assert len(data["path"]["step"]) == 201
