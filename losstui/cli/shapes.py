"""`losstui shapes PROBLEM`: each loss of a problem and its gradient against one prediction."""

from __future__ import annotations

import argparse
import math

from losstui.cli.printing import print_json

#: Points a table prints by default: as many columns as fit 80 columns beside the labels.
TABLE_POINTS = 9


def cmd_shapes(args: argparse.Namespace) -> int:
    """Print the shapes (`losstui.core.shapes.loss_shapes`) as a table, one row of values and
    one of gradients per loss, or as JSON with every point."""
    from losstui.cli.training import command_error
    from losstui.core.shapes import POINTS, ShapeError, loss_shapes
    from losstui.core.text import short_label

    points = args.points or (TABLE_POINTS if args.format == "table" else POINTS)
    try:
        shapes = loss_shapes(
            args.problem, args.target, probability=args.axis == "probability", points=points
        )
    except ShapeError as error:
        raise command_error("shapes", str(error)) from None
    if args.format == "json":
        print_json(shapes.as_dict())
        return 0
    print(f"Loss shapes for {args.problem}, one example: {shapes.note}.")
    if shapes.definition:
        print(f"{shapes.definition[:1].upper()}{shapes.definition[1:]}.")
    print("ℓ is the loss of the example, ∂ℓ/∂z its gradient in the raw output z.")
    label = max(len(shapes.axis_words), *(len(short_label(c.loss)) + 7 for c in shapes.curves))
    label += 1
    print()
    print(f"{shapes.axis_words:<{label}}" + "".join(f"{x:>7.3g}" for x in shapes.x))
    for curve in shapes.curves:
        name = short_label(curve.loss)
        print(f"{'ℓ ' + name:<{label}}" + "".join(_cell(v) for v in curve.values))
        print(f"{'∂ℓ/∂z ' + name:<{label}}" + "".join(_cell(v) for v in curve.gradient))
    print()
    for curve in shapes.curves:
        words = [] if curve.role == "trap" else [curve.role]  # a trap's title says so
        if curve.recorded_as:
            words.append(curve.recorded_as)
        said = f" ({', '.join(words)})" if words else ""
        print(f"{short_label(curve.loss)}: {curve.title}{said}")
    for title, why in shapes.left_out:
        print(f"No curve for {title}: {why}.")
    return 0


def _cell(value: float) -> str:
    """A number in a column 7 wide, at most 6 characters: three decimals below 10, three
    significant digits from 10, an exponent below 0.001; "-" where the curve has a gap."""
    if not math.isfinite(value):
        text = "-"
    elif abs(value) < 1e-12:  # 0, or 0 but for rounding (the Poisson gradient at λ = y)
        text = "0"
    elif abs(value) < 0.001:
        text = f"{value:.0e}"
    elif abs(value) < 10:
        text = f"{value:.3f}"
    else:
        text = f"{value:.3g}"
    return f"{text:>7}"
