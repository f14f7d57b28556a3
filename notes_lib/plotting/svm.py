"""Drawings for section 2.7: the SVM's hyperplane, margins and support vectors (Figure 2.3)."""

from __future__ import annotations

from functools import lru_cache

import matplotlib as mpl
import numpy as np
from contourpy import contour_generator
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap, Normalize
from matplotlib.image import AxesImage

from .._validation import as_float_array, check_int, check_scalar
from ._layers import Layers, moving_title
from ._style import check_axes

#: the book's widget grid of (C, gamma): every value the live sliders and static frames offer
SVM_C_GRID = (0.1, 1.0, 10.0, 1000.0)
SVM_GAMMA_GRID = (0.3, 1.0, 3.0, 10.0)

_POS, _NEG, _LINE = "#0072B2", "#E69F00", "#009E73"
_FIELD_CMAP = ListedColormap(["#FBE8C4", "#CDE3F2"])


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
    ax.pcolormesh(xs, ys, (Z > 0).astype(float), cmap=_FIELD_CMAP,
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


def _check_rbf(C: object, gamma: object) -> tuple[float, float]:
    return (check_scalar(C, "C", minimum=0, exclusive=True),
            check_scalar(gamma, "gamma", minimum=0, exclusive=True))


def _rbf_background(ax: Axes, C: float = 1.0, gamma: float = 1.0) -> tuple:
    """What :func:`draw_svm_rbf` draws for every (C, gamma): the fixed limits and ticks, the
    axis labels and the legend (its handles are empty proxies).

    The shaded regions of the foreground cover the whole axes, and a live control draws
    the foreground over the background: so the points, the grid and the spines, which
    must show above the shading, are drawn with the foreground. Returns the axes, the grid
    segments and the place and style of each visible spine (hidden here)."""
    check_axes(ax)
    X, _ = svm_example_data()
    lo, hi = _limits(X)
    ax.clear()
    ax.scatter([], [], s=36, marker="o", color=_POS, label="y = +1")
    ax.scatter([], [], s=36, marker="s", color=_NEG, label="y = −1")
    ax.scatter([], [], s=140, facecolors="none", edgecolors="k", lw=1.2,
               label="support vectors")
    ax.plot([], [], color=_LINE, lw=2, label="f(x) = 0")
    ax.plot([], [], color=_LINE, lw=1.2, ls="--", label="f(x) = ±1")
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("x⁽¹⁾")
    ax.set_ylabel("x⁽²⁾")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)
    ax.figure.subplots_adjust(left=0.08, right=0.7)  # room for the legend in a fixed-size PNG
    # the ticks the axes would choose, fixed so that the grid drawn by the foreground
    # runs through them
    ax.apply_aspect()
    xticks = [t for t in ax.get_xticks() if lo[0] <= t <= hi[0]]
    yticks = [t for t in ax.get_yticks() if lo[1] <= t <= hi[1]]
    ax.set_xticks(xticks)
    ax.set_yticks(yticks)
    grid = []
    if mpl.rcParams["axes.grid"]:
        grid = ([[(x, lo[1]), (x, hi[1])] for x in xticks]
                + [[(lo[0], y), (hi[0], y)] for y in yticks])
    ax.grid(False)
    spines = []
    for name, spine in ax.spines.items():
        if spine.get_visible():
            spines.append((_SPINE_ENDS[name], spine.get_linewidth(), spine.get_edgecolor(),
                           spine.get_capstyle()))
            spine.set_visible(False)
    return ax, grid, spines


#: each spine at its place on the axes (axes coordinates): where a spine 'outward' by 0 is
_SPINE_ENDS = {"left": ((0, 0), (0, 1)), "right": ((1, 1), (0, 1)),
               "bottom": ((0, 1), (0, 0)), "top": ((0, 1), (1, 1))}


@lru_cache(maxsize=64)
def _rbf_drawing(C: float, gamma: float) -> tuple:
    """What the foreground of :func:`draw_svm_rbf` draws for (C, gamma), computed once:
    the sides of f = 0 as an image and its extent, the lines f = 0 and f = ±1 as segments
    (contourpy, as ``ax.contour`` traces them, without building a ContourSet per draw),
    the support vectors and the training accuracy."""
    xs, ys, Z, support, acc, _ = _rbf_fit(C, gamma, 80)
    dx, dy = xs[1] - xs[0], ys[1] - ys[0]
    extent = (xs[0] - dx / 2, xs[-1] + dx / 2, ys[0] - dy / 2, ys[-1] + dy / 2)
    trace = contour_generator(xs, ys, Z, line_type="Separate")
    zero = trace.lines(0.0)
    margins = trace.lines(-1.0) + trace.lines(1.0)
    return (Z > 0).astype(float), extent, zero, margins, support, acc


