"""Section 8.7.6: continuation methods, simulated annealing and curriculum learning.

Import them from their modules (``from course_lib.global_opt.continuation import ...``); each
module is one idea and says which part of the section it implements:

- ``smoothing``: the Gaussian-blurred objective J_σ, exact for sums of Gaussian bumps,
  cosines and polynomials (``SmoothableSum``); ``convexity_threshold``;
- ``smoothing_mc``: J_σ by seeded Monte Carlo (antithetic pairs or a control variate), with
  a standard error, for any objective;
- ``landscapes``: 1-D and 2-D functions with many local minima, and the failure case;
- ``continuation``: the continuation driver and its σ schedules;
- ``annealing``: simulated annealing (the Metropolis rule, cooling schedules);
- ``curriculum``: curriculum samplers (uniform, deterministic, stochastic, self-paced,
  anti-curriculum) and training on their minibatches; ``curriculum_task``: noisy digits;
- ``hints``: a deep, thin network with an auxiliary loss on an intermediate layer.
"""
