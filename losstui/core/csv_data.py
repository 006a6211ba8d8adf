"""A user's own CSV file as a Dataset: read, checked, typed, encoded, split and standardised.

`read_csv(path, target=None, features=None, problem=None, drop_missing=False, seed=0)` reads a
file as people have them (a header row, comma, semicolon or tab separated, R's and pandas' row-name
column, `NA`/`NaN`/empty for missing, text class names, text inputs with a few values, UTF-8 with or
without a BOM), infers the problem from the target column and says why, and returns a `CsvData`
whose `dataset` a Trainer can train. Anything it cannot use raises `CsvError`, a ValueError whose
message is one line naming the file, and the line and column where one applies.

Standard library `csv` and numpy only.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from losstui.core.datasets import VALIDATION_FRACTION, Dataset
from losstui.core.numerics import Array
from losstui.core.problems import PROBLEMS

#: The largest file read: rows × columns of the header.
MAX_CELLS = 1_000_000
#: The fewest usable rows (after any dropped for missing values).
MIN_ROWS = 10
#: A text input column with more distinct values than this is refused (likely an identifier).
MAX_CATEGORIES = 12
#: A text target with more class names than this is refused.
MAX_CLASSES = 30
#: Integer targets with at most this many distinct values are read as classes, more as counts.
MAX_INT_CLASSES = 10
#: Positive targets whose largest is at least this many times the smallest are wide-range.
WIDE_RANGE_RATIO = 100.0
#: Fields read as a missing value (compared without case).
MISSING = frozenset({"", "na", "nan", "n/a"})
#: Header names of a row-name column as R and pandas write them.
ROW_NAME_HEADERS = frozenset({"", "rownames", "row.names", "unnamed: 0"})
#: Problems a CSV's single target column can pose.
CSV_PROBLEMS = (
    "regression",
    "robust_regression",
    "wide_range_regression",
    "count_regression",
    "binary_classification",
    "multiclass_classification",
    "density_estimation",
)

_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")


class CsvError(ValueError):
    """A CSV file that cannot be used; the message is one line naming the file (and line)."""


@dataclass(frozen=True, eq=False)
class CsvData:
    """A CSV file read for training.

    `dataset`: the run's data (inputs standardised with the training split's mean and std);
    `problem`: a PROBLEMS key, inferred or as asked; `reason`: why, in a sentence; `notes`: what
    was done to the file on the way (a row-name column left out, columns one-hot encoded, rows
    dropped), one sentence each; `x_mean`/`x_std`: the standardisation, per encoded input, so
    that new rows can be encoded the same way.
    """

    path: str
    dataset: Dataset
    problem: str
    reason: str
    target: str
    features: tuple[str, ...]
    notes: tuple[str, ...] = ()
    x_mean: Array = field(default_factory=lambda: np.zeros(0))
    x_std: Array = field(default_factory=lambda: np.ones(0))
    n_rows: int = 0

    def summary(self) -> str:
        """The file, its rows, the target and the problem with its reason, and the notes."""
        ds = self.dataset
        head = (
            f"{self.path}: {self.n_rows} rows ({ds.n_train} train, {ds.n_val} validation), "
            f"target {self.target!r}; {self.reason}"
        )
        return " ".join((head, *self.notes))


def _number(text: str, decimal_comma: bool) -> float | None:
    """The field as a finite float, or None if it is not a number."""
    s = text.strip()
    if decimal_comma and _DECIMAL_COMMA.match(s):
        s = s.replace(",", ".")
    if "_" in s:  # float() takes "1_000"; a CSV does not mean that
        return None
    try:
        value = float(s)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _is_missing(text: str) -> bool:
    return text.strip().lower() in MISSING


def _names(items: Sequence[str]) -> str:
    return ", ".join(items)


def _quote_all(items: Sequence[str]) -> str:
    return ", ".join(repr(s) for s in items)


def _read_text(path: Path, label: str) -> str:
    if not path.exists():
        raise CsvError(f"{label}: no such file")
    if path.is_dir():
        raise CsvError(f"{label}: is a directory, not a CSV file")
    try:
        size = path.stat().st_size
        # A byte per cell at the very least (a digit or a separator): far larger cannot fit.
        if size > 40 * MAX_CELLS:
            raise CsvError(
                f"{label}: {size:,} bytes is over the limit of {MAX_CELLS:,} cells for a "
                "teaching data set; use a sample of the rows"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise CsvError(f"{label}: cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start]
        raise CsvError(
            f"{label}:{line}: not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8"
        ) from None
    if not text.strip():
        raise CsvError(f"{label}: the file is empty")
    return text


def _delimiter(text: str) -> str:
    header = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _rows(text: str, label: str, delimiter: str) -> tuple[list[str], list[list[str]], list[int]]:
    """The header, the data rows (fields stripped) and each row's first line number."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    last = 0
    try:
        for row in reader:
            start, last = last + 1, reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line
            fields = [f.strip() for f in row]
            if header is None:
                header = fields
                continue
            rows.append(fields)
            lines.append(start)
            if len(rows) * len(header) > MAX_CELLS:
                raise CsvError(
                    f"{label}: more than {MAX_CELLS:,} cells (rows × columns), over the limit "
                    "for a teaching data set; use a sample of the rows or fewer columns"
                )
    except csv.Error as exc:
        raise CsvError(f"{label}:{reader.line_num}: {exc}") from None
    if header is None:
        raise CsvError(f"{label}: the file is empty")
    if not rows:
        raise CsvError(f"{label}: a header row but no data rows")
    return header, rows, lines


