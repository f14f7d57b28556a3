"""notes_lib.nn.activations against independent references: central finite
differences for every derivative, scipy.special.expit and NumPy's tanh for the
smooth functions, mpmath in high precision for the derivatives in the tails, and
the element-wise textbook formulas (written here with ``math``) for ReLU, leaky
ReLU, PReLU and ELU."""

import math
import warnings

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays
from scipy.special import expit

from notes_lib.nn import activations as act

H = 1e-6  # step of the central differences


def central_difference(f, z, h=H):
    return (f(z + h) - f(z - h)) / (2 * h)


def finite_arrays(lo, hi, *, away_from_zero=False):
    """Hypothesis arrays of shape up to (4, 5); optionally no element within 1e-3 of the kink."""
    elements = st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    if away_from_zero:
        elements = elements.filter(lambda v: abs(v) > 1e-3)
    return arrays(np.float64, array_shapes(min_dims=0, max_dims=2, max_side=5), elements=elements)


SMOOTH = [(act.sigmoid, act.sigmoid_prime), (act.tanh, act.tanh_prime)]
KINKED = [(act.relu, act.relu_prime)]
ALPHA_FUNCS = [(act.leaky_relu, act.leaky_relu_prime), (act.elu, act.elu_prime)]


# --- derivatives against central differences ------------------------------------------------


