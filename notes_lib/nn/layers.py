"""Layers with forward and backward side by side, a sequential model, losses and
an SGD/momentum trainer (sections 3.1–3.4 of the notes).

Conventions (as in the notes' matrix form of backpropagation):

* a batch is a 2-D array ``x`` of shape ``(N, n_in)``, one example per row;
* a :class:`Dense` layer holds ``W`` of shape ``(n_out, n_in)`` — entry
  :math:`w_{jk}` connects input :math:`k` to output :math:`j` — and ``b`` of shape
  ``(n_out,)``, and computes :math:`z = W a + b` for every row: ``z = x @ W.T + b``;
* ``backward(delta)`` receives :math:`\\partial C/\\partial(\\text{output})` for the
  batch, stores the parameter gradients (summed over the batch, because every
  loss here is already averaged) and returns :math:`\\partial C/\\partial(\\text{input})`.

Every layer follows the protocol ``forward(x, train=True)``, ``backward(delta)``,
``params`` and ``grads`` (dicts of arrays with the same keys), so a
:class:`Sequential` model, the :class:`SGD` optimiser and :func:`check_gradients`
work with any of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from .._validation import as_float_array, check_int, check_scalar
from .activations import get_activation


class Layer(Protocol):
    """What :class:`Sequential`, :class:`SGD` and :func:`check_gradients` expect."""

    params: dict[str, np.ndarray]
    grads: dict[str, np.ndarray]

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray: ...

    def backward(self, delta: np.ndarray) -> np.ndarray: ...


def _batch(x: object, name: str = "x") -> np.ndarray:
    x = as_float_array(x, name)
    if x.ndim != 2:
        raise ValueError(f"{name} must be 2-dimensional (batch, features), got shape {x.shape}")
    return x


def _rng(rng: object) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, "
                        f"got {type(rng).__name__}")
    return rng


class Dense:
    """Fully connected layer :math:`z = W a + b` (Eq. (3.1)).

    Backward (BP2–BP4 restricted to one layer): given
    :math:`\\delta = \\partial C/\\partial z` for the batch,
    :math:`\\partial C/\\partial W = \\delta^\\top a`,
    :math:`\\partial C/\\partial b = \\sum \\delta` and :math:`\\partial C/\\partial a = \\delta W`.

    Parameters
    ----------
    n_in, n_out : int
        Fan-in and fan-out.
    rng : numpy.random.Generator
        Draws the initial weights.
    init : {'xavier', 'he', 'normal'} or float
        ``'xavier'``: :math:`N(0, 2/(n_{in}+n_{out}))`; ``'he'``: :math:`N(0, 2/n_{in})`;
        a float: :math:`N(0, \\text{init}^2)`. Biases start at zero.
    """

    def __init__(self, n_in: int, n_out: int, rng: np.random.Generator,
                 init: str | float = "xavier") -> None:
        n_in = check_int(n_in, "n_in", minimum=1)
        n_out = check_int(n_out, "n_out", minimum=1)
        rng = _rng(rng)
        if init == "xavier":
            std = np.sqrt(2.0 / (n_in + n_out))
        elif init == "he":
            std = np.sqrt(2.0 / n_in)
        elif isinstance(init, str):
            raise ValueError(f"init must be 'xavier', 'he' or a standard deviation, got {init!r}")
        else:
            std = check_scalar(init, "init")
            if std < 0:
                raise ValueError(f"init (a standard deviation) must be >= 0, got {std}")
        self.params = {"W": rng.normal(0.0, std, (n_out, n_in)), "b": np.zeros(n_out)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self._a: np.ndarray | None = None

    def forward(self, x: object, train: bool = True) -> np.ndarray:
        x = _batch(x)
        n_in = self.params["W"].shape[1]
        if x.shape[1] != n_in:
            raise ValueError(f"x has {x.shape[1]} features but this Dense layer expects {n_in}")
        self._a = x
        return x @ self.params["W"].T + self.params["b"]

    def backward(self, delta: object) -> np.ndarray:
        if self._a is None:
            raise RuntimeError("backward called before forward")
        delta = _batch(delta, "delta")
        expected = (self._a.shape[0], self.params["W"].shape[0])
        if delta.shape != expected:
            raise ValueError(f"delta must have shape {expected}, got {delta.shape}")
        self.grads["W"] = delta.T @ self._a
        self.grads["b"] = delta.sum(axis=0)
        return delta @ self.params["W"]


class Act:
    """Element-wise activation layer :math:`a = f(z)`; backward multiplies by
    :math:`f'(z)` (the Hadamard product of BP1/BP2)."""

    def __init__(self, name: str) -> None:
        self.activation = get_activation(name)
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self._z: np.ndarray | None = None

    def forward(self, x: object, train: bool = True) -> np.ndarray:
        self._z = as_float_array(x, "x")
        return self.activation.f(self._z)

    def backward(self, delta: object) -> np.ndarray:
        if self._z is None:
            raise RuntimeError("backward called before forward")
        delta = as_float_array(delta, "delta")
        if delta.shape != self._z.shape:
            raise ValueError(f"delta must have shape {self._z.shape}, got {delta.shape}")
        return delta * self.activation.f_prime(self._z)


class Sequential:
    """Layers applied in order; backward runs them in reverse (backpropagation)."""

    def __init__(self, layers: Sequence[Layer]) -> None:
        layers = list(layers)
        if not layers:
            raise ValueError("layers must hold at least one layer")
        for i, layer in enumerate(layers):
            if not all(hasattr(layer, a) for a in ("forward", "backward", "params", "grads")):
                raise TypeError(f"layers[{i}] ({type(layer).__name__}) does not follow the "
                                "layer protocol (forward, backward, params, grads)")
        self.layers = layers

    def forward(self, x: object, train: bool = True) -> np.ndarray:
        out = _batch(x)
        for layer in self.layers:
            out = layer.forward(out, train=train)
        return out

    def backward(self, delta: object) -> np.ndarray:
        for layer in reversed(self.layers):
            delta = layer.backward(delta)
        return delta

    def parameters(self) -> list[tuple[dict[str, np.ndarray], dict[str, np.ndarray], str]]:
        """``(params, grads, key)`` for every parameter array of every layer."""
        return [(layer.params, layer.grads, k) for layer in self.layers for k in layer.params]


def quadratic_cost(a: object, y: object) -> tuple[float, np.ndarray]:
    """:math:`C = \\frac{1}{2N}\\sum_n \\|a_n - y_n\\|^2` and
    :math:`\\partial C/\\partial a = (a - y)/N`, the :math:`\\nabla_a C` of BP1 (Eq. (3.4)).

    (The notes never write the cost down; this is the quadratic cost used with
    section 3.1.)"""
    a, y = _batch(a, "a"), _batch(y, "y")
    if a.shape != y.shape:
        raise ValueError(f"a and y must have the same shape, got {a.shape} and {y.shape}")
    if a.shape[0] == 0:
        raise ValueError("a must hold at least one example")
    n = a.shape[0]
    diff = a - y
    return float(0.5 * np.sum(diff * diff) / n), diff / n


def softmax_cross_entropy(z: object, y: object) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of ``softmax(z)`` against integer labels ``y`` and its
    gradient :math:`(\\text{softmax}(z) - \\text{onehot}(y))/N` with respect to ``z``."""
    z = _batch(z, "z")
    y = np.asarray(y)
    if y.shape != (z.shape[0],) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must be {z.shape[0]} integer class labels, got shape {y.shape} "
                         f"and dtype {y.dtype}")
    if z.shape[0] == 0:
        raise ValueError("z must hold at least one example")
    if y.min() < 0 or y.max() >= z.shape[1]:
        raise ValueError(f"y must be in [0, {z.shape[1] - 1}]")
    shifted = z - z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = z.shape[0]
    loss = float(-log_p[np.arange(n), y].mean())
    grad = np.exp(log_p)
    grad[np.arange(n), y] -= 1.0
    return loss, grad / n


