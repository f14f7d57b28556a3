"""notes_lib.linear_models against scikit-learn, scipy.stats and numpy.linalg.pinv."""

import warnings

import numpy as np
import pytest
import sklearn.linear_model as sklm
from scipy import stats

from notes_lib.linear_models import (
    Lasso,
    LinearRegression,
    LMSRegressor,
    Ridge,
    lms_gradient,
    lms_loss,
    normal_equation,
    soft_threshold,
    unitary_fit,
)
from notes_lib.optim import numerical_gradient


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



# --- Section 2.2: LMS ------------------------------------------------------------------


def test_lms_loss_and_gradient_against_definition_and_finite_differences(data):
    X, y = data
    w = np.array([0.5, -1.0, 2.0, 0.0, 0.3])
    assert lms_loss(w, X, y) == pytest.approx(0.5 * sum((X[i] @ w - y[i]) ** 2
                                                        for i in range(len(y))))
    np.testing.assert_allclose(lms_gradient(w, X, y),
                               numerical_gradient(lambda v: lms_loss(v, X, y), w), rtol=1e-6)
    # one example: Eq. (2.5), (f(x) - y) x_j
    np.testing.assert_allclose(lms_gradient(w, X[:1], y[:1]), (X[0] @ w - y[0]) * X[0])


def test_descent_direction_decreases_the_loss(data):
    X, y = data
    w = np.zeros(5)
    g = lms_gradient(w, X[:1], y[:1])
    alpha = 1e-3
    assert lms_loss(w - alpha * g, X[:1], y[:1]) < lms_loss(w, X[:1], y[:1])   # corrected sign
    assert lms_loss(w + alpha * g, X[:1], y[:1]) > lms_loss(w, X[:1], y[:1])   # notes' sign


@pytest.mark.parametrize("method", ["lstsq", "pinv", "solve", "inv"])
def test_normal_equation_matches_sklearn(data, method):
    X, y = data
    ref = sklm.LinearRegression(fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(normal_equation(X, y, method), ref.coef_, rtol=1e-9)


def test_normal_equation_singular_is_minimum_norm_like_sklearn():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(40, 2))
    X = np.column_stack([x, x[:, 0]])  # duplicated column: X^T X singular
    y = x @ [2.0, -1.0] + 0.1 * rng.normal(size=40)
    w = normal_equation(X, y)
    ref = sklm.LinearRegression(fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(w, ref.coef_, atol=1e-10)
    assert w[0] == pytest.approx(w[2])  # the weight is shared equally: minimum norm
    np.testing.assert_allclose(w, np.linalg.pinv(X) @ y, atol=1e-10)
    for method in ("solve", "inv"):
        with pytest.raises(ValueError, match="singular"):
            normal_equation(X, y, method)


def test_normal_equation_lstsq_beats_inverse_on_ill_conditioned_design():
    x = np.linspace(0.0, 1.0, 60)
    X = np.vander(x, 11, increasing=True)  # cond(X) ~ 1e7, cond(X^T X) ~ 1e14
    w_true = np.random.default_rng(0).normal(size=11)
    y = X @ w_true
    err = {m: np.linalg.norm(normal_equation(X, y, m) - w_true) / np.linalg.norm(w_true)
           for m in ("lstsq", "solve", "inv")}
    assert err["lstsq"] < 1e-6
    assert err["solve"] > 100 * err["lstsq"] and err["inv"] > 100 * err["lstsq"]


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_lms_batch_converges_to_sklearn(data, fit_intercept):
    X, y = data
    model = LMSRegressor(eta=0.5, max_iter=20_000, tol=1e-13, fit_intercept=fit_intercept)
    model.fit(X, y)
    ref = sklm.LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    assert model.converged_ and not model.diverged_
    np.testing.assert_allclose(model.coef_, ref.coef_, atol=1e-9)
    assert model.intercept_ == pytest.approx(ref.intercept_, abs=1e-9)
    assert model.score(X, y) == pytest.approx(ref.score(X, y), rel=1e-10)
    assert np.all(np.diff(model.loss_curve_) <= 1e-15)


def test_lms_sgd_converges_on_exact_data_and_hovers_on_noisy(data):
    X, _ = data
    y = X @ [3.0, -2.0, 0.0, 0.0, 1.5] + 0.7  # fitted exactly: every example's gradient -> 0
    model = LMSRegressor(solver="sgd", eta=0.05, max_iter=300, tol=1e-12, random_state=0)
    model.fit(X, y)
    assert model.converged_
    np.testing.assert_allclose(model.coef_, [3.0, -2.0, 0.0, 0.0, 1.5], atol=1e-8)
    assert model.intercept_ == pytest.approx(0.7, abs=1e-8)
    X, y = data
    ref = sklm.LinearRegression().fit(X, y)
    with pytest.warns(RuntimeWarning, match="did not converge"):
        noisy = LMSRegressor(solver="sgd", eta=0.01, max_iter=200, random_state=0).fit(X, y)
    np.testing.assert_allclose(noisy.coef_, ref.coef_, atol=0.05)  # near, not at, the minimum


def test_lms_sgd_without_shuffle_is_cyclic_eq_2_5():
    X = np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 0.0]])
    y = np.array([1.0, 0.0, 2.0])
    eta = 0.1
    with pytest.warns(RuntimeWarning):
        model = LMSRegressor(solver="sgd", eta=eta, max_iter=1, shuffle=False,
                             fit_intercept=False).fit(X, y)
    w = np.zeros(2)
    for i in range(3):  # corrected Eq. (2.5): w_j <- w_j - eta (f(x) - y) x_j
        w = w - eta * (X[i] @ w - y[i]) * X[i]
    np.testing.assert_allclose(model.coef_, w)


