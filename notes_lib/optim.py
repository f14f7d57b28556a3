"""Gradient descent (section 2.8 of the notes), the one loop the book uses.

* :func:`gradient_descent` — iterate :math:`\\vec w \\leftarrow \\vec w - \\eta \\nabla\\mathcal L`
  (Eq. (2.64)) until the step is small, or stop with a :class:`RuntimeWarning` when it
  diverges or reaches ``max_iter``. Stochastic gradient descent (section 2.2) is the same
  loop fed with the gradient of one example per step.
* :class:`Quadratic` — :math:`f(\\theta) = \\tfrac12 \\theta^\\top A \\theta - b^\\top \\theta`,
  the model problem on which the step-size condition :math:`\\eta < 2/\\lambda_{\\max}(A)`
  is exact (:func:`max_stable_eta`).
* :func:`numerical_gradient` — central finite differences, to check gradients.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_int, check_scalar

__all__ = ["GDResult", "Quadratic", "gradient_descent", "max_stable_eta", "numerical_gradient"]

Gradient = Callable[[np.ndarray], np.ndarray]
Objective = Callable[[np.ndarray], float]


@dataclass(frozen=True)
class GDResult:
    """What :func:`gradient_descent` returns.

    Attributes
    ----------
    theta : ndarray, shape (d,)
        The last finite iterate.
    path : ndarray, shape (n_iter + 1, d)
        Every iterate, the start included.
    losses : ndarray, shape (n_iter + 1,) or None
        :math:`f` at every iterate, when ``f`` was given.
    n_iter : int
        Number of updates done.
    converged : bool
        The last step was below the tolerance.
    diverged : bool
        The gradient grew by more than ``divergence_ratio`` (or stopped being finite);
        the loop stopped there.
    """

    theta: np.ndarray
    path: np.ndarray
    losses: np.ndarray | None
    n_iter: int
    converged: bool
    diverged: bool


def gradient_descent(
    grad: Gradient,
    theta0: object,
    eta: float,
    *,
    max_iter: int = 1000,
    tol: float = 1e-8,
    f: Objective | None = None,
    divergence_ratio: float = 1e6,
    warn: bool = True,
) -> GDResult:
    """Gradient descent :math:`\\theta_{k+1} = \\theta_k - \\eta \\nabla f(\\theta_k)` (Eq. (2.64)).

    The first-order Taylor expansion :math:`f(\\theta + \\Delta\\theta) \\approx f(\\theta) +
    \\nabla f^\\top \\Delta\\theta` (Eq. (2.62)) with :math:`\\Delta\\theta = -\\eta\\nabla f`
    (Eq. (2.63)) makes the change :math:`-\\eta\\|\\nabla f\\|_2^2 \\le 0` — for small enough
    :math:`\\eta`. For too large an :math:`\\eta` the iterates can grow without bound; the loop
    detects that instead of returning NaN.

    Parameters
    ----------
    grad : callable
        ``grad(theta)`` returns :math:`\\nabla f(\\theta)`, an array of ``theta``'s shape. It is
        called once per step, in order, so a stateful callable can return the gradient of one
        example per step (stochastic gradient descent).
    theta0 : array_like, shape (d,)
        Starting point.
    eta : float
        Learning rate :math:`\\eta > 0`.
    max_iter : int, default 1000
        Maximum number of updates.
    tol : float, default 1e-8
        Stop when :math:`\\|\\eta\\nabla f\\|_2 \\le \\mathrm{tol}\\,\\max(1, \\|\\theta\\|_2)`.
    f : callable, optional
        ``f(theta)``, recorded at every iterate in ``losses``.
    divergence_ratio : float, default 1e6
        Declare divergence when :math:`\\|\\nabla f(\\theta_k)\\|` exceeds this multiple of
        :math:`\\|\\nabla f(\\theta_0)\\|` or any value stops being finite.
    warn : bool, default True
        Warn (:class:`RuntimeWarning`) on divergence and when ``max_iter`` is reached.

    Returns
    -------
    GDResult
    """
    if not callable(grad):
        raise TypeError(f"grad must be callable, got {type(grad).__name__}")
    if f is not None and not callable(f):
        raise TypeError(f"f must be callable or None, got {type(f).__name__}")
    theta = as_float_array(theta0, "theta0", ndim=1).copy()
    eta = check_scalar(eta, "eta", minimum=0, exclusive=True)
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    tol = check_scalar(tol, "tol", minimum=0)
    divergence_ratio = check_scalar(divergence_ratio, "divergence_ratio", minimum=1,
                                    exclusive=True)

    path = [theta.copy()]
    losses = [float(f(theta))] if f is not None else None
    g0_norm = None
    converged = diverged = False
    n_iter = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(max_iter):  # the updates are sequential
            g = np.asarray(grad(theta), dtype=float)
            if g.shape != theta.shape:
                raise ValueError(f"grad returned shape {g.shape}, expected {theta.shape}")
            g_norm = float(np.linalg.norm(g))
            if g0_norm is None:
                g0_norm = max(g_norm, np.finfo(float).tiny)
            if not np.isfinite(g_norm) or g_norm > divergence_ratio * g0_norm:
                diverged = True
                break
            step = eta * g
            new_theta = theta - step
            loss = float(f(new_theta)) if f is not None else 0.0
            if not (np.all(np.isfinite(new_theta)) and np.isfinite(loss)):
                diverged = True
                break
            theta = new_theta
            n_iter += 1
            path.append(theta.copy())
            if losses is not None:
                losses.append(loss)
            if float(np.linalg.norm(step)) <= tol * max(1.0, float(np.linalg.norm(theta))):
                converged = True
                break
    if warn and diverged:
        warnings.warn(
            f"gradient descent diverged after {n_iter} updates (eta={eta:g}): the gradient "
            f"grew by more than divergence_ratio={divergence_ratio:g}; decrease eta",
            RuntimeWarning,
            stacklevel=2,
        )
    elif warn and not converged:
        warnings.warn(
            f"gradient descent did not converge after max_iter={max_iter} updates "
            f"(eta={eta:g}, tol={tol:g}); increase max_iter or eta",
            RuntimeWarning,
            stacklevel=2,
        )
    return GDResult(
        theta=theta,
        path=np.array(path),
        losses=None if losses is None else np.array(losses),
        n_iter=n_iter,
        converged=converged,
        diverged=diverged,
    )


def max_stable_eta(A: object) -> float:
    """The largest stable learning rate :math:`2/\\lambda_{\\max}(A)` for a quadratic.

    On :math:`f(\\theta) = \\tfrac12\\theta^\\top A\\theta - b^\\top\\theta` with symmetric
    positive semi-definite :math:`A`, gradient descent multiplies the error's component along
    each eigenvector :math:`u_i` by :math:`1 - \\eta\\lambda_i`; it converges for every start
    iff :math:`|1 - \\eta\\lambda_i| < 1` for every :math:`\\lambda_i > 0`, i.e.
    :math:`0 < \\eta < 2/\\lambda_{\\max}`.

    Parameters
    ----------
    A : array_like, shape (d, d)
        Symmetric positive semi-definite, not zero.
    """
    A = _check_symmetric(A)
    lam_max = float(np.linalg.eigvalsh(A)[-1])
    if lam_max <= 0:
        raise ValueError("A must have a positive eigenvalue")
    return 2.0 / lam_max


def _check_symmetric(A: object) -> np.ndarray:
    A = as_float_array(A, "A", ndim=2)
    if A.shape[0] != A.shape[1]:
        raise ValueError(f"A must be square, got shape {A.shape}")
    if not np.allclose(A, A.T, rtol=1e-10, atol=1e-12):
        raise ValueError("A must be symmetric")
    return A


class Quadratic:
    """:math:`f(\\theta) = \\tfrac12\\theta^\\top A\\theta - b^\\top\\theta`, gradient
    :math:`A\\theta - b`, Hessian :math:`A`.

    The least-squares loss of section 2.2 is one: :math:`A = X^\\top X`, :math:`b = X^\\top Y`,
    up to the constant :math:`\\tfrac12 Y^\\top Y`.

    Parameters
    ----------
    A : array_like, shape (d, d)
        Symmetric positive semi-definite.
    b : array_like, shape (d,), optional
        Default zero.
    """

    def __init__(self, A: object, b: object = None) -> None:
        A = _check_symmetric(A)
        if np.linalg.eigvalsh(A)[0] < -1e-10 * max(1.0, float(np.abs(A).max())):
            raise ValueError("A must be positive semi-definite")
        self.A = A
        d = A.shape[0]
        self.b = np.zeros(d) if b is None else as_float_array(b, "b", ndim=1)
        if self.b.shape != (d,):
            raise ValueError(f"b must have shape ({d},), got {self.b.shape}")

    def __call__(self, theta: object) -> float:
        theta = np.asarray(theta, dtype=float)
        return float(0.5 * theta @ self.A @ theta - self.b @ theta)

    def value_grid(self, T1: np.ndarray, T2: np.ndarray) -> np.ndarray:
        """:math:`f` on a 2-D mesh (``d == 2``), vectorised, for contour plots."""
        if self.A.shape[0] != 2:
            raise ValueError("value_grid needs a 2-dimensional quadratic")
        (a, c), (_, d) = self.A
        return 0.5 * (a * T1**2 + 2 * c * T1 * T2 + d * T2**2) - self.b[0] * T1 - self.b[1] * T2

    def grad(self, theta: object) -> np.ndarray:
        """:math:`\\nabla f(\\theta) = A\\theta - b`."""
        return self.A @ np.asarray(theta, dtype=float) - self.b

    @property
    def max_stable_eta(self) -> float:
        """:math:`2/\\lambda_{\\max}(A)`, see :func:`max_stable_eta`."""
        return max_stable_eta(self.A)

    def minimiser(self) -> np.ndarray:
        """The minimum-norm minimiser :math:`A^{+} b` (unique when :math:`A` is invertible)."""
        return np.linalg.lstsq(self.A, self.b, rcond=None)[0]


def numerical_gradient(f: Objective, theta: object, h: float = 1e-6) -> np.ndarray:
    """Central finite differences :math:`(f(\\theta + h e_j) - f(\\theta - h e_j)) / 2h`.

    Parameters
    ----------
    f : callable
        Scalar function of a 1-D array.
    theta : array_like, shape (d,)
    h : float, default 1e-6
        Step, ``h > 0``.
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    from .nn.layers import numerical_gradient as perturbing

    point = as_float_array(theta, "theta", ndim=1).copy()
    h = check_scalar(h, "h", minimum=0, exclusive=True)
    # The same central differences as for network parameters, perturbing a copy in place.
    return perturbing(lambda: f(point), point, eps=h)
