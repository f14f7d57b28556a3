"""Linear-chain conditional random fields (section 2.12 of the notes).

A linear-chain CRF (Eq. (2.81)-(2.82)) scores a label sequence
:math:`y = (y_1, \\dots, y_n)` of an input sequence :math:`x` by

.. math:: \\mathrm{score}(y, x) = \\sum_{i=1}^{n} U_i(y_i) + \\sum_{i=2}^{n} T(y_{i-1}, y_i),

where the **state scores** :math:`U_i(c) = \\sum_l \\mu_l s_l(y_i = c, x, i)` come from
state features and the **transition scores** :math:`T(a, b) = \\sum_k \\lambda_k
t_k(y_{i-1} = a, y_i = b, x, i)` from transition features, and
:math:`P(y \\mid x) = \\exp(\\mathrm{score}(y, x)) / Z(x)`.

Features follow CRFsuite: every *attribute* of a token (a string such as
``"word:dog"`` or ``"suffix2:og"``, with a real value, 1 by default) is paired with
every label, giving the state features :math:`s_{(a, c)}(y_i, x, i) = v_a(x, i)\\,
I(y_i = c)` with weight matrix ``state_weights`` of shape (n_attributes, n_labels);
the transition features are the label-pair indicators
:math:`t_{(a, b)} = I(y_{i-1} = a, y_i = b)` with weight matrix ``transition``
(n_labels, n_labels). There is no special start or stop label: a start-of-sentence
attribute on the first token plays that role.

Functions
---------
* :func:`extract_features` -- token attribute dicts/lists to a sparse-by-index array
  representation (:class:`EncodedSequences`);
* :func:`state_scores` -- the state scores :math:`U_i(c)` of every token;
* :func:`log_partition` -- :math:`\\ln Z(x)` by the forward algorithm in log space;
* :func:`marginals` -- :math:`P(y_i = c \\mid x)` and
  :math:`P(y_{i-1} = a, y_i = b \\mid x)` by forward-backward;
* :func:`viterbi` -- the most probable label sequence;
* :func:`log_likelihood_and_gradient` -- the L2-regularised conditional
  log-likelihood and its gradient, empirical minus expected feature counts;
* :func:`lbfgs` -- a small L-BFGS minimiser (two-loop recursion, Armijo backtracking);
* :class:`LinearChainCRF` -- a scikit-learn style estimator.

The public single-sequence functions run their recursions in log space
(log-sum-exp). The batched pass used in training and in
:meth:`LinearChainCRF.predict_marginals` runs Rabiner's *scaled* recursions (probabilities
renormalised at every position, :math:`\\ln Z` accumulated as a sum of logarithms), which
replace the log-sum-exp over labels by a matrix product, and falls back to the log-space
recursions if a scaling constant underflows. Everything is vectorised over labels and
over the sequences of a batch (sorted by length, so no work is spent on padding); the
only Python loops are over positions (the recursions are sequential) and over optimiser
iterations.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

import numpy as np

from ._validation import as_float_array, check_int, check_scalar

__all__ = [
    "EncodedSequences",
    "LBFGSResult",
    "LinearChainCRF",
    "extract_features",
    "lbfgs",
    "log_likelihood_and_gradient",
    "log_partition",
    "marginals",
    "state_scores",
    "viterbi",
]


# ---------------------------------------------------------------- helpers
def _lse(a: np.ndarray, axis: int) -> np.ndarray:
    """Log-sum-exp along ``axis`` (inputs finite; no validation: internal hot path)."""
    m = np.max(a, axis=axis, keepdims=True)
    return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(a - m), axis=axis))


def _check_potentials(unary: object, transition: object) -> tuple[np.ndarray, np.ndarray]:
    U = as_float_array(unary, "unary", ndim=2)
    if U.shape[0] < 1:
        raise ValueError(f"unary must describe a non-empty sequence, got shape {U.shape}")
    if U.shape[1] < 1:
        raise ValueError(f"unary must have at least one label (column), got shape {U.shape}")
    T = as_float_array(transition, "transition", ndim=2)
    L = U.shape[1]
    if T.shape != (L, L):
        raise ValueError(f"transition must have shape ({L}, {L}) to match unary's {L} labels, "
                         f"got {T.shape}")
    return U, T


# ------------------------------------------------------ batched recursions
def _forward(U: np.ndarray, mask: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Forward variables :math:`\\ln\\alpha_i(c)` for a padded batch.

    ``U`` (B, n_max, L) state scores, ``mask`` (B, n_max) valid positions (a prefix of
    each row), ``T`` (L, L). Returns ``log_alpha`` (B, n_max, L) and ``log_Z`` (B,).
    Past the end of a sequence :math:`\\alpha` is carried unchanged.
    """
    n_max = U.shape[1]
    log_alpha = np.empty_like(U)
    log_alpha[:, 0] = U[:, 0]
    for i in range(1, n_max):
        # ln alpha_i(b) = U_i(b) + ln sum_a exp(ln alpha_{i-1}(a) + T(a, b))
        new = U[:, i] + _lse(log_alpha[:, i - 1, :, None] + T, axis=1)
        log_alpha[:, i] = np.where(mask[:, i, None], new, log_alpha[:, i - 1])
    return log_alpha, _lse(log_alpha[:, -1], axis=1)


