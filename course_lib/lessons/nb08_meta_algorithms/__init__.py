"""Notebook ``08_meta_algorithms`` (sections 8.7.1–8.7.5): strategies around the optimizer.

In notebook order: ``task`` (the standardized digits and the training loops), ``chain`` (the
deep linear chain: one step on every weight against its first-order prediction),
``bn_training`` (a deep network with and without batch normalization, over weight scales and
seeds), ``bn_inference`` (training against inference mode, and the bugs), ``coordinate``
(coordinate descent: a separable problem and the book's coupled one), ``polyak`` (Polyak
averaging on a noisy quadratic, the moving average on a network), ``pretrain`` (greedy
supervised pretraining against training from scratch), ``skip`` (skip connections and the
gradient at the first layers), ``averaging_explorer``; ``checks``.
"""

NOTEBOOK = "08_meta_algorithms"
EXPLORERS = ("averaging_explorer:averaging_explorer",)
EXECUTION_TARGET_S = 30.0      # seconds to run the notebook (benchmarks/benchmark.py)
