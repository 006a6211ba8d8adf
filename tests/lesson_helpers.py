"""Helpers for walking a lesson's run on an app state, without the app."""

from __future__ import annotations

import os
from dataclasses import replace

from losstui.core.state import AppState
from losstui.lessons.format import Lesson
from losstui.lessons.runner import LessonRun


def entered(lesson: Lesson) -> tuple[LessonRun, AppState]:
    """The lesson entered at its first step on a fresh app state, as the app opens it."""
    state = AppState()
    run = LessonRun(lesson, state)
    run.enter()
    return run, state


def go_on(run: LessonRun) -> None:
    """Next, which must be accepted."""
    index = run.index
    assert run.next() is None, run.blocked()
    assert run.index == index + 1


#: The seeds a lesson's claims are held to: its own (offset 0) and four more. A claim that holds
#: only at one seed flips with the last bits of a matrix product on another CPU. Under another
#: OpenBLAS kernel (tests/test_kernels.py) the suite runs the lesson's own seed alone
#: (`LOSSTUI_CLAIM_SEEDS=own`), to stay quick.
SEED_OFFSETS = (0,) if os.environ.get("LOSSTUI_CLAIM_SEEDS") == "own" else (0, 1, 2, 3, 4)


def reseeded(lesson: Lesson, offset: int) -> Lesson:
    """`lesson` with every `seed=N` its steps set moved to N + offset: the same lesson on other
    draws of the data and the initial weights."""
    if not offset:
        return lesson
    steps = tuple(
        replace(step, settings={**step.settings, "seed": str(int(step.settings["seed"]) + offset)})
        if "seed" in step.settings
        else step
        for step in lesson.steps
    )
    assert steps != lesson.steps, "the lesson sets no seed: every offset is the same lesson"
    return replace(lesson, steps=steps)
