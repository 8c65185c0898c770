"""The checks of notebook 08's batch-norm exercises.

``batch_norm(H, gamma, beta, mu_run, sigma_run, training, rho, delta)`` returns
``(out, mu_run, sigma_run)``: in training mode out = γ ⊙ (H − μ)/σ + β with the minibatch's
μ and σ = √(δ + mean((H − μ)²)) and the running averages updated, μ̄ ← ρμ̄ + (1 − ρ)μ (and σ̄
likewise); in inference mode out = γ ⊙ (H − μ̄)/σ̄ + β and the running averages unchanged.

``batch_norm_backward(d_out, H, gamma, delta)`` returns ``(dH, dgamma, dbeta)`` for the
training-mode pass; it is compared with ``strategies.batch_norm`` (itself checked against
finite differences) and, on a miss, with the known mistakes.

Each case is run on copies of its inputs; a changed input, NaN, a wrong shape, an exception or
an endless loop gets its own message.
"""

from __future__ import annotations

import inspect

import numpy as np

from ....checks.hidden import current_seed, hidden_check, hidden_result
from ....checks.result import describe, error, failed, fmt, never_raises, not_done, passed
from ....checks.safe_call import safe_call
from ....strategies.batch_norm import batch_norm_backward as _lib_backward
from ....strategies.batch_norm import forward_unchecked

FORWARD = ("training: μ = mean of H over the rows, σ = √(δ + mean((H − μ)²)), out = "
           "γ(H − μ)/σ + β, μ̄ ← ρμ̄ + (1 − ρ)μ, σ̄ ← ρσ̄ + (1 − ρ)σ; inference: out = "
           "γ(H − μ̄)/σ̄ + β, μ̄ and σ̄ unchanged")


def _make_forward(ddof=0, delta_outside=False, axis=0, inference_batch=False, swap_rho=False,
                  no_update=False, update_in_inference=False, swap_gamma_beta=False,
                  running_var=False):
    def batch_norm(H, gamma, beta, mu_run, sigma_run, training, rho, delta):
        H = np.asarray(H, dtype=float)
        g, b = (beta, gamma) if swap_gamma_beta else (gamma, beta)
        if training or inference_batch:
            mu = H.mean(axis=axis, keepdims=True)
            var = H.var(axis=axis, ddof=ddof, keepdims=True)
            sigma = np.sqrt(var) + delta if delta_outside else np.sqrt(var + delta)
            out = g * (H - mu) / sigma + b
            mu, sigma = mu.ravel(), sigma.ravel()
        if training or update_in_inference:
            if not training:
                mu, sigma = H.mean(axis=0), np.sqrt(H.var(axis=0) + delta)
            new = sigma ** 2 if running_var else sigma
            if no_update:
                return out, np.array(mu_run, float), np.array(sigma_run, float)
            if swap_rho:
                mu_run, sigma_run = (1 - rho) * mu_run + rho * mu, (1 - rho) * sigma_run + rho * new
            else:
                mu_run, sigma_run = rho * mu_run + (1 - rho) * mu, rho * sigma_run + (1 - rho) * new
        if not training and not inference_batch:
            out = g * (H - mu_run) / sigma_run + b
        return out, np.array(mu_run, float), np.array(sigma_run, float)
    return batch_norm


reference_forward = _make_forward()
FORWARD_MISTAKES = [
    ("unbiased variance", _make_forward(ddof=1),
     "σ uses the unbiased variance (dividing by m − 1, np.var(..., ddof=1) or np.std with "
     "ddof=1); batch norm divides by m: σ = √(δ + (1/m) Σ (H − μ)²)."),
    ("δ outside the root", _make_forward(delta_outside=True),
     "δ is added outside the square root, σ = std + δ; it belongs inside: σ = √(δ + var)."),
    ("inference with batch statistics", _make_forward(inference_batch=True),
     "in inference mode the output uses the minibatch's own μ and σ: it must use the running "
     "averages μ̄ and σ̄ (one example alone would otherwise be normalized by itself)."),
    ("ρ on the new statistics", _make_forward(swap_rho=True),
     "the running averages give weight ρ to the new batch: μ̄ ← ρμ̄ + (1 − ρ)μ keeps ρ for the "
     "old average."),
    ("running averages not updated", _make_forward(no_update=True),
     "the running averages come back unchanged in training mode: update them with the batch's "
     "μ and σ."),
    ("updated in inference mode", _make_forward(update_in_inference=True),
     "inference mode changed the running averages: at test time they are only read."),
    ("γ and β swapped", _make_forward(swap_gamma_beta=True),
     "γ and β are swapped: out = γ ⊙ H′ + β, γ scales and β shifts."),
    ("running variance", _make_forward(running_var=True),
     "the running average of σ was fed σ² (the variance); keep the average of σ itself."),
]


