"""The P/Q lab: its mass moves keep distributions valid, and every number it shows is info's."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.app import App, ComposeResult

from losstui.core import info
from losstui.core.text import format_information
from losstui.tui.glyphs import ASCII, UNICODE
from losstui.tui.widgets.pq_lab import START_P, START_Q, PQLab, move_mass, to_hundredths
from tests.app_helpers import screen_text

MEASURE = re.compile(
    r"(H\(P\)|H\(Q\)|H\(P,Q\)|H\(Q,P\)|KL\(P(?:‖|\|\|)Q\)|KL\(Q(?:‖|\|\|)P\)|JS\(P,Q\))"
    r"\s+= +(\S+) +(bits|nats)"
)


def shown(lab: PQLab) -> dict[str, str]:
    """The measures the lab shows, label → formatted number, from its rendered text."""
    text = lab.render().plain.replace("||", "‖")
    return {m.group(1).replace("||", "‖"): m.group(2) for m in MEASURE.finditer(text)}


def expected(p, q, base: float, inf: str = "∞") -> dict[str, str]:
    def f(x: float) -> str:
        return inf if math.isinf(x) else format_information(x)

    return {
        "H(P)": f(info.entropy(p, base)),
        "H(Q)": f(info.entropy(q, base)),
        "H(P,Q)": f(info.cross_entropy(p, q, base)),
        "H(Q,P)": f(info.cross_entropy(q, p, base)),
        "KL(P‖Q)": f(info.kl_divergence(p, q, base)),
        "KL(Q‖P)": f(info.kl_divergence(q, p, base)),
        "JS(P,Q)": f(info.js_divergence(p, q, base)),
    }


class LabApp(App):
    def __init__(self, glyphs=UNICODE) -> None:
        super().__init__()
        self.glyphs = glyphs
        self.changes: list[PQLab.EditRequested] = []

    def compose(self) -> ComposeResult:
        yield PQLab(glyphs=self.glyphs)

    def on_mount(self) -> None:
        self.query_one(PQLab).focus()

    def on_pq_lab_edit_requested(self, message: PQLab.EditRequested) -> None:
        # The owner's part: apply what the lab asks for (the app's pane sets the state instead).
        self.changes.append(message)
        message.pq_lab.show(message.p, message.q)


# -- mass moves ----------------------------------------------------------------------------------
def test_moving_mass_in_takes_it_from_the_others_in_proportion():
    q = move_mass(START_Q, 1, 5)  # +0.05 to B: A gives 0.047, C gives 0.003, rounded to 0.01
    assert q == (0.75, 0.20, 0.05)
    assert move_mass(q, 1, -5) == (0.80, 0.15, 0.05)


def test_moving_mass_stops_at_zero_and_one():
    q = START_Q
    for _ in range(3):
        q = move_mass(q, 2, -5)
    assert q == (0.84, 0.16, 0.0)  # C emptied; A and B shared its 0.05 as 0.80 : 0.15
    full = move_mass((0.5, 0.5), 0, 100)
    assert full == (1.0, 0.0)
    assert move_mass(full, 0, 5) == full
    assert move_mass(full, 1, -1) == full  # nothing left to take out of B
    assert move_mass(full, 0, -4) == (0.96, 0.04)  # others hold nothing: they share equally


def test_off_grid_values_are_rounded_to_hundredths_summing_to_100():
    assert to_hundredths([1 / 3, 1 / 3, 1 / 3]) == [34, 33, 33]
    assert to_hundredths([0.29, 0.71]) == [29, 71]


@given(
    st.lists(st.integers(0, 20), min_size=3, max_size=3).filter(any),
    st.lists(st.tuples(st.integers(0, 2), st.sampled_from([5, -5, 1, -1])), max_size=40),
)
def test_any_sequence_of_moves_keeps_a_distribution(weights, moves):
    total = sum(weights)
    values = tuple(w / total for w in weights)
    for index, steps in moves:
        values = move_mass(values, index, steps)
        assert all(0.0 <= v <= 1.0 for v in values)
        assert sum(round(v * 100) for v in values) == 100
        assert values == tuple(round(v * 100) / 100 for v in values)  # on the 0.01 grid
        info.validate_distribution(values)


# -- the widget ----------------------------------------------------------------------------------
async def test_start_values_are_the_worked_example_in_bits():
    app = LabApp()
    async with app.run_test(size=(80, 24)):
        lab = app.query_one(PQLab)
        assert lab.p == START_P
        assert lab.q == START_Q
        values = shown(lab)
        assert values == expected(START_P, START_Q, 2.0)
        assert values["H(P)"] == "1.361"
        assert values["H(P,Q)"] == "3.288"
        assert values["H(Q,P)"] == "2.906"
        assert values["KL(P‖Q)"] == "1.927"
        assert values["KL(Q‖P)"] == "2.022"
        text = lab.render().plain
        assert "3.288 = 1.361 + 1.927" in text
        assert "not symmetric" in text


async def test_keys_move_mass_and_the_numbers_follow():
    app = LabApp()
    async with app.run_test(size=(80, 24)) as pilot:
        lab = app.query_one(PQLab)
        await pilot.press("down", "plus")  # Q: +0.05 to B
        assert lab.q == (0.75, 0.20, 0.05)
        await pilot.press("right_curly_bracket", "left_square_bracket")  # +0.01 then −0.05 to B
        assert lab.q == move_mass(move_mass((0.75, 0.20, 0.05), 1, 1), 1, -5)
        await pilot.press("p", "up", "minus", "minus")  # P: A loses 0.10
        assert lab.p == (0.0, 0.44, 0.56)
        await pilot.pause()
        assert shown(lab) == expected(lab.p, lab.q, 2.0)
        for dist in (lab.p, lab.q):
            assert math.isclose(sum(dist), 1.0, abs_tol=1e-12)
        assert [(m.p, m.q) for m in app.changes][-1] == (lab.p, lab.q)
        assert len(app.changes) == 5

        await pilot.press("r")
        assert (lab.p, lab.q) == (START_P, START_Q)


async def test_emptying_an_outcome_of_q_shows_infinite_kl():
    app = LabApp()
    async with app.run_test(size=(80, 24)) as pilot:
        lab = app.query_one(PQLab)
        await pilot.press("up", "minus")  # Q's C: 0.05 → 0
        assert lab.q[2] == 0.0
        await pilot.pause()
        values = shown(lab)
        assert values == expected(lab.p, lab.q, 2.0)
        assert values["KL(P‖Q)"] == values["H(P,Q)"] == "∞"
        assert "Q gives probability 0 to C" in lab.render().plain


async def test_ascii_mode_writes_inf_and_only_ascii():
    app = LabApp(glyphs=ASCII)
    async with app.run_test(size=(80, 24)) as pilot:
        lab = app.query_one(PQLab)
        await pilot.press("up", "minus")
        text = lab.render().plain
        assert text.isascii()
        assert shown(lab) == expected(lab.p, lab.q, 2.0, inf="inf")
        assert "KL(P||Q) = inf" in text


async def test_units_toggle_to_nats():
    app = LabApp()
    async with app.run_test(size=(80, 24)) as pilot:
        lab = app.query_one(PQLab)
        lab.units = "nats"
        await pilot.pause()
        values = shown(lab)
        assert values == expected(START_P, START_Q, math.e)
        assert values["H(P)"] == f"{1.3609640474436812 * math.log(2):.3f}"
        assert " nats" in lab.render().plain
        assert " bits" not in lab.render().plain
        with pytest.raises(ValueError, match="units"):
            lab.units = "bans"


async def test_show_validates_and_does_not_echo():
    app = LabApp()
    async with app.run_test(size=(80, 24)) as pilot:
        lab = app.query_one(PQLab)
        with pytest.raises(ValueError, match="sums to"):
            lab.show([0.5, 0.6], [0.5, 0.5])
        with pytest.raises(ValueError, match="negative"):
            lab.show([0.5, 0.5], [1.5, -0.5])
        with pytest.raises(ValueError, match="same"):
            lab.show([0.5, 0.5], [0.2, 0.3, 0.5])
        assert (lab.p, lab.q) == (START_P, START_Q)
        lab.show([0.5, 0.5], [0.9, 0.1])
        await pilot.pause()
        assert (lab.p, lab.q) == ((0.5, 0.5), (0.9, 0.1))
        assert app.changes == []  # what the owner shows is not asked for again
        assert shown(lab) == expected(lab.p, lab.q, 2.0)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (60, 20)])
async def test_lab_fits_its_pane(size):
    app = LabApp()
    async with app.run_test(size=size):
        lab = app.query_one(PQLab)
        lines = lab.render().plain.splitlines()
        assert len(lines) <= 16  # a tab at 80x24 leaves about 20 rows
        assert max(len(line.rstrip()) for line in lines) <= lab.size.width


async def test_a_small_divergence_is_not_shown_as_zero():
    app = LabApp()
    async with app.run_test(size=(80, 24)) as pilot:
        lab = app.query_one(PQLab)
        lab.show(START_P, (0.10, 0.41, 0.49))
        await pilot.pause()
        values = shown(lab)
        assert values == expected(lab.p, lab.q, 2.0)
        kl = info.kl_divergence(lab.p, lab.q, 2.0)
        assert 1e-4 < kl < 1e-3
        assert values["KL(P‖Q)"] == f"{kl:.3g}"
        assert "0.000 " not in lab.render().plain


class UnownedLabApp(App):
    """A lab whose requests are recorded and not applied: what it draws must not move."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[PQLab.EditRequested] = []

    def compose(self) -> ComposeResult:
        yield PQLab()

    def on_mount(self) -> None:
        self.query_one(PQLab).focus()

    def on_pq_lab_edit_requested(self, message: PQLab.EditRequested) -> None:
        self.requests.append(message)


