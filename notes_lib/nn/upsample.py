"""Bilinear interpolation and bilinear upsampling (section 3.5.2 of the notes).

Bilinear interpolation (Eq. (3.32)) interpolates linearly along :math:`x`
between the four neighbours :math:`Q_{11}, Q_{21}, Q_{12}, Q_{22}` of a point,
then linearly along :math:`y`. On a regular grid with spacing 1 its weight is the
product of two "hat" functions :math:`(1 - |u|)_+ (1 - |v|)_+`, and sampling that
product at the output pixels of an upsampling by an integer ``factor`` gives the
kernel :func:`upsample_filt` of the notes (Eq. (3.33)). A transposed convolution
with stride ``factor`` and that kernel (:func:`bilinear_kernel`) is therefore
bilinear upsampling, the way fully convolutional networks initialise their
learnable upsampling layers (:func:`bilinear_upsample`).
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_int
from .conv import conv_transpose2d


def upsample_filt(size: int) -> np.ndarray:
    """The ``size x size`` bilinear kernel of the notes' code, Eq. (3.33).

    Parameters
    ----------
    size : int
        Kernel size (>= 1). For upsampling by an integer factor ``f`` use
        ``size = 2 * f - f % 2``.

    Returns
    -------
    ndarray, shape (size, size)
        :math:`K_{ij} = (1 - |i - c|/f)(1 - |j - c|/f)` with
        :math:`f = \\lfloor (size + 1)/2 \\rfloor` and centre :math:`c = f - 1`
        (odd ``size``) or :math:`c = f - 1/2` (even ``size``).

    Examples
    --------
    >>> upsample_filt(4)[0]
    array([0.0625, 0.1875, 0.1875, 0.0625])
    """
    size = check_int(size, "size", minimum=1)
    factor = (size + 1) // 2
    center = factor - 1 if size % 2 == 1 else factor - 0.5
    og = np.ogrid[:size, :size]
    return (1 - abs(og[0] - center) / factor) * (1 - abs(og[1] - center) / factor)


def bilinear_kernel(channels: int, size: int) -> np.ndarray:
    """Weights of a transposed convolution that upsamples each channel bilinearly.

    Parameters
    ----------
    channels : int
        Number of channels (>= 1); the layer maps ``channels`` to ``channels``.
    size : int
        Kernel size, as in :func:`upsample_filt`.

    Returns
    -------
    ndarray, shape (channels, channels, size, size)
        ``upsample_filt(size)`` on the diagonal ``[c, c]`` and zeros elsewhere, so
        that channels do not mix (the layout of
        :func:`notes_lib.nn.conv.conv_transpose2d`).
    """
    channels = check_int(channels, "channels", minimum=1)
    filt = upsample_filt(size)
    weight = np.zeros((channels, channels, *filt.shape))
    weight[np.arange(channels), np.arange(channels)] = filt
    return weight


def bilinear_interpolate(image: object, x: object, y: object) -> np.ndarray:
    """Bilinear interpolation of a 2-D image at points ``(x, y)``, Eq. (3.32).

    Parameters
    ----------
    image : array_like, shape (H, W)
        Values :math:`f` at the integer grid points; ``image[row, column]`` is the
        value at :math:`(x, y) = (\\text{column}, \\text{row})`.
    x, y : array_like
        Column and row coordinates (broadcast together) inside
        ``[0, W - 1] x [0, H - 1]``.

    Returns
    -------
    ndarray
        :math:`f(P)` of Eq. (3.32), where :math:`x_1 = \\lfloor x \\rfloor`,
        :math:`x_2 = x_1 + 1` (so :math:`x_2 - x_1 = 1`), likewise for :math:`y`,
        and :math:`Q_{ab} = (x_a, y_b)`. On the last row or column, where there is
        no :math:`x_2`, the weight of the missing neighbour is zero.
    """
    image = as_float_array(image, "image", ndim=2)
    if image.size == 0:
        raise ValueError(f"image must be non-empty, got shape {image.shape}")
    xs = as_float_array(x, "x")
    ys = as_float_array(y, "y")
    try:
        xs, ys = np.broadcast_arrays(xs, ys)
    except ValueError:
        raise ValueError(f"x and y must broadcast together, got shapes {xs.shape} "
                         f"and {ys.shape}") from None
    h, w = image.shape
    if np.any((xs < 0) | (xs > w - 1)):
        raise ValueError(f"x must lie in [0, {w - 1}] (the image has {w} columns)")
    if np.any((ys < 0) | (ys > h - 1)):
        raise ValueError(f"y must lie in [0, {h - 1}] (the image has {h} rows)")
    x1 = np.clip(np.floor(xs).astype(np.intp), 0, max(w - 2, 0))
    y1 = np.clip(np.floor(ys).astype(np.intp), 0, max(h - 2, 0))
    x2 = np.minimum(x1 + 1, w - 1)
    y2 = np.minimum(y1 + 1, h - 1)
    tx, ty = xs - x1, ys - y1  # (x - x1)/(x2 - x1) and (y - y1)/(y2 - y1)
    f_r1 = (1 - tx) * image[y1, x1] + tx * image[y1, x2]  # f(R1), R1 = (x, y1)
    f_r2 = (1 - tx) * image[y2, x1] + tx * image[y2, x2]  # f(R2), R2 = (x, y2)
    return (1 - ty) * f_r1 + ty * f_r2


def bilinear_upsample(image: object, factor: int) -> np.ndarray:
    """Upsample by an integer factor with a transposed convolution and bilinear kernel.

    Parameters
    ----------
    image : array_like, shape (H, W), (C, H, W) or (N, C, H, W)
        Image or batch of feature maps; each channel is upsampled on its own.
    factor : int
        Upsampling factor (>= 1).

    Returns
    -------
    ndarray, shape (..., factor * H, factor * W)
        ``conv_transpose2d`` with ``bilinear_kernel(C, 2 f - f % 2)``, stride ``f``
        and padding ``f // 2``. Output pixel ``j`` sits at input coordinate
        :math:`(j + 1/2)/f - 1/2` (pixel centres aligned, as
        ``align_corners=False`` in PyTorch), and wherever that lies between input
        pixels the value is exactly the bilinear interpolation of Eq. (3.32); in
        the outer half-input-pixel band the missing neighbours count as zeros.
    """
    arr = as_float_array(image, "image")
    if arr.ndim not in (2, 3, 4):
        raise ValueError(f"image must be 2-, 3- or 4-dimensional, got shape {arr.shape}")
    if 0 in arr.shape:
        raise ValueError(f"image must be non-empty, got shape {arr.shape}")
    factor = check_int(factor, "factor", minimum=1)
    batch = arr.reshape((-1, *arr.shape[-3:])) if arr.ndim == 4 else arr.reshape(
        (1, -1, *arr.shape[-2:]))
    size = 2 * factor - factor % 2
    out = conv_transpose2d(batch, bilinear_kernel(batch.shape[1], size), stride=factor,
                           padding=factor // 2)
    return out.reshape((*arr.shape[:-2], *out.shape[-2:]))
