"""Linear regression and its regularised variants (sections 2.1 and 2.5 of the notes).

* :func:`unitary_fit` — the closed form :math:`w, b` of one-variable least
  squares, Eq. (2.2);
* :class:`LinearRegression` — ordinary least squares via the normal equation
  (Eq. (2.8)), solved by :func:`numpy.linalg.lstsq`;
* :class:`Ridge` — least squares plus :math:`\\alpha\\|w\\|_2^2` (Eq. (2.30)),
  closed form;
* :class:`Lasso` — least squares plus :math:`\\alpha\\|w\\|_1` (Eq. (2.29)),
  cyclic coordinate descent with :func:`soft_threshold`;
* :func:`lms_loss`, :func:`lms_gradient` — the least-mean-squares loss (Eq. (2.4)) and its
  gradient :math:`X^\\top(Xw - Y)` (Eq. (2.5) summed over the examples, the matrix form of
  section 2.2);
* :func:`normal_equation` — Eq. (2.8) by four methods (``lstsq``, ``pinv``, ``solve``,
  ``inv``), to compare their accuracy;
* :class:`LMSRegressor` — least squares by batch or stochastic gradient descent (the
  corrected update of Eq. (2.5)), using :func:`notes_lib.optim.gradient_descent`.

The estimators follow scikit-learn's conventions: ``fit`` returns ``self``,
learned attributes end in ``_`` (``coef_``, ``intercept_``), ``predict`` and
``score`` (the coefficient of determination :math:`R^2`).
"""

from __future__ import annotations

import warnings

import numpy as np

from ._validation import as_float_array, check_choice, check_int, check_matrix, check_scalar
from .optim import gradient_descent

__all__ = [
    "LMSRegressor", "Lasso", "LinearRegression", "Ridge", "lms_gradient", "lms_loss",
    "normal_equation", "soft_threshold", "unitary_fit",
]


def _check_Xy(X: object, y: object, min_samples: int = 1) -> tuple[np.ndarray, np.ndarray]:
    X = check_matrix(X)
    y = as_float_array(y, "y", ndim=1)
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y must have the same number of samples, got X {X.shape[0]} and y {y.shape[0]}"
        )
    if X.shape[0] < min_samples:
        raise ValueError(f"X must have at least {min_samples} samples, got {X.shape[0]}")
    return X, y


def _check_alpha(alpha: object) -> float:
    alpha = check_scalar(alpha, "alpha", minimum=0)
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
        X = check_matrix(X)
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
    gamma = check_scalar(gamma, "gamma", minimum=0)
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
        tol = check_scalar(self.tol, "tol", minimum=0)
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


# ---------------------------------------------------------------------------------------
# Section 2.2: least mean squares


def _check_w(w: object, X: np.ndarray) -> np.ndarray:
    w = as_float_array(w, "w", ndim=1)
    if w.shape[0] != X.shape[1]:
        raise ValueError(f"w must have one entry per column of X ({X.shape[1]}), got {w.shape[0]}")
    return w


def lms_loss(w: object, X: object, y: object) -> float:
    """The least-squares loss :math:`L(\\vec w) = \\tfrac12 \\sum_i (\\vec w^\\top \\vec x^{(i)}
    - y^{(i)})^2 = \\tfrac12 (X\\vec w - Y)^\\top (X\\vec w - Y)` (Eq. (2.4)).

    Parameters
    ----------
    w : array_like, shape (k,)
    X : array_like, shape (n, k)
        One example per row (Eq. (2.6)); no intercept is added.
    y : array_like, shape (n,)
    """
    X, y = _check_Xy(X, y)
    w = _check_w(w, X)
    r = X @ w - y
    return float(0.5 * r @ r)


def lms_gradient(w: object, X: object, y: object) -> np.ndarray:
    """Gradient of :func:`lms_loss`: :math:`\\nabla L(\\vec w) = X^\\top (X\\vec w - Y)`.

    For one example (``X`` of one row) it is Eq. (2.5):
    :math:`\\partial L / \\partial w_j = (f_{\\vec w}(\\vec x^{(i)}) - y^{(i)})\\, x_j^{(i)}`;
    for all examples it is the sum of those, the matrix form of section 2.2. Gradient
    *descent* moves **against** it: :math:`w_j \\leftarrow w_j - \\alpha (f_{\\vec w}(\\vec
    x^{(i)}) - y^{(i)}) x_j^{(i)}` (the notes print a ``+``, which is ascent).
    """
    X, y = _check_Xy(X, y)
    w = _check_w(w, X)
    return X.T @ (X @ w - y)


