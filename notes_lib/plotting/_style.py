"""The book's matplotlib style and the figure helpers every drawing uses."""


import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from PIL import Image

from .._validation import check_int

STYLE = Path(__file__).with_name("book.mplstyle")


def check_axes(ax: object) -> Axes:
    """Return ``ax`` if it is a matplotlib Axes; every drawing function starts with this."""
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    return ax


def use_book_style() -> None:
    """Apply the book's matplotlib style (``notes_lib/plotting/book.mplstyle``) globally."""
    plt.style.use(STYLE)


@contextmanager
def book_style() -> Iterator[None]:
    """Context manager applying the book's style only inside a ``with`` block."""
    with plt.style.context(STYLE):
        yield


def new_figure(width: float = 6.4, height: float = 4.0) -> tuple[Figure, Axes]:
    """A figure with one axes in the book's style, not attached to pyplot.

    Figures made this way are never shown implicitly by the inline backend and
    are freed by the garbage collector, which is what widgets and pre-rendered
    frames need.
    """
    with book_style():
        fig = Figure(figsize=(width, height))
        ax = fig.add_subplot()
    return fig, ax


def figure_png(fig: Figure, dpi: int = 80, colors: int | None = 64,
               compress_level: int = 6) -> bytes:
    """Render ``fig`` to PNG bytes, deterministically (no software/date metadata).

    Parameters
    ----------
    fig : Figure
    dpi : int
        Resolution.
    colors : int or None
        Reduce to a palette of this many colours (line art loses nothing visible
        and the PNG shrinks about threefold, which matters for frames embedded in
        the HTML book); ``None`` keeps full colour.
    compress_level : int
        zlib level 0-9 of the full-colour PNG. The live widgets use 1: a larger file,
        but encoded several times faster, and it never leaves the machine.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    dpi = check_int(dpi, "dpi", minimum=10)
    compress_level = check_int(compress_level, "compress_level", minimum=0)
    if compress_level > 9:
        raise ValueError(f"compress_level must be <= 9, got {compress_level}")
    buf = io.BytesIO()
    with book_style():
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None},
                    pil_kwargs={"compress_level": compress_level})
    if colors is None:
        return buf.getvalue()
    return _encode(Image.open(buf).convert("RGB"), colors, compress_level)


def _encode(image: Image.Image, colors: int | None, compress_level: int) -> bytes:
    """PNG bytes of an RGB image, reduced to a palette of ``colors`` colours if given."""
    out = io.BytesIO()
    if colors is None:
        image.save(out, format="png", compress_level=compress_level)
    else:
        colors = check_int(colors, "colors", minimum=2)
        image = image.quantize(colors=min(colors, 256), method=Image.Quantize.MEDIANCUT)
        image.save(out, format="png", optimize=True)
    return out.getvalue()


def canvas_png(fig: Figure, compress_level: int = 1, colors: int | None = None) -> bytes:
    """PNG bytes of what ``fig``'s Agg canvas rendered last (no new rendering).

    The live controls and the pre-rendered frames render, or blit, into the canvas
    themselves. ``colors`` and ``compress_level`` are as in :func:`figure_png`: a live
    update encodes full colour at zlib level 1 (a few milliseconds).
    """
    if not isinstance(fig, Figure) or not hasattr(fig.canvas, "buffer_rgba"):
        raise TypeError("fig must be a matplotlib Figure with an Agg canvas")
    compress_level = check_int(compress_level, "compress_level", minimum=0)
    if compress_level > 9:
        raise ValueError(f"compress_level must be <= 9, got {compress_level}")
    width, height = fig.canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba(),
                             "raw", "RGBA", 0, 1).convert("RGB")
    return _encode(image, colors, compress_level)
