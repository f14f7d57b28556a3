"""notes_lib.probability against independent references: scipy.stats for every
pmf/pdf, cdf and moment, scipy.integrate for the Beta-Bernoulli posterior, NumPy and
the standard library's ``statistics`` for the sample estimators, and seeded samples
held to tolerances derived from the central limit theorem and the DKW inequality."""

import math
import statistics

import numpy as np
import pytest
import scipy.integrate
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from notes_lib import probability as P

EPS = np.finfo(np.float64).eps
# Relative agreement demanded of closed forms evaluated in double precision. The
# log-space pmfs (log-factorials summed term by term, lgamma) lose a few hundred ulps
# at most, so this leaves two orders of magnitude of slack and still catches any
# wrong formula, sign or off-by-one.
RTOL = 1e-10
Z = 5.0  # samples must lie within Z standard errors: a 5-sigma event has p ~ 6e-7
DKW_ALPHA = 1e-6  # the DKW band below is exceeded with probability at most this


def reference(dist):
    """The scipy.stats frozen distribution with the same parameters as ``dist``."""
    if isinstance(dist, P.Bernoulli):
        return scipy.stats.bernoulli(dist.p)
    if isinstance(dist, P.Binomial):
        return scipy.stats.binom(dist.n, dist.p)
    if isinstance(dist, P.Poisson):
        return scipy.stats.poisson(dist.lam)
    if isinstance(dist, P.Uniform):
        return scipy.stats.uniform(loc=dist.a, scale=dist.b - dist.a)
    if isinstance(dist, P.Normal):
        return scipy.stats.norm(loc=dist.mu, scale=dist.sigma)
    if isinstance(dist, P.Exponential):
        return scipy.stats.expon(scale=1.0 / dist.lam)
    if isinstance(dist, P.Beta):
        return scipy.stats.beta(dist.a, dist.b)
    raise AssertionError(dist)


BERNOULLI = [P.Bernoulli(p) for p in (0.0, 0.05, 0.3, 0.5, 0.99, 1.0)]
BINOMIAL = [P.Binomial(n, p) for n in (1, 2, 10, 300) for p in (0.0, 0.01, 0.3, 0.5, 1.0)]
POISSON = [P.Poisson(lam) for lam in (1e-3, 0.2, 1.0, 3.5, 30.0, 500.0)]
UNIFORM = [P.Uniform(a, b) for a, b in ((0.0, 1.0), (-2.0, 3.0), (1e-3, 2e-3), (-1e3, 1e3))]
NORMAL = [P.Normal(mu, s) for mu, s in ((0.0, 1.0), (3.0, 0.01), (-2.0, 5.0), (1e3, 1e2))]
EXPONENTIAL = [P.Exponential(lam) for lam in (1e-3, 0.5, 1.0, 7.0, 1e3)]
BETA = [P.Beta(a, b) for a, b in ((0.1, 0.1), (0.5, 0.5), (0.5, 3.0), (1.0, 1.0), (1.0, 4.0),
                                  (3.0, 1.0), (2.0, 5.0), (50.0, 70.0), (300.0, 200.0),
                                  (0.9, 1e3))]
DISCRETE = BERNOULLI + BINOMIAL + POISSON
CONTINUOUS = UNIFORM + NORMAL + EXPONENTIAL + BETA
ALL = DISCRETE + CONTINUOUS


def _id(dist):
    return repr(dist)


def discrete_points(dist):
    """Integers around the support, the half-integers between them, and far points."""
    if isinstance(dist, P.Poisson):
        top = int(dist.lam + 12 * math.sqrt(dist.lam) + 12)
    else:
        top = dist.n if isinstance(dist, P.Binomial) else 1
    k = np.arange(-3, top + 4, dtype=float)
    return np.concatenate([k, k + 0.5, k - 0.25, [-1e300, 1e300]])


