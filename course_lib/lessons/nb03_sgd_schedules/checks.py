"""The checks of notebook 03: an SGD step with the linear schedule of eq. 8.14, and the
number of updates in a few epochs.

Hidden tests: ``check_random_cases`` (τ drawn as 1 or 2, so a missing clamp always shows) and
``check_epoch_updates_by_counting`` (minibatches drawn as ``minimize`` draws them).
"""

from __future__ import annotations

from itertools import islice

from ...checks import (  # noqa: F401 - the notebook's check cells call these
    Mistake,
    UpdateRule,
    check_number,
    check_random_cases,
    scoreboard,
)
from ...checks.cases import make_check, standard_cases
from ...checks.hidden import check_recomputed, hidden_check
from ...checks.result import never_raises
from ...run import minibatches
from ...schedules import LinearDecay


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
