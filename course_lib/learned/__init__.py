"""Learning to learn (Andrychowicz et al. 2016): an update rule whose parameters φ are
learned on a family of problems, instead of designed by hand.

- ``rule``: the rule g_φ (four parameters, coordinate-wise) and ``LearnedOptimizer``, which
  puts it in the course's ``Optimizer`` contract;
- ``families``: batches of problems to learn on and to test on (random quadratics, small
  regressions);
- ``meta``: the meta-loss and its evolution-strategies gradient, as an ``Objective`` in φ,
  and ``meta_train`` (the course's Adam on it).

Hypergradient descent (``course_lib.optim.HypergradientSGD``) is the simplest learned rule:
one parameter, the learning rate, learned during the run itself.
"""

from .families import QuadraticBatch, random_quadratics, small_regressions
from .meta import MetaObjective, MetaResult, meta_loss, meta_train, training_family, unroll
from .rule import LearnedOptimizer, LearnedState, from_readable, readable, steady_update

__all__ = ["LearnedOptimizer", "LearnedState", "readable", "from_readable", "steady_update",
           "QuadraticBatch", "random_quadratics", "small_regressions", "MetaObjective",
           "MetaResult", "meta_loss", "meta_train", "training_family", "unroll"]
