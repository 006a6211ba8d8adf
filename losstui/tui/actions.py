"""The app's actions named once, for the code that guards them and the help that lists them."""

from __future__ import annotations

#: The panes where training is on show and its keys act.
TRAINING_PANES = ("train", "distributions")
#: Actions that drive training: the app refuses them outside TRAINING_PANES, saying where they act.
TRAINING_ACTIONS = (
    "play",
    "pause",
    "fast_forward",
    "step",
    "reset",
    "faster",
    "slower",
    "regenerate",
)
#: What the help lists for the Train and Distributions panes, in its order: the training actions,
#: then the views' own.
TRAINING_PANE_ACTIONS = (
    *TRAINING_ACTIONS,
    "toggle_log10",
    "open_settings",
    "hide_settings",
    "toggle_units",
)
