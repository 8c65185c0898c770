"""Notebook ``03_sgd_schedules`` (section 8.3.1): SGD (Algorithm 8.1) and its schedules.

In notebook order:

- ``running_example``: linear regression with noisy labels, and many SGD runs at once;
- ``cost``: examples per update; ``noise_floor``: constant against decaying rates;
- ``schedule_explorer``: eq. 8.14's three knobs and the batch size (and Exercise 3's badge);
- ``initial_rate``: the best ε₀ early against late; ``convergence_rates``: O(1/√k), O(1/k);
- ``statistical_limit``: the Cramér–Rao bound and why O(1/k) is enough (Bottou–Bousquet);
- ``gradient_noise``: 1/√m; ``growing_batch``: a growing minibatch instead of a decaying ε;
- ``epochs``: epochs and reshuffling; ``conditions``: eqs. 8.12–8.13;
- ``lr_diagnosis``: Exercise 4, ε₀ from the first 100 iterations; ``checks``: the exercises.
"""

NOTEBOOK = "03_sgd_schedules"
EXPLORERS = ("schedule_explorer:linear_explorer", "schedule_explorer:tuning_explorer")
EXECUTION_TARGET_S = 20.0      # seconds to run the notebook (benchmarks/benchmark.py)
