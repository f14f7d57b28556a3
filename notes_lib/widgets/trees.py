"""Controls for section 2.13 (the notes' "Todo: Random forest")."""

from __future__ import annotations

import ipywidgets as widgets

from ..plotting.trees import (
    FOREST_LAYERS,
    FOREST_WIDGET_TREES,
    _forest_fields,
)
from ._core import InteractiveFigure, StaticFrames, interactive_figure, static_frames

#: Depth limits offered by the controls; ``None`` is a fully grown tree.
FOREST_DEPTHS = (1, 2, 3, 5, 8, None)
#: Numbers of trees of the static frames.
FOREST_STATIC_TREES = (1, 5, 20, 100)


def forest_widget(n_trees: int = 1, max_depth: int | None = None) -> InteractiveFigure:
    """Live control for section 2.13: decision regions of a random forest on two moons
    against the number of trees and the trees' depth limit.

    The forest is fitted once per depth (cached), every depth when the control is built:
    moving the slider or choosing a depth only averages stored per-tree probabilities and
    draws the moving layer over the axes.
    """
    controls = {
        "n_trees": widgets.IntSlider(value=n_trees, min=1, max=FOREST_WIDGET_TREES,
                                     description="trees"),
        "max_depth": widgets.Dropdown(
            options=[("full" if d is None else str(d), d) for d in FOREST_DEPTHS],
            value=max_depth, description="max depth"),
    }
    for depth in FOREST_DEPTHS:  # fit now, so that no change of the control waits for it
        _forest_fields(depth)
    return interactive_figure(FOREST_LAYERS, controls)


def forest_static() -> StaticFrames:
    """Static counterpart of :func:`forest_widget`: 4 numbers of trees x 3 depths."""
    return static_frames(
        FOREST_LAYERS,
        {"n_trees": list(FOREST_STATIC_TREES), "max_depth": [2, 5, None]},
        key="forest-regions",
        alt="Two noisy half-moons of blue circles and orange squares, coloured by the "
            "probability of class 1 given by a random forest of {n_trees} trees of max depth "
            "{max_depth} (None: fully grown), with its decision boundary in black",
        initial={"n_trees": 1, "max_depth": None},
    )
