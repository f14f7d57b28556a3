"""notes_lib.hmm: brute-force enumeration, hmmlearn, Li Hang's published numbers, bad input."""

# ruff: noqa: E741  (O is the notes' name of the observation sequence)
import itertools
import warnings

import numpy as np
import pytest
from hmmlearn import hmm as hmmlearn_hmm  # a reference, pinned in requirements-dev.txt
from hypothesis import given
from hypothesis import strategies as st

from notes_lib import hmm


def random_model(rng, N, M, zeros=False):
    A = rng.dirichlet(np.ones(N), size=N)
    B = rng.dirichlet(np.ones(M), size=N)
    pi = rng.dirichlet(np.ones(N))
    if zeros:  # a few structural zeros, rows renormalised
        A[0, -1] = 0.0
        A /= A.sum(axis=1, keepdims=True)
        B[-1, 0] = 0.0
        B /= B.sum(axis=1, keepdims=True)
    return A, B, pi


def brute_force(O, A, B, pi):
    """Enumerate all N**T state paths: P(O), gamma, xi, the best path and its probability."""
    N, T = len(pi), len(O)
    total, best_p, best_path = 0.0, -1.0, None
    gamma = np.zeros((T, N))
    xi = np.zeros((max(T - 1, 0), N, N))
    for path in itertools.product(range(N), repeat=T):
        p = pi[path[0]] * B[path[0], O[0]]
        for t in range(1, T):
            p *= A[path[t - 1], path[t]] * B[path[t], O[t]]
        total += p
        for t in range(T):
            gamma[t, path[t]] += p
        for t in range(T - 1):
            xi[t, path[t], path[t + 1]] += p
        if p > best_p:
            best_p, best_path = p, path
    return total, gamma / total, xi / total, np.array(best_path), best_p


def hmmlearn_model(A, B, pi, n_iter=1):
    model = hmmlearn_hmm.CategoricalHMM(n_components=len(pi), n_iter=n_iter, init_params="",
                                        params="ste", tol=0.0)
    model.n_features = B.shape[1]
    model.startprob_, model.transmat_, model.emissionprob_ = pi.copy(), A.copy(), B.copy()
    return model


# ----------------------------------------------------------------- Li Hang, Example 10.2/10.3
def test_li_hang_box_and_ball_example():
    O = [0, 1, 0]  # red, white, red
    A, B, pi = hmm.LI_HANG_A, hmm.LI_HANG_B, hmm.LI_HANG_PI
    for method in ("scaled", "log"):
        assert np.exp(hmm.log_likelihood(O, A, B, pi, method=method)) == pytest.approx(
            0.130218, abs=5e-7)
    alpha = np.exp(hmm.forward(O, A, B, pi))  # Li Hang's table of alpha_t(i)
    np.testing.assert_allclose(alpha[0], [0.10, 0.16, 0.28])
    np.testing.assert_allclose(alpha[1], [0.077, 0.1104, 0.0606])
    np.testing.assert_allclose(alpha[2], [0.04187, 0.03551, 0.05284], atol=5e-6)
    path, log_p = hmm.viterbi(O, A, B, pi)
    assert path.tolist() == [2, 2, 2]  # boxes (3, 3, 3)
    assert np.exp(log_p) == pytest.approx(0.0147)  # P* of Example 10.3


# ----------------------------------------------------------------- brute force
@pytest.mark.parametrize("T", [1, 2, 3, 5, 6])
@pytest.mark.parametrize("zeros", [False, True])
def test_against_brute_force(T, zeros):
    rng = np.random.default_rng(T + 10 * zeros)
    A, B, pi = random_model(rng, 3, 4, zeros)
    O = rng.integers(1, 4, T)
    total, gamma, xi, best_path, best_p = brute_force(O, A, B, pi)
    for method in ("scaled", "log"):
        assert hmm.log_likelihood(O, A, B, pi, method=method) == pytest.approx(np.log(total))
        log_alpha = hmm.forward(O, A, B, pi, method=method)
        log_beta = hmm.backward(O, A, B, pi, method=method)
        # P(O) = sum_i alpha_t(i) beta_t(i) for every t
        np.testing.assert_allclose(np.exp(log_alpha + log_beta).sum(axis=1), total, rtol=1e-12)
    np.testing.assert_allclose(hmm.posterior_marginals(O, A, B, pi), gamma, atol=1e-13)
    xi_ours = hmm.pairwise_marginals(O, A, B, pi)
    assert xi_ours.shape == (T - 1, 3, 3)
    np.testing.assert_allclose(xi_ours, xi, atol=1e-13)
    path, log_p = hmm.viterbi(O, A, B, pi)
    np.testing.assert_array_equal(path, best_path)
    assert log_p == pytest.approx(np.log(best_p))


