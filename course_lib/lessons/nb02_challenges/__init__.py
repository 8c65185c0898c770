"""Notebook ``02_challenges`` (section 8.2): why training deep models is hard.

In notebook order: ``ill_conditioning`` (the gradient norm grows while the loss falls; the
two Taylor terms on a network trained on digits, figure 8.1), ``symmetry`` (weight-space
symmetry), ``saddles`` (critical points of a small network: index against loss),
``plateaus`` (gradient descent leaves a saddle after a plateau, Newton is drawn to it),
``cliffs`` and ``cliff_explorer`` (figure 8.3: a step on the wall, clipping), ``vanishing``
(products of Jacobians, an RNN through time), ``local_global`` (a path around a mountain,
figure 8.4); ``checks`` (a package: one module per exercise).
"""

NOTEBOOK = "02_challenges"
EXPLORERS = ("cliff_explorer:cliff_explorer", "cliff_explorer:reference_plugged_in")
EXECUTION_TARGET_S = 20.0      # seconds to run the notebook (benchmarks/benchmark.py)
