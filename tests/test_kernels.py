"""The claims hold on other CPUs: the `claim` tests again, under other OpenBLAS kernels and with
the initial weights moved in their last bits.

A matrix product's last bits depend on the kernel OpenBLAS picks for the CPU (SkylakeX on a recent
Intel, Haswell on this AMD EPYC, Zen, ...), and a run that swings (a large learning rate, a
saturated start, a mixture) amplifies them: a claim that holds here can fail on a student's
machine. `OPENBLAS_CORETYPE` picks the kernel; one the CPU cannot run dies with SIGILL (SkylakeX
needs AVX-512) and is skipped with that reason, and one that computes the same bits as this
machine's own kernel (Zen is Haswell's code) would only repeat the suite and is skipped too.
`LOSSTUI_PERTURB=1e-12` stands in for any other CPU: every initial weight times (1 + 1e-12·ε).

A test is a claim test when it carries `@pytest.mark.claim` (registered in pyproject.toml); each
runs the claim at five seeds, so a kernel's run here is `pytest -m claim` in a subprocess. Each
such run costs what the claim tests cost, so the suite runs one other kernel (Sandybridge) and
moves the weights of the claims whose runs swing, at each claim's own seed;
`LOSSTUI_ALL_KERNELS=1` adds Prescott and the rest, all five seeds, and moves every claim's
weights. One kernel by hand:

    OPENBLAS_CORETYPE=Prescott .venv/bin/pytest -m claim
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Products whose last bits tell kernels apart: the shapes of the app's small models.
_FINGERPRINT = """
import hashlib, numpy as np
rng = np.random.default_rng(0)
a, b = rng.standard_normal((300, 2)), rng.standard_normal((2, 16))
c, d = rng.standard_normal((300, 16)), rng.standard_normal((16, 3))
print(hashlib.sha256((np.tanh(a @ b) @ d).tobytes() + (c.T @ c).tobytes()).hexdigest())
"""


@cache  # this CPU's own kernel is asked once for all the kernels it is compared with
def _fingerprint(coretype: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    return subprocess.run(
        [sys.executable, "-c", _FINGERPRINT], env=env, capture_output=True, text=True, timeout=60
    )


def _claim_files() -> list[str]:
    """The test files that hold claim tests: collecting only them saves the rest's imports."""
    here = Path(__file__).name
    return [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "tests").glob("test_*.py"))
        if path.name != here and "mark.claim" in path.read_text(encoding="utf-8")
    ]


def _run_claims(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`pytest -m claim` over the claim tests' files, with `args` added, in a subprocess with
    `env` added."""
    command = ["pytest", "-m", "claim", "-q", "-p", "no:cacheprovider", *args, *_claim_files()]
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=ROOT,
        env={**os.environ, "PYTEST_ADDOPTS": "", **env},
        capture_output=True,
        text=True,
        timeout=900,
    )


def _failed(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"


#: Kernels OpenBLAS picks on common CPUs: SkylakeX on Intel with AVX-512, Haswell on this AMD
#: EPYC, Zen (Haswell's code), Sandybridge (AVX), Prescott (SSE3 only).
KERNELS = ("Sandybridge", "Prescott", "SkylakeX", "Zen")
#: The kernel the suite always tries; the others with LOSSTUI_ALL_KERNELS=1.
SUITE_KERNEL = "Sandybridge"


@pytest.mark.parametrize("coretype", KERNELS)
def test_the_claims_hold_under_another_openblas_kernel(coretype):
    probe = _fingerprint(coretype)
    if probe.returncode == -signal.SIGILL:
        pytest.skip(
            f"OPENBLAS_CORETYPE={coretype} dies with SIGILL on this CPU (its instructions, "
            "e.g. AVX-512 for SkylakeX, are missing): test it on a CPU that has them"
        )
    assert probe.returncode == 0, probe.stderr
    own = _fingerprint(None)
    assert own.returncode == 0, own.stderr
    if probe.stdout == own.stdout:
        pytest.skip(f"OPENBLAS_CORETYPE={coretype} computes the same bits as this CPU's kernel")
    if coretype != SUITE_KERNEL and not os.environ.get("LOSSTUI_ALL_KERNELS"):
        pytest.skip(f"OPENBLAS_CORETYPE={coretype} runs with LOSSTUI_ALL_KERNELS=1")
    # The suite runs each claim at its own seed here (the five seeds run under this CPU's own
    # kernel); LOSSTUI_ALL_KERNELS=1 runs all five under every kernel.
    every = bool(os.environ.get("LOSSTUI_ALL_KERNELS"))
    result = _run_claims(OPENBLAS_CORETYPE=coretype, LOSSTUI_CLAIM_SEEDS="all" if every else "own")
    assert result.returncode == 0, _failed(result)


#: The claims about runs that swing, which amplify a difference in the last bits most: a large
#: learning rate, a saturated start, a mixture, a second softmax, far points. The suite moves
#: their weights; LOSSTUI_ALL_KERNELS=1 moves every claim's.
SWINGING = "wide_range or saturated or mixture or double_softmax or far_cluster or overflow"


def test_the_claims_hold_with_the_initial_weights_moved_in_their_last_bits():
    # The suite moves the swinging claims' weights at their own seeds; LOSSTUI_ALL_KERNELS=1
    # moves every claim's, at all five.
    every = bool(os.environ.get("LOSSTUI_ALL_KERNELS"))
    result = _run_claims(
        *(() if every else ("-k", SWINGING)),
        LOSSTUI_PERTURB="1e-12",
        LOSSTUI_CLAIM_SEEDS="all" if every else "own",
    )
    assert result.returncode == 0, _failed(result)
