"""`losstui recommend KEY`: the loss and output activation for a problem, the maximum-likelihood
reason, alternatives and the names in PyTorch, Keras and scikit-learn."""

from __future__ import annotations

import argparse
from typing import Any

from losstui.cli.printing import bullet, print_json, wrap
from losstui.core.problems import PROBLEMS


def _recommendation_dict(key: str) -> dict[str, Any]:
    """The problem and its recommendation, every field of each, for --json."""
    from dataclasses import asdict

    from losstui.core.problems import recommend

    problem = PROBLEMS[key]
    return {"problem": asdict(problem), "recommendation": asdict(recommend(key))}


def cmd_recommend(args: argparse.Namespace) -> int:
    """Print the recommendation for the problem KEY, as text wrapped to 88 columns or JSON."""
    from losstui.core.problems import Standing, loss_verdict, recommend
    from losstui.core.tasks import get_task

    if args.json:
        print_json(_recommendation_dict(args.key))
        return 0
    problem = PROBLEMS[args.key]
    rec = recommend(args.key)
    loss = f"{rec.loss} ({rec.loss_title})" if rec.loss else rec.loss_title
    field = " " * 15
    lines = [
        wrap(f"{problem.title}: {problem.summary}", "", ""),
        "",
        wrap(problem.target, "Target:        ", field),
        wrap(rec.distribution, "Distribution:  ", field),
        # The rationale explains the activation; a density has parameters, not an output layer.
        wrap(rec.activation_reason, "Parameters:    ", field)
        if not get_task(problem.kind).supervised
        else wrap(f"{rec.activation} on the output", "Activation:    ", field),
        wrap(loss, "Loss:          ", field),
        f"Formula:       {rec.formula}",
        "",
        "Why (maximum likelihood):",
        wrap(rec.rationale),
    ]
    # The kinds the app names: recommended (above, or in another form), alternatives, not.
    for title, kind in (
        ("The same choice in another form:", Standing.RECOMMENDED),
        ("Reasonable alternatives:", Standing.ALTERNATIVE),
        ("Not recommended:", Standing.NOT_RECOMMENDED),
    ):
        listed = [a for a in rec.alternatives if loss_verdict(args.key, a.loss).standing is kind]
        if listed:
            lines += ["", title]
            lines += [bullet(f"{alt.loss}: {alt.when}") for alt in listed]
    lines += [
        "",
        "In the libraries:",
        wrap(f"PyTorch: {rec.pytorch}"),
        wrap(f"Keras: {rec.keras}"),
        wrap(f"scikit-learn: {rec.sklearn}"),
    ]
    if rec.pitfalls:
        lines += ["", "Pitfalls:"]
        lines += [bullet(p) for p in rec.pitfalls]
    print("\n".join(lines))
    return 0
