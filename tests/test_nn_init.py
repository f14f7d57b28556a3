"""Initialisers of section 3.7 against their distributions, and the deep-network variance
experiment against the theory of Eq. (3.35)-(3.43).

Tolerances are derived, not guessed: for ``N`` draws of a variable with variance
``s2`` and fourth central moment ``m4`` (taken from ``scipy.stats``, an independent
implementation) the sample mean has standard error ``sqrt(s2 / N)`` and the mean of
squares ``sqrt((m4 - s2**2) / N)``; we allow 5 standard errors.
"""

import math

import numpy as np
import pytest
from scipy import stats

from notes_lib.nn import init
from notes_lib.nn.activations import get_activation

FANS = [(300, 500), (784, 10), (64, 64)]


def expected_distribution(name, fan_in, fan_out):
    """The distribution each initialiser should draw from, typed from the formulas."""
    if name == "normal":
        return stats.norm(0.0, 0.5)  # drawn with std=0.5 below
    if name == "lecun_normal":
        return stats.norm(0.0, math.sqrt(1.0 / fan_in))
    if name == "xavier_normal":
        return stats.norm(0.0, math.sqrt(2.0 / (fan_in + fan_out)))
    if name == "he_normal":
        return stats.norm(0.0, math.sqrt(2.0 / fan_in))
    if name == "xavier_uniform":
        a = math.sqrt(6.0) / math.sqrt(fan_in + fan_out)
    else:  # he_uniform
        a = math.sqrt(6.0 / fan_in)
    return stats.uniform(loc=-a, scale=2 * a)


RANDOM = ["normal", "lecun_normal", "xavier_uniform", "xavier_normal", "he_uniform",
          "he_normal"]


def draw(name, shape, rng, **kwargs):
    if name == "normal":
        kwargs.setdefault("std", 0.5)
    return init.INITIALIZERS[name](shape, rng, **kwargs)


