"""Controls for section 2.10: the variance of the projections on a direction."""

from __future__ import annotations

import ipywidgets as widgets

from ..plotting.pca import PROJECTION_LAYERS
from ._core import InteractiveFigure, StaticFrames, interactive_figure, static_frames

#: Angles (degrees) of the pre-rendered frames of :func:`projection_static`.
PROJECTION_STATIC_ANGLES = [float(a) for a in range(0, 181, 15)]


def projection_widget(angle: float = 0.0) -> InteractiveFigure:
    """Live control for section 2.10: turn the direction :math:`\\vec u` and watch the
    projections and their variance :math:`\\vec u^\\top C\\vec u` (Eq. (2.73)), maximal at
    the first eigenvector (Eq. (2.75)). The variance curve is precomputed and cached, and
    drawn once: an update draws only the direction, the projections and the marker."""
    controls = {"angle": widgets.FloatSlider(value=angle, min=0.0, max=180.0, step=1.0,
                                             description="angle θ (°)")}
    return interactive_figure(PROJECTION_LAYERS, controls, size=(8.0, 3.8))


def projection_static() -> StaticFrames:
    """Static counterpart of :func:`projection_widget`: one frame every 15 degrees."""
    return static_frames(
        PROJECTION_LAYERS, {"angle": PROJECTION_STATIC_ANGLES},
        key="pca-projection",
        alt="Left: 120 centred two-dimensional points, a line through the origin at "
            "{angle:g} degrees and the projection of every point on it. Right: the variance "
            "of the projections against the angle, a single-peaked curve with its maximum at "
            "the first eigenvector, the current angle marked",
        initial={"angle": 0.0},
        size=(8.0, 3.8),
    )
