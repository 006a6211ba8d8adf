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
`show NAME ...`, `run STEPS`, `pause`, `wait CONDITION` (conditions joined by `and` / `or`),
`keep NAME as KEPT, ...` (quoted by later steps as `{KEPT}`), `hint TEXT`, and `ask QUESTION`
followed by its choices `- [x] text | feedback` (the correct one) and `- [ ] text | feedback` (a
`|` inside either written `\\|`). A prose line `<!-- then -->` ends the part shown until the step
is done (its wait held, its question answered right).

`check_lesson` reports every error as `PATH:LINE: message`; `parse_lesson` raises the first. The
check also replays each step's `set` on a fresh app state, so a setting that cannot go with the
ones before it (a loss the dataset cannot train) is caught before class. UI-free: the app's lesson
runner and `losstui lesson check` read lessons through this module.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from losstui.core.content import Block, ContentError, parse_document
from losstui.core.settings import (
    SHOWN_CHARACTERS,
    TRAINING_KEYS,
    SettingError,
    get_setting,
    parse_setup_line,
    shown_value,
)
from losstui.lessons.files import find_lesson, read_text
from losstui.lessons.language import (
    FLAGS,
    INFORMATION,
    NAMES,
    NUMBERS,
    PLACEHOLDER,
    TRAINED,
    Choice,
    Condition,
    Lesson,
    Question,
    Step,
    never_holds,
    parse_condition,
    run_name,
)
from losstui.lessons.values import lesson_values

if TYPE_CHECKING:
    from losstui.core.losses import Loss
    from losstui.core.state import AppState
    from losstui.core.trainer import TrainConfig

#: Front-matter keys: the required ones, then the optional one.
REQUIRED_META = ("title", "summary", "minutes")
OPTIONAL_META = ("requires",)
#: The longest a title and a summary may be: the lesson lists show them on a line or two.
META_LENGTHS = {"title": 100, "summary": 400}
MAX_MINUTES = 600
MAX_RUN = 1_000_000
#: Going back: at most this many steps to meet a wait on a loss or a metric.
REPLAY_STEPS = 20_000

#: Answers a question may have: the app answers them with the keys a to g (h is the hint).
MAX_CHOICES = 7

_NOTE = re.compile(r"<!--(.*?)-->", re.DOTALL)
#: The line that ends the part of a step's prose shown before the step is done.
THEN = "<!-- then -->"
_THEN = re.compile(r"\s*<!--\s*then\s*-->\s*\Z", re.IGNORECASE)
#: `keep NAME as KEPT`: the name a kept value is quoted by.
_KEPT_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_KEEP = re.compile(r"([a-z_0-9]+(?:\.[a-z_0-9]+)?)\s+as\s+(\S+)\Z")
_CHOICE = re.compile(r"-\s*\[([ xX])\]\s*(.*)\Z")
_FENCE = "```"
_LOSSTUI_FENCE = "```losstui"
#: A fence line: its backticks, then its tag (none on a closing fence).
_FENCE_LINE = re.compile(r"(`{3,})\s*(.*)\Z")
#: Where a choice's text ends and its feedback starts: a `|` not written `\|`.
_SEPARATOR = re.compile(r"(?<!\\)\|")
#: Terminal escape sequences: CSI (`ESC [` … a final byte), OSC, DCS, SOS, PM and APC strings
#: (ended by BEL or `ESC \`, or the end of the text), and an ESC with the one character after
#: it; their 8-bit forms too.
_ESCAPE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|\Z)"
    r"|\x1b.?",
    re.DOTALL,
)
#: Control characters left after that, but for the newline and the tab: C0, DEL and C1.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# -- reading --------------------------------------------------------------------------------------


