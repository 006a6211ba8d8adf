"""The loss landscape: the training loss over two parameters, and the path SGD walks on it.

A student reads that SGD follows the gradient; the landscape shows the surface it follows. A
model with two parameters has the whole surface drawn (`plane_of` says which two, read from
the model's own flat parameter vector):

- one input, one output, linear (logits z = w·x + b): "slope w" and "intercept b" for
  regression, "weight w" and "bias b" otherwise (logistic regression, counts, hinge);
- the Gaussian density, θ = (μ, log σ): "μ" and "log σ" (its loss's `parameter_names`).

`landscape(run)` evaluates the mean training loss L(p₁, p₂) at every cell centre of a
rows × columns grid, vectorised in numpy (the samples of a chunk of grid rows are one batch
through the loss's own `per_sample`: never a second formula), and caches it per (data, loss,
grid size, bounds), so that a view redrawing a moving path pays only for the path. The loss is
the one the run's history records: a loss that drops a constant of its likelihood (Poisson's
log y!) has it added back; weight decay, which is not part of the loss, is not.

The optimum is marked in closed form where one exists, exactly:
- mean squared error with its linear output: least squares with an intercept,
  (w, b) = argmin ‖[x 1]·(w, b) − y‖² (`numpy.linalg.lstsq`);
- the Gaussian: μ̂ = (1/n) Σ xᵢ and log σ̂ with σ̂² = (1/n) Σ (xᵢ − μ̂)² (dividing by n);
and as the grid's minimum otherwise (absolute error, Huber, cross-entropy, ...), marked so.

The grid's bounds hold the optimum, the initial weights and the current weights with a margin,
snapped outwards to round steps, so that they stay put while the run moves inside them (and the
grid stays cached); `span` fixes them instead.

The SGD path is not kept by the trainer: a `PathRecorder` follows a run, one point per frame
(or per step, headless), and starts again when the run does. `parameters(run)`, the two
parameters now, costs a couple of microseconds.

Larger models get a slice (`slice_landscape`): the loss along two random directions through the
current weights, L(θ + α·d₁ + β·d₂), each direction scaled neuron by neuron to the weights'
norms (Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets", filter normalisation
adapted to dense layers: each column of a weight matrix W (fan_in, fan_out), the weights into
one neuron, gets the norm of that neuron's weights; bias directions are 0, as in Li et al.). It
is computed on request, seeded, and marked as a slice, not the whole surface.

Every array is float64. `as_dict` gives the JSON-ready picture a headless command prints;
`trained_landscape` trains a run for N steps and returns its landscape with the path.
"""

from __future__ import annotations

import math
import weakref
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from losstui.core.datasets import Dataset, targets_for
from losstui.core.losses import LOSSES, DensityLoss, Loss
from losstui.core.models import MLP, make_model
from losstui.core.numerics import Array
from losstui.core.run import Run
from losstui.core.tasks import Task, get_task, n_outputs
from losstui.core.trainer import TrainConfig, Trainer, cached_dataset

#: The grid a landscape has unless asked otherwise: one character cell per point.
COLUMNS, ROWS = 60, 20
#: The slice's grid: odd sizes, so that (0, 0), the current weights, is a grid point.
SLICE_COLUMNS, SLICE_ROWS = 41, 21
#: How far a slice reaches along each direction: α, β ∈ [−SLICE_SPAN, SLICE_SPAN].
SLICE_SPAN = 1.0
#: Contour bands: the grid's values are cut at the quantiles k/BANDS, k = 1 … BANDS − 1, so each
#: band covers about the same area of the picture however steep the walls.
BANDS = 8
#: The share of the points' extent added on each side of the bounds.
MARGIN = 0.25
#: The bounds reach at least this far each side of the points' centre, in parameter units.
MIN_HALF_WIDTH = 0.5
#: Grid points × samples of one batch through the loss: 128 kB of float64 per array, which
#: stays in the CPU's cache (a batch of the whole grid, 10 MB at 1,000 samples, is 3× slower).
GRID_CELLS = 2**14
#: Points a PathRecorder keeps; when full, every other one is dropped and it records half as
#: often, so memory stays bounded however long the run.
PATH_POINTS = 2000
#: Samples the search for an optimum without a closed form reads (it only places the bounds).
LOCATE_SAMPLES = 256
#: Surfaces kept in the cache (each is a few tens of kB).
CACHE_SIZE = 16
#: Parameters beyond this size are off any useful landscape (a diverged run): the bounds
#: ignore them, and the path leaves the grid.
FAR = 1e6
#: What an optimum mark is.
CLOSED_FORM, GRID_MINIMUM = "closed form", "grid minimum"
#: What a surface is.
PLANE, SLICE = "plane", "slice"

Source = Run | Trainer
#: Integer arrays: steps, bands.
Steps = NDArray[np.int64]


def _trainer(source: Source) -> Trainer:
    return source.trainer if isinstance(source, Run) else source


