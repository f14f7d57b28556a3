"""Logistic regression (section 2.3 of the notes).

* :func:`sigmoid`, :func:`log_sigmoid` — :math:`g(z) = 1/(1+e^{-z})` (Eq. (2.10)) and
  :math:`\\ln g(z)`, computed without overflow for every finite ``z``;
* :func:`log_loss` — the mean binary cross-entropy from logits, i.e. minus the
  log-likelihood (Eq. (2.15)) divided by the number of examples;
* :func:`objective`, :func:`objective_gradient`, :func:`objective_hessian` — that loss
  plus an optional :math:`\\tfrac{\\lambda}{2}\\|\\vec w\\|^2`, its gradient (minus Eq. (2.16)
  summed over the examples, over :math:`m`) and its Hessian :math:`X^T S X / m`;
* :class:`LogisticRegression` — the maximum-likelihood estimator, fitted by Newton's
  method, batch gradient descent, or the stochastic gradient ascent rule Eq. (2.17).

Conventions: labels :math:`y \\in \\{0, 1\\}`; the intercept :math:`b` is kept apart from
the weights :math:`\\vec w` (the notes fold it into :math:`\\theta` with :math:`x_0 = 1`);
a parameter vector ``theta`` is ``(w_1, ..., w_d, b)``, intercept last. The fitted
objective is

.. math::
    J(\\vec w, b) = \\frac1m \\sum_{i=1}^m \\Big[\\ln\\big(1 + e^{z_i}\\big) - y_i z_i\\Big]
    + \\frac{\\lambda}{2}\\|\\vec w\\|_2^2, \\qquad z_i = \\vec w^T \\vec x_i + b,

with :math:`\\lambda` = ``l2`` (the intercept is not penalised). It is scikit-learn's
``LogisticRegression(C=1 / (l2 * m))`` objective divided by :math:`C m`, so both have
the same minimiser; ``l2 = 0`` is ``penalty=None``.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from ._validation import as_float_array, check_choice, check_int, check_matrix, check_scalar

__all__ = [
    "ConvergenceWarning", "LogisticRegression", "log_loss", "log_sigmoid", "objective",
    "objective_gradient", "objective_hessian", "sigmoid",
]


class ConvergenceWarning(RuntimeWarning):
    """A solver stopped at ``max_iter`` before meeting its tolerance."""


def sigmoid(z: object) -> np.ndarray:
    """The sigmoid (logistic) function :math:`g(z) = 1/(1 + e^{-z})`, Eq. (2.10).

    Uses :math:`e^{-|z|} \\in (0, 1]`, which never overflows:
    :math:`g(z) = 1/(1+e^{-|z|})` for :math:`z \\ge 0` and
    :math:`e^{-|z|}/(1+e^{-|z|})` for :math:`z < 0`. Its derivative is
    :math:`g'(z) = g(z)(1 - g(z))`, Eq. (2.11).

    Parameters
    ----------
    z : array_like
        Finite real numbers (logits).

    Returns
    -------
    ndarray of the shape of ``z``, in :math:`[0, 1]`.
    """
    return _sigmoid(as_float_array(z, "z"))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """:func:`sigmoid` without the input check, for the training loops."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def _softplus(z: np.ndarray) -> np.ndarray:
    """:math:`\\ln(1 + e^z) = \\max(z, 0) + \\ln(1 + e^{-|z|})`, no overflow."""
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def log_sigmoid(z: object) -> np.ndarray:
    """:math:`\\ln g(z) = -\\ln(1 + e^{-z}) = \\min(z, 0) - \\ln(1 + e^{-|z|})`.

    Exact to full relative precision for every finite ``z``: at ``z = -1000`` it is
    ``-1000`` (``np.log(sigmoid(z))`` would be ``-inf``, with a warning) and at
    ``z = 40`` it is :math:`-e^{-40}` (not 0). Note :math:`\\ln(1 - g(z)) = \\ln g(-z)`.
    """
    z = as_float_array(z, "z")
    return np.minimum(z, 0.0) - np.log1p(np.exp(-np.abs(z)))


