"""Dependencies point one way: the core never loads UI libraries, the headless CLI never textual."""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

UI_MODULES = ("textual", "rich", "plotext", "textual_plotext")


def loaded_after(code: str, *, top_level: bool = True) -> set[str]:
    """Module names in sys.modules (top-level names only, unless not `top_level`) after running
    `code` in a fresh interpreter."""
    names = "{m.split('.')[0] for m in sys.modules}" if top_level else "set(sys.modules)"
    script = (
        "import io, json, sys, contextlib\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        + "".join(f"    {line}\n" for line in code.splitlines())
        + f"print(json.dumps(sorted({names})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.splitlines()[-1]))


@pytest.mark.parametrize("package", ["core", "lessons"])
def test_core_and_lessons_never_import_ui_libraries(package):
    code = (
        f"import pkgutil, importlib, losstui.{package} as package\n"
        f"for m in pkgutil.walk_packages(package.__path__, 'losstui.{package}.'):\n"
        "    importlib.import_module(m.name)\n"
    )
    loaded = loaded_after(code)
    assert "losstui" in loaded
    assert "numpy" in loaded
    assert not loaded & set(UI_MODULES), sorted(loaded & set(UI_MODULES))


def test_core_has_the_documented_modules():
    import losstui.core

    names = {m.name for m in pkgutil.iter_modules(losstui.core.__path__)}
    assert {"numerics", "losses", "activations", "info", "problems", "settings", "state"} <= names


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["--version"],
        ["recommend", "regression"],
        ["recommend", "binary_classification", "--json"],
        ["losses"],
        ["info", "--p", "0.1,0.4,0.5", "--q", "0.8,0.15,0.05"],
        ["train", "--problem", "regression", "--steps", "5", "--format", "csv"],
        ["train", "--problem", "regression", "--steps", "5", "--format", "json"],
        ["recommend", "nope"],
        ["info", "--p", "0.5,0.5", "--q", "0.9,0.1", "--json"],
        ["train", "--preset", "saturated_start", "--steps", "5", "--format", "csv"],
        ["lesson", "check", "no-such-lesson.md"],
        ["--save-dir", "/no/such/directory"],
        ["--problem", "nope"],
    ],
    ids=lambda argv: " ".join(argv),
)
def test_headless_commands_do_not_import_textual_or_rich(argv):
    loaded = loaded_after(
        "from losstui.cli import main\n"
        "with contextlib.redirect_stderr(io.StringIO()):\n"
        f"    main({argv!r})\n"
    )
    assert "textual" not in loaded
    assert "rich" not in loaded  # rich is for the training table only
    assert "plotext" not in loaded


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["recommend", "binary_classification"],
        ["losses"],
        ["info", "--p", "0.5,0.5,0", "--q", "1,0,0"],
        ["train", "--problem", "binary_classification", "--steps", "5"],
    ],
    ids=lambda argv: " ".join(argv),
)
def test_the_cli_spells_and_formats_without_the_app_package(argv):
    # stdout here is a StringIO with no encoding: the CLI writes through its ASCII speller,
    # which comes from losstui.core.text, not from the app's losstui.tui.
    loaded = loaded_after(
        "from losstui.cli import main\n"
        "with contextlib.redirect_stderr(io.StringIO()):\n"
        f"    main({argv!r})\n",
        top_level=False,
    )
    assert "losstui.core.text" in loaded
    assert not {m for m in loaded if m == "losstui.tui" or m.startswith("losstui.tui.")}


def test_train_table_uses_rich_but_not_textual():
    loaded = loaded_after(
        "from losstui.cli import main\nmain(['train', '--problem', 'regression', '--steps', '5'])\n"
    )
    assert "rich" in loaded
    assert "textual" not in loaded