class _Errors:
    """Collects every error of a file, in line order, so that `lesson check` reports them all."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[ContentError] = []
        #: The step being read (its index among the file's steps), and for each name a `keep`
        #: gives, the step and line that keep it; placeholders that are not live values,
        #: as (name, step, line), resolved against the kept names once every step is read.
        self.step = 0
        self.kept: dict[str, tuple[int, int]] = {}
        self.quoted: list[tuple[str, int, int]] = []
        #: The runs of a race that placeholders, waits and keeps name, as (run, the first line
        #: of the step, line):
        #: the step must race that many runs (checked as the steps' settings are replayed).
        self.runs: list[tuple[int, int, int]] = []
        #: The first line of the step being read (its `Step.line`).
        self.step_line = 0

    def add(self, line: int | None, problem: str) -> None:
        self.found.append(ContentError(self.source, line, problem))


def _fences(lines: tuple[str, ...]) -> list[tuple[int, int | None]]:
    """The fenced blocks of `lines`, as (opening index, closing index or None when never closed).

    As CommonMark has it, a fence opens on a line of three or more backticks, tagged or not,
    and closes on a line of backticks alone, at least as many. A ```losstui block holds
    directives, never a `---` line nor another fence's opening: meeting one, the block was
    never closed, and it ends there, so that what follows is read as written, not swallowed."""
    pairs: list[tuple[int, int | None]] = []
    opened: int | None = None
    ticks = 0  # the opening fence's backticks
    for i, line in enumerate(lines):
        text = line.strip()
        fence = _FENCE_LINE.match(text)
        closes = fence is not None and not fence.group(2) and len(fence.group(1)) >= ticks
        stray = text == "---" or (fence is not None and not closes)  # in directives
        if opened is not None and stray and lines[opened].strip() == _LOSSTUI_FENCE:
            pairs.append((opened, None))
            opened = None
        if fence is None:
            continue
        if opened is None:
            opened, ticks = i, len(fence.group(1))
        elif closes:
            pairs.append((opened, i))
            opened = None
    if opened is not None:
        pairs.append((opened, None))
    return pairs


def _steps(body: Block, errors: _Errors) -> list[Block]:
    """The body cut at `---` lines outside fenced blocks; blank steps are kept (an error). A
    ```losstui block never closed is one error, at the line that opens it."""
    lines = body.lines
    inside: set[int] = set()
    for first, last in _fences(lines):
        if last is None and lines[first].strip() == _LOSSTUI_FENCE:
            errors.add(body.start + first, "the ```losstui block opened here is never closed")
        elif last is not None:
            inside.update(range(first, last))
        else:  # another language's block, never closed: it runs to the end of the file
            inside.update(range(first, len(lines)))
    steps: list[Block] = []
    first = 0
    for i, line in enumerate(lines):
        if line.strip() == "---" and i not in inside:
            steps.append(Block(body.source, body.start + first, lines[first:i]))
            first = i + 1
    steps.append(Block(body.source, body.start + first, lines[first:]))
    # A trailing rule leaves an empty last part: not a step.
    if len(steps) > 1 and steps[-1].is_blank():
        steps.pop()
    return steps


def _keeps(rest: str, line: int, errors: _Errors) -> tuple[tuple[str, str], ...]:
    """`keep NAME as KEPT, NAME as KEPT ...`: the pairs, each checked (a live value's name, a
    new name for it that no other `keep` of the lesson gives)."""
    pairs: list[tuple[str, str]] = []
    for part in rest.split(","):
        match = _KEEP.match(part.strip())
        if match is None:
            raise SettingError(
                f"expected `keep NAME as KEPT` (e.g. `keep r2 as squared_r2`), got {part.strip()!r}"
            )
        name, kept = match.groups()
        ran = run_name(name)
        if ran is not None:
            errors.runs.append((ran[0], errors.step_line, line))
        own = name if ran is None else ran[1]
        if own not in NAMES:
            raise SettingError(
                f"unknown name {name!r} to keep; allowed: {', '.join(NAMES)}, and in a race "
                "run1.NAME to run4.NAME"
            )
        if own in FLAGS:
            raise SettingError(f"{name} is a yes/no state: keep a number or a setting")
        if not _KEPT_NAME.match(kept) or kept in NAMES or _is_run_name(kept):
            raise SettingError(
                f"a kept value's name is lower-case letters, digits and _, and not a live "
                f"value's name nor a run's (run1 to run4), got {kept!r}"
            )
        if kept in errors.kept:
            raise SettingError(f"{kept} is kept already, at line {errors.kept[kept][1]}")
        errors.kept[kept] = (errors.step, line)
        pairs.append((name, kept))
    return tuple(pairs)


def _unescape(text: str) -> str:
    """A choice's text or feedback as shown: trimmed, each `\\|` a `|`."""
    return text.strip().replace("\\|", "|")


