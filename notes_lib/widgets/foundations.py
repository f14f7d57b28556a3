"""Controls for chapter 1."""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as widgets
import numpy as np
from matplotlib.axes import Axes

from .._validation import check_int, check_scalar
from ..calculus import FUNCTIONS
from ..plotting import (
    Layers,
    draw_beta_posterior,
    draw_distribution,
)
from ..plotting.foundations import (
    BETA_POSTERIOR_LAYERS,
    DISTRIBUTION_LAYERS,
    TAYLOR_LAYERS,
    VARIANCE_LAYERS,
)
from ..probability import DISTRIBUTIONS, Bernoulli, Distribution
from ._core import InteractiveFigure, StaticFrames, interactive_figure, static_frames


def taylor_widget(name: str = "exp", n: int = 3, x0: float = 0.0) -> InteractiveFigure:
    """Live control for section 1.1: function, order ``n`` and expansion point ``x0``."""
    controls = {
        "name": widgets.Dropdown(options=list(FUNCTIONS), value=name, description="f"),
        "n": widgets.IntSlider(value=n, min=0, max=12, description="order n"),
        "x0": widgets.FloatSlider(value=x0, min=-2.0, max=2.0, step=0.25, description="x0"),
    }
    return interactive_figure(TAYLOR_LAYERS, controls)


def taylor_static(name: str = "exp") -> StaticFrames:
    """Static counterpart of :func:`taylor_widget` for the HTML book."""
    return static_frames(
        TAYLOR_LAYERS.bind(name=name),
        {"n": list(range(9)), "x0": [-1.0, 0.0, 1.0]},
        key=f"taylor-{name}",
        alt="Graph of " + name + "(x) and its Taylor polynomial of order {n} at x0 = {x0:g}, "
        "with the band of width given by the Lagrange bound on the remainder",
        initial={"n": 3, "x0": 0.0},
    )


#: Parameters of each distribution in the explorer: name -> {parameter: (min, max, step, value)}.
EXPLORER_PARAMETERS: dict[str, dict[str, tuple[float, float, float, float]]] = {
    "Bernoulli": {"p": (0.0, 1.0, 0.05, 0.3)},
    "Binomial": {"n": (1, 40, 1, 10), "p": (0.0, 1.0, 0.05, 0.3)},
    "Poisson": {"lam": (0.2, 15.0, 0.2, 3.0)},
    "Uniform": {"a": (-4.0, 4.0, 0.5, 0.0), "b": (-4.0, 4.0, 0.5, 2.0)},
    "Normal": {"mu": (-4.0, 4.0, 0.5, 0.0), "sigma": (0.2, 4.0, 0.1, 1.0)},
    "Exponential": {"lam": (0.2, 5.0, 0.1, 1.0)},
}

#: Three parameter settings per distribution for the static explorer.
EXPLORER_PRESETS: dict[str, list[dict[str, float]]] = {
    "Bernoulli": [{"p": 0.5}, {"p": 0.2}, {"p": 0.9}],
    "Binomial": [{"n": 10, "p": 0.5}, {"n": 20, "p": 0.2}, {"n": 40, "p": 0.7}],
    "Poisson": [{"lam": 1.0}, {"lam": 4.0}, {"lam": 10.0}],
    "Uniform": [{"a": 0.0, "b": 1.0}, {"a": -2.0, "b": 2.0}, {"a": 1.0, "b": 4.0}],
    "Normal": [{"mu": 0.0, "sigma": 1.0}, {"mu": 1.0, "sigma": 0.5}, {"mu": -1.0, "sigma": 2.0}],
    "Exponential": [{"lam": 0.5}, {"lam": 1.0}, {"lam": 3.0}],
}


def _make_distribution(name: str, params: Mapping[str, float]):
    cls = DISTRIBUTIONS[name]
    return cls(**{k: (round(v) if k == "n" else v) for k, v in params.items()})


def _explorer_distribution(distribution: str, theta1: float, theta2: float) -> Distribution:
    names = list(EXPLORER_PARAMETERS[distribution])
    return _make_distribution(distribution, dict(zip(names, (theta1, theta2), strict=False)))


def _step(value: float, ratio: float = 3.0) -> tuple[float, float]:
    """The step [ratio^(k - 1/2), ratio^(k + 1/2)) of a geometric grid that holds ``value``."""
    k = int(np.floor(np.log(value) / np.log(ratio) + 0.5))
    return ratio ** (k - 0.5), ratio ** (k + 0.5)