@pytest.mark.parametrize(("f", "f_prime"), SMOOTH, ids=["sigmoid", "tanh"])
@given(z=finite_arrays(-20, 20))
def test_smooth_derivatives_match_central_differences(f, f_prime, z):
    np.testing.assert_allclose(f_prime(z), central_difference(f, z), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize(("f", "f_prime"), KINKED, ids=["relu"])
@given(z=finite_arrays(-20, 20, away_from_zero=True))
def test_relu_derivative_matches_central_differences_away_from_the_kink(f, f_prime, z):
    np.testing.assert_allclose(f_prime(z), central_difference(f, z), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize(("f", "f_prime"), ALPHA_FUNCS, ids=["leaky_relu", "elu"])
@given(z=finite_arrays(-20, 20, away_from_zero=True), alpha=st.floats(0, 3))
def test_alpha_derivatives_match_central_differences(f, f_prime, z, alpha):
    numeric = central_difference(lambda v: f(v, alpha), z)
    np.testing.assert_allclose(f_prime(z, alpha), numeric, rtol=1e-6, atol=1e-8)


@given(z=finite_arrays(-10, 10, away_from_zero=True), data=st.data())
def test_prelu_grads_match_central_differences_in_z_and_a(z, data):
    a = data.draw(arrays(np.float64, z.shape, elements=st.floats(-2, 2)))
    dz, da = act.prelu_grads(z, a)
    np.testing.assert_allclose(dz, central_difference(lambda v: act.prelu(v, a), z),
                               rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(da, central_difference(lambda v: act.prelu(z, v), a),
                               rtol=1e-6, atol=1e-8)


def test_prelu_with_one_slope_per_channel_broadcasts_and_its_grads_have_the_output_shape():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(6, 3))
    a = np.array([0.1, 0.25, -0.5])  # one learned slope per channel (column)
    out = act.prelu(z, a)
    expected = np.array([[v if v > 0 else a[j] * v for j, v in enumerate(row)] for row in z])
    np.testing.assert_allclose(out, expected)
    dz, da = act.prelu_grads(z, a)
    assert dz.shape == da.shape == out.shape
    # d(sum of outputs)/da_j by central differences equals the column sums of da
    numeric = np.array([
        (act.prelu(z, a + H * e).sum() - act.prelu(z, a - H * e).sum()) / (2 * H)
        for e in np.eye(3)
    ])
    np.testing.assert_allclose(da.sum(axis=0), numeric, rtol=1e-6, atol=1e-8)
    # a scalar z against a vector of slopes: both gradients broadcast to the output shape
    dz, da = act.prelu_grads(-2.0, [0.1, 0.2])
    np.testing.assert_allclose(dz, [0.1, 0.2])
    np.testing.assert_allclose(da, [-2.0, -2.0])


# --- values against independent references --------------------------------------------------


@given(z=finite_arrays(-1e3, 1e3))
def test_sigmoid_matches_scipy_expit_without_any_floating_point_warning(z):
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        s = act.sigmoid(z)
        s_prime = act.sigmoid_prime(z)
    # atol: below about 1e-308 expit flushes to 0 where the stable form keeps a subnormal value
    np.testing.assert_allclose(s, expit(z), rtol=1e-14, atol=1e-300)
    assert np.all((s >= 0) & (s <= 1))
    assert np.all((s_prime >= 0) & (s_prime <= 0.25))


def test_sigmoid_at_the_extremes():
    z = np.array([-1e3, -745.0, -40.0, 0.0, 40.0, 745.0, 1e3])
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        s = act.sigmoid(z)
    np.testing.assert_allclose(s, expit(z), rtol=1e-15, atol=1e-300)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5


TAIL_POINTS = [-700.0, -100.0, -37.0, -5.0, -0.3, 0.0, 0.3, 5.0, 37.0, 100.0, 700.0]


@pytest.mark.parametrize("z", TAIL_POINTS)
def test_sigmoid_and_tanh_derivatives_keep_relative_accuracy_in_the_tails(z):
    # mpmath in 50 digits: sigma'(z) = e^{-z} / (1 + e^{-z})^2 and tanh'(z) = sech(z)^2
    with mpmath.workdps(50):
        zz = mpmath.mpf(z)
        sigma_prime = float(mpmath.exp(-zz) / (1 + mpmath.exp(-zz)) ** 2)
        tanh_prime = float(mpmath.sech(zz) ** 2)
    assert act.sigmoid_prime(z) == pytest.approx(sigma_prime, rel=1e-13, abs=0)
    if tanh_prime > 1e-300:  # tanh'(700) = 4e^{-1400} underflows in double precision
        assert act.tanh_prime(z) == pytest.approx(tanh_prime, rel=1e-13, abs=0)
    else:
        assert act.tanh_prime(z) == 0.0


@given(z=finite_arrays(-1e3, 1e3))
def test_tanh_matches_numpy_and_identities(z):
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        t = act.tanh(z)
        t_prime = act.tanh_prime(z)
        twice_sigmoid = 2 * act.sigmoid(2 * z) - 1
    np.testing.assert_allclose(t, np.tanh(z), rtol=1e-15, atol=0)
    np.testing.assert_allclose(t, twice_sigmoid, rtol=0, atol=1e-15)  # tanh z = 2σ(2z) − 1
    np.testing.assert_allclose(t_prime, 1 - np.tanh(z) ** 2, rtol=0, atol=1e-15)
    assert np.all((t_prime >= 0) & (t_prime <= 1))


@given(z=finite_arrays(-50, 50))
def test_sigmoid_symmetry_and_derivative_identity(z):
    np.testing.assert_allclose(act.sigmoid(-z), 1 - act.sigmoid(z), rtol=0, atol=1e-15)
    s = act.sigmoid(z)
    # s(1 - s) cancels for large z (absolute error up to one ulp of 1), hence the atol
    np.testing.assert_allclose(act.sigmoid_prime(z), s * (1 - s), rtol=1e-12, atol=2.5e-16)
    np.testing.assert_array_equal(act.sigmoid_prime(z), act.sigmoid_prime(-z))


@given(z=finite_arrays(-50, 50), alpha=st.floats(0, 3))
def test_piecewise_functions_match_their_formulas(z, alpha):
    flat = z.ravel().tolist()
    np.testing.assert_array_equal(act.relu(z).ravel(), [max(0.0, v) for v in flat])
    np.testing.assert_array_equal(act.relu_prime(z).ravel(), [1.0 if v > 0 else 0.0 for v in flat])
    np.testing.assert_allclose(act.leaky_relu(z, alpha).ravel(),
                               [v if v > 0 else alpha * v for v in flat], rtol=1e-15)
    np.testing.assert_allclose(act.leaky_relu_prime(z, alpha).ravel(),
                               [1.0 if v > 0 else alpha for v in flat], rtol=1e-15)
    np.testing.assert_allclose(act.elu(z, alpha).ravel(),
                               [v if v > 0 else alpha * math.expm1(v) for v in flat],
                               rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(act.elu_prime(z, alpha).ravel(),
                               [1.0 if v > 0 else alpha * math.exp(v) for v in flat],
                               rtol=1e-14, atol=1e-300)
    assert act.relu(z).shape == act.elu(z, alpha).shape == z.shape


def test_leaky_relu_with_zero_slope_is_relu_and_elu_is_continuous_at_zero():
    z = np.linspace(-3, 3, 61)
    np.testing.assert_array_equal(act.leaky_relu(z, 0.0), act.relu(z))
    np.testing.assert_array_equal(act.prelu(z, 0.0), act.relu(z))
    np.testing.assert_array_equal(act.prelu(z, 0.01), act.leaky_relu(z))
    for alpha in (0.5, 1.0, 2.0):
        left, right = act.elu(-1e-12, alpha), act.elu(1e-12, alpha)
        assert abs(right - left) < 1e-11


@settings(max_examples=25)
@given(z=finite_arrays(-5, 5, away_from_zero=True))
def test_every_registered_activation_is_consistent_with_its_derivative(z):
    for name in act.ACTIVATIONS:
        a = act.get_activation(name)
        assert a.name == name
        np.testing.assert_allclose(a.f_prime(z), central_difference(a.f, z), rtol=1e-6, atol=1e-8)


def test_registry_names_and_linear_activation():
    assert set(act.ACTIVATIONS) == {"sigmoid", "tanh", "relu", "leaky_relu", "elu", "linear"}
    z = np.array([-2.0, 0.0, 3.0])
    linear = act.get_activation("linear")
    np.testing.assert_array_equal(linear.f(z), z)
    np.testing.assert_array_equal(linear.f_prime(z), np.ones(3))
    assert linear.f(z) is not z  # a copy, so callers may modify it


# --- bad input ------------------------------------------------------------------------------


def test_get_activation_errors():
    with pytest.raises(ValueError, match=r"activation must be one of .*'relu'.*got 'softplus'"):
        act.get_activation("softplus")
    with pytest.raises(TypeError, match="activation must be a string, got int"):
        act.get_activation(3)


FUNCS_OF_Z = [act.sigmoid, act.sigmoid_prime, act.tanh, act.tanh_prime, act.relu, act.relu_prime,
              act.leaky_relu, act.leaky_relu_prime, act.elu, act.elu_prime]


@pytest.mark.parametrize("f", FUNCS_OF_Z, ids=lambda f: f.__name__)
def test_bad_z_is_rejected_with_a_clear_message(f):
    with pytest.raises(ValueError, match="z must contain only finite values"):
        f(np.array([0.0, np.nan]))
    with pytest.raises(ValueError, match="z must contain only finite values"):
        f([1.0, np.inf])
    with pytest.raises(TypeError, match="z must be array-like of real numbers"):
        f("1.0")
    with pytest.raises(TypeError, match="z must be array-like of real numbers"):
        f(None)
    with pytest.raises(TypeError, match="z must be array-like of real numbers"):
        f([1.0, "x"])


@pytest.mark.parametrize("f", [act.leaky_relu, act.leaky_relu_prime, act.elu, act.elu_prime],
                         ids=lambda f: f.__name__)
def test_bad_alpha_is_rejected_with_a_clear_message(f):
    with pytest.raises(ValueError, match=r"alpha must be >= 0, got -0\.1"):
        f([1.0], alpha=-0.1)
    with pytest.raises(ValueError, match="alpha must be finite"):
        f([1.0], alpha=float("nan"))
    with pytest.raises(TypeError, match="alpha must be a real number"):
        f([1.0], alpha="0.1")
    with pytest.raises(TypeError, match="alpha must be a real number"):
        f([1.0], alpha=True)


@pytest.mark.parametrize("f", [act.prelu, act.prelu_grads], ids=lambda f: f.__name__)
def test_bad_prelu_arguments_are_rejected_with_a_clear_message(f):
    with pytest.raises(ValueError, match="z must contain only finite values"):
        f([np.nan], 0.1)
    with pytest.raises(ValueError, match="a must contain only finite values"):
        f([1.0], [np.nan])
    with pytest.raises(TypeError, match="a must be array-like of real numbers"):
        f([1.0], "0.1")
    with pytest.raises(TypeError, match="z must be array-like of real numbers"):
        f("1.0", 0.1)
