"""``optim.fused``: one pass per line, and bit-for-bit the numbers of the plain numpy lines.

The reference below is each optimizer's step as it was written before ``fused`` (numpy, one
operation at a time, ``_divide`` for the δ = 0 rule), frozen here. Every optimizer that uses
``fused`` must give exactly (``array_equal``, not ``allclose``) its numbers: on arrays below
and above ``COMPILED_FROM``, compiled (numba) and with the numpy fallback, with δ = 0 and
coordinates that never saw a gradient, with and without Adam's bias corrections, and with
schedules for ε and α.
"""

from __future__ import annotations

import numpy as np
import pytest

import course_lib.optim.fused as fused
from course_lib.optim import AdaGrad, Adam, Momentum, Nesterov, RMSProp, RMSPropNesterov
from course_lib.schedules import ramp

SIZES = (7, fused.COMPILED_FROM - 1, fused.COMPILED_FROM + 3)


def _divide(numerator, denominator):
    numerator = np.asarray(numerator, dtype=float)
    return np.divide(numerator, denominator, out=np.zeros_like(numerator),
                     where=denominator != 0)


def reference_step(opt, theta, state, grad, k):
    """The step of ``opt`` as plain numpy lines; ``state`` is a dict of arrays."""
    if isinstance(opt, Momentum):
        eps, alpha = opt.lr(k), opt.alpha(k)
        v = alpha * state["v"] - eps * grad(theta)
        return theta + v, {"v": v}
    if isinstance(opt, Nesterov):
        eps, alpha = opt.lr(k), opt.alpha(k)
        g = grad(theta + alpha * state["v"])
        v = alpha * state["v"] - eps * g
        return theta + v, {"v": v}
    g, eps, delta = grad(theta), opt.lr(k), opt.delta
    if isinstance(opt, AdaGrad):
        r = state["r"] + g * g
        return theta + -eps * _divide(g, delta + np.sqrt(r)), {"r": r}
    if isinstance(opt, RMSProp):
        r = opt.rho * state["r"] + (1 - opt.rho) * g * g
        return theta + -eps * _divide(g, np.sqrt(delta + r)), {"r": r}
    if isinstance(opt, Adam):
        s = opt.rho1 * state["s"] + (1 - opt.rho1) * g
        r = opt.rho2 * state["r"] + (1 - opt.rho2) * g * g
        c1, c2 = opt.corrections(k)
        return theta + -eps * _divide(s / c1, np.sqrt(r / c2) + delta), {"s": s, "r": r}
    raise AssertionError(type(opt))


def reference_rmsprop_nesterov(opt, theta, state, grad, k):
    eps, alpha, rho, delta = opt.lr(k), opt.alpha(k), opt.rho, opt.delta
    g = grad(theta + alpha * state["v"])
    r = rho * state["r"] + (1 - rho) * g * g
    v = alpha * state["v"] - eps * _divide(g, np.sqrt(delta + r))
    return theta + v, {"r": r, "v": v}


class Oracle:
    """A gradient that is not linear in θ (so every step differs), with some coordinates
    whose gradient is always exactly 0 (for the δ = 0 rule)."""

    def __init__(self, n, seed):
        rng = np.random.default_rng(seed)
        self.scale = rng.lognormal(0.0, 1.0, n)
        self.dead = rng.random(n) < 0.1

    def grad(self, theta):
        g = self.scale * np.sin(theta) + 0.1 * theta
        g[self.dead] = 0.0
        return g


OPTIMIZERS = {
    "momentum": lambda: Momentum(lr=0.01, alpha=0.9),
    "momentum, ramped α": lambda: Momentum(lr=lambda k: 0.02 / k, alpha=ramp(0.5, 0.9, 5)),
    "nesterov": lambda: Nesterov(lr=0.01, alpha=0.95),
    "adagrad": lambda: AdaGrad(lr=0.1),
    "adagrad δ=0": lambda: AdaGrad(lr=0.1, delta=0.0),
    "rmsprop": lambda: RMSProp(lr=0.01, rho=0.8),
    "rmsprop δ=0": lambda: RMSProp(lr=0.01, delta=0.0),
    "adam": lambda: Adam(lr=0.01),
    "adam δ=0": lambda: Adam(lr=0.01, delta=0.0),
    "adam, no bias correction": lambda: Adam(lr=0.01, rho1=0.8, bias_correction=False),
    "rmsprop-nesterov": lambda: RMSPropNesterov(lr=0.01, alpha=0.9),
    "rmsprop-nesterov δ=0": lambda: RMSPropNesterov(lr=0.01, alpha=0.9, delta=0.0),
}