# -- which two parameters ------------------------------------------------------------------------
@dataclass(frozen=True)
class Plane:
    """The two parameters a model's landscape is drawn over.

    `names`: axis labels (x first), e.g. ("slope w", "intercept b") or ("μ", "log σ").
    `indices`: where they sit in the model's `flat_params`, read from the layout of its
    parameter views (W (1, 1) then b (1,) for a one-input linear model; b (2,) for a density).
    `family`: "line" (z = w·x + b) or "density" (the logits are θ itself).
    """

    names: tuple[str, str]
    indices: tuple[int, int]
    family: str


def _offset(view: Array, flat: Array) -> int:
    """Where `view`, a view into `flat`, starts in it (an index of `flat`)."""
    start = int(view.__array_interface__["data"][0]) - int(flat.__array_interface__["data"][0])
    return start // flat.itemsize


def _plane_of_model(model: MLP, loss: Loss, task: Task) -> Plane | None:
    if model.hidden or model.n_params != 2 or len(model.params) != 2:
        return None
    flat = model.flat_params
    w, b = model.weights[0], model.biases[0]
    if w.size == 1 and b.size == 1:  # z = w·x + b
        names = ("weight w", "bias b") if task.classes else ("slope w", "intercept b")
        return Plane(names, (_offset(w, flat), _offset(b, flat)), "line")
    if w.size == 0 and b.size == 2 and not task.supervised:  # a density: z = θ = b
        first, second = cast(DensityLoss, loss).parameter_names
        start = _offset(b, flat)
        return Plane((first, second), (start, start + 1), "density")
    return None


def plane_of(source: Source | TrainConfig) -> Plane | None:
    """The two parameters of a run's (or a configuration's) model, or None when the model has
    more than two (a larger model has a slice: `slice_landscape`). For a configuration the
    model is built, untrained, to read its layout."""
    if isinstance(source, TrainConfig):
        data = cached_dataset(source.dataset, source.seed, source.n_samples)
        loss = LOSSES[source.loss]
        model = make_model(
            source.model,
            data.n_features,
            n_outputs(loss, data),
            hidden=source.hidden,
            activation=source.hidden_activation,
            init=source.init,
        )
        return _plane_of_model(model, loss, get_task(data.kind))
    trainer = _trainer(source)
    return _plane_of_model(trainer.model, trainer.loss, get_task(trainer.dataset.kind))


def _no_plane(trainer: Trainer) -> ValueError:
    return ValueError(
        f"{trainer.describe_model()} on {trainer.dataset.name} has {trainer.model.n_params} "
        "parameters, not two: it has no whole landscape to draw; slice_landscape draws a slice "
        "through its weights"
    )


def parameters(source: Source, plane: Plane | None = None) -> Array:
    """The run's two parameters now, (2,) (a copy), in `plane_of`'s order; ValueError for a
    model with more than two."""
    trainer = _trainer(source)
    plane = plane or plane_of(trainer)
    if plane is None:
        raise _no_plane(trainer)
    flat = trainer.model.flat_params
    return np.array([flat[plane.indices[0]], flat[plane.indices[1]]])


# -- the SGD path --------------------------------------------------------------------------------
class PathRecorder:
    """The path a run's two parameters take, one point per `follow` (per frame, or per step).

    `follow(run)` appends the parameters when the run has stepped since the last point; it
    starts again on a new run (another model object: a new run, or a reset) or when the run's
    step count goes back. A recorder that starts following a run at step 0 has the initial
    weights first; the last point is always the latest followed. When `capacity` points are
    held, every other one is dropped and later points are kept half as often (the latest always).
    """

    def __init__(self, capacity: int = PATH_POINTS) -> None:
        if capacity < 4:
            raise ValueError(f"capacity {capacity} is too small: it must be at least 4")
        self.capacity = int(capacity)
        self._points = np.empty((self.capacity, 2))
        self._steps = np.empty(self.capacity, dtype=np.int64)
        self._owner: weakref.ref[MLP] | None = None
        #: The followed model's two parameters, read once per run (`plane_of`).
        self._plane: Plane | None = None
        self.reset()

    def reset(self) -> None:
        """Forget the path."""
        self._n = 0
        self._stride = 1  # keep one point in this many
        self._pending = 0  # points skipped since the last kept one
        self._tip: tuple[int, Array] | None = None  # the latest point, when it was skipped
        self._owner = None

    def __len__(self) -> int:
        return self._n + (self._tip is not None)

    def follow(self, source: Source) -> None:
        """Append the run's two parameters if it stepped since the last point (a paused frame
        adds nothing); start again on a new run."""
        trainer = _trainer(source)
        model, step = trainer.model, trainer.step_count
        owner = self._owner() if self._owner is not None else None
        if owner is not model or step < self.last_step:
            self.reset()
            self._owner = weakref.ref(model)
            self._plane = plane_of(trainer)
        elif len(self) and step == self.last_step:
            return
        self.append(step, parameters(trainer, self._plane))

    @property
    def last_step(self) -> int:
        """The step of the latest point (−1 when empty)."""
        if self._tip is not None:
            return self._tip[0]
        return int(self._steps[self._n - 1]) if self._n else -1

    def append(self, step: int, point: Array) -> None:
        """Add the parameters (2,) at `step`."""
        p = np.asarray(point, dtype=np.float64).reshape(2)
        if self._n and self._pending + 1 < self._stride:
            self._pending += 1
            self._tip = (int(step), p.copy())
            return
        if self._n == self.capacity:
            kept = self._n // 2 + self._n % 2  # rows 0, 2, 4, …
            self._points[:kept] = self._points[: self._n : 2]
            self._steps[:kept] = self._steps[: self._n : 2]
            self._n, self._stride = kept, self._stride * 2
        self._points[self._n] = p
        self._steps[self._n] = int(step)
        self._n += 1
        self._pending, self._tip = 0, None

    @property
    def points(self) -> Array:
        """The path, (m, 2), oldest first (a copy)."""
        out: Array = self._points[: self._n].copy()
        if self._tip is not None:
            out = np.concatenate([out, self._tip[1][None, :]])
        return out

    @property
    def steps(self) -> Steps:
        """The step of each point, (m,) int."""
        out: Steps = self._steps[: self._n].copy()
        if self._tip is not None:
            out = np.concatenate([out, np.array([self._tip[0]], dtype=np.int64)])
        return out


