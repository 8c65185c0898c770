"""Notebook ``04_momentum_physics`` (sections 8.3.2–8.3.3): momentum and Nesterov momentum.

In notebook order: ``canyon`` (figure 8.5's zig-zag against momentum), ``terminal``
(eq. 8.17), ``drag`` (the particle of eqs. 8.18–8.20 with three drag laws), ``tuning`` (the
heavy ball's rate over (ε, α), κ against √κ steps), ``convex`` (Nesterov's O(1/k²)),
``momentum_explorer`` (with the tuning challenge's badge), ``learner_explorer`` (your
``momentum_step`` and ``nesterov_step`` beside the reference); ``checks``.
"""

NOTEBOOK = "04_momentum_physics"
EXPLORERS = ("momentum_explorer:momentum_explorer", "learner_explorer:reference_plugged_in")
EXECUTION_TARGET_S = 20.0      # seconds to run the notebook (benchmarks/benchmark.py)