def _check_labels(y: object, name: str = "y") -> np.ndarray:
    y = as_float_array(y, name, ndim=1)
    if not np.all((y == 0.0) | (y == 1.0)):
        raise ValueError(f"{name} must contain only the labels 0 and 1, got {np.unique(y)}"
                         + ("; map -1 to 0" if np.any(y == -1.0) else ""))
    return y


def log_loss(y: object, z: object) -> float:
    """Mean binary cross-entropy from logits: minus Eq. (2.15) over :math:`m`.

    .. math::
        -\\frac1m \\sum_i \\big[y_i \\ln g(z_i) + (1 - y_i)\\ln(1 - g(z_i))\\big]
        = \\frac1m \\sum_i \\big[\\ln(1 + e^{z_i}) - y_i z_i\\big].

    The right-hand form is evaluated as :math:`\\ln(1 + e^{(1 - 2y_i) z_i})` (equal to it for
    :math:`y_i \\in \\{0, 1\\}`) with a stable softplus, so logits of any finite size give a
    finite loss, to full relative precision, without overflow warnings.

    Parameters
    ----------
    y : array_like, shape (m,)
        Labels in {0, 1}.
    z : array_like, shape (m,)
        Logits :math:`z_i = \\theta^T x_i` (not probabilities).
    """
    y = _check_labels(y)
    z = as_float_array(z, "z", ndim=1)
    if z.shape != y.shape:
        raise ValueError(f"y and z must have the same length, got {y.shape[0]} and {z.shape[0]}")
    if y.shape[0] == 0:
        raise ValueError("y must hold at least one label")
    return float(np.mean(_softplus((1.0 - 2.0 * y) * z)))


# ---------------------------------------------------------------- objective and derivatives
def _check_problem(X: object, y: object, theta: object, l2: object):
    X, y = _check_Xy(X, y)
    theta = as_float_array(theta, "theta", ndim=1)
    if theta.shape[0] != X.shape[1] + 1:
        raise ValueError(f"theta must have {X.shape[1] + 1} entries (w then b), "
                         f"got {theta.shape[0]}")
    return X, y, theta, _check_l2(l2)


def _check_l2(l2: object) -> float:
    l2 = check_scalar(l2, "l2", minimum=0)
    return l2


def _J(X, y, theta, l2):
    z = X @ theta[:-1] + theta[-1]
    return float(np.mean(_softplus((1.0 - 2.0 * y) * z)) + 0.5 * l2 * theta[:-1] @ theta[:-1])


def _J_path(X, y, path, l2):
    """:func:`_J` of every row of ``path`` (one parameter vector per row) at once."""
    Z = X @ path[:, :-1].T + path[:, -1]
    W = path[:, :-1]
    return (np.mean(_softplus((1.0 - 2.0 * y)[:, None] * Z), axis=0)
            + 0.5 * l2 * np.einsum("ij,ij->i", W, W))


#: Iterates of batch gradient descent between two evaluations of the stopping tests.
_GD_CHUNK = 64


def _batch_gd(Xa, y, lr, max_iter, tol, l2):
    """Batch gradient descent from 0 on the design ``Xa`` (last column ones): the iterates
    up to the first that passes a stopping test, the number of updates, and which test.

    The updates are sequential; the tests (gradient max-norm below ``tol``; without ``l2``,
    an iterate that separates the classes) and the divergence check are not: they run on a
    chunk of :data:`_GD_CHUNK` iterates at once, and the path is cut at the first iterate
    that passes one, the iterate a test after every update would stop at.
    """
    m, p = Xa.shape
    reg = np.full(p, l2)
    reg[-1] = 0.0  # the intercept is not penalised
    sign = 2.0 * y - 1.0
    path = np.zeros((max_iter + 1, p))
    theta = path[0]
    done = 0
    with np.errstate(over="ignore", invalid="ignore"):
        while done < max_iter:
            stop = min(done + _GD_CHUNK, max_iter)
            for k in range(done + 1, stop + 1):
                z = Xa @ theta
                g = Xa.T @ (_sigmoid(z) - y) / m + reg * theta
                theta = theta - lr * g
                path[k] = theta
            chunk = path[done + 1:stop + 1]
            finite = np.all(np.isfinite(chunk), axis=1)
            n_finite = chunk.shape[0] if finite.all() else int(np.argmin(finite))
            Z = Xa @ chunk[:n_finite].T
            G = (Xa.T @ (_sigmoid(Z) - y[:, None]) / m
                 + reg[:, None] * chunk[:n_finite].T)
            converged = np.max(np.abs(G), axis=0) < tol
            separated = np.all(sign[:, None] * Z > 0, axis=0) & (l2 == 0)
            hits = np.flatnonzero(converged | separated)
            if hits.size:
                i = int(hits[0])
                n_iter = done + 1 + i
                return path[:n_iter + 1], n_iter, bool(converged[i]), bool(separated[i])
            if n_finite < chunk.shape[0]:
                raise FloatingPointError(f"gd diverged (learning_rate={lr} too large?)")
            done = stop
    return path, max_iter, False, False


