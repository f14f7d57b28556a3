"""Parameter initialisers and the variance experiment of section 3.7 of the notes.

A weight matrix has shape ``(fan_in, fan_out)`` and a layer computes
``z = a_prev @ W``: ``fan_in`` (:math:`n_{in}`) inputs feed ``fan_out``
(:math:`n_{out}`) units. For other shapes (convolution kernels, biases) the
fans are given explicitly. Every initialiser takes the generator ``rng``
(``np.random.default_rng(seed)``) explicitly, so every draw is reproducible.

=================  ============================  ===============================
initialiser        distribution                  variance
=================  ============================  ===============================
``zeros``          all zero (section 3.7.1)      0
``normal``         :math:`N(0, \\sigma^2)`       :math:`\\sigma^2` (3.7.2: 1)
``lecun_normal``   :math:`N(0, 1/n_{in})`        :math:`1/n_{in}` (the fix of 3.7.2)
``xavier_uniform`` :math:`U(-a, a)`              :math:`2/(n_{in}+n_{out})`, Eq. (3.36)
``xavier_normal``  :math:`N(0, \\sigma^2)`       :math:`2/(n_{in}+n_{out})`
``he_uniform``     :math:`U(-a, a)`              :math:`2/n_{in}`, Eq. (3.40)
``he_normal``      :math:`N(0, \\sigma^2)`       :math:`2/n_{in}`, Eq. (3.40)
=================  ============================  ===============================

with :math:`a = \\sqrt{3\\,\\mathrm{Var}(w)}` for the uniform variants, since
:math:`U(-a, a)` has variance :math:`a^2/3`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_choice, check_int, check_scalar
from .activations import Activation, get_activation

__all__ = [
    "INITIALIZERS",
    "DepthSweep",
    "VarianceProfile",
    "forward_backward_variances",
    "he_normal",
    "he_uniform",
    "init_parameters",
    "initialize",
    "lecun_normal",
    "mlp_forward_backward",
    "normal",
    "xavier_normal",
    "xavier_uniform",
    "zeros",
]


# --------------------------------------------------------------------------- validation
def _check_rng(rng: object) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "rng must be a numpy.random.Generator (e.g. np.random.default_rng(0)), "
            f"got {type(rng).__name__}"
        )
    return rng


def _check_shape(shape: object) -> tuple[int, ...]:
    if isinstance(shape, str | bytes) or not isinstance(shape, Sequence):
        raise TypeError(f"shape must be a tuple of positive integers, got {type(shape).__name__}")
    if len(shape) == 0:
        raise ValueError("shape must have at least one dimension, got ()")
    return tuple(check_int(s, "shape", minimum=1) for s in shape)


def _fans(shape: tuple[int, ...], fan_in: object, fan_out: object) -> tuple[int, int]:
    """``(fan_in, fan_out)``: the explicit fans, or the two dimensions of a matrix shape."""
    if fan_in is None or fan_out is None:
        if len(shape) != 2:
            raise ValueError(
                f"fan_in and fan_out must be given for a shape of {len(shape)} dimensions "
                f"{shape}; only a (fan_in, fan_out) matrix shape implies them"
            )
        fan_in = shape[0] if fan_in is None else fan_in
        fan_out = shape[1] if fan_out is None else fan_out
    return check_int(fan_in, "fan_in", minimum=1), check_int(fan_out, "fan_out", minimum=1)


# --------------------------------------------------------------------------- initialisers
def init_parameters(init: str, fan_in: int, fan_out: int, std: float = 1.0) -> dict[str, object]:
    """Distribution, variance and parameter of the initialiser ``init`` for given fans.

    Parameters
    ----------
    init : str
        A key of :data:`INITIALIZERS`.
    fan_in, fan_out : int
        :math:`n_{in}` and :math:`n_{out}`, both >= 1.
    std : float
        Standard deviation of ``'normal'`` (ignored by the others).

    Returns
    -------
    dict
        ``distribution`` ('constant', 'normal' or 'uniform'), ``variance`` of each
        weight, and ``std`` (normal) or ``bound`` :math:`a` of :math:`U(-a, a)` (uniform).
        The variances are those of Eq. (3.36) (Xavier: :math:`2/(n_{in}+n_{out})`) and
        Eq. (3.40) (He/MSRA: :math:`2/n_{in}`).
    """
    check_choice(init, "init", tuple(INITIALIZERS))
    fan_in = check_int(fan_in, "fan_in", minimum=1)
    fan_out = check_int(fan_out, "fan_out", minimum=1)
    if init == "zeros":
        return {"distribution": "constant", "variance": 0.0, "value": 0.0}
    if init == "normal":
        std = check_scalar(std, "std", minimum=0, exclusive=True)
        variance = std**2
    elif init == "lecun_normal":
        variance = 1.0 / fan_in
    elif init.startswith("xavier"):
        variance = 2.0 / (fan_in + fan_out)
    else:  # he
        variance = 2.0 / fan_in
    if init.endswith("uniform"):
        bound = float(np.sqrt(3 * variance))  # U(-a, a) has variance a^2 / 3
        return {"distribution": "uniform", "variance": variance, "bound": bound}
    return {"distribution": "normal", "variance": variance, "std": float(np.sqrt(variance))}


def _draw(init: str, shape: object, rng: object, fan_in: object, fan_out: object,
          std: float = 1.0) -> np.ndarray:
    shape = _check_shape(shape)
    rng = _check_rng(rng)
    if init in ("zeros", "normal") and (fan_in is None or fan_out is None) and len(shape) != 2:
        n_in, n_out = 1, 1  # these two do not depend on the fans
    else:
        n_in, n_out = _fans(shape, fan_in, fan_out)
    p = init_parameters(init, n_in, n_out, std)
    if p["distribution"] == "constant":
        return np.zeros(shape)
    if p["distribution"] == "uniform":
        return rng.uniform(-p["bound"], p["bound"], size=shape)
    return rng.normal(0.0, p["std"], size=shape)


def zeros(shape: Sequence[int], rng: np.random.Generator, *, fan_in: int | None = None,
          fan_out: int | None = None) -> np.ndarray:
    """All-zero weights (section 3.7.1): every hidden unit stays identical to its neighbours.

    ``rng`` is validated but not used, so that every initialiser has one signature.
    """
    return _draw("zeros", shape, rng, fan_in, fan_out)


def normal(shape: Sequence[int], rng: np.random.Generator, std: float = 1.0, *,
           fan_in: int | None = None, fan_out: int | None = None) -> np.ndarray:
    """:math:`w \\sim N(0, \\mathrm{std}^2)`; ``std=1`` is the standard Gaussian of section 3.7.2.

    Parameters
    ----------
    shape : sequence of int
        Shape of the array, e.g. ``(fan_in, fan_out)``.
    rng : numpy.random.Generator
        Source of randomness.
    std : float
        Standard deviation, > 0.
    """
    return _draw("normal", shape, rng, fan_in, fan_out, std)


def lecun_normal(shape: Sequence[int], rng: np.random.Generator, *, fan_in: int | None = None,
                 fan_out: int | None = None) -> np.ndarray:
    """:math:`N(0, 1/n_{in})`: the forward condition :math:`n_{in}\\mathrm{Var}(w) = 1`
    of Eq. (3.35), the correct form of the fix the notes give in section 3.7.2."""
    return _draw("lecun_normal", shape, rng, fan_in, fan_out)


def xavier_uniform(shape: Sequence[int], rng: np.random.Generator, *, fan_in: int | None = None,
                   fan_out: int | None = None) -> np.ndarray:
    """Xavier/Glorot uniform: :math:`U(-a, a)`, :math:`a = \\sqrt{6}/\\sqrt{n_{in}+n_{out}}`,
    so that :math:`\\mathrm{Var}(w) = a^2/3 = 2/(n_{in}+n_{out})` (section 3.7.3).

    Parameters
    ----------
    shape : sequence of int
        ``(fan_in, fan_out)``, or any shape together with ``fan_in`` and ``fan_out``.
    rng : numpy.random.Generator
        Source of randomness.
    fan_in, fan_out : int, optional
        :math:`n_{in}`, :math:`n_{out}`; required unless ``shape`` has two dimensions.
    """
    return _draw("xavier_uniform", shape, rng, fan_in, fan_out)


def xavier_normal(shape: Sequence[int], rng: np.random.Generator, *, fan_in: int | None = None,
                  fan_out: int | None = None) -> np.ndarray:
    """Xavier/Glorot normal: :math:`N(0, 2/(n_{in}+n_{out}))` (section 3.7.3)."""
    return _draw("xavier_normal", shape, rng, fan_in, fan_out)


def he_uniform(shape: Sequence[int], rng: np.random.Generator, *, fan_in: int | None = None,
               fan_out: int | None = None) -> np.ndarray:
    """He/MSRA uniform: :math:`U(-a, a)`, :math:`a = \\sqrt{6/n_{in}}`, so that
    :math:`\\mathrm{Var}(w) = 2/n_{in}` (Eq. (3.40), section 3.7.4)."""
    return _draw("he_uniform", shape, rng, fan_in, fan_out)


def he_normal(shape: Sequence[int], rng: np.random.Generator, *, fan_in: int | None = None,
              fan_out: int | None = None) -> np.ndarray:
    """He/MSRA normal: :math:`N(0, 2/n_{in})` (Eq. (3.40), section 3.7.4)."""
    return _draw("he_normal", shape, rng, fan_in, fan_out)


#: The initialisers by name; each is called as ``f(shape, rng, fan_in=..., fan_out=...)``.
INITIALIZERS: dict[str, Callable[..., np.ndarray]] = {
    "zeros": zeros,
    "normal": normal,
    "lecun_normal": lecun_normal,
    "xavier_uniform": xavier_uniform,
    "xavier_normal": xavier_normal,
    "he_uniform": he_uniform,
    "he_normal": he_normal,
}


def initialize(init: str, shape: Sequence[int], rng: np.random.Generator, **kwargs: object
               ) -> np.ndarray:
    """Call the initialiser named ``init`` (a key of :data:`INITIALIZERS`)."""
    check_choice(init, "init", tuple(INITIALIZERS))
    return INITIALIZERS[init](shape, rng, **kwargs)


# --------------------------------------------------------------------------- experiment
def _activation(activation: object) -> Activation:
    if isinstance(activation, Activation):
        return activation
    return get_activation(activation)


def mlp_forward_backward(
    x: object, weights: Sequence[object], activation: str | Activation, grad_output: object
) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """Forward and backward pass of a bias-free MLP, every layer side by side.

    Forward: :math:`z^l = a^{l-1} W^l`, :math:`a^l = f(z^l)`, :math:`a^0 = x`.
    Backward from :math:`\\partial\\mathcal L/\\partial a^L` = ``grad_output`` (the loss is
    :math:`\\mathcal L = \\sum g \\odot a^L`): :math:`\\delta^l = \\partial\\mathcal L/\\partial a^l
    \\odot f'(z^l)` and :math:`\\partial\\mathcal L/\\partial a^{l-1} = \\delta^l (W^l)^T`,
    the corrected Eq. (3.41).

    Parameters
    ----------
    x : array, shape (batch, n_0)
    weights : sequence of arrays, ``weights[l-1]`` of shape (n_{l-1}, n_l)
    activation : str or Activation
        Name for :func:`notes_lib.nn.activations.get_activation`.
    grad_output : array, shape (batch, n_L)

    Returns
    -------
    z, a, delta, grad_a : lists of arrays
        ``z[l-1]``, ``delta[l-1]`` for layers l = 1..L; ``a[l]`` and
        ``grad_a[l]`` (:math:`\\partial\\mathcal L/\\partial a^l`) for l = 0..L.
    """
    act = _activation(activation)
    a_prev = as_float_array(x, "x", ndim=2)
    if isinstance(weights, np.ndarray) or not isinstance(weights, Sequence) or not weights:
        raise TypeError("weights must be a non-empty list of 2-d arrays")
    Ws = [as_float_array(W, f"weights[{i}]", ndim=2) for i, W in enumerate(weights)]
    width = a_prev.shape[1]
    for i, W in enumerate(Ws):
        if W.shape[0] != width:
            raise ValueError(f"weights[{i}] has {W.shape[0]} rows but its input has {width} "
                             "columns")
        width = W.shape[1]
    g = as_float_array(grad_output, "grad_output", ndim=2)
    if g.shape != (a_prev.shape[0], width):
        raise ValueError(f"grad_output must have shape {(a_prev.shape[0], width)}, got {g.shape}")
    z, a = _forward(a_prev, Ws, act)
    delta, grad_a = _backward(z, Ws, act, g)
    return z, a, delta, grad_a


def _forward(x: np.ndarray, Ws: Sequence[np.ndarray],
             act: Activation) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """:func:`mlp_forward_backward`'s forward pass (checked inputs): ``z``, ``a``."""
    z, a = [], [x]
    with np.errstate(over="ignore", invalid="ignore"):
        for W in Ws:
            z.append(a[-1] @ W)
            a.append(act.f(z[-1]))
    return z, a


