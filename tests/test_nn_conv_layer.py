"""notes_lib.nn.conv's Conv2D, Flatten and Unflatten layers: the forward pass against
conv2d_forward and scipy.signal.correlate2d, every gradient (input, kernels, bias)
against central finite differences, a small composed network trained by SGD, and
clear errors for bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.signal import correlate2d

from notes_lib.nn import conv
from notes_lib.nn.layers import (
    SGD,
    Act,
    Dense,
    Sequential,
    check_gradients,
    numerical_gradient,
    quadratic_cost,
)


def test_forward_equals_conv2d_forward_and_scipy():
    rng = np.random.default_rng(0)
    layer = conv.Conv2D(3, 2, (3, 2), rng, stride=(2, 1), padding=(1, 0))
    layer.params["b"] = rng.normal(size=2)
    x = rng.normal(size=(4, 3, 7, 6))
    got = layer.forward(x)
    np.testing.assert_array_equal(
        got, conv.conv2d_forward(x, layer.params["W"], layer.params["b"], (2, 1), (1, 0)))
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (0, 0)))
    ref = np.array([[sum(correlate2d(xp[n, c], layer.params["W"][o, c], mode="valid")
                         for c in range(3))[::2, :] + layer.params["b"][o]
                     for o in range(2)] for n in range(4)])
    np.testing.assert_allclose(got, ref, atol=1e-12)


def _fd_check(layer, x, rng):
    """Loss C = sum(G * z), linear in x, W and b, so central differences are exact up
    to rounding; backward(G) must reproduce them."""
    g = rng.normal(size=layer.forward(x).shape)

    def loss() -> float:
        return float(np.sum(g * layer.forward(x)))

    layer.forward(x)
    dx = layer.backward(g)
    np.testing.assert_allclose(dx, numerical_gradient(loss, x), atol=1e-7)
    for key in ("W", "b"):
        np.testing.assert_allclose(layer.grads[key], numerical_gradient(loss, layer.params[key]),
                                   atol=1e-7)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 2), c_in=st.integers(1, 2), c_out=st.integers(1, 2),
       k=st.integers(1, 3), extra=st.integers(0, 3), stride=st.integers(1, 2),
       padding=st.integers(0, 1), seed=st.integers(0, 2**16))
def test_gradients_match_finite_differences(n, c_in, c_out, k, extra, stride, padding, seed):
    rng = np.random.default_rng(seed)
    layer = conv.Conv2D(c_in, c_out, k, rng, stride=stride, padding=padding)
    layer.params["b"] = rng.normal(size=c_out)
    x = rng.normal(size=(n, c_in, k + extra, k + extra + 1))
    _fd_check(layer, x, rng)


@pytest.mark.parametrize(("stride", "padding"), [(1, 0), (2, 1), ((2, 1), (1, 0))])
def test_gradients_stride_and_padding(stride, padding):
    rng = np.random.default_rng(1)
    layer = conv.Conv2D(2, 3, 3, rng, stride=stride, padding=padding)
    _fd_check(layer, rng.normal(size=(2, 2, 6, 5)), rng)


def test_composed_network_gradients_and_training():
    rng = np.random.default_rng(0)
    model = Sequential([conv.Unflatten((2, 6, 5)), conv.Conv2D(2, 3, 3, rng, stride=2, padding=1),
                        Act("tanh"), conv.Flatten(), Dense(27, 2, rng)])
    x, y = rng.normal(size=(3, 60)), rng.normal(size=(3, 2))
    assert check_gradients(model, x, y, quadratic_cost, eps=1e-5) < 1e-5
    opt = SGD(model, lr=0.1)
    first = quadratic_cost(model.forward(x), y)[0]
    for _ in range(50):
        _, delta = quadratic_cost(model.forward(x), y)
        model.backward(delta)
        opt.step()
    assert quadratic_cost(model.forward(x), y)[0] < 0.5 * first


def test_flatten_unflatten_round_trip():
    x = np.arange(24.0).reshape(2, 3, 4)
    flat, unflat = conv.Flatten(), conv.Unflatten((3, 4))
    f = flat.forward(x)
    assert f.shape == (2, 12)
    np.testing.assert_array_equal(unflat.forward(f), x)
    np.testing.assert_array_equal(flat.backward(unflat.backward(x)), x)


def test_init_scales():
    rng = np.random.default_rng(0)
    he = conv.Conv2D(8, 16, 3, rng).params["W"]
    assert abs(he.std() - np.sqrt(2 / 72)) < 0.02
    assert np.all(conv.Conv2D(1, 1, 2, rng, init=0.0).params["W"] == 0)


def test_bad_input():
    rng = np.random.default_rng(0)
    layer = conv.Conv2D(2, 1, 3, rng, padding=1)
    with pytest.raises(RuntimeError, match="backward called before forward"):
        layer.backward(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match="x has 3 channels"):
        layer.forward(np.zeros((1, 3, 4, 4)))
    with pytest.raises(ValueError, match="larger than the padded input"):
        conv.Conv2D(1, 1, 5, rng).forward(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match="x must be 4-dimensional"):
        layer.forward(np.zeros((2, 4, 4)))
    layer.forward(np.zeros((1, 2, 4, 4)))
    with pytest.raises(ValueError, match="delta must have the forward output's shape"):
        layer.backward(np.zeros((1, 1, 3, 3)))
    with pytest.raises(TypeError, match=r"rng must be a numpy\.random\.Generator"):
        conv.Conv2D(1, 1, 3, np.random.RandomState(0))
    with pytest.raises(TypeError, match=r"rng must be a numpy\.random\.Generator"):
        conv.Conv2D(1, 1, 3, 0)
    with pytest.raises(ValueError, match="in_channels must be >= 1"):
        conv.Conv2D(0, 1, 3, rng)
    with pytest.raises(ValueError, match="stride must be >= 1"):
        conv.Conv2D(1, 1, 3, rng, stride=0)
    with pytest.raises(ValueError, match="init must be"):
        conv.Conv2D(1, 1, 3, rng, init="glorot")
    with pytest.raises(ValueError, match="must be finite and >= 0"):
        conv.Conv2D(1, 1, 3, rng, init=-1.0)
    with pytest.raises(RuntimeError, match="backward called before forward"):
        conv.Flatten().backward(np.zeros((1, 4)))
    with pytest.raises(ValueError, match="x must have 12 features"):
        conv.Unflatten((3, 4)).forward(np.zeros((2, 10)))
    with pytest.raises(TypeError, match="shape must be a non-empty tuple"):
        conv.Unflatten(12)
    flat = conv.Flatten()
    flat.forward(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match=r"delta must have shape \(2, 12\)"):
        flat.backward(np.zeros((2, 13)))
