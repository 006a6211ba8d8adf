"""`losstui serve`: the app in a real headless browser, served on loopback, draws its first screen
in Unicode whatever the server's locale; without the extra, one line says how to get it."""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import time

import pytest

from losstui import cli, serve
from tests.cli_helpers import run

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ANSI = re.compile(r"\x1b(\[[0-9;?$]*[A-Za-z]|\][^\x07]*\x07)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(server: subprocess.Popen) -> None:
    """Read the server's output until it says it is serving (or it ends)."""
    assert server.stdout is not None
    for line in server.stdout:
        if "Serving" in line:
            return
    pytest.fail(f"losstui serve exited with {server.wait()}: {server.stderr.read()}")


def test_the_served_app_draws_its_first_screen_in_a_real_browser():
    pytest.importorskip("textual_serve", reason="textual-serve (losstui[serve]) not installed")
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    if CHROMIUM is None:
        pytest.skip("no Chromium to drive: apt-get install chromium")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env["LANG"] = "C"  # a lab server without a UTF-8 locale: the browser still gets Unicode
    server = subprocess.Popen(
        [sys.executable, "-m", "losstui", "serve", "--port", str(port), "--preset", "far_cluster"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_serving(server)
        screen = ""
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 800})

            def first_screen(frame) -> bool:
                nonlocal screen
                text = frame if isinstance(frame, str) else frame.decode("utf-8", "replace")
                screen += ANSI.sub("", text)
                return "6 Lessons" in screen and "PAUSED" in screen  # the preset opens on Train

            with page.expect_websocket() as opened:
                page.goto(url)
            opened.value.wait_for_event("framereceived", predicate=first_screen, timeout=30_000)
            browser.close()
        assert "1 Problem" in screen
        assert "6 Lessons" in screen
        assert "─" in screen or "━" in screen  # drawn with Unicode rules, not ASCII
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_without_the_extra_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)  # import fails
    assert serve.serve(["--preset", "far_cluster"], port=free_port()) == 1
    assert capsys.readouterr().err == serve.MISSING + "\n"


def test_serve_checks_the_apps_arguments_before_serving(capsys):
    status, _, err = run(capsys, "serve", "--preset", "nope")
    assert status == 2
    assert "unknown preset 'nope'" in err
    status, _, err = run(capsys, "serve", "train")
    assert status == 2
    assert "serve opens the app" in err
    status, _, err = run(capsys, "serve", "--port", "70000")
    assert status == 2
    assert "port must be at most 65,535" in err
    huge = "problem=binary_classification model=mlp hidden=1024,1024,1024,1024"
    status, _, err = run(capsys, "serve", "--setup", huge)  # above the app's work cap
    assert status == 2
    assert "above the app's cap" in err
    # As `losstui lesson 99` says it, before any browser connects.
    status, _, err = run(capsys, "serve", "lesson", "99")
    assert status == 2
    assert err.startswith("losstui lesson: error: no lesson '99': choose 1-7, a name (loss-and-sgd")


def test_the_served_app_is_this_python_with_the_same_arguments_and_a_utf8_locale():
    command = serve.app_command(["--preset", "far_cluster", "lesson", "my lesson.md"])
    assert command == (
        "exec env TEXTUAL_DRIVER=losstui.tui.web_driver:SizedWebDriver "
        f"{sys.executable} -m losstui --preset far_cluster lesson 'my lesson.md'"
    )
    env = serve.app_environment(
        {"LANG": "C", "LC_ALL": "C", "NO_COLOR": "1", "HOME": "/h", "SSH_CONNECTION": "a 1 b 22"}
    )
    assert env["LC_ALL"] == env["LANG"] == "C.UTF-8"
    assert "NO_COLOR" not in env
    assert "SSH_CONNECTION" not in env  # the browser gets smooth redraws
    assert env["HOME"] == "/h"


@pytest.fixture
def never_served(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("a bad address must be refused before the server starts")

    monkeypatch.setattr(serve, "serve", never)


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("", "--host is empty; give 127.0.0.1 (this machine only) or 0.0.0.0"),
        ("h" * 300, "is not a host name or an IP address"),
        ("bad_host!", "--host 'bad_host!' is not a host name or an IP address"),
        ("192.0.2.1", "--host '192.0.2.1' is not an address of this machine"),  # TEST-NET-1
    ],
    ids=["empty", "300 characters", "bad characters", "not this machine's"],
)
def test_a_host_the_server_cannot_listen_on_is_one_line_and_status_2(
    capsys, never_served, host, expected
):
    status, _, err = run(capsys, "serve", "--host", host)
    assert status == 2
    assert err.startswith("losstui serve: error: ")
    assert expected in err
    assert err.count("\n") == 1
    assert len(err) < 300


