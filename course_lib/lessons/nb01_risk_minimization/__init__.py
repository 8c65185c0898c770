"""Notebook ``01_risk_minimization`` (section 8.1): how learning differs from pure optimization.

In notebook order: ``risk_gap`` (empirical against true risk as the training set grows, with a
polynomial that can overfit), ``surrogates`` (the four margin losses; the test 0-1 error keeps
falling after the training 0-1 error is zero, on separable data and on digits), ``stopping``
(early stopping on digits, a figure like the book's 7.3), ``gradient_noise`` (the σ/√m law,
duplicated data), ``ordering`` (ordered against shuffled streams), ``fresh_data`` (one pass
over fresh examples follows the true-risk gradient, 8.1.3), ``risk_explorer`` (training-set
size, capacity and batch size → training and true risk); ``checks`` (the exercises).
"""

NOTEBOOK = "01_risk_minimization"
EXPLORERS = ("risk_explorer:risk_explorer",)
EXECUTION_TARGET_S = 30.0      # seconds to run the notebook (benchmarks/benchmark.py)
