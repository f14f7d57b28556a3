"""Convolution and transposed convolution (sections 3.2 and 3.5 of the notes).

Deep-learning "convolution" is a cross-correlation: the kernel slides over the
input without being flipped (Eq. (3.9)),

.. math::

    O_{n,o,i,j} = b_o + \\sum_{c} \\sum_{p,q} X_{n,c,\\,i s + p,\\, j s + q}\\, W_{o,c,p,q},

where :math:`X` is the input zero-padded by ``padding`` on every side and
:math:`s` is the stride. It is a linear map of the input, so it is a matrix
:math:`M(W)` acting on the flattened input, :math:`M(O) = M(W) M(I)` (Eq. (3.26)).
The **transposed convolution** is the map with matrix :math:`M(W)^\\top`
(Eqs. (3.28)-(3.29)): it takes an array shaped like the output back to an array
shaped like the input. This module gives

* :func:`conv2d_forward`, :func:`conv2d_backward` and :func:`conv_transpose2d`:
  the vectorised batch versions, ``(N, C, H, W)`` arrays;
* :func:`conv_matrix` and three single-channel reference versions of the
  transposed convolution, one per description in the notes:
  :func:`conv_transpose_matrix` (Eq. (3.29)), :func:`conv_transpose_zero_insertion`
  (Eq. (3.30)) and :func:`conv_transpose_scatter` (Eq. (3.31));
* :func:`dilate`, which inserts zeros between neighbouring elements (the zero
  insertion of Eq. (3.30), and the kernel of a dilated convolution).
* the layers :class:`Conv2D` (forward Eq. (3.9), backward (CONV-BP2)-(CONV-BP4)),
  :class:`Flatten` and :class:`Unflatten`, which follow the layer protocol of
  :mod:`notes_lib.nn.layers` so they compose with ``Dense``, ``Act`` and ``Sequential``.

Shapes. For an input of size :math:`H`, kernel :math:`k`, stride :math:`s` and
padding :math:`p` the output has :math:`H' = \\lfloor (H + 2p - k)/s \\rfloor + 1`
rows. The transposed convolution maps :math:`H'` rows back to
:math:`H = (H' - 1)s - 2p + k + \\text{output\\_padding}`; ``output_padding``
(``0 <= output_padding < stride``) chooses among the several input sizes that
the floor maps to the same :math:`H'`. One-dimensional signals are the case
``H = 1``: write them with shape ``(1, n)`` and pass ``padding=(0, p)``.

``stride``, ``padding`` and ``output_padding`` accept an ``int`` (same value
for rows and columns) or a pair ``(rows, columns)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .._validation import as_float_array, check_int

IntPair = int | tuple[int, int] | Sequence[int]


def _pair(value: object, name: str, minimum: int) -> tuple[int, int]:
    """Return ``value`` as a pair of ints >= ``minimum`` (an int is used for both axes)."""
    if isinstance(value, tuple | list):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
        return (check_int(value[0], name, minimum=minimum),
                check_int(value[1], name, minimum=minimum))
    v = check_int(value, name, minimum=minimum)
    return v, v


def _output_padding(value: object, stride: tuple[int, int]) -> tuple[int, int]:
    op = _pair(value, "output_padding", 0)
    if op[0] >= stride[0] or op[1] >= stride[1]:
        raise ValueError(f"output_padding must be smaller than stride {stride}, got {op}")
    return op


def _kernel_2d(w: object) -> np.ndarray:
    w = as_float_array(w, "w", ndim=2)
    if w.size == 0:
        raise ValueError(f"w must be a non-empty kernel, got shape {w.shape}")
    return w


def _forward_size(n: int, k: int, s: int, p: int, axis: str, argname: str = "w") -> int:
    if n + 2 * p < k:
        raise ValueError(
            f"{argname}: kernel {axis} size {k} is larger than the padded input ({n} + 2*{p} = "
            f"{n + 2 * p}); use a smaller kernel, a larger input or more padding"
        )
    return (n + 2 * p - k) // s + 1


def _transpose_size(n: int, k: int, s: int, p: int, op: int, axis: str) -> int:
    size = (n - 1) * s - 2 * p + k + op
    if size < 1:
        raise ValueError(
            f"padding {p} is too large: the transposed convolution's output would have "
            f"{size} {axis} ((H'-1)*stride - 2*padding + kernel + output_padding)"
        )
    return size


def output_shape(
    input_shape: Sequence[int], kernel_shape: Sequence[int], stride: IntPair = 1,
    padding: IntPair = 0,
) -> tuple[int, int]:
    """Spatial shape :math:`(H', W')` of a convolution's output.

    Parameters
    ----------
    input_shape : (int, int)
        Spatial shape ``(H, W)`` of the input.
    kernel_shape : (int, int)
        Spatial shape ``(kh, kw)`` of the kernel.
    stride, padding : int or (int, int)
        Stride (>= 1) and zero padding (>= 0).

    Returns
    -------
    (int, int)
        :math:`H' = \\lfloor (H + 2p - k_h)/s \\rfloor + 1`, and the same for :math:`W'`.
    """
    h, w_ = _shape2(input_shape, "input_shape")
    kh, kw = _shape2(kernel_shape, "kernel_shape")
    s, p = _pair(stride, "stride", 1), _pair(padding, "padding", 0)
    return (_forward_size(h, kh, s[0], p[0], "height", "kernel_shape"),
            _forward_size(w_, kw, s[1], p[1], "width", "kernel_shape"))


def _shape2(shape: object, name: str) -> tuple[int, int]:
    if not isinstance(shape, tuple | list) or len(shape) != 2:
        raise TypeError(f"{name} must be a pair of positive ints (H, W), got {shape!r}")
    return check_int(shape[0], name, minimum=1), check_int(shape[1], name, minimum=1)


def dilate(a: object, rate: IntPair) -> np.ndarray:
    """Insert ``rate - 1`` zeros between neighbouring elements of the last two axes.

    This is the zero insertion of Eq. (3.30) (with ``rate = stride``), and it turns
    a kernel into the kernel of a dilated ("atrous") convolution with that rate.

    Parameters
    ----------
    a : array_like, shape (..., H, W)
        Array to dilate (at least 2-D).
    rate : int or (int, int)
        Dilation rate (>= 1); 1 returns a copy of ``a``.

    Returns
    -------
    ndarray, shape (..., (H - 1) * rate + 1, (W - 1) * rate + 1)

    Examples
    --------
    >>> dilate([[5, 8, 11]], (1, 2))
    array([[ 5.,  0.,  8.,  0., 11.]])
    """
    a = as_float_array(a, "a")
    if a.ndim < 2 or a.shape[-1] == 0 or a.shape[-2] == 0:
        raise ValueError(f"a must be a non-empty array with at least 2 dimensions, got {a.shape}")
    r = _pair(rate, "rate", 1)
    h, w = a.shape[-2:]
    out = np.zeros((*a.shape[:-2], (h - 1) * r[0] + 1, (w - 1) * r[1] + 1))
    out[..., :: r[0], :: r[1]] = a
    return out


def conv2d_forward(
    x: object, w: object, b: object | None = None, stride: IntPair = 1, padding: IntPair = 0
) -> np.ndarray:
    """Batch 2-D convolution (cross-correlation) as in deep learning, Eq. (3.9).

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W)
        Input batch.
    w : array_like, shape (C_out, C_in, kh, kw)
        Kernels, one per output channel; not flipped.
    b : array_like, shape (C_out,), optional
        Bias of each output channel.
    stride : int or (int, int), default 1
        Step of the sliding window (>= 1).
    padding : int or (int, int), default 0
        Zeros added on each side of the input (>= 0).

    Returns
    -------
    ndarray, shape (N, C_out, H', W')
        :math:`O_{n,o,i,j} = b_o + \\sum_{c,p,q} X_{n,c,is+p,js+q} W_{o,c,p,q}`
        with :math:`H' = \\lfloor (H + 2p - k_h)/s \\rfloor + 1`.

    Notes
    -----
    im2col without copying: :func:`numpy.lib.stride_tricks.sliding_window_view`
    gives every ``kh x kw`` window of the padded input as a view, the stride keeps
    every ``s``-th window, and one :func:`numpy.tensordot` over
    ``(C_in, kh, kw)`` forms all the dot products at once.
    """
    x = as_float_array(x, "x", ndim=4)
    w = as_float_array(w, "w", ndim=4)
    if x.shape[1] != w.shape[1]:
        raise ValueError(
            f"w has {w.shape[1]} input channels (shape {w.shape}) but x has {x.shape[1]} "
            f"(shape {x.shape})"
        )
    if 0 in w.shape:
        raise ValueError(f"w must be non-empty, got shape {w.shape}")
    s, p = _pair(stride, "stride", 1), _pair(padding, "padding", 0)
    kh, kw = w.shape[2:]
    ho = _forward_size(x.shape[2], kh, s[0], p[0], "height")
    wo = _forward_size(x.shape[3], kw, s[1], p[1], "width")
    if b is not None:
        b = as_float_array(b, "b", ndim=1)
        if b.shape[0] != w.shape[0]:
            raise ValueError(f"b must have shape ({w.shape[0]},) (one per output channel), "
                             f"got {b.shape}")
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    windows = sliding_window_view(xp, (kh, kw), axis=(2, 3))  # (N, C, H'', W'', kh, kw)
    windows = windows[:, :, : (ho - 1) * s[0] + 1 : s[0], : (wo - 1) * s[1] + 1 : s[1]]
    out = np.tensordot(windows, w, axes=([1, 4, 5], [1, 2, 3]))  # (N, H', W', C_out)
    out = np.ascontiguousarray(out.transpose(0, 3, 1, 2))
    if b is not None:
        out += b[None, :, None, None]
    return out


def conv_transpose2d(
    y: object, w: object, stride: IntPair = 1, padding: IntPair = 0, output_padding: IntPair = 0
) -> np.ndarray:
    """Batch transposed convolution: the adjoint of :func:`conv2d_forward`, Eq. (3.29).

    Parameters
    ----------
    y : array_like, shape (N, C_out, H', W')
        Array shaped like a convolution's output.
    w : array_like, shape (C_out, C_in, kh, kw)
        The kernels of the convolution being transposed (the layout of
        :func:`conv2d_forward`; ``torch.nn.functional.conv_transpose2d`` uses the same).
    stride, padding : int or (int, int)
        Those of the convolution being transposed.
    output_padding : int or (int, int), default 0
        Extra rows/columns at the bottom/right, ``0 <= output_padding < stride``.

    Returns
    -------
    ndarray, shape (N, C_in, H, W)
        With :math:`H = (H' - 1)s - 2p + k_h + \\text{output\\_padding}`. For every
        ``x`` of that shape, :math:`\\langle \\mathrm{conv}(x), y\\rangle =
        \\langle x, \\mathrm{conv}^\\top(y)\\rangle`.

    Notes
    -----
    col2im, the scatter of Eq. (3.31) done for all input elements at once: one
    :func:`numpy.tensordot` gives, for every element ``y[n, o, i, j]``, its
    contribution ``y[n, o, i, j] * w[o, :, p, q]`` to each kernel tap ``(p, q)``;
    the loop over the ``kh * kw`` taps then adds each tap's whole array of
    contributions into the strided slice of the output it lands on. The result is
    cropped by ``padding`` and extended by ``output_padding``.
    """
    y = as_float_array(y, "y", ndim=4)
    w = as_float_array(w, "w", ndim=4)
    if y.shape[1] != w.shape[0]:
        raise ValueError(
            f"w has {w.shape[0]} output channels (shape {w.shape}) but y has {y.shape[1]} "
            f"channels (shape {y.shape})"
        )
    if 0 in w.shape or 0 in y.shape[2:]:
        raise ValueError(f"w and y must be non-empty, got shapes {w.shape} and {y.shape}")
    s, p = _pair(stride, "stride", 1), _pair(padding, "padding", 0)
    op = _output_padding(output_padding, s)
    n, _, hy, wy = y.shape
    c_in, kh, kw = w.shape[1:]
    h = _transpose_size(hy, kh, s[0], p[0], op[0], "rows")
    w_out = _transpose_size(wy, kw, s[1], p[1], op[1], "columns")
    cols = np.tensordot(y, w, axes=([1], [0]))  # (N, H', W', C_in, kh, kw)
    cols = cols.transpose(0, 3, 4, 5, 1, 2)  # (N, C_in, kh, kw, H', W')
    full_h = max((hy - 1) * s[0] + kh, p[0] + h)
    full_w = max((wy - 1) * s[1] + kw, p[1] + w_out)
    full = np.zeros((n, c_in, full_h, full_w))
    for i in range(kh):
        for j in range(kw):
            full[:, :, i : i + (hy - 1) * s[0] + 1 : s[0],
                 j : j + (wy - 1) * s[1] + 1 : s[1]] += cols[:, :, i, j]
    return np.ascontiguousarray(full[:, :, p[0] : p[0] + h, p[1] : p[1] + w_out])


def conv2d_backward(
    x: object, w: object, delta: object, stride: IntPair = 1, padding: IntPair = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of :func:`conv2d_forward`, Eqs. (CONV-BP2)-(CONV-BP4) and (3.15).

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W)
        The forward pass's input.
    w : array_like, shape (C_out, C_in, kh, kw)
        The forward pass's kernels.
    delta : array_like, shape (N, C_out, H', W')
        :math:`\\partial \\mathcal{L} / \\partial O`, the error of the output.
    stride, padding : int or (int, int)
        Those of the forward pass.

    Returns
    -------
    dx : ndarray, shape of ``x``
        :math:`\\partial\\mathcal{L}/\\partial x`: the transposed convolution of ``delta``
        (Eq. (3.14) without the activation factor: ``delta`` convolved with rot180(w)).
    dw : ndarray, shape of ``w``
        :math:`\\partial\\mathcal{L}/\\partial W_{o,c,p,q} = \\sum_{n,i,j}
        \\delta_{n,o,i,j} X_{n,c,is+p,js+q}` (Eq. (CONV-BP3)).
    db : ndarray, shape (C_out,)
        :math:`\\sum_{n,i,j} \\delta_{n,o,i,j}` (Eq. (CONV-BP4)).
    """
    x = as_float_array(x, "x", ndim=4)
    w = as_float_array(w, "w", ndim=4)
    delta = as_float_array(delta, "delta", ndim=4)
    s, p = _pair(stride, "stride", 1), _pair(padding, "padding", 0)
    expected = conv2d_forward(x[:1, :, :, :], w, stride=s, padding=p).shape[1:]
    if delta.shape != (x.shape[0], *expected):
        raise ValueError(
            f"delta must have the forward output's shape {(x.shape[0], *expected)}, "
            f"got {delta.shape}"
        )
    kh, kw = w.shape[2:]
    ho, wo = expected[1:]
    # rows/columns of x that the strided windows never reach become output_padding
    op = tuple(x.shape[2 + a] + 2 * p[a] - ((expected[1 + a] - 1) * s[a] + (kh, kw)[a])
               for a in range(2))
    dx_full = conv_transpose2d(delta, w, stride=s, padding=0)
    dx_full = np.pad(dx_full, ((0, 0), (0, 0), (0, op[0]), (0, op[1])))
    dx = dx_full[:, :, p[0] : p[0] + x.shape[2], p[1] : p[1] + x.shape[3]]
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    windows = sliding_window_view(xp, (kh, kw), axis=(2, 3))
    windows = windows[:, :, : (ho - 1) * s[0] + 1 : s[0], : (wo - 1) * s[1] + 1 : s[1]]
    dw = np.tensordot(delta, windows, axes=([0, 2, 3], [0, 2, 3]))  # (C_out, C_in, kh, kw)
    db = delta.sum(axis=(0, 2, 3))
    return np.ascontiguousarray(dx), dw, db


