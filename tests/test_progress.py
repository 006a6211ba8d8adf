"""Saved lesson progress survives a file that does not read, odd files in its place, two
instances saving at once, and values a student's program never wrote."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from losstui.lessons import progress
from losstui.paths import state_directory
from tests.cli_helpers import run

#: Another lesson's progress, which a broken file must not cost the student.
SAVED = {"1-loss-and-sgd": 5, "2-maximum-likelihood": 3, "finished": ["1-loss-and-sgd"]}


@pytest.fixture
def state(tmp_path, monkeypatch) -> Path:
    """An empty state directory of this test's own; the notice of an earlier test said."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    progress.take_notice()
    return tmp_path / "losstui"


def _kept_aside(state: Path) -> list[Path]:
    return sorted(state.glob("progress.json.unreadable-*"))


def _write_raw(state: Path, content: bytes) -> None:
    state.mkdir(parents=True, exist_ok=True)
    (state / "progress.json").write_bytes(content)


UNREADABLE = {
    "one Latin-1 byte": json.dumps(SAVED).replace("loss", "l\xf6ss").encode("latin-1"),
    "a 5,000-digit number": b'{"1-loss-and-sgd": ' + b"9" * 5000 + b"}",
    "a 100,000-deep array": b"[" * 100_000 + b"]" * 100_000,
    "cut short": json.dumps(SAVED).encode()[:-3],
    "not an object": b"[1, 2, 3]",
    "larger than the limit": b" " * (progress.LIMIT + 1) + b"{}",
}


@pytest.mark.parametrize("content", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_a_file_that_does_not_read_is_kept_aside_and_said_once(state, content):
    _write_raw(state, content)
    assert progress.load_all() == {}  # read as no progress, never raised
    aside = _kept_aside(state)
    assert len(aside) == 1
    assert aside[0].read_bytes() == content
    notice = progress.take_notice()
    assert notice is not None
    assert aside[0].name in notice
    assert "could not be read" in notice
    assert progress.take_notice() is None  # said once

    assert progress.save("3-logistic-regression", 2)  # the next > writes afresh beside it
    assert progress.load_all() == {"3-logistic-regression": 2}
    assert aside[0].read_bytes() == content
    assert progress.take_notice() is None


def test_a_byte_order_mark_is_accepted(state):
    _write_raw(state, b"\xef\xbb\xbf" + json.dumps(SAVED).encode())
    assert progress.load("1-loss-and-sgd") == 5
    assert progress.finished() == {"1-loss-and-sgd"}
    assert progress.save("3-logistic-regression", 1)
    assert progress.load_all() == {"1-loss-and-sgd": 5, "2-maximum-likelihood": 3,
                                   "3-logistic-regression": 1}  # fmt: skip
    assert _kept_aside(state) == []
    assert progress.take_notice() is None


def test_a_fifo_or_a_device_in_its_place_is_never_read(state):
    """A FIFO would block the app forever, /dev/zero fill its memory: neither is opened for
    reading; both are moved aside, the device itself untouched."""
    state.mkdir(parents=True)
    os.mkfifo(state / "progress.json")
    assert progress.load_all() == {}
    assert progress.save("1-loss-and-sgd", 1)
    assert progress.load_all() == {"1-loss-and-sgd": 1}
    assert "not a regular file" in (progress.take_notice() or "")

    (state / "progress.json").unlink()
    (state / "progress.json").symlink_to("/dev/zero")
    assert progress.load_all() == {}
    assert any(p.is_symlink() for p in _kept_aside(state))
    assert Path("/dev/zero").is_char_device()


def test_a_file_that_cannot_be_opened_is_kept_aside(state, monkeypatch):
    _write_raw(state, json.dumps(SAVED).encode())
    (state / "progress.json").chmod(0)
    if os.geteuid() == 0:  # root opens a file of mode 000: refuse as the kernel would anyone else
        real_open = os.open

        def refuse(path, *args, **kwargs):
            if Path(path).name == "progress.json":
                raise PermissionError(13, "Permission denied")
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse)
    assert progress.load_all() == {}
    assert progress.save("3-logistic-regression", 2)
    (aside,) = _kept_aside(state)
    aside.chmod(0o600)
    assert json.loads(aside.read_text()) == SAVED
    assert "Permission denied" in (progress.take_notice() or "")


