"""Drawings for section 2.7: the SVM's hyperplane, margins and support vectors (Figure 2.3)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap

from .._validation import as_float_array, check_int, check_scalar
from ._style import check_axes

#: the book's widget grid of (C, gamma): every value the live sliders and static frames offer
SVM_C_GRID = (0.1, 1.0, 10.0, 1000.0)
SVM_GAMMA_GRID = (0.3, 1.0, 3.0, 10.0)

_POS, _NEG, _LINE = "#0072B2", "#E69F00", "#009E73"


def svm_example_data(n: int = 80, noise: float = 0.25, seed: int = 0) -> tuple[np.ndarray,
                                                                               np.ndarray]:
    """Two interleaving half moons in the plane, labels in {-1, +1} (seeded, NumPy only).

    ``n // 2`` points on each moon plus Gaussian noise of standard deviation ``noise``.
    """
    n = check_int(n, "n", minimum=4)
    noise = check_scalar(noise, "noise", minimum=0)
    seed = check_int(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    h = n // 2
    t_out = np.linspace(0, np.pi, h)
    t_in = np.linspace(0, np.pi, n - h)
    outer = np.column_stack([np.cos(t_out), np.sin(t_out)])
    inner = np.column_stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)])
    X = np.vstack([outer, inner]) + noise * rng.normal(size=(n, 2))
    y = np.concatenate([np.ones(h), -np.ones(n - h)])
    return X, y


def _limits(X: np.ndarray, pad: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    return X.min(axis=0) - pad, X.max(axis=0) + pad


def _draw_field(ax: Axes, xs: np.ndarray, ys: np.ndarray, Z: np.ndarray, X: np.ndarray,
                y: np.ndarray, support: np.ndarray, margins: bool) -> None:
    """Shaded sides of f = 0, the lines f = 0 and f = +-1, the points and ringed SVs.

    Labels are plain Unicode, not mathtext: parsing mathtext dominated a widget redraw."""
    ax.pcolormesh(xs, ys, (Z > 0).astype(float), cmap=ListedColormap(["#FBE8C4", "#CDE3F2"]),
                  shading="auto", rasterized=True, zorder=0)
    ax.contour(xs, ys, Z, levels=[0.0], colors=[_LINE], linewidths=2, zorder=1)
    if margins:
        ax.contour(xs, ys, Z, levels=[-1.0, 1.0], colors=[_LINE], linewidths=1.2,
                   linestyles="--", zorder=1)
    pos, neg = y > 0, y < 0
    ax.scatter(X[pos, 0], X[pos, 1], s=36, marker="o", color=_POS, label="y = +1", zorder=3)
    ax.scatter(X[neg, 0], X[neg, 1], s=36, marker="s", color=_NEG, label="y = −1", zorder=3)
    if support.size:
        ax.scatter(X[support, 0], X[support, 1], s=140, facecolors="none", edgecolors="k",
                   lw=1.2, zorder=4, label=f"support vectors ({support.size})")
    # proxies for the legend (contour sets have no legend entries)
    ax.plot([], [], color=_LINE, lw=2, label="f(x) = 0")
    if margins:
        ax.plot([], [], color=_LINE, lw=1.2, ls="--", label="f(x) = ±1")


def draw_svm(ax: Axes, model: object, X: object, y: object, *, resolution: int = 150,
             margins: bool = True, annotate: bool = True, legend: bool = True) -> None:
    """A fitted :class:`notes_lib.svm.SVC` on 2-D data: Figure 2.3 of the notes, redrawn.

    Shades the two half-spaces (or regions, for a nonlinear kernel) of
    :math:`f(\\vec x) = \\sum_i \\alpha_i y_i K(\\vec x_i, \\vec x) + b`, draws the decision
    boundary :math:`f = 0` (Eq. (2.42)), the margins :math:`f = \\pm 1`, the examples (+1 blue
    circles, -1 orange squares) and rings the support vectors. With a linear kernel and
    ``annotate``, also draws :math:`\\vec w` and the margin width :math:`2/\\|\\vec w\\|`.

    Parameters
    ----------
    ax : matplotlib Axes
        Cleared and redrawn.
    model : notes_lib.svm.SVC
        Fitted on ``X``, ``y``.
    X : array-like of shape (n, 2)
    y : array-like of shape (n,)
        Labels; ``model.classes_[1]`` is drawn as +1.
    resolution : int
        Grid points per axis for the contours.
    margins, annotate, legend : bool
        Draw the margins :math:`f = \\pm1`; annotate :math:`\\vec w` (linear kernel only);
        draw the legend (right of the axes).
    """
    check_axes(ax)
    if not hasattr(model, "support_") or not hasattr(model, "decision_function"):
        raise TypeError("model must be a fitted notes_lib.svm.SVC")
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns to be drawn, got {X.shape[1]}")
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
    y_pm = np.where(y == model.classes_[1], 1.0, -1.0)
    resolution = check_int(resolution, "resolution", minimum=10)
    lo, hi = _limits(X)
    xs = np.linspace(lo[0], hi[0], resolution)
    ys = np.linspace(lo[1], hi[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    Z = model.decision_function(np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    ax.clear()
    _draw_field(ax, xs, ys, Z, X, y_pm, np.asarray(model.support_), margins)
    title = f"{model.kernel} kernel, C = {model.C:g}"
    if model.kernel == "linear" and annotate:
        w, b = model.coef_[0], float(model.intercept_[0])
        norm = float(np.linalg.norm(w))
        if norm > 0:
            c = X.mean(axis=0)
            p = c - (w @ c + b) / (w @ w) * w  # foot of the centre on f = 0
            u = w / norm
            ax.annotate("", xy=p + u / norm, xytext=p,
                        arrowprops={"arrowstyle": "->", "color": "k", "lw": 1.5})
            ax.annotate("", xy=p + u / norm, xytext=p - u / norm,
                        arrowprops={"arrowstyle": "<->", "color": "#CC79A7", "lw": 1.2,
                                    "shrinkA": 0, "shrinkB": 0})
            ax.text(*(p - 0.5 * u / norm), "  2/‖w‖", color="#CC79A7", fontsize=9)
            title += f": margin 2/||w|| = {2 / norm:.3g}"
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("x⁽¹⁾")
    ax.set_ylabel("x⁽²⁾")
    ax.set_title(title)
    if legend:
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)


@lru_cache(maxsize=64)
def _rbf_fit(C: float, gamma: float, resolution: int) -> tuple:
    """Fit once per (C, gamma) on :func:`svm_example_data`; the widget only redraws."""
    from ..svm import SVC

    X, y = svm_example_data()
    model = SVC(C=C, kernel="rbf", gamma=gamma, tol=1e-3).fit(X, y)
    lo, hi = _limits(X)
    xs = np.linspace(lo[0], hi[0], resolution)
    ys = np.linspace(lo[1], hi[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    Z = model.decision_function(np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    acc = model.score(X, y)
    for arr in (xs, ys, Z):
        arr.flags.writeable = False
    return xs, ys, Z, model.support_.copy(), acc, model.n_iter_


def draw_svm_rbf(ax: Axes, C: float = 1.0, gamma: float = 1.0) -> None:
    """RBF-kernel SVM on :func:`svm_example_data` for box constraint ``C`` and ``gamma``.

    The fit and the decision values on the grid are cached per ``(C, gamma)``
    (``functools.lru_cache``), so a redraw only draws. Shows the decision boundary, the
    margins :math:`f = \\pm 1` and the ringed support vectors; the title gives the number of
    support vectors and the training accuracy.
    """
    check_axes(ax)
    C = check_scalar(C, "C", minimum=0, exclusive=True)
    gamma = check_scalar(gamma, "gamma", minimum=0, exclusive=True)
    xs, ys, Z, support, acc, _ = _rbf_fit(C, gamma, 80)
    X, y = svm_example_data()
    ax.clear()
    _draw_field(ax, xs, ys, Z, X, y, support, True)
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("x⁽¹⁾")
    ax.set_ylabel("x⁽²⁾")
    ax.set_title(f"RBF, C = {C:g}, gamma = {gamma:g}: {support.size} SVs, "
                 f"training accuracy {acc:.2f}", fontsize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)
    ax.figure.subplots_adjust(left=0.08, right=0.7)  # room for the legend in a fixed-size PNG