@dataclass
class _Column:
    name: str
    values: list[str]


@dataclass
class _Table:
    label: str
    columns: list[_Column]
    lines: list[int]
    decimal_comma: bool
    notes: list[str]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> _Column:
        return next(c for c in self.columns if c.name == name)


def _table(path: Path, label: str) -> _Table:
    """The file's columns, named and checked, and each data row's line number."""
    text = _read_text(path, label)
    delimiter = _delimiter(text)
    decimal_comma = delimiter == ";"
    header, rows, lines = _rows(text, label, delimiter)
    notes: list[str] = []
    # R's write.table leaves the row-name column out of the header: every row one field longer.
    if all(len(r) == len(header) + 1 for r in rows):
        header = ["", *header]
    for r, line in zip(rows, lines, strict=True):
        if len(r) != len(header):
            raise CsvError(
                f"{label}:{line}: {len(r)} fields, but the header has {len(header)}; "
                "each row needs one value per column"
            )
    if all(_number(h, decimal_comma) is not None for h in header if h):
        raise CsvError(
            f"{label}:1: the first row holds numbers, not column names; add a header row"
        )
    columns = [_Column(h, [r[j] for r in rows]) for j, h in enumerate(header)]
    if len(columns) > 1 and columns[0].name.lower() in ROW_NAME_HEADERS:
        shown = repr(columns[0].name) if columns[0].name else "an unnamed first column"
        notes.append(f"Row names ({shown}) left out.")
        columns = columns[1:]
    seen: set[str] = set()
    for j, c in enumerate(columns):
        c.name = " ".join(c.name.split()) or f"column {j + 1}"  # one line, always
        if c.name in seen:
            raise CsvError(f"{label}:1: column {c.name!r} appears twice in the header")
        seen.add(c.name)
    return _Table(label, columns, lines, decimal_comma, notes)


def _choose(
    t: _Table, target: str | None, features: Sequence[str] | str | None, problem: str | None
) -> tuple[str, list[str]]:
    """The target column and the input columns, checked against the header."""
    label, names = t.label, t.names
    if problem is not None and problem not in CSV_PROBLEMS:
        if problem in PROBLEMS:
            raise CsvError(
                f"{label}: problem {problem!r} needs more than one target column, which a CSV "
                f"file cannot give yet; allowed: {_names(CSV_PROBLEMS)}"
            )
        raise CsvError(f"{label}: unknown problem {problem!r}; allowed: {_names(CSV_PROBLEMS)}")
    target_name = names[-1] if target is None else target.strip()
    if target_name not in names:
        raise CsvError(f"{label}: no column {target_name!r}; columns: {_names(names)}")
    if isinstance(features, str):
        features = [f for f in features.split(",") if f.strip()]
    if problem == "density_estimation":
        return target_name, []
    if features is None:
        chosen = [n for n in names if n != target_name]
    else:
        chosen = [f.strip() for f in features]
        unknown = [f for f in chosen if f not in names]
        if unknown:
            raise CsvError(f"{label}: no column {unknown[0]!r}; columns: {_names(names)}")
        if target_name in chosen:
            raise CsvError(f"{label}: column {target_name!r} is the target; it cannot be an input")
    if not chosen:
        raise CsvError(
            f"{label}: no input columns besides the target {target_name!r} (for its "
            "distribution alone, choose the problem density_estimation)"
        )
    return target_name, chosen