@pytest.fixture(params=["compiled", "numpy only"])
def engine(request, monkeypatch):
    if request.param == "compiled":
        pytest.importorskip("numba")
    else:
        monkeypatch.setattr(fused, "_numba", lambda: None)
    return request.param


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("name", OPTIMIZERS)
def test_every_step_is_bitwise_the_numpy_lines(name, n, engine):
    opt, oracle = OPTIMIZERS[name](), Oracle(n, seed=n)
    theta = np.random.default_rng(1).standard_normal(n)
    state = opt.init(theta)
    ref_theta = theta.copy()
    ref_state = {key: np.zeros(n) for key in vars(state) if key not in ("k", "t")}
    reference = (reference_rmsprop_nesterov if isinstance(opt, RMSPropNesterov)
                 else reference_step)
    for k in range(1, 13):
        theta, state = opt.step(theta, state, oracle)
        ref_theta, ref_state = reference(opt, ref_theta, ref_state, oracle.grad, k)
        assert np.array_equal(theta, ref_theta), f"{name}, n={n}, step {k}: θ differs"
        for key, value in ref_state.items():
            held = getattr(state, key)
            assert np.array_equal(held, value), f"{name}, n={n}, step {k}: {key} differs"
            assert not held.flags.writeable, f"{name}: state.{key} must be read-only"
    assert np.all(np.isfinite(theta))
    if "δ=0" in name:            # the never-seen coordinates did not move (0/0 := 0)
        start = np.random.default_rng(1).standard_normal(n)
        assert np.array_equal(theta[oracle.dead], start[oracle.dead])


def test_a_held_state_never_changes_under_later_steps():
    n = fused.COMPILED_FROM + 1
    opt, oracle = Adam(lr=0.01), Oracle(n, seed=3)
    theta = np.ones(n)
    theta, first = opt.step(theta, opt.init(theta), oracle)
    copies = (first.s.copy(), first.r.copy())
    for _ in range(3):
        theta, state = opt.step(theta, first, oracle)    # the same held state, again
    assert np.array_equal(first.s, copies[0]) and np.array_equal(first.r, copies[1])
    with pytest.raises(ValueError):
        first.s[0] = 1.0


@pytest.fixture
def kernel_calls(monkeypatch):
    """The lines of every compiled loop asked for, in order (numba required)."""
    pytest.importorskip("numba")
    calls = []
    kernel = fused._kernel
    monkeypatch.setattr(fused, "_kernel", lambda *a: calls.append(a[0]) or kernel(*a))
    return calls


def test_the_compiled_loop_runs_on_large_float_arrays_only(kernel_calls):
    calls = kernel_calls
    big = np.ones(fused.COMPILED_FROM)
    out = fused.fused("a * x + y", {"a": 2.0, "x": big, "y": big})
    assert calls == [(("value", "a * x + y"),)]
    assert np.array_equal(out, np.full(big.shape, 3.0))
    fused.fused("a * x + y", {"a": 2.0, "x": big[:-1], "y": big[:-1]})        # small
    fused.fused("x + y", {"x": big, "y": big.astype(np.float32)})            # float32
    fused.fused("x + y", {"x": big, "y": np.ones((1,))})                     # broadcasting
    fused.fused("x + y", {"x": big, "y": True})                              # a bool
    assert calls == [(("value", "a * x + y"),)]


@pytest.mark.parametrize("engine_name", ["compiled", "numpy only"])
def test_any_shape_and_layout_and_ieee_edge_cases(engine_name, monkeypatch):
    """A 2-D array, a transposed (not contiguous) one, 0/0, x/0 and sqrt of a negative:
    numpy's numbers, and no exception, in both paths."""
    if engine_name == "compiled":
        pytest.importorskip("numba")
    else:
        monkeypatch.setattr(fused, "_numba", lambda: None)
    rng = np.random.default_rng(5)
    side = 2 ** 9                                  # 2¹⁸ elements: above COMPILED_FROM
    x, y = rng.standard_normal((side, side)), rng.standard_normal((side, side)).T
    x[0, :3], y[0, :3] = (0.0, 1.0, -4.0), (0.0, 0.0, 0.0)
    with np.errstate(all="ignore"):
        expected = x / y + np.sqrt(x) * 2.0
    with np.errstate(all="raise"):
        out = fused.fused("x / y + sqrt(x) * c", {"x": x, "y": y, "c": 2})
    assert out.shape == x.shape and np.array_equal(out, expected, equal_nan=True)
    assert np.isnan(out[0, 0]) and np.isinf(out[0, 1]) and np.isnan(out[0, 2])


def test_scalars_and_bare_names():
    assert fused.fused("x * 2 + 1", {"x": 1.5}) == 4.0
    x = np.arange(3.0)
    out = fused.fused("x", {"x": x})
    assert np.array_equal(out, x) and out is not x      # a new array, never the input
    with np.errstate(all="raise"):                       # 0/0 does not warn: the caller decides
        assert np.isnan(fused.fused("x / y", {"x": np.zeros(2), "y": np.zeros(2)})).all()