def continuous_points(dist):
    """A grid well beyond the support on both sides, with the endpoints themselves."""
    ends = [v for v in reference(dist).support() if np.isfinite(v)]
    lo, hi = reference(dist).support()
    lo = lo if np.isfinite(lo) else dist.mean() - 9 * dist.std()
    hi = hi if np.isfinite(hi) else dist.mean() + 9 * dist.std()
    span = hi - lo
    return np.concatenate([np.linspace(lo - 0.5 * span, hi + 0.5 * span, 301), ends])


# ---------------------------------------------------------------- pmf, pdf, cdf, moments


@pytest.mark.parametrize("dist", DISCRETE, ids=_id)
def test_pmf_matches_scipy_including_off_support_and_non_integer_points(dist):
    x = discrete_points(dist)
    np.testing.assert_allclose(dist.pmf(x), reference(dist).pmf(x), rtol=RTOL, atol=0)
    # a discrete variable puts no mass at +-inf or between the integers
    assert dist.pmf([-np.inf, np.inf]).tolist() == [0.0, 0.0]
    assert np.all(dist.pmf(np.arange(-3, 10) + 0.5) == 0.0)


@pytest.mark.parametrize("dist", CONTINUOUS, ids=_id)
def test_pdf_matches_scipy_including_off_support_points(dist):
    x = continuous_points(dist)
    expected = reference(dist).pdf(x)
    got = dist.pdf(x)
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=0)
    assert dist.pdf([-np.inf, np.inf]).tolist() == [0.0, 0.0]


@pytest.mark.parametrize("dist", ALL, ids=_id)
def test_cdf_matches_scipy_including_infinities(dist):
    x = discrete_points(dist) if dist.discrete else continuous_points(dist)
    x = np.concatenate([x, [-np.inf, np.inf]])
    # relative agreement everywhere, in the lower tail too, where cdf values are tiny
    np.testing.assert_allclose(dist.cdf(x), reference(dist).cdf(x), rtol=RTOL, atol=0)
    assert dist.cdf([-np.inf, np.inf]).tolist() == [0.0, 1.0]


