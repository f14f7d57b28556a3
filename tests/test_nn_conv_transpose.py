"""notes_lib.nn.conv against independent references: scipy.signal's correlate2d and
convolve2d, brute-force loops and Jacobians, the notes' worked examples (checked by
hand), finite differences, and the adjoint identity (hypothesis)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.signal import convolve2d, correlate2d

from notes_lib.nn import conv

TRANSPOSES = {
    "matrix": conv.conv_transpose_matrix,
    "zero_insertion": conv.conv_transpose_zero_insertion,
    "scatter": conv.conv_transpose_scatter,
    "vectorised": lambda y, w, *a, **k: conv.conv_transpose2d(
        np.asarray(y)[None, None], np.asarray(w)[None, None], *a, **k)[0, 0],
}


def scipy_conv2d(x, w, b, stride, padding):
    """Reference: per (sample, out channel), sum over in channels of scipy's 'valid'
    cross-correlation of the padded input, subsampled by the stride."""
    (sh, sw), (ph, pw) = stride, padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.array([[sum(correlate2d(xp[n, c], w[o, c], mode="valid") for c in range(x.shape[1]))
                     for o in range(w.shape[0])] for n in range(x.shape[0])])
    return out[:, :, ::sh, ::sw] + b[None, :, None, None]


@pytest.mark.parametrize("seed", range(12))
def test_conv2d_forward_matches_scipy_correlate2d(seed):
    rng = np.random.default_rng(seed)
    n, c_in, c_out = rng.integers(1, 4, size=3)
    kh, kw = rng.integers(1, 5, size=2)
    stride = tuple(int(v) for v in rng.integers(1, 4, size=2))
    padding = tuple(int(v) for v in rng.integers(0, 3, size=2))
    h, w_ = kh + rng.integers(0, 7), kw + rng.integers(0, 7)
    x = rng.normal(size=(n, c_in, h, w_))
    w = rng.normal(size=(c_out, c_in, kh, kw))
    b = rng.normal(size=c_out)
    got = conv.conv2d_forward(x, w, b, stride=stride, padding=padding)
    np.testing.assert_allclose(got, scipy_conv2d(x, w, b, stride, padding), atol=1e-12)
    assert got.shape[2:] == conv.output_shape((h, w_), (kh, kw), stride, padding)


def test_conv2d_forward_int_stride_and_padding_and_no_bias():
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(2, 3, 7, 6)), rng.normal(size=(2, 3, 3, 2))
    np.testing.assert_allclose(conv.conv2d_forward(x, w, stride=2, padding=1),
                               scipy_conv2d(x, w, np.zeros(2), (2, 2), (1, 1)), atol=1e-12)


def test_notes_worked_example_eq_3_25_to_3_27():
    image = np.array([[4, 5, 8, 7], [1, 8, 8, 8], [3, 6, 6, 4], [6, 5, 7, 8]])
    kernel = np.array([[1, 4, 1], [1, 4, 3], [3, 3, 1]])
    # brute force: O_ij = sum_pq I_{i+p, j+q} K_pq (Eq. (3.9))
    brute = np.array([[sum(image[i + p, j + q] * kernel[p, q] for p in range(3) for q in range(3))
                       for j in range(2)] for i in range(2)])
    assert brute.ravel().tolist() == [122, 148, 126, 134]  # the result printed in Eq. (3.27)
    m = conv.conv_matrix(kernel, (4, 4))
    assert m.shape == (4, 16)
    np.testing.assert_array_equal(m @ image.ravel(), brute.ravel())
    # first row: the kernel rows laid out with a stride of 4 (the image width)
    assert m[0].tolist() == [1, 4, 1, 0, 1, 4, 3, 0, 3, 3, 1, 0, 0, 0, 0, 0]


@pytest.mark.parametrize("seed", range(8))
def test_conv_matrix_matches_conv2d_forward(seed):
    rng = np.random.default_rng(seed)
    kh, kw = rng.integers(1, 4, size=2)
    stride = tuple(int(v) for v in rng.integers(1, 3, size=2))
    padding = tuple(int(v) for v in rng.integers(0, 3, size=2))
    h, w_ = kh + rng.integers(0, 5), kw + rng.integers(0, 5)
    image, kernel = rng.normal(size=(h, w_)), rng.normal(size=(kh, kw))
    m = conv.conv_matrix(kernel, (h, w_), stride, padding)
    out = conv.conv2d_forward(image[None, None], kernel[None, None], stride=stride,
                              padding=padding)[0, 0]
    np.testing.assert_allclose(m @ image.ravel(), out.ravel(), atol=1e-12)


def test_conv_matrix_equals_jacobian_by_basis_vectors():
    rng = np.random.default_rng(3)
    kernel = rng.normal(size=(2, 3))
    shape = (5, 6)
    columns = []
    for k in range(30):  # column k of the matrix is the image of the k-th basis vector
        e = np.zeros(30)
        e[k] = 1.0
        columns.append(correlate2d(np.pad(e.reshape(shape), 1), kernel, "valid")[::2, ::1].ravel())
    np.testing.assert_allclose(conv.conv_matrix(kernel, shape, (2, 1), 1), np.array(columns).T)


@pytest.mark.parametrize("name", sorted(TRANSPOSES))
def test_notes_1d_example_eqs_3_29_to_3_31(name):
    # [5 8 11] transposed-convolved with [1 2]: 5*1, 5*2+8*1, 8*2+11*1, 11*2 (by hand)
    got = TRANSPOSES[name]([[5, 8, 11]], [[1, 2]])
    np.testing.assert_array_equal(got, [[5, 18, 27, 22]])


def test_notes_matrix_of_eq_3_29():
    m_t = conv.conv_matrix([[1, 2]], (1, 4)).T
    np.testing.assert_array_equal(m_t, [[1, 0, 0], [2, 1, 0], [0, 2, 1], [0, 0, 2]])


@pytest.mark.parametrize("seed", range(25))
def test_all_transposed_implementations_agree(seed):
    rng = np.random.default_rng(seed)
    stride = tuple(int(v) for v in rng.integers(1, 4, size=2))
    kernel = tuple(int(v) for v in rng.integers(1, 5, size=2))
    output_padding = tuple(int(rng.integers(0, s)) for s in stride)
    hy, wy = (int(v) for v in rng.integers(2, 6, size=2))
    # any padding that leaves a non-empty output, including padding > kernel - 1
    padding = tuple(int(rng.integers(0, ((n - 1) * s + k + op - 1) // 2 + 1))
                    for n, s, k, op in zip((hy, wy), stride, kernel, output_padding, strict=True))
    kh, kw = kernel
    y, w = rng.normal(size=(hy, wy)), rng.normal(size=(kh, kw))
    results = {name: f(y, w, stride, padding, output_padding) for name, f in TRANSPOSES.items()}
    for name, value in results.items():
        np.testing.assert_allclose(value, results["matrix"], atol=1e-12, err_msg=name)


@pytest.mark.parametrize("stride", [1, 2, 3])
def test_transposed_matches_scipy_full_convolution(stride):
    # zero insertion + scipy's *true* convolution in 'full' mode (kernel flipped by scipy)
    rng = np.random.default_rng(stride)
    y, w = rng.normal(size=(4, 5)), rng.normal(size=(3, 2))
    z = np.zeros(((4 - 1) * stride + 1, (5 - 1) * stride + 1))
    z[::stride, ::stride] = y
    expected = convolve2d(z, w, mode="full")
    got = conv.conv_transpose2d(y[None, None], w[None, None], stride=stride)[0, 0]
    np.testing.assert_allclose(got, expected, atol=1e-12)
    # padding crops the same array
    got_p = conv.conv_transpose2d(y[None, None], w[None, None], stride=stride, padding=1)[0, 0]
    np.testing.assert_allclose(got_p, expected[1:-1, 1:-1], atol=1e-12)


def test_conv_transpose2d_multichannel_sums_channels():
    rng = np.random.default_rng(5)
    y, w = rng.normal(size=(2, 3, 4, 4)), rng.normal(size=(3, 2, 3, 3))
    got = conv.conv_transpose2d(y, w, stride=2, padding=1, output_padding=1)
    expected = np.array([[sum(conv.conv_transpose_scatter(y[n, o], w[o, c], 2, 1, 1)
                              for o in range(3)) for c in range(2)] for n in range(2)])
    np.testing.assert_allclose(got, expected, atol=1e-12)
    assert got.shape == (2, 2, 8, 8)


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    n=st.integers(1, 2), c_in=st.integers(1, 3), c_out=st.integers(1, 3),
    kh=st.integers(1, 4), kw=st.integers(1, 4),
    sh=st.integers(1, 3), sw=st.integers(1, 3),
    hy=st.integers(1, 5), wy=st.integers(1, 5),
)
def test_adjoint_identity(data, n, c_in, c_out, kh, kw, sh, sw, hy, wy):
    ph, pw = data.draw(st.integers(0, kh - 1)), data.draw(st.integers(0, kw - 1))
    oph, opw = data.draw(st.integers(0, sh - 1)), data.draw(st.integers(0, sw - 1))
    h, w_ = (hy - 1) * sh - 2 * ph + kh + oph, (wy - 1) * sw - 2 * pw + kw + opw
    if h < 1 or w_ < 1:
        return
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    x, y = rng.normal(size=(n, c_in, h, w_)), rng.normal(size=(n, c_out, hy, wy))
    w = rng.normal(size=(c_out, c_in, kh, kw))
    forward = conv.conv2d_forward(x, w, stride=(sh, sw), padding=(ph, pw))
    assert forward.shape == y.shape
    back = conv.conv_transpose2d(y, w, stride=(sh, sw), padding=(ph, pw),
                                 output_padding=(oph, opw))
    assert back.shape == x.shape
    np.testing.assert_allclose(np.vdot(forward, y), np.vdot(x, back), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize(("stride", "padding"), [(1, 0), (2, 1), ((2, 3), (0, 2)), (3, 0)])
def test_conv2d_backward_matches_finite_differences(stride, padding):
    rng = np.random.default_rng(7)
    x, w, b = rng.normal(size=(2, 2, 7, 8)), rng.normal(size=(3, 2, 3, 2)), rng.normal(size=3)
    out = conv.conv2d_forward(x, w, b, stride, padding)
    delta = rng.normal(size=out.shape)

    def loss(x_, w_, b_):
        return float(np.sum(conv.conv2d_forward(x_, w_, b_, stride, padding) * delta))

    dx, dw, db = conv.conv2d_backward(x, w, delta, stride, padding)
    eps = 1e-6
    for arr, grad, which in ((x, dx, 0), (w, dw, 1), (b, db, 2)):
        numeric = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            args_p, args_m = [x.copy(), w.copy(), b.copy()], [x.copy(), w.copy(), b.copy()]
            args_p[which][idx] += eps
            args_m[which][idx] -= eps
            numeric[idx] = (loss(*args_p) - loss(*args_m)) / (2 * eps)
        np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-7)


def test_dilate_inserts_zeros():
    np.testing.assert_array_equal(conv.dilate([[5, 8, 11]], (1, 2)), [[5, 0, 8, 0, 11]])
    np.testing.assert_array_equal(conv.dilate(np.ones((2, 2)), 3),
                                  [[1, 0, 0, 1], [0, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 1]])


# ---------------------------------------------------------------- bad inputs

X4, W4 = np.zeros((1, 2, 5, 5)), np.zeros((3, 2, 3, 3))


@pytest.mark.parametrize(("kwargs", "exc", "match"), [
    ({"x": np.zeros((2, 5, 5))}, ValueError, "x"),
    ({"w": np.zeros((2, 3, 3))}, ValueError, "w"),
    ({"w": np.zeros((3, 4, 3, 3))}, ValueError, "w"),          # channel mismatch
    ({"w": np.zeros((3, 2, 6, 3))}, ValueError, "w"),          # kernel > padded input
    ({"b": np.zeros(2)}, ValueError, "b"),
    ({"stride": 0}, ValueError, "stride"),
    ({"stride": 1.5}, TypeError, "stride"),
    ({"stride": (1, 2, 3)}, ValueError, "stride"),
    ({"padding": -1}, ValueError, "padding"),
    ({"x": "abc"}, TypeError, "x"),
    ({"x": np.full((1, 2, 5, 5), np.nan)}, ValueError, "x"),
])
def test_conv2d_forward_bad_input(kwargs, exc, match):
    args = {"x": X4, "w": W4, "b": None, "stride": 1, "padding": 0} | kwargs
    with pytest.raises(exc, match=f"^{match}"):
        conv.conv2d_forward(**args)


@pytest.mark.parametrize(("kwargs", "exc", "match"), [
    ({"y": np.zeros((3, 2, 2))}, ValueError, "y"),
    ({"w": np.zeros((3, 2, 3))}, ValueError, "w"),
    ({"w": np.zeros((4, 2, 3, 3))}, ValueError, "w"),          # channel mismatch
    ({"stride": 0}, ValueError, "stride"),
    ({"padding": 3}, ValueError, "padding"),                   # empty output
    ({"output_padding": 1}, ValueError, "output_padding"),     # must be < stride
    ({"output_padding": -1, "stride": 2}, ValueError, "output_padding"),
])
def test_conv_transpose2d_bad_input(kwargs, exc, match):
    args = {"y": np.zeros((1, 3, 2, 2)), "w": W4, "stride": 1, "padding": 0,
            "output_padding": 0} | kwargs
    with pytest.raises(exc, match=f"^{match}"):
        conv.conv_transpose2d(**args)


@pytest.mark.parametrize(("kwargs", "exc", "match"), [
    ({"delta": np.zeros((1, 3, 2, 2))}, ValueError, "delta"),
    ({"delta": np.zeros((3, 3, 3))}, ValueError, "delta"),
    ({"x": np.zeros((1, 2, 5))}, ValueError, "x"),
    ({"w": np.zeros((3, 1, 3, 3))}, ValueError, "w"),
    ({"stride": -2}, ValueError, "stride"),
])
def test_conv2d_backward_bad_input(kwargs, exc, match):
    args = {"x": X4, "w": W4, "delta": np.zeros((1, 3, 3, 3)), "stride": 1, "padding": 0} | kwargs
    with pytest.raises(exc, match=f"^{match}"):
        conv.conv2d_backward(**args)


@pytest.mark.parametrize(("kwargs", "exc", "match"), [
    ({"w": np.zeros(3)}, ValueError, "w"),
    ({"w": np.zeros((0, 2))}, ValueError, "w"),
    ({"input_shape": (2, 2)}, ValueError, "w"),                # kernel larger than input
    ({"input_shape": (4, 0)}, ValueError, "input_shape"),
    ({"input_shape": 4}, TypeError, "input_shape"),
    ({"input_shape": (4.0, 4)}, TypeError, "input_shape"),
    ({"stride": 0}, ValueError, "stride"),
    ({"padding": -1}, ValueError, "padding"),
])
def test_conv_matrix_bad_input(kwargs, exc, match):
    args = {"w": np.ones((3, 3)), "input_shape": (4, 4), "stride": 1, "padding": 0} | kwargs
    with pytest.raises(exc, match=f"^{match}"):
        conv.conv_matrix(**args)


@pytest.mark.parametrize("name", ["matrix", "zero_insertion", "scatter"])
@pytest.mark.parametrize(("kwargs", "exc", "match"), [
    ({"y": np.zeros((1, 2, 2))}, ValueError, "y"),
    ({"y": np.zeros((0, 2))}, ValueError, "y"),
    ({"w": np.zeros((1, 2, 2))}, ValueError, "w"),
    ({"stride": 0}, ValueError, "stride"),
    ({"stride": True}, TypeError, "stride"),
    ({"padding": 5}, ValueError, "padding"),
    ({"output_padding": 2, "stride": 2}, ValueError, "output_padding"),
])
def test_reference_transposes_bad_input(name, kwargs, exc, match):
    args = {"y": np.zeros((2, 2)), "w": np.ones((2, 2)), "stride": 1, "padding": 0,
            "output_padding": 0} | kwargs
    with pytest.raises(exc, match=f"^{match}"):
        TRANSPOSES[name](**args)


def test_dilate_and_output_shape_bad_input():
    with pytest.raises(ValueError, match=r"^a must"):
        conv.dilate(np.zeros(3), 2)
    with pytest.raises(ValueError, match=r"^rate"):
        conv.dilate(np.zeros((2, 2)), 0)
    with pytest.raises(TypeError, match=r"^rate"):
        conv.dilate(np.zeros((2, 2)), 1.0)
    with pytest.raises(TypeError, match=r"^input_shape"):
        conv.output_shape([3, 3, 3], (2, 2))
    with pytest.raises(ValueError, match=r"^kernel_shape"):
        conv.output_shape((3, 3), (0, 2))
    with pytest.raises(ValueError, match=r"^kernel_shape"):
        conv.output_shape((3, 3), (5, 2))
