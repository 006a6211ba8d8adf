"""The lesson language: the names a lesson's conditions and placeholders use, its `wait`
conditions, and the parts a parsed lesson is made of (`Lesson`, `Step`, `Question`, `Choice`).

The bottom of the lessons package: it imports nothing else of it. `format` reads a file into these
parts, `values` gives the names their live values, and the runner steps through them.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from losstui.core.settings import MAX_RUNS, SETTINGS, TRAINING_KEYS, SettingError, get_setting
from losstui.core.tasks import TASKS
from losstui.core.text import PERCENT_METRICS

#: Density estimation's fit against its closed form: the SGD estimate μ and σ of a Gaussian, and
#: the training samples' mean, standard deviation (dividing by n) and mean NLL under
#: N(mean, std²), the lowest any one Gaussian reaches on them.
DENSITY = ("mu", "sigma", "sample_mean", "sample_std", "sample_nll")
#: Numbers a condition compares and prose quotes, besides the numeric settings.
NUMBERS: tuple[str, ...] = (
    "step",
    "epoch",
    "train_loss",
    "val_loss",
    *sorted({m for task in TASKS.values() for m in task.metrics}),
    "h_p",
    "h_q",
    "h_pq",
    "h_qp",
    "kl_pq",
    "kl_qp",
    "js",
    *DENSITY,
)
#: Yes/no states a condition names alone: `wait diverged`.
FLAGS: tuple[str, ...] = ("diverged", "running", "paused")
#: The P/Q lab's measures, written in the state's units.
INFORMATION = ("h_p", "h_q", "h_pq", "h_qp", "kl_pq", "kl_qp", "js")
#: Every name a condition or a placeholder may use.
NAMES: tuple[str, ...] = (*NUMBERS, *FLAGS, *SETTINGS)
#: Names training moves: a `wait` on one is met by training (fast-forward stops where it first
#: holds; going back trains until it holds). Not the P/Q lab's measures, the samples' own
#: statistics, the pane or the units.
TRAINED = (frozenset(NUMBERS) - set(INFORMATION) - {"sample_mean", "sample_std", "sample_nll"}) | {
    "diverged"
}
#: What each run of a race has of its own, quoted as `{run2.accuracy}` and compared as
#: `wait run2.accuracy > 0.8`: what training moves and the run's training settings.
RUN_NAMES: frozenset[str] = TRAINED | frozenset(TRAINING_KEYS)
#: A run of a race named in a condition or a placeholder: `run2.val_loss` (run 2's validation
#: loss), `run2` alone (what sets run 2 apart: "Mean squared error", "lr 0.1"). Runs count from 1,
#: in the order the race lists them.
_RUN_NAME = re.compile(r"run([0-9]+)(?:\.(.*))?\Z", re.DOTALL)
#: The values a number can take, low to high (both ends included): a wait outside them can never
#: hold. A loss's own floor depends on the loss (`_loss_floor`); JS is at most 1 bit (ln 2 nats).
RANGES: dict[str, tuple[float, float]] = {
    "step": (0, math.inf),
    "epoch": (0, math.inf),
    "accuracy": (0, 1),
    "subset_accuracy": (0, 1),
    "hamming_loss": (0, 1),
    "r2": (-math.inf, 1),
    "mae": (0, math.inf),
    **{name: (0, math.inf) for name in INFORMATION},
    "js": (0, 1),
    "sigma": (0, math.inf),
    "sample_std": (0, math.inf),
}
#: A `wait`'s conditions combine with these words; `and` binds closer than `or`.
JOINS = ("and", "or")

_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
}
_CONDITION = re.compile(r"([a-z_0-9]+(?:\.[a-z_0-9]+)?)\s*(?:(<=|>=|==|!=|<|>)\s*(\S+))?\Z")
#: A placeholder in prose, `{val_loss}`: a live value or a kept one.
PLACEHOLDER = re.compile(r"\{([^{}\s]*)\}")


def run_name(name: str) -> tuple[int, str] | None:
    """A name of one run of a race, as (run, name): `run2.accuracy` → (2, "accuracy"), `run2` →
    (2, ""); None for a name that does not start with `runN` (SettingError for one that does but
    names no run or no value a run has of its own)."""
    match = _RUN_NAME.match(name)
    if match is None:
        return None
    run, own = int(match.group(1)), match.group(2) or ""
    if not 1 <= run <= MAX_RUNS:
        raise SettingError(f"{name}: a race has runs 1 to {MAX_RUNS}, got run {match.group(1)}")
    if own and own not in RUN_NAMES:
        raise SettingError(
            f"{name}: a run's own values are {', '.join(sorted(RUN_NAMES))}, got {own!r}"
        )
    return run, own


def run_key(run: int, name: str) -> str:
    """Where `lesson_values` holds run `run`'s `name` ("" for what sets the run apart)."""
    return f"run{run}.{name}" if name else f"run{run}"


