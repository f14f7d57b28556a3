"""Drawings for section 2.13 (the notes' "Todo: Random forest"): decision regions of trees
and forests on two-dimensional data."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap

from .._validation import as_float_array, check_int
from ._layers import Layers, moving_title
from ._style import check_axes

#: Blue (class 0) to orange (class 1) through white, the book's Okabe-Ito colours.
PROBA_CMAP = LinearSegmentedColormap.from_list("blue_white_orange",
                                               ["#0072B2", "#FFFFFF", "#E69F00"])

#: The forest of the widget: 100 trees on the two-moons data of :func:`forest_example_data`.
FOREST_WIDGET_TREES = 100
_GRID = 110


def forest_example_data() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Two noisy interleaved half-moons (noise 0.4): 300 training and 1000 test points (seeded).

    Returns ``X_train, y_train, X_test, y_test`` with labels in {0, 1}.
    """
    rng = np.random.default_rng(0)

    def moons(n: int) -> tuple[np.ndarray, np.ndarray]:
        y = rng.integers(0, 2, n)
        angle = rng.uniform(0, np.pi, n)
        X = np.where(y[:, None] == 0,
                     np.column_stack([np.cos(angle), np.sin(angle)]),
                     np.column_stack([1 - np.cos(angle), 0.5 - np.sin(angle)]))
        return X + rng.normal(scale=0.4, size=(n, 2)), y

    X_train, y_train = moons(300)
    X_test, y_test = moons(1000)
    return X_train, y_train, X_test, y_test


def _limits(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return X.min(axis=0) - 0.4, X.max(axis=0) + 0.4


def _grid(lo: np.ndarray, hi: np.ndarray, size: int = _GRID) -> np.ndarray:
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], size), np.linspace(lo[1], hi[1], size))
    return np.column_stack([gx.ravel(), gy.ravel()])


def draw_decision_regions(ax: Axes, model: object, X: object, y: object, *,
                          title: str | None = None, X_test: object = None,
                          y_test: object = None) -> None:
    """Class-1 probability of a fitted binary classifier over the plane, with the data.

    Parameters
    ----------
    ax : matplotlib Axes
        Cleared and redrawn.
    model : object with ``predict_proba``
        A fitted classifier of two features and two classes.
    X, y : array-like
        The training points (n, 2) and labels in {0, 1}, drawn as circles/squares.
    title : str, optional
        Axes title; the training (and test) accuracy is appended.
    X_test, y_test : array-like, optional
        Held-out data, used only for the accuracy in the title.
    """
    check_axes(ax)
    if not hasattr(model, "predict_proba"):
        raise TypeError(f"model must have predict_proba, got {type(model).__name__}")
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns to be drawn, got {X.shape[1]}")
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"y must have one label per row of X, got {y.shape[0]} for {X.shape[0]}")
    lo, hi = _limits(X)
    proba = np.asarray(model.predict_proba(_grid(lo, hi)))[:, 1]
    acc = float(np.mean((np.asarray(model.predict_proba(X))[:, 1] > 0.5) == (y == 1)))
    label = f"train acc {acc:.2f}"
    if X_test is not None:
        X_test = as_float_array(X_test, "X_test", ndim=2)
        y_test = as_float_array(y_test, "y_test", ndim=1)
        test = float(np.mean((np.asarray(model.predict_proba(X_test))[:, 1] > 0.5)
                             == (y_test == 1)))
        label += f", test acc {test:.2f}"
    _draw(ax, proba, X, y, lo, hi, f"{title}: {label}" if title else label)


def _draw(ax: Axes, proba: np.ndarray, X: np.ndarray, y: np.ndarray, lo: np.ndarray,
          hi: np.ndarray, title: str) -> None:
    _regions_foreground(_regions_background(ax, lo, hi), proba, X, y, lo, hi, title)


def _regions_background(ax: Axes, lo: np.ndarray, hi: np.ndarray) -> Axes:
    """Limits and axis labels: the probability field covers the rest (no grid: it would lie
    over the field, which a live update draws over the axes)."""
    ax.clear()
    ax.grid(False)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel("$x^{(1)}$")
    ax.set_ylabel("$x^{(2)}$")
    return ax


def _regions_foreground(ax: Axes, proba: np.ndarray, X: np.ndarray, y: np.ndarray,
                        lo: np.ndarray, hi: np.ndarray, title: str) -> list:
    """The probability field, its 0.5 contour, the points, the title and the legend."""
    from contourpy import contour_generator

    field = proba.reshape(_GRID, _GRID)
    moving = [ax.imshow(field, origin="lower", extent=(lo[0], hi[0], lo[1], hi[1]),
                        cmap=PROBA_CMAP, vmin=0, vmax=1, aspect="auto",
                        interpolation="nearest")]
    # The boundary as ``ax.contour`` traces it, without building a ContourSet per update.
    trace = contour_generator(_axis_grid(lo[0], hi[0]), _axis_grid(lo[1], hi[1]), field,
                              line_type="Separate")
    moving.append(ax.add_collection(LineCollection(trace.lines(0.5), colors="k",
                                                   linewidths=1, zorder=2), autolim=False))
    zero, one = y == 0, y == 1
    # Markers of a line draw faster than a scatter's collection (one path, stamped).
    moving += ax.plot(X[zero, 0], X[zero, 1], "o", ms=14 ** 0.5, color="#0072B2", mec="k",
                      mew=0.4, label="class 0")
    moving += ax.plot(X[one, 0], X[one, 1], "s", ms=14 ** 0.5, color="#E69F00", mec="k",
                      mew=0.4, label="class 1")
    moving.append(moving_title(ax, title, fontsize=10))
    moving.append(ax.legend(loc="lower left", fontsize=8))
    return moving


