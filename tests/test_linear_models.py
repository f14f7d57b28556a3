"""notes_lib.linear_models against scikit-learn, scipy.stats and numpy.linalg.pinv."""

import warnings

import numpy as np
import pytest
import sklearn.linear_model as sklm
from scipy import stats

from notes_lib.linear_models import Lasso, LinearRegression, Ridge, soft_threshold, unitary_fit


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 5))
    w = np.array([3.0, -2.0, 0.0, 0.0, 1.5])
    y = X @ w + 0.7 + 0.3 * rng.normal(size=60)
    return X, y


def test_linear_regression_matches_sklearn(data):
    X, y = data
    ours = LinearRegression().fit(X, y)
    ref = sklm.LinearRegression().fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-10)
    assert ours.intercept_ == pytest.approx(ref.intercept_, rel=1e-10)
    np.testing.assert_allclose(ours.predict(X[:7]), ref.predict(X[:7]), rtol=1e-10)
    assert ours.score(X, y) == pytest.approx(ref.score(X, y), rel=1e-12)


def test_linear_regression_no_intercept(data):
    X, y = data
    ours = LinearRegression(fit_intercept=False).fit(X, y)
    ref = sklm.LinearRegression(fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-10)
    assert ours.intercept_ == 0.0


def test_fit_returns_self(data):
    X, y = data
    model = LinearRegression()
    assert model.fit(X, y) is model


def test_singular_normal_matrix_gives_minimum_norm_solution():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(20, 2))
    X = np.column_stack([a[:, 0], a[:, 1], a[:, 0] + a[:, 1], 2 * a[:, 0]])  # rank 2
    y = a @ [1.0, -1.0] + 0.1 * rng.normal(size=20)
    model = LinearRegression(fit_intercept=False).fit(X, y)
    assert model.rank_ == 2
    np.testing.assert_allclose(model.coef_, np.linalg.pinv(X) @ y, atol=1e-10)
    # with an intercept: minimum norm on the centred design
    model = LinearRegression().fit(X, y)
    Xc = X - X.mean(axis=0)
    np.testing.assert_allclose(model.coef_, np.linalg.pinv(Xc) @ (y - y.mean()), atol=1e-10)


def test_more_features_than_samples_minimum_norm():
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(4, 9)), rng.normal(size=4)
    model = LinearRegression(fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(model.coef_, np.linalg.pinv(X) @ y, atol=1e-10)
    np.testing.assert_allclose(model.predict(X), y, atol=1e-10)  # interpolates


def test_unitary_fit_matches_linregress():
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 10, size=30)
    y = 2.5 * x - 1.0 + rng.normal(size=30)
    w, b = unitary_fit(x, y)
    ref = stats.linregress(x, y)
    assert w == pytest.approx(ref.slope, rel=1e-12)
    assert b == pytest.approx(ref.intercept, rel=1e-12)


@pytest.mark.parametrize("alpha", [0.0, 0.1, 3.0, 100.0])
def test_ridge_matches_sklearn(data, alpha):
    X, y = data
    ours = Ridge(alpha=alpha).fit(X, y)
    ref = sklm.Ridge(alpha=alpha, solver="cholesky").fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-8, atol=1e-12)
    assert ours.intercept_ == pytest.approx(ref.intercept_, rel=1e-8)
    assert ours.score(X, y) == pytest.approx(ref.score(X, y), rel=1e-10)


def test_ridge_closed_form_no_intercept(data):
    X, y = data
    alpha = 2.0
    ours = Ridge(alpha=alpha, fit_intercept=False).fit(X, y)
    expected = np.linalg.solve(X.T @ X + alpha * np.eye(X.shape[1]), X.T @ y)
    np.testing.assert_allclose(ours.coef_, expected, rtol=1e-10)


@pytest.mark.parametrize("alpha", [0.01, 0.1, 0.5, 5.0])
def test_lasso_matches_sklearn(data, alpha):
    X, y = data
    ours = Lasso(alpha=alpha, tol=1e-10, max_iter=10000).fit(X, y)
    ref = sklm.Lasso(alpha=alpha, tol=1e-10, max_iter=10000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-7)
    assert ours.intercept_ == pytest.approx(ref.intercept_, abs=1e-7)
    np.testing.assert_array_equal(ours.coef_ == 0, ref.coef_ == 0)  # same sparsity pattern


def test_lasso_large_alpha_gives_zero(data):
    X, y = data
    alpha_max = np.max(np.abs((X - X.mean(0)).T @ (y - y.mean()))) / len(y)
    model = Lasso(alpha=1.01 * alpha_max).fit(X, y)
    np.testing.assert_array_equal(model.coef_, 0.0)
    assert model.intercept_ == pytest.approx(y.mean())


def test_lasso_unconverged_warns(data):
    X, y = data
    X = np.column_stack([X, X[:, 0] + 1e-3 * X[:, 1]])  # correlated: slow convergence
    with pytest.warns(RuntimeWarning, match="max_iter=2"):
        Lasso(alpha=1e-3, max_iter=2, tol=1e-12).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Lasso(alpha=0.1).fit(*data)


def test_soft_threshold():
    z = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
    np.testing.assert_array_equal(soft_threshold(z, 1.0), [-2.0, 0.0, 0.0, 0.0, 2.0])
    # minimiser of 0.5 (u - z)^2 + gamma |u| by brute force on a grid
    u = np.linspace(-5, 5, 100001)
    for zi in z:
        best = u[np.argmin(0.5 * (u - zi) ** 2 + 1.0 * np.abs(u))]
        assert soft_threshold(zi, 1.0) == pytest.approx(best, abs=1e-4)


@pytest.mark.parametrize("model", [LinearRegression(), Ridge(), Lasso()])
def test_bad_input(model, data):
    X, y = data
    with pytest.raises(ValueError, match="same number of samples"):
        model.fit(X, y[:-1])
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="X must contain only finite"):
        model.fit(X_nan, y)
    with pytest.raises(ValueError, match="X must be 2-dimensional"):
        model.fit(X[:, 0], y)
    with pytest.raises(ValueError, match="not fitted"):
        type(model)().predict(X)
    model.fit(X, y)
    with pytest.raises(ValueError, match="features"):
        model.predict(X[:, :2])


def test_bad_input_too_few_samples_and_params(data):
    X, y = data
    with pytest.raises(ValueError, match="at least 2 samples"):
        LinearRegression().fit(X[:1], y[:1])
    with pytest.raises(ValueError, match="alpha must be >= 0"):
        Ridge(alpha=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="alpha must be >= 0"):
        Lasso(alpha=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="max_iter must be >= 1"):
        Lasso(max_iter=0).fit(X, y)
    with pytest.raises(ValueError, match="y must contain only finite"):
        Ridge().fit(X, np.full(len(y), np.nan))


def test_unitary_fit_bad_input():
    with pytest.raises(ValueError, match="same length"):
        unitary_fit([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="at least 2 samples"):
        unitary_fit([1.0], [1.0])
    with pytest.raises(ValueError, match="x must not be constant"):
        unitary_fit([1.0, 1.0, 1.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="x must contain only finite"):
        unitary_fit([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(ValueError, match="gamma must be >= 0"):
        soft_threshold([1.0], -1.0)