def test_a_port_in_use_is_named_before_the_server_starts(capsys, never_served):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"losstui serve: error: --port {port} is in use on '127.0.0.1' by another program; "
        "give another port\n"
    )


def test_a_free_address_is_let_through(monkeypatch):
    served = {}
    monkeypatch.setattr(
        serve, "serve", lambda argv, host, port: served.update(at=(host, port)) or 0
    )
    port = free_port()
    assert cli.main(["serve", "--host", "localhost", "--port", str(port)]) == 0
    assert served["at"] == ("localhost", port)


class _PostedTo:
    """Stands for the app a driver drives: keeps what the driver posts to it."""

    def __init__(self) -> None:
        self.posted: list = []

    def post_message(self, message) -> None:
        self.posted.append(message)


async def test_a_tab_cannot_give_the_served_app_a_size_no_screen_has(monkeypatch):
    from textual import events

    from losstui.tui.web_driver import MAX_COLUMNS, MAX_ROWS, SizedWebDriver

    monkeypatch.setenv("COLUMNS", "-5")  # `/ws?width=-5&height=-5`, as textual-serve passes it
    monkeypatch.setenv("ROWS", "-5")
    # The driver reads its stdin in a thread it starts later; here nothing is read.
    monkeypatch.setattr("textual.drivers.web_driver.InputReader", lambda: None)
    app = _PostedTo()
    driver = SizedWebDriver(app)  # type: ignore[arg-type]
    monkeypatch.setattr(driver, "send_message", app.post_message)  # resizes go through it
    assert driver._size == (1, 1)
    sizes = []
    for width, height in [(-5, -5), (20000, 20000), (120, 40), ("x", 40), (True, 3), (None, 2)]:
        driver.on_meta("resize", {"type": "resize", "width": width, "height": height})
        sizes.append(driver._size)
    assert sizes == [(1, 1), (MAX_COLUMNS, MAX_ROWS), (120, 40), (120, 40), (120, 40), (120, 40)]
    resized = [m.size for m in app.posted if isinstance(m, events.Resize)]
    assert all(1 <= s.width <= MAX_COLUMNS and 1 <= s.height <= MAX_ROWS for s in resized)


def _meta(**payload) -> bytes:
    """A meta packet as textual-serve writes it to the app's stdin."""
    data = json.dumps(payload).encode()
    return b"M" + len(data).to_bytes(4, "big") + data


def _read_until(stream, text: bytes, seconds: float = 60) -> bool:
    """Read the app's output until `text` comes (True), or it ends or `seconds` pass (False)."""
    seen = b""
    deadline = time.monotonic() + seconds
    while text not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        ready, _, _ = select.select([stream], [], [], left)
        chunk = os.read(stream.fileno(), 65536) if ready else b""
        if not chunk:
            return False
        seen = seen[-len(text) :] + chunk  # the text may straddle two reads
    return True


@contextlib.contextmanager
def _served_app(tmp_path, columns: str, rows: str):
    """The app as textual-serve starts it for a tab of `columns` x `rows` (COLUMNS and ROWS), its
    stdin and stdout the relay's pipes; killed if it is still running when the test ends."""
    env = {**os.environ, "COLUMNS": columns, "ROWS": rows, "XDG_STATE_HOME": str(tmp_path)}
    app = subprocess.Popen(
        serve.app_command([]),
        shell=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=serve.app_environment(env),
    )
    assert app.stdin is not None
    assert app.stdout is not None
    try:
        yield app
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()


def _close_tab(app) -> bytes:
    """Say the tab has closed, as textual-serve does; the app's stderr once it has ended."""
    app.stdin.write(_meta(type="quit"))
    app.stdin.flush()
    return app.communicate(timeout=60)[1]


