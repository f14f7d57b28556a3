"""The book's matplotlib style and the figure helpers its notebooks share.

One module per chapter or topic; this package re-exports them all.

Every notebook calls :func:`use_book_style` once; figures then have an explicit
white background (readable in the HTML theme's dark mode) and the colour-blind
safe Okabe–Ito palette.
"""

from __future__ import annotations

from ._layers import Layers, moving_title
from ._style import STYLE, book_style, figure_png, new_figure, use_book_style
from .foundations import (
    draw_beta_posterior,
    draw_distribution,
    draw_taylor,
    draw_variance_estimators,
)
from .hmm import draw_hmm_graph, draw_trellis
from .linear import draw_gd_path, draw_lms_fit
from .logistic import draw_logistic_boundary, draw_logistic_training
from .mixture import (
    draw_em_iteration,
    draw_em_log_likelihood,
    draw_gaussian_ellipse,
    draw_gmm_1d,
    draw_gmm_2d,
)
from .networks import draw_init_variances
from .pca import draw_principal_axes, draw_projection, draw_whitened
from .perceptron import PERCEPTRON_EXAMPLE_X, PERCEPTRON_EXAMPLE_Y, draw_perceptron_step
from .svm import draw_svm, draw_svm_rbf
from .trees import draw_decision_regions, draw_forest_regions

__all__ = [
    "PERCEPTRON_EXAMPLE_X",
    "PERCEPTRON_EXAMPLE_Y",
    "STYLE",
    "Layers",
    "book_style",
    "draw_beta_posterior",
    "draw_decision_regions",
    "draw_distribution",
    "draw_em_iteration",
    "draw_em_log_likelihood",
    "draw_forest_regions",
    "draw_gaussian_ellipse",
    "draw_gd_path",
    "draw_gmm_1d",
    "draw_gmm_2d",
    "draw_hmm_graph",
    "draw_init_variances",
    "draw_lms_fit",
    "draw_logistic_boundary",
    "draw_logistic_training",
    "draw_perceptron_step",
    "draw_principal_axes",
    "draw_projection",
    "draw_svm",
    "draw_svm_rbf",
    "draw_taylor",
    "draw_trellis",
    "draw_variance_estimators",
    "draw_whitened",
    "figure_png",
    "moving_title",
    "new_figure",
    "use_book_style",
]
