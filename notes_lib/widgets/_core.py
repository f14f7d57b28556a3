"""The two wrappers of a drawing function: live ipywidgets controls and static HTML frames."""

from __future__ import annotations

import base64
import html
import itertools
import json
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import ipywidgets as widgets
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg

from .._validation import check_int
from ..plotting import (
    Layers,
    book_style,
    new_figure,
)
from ..plotting._style import canvas_png

Draw = Callable[..., None]

#: Rendered backgrounds a live control keeps (about 0.7 MB each at the default size).
BACKGROUNDS_KEPT = 16
_STALE = object()


@dataclass
class _Renderer:
    """Renders ``draw(ax, **values)`` into the Agg canvas of ``ax``'s figure; a
    :class:`~notes_lib.plotting.Layers` drawing is blitted."""

    draw: Draw
    ax: Axes
    # The key of the background whose artists are on the axes now (_STALE: none), the
    # context for its foreground, the foreground artists on the axes now, and the
    # rendered pixels and axes limits of recent backgrounds.
    _key: object = field(default=None, init=False)
    _context: object = field(default=None, init=False)
    _moving: list[Artist] = field(default_factory=list, init=False)
    _pixels: OrderedDict = field(default_factory=OrderedDict, init=False)

    def __post_init__(self) -> None:
        self._key = _STALE
        if not isinstance(self.ax.figure.canvas, FigureCanvasAgg):
            FigureCanvasAgg(self.ax.figure)

    def render(self, values: Mapping[str, object]) -> None:
        """Draw for ``values``; the canvas then holds the picture (see ``canvas_png``)."""
        try:
            with book_style():
                if isinstance(self.draw, Layers):
                    self._blit(values)
                else:
                    self.draw(self.ax, **values)
                    self.ax.figure.canvas.draw()
        except BaseException:
            self._key = _STALE  # the background may be half drawn: redraw it next time
            raise

    def _blit(self, values: dict[str, object]) -> None:
        """Render a :class:`Layers` drawing: the foreground artists drawn over the pixels
        of the background, which are rendered only for a key (and axes limits) not seen
        among the last :data:`BACKGROUNDS_KEPT` backgrounds."""
        layers: Layers = self.draw
        fig = self.ax.figure
        for artist in self._moving:
            artist.remove()
        self._moving = []
        key = layers.key(**values)
        if key != self._key:
            # Artists only (a few ms); rendering them is what the pixel cache saves.
            self._key = _STALE
            self._context = layers.background(self.ax, **values)
            for ax in fig.axes:  # the foreground draws into fixed limits
                ax.get_xlim()  # (resolves any pending autoscale first)
                ax.set_autoscale_on(False)
            self._key = key
        self._moving = sorted(layers.foreground(self._context, **values),
                              key=lambda artist: artist.get_zorder())
        limits = [(ax.get_position().bounds, ax.viewLim.bounds) for ax in fig.axes]
        cached = self._pixels.get(key)
        if cached is not None and cached[1] == limits:
            self._pixels.move_to_end(key)
            fig.canvas.restore_region(cached[0])
        else:
            shown = [artist.get_visible() for artist in self._moving]
            for artist in self._moving:
                artist.set_visible(False)
            fig.canvas.draw()
            self._pixels[key] = (fig.canvas.copy_from_bbox(fig.bbox), limits)
            if len(self._pixels) > BACKGROUNDS_KEPT:
                self._pixels.popitem(last=False)
            for artist, visible in zip(self._moving, shown, strict=True):
                artist.set_visible(visible)
        renderer = fig.canvas.get_renderer()
        for artist in self._moving:
            artist.draw(renderer)


@dataclass
class InteractiveFigure:
    """ipywidgets controls in front of a drawing function (see :func:`interactive_figure`).

    Attributes
    ----------
    draw : callable or notes_lib.plotting.Layers
        ``draw(ax, **values)``. A :class:`~notes_lib.plotting.Layers` drawing is blitted:
        its background is rendered once per ``key`` and each update draws only the
        foreground over a copy of those pixels.
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
    _renderer: _Renderer = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._renderer = _Renderer(self.draw, self.ax)
        self.widget = widgets.VBox(
            [widgets.HBox(list(self.controls.values())), self.error, self.image]
        )
        for control in self.controls.values():
            control.observe(self.update, names="value")
        self.update()

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


    @property
    def values(self) -> dict[str, object]:
        """The current value of every control, by keyword."""
        return {name: c.value for name, c in self.controls.items()}

    def update(self, change: object = None) -> None:
        """Redraw with the controls' current values (called on every change)."""
        if self._paused:
            return
        try:
            self._renderer.render(self.values)
        except (ValueError, TypeError) as exc:
            self.error.value = f"<b>Cannot draw:</b> {html.escape(str(exc))}"
            return
        self.error.value = ""
        # Full colour, fast zlib level: a live update is latency-bound, not size-bound.
        self.image.value = canvas_png(self.ax.figure, compress_level=1)

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
    fig, ax = new_figure(*size)
    fig.set_dpi(check_int(dpi, "dpi", minimum=10))
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
    fig.set_dpi(check_int(dpi, "dpi", minimum=10))
    renderer = _Renderer(draw, ax)  # a Layers drawing renders each background once
    frames, alts = {}, {}
    for combo in itertools.product(*grid.values()):
        params = dict(zip(grid, combo, strict=True))
        renderer.render(params)
        frames[combo] = canvas_png(fig, colors=64, compress_level=9)
        alts[combo] = alt.format(**params)
    return StaticFrames(key=key, grid=grid, frames=frames, alts=alts, initial=start)
