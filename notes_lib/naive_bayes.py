"""The naive Bayes classifier of section 2.4 of the notes, for categorical features.

:class:`CategoricalNB` estimates the prior :math:`P(Y = c_k)` and the conditional
probabilities :math:`P(X^{(j)} = a_{jl} \\mid Y = c_k)` by counting (Eq. (2.21),
(2.26)), optionally smoothed by ``alpha`` (Laplace smoothing, the Bayesian estimate
:math:`(N_{kjl} + \\alpha)/(N_k + \\alpha S_j)`), and classifies by the arg max of
Eq. (2.20). Everything is computed in log space, with log-sum-exp for the
normalising denominator of Eq. (2.19), so that many features cannot underflow the
product of probabilities to 0 and the posterior to 0/0.

Features are integer codes ``0, 1, ..., S_j - 1`` (one column per feature), as in
``sklearn.naive_bayes.CategoricalNB``; the class labels may be any sortable values.
"""

from __future__ import annotations

import warnings

import numpy as np

from ._validation import as_float_array, check_labels, check_scalar

__all__ = ["CategoricalNB", "logsumexp"]


def logsumexp(a: object, axis: int = -1) -> np.ndarray:
    """:math:`\\ln \\sum_i e^{a_i}` along ``axis``, computed as
    :math:`m + \\ln \\sum_i e^{a_i - m}` with :math:`m = \\max_i a_i`.

    Entries may be :math:`-\\infty` (probability 0); a slice that is all
    :math:`-\\infty` gives :math:`-\\infty` (the log of 0), not NaN.
    """
    a = as_float_array(a, "a", allow_inf=True)
    if np.any(a == np.inf):
        raise ValueError("a must not contain +inf")
    m = np.max(a, axis=axis, keepdims=True)
    m_safe = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(np.exp(a - m_safe), axis=axis, keepdims=True)) + m_safe
    return np.squeeze(out, axis=axis)


def _categorical_X(X: object, name: str = "X") -> np.ndarray:
    """``X`` as a 2-D int64 array of non-negative integer category codes."""
    arr = as_float_array(X, name, ndim=2)
    if arr.shape[0] < 1:
        raise ValueError(f"{name} must have at least 1 sample, got shape {arr.shape}")
    if arr.shape[1] < 1:
        raise ValueError(f"{name} must have at least 1 feature, got shape {arr.shape}")
    if np.any(arr != np.floor(arr)):
        raise ValueError(f"{name} must hold integer category codes, got non-integer values")
    if np.any(arr < 0):
        raise ValueError(f"{name} must hold non-negative category codes, got negative values")
    return arr.astype(np.int64)


