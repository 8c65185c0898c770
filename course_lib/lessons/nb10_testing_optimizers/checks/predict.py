"""Exercise: predict, then check. A new prototype, the kink at a large scale,
f(z) = 1000 |z|: which of SGD, momentum, AdaGrad, RMSProp and Adam pass it (at the best
rate of the default grid, on at least 80 % of the seeds)?

The reasoning goes through two columns of the matrix: the kink (``abs``) and the scale
(``bowl × 1000``). The check runs the suite on the new prototype; the hidden test runs it
again with twenty new seeds, so the prediction must hold for the method, not for one draw.
"""

from __future__ import annotations

import numpy as np

from ....checks.hidden import current_seed, hidden_check, hidden_result
from ....checks.result import describe, error, failed, never_raises, not_done, passed

CANDIDATES = ("SGD", "momentum", "AdaGrad", "RMSProp", "Adam")
WHY = {
    "SGD": "SGD already fails the kink at scale 1 (abs): a constant rate bounces ε around it",
    "momentum": "momentum passes abs only at ε = 0.0032; a thousand times the gradient needs "
                "a rate a thousand times smaller, far below the grid's 0.001",
    "AdaGrad": "AdaGrad divides by the root of the summed squared gradients: the scale "
               "cancels, and its falling rate settles on the kink",
    "RMSProp": "RMSProp divides by the root of the mean squared gradient: the scale cancels, "
               "and it passes abs",
    "Adam": "Adam's step ε ŝ/√r̂ ignores the gradient's scale, and it passes abs",
}


def new_prototype():
    from ....prototypes import Prototype
    return Prototype("abs", scales=1000.0, name="abs × 1000")


def run_prediction(seeds) -> dict:
    """{optimizer: (passes, best pass share)} for ``CANDIDATES`` on ``new_prototype()``."""
    from ....prototypes import default_contenders, run_suite
    contenders = default_contenders()
    table = run_suite({n: contenders[n] for n in CANDIDATES}, {"new": new_prototype()},
                      seeds=seeds)
    return {n: (table.best(n, "new")["passes"], table.best(n, "new")["pass_share"])
            for n in CANDIDATES}


def _names(answer):
    """(the set of names, None) or (None, a CheckResult) for the learner's list."""
    if answer is None or answer is Ellipsis:
        return None, not_done("passing: not done yet. Write your prediction as a list of "
                              f"names from {list(CANDIDATES)}, e.g. passing = ['SGD'] (or [] "
                              "if you think none passes).")
    if isinstance(answer, str) or not isinstance(answer, (list, tuple)):
        return None, error(f"passing should be a list of names, e.g. ['SGD', 'Adam'], got "
                           f"{describe(answer)}.")
    lookup = {c.lower(): c for c in CANDIDATES}
    names = set()
    for item in answer:
        if not isinstance(item, str) or item.strip().lower() not in lookup:
            return None, error(f"passing holds {item!r}, which is not one of {list(CANDIDATES)}.")
        names.add(lookup[item.strip().lower()])
    return names, None


def _compare(names: set, truth: dict, where: str):
    wrong = [n for n in CANDIDATES if (n in names) != truth[n][0]]
    if wrong:
        return failed(f"passing: {len(wrong)} of your {len(CANDIDATES)} verdicts are wrong"
                      f"{where}. Reason from two columns of the matrix: which methods pass "
                      "the kink (abs), and which of them do not care about the gradient's "
                      "scale (bowl × 1000 and bowl × 0.001)? Then check in the explorer "
                      "(prototype 'abs × 1000').", wrong=len(wrong))
    lines = [f"passing = {sorted(names)} is right{where}:"]
    for n in CANDIDATES:
        verdict = "passes" if truth[n][0] else "fails"
        lines.append(f"  {n:<9} {verdict} (best share {truth[n][1]:.0%}): {WHY[n]}")
    return passed("\n".join(lines))


@never_raises
def check_passing(answer):
    """Run the suite on the new prototype (the default five seeds) and compare."""
    from ....prototypes import DEFAULT_SEEDS
    names, problem = _names(answer)
    if problem is not None:
        return problem
    return _compare(names, run_prediction(DEFAULT_SEEDS), "")


@hidden_check
@never_raises
def check_passing_other_seeds(answer, seed: int | None = None):
    """The hidden test: the same prediction against the suite run with 20 new seeds."""
    seed = current_seed() if seed is None else int(seed)
    names, problem = _names(answer)
    if problem is not None:
        return hidden_result(problem, "20 new seeds", seed)
    seeds = tuple(int(s) for s in np.random.default_rng(seed).integers(10, 10**6, size=20))
    return hidden_result(_compare(names, run_prediction(seeds), " with 20 new seeds"),
                         "20 new seeds", seed)
