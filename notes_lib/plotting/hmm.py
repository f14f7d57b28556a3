"""Drawings for section 2.11: the HMM graph (Figure 2.5 of the notes) and its trellis."""

# ruff: noqa: E741  (O is the notes' name of the observation sequence)
from __future__ import annotations

import functools

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.patches import Circle, FancyArrowPatch, Rectangle

from .._validation import check_choice, check_int
from ._layers import Layers, moving_title
from ._style import check_axes

#: Observation sequence of the trellis widget: Li Hang's boxes, red = 0, white = 1.
TRELLIS_EXAMPLE_O = (0, 1, 0, 0, 1, 0, 1, 1)
_SYMBOL_NAMES = ("red", "white")


def draw_hmm_graph(ax: Axes, T: int = 4) -> None:
    """The HMM as a graphical model (redraws Figure 2.5 of the notes).

    A chain of hidden states :math:`i_1 \\to i_2 \\to \\cdots \\to i_T` (white
    circles, arrows labelled by :math:`A`), each emitting its observation
    :math:`o_t` (grey circles, arrows labelled by :math:`B`); :math:`\\vec\\pi`
    points into :math:`i_1`. With ``T >= 5`` the middle is elided as
    :math:`\\cdots`.

    Parameters
    ----------
    ax : matplotlib Axes
        Cleared and redrawn.
    T : int
        Number of time steps drawn, 2 ... 8.
    """
    check_axes(ax)
    T = check_int(T, "T", minimum=2)
    if T > 8:
        raise ValueError(f"T must be <= 8 to be drawn legibly, got {T}")
    ax.clear()
    labels = [str(t) for t in range(1, T + 1)]
    if T >= 5:
        labels = ["1", "2", "t", "t+1", "T"]
    n = len(labels)
    r = 0.36
    y_state, y_obs = 1.6, 0.0
    for k, lab in enumerate(labels):
        x = 1.6 * k
        ax.add_patch(Circle((x, y_state), r, facecolor="white", edgecolor="k", lw=1.5))
        ax.add_patch(Circle((x, y_obs), r, facecolor="#cccccc", edgecolor="k", lw=1.5))
        ax.text(x, y_state, f"$i_{{{lab}}}$", ha="center", va="center", fontsize=11)
        ax.text(x, y_obs, f"$o_{{{lab}}}$", ha="center", va="center", fontsize=11)
        ax.add_patch(FancyArrowPatch((x, y_state - r), (x, y_obs + r), arrowstyle="-|>",
                                     mutation_scale=14, color="#0072B2", lw=1.5))
        ax.text(x + 0.08, (y_state + y_obs) / 2, "$B$", color="#0072B2", fontsize=11,
                va="center")
        if k + 1 < n:
            x2 = 1.6 * (k + 1)
            gap = T >= 5 and k in (1, 3)       # i_2 ... i_t and i_{t+1} ... i_T
            ax.add_patch(FancyArrowPatch((x + r, y_state), (x2 - r, y_state),
                                         arrowstyle="-|>", mutation_scale=14, lw=1.5,
                                         color="#D55E00", linestyle="--" if gap else "-"))
            ax.text((x + x2) / 2, y_state + 0.12, r"$\cdots$" if gap else "$A$",
                    color="#D55E00", ha="center", fontsize=11)
    ax.add_patch(FancyArrowPatch((-1.3, y_state), (-r, y_state), arrowstyle="-|>",
                                 mutation_scale=14, lw=1.5, color="#009E73"))
    ax.text(-0.85, y_state + 0.12, r"$\vec\pi$", color="#009E73", ha="center", fontsize=12)
    ax.text(1.6 * (n - 1) + 0.6, y_state, "hidden states\n(Markov chain)", va="center",
            fontsize=10)
    ax.text(1.6 * (n - 1) + 0.6, y_obs, "observations", va="center", fontsize=10)
    ax.set_xlim(-1.5, 1.6 * (n - 1) + 2.6)
    ax.set_ylim(-0.6, 2.3)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("Hidden Markov model: states emit observations")


