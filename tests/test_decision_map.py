"""The decision map paints the classes the trainer predicts, for every loss that can run."""

from __future__ import annotations

import numpy as np
import pytest

from losstui.core.datasets import check_pairing
from losstui.core.losses import LOSSES
from losstui.core.trainer import TrainConfig, Trainer
from losstui.tui.widgets.decision_map import class_scores

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