@dataclass(frozen=True)
class Condition:
    """`name op value` (`val_loss < 0.3`, `loss == mean_squared_error`), a flag (`diverged`), or
    conditions combined: `step >= 300 and accuracy > 0.9`, `diverged or step >= 2000` (`parts`
    joined by `join`, "and" or "or"; `and` binds closer). A combined condition's `name` is that
    of its first part on what training moves (see TRAINED), else of its first part, so that
    whatever asks "is this a wait on training?" treats it as one if any part is. `run`: in a
    race, the run whose value it tests (`run2.accuracy > 0.8`: 2, `name` "accuracy"); None for
    the selected run's, and for the clock's step."""

    text: str
    name: str
    op: str | None = None
    value: Any = None
    parts: tuple[Condition, ...] = ()
    join: str = ""
    run: int | None = None

    @property
    def key(self) -> str:
        """Where `lesson_values` holds the value it tests."""
        return self.name if self.run is None else run_key(self.run, self.name)

    def simple(self) -> tuple[Condition, ...]:
        """The single comparisons and flags it is made of, in the order written."""
        if not self.parts:
            return (self,)
        return tuple(leaf for part in self.parts for leaf in part.simple())

    def holds(self, values: Mapping[str, Any]) -> bool:
        """Whether the condition holds for `values` (see `lesson_values`); a number that is
        missing or not finite (no accuracy for a regression, a diverged loss) never holds."""
        if self.parts:
            combine = all if self.join == "and" else any
            return combine(part.holds(values) for part in self.parts)
        current = values.get(self.key)
        if self.op is None:
            return bool(current)
        number = isinstance(current, (int, float)) and math.isfinite(current)
        if isinstance(self.value, float) and not number:
            return False
        return _OPERATORS[self.op](current, self.value)


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    prompt: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Step:
    """One step: its prose (Markdown, speaker notes removed) and what it does to the app."""

    line: int
    prose: str
    notes: tuple[str, ...] = ()
    settings: dict[str, str] = field(default_factory=dict)
    set_line: int = 0
    lock: tuple[str, ...] = ()
    unlock: tuple[str, ...] = ()
    hide: tuple[str, ...] = ()
    show: tuple[str, ...] = ()
    run: int = 0
    run_line: int = 0
    pause: bool = False
    wait: Condition | None = None
    wait_line: int = 0
    #: `keep NAME as KEPT, ...`: (NAME, KEPT) pairs, kept when the student leaves the step.
    keep: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    ask: Question | None = None
    #: The prose shown until the step is done (its wait held, its question answered right),
    #: where a `<!-- then -->` line ends it; None: the whole prose shows from the start.
    before_done: str | None = None


@dataclass(frozen=True)
class Lesson:
    source: str
    title: str
    summary: str
    minutes: int
    requires: str | None
    steps: tuple[Step, ...]


def parse_condition(text: str) -> Condition:
    """A `wait` condition: `NAME OP VALUE` or a flag, several joined by `and` / `or` (`and`
    binds closer; no parentheses); SettingError naming what is wrong (the first wrong part)."""
    text = text.strip()
    groups = [g.strip() for g in re.split(r"\s+or\s+", text)]
    if len(groups) == 1:
        ands = [a.strip() for a in re.split(r"\s+and\s+", text)]
        if len(ands) == 1:
            return _parse_simple(text)
        return _combined(text, "and", [_parse_simple(a) for a in ands])
    return _combined(text, "or", [parse_condition(g) for g in groups])