@pytest.mark.parametrize("name", RANDOM)
@pytest.mark.parametrize(("fan_in", "fan_out"), FANS)
def test_moments_and_law_match_the_formulas(name, fan_in, fan_out):
    rng = np.random.default_rng(12345)
    reference = expected_distribution(name, fan_in, fan_out)
    # enough draws for the CLT: repeat the layer shape until N >= 100_000
    reps = -(-100_000 // (fan_in * fan_out))
    w = np.concatenate([draw(name, (fan_in, fan_out), rng).ravel() for _ in range(reps)])
    n = w.size
    s2 = reference.var()
    m4 = reference.moment(4)  # raw = central, the mean is 0
    assert abs(w.mean()) < 5 * math.sqrt(s2 / n)
    assert abs(np.mean(w**2) - s2) < 5 * math.sqrt((m4 - s2**2) / n)
    # the whole law, not just two moments (deterministic: the rng is seeded)
    assert stats.kstest(w, reference.cdf).pvalue > 1e-3
    # and the parameters reported by init_parameters
    params = init.init_parameters(name, fan_in, fan_out, std=0.5)
    assert params["variance"] == pytest.approx(s2, rel=1e-12)
    if name.endswith("uniform"):
        a = reference.support()[1]
        assert params["bound"] == pytest.approx(a, rel=1e-12)
        assert np.all(np.abs(w) <= a)
        # P(max |w| < a (1 - t)) = (1 - t)^n: with t = 20 / n it is e^-20
        assert np.abs(w).max() > a * (1 - 20 / n)
    else:
        assert params["std"] == pytest.approx(reference.std(), rel=1e-12)


def test_the_four_variants_of_the_table():
    # Xavier: Var = 2/(n_in + n_out); He: Var = 2/n_in; uniform bound sqrt(3 Var)
    p = init.init_parameters("xavier_uniform", 100, 300)
    assert p == {"distribution": "uniform", "variance": pytest.approx(2 / 400),
                 "bound": pytest.approx(math.sqrt(6 / 400))}
    p = init.init_parameters("he_uniform", 100, 300)
    assert p["bound"] == pytest.approx(math.sqrt(6 / 100))
    assert init.init_parameters("he_normal", 100, 300)["std"] == pytest.approx(math.sqrt(0.02))
    assert init.init_parameters("xavier_normal", 100, 300)["variance"] == pytest.approx(0.005)
    assert init.init_parameters("zeros", 3, 4)["variance"] == 0.0


def test_zeros_are_zeros():
    w = init.zeros((3, 4), np.random.default_rng(0))
    assert w.shape == (3, 4)
    assert w.dtype == np.float64
    assert not w.any()


@pytest.mark.parametrize("name", list(init.INITIALIZERS))
def test_shapes_with_implied_and_explicit_fans(name):
    rng = np.random.default_rng(0)
    assert init.initialize(name, (5, 7), rng).shape == (5, 7)
    kernel = init.initialize(name, (3, 3, 16, 32), rng, fan_in=3 * 3 * 16, fan_out=3 * 3 * 32)
    assert kernel.shape == (3, 3, 16, 32)
    assert kernel.dtype == np.float64
    bias = init.initialize(name, [10], rng, fan_in=4, fan_out=10)
    assert bias.shape == (10,)


def test_explicit_fans_override_the_matrix_shape():
    # A (10, 10) kernel whose true fan_in is 40: He must use 2/40, not 2/10.
    a = init.he_normal((10, 10), np.random.default_rng(3), fan_in=40, fan_out=10)
    b = init.normal((10, 10), np.random.default_rng(3), std=math.sqrt(2 / 40))
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", list(init.INITIALIZERS))
def test_determinism_with_a_seeded_generator(name):
    a = init.initialize(name, (20, 30), np.random.default_rng(7))
    b = init.initialize(name, (20, 30), np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    if name != "zeros":
        c = init.initialize(name, (20, 30), np.random.default_rng(8))
        assert not np.array_equal(a, c)


@pytest.mark.parametrize("name", list(init.INITIALIZERS))
@pytest.mark.parametrize(
    ("shape", "rng", "kwargs", "exc", "match"),
    [
        ((3, 4), None, {}, TypeError, "rng must be a numpy.random.Generator"),
        ((3, 4), np.random.RandomState(0), {}, TypeError, "got RandomState"),
        ((3, 4), 0, {}, TypeError, "rng must be a numpy.random.Generator"),
        ((0, 4), np.random.default_rng(0), {}, ValueError, "shape must be >= 1"),
        ((3, -4), np.random.default_rng(0), {}, ValueError, "shape must be >= 1"),
        ((3.0, 4), np.random.default_rng(0), {}, TypeError, "shape must be an integer"),
        ("34", np.random.default_rng(0), {}, TypeError, "shape must be a tuple"),
        (12, np.random.default_rng(0), {}, TypeError, "shape must be a tuple"),
        ((), np.random.default_rng(0), {}, ValueError, "at least one dimension"),
        ((3, 4), np.random.default_rng(0), {"fan_in": 0}, ValueError, "fan_in must be >= 1"),
        ((3, 4), np.random.default_rng(0), {"fan_out": -2}, ValueError, "fan_out must be >= 1"),
        ((3, 4), np.random.default_rng(0), {"fan_in": 2.5}, TypeError, "fan_in must be an int"),
    ],
)
def test_bad_input_is_rejected_with_a_clear_message(name, shape, rng, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        init.initialize(name, shape, rng, **kwargs)


@pytest.mark.parametrize("name", [n for n in init.INITIALIZERS if n not in ("zeros", "normal")])
def test_fans_are_required_when_the_shape_does_not_imply_them(name):
    with pytest.raises(ValueError, match="fan_in and fan_out must be given"):
        init.initialize(name, (3, 3, 8), np.random.default_rng(0))
    with pytest.raises(ValueError, match="fan_in and fan_out must be given"):
        init.initialize(name, (3, 3, 8), np.random.default_rng(0), fan_in=72)


def test_normal_std_and_unknown_names():
    with pytest.raises(ValueError, match="std must be > 0"):
        init.normal((2, 2), np.random.default_rng(0), std=0.0)
    with pytest.raises(TypeError, match="std must be a real number"):
        init.normal((2, 2), np.random.default_rng(0), std="1")
    with pytest.raises(ValueError, match="init must be one of"):
        init.initialize("glorot", (2, 2), np.random.default_rng(0))
    with pytest.raises(ValueError, match="init must be one of"):
        init.init_parameters("msra", 2, 2)
    with pytest.raises(ValueError, match="fan_in must be >= 1"):
        init.init_parameters("he_normal", 0, 2)


# --------------------------------------------------------------------- forward / backward pass
@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "linear"])
def test_backward_pass_matches_finite_differences(activation):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 4))
    weights = [rng.standard_normal((4, 5)), rng.standard_normal((5, 3)),
               rng.standard_normal((3, 2))]
    g = rng.standard_normal((3, 2))
    f = get_activation(activation).f

    def loss(x_in):
        a = x_in
        for W in weights:
            a = f(a @ W)
        return float(np.sum(g * a))

    z, a, delta, grad_a = init.mlp_forward_backward(x, weights, activation, g)
    assert len(z) == len(delta) == 3
    assert len(a) == len(grad_a) == 4
    np.testing.assert_allclose(a[-1], f(f(f(x @ weights[0]) @ weights[1]) @ weights[2]))
    numeric = np.zeros_like(x)
    h = 1e-6
    for idx in np.ndindex(*x.shape):
        e = np.zeros_like(x)
        e[idx] = h
        numeric[idx] = (loss(x + e) - loss(x - e)) / (2 * h)
    np.testing.assert_allclose(grad_a[0], numeric, rtol=1e-5, atol=1e-7)


