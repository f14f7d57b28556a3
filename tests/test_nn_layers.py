"""notes_lib.nn.layers against independent references: central finite differences
for every backward pass (written here, not the library's ``numerical_gradient``),
the explicit sums of Eq. (3.1) for ``Dense``, ``scipy.special.log_softmax`` for the
cross-entropy, the momentum recursion unrolled by hand on a one-parameter model,
and clear errors for bad input to every public class and function."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import log_softmax

from notes_lib.nn.activations import ACTIVATIONS
from notes_lib.nn.layers import (
    SGD,
    Act,
    Dense,
    Sequential,
    check_gradients,
    numerical_gradient,
    quadratic_cost,
    softmax_cross_entropy,
    train,
)

SMOOTH = ["sigmoid", "tanh", "elu", "linear"]  # elu is C^1 at 0, enough for differences
KINKED = ["relu", "leaky_relu"]


def mlp(sizes, activation, seed=0):
    rng = np.random.default_rng(seed)
    layers = []
    for n_in, n_out in itertools.pairwise(sizes):
        layers += [Dense(n_in, n_out, rng), Act(activation)]
    return Sequential(layers[:-1])  # linear output


def own_central_differences(f, array, h=1e-6):
    grad = np.zeros_like(array)
    for idx in np.ndindex(array.shape):
        e = np.zeros_like(array)
        e[idx] = h
        grad[idx] = (f(array + e) - f(array - e)) / (2 * h)
    return grad


# --- gradients against finite differences -----------------------------------------------------


@settings(max_examples=8, deadline=None)
@given(sizes=st.lists(st.integers(1, 4), min_size=2, max_size=4),
       n=st.integers(1, 5), activation=st.sampled_from(SMOOTH), seed=st.integers(0, 2**16))
def test_backprop_matches_finite_differences_quadratic_cost(sizes, n, activation, seed):
    model = mlp(sizes, activation, seed)
    rng = np.random.default_rng(seed + 1)
    x, y = rng.normal(size=(n, sizes[0])), rng.normal(size=(n, sizes[-1]))
    assert check_gradients(model, x, y, quadratic_cost) < 1e-6


@settings(max_examples=8, deadline=None)
@given(sizes=st.lists(st.integers(2, 4), min_size=2, max_size=3),
       n=st.integers(1, 5), activation=st.sampled_from(SMOOTH), seed=st.integers(0, 2**16))
def test_backprop_matches_finite_differences_cross_entropy(sizes, n, activation, seed):
    model = mlp(sizes, activation, seed)
    rng = np.random.default_rng(seed + 1)
    x, y = rng.normal(size=(n, sizes[0])), rng.integers(0, sizes[-1], size=n)
    assert check_gradients(model, x, y, softmax_cross_entropy) < 1e-6


@pytest.mark.parametrize("activation", KINKED)
def test_backprop_with_kinked_activations_away_from_the_kink(activation):
    # Pre-activations of the hidden layer are kept away from 0 by a large bias.
    rng = np.random.default_rng(3)
    model = mlp([3, 4, 2], activation)
    model.layers[0].params["b"][:] = np.array([2.0, -2.0, 2.5, -2.5])
    model.layers[0].params["W"] *= 0.1
    x, y = rng.uniform(-1, 1, size=(5, 3)), rng.normal(size=(5, 2))
    assert check_gradients(model, x, y, quadratic_cost) < 1e-6


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_every_activation_layer_backward_against_independent_differences(activation):
    rng = np.random.default_rng(0)
    z = rng.normal(size=(4, 3))
    z[np.abs(z) < 1e-3] = 0.5  # away from the kinks of relu/leaky_relu
    g = rng.normal(size=(4, 3))  # upstream dC/da; C = sum(g * f(z))
    layer = Act(activation)
    layer.forward(z)
    numeric = own_central_differences(lambda v: float(np.sum(g * layer.activation.f(v))), z)
    np.testing.assert_allclose(layer.backward(g), numeric, rtol=1e-6, atol=1e-8)


def test_dense_backward_against_independent_differences():
    rng = np.random.default_rng(1)
    layer = Dense(3, 2, rng)
    x, g = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    W, b = layer.params["W"].copy(), layer.params["b"].copy()
    layer.forward(x)
    dx = layer.backward(g)

    def cost(x_, W_, b_):
        return float(np.sum(g * (x_ @ W_.T + b_)))

    dW = own_central_differences(lambda v: cost(x, v, b), W)
    db = own_central_differences(lambda v: cost(x, W, v), b)
    np.testing.assert_allclose(layer.grads["W"], dW, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(layer.grads["b"], db, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(dx, own_central_differences(lambda v: cost(v, W, b), x),
                               rtol=1e-6, atol=1e-8)


def test_numerical_gradient_of_a_known_function_also_on_a_non_contiguous_view():
    A = np.arange(6.0).reshape(2, 3)
    expected = 2 * A
    np.testing.assert_allclose(numerical_gradient(lambda: float(np.sum(A**2)), A), expected,
                               atol=1e-6)
    np.testing.assert_allclose(numerical_gradient(lambda: float(np.sum(A**2)), A.T), expected.T,
                               atol=1e-6)
    np.testing.assert_array_equal(A, np.arange(6.0).reshape(2, 3))  # restored


def test_check_gradients_detects_a_wrong_backward_pass():
    model = mlp([2, 3, 1], "tanh")
    layer = model.layers[1]
    right = layer.activation
    layer.activation = type(right)("wrong", right.f, lambda z: 2 * right.f_prime(z))
    rng = np.random.default_rng(0)
    assert check_gradients(model, rng.normal(size=(4, 2)), rng.normal(size=(4, 1)),
                           quadratic_cost) > 1e-2


# --- forward passes and losses against explicit formulas --------------------------------------


def test_dense_forward_is_the_sum_of_eq_3_1():
    rng = np.random.default_rng(2)
    layer = Dense(4, 3, rng)
    layer.params["b"][:] = rng.normal(size=3)
    W, b = layer.params["W"], layer.params["b"]
    a_prev = rng.normal(size=(5, 4))
    z = layer.forward(a_prev)
    for n in range(5):
        for j in range(3):
            assert z[n, j] == pytest.approx(sum(W[j, k] * a_prev[n, k] for k in range(4)) + b[j])


@pytest.mark.parametrize(("init", "std"), [("xavier", np.sqrt(2 / 300)), ("he", np.sqrt(2 / 100)),
                                           (0.3, 0.3)])
def test_dense_init_scales(init, std):
    layer = Dense(100, 200, np.random.default_rng(0), init=init)
    assert layer.params["W"].shape == (200, 100)
    assert layer.params["W"].std() == pytest.approx(std, rel=0.03)
    np.testing.assert_array_equal(layer.params["b"], 0.0)


def test_quadratic_cost_value_and_gradient():
    a = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 3.0]])
    y = np.array([[0.0, 2.0], [1.0, 1.0], [3.0, 0.0]])
    value, grad = quadratic_cost(a, y)
    # (1 + 0) + (1 + 4) + (0 + 9) = 15, halved and averaged over 3 examples.
    assert value == pytest.approx(15 / 6)
    np.testing.assert_allclose(grad, (a - y) / 3)


def test_softmax_cross_entropy_against_scipy_log_softmax():
    rng = np.random.default_rng(4)
    z = rng.normal(scale=30, size=(7, 5))  # large logits: the stable form is needed
    y = rng.integers(0, 5, size=7)
    value, grad = softmax_cross_entropy(z, y)
    log_p = log_softmax(z, axis=1)
    assert value == pytest.approx(-np.mean(log_p[np.arange(7), y]))
    onehot = np.eye(5)[y]
    np.testing.assert_allclose(grad, (np.exp(log_p) - onehot) / 7, atol=1e-15)
    assert np.isfinite(value)


# --- optimiser and training --------------------------------------------------------------------


def test_sgd_momentum_matches_the_unrolled_recursion_on_one_parameter():
    # One input, one output: C = (w x + b - y)^2 / 2. The recursion v <- mu v - lr g,
    # theta <- theta + v is unrolled here by hand for w and b.
    layer = Dense(1, 1, np.random.default_rng(0), init=0.0)
    layer.params["W"][:] = 2.0
    model = Sequential([layer])
    lr, mu = 0.1, 0.9
    opt = SGD(model, lr=lr, momentum=mu)
    x, y = np.array([[1.5]]), np.array([[0.5]])
    w, b, vw, vb = 2.0, 0.0, 0.0, 0.0
    for _ in range(5):
        _, delta = quadratic_cost(model.forward(x), y)
        model.backward(delta)
        opt.step()
        r = w * 1.5 + b - 0.5
        vw, vb = mu * vw - lr * r * 1.5, mu * vb - lr * r
        w, b = w + vw, b + vb
        assert layer.params["W"][0, 0] == pytest.approx(w)
        assert layer.params["b"][0] == pytest.approx(b)


def test_sgd_without_momentum_is_plain_gradient_descent():
    layer = Dense(2, 1, np.random.default_rng(0))
    model = Sequential([layer])
    W0 = layer.params["W"].copy()
    x, y = np.array([[1.0, -1.0]]), np.array([[2.0]])
    _, delta = quadratic_cost(model.forward(x), y)
    model.backward(delta)
    SGD(model, lr=0.5).step()
    np.testing.assert_allclose(layer.params["W"], W0 - 0.5 * ((W0 @ x[0]) - 2.0) * x)


@pytest.mark.parametrize("batch_size", [None, 8])
def test_train_reduces_the_loss_on_a_separable_task(batch_size):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 2))
    y = (x[:, 0] + x[:, 1] > 0).astype(int)
    model = mlp([2, 8, 2], "tanh")
    history = train(model, x, y, softmax_cross_entropy, lr=0.5, epochs=40, momentum=0.5,
                    batch_size=batch_size, rng=rng)
    assert history.shape == (40,)
    assert history[-1] < 0.3 * history[0]
    accuracy = np.mean(model.forward(x).argmax(axis=1) == y)
    assert accuracy > 0.95


# --- bad input -----------------------------------------------------------------------------------


def test_shape_mismatch_between_layers_names_x():
    rng = np.random.default_rng(0)
    model = Sequential([Dense(2, 3, rng), Act("relu"), Dense(4, 1, rng)])
    with pytest.raises(ValueError, match=r"x has 3 features .* expects 4"):
        model.forward(np.ones((5, 2)))
    with pytest.raises(ValueError, match="x must be 2-dimensional"):
        model.forward(np.ones(2))


def test_backward_before_forward():
    with pytest.raises(RuntimeError, match="backward called before forward"):
        Dense(2, 3, np.random.default_rng(0)).backward(np.ones((1, 3)))
    with pytest.raises(RuntimeError, match="backward called before forward"):
        Act("tanh").backward(np.ones((1, 3)))


def test_backward_with_wrong_delta_shape():
    layer = Dense(2, 3, np.random.default_rng(0))
    layer.forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"delta must have shape \(4, 3\)"):
        layer.backward(np.ones((4, 2)))
    act = Act("sigmoid")
    act.forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match="delta must have shape"):
        act.backward(np.ones((4, 3)))


def test_dense_bad_arguments():
    rng = np.random.default_rng(0)
    with pytest.raises(TypeError, match=r"rng must be a numpy\.random\.Generator"):
        Dense(2, 3, None)
    with pytest.raises(ValueError, match="n_in must be >= 1"):
        Dense(0, 3, rng)
    with pytest.raises(TypeError, match="n_out must be an integer"):
        Dense(2, 3.0, rng)
    with pytest.raises(ValueError, match="init must be 'xavier', 'he'"):
        Dense(2, 3, rng, init="lecun")
    with pytest.raises(ValueError, match=r"init .* must be >= 0"):
        Dense(2, 3, rng, init=-1.0)
    with pytest.raises(ValueError, match="x must contain only finite values"):
        Dense(2, 3, rng).forward(np.array([[np.nan, 1.0]]))


def test_act_bad_name():
    with pytest.raises(ValueError, match="activation must be one of"):
        Act("swish")
    with pytest.raises(TypeError, match="activation must be a string"):
        Act(None)


def test_sequential_bad_layers():
    with pytest.raises(ValueError, match="layers must hold at least one layer"):
        Sequential([])
    with pytest.raises(TypeError, match=r"layers\[1\] \(int\) does not follow"):
        Sequential([Act("relu"), 3])


def test_loss_bad_input():
    with pytest.raises(ValueError, match="a and y must have the same shape"):
        quadratic_cost(np.ones((3, 2)), np.ones((3, 1)))
    with pytest.raises(ValueError, match="at least one example"):
        quadratic_cost(np.ones((0, 2)), np.ones((0, 2)))
    with pytest.raises(ValueError, match=r"y must be in \[0, 2\]"):
        softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match=r"y must be in \[0, 2\]"):
        softmax_cross_entropy(np.zeros((2, 3)), np.array([-1, 0]))
    with pytest.raises(ValueError, match="y must be 2 integer class labels"):
        softmax_cross_entropy(np.zeros((2, 3)), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="y must be 2 integer class labels"):
        softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="at least one example"):
        softmax_cross_entropy(np.zeros((0, 3)), np.zeros(0, dtype=int))


def test_sgd_bad_arguments():
    model = mlp([2, 1], "tanh")
    with pytest.raises(ValueError, match="lr must be > 0"):
        SGD(model, lr=0.0)
    with pytest.raises(ValueError, match="lr must be > 0"):
        SGD(model, lr=-1.0)
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\)"):
        SGD(model, lr=0.1, momentum=1.0)
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\)"):
        SGD(model, lr=0.1, momentum=-0.1)
    with pytest.raises(TypeError, match="model must be a Sequential"):
        SGD(Dense(2, 1, np.random.default_rng(0)), lr=0.1)


def test_train_bad_arguments():
    model = mlp([2, 3, 2], "tanh")
    x, y = np.zeros((4, 2)), np.array([0, 1, 0, 1])
    with pytest.raises(TypeError, match=r"rng must be a numpy\.random\.Generator, got NoneType"):
        train(model, x, y, softmax_cross_entropy, lr=0.1, epochs=2, batch_size=2, rng=None)
    with pytest.raises(ValueError, match="epochs must be >= 1"):
        train(model, x, y, softmax_cross_entropy, lr=0.1, epochs=0)
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        train(model, x, y, softmax_cross_entropy, lr=0.1, epochs=1, batch_size=0,
              rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="lr must be > 0"):
        train(model, x, y, softmax_cross_entropy, lr=0.0, epochs=1)
    with pytest.raises(ValueError, match=r"y must have one row per example of x \(4\)"):
        train(model, x, y[:3], softmax_cross_entropy, lr=0.1, epochs=1)
    with pytest.raises(ValueError, match="y must be in"):
        train(model, x, np.array([0, 1, 2, 1]), softmax_cross_entropy, lr=0.1, epochs=1)


def test_numerical_gradient_and_check_gradients_bad_arguments():
    with pytest.raises(TypeError, match="array must be a float64 numpy array"):
        numerical_gradient(lambda: 0.0, [1.0, 2.0])
    with pytest.raises(TypeError, match="array must be a float64 numpy array"):
        numerical_gradient(lambda: 0.0, np.ones(2, dtype=np.float32))
    with pytest.raises(ValueError, match="eps must be > 0"):
        numerical_gradient(lambda: 0.0, np.ones(2), eps=0.0)
    model = mlp([2, 1], "tanh")
    with pytest.raises(ValueError, match="x has 3 features"):
        check_gradients(model, np.ones((2, 3)), np.ones((2, 1)), quadratic_cost)
