"""`losstui info --p P --q Q`: entropy, cross-entropy and KL divergence (both ways) and
Jensen-Shannon divergence of two discrete distributions."""

from __future__ import annotations

import argparse
from typing import Any

from losstui.cli.parser import BASES, PROG, UsageError
from losstui.cli.printing import print_json
from losstui.core.text import format_information, to_ascii


def cmd_info(args: argparse.Namespace) -> int:
    """Print the seven quantities of P and Q in the unit of --base, as a table or JSON."""
    from losstui.core import info

    try:
        p = info.validate_distribution(args.p, "--p")
        q = info.validate_distribution(args.q, "--q")
    except ValueError as exc:
        raise UsageError(f"{PROG} info: error: {exc}") from None
    if p.shape != q.shape:
        raise UsageError(
            f"{PROG} info: error: --p has {p.size} probabilities but --q has {q.size}; "
            "they must have the same length"
        )
    base, unit = BASES[args.base]
    # (JSON key, shown name, value, what it means)
    rows = [
        ("entropy_p", "H(P)", info.entropy(p, base), "entropy of P"),
        ("entropy_q", "H(Q)", info.entropy(q, base), "entropy of Q"),
        ("cross_entropy_pq", "H(P,Q)", info.cross_entropy(p, q, base), "= H(P) + KL(P||Q)"),
        ("cross_entropy_qp", "H(Q,P)", info.cross_entropy(q, p, base), "= H(Q) + KL(Q||P)"),
        (
            "kl_pq",
            "KL(P||Q)",
            info.kl_divergence(p, q, base),
            f"extra {unit} to code samples of P with a code built for Q",
        ),
        ("kl_qp", "KL(Q||P)", info.kl_divergence(q, p, base), "the other way: KL is not symmetric"),
        ("js", "JS(P,Q)", info.js_divergence(p, q, base), "Jensen-Shannon: symmetric, finite"),
    ]
    if args.json:
        values = {key: value for key, _, value, _ in rows}
        print_json({"p": p.tolist(), "q": q.tolist(), "base": args.base, "unit": unit, **values})
        return 0
    print(f"P = {_list(p)}")
    print(f"Q = {_list(q)}")
    print(f"in {unit} (log base {args.base})")
    # The labels here are ASCII (KL(P||Q)), so the numbers are too: ∞ is "inf".
    shown = [to_ascii(format_information(value)) for _, _, value, _ in rows]
    width = max(7, *(len(text) for text in shown))
    for (_, name, _, meaning), text in zip(rows, shown, strict=True):
        print(f"{name:<9} = {text:>{width}}   {meaning}")
    return 0


def _list(values: Any) -> str:
    """A distribution as typed: "[0.1, 0.4, 0.5]"."""
    return "[" + ", ".join(f"{v:g}" for v in values) + "]"