def test_lms_normal_solver_and_gd_reach_minimum_norm_on_duplicated_columns():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(50, 1))
    X = np.hstack([x, x])
    y = 2.0 * x[:, 0] + 1.0 + 0.1 * rng.normal(size=50)
    ref = sklm.LinearRegression().fit(X, y)
    normal = LMSRegressor(solver="normal").fit(X, y)
    gd = LMSRegressor(eta=0.2, max_iter=20_000, tol=1e-14).fit(X, y)
    for model in (normal, gd):
        np.testing.assert_allclose(model.coef_, ref.coef_, atol=1e-8)
        assert model.intercept_ == pytest.approx(ref.intercept_, abs=1e-8)
    assert gd.coef_[0] == pytest.approx(gd.coef_[1], abs=1e-10)


def test_lms_divergence_is_flagged_not_nan(data):
    X, y = data
    probe = LMSRegressor(solver="normal").fit(X, y)
    Xt = np.column_stack([X, np.ones(len(y))])
    eta_max = 2 / np.linalg.eigvalsh(Xt.T @ Xt / len(y))[-1]
    assert probe.eta_max_ == pytest.approx(eta_max)
    with pytest.warns(RuntimeWarning, match="diverged"):
        model = LMSRegressor(eta=1.05 * eta_max, max_iter=100_000).fit(X, y)
    assert model.diverged_ and not model.converged_
    assert np.all(np.isfinite(model.coef_)) and np.all(np.isfinite(model.loss_curve_))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not LMSRegressor(eta=0.95 * eta_max, max_iter=100_000).fit(X, y).diverged_


def test_lms_bad_input(data):
    X, y = data
    with pytest.raises(ValueError, match="solver must be one of"):
        LMSRegressor(solver="newton").fit(X, y)
    with pytest.raises(ValueError, match="eta must be > 0"):
        LMSRegressor(eta=-0.1).fit(X, y)
    with pytest.raises(ValueError, match="max_iter must be >= 1"):
        LMSRegressor(max_iter=0).fit(X, y)
    with pytest.raises(ValueError, match="tol must be >= 0"):
        LMSRegressor(tol=-1.0).fit(X, y)
    with pytest.raises(TypeError, match="shuffle must be a bool"):
        LMSRegressor(shuffle=1).fit(X, y)
    with pytest.raises(ValueError, match="same number of samples"):
        LMSRegressor().fit(X, y[:-1])
    with pytest.raises(ValueError, match="not fitted"):
        LMSRegressor().predict(X)
    with pytest.raises(ValueError, match="w must have one entry per column"):
        lms_gradient(np.zeros(3), X, y)
    with pytest.raises(ValueError, match="w must contain only finite"):
        lms_loss(np.full(5, np.nan), X, y)
    with pytest.raises(ValueError, match="method must be one of"):
        normal_equation(X, y, "qr")
