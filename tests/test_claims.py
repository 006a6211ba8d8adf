"""Every claim the app's text makes about a loss holds on screen: each preset, trained with its
fixed seed through the app state (the path the screen draws), shows what its claim says."""

from __future__ import annotations

import json
import math
import os

import numpy as np
import pytest

from losstui.core.datasets import ARTICLE_BLOB_CENTRES, ARTICLE_BLOB_STD
from losstui.core.diagnostics import classification_data
from losstui.core.presets import PRESETS, get_preset, presets_for
from losstui.core.settings import SettingError
from losstui.core.state import AppState


#: Each claim is tested at five seeds: the preset's own (0 unless it names one), then the first
#: four others from 0. The `seed` setting draws the data, the initial weights and the minibatch
#: order, so the five runs share nothing but the setup.
def seeds(own: int = 0) -> list[int]:
    """The preset's own seed, then the first four others (the own seed alone under
    `LOSSTUI_CLAIM_SEEDS=own`: tests/test_kernels.py under another kernel in the suite)."""
    if os.environ.get("LOSSTUI_CLAIM_SEEDS") == "own":
        return [own]
    return [own, *[s for s in range(6) if s != own][:4]]


#: `LOSSTUI_PERTURB=1e-12` multiplies every initial weight by (1 + 1e-12·ε): a stand-in for a CPU
#: whose matrix products differ in the last bits (tests/test_kernels.py runs the claims so).
PERTURB = float(os.environ.get("LOSSTUI_PERTURB", "0"))

#: The claims' tests; tests/test_kernels.py runs them again under other OpenBLAS kernels.
claim = pytest.mark.claim


def _start(state: AppState, steps: int) -> AppState:
    if PERTURB:
        state.trainer.perturb(PERTURB)
    state.step(steps)
    return state


def run(preset: str, steps: int, seed: int | None = None, **changes: str) -> AppState:
    """The app state after applying `preset`, then `seed` and `changes`, then `steps` SGD
    steps."""
    state = AppState()
    state.apply_preset(preset)
    if seed is not None:
        changes = {"seed": str(seed), **changes}
    if changes:
        state.apply(changes)
    return _start(state, steps)


def run_problem(problem: str, steps: int, seed: int = 0, **changes: str) -> AppState:
    """The app state on `problem`'s defaults, then `seed` and `changes`, then `steps` SGD
    steps."""
    state = AppState(problem)
    state.apply({"seed": str(seed), **changes})
    return _start(state, steps)


def accuracy(state: AppState) -> float:
    return state.trainer.evaluate()["accuracy"]


def test_every_preset_applies_and_names_its_problem():
    for key, preset in PRESETS.items():
        state = AppState()
        state.apply_preset(key)
        assert state.problem == preset.problem
        assert state.pane == "train"
        assert state.trainer.step_count == 0
        assert not state.running
        assert preset in presets_for(preset.problem)
        if preset.compare:
            state.apply_setup_line(preset.compare)  # the comparison it names is a valid setting
    allowed = ", ".join(PRESETS)
    with pytest.raises(SettingError, match=f"unknown preset 'nope'; allowed: {allowed}"):
        get_preset("nope")


def test_a_preset_reapplied_starts_again_from_its_own_setup():
    state = run("saturated_start", 50, lr="0.3")
    state.apply_preset("saturated_start")
    assert state.trainer.step_count == 0
    assert (
        state.setup_line() == "problem=binary_classification init_scale=30 patience=300 pane=train"
    )


def test_every_preset_turns_the_stop_rule_on_and_the_sandbox_leaves_it_off():
    for key, preset in PRESETS.items():
        assert int(preset.settings.get("patience", "0")) > 0, key
    assert AppState().config.patience == 0


@claim
@pytest.mark.parametrize("seed", seeds())
def test_saturated_start_squared_error_learns_several_times_slower_than_cross_entropy(seed):
    cross_entropy = run("saturated_start", 0, seed)
    squared = run("saturated_start", 0, seed, loss="sigmoid_mean_squared_error")
    start = accuracy(cross_entropy)  # the same weights for both
    assert start == accuracy(squared)
    if seed == 0:
        assert 0.15 < start < 0.3  # "about 20% accuracy" at this seed: 22%
    if start > 0.5:
        # "At some seeds the start is right by luck" (seed 1: 85%); then both only sharpen.
        assert start > 0.8
        return
    cross_entropy.step(300)
    squared.step(300)
    # "At step 300 its accuracy is still below 70% where cross-entropy's is near 90% or above":
    # measured 29-65% against 89-95% at the four seeds that start wrong (margins 5 and 4 points).
    assert accuracy(squared) < 0.70
    assert accuracy(cross_entropy) > 0.85
    # The loss curve shows it too: cross-entropy's validation loss falls by more than half.
    ce = cross_entropy.trainer.history
    assert ce[-1].val_loss < 0.5 * ce[0].val_loss
    cross_entropy.step(700)
    squared.step(700)
    if seed == 0:
        # "Here it is still below 50% at step 1,000" (46%, 6 of 150 points to spare).
        assert accuracy(squared) < 0.5
        assert accuracy(cross_entropy) > 0.9
    # "It does not stall for good: both end within 2 points of each other, at about 90-95%":
    # `f` (fast-forward to the stop rule) shows where each ends (measured within 1.3 points).
    cross_entropy.step(40_000)
    squared.step(40_000)
    assert cross_entropy.trainer.converged
    assert squared.trainer.converged
    ends = accuracy(cross_entropy), accuracy(squared)
    assert abs(ends[0] - ends[1]) <= 0.02
    assert min(ends) > 0.87
    assert max(ends) < 0.97
    if seed == 0:
        # "Several times as many steps to converge": 7,820 against 1,660 (4.7 times).
        assert squared.trainer.step_count > 3 * cross_entropy.trainer.step_count
    claim = get_preset("saturated_start").claim
    assert all(n in claim for n in ("below 70%", "step 300", "90-95%", "several times"))


