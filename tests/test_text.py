"""Text as learners read it: numbers, ASCII spelling and thinned histories, one rule each."""

from __future__ import annotations

import ast
import dataclasses
import itertools
import math
import pathlib
import unicodedata

import pytest

import losstui
from losstui.core.text import (
    ASCII_WORDS,
    format_epoch,
    format_information,
    format_loss,
    format_metric,
    format_percent,
    format_probability,
    format_ticks,
    thin,
    thin_indices,
    to_ascii,
)

PACKAGE = pathlib.Path(losstui.__file__).parent

# -- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.35321, "0.3532"),
        (2.0, "2"),
        (0.0, "0"),
        (-0.001234, "-0.001234"),
        (2e-05, "2e-05"),
        (9999.4, "9999"),
        (12346.0, "1.235e+04"),  # the CLI's old "≥ 1e4 in scientific" rule, in the same digits
        (math.nan, "nan"),  # as Python, numpy, the CSV and the JSON write it
        (math.inf, "inf"),
        (-math.inf, "-inf"),
        (None, "-"),
    ],
)
def test_a_loss_has_four_significant_digits(value, shown):
    assert format_loss(value) == shown


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("accuracy", 0.9233, "92.3%"),
        ("accuracy", 1.0, "100.0%"),
        ("subset_accuracy", 0.5, "50.0%"),
        ("hamming_loss", 0.0123, "1.2%"),
        ("r2", 0.98765, "0.9877"),  # not a fraction of examples: shown as a loss is
        ("mae", 1234.56, "1235"),
        ("nll", 1.4189, "1.419"),
        ("train_loss", 0.25, "0.25"),
        ("accuracy", math.nan, "nan"),
        ("accuracy", None, "-"),
    ],
)
def test_a_metric_is_a_percentage_when_it_is_a_fraction(name, value, shown):
    assert format_metric(name, value) == shown


def test_percent_and_epoch():
    assert format_percent(0.9999) == "100.0%"
    assert format_percent(0.0) == "0.0%"
    assert format_epoch(2.6667) == "2.7"
    assert format_epoch(0) == "0.0"
    assert format_epoch(12.0) == "12.0"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1.3609640, "1.361"),  # DESIGN.md's worked example: H(P) in bits
        (3.2879431, "3.288"),
        (0.1, "0.100"),
        (845503.7182, "845503.718"),  # decimals, never scientific, above 0.1
        (0.0412, "0.0412"),  # three significant digits below 0.1 ...
        (0.000412, "0.000412"),  # ... so a small KL divergence never shows as 0.000
        (4.12e-06, "4.12e-06"),  # and scientific below 1e-4
        (-0.0004, "-0.000400"),
        (0.0, "0.000"),
        (-1e-17, "0.000"),  # rounding noise around 0, never "-0.000"
        (math.inf, "∞"),
        (-math.inf, "−∞"),
        (math.nan, "nan"),
    ],
)
def test_information_is_read_off_without_hiding_small_values(value, shown):
    assert format_information(value) == shown


def test_infinite_information_in_ascii_is_inf():
    assert to_ascii(format_information(math.inf)) == "inf"
    assert to_ascii(format_information(-math.inf)) == "-inf"


def test_probabilities_line_up():
    assert format_probability(0.87312) == "0.873"
    assert format_probability(1.0) == "1.000"
    assert format_probability(0.1, 2) == "0.10"
    assert {len(format_probability(p)) for p in (0.0, 0.5, 0.999, 1.0)} == {5}


@pytest.mark.parametrize(
    ("ticks", "labels"),
    [
        ([0.0, 0.25, 0.5], ["0.00", "0.25", "0.50"]),
        ([0.0, 100.0, 200.0, 300.0], ["0", "100", "200", "300"]),
        ([1e-05, 2e-05, 3e-05], ["1e-5", "2e-5", "3e-5"]),
        ([0.0, 1e6, 2e6], ["0", "1e6", "2e6"]),
        ([-1e-17, 0.5, 1.0], ["0.0", "0.5", "1.0"]),  # never "-0.0"
        ([], []),
    ],
)
def test_tick_labels_have_the_digits_that_tell_them_apart(ticks, labels):
    assert format_ticks(ticks) == labels


