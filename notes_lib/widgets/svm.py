"""Controls for section 2.7: the RBF SVM's boundary and margins as C and gamma change."""

from __future__ import annotations

import ipywidgets as widgets

from ..plotting.svm import (
    SVM_C_GRID,
    SVM_GAMMA_GRID,
    SVM_RBF_LAYERS,
    _rbf_drawing,
)
from ._core import InteractiveFigure, StaticFrames, interactive_figure, static_frames


def _check_start(value: object, name: str, grid: tuple[float, ...]) -> float:
    if value not in grid:
        raise ValueError(f"{name} must be one of {list(grid)}, got {value!r}")
    return float(value)


def svm_widget(C: float = 1.0, gamma: float = 1.0) -> InteractiveFigure:
    """Live control for section 2.7: box constraint ``C`` and RBF width ``gamma``.

    The sliders offer :data:`~notes_lib.plotting.svm.SVM_C_GRID` and
    :data:`~notes_lib.plotting.svm.SVM_GAMMA_GRID`; all 16 fits are computed once here (and
    cached), so moving a slider only redraws: the fit, over the axes and legend rendered once.
    """
    C = _check_start(C, "C", SVM_C_GRID)
    gamma = _check_start(gamma, "gamma", SVM_GAMMA_GRID)
    for c in SVM_C_GRID:
        for g in SVM_GAMMA_GRID:
            _rbf_drawing(c, g)
    controls = {
        "C": widgets.SelectionSlider(options=list(SVM_C_GRID), value=C, description="C"),
        "gamma": widgets.SelectionSlider(options=list(SVM_GAMMA_GRID), value=gamma,
                                         description="gamma"),
    }
    return interactive_figure(SVM_RBF_LAYERS, controls, size=(7.2, 4.0))


def svm_static() -> StaticFrames:
    """Static counterpart of :func:`svm_widget`: 16 frames, one per (C, gamma)."""
    return static_frames(
        SVM_RBF_LAYERS, {"C": list(SVM_C_GRID), "gamma": list(SVM_GAMMA_GRID)},
        key="svm-rbf-c-gamma",
        alt="Two interleaving half moons of blue circles (label +1) and orange squares "
            "(label -1) with the decision boundary of an RBF-kernel SVM for C = {C:g} and "
            "gamma = {gamma:g}, its two dashed margin curves, and the support vectors ringed",
        initial={"C": 1.0, "gamma": 1.0},
        size=(7.2, 4.0),
    )
