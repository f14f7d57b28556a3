"""notes_lib.svm against scikit-learn (LIBSVM), scipy.optimize and the mathematics of the dual."""

import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import minimize
from sklearn.metrics import pairwise
from sklearn.svm import SVC as SkSVC

from notes_lib.svm import (
    SVC,
    ConvergenceWarning,
    dual_objective,
    gaussian_feature_map,
    kkt_violation,
    linear_kernel,
    polynomial_kernel,
    rbf_kernel,
    smo,
)


def blobs(seed, n=60, d=2, shift=1.2):
    rng = np.random.default_rng(seed)
    y = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
    X = rng.normal(size=(n, d)) + shift * y[:, None]
    return X, y


def moons(seed, n=80, noise=0.2):
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, np.pi, n)
    y = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
    X = np.where(y[:, None] > 0, np.column_stack([np.cos(t), np.sin(t)]),
                 np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)]))
    return X + noise * rng.normal(size=(n, 2)), y


def assert_same_as_sklearn(ours, ref, X, atol=1e-4):
    # LIBSVM caches the kernel matrix in float32, so its alphas carry relative errors ~1e-4
    # on ill-conditioned problems: compare with rtol as well as atol.
    o, r = np.argsort(ours.support_), np.argsort(ref.support_)
    np.testing.assert_array_equal(ours.support_[o], ref.support_[r])
    np.testing.assert_allclose(ours.dual_coef_[0][o], ref.dual_coef_[0][r], rtol=1e-3, atol=atol)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-3, atol=atol)
    np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X), rtol=1e-3,
                               atol=atol)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


# ---------------------------------------------------------------- cross-checks with sklearn
@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize(("kernel", "params"), [
    ("linear", {}),
    ("poly", {"degree": 3, "gamma": 0.5, "coef0": 1.0}),
    ("poly", {"degree": 2, "gamma": 1.0, "coef0": 0.0}),
    ("rbf", {"gamma": 1.0}),
    ("rbf", {"gamma": "scale"}),
    ("rbf", {"gamma": "auto"}),
])
@pytest.mark.parametrize("C", [0.5, 10.0])
def test_matches_sklearn_svc(seed, kernel, params, C):
    X, y = moons(seed) if kernel != "linear" else blobs(seed, shift=0.8)
    kw = {"C": C, "kernel": kernel, "tol": 1e-7, **params}
    ours = SVC(**kw).fit(X, y)
    ref = SkSVC(**kw, shrinking=False).fit(X, y)
    assert ours.converged_
    assert_same_as_sklearn(ours, ref, X)
    X_new = np.random.default_rng(99).normal(size=(30, 2))
    np.testing.assert_allclose(ours.decision_function(X_new), ref.decision_function(X_new),
                               atol=1e-4)
    if kernel == "linear":
        np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-4)


def test_matches_sklearn_at_default_tol_and_with_string_labels():
    X, y = moons(5, n=200, noise=0.3)
    labels = np.where(y > 0, "dog", "cat")  # classes_ = [cat, dog]; dog is coded +1
    ours = SVC(C=1.0, gamma=2.0).fit(X, labels)
    ref = SkSVC(C=1.0, gamma=2.0).fit(X, labels)
    np.testing.assert_array_equal(ours.classes_, ref.classes_)
    assert set(ours.support_) == set(ref.support_)
    np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X), atol=5e-3)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    assert ours.score(X, labels) == ref.score(X, labels)


def test_labels_are_any_two_values():
    X, y = blobs(1)
    a = SVC(kernel="linear").fit(X, y)
    b = SVC(kernel="linear").fit(X, np.where(y > 0, 7, 3))
    np.testing.assert_allclose(a.decision_function(X), b.decision_function(X))
    assert set(b.predict(X)) <= {3, 7}


# ---------------------------------------------------------------- the dual and its KKT conditions
@pytest.mark.parametrize("seed", range(3))
def test_dual_matches_scipy_slsqp(seed):
    # Eq. (2.58) with 0 <= alpha <= C, solved by a general-purpose QP (scipy's SLSQP).
    X, y = blobs(seed, n=20, shift=0.6)
    C = 1.0
    K = X @ X.T
    Q = np.outer(y, y) * K
    res = minimize(lambda a: 0.5 * a @ Q @ a - a.sum(), np.zeros(len(y)),
                   jac=lambda a: Q @ a - 1, bounds=[(0, C)] * len(y),
                   constraints=[{"type": "eq", "fun": lambda a: a @ y, "jac": lambda a: y}],
                   method="SLSQP", options={"ftol": 1e-12, "maxiter": 1000})
    ours = smo(K, y, C, tol=1e-8)
    np.testing.assert_allclose(dual_objective(K, y, ours.alpha), -res.fun, rtol=1e-7)
    np.testing.assert_allclose(ours.alpha, res.x, atol=1e-4)