# ---------------------------------------------------------------------------
# Single-channel reference versions, one per description in the notes (3.5.1)
# ---------------------------------------------------------------------------


def conv_matrix(
    w: object, input_shape: Sequence[int], stride: IntPair = 1, padding: IntPair = 0
) -> np.ndarray:
    """The matrix :math:`M(W)` of a single-channel convolution, Eqs. (3.26)-(3.27).

    Parameters
    ----------
    w : array_like, shape (kh, kw)
        The kernel (use shape ``(1, k)`` for a 1-D kernel).
    input_shape : (int, int)
        Shape ``(H, W)`` of the (unpadded) input.
    stride, padding : int or (int, int)
        As in :func:`conv2d_forward`.

    Returns
    -------
    ndarray, shape (H' * W', H * W)
        ``M`` with ``M @ I.ravel() == conv2d_forward(I, w).ravel()`` (row-major
        flattening). Row ``i * W' + j`` holds the kernel at the position of output
        pixel ``(i, j)``; the columns of padding zeros are dropped, since they
        multiply zeros.
    """
    w = _kernel_2d(w)
    h, wd = _shape2(input_shape, "input_shape")
    s, p = _pair(stride, "stride", 1), _pair(padding, "padding", 0)
    kh, kw = w.shape
    ho = _forward_size(h, kh, s[0], p[0], "height")
    wo = _forward_size(wd, kw, s[1], p[1], "width")
    # rows[i, j, a, b] = input row hit by tap (a, b) of output pixel (i, j); same for cols
    rows = (np.arange(ho) * s[0] - p[0])[:, None, None, None] + np.arange(kh)[None, None, :, None]
    cols = (np.arange(wo) * s[1] - p[1])[None, :, None, None] + np.arange(kw)[None, None, None, :]
    rows, cols = np.broadcast_arrays(rows, cols)
    out_index = np.broadcast_to(np.arange(ho * wo).reshape(ho, wo, 1, 1), rows.shape)
    values = np.broadcast_to(w, rows.shape)
    inside = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < wd)
    m = np.zeros((ho * wo, h * wd))
    m[out_index[inside], rows[inside] * wd + cols[inside]] = values[inside]
    return m


