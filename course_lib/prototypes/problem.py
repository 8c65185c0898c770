"""``Prototype``: a seeded test problem built from 1-D shapes, noise, scales and combinations.

    u = R (θ − c(t))                         rotation R (none: R = I), optimum moving as c(t)
    z₀ = u₀,  z_i = u_i − κ u_{i−1}²          coupling κ: each coordinate's valley bends
    J(θ) = Σᵢ s_i f_i(z_i)                    the shapes f_i, at scales s_i

Each coordinate z_i has a shape of ``shapes``; ``scales`` multiply the function (a unit
change: the minimizers stay where they are, the gradients grow or shrink with s); the
rotation makes the coordinates interact linearly, the coupling bends the valleys (as in
Rosenbrock's function), the drift moves the optimum by ``drift`` per gradient evaluation
(``t`` counts them: a non-stationary problem).

``grad`` draws the noise: g̃_z = s ⊙ noise(f′(z)) in the shapes' coordinates, then
∇θ = Rᵀ Jᵀ g̃_z (J the coupling's Jacobian), a new draw from the prototype's own seeded
generator at every call. ``loss`` and ``hessian`` are exact (noise-free): runs are judged
on the true loss, and second-order methods see the true curvature. ``minimize`` evaluates
the gradient once per step for its record as well; that draw uses the generator (and, for
a drifting optimum, the clock) like any other.

Rows: the computations take a (rows, dim) array, so that ``suite.SeedStack`` runs several
seeds of one prototype as one problem; every row gets its own generator, and a row's run
is the run of that seed alone.
"""

from __future__ import annotations

import copy
import dataclasses

import numpy as np

from ..objectives.base import Objective
from ..objectives.quadratic import rotation_2d
from ..validation import as_vector, check_positive, check_real
from .noise import Exact, Noise
from .shapes import Shape, shape


def _shapes(shapes) -> tuple:
    items = [shapes] if isinstance(shapes, (str, Shape)) else list(shapes)
    if not items:
        raise ValueError("shapes must name at least one shape")
    return tuple(shape(s) if isinstance(s, str) else s for s in items)


def _rotation(rotation, dim: int):
    if rotation is None:
        return None
    if np.isscalar(rotation):
        if dim != 2:
            raise ValueError(f"a rotation angle needs dim 2, got dim {dim}; pass a matrix")
        return rotation_2d(check_real("rotation", rotation))
    R = np.array(rotation, dtype=float)
    if R.shape != (dim, dim) or not np.allclose(R @ R.T, np.eye(dim), atol=1e-10):
        raise ValueError(f"rotation must be an orthogonal ({dim}, {dim}) matrix")
    return R


def _matvec(M, X):
    """Rows of X times Mᵀ, summed element by element: every row gets exactly the same
    floating-point result whatever the number of rows (a BLAS product may not)."""
    return (X[:, None, :] * M[None, :, :]).sum(axis=-1)