def _backward(z: Sequence[np.ndarray], Ws: Sequence[np.ndarray], act: Activation,
              g: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """:func:`mlp_forward_backward`'s backward pass from ``g`` = dL/da^L: ``delta``,
    ``grad_a``."""
    grad_a: list[np.ndarray] = [g]
    delta: list[np.ndarray] = []
    with np.errstate(over="ignore", invalid="ignore"):
        for W, z_l in zip(reversed(Ws), reversed(z), strict=True):
            delta.append(grad_a[-1] * act.f_prime(z_l))
            grad_a.append(delta[-1] @ W.T)
    return delta[::-1], grad_a[::-1]


@dataclass(frozen=True)
class VarianceProfile:
    """Per-layer variances of a deep MLP (see :func:`forward_backward_variances`).

    All arrays have length ``depth``; index ``l - 1`` is layer ``l``.

    Attributes
    ----------
    z_var : Var(z^l), the pre-activations (state values).
    a_var : Var(a^l), the activations.
    delta_var : Var(dL/dz^l), the back-propagated gradient of Eq. (3.36).
    grad_var : Var(dL/da^l), the gradient of Eq. (3.41) (layer ``depth``: the seed, about 1).
    """

    z_var: np.ndarray
    a_var: np.ndarray
    delta_var: np.ndarray
    grad_var: np.ndarray

    @property
    def layers(self) -> np.ndarray:
        """Layer numbers 1..depth."""
        return np.arange(1, self.z_var.size + 1)


def forward_backward_variances(
    depth: int,
    width: int,
    activation: str,
    init: str,
    rng: np.random.Generator,
    batch: int = 256,
) -> VarianceProfile:
    """Push a batch through a deep bias-free MLP and measure per-layer variances.

    The input is :math:`x \\sim N(0, 1)` of shape ``(batch, width)``; the ``depth``
    weight matrices, each ``(width, width)``, are drawn by the initialiser ``init``;
    the backward pass starts from :math:`\\partial\\mathcal L/\\partial a^L \\sim N(0, 1)`
    (a random linear loss). All from ``rng``, in that order. The variance of a layer
    is taken over all ``batch * width`` entries.

    Under He/MSRA initialisation with ReLU, Eq. (3.40) and (3.43) predict constant
    ``z_var`` and ``grad_var`` in expectation; under the standard Gaussian they grow
    by :math:`n/2` per layer. Variances beyond the float range come out as ``inf``.

    Parameters
    ----------
    depth : int
        Number of layers L >= 1.
    width : int
        Units per layer n >= 1 (``fan_in = fan_out = width``).
    activation : str
        A name for :func:`notes_lib.nn.activations.get_activation` (``'tanh'``, ``'relu'``...).
    init : str
        A key of :data:`INITIALIZERS`.
    rng : numpy.random.Generator
    batch : int
        Number of input vectors, >= 2.

    Returns
    -------
    VarianceProfile
    """
    depth = check_int(depth, "depth", minimum=1)
    width = check_int(width, "width", minimum=1)
    act = get_activation(activation)
    check_choice(init, "init", tuple(INITIALIZERS))
    rng = _check_rng(rng)
    batch = check_int(batch, "batch", minimum=2)
    x = rng.standard_normal((batch, width))
    weights = [INITIALIZERS[init]((width, width), rng) for _ in range(depth)]
    grad_output = rng.standard_normal((batch, width))
    return _variances(x, weights, act, grad_output)


def _variances(x: np.ndarray, weights: list[np.ndarray], act: Activation,
               grad_output: np.ndarray) -> VarianceProfile:
    z, a, delta, grad_a = mlp_forward_backward(x, weights, act, grad_output)
    return VarianceProfile(z_var=_var(z), a_var=_var(a[1:]), delta_var=_var(delta),
                           grad_var=_var(grad_a[1:]))


def _var(arrays: Sequence[np.ndarray]) -> np.ndarray:
    """The variance of each array over all its entries (``inf`` beyond the float range)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.array([np.var(v) for v in arrays])


class DepthSweep:
    """:func:`forward_backward_variances` for every depth up to ``max_depth``, with the
    weights drawn once.

    ``DepthSweep(max_depth, width, init, seed, batch).profile(depth, activation)`` equals
    ``forward_backward_variances(depth, width, activation, init,
    np.random.default_rng(seed), batch)`` exactly: the generator draws the input, then the
    weight matrices in order, then the backward seed, so the experiment of depth ``d``
    uses the first ``d`` matrices of the deepest one, and its backward seed is what the
    generator draws from its state after them (kept for every depth). A control that moves
    the depth then pays for the passes only, not for drawing the weights again.
    """

    def __init__(self, max_depth: int, width: int, init: str, seed: int, batch: int = 256):
        self.max_depth = check_int(max_depth, "max_depth", minimum=1)
        self.width = check_int(width, "width", minimum=1)
        check_choice(init, "init", tuple(INITIALIZERS))
        self.batch = check_int(batch, "batch", minimum=2)
        rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
        self._x = rng.standard_normal((self.batch, self.width))
        self._weights: list[np.ndarray] = []
        self._states: list[dict] = []  # the generator's state after each matrix
        self._forward: tuple | None = None
        for _ in range(self.max_depth):
            self._weights.append(INITIALIZERS[init]((self.width, self.width), rng))
            self._states.append(rng.bit_generator.state)

    def profile(self, depth: int, activation: str | Activation) -> VarianceProfile:
        """The variances of the first ``depth`` layers' network (``depth <= max_depth``)."""
        depth = check_int(depth, "depth", minimum=1)
        if depth > self.max_depth:
            raise ValueError(f"depth must be <= max_depth = {self.max_depth}, got {depth}")
        act = get_activation(activation)
        if self._forward is None or self._forward[0] is not act:
            # The forward pass of the deepest network, kept for one activation: the network
            # of depth d is its first d layers, so its forward pass is a prefix.
            z, a = _forward(self._x, self._weights, act)
            self._forward = (act, z, _var(z), _var(a[1:]))
        _, z, z_var, a_var = self._forward
        rng = np.random.default_rng()
        rng.bit_generator.state = self._states[depth - 1]
        grad_output = rng.standard_normal((self.batch, self.width))
        delta, grad_a = _backward(z[:depth], self._weights[:depth], act, grad_output)
        return VarianceProfile(z_var=z_var[:depth], a_var=a_var[:depth],
                               delta_var=_var(delta), grad_var=_var(grad_a[1:]))
