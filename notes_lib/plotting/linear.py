"""Drawings for sections 2.2 (LMS by gradient descent) and 2.8 (the gradient-descent path)."""

from __future__ import annotations

import warnings
from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import LogLocator, NullLocator

from .._validation import as_float_array, check_int, check_scalar
from ._style import check_axes

#: The quadratic of the section-2.8 figures: :math:`f(\theta) = \tfrac12\theta^\top A\theta`,
#: eigenvalues :math:`2 \pm \sqrt 2`, so :math:`2/\lambda_{\max} = 2/(2+\sqrt2) \approx 0.586`.
GD_EXAMPLE_A = np.array([[3.0, 1.0], [1.0, 1.0]])
GD_EXAMPLE_THETA0 = np.array([-2.0, 2.5])

_LOSS_PANEL = "lms-loss-panel"


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


@lru_cache(maxsize=64)
def _lms_run(eta: float, n_iter: int):
    from ..linear_models import LMSRegressor

    x, y = lms_example_data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # divergence is drawn, not warned
        model = LMSRegressor(eta=eta, max_iter=n_iter, tol=0.0).fit(x[:, None], y)
    return model


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


def draw_lms_fit(ax: Axes, eta: float = 0.3, n_iter: int = 50) -> None:
    """Batch gradient descent on least squares (section 2.2): the line and the loss curve.

    Runs :class:`notes_lib.linear_models.LMSRegressor` (``solver='batch'``) on
    :func:`lms_example_data` for ``n_iter`` updates of learning rate ``eta`` and draws, on
    ``ax``, the data, the current line and the least-squares line (normal equation, Eq.
    (2.8)); on a second panel to its right, the gap :math:`J - J^*` between the loss and its
    minimum per update, on a log scale. When ``eta`` exceeds :math:`2/\\lambda_{\\max}` the
    run diverges: the curve stops where divergence was detected, marked with a cross, and
    the line panel keeps its limits.

    Parameters
    ----------
    ax : matplotlib Axes
        Cleared and used as the left panel; the figure gets a second axes.
    eta : float
        Learning rate, ``> 0``.
    n_iter : int
        Number of updates, ``>= 1``.
    """
    check_axes(ax)
    eta = _check_eta(eta)
    n_iter = check_int(n_iter, "n_iter", minimum=1)
    if n_iter > 5000:
        raise ValueError(f"n_iter must be <= 5000, got {n_iter}")
    x, y = lms_example_data()
    model = _lms_run(eta, max(400, n_iter))  # one cached run per eta, sliced below
    done = min(n_iter, model.n_iter_)
    w, b = model.path_[done]
    losses = model.loss_curve_[: done + 1]
    diverged = model.diverged_ and done == model.n_iter_
    best = _lms_best()
    j_star = 0.5 * float(np.mean((best.predict(x[:, None]) - y) ** 2))
    left, right = _two_panels(ax)

    grid = np.array([-0.2, 3.2])
    left.plot(x, y, "o", ms=4, color="#0072B2", label="data")
    left.plot(grid, best.coef_[0] * grid + best.intercept_, "k--", lw=1.2,
              label="normal equation")
    left.plot(grid, w * grid + b, color="#D55E00", lw=2, label=f"after {done} updates")
    left.set_xlim(*grid)
    left.set_ylim(-1.0, 7.5)
    left.set_xlabel("x")
    left.set_ylabel("y")
    left.legend(loc="upper left", fontsize=7)

    steps = np.arange(losses.size)
    gap = np.maximum(losses - j_star, 1e-14)
    right.semilogy(steps, gap, color="#D55E00", lw=1.5)
    if diverged:
        right.plot(steps[-1], gap[-1], "x", color="#CC0000", ms=10, mew=2)
        right.annotate(f"diverged after {done} updates", (steps[-1], gap[-1]),
                       textcoords="offset points", xytext=(-8, -6), color="#CC0000",
                       fontsize=8, va="top", ha="right")
    if not -1.0 < w * 1.5 + b < 7.5:
        left.text(0.98, 0.04, "current line is off the chart", transform=left.transAxes,
                  ha="right", color="#CC0000", fontsize=8)
    right.set_xlim(0, n_iter)
    right.set_ylim(1e-14, max(1e3, float(gap.max()) * 10))
    right.yaxis.set_major_locator(LogLocator(numticks=6))  # few mathtext labels: fast PNG
    right.yaxis.set_minor_locator(NullLocator())
    right.set_xlabel("update")
    right.set_ylabel("$J(w) - J^*$")
    ratio = eta / model.eta_max_
    state = "diverges" if diverged else ("unstable" if ratio >= 1 else "stable")
    left.set_title(rf"$\eta$ = {eta:g} = {ratio:.2f} $\times 2/\lambda_{{\max}}$: {state}",
                   fontsize=9, loc="left")
    right.set_title("loss above its minimum (log scale)", fontsize=9)


@lru_cache(maxsize=8)
def _quadratic_grid(key: bytes, lim: float):
    from ..optim import Quadratic

    A = np.frombuffer(key).reshape(2, 2)
    t = np.linspace(-lim, lim, 161)
    T1, T2 = np.meshgrid(t, t)
    return T1, T2, Quadratic(A).value_grid(T1, T2)


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
    from ..optim import Quadratic, gradient_descent

    check_axes(ax)
    eta = _check_eta(eta)
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    if n_steps > 500:
        raise ValueError(f"n_steps must be <= 500, got {n_steps}")
    A = GD_EXAMPLE_A if A is None else as_float_array(A, "A", ndim=2)
    if A.shape != (2, 2):
        raise ValueError(f"A must have shape (2, 2), got {A.shape}")
    theta0 = GD_EXAMPLE_THETA0 if theta0 is None else as_float_array(theta0, "theta0", ndim=1)
    if theta0.shape != (2,):
        raise ValueError(f"theta0 must have shape (2,), got {theta0.shape}")
    q = Quadratic(A)
    if np.linalg.eigvalsh(q.A)[0] <= 0:
        raise ValueError("A must be positive definite")
    result = gradient_descent(q.grad, theta0, eta, max_iter=n_steps, tol=0.0, f=q, warn=False)
    lim = 1.3 * max(3.0, float(np.abs(theta0).max()))
    T1, T2, F = _quadratic_grid(np.ascontiguousarray(q.A).tobytes(), lim)

    ax.clear()
    levels = q(theta0) * np.geomspace(1e-3, 4.0, 12)
    ax.contour(T1, T2, F, levels=levels, colors="0.6", linewidths=0.8)
    path = result.path
    ax.plot(path[:, 0], path[:, 1], "-o", color="#D55E00", ms=3.5, lw=1.2,
            label=f"{result.n_iter} steps of GD")
    ax.plot(*theta0, "s", color="#0072B2", ms=7, label="start", zorder=3)
    ax.plot(0, 0, "*", color="k", ms=12, label="minimum", zorder=3)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    lam = np.linalg.eigvalsh(q.A)
    rho = float(np.max(np.abs(1 - eta * lam)))
    outside = bool(np.any(np.abs(path) > lim))
    if result.diverged or rho > 1:
        state = "diverges" + (" (path leaves the window)" if outside else "")
    elif eta * lam[-1] > 1:
        state = "oscillates, converges"
    else:
        state = "converges"
    ax.set_title(rf"$\eta$ = {eta:g}, $2/\lambda_{{\max}}$ = {2 / lam[-1]:.3f}: {state}"
                 "\n" rf"contraction $\max_i |1 - \eta\lambda_i|$ = {rho:.3f}", fontsize=9)
    ax.legend(loc="lower right", fontsize=7)
