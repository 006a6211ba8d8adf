"""Each race preset shows its claim, at five seeds, with the margin its text states (the seeds'
measured ranges are in the comments). Races run headless on the app state, as the app runs them:
every run stepped on one clock."""

from __future__ import annotations

import os
import re

import numpy as np
import pytest

from losstui.core.presets import RACE_PRESETS
from losstui.core.state import AppState

#: Under another OpenBLAS kernel (tests/test_kernels.py) the preset's own seed alone.
SEEDS = (0,) if os.environ.get("LOSSTUI_CLAIM_SEEDS") == "own" else (0, 1, 2, 3, 4)
#: Claims of the app's text: tests/test_kernels.py runs them again under other OpenBLAS kernels.
pytestmark = pytest.mark.claim


def raced(key: str, seed: int, steps: int) -> AppState:
    """The race preset `key` at `seed`, trained `steps` steps of the clock."""
    state = AppState()
    state.apply_setup_line(re.sub(r"seed=\d+", f"seed={seed}", RACE_PRESETS[key].setup))
    state.step(steps)
    return state


def final(state: AppState, name: str) -> list[float]:
    return [run.evaluate()[name] for run in state.runs]


@pytest.mark.parametrize("seed", SEEDS)
def test_outliers_pull_squared_error_and_not_absolute_error_or_huber(seed):
    # R² at seeds 0-4: squared error 0.30-0.66; absolute error 0.87-0.91; Huber 0.84-0.91.
    squared, absolute, huber = final(raced("race_outliers", seed, 1500), "r2")
    assert squared < 0.7
    assert min(absolute, huber) >= squared + 0.2
    assert min(absolute, huber) > 0.8


@pytest.mark.parametrize("seed", SEEDS)
def test_the_three_categorical_forms_give_identical_curves(seed):
    state = raced("race_categorical_forms", seed, 200)
    curves = [[(r.train_loss, r.val_loss, r.metrics) for r in run.history] for run in state.runs]
    for other in curves[1:]:
        np.testing.assert_allclose(
            [c[:2] for c in other], [c[:2] for c in curves[0]], rtol=1e-12, atol=0
        )
        assert [c[2] for c in other] == [c[2] for c in curves[0]]


@pytest.mark.parametrize("seed", SEEDS)
def test_a_learning_rate_of_1_diverges_and_the_others_fit(seed):
    # lr 1 diverged at steps 20-207; the others' R² 0.85-0.91.
    state = raced("race_learning_rates", seed, 1000)
    *calm, wild = state.runs
    assert wild.diverged
    assert wild.diverged_at_step is not None
    assert wild.diverged_at_step < 400
    assert all(not run.diverged and run.evaluate()["r2"] > 0.8 for run in calm)


@pytest.mark.parametrize("seed", SEEDS)
def test_cross_entropy_is_ahead_of_squared_error_from_a_saturated_start(seed):
    # Accuracy gap at step 300, seeds 0-4: 5.3 to 64 points.
    cross_entropy, squared = final(raced("race_saturated_start", seed, 300), "accuracy")
    assert cross_entropy >= squared + 0.03


@pytest.mark.parametrize("seed", SEEDS)
def test_on_the_circles_four_losses_end_close_and_the_hinge_losses_stop_first(seed):
    # Seeds 0-4 at step 3,000: accuracies 0.80-0.86, at most 5.4 points apart within a seed;
    # the hinge losses stopped at steps 820-1,840, cross-entropy at 2,640 or later.
    state = raced("race_binary_losses", seed, 3000)
    accuracies = final(state, "accuracy")
    assert max(accuracies) - min(accuracies) <= 0.08
    assert all(0.75 <= a <= 0.9 for a in accuracies)
    cross_entropy, _, hinge, squared_hinge = state.runs
    assert hinge.converged
    assert squared_hinge.converged
    ended = cross_entropy.trainer.converged_at_step or cross_entropy.step_count
    assert max(hinge.step_count, squared_hinge.step_count) < ended - 300