def _first_above(value: float, levels: tuple[float, ...]) -> float:
    return next((level for level in levels if value <= level), levels[-1])


def _explorer_view(dist: Distribution) -> tuple[float, float, float]:
    """Axes limits (x from, x to, y top) of the explorer for ``dist``: fixed over the
    sliders' ranges where that reads well, else in a few steps, so that moving a slider
    redraws the axes (ticks and labels, the slow part of a live update) at most a few
    times over its whole range. Each view holds (virtually) all of the mass."""
    name = dist.name
    if name == "Bernoulli":
        return -0.7, 4.7, 1.25
    if dist.discrete:
        peak = float(np.max(dist.pmf(np.arange(0, 60))))
        top = 1.25 * _first_above(peak, (0.16, 0.4, 1.0))
        if name == "Binomial":
            k = 10 if dist.n <= 10 else 40
        else:  # Poisson, lam up to 15
            k = 12 if dist.mean() + 4.5 * dist.std() + 1 <= 12 else 35
        return -0.7, k + 0.7, top
    if name == "Uniform":
        return -5.0, 5.0, 1.25 * _first_above(1.0 / (dist.b - dist.a), (0.128, 0.32, 0.8, 2.0))
    if name == "Normal":  # mu in [-4, 4]: one step of sigma per view
        lo, hi = _step(dist.sigma)
        return -4.0 - 4.0 * hi, 4.0 + 4.0 * hi, 1.25 / (lo * np.sqrt(2 * np.pi))
    lo, hi = _step(1.0 / dist.lam)  # Exponential: one step of its scale 1/lam per view
    return 0.0, 5.0 * hi, 1.25 / lo


def _explorer_args(distribution: str, theta1: float, theta2: float, samples: int) -> dict:
    dist = _explorer_distribution(distribution, theta1, theta2)
    return {"dist": dist, "n_samples": samples, "view": _explorer_view(dist)}


#: The explorer's drawing: ``draw_distribution`` in the fixed views of :func:`_explorer_view`.
EXPLORER_LAYERS = Layers(
    lambda ax, **values: DISTRIBUTION_LAYERS.background(ax, **_explorer_args(**values)),
    lambda context, **values: DISTRIBUTION_LAYERS.foreground(context,
                                                             **_explorer_args(**values)),
    key=lambda distribution, theta1, theta2, samples, **_: (
        distribution,
        _explorer_view(_explorer_distribution(distribution, theta1, theta2)), samples != 0),
)


def distribution_widget(distribution: str = "Binomial") -> InteractiveFigure:
    """Live distribution explorer (section 1.2): pick a distribution, set its
    parameters, and see its pmf/pdf, mean ± 1 sd and a histogram of samples."""
    if distribution not in EXPLORER_PARAMETERS:
        raise ValueError(f"distribution must be one of {sorted(EXPLORER_PARAMETERS)}, "
                         f"got {distribution!r}")
    controls = {
        "distribution": widgets.Dropdown(options=list(EXPLORER_PARAMETERS), value=distribution,
                                         description="distribution"),
        "theta1": widgets.FloatSlider(description="θ1"),
        "theta2": widgets.FloatSlider(description="θ2"),
        "samples": widgets.IntSlider(value=2000, min=0, max=20000, step=500,
                                     description="samples"),
    }
    holder: list[InteractiveFigure] = []

    def configure(change: object = None) -> None:
        spec = EXPLORER_PARAMETERS[controls["distribution"].value]
        items = list(spec.items())
        for i, key in enumerate(("theta1", "theta2")):
            slider = controls[key]
            if i < len(items):
                name, (lo, hi, step, value) = items[i]
                slider.layout.display = None
                slider.description = name
                slider.min, slider.max = -1e9, 1e9  # widen first so min/max never cross
                slider.min, slider.max, slider.step, slider.value = lo, hi, step, value
            else:
                slider.layout.display = "none"
                slider.description = "unused"

    def on_distribution(change: object) -> None:
        # registered before the figure's own observer, which then redraws once
        with holder[0].paused(redraw=False):
            configure()

    configure()
    controls["distribution"].observe(on_distribution, names="value")
    figure = interactive_figure(EXPLORER_LAYERS, controls)
    holder.append(figure)
    return figure


