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


def run(preset: str, steps: int, **changes: str) -> AppState:
    """The app state after applying `preset`, then `changes`, then `steps` SGD steps."""
    state = AppState()
    state.apply_preset(preset)
    if changes:
        state.apply(changes)
    state.step(steps)
    return state


def run_problem(problem: str, steps: int, **changes: str) -> AppState:
    """The app state on `problem`'s defaults, then `changes`, then `steps` SGD steps."""
    state = AppState(problem)
    if changes:
        state.apply(changes)
    state.step(steps)
    return state


def accuracy(state: AppState) -> float:
    return state.trainer.evaluate()["accuracy"]


def test_every_preset_applies_and_names_its_problem():
    for key, preset in PRESETS.items():
        state = AppState()
        state.apply_preset(key)
        assert state.problem == preset.problem and state.pane == "train"
        assert state.trainer.step_count == 0 and not state.running
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


def test_saturated_start_squared_error_learns_several_times_slower_than_cross_entropy():
    # Both start confidently wrong (the same weights: accuracy 22%).
    start = run("saturated_start", 0)
    assert accuracy(start) < 0.3
    cross_entropy = run("saturated_start", 300)
    squared = run("saturated_start", 300, loss="sigmoid_mean_squared_error")
    assert accuracy(cross_entropy) > 0.9  # recovered within a few hundred steps
    assert accuracy(squared) < 0.4
    # The loss curve shows it too: cross-entropy's validation loss falls by more than half, squared
    # error's by under a fifth.
    ce = cross_entropy.trainer.history
    se = squared.trainer.history
    assert ce[-1].val_loss < 0.5 * ce[0].val_loss
    assert se[-1].val_loss > 0.8 * se[0].val_loss
    # "At step 1,000 its accuracy is still 46% where cross-entropy's is 95%."
    cross_entropy.step(700)
    squared.step(700)
    assert squared.trainer.step_count == cross_entropy.trainer.step_count == 1000
    assert round(accuracy(squared), 2) == 0.46 and round(accuracy(cross_entropy), 2) == 0.95
    # "Nearly five times as many steps to converge (step 7,820 against 1,660), both near 95%": it
    # does not stall for good, and `f` (fast-forward to the stop rule) shows where each ends.
    cross_entropy.step(20_000)
    squared.step(20_000)
    assert cross_entropy.trainer.converged and squared.trainer.converged
    assert (cross_entropy.trainer.step_count, squared.trainer.step_count) == (1660, 7820)
    assert "converged at step 7,820" in (squared.convergence_message or "")
    assert 4.5 < squared.trainer.step_count / cross_entropy.trainer.step_count < 5
    assert round(accuracy(cross_entropy), 2) == 0.95 and round(accuracy(squared), 2) == 0.95
    claim = get_preset("saturated_start").claim
    assert all(n in claim for n in ("46%", "95%", "7,820", "1,660", "nearly five times"))


def test_far_cluster_pulls_the_squared_error_boundary_and_its_outputs_leave_0_1():
    from losstui.core.datasets import FAR_CENTRE
    from losstui.tui.widgets.distribution_view import _outputs_note

    cross_entropy = run("far_cluster", 500)
    squared = run("far_cluster", 500, loss="mean_squared_error")
    assert squared.trainer.converged  # the stop rule ends it (step 380): 500 steps show the end
    assert round(accuracy(cross_entropy), 2) == 0.97
    assert round(accuracy(squared), 2) == 0.75  # "about 75% accuracy where cross-entropy keeps 97%"
    trainer = squared.trainer
    x = trainer.dataset.x_val
    outputs = trainer.predict(x)[:, 0]
    far = np.linalg.norm(x - np.asarray(FAR_CENTRE), axis=1) < 3.0
    # Held near 1, not far above it: the far points' outputs lie between 0.7 and 1.2.
    assert far.sum() == 24 and outputs[far].min() > 0.7 and outputs[far].max() < 1.2
    # Outside [0, 1]: 14 of the 150, most of them far points just above 1 (up to about 1.2).
    data = classification_data(trainer)
    outside = data.outside_unit()
    assert outside.sum() == 14 and (outside & far).sum() == 12 and not (outputs[~far] > 1).any()
    assert 1.1 < outputs.max() < 1.25 and outputs.min() > -0.05
    # The Distributions pane says so, in the words the claim quotes.
    assert "ŷ run from -0.0299 to 1.17: 14 of the 150 examples" in _outputs_note(data)
    assert "14 of the 150" in get_preset("far_cluster").claim
    assert "far above" not in get_preset("far_cluster").claim
    probabilities = cross_entropy.trainer.predict(trainer.dataset.x_val)
    assert probabilities.min() > 0.0 and probabilities.max() < 1.0
    assert not classification_data(cross_entropy.trainer).outside_unit().any()


