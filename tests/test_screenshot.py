"""The palette's Screenshot saves where the notice says: the working directory, or --save-dir,
also where ~/Downloads does not exist; a failure says why."""

from __future__ import annotations

from pathlib import Path

from losstui.tui.app import LossApp
from tests.app_helpers import notifications
from tests.cli_helpers import run


def screenshot_command(app: LossApp):
    return next(c for c in app.get_system_commands(app.screen) if c.title == "Screenshot")


async def test_the_screenshot_lands_in_the_working_directory_without_downloads(
    tmp_path, monkeypatch
):
    home = tmp_path / "home"  # a lab account: no ~/Downloads
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    monkeypatch.chdir(work)
    app = LossApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert screenshot_command(app) is not None
        app.deliver_screenshot()  # what the palette's Screenshot calls, after it closes
        await pilot.pause()
    saved = list(work.glob("*.svg"))
    assert len(saved) == 1
    assert "Choose your problem" in saved[0].read_text(encoding="utf-8").replace("&#160;", " ")
    assert str(saved[0].resolve()) in notifications(app)
    assert not (home / "Downloads").exists()


async def test_save_dir_chooses_where_it_goes(tmp_path):
    app = LossApp(save_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.deliver_screenshot()
        await pilot.pause()
    (saved,) = tmp_path.glob("*.svg")
    assert str(saved.resolve()) in notifications(app)


async def test_a_screenshot_that_cannot_be_saved_says_why(tmp_path):
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("", encoding="utf-8")
    app = LossApp(save_dir=not_a_directory)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.deliver_screenshot()
        await pilot.pause()
        assert app.is_running  # a notice, not a crash
    (notice,) = notifications(app)
    assert f"Could not save the screenshot in {not_a_directory}" in notice
    assert "--save-dir" in notice


def test_a_bad_save_dir_is_refused_at_the_command_line(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    status, _, err = run(capsys, "--save-dir", str(missing))
    assert status == 2
    err = err.strip()
    assert err == (
        f"losstui: error: argument --save-dir: {str(missing)!r} is not a directory; "
        "give an existing one"
    )
    assert not Path(missing).exists()