def _grad(X, y, theta, l2):
    r = _sigmoid(X @ theta[:-1] + theta[-1]) - y  # h - y: minus the factor of Eq. (2.16)
    m = X.shape[0]
    return np.append(X.T @ r / m + l2 * theta[:-1], np.mean(r))


def _hess(X, y, theta, l2):
    z = X @ theta[:-1] + theta[-1]
    s = sigmoid(z) * sigmoid(-z)  # g(1 - g), without the cancellation of 1 - g
    Xa = np.column_stack([X, np.ones(X.shape[0])])
    H = (Xa.T * s) @ Xa / X.shape[0]
    H[np.arange(X.shape[1]), np.arange(X.shape[1])] += l2
    return H


def objective(X: object, y: object, theta: object, l2: float = 0.0) -> float:
    """:math:`J(\\theta)` of the module docstring, ``theta = (w, b)``: mean cross-entropy
    :math:`-l(\\theta)/m` (Eq. (2.15)) plus :math:`\\tfrac{\\lambda}{2}\\|\\vec w\\|^2`."""
    return _J(*_check_problem(X, y, theta, l2))


def objective_gradient(X: object, y: object, theta: object, l2: float = 0.0) -> np.ndarray:
    """Gradient of :func:`objective`,
    :math:`\\nabla J = \\frac1m \\tilde X^T (g(\\tilde X\\theta) - \\vec y) + \\lambda(\\vec w,0)`.

    :math:`\\tilde X = [X, \\vec 1]`. Component :math:`j` is minus Eq. (2.16) summed over the
    examples and divided by :math:`m`. Shape ``(d + 1,)``, intercept last.
    """
    return _grad(*_check_problem(X, y, theta, l2))


def objective_hessian(X: object, y: object, theta: object, l2: float = 0.0) -> np.ndarray:
    """Hessian of :func:`objective`,
    :math:`\\nabla^2 J = \\frac1m \\tilde X^T S \\tilde X +\\lambda\\mathrm{diag}(1,\\dots,1,0)`,
    :math:`S = \\mathrm{diag}(g(z_i)(1 - g(z_i)))`.

    Positive semi-definite, since :math:`v^T \\tilde X^T S \\tilde X v = \\sum_i s_i
    (\\tilde x_i^T v)^2 \\ge 0`: the cross-entropy is convex. Shape ``(d + 1, d + 1)``.
    """
    return _hess(*_check_problem(X, y, theta, l2))


# ---------------------------------------------------------------- estimator
def _check_Xy(X: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    X = check_matrix(X)
    y = _check_labels(y)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X and y must have the same number of samples, got X {X.shape[0]} "
                         f"and y {y.shape[0]}")
    if X.shape[0] == 0:
        raise ValueError("X must hold at least one example")
    return X, y


SOLVERS = ("newton", "gd", "sgd")


