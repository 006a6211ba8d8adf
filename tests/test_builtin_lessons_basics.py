"""The built-in lessons 1 to 4: each checks clean, every claim its prose makes about the run
holds with its own settings and seed (replayed through `LessonRun` on an `AppState`), and a
student walks it by keyboard at 80x24 from the first step to the last."""

from __future__ import annotations

import math

from losstui.core.state import AppState
from losstui.lessons.values import fill, lesson_values


def test_density_values_are_the_closed_form_fit_of_the_training_samples():
    state = AppState("density_estimation")
    state.apply({"batch_size": 300})
    x = state.trainer.dataset.y_train[:, 0]
    # By hand: the mean, the standard deviation dividing by n, and the mean Gaussian NLL at
    # them, which is ½ log 2π + log σ̂ + ½ because the mean squared deviation is σ̂².
    mean = sum(x) / len(x)
    std = math.sqrt(sum((v - mean) ** 2 for v in x) / len(x))
    values = lesson_values(state)
    assert math.isclose(values["sample_mean"], mean, rel_tol=1e-12)
    assert math.isclose(values["sample_std"], std, rel_tol=1e-12)
    nll = 0.5 * math.log(2 * math.pi) + math.log(std) + 0.5
    assert math.isclose(values["sample_nll"], nll, rel_tol=1e-12)
    # SGD starts from μ = 0, σ = 1, and full-batch steps land on the closed form.
    assert (values["mu"], values["sigma"]) == (0.0, 1.0)
    state.step(200)
    values = lesson_values(state)
    assert abs(values["mu"] - mean) < 1e-3 and abs(values["sigma"] - std) < 1e-3
    assert fill("{mu} {sigma} {sample_mean} {sample_std}", values) == (
        f"{mean:.3f} {std:.3f} {mean:.3f} {std:.3f}"
    )
    # A mixture has no μ and σ of its own; data that are not samples have none of these.
    state.apply({"dataset": "mixture_samples", "loss": "gaussian_mixture_nll"})
    assert fill("{mu} {sample_std}", lesson_values(state)).startswith("n/a ")
    assert fill("{sample_mean}", lesson_values(AppState())) == "n/a"