def _words(rest: str, line: int, errors: _Errors, what: str) -> tuple[str, ...]:
    from losstui.core.state import CONTROLS

    names = tuple(rest.split())
    if not names:
        errors.add(line, f"`{what}` needs one or more names; allowed: {', '.join(CONTROLS)}")
    for name in names:
        if name not in CONTROLS:
            errors.add(line, f"unknown control {name!r}; allowed: {', '.join(CONTROLS)}")
    return names


class _Directives:
    """What the directives of one fenced block give, read a line at a time: each directive's
    handler (`_HANDLERS`) writes its values into `out`; the choices after `ask` gather in
    `question`, checked once the block ends (`result`)."""

    def __init__(self, errors: _Errors) -> None:
        self.errors = errors
        self.out: dict[str, Any] = {}
        self.seen: set[str] = set()
        self.question: tuple[str, list[Choice], int] | None = None
        self.wrong_choice = False  # reported at its line: the count of choices would mislead

    def read(self, raw: str, line: int) -> None:
        """One line of the block, stripped: blank, a comment, a choice or a directive."""
        if not raw or raw.startswith("#"):
            return
        if raw.startswith("-"):
            self.choice(raw, line)
        else:
            self.directive(raw, line)

    def choice(self, raw: str, line: int) -> None:
        """`- [x] text | feedback`: a choice of the question the block's `ask` asks."""
        match = _CHOICE.match(raw)
        parts = _SEPARATOR.split(match.group(2)) if match is not None else []
        if self.question is None:
            self.errors.add(line, "a choice (`- [x] text | feedback`) must follow an `ask` line")
            return
        if match is None or not parts[0].strip():
            self.wrong_choice = True
            self.errors.add(line, f"expected a choice `- [x] text | feedback`, got {raw!r}")
            return
        if len(parts) > 2:
            self.wrong_choice = True
            self.errors.add(
                line,
                "a choice has one `|`, between its text and its feedback: write a `|` "
                f"inside either as `\\|`, got {raw!r}",
            )
            return
        text, feedback = (_unescape(p) for p in (*parts, "")[:2])
        _check_placeholders(f"{text} {feedback}", line, self.errors)
        self.question[1].append(Choice(text, match.group(1) != " ", feedback))

    def directive(self, raw: str, line: int) -> None:
        """`WORD REST`: a known directive, once a block, read by its handler."""
        word, _, rest = raw.partition(" ")
        if word not in _HANDLERS:
            self.errors.add(line, f"unknown directive {word!r}; allowed: {', '.join(DIRECTIVES)}")
            return
        if word in self.seen:
            self.errors.add(line, f"`{word}` is given twice in one step")
            return
        self.seen.add(word)
        try:
            _HANDLERS[word](self, rest.strip(), line)
        except SettingError as error:
            self.errors.add(line, str(error))

    def result(self) -> dict[str, Any]:
        """The directives read, with the question asked once its choices are sound."""
        if self.question is None or self.wrong_choice:
            return self.out
        prompt, choices, line = self.question
        if not 2 <= len(choices) <= MAX_CHOICES or sum(c.correct for c in choices) != 1:
            self.errors.add(
                line,
                f"`ask` needs 2 to {MAX_CHOICES} choices (a to g, the keys that answer them), "
                "exactly one marked `- [x]`",
            )
        else:
            self.out["ask"] = Question(prompt, tuple(choices))
        return self.out


