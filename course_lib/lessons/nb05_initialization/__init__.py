"""Notebook ``05_initialization`` (section 8.4): where training starts, and why it matters.

In notebook order: ``task`` (the digits, standardized, and the deep networks trained on them),
``spread`` (activations and back-propagated gradients layer by layer for several scales),
``orthogonal_depth`` (a deep linear network: orthogonal against Gaussian starts, depth 2–30),
``sparse_init`` (exactly k incoming weights), ``symmetry`` (identical units stay identical),
``biases`` (the output bias from the targets' marginal statistics, ReLU and forget-gate
biases), ``schemes`` (one network trained from every scheme, over seeds), ``init_explorer``;
``checks``.
"""

NOTEBOOK = "05_initialization"
EXPLORERS = ("init_explorer:init_explorer",)
EXECUTION_TARGET_S = 30.0      # seconds to run the notebook (benchmarks/benchmark.py)
