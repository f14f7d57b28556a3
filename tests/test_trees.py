"""CART trees and random forests (notes_lib.trees) against scikit-learn and brute force."""

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.datasets import make_classification, make_moons
from sklearn.ensemble import RandomForestClassifier as SkForest
from sklearn.tree import DecisionTreeClassifier as SkTree

from notes_lib.trees import DecisionTreeClassifier, RandomForestClassifier, best_split, gini


def _data(seed=0, n=300, d=6, classes=2):
    X, y = make_classification(n_samples=n, n_features=d, n_informative=min(d, 4),
                               n_redundant=0, n_classes=classes, random_state=seed)
    # scikit-learn works in float32: make X exactly representable so both see the same values
    return X.astype(np.float32).astype(np.float64), y


# ---------------------------------------------------------------------------- gini
def test_gini_of_known_counts():
    assert gini([5, 5]) == pytest.approx(0.5)
    assert gini([10, 0]) == 0.0
    assert gini([1, 1, 1]) == pytest.approx(2 / 3)
    assert gini([3, 1]) == pytest.approx(1 - (0.75 ** 2 + 0.25 ** 2))
    np.testing.assert_allclose(gini([[5, 5], [4, 0]], axis=1), [0.5, 0.0])
    np.testing.assert_allclose(gini([[5, 4], [5, 0]], axis=0), [0.5, 0.0])


def test_gini_bad_input():
    with pytest.raises(ValueError, match="counts must be non-negative"):
        gini([1, -1])
    with pytest.raises(ValueError, match="counts must have a positive total"):
        gini([0, 0])
    with pytest.raises(ValueError, match="counts"):
        gini([1.0, np.nan])
    with pytest.raises(ValueError, match="counts must be at least 1-dimensional"):
        gini(3.0)


# ----------------------------------------------------------------------- best_split
def _brute_force_split(x, y):
    """Every midpoint between distinct values, impurity by the definition, in Python loops."""
    values = sorted(set(x))
    best = None
    for lo, hi in itertools.pairwise(values):
        t = (lo + hi) / 2
        parts = [[c for xi, c in zip(x, y, strict=True) if (xi <= t) == side]
                 for side in (True, False)]
        child = sum(len(p) / len(x) * (1 - sum((p.count(k) / len(p)) ** 2 for k in set(y)))
                    for p in parts)
        if best is None or child < best[1] - 1e-12:
            best = (t, child)
    return best


@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 2)), min_size=2, max_size=25))
def test_best_split_equals_brute_force(pairs):
    x = [float(a) for a, _ in pairs]
    y = [b for _, b in pairs]
    got = best_split(x, y)
    expected = _brute_force_split(x, y)
    if expected is None:
        assert got is None
        return
    assert got[0] == pytest.approx(expected[0])
    assert got[2] == pytest.approx(expected[1], abs=1e-12)
    counts = np.bincount(np.unique(y, return_inverse=True)[1])
    assert got[1] == pytest.approx(gini(counts) - expected[1], abs=1e-12)


def test_best_split_matches_sklearn_stump():
    rng = np.random.default_rng(3)
    x = rng.normal(size=200).astype(np.float32).astype(np.float64)
    y = (x + rng.normal(scale=0.8, size=200) > 0.3).astype(int)
    t, decrease, child = best_split(x, y)
    sk = SkTree(max_depth=1).fit(x[:, None], y).tree_
    assert t == pytest.approx(sk.threshold[0], rel=1e-6)
    n = sk.n_node_samples
    sk_child = (n[1] * sk.impurity[1] + n[2] * sk.impurity[2]) / n[0]
    assert child == pytest.approx(sk_child, rel=1e-12)
    assert decrease == pytest.approx(sk.impurity[0] - sk_child, rel=1e-12)


def test_best_split_bad_input():
    assert best_split([1.0, 1.0, 1.0], [0, 1, 0]) is None           # constant feature
    assert best_split([1.0, 2.0], [0, 1], min_samples_leaf=2) is None
    with pytest.raises(ValueError, match="y must have one label per row"):
        best_split([1.0, 2.0], [0])
    with pytest.raises(ValueError, match="x must be 1-dimensional"):
        best_split([[1.0, 2.0]], [0, 1])
    with pytest.raises(ValueError, match="min_samples_leaf must be >= 1"):
        best_split([1.0, 2.0], [0, 1], min_samples_leaf=0)


