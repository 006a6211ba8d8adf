"""One schema for every setting: its type, bounds, parser, label, help text and command-line flag.

The training configuration (`TrainConfig`), the app state's setters, the settings column, lesson
files, the setup line and the command line all read a value through the same `Setting`, so a bad
value gets the same one-line message everywhere: "learning rate must be a number > 0 and at most
1e+09, got '0'". A setting's `key` is its name in the setup line (`lr=0.1`) and, for training
settings, the `TrainConfig` field it fills.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


class SettingError(ValueError):
    """A value a user typed is not allowed; the message is one line naming the value."""


#: A value longer than this is shown by its start and its length, not echoed whole (a path
#: fits; a pasted page does not).
SHOWN_CHARACTERS = 100


def _shown(raw: object) -> str:
    """The value as the user typed it, quoted: '0.5x'; a long one cut: '999…' (5,000 characters)."""
    return cut_quoted(repr(raw.strip() if isinstance(raw, str) else raw))


def cut_quoted(text: str) -> str:
    """A value already quoted (a repr) as a message shows it: whole when short, else its start
    and its length, so that a 100,000-character token makes a one-line message, not a page."""
    if len(text) > SHOWN_CHARACTERS:
        return f"{text[: SHOWN_CHARACTERS - 10]}…{text[-1]} ({len(text) - 2:,} characters)"
    return text


def shown_value(raw: object) -> str:
    """The value as the user typed it, quoted and cut when long (see `_shown`)."""
    return _shown(raw)


#: A number as people write it: ASCII digits, an optional point and exponent, or inf/nan words
#: (refused later as out of range). float() alone also takes "1_0" and full-width digits "５".
_NUMBER = re.compile(
    r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf(?:inity)?|nan)", re.I
)


@dataclass(frozen=True)
class Setting:
    """One setting. `parse(text)` reads what a user typed, `check(value)` validates a value given
    in code; both return the canonical value or raise SettingError. `format(value)` writes it
    back as text that `parse` reads. `choices()` lists the allowed values of a setting that has a
    fixed set (read at call time, so datasets added at run time appear)."""

    key: str
    label: str
    help: str
    rule: str
    convert: Callable[[Any], Any] = field(repr=False)
    flag: str | None = None
    metavar: str | None = None
    training: bool = True
    #: A setting of the runs as a whole (the race), neither one run's training nor the view.
    runs: bool = False
    choices: Callable[[], Sequence[str]] | None = field(default=None, repr=False)
    write: Callable[[Any], str] = field(default=str, repr=False)
    #: A few words a settings field shows beside its label, e.g. "(e.g. 32,16)".
    hint: str = ""

    @property
    def title(self) -> str:
        """The label as a field's heading: "Learning rate", "Hidden sizes (e.g. 32,16)"."""
        head = self.label[:1].upper() + self.label[1:]
        return f"{head} {self.hint}" if self.hint else head

    def allowed(self) -> str:
        """What the setting allows, in words ("a number from 0 to 10"); "" when its help says."""
        return self.rule

    def error(self, raw: object) -> SettingError:
        """The one message for a bad value of this setting."""
        return SettingError(f"{self.label} must be {self.allowed()}, got {_shown(raw)}")

    def parse(self, raw: object) -> Any:
        """The canonical value of `raw` (text or a value); SettingError if it is not allowed."""
        try:
            return self.convert(raw)
        except SettingError:
            raise
        except (TypeError, ValueError, OverflowError):
            raise self.error(raw) from None

    check = parse

    def format(self, value: Any) -> str:
        """`value` as setup-line text."""
        return self.write(value)


# -- converters ------------------------------------------------------------------------------------


def _number(
    low: float, high: float, *, low_open: bool = False, high_open: bool = False
) -> Callable[[object], float]:
    def convert(raw: object) -> float:
        if isinstance(raw, bool):
            raise ValueError(raw)
        if isinstance(raw, str) and not is_plain_number(raw):
            raise ValueError(raw)
        value = float(raw.strip() if isinstance(raw, str) else raw)  # type: ignore[arg-type]
        too_low = value <= low if low_open else value < low
        too_high = value >= high if high_open else value > high
        if not math.isfinite(value) or too_low or too_high:
            raise ValueError(raw)
        return value

    return convert


