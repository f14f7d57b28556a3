"""Controls for section 2.11: stepping through the HMM trellis."""

from __future__ import annotations

import ipywidgets as widgets

from ..plotting.hmm import TRELLIS_EXAMPLE_O, TRELLIS_LAYERS
from ._core import InteractiveFigure, StaticFrames, interactive_figure, static_frames


def trellis_widget(step: int = 1, mode: str = "forward") -> InteractiveFigure:
    """Live control for section 2.11: a time-step slider over the trellis of Li Hang's
    three-box HMM, showing the forward variables or the Viterbi back-pointers."""
    T = len(TRELLIS_EXAMPLE_O)
    controls = {
        "step": widgets.IntSlider(value=step, min=1, max=T, description="step t"),
        "mode": widgets.Dropdown(value=mode, options=["forward", "viterbi"],
                                 description="algorithm"),
    }
    return interactive_figure(TRELLIS_LAYERS, controls, size=(7.0, 4.0))


def trellis_static() -> StaticFrames:
    """Static counterpart of :func:`trellis_widget` (2 x T = 16 frames)."""
    T = len(TRELLIS_EXAMPLE_O)
    return static_frames(
        TRELLIS_LAYERS, {"step": list(range(1, T + 1)), "mode": ["forward", "viterbi"]},
        key="hmm-trellis",
        alt="Trellis of three hidden states (rows) against eight time steps (columns) of "
            "Li Hang's box-and-ball HMM; the {mode} values are filled in and shaded up to "
            "step {step}",
        initial={"step": 1, "mode": "forward"},
        size=(7.0, 4.0),
    )
