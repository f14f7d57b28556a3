"""Principal components analysis and whitening (section 2.10), Eq. (2.72)-(2.75).

PCA centres the data (Eq. (2.72)) and looks for the unit direction
:math:`\\vec u` along which the centred samples have the largest variance
:math:`\\vec u^\\top C \\vec u` (Eq. (2.73)); the Lagrange condition (Eq. (2.74)) makes
:math:`\\vec u` an eigenvector of the covariance matrix :math:`C` and the variance its
eigenvalue (Eq. (2.75)). The principal components are the eigenvectors of the largest
eigenvalues, equivalently the right singular vectors of the centred data matrix.

Conventions (those of scikit-learn's ``sklearn.decomposition.PCA``):

* the samples are the **rows** of ``X`` (the notes put them in the columns);
* the covariance is the unbiased :math:`C = X_c^\\top X_c / (n - 1)`; the notes divide by
  :math:`n`, which scales the eigenvalues by :math:`(n-1)/n` and leaves the eigenvectors
  unchanged;
* **sign convention**: an eigenvector is only defined up to sign. Every component is
  flipped so that its entry of largest absolute value is positive (the first such
  entry on ties), the rule of ``sklearn.utils.extmath.svd_flip(..., u_based_decision=False)``.
  Both methods (``"svd"`` and ``"eigh"``) apply it, so they return the same components.

Whitening (the notes' Todo "PCA whitening and ZCA whitening", section 3.3.2): with
:math:`C = U \\Lambda U^\\top`, PCA whitening is
:math:`W_{PCA} = (\\Lambda+\\epsilon I)^{-1/2}U^\\top`, ZCA whitening
:math:`W_{ZCA} = U(\\Lambda+\\epsilon I)^{-1/2}U^\\top = (C+\\epsilon I)^{-1/2}`.
For :math:`\\epsilon = 0` both give whitened data of covariance :math:`I`; every whitening
matrix is :math:`Q\\,C^{-1/2}` with :math:`Q` orthogonal, and ZCA (:math:`Q = I`) is the one
that keeps the whitened data closest to the centred data in mean squared distance.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_choice, check_int, check_matrix, check_scalar

__all__ = ["PCA", "ZCAWhitening", "pca_whiten", "sign_flip", "whitening_matrix", "zca_whiten"]


def sign_flip(components: object) -> np.ndarray:
    """Flip each row so that its entry of largest absolute value is positive.

    The book's deterministic sign convention for eigenvectors and singular vectors
    (scikit-learn's ``svd_flip`` with ``u_based_decision=False``). On ties the first
    entry of largest absolute value decides.

    Parameters
    ----------
    components : array-like of shape (k, d)

    Returns
    -------
    ndarray of shape (k, d)
    """
    V = as_float_array(components, "components", ndim=2)
    idx = np.argmax(np.abs(V), axis=1)
    signs = np.sign(V[np.arange(V.shape[0]), idx])
    signs[signs == 0] = 1.0
    return V * signs[:, None]


class PCA:
    """Principal components analysis, Eq. (2.72)-(2.75).

    Parameters
    ----------
    n_components : int or None
        Number of components kept, ``1 <= n_components <= min(n_samples, n_features)``;
        ``None`` keeps ``min(n_samples, n_features)``.
    whiten : bool
        If true, :meth:`transform` divides each projection by the square root of its
        variance (PCA whitening), so the transformed training data have covariance
        :math:`I`. As in scikit-learn, standard deviations below machine epsilon are
        clipped to it.
    method : {"auto", "svd", "eigh"}
        ``"svd"``: thin SVD of the centred data :math:`X_c = U S V^\\top`, components
        :math:`V^\\top`, variances :math:`S^2/(n-1)`. ``"eigh"``: eigendecomposition of the
        covariance :math:`C = X_c^\\top X_c/(n-1)` (Eq. (2.74)), eigenvalues sorted in
        decreasing order (Eq. (2.75)); faster when ``n_samples >> n_features``, but it
        squares the condition number. ``"auto"`` (default) follows scikit-learn's rule:
        ``"eigh"`` when ``n_samples >= 10 * n_features`` and ``n_features <= 1000``,
        ``"svd"`` otherwise. The chosen method is stored in ``method_``.

    Attributes
    ----------
    components_ : ndarray of shape (n_components, n_features)
        The principal directions :math:`\\vec u` (unit rows, orthonormal), by decreasing
        variance, signs as in :func:`sign_flip`.
    explained_variance_ : ndarray of shape (n_components,)
        Variance of the data along each component, :math:`\\lambda = \\vec u^\\top C \\vec u`
        (Eq. (2.75)), with the unbiased covariance.
    explained_variance_ratio_ : ndarray of shape (n_components,)
        ``explained_variance_`` divided by the total variance :math:`\\operatorname{tr} C`.
    singular_values_ : ndarray of shape (n_components,)
        Singular values of the centred data, :math:`\\sqrt{(n-1)\\lambda}`.
    mean_ : ndarray of shape (n_features,)
        :math:`\\vec\\mu` of Eq. (2.72).
    n_components_, n_features_in_, n_samples_ : int
    method_ : str
        ``"svd"`` or ``"eigh"``, the method used.
    """

    def __init__(self, n_components: int | None = None, whiten: bool = False,
                 method: str = "auto") -> None:
        self.n_components = n_components
        self.whiten = whiten
        self.method = method

    def _validate_params(self, n: int, d: int) -> int:
        check_choice(self.method, "method", ("auto", "svd", "eigh"))
        if not isinstance(self.whiten, bool | np.bool_):
            raise TypeError(f"whiten must be a bool, got {type(self.whiten).__name__}")
        if self.n_components is None:
            return min(n, d)
        k = check_int(self.n_components, "n_components", minimum=1)
        if k > min(n, d):
            raise ValueError(f"n_components must be <= min(n_samples, n_features) = "
                             f"{min(n, d)}, got {k}")
        return k

    def fit(self, X: object, y: object = None) -> PCA:
        """Learn the mean and the principal components of ``X`` (n_samples, n_features)."""
        X = check_matrix(X, min_samples=2)
        n, d = X.shape
        k = self._validate_params(n, d)
        mean = X.mean(axis=0)
        method = self.method
        if method == "auto":
            method = "eigh" if n >= 10 * d and d <= 1000 else "svd"
        if method == "svd":
            Xc = X - mean
            S, Vt = np.linalg.svd(Xc, full_matrices=False, compute_uv=True)[1:]
            variances = S**2 / (n - 1)
            total = float(variances.sum())
        else:
            # C = X^T X - n mu mu^T, without a centred copy of X (as scikit-learn does)
            C = X.T @ X
            C -= n * np.outer(mean, mean)
            C /= n - 1
            eigenvalues, eigenvectors = np.linalg.eigh(C)
            eigenvalues = np.clip(eigenvalues[::-1], 0.0, None)
            Vt = eigenvectors[:, ::-1].T
            variances = eigenvalues
            S = np.sqrt(eigenvalues * (n - 1))
            total = float(np.trace(C))
        self.mean_ = mean
        self.components_ = sign_flip(Vt[:k])
        self.explained_variance_ = variances[:k].copy()
        self.explained_variance_ratio_ = (self.explained_variance_ / total if total > 0
                                          else np.zeros(k))
        self.singular_values_ = S[:k].copy()
        self.n_components_, self.n_features_in_, self.n_samples_ = k, d, n
        self.method_ = method
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "components_"):
            raise RuntimeError(f"this {type(self).__name__} is not fitted yet; call fit first")

    def _scale(self) -> np.ndarray:
        scale = np.sqrt(self.explained_variance_)
        eps = np.finfo(scale.dtype).eps
        return np.where(scale < eps, eps, scale)

    def transform(self, X: object) -> np.ndarray:
        """Coordinates :math:`(\\vec x - \\vec\\mu)^\\top \\vec u_j` of each row on the
        components (divided by :math:`\\sqrt{\\lambda_j}` if ``whiten``)."""
        self._check_fitted()
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X must have {self.n_features_in_} columns, got {X.shape[1]}")
        Z = X @ self.components_.T
        Z -= self.mean_ @ self.components_.T
        if self.whiten:
            Z /= self._scale()
        return Z

    def fit_transform(self, X: object, y: object = None) -> np.ndarray:
        """``fit(X).transform(X)``."""
        return self.fit(X).transform(X)

    def inverse_transform(self, Z: object) -> np.ndarray:
        """Map coordinates back: :math:`\\vec\\mu + \\sum_j z_j \\vec u_j` (times
        :math:`\\sqrt{\\lambda_j}` if ``whiten``): the best rank-``k`` reconstruction."""
        self._check_fitted()
        Z = as_float_array(Z, "Z", ndim=2)
        if Z.shape[1] != self.n_components_:
            raise ValueError(f"Z must have {self.n_components_} columns, got {Z.shape[1]}")
        if self.whiten:
            Z = Z * self._scale()
        return Z @ self.components_ + self.mean_


def whitening_matrix(cov: object, kind: str = "zca", epsilon: float = 0.0) -> np.ndarray:
    """The PCA or ZCA whitening matrix of a covariance matrix.

    With :math:`C = U\\Lambda U^\\top` (columns of :math:`U` signed by :func:`sign_flip`,
    eigenvalues decreasing):

    * ``kind="pca"``: :math:`W = (\\Lambda + \\epsilon I)^{-1/2} U^\\top`;
    * ``kind="zca"``: :math:`W = U(\\Lambda + \\epsilon I)^{-1/2} U^\\top
      = (C + \\epsilon I)^{-1/2}`, symmetric.

    For :math:`\\epsilon = 0` and :math:`C` positive definite, :math:`W C W^\\top = I`.

    Parameters
    ----------
    cov : array-like of shape (d, d)
        Symmetric positive semi-definite.
    kind : {"zca", "pca"}
    epsilon : float
        Regulariser :math:`\\ge 0` added to the eigenvalues; needed when some are 0.
    """
    C = as_float_array(cov, "cov", ndim=2)
    if C.shape[0] != C.shape[1]:
        raise ValueError(f"cov must be square, got shape {C.shape}")
    if not np.allclose(C, C.T, rtol=1e-10, atol=1e-12 * max(1.0, float(np.abs(C).max()))):
        raise ValueError("cov must be symmetric")
    kind = check_choice(kind, "kind", ("zca", "pca"))
    eps = check_scalar(epsilon, "epsilon", minimum=0)
    lam, U = np.linalg.eigh(C)
    lam, U = np.clip(lam[::-1], 0.0, None), sign_flip(U[:, ::-1].T).T
    if np.any(lam + eps <= 0):
        raise ValueError("cov is singular: use epsilon > 0 to whiten it")
    inv_sqrt = 1.0 / np.sqrt(lam + eps)
    W_pca = inv_sqrt[:, None] * U.T
    return W_pca if kind == "pca" else U @ W_pca


class ZCAWhitening:
    """ZCA (zero-phase, Mahalanobis) whitening, Todo of section 3.3.2.

    :math:`\\vec x \\mapsto (C+\\epsilon I)^{-1/2}(\\vec x - \\vec\\mu)`.

    Parameters
    ----------
    epsilon : float
        Regulariser added to the eigenvalues of the covariance (``>= 0``). With 0 the
        whitened training data have covariance exactly :math:`I` (if :math:`C` is
        invertible); a small positive value damps the directions of tiny variance
        (mostly noise) instead of blowing them up.

    Attributes
    ----------
    mean_ : ndarray of shape (d,)
    covariance_ : ndarray of shape (d, d)
        Unbiased covariance :math:`X_c^\\top X_c/(n-1)`.
    whitening_ : ndarray of shape (d, d)
        :math:`W_{ZCA} = U(\\Lambda+\\epsilon I)^{-1/2}U^\\top`, symmetric.
    dewhitening_ : ndarray of shape (d, d)
        :math:`U(\\Lambda+\\epsilon I)^{1/2}U^\\top`, its inverse.
    """

    def __init__(self, epsilon: float = 1e-5) -> None:
        self.epsilon = epsilon

    def fit(self, X: object, y: object = None) -> ZCAWhitening:
        """Learn the mean, the covariance and the whitening matrix of ``X``."""
        X = check_matrix(X, min_samples=2)
        eps = check_scalar(self.epsilon, "epsilon", minimum=0)
        n = X.shape[0]
        self.mean_ = X.mean(axis=0)
        Xc = X - self.mean_
        self.covariance_ = Xc.T @ Xc / (n - 1)
        lam, U = np.linalg.eigh(self.covariance_)
        lam = np.clip(lam, 0.0, None)
        if np.any(lam + eps <= 0):
            raise ValueError("X has a covariance with zero eigenvalues: use epsilon > 0")
        root = np.sqrt(lam + eps)
        self.whitening_ = (U / root) @ U.T
        self.dewhitening_ = (U * root) @ U.T
        self.n_features_in_ = X.shape[1]
        return self

    def _check_fitted(self, X: object, name: str) -> np.ndarray:
        if not hasattr(self, "whitening_"):
            raise RuntimeError("this ZCAWhitening is not fitted yet; call fit first")
        X = as_float_array(X, name, ndim=2)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"{name} must have {self.n_features_in_} columns, got {X.shape[1]}")
        return X

    def transform(self, X: object) -> np.ndarray:
        """:math:`W_{ZCA}(\\vec x - \\vec\\mu)` for each row (``W`` is symmetric)."""
        X = self._check_fitted(X, "X")
        return (X - self.mean_) @ self.whitening_

    def fit_transform(self, X: object, y: object = None) -> np.ndarray:
        """``fit(X).transform(X)``."""
        return self.fit(X).transform(X)

    def inverse_transform(self, Z: object) -> np.ndarray:
        """Undo :meth:`transform`."""
        Z = self._check_fitted(Z, "Z")
        return Z @ self.dewhitening_ + self.mean_


def zca_whiten(X: object, epsilon: float = 1e-5) -> np.ndarray:
    """ZCA-whitened copy of ``X``: :math:`(C+\\epsilon I)^{-1/2}(\\vec x - \\vec\\mu)` per row."""
    return ZCAWhitening(epsilon=epsilon).fit_transform(X)


def pca_whiten(X: object, epsilon: float = 1e-5) -> np.ndarray:
    """PCA-whitened copy of ``X``: :math:`(\\Lambda+\\epsilon I)^{-1/2}U^\\top(\\vec x - \\vec\\mu)`
    per row, all ``d`` components kept (signs as in :func:`sign_flip`)."""
    X = check_matrix(X, min_samples=2)
    eps = check_scalar(epsilon, "epsilon", minimum=0)
    Xc = X - X.mean(axis=0)
    W = whitening_matrix(Xc.T @ Xc / (X.shape[0] - 1), "pca", eps)
    return Xc @ W.T