class PathReplay(PathRecorder):
    """The path of a two-parameter run at every step, however seldom it is followed: a copy
    of the run (the same configuration, so the same data, start and minibatches, bit for bit)
    trained alongside it, one recorded step at a time, up to the run's step on each `follow`.
    A view that looks twice a second, or after a fast-forward of thousands of steps, still
    draws each step SGD took. It costs one more run's training while it is on show (two
    parameters: microseconds a step); a gap over `MAX_REPLAY` steps is crossed in one stride,
    its end alone recorded."""

    #: The most steps one `follow` replays one at a time.
    MAX_REPLAY = 5_000

    def __init__(self, capacity: int = PATH_POINTS) -> None:
        super().__init__(capacity)
        self._shadow: Trainer | None = None

    def follow(self, source: Source) -> None:
        trainer = _trainer(source)
        owner = self._owner() if self._owner is not None else None
        shadow = self._shadow
        if owner is not trainer.model or shadow is None or trainer.step_count < shadow.step_count:
            self.reset()
            self._owner = weakref.ref(trainer.model)
            self._plane = plane_of(trainer)  # the same layout for the copy: one look
            shadow = self._shadow = Trainer(trainer.config)
            self.append(0, parameters(shadow, self._plane))
        gap = trainer.step_count - shadow.step_count
        if gap > self.MAX_REPLAY:
            shadow.step(gap - self.MAX_REPLAY)
        while shadow.step_count < trainer.step_count and shadow.step(1):
            self.append(shadow.step_count, parameters(shadow, self._plane))
        if shadow.step_count < trainer.step_count:  # the copy stopped (diverged): the run's own
            self.append(trainer.step_count, parameters(trainer, self._plane))


# -- surfaces ------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Surface:
    """The loss over a grid of two coordinates: cached, shared by every frame that draws it.

    `x` (columns,) and `y` (rows,) are the cells' centres, ascending; `values[i, j]` is the mean
    training loss at (x[j], y[i]), shape (rows, columns) (row 0 is the lowest y: a view draws
    it at the bottom). `bounds` = (x_lo, x_hi, y_lo, y_hi), the grid's edges: cell j spans
    [x_lo + j·Δx, x_lo + (j + 1)·Δx), Δx = (x_hi − x_lo)/columns. `levels` (≤ BANDS − 1,)
    cut the values into contour bands (`bands`). `optimum` (2,) is the minimum, `optimum_kind`
    CLOSED_FORM (exact) or GRID_MINIMUM (the lowest cell's centre); `grid_minimum` is always the
    lowest cell's centre. `form` is PLANE (the whole surface of a two-parameter model) or SLICE
    (a slice through a larger model's weights, in the directions' coordinates α, β).
    """

    form: str
    names: tuple[str, str]
    loss: str
    x: Array
    y: Array
    values: Array
    bounds: tuple[float, float, float, float]
    levels: Array
    optimum: Array
    optimum_kind: str
    optimum_loss: float
    grid_minimum: Array
    grid_minimum_loss: float
    note: str

    @property
    def is_slice(self) -> bool:
        """Whether it is a slice through a larger model's weights, not the whole surface."""
        return self.form == SLICE

    @property
    def resolution(self) -> tuple[float, float]:
        """(Δx, Δy): the width and height of a cell."""
        x_lo, x_hi, y_lo, y_hi = self.bounds
        return (x_hi - x_lo) / len(self.x), (y_hi - y_lo) / len(self.y)

    @cached_property  # a surface is cached and drawn every frame: its bands once
    def bands(self) -> Steps:
        """The contour band of each cell, (rows, columns) int: 0 for the lowest losses (below
        levels[0]) up to len(levels); a cell without a finite loss gets −1."""
        out = np.searchsorted(self.levels, self.values, side="right").astype(np.int64)
        bands: Steps = np.where(np.isfinite(self.values), out, -1)
        return bands

    def cell(self, point: Array) -> tuple[int, int] | None:
        """(row, column) of the cell holding `point` (2,), or None when it lies off the grid."""
        rows, columns, inside = self.cells(np.asarray(point, dtype=np.float64).reshape(1, 2))
        return (int(rows[0]), int(columns[0])) if inside[0] else None

    def cells(self, points: Array) -> tuple[Steps, Steps, NDArray[np.bool_]]:
        """The cells of `points` (m, 2) at once: their rows, their columns and whether each lies
        on the grid (the row and column of one that does not are meaningless)."""
        x_lo, x_hi, y_lo, y_hi = self.bounds
        px, py = points[:, 0], points[:, 1]
        with np.errstate(invalid="ignore"):
            inside = (x_lo <= px) & (px <= x_hi) & (y_lo <= py) & (py <= y_hi)
        dx, dy = self.resolution
        safe_x, safe_y = np.where(inside, px, x_lo), np.where(inside, py, y_lo)
        columns = np.minimum(((safe_x - x_lo) / dx).astype(np.int64), len(self.x) - 1)
        rows = np.minimum(((safe_y - y_lo) / dy).astype(np.int64), len(self.y) - 1)
        return rows, columns, inside


