"""Drawings for section 2.13 (the notes' "Todo: Random forest"): decision regions of trees
and forests on two-dimensional data."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap

from .._validation import as_float_array, check_int
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
    ax.clear()
    field = proba.reshape(_GRID, _GRID)
    ax.imshow(field, origin="lower", extent=(lo[0], hi[0], lo[1], hi[1]), cmap=PROBA_CMAP,
              vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    ax.contour(np.linspace(lo[0], hi[0], _GRID), np.linspace(lo[1], hi[1], _GRID), field,
               levels=[0.5], colors="k", linewidths=1)
    zero, one = y == 0, y == 1
    ax.scatter(X[zero, 0], X[zero, 1], s=14, marker="o", color="#0072B2", edgecolors="k",
               linewidths=0.4, label="class 0")
    ax.scatter(X[one, 0], X[one, 1], s=14, marker="s", color="#E69F00", edgecolors="k",
               linewidths=0.4, label="class 1")
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel("$x^{(1)}$")
    ax.set_ylabel("$x^{(2)}$")
    ax.set_title(title, fontsize=10)
    ax.legend(loc="lower left", fontsize=8)


@lru_cache(maxsize=8)
def _forest_fields(max_depth: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fit the widget's forest once per depth; cumulative per-tree class-1 probabilities on
    the grid, the training points and the test points, shape (n_trees, n_points) each."""
    from ..trees import RandomForestClassifier

    X, y, X_test, _ = forest_example_data()
    forest = RandomForestClassifier(n_estimators=FOREST_WIDGET_TREES, max_depth=max_depth,
                                    rng=np.random.default_rng(1)).fit(X, y)
    lo, hi = _limits(X)
    points = np.vstack([_grid(lo, hi), X, X_test])
    cum = np.cumsum(forest.tree_proba(points)[:, :, 1], axis=0)
    n_grid = _GRID * _GRID
    return cum[:, :n_grid], cum[:, n_grid:n_grid + len(X)], cum[:, n_grid + len(X):]


def draw_forest_regions(ax: Axes, n_trees: int = 1, max_depth: int | None = None) -> None:
    """Decision regions of a random forest of the first ``n_trees`` trees, on two moons.

    The forest of :data:`FOREST_WIDGET_TREES` trees is fitted once per ``max_depth``
    (cached); each call only averages the first ``n_trees`` trees' stored grid
    probabilities and draws. The colour is the forest's :math:`P(y = 1 \\mid x)`, the
    black line its decision boundary 0.5.

    Parameters
    ----------
    ax : matplotlib Axes
    n_trees : int
        1 ... :data:`FOREST_WIDGET_TREES`.
    max_depth : int or None
        Depth limit of every tree (>= 1); ``None`` grows them fully.
    """
    check_axes(ax)
    n_trees = check_int(n_trees, "n_trees", minimum=1)
    if n_trees > FOREST_WIDGET_TREES:
        raise ValueError(f"n_trees must be <= {FOREST_WIDGET_TREES}, got {n_trees}")
    if max_depth is not None:
        max_depth = check_int(max_depth, "max_depth", minimum=1)
    grid, train, test = _forest_fields(max_depth)
    X, y, _, y_test = forest_example_data()
    t = n_trees - 1
    train_acc = np.mean((train[t] / n_trees > 0.5) == (y == 1))
    test_acc = np.mean((test[t] / n_trees > 0.5) == (y_test == 1))
    lo, hi = _limits(X)
    depth = "full depth" if max_depth is None else f"max depth {max_depth}"
    _draw(ax, grid[t] / n_trees, X, y, lo, hi,
          f"{n_trees} tree{'s' if n_trees > 1 else ''}, {depth}: "
          f"train acc {train_acc:.2f}, test acc {test_acc:.2f}")
