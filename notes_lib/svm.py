"""Support vector machines (section 2.7): kernels, the SMO solver of the dual, an estimator.

The soft-margin dual solved here is Eq. (2.58) with the box constraint of the soft margin,
written as a minimisation as in LIBSVM (Chang & Lin 2011):

.. math::

    \\min_{\\vec\\alpha}\\; f(\\vec\\alpha)
    = \\tfrac12 \\vec\\alpha^T Q \\vec\\alpha - \\vec 1^T\\vec\\alpha,
    \\qquad Q_{ij} = y_i y_j K(\\vec x_i, \\vec x_j),
    \\qquad 0 \\le \\alpha_i \\le C, \\quad \\vec y^T \\vec\\alpha = 0.

:func:`smo` is Platt's sequential minimal optimisation with the second-order working-set
selection "WSS 3" of Fan, Chen & Lin (2005), the rule of LIBSVM (without shrinking): each
iteration picks the pair :math:`(i, j)` that most violates the KKT conditions (to second
order), solves the two-variable sub-problem in closed form, clips it to the box, and updates
the gradient :math:`\\nabla f = Q\\vec\\alpha - \\vec 1` over all samples with one array
operation. It stops when the maximal violation :math:`m(\\vec\\alpha) - M(\\vec\\alpha)` is
below ``tol`` (LIBSVM's criterion, the ``tol`` of ``sklearn.svm.SVC``).

The kernels are the linear kernel :math:`\\vec x^T\\vec z`, the polynomial kernel
:math:`(\\gamma\\,\\vec x^T\\vec z + c_0)^d` and the Gaussian (RBF) kernel
:math:`\\exp(-\\gamma\\|\\vec x - \\vec z\\|^2)`, which is Eq. (2.59) with
:math:`\\gamma = 1/(2\\sigma^2)`.
"""

from __future__ import annotations

import numbers
import warnings
from typing import NamedTuple

import numpy as np

from ._validation import as_float_array, check_choice, check_int, check_scalar

KERNELS = ("linear", "poly", "rbf")


class ConvergenceWarning(RuntimeWarning):
    """:func:`smo` stopped at ``max_iter`` before the KKT conditions held within ``tol``."""


# ---------------------------------------------------------------------------- kernels
def _pair(X: object, Y: object) -> tuple[np.ndarray, np.ndarray]:
    X = as_float_array(X, "X", ndim=2)
    Y = X if Y is None else as_float_array(Y, "Y", ndim=2)
    if X.shape[1] != Y.shape[1]:
        raise ValueError(f"X and Y must have the same number of columns, got {X.shape[1]} "
                         f"and {Y.shape[1]}")
    return X, Y




def linear_kernel(X: object, Y: object = None) -> np.ndarray:
    """Linear kernel :math:`K(\\vec x, \\vec z) = \\vec x^T\\vec z` (the Gram matrix of Eq. (2.58)).

    Parameters
    ----------
    X : array-like of shape (n, d)
    Y : array-like of shape (m, d), optional
        Default ``X``.

    Returns
    -------
    ndarray of shape (n, m)
    """
    X, Y = _pair(X, Y)
    return X @ Y.T


def polynomial_kernel(X: object, Y: object = None, degree: int = 3, gamma: float = 1.0,
                      coef0: float = 0.0) -> np.ndarray:
    """Polynomial kernel :math:`K(\\vec x, \\vec z) = (\\gamma\\,\\vec x^T\\vec z + c_0)^d`.

    Parameters as :func:`linear_kernel`, plus ``degree`` :math:`d \\ge 1`, ``gamma`` > 0 and
    ``coef0`` :math:`c_0` (scikit-learn's parametrisation).
    """
    X, Y = _pair(X, Y)
    degree = check_int(degree, "degree", minimum=1)
    gamma = check_scalar(gamma, "gamma", minimum=0, exclusive=True)
    coef0 = check_scalar(coef0, "coef0")
    return (gamma * (X @ Y.T) + coef0) ** degree


