"""The distributions of section 1.2 of the notes, their moments, and the sample
estimators of section 1.2.4.

Each distribution is a small frozen dataclass whose parameters are validated on
construction and which offers

* ``pmf`` (discrete) or ``pdf`` (continuous), and ``cdf`` — vectorised over ``x``;
* ``mean()`` and ``var()`` — the closed forms the book derives in SymPy
  (Eq. (1.7), (1.9), (1.11), (1.13), (1.16) and the normal and Beta moments);
* ``sample(size, rng)`` — draws from a :class:`numpy.random.Generator`.

Only NumPy and the standard library's ``math`` are used; ``scipy.stats`` is the
independent reference of the unit tests, never a dependency.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ._validation import as_float_array, check_int, check_scalar

_erfc = np.vectorize(math.erfc, otypes=[float])
_lgamma = np.vectorize(math.lgamma, otypes=[float])


def _check_probability(p: object, name: str = "p") -> float:
    p = check_scalar(p, name)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{name} must be in [0, 1], got {p}")
    return p




def _rng(rng: object) -> np.random.Generator:
    if rng is None:
        raise TypeError("rng must be a numpy.random.Generator, e.g. np.random.default_rng(0); "
                        "an explicit generator keeps results reproducible")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return rng


def _size(size: object) -> int | tuple[int, ...]:
    if isinstance(size, numbers.Integral) and not isinstance(size, bool):
        return check_int(size, "size", minimum=0)
    if isinstance(size, tuple) and all(
        isinstance(s, numbers.Integral) and not isinstance(s, bool) and s >= 0 for s in size
    ):
        return tuple(int(s) for s in size)
    raise TypeError(f"size must be a non-negative int or a tuple of them, got {size!r}")


def _log_factorials(upto: int) -> np.ndarray:
    """``out[k] = ln k!`` for ``k = 0..upto``."""
    return np.concatenate(([0.0], np.cumsum(np.log(np.arange(1, upto + 1)))))


def _integer_points(x: np.ndarray) -> np.ndarray:
    return np.isfinite(x) & (x == np.floor(x))


class Distribution:
    """Interface shared by the distributions of this module."""

    discrete: ClassVar[bool]
    name: ClassVar[str]

    def mean(self) -> float:
        raise NotImplementedError

    def var(self) -> float:
        raise NotImplementedError

    def std(self) -> float:
        """Standard deviation, the square root of :meth:`var`."""
        return math.sqrt(self.var())

    def cdf(self, x: object) -> np.ndarray:
        raise NotImplementedError

    def sample(self, size: int | tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError

    def density(self, x: object) -> np.ndarray:
        """``pmf`` for a discrete distribution, ``pdf`` for a continuous one."""
        return self.pmf(x) if self.discrete else self.pdf(x)  # type: ignore[attr-defined]


def _x(x: object) -> np.ndarray:
    """Points at which to evaluate a pmf/pdf/cdf: any real array, ±inf allowed."""
    return as_float_array(x, "x", allow_inf=True)


@dataclass(frozen=True)
class Bernoulli(Distribution):
    """:math:`B(1, p)`: 1 with probability ``p``, 0 with probability ``q = 1 - p`` (Eq. (1.6))."""

    p: float
    discrete: ClassVar[bool] = True
    name: ClassVar[str] = "Bernoulli"

    def __post_init__(self) -> None:
        object.__setattr__(self, "p", _check_probability(self.p))

    def pmf(self, x: object) -> np.ndarray:
        x = _x(x)
        return np.where(x == 1, self.p, np.where(x == 0, 1.0 - self.p, 0.0))

    def cdf(self, x: object) -> np.ndarray:
        x = _x(x)
        return np.where(x < 0, 0.0, np.where(x < 1, 1.0 - self.p, 1.0))

    def mean(self) -> float:
        """:math:`E(X) = p` (Eq. (1.7))."""
        return self.p

    def var(self) -> float:
        """:math:`Var(X) = p(1 - p) = pq` (Eq. (1.7))."""
        return self.p * (1.0 - self.p)

    def sample(self, size: int | tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        return (_rng(rng).random(_size(size)) < self.p).astype(np.int64)


@dataclass(frozen=True)
class Binomial(Distribution):
    """:math:`B(n, p)`: successes in ``n`` independent Bernoulli trials (Eq. (1.8))."""

    n: int
    p: float
    discrete: ClassVar[bool] = True
    name: ClassVar[str] = "Binomial"

    def __post_init__(self) -> None:
        object.__setattr__(self, "n", check_int(self.n, "n", minimum=1))
        object.__setattr__(self, "p", _check_probability(self.p))

    def _pmf_table(self) -> np.ndarray:
        k = np.arange(self.n + 1)
        lf = _log_factorials(self.n)
        log_choose = lf[self.n] - lf[k] - lf[self.n - k]
        with np.errstate(divide="ignore"):
            # 0 * log(0) = 0 covers p = 0 and p = 1 exactly
            log_p = np.where(k > 0, k * np.log(self.p) if self.p > 0 else -np.inf, 0.0)
            log_q = np.where(k < self.n,
                             (self.n - k) * np.log1p(-self.p) if self.p < 1 else -np.inf, 0.0)
        return np.exp(log_choose + log_p + log_q)

    def pmf(self, x: object) -> np.ndarray:
        """:math:`\\binom{n}{k} p^k (1-p)^{n-k}` (Eq. (1.8)), 0 off the support."""
        x = _x(x)
        inside = _integer_points(x) & (x >= 0) & (x <= self.n)
        idx = np.where(inside, x, 0).astype(np.int64)
        return np.where(inside, self._pmf_table()[idx], 0.0)

    def cdf(self, x: object) -> np.ndarray:
        x = _x(x)
        table = np.cumsum(self._pmf_table())
        idx = np.clip(np.floor(np.where(np.isfinite(x), x, np.sign(x) * (self.n + 1))),
                      -1, self.n).astype(np.int64)
        cdf = np.where(idx < 0, 0.0, np.minimum(table[np.maximum(idx, 0)], 1.0))
        return np.where(idx >= self.n, 1.0, cdf)

    def mean(self) -> float:
        """:math:`E(X) = np` (Eq. (1.9))."""
        return self.n * self.p

    def var(self) -> float:
        """:math:`Var(X) = np(1 - p)` (Eq. (1.9))."""
        return self.n * self.p * (1.0 - self.p)

    def sample(self, size: int | tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        return _rng(rng).binomial(self.n, self.p, _size(size))


@dataclass(frozen=True)
class Poisson(Distribution):
    """:math:`Poisson(\\lambda)`: :math:`P(X = k) = e^{-\\lambda}\\lambda^k/k!` (Eq. (1.10))."""

    lam: float
    discrete: ClassVar[bool] = True
    name: ClassVar[str] = "Poisson"

    def __post_init__(self) -> None:
        object.__setattr__(self, "lam", check_scalar(self.lam, "lam", minimum=0, exclusive=True))

    def pmf(self, x: object) -> np.ndarray:
        x = _x(x)
        inside = _integer_points(x) & (x >= 0)
        # for k >= e^2 lam, ln pmf <= -lam + k (1 + ln(lam/k)) < -k (Stirling): beyond
        # k = 750 as well the pmf underflows to 0, and lgamma need not see a huge k
        inside &= x <= max(math.e**2 * self.lam, 750.0)
        k = np.where(inside, x, 0.0)  # float: k may exceed int64, ln k! = lgamma(k + 1)
        return np.where(inside, np.exp(-self.lam + k * math.log(self.lam) - _lgamma(k + 1)), 0.0)

    def cdf(self, x: object) -> np.ndarray:
        x = _x(x)
        top = np.floor(np.where(np.isfinite(x), x, -1.0))
        # beyond lam + 40 sqrt(lam) + 40 the upper tail is < 1e-50: the cdf is 1 in double
        # precision, so the table stops there (x may be huge)
        cap = math.ceil(self.lam + 40 * math.sqrt(self.lam) + 40)
        kmax = int(min(max(top.max(initial=0), 0), cap))
        table = np.minimum(np.cumsum(self.pmf(np.arange(kmax + 1))), 1.0)
        out = np.where(top < 0, 0.0, table[np.clip(top, 0, kmax).astype(np.int64)])
        return np.where(np.isposinf(x), 1.0, out)

    def mean(self) -> float:
        """:math:`E(X) = \\lambda` (Eq. (1.11))."""
        return self.lam

    def var(self) -> float:
        """:math:`Var(X) = \\lambda` (Eq. (1.11))."""
        return self.lam

    def sample(self, size: int | tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        return _rng(rng).poisson(self.lam, _size(size))


@dataclass(frozen=True)
class Uniform(Distribution):
    """:math:`U(a, b)`: constant density :math:`1/(b - a)` on :math:`[a, b]` (Eq. (1.12))."""

    a: float
    b: float
    discrete: ClassVar[bool] = False
    name: ClassVar[str] = "Uniform"

    def __post_init__(self) -> None:
        a, b = check_scalar(self.a, "a"), check_scalar(self.b, "b")
        if not a < b:
            raise ValueError(f"a must be < b, got a={a}, b={b}")
        object.__setattr__(self, "a", a)
        object.__setattr__(self, "b", b)

    def pdf(self, x: object) -> np.ndarray:
        x = _x(x)
        return np.where((x >= self.a) & (x <= self.b), 1.0 / (self.b - self.a), 0.0)

    def cdf(self, x: object) -> np.ndarray:
        x = _x(x)
        return np.clip((x - self.a) / (self.b - self.a), 0.0, 1.0)

    def mean(self) -> float:
        """:math:`E(X) = (a + b)/2` (Eq. (1.13))."""
        return (self.a + self.b) / 2

    def var(self) -> float:
        """:math:`Var(X) = (b - a)^2/12` (Eq. (1.13))."""
        return (self.b - self.a) ** 2 / 12

    def sample(self, size: int | tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        return _rng(rng).uniform(self.a, self.b, _size(size))


@dataclass(frozen=True)
class Normal(Distribution):
    """:math:`N(\\mu, \\sigma^2)` (Eq. (1.14)); ``sigma`` is the standard deviation."""

    mu: float
    sigma: float
    discrete: ClassVar[bool] = False
    name: ClassVar[str] = "Normal"

    def __post_init__(self) -> None:
        object.__setattr__(self, "mu", check_scalar(self.mu, "mu"))
        object.__setattr__(self, "sigma",
                           check_scalar(self.sigma, "sigma", minimum=0, exclusive=True))

    def pdf(self, x: object) -> np.ndarray:
        z = (_x(x) - self.mu) / self.sigma
        return np.exp(-0.5 * z * z) / (self.sigma * math.sqrt(2 * math.pi))

    def cdf(self, x: object) -> np.ndarray:
        z = (_x(x) - self.mu) / (self.sigma * math.sqrt(2))
        return 0.5 * _erfc(-z)  # not 0.5 (1 + erf(z)), which cancels to 0 in the lower tail

    def mean(self) -> float:
        """:math:`E(X) = \\mu`."""
        return self.mu

    def var(self) -> float:
        """:math:`Var(X) = \\sigma^2`."""
        return self.sigma**2

    def sample(self, size: int | tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        return _rng(rng).normal(self.mu, self.sigma, _size(size))


@dataclass(frozen=True)
class Exponential(Distribution):
    """:math:`Exponential(\\lambda)`: density :math:`\\lambda e^{-\\lambda x}`, :math:`x \\ge 0`
    (Eq. (1.15)); ``lam`` is the rate."""

    lam: float
    discrete: ClassVar[bool] = False
    name: ClassVar[str] = "Exponential"

    def __post_init__(self) -> None:
        object.__setattr__(self, "lam", check_scalar(self.lam, "lam", minimum=0, exclusive=True))

    def pdf(self, x: object) -> np.ndarray:
        x = _x(x)
        with np.errstate(over="ignore"):
            return np.where(x >= 0, self.lam * np.exp(-self.lam * np.maximum(x, 0)), 0.0)

    def cdf(self, x: object) -> np.ndarray:
        x = _x(x)
        return np.where(x >= 0, -np.expm1(-self.lam * np.maximum(x, 0)), 0.0)

    def mean(self) -> float:
        """:math:`E(X) = 1/\\lambda` (Eq. (1.16))."""
        return 1.0 / self.lam

    def var(self) -> float:
        """:math:`Var(X) = 1/\\lambda^2` (Eq. (1.16))."""
        return 1.0 / self.lam**2

    def sample(self, size: int | tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        return _rng(rng).exponential(1.0 / self.lam, _size(size))


def _betacf(a: float, b: float, x: np.ndarray, max_iter: int = 300) -> np.ndarray:
    """Continued fraction of the incomplete beta function (modified Lentz), vectorised."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = np.ones_like(x)
    d = 1.0 - qab * x / qap
    d = np.where(np.abs(d) < tiny, tiny, d)
    d = 1.0 / d
    h = d.copy()
    for m in range(1, max_iter + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = 1.0 + aa / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = 1.0 + aa / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        delta = d * c
        h *= delta
        if np.all(np.abs(delta - 1.0) < 1e-15):
            break
    return h


@dataclass(frozen=True)
class Beta(Distribution):
    """:math:`Beta(a, b)`: density :math:`x^{a-1}(1-x)^{b-1}/B(a, b)` on :math:`[0, 1]`,
    the conjugate prior of the Bernoulli and Binomial success probability."""

    a: float
    b: float
    discrete: ClassVar[bool] = False
    name: ClassVar[str] = "Beta"

    def __post_init__(self) -> None:
        object.__setattr__(self, "a", check_scalar(self.a, "a", minimum=0, exclusive=True))
        object.__setattr__(self, "b", check_scalar(self.b, "b", minimum=0, exclusive=True))

    @property
    def _log_beta(self) -> float:
        return math.lgamma(self.a) + math.lgamma(self.b) - math.lgamma(self.a + self.b)

    def pdf(self, x: object) -> np.ndarray:
        x = _x(x)
        inside = (x >= 0) & (x <= 1)
        xc = np.clip(x, 0.0, 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_pdf = ((self.a - 1) * np.log(xc) + (self.b - 1) * np.log1p(-xc) - self._log_beta)
            # a = 1 or b = 1 make 0 * log(0) at an endpoint: the factor is 1 there
            log_pdf = np.where((self.a == 1) & (xc == 0), np.log1p(-xc) * (self.b - 1)
                               - self._log_beta, log_pdf)
            log_pdf = np.where((self.b == 1) & (xc == 1), np.log(xc) * (self.a - 1)
                               - self._log_beta, log_pdf)
        return np.where(inside, np.exp(log_pdf), 0.0)

    def cdf(self, x: object) -> np.ndarray:
        """Regularised incomplete beta function :math:`I_x(a, b)` (continued fraction)."""
        x = np.clip(_x(x), 0.0, 1.0)
        out = np.zeros_like(x)
        interior = (x > 0) & (x < 1)
        xi = x[interior]
        with np.errstate(divide="ignore"):
            front = np.exp(self.a * np.log(xi) + self.b * np.log1p(-xi) - self._log_beta)
        direct = xi < (self.a + 1) / (self.a + self.b + 2)
        vals = np.empty_like(xi)
        if np.any(direct):
            vals[direct] = front[direct] * _betacf(self.a, self.b, xi[direct]) / self.a
        if np.any(~direct):
            flipped = _betacf(self.b, self.a, 1.0 - xi[~direct])
            vals[~direct] = 1.0 - front[~direct] * flipped / self.b
        out[interior] = vals
        out[x >= 1] = 1.0
        return out

    def mean(self) -> float:
        """:math:`E(X) = a/(a + b)`."""
        return self.a / (self.a + self.b)

    def var(self) -> float:
        """:math:`Var(X) = ab/((a + b)^2(a + b + 1))`."""
        s = self.a + self.b
        return self.a * self.b / (s * s * (s + 1))

    def sample(self, size: int | tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        return _rng(rng).beta(self.a, self.b, _size(size))


#: The distributions of section 1.2, by name, with the parameters the explorer uses.
DISTRIBUTIONS: dict[str, type[Distribution]] = {
    cls.name: cls for cls in (Bernoulli, Binomial, Poisson, Uniform, Normal, Exponential, Beta)
}


def beta_posterior(prior: Beta, flips: object) -> Beta:
    """Conjugate update: a ``Beta(a, b)`` prior and Bernoulli observations ``flips``
    (0/1) give the posterior ``Beta(a + k, b + n - k)`` with ``k`` successes in ``n``."""
    if not isinstance(prior, Beta):
        raise TypeError(f"prior must be a Beta distribution, got {type(prior).__name__}")
    flips = as_float_array(flips, "flips")
    if flips.ndim > 1:
        raise ValueError(f"flips must be 1-dimensional, got shape {flips.shape}")
    if not np.all((flips == 0) | (flips == 1)):
        raise ValueError("flips must contain only 0 (failure) and 1 (success)")
    k = float(flips.sum())
    return Beta(prior.a + k, prior.b + flips.size - k)


def _check_axis(axis: object, x: np.ndarray) -> int:
    axis = check_int(axis, "axis")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis {axis} is out of range for x with {x.ndim} dimension(s)")
    return axis


def sample_mean(x: object, axis: int = -1) -> np.ndarray:
    """Sample mean :math:`\\bar X = \\frac1n\\sum_i X_i` (Eq. (1.17)) along ``axis``."""
    x = as_float_array(x, "x")
    if x.ndim == 0 or x.shape[_check_axis(axis, x)] < 1:
        raise ValueError("x must hold at least one observation along axis")
    return x.mean(axis=axis)


def sample_variance(x: object, axis: int = -1, ddof: int = 1) -> np.ndarray:
    """Sample variance along ``axis``.

    ``ddof=1`` (default) gives the unbiased :math:`S^2 = \\frac{1}{n-1}\\sum_i (X_i - \\bar X)^2`
    of Eq. (1.18); ``ddof=0`` gives the biased :math:`\\frac1n\\sum_i (X_i - \\bar X)^2`,
    whose expectation is :math:`\\frac{n-1}{n}Var(X)` (Eq. (1.19)).
    """
    x = as_float_array(x, "x")
    ddof = check_int(ddof, "ddof", minimum=0)
    if x.ndim == 0:
        raise ValueError("x must hold observations along axis, got a scalar")
    axis = _check_axis(axis, x)
    n = x.shape[axis]
    if n <= ddof:
        raise ValueError(f"x needs more than ddof={ddof} observations along axis, got {n}")
    centred = x - x.mean(axis=axis, keepdims=True)
    return (centred * centred).sum(axis=axis) / (n - ddof)