def _rbf_foreground(context: tuple, C: float = 1.0, gamma: float = 1.0) -> list:
    """The fit for (C, gamma): shaded sides of f = 0, the lines f = 0 and f = ±1, the
    points, the ringed support vectors and the title; and the grid and spines over the
    shading (see :func:`_rbf_background`)."""
    C, gamma = _check_rbf(C, gamma)
    ax, grid, spines = context
    sides, extent, zero, margins, support, acc = _rbf_drawing(C, gamma)
    X, y = svm_example_data()
    # One pixel per grid point, as pcolormesh(shading="auto") draws them, but an image is
    # resampled in one pass where a mesh draws 6400 quadrilaterals.
    field = AxesImage(ax, cmap=_FIELD_CMAP, norm=Normalize(0.0, 1.0), interpolation="nearest",
                      origin="lower", zorder=0)
    field.set_data(sides)
    field.set_extent(extent)
    ax.add_image(field)
    moving: list = [field]
    if grid:  # where the axes draw their grid: over the shading, under the rest
        moving.append(ax.add_collection(LineCollection(
            grid, colors=mpl.rcParams["grid.color"], linewidths=mpl.rcParams["grid.linewidth"],
            linestyles=mpl.rcParams["grid.linestyle"], alpha=mpl.rcParams["grid.alpha"],
            zorder=0.5), autolim=False))
    for (xs, ys), width, colour, cap in spines:
        moving += ax.plot(xs, ys, transform=ax.transAxes, lw=width, color=colour,
                          solid_capstyle=cap, clip_on=False, zorder=2.5)
    for segments, width, style in ((zero, 2.0, "-"), (margins, 1.2, "--")):
        lines = LineCollection(segments, colors=_LINE, linewidths=width, linestyles=style,
                               zorder=1)
        moving.append(ax.add_collection(lines, autolim=False))
    # The markers of scatter(s=36) and scatter(s=140, lw=1.2) as lines, which matplotlib
    # builds four times faster (a scatter's filled markers have a patch.linewidth edge)
    pos, neg = y > 0, y < 0
    edge = mpl.rcParams["patch.linewidth"]
    moving += ax.plot(X[pos, 0], X[pos, 1], ls="none", marker="o", ms=6, mew=edge,
                      color=_POS, zorder=3, snap=False)
    moving += ax.plot(X[neg, 0], X[neg, 1], ls="none", marker="s", ms=6, mew=edge,
                      color=_NEG, zorder=3, snap=False)
    if support.size:
        moving += ax.plot(X[support, 0], X[support, 1], ls="none", marker="o",
                          ms=np.sqrt(140), mew=1.2, mfc="none", mec="k", zorder=4, snap=False)
    title = moving_title(ax, f"RBF, C = {C:g}, gamma = {gamma:g}: {support.size} SVs, "
                             f"training accuracy {acc:.2f}", fontsize=10)
    moving.append(title)
    return moving


#: :func:`draw_svm_rbf` in layers: the axes and the legend are drawn once, the fit for
#: each (C, gamma) over them.
SVM_RBF_LAYERS = Layers(_rbf_background, _rbf_foreground, key=lambda **_: None)


def draw_svm_rbf(ax: Axes, C: float = 1.0, gamma: float = 1.0) -> None:
    """RBF-kernel SVM on :func:`svm_example_data` for box constraint ``C`` and ``gamma``.

    The fit and the decision values on the grid are cached per ``(C, gamma)``
    (``functools.lru_cache``), so a redraw only draws. Shows the decision boundary, the
    margins :math:`f = \\pm 1` and the ringed support vectors; the title gives the number of
    support vectors and the training accuracy. Drawn in two layers
    (:data:`SVM_RBF_LAYERS`): a live control redraws only the fit over the axes and legend.
    """
    check_axes(ax)
    _check_rbf(C, gamma)
    SVM_RBF_LAYERS(ax, C=C, gamma=gamma)