@given(T=st.integers(1, 5), N=st.integers(1, 3), M=st.integers(1, 3), seed=st.integers(0, 999))
def test_forward_equals_brute_force_property(T, N, M, seed):
    rng = np.random.default_rng(seed)
    A, B, pi = random_model(rng, N, M)
    O = rng.integers(0, M, T)
    total, gamma, _, _, best_p = brute_force(O, A, B, pi)
    assert hmm.log_likelihood(O, A, B, pi) == pytest.approx(np.log(total), rel=1e-10)
    np.testing.assert_allclose(hmm.posterior_marginals(O, A, B, pi), gamma, atol=1e-12)
    assert hmm.viterbi(O, A, B, pi)[1] == pytest.approx(np.log(best_p), rel=1e-10)


def test_impossible_sequence_has_log_likelihood_minus_inf():
    A = np.eye(2)
    B = np.array([[1.0, 0.0], [0.0, 1.0]])
    pi = np.array([1.0, 0.0])
    O = [0, 1]  # state 0 can only emit 0 and never leaves state 0
    for method in ("scaled", "log"):
        assert hmm.log_likelihood(O, A, B, pi, method=method) == -np.inf
    with pytest.raises(ValueError, match="probability 0"):
        hmm.posterior_marginals(O, A, B, pi)


# ----------------------------------------------------------------- hmmlearn
def test_log_likelihood_and_viterbi_match_hmmlearn():
    rng = np.random.default_rng(1)
    A, B, pi = random_model(rng, 5, 7)
    _, O = hmm.sample(400, A, B, pi, rng)
    ref = hmmlearn_model(A, B, pi)
    X = O[:, None]
    for method in ("scaled", "log"):
        assert hmm.log_likelihood(O, A, B, pi, method=method) == pytest.approx(
            ref.score(X), rel=1e-10)
    ref_logp, ref_path = ref.decode(X, algorithm="viterbi")
    path, log_p = hmm.viterbi(O, A, B, pi)
    assert log_p == pytest.approx(ref_logp, rel=1e-10)
    np.testing.assert_array_equal(path, ref_path)
    np.testing.assert_allclose(hmm.posterior_marginals(O, A, B, pi), ref.predict_proba(X),
                               atol=1e-10)


