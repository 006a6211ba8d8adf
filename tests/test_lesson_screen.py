"""Pilot tests of the screen in a lesson at 80x24: notices, the strip's rows, the pictures."""

from __future__ import annotations

import itertools

import pytest

from losstui.lessons.format import parse_lesson
from losstui.tui.app import LossApp
from tests.app_helpers import screen_text

STEP_TEXT = (
    "Your turn: pick a learning rate that trains. Press c, type a rate, enter, Esc, then "
    "space. Done when the validation loss is below 0.09, which takes a few dozen steps."
)
LESSON = f"""---
title: T
summary: S
minutes: 1
---
{STEP_TEXT}

```losstui
set problem=regression dataset=line model=linear pane=train
```
"""
NOTICE = "learning rate 0.1: training restarts from step 0"


async def test_a_notice_sits_above_the_lesson_strip_not_over_the_steps_text():
    app = LossApp(lesson=parse_lesson(LESSON, "L.md"))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        strip = app.screen.query_one("#lesson-slot").region
        before = screen_text(app).splitlines()[strip.y : strip.bottom]
        app.notify(NOTICE, timeout=60)
        await pilot.pause()
        await pilot.pause()
        rows = screen_text(app).splitlines()
        assert rows[strip.y : strip.bottom] == before  # the step's text, untouched
        assert "learning rate 0.1" in "\n".join(rows[: strip.y])  # the notice, above it


async def test_below_the_minimum_size_a_notice_is_drawn_on_a_clean_screen():
    app = LossApp(lesson=parse_lesson(LESSON, "L.md"))
    async with app.run_test(size=(50, 16), notifications=True) as pilot:
        await pilot.pause()
        app.notify(NOTICE, timeout=60)
        await pilot.pause()
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "Your turn" not in text
        assert "Lesson" not in text
        assert "at least 60x20" in text
        assert "this one is 50x16" in text
        # The notice whole, under the message, not over it (▌ is the notice's edge).
        assert NOTICE in " ".join(text.replace("▌", " ").split())


QUESTION = """---
title: T
summary: S
minutes: 1
---
The loss fell fast, then flattened: SGD went downhill to the bottom of L.

```losstui
set problem=regression dataset=line model=linear pane=train
ask What does one SGD step do?
- [x] moves w and b against the gradient | Right.
- [ ] solves for the best line exactly | No.
- [ ] moves the points towards the line | No.
```
"""


async def test_a_question_step_gives_the_rows_it_does_not_fill_to_the_plots():
    app = LossApp(lesson=parse_lesson(QUESTION, "L.md"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        strip = app.screen.query_one("#lesson-slot").region
        rows = screen_text(app).splitlines()
        # Under the rule and the head, the prose, the question and three answers, then the
        # status line: not one blank row between them.
        body = rows[strip.y + 2 : strip.bottom - 1]
        assert "What does one SGD step do?" in "\n".join(body)
        assert [row for row in body if not row.strip()] == []
        assert app.screen.query_one("#curves").region.height >= 7


RECOMMENDATION = """---
title: T
summary: S
minutes: 1
---
The recommendation above derives the same: press `>` once you have read it.

```losstui
set problem=binary_classification pane=recommendation
```
"""


async def test_a_recommendation_cut_off_at_the_panes_foot_says_it_scrolls():
    app = LossApp(lesson=parse_lesson(RECOMMENDATION, "L.md"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        view = app.screen.query_one("#recommendation-view").region
        rows = screen_text(app).splitlines()
        assert "▼ more below: ↓ PgDn scroll" in rows[view.bottom - 1]
        await pilot.press("end")
        await pilot.pause()
        await pilot.pause()
        assert "more below" not in screen_text(app)  # the end in view: nothing more to say


LONG_STEP = (
    """---
title: T
summary: S
minutes: 1
---
"""
    + " ".join(["A step whose prose runs on for longer than the strip has rows for."] * 8)
    + """

```losstui
set problem=regression pane=train
```
"""
)


async def test_a_steps_prose_longer_than_the_strip_says_it_scrolls_and_how():
    app = LossApp(ascii=True, lesson=parse_lesson(LONG_STEP, "L.md"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        strip = app.screen.query_one("#lesson-slot").region
        rows = screen_text(app).splitlines()
        assert "v more below: e enlarges" in rows[strip.bottom - 2]  # above the status line
        await pilot.press("e")
        await pilot.pause()
        await pilot.pause()
        assert "more below" not in screen_text(app)  # enlarged, it all fits


class Clock:
    """A simulated clock for the panes' redraw schedule: the test moves it, tick by tick."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self, _pane=None) -> float:
        return self.t


CIRCLES = """---
title: T
summary: S
minutes: 1
---
Epoch {epoch}: accuracy {accuracy}.

```losstui
set problem=binary_classification dataset=article_circles model=mlp hidden=50 speed=1000 pane=train
```
"""


@pytest.mark.parametrize("low_bandwidth", [False, True])
async def test_while_training_each_picture_redraws_at_least_once_a_second(
    monkeypatch, low_bandwidth
):
    from losstui.tui.panes.pane import Pane
    from losstui.tui.widgets.loss_curves import LossCurves
    from losstui.tui.widgets.model_view import ModelView

    clock = Clock()
    monkeypatch.setattr(Pane, "now", clock)
    drawn: dict[str, list[tuple[float, int]]] = {"curves": [], "model": []}
    for name, widget in (("curves", LossCurves), ("model", ModelView)):
        original = widget.show

        def show(self, trainer_or_history, *args, _original=original, _name=name, **kwargs):
            drawn[_name].append((clock.t, app.state.trainer.step_count))
            return _original(self, trainer_or_history, *args, **kwargs)

        monkeypatch.setattr(widget, "show", show)
    app = LossApp(lesson=parse_lesson(CIRCLES, "L.md"), low_bandwidth=low_bandwidth)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.state.play()
        # The test ticks on its clock: ten ticks a second of 100 steps each, each tick a
        # millisecond late, as a timer's are.
        app.clock.ticker.pause()
        for name in drawn:
            drawn[name].clear()
        start = clock.t
        for _ in range(30):
            clock.t += 0.101
            app.state.step(100)
            await pilot.pause()
        for name, frames in drawn.items():
            times = [start] + [t for t, _ in frames]
            gaps = [round(b - a, 6) for a, b in itertools.pairwise(times)]
            assert gaps, (name, gaps)
            assert max(gaps) <= 1.0, (name, gaps)
            # The picture keeps up with the numbers: never more than a second's steps behind.
            assert app.state.trainer.step_count - frames[-1][1] <= 1000, name


async def test_a_long_wait_message_gives_way_to_the_lessons_keys_at_80_columns():
    # "Not yet: > goes on once the training loss is below 0.12 (now 324.8)" pushed x (leave)
    # off the status line.
    lesson = parse_lesson(
        LESSON.replace(
            "pane=train\n",
            "pane=train\nwait train_loss < 0.12 and val_loss < 0.12 and step >= 100000\n",
        ),
        "L.md",
    )
    app = LossApp(lesson=lesson)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("greater_than_sign")
        await pilot.pause()
        status = screen_text(app).splitlines()[-2]
        assert status.rstrip().endswith("> < h e x")
        assert "Not yet: > goes on once" in status
        assert "…" in status
