"""The hidden Markov model of section 2.11: its three problems, solved.

A (discrete, categorical) HMM :math:`\\lambda = (A, B, \\vec\\pi)` has states
:math:`q_1, \\dots, q_N` and observation symbols :math:`v_1, \\dots, v_M`
(Eq. (2.76)); here both are coded ``0, 1, ...``. The parameters are

* ``A`` of shape (N, N), :math:`a_{ij} = P(i_{t+1} = q_j \\mid i_t = q_i)` (Eq. (2.77));
* ``B`` of shape (N, M), :math:`b_j(k) = P(o_t = v_k \\mid i_t = q_j)` (Eq. (2.78),
  corrected: the notes write :math:`o_t = q_j`, but observations are symbols
  :math:`v_k`, not states);
* ``pi`` of shape (N,), :math:`\\pi_i = P(i_1 = q_i)` (Eq. (2.79)).

The three problems:

1. evaluation, :math:`P(O \\mid \\lambda)`: :func:`forward`, :func:`backward`,
   :func:`log_likelihood`;
2. learning: :func:`baum_welch` (EM), using the posteriors :func:`posterior_marginals`
   (:math:`\\gamma`) and :func:`pairwise_marginals` (:math:`\\xi`);
3. decoding: :func:`viterbi`.

:class:`CategoricalHMM` wraps them as a scikit-learn-style estimator.

Numerics. The forward variables :math:`\\alpha_t(i) = P(o_1..o_t, i_t = q_i)` shrink
geometrically in :math:`t` and underflow double precision after a few hundred
steps. The default ``method="scaled"`` keeps the normalised
:math:`\\hat\\alpha_t = \\alpha_t / P(o_1..o_t)` and the scale factors
:math:`c_t = P(o_t \\mid o_1..o_{t-1})`, so that
:math:`\\ln P(O\\mid\\lambda) = \\sum_t \\ln c_t`: one matrix-vector product per time
step. ``method="log"`` runs the recursions on logarithms with log-sum-exp. Both
return logarithms; both are vectorised over states and loop only over time.
Viterbi runs on log probabilities (a max of sums needs no rescaling).
"""

# ruff: noqa: E741  (O is the notes' name of the observation sequence)
from __future__ import annotations

import numbers
import warnings
from typing import NamedTuple

import numpy as np

from ._validation import as_float_array, check_choice, check_int, check_scalar

__all__ = [
    "LI_HANG_A",
    "LI_HANG_B",
    "LI_HANG_PI",
    "BaumWelchResult",
    "CategoricalHMM",
    "ConvergenceWarning",
    "backward",
    "baum_welch",
    "check_observations",
    "check_parameters",
    "forward",
    "log_likelihood",
    "pairwise_marginals",
    "posterior_marginals",
    "sample",
    "viterbi",
]

#: Li Hang, *Statistical Learning Methods*, Example 10.2: three boxes (states),
#: balls red (symbol 0) and white (symbol 1).
LI_HANG_A = np.array([[0.5, 0.2, 0.3], [0.3, 0.5, 0.2], [0.2, 0.3, 0.5]])
LI_HANG_B = np.array([[0.5, 0.5], [0.4, 0.6], [0.7, 0.3]])
LI_HANG_PI = np.array([0.2, 0.4, 0.4])

_ATOL = 1e-8


class ConvergenceWarning(RuntimeWarning):
    """Baum-Welch stopped at ``max_iter`` before the log-likelihood gain fell below ``tol``."""


def _stochastic(value: object, name: str, ndim: int) -> np.ndarray:
    arr = as_float_array(value, name, ndim=ndim)
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if np.any(arr < 0):
        raise ValueError(f"{name} must hold probabilities >= 0, got a negative entry "
                         f"{arr.min():g}")
    sums = arr.sum(axis=-1)
    bad = np.abs(sums - 1.0) > _ATOL
    if np.any(bad):
        where = "" if ndim == 1 else f" (row {int(np.argmax(bad))} sums to " \
                                     f"{sums[np.argmax(bad)]:.6g})"
        what = "its entries" if ndim == 1 else "every row"
        raise ValueError(f"{name} must be a probability distribution: {what} must sum to 1"
                         + (where if ndim > 1 else f", got {float(sums):.6g}"))
    return arr


def check_parameters(A: object, B: object, pi: object) -> tuple[np.ndarray, ...]:
    """Validate :math:`\\lambda = (A, B, \\vec\\pi)` and return them as float arrays.

    ``A`` must be (N, N), ``B`` (N, M), ``pi`` (N,), all entries >= 0, every row of
    ``A`` and ``B`` and ``pi`` itself summing to 1 (to within 1e-8).
    """
    A = _stochastic(A, "A", 2)
    B = _stochastic(B, "B", 2)
    pi = _stochastic(pi, "pi", 1)
    N = pi.shape[0]
    if A.shape != (N, N):
        raise ValueError(f"A must have shape (N, N) = ({N}, {N}) for N = len(pi) = {N} "
                         f"states, got {A.shape}")
    if B.shape[0] != N:
        raise ValueError(f"B must have one row per state (N = {N}), got shape {B.shape}")
    return A, B, pi


