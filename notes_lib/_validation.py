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


def check_scalar(value: object, name: str) -> float:
    """Return ``value`` as a finite ``float``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
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