def _check_y_and_shape(
    y: object, w: np.ndarray, stride: IntPair, padding: IntPair, output_padding: IntPair
) -> tuple[np.ndarray, tuple[int, int], tuple[int, int], tuple[int, int], tuple[int, int]]:
    y = as_float_array(y, "y", ndim=2)
    if y.size == 0:
        raise ValueError(f"y must be non-empty, got shape {y.shape}")
    s, p = _pair(stride, "stride", 1), _pair(padding, "padding", 0)
    op = _output_padding(output_padding, s)
    shape = (_transpose_size(y.shape[0], w.shape[0], s[0], p[0], op[0], "rows"),
             _transpose_size(y.shape[1], w.shape[1], s[1], p[1], op[1], "columns"))
    return y, s, p, op, shape


def conv_transpose_matrix(
    y: object, w: object, stride: IntPair = 1, padding: IntPair = 0, output_padding: IntPair = 0
) -> np.ndarray:
    """Transposed convolution as :math:`M(W)^\\top M(Y)`, Eqs. (3.28)-(3.29).

    Parameters
    ----------
    y : array_like, shape (H', W')
        Single-channel array shaped like a convolution's output.
    w : array_like, shape (kh, kw)
        Single-channel kernel.
    stride, padding, output_padding : int or (int, int)
        As in :func:`conv_transpose2d`.

    Returns
    -------
    ndarray, shape (H, W)
        ``(conv_matrix(w, (H, W), stride, padding).T @ y.ravel()).reshape(H, W)``.
    """
    w = _kernel_2d(w)
    y, s, p, _, shape = _check_y_and_shape(y, w, stride, padding, output_padding)
    m = conv_matrix(w, shape, s, p)
    return (m.T @ y.ravel()).reshape(shape)


