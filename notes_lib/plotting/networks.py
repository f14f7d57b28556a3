"""Drawings for chapter 3: variance profiles of deep networks."""



import numpy as np
from matplotlib.axes import Axes

from .._validation import check_int
from ._style import check_axes


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
    from matplotlib.ticker import NullLocator

    from ..nn.init import forward_backward_variances

    check_axes(ax)
    seed = check_int(seed, "seed", minimum=0)
    profile = forward_backward_variances(depth, width, activation, init,
                                         np.random.default_rng(seed), batch=batch)
    layers = profile.layers
    ax.clear()
    # plain-text labels: mathtext layout would double the time of every widget update
    a_first, a_last = profile.a_var[0], profile.a_var[-1]
    d_first, d_last = profile.delta_var[0], profile.delta_var[-1]
    curves = [
        (profile.a_var, "#0072B2", "-",
         f"activations Var(a): {a_first:.2g} at layer 1, {a_last:.2g} at layer {depth}"),
        (profile.delta_var, "#D55E00", "--",
         f"gradients Var(∂L/∂z): {d_last:.2g} at layer {depth}, {d_first:.2g} at layer 1"),
    ]
    shown, zero = [], []
    for values, color, style, label in curves:
        ok = np.isfinite(values) & (values > 0)
        marker = "o" if ok.sum() < 3 else None
        # a curve with nothing drawable still gets its legend entry, drawn off-axis
        ax.semilogy(layers[ok] if ok.any() else [np.nan], values[ok] if ok.any() else [np.nan],
                    style, color=color, lw=2, marker=marker, label=label)
        if ok.any():
            shown.append(values[ok])
        if not ok.all():
            zero.append(label.split(" ")[0])
    ax.axhline(1.0, color="#999999", lw=1, ls=":")
    ax.set_yscale("log")
    if shown:
        both = np.concatenate(shown)
        lo, hi = min(both.min(), 1e-2) / 10, max(both.max(), 1e2) * 1e4
    else:
        lo, hi = 1e-3, 1e5
    ax.set_ylim(lo, hi)  # the headroom above the curves holds the legend
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlim(0.5, layers[-1] + 0.5)
    ax.set_xlabel("layer $l$")
    ax.set_ylabel("variance (log scale)")
    title = f"{init} initialisation, {activation}: {depth} layers of width {width}"
    if zero:
        title += "\n(" + " and ".join(zero) + ": variance exactly 0 in some layers, not drawn)"
    ax.set_title(title, fontsize=10 if zero else None)
    ax.legend(loc="upper left", fontsize=8)
