"""Drawings for chapter 3: variance profiles of deep networks."""

import functools
import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from .._validation import check_int
from ._layers import Layers, moving_title
from ._style import check_axes

#: Depths up to this are drawn on a short layer axis, deeper networks on one of 64 layers.
_SHORT_DEPTH = 16
#: Decades of the variance axis: its limits are 10^-e and 10^e for the first e of these
#: that holds the curves (and the legend's headroom), so that they rarely move.
_DECADES = (3, 6, 10, 20, 50, 100, 200, 300)


def draw_init_variances(ax: Axes, depth: int = 50, width: int = 128, init: str = "he_normal",
                        activation: str = "relu", batch: int = 128, seed: int = 0) -> None:
    """Per-layer variances of a deep MLP under an initialiser (section 3.7), log scale.

    Draws :math:`\\mathrm{Var}(a^l)` (forward) and :math:`\\mathrm{Var}(\\partial\\mathcal
    L/\\partial z^l)` (backward, Eq. (3.36)) against the layer ``l``, from
    :func:`notes_lib.nn.init.forward_backward_variances` with
    ``np.random.default_rng(seed)``. Layers whose variance is exactly 0 cannot be drawn
    on a log axis and are reported in the figure.

    Parameters
    ----------
    ax : matplotlib Axes
        Cleared and redrawn.
    depth, width : int
        Number of layers and units per layer.
    init : str
        A key of :data:`notes_lib.nn.init.INITIALIZERS`.
    activation : str
        ``'tanh'``, ``'relu'``, ``'sigmoid'``, ``'linear'``...
    batch, seed : int
        Batch size and seed of the experiment.
    """
    INIT_LAYERS(ax, depth=depth, width=width, init=init, activation=activation, batch=batch,
                seed=seed)


#: The deepest network whose weights are drawn once and shared by every smaller depth.
SWEEP_DEPTH = 64


@functools.lru_cache(maxsize=8)
def _sweep(width: int, init: str, batch: int, seed: int) -> object:
    from ..nn.init import DepthSweep

    return DepthSweep(SWEEP_DEPTH, width, init, seed, batch)


@functools.lru_cache(maxsize=256)
def _profile(depth: int, width: int, init: str, activation: str, batch: int,
             seed: int) -> object:
    if depth <= SWEEP_DEPTH:  # the same numbers, without drawing the weights again
        return _sweep(width, init, batch, seed).profile(depth, activation)
    from ..nn.init import forward_backward_variances

    return forward_backward_variances(depth, width, activation, init,
                                      np.random.default_rng(seed), batch=batch)


def _init_profile(depth: object, width: object, init: object, activation: object,
                  batch: object, seed: object) -> object:
    """The experiment's variances (validated, cached: revisiting a setting is free)."""
    seed = check_int(seed, "seed", minimum=0)
    depth = check_int(depth, "depth", minimum=1)
    width = check_int(width, "width", minimum=1)
    batch = check_int(batch, "batch", minimum=2)
    if not isinstance(init, str) or not isinstance(activation, str):
        from ..nn.init import forward_backward_variances  # its errors name the argument

        return forward_backward_variances(depth, width, activation, init,
                                          np.random.default_rng(seed), batch=batch)
    return _profile(depth, width, init, activation, batch, seed)


def _quantised(exponent: float) -> int:
    for e in _DECADES:
        if exponent <= e:
            return e
    return _DECADES[-1]


def _init_limits(profile: object) -> tuple[float, int, int]:
    """Right end of the layer axis and the decades of the variance axis, quantised."""
    depth = len(profile.layers)
    right = (_SHORT_DEPTH if depth <= _SHORT_DEPTH else max(64, depth)) + 0.5
    values = np.concatenate([profile.a_var, profile.delta_var])
    values = values[np.isfinite(values) & (values > 0)]
    if values.size:
        low = math.log10(min(values.min(), 1e-2)) - 1
        high = math.log10(max(values.max(), 1e2)) + 4   # the headroom holds the legend
    else:
        low, high = -3.0, 5.0
    return right, _quantised(-math.floor(low)), _quantised(math.ceil(high))


def _init_key(depth: int = 50, width: int = 128, init: str = "he_normal",
              activation: str = "relu", batch: int = 128, seed: int = 0) -> tuple:
    return _init_limits(_init_profile(depth, width, init, activation, batch, seed))


#: Colour, line style and (plain-text) legend label of the two curves.
_INIT_CURVES = (("#0072B2", "-", "activations Var(a)"),
                ("#D55E00", "--", "gradients Var(∂L/∂z)"))


def _init_background(ax: Axes, depth: int = 50, width: int = 128, init: str = "he_normal",
                     activation: str = "relu", batch: int = 128, seed: int = 0) -> tuple:
    """Log axes with quantised limits, the reference line at 1 and the axis labels."""
    from matplotlib.ticker import NullLocator

    check_axes(ax)
    profile = _init_profile(depth, width, init, activation, batch, seed)
    right, low, high = _init_limits(profile)
    ax.clear()
    ax.axhline(1.0, color="#999999", lw=1, ls=":")
    ax.set_yscale("log")
    ax.set_ylim(10.0 ** -low, 10.0 ** high)
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlim(0.5, right)
    ax.set_xlabel("layer $l$")
    ax.set_ylabel("variance (log scale)")
    # A fixed legend, drawn once: the values are read off the curves on the log axis.
    handles = [Line2D([], [], color=color, ls=style, lw=2, label=label)
               for color, style, label in _INIT_CURVES]
    ax.legend(handles=handles, loc="upper left", fontsize=8)
    return ax


def _init_foreground(ax: Axes, depth: int = 50, width: int = 128, init: str = "he_normal",
                     activation: str = "relu", batch: int = 128, seed: int = 0) -> list:
    """The two variance curves, their legend and the title."""
    profile = _init_profile(depth, width, init, activation, batch, seed)
    layers = profile.layers
    moving, zero = [], []
    for values, (color, style, label) in zip((profile.a_var, profile.delta_var), _INIT_CURVES,
                                             strict=True):
        ok = np.isfinite(values) & (values > 0)
        marker = "o" if ok.sum() < 3 else None
        # (a curve with nothing drawable is an empty line, still there to be inspected)
        moving += ax.plot(layers[ok] if ok.any() else [np.nan],
                          values[ok] if ok.any() else [np.nan],
                          style, color=color, lw=2, marker=marker, label=label)
        if not ok.all():
            zero.append(label.split(" ")[0])
    title = f"{init} initialisation, {activation}: {depth} layers of width {width}"
    if zero:
        title += "\n(" + " and ".join(zero) + ": variance exactly 0 in some layers, not drawn)"
    moving.append(moving_title(ax, title, fontsize=10 if zero else None))
    return moving


#: :func:`draw_init_variances` in layers: the axes change only when the quantised limits
#: do; the curves, legend and title move with every control.
INIT_LAYERS = Layers(_init_background, _init_foreground, key=_init_key)