@claim
@pytest.mark.parametrize("seed", seeds(3))
def test_far_cluster_pulls_the_squared_error_boundary_and_its_outputs_leave_0_1(seed):
    from losstui.core.datasets import FAR_CENTRE
    from losstui.tui.widgets.distribution_view import _outputs_note

    cross_entropy = run("far_cluster", 500, seed)
    squared = run("far_cluster", 500, seed, loss="mean_squared_error")
    assert squared.trainer.converged  # the stop rule ends it (steps 360-460): 500 show the end
    # "About 75-90% accuracy where cross-entropy keeps about 95%": measured 75-89% against
    # 94-97%, and cross-entropy ahead by 5 to 21 points.
    assert 0.73 < accuracy(squared) < 0.91
    assert 0.93 < accuracy(cross_entropy) < 0.98
    assert accuracy(cross_entropy) - accuracy(squared) > 0.04
    trainer = squared.trainer
    x = trainer.dataset.x_val
    outputs = trainer.predict(x)[:, 0]
    far = np.linalg.norm(x - np.asarray(FAR_CENTRE), axis=1) < 3.0
    # Held near 1, not far above it: the far points' outputs lie between 0.7 and 1.6.
    assert outputs[far].min() > 0.7
    assert outputs[far].max() < 1.7
    # "About 15 to 25 of the 150, nearly all of them far points above 1 (up to about 1.2 to
    # 1.6)": measured 14-25, 86-100% of them far points, the largest output 1.17-1.56.
    data = classification_data(trainer)
    outside = data.outside_unit()
    assert 11 <= outside.sum() <= 28
    assert (outside & far).sum() >= 0.8 * outside.sum()
    assert not (outputs[~far] > 1).any()
    assert 1.1 < outputs.max() < 1.7
    assert outputs.min() > -0.1
    # The Distributions pane says so, in the words the claim uses.
    assert f": {outside.sum()} of the 150 examples" in _outputs_note(data)
    claim = get_preset("far_cluster").claim
    assert "15 to 25 of the 150" in claim
    assert "75-90%" in claim
    assert "far above" not in claim
    probabilities = cross_entropy.trainer.predict(trainer.dataset.x_val)
    assert probabilities.min() > 0.0
    assert probabilities.max() < 1.0
    assert not classification_data(cross_entropy.trainer).outside_unit().any()


@claim
@pytest.mark.parametrize("seed", seeds())
def test_robust_regression_absolute_error_beats_squared_error_on_clean_validation_targets(seed):
    # The defaults of robust regression show it: no preset needed. Validation targets are clean
    # (truth plus Gaussian noise), so R² scores the fit to the truth the outliers hide.
    def r2(loss: str) -> float:
        return run_problem("robust_regression", 1500, seed, loss=loss).trainer.evaluate()["r2"]

    absolute, squared = r2("mean_absolute_error"), r2("mean_squared_error")
    # "Falls to about 0.4-0.7, where absolute error and Huber keep about 0.85-0.9": measured
    # 0.38-0.73 against 0.87-0.91 (absolute) and 0.84-0.91 (Huber); the gap at least 0.18.
    assert absolute > 0.86
    assert 0.33 < squared < 0.76
    assert absolute - squared > 0.15
    assert r2("huber") > 0.82  # the reasonable alternative is robust too
    data = AppState("robust_regression").trainer.dataset
    clean = data.true_function(data.x_val)
    assert np.max(np.abs(data.y_val - clean)) < 1.5  # no outliers among the validation targets
    assert np.max(data.y_train - data.true_function(data.x_train)) > 4  # the training set has them


@claim
@pytest.mark.parametrize("seed", seeds())
def test_soft_labels_by_default_are_votes_whose_kl_settles_above_zero(seed):
    from losstui.core.info import kl_divergence

    state = run_problem("soft_label_classification", 0, seed)
    data = state.trainer.dataset
    assert data.name == "annotator_votes"
    # The best any model can do is the true probabilities; their KL from the votes is > 0
    # (measured 0.135-0.158).
    truth = data.true_function(data.x_val)
    best = np.mean([kl_divergence(p, q) for p, q in zip(data.y_val, truth, strict=True)])
    assert best > 0.1
    state.step(3000)
    assert state.trainer.evaluate()["val_loss"] > 0.5 * best  # KL settles above zero (≈ best)


ARTICLE = ("--activation", "relu", "--lr", "0.01", "--momentum", "0.9", "--batch-size", "32")


