"""The perceptron (section 2.6): primal and dual learning algorithms, Novikoff's bound.

Both algorithms visit the training examples in a fixed cyclic order (or in a fresh
random order per pass, with a NumPy ``Generator``), update on every mistake
:math:`y_i(\\vec w^T\\vec x_i + b) \\le 0` and stop after the first complete pass
without a mistake. On data that is not linearly separable they stop after
``max_iter`` passes with a :class:`RuntimeWarning`.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np

from ._validation import as_float_array, check_int, check_scalar


class Update(NamedTuple):
    """One update of the learning algorithm: example ``index``, then ``w`` and ``b`` after it."""

    index: int
    w: np.ndarray
    b: float


def _check_Xy(X: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X and y must have the same number of rows, got {X.shape[0]} "
                         f"and {y.shape[0]}")
    if X.shape[0] == 0:
        raise ValueError("X must hold at least one example")
    if not np.all(np.isin(y, (-1.0, 1.0))):
        raise ValueError(f"y must contain only the labels -1 and +1, got {np.unique(y)}")
    return X, y


class _BasePerceptron:
    def __init__(self, eta: float = 1.0, max_iter: int = 1000, shuffle: bool = False,
                 rng: np.random.Generator | None = None) -> None:
        self.eta = eta
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.rng = rng

    def _validate_params(self) -> tuple[float, int, np.random.Generator | None]:
        eta = check_scalar(self.eta, "eta", minimum=0, exclusive=True)
        max_iter = check_int(self.max_iter, "max_iter", minimum=1)
        if not isinstance(self.shuffle, bool):
            raise TypeError(f"shuffle must be a bool, got {type(self.shuffle).__name__}")
        rng = self.rng
        if self.shuffle:
            if rng is None:
                rng = np.random.default_rng()
            elif not isinstance(rng, np.random.Generator):
                raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")
        return eta, max_iter, rng

    def _fit_loop(self, X: np.ndarray, y: np.ndarray, margin, update) -> None:
        """Shared loop: ``margin(i)`` is y_i f(x_i) before the test, ``update(i)`` the step."""
        eta, max_iter, rng = self._validate_params()
        n = X.shape[0]
        self.converged_ = False
        self.n_iter_ = 0
        for _ in range(max_iter):
            self.n_iter_ += 1
            order = rng.permutation(n) if self.shuffle else range(n)
            mistakes = 0
            for i in order:
                if margin(int(i)) <= 0:
                    update(int(i), eta)
                    mistakes += 1
            if mistakes == 0:
                self.converged_ = True
                break
        if not self.converged_:
            warnings.warn(f"{type(self).__name__} did not converge in max_iter={max_iter} "
                          "passes (is the data linearly separable?)", RuntimeWarning,
                          stacklevel=3)

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise RuntimeError(f"this {type(self).__name__} is not fitted yet; call fit first")

    def decision_function(self, X: object) -> np.ndarray:
        """:math:`\\vec w^T \\vec x + b` for each row of ``X``."""
        self._check_fitted()
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.coef_.shape[0]:
            raise ValueError(f"X must have {self.coef_.shape[0]} columns, got {X.shape[1]}")
        return X @ self.coef_ + self.intercept_

    def predict(self, X: object) -> np.ndarray:
        """Labels :math:`\\mathrm{sign}(\\vec w^T\\vec x + b)`, sign(0) = +1, Eq. (2.31)-(2.32)."""
        return np.where(self.decision_function(X) >= 0, 1.0, -1.0)

    def score(self, X: object, y: object) -> float:
        """Fraction of correctly classified examples."""
        X, y = _check_Xy(X, y)
        return float(np.mean(self.predict(X) == y))


class Perceptron(_BasePerceptron):
    """Primal perceptron learning algorithm, Eq. (2.39).

    On a mistake :math:`y_i(\\vec w^T\\vec x_i + b) \\le 0`:
    :math:`\\vec w \\leftarrow \\vec w + \\eta y_i \\vec x_i`, :math:`b \\leftarrow b + \\eta y_i`,
    starting from :math:`\\vec w_0 = 0, b_0 = 0`.

    Parameters
    ----------
    eta : float
        Learning rate :math:`\\eta > 0`.
    max_iter : int
        Maximal number of passes over the training set.
    shuffle : bool
        Visit the examples in a new random order in each pass (default: in order).
    rng : numpy.random.Generator, optional
        Source of the random orders when ``shuffle``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        :math:`\\vec w`.
    intercept_ : float
        :math:`b`.
    history_ : list of Update
        Every update in order: example index, :math:`\\vec w` and :math:`b` after it.
    n_updates_ : int
        Number of mistakes (updates) made.
    n_iter_ : int
        Number of passes made.
    converged_ : bool
        Whether the last pass made no mistake.
    """

    def fit(self, X: object, y: object) -> Perceptron:
        """Run the algorithm on ``X`` (n_samples, n_features) and labels ``y`` in {-1, +1}."""
        X, y = _check_Xy(X, y)
        w = np.zeros(X.shape[1])
        state = {"b": 0.0}
        history: list[Update] = []

        def margin(i: int) -> float:
            return y[i] * (X[i] @ w + state["b"])

        def update(i: int, eta: float) -> None:
            w[:] += eta * y[i] * X[i]
            state["b"] += eta * y[i]
            history.append(Update(i, w.copy(), float(state["b"])))

        self._fit_loop(X, y, margin, update)
        self.coef_, self.intercept_ = w, float(state["b"])
        self.history_, self.n_updates_ = history, len(history)
        return self


class DualPerceptron(_BasePerceptron):
    """Dual form of the perceptron learning algorithm, Eq. (2.40)-(2.41).

    Keeps :math:`\\alpha_i = n_i\\eta` (``n_i`` updates on example ``i``) and tests a mistake
    with the Gram matrix :math:`G_{ij} = \\vec x_i^T \\vec x_j`:
    :math:`y_i(\\sum_j \\alpha_j y_j G_{ji} + b) \\le 0`; then
    :math:`\\alpha_i \\leftarrow \\alpha_i + \\eta`, :math:`b \\leftarrow b + \\eta y_i`.
    Parameters and attributes as :class:`Perceptron`, plus ``alpha_`` (n_samples,) and
    ``gram_``; ``coef_`` is :math:`\\sum_i \\alpha_i y_i \\vec x_i` (Eq. (2.40)) and the
    ``w`` of each entry of ``history_`` is computed the same way.
    """

    def fit(self, X: object, y: object) -> DualPerceptron:
        """Run the dual algorithm on ``X`` (n_samples, n_features) and ``y`` in {-1, +1}."""
        X, y = _check_Xy(X, y)
        G = X @ X.T
        alpha = np.zeros(X.shape[0])
        state = {"b": 0.0}
        history: list[Update] = []

        def margin(i: int) -> float:
            return y[i] * ((alpha * y) @ G[:, i] + state["b"])

        def update(i: int, eta: float) -> None:
            alpha[i] += eta
            state["b"] += eta * y[i]
            history.append(Update(i, (alpha * y) @ X, float(state["b"])))

        self._fit_loop(X, y, margin, update)
        self.gram_, self.alpha_ = G, alpha
        self.coef_, self.intercept_ = (alpha * y) @ X, float(state["b"])
        self.history_, self.n_updates_ = history, len(history)
        return self


def novikoff_bound(X: object, y: object, w_opt: object, b_opt: float) -> float:
    """Novikoff's bound :math:`(R/\\gamma)^2` on the number of mistakes of the perceptron.

    In Li Hang's statement (Statistical Learning Methods, Thm. 2.1) with the augmented
    vectors :math:`\\hat x = (\\vec x^T, 1)^T` and :math:`\\hat w = (\\vec w^T, b)^T`:
    if :math:`\\hat w_{opt}` (normalised here to :math:`\\|\\hat w_{opt}\\| = 1`) separates the data
    with :math:`\\gamma = \\min_i y_i\\,\\hat w_{opt}\\cdot\\hat x_i > 0` and
    :math:`R = \\max_i \\|\\hat x_i\\|`, the algorithm started at 0 makes at most
    :math:`(R/\\gamma)^2` updates, for any :math:`\\eta > 0`.

    Raises
    ------
    ValueError
        If ``(w_opt, b_opt)`` does not separate the data strictly.
    """
    X, y = _check_Xy(X, y)
    w_opt = as_float_array(w_opt, "w_opt", ndim=1)
    if w_opt.shape[0] != X.shape[1]:
        raise ValueError(f"w_opt must have {X.shape[1]} entries, got {w_opt.shape[0]}")
    b_opt = check_scalar(b_opt, "b_opt")
    w_hat = np.append(w_opt, b_opt)
    norm = np.linalg.norm(w_hat)
    if norm == 0:
        raise ValueError("w_opt and b_opt must not both be zero")
    X_hat = np.column_stack([X, np.ones(X.shape[0])])
    gamma = float(np.min(y * (X_hat @ w_hat)) / norm)
    if gamma <= 0:
        raise ValueError(f"(w_opt, b_opt) does not separate the data: margin gamma = {gamma:g}")
    R = float(np.max(np.linalg.norm(X_hat, axis=1)))
    return (R / gamma) ** 2
