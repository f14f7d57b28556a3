"""Gaussian mixtures and EM (section 2.9), cross-checked with scikit-learn and scipy."""

import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.stats import multivariate_normal
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from notes_lib.mixture import (
    ConvergenceWarning,
    GaussianMixture,
    e_step,
    initial_parameters,
    log_gaussian_pdf,
    m_step,
)


def _spd(rng, d):
    A = rng.normal(size=(d, d))
    return A @ A.T + 0.3 * np.eye(d)


def _blobs(rng, n_per=60, d=2, k=3, spread=4.0):
    centres = rng.normal(scale=spread, size=(k, d))
    X = np.concatenate([rng.multivariate_normal(c, _spd(rng, d) / 2, size=n_per)
                        for c in centres])
    return X, centres


def _init(rng, X, k):
    d = X.shape[1]
    means = X[rng.choice(X.shape[0], k, replace=False)]
    covariances = np.stack([_spd(rng, d) for _ in range(k)])
    weights = rng.dirichlet(np.full(k, 3.0))
    return weights, means, covariances


def _pair(X, weights, means, covariances, max_iter, tol, reg_covar=1e-6):
    ours = GaussianMixture(len(weights), max_iter=max_iter, tol=tol, reg_covar=reg_covar,
                           init={"weights": weights, "means": means,
                                 "covariances": covariances})
    sk = SkGaussianMixture(len(weights), covariance_type="full", max_iter=max_iter, tol=tol,
                           reg_covar=reg_covar, weights_init=weights, means_init=means,
                           precisions_init=np.linalg.inv(covariances), random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours.fit(X)
        sk.fit(X)
    return ours, sk


def _assert_same(ours, sk, rtol=1e-7, atol=1e-9):
    np.testing.assert_allclose(ours.weights_, sk.weights_, rtol=rtol, atol=atol)
    np.testing.assert_allclose(ours.means_, sk.means_, rtol=rtol, atol=atol)
    np.testing.assert_allclose(ours.covariances_, sk.covariances_, rtol=rtol, atol=atol)
    np.testing.assert_allclose(ours.lower_bound_, sk.lower_bound_, rtol=1e-10)
    np.testing.assert_allclose(ours.log_likelihood_history_, sk.lower_bounds_, rtol=1e-10)
    assert ours.n_iter_ == sk.n_iter_


# ----------------------------------------------------------------- log_gaussian_pdf
@pytest.mark.parametrize("d,k", [(1, 1), (1, 3), (2, 3), (4, 2)])
def test_log_gaussian_pdf_matches_scipy(d, k):
    rng = np.random.default_rng(d * 10 + k)
    X = rng.normal(size=(50, d))
    means = rng.normal(size=(k, d))
    covs = np.stack([_spd(rng, d) for _ in range(k)])
    out = log_gaussian_pdf(X, means, covs)
    assert out.shape == (50, k)
    expected = np.column_stack([multivariate_normal(means[j], covs[j]).logpdf(X).reshape(-1)
                                for j in range(k)])
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)
    single = log_gaussian_pdf(X, means[0], covs[0])
    assert single.shape == (50,)
    np.testing.assert_allclose(single, expected[:, 0], rtol=1e-12, atol=1e-12)


def test_log_gaussian_pdf_bad_input():
    X = np.zeros((3, 2))
    with pytest.raises(ValueError, match="covariances must be symmetric positive definite"):
        log_gaussian_pdf(X, np.zeros((1, 2)), np.zeros((1, 2, 2)))
    with pytest.raises(ValueError, match="covariances must be symmetric"):
        log_gaussian_pdf(X, np.zeros((1, 2)), np.array([[[1.0, 0.5], [0.0, 1.0]]]))
    with pytest.raises(ValueError, match="means must have 2 columns"):
        log_gaussian_pdf(X, np.zeros((1, 3)), np.eye(3)[None])
    with pytest.raises(ValueError, match="covariances must have shape"):
        log_gaussian_pdf(X, np.zeros((2, 2)), np.eye(2)[None])
    with pytest.raises(ValueError, match="X must contain only finite"):
        log_gaussian_pdf([[np.nan, 0.0]], np.zeros((1, 2)), np.eye(2)[None])


