"""Datasets: determinism, shapes, target domains, and which losses can train on them."""

from __future__ import annotations

import re

import numpy as np
import pytest

from losstui.core.datasets import (
    DATASETS,
    DatasetSpec,
    dataset_names,
    make_dataset,
    register_dataset,
    targets_for,
)
from losstui.core.losses import LOSSES
from losstui.core.tasks import KINDS, TASKS, check_pairing, n_outputs

NAMES = list(DATASETS)


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_gives_identical_data_and_another_seed_differs(name):
    a, b, c = make_dataset(name, seed=3), make_dataset(name, seed=3), make_dataset(name, seed=4)
    for split in ("train", "val"):
        np.testing.assert_array_equal(a.x(split), b.x(split))
        np.testing.assert_array_equal(a.y(split), b.y(split))
    assert not np.array_equal(a.y_train, c.y_train)


@pytest.mark.parametrize("name", NAMES)
def test_shapes_dtypes_and_split(name):
    ds = make_dataset(name)
    spec = DATASETS[name]
    assert ds.name == name
    assert ds.kind == spec.kind in KINDS
    assert ds.title
    assert ds.description
    assert "\n" not in ds.description
    assert ds.x_train.dtype == np.float64
    assert ds.x_train.ndim == 2
    assert ds.x_val.shape[1] == ds.x_train.shape[1]
    assert ds.n_train + ds.n_val == spec.default_n
    # The split the recipe declares: two thirds train, or half for the articles' experiments.
    assert ds.n_val == round(spec.default_n * spec.validation_fraction)
    assert 200 <= ds.n_train <= 1000
    n, m = ds.n_train, ds.n_val
    if ds.kind == "density":
        # Samples and no inputs: the samples are the targets.
        assert ds.x_train.shape == (n, 0)
        assert ds.y_train.shape == (n, 1)
        return
    if ds.kind == "multiclass":
        assert ds.y_train.shape == (n,)
        assert ds.y_val.shape == (m,)
        assert ds.y_train.dtype == np.int64
    else:
        assert ds.y_train.dtype == np.float64
        assert ds.y_train.shape[0] == n
        assert ds.y_val.shape == (m, ds.y_train.shape[1])


@pytest.mark.parametrize("name", NAMES)
def test_inputs_are_finite_and_of_order_one(name):
    ds = make_dataset(name)
    x = np.concatenate([ds.x_train, ds.x_val])
    assert np.all(np.isfinite(x))
    if name.startswith("article_"):
        return  # made exactly as the article made them: not rescaled
    assert np.all(np.abs(x.mean(axis=0)) < 2.0)
    assert np.all((x.std(axis=0) > 0.3) & (x.std(axis=0) < 3.0))


@pytest.mark.parametrize("name", dataset_names("binary"))
def test_binary_targets_are_zero_one_columns_with_both_classes(name):
    ds = make_dataset(name)
    assert set(np.unique(ds.y_train)) == {0.0, 1.0}
    assert ds.n_classes == 2
    assert 0.3 < ds.y_train.mean() < 0.7


@pytest.mark.parametrize("name", dataset_names("multiclass"))
def test_multiclass_has_at_least_three_classes_all_present(name):
    ds = make_dataset(name)
    assert ds.n_classes >= 3
    assert set(np.unique(ds.y_train)) == set(range(ds.n_classes))
    assert len(ds.target_names) == ds.n_classes


def test_multilabel_rows_can_have_several_labels_or_none():
    ds = make_dataset("regions")
    per_row = ds.y_train.sum(axis=1)
    assert set(np.unique(ds.y_train)) == {0.0, 1.0}
    assert (per_row >= 2).any()
    assert (per_row == 0).any()
    assert len(ds.target_names) == ds.y_train.shape[1] == 3


@pytest.mark.parametrize("name", dataset_names("soft_label"))
def test_soft_labels_are_probability_rows(name):
    ds = make_dataset(name)
    assert np.all(ds.y_train >= 0.0)
    np.testing.assert_allclose(ds.y_train.sum(axis=1), 1.0)
    assert ds.true_function is not None
    np.testing.assert_allclose(ds.true_function(ds.x_val).sum(axis=1), 1.0)


def test_counts_are_nonnegative_integers():
    ds = make_dataset("counts")
    assert np.all(ds.y_train >= 0)
    assert np.all(ds.y_train == np.round(ds.y_train))
    assert ds.noise["distribution"] == "poisson"


def test_wide_range_targets_are_positive_and_span_orders_of_magnitude():
    ds = make_dataset("wide_range")
    assert np.all(ds.y_train > 0)
    assert np.log10(ds.y_train.max() / ds.y_train.min()) > 2.5
    assert ds.noise["distribution"] == "lognormal"


