"""Models, densities and SGD: gradients against central finite differences, and the update rule."""

from __future__ import annotations

import math

import numpy as np
import pytest

from losstui.core.activations import HIDDEN_ACTIVATIONS
from losstui.core.losses import LOSSES, gaussian_mle
from losstui.core.models import MLP, Linear, make_model
from losstui.core.sgd import SGD

N, N_IN, N_OUT = 7, 3, 3
EPS = 1e-6


def _targets(loss_key: str, rng: np.random.Generator) -> np.ndarray:
    target = LOSSES[loss_key].target
    if target == "samples":
        return rng.normal(size=(N, 1))
    if target == "sparse":
        return rng.integers(0, N_OUT, size=N)
    if target in ("onehot",):
        return np.eye(N_OUT)[rng.integers(0, N_OUT, size=N)]
    if target == "distribution":
        p = rng.uniform(0.1, 1.0, size=(N, N_OUT))
        return p / p.sum(axis=1, keepdims=True)
    if target in ("binary", "signed_binary"):
        return (rng.uniform(size=(N, N_OUT)) < 0.5).astype(float)
    if target == "nonnegative":
        return rng.poisson(2.0, size=(N, N_OUT)).astype(float)
    return rng.normal(size=(N, N_OUT))


def _finite_difference(f, params: list[np.ndarray]) -> list[np.ndarray]:
    """Central differences (f(θ + ε) − f(θ − ε)) / 2ε of f() for every parameter entry."""
    grads = []
    for p in params:
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + EPS
            up = f()
            p[idx] = old - EPS
            down = f()
            p[idx] = old
            g[idx] = (up - down) / (2 * EPS)
        grads.append(g)
    return grads


MODELS = [("linear", None)] + [("mlp", act) for act in ("tanh", "relu", "sigmoid", "linear")]


@pytest.mark.parametrize("loss_key", list(LOSSES))
@pytest.mark.parametrize(("kind", "activation"), MODELS)
def test_parameter_gradients_match_finite_differences(kind, activation, loss_key):
    rng = np.random.default_rng(7)
    loss = LOSSES[loss_key]
    # A density loss reads its parameters from the outputs (with inputs: μ(x), log σ(x)).
    n_out = getattr(loss, "n_parameters", N_OUT)
    model = make_model(kind, N_IN, n_out, rng=rng, hidden=(5, 4), activation=activation or "tanh")
    x = rng.normal(size=(N, N_IN))
    y = _targets(loss_key, rng)
    if loss_key == "mean_squared_logarithmic_error":
        # Start with positive outputs: below 0 the loss is flat (no gradient to compare).
        model.biases[-1][:] = 3.0
    logits = model.forward(x)
    grads = [g.copy() for g in model.backward(loss.gradient(y, logits))]
    numeric = _finite_difference(lambda: loss(y, model.forward(x)), model.params)
    assert len(grads) == len(model.params)
    for analytic, approx, p in zip(grads, numeric, model.params, strict=True):
        assert analytic.shape == p.shape
        np.testing.assert_allclose(analytic, approx, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("activation", list(HIDDEN_ACTIVATIONS))
def test_mlp_forward_composes_the_hidden_activation(activation):
    rng = np.random.default_rng(1)
    model = MLP(2, (4,), 2, activation=activation, rng=rng)
    x = rng.normal(size=(5, 2))
    act = HIDDEN_ACTIVATIONS[activation]
    w1, b1, w2, b2 = model.params
    expected = act.forward(x @ w1 + b1) @ w2 + b2
    np.testing.assert_allclose(model.forward(x), expected, rtol=1e-12)


def test_linear_model_is_x_w_plus_b():
    rng = np.random.default_rng(0)
    model = Linear(3, 2, rng)
    x = rng.normal(size=(4, 3))
    np.testing.assert_allclose(model.forward(x), x @ model.W + model.b)
    assert [p.shape for p in model.params] == [(3, 2), (2,)]
    assert model.describe() == "Linear 3-2"


def test_same_rng_seed_gives_same_initial_weights():
    a = make_model("mlp", 2, 1, rng=np.random.default_rng(5), hidden=(8, 8))
    b = make_model("mlp", 2, 1, rng=np.random.default_rng(5), hidden=(8, 8))
    c = make_model("mlp", 2, 1, rng=np.random.default_rng(6), hidden=(8, 8))
    np.testing.assert_array_equal(a.get_state(), b.get_state())
    assert not np.array_equal(a.get_state(), c.get_state())


@pytest.mark.parametrize(
    ("init", "expected_std"), [("he", math.sqrt(2 / 400)), ("xavier", math.sqrt(2 / 800))]
)
def test_he_and_xavier_scales(init, expected_std):
    model = MLP(400, (400,), 1, activation="relu", init=init, rng=np.random.default_rng(0))
    assert model.weights[0].std() == pytest.approx(expected_std, rel=0.02)
    assert np.all(model.biases[0] == 0.0)


def test_default_init_is_he_for_relu_and_xavier_otherwise():
    assert MLP(2, (4,), 1, activation="relu").init == "he"
    assert MLP(2, (4,), 1, activation="tanh").init == "xavier"


def test_params_are_views_of_one_flat_vector():
    model = MLP(2, (3,), 1, rng=np.random.default_rng(0))
    state = model.get_state()
    model.flat_params[:] = 0.0
    assert all(np.all(p == 0.0) for p in model.params)
    model.set_state(state)
    np.testing.assert_array_equal(model.flat_params, state)
    assert model.n_params == 2 * 3 + 3 + 3 * 1 + 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hidden": (0,)}, "positive"),
        ({"activation": "swish"}, "unknown hidden activation 'swish'; allowed: tanh"),
        ({"init": "orthogonal"}, "unknown init"),
    ],
)
def test_bad_architectures_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MLP(2, **{"hidden": (4,), "n_out": 1, **kwargs})


