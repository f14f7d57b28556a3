"""Residual learning (section 3.4 of the notes): the block :math:`y = x + \\mathcal F(x)`
of Figure 3.4, and plain / residual MLP builders for the degradation experiment.

A :class:`Residual` follows the layer protocol of :mod:`notes_lib.nn.layers`
(``forward(x, train=True)``, ``backward(delta)``, ``params``, ``grads``), so it can sit
inside a :class:`~notes_lib.nn.layers.Sequential` and be trained by
:class:`~notes_lib.nn.layers.SGD` and checked by
:func:`~notes_lib.nn.layers.check_gradients` like any other layer.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._validation import check_int, check_scalar
from .activations import get_activation
from .layers import Act, Dense, Layer, Sequential, _batch, _rng

_PROTOCOL = ("forward", "backward", "params", "grads")


def _is_layer(obj: object) -> bool:
    return all(hasattr(obj, a) for a in _PROTOCOL)


class Residual:
    """Residual block :math:`y = x + \\mathcal F(x)` with an identity shortcut (Figure 3.4).

    The inner block :math:`\\mathcal F` learns the residual
    :math:`\\mathcal F(x) = \\mathcal H(x) - x` of the mapping :math:`\\mathcal H` the block
    should represent. Its Jacobian is :math:`\\partial y/\\partial x = I + \\partial\\mathcal
    F/\\partial x`, so backward returns ``delta + F.backward(delta)``: the upstream
    gradient reaches the input unchanged through the shortcut, plus what flows through
    :math:`\\mathcal F`.

    Figure 3.4 puts a ReLU *after* the addition; that activation is not part of this
    layer — follow it with ``Act('relu')`` (as :func:`residual_mlp` does).

    Parameters
    ----------
    inner : Sequential, layer or sequence of layers
        The residual branch :math:`\\mathcal F`; it must map an input batch to an array of
        the same shape. A layer or a list of layers is wrapped in a
        :class:`~notes_lib.nn.layers.Sequential`.

    Attributes
    ----------
    inner : Sequential
        The branch :math:`\\mathcal F`.
    params, grads : dict of str to ndarray
        The branch's parameters and their gradients, keyed ``"<layer index>.<name>"``
        (``"0.W"``, ``"2.b"``, and ``"1.0.W"`` for a nested block). Both are rebuilt on
        every access and hold the inner layers' *own* arrays, so an in-place update
        ``params[key] += v`` (as :class:`~notes_lib.nn.layers.SGD` does) changes the inner
        weights, and ``grads`` always shows the gradients of the last ``backward``.

    Examples
    --------
    >>> import numpy as np
    >>> from notes_lib.nn.layers import Act, Dense
    >>> rng = np.random.default_rng(0)
    >>> block = Residual([Dense(3, 3, rng), Act("relu"), Dense(3, 3, rng)])
    >>> sorted(block.params)
    ['0.W', '0.b', '2.W', '2.b']
    """

    def __init__(self, inner: Sequential | Layer | Sequence[Layer]) -> None:
        if isinstance(inner, Sequential):
            self.inner = inner
        elif _is_layer(inner):
            self.inner = Sequential([inner])  # type: ignore[list-item]
        elif isinstance(inner, Sequence) and not isinstance(inner, str | bytes):
            self.inner = Sequential(inner)  # TypeError naming layers[i] if one is not a layer
        else:
            raise TypeError("inner must be a Sequential, a layer or a list of layers "
                            f"(forward, backward, params, grads), got {type(inner).__name__}")
        self._shape: tuple[int, ...] | None = None

    @property
    def params(self) -> dict[str, np.ndarray]:
        return {f"{i}.{k}": v for i, layer in enumerate(self.inner.layers)
                for k, v in layer.params.items()}

    @property
    def grads(self) -> dict[str, np.ndarray]:
        return {f"{i}.{k}": v for i, layer in enumerate(self.inner.layers)
                for k, v in layer.grads.items()}

    def forward(self, x: object, train: bool = True) -> np.ndarray:
        """:math:`y = x + \\mathcal F(x)` for a batch ``x`` of shape ``(N, n)``."""
        x = _batch(x)
        fx = self.inner.forward(x, train=train)
        if fx.shape != x.shape:
            raise ValueError(f"the inner block maps x of shape {x.shape} to shape {fx.shape}; "
                             "a Residual needs F(x) to have the shape of x")
        self._shape = x.shape
        return x + fx

    def backward(self, delta: object) -> np.ndarray:
        """:math:`\\partial C/\\partial x = \\delta (I + \\partial\\mathcal F/\\partial x)`
        = ``delta + F.backward(delta)``; stores the branch's parameter gradients."""
        if self._shape is None:
            raise RuntimeError("backward called before forward")
        delta = _batch(delta, "delta")
        if delta.shape != self._shape:
            raise ValueError(f"delta must have shape {self._shape}, got {delta.shape}")
        return delta + self.inner.backward(delta)


