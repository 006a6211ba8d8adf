"""Provides the recommendation pane: loss, activation, distribution, the reason, and the names."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from losstui.core.losses import LOSSES
from losstui.core.problems import PROBLEMS, recommend
from losstui.tui.glyphs import UNICODE, Glyphs


def recommendation_text(key: str, glyphs: Glyphs, *, brief: bool = False) -> Text:
    """The recommendation for problem `key` as styled text; `brief` drops the long sections."""
    rec = recommend(key)
    problem = PROBLEMS[key]
    g = glyphs.text
    out = Text()

    def heading(title: str) -> None:
        out.append(f"\n{title}\n", style="bold underline")

    out.append(g(problem.title), style="bold")
    out.append(f"  target: {g(problem.target)}\n", style="dim")
    out.append("Loss        ", style="bold")
    out.append(g(rec.loss_title), style="bold")
    if rec.loss:
        out.append(f"  ({rec.loss})", style="dim")
    out.append("\nActivation  ", style="bold")
    out.append(rec.activation, style="bold")
    out.append(" on the output\n")
    out.append("Assumes     ", style="bold")
    out.append(f"y ~ {g(rec.distribution)}\n")
    out.append("Formula     ", style="bold")
    out.append(g(rec.formula) + "\n")
    heading("Why (maximum likelihood)")
    out.append(g(rec.rationale) + "\n")
    if not brief:
        out.append(g(rec.activation_reason) + "\n", style="italic")
    heading("Alternatives")
    for alt in rec.alternatives:
        title = LOSSES[alt.loss].title if alt.loss in LOSSES else alt.loss
        already = alt.when.lower().startswith("not recommended")
        mark = "not recommended: " if alt.discouraged and not already else ""
        out.append(f" {glyphs.bullet} ", style="bold")
        out.append(g(title), style="bold")
        out.append(f" {glyphs.arrow_right} {mark}{g(alt.when)}\n")
    heading("The same choice in libraries")
    for lib, text in (
        ("PyTorch", rec.pytorch),
        ("Keras", rec.keras),
        ("scikit-learn", rec.sklearn),
    ):
        out.append(f" {lib:<13}", style="bold")
        out.append(g(text) + "\n")
    if rec.pitfalls and not brief:
        heading("Pitfalls")
        for pitfall in rec.pitfalls:
            out.append(f" {glyphs.bullet} {g(pitfall)}\n")
    return out


class RecommendationView(VerticalScroll, can_focus=True):
    """Shows the recommendation for `problem`; the parent sets `glyphs` and calls show(key)."""

    def __init__(self, *, brief: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self._glyphs: Glyphs = UNICODE
        self.brief = brief
        self.problem: str | None = None
        self._body = Static(classes="recommendation-body")

    @property
    def glyphs(self) -> Glyphs:
        """The character set the text is spelled in (ASCII in --ascii mode)."""
        return self._glyphs

    @glyphs.setter
    def glyphs(self, glyphs: Glyphs) -> None:
        if glyphs is not self._glyphs:
            self._glyphs = glyphs
            if self.problem is not None:  # redraw what is on show in the new spelling
                self._body.update(recommendation_text(self.problem, glyphs, brief=self.brief))

    def compose(self):
        yield self._body

    def show(self, key: str) -> None:
        """Draw the recommendation for problem `key`."""
        if key == self.problem:
            return
        self.problem = key
        self._body.update(recommendation_text(key, self._glyphs, brief=self.brief))
        self.scroll_home(animate=False)