_NORMAL_METHODS = ("lstsq", "pinv", "solve", "inv")


def normal_equation(X: object, y: object, method: str = "lstsq") -> np.ndarray:
    """Solve the normal equation :math:`X^\\top X \\vec w = X^\\top Y` (Eq. (2.8)).

    Parameters
    ----------
    X : array_like, shape (n, k)
    y : array_like, shape (n,)
    method : {'lstsq', 'pinv', 'solve', 'inv'}
        * ``'lstsq'`` (default) — :func:`numpy.linalg.lstsq` on :math:`X` itself (SVD): never
          forms :math:`X^\\top X`, whose condition number is the *square* of that of
          :math:`X`; when :math:`X^\\top X` is singular it returns the minimum-norm minimiser
          :math:`X^{+}Y`.
        * ``'pinv'`` — :math:`X^{+}Y` with the Moore–Penrose pseudo-inverse (same solution).
        * ``'solve'`` — :func:`numpy.linalg.solve` on :math:`X^\\top X\\,\\vec w = X^\\top Y`.
        * ``'inv'`` — the formula of Eq. (2.8) literally, :math:`(X^\\top X)^{-1} X^\\top Y`;
          for comparison only.

        ``'solve'`` and ``'inv'`` raise ``ValueError`` when :math:`X^\\top X` is exactly
        singular; when it is merely ill-conditioned they return an inaccurate answer.

    Returns
    -------
    w : ndarray, shape (k,)
    """
    X, y = _check_Xy(X, y)
    method = check_choice(method, "method", _NORMAL_METHODS)
    if method == "lstsq":
        return np.linalg.lstsq(X, y, rcond=None)[0]
    if method == "pinv":
        return np.linalg.pinv(X) @ y
    gram, rhs = X.T @ X, X.T @ y
    try:
        if method == "solve":
            return np.linalg.solve(gram, rhs)
        return np.linalg.inv(gram) @ rhs
    except np.linalg.LinAlgError:
        raise ValueError(
            f"X^T X is singular (rank {np.linalg.matrix_rank(X)} < {X.shape[1]} columns), "
            f"so method={method!r} fails; use method='lstsq' for the minimum-norm solution"
        ) from None


