"""The book's matplotlib style and the figure helpers its notebooks share.

One module per chapter or topic; this package re-exports them all.

Every notebook calls :func:`use_book_style` once; figures then have an explicit
white background (readable in the HTML theme's dark mode) and the colour-blind
safe Okabe–Ito palette.
"""

from __future__ import annotations

from ._style import STYLE, book_style, figure_png, new_figure, use_book_style
from .foundations import (
    draw_beta_posterior,
    draw_distribution,
    draw_taylor,
    draw_variance_estimators,
)
from .networks import draw_init_variances
from .perceptron import PERCEPTRON_EXAMPLE_X, PERCEPTRON_EXAMPLE_Y, draw_perceptron_step

__all__ = [
    "PERCEPTRON_EXAMPLE_X", "PERCEPTRON_EXAMPLE_Y", "STYLE", "book_style", "draw_beta_posterior",
    "draw_distribution", "draw_init_variances", "draw_perceptron_step", "draw_taylor",
    "draw_variance_estimators", "figure_png", "new_figure", "use_book_style",
]