def _combined(text: str, join: str, parts: list[Condition]) -> Condition:
    leaves = [leaf for part in parts for leaf in part.simple()]
    trained = [leaf.name for leaf in leaves if leaf.name in TRAINED]
    return Condition(text, (trained or [leaves[0].name])[0], parts=tuple(parts), join=join)


def _parse_simple(text: str) -> Condition:
    """One comparison, `NAME OP VALUE`, or a flag alone."""
    if not text or text in JOINS:
        raise SettingError("`and` and `or` join two conditions: a condition is missing")
    text = text.strip()
    match = _CONDITION.match(text)
    if match is None:
        raise SettingError(
            f"expected a condition such as `val_loss < 0.3`, `loss == hinge` or `diverged`, "
            f"got {text!r}"
        )
    written, op, raw = match.groups()
    ran = run_name(written)
    run, name = ran if ran is not None else (None, written)
    if name not in NAMES:
        raise SettingError(
            f"unknown name {written!r} in a condition; allowed: {', '.join(NAMES)}, and in a "
            "race run1.NAME to run4.NAME"
        )
    if op is None:
        return _flag(text, name, run)
    if name in FLAGS:
        raise SettingError(f"{written} is a yes/no state: write `wait {written}` alone")
    condition = Condition(text, name, op, _compared_value(name, op, raw), run=run)
    _check_can_hold(condition)
    return condition


def _flag(text: str, name: str, run: int | None) -> Condition:
    """`diverged`: a name alone, which only a yes/no state may be."""
    if name not in FLAGS:
        written = name if run is None else run_key(run, name)
        raise SettingError(
            f"{written} needs a comparison (e.g. `{written} >= 1`); alone only: {', '.join(FLAGS)}"
        )
    return Condition(text, name, run=run)


def _compared_value(name: str, op: str, raw: str) -> Any:
    """The value `raw` that `name` is compared with: a fraction for a metric shown as a
    percentage, a number for another number, a setting's value for a setting."""
    if name in PERCENT_METRICS:
        return _fraction(name, raw)
    if name in NUMBERS:
        return _finite_number(name, raw)
    if op not in ("==", "!="):
        raise SettingError(f"{name} is a setting: compare it with == or !=, not {op}")
    return get_setting(name).parse(raw)


def _fraction(name: str, raw: str) -> float:
    """Shown as a percentage, held as a fraction: `accuracy > 0.9` and `accuracy > 90%`."""
    try:
        value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise SettingError(
            f"{name} compares with a fraction from 0 to 1 or a percentage (0.9 or 90%), got {raw!r}"
        ) from None
    if not 0 <= value <= 1:
        raise SettingError(
            f"{name} is a fraction from 0 to 1, shown as a percentage: write 0.9 or 90% "
            f"for 90.0%, got {raw!r}"
        )
    return value


def _finite_number(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise SettingError(f"{name} compares with a number, got {raw!r}") from None
    if not math.isfinite(value):
        # inf and nan read as numbers, but no value ever reaches them (nan equals nothing).
        raise SettingError(f"{name} compares with a finite number, got {raw!r}")
    return value


def _check_can_hold(condition: Condition) -> None:
    """SettingError for a comparison outside the values its name takes (RANGES)."""
    name = condition.name
    if name in RANGES and never_holds(condition, *RANGES[name]):
        low, high = RANGES[name]
        raise SettingError(f"wait {condition.text} can never hold: {_range(name, low, high)}")


def never_holds(condition: Condition, low: float, high: float) -> bool:
    """Whether a comparison can never hold on a value that lies from `low` to `high`."""
    value, op = condition.value, condition.op
    return (
        (op == ">" and value >= high)
        or (op == ">=" and value > high)
        or (op == "<" and value <= low)
        or (op == "<=" and value < low)
        or (op == "==" and not low <= value <= high)
    )


def _range(name: str, low: float, high: float) -> str:
    """What values `name` takes, in words: "r2 is at most 1"."""
    if name in PERCENT_METRICS:
        return f"{name} is a fraction from 0 to 1 (0% to 100%)"
    if name == "js":
        return "JS(P,Q) lies from 0 to 1 bit (ln 2 nats)"
    if low == -math.inf:
        return f"{name} is at most {high:g}"
    if high == math.inf:
        return f"{name} is never below {low:g}"
    return f"{name} lies from {low:g} to {high:g}"
