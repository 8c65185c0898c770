"""Ready-made checks for the course's exercises.

Each update-rule exercise is an ``UpdateRule``: a reference, the book's formula, the
mistakes learners make (with a hint each) and its cases, mostly from ``standard_cases``.
Adding one (momentum, Nesterov, AdaGrad, RMSProp, Adam with its counter t) takes a
reference, a few ``Mistake``s, ``standard_cases(...)`` with its state and hyperparameters,
and ``make_check(RULE)``.
"""

from __future__ import annotations

import numpy as np

from ..objectives import Quadratic
from ..schedules import LinearDecay
from .numeric import check_number
from .result import never_raises
from .rules import Case, Mistake, UpdateRule
from .update_rule import check_update_rule

# The 5-D bowl's eigenvectors: a fixed orthogonal matrix, so the bowl is not axis-aligned.
_Q5, _ = np.linalg.qr(np.arange(1.0, 26.0).reshape(5, 5) ** 0.5)

# (case name, objective, θ₀): the landscapes every update rule is tried on. The generic
# bowl comes first, so that the first difference found is the easiest one to diagnose.
LANDSCAPES = [
    ("ill-conditioned bowl", Quadratic((1.0, 10.0)), (1.0, 1.0)),
    ("rotated bowl", Quadratic((1.0, 4.0), angle=np.pi / 6), (2.0, -1.0)),
    ("saddle (λ = 1, −1)", Quadratic((1.0, -1.0)), (0.5, 0.5)),
    ("5-D rotated bowl", Quadratic((0.5, 1.0, 2.0, 3.0, 4.0), Q=_Q5),
     (1.0, -1.0, 2.0, -2.0, 0.5)),
    ("at the minimum (g = 0)", Quadratic((1.0, 10.0)), (0.0, 0.0)),
]


def standard_cases(hyper: dict, *, state=None, tiny: dict, integer: dict,
                   steps: int = 4) -> list[Case]:
    """Cases on every landscape, plus a tiny-ε case and one with integer-looking inputs.

    - ``hyper``: the usual hyperparameters; ``tiny``: overrides that make the step tiny;
      ``integer``: hyperparameters with whole-number values (θ₀ is whole numbers too).
    - ``state(theta0)``: the starting state besides θ, e.g. ``{"v": np.zeros_like(theta0)}``.
    """
    def start(theta0):
        theta0 = np.array(theta0, dtype=float)
        return {"theta": theta0, **(state(theta0) if state else {})}

    bowl = LANDSCAPES[0][1]
    cases = [Case(name, objective, start(theta0), dict(hyper), steps)
             for name, objective, theta0 in LANDSCAPES]
    cases.append(Case("tiny learning rate", bowl, start((1.0, 1.0)), {**hyper, **tiny}, 2))
    cases.append(Case("integer-looking inputs", Quadratic((0.5, 0.25)), start((2, -3)),
                      dict(integer), steps))
    return cases


def make_check(rule: UpdateRule):
    """``check(fn)``: ``check_update_rule`` for this rule, with the default time limit."""

    @never_raises
    def check(fn, *, timeout: float = 2.0):
        return check_update_rule(fn, rule, timeout=timeout)

    check.__name__ = f"check_{rule.name}"
    check.__doc__ = (f"Check your ``{rule.name}{tuple(rule.signature)}`` against "
                     f"{rule.formula}; returns a CheckResult.").replace("'", "")
    return check


# --- gradient descent: θ ← θ − ε g ------------------------------------------------------
def _gd_step(theta, g, lr):
    return theta - lr * g


