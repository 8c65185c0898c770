"""Exercise: one step of hypergradient descent (Baydin et al. 2018, SGD-HD),
``hypergradient_step(theta, lr, g_prev, g, beta)`` → ``(theta, lr, g_prev)``:

    ε ← ε + β g·g_{t−1}      (descent on the hypergradient h = −g·g_{t−1})
    θ ← θ − ε g              (with the new ε)
    g_{t−1} ← g              (kept for the next step)

The first cases start mid-run, with g_{t−1} ≠ 0 pointing along g (the rate must rise) and
against it (it must fall), so that sign errors and steps with the old rate show at step 1.
The hidden test draws random cases (``check_hypergradient_random``).
"""

from __future__ import annotations

import numpy as np

from ....checks import Case, Mistake, UpdateRule, check_random_cases
from ....checks.cases import LANDSCAPES, make_check
from ....checks.hidden import hidden_check
from ....checks.result import never_raises
from ....objectives import Quadratic

FORMULA = "ε ← ε + β g·g_{t−1}; θ ← θ − ε g; g_{t−1} ← g"
_BOWL = Quadratic((1.0, 10.0))


def _hd_step(theta, lr, g_prev, g, beta):
    lr = lr + beta * np.dot(g, g_prev)          # ε ← ε − β h, with h = −g·g_{t−1}
    return theta - lr * g, lr, g                # θ ← θ − ε g; remember g


def _mistake(name, hint, fn):
    return Mistake(name, fn, f"{hint} {FORMULA}")


MISTAKES = [
    _mistake("rate moved the wrong way", "ε moved the wrong way: when successive gradients "
             "agree (g·g_{t−1} > 0) the last step was too short, so ε must grow. The "
             "hypergradient is h = −g·g_{t−1}; descending it, ε ← ε − βh, adds β g·g_{t−1}.",
             lambda theta, lr, g_prev, g, beta: (
                 theta - (lr - beta * g @ g_prev) * g, lr - beta * g @ g_prev, g)),
    _mistake("step with the old rate", "ε is right, but θ moved with the old rate: update ε "
             "first, then step with the new one.",
             lambda theta, lr, g_prev, g, beta: (
                 theta - lr * g, lr + beta * g @ g_prev, g)),
    _mistake("θ moved uphill", "ε is right, but θ moved uphill: the step is θ − ε g.",
             lambda theta, lr, g_prev, g, beta: (
                 theta + (lr + beta * g @ g_prev) * g, lr + beta * g @ g_prev, g)),
    _mistake("g_{t−1} not updated", "θ and ε are right, but g_{t−1} came back unchanged: "
             "return the new g, so that the next step compares with it.",
             lambda theta, lr, g_prev, g, beta: (
                 theta - (lr + beta * g @ g_prev) * g, lr + beta * g @ g_prev, g_prev)),
    _mistake("‖g‖² instead of g·g_{t−1}", "ε grew by β‖g‖²: the hypergradient pairs the new "
             "gradient with the *previous* one, g·g_{t−1} (was g_{t−1} overwritten by g "
             "before the product?).",
             lambda theta, lr, g_prev, g, beta: (
                 theta - (lr + beta * g @ g) * g, lr + beta * g @ g, g)),
    _mistake("β missing", "ε changed by the whole g·g_{t−1}: multiply it by the "
             "hypergradient rate β.",
             lambda theta, lr, g_prev, g, beta: (
                 theta - (lr + g @ g_prev) * g, lr + g @ g_prev, g)),
    _mistake("normalized product", "ε changed by β times the cosine of g and g_{t−1}: "
             "SGD-HD uses the plain product g·g_{t−1}, without dividing by the norms.",
             lambda theta, lr, g_prev, g, beta: (
                 theta - (lr + beta * _cos(g, g_prev)) * g, lr + beta * _cos(g, g_prev), g)),
]


def _cos(a, b):
    norm = np.linalg.norm(a) * np.linalg.norm(b)
    return float(a @ b / norm) if norm else 0.0


def _cases() -> list:
    cases = [
        Case("mid-run, gradients agreeing (ε must rise)", _BOWL,
             {"theta": np.array([1.0, 1.0]), "lr": 0.02, "g_prev": np.array([1.2, 11.0])},
             {"beta": 0.001}, 3),
        Case("mid-run, overshooting (ε must fall)", _BOWL,
             {"theta": np.array([1.0, 1.0]), "lr": 0.19, "g_prev": np.array([1.1, -12.0])},
             {"beta": 0.001}, 3),
    ]
    for name, objective, theta0 in LANDSCAPES:
        theta0 = np.array(theta0, dtype=float)
        cases.append(Case(f"{name}, at rest (g_{{t−1}} = 0)", objective,
                          {"theta": theta0, "lr": 0.05, "g_prev": np.zeros_like(theta0)},
                          {"beta": 0.01}, 4))
    cases.append(Case("integer-looking inputs", Quadratic((0.5, 0.25)),
                      {"theta": np.array([2, -3]), "lr": 1, "g_prev": np.array([1, 0])},
                      {"beta": 0}, 3))
    return cases


HYPERGRADIENT_STEP = UpdateRule(
    name="hypergradient_step", signature=("theta", "lr", "g_prev", "g", "beta"),
    outputs=("theta", "lr", "g_prev"), reference=_hd_step, formula=FORMULA, cases=_cases(),
    mistakes=MISTAKES, symbols={"g_prev": "g_{t−1}", "beta": "β"},
    hidden_hyper={"beta": lambda rng: float(10.0 ** rng.uniform(-4.0, -2.5))},
)
check_hypergradient_step = make_check(HYPERGRADIENT_STEP)


@hidden_check
@never_raises
def check_hypergradient_random(fn, seed: int | None = None):
    """The hidden test: random cases (new dimensions, random ε in [0.003, 0.1], random
    g_{t−1}, β in [10⁻⁴, 10⁻²·⁵])."""
    return check_random_cases(fn, HYPERGRADIENT_STEP, seed=seed,
                              state={"lr": lambda rng: float(10.0 ** rng.uniform(-2.5, -1.0))})
