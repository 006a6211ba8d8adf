"""One work cap for every way of asking for a long run: steps × (parameters × batch + overhead)."""

from __future__ import annotations

#: The fixed cost of one SGD step (Python and numpy call overhead), in the same units as one
#: multiply-add of parameters × batch: about 30 µs against about 1.3 ns on the reference machine
#: (benchmarks/README.md).
STEP_OVERHEAD = 23_000
#: About five minutes of SGD on the reference machine: the largest run asked for without
#: --allow-long-run.
MAX_WORK = 2.5e11
#: Seconds per unit of work on the reference machine, for the estimate a refusal quotes.
SECONDS_PER_UNIT = 1.3e-9
#: The flag that lifts the cap in `losstui train`.
LIFT_FLAG = "--allow-long-run"


def work(steps: int, n_params: int, batch_size: int) -> float:
    """The estimated cost of `steps` SGD steps: steps × (n_params × batch_size + STEP_OVERHEAD)."""
    return float(steps) * (float(n_params) * float(batch_size) + STEP_OVERHEAD)


def estimated_seconds(steps: int, n_params: int, batch_size: int) -> float:
    """The run's estimated length on the reference machine, in seconds."""
    return work(steps, n_params, batch_size) * SECONDS_PER_UNIT


def describe_seconds(seconds: float) -> str:
    """'about 40 minutes', 'about 3 days'."""
    for unit, size in (("days", 86_400), ("hours", 3_600), ("minutes", 60)):
        if seconds >= 2 * size:
            return f"about {seconds / size:,.0f} {unit}"
    return f"about {seconds:,.0f} seconds"


#: The slowest SGD step the app takes on without --allow-long-run: about 50 ms on the reference
#: machine. The app trains between keys and frames, and an open-ended run has no step count to
#: cap, so its cap is the cost of one step.
MAX_STEP_SECONDS = 0.05


def step_over_cap(n_params: int, batch_size: int) -> str | None:
    """None when one SGD step of this model fits the app's cap; else why it is refused, with
    the estimate and the flag that lifts the cap."""
    seconds = estimated_seconds(1, n_params, batch_size)
    if seconds <= MAX_STEP_SECONDS:
        return None
    return (
        f"this model would take about {seconds * 1000:,.0f} ms a step ({n_params:,} parameters "
        f"× batch {batch_size:,}), above the app's cap of {MAX_STEP_SECONDS * 1000:.0f} ms; "
        f"choose smaller hidden layers or a smaller batch, or start the app with {LIFT_FLAG}"
    )


def over_cap(steps: int, n_params: int, batch_size: int) -> str | None:
    """None when the run is within MAX_WORK; else why it is refused, with the estimate and the
    flag that lifts the cap."""
    if work(steps, n_params, batch_size) <= MAX_WORK:
        return None
    seconds = estimated_seconds(steps, n_params, batch_size)
    return (
        f"this run would take {describe_seconds(seconds)} ({steps:,} steps × {n_params:,} "
        f"parameters × batch {batch_size:,}), above the cap of "
        f"{describe_seconds(MAX_WORK * SECONDS_PER_UNIT)}; ask for fewer steps or a smaller "
        f"model, or add {LIFT_FLAG} to run it anyway"
    )