Loss = Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]]


class SGD:
    """Gradient descent with optional momentum: :math:`v \\leftarrow \\mu v - \\eta g`,
    :math:`\\theta \\leftarrow \\theta + v` (plain SGD for :math:`\\mu = 0`)."""

    def __init__(self, model: Sequential, lr: float, momentum: float = 0.0) -> None:
        if not isinstance(model, Sequential):
            raise TypeError(f"model must be a Sequential, got {type(model).__name__}")
        self.lr = check_scalar(lr, "lr", minimum=0, exclusive=True)
        self.momentum = check_scalar(momentum, "momentum")
        if not 0.0 <= self.momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {self.momentum}")
        self.model = model
        self._velocity = [np.zeros_like(p[k]) for p, _, k in model.parameters()]

    def step(self) -> None:
        for v, (params, grads, key) in zip(self._velocity, self.model.parameters(), strict=True):
            v *= self.momentum
            v -= self.lr * grads[key]
            params[key] += v


def train(model: Sequential, x: object, y: object, loss: Loss, *, lr: float, epochs: int,
          momentum: float = 0.0, batch_size: int | None = None,
          rng: np.random.Generator | None = None) -> np.ndarray:
    """Train ``model`` by (mini-batch) gradient descent; return the loss of every epoch.

    ``batch_size=None`` uses the whole batch each step (then ``rng`` is not needed);
    otherwise examples are shuffled each epoch with ``rng``.
    """
    x = _batch(x)
    epochs = check_int(epochs, "epochs", minimum=1)
    if batch_size is not None:
        batch_size = check_int(batch_size, "batch_size", minimum=1)
        rng = _rng(rng)
    opt = SGD(model, lr, momentum)
    y = np.asarray(y)
    n = x.shape[0]
    if y.ndim == 0 or y.shape[0] != n:
        raise ValueError(f"y must have one row per example of x ({n}), got shape {y.shape}")
    history = np.empty(epochs)
    for epoch in range(epochs):
        order = np.arange(n) if batch_size is None else rng.permutation(n)
        step = n if batch_size is None else batch_size
        total = 0.0
        for start in range(0, n, step):
            idx = order[start:start + step]
            value, delta = loss(model.forward(x[idx]), y[idx])
            model.backward(delta)
            opt.step()
            total += value * idx.size
        history[epoch] = total / n
    return history


