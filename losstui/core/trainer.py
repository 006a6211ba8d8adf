"""A steppable SGD training run with a bounded, thinned history and divergence detection."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from losstui.core.datasets import DATASETS, Dataset, get_dataset_spec, make_dataset, targets_for
from losstui.core.losses import LOSSES, Loss
from losstui.core.models import make_model
from losstui.core.numerics import Array
from losstui.core.problems import PROBLEMS, get_problem, recommend
from losstui.core.settings import SETTINGS, SettingError
from losstui.core.sgd import SGD
from losstui.core.tasks import check_pairing, get_task, n_outputs

#: The recommended loss of each problem, as `problems.recommend` gives it.
DEFAULT_LOSS: dict[str, str] = {key: recommend(key).loss for key in PROBLEMS}

#: Learning rates with which each problem's recommended loss settles within a few hundred steps
#: at momentum 0.9 and batch 32. MSLE and MAE take steps of bounded size, hence larger rates.
DEFAULT_LR: dict[str, float] = {
    "regression": 0.02,
    "robust_regression": 0.02,
    # 0.5 pushed a quarter of the points into squared log error's dead zone (z ≤ 0, no
    # gradient) and made the validation loss swing; 0.1 keeps them all out.
    "wide_range_regression": 0.1,
    "count_regression": 0.01,
    "binary_classification": 0.05,
    "multiclass_classification": 0.05,
    "multilabel_classification": 0.05,
    "soft_label_classification": 0.05,
    "density_estimation": 0.02,
}

MAX_RECORDS = 2000
DEFAULT_RECORD_EVERY = 20
#: Records are spaced by the data size: an evaluation passes every sample forward, so it comes
#: once per about RECORD_BATCHES minibatches' worth of samples (every DEFAULT_RECORD_EVERY steps
#: for the built-in sets), and a step costs the same at 1,000 and 100,000 samples.
RECORD_BATCHES = 40
#: Between sparse records, the loss of the last minibatch is checked this often, so a diverging
#: run on large data stops within this many steps of exploding.
CHECK_EVERY = DEFAULT_RECORD_EVERY
#: The stop rule's improvement: a validation loss lower by this share of the best so far.
PLATEAU_GAIN = 1e-3
#: ... but never by less than PLATEAU_GAIN of this share of the first validation loss: a loss
#: that creeps towards 0 (a loss that lost a term, falling like 1/t) improves by 0.1% of itself
#: for hundreds of thousands of steps, and a student sees a flat curve long before that.
PLATEAU_FLOOR = 1e-2
#: Config fields that decide where a run ends, not what it computes: changing them can keep the
#: run (`Trainer.keeps_run`).
STOP_KEYS = ("patience",)
#: Numbers of hidden activations one evaluation chunk may hold (about 16 MB of float64).
EVAL_CELLS = 2**21
#: Divergence: a loss above EXPLOSION_LIMIT, or above EXPLOSION_FACTOR × the initial loss (and
#: above EXPLOSION_FACTOR), stops the run.
EXPLOSION_LIMIT = 1e8
EXPLOSION_FACTOR = 1e2
#: A run that starts with weights above the usual scale and diverges within this many steps
#: blew up from its start: the divergence names the initial scale, not the learning rate.
EARLY_DIVERGENCE = 5


def _problem_kind(problem: str) -> str:
    return get_problem(problem).kind


#: The most bytes of data the cache keeps besides the dataset last asked for (a new seed of a
#: million-sample set is about 170 MB: each `g` would otherwise keep one more).
CACHE_BYTES = 200e6
_cache: dict[tuple[str, int, int | None], Dataset] = {}


def _nbytes(ds: Dataset) -> int:
    return sum(a.nbytes for a in (ds.x_train, ds.y_train, ds.x_val, ds.y_val) if a is not None)


def cached_dataset(name: str, seed: int, n: int | None) -> Dataset:
    """`make_dataset(name, seed, n)`, memoised; its arrays are read-only so sharing is safe.

    The least recently used datasets leave the cache once it holds more than CACHE_BYTES
    besides the one just asked for."""
    key = (name, seed, n)
    ds = _cache.pop(key, None)
    if ds is None:
        ds = make_dataset(name, seed, n)
        for a in (ds.x_train, ds.y_train, ds.x_val, ds.y_val):
            if a is not None:
                a.flags.writeable = False
    _cache[key] = ds  # last: the most recently used
    held = sum(_nbytes(d) for d in _cache.values()) - _nbytes(ds)
    for old in list(_cache)[:-1]:
        if held <= CACHE_BYTES:
            break
        held -= _nbytes(_cache.pop(old))
    return ds


def default_record_every(n_total: int, batch_size: int) -> int:
    """Steps between two records of a run on `n_total` samples in batches of `batch_size`.

    An evaluation passes the whole dataset forward, which costs one to three minibatch steps at
    the built-in sizes; recording every 20 steps keeps that near a tenth of the run's time, and
    spacing records by the data size keeps it there for large data."""
    per_record = RECORD_BATCHES * max(batch_size, 32)
    return DEFAULT_RECORD_EVERY * max(1, -(-n_total // per_record))


@dataclass(frozen=True)
class TrainConfig:
    """Everything that defines a training run; the same config gives the same run, bit for bit.

    `seed` seeds the dataset, the initial weights and the minibatch order (separate streams).
    `model` is "linear" or "mlp" (density estimation has no inputs: its "linear" model is the
    density's parameters). `init` None picks He for ReLU, Xavier otherwise; `init_scale`
    multiplies the initial weights' standard deviation (large: a saturated, confident start).
    Invalid values raise ValueError with one line naming the value and what is allowed; no data
    is made to check them.
    """

    problem: str
    dataset: str
    loss: str
    model: str = "linear"
    hidden: tuple[int, ...] = (16,)
    hidden_activation: str = "tanh"
    lr: float = 0.05
    momentum: float = 0.9
    batch_size: int = 32
    weight_decay: float = 0.0
    seed: int = 0
    n_samples: int | None = None
    init: str | None = None
    init_scale: float = 1.0
    patience: int = 0

    def __post_init__(self) -> None:
        # Each value through its setting (one message per bad value, as everywhere), then the
        # rules between them: the dataset suits the problem, the model suits the task, the loss
        # can train on the data. No data is made.
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is not None or f.name not in ("n_samples", "init"):
                object.__setattr__(self, f.name, SETTINGS[f.name].check(value))
        task = get_task(_problem_kind(self.problem))
        spec = get_dataset_spec(self.dataset)
        if not task.trains_on(spec.kind):
            fits = ", ".join(k for k, s in DATASETS.items() if task.trains_on(s.kind))
            raise SettingError(
                f"dataset {self.dataset!r} is {spec.kind} data, not for "
                f"{self.problem}; allowed: {fits}"
            )
        models = get_task(spec.kind).models
        if self.model not in models:
            raise SettingError(
                f"model {self.model!r} does not fit {self.problem}; allowed: {', '.join(models)}"
            )
        reason = check_pairing(self.loss, spec)
        if reason is not None:
            raise SettingError(reason)

    @classmethod
    def default_for(cls, problem: str) -> TrainConfig:
        """The recommended setup for `problem`: its recommended loss, its default dataset, the
        model that suits that dataset, a learning rate that settles quickly, momentum 0.9 and
        batch size 32."""
        _problem_kind(problem)  # ValueError for an unknown problem
        loss = DEFAULT_LOSS[problem]
        dataset = PROBLEMS[problem].default_dataset
        return cls(
            problem=problem,
            dataset=dataset,
            loss=loss,
            model=DATASETS[dataset].suggested_model,
            lr=DEFAULT_LR.get(problem, 0.05),
            momentum=0.9,
            batch_size=32,
        )

    def replace(self, **changes: Any) -> TrainConfig:
        """A copy with `changes` applied and validated (ValueError for unknown settings)."""
        names = [f.name for f in dataclasses.fields(self)]
        unknown = [k for k in changes if k not in names]
        if unknown:
            raise ValueError(f"unknown setting {unknown[0]!r}; allowed: {', '.join(names)}")
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        """The settings as plain JSON-ready values."""
        d = dataclasses.asdict(self)
        d["hidden"] = list(self.hidden)
        return d


@dataclass(frozen=True)
class Record:
    """One point of the history: losses on the full train and validation splits after `step`
    updates, and the validation metrics."""

    step: int
    epoch: float
    train_loss: float
    val_loss: float
    metrics: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The record as a flat dict: step, epoch, train_loss, val_loss and each metric."""
        return {
            "step": self.step,
            "epoch": self.epoch,
            "train_loss": self.train_loss,
            "val_loss": self.val_loss,
            **self.metrics,
        }


@dataclass(frozen=True)
class _Snapshot:
    """What a replay needs to step again from the last healthy record: the trainer's
    `ATTRIBUTES` as they were (rebound, never written in place, by the loop) and copies of what
    the loop updates in place."""

    ATTRIBUTES: ClassVar[tuple[str, ...]] = (
        "step_count",
        "_pos",
        "_epochs_done",
        "_x_epoch",
        "_y_epoch",
        "_last_batch",
        "_best_val",
        "_first_val",
        "_best_step",
        "_flat_steps",
        "_longest_flat_before",
        "_last_record_step",
    )

    attributes: dict[str, Any]
    params: Array
    velocity: list[Array]
    rng_state: Mapping[str, Any]


class Trainer:
    """A training run that advances by `step(n)` minibatch updates.

    Minibatches come from a fresh shuffle each epoch (the last batch of an epoch may be smaller).
    `history` holds a Record every `record_every` steps, starting at step 0 (before training);
    when it reaches `max_records`, every other record is dropped and the interval doubles, so
    memory stays bounded however long the run. The schedule depends only on the step count, so
    the history is the same however the steps are split between calls.

    Divergence (a non-finite parameter or loss, or a loss above 1e8 or above 100 × the initial
    loss and 100) stops the run at the first step that shows it: `diverged` becomes True,
    `diverged_at_step` says when, `divergence_reason` what happened ("the loss exploded from 0.69
    to 2.4e+04"), `divergence_summary` both, `divergence_message` both and the likely cause; the
    model keeps the parameters of that step, and `step()` returns 0 from then on. `reset()`
    starts again.

    The stop rule (`config.patience` P > 0): at the first record where the validation loss has
    not improved on its best by 0.1% (of the best, or of 1% of the first validation loss when
    that is larger) for P steps, `converged` becomes True, `converged_at_step`
    says when and `convergence_summary` both ("converged at step 1,240: validation loss not
    improved for 300 steps"); `step()` returns 0 until `set_patience` lets the run go on.
    """

    def __init__(
        self,
        config: TrainConfig,
        dataset: Dataset | None = None,
        *,
        record_every: int | None = None,
        max_records: int = MAX_RECORDS,
    ) -> None:
        self.config = config
        if dataset is None:
            dataset = cached_dataset(config.dataset, config.seed, config.n_samples)
        self.dataset = dataset
        reason = check_pairing(config.loss, dataset)
        if reason is not None:
            raise ValueError(reason)
        self.loss: Loss = LOSSES[config.loss]
        self.task = get_task(dataset.kind)
        self.metric_names: tuple[str, ...] = self.task.metrics
        if max_records < 4:
            raise ValueError(f"max_records {max_records} is too small: it must be at least 4")
        self.max_records = int(max_records)
        self._x_train = np.ascontiguousarray(dataset.x_train, dtype=np.float64)
        self._x_val = np.ascontiguousarray(dataset.x_val, dtype=np.float64)
        self._x_all = np.concatenate([self._x_train, self._x_val])
        self._n_train: int = self._x_train.shape[0]
        y_train = np.ascontiguousarray(targets_for(self.loss, dataset, "train"))
        y_val = np.ascontiguousarray(targets_for(self.loss, dataset, "val"))
        if self.loss.target == "sparse":
            y_train, y_val = y_train.astype(np.intp), y_val.astype(np.intp)
        self._y_train, self._y_val = y_train, y_val
        # A loss that drops a constant of the likelihood (the Poisson loss drops log y!) is
        # recorded with it added back: train and validation targets differ, so the dropped
        # constants differ, and only the full NLL compares the two curves fairly.
        self._constants = tuple(
            float(np.mean(c)) if (c := self.loss.dropped_constant(y)) is not None else 0.0
            for y in (y_train, y_val)
        )
        self.n_outputs = n_outputs(self.loss, dataset)
        # Targets are checked once, at the step-0 record, so each batch skips the loss's checks.
        self._gradient = self.loss.gradient_unchecked
        self.batch_size = min(config.batch_size, self._n_train)
        self.base_record_every = (
            int(record_every)
            if record_every is not None
            else default_record_every(len(self._x_all), self.batch_size)
        )
        if self.base_record_every < 1:
            raise ValueError(f"record_every {record_every} is not allowed: it must be ≥ 1")
        self.reset()

    # ------------------------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the initial state: same weights, same minibatch order, history at step 0."""
        cfg = self.config
        init_rng = np.random.default_rng([cfg.seed, 1])
        self._shuffle_rng = np.random.default_rng([cfg.seed, 2])
        self.model = make_model(
            cfg.model,
            self._x_train.shape[1],
            self.n_outputs,
            rng=init_rng,
            hidden=cfg.hidden,
            activation=cfg.hidden_activation,
            init=cfg.init,
            init_scale=cfg.init_scale,
        )
        bias = self.loss.initial_bias(self.n_outputs, init_rng, self._y_train)
        if bias is not None:
            self.model.biases[-1][...] = bias
        self.optimizer = SGD(
            [self.model.flat_params],
            cfg.lr,
            momentum=cfg.momentum,
            weight_decay=cfg.weight_decay,
        )
        self._grads = [self.model.flat_grads]
        self.step_count = 0
        self._epochs_done = 0
        self._shuffle()
        self._last_batch: tuple[Array, Array] | None = None
        self.history: list[Record] = []
        self.record_every = self.base_record_every
        self.diverged = False
        self.diverged_at_step: int | None = None
        self.divergence_reason: str | None = None
        self.converged = False
        self.converged_at_step: int | None = None
        self._best_val = math.inf
        self._first_val = math.inf  # the validation loss at step 0, the stop rule's scale
        self._best_step = 0
        self._flat_steps = 0  # steps since the last improvement, at the last record
        self._longest_flat_before = 0  # the most flat steps at any record before the last
        self._last_record_step = 0
        self.initial_loss: float | None = None
        self._snapshot: _Snapshot | None = None
        self._evaluated: tuple[int, dict[str, float]] | None = None
        self._replaying = False
        self._record()
        self.initial_loss = self.history[0].train_loss if self.history else None

    @property
    def epoch(self) -> float:
        """Passes over the training set so far (fractional)."""
        return self._epochs_done + min(self._pos, self._n_train) / self._n_train

    def _shuffle(self) -> None:
        order = self._shuffle_rng.permutation(self._n_train)
        # Copying the shuffled epoch once makes every batch a contiguous slice (no fancy
        # indexing per step).
        self._x_epoch = self._x_train[order]
        self._y_epoch = self._y_train[order]
        self._pos = 0

    # ------------------------------------------------------------------------------------------
    def step(self, n: int = 1) -> int:
        """Do up to `n` minibatch updates; returns how many were done (0 once diverged)."""
        if self.diverged or self.converged or n <= 0:
            return 0
        start_count = self.step_count
        # The hot loop: everything it touches is a local; the counters go back to `self` when a
        # record is due and at the end.
        model = self.model
        forward, backward = model.forward, model.backward
        gradient = self._gradient
        opt_step, grads = self.optimizer.step, self._grads
        flat = model.flat_params
        square_sum = flat.dot
        isfinite = math.isfinite
        bs, n_train = self.batch_size, self._n_train
        pos, count, next_record = self._pos, self.step_count, self._next_record
        next_check = self._next_check
        x_epoch, y_epoch = self._x_epoch, self._y_epoch
        done = 0
        xb = yb = x_epoch[:0]
        with np.errstate(all="ignore"):
            while done < n:
                if pos >= n_train:
                    self._epochs_done += 1
                    self._shuffle()
                    pos, x_epoch, y_epoch = 0, self._x_epoch, self._y_epoch
                end = pos + bs
                xb, yb = x_epoch[pos:end], y_epoch[pos:end]
                backward(gradient(yb, forward(xb)))
                opt_step(grads)
                pos = end
                count += 1
                done += 1
                # θ·θ is non-finite as soon as one parameter is (or passes 1e154): one cheap
                # check per step.
                if not isfinite(square_sum(flat)):
                    self._pos, self.step_count, self._last_batch = pos, count, (xb, yb)
                    self._unhealthy("a parameter became infinite or NaN (not a number)")
                    return max(0, self.step_count - start_count)
                if count >= next_record:
                    self._pos, self.step_count, self._last_batch = pos, count, (xb, yb)
                    self._record()
                    if self.diverged or self.converged:
                        return max(0, self.step_count - start_count)
                    # A record moves the next check too: a stale one would check the very next
                    # step, so a run stepped in long slices (fast-forward) was checked at other
                    # steps than the same run stepped at the play speed, and a noisy minibatch
                    # there could end it as diverged at another step.
                    next_record, next_check = self._next_record, self._next_check
                elif count >= next_check:
                    self._pos, self.step_count, self._last_batch = pos, count, (xb, yb)
                    if not self._check_batch(xb, yb):
                        return max(0, self.step_count - start_count)
                    next_check = self._next_check
        self._pos, self.step_count = pos, count
        if done:
            self._last_batch = (xb, yb)
        return done

    def perturb(self, relative: float, seed: int = 0) -> None:
        """Multiply every initial parameter by (1 + relative·ε), ε standard normal drawn from
        `seed`: the run as a CPU whose matrix products differ in the last bits might compute it
        (relative 1e-12 is about 5,000 units in the last place). For tests that a claim holds
        with a margin; ValueError after the first step."""
        if self.step_count:
            raise ValueError("perturb applies at step 0, before training")
        params = self.model.flat_params
        noise = np.random.default_rng([seed, 3]).standard_normal(params.shape)
        params[...] = params * (1.0 + relative * noise)
        self._snapshot = None
        self._evaluated = None
        self.history = []
        self._best_val = self._first_val = math.inf
        self.initial_loss = None
        self._record()
        self.initial_loss = self.history[0].train_loss if self.history else None

    # -- divergence ------------------------------------------------------------------------------
    def _loss_limit(self) -> float:
        """A loss above this has exploded: 100 × the initial loss (at least 100), at most 1e8.

        Classification losses grow only linearly with the logits, so even a learning rate of 1e6
        lifts them by a factor of thousands rather than millions.
        """
        initial = abs(self.initial_loss) if self.initial_loss is not None else 1.0
        return min(EXPLOSION_LIMIT, max(EXPLOSION_FACTOR * initial, EXPLOSION_FACTOR))

    def _unhealthy(self, what: str) -> None:
        """A check failed at the current step: find the first step that failed and stop there.

        Checks of the loss run only at records, so the run steps again from the last healthy
        record (the same arithmetic gives the same numbers), checking after every step.
        """
        if self._replaying or self._snapshot is None:
            self._diverge(what)
            return
        failed_at = self.step_count
        self._restore(self._snapshot)
        self._replaying = True
        # Between sparse records the replay checks each step's minibatch, not the whole data.
        cheap = self.record_every > CHECK_EVERY
        try:
            while self.step_count < failed_at and not self.diverged:
                if cheap:
                    self._next_check = self.step_count + 1
                else:
                    self._next_record = self.step_count + 1
                self.step(1)
        finally:
            self._replaying = False
        if not self.diverged:  # cannot happen with deterministic arithmetic; stay safe
            self._diverge(what)

    def _check_batch(self, xb: Array, yb: Array) -> bool:
        """Between sparse records: whether the loss on the last minibatch is still healthy. If
        it is, the run can be replayed from here; if not, find where it failed and stop."""
        with np.errstate(all="ignore"):
            value = float(self.loss(yb, self.model.forward(xb)))
        dropped = self.loss.dropped_constant(yb)
        if dropped is not None:  # on the footing of the recorded losses and the limit
            value += float(np.mean(dropped))
        problem = None
        if not math.isfinite(value):
            problem = "the loss became infinite or NaN (not a number)"
        elif self.initial_loss is not None and value > self._loss_limit():
            problem = f"the loss exploded from {self.initial_loss:.3g} to {value:.3g}"
        if problem is None:
            self._next_check = self.step_count + CHECK_EVERY
            if not self._replaying:
                self._take_snapshot()
            return True
        if self._replaying:
            self._diverge(problem)
        else:
            self._unhealthy(problem)
        return False

    def _check_plateau(self, val_loss: float) -> None:
        """The stop rule: converged once the validation loss has not improved by PLATEAU_GAIN
        of its best (or of PLATEAU_FLOOR × its first value, if larger) for `patience` steps;
        off when patience is 0. It is checked at records, so it ends the run at the first record
        at least `patience` steps after the last improvement."""
        best = self._best_val
        if not math.isfinite(self._first_val):
            self._first_val = val_loss
        scale = max(abs(best), PLATEAU_FLOOR * abs(self._first_val))
        if not math.isfinite(best) or val_loss < best - PLATEAU_GAIN * scale:
            self._best_val, self._best_step = val_loss, self.step_count
        # What any patience would decide, so that a new one can be judged (`keeps_run`).
        if self.step_count > 0:
            self._longest_flat_before = max(self._longest_flat_before, self._flat_steps)
        self._flat_steps = self.step_count - self._best_step
        self._last_record_step = self.step_count
        patience = self.config.patience
        if patience and self._flat_steps >= patience:
            self.converged = True
            self.converged_at_step = self.step_count

    @property
    def flat_steps(self) -> int:
        """Steps since the validation loss last improved on its best by 0.1%, as of the last
        record (what the stop rule compares with the patience)."""
        return self._flat_steps

    def keeps_run(self, patience: int) -> bool:
        """Whether the run so far is the run a stop rule with `patience` gives, so that the rule
        can change without starting again: the rule never stops a run's arithmetic, only where
        it ends, and with `patience` this run would not have ended at an earlier step."""
        patience = SETTINGS["patience"].check(patience)
        if self.diverged:
            return False
        if not patience:
            return True
        if self._longest_flat_before >= patience:
            return False  # it would have stopped at an earlier record
        # Flat that long at the last record: it stops there, which must be this very step.
        return self._flat_steps < patience or self._last_record_step == self.step_count

    def set_patience(self, patience: int) -> None:
        """Change the stop rule and go on from here: converged, or not, as the new rule says at
        this step (patience 0 or a longer one lets a converged run train on). ValueError when
        the new rule would have stopped the run earlier (see `keeps_run`; start again then)."""
        if not self.keeps_run(patience):
            raise ValueError(
                f"patience {patience} would have stopped this run before step {self.step_count}; "
                "it applies to a new run"
            )
        self.config = self.config.replace(patience=patience)
        patience = self.config.patience
        self.converged = bool(patience) and self._flat_steps >= patience
        self.converged_at_step = self.step_count if self.converged else None

    @property
    def convergence_summary(self) -> str | None:
        """ "converged at step 1,240: validation loss not improved for 300 steps"; None until
        then."""
        if not self.converged:
            return None
        # The patience, not the flat steps: records are far apart on a long run (320 steps at
        # step 300,000), so the flat stretch seen at a record can be longer than the rule's.
        return (
            f"converged at step {self.converged_at_step:,}: validation loss not improved for "
            f"{self.config.patience:,} steps"
        )

    def _diverge(self, what: str) -> None:
        self.diverged = True
        self.diverged_at_step = self.step_count
        self.divergence_reason = what

    @property
    def divergence_summary(self) -> str | None:
        """When and how the run diverged, "diverged at step 40: the loss exploded from 0.69 to
        2.4e+04"; None if healthy."""
        if not self.diverged:
            return None
        return f"diverged at step {self.diverged_at_step}: {self.divergence_reason}"

    @property
    def divergence_message(self) -> str | None:
        """The divergence as one sentence with its step and the likely cause; None if healthy."""
        if not self.diverged:
            return None
        if self.divergence_cause == "init_scale":
            return (
                f"training {self.divergence_summary}; the initial weights, "
                f"{self.config.init_scale:g} times the usual size, probably start the outputs too "
                "far out"
            )
        return (
            f"training {self.divergence_summary}; the learning rate {self.config.lr:g} is "
            "probably too large for this model, loss and data"
        )

    @property
    def divergence_cause(self) -> str | None:
        """The setting the divergence points to: "init_scale" when the weights start above the
        usual scale and the run blew up within EARLY_DIVERGENCE steps, else "lr"; None if
        healthy."""
        if not self.diverged:
            return None
        early = (self.diverged_at_step or 0) <= EARLY_DIVERGENCE
        return "init_scale" if early and self.config.init_scale > 1.0 else "lr"

    def _take_snapshot(self) -> None:
        self._snapshot = _Snapshot(
            {name: getattr(self, name) for name in _Snapshot.ATTRIBUTES},
            self.model.flat_params.copy(),
            [v.copy() for v in self.optimizer.velocity],
            self._shuffle_rng.bit_generator.state,
        )

    def _restore(self, snapshot: _Snapshot) -> None:
        for name, value in snapshot.attributes.items():
            setattr(self, name, value)
        self.model.flat_params[...] = snapshot.params
        for v, saved in zip(self.optimizer.velocity, snapshot.velocity, strict=True):
            v[...] = saved
        self._shuffle_rng.bit_generator.state = snapshot.rng_state
        self._evaluated = None

    def _record(self) -> None:
        with np.errstate(all="ignore"):
            train_loss, val_loss, metrics = self._evaluate()
        problem = None
        if not (math.isfinite(train_loss) and math.isfinite(val_loss)):
            problem = "the loss became infinite or NaN (not a number)"
        elif self.initial_loss is not None and max(train_loss, val_loss) > self._loss_limit():
            worst = max(train_loss, val_loss)
            problem = f"the loss exploded from {self.initial_loss:.3g} to {worst:.3g}"
        if problem is not None and not self._replaying and self._snapshot is not None:
            self._unhealthy(problem)
            return
        if self._replaying and problem is None:
            return  # stepping towards the failure: only the failing step is recorded
        if math.isfinite(train_loss) and math.isfinite(val_loss):
            self.history.append(Record(self.step_count, self.epoch, train_loss, val_loss, metrics))
        if problem is not None:
            self._diverge(problem)
            return
        if len(self.history) >= self.max_records:
            self.record_every *= 2
            self.history = [r for r in self.history if r.step % self.record_every == 0]
        self._check_plateau(val_loss)
        self._next_record = (self.step_count // self.record_every + 1) * self.record_every
        self._next_check = self.step_count + CHECK_EVERY
        self._take_snapshot()

    # ------------------------------------------------------------------------------------------
    def logits(self, x: Array) -> Array:
        """The model's logits (n, k) for inputs x (n, d); a density's parameters, one row per
        input, when the task has no inputs (d = 0)."""
        x = np.asarray(x, dtype=np.float64)
        with np.errstate(all="ignore"):
            return self.model.forward(x)

    def predict(self, x: Array) -> Array:
        """Predictions in target space: the loss's output activation applied to the logits
        (probabilities for sigmoid and softmax losses, (μ, σ) for a Gaussian density)."""
        z = self.logits(x)
        with np.errstate(all="ignore"):
            return self.loss.predict(z)

    def classify(self, x: Array) -> Array:
        """Predicted classes: (n,) int labels for binary, multi-class and soft-label data,
        (n, L) 0/1 floats for multi-label data (ValueError for other kinds)."""
        return self.classes_from_logits(self.logits(x))

    def classes_from_logits(self, z: Array) -> Array:
        """`classify` for logits already computed: z of shape (n, outputs). The task says how
        outputs make classes, the loss's link where each output switches (`Task.decide`)."""
        return get_task(self.dataset.kind).decide(self.loss.link, z)

    @property
    def last_batch_loss(self) -> float | None:
        """The loss of the current parameters on the most recent minibatch (None before any
        step); computed when read, so the training loop does not pay for it."""
        if self._last_batch is None:
            return None
        xb, yb = self._last_batch
        with np.errstate(all="ignore"):
            return float(self.loss(yb, self.model.forward(xb)))

    def evaluate(self) -> dict[str, float]:
        """Current train_loss, val_loss and the validation metrics (`metric_names`), computed
        once per step however many views ask (a dict shared between them: don't change it)."""
        cached = self._evaluated
        if cached is not None and cached[0] == self.step_count:
            return cached[1]
        with np.errstate(all="ignore"):
            train_loss, val_loss, metrics = self._evaluate()
        values = {"train_loss": train_loss, "val_loss": val_loss, **metrics}
        self._evaluated = (self.step_count, values)
        return values

    def _forward_all(self) -> Array:
        """Logits of every train and validation row, (n_train + n_val, k), computed in chunks
        of at most EVAL_CELLS activations, so large data never holds them all at once."""
        x, forward = self._x_all, self.model.forward
        width = x.shape[1] + sum(getattr(self.model, "hidden", ())) + self.n_outputs
        rows = max(256, EVAL_CELLS // max(width, 1))
        if len(x) <= rows:
            return forward(x)
        return np.concatenate([forward(x[i : i + rows]) for i in range(0, len(x), rows)])

    def _evaluate(self) -> tuple[float, float, dict[str, float]]:
        n = self._n_train
        z = self._forward_all()
        z_train, z_val = z[:n], z[n:]
        loss = self.loss
        train = float(loss(self._y_train, z_train)) + self._constants[0]
        val = float(loss(self._y_val, z_val)) + self._constants[1]
        task = get_task(self.dataset.kind)
        return train, val, task.metric_values(loss.link, z_val, self.dataset.y_val, val)

    @property
    def recorded_as(self) -> str:
        """What the history's train and validation losses are: "loss", or for a loss that drops
        a constant of its likelihood, e.g. "full NLL (with log y!)"."""
        return self.loss.recorded_as or "loss"

    def describe_model(self) -> str:
        """The model in one line, e.g. "MLP 2-16-1 (tanh)"."""
        return self.model.describe()