def test_mlp_forward_backward_rejects_mismatched_shapes():
    x = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"weights\[1\] has 5 rows"):
        init.mlp_forward_backward(x, [np.zeros((3, 4)), np.zeros((5, 2))], "tanh",
                                  np.zeros((2, 2)))
    with pytest.raises(ValueError, match="grad_output must have shape"):
        init.mlp_forward_backward(x, [np.zeros((3, 4))], "tanh", np.zeros((2, 3)))
    with pytest.raises(TypeError, match="weights must be a non-empty list"):
        init.mlp_forward_backward(x, [], "tanh", np.zeros((2, 3)))
    with pytest.raises(ValueError, match="activation must be one of"):
        init.mlp_forward_backward(x, [np.zeros((3, 4))], "swish", np.zeros((2, 4)))


DEPTH, WIDTH, BATCH = 50, 256, 256


def log_ratio_tolerance(per_layer_var, layers, n):
    """4 standard deviations (plus the drift) of log(q_L / q_1) for a single input.

    Per layer, q_{l+1} / q_l is an average of n i.i.d. terms with mean 1 and variance
    n * per_layer_var (ReLU with He: (2/n) * sum ReLU(g_i)^2 over g_i ~ N(0, 1), whose
    terms have mean 1/2 and variance E[ReLU(g)^4] - 1/4 = 3/2 - 1/4 = 5/4, so
    per_layer_var = 4 * (5/4) / n = 5/n; linear: chi^2_n / n, per_layer_var = 2/n).
    Its log has mean about -per_layer_var/2 and variance per_layer_var; averaging over a
    batch of inputs can only shrink the spread.
    """
    v = per_layer_var * layers
    return 4 * math.sqrt(v) + v / 2


