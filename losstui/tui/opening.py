"""Provides LateState: the app state, built just after the first frame, and what the first frame
shows before it (numpy-free).

Building the state imports the trainer, the datasets and numpy: about a third of the start-up.
The first screen (the Problem pane, the status line, the footer) needs none of it, so the app
draws it from the opening values here and builds the state on the next turn of the event loop.
Whatever asks the state for more before then (a key pressed at once, a test) builds it there
and then: nothing waits and nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from losstui.core.state import AppState, Listener

#: The problem a fresh state opens on (`losstui.core.state.DEFAULT_PROBLEM`; a test keeps them
#: equal): here so that the first frame need not import the state's module.
DEFAULT_PROBLEM = "binary_classification"
#: The pane a fresh state opens on (`VIEW_DEFAULTS["pane"]`).
DEFAULT_PANE = "problem"


class OpeningLoss(NamedTuple):
    """The recommended loss's names, as the status line gives them: its `title`, and its
    `pairing` with the output activation."""

    title: str
    pairing: str


#: Each problem's recommended loss as the status line names it, without the loss registry
#: (which computes with numpy). A test keeps it equal to `LOSSES[recommend(key).loss]`.
OPENING_LOSSES: dict[str, OpeningLoss] = {
    "regression": OpeningLoss("Mean squared error", "Mean squared error + linear"),
    "robust_regression": OpeningLoss("Mean absolute error", "Mean absolute error + linear"),
    "wide_range_regression": OpeningLoss(
        "Mean squared logarithmic error", "Mean squared logarithmic error + linear"
    ),
    "count_regression": OpeningLoss("Poisson loss", "Poisson loss + exp"),
    "binary_classification": OpeningLoss(
        "Binary cross-entropy (log loss)", "Binary cross-entropy (log loss) + sigmoid"
    ),
    "multiclass_classification": OpeningLoss(
        "Categorical cross-entropy", "Categorical cross-entropy + softmax"
    ),
    "multilabel_classification": OpeningLoss(
        "Binary cross-entropy (log loss)", "Binary cross-entropy (log loss) + sigmoid"
    ),
    "soft_label_classification": OpeningLoss("KL divergence", "KL divergence + softmax"),
    "density_estimation": OpeningLoss(
        "Gaussian negative log-likelihood", "Gaussian negative log-likelihood"
    ),
}

#: What a fresh state answers for these, read before it is built (the footer's keys ask them).
_OPENING_VALUES: dict[str, Any] = {"running": False, "fast": False, "stopped": False}


class LateState:
    """Stands for the app's `AppState`, which `build` makes on first need (`build_now`, or any
    attribute the opening values do not answer); every attribute then is the state's.

    Before it is built it answers what a fresh state opening on `problem` and `pane` would:
    the problem, the pane, not running, nothing locked. Listeners subscribed before are
    subscribed to the state when it is built; `when_built` callbacks run then (at once if it
    is built already).
    """

    def __init__(self, build: Callable[[], AppState], problem: str, pane: str) -> None:
        # Set through object's setattr: this class's own forwards to the state.
        object.__setattr__(self, "_build", build)
        object.__setattr__(self, "_state", None)
        object.__setattr__(self, "_opening", {**_OPENING_VALUES, "problem": problem, "pane": pane})
        object.__setattr__(self, "_listeners", [])
        object.__setattr__(self, "_when_built", [])

    @property
    def built(self) -> bool:
        """Whether the state has been built."""
        return self._state is not None

    def build_now(self) -> AppState:
        """The state, built now if it was not yet (its listeners and `when_built` callbacks
        follow)."""
        state: AppState | None = self._state
        if state is None:
            state = self._build()
            object.__setattr__(self, "_state", state)
            for listener in self._listeners:
                state.subscribe(listener)
            self._listeners.clear()
            callbacks = list(self._when_built)
            self._when_built.clear()
            for callback in callbacks:
                callback()
        return state

    def when_built(self, callback: Callable[[], object]) -> None:
        """Call `callback` once the state is built: now if it is."""
        if self._state is None:
            self._when_built.append(callback)
        else:
            callback()

    def subscribe(self, listener: Listener) -> None:
        if self._state is None:
            self._listeners.append(listener)
        else:
            self._state.subscribe(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if self._state is None:
            if listener in self._listeners:
                self._listeners.remove(listener)
        else:
            self._state.unsubscribe(listener)

    def is_locked(self, name: str) -> bool:
        return False if self._state is None else self._state.is_locked(name)

    def __getattr__(self, name: str) -> Any:
        # Only names this class does not define arrive here.
        if name.startswith("__"):
            raise AttributeError(name)
        if self._state is None and name in self._opening:
            return self._opening[name]
        return getattr(self.build_now(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.build_now(), name, value)


def when_built(state: object, callback: Callable[[], object]) -> None:
    """Call `callback` once `state` (a LateState, or an AppState, built already) is built."""
    if isinstance(state, LateState):
        state.when_built(callback)
    else:
        callback()


def is_built(state: object) -> bool:
    """Whether `state` is built (an AppState always is)."""
    return not isinstance(state, LateState) or state.built


def opening_state(
    problem: str | None = None,
    seed: int = 0,
    preset: str | None = None,
    setup: str | None = None,
    allow_long_run: bool = False,
) -> LateState:
    """The state the app opens on (`AppState.opening`; on `problem`'s recommendation when a
    problem is named without a setup line), standing in a LateState. It is built at once
    unless the first screen is the Problem pane of a fresh state: a problem, a preset or a setup
    line opens elsewhere, or with values the first screen shows."""

    def build() -> AppState:
        from losstui.core.state import AppState

        # A setup line was checked by the command line, on this same opening state.
        state = AppState.opening(
            problem, seed=seed, preset=preset, setup=setup, allow_long_run=allow_long_run
        )
        if setup is None and problem is not None:  # open on the problem's recommendation
            state.set_pane("recommendation")
        return state

    late = LateState(build, problem or DEFAULT_PROBLEM, DEFAULT_PANE)
    if any(given is not None for given in (problem, preset, setup)):
        late.build_now()
    return late