@pytest.mark.parametrize("lengths", [[60], [25, 40, 1, 17]])
def test_one_baum_welch_step_matches_hmmlearn(lengths):
    rng = np.random.default_rng(2)
    A, B, pi = random_model(rng, 3, 5)
    seqs = [hmm.sample(n, A, B, pi, rng)[1] for n in lengths]
    A0, B0, pi0 = random_model(rng, 3, 5)
    ref = hmmlearn_model(A0, B0, pi0, n_iter=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref.fit(np.concatenate(seqs)[:, None], lengths)
        res = hmm.baum_welch(seqs, A0, B0, pi0, max_iter=1)
    np.testing.assert_allclose(res.A, ref.transmat_, atol=1e-12)
    np.testing.assert_allclose(res.B, ref.emissionprob_, atol=1e-12)
    np.testing.assert_allclose(res.pi, ref.startprob_, atol=1e-12)
    total = sum(hmm.log_likelihood(O, A0, B0, pi0) for O in seqs)
    assert res.log_likelihoods[0] == pytest.approx(total)


# ----------------------------------------------------------------- Baum-Welch, estimator
def test_baum_welch_log_likelihood_never_decreases_and_converges():
    rng = np.random.default_rng(3)
    A, B, pi = random_model(rng, 3, 4)
    seqs = [hmm.sample(80, A, B, pi, rng)[1] for _ in range(5)]
    A0, B0, pi0 = random_model(rng, 3, 4)
    res = hmm.baum_welch(seqs, A0, B0, pi0, max_iter=1000, tol=1e-4)
    assert res.converged
    assert np.all(np.diff(res.log_likelihoods) >= -1e-9)
    for P in (res.A, res.B):
        np.testing.assert_allclose(P.sum(axis=1), 1.0)
    assert res.pi.sum() == pytest.approx(1.0)
    # the final entry is the log-likelihood of the returned parameters
    assert res.log_likelihoods[-1] == pytest.approx(
        sum(hmm.log_likelihood(O, res.A, res.B, res.pi) for O in seqs))


def test_baum_welch_single_short_sequence_against_brute_force_em():
    # one EM step from gamma and xi computed by enumeration
    rng = np.random.default_rng(4)
    A0, B0, pi0 = random_model(rng, 2, 3)
    O = np.array([0, 2, 1, 1, 0])
    _, gamma, xi, _, _ = brute_force(O, A0, B0, pi0)
    A1 = xi.sum(0) / gamma[:-1].sum(0)[:, None]
    B1 = np.stack([gamma[O == k].sum(0) for k in range(3)], axis=1) / gamma.sum(0)[:, None]
    with pytest.warns(hmm.ConvergenceWarning):
        res = hmm.baum_welch(O, A0, B0, pi0, max_iter=1)
    np.testing.assert_allclose(res.A, A1, atol=1e-13)
    np.testing.assert_allclose(res.B, B1, atol=1e-13)
    np.testing.assert_allclose(res.pi, gamma[0], atol=1e-13)


def test_baum_welch_warns_at_max_iter():
    rng = np.random.default_rng(5)
    A, B, pi = random_model(rng, 3, 4)
    O = hmm.sample(200, A, B, pi, rng)[1]
    with pytest.warns(hmm.ConvergenceWarning, match="max_iter"):
        res = hmm.baum_welch(O, *random_model(rng, 3, 4), max_iter=2, tol=0.0)
    assert not res.converged and res.n_iter == 2


def test_categorical_hmm_estimator():
    rng = np.random.default_rng(6)
    A = np.array([[0.9, 0.1], [0.2, 0.8]])
    B = np.array([[0.8, 0.15, 0.05], [0.05, 0.15, 0.8]])
    pi = np.array([0.5, 0.5])
    data = [hmm.sample(300, A, B, pi, rng) for _ in range(4)]
    seqs = [o for _, o in data]
    # EM finds a local optimum; from this (seeded) start it reaches the global one
    model = hmm.CategoricalHMM(n_states=2, max_iter=200, tol=1e-3, rng=2)
    assert model.fit(seqs) is model and model.converged_
    assert model.n_symbols_ == 3 and model.B_.shape == (2, 3)
    assert np.all(np.diff(model.log_likelihoods_) >= -1e-9)
    # the fit explains the data at least as well as the true parameters, up to noise
    true_ll = sum(hmm.log_likelihood(o, A, B, pi) for o in seqs)
    assert model.score(seqs) >= true_ll - 1.0
    # decoding recovers the states up to relabelling
    states, O = data[0]
    pred = model.predict(O)
    acc = max(np.mean(pred == states), np.mean(pred == 1 - states))
    assert acc > 0.85
    proba = model.predict_proba(O)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert model.score(O) == pytest.approx(hmm.log_likelihood(O, model.A_, model.B_, model.pi_))


def test_estimator_errors():
    with pytest.raises(ValueError, match="not fitted"):
        hmm.CategoricalHMM().predict([0, 1])
    with pytest.raises(ValueError, match="n_states"):
        hmm.CategoricalHMM(n_states=0).fit([0, 1])
    with pytest.raises(TypeError, match="rng"):
        hmm.CategoricalHMM(rng="seed").fit([0, 1])
    model = hmm.CategoricalHMM(n_states=2, n_symbols=2, rng=0, max_iter=5)
    with pytest.raises(ValueError, match="outside the alphabet"):
        model.fit([0, 1, 2])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", hmm.ConvergenceWarning)
        model.fit([[0, 1, 1], [1, 0]])
    with pytest.raises(ValueError, match="outside the alphabet"):
        model.predict([0, 5])


# ----------------------------------------------------------------- numerics
def test_no_underflow_at_T_10000():
    rng = np.random.default_rng(7)
    A, B, pi = random_model(rng, 4, 6)
    _, O = hmm.sample(10_000, A, B, pi, rng)
    ll = hmm.log_likelihood(O, A, B, pi)
    assert np.isfinite(ll) and ll < -5000  # P(O) ~ exp(ll) is far below the smallest double
    assert hmm.log_likelihood(O, A, B, pi, method="log") == pytest.approx(ll, rel=1e-10)
    assert hmmlearn_model(A, B, pi).score(O[:, None]) == pytest.approx(ll, rel=1e-10)
    log_alpha = hmm.forward(O, A, B, pi)
    assert np.all(np.isfinite(log_alpha))
    gamma = hmm.posterior_marginals(O, A, B, pi)
    assert np.all(np.isfinite(gamma))
    np.testing.assert_allclose(gamma.sum(axis=1), 1.0)
    _, log_p = hmm.viterbi(O, A, B, pi)
    assert np.isfinite(log_p) and log_p <= ll
    # the plain product of probabilities does underflow
    a = pi * B[:, O[0]]
    for o in O[1:2000]:
        a = (a @ A) * B[:, o]
    assert a.sum() == 0.0


# ----------------------------------------------------------------- bad input
GOOD = (hmm.LI_HANG_A, hmm.LI_HANG_B, hmm.LI_HANG_PI)
FUNCS = [hmm.forward, hmm.backward, hmm.log_likelihood, hmm.posterior_marginals,
         hmm.pairwise_marginals, hmm.viterbi]


@pytest.mark.parametrize("func", FUNCS)
def test_bad_parameters(func):
    A, B, pi = GOOD
    O = [0, 1]
    bad_A = A.copy()
    bad_A[0, 0] += 0.1
    with pytest.raises(ValueError, match=r"A must be a probability distribution.*row 0"):
        func(O, bad_A, B, pi)
    neg_B = B.copy()
    neg_B[1] = [1.2, -0.2]
    with pytest.raises(ValueError, match="B must hold probabilities >= 0"):
        func(O, A, neg_B, pi)
    with pytest.raises(ValueError, match="pi must be a probability distribution"):
        func(O, A, B, [0.5, 0.5, 0.5])
    with pytest.raises(ValueError, match=r"A must have shape \(N, N\)"):
        func(O, np.eye(2), B, pi)
    with pytest.raises(ValueError, match="B must have one row per state"):
        func(O, A, B[:2], pi)
    with pytest.raises(ValueError, match="A must contain only finite"):
        func(O, np.full((3, 3), np.nan), B, pi)


@pytest.mark.parametrize("func", FUNCS)
def test_bad_observations(func):
    with pytest.raises(ValueError, match="O holds the symbol 2, outside the alphabet"):
        func([0, 2], *GOOD)
    with pytest.raises(ValueError, match="O holds the symbol -1"):
        func([0, -1], *GOOD)
    with pytest.raises(ValueError, match="O must not be empty"):
        func([], *GOOD)
    with pytest.raises(ValueError, match="O must hold integer symbol codes"):
        func([0.5, 1], *GOOD)
    with pytest.raises(ValueError, match="O must be 1-dimensional"):
        func([[0, 1]], *GOOD)
    with pytest.raises(TypeError, match="O must be a sequence"):
        func("red", *GOOD)


def test_bad_method_and_baum_welch_arguments():
    with pytest.raises(ValueError, match="method"):
        hmm.forward([0], *GOOD, method="fast")
    with pytest.raises(ValueError, match="sequences must hold at least one"):
        hmm.baum_welch([], *GOOD)
    with pytest.raises(ValueError, match=r"sequences\[1\] must not be empty"):
        hmm.baum_welch([[0, 1], []], *GOOD)
    with pytest.raises(ValueError, match="max_iter"):
        hmm.baum_welch([0, 1], *GOOD, max_iter=0)
    with pytest.raises(ValueError, match="tol"):
        hmm.baum_welch([0, 1], *GOOD, tol=-1.0)
    with pytest.raises(ValueError, match="T must be >= 1"):
        hmm.sample(0, *GOOD)


# ----------------------------------------------------------------- Viterbi by blocks
def plain_viterbi(O, A, B, pi):
    """The textbook recursion, step by step: delta_t = max_i(delta_{t-1} + ln a) + ln b."""
    with np.errstate(divide="ignore"):
        logA, logB, logpi = np.log(A), np.log(B), np.log(pi)
    T, N = len(O), len(pi)
    delta = logpi + logB[:, O[0]]
    psi = np.zeros((T, N), dtype=int)
    for t in range(1, T):
        scores = delta[:, None] + logA
        psi[t] = scores.argmax(axis=0)
        delta = scores.max(axis=0) + logB[:, O[t]]
    path = [int(np.argmax(delta))]
    for t in range(T - 1, 0, -1):
        path.append(int(psi[t, path[-1]]))
    return np.array(path[::-1]), float(delta.max())


def tie_models(rng, N, M):
    """Models with exact ties: uniform A, uniform B, two identical states, sparse A."""
    A, B, pi = random_model(rng, N, M)
    yield np.full((N, N), 1 / N), B, pi
    yield A, np.full((N, M), 1 / M), pi
    A2, B2, pi2 = A.copy(), B.copy(), pi.copy()
    A2[:, 1] = A2[:, 0] = (A[:, 0] + A[:, 1]) / 2      # states 0 and 1 interchangeable
    A2[1] = A2[0]
    B2[1] = B2[0]
    pi2[0] = pi2[1] = (pi[0] + pi[1]) / 2
    yield A2, B2, pi2
    A3 = np.eye(N) * 0.5 + np.roll(np.eye(N), 1, axis=1) * 0.5     # zeros in A
    yield A3, B, np.full(N, 1 / N)


def model_cases():
    rng = np.random.default_rng(2024)
    for N, M in [(2, 2), (3, 4), (5, 3), (10, 20)]:
        yield random_model(rng, N, M)
        yield random_model(rng, N, M, zeros=True)
        A, B, pi = random_model(rng, N, M)                      # peaked: near-deterministic
        yield (A ** 8 / (A ** 8).sum(1, keepdims=True), B ** 8 / (B ** 8).sum(1, keepdims=True),
               pi)
        yield from tie_models(rng, N, M)


def logs(A, B, pi):
    with np.errstate(divide="ignore"):
        return np.log(A), np.log(B), np.log(pi)


@pytest.mark.parametrize("T", [1, 2, 3, 17, 300])
def test_blocked_viterbi_is_bitwise_the_sequential_recursion(T):
    """Any block lengths and warm-ups (0 forces the repair of every block) give exactly
    the step-by-step shifted recursion: same path, same float log-probability."""
    rng = np.random.default_rng(T)
    for A, B, pi in model_cases():
        O = hmm.sample(T, A, B, pi, rng)[1]
        logA, logB, logpi = logs(A, B, pi)
        ref_path, ref_logp = hmm._viterbi_sequential(O, logA, logB, logpi)
        for block, back_block, warmup, back_warmup in [(1, 1, 0, 0), (2, 3, 1, 1),
                                                        (3, 2, 0, 2), (7, 5, 4, 3),
                                                        (16, 8, 12, 8), (64, 32, 12, 8)]:
            path, logp = hmm._viterbi(O, logA, logB, logpi, block, back_block, warmup,
                                      back_warmup)
            np.testing.assert_array_equal(path, ref_path)
            assert logp == ref_logp


def factors(path, O, A, B, pi):
    """The probabilities whose product is P(O, path), sorted: equal lists, equal products."""
    path = np.asarray(path)
    return np.sort(np.r_[pi[path[0]], A[path[:-1], path[1:]], B[path, O]])


@pytest.mark.parametrize("T", [1, 2, 5, 64, 65, 500, 3000])
def test_viterbi_equals_plain_textbook_recursion(T):
    """The unshifted step-by-step recursion's path, or one of exactly the same probability.

    Two paths can have exactly equal probabilities (the same factors in another order,
    e.g. a detour taken a step later): then both recursions pick one by rounding
    (the shifted one rounds differently), and hmmlearn, too, may differ from either.
    """
    rng = np.random.default_rng(100 + T)
    differ = 0
    for A, B, pi in model_cases():
        O = hmm.sample(T, A, B, pi, rng)[1]
        ref_path, ref_logp = plain_viterbi(O, A, B, pi)
        path, logp = hmm.viterbi(O, A, B, pi)
        assert path.dtype == np.int64 and path.shape == (T,)
        assert logp == pytest.approx(ref_logp, rel=1e-12)
        if not np.array_equal(path, ref_path):
            differ += 1
            np.testing.assert_array_equal(factors(path, O, A, B, pi),
                                          factors(ref_path, O, A, B, pi))
    assert differ <= 4                            # of 28 models


@pytest.mark.parametrize("T", [2, 3, 5, 6])
def test_blocked_viterbi_against_brute_force(T):
    rng = np.random.default_rng(7 * T)
    for zeros in (False, True):
        A, B, pi = random_model(rng, 3, 4, zeros)
        O = rng.integers(1, 4, T)
        *_, best_path, best_p = brute_force(O, A, B, pi)
        for block in (1, 2, 4):
            path, logp = hmm._viterbi(O, *logs(A, B, pi), block, block, 1, 1)
            np.testing.assert_array_equal(path, best_path)
            assert logp == pytest.approx(np.log(best_p), rel=1e-12)


def test_viterbi_matches_hmmlearn_at_benchmark_size():
    """The benchmark's problem (N = 10, M = 20, T = 10,000): hmmlearn's path."""
    rng = np.random.default_rng(0)
    A, B, pi = random_model(rng, 10, 20)
    _, O = hmm.sample(10_000, A, B, pi, rng=rng)
    ref = hmmlearn_model(A, B, pi)
    ref_logp, ref_path = ref.decode(O[:, None], algorithm="viterbi")
    path, log_p = hmm.viterbi(O, A, B, pi)
    np.testing.assert_array_equal(path, ref_path)
    assert log_p == pytest.approx(ref_logp, rel=1e-12)


def test_viterbi_of_impossible_long_sequences():
    """P(O) = 0: log-probability -inf and the sequential recursion's path, whether the
    blocked pass meets the impossibility itself or only from the true start."""
    rng = np.random.default_rng(5)
    A = np.eye(3)                                  # states 0, 1 never reach state 2
    B = np.array([[0.5, 0.5, 0.0, 0.0], [0.3, 0.7, 0.0, 0.0], [0.0, 0.5, 0.5, 0.0]])
    O = rng.integers(0, 2, 300)
    O2 = O.copy()
    O2[150] = 2                                    # impossible from the start only
    O3 = O.copy()
    O3[150] = 3                                    # no state emits symbol 3
    for seq, pi in [(O2, np.array([0.5, 0.5, 0.0])), (O3, np.full(3, 1 / 3)),
                    (O, np.array([0.0, 0.0, 1.0]))]:   # symbol 0 impossible in state 2
        logA, logB, logpi = logs(A, B, pi)
        ref_path, ref_logp = hmm._viterbi_sequential(seq, logA, logB, logpi)
        assert ref_logp == -np.inf
        for block in (None, 3, 16):
            path, logp = hmm._viterbi(seq, logA, logB, logpi, block)
            np.testing.assert_array_equal(path, ref_path)
            assert logp == -np.inf
        path, logp = hmm.viterbi(seq, A, B, pi)
        np.testing.assert_array_equal(path, ref_path)
        np.testing.assert_array_equal(path, plain_viterbi(seq, A, B, pi)[0])


def test_blocked_viterbi_repairs_blocks_whose_shift_alone_changed():
    """An absorbing state: the shifted deltas of a repaired block meet the stored ones while
    the shift of that step still differs (a regression: the shift must be stored too)."""
    A = np.array([[0.9, 0.1, 0.0], [0.0, 0.9, 0.1], [0.0, 0.0, 1.0]])
    B = np.array([[0.8, 0.2, 0.0], [0.1, 0.8, 0.1], [0.0, 0.2, 0.8]])
    pi = np.array([1.0, 0.0, 0.0])
    O = hmm.sample(400, A, B, pi, np.random.default_rng(5))[1]
    logA, logB, logpi = logs(A, B, pi)
    ref = hmm._viterbi_sequential(O, logA, logB, logpi)
    for block in (None, 3, 14):
        path, logp = hmm._viterbi(O, logA, logB, logpi, block)
        np.testing.assert_array_equal(path, ref[0])
        assert logp == ref[1]
