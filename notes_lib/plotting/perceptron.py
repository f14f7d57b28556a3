"""Drawings for section 2.6: the perceptron's updates."""

from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from .._validation import as_float_array, check_int
from ._layers import Layers, moving_title
from ._style import check_axes

#: Li Hang's worked example of the perceptron (Statistical Learning Methods, Example 2.1).
PERCEPTRON_EXAMPLE_X = np.array([[3.0, 3.0], [4.0, 3.0], [1.0, 1.0]])
PERCEPTRON_EXAMPLE_Y = np.array([1.0, 1.0, -1.0])


@lru_cache(maxsize=8)
def _fit(X: bytes, y: bytes, eta: float):
    from ..perceptron import Perceptron

    return Perceptron(eta=eta).fit(np.frombuffer(X).reshape(-1, 2), np.frombuffer(y))


def _perceptron_problem(X: object, y: object, eta: float):
    """The validated examples, labels and the perceptron fitted on them (cached)."""
    X = PERCEPTRON_EXAMPLE_X if X is None else as_float_array(X, "X", ndim=2)
    y = PERCEPTRON_EXAMPLE_Y if y is None else as_float_array(y, "y", ndim=1)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns to be drawn, got {X.shape[1]}")
    if isinstance(eta, int | float) and not isinstance(eta, bool) and y.shape == X.shape[:1]:
        model = _fit(np.ascontiguousarray(X).tobytes(), np.ascontiguousarray(y).tobytes(),
                     float(eta))
    else:  # not cacheable as given: the estimator validates and explains
        from ..perceptron import Perceptron

        model = Perceptron(eta=eta).fit(X, y)
    return X, y, model


def _perceptron_key(step: int = 0, X: object = None, y: object = None, eta: float = 1.0):
    """The examples and the learning rate: the background depends on nothing else."""
    arrays = (None if X is None else as_float_array(X, "X", ndim=2),
              None if y is None else as_float_array(y, "y", ndim=1))
    return (*(None if a is None else (a.shape, a.tobytes()) for a in arrays), eta)


def _perceptron_background(ax: Axes, step: int = 0, X: object = None, y: object = None,
                           eta: float = 1.0):
    """The examples, the window, the axis labels and the legend."""
    check_axes(ax)
    X, y, model = _perceptron_problem(X, y, eta)
    ax.clear()
    lo = X.min(axis=0) - 1.5
    hi = X.max(axis=0) + 1.5
    pos, neg = y > 0, y < 0
    ax.scatter(X[pos, 0], X[pos, 1], s=70, marker="o", color="#0072B2", label="$y=+1$", zorder=3)
    ax.scatter(X[neg, 0], X[neg, 1], s=70, marker="s", color="#E69F00", label="$y=-1$", zorder=3)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("$x^{(1)}$")
    ax.set_ylabel("$x^{(2)}$")
    # A fixed legend (a moving one costs more than the rest of an update); which example
    # caused the update is in the title.
    ax.legend(handles=[*ax.collections,
                       Line2D([], [], marker="o", ms=12, ls="none", mfc="none", mec="#D55E00",
                              mew=2),
                       Line2D([], [], color="#009E73", lw=2)],
              labels=["$y=+1$", "$y=-1$", "last mistake", "$w^Tx+b=0$"],
              loc="lower right", fontsize=8)
    return ax, X, model, lo, hi


def _perceptron_foreground(context, step: int = 0, X: object = None, y: object = None,
                           eta: float = 1.0) -> list:
    """The line after ``step`` updates, its normal vector, the ringed mistake, the title."""
    ax, X, model, lo, hi = context
    step = check_int(step, "step", minimum=0)
    if step > model.n_updates_:
        raise ValueError(f"step must be <= {model.n_updates_} (the number of updates), got {step}")
    if step == 0:
        w, b, index = np.zeros(2), 0.0, None
    else:
        index, w, b = model.history_[step - 1]
    moving = []
    if index is not None:
        moving.append(ax.scatter(X[index, 0], X[index, 1], s=320, facecolors="none",
                                 edgecolors="#D55E00", lw=2, zorder=4,
                                 label=f"mistake on x{index + 1}"))
    xs = np.linspace(lo[0], hi[0], 2)
    if w[1] != 0:
        moving += ax.plot(xs, -(w[0] * xs + b) / w[1], color="#009E73", lw=2,
                          label="$w^Tx+b=0$")
    elif w[0] != 0:
        moving.append(ax.axvline(-b / w[0], color="#009E73", lw=2, label="$w^Tx+b=0$"))
    if np.any(w != 0):
        # normal vector w from the point of the line closest to the centre of the data
        c = X.mean(axis=0)
        p = c - (w @ c + b) / (w @ w) * w
        u = w / np.linalg.norm(w)
        moving.append(ax.annotate("", xy=p + u, xytext=p,
                                  arrowprops={"arrowstyle": "->", "color": "#009E73",
                                              "lw": 1.5}))
    cause = "no line yet" if index is None else f"mistake on x{chr(0x2080 + index + 1)}"
    moving.append(moving_title(ax, f"update {step} of {model.n_updates_}: w = ({w[0]:g}, "
                                   f"{w[1]:g}), b = {b:g} ({cause})"))
    return moving


#: :func:`draw_perceptron_step` in layers: the examples are drawn once, the line moves.
PERCEPTRON_LAYERS = Layers(_perceptron_background, _perceptron_foreground,
                           key=_perceptron_key)


def draw_perceptron_step(ax: Axes, step: int = 0, X: object = None, y: object = None,
                         eta: float = 1.0) -> None:
    """The perceptron (Eq. (2.39)) after ``step`` updates, on 2-D data.

    Draws the examples (+1 as blue circles, -1 as orange squares), the line
    :math:`\\vec w^T \\vec x + b = 0` after ``step`` updates with its normal vector
    :math:`\\vec w`, and rings the example whose mistake caused the last update.

    Parameters
    ----------
    ax : matplotlib Axes
        Cleared and redrawn.
    step : int
        Number of updates done, 0 ... ``n_updates_`` of the fitted perceptron.
    X, y : array-like, optional
        2-D examples and labels in {-1, +1}; default Li Hang's example
        :data:`PERCEPTRON_EXAMPLE_X`, :data:`PERCEPTRON_EXAMPLE_Y`.
    eta : float
        Learning rate.
    """
    PERCEPTRON_LAYERS(ax, step=step, X=X, y=y, eta=eta)