def _drop_missing(t: _Table, used: list[str], drop: bool) -> None:
    """Refuse missing values in the `used` columns, or drop their rows (saying so)."""
    cols = [t.column(n) for n in used]
    missing = [i for i in range(len(t.lines)) if any(_is_missing(c.values[i]) for c in cols)]
    if not missing:
        return
    first = missing[0]
    col = next(c.name for c in cols if _is_missing(c.values[first]))
    count = sum(_is_missing(c.values[i]) for c in cols for i in missing)
    if not drop:
        raise CsvError(
            f"{t.label}:{t.lines[first]}: column {col!r}: {count} missing values (NA, NaN or "
            f"empty) in {len(missing)} rows, the first here; fill them in or drop those rows "
            "(--drop-missing)"
        )
    t.notes.append(
        f"{len(missing)} rows with missing values dropped (the first at line {t.lines[first]})."
    )
    gone = set(missing)
    keep = [i for i in range(len(t.lines)) if i not in gone]
    for c in t.columns:
        c.values = [c.values[i] for i in keep]
    t.lines = [t.lines[i] for i in keep]


def _numbers(t: _Table, c: _Column) -> list[float] | None:
    """The column as numbers; None if it is text; CsvError at a stray text in numbers."""
    numbers = [_number(v, t.decimal_comma) for v in c.values]
    n_numeric = sum(v is not None for v in numbers)
    if n_numeric == len(numbers):
        return [float(v or 0.0) for v in numbers]
    if n_numeric * 2 >= len(numbers):
        i = next(k for k, v in enumerate(numbers) if v is None)
        raise CsvError(
            f"{t.label}:{t.lines[i]}: column {c.name!r}: {c.values[i]!r} is not a number"
        )
    return None


def _inputs(t: _Table, features: list[str]) -> tuple[Array, list[str]]:
    """The inputs (n, d): numeric columns as they are, text columns one-hot encoded."""
    parts: list[Array] = []
    names: list[str] = []
    for name in features:
        c = t.column(name)
        numbers = _numbers(t, c)
        if numbers is not None:
            parts.append(np.asarray(numbers, dtype=np.float64)[:, None])
            names.append(name)
            continue
        levels = sorted(set(c.values))
        if len(levels) > MAX_CATEGORIES:
            others = [f for f in features if f != name]
            hint = f" (e.g. --features {','.join(others)})" if others else ""
            raise CsvError(
                f"{t.label}: column {name!r} is text with {len(levels)} distinct values, likely "
                f"an identifier; leave it out by naming the inputs with --features{hint}"
            )
        index = {v: k for k, v in enumerate(levels)}
        codes = np.asarray([index[v] for v in c.values])
        parts.append((codes[:, None] == np.arange(len(levels))[None, :]).astype(np.float64))
        names.extend(f"{name}={lv}" for lv in levels)
        t.notes.append(f"Text column {name!r} one-hot encoded as {_names(levels)}.")
    n = len(t.lines)
    return (np.hstack(parts) if parts else np.empty((n, 0))), names