def distribution_static() -> StaticFrames:
    """Static counterpart of :func:`distribution_widget`: each distribution with three
    parameter settings."""

    def draw(ax: Axes, distribution: str, setting: int) -> None:
        params = EXPLORER_PRESETS[distribution][setting - 1]
        draw_distribution(ax, _make_distribution(distribution, params), n_samples=2000)

    return static_frames(
        draw, {"distribution": list(EXPLORER_PRESETS), "setting": [1, 2, 3]},
        key="distribution-explorer",
        alt="{distribution} distribution, parameter setting {setting}: its probability mass or "
            "density function, a histogram of 2000 samples, and the mean plus or minus one "
            "standard deviation",
    )


def coin_flips(true_p: float, n: int, seed: int = 0) -> np.ndarray:
    """The first ``n`` of a fixed, seeded sequence of coin flips with P(heads) = ``true_p``."""
    true_p = check_scalar(true_p, "true_p")
    if not 0.0 <= true_p <= 1.0:
        raise ValueError(f"true_p must be in [0, 1], got {true_p}")
    n = check_int(n, "n", minimum=0)
    seed = check_int(seed, "seed", minimum=0)
    return Bernoulli(true_p).sample(n, np.random.default_rng(seed))


def _draw_coin(ax: Axes, flips: int, true_p: float, a: float, b: float) -> None:
    draw_beta_posterior(ax, coin_flips(true_p, flips), a, b, true_p=true_p)


def _coin_args(flips: int, true_p: float, a: float, b: float) -> dict:
    return {"flips": coin_flips(true_p, flips), "a": a, "b": b, "true_p": true_p}


#: The coin's drawing in layers: the axes are redrawn only when the posterior's peak
#: needs a taller density axis (see ``draw_beta_posterior``).
COIN_LAYERS = Layers(
    lambda ax, **values: BETA_POSTERIOR_LAYERS.background(ax, **_coin_args(**values)),
    lambda context, **values: BETA_POSTERIOR_LAYERS.foreground(context,
                                                               **_coin_args(**values)),
    key=lambda **values: BETA_POSTERIOR_LAYERS.key(**_coin_args(**values)),
)


def beta_posterior_widget(true_p: float = 0.7) -> InteractiveFigure:
    """Live Beta–Bernoulli update: the posterior as coin flips arrive."""
    controls = {
        "flips": widgets.IntSlider(value=10, min=0, max=200, description="flips seen"),
        "true_p": widgets.FloatSlider(value=true_p, min=0.05, max=0.95, step=0.05,
                                      description="true p"),
        "a": widgets.FloatSlider(value=1.0, min=0.5, max=20, step=0.5, description="prior a"),
        "b": widgets.FloatSlider(value=1.0, min=0.5, max=20, step=0.5, description="prior b"),
    }
    return interactive_figure(COIN_LAYERS, controls)


BETA_STATIC_PRIORS = {"flat Beta(1,1)": (1.0, 1.0), "fair-coin belief Beta(10,10)": (10.0, 10.0)}


def beta_posterior_static(true_p: float = 0.7) -> StaticFrames:
    """Static counterpart of :func:`beta_posterior_widget`."""

    def draw(ax: Axes, flips: int, prior: str) -> None:
        _draw_coin(ax, flips, true_p, *BETA_STATIC_PRIORS[prior])

    return static_frames(
        draw, {"flips": [0, 1, 2, 3, 5, 10, 20, 50, 100, 200], "prior": list(BETA_STATIC_PRIORS)},
        key="beta-posterior",
        alt="Beta prior {prior} and the posterior density of the success probability after "
            "{flips} flips of a coin whose true p is " + f"{true_p:g}",
        initial={"flips": 10},
    )


def variance_widget(n: int = 5) -> InteractiveFigure:
    """Live comparison of the 1/n and 1/(n-1) variance estimators for sample size n."""
    controls = {"n": widgets.IntSlider(value=n, min=2, max=50, description="sample size n")}
    return interactive_figure(VARIANCE_LAYERS, controls)


def variance_static() -> StaticFrames:
    """Static counterpart of :func:`variance_widget`."""
    return static_frames(
        VARIANCE_LAYERS, {"n": [2, 3, 4, 5, 8, 10, 20, 50]},
        key="variance-estimators",
        alt="Histograms of the biased (1/n) and unbiased (1/(n-1)) variance estimates over "
            "20000 normal samples of size {n}, with their averages and the true variance",
        initial={"n": 5},
    )