def forward_cases(rng=None) -> list[tuple]:
    """(name, H, γ, β, μ̄, σ̄, training, ρ, δ)."""
    rng = np.random.default_rng(3) if rng is None else rng
    n = int(rng.integers(3, 6))
    H = 2.0 + rng.standard_normal((int(rng.integers(6, 12)), n)) * rng.uniform(0.5, 3.0, n)
    gamma, beta = rng.uniform(0.5, 2.0, n), rng.standard_normal(n)
    mu_run, sigma_run = rng.standard_normal(n), rng.uniform(0.5, 2.0, n)
    rho, delta = float(rng.uniform(0.8, 0.95)), float(10 ** rng.uniform(-2, -0.5))
    one = H[:1]
    return [("training mode", H, gamma, beta, mu_run, sigma_run, True, rho, delta),
            ("inference mode", H, gamma, beta, mu_run, sigma_run, False, rho, delta),
            ("inference mode, one example", one, gamma, beta, mu_run, sigma_run, False, rho,
             delta)]


def _run(fn, args, timeout):
    outcome = safe_call(fn, [np.array(a, copy=True) if isinstance(a, np.ndarray) else a
                             for a in args], timeout)
    return outcome


def _first_problem(fn, name, cases, reference, mistakes, outputs, timeout):
    """None if ``fn`` agrees with ``reference`` on every case, else a CheckResult."""
    for case_name, *args in cases:
        copies = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]
        outcome = safe_call(fn, copies, timeout)
        where = f"in the case '{case_name}'"
        if outcome.kind == "timeout":
            return error(f"{name} took longer than {timeout:g} s {where}; the call was stopped.",
                         kind="timeout")
        if outcome.kind == "raised":
            if isinstance(outcome.error, NotImplementedError):
                return not_done(f"{name}: not done yet, it still raises NotImplementedError.",
                                kind="not done")
            line = f", {outcome.where}" if outcome.where else ""
            return error(f"{name} raised {type(outcome.error).__name__}: {outcome.error}\n  "
                         f"{where}{line}", kind="exception")
        value = outcome.value
        if value is None or value is Ellipsis:
            return not_done(f"{name}: not done yet, it returned {describe(value)}. Return "
                            f"({', '.join(outputs)}).", kind="not done")
        if not isinstance(value, (tuple, list)) or len(value) != len(outputs):
            return error(f"{name} should return the tuple ({', '.join(outputs)}), got "
                         f"{describe(value)} {where}.", kind="type")
        if any(not np.array_equal(c, a) for c, a in zip(copies, args, strict=True)
               if isinstance(a, np.ndarray)):
            return failed(f"{name} changed one of its input arrays in place {where}: compute "
                          "new arrays (mu_run = rho * mu_run + ..., not mu_run *= rho).",
                          kind="mutation")
        expected = reference(*args)
        for out_name, got, want in zip(outputs, value, expected, strict=True):
            try:
                got = np.asarray(got, dtype=float)
            except (TypeError, ValueError):
                return error(f"{name}: {out_name} is {describe(got)}, not an array of numbers "
                             f"{where}.", kind="type")
            if got.shape != np.shape(want):
                return failed(f"{name}: {out_name} has shape {got.shape} {where}; expected "
                              f"{np.shape(want)}.", kind="shape")
            if not np.all(np.isfinite(got)):
                return failed(f"{name}: {out_name} holds NaN or inf {where}.", kind="nan")
            if not np.allclose(got, want, rtol=1e-7, atol=1e-10):
                hint = None
                for mistake, wrong, text in mistakes:
                    try:
                        mine = wrong(*args)
                    except Exception:   # noqa: BLE001 - a mistake that fails here is not it
                        continue
                    if all(np.allclose(np.asarray(v, float), m, rtol=1e-7, atol=1e-10)
                           for v, m in zip(value, mine, strict=True)):
                        hint = (mistake, text)
                        break
                text = (f"{name}: {out_name} differs {where}: got {fmt(got.ravel()[:4])}, "
                        f"expected {fmt(np.ravel(want)[:4])} (first entries).")
                if hint:
                    return failed(f"{text}\n  Likely cause: {hint[1]}", kind="value",
                                  mistake=hint[0], case=case_name)
                return failed(text, kind="value", mistake=None, case=case_name)
    return None


def _signature(fn, name, n_args):
    if not callable(fn):
        return error(f"{name} should be a function, got {describe(fn)}.", kind="type")
    try:
        inspect.signature(fn).bind(*range(n_args))
    except TypeError:
        return error(f"{name} should take {n_args} arguments.", kind="signature")
    except ValueError:
        pass
    return None