def test_robust_regression_absolute_error_beats_squared_error_on_clean_validation_targets():
    # The defaults of robust regression show it: no preset needed. Validation targets are clean
    # (truth plus Gaussian noise), so R² scores the fit to the truth the outliers hide.
    def r2(loss: str) -> float:
        state = AppState("robust_regression")
        state.set("loss", loss)
        state.step(1500)
        return state.trainer.evaluate()["r2"]

    absolute, squared = r2("mean_absolute_error"), r2("mean_squared_error")
    assert absolute > 0.88 and squared < 0.6  # 0.91 against 0.48
    assert r2("huber") > 0.88  # the reasonable alternative is robust too
    data = AppState("robust_regression").trainer.dataset
    clean = data.true_function(data.x_val)
    assert np.max(np.abs(data.y_val - clean)) < 1.5  # no outliers among the validation targets
    assert np.max(data.y_train - data.true_function(data.x_train)) > 4  # the training set has them


def test_soft_labels_by_default_are_votes_whose_kl_settles_above_zero():
    from losstui.core.info import kl_divergence

    state = AppState("soft_label_classification")
    data = state.trainer.dataset
    assert data.name == "annotator_votes"
    # The best any model can do is the true probabilities; their KL from the votes is > 0.
    truth = data.true_function(data.x_val)
    best = np.mean([kl_divergence(p, q) for p, q in zip(data.y_val, truth, strict=True)])
    assert best > 0.1
    state.step(3000)
    assert state.trainer.evaluate()["val_loss"] > 0.5 * best  # KL settles above zero


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
    assert out["config"]["model"] == "mlp" and out["steps"] == epochs * 16  # ⌈500 / 32⌉ an epoch
    assert low < out["final"][metric] < high


def test_mixture_collapse_goes_below_zero_in_training_and_explodes_in_validation():
    state = run("mixture_collapse", 3000)
    values = state.trainer.evaluate()
    assert values["train_loss"] < 0 < 10 < values["val_loss"]


def test_exp_overflow_diverges_within_a_few_steps():
    state = run("exp_overflow", 50)
    trainer = state.trainer
    assert trainer.diverged and trainer.diverged_at_step <= 5


def test_on_small_counts_a_linear_squared_error_model_predicts_negative_counts():
    poisson = run_problem("count_regression", 1000)
    state = run_problem("count_regression", 1000, loss="mean_squared_error")
    trainer = state.trainer
    data = trainer.dataset
    # "R² stays near 0.49 where the Poisson loss reaches about 0.6" (the stats line's R²).
    assert round(trainer.evaluate()["r2"], 2) == 0.49
    assert 0.58 < poisson.trainer.evaluate()["r2"] < 0.66
    # "For the smallest x (below about −1.5) the line goes below 0, to about −0.8": the fit plot's
    # line, drawn over the training inputs.
    assert (trainer.predict(data.x_val) < 0).mean() > 0.05  # 17 of the 150
    grid = np.linspace(data.x_train.min(), data.x_train.max(), 1001)[:, None]
    line = trainer.predict(grid)[:, 0]
    crossing = float(grid[np.argmax(line >= 0.0), 0])
    assert line[0] < 0.0 and -1.65 < crossing < -1.4 and -0.95 < line.min() < -0.7
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


def test_the_articles_presets_show_the_articles_numbers_on_screen():
    # The circles: 200 epochs of 16 steps as in the article, then on until the stop rule ends it.
    circles = run("article_circles", 200 * 16)
    assert 0.80 < accuracy(circles) < 0.90  # 83.4% against the article's 85%
    circles.step(10_000)
    assert circles.trainer.converged and 0.80 < accuracy(circles) < 0.90
    # The blobs settle before 100 epochs, and the stop rule ends the run there.
    blobs = run("article_blobs", 100 * 16)
    assert blobs.trainer.converged and blobs.trainer.step_count < 100 * 16
    assert 0.76 < accuracy(blobs) < 0.88  # 78.6% against the article's 82%
    # "the best possible rule ... gets 79% of these 500 validation points right (82% on
    # average over draws)": the rule that knows the blobs picks the nearest centre (equal
    # priors and spreads), and cross-entropy ends within a point of it.
    data = blobs.trainer.dataset
    best = _nearest_centre_accuracy(data.x_val, data.y_val)
    assert len(data.y_val) == 500 and 0.785 < best < 0.80
    assert abs(accuracy(blobs) - best) < 0.01
    y = np.arange(300_000) % 3
    x = ARTICLE_BLOB_CENTRES[y] + np.random.default_rng(0).normal(0, ARTICLE_BLOB_STD, (len(y), 2))
    assert 0.815 < _nearest_centre_accuracy(x, y) < 0.83
    assert "How to Choose Loss Functions" in blobs.trainer.dataset.description
    assert "How to Choose Loss Functions" in get_preset("article_circles").claim


