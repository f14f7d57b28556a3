"""Drawings in two layers, so that a live control redraws only what moves.

Rendering a whole figure with matplotlib's Agg takes 70-300 ms on a laptop, most of it
laying out and rasterising tick labels, titles and legends that do not change when a
slider moves. A :class:`Layers` drawing separates

* the **background**: everything that depends only on ``key(**params)`` (data points,
  fixed curves, axes limits, labels), rendered once per key and then reused as pixels;
* the **foreground**: the few artists that move with the controls, drawn over a copy of
  the background pixels on every update (matplotlib's *blitting*).

Calling a :class:`Layers` object draws both layers, as an ordinary ``draw(ax, **params)``
does: the book's static figures and frames use that, the live controls
(:func:`notes_lib.widgets.interactive_figure`) use the layers separately. The two paths
give the same picture, which ``tests/test_widgets.py`` checks for every live control.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import partial

import matplotlib as mpl
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.text import Text
from matplotlib.transforms import ScaledTranslation


@dataclass(frozen=True)
class Layers:
    """A drawing ``draw(ax, **params)`` split into a background and a foreground.

    Attributes
    ----------
    background : callable
        ``background(ax, **params) -> context``: clears the figure's axes, draws what does
        not move and fixes the limits of every axes it uses (the foreground must not
        autoscale them). The returned context (often the axes, or a tuple of panels) is
        handed to ``foreground``.
    foreground : callable
        ``foreground(context, **params) -> sequence of Artist``: adds the moving artists
        and returns them; a live control removes them before the next update. It creates
        artists only, it never changes the background's.
    key : callable
        ``key(**params) -> hashable``: the background depends on the parameters only
        through this value; a live control redraws the background when it changes.
    """

    background: Callable[..., object]
    foreground: Callable[..., Sequence[Artist]]
    key: Callable[..., Hashable]

    def __post_init__(self) -> None:
        for name in ("background", "foreground", "key"):
            if not callable(getattr(self, name)):
                raise TypeError(f"{name} must be callable, got "
                                f"{type(getattr(self, name)).__name__}")

    def bind(self, **fixed: object) -> Layers:
        """The same drawing with some parameters fixed (e.g. for pre-rendered frames that
        vary only the others)."""
        return Layers(partial(self.background, **fixed), partial(self.foreground, **fixed),
                      partial(self.key, **fixed))

    def __call__(self, ax: Axes, **params: object) -> None:
        """Draw both layers on ``ax``: the whole picture, as a static figure needs it."""
        context = self.background(ax, **params)
        self.foreground(context, **params)


def moving_title(ax: Axes, label: str, *, loc: str = "center",
                 fontsize: float | None = None) -> Text:
    """A title that belongs to the foreground: placed and styled as ``ax.set_title(label,
    loc=loc, fontsize=fontsize)`` would place it (``axes.titlesize``, ``axes.titlepad``),
    but an artist of its own, so that a live control can remove it and draw the next one
    over the background."""
    x = {"left": 0.0, "center": 0.5, "right": 1.0}.get(loc)
    if x is None:
        raise ValueError(f"loc must be 'left', 'center' or 'right', got {loc!r}")
    rc = mpl.rcParams
    color = rc["axes.titlecolor"]
    offset = ScaledTranslation(0, rc["axes.titlepad"] / 72, ax.figure.dpi_scale_trans)
    return ax.text(x, 1.0, label, transform=ax.transAxes + offset, ha=loc,
                   va="baseline", fontsize=rc["axes.titlesize"] if fontsize is None else fontsize,
                   fontweight=rc["axes.titleweight"],
                   color=rc["text.color"] if color == "auto" else color)
