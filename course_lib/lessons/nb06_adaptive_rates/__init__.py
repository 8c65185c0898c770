"""Notebook ``06_adaptive_rates`` (section 8.5): a learning rate per parameter.

In notebook order: ``adagrad`` (scaling, ε/√t, the stall; its state panels come from
``state_panels``), ``adam`` (bias correction, scale invariance, AdaDelta's units), ``noise``
(delta-bar-delta and vSGD under minibatch noise), ``compare`` (a grid-tuned comparison),
``runs`` and ``adaptive_explorer`` (the explorer of several optimizers side by side),
``learner_explorer`` (the learner's update rules beside the reference), ``tuning`` (one
method tuned for the tuning exercise); ``checks`` (a package: one module per exercise kind).
"""

NOTEBOOK = "06_adaptive_rates"
EXPLORERS = ("adaptive_explorer:adaptive_explorer", "learner_explorer:reference_plugged_in",
             "tuning:solved_tuning_explorer")
EXECUTION_TARGET_S = 20.0      # seconds to run the notebook (benchmarks/benchmark.py)
