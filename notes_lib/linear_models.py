"""Linear regression and its regularised variants (sections 2.1 and 2.5 of the notes).

* :func:`unitary_fit` — the closed form :math:`w, b` of one-variable least
  squares, Eq. (2.2);
* :class:`LinearRegression` — ordinary least squares via the normal equation
  (Eq. (2.8)), solved by :func:`numpy.linalg.lstsq`;
* :class:`Ridge` — least squares plus :math:`\\alpha\\|w\\|_2^2` (Eq. (2.30)),
  closed form;
* :class:`Lasso` — least squares plus :math:`\\alpha\\|w\\|_1` (Eq. (2.29)),
  cyclic coordinate descent with :func:`soft_threshold`.

The estimators follow scikit-learn's conventions: ``fit`` returns ``self``,
learned attributes end in ``_`` (``coef_``, ``intercept_``), ``predict`` and
``score`` (the coefficient of determination :math:`R^2`).
"""

from __future__ import annotations

import warnings

import numpy as np

from ._validation import as_float_array, check_int, check_scalar

__all__ = ["Lasso", "LinearRegression", "Ridge", "soft_threshold", "unitary_fit"]


def _check_X(X: object, name: str = "X") -> np.ndarray:
    X = as_float_array(X, name)
    if X.ndim == 1:
        raise ValueError(
            f"{name} must be 2-dimensional (n_samples, n_features), got shape {X.shape}; "
            "reshape a single feature with X.reshape(-1, 1)"
        )
    if X.ndim != 2:
        raise ValueError(f"{name} must be 2-dimensional, got shape {X.shape}")
    return X


def _check_Xy(X: object, y: object, min_samples: int = 1) -> tuple[np.ndarray, np.ndarray]:
    X = _check_X(X)
    y = as_float_array(y, "y", ndim=1)
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y must have the same number of samples, got X {X.shape[0]} and y {y.shape[0]}"
        )
    if X.shape[0] < min_samples:
        raise ValueError(f"X must have at least {min_samples} samples, got {X.shape[0]}")
    return X, y


def _check_alpha(alpha: object) -> float:
    alpha = check_scalar(alpha, "alpha")
    if alpha < 0:
        raise ValueError(f"alpha must be >= 0, got {alpha}")
    return alpha


def unitary_fit(x: object, y: object) -> tuple[float, float]:
    """Closed-form least squares line :math:`y \\approx w x + b` (Eq. (2.2)).

    .. math::
        w = \\frac{\\sum_i (y^{(i)} - \\bar y)\\, x^{(i)}}{\\sum_i (x^{(i)} - \\bar x)\\, x^{(i)}},
        \\qquad b = \\bar y - w \\bar x.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Inputs and targets, ``n >= 2``, ``x`` not constant.

    Returns
    -------
    w, b : float
        Slope and intercept.
    """
    x = as_float_array(x, "x", ndim=1)
    y = as_float_array(y, "y", ndim=1)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same length, got {x.shape[0]} and {y.shape[0]}")
    if x.shape[0] < 2:
        raise ValueError(f"x must have at least 2 samples, got {x.shape[0]}")
    x_bar, y_bar = x.mean(), y.mean()
    denominator = np.sum((x - x_bar) * x)
    if denominator == 0:
        raise ValueError("x must not be constant: the slope is undefined")
    w = float(np.sum((y - y_bar) * x) / denominator)
    return w, float(y_bar - w * x_bar)


class _LinearModel:
    """``predict`` and ``score`` shared by the estimators of this module."""

    coef_: np.ndarray
    intercept_: float

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise ValueError(f"this {type(self).__name__} is not fitted yet; call fit first")

    def predict(self, X: object) -> np.ndarray:
        """:math:`\\hat y = X w + b`."""
        self._check_fitted()
        X = _check_X(X)
        if X.shape[1] != self.coef_.shape[0]:
            raise ValueError(
                f"X has {X.shape[1]} features, but the model was fitted with "
                f"{self.coef_.shape[0]}"
            )
        return X @ self.coef_ + self.intercept_

    def score(self, X: object, y: object) -> float:
        """Coefficient of determination :math:`R^2 = 1 - \\sum(y-\\hat y)^2/\\sum(y-\\bar y)^2`."""
        X, y = _check_Xy(X, y)
        residual = np.sum((y - self.predict(X)) ** 2)
        total = np.sum((y - y.mean()) ** 2)
        if total == 0:
            return 1.0 if residual == 0 else 0.0
        return float(1.0 - residual / total)


