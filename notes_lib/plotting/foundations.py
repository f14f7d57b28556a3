"""Drawings for chapter 1: Taylor polynomials, distributions, posteriors, estimators."""



import numpy as np
from matplotlib.axes import Axes

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
    check_axes(ax)
    if not isinstance(dist, Distribution):
        raise TypeError(f"dist must be a notes_lib.probability distribution, got "
                        f"{type(dist).__name__}")
    n_samples = check_int(n_samples, "n_samples", minimum=0)
    seed = check_int(seed, "seed", minimum=0)
    ax.clear()
    x, lo, hi = _support(dist)
    density = dist.density(x)
    if n_samples:
        draws = dist.sample(n_samples, np.random.default_rng(seed))
        if dist.discrete:
            counts = np.bincount(draws.astype(np.int64), minlength=x.size)[: x.size] / n_samples
            ax.bar(x, counts, width=0.8, color="#56B4E9", alpha=0.6,
                   label=f"{n_samples} samples")
        else:
            ax.hist(draws, bins=40, range=(lo, hi), density=True, color="#56B4E9", alpha=0.6,
                    label=f"{n_samples} samples")
    if dist.discrete:
        ax.vlines(x, 0, density, color="black", lw=2)
        ax.plot(x, density, "o", color="black", ms=4, label="pmf")
    else:
        ax.plot(x, density, color="black", lw=2, label="pdf")
    mean, sd = dist.mean(), dist.std()
    top = float(np.max(density[np.isfinite(density)])) if np.any(np.isfinite(density)) else 1.0
    ax.axvline(mean, color="#D55E00", lw=2, label=f"mean = {mean:.3g}")
    ax.axvspan(mean - sd, mean + sd, color="#D55E00", alpha=0.12, label=f"± 1 sd = {sd:.3g}")
    ax.set_xlim(lo, hi)
    ax.set_ylim(0, 1.25 * top if np.isfinite(top) and top > 0 else 1.0)
    params = ", ".join(f"{k}={v:g}" for k, v in vars(dist).items())
    ax.set_title(f"{dist.name}({params})")
    ax.set_xlabel("$k$" if dist.discrete else "$x$")
    ax.legend(loc="upper right", fontsize=8)


def draw_beta_posterior(ax: Axes, flips: object, a: float = 1.0, b: float = 1.0,
                        true_p: float | None = None) -> None:
    """Draw the ``Beta(a, b)`` prior and the posterior after the coin ``flips`` (0/1).

    The posterior is ``Beta(a + k, b + n - k)``; its mean and the true success
    probability (when given) are marked.
    """
    check_axes(ax)
    if true_p is not None:
        true_p = check_scalar(true_p, "true_p")
        if not 0.0 <= true_p <= 1.0:
            raise ValueError(f"true_p must be in [0, 1], got {true_p}")
    prior = Beta(a, b)
    post = beta_posterior(prior, flips)
    flips = np.asarray(flips)
    k, n = int(flips.sum()), int(flips.size)
    x = np.linspace(0.0, 1.0, 401)[1:-1]
    ax.clear()
    ax.plot(x, prior.pdf(x), color="#999999", lw=2, ls="--", label=f"prior Beta({a:g}, {b:g})")
    ax.plot(x, post.pdf(x), color="#0072B2", lw=2.5,
            label=f"posterior Beta({post.a:g}, {post.b:g})")
    ax.fill_between(x, post.pdf(x), color="#0072B2", alpha=0.15)
    ax.axvline(post.mean(), color="#0072B2", lw=1, label=f"posterior mean {post.mean():.3f}")
    if true_p is not None:
        ax.axvline(true_p, color="#D55E00", lw=2, ls=":", label=f"true p = {true_p:g}")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, max(3.0, 1.15 * float(post.pdf(np.array([post.mean()]))[0]),
                       1.15 * float(np.max(post.pdf(x)))))
    ax.set_xlabel("success probability $p$")
    ax.set_ylabel("density")
    ax.set_title(f"After {n} flips: {k} heads, {n - k} tails")
    ax.legend(loc="upper left", fontsize=8)


def draw_variance_estimators(ax: Axes, n: int, reps: int = 20000, sigma: float = 1.0,
                             seed: int = 0) -> None:
    """Histogram of the 1/n and 1/(n-1) variance estimates over ``reps`` normal samples
    of size ``n`` (Eq. (1.18)–(1.19)), with each estimator's average and the true σ²."""
    check_axes(ax)
    n = check_int(n, "n", minimum=2)
    reps = check_int(reps, "reps", minimum=1)
    sigma = check_scalar(sigma, "sigma")
    seed = check_int(seed, "seed", minimum=0)
    x = Normal(0.0, sigma).sample((reps, n), np.random.default_rng(seed))
    biased = sample_variance(x, ddof=0)
    unbiased = sample_variance(x, ddof=1)
    true = sigma**2
    hi = true * 3.5
    ax.clear()
    bins = np.linspace(0, hi, 60)
    ax.hist(biased, bins=bins, density=True, alpha=0.5, color="#D55E00",
            label=r"$\frac{1}{n}\sum (X_i-\bar X)^2$")
    ax.hist(unbiased, bins=bins, density=True, alpha=0.5, color="#0072B2",
            label=r"$S^2=\frac{1}{n-1}\sum (X_i-\bar X)^2$")
    ax.axvline(true, color="black", lw=2, label=rf"true $\sigma^2$ = {true:g}")
    ax.axvline(biased.mean(), color="#D55E00", lw=2, ls="--",
               label=f"average of 1/n: {biased.mean():.3f}")
    ax.axvline(unbiased.mean(), color="#0072B2", lw=2, ls="--",
               label=f"average of $S^2$: {unbiased.mean():.3f}")
    ax.set_xlim(0, hi)
    ax.set_xlabel("estimate of the variance")
    ax.set_title(f"{reps} samples of size n = {n} from N(0, {true:g})")
    ax.legend(loc="upper right", fontsize=8)
