"""The default suite of prototype problems: shapes, noise, scales and combinations.

``PROTOTYPES`` maps each name to a factory ``seed → Prototype``; ``prototype(name)`` builds
one, ``default_suite()`` all of them, ``GROUPS`` sorts them into the four kinds of the
notebook (shapes, noise, scales, combinations). Every prototype states its pass criterion
(``Prototype.statement()``); ``NOTES`` says which difficulty it tests and which notebook of
the course explains the failures it provokes.
"""

from __future__ import annotations

import numpy as np

from .noise import Additive, Cauchy, MaskOut, Multiplicative, Sparse
from .problem import Prototype

SCALE_SWEEP = 10.0 ** np.arange(-2, 3)          # s = 0.01, 0.1, 1, 10, 100: four decades
SPARSE_P = (1.0, 0.3, 0.1, 0.03)                # how often each coordinate is seen
DRIFT = 0.02                                    # per gradient evaluation


def _q(**kwargs):
    return lambda seed=0: Prototype(seed=seed, **kwargs)


PROTOTYPES = {
    # --- 1-D shapes, exact gradients ---
    "bowl": _q(shapes="bowl"),
    "abs": _q(shapes="abs"),
    "gauss": _q(shapes="gauss"),
    "cliff": _q(shapes="cliff"),
    "sigmoid": _q(shapes="sigmoid"),
    "line": _q(shapes="line", steps=100),
    "ridge": _q(shapes="ridge"),
    # --- the bowl under five kinds of noise ---
    "bowl · additive": _q(shapes="bowl", noise=Additive(1.0), tol=0.2, steps=400,
                          name="bowl · additive"),
    "bowl · multiplicative": _q(shapes="bowl", noise=Multiplicative(2.0),
                                name="bowl · multiplicative"),
    "bowl · Cauchy": _q(shapes="bowl", noise=Cauchy(0.05), tol=0.1, name="bowl · Cauchy"),
    "bowl · mask-out": _q(shapes="bowl", noise=MaskOut(0.9), steps=400,
                          name="bowl · mask-out"),
    "bowl · sparse": _q(shapes=("bowl",) * len(SPARSE_P), noise=Sparse(SPARSE_P), steps=400,
                        name="bowl · sparse (4-D)"),
    # --- scales over orders of magnitude ---
    "bowl × 0.001": _q(shapes="bowl", scales=0.001, name="bowl × 0.001"),
    "bowl × 1000": _q(shapes="bowl", scales=1000.0, name="bowl × 1000"),
    "scale sweep": _q(shapes=("bowl",) * len(SCALE_SWEEP), scales=SCALE_SWEEP,
                      name="scale sweep (5-D, s = 0.01…100)"),
    # --- 2-D combinations ---
    "rotated": _q(shapes=("bowl", "bowl"), scales=(1.0, 100.0), rotation=np.pi / 6,
                  name="rotated bowl (κ = 100)"),
    "saddle": _q(shapes=("ridge", "bowl"), rotation=np.pi / 4, name="saddle (ridge + bowl)"),
    "coupled": _q(shapes=("bowl", "bowl"), scales=(2.0, 50.0), coupling=0.5, steps=400,
                  name="coupled (banana valley)"),
    "drifting": _q(shapes=("bowl", "bowl"), drift=(DRIFT, DRIFT), steps=400,
                   name="drifting optimum"),
}

GROUPS = {
    "shapes": ("bowl", "abs", "gauss", "cliff", "sigmoid", "line", "ridge"),
    "noise": ("bowl · additive", "bowl · multiplicative", "bowl · Cauchy", "bowl · mask-out",
              "bowl · sparse"),
    "scales": ("bowl × 0.001", "bowl × 1000", "scale sweep"),
    "combinations": ("rotated", "saddle", "coupled", "drifting"),
}

# name → (the difficulty, the notebook that explains the failures it provokes)
NOTES = {
    "bowl": ("none: the control", "00_start_here"),
    "abs": ("a kink: a constant rate bounces around the minimum", "03_sgd_schedules"),
    "gauss": ("a plateau: the slope is tiny far from the well", "02_challenges"),
    "cliff": ("a cliff: a step of slope 12.5 can throw the iterate onto a plateau",
              "02_challenges"),
    "sigmoid": ("a fading slope and no minimizer", "02_challenges"),
    "line": ("no minimum: progress is distance per step", "04_momentum_physics"),
    "ridge": ("a hilltop: zero slope at the start", "02_challenges"),
    "bowl · additive": ("the noise floor of a constant rate", "03_sgd_schedules"),
    "bowl · multiplicative": ("noise proportional to the gradient", "03_sgd_schedules"),
    "bowl · Cauchy": ("heavy tails: single huge gradients", "02_challenges"),
    "bowl · mask-out": ("most gradients lost, the rest 10 times too large",
                        "03_sgd_schedules"),
    "bowl · sparse": ("rare coordinates, seen 1 time in 30", "06_adaptive_rates"),
    "bowl × 0.001": ("a tiny scale: gradients 1000 times smaller", "06_adaptive_rates"),
    "bowl × 1000": ("a large scale: gradients 1000 times larger", "06_adaptive_rates"),
    "scale sweep": ("four decades of scale at once: no single rate fits",
                    "06_adaptive_rates"),
    "rotated": ("ill-conditioning across the axes (κ = 100)", "04_momentum_physics"),
    "saddle": ("a saddle point on the diagonal", "07_second_order"),
    "coupled": ("a bent valley: the coordinates interact", "07_second_order"),
    "drifting": ("a moving optimum: rates that only fall cannot follow it",
                 "06_adaptive_rates"),
}


def prototype(name: str, seed: int = 0) -> Prototype:
    """The default prototype called ``name``, seeded with ``seed``."""
    if name not in PROTOTYPES:
        raise ValueError(f"prototype must be one of {list(PROTOTYPES)}, got {name!r}")
    return PROTOTYPES[name](seed)


def default_suite(names=None) -> dict:
    """{name: Prototype} for ``names`` (default: every prototype of ``PROTOTYPES``)."""
    return {name: prototype(name) for name in (PROTOTYPES if names is None else names)}
