"""The lesson file format: reading and checking the Markdown files of guided walkthroughs.

A lesson is one UTF-8 Markdown file (the format of `losstui.core.content`, documented for authors in
`docs/lessons.md`):

    ---
    title: Logistic regression as maximum likelihood
    summary: The Bernoulli likelihood, log loss, and why squared error learns slowly.
    minutes: 15
    requires: what-is-a-loss          (optional: a lesson to take first)
    ---
    Prose of step 1, rendered as Markdown. It may quote live values: {val_loss}, {accuracy}.
    <!-- Speaker notes, shown only with --instructor. -->

    ```losstui
    set problem=binary_classification pane=train
    lock loss lr
    wait step >= 200
    hint Press space to train.
    ```
    ---
    Step 2 ...

A step is prose plus at most one fenced block tagged `losstui` of directives, one per line:
`set KEY=VALUE ...` (the setup-line grammar), `lock NAME ...`, `unlock NAME ...`, `hide NAME ...`,
`show NAME ...`, `run STEPS`, `pause`, `wait CONDITION`, `hint TEXT`, and `ask QUESTION` followed by
its choices `- [x] text | feedback` (the correct one) and `- [ ] text | feedback`.

`check_lesson` reports every error as `PATH:LINE: message`; `parse_lesson` raises the first. The
check also replays each step's `set` on a fresh app state, so a setting that cannot go with the
ones before it (a loss the dataset cannot train) is caught before class. UI-free: the app's lesson
runner and `losstui lesson check` read lessons through this module.
"""

from __future__ import annotations

import math
import operator
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from losstui.core.content import Block, ContentError, parse_document, read_document
from losstui.core.settings import SETTINGS, SettingError, get_setting, parse_setup_line
from losstui.core.tasks import TASKS
from losstui.core.text import PERCENT_METRICS

#: Front-matter keys: the required ones, then the optional one.
REQUIRED_META = ("title", "summary", "minutes")
OPTIONAL_META = ("requires",)
MAX_MINUTES = 600
MAX_RUN = 1_000_000

#: Answers a question may have: the app answers them with the keys a to g (h is the hint).
MAX_CHOICES = 7
DIRECTIVES = ("set", "lock", "unlock", "hide", "show", "run", "pause", "wait", "hint", "ask")

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

_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
}
_CONDITION = re.compile(r"([a-z_0-9]+)\s*(?:(<=|>=|==|!=|<|>)\s*(\S+))?\Z")
_PLACEHOLDER = re.compile(r"\{([^{}\s]*)\}")
_NOTE = re.compile(r"<!--(.*?)-->", re.DOTALL)
_CHOICE = re.compile(r"-\s*\[([ xX])\]\s*(.*?)\s*(?:\|\s*(.*?)\s*)?\Z")
_FENCE = "```"


@dataclass(frozen=True)
class Condition:
    """`name op value` (`val_loss < 0.3`, `loss == mean_squared_error`) or a flag (`diverged`)."""

    text: str
    name: str
    op: str | None = None
    value: Any = None

    def holds(self, values: Mapping[str, Any]) -> bool:
        """Whether the condition holds for `values` (see `lesson_values`); a number that is
        missing or not finite (no accuracy for a regression, a diverged loss) never holds."""
        current = values.get(self.name)
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
    pause: bool = False
    wait: Condition | None = None
    wait_line: int = 0
    hint: str = ""
    ask: Question | None = None


@dataclass(frozen=True)
class Lesson:
    source: str
    title: str
    summary: str
    minutes: int
    requires: str | None
    steps: tuple[Step, ...]


# -- reading --------------------------------------------------------------------------------------


