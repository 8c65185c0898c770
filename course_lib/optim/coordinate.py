"""Coordinate descent and block coordinate descent (section 8.6.3).

Minimize J over one coordinate (or one block of coordinates) at a time, holding the others
fixed, and go round the blocks. This pays off when the blocks play nearly separate roles
(e.g. dictionary and codes in sparse coding), and fails when one variable's best value
depends strongly on another's: on the book's f(x) = (x₁ − x₂)² + α(x₁² + x₂²)
(``objectives.CoupledQuadratic``) a sweep shrinks x by only (1 + α)⁻², so the number of
sweeps grows like 1/α as α → 0, while Newton's method needs one step.

One ``step`` is one **sweep**: every block is updated once, in turn, each update seeing the
ones before it. For each block b (with g_b and H_bb the block's part of ∇J and of the
Hessian at the current θ):

- ``mode="exact"``: δ = −H_bb⁻¹ g_b (a solve), θ_b ← θ_b + δ. This is Newton's method
  restricted to the block, so it is the exact minimizer along the block when J is
  quadratic (and only an approximation otherwise: "exact" means exact for quadratics).
  H_bb is assembled from Hessian-vector products with the block's unit vectors
  (``oracle.hvp``; |b| products). If H_bb is singular or δ does not go downhill (J is
  not convex along the block) the block falls back to the line search below, counted in
  ``state.fallbacks``.
- ``mode="line_search"``: θ ← θ + η d with d = −g_b on the block (0 elsewhere) and η from
  Armijo backtracking (first trial ``eta0``, halving, constant ``c``).

Each block update asks for a fresh gradient: a sweep over n single coordinates costs n
gradient evaluations, since a general objective cannot give one partial derivative alone.
With one block holding every coordinate, ``mode="exact"`` is exactly a Newton step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..validation import check_int, check_interval, check_positive
from .base import Optimizer, frozen
from .line_search import backtracking

MODES = ("exact", "line_search")
ORDERS = ("cyclic", "random")


@dataclass(frozen=True, eq=False)
class CoordinateDescentState:
    k: int = 0                      # sweeps done
    fallbacks: int = 0              # "exact" block updates that used the line search instead
    path: np.ndarray | None = None  # with keep_path: θ before and after each block update


def _as_blocks(block):
    """An int (block size) or a list of index arrays (validated for range in ``_blocks``)."""
    if isinstance(block, (int, np.integer)) and not isinstance(block, bool):
        return check_int("block", block, minimum=1)
    try:
        blocks = [np.asarray(b) for b in block]
    except TypeError as err:
        raise ValueError(f"block must be an int >= 1 or a list of index arrays, "
                         f"got {block!r}") from err
    if not blocks:
        raise ValueError("block must hold at least one index array, got []")
    for i, b in enumerate(blocks):
        if b.ndim != 1 or b.size == 0 or not np.issubdtype(b.dtype, np.integer):
            raise ValueError(f"block[{i}] must be a non-empty 1-D array of integer indices, "
                             f"got {b!r}")
        if np.unique(b).size != b.size:
            raise ValueError(f"block[{i}] repeats an index: {b.tolist()}")
    return tuple(blocks)


class CoordinateDescent(Optimizer):
    """(Block) coordinate descent (section 8.6.3); one ``step`` is one sweep over the blocks.

    - ``mode``: ``"exact"`` (Newton on the block: exact for quadratics) or
      ``"line_search"`` (Armijo backtracking along −g_b).
    - ``block``: an int b ≥ 1 (consecutive blocks of b coordinates; 1 = plain coordinate
      descent), or a list of index arrays that together cover every coordinate.
    - ``order``: ``"cyclic"`` (the blocks in the given order) or ``"random"`` (a new
      permutation every sweep, drawn from ``seed`` and the sweep number: reproducible).
    - ``eta0``, ``c``: first trial step and Armijo constant of the line search.
    - ``keep_path``: if True, ``state.path`` holds the points of the last sweep, one row
      before and one after each block update (the staircase to draw); default False.
    """

    def __init__(self, mode="exact", block=1, order="cyclic", seed=0, eta0=1.0, c=1e-4,
                 keep_path=False):
        if mode not in MODES:
            raise ValueError(f"mode must be 'exact' or 'line_search', got {mode!r}")
        if order not in ORDERS:
            raise ValueError(f"order must be 'cyclic' or 'random', got {order!r}")
        self.mode, self.order = mode, order
        self.block = _as_blocks(block)
        self.seed = check_int("seed", seed, minimum=0)
        self.eta0 = check_positive("eta0", eta0)
        self.c = check_interval("c", c, 0.0, 1.0, closed_low=False)
        if not isinstance(keep_path, bool):
            raise ValueError(f"keep_path must be True or False, got {keep_path!r}")
        self.keep_path = keep_path

    def blocks(self, n: int) -> list[np.ndarray]:
        """The blocks of index arrays for a θ of n coordinates, in cyclic order."""
        if isinstance(self.block, int):
            return [np.arange(i, min(i + self.block, n)) for i in range(0, n, self.block)]
        covered = np.zeros(n, dtype=bool)
        for i, b in enumerate(self.block):
            if b.min() < 0 or b.max() >= n:
                raise ValueError(f"block[{i}] has indices outside [0, {n - 1}]: {b.tolist()}")
            covered[b] = True
        if not covered.all():
            raise ValueError(f"block must cover every coordinate; missing "
                             f"{np.flatnonzero(~covered).tolist()}")
        return list(self.block)

    def init(self, theta) -> CoordinateDescentState:
        self.blocks(np.asarray(theta).size)         # fail now, not at the first step
        return CoordinateDescentState()

    def step(self, theta, state: CoordinateDescentState, oracle):
        theta = np.array(theta, dtype=float)        # a copy: the caller's θ is not touched
        k, fallbacks = state.k + 1, state.fallbacks
        blocks = self.blocks(theta.size)
        if self.order == "random":
            blocks = [blocks[i] for i in np.random.default_rng([self.seed, k]).permutation(
                len(blocks))]
        path = [theta]                      # updates make new arrays: no copies needed
        for b in blocks:                                        # for each block b in turn:
            theta, fell_back = self._update_block(theta, b, oracle)
            fallbacks += fell_back
            path.append(theta)
        path = frozen(np.array(path)) if self.keep_path else None
        return theta, CoordinateDescentState(k, fallbacks, path)

    def _update_block(self, theta, b, oracle) -> tuple[np.ndarray, bool]:
        """One block update; returns the new θ and whether "exact" fell back to the search."""
        g = np.asarray(oracle.grad(theta), dtype=float)         # g ← ∇J(θ); g_b is its part
        if not np.any(g[b]):                                    # already minimal along b
            return theta, False
        if self.mode == "exact":
            delta = self._newton_on_block(theta, b, g, oracle)
            if delta is not None:
                theta = theta.copy()
                theta[b] += delta                               # θ_b ← θ_b − H_bb⁻¹ g_b
                return theta, False
        fell_back = self.mode == "exact"
        return self._search_on_block(theta, b, g, oracle), fell_back    # θ ← θ + η d

    @staticmethod
    def _newton_on_block(theta, b, g, oracle):
        """δ = −H_bb⁻¹ g_b, or None if H_bb is singular or δ does not descend."""
        columns = []
        for j in b:                                             # H e_j: column j of H
            e = np.zeros(theta.size)
            e[j] = 1.0
            columns.append(np.asarray(oracle.hvp(theta, e), dtype=float)[b])
        H_bb = np.column_stack(columns)                         # H_bb, the block's curvature
        try:
            delta = np.linalg.solve(H_bb, -g[b])                # δ ← −H_bb⁻¹ g_b (a solve)
        except np.linalg.LinAlgError:
            return None
        return delta if g[b] @ delta < 0 else None

    def _search_on_block(self, theta, b, g, oracle):
        d = np.zeros(theta.size)
        d[b] = -g[b]                                            # d ← −g on b, 0 elsewhere
        f = float(oracle.loss(theta))
        ls = backtracking(oracle, theta, d, f, g, eta0=self.eta0, c=self.c)
        return theta + ls.eta * d if ls.success else theta      # θ ← θ + η d