def _center(X: np.ndarray, y: np.ndarray, fit_intercept: bool):
    if fit_intercept:
        x_mean, y_mean = X.mean(axis=0), y.mean()
        return X - x_mean, y - y_mean, x_mean, y_mean
    return X, y, np.zeros(X.shape[1]), 0.0


class LinearRegression(_LinearModel):
    """Ordinary least squares: minimise :math:`\\|y - Xw - b\\|_2^2`.

    The normal equation :math:`X^\\top X w = X^\\top y` (Eq. (2.8)) is solved
    with :func:`numpy.linalg.lstsq` on centred data (which removes ``b``). When
    :math:`X^\\top X` is singular (collinear features, or more features than
    samples) the minimiser is not unique, and ``lstsq`` returns the one of
    **minimum Euclidean norm**, :math:`w = X^{+} y` with the Moore–Penrose
    pseudo-inverse :math:`X^{+}`.

    Parameters
    ----------
    fit_intercept : bool, default True
        Fit :math:`b`; otherwise ``intercept_ = 0``.

    Attributes
    ----------
    coef_ : ndarray, shape (n_features,)
    intercept_ : float
    rank_ : int
        Rank of the (centred) design matrix.
    """

    def __init__(self, fit_intercept: bool = True) -> None:
        self.fit_intercept = fit_intercept

    def fit(self, X: object, y: object) -> LinearRegression:
        X, y = _check_Xy(X, y, min_samples=2 if self.fit_intercept else 1)
        Xc, yc, x_mean, y_mean = _center(X, y, bool(self.fit_intercept))
        coef, _, rank, _ = np.linalg.lstsq(Xc, yc, rcond=None)
        self.coef_ = coef
        self.intercept_ = float(y_mean - x_mean @ coef)
        self.rank_ = int(rank)
        return self


class Ridge(_LinearModel):
    """Ridge regression: minimise :math:`\\|y - Xw - b\\|_2^2 + \\alpha\\|w\\|_2^2`.

    The penalty is the :math:`L_2` term of Eq. (2.30). Setting the gradient to
    zero gives :math:`(X^\\top X + \\alpha I) w = X^\\top y` on centred data; it
    is solved as the least-squares problem of the augmented system
    :math:`\\begin{bmatrix} X \\\\ \\sqrt{\\alpha} I \\end{bmatrix} w \\approx
    \\begin{bmatrix} y \\\\ 0 \\end{bmatrix}`, whose normal equation is exactly
    that one but whose condition number is the square root of it. The
    intercept is not penalised (it is recovered from the means).

    Parameters
    ----------
    alpha : float, default 1.0
        :math:`\\alpha \\ge 0`; ``alpha = 0`` is :class:`LinearRegression`.
    fit_intercept : bool, default True
    """

    def __init__(self, alpha: float = 1.0, fit_intercept: bool = True) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept

    def fit(self, X: object, y: object) -> Ridge:
        alpha = _check_alpha(self.alpha)
        X, y = _check_Xy(X, y)
        Xc, yc, x_mean, y_mean = _center(X, y, bool(self.fit_intercept))
        p = X.shape[1]
        A = np.vstack([Xc, np.sqrt(alpha) * np.eye(p)])
        rhs = np.concatenate([yc, np.zeros(p)])
        self.coef_ = np.linalg.lstsq(A, rhs, rcond=None)[0]
        self.intercept_ = float(y_mean - x_mean @ self.coef_)
        return self


