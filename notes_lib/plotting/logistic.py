"""Drawings for section 2.3: logistic regression's probability map and decision boundary."""

from __future__ import annotations

import warnings
from functools import lru_cache

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.lines import Line2D

from .._validation import as_float_array, check_int, check_scalar
from ._layers import Layers, moving_title
from ._style import check_axes


def _example_data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    n = 50
    X0 = rng.normal(loc=(-1.0, -0.5), scale=1.0, size=(n, 2))
    X1 = rng.normal(loc=(1.0, 0.7), scale=1.0, size=(n, 2))
    return np.vstack([X0, X1]), np.repeat([0.0, 1.0], n)


#: Two overlapping Gaussian classes of 50 points each (not linearly separable), seed 0:
#: class 0 around (-1, -0.5), class 1 around (1, 0.7), unit covariance.
LOGISTIC_EXAMPLE_X, LOGISTIC_EXAMPLE_Y = _example_data()

#: Iterations and learning rates of the static frames of the training widget.
LOGISTIC_ITERATIONS = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500)
LOGISTIC_LEARNING_RATES = (0.1, 1.0, 5.0)


def _boundary_inputs(X: object, y: object, coef: object, intercept: object):
    """Validated ``X`` (m, 2), labels in {0, 1}, ``w`` (2,) and ``b``."""
    from ..logistic import _check_labels

    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns to be drawn, got {X.shape[1]}")
    y = _check_labels(y)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"X and y must have the same number of rows, got {X.shape[0]} "
                         f"and {y.shape[0]}")
    w = as_float_array(coef, "coef", ndim=1)
    if w.shape != (2,):
        raise ValueError(f"coef must have 2 entries, got {w.shape[0]}")
    return X, y, w, check_scalar(intercept, "intercept")