def _levels(values: Array, bands: int = BANDS) -> Array:
    finite = values[np.isfinite(values)]
    if not finite.size:
        return np.zeros(0)
    cuts = np.quantile(finite, np.arange(1, bands) / bands)
    out: Array = np.unique(cuts)
    return out


def _centres(lo: float, hi: float, count: int) -> Array:
    out: Array = lo + (np.arange(count, dtype=np.float64) + 0.5) * ((hi - lo) / count)
    return out


def _minimum(x: Array, y: Array, values: Array) -> tuple[Array, float]:
    safe = np.where(np.isfinite(values), values, np.inf)
    i, j = np.unravel_index(int(np.argmin(safe)), safe.shape)
    return np.array([x[j], y[i]]), float(values[i, j])


# -- what a plane's grid reads ------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class _Data:
    """The training split as the loss reads it: inputs (n,) (empty for a density), targets
    (n, 1) encoded for the loss, and the constant the history adds back."""

    x: Array
    targets: Array
    constant: float
    n: int


def _train_data(loss: Loss, dataset: Dataset) -> tuple[Array, Array, float]:
    """Inputs (n, d), targets in the loss's form, and the mean dropped constant, as the trainer
    reads the training split."""
    x = np.ascontiguousarray(dataset.x_train, dtype=np.float64)
    y = np.ascontiguousarray(targets_for(loss, dataset, "train"))
    if loss.target == "sparse":
        y = y.astype(np.intp)
    dropped = loss.dropped_constant(y)
    return x, y, float(np.mean(dropped)) if dropped is not None else 0.0


