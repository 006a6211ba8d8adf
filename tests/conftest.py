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
