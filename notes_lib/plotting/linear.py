"""Drawings for sections 2.2 (LMS by gradient descent) and 2.8 (the gradient-descent path).

Both are :class:`~notes_lib.plotting.Layers` drawings (:data:`LMS_LAYERS`,
:data:`GD_PATH_LAYERS`), so that their live controls redraw only what moves.
"""

from __future__ import annotations

import warnings
from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import LogLocator, NullLocator

from .._validation import as_float_array, check_int, check_scalar
from ._layers import Layers, moving_title
from ._style import check_axes

#: The quadratic of the section-2.8 figures: :math:`f(\theta) = \tfrac12\theta^\top A\theta`,
#: eigenvalues :math:`2 \pm \sqrt 2`, so :math:`2/\lambda_{\max} = 2/(2+\sqrt2) \approx 0.586`.
GD_EXAMPLE_A = np.array([[3.0, 1.0], [1.0, 1.0]])
GD_EXAMPLE_THETA0 = np.array([-2.0, 2.5])

_LOSS_PANEL = "lms-loss-panel"

#: Right ends of the loss panel's update axis: the smallest one >= n_iter is used, so that
#: the axis changes only a few times while the number of updates moves (each step x5).
LMS_UPDATE_SPANS = (20, 100, 500, 2500, 5000)


def lms_example_data() -> tuple[np.ndarray, np.ndarray]:
    """The 30 points of the section-2.2 figures: ``y = 1.5 x + 0.5`` plus noise, ``x`` in [0, 3]."""
    rng = np.random.default_rng(0)
    x = rng.uniform(0.0, 3.0, size=30)
    return x, 1.5 * x + 0.5 + 0.4 * rng.normal(size=30)


def _check_eta(eta: object) -> float:
    eta = check_scalar(eta, "eta", minimum=0, exclusive=True)
    return eta


@lru_cache(maxsize=1)
def _lms_best():
    from ..linear_models import LMSRegressor

    x, y = lms_example_data()
    return LMSRegressor(solver="normal").fit(x[:, None], y)


@lru_cache(maxsize=1)
def _lms_j_star() -> float:
    """The minimum of the loss, :math:`J^*` (least squares by the normal equation)."""
    x, y = lms_example_data()
    return 0.5 * float(np.mean((_lms_best().predict(x[:, None]) - y) ** 2))


@lru_cache(maxsize=64)
def _lms_run(eta: float, n_iter: int):
    """:class:`~notes_lib.linear_models.LMSRegressor` (batch gradient descent, ``tol=0``)
    on the example for ``n_iter`` updates; the drawings slice one run per learning rate."""
    from ..linear_models import LMSRegressor

    x, y = lms_example_data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # divergence is drawn, not warned
        return LMSRegressor(eta=eta, max_iter=n_iter, tol=0.0).fit(x[:, None], y)


def _lms_params(eta: object, n_iter: object) -> tuple[float, int]:
    eta = _check_eta(eta)
    n_iter = check_int(n_iter, "n_iter", minimum=1)
    if n_iter > 5000:
        raise ValueError(f"n_iter must be <= 5000, got {n_iter}")
    return eta, n_iter


def _lms_loss_top(eta: float, n_iter: int) -> float:
    """Upper limit of the loss panel: a power of ten above the whole run of this ``eta``
    (not only its first ``n_iter`` updates), at least 10^3, and at least 10^15 for a run
    that diverges: one limit for all converging rates, one for the diverging ones."""
    model = _lms_run(eta, max(400, n_iter))
    peak = max(float(np.max(model.loss_curve_)) - _lms_j_star(), 1e-14)
    top = max(1e3, 10.0 ** np.ceil(np.log10(10 * peak)))
    return max(top, 1e15) if model.diverged_ else top


def _lms_key(eta: float = 0.3, n_iter: int = 50, **_: object) -> tuple[int, float]:
    """The loss panel's axes limits: the background depends on nothing else."""
    eta, n_iter = _lms_params(eta, n_iter)
    span = next(s for s in LMS_UPDATE_SPANS if s >= n_iter)
    return span, _lms_loss_top(eta, n_iter)


