"""Provides the command palette's commands: the action table's, the panes, problems and presets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.actions import parse
from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from losstui.core.presets import PRESETS, RACE_PRESETS
from losstui.core.problems import PROBLEMS
from losstui.tui.actions import ACTIONS, Action
from losstui.tui.intents import attempt

if TYPE_CHECKING:
    from losstui.tui.app import LossApp


def commands(app: LossApp, screen: Screen) -> Iterator[SystemCommand]:
    """Every command of the palette, in the order a search ranks equal matches: Textual's own
    (as the app keeps them), the action table's, then a problem and a preset each."""
    yield from app.get_system_commands(screen)
    for entry in ACTIONS:
        if entry.palette is not None:
            yield SystemCommand(entry.palette.title, entry.palette_what(), _run(app, entry))
    for key, problem in PROBLEMS.items():
        yield SystemCommand(f"Problem: {problem.title}", problem.summary, _choose(app, key))
    for key, preset in PRESETS.items():
        yield SystemCommand(f"Preset: {preset.title}", preset.claim, _preset(app, key))
    for key, preset in RACE_PRESETS.items():
        yield SystemCommand(f"Race preset: {preset.title}", preset.claim, _preset(app, key))


def _run(app: LossApp, entry: Action) -> Callable[[], object]:
    """Run the entry's palette action where its key's binding lives, as its key would but
    unchecked: the palette offers it everywhere, and the action itself says when it refuses."""
    assert entry.palette is not None
    _, name, parameters = parse(entry.palette.action or entry.action)
    target = app.main_screen if entry.scope == "screen" else app
    method = getattr(target, f"action_{name}")
    return partial(method, *parameters) if parameters else method


def _choose(app: LossApp, key: str) -> Callable[[], None]:
    def choose() -> None:
        from losstui.tui.panes.problem_pane import ProblemPane

        pane = app.main_screen.composed("problem")
        if pane is not None:
            cast(ProblemPane, pane).choose(key)
        else:  # the Problem pane was never opened: choose as it would, on the state
            attempt(app, lambda: app.state.set_problem(key))
            app.action_pane("recommendation")

    return choose


def _preset(app: LossApp, key: str) -> Callable[[], None]:
    return lambda: app.apply_preset(key)


class LossCommands(Provider):
    """The palette's commands, Textual's system commands among them: one provider, so that the
    empty search lists them all in one alphabetical list, as Textual's own provider did when
    the app gave it every command."""

    def _commands(self) -> list[SystemCommand]:
        return list(commands(cast("LossApp", self.app), self.screen))

    async def discover(self) -> Hits:
        """Every command the empty search lists, by title."""
        for title, what, callback, discover in sorted(self._commands(), key=lambda c: c[0]):
            if discover:
                yield DiscoveryHit(title, callback, help=what)

    async def search(self, query: str) -> Hits:
        """The commands whose titles match `query`, scored by Textual's fuzzy matcher."""
        matcher = self.matcher(query)
        for title, what, callback, *_ in self._commands():
            if (match := matcher.match(title)) > 0:
                yield Hit(match, matcher.highlight(title), callback, help=what)