def check_observations(O: object, n_symbols: int | None = None, name: str = "O") -> np.ndarray:
    """A non-empty 1-D int64 array of symbol codes ``0 .. n_symbols - 1``."""
    if isinstance(O, str | bytes) or O is None:
        raise TypeError(f"{name} must be a sequence of integer symbol codes, "
                        f"got {type(O).__name__}")
    arr = np.asarray(O)
    if arr.dtype == object:
        raise TypeError(f"{name} must be a sequence of integer symbol codes")
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-dimensional (one sequence), got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty: a sequence needs T >= 1 observations")
    if arr.dtype.kind == "b" or arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold integer symbol codes, got dtype {arr.dtype}")
    if arr.dtype.kind == "f" and (not np.all(np.isfinite(arr)) or np.any(arr != np.floor(arr))):
        raise ValueError(f"{name} must hold integer symbol codes, got non-integer values")
    arr = arr.astype(np.int64)
    if np.any(arr < 0):
        raise ValueError(f"{name} holds the symbol {int(arr.min())}: symbols must be "
                         "codes >= 0")
    if n_symbols is not None and np.any(arr >= n_symbols):
        raise ValueError(f"{name} holds the symbol {int(arr.max())}, outside the alphabet "
                         f"0..{n_symbols - 1} of B (M = {n_symbols} symbols)")
    return arr


def _prepare(O: object, A: object, B: object, pi: object) -> tuple[np.ndarray, ...]:
    A, B, pi = check_parameters(A, B, pi)
    O = check_observations(O, B.shape[1])
    return O, A, B, pi


