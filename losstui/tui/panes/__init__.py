"""Provides the six panes of the main screen, one widget each."""
