"""Fast-forward (key f): trains as fast as the machine allows until the stop rule, a lesson's
`run N` or a key ends it; refused, with the reason, where training does not apply."""

from __future__ import annotations

from losstui.core.state import AppState
from losstui.lessons.format import parse_lesson
from losstui.tui.app import LossApp
from losstui.tui.palette import commands as palette_commands
from tests.app_helpers import flat, notifications, screen_text, widget_text

#: The default binary problem with the stop rule on: the run converges at step 600 (seed 0).
STOP_RULE = "problem=binary_classification patience=300"
HEAD = "---\ntitle: Fast\nsummary: Fast-forward in a lesson.\nminutes: 5\n---\n"


def ticks_until_paused(app: LossApp, most: int = 200) -> int:
    """Drive the app's training ticks (what its timer does ten times a second) until training
    stops; the number of ticks taken."""
    for tick in range(1, most + 1):
        app.clock.tick()
        if not app.state.running:
            return tick
    raise AssertionError(f"still training after {most} ticks")


def test_step_for_stops_at_the_stop_rule_and_at_its_limit():
    state = AppState()
    state.apply_setup_line("patience=300")
    state.fast_forward()
    assert state.step_for(5.0, limit=250) == 250  # a limit ends the slice on its step
    assert state.running
    assert state.fast
    state.step_for(5.0)
    assert state.trainer.converged
    assert state.trainer.step_count == 600
    assert not state.running
    assert not state.fast


def test_fast_forward_is_the_same_run_as_stepping():
    fast, slow = AppState(), AppState()
    fast.fast_forward()
    fast.step_for(5.0, limit=777)
    slow.step(777)
    assert fast.trainer.evaluate() == slow.trainer.evaluate()


