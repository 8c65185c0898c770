"""Notebook ``07_second_order`` (section 8.6): approximate second-order methods.

In notebook order: ``newton`` (one step, doubling digits, the saddle), ``damping`` (eq. 8.28
on the double well), ``newton_cost`` (the cost of a step: counts, and medians of timed
repeats), ``conjugate`` (the zig-zag, linear and nonlinear CG), ``scipy_comparison`` (BFGS,
L-BFGS, CG against scipy.optimize; L-BFGS at n = 10⁵), ``bfgs_start`` (BFGS's initial matrix
decided by measurement), ``hessian_free`` (Gauss–Newton and true Hessian on a small network,
over seeds), ``coordinate`` (coordinate descent against Newton), ``second_order_explorer``,
``learner_explorer`` (the learner's newton_step beside the reference); ``checks`` (a package:
one module per exercise).
"""

NOTEBOOK = "07_second_order"
EXPLORERS = ("second_order_explorer:second_order_explorer",
             "learner_explorer:reference_plugged_in")
EXECUTION_TARGET_S = 20.0      # seconds to run the notebook (benchmarks/benchmark.py)
