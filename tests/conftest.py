"""Shared test settings."""

from hypothesis import settings

# Property tests stay quick enough for a one-minute suite on two cores.
settings.register_profile("losstui", max_examples=60, deadline=None)
settings.load_profile("losstui")
