"""Provides the recommendation pane: loss, activation, distribution, the reason, and the names."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from losstui.core.presets import presets_for
from losstui.core.problems import PROBLEMS, Standing, loss_verdict, recommend
from losstui.tui.glyphs import UNICODE, Glyphs, UsesGlyphs
from losstui.tui.widgets.more_below import MoreBelow


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
    # Here, not at the top: the loss registry computes with numpy, which the first screen
    # (the Problem pane, where this view is the preview) does without.
    from losstui.core.losses import LOSSES
    from losstui.core.tasks import get_task

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
    if not get_task(problem.kind).supervised:
        # No inputs, no output layer, no target y: the model is the density's parameters.
        rows = [
            ("Loss", loss),
            ("Parameters", Text(g(rec.activation_reason))),
            ("Assumes", Text(f"x ~ {g(rec.distribution)}")),
        ]
    else:
        rows = [
            ("Loss", loss),
            ("Activation", Text.assemble((g(rec.activation), "bold"), " on the output")),
            ("Assumes", Text(f"y ~ {g(rec.distribution)}")),
        ]
    rows.append(("Formula", Text(g(rec.formula))))
    presets = presets_for(key)
    if presets:
        # Near the top, where an 80x24 screen shows it: the claims below can be seen on screen.
        count = "a preset shows" if len(presets) == 1 else f"{len(presets)} presets show"
        rows.append(("See it", Text(f"press d: {count} the claims below on the Train pane")))
    parts.append(_rows(rows, 12))
    # The rationale explains the activation too; its one-line reason is the CLI's and JSON's.
    heading("Why (maximum likelihood)")
    parts.append(Text(g(rec.rationale)))
    # The same three kinds as the Train pane and the loss menu: recommended (above), reasonable
    # alternatives with when to prefer them, and losses that are not recommended, with why.
    for title, standing in (
        ("The same choice in another form", Standing.RECOMMENDED),
        ("Reasonable alternatives", Standing.ALTERNATIVE),
        ("Not recommended", Standing.NOT_RECOMMENDED),
    ):
        listed = [a for a in rec.alternatives if loss_verdict(key, a.loss).standing is standing]
        if not listed:
            continue
        heading(title)
        rows_alt = []
        for alt in listed:
            title = g(LOSSES[alt.loss].title if alt.loss in LOSSES else alt.loss)
            # Only the loss's name is bold: a Text's own style would embolden the reason too.
            body = Text.assemble((title, "bold"), f" {glyphs.arrow_right} {g(alt.when)}")
            rows_alt.append((f" {glyphs.bullet}", body))
        parts.append(_rows(rows_alt, 3))
    if presets:
        heading("See it on screen (d: presets)")
        parts.append(_rows([(f" {glyphs.bullet}", Text(g(p.title))) for p in presets], 3))
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
        # Cut off at the pane's foot (mid-formula, at 80x24), the text says that it goes on.
        self._more = MoreBelow("↓ PgDn scroll", keys_need_focus=True)

    def _glyphs_changed(self) -> None:
        self._more.glyphs = self._glyphs
        if self.problem is not None:  # redraw what is on show in the new spelling
            self._body.update(recommendation_text(self.problem, self._glyphs, brief=self.brief))

    def compose(self):
        yield self._body
        yield self._more

    def show(self, key: str) -> None:
        """Draw the recommendation for problem `key`."""
        if key == self.problem:
            return
        self.problem = key
        self._body.update(recommendation_text(key, self._glyphs, brief=self.brief))
        self.scroll_home(animate=False)