def is_plain_number(text: str) -> bool:
    """True for a number written as people write it ("0.1", "-2", "1e-3", "inf"), False for what
    float() also takes ("1_0", "５", " 1 \n" inside a word)."""
    return _NUMBER.fullmatch(text.strip()) is not None


def _whole(low: int, high: int) -> Callable[[object], int]:
    def convert(raw: object) -> int:
        if isinstance(raw, (bool, float)):
            raise ValueError(raw)
        if isinstance(raw, str):
            text = raw.strip()
            if not re.fullmatch(r"[+-]?[0-9]+", text):  # ASCII digits only: int() takes "٣"
                raise ValueError(raw)
            value = int(text)
        else:
            value = int(raw)  # type: ignore[call-overload]
        if not low <= value <= high:
            raise ValueError(raw)
        return value

    return convert


def _one_of(
    choices: Callable[[], Sequence[str]], normalise: Callable[[str], str] = str.strip
) -> Callable[[object], str]:
    def convert(raw: object) -> str:
        if not isinstance(raw, str):
            raise ValueError(raw)
        value = normalise(raw)
        if value not in choices():
            raise ValueError(raw)
        return value

    return convert


def _flag(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("on", "true", "yes", "1"):
        return True
    if text in ("off", "false", "no", "0"):
        return False
    raise ValueError(raw)


MAX_HIDDEN_LAYERS = 4
MAX_HIDDEN_UNITS = 1024


def _hidden(raw: object) -> tuple[int, ...]:
    if isinstance(raw, str):
        text = raw.strip()
        parts = [p.strip() for p in text.split(",")] if "," in text else text.split()
    elif isinstance(raw, int) and not isinstance(raw, bool):
        parts = [str(raw)]
    else:
        parts = [str(p) if isinstance(p, int) and not isinstance(p, bool) else "x" for p in raw]  # type: ignore[attr-defined]
    if (
        not parts
        or len(parts) > MAX_HIDDEN_LAYERS
        or not all(re.fullmatch(r"[0-9]+", p) and 1 <= int(p) <= MAX_HIDDEN_UNITS for p in parts)
    ):
        raise ValueError(raw)
    return tuple(int(p) for p in parts)


def _write_float(value: float) -> str:
    # Short where that is exact (0.1, 1e-05); in full where it is not: momentum 0.99999999999
    # must not read as 1 beside "[0, 1)".
    short = f"{value:g}"
    return short if float(short) == value else repr(float(value))


def _write_hidden(value: Sequence[int]) -> str:
    return ",".join(str(h) for h in value)


def _write_flag(value: bool) -> str:
    return "on" if value else "off"


#: The P/Q lab's outcomes are lettered A to I: P and Q have 2 to this many.
MAX_OUTCOMES = 9


def _probabilities(name: str) -> Callable[[object], tuple[float, ...]]:
    def convert(raw: object) -> tuple[float, ...]:
        from losstui.core.info import validate_distribution

        if isinstance(raw, str):
            values = [float(v) for v in raw.split(",")]
        else:
            values = [float(v) for v in raw]  # type: ignore[attr-defined]
        if not 2 <= len(values) <= MAX_OUTCOMES:
            raise SettingError(
                f"{name} has 2 to {MAX_OUTCOMES} outcomes (the lab letters them A to I), "
                f"got {len(values)}: {_shown(raw)}"
            )
        try:
            return tuple(float(v) for v in validate_distribution(values, name=name))
        except ValueError as error:  # it says which check failed: say that, not only the rule
            raise SettingError(f"{error}, got {_shown(raw)}") from None

    return convert


def _write_probabilities(value: Sequence[float]) -> str:
    return ",".join(f"{v:g}" for v in value)


# -- choices, read when asked (registries may grow at run time) ---------------------------------


def _problems() -> Sequence[str]:
    from losstui.core.problems import PROBLEMS

    return tuple(PROBLEMS)


def _datasets() -> Sequence[str]:
    from losstui.core.datasets import DATASETS

    return tuple(DATASETS)


def _losses() -> Sequence[str]:
    from losstui.core.losses import LOSSES

    return tuple(LOSSES)


def _loss_name(raw: str) -> str:
    from losstui.core.losses import resolve_loss_name

    return resolve_loss_name(raw)


def _models() -> Sequence[str]:
    from losstui.core.models import MODEL_KINDS

    return MODEL_KINDS


def _hidden_activations() -> Sequence[str]:
    from losstui.core.models import HIDDEN_ACTIVATION_NAMES

    return HIDDEN_ACTIVATION_NAMES


def _inits() -> Sequence[str]:
    from losstui.core.models import INITS

    return INITS


#: The settings a race may vary, one per race, and the most runs on one clock.
RACE_KEYS = ("loss", "lr", "momentum", "batch_size", "init_scale", "model", "hidden")
MAX_RUNS = 4


@dataclass(frozen=True)
class Race:
    """Runs that differ in one training setting: `key`, and each run's value (2 to MAX_RUNS)."""

    key: str
    values: tuple[Any, ...]

    def with_value(self, index: int, value: Any) -> Race:
        """The same race with run `index` given `value`."""
        values = list(self.values)
        values[index] = value
        return Race(self.key, tuple(values))


def _race_separator(key: str) -> str:
    # Hidden sizes are written with commas ("32,16"), so their runs are separated by "/".
    return "/" if key == "hidden" else ","


def _race(raw: object) -> Race | None:
    if raw is None:
        return None
    if isinstance(raw, Race):
        key, values = raw.key, tuple(raw.values)
    elif isinstance(raw, str):
        if raw.strip() == "off":
            return None
        key, colon, text = raw.strip().partition(":")
        if not colon:
            raise ValueError(raw)
        values = tuple(text.split(_race_separator(key)))
    else:
        raise ValueError(raw)
    if key not in RACE_KEYS or not 2 <= len(values) <= MAX_RUNS:
        raise ValueError(raw)
    try:
        parsed = tuple(SETTINGS[key].parse(v) for v in values)
    except SettingError as error:
        raise SettingError(f"race: {error}") from None
    return Race(key, parsed)


def _write_race(value: Race | None) -> str:
    if value is None:
        return "off"
    written = (SETTINGS[value.key].format(v) for v in value.values)
    return f"{value.key}:" + _race_separator(value.key).join(written)


#: Panes in tab order (keys 1 to 7 choose them).
PANES = ("problem", "recommendation", "train", "distributions", "pq_lab", "lessons", "race")
#: Training speeds on offer, in SGD steps per second.
SPEEDS = (10, 20, 50, 100, 200, 500, 1000)
UNITS = ("bits", "nats")
MAX_SEED = 2**31 - 1
MAX_SAMPLES = 1_000_000
MAX_BATCH = 1_000_000
#: A larger initial scale only saturates harder; 100 already makes tanh and sigmoid flat.
MAX_INIT_SCALE = 100.0
MAX_PATIENCE = 10_000_000


def _speed(raw: object) -> int:
    value = _whole(1, max(SPEEDS))(raw)
    if value not in SPEEDS:
        raise ValueError(raw)
    return value


class _FixedChoice(Setting):
    """A choice from a fixed set: the rule lists it. The set is read when the rule is wanted,
    not when this module loads: the initialisations live with the models, and loading
    those loads numpy, which the command line must not pay for before it needs it (and must
    not load before it has pinned BLAS to one thread)."""

    def allowed(self) -> str:
        return "one of: " + ", ".join(self.choices() if self.choices else ())


def _choice(
    key: str, label: str, help: str, choices: Callable[[], Sequence[str]], *, training: bool = True
) -> Setting:
    """A choice from a fixed set: the rule lists it."""
    return _FixedChoice(
        key, label, help, rule="", convert=_one_of(choices), training=training, choices=choices
    )


class _RegistryChoice(Setting):
    """A choice among the names of a registry that may grow at run time: the message lists the
    names as they are when it is raised."""

    def error(self, raw: object) -> SettingError:
        allowed = ", ".join(self.choices() if self.choices else ())
        return SettingError(f"unknown {self.label} {_shown(raw)}; allowed: {allowed}")


def _dynamic_choice(
    key: str,
    label: str,
    help: str,
    choices: Callable[[], Sequence[str]],
    flag: str,
    *,
    normalise: Callable[[str], str] = str.strip,
    metavar: str = "NAME",
) -> Setting:
    return _RegistryChoice(
        key,
        label,
        help,
        rule="",
        convert=_one_of(choices, normalise),
        flag=flag,
        metavar=metavar,
        choices=choices,
    )


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        _dynamic_choice(
            "problem",
            "problem",
            "the kind of prediction problem",
            _problems,
            "--problem",
            metavar="KEY",
        ),
        _dynamic_choice(
            "dataset", "dataset", "one of the problem's datasets", _datasets, "--dataset"
        ),
        _dynamic_choice(
            "loss",
            "loss",
            "a LOSSES key, or a short name such as mse, bce or kl",
            _losses,
            "--loss",
            normalise=_loss_name,
            metavar="KEY",
        ),
        _dynamic_choice(
            "model",
            "model",
            "linear or mlp (density estimation: linear, the density's parameters)",
            _models,
            "--model",
            metavar="KIND",
        ),
        Setting(
            "hidden",
            "hidden sizes",
            "MLP hidden layer sizes, e.g. 50 or 32,16",
            f"1 to {MAX_HIDDEN_LAYERS} whole numbers from 1 to {MAX_HIDDEN_UNITS} separated by "
            "commas (e.g. 16 or 32,16)",
            _hidden,
            "--hidden",
            "SIZES",
            write=_write_hidden,
            hint="(e.g. 32,16)",
        ),
        _dynamic_choice(
            "hidden_activation",
            "hidden activation",
            "the MLP's hidden activation",
            _hidden_activations,
            "--activation",
            metavar="NAME",
        ),
        Setting(
            "lr",
            "learning rate",
            "SGD step size η",
            "a number > 0 and at most 1e+09",
            _number(0.0, 1e9, low_open=True),
            "--lr",
            "F",
            write=_write_float,
        ),
        Setting(
            "momentum",
            "momentum",
            "SGD momentum μ: v ← μ·v + g",
            "a number in [0, 1)",
            _number(0.0, 1.0, high_open=True),
            "--momentum",
            "F",
            write=_write_float,
            hint="[0, 1)",
        ),
        Setting(
            "batch_size",
            "batch size",
            "examples per SGD step (larger than the training set: full batch)",
            f"a whole number from 1 to {MAX_BATCH:,}",
            _whole(1, MAX_BATCH),
            "--batch-size",
            "N",
        ),
        Setting(
            "seed",
            "seed",
            "seeds the data, the initial weights and the minibatch order",
            f"a whole number from 0 to {MAX_SEED:,}",
            _whole(0, MAX_SEED),
            "--seed",
            "N",
        ),
        Setting(
            "n_samples",
            "number of samples",
            "how many examples to generate (train and validation together)",
            f"a whole number from 6 to {MAX_SAMPLES:,}",
            _whole(6, MAX_SAMPLES),
            "--samples",
            "N",
        ),
        Setting(
            "weight_decay",
            "weight decay",
            "L2 penalty λ added to each gradient: g ← g + λ·θ",
            "a number ≥ 0",
            _number(0.0, math.inf, high_open=True),
            None,
            write=_write_float,
        ),
        _choice("init", "initialisation", "He or Xavier initial weights", _inits),
        Setting(
            "init_scale",
            "initial weight scale",
            "multiplies the standard deviation of the initial weights; large values start the "
            "network saturated and confident",
            f"a number > 0 and at most {MAX_INIT_SCALE:g}",
            _number(0.0, MAX_INIT_SCALE, low_open=True),
            "--init-scale",
            "F",
            write=_write_float,
        ),
        Setting(
            "patience",
            "patience",
            "stop when the validation loss has not improved by 0.1% for this many steps "
            "(0: never stop)",
            f"a whole number of steps from 0 to {MAX_PATIENCE:,}",
            _whole(0, MAX_PATIENCE),
            "--patience",
            "N",
            hint="(steps, 0: off)",
        ),
        # -- what is shown, not how the model trains --
        _choice("pane", "pane", "the pane on show", lambda: PANES, training=False),
        Setting(
            "speed",
            "speed",
            "SGD steps per second while training",
            "one of: " + ", ".join(str(s) for s in SPEEDS),
            _speed,
            training=False,
        ),
        _choice("units", "units", "bits or nats for entropy and KL", lambda: UNITS, training=False),
        Setting(
            "log10",
            "log10 axis",
            "plot log10 of the loss",
            "on or off",
            _flag,
            training=False,
            write=_write_flag,
        ),
        Setting(
            "shapes",
            "loss shapes",
            "the Recommendation pane draws each loss and its gradient against the prediction",
            "on or off",
            _flag,
            training=False,
            write=_write_flag,
        ),
        Setting(
            "landscape",
            "loss landscape",
            "the Train pane draws the training loss over two parameters, and SGD's path, in "
            "place of the fit",
            "on or off",
            _flag,
            training=False,
            write=_write_flag,
        ),
        Setting(
            "calibration",
            "calibration",
            "the Distributions pane draws the reliability of the predicted probabilities",
            "on or off",
            _flag,
            training=False,
            write=_write_flag,
        ),
        Setting(
            "example",
            "example",
            "the validation example the Distributions pane shows (from 0)",
            "a whole number from 0",
            _whole(0, MAX_SAMPLES),
            training=False,
        ),
        Setting(
            "p",
            "P",
            "the P/Q lab's P, e.g. 0.1,0.4,0.5",
            f"2 to {MAX_OUTCOMES} probabilities ≥ 0 separated by commas that sum to 1",
            _probabilities("P"),
            training=False,
            write=_write_probabilities,
        ),
        Setting(
            "q",
            "Q",
            "the P/Q lab's Q, e.g. 0.8,0.15,0.05",
            f"2 to {MAX_OUTCOMES} probabilities ≥ 0 separated by commas that sum to 1",
            _probabilities("Q"),
            training=False,
            write=_write_probabilities,
        ),
        Setting(
            "race",
            "race",
            "2 to 4 runs on one clock that differ in one setting, e.g. lr:0.01,0.1 or "
            "hidden:16/32,16",
            f"KEY:V1,V2,... with KEY one of {', '.join(RACE_KEYS)} and 2 to {MAX_RUNS} of its "
            "values (hidden sizes separated by /), or off",
            _race,
            training=False,
            runs=True,
            write=_write_race,
        ),
    )
}


#: The settings that define a training run, in the order a setup line writes them.
TRAINING_KEYS: tuple[str, ...] = tuple(k for k, s in SETTINGS.items() if s.training)
#: The settings of what is on show.
VIEW_KEYS: tuple[str, ...] = tuple(k for k, s in SETTINGS.items() if not s.training and not s.runs)


def get_setting(key: str) -> Setting:
    """The setting called `key`; SettingError listing the keys otherwise."""
    try:
        return SETTINGS[key]
    except KeyError:
        raise SettingError(
            f"unknown setting {_shown(key)}; allowed: {', '.join(SETTINGS)}"
        ) from None


def parse_setup_line(text: str) -> dict[str, str]:
    """`KEY=VALUE ...` as an ordered dict of raw texts; SettingError naming the first bad token
    (one without '=', an unknown key, or a key given twice). Values are parsed later, together,
    so that a line is applied whole or not at all."""
    out: dict[str, str] = {}
    for token in text.split():
        key, sep, value = token.partition("=")
        if not sep or not key or not value:
            raise SettingError(f"expected KEY=VALUE, got {_shown(token)}")
        get_setting(key)
        if key in out:
            raise SettingError(f"{key} is given twice in the setup line")
        out[key] = value
    return out
