"""A race: 2 to 4 runs that differ in one setting, on the same data, from the same initial weights
where their shapes agree and with the same minibatch order, stepped together on one clock.

Runs share their data, start and order because a run's data, initial weights and shuffles are
seeded by its configuration's seed alone (`Trainer.reset`): runs whose configurations differ in
the learning rate, the loss or the momentum start from the very same weights. `Race` (the raced
setting and each run's value) is a value of the settings schema, so a setup line, a snapshot and
the command line read it the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from losstui.core.configuration import configure
from losstui.core.problems import recommend
from losstui.core.run import Run
from losstui.core.settings import MAX_RUNS, SETTINGS, Race, SettingError
from losstui.core.tasks import DataShape, check_pairing
from losstui.core.trainer import TrainConfig

#: Raced settings whose values name themselves (a loss's key, a model's kind).
_NAMED_BY_VALUE = ("loss", "model")


def race_configs(base: TrainConfig, race: Race) -> list[TrainConfig]:
    """Each run's configuration: `base` with the raced setting set to the run's value, by the
    rules of `configure` (SettingError, prefixed "race:", when a value cannot go with `base`:
    a loss that cannot train on the data)."""
    # Hidden sizes raced are an MLP's, even sizes equal to a linear model's unused ones.
    model = {"model": "mlp"} if race.key == "hidden" else {}
    try:
        return [configure(base, {**model, race.key: value}) for value in race.values]
    except SettingError as error:
        raise SettingError(f"race: {error}") from None


#: The learning rates "Race learning rates" races: three decades below the usual 0.1 to 1, where
#: plain SGD on most of the catalogue's problems overshoots.
LEARNING_RATES = (0.001, 0.01, 0.1, 1.0)


def learning_rate_race() -> Race:
    """The race of the learning rates 0.001, 0.01, 0.1 and 1."""
    return Race("lr", LEARNING_RATES)


def alternatives_race(problem: str, loss: str, data: DataShape) -> Race:
    """The race of `loss` (the run's) against the recommended loss of `problem` and the
    alternatives its recommendation lists, in that order, without repeats: only losses that can
    train on `data` (`check_pairing`), at most MAX_RUNS. SettingError when fewer than two are
    left (density estimation with a one-bump loss, say)."""
    rec = recommend(problem)
    candidates = [loss, rec.loss, *(alt.loss for alt in rec.alternatives)]
    chosen: list[str] = []
    for key in candidates:
        if key not in chosen and check_pairing(key, data) is None:
            chosen.append(key)
    if len(chosen) < 2:
        raise SettingError(
            f"race: the recommendation for {problem} lists no other loss that can train on "
            "this data"
        )
    return Race("loss", tuple(chosen[:MAX_RUNS]))


def race_label(race: Race | None, index: int) -> str:
    """What sets run `index` apart ("lr 0.1", "huber"); "" for a run on its own."""
    if race is None:
        return ""
    value = SETTINGS[race.key].format(race.values[index])
    # A loss or a model names itself; a number needs its setting's name beside it.
    return value if race.key in _NAMED_BY_VALUE else f"{race.key} {value}"


def make_runs(configs: Sequence[TrainConfig], race: Race | None) -> list[Run]:
    """A run at step 0 for each configuration (`race_configs`'s, or the one of a run on its
    own), labelled with what sets it apart in `race`."""
    return [Run(config, label=race_label(race, i)) for i, config in enumerate(configs)]


def step_runs(runs: Sequence[Run], n: int) -> int:
    """One tick of the clock: up to n steps of each run that has not stopped. Returns the most
    steps any run took (0 once every run has stopped), so runs stay at the same step until one
    stops."""
    return max((run.step(n) for run in runs if not run.stopped), default=0)


def all_stopped(runs: Sequence[Run]) -> bool:
    """Whether every run has stopped (diverged, or ended by the stop rule)."""
    return all(run.stopped for run in runs)