# -- ASCII spelling ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ascii"),
    [
        # Greek letters, indexed: one spelling in every pane and in the CLI.
        ("μ₁", "mu_1"),
        ("μ₂", "mu_2"),
        ("θ₀", "theta_0"),
        ("σ₁²", "sigma_1^2"),
        ("πₖ", "pi_k"),
        ("σ(z)", "sigma(z)"),
        ("λ", "lambda"),
        ("η", "eta"),
        ("ε", "eps"),
        ("Δ", "Delta"),
        ("ℓᵢ", "l_i"),
        # Products: a "*" where a spelled letter touches a letter or digit.
        ("2πσ²", "2*pi*sigma^2"),
        ("1/√(2πσ²)", "1/sqrt(2*pi*sigma^2)"),
        ("½·log(2π)", "1/2*log(2*pi)"),
        ("½r²", "1/2*r^2"),
        ("θ₀ + θ₁x", "theta_0 + theta_1*x"),
        ("Wᵀx", "W^T*x"),
        ("λʸ·e^(−λ)/y!", "lambda^y*e^(-lambda)/y!"),
        # Sub- and superscripts, a run of them together.
        ("σ²", "sigma^2"),
        ("x⁻¹", "x^-1"),
        ("yᵢₖ", "y_ik"),
        ("eᶻᵏ", "e^zk"),
        ("R²", "R^2"),
        # Sums and products over an index.
        ("Σᵢ", "sum_i"),
        ("Σⱼ", "sum_j"),
        ("−Σₗ", "-sum_l"),
        ("∑ₙ", "sum_n"),
        ("Πₖ", "prod_k"),
        # Hats: ŷ is one character, μ̂ two; both read the same way.
        ("ŷ", "y_hat"),
        ("μ̂", "mu_hat"),
        ("σ̂", "sigma_hat"),
        ("p̂ᵢₖ", "p_hat_ik"),
        ("(y − ŷ)²", "(y - y_hat)^2"),
        ("√ŷ", "sqrt(y_hat)"),
        ("(y − ŷ) / √ŷ", "(y - y_hat) / sqrt(y_hat)"),
        ("σ = √mean r²", "sigma = sqrt mean r^2"),
        # Derivatives.
        ("∂L/∂θ", "dL/dtheta"),
        ("∂NLL/∂μₖ", "dNLL/dmu_k"),
        ("f′(z)", "f'(z)"),
        # Relations and operators.
        ("KL(P‖Q)", "KL(P||Q)"),
        ("H(P,Q) = H(P) + KL(P‖Q)", "H(P,Q) = H(P) + KL(P||Q)"),
        ("p·log p", "p*log p"),
        ("a − b", "a - b"),
        ("|r| ≤ 1", "|r| <= 1"),
        ("z ≥ 0", "z >= 0"),
        ("KL(P‖Q) ≠ KL(Q‖P)", "KL(P||Q) != KL(Q||P)"),
        ("≈ 0.5", "~ 0.5"),
        ("±1", "+/-1"),
        ("3 × 3", "3 x 3"),
        ("y ∈ {0, 1}", "y in {0, 1}"),
        ("x ∈ ℝ", "x in R"),
        ("KL = ∞", "KL = inf"),
        ("⌈n / b⌉", "ceil(n / b)"),
        # Arrows, marks and punctuation.
        ("a → b", "a -> b"),
        ("  ← mean", "  <- mean"),
        ("↑/↓: outcome", "up/down: outcome"),
        ("▶ TRAINING", "> TRAINING"),
        ("⏸ PAUSED", "|| PAUSED"),
        ("(0, 1, 2, …)", "(0, 1, 2, ...)"),
        ("a — b", "a -- b"),
        ("model’s", "model's"),
        ("naïve", "naive"),
    ],
)
def test_every_symbol_has_one_ascii_spelling(text, ascii):
    assert to_ascii(text) == ascii


def test_spelled_for_markdown_what_the_spelling_adds_is_escaped():
    assert to_ascii("w·x + **ŷ**", markdown=True) == r"w\*x + **y\_hat**"
    assert to_ascii("θ₁x ≤ 1", markdown=True) == r"theta\_1\*x \<= 1"
    assert to_ascii("w·x + **ŷ**") == "w*x + **y_hat**"  # as plain text, nothing is escaped


def test_plain_ascii_comes_back_unchanged():
    for text in ("", "loss = 0.25", "y_hat^2 * 3", "KL(P||Q) <= inf", "?"):
        assert to_ascii(text) == text