# ----------------------------------------------------------------- e_step, m_step
def test_e_step_is_bayes_rule_with_scipy_densities():
    rng = np.random.default_rng(1)
    X, _ = _blobs(rng, n_per=20)
    weights, means, covs = _init(rng, X, 3)
    log_prob, log_resp = e_step(X, weights, means, covs)
    joint = np.column_stack([weights[j] * multivariate_normal(means[j], covs[j]).pdf(X)
                             for j in range(3)])
    np.testing.assert_allclose(np.exp(log_prob), joint.sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(np.exp(log_resp), joint / joint.sum(axis=1, keepdims=True),
                               rtol=1e-10, atol=1e-14)


def test_m_step_with_known_labels_is_the_complete_data_mle():
    # Eq. (2.70) with one-hot responsibilities: frequencies, class means, biased covariances
    rng = np.random.default_rng(2)
    X = rng.normal(size=(40, 3))
    z = np.repeat([0, 1, 2, 1], 10)
    resp = np.eye(3)[z]
    weights, means, covs = m_step(X, resp, reg_covar=0.0)
    for j in range(3):
        np.testing.assert_allclose(weights[j], np.mean(z == j), rtol=1e-12)
        np.testing.assert_allclose(means[j], X[z == j].mean(axis=0), rtol=1e-12)
        np.testing.assert_allclose(covs[j], np.cov(X[z == j], rowvar=False, bias=True),
                                   rtol=1e-10, atol=1e-14)
    _, _, covs_reg = m_step(X, resp, reg_covar=0.5)
    np.testing.assert_allclose(covs_reg - covs, np.broadcast_to(0.5 * np.eye(3), covs.shape),
                               atol=1e-13)


def test_e_step_m_step_bad_input():
    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match="resp must have shape"):
        m_step(X, np.ones((3, 1)))
    with pytest.raises(ValueError, match="resp must be non-negative"):
        m_step(X, np.full((4, 2), 0.7))
    with pytest.raises(ValueError, match="reg_covar must be >= 0"):
        m_step(X, np.full((4, 2), 0.5), reg_covar=-1e-3)
    with pytest.raises(ValueError, match="weights must be non-negative and sum to 1"):
        e_step(X, [0.5, 0.6], np.zeros((2, 2)), np.stack([np.eye(2)] * 2))
    with pytest.raises(ValueError, match="weights must have shape"):
        e_step(X, [1.0], np.zeros((2, 2)), np.stack([np.eye(2)] * 2))


# ----------------------------------------------------------------- EM vs scikit-learn
@pytest.mark.parametrize("max_iter", [1, 2, 5, 12])
def test_fixed_number_of_iterations_matches_sklearn(max_iter):
    rng = np.random.default_rng(3)
    X, _ = _blobs(rng)
    ours, sk = _pair(X, *_init(rng, X, 3), max_iter=max_iter, tol=0.0)
    assert ours.n_iter_ == max_iter and not ours.converged_
    _assert_same(ours, sk)


@pytest.mark.parametrize("seed,d,k", [(4, 2, 3), (5, 1, 2), (6, 3, 4)])
def test_convergence_matches_sklearn(seed, d, k):
    rng = np.random.default_rng(seed)
    X, _ = _blobs(rng, d=d, k=k)
    ours, sk = _pair(X, *_init(rng, X, k), max_iter=1000, tol=1e-7, reg_covar=1e-4)
    assert ours.converged_ and sk.converged_
    _assert_same(ours, sk, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(ours.score_samples(X), sk.score_samples(X), rtol=1e-9)
    np.testing.assert_allclose(ours.predict_proba(X), sk.predict_proba(X), atol=1e-8)
    assert np.array_equal(ours.predict(X), sk.predict(X))
    np.testing.assert_allclose(ours.score(X), sk.score(X), rtol=1e-10)


def test_score_samples_is_the_log_of_the_mixture_density():
    rng = np.random.default_rng(7)
    X, _ = _blobs(rng, n_per=30)
    gm = GaussianMixture(3, rng=0).fit(X)
    density = sum(gm.weights_[j] * multivariate_normal(gm.means_[j], gm.covariances_[j]).pdf(X)
                  for j in range(3))
    np.testing.assert_allclose(gm.score_samples(X), np.log(density), rtol=1e-12)
    assert gm.score(X) >= gm.lower_bound_ - 1e-12
    np.testing.assert_allclose(gm.predict_proba(X).sum(axis=1), 1.0)


def test_kmeanspp_and_random_init_recover_separated_clusters():
    rng = np.random.default_rng(8)
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    X = np.concatenate([rng.normal(c, 1.0, size=(200, 2)) for c in centres])
    for init in ("kmeans++", "random"):
        gm = GaussianMixture(3, init=init, rng=np.random.default_rng(0), max_iter=500).fit(X)
        order = np.argsort(gm.means_ @ np.array([1.0, 3.0]))
        np.testing.assert_allclose(gm.means_[order], centres, atol=0.3)
        np.testing.assert_allclose(gm.weights_, 1 / 3, atol=0.02)
        np.testing.assert_allclose(gm.covariances_[order], np.broadcast_to(np.eye(2), (3, 2, 2)),
                                   atol=0.25)
    a = GaussianMixture(3, rng=5).fit(X)
    b = GaussianMixture(3, rng=5).fit(X)
    np.testing.assert_array_equal(a.means_, b.means_)


@settings(max_examples=15)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 3), d=st.integers(1, 3))
def test_log_likelihood_never_decreases(seed, k, d):
    # exact EM (reg_covar = 0): each iteration maximises the ELBO, so ln L cannot drop.
    # (With a covariance floor the M-step is no longer the maximiser and tiny drops of the
    # order of reg_covar can occur.)
    rng = np.random.default_rng(seed)
    X = rng.standard_t(df=3, size=(150, d)) + rng.integers(0, 3, size=(150, 1)) * 3.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            gm = GaussianMixture(k, max_iter=30, tol=0.0, reg_covar=0.0, init="random",
                                 rng=seed).fit(X)
        except ValueError as exc:            # a component collapsed: no covariance floor
            assert "positive definite" in str(exc)
            assume(False)
    h = gm.log_likelihood_history_
    assert np.all(np.isfinite(h))
    assert np.all(np.diff(h) >= -1e-9 * np.maximum(1.0, np.abs(h[1:])))
    assert gm.score(X) >= h[-1] - 1e-9


