"""Trainer: defaults that learn, reproducibility, divergence, bounded history, config checks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from losstui.core.configuration import configure
from losstui.core.datasets import DATASETS, targets_for
from losstui.core.losses import LOSSES, gaussian_mle
from losstui.core.problems import PROBLEMS, recommend
from losstui.core.tasks import get_task
from losstui.core.trainer import DEFAULT_LOSS, Record, TrainConfig, Trainer

PROBLEM_KEYS = list(PROBLEMS)


def _history(trainer: Trainer) -> list[tuple]:
    return [
        (r.step, r.epoch, r.train_loss, r.val_loss, tuple(r.metrics.items()))
        for r in trainer.history
    ]


@pytest.mark.parametrize("problem", PROBLEM_KEYS)
def test_the_recommended_loss_lowers_the_validation_loss(problem):
    config = TrainConfig.default_for(problem)
    trainer = Trainer(config)
    assert trainer.step(300) == 300
    first, last = trainer.history[0], trainer.history[-1]
    assert first.step == 0
    assert last.step == 300
    assert not trainer.diverged
    assert last.val_loss < first.val_loss - 0.1 * abs(first.val_loss)


@pytest.mark.parametrize("problem", PROBLEM_KEYS)
def test_default_config_uses_the_recommendation_and_default_dataset(problem):
    config = TrainConfig.default_for(problem)
    assert config.loss == recommend(problem).loss == DEFAULT_LOSS[problem]
    assert config.dataset == PROBLEMS[problem].default_dataset
    assert config.model == DATASETS[config.dataset].suggested_model
    assert (config.momentum, config.batch_size, config.seed) == (0.9, 32, 0)


@pytest.mark.parametrize("problem", PROBLEM_KEYS)
def test_every_dataset_of_every_problem_trains_with_the_recommended_loss(problem):
    base = TrainConfig.default_for(problem)
    for name in PROBLEMS[problem].datasets:
        config = base.replace(dataset=name, model=DATASETS[name].suggested_model)
        trainer = Trainer(config)
        trainer.step(100)
        assert not trainer.diverged
        assert trainer.history[-1].val_loss < trainer.history[0].val_loss


def test_metrics_by_kind():
    expected = {
        "regression": ("r2", "mae"),
        "count_regression": ("r2", "mae"),
        "binary_classification": ("accuracy",),
        "multiclass_classification": ("accuracy",),
        "soft_label_classification": ("accuracy",),
        "multilabel_classification": ("subset_accuracy", "hamming_loss"),
        "density_estimation": ("nll",),
    }
    for problem, names in expected.items():
        trainer = Trainer(TrainConfig.default_for(problem))
        trainer.step(200)
        assert trainer.metric_names == names
        assert tuple(trainer.history[-1].metrics) == names
        assert set(trainer.evaluate()) == {"train_loss", "val_loss", *names}


def test_classifiers_become_accurate():
    for problem, floor in [
        ("binary_classification", 0.9),
        ("multiclass_classification", 0.85),
        ("soft_label_classification", 0.85),
    ]:
        trainer = Trainer(TrainConfig.default_for(problem))
        trainer.step(500)
        assert trainer.history[-1].metrics["accuracy"] >= floor
    trainer = Trainer(TrainConfig.default_for("multilabel_classification"))
    trainer.step(1000)
    assert trainer.history[-1].metrics["hamming_loss"] < 0.15


def test_same_seed_gives_the_same_history_bit_for_bit():
    config = TrainConfig.default_for("binary_classification").replace(dataset="moons", model="mlp")
    a, b = Trainer(config), Trainer(config)
    a.step(400)
    for _ in range(40):  # however the steps are split between calls
        b.step(10)
    assert _history(a) == _history(b)
    np.testing.assert_array_equal(a.model.get_state(), b.model.get_state())
    c = Trainer(config.replace(seed=1))
    c.step(400)
    assert _history(c) != _history(a)


def test_reset_restores_the_initial_state():
    trainer = Trainer(TrainConfig.default_for("multiclass_classification"))
    start = trainer.model.get_state()
    trainer.step(250)
    first_run = _history(trainer)
    trainer.reset()
    assert trainer.step_count == 0
    assert trainer.epoch == 0.0
    assert len(trainer.history) == 1
    np.testing.assert_array_equal(trainer.model.get_state(), start)
    trainer.step(250)
    assert _history(trainer) == first_run


def test_history_starts_at_step_zero_and_epochs_count_passes():
    config = TrainConfig.default_for("regression")
    trainer = Trainer(config)
    assert [r.step for r in trainer.history] == [0]
    assert trainer.last_batch_loss is None
    n_train = trainer.dataset.n_train
    steps_per_epoch = math.ceil(n_train / config.batch_size)
    trainer.step(3 * steps_per_epoch)
    assert trainer.epoch == pytest.approx(3.0)
    assert isinstance(trainer.last_batch_loss, float)
    assert all(isinstance(r, Record) for r in trainer.history)


def test_a_huge_learning_rate_is_reported_as_diverged_not_crashed():
    config = TrainConfig.default_for("regression").replace(lr=1e6)
    trainer = Trainer(config)
    trainer.step(1000)
    assert trainer.diverged
    assert trainer.diverged_at_step is not None
    assert trainer.diverged_at_step <= 1000
    assert "loss exploded" in trainer.divergence_reason
    assert f"diverged at step {trainer.diverged_at_step}" in trainer.divergence_message
    assert "learning rate 1e+06 is probably too large" in trainer.divergence_message
    assert trainer.step(10) == 0  # nothing more happens
    assert trainer.step_count == trainer.diverged_at_step
    # The app can still ask for everything it draws.
    trainer.evaluate()
    trainer.predict(trainer.dataset.x_val)
    assert trainer.last_batch_loss is not None
    assert all(math.isfinite(r.train_loss) for r in trainer.history)
    # ... and start again.
    trainer.reset()
    assert not trainer.diverged
    assert trainer.diverged_at_step is None
    sane = Trainer(config.replace(lr=0.02))
    sane.step(200)
    assert not sane.diverged


@pytest.mark.parametrize("problem", PROBLEM_KEYS)
def test_huge_learning_rate_on_every_problem_never_raises(problem):
    trainer = Trainer(TrainConfig.default_for(problem).replace(lr=1e6))
    trainer.step(500)
    trainer.evaluate()
    trainer.predict(trainer.dataset.x_val)


def test_divergence_is_reported_at_the_first_step_that_shows_it():
    trainer = Trainer(TrainConfig.default_for("count_regression").replace(lr=5.0, momentum=0.0))
    trainer.step(2000)
    assert trainer.diverged
    step = trainer.diverged_at_step
    assert step % trainer.record_every != 0  # found between two records
    assert trainer.history[-1].step == step  # the exploding loss is on the curve
    # Every step before it was healthy: a fresh run stopped one step earlier has not diverged.
    again = Trainer(trainer.config)
    again.step(step - 1)
    assert not again.diverged
    # The run went back to its last healthy record to find the step: what it shows now (the
    # fit, the epoch, the last batch's loss) is that step's, as if it had stopped there.
    exact = Trainer(trainer.config)
    exact.step(step)
    np.testing.assert_array_equal(trainer.model.flat_params, exact.model.flat_params)
    assert trainer.epoch == exact.epoch
    np.testing.assert_array_equal(trainer.last_batch_loss, exact.last_batch_loss)
    again.step(2000)
    assert again.diverged_at_step == step


def test_history_stays_bounded_over_100000_steps():
    config = TrainConfig(
        problem="binary_classification",
        dataset="two_blobs",
        loss="binary_cross_entropy",
        batch_size=8,
        n_samples=12,
        lr=0.01,
    )
    trainer = Trainer(config, record_every=1)
    assert trainer.step(100_000) == 100_000
    steps = [r.step for r in trainer.history]
    assert len(steps) <= 2000
    assert steps[0] == 0
    assert steps == sorted(set(steps))
    assert steps[-1] > 100_000 - 2 * trainer.record_every
    gaps = set(np.diff(steps))
    assert gaps == {trainer.record_every}  # evenly thinned


def test_mse_on_binary_classification_runs_and_learns():
    config = TrainConfig.default_for("binary_classification").replace(loss="mean_squared_error")
    trainer = Trainer(config)
    trainer.step(300)
    assert trainer.history[-1].val_loss < trainer.history[0].val_loss
    assert trainer.history[-1].metrics["accuracy"] > 0.8


def test_sparse_cross_entropy_on_binary_is_refused_with_a_reason():
    config = TrainConfig.default_for("binary_classification")
    with pytest.raises(ValueError, match="single output"):
        config.replace(loss="sparse_categorical_cross_entropy")


def test_hinge_trainer_classifies_by_the_sign_of_the_score():
    trainer = Trainer(TrainConfig.default_for("binary_classification").replace(loss="hinge"))
    trainer.step(300)
    x = trainer.dataset.x_val
    np.testing.assert_array_equal(trainer.classify(x), (trainer.logits(x)[:, 0] > 0).astype(int))
    assert trainer.history[-1].metrics["accuracy"] > 0.9


def test_predictions_are_in_target_space():
    binary = Trainer(TrainConfig.default_for("binary_classification"))
    p = binary.predict(binary.dataset.x_val)
    assert p.shape == (binary.dataset.n_val, 1)
    assert np.all((p > 0) & (p < 1))
    multi = Trainer(TrainConfig.default_for("multiclass_classification"))
    q = multi.predict(multi.dataset.x_val)
    np.testing.assert_allclose(q.sum(axis=1), 1.0)
    counts = Trainer(TrainConfig.default_for("count_regression"))
    assert np.all(counts.predict(counts.dataset.x_val) > 0)
    density = Trainer(TrainConfig.default_for("density_estimation"))
    mu_sigma = density.predict(np.empty((1, 0)))  # no inputs: the density's (μ, σ)
    assert mu_sigma.shape == (1, 2)
    assert mu_sigma[0, 1] > 0


def test_density_sgd_approaches_the_closed_form():
    trainer = Trainer(TrainConfig.default_for("density_estimation").replace(lr=0.05))
    trainer.step(2000)
    mu, sigma = gaussian_mle(trainer.dataset.y_train)
    fitted_mu, fitted_sigma = trainer.predict(np.empty((1, 0)))[0]
    assert fitted_mu == pytest.approx(mu, abs=0.05)
    assert fitted_sigma == pytest.approx(sigma, abs=0.05)


def test_batch_larger_than_the_training_set_is_full_batch():
    trainer = Trainer(TrainConfig.default_for("regression").replace(batch_size=10_000))
    trainer.step(4)
    assert trainer.batch_size == trainer.dataset.n_train
    assert trainer.epoch == pytest.approx(4.0)


# -- configuration checks ---------------------------------------------------------------------

BASE = TrainConfig.default_for("binary_classification")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"lr": 0.0}, "learning rate must be a number > 0 and at most 1e.09, got 0.0"),
        ({"lr": -1.0}, "learning rate"),
        ({"lr": float("nan")}, "learning rate must be .*, got nan"),
        ({"lr": float("inf")}, "learning rate must be .*, got inf"),
        ({"momentum": 1.0}, r"momentum must be a number in \[0, 1\), got 1.0"),
        ({"momentum": -0.1}, "momentum"),
        ({"batch_size": 0}, "batch size must be a whole number from 1 to 1,000,000, got 0"),
        ({"batch_size": 2.5}, "batch size must be .*, got 2.5"),
        ({"hidden": (0,)}, "hidden sizes"),
        ({"hidden": ()}, "hidden sizes"),
        ({"hidden": ("16",)}, "hidden sizes"),
        ({"hidden_activation": "gelu"}, "unknown hidden activation 'gelu'; allowed: tanh"),
        ({"weight_decay": -0.1}, "weight decay"),
        ({"seed": -1}, "seed must be a whole number from 0 to .*, got -1"),
        ({"n_samples": 2}, "number of samples must be a whole number from 6 .*, got 2"),
        ({"dataset": "mnist"}, "unknown dataset 'mnist'; allowed: line, curve"),
        ({"loss": "focal"}, "unknown loss 'focal'; allowed: mean_squared_error"),
        ({"model": "cnn"}, "unknown model 'cnn'; allowed: linear, mlp"),
        ({"problem": "ranking"}, "unknown problem 'ranking'; allowed: regression"),
        ({"dataset": "line"}, "dataset 'line' is regression data, not for binary_classification"),
        ({"colour": "red"}, "unknown setting 'colour'"),
    ],
)
def test_bad_settings_are_refused_in_one_line(changes, message):
    with pytest.raises(ValueError, match=message) as info:
        BASE.replace(**changes)
    assert "\n" not in str(info.value)


def test_hidden_sizes_may_be_given_as_a_list_or_an_int():
    assert BASE.replace(model="mlp", hidden=[32, 8]).hidden == (32, 8)
    assert BASE.replace(model="mlp", hidden=50).hidden == (50,)


def test_config_as_dict_is_plain_data():
    d = BASE.as_dict()
    assert d["problem"] == "binary_classification"
    assert d["hidden"] == [16]


def test_regression_problems_accept_count_data():
    config = TrainConfig.default_for("regression").replace(dataset="counts")
    Trainer(config).step(50)


def test_density_estimation_is_fitted_by_a_density_nll_only():
    config = TrainConfig.default_for("density_estimation")
    assert config.loss == "gaussian_nll"
    assert config.model == "linear"
    mixture = config.replace(dataset="mixture_samples", loss="gaussian_mixture_nll", lr=0.05)
    trainer = Trainer(mixture)
    trainer.step(1000)
    single = Trainer(config.replace(dataset="mixture_samples", lr=0.05))
    single.step(1000)
    # Two bumps fit two-bump data better than one bell curve can.
    assert trainer.history[-1].val_loss < single.history[-1].val_loss
    with pytest.raises(ValueError, match="allowed: linear"):
        config.replace(model="mlp")
    with pytest.raises(ValueError, match="density estimation has only samples"):
        config.replace(loss="mean_squared_error")


def _small_config(loss_key: str) -> TrainConfig:
    """A small run of `loss_key` on the first built-in dataset it can train on (an MLP where the
    task takes one), with momentum and weight decay so that every term of the update counts."""
    for problem, spec in PROBLEMS.items():
        for dataset in spec.datasets:
            kind = DATASETS[dataset].kind
            model = "mlp" if "mlp" in get_task(kind).models else "linear"
            try:
                return TrainConfig(
                    problem=problem,
                    dataset=dataset,
                    loss=loss_key,
                    model=model,
                    hidden=(5,),
                    lr=0.01,
                    momentum=0.9,
                    weight_decay=1e-3,
                    batch_size=8,
                    n_samples=40,
                    seed=3,
                )
            except ValueError:
                continue
    raise AssertionError(f"{loss_key} trains on no built-in dataset")


def _trained_by_hand(config: TrainConfig, steps: int) -> np.ndarray:
    """The parameters after `steps` SGD updates written out plainly: a fresh shuffle of the
    training rows each epoch, forward, the loss's checked gradient, backward, then
    g ← g + λθ, v ← μv + g, θ ← θ − ηv."""
    start = Trainer(config)  # only for its initial weights; never stepped
    model, loss = start.model, LOSSES[config.loss]
    x = start.dataset.x_train
    y = targets_for(loss, start.dataset, "train")
    shuffle = np.random.default_rng([config.seed, 2])  # the seed's minibatch stream
    theta = model.flat_params
    velocity = np.zeros_like(theta)
    batches: list[np.ndarray] = []
    for _ in range(steps):
        if not batches:
            order = shuffle.permutation(len(x))
            batches = [
                order[i : i + config.batch_size] for i in range(0, len(x), config.batch_size)
            ]
        rows = batches.pop(0)
        model.backward(loss.gradient(y[rows], model.forward(x[rows])))
        g = model.flat_grads + config.weight_decay * theta
        velocity = config.momentum * velocity + g
        theta -= config.lr * velocity
    return theta.copy()


@pytest.mark.parametrize("loss_key", list(LOSSES))
def test_the_training_loop_uses_exactly_the_losses_gradient(loss_key):
    # The loop takes the unchecked gradient, slices a pre-shuffled copy of each epoch and keeps
    # its counters in locals between records: its parameters must be those of the plain loop.
    config = _small_config(loss_key)
    trainer = Trainer(config, record_every=4)
    steps = 0
    for n in (1, 2, 9, 13):  # several calls, across records and epochs (27 rows, batches of 8)
        assert trainer.step(n) == n
        steps += n
    assert trainer.epoch > 6
    assert not trainer.diverged
    np.testing.assert_allclose(
        trainer.model.flat_params, _trained_by_hand(config, steps), rtol=1e-10, atol=1e-12
    )


def test_count_losses_are_recorded_as_the_full_nll_so_equal_data_gives_equal_numbers():
    import dataclasses

    from losstui.core.datasets import make_dataset

    config = TrainConfig.default_for("count_regression")
    trainer = Trainer(config)
    assert trainer.recorded_as == "full NLL (with log y!)"
    # The same data as both splits: the full NLL of train and validation must agree.
    ds = make_dataset(config.dataset, config.seed, None)
    same = dataclasses.replace(ds, x_val=ds.x_train, y_val=ds.y_train)
    twin = Trainer(config, dataset=same)
    twin.step(100)
    values = twin.evaluate()
    assert values["train_loss"] == pytest.approx(values["val_loss"], rel=1e-12)
    # And it is the mean Poisson NLL with log y!, by hand.
    lam = twin.predict(same.x_train)[:, 0]
    y = same.y_train[:, 0]
    by_hand = np.mean(lam - y * np.log(lam) + np.array([math.lgamma(v + 1) for v in y]))
    assert values["train_loss"] == pytest.approx(by_hand, rel=1e-9)


def test_the_stop_rule_ends_a_run_whose_validation_loss_is_flat():
    config = TrainConfig.default_for("binary_classification").replace(patience=300)
    trainer = Trainer(config)
    done = trainer.step(10_000)
    assert trainer.converged
    assert done == trainer.converged_at_step < 10_000
    best = min(r.val_loss for r in trainer.history)
    best_step = next(r.step for r in trainer.history if r.val_loss == best)
    # No record in the last 300 steps improved on the best by 0.1%.
    assert trainer.converged_at_step - best_step >= 300
    assert trainer.step(100) == 0  # a converged run takes no more steps
    assert trainer.convergence_summary == (
        f"converged at step {trainer.converged_at_step:,}: "
        "validation loss not improved for 300 steps"
    )
    off = Trainer(config.replace(patience=0))
    assert off.step(done + 2000) == done + 2000
    assert not off.converged
    trainer.reset()
    assert not trainer.converged
    assert trainer.step(10) == 10


def test_the_stop_rule_ends_a_loss_that_creeps_towards_0_and_names_its_patience():
    # A loss without its (1 − y) term falls like 1/t: by 0.1% of itself per 300 steps until
    # step 300,000. Measured against 1% of its first value it flattens within 30,000 steps.
    from losstui.core.trainer import PLATEAU_FLOOR, PLATEAU_GAIN

    config = TrainConfig.default_for("binary_classification").replace(
        dataset="two_blobs", model="linear", loss="positive_only_cross_entropy", patience=300
    )
    trainer = Trainer(config)
    trainer.step(400_000)
    assert trainer.converged
    assert trainer.converged_at_step < 30_000
    first, last = trainer.history[0].val_loss, trainer.history[-1].val_loss
    assert last < PLATEAU_FLOOR * first  # it stopped where the floor, not the best, decides
    recent = [r.val_loss for r in trainer.history if r.step >= trainer.converged_at_step - 300]
    assert recent[0] - min(recent) < PLATEAU_GAIN * PLATEAU_FLOOR * first
    # A patience that is not a multiple of the record interval (20 steps): the flat stretch seen
    # at a record is 260 steps, and the summary names the rule's 250.
    trainer = Trainer(TrainConfig.default_for("binary_classification").replace(patience=250))
    trainer.step(10_000)
    assert trainer.converged
    assert trainer.flat_steps == 260
    assert trainer.convergence_summary == (
        f"converged at step {trainer.converged_at_step:,}: "
        "validation loss not improved for 250 steps"
    )


def test_a_fixed_seed_run_converges_at_a_known_step_however_the_steps_are_split():
    config = TrainConfig.default_for("binary_classification").replace(patience=300)
    for chunk in (10_000, 7):
        trainer = Trainer(config)
        while trainer.step(chunk):
            pass
        assert trainer.converged_at_step == trainer.step_count == 600
        assert trainer.convergence_summary == (
            "converged at step 600: validation loss not improved for 300 steps"
        )


def test_a_new_patience_goes_on_from_here_when_it_would_not_have_stopped_earlier():
    config = TrainConfig.default_for("binary_classification").replace(patience=300)
    trainer = Trainer(config)
    trainer.step(10_000)
    assert trainer.converged_at_step == 600
    # A shorter patience would have stopped the run at an earlier record: it needs a new run.
    assert not trainer.keeps_run(200)
    with pytest.raises(ValueError, match="would have stopped this run before step 600"):
        trainer.set_patience(200)
    assert trainer.converged
    assert trainer.config.patience == 300
    # A longer one goes on from step 600 and stops where a fresh run with it stops.
    trainer.set_patience(400)
    assert not trainer.converged
    assert trainer.config.patience == 400
    trainer.step(10_000)
    fresh = Trainer(config.replace(patience=400))
    fresh.step(10_000)
    assert trainer.converged_at_step == fresh.converged_at_step == 700
    assert _history(trainer) == _history(fresh)
    # Off: trains on, and the steps are those of a run that never had a stop rule.
    trainer.set_patience(0)
    assert not trainer.converged
    assert trainer.step(300) == 300
    never = Trainer(config.replace(patience=0))
    never.step(1000)
    assert _history(trainer) == _history(never)
    np.testing.assert_array_equal(trainer.model.flat_params, never.model.flat_params)
    # Patience 300 again would have stopped it at step 600; a very long one would not have.
    assert not trainer.keeps_run(300)
    assert trainer.keeps_run(10_000)


@pytest.mark.parametrize(
    ("problem", "lr", "steps"), [("regression", 1.0, 400), ("binary_classification", 0.1, 900)]
)
def test_a_run_is_the_same_whatever_slices_it_is_stepped_in(problem, lr, steps):
    # Fast-forward steps in slices of 100 or more, play at 50 steps/s in slices of 20 or less:
    # the learning rate 1 on the line diverged at step 21 in the one and at 170 in the other,
    # checked for divergence at other steps after each record.
    runs = []
    for slice_ in (1, 20, 100, 1000):
        trainer = Trainer(configure(TrainConfig.default_for(problem), {"lr": lr}))
        while trainer.step_count < steps and trainer.step(min(slice_, steps - trainer.step_count)):
            pass
        runs.append(trainer)
    first = runs[0]
    for trainer in runs[1:]:
        assert trainer.step_count == first.step_count
        assert trainer.diverged_at_step == first.diverged_at_step
        assert [r.step for r in trainer.history] == [r.step for r in first.history]
        assert [r.val_loss for r in trainer.history] == [r.val_loss for r in first.history]
    assert first.diverged is (lr == 1.0)
