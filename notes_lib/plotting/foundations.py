"""Drawings for chapter 1: Taylor polynomials, distributions, posteriors, estimators."""

from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from .._validation import as_float_array, check_choice, check_int, check_scalar
from ..calculus import FUNCTIONS, LATEX_NAMES, lagrange_bound, taylor
from ..probability import (
    Beta,
    Distribution,
    Exponential,
    Normal,
    Uniform,
    beta_posterior,
    sample_variance,
)
from ._layers import Layers, moving_title
from ._style import check_axes


def draw_taylor(
    ax: Axes,
    name: str = "exp",
    n: int = 3,
    x0: float = 0.0,
    xlim: tuple[float, float] = (-3.0, 3.0),
    orders: object = None,
) -> None:
    """Draw a function and its Taylor polynomial(s) at ``x0`` on ``ax``.

    Parameters
    ----------
    ax : matplotlib Axes
        Cleared and redrawn.
    name : {'exp', 'sin', 'cos', 'log1p'}
        The function, see :data:`notes_lib.calculus.FUNCTIONS`.
    n : int
        Order of the polynomial drawn with its Lagrange error band (Eq. (1.1)).
    x0 : float
        Expansion point, marked on the curve.
    xlim : (float, float)
        Horizontal range.
    orders : sequence of int, optional
        Further orders to draw as thin lines (the figure of all partial sums).
    """
    TAYLOR_LAYERS(ax, name=name, n=n, x0=x0, xlim=xlim, orders=orders)


def _taylor_grid(name: str, xlim: object) -> np.ndarray:
    lo, hi = (float(v) for v in as_float_array(xlim, "xlim", ndim=1))
    if not lo < hi:
        raise ValueError(f"xlim must be increasing, got {xlim}")
    if name == "log1p":
        lo = max(lo, -0.99)
    return np.linspace(lo, hi, 400)


def _taylor_background(ax: Axes, name: str = "exp", n: int = 3, x0: float = 0.0,
                       xlim: tuple[float, float] = (-3.0, 3.0), orders: object = None) -> Axes:
    """The function, the further orders, the limits: nothing that moves with ``n`` or ``x0``."""
    check_axes(ax)
    check_choice(name, "name", tuple(FUNCTIONS))
    x = _taylor_grid(name, xlim)
    fx = FUNCTIONS[name](x)
    ax.clear()
    for k in [] if orders is None else [check_int(o, "orders", minimum=0) for o in orders]:
        ax.plot(x, taylor(name, x, k, x0), lw=1, alpha=0.6, label=f"$P_{{{k}}}$")
    ax.plot(x, fx, color="black", lw=2.5, label=f"${LATEX_NAMES[name]}$")
    span = fx.max() - fx.min()
    ax.set_ylim(fx.min() - 0.25 * span - 0.5, fx.max() + 0.25 * span + 0.5)
    ax.set_xlim(x[0], x[-1])
    ax.set_xlabel("$x$")
    return ax


def _taylor_foreground(ax: Axes, name: str = "exp", n: int = 3, x0: float = 0.0,
                       xlim: tuple[float, float] = (-3.0, 3.0), orders: object = None) -> list:
    """The order-``n`` polynomial at ``x0``, its error band, the point, title and legend."""
    n = check_int(n, "n", minimum=0)
    x0 = check_scalar(x0, "x0")
    if name == "log1p" and x0 <= -1:
        raise ValueError("x0 must be > -1 for 'log1p'")
    x = _taylor_grid(name, xlim)
    pn = taylor(name, x, n, x0)
    (poly,) = ax.plot(x, pn, color="#D55E00", lw=2, ls="--",
                      label="$P_n(x)$")
    moving = [poly]
    if orders is None:
        bound = lagrange_bound(name, x, n, x0)
        moving.append(ax.fill_between(x, pn - bound, pn + bound, color="#D55E00", alpha=0.12,
                                      label="Lagrange bound on $|R_n|$"))
    moving += ax.plot([x0], [FUNCTIONS[name](np.array(x0))], "o", color="#D55E00", ms=7)
    # Plain text for what changes: every new mathtext string costs a live update ~15 ms.
    moving.append(moving_title(ax, f"Taylor polynomial of {name}(x): order n = {n}, "
                                   f"x\N{SUBSCRIPT ZERO} = {x0:g}"))
    moving.append(ax.legend(loc="upper left", fontsize=8))
    return moving


