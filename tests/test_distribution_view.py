"""The distributions pane: per-example P, Q and their information equal info's, and their mean is
the trainer's validation cross-entropy; residuals and the NLL curve are fitted as stated."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from textual.app import App, ComposeResult

from losstui.core import info
from losstui.core.diagnostics import (
    classification_data,
    golden_section,
    lowest_on_curve,
    nll_curve,
    residual_data,
)
from losstui.core.state import AppState
from losstui.core.text import format_information, to_ascii
from losstui.core.trainer import TrainConfig, Trainer
from losstui.tui.app import LossApp
from losstui.tui.glyphs import ASCII, UNICODE
from losstui.tui.widgets import distribution_view as dv_module
from losstui.tui.widgets.ascii_plot import AsciiPlot
from losstui.tui.widgets.distribution_view import DistributionView
from tests.app_helpers import pane_ready, screen_text


def trained(problem: str, steps: int = 60, **changes) -> Trainer:
    config = TrainConfig.default_for(problem)
    if changes:
        config = config.replace(**changes)
    trainer = Trainer(config)
    trainer.step(steps)
    return trainer


def val_loss(trainer) -> float:
    return trainer.evaluate()["val_loss"]


class ViewApp(App):
    def __init__(self, glyphs=UNICODE) -> None:
        super().__init__()
        self.glyphs = glyphs
        self.selected: list[int] = []

    def compose(self) -> ComposeResult:
        yield DistributionView(glyphs=self.glyphs)

    def on_mount(self) -> None:
        self.query_one(DistributionView).focus()

    def on_distribution_view_example_requested(self, message) -> None:
        # The owner's part: select what the view asks for (the app's pane sets the state).
        self.selected.append(message.index)
        message.view.select_example(message.index)


async def shown_text(trainer: Trainer, size: tuple[int, int] = (80, 24)) -> str:
    """The view's text, whitespace folded, after it shows `trainer`'s first example."""
    app = ViewApp()
    async with app.run_test(size=size) as pilot:
        view = app.query_one(DistributionView)
        view.show(trainer)
        await pilot.pause()
        return " ".join(view_text(view).split())


def view_text(view: DistributionView) -> str:
    """Everything the view writes, its plot included, as plain text."""
    parts = [view.query_one("#dist-summary").render().plain]
    plot = view.query_one("#dist-plot", AsciiPlot)
    if plot.display:
        parts.append(plot.render().plain)
    parts.append(view.query_one("#dist-notes").render().plain)
    return "\n".join(parts)


def shown_measures(text: str) -> dict[str, str]:
    found = re.search(
        r"H\(P\) = (\S+) (?:bits|nats)\s+H\(P,Q\) = (\S+) (?:bits|nats)\s+"
        r"KL\(P(?:‖|\|\|)Q\) = (\S+) (bits|nats)",
        text,
    )
    assert found, text
    return {"H(P)": found[1], "H(P,Q)": found[2], "KL": found[3], "units": found[4]}


# -- the numbers, without the app ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("problem", "loss"),
    [
        ("binary_classification", None),
        ("multiclass_classification", None),
        ("multiclass_classification", "sparse_categorical_cross_entropy"),
        ("soft_label_classification", "categorical_cross_entropy"),
    ],
)
def test_per_example_values_are_info_and_their_mean_is_the_validation_loss(problem, loss):
    trainer = trained(problem, loss=loss) if loss else trained(problem)
    data = classification_data(trainer)
    p, q = data.p[:, 0, :], data.q[:, 0, :]
    # The view takes log q from the logits (stable), info takes log of q: equal to rounding.
    np.testing.assert_allclose(data.h_pq[:, 0], info.cross_entropy_rows(p, q), rtol=1e-9)
    np.testing.assert_allclose(data.kl[:, 0], info.kl_rows(p, q), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(data.h_p[:, 0], info.entropy_rows(p), atol=1e-15)
    assert math.isclose(np.mean(data.example_h_pq()), val_loss(trainer), rel_tol=1e-12)
    assert math.isclose(data.val_loss, val_loss(trainer), rel_tol=1e-12)


def test_binary_p_is_one_minus_y_and_y():
    trainer = trained("binary_classification")
    data = classification_data(trainer)
    y = trainer.dataset.y_val[:, 0]
    np.testing.assert_array_equal(data.p[:, 0, 1], y)
    np.testing.assert_array_equal(data.p[:, 0, 0], 1.0 - y)
    np.testing.assert_allclose(data.q[:, 0, 1], trainer.predict(trainer.dataset.x_val)[:, 0])


def test_multilabel_is_one_bernoulli_per_label_averaged_as_the_loss_does():
    trainer = trained("multilabel_classification")
    data = classification_data(trainer)
    n, labels = trainer.dataset.y_val.shape
    assert data.p.shape == (n, labels, 2)
    for j in range(labels):
        np.testing.assert_allclose(
            data.h_pq[:, j], info.cross_entropy_rows(data.p[:, j], data.q[:, j]), rtol=1e-9
        )
    assert math.isclose(np.mean(data.example_h_pq()), val_loss(trainer), rel_tol=1e-12)


async def test_multilabel_shows_each_labels_own_q_present():
    # Lesson 6 sends the student here to see each label's Q(present) on its own.
    text = await shown_text(trained("multilabel_classification"))
    assert "Q(present)" in text


def test_kl_loss_is_the_mean_kl():
    trainer = trained("soft_label_classification")
    assert trainer.loss.name == "kl_divergence"
    data = classification_data(trainer)
    assert math.isclose(np.mean(data.example_kl()), val_loss(trainer), rel_tol=1e-9, abs_tol=1e-12)


def test_confident_predictions_keep_finite_cross_entropy():
    trainer = trained("binary_classification")
    trainer.model.flat_params[:] *= 400.0  # q rounds to 0 or 1 in float64; log q must not
    data = classification_data(trainer)
    assert np.all(np.isfinite(data.h_pq))
    assert math.isclose(np.mean(data.example_h_pq()), val_loss(trainer), rel_tol=1e-9)


def test_residual_scales_are_the_maximum_likelihood_fits():
    trainer = trained("regression")
    data = residual_data(trainer)
    r = trainer.dataset.y_val[:, 0] - trainer.predict(trainer.dataset.x_val)[:, 0]
    np.testing.assert_allclose(data.residuals, r)
    (gauss,) = data.curves
    assert gauss.name == "Gaussian"
    assert math.isclose(gauss.scale, np.sqrt(np.mean(r**2)))
    assert "0.3" in data.true_noise
    robust = residual_data(trained("robust_regression"))
    (laplace,) = robust.curves
    assert laplace.name == "Laplace"
    assert math.isclose(laplace.scale, np.mean(np.abs(robust.residuals)))
    huber = residual_data(trained("robust_regression", loss="huber"))
    assert [c.name for c in huber.curves] == ["Gaussian", "Laplace"]


def test_nll_curve_marks_sgd_estimate_and_closed_form_mle():
    trainer = trained("density_estimation", steps=40)
    curve = nll_curve(trainer)
    x = trainer.dataset.y_train[:, 0]
    theta = trainer.model.biases[0]
    assert curve.current == (theta[0], -np.mean(trainer.loss.log_pdf(x, theta)))
    assert math.isclose(curve.best[0], np.mean(x))
    assert curve.best[1] <= curve.current[1]
    assert curve.best[1] <= curve.nll.min() + 1e-12  # the MLE is the curve's lowest point
    mixture = nll_curve(trained("density_estimation", steps=40, loss="gaussian_mixture_nll"))
    assert mixture.param == "μ₁"
    assert mixture.closed_form is None


def test_golden_section_finds_a_parabolas_vertex():
    # f(t) = (t − 0.3)² + 1 is lowest at t = 0.3, where f = 1. Within ≈ 1e-8 of it f rounds
    # to 1 in float64 ((1e-8)² < ε), so no search on f's values places t closer than that.
    t, value = golden_section(lambda t: (t - 0.3) ** 2 + 1.0, 0.0, 1.0)
    assert math.isclose(t, 0.3, abs_tol=1e-7)
    assert math.isclose(value, 1.0, abs_tol=1e-15)


def test_the_lowest_point_is_found_between_grid_points():
    # A well of depth 1 and width 0.01 at t = 0.37, between the grid points 0.3 and 0.4: there
    # the grid sees only −exp(−4.5) ≈ −0.011 (at 0.4), the well's true bottom is −1 at 0.37.
    def f(t: float) -> float:
        return -math.exp(-((t - 0.37) ** 2) / (2 * 0.01**2))

    grid = np.linspace(0.0, 1.0, 11)
    values = np.array([f(t) for t in grid])
    assert math.isclose(values.min(), -math.exp(-4.5))
    t, value = lowest_on_curve(f, grid, values, (0.9, f(0.9)))
    assert math.isclose(t, 0.37, abs_tol=1e-6)
    assert math.isclose(value, -1.0, abs_tol=1e-9)


def test_the_lowest_point_is_never_above_the_anchor_or_the_grid():
    # On a slope the anchor's bracket is clipped to the grid; the lowest point is the grid's end.
    grid = np.linspace(0.0, 1.0, 5)
    t, value = lowest_on_curve(lambda t: t, grid, grid.copy(), (0.5, 0.5))
    assert (t, value) == (0.0, 0.0)
    # A non-finite grid value (a diverged density) counts as +∞, never as the lowest.
    values = np.array([np.nan, 2.0, 1.0, 2.0, 3.0])
    t, value = lowest_on_curve(lambda t: (t - 0.5) ** 2 + 1.0, grid, values, (0.6, 1.01))
    assert math.isclose(t, 0.5, abs_tol=1e-7)
    assert math.isclose(value, 1.0)


def mixture_collapse() -> Trainer:
    """The mixture_collapse preset (seed 2) trained until it converges (step 320)."""
    state = AppState()
    state.apply_preset("mixture_collapse")
    state.step(3000)
    assert state.trainer.converged
    return state.trainer


def test_mixture_collapse_lowest_point_is_not_above_the_sgd_estimate():
    # σ₁ ≈ 0.057 is under two grid steps (≈ 0.032): the grid's own minimum, −0.104 at
    # μ₁ = −1.713, sat above the SGD estimate's −0.107 at −1.720, which lies on the same curve.
    trainer = mixture_collapse()
    curve = nll_curve(trainer)
    assert curve.best[1] <= curve.current[1]
    assert curve.best[1] <= curve.nll.min()
    # The SGD estimate is a point of the curve: the other parameters are held at its values.
    assert curve.current in set(zip(curve.grid.tolist(), curve.nll.tolist(), strict=True))
    # SGD has converged, so the two agree to the three decimals shown.
    assert f"{curve.best[0]:.3f}" == f"{curve.current[0]:.3f}" == "-1.720"
    assert f"{curve.best[1]:.3f}" == f"{curve.current[1]:.3f}" == "-0.107"


# -- the widget ----------------------------------------------------------------------------------
async def test_view_shows_info_values_and_the_mean_equals_the_validation_loss():
    trainer = trained("binary_classification")
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(DistributionView)
        view.show(trainer)
        await pilot.press("right", "right", "j")  # example 4
        assert view.example == 3
        assert app.selected[-1] == 3
        await pilot.pause()
        data = classification_data(trainer)
        p, q = data.p[3, 0], data.q[3, 0]
        text = view_text(view)
        assert shown_measures(text) == {
            "H(P)": format_information(info.entropy(p, 2)),
            "H(P,Q)": format_information(info.cross_entropy(p, q, 2)),
            "KL": format_information(info.kl_divergence(p, q, 2)),
            "units": "bits",
        }
        assert "Validation example 4 of" in text

        view.units = "nats"
        await pilot.pause()
        text = view_text(view)
        assert shown_measures(text)["H(P,Q)"] == format_information(info.cross_entropy(p, q))
        loss = format_information(val_loss(trainer))
        assert (
            f"mean H(P,Q) over the {data.n} validation examples = {loss} nats = the validation "
            "loss, binary cross-entropy (log loss)"
        ) in " ".join(text.split())


async def test_keys_step_wrap_and_jump_to_the_worst_example():
    trainer = trained("multiclass_classification")
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(DistributionView)
        view.show(trainer)
        n = classification_data(trainer).n
        await pilot.press("left")
        assert view.example == n - 1
        await pilot.press("home")
        assert view.example == 0
        await pilot.press("w")
        worst = int(np.argmax(classification_data(trainer).example_kl()))
        assert view.example == worst
        view.select_example(10**6)
        assert view.example == n - 1


async def test_a_loss_that_is_not_cross_entropy_is_named_and_compared():
    text = await shown_text(trained("binary_classification", loss="hinge"))
    assert "trained with hinge loss" in text
    assert "for comparison" in text
    assert "sigmoid" in text


async def test_squared_error_outputs_outside_0_1_are_shown_before_they_are_clipped():
    # Q is the output clipped to [0, 1]; the view shows the output itself and how many leave it.
    trainer = trained(
        "binary_classification", steps=500, dataset="far_cluster", loss="mean_squared_error"
    )
    data = classification_data(trainer)
    outputs = trainer.predict(trainer.dataset.x_val)
    np.testing.assert_array_equal(data.outputs, outputs)
    outside = int(np.sum((outputs < 0) | (outputs > 1)))
    assert outside > 0
    assert int(np.sum(data.outside_unit())) == outside
    far = int(np.argmax(outputs[:, 0]))  # a far-cluster point, its output above 1
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(DistributionView)
        view.show(trainer)
        view.select_example(far)
        await pilot.pause()
        text = " ".join(view_text(view).split())
        assert f"Q predicted from ŷ = {outputs[far, 0]:.3g}" in text
        assert f"{outside} of the {data.n} examples have one outside [0, 1]" in text
    # Through a sigmoid the outputs are probabilities: nothing to show.
    assert classification_data(trained("binary_classification")).outputs is None
    assert not classification_data(trained("binary_classification")).outside_unit().any()


async def test_show_skips_work_when_nothing_changed(monkeypatch):
    calls = []
    real = dv_module.classification_data
    monkeypatch.setattr(
        dv_module, "classification_data", lambda t: calls.append(t.step_count) or real(t)
    )
    trainer = trained("binary_classification", steps=5)
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(DistributionView)
        view.show(trainer)
        view.show(trainer)
        await pilot.press("right")  # a new example redraws text, not the data
        view.show(trainer)
        assert calls == [5]
        trainer.step(1)
        view.show(trainer)
        assert calls == [5, 6]


@pytest.mark.parametrize("problem", ["regression", "count_regression", "density_estimation"])
async def test_plots_draw_in_ascii_with_only_ascii(problem):
    trainer = trained(problem)
    app = ViewApp(glyphs=ASCII)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(DistributionView)
        view.show(trainer)
        await pilot.pause()
        assert view.query_one("#dist-plot").display
        text = view_text(view)
        assert text.isascii(), [c for c in text if not c.isascii()]
        assert ("Residuals" in text) or ("negative log-likelihood" in text)


async def test_ascii_spells_an_indexed_parameter_as_the_rest_of_the_app_does():
    trainer = trained("density_estimation", steps=40, loss="gaussian_mixture_nll")
    app = ViewApp(glyphs=ASCII)
    async with app.run_test(size=(80, 30)) as pilot:
        view = app.query_one(DistributionView)
        view.show(trainer)
        await pilot.pause()
        text = view_text(view)
        # μ₁: "mu_1" here as in the formulas, the CLI and every other pane, never "mu1".
        assert to_ascii("μ₁") == "mu_1"
        assert "mu_1" in text
        assert "mu1" not in text


async def test_classification_text_in_ascii_is_ascii():
    trainer = trained("multilabel_classification")
    app = ViewApp(glyphs=ASCII)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(DistributionView)
        view.show(trainer)
        await pilot.pause()
        text = view_text(view)
        assert text.isascii()
        assert "KL(P||Q)" in text


async def test_a_diverged_run_is_explained_not_drawn():
    trainer = trained("regression", steps=200, lr=50.0)
    assert trainer.diverged
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(DistributionView)
        view.show(trainer)
        await pilot.pause()
        text = view_text(view)
        assert f"diverged at step {trainer.diverged_at_step}" in text


async def test_show_before_mount_draws_once_mounted():
    trainer = trained("regression")

    class EarlyApp(App):
        def compose(self) -> ComposeResult:
            view = DistributionView(glyphs=UNICODE)
            view.show(trainer)
            yield view

    app = EarlyApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(DistributionView)
        assert view.query_one("#dist-plot").display
        assert "Residuals y − ŷ" in view_text(view)


@pytest.mark.parametrize(
    "problem",
    [
        "binary_classification",
        "multiclass_classification",
        "multilabel_classification",
        "soft_label_classification",
    ],
)
async def test_the_panes_own_keys_are_on_screen_at_80x24(problem):
    trainer = trained(problem)
    app = ViewApp()
    # 80x24 less the status line, the tabs and the footer: the pane has 21 rows.
    async with app.run_test(size=(80, 21)) as pilot:
        view = app.query_one(DistributionView)
        view.show(trainer)
        await pilot.pause()
        lines = view.query_one("#dist-summary").render().plain.splitlines()
        keys = [i for i, line in enumerate(lines) if "j/k" in line and "w worst" in line]
        assert keys, lines[:4]
        assert keys[0] < 3, lines[:4]


async def test_a_small_kl_keeps_three_significant_digits_and_is_the_validation_loss():
    # The exactly fittable softmax data: its KL gets small, which is what this test needs.
    trainer = trained("soft_label_classification", steps=53, dataset="soft_softmax")
    evaluated = trainer.evaluate()["val_loss"]
    assert 1e-4 <= evaluated < 1e-2  # small enough that three decimals would show 0.00x
    app = ViewApp()
    async with app.run_test(size=(80, 40)) as pilot:
        view = app.query_one(DistributionView)
        view.units = "nats"
        view.show(trainer)
        await pilot.pause()
        text = " ".join(view_text(view).split())
        shown = format_information(evaluated)
        assert len(shown.replace("0.", "").lstrip("0")) == 3  # three significant digits
        # One number, in one unit, and it is the validation loss of the model as it is now.
        assert (
            f"mean KL(P‖Q) over the 150 validation examples = {shown} nats = the validation "
            "loss, KL divergence"
        ) in text
        assert "batch" not in text


async def test_a_narrow_pane_breaks_lines_between_values_not_inside_them():
    trainer = trained("multiclass_classification")
    app = ViewApp()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(DistributionView)
        view.show(trainer)
        await pilot.pause()
        lines = view.query_one("#dist-summary").render().plain.splitlines()
        assert any(line.strip().startswith("true: class") for line in lines)
        assert any(re.search(r"KL\(P‖Q\) = \S+ bits", line) for line in lines)
        assert not any(line.rstrip().endswith(("-", "bits =", "true:")) for line in lines)


async def test_w_picks_the_largest_kl_not_the_largest_cross_entropy_on_soft_labels():
    # With soft targets H(P) differs from example to example; the model controls only KL(P‖Q).
    trainer = trained("soft_label_classification", steps=30)
    data = classification_data(trainer)
    worst_kl, worst_h_pq = int(np.argmax(data.example_kl())), int(np.argmax(data.example_h_pq()))
    assert worst_kl != worst_h_pq  # the two readings disagree on this data
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(DistributionView)
        view.show(trainer)
        await pilot.press("w")
        assert view.example == worst_kl


async def test_mixture_collapse_marks_and_legend_show_whole_at_80x24():
    app = LossApp(preset="mixture_collapse")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.state.step(3000)  # stops where it converges, step 320, as the f key does
        await pilot.press("4")
        await pane_ready(pilot, app, "distributions")
        rows = screen_text(app).splitlines()
        curve = nll_curve(app.state.trainer)
        step = app.state.trainer.step_count
        legend = [
            f"● SGD estimate after {step} steps: μ₁ = -1.720, NLL = -0.107",
            "▲ lowest NLL (no closed form for a mixture): μ₁ = -1.720, NLL = -0.107",
        ]
        for line in legend:  # each on one row: nothing wraps
            assert any(row.strip() == line for row in rows), rows
        assert f"{curve.best[1]:.3f}" == "-0.107"
        # In the plot (rows with a y axis, │ or ┤ at a tick), ▲ sits under ● in the same column.
        plot = [row for row in rows if "│" in row or "┤" in row]
        dots = [(i, row.index("●")) for i, row in enumerate(plot) if "●" in row]
        peaks = [(i, row.index("▲")) for i, row in enumerate(plot) if "▲" in row]
        assert len(dots) == len(peaks) == 1, plot
        assert peaks[0][1] == dots[0][1]
        assert peaks[0][0] > dots[0][0]


# -- a Q the model does not output itself ----------------------------------------------------------
def shown_q(rows: list[str], names: tuple[str, ...]) -> list[float]:
    """The Q column of the pane's class rows: the second probability on each class's row."""
    found = []
    for row in rows:
        parts = row.split()
        if parts and parts[0] in {name.split()[0] for name in names}:
            numbers = re.findall(r"\d\.\d{3}", row)
            found.append(float(numbers[1]))
    return found


async def test_double_softmax_shows_the_distribution_its_loss_scores_at_80x24():
    # The preset's text: the second softmax caps every probability at e/(e + 2) ≈ 58%.
    app = LossApp(preset="double_softmax")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.state.apply({"loss": "double_softmax_cross_entropy"})
        app.state.step(400)
        await pilot.press("4")
        await pane_ready(pilot, app, "distributions")
        trainer = app.state.trainer
        cap = math.e / (math.e + 2.0)
        logits = trainer.logits(trainer.dataset.x_val)
        per_example = trainer.loss.per_sample(np.eye(3)[trainer.dataset.y_val], logits)
        worst = int(np.argmax(classification_data(trainer).example_kl()))
        for index in (0, worst):
            if index:
                await pilot.press("w")  # the worst example: the cap holds there too
                await pilot.pause()
            assert app.state.example == index
            text = screen_text(app)
            rows = text.splitlines()
            q = shown_q(rows, classification_data(trainer).outcome_names)
            assert len(q) == 3
            assert max(q) <= round(cap, 3)
            assert sum(q) == pytest.approx(1, 0.01)
            assert shown_measures(text)["H(P,Q)"] == format_information(
                per_example[index] / math.log(2.0)
            )
            flat = " ".join(text.split())
            assert "= the validation loss, cross-entropy after a softmax layer (a trap)" in flat
            assert "no Q can pass e/(e + 2) = 0.576" in flat
            s = classification_data(trainer).before_q[index]
            assert f"Softmax layer's outputs s = {' '.join(f'{v:.3f}' for v in s)}" in flat
            assert "other targets" not in flat


async def test_sigmoids_on_one_of_k_show_their_sums_and_the_division():
    app = LossApp(setup="problem=multiclass_classification loss=binary_cross_entropy")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.state.step(1000)
        await pilot.press("4")
        await pane_ready(pilot, app, "distributions")
        trainer = app.state.trainer
        sigmoids = trainer.predict(trainer.dataset.x_val)
        sums = sigmoids.sum(axis=1)
        flat = " ".join(screen_text(app).split())
        total = f"{sums[0]:.3f}"
        shown = " ".join(f"{v:.3f}" for v in sigmoids[0])
        assert f"Sigmoid outputs {shown} sum to {total}: Q = them / {total}." in flat
        # The Recommendation's "about 0.3 to 1.8", as the pane prints it.
        assert f"the sums run from {sums.min():.3g} to {sums.max():.3g}" in flat
        assert f"{sums.min():.1f} {sums.max():.1f}" == "0.3 1.8"
        assert "Q here is them divided by their sum" in flat
        # Trained on the same one-hot targets the pane shows: no "other targets".
        assert "other targets" not in flat
        assert "for comparison" in flat
        q = shown_q(screen_text(app).splitlines(), classification_data(trainer).outcome_names)
        np.testing.assert_allclose(q, sigmoids[0] / sums[0], atol=5e-4)


def test_other_targets_are_named_only_where_the_loss_trained_on_other_targets():
    hard = classification_data(
        trained("soft_label_classification", loss="sparse_categorical_cross_entropy")
    )
    assert hard.other_targets
    for problem, loss in [
        ("soft_label_classification", "binary_cross_entropy"),
        ("soft_label_classification", "categorical_cross_entropy"),
        ("multiclass_classification", "binary_cross_entropy"),
        ("multiclass_classification", "sparse_categorical_cross_entropy"),
    ]:
        assert not classification_data(trained(problem, loss=loss)).other_targets, (problem, loss)


async def test_sparse_labels_on_soft_targets_are_said_to_be_other_targets():
    trainer = trained("soft_label_classification", loss="sparse_categorical_cross_entropy")
    text = await shown_text(trainer, size=(80, 40))
    assert "on other targets, each example's most likely class" in text


async def test_the_closed_form_mark_sits_just_under_the_nll_curves_lowest_point():
    # The legend puts ▲ at the curve's lowest NLL; drawn rows below it, it reads as another value.
    # At 80x24, then on a terminal resized to 120x40.
    from losstui.tui.app import LossApp
    from tests.app_helpers import pane_ready, screen_text

    app = LossApp(problem="density_estimation")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.state.step(200)  # SGD has converged: ● at the curve's lowest point
        await pilot.press("4")
        await pane_ready(pilot, app, "distributions")
        await pilot.pause()
        for size in ((80, 24), (120, 40)):
            if size != (80, 24):
                await pilot.resize_terminal(*size)
                await pilot.pause()
            rows = screen_text(app).splitlines()
            assert len(rows) == size[1]
            plotted = [i for i, row in enumerate(rows) if "┤" in row or "│" in row]
            point = next(i for i in plotted if "●" in rows[i])
            mark = next(i for i in plotted if "▲" in rows[i])
            assert 1 <= mark - point <= 2, (size, point, mark)
