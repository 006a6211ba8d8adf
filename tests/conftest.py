"""Shared test settings: a fixed locale and colour setting, a quick hypothesis profile, and
Pilot's idle wait in finer steps."""

import os
from asyncio import sleep
from time import monotonic, process_time

import pytest
import textual._wait
import textual.app
import textual.pilot
from hypothesis import settings
from textual._context import active_app
from textual.css.stylesheet import Stylesheet

# The app picks ASCII or Unicode from the locale and honours NO_COLOR. Tests that want ASCII ask
# for it, so the suite draws the same on a UTF-8 desktop and on a CI machine with LANG unset.
for _name in ("LC_ALL", "LC_CTYPE", "NO_COLOR"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"

# Property tests stay quick enough for a one-minute suite on two cores.
settings.register_profile("losstui", max_examples=60, deadline=None)
settings.load_profile("losstui")


def _messages_pending() -> bool:
    """Whether the app under test, or a widget of its screen, has messages still to handle (a
    message that bubbles up from a pane to the screen is handled by each widget on its way)."""
    app = active_app.get(None)
    if app is None:
        return False
    try:
        nodes = [app, *app.screen.walk_children(with_self=True)]
    except Exception:  # no screen yet, or going
        return False
    return any(node.message_queue_size for node in nodes)


async def _wait_for_idle(min_sleep: float = 0.0, max_sleep: float = 1.0) -> None:
    """Textual's `wait_for_idle`, quicker to see the end of work: it waits one screen refresh
    (20 ms) as Textual's does, then ends in the first 5 ms that used under 1 ms of CPU with no
    message left to handle (Textual looks at 20 ms at a time, at the CPU alone, which a loaded
    machine that leaves the process waiting reads as idle), and after 0.25 s at most where
    Textual waits 1 s, which is what every key cost while training played or fast-forward ran
    (a busy app is never idle)."""
    start = monotonic()
    while True:
        used = process_time()
        await sleep(0.005)
        elapsed = monotonic() - start
        if elapsed >= min(max_sleep, 0.25):
            return
        idle = process_time() - used < 0.001
        if elapsed > max(min_sleep, 0.02) and idle and not _messages_pending():
            return


textual._wait.wait_for_idle = _wait_for_idle
textual.app.wait_for_idle = _wait_for_idle  # type: ignore[attr-defined]
textual.pilot.wait_for_idle = _wait_for_idle  # type: ignore[attr-defined]


#: Textual's parsed CSS, shared by every app the session starts. Textual keeps a cache per
#: stylesheet, but an app starts with a new one and parses every widget's CSS again, and each
#: pane opened for the first time re-parses the whole sheet in a new one (0.04 s of CPU per start
#: of the app, 0.11 s with the Train pane). The rules come from the text alone, the theme's
#: variables and where the text was read from, so the key holds all of these; Textual only reads
#: them after parsing, as it reads its own cache's.
_PARSED: dict[tuple, list] = {}
_parse_rules = Stylesheet._parse_rules


def _shared_parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
    key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(self._variables.items()))
    rules = _PARSED.get(key)
    if rules is None:
        rules = _parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        _PARSED[key] = rules
    return rules


Stylesheet._parse_rules = _shared_parse_rules


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
    "tests/test_app_flows.py::test_the_settings_column_at_120x40",
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