@pytest.mark.parametrize("seed", range(3))
def test_kkt_conditions_and_zero_duality_gap(seed):
    X, y = blobs(seed, n=50, shift=0.7)
    C, tol = 2.0, 1e-6
    res = smo(X @ X.T, y, C, tol=tol)
    viol = kkt_violation(X @ X.T, y, res.alpha, res.b, C)
    assert viol["box"] == 0 and viol["equality"] < 1e-10
    assert max(viol["zero"], viol["free"], viol["bound"]) < tol
    # primal of the soft margin: 1/2 |w|^2 + C sum xi, xi = hinge; equals the dual at optimum
    w = (res.alpha * y) @ X
    xi = np.maximum(0, 1 - y * (X @ w + res.b))
    primal = 0.5 * w @ w + C * xi.sum()
    np.testing.assert_allclose(primal, dual_objective(X @ X.T, y, res.alpha), rtol=1e-5)


def test_hard_margin_on_separable_data():
    # two points: w = (1/2, 1/2), b = 0, alpha = (1/4, 1/4), margin 1/|w| = sqrt(2)
    X = np.array([[1.0, 1.0], [-1.0, -1.0]])
    y = np.array([1.0, -1.0])
    m = SVC(C=1e6, kernel="linear", tol=1e-10).fit(X, y)
    np.testing.assert_allclose(m.coef_[0], [0.5, 0.5], atol=1e-12)
    np.testing.assert_allclose(m.intercept_, [0.0], atol=1e-12)
    np.testing.assert_allclose(m.alpha_, [0.25, 0.25], atol=1e-12)
    # larger separable set: functional margin of the SVs is 1, of all >= 1 (Eq. (2.50))
    X, y = blobs(3, n=40, shift=3.0)
    m = SVC(C=1e6, kernel="linear", tol=1e-9).fit(X, y)
    margins = y * m.decision_function(X)
    assert margins.min() > 1 - 1e-6
    np.testing.assert_allclose(margins[m.support_], 1.0, atol=1e-6)
    ref = SkSVC(C=1e6, kernel="linear", tol=1e-9).fit(X, y)
    np.testing.assert_allclose(m.coef_, ref.coef_, rtol=1e-4)


def test_max_iter_warns():
    X, y = moons(0)
    with pytest.warns(ConvergenceWarning, match="max_iter=3"):
        m = SVC(C=10.0, gamma=1.0, max_iter=3).fit(X, y)
    assert not m.converged_ and m.n_iter_ == 3
    with pytest.warns(ConvergenceWarning):
        res = smo(rbf_kernel(X), y, 1.0, max_iter=2)
    assert not res.converged and res.gap > 1e-3


def test_no_warning_when_converged():
    X, y = moons(1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SVC(C=1.0, gamma=1.0).fit(X, y)


# ---------------------------------------------------------------- kernels
def test_kernels_match_sklearn_pairwise():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(7, 3)), rng.normal(size=(5, 3))
    np.testing.assert_allclose(linear_kernel(X, Y), pairwise.linear_kernel(X, Y))
    np.testing.assert_allclose(polynomial_kernel(X, Y, 3, 0.7, 1.5),
                               pairwise.polynomial_kernel(X, Y, degree=3, gamma=0.7, coef0=1.5))
    np.testing.assert_allclose(rbf_kernel(X, Y, 0.3), pairwise.rbf_kernel(X, Y, gamma=0.3))
    np.testing.assert_allclose(rbf_kernel(X, gamma=0.3), pairwise.rbf_kernel(X, gamma=0.3))
    np.testing.assert_allclose(np.diag(rbf_kernel(X, gamma=2.0)), 1.0)


def test_rbf_is_eq_2_59_with_sigma():
    x1, x2, sigma = 0.7, -1.1, 0.8
    expected = math.exp(-((x1 - x2) ** 2) / (2 * sigma**2))  # Eq. (2.59)
    got = rbf_kernel([[x1]], [[x2]], gamma=1 / (2 * sigma**2))[0, 0]
    assert got == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("sigma", [0.5, 1.0, 2.0])
def test_gaussian_feature_map_converges_to_kernel(sigma):
    x = np.linspace(-2, 2, 9)
    exact = np.exp(-np.subtract.outer(x, x) ** 2 / (2 * sigma**2))
    errors = []
    for n in (2, 5, 10, 20, 40, 80):
        phi = gaussian_feature_map(x, sigma, n)
        assert phi.shape == (9, n + 1)
        errors.append(np.abs(phi @ phi.T - exact).max())
    assert errors[-1] < 1e-12
    assert all(b <= a + 1e-15 for a, b in itertools.pairwise(errors))
    # explicit components x^k / sigma^k / sqrt(k!) e^{-x^2/2 sigma^2}
    k = 3
    np.testing.assert_allclose(gaussian_feature_map(x, sigma, 5)[:, k],
                               np.exp(-x**2 / (2 * sigma**2)) * (x / sigma) ** k
                               / math.sqrt(math.factorial(k)))