@pytest.mark.parametrize(
    ("problem", "dataset", "hidden", "epochs", "metric", "low", "high"),
    [
        # The article reports about 0.85 for binary cross-entropy on its circles (200 epochs),
        # about 0.82 for cross-entropy on its three blobs (100 epochs), both with 50 hidden
        # units, and a test loss of 0.001 for squared error on its 20-feature regression with 25.
        ("binary_classification", "article_circles", 50, 200, "accuracy", 0.80, 0.90),
        ("multiclass_classification", "article_blobs", 50, 100, "accuracy", 0.76, 0.88),
        ("regression", "linear20", 25, 100, "val_loss", 0.0, 0.01),
    ],
)
def test_the_articles_experiments_land_near_the_articles_numbers(
    capsys, problem, dataset, hidden, epochs, metric, low, high
):
    # Through `losstui train`, as a student would run them (seed 0, the default).
    from losstui import cli
    from losstui.core.datasets import make_dataset

    data = make_dataset(dataset)
    assert data.n_train == data.n_val == 500  # 1,000 points split in half
    argv = ["train", "--problem", problem, "--dataset", dataset, "--hidden", str(hidden)]
    assert cli.main([*argv, *ARTICLE, "--epochs", str(epochs), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["config"]["model"] == "mlp"
    assert out["steps"] == epochs * 16
    assert low < out["final"][metric] < high


@claim
@pytest.mark.parametrize("seed", seeds(2))
def test_mixture_collapse_goes_below_zero_in_training_and_explodes_in_validation(seed):
    state = run("mixture_collapse", 3000, seed)
    trainer = state.trainer
    values = trainer.evaluate()
    sigmas = trainer.loss.predict(trainer.model.forward(np.zeros((1, 0))))[0][3:5]
    # "σ below 0.25 at every seed" (measured 0.04-0.23) "and the validation NLL ends far above
    # the training NLL" (by 0.8 to 30; measured validation NLL 2.3-30).
    assert min(sigmas) < 0.25
    assert values["val_loss"] > values["train_loss"] + 0.5
    assert values["val_loss"] > 2.0
    if seed == 2:
        # "At this seed ... σ ≈ 0.06: the training NLL goes below 0 ... while the validation NLL
        # explodes past 20" (measured σ 0.057, NLL −0.11 and 30.4).
        assert 0.04 < min(sigmas) < 0.08
        assert values["train_loss"] < 0
        assert values["val_loss"] > 20


@claim
@pytest.mark.parametrize("seed", seeds())
def test_exp_overflow_diverges_within_a_few_steps_and_says_the_initial_scale_did_it(seed):
    state = run("exp_overflow", 50, seed)
    trainer = state.trainer
    # Measured: step 1 at every seed (the first 8); "within a few steps" is up to 5.
    assert trainer.diverged
    assert trainer.diverged_at_step <= 5
    message = state.divergence_message or ""
    assert "initial weights, 30 times the usual size" in message
    assert "init_scale=1" in message
    assert "learning rate" not in message  # a smaller rate blows up the same way:
    assert "the initial weights, 30 times" in (trainer.divergence_message or "")  # `train`'s
    assert run("exp_overflow", 50, seed, lr="0.0001").trainer.diverged
    # "With init_scale=1 the outputs start near log(mean y) and it trains."
    usual = run("exp_overflow", 500, seed, init_scale="1")
    assert not usual.trainer.diverged
    assert usual.trainer.evaluate()["r2"] > 0.3


@claim
@pytest.mark.parametrize("seed", seeds())
def test_on_small_counts_a_linear_squared_error_model_predicts_negative_counts(seed):
    poisson = run_problem("count_regression", 1000, seed)
    state = run_problem("count_regression", 1000, seed, loss="mean_squared_error")
    trainer = state.trainer
    data = trainer.dataset
    # "Its R² (about 0.5-0.6) stays below the Poisson loss's (about 0.6-0.7)" (the stats line's
    # R²): measured 0.49-0.58 against 0.60-0.69, the Poisson loss ahead by 0.017 to 0.16.
    squared_r2, poisson_r2 = trainer.evaluate()["r2"], poisson.trainer.evaluate()["r2"]
    assert 0.45 < squared_r2 < 0.62
    assert 0.58 < poisson_r2 < 0.72
    assert squared_r2 < poisson_r2 - 0.01
    # "For the smallest x (below about −1.4) the line goes below 0, to about −0.8 to −1.2": the
    # fit plot's line, drawn over the training inputs (measured: crossing at −1.46 to −1.37,
    # lowest −0.82 to −1.19, 17 to 23 of the 150 validation points predicted below 0).
    assert (trainer.predict(data.x_val) < 0).mean() > 0.08
    grid = np.linspace(data.x_train.min(), data.x_train.max(), 1001)[:, None]
    line = trainer.predict(grid)[:, 0]
    crossing = float(grid[np.argmax(line >= 0.0), 0])
    assert line[0] < 0.0
    assert -1.55 < crossing < -1.3
    assert -1.3 < line.min() < -0.7
    assert (poisson.trainer.predict(grid) > 0).all()  # exp(z) never gives one


async def test_a_tall_window_shows_the_squared_error_count_line_below_the_zero_counts():
    # The claim's "in a window 30 rows tall or more": the fit plot's rows under its 0 tick hold
    # the model's line (braille) at the left; at 24 rows the dip stays inside the 0 row.
    import re

    from losstui.tui.app import LossApp
    from losstui.tui.widgets.fit_plot import FitPlot

    braille = re.compile("[\u2801-\u28ff]")

    async def rows_below_zero(height: int) -> list[str]:
        app = LossApp(setup="problem=count_regression loss=mean_squared_error pane=train")
        async with app.run_test(size=(80, height)) as pilot:
            await pilot.pause()
            app.state.step(1000)
            for _ in range(5):
                await pilot.pause()
            lines = app.screen.query_one("#fit-plot", FitPlot).render().plain.splitlines()
        zero = next(i for i, line in enumerate(lines) if line.lstrip().startswith("0┤"))
        axis = next(i for i, line in enumerate(lines) if "└" in line)
        return [line for line in lines[zero + 1 : axis] if braille.search(line[:12])]

    assert await rows_below_zero(30)
    assert not await rows_below_zero(24)


def _nearest_centre_accuracy(x: np.ndarray, y: np.ndarray) -> float:
    """Accuracy of the best possible rule for the article's blobs: the nearest true centre."""
    distances = ((x[:, None, :] - ARTICLE_BLOB_CENTRES[None]) ** 2).sum(axis=-1)
    return float((distances.argmin(axis=1) == y).mean())


@claim
@pytest.mark.parametrize("seed", seeds())
def test_the_articles_presets_show_the_articles_numbers_on_screen(seed):
    # The circles: 50 and 200 epochs of 16 steps as in the article, then on until the stop rule
    # ends it. "Reaches about 80% by epoch 50 and levels off at about 81-85%": measured 80.6-85.6%
    # at epoch 50, 82-85% at epoch 200, 81.4-84.6% where the stop rule ends it.
    circles = run("article_circles", 50 * 16, seed)
    assert 0.78 < accuracy(circles) < 0.88
    circles.step(150 * 16)
    assert 0.80 < accuracy(circles) < 0.87
    circles.step(10_000)
    assert circles.trainer.converged
    assert 0.80 < accuracy(circles) < 0.87
    # The blobs settle before 100 epochs, and the stop rule ends the run there (measured: epochs
    # 42 to 66).
    blobs = run("article_blobs", 100 * 16, seed)
    assert blobs.trainer.converged
    assert blobs.trainer.step_count < 100 * 16
    # "The best possible rule ... gets 79% of these 500 validation points right (82% on average
    # over draws)" at the preset's seed: the rule that knows the blobs picks the nearest centre
    # (equal priors and spreads). "Validation accuracy settles within about 3 points of that
    # rule's": measured 0.6 to 2.6 points below it, at 78.6-81.2%.
    data = blobs.trainer.dataset
    best = _nearest_centre_accuracy(data.x_val, data.y_val)
    if seed == 0:
        assert len(data.y_val) == 500
        assert 0.785 < best < 0.80
    assert 0 <= best - accuracy(blobs) < 0.035
    assert 0.76 < accuracy(blobs) < 0.83
    assert "How to Choose Loss Functions" in blobs.trainer.dataset.description
    assert "How to Choose Loss Functions" in get_preset("article_circles").claim


def test_the_best_possible_rule_gets_82_percent_of_the_articles_blobs_on_average():
    y = np.arange(300_000) % 3
    x = ARTICLE_BLOB_CENTRES[y] + np.random.default_rng(0).normal(0, ARTICLE_BLOB_STD, (len(y), 2))
    assert 0.815 < _nearest_centre_accuracy(x, y) < 0.83


@claim
@pytest.mark.parametrize("seed", seeds())
def test_lost_term_calls_every_point_positive_while_its_loss_falls_to_zero(seed):
    full = run("lost_term", 300, seed)
    lost = run("lost_term", 300, seed, loss="positive_only_cross_entropy")
    # "Where the full loss keeps about 90-95%": measured 89-95%.
    assert 0.87 < accuracy(full) < 0.97
    history = lost.trainer.history
    assert history[-1].val_loss < 0.1 * history[0].val_loss  # while the loss "improves"
    # `f` runs it until the stop rule ends it: "within about 30,000 steps" (measured 8,820 to
    # 28,680), saying the patience it used.
    lost.step(400_000)
    trainer = lost.trainer
    assert trainer.converged
    assert trainer.converged_at_step < 40_000
    assert "validation loss not improved for 300 steps" in (lost.convergence_message or "")
    data = trainer.dataset
    # "Calls almost every point class 1" (measured 97-100%) "and its accuracy sinks to the share
    # of class 1 (about half: 46-56%)" (measured within 3 points of it).
    assert trainer.classify(data.x_val).mean() > 0.95
    share = float(data.y_val.mean())
    assert 0.44 < share < 0.58
    assert abs(accuracy(lost) - share) < 0.04
    assert trainer.history[-1].val_loss < 0.01 * trainer.history[0].val_loss  # flat near 0


@claim
@pytest.mark.parametrize("seed", seeds())
def test_double_softmax_caps_the_probabilities_and_learns_slowly(seed):
    single = run("double_softmax", 200, seed)
    double = run("double_softmax", 200, seed, loss="double_softmax_cross_entropy")
    # "At step 200 its accuracy trails cross-entropy's (about 70-80%) by 5 to 30 points":
    # measured 70-82% and 6.6 to 29 points.
    assert 0.67 < accuracy(single) < 0.84
    assert 0.05 < accuracy(single) - accuracy(double) < 0.32
    double.step(200)
    single.step(200)
    x = double.trainer.dataset.x_val
    cap = math.e / (math.e + 2.0)  # three classes: softmax of (1, 0, 0) at best
    assert double.trainer.predict(x).max() < cap < single.trainer.predict(x).max()
    floor = -math.log(cap)  # 0.55: the loss of a prediction at the cap
    double.step(3000)
    # Measured: the stop rule ends it by step 2,440, its training loss 0.73-1.04; at two of the
    # five seeds it "stalls for good near 53%" (52.8%, 53.8%), elsewhere it ends at 76-81%.
    assert double.trainer.converged
    assert double.trainer.evaluate()["train_loss"] > floor
    assert accuracy(double) < 0.83


def test_double_softmax_pane_and_map_show_the_capped_distribution_the_loss_scores():
    # What the Distributions pane shows is softmax(softmax(z)), the distribution the loss's
    # cross-entropy is taken of: every Q at most e/(e + 2), its H(P,Q) the loss per example.
    from losstui.core.datasets import targets_for
    from losstui.tui.widgets.decision_map import UNSURE, class_scores

    double = run("double_softmax", 400, loss="double_softmax_cross_entropy")
    trainer = double.trainer
    data = classification_data(trainer)
    cap = math.e / (math.e + 2.0)
    assert data.q.max() <= cap
    assert data.q.max() > cap - 0.01  # the confident examples sit at the cap
    logits = trainer.logits(trainer.dataset.x_val)
    per_example = trainer.loss.per_sample(targets_for(trainer.loss, trainer.dataset, "val"), logits)
    np.testing.assert_allclose(data.example_h_pq(), per_example, rtol=1e-12)
    assert float(np.mean(data.example_h_pq())) == pytest.approx(data.val_loss, rel=1e-12)
    # The softmax layer's own outputs reach 1.000: the text's "first softmax", shown beside Q.
    assert data.before_q is not None
    assert data.before_q.max() > 0.999
    # The decision map reads the same p: below its 0.6 threshold everywhere, so it is blank.
    _, p = class_scores(trainer, trainer.dataset.x_train)
    assert p.max() <= cap < UNSURE


@claim
@pytest.mark.parametrize("seed", seeds())
def test_softmax_over_labels_never_turns_two_labels_on(seed):
    sigmoids = run("softmax_labels", 3000, seed)
    softmax = run("softmax_labels", 3000, seed, loss="multilabel_softmax_cross_entropy")
    data = softmax.trainer.dataset
    several = data.y_val.sum(axis=1) >= 2
    assert 0.35 < several.mean() < 0.5  # "about two in five" (measured 41-47%)
    assert softmax.trainer.classify(data.x_val).sum(axis=1).max() <= 1
    assert sigmoids.trainer.classify(data.x_val)[several].sum(axis=1).min() >= 1
    assert (sigmoids.trainer.classify(data.x_val)[several].sum(axis=1) >= 2).mean() > 0.75
    reading = classification_data(softmax.trainer).q_reading or ""
    assert "share of one softmax" in reading  # the Distributions pane says what Q is
    ml, sm = sigmoids.trainer.evaluate(), softmax.trainer.evaluate()
    # "Stays below 50% (about 40-46%); a sigmoid per label ... reaches about 75-85%": measured
    # 39-46% against 76-87%.
    assert sm["subset_accuracy"] < 0.48
    assert 0.73 < ml["subset_accuracy"] < 0.9


@claim
@pytest.mark.parametrize("seed", seeds())
def test_squared_error_on_log_targets_keeps_the_points_the_clip_silences(seed):
    clipped = run("log_target", 1000, seed)
    log_target = run("log_target", 1000, seed, loss="log_target_squared_error")
    # The preset's model=linear holds, though the state started on a problem whose default
    # model is linear too (a preset is compared with its own problem's defaults).
    assert clipped.config.model == "linear" == log_target.config.model
    data = clipped.trainer.dataset
    dead = clipped.trainer.logits(data.x_train) <= 0  # no gradient under the clip at 0
    assert dead.mean() > 0.25  # "over a quarter" (measured 28-34%)
    assert np.all(clipped.trainer.predict(data.x_val)[data.x_val[:, 0] < -1.5] == 0.0)
    trainer = clipped.trainer
    gradient = trainer.loss.gradient(data.y_train, trainer.logits(data.x_train))
    assert np.all(gradient[dead] == 0.0)  # those points stop teaching
    trainer = log_target.trainer
    assert np.all(trainer.loss.gradient(data.y_train, trainer.logits(data.x_train)) != 0.0)
    # Both validation losses are the mean of (log(1 + ŷ) − log(1 + y))²: the same scale.
    # "About 0.35-0.45 ... falls to about 0.13-0.17": measured 0.34-0.46 against 0.13-0.17.
    a, b = clipped.trainer.evaluate(), log_target.trainer.evaluate()
    assert 0.32 < a["val_loss"] < 0.48
    assert 0.11 < b["val_loss"] < 0.19
    assert a["val_loss"] - b["val_loss"] > 0.15
    assert b["r2"] > a["r2"] + 0.2


def test_log_target_squared_error_is_msle_without_the_clip():
    # An identity the text states: where ŷ = exp(z) − 1 ≥ 0 the two losses are equal.
    from losstui.core.losses import LOSSES

    rng = np.random.default_rng(0)
    y = rng.lognormal(2.0, 1.5, size=(50, 1))
    z = rng.uniform(0.0, 6.0, size=(50, 1))
    msle, log_target = LOSSES["mean_squared_logarithmic_error"], LOSSES["log_target_squared_error"]
    assert log_target(y, z) == pytest.approx(msle(y, np.expm1(z)), rel=1e-12)
    np.testing.assert_allclose(log_target.predict(z), np.expm1(z))


@claim
@pytest.mark.parametrize("seed", seeds())
def test_on_large_counts_squared_error_fits_about_as_well_as_the_poisson_loss(seed):
    poisson = run("large_counts", 1000, seed)
    squared = run("large_counts", 1000, seed, loss="mean_squared_error")
    r2_poisson, r2_squared = poisson.trainer.evaluate()["r2"], squared.trainer.evaluate()["r2"]
    # "R² about 0.75-0.85 each, within 0.06 of each other": measured 0.74-0.84 each, apart by
    # at most 0.057.
    assert 0.72 < r2_poisson < 0.87
    assert 0.72 < r2_squared < 0.87
    assert abs(r2_poisson - r2_squared) < 0.065
    data = squared.trainer.dataset
    # "Counts from about 25 to 110" (measured 23-25 to 107-109).
    assert 20 <= data.y_train.min() <= 30
    assert 100 <= data.y_train.max() <= 115
    assert squared.trainer.predict(data.x_val).min() > 10  # no negative counts here
    assert not poisson.trainer.diverged
    assert not squared.trainer.diverged


@claim
@pytest.mark.parametrize("seed", seeds())
def test_on_the_default_blobs_accuracy_ties_and_the_probabilities_differ(seed):
    def trained(loss: str) -> AppState:
        return run_problem("multiclass_classification", 1000, seed, loss=loss)

    cross_entropy = trained("categorical_cross_entropy")
    sigmoids = trained("binary_cross_entropy")
    squared = trained("mean_squared_error")
    # "About 94-97% each after 1000 steps, within 2 points" (measured 94-97.3%, within 0.7
    # points); squared error "about 93-98%" (measured 93.3-98%).
    assert 0.92 < accuracy(cross_entropy) < 0.99
    assert 0.92 < accuracy(sigmoids) < 0.99
    assert abs(accuracy(cross_entropy) - accuracy(sigmoids)) <= 0.015
    assert 0.91 < accuracy(squared) < 0.99
    x = sigmoids.trainer.dataset.x_val
    sums = sigmoids.trainer.predict(x).sum(axis=1)
    # "Their sums run from about 0.2 to 1.9": measured 0.2-0.3 to 1.7-1.9.
    assert 0.1 < sums.min() < 0.35
    assert 1.65 < sums.max() < 2.0
    data = classification_data(sigmoids.trainer)
    assert "divided by their sum" in (data.q_reading or "")
    # The Distributions pane divides them by their sum, and keeps the sums to show.
    assert data.before_q is not None
    assert data.before_q_step == "sum"
    np.testing.assert_allclose(data.before_q.sum(axis=1), sums)
    np.testing.assert_allclose(data.q[:, 0, :], data.before_q / sums[:, None])
    assert not data.other_targets  # the same one-hot targets the pane shows
    # "Most of its output rows leave [0, 1]" (measured 82-91%).
    assert classification_data(squared.trainer).outside_unit().mean() > 0.7


@claim
def test_in_the_articles_setup_squared_error_diverges_within_about_20_steps_at_most_seeds():
    # Inputs spanning ±10: measured steps 2, 4, 12, none (seed 3), 2, over the first five seeds.
    at = [run("article_blobs", 50, seed, loss="mean_squared_error").trainer for seed in seeds()]
    diverged = [t.diverged_at_step for t in at if t.diverged]
    # "At most seeds": all but one of the seeds run (of five; the own seed alone under
    # LOSSTUI_CLAIM_SEEDS=own, where it must diverge).
    assert len(diverged) >= max(1, len(at) - 1)
    assert max(diverged) <= 20


def test_squared_error_charges_a_confident_mistake_at_most_1_where_log_loss_grows_without_bound():
    from losstui.core.losses import LOSSES

    y = np.array([[1.0, 0.0, 0.0]])
    assert LOSSES["mean_squared_error"].values(y, np.array([[0.0, 0.0, 0.0]]))[0, 0] == 1.0
    costs = [
        LOSSES["categorical_cross_entropy"](y, np.array([[-m, 0.0, 0.0]])) for m in (10, 100, 1000)
    ]
    assert costs[0] > 10
    assert costs[1] > 100
    assert costs[2] > 1000


@claim
@pytest.mark.parametrize("seed", seeds())
def test_multilabel_squared_error_outputs_leave_0_1_while_it_labels_about_as_well(seed):
    # "About two-thirds to three-quarters of the points have an output outside [0, 1] ... the
    # count moves from step to step, between about 60 and 140 of the 150": the Distributions
    # pane's count, read every 100 steps from step 500 to 5,000 on the defaults (the sandbox
    # trains until paused). Measured every 50 steps to 10,000: medians 92-115, counts 64 to 138.
    # The run has the presets' stop rule (patience=300) until it ends it, then trains on without
    # (changing only the patience keeps the run): the same arithmetic as a run without.
    state = run_problem(
        "multilabel_classification", 500, seed, loss="mean_squared_error", patience="300"
    )
    counts, stopped, at_1000 = [], None, None
    while state.trainer.step_count <= 5000:
        data = classification_data(state.trainer)
        assert data.n == 150
        counts.append(int(data.outside_unit().sum()))
        if state.trainer.step_count == 1000:
            at_1000 = state.trainer.evaluate()["subset_accuracy"]
        if state.trainer.converged:
            stopped = data.outside_unit().mean()
            state.apply({"patience": "0"})
        state.step(100 - state.trainer.step_count % 100)
    assert 0.58 < np.median(counts) / 150 < 0.8
    assert min(counts) >= 55
    assert max(counts) <= 145
    # Where the stop rule ends it (steps 1,260-2,300): measured 68-85%.
    assert stopped is not None
    assert 0.6 < stopped < 0.9
    # "Labels them about as well (subset accuracy within 5 points)": measured within 4.6 points
    # at step 1,000.
    sigmoids = run_problem("multilabel_classification", 1000, seed)
    assert at_1000 is not None
    assert abs(sigmoids.trainer.evaluate()["subset_accuracy"] - at_1000) < 0.05


def test_the_threshold_with_least_expected_cost_is_c_fp_over_c_fp_plus_c_fn():
    # An identity the multi-label text states: predicting the label costs (1 − p)·c_FP in
    # expectation, not predicting it p·c_FN; the first is smaller exactly when p > c_FP/(c_FP +
    # c_FN), which is 0.5 when the two mistakes cost the same.
    p = np.linspace(0.0, 1.0, 10_001)
    for c_fp, c_fn in ((1.0, 1.0), (1.0, 4.0), (3.0, 1.0)):
        predict_on = (1.0 - p) * c_fp < p * c_fn
        first_on = p[np.argmax(predict_on)]
        assert first_on == pytest.approx(c_fp / (c_fp + c_fn), abs=2e-4)


@claim
@pytest.mark.parametrize("seed", seeds())
def test_wide_range_squared_error_needs_a_learning_rate_hundreds_of_times_smaller(seed):
    # At lr 0.1, which suits the squared log error, squared error's run swings: "its loss jumps
    # about in the thousands and R² swings, below 0 in over half of the records (its median below
    # 0), where this loss's settles at about 0.65-0.75". Over steps 20-2,000, measured at the
    # five seeds, each also with its initial weights moved by 1e-12 in seven ways: R² below 0 in
    # 57-93% of the records, its median −0.14 to −2.8; its highest record swings from 0.17 to
    # 0.70, so no claim rests on it. The squared log error's R² at step 2,000: 0.65-0.76.
    swinging = run_problem("wide_range_regression", 2000, seed, loss="mean_squared_error")
    records = swinging.trainer.history[1:]
    r2 = np.array([r.metrics["r2"] for r in records])
    assert (r2 < 0).mean() > 0.5
    assert np.median(r2) < 0
    assert np.median([r.train_loss for r in records]) > 1000
    msle = run_problem("wide_range_regression", 2000, seed).trainer.evaluate()["r2"]
    assert 0.6 < msle < 0.8
    smaller = run_problem(
        "wide_range_regression", 2000, seed, loss="mean_squared_error", lr="0.0003"
    )
    assert smaller.trainer.evaluate()["r2"] > 0.7  # measured 0.76-0.82


@claim
@pytest.mark.parametrize("seed", seeds())
def test_a_learning_rate_too_large_diverges_on_the_default_line(seed):
    state = run_problem("regression", 100, seed, lr="5")
    # "Diverges within two steps" (measured: step 1 or 2).
    assert state.trainer.diverged
    assert state.trainer.diverged_at_step <= 2


@claim
@pytest.mark.parametrize("seed", seeds())
def test_absolute_error_keeps_jittering_where_huber_settles(seed):
    def wobble(loss: str) -> float:
        state = run_problem("robust_regression", 3000, seed, loss=loss)
        losses = np.array([r.train_loss for r in state.trainer.history][-30:])
        return float(losses.std() / losses.mean())

    # "About 3 to 10 times as much as Huber's after 3,000 steps": measured 3.2 to 9.5 times.
    assert 2.5 < wobble("mean_absolute_error") / wobble("huber") < 12


#: The preset's seed 8, then the next four seeds from 0 whose two means start within 0.15 of
#: each other: the claim is about components that start together (the own seed alone under
#: `LOSSTUI_CLAIM_SEEDS=own`, as `seeds` gives).
TOGETHER = (8, 10, 11, 32, 33)[: len(seeds(8))]


@claim
@pytest.mark.parametrize("seed", TOGETHER)
def test_mixture_components_that_start_together_stay_together_without_momentum(seed):
    def fitted(steps: int, **changes: str) -> tuple[AppState, np.ndarray]:
        state = run("mixture_poor_start", steps, seed, **changes)
        trainer = state.trainer
        theta = trainer.loss.predict(trainer.model.forward(np.zeros((1, 0))))[0]
        return state, theta  # π, μ₁, μ₂, σ₁, σ₂

    _, (_, mu1, mu2, _, _) = fitted(0)
    assert abs(mu1 - mu2) < 0.15
    if seed == 8:
        assert -0.5 < mu1 < -0.42
        assert -0.5 < mu2 < -0.42
    # Without momentum: "one wide bell over both bumps (validation NLL about 1.8)", a plateau
    # the stop rule takes for convergence. Measured: means 0.05-0.35 apart, both σ 1.36 or
    # more, NLL 1.77-1.84.
    stuck, (_, mu1, mu2, s1, s2) = fitted(3000)
    assert stuck.trainer.converged
    assert abs(mu1 - mu2) < 0.6
    assert min(s1, s2) > 1.2
    assert 1.74 < stuck.trainer.evaluate()["val_loss"] < 1.9
    # With momentum 0.9 "they split, and each takes a bump (NLL about 1.55-1.6)": at these five
    # seeds (means 2.57-2.92 apart, NLL 1.55-1.62). "Usually": at seeds 38 and 44, which also
    # start together, they stay together with momentum too.
    split, (_, mu1, mu2, _, _) = fitted(3000, momentum="0.9")
    assert abs(mu1 - mu2) > 2.0
    assert split.trainer.evaluate()["val_loss"] < 1.66


@claim
@pytest.mark.parametrize("seed", seeds())
def test_soft_label_squared_error_rows_sum_to_1_but_are_not_probabilities(seed):
    squared = run_problem("soft_label_classification", 1000, seed, loss="mean_squared_error")
    out = squared.trainer.predict(squared.trainer.dataset.x_val)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, atol=0.05)
    # "A third to a half of the rows have an entry below 0": measured 36-51%.
    assert 0.3 < (out < 0).any(axis=1).mean() < 0.56
    sigmoids = run_problem("soft_label_classification", 1000, seed, loss="binary_cross_entropy")
    sums = sigmoids.trainer.predict(sigmoids.trainer.dataset.x_val).sum(axis=1)
    # "Their sums run from about 0.6 to 1.9": measured 0.6 to 1.8-1.9.
    assert 0.5 < sums.min() < 0.7
    assert 1.7 < sums.max() < 2.0
    data = classification_data(sigmoids.trainer)
    np.testing.assert_allclose(data.q[:, 0, :], data.before_q / sums[:, None])


def test_kl_is_infinite_where_the_second_distribution_is_0_and_the_first_is_not():
    from losstui.core.info import kl_divergence

    p, q = [0.5, 0.5, 0.0], [1.0, 0.0, 0.0]
    assert kl_divergence(p, q) == math.inf  # Q = 0 where P > 0
    assert kl_divergence(q, p) == pytest.approx(math.log(2.0))  # the other way: finite
    assert kl_divergence([0.5, 0.25, 0.25], [0.5, 0.5, 0.0]) == math.inf


def test_every_preset_a_text_names_exists_and_every_preset_is_named_by_a_text():
    import re

    from losstui.core.problems import RECOMMENDATIONS_DIR

    named: set[str] = set()
    for name in os.listdir(RECOMMENDATIONS_DIR):
        with open(os.path.join(RECOMMENDATIONS_DIR, name), encoding="utf-8") as f:
            text = " ".join(f.read().split())  # a name may be wrapped onto the next line
        named |= set(re.findall(r"\bpresets? ([a-z0-9]+(?:_[a-z0-9]+)*)", text))
    assert named <= set(PRESETS), named - set(PRESETS)
    assert set(PRESETS) <= named, set(PRESETS) - named


def test_the_readme_table_of_presets_lists_every_preset_once():
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| `([a-z0-9_]+)` \| (?:binary|multi-class|multi-label|wide-range|count|"
        r"density) \|",
        readme,
        flags=re.MULTILINE,
    )
    assert sorted(rows) == sorted(PRESETS)


@claim
@pytest.mark.parametrize("seed", seeds())
def test_a_large_learning_rate_overflows_the_poisson_rate(seed):
    state = run_problem("count_regression", 50, seed, lr="1")
    # "Diverges within a few steps" (measured: steps 1 to 6).
    assert state.trainer.diverged
    assert state.trainer.diverged_at_step <= 10


def test_squared_log_error_charges_relative_errors():
    # Identities the texts state: 110 for 100 costs about as much as 1,100 for 1,000, and an
    # error of 10 on 1,000 about as much as 0.1 on 10.
    from losstui.core.losses import LOSSES

    msle = LOSSES["mean_squared_logarithmic_error"]

    def cost(y: float, y_hat: float) -> float:
        return msle(np.array([[y]]), np.array([[y_hat]]))

    assert cost(100, 110) == pytest.approx(cost(1000, 1100), rel=0.02)
    assert cost(1000, 1010) == pytest.approx(cost(10, 10.1), rel=0.25)


def test_each_trap_runs_only_where_its_slip_can_happen():
    from losstui.core.datasets import get_dataset_spec
    from losstui.core.tasks import check_pairing

    blobs, regions = get_dataset_spec("blobs"), get_dataset_spec("regions")
    assert check_pairing("double_softmax_cross_entropy", blobs) is None
    assert check_pairing("multilabel_softmax_cross_entropy", regions) is None
    refused = check_pairing("multilabel_softmax_cross_entropy", blobs) or ""
    assert "only multi-label data" in refused
    assert "categorical_cross_entropy" in refused
    assert "several labels" in (check_pairing("double_softmax_cross_entropy", regions) or "")
    assert check_pairing("positive_only_cross_entropy", get_dataset_spec("two_blobs")) is None


@claim
@pytest.mark.parametrize("seed", seeds())
def test_overdispersed_counts_spread_wider_than_the_poisson_allows(seed):
    from losstui.core.diagnostics import residual_data

    def pearson_rms(**changes: str) -> tuple[float, AppState]:
        state = run("overdispersion", 1500, seed, **changes)
        residuals = residual_data(state.trainer).residuals  # (y − ŷ)/√ŷ, as the pane plots
        return float(np.sqrt(np.mean(residuals**2))), state

    wide, state = pearson_rms()
    usual, _ = pearson_rms(dataset="counts")
    # "An RMS of about 1.4-1.6 (about 0.9-1.1 on the default counts)": measured 1.37-1.58
    # against 0.91-1.14, at least 0.33 apart.
    assert 1.3 < wide < 1.7
    assert 0.85 < usual < 1.2
    assert wide - usual > 0.25
    trainer = state.trainer
    data = trainer.dataset
    truth = data.true_function(data.x_val)  # the mean is still found (measured within 17%)
    assert np.mean(np.abs(trainer.predict(data.x_val) - truth)) < 0.2 * np.mean(truth)
