"""The command-line package stays flat: each command's module imports the shared helpers (parser,
checks, output, ...) but never another command's module, so a command can be read, changed or
removed on its own. And the names tests stand in for on the package reach every caller."""

from __future__ import annotations

import ast
import pkgutil
from pathlib import Path

import pytest

from losstui import cli

PACKAGE = Path(cli.__file__).parent


def _modules() -> dict[str, ast.Module]:
    """Every module of losstui.cli (the package's own __init__ aside), parsed, by short name."""
    return {
        info.name: ast.parse((PACKAGE / f"{info.name}.py").read_text(encoding="utf-8"))
        for info in pkgutil.iter_modules([str(PACKAGE)])
    }


def _command_modules() -> set[str]:
    """The modules that hold a command: those that define a top-level `cmd_*` function."""
    return {
        name
        for name, tree in _modules().items()
        if any(
            isinstance(node, ast.FunctionDef) and node.name.startswith("cmd_") for node in tree.body
        )
    }


def _package_imports(tree: ast.Module) -> set[str]:
    """The modules of losstui.cli that `tree` imports, anywhere in it (imports inside functions
    count too), by short name. `from losstui import cli` is the package itself, not one of them."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            # `from .train import x` and `from . import train` are read as absolute imports.
            base = node.module or ""
            if node.level:
                base = f"losstui.cli.{base}" if base else "losstui.cli"
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            if name.startswith("losstui.cli."):
                found.add(name.removeprefix("losstui.cli.").split(".")[0])
    return found & set(_modules())


def test_the_command_modules_are_the_ones_the_package_dispatches_to():
    dispatched = {f.__module__.rsplit(".", 1)[1] for f in cli.COMMANDS.values()}
    dispatched.add(cli.cmd_serve.__module__.rsplit(".", 1)[1])
    assert _command_modules() == dispatched


@pytest.mark.parametrize("module", sorted(_modules()))
def test_no_module_of_the_package_imports_a_command_module(module):
    # A command imports the shared helpers only; the helpers import no command either.
    commands = _command_modules() - {module}
    imported = _package_imports(_modules()[module])
    assert not imported & commands, f"losstui.cli.{module} imports {sorted(imported & commands)}"


def test_the_imports_are_read_as_imports():
    # The check above would pass on a reader that finds nothing: it finds the helpers.
    assert {"parser", "printing"} <= _package_imports(_modules()["info"])
    assert {"checks", "lesson_names", "parser"} <= _package_imports(_modules()["serve"])


def test_a_stand_in_for_run_app_on_the_package_is_what_lesson_opens(monkeypatch):
    opened: list[dict] = []
    monkeypatch.setattr(cli, "run_app", lambda *args, **options: opened.append(options) or 0)
    assert cli.main(["lesson", "1"]) == 0
    assert cli.main([]) == 0
    assert [o.get("lesson_path") is not None for o in opened] == [True, False]


def test_a_stand_in_for_run_steps_on_the_package_is_what_train_runs(monkeypatch, capsys):
    asked: list[int] = []
    monkeypatch.setattr(cli, "_run_steps", lambda trainer, total: asked.append(total) or False)
    assert cli.main(["train", "--problem", "regression", "--steps", "7", "--format", "csv"]) == 0
    assert asked == [7]
    assert capsys.readouterr().out.startswith("step,epoch,")