@pytest.mark.parametrize(
    ("scripts", "plain", "mark"),
    [
        (
            "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀ",
            "0123456789+-()abcdefghijklmnoprstuvwxyzT",
            "^",
        ),
        ("₀₁₂₃₄₅₆₇₈₉₊₋ₐₑᵢⱼₒᵣᵤᵥₓₖₗₙ", "0123456789+-aeijoruvxkln", "_"),
    ],
)
def test_every_sub_and_superscript_is_spelled(scripts, plain, mark):
    for script, letter in zip(scripts, plain, strict=True):
        assert to_ascii("x" + script) == f"x{mark}{letter}", script
    assert to_ascii("x" + scripts) == f"x{mark}{plain}"  # a run is one index


def test_every_word_in_the_table_is_ascii():
    for char, word in ASCII_WORDS.items():
        assert word.isascii(), char
        assert word, char
        assert to_ascii(char).strip() == word.strip()


def _strings(value: object):
    """Every string inside `value`: a string, a dataclass, a mapping or a sequence of them."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _strings(getattr(value, field.name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _strings(item)


def _assert_spelled(text: str, where: str) -> None:
    spelled = to_ascii(text)
    assert spelled.isascii(), where
    unknown = sorted({c for c in text if not c.isascii() and "?" in to_ascii(c)})
    assert not unknown, f"{where}: no ASCII spelling for {unknown}"
    assert spelled.count("?") == text.count("?"), where


def test_every_loss_reads_in_ascii():
    from losstui.core.losses import LOSSES

    for key, loss in LOSSES.items():
        fields = [loss.title, loss.formula, loss.target, loss.when_to_use, loss.distribution]
        for text in [*fields, type(loss).__doc__ or ""]:
            _assert_spelled(text, key)
        assert to_ascii(loss.formula).isascii()


def test_every_problem_and_recommendation_reads_in_ascii():
    from losstui.core import problems

    for key, problem in problems.PROBLEMS.items():
        for text in _strings(problem):
            _assert_spelled(text, key)
        for text in _strings(problems.recommend(key)):
            _assert_spelled(text, f"recommend({key!r})")
    for name in ("QUESTIONS", "RECOMMENDATIONS"):
        for text in _strings(getattr(problems, name, {})):
            _assert_spelled(text, name)


def _is_cell_glyph(char: str) -> bool:
    """Box drawing, blocks and braille: drawn one per cell by the glyph sets, never as text."""
    name = unicodedata.name(char, "")
    return name.startswith(("BOX DRAWINGS", "BRAILLE", "QUADRANT")) or name.endswith(
        ("BLOCK", "SHADE")
    )


def test_every_string_in_the_package_reads_in_ascii():
    # Docstrings too: the app shows loss docstrings to learners.
    checked = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = "".join(c for c in node.value if not _is_cell_glyph(c))
                if not text.isascii():
                    _assert_spelled(text, f"{path.relative_to(PACKAGE)}: {text[:40]!r}")
                    checked += 1
    # Text content kept as data files (prose, questions, lessons).
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".toml", ".md", ".txt", ".yaml", ".yml", ".json"):
            _assert_spelled(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))
            checked += 1
    assert checked > 50


# -- thinning ------------------------------------------------------------------------------------


@pytest.mark.parametrize("most", [0, 1, 2, 3, 5, 20, 64])
def test_thinning_keeps_first_and_last_and_at_most_n(most):
    for n in range(0, 300):
        picks = thin_indices(n, most)
        assert picks == sorted(set(picks))  # increasing, no repeats
        assert all(0 <= i < n for i in picks)
        assert len(picks) == min(n, max(most, 2))
        if n:
            assert picks[0] == 0
            assert picks[-1] == n - 1
        if len(picks) > 2:  # evenly spaced: the gaps differ by one at most
            gaps = {b - a for a, b in itertools.pairwise(picks)}
            assert max(gaps) - min(gaps) <= 1, (n, most, gaps)


def test_thin_picks_the_items():
    history = list(range(1000))
    thinned = thin(history, 20)
    assert len(thinned) == 20
    assert thinned[0] == 0
    assert thinned[-1] == 999
    assert thin(history[:5], 20) == history[:5]
    assert thin(tuple("abcdefghij"), 4) == ["a", "d", "g", "j"]
    assert thin([], 10) == []
