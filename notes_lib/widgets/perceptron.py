"""Controls for section 2.6."""

from __future__ import annotations

import ipywidgets as widgets

from ._core import InteractiveFigure, StaticFrames, interactive_figure, static_frames


def perceptron_widget(step: int = 0) -> InteractiveFigure:
    """Live control for section 2.6: step through the updates of the perceptron (Eq. (2.39))
    on Li Hang's example."""
    from ..perceptron import Perceptron
    from ..plotting import PERCEPTRON_EXAMPLE_X, PERCEPTRON_EXAMPLE_Y
    from ..plotting.perceptron import PERCEPTRON_LAYERS

    n = Perceptron().fit(PERCEPTRON_EXAMPLE_X, PERCEPTRON_EXAMPLE_Y).n_updates_
    controls = {"step": widgets.IntSlider(value=step, min=0, max=n, description="update")}
    return interactive_figure(PERCEPTRON_LAYERS, controls)


def perceptron_static() -> StaticFrames:
    """Static counterpart of :func:`perceptron_widget` (one frame per update, at most 20)."""
    from ..perceptron import Perceptron
    from ..plotting import PERCEPTRON_EXAMPLE_X, PERCEPTRON_EXAMPLE_Y
    from ..plotting.perceptron import PERCEPTRON_LAYERS

    n = Perceptron().fit(PERCEPTRON_EXAMPLE_X, PERCEPTRON_EXAMPLE_Y).n_updates_
    steps = sorted({round(k * n / 19) for k in range(20)}) if n > 19 else list(range(n + 1))
    return static_frames(
        PERCEPTRON_LAYERS, {"step": steps},
        key="perceptron-steps",
        alt="Li Hang's three examples, two positive and one negative, with the perceptron's "
            "separating line after {step} updates and the example that caused the last update "
            "ringed",
        initial={"step": 0},
    )
