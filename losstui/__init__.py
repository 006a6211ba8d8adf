"""losstui: learn which loss function and output activation a network needs, and why."""

__version__ = "0.1.0"
