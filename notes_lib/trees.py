"""CART decision trees and random forests (the notes' "Todo: Random forest", section 2.13).

A classification tree splits the feature space by axis-aligned tests
:math:`x^{(j)} \\le t` chosen greedily: at each node it picks the feature :math:`j` and
threshold :math:`t` whose children have the smallest total **Gini impurity**

.. math:: G(D) = 1 - \\sum_{k=1}^K p_k^2, \\qquad p_k = N_k / N,

weighted by their sizes, i.e. the largest impurity decrease
:math:`N\\,G(D) - N_L\\,G(D_L) - N_R\\,G(D_R)`. Since
:math:`N_L G(D_L) = N_L - \\sum_k N_{L,k}^2 / N_L`, minimising the weighted impurity is
maximising :math:`\\sum_k N_{L,k}^2/N_L + \\sum_k N_{R,k}^2/N_R`, which is computed for
**all** thresholds at once from the cumulative class counts of the samples sorted by
the feature (:func:`best_split`). A **random forest** (Breiman, 2001) averages the
class probabilities of many trees, each grown on a bootstrap sample and choosing each
split among a random subset of ``max_features`` features; the samples left out of a
tree's bootstrap sample ("out of bag") give a free estimate of the test error.

Implementation notes. The tree is grown breadth first: all open nodes of one depth are
split together, with one sort per depth (samples ordered by node, then by feature
value, through a combined integer key of node index and global feature rank), one
cumulative sum of one-hot class counts, and segment maxima (``np.maximum.reduceat``)
for the best split per node. So there is no Python loop over samples, thresholds,
features or nodes; only over depths. Trees are stored as flat arrays in the layout of
scikit-learn's ``tree_`` (``children_left``, ``children_right``, ``feature``,
``threshold``, ``value``), and prediction walks all samples (and, for a forest, all
trees) down one level per iteration.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_fitted_X, check_int, check_labels, check_matrix

__all__ = ["DecisionTreeClassifier", "RandomForestClassifier", "Tree", "best_split", "gini"]

TREE_LEAF = -1
TREE_UNDEFINED = -2


# --------------------------------------------------------------------------- helpers
def gini(counts: object, axis: int = -1) -> np.ndarray | float:
    """Gini impurity :math:`1 - \\sum_k p_k^2` of class counts along ``axis``.

    Parameters
    ----------
    counts : array-like of non-negative numbers
        Class counts :math:`N_1, \\dots, N_K` (any real weights); each slice along
        ``axis`` must have a positive total.

    Returns
    -------
    float or ndarray
        The impurity of each slice (a float for a 1-D input).
    """
    counts = as_float_array(counts, "counts")
    if counts.ndim == 0:
        raise ValueError("counts must be at least 1-dimensional (one count per class)")
    if np.any(counts < 0):
        raise ValueError("counts must be non-negative")
    total = counts.sum(axis=axis, keepdims=True)
    if np.any(total <= 0):
        raise ValueError("counts must have a positive total along axis")
    p = counts / total
    out = 1.0 - np.sum(p * p, axis=axis)
    return float(out) if out.ndim == 0 else out


def _check_rng(rng: object) -> np.random.Generator:
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, an int seed or None, "
                        f"got {type(rng).__name__}")
    return rng


def _n_features_to_try(max_features: object, n_features: int) -> int:
    """The number of features examined at each split (scikit-learn's conventions)."""
    if max_features is None:
        return n_features
    if isinstance(max_features, str):
        if max_features == "sqrt":
            return max(1, int(np.sqrt(n_features)))
        if max_features == "log2":
            return max(1, int(np.log2(n_features)))
        raise ValueError(f"max_features must be None, 'sqrt', 'log2', an int >= 1 or a float "
                         f"in (0, 1], got {max_features!r}")
    if isinstance(max_features, bool):
        raise TypeError("max_features must be None, a string, an int or a float, got bool")
    if isinstance(max_features, numbers.Integral):
        m = int(max_features)
        if not 1 <= m <= n_features:
            raise ValueError(f"max_features must be in [1, n_features={n_features}], got {m}")
        return m
    if isinstance(max_features, numbers.Real):
        f = float(max_features)
        if not 0.0 < f <= 1.0:
            raise ValueError(f"max_features must be in (0, 1] when a float, got {f}")
        return max(1, int(f * n_features))
    raise TypeError(f"max_features must be None, a string, an int or a float, "
                    f"got {type(max_features).__name__}")


def _dense_ranks(X: np.ndarray) -> np.ndarray:
    """Per column, the rank of each value among the distinct values (ties share a rank)."""
    order = np.argsort(X, axis=0, kind="stable")
    sorted_X = np.take_along_axis(X, order, axis=0)
    steps = np.vstack([np.zeros((1, X.shape[1]), dtype=np.int64),
                       np.cumsum(sorted_X[1:] != sorted_X[:-1], axis=0)])
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, steps, axis=0)
    return ranks