def test_a_file_that_can_be_neither_read_nor_moved_is_never_overwritten(state, monkeypatch):
    _write_raw(state, b"{not json")

    def refuse(*args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "rename", refuse)
    assert not progress.save("1-loss-and-sgd", 1)
    assert (state / "progress.json").read_bytes() == b"{not json"
    assert "progress is not saved" in (progress.take_notice() or "")


def test_values_the_app_never_wrote_are_dropped(state):
    """A negative step would show "step -4 of 8"; a flag, a fraction or a step past any lesson
    means nothing either: the lesson starts at its first step."""
    steps = {"a": -4, "b": True, "c": 2.5, "d": "3", "e": 10**9, "f": 3, "g": None}
    _write_raw(state, json.dumps(steps).encode())
    assert progress.load_all() == {"f": 3}
    assert progress.load("a") == 0
    assert progress.load("e") == 0
    assert _kept_aside(state) == []  # a file that reads is the student's, whatever it holds


def test_a_relative_state_home_is_ignored(tmp_path, monkeypatch):
    """The XDG spec: a relative XDG_STATE_HOME is invalid; progress and crash reports go to
    ~/.local/state, never under the directory the app was started in."""
    home, work = tmp_path / "home", tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_STATE_HOME", "state")
    monkeypatch.chdir(work)
    assert state_directory() == home / ".local" / "state" / "losstui"
    assert progress.save("1-loss-and-sgd", 2)
    assert (home / ".local" / "state" / "losstui" / "progress.json").is_file()
    assert list(work.iterdir()) == []


#: Saves each writer makes: steps 0 to SAVES - 1 of its own lesson, with an answer each time.
SAVES = 150


def _writer(state_home: str, key: str) -> None:
    os.environ["XDG_STATE_HOME"] = state_home
    for step in range(SAVES):
        assert progress.save(key, step, {step: ("asked?", f"answer {step}")})
        assert progress.save_kept(key, {"loss": f"{step}"})


def test_two_instances_saving_at_once_keep_every_lesson(state):
    """Two processes save their own lessons as fast as they can while a third reads: every read
    is whole, and each lesson's last step, answer and kept value are there at the end."""
    state.mkdir(parents=True)
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    home = str(state.parent)
    writers = [context.Process(target=_writer, args=(home, key)) for key in ("A.md", "B.md")]
    for writer in writers:
        writer.start()
    reads = 0
    while any(w.is_alive() for w in writers) or reads == 0:
        try:
            text = (state / "progress.json").read_bytes()
        except FileNotFoundError:
            continue
        json.loads(text)  # never a part of a file
        reads += 1
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    assert progress.load_all() == {"A.md": SAVES - 1, "B.md": SAVES - 1}
    last = SAVES - 1
    assert progress.load_answers("A.md") == {last: ("asked?", f"answer {last}")}
    assert progress.load_kept("B.md") == {"loss": f"{last}"}
    assert _kept_aside(state) == []
    assert progress.take_notice() is None
    assert sorted(p.name for p in state.iterdir() if not p.name.startswith(".")) == [
        "progress.json"
    ]  # no temporary file left behind
    assert not [p for p in state.iterdir() if p.name.endswith(".tmp")]


async def test_the_app_says_once_that_it_kept_the_progress_aside(state):
    from losstui.tui.app import LossApp

    _write_raw(state, b"\xff not progress")
    app = LossApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert len([m for m in said if "could not be read" in m]) == 1
        assert _kept_aside(state)


def test_the_lesson_list_says_once_on_stderr_that_it_kept_the_progress_aside(state, capsys):
    _write_raw(state, UNREADABLE["cut short"])
    status, out, err = run(capsys, "lesson")
    assert status == 0
    (aside,) = _kept_aside(state)
    assert err.count("\n") == 1
    assert err.startswith("losstui: note: ")
    assert aside.name in err
    assert "not started" in out  # the list itself, on stdout
    assert run(capsys, "lesson")[::2] == (0, "")
