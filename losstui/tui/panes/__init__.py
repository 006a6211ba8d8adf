"""Provides the five panes of the main screen, one widget each."""