def _plane_values(plane: Plane, loss: Loss, data: _Data, p1: Array, p2: Array) -> Array:
    """The mean training loss at each parameter pair (p1[g], p2[g]), (G,).

    The logits of every sample at a chunk of pairs form one batch (m·n, k) through the loss's
    own `values` (k = 1 for a line, so each value is a sample's; a density's are per sample),
    averaged over the n samples of each pair: z = w·x + b for a line, z = (μ, log σ) on every
    row for a density. Chunks of about GRID_CELLS pairs × samples stay in the CPU's cache; no
    Python loop over grid points."""
    n = data.n
    out = np.empty(len(p1))
    chunk = max(1, GRID_CELLS // max(n, 1))
    tiled = np.tile(data.targets, (min(chunk, len(p1)), 1))  # the targets of each pair, stacked
    with np.errstate(all="ignore"):
        for start in range(0, len(p1), chunk):
            a, b = p1[start : start + chunk, None], p2[start : start + chunk, None]
            m = len(a)
            if plane.family == "line":
                z = a * data.x[None, :]
                z += b
                z = z.reshape(m * n, 1)
            else:
                z = np.empty((m, n, 2))
                z[:, :, 0], z[:, :, 1] = a, b
                z = z.reshape(m * n, 2)
            values = loss.values(tiled[: m * n], z)
            out[start : start + m] = values.reshape(m, n).mean(axis=1)
    out += data.constant
    return out


def _closed_form(plane: Plane, loss: Loss, data: _Data) -> Array | None:
    """The exact optimum where one exists (see the module docstring), else None."""
    if plane.family == "density":
        return cast(DensityLoss, loss).closed_form(data.targets)  # a density's plane
    if loss.name == "mean_squared_error":
        design = np.column_stack([data.x, np.ones(data.n)])
        solution, *_ = np.linalg.lstsq(design, data.targets[:, 0], rcond=None)
        out: Array = np.asarray(solution, dtype=np.float64)
        return out
    return None


def _locate(plane: Plane, loss: Loss, data: _Data, start: Array) -> Array:
    """Where the loss is lowest, searched on coarse 7 × 7 grids: from the box around the
    points `start` (k, 2) (at least 1 each side), doubled about the lowest point while that
    lies on the box's edge (at most 12 times), then halved about it 4 times (a sixteenth of
    the box: enough to place the bounds). Only the bounds use it; the mark of an optimum
    without a closed form is the drawn grid's own minimum. It reads every k-th sample, at
    most LOCATE_SAMPLES of them: the bounds need the optimum's place, not its last digit."""
    every = -(-data.n // LOCATE_SAMPLES)
    if every > 1:
        data = _Data(data.x[::every], data.targets[::every], data.constant, len(data.x[::every]))
    centre: Array = (start.min(axis=0) + start.max(axis=0)) / 2.0
    half = np.maximum((start.max(axis=0) - start.min(axis=0)) / 2.0, 1.0)
    steps = np.linspace(-1.0, 1.0, 7)
    grown = shrunk = 0
    while shrunk < 4:
        a, b = np.meshgrid(centre[0] + half[0] * steps, centre[1] + half[1] * steps)
        values = _plane_values(plane, loss, data, a.ravel(), b.ravel()).reshape(a.shape)
        if not np.isfinite(values).any():
            return centre
        i, j = np.unravel_index(int(np.nanargmin(values)), values.shape)
        centre = np.array([a[i, j], b[i, j]])
        if (i in (0, 6) or j in (0, 6)) and grown < 12:
            half, grown = half * 2.0, grown + 1
        else:
            half, shrunk = half / 2.0, shrunk + 1
    return centre


# -- caches ---------------------------------------------------------------------------------------
class _Cache:
    """A small least-recently-used cache whose keys start with a dataset's id; the entry keeps
    the dataset, so a new dataset at a recycled id never hits."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, tuple[Dataset, Any]] = OrderedDict()

    def get(self, key: Hashable, dataset: Dataset) -> Any:
        item = self._items.get(key)
        if item is None or item[0] is not dataset:
            return None
        self._items.move_to_end(key)
        return item[1]

    def put(self, key: Hashable, dataset: Dataset, value: Any) -> None:
        self._items[key] = (dataset, value)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()


_surfaces = _Cache(CACHE_SIZE)
_anchors = _Cache(CACHE_SIZE)  # (data, optimum or None, where the minimum was located)
_initials = _Cache(CACHE_SIZE)


def clear_cache() -> None:
    """Forget every cached surface, optimum and initial weights (benchmarks measure fresh
    grids this way)."""
    for cache in (_surfaces, _anchors, _initials):
        cache.clear()


def _anchor(trainer: Trainer, plane: Plane, start: Array) -> tuple[_Data, Array | None, Array]:
    """The training data as the loss reads it, the closed-form optimum (or None) and the
    point the bounds must hold for the optimum: cached per (data, loss, plane)."""
    dataset, loss = trainer.dataset, trainer.loss
    key = (id(dataset), loss.name, plane)
    cached = _anchors.get(key, dataset)
    if cached is not None:
        out: tuple[_Data, Array | None, Array] = cached
        return out
    x, y, constant = _train_data(loss, dataset)
    data = _Data(x[:, 0] if plane.family == "line" else x, y, constant, len(y))
    exact = _closed_form(plane, loss, data)
    where = exact if exact is not None else _locate(plane, loss, data, start)
    _anchors.put(key, dataset, (data, exact, where))
    return data, exact, where


def initial_parameters(source: Source) -> Array:
    """The run's weights at step 0, the whole flat vector (a copy): the current ones at step 0,
    else those of a fresh trainer of the same configuration and data (cached)."""
    trainer = _trainer(source)
    if trainer.step_count == 0:
        now: Array = trainer.model.flat_params.copy()
        return now
    key = (id(trainer.dataset), trainer.config)
    cached = _initials.get(key, trainer.dataset)
    if cached is None:
        cached = Trainer(trainer.config, trainer.dataset).model.flat_params.copy()
        _initials.put(key, trainer.dataset, cached)
    out: Array = cached.copy()
    return out


def _nice(width: float) -> float:
    """A round step (1, 2 or 5 × 10ᵏ) of about `width`."""
    if not (math.isfinite(width) and width > 0):
        return 1.0
    power = 10.0 ** math.floor(math.log10(width))
    return next(m * power for m in (1.0, 2.0, 5.0, 10.0) if m * power >= width)


def auto_bounds(*points: Array) -> tuple[float, float, float, float]:
    """Bounds (x_lo, x_hi, y_lo, y_hi) that hold every finite point (2,) within FAR with a
    margin: their extent plus MARGIN of it each side, at least MIN_HALF_WIDTH each side of
    their centre, snapped outwards to multiples of a round step of an eighth of the width."""
    pts = np.array([p for p in points if np.all(np.isfinite(p)) and np.all(np.abs(p) < FAR)])
    if not pts.size:
        pts = np.zeros((1, 2))
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    centre = (lo + hi) / 2.0
    half = np.maximum((hi - lo) * (0.5 + MARGIN), MIN_HALF_WIDTH)
    out: list[float] = []
    for c, h in zip(centre, half, strict=True):
        step = _nice(2.0 * float(h) / 8.0)
        out += [math.floor((c - h) / step) * step, math.ceil((c + h) / step) * step]
    return out[0], out[1], out[2], out[3]


def _check_bounds(span: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    x_lo, x_hi, y_lo, y_hi = (float(v) for v in span)
    if not all(math.isfinite(v) for v in (x_lo, x_hi, y_lo, y_hi)) or x_lo >= x_hi or y_lo >= y_hi:
        raise ValueError(
            f"span {span!r} is not allowed: it must be four finite numbers "
            "(x_lo, x_hi, y_lo, y_hi) with x_lo < x_hi and y_lo < y_hi"
        )
    return x_lo, x_hi, y_lo, y_hi


def _check_size(columns: int, rows: int) -> None:
    if columns < 2 or rows < 2:
        raise ValueError(f"a grid of {columns} × {rows} is too small: it needs at least 2 × 2")


# -- the landscape --------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Landscape:
    """A surface (cached, shared between frames) and where the run is on it.

    `initial` (2,) is where SGD started (None on a slice: the start is off its plane);
    `current` (2,) the parameters now ((0, 0) on a slice); `path` (m, 2) the recorded path,
    oldest first, with `path_steps` (m,) (empty when nothing was recorded, and on a slice).
    """

    surface: Surface
    config: TrainConfig
    step: int
    current: Array
    initial: Array | None
    path: Array
    path_steps: Steps

    @property
    def overshoot(self) -> float:
        """How far the path went past the optimum, along the line from its first point p₀ to
        the optimum o, as a share of that distance: max over the path of
        t = (p − p₀)·(o − p₀)/‖o − p₀‖², minus 1, at least 0 (0: it never passed the optimum;
        momentum 0.9 on `line` at lr 0.02 goes about 0.45 past it, plain SGD about 0.01).
        NaN without a path of two points or more, or on a slice."""
        if self.surface.form != PLANE or len(self.path) < 2:
            return math.nan
        start = self.path[0]
        towards = self.surface.optimum - start
        length = float(towards @ towards)
        if not length > 0:
            return math.nan
        t = (self.path - start) @ towards / length
        finite = t[np.isfinite(t)]
        return max(0.0, float(finite.max()) - 1.0) if finite.size else math.nan

    def as_dict(self) -> dict[str, Any]:
        """Everything JSON-ready: the setup, the grid (values[row][column], row 0 the lowest
        y), its axes, bands and levels, the optimum, the initial and current parameters and the
        path; non-finite numbers as None."""
        s = self.surface
        config = self.config
        return {
            "kind": s.form,
            "note": s.note,
            "problem": config.problem,
            "dataset": config.dataset,
            "loss": s.loss,
            "model": config.model,
            "seed": config.seed,
            "step": self.step,
            "axes": {
                "x": {"name": s.names[0], "values": _listed(s.x)},
                "y": {"name": s.names[1], "values": _listed(s.y)},
            },
            "bounds": list(s.bounds),
            "resolution": list(s.resolution),
            "values": [_listed(row) for row in s.values],
            "levels": _listed(s.levels),
            "bands": s.bands.tolist(),
            "optimum": {
                **_pair(s.optimum),
                "loss": _number(s.optimum_loss),
                "kind": s.optimum_kind,
            },
            "grid_minimum": {**_pair(s.grid_minimum), "loss": _number(s.grid_minimum_loss)},
            "initial": None if self.initial is None else _pair(self.initial),
            "current": _pair(self.current),
            "overshoot": _number(self.overshoot),
            "path": {
                "step": [int(v) for v in self.path_steps],
                "x": _listed(self.path[:, 0]),
                "y": _listed(self.path[:, 1]),
            },
        }


def _number(v: float) -> float | None:
    return float(v) if math.isfinite(v) else None


def _listed(values: Array) -> list[float | None]:
    return [_number(float(v)) for v in values]


def _pair(point: Array) -> dict[str, float | None]:
    return {"x": _number(float(point[0])), "y": _number(float(point[1]))}


def landscape(
    source: Source,
    columns: int = COLUMNS,
    rows: int = ROWS,
    span: tuple[float, float, float, float] | None = None,
    path: PathRecorder | None = None,
) -> Landscape:
    """The landscape of a two-parameter run (ValueError for a larger model: `slice_landscape`).

    `span`: the grid's bounds (x_lo, x_hi, y_lo, y_hi); None chooses them (`auto_bounds` of
    the optimum, the initial and the current parameters). `path`: a recorder that follows the
    run; it is given the current point first (a view passes its recorder every frame), and the
    landscape carries its path. The grid is computed once per (data, loss, columns, rows,
    bounds) and then served from the cache, so a frame costs the path alone."""
    _check_size(columns, rows)
    trainer = _trainer(source)
    plane = plane_of(trainer)
    if plane is None:
        raise _no_plane(trainer)
    i, j = plane.indices
    current = parameters(trainer, plane)
    if path is not None:
        path.follow(trainer)
        points, steps = path.points, path.steps
    else:
        points, steps = np.zeros((0, 2)), np.zeros(0, dtype=np.int64)
    if steps.size and steps[0] == 0:
        initial = points[0].copy()
    else:
        initial = initial_parameters(trainer)[[i, j]]
    data, exact, where = _anchor(trainer, plane, np.stack([initial, current]))
    bounds = auto_bounds(where, initial, current) if span is None else _check_bounds(span)
    loss = trainer.loss
    key = (id(trainer.dataset), loss.name, plane, columns, rows, bounds)
    surface: Surface | None = _surfaces.get(key, trainer.dataset)
    if surface is None:
        surface = _plane_surface(plane, loss, data, exact, columns, rows, bounds)
        _surfaces.put(key, trainer.dataset, surface)
    return Landscape(surface, trainer.config, trainer.step_count, current, initial, points, steps)


def _plane_surface(
    plane: Plane,
    loss: Loss,
    data: _Data,
    exact: Array | None,
    columns: int,
    rows: int,
    bounds: tuple[float, float, float, float],
) -> Surface:
    x = _centres(bounds[0], bounds[1], columns)
    y = _centres(bounds[2], bounds[3], rows)
    a, b = np.meshgrid(x, y)  # (rows, columns): a varies along a row
    values = _plane_values(plane, loss, data, a.ravel(), b.ravel()).reshape(rows, columns)
    grid_min, grid_min_loss = _minimum(x, y, values)
    if exact is not None:
        optimum, kind = exact.copy(), CLOSED_FORM
        optimum_loss = float(_plane_values(plane, loss, data, exact[:1], exact[1:])[0])
    else:
        optimum, kind, optimum_loss = grid_min.copy(), GRID_MINIMUM, grid_min_loss
    note = (
        f"the whole training loss over {plane.names[0]} and {plane.names[1]}; the optimum is "
        + ("exact (closed form)" if exact is not None else "the grid's lowest cell")
    )
    for array in (x, y, values):
        array.flags.writeable = False
    return Surface(
        PLANE,
        plane.names,
        loss.name,
        x,
        y,
        values,
        bounds,
        _levels(values),
        optimum,
        kind,
        optimum_loss,
        grid_min,
        grid_min_loss,
        note,
    )


# -- a slice through a larger model --------------------------------------------------------------
def slice_directions(model: MLP, seed: int = 0) -> tuple[Array, Array]:
    """Two random directions d₁, d₂ in parameter space, each shaped like `flat_params`,
    filter-normalised: for every weight matrix W (fan_in, fan_out), the direction's column j
    (the weights into neuron j) is drawn standard normal and scaled to ‖W[:, j]‖; biases get 0.
    A model with no weights (a density's parameters, all biases) has its bias vector scaled as
    one layer instead. Seeded by `seed` alone: the same seed, the same directions."""
    rng = np.random.default_rng([seed, 7])
    out = []
    flat = model.flat_params
    for _ in range(2):
        d = np.zeros_like(flat)
        for w in model.weights:
            start = _offset(w, flat)
            raw = rng.standard_normal(w.shape)
            weight_norm = np.linalg.norm(w, axis=0)
            raw_norm = np.linalg.norm(raw, axis=0)
            scale = np.divide(
                weight_norm, raw_norm, out=np.zeros_like(raw_norm), where=raw_norm > 0
            )
            d[start : start + w.size] = (raw * scale).ravel()
        if all(w.size == 0 for w in model.weights):
            for b in model.biases:
                start = _offset(b, flat)
                raw = rng.standard_normal(b.shape)
                norm = float(np.linalg.norm(b))
                d[start : start + b.size] = raw * (norm / float(np.linalg.norm(raw)))
        out.append(d)
    return out[0], out[1]


def slice_landscape(
    source: Source,
    columns: int = SLICE_COLUMNS,
    rows: int = SLICE_ROWS,
    span: float = SLICE_SPAN,
    seed: int = 0,
) -> Landscape:
    """A slice through the run's current weights θ: L(θ + α·d₁ + β·d₂) on a rows × columns
    grid of α, β ∈ [−span, span] (grid points, not cell centres: with odd sizes (0, 0), the
    current weights, is one of them), d₁, d₂ from `slice_directions(model, seed)`. Works for any
    model; marked SLICE. Each grid point runs the model's own forward pass on a copy of the
    model (never the run's), the training split through the loss: about 0.1 s of CPU for an MLP
    2-16-1 on 300 samples at 41 × 21. Cached per (data, loss, weights, seed, size, span)."""
    _check_size(columns, rows)
    if not (math.isfinite(span) and span > 0):
        raise ValueError(f"span {span!r} is not allowed: it must be a finite number > 0")
    trainer = _trainer(source)
    model, loss, dataset = trainer.model, trainer.loss, trainer.dataset
    theta = model.flat_params.copy()
    key = (id(dataset), loss.name, theta.tobytes(), seed, columns, rows, float(span))
    surface: Surface | None = _surfaces.get(key, dataset)
    if surface is None:
        surface = _slice_surface(trainer, theta, columns, rows, float(span), seed)
        _surfaces.put(key, dataset, surface)
    empty = np.zeros((0, 2))
    return Landscape(
        surface,
        trainer.config,
        trainer.step_count,
        np.zeros(2),
        None,
        empty,
        np.zeros(0, dtype=np.int64),
    )


def _grid_points(span: float, count: int) -> Array:
    """count points from −span to span; the middle one exactly 0 when count is odd."""
    half = (count - 1) / 2.0
    out: Array = span * ((np.arange(count, dtype=np.float64) - half) / half)
    return out


def _slice_surface(
    trainer: Trainer, theta: Array, columns: int, rows: int, span: float, seed: int
) -> Surface:
    model, loss = trainer.model, trainer.loss
    x, targets, constant = _train_data(loss, trainer.dataset)
    d1, d2 = slice_directions(model, seed)
    probe = make_model(
        trainer.config.model,
        model.n_in,
        model.n_out,
        hidden=model.hidden,
        activation=model.activation,
    )
    alphas, betas = _grid_points(span, columns), _grid_points(span, rows)
    values = np.empty((rows, columns))
    with np.errstate(all="ignore"):
        for i, beta in enumerate(betas):
            for j, alpha in enumerate(alphas):
                probe.flat_params[...] = theta + alpha * d1 + beta * d2
                values[i, j] = loss(targets, probe.forward(x)) + constant
    grid_min, grid_min_loss = _minimum(alphas, betas, values)
    step_x, step_y = 2.0 * span / (columns - 1), 2.0 * span / (rows - 1)
    bounds = (-span - step_x / 2, span + step_x / 2, -span - step_y / 2, span + step_y / 2)
    note = (
        f"a slice, not the whole surface: the loss along two random directions through the "
        f"current weights (seed {seed}), each scaled neuron by neuron to the weights' norms "
        "(filter normalisation, Li et al. 2018); (0, 0) is the current weights"
    )
    for array in (alphas, betas, values):
        array.flags.writeable = False
    return Surface(
        SLICE,
        ("direction 1 (α)", "direction 2 (β)"),
        loss.name,
        alphas,
        betas,
        values,
        bounds,
        _levels(values),
        grid_min,
        GRID_MINIMUM,
        grid_min_loss,
        grid_min.copy(),
        grid_min_loss,
        note,
    )


# -- headless --------------------------------------------------------------------------------------
def trained_landscape(
    config: TrainConfig,
    steps: int = 200,
    *,
    columns: int | None = None,
    rows: int | None = None,
    span: tuple[float, float, float, float] | None = None,
    slice_seed: int = 0,
) -> Landscape:
    """Train a run of `config` (made by `core.configuration.configure`, as the app and
    `train` make theirs) for `steps` SGD steps, one at a time, recording the path at every step
    (the recorder thins it past PATH_POINTS), and return its landscape: the whole plane for a
    two-parameter model, else a slice through the final weights (`slice_seed`, the slice's grid
    size; `span` applies to a plane only)."""
    if steps < 0:
        raise ValueError(f"steps {steps} is not allowed: it must be 0 or more")
    run = Run(config)
    if plane_of(run) is None:
        run.step(steps)
        return slice_landscape(run, columns or SLICE_COLUMNS, rows or SLICE_ROWS, seed=slice_seed)
    recorder = PathRecorder()
    recorder.follow(run)
    for _ in range(steps):
        taken = run.step(1)
        recorder.follow(run)  # a step that diverged too: the path shows where it went
        if not taken or run.stopped:
            break
    return landscape(run, columns or COLUMNS, rows or ROWS, span=span, path=recorder)


#: The contour bands as characters, from the lowest loss to the highest: the valley is blank,
#: higher ground denser. ASCII, so a picture reads in every character set and without colour.
BAND_MARKS = " .:-=%#&"
#: The marks over the bands: where SGD started, the cells it passed, where it is now, and the
#: optimum (the closed form where there is one, else the grid's lowest cell).
START_MARK, PATH_MARK, NOW_MARK, OPTIMUM_MARK = "S", "o", "@", "X"


def picture(drawn: Landscape) -> list[str]:
    """The landscape as rows of characters, the highest y first, one per grid cell: its band
    (`BAND_MARKS`, "?" where the loss is not finite), then the path, the start, the optimum and
    the current parameters over it, in that order (now over all)."""
    surface = drawn.surface
    cells = np.array(list(BAND_MARKS + "?"))[np.asarray(surface.bands)]  # −1: the "?"
    marks: list[tuple[Array | None, str]] = [
        (drawn.path, PATH_MARK),
        (drawn.initial, START_MARK),
        (surface.optimum, OPTIMUM_MARK),
        (drawn.current, NOW_MARK),
    ]
    for points, mark in marks:  # later over earlier: now over all
        if points is None or not np.size(points):
            continue
        rows, columns, inside = surface.cells(np.asarray(points, dtype=np.float64).reshape(-1, 2))
        cells[rows[inside], columns[inside]] = mark
    return ["".join(row) for row in cells[::-1]]