#: :func:`draw_taylor` in layers: the function curve is redrawn only when it changes.
TAYLOR_LAYERS = Layers(_taylor_background, _taylor_foreground,
                       key=lambda name="exp", **_: name)


def _bars(ax: Axes, left: np.ndarray, width: np.ndarray, height: np.ndarray,
          label: str, **style: object) -> BarContainer:
    """Bars as ``ax.bar`` draws them (a :class:`BarContainer` of rectangles, labelled for
    the legend), added without updating the data limits: that update costs a live
    control ~2 ms per bar, and the drawings here fix their limits."""
    patches = []
    for i, (x, w, h) in enumerate(zip(left, width, height, strict=True)):
        patch = Rectangle((x, 0.0), w, h, label=label if i == 0 else "_nolegend_", **style)
        patch.sticky_edges.y.append(0.0)
        ax.add_artist(patch)
        patches.append(patch)
    return ax.add_container(BarContainer(patches, datavalues=height, orientation="vertical",
                                         label=label))


def _histogram(ax: Axes, values: np.ndarray, bins: object, range: tuple | None = None,
               **style: object) -> BarContainer:
    """``ax.hist(values, bins, range, density=True)`` drawn with :func:`_bars`."""
    heights, edges = np.histogram(values, bins=bins, range=range, density=True)
    return _bars(ax, edges[:-1], np.diff(edges), heights, **style)


def _forget_removed_containers(ax: Axes) -> None:
    """Drop the bar containers whose bars a live control removed with the last foreground
    (``ax.containers`` then lists the histograms on show, as after a whole redraw)."""
    ax.containers[:] = [c for c in ax.containers if not c or c[0].axes is ax]


def _support(dist: Distribution) -> tuple[np.ndarray, float, float]:
    """Points at which to draw ``dist`` and the horizontal range."""
    if dist.discrete:
        hi = int(np.ceil(dist.mean() + 4.5 * dist.std())) + 1
        k = np.arange(0, max(hi, 2) + 1)
        return k, -0.7, k[-1] + 0.7
    if isinstance(dist, Uniform):
        pad = 0.15 * (dist.b - dist.a)
        lo, hi = dist.a - pad, dist.b + pad
    elif isinstance(dist, Beta):
        lo, hi = 0.0, 1.0
    else:
        lo = max(dist.mean() - 4 * dist.std(), 0.0 if isinstance(dist, Exponential) else -np.inf)
        hi = dist.mean() + 4 * dist.std()
    return np.linspace(lo, hi, 400), lo, hi


def _view_points(dist: Distribution, view: tuple[float, float, float]) -> np.ndarray:
    """Points at which to draw ``dist`` in a given ``view`` = (x from, x to, y top)."""
    lo, hi, _top = view
    if dist.discrete:
        return np.arange(0, round(hi - 0.7) + 1)
    if not isinstance(dist, Uniform):  # mean ± 6 sd: beyond, the density is ~0 (subnormal)
        mean, sd = dist.mean(), dist.std()
        lo, hi = max(lo, mean - 6 * sd), min(hi, mean + 6 * sd)
    return np.linspace(lo, hi, 400)


def _check_distribution_args(ax: Axes, dist: object, n_samples: object,
                             seed: object) -> tuple[int, int]:
    check_axes(ax)
    if not isinstance(dist, Distribution):
        raise TypeError(f"dist must be a notes_lib.probability distribution, got "
                        f"{type(dist).__name__}")
    return check_int(n_samples, "n_samples", minimum=0), check_int(seed, "seed", minimum=0)