def test_degenerate_duplicated_points_stay_finite():
    # 3 distinct points repeated: a component collapses on a point, its covariance
    # is held at reg_covar * I and everything stays finite
    X = np.repeat([[0.0, 0.0], [1.0, 1.0], [3.0, -1.0]], 20, axis=0)
    for k, init in ((3, "kmeans++"), (4, "random"), (2, "kmeans++")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            gm = GaussianMixture(k, init=init, rng=0, reg_covar=1e-6, max_iter=200).fit(X)
        for value in (gm.weights_, gm.means_, gm.covariances_, gm.log_likelihood_history_,
                      gm.score_samples(X), gm.predict_proba(X)):
            assert np.all(np.isfinite(value))
        assert np.all(np.linalg.eigvalsh(gm.covariances_) >= 1e-6 * (1 - 1e-6))
    # all points identical
    gm = GaussianMixture(2, rng=0).fit(np.ones((10, 2)))
    assert np.all(np.isfinite(gm.covariances_)) and np.isfinite(gm.lower_bound_)
    # an empty component (initial mean far from every point) gets a finite mean
    _, means, covs = m_step(X, np.column_stack([np.ones(60), np.zeros(60)]), 1e-6)
    assert np.all(np.isfinite(means)) and np.allclose(covs[1], 1e-6 * np.eye(2))


def test_convergence_warning_at_max_iter():
    X, _ = _blobs(np.random.default_rng(9))
    with pytest.warns(ConvergenceWarning, match="max_iter = 2"):
        gm = GaussianMixture(3, max_iter=2, tol=0.0, rng=0).fit(X)
    assert gm.n_iter_ == 2 and not gm.converged_


def test_estimator_bad_input():
    X = np.random.default_rng(0).normal(size=(5, 2))
    with pytest.raises(ValueError, match="n_components = 6 must be <= the number of samples"):
        GaussianMixture(6).fit(X)
    with pytest.raises(ValueError, match="X must contain only finite"):
        GaussianMixture(2).fit(np.where(np.eye(5, 2) == 1, np.nan, X))
    with pytest.raises(ValueError, match="reg_covar must be >= 0"):
        GaussianMixture(2, reg_covar=-1e-6).fit(X)
    with pytest.raises(ValueError, match="n_components must be >= 1"):
        GaussianMixture(0).fit(X)
    with pytest.raises(TypeError, match="n_components must be an integer"):
        GaussianMixture(2.5).fit(X)
    with pytest.raises(ValueError, match="max_iter must be >= 1"):
        GaussianMixture(2, max_iter=0).fit(X)
    with pytest.raises(ValueError, match="tol must be >= 0"):
        GaussianMixture(2, tol=-1.0).fit(X)
    with pytest.raises(ValueError, match="init must be 'kmeans\\+\\+', 'random'"):
        GaussianMixture(2, init="kmeans").fit(X)
    with pytest.raises(ValueError, match="init\\['means'\\] must have n_components = 2"):
        GaussianMixture(2, init={"means": np.zeros((3, 2))}).fit(X)
    with pytest.raises(ValueError, match="init has unknown keys"):
        GaussianMixture(2, init={"means": np.zeros((2, 2)), "precisions": 1}).fit(X)
    with pytest.raises(TypeError, match="rng must be a numpy Generator"):
        GaussianMixture(2, rng="seed").fit(X)
    with pytest.raises(ValueError, match="X must be 2-dimensional"):
        GaussianMixture(1).fit(np.zeros(5))
    with pytest.raises(ValueError, match="not fitted"):
        GaussianMixture(2).predict(X)
    gm = GaussianMixture(2, rng=0).fit(X)
    with pytest.raises(ValueError, match="X must have 2 features"):
        gm.predict(np.zeros((3, 3)))


def test_initial_parameters_is_the_estimators_start():
    X, _ = _blobs(np.random.default_rng(10))
    weights, means, covs = initial_parameters(X, 3, "kmeans++", rng=4)
    a = GaussianMixture(3, rng=4, max_iter=7, tol=0.0)
    b = GaussianMixture(3, max_iter=7, tol=0.0,
                        init={"weights": weights, "means": means, "covariances": covs})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        a.fit(X)
        b.fit(X)
    np.testing.assert_array_equal(a.means_, b.means_)
    with pytest.raises(ValueError, match="n_components = 9 must be <="):
        initial_parameters(X[:5], 9)
