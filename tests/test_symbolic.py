"""notes_lib.symbolic against SymPy's own series expansion."""

import pytest
import sympy as sp

from notes_lib.symbolic import sym_equal, taylor_sym, taylor_terms

x, a = sp.symbols("x a", real=True)


@pytest.mark.parametrize("expr", [sp.exp(x), sp.sin(x), sp.cos(2 * x), sp.log(1 + x), 1 / (1 - x),
                                  sp.exp(-x**2)])
@pytest.mark.parametrize("n", [0, 3, 6])
def test_taylor_sym_matches_sympy_series(expr, n):
    reference = sp.series(expr, x, 0, n + 1).removeO()
    assert sp.expand(taylor_sym(expr, x, 0, n) - reference) == 0


def test_taylor_terms_at_symbolic_point_for_generic_function():
    f = sp.Function("f")
    terms = taylor_terms(f(x), x, a, 2)
    assert len(terms) == 3
    assert terms[0] == f(a)
    assert sp.simplify(terms[2] - sp.diff(f(x), x, 2).subs(x, a) * (x - a) ** 2 / 2) == 0


def test_sym_equal_proves_and_refutes():
    assert sym_equal(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1)
    assert sym_equal((x + 1) ** 2, x**2 + 2 * x + 1)
    assert not sym_equal((x + 1) ** 2, x**2 + 1)


def test_bad_input():
    with pytest.raises(TypeError, match="expr"):
        taylor_terms("exp(x)", x, 0, 2)
    with pytest.raises(TypeError, match="x must be a SymPy Symbol"):
        taylor_terms(sp.exp(x), "x", 0, 2)
    with pytest.raises(ValueError, match="n must be >= 0"):
        taylor_sym(sp.exp(x), x, 0, -1)
    with pytest.raises(TypeError, match="a must be"):
        sym_equal(object(), 1)