def _distribution_background(ax: Axes, dist: Distribution, n_samples: int = 2000,
                             seed: int = 0, view: tuple | None = None) -> tuple:
    """Limits and axis label of :func:`draw_distribution`. ``view`` = (x from, x to,
    y top) fixes the limits (a live control keeps them over a slider's range); by
    default they fit ``dist``."""
    _check_distribution_args(ax, dist, n_samples, seed)
    if view is None:
        x, lo, hi = _support(dist)
        density = dist.density(x)
        finite = np.isfinite(density)
        top = float(np.max(density[finite])) if np.any(finite) else 1.0
        top = 1.25 * top if np.isfinite(top) and top > 0 else 1.0
    else:
        lo, hi, top = view
        x = _view_points(dist, view)
    ax.clear()
    ax.set_xlim(lo, hi)
    ax.set_ylim(0, top)
    ax.set_xlabel("$k$" if dist.discrete else "$x$")
    # Fixed labels, so that the legend stays in the background; the numbers are written
    # in the upper left corner by the foreground.
    handles, labels = [], []
    if n_samples:
        handles.append(Patch(color="#56B4E9", alpha=0.6))
        labels.append("samples")
    if dist.discrete:
        handles.append(Line2D([], [], color="black", marker="o", ls="none", ms=4))
    else:
        handles.append(Line2D([], [], color="black", lw=2))
    labels += ["pmf" if dist.discrete else "pdf", "mean", "± 1 sd"]
    handles += [Line2D([], [], color="#D55E00", lw=2), Patch(color="#D55E00", alpha=0.12)]
    ax.legend(handles, labels, loc="upper right", fontsize=8)
    return ax, x, lo, hi


def _distribution_foreground(context: tuple, dist: Distribution, n_samples: int = 2000,
                             seed: int = 0, view: tuple | None = None) -> list:
    """Histogram of the draws, pmf/pdf, mean ± 1 sd, title and legend."""
    ax, x, lo, hi = context
    _forget_removed_containers(ax)
    n_samples = check_int(n_samples, "n_samples", minimum=0)
    seed = check_int(seed, "seed", minimum=0)
    density = dist.density(x)
    moving = []
    if n_samples:
        draws = dist.sample(n_samples, np.random.default_rng(seed))
        if dist.discrete:
            counts = np.bincount(draws.astype(np.int64), minlength=x.size)[: x.size] / n_samples
            bars = _bars(ax, x - 0.4, np.full(x.size, 0.8), counts, color="#56B4E9",
                         alpha=0.6, label=f"{n_samples} samples")
        else:
            bars = _histogram(ax, draws, bins=40, range=(lo, hi), color="#56B4E9", alpha=0.6,
                              label=f"{n_samples} samples")
        moving += list(bars)
    if dist.discrete:
        moving.append(ax.vlines(x, 0, density, color="black", lw=2))
        moving += ax.plot(x, density, "o", color="black", ms=4, label="pmf")
    else:
        moving += ax.plot(x, density, color="black", lw=2, label="pdf")
    mean, sd = dist.mean(), dist.std()
    moving.append(ax.axvline(mean, color="#D55E00", lw=2, label=f"mean = {mean:.3g}"))
    moving.append(ax.axvspan(mean - sd, mean + sd, color="#D55E00", alpha=0.12,
                             label=f"± 1 sd = {sd:.3g}"))
    params = ", ".join(f"{k}={v:g}" for k, v in vars(dist).items())
    moving.append(moving_title(ax, f"{dist.name}({params})"))
    numbers = [f"{n_samples} samples"] if n_samples else []
    numbers += [f"mean = {mean:.3g}", f"± 1 sd = {sd:.3g}"]
    moving.append(ax.text(0.02, 0.97, "\n".join(numbers), transform=ax.transAxes, va="top",
                          fontsize=8, bbox={"facecolor": "white", "edgecolor": "#cccccc",
                                            "alpha": 0.8, "boxstyle": "round"}))
    return moving


