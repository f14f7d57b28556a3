"""Controls for section 2.9: stepping through the EM algorithm for a Gaussian mixture."""

from __future__ import annotations

import ipywidgets as widgets

from ..plotting.mixture import EM_EXAMPLE_ITERATIONS, EM_LAYERS
from ._core import InteractiveFigure, StaticFrames, interactive_figure, static_frames

#: Iterations shown by the static frames (at most ~40 frames).
EM_STATIC_ITERATIONS = (0, 1, 2, 3, 4, 5, 7, 10, 13, 17, 25, 40)


def em_widget(iteration: int = 0) -> InteractiveFigure:
    """Live control for section 2.9: the EM iterations of Algorithm 1 on the 2-D example,
    responsibilities as colours and components as 1- and 2-sigma ellipses. The EM
    history is computed once and cached, so moving the slider only redraws the points,
    ellipses, legend and title over the axes rendered once."""
    controls = {"iteration": widgets.IntSlider(value=iteration, min=0, max=EM_EXAMPLE_ITERATIONS,
                                               description="iteration")}
    return interactive_figure(EM_LAYERS, controls, size=(6.4, 4.8))


def em_static() -> StaticFrames:
    """Static counterpart of :func:`em_widget` (one frame per listed iteration)."""
    return static_frames(
        EM_LAYERS, {"iteration": list(EM_STATIC_ITERATIONS)},
        key="gmm-em-iterations",
        alt="300 two-dimensional points from three clusters, coloured by their "
            "responsibilities, with the 1- and 2-sigma ellipses of the three Gaussian "
            "components after {iteration} EM iterations",
        initial={"iteration": 0},
        size=(6.4, 4.8),
    )
