"""`losstui serve`: the app in a web browser, for a projector in a lecture hall.

textual-serve (the optional extra `losstui[serve]`) runs one copy of the app per browser tab
and relays its screen over a websocket; the browser draws it with xterm.js. Headless: nothing
here imports textual, and textual-serve is imported only when a server starts.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Sequence

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MISSING = (
    "losstui serve: error: the browser view needs textual-serve, an optional extra: "
    "pip install 'losstui[serve]'"
)


def app_command(app_argv: Sequence[str]) -> str:
    """The shell command each browser tab runs: this Python's losstui with `app_argv`."""
    return shlex.join([sys.executable, "-m", "losstui", *app_argv])


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


def serve(app_argv: Sequence[str], host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    """Serve the app, run with `app_argv`, at http://host:port until interrupted; the exit
    status (1 with one line when textual-serve is missing)."""
    try:
        from textual_serve.server import Server
    except ImportError:
        print(MISSING, file=sys.stderr)
        return 1
    env = app_environment(dict(os.environ))  # the app's copies inherit it
    os.environ.clear()
    os.environ.update(env)
    server = Server(app_command(app_argv), host=host, port=port, title="losstui")
    server.serve()
    return 0