def _boundary_frame(ax: Axes, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Clear ``ax``, fix the window around ``X`` and label the axes; return the window."""
    ax.clear()
    lo, hi = X.min(axis=0) - 0.8, X.max(axis=0) + 0.8
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return lo, hi


#: The probability levels drawn as lines: style and label of each.
_LEVELS = ((0.1, "--", 1.0), (0.5, "-", 2.0), (0.9, "--", 1.0))


def _level_segment(w: np.ndarray, c: float, lo: np.ndarray, hi: np.ndarray):
    """The two ends of the line ``w . x = c`` inside the window [lo, hi], or None."""
    ends = []
    for i in (0, 1):  # where the line crosses the window's sides x_i = lo_i, hi_i
        if w[1 - i] != 0:
            for edge in (lo[i], hi[i]):
                other = (c - w[i] * edge) / w[1 - i]
                if lo[1 - i] <= other <= hi[1 - i]:
                    ends.append((edge, other) if i == 0 else (other, edge))
    if len(ends) < 2:
        return None
    ends = np.array(ends)
    span = np.linalg.norm(ends[:, None] - ends[None], axis=-1)
    i, j = np.unravel_index(np.argmax(span), span.shape)
    return (ends[i], ends[j]) if span[i, j] > 0 else None


def _level_lines(ax: Axes, w: np.ndarray, b: float, lo: np.ndarray, hi: np.ndarray) -> list:
    """The lines P = 0.1, 0.5, 0.9 of the probability map with their labels.

    :math:`P = g(\\vec w^T\\vec x + b)` is constant on the straight lines
    :math:`\\vec w^T\\vec x + b = \\log(P / (1 - P))`: they are drawn as lines (what
    ``contour`` would find on a grid, for a fraction of its cost). Each label sits on its
    line, along it, where a ``clabel`` would break the line."""
    added = []
    for p, style, width in _LEVELS:
        ends = _level_segment(w, np.log(p / (1 - p)) - b, lo, hi)
        if ends is None:
            continue
        (x0, y0), (x1, y1) = sorted(ends, key=lambda e: (e[0], e[1]))
        (line,) = ax.plot([x0, x1], [y0, y1], color="k", ls=style, lw=width, gid=f"P={p:g}")
        # the labels of the three lines at different heights along them, as clabel does
        t = {0.1: 0.8, 0.5: 0.5, 0.9: 0.2}[p] if y1 >= y0 else {0.1: 0.2, 0.5: 0.5, 0.9: 0.8}[p]
        angle = np.degrees(np.arctan2(y1 - y0, x1 - x0))
        # Fixed mathtext strings: their layout is cached, so they draw faster than plain text.
        label = ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), rf"$\mathregular{{P={p:g}}}$",
                        fontsize=7, ha="center", va="center", rotation=angle,
                        rotation_mode="anchor", transform_rotates_text=True,
                        bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none",
                              "alpha": 0.8})
        added += [line, label]
    return added


#: The bands of the probability map: P in [0, 0.1), [0.1, 0.2), ... [0.9, 1], coloured as
#: ``contourf(levels=np.linspace(0, 1, 11), cmap="PuOr", alpha=0.45, vmin=-0.1, vmax=1.1)``.
_BAND_COLOURS = mpl.colormaps["PuOr"](mpl.colors.Normalize(-0.1, 1.1)(np.arange(0.05, 1, 0.1)),
                                      alpha=0.45)
#: The logits z = log(P / (1 - P)) between the bands: -inf, P = 0.1, ..., P = 0.9, inf.
_BAND_EDGES = np.r_[-np.inf, np.log(np.arange(1, 10) / np.arange(9, 0, -1)), np.inf]


def _clip(polygon: list, side) -> list:
    """The part of a convex ``polygon`` (list of points) where ``side(point) >= 0``, for an
    affine ``side`` (one step of Sutherland-Hodgman)."""
    kept = []
    for p, q in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        sp, sq = side(p), side(q)
        if sp >= 0:
            kept.append(p)
        if (sp >= 0) != (sq >= 0):
            kept.append(p + sp / (sp - sq) * (q - p))
    return kept


def _probability_bands(ax: Axes, w: np.ndarray, b: float, lo: np.ndarray, hi: np.ndarray):
    """The filled contours of P(y = 1 | x) in steps of 0.1 over the window.

    P depends on x through the logit w^T x + b only, so each band is the strip between two
    parallel lines, cut to the window: a convex polygon computed exactly, and drawn in a
    fraction of the time of ``contourf``'s (what a live control needs)."""
    window = [np.array(p, dtype=float) for p in
              ((lo[0], lo[1]), (hi[0], lo[1]), (hi[0], hi[1]), (lo[0], hi[1]))]
    polygons, colours = [], []
    for k in range(10):
        low, high = _BAND_EDGES[k], _BAND_EDGES[k + 1]
        band = window
        if np.isfinite(low):
            band = _clip(band, lambda p, c=low: w @ p + b - c)
        if np.isfinite(high) and band:
            band = _clip(band, lambda p, c=high: c - (w @ p + b))
        if len(band) >= 3:
            polygons.append(np.array(band))
            colours.append(_BAND_COLOURS[k])
    bands = PolyCollection(polygons, facecolors=colours, edgecolors="none",
                           antialiased=False, zorder=1)  # as contourf: no seams between bands
    return ax.add_collection(bands, autolim=False)


#: Style of the two classes (markers of Line2D: much faster to draw than a scatter).
_CLASS_STYLE = {1: {"marker": "o", "color": "#0072B2", "label": "$y=1$"},
                0: {"marker": "s", "color": "#E69F00", "label": "$y=0$"}}
_MARKER = {"ms": 22 ** 0.5, "mec": "white", "mew": 0.5, "ls": "none"}
_REFERENCE = {"ls": ":", "color": "0.3", "lw": 1.5, "label": "MLE boundary"}


def _boundary_artists(ax: Axes, X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float,
                      window: tuple[np.ndarray, np.ndarray], reference: object,
                      legend: bool = True) -> list:
    """Everything inside the axes (the probability map covers it all): the filled
    contours, the lines P = 0.1, 0.5, 0.9 and their labels, the reference boundary, the
    data and (``legend``) the legend. Returns the artists it added."""
    from ..logistic import sigmoid

    lo, hi = window
    g0, g1 = np.linspace(lo[0], hi[0], 90), np.linspace(lo[1], hi[1], 90)
    P = sigmoid(w[0] * g0[None, :] + w[1] * g1[:, None] + b)
    added = [_probability_bands(ax, w, b, lo, hi)]
    if np.ptp(P) > 0.1:
        added += _level_lines(ax, w, b, lo, hi)
    if reference is not None:
        rw, rb = as_float_array(reference[0], "reference", ndim=1), float(reference[1])
        xs = np.linspace(lo[0], hi[0], 2)
        if rw[1] != 0:
            added += ax.plot(xs, -(rw[0] * xs + rb) / rw[1], **_REFERENCE)
    for label in (1, 0):
        added += ax.plot(X[y == label, 0], X[y == label, 1], zorder=3, **_MARKER,
                         **_CLASS_STYLE[label])
    if legend:
        added.append(ax.legend(loc="lower right", fontsize=8))
    return added


def draw_logistic_boundary(ax: Axes, X: object, y: object, coef: object, intercept: float,
                           *, title: str | None = None, reference: object = None) -> None:
    """Probability map :math:`P(y=1 \\mid x) = g(\\vec w^T\\vec x + b)` (Eq. (2.9)) of a 2-D
    logistic model, its decision boundary and the data.

    Filled contours of the probability in steps of 0.1, the boundary :math:`P = 0.5`
    (solid), the lines :math:`P = 0.1` and :math:`0.9` (dashed), class 1 as blue circles and
    class 0 as orange squares.

    Parameters
    ----------
    ax : matplotlib Axes
        Cleared and redrawn.
    X, y : array-like
        Examples of shape (m, 2) and labels in {0, 1}.
    coef, intercept
        :math:`\\vec w` (2 entries) and :math:`b`.
    title : str, optional
    reference : (coef, intercept), optional
        A second boundary drawn as a dotted grey line (e.g. the maximum-likelihood one).
    """
    check_axes(ax)
    X, y, w, b = _boundary_inputs(X, y, coef, intercept)
    window = _boundary_frame(ax, X)
    _boundary_artists(ax, X, y, w, b, window, reference)
    if title is not None:
        ax.set_title(title, fontsize=10)


@lru_cache(maxsize=32)
def _gd_path(learning_rate: float, max_iter: int):
    """Batch gradient descent from 0 on the example, by :class:`LogisticRegression`
    (``solver='gd'``, ``tol=0``): the coefficient and intercept paths and the losses."""
    from ..logistic import LogisticRegression

    with warnings.catch_warnings():  # stopping at max_iter is intended here
        warnings.simplefilter("ignore", RuntimeWarning)
        model = LogisticRegression(solver="gd", learning_rate=learning_rate, max_iter=max_iter,
                                   tol=0.0).fit(LOGISTIC_EXAMPLE_X, LOGISTIC_EXAMPLE_Y)
    return model.coef_path_, model.intercept_path_, model.loss_curve_


@lru_cache(maxsize=1)
def _mle():
    from ..logistic import LogisticRegression

    model = LogisticRegression().fit(LOGISTIC_EXAMPLE_X, LOGISTIC_EXAMPLE_Y)
    return model.coef_, model.intercept_, model.loss_curve_[-1]


def _training_params(iteration: object, learning_rate: object) -> tuple[int, float]:
    iteration = check_int(iteration, "iteration", minimum=0)
    if iteration > 500:
        raise ValueError(f"iteration must be <= 500, got {iteration}")
    lr = check_scalar(learning_rate, "learning_rate")
    if not 0 < lr <= 50:
        raise ValueError(f"learning_rate must be in (0, 50], got {lr}")
    return iteration, lr


def _training_background(ax: Axes, iteration: int = 0, learning_rate: float = 1.0) -> Axes:
    """The window, ticks and axis labels: the probability map fills the rest."""
    check_axes(ax)
    _training_params(iteration, learning_rate)
    _boundary_frame(ax, LOGISTIC_EXAMPLE_X)
    # The legend goes to the right of the map, where the map cannot cover it: then it is
    # drawn once, not on every update (it would cost more than the rest of an update).
    ax.set_position([0.085, 0.11, 0.665, 0.77])
    # The minimum of the loss is fixed too: with the MLE, not in the moving title (every
    # glyph of a moving text is rendered again on each update).
    ax.legend(handles=[Line2D([], [], **_REFERENCE),
                       *(Line2D([], [], **_MARKER, **_CLASS_STYLE[c]) for c in (1, 0))],
              labels=[f"MLE boundary\n(min J = {_mle()[2]:.4f})",
                      *(_CLASS_STYLE[c]["label"] for c in (1, 0))],
              loc="lower left", bbox_to_anchor=(1.02, 0.0), fontsize=8)
    return ax


def _training_foreground(ax: Axes, iteration: int = 0, learning_rate: float = 1.0) -> list:
    """The probability map after ``iteration`` steps, the data, the legend and the title."""
    iteration, lr = _training_params(iteration, learning_rate)
    W, B, J = _gd_path(lr, 500)
    w_mle, b_mle, _ = _mle()
    X, y = LOGISTIC_EXAMPLE_X, LOGISTIC_EXAMPLE_Y
    m = X.shape[0]
    acc = np.mean(((X @ W[iteration] + B[iteration]) > 0) == y)
    window = (X.min(axis=0) - 0.8, X.max(axis=0) + 0.8)
    moving = _boundary_artists(ax, X, y, W[iteration], float(B[iteration]), window,
                               (w_mle, b_mle), legend=False)
    title = moving_title(ax, f"GD, α = {lr:g}, iteration {iteration}: J = {J[iteration]:.4f}, "
                             f"accuracy {acc * m:.0f}/{m}", fontsize=10)
    moving.append(title)
    return moving


#: :func:`draw_logistic_training` in layers: the probability map covers the whole axes, so
#: the background is the frame (ticks, labels), the same for every iteration and rate.
LOGISTIC_TRAINING_LAYERS = Layers(_training_background, _training_foreground,
                                  key=lambda **_: None)


def draw_logistic_training(ax: Axes, iteration: int = 0, learning_rate: float = 1.0) -> None:
    """Batch gradient descent on :data:`LOGISTIC_EXAMPLE_X` after ``iteration`` steps.

    The model :math:`\\theta \\leftarrow \\theta + \\alpha\\,\\frac1m\\sum_i (y^{(i)} -
    h_\\theta(x^{(i)}))\\,x^{(i)}` (the batch form of Eq. (2.17)) started at 0 with learning
    rate :math:`\\alpha` = ``learning_rate``, drawn as :func:`draw_logistic_boundary` draws it
    with the maximum-likelihood boundary (Newton's method) dotted for reference. The paths
    are cached.

    Parameters
    ----------
    iteration : int
        0 ... 500.
    learning_rate : float
        :math:`\\alpha > 0`, at most 50.
    """
    LOGISTIC_TRAINING_LAYERS(ax, iteration=iteration, learning_rate=learning_rate)
