"""Activation functions and their derivatives (section 3.6 of the notes).

Each function ``f`` has its derivative ``f_prime`` written next to it, as
micrograd writes each operation's forward value and local backward rule side by
side. All functions are element-wise and vectorised; ``f_prime(z)`` is
:math:`f'(z)` evaluated at the pre-activation ``z``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_scalar


def _z(z: object) -> np.ndarray:
    return as_float_array(z, "z")


def sigmoid(z: object) -> np.ndarray:
    """:math:`\\sigma(z) = 1/(1 + e^{-z})`, computed without overflow for any finite ``z``."""
    z = _z(z)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])  # z < 0: e^z / (1 + e^z) never overflows
    out[~pos] = ez / (1.0 + ez)
    return out


def sigmoid_prime(z: object) -> np.ndarray:
    """:math:`\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))`, at most 1/4 (at ``z = 0``).

    Computed as :math:`\\sigma(z)\\sigma(-z)` (since :math:`1 - \\sigma(z) = \\sigma(-z)`):
    ``1 - sigmoid(z)`` would cancel catastrophically for large ``z`` (it is exactly 0
    from ``z`` of about 37), whereas this form keeps full relative accuracy and the
    symmetry :math:`\\sigma'(-z) = \\sigma'(z)`.
    """
    z = _z(z)
    return sigmoid(z) * sigmoid(-z)


def tanh(z: object) -> np.ndarray:
    """:math:`\\tanh z = 2\\sigma(2z) - 1`."""
    return np.tanh(_z(z))


def tanh_prime(z: object) -> np.ndarray:
    """:math:`\\tanh'(z) = 1 - \\tanh^2 z`.

    Computed as :math:`4e^{-2|z|}/(1 + e^{-2|z|})^2`, the same quantity without the
    cancellation of ``1 - tanh(z)**2`` for large ``|z|`` (and without the overflow of
    ``1/cosh(z)**2``).
    """
    e = np.exp(-2.0 * np.abs(_z(z)))
    return 4.0 * e / (1.0 + e) ** 2


def relu(z: object) -> np.ndarray:
    """:math:`\\max(0, z)`."""
    return np.maximum(_z(z), 0.0)


def relu_prime(z: object) -> np.ndarray:
    """1 for ``z > 0``, else 0 (the subgradient 0 is used at ``z = 0``)."""
    return (_z(z) > 0).astype(np.float64)


def _alpha(alpha: object) -> float:
    alpha = check_scalar(alpha, "alpha", minimum=0)
    return alpha


def leaky_relu(z: object, alpha: float = 0.01) -> np.ndarray:
    """:math:`z` for ``z > 0``, :math:`\\alpha z` otherwise."""
    z, alpha = _z(z), _alpha(alpha)
    return np.where(z > 0, z, alpha * z)


def leaky_relu_prime(z: object, alpha: float = 0.01) -> np.ndarray:
    """1 for ``z > 0``, :math:`\\alpha` otherwise."""
    z, alpha = _z(z), _alpha(alpha)
    return np.where(z > 0, 1.0, alpha)


def prelu(z: object, a: object) -> np.ndarray:
    """Parametric ReLU: leaky ReLU whose slope ``a`` is learned (broadcast against ``z``)."""
    z, a = _z(z), as_float_array(a, "a")
    return np.where(z > 0, z, a * z)


def prelu_grads(z: object, a: object) -> tuple[np.ndarray, np.ndarray]:
    """``(df/dz, df/da)`` of :func:`prelu`, element-wise: (1 or a, 0 or z)."""
    z, a = np.broadcast_arrays(_z(z), as_float_array(a, "a"))
    dz = np.where(z > 0, 1.0, a)
    da = np.where(z > 0, 0.0, z)
    return dz, da


def elu(z: object, alpha: float = 1.0) -> np.ndarray:
    """:math:`z` for ``z > 0``, :math:`\\alpha(e^z - 1)` otherwise."""
    z, alpha = _z(z), _alpha(alpha)
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def elu_prime(z: object, alpha: float = 1.0) -> np.ndarray:
    """1 for ``z > 0``, :math:`\\alpha e^z` otherwise."""
    z, alpha = _z(z), _alpha(alpha)
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))


@dataclass(frozen=True)
class Activation:
    """An activation and its derivative, for layers that take either by name."""

    name: str
    f: Callable[[object], np.ndarray]
    f_prime: Callable[[object], np.ndarray]


#: The parameter-free activations by name (leaky ReLU and ELU with default slopes).
ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", sigmoid, sigmoid_prime),
        Activation("tanh", tanh, tanh_prime),
        Activation("relu", relu, relu_prime),
        Activation("leaky_relu", leaky_relu, leaky_relu_prime),
        Activation("elu", elu, elu_prime),
        Activation("linear", lambda z: _z(z).copy(), lambda z: np.ones_like(_z(z))),
    )
}


def get_activation(name: str) -> Activation:
    """The :class:`Activation` called ``name``; ValueError listing the choices otherwise."""
    if not isinstance(name, str):
        raise TypeError(f"activation must be a string, got {type(name).__name__}")
    if name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}")
    return ACTIVATIONS[name]