def rbf_kernel(X: object, Y: object = None, gamma: float = 1.0) -> np.ndarray:
    """Gaussian kernel :math:`\\exp(-\\gamma\\|\\vec x - \\vec z\\|^2)`, Eq. (2.59).

    Eq. (2.59) writes it with the width :math:`\\sigma`: :math:`\\gamma = 1/(2\\sigma^2)`.
    Squared distances are computed as :math:`\\|x\\|^2 + \\|z\\|^2 - 2x^Tz`, clipped at 0.
    """
    X, Y = _pair(X, Y)
    gamma = check_scalar(gamma, "gamma", minimum=0, exclusive=True)
    same = Y is X
    sq = X @ Y.T  # in place from here on: no extra n x m temporaries
    sq *= -2.0
    sq += np.einsum("ij,ij->i", X, X)[:, None]
    sq += np.einsum("ij,ij->i", Y, Y)[None, :]
    np.maximum(sq, 0.0, out=sq)
    if same:
        np.fill_diagonal(sq, 0.0)
    sq *= -gamma
    return np.exp(sq, out=sq)


def gaussian_feature_map(x: object, sigma: float = 1.0, degree: int = 10) -> np.ndarray:
    """Truncated feature map of the 1-D Gaussian kernel, Eq. (2.60).

    .. math::

        \\phi(x) = e^{-x^2/(2\\sigma^2)}\\left(1, \\frac{x}{\\sigma}\\sqrt{\\tfrac{1}{1!}},
        \\frac{x^2}{\\sigma^2}\\sqrt{\\tfrac{1}{2!}}, \\dots,
        \\frac{x^n}{\\sigma^n}\\sqrt{\\tfrac{1}{n!}}\\right), \\qquad n = \\text{degree},

    so that :math:`\\phi(x_1)^T\\phi(x_2) \\to e^{-(x_1-x_2)^2/(2\\sigma^2)}` (Eq. (2.59)) as
    :math:`n \\to \\infty`. The components are built by the recursion
    :math:`t_k = t_{k-1}\\,(x/\\sigma)/\\sqrt{k}` (one cumulative product, no factorials).

    Parameters
    ----------
    x : array-like of shape (m,)
        Scalar inputs.
    sigma : float
        Width :math:`\\sigma > 0`.
    degree : int
        Highest power :math:`n \\ge 0` kept.

    Returns
    -------
    ndarray of shape (m, degree + 1)
    """
    x = as_float_array(x, "x", ndim=1)
    sigma = check_scalar(sigma, "sigma", minimum=0, exclusive=True)
    degree = check_int(degree, "degree", minimum=0)
    u = x / sigma
    steps = np.empty((x.shape[0], degree + 1))
    steps[:, 0] = np.exp(-0.5 * u * u)
    steps[:, 1:] = u[:, None] / np.sqrt(np.arange(1, degree + 1))[None, :]
    return np.cumprod(steps, axis=1)


# ---------------------------------------------------------------------------- solver
class SMOResult(NamedTuple):
    """Solution of the dual returned by :func:`smo`.

    ``alpha`` (n,), ``b`` the intercept of :math:`f(\\vec x) = \\sum_i \\alpha_i y_i K(\\vec x_i,
    \\vec x) + b`, ``n_iter`` the number of two-variable steps, ``converged``, and ``gap`` the
    final maximal KKT violation :math:`m(\\vec\\alpha) - M(\\vec\\alpha)`.
    """

    alpha: np.ndarray
    b: float
    n_iter: int
    converged: bool
    gap: float


