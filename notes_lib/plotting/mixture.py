"""Drawings for section 2.9: Gaussian mixtures and the EM algorithm."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.patches import Ellipse

from .._validation import as_float_array, check_int
from ._layers import Layers, moving_title
from ._style import check_axes

#: Okabe-Ito colours of the components (blue, vermillion, green, purple, orange).
COMPONENT_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")

#: EM iterations precomputed for the EM-stepping figure and widget.
EM_EXAMPLE_ITERATIONS = 40


def em_example_data() -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The 2-D example of the EM figure: 300 points from three Gaussians (seed 0) and a
    deliberately poor initialisation (three means close together near the centre, the
    covariance of all the data for every component, equal weights).

    Returns
    -------
    X : ndarray (300, 2)
    init : dict with ``weights`` (3,), ``means`` (3, 2), ``covariances`` (3, 2, 2)
    """
    rng = np.random.default_rng(0)
    true_means = np.array([[0.0, 0.0], [4.0, 1.0], [1.0, 4.5]])
    true_covs = np.array([[[1.0, 0.6], [0.6, 0.8]], [[0.5, -0.3], [-0.3, 1.2]],
                          [[1.5, 0.0], [0.0, 0.3]]])
    sizes = (120, 100, 80)
    X = np.concatenate([rng.multivariate_normal(m, c, size=s)
                        for m, c, s in zip(true_means, true_covs, sizes, strict=True)])
    centre = X.mean(axis=0)
    init = {
        "weights": np.full(3, 1 / 3),
        "means": centre + np.array([[-0.5, -0.3], [0.5, -0.3], [0.0, 0.5]]),
        "covariances": np.broadcast_to(np.cov(X, rowvar=False, bias=True), (3, 2, 2)).copy(),
    }
    return X, init


@lru_cache(maxsize=1)
def em_example_history() -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float],
                                  ...]:
    """EM on :func:`em_example_data`, computed once and cached.

    Entry ``t`` (``t = 0 ... EM_EXAMPLE_ITERATIONS``) holds the parameters after ``t``
    EM iterations and the E-step made with them: ``(weights, means, covariances,
    resp, mean_log_likelihood)``.
    """
    from ..mixture import e_step, m_step

    X, init = _example_X()
    weights, means, covs = init["weights"], init["means"], init["covariances"]
    out = []
    for _ in range(EM_EXAMPLE_ITERATIONS + 1):
        log_prob, log_resp = e_step(X, weights, means, covs)
        resp = np.exp(log_resp)
        out.append((weights, means, covs, resp, float(log_prob.mean())))
        weights, means, covs = m_step(X, resp, reg_covar=1e-6)
    return tuple(out)


def draw_gaussian_ellipse(ax: Axes, mean: object, cov: object, n_std: float = 2.0,
                          **kwargs: object) -> Ellipse:
    """Draw the contour :math:`(x-\\mu)^\\top\\Sigma^{-1}(x-\\mu) = n_{std}^2` of a 2-D
    Gaussian: an ellipse whose axes are the eigenvectors of :math:`\\Sigma`, with
    half-lengths :math:`n_{std}\\sqrt{\\lambda_i}`."""
    check_axes(ax)
    mean = as_float_array(mean, "mean", ndim=1)
    cov = as_float_array(cov, "cov", ndim=2)
    if mean.shape != (2,) or cov.shape != (2, 2):
        raise ValueError(f"mean and cov must be 2-D (shapes (2,), (2, 2)), got {mean.shape} "
                         f"and {cov.shape}")
    ell = _ellipse(mean, cov, n_std, **kwargs)
    ax.add_patch(ell)
    return ell


def _ellipse(mean: np.ndarray, cov: np.ndarray, n_std: float, **kwargs: object) -> Ellipse:
    vals, vecs = np.linalg.eigh(cov)
    vals = np.clip(vals, 0.0, None)
    angle = np.degrees(np.arctan2(vecs[1, 1], vecs[0, 1]))
    return Ellipse(mean, 2 * n_std * np.sqrt(vals[1]), 2 * n_std * np.sqrt(vals[0]),
                   angle=angle, fill=False, **kwargs)