@pytest.mark.parametrize("formula, message", [
    ("x ** 2", "only"), ("exp(x)", "only"), ("x.sum()", "only"), ("x[0]", "only"),
    ("x if y else y", "only"), ("x + z", "no value for z")])
def test_bad_formulas_are_refused_with_a_reason(formula, message):
    with pytest.raises(ValueError, match=message):
        fused.fused(formula, {"x": np.ones(2), "y": np.ones(2)})


@pytest.mark.parametrize("n", SIZES)
def test_a_pending_line_gives_the_numbers_of_computing_it_first(n):
    rng = np.random.default_rng(3)
    theta, g, r = rng.standard_normal(n), rng.standard_normal(n), rng.random(n)
    eps, delta = 0.01, 1e-6
    one_by_one = fused.fused("theta + delta_theta", {
        "theta": theta, "delta_theta": fused.fused("-eps * (g / sqrt(delta + r))", locals())})
    delta_theta = fused.pending("-eps * (g / sqrt(delta + r))", locals())
    assert np.array_equal(fused.fused("theta + delta_theta", locals()), one_by_one)
    assert np.array_equal(fused.computed(delta_theta), -eps * (g / np.sqrt(delta + r)))
    # the pending line's own names never meet the outer line's: another g outside
    outer = fused.fused("g + delta_theta", {"g": theta, "delta_theta": delta_theta})
    assert np.array_equal(outer, theta + (-eps * (g / np.sqrt(delta + r))))


def test_a_pending_line_is_checked_when_it_is_written():
    with pytest.raises(ValueError, match="no value for r"):
        fused.pending("g / r", {"g": np.ones(3)})
    assert np.array_equal(fused.computed(np.ones(2)), np.ones(2))


def test_scalar_parts_are_folded_once():
    text, parts = fused._folded("rho * r + (1 - rho) * g * g", frozenset({"rho"}))
    assert text == "rho * r + _folded_0 * g * g" and len(parts) == 1
    assert fused._folded("theta + v", frozenset())[0] == "theta + v"


@pytest.mark.parametrize("n", SIZES)
def test_lines_together_give_the_numbers_of_one_line_after_the_other(n, engine):
    """Each line reads the new values of the lines above it and the given values of every
    other name (the old v in the first line, the new v in the second)."""
    rng = np.random.default_rng(7)
    theta, v, g, r = (rng.standard_normal(n), rng.standard_normal(n), rng.standard_normal(n),
                      rng.random(n))
    alpha, eps, rho = 0.9, 0.01, 0.75
    given = [x.copy() for x in (theta, v, g, r)]
    new_v = fused.fused("alpha * v - eps * g", locals())
    new_r = fused.fused("rho * r + (1 - rho) * g * g", locals())
    new_theta = fused.fused("theta + v - eps * g / sqrt(r)", {**locals(), "v": new_v, "r": new_r})
    v_out, r_out, theta_out = fused.fused_lines(
        locals(), "v = alpha * v - eps * g", "r = rho * r + (1 - rho) * g * g",
        "theta = theta + v - eps * g / sqrt(r)")
    for out, expected in ((v_out, new_v), (r_out, new_r), (theta_out, new_theta)):
        assert np.array_equal(out, expected)
        assert not any(np.shares_memory(out, held) for held in (theta, v, g, r))
    for held, before in zip((theta, v, g, r), given, strict=True):     # inputs untouched
        assert np.array_equal(held, before)


def test_lines_share_one_compiled_loop(kernel_calls):
    calls = kernel_calls
    big = np.ones(fused.COMPILED_FROM)
    v, theta = fused.fused_lines({"v": big, "theta": big, "a": 0.5}, "v = a * v",
                                 "theta = theta + (1 - a) * v")
    assert calls == [(("v", "a * v"), ("theta", "theta + _folded_1_0 * v"))]
    assert np.array_equal(v, np.full(big.shape, 0.5))
    assert np.array_equal(theta, np.full(big.shape, 1.25))


@pytest.mark.parametrize("lines, message", [
    (("v alpha * v",), "write it as 'name = formula'"),
    (("2v = v",), "write it as 'name = formula'"),
    (("v = v ** 2",), "only"),
    (("v = alpha * v", "theta = theta + w"), "no value for w")])
def test_bad_lines_are_refused_with_a_reason(lines, message):
    with pytest.raises(ValueError, match=message):
        fused.fused_lines({"v": np.ones(2), "theta": np.ones(2), "alpha": 0.5}, *lines)