# ---------------------------------------------------------------------------- trees
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_root_split_matches_sklearn(seed):
    X, y = _data(seed, classes=2 + seed % 2)
    ours = DecisionTreeClassifier().fit(X, y).tree_
    sk = SkTree(random_state=0).fit(X, y).tree_
    assert ours.feature[0] == sk.feature[0]
    assert ours.threshold[0] == pytest.approx(sk.threshold[0], rel=1e-6)
    # impurity decrease at the root, from scikit-learn's own node arrays
    def decrease(tree):
        n, imp = tree.n_node_samples, tree.impurity
        left, right = tree.children_left[0], tree.children_right[0]
        return imp[0] - (n[left] * imp[left] + n[right] * imp[right]) / n[0]
    assert decrease(ours) == pytest.approx(decrease(sk), rel=1e-12)


def test_full_depth_tree_fits_distinct_points_like_sklearn():
    X, y = _data(5, n=400)
    ours = DecisionTreeClassifier().fit(X, y)
    sk = SkTree(random_state=0).fit(X, y)
    assert len(np.unique(X, axis=0)) == len(X)
    assert ours.score(X, y) == sk.score(X, y) == 1.0
    assert np.all(ours.tree_.impurity[ours.tree_.children_left == -1] == 0)
    assert abs(ours.tree_.n_leaves - sk.get_n_leaves()) <= 0.1 * sk.get_n_leaves()


@pytest.mark.parametrize("max_depth,min_samples_leaf", [(1, 1), (2, 1), (3, 5), (4, 10)])
def test_shallow_trees_predict_like_sklearn(max_depth, min_samples_leaf):
    X, y = _data(7, n=500, classes=3)
    ours = DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=min_samples_leaf)
    sk = SkTree(max_depth=max_depth, min_samples_leaf=min_samples_leaf, random_state=0)
    ours.fit(X, y)
    sk.fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), sk.predict_proba(X), atol=1e-12)
    np.testing.assert_allclose(ours.feature_importances_, sk.feature_importances_, atol=1e-10)
    assert ours.get_depth() == sk.get_depth()
    leaves = ours.tree_.children_left == -1
    assert np.all(ours.tree_.n_node_samples[leaves] >= min_samples_leaf)


def test_string_labels_and_proba_rows():
    X, y = make_moons(200, noise=0.3, random_state=0)
    labels = np.array(["a", "b"])[y]
    tree = DecisionTreeClassifier(max_depth=3).fit(X, labels)
    assert set(tree.predict(X)) <= {"a", "b"}
    np.testing.assert_allclose(tree.predict_proba(X).sum(axis=1), 1.0)


# --------------------------------------------------------------------------- forest
def test_forest_accuracy_close_to_sklearn_and_oob_close_to_test():
    X, y = make_classification(n_samples=2000, n_features=12, n_informative=6,
                               random_state=11)
    X_tr, y_tr, X_te, y_te = X[:1000], y[:1000], X[1000:], y[1000:]
    ours = RandomForestClassifier(n_estimators=60, oob_score=True, rng=0).fit(X_tr, y_tr)
    sk = SkForest(n_estimators=60, random_state=0).fit(X_tr, y_tr)
    acc, sk_acc = ours.score(X_te, y_te), sk.score(X_te, y_te)
    assert abs(acc - sk_acc) < 0.03
    assert abs(ours.oob_score_ - acc) < 0.03
    assert ours.oob_score_staged_.shape == (60,)
    assert ours.oob_score_staged_[-1] == ours.oob_score_
    # a single full-depth tree is worse than the forest on held-out data
    tree_acc = DecisionTreeClassifier().fit(X_tr, y_tr).score(X_te, y_te)
    assert acc > tree_acc + 0.03
    np.testing.assert_allclose(ours.feature_importances_.sum(), 1.0)
    assert np.corrcoef(ours.feature_importances_, sk.feature_importances_)[0, 1] > 0.9


