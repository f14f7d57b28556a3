"""Input validation shared by every public function of :mod:`notes_lib`.

Each helper raises :class:`TypeError` (wrong kind of object) or
:class:`ValueError` (right kind, wrong value) with a message that names the
argument, in the manner of ``sklearn.utils.validation``.
"""

from __future__ import annotations

import numbers

import numpy as np


def check_int(value: object, name: str, *, minimum: int | None = None) -> int:
    """Return ``value`` as ``int`` if it is an integer (not a bool) >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def check_scalar(value: object, name: str, *, minimum: float | None = None,
                 exclusive: bool = False) -> float:
    """Return ``value`` as a finite ``float``, optionally ``>= minimum`` (``> minimum``
    with ``exclusive``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if minimum is not None and (value <= minimum if exclusive else value < minimum):
        raise ValueError(f"{name} must be {'>' if exclusive else '>='} {minimum:g}, got {value}")
    return value


def as_float_array(
    value: object, name: str, *, ndim: int | None = None, allow_inf: bool = False
) -> np.ndarray:
    """Return ``value`` as a float64 array without NaN (and without ±inf unless
    ``allow_inf``), optionally of a given ``ndim``."""
    if isinstance(value, str | bytes) or value is None:
        raise TypeError(f"{name} must be array-like of real numbers, got {type(value).__name__}")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be array-like of real numbers: {exc}") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if allow_inf:
        if np.any(np.isnan(arr)):
            raise ValueError(f"{name} must not contain NaN")
    elif not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values (no NaN or inf)")
    return arr


def check_choice(value: object, name: str, choices: tuple[str, ...] | list[str]) -> str:
    """Return ``value`` if it is one of ``choices``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__} {value!r}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return value


def check_matrix(X: object, name: str = "X", *, min_samples: int = 1) -> np.ndarray:
    """Return ``X`` as a 2-D float64 array (n_samples, n_features) with at least
    ``min_samples`` rows and one column."""
    X = as_float_array(X, name)
    if X.ndim != 2:
        hint = "; reshape a single feature with X.reshape(-1, 1)" if X.ndim == 1 else ""
        raise ValueError(f"{name} must be 2-dimensional (n_samples, n_features), got shape "
                         f"{X.shape}{hint}")
    if X.shape[0] < min_samples:
        noun = "sample" if min_samples == 1 else "samples"
        raise ValueError(f"{name} must have at least {min_samples} {noun} (rows), "
                         f"got {X.shape[0]}")
    if X.shape[1] < 1:
        raise ValueError(f"{name} must have at least 1 feature (column), got shape {X.shape}")
    return X


def check_labels(y: object, n_samples: int) -> np.ndarray:
    """Return ``y`` as a 1-D array of class labels, one per row of ``X``."""
    if isinstance(y, str | bytes) or y is None:
        raise TypeError(f"y must be array-like of class labels, got {type(y).__name__}")
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise ValueError(f"y must be 1-dimensional, got shape {arr.shape}")
    if arr.shape[0] != n_samples:
        raise ValueError(f"y must have one label per row of X: X has {n_samples} rows, "
                         f"y has {arr.shape[0]} labels")
    if arr.dtype.kind not in "biufUSO":
        raise TypeError(f"y must hold numbers or strings, got dtype {arr.dtype}")
    if arr.dtype.kind == "f" and np.any(np.isnan(arr)):
        raise ValueError("y must not contain NaN")
    return arr


def check_fitted_X(estimator: object, X: object, attribute: str, fit_call: str) -> np.ndarray:
    """Raise unless ``estimator`` has ``attribute`` (set by ``fit``); return ``X`` checked
    to have the ``n_features_in_`` columns it was fitted on."""
    if not hasattr(estimator, attribute):
        raise ValueError(f"this {type(estimator).__name__} is not fitted yet; call {fit_call} "
                         "first")
    X = check_matrix(X)
    n_features = estimator.n_features_in_
    if X.shape[1] != n_features:
        raise ValueError(f"X must have {n_features} features (columns), got {X.shape[1]}")
    return X