class LogisticRegression:
    """Binary logistic regression by maximum likelihood, Eq. (2.9)-(2.17).

    Minimises :math:`J(\\vec w, b)` (mean cross-entropy plus
    :math:`\\tfrac{\\lambda}{2}\\|\\vec w\\|^2`, see the module docstring), which is
    maximising the log-likelihood (2.15) when ``l2 = 0``. Starts from
    :math:`\\vec w = 0, b = 0`.

    Parameters
    ----------
    solver : {"newton", "gd", "sgd"}
        ``"newton"``: Newton's method :math:`\\theta \\leftarrow \\theta - t H^{-1}\\nabla J`
        with backtracking (``t`` halved until :math:`J` decreases enough); one iteration =
        one step; converged when :math:`\\|\\nabla J\\|_\\infty <` ``tol``.
        ``"gd"``: batch gradient descent :math:`\\theta \\leftarrow \\theta - \\alpha \\nabla J`
        (gradient *ascent* on :math:`l(\\theta)/m`); same stopping rule.
        ``"sgd"``: the stochastic gradient ascent rule Eq. (2.17),
        :math:`\\theta_j \\leftarrow \\theta_j + \\alpha(y^{(i)} - h_\\theta(x^{(i)}))x_j^{(i)}`
        (minus :math:`\\alpha\\lambda w_j` with ``l2``), one example at a time in a fresh
        random order each epoch; one iteration = one epoch; converged when :math:`J` changes
        by less than ``tol`` over an epoch.
    learning_rate : float
        :math:`\\alpha > 0` of ``"gd"`` and ``"sgd"`` (unused by ``"newton"``).
    max_iter : int
        Maximal number of iterations (steps or epochs). Stopping there warns
        (:class:`ConvergenceWarning`, a ``RuntimeWarning``).
    tol : float
        Tolerance of the stopping rule, ``>= 0``.
    l2 : float
        :math:`\\lambda \\ge 0`; scikit-learn's ``C`` is ``1 / (l2 * m)``.
    rng : numpy.random.Generator or int, optional
        Source of the example orders of ``"sgd"``.

    Attributes
    ----------
    coef_ : ndarray of shape (d,)
        :math:`\\vec w`.
    intercept_ : float
        :math:`b`.
    n_iter_ : int
        Iterations done.
    converged_ : bool
        Whether the stopping rule was met.
    loss_curve_ : ndarray of shape (n_iter_ + 1,)
        :math:`J` at the start (``ln 2`` without ``l2``) and after each iteration.
    coef_path_ : ndarray of shape (n_iter_ + 1, d), intercept_path_ : ndarray (n_iter_ + 1,)
        :math:`\\vec w` and :math:`b` at the start and after each iteration.

    Notes
    -----
    Without ``l2`` the maximum-likelihood estimate does not exist when a hyperplane
    separates the two classes: scaling that hyperplane drives :math:`J` to 0, which no
    finite :math:`\\theta` reaches. ``fit`` checks after each iteration whether the current
    :math:`(\\vec w, b)` separates the training set strictly; if so it stops there with a
    ``RuntimeWarning`` (the returned finite coefficients classify the training set
    perfectly, but are not an MLE). Use ``l2 > 0`` for a finite, unique solution.
    """

    def __init__(self, solver: str = "newton", learning_rate: float = 0.1, max_iter: int = 100,
                 tol: float = 1e-8, l2: float = 0.0,
                 rng: np.random.Generator | int | None = None) -> None:
        self.solver = solver
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol
        self.l2 = l2
        self.rng = rng

    def _validate_params(self):
        solver = check_choice(self.solver, "solver", SOLVERS)
        lr = check_scalar(self.learning_rate, "learning_rate", minimum=0, exclusive=True)
        max_iter = check_int(self.max_iter, "max_iter", minimum=1)
        tol = check_scalar(self.tol, "tol", minimum=0)
        l2 = _check_l2(self.l2)
        rng = self.rng
        if solver == "sgd":
            if isinstance(rng, bool) or not (rng is None or isinstance(
                    rng, np.random.Generator | numbers.Integral)):
                raise TypeError(f"rng must be a numpy Generator, an int seed or None, "
                                f"got {type(rng).__name__}")
            rng = np.random.default_rng(rng)
        return solver, lr, max_iter, tol, l2, rng

    def fit(self, X: object, y: object) -> LogisticRegression:
        """Fit on ``X`` (m, d) and labels ``y`` in {0, 1}; returns ``self``."""
        solver, lr, max_iter, tol, l2, rng = self._validate_params()
        X, y = _check_Xy(X, y)
        if np.all(y == y[0]):
            raise ValueError(f"y must contain both classes 0 and 1, got only {y[0]:g}")
        m, d = X.shape
        Xa = np.column_stack([X, np.ones(m)])
        sign = 2.0 * y - 1.0
        if solver == "gd":
            path, n_iter, converged, separated = _batch_gd(Xa, y, lr, max_iter, tol, l2)
            theta, losses = path[-1], _J_path(X, y, path, l2)
        else:
            theta = np.zeros(d + 1)
            path, losses = [theta.copy()], [_J(X, y, theta, l2)]
            # The gradient at the current theta: the convergence test's is the next step's.
            g = _grad(X, y, theta, l2)
            converged = separated = False
            n_iter = 0
            for n_iter in range(1, max_iter + 1):  # noqa: B007
                if solver == "newton":
                    H = _hess(X, y, theta, l2)
                    try:
                        step = np.linalg.solve(H, g)
                    except np.linalg.LinAlgError:
                        step = np.linalg.lstsq(H, g, rcond=None)[0]
                    t, J0, slope = 1.0, losses[-1], g @ step
                    for _ in range(60):  # backtracking (Armijo) line search
                        candidate = theta - t * step
                        if _J(X, y, candidate, l2) <= J0 - 1e-4 * t * slope:
                            break
                        t /= 2
                    theta = candidate
                else:  # Eq. (2.17), one example at a time: sequential, so a loop
                    for i in rng.permutation(m):
                        h = sigmoid(Xa[i] @ theta)
                        theta = theta + lr * (y[i] - h) * Xa[i]
                        if l2:
                            theta[:-1] -= lr * l2 * theta[:-1]
                if not np.all(np.isfinite(theta)):
                    raise FloatingPointError(f"{solver} diverged (learning_rate={lr} too large?)")
                path.append(theta.copy())
                losses.append(_J(X, y, theta, l2))
                if solver == "sgd":
                    converged = abs(losses[-2] - losses[-1]) < tol
                else:
                    g = _grad(X, y, theta, l2)
                    converged = float(np.max(np.abs(g))) < tol
                if l2 == 0 and np.all(sign * (Xa @ theta) > 0):
                    separated = True
                    break
                if converged:
                    break
        if separated:
            warnings.warn("the training data are linearly separable: the maximum-likelihood "
                          "estimate does not exist (the loss tends to 0 as ||w|| -> inf); "
                          f"stopped after {n_iter} iterations with a separating (w, b). "
                          "Use l2 > 0 for a finite solution.", RuntimeWarning, stacklevel=2)
            converged = False
        elif not converged:
            warnings.warn(f"{solver} did not converge in max_iter={max_iter} iterations "
                          f"(tol={tol:g}); increase max_iter", ConvergenceWarning, stacklevel=2)
        path = np.asarray(path)
        self.coef_, self.intercept_ = theta[:-1].copy(), float(theta[-1])
        self.coef_path_, self.intercept_path_ = path[:, :-1], path[:, -1]
        self.loss_curve_ = np.array(losses)
        self.n_iter_, self.converged_ = n_iter, converged
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise RuntimeError(f"this {type(self).__name__} is not fitted yet; call fit first")

    def decision_function(self, X: object) -> np.ndarray:
        """Logits :math:`z = \\vec w^T\\vec x + b` (:math:`\\theta^T x`, Eq. (2.9)), shape (n,)."""
        self._check_fitted()
        X = check_matrix(X)
        if X.shape[1] != self.coef_.shape[0]:
            raise ValueError(f"X has {X.shape[1]} features, but the model was fitted with "
                             f"{self.coef_.shape[0]}")
        return X @ self.coef_ + self.intercept_

    def predict_proba(self, X: object) -> np.ndarray:
        """:math:`P(y = 1 \\mid x) = h_\\theta(x) = g(z)`, Eq. (2.9)/(2.12), shape (n,)."""
        return sigmoid(self.decision_function(X))

    def predict(self, X: object) -> np.ndarray:
        """Labels 1 where :math:`z > 0` (:math:`h_\\theta(x) > 1/2`), else 0; int array."""
        return (self.decision_function(X) > 0).astype(int)

    def score(self, X: object, y: object) -> float:
        """Accuracy: fraction of correctly predicted labels."""
        X, y = _check_Xy(X, y)
        return float(np.mean(self.predict(X) == y))