def _split(
    n: int, labels: NDArray[np.int64] | None, n_classes: int, seed: int
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Seeded training and validation row indices, stratified by class when `labels` are given."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(n)
    if labels is None:
        n_val = max(2, round(n * VALIDATION_FRACTION))
        return order[n_val:], order[:n_val]
    if (
        sum(round(np.count_nonzero(labels == k) * VALIDATION_FRACTION) for k in range(n_classes))
        < 2
    ):
        return _split(n, None, 0, seed)  # classes too small to stratify
    val_parts, train_parts = [], []
    for k in range(n_classes):
        idx = order[labels[order] == k]
        n_val_k = round(len(idx) * VALIDATION_FRACTION)
        val_parts.append(idx[:n_val_k])
        train_parts.append(idx[n_val_k:])
    return rng.permutation(np.concatenate(train_parts)), rng.permutation(np.concatenate(val_parts))


def read_csv(
    path: str | Path,
    target: str | None = None,
    features: Sequence[str] | str | None = None,
    problem: str | None = None,
    drop_missing: bool = False,
    seed: int = 0,
) -> CsvData:
    """Read the CSV at `path` as a Dataset for `problem` (inferred from the target if None).

    `target`: the target column (default: the last); `features`: the input columns, a sequence or
    a comma-separated string (default: every other column); `drop_missing`: drop the rows with a
    missing value in a used column instead of refusing them; `seed`: the train/validation split
    (stratified by class for classification). CsvError (one line) for anything it cannot use.
    """
    p = Path(path)
    t = _table(p, str(path))
    target_name, feature_names = _choose(t, target, features, problem)
    _drop_missing(t, [target_name, *feature_names], drop_missing)
    n = len(t.lines)
    if n < MIN_ROWS:
        dropped = " once the rows with missing values are dropped" if drop_missing else ""
        raise CsvError(
            f"{t.label}: {n} usable rows{dropped}; at least {MIN_ROWS} are needed to train and "
            "validate"
        )
    if problem == "density_estimation" and features is not None:
        t.notes.append("Density estimation has no inputs: the features named are not used.")
    x, x_names = _inputs(t, feature_names)
    problem, reason, y, class_names = _target(t, t.column(target_name), problem)

    # A seeded split, stratified by class; inputs standardised with the training split's numbers.
    labels = y.reshape(-1).astype(np.int64) if class_names else None
    train_idx, val_idx = _split(n, labels, len(class_names), seed)
    mean = x[train_idx].mean(axis=0)
    std = x[train_idx].std(axis=0)
    constant = [x_names[j] for j in np.flatnonzero(std == 0.0)]
    if constant:
        t.notes.append(f"Constant in the training rows, so no help: {_quote_all(constant)}.")
    std = np.where(std == 0.0, 1.0, std)
    xs = (x - mean) / std

    dataset = Dataset(
        name=p.name,  # "bikes.csv": never the name of a built-in dataset
        title=p.name,
        description=(
            f"{n} rows of {p.name}: target {target_name!r}"
            + (f", inputs {_names(x_names)}" if x_names else "")
        ),
        kind=PROBLEMS[problem].kind,
        x_train=np.ascontiguousarray(xs[train_idx]),
        y_train=np.ascontiguousarray(y[train_idx]),
        x_val=np.ascontiguousarray(xs[val_idx]),
        y_val=np.ascontiguousarray(y[val_idx]),
        n_classes=len(class_names) if class_names else None,
        nonnegative_targets=not class_names and bool(np.all(y >= 0)),
        feature_names=tuple(x_names),
        target_names=tuple(class_names),
        seed=int(seed),
    )
    return CsvData(
        path=t.label,
        dataset=dataset,
        problem=problem,
        reason=reason,
        target=target_name,
        features=tuple(feature_names),
        notes=tuple(t.notes),
        x_mean=mean,
        x_std=std,
        n_rows=n,
    )


def _fmt(v: float) -> str:
    return str(int(v)) if v == int(v) and abs(v) < 1e15 else repr(v)


_Target = tuple[str, str, NDArray[Any], list[str]]


def _target(t: _Table, c: _Column, problem: str | None) -> _Target:
    """The problem, the reason, the targets in their canonical form and the class names."""
    numbers = _numbers(t, c)
    if numbers is None:
        levels = sorted(set(c.values))
        keys = c.values
        shown = _quote_all(levels[:5]) + (", ..." if len(levels) > 5 else "")
        values = np.zeros(0)
    else:
        values = np.asarray(numbers, dtype=np.float64)
        levels = [_fmt(v) for v in np.unique(values)]
        keys = [_fmt(v) for v in numbers]
        shown = _names(levels[:5]) + (", ..." if len(levels) > 5 else "")
    if len(levels) < 2:
        raise CsvError(
            f"{t.label}: column {c.name!r}: every row has the same value, {levels[0]}: "
            "one class, nothing to learn"
        )
    target = _Facts(t.label, c.name, numbers is None, values, levels, keys, shown)
    return target.infer() if problem is None else target.check(problem)


@dataclass
class _Facts:
    """What the target column is, and the problems it can pose."""

    label: str
    name: str
    is_text: bool
    values: Array
    levels: list[str]
    keys: list[str]
    shown: str

    @property
    def whole(self) -> bool:
        return not self.is_text and bool(np.all(self.values == np.round(self.values)))

    @property
    def nonneg(self) -> bool:
        return not self.is_text and bool(np.all(self.values >= 0))

    def classes(self, key: str, why: str) -> _Target:
        index = {v: k for k, v in enumerate(self.levels)}
        codes = np.asarray([index[k] for k in self.keys], dtype=np.int64)
        if key == "binary_classification":
            return key, why, codes.astype(np.float64)[:, None], self.levels
        return key, why, codes, self.levels

    def numeric(self, key: str, why: str) -> _Target:
        return key, why, self.values[:, None], []

    def infer(self) -> _Target:
        name, k, shown = self.name, len(self.levels), self.shown
        other = " (--problem chooses another)"
        if k == 2:
            why = f"{name!r} takes two values, {shown}: binary classification{other}."
            return self.classes("binary_classification", why)
        if self.is_text:
            if k > MAX_CLASSES:
                raise CsvError(
                    f"{self.label}: column {name!r} is text with {k} distinct values, too many "
                    f"classes (at most {MAX_CLASSES}); choose another --target"
                )
            why = f"{name!r} holds {k} class names ({shown}): multi-class classification{other}."
            return self.classes("multiclass_classification", why)
        if self.whole and k <= MAX_INT_CLASSES:
            why = (
                f"{name!r} holds {k} whole numbers ({shown}), read as class labels: "
                f"multi-class classification{other}."
            )
            return self.classes("multiclass_classification", why)
        lo, hi = float(self.values.min()), float(self.values.max())
        if self.whole and self.nonneg:
            why = (
                f"{name!r} holds whole numbers ≥ 0 with {k} values, from {lo:g} to {hi:g}: "
                f"counts{other}."
            )
            return self.numeric("count_regression", why)
        if lo > 0 and hi / lo >= WIDE_RANGE_RATIO:
            why = (
                f"{name!r} is positive and spans {math.log10(hi / lo):.1f} orders of magnitude, "
                f"{lo:g} to {hi:g}: wide-range regression{other}."
            )
            return self.numeric("wide_range_regression", why)
        why = f"{name!r} holds real numbers from {lo:g} to {hi:g}: regression{other}."
        return self.numeric("regression", why)

    def check(self, problem: str) -> _Target:
        label, name, k, shown = self.label, self.name, len(self.levels), self.shown
        why = f"{problem}, as asked: {name!r} takes {k} values ({shown})."
        if problem in ("binary_classification", "multiclass_classification"):
            if problem == "binary_classification" and k != 2:
                raise CsvError(
                    f"{label}: column {name!r} has {k} distinct values ({shown}); binary "
                    "classification needs exactly two"
                )
            if not self.is_text and not self.whole:
                raise CsvError(
                    f"{label}: column {name!r} holds fractions ({shown}), not class labels; "
                    f"{problem} needs names or whole numbers"
                )
            if k > MAX_CLASSES:
                raise CsvError(
                    f"{label}: column {name!r} has {k} distinct values, too many classes "
                    f"(at most {MAX_CLASSES})"
                )
            return self.classes(problem, why)
        if self.is_text:
            raise CsvError(
                f"{label}: column {name!r} holds text ({shown}), not numbers; {problem} needs a "
                "numeric target"
            )
        if problem == "count_regression" and not (self.whole and self.nonneg):
            raise CsvError(
                f"{label}: column {name!r} is not all whole numbers ≥ 0; count_regression "
                "needs counts"
            )
        if problem == "wide_range_regression" and not self.nonneg:
            raise CsvError(
                f"{label}: column {name!r} has negative values; wide_range_regression needs "
                "values ≥ 0"
            )
        return self.numeric(problem, why)