def test_forest_proba_is_mean_of_trees_and_oob_by_definition():
    X, y = make_moons(150, noise=0.25, random_state=1)
    forest = RandomForestClassifier(n_estimators=15, oob_score=True, rng=2).fit(X, y)
    per_tree = np.array([t.predict_proba(X) for t in forest.estimators_])
    np.testing.assert_allclose(forest.predict_proba(X), per_tree.mean(axis=0))
    np.testing.assert_allclose(forest.tree_proba(X, 4), per_tree[:4])
    # out-of-bag vote of sample i: average over the trees whose bootstrap missed i
    oob = np.array([~np.isin(np.arange(len(X)), s) for s in forest.estimators_samples_])
    with np.errstate(invalid="ignore"):
        expected = (per_tree * oob[:, :, None]).sum(axis=0) / oob.sum(axis=0)[:, None]
    np.testing.assert_allclose(forest.oob_decision_function_, expected)
    has = oob.any(axis=0)
    assert forest.oob_score_ == pytest.approx(
        np.mean(expected[has].argmax(axis=1) == y[has]))


def test_forest_is_reproducible_with_a_seed():
    X, y = make_moons(100, noise=0.3, random_state=0)
    a = RandomForestClassifier(n_estimators=5, rng=np.random.default_rng(4)).fit(X, y)
    b = RandomForestClassifier(n_estimators=5, rng=np.random.default_rng(4)).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))


@given(st.integers(0, 10_000))
def test_tree_separates_any_distinct_points(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(30, 3))
    y = rng.integers(0, 3, 30)
    tree = DecisionTreeClassifier(max_features=2, rng=rng).fit(X, y)
    assert tree.score(X, y) == 1.0


# ------------------------------------------------------------------------ bad input
def test_bad_input():
    X, y = make_moons(40, random_state=0)
    with pytest.raises(ValueError, match="not fitted"):
        DecisionTreeClassifier().predict(X)
    with pytest.raises(ValueError, match="not fitted"):
        RandomForestClassifier().predict_proba(X)
    with pytest.raises(ValueError, match="X must contain only finite"):
        DecisionTreeClassifier().fit(np.where(X > 0, np.nan, X), y)
    with pytest.raises(ValueError, match="y must have one label per row"):
        DecisionTreeClassifier().fit(X, y[:-1])
    with pytest.raises(ValueError, match="max_depth must be >= 0"):
        DecisionTreeClassifier(max_depth=-1).fit(X, y)
    with pytest.raises(ValueError, match="min_samples_split must be >= 2"):
        DecisionTreeClassifier(min_samples_split=1).fit(X, y)
    with pytest.raises(ValueError, match="max_features must be"):
        DecisionTreeClassifier(max_features="cube").fit(X, y)
    with pytest.raises(ValueError, match="max_features must be in"):
        DecisionTreeClassifier(max_features=3).fit(X, y)
    with pytest.raises(ValueError, match="max_features must be in"):
        DecisionTreeClassifier(max_features=1.5).fit(X, y)
    with pytest.raises(ValueError, match="n_estimators must be >= 1"):
        RandomForestClassifier(n_estimators=0).fit(X, y)
    with pytest.raises(ValueError, match="oob_score requires bootstrap"):
        RandomForestClassifier(bootstrap=False, oob_score=True).fit(X, y)
    with pytest.raises(TypeError, match="rng must be"):
        RandomForestClassifier(n_estimators=2, rng="seed").fit(X, y)
    with pytest.raises(TypeError, match="bootstrap must be a bool"):
        RandomForestClassifier(bootstrap=1).fit(X, y)
    forest = RandomForestClassifier(n_estimators=3, rng=0).fit(X, y)
    with pytest.raises(ValueError, match="X must have 2 features"):
        forest.predict(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="n_trees must be <= n_estimators"):
        forest.tree_proba(X, 4)
    with pytest.raises(ValueError, match="sample_indices"):
        DecisionTreeClassifier().fit(X, y, sample_indices=np.array([0, 99]))
