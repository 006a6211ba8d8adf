"""`losstui landscape`: train a run and print the loss over its two parameters, with SGD's path
(a slice through the weights for a larger model), as a picture or as JSON."""

from __future__ import annotations

import argparse

from losstui.cli.printing import print_json
from losstui.cli.training import command_error, total_steps, train_config


def cmd_landscape(args: argparse.Namespace) -> int:
    """Train as `train` would (the same options and defaults), recording the path at every step,
    and print the landscape (`losstui.core.landscape.trained_landscape`)."""
    from losstui.core.landscape import (
        BAND_MARKS,
        NOW_MARK,
        OPTIMUM_MARK,
        PATH_MARK,
        START_MARK,
        picture,
        trained_landscape,
    )
    from losstui.core.text import format_loss

    config = train_config(args, "landscape")
    total = total_steps(config, args, "landscape")
    try:
        drawn = trained_landscape(config, total)
    except ValueError as exc:
        raise command_error("landscape", str(exc)) from None
    if args.format == "json":
        print_json(drawn.as_dict())
        return 0
    surface = drawn.surface
    x_name, y_name = surface.names
    kind = "A slice of the training loss" if surface.is_slice else "The training loss"
    print(
        f"{kind} of {config.problem} ({config.loss}, {config.dataset}) after {drawn.step:,} steps"
    )
    print(
        f"over {x_name} (across, {surface.x[0]:.3g} to {surface.x[-1]:.3g}) and {y_name} (up, "
        f"{surface.y[0]:.3g} to {surface.y[-1]:.3g})."
    )
    print()
    for line in picture(drawn):
        print(f"  |{line}")
    print(f"  +{'-' * len(surface.x)}")
    print()
    print(
        f"Bands from low '{BAND_MARKS[1]}' to high '{BAND_MARKS[-1]}'; {START_MARK} start, "
        f"{PATH_MARK} path, {NOW_MARK} now, {OPTIMUM_MARK} the optimum ({surface.optimum_kind}, "
        f"loss {format_loss(surface.optimum_loss)})."
    )
    optimum = ", ".join(
        f"{name} = {value:.4g}" for name, value in zip(surface.names, surface.optimum, strict=True)
    )
    print(f"Optimum: {optimum}.")
    if surface.is_slice:
        print(surface.note[:1].upper() + surface.note[1:] + ".")
    elif drawn.overshoot > 0:
        print(f"The path ran {drawn.overshoot:.3g} past the optimum along its way there.")
    return 0
