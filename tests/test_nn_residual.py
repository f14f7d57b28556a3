"""notes_lib.nn.residual against independent references: the forward pass against
``x + F(x)`` written out here with NumPy, every gradient against central finite
differences computed in this file (not by the library), the identity block (F = 0)
against the identity, and SGD training through a Residual inside a Sequential."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notes_lib.nn.layers import (
    SGD,
    Act,
    Dense,
    Sequential,
    check_gradients,
    quadratic_cost,
    train,
)
from notes_lib.nn.residual import Residual, plain_mlp, residual_mlp


def branch(width, rng, activation="tanh"):
    return [Dense(width, width, rng), Act(activation), Dense(width, width, rng)]


def reference_forward(x, W1, b1, W2, b2):
    """x + W2 tanh(W1 x + b1) + b2, row by row, typed from Figure 3.4."""
    return x + np.tanh(x @ W1.T + b1) @ W2.T + b2


def central_differences(f, array, h=1e-6):
    grad = np.zeros_like(array)
    for idx in np.ndindex(array.shape):
        old = array[idx]
        array[idx] = old + h
        up = f()
        array[idx] = old - h
        down = f()
        array[idx] = old
        grad[idx] = (up - down) / (2 * h)
    return grad


def test_forward_is_x_plus_F_of_x():
    rng = np.random.default_rng(0)
    block = Residual(branch(4, rng))
    x = rng.normal(size=(7, 4))
    p = block.params
    expected = reference_forward(x, p["0.W"], p["0.b"], p["2.W"], p["2.b"])
    np.testing.assert_allclose(block.forward(x), expected, rtol=1e-13, atol=1e-13)


def test_params_and_grads_are_the_inner_arrays():
    rng = np.random.default_rng(1)
    layers = branch(3, rng)
    block = Residual(Sequential(layers))
    assert list(block.params) == ["0.W", "0.b", "2.W", "2.b"]
    assert block.params["0.W"] is layers[0].params["W"]
    x = rng.normal(size=(5, 3))
    block.forward(x)
    block.backward(np.ones((5, 3)))
    # grads are re-read after backward (Dense rebinds its gradient arrays)
    assert block.grads["2.W"] is layers[2].grads["W"]
    assert set(block.grads) == set(block.params)


@settings(max_examples=8, deadline=None)
@given(n=st.integers(1, 4), width=st.integers(1, 4), batch=st.integers(1, 4),
       seed=st.integers(0, 2**16))
def test_gradients_match_finite_differences(n, width, batch, seed):
    rng = np.random.default_rng(seed)
    model = Sequential([Dense(n, width, rng), Act("tanh"),
                        Residual(branch(width, rng)), Act("tanh"),
                        Residual([Residual(branch(width, rng))]),  # nested block
                        Dense(width, 2, rng)])
    x = rng.normal(size=(batch, n))
    y = rng.normal(size=(batch, 2))

    def cost():
        return quadratic_cost(model.forward(x), y)[0]

    _, delta = quadratic_cost(model.forward(x), y)
    dx = model.backward(delta)
    for params, grads, key in model.parameters():
        analytic = grads[key].copy()
        np.testing.assert_allclose(analytic, central_differences(cost, params[key]),
                                   rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(dx, central_differences(cost, x), rtol=1e-5, atol=1e-8)
    assert check_gradients(model, x, y, quadratic_cost, eps=1e-5) < 1e-4


def test_zero_branch_is_identity_with_identity_jacobian():
    rng = np.random.default_rng(2)
    layers = branch(3, rng, "relu")
    for layer in (layers[0], layers[2]):
        for v in layer.params.values():
            v[...] = 0.0
    block = Residual(layers)
    x = rng.normal(size=(6, 3))
    np.testing.assert_array_equal(block.forward(x), x)
    delta = rng.normal(size=(6, 3))
    np.testing.assert_array_equal(block.backward(delta), delta)  # dy/dx = I
    # one row at a time with unit deltas: the Jacobian itself is the identity
    block.forward(x[:1])
    jac = np.vstack([block.backward(e[None, :]) for e in np.eye(3)])
    np.testing.assert_array_equal(jac, np.eye(3))


def test_sgd_updates_the_inner_weights_and_lowers_the_loss():
    rng = np.random.default_rng(3)
    model = residual_mlp(6, 4, rng, "tanh", n_in=2, n_out=1, init="xavier")
    blocks = [layer for layer in model.layers if isinstance(layer, Residual)]
    assert len(blocks) == 2
    before = [layer.params["W"].copy() for b in blocks for layer in b.inner.layers
              if isinstance(layer, Dense)]
    x = rng.uniform(-1, 1, size=(32, 2))
    y = np.sin(2 * x[:, :1]) * x[:, 1:]
    history = train(model, x, y, quadratic_cost, lr=0.1, epochs=30, momentum=0.5)
    after = [layer.params["W"] for b in blocks for layer in b.inner.layers
             if isinstance(layer, Dense)]
    for w0, w1 in zip(before, after, strict=True):
        assert not np.allclose(w0, w1)
    assert history[-1] < history[0]


def test_one_sgd_step_is_minus_lr_times_gradient():
    rng = np.random.default_rng(4)
    model = Sequential([Residual(branch(3, rng))])
    opt = SGD(model, lr=0.5)
    x, y = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    _, delta = quadratic_cost(model.forward(x), y)
    model.backward(delta)
    inner_dense = model.layers[0].inner.layers[2]
    w0, g = inner_dense.params["W"].copy(), inner_dense.grads["W"].copy()
    opt.step()
    np.testing.assert_allclose(inner_dense.params["W"], w0 - 0.5 * g, rtol=1e-14)


def test_builders_share_initial_weights_and_differ_by_the_shortcuts():
    plain = plain_mlp(5, 4, np.random.default_rng(5), n_in=2, n_out=1)
    res = residual_mlp(5, 4, np.random.default_rng(5), n_in=2, n_out=1)
    plain_w = [p[k] for p, _, k in plain.parameters()]
    res_w = [p[k] for p, _, k in res.parameters()]
    assert len(plain_w) == len(res_w) == 12
    for a, b in zip(plain_w, res_w, strict=True):
        np.testing.assert_array_equal(a, b)
    zero = residual_mlp(5, 4, np.random.default_rng(5), n_in=2, n_out=1, branch_scale=0.0)
    assert not np.any(zero.layers[2].params["2.W"])


def test_bad_inputs():
    rng = np.random.default_rng(6)
    with pytest.raises(ValueError, match="x"):
        Residual([Dense(3, 2, rng)]).forward(np.ones((4, 3)))
    with pytest.raises(TypeError, match="inner"):
        Residual(5)
    with pytest.raises(TypeError, match=r"layers\[1\]"):
        Residual([Dense(2, 2, rng), "relu"])
    block = Residual([Dense(2, 2, rng)])
    with pytest.raises(RuntimeError, match="before forward"):
        block.backward(np.ones((1, 2)))
    block.forward(np.ones((3, 2)))
    with pytest.raises(ValueError, match="delta"):
        block.backward(np.ones((3, 4)))
    with pytest.raises(ValueError, match="depth must be even"):
        residual_mlp(4, 3, rng)
    with pytest.raises(ValueError, match="branch_scale"):
        residual_mlp(4, 2, rng, branch_scale=-1.0)
    with pytest.raises(TypeError, match="rng"):
        plain_mlp(4, 2, 0)
    with pytest.raises(ValueError, match="width"):
        plain_mlp(0, 2, rng)
    with pytest.raises(ValueError, match="activation"):
        plain_mlp(4, 2, rng, "swish")
