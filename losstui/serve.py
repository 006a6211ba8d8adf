"""`losstui serve`: the app in a web browser, for a projector in a lecture hall.

textual-serve (the optional extra `losstui[serve]`) runs one copy of the app per browser tab
and relays its screen over a websocket; the browser draws it with xterm.js. Headless: nothing
here imports textual, and textual-serve is imported only when a server starts.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import re
import shlex
import signal
import socket
import sys
from collections.abc import Sequence

from losstui.core.settings import shown_value

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MISSING = (
    "losstui serve: error: the browser view needs textual-serve, an optional extra: "
    "pip install 'losstui[serve]'"
)


#: A host name as RFC 1123 allows it: dot-separated labels of letters, digits and inner hyphens.
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
#: The longest host name DNS carries.
MAX_HOST = 253


def address_problem(host: str, port: int) -> str | None:
    """What is wrong with listening on `host`:`port`, in a few words naming the value, or None
    when the server can start there. Tried before the server starts, so that a typo, a name that
    does not resolve or a port another program holds is one line and status 2, not a traceback
    from inside the web server."""
    shown = shown_value(host)
    if not host.strip():
        # An empty host makes the web server listen on every network, the opposite of a typo's
        # intent: refuse it and say how to ask for each.
        return "--host is empty; give 127.0.0.1 (this machine only) or 0.0.0.0 (every network)"
    if not _is_ip_address(host) and (
        len(host) > MAX_HOST or not all(_LABEL.fullmatch(part) for part in host.split("."))
    ):
        return (
            f"--host {shown} is not a host name or an IP address (letters, digits, hyphens and "
            f"dots, at most {MAX_HOST} characters; e.g. 127.0.0.1 or 0.0.0.0)"
        )
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        return f"--host {shown} does not resolve to an address ({reason})"
    for family, kind, protocol, _, address in found:
        try:
            with socket.socket(family, kind, protocol) as probe:
                # As the web server binds: a port left in TIME_WAIT by a server just stopped is
                # free to it, a port another program listens on is not.
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind(address)
        except OSError as error:
            return _bind_problem(shown, port, error)
    return None


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _bind_problem(shown: str, port: int, error: OSError) -> str:
    """The one line for a failed bind: the port taken, not ours to use, or a foreign address."""
    if error.errno == errno.EADDRINUSE:
        return f"--port {port} is in use on {shown} by another program; give another port"
    if error.errno == errno.EACCES:
        return f"--port {port} needs administrator rights; give a port from 1024 to 65535"
    if error.errno == errno.EADDRNOTAVAIL:
        return f"--host {shown} is not an address of this machine; give one of its own"
    return f"cannot listen on {shown} port {port}: {error.strerror or error}"


#: The Textual driver each tab's app runs with: textual-serve names Textual's web driver, which
#: takes any size a client sends (-5, or 20000x20000); this one holds it to a screen's.
APP_DRIVER = "losstui.tui.web_driver:SizedWebDriver"


def app_command(app_argv: Sequence[str]) -> str:
    """The shell command each browser tab runs: this Python's losstui with `app_argv`, on the
    driver that clamps the tab's size (set in the command: textual-serve sets its own
    TEXTUAL_DRIVER in the environment it passes)."""
    # `exec`: the shell gives its process to the app, so that textual-serve's signals reach it.
    return "exec " + shlex.join(
        ["env", f"TEXTUAL_DRIVER={APP_DRIVER}", sys.executable, "-m", "losstui", *app_argv]
    )


def app_environment(environ: dict[str, str]) -> dict[str, str]:
    """The environment the served app runs in. The browser draws Unicode whatever this
    server's locale is, so the app is told its locale is UTF-8 (else a lab server with LANG=C
    would send the projector ASCII art)."""
    env = dict(environ)
    env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8", PYTHONIOENCODING="utf-8")
    env.pop("NO_COLOR", None)  # a browser has colours, whatever the server's terminal has
    # The browser is not at the end of this SSH session: full redraws unless --low-bandwidth.
    env.pop("SSH_CONNECTION", None)
    return env


#: How long, in seconds, the server gives each tab's app to quit on its own when the server is
#: stopped before it ends it with SIGKILL; and how long aiohttp then waits for a tab's handler.
SHUTDOWN_GRACE = 2.0
#: The exit status after a signal stopped the server: 128 + N, as the app's (README).
SIGNAL_STATUS = {signal.SIGINT: 128 + signal.SIGINT, signal.SIGTERM: 128 + signal.SIGTERM}


def serve(app_argv: Sequence[str], host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    """Serve the app, run with `app_argv`, at http://host:port until interrupted; the exit
    status: 130 after ctrl+c (SIGINT), 143 after SIGTERM, 1 with one line when textual-serve is
    missing."""
    try:
        from textual_serve.server import Server  # noqa: F401 (only to say it is missing)
    except ImportError:
        print(MISSING, file=sys.stderr)
        return 1
    from losstui.web_server import StoppableServer

    env = app_environment(dict(os.environ))  # the app's copies inherit it
    os.environ.clear()
    os.environ.update(env)
    server = StoppableServer(
        app_command(app_argv), host=host, port=port, title="losstui", grace=SHUTDOWN_GRACE
    )
    try:
        server.serve()
    except OSError as error:
        # Taken between address_problem's check and the start (another server was quicker).
        if error.errno not in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
            raise
        print(
            f"losstui serve: error: {_bind_problem(shown_value(host), port, error)}",
            file=sys.stderr,
        )
        return 2
    return 0 if server.stopped_by is None else SIGNAL_STATUS[server.stopped_by]