GD_STEP = UpdateRule(
    name="gd_step", signature=("theta", "g", "lr"), outputs=("theta",),
    reference=_gd_step, formula="θ ← θ − ε g",
    cases=standard_cases({"lr": 0.1}, tiny={"lr": 1e-6}, integer={"lr": 1}),
    mistakes=[
        Mistake("sign flipped", lambda theta, g, lr: theta + lr * g,
                "it moved uphill: is the sign of the update flipped? θ ← θ − ε g"),
        Mistake("ε missing", lambda theta, g, lr: theta - g,
                "the step is −g, without the learning rate: multiply g by ε. θ ← θ − ε g"),
        Mistake("returns the step", lambda theta, g, lr: -lr * g,
                "it returned the step −ε g instead of the new point: add it to θ."),
        Mistake("returns the step, sign flipped", lambda theta, g, lr: lr * g,
                "it returned ε g, the step with the wrong sign, instead of the new point "
                "θ − ε g."),
        Mistake("returns g", lambda theta, g, lr: g,
                "it returned the gradient g itself; the new point is θ − ε g."),
        Mistake("ε squared", lambda theta, g, lr: theta - lr ** 2 * g,
                "the step is ε² g: is ε applied twice? θ ← θ − ε g"),
        Mistake("divides by ε", lambda theta, g, lr: theta - g / lr,
                "the step is g / ε: ε should multiply g, not divide it. θ ← θ − ε g"),
    ],
)
check_gd_step = make_check(GD_STEP)


# --- Algorithm 8.1 with the linear decay of eq. 8.14 ------------------------------------
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


# --- predict-then-check ------------------------------------------------------------------
@never_raises
def check_largest_lr(answer, lam_max: float = 10.0):
    """The largest ε for which gradient descent converges on a quadratic: 2/λ_max.

    Answers up to 6 % below are right (a slider's last converging stop); any answer above
    2/λ_max is too high, because such a run diverges.
    """
    return check_number(
        answer, 2.0 / lam_max, name="largest learning rate ε", rtol=0.06, rtol_high=1e-9,
        hint_high=(f"Above 2/λ_max the component of θ along the top eigenvector (λ_max = "
                   f"{lam_max:g}) is multiplied by |1 − ελ_max| > 1 at every step, so it "
                   "grows and the loss blows up. Lower ε until the loss curve stops growing."),
        hint_low=("A larger ε still converges: keep pushing the slider up until the loss "
                  "curve starts to grow, and take the last ε before that."),
        note=("Each step multiplies the component along eigenvector i by (1 − ελᵢ); all of "
              "them shrink exactly when |1 − ελ_max| < 1, i.e. ε < 2/λ_max."))


# --- Algorithm 8.2, momentum: v ← αv − εg; θ ← θ + v ------------------------------------
def _momentum_step(theta, v, g, lr, alpha):
    v = alpha * v - lr * g                          # v ← αv − εg
    return theta + v, v                             # θ ← θ + v


def _momentum_mistakes(rule: str, formula: str) -> list[Mistake]:
    """The mistakes learners make in the momentum update (shared by momentum and Nesterov)."""
    return [
        Mistake("gradient sign flipped", lambda theta, v, g, lr, alpha:
                (theta + alpha * v + lr * g, alpha * v + lr * g),
                f"it moved uphill: the gradient term enters v with a minus sign. {formula}"),
        Mistake("v not decayed", lambda theta, v, g, lr, alpha:
                (theta + v - lr * g, v - lr * g),
                "the old velocity was kept whole: multiply it by α before adding the new "
                f"gradient term (α is the friction that makes old gradients fade). {formula}"),
        Mistake("θ moved with the old v", lambda theta, v, g, lr, alpha:
                (theta + v, alpha * v - lr * g),
                "v is right, but θ moved with the old velocity: update v first, then move θ "
                f"with the new one. {formula}"),
        Mistake("θ ← θ − v", lambda theta, v, g, lr, alpha:
                (theta - (alpha * v - lr * g), alpha * v - lr * g),
                "v is right, but θ moved against it: v already holds the minus sign of "
                "−εg, so θ ← θ + v."),
        Mistake("(1 − α) moving average", lambda theta, v, g, lr, alpha:
                (theta + alpha * v - (1 - alpha) * lr * g, alpha * v - (1 - alpha) * lr * g),
                "the gradient term is scaled by (1 − α), as in an exponential moving average "
                "(Adam's s). The book's momentum adds the full −εg: that is why its terminal "
                f"velocity is 1/(1 − α) times a gradient step. {formula}"),
        Mistake("PyTorch convention", lambda theta, v, g, lr, alpha:
                (theta - lr * (alpha * v + g), alpha * v + g),
                "that is the convention of PyTorch's SGD (v ← αv + g, θ ← θ − εv), where v "
                "sums gradients. In the book v is the step itself, ε included: "
                f"{formula}"),
        Mistake("ε and α swapped", lambda theta, v, g, lr, alpha:
                (theta + lr * v - alpha * g, lr * v - alpha * g),
                f"ε and α are swapped: α multiplies the old velocity, ε the gradient. {formula}"),
        Mistake("returned (v, θ)", lambda theta, v, g, lr, alpha:
                (alpha * v - lr * g, theta + alpha * v - lr * g),
                f"the two outputs are in the wrong order: return (theta, v), θ first. "
                f"({rule} is called as `theta, v = {rule}(...)`.)"),
    ]