def _two_panels(ax: Axes) -> tuple[Axes, Axes]:
    """Use ``ax`` as the left panel and a fresh axes of the same figure as the right one."""
    fig = ax.figure
    for other in list(fig.axes):
        if other is not ax and other.get_gid() == _LOSS_PANEL:
            other.remove()
    ax.clear()
    ax.set_position([0.08, 0.13, 0.38, 0.75])
    right = fig.add_axes([0.61, 0.13, 0.37, 0.75])
    right.set_gid(_LOSS_PANEL)
    return ax, right


_LMS_GRID = np.array([-0.2, 3.2])


def _lms_background(ax: Axes, eta: float = 0.3, n_iter: int = 50) -> tuple[Axes, Axes]:
    """Both panels, the data, the least-squares line and the loss panel's log axes."""
    check_axes(ax)
    span, top = _lms_key(eta, n_iter)
    x, y = lms_example_data()
    best = _lms_best()
    left, right = _two_panels(ax)
    left.plot(x, y, "o", ms=4, color="#0072B2", label="data")
    left.plot(_LMS_GRID, best.coef_[0] * _LMS_GRID + best.intercept_, "k--", lw=1.2,
              label="normal equation")
    left.set_xlim(*_LMS_GRID)
    left.set_ylim(-1.0, 7.5)
    left.set_xlabel("x")
    left.set_ylabel("y")
    # The legend is fixed (a moving legend costs more than the rest of an update): the
    # number of updates is on the slider and where the loss curve ends.
    left.legend(handles=[*left.lines, Line2D([], [], color="#D55E00", lw=2)],
                labels=["data", "normal equation", "gradient descent"],
                loc="upper left", fontsize=7)
    right.set_yscale("log")
    right.set_xlim(0, span)
    right.set_ylim(1e-14, top)
    right.yaxis.set_major_locator(LogLocator(numticks=6))  # few mathtext labels: fast PNG
    right.yaxis.set_minor_locator(NullLocator())
    right.set_xlabel("update")
    right.set_ylabel("$J(w) - J^*$")
    right.set_title("loss above its minimum (log scale)", fontsize=9)
    return left, right


def _lms_foreground(panels: tuple[Axes, Axes], eta: float = 0.3, n_iter: int = 50) -> list:
    """The line and the loss curve after ``n_iter`` updates, the legend and the title."""
    left, right = panels
    eta, n_iter = _lms_params(eta, n_iter)
    model = _lms_run(eta, max(400, n_iter))  # one cached run per eta, sliced below
    done = min(n_iter, model.n_iter_)
    w, b = model.path_[done]
    losses = model.loss_curve_[: done + 1]
    diverged = model.diverged_ and done == model.n_iter_

    moving = left.plot(_LMS_GRID, w * _LMS_GRID + b, color="#D55E00", lw=2,
                       label=f"after {done} updates")
    if not -1.0 < w * 1.5 + b < 7.5:
        moving.append(left.text(0.98, 0.04, "current line is off the chart",
                                transform=left.transAxes, ha="right", color="#CC0000",
                                fontsize=8))

    steps = np.arange(losses.size)
    gap = np.maximum(losses - _lms_j_star(), 1e-14)
    moving += right.plot(steps, gap, color="#D55E00", lw=1.5)
    if diverged:
        moving += right.plot(steps[-1], gap[-1], "x", color="#CC0000", ms=10, mew=2)
        # to the left of the cross, unless that would run into the left panel
        side = "right" if steps[-1] > 0.6 * right.get_xlim()[1] else "left"
        moving.append(right.annotate(f"diverged after {done} updates", (steps[-1], gap[-1]),
                                     textcoords="offset points",
                                     xytext=(-8 if side == "right" else 8, -6),
                                     color="#CC0000", fontsize=8, va="top", ha=side))
    ratio = eta / model.eta_max_
    state = "diverges" if diverged else ("unstable" if ratio >= 1 else "stable")
    # Plain text: a new mathtext string per learning rate would cost ~15 ms an update.
    moving.append(moving_title(left, f"η = {eta:g} = {ratio:.2f} × 2/λₘₐₓ: {state}",
                               loc="left", fontsize=9))
    return moving


