"""The book's figure helpers."""

import io

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from notes_lib import plotting


def test_figure_png_is_deterministic_white_background_png():
    fig, ax = plotting.new_figure(3, 2)
    plotting.draw_taylor(ax, "exp", 2, 0.0)
    a, b = plotting.figure_png(fig), plotting.figure_png(fig)
    assert a == b
    image = Image.open(io.BytesIO(a)).convert("RGB")
    assert image.size == (240, 160)
    assert image.getpixel((1, 1)) == (255, 255, 255)  # readable on a dark theme
    full = plotting.figure_png(fig, colors=None)
    assert Image.open(io.BytesIO(full)).mode in ("RGBA", "RGB")


def test_use_book_style_sets_white_backgrounds():
    with plt.rc_context():
        plotting.use_book_style()
        assert plt.rcParams["figure.facecolor"] == "white"
        assert plt.rcParams["savefig.facecolor"] == "white"


def test_draw_taylor_plots_function_and_polynomial():
    _fig, ax = plotting.new_figure()
    plotting.draw_taylor(ax, "sin", 3, 0.5, xlim=(-1, 2))
    x, y = ax.lines[0].get_data()
    np.testing.assert_allclose(y, np.sin(x))
    assert ax.get_xlim() == (-1.0, 2.0)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"ax": None}, TypeError, "ax must be"),
        ({"name": "tan"}, ValueError, "name must be one of"),
        ({"n": -1}, ValueError, "n must be >= 0"),
        ({"xlim": (2, 1)}, ValueError, "xlim must be increasing"),
        ({"name": "log1p", "x0": -1.0}, ValueError, "x0 must be > -1"),
    ],
)
def test_draw_taylor_bad_input(kwargs, exc, match):
    _fig, ax = plotting.new_figure()
    args = {"ax": ax} | kwargs
    with pytest.raises(exc, match=match):
        plotting.draw_taylor(**args)


def test_figure_png_bad_input():
    with pytest.raises(TypeError, match="fig must be"):
        plotting.figure_png("figure")
    fig, _ = plotting.new_figure()
    with pytest.raises(ValueError, match="dpi must be >= 10"):
        plotting.figure_png(fig, dpi=1)
    with pytest.raises(ValueError, match="compress_level must be <= 9"):
        plotting.figure_png(fig, colors=None, compress_level=10)


def test_fast_png_has_the_same_pixels():
    """The live widgets' zlib level 1 changes the file size, never the picture."""
    fig, ax = plotting.new_figure(3, 2)
    plotting.draw_taylor(ax, "sin", 5, 0.5)
    fast = plotting.figure_png(fig, colors=None, compress_level=1)
    small = plotting.figure_png(fig, colors=None, compress_level=9)
    pixels = [np.asarray(Image.open(io.BytesIO(png))) for png in (fast, small)]
    np.testing.assert_array_equal(*pixels)


def test_moving_title_is_placed_like_set_title():
    fig, ax = plotting.new_figure()
    with plotting.book_style():
        ax.set_title("reference", loc="left", fontsize=9)
        moving = plotting.moving_title(ax, "moving", loc="left", fontsize=9)
    assert moving.get_position() == (0.0, 1.0) and moving.get_ha() == "left"
    assert moving.get_fontsize() == ax._left_title.get_fontsize() == 9
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    ref = ax._left_title.get_window_extent(renderer)
    got = moving.get_window_extent(renderer)
    assert abs(got.x0 - ref.x0) < 1 and abs(got.y0 - ref.y0) < 1  # same place, in pixels
    with pytest.raises(ValueError, match="loc must be"):
        plotting.moving_title(ax, "x", loc="top")