def _moving_case(theta0=(1.0, 1.0), v0=(0.3, -0.2)):
    """A case where the particle is already moving, v₀ ≠ 0: the old velocity matters at once."""
    return Case("already moving (v ≠ 0)", Quadratic((1.0, 10.0)),
                {"theta": np.array(theta0), "v": np.array(v0)}, {"lr": 0.05, "alpha": 0.9}, 3)


_MOMENTUM_FORMULA = "v ← αv − εg; θ ← θ + v"

MOMENTUM_STEP = UpdateRule(
    name="momentum_step", signature=("theta", "v", "g", "lr", "alpha"),
    outputs=("theta", "v"), reference=_momentum_step, formula=_MOMENTUM_FORMULA,
    cases=[_moving_case(),
           *standard_cases({"lr": 0.05, "alpha": 0.9},
                           state=lambda theta0: {"v": np.zeros_like(theta0)},
                           tiny={"lr": 1e-6}, integer={"lr": 1, "alpha": 0})],
    mistakes=_momentum_mistakes("momentum_step", _MOMENTUM_FORMULA),
)
check_momentum_step = make_check(MOMENTUM_STEP)


# --- Algorithm 8.3, Nesterov: g at θ̃ = θ + αv; v ← αv − εg; θ ← θ + v --------------------
_NESTEROV_FORMULA = "g = ∇J(θ + αv) (given); v ← αv − εg; θ ← θ + v"


def _nesterov_step(theta, v, g, lr, alpha):
    # g was evaluated at the interim point θ̃ = θ + αv by the caller (see grad_at below).
    v = alpha * v - lr * g                          # v ← αv − εg
    return theta + v, v                             # θ ← θ + v


NESTEROV_STEP = UpdateRule(
    name="nesterov_step", signature=("theta", "v", "g", "lr", "alpha"),
    outputs=("theta", "v"), reference=_nesterov_step, formula=_NESTEROV_FORMULA,
    grad_at=lambda a: a["theta"] + a["alpha"] * a["v"],        # θ̃ = θ + αv
    cases=MOMENTUM_STEP.cases,
    mistakes=[
        Mistake("moved from θ̃", lambda theta, v, g, lr, alpha:
                (theta + alpha * v + alpha * v - lr * g, alpha * v - lr * g),
                "θ moved from the interim point θ̃ = θ + αv: the look-ahead is only where "
                "g is measured. The step starts from θ itself: θ ← θ + v."),
        Mistake("look-ahead form", lambda theta, v, g, lr, alpha:
                (theta + alpha * (alpha * v - lr * g) - lr * g, alpha * v - lr * g),
                "that is the rewritten form that tracks the look-ahead point "
                "(θ ← θ + αv_new − εg). Here the state is θ itself and g is given at "
                f"θ + αv: {_NESTEROV_FORMULA}"),
        *_momentum_mistakes("nesterov_step", _NESTEROV_FORMULA),
    ],
)
check_nesterov_step = make_check(NESTEROV_STEP)


@never_raises
def check_terminal_velocity(answer, alpha: float = 0.95):
    """Predict-then-check: the terminal step size in units of ε‖g‖ is 1/(1 − α) (eq. 8.17)."""
    expected = 1.0 / (1.0 - alpha)
    return check_number(
        answer, expected, name=f"terminal-velocity factor for α = {alpha:g}", rtol=0.01,
        hint_low=("Each step adds a fresh −εg to v and removes only the share "
                  "(1 − α) of v, so v keeps growing until the two balance."),
        hint_high=("v stops growing once the share it loses per step, "
                   "(1 − α)‖v‖, equals what it gains, ε‖g‖."),
        note=(f"v settles where v = αv − εg, that is v = −εg/(1 − α): {expected:g} times a "
              "gradient step (eq. 8.17)."))


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