def _set(block: _Directives, rest: str, line: int) -> None:
    """`set KEY=VALUE ...`: kept only when every value reads; each bad one is an error named by
    its key as written (lr, not its label)."""
    settings = parse_setup_line(rest)
    if not settings:
        raise SettingError("`set` needs KEY=VALUE words")
    wrong = 0
    for key, value in settings.items():
        try:
            get_setting(key).parse(value)
        except SettingError as error:
            # As written, unless a long value would make the line a page.
            written = value if len(value) <= SHOWN_CHARACTERS else shown_value(value)
            block.errors.add(line, f"{key}={written}: {error}")
            wrong += 1
    if not wrong:
        block.out["settings"] = settings
        block.out["set_line"] = line


def _controls(word: str) -> Callable[[_Directives, str, int], None]:
    """The handler of `lock`, `unlock`, `hide` or `show` (`word`): the controls named."""

    def handler(block: _Directives, rest: str, line: int) -> None:
        block.out[word] = _words(rest, line, block.errors, word)

    return handler


def _run(block: _Directives, rest: str, line: int) -> None:
    steps = int(rest) if rest.isdigit() else 0
    if not 1 <= steps <= MAX_RUN:
        raise SettingError(f"`run` takes a number of steps from 1 to {MAX_RUN:,}")
    block.out["run"] = steps
    block.out["run_line"] = line


def _pause(block: _Directives, rest: str, line: int) -> None:
    if rest:
        raise SettingError("`pause` takes nothing after it")
    block.out["pause"] = True


def _wait(block: _Directives, rest: str, line: int) -> None:
    wait = parse_condition(rest)
    block.out["wait"] = wait
    block.out["wait_line"] = line
    for part in wait.simple():
        if part.run is not None:
            block.errors.runs.append((part.run, block.errors.step_line, line))


def _keep(block: _Directives, rest: str, line: int) -> None:
    block.out["keep"] = _keeps(rest, line, block.errors)


def _hint(block: _Directives, rest: str, line: int) -> None:
    if not rest:
        raise SettingError("`hint` needs its text on the same line")
    _check_placeholders(rest, line, block.errors)
    block.out["hint"] = rest


def _ask(block: _Directives, rest: str, line: int) -> None:
    """`ask QUESTION`: the choices on the lines after it join it."""
    if not rest:
        raise SettingError("`ask` needs its question on the same line")
    _check_placeholders(rest, line, block.errors)
    block.question = (rest, [], line)


#: Each directive's handler, in the order the format lists them: it reads the rest of the line
#: into the block's directives, or raises SettingError (an error at the line).
_HANDLERS: dict[str, Callable[[_Directives, str, int], None]] = {
    "set": _set,
    "lock": _controls("lock"),
    "unlock": _controls("unlock"),
    "hide": _controls("hide"),
    "show": _controls("show"),
    "run": _run,
    "pause": _pause,
    "wait": _wait,
    "keep": _keep,
    "hint": _hint,
    "ask": _ask,
}
#: The directives a ```losstui block may hold.
DIRECTIVES = tuple(_HANDLERS)


def _directives(block: Block, first: int, last: int, errors: _Errors) -> dict[str, Any]:
    """The directives of the fenced block between lines `first` and `last` (indices)."""
    reader = _Directives(errors)
    for i in range(first + 1, last):
        reader.read(block.lines[i].strip(), block.start + i)
    return reader.result()


