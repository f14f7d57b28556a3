"""notes_lib against reference libraries, on the same data in the same process.

Every comparison first checks that both sides compute the same thing (an
``assert`` on the results), then times both: median of several repeats after a
warm-up call. The ratio is ours / reference: below 1 means notes_lib is faster.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._timing import median_time


@dataclass
class Comparison:
    name: str
    size: str
    reference: str
    ours_s: float
    reference_s: float | None
    target: float | None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return None if self.reference_s is None else self.ours_s / self.reference_s

    @property
    def on_target(self) -> bool | None:
        if self.ratio is None or self.target is None:
            return None
        return self.ratio <= self.target


# --------------------------------------------------------------------------- convolution
def _scipy_conv_forward_backward(x, w, delta, methods=None):
    """Forward and backward of a stride-1, unpadded convolution layer with
    ``scipy.signal.correlate`` on whole 4-D blocks (one call per channel).

    Forward: correlating (N, C_in, H, W) with one kernel (1, C_in, kh, kw) in 'valid'
    mode sums over the input channels. dW[o]: correlating x with delta[:, o] (N, 1, ..)
    in 'valid' mode sums over the batch. dx[:, c]: correlating the zero-padded delta
    with the spatially flipped kernels w[:, c] (1, C_out, kh, kw) sums over C_out.
    ``methods`` gives scipy's "direct" or "fft" for each of the three products (the
    faster one, found once with ``choose_conv_method(measure=True)``).
    """
    from scipy.signal import choose_conv_method, correlate

    c_in = x.shape[1]
    c_out, _, kh, kw = w.shape
    padded = np.pad(delta, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))
    flipped = np.ascontiguousarray(w[:, :, ::-1, ::-1])
    if methods is None:
        methods = {
            "out": choose_conv_method(x, w[0][None], mode="valid", measure=True)[0],
            "dw": choose_conv_method(x, delta[:, 0][:, None], mode="valid", measure=True)[0],
            "dx": choose_conv_method(padded, flipped[:, 0][None], mode="valid",
                                     measure=True)[0],
        }
    out = np.concatenate([correlate(x, w[o][None], mode="valid", method=methods["out"])
                          for o in range(c_out)], axis=1)
    dw = np.concatenate([correlate(x, delta[:, o][:, None], mode="valid", method=methods["dw"])
                         for o in range(c_out)], axis=0)
    dx = np.concatenate([correlate(padded, flipped[:, c][None], mode="valid",
                                   method=methods["dx"]) for c in range(c_in)], axis=1)
    db = delta.sum(axis=(0, 2, 3))
    return (out, dx, dw, db), methods


def bench_convolution(repeats: int = 5) -> Comparison:
    from notes_lib.nn.conv import conv2d_backward, conv2d_forward

    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 16, 32, 32))
    w = rng.standard_normal((32, 16, 3, 3))
    delta = rng.standard_normal((32, 32, 30, 30))

    def ours():
        out = conv2d_forward(x, w)
        dx, dw, db = conv2d_backward(x, w, delta)
        return out, dx, dw, db

    expected, methods = _scipy_conv_forward_backward(x, w, delta)

    def reference():
        return _scipy_conv_forward_backward(x, w, delta, methods)[0]

    for a, b in zip(ours(), expected, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-8)
    return Comparison("convolution forward + backward", "batch 32, 16→32 channels, 32×32, 3×3",
                      "scipy.signal.correlate (" + "/".join(sorted(set(methods.values()))) + ")",
                      median_time(ours, repeats), median_time(reference, 3, warmup=0), 2.0,
                      "scipy.signal works on one 4-D block per channel; notes_lib does one "
                      "im2col view and one tensordot per pass")


# --------------------------------------------------------------------------- random forest
def bench_forest(repeats: int = 3) -> Comparison:
    from sklearn.datasets import make_classification
    from sklearn.ensemble import RandomForestClassifier as SkForest

    from notes_lib.trees import RandomForestClassifier

    X, y = make_classification(n_samples=6000, n_features=20, n_informative=8,
                               random_state=0)
    X_train, y_train, X_test, y_test = X[:5000], y[:5000], X[5000:], y[5000:]

    def ours():
        return RandomForestClassifier(n_estimators=50, max_features="sqrt",
                                      rng=0).fit(X_train, y_train)

    def reference():
        return SkForest(n_estimators=50, max_features="sqrt", n_jobs=1,
                        random_state=0).fit(X_train, y_train)

    acc_ours, acc_ref = ours().score(X_test, y_test), reference().score(X_test, y_test)
    assert abs(acc_ours - acc_ref) < 0.03, (acc_ours, acc_ref)
    return Comparison("random forest fit", "n = 5,000, d = 20, 50 trees, full depth",
                      "scikit-learn RandomForestClassifier (1 thread)",
                      median_time(ours, repeats, warmup=0), median_time(reference, repeats,
                                                                        warmup=0), 10.0,
                      f"held-out accuracy {acc_ours:.3f} (notes_lib) vs {acc_ref:.3f} "
                      "(scikit-learn); trees grown one depth level at a time in NumPy, "
                      "against Cython node-by-node growth")


BENCHMARKS: dict[str, Callable[[], Comparison]] = {
    "convolution": bench_convolution,
    "forest": bench_forest,
}


def run(names: list[str] | None = None) -> list[Comparison]:
    return [BENCHMARKS[name]() for name in (names or list(BENCHMARKS))]
