"""Batch normalization (section 3.3): invariants of the forward pass, gradients against
central finite differences, running statistics against NumPy's own ``mean``/``var``
(with ``ddof=1`` for the unbiased factor m/(m-1) of Eq. (3.24)), and bad inputs."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notes_lib.nn.batchnorm import BatchNorm, batchnorm_backward, batchnorm_forward
from notes_lib.nn.layers import (
    Act,
    Dense,
    Sequential,
    check_gradients,
    numerical_gradient,
    softmax_cross_entropy,
)


@settings(max_examples=15, deadline=None)
@given(m=st.integers(2, 9), d=st.integers(1, 5), seed=st.integers(0, 2**16),
       scale=st.floats(0.1, 100.0), shift=st.floats(-50.0, 50.0))
def test_normalised_columns_have_mean_0_and_variance_1(m, d, seed, scale, shift):
    rng = np.random.default_rng(seed)
    x = shift + scale * rng.standard_normal((m, d))
    eps = 1e-12
    gamma, beta = rng.standard_normal(d), rng.standard_normal(d)
    y, cache = batchnorm_forward(x, gamma, beta, eps)
    np.testing.assert_allclose(cache.x_hat.mean(axis=0), 0.0, atol=1e-9)
    # Eq. (3.21): Var = sigma^2 / (sigma^2 + eps) -> 1
    np.testing.assert_allclose(cache.x_hat.var(axis=0), 1.0, rtol=1e-6)
    np.testing.assert_allclose(cache.mu, x.mean(axis=0))
    np.testing.assert_allclose(cache.var, x.var(axis=0))
    np.testing.assert_allclose(y, gamma * cache.x_hat + beta)


def test_variance_of_x_hat_is_var_over_var_plus_eps():
    x = np.array([[0.0], [1.0], [2.0], [5.0]])
    eps = 0.5
    _, cache = batchnorm_forward(x, np.ones(1), np.zeros(1), eps)
    s2 = np.var(x)
    np.testing.assert_allclose(cache.x_hat.var(axis=0), s2 / (s2 + eps))


@settings(max_examples=8, deadline=None)
@given(m=st.integers(2, 6), d=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_backward_matches_finite_differences(m, d, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(1.0, 2.0, (m, d))
    gamma, beta = rng.normal(1.0, 0.5, d), rng.standard_normal(d)
    weights = rng.standard_normal((m, d))  # L = sum(weights * y**2) / 2: a non-linear loss
    eps = 1e-3

    def loss():
        y, _ = batchnorm_forward(x, gamma, beta, eps)
        return float(0.5 * np.sum(weights * y * y))

    y, cache = batchnorm_forward(x, gamma, beta, eps)
    dx, dgamma, dbeta = batchnorm_backward(weights * y, cache)
    for analytic, array in ((dx, x), (dgamma, gamma), (dbeta, beta)):
        numeric = numerical_gradient(loss, array)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-7)


def test_layer_inference_backward_matches_finite_differences():
    rng = np.random.default_rng(3)
    layer = BatchNorm(3)
    for _ in range(4):
        layer.forward(rng.normal(2.0, 3.0, (5, 3)))
    layer.params["gamma"][:] = [0.5, 2.0, -1.0]
    x = rng.standard_normal((2, 3))
    w = rng.standard_normal((2, 3))

    def loss():
        return float(np.sum(w * layer.forward(x, train=False)))

    layer.forward(x, train=False)
    dx = layer.backward(w)
    np.testing.assert_allclose(dx, numerical_gradient(loss, x), rtol=1e-6)
    np.testing.assert_allclose(layer.grads["gamma"],
                               numerical_gradient(loss, layer.params["gamma"]), rtol=1e-6)


@pytest.mark.parametrize("momentum", [0.0, 0.5, 0.9, 1.0, None])
def test_running_statistics_match_numpy(momentum):
    rng = np.random.default_rng(0)
    layer = BatchNorm(4, momentum=momentum)
    batches = [rng.normal([0.0, 1.0, -2.0, 5.0], [1.0, 2.0, 0.5, 3.0], (m, 4))
               for m in (8, 8, 5, 8, 3, 8)]
    mean, var = np.zeros(4), np.ones(4)
    for b in batches:
        layer.forward(b, train=True)
        if momentum is not None:
            mean = momentum * mean + (1 - momentum) * b.mean(axis=0)
            var = momentum * var + (1 - momentum) * b.var(axis=0, ddof=1)
    if momentum is None:
        mean = np.mean([b.mean(axis=0) for b in batches], axis=0)
        var = np.mean([b.var(axis=0, ddof=1) for b in batches], axis=0)
    np.testing.assert_allclose(layer.running_mean, mean)
    np.testing.assert_allclose(layer.running_var, var)
    assert layer.n_batches == len(batches)


def test_inference_uses_unbiased_factor_m_over_m_minus_1():
    rng = np.random.default_rng(1)
    m, eps = 4, 1e-5
    layer = BatchNorm(2, eps=eps, momentum=None)
    layer.params["gamma"][:] = [2.0, 0.5]
    layer.params["beta"][:] = [-1.0, 3.0]
    batches = [rng.normal(3.0, 2.0, (m, 2)) for _ in range(50)]
    for b in batches:
        layer.forward(b)
    mu = np.mean([b.mean(axis=0) for b in batches], axis=0)                 # E(mu_B)
    sigma2 = m / (m - 1) * np.mean([b.var(axis=0) for b in batches], axis=0)  # Eq. (3.24)
    x = rng.normal(3.0, 2.0, (1, 2))  # a single example is fine at inference
    expected = layer.params["gamma"] * (x - mu) / np.sqrt(sigma2 + eps) + layer.params["beta"]
    np.testing.assert_allclose(layer.forward(x, train=False), expected)
    # ... and it does not change the running statistics
    np.testing.assert_allclose(layer.running_mean, mu)


def test_batchnorm_in_sequential_passes_gradient_check():
    rng = np.random.default_rng(0)
    model = Sequential([Dense(3, 5, rng), BatchNorm(5, eps=1e-3), Act("sigmoid"),
                        Dense(5, 4, rng), BatchNorm(4, eps=1e-3), Act("tanh"),
                        Dense(4, 3, rng)])
    model.layers[1].params["gamma"][:] = rng.normal(1.0, 0.3, 5)
    model.layers[1].params["beta"][:] = rng.normal(0.0, 0.3, 5)
    x = rng.standard_normal((6, 3))
    y = rng.integers(0, 3, 6)
    assert check_gradients(model, x, y, softmax_cross_entropy) < 1e-6


def test_bad_inputs():
    ok = np.arange(6.0).reshape(3, 2)
    with pytest.raises(ValueError, match="x must be 2-dimensional"):
        batchnorm_forward(np.arange(3.0), np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match="x must hold a batch of at least 2"):
        batchnorm_forward(ok[:1], np.ones(2), np.zeros(2))
    with pytest.raises(ValueError, match=r"gamma must have shape \(2,\)"):
        batchnorm_forward(ok, np.ones(3), np.zeros(2))
    with pytest.raises(ValueError, match="eps must be > 0"):
        batchnorm_forward(ok, np.ones(2), np.zeros(2), eps=0.0)
    with pytest.raises(ValueError, match="x must contain only finite"):
        batchnorm_forward(ok * np.nan, np.ones(2), np.zeros(2))
    _, cache = batchnorm_forward(ok, np.ones(2), np.zeros(2))
    with pytest.raises(ValueError, match="dy must have shape"):
        batchnorm_backward(np.ones((2, 2)), cache)
    with pytest.raises(TypeError, match="cache must be"):
        batchnorm_backward(np.ones((3, 2)), (1, 2, 3))

    layer = BatchNorm(2)
    with pytest.raises(ValueError, match="x must be 2-dimensional"):
        layer.forward(np.ones(2))
    with pytest.raises(ValueError, match="x must hold a batch of at least 2"):
        layer.forward(np.ones((1, 2)), train=True)
    layer.forward(np.ones((1, 2)), train=False)  # a single example is fine at inference
    with pytest.raises(ValueError, match="x has 3 features but 2 are expected"):
        layer.forward(np.ones((4, 3)))
    with pytest.raises(RuntimeError, match="backward called before forward"):
        BatchNorm(2).backward(np.ones((3, 2)))
    with pytest.raises(ValueError, match="eps must be > 0"):
        BatchNorm(2, eps=-1e-5)
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\]"):
            BatchNorm(2, momentum=bad)
    with pytest.raises(TypeError, match="momentum must be a real number"):
        BatchNorm(2, momentum="0.9")
    with pytest.raises(ValueError, match="n_features must be >= 1"):
        BatchNorm(0)
