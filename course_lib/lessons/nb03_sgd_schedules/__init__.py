"""Notebook ``03_sgd_schedules`` (section 8.3.1): SGD (Algorithm 8.1) and its schedules.

In notebook order:

- ``running_example``: linear regression with noisy labels, and many SGD runs at once;
- ``cost``: examples per update; ``noise_floor``: constant against decaying rates;
- ``schedule_explorer``: eq. 8.14's three knobs and the batch size;
- ``initial_rate``: the best ε₀ early against late; ``convergence_rates``: O(1/√k), O(1/k);
- ``gradient_noise``: 1/√m; ``epochs``: epochs and reshuffling;
- ``conditions``: eqs. 8.12–8.13; ``checks``: the exercises.
"""

NOTEBOOK = "03_sgd_schedules"
EXPLORERS = ("schedule_explorer:linear_explorer",)
EXECUTION_TARGET_S = 20.0      # seconds to run the notebook (benchmarks/benchmark.py)
