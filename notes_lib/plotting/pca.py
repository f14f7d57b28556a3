"""Drawings for section 2.10: principal axes, projections on a direction, whitening."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection

from .._validation import as_float_array, check_int, check_scalar
from ._layers import Layers, moving_title
from ._style import check_axes

BLUE, VERMILION, GREEN, PURPLE, ORANGE = "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00"


@lru_cache(maxsize=1)
def _example() -> np.ndarray:
    rng = np.random.default_rng(0)
    cov = np.array([[3.0, 1.6], [1.6, 1.4]])
    X = rng.multivariate_normal([1.0, 0.5], cov, size=120)
    X.setflags(write=False)
    return X


def pca_example_data() -> np.ndarray:
    """The book's 2-D example for PCA: 120 seeded correlated Gaussian points (read-only)."""
    return _example()


def _check_2d(X: object) -> np.ndarray:
    if X is None:
        return pca_example_data()
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns to be drawn, got {X.shape[1]}")
    if X.shape[0] < 2:
        raise ValueError(f"X must have at least 2 samples, got {X.shape[0]}")
    return X


def _moments(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mean, covariance (1/n, as in the notes), eigenvalues (decreasing), eigenvectors."""
    mu = X.mean(axis=0)
    Xc = X - mu
    C = Xc.T @ Xc / X.shape[0]
    lam, U = np.linalg.eigh(C)
    return mu, C, lam[::-1], U[:, ::-1]


def projected_variance(X: object, angles_deg: object) -> np.ndarray:
    """Variance :math:`\\vec u^\\top C\\vec u` (Eq. (2.73), :math:`C` with 1/n) of the
    projections of ``X`` on the unit directions :math:`\\vec u = (\\cos\\theta, \\sin\\theta)`."""
    X = _check_2d(X)
    theta = np.deg2rad(as_float_array(angles_deg, "angles_deg"))
    _, C, _, _ = _moments(X)
    c, s = np.cos(theta), np.sin(theta)
    return C[0, 0] * c**2 + 2 * C[0, 1] * c * s + C[1, 1] * s**2


def first_component_angle(X: object = None) -> float:
    """Angle in degrees, in [0, 180), of the first eigenvector of the covariance of ``X``."""
    X = _check_2d(X)
    u = _moments(X)[3][:, 0]
    return float(np.rad2deg(np.arctan2(u[1], u[0])) % 180.0)


@lru_cache(maxsize=8)
def _curve(key: bytes | None) -> tuple[np.ndarray, np.ndarray]:
    X = pca_example_data() if key is None else np.frombuffer(key).reshape(-1, 2)
    grid = np.linspace(0.0, 180.0, 361)
    return grid, projected_variance(X, grid)


def draw_principal_axes(ax: Axes, X: object = None, n_std: float = 2.0) -> None:
    """Figure 2.4 of the notes: centred data with its principal directions.

    Draws the centred points (Eq. (2.72)), the two eigenvectors :math:`\\vec u_1, \\vec u_2`
    of :math:`YY^\\top` as arrows of length ``n_std`` :math:`\\sqrt{\\lambda_j}`, and the
    projection of every point on :math:`\\vec u_1` (Eq. (2.73)) as a small mark on its line.
    """
    check_axes(ax)
    X = _check_2d(X)
    n_std = check_scalar(n_std, "n_std")
    mu, _, lam, U = _moments(X)
    Xc = X - mu
    ax.clear()
    u1 = U[:, 0] * np.sign(U[np.argmax(np.abs(U[:, 0])), 0])
    u2 = U[:, 1] * np.sign(U[np.argmax(np.abs(U[:, 1])), 1])
    proj = np.outer(Xc @ u1, u1)
    ax.plot(*np.array([proj.min(axis=0), proj.max(axis=0)]).T * 1.15, color=GREEN, lw=1,
            alpha=0.7)
    ax.add_collection(LineCollection(np.stack([Xc, proj], axis=1), colors="#aaaaaa",
                                     linewidths=0.5, zorder=1))
    ax.scatter(Xc[:, 0], Xc[:, 1], s=14, color=BLUE, label="centred samples", zorder=2)
    ax.scatter(proj[:, 0], proj[:, 1], s=8, color=GREEN, marker="x",
               label="projections on $u_1$", zorder=3)
    for u, lam_j, colour, name in [(u1, lam[0], VERMILION, "u_1"),
                                   (u2, lam[1], PURPLE, "u_2")]:
        tip = n_std * np.sqrt(lam_j) * u
        ax.annotate("", xy=tip, xytext=(0, 0),
                    arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 2.5}, zorder=4)
        ax.text(*(tip * 1.12), f"${name}$, $\\lambda = {lam_j:.2f}$", color=colour, ha="center",
                va="center", fontsize=10, zorder=5,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8})
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel("$x_1 - \\mu_1$")
    ax.set_ylabel("$x_2 - \\mu_2$")
    ax.legend(loc="lower right", fontsize=8)


def _check_angle(angle: object) -> float:
    angle = check_scalar(angle, "angle")
    if not 0.0 <= angle <= 180.0:
        raise ValueError(f"angle must be in [0, 180] degrees, got {angle}")
    return angle


def _data_key(X: object) -> tuple[np.ndarray, bytes | None]:
    """The checked data and its key: ``None`` for the book's example, else its bytes."""
    X = _check_2d(X)
    return X, (None if X is pca_example_data() else np.ascontiguousarray(X).tobytes())


def _projection_background(ax: Axes, angle: float = 0.0, X: object = None) -> dict:
    """Everything of :func:`draw_projection` that does not depend on the angle: the variance
    curve in its inset panel (created here), limits, labels and legend. (The points are
    drawn with the foreground: the links to their projections pass under them.)"""
    check_axes(ax)
    X, key = _data_key(X)
    grid, curve = _curve(key)
    mu, C, lam, _ = _moments(X)
    Xc = X - mu
    best = first_component_angle(X)
    ax.clear()  # also drops the inset panel of a previous drawing
    ax.set_position([0.08, 0.13, 0.42, 0.77])
    r = 1.05 * float(np.abs(Xc).max())
    ax.set_xlim(-r, r)
    ax.set_ylim(-r, r)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("x₁ − μ₁")  # plain Unicode, no mathtext
    ax.set_ylabel("x₂ − μ₂")

    inset = ax.inset_axes([1.25, 0.0, 0.95, 1.0])
    inset.plot(grid, curve, color=BLUE, lw=1.5)
    inset.axvline(best, color=GREEN, ls="--", lw=1, label=f"u₁ at {best:.1f}°")
    inset.axhline(lam[0], color=GREEN, ls=":", lw=1, label=f"λ₁ = {lam[0]:.2f}")
    inset.axhline(lam[1], color=PURPLE, ls=":", lw=1, label=f"λ₂ = {lam[1]:.2f}")
    inset.set_xlim(0, 180)
    inset.set_ylim(0, 1.1 * lam[0])
    inset.set_xticks(range(0, 181, 45))
    inset.set_xlabel("angle θ (degrees)")
    inset.set_ylabel("projected variance uᵀCu")
    inset.legend(loc="lower left", fontsize=7)
    return {"ax": ax, "inset": inset, "Xc": Xc, "C": C, "r": r}


def _projection_foreground(context: dict, angle: float = 0.0, X: object = None) -> list:
    """The direction line, the projections and their links, the marker on the variance
    curve and the title: what moves with the angle."""
    angle = _check_angle(angle)
    ax, inset = context["ax"], context["inset"]
    Xc, C, r = context["Xc"], context["C"], context["r"]
    theta = np.deg2rad(angle)
    u = np.array([np.cos(theta), np.sin(theta)])
    proj = np.outer(Xc @ u, u)
    var = float(u @ C @ u)
    (line,) = ax.plot([-r * u[0], r * u[0]], [-r * u[1], r * u[1]], color=VERMILION, lw=1.5)
    links = LineCollection(np.stack([Xc, proj], axis=1), colors="#bbbbbb", linewidths=0.5,
                           zorder=1)
    ax.add_collection(links, autolim=False)
    # the samples too: the links pass under them
    samples = ax.scatter(Xc[:, 0], Xc[:, 1], s=10, color=BLUE, zorder=2)
    points = ax.scatter(proj[:, 0], proj[:, 1], s=10, color=VERMILION, marker="x", zorder=3)
    (marker,) = inset.plot([angle], [var], "o", color=VERMILION, ms=7)
    title = moving_title(ax, f"direction {angle:.0f}°: variance {var:.2f}", fontsize=10)
    return [line, links, samples, points, marker, title]


#: :func:`draw_projection` in layers: the points and the variance curve are drawn once
#: per data set, the direction, projections and marker over them for every angle.
PROJECTION_LAYERS = Layers(_projection_background, _projection_foreground,
                           key=lambda angle=0.0, X=None: _data_key(X)[1])


def draw_projection(ax: Axes, angle: float = 0.0, X: object = None) -> None:
    """Projections of 2-D data on the direction at ``angle`` degrees, and their variance.

    Left (``ax``): the centred points, the line through the origin in direction
    :math:`\\vec u = (\\cos\\theta, \\sin\\theta)` and the projections
    :math:`(\\vec x^\\top\\vec u)\\vec u`. Right (an inset axes): the projected variance
    :math:`\\vec u^\\top C \\vec u` of Eq. (2.73) against :math:`\\theta` (precomputed, cached),
    the current angle marked, the maximum at the first eigenvector (Eq. (2.75)).

    Drawn in two layers (:data:`PROJECTION_LAYERS`): a live control redraws only the
    direction, the projections and the marker over the rendered points and curve.
    """
    check_axes(ax)
    _check_angle(angle)
    _check_2d(X)
    PROJECTION_LAYERS(ax, angle=angle, X=X)


def draw_whitened(ax: Axes, Z: object, X: object = None, title: str = "") -> None:
    """Scatter of 2-D (whitened) data ``Z``.

    With ``X`` (same shape: the data before whitening), ``X`` is drawn in light grey
    behind, and every point of ``Z`` is coloured by the polar angle of its original
    point in ``X`` (cyclic colour map): a whitening that leaves the data in place
    keeps each colour where it was, one that rotates or reflects the data moves them.
    """
    check_axes(ax)
    Z = _check_2d(Z)
    ax.clear()
    colour: object = BLUE
    if X is not None:
        X = _check_2d(X)
        if X.shape != Z.shape:
            raise ValueError(f"X must have the shape of Z {Z.shape}, got {X.shape}")
        ax.scatter(X[:, 0], X[:, 1], s=8, color="#cccccc", zorder=1)
        colour = np.arctan2(X[:, 1], X[:, 0])
    ax.scatter(Z[:, 0], Z[:, 1], s=14, c=colour, cmap="twilight_shifted", vmin=-np.pi,
               vmax=np.pi, zorder=2)
    ax.set_aspect("equal", adjustable="box")
    ax.set_title(title, fontsize=10)


def image_montage(images: object, shape: tuple[int, int] = (8, 8), ncols: int = 10,
                  pad: int = 1) -> np.ndarray:
    """Tile flattened images (rows of ``images``) into one array, each scaled to [0, 1]
    separately (so whitened images with any range are comparable); NaN padding."""
    images = as_float_array(images, "images", ndim=2)
    h, w = shape
    if images.shape[1] != h * w:
        raise ValueError(f"images must have {h * w} columns for shape {shape}, "
                         f"got {images.shape[1]}")
    ncols = check_int(ncols, "ncols", minimum=1)
    n = images.shape[0]
    nrows = -(-n // ncols)
    lo = images.min(axis=1, keepdims=True)
    span = images.max(axis=1, keepdims=True) - lo
    scaled = (images - lo) / np.where(span > 0, span, 1.0)
    out = np.full((nrows * (h + pad) - pad, ncols * (w + pad) - pad), np.nan)
    for k in range(n):  # a handful of tiles; the loop is over images, not pixels
        r, c = divmod(k, ncols)
        out[r * (h + pad): r * (h + pad) + h, c * (w + pad): c * (w + pad) + w] = \
            scaled[k].reshape(h, w)
    return out


def draw_images(ax: Axes, images: object, shape: tuple[int, int] = (8, 8), ncols: int = 10,
                title: str = "") -> None:
    """Show flattened images as a grey-scale montage (see :func:`image_montage`)."""
    check_axes(ax)
    ax.clear()
    ax.imshow(image_montage(images, shape, ncols), cmap="gray", interpolation="nearest")
    ax.set_title(title, fontsize=10)
    ax.axis("off")