#: :func:`draw_distribution` in layers; with ``view`` fixed, the limits never move.
DISTRIBUTION_LAYERS = Layers(
    _distribution_background, _distribution_foreground,
    key=lambda dist=None, n_samples=2000, view=None, **_: (
        (dist.discrete, view) if view else dist, n_samples != 0))


def draw_distribution(ax: Axes, dist: Distribution, n_samples: int = 2000, seed: int = 0) -> None:
    """Draw the pmf/pdf of ``dist``, mean ± one standard deviation from the derived
    formulas, and a normalised histogram of ``n_samples`` draws (seeded).

    Parameters
    ----------
    ax : matplotlib Axes
        Cleared and redrawn.
    dist : notes_lib.probability.Distribution
        Any distribution of :mod:`notes_lib.probability`.
    n_samples : int
        Number of draws for the histogram (0 for none).
    seed : int
        Seed of ``np.random.default_rng``.
    """
    DISTRIBUTION_LAYERS(ax, dist=dist, n_samples=n_samples, seed=seed)


def _beta_check(ax: Axes, flips: object, a: float, b: float,
                true_p: float | None) -> tuple[Beta, Beta, float | None]:
    check_axes(ax)
    if true_p is not None:
        true_p = check_scalar(true_p, "true_p")
        if not 0.0 <= true_p <= 1.0:
            raise ValueError(f"true_p must be in [0, 1], got {true_p}")
    prior = Beta(a, b)
    return prior, beta_posterior(prior, flips), true_p


_BETA_X = np.linspace(0.0, 1.0, 401)[1:-1]


def _beta_top(post: Beta) -> float:
    """Top of the density axis: room for the posterior's peak, on the steps 3, 6, 12, 24,
    ... (so that a live control redraws its axes only when the peak doubles)."""
    peak = max(float(post.pdf(np.array([post.mean()]))[0]), float(np.max(post.pdf(_BETA_X))))
    need = max(3.0, 1.15 * peak)
    return 3.0 * 2.0 ** max(0, int(np.ceil(np.log2(need / 3.0) - 1e-9)))


def _beta_background(ax: Axes, flips: object, a: float = 1.0, b: float = 1.0,
                     true_p: float | None = None) -> Axes:
    """The axes of :func:`draw_beta_posterior`: limits and labels."""
    _prior, post, _ = _beta_check(ax, flips, a, b, true_p)
    ax.clear()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, _beta_top(post))
    ax.set_xlabel("success probability $p$")
    ax.set_ylabel("density")
    # Fixed labels, so that the legend stays in the background; the title gives n and k,
    # the posterior mean is written by its line.
    handles = [Line2D([], [], color="#999999", lw=2, ls="--"),
               Line2D([], [], color="#0072B2", lw=2.5),
               Line2D([], [], color="#0072B2", lw=1)]
    labels = ["prior Beta(a, b)", "posterior Beta(a + k, b + n \N{MINUS SIGN} k)",
              "posterior mean"]
    if true_p is not None:
        handles.append(Line2D([], [], color="#D55E00", lw=2, ls=":"))
        labels.append("true p")
    ax.legend(handles, labels, loc="upper left", fontsize=8)
    return ax


