"""The decision map paints the classes the trainer predicts, for every loss that can run."""

from __future__ import annotations

import numpy as np
import pytest

from losstui.core.datasets import check_pairing
from losstui.core.losses import LOSSES
from losstui.core.trainer import TrainConfig, Trainer
from losstui.tui.glyphs import ASCII, UNICODE
from losstui.tui.widgets.decision_map import DecisionMap, class_scores, true_classes
from tests.app_helpers import Harness

PROBLEMS_WITH_MAPS = (
    "binary_classification",
    "multiclass_classification",
    "multilabel_classification",
    "soft_label_classification",
)


def runnable(problem: str) -> list[str]:
    config = TrainConfig.default_for(problem)
    trainer = Trainer(config)
    return [name for name in LOSSES if check_pairing(name, trainer.dataset) is None]


@pytest.mark.parametrize("problem", PROBLEMS_WITH_MAPS)
def test_map_regions_match_the_predicted_classes(problem):
    for loss in runnable(problem):
        trainer = Trainer(TrainConfig.default_for(problem).replace(loss=loss))
        trainer.step(60)
        x = trainer.dataset.x_val
        cls, confidence = class_scores(trainer, x)
        predicted = trainer.classify(x)
        if predicted.ndim == 2:  # several labels: the map codes the labels that are on as bits
            predicted = (predicted.astype(int) * (1 << np.arange(predicted.shape[1]))).sum(axis=1)
        np.testing.assert_array_equal(cls, predicted, err_msg=f"{problem} with {loss}")
        assert np.all((confidence >= 0.0) & (confidence <= 1.0)), loss


# -- the widget ----------------------------------------------------------------------------------
def MapApp(glyphs=UNICODE) -> Harness:
    """A decision map drawn in `glyphs`, in the test harness."""
    return Harness(DecisionMap(), glyphs=glyphs)


@pytest.mark.parametrize("width", [40, 50, 80, 120])
@pytest.mark.parametrize("problem", PROBLEMS_WITH_MAPS)
async def test_the_legend_is_never_cut_and_names_every_code(problem, width):
    trainer = Trainer(TrainConfig.default_for(problem))
    trainer.step(100)
    app = MapApp()
    async with app.run_test(size=(width, 16)) as pilot:
        view = app.query_one(DecisionMap)
        view.show(trainer)
        await pilot.pause()
        lines = view.render().plain.split("\n")
        assert len(lines) == 16
        assert all(len(line) <= width for line in lines)
        legend = "\n".join(lines[-6:])
        assert "blank: " in legend
        assert "digits: data" in legend
        several = trainer.dataset.kind == "multilabel"
        for code in view.codes(trainer.dataset):  # each fill and digit is explained, whole
            entry = f"{code.region}{code.point} {code.name}" if several else f"{code.region} "
            assert entry in legend, (entry, legend)
            assert code.name in legend.replace("\n", " ") or several


async def test_several_labels_are_coded_by_the_set_of_labels_on():
    trainer = Trainer(TrainConfig.default_for("multilabel_classification"))
    trainer.step(200)
    names = trainer.dataset.target_names
    app = MapApp()
    async with app.run_test(size=(80, 20)) as pilot:
        view = app.query_one(DecisionMap)
        view.show(trainer)
        await pilot.pause()
        codes = view.codes(trainer.dataset)
        assert len(codes) == 2 ** len(names)
        assert [c.name for c in codes[:4]] == ["none", "A", "B", "A+B"]
        assert codes[-1].name == "+".join("ABCDEFGH"[: len(names)])
        text = view.render().plain
        for letter, name in zip("ABC", names, strict=False):
            assert f"{letter} = {name}" in text
        # Every digit drawn on the map is a code the legend explains.
        map_rows = text.split("\n")[: view.size.height - 2]
        digits = {int(c) for row in map_rows for c in row if c.isdigit()}
        assert digits
        assert digits <= set(range(len(codes)))
        codes_of_points = set(true_classes(trainer.dataset).tolist())
        assert digits <= codes_of_points