def test_lost_term_calls_every_point_positive_while_its_loss_falls_to_zero():
    full = run("lost_term", 300)
    lost = run("lost_term", 300, loss="positive_only_cross_entropy")
    assert accuracy(full) > 0.93
    data = lost.trainer.dataset
    predicted = lost.trainer.classify(data.x_val)
    assert predicted.mean() > 0.95  # nearly every point called class 1
    assert accuracy(lost) < data.y_val.mean() + 0.05  # about the share of class 1, 56%
    history = lost.trainer.history
    assert history[-1].val_loss < 0.01 < history[0].val_loss  # while the loss "improves"


def test_double_softmax_caps_the_probabilities_and_learns_slowly():
    single = run("double_softmax", 400)
    double = run("double_softmax", 400, loss="double_softmax_cross_entropy")
    assert accuracy(single) > accuracy(double) + 0.05  # 77% against 69%
    x = double.trainer.dataset.x_val
    cap = math.e / (math.e + 2.0)  # three classes: softmax of (1, 0, 0) at best
    assert double.trainer.predict(x).max() < cap < single.trainer.predict(x).max()
    floor = -math.log(cap)  # 0.55: the loss of a prediction at the cap
    double.step(3000)
    assert double.trainer.converged and double.trainer.evaluate()["train_loss"] > floor
    assert accuracy(double) < 0.8  # in the end about where cross-entropy is: slow, not wrong


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
    assert data.before_q is not None and data.before_q.max() > 0.999
    # The decision map reads the same p: below its 0.6 threshold everywhere, so it is blank.
    _, p = class_scores(trainer, trainer.dataset.x_train)
    assert p.max() <= cap < UNSURE


def test_softmax_over_labels_never_turns_two_labels_on():
    sigmoids = run("softmax_labels", 3000)
    softmax = run("softmax_labels", 3000, loss="multilabel_softmax_cross_entropy")
    data = softmax.trainer.dataset
    several = data.y_val.sum(axis=1) >= 2
    assert several.mean() > 0.3  # a third of the points have two or more labels on
    assert softmax.trainer.classify(data.x_val).sum(axis=1).max() <= 1
    assert sigmoids.trainer.classify(data.x_val)[several].sum(axis=1).min() >= 1
    assert (sigmoids.trainer.classify(data.x_val)[several].sum(axis=1) >= 2).mean() > 0.8
    reading = classification_data(softmax.trainer).q_reading or ""
    assert "share of one softmax" in reading  # the Distributions pane says what Q is
    ml, sm = sigmoids.trainer.evaluate(), softmax.trainer.evaluate()
    assert ml["subset_accuracy"] > 0.8 and sm["subset_accuracy"] < 0.5  # 85% against 46%


def test_squared_error_on_log_targets_keeps_the_points_the_clip_silences():
    clipped = run("log_target", 1000)
    log_target = run("log_target", 1000, loss="log_target_squared_error")
    # The preset's model=linear holds, though the state started on a problem whose default
    # model is linear too (a preset is compared with its own problem's defaults).
    assert clipped.config.model == "linear" == log_target.config.model
    data = clipped.trainer.dataset
    dead = clipped.trainer.logits(data.x_train) <= 0  # no gradient under the clip at 0
    assert dead.mean() > 0.25
    assert np.all(clipped.trainer.predict(data.x_val)[data.x_val[:, 0] < -1.5] == 0.0)
    trainer = clipped.trainer
    gradient = trainer.loss.gradient(data.y_train, trainer.logits(data.x_train))
    assert np.all(gradient[dead] == 0.0)  # those points stop teaching
    trainer = log_target.trainer
    assert np.all(trainer.loss.gradient(data.y_train, trainer.logits(data.x_train)) != 0.0)
    # Both validation losses are the mean of (log(1 + ŷ) − log(1 + y))²: the same scale.
    a, b = clipped.trainer.evaluate(), log_target.trainer.evaluate()
    assert a["val_loss"] > 0.35 and b["val_loss"] < 0.16  # 0.40 against 0.14
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


