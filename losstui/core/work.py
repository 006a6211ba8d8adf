"""One work cap for every way of asking for a run: its time and its peak memory, estimated from
its settings before any data is made, and refused above the cap with the estimate.

A run costs, on the reference machine (benchmarks/README.md, "The work cap"):

    making the data   n × (d + 2) × DATA_SECONDS
    one SGD step      STEP_OVERHEAD + P × (PARAM_SECONDS + batch × MAC_SECONDS)
                      + batch × u × UNIT_SECONDS
    one evaluation    n × (P × EVAL_MAC_SECONDS + u × EVAL_UNIT_SECONDS + EVAL_ROW_SECONDS)
                      (every record, step 0's too)

for n samples of d features, a model of P parameters and u activations an example (its hidden
units and outputs); and it holds at its peak

    data              n × (d + t) × 8 bytes × DATA_COPIES      (t target columns)
    one step          batch × (d + Σ hidden + k) × 8 bytes × ACTIVATION_COPIES
    one evaluation    at most EVAL_CELLS activations × 8 bytes × ACTIVATION_COPIES
    the parameters    P × 8 bytes × PARAM_COPIES

`train` refuses a run whose data, steps and records together pass MAX_SECONDS; the app, whose runs
have no end, refuses a model whose one step passes MAX_STEP_SECONDS, whose one evaluation (a
redraw waits for it) passes MAX_RECORD_SECONDS, or whose first picture (data and step 0's record)
passes MAX_START_SECONDS. Both refuse a run above MAX_BYTES, which no flag lifts: past the
machine's memory it would fail half way, and a lab server's memory is the whole class's.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

from losstui.core.datasets import get_dataset_spec, make_dataset
from losstui.core.tasks import n_outputs
from losstui.core.trainer import EVAL_CELLS, TrainConfig, default_record_every

#: The fixed cost of one SGD step (Python and numpy call overhead), in seconds.
STEP_OVERHEAD = 30e-6
#: One multiply-add of a training step, per parameter per example (forward and backward).
MAC_SECONDS = 1.0e-9
#: Per parameter per step whatever the batch: the update, and matrix–vector products that wait
#: on memory (a batch of 1 on a million parameters takes about 25 ms, not 1).
PARAM_SECONDS = 25e-9
#: Per activation per example of a step: the hidden activation, its derivative and the arrays
#: of a batch's width they pass through (a batch of 40,000 through 1,024 units: seconds).
UNIT_SECONDS = 80e-9
#: One multiply-add of an evaluation (forward only), per parameter per example.
EVAL_MAC_SECONDS = 0.5e-9
#: Per activation per example of an evaluation.
EVAL_UNIT_SECONDS = 40e-9
#: An evaluation's cost per example beyond the model: the loss and the metrics.
EVAL_ROW_SECONDS = 40e-9
#: Making the data, per sample per (feature + 2).
DATA_SECONDS = 200e-9
#: Copies of the data a run holds: the generated arrays, the trainer's inputs joined for
#: evaluation, the targets in the loss's form.
DATA_COPIES = 3
#: Arrays of a batch's width a step holds at once: activations, their gradients, temporaries.
ACTIVATION_COPIES = 3
#: Parameters, gradients, momentum and the snapshot a reset returns to.
PARAM_COPIES = 4
#: What a Python with numpy and the app holds before any run (bytes).
BASE_BYTES = 100e6

#: About five minutes: the longest `train` run asked for without --allow-long-run.
MAX_SECONDS = 300.0
#: The slowest SGD step the app takes on: it trains between keys and frames.
MAX_STEP_SECONDS = 0.05
#: The slowest evaluation the app takes on: every record, a frame waits for one.
MAX_RECORD_SECONDS = 1.0
#: The longest wait for the app's first picture of a run: making the data and step 0's record.
MAX_START_SECONDS = 5.0
#: The most memory one run may hold: about 1 GB.
MAX_BYTES = 1e9
#: The flag that lifts the time caps (not the memory cap).
LIFT_FLAG = "--allow-long-run"


@dataclass(frozen=True)
class RunCost:
    """A run's estimated cost on the reference machine (seconds, bytes); no data is made."""

    n_params: int
    batch_size: int
    n_samples: int
    n_train: int
    record_every: int
    data_seconds: float
    step_seconds: float
    record_seconds: float
    peak_bytes: float

    @property
    def start_seconds(self) -> float:
        """Until the first picture: the data made and step 0 recorded."""
        return self.data_seconds + self.record_seconds

    def seconds(self, steps: int) -> float:
        """A run of `steps` steps: the data, the steps, and a record every `record_every`."""
        records = 1 + steps // self.record_every
        return self.data_seconds + steps * self.step_seconds + records * self.record_seconds

    def steps_within(self, seconds: float) -> int:
        """The most steps that fit in `seconds` with the data made (`seconds`'s inverse, records
        spread over the steps between them); 0 when the start alone takes longer."""
        per_step = self.step_seconds + self.record_seconds / self.record_every
        return max(0, int((seconds - self.start_seconds) / per_step))

    def steps_per_epoch(self) -> int:
        """⌈n_train / batch⌉: the last batch of an epoch may be smaller."""
        return -(-self.n_train // self.batch_size)


@functools.lru_cache(maxsize=256)
def _widths(dataset: str, loss: str) -> tuple[int, int, int]:
    """(input features d, model outputs k, target columns t) of `loss` on `dataset`, read from a
    six-sample copy of the data (the widths do not depend on the seed or the size)."""
    tiny = make_dataset(dataset, 0, 6)
    targets = 1 if tiny.y_train.ndim == 1 else int(tiny.y_train.shape[1])
    return tiny.n_features, n_outputs(loss, tiny), targets


def n_params(config: TrainConfig, n_in: int, n_out: int) -> int:
    """Weights and biases of the config's model: Σ (a + 1) × b over its layers a → b."""
    sizes = (n_in, *config.hidden, n_out) if config.model == "mlp" else (n_in, n_out)
    return sum((a + 1) * b for a, b in itertools.pairwise(sizes))


def run_cost(config: TrainConfig) -> RunCost:
    """The estimated cost of a run of `config` (ValueError for an unknown dataset or loss)."""
    spec = get_dataset_spec(config.dataset)
    n = spec.default_n if config.n_samples is None else int(config.n_samples)
    n_train = n - max(1, round(n * spec.validation_fraction))
    d, k, t = _widths(config.dataset, config.loss)
    params = n_params(config, d, k)
    batch = max(1, min(config.batch_size, n_train))
    activations = (sum(config.hidden) if config.model == "mlp" else 0) + k
    units = d + activations
    step_bytes = batch * units * 8 * ACTIVATION_COPIES
    eval_bytes = min(n * units, EVAL_CELLS) * 8 * ACTIVATION_COPIES
    peak = (
        BASE_BYTES
        + n * (d + t) * 8 * DATA_COPIES
        + max(step_bytes, eval_bytes)
        + params * 8 * PARAM_COPIES
    )
    return RunCost(
        n_params=params,
        batch_size=batch,
        n_samples=n,
        n_train=n_train,
        record_every=default_record_every(n, batch),
        data_seconds=n * (d + 2) * DATA_SECONDS,
        step_seconds=STEP_OVERHEAD
        + params * (PARAM_SECONDS + batch * MAC_SECONDS)
        + batch * activations * UNIT_SECONDS,
        record_seconds=n
        * (params * EVAL_MAC_SECONDS + activations * EVAL_UNIT_SECONDS + EVAL_ROW_SECONDS),
        peak_bytes=peak,
    )


def describe_seconds(seconds: float, *, about: bool = True) -> str:
    """'about 40 minutes', 'about 3 days', 'about 120 ms'; without `about`, a cap: '50 ms'."""
    prefix = "about " if about else ""
    for unit, size in (("days", 86_400), ("hours", 3_600), ("minutes", 60)):
        if seconds >= 2 * size:
            return f"{prefix}{seconds / size:,.0f} {unit}"
    if seconds < 1:
        return f"{prefix}{seconds * 1000:,.0f} ms"
    return f"{prefix}{seconds:,.0f} second{'s' if round(seconds) != 1 else ''}"


def describe_bytes(size: float) -> str:
    """'about 1.6 GB', 'about 450 MB'."""
    if size >= 1e9:
        return f"about {size / 1e9:,.1f} GB"
    return f"about {size / 1e6:,.0f} MB"


def _shape(cost: RunCost) -> str:
    return f"{cost.n_samples:,} samples, {cost.n_params:,} parameters, batch {cost.batch_size:,}"


def _memory_refusal(cost: RunCost) -> str | None:
    if cost.peak_bytes <= MAX_BYTES:
        return None
    return (
        f"this run would hold {describe_bytes(cost.peak_bytes)} of memory ({_shape(cost)}), "
        f"above the cap of {MAX_BYTES / 1e9:g} GB; ask for fewer samples, a smaller batch "
        "or smaller hidden layers"
    )


def over_cap(config: TrainConfig, steps: int, *, lifted: bool = False) -> str | None:
    """None when `steps` steps of `config` (a `train` run) fit the caps; else why not, with the
    estimate and what to change. `lifted` (--allow-long-run) lifts the time cap only."""
    cost = run_cost(config)
    memory = _memory_refusal(cost)
    if memory is not None or lifted:
        return memory
    seconds = cost.seconds(steps)
    if seconds <= MAX_SECONDS:
        return None
    return (
        f"this run would take {describe_seconds(seconds)} ({steps:,} steps, {_shape(cost)}), "
        f"above the cap of {describe_seconds(MAX_SECONDS, about=False)}; ask for fewer steps, "
        f"fewer samples or a smaller model, or add {LIFT_FLAG} to run it anyway"
    )


def app_over_cap(config: TrainConfig, *, lifted: bool = False) -> str | None:
    """None when the app can train `config` (its open-ended run): one step, one evaluation and
    the first picture fit their caps, and so does the memory; else why not, with the estimate
    that passes its cap furthest. `lifted` (`losstui --allow-long-run`) lifts the time caps
    only."""
    cost = run_cost(config)
    memory = _memory_refusal(cost)
    if memory is not None or lifted:
        return memory
    over = [
        (
            cost.step_seconds / MAX_STEP_SECONDS,
            f"this model would take {describe_seconds(cost.step_seconds)} a step "
            f"({cost.n_params:,} parameters × batch {cost.batch_size:,}), above the app's cap "
            f"of {describe_seconds(MAX_STEP_SECONDS, about=False)}",
        ),
        (
            cost.record_seconds / MAX_RECORD_SECONDS,
            f"each evaluation of this run would take {describe_seconds(cost.record_seconds)} "
            f"({cost.n_samples:,} samples × {cost.n_params:,} parameters), above the app's cap "
            f"of {describe_seconds(MAX_RECORD_SECONDS, about=False)}",
        ),
        (
            cost.start_seconds / MAX_START_SECONDS,
            f"this run would take {describe_seconds(cost.start_seconds)} to start "
            f"({_shape(cost)}), above the app's cap of "
            f"{describe_seconds(MAX_START_SECONDS, about=False)}",
        ),
    ]
    ratio, reason = max(over)
    if ratio <= 1:
        return None
    return (
        f"{reason}; choose a smaller model, batch or sample count, or start the app with "
        f"{LIFT_FLAG}"
    )
