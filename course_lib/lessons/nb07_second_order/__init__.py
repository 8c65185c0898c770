"""Notebook ``07_second_order`` (section 8.6): approximate second-order methods.

In notebook order: ``newton`` (one step, doubling digits, the saddle, damping),
``newton_cost`` (the cost of a step), ``conjugate`` (the zig-zag, linear and nonlinear CG),
``scipy_comparison`` (BFGS, L-BFGS, CG against scipy.optimize; L-BFGS at n = 10⁵),
``hessian_free`` (on a small network), ``coordinate`` (coordinate descent against Newton),
``second_order_explorer``; ``checks`` (a package: one module per exercise).
"""

NOTEBOOK = "07_second_order"
EXPLORERS = ("second_order_explorer:second_order_explorer",)
EXECUTION_TARGET_S = 30.0      # seconds to run the notebook (benchmarks/benchmark.py)
