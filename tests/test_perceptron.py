"""notes_lib.perceptron against scikit-learn, the dual form and Novikoff's theorem."""

import warnings

import numpy as np
import pytest
from sklearn.linear_model import Perceptron as SkPerceptron

from notes_lib.perceptron import DualPerceptron, Perceptron, novikoff_bound


def separable(seed, n=80, d=3, gamma=0.2):
    """Random data separated by a unit (w, b) with geometric margin >= gamma (in x)."""
    rng = np.random.default_rng(seed)
    w = rng.normal(size=d)
    w /= np.linalg.norm(w)
    b = rng.uniform(-0.5, 0.5)
    X = rng.uniform(-2, 2, size=(4 * n, d))
    m = X @ w + b
    keep = np.abs(m) >= gamma
    return X[keep][:n], np.where(m[keep][:n] > 0, 1.0, -1.0), w, b


@pytest.mark.parametrize("seed", range(5))
def test_matches_sklearn_perceptron(seed):
    # sklearn's Perceptron is SGD on the hinge loss with threshold 0: it updates when
    # y (w.x + b) <= 0 by w += eta0 y x, b += eta0 y -- the same rule as Eq. (2.39),
    # so with the same order (shuffle=False) the weights coincide exactly.
    X, y, _, _ = separable(seed)
    ours = Perceptron(eta=1.0).fit(X, y)
    ref = SkPerceptron(eta0=1.0, penalty=None, fit_intercept=True, tol=None, max_iter=1000,
                       shuffle=False).fit(X, y)
    assert ours.converged_
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    assert ours.score(X, y) == 1.0 and ref.score(X, y) == 1.0
    np.testing.assert_allclose(ours.coef_, ref.coef_.ravel(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_[0], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("eta", [1.0, 0.3])
def test_primal_and_dual_make_the_same_updates(seed, eta):
    X, y, _, _ = separable(seed, d=2)
    p = Perceptron(eta=eta).fit(X, y)
    d = DualPerceptron(eta=eta).fit(X, y)
    assert [u.index for u in p.history_] == [u.index for u in d.history_]
    for a, b in zip(p.history_, d.history_, strict=True):
        np.testing.assert_allclose(a.w, b.w, atol=1e-9)
        np.testing.assert_allclose(a.b, b.b, atol=1e-9)
    np.testing.assert_allclose(d.coef_, p.coef_, atol=1e-9)
    # alpha_i = n_i eta (Eq. 2.40)
    counts = np.bincount([u.index for u in p.history_], minlength=len(y))
    np.testing.assert_allclose(d.alpha_, counts * eta)
    np.testing.assert_allclose(d.intercept_, np.sum(d.alpha_ * y))


def test_li_hang_example():
    X = np.array([[3.0, 3.0], [4.0, 3.0], [1.0, 1.0]])
    y = np.array([1.0, 1.0, -1.0])
    p = Perceptron().fit(X, y)
    assert [u.index + 1 for u in p.history_] == [1, 3, 3, 3, 1, 3, 3]
    assert p.coef_.tolist() == [1.0, 1.0] and p.intercept_ == -3.0
    d = DualPerceptron().fit(X, y)
    assert d.alpha_.tolist() == [2.0, 0.0, 5.0] and d.intercept_ == -3.0
    np.testing.assert_array_equal(d.gram_, [[18, 21, 6], [21, 25, 7], [6, 7, 2]])


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("shuffle", [False, True])
def test_novikoff_bound_holds(seed, shuffle):
    X, y, w, b = separable(seed, gamma=0.1 + 0.05 * seed)
    bound = novikoff_bound(X, y, w, b)
    # independent computation of the bound from its definition
    Xh = np.column_stack([X, np.ones(len(y))])
    wh = np.append(w, b) / np.hypot(np.linalg.norm(w), b)
    gamma = np.min(y * (Xh @ wh))
    R = np.max(np.linalg.norm(Xh, axis=1))
    assert bound == pytest.approx((R / gamma) ** 2)
    p = Perceptron(shuffle=shuffle, rng=np.random.default_rng(seed)).fit(X, y)
    assert p.converged_ and p.n_updates_ <= bound


def test_eta_only_scales_the_solution():
    X, y, _, _ = separable(0)
    a, b = Perceptron(eta=1.0).fit(X, y), Perceptron(eta=0.01).fit(X, y)
    assert [u.index for u in a.history_] == [u.index for u in b.history_]
    np.testing.assert_allclose(b.coef_, 0.01 * a.coef_)


@pytest.mark.parametrize("cls", [Perceptron, DualPerceptron])
def test_xor_stops_with_warning(cls):
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    y = np.array([-1.0, -1.0, 1.0, 1.0])
    with pytest.warns(RuntimeWarning, match="max_iter=50"):
        m = cls(max_iter=50).fit(X, y)
    assert not m.converged_ and m.n_iter_ == 50
    assert m.score(X, y) <= 0.75


def test_converged_fit_does_not_warn():
    X, y, _, _ = separable(1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Perceptron().fit(X, y)


@pytest.mark.parametrize("cls", [Perceptron, DualPerceptron])
def test_bad_input(cls):
    X = np.zeros((3, 2))
    with pytest.raises(ValueError, match="y must contain only the labels"):
        cls().fit(X, [0, 1, 1])
    with pytest.raises(ValueError, match="same number of rows"):
        cls().fit(X, [1, -1])
    with pytest.raises(ValueError, match="X must be 2-dimensional"):
        cls().fit([1.0, 2.0], [1, -1])
    with pytest.raises(ValueError, match="eta must be > 0"):
        cls(eta=0.0).fit(X, [1, -1, 1])
    with pytest.raises(ValueError, match="max_iter must be >= 1"):
        cls(max_iter=0).fit(X, [1, -1, 1])
    with pytest.raises(TypeError, match="rng must be a numpy Generator"):
        cls(shuffle=True, rng=0).fit(X, [1, -1, 1])
    with pytest.raises(RuntimeError, match="not fitted"):
        cls().predict(X)
    m = cls().fit([[1.0, 0.0], [-1.0, 0.0]], [1, -1])
    with pytest.raises(ValueError, match="X must have 2 columns"):
        m.predict([[1.0, 2.0, 3.0]])


def test_novikoff_bad_input():
    X = np.array([[1.0, 0.0], [-1.0, 0.0]])
    y = np.array([1.0, -1.0])
    assert novikoff_bound(X, y, [1.0, 0.0], 0.0) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="does not separate"):
        novikoff_bound(X, y, [-1.0, 0.0], 0.0)
    with pytest.raises(ValueError, match="must not both be zero"):
        novikoff_bound(X, y, [0.0, 0.0], 0.0)
    with pytest.raises(ValueError, match="w_opt must have 2 entries"):
        novikoff_bound(X, y, [1.0], 0.0)