def _check_gmm(X: object, weights: object, means: object, covariances: object,
               resp: object) -> tuple:
    X = as_float_array(X, "X", ndim=2)
    weights = as_float_array(weights, "weights", ndim=1)
    means = as_float_array(means, "means", ndim=2)
    covariances = as_float_array(covariances, "covariances", ndim=3)
    k = weights.shape[0]
    if X.shape[1] != 2 or means.shape != (k, 2) or covariances.shape != (k, 2, 2):
        raise ValueError("X must have 2 columns, means shape (k, 2) and covariances "
                         f"(k, 2, 2) with k = len(weights) = {k}")
    if k > len(COMPONENT_COLOURS):
        raise ValueError(f"weights must have at most {len(COMPONENT_COLOURS)} components to "
                         f"be drawn, got {k}")
    if resp is not None:
        resp = as_float_array(resp, "resp", ndim=2)
        if resp.shape != (X.shape[0], k):
            raise ValueError(f"resp must have shape {(X.shape[0], k)}, got {resp.shape}")
    return X, weights, means, covariances, resp


def _subscript(j: int) -> str:
    return "".join(_SUBSCRIPTS[int(d)] for d in str(j))


_SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"
#: room for a weight "0.33" in a legend label: three digit-wide spaces and a point-wide one
_ROOM = "\N{FIGURE SPACE}" * 3 + "\N{PUNCTUATION SPACE}"


def _gmm_background(ax: Axes, X: np.ndarray, k: int) -> tuple:
    """The frame of :func:`draw_gmm_2d`: limits fitted to ``X``, aspect, labels and the
    legend of the ``k`` means. A legend costs a live update 20-30 ms to lay out, so its
    labels are fixed, "μ₁, φ₁ = " and room for the weight, which the foreground writes."""
    ax.clear()
    pad = 0.15 * np.ptp(X, axis=0)
    ax.set_xlim(X[:, 0].min() - pad[0], X[:, 0].max() + pad[0])
    ax.set_ylim(X[:, 1].min() - pad[1], X[:, 1].max() + pad[1])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    for j in range(k):
        ax.plot([], [], ls="none", marker="X", ms=10, color=COMPONENT_COLOURS[j], mec="k",
                label=f"μ{_subscript(j + 1)}, φ{_subscript(j + 1)} = {_ROOM}")
    legend = ax.legend(loc="upper left", fontsize=8)
    return ax, legend


def _gmm_foreground(context: tuple, X: np.ndarray, weights: np.ndarray, means: np.ndarray,
                    covariances: np.ndarray, resp: np.ndarray | None) -> list:
    """The samples coloured by ``resp``, the ellipses and means, and the weights written
    into the room left at the end of the legend's labels."""
    ax, legend = context
    k = weights.shape[0]
    palette = np.array([to_rgb(c) for c in COMPONENT_COLOURS[:k]])
    colours = "0.5" if resp is None else np.clip(resp @ palette, 0.0, 1.0)
    moving = [ax.scatter(X[:, 0], X[:, 1], s=12, c=colours, alpha=0.8, linewidths=0)]
    for j in range(k):
        for n_std, style in ((1.0, "-"), (2.0, "--")):
            # add_artist, not add_patch: the limits are fixed, no data limits to update
            moving.append(ax.add_artist(_ellipse(means[j], covariances[j], n_std,
                                                 color=COMPONENT_COLOURS[j],
                                                 lw=2 if n_std == 1 else 1.2, ls=style)))
        moving += ax.plot(*means[j], marker="X", ms=10, color=COMPONENT_COLOURS[j], mec="k")
    for label, weight in zip(legend.get_texts(), weights, strict=True):
        # placed on the label as the legend drew it: drawn after the legend (zorder 5)
        moving.append(ax.annotate(f"{weight:.2f}", xy=(1.0, 0.0), xycoords=label,
                                  ha="right", va="bottom", fontsize=label.get_fontsize(),
                                  color=label.get_color(), zorder=6))
    return moving


def draw_gmm_2d(ax: Axes, X: object, weights: object, means: object, covariances: object,
                resp: object = None, title: str | None = None) -> None:
    """Samples coloured by their responsibilities and the 1- and 2-sigma ellipses of each
    component of a 2-D Gaussian mixture.

    The colour of sample :math:`i` is :math:`\\sum_j w_j^{(i)} c_j`, the mixture of the
    component colours :math:`c_j` weighted by the responsibilities (E-step of
    Algorithm 1): a pure colour means a sure assignment, a blend an uncertain one.
    """
    check_axes(ax)
    X, weights, means, covariances, resp = _check_gmm(X, weights, means, covariances, resp)
    context = _gmm_background(ax, X, weights.shape[0])
    _gmm_foreground(context, X, weights, means, covariances, resp)
    if title is not None:
        ax.set_title(title)