# ------------------------------------------------------------------------- best split
def best_split(x: object, y: object, min_samples_leaf: int = 1
               ) -> tuple[float, float, float] | None:
    """Best Gini split :math:`x \\le t` of one node on one feature, vectorised over thresholds.

    The samples are sorted by ``x``; the cumulative one-hot class counts give the class
    counts :math:`N_{L,k}` of the left child for every split position at once, the right
    child's are the node's minus those, and the weighted child impurity is
    :math:`N_L G(D_L) + N_R G(D_R) = N - \\sum_k N_{L,k}^2/N_L - \\sum_k N_{R,k}^2/N_R`.
    Splits are allowed only between distinct values of ``x``; the threshold is the
    midpoint of the two neighbouring values (as in scikit-learn).

    Parameters
    ----------
    x : array-like of shape (n_samples,)
        One feature of the node's samples.
    y : array-like of shape (n_samples,)
        Their class labels.
    min_samples_leaf : int
        Minimum number of samples in each child.

    Returns
    -------
    (threshold, impurity_decrease, weighted_child_impurity) or None
        ``impurity_decrease`` is :math:`G(D) - \\frac{N_L}{N}G(D_L) - \\frac{N_R}{N}G(D_R)`
        and ``weighted_child_impurity`` is :math:`\\frac{N_L}{N}G(D_L) + \\frac{N_R}{N}G(D_R)`;
        ``None`` when no split is allowed (constant ``x`` or too few samples).
    """
    x = as_float_array(x, "x", ndim=1)
    y = check_labels(y, x.shape[0])
    if x.shape[0] < 1:
        raise ValueError("x must hold at least one sample")
    min_samples_leaf = check_int(min_samples_leaf, "min_samples_leaf", minimum=1)
    _, y_idx = np.unique(y, return_inverse=True)
    n = x.shape[0]
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y_idx[order]
    onehot = (ys[:, None] == np.arange(y_idx.max() + 1)).astype(np.float64)
    left = np.cumsum(onehot, axis=0)[:-1]            # counts left of position p+1
    total = left[-1] + onehot[-1] if n > 1 else onehot[-1]
    right = total - left
    n_left = np.arange(1, n, dtype=np.float64)
    n_right = n - n_left
    score = (left ** 2).sum(axis=1) / n_left + (right ** 2).sum(axis=1) / n_right
    valid = (xs[1:] > xs[:-1]) & (n_left >= min_samples_leaf) & (n_right >= min_samples_leaf)
    if not np.any(valid):
        return None
    score = np.where(valid, score, -np.inf)
    p = int(np.argmax(score))
    threshold = xs[p] / 2.0 + xs[p + 1] / 2.0
    if threshold == xs[p + 1]:
        threshold = xs[p]
    child = (n - score[p]) / n
    parent = 1.0 - float(np.sum((total / n) ** 2))
    return float(threshold), float(parent - child), float(child)


