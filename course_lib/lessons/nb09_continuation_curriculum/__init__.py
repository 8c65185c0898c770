"""Notebook ``09_continuation_curriculum`` (section 8.7.6): continuation methods, simulated
annealing, curriculum learning and hints.

In notebook order: ``basins`` (gradient descent from many starts on a 1-D function with
eight local minima), ``blur`` (the blurred family J_σ with its tracked minimum, Monte Carlo
against the closed form, the convexity threshold), ``drift`` (where continuation fails),
``sigma_explorer`` (the 2-D σ-schedule explorer and its budget challenge),
``annealing_runs`` (slow against fast cooling), ``curriculum_runs`` (five samplers on noisy
digits, and their weights per stage), ``pace_explorer`` (the curriculum-pace explorer),
``hints_runs`` (a deep, thin network with and without a hint); ``checks``.
"""

NOTEBOOK = "09_continuation_curriculum"
EXPLORERS = ("sigma_explorer:sigma_explorer", "pace_explorer:pace_explorer")
EXECUTION_TARGET_S = 30.0      # seconds to run the notebook (benchmarks/benchmark.py)