def _check_K_y(K: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    K = as_float_array(K, "K", ndim=2)
    if K.shape[0] != K.shape[1]:
        raise ValueError(f"K must be a square kernel matrix, got shape {K.shape}")
    y = as_float_array(y, "y", ndim=1)
    if y.shape[0] != K.shape[0]:
        raise ValueError(f"y must have one label per row of K: K has {K.shape[0]} rows, "
                         f"y has {y.shape[0]}")
    if not np.all(np.isin(y, (-1.0, 1.0))):
        raise ValueError(f"y must contain only the labels -1 and +1, got {np.unique(y)}")
    if not (np.any(y > 0) and np.any(y < 0)):
        raise ValueError("y must contain both labels -1 and +1")
    return K, y


def smo(K: object, y: object, C: float = 1.0, tol: float = 1e-3,
        max_iter: int = 100_000) -> SMOResult:
    """Solve the soft-margin SVM dual (Eq. (2.58) with :math:`0 \\le \\alpha_i \\le C`) by SMO.

    Parameters
    ----------
    K : array-like of shape (n, n)
        Kernel (Gram) matrix :math:`K_{ij} = K(\\vec x_i, \\vec x_j)`, symmetric PSD.
    y : array-like of shape (n,)
        Labels in {-1, +1}, both present.
    C : float
        Box constraint :math:`C > 0` (``np.inf`` is not allowed; a large ``C`` gives the hard
        margin of Eq. (2.58) on separable data).
    tol : float
        Stop when :math:`m(\\vec\\alpha) - M(\\vec\\alpha) <` ``tol``, where
        :math:`m = \\max_{t \\in I_{up}} -y_t\\nabla_t f` and
        :math:`M = \\min_{t \\in I_{low}} -y_t\\nabla_t f` (Keerthi et al. 2001; LIBSVM).
    max_iter : int
        Maximal number of two-variable steps; a :class:`ConvergenceWarning` is issued when
        it is reached.

    Returns
    -------
    SMOResult
        ``alpha``, ``b``, ``n_iter``, ``converged``, ``gap``.

    Notes
    -----
    The index sets are :math:`I_{up} = \\{t: \\alpha_t < C, y_t = 1 \\text{ or } \\alpha_t > 0,
    y_t = -1\\}` and :math:`I_{low} = \\{t: \\alpha_t < C, y_t = -1 \\text{ or } \\alpha_t > 0,
    y_t = 1\\}`. The working set is :math:`i = \\arg\\max_{I_{up}} -y_t\\nabla_t f` and, with
    :math:`b_t = -y_i\\nabla_i f + y_t\\nabla_t f > 0` and
    :math:`a_t = K_{ii} + K_{tt} - 2K_{it}`, :math:`j = \\arg\\min_{t \\in I_{low}} -b_t^2/a_t`
    (WSS 3 of Fan, Chen & Lin 2005). The intercept is the average of
    :math:`y_t\\nabla_t f` over the free :math:`\\alpha_t` (negated), or the middle of the
    feasible interval when no :math:`\\alpha_t` is free, as in LIBSVM.
    """
    K, y = _check_K_y(K, y)
    C = check_scalar(C, "C", minimum=0, exclusive=True)
    tol = check_scalar(tol, "tol", minimum=0, exclusive=True)
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    n = y.shape[0]
    tau = 1e-12
    QD = np.diag(K).copy()  # Q = (y y^T) * K is never formed: Q[i] = y_i y * K[i]
    alpha = np.zeros(n)
    G = -np.ones(n)  # gradient Q alpha - 1 at alpha = 0
    pos = y > 0
    converged = False
    gap = np.inf
    n_iter = 0
    while True:
        minus_yG = -y * G
        up = np.where(pos, alpha < C, alpha > 0)
        low = np.where(pos, alpha > 0, alpha < C)
        score_up = np.where(up, minus_yG, -np.inf)
        i = int(np.argmax(score_up))
        g_max = score_up[i]
        g_min = np.min(np.where(low, minus_yG, np.inf))
        gap = float(g_max - g_min)
        if gap < tol:
            converged = True
            break
        if n_iter >= max_iter:
            break
        # second-order choice of j among I_low with -y_t G_t < g_max
        b_t = g_max - minus_yG
        Ki = K[i]
        a_t = QD[i] + QD - 2.0 * Ki  # K_ii + K_tt - 2 K_it
        a_t = np.where(a_t > 0, a_t, tau)
        obj = np.where(low & (b_t > 0), -(b_t * b_t) / a_t, np.inf)
        j = int(np.argmin(obj))
        old_i, old_j = alpha[i], alpha[j]
        a_ij = QD[i] + QD[j] - 2.0 * Ki[j]
        if a_ij <= 0:
            a_ij = tau
        # move along y_i alpha_i + y_j alpha_j = const, then clip to the box (LIBSVM)
        if y[i] != y[j]:
            delta = (-G[i] - G[j]) / a_ij
            diff = old_i - old_j
            ai, aj = old_i + delta, old_j + delta
            if diff > 0:
                if aj < 0:
                    aj, ai = 0.0, diff
            elif ai < 0:
                ai, aj = 0.0, -diff
            if diff > 0:
                if ai > C:
                    ai, aj = C, C - diff
            elif aj > C:
                aj, ai = C, C + diff
        else:
            delta = (G[i] - G[j]) / a_ij
            total = old_i + old_j
            ai, aj = old_i - delta, old_j + delta
            if total > C:
                if ai > C:
                    ai, aj = C, total - C
            elif aj < 0:
                aj, ai = 0.0, total
            if total > C:
                if aj > C:
                    aj, ai = C, total - C
            elif ai < 0:
                ai, aj = 0.0, total
        alpha[i], alpha[j] = ai, aj
        # gradient of all samples in one array operation: G += Q[:, i] d_i + Q[:, j] d_j
        G += y * (Ki * (y[i] * (ai - old_i)) + K[j] * (y[j] * (aj - old_j)))
        n_iter += 1
    if not converged:
        warnings.warn(f"smo did not converge in max_iter={max_iter} iterations "
                      f"(KKT violation {gap:.3g} >= tol={tol:g})", ConvergenceWarning,
                      stacklevel=2)
    # intercept b = -rho (LIBSVM's calculate_rho)
    yG = y * G
    free = (alpha > 0) & (alpha < C)
    if np.any(free):
        rho = float(np.mean(yG[free]))
    else:
        at_upper = alpha >= C
        at_lower = alpha <= 0
        ub_mask = (at_upper & ~pos) | (at_lower & pos)
        lb_mask = (at_upper & pos) | (at_lower & ~pos)
        ub = float(np.min(yG[ub_mask])) if np.any(ub_mask) else np.inf
        lb = float(np.max(yG[lb_mask])) if np.any(lb_mask) else -np.inf
        rho = (ub + lb) / 2
    return SMOResult(alpha, -rho, n_iter, converged, gap)


def dual_objective(K: object, y: object, alpha: object) -> float:
    """The dual objective of Eq. (2.58), :math:`\\sum_i\\alpha_i - \\frac12\\sum_{i,j}
    y_iy_j\\alpha_i\\alpha_jK_{ij}` (to be maximised)."""
    K, y = _check_K_y(K, y)
    alpha = as_float_array(alpha, "alpha", ndim=1)
    if alpha.shape != y.shape:
        raise ValueError(f"alpha must have shape {y.shape}, got {alpha.shape}")
    ay = alpha * y
    return float(alpha.sum() - 0.5 * ay @ K @ ay)


def kkt_violation(K: object, y: object, alpha: object, b: float, C: float) -> dict[str, float]:
    """How far ``(alpha, b)`` is from the KKT conditions of the soft-margin SVM.

    With :math:`f_i = \\sum_j \\alpha_j y_j K_{ij} + b` the conditions are
    :math:`0 \\le \\alpha_i \\le C`, :math:`\\sum_i \\alpha_i y_i = 0` and complementary slackness
    :math:`\\alpha_i = 0 \\Rightarrow y_if_i \\ge 1`, :math:`0 < \\alpha_i < C \\Rightarrow
    y_if_i = 1`, :math:`\\alpha_i = C \\Rightarrow y_if_i \\le 1`.

    Returns
    -------
    dict
        ``"box"`` (largest violation of the box), ``"equality"`` (:math:`|\\sum\\alpha_iy_i|`),
        ``"zero"``, ``"free"``, ``"bound"`` (largest violation of each of the three
        complementary-slackness cases, 0 when the case is empty).
    """
    K, y = _check_K_y(K, y)
    alpha = as_float_array(alpha, "alpha", ndim=1)
    if alpha.shape != y.shape:
        raise ValueError(f"alpha must have shape {y.shape}, got {alpha.shape}")
    b = check_scalar(b, "b")
    C = check_scalar(C, "C", minimum=0, exclusive=True)
    yf = y * (K @ (alpha * y) + b)
    zero, bound = alpha <= 0, alpha >= C
    free = ~zero & ~bound

    def worst(v: np.ndarray) -> float:
        return float(np.max(v)) if v.size else 0.0

    return {
        "box": worst(np.maximum(np.maximum(-alpha, alpha - C), 0.0)),
        "equality": float(abs(alpha @ y)),
        "zero": worst(np.maximum(1 - yf[zero], 0)),
        "free": worst(np.abs(yf[free] - 1)),
        "bound": worst(np.maximum(yf[bound] - 1, 0)),
    }


# ---------------------------------------------------------------------------- estimator
class SVC:
    """Soft-margin support vector classifier trained by :func:`smo`, like ``sklearn.svm.SVC``.

    Parameters
    ----------
    C : float
        Box constraint :math:`C > 0`.
    kernel : {"linear", "poly", "rbf"}
        Kernel, see :func:`linear_kernel`, :func:`polynomial_kernel`, :func:`rbf_kernel`.
    gamma : float or {"scale", "auto"}
        Kernel coefficient of "poly" and "rbf"; "scale" is
        :math:`1/(d\\,\\mathrm{Var}(X))`, "auto" is :math:`1/d`, as in scikit-learn.
    degree : int
        Degree of the polynomial kernel.
    coef0 : float
        :math:`c_0` of the polynomial kernel.
    tol : float
        Stopping tolerance of :func:`smo`.
    max_iter : int
        Maximal number of SMO steps.

    Notes
    -----
    ``fit`` computes and keeps the whole :math:`n \\times n` kernel matrix (8 n² bytes: 32 MB
    at n = 2000), which suits the few thousand samples this implementation is meant for.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The two labels, sorted; ``classes_[1]`` is coded +1, ``classes_[0]`` is -1.
    alpha_ : ndarray of shape (n_samples,)
        All Lagrange multipliers :math:`\\alpha_i`.
    support_ : ndarray of int
        Indices of the support vectors (:math:`\\alpha_i > 0`), increasing.
    support_vectors_ : ndarray of shape (n_SV, n_features)
    dual_coef_ : ndarray of shape (1, n_SV)
        :math:`y_i\\alpha_i` of the support vectors (scikit-learn's convention).
    intercept_ : ndarray of shape (1,)
        :math:`b`.
    n_iter_ : int
        Number of SMO steps.
    converged_ : bool
    """

    def __init__(self, C: float = 1.0, kernel: str = "rbf", gamma: float | str = "scale",
                 degree: int = 3, coef0: float = 0.0, tol: float = 1e-3,
                 max_iter: int = 100_000) -> None:
        self.C = C
        self.kernel = kernel
        self.gamma = gamma
        self.degree = degree
        self.coef0 = coef0
        self.tol = tol
        self.max_iter = max_iter

    def _gamma(self, X: np.ndarray) -> float:
        g = self.gamma
        if isinstance(g, str):
            check_choice(g, "gamma", ("scale", "auto"))
            if g == "auto":
                return 1.0 / X.shape[1]
            var = float(X.var())
            return 1.0 / (X.shape[1] * var) if var > 0 else 1.0
        if not isinstance(g, numbers.Real) or isinstance(g, bool):
            raise TypeError(f"gamma must be a positive number, 'scale' or 'auto', got {g!r}")
        return check_scalar(g, "gamma", minimum=0, exclusive=True)

    def _kernel(self, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
        if self.kernel == "linear":
            return linear_kernel(X, Y)
        if self.kernel == "poly":
            return polynomial_kernel(X, Y, self.degree, self._gamma_, self.coef0)
        return rbf_kernel(X, Y, self._gamma_)

    def fit(self, X: object, y: object) -> SVC:
        """Learn the support vectors of ``X`` (n_samples, n_features) with two labels ``y``."""
        check_choice(self.kernel, "kernel", KERNELS)
        X = as_float_array(X, "X", ndim=2)
        if isinstance(y, str | bytes) or y is None:
            raise TypeError(f"y must be array-like of class labels, got {type(y).__name__}")
        y = np.asarray(y)
        if y.ndim != 1:
            raise ValueError(f"y must be 1-dimensional, got shape {y.shape}")
        if y.shape[0] != X.shape[0]:
            raise ValueError(f"y must have one label per row of X: X has {X.shape[0]} rows, "
                             f"y has {y.shape[0]} labels")
        if y.dtype.kind == "f" and np.any(np.isnan(y)):
            raise ValueError("y must not contain NaN")
        classes = np.unique(y)
        if classes.size != 2:
            raise ValueError(f"y must contain exactly two classes (binary SVC), got "
                             f"{classes.size}: {classes[:10]}")
        C = check_scalar(self.C, "C", minimum=0, exclusive=True)
        if self.kernel == "poly":
            check_int(self.degree, "degree", minimum=1)
            check_scalar(self.coef0, "coef0")
        self._gamma_ = self._gamma(X)
        y_pm = np.where(y == classes[1], 1.0, -1.0)
        res = smo(self._kernel(X, X), y_pm, C, self.tol, self.max_iter)
        self.classes_ = classes
        self.alpha_ = res.alpha
        self.support_ = np.flatnonzero(res.alpha > 0)
        self.support_vectors_ = X[self.support_]
        self.dual_coef_ = (res.alpha * y_pm)[self.support_][None, :]
        self.intercept_ = np.array([res.b])
        self.n_iter_ = res.n_iter
        self.converged_ = res.converged
        self.n_features_in_ = X.shape[1]
        return self

    @property
    def coef_(self) -> np.ndarray:
        """:math:`\\vec w = \\sum_i \\alpha_i y_i \\vec x_i` (Eq. (2.56)), linear kernel only."""
        self._check_fitted()
        if self.kernel != "linear":
            raise AttributeError("coef_ is only available with kernel='linear'")
        return self.dual_coef_ @ self.support_vectors_

    def _check_fitted(self) -> None:
        if not hasattr(self, "support_"):
            raise RuntimeError(f"this {type(self).__name__} is not fitted yet; call fit first")

    def decision_function(self, X: object) -> np.ndarray:
        """:math:`f(\\vec x) = \\sum_{i \\in SV} \\alpha_iy_iK(\\vec x_i, \\vec x) + b`;
        positive means ``classes_[1]``."""
        self._check_fitted()
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X must have {self.n_features_in_} columns, got {X.shape[1]}")
        return self._kernel(X, self.support_vectors_) @ self.dual_coef_[0] + self.intercept_[0]

    def predict(self, X: object) -> np.ndarray:
        """``classes_[1]`` where :math:`f(\\vec x) > 0`, else ``classes_[0]``."""
        d = self.decision_function(X)
        return self.classes_[(d > 0).astype(int)]

    def score(self, X: object, y: object) -> float:
        """Fraction of correctly classified examples."""
        pred = self.predict(X)
        y = np.asarray(y)
        if y.shape != pred.shape:
            raise ValueError(f"y must have shape {pred.shape}, got {y.shape}")
        return float(np.mean(pred == y))