@pytest.mark.parametrize("init_name", ["he_normal", "he_uniform"])
def test_he_keeps_relu_variances_within_the_theoretical_spread(init_name):
    p = init.forward_backward_variances(DEPTH, WIDTH, "relu", init_name,
                                        np.random.default_rng(0), batch=BATCH)
    # Layer 1: Var(z^1) = n Var(w) E[x^2] = 2. Relative s.d. of the mean of z^2 over the
    # batch*width entries of z = xW: sqrt((2/B + 2/n)/n + 1/(B n)); 5 of them allowed.
    rel = 5 * math.sqrt((2 / BATCH + 2 / WIDTH) / WIDTH + 1 / (BATCH * WIDTH))
    assert p.z_var[0] == pytest.approx(2.0, rel=rel)
    # Eq. (3.40): Var(z^l) = Var(z^{l-1}) in expectation; spread from the 5/n per layer.
    tol = log_ratio_tolerance(5 / WIDTH, DEPTH - 1, WIDTH)  # about 4.4, a factor e^4.4
    assert np.all(np.abs(np.log(p.z_var / p.z_var[0])) < tol)
    # Eq. (3.43): Var(dL/da^l) constant from the seed (variance 1) down to layer 1.
    # Backward per-layer relative variance: 2/n (weights) + 5/n (the ReLU mask) = 7/n.
    tol_back = log_ratio_tolerance(7 / WIDTH, DEPTH - 1, WIDTH)
    assert np.all(np.abs(np.log(p.grad_var)) < tol_back)
    # E[f'(z)^2] = 1/2: delta at the top layer is the seed halved. Deep in a ReLU net the
    # inputs of the batch align, so in the worst case all share one mask: the active
    # fraction is Binomial(n, 1/2)/n, relative s.d. 1/sqrt(n); 4 of them allowed.
    assert p.delta_var[-1] == pytest.approx(0.5, rel=4 / math.sqrt(WIDTH))


def test_standard_normal_explodes_by_n_over_2_per_layer_with_relu():
    he = init.forward_backward_variances(DEPTH, WIDTH, "relu", "he_normal",
                                         np.random.default_rng(0), batch=BATCH)
    std = init.forward_backward_variances(DEPTH, WIDTH, "relu", "normal",
                                          np.random.default_rng(0), batch=BATCH)
    # Eq. (3.40) with Var(w) = 1: the factor n/2 = 128 per layer, about 10^105 after 50.
    tol = log_ratio_tolerance(5 / WIDTH, DEPTH - 1, WIDTH)
    growth = np.log(std.z_var[-1] / std.z_var[0])
    assert abs(growth - (DEPTH - 1) * math.log(WIDTH / 2)) < tol
    assert std.z_var[-1] > 1e90
    # ReLU is positively homogeneous and the same seed draws the same standard normals,
    # so the standard-normal network is the He network scaled by sqrt(n/2) per layer:
    # exactly (n/2)^l more variance forward, and (n/2)^(L-l) more gradient backward.
    layers = he.layers
    np.testing.assert_allclose(std.z_var, he.z_var * (WIDTH / 2.0) ** layers, rtol=1e-9)
    np.testing.assert_allclose(std.grad_var, he.grad_var * (WIDTH / 2.0) ** (DEPTH - layers),
                               rtol=1e-9)


@pytest.mark.parametrize("init_name", ["xavier_normal", "xavier_uniform", "lecun_normal"])
def test_xavier_preserves_variance_in_a_linear_network(init_name):
    # Eq. (3.35)/(3.36) with n_in = n_out = n: n Var(w) = 1 both ways, chi^2_n/n per layer.
    p = init.forward_backward_variances(DEPTH, WIDTH, "linear", init_name,
                                        np.random.default_rng(0), batch=BATCH)
    tol = log_ratio_tolerance(2 / WIDTH, DEPTH - 1, WIDTH)
    assert np.all(np.abs(np.log(p.z_var / p.z_var[0])) < tol)
    assert np.all(np.abs(np.log(p.delta_var)) < tol)


def test_xavier_halves_the_relu_variance_per_layer():
    # Eq. (3.40) with Var(w) = 1/n instead of 2/n: factor 1/2 per layer.
    p = init.forward_backward_variances(DEPTH, WIDTH, "relu", "xavier_normal",
                                        np.random.default_rng(0), batch=BATCH)
    tol = log_ratio_tolerance(5 / WIDTH, DEPTH - 1, WIDTH)
    assert abs(np.log(p.z_var[-1] / p.z_var[0]) - (DEPTH - 1) * math.log(0.5)) < tol


