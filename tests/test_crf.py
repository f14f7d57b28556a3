"""notes_lib.crf against independent references: brute-force enumeration of all label
sequences (Z, marginals, Viterbi, the log-likelihood and its gradient as empirical minus
expected counts), central finite differences, scipy.optimize's L-BFGS-B on a
brute-force objective, and CRFsuite (through sklearn-crfsuite) when it is installed."""

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import minimize

from notes_lib.crf import (
    LinearChainCRF,
    extract_features,
    lbfgs,
    log_likelihood_and_gradient,
    log_partition,
    marginals,
    state_scores,
    viterbi,
)


# ------------------------------------------------------------ brute force
def all_paths(n, L):
    return np.array(list(itertools.product(range(L), repeat=n)), dtype=int)


def path_scores(U, T, paths):
    n = U.shape[0]
    s = U[np.arange(n), paths].sum(axis=1)
    if n > 1:
        s += T[paths[:, :-1], paths[:, 1:]].sum(axis=1)
    return s


def brute_log_Z(U, T):
    s = path_scores(U, T, all_paths(*U.shape))
    m = s.max()
    return m + np.log(np.exp(s - m).sum())


def brute_marginals(U, T):
    n, L = U.shape
    paths = all_paths(n, L)
    s = path_scores(U, T, paths)
    p = np.exp(s - s.max())
    p /= p.sum()
    node = np.zeros((n, L))
    edge = np.zeros((max(n - 1, 0), L, L))
    for path, q in zip(paths, p, strict=True):
        node[np.arange(n), path] += q
        for i in range(1, n):
            edge[i - 1, path[i - 1], path[i]] += q
    return node, edge


def random_potentials(rng, n, L=3, scale=1.5):
    return rng.normal(scale=scale, size=(n, L)), rng.normal(scale=scale, size=(L, L))


# ------------------------------------------------------ Z, marginals, Viterbi
@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_log_partition_and_marginals_match_brute_force(n, seed):
    U, T = random_potentials(np.random.default_rng(seed), n)
    assert log_partition(U, T) == pytest.approx(brute_log_Z(U, T), rel=1e-12, abs=1e-12)
    node, edge = marginals(U, T)
    node_ref, edge_ref = brute_marginals(U, T)
    np.testing.assert_allclose(node, node_ref, atol=1e-12)
    np.testing.assert_allclose(edge, edge_ref, atol=1e-12)
    np.testing.assert_allclose(node.sum(axis=1), 1.0, rtol=1e-12)


@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.just(3)),
              elements=st.floats(-20, 20)),
       arrays(np.float64, (3, 3), elements=st.floats(-20, 20)))
def test_property_forward_equals_brute_force(U, T):
    assert log_partition(U, T) == pytest.approx(brute_log_Z(U, T), rel=1e-10, abs=1e-10)
    path, score = viterbi(U, T)
    assert score == pytest.approx(path_scores(U, T, all_paths(*U.shape)).max(), abs=1e-9)
    assert path_scores(U, T, path[None])[0] == pytest.approx(score, abs=1e-9)


@pytest.mark.parametrize("n", [1, 2, 4, 5])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_viterbi_matches_brute_force(n, seed):
    U, T = random_potentials(np.random.default_rng(seed + 10), n)
    paths = all_paths(n, 3)
    s = path_scores(U, T, paths)
    path, score = viterbi(U, T)
    np.testing.assert_array_equal(path, paths[np.argmax(s)])
    assert score == pytest.approx(s.max(), rel=1e-12)


def test_huge_scores_stay_finite():
    # exp of these scores overflows; log space must not
    rng = np.random.default_rng(5)
    U, T = 800.0 * rng.normal(size=(5, 3)), 900.0 * rng.normal(size=(3, 3))
    assert log_partition(U, T) == pytest.approx(brute_log_Z(U, T), rel=1e-12)
    node, _ = marginals(U, T)
    np.testing.assert_allclose(node, brute_marginals(U, T)[0], atol=1e-12)


# ------------------------------------------------- likelihood and gradient
def toy_data(rng, n_seq=6, L=3, n_attr=5, max_len=5):
    X, y = [], []
    for _ in range(n_seq):
        n = int(rng.integers(1, max_len + 1))
        seq = []
        for _ in range(n):
            k = int(rng.integers(0, 3))
            names = rng.choice(n_attr, size=k, replace=False)
            seq.append({f"a{j}": float(rng.normal()) for j in names} | {"bias": 1.0})
        X.append(seq)
        y.append(rng.integers(0, L, n).tolist())
    return X, y


