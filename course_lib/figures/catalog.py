"""The course's figures: one per claim a notebook makes, drawn by that notebook's own code.

Each entry: (file name, notebook, lesson module, figure function, compute function — "" for
a companion figure drawn from keyword arguments —, keyword arguments as the notebook passes
them, the claim the figure shows). ``python -m course_lib.figures`` renders them all.
"""

FIGURES = (
    ("gd_zigzag", "00_start_here", "gd_explorer", "companion_figure", "", {},
     "gradient descent zig-zags down an ill-conditioned bowl; ε < 2/λ_max keeps it stable"),
    ("sgd_noise_floor", "03_sgd_schedules", "noise_floor", "figure_constant_vs_decay",
     "constant_vs_decay", {},
     "SGD with a constant rate stalls at a noise floor; decaying schedules keep improving"),
    ("gradient_noise", "03_sgd_schedules", "gradient_noise", "figure_gradient_noise",
     "gradient_noise", {}, "the minibatch gradient's error falls as 1/√m"),
    ("momentum_canyon", "04_momentum_physics", "canyon", "figure_canyon", "compute_canyon",
     {"steps": 40, "alpha": 0.5},
     "momentum runs along the canyon where gradient descent zig-zags across (book figure 8.5)"),
    ("terminal_velocity", "04_momentum_physics", "terminal", "figure_terminal_velocity",
     "compute_terminal_velocity", {"alphas": (0.5, 0.9, 0.99)},
     "under a steady slope the step of momentum grows to ε‖g‖/(1 − α) (eq. 8.17)"),
    ("heavy_ball_rate_map", "04_momentum_physics", "tuning", "figure_rate_map",
     "compute_rate_map", {"kappa": 100},
     "the heavy ball's rate over (ε, α): tuned momentum needs √κ steps where descent needs κ"),
    ("adaptive_paths", "06_adaptive_rates", "adaptive_explorer", "companion_figure", "", {},
     "AdaGrad, RMSProp and Adam side by side on Rosenbrock, with their per-parameter rates"),
    ("adagrad_stall", "06_adaptive_rates", "adagrad", "figure_stall", "compute_stall",
     {"lr": 0.01, "steps": 600},
     "AdaGrad's rates decay for good and it stalls; RMSProp, which forgets, keeps moving"),
    ("adam_bias_correction", "06_adaptive_rates", "adam", "figure_bias_correction",
     "compute_bias_correction", {}, "without its bias correction Adam's first steps are too large"),
    ("steepest_descent_zigzag", "07_second_order", "conjugate", "figure_zigzag",
     "compute_zigzag", {},
     "steepest descent with exact line searches: successive directions are orthogonal (8.6)"),
    ("newton_saddle", "07_second_order", "newton", "figure_saddle", "compute_saddle", {},
     "Newton's method is drawn to a saddle point; gradient descent rolls off it"),
    ("newton_one_step", "07_second_order", "newton", "figure_one_step", "compute_one_step", {},
     "one Newton step lands on the minimum of a quadratic"),
)