def _body_args(width: object, depth: object, rng: object, activation: object,
               n_in: object, n_out: object) -> tuple[int, int, np.random.Generator, int, int]:
    width = check_int(width, "width", minimum=1)
    depth = check_int(depth, "depth", minimum=0)
    rng = _rng(rng)
    get_activation(activation)  # type: ignore[arg-type]  # validates the name
    n_in = width if n_in is None else check_int(n_in, "n_in", minimum=1)
    n_out = width if n_out is None else check_int(n_out, "n_out", minimum=1)
    return width, depth, rng, n_in, n_out


def plain_mlp(width: int, depth: int, rng: np.random.Generator, activation: str = "relu", *,
              n_in: int | None = None, n_out: int | None = None,
              init: str | float = "he") -> Sequential:
    """A plain (no shortcut) MLP with ``depth`` hidden weight layers of size ``width``.

    Layers: ``Dense(n_in, width), f``, then ``depth`` times ``Dense(width, width), f``,
    then ``Dense(width, n_out)`` (a linear output). With the same ``rng`` state it draws
    exactly the same weights, in the same order, as :func:`residual_mlp` with
    ``branch_scale=1``: the two networks differ only by the shortcuts.

    Parameters
    ----------
    width : int
        Units of every hidden layer.
    depth : int
        Number of hidden ``width x width`` weight layers (``>= 0``).
    rng : numpy.random.Generator
        Draws the initial weights.
    activation : str
        A name of :data:`notes_lib.nn.activations.ACTIVATIONS`.
    n_in, n_out : int, optional
        Input and output sizes (default ``width``).
    init : {'he', 'xavier'} or float
        Initialisation of every :class:`~notes_lib.nn.layers.Dense` layer.

    Returns
    -------
    Sequential
    """
    width, depth, rng, n_in, n_out = _body_args(width, depth, rng, activation, n_in, n_out)
    layers: list[Layer] = [Dense(n_in, width, rng, init), Act(activation)]
    for _ in range(depth):
        layers += [Dense(width, width, rng, init), Act(activation)]
    layers.append(Dense(width, n_out, rng, init))
    return Sequential(layers)


def residual_mlp(width: int, depth: int, rng: np.random.Generator, activation: str = "relu", *,
                 n_in: int | None = None, n_out: int | None = None, init: str | float = "he",
                 branch_scale: float = 1.0) -> Sequential:
    """The residual counterpart of :func:`plain_mlp`: same layers, same initial weights,
    but every two hidden weight layers form the block of Figure 3.4,
    :math:`x \\to` weight layer :math:`\\to f \\to` weight layer :math:`\\to \\oplus\\, x
    \\to f`.

    Layers: ``Dense(n_in, width), f``, then ``depth // 2`` times
    ``Residual([Dense, f, Dense]), f``, then ``Dense(width, n_out)``.

    Parameters
    ----------
    width, rng, activation, n_in, n_out, init
        As in :func:`plain_mlp`.
    depth : int
        Number of hidden weight layers, even (``depth // 2`` residual blocks).
    branch_scale : float
        Factor applied to the initial weights of the second weight layer of every block
        (``>= 0``). ``1`` keeps the initialisation of :func:`plain_mlp`; ``0`` starts every
        block at :math:`\\mathcal F = 0`, i.e. at the identity, as the notes suggest
        ("push the residual to zero").

    Returns
    -------
    Sequential
    """
    width, depth, rng, n_in, n_out = _body_args(width, depth, rng, activation, n_in, n_out)
    if depth % 2:
        raise ValueError(f"depth must be even (two weight layers per residual block), got {depth}")
    branch_scale = check_scalar(branch_scale, "branch_scale", minimum=0)
    layers: list[Layer] = [Dense(n_in, width, rng, init), Act(activation)]
    for _ in range(depth // 2):
        first, second = Dense(width, width, rng, init), Dense(width, width, rng, init)
        second.params["W"] *= branch_scale
        layers += [Residual([first, Act(activation), second]), Act(activation)]
    layers.append(Dense(width, n_out, rng, init))
    return Sequential(layers)
