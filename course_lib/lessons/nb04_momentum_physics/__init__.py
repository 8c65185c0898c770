"""Notebook ``04_momentum_physics`` (sections 8.3.2–8.3.3): momentum and Nesterov momentum.

In notebook order: ``canyon`` (figure 8.5's zig-zag against momentum), ``terminal``
(eq. 8.17), ``drag`` (the particle of eqs. 8.18–8.20 with three drag laws, semi-implicit Euler,
turbulent drag's 1/t settling), ``tuning`` (the heavy ball's rate over (ε, α), κ against √κ
steps), ``convex`` (Nesterov's O(1/k²) taken apart: look-ahead and growing α, with and without
each; the heavy ball's cycle on Lessard's function), ``noise`` (momentum against SGD at the same
ε/(1 − α) on noisy gradients: the same noise floor), ``momentum_explorer`` (with the tuning
challenge's badge), ``learner_explorer`` (your ``momentum_step`` and ``nesterov_step`` beside
the reference), ``diagnose`` (four broken runs for exercise 5); ``checks`` (a package, one
module per exercise).
"""

NOTEBOOK = "04_momentum_physics"
EXPLORERS = ("momentum_explorer:momentum_explorer", "learner_explorer:reference_plugged_in")
EXECUTION_TARGET_S = 20.0      # seconds to run the notebook (benchmarks/benchmark.py)
