"""Messages for the bad values the reliability battery typed, and CSV that shows divergence."""

from __future__ import annotations

import pytest

from losstui import cli
from losstui.core.settings import SETTINGS

NINES = "9" * 5000


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ("train", "--problem", "regression", "--hidden", NINES),
            "hidden sizes must be 1 to 4 whole numbers from 1 to 1024",
        ),
        (
            ("train", "--problem", "regression", "--steps", NINES),
            "steps must be at most 10,000,000",
        ),
        (
            ("train", "--problem", "regression", "--lr", "-inf"),
            "learning rate must be a number > 0 and at most 1e+09, got '-inf'",
        ),
        (("info", "--p", "-0.1,1.1", "--q", "0.5,0.5"), "--p contains a negative probability"),
        (
            ("train", "--problem", "regression", "--bogus"),
            "losstui train: error: unrecognized arguments: '--bogus'",
        ),
        (("--problem", "regression", "losses"), "--problem before a command opens the app"),
        (
            ("lesson", "99"),
            "losstui lesson: error: no lesson '99': choose 1-7, a name (loss-and-sgd, "
            "maximum-likelihood,",
        ),
        (("lesson", NINES), "losstui lesson: error: no lesson '999"),
        (("serve", "lesson", "99"), "losstui lesson: error: no lesson '99': choose 1-7,"),
        (("lesson", "check", "gone.md"), "losstui lesson check: error: lesson file 'gone.md'"),
    ],
    ids=[
        "huge hidden",
        "huge steps",
        "lr -inf",
        "negative p",
        "unknown flag",
        "app flag",
        "unknown lesson",
        "huge lesson name",
        "serve unknown lesson",
        "missing lesson file",
    ],
)
def test_each_bad_value_gets_one_line_naming_it(capsys, argv, expected):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert expected in err
    assert "4300" not in err
    assert "expected one argument" not in err
    assert len(err) < 400  # a long value is cut, not echoed whole


@pytest.mark.parametrize("typed", ["1_0", "５", "0x10", "1e", "٣"])
def test_numbers_are_written_as_people_write_them(typed):
    with pytest.raises(ValueError, match="learning rate must be"):
        SETTINGS["lr"].parse(typed)


@pytest.mark.parametrize("typed", ["0.5,0.5_0", "0.5,０.5"])
def test_probabilities_are_plain_numbers_too(capsys, typed):
    status, out, err = run(capsys, "info", "--p", typed, "--q", "0.5,0.5")
    assert status == 2
    assert out == ""
    assert "expected comma-separated probabilities" in err


def test_a_momentum_just_below_1_is_not_shown_as_1():
    assert SETTINGS["momentum"].format(0.99999999999) == "0.99999999999"
    assert SETTINGS["lr"].format(0.1) == "0.1"


def test_csv_says_where_the_run_diverged(capsys):
    status, out, err = run(
        capsys, "train", "--problem", "regression", "--lr", "1e9", "--format", "csv"
    )
    assert status == 0
    assert err == ""
    last = out.splitlines()[-1]
    assert last.startswith("# training diverged at step 1:")
    assert all(not line.startswith("#") for line in out.splitlines()[:-1])


def test_an_overflow_is_reported_as_divergence_not_a_warning(capsys):
    status, out, err = run(capsys, "train", "--problem", "density_estimation", "--lr", "1e8")
    assert status == 0
    assert err == ""
    assert "Diverged: training diverged at step" in out
    assert "Warning" not in out


#: What comes before a command's own flags, so that the rest of the line is valid.
BEFORE = {
    None: [],
    "recommend": ["recommend", "regression"],
    "losses": ["losses"],
    "info": ["info", "--p", "0.5,0.5", "--q", "0.5,0.5"],
    "lesson": ["lesson", "1"],
    "train": ["train", "--problem", "regression"],
    "race": ["race", "--problem", "regression", "--vary", "lr=0.1,0.2"],
    "serve": ["serve"],
    "shapes": ["shapes", "regression"],
    "landscape": ["landscape", "--problem", "regression"],
}


def _value_flags() -> list[tuple[str | None, str]]:
    """(command, flag) for every option that takes a value, read from the parsers themselves,
    so that a flag added later is in the test too; the app's own flags also after `serve`."""
    parser = cli.build_parser()
    found = [(None, flag) for flag in sorted(cli._value_options_of(parser))]
    for command, sub in cli._commands_of(parser).items():
        found += [(command, flag) for flag in sorted(cli._value_options(sub))]
    serving = cli._value_options(cli.serve_parser()) | cli._value_options_of(parser)
    found += [("serve", flag) for flag in sorted(serving)]
    assert {command for command, _ in found} <= set(BEFORE), "a new command: say its prefix"
    return found


