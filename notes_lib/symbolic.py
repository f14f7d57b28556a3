"""SymPy helpers shared by the derivations in the book's notebooks.

The notebooks show each derivation step by step; these helpers hold the pieces
that recur from one section to the next, so each idea is written once.
"""

from __future__ import annotations

import sympy as sp

from ._validation import check_int


def _check_expr(value: object, name: str) -> sp.Expr:
    if not isinstance(value, sp.Basic):
        raise TypeError(f"{name} must be a SymPy expression, got {type(value).__name__}")
    return value


def _as_expr(value: object, name: str) -> sp.Expr:
    try:
        return sp.sympify(value, strict=True)
    except sp.SympifyError:
        raise TypeError(
            f"{name} must be a SymPy expression or a number, got {type(value).__name__}"
        ) from None


def taylor_terms(expr: sp.Expr, x: sp.Symbol, x0: sp.Expr, n: int) -> list[sp.Expr]:
    """The terms :math:`f^{(k)}(x_0)(x-x_0)^k/k!`, :math:`k = 0..n`, of Eq. (1.1).

    Parameters
    ----------
    expr : sympy.Expr
        :math:`f(x)`.
    x : sympy.Symbol
        The variable.
    x0 : sympy.Expr
        Expansion point (a number or a symbol).
    n : int
        Highest order, ``n >= 0``.
    """
    _check_expr(expr, "expr")
    if not isinstance(x, sp.Symbol):
        raise TypeError(f"x must be a SymPy Symbol, got {type(x).__name__}")
    x0 = sp.sympify(x0)
    n = check_int(n, "n", minimum=0)
    terms = []
    derivative = expr
    for k in range(n + 1):
        terms.append(derivative.subs(x, x0) / sp.factorial(k) * (x - x0) ** k)
        derivative = sp.diff(derivative, x)
    return terms


def taylor_sym(expr: sp.Expr, x: sp.Symbol, x0: sp.Expr, n: int) -> sp.Expr:
    """The Taylor polynomial :math:`P_n(x)` of Eq. (1.1): the sum of :func:`taylor_terms`."""
    return sp.Add(*taylor_terms(expr, x, x0, n))


def sym_equal(a: sp.Expr, b: sp.Expr) -> bool:
    """True when SymPy proves ``a - b`` simplifies to zero.

    Used as ``assert sym_equal(derived, notes_formula)``: a ``False`` means SymPy
    could not prove the identity, never that it silently passed.
    """
    a = _as_expr(a, "a")
    b = _as_expr(b, "b")
    diff = a - b
    if diff == 0:
        return True
    return sp.simplify(diff) == 0 or sp.simplify(sp.expand(diff)) == 0