@given(arrays(np.float64, (6, 2), elements=st.floats(-3, 3)),
       st.floats(0.05, 5.0), st.integers(1, 4), st.floats(0.0, 2.0))
def test_kernel_matrices_are_symmetric_psd(X, gamma, degree, coef0):
    for K in (linear_kernel(X), rbf_kernel(X, gamma=gamma),
              polynomial_kernel(X, degree=degree, gamma=gamma, coef0=coef0)):
        np.testing.assert_allclose(K, K.T, atol=1e-12)
        scale = max(1.0, np.abs(K).max())
        assert np.linalg.eigvalsh(K).min() > -1e-9 * scale


@given(st.integers(0, 10_000), st.floats(0.05, 20.0))
def test_smo_solution_is_feasible_and_optimal(seed, C):
    X, y = blobs(seed, n=16, shift=0.5)
    K = rbf_kernel(X, gamma=0.5)
    res = smo(K, y, C, tol=1e-6)
    assert res.converged and res.gap < 1e-6
    assert np.all(res.alpha >= 0) and np.all(res.alpha <= C)
    assert abs(res.alpha @ y) < 1e-9
    viol = kkt_violation(K, y, res.alpha, res.b, C)
    assert max(viol["zero"], viol["free"], viol["bound"]) < 1e-5


# ---------------------------------------------------------------- bad input
def test_bad_input_estimator():
    X, y = blobs(0, n=10)
    with pytest.raises(ValueError, match="C must be > 0"):
        SVC(C=0).fit(X, y)
    with pytest.raises(ValueError, match="C must be > 0"):
        SVC(C=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="gamma must be > 0"):
        SVC(gamma=0.0).fit(X, y)
    with pytest.raises(ValueError, match="gamma must be one of"):
        SVC(gamma="wide").fit(X, y)
    with pytest.raises(ValueError, match="kernel must be one of"):
        SVC(kernel="sigmoid").fit(X, y)
    with pytest.raises(ValueError, match="exactly two classes"):
        SVC().fit(X, np.arange(10) % 3)
    with pytest.raises(ValueError, match="exactly two classes"):
        SVC().fit(X, np.ones(10))
    with pytest.raises(ValueError, match="y must not contain NaN"):
        SVC().fit(X, np.where(y > 0, 1.0, np.nan))
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="X must contain only finite values"):
        SVC().fit(X_nan, y)
    with pytest.raises(ValueError, match="one label per row of X"):
        SVC().fit(X, y[:-1])
    with pytest.raises(ValueError, match="degree must be >= 1"):
        SVC(kernel="poly", degree=0).fit(X, y)
    with pytest.raises(TypeError, match="max_iter must be an integer"):
        SVC(max_iter=1.5).fit(X, y)
    with pytest.raises(ValueError, match="tol must be > 0"):
        SVC(tol=0.0).fit(X, y)
    with pytest.raises(RuntimeError, match="not fitted"):
        SVC().predict(X)
    m = SVC(kernel="rbf").fit(X, y)
    with pytest.raises(ValueError, match="X must have 2 columns"):
        m.decision_function(np.zeros((3, 4)))
    with pytest.raises(AttributeError, match="kernel='linear'"):
        _ = m.coef_


def test_bad_input_functions():
    with pytest.raises(ValueError, match="K must be a square"):
        smo(np.zeros((3, 2)), [1, -1, 1])
    with pytest.raises(ValueError, match="y must contain only the labels"):
        smo(np.eye(3), [1, 0, 1])
    with pytest.raises(ValueError, match="both labels"):
        smo(np.eye(3), [1, 1, 1])
    with pytest.raises(ValueError, match="C must be > 0"):
        smo(np.eye(2), [1, -1], C=0.0)
    with pytest.raises(ValueError, match="same number of columns"):
        rbf_kernel(np.zeros((2, 3)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="gamma must be > 0"):
        rbf_kernel(np.zeros((2, 3)), gamma=-1.0)
    with pytest.raises(ValueError, match="X must contain only finite"):
        linear_kernel([[np.nan, 1.0]])
    with pytest.raises(ValueError, match="degree must be >= 1"):
        polynomial_kernel(np.zeros((2, 2)), degree=0)
    with pytest.raises(ValueError, match="sigma must be > 0"):
        gaussian_feature_map([0.0, 1.0], sigma=0.0)
    with pytest.raises(ValueError, match="alpha must have shape"):
        kkt_violation(np.eye(2), [1, -1], [0.1], 0.0, 1.0)