def test_on_large_counts_squared_error_fits_about_as_well_as_the_poisson_loss():
    poisson = run("large_counts", 1000)
    squared = run("large_counts", 1000, loss="mean_squared_error")
    r2_poisson, r2_squared = poisson.trainer.evaluate()["r2"], squared.trainer.evaluate()["r2"]
    assert r2_poisson > 0.75 and r2_squared > 0.75
    assert abs(r2_poisson - r2_squared) < 0.04  # 0.80 against 0.78
    data = squared.trainer.dataset
    assert squared.trainer.predict(data.x_val).min() > 10  # no negative counts here
    assert not poisson.trainer.diverged and not squared.trainer.diverged


def test_on_the_default_blobs_accuracy_ties_and_the_probabilities_differ():
    def trained(loss: str) -> AppState:
        return run_problem("multiclass_classification", 1000, loss=loss)

    cross_entropy = trained("categorical_cross_entropy")
    sigmoids = trained("binary_cross_entropy")
    squared = trained("mean_squared_error")
    accuracies = [accuracy(s) for s in (cross_entropy, sigmoids, squared)]
    assert min(accuracies) > 0.95 and max(accuracies) - min(accuracies) < 0.02  # about 97% each
    x = sigmoids.trainer.dataset.x_val
    sums = sigmoids.trainer.predict(x).sum(axis=1)
    assert f"{sums.min():.1f} to {sums.max():.1f}" == "0.3 to 1.8"  # K sigmoids, "about"
    data = classification_data(sigmoids.trainer)
    assert "divided by their sum" in (data.q_reading or "")
    # The Distributions pane divides them by their sum, and keeps the sums to show.
    assert data.before_q is not None and data.before_q_step == "sum"
    np.testing.assert_allclose(data.before_q.sum(axis=1), sums)
    np.testing.assert_allclose(data.q[:, 0, :], data.before_q / sums[:, None])
    assert not data.other_targets  # the same one-hot targets the pane shows
    assert classification_data(squared.trainer).outside_unit().mean() > 0.5
    # In the article's setup (inputs spanning ±10) squared error diverges at once.
    article = run("article_blobs", 50, loss="mean_squared_error")
    assert article.trainer.diverged and article.trainer.diverged_at_step <= 2


def test_squared_error_charges_a_confident_mistake_at_most_1_where_log_loss_grows_without_bound():
    from losstui.core.losses import LOSSES

    y = np.array([[1.0, 0.0, 0.0]])
    assert LOSSES["mean_squared_error"].values(y, np.array([[0.0, 0.0, 0.0]]))[0, 0] == 1.0
    costs = [
        LOSSES["categorical_cross_entropy"](y, np.array([[-m, 0.0, 0.0]])) for m in (10, 100, 1000)
    ]
    assert costs[0] > 10 and costs[1] > 100 and costs[2] > 1000


def test_multilabel_squared_error_outputs_leave_0_1_while_it_labels_about_as_well():
    sigmoids = run_problem("multilabel_classification", 1000)
    squared = run_problem("multilabel_classification", 1000, loss="mean_squared_error")
    a, b = sigmoids.trainer.evaluate(), squared.trainer.evaluate()
    assert abs(a["subset_accuracy"] - b["subset_accuracy"]) < 0.03
    # "About two-thirds of the points have an output outside [0, 1] ... the count moves from step
    # to step, between about 60 and 140 of the 150": the Distributions pane's count, read every
    # 50 steps from step 500 to 10,000 on the defaults (the sandbox trains until paused).
    state = run_problem("multilabel_classification", 500, loss="mean_squared_error")
    counts = []
    while state.trainer.step_count <= 10_000:
        data = classification_data(state.trainer)
        assert data.n == 150
        counts.append(int(data.outside_unit().sum()))
        state.step(50)
    assert 0.6 < np.median(counts) / 150 < 0.72  # 97 of 150
    assert 55 <= min(counts) < 75 and 125 < max(counts) <= 145  # 64 to 138
    # Where the stop rule would end it (patience=300, the presets' rule): two-thirds too.
    stopped = run_problem(
        "multilabel_classification", 10_000, loss="mean_squared_error", patience="300"
    )
    assert stopped.trainer.converged
    assert 0.6 < classification_data(stopped.trainer).outside_unit().mean() < 0.72  # 102 of 150