@pytest.mark.parametrize("name", dataset_names("regression") + dataset_names("count"))
def test_regression_sets_keep_their_noise_model_and_truth(name):
    ds = make_dataset(name)
    assert ds.noise["distribution"] in ("gaussian", "lognormal", "poisson", "negative_binomial")
    assert ds.noise["description"]
    assert ds.true_function(ds.x_val).shape == ds.y_val.shape


def test_overdispersed_counts_vary_more_than_their_mean():
    ds = make_dataset("overdispersed_counts", n=20_000)
    mu = ds.true_function(ds.x_train)
    # Var y = λ + λ²/k around the mean λ: the squared deviations average above λ.
    assert np.mean((ds.y_train - mu) ** 2) > 2.0 * np.mean(mu)
    assert abs(np.mean(ds.y_train) - np.mean(mu)) < 0.05 * np.mean(mu)


@pytest.mark.parametrize("name", ["line", "curve"])
def test_gaussian_noise_has_the_stated_scale(name):
    ds = make_dataset(name, n=3000)
    residuals = ds.y_train - ds.true_function(ds.x_train)
    assert abs(residuals.std() - ds.noise["scale"]) < 0.03


@pytest.mark.parametrize("name", ["line_outliers", "curve_outliers"])
def test_outlier_sets_have_a_few_gross_errors(name):
    ds = make_dataset(name)
    residuals = np.abs(ds.y_train - ds.true_function(ds.x_train))
    gross = np.mean(residuals > 3.0)
    assert 0.02 < gross < 0.12


def test_circles_inner_radius_is_half_the_outer():
    ds = make_dataset("circles", n=2000)
    r = np.hypot(ds.x_train[:, 0], ds.x_train[:, 1])
    y = ds.y_train[:, 0]
    assert np.median(r[y == 1]) / np.median(r[y == 0]) == pytest.approx(0.5, abs=0.05)


def test_linear20_is_the_articles_regression():
    # make_regression(n_samples=1000, n_features=20, noise=0.1), standardised, split in half.
    ds = make_dataset("linear20")
    assert ds.x_train.shape[1] == 20 == len(ds.feature_names)
    assert ds.n_train == ds.n_val == 500
    y = np.concatenate([ds.y_train, ds.y_val])
    x = np.concatenate([ds.x_train, ds.x_val])
    assert abs(y.mean()) < 1e-9
    assert y.std() == pytest.approx(1.0)
    np.testing.assert_allclose(x.mean(axis=0), 0.0, atol=1e-9)
    np.testing.assert_allclose(x.std(axis=0), 1.0)
    # Linear in the inputs, with half of them informative, and almost no noise.
    residuals = y - ds.true_function(x)
    assert residuals.std() == pytest.approx(ds.noise["scale"], rel=0.1)
    assert ds.noise["scale"] < 1e-3
    slopes = [
        float(np.mean(ds.true_function(x + np.eye(20)[j]) - ds.true_function(x))) for j in range(20)
    ]
    assert sum(abs(s) > 1e-12 for s in slopes) == 10
    assert min(slopes) >= 0.0


@pytest.mark.parametrize("name", dataset_names("density"))
def test_density_sets_match_their_true_density(name):
    ds = make_dataset(name, n=4000)
    truth = ds.true_density
    x = ds.y_train[:, 0]  # the samples
    if truth["distribution"] == "gaussian":
        assert x.mean() == pytest.approx(truth["mu"], abs=0.05)
        assert x.std() == pytest.approx(truth["sigma"], abs=0.05)
    else:
        w, mu = truth["weights"], truth["mu"]
        assert x.mean() == pytest.approx(w[0] * mu[0] + w[1] * mu[1], abs=0.08)


def test_unknown_dataset_lists_the_names():
    with pytest.raises(ValueError, match="unknown dataset 'nope'; allowed: line, curve"):
        make_dataset("nope")


def test_too_few_samples_is_refused():
    with pytest.raises(ValueError, match="too small"):
        make_dataset("line", n=3)


@pytest.mark.parametrize("name", NAMES)
def test_declared_nonnegative_targets_match_the_data(name):
    # Pairings are checked from the recipe alone, so what it declares must be true of its data.
    spec = DATASETS[name]
    lowest = min(float(make_dataset(name, seed=s).y_train.min()) for s in range(5))
    if spec.kind in ("regression", "count"):  # where losses of nonnegative targets ask
        assert spec.nonnegative_targets == (lowest >= 0.0), lowest


def test_every_loss_domain_is_accepted_by_some_task():
    domains = {t for task in TASKS.values() for t in task.targets}
    assert {loss.target for loss in LOSSES.values()} <= domains