def test_unknown_model_kind_lists_the_kinds():
    with pytest.raises(ValueError, match="unknown model 'cnn'; allowed: linear, mlp"):
        make_model("cnn", 2, 1)


# -- densities: a model on no inputs is a density's parameters -------------------------------


SAMPLES = np.random.default_rng(3).normal(1.0, 0.7, size=(50, 1))


def test_a_model_on_no_inputs_outputs_its_bias_on_every_row():
    model = make_model("linear", 0, 2)
    model.biases[0][...] = (0.3, -0.2)
    np.testing.assert_array_equal(model.forward(np.empty((4, 0))), [[0.3, -0.2]] * 4)
    model.backward(np.ones((4, 2)))
    np.testing.assert_array_equal(model.grads[1], [4.0, 4.0])  # the rows' gradients summed
    assert model.describe() == "2 parameters"


def test_closed_form_is_the_mean_and_population_std():
    mu, sigma = gaussian_mle(SAMPLES)
    assert mu == pytest.approx(SAMPLES.mean())
    assert sigma == pytest.approx(SAMPLES.std(ddof=0))
    np.testing.assert_allclose(LOSSES["gaussian_nll"].closed_form(SAMPLES), [mu, math.log(sigma)])


def test_sgd_on_the_gaussian_nll_reaches_the_closed_form():
    loss = LOSSES["gaussian_nll"]
    model = make_model("linear", 0, 2)
    opt = SGD([model.flat_params], lr=0.1, momentum=0.5)
    x = np.empty((len(SAMPLES), 0))
    for _ in range(500):
        model.backward(loss.gradient(SAMPLES, model.forward(x)))
        opt.step([model.flat_grads])
    mu, sigma = gaussian_mle(SAMPLES)
    np.testing.assert_allclose(model.biases[0], [mu, math.log(sigma)], atol=1e-6)


@pytest.mark.parametrize("name", ["gaussian_nll", "gaussian_mixture_nll"])
def test_density_pdf_integrates_to_one(name):
    loss = LOSSES[name]
    theta = loss.initial_bias(loss.n_parameters, np.random.default_rng(0))
    grid = np.linspace(-12, 12, 20001)
    p = loss.pdf(grid, theta)
    area = np.sum((p[1:] + p[:-1]) / 2 * np.diff(grid))  # the trapezoid rule
    assert area == pytest.approx(1.0, abs=1e-6)


def test_mixture_parameters_and_description():
    loss = LOSSES["gaussian_mixture_nll"]
    theta = np.array([0.0, -1.0, 2.0, 0.0, math.log(0.5)])
    np.testing.assert_allclose(loss.predict(theta), [0.5, -1.0, 2.0, 1.0, 0.5])
    assert loss.describe(theta) == "0.50·N(-1, 1²) + 0.50·N(2, 0.5²)"


# -- SGD --------------------------------------------------------------------------------------


def test_plain_sgd_step():
    p = np.array([1.0, -2.0])
    SGD([p], lr=0.1).step([np.array([10.0, 0.0])])
    np.testing.assert_allclose(p, [0.0, -2.0])


def test_heavy_ball_momentum_accumulates_velocity():
    p = np.array([0.0])
    opt = SGD([p], lr=1.0, momentum=0.9)
    g = [np.array([1.0])]
    opt.step(g)  # v = 1
    opt.step(g)  # v = 0.9 + 1
    np.testing.assert_allclose(p, [-(1.0 + 1.9)])
    opt.reset()
    opt.step(g)
    np.testing.assert_allclose(p, [-(1.0 + 1.9 + 1.0)])


def test_weight_decay_adds_lambda_theta_to_the_gradient():
    p = np.array([2.0])
    SGD([p], lr=0.5, weight_decay=0.1).step([np.array([0.0])])
    np.testing.assert_allclose(p, [2.0 - 0.5 * 0.1 * 2.0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lr": 0.0}, "learning rate must be a number > 0 .*, got 0.0"),
        ({"lr": float("nan")}, "learning rate must be .*, got nan"),
        ({"lr": float("inf")}, "learning rate must be .*, got inf"),
        ({"lr": 0.1, "momentum": 1.0}, r"momentum must be a number in \[0, 1\), got 1.0"),
        ({"lr": 0.1, "momentum": -0.5}, "momentum"),
        ({"lr": 0.1, "weight_decay": -1.0}, "weight decay"),
    ],
)
def test_sgd_refuses_bad_hyperparameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SGD([np.zeros(1)], **kwargs)
