"""notes_lib.logistic against scikit-learn, finite differences and exact values."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.metrics import log_loss as sk_log_loss

from notes_lib.logistic import (
    ConvergenceWarning,
    LogisticRegression,
    log_loss,
    log_sigmoid,
    objective,
    objective_gradient,
    objective_hessian,
    sigmoid,
)


def noisy_data(seed, m=200, d=3):
    """Labels drawn from a logistic model: overlapping classes, so the MLE exists."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, d))
    w = rng.normal(size=d)
    p = 1.0 / (1.0 + np.exp(-(X @ w + 0.3)))
    return X, (rng.random(m) < p).astype(float)


def sklearn_fit(X, y, C):
    # C = inf is penalty=None (the spelling of scikit-learn >= 1.8); lbfgs to a tight tol
    return SkLogisticRegression(C=C, tol=1e-12, max_iter=10_000).fit(X, y)


# ------------------------------------------------------------------ sigmoid and friends
def test_sigmoid_exact_values_and_derivative():
    np.testing.assert_allclose(sigmoid([0.0, np.log(3.0), -np.log(3.0)]), [0.5, 0.75, 0.25])
    z = np.linspace(-30, 30, 61)
    h = 1e-6
    fd = (sigmoid(z + h) - sigmoid(z - h)) / (2 * h)
    np.testing.assert_allclose(fd, sigmoid(z) * (1 - sigmoid(z)), atol=1e-9)  # Eq. (2.11)


@pytest.mark.parametrize("big", [1e3, 1e5, 1e300])
def test_stable_at_huge_logits_without_warnings(big):
    z = np.array([-big, -40.0, 0.0, 40.0, big])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(z)
        ls = log_sigmoid(z)
        loss_right = log_loss([0, 0, 1, 1, 1], z)
        loss_wrong = log_loss([1, 1, 0, 0, 0], z)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5
    assert ls[0] == -big and ls[-1] == 0.0
    np.testing.assert_allclose(ls[1:4], [-40 - np.log1p(np.exp(-40.0)), -np.log(2),
                                         -np.exp(-40.0)], rtol=1e-15)
    # exact: ln(1 + e^{-|z|}) summed; the wrong labels cost |z| each
    np.testing.assert_allclose(loss_right * 5, np.log(2) + 2 * np.log1p(np.exp(-40.0)),
                               rtol=1e-12)
    np.testing.assert_allclose(loss_wrong * 5, 2 * big + 80 + np.log(2), rtol=1e-12)


