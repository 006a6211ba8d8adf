"""Provides the P-versus-Q lab: move probability mass by key and watch entropy, KL and JS."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from losstui.core import info
from losstui.core.info import PQMeasures
from losstui.core.settings import MAX_OUTCOMES
from losstui.core.state import PQ_START
from losstui.core.text import format_information, format_probability
from losstui.tui.glyphs import Glyphs, UsesGlyphs, choose_glyphs
from losstui.tui.widgets.dist_text import unit_base, wrap, wrap_parts

#: The lab's starting point, the worked example of DESIGN.md.
START_P, START_Q = PQ_START

#: Edits move mass in hundredths: every value stays a multiple of 0.01 and the counts sum to 100.
GRID = 100
LABELS = "ABCDEFGHI"[:MAX_OUTCOMES]

#: The read-out's number field: its decimal point sits at a fixed column, after one digit (every
#: measure the keys can reach is below 10: at worst H(P,Q) = −log₂ 0.01 = 6.64 bits) and before
#: room for the longest fraction format_information writes ("0.000289", "4.12e-05"), so the
#: block stays put while JS crosses 0.1 or KL becomes ∞ under the student's keys.
INTEGER_WIDTH = 1
FRACTION_WIDTH = 7  # the point and six more: ".000289", ".12e-05"


def _apportion(amount: int, weights: Sequence[int]) -> list[int]:
    """`amount` split into whole shares proportional to `weights` (largest remainder); they sum
    to `amount`, and no share exceeds its weight when amount ≤ Σ weights."""
    total = sum(weights)
    pairs = [divmod(amount * w, total) for w in weights]
    shares = [s for s, _ in pairs]
    short = amount - sum(shares)
    # Ties go to the earlier outcome, so a move is reproducible.
    order = sorted(range(len(weights)), key=lambda i: (-pairs[i][1], i))
    for i in order[:short]:
        shares[i] += 1
    return shares


def to_hundredths(values: Sequence[float]) -> list[int]:
    """A distribution as whole hundredths summing to exactly 100 (largest-remainder rounding)."""
    scaled = [max(float(v), 0.0) * GRID for v in values]
    # The 1e-9 keeps 0.29·100 = 28.999999999999996 from rounding down to 28.
    counts = [math.floor(s + 1e-9) for s in scaled]
    short = GRID - sum(counts)
    order = sorted(range(len(values)), key=lambda i: (-(scaled[i] - counts[i]), i))
    for i in order[: max(short, 0)]:
        counts[i] += 1
    while sum(counts) > GRID:  # only for inputs whose sum exceeds 1 by rounding
        counts[counts.index(max(counts))] -= 1
    return counts


def move_mass(values: Sequence[float], index: int, steps: int) -> tuple[float, ...]:
    """Move `steps` hundredths of probability into outcome `index` (out of it when negative).

    Mass comes from the other outcomes in proportion to what they hold, and goes back to them in
    the same proportion (equally if they hold nothing). Values are clamped to [0, 1]; the result
    is on the 0.01 grid with counts summing to exactly 100.
    """
    counts = to_hundredths(values)
    others = [i for i in range(len(counts)) if i != index]
    if steps > 0:
        amount = min(steps, GRID - counts[index])
        if amount:
            shares = _apportion(amount, [counts[i] for i in others])
            for i, share in zip(others, shares, strict=True):
                counts[i] -= share
            counts[index] += amount
    elif steps < 0:
        amount = min(-steps, counts[index])
        weights = [counts[i] for i in others]
        if not any(weights):
            weights = [1] * len(others)
        if amount:
            shares = _apportion(amount, weights)
            for i, share in zip(others, shares, strict=True):
                counts[i] += share
            counts[index] -= amount
    return tuple(c / GRID for c in counts)


def _probability(value: float) -> str:
    """Two decimals on the 0.01 grid the keys move in, three for values set off it."""
    on_grid = abs(value * GRID - round(value * GRID)) < 1e-9
    return format_probability(value, 2 if on_grid else 3)


def _aligned(text: str, integer_width: int, fraction_width: int) -> str:
    """`text`, a number as format_information writes it, in a field `integer_width` +
    `fraction_width` cells wide whose decimal point is at column `integer_width`.

    A number without a point (∞, "inf" in ASCII, nan) starts at the units digit's column and is
    padded to the same width, so the unit after the field never moves either.
    """
    whole, point, fraction = text.partition(".")
    if not point:
        return f"{'':>{integer_width - 1}}{text:<{fraction_width + 1}}"
    return f"{whole:>{integer_width}}{point}{fraction:<{fraction_width - 1}}"


def _wrapped(text: str, width: int, style: str = "") -> list[Text]:
    """`text` broken at spaces into lines at most `width` cells wide."""
    return [Text(line, style=style) for line in wrap(text, width)]


class PQLab(UsesGlyphs, Widget, can_focus=True):
    """Two distributions P and Q over outcomes A, B, C…, edited by key, with their information
    measures live.

    H(P) = −Σ p·log p, H(P,Q) = −Σ p·log q = H(P) + KL(P‖Q), KL(P‖Q) = Σ p·log(p/q),
    JS = ½KL(P‖M) + ½KL(Q‖M) with M = ½(P + Q). `units` ("bits" or "nats") is set by the app.

    The lab is a controlled widget: it draws the P and Q its owner gives to `show`, and a key that
    moves mass posts `EditRequested` with the distributions it asks for instead of changing them,
    so the owner (the app state) stays the one place they live. The cursor (`edited`, `outcome`)
    is the lab's own.
    """

    DEFAULT_CSS = """
    PQLab {
        height: auto;
        padding: 0 1;
    }
    PQLab:focus {
        background-tint: $foreground 5%;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "toggle_edited", "P or Q", tooltip="Edit P or Q"),
        Binding("left", "edit('p')", "Edit P", show=False),
        Binding("right", "edit('q')", "Edit Q", show=False),
        Binding("up", "select_outcome(-1)", "Previous outcome", show=False),
        Binding("down", "select_outcome(1)", "Next outcome", show=False),
        Binding("plus,equals_sign,right_square_bracket", "move(5)", "Move 0.05", key_display="+/-"),
        Binding("minus,left_square_bracket", "move(-5)", "−0.05", show=False),
        Binding("right_curly_bracket", "move(1)", "+0.01", show=False),
        Binding("left_curly_bracket,underscore", "move(-1)", "−0.01", show=False),
        Binding("r", "reset", "Reset lab"),
    ]

    @dataclass
    class EditRequested(Message, namespace="pq_lab"):
        """A key asks for P = `p` and Q = `q` (valid distributions on the 0.01 grid); the owner
        applies them and calls `show`."""

        pq_lab: PQLab
        p: tuple[float, ...]
        q: tuple[float, ...]

        @property
        def control(self) -> PQLab:
            """The lab that changed."""
            return self.pq_lab

    units: reactive[str] = reactive("bits")
    """The unit of every measure shown: "bits" (log base 2) or "nats" (natural log)."""
    edited: reactive[str] = reactive("q")
    """Which distribution the keys edit: "p" or "q"."""
    outcome: reactive[int] = reactive(0)
    """Index of the outcome the keys move mass into or out of."""

    def __init__(
        self,
        p: Sequence[float] = START_P,
        q: Sequence[float] = START_Q,
        *,
        units: str = "bits",
        glyphs: Glyphs | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._glyphs = glyphs or choose_glyphs()
        self._p, self._q = self._validated(p, q)
        unit_base(units)
        self.set_reactive(PQLab.units, units)

    # -- public interface ---------------------------------------------------------------------
    @property
    def p(self) -> tuple[float, ...]:
        """The true distribution P."""
        return self._p

    @property
    def q(self) -> tuple[float, ...]:
        """The model's distribution Q."""
        return self._q

    def _glyphs_changed(self) -> None:
        self.refresh(layout=True)

    @property
    def measures(self) -> PQMeasures:
        """H(P), H(Q), H(P,Q), H(Q,P), KL both ways and JS of the current P and Q, in `units`."""
        return PQMeasures.of(self._p, self._q, self.units)

    def show(self, p: Sequence[float], q: Sequence[float]) -> None:
        """Draw P = `p` and Q = `q`; ValueError (and no change) unless both are distributions
        over the same 2 to 9 outcomes."""
        p_t, q_t = self._validated(p, q)
        if (p_t, q_t) == (self._p, self._q):
            return
        self._p, self._q = p_t, q_t
        if self.outcome >= len(p_t):
            self.outcome = len(p_t) - 1
        self.refresh(layout=True)  # a longer note may wrap onto another line

    # -- keys ---------------------------------------------------------------------------------
    def action_toggle_edited(self) -> None:
        self.edited = "p" if self.edited == "q" else "q"

    def action_edit(self, which: str) -> None:
        self.edited = which

    def action_select_outcome(self, delta: int) -> None:
        self.outcome = (self.outcome + delta) % len(self._p)

    def action_move(self, steps: int) -> None:
        if self.edited == "p":
            self._request(move_mass(self._p, self.outcome, steps), self._q)
        else:
            self._request(self._p, move_mass(self._q, self.outcome, steps))

    def action_reset(self) -> None:
        """Ask for the worked example the lab starts from."""
        self._request(START_P, START_Q)

    # -- internals ----------------------------------------------------------------------------
    @staticmethod
    def _validated(
        p: Sequence[float], q: Sequence[float]
    ) -> tuple[tuple[float, ...], tuple[float, ...]]:
        p_arr = info.validate_distribution(p, "P")
        q_arr = info.validate_distribution(q, "Q")
        if p_arr.size != q_arr.size:
            raise ValueError(
                f"P has {p_arr.size} outcomes but Q has {q_arr.size}; they must have the same"
            )
        if not 2 <= p_arr.size <= MAX_OUTCOMES:
            raise ValueError(f"the lab shows 2 to {MAX_OUTCOMES} outcomes, got {p_arr.size}")
        return tuple(float(v) for v in p_arr), tuple(float(v) for v in q_arr)

    def _request(self, p: tuple[float, ...], q: tuple[float, ...]) -> None:
        if (p, q) != (self._p, self._q):
            self.post_message(self.EditRequested(self, p, q))

    def validate_units(self, units: str) -> str:
        unit_base(units)  # ValueError for anything but bits or nats
        return units

    def validate_edited(self, edited: str) -> str:
        if edited not in ("p", "q"):
            raise ValueError(f"edited must be 'p' or 'q', got {edited!r}")
        return edited

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Text:
        return Text("\n").join(self._lines(self.size.width))

    def _lines(self, width: int) -> list[Text]:
        """The lab drawn `width` cells wide: bars, measures, the identity, the keys."""
        g = self._glyphs
        width = max(width, 20)
        lines: list[Text] = []
        lines += self._bars(width)
        lines.append(Text())
        lines += self._measure_lines(width)
        for note in self._notes():
            lines += _wrapped(g.text(note), width)
        lines.append(Text())
        keys = ["p or ←/→: P or Q", "↑/↓: outcome", "+/-: move 0.05", "}/{: 0.01", "r: reset"]
        lines += [Text(line, style="dim") for line in wrap_parts([g.text(k) for k in keys], width)]
        return lines

    def _bars(self, width: int) -> list[Text]:
        g = self._glyphs
        side_by_side = width >= 56
        col_width = min((width - 2) // 2 if side_by_side else width, 58)
        long_titles = col_width >= 36
        columns = [
            ("p", "P  true distribution" if long_titles else "P  true", self._p),
            ("q", "Q  model's prediction" if long_titles else "Q  model", self._q),
        ]
        blocks: list[list[Text]] = []
        for key, title, values in columns:
            editing = key == self.edited
            head = Text(f"  {title}", style="bold")
            if editing:
                head.append("  [editing]", style="reverse")
            block = [head]
            bar_width = max(col_width - 10, 4)
            for i, value in enumerate(values):
                selected = editing and i == self.outcome
                row = Text(">" if selected else " ")
                row.append(f" {LABELS[i]} ", style="reverse" if selected else "")
                row.append(f"{_probability(value):>5} ")
                row.append(g.bar(value, bar_width), style="cyan" if key == "p" else "magenta")
                block.append(row)
            blocks.append(block)
        if not side_by_side:
            return blocks[0] + blocks[1]
        lines = []
        for left, right in zip(*blocks, strict=True):
            left.pad_right(col_width + 2 - left.cell_len)
            lines.append(left + right)
        return lines

    def _measure_lines(self, width: int) -> list[Text]:
        g = self._glyphs
        m = self.measures
        rows = [
            (("H(P)", m.h_p), ("H(Q)", m.h_q), "entropy: average surprise"),
            (("H(P,Q)", m.h_pq), ("H(Q,P)", m.h_qp), "cross-entropy"),
            (("KL(P‖Q)", m.kl_pq), ("KL(Q‖P)", m.kl_qp), "KL divergence"),
            (("JS(P,Q)", m.js), None, "Jensen-Shannon: symmetric, finite"),
        ]
        pairs = [pair for row in rows for pair in row[:2] if pair is not None]
        label_width = max(len(g.text(label)) for label, _ in pairs)
        split = [g.text(format_information(value)).partition(".") for _, value in pairs]
        # The widths are the constants for every value the keys reach, so the "=", the point
        # and the unit keep their columns; only a value that needs more (≥ 10 bits, off the
        # 0.01 grid) widens the field, for every row at once, so the points still line up.
        integer_width = max([INTEGER_WIDTH, *(len(w) for w, point, _ in split if point)])
        fraction_width = max([FRACTION_WIDTH, *(len(p + f) for _, p, f in split if p)])

        def cell(pair: tuple[str, float]) -> str:
            label = g.text(pair[0])
            number = _aligned(g.text(format_information(pair[1])), integer_width, fraction_width)
            return f"{label:<{label_width}} = {number} {m.units}"

        cell_width = len(cell(pairs[0]))
        two_columns = width >= 2 * cell_width + 3
        # Three spaces before the descriptions, two if that is what fits them all in one column
        # at 80 columns (ASCII's "KL(P||Q)" widens the cells). The cells' width is fixed, so
        # the choice does not change as the values do.
        longest = max(2 * cell_width + 3 + len(g.text(row[2])) for row in rows if row[1])
        gap = "   " if longest + 3 <= width else "  "
        lines = []
        for first, second, description in rows:
            line = Text(cell(first), style="bold")
            description = g.text(description)
            if two_columns and second is not None:
                line.append("   " + cell(second))
            elif second is not None:
                lines.append(line)
                line = Text(cell(second))
            if two_columns and line.cell_len + len(gap) + len(description) <= width:
                line.append(gap + description, style="dim")
            lines.append(line)
        return lines

    def _notes(self) -> list[str]:
        """The identity H(P,Q) = H(P) + KL(P‖Q) with numbers, and what KL's asymmetry shows."""
        m = self.measures
        h_pq, h_p, kl = (format_information(v) for v in (m.h_pq, m.h_p, m.kl_pq))
        identity = f"H(P,Q) = H(P) + KL(P‖Q):  {h_pq} = {h_p} + {kl}"
        if all(math.isfinite(v) for v in (m.h_pq, m.h_p, m.kl_pq)) and Decimal(h_pq) != Decimal(
            h_p
        ) + Decimal(kl):
            identity += "  (rounded)"
        notes = [identity]
        kl_pq, kl_qp = format_information(m.kl_pq), format_information(m.kl_qp)
        pairs = list(enumerate(zip(self._p, self._q, strict=True)))
        missing_in_q = [LABELS[i] for i, (a, b) in pairs if a > 0.0 and b == 0.0]
        missing_in_p = [LABELS[i] for i, (a, b) in pairs if b > 0.0 and a == 0.0]
        if missing_in_q:
            note = (
                f"KL(P‖Q) = ∞: Q gives probability 0 to {', '.join(missing_in_q)}, which P allows"
            )
        elif missing_in_p:
            note = (
                f"KL(Q‖P) = ∞ (P gives 0 to {', '.join(missing_in_p)}) but KL(P‖Q) = {kl_pq}: "
                "KL is not symmetric"
            )
        elif self._p == self._q:
            note = "P = Q: both KL divergences are 0 and H(P,Q) = H(P)"
        elif kl_pq == kl_qp:
            note = f"KL(P‖Q) = KL(Q‖P) = {kl_pq} here, but in general KL is not symmetric"
        else:
            note = f"KL is not symmetric: KL(P‖Q) = {kl_pq} ≠ KL(Q‖P) = {kl_qp}"
        notes.append(note)
        return notes
