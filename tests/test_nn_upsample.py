"""notes_lib.nn.upsample against the arrays printed in the notes (Eq. (3.33) and the
6 x 6 kernel), scipy.interpolate.RegularGridInterpolator, and hand-made cases."""

import numpy as np
import pytest
from scipy.interpolate import RegularGridInterpolator

from notes_lib.nn import upsample

# typed from the notes, section 3.5.2
NOTES_FILT_4 = np.array([[0.0625, 0.1875, 0.1875, 0.0625],
                         [0.1875, 0.5625, 0.5625, 0.1875],
                         [0.1875, 0.5625, 0.5625, 0.1875],
                         [0.0625, 0.1875, 0.1875, 0.0625]])
NOTES_FILT_6 = np.array([
    [0.02777778, 0.08333333, 0.13888889, 0.13888889, 0.08333333, 0.02777778],
    [0.08333333, 0.25, 0.41666667, 0.41666667, 0.25, 0.08333333],
    [0.13888889, 0.41666667, 0.69444444, 0.69444444, 0.41666667, 0.13888889],
    [0.13888889, 0.41666667, 0.69444444, 0.69444444, 0.41666667, 0.13888889],
    [0.08333333, 0.25, 0.41666667, 0.41666667, 0.25, 0.08333333],
    [0.02777778, 0.08333333, 0.13888889, 0.13888889, 0.08333333, 0.02777778],
])


def test_upsample_filt_matches_notes():
    np.testing.assert_array_equal(upsample.upsample_filt(4), NOTES_FILT_4)
    np.testing.assert_allclose(upsample.upsample_filt(6), NOTES_FILT_6, atol=5e-9)


@pytest.mark.parametrize("factor", [1, 2, 3, 4, 5])
def test_upsample_filt_samples_the_hat_function(factor):
    # size 2f - f%2: the tent (1 - |t|/f)_+ sampled at the kernel taps, outer product
    size = 2 * factor - factor % 2
    taps = np.arange(size) - (size - 1) / 2
    hat = np.maximum(1 - np.abs(taps) / factor, 0)
    np.testing.assert_allclose(upsample.upsample_filt(size), np.outer(hat, hat), atol=1e-15)
    # each output phase receives weights summing to 1 (partition of unity per phase)
    phase_sums = [hat[r::factor].sum() for r in range(factor)]
    np.testing.assert_allclose(phase_sums, 1.0)


def test_bilinear_kernel_is_diagonal():
    k = upsample.bilinear_kernel(3, 4)
    assert k.shape == (3, 3, 4, 4)
    for i in range(3):
        for j in range(3):
            np.testing.assert_array_equal(k[i, j], NOTES_FILT_4 if i == j else 0.0)


@pytest.mark.parametrize("seed", range(5))
def test_bilinear_interpolate_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    h, w = rng.integers(2, 9, size=2)
    image = rng.normal(size=(h, w))
    xs = np.concatenate([rng.uniform(0, w - 1, 200), [0, w - 1, w - 1, 0]])
    ys = np.concatenate([rng.uniform(0, h - 1, 200), [0, h - 1, 0, h - 1]])
    reference = RegularGridInterpolator((np.arange(h), np.arange(w)), image, method="linear")
    np.testing.assert_allclose(upsample.bilinear_interpolate(image, xs, ys),
                               reference(np.column_stack([ys, xs])), atol=1e-12)


def test_bilinear_interpolate_reproduces_grid_values_and_broadcasts():
    image = np.arange(12.0).reshape(3, 4)
    yy, xx = np.mgrid[0:3, 0:4]
    np.testing.assert_array_equal(upsample.bilinear_interpolate(image, xx, yy), image)
    # a single column or row: interpolation along the other axis only
    np.testing.assert_allclose(upsample.bilinear_interpolate([[1.0], [3.0]], 0.0, 0.25), 1.5)
    assert upsample.bilinear_interpolate(image, [[0.5], [1.5]], [0.0, 1.0, 2.0]).shape == (2, 3)