def _step(block: Block, errors: _Errors) -> Step | None:
    directives: dict[str, Any] = {}
    prose_lines = list(block.lines)
    pairs = _fences(block.lines)
    fenced = [(i, j) for i, j in pairs if block.lines[i].strip() == _LOSSTUI_FENCE]
    if fenced:
        first, last = fenced[0]
        if last is None:
            return None  # never closed: _steps said so, at its line
        directives = _directives(block, first, last, errors)
        prose_lines = [*block.lines[:first], *block.lines[last + 1 :]]
        if len(fenced) > 1:
            errors.add(block.start + fenced[1][0], "a step has at most one ```losstui block")
    marks = [i for i, line in enumerate(prose_lines) if _THEN.match(line)]
    before_done: str | None = None
    if marks:
        at = block.start + block.lines.index(prose_lines[marks[0]])
        if len(marks) > 1:
            errors.add(at, f"a step has at most one `{THEN}` line")
        elif "wait" not in directives and "ask" not in directives:
            errors.add(
                at,
                f"`{THEN}` shows the text after it once the step's `wait` holds or its question "
                "is answered: this step has neither",
            )
        before = "\n".join(prose_lines[: marks[0]])
        before_done = _NOTE.sub("", before).strip()
        prose_lines[marks[0]] = ""  # the paragraphs on either side stay apart
    text = "\n".join(prose_lines)
    notes = tuple(" ".join(n.split()) for n in _NOTE.findall(text))
    prose = _NOTE.sub("", text).strip()
    if not prose and not pairs:
        errors.add(block.start, "an empty step: give it some text or directives")
        return None
    for match in PLACEHOLDER.finditer(prose):
        # The line as written (the fenced block and a `then` line are out of the prose).
        at = block.start + next(i for i, line in enumerate(block.lines) if match[0] in line)
        _check_placeholders(match.group(0), at, errors)
    return Step(line=block.start, prose=prose, notes=notes, before_done=before_done, **directives)


def _check_placeholders(text: str, line: int, errors: _Errors) -> None:
    """Each `{name}` in `text` (prose, a hint, a question, a choice or its feedback) must be a
    live value, one run's in a race (`{run2.accuracy}`, `{run2}`: the step must race that many
    runs, `_check_runs`), or a value an earlier step keeps (looked at once every step is read:
    `_check_kept`)."""
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1)
        try:
            ran = run_name(name)
        except SettingError as error:
            errors.add(line, f"{{{name}}}: {str(error).removeprefix(name + ': ')}")
            continue
        if ran is not None:
            errors.runs.append((ran[0], errors.step_line, line))
        elif name not in NAMES:
            errors.quoted.append((name, errors.step, line))


def _is_run_name(name: str) -> bool:
    """Whether `name` is written as a run's (`run2`, `run7`), so cannot name a kept value."""
    try:
        return run_name(name) is not None
    except SettingError:
        return True


def _check_kept(errors: _Errors) -> None:
    """A placeholder that is not a live value must be kept by a step before its own: a value is
    kept when the student leaves the step that keeps it."""
    for name, step, line in errors.quoted:
        kept = errors.kept.get(name)
        if kept is None:
            errors.add(
                line,
                f"unknown placeholder {{{name}}}: neither a live value nor kept by a `keep`; "
                "allowed: " + ", ".join("{" + n + "}" for n in NAMES),
            )
        elif kept[0] >= step:
            errors.add(
                line,
                f"{{{name}}} is quoted before it is kept: the `keep` at line {kept[1]} keeps it "
                "when the student leaves its step, so quote it from the step after on",
            )


def _replay(lesson_steps: list[Step], errors: _Errors) -> None:
    """Apply each step's `set` in order to a fresh app state: a value that cannot go with the
    settings before it (a loss its dataset cannot train) is an error at its step."""
    from losstui.core.state import AppState

    state = AppState()
    reached = 0  # the most steps the run has trained at this step, as going back replays it
    for step in lesson_steps:
        if step.settings:
            try:
                state.apply(step.settings, force=True)
            except (SettingError, ValueError) as error:
                errors.add(step.set_line, f"set: {error}")
            if starts_runs(step.settings):
                reached = 0  # a new run
        _check_runs(step, state, errors)
        if step.run:
            reached += step.run
            _check_training(f"run {step.run}", reached, step.run_line, state, errors)
        if step.wait is not None:
            _check_wait(step.wait, step.wait_line, state, errors)
            needed = steps_to_meet(step.wait, state.config, reached)
            if needed is not None:
                reached = max(reached, needed)
                _check_training(f"wait {step.wait.text}", reached, step.wait_line, state, errors)


