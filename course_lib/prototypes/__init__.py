"""Unit tests for optimizers (Schaul, Antonoglou & Silver 2014, "Unit tests for stochastic
optimization"): small prototype problems with one known difficulty each, and a runner that
sweeps optimizers over them.

- ``shapes``: the 1-D shapes (bowl, absolute value, Gaussian well with plateaus, cliff,
  sigmoid, line, ridge), each with its pass test;
- ``noise``: the gradient noise models (additive Gaussian, multiplicative, Cauchy, mask-out,
  sparse), seeded, with their stated distributions;
- ``problem``: ``Prototype``, shapes × scales × noise combined in n-D (rotations, coupling,
  a drifting optimum), an ``Objective`` for ``minimize`` and every optimizer;
- ``catalog``: the default suite (``prototype(name)``, ``default_suite()``);
- ``contenders``: the optimizers and their hyperparameter grids (``OptimizerSpec``,
  ``default_contenders()``), and ``from_step`` for a learner's own step function;
- ``suite``: ``run_suite`` (the sweep), ``run_one`` (one run), ``SeedStack``;
- ``table``: ``ResultTable``, the tidy records and their summaries.
"""

from .catalog import GROUPS, NOTES, PROTOTYPES, default_suite, prototype
from .contenders import (
    LR_GRID,
    OptimizerSpec,
    StepFunction,
    default_contenders,
    from_step,
    learned_meta,
    learned_phi,
    spec,
)
from .noise import Additive, Cauchy, Exact, MaskOut, Multiplicative, Noise, Sparse
from .problem import Prototype
from .shapes import SHAPES, Shape, shape
from .suite import DEFAULT_SEEDS, SeedStack, run_one, run_suite
from .table import ResultTable

__all__ = ["Prototype", "Shape", "SHAPES", "shape", "Noise", "Exact", "Additive",
           "Multiplicative", "Cauchy", "MaskOut", "Sparse", "PROTOTYPES", "GROUPS", "NOTES",
           "prototype", "default_suite", "OptimizerSpec", "spec", "StepFunction", "from_step",
           "default_contenders", "learned_meta", "learned_phi", "LR_GRID", "run_suite", "run_one",
           "SeedStack", "DEFAULT_SEEDS", "ResultTable"]