@never_raises
def check_batch_norm(fn, *, cases=None, timeout: float = 2.0):
    """Check ``batch_norm(H, gamma, beta, mu_run, sigma_run, training, rho, delta)``."""
    problem = _signature(fn, "batch_norm", 8)
    if problem is not None:
        return problem
    cases = forward_cases() if cases is None else cases
    problem = _first_problem(fn, "batch_norm", cases, reference_forward, FORWARD_MISTAKES,
                             ("out", "mu_run", "sigma_run"), timeout)
    if problem is not None:
        return problem
    return passed(f"batch_norm is right in training mode (batch statistics, running averages "
                  f"updated) and in inference mode (running averages, unchanged), on "
                  f"{len(cases)} cases.", cases=len(cases))


@hidden_check
@never_raises
def check_batch_norm_random(fn, *, seed: int | None = None, timeout: float = 2.0):
    seed = current_seed() if seed is None else int(seed)
    cases = forward_cases(np.random.default_rng(seed))
    return hidden_result(check_batch_norm(fn, cases=cases, timeout=timeout),
                         "new random minibatches and statistics", seed)


# --- the backward pass ------------------------------------------------------------------
def reference_backward(d_out, H, gamma, delta):
    _, cache = forward_unchecked(np.asarray(H, float), np.asarray(gamma, float), 0.0, delta)
    return _lib_backward(d_out, cache)


def _backward_mistake(kind):
    def backward(d_out, H, gamma, delta):
        mu = H.mean(axis=0)
        sigma = np.sqrt(delta + H.var(axis=0))
        H_hat = (H - mu) / sigma
        g = d_out * gamma
        d_gamma, d_beta = np.sum(d_out * H_hat, axis=0), np.sum(d_out, axis=0)
        if kind == "constants":
            d_H = g / sigma
        elif kind == "no sigma term":
            d_H = (g - g.mean(axis=0)) / sigma
        elif kind == "no mean term":
            d_H = (g - H_hat * np.mean(g * H_hat, axis=0)) / sigma
        else:                                   # "gamma missing"
            d_H = (d_out - d_out.mean(axis=0) - H_hat * np.mean(d_out * H_hat, axis=0)) / sigma
        return d_H, d_gamma, d_beta
    return backward


BACKWARD_MISTAKES = [
    ("μ and σ treated as constants", _backward_mistake("constants"),
     "dH = γ·d_out/σ treats μ and σ as constants; both depend on every row of H. Subtract the "
     "mean of ĝ = γ ⊙ d_out and the term H′ ⊙ mean(ĝ ⊙ H′): dH = (ĝ − mean(ĝ) − H′ ⊙ "
     "mean(ĝ ⊙ H′))/σ."),
    ("the σ term missing", _backward_mistake("no sigma term"),
     "the path through σ is missing: subtract H′ ⊙ mean(ĝ ⊙ H′) too."),
    ("the μ term missing", _backward_mistake("no mean term"),
     "the path through μ is missing: subtract mean(ĝ) too (the rows of dH of each unit must "
     "sum to 0)."),
    ("γ missing in dH", _backward_mistake("gamma missing"),
     "dH forgot the factor γ: the gradient with respect to H′ is ĝ = γ ⊙ d_out."),
]


def backward_cases(rng=None) -> list[tuple]:
    rng = np.random.default_rng(4) if rng is None else rng
    cases = []
    for i in range(2):
        n, m = int(rng.integers(2, 6)), int(rng.integers(4, 10))
        H = 1.0 + rng.standard_normal((m, n)) * rng.uniform(0.5, 3.0, n)
        cases.append((f"case {i + 1} ({m} × {n})", rng.standard_normal((m, n)), H,
                      rng.uniform(0.5, 2.0, n), float(10 ** rng.uniform(-3, -1))))
    return cases


@never_raises
def check_batch_norm_backward(fn, *, cases=None, timeout: float = 2.0):
    """Check ``batch_norm_backward(d_out, H, gamma, delta) -> (dH, dgamma, dbeta)``."""
    problem = _signature(fn, "batch_norm_backward", 4)
    if problem is not None:
        return problem
    cases = backward_cases() if cases is None else cases
    problem = _first_problem(fn, "batch_norm_backward", cases, reference_backward,
                             BACKWARD_MISTAKES, ("dH", "dgamma", "dbeta"), timeout)
    if problem is not None:
        return problem
    return passed(f"batch_norm_backward agrees with the gradient-checked reference on "
                  f"{len(cases)} minibatches, through μ and σ.", cases=len(cases))


@hidden_check
@never_raises
def check_batch_norm_backward_random(fn, *, seed: int | None = None, timeout: float = 2.0):
    seed = current_seed() if seed is None else int(seed)
    cases = backward_cases(np.random.default_rng(seed))
    return hidden_result(check_batch_norm_backward(fn, cases=cases, timeout=timeout),
                         "new random minibatches", seed)
