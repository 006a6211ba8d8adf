"""Renders SVG screenshots of every pane at 120x40 and 80x24 from the real app into screenshots/."""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

from losstui.core.settings import PANES
from losstui.tui.app import LossApp

SIZES = ((120, 40), (80, 24))
STEPS = 300
"""SGD steps taken before the shots, by calling the state directly: the same picture every run."""


async def shoot(out: Path, size: tuple[int, int], problem: str, ascii: bool) -> list[Path]:
    """One SVG per pane of `problem` at `size`; returns the files written."""
    written = []
    app = LossApp(problem=problem, ascii=ascii, seed=0)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.state.step(STEPS)
        for i, pane in enumerate(PANES, start=1):
            if pane == "race":  # without a race it says how to start one: see main
                continue
            app.state.set_pane(pane)
            await pilot.pause()
            await pilot.pause()
            suffix = "-ascii" if ascii else ""
            name = f"{i}-{pane}-{problem}-{size[0]}x{size[1]}{suffix}.svg"
            path = out / name
            path.write_text(app.export_screenshot(title=f"losstui: {pane}"), encoding="utf-8")
            written.append(path)
    return written


async def shoot_lesson(out: Path, size: tuple[int, int], name: str, step: int) -> Path:
    """The built-in lesson `name` at its step `step` (counted from 1), after STEPS of training,
    as a class sees it."""
    from losstui.lessons.files import find_lesson

    app = LossApp(lesson_path=str(find_lesson(name)), seed=0)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert app.lesson is not None
        app.lesson.enter(step - 1)
        app.lesson.settle()  # the steps before, trained as a class did (the app does it in slices)
        app.lessons.panel.refresh_step()
        app.state.step(STEPS)
        await pilot.pause()
        await pilot.pause()
        path = out / f"lesson-{name}-{size[0]}x{size[1]}.svg"
        path.write_text(app.export_screenshot(title=f"losstui lesson {name}"), encoding="utf-8")
    return path


async def shoot_ghost(out: Path, size: tuple[int, int]) -> Path:
    """The Train pane after a learning-rate change: the new run's curves over the ghost of the
    run it replaced."""
    app = LossApp(problem="regression", setup="pane=train lr=0.002 momentum=0", seed=0)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.state.step(STEPS)
        app.state.set("lr", 0.02)
        app.state.step(STEPS // 3)
        await pilot.pause()
        await pilot.pause()
        path = out / f"3-train-ghost-regression-{size[0]}x{size[1]}.svg"
        path.write_text(app.export_screenshot(title="losstui: the ghost"), encoding="utf-8")
    return path


async def shoot_view(
    out: Path,
    size: tuple[int, int],
    name: str,
    preset: str | None,
    setup: str = "",
    steps: int = STEPS,
    ascii: bool = False,
    label: str | None = None,
) -> Path:
    """A pane on `preset` (a race's, or a view a key turns on: the loss shapes, the
    calibration, the landscape), with `setup` applied and `steps` trained; named by `label`
    (the preset by default)."""
    app = LossApp(preset=preset, setup=setup or None, ascii=ascii, seed=0)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.state.step(steps)
        await pilot.pause()
        await pilot.pause()
        suffix = "-ascii" if ascii else ""
        path = out / f"{name}-{label or preset}-{size[0]}x{size[1]}{suffix}.svg"
        path.write_text(app.export_screenshot(title=f"losstui: {name}"), encoding="utf-8")
    return path


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("--problem", default="binary_classification")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    # Lessons "not started" in every picture, whatever this user's own progress is.
    os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="losstui-shots-")
    jobs = [(size, args.problem, False) for size in SIZES]
    jobs.append(((80, 24), args.problem, True))
    others = ("regression", "multiclass_classification", "density_estimation")
    jobs += [((120, 40), p, False) for p in others]
    for old in args.out.glob("*.svg"):
        old.unlink()  # panes renamed or dropped must not leave stale pictures behind
    for size, problem, ascii in jobs:
        for path in await shoot(args.out, size, problem, ascii):
            if problem != args.problem and not path.name.startswith(("3-", "4-")):
                path.unlink()  # other problems: only the panes that differ by problem
            else:
                print(path)
    print(await shoot_lesson(args.out, (80, 24), "01-loss-and-sgd", 2))
    print(await shoot_lesson(args.out, (120, 40), "03-logistic-regression", 3))
    print(await shoot_ghost(args.out, (120, 40)))
    for size in SIZES:
        print(await shoot_view(args.out, size, "7-race", "race_binary_losses"))
    print(await shoot_view(args.out, (80, 24), "7-race", "race_learning_rates", ascii=True))
    shapes = "pane=recommendation shapes=on"
    for size in SIZES:
        print(await shoot_view(args.out, size, "2-shapes", "saturated_start", shapes, steps=0))
    landscape = "problem=regression dataset=line lr=0.02 momentum=0.9 pane=train landscape=on"
    landscape_shot = shoot_view(
        args.out, (120, 40), "3-landscape", None, landscape, steps=200, label="regression"
    )
    print(await landscape_shot)
    calibration = "pane=distributions calibration=on patience=0"
    print(
        await shoot_view(args.out, (80, 24), "4-calibration", "article_circles", calibration, 3200)
    )
    double = f"{calibration} loss=double_softmax_cross_entropy"
    print(await shoot_view(args.out, (80, 24), "4-calibration", "double_softmax", double, 800))


if __name__ == "__main__":
    asyncio.run(main())
