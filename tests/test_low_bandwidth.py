"""Low-bandwidth mode: chosen over SSH, overridable both ways, pictures redrawn once a second."""

from __future__ import annotations

import pytest

from losstui import cli
from losstui.cli import low_bandwidth_wanted
from tests.cli_helpers import run

SSH = {"SSH_CONNECTION": "10.0.0.2 52100 10.0.0.1 22"}


@pytest.mark.parametrize(
    ("flag", "environ", "wanted"),
    [
        (None, SSH, True),  # over SSH: chosen on its own
        (None, {}, False),
        (False, SSH, False),  # --no-low-bandwidth wins over SSH
        (True, {}, True),  # --low-bandwidth on a local terminal
        (None, {"SSH_CONNECTION": ""}, False),
    ],
)
def test_low_bandwidth_is_chosen_over_ssh_unless_the_flag_says(flag, environ, wanted):
    assert low_bandwidth_wanted(flag, environ) is wanted


@pytest.mark.parametrize(
    ("argv", "ssh", "wanted"),
    [
        ([], True, True),
        (["--no-low-bandwidth"], True, False),
        (["--low-bandwidth"], False, True),
        ([], False, False),
        (["--problem", "regression", "--no-low-bandwidth"], True, False),
    ],
)
def test_the_command_line_opens_the_app_in_the_mode_chosen(monkeypatch, argv, ssh, wanted):
    if ssh:
        monkeypatch.setenv("SSH_CONNECTION", SSH["SSH_CONNECTION"])
    else:
        monkeypatch.delenv("SSH_CONNECTION", raising=False)
    calls = []
    monkeypatch.setattr(cli, "run_app", lambda *a, **options: calls.append(options) or 0)
    assert cli.main(argv) == 0
    assert [options["low_bandwidth"] for options in calls] == [wanted]


def test_a_value_given_to_the_switch_is_refused_in_one_line(capsys, monkeypatch):
    monkeypatch.setattr(cli, "run_app", lambda *a, **o: pytest.fail("the app must not start"))
    status, out, err = run(capsys, "--low-bandwidth=yes")
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "--low-bandwidth" in err
    assert "takes no value" in err


async def test_the_app_says_it_redraws_once_a_second_and_its_panes_do():
    from losstui.tui.app import LossApp
    from losstui.tui.panes.train_pane import TrainPane

    app = LossApp(low_bandwidth=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        notices = [n.message for n in app._notifications]
        assert any("once a" in m and "--no-low-bandwidth" in m for m in notices), notices
        await pilot.press("3")  # the Train pane is composed when first opened
        await pilot.pause()
        assert app.main_screen.query_one(TrainPane).redraw_interval >= 1.0
    app = LossApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not list(app._notifications)
        await pilot.press("3")
        await pilot.pause()
        assert app.main_screen.query_one(TrainPane).redraw_interval < 1.0
