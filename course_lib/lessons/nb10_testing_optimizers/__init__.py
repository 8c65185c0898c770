"""Notebook ``10_testing_optimizers``: unit tests for optimizers, and learning to learn.

In notebook order: ``gallery`` (the suite drawn, its noise measured), ``matrix`` (a reduced
sweep and the results matrix), ``findings`` (each failure linked to the notebook that
explains it, robustness over the grid), ``own_optimizer`` (your step function in the
matrix), ``hypergradient`` (SGD-HD raising a rate), ``learning`` (meta-training the learned
rule, where it generalizes and where it breaks, what φ learned), ``testing_explorer`` (an
optimizer, its hyperparameters and a prototype → the path and the loss curve),
``rate_explorer`` (your ``hypergradient_step`` beside the reference); ``checks``.
"""

NOTEBOOK = "10_testing_optimizers"
EXPLORERS = ("testing_explorer:testing_explorer", "rate_explorer:reference_plugged_in")
EXECUTION_TARGET_S = 20.0      # seconds to run the notebook (benchmarks/benchmark.py)
