"""notes_lib.naive_bayes against independent references: scikit-learn's CategoricalNB
for alpha > 0, counts taken with np.bincount / collections.Counter for the alpha = 0
MLE, and a brute-force product of probabilities (no log space) for the posterior."""

import collections

import numpy as np
import pytest
from sklearn.naive_bayes import CategoricalNB as SkCategoricalNB

from notes_lib.naive_bayes import CategoricalNB, logsumexp


def random_data(rng, n=200, n_features=4, n_cat=(2, 3, 5, 4), n_classes=3):
    X = np.column_stack([rng.integers(0, n_cat[j], n) for j in range(n_features)])
    y = rng.integers(0, n_classes, n)
    return X, y


@pytest.mark.parametrize("alpha", [1.0, 0.5, 2.5])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_sklearn(alpha, seed):
    rng = np.random.default_rng(seed)
    X, y = random_data(rng)
    labels = np.array(["a", "b", "c"])[y]
    ours = CategoricalNB(alpha=alpha).fit(X, labels)
    ref = SkCategoricalNB(alpha=alpha).fit(X, labels)
    np.testing.assert_array_equal(ours.classes_, ref.classes_)
    np.testing.assert_allclose(ours.class_log_prior_, ref.class_log_prior_, rtol=1e-12)
    np.testing.assert_array_equal(ours.n_categories_, ref.n_categories_)
    for a, b in zip(ours.feature_log_prob_, ref.feature_log_prob_, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    X_test, _ = random_data(rng, n=50)
    np.testing.assert_allclose(ours.predict_proba(X_test), ref.predict_proba(X_test),
                               rtol=1e-10, atol=1e-14)
    np.testing.assert_array_equal(ours.predict(X_test), ref.predict(X_test))
    assert ours.score(X_test, ref.predict(X_test)) == 1.0


def test_unseen_category_with_min_categories_matches_sklearn():
    rng = np.random.default_rng(3)
    X, y = random_data(rng)
    X[:, 2] = np.minimum(X[:, 2], 2)       # codes 3 and 4 of feature 2 never seen in fit
    ours = CategoricalNB(alpha=1.0, min_categories=[2, 3, 5, 4]).fit(X, y)
    ref = SkCategoricalNB(alpha=1.0, min_categories=[2, 3, 5, 4]).fit(X, y)
    X_test = np.array([[0, 1, 4, 3], [1, 2, 3, 0]])
    np.testing.assert_allclose(ours.predict_proba(X_test), ref.predict_proba(X_test),
                               rtol=1e-10)
    # an unseen category gets alpha / (N_k + alpha S_j)
    expected = np.log(1.0 / (ours.class_count_ + 5.0))
    np.testing.assert_allclose(ours.feature_log_prob_[2][:, 4], expected, rtol=1e-12)


def test_category_beyond_n_categories_raises_naming_X():
    X = np.array([[0, 1], [1, 0], [1, 1]])
    model = CategoricalNB().fit(X, [0, 1, 1])
    with pytest.raises(ValueError, match=r"X has category code 2 in feature 1"):
        model.predict([[0, 0], [0, 2]])


def test_alpha_zero_is_the_count_mle():
    rng = np.random.default_rng(4)
    X, y = random_data(rng, n=60, n_classes=4)
    model = CategoricalNB(alpha=0).fit(X, y)
    N = len(y)
    counts_y = np.bincount(y)
    np.testing.assert_allclose(np.exp(model.class_log_prior_), counts_y / N, rtol=1e-14)
    pairs = collections.Counter(zip(y.tolist(), map(tuple, X.tolist()), strict=True))
    for j in range(X.shape[1]):
        for k in range(4):
            col = X[y == k, j]
            expected = np.bincount(col, minlength=model.n_categories_[j]) / len(col)
            np.testing.assert_allclose(np.exp(model.feature_log_prob_[j][k]), expected,
                                       rtol=1e-14)
            # and once more from a plain Counter of (class, value) pairs
            n_kl = sum(c for (yy, row), c in pairs.items() if yy == k and row[j] == 0)
            assert np.isclose(np.exp(model.feature_log_prob_[j][k, 0]), n_kl / counts_y[k])


def test_alpha_zero_vetoes_a_class_and_predict_still_works():
    # feature value 1 is never seen with class 0: P(class 0 | x = 1) must be exactly 0
    X = np.array([[0], [0], [0], [1], [0]])
    y = np.array([0, 0, 0, 1, 1])
    model = CategoricalNB(alpha=0).fit(X, y)
    proba = model.predict_proba([[1], [0]])
    np.testing.assert_array_equal(proba[0], [0.0, 1.0])
    np.testing.assert_allclose(proba[1], [3 / 4, 1 / 4])
    np.testing.assert_array_equal(model.predict([[1], [0]]), [1, 0])


def test_alpha_zero_impossible_under_every_class():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1], [0, 0]])
    y = np.array([0, 0, 1, 1, 1])
    model = CategoricalNB(alpha=0, min_categories=3).fit(X, y)   # code 2 never seen
    with pytest.warns(RuntimeWarning, match="probability 0 under every class"):
        proba = model.predict_proba([[2, 0], [0, 0]])
    assert np.all(np.isnan(proba[0]))
    np.testing.assert_allclose(proba[1].sum(), 1.0)
    np.testing.assert_array_equal(model.predict([[2, 0]]), [1])   # the larger prior