def starts_runs(settings: Mapping[str, str]) -> bool:
    """Whether `settings` start new runs at step 0: a training setting, or a race."""
    return any(key in TRAINING_KEYS or key == "race" for key in settings)


def _check_runs(step: Step, state: AppState, errors: _Errors) -> None:
    """A run of a race named at `step` (`{run2.accuracy}`, `wait run2.r2 > 0.8`) must be one of
    the runs the step races."""
    count = len(state.runs) if state.race is not None else 0
    for run, first, line in errors.runs:
        if first != step.line or run <= count:
            continue
        if count == 0:
            errors.add(
                line,
                f"run{run} names a run of a race, and no race is on at this step: "
                "`set race=KEY:V1,V2,...` first",
            )
        else:
            errors.add(line, f"run{run}: this step races {count} runs, run1 to run{count}")


def steps_to_meet(wait: Condition, config: TrainConfig, reached: int = 0) -> int | None:
    """The step a run of `config` at step `reached` trains to, at most, to meet `wait` going
    back or resuming: the step a wait on the step or the epoch names, REPLAY_STEPS further for
    another wait on what training moves (it trains until it holds, at most that far); None for
    a wait training does not move. A combined wait: its largest part."""
    from losstui.core.work import run_cost

    found: list[int] = []
    for part in wait.simple():
        if part.name not in TRAINED:
            continue
        if part.name in ("step", "epoch") and part.op in (">=", ">", "=="):
            per = run_cost(config).steps_per_epoch() if part.name == "epoch" else 1
            found.append(math.ceil(part.value * per) + (part.op == ">"))
        else:
            found.append(reached + REPLAY_STEPS)
    return max(found, default=None)


def _check_training(what: str, steps: int, line: int, state: AppState, errors: _Errors) -> None:
    """The run must reach `steps` within the time a class can wait (the work cap's estimate of
    `train`'s run): going back to the step, or resuming it, trains it that far."""
    from losstui.core.work import MAX_SECONDS, describe_seconds, run_cost

    cost = run_cost(state.config)
    # A race trains each of its runs that far.
    seconds = sum(run_cost(run.config).seconds(steps) for run in state.runs)
    runs = f", {len(state.runs)} runs" if len(state.runs) > 1 else ""
    if seconds > MAX_SECONDS:
        errors.add(
            line,
            f"{shown_value(what)} trains the run to step {steps:,}: "
            f"{describe_seconds(seconds)} for this model ({cost.n_params:,} parameters × batch "
            f"{cost.batch_size:,}{runs}), above the {describe_seconds(MAX_SECONDS, about=False)} "
            "a class can wait; ask for fewer steps or a smaller model",
        )


def _check_wait(wait: Condition, line: int, state: AppState, errors: _Errors) -> None:
    """Each part of the step's `wait` must be able to hold on the run the step's settings give:
    the task has the number (no R² for a classifier), and the loss can reach the value (no
    loss below 0 for a loss that never goes there)."""
    from losstui.core.losses import LOSSES
    from losstui.core.problems import PROBLEMS

    values = lesson_values(state)
    problem = PROBLEMS[state.config.problem].title.lower()
    loss = LOSSES[state.config.loss]
    for part in wait.simple():
        if part.name not in NUMBERS or part.name in INFORMATION or part.key not in values:
            continue  # not on the run, or a run the step does not race (`_check_runs`)
        value = values.get(part.key)
        if not (isinstance(value, (int, float)) and math.isfinite(value)):
            errors.add(
                line,
                f"wait {part.text}: {problem} has no {part.name} at this step, so it would "
                "never hold and the student could not go on",
            )
        elif part.name in ("train_loss", "val_loss") and never_holds(
            part, _loss_floor(loss), math.inf
        ):
            errors.add(line, f"wait {part.text} can never hold: {loss.title} is never below 0")