def test_a_dataset_added_at_run_time_trains_like_a_built_in_one():
    from losstui.core.trainer import TrainConfig, Trainer

    def make(rng, n):
        x = rng.uniform(-1, 1, size=(n, 1))
        return {"x": x, "y": 2.0 * x + 1.0}

    spec = DatasetSpec("my_line_for_test", "Mine", "A user's line.", "regression", make)
    register_dataset(spec)
    try:
        config = TrainConfig(
            problem="regression", dataset=spec.name, loss="mean_squared_error", lr=0.1
        )
        trainer = Trainer(config)
        trainer.step(300)
        assert trainer.history[-1].metrics["r2"] > 0.99
        with pytest.raises(ValueError, match="exists already"):
            register_dataset(spec)
    finally:
        del DATASETS[spec.name]


# -- pairing losses with datasets -------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("loss_key", list(LOSSES))
def test_targets_fit_the_logits_the_model_will_produce(name, loss_key):
    ds = make_dataset(name)
    if check_pairing(loss_key, ds) is not None:
        with pytest.raises(ValueError, match=re.escape(check_pairing(loss_key, ds))):
            targets_for(loss_key, ds, "train")
        return
    k = n_outputs(loss_key, ds)
    loss = LOSSES[loss_key]
    for split, n in (("train", ds.n_train), ("val", ds.n_val)):
        y = targets_for(loss, ds, split)
        logits = np.zeros((n, k))
        expected = {"sparse": (n,), "samples": (n, 1)}.get(loss.target, (n, k))
        assert y.shape == expected
        assert np.isfinite(loss(y, logits))  # the loss accepts them


def test_every_supervised_dataset_has_a_loss_that_runs():
    for name in NAMES:
        ds = make_dataset(name)
        if ds.kind == "density":
            assert check_pairing("gaussian_nll", ds) is None
        else:
            assert any(check_pairing(k, ds) is None for k in LOSSES)


def test_mse_on_binary_classification_runs():
    assert check_pairing("mean_squared_error", make_dataset("moons")) is None


def test_sparse_labels_with_a_single_output_are_refused_with_a_reason():
    reason = check_pairing("sparse_categorical_cross_entropy", make_dataset("moons"))
    assert reason is not None
    assert "single output" in reason
    assert "binary_cross_entropy" in reason


def test_softmax_on_one_output_is_refused():
    reason = check_pairing("categorical_cross_entropy", make_dataset("two_blobs"))
    assert reason is not None
    assert "softmax" in reason


@pytest.mark.parametrize("loss_key", ["poisson", "mean_squared_logarithmic_error"])
def test_count_losses_refuse_negative_targets(loss_key):
    reason = check_pairing(loss_key, make_dataset("line"))
    assert reason is not None
    assert "negative" in reason
    assert check_pairing(loss_key, make_dataset("counts")) is None


def test_classification_losses_refuse_real_targets():
    reason = check_pairing("binary_cross_entropy", make_dataset("line"))
    assert reason is not None
    assert "class labels" in reason


def test_density_sets_take_only_nll_and_nll_needs_a_density_set():
    assert "negative log-likelihood" in check_pairing(
        "mean_squared_error", make_dataset("gaussian_samples")
    )
    assert "supervised loss" in check_pairing("gaussian_nll", make_dataset("line"))


def test_multilabel_refuses_one_class_per_example_losses():
    reason = check_pairing("categorical_cross_entropy", make_dataset("regions"))
    assert reason is not None
    assert "several labels" in reason
    assert check_pairing("binary_cross_entropy", make_dataset("regions")) is None


def test_hinge_gets_signed_labels_and_sparse_gets_integers():
    ds = make_dataset("two_blobs")
    assert set(np.unique(targets_for("hinge", ds))) == {-1.0, 1.0}
    blobs = make_dataset("blobs")
    y = targets_for("sparse_categorical_cross_entropy", blobs)
    assert y.dtype.kind == "i"
    assert y.shape == (blobs.n_train,)
    onehot = targets_for("categorical_cross_entropy", blobs)
    np.testing.assert_array_equal(np.argmax(onehot, axis=1), y)


def test_soft_labels_become_hard_labels_for_sparse_cross_entropy():
    ds = make_dataset("soft_softmax")
    y = targets_for("sparse_categorical_cross_entropy", ds)
    np.testing.assert_array_equal(y, np.argmax(ds.y_train, axis=1))


def test_n_outputs():
    assert n_outputs("binary_cross_entropy", make_dataset("moons")) == 1
    assert n_outputs("categorical_cross_entropy", make_dataset("blobs")) == 4
    assert n_outputs("binary_cross_entropy", make_dataset("regions")) == 3
    assert n_outputs("kl_divergence", make_dataset("soft_softmax")) == 3
    with pytest.raises(ValueError, match="unknown loss"):
        n_outputs("nope", make_dataset("line"))
