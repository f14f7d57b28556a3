"""Builders for the book's interactive controls and their static counterparts.

Each control is a *pure drawing function* ``draw(ax, **params)`` (in
:mod:`notes_lib.plotting`) wrapped twice:

* :func:`interactive_figure` puts ipywidgets controls in front of it; every
  change of a control redraws the axes and replaces the PNG shown by an
  ``ipywidgets.Image`` (live notebooks, ``make lab``);
* :func:`static_frames` renders it once for every point of a small parameter
  grid and returns HTML range sliders that swap the pre-rendered frames with a
  few lines of JavaScript (the HTML book, which has no kernel).

So the picture a reader sees in the book is exactly what the live control draws.
"""

from __future__ import annotations

import base64
import html
import itertools
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import ipywidgets as widgets
import numpy as np
from matplotlib.axes import Axes

from ._validation import check_int, check_scalar
from .calculus import FUNCTIONS
from .plotting import (
    book_style,
    draw_beta_posterior,
    draw_distribution,
    draw_taylor,
    draw_variance_estimators,
    figure_png,
    new_figure,
)
from .probability import DISTRIBUTIONS, Bernoulli

Draw = Callable[..., None]


@dataclass
class InteractiveFigure:
    """ipywidgets controls in front of a drawing function (see :func:`interactive_figure`).

    Attributes
    ----------
    controls : dict of str to ipywidgets.ValueWidget
        One control per keyword argument of ``draw``; set ``.value`` to update.
    image : ipywidgets.Image
        The rendered figure (PNG bytes in ``image.value``).
    ax : matplotlib Axes
        The axes ``draw`` last drew on, for inspection in tests.
    error : ipywidgets.HTML
        Shows the message when ``draw`` rejects a combination of values.
    """

    draw: Draw
    controls: dict[str, widgets.ValueWidget]
    image: widgets.Image
    ax: Axes
    error: widgets.HTML
    dpi: int
    widget: widgets.VBox = field(init=False)
    _paused: bool = field(default=False, init=False, repr=False)

    @contextmanager
    def paused(self, redraw: bool = True) -> Iterator[None]:
        """Change several controls at once without a redraw for each change.

        With ``redraw=False`` nothing is redrawn at the end either: use it from an
        observer that runs before the figure's own observer of the same control.
        """
        self._paused = True
        try:
            yield
        finally:
            self._paused = False
        if redraw:
            self.update()

    def __post_init__(self) -> None:
        self.widget = widgets.VBox(
            [widgets.HBox(list(self.controls.values())), self.error, self.image]
        )
        for control in self.controls.values():
            control.observe(self.update, names="value")
        self.update()

    @property
    def values(self) -> dict[str, object]:
        """The current value of every control, by keyword."""
        return {name: c.value for name, c in self.controls.items()}

    def update(self, change: object = None) -> None:
        """Redraw with the controls' current values (called on every change)."""
        if self._paused:
            return
        try:
            with book_style():
                self.draw(self.ax, **self.values)
        except (ValueError, TypeError) as exc:
            self.error.value = f"<b>Cannot draw:</b> {html.escape(str(exc))}"
            return
        self.error.value = ""
        self.image.value = figure_png(self.ax.figure, self.dpi)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"InteractiveFigure(controls={self.values})"


def interactive_figure(
    draw: Draw,
    controls: Mapping[str, widgets.ValueWidget],
    *,
    size: tuple[float, float] = (6.4, 4.0),
    dpi: int = 80,
) -> InteractiveFigure:
    """Wrap ``draw(ax, **values)`` in ipywidgets ``controls``.

    Parameters
    ----------
    draw : callable
        ``draw(ax, **params)`` clears ``ax`` and draws the figure for ``params``.
    controls : mapping of str to ipywidgets.ValueWidget
        Keyword of ``draw`` -> control whose ``.value`` is passed for it.
    size : (float, float)
        Figure size in inches.
    dpi : int
        Resolution of the PNG sent to the browser.
    """
    if not callable(draw):
        raise TypeError(f"draw must be callable, got {type(draw).__name__}")
    if not isinstance(controls, Mapping) or not controls:
        raise ValueError("controls must be a non-empty mapping of keyword -> widget")
    for name, control in controls.items():
        if not isinstance(control, widgets.ValueWidget):
            raise TypeError(f"controls[{name!r}] must be an ipywidgets ValueWidget")
    _fig, ax = new_figure(*size)
    return InteractiveFigure(
        draw=draw,
        controls=dict(controls),
        image=widgets.Image(format="png"),
        ax=ax,
        error=widgets.HTML(),
        dpi=check_int(dpi, "dpi", minimum=10),
    )