def brute_objective(w, enc, X_len, y, L, l2):
    """Sum of log P(y|x) by enumeration and its gradient as empirical - expected counts,
    both built from per-token state scores and explicit path enumeration."""
    F = enc.n_attributes
    W, T = w[:F * L].reshape(F, L), w[F * L:].reshape(L, L)
    # per-token attribute vectors, dense
    n_tok = int(np.sum(X_len))
    dense = np.zeros((n_tok, F))
    for a, v, t in zip(enc.attr, enc.value, enc.token, strict=True):
        dense[t, a] += v
    value, gW, gT = 0.0, np.zeros((F, L)), np.zeros((L, L))
    start = 0
    for n, labels in zip(X_len, y, strict=True):
        D = dense[start:start + n]
        start += n
        U = D @ W
        paths = all_paths(n, L)
        s = path_scores(U, T, paths)
        m = s.max()
        logZ = m + np.log(np.exp(s - m).sum())
        labels = np.asarray(labels)
        value += path_scores(U, T, labels[None])[0] - logZ
        p = np.exp(s - logZ)
        for path, q in zip(paths, p, strict=True):
            for i in range(n):
                gW[:, path[i]] -= q * D[i]
                if i:
                    gT[path[i - 1], path[i]] -= q
        for i in range(n):
            gW[:, labels[i]] += D[i]
            if i:
                gT[labels[i - 1], labels[i]] += 1
    value -= 0.5 * l2 * w @ w
    return value, np.concatenate([gW.ravel(), gT.ravel()]) - l2 * w


@pytest.mark.parametrize("l2", [0.0, 0.7])
@pytest.mark.parametrize("seed", [0, 1])
def test_log_likelihood_and_gradient_match_brute_force_and_finite_differences(l2, seed):
    rng = np.random.default_rng(seed)
    X, y = toy_data(rng)
    enc, _ = extract_features(X)
    L = 3
    w = rng.normal(size=enc.n_attributes * L + L * L)
    value, grad = log_likelihood_and_gradient(w, enc, y, L, l2)
    ref_value, ref_grad = brute_objective(w, enc, enc.lengths, y, L, l2)
    assert value == pytest.approx(ref_value, rel=1e-10)
    np.testing.assert_allclose(grad, ref_grad, atol=1e-9)
    h = 1e-6
    fd = np.array([(log_likelihood_and_gradient(w + h * e, enc, y, L, l2)[0]
                    - log_likelihood_and_gradient(w - h * e, enc, y, L, l2)[0]) / (2 * h)
                   for e in np.eye(w.size)])
    np.testing.assert_allclose(grad, fd, atol=1e-6)


def test_state_scores_match_dense_product():
    rng = np.random.default_rng(3)
    X, _ = toy_data(rng)
    enc, _ = extract_features(X)
    W = rng.normal(size=(enc.n_attributes, 4))
    dense = np.zeros((int(enc.lengths.sum()), enc.n_attributes))
    np.add.at(dense, (enc.token, enc.attr), enc.value)
    np.testing.assert_allclose(state_scores(enc, W), dense @ W, atol=1e-12)


def test_extract_features_string_values_and_unknown_attributes():
    X = [[{"w": "dog", "len": 3.0}, ["bias", "suf:og"]]]
    enc, vocab = extract_features(X)
    assert vocab == {"w:dog": 0, "len": 1, "bias": 2, "suf:og": 3}
    np.testing.assert_array_equal(enc.value, [1.0, 3.0, 1.0, 1.0])
    np.testing.assert_array_equal(enc.token, [0, 0, 1, 1])
    enc2, _ = extract_features([[["never", "bias"]], [["seen"]]], vocab)
    np.testing.assert_array_equal(enc2.attr, [2])
    np.testing.assert_array_equal(enc2.lengths, [1, 1])


# --------------------------------------------------------------- training
def test_training_reaches_scipy_lbfgs_optimum():
    rng = np.random.default_rng(7)
    X, y = toy_data(rng, n_seq=8, n_attr=3, max_len=4)
    labels = [["ABC"[c] for c in seq] for seq in y]
    l2 = 0.5
    model = LinearChainCRF(l2=l2, max_iter=500, tol=1e-10).fit(X, labels)
    assert model.converged_
    enc, _ = extract_features(X, model.vocabulary_)
    L = 3

    def neg(w):
        v, g = brute_objective(w, enc, enc.lengths, y, L, l2)
        return -v, -g

    ref = minimize(neg, np.zeros(enc.n_attributes * L + L * L), jac=True, method="L-BFGS-B",
                   options={"ftol": 1e-14, "gtol": 1e-10, "maxiter": 2000})
    assert ref.success
    assert model.objective_ == pytest.approx(-ref.fun, rel=1e-7)
    w = np.concatenate([model.state_weights_.ravel(), model.transition_weights_.ravel()])
    np.testing.assert_allclose(w, ref.x, atol=1e-4)
    # the objective is reported correctly and never decreases along the run
    assert model.objective_ == pytest.approx(
        log_likelihood_and_gradient(w, enc, y, L, l2)[0], rel=1e-12)
    assert np.all(np.diff(model.history_) >= -1e-9)


