"""Taylor polynomials and their remainders (section 1.1 of the notes).

The Taylor expansion of :math:`f` at :math:`x_0` (Eq. (1.1)) is

.. math::

    f(x) = \\sum_{k=0}^{n} \\frac{f^{(k)}(x_0)}{k!}(x - x_0)^k + R_n(x),

and for :math:`f = e^x`, :math:`x_0 = 0` it gives Eq. (1.2). This module
evaluates the polynomial part from the derivatives :math:`f^{(k)}(x_0)`, gives
those derivatives in closed form for a few elementary functions, and bounds the
remainder with Lagrange's form
:math:`R_n(x) = f^{(n+1)}(\\xi)(x-x_0)^{n+1}/(n+1)!`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ._validation import as_float_array, check_choice, check_int, check_scalar

#: The elementary functions whose derivatives :func:`derivatives_at` knows.
FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "exp": np.exp,
    "sin": np.sin,
    "cos": np.cos,
    "log1p": np.log1p,
}

#: How each function is written in the book's figures.
LATEX_NAMES: dict[str, str] = {
    "exp": r"e^{x}",
    "sin": r"\sin x",
    "cos": r"\cos x",
    "log1p": r"\ln(1+x)",
}


def _check_domain(name: str, values: np.ndarray | float, argname: str) -> None:
    if name == "log1p" and np.any(np.asarray(values) <= -1.0):
        raise ValueError(f"{argname} must be > -1 for 'log1p' (ln(1+x) is defined for x > -1)")


def taylor_polynomial(derivatives: object, x: object, x0: float = 0.0) -> np.ndarray:
    """Evaluate the Taylor polynomial of Eq. (1.1) without its remainder.

    Parameters
    ----------
    derivatives : array_like, shape (n + 1,)
        The derivatives :math:`f(x_0), f'(x_0), \\dots, f^{(n)}(x_0)`.
    x : array_like
        Points at which to evaluate the polynomial (any shape).
    x0 : float, default 0.0
        Expansion point.

    Returns
    -------
    ndarray
        :math:`P_n(x) = \\sum_{k=0}^n f^{(k)}(x_0)(x-x_0)^k / k!`, same shape as ``x``.

    Notes
    -----
    Evaluated by Horner's rule in the variable :math:`h = x - x_0`, which needs
    ``n`` multiplications per point and never forms :math:`h^k` or :math:`k!`
    separately (both overflow long before their ratio does).
    """
    d = as_float_array(derivatives, "derivatives", ndim=1)
    if d.size == 0:
        raise ValueError("derivatives must hold at least f(x0) (got an empty array)")
    xs = as_float_array(x, "x")
    x0 = check_scalar(x0, "x0")
    h = xs - x0
    n = d.size - 1
    # Horner in h with coefficients c_k = d_k / k!:  c_0 + h (c_1 + h (c_2 + ...)),
    # written so that the factorial is divided in step by step: d_k / k = c_k (k-1)!.
    result = np.full_like(h, d[n])
    for k in range(n, 0, -1):
        result = d[k - 1] + h * result / k
    return result


def derivatives_at(name: str, x0: float, n: int) -> np.ndarray:
    """Closed-form derivatives :math:`f^{(k)}(x_0)`, :math:`k = 0, \\dots, n`.

    Parameters
    ----------
    name : {'exp', 'sin', 'cos', 'log1p'}
        The function :math:`e^x`, :math:`\\sin x`, :math:`\\cos x` or :math:`\\ln(1+x)`.
    x0 : float
        Expansion point (``x0 > -1`` for ``'log1p'``).
    n : int
        Highest order, ``n >= 0``.

    Returns
    -------
    ndarray, shape (n + 1,)
    """
    check_choice(name, "name", tuple(FUNCTIONS))
    x0 = check_scalar(x0, "x0")
    n = check_int(n, "n", minimum=0)
    _check_domain(name, x0, "x0")
    k = np.arange(n + 1)
    if name == "exp":
        return np.full(n + 1, math.exp(x0))
    if name == "sin":
        return np.sin(x0 + k * np.pi / 2)
    if name == "cos":
        return np.cos(x0 + k * np.pi / 2)
    # d^k/dx^k ln(1+x) = (-1)^(k-1) (k-1)! / (1+x)^k for k >= 1
    out = np.empty(n + 1)
    out[0] = math.log1p(x0)
    kk = k[1:]
    log_fact = np.array([math.lgamma(int(j)) for j in kk])  # ln (k-1)!
    out[1:] = (-1.0) ** (kk - 1) * np.exp(log_fact - kk * math.log1p(x0))
    return out


def taylor(name: str, x: object, n: int, x0: float = 0.0) -> np.ndarray:
    """The order-``n`` Taylor polynomial of a named function, evaluated at ``x``.

    ``taylor('exp', x, n)`` is the partial sum :math:`\\sum_{i=0}^n x^i/i!` of Eq. (1.2).
    """
    return taylor_polynomial(derivatives_at(name, x0, n), x, x0)


def taylor_remainder(name: str, x: object, n: int, x0: float = 0.0) -> np.ndarray:
    """The remainder :math:`R_n(x) = f(x) - P_n(x)` of Eq. (1.1), computed directly."""
    check_choice(name, "name", tuple(FUNCTIONS))
    xs = as_float_array(x, "x")
    _check_domain(name, xs, "x")
    return FUNCTIONS[name](xs) - taylor(name, xs, n, x0)


def lagrange_bound(name: str, x: object, n: int, x0: float = 0.0) -> np.ndarray:
    """Upper bound on :math:`|R_n(x)|` from Lagrange's form of the remainder.

    :math:`|R_n(x)| \\le M\\,|x - x_0|^{n+1}/(n+1)!`, with :math:`M` the maximum of
    :math:`|f^{(n+1)}|` on the interval between :math:`x_0` and :math:`x`:
    :math:`e^{\\max(x, x_0)}` for ``exp``, 1 for ``sin``/``cos``, and
    :math:`n!/(1+\\min(x, x_0))^{n+1}` for ``log1p``.
    """
    check_choice(name, "name", tuple(FUNCTIONS))
    xs = as_float_array(x, "x")
    n = check_int(n, "n", minimum=0)
    x0 = check_scalar(x0, "x0")
    _check_domain(name, xs, "x")
    _check_domain(name, x0, "x0")
    h = np.abs(xs - x0)
    # |h|^(n+1)/(n+1)! in log space, so large n does not overflow the factorial
    with np.errstate(divide="ignore"):
        log_term = (n + 1) * np.log(h) - math.lgamma(n + 2)
    if name == "exp":
        log_m = np.maximum(xs, x0)
    elif name in ("sin", "cos"):
        log_m = np.zeros_like(xs)
    else:
        log_m = math.lgamma(n + 1) - (n + 1) * np.log1p(np.minimum(xs, x0))
    return np.exp(log_m + log_term)