# ------------------------------------------------------------------------------ trees
@dataclass
class Tree:
    """A fitted tree as flat arrays (the layout of scikit-learn's ``tree_``).

    Node 0 is the root; nodes are numbered breadth first. For an internal node ``i``
    a sample goes to ``children_left[i]`` when ``x[feature[i]] <= threshold[i]``,
    else to ``children_right[i]``; leaves have ``children_left == children_right == -1``
    and ``feature == -2``.

    Attributes
    ----------
    children_left, children_right, feature : ndarray of int64, shape (node_count,)
    threshold : ndarray of float64, shape (node_count,)
    value : ndarray of shape (node_count, n_classes)
        Class fractions of the training samples reaching each node.
    impurity : ndarray of shape (node_count,)
        Gini impurity of each node.
    n_node_samples : ndarray of int64, shape (node_count,)
        Training samples (bootstrap copies counted) reaching each node.
    max_depth : int
        Depth of the deepest leaf (the root has depth 0).
    """

    children_left: np.ndarray
    children_right: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    value: np.ndarray
    impurity: np.ndarray
    n_node_samples: np.ndarray
    max_depth: int

    @property
    def node_count(self) -> int:
        return int(self.children_left.shape[0])

    @property
    def n_leaves(self) -> int:
        return int(np.sum(self.children_left == TREE_LEAF))

    def apply(self, X: np.ndarray) -> np.ndarray:
        """Index of the leaf reached by each row of ``X`` (one step per depth)."""
        return _apply_flat(self.children_left, self.children_right, self.feature,
                           self.threshold, np.zeros((1, X.shape[0]), dtype=np.int64),
                           X, self.max_depth)[0]

    def feature_importances(self, n_features: int) -> np.ndarray:
        """Mean decrease in impurity per feature, normalised to sum 1 (0 for a stump)."""
        internal = self.children_left != TREE_LEAF
        w = self.n_node_samples * self.impurity
        left, right = self.children_left[internal], self.children_right[internal]
        dec = w[internal] - w[left] - w[right]
        imp = np.bincount(self.feature[internal], weights=dec, minlength=n_features)
        total = imp.sum()
        return imp / total if total > 0 else imp


def _apply_flat(left: np.ndarray, right: np.ndarray, feature: np.ndarray,
                threshold: np.ndarray, start: np.ndarray, X: np.ndarray,
                depth: int) -> np.ndarray:
    """Walk every row of ``X`` from the nodes ``start`` (shape (n_trees, n)) to a leaf.

    One iteration per level: all samples of all trees move down together.
    """
    node = start.copy()
    rows = np.arange(X.shape[0])[None, :]
    for _ in range(depth):
        f = feature[node]
        internal = f >= 0
        if not np.any(internal):
            break
        go_left = X[rows, np.where(internal, f, 0)] <= threshold[node]
        node = np.where(internal, np.where(go_left, left[node], right[node]), node)
    return node