@pytest.mark.parametrize("argv", [["--help"], ["--version"]])
def test_the_command_line_loads_numpy_only_when_it_computes(argv):
    # Until numpy loads, pinning its BLAS to one thread is an environment variable (the entry
    # sets it first); loaded at import, OpenBLAS would already have started a thread per core.
    # And `losstui --help` answers at once.
    assert "numpy" not in loaded_after("import losstui.cli\n")
    loaded = loaded_after(
        "from losstui.cli import main\n"
        "with contextlib.redirect_stderr(io.StringIO()):\n"
        "    try:\n"
        f"        main({argv!r})\n"
        "    except SystemExit:\n"
        "        pass\n"
    )
    assert "numpy" not in loaded


def test_console_entry_help_does_not_import_textual():
    # `python -m losstui --help` as a user runs it, with -X importtime listing every import.
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "losstui", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert "usage: losstui" in result.stdout
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "textual" not in imported
    assert "rich" not in imported


#: The command line's modules that `losstui` alone (the app) does without: every command's, the
#: parser (nothing to read) and the checks of what it read.
NOT_FOR_THE_APP_ALONE = (
    "losstui.cli.parser",
    "losstui.cli.checks",
    "losstui.cli.info",
    "losstui.cli.lesson",
    "losstui.cli.losses",
    "losstui.cli.race",
    "losstui.cli.recommend",
    "losstui.cli.shapes",
    "losstui.cli.landscape",
    "losstui.cli.serve",
    "losstui.cli.train",
    "losstui.cli.training",
    "losstui.core.presets",
)


def test_the_app_alone_loads_no_command_and_no_parser():
    # `losstui` with no argument: the app (stood in for here) opens on the parser's defaults.
    loaded = loaded_after(
        "from losstui import cli\n"
        "opened = []\n"
        "cli.run_app = lambda *args, **options: opened.append((args, options)) or 0\n"
        "assert cli.main([]) == 0\n"
        "slow = cli.low_bandwidth_wanted(None)\n"
        "assert opened == [((None, False, None, None), {'low_bandwidth': slow, "
        "'save_dir': None, 'allow_long_run': False})], opened\n",
        top_level=False,
    )
    assert "losstui.cli.app" in loaded
    assert not set(NOT_FOR_THE_APP_ALONE) & loaded, sorted(set(NOT_FOR_THE_APP_ALONE) & loaded)


def test_the_app_alone_opens_on_the_values_the_parser_gives():
    # What main([]) passes without building the parser (above) is what the parser reads from [].
    from losstui.cli.parser import build_parser

    args = build_parser().parse_args([])
    assert (args.command, args.app_problem, args.ascii, args.app_preset, args.app_setup) == (
        None,
        None,
        False,
        None,
        None,
    )
    assert (args.low_bandwidth, args.save_dir, args.app_allow_long_run) == (None, None, False)


def test_a_command_loads_its_own_module_only():
    loaded = loaded_after(
        "from losstui.cli import main\nmain(['losses'])\n",
        top_level=False,
    )
    assert "losstui.cli.losses" in loaded
    others = {m for m in NOT_FOR_THE_APP_ALONE if m.startswith("losstui.cli.")}
    others -= {"losstui.cli.losses", "losstui.cli.parser", "losstui.cli.checks"}
    assert not others & loaded, sorted(others & loaded)


#: What the first screen does without: the other panes' modules, plotext (the Train and
#: Distributions panes draw with it), the help and preset dialogs, the palette's commands, the
#: preview beside the chooser (below 120 columns), lessons and their panel.
NOT_ON_THE_FIRST_SCREEN = (
    "plotext",
    "textual_plotext",
    "markdown_it",
    "losstui.tui.panes.train_pane",
    "losstui.tui.panes.distributions_pane",
    "losstui.tui.panes.pq_lab_pane",
    "losstui.tui.screens.help_screen",
    "losstui.tui.screens.preset_screen",
    "losstui.tui.palette",
    "losstui.tui.widgets.recommendation_view",  # the preview beside the chooser, from 120 columns
    "losstui.tui.widgets.lesson_panel",
    "losstui.lessons.format",
    "losstui.lessons.runner",
)