def test_the_threshold_with_least_expected_cost_is_c_fp_over_c_fp_plus_c_fn():
    # An identity the multi-label text states: predicting the label costs (1 − p)·c_FP in
    # expectation, not predicting it p·c_FN; the first is smaller exactly when p > c_FP/(c_FP +
    # c_FN), which is 0.5 when the two mistakes cost the same.
    p = np.linspace(0.0, 1.0, 10_001)
    for c_fp, c_fn in ((1.0, 1.0), (1.0, 4.0), (3.0, 1.0)):
        predict_on = (1.0 - p) * c_fp < p * c_fn
        first_on = p[np.argmax(predict_on)]
        assert first_on == pytest.approx(c_fp / (c_fp + c_fn), abs=2e-4)


def test_wide_range_squared_error_needs_a_learning_rate_hundreds_of_times_smaller():
    at_default = run_problem("wide_range_regression", 2000, loss="mean_squared_error")
    assert at_default.trainer.evaluate()["r2"] < 0  # lr 0.1, which suits the squared log error
    smaller = run_problem("wide_range_regression", 2000, loss="mean_squared_error", lr="0.0003")
    assert smaller.trainer.evaluate()["r2"] > 0.7


def test_a_learning_rate_too_large_diverges_on_the_default_line():
    state = run_problem("regression", 100, lr="5")
    assert state.trainer.diverged and state.trainer.diverged_at_step == 1


def test_absolute_error_keeps_jittering_where_huber_settles():
    def wobble(loss: str) -> float:
        state = run_problem("robust_regression", 3000, loss=loss)
        losses = np.array([r.train_loss for r in state.trainer.history][-30:])
        return float(losses.std() / losses.mean())

    assert wobble("mean_absolute_error") > 3 * wobble("huber")


def test_mixture_components_that_start_together_stay_together_without_momentum():
    def fitted(**changes: str) -> tuple[AppState, np.ndarray]:
        state = run("mixture_poor_start", 3000, **changes)
        trainer = state.trainer
        theta = trainer.loss.predict(trainer.model.forward(np.zeros((1, 0))))[0]
        return state, theta  # π, μ₁, μ₂, σ₁, σ₂

    stuck, (_, mu1, mu2, s1, s2) = fitted()
    assert stuck.trainer.converged  # the plateau looks like convergence
    assert abs(mu1 - mu2) < 0.5 and min(s1, s2) > 1.2  # one wide bell over both bumps
    assert stuck.trainer.evaluate()["val_loss"] > 1.75
    split, (_, mu1, mu2, _, _) = fitted(momentum="0.9")
    assert abs(mu1 - mu2) > 2.0 and split.trainer.evaluate()["val_loss"] < 1.6


def test_soft_label_squared_error_rows_sum_to_1_but_are_not_probabilities():
    squared = run_problem("soft_label_classification", 1000, loss="mean_squared_error")
    out = squared.trainer.predict(squared.trainer.dataset.x_val)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, atol=0.05)
    assert (out < 0).any(axis=1).mean() > 0.25  # about a third of the rows
    sigmoids = run_problem("soft_label_classification", 1000, loss="binary_cross_entropy")
    sums = sigmoids.trainer.predict(sigmoids.trainer.dataset.x_val).sum(axis=1)
    assert f"{sums.min():.1f} to {sums.max():.1f}" == "0.6 to 1.8"
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


def test_a_large_learning_rate_overflows_the_poisson_rate():
    state = run_problem("count_regression", 50, lr="1")
    assert state.trainer.diverged and state.trainer.diverged_at_step <= 2


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
    assert "only multi-label data" in refused and "categorical_cross_entropy" in refused
    assert "several labels" in (check_pairing("double_softmax_cross_entropy", regions) or "")
    assert check_pairing("positive_only_cross_entropy", get_dataset_spec("two_blobs")) is None


def test_overdispersed_counts_spread_wider_than_the_poisson_allows():
    from losstui.core.diagnostics import residual_data

    def pearson_rms(**changes: str) -> tuple[float, AppState]:
        state = run("overdispersion", 1500, **changes)
        residuals = residual_data(state.trainer).residuals  # (y − ŷ)/√ŷ, as the pane plots
        return float(np.sqrt(np.mean(residuals**2))), state

    wide, state = pearson_rms()
    usual, _ = pearson_rms(dataset="counts")
    assert wide > 1.4 and 0.8 < usual < 1.25  # 1.6 against 1.1
    trainer = state.trainer
    data = trainer.dataset
    truth = data.true_function(data.x_val)  # the mean is still found
    assert np.mean(np.abs(trainer.predict(data.x_val) - truth)) < 0.2 * np.mean(truth)