def _grow(X: np.ndarray, ranks: np.ndarray, y: np.ndarray, n_classes: int,
          samples: np.ndarray, max_depth: int | None, min_samples_split: int,
          min_samples_leaf: int, n_try: int, rng: np.random.Generator | None) -> Tree:
    """Grow one CART tree on the rows ``samples`` (repeats allowed) of ``X``, breadth first.

    ``ranks`` are the per-column dense ranks of ``X``; ``y`` holds class indices.
    """
    n_total, d = X.shape
    K = n_classes
    classes = np.arange(K)
    left_l: list[np.ndarray] = []
    right_l: list[np.ndarray] = []
    feat_l: list[np.ndarray] = []
    thr_l: list[np.ndarray] = []
    val_l: list[np.ndarray] = []
    imp_l: list[np.ndarray] = []
    nns_l: list[np.ndarray] = []

    idx = samples.astype(np.int64)                 # samples of the open nodes
    nid = np.zeros(idx.shape[0], dtype=np.int64)   # local index of their node at this depth
    n_level = 1                                    # nodes created at this depth
    first_id = 0                                   # global id of the first of them
    depth = 0
    max_reached = 0
    while n_level > 0:
        # 1. statistics of every node of this depth
        counts = np.bincount(nid * K + y[idx], minlength=n_level * K).reshape(n_level, K)
        n_node = counts.sum(axis=1)
        value = counts / n_node[:, None]
        impurity = 1.0 - np.sum(value * value, axis=1)
        max_reached = depth
        leaf = (counts.max(axis=1) == n_node) | (n_node < min_samples_split) \
            | (n_node < 2 * min_samples_leaf)
        if max_depth is not None and depth >= max_depth:
            leaf[:] = True
        feat = np.full(n_level, TREE_UNDEFINED, dtype=np.int64)
        thr = np.full(n_level, float(TREE_UNDEFINED))
        cl = np.full(n_level, TREE_LEAF, dtype=np.int64)
        cr = np.full(n_level, TREE_LEAF, dtype=np.int64)

        open_nodes = np.flatnonzero(~leaf)
        if open_nodes.size:
            # 2. keep the samples of open nodes, renumbered 0..L-1
            local = np.full(n_level, -1, dtype=np.int64)
            local[open_nodes] = np.arange(open_nodes.size)
            keep = local[nid] >= 0
            idx, nid = idx[keep], local[nid[keep]]
            L = open_nodes.size
            # 3. the features tried at each open node
            if n_try < d:
                F = np.argsort(rng.random((L, d)), axis=1)[:, :n_try]
            else:
                F = np.broadcast_to(np.arange(d), (L, d))
            # feature-major layout (m, n_a): every sort and cumulative sum runs along
            # the contiguous last axis
            n_a = idx.shape[0]
            R = ranks[idx[None, :], F[nid].T]                    # (m, n_a) feature ranks
            order = np.argsort(nid * n_total + R, axis=1, kind="stable")
            Rs = np.take_along_axis(R, order, axis=1)
            ys = y[idx[order]]                                   # (m, n_a) sorted labels
            size = np.bincount(nid, minlength=L)
            end = np.cumsum(size)
            start = end - size
            row_node = np.repeat(np.arange(L), size)             # node of each sorted row
            # 4. cumulative class counts: the left child's counts for a split after
            #    every sorted row, all thresholds of all nodes and features at once
            onehot = (ys[:, :, None] == classes).astype(np.float64)      # (m, n_a, K)
            C = np.cumsum(onehot, axis=1)
            C0 = C[:, start, :] - onehot[:, start, :]                    # counts before node
            left_c = C - C0[:, row_node, :]
            right_c = counts[open_nodes][row_node][None, :, :] - left_c
            pos = np.arange(n_a)
            n_left = (pos + 1 - start[row_node]).astype(np.float64)
            n_right = (end[row_node] - pos - 1).astype(np.float64)
            with np.errstate(divide="ignore", invalid="ignore"):
                score = np.einsum("mnk,mnk->mn", left_c, left_c) / n_left \
                    + np.einsum("mnk,mnk->mn", right_c, right_c) / n_right
            ok = (n_left >= min_samples_leaf) & (n_right >= min_samples_leaf)   # (n_a,)
            valid = np.zeros_like(score, dtype=bool)
            valid[:, :-1] = Rs[:, 1:] != Rs[:, :-1]
            valid &= ok
            score = np.where(valid, score, -np.inf)
            # 5. best (row, feature) per node: first maximum, lowest threshold first
            col = np.argmax(score, axis=0)                       # best feature slot per row
            row_best = score[col, pos]
            seg_best = np.maximum.reduceat(row_best, start)
            cand = np.where(row_best == seg_best[row_node], pos, n_a)
            p = np.minimum.reduceat(cand, start)
            splittable = np.isfinite(seg_best)
            p, c = p[splittable], col[p[splittable]]
            split_nodes = open_nodes[splittable]
            f_best = F[np.flatnonzero(splittable), c]
            x_lo = X[idx[order[c, p]], f_best]
            x_hi = X[idx[order[c, p + 1]], f_best]
            t = x_lo / 2.0 + x_hi / 2.0
            t = np.where(t == x_hi, x_lo, t)
            n_split = split_nodes.size
            next_first = first_id + n_level
            feat[split_nodes] = f_best
            thr[split_nodes] = t
            cl[split_nodes] = next_first + 2 * np.arange(n_split)
            cr[split_nodes] = next_first + 2 * np.arange(n_split) + 1
            # 6. send the samples of split nodes to their children
            split_rank = np.full(L, -1, dtype=np.int64)
            split_rank[np.flatnonzero(splittable)] = np.arange(n_split)
            r = split_rank[nid]
            keep = r >= 0
            idx, nid, r = idx[keep], nid[keep], r[keep]
            local_feat = np.full(L, 0, dtype=np.int64)
            local_thr = np.zeros(L)
            local_feat[splittable] = f_best
            local_thr[splittable] = t
            go_left = X[idx, local_feat[nid]] <= local_thr[nid]
            nid = 2 * r + (~go_left)
            first_id = next_first
            n_level = 2 * n_split
        else:
            n_level = 0
        left_l.append(cl)
        right_l.append(cr)
        feat_l.append(feat)
        thr_l.append(thr)
        val_l.append(value)
        imp_l.append(impurity)
        nns_l.append(n_node)
        depth += 1
    return Tree(
        children_left=np.concatenate(left_l), children_right=np.concatenate(right_l),
        feature=np.concatenate(feat_l), threshold=np.concatenate(thr_l),
        value=np.concatenate(val_l), impurity=np.concatenate(imp_l),
        n_node_samples=np.concatenate(nns_l).astype(np.int64), max_depth=max_reached)


