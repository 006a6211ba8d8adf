"""Shared test settings: a fixed locale and colour setting, and a quick hypothesis profile."""

import os

import pytest
from hypothesis import settings

# The app picks ASCII or Unicode from the locale and honours NO_COLOR. Tests that want ASCII ask
# for it, so the suite draws the same on a UTF-8 desktop and on a CI machine with LANG unset.
for _name in ("LC_ALL", "LC_CTYPE", "NO_COLOR"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"

# Property tests stay quick enough for a one-minute suite on two cores.
settings.register_profile("losstui", max_examples=60, deadline=None)
settings.load_profile("losstui")


@pytest.fixture(autouse=True)
def _own_state_directory(tmp_path_factory, monkeypatch):
    """Lesson progress goes to a fresh directory per test, never to the user's own."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))


#: The suite's longest tests, measured (CPU seconds on a quiet 2-core machine: the kernels' re-runs
#: 21 and 11, the lesson property 12, the key bursts 5-8 each, lesson 1's walk 7), started first:
#: `pytest -n 2` hands tests out in this order, so neither worker is left with one of them at the
#: end while the other waits. The rest keep their order.
LONGEST_FIRST = (
    "tests/test_kernels.py::test_the_claims_hold_under_another_openblas_kernel",
    "tests/test_lesson_property.py::",
    "tests/test_kernels.py::test_the_claims_hold_with_the_initial_weights_moved",
    "tests/test_key_bursts.py::",
    "tests/test_builtin_lessons_basics.py::test_a_student_walks",
    "tests/test_settings_column.py::",
    "tests/test_app_layout.py::",
    "tests/test_builtin_lessons_basics.py::test_every_steps_text",
    "tests/test_trainer.py::test_history_stays_bounded",
)


def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        return next(
            (i for i, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix)),
            len(LONGEST_FIRST),
        )

    items.sort(key=rank)  # stable: the rest in collection order
