"""`losstui serve [--host HOST] [--port PORT] [APP ARGS]`: the app in a web browser, one copy per
tab, with every argument it is given checked here first."""

from __future__ import annotations

import shlex

from losstui.cli.checks import check_setup, refuse_extra
from losstui.cli.lesson_names import lesson_path, lesson_step
from losstui.cli.parser import PROG, UsageError, build_parser, serve_parser
from losstui.core.settings import shown_value


def cmd_serve(argv: list[str]) -> int:
    """`losstui serve`: check the app's arguments here (a bad value exits 2 before a browser
    ever connects), then serve the app with them."""
    from losstui.serve import address_problem, serve

    at = argv.index("serve")
    try:
        args, rest = serve_parser().parse_known_args(argv[at + 1 :])
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    app_argv = [*argv[:at], *rest]
    app, extra = build_parser().parse_known_args(app_argv)  # UsageError on a bad value
    refuse_extra(app, extra)
    check_setup(app)
    if app.command not in (None, "lesson") or (
        app.command == "lesson" and app.target in (None, "check")
    ):
        raise UsageError(
            f"{PROG} serve: error: serve opens the app: give its options, or `lesson NAME`; "
            f"got {shown_value(shlex.join(app_argv))}"
        )
    if app.command == "lesson":
        path = lesson_path(app.target, f"{PROG} lesson")  # said now, not in a browser's tab
        if app.step is not None:
            lesson_step(path, app.step)
    problem = address_problem(args.host, args.port)
    if problem is not None:
        raise UsageError(f"{PROG} serve: error: {problem}")
    return serve(app_argv, host=args.host, port=args.port)
