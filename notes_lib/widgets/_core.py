"""The two wrappers of a drawing function: live ipywidgets controls and static HTML frames."""

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
from matplotlib.axes import Axes

from .._validation import check_int
from ..plotting import (
    book_style,
    figure_png,
    new_figure,
)

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
        # Full colour, fast zlib level: a live update is latency-bound, not size-bound.
        self.image.value = figure_png(self.ax.figure, self.dpi, colors=None, compress_level=1)

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

    def _repr_png_(self) -> bytes:
        """The initial frame alone, for outputs that cannot run the sliders' script (the
        PDF book chooses image/png; the HTML book prefers text/html)."""
        return self.frames[self.initial]

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