def test_the_first_screen_loads_only_what_it_shows():
    # The app drawn headless up to its first screen, then asked to exit.
    loaded = loaded_after(
        "from losstui.tui.app import LossApp\n"
        "app = LossApp()\n"
        "app.call_later(lambda: app.call_after_refresh(app.exit))\n"
        "app.run(headless=True, size=(80, 24))\n",
        top_level=False,
    )
    assert "losstui.tui.panes.problem_pane" in loaded  # it did draw the Problem pane
    assert not set(NOT_ON_THE_FIRST_SCREEN) & loaded, sorted(set(NOT_ON_THE_FIRST_SCREEN) & loaded)


async def test_the_hidden_parts_of_the_first_screen_are_composed_when_first_shown():
    # Below 120 columns the preview is hidden, and above the minimum size the too-small message:
    # neither is composed until the terminal's size shows it.
    from losstui.tui.app import LossApp

    app = LossApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query("#preview, #too-small")
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert app.state.built
        preview = app.screen.query_one("#preview")
        assert preview.region.width > 0
        assert getattr(preview, "problem", None) == app.state.problem  # drawn, not left empty
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        assert "needs a terminal of at least 60x20" in str(
            app.screen.query_one("#too-small").render()
        )


def test_the_first_frame_loads_no_numpy():
    # The state (the trainer, the datasets, numpy) is built after the first frame: what is
    # loaded when it starts to be built is what the first frame took.
    loaded = loaded_after(
        "import sys\n"
        "from losstui.tui import opening\n"
        "from losstui.tui.app import LossApp\n"
        "build_now, before = opening.LateState.build_now, []\n"
        "def probe(self):\n"
        "    before.append(set(sys.modules))\n"
        "    return build_now(self)\n"
        "opening.LateState.build_now = probe\n"
        "app = LossApp()\n"
        "app.call_later(lambda: app.call_after_refresh(lambda: app.call_after_refresh(app.exit)))\n"
        "app.run(headless=True, size=(120, 40))\n"
        "assert app.state.built  # built after the first frame, unasked\n"
        # What loaded_after reports: the modules loaded before the state was built.
        "sys.modules.clear(); sys.modules.update((name, None) for name in before[0])\n",
        top_level=False,
    )
    assert "losstui.tui.panes.problem_pane" in loaded  # the first frame drew the Problem pane
    assert "numpy" not in loaded
    assert "losstui.core.state" not in loaded


def test_the_opening_status_line_names_the_losses_the_state_does():
    # The first frame's status line names each problem's loss without the loss registry.
    from losstui.core.losses import LOSSES
    from losstui.core.problems import PROBLEMS, recommend
    from losstui.core.state import DEFAULT_PROBLEM, VIEW_DEFAULTS
    from losstui.tui.opening import DEFAULT_PANE, OPENING_LOSSES
    from losstui.tui.opening import DEFAULT_PROBLEM as OPENING_PROBLEM

    assert (DEFAULT_PROBLEM, VIEW_DEFAULTS["pane"]) == (OPENING_PROBLEM, DEFAULT_PANE)
    assert set(OPENING_LOSSES) == set(PROBLEMS)
    for key, names in OPENING_LOSSES.items():
        loss = LOSSES[recommend(key).loss]
        assert (names.title, names.pairing) == (loss.title, loss.pairing), key