class LMSRegressor(_LinearModel):
    """Least squares by gradient descent: the LMS algorithm of section 2.2.

    Minimises the mean of Eq. (2.4), :math:`J(\\vec w) = \\frac{1}{2n}\\|X\\vec w - Y\\|_2^2`
    (dividing by :math:`n` makes the learning rate independent of the number of examples),
    with the intercept as the weight of a constant feature 1 appended to ``X``.

    * ``solver='batch'`` — :math:`\\vec w \\leftarrow \\vec w - \\eta\\, \\frac1n X^\\top (X\\vec w
      - Y)` with :func:`notes_lib.optim.gradient_descent`. It converges iff
      :math:`0 < \\eta < 2/\\lambda_{\\max}(X^\\top X / n)` (``eta_max_``); above that it
      diverges, which is detected (``diverged_``, :class:`RuntimeWarning`).
    * ``solver='sgd'`` — one example per update (Eq. (2.5) with the sign corrected),
      :math:`w_j \\leftarrow w_j - \\eta (f_{\\vec w}(\\vec x^{(i)}) - y^{(i)}) x^{(i)}_j`,
      cycling through the examples (in a fresh random order each epoch when ``shuffle``).
      With a constant :math:`\\eta` it settles only when the data are fitted exactly;
      otherwise it hovers around the minimiser and warns at ``max_iter``.
    * ``solver='normal'`` — the normal equation (Eq. (2.8)) by :func:`normal_equation`
      (minimum-norm solution when :math:`X^\\top X` is singular).

    From :math:`\\vec w = 0` batch gradient descent stays in the row space of :math:`X`, so
    when :math:`X^\\top X` is singular it converges to the same minimum-norm solution.

    Parameters
    ----------
    solver : {'batch', 'sgd', 'normal'}, default 'batch'
    eta : float, default 0.1
        Learning rate :math:`\\eta > 0`.
    max_iter : int, default 1000
        Maximum number of updates ('batch') or of epochs ('sgd').
    tol : float, default 1e-8
        Stopping tolerance on the step, see :func:`notes_lib.optim.gradient_descent`.
    fit_intercept : bool, default True
    shuffle : bool, default True
        'sgd' only: random order each epoch (else the order of the rows).
    random_state : int or None
        Seed of the shuffling.

    Attributes
    ----------
    coef_, intercept_ : as in :class:`LinearRegression`
    n_iter_ : int
        Updates done (0 for 'normal').
    loss_curve_ : ndarray
        :math:`J` after every update, the start included (empty for 'normal').
    path_ : ndarray, shape (n_iter_ + 1, n_features + fit_intercept)
        Every iterate of the weights (intercept last), the start :math:`\\vec 0` included
        (the solution alone for 'normal').
    diverged_ : bool
    converged_ : bool
    eta_max_ : float
        :math:`2/\\lambda_{\\max}(\\tilde X^\\top \\tilde X/n)` for the design :math:`\\tilde X`
        with its constant column.
    """

    def __init__(self, solver: str = "batch", eta: float = 0.1, max_iter: int = 1000,
                 tol: float = 1e-8, fit_intercept: bool = True, shuffle: bool = True,
                 random_state: int | None = None) -> None:
        self.solver = solver
        self.eta = eta
        self.max_iter = max_iter
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.shuffle = shuffle
        self.random_state = random_state

    def fit(self, X: object, y: object) -> LMSRegressor:
        solver = check_choice(self.solver, "solver", ("batch", "sgd", "normal"))
        eta = check_scalar(self.eta, "eta", minimum=0, exclusive=True)
        max_iter = check_int(self.max_iter, "max_iter", minimum=1)
        tol = check_scalar(self.tol, "tol", minimum=0)
        if not isinstance(self.shuffle, bool):
            raise TypeError(f"shuffle must be a bool, got {type(self.shuffle).__name__}")
        X, y = _check_Xy(X, y)
        n, k = X.shape
        Xt = np.column_stack([X, np.ones(n)]) if self.fit_intercept else X
        self.eta_max_ = 2.0 / float(np.linalg.eigvalsh(Xt.T @ Xt / n)[-1])

        def loss(w: np.ndarray) -> float:
            r = Xt @ w - y
            return float(0.5 * (r @ r) / n)

        self.diverged_ = False
        if solver == "normal":
            w = normal_equation(Xt, y, "lstsq")
            self.n_iter_, self.loss_curve_, self.converged_ = 0, np.array([]), True
            self.path_ = w[None, :].copy()
        else:
            if solver == "batch":
                def grad(w: np.ndarray) -> np.ndarray:
                    return Xt.T @ (Xt @ w - y) / n
                steps = max_iter
            else:
                rng = np.random.default_rng(self.random_state)
                if self.shuffle:
                    order = np.argsort(rng.random((max_iter, n)), axis=1).ravel()
                else:
                    order = np.tile(np.arange(n), max_iter)
                counter = iter(order)

                def grad(w: np.ndarray) -> np.ndarray:
                    i = next(counter)
                    return (Xt[i] @ w - y[i]) * Xt[i]  # Eq. (2.5), one example
                steps = max_iter * n
            result = gradient_descent(grad, np.zeros(Xt.shape[1]), eta, max_iter=steps,
                                      tol=tol, f=loss, warn=False)
            w = result.theta
            self.n_iter_ = result.n_iter
            self.loss_curve_ = result.losses
            self.path_ = result.path
            self.diverged_ = result.diverged
            self.converged_ = result.converged
            if result.diverged:
                warnings.warn(
                    f"LMSRegressor diverged after {result.n_iter} updates: eta={eta:g} is "
                    f"too large (batch gradient descent needs eta < eta_max_ = "
                    f"{self.eta_max_:.4g}); coef_ holds the last finite iterate",
                    RuntimeWarning, stacklevel=2,
                )
            elif not result.converged:
                warnings.warn(
                    f"LMSRegressor ({solver}) did not converge after max_iter={max_iter} "
                    f"{'updates' if solver == 'batch' else 'epochs'} (tol={tol:g})",
                    RuntimeWarning, stacklevel=2,
                )
        self.coef_ = w[:k].copy()
        self.intercept_ = float(w[k]) if self.fit_intercept else 0.0
        return self