def test_the_served_app_lives_through_a_negative_size(tmp_path):
    """A tab opened as `/ws?width=-5&height=-5` crashed its app on the first frame (IndexError):
    the size is held to a screen's (1x1), the app draws at it and quits when the tab closes.
    (20000x20000, and resizes, are held in the test above, without a 1000x1000 frame's cost.)"""
    with _served_app(tmp_path, "-5", "-5") as app:
        assert _read_until(app.stdout, b"\x1b[1;1H")  # a frame, drawn at 1x1
        err = _close_tab(app)
    assert app.returncode == 0, err.decode()
    assert not list(tmp_path.glob("losstui/crash-*"))


def test_a_resize_before_the_served_apps_first_frame_is_drawn_at_the_new_size(tmp_path):
    """A browser fits its window right after it connects: a tab opened at 79x24 and resized at
    once to 80x24 froze its app (no frame after 50 s, quit ignored), which took the start size
    after the resize and then redrew between the two layouts forever."""
    with _served_app(tmp_path, "79", "24") as app:
        app.stdin.write(_meta(type="resize", width=80, height=24))  # before its first frame
        app.stdin.flush()
        # The full tab title, written from 80 columns on ("2 Recommend" below).
        assert _read_until(app.stdout, b"2 Recommendation", seconds=30)
        err = _close_tab(app)
    assert app.returncode == 0, err.decode()


def test_a_port_taken_just_before_the_server_starts_is_one_line_too(monkeypatch, capsys):
    """Another server may take the port between the check and the start."""
    pytest.importorskip("textual_serve.server", reason="textual-serve not installed")
    import errno

    from losstui.web_server import StoppableServer

    def taken(self, debug=False):
        raise OSError(errno.EADDRINUSE, "error while attempting to bind on address")

    monkeypatch.setattr(StoppableServer, "serve", taken)
    monkeypatch.setattr(os, "environ", dict(os.environ))  # serve() rewrites the environment
    assert serve.serve([], host="127.0.0.1", port=8123) == 2
    assert capsys.readouterr().err == (
        "losstui serve: error: --port 8123 is in use on '127.0.0.1' by another program; "
        "give another port\n"
    )


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as listed:
        return [int(child) for child in listed.read().split()]


async def test_ctrl_c_stops_the_server_promptly_with_a_tab_open_and_ends_its_app():
    """With a tab open that had sent a resize, ctrl+c took over 20 s to stop the server (it
    waited for the tab's websocket): now it stops within seconds, with 130, its app gone."""
    pytest.importorskip("textual_serve", reason="textual-serve (losstui[serve]) not installed")
    if not os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children"):
        pytest.skip("needs Linux's /proc to find the server's app process")
    import asyncio
    import signal

    import aiohttp

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "losstui", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    apps: list[int] = []
    try:
        wait_until_serving(server)  # said as it starts; the port is open a moment later
        async with aiohttp.ClientSession() as session:
            deadline = time.monotonic() + 10
            while True:
                try:
                    tab = await session.ws_connect(f"ws://127.0.0.1:{port}/ws?width=70&height=24")
                    break
                except aiohttp.ClientConnectorError:
                    assert time.monotonic() < deadline, "the server never opened its port"
                    await asyncio.sleep(0.05)
            drawn = b""
            while b"Lessons" not in drawn:  # the first frame's tab bar
                message = await asyncio.wait_for(tab.receive(), timeout=60)
                assert message.type == aiohttp.WSMsgType.BINARY, message
                drawn += message.data
            await tab.send_json(["resize", {"width": 70, "height": 24}])
            await tab.send_json(["ping", "after the resize"])
            while (await asyncio.wait_for(tab.receive(), timeout=10)).data != (
                '["pong", "after the resize"]'
            ):
                pass  # frames; the pong says the server has handed the resize on
            apps = _children(server.pid)
            assert len(apps) == 1
            server.send_signal(signal.SIGINT)
            deadline = time.monotonic() + 10
            while server.poll() is None and time.monotonic() < deadline:
                # As a browser does, read on (and so answer the server's close).
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(tab.receive(), timeout=0.1)
        assert server.poll() == 130, "the server did not stop within 10 s of ctrl+c"
        with pytest.raises(ProcessLookupError):
            os.kill(apps[0], 0)  # the tab's app ended with it, not left behind
    finally:
        for pid in apps:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if server.poll() is None:
            server.kill()
            server.wait()
