"""Notebook ``00_start_here``: how the course works, on gradient descent in a bowl.

- ``gd_explorer``: gradient descent zig-zags down an ill-conditioned bowl (the explorer, its
  static companion figure, and the default run beside the best constant rate);
- ``limit_explorer``: Exercise 2's predict-then-reveal explorer (the largest ε that converges);
- ``steps``: steps to a tolerance against the condition number κ;
- ``checks``: one gradient-descent step; the largest stable rate 2/λ_max; the other ε with
  the same rate.
"""

NOTEBOOK = "00_start_here"
EXPLORERS = ("gd_explorer:gd_explorer", "limit_explorer:limit_explorer")
EXECUTION_TARGET_S = 15.0      # seconds to run the notebook (benchmarks/benchmark.py)
