"""notes_lib.optim against closed forms (linear algebra), scipy.optimize and finite differences."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import approx_fprime, minimize

from notes_lib.optim import Quadratic, gradient_descent, max_stable_eta, numerical_gradient

A = np.array([[3.0, 1.0], [1.0, 1.0]])
b = np.array([1.0, -2.0])


def test_converges_to_closed_form_minimiser():
    q = Quadratic(A, b)
    res = gradient_descent(q.grad, [5.0, -4.0], 0.3, max_iter=2000, tol=1e-13, f=q)
    assert res.converged and not res.diverged
    np.testing.assert_allclose(res.theta, np.linalg.solve(A, b), atol=1e-10)
    ref = minimize(q, np.zeros(2), jac=q.grad, method="BFGS", tol=1e-12)
    assert res.losses[-1] == pytest.approx(ref.fun, abs=1e-12)
    assert res.path.shape == (res.n_iter + 1, 2) and res.losses.shape == (res.n_iter + 1,)


def test_each_iterate_is_the_update_rule():
    q = Quadratic(A, b)
    res = gradient_descent(q.grad, [1.0, 1.0], 0.1, max_iter=5, tol=0.0, f=q, warn=False)
    for k in range(5):  # Eq. (2.64)
        np.testing.assert_allclose(res.path[k + 1], res.path[k] - 0.1 * (A @ res.path[k] - b))


def test_max_stable_eta_is_two_over_largest_eigenvalue():
    lam_max = (4 + np.sqrt(8)) / 2  # eigenvalues of A: 2 +- sqrt(2)
    assert max_stable_eta(A) == pytest.approx(2 / lam_max)
    assert Quadratic(A).max_stable_eta == pytest.approx(2 / lam_max)


@pytest.mark.parametrize("factor", [0.5, 0.95])
def test_below_critical_eta_converges_and_loss_decreases(factor):
    q = Quadratic(A)
    res = gradient_descent(q.grad, [-2.0, 2.5], factor * q.max_stable_eta, max_iter=5000,
                           tol=1e-12, f=q)
    assert res.converged
    assert np.all(np.diff(res.losses) <= 1e-15)  # monotone decrease: eta < 2/lambda_max


def test_above_critical_eta_diverges_with_warning_and_finite_values():
    q = Quadratic(A)
    with pytest.warns(RuntimeWarning, match="diverged"):
        res = gradient_descent(q.grad, [-2.0, 2.5], 1.05 * q.max_stable_eta, max_iter=10_000,
                               f=q)
    assert res.diverged and not res.converged
    assert np.all(np.isfinite(res.path)) and np.all(np.isfinite(res.losses))
    assert res.n_iter < 10_000


def test_overflow_is_divergence_not_nan():
    def grad(theta):
        return np.exp(theta)  # overflows to inf
    with pytest.warns(RuntimeWarning, match="diverged"):
        res = gradient_descent(grad, [700.0], 1.0, max_iter=10, divergence_ratio=1e300)
    assert res.diverged and np.all(np.isfinite(res.path))


def test_max_iter_warns():
    q = Quadratic(A, b)
    with pytest.warns(RuntimeWarning, match="max_iter=3"):
        res = gradient_descent(q.grad, [5.0, 5.0], 0.01, max_iter=3)
    assert res.n_iter == 3 and not res.converged
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gradient_descent(q.grad, [5.0, 5.0], 0.01, max_iter=3, warn=False)


def test_numerical_gradient_matches_scipy_and_analytic():
    def f(t):
        return np.sin(t[0]) * t[1] ** 2 + np.exp(t[2])
    theta = np.array([0.3, -1.2, 0.5])
    analytic = [np.cos(0.3) * 1.44, 2 * np.sin(0.3) * -1.2, np.exp(0.5)]
    np.testing.assert_allclose(numerical_gradient(f, theta), analytic, rtol=1e-8)
    np.testing.assert_allclose(numerical_gradient(f, theta), approx_fprime(theta, f, 1e-7),
                               rtol=1e-5)


@given(st.lists(st.floats(-3, 3), min_size=2, max_size=2))
def test_quadratic_gradient_is_finite_difference(theta):
    q = Quadratic(A, b)
    np.testing.assert_allclose(q.grad(theta), numerical_gradient(q, theta), atol=1e-6)


def test_bad_input():
    q = Quadratic(A)
    with pytest.raises(ValueError, match="eta must be > 0"):
        gradient_descent(q.grad, [1.0, 1.0], 0.0)
    with pytest.raises(TypeError, match="grad must be callable"):
        gradient_descent(None, [1.0, 1.0], 0.1)
    with pytest.raises(ValueError, match="theta0 must contain only finite"):
        gradient_descent(q.grad, [np.nan, 1.0], 0.1)
    with pytest.raises(ValueError, match="theta0 must be 1-dimensional"):
        gradient_descent(q.grad, [[1.0, 1.0]], 0.1)
    with pytest.raises(ValueError, match="max_iter must be >= 1"):
        gradient_descent(q.grad, [1.0, 1.0], 0.1, max_iter=0)
    with pytest.raises(ValueError, match="tol must be >= 0"):
        gradient_descent(q.grad, [1.0, 1.0], 0.1, tol=-1.0)
    with pytest.raises(ValueError, match="divergence_ratio must be > 1"):
        gradient_descent(q.grad, [1.0, 1.0], 0.1, divergence_ratio=0.5)
    with pytest.raises(ValueError, match="grad returned shape"):
        gradient_descent(lambda t: np.zeros(3), [1.0, 1.0], 0.1)
    with pytest.raises(ValueError, match="A must be symmetric"):
        Quadratic([[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="A must be positive semi-definite"):
        Quadratic([[1.0, 0.0], [0.0, -1.0]])
    with pytest.raises(ValueError, match="b must have shape"):
        Quadratic(A, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="A must be square"):
        max_stable_eta(np.ones((2, 3)))
    with pytest.raises(ValueError, match="h must be > 0"):
        numerical_gradient(q, [1.0, 1.0], h=0.0)
