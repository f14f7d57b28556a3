"""The book's matplotlib style and the figure helpers its notebooks share.

Every notebook calls :func:`use_book_style` once; figures then have an explicit
white background (readable in the HTML theme's dark mode) and the colour-blind
safe Okabe–Ito palette.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from PIL import Image

from ._validation import as_float_array, check_choice, check_int, check_scalar
from .calculus import FUNCTIONS, LATEX_NAMES, lagrange_bound, taylor

STYLE = Path(__file__).with_name("book.mplstyle")


def use_book_style() -> None:
    """Apply the book's matplotlib style (``notes_lib/book.mplstyle``) globally."""
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


def figure_png(fig: Figure, dpi: int = 80, colors: int | None = 64) -> bytes:
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
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    dpi = check_int(dpi, "dpi", minimum=10)
    buf = io.BytesIO()
    with book_style():
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    if colors is None:
        return buf.getvalue()
    colors = check_int(colors, "colors", minimum=2)
    image = Image.open(buf).convert("RGB").quantize(colors=min(colors, 256),
                                                    method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    image.save(out, format="png", optimize=True)
    return out.getvalue()


def draw_taylor(
    ax: Axes,
    name: str = "exp",
    n: int = 3,
    x0: float = 0.0,
    xlim: tuple[float, float] = (-3.0, 3.0),
    orders: object = None,
) -> None:
    """Draw a function and its Taylor polynomial(s) at ``x0`` on ``ax``.

    Parameters
    ----------
    ax : matplotlib Axes
        Cleared and redrawn.
    name : {'exp', 'sin', 'cos', 'log1p'}
        The function, see :data:`notes_lib.calculus.FUNCTIONS`.
    n : int
        Order of the polynomial drawn with its Lagrange error band (Eq. (1.1)).
    x0 : float
        Expansion point, marked on the curve.
    xlim : (float, float)
        Horizontal range.
    orders : sequence of int, optional
        Further orders to draw as thin lines (the figure of all partial sums).
    """
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    check_choice(name, "name", tuple(FUNCTIONS))
    n = check_int(n, "n", minimum=0)
    x0 = check_scalar(x0, "x0")
    lo, hi = (float(v) for v in as_float_array(xlim, "xlim", ndim=1))
    if not lo < hi:
        raise ValueError(f"xlim must be increasing, got {xlim}")
    if name == "log1p":
        lo = max(lo, -0.99)
        if x0 <= -1:
            raise ValueError("x0 must be > -1 for 'log1p'")
    x = np.linspace(lo, hi, 400)
    fx = FUNCTIONS[name](x)
    ax.clear()
    label = LATEX_NAMES[name]
    for k in [] if orders is None else [check_int(o, "orders", minimum=0) for o in orders]:
        ax.plot(x, taylor(name, x, k, x0), lw=1, alpha=0.6, label=f"$P_{{{k}}}$")
    ax.plot(x, fx, color="black", lw=2.5, label=f"${label}$")
    pn = taylor(name, x, n, x0)
    ax.plot(x, pn, color="#D55E00", lw=2, ls="--", label=f"$P_{{{n}}}(x)$ at $x_0={x0:g}$")
    if orders is None:
        bound = lagrange_bound(name, x, n, x0)
        ax.fill_between(x, pn - bound, pn + bound, color="#D55E00", alpha=0.12,
                        label="Lagrange bound on $|R_n|$")
    ax.plot([x0], [FUNCTIONS[name](np.array(x0))], "o", color="#D55E00", ms=7)
    span = fx.max() - fx.min()
    ax.set_ylim(fx.min() - 0.25 * span - 0.5, fx.max() + 0.25 * span + 0.5)
    ax.set_xlim(lo, hi)
    ax.set_xlabel("$x$")
    ax.set_title(f"Taylor polynomial of ${label}$: order $n={n}$, $x_0={x0:g}$")
    ax.legend(loc="upper left", fontsize=8)