def numerical_gradient(f: Callable[[], float], array: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central finite differences of the scalar ``f()`` with respect to every entry of
    ``array``, which ``f`` reads and which is perturbed in place (then restored)."""
    if not isinstance(array, np.ndarray) or array.dtype != np.float64:
        raise TypeError("array must be a float64 numpy array that f reads")
    eps = check_scalar(eps, "eps", minimum=0, exclusive=True)
    grad = np.zeros(array.shape)
    # Index the array itself (not a reshaped copy), so that views such as ``W.T`` are
    # perturbed in place too.
    for i in np.ndindex(array.shape):
        old = array[i]
        array[i] = old + eps
        up = f()
        array[i] = old - eps
        down = f()
        array[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


def check_gradients(model: Sequential, x: object, y: object, loss: Loss,
                    eps: float = 1e-6) -> float:
    """Largest relative error between backpropagated and finite-difference gradients
    over every parameter of ``model`` (and the input); about 1e-8 or less is right."""
    x = _batch(x).copy()

    def f() -> float:
        return loss(model.forward(x, train=True), y)[0]

    _, delta = loss(model.forward(x, train=True), y)
    dx = model.backward(delta)
    analytic = [g[k].copy() for _, g, k in model.parameters()] + [dx]
    numeric = [numerical_gradient(f, p[k], eps) for p, _, k in model.parameters()]
    numeric.append(numerical_gradient(f, x, eps))
    worst = 0.0
    for a, n in zip(analytic, numeric, strict=True):
        scale = np.maximum(np.abs(a) + np.abs(n), 1e-8)
        worst = max(worst, float(np.max(np.abs(a - n) / scale)))
    return worst