class CategoricalNB:
    """Naive Bayes classifier for integer-coded categorical features (section 2.4).

    Parameters
    ----------
    alpha : float, default 1.0
        Additive (Laplace / Lidstone) smoothing, ``alpha >= 0``. The conditional
        probabilities are estimated as

        .. math:: \\hat P(X^{(j)} = a_{jl} \\mid Y = c_k)
                  = \\frac{N_{kjl} + \\alpha}{N_k + \\alpha S_j},

        the posterior mean under a symmetric Dirichlet(:math:`\\alpha`) prior, or
        equivalently the MAP under Dirichlet(:math:`\\alpha + 1`). ``alpha = 0`` is the
        plain maximum-likelihood estimate of Eq. (2.21): a category never seen
        with class :math:`c_k` in training then gets probability 0 (log probability
        :math:`-\\infty`), which vetoes :math:`c_k` for every sample carrying that
        category. The class prior is never smoothed: it is the MLE :math:`N_k/N`
        of Eq. (2.26).
    min_categories : int or array-like of int, optional
        Minimum number of categories :math:`S_j` per feature. By default
        :math:`S_j` is one more than the largest code of feature ``j`` seen in
        ``fit``; pass ``min_categories`` when some category may appear only at
        prediction time (it then gets the smoothed probability
        :math:`\\alpha/(N_k + \\alpha S_j)`).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The sorted class labels :math:`c_1, \\dots, c_K`.
    class_count_ : ndarray of shape (n_classes,)
        :math:`N_k = \\sum_i I(y_i = c_k)`.
    class_log_prior_ : ndarray of shape (n_classes,)
        :math:`\\ln(N_k/N)` (Eq. (2.26)).
    category_count_ : list of ndarray of shape (n_classes, n_categories_[j])
        :math:`N_{kjl} = \\sum_i I(x_i^{(j)} = a_{jl}, y_i = c_k)`.
    feature_log_prob_ : list of ndarray of shape (n_classes, n_categories_[j])
        :math:`\\ln \\hat P(X^{(j)} = l \\mid Y = c_k)`; each row sums (in
        probability) to 1.
    n_categories_ : ndarray of shape (n_features,)
        :math:`S_j`, the number of categories of each feature.
    n_features_in_ : int
        Number of features.

    Notes
    -----
    At prediction time a category code ``>= n_categories_[j]`` raises
    ``ValueError`` naming ``X``: the model has no probability for it (use
    ``min_categories`` to reserve room for it). When ``alpha = 0`` a sample may
    have joint probability 0 under *every* class; its posterior (Eq. (2.19)) is
    then 0/0, undefined: ``predict_proba`` returns NaN for that row with a
    ``RuntimeWarning``, and ``predict`` falls back to the arg max of the prior.
    """

    def __init__(self, alpha: float = 1.0, min_categories: object = None) -> None:
        self.alpha = alpha
        self.min_categories = min_categories

    # ------------------------------------------------------------------ fit
    def fit(self, X: object, y: object) -> CategoricalNB:
        """Count the classes and the (class, category) pairs; return ``self``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Non-negative integer category codes.
        y : array-like of shape (n_samples,)
            Class labels.
        """
        alpha = check_scalar(self.alpha, "alpha", minimum=0)
        X = _categorical_X(X)
        y = check_labels(y, X.shape[0])
        n_samples, n_features = X.shape

        self.classes_, y_idx = np.unique(y, return_inverse=True)
        n_classes = self.classes_.size
        self.class_count_ = np.bincount(y_idx, minlength=n_classes).astype(np.float64)
        self.class_log_prior_ = np.log(self.class_count_ / n_samples)

        n_cat = X.max(axis=0) + 1
        if self.min_categories is not None:
            mins = as_float_array(self.min_categories, "min_categories")
            if mins.ndim > 1 or (mins.ndim == 1 and mins.size != n_features):
                raise ValueError(f"min_categories must be an int or have one entry per "
                                 f"feature ({n_features}), got shape {mins.shape}")
            if np.any(mins != np.floor(mins)) or np.any(mins < 1):
                raise ValueError("min_categories must hold positive integers")
            n_cat = np.maximum(n_cat, mins.astype(np.int64))
        self.n_categories_ = n_cat.astype(np.int64)
        self.n_features_in_ = n_features

        self.category_count_ = []
        self.feature_log_prob_ = []
        for j in range(n_features):  # one loop over features; samples are vectorised
            S = int(self.n_categories_[j])
            counts = np.bincount(y_idx * S + X[:, j], minlength=n_classes * S)
            counts = counts.reshape(n_classes, S).astype(np.float64)
            smoothed = counts + alpha
            with np.errstate(divide="ignore"):
                log_prob = np.log(smoothed) - np.log(smoothed.sum(axis=1, keepdims=True))
            self.category_count_.append(counts)
            self.feature_log_prob_.append(log_prob)
        return self

    # ------------------------------------------------------------- predict
    def _check_fitted(self) -> None:
        if not hasattr(self, "classes_"):
            raise ValueError("this CategoricalNB is not fitted yet; call fit(X, y) first")

    def _joint_log_likelihood(self, X: object) -> np.ndarray:
        """:math:`\\ln P(Y = c_k) + \\sum_j \\ln P(X^{(j)} = x^{(j)} \\mid Y = c_k)`,
        the log of the numerator of Eq. (2.19), shape (n_samples, n_classes)."""
        self._check_fitted()
        X = _categorical_X(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X must have {self.n_features_in_} features (columns), "
                             f"got {X.shape[1]}")
        too_big = X >= self.n_categories_
        if np.any(too_big):
            j = int(np.argmax(np.any(too_big, axis=0)))
            raise ValueError(
                f"X has category code {int(X[too_big.any(axis=1)][0, j])} in feature {j}, "
                f"but the model knows only codes 0..{self.n_categories_[j] - 1} there; "
                "refit with min_categories to reserve room for unseen categories")
        jll = np.broadcast_to(self.class_log_prior_, (X.shape[0], self.classes_.size)).copy()
        for j, log_prob in enumerate(self.feature_log_prob_):
            jll += log_prob[:, X[:, j]].T
        return jll

    def predict_log_proba(self, X: object) -> np.ndarray:
        """Log posterior :math:`\\ln P(Y = c_k \\mid X = x)` of Eq. (2.19), by log-sum-exp.

        Returns an array of shape (n_samples, n_classes). Entries may be
        :math:`-\\infty` when ``alpha = 0``; a row whose joint probability is 0 for
        every class is NaN (see the class notes).
        """
        jll = self._joint_log_likelihood(X)
        norm = logsumexp(jll, axis=1)[:, None]
        impossible = ~np.isfinite(norm[:, 0])
        if np.any(impossible):
            warnings.warn(
                f"{int(impossible.sum())} sample(s) have probability 0 under every class "
                "(a category never seen with any class, alpha = 0): their posterior is "
                "0/0 and is returned as NaN", RuntimeWarning, stacklevel=2)
        with np.errstate(invalid="ignore"):
            out = jll - norm
        out[impossible] = np.nan
        return out

    def predict_proba(self, X: object) -> np.ndarray:
        """Posterior :math:`P(Y = c_k \\mid X = x)` of Eq. (2.19); rows sum to 1."""
        return np.exp(self.predict_log_proba(X))

    def predict(self, X: object) -> np.ndarray:
        """The arg max of Eq. (2.20); ties go to the first class of ``classes_``.

        A sample with joint probability 0 under every class (possible only with
        ``alpha = 0``) is given the class of largest prior.
        """
        jll = self._joint_log_likelihood(X)
        impossible = np.all(jll == -np.inf, axis=1)
        idx = np.argmax(jll, axis=1)
        idx[impossible] = np.argmax(self.class_log_prior_)
        return self.classes_[idx]

    def score(self, X: object, y: object) -> float:
        """Accuracy: the fraction of samples of ``X`` whose prediction equals ``y``."""
        pred = self.predict(X)
        y = check_labels(y, pred.shape[0])
        return float(np.mean(pred == y))