@given(st.lists(st.floats(-700, 700), min_size=1, max_size=20), st.data())
def test_log_loss_matches_sklearn(zs, data):
    z = np.array(zs)
    y = np.array(data.draw(st.lists(st.sampled_from([0, 1]), min_size=len(zs),
                                    max_size=len(zs))))
    p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))  # where sklearn's p is not clipped
    if np.all(np.abs(z) < 30):
        np.testing.assert_allclose(log_loss(y, z), sk_log_loss(y, p, labels=[0, 1]),
                                   rtol=1e-9)
    # identity with the notes' form, Eq. (2.15): -[y ln g(z) + (1 - y) ln g(-z)]
    np.testing.assert_allclose(
        log_loss(y, z), -np.mean(y * log_sigmoid(z) + (1 - y) * log_sigmoid(-z)),
        rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(sigmoid(z) + sigmoid(-z), 1.0, rtol=1e-15)


def test_sigmoid_bad_input():
    with pytest.raises(ValueError, match="z must contain only finite"):
        sigmoid([0.0, np.nan])
    with pytest.raises(TypeError, match="z must be array-like"):
        log_sigmoid("1")
    with pytest.raises(ValueError, match=r"y must contain only the labels 0 and 1.*map -1"):
        log_loss([-1, 1], [0.0, 0.0])
    with pytest.raises(ValueError, match="y and z must have the same length"):
        log_loss([0, 1], [0.0])
    with pytest.raises(ValueError, match="y must hold at least one"):
        log_loss([], [])


# ------------------------------------------------------------------ derivatives
@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_gradient_and_hessian_by_finite_differences(l2):
    X, y = noisy_data(1, m=40, d=3)
    theta = np.random.default_rng(2).normal(size=4)
    h = 1e-6
    eye = np.eye(4)
    fd_grad = np.array([(objective(X, y, theta + h * e, l2) - objective(X, y, theta - h * e, l2))
                        / (2 * h) for e in eye])
    np.testing.assert_allclose(objective_gradient(X, y, theta, l2), fd_grad, atol=1e-8)
    fd_hess = np.array([(objective_gradient(X, y, theta + h * e, l2)
                         - objective_gradient(X, y, theta - h * e, l2)) / (2 * h) for e in eye])
    H = objective_hessian(X, y, theta, l2)
    np.testing.assert_allclose(H, fd_hess, atol=1e-8)
    np.testing.assert_allclose(H, H.T)
    assert np.linalg.eigvalsh(H).min() >= -1e-12  # convex: positive semi-definite


def test_gradient_is_minus_eq_2_16_summed():
    X, y = noisy_data(3, m=30, d=2)
    theta = np.array([0.4, -0.7, 0.2])
    Xa = np.column_stack([X, np.ones(len(y))])
    h = 1.0 / (1.0 + np.exp(-Xa @ theta))
    eq_2_16 = ((y - h)[:, None] * Xa).sum(axis=0)  # d l / d theta_j summed over examples
    np.testing.assert_allclose(objective_gradient(X, y, theta), -eq_2_16 / len(y), rtol=1e-12)


def test_objective_bad_input():
    X, y = noisy_data(0, m=10, d=2)
    with pytest.raises(ValueError, match="theta must have 3 entries"):
        objective(X, y, np.zeros(2))
    with pytest.raises(ValueError, match="l2 must be >= 0"):
        objective_gradient(X, y, np.zeros(3), l2=-1.0)
    with pytest.raises(ValueError, match="X and y must have the same number"):
        objective_hessian(X, y[:-1], np.zeros(3))


# ------------------------------------------------------------------ estimator vs sklearn
@pytest.mark.parametrize("seed", range(3))
def test_newton_matches_sklearn_unpenalised(seed):
    X, y = noisy_data(seed)
    ours = LogisticRegression().fit(X, y)
    ref = sklearn_fit(X, y, C=np.inf)
    assert ours.converged_ and ours.n_iter_ < 20
    np.testing.assert_allclose(ours.coef_, ref.coef_.ravel(), atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_[0], atol=1e-6)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X)[:, 1], atol=1e-7)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    assert ours.score(X, y) == ref.score(X, y)
    np.testing.assert_allclose(ours.loss_curve_[-1], sk_log_loss(y, ref.predict_proba(X)),
                               rtol=1e-9)
    np.testing.assert_allclose(ours.loss_curve_[0], np.log(2))


@pytest.mark.parametrize("l2", [0.01, 0.5])
def test_l2_maps_to_sklearn_C(l2):
    # sklearn minimises C sum_i loss_i + |w|^2 / 2; ours sum_i loss_i / m + l2 |w|^2 / 2.
    # Dividing sklearn's objective by C m gives ours exactly when l2 = 1 / (C m).
    X, y = noisy_data(5, m=150)
    ours = LogisticRegression(l2=l2).fit(X, y)
    ref = sklearn_fit(X, y, C=1.0 / (l2 * len(y)))
    np.testing.assert_allclose(ours.coef_, ref.coef_.ravel(), atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_[0], atol=1e-6)


@pytest.mark.parametrize("solver,kwargs,atol", [
    ("gd", {"learning_rate": 2.0, "max_iter": 5000, "tol": 1e-9}, 1e-6),
    ("sgd", {"learning_rate": 0.005, "max_iter": 300, "tol": 1e-9, "rng": 0}, 3e-2),
])
def test_first_order_solvers_reach_the_mle(solver, kwargs, atol):
    X, y = noisy_data(4, m=120)
    ref = sklearn_fit(X, y, C=np.inf)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = LogisticRegression(solver=solver, **kwargs).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_.ravel(), atol=atol)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_[0], atol=atol)
    assert ours.coef_path_.shape == (ours.n_iter_ + 1, 3)
    assert ours.loss_curve_.shape == (ours.n_iter_ + 1,)
    if solver == "gd":  # small enough steps: monotone descent
        assert np.all(np.diff(ours.loss_curve_) <= 1e-15)