@functools.lru_cache(maxsize=8)
def _trellis_tables(O: tuple, A: tuple, B: tuple, pi: tuple) -> dict:
    """Forward and Viterbi tables of a small example (cached: the widget only draws)."""
    from .. import hmm

    A_, B_, pi_ = np.array(A), np.array(B), np.array(pi)
    O_ = hmm.check_observations(np.array(O), B_.shape[1])
    A_, B_, pi_ = hmm.check_parameters(A_, B_, pi_)
    log_alpha = hmm.forward(O_, A_, B_, pi_)
    delta, psi = hmm._viterbi_tables(O_, A_, B_, pi_)
    return {"O": O_, "alpha": np.exp(log_alpha), "delta": delta, "psi": psi,
            "N": pi_.size, "T": O_.size}


def trellis_tables(O: object = None, A: object = None, B: object = None,
                   pi: object = None) -> dict:
    """The tables :func:`draw_trellis` draws: ``alpha`` (T, N), ``delta`` (T, N) (log),
    ``psi`` (T, N). Defaults: Li Hang's model and :data:`TRELLIS_EXAMPLE_O`."""
    from .. import hmm

    O = TRELLIS_EXAMPLE_O if O is None else O
    A = hmm.LI_HANG_A if A is None else A
    B = hmm.LI_HANG_B if B is None else B
    pi = hmm.LI_HANG_PI if pi is None else pi

    def key(x: object) -> tuple:
        arr = np.asarray(x)
        return tuple(map(tuple, arr.tolist())) if arr.ndim == 2 else tuple(arr.tolist())

    return _trellis_tables(key(O), key(A), key(B), key(pi))


def draw_trellis(ax: Axes, step: int = 1, mode: str = "forward", O: object = None,
                 A: object = None, B: object = None, pi: object = None) -> None:
    """The trellis of states against time after ``step`` steps of forward or Viterbi.

    Nodes are the pairs (time :math:`t`, state :math:`q_i`). With ``mode="forward"``
    each node up to ``step`` shows :math:`\\alpha_t(i)`, shaded by
    :math:`\\alpha_t(i)/\\sum_j\\alpha_t(j) = P(i_t = q_i \\mid o_1..o_t)`, and the
    edges into column ``step`` are drawn (every state feeds every state). With
    ``mode="viterbi"`` each node shows :math:`\\delta_t(i)` (as a probability), shaded
    the same way, with its back-pointer :math:`\\psi_t(i)`; at ``step = T`` the
    Viterbi path is drawn thick.

    Parameters
    ----------
    ax : matplotlib Axes
    step : int
        1 ... T.
    mode : {"forward", "viterbi"}
    O, A, B, pi : optional
        Observations and model; default Li Hang's three boxes and
        :data:`TRELLIS_EXAMPLE_O`. At most 10 states and 12 time steps.
    """
    TRELLIS_LAYERS(ax, step=step, mode=mode, O=O, A=A, B=B, pi=pi)


def _trellis_checked(O: object, A: object, B: object, pi: object) -> dict:
    tab = trellis_tables(O, A, B, pi)
    N, T = tab["N"], tab["T"]
    if N > 10 or T > 12:
        raise ValueError(f"the trellis is drawn for at most 10 states and 12 steps, got "
                         f"N = {N}, T = {T}")
    return tab


def _trellis_values(tab: dict, mode: str) -> np.ndarray:
    """The numbers of the nodes, (T, N): alpha (forward) or delta as probabilities."""
    return tab["alpha"] if mode == "forward" else np.exp(tab["delta"])


def _trellis_background(ax: Axes, step: int = 1, mode: str = "forward", O: object = None,
                        A: object = None, B: object = None, pi: object = None) -> tuple:
    """Ticks (time and observation, states), labels, limits and the forward numbers of
    every node: nothing that moves with ``step`` or ``mode`` (the foreground hides the
    numbers of the steps not taken yet, or all of them for Viterbi's)."""
    check_axes(ax)
    check_choice(mode, "mode", ("forward", "viterbi"))
    tab = _trellis_checked(O, A, B, pi)
    N, T = tab["N"], tab["T"]
    ax.clear()
    values = _trellis_values(tab, "forward")
    for t in range(T):
        for i in range(N):
            ax.text(t + 1, i - 0.38, f"{values[t, i]:.3g}", ha="center", va="top", fontsize=7,
                    zorder=3)
    names = [_SYMBOL_NAMES[o] if tab["O"].max() < 2 else f"v{o + 1}" for o in tab["O"]]
    ax.set_xticks(np.arange(1, T + 1), [f"{t}\n{n}" for t, n in zip(range(1, T + 1), names,
                                                                      strict=True)])
    ax.set_yticks(np.arange(N), [f"$q_{i + 1}$" for i in range(N)])
    ax.set_xlim(0.4, T + 0.6)
    ax.set_ylim(N - 0.4, -0.9)
    ax.set_xlabel("time $t$ and observation $o_t$")
    ax.set_ylabel("state")
    ax.grid(False)
    return ax, tab


