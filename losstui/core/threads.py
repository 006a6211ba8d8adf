"""Pins numpy's BLAS to one thread for the program's own process, unless the user chose a count."""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping

# Why one thread: a training step multiplies a batch of a few dozen rows by weights of at most a
# few hundred columns, where a BLAS thread per core gains nothing and loses much: on a shared
# machine the extra threads wait for cores that other work holds, at every product. 500 steps of
# an MLP 20-256-256-1 took 1.9 s with one thread and 11.7 s with OpenBLAS's default of one per
# core, on 2 cores with other jobs running (benchmarks/README.md has the figures).

#: The variables that BLAS and OpenMP libraries read for their thread count when they load:
#: OpenBLAS (which also falls back to OMP_NUM_THREADS), MKL, Apple Accelerate, BLIS.
THREAD_VARIABLES = (
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "BLIS_NUM_THREADS",
)


def user_chose_threads(environ: MutableMapping[str, str] | None = None) -> bool:
    """True when any of THREAD_VARIABLES is set to a non-empty value."""
    env = os.environ if environ is None else environ
    return any(env.get(name, "").strip() for name in THREAD_VARIABLES)


def pin_blas_threads() -> bool:
    """Make numpy's BLAS run one thread, unless the user set a thread count; True if it did.

    Call it first thing at the program's entry, not on import: a library must not change the
    threading of a process that merely imports it. Before numpy is loaded, the environment
    variables are enough (and OpenBLAS then never starts its threads). If numpy is already
    loaded, its BLAS read them at load time, so threadpoolctl sets the count on the loaded
    library instead.
    """
    if user_chose_threads():
        return False
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    if "numpy" in sys.modules:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="blas")
    return True
