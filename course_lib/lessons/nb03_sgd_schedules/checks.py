"""The checks of notebook 03: an SGD step with the linear schedule of eq. 8.14, the number
of updates in a few epochs, a tuning challenge solved with the schedule explorer (ε₀, ε_τ, τ
that reach a target within 1000 examples) and ε₀ chosen from the first 100 iterations.

Hidden tests: ``check_random_cases`` (τ drawn as 1 or 2, so a missing clamp always shows),
``check_epoch_updates_by_counting`` (minibatches drawn as ``minimize`` draws them),
``check_tuned_schedule_nearby`` (the recorded schedule on other minibatch streams) and
``check_chosen_eps0_other_seeds`` (the chosen ε₀ on other minibatch streams).
"""

from __future__ import annotations

import math
from itertools import islice

import numpy as np

from ...checks import (  # noqa: F401 - the notebook's check cells call these
    Mistake,
    UpdateRule,
    check_number,
    check_random_cases,
    scoreboard,
)
from ...checks.cases import make_check, standard_cases
from ...checks.hidden import check_recomputed, current_seed, hidden_check, hidden_result
from ...checks.result import failed, never_raises, not_done, passed
from ...run import minibatches
from ...schedules import LinearDecay
from ..common.challenge import Challenge, make_challenge_checks
from . import lr_diagnosis
from .running_example import task


# --- Algorithm 8.1 with the linear decay of eq. 8.14 -----------------------------------------
def _eps(k, eps0, eps_tau, tau):
    """ε_k of eq. 8.14, from the course's schedule."""
    return LinearDecay(eps0, tau, eps_tau)(k)


def _sgd_schedule_step(theta, k, g, eps0, eps_tau, tau):
    k = k + 1                                       # this is step k (counting from 1)
    return theta - _eps(k, eps0, eps_tau, tau) * g, k   # θ ← θ − ε_k g


def _unclamped(theta, k, g, eps0, eps_tau, tau):
    k = k + 1
    a = k / tau                                     # the mistake: a keeps growing after τ
    return theta - ((1 - a) * eps0 + a * eps_tau) * g, k


SGD_SCHEDULE_STEP = UpdateRule(
    name="sgd_schedule_step", signature=("theta", "k", "g", "eps0", "eps_tau", "tau"),
    outputs=("theta", "k"), reference=_sgd_schedule_step,
    formula="k ← k + 1; θ ← θ − ε_k g, with ε_k = (1 − a) ε₀ + a ε_τ and a = min(k/τ, 1)",
    # τ = 3 and 4 steps per case: the last step is past τ, where ε_k must stay at ε_τ.
    cases=standard_cases({"eps0": 0.1, "eps_tau": 0.001, "tau": 3},
                         state=lambda theta0: {"k": 0},
                         tiny={"eps0": 1e-6, "eps_tau": 1e-8},
                         integer={"eps0": 1, "eps_tau": 0.5, "tau": 2}),
    mistakes=[
        Mistake("off by one", lambda theta, k, g, eps0, eps_tau, tau:
                (theta - _eps(k, eps0, eps_tau, tau) * g, k + 1),
                "the step used ε_k with the old k (the first step used ε₀). Increase the "
                "counter first, k ← k + 1, then take ε_k: the first step uses ε₁."),
        Mistake("k never increased", lambda theta, k, g, eps0, eps_tau, tau:
                (theta - _eps(k, eps0, eps_tau, tau) * g, k),
                "k never changes, so every step uses ε₀. Each call is one step: increase "
                "k ← k + 1, use ε_k, and return the new k with θ."),
        Mistake("k returned unchanged", lambda theta, k, g, eps0, eps_tau, tau:
                (theta - _eps(k + 1, eps0, eps_tau, tau) * g, k),
                "θ is right, but the returned k is the old one: return k + 1, so the next "
                "step uses the next rate."),
        Mistake("not clamped after τ", _unclamped,
                "after step τ the rate kept decaying (past ε_τ, even below zero): "
                "a = min(k/τ, 1), so ε_k = ε_τ once k ≥ τ."),
        Mistake("ε₀ and ε_τ swapped", lambda theta, k, g, eps0, eps_tau, tau:
                (theta - _eps(k + 1, eps_tau, eps0, tau) * g, k + 1),
                "the rate grows from ε_τ to ε₀: ε₀ and ε_τ are swapped. "
                "ε_k = (1 − a) ε₀ + a ε_τ."),
        Mistake("sign flipped", lambda theta, k, g, eps0, eps_tau, tau:
                (theta + _eps(k + 1, eps0, eps_tau, tau) * g, k + 1),
                "it moved uphill: is the sign of the update flipped? θ ← θ − ε_k g"),
    ],
    # Hidden cases: τ of 1 or 2, so every mid-run case (k ≥ 1, at least 2 steps) goes past
    # τ, where a missing clamp shows; a τ drawn up to 7 hid it on about 1 seed in 100.
    hidden_hyper={"tau": lambda rng: int(rng.integers(1, 3))},
)
check_sgd_schedule_step = make_check(SGD_SCHEDULE_STEP)


