"""Gaussian mixture models and the EM algorithm (section 2.9 of the notes).

A Gaussian mixture with :math:`k` components has the density

.. math:: p(x) = \\sum_{j=1}^k \\phi_j \\, \\mathcal N(x; \\mu_j, \\Sigma_j),

with a latent component label :math:`z^{(i)} \\in \\{1, \\dots, k\\}`,
:math:`p(z^{(i)} = j) = \\phi_j` (Eq. (2.68)). When the labels are known the
maximum-likelihood estimates are the per-component frequencies, means and
covariances of Eq. (2.70); when they are not, the EM algorithm (Algorithm 1 of the
notes) alternates

* the **E-step**: responsibilities
  :math:`w_j^{(i)} = p(z^{(i)} = j \\mid x^{(i)})`, computed here in log space with
  log-sum-exp (:func:`e_step`);
* the **M-step**: Eq. (2.71), the estimates of Eq. (2.70) with the indicator
  :math:`1(z^{(i)} = j)` replaced by the weight :math:`w_j^{(i)}` (:func:`m_step`).

Covariances are full matrices
:math:`\\Sigma_j = \\sum_i w_j^{(i)} (x^{(i)} - \\mu_j)(x^{(i)} - \\mu_j)^\\top / \\sum_i w_j^{(i)}`
(an outer product; the notes' :math:`(x - \\mu)^\\top (x - \\mu)` is a scalar, see the
errata), plus ``reg_covar`` on the diagonal so that a component collapsing on one
point or on a line keeps a positive-definite covariance instead of producing NaN.
Each EM iteration never decreases the log-likelihood (the ELBO argument of the book).

The conventions follow ``sklearn.mixture.GaussianMixture(covariance_type="full")``
so that both give the same iterates from the same initial parameters.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Mapping

import numpy as np

from ._validation import as_float_array, check_fitted_X, check_int, check_matrix, check_scalar

__all__ = [
    "ConvergenceWarning",
    "GaussianMixture",
    "e_step",
    "initial_parameters",
    "log_gaussian_pdf",
    "m_step",
]

_LOG_2PI = math.log(2.0 * math.pi)
_EPS10 = 10.0 * np.finfo(np.float64).eps


class ConvergenceWarning(RuntimeWarning):
    """EM stopped at ``max_iter`` before the log-likelihood changed by less than ``tol``."""


# --------------------------------------------------------------------------- helpers
def _logsumexp_rows(a: np.ndarray) -> np.ndarray:
    """:math:`\\ln \\sum_j e^{a_{ij}}` for each row, stable (max shifted out)."""
    m = a.max(axis=1)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(np.exp(a - m[:, None]).sum(axis=1)) + m


def _precision_cholesky(covariances: np.ndarray, name: str = "covariances") -> np.ndarray:
    """:math:`L_j^{-1}` for the Cholesky factors :math:`\\Sigma_j = L_j L_j^\\top`, batched."""
    try:
        L = np.linalg.cholesky(covariances)
    except np.linalg.LinAlgError:
        raise ValueError(f"{name} must be symmetric positive definite; a covariance is "
                         "singular or indefinite (increase reg_covar)") from None
    d = covariances.shape[-1]
    return np.linalg.solve(L, np.broadcast_to(np.eye(d), L.shape))


def _log_pdf_from_chol(X: np.ndarray, means: np.ndarray, prec_chol: np.ndarray) -> np.ndarray:
    """(n, k) log densities given the inverse Cholesky factors ``prec_chol`` (k, d, d).

    With :math:`\\Sigma = L L^\\top` and :math:`P = L^{-1}`:
    :math:`(x-\\mu)^\\top\\Sigma^{-1}(x-\\mu) = \\lVert P(x-\\mu)\\rVert^2` and
    :math:`\\ln\\det\\Sigma = -2\\sum_i \\ln P_{ii}`.
    """
    d = X.shape[1]
    # y[j, i] = P_j (x_i - mu_j), as X P_j^T - mu_j P_j^T, one batched matmul for all j
    PT = np.swapaxes(prec_chol, 1, 2)
    y = X @ PT                                   # (k, n, d)
    y -= (means[:, None, :] @ PT)                 # (k, 1, d)
    maha = np.einsum("kni,kni->nk", y, y)         # (n, k)
    log_det_prec = np.log(np.diagonal(prec_chol, axis1=1, axis2=2)).sum(axis=1)
    return -0.5 * (d * _LOG_2PI + maha) + log_det_prec


def _e_step_chol(X, log_weights, means, prec_chol):
    weighted = _log_pdf_from_chol(X, means, prec_chol) + log_weights
    log_norm = _logsumexp_rows(weighted)
    return log_norm, weighted - log_norm[:, None]


def _m_step_fast(X: np.ndarray, resp: np.ndarray, reg_covar: float):
    d = X.shape[1]
    nk = resp.sum(axis=0) + _EPS10                # as scikit-learn: no division by 0
    means = (resp.T @ X) / nk[:, None]
    diff = X[None, :, :] - means[:, None, :]      # (k, n, d)
    weighted = diff * resp.T[:, :, None]
    covariances = np.swapaxes(weighted, 1, 2) @ diff / nk[:, None, None]
    covariances[:, np.arange(d), np.arange(d)] += reg_covar
    weights = nk / nk.sum()
    return weights, means, covariances


def _check_params(weights: object, means: object, covariances: object,
                  d: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    means = as_float_array(means, "means", ndim=2)
    k, dm = means.shape
    if k < 1 or dm < 1:
        raise ValueError(f"means must have shape (n_components, n_features), got {means.shape}")
    if d is not None and dm != d:
        raise ValueError(f"means must have {d} columns (the features of X), got {dm}")
    covariances = as_float_array(covariances, "covariances", ndim=3)
    if covariances.shape != (k, dm, dm):
        raise ValueError(f"covariances must have shape {(k, dm, dm)}, got {covariances.shape}")
    if not np.allclose(covariances, np.swapaxes(covariances, 1, 2), rtol=1e-10, atol=1e-12):
        raise ValueError("covariances must be symmetric")
    if weights is not None:
        weights = as_float_array(weights, "weights", ndim=1)
        if weights.shape != (k,):
            raise ValueError(f"weights must have shape ({k},), got {weights.shape}")
        if np.any(weights < 0) or not np.isclose(weights.sum(), 1.0, rtol=0, atol=1e-8):
            raise ValueError(f"weights must be non-negative and sum to 1, got {weights}")
    return weights, means, covariances


# --------------------------------------------------------------------------- public functions
def log_gaussian_pdf(X: object, means: object, covariances: object) -> np.ndarray:
    """Log density :math:`\\ln \\mathcal N(x^{(i)}; \\mu_j, \\Sigma_j)` for every sample and
    component, through the Cholesky factor :math:`\\Sigma_j = L_j L_j^\\top`:

    .. math:: \\ln \\mathcal N(x; \\mu, \\Sigma) = -\\tfrac12\\bigl(d \\ln 2\\pi
              + \\ln\\det\\Sigma + \\lVert L^{-1}(x - \\mu)\\rVert^2\\bigr),
              \\qquad \\ln\\det\\Sigma = 2 \\textstyle\\sum_i \\ln L_{ii}.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    means : array-like of shape (n_components, n_features), or (n_features,)
    covariances : array-like of shape (n_components, n_features, n_features), or
        (n_features, n_features) with 1-D ``means``

    Returns
    -------
    ndarray of shape (n_samples, n_components), or (n_samples,) for a single component
    given as 1-D ``means``.
    """
    X = check_matrix(X)
    means = as_float_array(means, "means")
    single = means.ndim == 1
    if single:
        means = means[None, :]
        covariances = as_float_array(covariances, "covariances", ndim=2)[None, :, :]
    _, means, covariances = _check_params(None, means, covariances, X.shape[1])
    out = _log_pdf_from_chol(X, means, _precision_cholesky(covariances))
    return out[:, 0] if single else out


def e_step(X: object, weights: object, means: object,
           covariances: object) -> tuple[np.ndarray, np.ndarray]:
    """E-step of Algorithm 1: log responsibilities
    :math:`\\ln w_j^{(i)} = \\ln p(z^{(i)} = j \\mid x^{(i)})`.

    .. math:: \\ln w_j^{(i)} = \\ln\\phi_j + \\ln\\mathcal N(x^{(i)}; \\mu_j, \\Sigma_j)
              - \\ln \\sum_{l=1}^k \\phi_l \\, \\mathcal N(x^{(i)}; \\mu_l, \\Sigma_l),

    the denominator by log-sum-exp.

    Returns
    -------
    log_prob : ndarray of shape (n_samples,)
        :math:`\\ln p(x^{(i)}) = \\ln\\sum_l \\phi_l \\mathcal N(x^{(i)}; \\mu_l, \\Sigma_l)`;
        its sum is the log-likelihood of Eq. (2.68).
    log_resp : ndarray of shape (n_samples, n_components)
        :math:`\\ln w_j^{(i)}`; ``exp`` of each row sums to 1.
    """
    X = check_matrix(X)
    weights, means, covariances = _check_params(weights, means, covariances, X.shape[1])
    if weights is None:
        raise TypeError("weights must be array-like of real numbers, got NoneType")
    with np.errstate(divide="ignore"):
        log_weights = np.log(weights)
    return _e_step_chol(X, log_weights, means, _precision_cholesky(covariances))


def m_step(X: object, resp: object,
           reg_covar: float = 1e-6) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """M-step of Algorithm 1, Eq. (2.71) with full covariance matrices.

    .. math:: N_j = \\sum_i w_j^{(i)}, \\quad \\phi_j = \\frac{N_j}{n}, \\quad
              \\mu_j = \\frac{1}{N_j}\\sum_i w_j^{(i)} x^{(i)}, \\quad
              \\Sigma_j = \\frac{1}{N_j}\\sum_i w_j^{(i)} (x^{(i)} - \\mu_j)
              (x^{(i)} - \\mu_j)^\\top + \\varepsilon I,

    with :math:`\\varepsilon` = ``reg_covar``. With one-hot ``resp`` (known labels) this
    is the complete-data MLE of Eq. (2.70). As in scikit-learn,
    :math:`10\\,\\epsilon_{\\text{machine}}` is added to each :math:`N_j` so that an empty
    component gives a finite mean and the covariance :math:`\\varepsilon I`, not NaN.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    resp : array-like of shape (n_samples, n_components)
        Responsibilities :math:`w_j^{(i)} \\ge 0`, each row summing to 1.
    reg_covar : float, default 1e-6
        Non-negative floor added to the diagonal of every covariance.

    Returns
    -------
    weights : (n_components,), means : (n_components, n_features),
    covariances : (n_components, n_features, n_features)
    """
    X = check_matrix(X)
    resp = as_float_array(resp, "resp", ndim=2)
    if resp.shape[0] != X.shape[0] or resp.shape[1] < 1:
        raise ValueError(f"resp must have shape ({X.shape[0]}, n_components), got {resp.shape}")
    if np.any(resp < 0) or not np.allclose(resp.sum(axis=1), 1.0, rtol=0, atol=1e-8):
        raise ValueError("resp must be non-negative with rows summing to 1")
    reg_covar = check_scalar(reg_covar, "reg_covar", minimum=0)
    return _m_step_fast(X, resp, reg_covar)


def initial_parameters(X: object, n_components: int, init: str | Mapping = "kmeans++",
                       reg_covar: float = 1e-6,
                       rng: np.random.Generator | int | None = None
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The starting point ``(weights, means, covariances)`` that
    :class:`GaussianMixture` uses for ``init`` (see there), e.g. to start another
    implementation from the same point."""
    gm = GaussianMixture(n_components, reg_covar=reg_covar, init=init, rng=rng)
    k, _, _, reg_covar = gm._validate_params()
    X = check_matrix(X)
    if X.shape[0] < k:
        raise ValueError(f"n_components = {k} must be <= the number of samples of X, "
                         f"got {X.shape[0]} samples")
    return gm._initial_parameters(X, k, reg_covar)


