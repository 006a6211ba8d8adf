"""`losstui losses`: every loss with its output activation, target form and title."""

from __future__ import annotations

import argparse

from losstui.cli.printing import print_json


def cmd_losses(args: argparse.Namespace) -> int:
    """Print every loss as a row of a table, or as JSON with its formula and when to use it."""
    from losstui.core.losses import LOSSES

    if args.json:
        print_json(
            [
                {
                    "key": key,
                    "title": loss.title,
                    "activation": loss.activation,
                    "target": loss.target,
                    "distribution": getattr(loss, "distribution", ""),
                    "formula": loss.formula,
                    "when_to_use": loss.when_to_use,
                }
                for key, loss in LOSSES.items()
            ]
        )
        return 0
    width = max(len(k) for k in LOSSES)
    print(f"{'KEY':<{width}}  {'ACTIVATION':<10}  {'TARGET':<13}  TITLE")
    for key, loss in LOSSES.items():
        print(f"{key:<{width}}  {loss.activation:<10}  {loss.target:<13}  {loss.title}")
    return 0