@never_raises
def check_updates_in_epochs(answer, n: int = 1000, batch_size: int = 32, epochs: int = 3):
    """Updates SGD makes in ``epochs`` epochs when each epoch is cut into minibatches of
    ``batch_size`` and the last, shorter one is kept: epochs · ⌈n/m⌉ (notebook 03)."""
    per_epoch = -(-n // batch_size)                   # ⌈n/m⌉ without floating point
    full, rest = divmod(n, batch_size)
    shape = (f"{full} full minibatches and one of {rest} examples" if rest
             else f"{full} full minibatches")
    return check_number(
        answer, epochs * per_epoch, name=f"updates in {epochs} epochs", rtol=0.0, atol=0.5,
        hint_low=(f"{n}/{batch_size} is not a whole number. Does the last, shorter minibatch "
                  "of each epoch get dropped or used?"),
        hint_high=("Each epoch is cut afresh: the short last minibatch is not filled up with "
                   "examples from the next epoch. Count the minibatches of one epoch, then "
                   "multiply."),
        note=f"Each epoch has {shape}: ⌈{n}/{batch_size}⌉ = {per_epoch} updates.")


@hidden_check
@never_raises
def check_epoch_updates_by_counting(answer, n: int = 1000, batch_size: int = 32,
                                    epochs: int = 3, seed: int | None = None):
    """Updates in ``epochs`` epochs, counted by drawing minibatches as ``minimize`` does."""
    def count(rng):
        seen, updates = 0, 0
        for batch in islice(minibatches(n, batch_size, rng, "reshuffle"), 10 * epochs * n):
            seen, updates = seen + len(batch), updates + 1
            if seen >= epochs * n:
                return updates
        raise RuntimeError("the minibatches never covered the epochs")

    return check_recomputed(answer, count, name=f"updates in {epochs} epochs", rtol=0.0,
                            atol=0.5, what="counted with course_lib.run.minibatches",
                            seed=seed)


# --- Exercise 3: a tuning challenge, solved with the schedule explorer ------------------------
TUNING_TARGET = 0.015
EXPLORER = "course_lib.lessons.nb03_sgd_schedules.schedule_explorer:compute_linear"


def _final_excess(result: dict) -> float:
    """The explorer's final J − J* of the linear schedule; a run that ended above its start
    (it blew up) never reaches the target."""
    final = result["final"]
    return float(final) if np.isfinite(final) and final <= result["start"] else math.inf


def flat_direction_left(eps0: float, eps_tau: float, tau: int, steps: int = 1000) -> float:
    """J − J* that the weak direction of the running example (its smallest eigenvalue λ)
    keeps after the schedule, without any noise: ½λ(e₀ Πₖ(1 − ε_k λ))², e₀ its start."""
    t = task()
    lam, vectors = np.linalg.eigh(t.H)
    e0 = float(vectors[:, 0] @ (t.theta0 - t.theta_star))
    rates = LinearDecay(eps0, tau, eps_tau)(np.arange(1, steps + 1, dtype=float))
    return float(0.5 * lam[0] * (e0 * np.prod(1.0 - rates * lam[0])) ** 2)


def _explain_schedule(settings: dict, result: dict, value: float) -> str:
    from .noise_floor import noise_floor  # imported here: it draws figures too

    eps0, eps_tau, tau = settings["eps0"], settings["eps_tau"], int(settings["tau"])
    if not np.isfinite(value):
        return (f"the run blew up: ε₀ = {eps0:.3g} is too large for minibatches of one "
                "example. Lower ε₀ until the learning curve falls from the start.")
    if eps_tau > eps0:
        return f"ε_τ = {eps_tau:.3g} is above ε₀ = {eps0:.3g}: this schedule grows."
    left = flat_direction_left(eps0, eps_tau, tau)
    if left > TUNING_TARGET / 2:
        total = float(np.sum(LinearDecay(eps0, tau, eps_tau)(np.arange(1.0, 1001.0))))
        return (f"the weak direction of the valley (variance 0.03) is left unfinished: the "
                f"steps add up to Σε_k = {total:.3g}, which leaves J − J* ≈ {left:.3g} along "
                "it even without noise. Raise ε₀ (or τ) so the schedule travels further.")
    floor = noise_floor(task(), eps_tau, 1)
    if floor > TUNING_TARGET / 2:
        return (f"the run ends at ε_τ = {eps_tau:.3g}, whose noise floor (LMS theory) is "
                f"{floor:.3g}: lower ε_τ.")
    return ("the noise of the early, large steps has not died away by the end: decay for "
            "longer (a larger τ) or to a smaller ε_τ, and pick a setting comfortably inside "
            "the target, not on its edge.")


TUNING = Challenge(
    answer="tuned_schedule",
    goal=f"final J − J* ≤ {TUNING_TARGET:g} with 1000 examples (minibatch m = 1)",
    compute=EXPLORER, measure=_final_excess, target=TUNING_TARGET,
    fixed={"batch_size": 1},
    free={"eps0": (10 ** -2.5, 1.0), "eps_tau": (1e-4, 1.0), "tau": (50, 1000)},
    quantity="final J − J*", explain=_explain_schedule,
    nearby=lambda rng: {"first_seed": int(rng.integers(1, 10 ** 6))})
check_tuned_schedule, check_tuned_schedule_nearby = make_challenge_checks(TUNING)


# --- Exercise 4: ε₀ from the first 100 iterations ---------------------------------------------
def _judge_eps0(answer, seeds: tuple, where: str):
    """(a CheckResult) for the chosen ε₀, judged by the whole schedule on ``seeds``."""
    name = "chosen_eps0"
    if answer is None or answer is Ellipsis:
        return not_done(f"{name}: not done yet. Read the first 100 iterations, then replace "
                        "None with one of the six values of ε₀.", kind="not done")
    number = check_number(answer, 1.0, name=name, rtol=math.inf)
    if not number.passed:                   # not one finite number: the usual message
        return number
    value = float(number.details["answer"])
    chosen = [e for e in lr_diagnosis.CANDIDATES if math.isclose(value, e, rel_tol=1e-6)]
    if not chosen:
        return failed(f"{name} = {value:g} is not one of the candidates "
                      f"{list(lr_diagnosis.CANDIDATES)}: choose one of the curves shown.")
    eps0 = chosen[0]
    finals = lr_diagnosis.finals(seeds)
    best = min(finals, key=finals.get)
    ratio = finals[eps0] / finals[best]
    early = lr_diagnosis.first_iterations(seeds=seeds)
    head = (f"{name} = {eps0:g}{where}: after the whole schedule ({lr_diagnosis.STEPS} "
            f"steps) J − J* = {finals[eps0]:.3g}, {ratio:.3g}× the best candidate's "
            f"(ε₀ = {best:g}: {finals[best]:.3g})")
    if ratio <= lr_diagnosis.TOLERANCE:
        return passed(f"{head}, within {lr_diagnosis.TOLERANCE:g}×. Larger than the rate "
                      "that looks best early, yet stable: the book's advice.", answer=eps0)
    start, at_early = early["start"], early["at_early"]
    if not np.isfinite(finals[eps0]) or at_early[eps0] > start:
        why = (f"the first iterations already rise above J(θ₀) − J* = {start:.3g} (at k = "
               f"{lr_diagnosis.EARLY}: {at_early[eps0]:.3g}): that is the severe instability "
               "to stay clear of.")
    elif eps0 <= early["best_early"]:
        why = ("it is the rate that looks best after 100 iterations, or lower. Early on the "
               "weak direction (variance 0.02) has barely moved at any stable rate, so the "
               "early comparison rewards low noise; over the whole run that direction needs "
               "the distance Σε_k that only a larger ε₀ gives. Take a larger one that is "
               "still stable.")
    else:
        why = "it is larger than the early best, but not the stable one closest to it."
    return failed(f"{head}, more than {lr_diagnosis.TOLERANCE:g}×: {why}", answer=eps0)


@never_raises
def check_chosen_eps0(answer):
    """ε₀ chosen from the first iterations, judged by the whole run (the figure's 32 seeds)."""
    return _judge_eps0(answer, tuple(range(32)), "")


@hidden_check
@never_raises
def check_chosen_eps0_other_seeds(answer, seed: int | None = None):
    """The same choice on 32 other minibatch streams: a robust choice passes again."""
    seed = current_seed() if seed is None else int(seed)
    first = 1000 + seed % 10 ** 6
    return hidden_result(_judge_eps0(answer, tuple(range(first, first + 32)),
                                     " on other minibatch streams"), "other runs", seed)
