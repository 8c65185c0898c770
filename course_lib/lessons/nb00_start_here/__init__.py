"""Notebook ``00_start_here``: how the course works, on gradient descent in a bowl.

- ``gd_explorer``: gradient descent zig-zags down an ill-conditioned bowl (the explorer and its
  static companion figure);
- ``steps``: steps to a tolerance against the condition number κ;
- ``checks``: one gradient-descent step; the largest stable rate 2/λ_max.
"""

NOTEBOOK = "00_start_here"
EXPLORERS = ("gd_explorer:gd_explorer",)
EXECUTION_TARGET_S = 15.0      # seconds to run the notebook (benchmarks/benchmark.py)