def _em_history_entry(iteration: object) -> tuple:
    iteration = check_int(iteration, "iteration", minimum=0)
    history = em_example_history()
    if iteration >= len(history):
        raise ValueError(f"iteration must be <= {len(history) - 1}, got {iteration}")
    return iteration, history[iteration]


def _em_background(ax: Axes, iteration: int = 0) -> Axes:
    """The frame of the EM figure, the same for every iteration."""
    check_axes(ax)
    return _gmm_background(ax, _example_X()[0], em_example_history()[0][0].shape[0])


def _em_foreground(context: tuple, iteration: int = 0) -> list:
    """The responsibilities, components, legend and title after ``iteration`` steps."""
    iteration, (weights, means, covs, resp, ll) = _em_history_entry(iteration)
    moving = _gmm_foreground(context, _example_X()[0], weights, means, covs, resp)
    moving.append(moving_title(context[0],
                               f"EM iteration {iteration}: mean log-likelihood {ll:.4f}"))
    return moving


#: :func:`draw_em_iteration` in layers: the axes are drawn once, each iteration over them.
EM_LAYERS = Layers(_em_background, _em_foreground, key=lambda **_: None)


def draw_em_iteration(ax: Axes, iteration: int = 0) -> None:
    """The 2-D EM example (:func:`em_example_data`) after ``iteration`` EM iterations:
    responsibilities as colours, components as ellipses. Only draws: the EM history is
    computed once (:func:`em_example_history`). Drawn in two layers (:data:`EM_LAYERS`):
    a live control redraws only the points, ellipses, legend and title over the axes."""
    check_axes(ax)
    _em_history_entry(iteration)
    EM_LAYERS(ax, iteration=iteration)


@lru_cache(maxsize=1)
def _example_X() -> tuple[np.ndarray, dict]:
    return em_example_data()


def draw_gmm_1d(ax: Axes, x: object, weights: object, means: object, variances: object,
                bins: int = 30, labels: tuple[str, ...] | None = None) -> None:
    """Histogram of 1-D data with the weighted component densities
    :math:`\\phi_j\\mathcal N(x;\\mu_j,\\sigma_j^2)` and the mixture density (their sum)."""
    check_axes(ax)
    x = as_float_array(x, "x", ndim=1)
    weights = as_float_array(weights, "weights", ndim=1)
    means = as_float_array(means, "means", ndim=1)
    variances = as_float_array(variances, "variances", ndim=1)
    k = weights.shape[0]
    if means.shape != (k,) or variances.shape != (k,) or np.any(variances <= 0):
        raise ValueError(f"means and variances must have shape ({k},), variances > 0")
    bins = check_int(bins, "bins", minimum=1)
    labels = labels or tuple(f"component {j + 1}" for j in range(k))
    ax.clear()
    ax.hist(x, bins=bins, density=True, color="0.8", edgecolor="white", label="data")
    grid = np.linspace(x.min() - 0.1 * np.ptp(x), x.max() + 0.1 * np.ptp(x), 400)
    dens = weights * np.exp(-0.5 * (grid[:, None] - means) ** 2 / variances) / np.sqrt(
        2 * np.pi * variances)
    for j in range(k):
        ax.plot(grid, dens[:, j], color=COMPONENT_COLOURS[j % len(COMPONENT_COLOURS)],
                label=f"{labels[j]}: $\\phi$={weights[j]:.2f}, $\\mu$={means[j]:.1f}, "
                      f"$\\sigma$={np.sqrt(variances[j]):.1f}")
    ax.plot(grid, dens.sum(axis=1), color="k", lw=1.5, ls="--", label="mixture $p(x)$")
    ax.set_ylabel("density")
    ax.legend(fontsize=8, loc="upper left")


def draw_em_log_likelihood(ax: Axes, history: object, label: str | None = None) -> None:
    """Mean log-likelihood per sample against the EM iteration (never decreasing)."""
    check_axes(ax)
    history = as_float_array(history, "history", ndim=1)
    ax.plot(np.arange(history.shape[0]), history, marker="o", ms=3, label=label)
    ax.set_xlabel("EM iteration")
    ax.set_ylabel(r"$\frac{1}{n}\ln L$")