def _beta_foreground(ax: Axes, flips: object, a: float = 1.0, b: float = 1.0,
                     true_p: float | None = None) -> list:
    """Prior, posterior, its mean, the true p, title and legend."""
    prior, post, true_p = _beta_check(ax, flips, a, b, true_p)
    flips = np.asarray(flips)
    k, n = int(flips.sum()), int(flips.size)
    x = _BETA_X
    density = post.pdf(x)
    moving = ax.plot(x, prior.pdf(x), color="#999999", lw=2, ls="--",
                     label=f"prior Beta({a:g}, {b:g})")
    moving += ax.plot(x, density, color="#0072B2", lw=2.5,
                      label=f"posterior Beta({post.a:g}, {post.b:g})")
    moving.append(ax.fill_between(x, density, color="#0072B2", alpha=0.15))
    moving.append(ax.axvline(post.mean(), color="#0072B2", lw=1,
                             label=f"posterior mean {post.mean():.3f}"))
    if true_p is not None:
        moving.append(ax.axvline(true_p, color="#D55E00", lw=2, ls=":",
                                 label=f"true p = {true_p:g}"))
    moving.append(ax.text(post.mean(), 0.97, f" {post.mean():.3f}",
                          transform=ax.get_xaxis_transform(), va="top", color="#0072B2",
                          fontsize=9))
    moving.append(moving_title(ax, f"After {n} flips: {k} heads, {n - k} tails"))
    return moving


def _beta_key(flips: object = (), a: float = 1.0, b: float = 1.0,
              true_p: float | None = None, **_: object) -> tuple:
    return _beta_top(beta_posterior(Beta(a, b), flips)), true_p is None


#: :func:`draw_beta_posterior` in layers: the axes change only when the peak doubles.
BETA_POSTERIOR_LAYERS = Layers(_beta_background, _beta_foreground, key=_beta_key)


def draw_beta_posterior(ax: Axes, flips: object, a: float = 1.0, b: float = 1.0,
                        true_p: float | None = None) -> None:
    """Draw the ``Beta(a, b)`` prior and the posterior after the coin ``flips`` (0/1).

    The posterior is ``Beta(a + k, b + n - k)``; its mean and the true success
    probability (when given) are marked. The density axis reaches 3, 6, 12, 24, ...:
    the first of these steps with room for the posterior's peak.
    """
    BETA_POSTERIOR_LAYERS(ax, flips=flips, a=a, b=b, true_p=true_p)


@lru_cache(maxsize=2)
def _normal_draws(rows: int, reps: int, sigma: float, seed: int) -> np.ndarray:
    """``rows`` × ``reps`` seeded N(0, σ²) draws, drawn row after row: the first ``n``
    rows are the same for every ``rows >= n``, so that one array serves all sizes."""
    draws = Normal(0.0, sigma).sample((rows, reps), np.random.default_rng(seed))
    draws.setflags(write=False)
    return draws


@lru_cache(maxsize=8)
def _variance_estimates(n: int, reps: int, sigma: float, seed: int) -> tuple:
    """The 1/n and 1/(n-1) variance estimates of ``reps`` samples (column j of the draws
    is sample j), and the 60-bin histogram edges on [0, 3.5 σ²]."""
    rows = max(64, 1 << (n - 1).bit_length())
    x = _normal_draws(rows, reps, sigma, seed)[:n]
    unbiased = sample_variance(x, axis=0, ddof=1)
    biased = unbiased * ((n - 1) / n)  # the 1/n estimate: the same sums over n
    bins = np.linspace(0, 3.5 * sigma**2, 60)
    heights = tuple(np.histogram(v, bins=bins, density=True)[0] for v in (biased, unbiased))
    # The density axis: 1.25·2^k, the first step above the taller histogram (+5 %).
    tallest = max(float(h.max()) for h in heights)
    top = 1.25 * 2.0 ** int(np.ceil(np.log2(1.05 * tallest / 1.25) - 1e-9))
    for v in (biased, unbiased, bins, *heights):
        v.setflags(write=False)
    return biased, unbiased, bins, heights, top


def _variance_args(n: object, reps: object, sigma: object, seed: object) -> tuple:
    n = check_int(n, "n", minimum=2)
    reps = check_int(reps, "reps", minimum=1)
    sigma = check_scalar(sigma, "sigma")
    seed = check_int(seed, "seed", minimum=0)
    Normal(0.0, sigma)  # checks sigma > 0
    return n, reps, sigma, seed