def soft_threshold(z: object, gamma: float) -> np.ndarray:
    """Soft thresholding :math:`S_\\gamma(z) = \\operatorname{sign}(z)\\max(|z| - \\gamma, 0)`.

    It is the minimiser of :math:`\\tfrac12 (u - z)^2 + \\gamma |u|`, the
    one-dimensional lasso; it sets to exactly zero every :math:`|z| \\le \\gamma`.

    Parameters
    ----------
    z : array_like
    gamma : float, ``gamma >= 0``
    """
    z = as_float_array(z, "z")
    gamma = check_scalar(gamma, "gamma")
    if gamma < 0:
        raise ValueError(f"gamma must be >= 0, got {gamma}")
    return np.sign(z) * np.maximum(np.abs(z) - gamma, 0.0)


class Lasso(_LinearModel):
    """Lasso: minimise :math:`\\frac{1}{2n}\\|y - Xw - b\\|_2^2 + \\alpha\\|w\\|_1`.

    The objective is scikit-learn's; the penalty is the :math:`L_1` norm of
    Eq. (2.29). Cyclic coordinate descent updates one weight at a time by
    its exact minimiser,

    .. math::
        w_j \\leftarrow \\frac{S_{n\\alpha}\\big(x_j^\\top r_{-j}\\big)}{x_j^\\top x_j},
        \\qquad r_{-j} = y - Xw + x_j w_j,

    (:func:`soft_threshold`), on centred data so the unpenalised intercept
    drops out. It stops when the largest weight change of a sweep is below
    ``tol * max|w|`` (as scikit-learn does) or, with a :class:`RuntimeWarning`,
    after ``max_iter`` sweeps.

    Parameters
    ----------
    alpha : float, default 1.0
    max_iter : int, default 1000
        Maximum number of sweeps over the features.
    tol : float, default 1e-4
    fit_intercept : bool, default True

    Attributes
    ----------
    coef_, intercept_ : as in :class:`LinearRegression`
    n_iter_ : int
        Sweeps performed.
    """

    def __init__(self, alpha: float = 1.0, max_iter: int = 1000, tol: float = 1e-4,
                 fit_intercept: bool = True) -> None:
        self.alpha = alpha
        self.max_iter = max_iter
        self.tol = tol
        self.fit_intercept = fit_intercept

    def fit(self, X: object, y: object) -> Lasso:
        alpha = _check_alpha(self.alpha)
        max_iter = check_int(self.max_iter, "max_iter", minimum=1)
        tol = check_scalar(self.tol, "tol")
        if tol < 0:
            raise ValueError(f"tol must be >= 0, got {tol}")
        X, y = _check_Xy(X, y)
        Xc, yc, x_mean, y_mean = _center(X, y, bool(self.fit_intercept))
        n, p = Xc.shape
        w = np.zeros(p)
        residual = yc.copy()
        col_sq = np.sum(Xc**2, axis=0)
        threshold = n * alpha
        converged = False
        n_iter = 0
        while n_iter < max_iter:  # sweeps are sequential
            n_iter += 1
            max_change = 0.0
            for j in range(p):  # coordinate descent is sequential over features
                if col_sq[j] == 0:
                    continue
                w_old = w[j]
                rho = Xc[:, j] @ residual + col_sq[j] * w_old
                w[j] = np.sign(rho) * max(abs(rho) - threshold, 0.0) / col_sq[j]  # S_{n alpha}
                if w[j] != w_old:
                    residual -= Xc[:, j] * (w[j] - w_old)
                    max_change = max(max_change, abs(w[j] - w_old))
            w_max = np.max(np.abs(w))
            if w_max == 0 or max_change <= tol * w_max:
                converged = True
                break
        if not converged:
            warnings.warn(
                f"Lasso did not converge after max_iter={max_iter} sweeps "
                f"(tol={tol}); increase max_iter or tol",
                RuntimeWarning,
                stacklevel=2,
            )
        self.coef_ = w
        self.intercept_ = float(y_mean - x_mean @ w)
        self.n_iter_ = n_iter
        return self