async def test_f_trains_to_the_stop_rule_and_pauses_there():
    app = LossApp(setup=STOP_RULE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        if app.state.running:  # 600 steps may take a single tick of the app's own timer
            ticks_until_paused(app)
        await pilot.pause()
        assert app.state.trainer.converged
        assert app.state.trainer.step_count == 600
        assert not app.state.fast
        assert "CONVERGED" in widget_text(app, "#stats")
        await pilot.press("f")  # the run has ended: f says why instead of training on
        await pilot.pause()
        assert not app.state.running
        assert any("converged at step 600" in n for n in notifications(app))


async def test_f_is_refused_off_the_train_pane_and_f_or_space_stops_it_where_it_is():
    from losstui.tui.screens.help_screen import help_sections

    rows = [row for _, rows in help_sections() for row in rows]
    assert any(keys == "f" and "fast-forward" in text for keys, text in rows)  # in the help
    app = LossApp()
    said: list[str] = []
    notify = app.notify
    app.notify = lambda message, **kw: (said.append(flat(message)), notify(message, **kw))[1]
    async with app.run_test(size=(80, 24)) as pilot:
        # Refused, with a reason, where training does not apply; not in the footer there.
        await pilot.pause()
        assert app.state.pane == "problem"
        assert "f Fast" not in screen_text(app).splitlines()[-1]
        await pilot.press("f")
        await pilot.pause()
        assert not app.state.running
        assert any("open the Train pane (3)" in n for n in notifications(app))
        # The footer shows f and keeps quit in view at 80 columns.
        for key in ("4", "3"):
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            row = screen_text(app).splitlines()[-1]
            assert "f Fast " in row, row
            assert "q Quit" in row, row
        for key in ("f", "space"):
            await pilot.press("f")
            await pilot.pause()
            assert app.state.fast
            assert "fast-forward" in screen_text(app).splitlines()[0]
            app.clock.tick()
            assert app.state.trainer.step_count > 0
            await pilot.press(key)
            await pilot.pause()
            assert not app.state.running, key
            assert not app.state.fast, key
            stopped_at = app.state.trainer.step_count
            app.clock.tick()  # the timer's next tick trains no more
            await pilot.pause()
            assert app.state.trainer.step_count == stopped_at, key
            assert "PAUSED" in widget_text(app, "#stats")
        # No stop rule (the default): the notice says it runs until a key stops it, once (it
        # covers the plots while it shows), though f was pressed twice.
        assert sum("until you press f or space" in n for n in said) == 1, said
        # The palette has it too.
        titles = [c.title for c in palette_commands(app, app.screen)]
        assert "Fast-forward" in titles
        command = next(c for c in palette_commands(app, app.screen) if c.title == "Fast-forward")
        command.callback()
        await pilot.pause()
        assert app.state.running
        assert app.state.fast


async def test_fast_forward_in_a_lesson_pauses_on_the_step_its_run_names():
    lesson = parse_lesson(
        HEAD + "Watch.\n```losstui\nset problem=binary_classification pane=train\nrun 20000\n```\n",
        "L.md",
    )
    app = LossApp(lesson=lesson)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.state.running
        assert app.lesson is not None
        await pilot.press("f")
        await pilot.pause()
        if app.state.running:  # the slices may have reached the step already
            assert app.state.fast
            ticks_until_paused(app)
        assert app.state.trainer.step_count == 20000
        assert not app.state.running


async def test_fast_forward_in_a_lesson_stops_where_the_steps_wait_first_holds():
    # Lesson 1's "η = 0.001 ... train to step 300": f stopped only at the stop rule, thousands
    # of steps on, under "300 steps are not enough".
    lesson = parse_lesson(
        HEAD + "Train to step 300: Step {step}.\n```losstui\nset problem=regression "
        "lr=0.001 pane=train\nwait step >= 300\n```\n---\nLoss low.\n```losstui\n"
        "wait epoch >= 100\n```\n",
        "L.md",
    )
    app = LossApp(lesson=lesson)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        if app.state.running:
            ticks_until_paused(app)
        await pilot.pause()
        assert app.state.trainer.step_count == 300
        assert "Train to step 300: Step 300." in flat(screen_text(app))
        # No notice that it would run on until a key: the step's wait stopped it.
        assert not any("until you press f" in flat(n) for n in notifications(app))
        # A wait on anything else ends fast-forward on the slice where it first holds.
        await pilot.press("greater_than_sign", "f")
        await pilot.pause()
        if app.state.running:
            ticks_until_paused(app)
        assert app.lesson is not None
        assert app.lesson.blocked() is None
        assert app.state.trainer.epoch >= 100
        assert not app.state.running
        stopped = app.state.trainer.step_count
        # f again, the wait met: it goes on past it, until a key.
        await pilot.press("f")
        await pilot.pause()
        app.clock.tick()
        assert app.state.running
        assert app.state.trainer.step_count > stopped
        await pilot.press("f")
        await pilot.pause()
        assert not app.state.running


def first_step_where(state: AppState, name: str, holds, most: int = 20_000) -> int:
    """Step `state` one SGD step at a time until `holds(value of name)`; the step reached."""
    while not holds(state.trainer.evaluate()[name]):
        assert state.step(1) == 1
        assert state.trainer.step_count < most
    return state.trainer.step_count


def _holds(op: str, value: float, at: float) -> bool:
    return value < at if op == "<" else value > at


async def test_f_stops_on_the_first_step_where_a_loss_or_metric_wait_holds():
    # Lesson 3's `wait accuracy > 0.9` held within about 20 steps and f stopped at step 1,728;
    # lesson 5's `r2 > 0.85` at 4,416; lesson 2's `train_loss < 1.6` at 192 where it held by 60.
    cases = [
        ("problem=binary_classification init_scale=30", "accuracy", ">", 0.9),
        ("problem=regression", "r2", ">", 0.85),
        ("problem=density_estimation lr=0.01", "train_loss", "<", 1.6),
    ]
    for setup, name, op, value in cases:
        expected = AppState()
        expected.apply_setup_line(setup)
        first = first_step_where(expected, name, lambda v, op=op, at=value: _holds(op, v, at))
        assert first > 1, setup  # not met at the start: the test would show nothing
        lesson = parse_lesson(
            HEAD + f"Train. {{{name}}} at step {{step}}.\n```losstui\nset {setup} pane=train\n"
            f"wait {name} {op} {value}\n```\n---\nDone.\n",
            "L.md",
        )
        app = LossApp(lesson=lesson)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("f")
            await pilot.pause()
            if app.state.running:
                ticks_until_paused(app, most=2000)
            assert app.state.trainer.step_count == first, setup
            assert app.lesson is not None
            assert app.lesson.blocked() is None