_VARIANCE_COLORS = ("#D55E00", "#0072B2")
_VARIANCE_LABELS = (r"$\frac{1}{n}\sum (X_i-\bar X)^2$", r"$S^2=\frac{1}{n-1}\sum (X_i-\bar X)^2$")


def _variance_background(ax: Axes, n: int, reps: int = 20000, sigma: float = 1.0,
                         seed: int = 0) -> Axes:
    """The axes of :func:`draw_variance_estimators`: limits, label and the true σ²."""
    check_axes(ax)
    args = _variance_args(n, reps, sigma, seed)
    *_, top = _variance_estimates(*args)
    true = args[2] ** 2
    ax.clear()
    ax.set_xlim(0, true * 3.5)
    ax.set_ylim(0, top)
    ax.set_xlabel("estimate of the variance")
    # The legend's labels do not move: the averages are written by their lines.
    handles = [Patch(color=c, alpha=0.5) for c in _VARIANCE_COLORS]
    handles += [Line2D([], [], color="black", lw=2)]
    handles += [Line2D([], [], color=c, lw=2, ls="--") for c in _VARIANCE_COLORS]
    ax.legend(handles, [*_VARIANCE_LABELS, rf"true $\sigma^2$ = {true:g}", "average of 1/n",
                        "average of S\N{SUPERSCRIPT TWO}"], loc="upper right", fontsize=8)
    return ax


def _variance_foreground(ax: Axes, n: int, reps: int = 20000, sigma: float = 1.0,
                         seed: int = 0) -> list:
    """The two histograms, the averages, the true σ², title and legend."""
    n, reps, sigma, seed = _variance_args(n, reps, sigma, seed)
    biased, unbiased, bins, heights, _top = _variance_estimates(n, reps, sigma, seed)
    true = sigma**2
    moving = []
    # One filled step outline per histogram: ~60 bars as single patches cost a live
    # update tens of milliseconds.
    for density, color, label in zip(heights, _VARIANCE_COLORS, _VARIANCE_LABELS,
                                     strict=True):
        moving.append(ax.stairs(density, bins, fill=True, alpha=0.5, color=color, label=label))
    moving.append(ax.axvline(true, color="black", lw=2, label=rf"true $\sigma^2$ = {true:g}"))
    top = ax.get_xaxis_transform()  # x in data, y in axes fraction
    for values, color, name, side in ((biased, "#D55E00", "1/n", "right"),
                                      (unbiased, "#0072B2", "S\N{SUPERSCRIPT TWO}", "left")):
        mean = float(values.mean())
        moving.append(ax.axvline(mean, color=color, lw=2, ls="--",
                                 label=f"average of {name}: {mean:.3f}"))
        # plain text: a new mathtext string per update would cost ~15 ms
        pad = (-1 if side == "right" else 1) * 0.02 * true
        moving.append(ax.text(mean + pad, 0.97, f"{mean:.3f}", transform=top, ha=side,
                              va="top", color=color, fontsize=9))
    moving.append(moving_title(ax, f"{reps} samples of size n = {n} from N(0, {true:g})"))
    return moving


def _variance_key(n: int = 2, reps: int = 20000, sigma: float = 1.0, seed: int = 0,
                  **_: object) -> tuple:
    args = _variance_args(n, reps, sigma, seed)
    return args[1:], _variance_estimates(*args)[-1]


#: :func:`draw_variance_estimators` in layers: the axes change only when the taller
#: histogram crosses a step 1.25·2^k.
VARIANCE_LAYERS = Layers(_variance_background, _variance_foreground, key=_variance_key)


def draw_variance_estimators(ax: Axes, n: int, reps: int = 20000, sigma: float = 1.0,
                             seed: int = 0) -> None:
    """Histogram of the 1/n and 1/(n-1) variance estimates over ``reps`` normal samples
    of size ``n`` (Eq. (1.18)–(1.19)), with each estimator's average and the true σ²."""
    VARIANCE_LAYERS(ax, n=n, reps=reps, sigma=sigma, seed=seed)