def test_sgd_is_eq_2_17_one_example():
    # one example, one epoch: theta_j <- theta_j + alpha (y - h(x)) x_j from theta = 0
    X, y = np.array([[2.0, -1.0], [0.5, 0.5]]), np.array([1.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        m = LogisticRegression(solver="sgd", learning_rate=0.5, max_iter=1, rng=0).fit(X, y)
    order = np.random.default_rng(0).permutation(2)
    theta = np.zeros(3)
    for i in order:
        x = np.append(X[i], 1.0)
        theta = theta + 0.5 * (y[i] - 1 / (1 + np.exp(-x @ theta))) * x
    np.testing.assert_allclose(np.append(m.coef_, m.intercept_), theta, rtol=1e-14)


@pytest.mark.parametrize("solver", ["newton", "gd", "sgd"])
def test_separable_data_warns_and_stops(solver):
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([0, 0, 1, 1])
    with pytest.warns(RuntimeWarning, match="linearly separable"):
        m = LogisticRegression(solver=solver, max_iter=10_000, rng=0).fit(X, y)
    assert np.all(np.isfinite(m.coef_)) and m.n_iter_ < 10_000 and not m.converged_
    assert m.score(X, y) == 1.0
    # with l2 the minimiser exists: sklearn agrees, no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = LogisticRegression(l2=0.1).fit(X, y)
    ref = sklearn_fit(X, y, C=1 / (0.1 * 4))
    np.testing.assert_allclose(m.coef_, ref.coef_.ravel(), atol=1e-6)


def test_max_iter_warns():
    X, y = noisy_data(0)
    with pytest.warns(ConvergenceWarning, match="max_iter=3"):
        m = LogisticRegression(solver="gd", max_iter=3).fit(X, y)
    assert m.n_iter_ == 3 and not m.converged_
    assert issubclass(ConvergenceWarning, RuntimeWarning)


def test_estimator_bad_input():
    X, y = noisy_data(0, m=20, d=2)
    with pytest.raises(ValueError, match="y must contain only the labels 0 and 1"):
        LogisticRegression().fit(X, 2 * y - 1)
    with pytest.raises(ValueError, match="y must contain both classes"):
        LogisticRegression().fit(X, np.ones(20))
    with pytest.raises(ValueError, match="X must be 2-dimensional"):
        LogisticRegression().fit(X[:, 0], y)
    with pytest.raises(ValueError, match="X and y must have the same number"):
        LogisticRegression().fit(X, y[:-1])
    with pytest.raises(ValueError, match="X must contain only finite"):
        LogisticRegression().fit(np.where(X > 1, np.nan, X), y)
    with pytest.raises(ValueError, match="solver must be one of"):
        LogisticRegression(solver="lbfgs").fit(X, y)
    with pytest.raises(ValueError, match="learning_rate must be > 0"):
        LogisticRegression(learning_rate=0).fit(X, y)
    with pytest.raises(ValueError, match="max_iter must be >= 1"):
        LogisticRegression(max_iter=0).fit(X, y)
    with pytest.raises(ValueError, match="tol must be >= 0"):
        LogisticRegression(tol=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="l2 must be >= 0"):
        LogisticRegression(l2=-0.1).fit(X, y)
    with pytest.raises(TypeError, match="rng must be"):
        LogisticRegression(solver="sgd", rng="seed").fit(X, y)
    with pytest.raises(RuntimeError, match="not fitted"):
        LogisticRegression().predict(X)
    m = LogisticRegression().fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features"):
        m.predict_proba(np.zeros((2, 3)))
    assert m.predict(X).dtype.kind == "i" and m.predict_proba(X).shape == (20,)