# --------------------------------------------------------------------------- estimator
class GaussianMixture:
    """Gaussian mixture with full covariances, fitted by EM (Algorithm 1, Eq. (2.71)).

    Parameters
    ----------
    n_components : int
        Number :math:`k` of Gaussian components.
    max_iter : int, default 100
        Maximum number of EM iterations (E-step + M-step).
    tol : float, default 1e-6
        Stop when the mean log-likelihood per sample changes by less than ``tol``.
    reg_covar : float, default 1e-6
        Non-negative value added to the diagonal of every covariance (the floor that
        keeps degenerate components positive definite).
    init : {"kmeans++", "random"} or mapping, default "kmeans++"
        ``"kmeans++"``: k-means++ seeding picks :math:`k` data points as centres, each
        sample is assigned to its nearest centre, and the M-step of these hard labels
        (Eq. (2.70)) gives the initial parameters. ``"random"``: random
        responsibilities, then the M-step. A mapping gives the initial parameters
        explicitly: ``{"means": (k, d), "weights": (k,), "covariances": (k, d, d)}``;
        ``weights`` defaults to uniform and ``covariances`` to the covariance of the
        whole data (plus ``reg_covar``) for every component.
    rng : numpy Generator, int or None
        Randomness of the initialisation (unused for an explicit ``init``).

    Attributes
    ----------
    weights_ : ndarray (k,)
        Mixing weights :math:`\\phi_j`.
    means_ : ndarray (k, d)
    covariances_ : ndarray (k, d, d)
    n_iter_ : int
        Number of EM iterations run.
    converged_ : bool
    log_likelihood_history_ : ndarray (n_iter_,)
        Mean log-likelihood per sample :math:`\\frac1n\\sum_i \\ln p(x^{(i)})` of the
        parameters entering each iteration (computed in its E-step), as
        scikit-learn's ``lower_bounds_``. It never decreases.
    lower_bound_ : float
        The last entry of ``log_likelihood_history_`` (scikit-learn's ``lower_bound_``).
        The returned parameters come from one more M-step, so ``score(X)`` is ``>=`` it.
    """

    def __init__(self, n_components: int, max_iter: int = 100, tol: float = 1e-6,
                 reg_covar: float = 1e-6, init: str | Mapping = "kmeans++",
                 rng: np.random.Generator | int | None = None) -> None:
        self.n_components = n_components
        self.max_iter = max_iter
        self.tol = tol
        self.reg_covar = reg_covar
        self.init = init
        self.rng = rng

    # -- parameters and initialisation
    def _validate_params(self) -> tuple[int, int, float, float]:
        k = check_int(self.n_components, "n_components", minimum=1)
        max_iter = check_int(self.max_iter, "max_iter", minimum=1)
        tol = check_scalar(self.tol, "tol", minimum=0)
        reg_covar = check_scalar(self.reg_covar, "reg_covar", minimum=0)
        return k, max_iter, tol, reg_covar

    def _rng(self) -> np.random.Generator:
        rng = self.rng
        if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
            return np.random.default_rng(rng)
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy Generator, an int seed or None, "
                            f"got {type(rng).__name__}")
        return rng

    def _initial_parameters(self, X: np.ndarray, k: int, reg_covar: float):
        n, d = X.shape
        init = self.init
        if isinstance(init, Mapping):
            unknown = set(init) - {"weights", "means", "covariances"}
            if unknown:
                raise ValueError(f"init has unknown keys {sorted(unknown)}; use weights, "
                                 "means, covariances")
            if "means" not in init:
                raise ValueError("init must contain 'means'")
            if np.ndim(init["means"]) != 2 or np.shape(init["means"])[0] != k:
                raise ValueError(f"init['means'] must have n_components = {k} rows, "
                                 f"got shape {np.shape(init['means'])}")
            weights = init.get("weights", np.full(k, 1.0 / k))
            if "covariances" in init:
                covariances = init["covariances"]
            else:
                cov = np.atleast_2d(np.cov(X, rowvar=False, bias=True)) + reg_covar * np.eye(d)
                covariances = np.broadcast_to(cov, (k, d, d)).copy()
            weights, means, covariances = _check_params(weights, init["means"], covariances, d)
            return weights, means.copy(), covariances.copy()
        if not isinstance(init, str):
            raise TypeError(f"init must be 'kmeans++', 'random' or a mapping of arrays, "
                            f"got {type(init).__name__}")
        if init not in ("kmeans++", "random"):
            raise ValueError(f"init must be 'kmeans++', 'random' or a mapping, got {init!r}")
        rng = self._rng()
        if init == "random":
            resp = rng.random((n, k))
            resp /= resp.sum(axis=1, keepdims=True)
        else:
            centres = _kmeans_plusplus(X, k, rng)
            d2 = ((X[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
            resp = np.zeros((n, k))
            resp[np.arange(n), d2.argmin(axis=1)] = 1.0
        return _m_step_fast(X, resp, reg_covar)

    # -- fitting
    def fit(self, X: object, y: object = None) -> GaussianMixture:
        """Run EM (Algorithm 1) on ``X`` (shape (n_samples, n_features)); ``y`` is ignored."""
        k, max_iter, tol, reg_covar = self._validate_params()
        X = check_matrix(X)
        n = X.shape[0]
        if n < k:
            raise ValueError(f"n_components = {k} must be <= the number of samples of X, "
                             f"got {n} samples")
        weights, means, covariances = self._initial_parameters(X, k, reg_covar)
        history = []
        prev = -np.inf
        self.converged_ = False
        for _ in range(max_iter):
            with np.errstate(divide="ignore"):
                log_weights = np.log(weights)
            log_norm, log_resp = _e_step_chol(X, log_weights, means,
                                              _precision_cholesky(covariances))
            ll = float(log_norm.mean())
            history.append(ll)
            weights, means, covariances = _m_step_fast(X, np.exp(log_resp), reg_covar)
            if abs(ll - prev) < tol:
                self.converged_ = True
                break
            prev = ll
        self.weights_, self.means_, self.covariances_ = weights, means, covariances
        self._prec_chol = _precision_cholesky(covariances)
        self.n_iter_ = len(history)
        self.log_likelihood_history_ = np.array(history)
        self.lower_bound_ = history[-1]
        self.n_features_in_ = X.shape[1]
        if not self.converged_:
            warnings.warn(f"EM did not converge in max_iter = {max_iter} iterations "
                          f"(last change of the mean log-likelihood "
                          f"{history[-1] - (history[-2] if len(history) > 1 else -np.inf):.3g}"
                          f" >= tol = {tol:g})", ConvergenceWarning, stacklevel=2)
        return self

    # -- prediction
    def _check_fitted(self, X: object) -> np.ndarray:
        return check_fitted_X(self, X, "means_", "fit(X)")

    def _e(self, X: object) -> tuple[np.ndarray, np.ndarray]:
        X = self._check_fitted(X)
        with np.errstate(divide="ignore"):
            log_weights = np.log(self.weights_)
        return _e_step_chol(X, log_weights, self.means_, self._prec_chol)

    def score_samples(self, X: object) -> np.ndarray:
        """:math:`\\ln p(x^{(i)}) = \\ln\\sum_j \\phi_j\\mathcal N(x^{(i)}; \\mu_j, \\Sigma_j)`
        per sample, shape (n_samples,)."""
        return self._e(X)[0]

    def score(self, X: object, y: object = None) -> float:
        """Mean log-likelihood per sample, :math:`\\frac1n \\sum_i \\ln p(x^{(i)})`."""
        return float(self.score_samples(X).mean())

    def predict_proba(self, X: object) -> np.ndarray:
        """Responsibilities :math:`w_j^{(i)} = p(z^{(i)} = j \\mid x^{(i)})`, shape (n, k)."""
        return np.exp(self._e(X)[1])

    def predict(self, X: object) -> np.ndarray:
        """Most probable component :math:`\\arg\\max_j w_j^{(i)}` of each sample."""
        return self._e(X)[1].argmax(axis=1)


def _kmeans_plusplus(X: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ seeding: each new centre is a data point drawn with probability
    proportional to its squared distance to the nearest centre chosen so far."""
    n = X.shape[0]
    centres = np.empty((k, X.shape[1]))
    centres[0] = X[rng.integers(n)]
    closest = ((X - centres[0]) ** 2).sum(axis=1)
    for c in range(1, k):                         # sequential by definition
        total = closest.sum()
        if total > 0:
            idx = rng.choice(n, p=closest / total)
        else:                                     # all points coincide with the centres
            idx = rng.integers(n)
        centres[c] = X[idx]
        closest = np.minimum(closest, ((X - centres[c]) ** 2).sum(axis=1))
    return centres
