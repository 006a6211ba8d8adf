"""Helpers for walking a lesson's run on an app state, without the app."""

from __future__ import annotations

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
