"""A property of the lesson format: a file `lesson check` accepts opens in the app and steps
through without an error; a file it refuses opens the app on its errors."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from losstui.lessons.format import check_lesson
from losstui.tui.app import LossApp
from losstui.tui.widgets.lesson_problem import LessonProblem

#: `set` words: values the app takes, and edges it may refuse (a lesson's `set` is checked
#: against the steps before it, so pairs that do not go together come up too).
SETS = (
    "problem=regression",
    "problem=binary_classification",
    "problem=density_estimation",
    "pane=train",
    "pane=pq_lab",
    "pane=distributions",
    "lr=0.1",
    "lr=1000000",
    "lr=0",
    "model=mlp",
    "hidden=4,4",
    "hidden=1024,1024,1024",
    "batch_size=1",
    "n_samples=60",
    "n_samples=1000000",
    "dataset=moons",
    "loss=hinge",
    "loss=mean_squared_error",
    "p=0.5,0.5",
    "q=0.9,0.1",
    "seed=3",
    "patience=0",
)
CONTROLS = ("pane", "lr", "play", "loss", "reset", "model")
WAITS = (
    "step >= 3",
    "step > 2",
    "step >= 1e15",
    "epoch >= 1",
    "epoch >= 1e12",
    "val_loss < 10",
    "accuracy > 0.5",
    "r2 > -100",
    "diverged",
    "pane == train",
    "kl_pq >= 0",
    "step >= 2 or diverged",
    "step >= inf",
)
PROSE = (
    "Train and watch the loss.",
    "At step {step} the validation loss is {val_loss}.",
    "The loss is {loss}.",
    "Text with an escape \x1b[2J and a title \x1b]0;pwned\x07 in it.",
    "Quoting a value kept before: {kept_loss}.",
    "",
)


@st.composite
def directives(draw) -> str:
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(
            "set " + " ".join(draw(st.lists(st.sampled_from(SETS), min_size=1, max_size=3)))
        )
    for word in ("lock", "hide", "unlock", "show"):
        if draw(st.integers(0, 3)) == 0:
            lines.append(
                f"{word} " + " ".join(draw(st.sets(st.sampled_from(CONTROLS), min_size=1)))
            )
    if draw(st.integers(0, 2)) == 0:
        lines.append(f"run {draw(st.sampled_from((1, 5, 40, 1_000_000)))}")
    if draw(st.integers(0, 2)) == 0:
        lines.append(f"wait {draw(st.sampled_from(WAITS))}")
    if draw(st.integers(0, 3)) == 0:
        lines.append("keep val_loss as kept_loss")
    if draw(st.integers(0, 2)) == 0:
        lines.append("hint Press space \x1b[?1049l to train.")
    if draw(st.integers(0, 2)) == 0:
        right = draw(st.integers(0, 2))
        lines.append("ask Which loss? \x07")
        lines += [f"- [{'x' if i == right else ' '}] choice {i} | feedback {i}" for i in range(3)]
    if draw(st.integers(0, 5)) == 0:
        lines.append("pause")
    return "\n".join(lines)


@st.composite
def lessons(draw) -> str:
    # Mostly sound front matter, so that most files reach their steps.
    minutes = draw(st.sampled_from(("5", "1", "600", "5", "5", "5", "601", "²")))
    title = draw(st.sampled_from(("A lesson", "Title \x1b[2J", "A lesson", "T" * 120)))
    steps = []
    for _ in range(draw(st.integers(1, 3))):
        block = draw(directives())
        prose = draw(st.sampled_from(PROSE))
        fenced = f"\n```losstui\n{block}\n```\n" if block else ""
        steps.append(f"{prose}\n{fenced}")
    head = f"---\ntitle: {title}\nsummary: Made up.\nminutes: {minutes}\n---\n"
    return head + "---\n".join(steps)


async def walk(path: str) -> None:
    """Open the lesson at `path` and go through it: answer each question right, meet each wait
    where training does, `>` on, then `<` back a step (the replay of the steps before)."""
    app = LossApp(lesson_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        run = app.lesson
        assert run is not None
        for _ in range(run.count):
            run.settle()
            ask = run.step.ask
            if ask is not None:
                right = next(i for i, c in enumerate(ask.choices) if c.correct)
                await pilot.press("abcdefg"[right])
            if run.blocked() is not None and run.step.wait is not None:
                app.state.pause()
                app.state.step(10)  # a wait that needs more is the student's to meet with f
            await pilot.press("greater_than_sign")
            await pilot.pause()
        await pilot.press("less_than_sign")
        await pilot.pause()
        run.settle()
        await pilot.pause()
    assert app.return_code in (None, 0)


async def refused(path: str, errors: list[str]) -> None:
    """Open the lesson at `path`: the app shows its errors, and no lesson runs."""
    app = LossApp(lesson_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.lesson is None
        problem = app.screen.query_one(LessonProblem)
        assert list(problem.errors) == errors


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    # Each example starts the app: shrinking a failure would take minutes. The failing file is
    # printed whole, as generated.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(lessons())
def test_a_lesson_check_accepts_opens_and_steps_through_and_one_it_refuses_shows_its_errors(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.md"
        path.write_text(text, encoding="utf-8")
        errors = [str(e) for e in check_lesson(text, str(path))]
        event("accepted" if not errors else "refused")
        asyncio.run(walk(str(path)) if not errors else refused(str(path), errors))