class _TreeParams:
    def _validate_tree_params(self) -> tuple[int | None, int, int]:
        max_depth = self.max_depth
        if max_depth is not None:
            max_depth = check_int(max_depth, "max_depth", minimum=0)
        min_samples_split = check_int(self.min_samples_split, "min_samples_split", minimum=2)
        min_samples_leaf = check_int(self.min_samples_leaf, "min_samples_leaf", minimum=1)
        return max_depth, min_samples_split, min_samples_leaf

    def _fit_setup(self, X: object, y: object) -> tuple[np.ndarray, np.ndarray]:
        X = check_matrix(X)
        y = check_labels(y, X.shape[0])
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        self.n_classes_ = int(self.classes_.size)
        self.n_features_in_ = int(X.shape[1])
        return X, y_idx.astype(np.int64)

    def _check_predict_X(self, X: object) -> np.ndarray:
        return check_fitted_X(self, X, "classes_", "fit(X, y)")

    def predict(self, X: object) -> np.ndarray:
        """The class of largest predicted probability (ties: first class of ``classes_``)."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def score(self, X: object, y: object) -> float:
        """Accuracy: the fraction of rows of ``X`` whose prediction equals ``y``."""
        pred = self.predict(X)
        y = check_labels(y, pred.shape[0])
        return float(np.mean(pred == y))


class DecisionTreeClassifier(_TreeParams):
    """CART classification tree with the Gini criterion.

    Parameters
    ----------
    max_depth : int or None
        Maximal depth (root = depth 0); ``None`` grows until the leaves are pure or
        cannot be split.
    min_samples_split : int
        A node with fewer samples is a leaf.
    min_samples_leaf : int
        Each child of a split keeps at least this many samples.
    max_features : None, "sqrt", "log2", int or float
        Number of features drawn at random (without replacement) at each node and
        searched for the best split; ``None`` searches all features. Unlike
        scikit-learn, a node whose drawn features are all constant becomes a leaf
        (scikit-learn draws further features).
    rng : numpy Generator, int seed or None
        Source of the feature draws (used only when ``max_features`` < n_features).

    Attributes
    ----------
    tree_ : Tree
        The flat arrays of the fitted tree.
    classes_ : ndarray
        Sorted class labels.
    n_features_in_ : int
    feature_importances_ : ndarray of shape (n_features,)
        Normalised total Gini decrease of the splits on each feature.
    """

    def __init__(self, max_depth: int | None = None, min_samples_split: int = 2,
                 min_samples_leaf: int = 1, max_features: object = None,
                 rng: np.random.Generator | int | None = None) -> None:
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.rng = rng

    def fit(self, X: object, y: object, sample_indices: object = None) -> DecisionTreeClassifier:
        """Grow the tree on ``X`` (n_samples, n_features) and labels ``y``; return ``self``.

        ``sample_indices`` (optional) are the rows to grow on, repeats allowed (a
        bootstrap sample): equivalent to fitting ``X[sample_indices]`` but sharing the
        sort of ``X``.
        """
        max_depth, mss, msl = self._validate_tree_params()
        X, y_idx = self._fit_setup(X, y)
        n_try = _n_features_to_try(self.max_features, X.shape[1])
        rng = _check_rng(self.rng) if n_try < X.shape[1] else None
        if sample_indices is None:
            samples = np.arange(X.shape[0])
        else:
            samples = np.asarray(sample_indices)
            if samples.ndim != 1 or samples.size == 0 or samples.dtype.kind not in "iu" \
                    or samples.min() < 0 or samples.max() >= X.shape[0]:
                raise ValueError("sample_indices must be a non-empty 1-D array of row indices "
                                 f"in [0, {X.shape[0]})")
        self.tree_ = _grow(X, _dense_ranks(X), y_idx, self.n_classes_, samples, max_depth,
                           mss, msl, n_try, rng)
        return self

    @property
    def feature_importances_(self) -> np.ndarray:
        if not hasattr(self, "tree_"):
            raise ValueError("this DecisionTreeClassifier is not fitted yet; call fit first")
        return self.tree_.feature_importances(self.n_features_in_)

    def get_depth(self) -> int:
        """Depth of the fitted tree."""
        if not hasattr(self, "tree_"):
            raise ValueError("this DecisionTreeClassifier is not fitted yet; call fit first")
        return self.tree_.max_depth

    def apply(self, X: object) -> np.ndarray:
        """Index of the leaf each row of ``X`` ends in."""
        return self.tree_.apply(self._check_predict_X(X))

    def predict_proba(self, X: object) -> np.ndarray:
        """Class fractions of the training samples in the leaf of each row, (n, n_classes)."""
        X = self._check_predict_X(X)
        return self.tree_.value[self.tree_.apply(X)]


class RandomForestClassifier(_TreeParams):
    """Random forest: bagged CART trees with feature subsampling (Breiman, 2001).

    Each tree is grown to full depth (by default) on a bootstrap sample of the
    training set (``n`` draws with replacement) and searches only ``max_features``
    random features at each split; the forest's class probabilities are the
    average of the trees' leaf class fractions.

    Parameters
    ----------
    n_estimators : int
        Number of trees.
    max_depth, min_samples_split, min_samples_leaf : see :class:`DecisionTreeClassifier`.
    max_features : None, "sqrt", "log2", int or float
        Features tried per split; ``"sqrt"`` gives :math:`\\lfloor\\sqrt d\\rfloor`.
    bootstrap : bool
        Grow each tree on a bootstrap sample (else on the whole training set).
    oob_score : bool
        Compute the out-of-bag accuracy (needs ``bootstrap``).
    rng : numpy Generator, int seed or None
        Source of the bootstrap samples and feature draws.

    Attributes
    ----------
    estimators_ : list of DecisionTreeClassifier
    estimators_samples_ : list of ndarray
        The bootstrap row indices of each tree.
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
        Average class probabilities over the trees for which each sample was out of
        bag (NaN for a sample that was in every bootstrap sample).
    oob_score_ : float
        Accuracy of the out-of-bag prediction over the samples that have one.
    oob_score_staged_ : ndarray of shape (n_estimators,)
        The out-of-bag accuracy of the first 1, 2, ..., ``n_estimators`` trees (over
        the samples that are out of bag for at least one of them).
    feature_importances_ : ndarray of shape (n_features,)
        Mean over trees of each tree's normalised Gini importances, renormalised.
    """

    def __init__(self, n_estimators: int = 100, max_depth: int | None = None,
                 max_features: object = "sqrt", bootstrap: bool = True,
                 oob_score: bool = False, rng: np.random.Generator | int | None = None,
                 min_samples_split: int = 2, min_samples_leaf: int = 1) -> None:
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.rng = rng
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf

    def fit(self, X: object, y: object) -> RandomForestClassifier:
        """Grow ``n_estimators`` trees on bootstrap samples of ``X``, ``y``; return ``self``."""
        n_estimators = check_int(self.n_estimators, "n_estimators", minimum=1)
        max_depth, mss, msl = self._validate_tree_params()
        for name in ("bootstrap", "oob_score"):
            if not isinstance(getattr(self, name), bool | np.bool_):
                raise TypeError(f"{name} must be a bool, got {type(getattr(self, name)).__name__}")
        if self.oob_score and not self.bootstrap:
            raise ValueError("oob_score requires bootstrap=True")
        X, y_idx = self._fit_setup(X, y)
        n, d = X.shape
        n_try = _n_features_to_try(self.max_features, d)
        rng = _check_rng(self.rng)
        ranks = _dense_ranks(X)
        self.estimators_ = []
        self.estimators_samples_ = []
        for _ in range(n_estimators):        # one loop over trees: each tree is grown breadth first
            samples = rng.integers(0, n, n) if self.bootstrap else np.arange(n)
            tree = DecisionTreeClassifier(max_depth=self.max_depth, min_samples_split=mss,
                                          min_samples_leaf=msl, max_features=self.max_features)
            tree.n_classes_ = self.n_classes_
            tree.n_features_in_ = d
            tree.tree_ = _grow(X, ranks, y_idx, self.n_classes_, samples, max_depth, mss, msl,
                               n_try, rng)
            tree.classes_ = self.classes_
            self.estimators_.append(tree)
            self.estimators_samples_.append(samples)
        self._stack()
        if self.oob_score:
            self._compute_oob(X, y_idx)
        return self

    # ---------------------------------------------------------------- stacking
    def _stack(self) -> None:
        """Concatenate the trees' arrays so that all trees are walked together."""
        trees = [t.tree_ for t in self.estimators_]
        sizes = np.array([t.node_count for t in trees])
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        shift = [np.where(t.children_left >= 0, o, 0) for t, o in zip(trees, offsets, strict=True)]
        self._left = np.concatenate([t.children_left + s for t, s in zip(trees, shift,
                                                                          strict=True)])
        self._right = np.concatenate([t.children_right + s for t, s in zip(trees, shift,
                                                                            strict=True)])
        self._feature = np.concatenate([t.feature for t in trees])
        self._threshold = np.concatenate([t.threshold for t in trees])
        self._value = np.concatenate([t.value for t in trees])
        self._offsets = offsets
        self._depth = max(t.max_depth for t in trees)

    def _tree_leaves(self, X: np.ndarray, n_trees: int | None = None) -> np.ndarray:
        """Flat leaf index reached in each of the first ``n_trees`` trees, (n_trees, n)."""
        T = len(self.estimators_) if n_trees is None else n_trees
        start = np.broadcast_to(self._offsets[:T, None], (T, X.shape[0]))
        return _apply_flat(self._left, self._right, self._feature, self._threshold, start, X,
                           self._depth)

    def tree_proba(self, X: object, n_trees: int | None = None) -> np.ndarray:
        """Class probabilities of each of the first ``n_trees`` trees, (n_trees, n, n_classes)."""
        X = self._check_predict_X(X)
        if n_trees is not None:
            n_trees = check_int(n_trees, "n_trees", minimum=1)
            if n_trees > len(self.estimators_):
                raise ValueError(f"n_trees must be <= n_estimators={len(self.estimators_)}, "
                                 f"got {n_trees}")
        return self._value[self._tree_leaves(X, n_trees)]

    def predict_proba(self, X: object) -> np.ndarray:
        """Average over the trees of their leaf class fractions, (n_samples, n_classes)."""
        return self.tree_proba(X).mean(axis=0)

    def _compute_oob(self, X: np.ndarray, y_idx: np.ndarray) -> None:
        n = X.shape[0]
        T = len(self.estimators_)
        in_bag = np.zeros((T, n), dtype=bool)
        for t, s in enumerate(self.estimators_samples_):
            in_bag[t, s] = True
        oob = ~in_bag
        proba = self._value[self._tree_leaves(X)] * oob[:, :, None]   # (T, n, K)
        cum = np.cumsum(proba, axis=0)
        votes = np.cumsum(oob, axis=0)                                 # (T, n)
        has = votes > 0
        correct = (np.argmax(cum, axis=2) == y_idx[None, :]) & has
        with np.errstate(invalid="ignore", divide="ignore"):
            self.oob_score_staged_ = correct.sum(axis=1) / has.sum(axis=1)
            self.oob_decision_function_ = cum[-1] / votes[-1][:, None]
        self.oob_score_ = float(self.oob_score_staged_[-1])

    @property
    def feature_importances_(self) -> np.ndarray:
        if not hasattr(self, "estimators_"):
            raise ValueError("this RandomForestClassifier is not fitted yet; call fit first")
        imps = np.array([t.tree_.feature_importances(self.n_features_in_)
                         for t in self.estimators_ if t.tree_.node_count > 1])
        if imps.size == 0:
            return np.zeros(self.n_features_in_)
        mean = imps.mean(axis=0)
        return mean / mean.sum()