def conv_transpose_zero_insertion(
    y: object, w: object, stride: IntPair = 1, padding: IntPair = 0, output_padding: IntPair = 0
) -> np.ndarray:
    """Transposed convolution by zero insertion and a flipped kernel, Eq. (3.30).

    Insert ``stride - 1`` zeros between the elements of ``y`` (:func:`dilate`),
    pad ``k - 1 - padding`` zeros on the top/left and ``k - 1 - padding +
    output_padding`` on the bottom/right, and slide ``rot180(w)`` over the result
    with stride 1. (When ``padding > k - 1`` the excess is cropped instead.)

    Parameters
    ----------
    y : array_like, shape (H', W')
    w : array_like, shape (kh, kw)
    stride, padding, output_padding : int or (int, int)
        As in :func:`conv_transpose2d`.

    Returns
    -------
    ndarray, shape (H, W)
    """
    w = _kernel_2d(w)
    y, s, p, op, shape = _check_y_and_shape(y, w, stride, padding, output_padding)
    z = dilate(y, s)
    lead = [w.shape[a] - 1 - p[a] for a in range(2)]
    trail = [lead[a] + op[a] for a in range(2)]
    # negative padding = cropping
    z = z[max(-lead[0], 0) : z.shape[0] - max(-trail[0], 0),
          max(-lead[1], 0) : z.shape[1] - max(-trail[1], 0)]
    z = np.pad(z, ((max(lead[0], 0), max(trail[0], 0)), (max(lead[1], 0), max(trail[1], 0))))
    rot = w[::-1, ::-1]
    out = conv2d_forward(z[None, None], rot[None, None])[0, 0]
    assert out.shape == shape
    return out