def _log(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log(x)


# ------------------------------------------------------------------ scaled recursions
def _forward_scaled(Bo: np.ndarray, A: np.ndarray, pi: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Normalised forward variables and scale factors.

    ``Bo[t] = B[:, o_t]``. Returns ``alpha_hat`` (T, N), each row summing to 1
    (:math:`P(i_t \\mid o_1..o_t)`), and ``c`` (T,), :math:`c_t = P(o_t \\mid o_{<t})`.
    If :math:`P(O) = 0` the rows from the first impossible step on are 0 and
    ``c`` is 0 there.
    """
    T, N = Bo.shape
    alpha = np.zeros((T, N))
    c = np.zeros(T)
    a = pi * Bo[0]
    for t in range(T):
        if t:
            a = (a @ A) * Bo[t]                 # Eq. (alpha): sum_i alpha_{t-1}(i) a_ij b_j(o_t)
        s = a.sum()
        if s == 0.0:                            # the observations are impossible
            break
        a = a / s
        alpha[t] = a
        c[t] = s
    return alpha, c


def _backward_scaled(Bo: np.ndarray, A: np.ndarray, c: np.ndarray) -> np.ndarray:
    """``beta_hat[t] = beta_t / prod_{s > t} c_s`` for the scale factors of the forward pass."""
    T, N = Bo.shape
    beta = np.zeros((T, N))
    b = np.ones(N)
    beta[T - 1] = b
    for t in range(T - 2, -1, -1):
        if c[t + 1] == 0.0:
            b = np.zeros(N)
        else:
            b = A @ (Bo[t + 1] * b) / c[t + 1]  # sum_j a_ij b_j(o_{t+1}) beta_{t+1}(j)
        beta[t] = b
    return beta


def _loglik_tree(Bo: np.ndarray, A: np.ndarray, pi: np.ndarray) -> float:
    """:math:`\\ln P(O)` without storing :math:`\\alpha`: a product of matrices, tree-reduced.

    :math:`P(O) = (\\vec\\pi \\odot b(o_1))^T M_2 M_3 \\cdots M_T \\mathbf 1` with
    :math:`M_t = A\\,\\mathrm{diag}(b(o_t))` (the forward recursion written as matrix
    products). The :math:`T-1` matrices are multiplied pairwise, level by level (a
    balanced tree of batched ``matmul``: about :math:`\\log_2 T` NumPy calls instead
    of :math:`T`), each product rescaled to maximum 1 with its log scale kept.
    """
    v = pi * Bo[0]
    s = v.sum()
    if s == 0.0:
        return -np.inf
    logscale = float(np.log(s))
    v = v / s
    if Bo.shape[0] == 1:
        return logscale
    M = A[None, :, :] * Bo[1:, None, :]                # M_t = A diag(b(o_t)), t = 2..T
    while True:
        mx = M.reshape(M.shape[0], -1).max(axis=1)
        if np.any(mx == 0.0):                          # a zero factor: P(O) = 0
            return -np.inf
        M *= (1.0 / mx)[:, None, None]
        logscale += float(np.log(mx).sum())
        n = M.shape[0]
        if n == 1:
            break
        P = M[0:n - 1:2] @ M[1:n:2]
        if n % 2:
            P[-1] = P[-1] @ M[-1]
        M = P
    s = float((v @ M[0]).sum())
    return logscale + np.log(s) if s > 0 else -np.inf


# ------------------------------------------------------------------ log recursions
def _lse(a: np.ndarray, axis: int) -> np.ndarray:
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        return np.squeeze(np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m, axis)


def _forward_log(logBo: np.ndarray, logA: np.ndarray, logpi: np.ndarray) -> np.ndarray:
    T, N = logBo.shape
    out = np.empty((T, N))
    out[0] = logpi + logBo[0]
    for t in range(1, T):
        out[t] = _lse(out[t - 1][:, None] + logA, axis=0) + logBo[t]
    return out


def _backward_log(logBo: np.ndarray, logA: np.ndarray) -> np.ndarray:
    T, N = logBo.shape
    out = np.empty((T, N))
    out[T - 1] = 0.0
    for t in range(T - 2, -1, -1):
        out[t] = _lse(logA + (logBo[t + 1] + out[t + 1])[None, :], axis=1)
    return out


# ------------------------------------------------------------------ public functions
def forward(O: object, A: object, B: object, pi: object, method: str = "scaled") -> np.ndarray:
    """Log forward variables
    :math:`\\ln\\alpha_t(i) = \\ln P(o_1, \\dots, o_t, i_t = q_i \\mid \\lambda)`.

    Recursion: :math:`\\alpha_1(i) = \\pi_i b_i(o_1)`,
    :math:`\\alpha_{t+1}(j) = \\big[\\sum_i \\alpha_t(i) a_{ij}\\big] b_j(o_{t+1})`,
    and :math:`P(O \\mid \\lambda) = \\sum_i \\alpha_T(i)`.

    Parameters
    ----------
    O : array-like of int, shape (T,)
        Observation codes ``0 .. M-1`` (:math:`o_t = v_{O[t]+1}`).
    A, B, pi : array-like
        The model :math:`\\lambda` (Eq. (2.77)-(2.79)); see the module docstring.
    method : {"scaled", "log"}
        Normalised recursion with scale factors (one matrix-vector product per
        step), or log-sum-exp on logarithms. Both give logarithms that do not
        underflow for long sequences.

    Returns
    -------
    ndarray of shape (T, N)
        :math:`\\ln\\alpha_t(i)`; ``-inf`` where :math:`\\alpha_t(i) = 0`.
    """
    O, A, B, pi = _prepare(O, A, B, pi)
    method = check_choice(method, "method", ("scaled", "log"))
    if method == "log":
        return _forward_log(_log(B[:, O].T), _log(A), _log(pi))
    alpha, c = _forward_scaled(B[:, O].T, A, pi)
    return _log(alpha) + np.cumsum(_log(c))[:, None]


def backward(O: object, A: object, B: object, pi: object, method: str = "scaled") -> np.ndarray:
    """Log backward variables
    :math:`\\ln\\beta_t(i) = \\ln P(o_{t+1}, \\dots, o_T \\mid i_t = q_i, \\lambda)`.

    Recursion: :math:`\\beta_T(i) = 1`,
    :math:`\\beta_t(i) = \\sum_j a_{ij} b_j(o_{t+1}) \\beta_{t+1}(j)`, and
    :math:`P(O \\mid \\lambda) = \\sum_i \\pi_i b_i(o_1) \\beta_1(i)`.
    Parameters as in :func:`forward` (``pi`` is validated; :math:`\\beta` does not
    depend on it except through the scale factors of ``method="scaled"``).

    Returns
    -------
    ndarray of shape (T, N)
    """
    O, A, B, pi = _prepare(O, A, B, pi)
    method = check_choice(method, "method", ("scaled", "log"))
    Bo = B[:, O].T
    if method == "log":
        return _backward_log(_log(Bo), _log(A))
    _, c = _forward_scaled(Bo, A, pi)
    if np.any(c == 0.0):                        # P(O) = 0: fall back to the log recursion
        return _backward_log(_log(Bo), _log(A))
    beta = _backward_scaled(Bo, A, c)
    tail = np.concatenate([np.cumsum(np.log(c[::-1]))[::-1][1:], [0.0]])  # sum_{s>t} ln c_s
    return _log(beta) + tail[:, None]


def log_likelihood(O: object, A: object, B: object, pi: object, method: str = "scaled") -> float:
    """:math:`\\ln P(O \\mid \\lambda)` by the forward algorithm (problem 1).

    ``method="scaled"`` (default) multiplies the matrices
    :math:`A\\,\\mathrm{diag}(b(o_t))` of the forward recursion pairwise with rescaling
    (equal to :math:`\\sum_t \\ln c_t` of the scaled forward pass, but vectorised over
    time); ``method="log"`` runs the log-sum-exp forward recursion. The result is
    ``-inf`` when the sequence is impossible under :math:`\\lambda`.
    """
    O, A, B, pi = _prepare(O, A, B, pi)
    method = check_choice(method, "method", ("scaled", "log"))
    if method == "log":
        return float(_lse(_forward_log(_log(B[:, O].T), _log(A), _log(pi))[-1], axis=0))
    return float(_loglik_tree(B[:, O].T, A, pi))


def _posteriors(O: np.ndarray, A: np.ndarray, B: np.ndarray, pi: np.ndarray
                ) -> tuple[np.ndarray, ...]:
    """``(gamma, alpha_hat, beta_hat, Bo, c)`` from the scaled forward-backward pass."""
    Bo = B[:, O].T
    alpha, c = _forward_scaled(Bo, A, pi)
    if np.any(c == 0.0):
        raise ValueError("O has probability 0 under the model (A, B, pi): its posteriors "
                         "are undefined")
    beta = _backward_scaled(Bo, A, c)
    gamma = alpha * beta
    return gamma, alpha, beta, Bo, c


def posterior_marginals(O: object, A: object, B: object, pi: object) -> np.ndarray:
    """Posterior state marginals :math:`\\gamma_t(i) = P(i_t = q_i \\mid O, \\lambda)`
    :math:`= \\alpha_t(i)\\beta_t(i) / P(O \\mid \\lambda)`.

    Returns an array of shape (T, N) whose rows sum to 1. Raises ``ValueError``
    if :math:`P(O \\mid \\lambda) = 0`.
    """
    O, A, B, pi = _prepare(O, A, B, pi)
    return _posteriors(O, A, B, pi)[0]


def pairwise_marginals(O: object, A: object, B: object, pi: object) -> np.ndarray:
    """:math:`\\xi_t(i, j) = P(i_t = q_i, i_{t+1} = q_j \\mid O, \\lambda)`, :math:`t = 1..T-1`.

    .. math:: \\xi_t(i, j) = \\frac{\\alpha_t(i)\\, a_{ij}\\, b_j(o_{t+1})\\, \\beta_{t+1}(j)}
                                 {P(O \\mid \\lambda)}

    Returns an array of shape (T - 1, N, N); each slice sums to 1 and its row
    sums are :math:`\\gamma_t(i)`.
    """
    O, A, B, pi = _prepare(O, A, B, pi)
    _, alpha, beta, Bo, c = _posteriors(O, A, B, pi)
    right = Bo[1:] * beta[1:] / c[1:, None]                     # (T-1, N)
    return alpha[:-1, :, None] * A[None, :, :] * right[:, None, :]


def viterbi(O: object, A: object, B: object, pi: object) -> tuple[np.ndarray, float]:
    """Most probable state path :math:`I^* = \\arg\\max_I P(I \\mid O, \\lambda)` (problem 3).

    Recursion on logarithms: :math:`\\delta_1(i) = \\ln\\pi_i + \\ln b_i(o_1)`,
    :math:`\\delta_{t}(j) = \\max_i[\\delta_{t-1}(i) + \\ln a_{ij}] + \\ln b_j(o_t)`,
    back-pointer :math:`\\psi_t(j) = \\arg\\max_i[\\delta_{t-1}(i) + \\ln a_{ij}]`;
    then :math:`i_T^* = \\arg\\max_i \\delta_T(i)` and :math:`i_t^* = \\psi_{t+1}(i_{t+1}^*)`.
    Ties go to the lowest state index.

    Each :math:`\\delta_t` is stored shifted by its maximum (the shift does not change
    any argmax and the shifts add up to :math:`\\ln P(O, I^*)`). Shifted, the
    recursion forgets where it started after a few steps, and that lets it run on
    blocks of the sequence at once: every block restarts a few steps early from a
    guess, then each block's start is checked against the previous block's end
    (bit for bit) and the few blocks that disagree are recomputed until they
    agree. The backtracking is blocked the same way. The result is exactly that
    of the shifted recursion run step by step, at a few hundred NumPy calls
    instead of several per time step. Paths of exactly equal probability (the
    same factors in another order) are told apart by rounding alone; there the
    shifted and the unshifted recursion (or hmmlearn) may pick different ones.

    Returns
    -------
    path : ndarray of int, shape (T,)
        State codes ``0 .. N-1``.
    log_prob : float
        :math:`\\ln P(O, I^* \\mid \\lambda) = \\max_i \\delta_T(i)`.
    """
    O, A, B, pi = _prepare(O, A, B, pi)
    return _viterbi(O, _log(A), _log(B), _log(pi))


def _viterbi_tables(O: np.ndarray, A: np.ndarray, B: np.ndarray, pi: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """:math:`\\delta` (T, N) and back-pointers :math:`\\psi` (T, N) (``psi[0]`` is -1).

    The plain step-by-step tables, for displays of short sequences (the trellis
    figure); :func:`viterbi` does not store them.
    """
    logA = _log(A)
    logBo = _log(B[:, O].T)
    T, N = logBo.shape
    delta = np.empty((T, N))
    psi = np.full((T, N), -1, dtype=np.int64)
    cols = np.arange(N)
    d = _log(pi) + logBo[0]
    delta[0] = d
    for t in range(1, T):
        scores = d[:, None] + logA                  # scores[i, j] = delta_{t-1}(i) + ln a_ij
        best = scores.argmax(axis=0)
        d = scores[best, cols] + logBo[t]
        psi[t] = best
        delta[t] = d
    return delta, psi


# Viterbi by blocks. ``n_t = delta_t - m_t`` with ``m_t = max_j (n_{t-1} -> delta_t)``:
# the shifted recursion n_t = S(n_{t-1}) of _viterbi_step. Every function below
# computes the same floating-point operations on the same numbers as the
# sequential _viterbi_sequential, so ties break the same way.
_VITERBI_MIN_T = 64         # below this the sequential recursion is as fast
_VITERBI_WARMUP = 12        # forward steps a block runs early, from a guess
_VITERBI_BACK_WARMUP = 8    # backtracking steps a block runs early


def _viterbi_step(n: np.ndarray, logA: np.ndarray, logb: np.ndarray
                  ) -> tuple[np.ndarray, float]:
    """One step of the shifted recursion: ``(n_t, m_t)`` from ``n_{t-1}`` and ``ln b(o_t)``."""
    u = (n[:, None] + logA).max(axis=0) + logb
    m = u.max()
    return u - (m if m > -np.inf else 0.0), m   # P(O) = 0: keep -inf, do not make NaN


def _viterbi_sequential(O: np.ndarray, logA: np.ndarray, logB: np.ndarray,
                        logpi: np.ndarray) -> tuple[np.ndarray, float]:
    """The shifted recursion step by step, and plain backtracking (short sequences)."""
    T, N = O.shape[0], logA.shape[0]
    n = np.empty((T, N))
    m = np.empty(T)
    u = logpi + logB[:, O[0]]
    m[0] = u.max()
    n[0] = u - (m[0] if m[0] > -np.inf else 0.0)
    for t in range(1, T):
        n[t], m[t] = _viterbi_step(n[t - 1], logA, logB[:, O[t]])
    path = np.empty(T, dtype=np.int64)
    path[-1] = int(np.argmax(n[-1]))
    for t in range(T - 1, 0, -1):
        path[t - 1] = int(np.argmax(n[t - 1] + logA[:, path[t]]))
    return path, float(m.sum())


def _viterbi(O: np.ndarray, logA: np.ndarray, logB: np.ndarray, logpi: np.ndarray,
             block: int | None = None, back_block: int | None = None,
             warmup: int = _VITERBI_WARMUP, back_warmup: int = _VITERBI_BACK_WARMUP
             ) -> tuple[np.ndarray, float]:
    """Viterbi path and log-probability; blocked for long sequences (see :func:`viterbi`).

    ``block``/``back_block``: block lengths of the forward pass and of the
    backtracking (default about :math:`0.7\\sqrt T` and a third of that); tests pass
    small ones to exercise the blocked code on short sequences.
    """
    T = O.shape[0]
    if block is None:
        if T < _VITERBI_MIN_T:
            return _viterbi_sequential(O, logA, logB, logpi)
        block = min(256, int(0.7 * np.sqrt(T)))
    if back_block is None:
        back_block = max(1, block // 3)
    if T < 2:
        return _viterbi_sequential(O, logA, logB, logpi)
    n, m = _viterbi_forward_blocked(O, logA, logB, logpi, block, warmup)
    if n is None:                               # P(O) = 0 inside the speculative pass
        return _viterbi_sequential(O, logA, logB, logpi)
    path = _viterbi_backtrack_blocked(n, T, logA, back_block, back_warmup)
    return path, float(m.sum())


def _viterbi_forward_blocked(O: np.ndarray, logA: np.ndarray, logB: np.ndarray,
                             logpi: np.ndarray, L: int, W: int
                             ) -> tuple[np.ndarray | None, np.ndarray]:
    """The shifted deltas ``n`` (time order, padded at the end) and the shifts ``m`` (T,).

    Steps t = 1..T-1 are cut into K blocks of L steps (padded with a symbol of
    emission probability 1). All blocks advance together, as (N, N, K) arrays:
    first W "warm-up" steps over the end of the previous block, from the guess
    n = 0, then their own L steps. Block k is exact if its start equals the end
    of block k-1 bit for bit (block 0 starts from the exact n_0); otherwise it is
    recomputed from that end step by step until it meets its stored values.
    Returns ``(None, m)`` if some shift is -inf (P(O) = 0): the caller falls back.
    """
    T = O.shape[0]
    N, M = logB.shape
    S = T - 1
    K = -(-S // L)
    W = min(W, L)
    u = logpi + logB[:, O[0]]
    m0 = u.max()
    n0 = u - (m0 if m0 > -np.inf else 0.0)
    sym = np.full(K * L, M, dtype=np.intp)
    sym[:S] = O[1:]
    logBT = np.zeros((M + 1, N))                 # row M: the padding symbol, ln 1 = 0
    logBT[:M] = logB.T
    X = logBT.take(sym.reshape(K, L).T, axis=0)  # (L, K, N): ln b(o_t) at step l of block k
    X = np.ascontiguousarray(X.transpose(0, 2, 1))     # (L, N, K): every step's slice contiguous
    logAK = np.ascontiguousarray(np.broadcast_to(logA[:, :, None], (N, N, K)))
    scores = np.empty((N, N, K))
    u = np.empty((N, K))
    vmax = np.maximum.reduce
    with np.errstate(invalid="ignore"):         # -inf - -inf: P(O) = 0, checked below
        cur = np.zeros((N, K))
        for w in range(L - W, L):                    # warm-up: column k runs over block k-1
            np.add(cur[:, None, :], logAK, out=scores)
            vmax(scores, axis=0, out=u)
            u[:, 1:] += X[w, :, :-1]
            cur = u - vmax(u, axis=0)
        cur[:, 0] = n0
        starts = cur
        nb = np.empty((L, N, K))                 # step l of every block, contiguous
        mb = np.empty((L, K))
        for l in range(L):
            np.add(cur[:, None, :], logAK, out=scores)
            vmax(scores, axis=0, out=u)
            u += X[l]
            mx = vmax(u, axis=0, out=mb[l])
            cur = nb[l]
            np.subtract(u, mx, out=cur)
    # n in time order: n[0] = n_0, n[1 + k L + l] = step l of block k; rows after
    # T - 1 are padding (the backtracking reads a few of them as a guess)
    n = np.zeros((K * L + 1 + L + W, N))
    n[0] = n0
    nblk = n[1:K * L + 1].reshape(K, L, N)
    nblk[...] = nb.transpose(2, 0, 1)
    m = np.empty(K * L + 1)
    m[0] = m0
    mblk = m[1:].reshape(K, L)
    mblk[...] = mb.T
    if not np.all(np.isfinite(m)) or np.isnan(starts).any():
        return None, m
    ok = (starts[:, 1:] == nblk[:-1, L - 1, :].T).all(axis=0)
    todo = (np.flatnonzero(~ok) + 1).tolist()    # blocks whose start was wrong, ascending
    i = 0
    while i < len(todo):
        k = todo[i]
        i += 1
        v = nblk[k - 1, L - 1]
        for l in range(L):
            v, mblk[k, l] = _viterbi_step(v, logA, X[l, :, k])
            if np.array_equal(v, nblk[k, l]):    # met the stored values: the rest holds
                break
            nblk[k, l] = v
        else:                                    # its end changed: check block k + 1
            if k + 1 < K and (i == len(todo) or todo[i] != k + 1):
                todo.insert(i, k + 1)
    return n, m[:T]


def _viterbi_backtrack_blocked(n: np.ndarray, T: int, logA: np.ndarray, L: int, W: int
                               ) -> np.ndarray:
    """:math:`i_{t}^* = \\arg\\max_i [n_t(i) + \\ln a_{i, i^*_{t+1}}]` by blocks of times.

    Block k holds times kL..kL+L-1. All blocks backtrack together, as (K, N)
    arrays: W steps from a guess at time (k+1)L + W (the state of largest n), then
    their own L steps. From the last block down, a block whose state at its top
    anchor disagrees with the (exact) state there is redone step by step until
    it meets its stored path.
    """
    K = -(-T // L)
    W = min(W, n.shape[0] - K * L - 1)
    logAT = np.ascontiguousarray(logA.T)
    q = n[L + W:L + W + K * L:L].argmax(axis=1)  # guesses at times (k+1)L + W
    for w in range(W - 1, -1, -1):
        q = (n[L + w:L + w + K * L:L] + logAT.take(q, axis=0)).argmax(axis=1)
    top = q                                      # speculative state at time (k+1)L
    path = np.empty(K * L, dtype=np.int64)
    pblk = path.reshape(K, L)
    for l in range(L - 1, -1, -1):
        q = (n[l:l + K * L:L] + logAT.take(q, axis=0)).argmax(axis=1)
        pblk[:, l] = q

    def redo(k: int, a: int, s: int) -> bool:
        """Backtrack block k from state s at time a; True if its first state changed."""
        for t in range(a - 1, k * L - 1, -1):
            s = int(np.argmax(n[t] + logA[:, s]))
            if s == path[t]:
                return False
            path[t] = s
        return True

    # the last block: anchored at time T - 1 (inside it), state argmax n_{T-1}
    s = int(np.argmax(n[T - 1]))
    todo = (np.flatnonzero(top[:-1] != path[L:K * L:L])).tolist()   # ascending
    if path[T - 1] != s:
        path[T - 1] = s
        if redo(K - 1, T - 1, s) and K > 1 and (not todo or todo[-1] != K - 2):
            todo.append(K - 2)
    while todo:
        k = todo.pop()                           # the largest: blocks above are exact
        a = (k + 1) * L
        if top[k] == path[a]:
            continue
        if redo(k, a, int(path[a])) and k > 0 and (not todo or todo[-1] != k - 1):
            todo.append(k - 1)
    return path[:T]


# ------------------------------------------------------------------ Baum-Welch
def _check_sequences(sequences: object, n_symbols: int | None) -> list[np.ndarray]:
    """One sequence (1-D) or a list of sequences -> list of validated int arrays."""
    if isinstance(sequences, np.ndarray) and sequences.ndim == 1 and sequences.dtype != object:
        return [check_observations(sequences, n_symbols, "sequences")]
    if isinstance(sequences, str | bytes) or not hasattr(sequences, "__len__"):
        raise TypeError("sequences must be a sequence of symbol codes or a list of such "
                        f"sequences, got {type(sequences).__name__}")
    if len(sequences) == 0:
        raise ValueError("sequences must hold at least one sequence")
    if all(isinstance(s, numbers.Integral) and not isinstance(s, bool) for s in sequences):
        return [check_observations(np.asarray(sequences), n_symbols, "sequences")]
    return [check_observations(s, n_symbols, f"sequences[{k}]")
            for k, s in enumerate(sequences)]


class BaumWelchResult(NamedTuple):
    """Result of :func:`baum_welch`."""

    A: np.ndarray
    B: np.ndarray
    pi: np.ndarray
    log_likelihoods: np.ndarray
    """:math:`\\sum_n \\ln P(O^{(n)} \\mid \\lambda^{(k)})` for the parameters *before* update k,
    k = 0, 1, ...; the last entry is for the returned parameters."""
    n_iter: int
    converged: bool


def _em_step(seqs: list[np.ndarray], A: np.ndarray, B: np.ndarray, pi: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """One E-step (gamma, xi by forward-backward) and M-step; returns the new
    parameters and the log-likelihood of the *old* ones."""
    N, M = B.shape
    start = np.zeros(N)
    trans = np.zeros((N, N))
    emit = np.zeros((M, N))
    total = 0.0
    for O in seqs:                               # loop over sequences, not states
        gamma, alpha, beta, Bo, c = _posteriors(O, A, B, pi)
        total += float(np.sum(np.log(c)))
        start += gamma[0]
        if O.shape[0] > 1:
            right = Bo[1:] * beta[1:] / c[1:, None]
            trans += A * (alpha[:-1].T @ right)          # sum_t xi_t(i, j)
        np.add.at(emit, O, gamma)                        # sum_t gamma_t(j) I(o_t = v_k)
    emit = emit.T
    pi_new = start / start.sum()
    row = trans.sum(axis=1, keepdims=True)
    A_new = np.where(row > 0, trans / np.where(row > 0, row, 1.0), A)   # unvisited: keep
    row = emit.sum(axis=1, keepdims=True)
    B_new = np.where(row > 0, emit / np.where(row > 0, row, 1.0), B)
    return A_new, B_new, pi_new, total


def baum_welch(sequences: object, A: object, B: object, pi: object, max_iter: int = 100,
               tol: float = 1e-6) -> BaumWelchResult:
    """Baum-Welch (EM) re-estimation of :math:`\\lambda = (A, B, \\vec\\pi)` (problem 2).

    From one sequence or several independent ones :math:`O^{(1)}, \\dots`, each step
    computes :math:`\\gamma` and :math:`\\xi` under the current :math:`\\lambda` and sets

    .. math::
        \\pi_i = \\frac{\\sum_n \\gamma^{(n)}_1(i)}{n_{\\rm seq}}, \\quad
        a_{ij} = \\frac{\\sum_n\\sum_{t<T_n} \\xi^{(n)}_t(i,j)}
                      {\\sum_n\\sum_{t<T_n} \\gamma^{(n)}_t(i)}, \\quad
        b_j(k) = \\frac{\\sum_n\\sum_{t} \\gamma^{(n)}_t(j) I(o^{(n)}_t = v_k)}
                      {\\sum_n\\sum_t \\gamma^{(n)}_t(j)}.

    A state (row) with zero expected visits keeps its old row. The total
    log-likelihood never decreases (EM); the loop stops when one step gains less
    than ``tol`` or after ``max_iter`` steps, then with a :class:`ConvergenceWarning`.

    Parameters
    ----------
    sequences : 1-D array-like of int, or list of them
    A, B, pi : array-like
        Initial parameters; zeros stay zero.
    max_iter : int
    tol : float

    Returns
    -------
    BaumWelchResult
        ``(A, B, pi, log_likelihoods, n_iter, converged)``.
    """
    A, B, pi = check_parameters(A, B, pi)
    seqs = _check_sequences(sequences, B.shape[1])
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    tol = check_scalar(tol, "tol", minimum=0)
    history = []
    converged = False
    n_iter = 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007
        A_new, B_new, pi_new, ll = _em_step(seqs, A, B, pi)
        history.append(ll)
        A, B, pi = A_new, B_new, pi_new
        if len(history) > 1 and history[-1] - history[-2] < tol:
            converged = True
            break
    final = sum(log_likelihood(O, A, B, pi) for O in seqs)
    history.append(final)
    if not converged and final - history[-2] < tol:
        converged = True
    if not converged:
        warnings.warn(f"Baum-Welch did not converge in max_iter = {max_iter} steps (last gain "
                      f"{final - history[-2]:.3g} >= tol = {tol:g})", ConvergenceWarning,
                      stacklevel=2)
    return BaumWelchResult(A, B, pi, np.array(history), n_iter, converged)


def sample(T: int, A: object, B: object, pi: object, rng: object = None
           ) -> tuple[np.ndarray, np.ndarray]:
    """Draw a state path and observations of length ``T`` from :math:`\\lambda`.

    Returns ``(states, observations)``, both int arrays of shape (T,).
    """
    A, B, pi = check_parameters(A, B, pi)
    T = check_int(T, "T", minimum=1)
    rng = _rng(rng)
    u = rng.random((T, 2))
    cumA, cumB = np.cumsum(A, axis=1), np.cumsum(B, axis=1)
    states = np.empty(T, dtype=np.int64)
    s = min(int(np.searchsorted(np.cumsum(pi), u[0, 0], side="right")), pi.size - 1)
    for t in range(T):                           # sequential: a Markov chain
        if t:
            s = min(int(np.searchsorted(cumA[s], u[t, 0], side="right")), pi.size - 1)
        states[t] = s
    obs = np.minimum((u[:, 1, None] > cumB[states]).sum(axis=1), B.shape[1] - 1)
    return states, obs.astype(np.int64)


def _rng(rng: object) -> np.random.Generator:
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        return np.random.default_rng(rng)
    if isinstance(rng, np.random.Generator):
        return rng
    raise TypeError(f"rng must be None, an int seed or a numpy Generator, got "
                    f"{type(rng).__name__}")


# ------------------------------------------------------------------ estimator
class CategoricalHMM:
    """HMM with categorical emissions, fitted by Baum-Welch (section 2.11).

    Parameters
    ----------
    n_states : int
        :math:`N`, the number of hidden states.
    n_symbols : int or None
        :math:`M`, the alphabet size; default one more than the largest symbol
        seen in ``fit``.
    max_iter : int
        Maximum number of Baum-Welch steps.
    tol : float
        Stop when one step raises the total log-likelihood by less than ``tol``.
    rng : None, int or numpy Generator
        Source of the random (Dirichlet) initial parameters.

    Attributes
    ----------
    A_, B_, pi_ : ndarray
        Fitted :math:`A` (N, N), :math:`B` (N, M), :math:`\\vec\\pi` (N,).
    log_likelihoods_ : ndarray
        Total log-likelihood before each Baum-Welch step and after the last one;
        non-decreasing.
    n_iter_ : int
    converged_ : bool
    """

    def __init__(self, n_states: int = 2, n_symbols: int | None = None, max_iter: int = 100,
                 tol: float = 1e-4, rng: object = None) -> None:
        self.n_states = n_states
        self.n_symbols = n_symbols
        self.max_iter = max_iter
        self.tol = tol
        self.rng = rng

    def fit(self, sequences: object) -> CategoricalHMM:
        """Fit on one sequence of symbol codes or a list of sequences; return ``self``."""
        N = check_int(self.n_states, "n_states", minimum=1)
        M = None if self.n_symbols is None else check_int(self.n_symbols, "n_symbols",
                                                          minimum=1)
        seqs = _check_sequences(sequences, M)
        if M is None:
            M = int(max(s.max() for s in seqs)) + 1
        rng = _rng(self.rng)
        A0 = rng.dirichlet(np.ones(N), size=N)
        B0 = rng.dirichlet(np.ones(M), size=N)
        pi0 = rng.dirichlet(np.ones(N))
        res = baum_welch(seqs, A0, B0, pi0, max_iter=self.max_iter, tol=self.tol)
        self.A_, self.B_, self.pi_ = res.A, res.B, res.pi
        self.log_likelihoods_ = res.log_likelihoods
        self.n_iter_, self.converged_ = res.n_iter, res.converged
        self.n_symbols_ = M
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "A_"):
            raise ValueError("this CategoricalHMM is not fitted yet; call fit(sequences) first")

    def score(self, sequences: object) -> float:
        """Total :math:`\\sum_n \\ln P(O^{(n)} \\mid \\lambda)` of one or several sequences."""
        self._check_fitted()
        seqs = _check_sequences(sequences, self.n_symbols_)
        return float(sum(log_likelihood(O, self.A_, self.B_, self.pi_) for O in seqs))

    def predict(self, O: object) -> np.ndarray:
        """Viterbi path (state codes) of one sequence ``O``."""
        self._check_fitted()
        return viterbi(O, self.A_, self.B_, self.pi_)[0]

    def predict_proba(self, O: object) -> np.ndarray:
        """Posterior state marginals :math:`\\gamma_t(i)` of one sequence, shape (T, N)."""
        self._check_fitted()
        return posterior_marginals(O, self.A_, self.B_, self.pi_)