@pytest.mark.parametrize("dist", ALL, ids=_id)
def test_mean_var_std_match_scipy(dist):
    ref = reference(dist)
    assert dist.mean() == pytest.approx(ref.mean(), rel=1e-12, abs=1e-300)
    assert dist.var() == pytest.approx(ref.var(), rel=1e-12, abs=1e-300)
    assert dist.std() == pytest.approx(ref.std(), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("dist", [BERNOULLI[2], BINOMIAL[7], POISSON[3], UNIFORM[1], NORMAL[0],
                                  EXPONENTIAL[1], BETA[6]], ids=_id)
def test_density_is_pmf_or_pdf(dist):
    x = np.array([-1.0, 0.0, 0.5, 1.0, 2.0])
    expected = reference(dist).pmf(x) if dist.discrete else reference(dist).pdf(x)
    np.testing.assert_allclose(dist.density(x), expected, rtol=RTOL, atol=0)


def test_methods_accept_scalars_lists_and_keep_shape():
    for dist in (P.Bernoulli(0.3), P.Binomial(4, 0.3), P.Poisson(2.0), P.Uniform(0, 1),
                 P.Normal(0, 1), P.Exponential(1.0), P.Beta(2, 3)):
        assert dist.cdf(0.5).shape == ()
        assert dist.density(0.5).shape == ()
        grid = np.linspace(-1, 3, 12).reshape(3, 4)
        assert dist.cdf(grid).shape == (3, 4)
        assert dist.density(grid).shape == (3, 4)
        ref = reference(dist)
        assert float(dist.cdf(0.5)) == pytest.approx(ref.cdf(0.5), rel=RTOL)
        np.testing.assert_allclose(dist.cdf(grid.tolist()), ref.cdf(grid), rtol=RTOL, atol=1e-15)


@pytest.mark.parametrize("lam", [0.5, 3.0, 40.0])
def test_poisson_far_points_neither_crash_nor_allocate(lam):
    # integer-valued floats far beyond the support: pmf 0, cdf 1, as in scipy
    far = np.array([1e13, 1e20, 1e300, 1e307, np.finfo(np.float64).max])
    dist = P.Poisson(lam)
    np.testing.assert_array_equal(dist.pmf(far[:3]), scipy.stats.poisson(lam).pmf(far[:3]))
    np.testing.assert_array_equal(dist.pmf(far), 0.0)  # scipy itself gives NaN at the top
    np.testing.assert_allclose(dist.cdf(far), 1.0, rtol=0, atol=4 * EPS)


@pytest.mark.parametrize("lam", [0.5, 30.0, 150.0, 500.0])
def test_poisson_pmf_matches_scipy_far_into_the_upper_tail(lam):
    # down to where the pmf underflows (values below 1e-300 lose bits as subnormals)
    k = np.arange(0, int(8 * lam) + 1000)
    np.testing.assert_allclose(P.Poisson(lam).pmf(k), scipy.stats.poisson(lam).pmf(k),
                               rtol=RTOL, atol=1e-300)


def test_normal_cdf_keeps_relative_accuracy_deep_in_the_lower_tail():
    z = -np.array([5.0, 9.0, 15.0, 30.0])
    np.testing.assert_allclose(P.Normal(0.0, 1.0).cdf(z), scipy.stats.norm.cdf(z),
                               rtol=RTOL, atol=0)


@pytest.mark.parametrize("dist", CONTINUOUS, ids=_id)
def test_pdf_integrates_to_one_and_to_the_cdf(dist):
    lo, hi = reference(dist).support()
    lo = lo if np.isfinite(lo) else dist.mean() - 40 * dist.std()
    hi = hi if np.isfinite(hi) else dist.mean() + 40 * dist.std()
    mid = 0.5 * (lo + hi) if not isinstance(dist, P.Exponential) else 1.0 / dist.lam
    pdf = lambda v: float(dist.pdf(v))  # noqa: E731
    total, err = scipy.integrate.quad(pdf, lo, hi, points=[mid], limit=200)
    assert total == pytest.approx(1.0, abs=max(1e-8, 10 * err))
    part, err = scipy.integrate.quad(pdf, lo, mid, limit=200)
    assert float(dist.cdf(mid)) == pytest.approx(part, abs=max(1e-8, 10 * err))


# ---------------------------------------------------------------- sampling


SAMPLED = [P.Bernoulli(0.0), P.Bernoulli(0.3), P.Bernoulli(1.0), P.Binomial(12, 0.25),
           P.Binomial(300, 0.9), P.Poisson(1e-3), P.Poisson(4.0), P.Poisson(250.0),
           P.Uniform(-2.0, 5.0), P.Normal(3.0, 0.5), P.Exponential(0.2), P.Exponential(50.0),
           P.Beta(0.3, 0.6), P.Beta(1.0, 1.0), P.Beta(40.0, 15.0)]
N = 20_000


@pytest.mark.parametrize("dist", SAMPLED, ids=_id)
def test_sample_moments_agree_with_formulas_within_clt_error(dist):
    ref = reference(dist)
    x = dist.sample(N, np.random.default_rng(12345))
    assert x.shape == (N,)
    mu, var = ref.mean(), ref.var()
    if var == 0:  # degenerate Bernoulli: every draw is the mean
        assert np.all(x == mu)
        return
    sigma = math.sqrt(var)
    assert abs(x.mean() - mu) <= Z * sigma / math.sqrt(N)
    # Var(S^2) = mu4/N - sigma^4 (N-3)/(N(N-1)), mu4 = (excess kurtosis + 3) sigma^4
    mu4 = (float(ref.stats(moments="k")) + 3.0) * var**2
    se_var = math.sqrt(mu4 / N - var**2 * (N - 3) / (N * (N - 1)))
    assert abs(np.var(x, ddof=1) - var) <= Z * se_var


@pytest.mark.parametrize("dist", [d for d in SAMPLED if not d.discrete], ids=_id)
def test_continuous_samples_follow_the_cdf_within_the_dkw_band(dist):
    x = np.sort(dist.sample(N, np.random.default_rng(7)))
    cdf = reference(dist).cdf(x)
    ecdf_hi = np.arange(1, N + 1) / N
    ecdf_lo = np.arange(0, N) / N
    distance = max(np.max(ecdf_hi - cdf), np.max(cdf - ecdf_lo))
    # Dvoretzky-Kiefer-Wolfowitz: P(sup |F_N - F| > eps) <= 2 exp(-2 N eps^2)
    eps = math.sqrt(math.log(2 / DKW_ALPHA) / (2 * N))
    assert distance <= eps


@pytest.mark.parametrize("dist", SAMPLED, ids=_id)
def test_samples_lie_in_the_support_and_have_the_requested_shape(dist):
    rng = np.random.default_rng(3)
    x = dist.sample((40, 25), rng)
    assert x.shape == (40, 25)
    lo, hi = reference(dist).support()
    assert np.all((x >= lo) & (x <= hi))
    if dist.discrete:
        assert np.issubdtype(x.dtype, np.integer)
    assert dist.sample(0, rng).shape == (0,)
    assert dist.sample((), rng).shape == ()


def test_sampling_is_reproducible_from_the_generator():
    for dist in SAMPLED:
        a = dist.sample(50, np.random.default_rng(99))
        b = dist.sample(50, np.random.default_rng(99))
        np.testing.assert_array_equal(a, b)


def test_distributions_registry_holds_the_seven_classes():
    assert P.DISTRIBUTIONS == {"Bernoulli": P.Bernoulli, "Binomial": P.Binomial,
                               "Poisson": P.Poisson, "Uniform": P.Uniform, "Normal": P.Normal,
                               "Exponential": P.Exponential, "Beta": P.Beta}
    assert {c.discrete for c in (P.Bernoulli, P.Binomial, P.Poisson)} == {True}
    assert {c.discrete for c in (P.Uniform, P.Normal, P.Exponential, P.Beta)} == {False}


def test_distributions_are_frozen_and_coerce_numpy_scalars():
    d = P.Binomial(np.int64(7), np.float32(0.5))
    assert type(d.n) is int and type(d.p) is float
    with pytest.raises(AttributeError):
        d.p = 0.1  # type: ignore[misc]


# ---------------------------------------------------------------- property tests

probabilities = st.floats(0.0, 1.0)
positive = st.floats(1e-2, 1e2)
distributions = st.one_of(
    st.builds(P.Bernoulli, probabilities),
    st.builds(P.Binomial, st.integers(1, 60), probabilities),
    st.builds(P.Poisson, st.floats(1e-3, 200.0)),
    st.builds(lambda a, w: P.Uniform(a, a + w), st.floats(-1e3, 1e3), st.floats(1e-3, 1e3)),
    st.builds(P.Normal, st.floats(-1e3, 1e3), st.floats(1e-3, 1e3)),
    st.builds(P.Exponential, positive),
    st.builds(P.Beta, positive, positive),
)
reals = st.floats(-1e4, 1e4, allow_nan=False)


@settings(max_examples=75, deadline=None)
@given(dist=distributions, x=st.lists(st.one_of(reals, st.sampled_from([-np.inf, np.inf])),
                                      min_size=2, max_size=30))
def test_cdf_is_monotone_and_in_unit_interval(dist, x):
    x = np.sort(np.array(x))
    c = dist.cdf(x)
    assert np.all((c >= 0.0) & (c <= 1.0))
    # non-decreasing, up to the rounding of the two branches of a continued fraction
    assert np.all(np.diff(c) >= -4 * EPS)


@settings(max_examples=50, deadline=None)
@given(dist=st.one_of(st.builds(P.Bernoulli, probabilities),
                      st.builds(P.Binomial, st.integers(1, 400), probabilities)))
def test_pmf_sums_to_one_over_a_finite_support(dist):
    n = 1 if isinstance(dist, P.Bernoulli) else dist.n
    k = np.arange(n + 1)
    # each pmf value is within RTOL of scipy's (test above), so their sum is within RTOL of 1
    assert math.fsum(dist.pmf(k)) == pytest.approx(1.0, abs=RTOL)
    # and the cdf is the running sum of the pmf
    np.testing.assert_allclose(dist.cdf(k), np.cumsum(dist.pmf(k)), rtol=0, atol=RTOL)


@settings(max_examples=50, deadline=None)
@given(lam=st.floats(1e-3, 300.0))
def test_poisson_pmf_sums_to_one(lam):
    dist = P.Poisson(lam)
    top = int(lam + 40 * math.sqrt(lam) + 40)
    assert scipy.stats.poisson(lam).sf(top) < EPS  # the rest of the tail is negligible
    k = np.arange(top + 1)
    assert math.fsum(dist.pmf(k)) == pytest.approx(1.0, abs=RTOL)


@settings(max_examples=50, deadline=None)
@given(x=arrays(np.float64, st.integers(2, 40), elements=st.integers(-1000, 1000)),
       shift=st.integers(-10**6, 10**6))
def test_sample_variance_is_shift_invariant(x, shift):
    # integer data and shifts: x + shift is exact, so only the estimator can err.
    n = x.size
    v0 = float(P.sample_variance(x, ddof=1))
    v1 = float(P.sample_variance(x + shift, ddof=1))
    # Floating-point error budget of the two-pass estimator on data y: the computed mean
    # is off by at most delta = n eps max|y|, which adds n delta^2 to the sum of squares
    # (the cross term vanishes since the exact deviations sum to 0); rounding the n
    # deviations, squares and partial sums costs a relative (n + 2) eps of that sum.
    ss = float(np.sum((x - x.mean()) ** 2))

    def budget(y):
        delta = n * EPS * float(np.max(np.abs(y)))
        return (n * delta**2 + (n + 2) * EPS * (ss + n * delta**2)) / (n - 1)

    assert abs(v1 - v0) <= budget(x) + budget(x + shift)


@settings(max_examples=50, deadline=None)
@given(x=arrays(np.float64, st.integers(1, 40), elements=st.floats(-1e6, 1e6)),
       scale=st.floats(-1e3, 1e3))
def test_sample_estimators_scale_and_permute(x, scale):
    # error budgets: a mean of n terms of size <= m is off by <= n eps m; a variance
    # by <= 8 n eps m^2 (deviations <= 2m, each off by <= n eps m, squared)
    n, m = x.size, float(np.max(np.abs(x)))
    rev = x[::-1]
    assert float(P.sample_mean(rev)) == pytest.approx(float(P.sample_mean(x)),
                                                      rel=0, abs=2 * n * EPS * m)
    v = float(P.sample_variance(x, ddof=0))
    assert v >= 0
    assert float(P.sample_variance(rev, ddof=0)) == pytest.approx(v, rel=0,
                                                                  abs=16 * n * EPS * m * m)
    sv = float(P.sample_variance(scale * x, ddof=0))
    # scale * x is itself rounded: one more eps of relative error per element
    assert sv == pytest.approx(scale**2 * v, rel=0, abs=16 * (n + 1) * EPS * (scale * m) ** 2
                               + 1e-300)


# ---------------------------------------------------------------- estimators vs references


@pytest.mark.parametrize("axis", [0, 1, -1, 2])
@pytest.mark.parametrize("ddof", [0, 1, 2])
def test_sample_mean_and_variance_match_numpy(axis, ddof):
    x = np.random.default_rng(5).normal(10.0, 3.0, size=(4, 6, 5))
    np.testing.assert_allclose(P.sample_mean(x, axis=axis), np.mean(x, axis=axis), rtol=1e-14)
    np.testing.assert_allclose(P.sample_variance(x, axis=axis, ddof=ddof),
                               np.var(x, axis=axis, ddof=ddof), rtol=1e-12)


@pytest.mark.parametrize("data", [[1.0, 2.0], [2.5, 2.5, 2.5], [1e9 + 1, 1e9 + 2, 1e9 + 3],
                                  list(range(17)), [-3.0, 0.25, 7.5, 1e-3, 11.0]])
def test_sample_estimators_match_the_statistics_module(data):
    assert float(P.sample_mean(data)) == pytest.approx(statistics.fmean(data), rel=1e-15)
    assert float(P.sample_variance(data)) == pytest.approx(statistics.variance(data),
                                                           rel=1e-12, abs=1e-15)
    assert float(P.sample_variance(data, ddof=0)) == pytest.approx(statistics.pvariance(data),
                                                                   rel=1e-12, abs=1e-15)


def test_sample_variance_default_is_the_unbiased_estimator():
    x = [1.0, 4.0, 4.0, 7.0]  # mean 4, squared deviations 9 + 0 + 0 + 9 = 18
    assert float(P.sample_variance(x)) == 6.0
    assert float(P.sample_variance(x, ddof=0)) == 4.5


# ---------------------------------------------------------------- Beta-Bernoulli posterior


@pytest.mark.parametrize(("a", "b"), [(1.0, 1.0), (0.5, 0.5), (2.0, 7.0)])
@pytest.mark.parametrize("flips", [[], [1], [0, 0, 0], [1] * 30 + [0] * 5])
def test_beta_posterior_equals_normalised_prior_times_likelihood(a, b, flips):
    k, n = sum(flips), len(flips)
    prior = scipy.stats.beta(a, b)

    def unnormalised(p):
        return prior.pdf(p) * p**k * (1 - p) ** (n - k)

    # the density may be infinite at 0 or 1 when a or b < 1: quad handles the endpoint
    # singularity; split at 1/2 so each piece has at most one
    z = sum(scipy.integrate.quad(unnormalised, lo, hi, limit=200)[0]
            for lo, hi in ((0.0, 0.5), (0.5, 1.0)))
    post = P.beta_posterior(P.Beta(a, b), flips)
    assert isinstance(post, P.Beta)
    grid = np.linspace(0.01, 0.99, 99)
    numerical = unnormalised(grid) / z
    np.testing.assert_allclose(scipy.stats.beta(post.a, post.b).pdf(grid), numerical,
                               rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(post.pdf(grid), numerical, rtol=1e-7, atol=1e-10)
    # posterior mean by integration
    mean = sum(scipy.integrate.quad(lambda p: p * unnormalised(p), lo, hi, limit=200)[0]
               for lo, hi in ((0.0, 0.5), (0.5, 1.0))) / z
    assert post.mean() == pytest.approx(mean, rel=1e-7)


@settings(max_examples=50, deadline=None)
@given(a=st.floats(0.1, 50), b=st.floats(0.1, 50),
       first=st.lists(st.integers(0, 1), max_size=30),
       second=st.lists(st.integers(0, 1), max_size=30))
def test_beta_posterior_sequential_equals_batch_and_ignores_order(a, b, first, second):
    prior = P.Beta(a, b)
    batch = P.beta_posterior(prior, first + second)
    sequential = P.beta_posterior(P.beta_posterior(prior, first), second)
    assert batch.a == pytest.approx(sequential.a) and batch.b == pytest.approx(sequential.b)
    shuffled = P.beta_posterior(prior, sorted(first + second))
    assert (shuffled.a, shuffled.b) == (batch.a, batch.b)
    assert batch.a + batch.b == pytest.approx(a + b + len(first) + len(second))


def test_beta_posterior_accepts_arrays_of_bools_and_ints():
    flips = np.array([True, False, True, True])
    post = P.beta_posterior(P.Beta(2.0, 3.0), flips)
    assert (post.a, post.b) == (5.0, 4.0)
    assert P.beta_posterior(P.Beta(2.0, 3.0), np.array([1, 0, 1, 1])) == post


# ---------------------------------------------------------------- bad input

CLASSES_AND_PARAMS = [(P.Bernoulli, (0.5,)), (P.Binomial, (5, 0.5)), (P.Poisson, (2.0,)),
                      (P.Uniform, (0.0, 1.0)), (P.Normal, (0.0, 1.0)), (P.Exponential, (1.0,)),
                      (P.Beta, (2.0, 3.0))]


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: P.Bernoulli(1.5), ValueError, r"p must be in \[0, 1\]"),
        (lambda: P.Bernoulli(-0.01), ValueError, r"p must be in \[0, 1\]"),
        (lambda: P.Bernoulli(np.nan), ValueError, "p must be finite"),
        (lambda: P.Bernoulli("0.5"), TypeError, "p must be a real number"),
        (lambda: P.Bernoulli(True), TypeError, "p must be a real number"),
        (lambda: P.Binomial(0, 0.5), ValueError, "n must be >= 1"),
        (lambda: P.Binomial(-3, 0.5), ValueError, "n must be >= 1"),
        (lambda: P.Binomial(2.5, 0.5), TypeError, "n must be an integer"),
        (lambda: P.Binomial(5.0, 0.5), TypeError, "n must be an integer"),
        (lambda: P.Binomial(True, 0.5), TypeError, "n must be an integer"),
        (lambda: P.Binomial(5, 1.01), ValueError, r"p must be in \[0, 1\]"),
        (lambda: P.Binomial(5, np.nan), ValueError, "p must be finite"),
        (lambda: P.Poisson(0.0), ValueError, "lam must be > 0"),
        (lambda: P.Poisson(-1.0), ValueError, "lam must be > 0"),
        (lambda: P.Poisson(np.inf), ValueError, "lam must be finite"),
        (lambda: P.Poisson(None), TypeError, "lam must be a real number"),
        (lambda: P.Uniform(1.0, 1.0), ValueError, "a must be < b"),
        (lambda: P.Uniform(2.0, 1.0), ValueError, "a must be < b"),
        (lambda: P.Uniform(0.0, np.inf), ValueError, "b must be finite"),
        (lambda: P.Uniform("0", 1.0), TypeError, "a must be a real number"),
        (lambda: P.Normal(0.0, 0.0), ValueError, "sigma must be > 0"),
        (lambda: P.Normal(0.0, -1.0), ValueError, "sigma must be > 0"),
        (lambda: P.Normal(np.nan, 1.0), ValueError, "mu must be finite"),
        (lambda: P.Normal(0.0, [1.0]), TypeError, "sigma must be a real number"),
        (lambda: P.Exponential(0.0), ValueError, "lam must be > 0"),
        (lambda: P.Exponential(-2.0), ValueError, "lam must be > 0"),
        (lambda: P.Beta(0.0, 1.0), ValueError, "a must be > 0"),
        (lambda: P.Beta(-1.0, 1.0), ValueError, "a must be > 0"),
        (lambda: P.Beta(1.0, -1.0), ValueError, "b must be > 0"),
        (lambda: P.Beta(1.0, np.nan), ValueError, "b must be finite"),
        (lambda: P.beta_posterior(scipy.stats.beta(1, 1), [1]), TypeError,
         "prior must be a Beta"),
        (lambda: P.beta_posterior(P.Uniform(0, 1), [1]), TypeError, "prior must be a Beta"),
        (lambda: P.beta_posterior(P.Beta(1, 1), [0, 2]), ValueError,
         "flips must contain only 0"),
        (lambda: P.beta_posterior(P.Beta(1, 1), [0.5]), ValueError, "flips must contain only 0"),
        (lambda: P.beta_posterior(P.Beta(1, 1), [-1, 1]), ValueError,
         "flips must contain only 0"),
        (lambda: P.beta_posterior(P.Beta(1, 1), [[0, 1], [1, 0]]), ValueError,
         "flips must be 1-dimensional"),
        (lambda: P.beta_posterior(P.Beta(1, 1), [0, np.nan]), ValueError, "flips must contain"),
        (lambda: P.beta_posterior(P.Beta(1, 1), "0101"), TypeError, "flips must be array-like"),
        (lambda: P.beta_posterior(P.Beta(1, 1), None), TypeError, "flips must be array-like"),
        (lambda: P.sample_mean("abc"), TypeError, "x must be array-like"),
        (lambda: P.sample_mean([]), ValueError, "x must hold at least one"),
        (lambda: P.sample_mean(3.0), ValueError, "x must hold"),
        (lambda: P.sample_mean([1.0, np.nan]), ValueError, "x must contain only finite"),
        (lambda: P.sample_mean(np.ones((2, 3)), axis=2), ValueError, "axis"),
        (lambda: P.sample_mean(np.ones((2, 3)), axis="0"), TypeError, "axis must be an integer"),
        (lambda: P.sample_mean(np.ones((2, 3)), axis=True), TypeError, "axis must be an integer"),
        (lambda: P.sample_variance([1.0], ddof=1), ValueError, "ddof=1"),
        (lambda: P.sample_variance([1.0, 2.0], ddof=2), ValueError, "ddof=2"),
        (lambda: P.sample_variance([], ddof=0), ValueError, "ddof=0"),
        (lambda: P.sample_variance([1.0, 2.0], ddof=-1), ValueError, "ddof must be >= 0"),
        (lambda: P.sample_variance([1.0, 2.0], ddof=1.0), TypeError, "ddof must be an integer"),
        (lambda: P.sample_variance([1.0, 2.0], ddof=True), TypeError, "ddof must be an integer"),
        (lambda: P.sample_variance(2.0), ValueError, "x must hold"),
        (lambda: P.sample_variance([1.0, np.inf]), ValueError, "x must contain only finite"),
        (lambda: P.sample_variance({"a": 1}), TypeError, "x must be array-like"),
        (lambda: P.sample_variance(np.ones((2, 3)), axis=-3), ValueError, "axis"),
        (lambda: P.sample_variance(np.ones((2, 3)), axis=1.0), TypeError,
         "axis must be an integer"),
    ],
)
def test_bad_input_raises_clear_error(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


@pytest.mark.parametrize(("cls", "params"), CLASSES_AND_PARAMS,
                         ids=[c.__name__ for c, _ in CLASSES_AND_PARAMS])
@pytest.mark.parametrize(
    ("x", "exc", "match"),
    [
        ([0.0, np.nan], ValueError, "x must not contain NaN"),
        (np.nan, ValueError, "x must not contain NaN"),
        ("0.5", TypeError, "x must be array-like"),
        (None, TypeError, "x must be array-like"),
        ([0.5, "a"], TypeError, "x must be array-like"),
        ({"x": 1}, TypeError, "x must be array-like"),
    ],
)
def test_pmf_pdf_cdf_reject_bad_x(cls, params, x, exc, match):
    dist = cls(*params)
    for method in (dist.cdf, dist.density, dist.pmf if dist.discrete else dist.pdf):
        with pytest.raises(exc, match=match):
            method(x)


@pytest.mark.parametrize(("cls", "params"), CLASSES_AND_PARAMS,
                         ids=[c.__name__ for c, _ in CLASSES_AND_PARAMS])
@pytest.mark.parametrize(
    ("size", "rng", "exc", "match"),
    [
        (3, None, TypeError, "rng must be a numpy.random.Generator"),
        (3, np.random.RandomState(0), TypeError, "rng must be a numpy.random.Generator"),
        (3, 0, TypeError, "rng must be a numpy.random.Generator"),
        (-1, np.random.default_rng(0), ValueError, "size must be >= 0"),
        (2.5, np.random.default_rng(0), TypeError, "size must be"),
        (True, np.random.default_rng(0), TypeError, "size must be"),
        ((2, -1), np.random.default_rng(0), TypeError, "size must be"),
        ((2, 1.5), np.random.default_rng(0), TypeError, "size must be"),
        (None, np.random.default_rng(0), TypeError, "size must be"),
    ],
)
def test_sample_rejects_bad_size_and_rng(cls, params, size, rng, exc, match):
    with pytest.raises(exc, match=match):
        cls(*params).sample(size, rng)
