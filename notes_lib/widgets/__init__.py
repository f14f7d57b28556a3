"""Builders for the book's interactive controls and their static counterparts.

Each control is a *pure drawing function* ``draw(ax, **params)`` (in
:mod:`notes_lib.plotting`) wrapped twice:

* :func:`interactive_figure` puts ipywidgets controls in front of it; every
  change of a control redraws the axes and replaces the PNG shown by an
  ``ipywidgets.Image`` (live notebooks, ``make lab``);
* :func:`static_frames` renders it once for every point of a small parameter
  grid and returns HTML range sliders that swap the pre-rendered frames with a
  few lines of JavaScript (the HTML book, which has no kernel).

So the picture a reader sees in the book is exactly what the live control draws.
"""

from ._core import InteractiveFigure, StaticFrames, interactive_figure, static_frames
from .foundations import (
    BETA_STATIC_PRIORS,
    EXPLORER_PARAMETERS,
    EXPLORER_PRESETS,
    beta_posterior_static,
    beta_posterior_widget,
    coin_flips,
    distribution_static,
    distribution_widget,
    taylor_static,
    taylor_widget,
    variance_static,
    variance_widget,
)
from .hmm import trellis_static, trellis_widget
from .linear import gd_path_static, gd_path_widget, lms_static, lms_widget
from .logistic import logistic_static, logistic_widget
from .mixture import em_static, em_widget
from .networks import INIT_ACTIVATIONS, init_static, init_widget
from .pca import projection_static, projection_widget
from .perceptron import perceptron_static, perceptron_widget
from .svm import svm_static, svm_widget
from .trees import forest_static, forest_widget

__all__ = [
    "BETA_STATIC_PRIORS",
    "EXPLORER_PARAMETERS",
    "EXPLORER_PRESETS",
    "INIT_ACTIVATIONS",
    "InteractiveFigure",
    "StaticFrames",
    "beta_posterior_static",
    "beta_posterior_widget",
    "coin_flips",
    "distribution_static",
    "distribution_widget",
    "em_static",
    "em_widget",
    "forest_static",
    "forest_widget",
    "gd_path_static",
    "gd_path_widget",
    "init_static",
    "init_widget",
    "interactive_figure",
    "lms_static",
    "lms_widget",
    "logistic_static",
    "logistic_widget",
    "perceptron_static",
    "perceptron_widget",
    "projection_static",
    "projection_widget",
    "static_frames",
    "svm_static",
    "svm_widget",
    "taylor_static",
    "taylor_widget",
    "trellis_static",
    "trellis_widget",
    "variance_static",
    "variance_widget",
]
