"""notes_lib.calculus against independent references: mpmath's Taylor
coefficients, SymPy's series, and NumPy's own elementary functions."""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from notes_lib import calculus

MP_FUNCS = {"exp": mpmath.exp, "sin": mpmath.sin, "cos": mpmath.cos, "log1p": mpmath.log1p}
SP_FUNCS = {"exp": sp.exp, "sin": sp.sin, "cos": sp.cos, "log1p": lambda v: sp.log(1 + v)}


@pytest.mark.parametrize("name", sorted(calculus.FUNCTIONS))
@pytest.mark.parametrize("x0", [0.0, 0.7, -0.4, 1.5])
def test_derivatives_match_mpmath_taylor_coefficients(name, x0):
    n = 12
    # mpmath.taylor returns c_k = f^(k)(x0) / k!, computed by numerical differentiation
    # in high precision: an implementation nobody here wrote.
    with mpmath.workdps(40):
        coeffs = mpmath.taylor(MP_FUNCS[name], x0, n)
    expected = np.array([float(c) * math.factorial(k) for k, c in enumerate(coeffs)])
    np.testing.assert_allclose(calculus.derivatives_at(name, x0, n), expected,
                               rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("name", sorted(calculus.FUNCTIONS))
@pytest.mark.parametrize("n", [0, 1, 3, 8])
def test_polynomial_matches_sympy_series(name, n):
    x = sp.Symbol("x")
    x0 = sp.Rational(1, 4)
    poly = sp.series(SP_FUNCS[name](x), x, x0, n + 1).removeO()
    reference = sp.lambdify(x, poly, "numpy")
    grid = np.linspace(-0.5, 0.9, 57)
    np.testing.assert_allclose(calculus.taylor(name, grid, n, 0.25),
                               np.broadcast_to(reference(grid), grid.shape), rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("name", ["exp", "sin", "cos"])
def test_high_order_polynomial_converges_to_function(name):
    grid = np.linspace(-4, 4, 201)
    np.testing.assert_allclose(calculus.taylor(name, grid, 40, 0.5),
                               calculus.FUNCTIONS[name](grid), rtol=1e-12, atol=1e-12)


def test_taylor_polynomial_keeps_shape_and_handles_scalars():
    assert calculus.taylor("exp", 1.0, 20).shape == ()
    assert calculus.taylor("exp", np.zeros((3, 4)), 2).shape == (3, 4)
    assert calculus.taylor_polynomial([2.0], [1.0, 5.0], 3.0).tolist() == [2.0, 2.0]


@given(
    d=arrays(np.float64, st.integers(1, 10), elements=st.floats(-10, 10)),
    x=st.floats(-3, 3),
    x0=st.floats(-3, 3),
)
def test_horner_equals_term_by_term_sum(d, x, x0):
    naive = sum(dk * (x - x0) ** k / math.factorial(k) for k, dk in enumerate(d))
    assert calculus.taylor_polynomial(d, x, x0) == pytest.approx(naive, rel=1e-10, abs=1e-9)


@pytest.mark.parametrize("name", sorted(calculus.FUNCTIONS))
@pytest.mark.parametrize("n", [0, 2, 5, 9])
def test_remainder_within_lagrange_bound_in_high_precision(name, n):
    x0 = 0.3
    points = np.linspace(-0.8, 0.95, 36)
    bound = calculus.lagrange_bound(name, points, n, x0)
    with mpmath.workdps(50):
        coeffs = mpmath.taylor(MP_FUNCS[name], x0, n)
        exact = np.array([
            float(abs(MP_FUNCS[name](p) - mpmath.polyval(coeffs[::-1], p - x0))) for p in points
        ])
    assert np.all(exact <= bound * (1 + 1e-12) + 1e-30)  # mpmath noise at x = x0
    np.testing.assert_allclose(np.abs(calculus.taylor_remainder(name, points, n, x0)), exact,
                               rtol=1e-6, atol=1e-15)


def test_lagrange_bound_is_attained_for_exp_in_the_limit():
    # For e^x at 0 and small x the bound e^x x^(n+1)/(n+1)! and the true remainder
    # agree to first order: their ratio tends to 1 as x -> 0.
    x = np.array([1e-3])
    ratio = calculus.taylor_remainder("exp", x, 2) / calculus.lagrange_bound("exp", x, 2)
    assert ratio[0] == pytest.approx(1.0, rel=2e-3)


def test_lagrange_bound_large_order_does_not_overflow():
    assert np.isfinite(calculus.lagrange_bound("exp", np.array([3.0]), 400)).all()


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: calculus.taylor_polynomial([], 1.0), ValueError, "derivatives"),
        (lambda: calculus.taylor_polynomial([[1.0]], 1.0), ValueError, "derivatives"),
        (lambda: calculus.taylor_polynomial("abc", 1.0), TypeError, "derivatives"),
        (lambda: calculus.taylor_polynomial([1.0], [np.nan]), ValueError, "x "),
        (lambda: calculus.taylor_polynomial([1.0], 1.0, x0="0"), TypeError, "x0"),
        (lambda: calculus.derivatives_at("tan", 0.0, 3), ValueError, "name"),
        (lambda: calculus.derivatives_at("exp", 0.0, -1), ValueError, "n must be >= 0"),
        (lambda: calculus.derivatives_at("exp", 0.0, 2.5), TypeError, "n must be an integer"),
        (lambda: calculus.derivatives_at("exp", 0.0, True), TypeError, "n must be an integer"),
        (lambda: calculus.derivatives_at("log1p", -1.0, 3), ValueError, "x0 must be > -1"),
        (lambda: calculus.taylor_remainder("log1p", [-2.0], 3), ValueError, "x must be > -1"),
        (lambda: calculus.lagrange_bound("exp", [np.inf], 3), ValueError, "x must contain"),
        (lambda: calculus.taylor("exp", None, 3), TypeError, "x must be"),
    ],
)
def test_bad_input_raises_clear_error(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
