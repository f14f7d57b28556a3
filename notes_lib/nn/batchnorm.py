"""Batch normalization (section 3.3 of the notes): forward and backward side by side.

A batch is a 2-D array ``x`` of shape ``(m, d)``: ``m`` examples (the mini-batch
:math:`\\mathcal{B} = \\{x_1, \\dots, x_m\\}`), each with ``d`` features that are
normalised independently (Eq. (3.19)).

* :func:`batchnorm_forward` is Algorithm 2 of the notes (Eq. (3.19)-(3.20)):
  :math:`\\mu_\\mathcal{B}`, :math:`\\sigma^2_\\mathcal{B}`, :math:`\\hat x_i` and
  :math:`y_i = \\gamma \\hat x_i + \\beta`;
* :func:`batchnorm_backward` is Eq. (3.22)-(3.23) in its compact form;
* :class:`BatchNorm` is a layer for :class:`notes_lib.nn.layers.Sequential`: batch
  statistics in training mode, running (population) statistics with the unbiased
  factor :math:`m/(m-1)` of Eq. (3.24) in inference mode.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np

from .._validation import as_float_array, check_int, check_scalar


class BatchNormCache(NamedTuple):
    """What :func:`batchnorm_forward` keeps for :func:`batchnorm_backward`.

    Attributes
    ----------
    x_hat : ndarray, shape (m, d)
        The normalised batch :math:`\\hat x_i` (Eq. (3.19)).
    gamma : ndarray, shape (d,)
        The scale :math:`\\gamma` used.
    inv_std : ndarray, shape (d,)
        :math:`1/\\sqrt{\\sigma^2_\\mathcal{B} + \\epsilon}`.
    mu : ndarray, shape (d,)
        The batch mean :math:`\\mu_\\mathcal{B}`.
    var : ndarray, shape (d,)
        The (biased, divide-by-``m``) batch variance :math:`\\sigma^2_\\mathcal{B}`.
    """

    x_hat: np.ndarray
    gamma: np.ndarray
    inv_std: np.ndarray
    mu: np.ndarray
    var: np.ndarray


def _check_eps(eps: object) -> float:
    eps = check_scalar(eps, "eps", minimum=0, exclusive=True)
    return eps


def _check_batch(x: object, name: str = "x", *, n_features: int | None = None,
                 min_rows: int = 1) -> np.ndarray:
    x = as_float_array(x, name)
    if x.ndim != 2:
        raise ValueError(f"{name} must be 2-dimensional (batch, features), got shape {x.shape}")
    if n_features is not None and x.shape[1] != n_features:
        raise ValueError(f"{name} has {x.shape[1]} features but {n_features} are expected")
    if x.shape[0] < min_rows:
        raise ValueError(f"{name} must hold a batch of at least {min_rows} examples in training "
                         f"mode (the batch variance of one example is 0), got {x.shape[0]}")
    return x


def _check_vector(v: object, name: str, d: int) -> np.ndarray:
    v = as_float_array(v, name)
    if v.shape != (d,):
        raise ValueError(f"{name} must have shape ({d},), got {v.shape}")
    return v


def batchnorm_forward(x: object, gamma: object, beta: object,
                      eps: float = 1e-5) -> tuple[np.ndarray, BatchNormCache]:
    """Batch-normalise a mini-batch with its own statistics (Algorithm 2).

    .. math::

        \\mu_\\mathcal{B} = \\frac1m \\sum_i x_i,\\quad
        \\sigma^2_\\mathcal{B} = \\frac1m \\sum_i (x_i - \\mu_\\mathcal{B})^2,\\quad
        \\hat x_i = \\frac{x_i - \\mu_\\mathcal{B}}{\\sqrt{\\sigma^2_\\mathcal{B} + \\epsilon}},
        \\quad y_i = \\gamma \\hat x_i + \\beta,

    for every feature independently (Eq. (3.19)-(3.20)). Each column of ``x_hat`` has
    mean 0 and variance :math:`\\sigma^2_\\mathcal{B}/(\\sigma^2_\\mathcal{B} + \\epsilon)`
    (Eq. (3.21)).

    Parameters
    ----------
    x : array_like, shape (m, d)
        The mini-batch, ``m >= 2`` examples of ``d`` features.
    gamma, beta : array_like, shape (d,)
        Scale and shift (Eq. (3.20)).
    eps : float, default 1e-5
        :math:`\\epsilon > 0`, added to the variance.

    Returns
    -------
    y : ndarray, shape (m, d)
    cache : BatchNormCache
        For :func:`batchnorm_backward`.
    """
    x = _check_batch(x, min_rows=2)
    d = x.shape[1]
    gamma = _check_vector(gamma, "gamma", d)
    beta = _check_vector(beta, "beta", d)
    eps = _check_eps(eps)
    mu = x.mean(axis=0)
    xc = x - mu
    var = np.mean(xc * xc, axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = xc * inv_std
    return gamma * x_hat + beta, BatchNormCache(x_hat, gamma, inv_std, mu, var)


def batchnorm_backward(dy: object, cache: BatchNormCache) -> tuple[np.ndarray, np.ndarray,
                                                                 np.ndarray]:
    """Gradients of the loss through :func:`batchnorm_forward` (Eq. (3.22)-(3.23)).

    With :math:`g_i = \\partial\\mathcal{L}/\\partial y_i`,

    .. math::

        \\frac{\\partial\\mathcal{L}}{\\partial\\gamma} = \\sum_i g_i \\hat x_i,\\qquad
        \\frac{\\partial\\mathcal{L}}{\\partial\\beta} = \\sum_i g_i,\\qquad
        \\frac{\\partial\\mathcal{L}}{\\partial x_i} =
        \\frac{\\gamma}{m\\sqrt{\\sigma^2_\\mathcal{B} + \\epsilon}}
        \\Big(m g_i - \\sum_j g_j - \\hat x_i \\sum_j g_j \\hat x_j\\Big),

    the last being Eq. (3.23) with :math:`\\partial\\mathcal{L}/\\partial\\hat x_i`,
    :math:`\\partial\\mathcal{L}/\\partial\\sigma^2_\\mathcal{B}` and
    :math:`\\partial\\mathcal{L}/\\partial\\mu_\\mathcal{B}` substituted (compact form).

    Parameters
    ----------
    dy : array_like, shape (m, d)
        :math:`\\partial\\mathcal{L}/\\partial y`.
    cache : BatchNormCache
        Returned by :func:`batchnorm_forward`.

    Returns
    -------
    dx : ndarray, shape (m, d)
    dgamma, dbeta : ndarray, shape (d,)
    """
    if not isinstance(cache, BatchNormCache):
        raise TypeError(f"cache must be the BatchNormCache returned by batchnorm_forward, "
                        f"got {type(cache).__name__}")
    dy = as_float_array(dy, "dy")
    if dy.shape != cache.x_hat.shape:
        raise ValueError(f"dy must have shape {cache.x_hat.shape}, got {dy.shape}")
    m = dy.shape[0]
    x_hat = cache.x_hat
    dbeta = dy.sum(axis=0)
    dgamma = np.sum(dy * x_hat, axis=0)
    dx = (cache.gamma * cache.inv_std / m) * (m * dy - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta


class BatchNorm:
    """Batch-normalization layer (section 3.3.3), for :class:`~notes_lib.nn.layers.Sequential`.

    ``forward(x, train=True)`` normalises with the statistics of the batch
    (:func:`batchnorm_forward`) and updates the running statistics;
    ``forward(x, train=False)`` uses the running statistics instead (Eq. (3.24)),

    .. math::

        \\mathrm{BN}(x) = \\gamma \\frac{x - \\mu}{\\sqrt{\\sigma^2 + \\epsilon}} + \\beta,
        \\qquad \\mu = E(\\mu_\\mathcal{B}),\\quad
        \\sigma^2 = \\frac{m}{m-1} E(\\sigma^2_\\mathcal{B}),

    so that a single example can be processed. Each training batch of size ``m``
    contributes :math:`\\mu_\\mathcal{B}` to ``running_mean`` and its unbiased variance
    :math:`\\frac{m}{m-1}\\sigma^2_\\mathcal{B}` (Eq. (1.19)) to ``running_var``; with a
    constant ``m`` the average of the latter is exactly
    :math:`\\frac{m}{m-1}E(\\sigma^2_\\mathcal{B})`.

    Parameters
    ----------
    n_features : int
        ``d``, the number of features (columns of ``x``).
    eps : float, default 1e-5
        :math:`\\epsilon > 0`.
    momentum : float in [0, 1] or None, default 0.9
        The running statistics are updated as
        ``running = momentum * running + (1 - momentum) * batch_value``.
        ``None``: the plain (cumulative) average over every training batch seen,
        i.e. the expectation :math:`E` of Eq. (3.24) estimated by the sample mean.

    Attributes
    ----------
    params : dict
        ``gamma`` (initially ones) and ``beta`` (initially zeros), shape ``(d,)``.
    grads : dict
        Their gradients after :meth:`backward`.
    running_mean, running_var : ndarray, shape (d,)
        Initially 0 and 1.
    n_batches : int
        Number of training batches seen.
    """

    def __init__(self, n_features: int, eps: float = 1e-5,
                 momentum: float | None = 0.9) -> None:
        d = check_int(n_features, "n_features", minimum=1)
        self.eps = _check_eps(eps)
        if momentum is not None:
            if not isinstance(momentum, numbers.Real) or isinstance(momentum, bool):
                raise TypeError(f"momentum must be a real number in [0, 1] or None, "
                                f"got {type(momentum).__name__}")
            momentum = check_scalar(momentum, "momentum")
            if not 0.0 <= momentum <= 1.0:
                raise ValueError(f"momentum must be in [0, 1] or None, got {momentum}")
        self.momentum = momentum
        self.n_features = d
        self.params = {"gamma": np.ones(d), "beta": np.zeros(d)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.running_mean = np.zeros(d)
        self.running_var = np.ones(d)
        self.n_batches = 0
        self._cache: BatchNormCache | None = None
        self._inference_scale: np.ndarray | None = None
        self._inference_x_hat: np.ndarray | None = None

    def _update_running(self, mu: np.ndarray, var_unbiased: np.ndarray) -> None:
        self.n_batches += 1
        w = 1.0 / self.n_batches if self.momentum is None else 1.0 - self.momentum
        self.running_mean += w * (mu - self.running_mean)
        self.running_var += w * (var_unbiased - self.running_var)

    def forward(self, x: object, train: bool = True) -> np.ndarray:
        """Algorithm 2 in training mode, Eq. (3.24) in inference mode."""
        gamma, beta = self.params["gamma"], self.params["beta"]
        if train:
            x = _check_batch(x, n_features=self.n_features, min_rows=2)
            y, cache = batchnorm_forward(x, gamma, beta, self.eps)
            m = x.shape[0]
            self._update_running(cache.mu, cache.var * m / (m - 1))
            self._cache, self._inference_x_hat = cache, None
            return y
        x = _check_batch(x, n_features=self.n_features)
        inv_std = 1.0 / np.sqrt(self.running_var + self.eps)
        x_hat = (x - self.running_mean) * inv_std
        self._cache, self._inference_x_hat = None, x_hat
        self._inference_scale = gamma * inv_std
        return gamma * x_hat + beta

    def backward(self, delta: object) -> np.ndarray:
        """Eq. (3.22)-(3.23) after a training forward; after an inference forward the
        layer is a fixed affine map and ``dx = delta * gamma / sqrt(var + eps)``."""
        if self._cache is not None:
            dx, self.grads["gamma"], self.grads["beta"] = batchnorm_backward(delta, self._cache)
            return dx
        if self._inference_x_hat is None:
            raise RuntimeError("backward called before forward")
        delta = as_float_array(delta, "delta")
        if delta.shape != self._inference_x_hat.shape:
            raise ValueError(f"delta must have shape {self._inference_x_hat.shape}, "
                             f"got {delta.shape}")
        self.grads["gamma"] = np.sum(delta * self._inference_x_hat, axis=0)
        self.grads["beta"] = delta.sum(axis=0)
        return delta * self._inference_scale