class _Errors:
    """Collects every error of a file, in line order, so that `lesson check` reports them all."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[ContentError] = []

    def add(self, line: int | None, problem: str) -> None:
        self.found.append(ContentError(self.source, line, problem))


def parse_condition(text: str) -> Condition:
    """A `wait` condition; SettingError naming what is wrong."""
    match = _CONDITION.match(text.strip())
    if match is None:
        raise SettingError(
            f"expected a condition such as `val_loss < 0.3`, `loss == hinge` or `diverged`, "
            f"got {text.strip()!r}"
        )
    name, op, raw = match.groups()
    if name not in NAMES:
        raise SettingError(f"unknown name {name!r} in a condition; allowed: {', '.join(NAMES)}")
    if op is None:
        if name not in FLAGS:
            raise SettingError(
                f"{name} needs a comparison (e.g. `{name} >= 1`); alone only: {', '.join(FLAGS)}"
            )
        return Condition(text.strip(), name)
    if name in FLAGS:
        raise SettingError(f"{name} is a yes/no state: write `wait {name}` alone")
    if name in PERCENT_METRICS:
        # Shown as a percentage, held as a fraction: `accuracy > 0.9` and `accuracy > 90%`.
        try:
            value: Any = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
        except ValueError:
            raise SettingError(
                f"{name} compares with a fraction from 0 to 1 or a percentage (0.9 or 90%), "
                f"got {raw!r}"
            ) from None
        if not 0 <= value <= 1:
            raise SettingError(
                f"{name} is a fraction from 0 to 1, shown as a percentage: write 0.9 or 90% "
                f"for 90.0%, got {raw!r}"
            )
    elif name in NUMBERS:
        try:
            value = float(raw)
        except ValueError:
            raise SettingError(f"{name} compares with a number, got {raw!r}") from None
    else:
        if op not in ("==", "!="):
            raise SettingError(f"{name} is a setting: compare it with == or !=, not {op}")
        value = get_setting(name).parse(raw)
    return Condition(text.strip(), name, op, value)


def _steps(body: Block) -> list[Block]:
    """The body cut at `---` lines outside fenced blocks; blank steps are kept (an error)."""
    steps: list[Block] = []
    first, fenced = 0, False
    lines = body.lines
    for i, line in enumerate(lines):
        if line.strip().startswith(_FENCE):
            fenced = not fenced
        elif line.strip() == "---" and not fenced:
            steps.append(Block(body.source, body.start + first, lines[first:i]))
            first = i + 1
    # The last step runs to the end of the file (an unclosed fence included: _step reports it).
    steps.append(Block(body.source, body.start + first, lines[first:]))
    # A trailing rule leaves an empty last part: not a step.
    if len(steps) > 1 and steps[-1].is_blank():
        steps.pop()
    return steps


def _words(rest: str, line: int, errors: _Errors, what: str) -> tuple[str, ...]:
    from losstui.core.state import CONTROLS

    names = tuple(rest.split())
    if not names:
        errors.add(line, f"`{what}` needs one or more names; allowed: {', '.join(CONTROLS)}")
    for name in names:
        if name not in CONTROLS:
            errors.add(line, f"unknown control {name!r}; allowed: {', '.join(CONTROLS)}")
    return names


def _directives(block: Block, first: int, last: int, errors: _Errors) -> dict[str, Any]:
    """The directives of the fenced block between lines `first` and `last` (indices)."""
    out: dict[str, Any] = {}
    seen: set[str] = set()
    question: tuple[str, list[Choice], int] | None = None
    for i in range(first + 1, last):
        raw = block.lines[i].strip()
        line = block.start + i
        if not raw or raw.startswith("#"):
            continue
        if raw.startswith("-"):
            match = _CHOICE.match(raw)
            if question is None:
                errors.add(line, "a choice (`- [x] text | feedback`) must follow an `ask` line")
            elif match is None or not match.group(2):
                errors.add(line, f"expected a choice `- [x] text | feedback`, got {raw!r}")
            else:
                mark, text, feedback = match.groups()
                _check_placeholders(f"{text} {feedback or ''}", line, errors)
                question[1].append(Choice(text, mark != " ", feedback or ""))
            continue
        word, _, rest = raw.partition(" ")
        rest = rest.strip()
        if word not in DIRECTIVES:
            errors.add(line, f"unknown directive {word!r}; allowed: {', '.join(DIRECTIVES)}")
            continue
        if word in seen:
            errors.add(line, f"`{word}` is given twice in one step")
            continue
        seen.add(word)
        try:
            if word == "set":
                settings = parse_setup_line(rest)
                if not settings:
                    raise SettingError("`set` needs KEY=VALUE words")
                wrong = 0
                for key, value in settings.items():  # every bad value of the line, each named
                    try:  # by its key as written: lr, not its label
                        get_setting(key).parse(value)
                    except SettingError as error:
                        errors.add(line, f"{key}={value}: {error}")
                        wrong += 1
                if not wrong:
                    out["settings"] = settings
                    out["set_line"] = line
            elif word in ("lock", "unlock", "hide", "show"):
                out[word] = _words(rest, line, errors, word)
            elif word == "run":
                steps = int(rest) if rest.isdigit() else 0
                if not 1 <= steps <= MAX_RUN:
                    raise SettingError(f"`run` takes a number of steps from 1 to {MAX_RUN:,}")
                out["run"] = steps
            elif word == "pause":
                if rest:
                    raise SettingError("`pause` takes nothing after it")
                out["pause"] = True
            elif word == "wait":
                out["wait"] = parse_condition(rest)
                out["wait_line"] = line
            elif word == "hint":
                if not rest:
                    raise SettingError("`hint` needs its text on the same line")
                _check_placeholders(rest, line, errors)
                out["hint"] = rest
            elif word == "ask":
                if not rest:
                    raise SettingError("`ask` needs its question on the same line")
                _check_placeholders(rest, line, errors)
                question = (rest, [], line)
        except SettingError as error:
            errors.add(line, str(error))
    if question is not None:
        prompt, choices, line = question
        if not 2 <= len(choices) <= MAX_CHOICES or sum(c.correct for c in choices) != 1:
            errors.add(
                line,
                f"`ask` needs 2 to {MAX_CHOICES} choices (a to g, the keys that answer them), "
                "exactly one marked `- [x]`",
            )
        else:
            out["ask"] = Question(prompt, tuple(choices))
    return out


def _step(block: Block, errors: _Errors) -> Step | None:
    fences = [i for i, line in enumerate(block.lines) if line.strip().startswith(_FENCE)]
    directives: dict[str, Any] = {}
    prose_lines = list(block.lines)
    if fences:
        tag = block.lines[fences[0]].strip()[3:].strip()
        if tag == "losstui":
            if len(fences) < 2:
                errors.add(block.start + fences[0], "the ```losstui block is never closed")
                return None
            directives = _directives(block, fences[0], fences[1], errors)
            prose_lines = [*block.lines[: fences[0]], *block.lines[fences[1] + 1 :]]
            later = [i for i in fences[2:] if block.lines[i].strip() == "```losstui"]
            if later:
                errors.add(block.start + later[0], "a step has at most one ```losstui block")
    text = "\n".join(prose_lines)
    notes = tuple(" ".join(n.split()) for n in _NOTE.findall(text))
    prose = _NOTE.sub("", text).strip()
    if not prose and not fences:
        errors.add(block.start, "an empty step: give it some text or directives")
        return None
    for match in _PLACEHOLDER.finditer(prose):
        at = block.start + text[: text.find(match.group(0))].count("\n")
        _check_placeholders(match.group(0), at, errors)
    return Step(line=block.start, prose=prose, notes=notes, **directives)


def _check_placeholders(text: str, line: int, errors: _Errors) -> None:
    """Each `{name}` in `text` (prose, a hint, a question, a choice or its feedback) must be a
    live value."""
    for match in _PLACEHOLDER.finditer(text):
        if match.group(1) not in NAMES:
            errors.add(
                line,
                f"unknown placeholder {match.group(0)}; allowed: "
                + ", ".join("{" + n + "}" for n in NAMES),
            )


def _replay(lesson_steps: list[Step], errors: _Errors) -> None:
    """Apply each step's `set` in order to a fresh app state: a value that cannot go with the
    settings before it (a loss its dataset cannot train) is an error at its step."""
    from losstui.core.state import AppState
    from losstui.lessons.values import lesson_values

    state = AppState()
    for step in lesson_steps:
        if step.settings:
            try:
                state.apply(step.settings, force=True)
            except (SettingError, ValueError) as error:
                errors.add(step.set_line, f"set: {error}")
        wait = step.wait
        if wait is not None and wait.name in NUMBERS and wait.name not in INFORMATION:
            value = lesson_values(state).get(wait.name)
            if not (isinstance(value, (int, float)) and math.isfinite(value)):
                from losstui.core.problems import PROBLEMS

                problem = PROBLEMS[state.config.problem].title.lower()
                errors.add(
                    step.wait_line,
                    f"wait {wait.text}: {problem} has no {wait.name} at this step, so it would "
                    "never hold and the student could not go on",
                )


def _names_a_lesson(requires: str, source: str) -> bool:
    """Whether `requires` is a built-in lesson's number or name, or a lesson file (a path
    relative to the lesson's own file, or absolute)."""
    from losstui.lessons.library import find_lesson

    try:
        find_lesson(requires)
        return True
    except ContentError:
        return os.path.isfile(os.path.join(os.path.dirname(source), requires))


