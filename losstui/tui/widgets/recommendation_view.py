"""Provides the recommendation pane: loss, activation, distribution, the reason, and the names."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from losstui.core.losses import LOSSES
from losstui.core.problems import PROBLEMS, recommend
from losstui.tui.glyphs import UNICODE, Glyphs, UsesGlyphs


def _rows(rows: list[tuple[str, Text]], label_width: int) -> Table:
    """Label and value side by side; a value too long for one line wraps under itself."""
    grid = Table.grid(padding=0, expand=True)
    grid.add_column(width=label_width, no_wrap=True, style="bold")
    grid.add_column(ratio=1)
    for label, value in rows:
        grid.add_row(label, value)
    return grid


def recommendation_text(key: str, glyphs: Glyphs, *, brief: bool = False) -> RenderableType:
    """The recommendation for problem `key`, laid out for the pane; `brief` drops the long
    sections. Lists hang their wrapped lines under their text, not under the bullet."""
    rec = recommend(key)
    problem = PROBLEMS[key]
    g = glyphs.text
    parts: list[RenderableType] = []

    def heading(title: str) -> None:
        parts.append(Text(f"\n{title}", style="bold underline"))

    head = Text(g(problem.title), style="bold")
    head.append(f"  target: {g(problem.target)}", style="dim")
    parts.append(head)
    loss = Text(g(rec.loss_title), style="bold")
    if rec.loss:
        loss.append(f"  ({rec.loss})", style="dim")
    parts.append(
        _rows(
            [
                ("Loss", loss),
                ("Activation", Text.assemble((g(rec.activation), "bold"), " on the output")),
                ("Assumes", Text(f"y ~ {g(rec.distribution)}")),
                ("Formula", Text(g(rec.formula))),
            ],
            12,
        )
    )
    heading("Why (maximum likelihood)")
    parts.append(Text(g(rec.rationale)))
    if not brief:
        parts.append(Text(g(rec.activation_reason), style="italic"))
    heading("Alternatives")
    alternatives = []
    for alt in rec.alternatives:
        title = LOSSES[alt.loss].title if alt.loss in LOSSES else alt.loss
        already = alt.when.lower().startswith("not recommended")
        mark = "not recommended: " if alt.discouraged and not already else ""
        body = Text(g(title), style="bold")
        body.append(f" {glyphs.arrow_right} {mark}{g(alt.when)}")
        alternatives.append((f" {glyphs.bullet}", body))
    parts.append(_rows(alternatives, 3))
    heading("The same choice in libraries")
    parts.append(
        _rows(
            [
                (f" {lib}", Text(g(text)))
                for lib, text in (
                    ("PyTorch", rec.pytorch),
                    ("Keras", rec.keras),
                    ("scikit-learn", rec.sklearn),
                )
            ],
            14,
        )
    )
    if rec.pitfalls and not brief:
        heading("Pitfalls")
        parts.append(_rows([(f" {glyphs.bullet}", Text(g(p))) for p in rec.pitfalls], 3))
    return Group(*parts)


class RecommendationView(UsesGlyphs, VerticalScroll, can_focus=True):
    """Shows the recommendation for `problem`; the parent sets `glyphs` and calls show(key)."""

    def __init__(self, *, brief: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self._glyphs: Glyphs = UNICODE
        self.brief = brief
        self.problem: str | None = None
        self._body = Static(classes="recommendation-body")

    def _glyphs_changed(self) -> None:
        if self.problem is not None:  # redraw what is on show in the new spelling
            self._body.update(recommendation_text(self.problem, self._glyphs, brief=self.brief))

    def compose(self):
        yield self._body

    def show(self, key: str) -> None:
        """Draw the recommendation for problem `key`."""
        if key == self.problem:
            return
        self.problem = key
        self._body.update(recommendation_text(key, self._glyphs, brief=self.brief))
        self.scroll_home(animate=False)
