"""notes_lib.pca against scikit-learn's PCA, and the whitening identities."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.decomposition import PCA as SkPCA

from notes_lib.pca import PCA, ZCAWhitening, pca_whiten, sign_flip, whitening_matrix, zca_whiten


def data(seed, n=200, d=5):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) + rng.normal(size=d)


def same_up_to_sign(A, B, **tol):
    """Rows of A equal rows of B up to one sign per row."""
    signs = np.sign(np.sum(A * B, axis=1))
    np.testing.assert_allclose(A * signs[:, None], B, **tol)


@pytest.mark.parametrize("method", ["svd", "eigh"])
@pytest.mark.parametrize("seed, n, d, k", [(0, 200, 5, None), (1, 50, 8, 3), (2, 6, 10, 5),
                                           (3, 300, 2, 1)])
def test_matches_sklearn(method, seed, n, d, k):
    # with n <= d only n - 1 components have non-zero variance (the others are arbitrary)
    X = data(seed, n, d)
    ours = PCA(n_components=k, method=method).fit(X)
    ref = SkPCA(n_components=k, svd_solver="full").fit(X)
    same_up_to_sign(ours.components_, ref.components_, atol=1e-8)
    np.testing.assert_allclose(ours.explained_variance_, ref.explained_variance_,
                               rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(ours.explained_variance_ratio_, ref.explained_variance_ratio_,
                               rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.singular_values_, ref.singular_values_, rtol=1e-9,
                               atol=1e-9)
    np.testing.assert_allclose(ours.mean_, ref.mean_, atol=1e-12)
    signs = np.sign(np.sum(ours.components_ * ref.components_, axis=1))
    X_new = data(seed + 100, 7, d)
    np.testing.assert_allclose(ours.transform(X_new) * signs, ref.transform(X_new), atol=1e-8)
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(X_new)),
                               ref.inverse_transform(ref.transform(X_new)), atol=1e-8)


def test_sign_convention_is_sklearns():
    # scikit-learn >= 1.5 flips each component so that its largest |entry| is positive
    X = data(4, 100, 6)
    ours = PCA().fit(X)
    np.testing.assert_allclose(ours.components_, SkPCA(svd_solver="full").fit(X).components_,
                               atol=1e-8)
    rows = np.arange(ours.components_.shape[0])
    assert np.all(ours.components_[rows, np.argmax(np.abs(ours.components_), axis=1)] > 0)


@pytest.mark.parametrize("seed", range(3))
def test_whiten_matches_sklearn_and_gives_identity_covariance(seed):
    X = data(seed, 150, 4)
    ours = PCA(whiten=True).fit(X)
    ref = SkPCA(whiten=True, svd_solver="full").fit(X)
    Z = ours.transform(X)
    signs = np.sign(np.sum(ours.components_ * ref.components_, axis=1))
    np.testing.assert_allclose(Z * signs, ref.transform(X), atol=1e-8)
    np.testing.assert_allclose(np.cov(Z, rowvar=False), np.eye(4), atol=1e-10)
    np.testing.assert_allclose(ours.inverse_transform(Z), X, atol=1e-8)


@pytest.mark.parametrize("seed", range(4))
def test_eigh_and_svd_methods_agree(seed):
    X = data(seed, 120, 6)
    a = PCA(method="svd").fit(X)
    b = PCA(method="eigh").fit(X)
    np.testing.assert_allclose(a.components_, b.components_, atol=1e-8)
    np.testing.assert_allclose(a.explained_variance_, b.explained_variance_, rtol=1e-9)
    np.testing.assert_allclose(a.transform(X), b.transform(X), atol=1e-8)


def test_components_are_eigenvectors_eq_2_74_2_75():
    X = data(5, 80, 4)
    p = PCA().fit(X)
    C = np.cov(X, rowvar=False)  # independent covariance (numpy, ddof=1)
    for u, lam in zip(p.components_, p.explained_variance_, strict=True):
        np.testing.assert_allclose(C @ u, lam * u, atol=1e-10)  # Eq. (2.74)
        np.testing.assert_allclose(u @ C @ u, lam, rtol=1e-12)  # Eq. (2.75)
    np.testing.assert_allclose(p.components_ @ p.components_.T, np.eye(4), atol=1e-12)


def test_fit_transform_and_full_reconstruction():
    X = data(6, 40, 3)
    p = PCA()
    Z = p.fit_transform(X)
    np.testing.assert_allclose(Z, p.transform(X))
    np.testing.assert_allclose(p.inverse_transform(Z), X, atol=1e-10)


@given(st.integers(0, 10_000), st.sampled_from([2, 3, 5]))
def test_zca_is_symmetric_whitening_closest_to_the_data(seed, d):
    rng = np.random.default_rng(seed)
    mixing = np.linalg.qr(rng.normal(size=(d, d)))[0] * rng.uniform(0.3, 3.0, size=d)
    X = rng.normal(size=(60, d)) @ mixing  # well-conditioned covariance
    Xc = X - X.mean(axis=0)
    C = np.cov(X, rowvar=False)
    W = whitening_matrix(C, "zca")
    np.testing.assert_allclose(W, W.T, atol=1e-9 * np.abs(W).max())
    np.testing.assert_allclose(W @ C @ W.T, np.eye(d), atol=1e-7)
    Z = zca_whiten(X, epsilon=0.0)
    np.testing.assert_allclose(np.cov(Z, rowvar=False), np.eye(d), atol=1e-7)
    best = np.sum((Z - Xc) ** 2)
    # every other whitening is Q W with Q orthogonal: random rotations/reflections move further
    for _ in range(20):
        Q, R = np.linalg.qr(rng.normal(size=(d, d)))
        Q = Q * np.sign(np.diag(R))
        np.testing.assert_allclose((Q @ W) @ C @ (Q @ W).T, np.eye(d), atol=1e-7)
        assert np.sum((Z @ Q.T - Xc) ** 2) >= best - 1e-9 * best
    # and PCA whitening (Q = U^T) is one of them
    P = pca_whiten(X, epsilon=0.0)
    np.testing.assert_allclose(np.cov(P, rowvar=False), np.eye(d), atol=1e-7)
    assert np.sum((P - Xc) ** 2) >= best - 1e-9 * best


def test_zca_matches_inverse_square_root_from_scipy():
    from scipy.linalg import sqrtm

    X = data(7, 100, 4)
    C = np.cov(X, rowvar=False)
    z = ZCAWhitening(epsilon=0.1).fit(X)
    np.testing.assert_allclose(z.whitening_, np.linalg.inv(sqrtm(C + 0.1 * np.eye(4)).real),
                               atol=1e-10)
    np.testing.assert_allclose(z.inverse_transform(z.transform(X)), X, atol=1e-9)
    W_pca = whitening_matrix(C, "pca", 0.1)
    np.testing.assert_allclose(W_pca.T @ W_pca, z.whitening_ @ z.whitening_, atol=1e-10)


def test_sign_flip():
    np.testing.assert_allclose(sign_flip([[0.6, -0.8], [-0.8, -0.6]]),
                               [[-0.6, 0.8], [0.8, 0.6]])


def test_bad_input():
    X = data(0, 10, 3)
    with pytest.raises(ValueError, match="n_components"):
        PCA(n_components=4).fit(X)
    with pytest.raises(ValueError, match="n_components"):
        PCA(n_components=11).fit(data(0, 10, 12))
    with pytest.raises(ValueError, match="n_components"):
        PCA(n_components=0).fit(X)
    with pytest.raises(TypeError, match="n_components"):
        PCA(n_components=1.5).fit(X)
    with pytest.raises(ValueError, match="method"):
        PCA(method="qr").fit(X)
    with pytest.raises(TypeError, match="whiten"):
        PCA(whiten="yes").fit(X)
    Xnan = X.copy()
    Xnan[2, 1] = np.nan
    for est in (PCA(), ZCAWhitening()):
        with pytest.raises(ValueError, match="X"):
            est.fit(Xnan)
        with pytest.raises(ValueError, match="at least 2 samples"):
            est.fit(X[:1])
        with pytest.raises(ValueError, match="X must be 2-dimensional"):
            est.fit(X[0])
    with pytest.raises(RuntimeError, match="not fitted"):
        PCA().transform(X)
    p = PCA(n_components=2).fit(X)
    with pytest.raises(ValueError, match="X must have 3 columns"):
        p.transform(X[:, :2])
    with pytest.raises(ValueError, match="Z must have 2 columns"):
        p.inverse_transform(X)
    with pytest.raises(ValueError, match="epsilon"):
        ZCAWhitening(epsilon=-1.0).fit(X)
    with pytest.raises(ValueError, match="epsilon > 0"):
        zca_whiten(np.column_stack([X, X[:, 0]]), epsilon=0.0)  # singular covariance
    with pytest.raises(ValueError, match="cov must be square"):
        whitening_matrix(np.ones((2, 3)))
    with pytest.raises(ValueError, match="kind"):
        whitening_matrix(np.eye(2), kind="cholesky")
    with pytest.raises(ValueError, match="cov must be symmetric"):
        whitening_matrix([[1.0, 0.5], [0.0, 1.0]])
