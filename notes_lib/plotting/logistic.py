"""Drawings for section 2.3: logistic regression's probability map and decision boundary."""

from __future__ import annotations

import warnings
from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes

from .._validation import as_float_array, check_int, check_scalar
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
    from ..logistic import _check_labels, sigmoid

    check_axes(ax)
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
    b = check_scalar(intercept, "intercept")
    ax.clear()
    lo, hi = X.min(axis=0) - 0.8, X.max(axis=0) + 0.8
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], 90), np.linspace(lo[1], hi[1], 90))
    P = sigmoid(w[0] * g0 + w[1] * g1 + b)
    ax.contourf(g0, g1, P, levels=np.linspace(0, 1, 11), cmap="PuOr", alpha=0.45,
                vmin=-0.1, vmax=1.1)
    if np.ptp(P) > 0.1:
        lines = ax.contour(g0, g1, P, levels=[0.1, 0.5, 0.9], colors="k",
                           linestyles=["--", "-", "--"], linewidths=[1, 2, 1])
        ax.clabel(lines, fmt={0.1: "P=0.1", 0.5: "P=0.5", 0.9: "P=0.9"}, fontsize=7)
    if reference is not None:
        rw, rb = as_float_array(reference[0], "reference", ndim=1), float(reference[1])
        xs = np.linspace(lo[0], hi[0], 2)
        if rw[1] != 0:
            ax.plot(xs, -(rw[0] * xs + rb) / rw[1], ":", color="0.3", lw=1.5,
                    label="MLE boundary")
    pos, neg = y == 1, y == 0
    ax.scatter(X[pos, 0], X[pos, 1], s=22, marker="o", color="#0072B2", edgecolors="white",
               linewidths=0.5, label="$y=1$", zorder=3)
    ax.scatter(X[neg, 0], X[neg, 1], s=22, marker="s", color="#E69F00", edgecolors="white",
               linewidths=0.5, label="$y=0$", zorder=3)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title is not None:
        ax.set_title(title, fontsize=10)
    ax.legend(loc="lower right", fontsize=8)


@lru_cache(maxsize=32)
def _gd_path(learning_rate: float, max_iter: int):
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


def draw_logistic_training(ax: Axes, iteration: int = 0, learning_rate: float = 1.0) -> None:
    """Batch gradient descent on :data:`LOGISTIC_EXAMPLE_X` after ``iteration`` steps.

    The model :math:`\\theta \\leftarrow \\theta + \\alpha\\,\\frac1m\\sum_i (y^{(i)} -
    h_\\theta(x^{(i)}))\\,x^{(i)}` (the batch form of Eq. (2.17)) started at 0 with learning
    rate :math:`\\alpha` = ``learning_rate``, drawn by :func:`draw_logistic_boundary` with the
    maximum-likelihood boundary (Newton's method) dotted for reference. The paths are cached.

    Parameters
    ----------
    iteration : int
        0 ... 500.
    learning_rate : float
        :math:`\\alpha > 0`, at most 50.
    """
    check_axes(ax)
    iteration = check_int(iteration, "iteration", minimum=0)
    if iteration > 500:
        raise ValueError(f"iteration must be <= 500, got {iteration}")
    lr = check_scalar(learning_rate, "learning_rate")
    if not 0 < lr <= 50:
        raise ValueError(f"learning_rate must be in (0, 50], got {lr}")
    W, B, J = _gd_path(lr, 500)
    w_mle, b_mle, J_mle = _mle()
    m = LOGISTIC_EXAMPLE_X[:, 0].size
    acc = np.mean(((LOGISTIC_EXAMPLE_X @ W[iteration] + B[iteration]) > 0)
                  == LOGISTIC_EXAMPLE_Y)
    draw_logistic_boundary(
        ax, LOGISTIC_EXAMPLE_X, LOGISTIC_EXAMPLE_Y, W[iteration], B[iteration],
        reference=(w_mle, b_mle),
        title=(f"GD, α = {lr:g}, iteration {iteration}: "
               f"J = {J[iteration]:.4f} (min {J_mle:.4f}), accuracy {acc * m:.0f}/{m}"))