async def test_ascii_map_is_ascii():
    trainer = Trainer(TrainConfig.default_for("multilabel_classification"))
    trainer.step(50)
    app = MapApp(ASCII)
    async with app.run_test(size=(80, 20)) as pilot:
        view = app.query_one(DecisionMap)
        view.show(trainer)
        await pilot.pause()
        assert view.render().plain.isascii()


async def test_a_short_map_of_several_labels_tells_its_digits_and_shades_by_their_rule():
    # Under a lesson's strip at 80x24 the map has about 9 rows: the key set by set would
    # leave it three.
    from tests.app_helpers import screen_text

    trainer = Trainer(TrainConfig.default_for("multilabel_classification"))
    trainer.step(100)
    app = MapApp()
    async with app.run_test(size=(40, 9)) as pilot:
        view = app.query_one(DecisionMap)
        view.show(trainer)
        await pilot.pause()
        lines = view.render().plain.split("\n")
        assert len(lines) == 9
        assert all(len(line) <= 40 for line in lines)
        assert "digit, shade = sum of A=1 B=2 C=4 on" in lines
        assert sum(1 for line in lines if "=" not in line) >= 6  # six rows of map, not three
        # The shades need a key as well as the digits.
        shades = " ".join(f"{c.region}{c.point}" for c in view.codes(trainer.dataset))
        assert shades in screen_text(app)


@pytest.mark.parametrize("small", [(25, 5), (25, 4), (25, 2)])
async def test_shrunk_below_its_key_the_map_shows_what_it_would_draw_fresh_not_its_old_rows(small):
    # A short terminal with the settings column opened (c) after a lesson's question leaves
    # the map a few rows: the rows drawn for the wider map must not wrap into them.
    from tests.app_helpers import screen_text

    trainer = Trainer(TrainConfig.default_for("binary_classification"))
    trainer.step(20)
    shrunk, fresh = MapApp(), MapApp()
    async with shrunk.run_test(size=(60, 12)) as pilot:
        shrunk.query_one(DecisionMap).show(trainer)
        await pilot.pause()
        await pilot.resize_terminal(*small)
        await pilot.pause()
        await pilot.pause()
        seen = screen_text(shrunk)
    async with fresh.run_test(size=small) as pilot:
        fresh.query_one(DecisionMap).show(trainer)
        await pilot.pause()
        assert seen == screen_text(fresh)
        assert seen.strip()  # a map, or a word that there is no room for one: not nothing


@pytest.mark.parametrize(
    ("problem", "loss", "blank"),
    [
        # With two classes a cell is blank near the boundary, not wherever class 1's p < 0.6.
        ("binary_classification", "binary_cross_entropy", "blank: 0.4<p<0.6"),
        # Hinge has no p: its band is on the score z, where σ(z) would lie in (0.4, 0.6).
        ("binary_classification", "hinge", "blank: |z|<0.41"),
        ("binary_classification", "mean_squared_error", "blank: 0.4<ŷ<0.6"),
        ("multiclass_classification", "categorical_cross_entropy", "blank: top p<0.6"),
        ("multiclass_classification", "hinge", "blank: top softmax(z)<0.6"),
        ("multilabel_classification", "binary_cross_entropy", "blank: a label's 0.4<p<0.6"),
    ],
)
async def test_the_blank_is_said_in_what_the_model_outputs(problem, loss, blank):
    from tests.app_helpers import flat, screen_text

    trainer = Trainer(TrainConfig.default_for(problem).replace(loss=loss))
    trainer.step(100)
    app = MapApp()
    async with app.run_test(size=(80, 20)) as pilot:
        app.query_one(DecisionMap).show(trainer)
        await pilot.pause()
        text = flat(screen_text(app))
        assert blank in text
        assert "blank: p<" not in text
