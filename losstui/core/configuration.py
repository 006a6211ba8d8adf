"""One path from settings to a training configuration, for the app, `train`, presets and lessons.

`configure(config, changes)` applies parsed setting values to a TrainConfig with the rules that
follow from them, so that the same words give the same run wherever they are typed:

    a dataset must be one of the problem's (or a user's dataset of the same kind);
    a new dataset brings the model that suits it, unless the same change names a model;
    hidden layers asked of a linear model ask for an MLP, unless the change names the model;
    the model must be one the task offers;
    a loss asked for must be able to train on the dataset; a new dataset the loss cannot train
    on brings the problem's recommended loss.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from losstui.core.datasets import DATASETS, dataset_names
from losstui.core.losses import LOSSES
from losstui.core.problems import PROBLEMS, recommend
from losstui.core.settings import SettingError
from losstui.core.tasks import check_pairing, get_task
from losstui.core.trainer import TrainConfig

#: Settings that shape an MLP's hidden layers: asking for them asks for an MLP.
_MLP_KEYS = ("hidden", "hidden_activation")


class PairingError(SettingError):
    """A loss asked for cannot train on the dataset; `reason` says why without naming the loss
    (`check_pairing`'s words), for a caller that names it its own way."""

    def __init__(self, loss: str, reason: str) -> None:
        super().__init__(f"{LOSSES[loss].title} cannot run here: {reason}")
        self.reason = reason


def datasets_for(problem: str) -> tuple[str, ...]:
    """The datasets `problem` trains on: its own, then any added at run time of the same kind."""
    own = tuple(PROBLEMS[problem].datasets)
    built_in = {name for p in PROBLEMS.values() for name in p.datasets}
    added = (k for k in dataset_names(DATASETS[own[0]].kind) if k not in built_in)
    return own + tuple(added)


def configure(config: TrainConfig, changes: Mapping[str, Any]) -> TrainConfig:
    """`config` with `changes` (parsed values of training settings, the problem excluded)
    applied by the rules above; SettingError (one line) when they cannot go together."""
    named = set(changes)  # what was asked for, changed or not: it overrides what follows
    changes = {k: v for k, v in changes.items() if getattr(config, k) != v}
    if not changes:
        return config
    if "dataset" in changes:
        datasets = datasets_for(config.problem)
        if changes["dataset"] not in datasets:
            raise SettingError(
                f"unknown dataset {changes['dataset']!r}; allowed: {', '.join(datasets)}"
            )
        if "model" not in named:
            changes["model"] = DATASETS[changes["dataset"]].suggested_model
    model = changes.get("model", config.model)
    if any(k in changes for k in _MLP_KEYS) and model != "mlp":
        if "model" in named:
            raise SettingError(
                f"hidden sizes and the hidden activation apply to model=mlp, not {model!r}"
            )
        changes["model"] = "mlp"
    data = DATASETS[changes.get("dataset", config.dataset)]
    if "model" in changes:
        models = get_task(data.kind).models
        if changes["model"] not in models:
            allowed = ", ".join(models)
            raise SettingError(f"model must be one of {allowed}, got {changes['model']!r}")
    if "loss" in changes:
        reason = check_pairing(changes["loss"], data)
        if reason:
            raise PairingError(changes["loss"], reason)
    elif "dataset" in changes and check_pairing(config.loss, data) is not None:
        changes["loss"] = recommend(config.problem).loss
    return config.replace(**changes)


def configure_whole(problem: str, settings: Mapping[str, Any]) -> TrainConfig:
    """The configuration `settings` give in full (every training setting but the problem, as a
    snapshot holds them): taken as it is, checked by the rules of `configure` for what makes a
    run possible. Unlike a change, a whole configuration asks nothing of the hidden layers: a
    linear model keeps the sizes it carries (unused), as the state that was saved had them."""
    rest = {k: v for k, v in settings.items() if k not in _MLP_KEYS}
    config = configure(TrainConfig.default_for(problem), rest)
    return config.replace(**{k: v for k, v in settings.items() if k in _MLP_KEYS})