#: :func:`draw_lms_fit` in layers: the background changes only with the loss panel's
#: limits (a few spans of updates; converging or diverging learning rate).
LMS_LAYERS = Layers(_lms_background, _lms_foreground, key=_lms_key)


def draw_lms_fit(ax: Axes, eta: float = 0.3, n_iter: int = 50) -> None:
    """Batch gradient descent on least squares (section 2.2): the line and the loss curve.

    Runs :class:`notes_lib.linear_models.LMSRegressor` (``solver='batch'``) on
    :func:`lms_example_data` for ``n_iter`` updates of learning rate ``eta`` and draws, on
    ``ax``, the data, the current line and the least-squares line (normal equation, Eq.
    (2.8)); on a second panel to its right, the gap :math:`J - J^*` between the loss and its
    minimum per update, on a log scale. When ``eta`` exceeds :math:`2/\\lambda_{\\max}` the
    run diverges: the curve stops where divergence was detected, marked with a cross, and
    the line panel keeps its limits. The loss panel's update axis ends at the first of
    :data:`LMS_UPDATE_SPANS` that holds ``n_iter``.

    Parameters
    ----------
    ax : matplotlib Axes
        Cleared and used as the left panel; the figure gets a second axes.
    eta : float
        Learning rate, ``> 0``.
    n_iter : int
        Number of updates, ``>= 1``.
    """
    LMS_LAYERS(ax, eta=eta, n_iter=n_iter)


@lru_cache(maxsize=8)
def _quadratic_grid(key: bytes, lim: float):
    from ..optim import Quadratic

    A = np.frombuffer(key).reshape(2, 2)
    t = np.linspace(-lim, lim, 161)
    T1, T2 = np.meshgrid(t, t)
    return T1, T2, Quadratic(A).value_grid(T1, T2)


def _gd_problem(A: object, theta0: object):
    """The validated quadratic, start point and half-width of the window."""
    from ..optim import Quadratic

    A = GD_EXAMPLE_A if A is None else as_float_array(A, "A", ndim=2)
    if A.shape != (2, 2):
        raise ValueError(f"A must have shape (2, 2), got {A.shape}")
    theta0 = GD_EXAMPLE_THETA0 if theta0 is None else as_float_array(theta0, "theta0", ndim=1)
    if theta0.shape != (2,):
        raise ValueError(f"theta0 must have shape (2,), got {theta0.shape}")
    q = Quadratic(A)
    if np.linalg.eigvalsh(q.A)[0] <= 0:
        raise ValueError("A must be positive definite")
    return q, theta0, 1.3 * max(3.0, float(np.abs(theta0).max()))


def _gd_key(eta: float = 0.2, n_steps: int = 20, A: object = None, theta0: object = None):
    """The quadratic and the start: the background depends on nothing else."""
    arrays = (None if A is None else as_float_array(A, "A", ndim=2),
              None if theta0 is None else as_float_array(theta0, "theta0", ndim=1))
    return tuple(None if a is None else (a.shape, a.tobytes()) for a in arrays)