def test_posterior_equals_brute_force_product():
    rng = np.random.default_rng(5)
    X, y = random_data(rng, n=40)
    model = CategoricalNB(alpha=1.0).fit(X, y)
    X_test, _ = random_data(rng, n=10)
    prior = np.exp(model.class_log_prior_)
    joint = np.array([[prior[k] * np.prod([np.exp(model.feature_log_prob_[j][k, x[j]])
                                           for j in range(len(x))])
                       for k in range(len(prior))] for x in X_test])
    np.testing.assert_allclose(model.predict_proba(X_test),
                               joint / joint.sum(axis=1, keepdims=True), rtol=1e-12)


@pytest.mark.parametrize("alpha", [0.0, 1.0])
def test_probabilities_sum_to_one_and_rows_normalised(alpha):
    rng = np.random.default_rng(6)
    X, y = random_data(rng, n=300)
    model = CategoricalNB(alpha=alpha).fit(X, y)
    for log_prob in model.feature_log_prob_:
        np.testing.assert_allclose(np.exp(log_prob).sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.exp(model.class_log_prior_).sum(), 1.0, rtol=1e-12)
    np.testing.assert_allclose(model.predict_proba(X).sum(axis=1), 1.0, rtol=1e-12)


def test_many_features_do_not_underflow():
    rng = np.random.default_rng(7)
    n_features = 2000                       # the product of 2000 probabilities < 1e-600
    y = rng.integers(0, 2, 100)
    X = (rng.random((100, n_features)) < np.where(y[:, None] == 1, 0.6, 0.4)).astype(int)
    model = CategoricalNB(alpha=1.0).fit(X, y)
    jll = model._joint_log_likelihood(X)
    assert np.all(np.exp(jll) == 0.0)       # the naive product really underflows
    proba = model.predict_proba(X)
    assert np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    ref = SkCategoricalNB(alpha=1.0).fit(X, y)
    np.testing.assert_allclose(model.predict_log_proba(X), ref.predict_log_proba(X),
                               rtol=1e-9, atol=1e-9)
    assert model.score(X, y) == 1.0


def test_logsumexp():
    a = np.array([[1000.0, 1000.0], [-np.inf, 0.0], [-np.inf, -np.inf]])
    np.testing.assert_allclose(logsumexp(a, axis=1)[:2], [1000 + np.log(2), 0.0])
    assert logsumexp(a, axis=1)[2] == -np.inf
    with pytest.raises(ValueError, match="a must not contain"):
        logsumexp([np.inf, 0.0])


def test_fit_returns_self():
    model = CategoricalNB()
    assert model.fit([[0], [1]], [0, 1]) is model


@pytest.mark.parametrize(
    ("X", "y", "kwargs", "exc", "match"),
    [
        ([[0, -1], [1, 0]], [0, 1], {}, ValueError, "X must hold non-negative"),
        ([[0, 0.5], [1, 0]], [0, 1], {}, ValueError, "X must hold integer"),
        ([[0, np.nan], [1, 0]], [0, 1], {}, ValueError, "X must contain only finite"),
        ([0, 1], [0, 1], {}, ValueError, "X must be 2-dimensional"),
        (np.zeros((0, 2)), [], {}, ValueError, "X must have at least 1 sample"),
        ([[0], [1]], [0, 1, 1], {}, ValueError, "y must have one label per row"),
        ([[0], [1]], [0.0, np.nan], {}, ValueError, "y must not contain NaN"),
        ([[0], [1]], [[0], [1]], {}, ValueError, "y must be 1-dimensional"),
        ([[0], [1]], [0, 1], {"alpha": -0.1}, ValueError, "alpha must be >= 0"),
        ([[0], [1]], [0, 1], {"alpha": "1"}, TypeError, "alpha must be a real number"),
        ([[0], [1]], [0, 1], {"alpha": np.nan}, ValueError, "alpha must be finite"),
        ("ab", [0, 1], {}, TypeError, "X must be array-like"),
        ([[0], [1]], [0, 1], {"min_categories": [2, 3]}, ValueError, "min_categories"),
    ],
)
def test_bad_input(X, y, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        CategoricalNB(**kwargs).fit(X, y)


def test_bad_input_at_predict():
    model = CategoricalNB().fit([[0, 1], [1, 0]], [0, 1])
    with pytest.raises(ValueError, match="X must have 2 features"):
        model.predict([[0, 1, 0]])
    with pytest.raises(ValueError, match="X must hold non-negative"):
        model.predict_proba([[0, -1]])
    with pytest.raises(ValueError, match="not fitted"):
        CategoricalNB().predict([[0]])
    with pytest.raises(ValueError, match="y must have one label per row"):
        model.score([[0, 1]], [0, 1])