def _package_imports(package: str) -> dict[str, set[tuple[str, str]]]:
    """For each module of `package` (a directory under losstui/), the (module, name) pairs it
    imports from its siblings, at the top or inside a function: a deferred import is an edge
    of the graph too."""
    directory = ROOT / "losstui" / package
    prefix = f"losstui.{package}."
    siblings = {path.stem for path in directory.glob("*.py") if path.stem != "__init__"}
    edges: dict[str, set[tuple[str, str]]] = {name: set() for name in siblings}
    for name in siblings:
        tree = ast.parse((directory / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module.startswith(prefix):
                    target = node.module[len(prefix) :]
                    edges[name] |= {(target, alias.name) for alias in node.names}
                elif node.module == f"losstui.{package}":
                    edges[name] |= {(a.name, "") for a in node.names if a.name in siblings}
    return edges


def test_the_lessons_package_imports_one_way():
    # language and files at the bottom, then values, format, library, the runner: a module
    # never imports one that imports it back, directly or through others, nor a private name.
    edges = _package_imports("lessons")
    order: list[str] = []
    left = dict(edges)
    while left:
        ready = [m for m, uses in left.items() if {t for t, _ in uses} <= set(order)]
        assert ready, f"an import circle among {sorted(left)}"
        order += sorted(ready)
        for module in ready:
            del left[module]
    private = {(m, t, n) for m, uses in edges.items() for t, n in uses if n.startswith("_")}
    assert not private, private
    assert order.index("language") < order.index("values") < order.index("format")
    assert order.index("files") < order.index("format") < order.index("library")


#: What a widget may not import: a widget is drawn by a pane or a screen, and tells them what
#: happened by a message, so it never needs either (Textual's "attributes down, messages up").
ABOVE_THE_WIDGETS = ("losstui.tui.panes", "losstui.tui.screens")


def _imported_modules(source: str, module: str) -> set[str]:
    """The modules that the code `source` of module `module` imports, at the top or inside a
    function, relative imports resolved; `from package import name` counts `package.name`
    too, as `name` may be a module."""
    package = module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found |= {f"{target}.{alias.name}" for alias in node.names}
    return found


def _reaches_above(imported: set[str]) -> set[str]:
    return {
        name
        for name in imported
        if any(name == top or name.startswith(f"{top}.") for top in ABOVE_THE_WIDGETS)
    }


@pytest.mark.parametrize(
    "source",
    [
        "from losstui.tui.panes.pane import Pane",
        "import losstui.tui.screens.main_screen",
        "from losstui.tui import panes",
        "from ..screens import main_screen",
        "from ..panes.pane import Pane",
        "def later():\n    from losstui.tui.panes.pane import Pane\n",
    ],
)
def test_the_widget_import_check_sees_every_way_to_import_a_pane(source):
    imported = _imported_modules(source, "losstui.tui.widgets.some_widget")
    assert _reaches_above(imported), imported


def test_no_widget_imports_a_pane_or_a_screen():
    widgets = sorted((ROOT / "losstui" / "tui" / "widgets").glob("*.py"))
    assert len(widgets) > 10  # the walk did find the widgets
    upward = {
        path.name: sorted(
            _reaches_above(
                _imported_modules(
                    path.read_text(encoding="utf-8"), f"losstui.tui.widgets.{path.stem}"
                )
            )
        )
        for path in widgets
    }
    assert not {name: found for name, found in upward.items() if found}


def test_garbage_collection_is_on_when_a_command_runs_and_after_the_command_line(monkeypatch):
    # The command line turns collections off for the app's start only.
    import gc

    from losstui import cli

    seen: list[bool] = []
    monkeypatch.setitem(cli.COMMANDS, "losses", lambda args: seen.append(gc.isenabled()) or 0)
    assert cli.main(["losses"]) == 0
    assert seen == [True]
    assert gc.isenabled()
    monkeypatch.setattr(cli, "run_app", lambda *args, **options: seen.append(gc.isenabled()) or 0)
    assert cli.main([]) == 0
    assert seen == [True, False]  # the app's start: off until its first frame (below)
    assert gc.isenabled()


def test_the_app_turns_garbage_collection_back_on_after_its_first_frame():
    loaded = loaded_after(
        "import gc\n"
        "from losstui.tui.app import LossApp\n"
        "gc.disable()  # as the command line starts it\n"
        "app = LossApp()\n"
        "app.call_later(lambda: app.call_after_refresh(lambda: app.call_after_refresh(app.exit)))\n"
        "app.run(headless=True, size=(80, 24))\n"
        "if gc.isenabled():  # told by a name in sys.modules, which is what loaded_after reads\n"
        "    sys.modules['gc_was_turned_on'] = gc\n",
    )
    assert "gc_was_turned_on" in loaded