_KEY = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass
class StaticFrames:
    """Pre-rendered frames behind HTML range sliders (see :func:`static_frames`)."""

    key: str
    grid: dict[str, list]
    frames: dict[tuple, bytes]
    alts: dict[tuple, str]
    initial: tuple

    def __repr__(self) -> str:
        return f"StaticFrames(key={self.key!r}, {len(self.frames)} frames of {list(self.grid)})"

    def _repr_html_(self) -> str:
        root = f"static-{self.key}"
        names = list(self.grid)
        parts = [f'<div class="nb-static-frames" id="{root}">']
        parts.append('<div class="nb-static-controls" style="display:flex;flex-wrap:wrap;'
                     'gap:0.5em 2em;align-items:center;margin-bottom:0.5em">')
        for name, start in zip(names, self.initial, strict=True):
            values = self.grid[name]
            i = values.index(start)
            shown = [f"{v:g}" if isinstance(v, float) else str(v) for v in values]
            parts.append(
                '<label style="display:inline-flex;align-items:center;gap:0.5em">'
                f'{html.escape(name)} <input type="range" min="0" max="{len(values) - 1}" '
                f'step="1" value="{i}" data-param="{html.escape(name)}" '
                f'data-labels="{html.escape(json.dumps(shown))}" aria-label="{html.escape(name)}">'
                f' <output style="min-width:2.5em">{html.escape(shown[i])}</output></label>'
            )
        parts.append("</div>")
        for combo, png in self.frames.items():
            index = "_".join(str(self.grid[n].index(v)) for n, v in zip(names, combo, strict=True))
            hidden = "" if combo == self.initial else " hidden"
            data = base64.b64encode(png).decode("ascii")
            parts.append(
                f'<img data-frame="{index}" alt="{html.escape(self.alts[combo])}"{hidden} '
                f'src="data:image/png;base64,{data}">'
            )
        parts.append(
            "<script>(function(){"
            f'var root=document.getElementById("{root}");'
            'var inputs=root.querySelectorAll("input[type=range]");'
            "function show(){var key=[];inputs.forEach(function(i){key.push(i.value);"
            "i.nextElementSibling.textContent=JSON.parse(i.dataset.labels)[i.value];});"
            'key=key.join("_");root.querySelectorAll("img[data-frame]").forEach('
            "function(im){im.hidden=(im.dataset.frame!==key);});}"
            'inputs.forEach(function(i){i.addEventListener("input",show);});show();})();'
            "</script></div>"
        )
        return "".join(parts)


def static_frames(
    draw: Draw,
    grid: Mapping[str, Sequence],
    *,
    key: str,
    alt: str,
    initial: Mapping[str, object] | None = None,
    size: tuple[float, float] = (6.4, 4.0),
    dpi: int = 72,
) -> StaticFrames:
    """Render ``draw`` on every point of ``grid``: the kernel-free twin of a widget.

    Parameters
    ----------
    draw : callable
        The same ``draw(ax, **params)`` the live control uses.
    grid : mapping of str to sequence
        Values of each parameter; one slider per parameter, one frame per combination.
    key : str
        Identifier of the control in the page (lower case letters, digits, ``-``);
        it makes the HTML deterministic, as strict nbval requires.
    alt : str
        Alternative text of each frame, formatted with the frame's parameters,
        e.g. ``"Taylor polynomial of order {n}"``.
    initial : mapping, optional
        The frame shown first (default: the first value of each parameter).
    """
    if not callable(draw):
        raise TypeError(f"draw must be callable, got {type(draw).__name__}")
    if not isinstance(key, str) or not _KEY.match(key):
        raise ValueError(f"key must match {_KEY.pattern!r}, got {key!r}")
    if not isinstance(grid, Mapping) or not grid:
        raise ValueError("grid must be a non-empty mapping of parameter -> values")
    grid = {name: list(values) for name, values in grid.items()}
    for name, values in grid.items():
        if not values:
            raise ValueError(f"grid[{name!r}] must hold at least one value")
    count = 1
    for values in grid.values():
        count *= len(values)
    if count > 64:
        raise ValueError(f"grid has {count} combinations; at most 64 frames are embedded")
    initial = dict(initial or {})
    for name in initial:
        if name not in grid:
            raise ValueError(f"initial names {name!r}, which is not a parameter of grid")
        if initial[name] not in grid[name]:
            raise ValueError(f"initial[{name!r}] = {initial[name]!r} is not in grid[{name!r}]")
    start = tuple(initial.get(name, values[0]) for name, values in grid.items())
    fig, ax = new_figure(*size)
    frames, alts = {}, {}
    for combo in itertools.product(*grid.values()):
        params = dict(zip(grid, combo, strict=True))
        with book_style():
            draw(ax, **params)
        frames[combo] = figure_png(fig, dpi)
        alts[combo] = alt.format(**params)
    return StaticFrames(key=key, grid=grid, frames=frames, alts=alts, initial=start)


def taylor_widget(name: str = "exp", n: int = 3, x0: float = 0.0) -> InteractiveFigure:
    """Live control for section 1.1: function, order ``n`` and expansion point ``x0``."""
    controls = {
        "name": widgets.Dropdown(options=list(FUNCTIONS), value=name, description="f"),
        "n": widgets.IntSlider(value=n, min=0, max=12, description="order n"),
        "x0": widgets.FloatSlider(value=x0, min=-2.0, max=2.0, step=0.25, description="x0"),
    }
    return interactive_figure(draw_taylor, controls)


