"""Widget builders driven from Python, as a reader's clicks would drive them."""

import io

import ipywidgets
import numpy as np
import pytest
from PIL import Image

from notes_lib import calculus, widgets
from notes_lib.plotting import draw_taylor


def _png_size(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


def _dashed_line(ax):
    (line,) = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
    return line


def test_taylor_widget_redraws_when_controls_change():
    w = widgets.taylor_widget()
    first = w.image.value
    assert _png_size(first)[0] > 100
    w.controls["n"].value = 6
    assert w.image.value != first
    line = _dashed_line(w.ax)
    x, y = line.get_data()
    np.testing.assert_allclose(y, calculus.taylor("exp", x, 6, 0.0))

    w.controls["name"].value = "sin"
    w.controls["x0"].value = 1.0
    x, y = _dashed_line(w.ax).get_data()
    np.testing.assert_allclose(y, calculus.taylor("sin", x, 6, 1.0))
    assert w.error.value == ""


def test_taylor_widget_reports_invalid_combination_instead_of_failing():
    w = widgets.taylor_widget("log1p")
    before = w.image.value
    w.controls["x0"].value = -1.5
    assert "x0 must be &gt; -1" in w.error.value  # HTML-escaped message
    assert w.image.value == before
    w.controls["x0"].value = 0.5
    assert w.error.value == ""
    assert w.image.value != before


def test_interactive_figure_is_displayable_as_a_widget():
    w = widgets.taylor_widget()
    assert isinstance(w.widget, ipywidgets.VBox)
    bundle = w._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_static_frames_html_has_one_frame_per_grid_point_and_is_deterministic():
    grid = {"n": [0, 1, 2], "x0": [0.0, 1.0]}
    draw = lambda ax, n, x0: draw_taylor(ax, "cos", n, x0)  # noqa: E731
    frames = widgets.static_frames(draw, grid, key="test-cos", alt="order {n} at {x0:g}",
                                   initial={"n": 1, "x0": 1.0})
    html = frames._repr_html_()
    assert html.count("<img ") == 6
    assert html.count('type="range"') == 2
    assert html.count(" hidden ") == 5  # exactly one frame visible
    assert 'alt="order 1 at 1"' in html
    again = widgets.static_frames(draw, grid, key="test-cos", alt="order {n} at {x0:g}",
                                  initial={"n": 1, "x0": 1.0})._repr_html_()
    assert html == again
    assert "StaticFrames(key='test-cos', 6 frames" in repr(frames)
    # the PDF (and any output without JavaScript) gets the initial frame as image/png
    assert frames._repr_png_() == frames.frames[(1, 1.0)]
    assert frames._repr_png_().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"key": "Bad Key"}, ValueError, "key must match"),
        ({"grid": {}}, ValueError, "grid must be a non-empty"),
        ({"grid": {"n": []}}, ValueError, r"grid\['n'\]"),
        ({"grid": {"n": list(range(65))}}, ValueError, "at most 64"),
        ({"initial": {"m": 1}}, ValueError, "initial names 'm'"),
        ({"initial": {"n": 7}}, ValueError, r"initial\['n'\] = 7"),
        ({"draw": 3}, TypeError, "draw must be callable"),
    ],
)
def test_static_frames_bad_input(kwargs, exc, match):
    args = {"draw": lambda ax, n: None, "grid": {"n": [0, 1]}, "key": "k", "alt": "a"} | kwargs
    with pytest.raises(exc, match=match):
        widgets.static_frames(args.pop("draw"), args.pop("grid"), **args)


def test_interactive_figure_bad_input():
    with pytest.raises(TypeError, match="draw must be callable"):
        widgets.interactive_figure(None, {"n": ipywidgets.IntSlider()})
    with pytest.raises(ValueError, match="controls must be a non-empty"):
        widgets.interactive_figure(lambda ax: None, {})
    with pytest.raises(TypeError, match=r"controls\['n'\]"):
        widgets.interactive_figure(lambda ax, n: None, {"n": 3})


# --- blitting: a live update must show the picture a full redraw gives --------------

def _live_builders() -> list[str]:
    return sorted(name for name in widgets.__all__ if name.endswith("_widget"))


def _other_value(control: ipywidgets.ValueWidget) -> object:
    """A valid value of ``control`` other than its current one (a third into its range)."""
    if isinstance(control, ipywidgets.widgets.widget_selection._Selection):
        values = [v for _, v in control._options_full]
        return values[(values.index(control.value) + 1) % len(values)]
    if isinstance(control, ipywidgets.Checkbox | ipywidgets.ToggleButton):
        return not control.value
    if isinstance(control, ipywidgets.FloatLogSlider):
        steps = round((control.max - control.min) / 3 / control.step)
        exponent = control.min + steps * control.step
        value = control.base ** exponent
    else:
        steps = round((control.max - control.min) / 3 / control.step)
        value = control.min + steps * control.step
    if np.isclose(value, control.value):
        value = control.max
    return type(control.value)(value)


def _full_render(w) -> np.ndarray:
    """The figure for ``w``'s current values drawn whole on a fresh figure."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from notes_lib.plotting import book_style, new_figure

    width, height = w.ax.figure.get_size_inches()
    fig, ax = new_figure(width, height)
    FigureCanvasAgg(fig)
    fig.set_dpi(w.dpi)
    with book_style():
        w.draw(ax, **w.values)
        fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)


def _shown(w) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(w.image.value)).convert("RGB")).astype(int)


@pytest.mark.parametrize("builder", _live_builders())
def test_live_update_shows_the_full_drawing(builder):
    """Change each control in turn, then change the first back (a background seen before):
    after every update the image equals a whole redraw, but for antialiasing and the
    stacking of a moving artist over a static one (under 0.5 % of the pixels)."""
    w = getattr(widgets, builder)()
    names = list(w.controls)
    first = w.controls[names[0]].value
    steps = [(name, _other_value(w.controls[name])) for name in names] + [(names[0], first)]
    for name, value in steps:
        w.controls[name].value = value
        assert w.error.value == "", (name, value, w.error.value)
        shown, full = _shown(w), _full_render(w)
        assert shown.shape == full.shape
        differ = (np.abs(shown - full).max(axis=-1) > 40).mean()
        assert differ < 0.005, f"{builder}: {name}={value!r} differs in {differ:.2%} of pixels"