async def test_a_key_asks_for_a_change_and_the_lab_draws_only_what_it_is_shown():
    app = UnownedLabApp()
    async with app.run_test(size=(80, 24)) as pilot:
        lab = app.query_one(PQLab)
        await pilot.press("plus")
        await pilot.pause()
        assert (lab.p, lab.q) == (START_P, START_Q)
        assert shown(lab) == expected(START_P, START_Q, 2.0)
        assert [(m.p, m.q) for m in app.requests] == [(START_P, move_mass(START_Q, 0, 5))]


# -- a read-out that stays put -------------------------------------------------------------------
def placed(app: App) -> dict[str, tuple[int, int, int, int, int | None]]:
    """Where each measure sits on screen: its row and the columns of its "=", its number's first
    character, its unit and its decimal point (None for ∞ or inf, which have none)."""
    places: dict[str, tuple[int, int, int, int, int | None]] = {}
    for row, line in enumerate(screen_text(app).splitlines()):
        for m in MEASURE.finditer(line):
            point = line.find(".", m.start(2), m.end(2))
            places[m.group(1).replace("||", "‖")] = (
                row,
                line.index("=", m.start(1)),
                m.start(2),
                m.start(3),
                None if point < 0 else point,
            )
    return places


@pytest.mark.parametrize("glyphs", [UNICODE, ASCII], ids=["unicode", "ascii"])
@pytest.mark.parametrize("units", ["bits", "nats"])
async def test_the_numbers_keep_their_columns_as_js_crosses_0_1_and_kl_becomes_infinite(
    glyphs, units
):
    # Lesson 4's walk: Q's A down to 0.10 and C up to 0.39 takes JS from 0.420 bits to 0.0171
    # (KL from 1.927 to 0.0692); then C emptied makes KL(P‖Q) and H(P,Q) infinite. The student
    # reads the block while pressing the keys, so after every key each "=", number, decimal
    # point and unit must be where it was.
    keys = ["minus"] * 14 + ["down", "down"] + ["plus"] * 4 + ["minus"] * 8
    app = LabApp(glyphs=glyphs)
    async with app.run_test(size=(80, 24)) as pilot:
        lab = app.query_one(PQLab)
        lab.units = units
        await pilot.pause()
        start = placed(app)
        assert set(start) == set(expected(START_P, START_Q, 2.0))
        js_shown = [shown(lab)["JS(P,Q)"]]
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
            values, now = measures(lab), placed(app)
            assert set(now) == set(start), key
            for label, (row, equals, number, unit, point) in now.items():
                assert (row, equals, number, unit) == start[label][:4], (key, label)
                finite = math.isfinite(values[label])
                assert point == (start[label][4] if finite else None), (key, label)
            js_shown.append(shown(lab)["JS(P,Q)"])
        assert lab.q[2] == 0.0
        inf = "∞" if glyphs is UNICODE else "inf"
        assert shown(lab)["KL(P‖Q)"] == shown(lab)["H(P,Q)"] == inf
        # The walk did cross 0.1, where the number gains a digit ("0.420" to "0.0171" in bits).
        assert float(js_shown[0]) > 0.1
        assert min(float(js) for js in js_shown) < 0.1
        assert any(len(js) > len(js_shown[0]) for js in js_shown)


def measures(lab: PQLab) -> dict[str, float]:
    """The lab's measures by label, as `placed` names them."""
    m = lab.measures
    return {
        "H(P)": m.h_p,
        "H(Q)": m.h_q,
        "H(P,Q)": m.h_pq,
        "H(Q,P)": m.h_qp,
        "KL(P‖Q)": m.kl_pq,
        "KL(Q‖P)": m.kl_qp,
        "JS(P,Q)": m.js,
    }


async def test_tiny_and_zero_divergences_keep_the_columns_too():
    # Q one hundredth from P: KL 0.000324 and JS 8.10e-05 bits, the longest numbers the lab
    # writes; P = Q: 0.000. Their points sit where 1.361's does.
    app = LabApp()
    async with app.run_test(size=(80, 24)) as pilot:
        lab = app.query_one(PQLab)
        start = placed(app)
        for q in [(0.10, 0.41, 0.49), START_P]:
            lab.show(START_P, q)
            await pilot.pause()
            assert placed(app) == start, q
        lab.show(START_P, (0.10, 0.41, 0.49))
        await pilot.pause()
        assert shown(lab)["KL(P‖Q)"] == "0.000324"
        assert shown(lab)["JS(P,Q)"] == "8.10e-05"
