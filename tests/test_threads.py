"""Tests that the program's entry runs numpy's BLAS on one thread, unless the user chose a count."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from losstui.core.threads import THREAD_VARIABLES

ROOT = Path(__file__).resolve().parent.parent

# Runs the real entry point, then reports what the loaded BLAS libraries say about their threads
# and what the process's environment holds. `{before}` may load numpy before the entry runs.
PROBE = """
import json, os, sys
{before}
from losstui import cli
{patch}
status = cli.main({argv!r})
from threadpoolctl import threadpool_info
blas = [(i["internal_api"], i["num_threads"]) for i in threadpool_info() if i["user_api"] == "blas"]
env = {{name: os.environ.get(name) for name in {names!r}}}
print(json.dumps({{"status": status, "blas": blas, "env": env}}), file=sys.stderr)
"""

TRAIN = ["train", "--problem", "regression", "--hidden", "8", "--steps", "5", "--format", "csv"]


def probe(argv, *, before: str = "", patch: str = "", **env: str) -> dict:
    """Run PROBE in a fresh interpreter whose environment sets no thread count but `env`."""
    environ = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    environ.update(env)
    code = PROBE.format(before=before, patch=patch, argv=argv, names=THREAD_VARIABLES)
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=environ,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report["status"] == 0
    assert report["blas"], "numpy's BLAS was not found"
    return report


def test_train_runs_blas_on_one_thread():
    report = probe(TRAIN)
    assert [threads for _, threads in report["blas"]] == [1] * len(report["blas"])
    assert report["env"]["OPENBLAS_NUM_THREADS"] == "1"


def test_the_app_runs_blas_on_one_thread():
    # The app's entry is the same `main`; stand in for the app with numpy work.
    patch = "cli.run_app = lambda *args, **options: int(__import__('numpy').ones(3).sum()) - 3"
    report = probe([], patch=patch)
    assert [threads for _, threads in report["blas"]] == [1] * len(report["blas"])


def test_numpy_loaded_before_the_entry_is_pinned_too():
    before = "import numpy\nfrom threadpoolctl import threadpool_info\n"
    report = probe(TRAIN, before=before)
    assert [threads for _, threads in report["blas"]] == [1] * len(report["blas"])


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores to see two threads")
def test_a_thread_count_the_user_set_is_kept():
    report = probe(TRAIN, OPENBLAS_NUM_THREADS="2")
    assert report["env"]["OPENBLAS_NUM_THREADS"] == "2"
    assert report["env"]["OMP_NUM_THREADS"] is None  # untouched: the user chose
    assert dict(report["blas"]).get("openblas", 2) == 2