def _backward(U: np.ndarray, mask: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Backward variables :math:`\\ln\\beta_i(c)`, (B, n_max, L); 0 at the last position
    of each sequence (and on the padding)."""
    n_max = U.shape[1]
    log_beta = np.zeros_like(U)
    for i in range(n_max - 2, -1, -1):
        # ln beta_i(a) = ln sum_b exp(T(a, b) + U_{i+1}(b) + ln beta_{i+1}(b))
        new = _lse(T + (U[:, i + 1] + log_beta[:, i + 1])[:, None, :], axis=2)
        log_beta[:, i] = np.where(mask[:, i + 1, None], new, 0.0)
    return log_beta


def _batch_marginals(U: np.ndarray, mask: np.ndarray, T: np.ndarray):
    """Node and edge marginals of a padded batch, and :math:`\\ln Z`.

    Returns ``node`` (B, n_max, L), ``edge`` (B, n_max - 1, L, L) (edge ``i`` joins
    positions ``i`` and ``i + 1``; zero on padding) and ``log_Z`` (B,).
    """
    log_alpha, log_Z = _forward(U, mask, T)
    log_beta = _backward(U, mask, T)
    log_node = log_alpha + log_beta - log_Z[:, None, None]
    node = np.exp(np.where(mask[:, :, None], log_node, -np.inf))
    log_edge = (log_alpha[:, :-1, :, None] + T + (U[:, 1:] + log_beta[:, 1:])[:, :, None, :]
                - log_Z[:, None, None, None])
    edge = np.exp(np.where(mask[:, 1:, None, None], log_edge, -np.inf))
    return node, edge, log_Z


def _sorted_batch(lengths: np.ndarray):
    """Order of the sequences by decreasing length and, for each position ``i``, the
    number of sequences still running there: after sorting, the active sequences at
    position ``i`` are the first ``active[i]`` rows (no work is spent on padding)."""
    order = np.argsort(-lengths, kind="stable")
    n_max = int(lengths.max())
    active = (lengths[:, None] > np.arange(n_max)).sum(axis=0)
    return order, active


def _batch_marginals_scaled(U: np.ndarray, lengths: np.ndarray, T: np.ndarray):
    """Node marginals and :math:`\\ln Z` as :func:`_batch_marginals` (but the edge
    marginals summed over sequences and positions, shape (L, L)), computed by the
    *scaled* forward-backward
    recursions in probability space (Rabiner's scaling), which turn the log-sum-exp over
    labels into a matrix product.

    With :math:`E_i(c) = e^{U_i(c) - m_i}`, :math:`m_i = \\max_c U_i(c)`, and
    :math:`M = e^{T - \\max T}`, the normalised forward vectors
    :math:`\\hat\\alpha_i = (\\hat\\alpha_{i-1} M) \\odot E_i / c_i` (:math:`c_i` makes them
    sum to 1) give :math:`\\ln Z = \\sum_i (\\ln c_i + m_i) + (n - 1)\\max T`. Every
    quantity stays in [0, 1] and :math:`\\ln Z` is accumulated in log space. If a scaling
    constant underflows to 0 (score gaps beyond ~700 nats), the log-space recursions
    are used instead.
    """
    B, n_max, L = U.shape
    order, active = _sorted_batch(lengths)
    Us = U[order]
    m = Us.max(axis=2)                                   # (B, n_max)
    E = np.exp(Us - m[:, :, None])
    t_max = T.max()
    M = np.exp(T - t_max)
    a_hat = np.zeros((B, n_max, L))
    c = np.ones((B, n_max))
    a = E[:, 0]
    c[:, 0] = a.sum(axis=1)
    a_hat[:, 0] = a / c[:, 0, None]
    with np.errstate(divide="ignore", invalid="ignore", under="ignore"):
        for i in range(1, n_max):
            k = active[i]
            a = (a_hat[:k, i - 1] @ M) * E[:k, i]
            c[:k, i] = a.sum(axis=1)
            a_hat[:k, i] = a / c[:k, i, None]
    if not np.all(c > 0) or not np.all(np.isfinite(c)):
        mask = np.arange(n_max) < lengths[:, None]
        node, edge, log_Z = _batch_marginals(U, mask, T)
        return node, edge.sum(axis=(0, 1)), log_Z
    b_hat = np.zeros((B, n_max, L))
    b_hat[np.arange(B), lengths[order] - 1] = 1.0
    for i in range(n_max - 2, -1, -1):
        k = active[i + 1]                                # sequences that have position i + 1
        b_hat[:k, i] = ((E[:k, i + 1] * b_hat[:k, i + 1]) @ M.T) / c[:k, i + 1, None]
    sorted_mask = np.arange(n_max) < lengths[order][:, None]
    log_Z = ((np.log(c) + m) * sorted_mask).sum(axis=1) + (lengths[order] - 1) * t_max
    node = a_hat * b_hat                                 # zero on padding (a_hat = 0 there)
    # expected transition counts summed over sequences and positions:
    # sum_{j,i} P(y_{i-1} = a, y_i = b | x_j) = M(a, b) * sum_{j,i} a_hat_{i-1}(a) G_i(b),
    # with G_i = E_i * b_hat_i / c_i (zero on padding): one (L, N) @ (N, L) product
    G = (E[:, 1:] * b_hat[:, 1:] / c[:, 1:, None]) * sorted_mask[:, 1:, None]
    pair_counts = M * (a_hat[:, :-1].reshape(-1, L).T @ G.reshape(-1, L))
    inverse = np.empty_like(order)
    inverse[order] = np.arange(B)
    return node[inverse], pair_counts, log_Z[inverse]


def _batch_viterbi(U: np.ndarray, mask: np.ndarray, T: np.ndarray):
    """Most probable paths of a padded batch: ``paths`` (B, n_max), ``scores`` (B,)."""
    B, n_max, L = U.shape
    delta = U[:, 0].copy()
    back = np.empty((B, n_max, L), dtype=np.int64)
    back[:, 0] = -1
    identity = np.broadcast_to(np.arange(L), (B, L))
    for i in range(1, n_max):
        # delta_i(b) = U_i(b) + max_a (delta_{i-1}(a) + T(a, b)); psi_i(b) = its arg max
        cand = delta[:, :, None] + T
        best = np.argmax(cand, axis=1)
        new = U[:, i] + np.take_along_axis(cand, best[:, None, :], axis=1)[:, 0]
        valid = mask[:, i, None]
        back[:, i] = np.where(valid, best, identity)  # padding: pointer to the same label
        delta = np.where(valid, new, delta)
    paths = np.empty((B, n_max), dtype=np.int64)
    paths[:, -1] = np.argmax(delta, axis=1)
    scores = np.max(delta, axis=1)
    rows = np.arange(B)
    for i in range(n_max - 1, 0, -1):
        paths[:, i - 1] = back[rows, i, paths[:, i]]
    return paths, scores


# --------------------------------------------------- single-sequence API
def log_partition(unary: object, transition: object) -> float:
    """:math:`\\ln Z(x)` of Eq. (2.81) by the forward algorithm in log space.

    .. math:: \\ln\\alpha_1(c) = U_1(c), \\qquad
              \\ln\\alpha_i(b) = U_i(b) + \\ln\\sum_a e^{\\ln\\alpha_{i-1}(a) + T(a, b)},
              \\qquad \\ln Z(x) = \\ln\\sum_c e^{\\ln\\alpha_n(c)},

    :math:`O(n L^2)` instead of the :math:`L^n` terms of the sum over :math:`y`.

    Parameters
    ----------
    unary : array-like of shape (n, n_labels)
        State scores :math:`U_i(c)` (:func:`state_scores`).
    transition : array-like of shape (n_labels, n_labels)
        Transition scores :math:`T(a, b)`, row = previous label.
    """
    U, T = _check_potentials(unary, transition)
    mask = np.ones((1, U.shape[0]), dtype=bool)
    return float(_forward(U[None], mask, T)[1][0])


def marginals(unary: object, transition: object) -> tuple[np.ndarray, np.ndarray]:
    """Posterior marginals by forward-backward.

    .. math:: P(y_i = c \\mid x) = \\frac{\\alpha_i(c)\\beta_i(c)}{Z(x)}, \\qquad
              P(y_{i-1} = a, y_i = b \\mid x)
              = \\frac{\\alpha_{i-1}(a)\\,e^{T(a, b) + U_i(b)}\\,\\beta_i(b)}{Z(x)}.

    Returns
    -------
    node : ndarray of shape (n, n_labels)
        :math:`P(y_i = c \\mid x)`; rows sum to 1.
    edge : ndarray of shape (n - 1, n_labels, n_labels)
        ``edge[i - 2, a, b]`` :math:`= P(y_{i-1} = a, y_i = b \\mid x)` for
        :math:`i = 2, \\dots, n`.
    """
    U, T = _check_potentials(unary, transition)
    mask = np.ones((1, U.shape[0]), dtype=bool)
    node, edge, _ = _batch_marginals(U[None], mask, T)
    return node[0], edge[0]


def viterbi(unary: object, transition: object) -> tuple[np.ndarray, float]:
    """The most probable label sequence :math:`\\arg\\max_y P(y \\mid x)` (Viterbi).

    .. math:: \\delta_1(c) = U_1(c), \\qquad
              \\delta_i(b) = U_i(b) + \\max_a\\,(\\delta_{i-1}(a) + T(a, b)),

    then backtracking from :math:`\\arg\\max_c \\delta_n(c)`; ties go to the smaller
    label index. Returns the path (label indices, shape (n,)) and its unnormalised
    score :math:`\\max_y \\mathrm{score}(y, x)`.
    """
    U, T = _check_potentials(unary, transition)
    mask = np.ones((1, U.shape[0]), dtype=bool)
    paths, scores = _batch_viterbi(U[None], mask, T)
    return paths[0], float(scores[0])


# -------------------------------------------------------- feature extraction
class EncodedSequences(NamedTuple):
    """Sequences of tokens with attributes, stored by index (a COO sparse matrix).

    Attributes
    ----------
    attr : ndarray of int64, shape (nnz,)
        Attribute index of each stored (token, attribute) entry.
    value : ndarray of float64, shape (nnz,)
        Its value :math:`v_a(x, i)`.
    token : ndarray of int64, shape (nnz,)
        Index of the token in the concatenation of all sequences.
    lengths : ndarray of int64, shape (n_sequences,)
        Length of each sequence (all >= 1).
    n_attributes : int
        Size of the attribute vocabulary.
    """

    attr: np.ndarray
    value: np.ndarray
    token: np.ndarray
    lengths: np.ndarray
    n_attributes: int


def _token_items(token: object, name: str, s: int, i: int):
    if isinstance(token, Mapping):
        for key, v in token.items():
            if not isinstance(key, str):
                raise TypeError(f"{name}[{s}][{i}] attribute names must be strings, got {key!r}")
            if isinstance(v, str):
                yield f"{key}:{v}", 1.0
            elif isinstance(v, numbers.Real):
                v = float(v)
                if not np.isfinite(v):
                    raise ValueError(f"{name}[{s}][{i}][{key!r}] must be finite, got {v}")
                yield key, v
            else:
                raise TypeError(f"{name}[{s}][{i}][{key!r}] must be a string or a real number, "
                                f"got {type(v).__name__}")
    elif isinstance(token, list | tuple):
        for a in token:
            if not isinstance(a, str):
                raise TypeError(f"{name}[{s}][{i}] must hold attribute strings, got {a!r}")
            yield a, 1.0
    else:
        raise TypeError(f"{name}[{s}][{i}] must be a dict of attributes or a list of attribute "
                        f"strings, got {type(token).__name__}")


def extract_features(X_seqs: object, vocabulary: dict[str, int] | None = None, *,
                     name: str = "X_seqs") -> tuple[EncodedSequences, dict[str, int]]:
    """Encode token attributes by index.

    Parameters
    ----------
    X_seqs : sequence of sequences of tokens
        A token is a dict ``{attribute: value}`` (a string value ``v`` of key ``k``
        becomes the attribute ``"k:v"`` with value 1, as in CRFsuite; a real value is
        the attribute's value) or a list of attribute strings (value 1 each).
    vocabulary : dict, optional
        Attribute -> index. ``None`` builds a new one (in order of first appearance);
        given, attributes not in it are ignored (unseen at training time).

    Returns
    -------
    encoded : EncodedSequences
    vocabulary : dict
    """
    if isinstance(X_seqs, str | bytes) or not isinstance(X_seqs, Sequence):
        raise TypeError(f"{name} must be a list of sequences, got {type(X_seqs).__name__}")
    if len(X_seqs) == 0:
        raise ValueError(f"{name} must hold at least one sequence")
    grow = vocabulary is None
    vocab: dict[str, int] = {} if grow else vocabulary
    attrs: list[int] = []
    values: list[float] = []
    tokens: list[int] = []
    lengths = []
    t = 0
    for s, seq in enumerate(X_seqs):
        if isinstance(seq, str | bytes) or not isinstance(seq, Sequence):
            raise TypeError(f"{name}[{s}] must be a list of tokens, got {type(seq).__name__}")
        if len(seq) == 0:
            raise ValueError(f"{name}[{s}] is an empty sequence; every sequence needs >= 1 token")
        for i, token in enumerate(seq):
            for a, v in _token_items(token, name, s, i):
                idx = vocab.get(a)
                if idx is None:
                    if not grow:
                        continue
                    idx = vocab[a] = len(vocab)
                attrs.append(idx)
                values.append(v)
                tokens.append(t)
            t += 1
        lengths.append(len(seq))
    enc = EncodedSequences(np.asarray(attrs, dtype=np.int64), np.asarray(values, dtype=np.float64),
                           np.asarray(tokens, dtype=np.int64), np.asarray(lengths, dtype=np.int64),
                           len(vocab))
    return enc, vocab


def _check_encoded(encoded: object) -> EncodedSequences:
    if not isinstance(encoded, EncodedSequences):
        raise TypeError(f"encoded must be an EncodedSequences (from extract_features), "
                        f"got {type(encoded).__name__}")
    return encoded


def state_scores(encoded: EncodedSequences, state_weights: object) -> np.ndarray:
    """State scores :math:`U_i(c) = \\sum_a \\mu_{a,c}\\, v_a(x, i)` of every token.

    Returns an array of shape (n_tokens, n_labels), tokens of all sequences
    concatenated in order.
    """
    enc = _check_encoded(encoded)
    W = as_float_array(state_weights, "state_weights", ndim=2)
    if W.shape[0] != enc.n_attributes:
        raise ValueError(f"state_weights must have {enc.n_attributes} rows (one per attribute), "
                         f"got shape {W.shape}")
    n_tokens = int(enc.lengths.sum())
    L = W.shape[1]
    # segment sums of the rows v_a * W[a] over each token's entries (entries are stored
    # token by token, so np.add.reduceat does it; tokens without entries score 0)
    out = np.zeros((n_tokens, L))
    if enc.token.size:
        contrib = enc.value[:, None] * W[enc.attr]
        first = np.flatnonzero(np.r_[True, enc.token[1:] != enc.token[:-1]])
        out[enc.token[first]] = np.add.reduceat(contrib, first, axis=0)
    return out


def _pad(flat: np.ndarray, lengths: np.ndarray, fill: float = 0.0):
    """Scatter per-token rows (n_tokens, ...) into (B, n_max, ...) with a mask."""
    B, n_max = lengths.size, int(lengths.max())
    mask = np.arange(n_max) < lengths[:, None]
    out = np.full((B, n_max, *flat.shape[1:]), fill, dtype=flat.dtype)
    out[mask] = flat
    return out, mask


def _check_labels(y: object, encoded: EncodedSequences, n_labels: int) -> np.ndarray:
    """``y`` (a list of integer label sequences, or a flat integer array) -> flat int64."""
    if isinstance(y, np.ndarray) and y.ndim == 1:
        flat = y
    else:
        if isinstance(y, str | bytes) or not isinstance(y, Sequence):
            raise TypeError(f"y must be a list of label-index sequences, got {type(y).__name__}")
        if len(y) != encoded.lengths.size:
            raise ValueError(f"y must hold one label sequence per input sequence: "
                             f"{encoded.lengths.size} sequences, {len(y)} label sequences")
        lens = [len(s) for s in y]
        bad = np.flatnonzero(np.asarray(lens) != encoded.lengths)
        if bad.size:
            s = int(bad[0])
            raise ValueError(f"y[{s}] has {lens[s]} labels but sequence {s} has "
                             f"{encoded.lengths[s]} tokens: lengths must match")
        flat = np.concatenate([np.asarray(s).ravel() for s in y])
    if flat.size != int(encoded.lengths.sum()):
        raise ValueError(f"y must have one label per token ({int(encoded.lengths.sum())}), "
                         f"got {flat.size}")
    if flat.dtype.kind not in "iu":
        if flat.dtype.kind == "f" and np.all(flat == np.floor(flat)):
            flat = flat.astype(np.int64)
        else:
            raise TypeError(f"y must hold integer label indices, got dtype {flat.dtype}")
    if np.any(flat < 0) or np.any(flat >= n_labels):
        raise ValueError(f"y holds a label index outside the label set 0..{n_labels - 1}")
    return flat.astype(np.int64)


def _unpack(weights: np.ndarray, n_attributes: int, n_labels: int):
    F, L = n_attributes, n_labels
    return weights[:F * L].reshape(F, L), weights[F * L:].reshape(L, L)


def log_likelihood_and_gradient(weights: object, encoded: EncodedSequences, y: object,
                                n_labels: int, l2: float = 0.0) -> tuple[float, np.ndarray]:
    """Regularised conditional log-likelihood and its gradient.

    .. math:: \\ell(w) = \\sum_{j} \\Big(w^\\top F(y^{(j)}, x^{(j)}) - \\ln Z(x^{(j)})\\Big)
              - \\frac{l_2}{2}\\|w\\|^2,

    .. math:: \\frac{\\partial \\ell}{\\partial w_k} = \\sum_j \\Big(F_k(y^{(j)}, x^{(j)})
              - \\mathbb{E}_{P(y \\mid x^{(j)})} F_k(y, x^{(j)})\\Big) - l_2 w_k,

    empirical minus expected feature counts :math:`F_k = \\sum_i f_k` (Eq. (2.82)); the
    expectation uses the marginals of :func:`marginals`.

    Parameters
    ----------
    weights : array-like of shape (n_attributes * n_labels + n_labels ** 2,)
        The state weights (row-major (n_attributes, n_labels)) followed by the
        transition weights (row-major (n_labels, n_labels)).
    encoded : EncodedSequences
    y : list of integer sequences, or flat integer array of length n_tokens
        Label indices in ``0 .. n_labels - 1``.
    n_labels : int
    l2 : float
        Coefficient of the penalty :math:`\\tfrac{l_2}{2}\\|w\\|^2` (``>= 0``).
    """
    enc = _check_encoded(encoded)
    L = check_int(n_labels, "n_labels", minimum=1)
    l2 = check_scalar(l2, "l2", minimum=0)
    w = as_float_array(weights, "weights", ndim=1)
    size = enc.n_attributes * L + L * L
    if w.size != size:
        raise ValueError(f"weights must have n_attributes * n_labels + n_labels**2 = {size} "
                         f"entries, got {w.size}")
    y_flat = _check_labels(y, enc, L)
    return _ll_grad(w, enc, y_flat, L, l2)


def _ll_grad(w: np.ndarray, enc: EncodedSequences, y_flat: np.ndarray, L: int, l2: float,
             padded_y: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[float, np.ndarray]:
    F = enc.n_attributes
    W, T = _unpack(w, F, L)
    U_flat = state_scores(enc, W)
    U, mask = _pad(U_flat, enc.lengths)
    Y, _ = _pad(y_flat, enc.lengths) if padded_y is None else padded_y
    node, pair_counts, log_Z = _batch_marginals_scaled(U, enc.lengths, T)

    # empirical score of the observed paths
    gold_state = U_flat[np.arange(y_flat.size), y_flat].sum()
    pair_mask = mask[:, 1:]
    prev, nxt = Y[:, :-1][pair_mask], Y[:, 1:][pair_mask]
    gold_trans = T[prev, nxt].sum()
    value = gold_state + gold_trans - log_Z.sum() - 0.5 * l2 * (w @ w)

    # state gradient: sum over stored entries of v_a (I(y_i = c) - P(y_i = c | x))
    diff = -node[mask]
    diff[np.arange(y_flat.size), y_flat] += 1.0
    keys = (enc.attr[:, None] * L + np.arange(L)).ravel()
    contrib = (enc.value[:, None] * diff[enc.token]).ravel()
    g_state = np.bincount(keys, weights=contrib, minlength=F * L)
    # transition gradient: observed pair counts minus expected pair counts
    g_trans = np.bincount(prev * L + nxt, minlength=L * L) - pair_counts.ravel()
    grad = np.concatenate([g_state, g_trans]) - l2 * w
    return float(value), grad


# ------------------------------------------------------------------ L-BFGS
class LBFGSResult(NamedTuple):
    """Result of :func:`lbfgs`: minimiser ``x``, value ``fun``, gradient ``grad``,
    iterations ``n_iter``, ``converged`` and the value after each iteration ``history``."""

    x: np.ndarray
    fun: float
    grad: np.ndarray
    n_iter: int
    converged: bool
    history: list[float]


def lbfgs(fun_and_grad: Callable[[np.ndarray], tuple[float, np.ndarray]], x0: object, *,
          max_iter: int = 200, tol: float = 1e-7, memory: int = 10) -> LBFGSResult:
    """Minimise a smooth function by limited-memory BFGS.

    The search direction is :math:`-H_k g_k`, with :math:`H_k` the BFGS inverse-Hessian
    approximation built from the last ``memory`` pairs
    :math:`s = x_{k+1} - x_k`, :math:`y = g_{k+1} - g_k` by the two-loop recursion
    (Nocedal & Wright, Alg. 7.4), initial scaling :math:`s^\\top y / y^\\top y`; the step
    length is found by Armijo backtracking from 1 (the first step is normalised to
    length 1). Pairs with :math:`s^\\top y \\le 10^{-10}\\|s\\|\\|y\\|` are skipped, keeping
    :math:`H_k` positive definite.

    Stops when :math:`\\|g\\|_\\infty \\le` ``tol`` :math:`\\cdot\\max(1, |f|)` or the relative
    decrease :math:`(f_k - f_{k+1})/\\max(1, |f_k|, |f_{k+1}|) \\le` ``tol``; warns
    (``RuntimeWarning``) at ``max_iter``.
    """
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    tol = check_scalar(tol, "tol", minimum=0, exclusive=True)
    memory = check_int(memory, "memory", minimum=1)
    x = as_float_array(x0, "x0", ndim=1).copy()
    f, g = fun_and_grad(x)
    S: list[np.ndarray] = []
    Yd: list[np.ndarray] = []
    history = [float(f)]
    converged = bool(np.max(np.abs(g), initial=0.0) <= tol * max(1.0, abs(f)))
    n_iter = 0
    while not converged and n_iter < max_iter:
        n_iter += 1
        # two-loop recursion: d = -H g
        q = g.copy()
        rhos = [1.0 / (yv @ sv) for sv, yv in zip(S, Yd, strict=True)]
        alphas = []
        for sv, yv, rho in zip(reversed(S), reversed(Yd), reversed(rhos), strict=True):
            a = rho * (sv @ q)
            alphas.append(a)
            q -= a * yv
        gamma = (S[-1] @ Yd[-1]) / (Yd[-1] @ Yd[-1]) if S else 1.0 / max(np.linalg.norm(g), 1e-12)
        r = gamma * q
        for sv, yv, rho, a in zip(S, Yd, rhos, reversed(alphas), strict=True):
            r += sv * (a - rho * (yv @ r))
        d = -r
        slope = g @ d
        if slope >= 0:  # not a descent direction (numerical trouble): restart
            S.clear()
            Yd.clear()
            d = -g / max(np.linalg.norm(g), 1e-12)
            slope = g @ d
        step = 1.0
        for _ in range(60):  # Armijo backtracking
            x_new = x + step * d
            f_new, g_new = fun_and_grad(x_new)
            if np.isfinite(f_new) and f_new <= f + 1e-4 * step * slope:
                break
            step *= 0.5
        else:
            break  # no decrease possible at machine precision: stop where we are
        s_vec, y_vec = x_new - x, g_new - g
        if s_vec @ y_vec > 1e-10 * np.linalg.norm(s_vec) * np.linalg.norm(y_vec):
            S.append(s_vec)
            Yd.append(y_vec)
            if len(S) > memory:
                S.pop(0)
                Yd.pop(0)
        decrease = (f - f_new) / max(1.0, abs(f), abs(f_new))
        x, f, g = x_new, f_new, g_new
        history.append(float(f))
        if decrease <= tol or np.max(np.abs(g)) <= tol * max(1.0, abs(f)):
            converged = True
    if not converged:
        warnings.warn(f"lbfgs did not converge in max_iter={max_iter} iterations",
                      RuntimeWarning, stacklevel=2)
    return LBFGSResult(x, float(f), g, n_iter, converged, history)


# ---------------------------------------------------------------- estimator
class LinearChainCRF:
    """Linear-chain CRF trained by maximum regularised conditional likelihood.

    Parameters
    ----------
    l2 : float, default 1.0
        Coefficient of the penalty :math:`\\tfrac{l_2}{2}\\|w\\|^2` subtracted from the
        summed log-likelihood (CRFsuite's ``c2`` is :math:`l_2 / 2`).
    max_iter : int, default 200
        Maximal number of L-BFGS iterations.
    tol : float, default 1e-7
        Stopping tolerance of :func:`lbfgs`.

    Attributes
    ----------
    classes_ : ndarray
        The sorted labels; label index ``c`` means ``classes_[c]``.
    vocabulary_ : dict
        Attribute -> row of ``state_weights_``.
    state_weights_ : ndarray of shape (n_attributes, n_labels)
        :math:`\\mu_{a,c}`.
    transition_weights_ : ndarray of shape (n_labels, n_labels)
        :math:`\\lambda_{a,b}` (row: previous label).
    objective_ : float
        The final value of the regularised log-likelihood.
    history_ : list of float
        The regularised log-likelihood after each iteration.
    n_iter_ : int
    converged_ : bool
    """

    def __init__(self, l2: float = 1.0, max_iter: int = 200, tol: float = 1e-7) -> None:
        self.l2 = l2
        self.max_iter = max_iter
        self.tol = tol

    def _flat_labels(self, X_len: np.ndarray, y_seqs: object, name: str = "y_seqs"):
        if isinstance(y_seqs, str | bytes) or not isinstance(y_seqs, Sequence):
            raise TypeError(f"{name} must be a list of label sequences, "
                            f"got {type(y_seqs).__name__}")
        if len(y_seqs) != X_len.size:
            raise ValueError(f"{name} must hold one label sequence per input sequence: "
                             f"{X_len.size} sequences, {len(y_seqs)} label sequences")
        for s, (seq, n) in enumerate(zip(y_seqs, X_len, strict=True)):
            if isinstance(seq, str | bytes) or len(seq) != n:
                raise ValueError(f"{name}[{s}] must have one label per token ({n}), "
                                 f"got {len(seq)}")
        return np.concatenate([np.asarray(seq) for seq in y_seqs])

    def fit(self, X_seqs: object, y_seqs: object) -> LinearChainCRF:
        """Learn the weights from token sequences ``X_seqs`` and label sequences ``y_seqs``."""
        l2 = check_scalar(self.l2, "l2", minimum=0)
        max_iter = check_int(self.max_iter, "max_iter", minimum=1)
        tol = check_scalar(self.tol, "tol", minimum=0, exclusive=True)
        enc, vocab = extract_features(X_seqs, name="X_seqs")
        y_all = self._flat_labels(enc.lengths, y_seqs)
        classes, y_idx = np.unique(y_all, return_inverse=True)
        L = classes.size
        F = enc.n_attributes
        padded_y = _pad(y_idx, enc.lengths)

        def fun_and_grad(w: np.ndarray) -> tuple[float, np.ndarray]:
            value, grad = _ll_grad(w, enc, y_idx, L, l2, padded_y)
            return -value, -grad

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            res = lbfgs(fun_and_grad, np.zeros(F * L + L * L), max_iter=max_iter, tol=tol)
        self.classes_ = classes
        self.vocabulary_ = vocab
        self.state_weights_, self.transition_weights_ = (a.copy() for a in _unpack(res.x, F, L))
        self.objective_ = -res.fun
        self.history_ = [-v for v in res.history]
        self.n_iter_ = res.n_iter
        self.converged_ = res.converged
        if not res.converged:
            warnings.warn(f"LinearChainCRF did not converge in max_iter={max_iter} iterations",
                          RuntimeWarning, stacklevel=2)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "classes_"):
            raise ValueError("this LinearChainCRF is not fitted yet; call fit(X_seqs, y_seqs) "
                             "first")

    def _potentials(self, X_seqs: object):
        self._check_fitted()
        enc, _ = extract_features(X_seqs, self.vocabulary_, name="X_seqs")
        U, mask = _pad(state_scores(enc, self.state_weights_), enc.lengths)
        return U, mask, enc.lengths

    def predict(self, X_seqs: object) -> list[np.ndarray]:
        """Viterbi label sequence of each input sequence (arrays of labels)."""
        U, mask, lengths = self._potentials(X_seqs)
        paths, _ = _batch_viterbi(U, mask, self.transition_weights_)
        return [self.classes_[p[:n]] for p, n in zip(paths, lengths, strict=True)]

    def predict_marginals(self, X_seqs: object) -> list[np.ndarray]:
        """:math:`P(y_i = c \\mid x)` for each sequence, arrays of shape (n, n_labels)."""
        U, _, lengths = self._potentials(X_seqs)
        node, _, _ = _batch_marginals_scaled(U, lengths, self.transition_weights_)
        return [m[:n] for m, n in zip(node, lengths, strict=True)]

    def log_likelihood(self, X_seqs: object, y_seqs: object) -> float:
        """Unregularised conditional log-likelihood
        :math:`\\sum_j \\ln P(y^{(j)} \\mid x^{(j)})` of labelled sequences."""
        self._check_fitted()
        enc, _ = extract_features(X_seqs, self.vocabulary_, name="X_seqs")
        y_all = self._flat_labels(enc.lengths, y_seqs)
        y_idx = self._label_index(y_all)
        w = np.concatenate([self.state_weights_.ravel(), self.transition_weights_.ravel()])
        return _ll_grad(w, enc, y_idx, self.classes_.size, 0.0)[0]

    def _label_index(self, y_all: np.ndarray) -> np.ndarray:
        known = np.isin(y_all, self.classes_)
        if not np.all(known):
            raise ValueError(f"y_seqs holds labels outside the label set seen in fit: "
                             f"{np.unique(y_all[~known]).tolist()}")
        return np.searchsorted(self.classes_, y_all)

    def score(self, X_seqs: object, y_seqs: object) -> float:
        """Token accuracy: the fraction of tokens whose Viterbi label equals ``y_seqs``."""
        pred = self.predict(X_seqs)
        lengths = np.array([p.size for p in pred])
        y_all = self._flat_labels(lengths, y_seqs)
        self._label_index(y_all)
        return float(np.mean(np.concatenate(pred) == y_all))


# --------------------------------------------------------------------------- tagging task
#: The six tags of the synthetic tagging task of section 2.12.
TAGGING_TAGS = ("DET", "ADJ", "NOUN", "VERB", "ADV", "PREP")


class TaggingCorpus(NamedTuple):
    """The synthetic tagging task: the sentences and the generator's hidden parameters."""

    sentences: list[tuple[list[str], list[str]]]  # (words, tags) pairs
    transitions: np.ndarray  # tag-to-tag transition probabilities, in TAGGING_TAGS order
    lexicon: dict[str, list[str]]  # the words of each tag
    ambiguous: list[str]  # the stems that are both nouns and verbs


def tagging_corpus(n_sentences: int = 800, seed: int = 0) -> TaggingCorpus:
    """The section's synthetic part-of-speech-like corpus: ``n_sentences`` (words, tags) pairs.

    An HMM-like generator: tags follow a first-order Markov chain (a start distribution, a
    transition matrix and a per-tag probability of ending the sentence after at least three
    tokens, at most 25), and each tag emits a word from its own Zipf-distributed lexicon.
    Adjectives, nouns, verbs and adverbs are made of random syllables, usually with a
    tag-specific suffix ("-ous", "-ism", "-ize", "-ly", ...); 60 stems are shared by the
    noun and verb lexicons, so that only the context can tell them apart.
    """
    n_sentences = check_int(n_sentences, "n_sentences", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    tags_ = list(TAGGING_TAGS)
    start = np.array([0.50, 0.10, 0.30, 0.0, 0.05, 0.05])
    transitions = np.array([
        [0.00, 0.35, 0.65, 0.00, 0.00, 0.00],   # DET  -> ADJ, NOUN
        [0.00, 0.15, 0.80, 0.00, 0.00, 0.05],   # ADJ  -> ADJ, NOUN, PREP
        [0.02, 0.00, 0.08, 0.60, 0.05, 0.25],   # NOUN -> VERB, PREP, ...
        [0.45, 0.10, 0.15, 0.00, 0.20, 0.10],   # VERB -> DET, ADV, ...
        [0.10, 0.20, 0.00, 0.50, 0.05, 0.15],   # ADV  -> VERB, ...
        [0.75, 0.10, 0.15, 0.00, 0.00, 0.00],   # PREP -> DET, ...
    ])
    stop = np.array([0.0, 0.0, 0.30, 0.15, 0.25, 0.0])  # P(sentence ends after this tag)
    rng = np.random.default_rng(seed)
    syllables = np.array(["ba", "ko", "ri", "tu", "me", "sa", "lo", "ni", "da", "pe", "gu",
                          "zi"])
    suffix = {"ADJ": ["ic", "ous", "al"], "NOUN": ["on", "et", "ism"],
              "VERB": ["ed", "es", "ize"], "ADV": ["ly", "al"]}
    all_suffixes = sorted({x for v in suffix.values() for x in v})

    def stem() -> str:
        return "".join(rng.choice(syllables, size=rng.integers(1, 4)))

    lexicon = {"DET": ["the", "a", "this", "every"], "PREP": ["on", "in", "of", "by", "to"]}
    for tag, size in (("ADJ", 150), ("NOUN", 300), ("VERB", 200), ("ADV", 60)):
        words = [stem() + (rng.choice(suffix[tag]) if rng.random() < 0.7
                           else rng.choice([*all_suffixes, ""])) for _ in range(size)]
        lexicon[tag] = list(dict.fromkeys(words))
    shared = list(dict.fromkeys(stem() for _ in range(60)))  # noun/verb ambiguous stems
    for k, word in enumerate(shared):
        lexicon["NOUN"].insert(2 * k, word)
        lexicon["VERB"].insert(2 * k + 1, word)
    zipf = {}
    for tag, ws in lexicon.items():
        weights = 1 / np.arange(1, len(ws) + 1) ** 0.9
        zipf[tag] = weights / weights.sum()

    def sentence() -> tuple[list[str], list[str]]:
        tags = [rng.choice(6, p=start)]
        while len(tags) < 25:
            if len(tags) >= 3 and rng.random() < stop[tags[-1]]:
                break
            tags.append(rng.choice(6, p=transitions[tags[-1]]))
        words = [str(lexicon[tags_[t]][rng.choice(len(lexicon[tags_[t]]), p=zipf[tags_[t]])])
                 for t in tags]
        return words, [tags_[t] for t in tags]

    return TaggingCorpus([sentence() for _ in range(n_sentences)], transitions, lexicon,
                         shared)


def token_attributes(words: list[str], i: int) -> list[str]:
    """CRFsuite-style attributes of token ``i``: a bias, the word, its last two and three
    letters, and the previous and next word (with sentence-boundary markers)."""
    word = words[i]
    return ["bias", "word:" + word, "suf2:" + word[-2:], "suf3:" + word[-3:],
            "prev:" + (words[i - 1] if i > 0 else "<s>"),
            "next:" + (words[i + 1] if i + 1 < len(words) else "</s>")]


def featurise(sentences: list[tuple[list[str], list[str]]]
              ) -> tuple[list[list[list[str]]], list[list[str]]]:
    """Attribute lists (:func:`token_attributes`) and tag lists of (words, tags) pairs."""
    return ([[token_attributes(w, i) for i in range(len(w))] for w, _ in sentences],
            [tags for _, tags in sentences])
