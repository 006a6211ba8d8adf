"""Provides the Race pane: a race's runs overlaid, their table, and each run's fit or map."""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Container, Horizontal, Vertical
from textual.widgets import Static

from losstui.core.race_summary import all_level, leader, target_for
from losstui.core.settings import MAX_RUNS
from losstui.core.state import StateChanged
from losstui.tui.panes.pane import Pane
from losstui.tui.run_marks import RUN_MARKS, TEXT_COLOURS, short_label
from losstui.tui.widgets.caption_line import CaptionLine
from losstui.tui.widgets.model_view import ModelView
from losstui.tui.widgets.race_curves import RaceCurves, first_metric
from losstui.tui.widgets.race_table import RaceTable

#: From this size every run's picture is on show side by side; below it, the selected run's.
SIDE_WIDTH, SIDE_HEIGHT = 120, 30
#: Below this many rows (under a lesson's strip at 80x24) the pane drops the picture and sets
#: the two plots side by side: stacked beside a picture, each would get two or three rows.
LOW_ROWS = 16
FRAME_INTERVAL = 0.3
"""Seconds between the pane's frames while training. Each frame redraws the table and one of
the three pictures (the metric's plot, the losses' plot, the runs' fits or maps) in turn, each
about 20 ms of a four-run race: drawn together they held the event loop, and a key, for 50-70
ms. So each picture is redrawn about every 0.9 s, as often as before."""

NO_RACE = (
    "A race trains 2 to 4 runs that differ in one setting (the loss, the learning rate, ...) "
    "on the same data, from the same initial weights, step by step side by side.\n\n"
    "Start one: v on the Train pane (3) races the losses the recommendation lists; "
    "d lists race presets; ctrl+p offers Race losses and Race learning rates."
)


class RacePane(Pane):
    """The runs of the state's race: their metric and their losses (each over its first value)
    overlaid, a table of where each stands, and their pictures; without a race, how to start
    one. `[` and `]` select a run (the one the other panes draw, the picture shown at 80x24)."""

    DEFAULT_CSS = """
        #race-empty {
            padding: 1 2;
        }
        #race-body, #race-top {
            height: 1fr;
        }
        #race-plots, #race-models {
            width: 1fr;
            height: 1fr;
        }
        #race-metric, #race-losses {
            height: 1fr;
        }
        #race-models {
            layout: horizontal;
        }
        .race-model {
            width: 1fr;
            height: 1fr;
        }
        .race-model ModelView, .race-model #decision-map, .race-model #fit-plot {
            height: 1fr;
        }
        RacePane.-side #race-top {
            layout: vertical;
        }
        RacePane.-low #race-models {
            display: none;
        }
        /* The plots side by side: above the pictures (-side), or alone (-low). */
        RacePane.-side #race-plots, RacePane.-low #race-plots {
            layout: horizontal;
        }
        RacePane.-side #race-metric, RacePane.-side #race-losses,
        RacePane.-low #race-metric, RacePane.-low #race-losses {
            width: 1fr;
        }
    """

    pane_id = "race"
    interval = FRAME_INTERVAL

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        #: The picture the next frame of training redraws: 0 and 1 the plots, 2 the pictures.
        self._turn = 0
        #: Whether the change being drawn only selected another run: the curves stay as drawn.
        self._selected_only = False

    def compose(self) -> ComposeResult:
        yield Static(self.glyphs.text(NO_RACE), id="race-empty")
        with Vertical(id="race-body"):
            with Horizontal(id="race-top"):
                with Vertical(id="race-plots"):
                    yield RaceCurves("metric", id="race-metric")
                    yield RaceCurves("loss", id="race-losses")
                with Container(id="race-models"):
                    for i in range(MAX_RUNS):
                        with Vertical(id=f"race-model-{i}", classes="race-model"):
                            yield CaptionLine(classes="race-caption")
                            yield ModelView(id=f"race-view-{i}")
            yield RaceTable(id="race-table")

    def on_mount(self) -> None:
        # Composed when first opened: its widgets draw in the pane's characters from the start.
        for widget in self.query("*"):
            if hasattr(widget, "glyphs"):
                widget.glyphs = self.glyphs
        self._fit_size()

    def state_changed(self, event: StateChanged) -> None:
        self._selected_only = "selected" in event

    def on_resize(self) -> None:
        if self._fit_size():
            self.draw(force=True)

    def _fit_size(self) -> bool:
        """Every picture side by side on a large terminal, else one, and none on a pane of few
        rows; whether that changed."""
        width, height = self.app.size
        side = width >= SIDE_WIDTH and height >= SIDE_HEIGHT
        low = 0 < self.size.height < LOW_ROWS
        changed = side != self.has_class("-side") or low != self.has_class("-low")
        self.set_class(side, "-side")
        self.set_class(low, "-low")
        return changed

    # -- drawing -------------------------------------------------------------------------------

    def draw(self, force: bool = False) -> None:
        """Redraw the table; the curves and the pictures too when due (always with `force`)."""
        # A diverged run overflows on purpose; the table says so in words, not in warnings.
        with np.errstate(all="ignore"):
            self._draw(force)

    def _draw(self, force: bool) -> None:
        state = self.state
        racing = state.race is not None
        self.query_one("#race-empty").display = not racing
        self.query_one("#race-body").display = racing
        if not racing:
            return
        runs, selected = state.runs, state.selected
        labels = [run.label for run in runs]
        metric = first_metric(runs[0])
        best = leader(runs, metric) if metric else None
        level = best is None and metric is not None and all_level(runs, metric)
        self.query_one(RaceTable).show(
            runs, labels, selected=selected, best=best, target=target_for(runs[0].metric_names)
        )
        curves = list(self.query(RaceCurves))
        if force:
            # Another run selected (a key) draws the table and the picture at once; the curves,
            # the same runs', wait for their turn.
            if not self._selected_only:
                for plot in curves:
                    plot.show(runs, labels, best, level)
            self._draw_pictures()
        elif self.redraw_interval > FRAME_INTERVAL:  # a slow link: all of it, a frame a second
            for plot in curves:
                plot.show(runs, labels, best, level)
            self._draw_pictures()
        else:
            turn, self._turn = self._turn, (self._turn + 1) % 3
            if turn < len(curves):
                curves[turn].show(runs, labels, best, level)
            else:
                self._draw_pictures()
        self._selected_only = False

    def _draw_pictures(self) -> None:
        """Each run's picture under its caption: all of them side by side, or the selected one
        in the first place (choosing another run redraws that place, and lays nothing out)."""
        state = self.state
        runs, selected = state.runs, state.selected
        side = self.has_class("-side")
        for place in range(MAX_RUNS):
            block = self.query_one(f"#race-model-{place}")
            index = place if side else selected
            shown = place < len(runs) if side else place == 0
            if block.display != shown:
                block.display = shown
            if not shown:
                continue
            run = runs[index]
            caption = f"{RUN_MARKS[index]} {short_label(run.label)}  step {run.step_count:,}"
            if not side:  # one picture: which of the runs, and how to see the others
                caption = f"{index + 1}/{len(runs)} {caption}  [ ]"
            elif index == selected:
                caption = f"> {caption}"
            style = f"bold {TEXT_COLOURS[index]}"
            block.query_one(CaptionLine).show(Text(self.glyphs.text(caption), style=style))
            block.query_one(ModelView).show(run)