def test_predict_and_marginals_on_ragged_batch_match_brute_force():
    rng = np.random.default_rng(11)
    X, y = toy_data(rng, n_seq=10, max_len=5)
    model = LinearChainCRF(l2=0.1).fit(X, y)
    enc, _ = extract_features(X, model.vocabulary_)
    U_all = state_scores(enc, model.state_weights_)
    T = model.transition_weights_
    preds = model.predict(X)
    margs = model.predict_marginals(X)
    start = 0
    for n, pred, marg in zip(enc.lengths, preds, margs, strict=True):
        U = U_all[start:start + n]
        start += n
        paths = all_paths(n, 3)
        best = paths[np.argmax(path_scores(U, T, paths))]
        np.testing.assert_array_equal(pred, model.classes_[best])
        np.testing.assert_allclose(marg, brute_marginals(U, T)[0], atol=1e-10)
    assert model.score(X, y) == pytest.approx(
        np.mean(np.concatenate(preds) == np.concatenate(y)))


def test_scaled_recursions_fall_back_to_log_space_for_huge_weights():
    rng = np.random.default_rng(2)
    X, y = toy_data(rng, n_seq=4, max_len=5)
    enc, _ = extract_features(X)
    w = 900.0 * rng.normal(size=enc.n_attributes * 3 + 9)
    value, grad = log_likelihood_and_gradient(w, enc, y, 3, 0.0)
    ref_value, ref_grad = brute_objective(w, enc, enc.lengths, y, 3, 0.0)
    assert np.isfinite(value)
    assert value == pytest.approx(ref_value, rel=1e-9)
    np.testing.assert_allclose(grad, ref_grad, atol=1e-6)


def test_lbfgs_minimises_rosenbrock():
    def rosen(x):
        f = 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2
        g = np.array([-400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]), 200 * (x[1] - x[0] ** 2)])
        return f, g

    res = lbfgs(rosen, [-1.2, 1.0], max_iter=500, tol=1e-14)
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-5)


def test_max_iter_warns():
    rng = np.random.default_rng(0)
    X, y = toy_data(rng)
    with pytest.warns(RuntimeWarning, match="max_iter"):
        model = LinearChainCRF(l2=0.01, max_iter=2).fit(X, y)
    assert not model.converged_ and model.n_iter_ == 2


# --------------------------------------------------------------- CRFsuite
def test_matches_crfsuite():
    import sklearn_crfsuite  # pinned in requirements-dev.txt: a missing reference fails
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(30)]
    X, y = [], []
    for _ in range(60):
        n = int(rng.integers(2, 8))
        tags = [int(rng.integers(0, 3))]
        for _ in range(n - 1):
            tags.append((tags[-1] + 1) % 3 if rng.random() < 0.7 else int(rng.integers(0, 3)))
        ws = [words[int(rng.integers(0, 10)) + 10 * t] if rng.random() < 0.8
              else words[int(rng.integers(0, 30))] for t in tags]
        X.append([["bias", "w:" + w] for w in ws])
        y.append(["NVA"[t] for t in tags])
    l2 = 1.0
    ours = LinearChainCRF(l2=l2, tol=1e-10, max_iter=500).fit(X, y)
    ref = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=0.0, c2=l2 / 2, max_iterations=1000,
                               epsilon=1e-10, delta=1e-10, all_possible_states=True,
                               all_possible_transitions=True).fit(X, y)
    index = {c: k for k, c in enumerate(ours.classes_)}
    W = np.zeros_like(ours.state_weights_)
    T = np.zeros_like(ours.transition_weights_)
    for (attr, label), v in ref.state_features_.items():
        W[ours.vocabulary_[attr], index[label]] = v
    for (a, b), v in ref.transition_features_.items():
        T[index[a], index[b]] = v
    enc, _ = extract_features(X, ours.vocabulary_)
    y_idx = [[index[c] for c in seq] for seq in y]
    at_ref = log_likelihood_and_gradient(np.concatenate([W.ravel(), T.ravel()]), enc, y_idx,
                                         3, l2)[0]
    # both optimise the same objective: CRFsuite's optimum is ours, to solver tolerance
    assert at_ref <= ours.objective_ + 1e-6
    assert at_ref == pytest.approx(ours.objective_, rel=1e-5)
    np.testing.assert_allclose(np.concatenate([W.ravel(), T.ravel()]),
                               np.concatenate([ours.state_weights_.ravel(),
                                               ours.transition_weights_.ravel()]), atol=2e-3)
    ref_pred = ref.predict(X)
    for p, q in zip(ours.predict(X), ref_pred, strict=True):
        assert list(p) == list(q)


