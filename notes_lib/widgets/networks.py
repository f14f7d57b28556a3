"""Controls for chapter 3."""

from __future__ import annotations

import ipywidgets as widgets

from .._validation import check_int
from ._core import InteractiveFigure, StaticFrames, interactive_figure, static_frames

#: Widths offered by :func:`init_widget`.
INIT_WIDTHS = (8, 16, 32, 64, 128, 256)
#: Activations offered by :func:`init_widget`.
INIT_ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")


def init_widget(depth: int = 50, width: int = 128, init: str = "he_normal",
                activation: str = "relu") -> InteractiveFigure:
    """Live control for section 3.7: per-layer activation and gradient variances of a deep
    MLP for a chosen depth, width, initialisation and activation."""
    from ..nn.init import INITIALIZERS
    from ..plotting.networks import INIT_LAYERS

    controls = {
        # depth <= 64, width <= 256, batch 128; the weights of 64 layers are drawn once per
        # width and initialisation (plotting.networks.SWEEP_DEPTH), each depth reuses them
        "depth": widgets.IntSlider(value=depth, min=1, max=64, description="depth"),
        # widths in powers of two: each new width draws a new network (up to ~0.1 s)
        "width": widgets.SelectionSlider(options=INIT_WIDTHS, value=width, description="width"),
        "init": widgets.Dropdown(options=list(INITIALIZERS), value=init,
                                 description="initialisation"),
        "activation": widgets.Dropdown(options=list(INIT_ACTIVATIONS), value=activation,
                                       description="activation"),
    }
    return interactive_figure(INIT_LAYERS, controls)


def init_static(width: int = 128) -> StaticFrames:
    """Static counterpart of :func:`init_widget`: every initialisation, tanh and ReLU,
    10 and 50 layers (28 frames)."""
    from ..nn.init import INITIALIZERS
    from ..plotting.networks import INIT_LAYERS

    width = check_int(width, "width", minimum=1)
    return static_frames(
        INIT_LAYERS.bind(width=width),
        {"init": list(INITIALIZERS), "activation": ["tanh", "relu"], "depth": [10, 50]},
        key="init-variances",
        alt="Per-layer variance of the activations and of the back-propagated gradients, on a "
            "logarithmic scale, in a {depth}-layer network of width " + str(width) +
            " with {activation} units and {init} initialisation",
        initial={"init": "he_normal", "activation": "relu", "depth": 50},
    )
