"""Controls for sections 2.2 (LMS by gradient descent) and 2.8 (gradient-descent paths)."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets

from ..plotting.linear import GD_PATH_LAYERS, LMS_LAYERS
from ._core import Draw, InteractiveFigure, StaticFrames, interactive_figure, static_frames

#: Learning rates of the static LMS frames; 2/lambda_max is about 0.48 for the example data.
LMS_STATIC_ETAS = [0.02, 0.1, 0.3, 0.45, 0.5]
#: Learning rates of the static gradient-descent frames; 2/lambda_max is about 0.586.
GD_STATIC_ETAS = [0.05, 0.15, 0.4, 0.55, 0.58, 0.62]


def lms_widget(eta: float = 0.3, n_iter: int = 50) -> InteractiveFigure:
    """Live control for section 2.2: learning rate and number of batch-GD updates."""
    controls = {
        "eta": widgets.FloatLogSlider(value=eta, base=10, min=-2.5, max=0.0, step=0.05,
                                      description="eta"),
        "n_iter": widgets.IntSlider(value=n_iter, min=1, max=400, description="updates"),
    }
    return interactive_figure(LMS_LAYERS, controls)


#: Numbers of updates of the static LMS frames.
LMS_STATIC_ITERS = [5, 40, 200]
#: Numbers of steps of the static gradient-descent frames.
GD_STATIC_STEPS = [3, 10, 40]


def _eta_by_count_frames(draw: Draw, count: str, etas: Sequence[float] | None,
                         counts: Sequence[int] | None, defaults: tuple[list, list],
                         initial: tuple[float, int], key: str, alt: str) -> StaticFrames:
    """Static frames over learning rates ``eta`` x ``counts`` of the keyword ``count``
    (``None``: the ``defaults``), ``initial`` = (eta, count) shown first."""
    return static_frames(
        draw,
        {"eta": defaults[0] if etas is None else list(etas),
         count: defaults[1] if counts is None else list(counts)},
        key=key, alt=alt, initial={"eta": initial[0], count: initial[1]},
    )


def lms_static(etas: Sequence[float] | None = None,
               n_iters: Sequence[int] | None = None) -> StaticFrames:
    """Static counterpart of :func:`lms_widget`: by default :data:`LMS_STATIC_ETAS` x
    :data:`LMS_STATIC_ITERS` (15 frames); ``eta = 0.3, n_iter = 40`` is shown first and
    must be in the grid."""
    return _eta_by_count_frames(
        LMS_LAYERS, "n_iter", etas, n_iters, (LMS_STATIC_ETAS, LMS_STATIC_ITERS), (0.3, 40),
        key="lms-gradient-descent",
        alt="Left: 30 noisy points, the least-squares line and the line after {n_iter} updates "
            "of batch gradient descent with learning rate {eta:g}; right: the loss above its "
            "minimum per update on a log scale",
    )


def gd_path_widget(eta: float = 0.2, n_steps: int = 20) -> InteractiveFigure:
    """Live control for section 2.8: learning rate and number of steps on a 2-D quadratic."""
    controls = {
        "eta": widgets.FloatSlider(value=eta, min=0.01, max=0.7, step=0.01, description="eta"),
        "n_steps": widgets.IntSlider(value=n_steps, min=1, max=60, description="steps"),
    }
    return interactive_figure(GD_PATH_LAYERS, controls)


def gd_path_static(etas: Sequence[float] | None = None,
                   n_steps: Sequence[int] | None = None) -> StaticFrames:
    """Static counterpart of :func:`gd_path_widget`: by default :data:`GD_STATIC_ETAS` x
    :data:`GD_STATIC_STEPS` (18 frames); ``eta = 0.15, n_steps = 10`` is shown first and
    must be in the grid."""
    return _eta_by_count_frames(
        GD_PATH_LAYERS, "n_steps", etas, n_steps, (GD_STATIC_ETAS, GD_STATIC_STEPS), (0.15, 10),
        key="gd-path-quadratic",
        alt="Elliptic contours of a two-dimensional quadratic with the path of {n_steps} "
            "gradient-descent steps of learning rate {eta:g} from the start point towards "
            "the minimum at the origin",
    )