# -------------------------------------------------------------- bad input
def test_empty_sequence_raises():
    with pytest.raises(ValueError, match=r"X_seqs\[1\] is an empty sequence"):
        LinearChainCRF().fit([[["a"]], []], [["x"], []])
    with pytest.raises(ValueError, match="X_seqs must hold at least one sequence"):
        extract_features([])
    with pytest.raises(ValueError, match="unary"):
        log_partition(np.zeros((0, 3)), np.zeros((3, 3)))


def test_label_outside_label_set_raises():
    X = [[["a"], ["b"]], [["a"]]]
    enc, _ = extract_features(X)
    w = np.zeros(enc.n_attributes * 2 + 4)
    with pytest.raises(ValueError, match="y holds a label index outside"):
        log_likelihood_and_gradient(w, enc, [[0, 2], [1]], 2)
    model = LinearChainCRF().fit(X, [["p", "q"], ["p"]])
    with pytest.raises(ValueError, match="y_seqs holds labels outside the label set"):
        model.score(X, [["p", "r"], ["p"]])


def test_mismatched_lengths_raise():
    X = [[["a"], ["b"]], [["a"]]]
    with pytest.raises(ValueError, match=r"y_seqs\[0\] must have one label per token"):
        LinearChainCRF().fit(X, [["p"], ["q"]])
    with pytest.raises(ValueError, match="y_seqs must hold one label sequence per input"):
        LinearChainCRF().fit(X, [["p", "q"]])
    enc, _ = extract_features(X)
    with pytest.raises(ValueError, match=r"y\[1\] has 2 labels"):
        log_likelihood_and_gradient(np.zeros(enc.n_attributes * 2 + 4), enc, [[0, 1], [0, 1]], 2)
    with pytest.raises(ValueError, match="weights must have"):
        log_likelihood_and_gradient(np.zeros(3), enc, [[0, 1], [0]], 2)
    with pytest.raises(ValueError, match="transition"):
        marginals(np.zeros((4, 3)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="state_weights"):
        state_scores(enc, np.zeros((enc.n_attributes + 1, 2)))


def test_bad_parameters_and_tokens():
    X, y = [[["a"], ["b"]]], [["p", "q"]]
    with pytest.raises(ValueError, match="l2"):
        LinearChainCRF(l2=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="tol"):
        LinearChainCRF(tol=0.0).fit(X, y)
    with pytest.raises(ValueError, match="max_iter"):
        LinearChainCRF(max_iter=0).fit(X, y)
    with pytest.raises(ValueError, match="not fitted"):
        LinearChainCRF().predict(X)
    with pytest.raises(TypeError, match=r"X_seqs\[0\]\[1\]"):
        extract_features([[["a"], 3]])
    with pytest.raises(ValueError, match="must be finite"):
        extract_features([[{"a": np.nan}]])
    with pytest.raises(ValueError, match="unary"):
        viterbi(np.array([[np.nan, 0.0]]), np.zeros((2, 2)))


def test_tagging_corpus_is_the_generator_it_documents():
    from notes_lib.crf import TAGGING_TAGS, featurise, tagging_corpus

    data = tagging_corpus(200, seed=3)
    assert data.sentences == tagging_corpus(200, seed=3).sentences  # deterministic
    np.testing.assert_allclose(data.transitions.sum(axis=1), 1.0)
    assert len(data.ambiguous) > 40
    assert set(data.ambiguous) <= set(data.lexicon["NOUN"]) & set(data.lexicon["VERB"])
    for words, tags in data.sentences:
        assert 1 <= len(words) == len(tags) <= 25
        assert set(tags) <= set(TAGGING_TAGS)
        assert all(w in data.lexicon[t] for w, t in zip(words, tags, strict=True))
        # the Markov chain never takes a transition of probability 0
        for a, b in itertools.pairwise(tags):
            assert data.transitions[TAGGING_TAGS.index(a), TAGGING_TAGS.index(b)] > 0
    X, y = featurise(data.sentences[:2])
    assert X[0][0][:2] == ["bias", "word:" + data.sentences[0][0][0]]
    assert X[0][0][4] == "prev:<s>" and y[0] == data.sentences[0][1]
    with pytest.raises(ValueError, match="n_sentences must be >= 1"):
        tagging_corpus(0)
