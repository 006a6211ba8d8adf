"""Shared test settings: a fixed locale and colour setting, and a quick hypothesis profile."""

import os

from hypothesis import settings

# The app picks ASCII or Unicode from the locale and honours NO_COLOR. Tests that want ASCII ask
# for it, so the suite draws the same on a UTF-8 desktop and on a CI machine with LANG unset.
for _name in ("LC_ALL", "LC_CTYPE", "NO_COLOR"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"

# Property tests stay quick enough for a one-minute suite on two cores.
settings.register_profile("losstui", max_examples=60, deadline=None)
settings.load_profile("losstui")