def taylor_static(name: str = "exp") -> StaticFrames:
    """Static counterpart of :func:`taylor_widget` for the HTML book."""
    return static_frames(
        lambda ax, n, x0: draw_taylor(ax, name, n, x0),
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


def _draw_explorer(ax: Axes, distribution: str, theta1: float, theta2: float,
                   samples: int) -> None:
    names = list(EXPLORER_PARAMETERS[distribution])
    values = dict(zip(names, (theta1, theta2), strict=False))
    draw_distribution(ax, _make_distribution(distribution, values), n_samples=samples)


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
    figure = interactive_figure(_draw_explorer, controls)
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


def beta_posterior_widget(true_p: float = 0.7) -> InteractiveFigure:
    """Live Beta–Bernoulli update: the posterior as coin flips arrive."""
    controls = {
        "flips": widgets.IntSlider(value=10, min=0, max=200, description="flips seen"),
        "true_p": widgets.FloatSlider(value=true_p, min=0.05, max=0.95, step=0.05,
                                      description="true p"),
        "a": widgets.FloatSlider(value=1.0, min=0.5, max=20, step=0.5, description="prior a"),
        "b": widgets.FloatSlider(value=1.0, min=0.5, max=20, step=0.5, description="prior b"),
    }
    return interactive_figure(_draw_coin, controls)


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
    return interactive_figure(draw_variance_estimators, controls)


def variance_static() -> StaticFrames:
    """Static counterpart of :func:`variance_widget`."""
    return static_frames(
        draw_variance_estimators, {"n": [2, 3, 4, 5, 8, 10, 20, 50]},
        key="variance-estimators",
        alt="Histograms of the biased (1/n) and unbiased (1/(n-1)) variance estimates over "
            "20000 normal samples of size {n}, with their averages and the true variance",
        initial={"n": 5},
    )


#: Activations offered by :func:`init_widget`.
INIT_ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")


def init_widget(depth: int = 50, width: int = 128, init: str = "he_normal",
                activation: str = "relu") -> InteractiveFigure:
    """Live control for section 3.7: per-layer activation and gradient variances of a deep
    MLP for a chosen depth, width, initialisation and activation."""
    from .nn.init import INITIALIZERS
    from .plotting import draw_init_variances

    controls = {
        # depth <= 64, width <= 256, batch 128: about 0.1 s per update on one core
        "depth": widgets.IntSlider(value=depth, min=1, max=64, description="depth"),
        "width": widgets.IntSlider(value=width, min=8, max=256, step=8, description="width"),
        "init": widgets.Dropdown(options=list(INITIALIZERS), value=init,
                                 description="initialisation"),
        "activation": widgets.Dropdown(options=list(INIT_ACTIVATIONS), value=activation,
                                       description="activation"),
    }
    return interactive_figure(draw_init_variances, controls)


def init_static(width: int = 128) -> StaticFrames:
    """Static counterpart of :func:`init_widget`: every initialisation, tanh and ReLU,
    10 and 50 layers (28 frames)."""
    from .nn.init import INITIALIZERS
    from .plotting import draw_init_variances

    width = check_int(width, "width", minimum=1)
    return static_frames(
        lambda ax, init, activation, depth: draw_init_variances(ax, depth, width, init,
                                                                activation),
        {"init": list(INITIALIZERS), "activation": ["tanh", "relu"], "depth": [10, 50]},
        key="init-variances",
        alt="Per-layer variance of the activations and of the back-propagated gradients, on a "
            "logarithmic scale, in a {depth}-layer network of width " + str(width) +
            " with {activation} units and {init} initialisation",
        initial={"init": "he_normal", "activation": "relu", "depth": 50},
    )


def perceptron_widget(step: int = 0) -> InteractiveFigure:
    """Live control for section 2.6: step through the updates of the perceptron (Eq. (2.39))
    on Li Hang's example."""
    from .perceptron import Perceptron
    from .plotting import PERCEPTRON_EXAMPLE_X, PERCEPTRON_EXAMPLE_Y, draw_perceptron_step

    n = Perceptron().fit(PERCEPTRON_EXAMPLE_X, PERCEPTRON_EXAMPLE_Y).n_updates_
    controls = {"step": widgets.IntSlider(value=step, min=0, max=n, description="update")}
    return interactive_figure(draw_perceptron_step, controls)


def perceptron_static() -> StaticFrames:
    """Static counterpart of :func:`perceptron_widget` (one frame per update, at most 20)."""
    from .perceptron import Perceptron
    from .plotting import PERCEPTRON_EXAMPLE_X, PERCEPTRON_EXAMPLE_Y, draw_perceptron_step

    n = Perceptron().fit(PERCEPTRON_EXAMPLE_X, PERCEPTRON_EXAMPLE_Y).n_updates_
    steps = sorted({round(k * n / 19) for k in range(20)}) if n > 19 else list(range(n + 1))
    return static_frames(
        draw_perceptron_step, {"step": steps},
        key="perceptron-steps",
        alt="Li Hang's three examples, two positive and one negative, with the perceptron's "
            "separating line after {step} updates and the example that caused the last update "
            "ringed",
        initial={"step": 0},
    )