def conv_transpose_scatter(
    y: object, w: object, stride: IntPair = 1, padding: IntPair = 0, output_padding: IntPair = 0
) -> np.ndarray:
    """Transposed convolution as a scatter, Eq. (3.31).

    Every element ``y[i, j]`` adds the scaled kernel ``y[i, j] * w`` into the output
    window whose top-left corner is ``(i * s - p, j * s - p)``; overlapping windows
    add up. All the additions are done at once with :func:`numpy.add.at`, which
    accumulates repeated indices.

    Parameters
    ----------
    y : array_like, shape (H', W')
    w : array_like, shape (kh, kw)
    stride, padding, output_padding : int or (int, int)
        As in :func:`conv_transpose2d`.

    Returns
    -------
    ndarray, shape (H, W)
    """
    w = _kernel_2d(w)
    y, s, p, _, shape = _check_y_and_shape(y, w, stride, padding, output_padding)
    hy, wy = y.shape
    kh, kw = w.shape
    rows = (np.arange(hy) * s[0] - p[0])[:, None, None, None] + np.arange(kh)[None, None, :, None]
    cols = (np.arange(wy) * s[1] - p[1])[None, :, None, None] + np.arange(kw)[None, None, None, :]
    rows, cols = np.broadcast_arrays(rows, cols)
    values = y[:, :, None, None] * w[None, None, :, :]  # y_ij * W, one copy per element
    inside = (rows >= 0) & (rows < shape[0]) & (cols >= 0) & (cols < shape[1])
    out = np.zeros(shape)
    np.add.at(out, (rows[inside], cols[inside]), values[inside])
    return out


