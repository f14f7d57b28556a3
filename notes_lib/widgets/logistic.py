"""Controls for section 2.3: logistic regression trained by gradient descent."""

from __future__ import annotations

import ipywidgets as widgets

from ..plotting.logistic import (
    LOGISTIC_ITERATIONS,
    LOGISTIC_LEARNING_RATES,
    LOGISTIC_TRAINING_LAYERS,
)
from ._core import InteractiveFigure, StaticFrames, interactive_figure, static_frames


def logistic_widget(iteration: int = 0, learning_rate: float = 1.0) -> InteractiveFigure:
    """Live control for section 2.3: the decision boundary and probability contours of
    logistic regression after ``iteration`` gradient-descent steps with learning rate
    :math:`\\alpha` (batch form of Eq. (2.17)), on two overlapping Gaussian classes."""
    controls = {
        "iteration": widgets.IntSlider(value=iteration, min=0, max=500, description="iteration"),
        "learning_rate": widgets.FloatLogSlider(value=learning_rate, base=10, min=-2, max=1,
                                                step=0.1, description="α"),
    }
    return interactive_figure(LOGISTIC_TRAINING_LAYERS, controls)


def logistic_static() -> StaticFrames:
    """Static counterpart of :func:`logistic_widget`: 10 iterations x 3 learning rates."""
    return static_frames(
        LOGISTIC_TRAINING_LAYERS,
        {"iteration": list(LOGISTIC_ITERATIONS), "learning_rate": list(LOGISTIC_LEARNING_RATES)},
        key="logistic-training",
        alt="Two overlapping classes of 50 points, blue circles (y = 1) and orange squares "
            "(y = 0), over filled contours of the predicted probability P(y = 1 | x) of "
            "logistic regression after {iteration} gradient-descent iterations with learning "
            "rate {learning_rate}; the solid line P = 0.5 is the decision boundary, dashed "
            "lines are P = 0.1 and 0.9, and a dotted grey line is the maximum-likelihood "
            "boundary it approaches",
        initial={"iteration": 0, "learning_rate": 1.0},
    )