def test_bilinear_interpolate_eq_3_32_on_unit_square():
    # f(Q11)=1, f(Q21)=2, f(Q12)=3, f(Q22)=5 at (0,0),(1,0),(0,1),(1,1): hand-evaluated
    image = np.array([[1.0, 2.0], [3.0, 5.0]])  # image[y, x]
    x, y = 0.25, 0.5
    expected = (0.75 * 0.5 * 1 + 0.25 * 0.5 * 2 + 0.75 * 0.5 * 3 + 0.25 * 0.5 * 5)
    assert upsample.bilinear_interpolate(image, x, y) == pytest.approx(expected)


@pytest.mark.parametrize("factor", [1, 2, 3, 4])
def test_bilinear_upsample_is_bilinear_interpolation_inside(factor):
    rng = np.random.default_rng(factor)
    image = rng.normal(size=(5, 6))
    up = upsample.bilinear_upsample(image, factor)
    assert up.shape == (5 * factor, 6 * factor)
    coord_r = (np.arange(5 * factor) + 0.5) / factor - 0.5
    coord_c = (np.arange(6 * factor) + 0.5) / factor - 0.5
    inside_r = (coord_r >= 0) & (coord_r <= 4)
    inside_c = (coord_c >= 0) & (coord_c <= 5)
    reference = RegularGridInterpolator((np.arange(5), np.arange(6)), image)
    rr, cc = np.meshgrid(coord_r[inside_r], coord_c[inside_c], indexing="ij")
    expected = reference(np.stack([rr, cc], axis=-1))
    np.testing.assert_allclose(up[np.ix_(inside_r, inside_c)], expected, atol=1e-12)


def test_bilinear_upsample_batches_and_channels():
    rng = np.random.default_rng(0)
    batch = rng.normal(size=(2, 3, 4, 4))
    up = upsample.bilinear_upsample(batch, 2)
    assert up.shape == (2, 3, 8, 8)
    np.testing.assert_allclose(up[1, 2], upsample.bilinear_upsample(batch[1, 2], 2))
    assert upsample.bilinear_upsample(batch[0], 3).shape == (3, 12, 12)


@pytest.mark.parametrize(("func", "args", "exc", "match"), [
    (upsample.upsample_filt, (0,), ValueError, "size"),
    (upsample.upsample_filt, (2.5,), TypeError, "size"),
    (upsample.upsample_filt, ("4",), TypeError, "size"),
    (upsample.bilinear_kernel, (0, 4), ValueError, "channels"),
    (upsample.bilinear_kernel, (2, 4.0), TypeError, "size"),
    (upsample.bilinear_interpolate, (np.zeros(4), 0.0, 0.0), ValueError, "image"),
    (upsample.bilinear_interpolate, (np.zeros((0, 3)), 0.0, 0.0), ValueError, "image"),
    (upsample.bilinear_interpolate, (np.zeros((3, 3)), 2.5, 0.0), ValueError, "x"),
    (upsample.bilinear_interpolate, (np.zeros((3, 3)), 0.0, -0.1), ValueError, "y"),
    (upsample.bilinear_interpolate, (np.zeros((3, 3)), [0, 1], [0, 1, 2]), ValueError, "x and y"),
    (upsample.bilinear_interpolate, (np.zeros((3, 3)), np.nan, 0.0), ValueError, "x"),
    (upsample.bilinear_upsample, (np.zeros(4), 2), ValueError, "image"),
    (upsample.bilinear_upsample, (np.zeros((1, 1, 1, 2, 2)), 2), ValueError, "image"),
    (upsample.bilinear_upsample, (np.zeros((2, 2)), 0), ValueError, "factor"),
    (upsample.bilinear_upsample, (np.zeros((2, 2)), 2.0), TypeError, "factor"),
])
def test_bad_input(func, args, exc, match):
    with pytest.raises(exc, match=f"^{match}"):
        func(*args)