@pytest.mark.parametrize(("command", "flag"), _value_flags(), ids=lambda v: str(v))
def test_a_double_dash_given_as_a_value_is_checked_like_any_other_value(
    capsys, monkeypatch, command, flag
):
    """`--setup=--`: argparse used to hand the option an empty list, a traceback later on."""

    def never(*args, **kwargs):
        raise AssertionError("a bad value must not open the app or start a server")

    monkeypatch.setattr(cli, "run_app", never)
    monkeypatch.setattr("losstui.serve.serve", never)
    status, out, err = run(capsys, *BEFORE[command], f"{flag}=--")
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "'--'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ("--problem", "regression", "--setup", "loss=bce"),
            "cannot run here: binary_cross_entropy needs class labels",
        ),
        (
            ("--problem", "regression", "--setup", "dataset=moons"),
            "unknown dataset 'moons'; allowed: line, curve, linear20 (on --problem regression)",
        ),
        (
            ("--preset", "double_softmax", "--setup", "dataset=two_blobs"),
            "unknown dataset 'two_blobs'; allowed: blobs",
        ),
        (
            ("--problem", "density_estimation", "--setup", "model=mlp"),
            "model must be one of linear, got 'mlp' (on --problem density_estimation)",
        ),
        (
            ("serve", "--problem", "regression", "--setup", "loss=bce"),
            "binary_cross_entropy needs class labels",
        ),
    ],
    ids=["loss", "dataset", "preset's dataset", "density model", "served"],
)
def test_a_setup_line_is_read_on_the_problem_or_preset_asked_for(capsys, argv, expected):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.startswith("losstui: error: argument --setup: ")
    assert err.count("\n") == 1
    assert expected in err


def test_a_setup_line_that_fits_the_problem_asked_for_is_let_through(monkeypatch):
    opened = {}
    monkeypatch.setattr(cli, "run_app", lambda *args, **kwargs: opened.update(args=args) or 0)
    assert cli.main(["--problem", "regression", "--setup", "loss=mae dataset=curve"]) == 0
    assert opened["args"][0] == "regression"


HUGE = "x" * 100_000


@pytest.mark.parametrize(
    "argv",
    [
        ("--setup", HUGE),
        ("--setup", f"{HUGE}=1"),
        ("--setup", f"lr={HUGE}"),
        (HUGE,),
        ("train", "--problem", HUGE),
        ("train", "--problem", "regression", "--format", HUGE),
        ("info", "--p", HUGE, "--q", "0.5,0.5"),
        ("--save-dir", HUGE),
        ("lesson", "1", HUGE),
        ("serve", "--host", HUGE),
        ("serve", "train", HUGE),
    ],
    ids=lambda v: " ".join(a[:10] for a in v),
)
def test_a_huge_bad_token_is_cut_in_its_error_line(capsys, argv):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert len(err) < 400
    assert "…" in err
    assert "100,0" in err


@pytest.mark.parametrize("outcomes", [1, 10, 1000])
def test_the_lab_takes_2_to_9_outcomes_from_a_setup_line_and_a_lesson_file(
    capsys, tmp_path, outcomes
):
    """`--setup "p=1 q=1"` then `5` crashed the lab; a lesson's `set pane=pq_lab p=...` with 1 or
    1,000 outcomes passed `lesson check`. The schema refuses both where they enter."""
    p = ",".join([f"{1 / outcomes:.6g}"] * outcomes)
    status, _, err = run(capsys, "--setup", f"p={p} q={p} pane=pq_lab")
    assert status == 2
    assert err.count("\n") == 1
    assert f"P has 2 to 9 outcomes (the lab letters them A to I), got {outcomes}" in err
    lesson = tmp_path / "lab.md"
    lesson.write_text(
        f"---\ntitle: T\nsummary: S\nminutes: 1\n---\nThe lab.\n\n"
        f"```losstui\nset pane=pq_lab p={p} q=0.5,0.5\n```\n",
        encoding="utf-8",
    )
    status, out, err = run(capsys, "lesson", "check", str(lesson))
    assert status == 2
    assert out == ""
    assert f"P has 2 to 9 outcomes (the lab letters them A to I), got {outcomes}" in err