def _axis_grid(lo: float, hi: float) -> np.ndarray:
    return np.linspace(lo, hi, _GRID)


@lru_cache(maxsize=1)
def _full_forest() -> tuple[object, np.ndarray]:
    """The widget's forest, fully grown (fitted once), and the points it is evaluated on:
    the grid, the training points, the test points."""
    from ..trees import RandomForestClassifier

    X, y, X_test, _ = forest_example_data()
    forest = RandomForestClassifier(n_estimators=FOREST_WIDGET_TREES, max_depth=None,
                                    rng=np.random.default_rng(1)).fit(X, y)
    lo, hi = _limits(X)
    return forest, np.vstack([_grid(lo, hi), X, X_test])


@lru_cache(maxsize=8)
def _forest_fields(max_depth: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cumulative per-tree class-1 probabilities on the grid, the training points and the
    test points, shape (n_trees, n_points) each, of the widget's forest with its trees cut
    at ``max_depth`` (one fully grown forest is fitted for all depths)."""
    from ..trees import _apply_flat

    forest, points = _full_forest()
    if max_depth is None:
        proba = forest.tree_proba(points)[:, :, 1]
    else:
        # Walking at most max_depth levels cuts every tree there: trees grow breadth first,
        # so the node reached is the leaf of the tree grown with that depth limit on the
        # same bootstrap sample and random features.
        start = np.broadcast_to(forest._offsets[:, None], (len(forest.estimators_),
                                                           points.shape[0]))
        leaves = _apply_flat(forest._left, forest._right, forest._feature, forest._threshold,
                             start, points, max_depth)
        proba = forest._value[leaves, 1]
    cum = np.cumsum(proba, axis=0)
    n_grid = _GRID * _GRID
    n_train = len(forest_example_data()[0])
    return cum[:, :n_grid], cum[:, n_grid:n_grid + n_train], cum[:, n_grid + n_train:]


def draw_forest_regions(ax: Axes, n_trees: int = 1, max_depth: int | None = None) -> None:
    """Decision regions of a random forest of the first ``n_trees`` trees, on two moons.

    The forest of :data:`FOREST_WIDGET_TREES` trees is grown fully once (cached); a
    ``max_depth`` cuts every tree at that depth (the tree that growing it with that depth
    limit on the same bootstrap sample gives). Each call only averages the first
    ``n_trees`` trees' stored grid probabilities and draws. The colour is the forest's
    :math:`P(y = 1 \\mid x)`, the black line its decision boundary 0.5.

    Parameters
    ----------
    ax : matplotlib Axes
    n_trees : int
        1 ... :data:`FOREST_WIDGET_TREES`.
    max_depth : int or None
        Depth limit of every tree (>= 1); ``None`` grows them fully.
    """
    FOREST_LAYERS(ax, n_trees=n_trees, max_depth=max_depth)


_example_data = lru_cache(maxsize=1)(forest_example_data)


def _forest_background(ax: Axes, n_trees: int = 1, max_depth: int | None = None) -> Axes:
    """The axes of the two-moons plane: the same for every forest."""
    check_axes(ax)
    X = _example_data()[0]
    return _regions_background(ax, *_limits(X))


def _forest_foreground(ax: Axes, n_trees: int = 1, max_depth: int | None = None) -> list:
    """The forest's probability field, boundary, the points, the accuracies in the title."""
    n_trees = check_int(n_trees, "n_trees", minimum=1)
    if n_trees > FOREST_WIDGET_TREES:
        raise ValueError(f"n_trees must be <= {FOREST_WIDGET_TREES}, got {n_trees}")
    if max_depth is not None:
        max_depth = check_int(max_depth, "max_depth", minimum=1)
    grid, train, test = _forest_fields(max_depth)
    X, y, _, y_test = _example_data()
    t = n_trees - 1
    train_acc = np.mean((train[t] / n_trees > 0.5) == (y == 1))
    test_acc = np.mean((test[t] / n_trees > 0.5) == (y_test == 1))
    lo, hi = _limits(X)
    depth = "full depth" if max_depth is None else f"max depth {max_depth}"
    return _regions_foreground(ax, grid[t] / n_trees, X, y, lo, hi,
                               f"{n_trees} tree{'s' if n_trees > 1 else ''}, {depth}: "
                               f"train acc {train_acc:.2f}, test acc {test_acc:.2f}")


#: :func:`draw_forest_regions` in layers: the axes (the same for every forest) are drawn
#: once; the field, boundary, points, title and legend move with the controls.
FOREST_LAYERS = Layers(_forest_background, _forest_foreground, key=lambda **_: None)