def _loss_floor(loss: Loss) -> float:
    """The lowest value `loss` reaches: 0, except for a density's negative log-likelihood on
    samples (a density above 1 gives a negative NLL). A Poisson loss is recorded with its log y!,
    as the full NLL of counts: never below 0."""
    return -math.inf if loss.target == "samples" else 0.0


def _names_a_lesson(requires: str, source: str) -> bool:
    """Whether `requires` is a built-in lesson's number or name, or a lesson file (a path
    relative to the lesson's own file, or absolute)."""
    try:
        find_lesson(requires)
        return True
    except ContentError:
        return os.path.isfile(os.path.join(os.path.dirname(source), requires))


def _front_matter(
    meta: Mapping[str, str], lines: Mapping[str, int], source: str, errors: _Errors
) -> int:
    """Check every front-matter field, each error one line naming the value (cut when long)
    and what is allowed; the lesson's minutes (0 when wrong)."""
    for key in REQUIRED_META:
        if meta and not meta.get(key):
            errors.add(lines.get(key, 1), f"`{key}` is missing from the front matter")
    for key, line in lines.items():
        if key not in (*REQUIRED_META, *OPTIONAL_META):
            allowed = ", ".join((*REQUIRED_META, *OPTIONAL_META))
            shown = key if len(key) <= 40 else f"{key[:40]}…"
            errors.add(line, f"unknown front-matter key `{shown}`; allowed: {allowed}")
    for key, longest in META_LENGTHS.items():
        if len(meta.get(key, "")) > longest:
            errors.add(
                lines[key],
                f"`{key}` is at most {longest} characters (the lists show it on one or two "
                f"lines), got {len(meta[key]):,}: {shown_value(meta[key])}",
            )
    requires = meta.get("requires", "")
    if requires and not _names_a_lesson(requires, source):
        errors.add(
            lines["requires"],
            f"`requires` names no lesson: {shown_value(requires)}; give a built-in lesson's "
            "number or name (losstui lesson lists them) or a lesson file's path, relative to "
            "this one",
        )
    raw = meta.get("minutes", "")
    # ASCII digits alone: str.isdigit() also takes "²" and "５", which int() refuses or reads.
    if raw and re.fullmatch(r"[0-9]{1,4}", raw) and 1 <= int(raw) <= MAX_MINUTES:
        return int(raw)
    if raw:
        errors.add(
            lines["minutes"],
            f"`minutes` must be a whole number from 1 to {MAX_MINUTES}, got {shown_value(raw)}",
        )
    return 0


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


def clean_text(text: str) -> str:
    """`text` without terminal control: escape sequences (CSI, OSC and the like) and every other
    control character removed, line ends made newlines, tabs kept. A shared lesson file is
    shown on a student's terminal: it must not be able to clear the screen, leave the
    alternate screen or set the window's title."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _ESCAPE.sub("", text))


def _read(text: str, source: str) -> tuple[Lesson | None, list[ContentError]]:
    text = clean_text(text)  # the one place lesson text enters: every reader comes through here
    errors = _Errors(source)
    try:
        doc = parse_document(text, source)
    except ContentError as error:
        return None, [error]
    if not doc.meta and not doc.meta_lines:
        errors.add(1, "a lesson starts with front matter: `---`, title, summary, minutes, `---`")
    minutes = _front_matter(doc.meta, doc.meta_lines, source, errors)
    steps: list[Step] = []
    for index, block in enumerate(_steps(doc.body, errors)):
        errors.step, errors.step_line = index, block.start
        step = _step(block, errors)
        if step is not None:
            steps.append(step)
    _check_kept(errors)
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