# ---------------------------------------------------------------------------
# Layers (the protocol of notes_lib.nn.layers: forward, backward, params, grads)
# ---------------------------------------------------------------------------


class Conv2D:
    """Convolutional layer :math:`z = a * w + b` (Eqs. (3.9)-(3.10)), with channels,
    stride and padding; its backward pass is (CONV-BP2)-(CONV-BP4) / Eq. (3.15).

    Forward, for a batch ``x`` of shape ``(N, C_in, H, W)``:
    :math:`z_{n,o,i,j} = b_o + \\sum_{c,p,q} x_{n,c,is+p,js+q} W_{o,c,p,q}`
    (:func:`conv2d_forward`). Backward, given :math:`\\delta = \\partial C/\\partial z`
    of shape ``(N, C_out, H', W')`` (:func:`conv2d_backward`):

    * :math:`\\partial C/\\partial x` = the zero-padded :math:`\\delta` correlated with
      rot180(W) (Eqs. (3.13)-(3.14), without the factor :math:`\\sigma'`, which belongs
      to the activation layer), returned;
    * :math:`\\partial C/\\partial W = x \\star \\delta` (CONV-BP3), stored in ``grads["W"]``;
    * :math:`\\partial C/\\partial b_o = \\sum_{n,i,j} \\delta_{n,o,i,j}` (CONV-BP4), stored in
      ``grads["b"]``.

    Gradients are summed over the batch (the losses of :mod:`notes_lib.nn.layers`
    already divide by ``N``).

    Parameters
    ----------
    in_channels, out_channels : int
        :math:`C_{in}` and :math:`C_{out}` (>= 1).
    kernel_size : int or (int, int)
        :math:`(k_h, k_w)`.
    rng : numpy.random.Generator
        Draws the initial kernels.
    stride : int or (int, int), default 1
    padding : int or (int, int), default 0
    init : {'he', 'xavier'} or float, default 'he'
        ``'he'``: :math:`N(0, 2/\\text{fan\\_in})`; ``'xavier'``:
        :math:`N(0, 2/(\\text{fan\\_in} + \\text{fan\\_out}))` with
        :math:`\\text{fan\\_in} = C_{in} k_h k_w`, :math:`\\text{fan\\_out} = C_{out} k_h k_w`;
        a float: :math:`N(0, \\text{init}^2)`. Biases start at zero.

    Examples
    --------
    >>> layer = Conv2D(1, 2, 3, np.random.default_rng(0), padding=1)
    >>> layer.forward(np.ones((4, 1, 5, 5))).shape
    (4, 2, 5, 5)
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntPair,
                 rng: np.random.Generator, stride: IntPair = 1, padding: IntPair = 0,
                 init: str | float = "he") -> None:
        c_in = check_int(in_channels, "in_channels", minimum=1)
        c_out = check_int(out_channels, "out_channels", minimum=1)
        kh, kw = _pair(kernel_size, "kernel_size", 1)
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
        self.stride = _pair(stride, "stride", 1)
        self.padding = _pair(padding, "padding", 0)
        fan_in, fan_out = c_in * kh * kw, c_out * kh * kw
        if init == "he":
            std = np.sqrt(2.0 / fan_in)
        elif init == "xavier":
            std = np.sqrt(2.0 / (fan_in + fan_out))
        elif isinstance(init, str) or isinstance(init, bool) or not isinstance(init, int | float):
            raise ValueError(f"init must be 'he', 'xavier' or a standard deviation, got {init!r}")
        else:
            std = float(init)
            if not np.isfinite(std) or std < 0:
                raise ValueError(f"init (a standard deviation) must be finite and >= 0, got {std}")
        self.params = {"W": rng.normal(0.0, std, (c_out, c_in, kh, kw)), "b": np.zeros(c_out)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self._a: np.ndarray | None = None

    def forward(self, x: object, train: bool = True) -> np.ndarray:
        """:math:`z = a * w + b` for the batch ``x`` of shape ``(N, C_in, H, W)``."""
        x = as_float_array(x, "x", ndim=4)
        c_in = self.params["W"].shape[1]
        if x.shape[1] != c_in:
            raise ValueError(f"x has {x.shape[1]} channels (shape {x.shape}) but this Conv2D "
                             f"layer expects {c_in}")
        out = conv2d_forward(x, self.params["W"], self.params["b"], self.stride, self.padding)
        self._a = x
        return out

    def backward(self, delta: object) -> np.ndarray:
        """Store ``grads`` (CONV-BP3, CONV-BP4) and return :math:`\\partial C/\\partial x`."""
        if self._a is None:
            raise RuntimeError("backward called before forward")
        dx, dw, db = conv2d_backward(self._a, self.params["W"], delta, self.stride,
                                     self.padding)
        self.grads["W"] = dw
        self.grads["b"] = db
        return dx


class Flatten:
    """``(N, d1, d2, ...)`` to ``(N, d1 * d2 * ...)``; backward restores the shape.

    Puts a :class:`Dense` layer after a :class:`Conv2D` one.
    """

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self._shape: tuple[int, ...] | None = None

    def forward(self, x: object, train: bool = True) -> np.ndarray:
        x = as_float_array(x, "x")
        if x.ndim < 2:
            raise ValueError(f"x must have a batch axis and at least one more, got shape {x.shape}")
        self._shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, delta: object) -> np.ndarray:
        if self._shape is None:
            raise RuntimeError("backward called before forward")
        delta = as_float_array(delta, "delta")
        expected = (self._shape[0], int(np.prod(self._shape[1:])))
        if delta.shape != expected:
            raise ValueError(f"delta must have shape {expected}, got {delta.shape}")
        return delta.reshape(self._shape)


class Unflatten:
    """``(N, prod(shape))`` to ``(N, *shape)``, e.g. ``shape = (C, H, W)``.

    :class:`~notes_lib.nn.layers.Sequential` takes 2-D batches (one flattened example a
    row); an ``Unflatten`` first layer turns them into images for a :class:`Conv2D`.
    """

    def __init__(self, shape: Sequence[int]) -> None:
        if not isinstance(shape, tuple | list) or not shape:
            raise TypeError(f"shape must be a non-empty tuple of positive ints, got {shape!r}")
        self.shape = tuple(check_int(s, "shape", minimum=1) for s in shape)
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self._n: int | None = None

    def forward(self, x: object, train: bool = True) -> np.ndarray:
        x = as_float_array(x, "x", ndim=2)
        size = int(np.prod(self.shape))
        if x.shape[1] != size:
            raise ValueError(f"x must have {size} features to reshape to {self.shape}, "
                             f"got shape {x.shape}")
        self._n = x.shape[0]
        return x.reshape(x.shape[0], *self.shape)

    def backward(self, delta: object) -> np.ndarray:
        if self._n is None:
            raise RuntimeError("backward called before forward")
        delta = as_float_array(delta, "delta")
        if delta.shape != (self._n, *self.shape):
            raise ValueError(f"delta must have shape {(self._n, *self.shape)}, got {delta.shape}")
        return delta.reshape(self._n, -1)
