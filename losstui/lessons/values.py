"""Live values of a lesson: what its conditions test and its placeholders quote, read from the
app state and formatted as the app shows them."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from losstui.core.settings import PANES, SETTINGS
from losstui.core.text import METRIC_TITLES, format_information, format_loss, format_metric
from losstui.lessons.language import (
    INFORMATION,
    NAMES,
    NUMBERS,
    PLACEHOLDER,
    RUN_NAMES,
    TRAINED,
    Condition,
    run_key,
    run_name,
)

if TYPE_CHECKING:
    from losstui.core.run import RunView
    from losstui.core.state import AppState

#: Density values written as the Distributions pane writes its fit: "μ̂ = 1.500".
_THREE_DECIMALS = ("mu", "sigma", "sample_mean", "sample_std")


def lesson_values(state: AppState) -> dict[str, Any]:
    """What conditions test and placeholders quote, read from an `AppState`: every setting,
    the selected run's epoch, losses and metrics (NaN where the task has none), the clock's
    step, the flags, the P/Q lab's measures in the state's units, for density data the fit
    against its closed form (`density_values`), and in a race each run's own (`race_values`)."""
    from losstui.core import info

    out: dict[str, Any] = dict(state.values())
    out.update({name: math.nan for name in NUMBERS})
    out.update(trained(state.run))
    out.update(step=state.step_count, running=state.running, paused=not state.running)
    out.update(info.PQMeasures.of(state.pq_p, state.pq_q, state.units).values())
    out.update(race_values(state))
    return out


def trained(run: RunView) -> dict[str, Any]:
    """What training moves, for one run: its step, epoch, losses, metrics, whether it diverged,
    and for density data its fit (`density_values`)."""
    out: dict[str, Any] = dict(run.evaluate())
    out.update(step=run.step_count, epoch=run.epoch, diverged=run.diverged)
    out.update(density_values(run))
    return out


def race_values(state: AppState) -> dict[str, Any]:
    """In a race, each run's own values under `run_key`: `run2.accuracy` (what training moves,
    NaN where the task has none), `run2.loss` (its training settings), and under `run2` what
    sets it apart: a raced loss by its title ("Mean squared error"), another setting as the
    Race pane labels the run ("lr 0.1", "mlp"). {} for one run."""
    race = state.race
    if race is None:
        return {}
    out: dict[str, Any] = {}
    for i, run in enumerate(state.runs, start=1):
        config = run.config
        own: dict[str, Any] = {name: math.nan for name in RUN_NAMES & set(NUMBERS)}
        own.update({key: getattr(config, key) for key in RUN_NAMES & set(SETTINGS)})
        own.update(trained(run))
        out.update({run_key(i, name): value for name, value in own.items()})
        out[run_key(i, "")] = setting_title(race.key, race.values[i - 1]) or run.label
    return out


def density_values(run: RunView) -> dict[str, float]:
    """For density data, the training samples x₁ … xₙ against one Gaussian:

    sample_mean = μ̂ = (1/n) Σᵢ xᵢ,   sample_std = σ̂ = √((1/n) Σᵢ (xᵢ − μ̂)²)   (divide by n),
    sample_nll = −(1/n) Σᵢ log N(xᵢ; μ̂, σ̂²) = ½ log 2π + log σ̂ + ½   (the lowest NLL any one
    Gaussian reaches on them), and while the loss is the Gaussian NLL, the SGD estimate `mu`
    and `sigma`. Names that do not apply are left out (they read as not a number); {} for data
    that are not samples."""
    from losstui.core.tasks import get_task

    if get_task(run.dataset.kind).supervised:
        return {}
    from losstui.core.losses import GaussianNLL, gaussian_mle

    x = run.dataset.y_train
    mean, std = gaussian_mle(x)
    out = {"sample_mean": mean, "sample_std": std}
    gaussian = GaussianNLL()
    closed = gaussian.closed_form(x)
    if closed is not None:
        out["sample_nll"] = float(-np.mean(gaussian.log_pdf(x, closed)))
    if run.loss.name == gaussian.name:
        mu, sigma = run.predict(np.empty((1, 0)))[0]
        out.update(mu=float(mu), sigma=float(sigma))
    return out


#: Panes by the names their tabs show.
PANE_TITLES = {
    "problem": "Problem",
    "recommendation": "Recommendation",
    "train": "Train",
    "distributions": "Distributions",
    "pq_lab": "P/Q lab",
    "lessons": "Lessons",
}


def setting_title(name: str, value: Any) -> str | None:
    """A setting whose key is not what the app shows, as the app shows it: the loss, problem
    and dataset by their titles ("Mean squared error", not `mean_squared_error`), the pane by
    its tab; None for the others (the app shows them as the setup line writes them)."""
    from losstui.core.datasets import DATASETS
    from losstui.core.losses import LOSSES
    from losstui.core.problems import PROBLEMS

    registries: dict[str, Mapping[str, Any]] = {
        "loss": LOSSES,
        "problem": PROBLEMS,
        "dataset": DATASETS,
    }
    registry = registries.get(name, {})
    if value in registry:
        return str(registry[value].title)
    if name == "pane" and value in PANE_TITLES:
        return PANE_TITLES[value]
    return None


def format_value(name: str, value: Any, units: str = "bits") -> str:
    """A value as the app shows it: losses to four significant figures, metrics as the stats
    line writes them, information measures with their units, the loss, problem, dataset and
    pane by their titles (`setting_title`), other settings as in the setup line."""
    if name in SETTINGS:
        title = setting_title(name, value)
        return SETTINGS[name].format(value) if title is None else title
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, (int, float)):
        return str(value)
    if name == "step":  # as the stats line and the status line write it: "step 1060"
        return str(int(value))
    if name == "epoch":
        return f"{value:.1f}"
    if isinstance(value, float) and math.isnan(value):
        return "n/a"
    if name in INFORMATION:
        return f"{format_information(value)} {units}"
    if name in _THREE_DECIMALS:
        return f"{value:.3f}"
    if name in ("train_loss", "val_loss"):
        return format_loss(value)
    return format_metric(name, value)