def test_standard_normal_saturates_tanh():
    p = init.forward_backward_variances(DEPTH, WIDTH, "tanh", "normal",
                                        np.random.default_rng(0), batch=BATCH)
    # z ~ N(0, q) with q = n E[a^2] in the hundreds: E[tanh'(z)] = E[sech^2 z]
    # ~ 2 phi_q(0) = 2 / sqrt(2 pi q) (sech^2 integrates to 2), so
    # Var(a) ~ E[tanh^2 z] = 1 - 2/sqrt(2 pi q), with an error of order q^(-3/2).
    q = p.z_var[1:]
    predicted = 1 - 2 / np.sqrt(2 * np.pi * q)
    np.testing.assert_allclose(p.a_var[1:], predicted, atol=0.01)
    assert np.all(p.a_var > 0.9)


def test_zero_initialisation_gives_zero_variances():
    p = init.forward_backward_variances(10, 16, "tanh", "zeros", np.random.default_rng(0),
                                        batch=8)
    assert not p.z_var.any()
    assert not p.a_var.any()
    assert not p.delta_var[:-1].any()  # only the top delta = seed * tanh'(0) is non-zero


def test_profile_is_deterministic_and_shaped():
    a = init.forward_backward_variances(5, 8, "relu", "he_uniform", np.random.default_rng(2),
                                        batch=4)
    b = init.forward_backward_variances(5, 8, "relu", "he_uniform", np.random.default_rng(2),
                                        batch=4)
    for field in ("z_var", "a_var", "delta_var", "grad_var"):
        assert getattr(a, field).shape == (5,)
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    np.testing.assert_array_equal(a.layers, np.arange(1, 6))


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"depth": 0}, ValueError, "depth must be >= 1"),
        ({"depth": 2.0}, TypeError, "depth must be an integer"),
        ({"width": 0}, ValueError, "width must be >= 1"),
        ({"activation": "swish"}, ValueError, "activation must be one of"),
        ({"activation": None}, TypeError, "activation must be a string"),
        ({"init": "glorot"}, ValueError, "init must be one of"),
        ({"rng": None}, TypeError, "rng must be a numpy.random.Generator"),
        ({"rng": np.random.RandomState(0)}, TypeError, "got RandomState"),
        ({"batch": 1}, ValueError, "batch must be >= 2"),
    ],
)
def test_forward_backward_variances_rejects_bad_input(kwargs, exc, match):
    args = {"depth": 3, "width": 4, "activation": "relu", "init": "he_normal",
            "rng": np.random.default_rng(0), "batch": 8}
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        init.forward_backward_variances(**args)


@pytest.mark.parametrize(("scheme", "activation"),
                         [("he_normal", "relu"), ("xavier_uniform", "tanh")])
def test_depth_sweep_equals_the_experiment_run_at_each_depth(scheme, activation):
    sweep = init.DepthSweep(12, 16, scheme, seed=3, batch=8)
    for depth in (1, 5, 12):
        expected = init.forward_backward_variances(depth, 16, activation, scheme,
                                                       np.random.default_rng(3), batch=8)
        got = sweep.profile(depth, activation)
        for field in ("z_var", "a_var", "delta_var", "grad_var"):
            np.testing.assert_array_equal(getattr(got, field), getattr(expected, field))
    # another activation on the same sweep (its forward pass replaces the kept one), and back
    for other, depth in (("sigmoid", 7), (activation, 3)):
        expected = init.forward_backward_variances(depth, 16, other, scheme,
                                                   np.random.default_rng(3), batch=8)
        np.testing.assert_array_equal(sweep.profile(depth, other).delta_var,
                                      expected.delta_var)
        np.testing.assert_array_equal(sweep.profile(depth, other).a_var, expected.a_var)
    with pytest.raises(ValueError, match="depth must be <= max_depth"):
        sweep.profile(13, activation)
    with pytest.raises(ValueError, match="init"):
        init.DepthSweep(4, 8, "nope", seed=0)