class Prototype(Objective):
    """A seeded prototype problem (see the module docstring).

    - ``shapes``: a shape name (``"bowl"``, ``"abs"``, ``"gauss"``, ``"cliff"``,
      ``"sigmoid"``, ``"line"``, ``"ridge"``) or one per coordinate.
    - ``scales``: s_i, one number or one per coordinate; ``noise``: a ``noise.Noise``.
    - ``rotation``: an angle (2-D) or an orthogonal matrix; ``coupling``: κ; ``drift``:
      the optimum's velocity per gradient evaluation (a vector), or None.
    - ``seed``: seeds the noise (and, through ``theta0(seed)``, the starting point).
    - ``steps``: the step budget a run gets in the suite; ``tol``: the pass tolerance of
      every shape with minimizers, instead of its own; ``criterion(theta, loss)``: your
      own pass test, with ``statement`` saying it in words (default: every z_i passes its
      shape's test, ``Shape.passes``).
    """

    n_examples = None

    def __init__(self, shapes, scales=1.0, noise: Noise | None = None, rotation=None,
                 coupling: float = 0.0, drift=None, seed: int = 0, steps: int = 200,
                 tol: float | None = None, name: str | None = None, criterion=None,
                 statement: str | None = None):
        self.shapes = _shapes(shapes)
        if tol is not None:
            tol = check_positive("tol", tol)
            self.shapes = tuple(dataclasses.replace(s, tol=tol) for s in self.shapes)
        self.dim = len(self.shapes)
        columns: dict = {}
        for i, s in enumerate(self.shapes):
            columns.setdefault(id(s), (s, []))[1].append(i)
        self._shape_groups = [(s, np.array(c)) for s, c in columns.values()]
        self.scales = np.broadcast_to(as_vector("scales", np.atleast_1d(scales)),
                                      (self.dim,)).copy()
        if not np.all(self.scales > 0):
            raise ValueError(f"scales must be > 0, got {self.scales}")
        self.noise = Exact() if noise is None else noise
        if not isinstance(self.noise, Noise):
            raise ValueError(f"noise must be a course_lib.prototypes.noise.Noise, got {noise!r}")
        self.R = _rotation(rotation, self.dim)
        self.coupling = check_real("coupling", coupling)
        self.drift = None if drift is None else as_vector("drift", np.broadcast_to(
            np.asarray(drift, dtype=float), (self.dim,)))
        self.steps = int(steps)
        self.name = name or " + ".join(s.name for s in self.shapes)
        if criterion is not None and not callable(criterion):
            raise ValueError(f"criterion must be callable or None, got {criterion!r}")
        self.criterion, self._statement = criterion, statement
        self.reseed(seed)

    # --- seeds ----------------------------------------------------------------------------
    def reseed(self, seed: int) -> None:
        """Restart the noise generator from ``seed`` and the clock from t = 0."""
        self.seed = int(seed)
        self.rng = np.random.default_rng(self.seed)
        self.t = 0

    def with_seed(self, seed: int) -> Prototype:
        """A copy with its own generator started from ``seed`` (the clock at 0)."""
        twin = copy.copy(self)
        twin.reseed(seed)
        return twin

    def clean(self) -> Prototype:
        """The same problem without noise."""
        twin = self.with_seed(self.seed)
        twin.noise = Exact()
        return twin

    def theta0(self, seed: int | None = None) -> np.ndarray:
        """The start: each z_i at its shape's x₀ (+ spread·u for a seed, u ~ U(−1, 1))."""
        z0 = np.array([s.start for s in self.shapes])
        if seed is not None:
            u = np.random.default_rng([int(seed), 1]).uniform(-1.0, 1.0, self.dim)
            z0 = z0 + np.array([s.spread for s in self.shapes]) * u
        return self.from_z(z0, 0)

    # --- coordinates --------------------------------------------------------------------------
    def center(self, t: int | None = None) -> np.ndarray:
        """c(t): where the optimum's frame sits after t gradient evaluations."""
        t = self.t if t is None else t
        return np.zeros(self.dim) if self.drift is None else self.drift * t

    def to_z(self, Theta, t: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(u, z) for rows of θ (a (rows, dim) array)."""
        U = np.asarray(Theta, dtype=float)
        U = U.reshape(1, -1) if U.ndim == 1 else U
        if self.drift is not None:
            U = U - self.center(t)
        if self.R is not None:
            U = _matvec(self.R, U)
        if not self.coupling:
            return U, U
        Z = U.copy()
        Z[:, 1:] -= self.coupling * U[:, :-1] ** 2
        return U, Z

    def from_z(self, z, t: int | None = None) -> np.ndarray:
        """θ for one point z of the shapes' coordinates (the inverse of ``to_z``)."""
        u = np.array(z, dtype=float)
        for i in range(1, self.dim):
            u[i] = z[i] + self.coupling * u[i - 1] ** 2
        theta = u if self.R is None else self.R.T @ u
        return theta + self.center(t)

    def minimizer(self, t: int | None = None) -> np.ndarray | None:
        """θ* with every z_i at its shape's first minimizer (None if a shape has none)."""
        if any(not s.minimizers for s in self.shapes):
            return None
        return self.from_z(np.array([s.minimizers[0] for s in self.shapes]), t)

    @property
    def min_value(self) -> float:
        return float(sum(c * s.min_value for c, s in zip(self.scales, self.shapes,
                                                         strict=True)))

    # --- the rows' computations ------------------------------------------------------------
    def _apply(self, fn_name, Z):
        """f, f′ or f″ of each column of Z, one call per distinct shape."""
        groups = self._shape_groups
        if len(groups) == 1:
            return np.asarray(getattr(self.shapes[0], fn_name)(Z), dtype=float)
        out = np.empty_like(Z)
        for s, columns in groups:
            out[:, columns] = getattr(s, fn_name)(Z[:, columns])
        return out

    def row_losses(self, Theta, t: int | None = None) -> np.ndarray:
        """J(θ) for each row of θ, noise-free."""
        _, Z = self.to_z(Theta, t)
        with np.errstate(over="ignore", invalid="ignore"):
            return (self._apply("f", Z) * self.scales).sum(axis=1)

    def row_grads(self, Theta, rngs, t: int | None = None) -> np.ndarray:
        """∇θ for each row; row r's noise drawn from ``rngs[r]`` (None: exact)."""
        U, Z = self.to_z(Theta, t)
        D = self._apply("df", Z)
        if rngs is not None and not isinstance(self.noise, Exact):
            D = self.noise.sample_rows(D, rngs)
        G = D * self.scales                                  # ∂J/∂z
        if self.coupling:
            G[:, :-1] -= 2.0 * self.coupling * U[:, :-1] * G[:, 1:]   # ∂J/∂u
        return G if self.R is None else _matvec(self.R.T, G)          # ∂J/∂θ = Rᵀ ∂J/∂u

    def row_passes(self, Theta, losses, t: int | None = None) -> np.ndarray:
        """The pass test for each row (final θ, its loss)."""
        Theta = np.atleast_2d(np.asarray(Theta, dtype=float))
        losses = np.atleast_1d(np.asarray(losses, dtype=float))
        if self.criterion is not None:
            return np.array([bool(self.criterion(th, lo)) for th, lo in zip(Theta, losses,
                                                                              strict=True)])
        _, Z = self.to_z(Theta, t)
        ok = np.all([s.passes(Z[:, i]) for i, s in enumerate(self.shapes)], axis=0)
        return ok & np.isfinite(losses)

    def statement(self) -> str:
        """The pass criterion in words."""
        if self._statement:
            return self._statement
        if self.criterion is not None:
            return "your own criterion"
        parts = sorted({s.statement() for s in self.shapes})
        where = "every z_i" if self.dim > 1 else "z"
        return f"{where}: " + "; ".join(parts) + f" after {self.steps} steps"

    # --- the Objective contract ------------------------------------------------------------
    def loss(self, theta, batch=None) -> float:
        theta = as_vector("theta", theta, self.dim)
        return float(self.row_losses(theta[None, :])[0])

    def grad(self, theta, batch=None) -> np.ndarray:
        theta = as_vector("theta", theta, self.dim)
        g = self.row_grads(theta[None, :], [self.rng])[0]
        self.t += 1                                    # the clock of a drifting optimum
        return g

    def exact_grad(self, theta) -> np.ndarray:
        """The noise-free gradient (no draw, the clock does not move)."""
        theta = as_vector("theta", theta, self.dim)
        return self.row_grads(theta[None, :], None)[0]

    def hessian(self, theta, batch=None) -> np.ndarray:
        """The exact Hessian: Rᵀ (Jᵀ diag(s f″(z)) J + curvature of the coupling) R."""
        return self.hessian_at(as_vector("theta", theta, self.dim))

    def hessian_at(self, theta, t: int | None = None) -> np.ndarray:
        """The Hessian at θ with the optimum's frame at time t (default: now)."""
        U, Z = self.to_z(np.asarray(theta, dtype=float)[None, :], t)
        u = U[0]
        d1 = self._apply("df", Z)[0] * self.scales
        d2 = self._apply("d2f", Z)[0] * self.scales
        J = np.eye(self.dim)                              # ∂z/∂u
        for i in range(1, self.dim):
            J[i, i - 1] = -2.0 * self.coupling * u[i - 1]
        H = J.T @ np.diag(d2) @ J
        if self.coupling:
            H[np.arange(self.dim - 1), np.arange(self.dim - 1)] -= 2.0 * self.coupling * d1[1:]
        return H if self.R is None else self.R.T @ H @ self.R

    def passes(self, theta, loss=None) -> bool:
        """Does a run that ended at ``theta`` pass? (``loss``: its loss, else computed.)"""
        theta = np.asarray(theta, dtype=float)
        loss = self.loss(theta) if loss is None and np.all(np.isfinite(theta)) else loss
        return bool(self.row_passes(theta[None, :], [np.nan if loss is None else loss])[0])

    def describe(self) -> str:
        """One line: shapes, scales, noise, combination."""
        bits = [self.name]
        if not isinstance(self.noise, Exact):
            bits.append(f"{self.noise.name} noise ({self.noise.label()})")
        return ", ".join(bits)