#: How a condition's name reads in "> goes on once …", where it is not a metric or a setting.
_SUBJECTS = {
    "step": "the step",
    "epoch": "the epoch",
    "train_loss": "the training loss",
    "val_loss": "the validation loss",
    "h_p": "H(P)",
    "h_q": "H(Q)",
    "h_pq": "H(P,Q)",
    "h_qp": "H(Q,P)",
    "kl_pq": "KL(P‖Q)",
    "kl_qp": "KL(Q‖P)",
    "js": "JS(P,Q)",
    "mu": "μ",
    "sigma": "σ",
    "sample_mean": "the sample mean",
    "sample_std": "the sample standard deviation",
    "sample_nll": "the best Gaussian's NLL",
}
_COMPARISONS = {
    "<": "below",
    "<=": "at most",
    ">": "above",
    ">=": "at least",
    "==": "",
    "!=": "not",
}
_FLAGS = {
    "diverged": "the run has diverged",
    "running": "training runs (space)",
    "paused": "training is paused (space)",
}


def waiting_for(condition: Condition, values: Mapping[str, Any]) -> str:
    """A step's `wait` in words, with the value it has now, to finish "> goes on once …":
    `val_loss < 0.09` → "the validation loss is below 0.09 (now 0.1213)", `diverged` → "the
    run has diverged", `pane == distributions` → "the Distributions pane is open (4)". Combined
    conditions read as their parts joined: `step >= 300 and accuracy > 0.9` → "the step is at
    least 300 (now 12) and accuracy is above 90.0% (now 51.0%)"; an `and` inside an `or` is
    set off by commas: "A and B, or C"."""
    if condition.parts:
        words = [waiting_for(part, values) for part in condition.parts]
        if condition.join == "or" and any(part.join == "and" for part in condition.parts):
            return ", or ".join(words)
        return f" {condition.join} ".join(words)
    name, value = condition.name, condition.value
    if condition.run is not None:
        return _of_run(condition, values)
    if condition.op is None:
        return _FLAGS.get(name, name.replace("_", " "))
    if name == "pane" and condition.op == "==" and value in PANES:
        title = "P/Q lab" if value == "pq_lab" else f"{str(value).capitalize()} pane"
        return f"the {title} is open ({PANES.index(value) + 1})"
    if name == "units" and condition.op == "==":
        return f"the units are {value} (u)"
    units = str(values.get("units", "bits"))
    if name in _SUBJECTS:
        subject = _SUBJECTS[name]
    elif name in METRIC_TITLES:
        subject = METRIC_TITLES[name]
    elif name in SETTINGS:
        subject = f"the {SETTINGS[name].label}"
    else:
        subject = name.replace("_", " ")
    comparison = _COMPARISONS[condition.op]
    wanted = " ".join(w for w in (comparison, format_value(name, value, units)) if w)
    text = f"{subject} is {wanted}"
    now = values.get(name)
    if isinstance(now, (int, float)) and not isinstance(now, bool) and math.isfinite(now):
        text += f" (now {format_value(name, now, units)})"
    return text


def _of_run(condition: Condition, values: Mapping[str, Any]) -> str:
    """A condition on one run of a race in words, with that run's value now: "run 2 (Mean
    squared error): accuracy is above 90.0% (now 51.0%)"."""
    assert condition.run is not None
    own = replace(condition, run=None)
    words = waiting_for(own, {**values, own.name: values.get(condition.key)})
    label = values.get(run_key(condition.run, ""))
    return f"run {condition.run}{f' ({label})' if label else ''}: {words}"


#: A title's closing parenthesis: "(δ = 1)", "(a trap)".
_OWN_PARENTHESIS = re.compile(r"\s*\([^()]*\)\Z")


def kept_text(name: str, values: Mapping[str, Any]) -> str:
    """The value `name` has in `values`, kept to be quoted later: as the app shows it, and for a
    value training moves (see TRAINED), followed by the run it was measured on, so that a later
    step that quotes it beside another run's numbers cannot pass it off as theirs: "0.8123 (Mean
    squared error)". The run is named by its loss's title, without a parenthesis of its own
    ("Huber loss", not "Huber loss (δ = 1)"). A setting, or a P/Q lab measure, reads alone. One
    run's value in a race (`run2.accuracy`) is named by that run's loss."""
    ran = run_name(name)
    base, loss = (name, "loss") if ran is None else (ran[1], run_key(ran[0], "loss"))
    shown = format_value(base, values.get(name, math.nan), str(values.get("units", "bits")))
    if base not in TRAINED:
        return shown
    run = setting_title("loss", values.get(loss)) or str(values.get(loss))
    return f"{shown} ({_OWN_PARENTHESIS.sub('', run)})"


def fill(prose: str, values: Mapping[str, Any]) -> str:
    """`prose` with each `{name}` replaced by its value in `values`: a live value formatted as
    the app shows it, or a kept value's text (a str under a name that is not a live value's)."""
    units = str(values.get("units", "bits"))

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        ran = run_name(name) if name.startswith("run") else None
        if ran is not None and ran[1]:  # one run's value: as the app shows the name's
            return format_value(ran[1], values[name], units)
        if name not in NAMES:  # a kept value, or what sets a run apart: as it is
            return str(values[name])
        return format_value(name, values[name], units)

    return PLACEHOLDER.sub(one, prose)