def _gd_background(ax: Axes, eta: float = 0.2, n_steps: int = 20, A: object = None,
                   theta0: object = None):
    """The contours of the quadratic, the window and the axis labels."""
    check_axes(ax)
    q, theta0, lim = _gd_problem(A, theta0)
    T1, T2, F = _quadratic_grid(np.ascontiguousarray(q.A).tobytes(), lim)
    ax.clear()
    levels = q(theta0) * np.geomspace(1e-3, 4.0, 12)
    ax.contour(T1, T2, F, levels=levels, colors="0.6", linewidths=0.8)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    # A fixed legend, which also holds the fixed part of the title (every glyph of a moving
    # text is rendered again on each update); the number of steps is on the slider.
    lam = np.linalg.eigvalsh(q.A)
    legend = ax.legend(handles=[Line2D([], [], marker="o", color="#D55E00", ms=3.5, lw=1.2),
                                Line2D([], [], marker="s", color="#0072B2", ms=7, ls="none"),
                                Line2D([], [], marker="*", color="k", ms=12, ls="none")],
                       labels=["gradient-descent steps", "start", "minimum"],
                       title=f"2/λₘₐₓ = {2 / lam[-1]:.3f}\ncontraction ρ = maxᵢ |1 − ηλᵢ|",
                       loc="lower right", fontsize=7, title_fontsize=7)
    legend.get_title().set_multialignment("center")
    return ax, q, theta0, lim


def _gd_foreground(context, eta: float = 0.2, n_steps: int = 20, A: object = None,
                   theta0: object = None) -> list:
    """The path, the start and the minimum, the legend and the two-line title."""
    from ..optim import gradient_descent

    ax, q, theta0, lim = context
    eta = _check_eta(eta)
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    if n_steps > 500:
        raise ValueError(f"n_steps must be <= 500, got {n_steps}")
    result = gradient_descent(q.grad, theta0, eta, max_iter=n_steps, tol=0.0, f=q, warn=False)
    path = result.path
    moving = ax.plot(path[:, 0], path[:, 1], "-o", color="#D55E00", ms=3.5, lw=1.2,
                     label=f"{result.n_iter} steps of GD")
    moving += ax.plot(*theta0, "s", color="#0072B2", ms=7, label="start", zorder=3)
    moving += ax.plot(0, 0, "*", color="k", ms=12, label="minimum", zorder=3)
    lam = np.linalg.eigvalsh(q.A)
    rho = float(np.max(np.abs(1 - eta * lam)))
    outside = bool(np.any(np.abs(path) > lim))
    if result.diverged or rho > 1:
        state = "diverges" + (" (path leaves the window)" if outside else "")
    elif eta * lam[-1] > 1:
        state = "oscillates, converges"
    else:
        state = "converges"
    # Plain text: a new mathtext string per learning rate would cost ~15 ms an update.
    moving.append(moving_title(ax, f"η = {eta:g}, ρ = {rho:.3f}: {state}", fontsize=9))
    return moving


#: :func:`draw_gd_path` in layers: the contours are redrawn only for another quadratic.
GD_PATH_LAYERS = Layers(_gd_background, _gd_foreground, key=_gd_key)


def draw_gd_path(ax: Axes, eta: float = 0.2, n_steps: int = 20, A: object = None,
                 theta0: object = None) -> None:
    """The gradient-descent path on :math:`f(\\theta) = \\tfrac12\\theta^\\top A\\theta`
    (section 2.8, Eq. (2.64)) over the contours of :math:`f`.

    For :math:`\\eta < 1/\\lambda_{\\max}` the path goes straight down the valley; for
    :math:`1/\\lambda_{\\max} < \\eta < 2/\\lambda_{\\max}` it zig-zags across it but still
    converges; above :math:`2/\\lambda_{\\max}` it oscillates outwards (diverges). Points
    outside the window are clipped and the title says so.

    Parameters
    ----------
    ax : matplotlib Axes
    eta : float
        Learning rate, ``> 0``.
    n_steps : int
        Number of updates drawn, 1 ... 500.
    A : array_like, shape (2, 2), optional
        Symmetric positive definite; default :data:`GD_EXAMPLE_A`.
    theta0 : array_like, shape (2,), optional
        Start; default :data:`GD_EXAMPLE_THETA0`.
    """
    GD_PATH_LAYERS(ax, eta=eta, n_steps=n_steps, A=A, theta0=theta0)