def check_lesson(text: str, source: str) -> list[ContentError]:
    """Every error of the lesson `text` (from `source`), in line order; [] if it is sound."""
    return _read(text, source)[1]


def parse_lesson(text: str, source: str) -> Lesson:
    """The lesson in `text`; ContentError (`source:line: message`) at its first error."""
    lesson, errors = _read(text, source)
    if errors or lesson is None:
        raise errors[0]
    return lesson


def read_lesson(path: str) -> Lesson:
    """The lesson in the UTF-8 file at `path`; ContentError at its first error."""
    return parse_lesson(read_text(path), path)


def read_text(path: str) -> str:
    """The text of the UTF-8 file at `path`; ContentError if it is missing or not UTF-8."""
    read_document(path)  # the file's own errors, worded once, in content
    with open(path, encoding="utf-8-sig") as f:
        return f.read()


def _read(text: str, source: str) -> tuple[Lesson | None, list[ContentError]]:
    errors = _Errors(source)
    try:
        doc = parse_document(text, source)
    except ContentError as error:
        return None, [error]
    if not doc.meta and not doc.meta_lines:
        errors.add(1, "a lesson starts with front matter: `---`, title, summary, minutes, `---`")
    for key in REQUIRED_META:
        if doc.meta and not doc.meta.get(key):
            where = doc.meta_lines.get(key, 1)
            errors.add(where, f"`{key}` is missing from the front matter")
    for key, line in doc.meta_lines.items():
        if key not in (*REQUIRED_META, *OPTIONAL_META):
            allowed = ", ".join((*REQUIRED_META, *OPTIONAL_META))
            errors.add(line, f"unknown front-matter key `{key}`; allowed: {allowed}")
    requires = doc.meta.get("requires", "")
    if requires and not _names_a_lesson(requires, source):
        errors.add(
            doc.meta_lines["requires"],
            f"`requires` names no lesson: {requires!r}; give a built-in lesson's number or name "
            "(losstui lesson lists them) or a lesson file's path, relative to this one",
        )
    minutes = 0
    raw_minutes = doc.meta.get("minutes", "")
    if raw_minutes:
        if raw_minutes.isdigit() and 1 <= int(raw_minutes) <= MAX_MINUTES:
            minutes = int(raw_minutes)
        else:
            errors.add(
                doc.meta_lines["minutes"],
                f"`minutes` must be a whole number from 1 to {MAX_MINUTES}, got {raw_minutes!r}",
            )
    steps = [s for s in (_step(block, errors) for block in _steps(doc.body)) if s is not None]
    if not steps and not errors.found:
        errors.add(doc.body.start, "a lesson needs at least one step")
    _replay(steps, errors)
    found = sorted(errors.found, key=lambda e: e.line or 0)
    if found:
        return None, found
    lesson = Lesson(
        source=source,
        title=doc.meta["title"],
        summary=doc.meta["summary"],
        minutes=minutes,
        requires=doc.meta.get("requires") or None,
        steps=tuple(steps),
    )
    return lesson, []