def _trellis_foreground(context: tuple, step: int = 1, mode: str = "forward",
                        **_: object) -> list:
    """A blank over the background's numbers of the steps after ``step`` (of all steps, and
    Viterbi's numbers up to ``step`` over it, for ``mode="viterbi"``), the edges, the nodes
    (shaded up to ``step``), the step marker and the title."""
    ax, tab = context
    N, T = tab["N"], tab["T"]
    mode = check_choice(mode, "mode", ("forward", "viterbi"))
    step = check_int(step, "step", minimum=1)
    if step > T:
        raise ValueError(f"step must be <= T = {T}, got {step}")
    xs, ys = np.meshgrid(np.arange(1, T + 1), np.arange(N), indexing="ij")   # (T, N)
    values = _trellis_values(tab, mode)
    shade = values / values.sum(axis=1, keepdims=True)
    done = xs <= step
    moving = []
    first = step + 1 if mode == "forward" else 1   # the first column without its number
    if first <= T:
        moving.append(ax.add_patch(Rectangle((first - 0.5, -0.85), T + 0.55 - first + 0.5,
                                             N - 0.45 + 0.85, facecolor="white", lw=0,
                                             zorder=3.5)))
    if mode == "viterbi":
        for t in range(step):
            for i in range(N):
                moving.append(ax.text(t + 1, i - 0.38, f"{values[t, i]:.3g}", ha="center",
                                      va="top", fontsize=7, zorder=3.55))
    # edges: all transitions into the current column (forward) or back-pointers (Viterbi)
    if mode == "forward" and step > 1:
        segs = [((step - 1, i), (step, j)) for i in range(N) for j in range(N)]
        moving.append(ax.add_collection(LineCollection(segs, colors="#999999", lw=0.8,
                                                       zorder=3.6), autolim=False))
    if mode == "viterbi" and step > 1:
        t_idx = np.arange(2, step + 1)
        segs = [((t, j), (t - 1, tab["psi"][t - 1, j])) for t in t_idx for j in range(N)]
        moving.append(ax.add_collection(LineCollection(segs, colors="#0072B2", lw=1.2,
                                                       zorder=3.6), autolim=False))
        if step == T:
            path = np.empty(T, dtype=int)
            path[-1] = int(np.argmax(tab["delta"][-1]))
            for t in range(T - 1, 0, -1):
                path[t - 1] = tab["psi"][t, path[t]]
            moving += ax.plot(np.arange(1, T + 1), path, color="#D55E00", lw=4, zorder=3.7,
                              label="Viterbi path")
    if (~done).any():
        moving.append(ax.scatter(xs[~done], ys[~done], s=500, facecolors="white",
                                 edgecolors="#bbbbbb", zorder=3.8))
    moving.append(ax.scatter(xs[done], ys[done], s=500, c=shade[done], cmap="Greens", vmin=0,
                             vmax=1.2, edgecolors="k", zorder=3.8))
    moving.append(ax.scatter([step], [-0.75], marker="^", color="#D55E00", s=40, zorder=3.9))
    # Plain text (Unicode) for what changes: a new mathtext string costs ~15 ms per update.
    name = "forward α\N{LATIN SUBSCRIPT SMALL LETTER T}(i)" if mode == "forward" else \
        "Viterbi δ\N{LATIN SUBSCRIPT SMALL LETTER T}(i)"
    extra = ""
    if mode == "forward" and step == T:
        extra = f", P(O) = {values[-1].sum():.4g}"
    if mode == "viterbi" and step == T:
        extra = f", P* = {values[-1].max():.4g} (thick: Viterbi path)"
    moving.append(moving_title(ax, f"{name}, step {step} of {T}{extra}"))
    return moving


#: :func:`draw_trellis` in layers: the axes, ticks and the forward numbers of every node
#: are drawn once; a blank hides the numbers not to be shown, and the nodes, edges, the
#: Viterbi numbers and the title move with ``step`` and ``mode``.
TRELLIS_LAYERS = Layers(_trellis_background, _trellis_foreground, key=lambda **_: None)
