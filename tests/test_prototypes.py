"""The prototype problems: derivatives against finite differences, the noise's stated
distributions, seeds that replay, the pass tests, and every optimizer running on them."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib import gradcheck
from course_lib.learned import LearnedOptimizer, from_readable
from course_lib.optim import (
    BFGS,
    LBFGS,
    SGD,
    VSGD,
    AdaDelta,
    AdaGrad,
    Adam,
    ConjugateGradient,
    CoordinateDescent,
    DeltaBarDelta,
    HessianFree,
    HypergradientSGD,
    Momentum,
    Nesterov,
    Newton,
    RMSProp,
    RMSPropNesterov,
)
from course_lib.prototypes import (
    PROTOTYPES,
    SHAPES,
    Additive,
    Cauchy,
    Exact,
    MaskOut,
    Multiplicative,
    Prototype,
    Sparse,
    prototype,
)
from course_lib.prototypes.shapes import CLIFF_AT
from course_lib.run import minimize

# Points away from the kink of abs at 0, spread over each shape's box and across the cliff.
POINTS = np.array([-2.3, -1.1, -0.4, 0.3, 0.97, 1.01, 1.04, 1.7, 3.2])


# --- derivatives ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(SHAPES))
def test_shape_derivatives_match_finite_differences(name):
    s = SHAPES[name]
    h = 1e-6
    for x in POINTS:
        numerical = (s.f(x + h) - s.f(x - h)) / (2 * h)
        assert np.isclose(s.df(x), numerical, rtol=1e-6, atol=1e-7), (name, x)
        numerical2 = (s.df(x + h) - s.df(x - h)) / (2 * h)
        assert np.isclose(s.d2f(x), numerical2, rtol=1e-5, atol=1e-5), (name, x)


def test_shape_values_and_minimizers():
    assert SHAPES["bowl"].f(2.0) == 2.0 and SHAPES["abs"].f(-3.0) == 3.0
    assert np.isclose(SHAPES["gauss"].f(0.0), 0.0) and SHAPES["gauss"].f(10.0) > 0.999
    assert np.isclose(SHAPES["ridge"].f(1.0), -0.25) and SHAPES["ridge"].df(0.0) == 0.0
    assert SHAPES["sigmoid"].f(0.0) == 0.5 and SHAPES["line"].df(5.0) == -1.0
    # the cliff: a step of height 1 at x = 1, slope 1/(4 · 0.02) = 12.5 at its middle
    cliff = SHAPES["cliff"]
    assert np.isclose(cliff.f(1.5) - cliff.f(0.5), 1.0 + SHAPES["gauss"].f(1.5)
                      - SHAPES["gauss"].f(0.5), atol=1e-9)
    assert np.isclose(cliff.df(CLIFF_AT), 12.5 + SHAPES["gauss"].df(CLIFF_AT))
    assert abs(cliff.minimizers[0]) < 1e-15 and abs(cliff.df(cliff.minimizers[0])) < 1e-18


def clean_problems():
    return {name: prototype(name).clean() for name in PROTOTYPES}


@pytest.mark.parametrize("name", list(PROTOTYPES))
def test_prototype_gradient_and_hessian_match_finite_differences(name):
    p = prototype(name).clean()
    rng = np.random.default_rng(7)
    for _ in range(3):
        theta = p.theta0(0) + 0.7 * rng.standard_normal(p.dim)
        if "abs" in [s.name for s in p.shapes]:
            theta = theta + 0.05                           # keep away from the kink
        assert gradcheck.check_grad(p, theta, rtol=1e-5), name
        # the Hessian against differences of the noise-free gradient, which leaves the clock
        # of the drifting optimum alone (each call of grad would move the optimum)
        numerical = gradcheck.numerical_hessian(p.exact_grad, theta)
        assert gradcheck.compare("Hessian", p.hessian(theta), numerical, 1e-4, 1e-5), name


@pytest.mark.parametrize("coupling, rotation", [(0.7, None), (0.0, 0.4), (0.5, 1.1)])
def test_rotation_and_coupling_derivatives_in_3d_and_2d(coupling, rotation):
    q, _ = np.linalg.qr(np.arange(1.0, 10.0).reshape(3, 3) ** 0.5)
    p3 = Prototype(("bowl", "gauss", "ridge"), scales=(2.0, 0.5, 3.0), coupling=coupling,
                   rotation=q)
    p2 = Prototype(("ridge", "sigmoid"), coupling=coupling, rotation=rotation)
    for p in (p3, p2):
        theta = np.linspace(-0.8, 0.9, p.dim)
        assert gradcheck.check_grad(p, theta)
        assert gradcheck.check_hessian(p, theta, rtol=1e-4)
        # z ↔ θ: from_z inverts to_z
        z = np.linspace(0.2, -0.5, p.dim)
        assert np.allclose(p.to_z(p.from_z(z))[1][0], z)


def test_scales_multiply_loss_and_gradient_and_keep_the_minimizer():
    base, big = Prototype("bowl"), Prototype("bowl", scales=1000.0)
    assert big.loss([2.0]) == 1000 * base.loss([2.0])
    assert np.allclose(big.grad([2.0]), 1000 * base.grad([2.0]))
    assert np.allclose(big.minimizer(), base.minimizer())


# --- noise -------------------------------------------------------------------------------------
N = 200_000
G = np.array([1.5, -0.5, 0.0])


def samples(noise, seed=11, g=G, n=N):
    rng = np.random.default_rng(seed)
    return np.array([noise.sample(g, rng) for _ in range(n)])


@pytest.mark.parametrize("noise", [Additive(0.7), Multiplicative(2.0), MaskOut(0.9),
                                   Sparse((1.0, 0.3, 0.05)), Exact()],
                         ids=lambda n: n.name)
def test_noise_has_its_stated_mean_and_variance(noise):
    x = samples(noise, n=N if noise.name != "exact" else 10)
    var = noise.variance(G)
    se = np.sqrt(var / len(x))                          # standard error of the mean
    assert np.all(np.abs(x.mean(axis=0) - noise.mean(G)) <= 5 * se + 1e-12)
    assert np.allclose(x.var(axis=0), var, rtol=0.05, atol=1e-12)


def test_stated_variances_are_the_formulas():
    assert np.allclose(Additive(0.7).variance(G), 0.49)
    assert np.allclose(Multiplicative(2.0).variance(G), 4.0 * G ** 2)
    assert np.allclose(MaskOut(0.9).variance(G), G ** 2 * 9.0)
    assert np.allclose(Sparse((1.0, 0.3, 0.05)).variance(G), G ** 2 * np.array([0, 0.7 / 0.3,
                                                                                 19.0]))


def test_cauchy_noise_has_median_g_quartiles_gamma_and_tail_index_one():
    noise = Cauchy(0.2)
    x = samples(noise, g=np.array([1.0]))[:, 0]
    assert abs(np.median(x) - 1.0) < 0.005
    q1, q3 = np.percentile(x, [25, 75])
    assert np.isclose(q3 - q1, 2 * 0.2, rtol=0.02)       # the IQR of γ·C is 2γ
    # Hill's estimator of the tail index on the largest 1 % of |g̃ − g|
    tail = np.sort(np.abs(x - 1.0))[-N // 100:]
    hill = 1.0 / np.mean(np.log(tail / tail[0]))
    assert np.isclose(hill, noise.tail_index, rtol=0.1)
    assert np.all(np.isinf(noise.variance([1.0])))


def test_mask_out_drops_whole_vectors_sparse_drops_coordinates():
    m = samples(MaskOut(0.5), n=2000)
    zero_rows = np.all(m == 0, axis=1)
    assert np.all(m[~zero_rows] == G / 0.5)            # kept vectors are whole, rescaled
    assert 0.45 < zero_rows.mean() < 0.55
    s = samples(Sparse((1.0, 0.5, 0.5)), g=np.array([1.0, 1.0, 1.0]), n=4000)
    assert np.all(s[:, 0] == 1.0)
    both = np.mean((s[:, 1] == 0) & (s[:, 2] == 0))
    assert 0.2 < both < 0.3                               # independent: 0.5 × 0.5


# --- seeds, clock, criteria ---------------------------------------------------------------------
def test_a_seed_replays_its_noise_and_other_seeds_differ():
    p = prototype("bowl · additive")
    a = [p.with_seed(3).grad([1.0]) for _ in range(2)]
    run1, run2 = p.with_seed(3), p.with_seed(3)
    seq1 = [run1.grad([1.0]) for _ in range(5)]
    seq2 = [run2.grad([1.0]) for _ in range(5)]
    assert np.array_equal(seq1, seq2) and np.array_equal(a[0], a[1])
    other = p.with_seed(4)
    assert not np.array_equal(seq1, [other.grad([1.0]) for _ in range(5)])
    assert np.array_equal(p.clean().grad([1.0]), [1.0]) and isinstance(p.clean().noise, Exact)
    assert p.exact_grad([1.0]) == [1.0] and p.loss([2.0]) == 2.0   # loss is noise-free


def test_starts_are_seeded_and_within_the_spread():
    p = prototype("bowl")
    assert np.array_equal(p.theta0(5), p.theta0(5)) and not np.array_equal(p.theta0(5),
                                                                            p.theta0(6))
    starts = np.array([p.theta0(s)[0] for s in range(50)])
    assert np.all(np.abs(starts - 2.0) <= 0.5) and p.theta0()[0] == 2.0


def test_the_drifting_optimum_moves_with_each_gradient_evaluation():
    p = prototype("drifting")
    assert p.t == 0 and np.array_equal(p.center(), [0.0, 0.0])
    for _ in range(10):
        p.grad([0.0, 0.0])
    assert p.t == 10 and np.allclose(p.center(), [0.2, 0.2])
    assert np.allclose(p.minimizer(), [0.2, 0.2])
    assert p.passes([0.2, 0.2]) and not p.passes([0.0, 0.0])
    p.loss([0.0, 0.0])
    p.hessian([0.0, 0.0])
    assert p.t == 10                                        # only gradients move the clock


def test_pass_tests_and_their_statements():
    bowl = prototype("bowl")
    assert bowl.passes([0.04]) and not bowl.passes([0.06])
    assert not bowl.passes([np.nan]) and not bowl.passes([np.inf])
    assert bowl.statement() == "z: |z − (0)| ≤ 0.05 after 200 steps"
    ridge = prototype("ridge")
    assert ridge.passes([-0.99]) and ridge.passes([1.02]) and not ridge.passes([0.0])
    line = prototype("line")
    assert line.passes([100.5]) and not line.passes([99.0])
    assert "f(z) ≤ -100" in line.statement()
    sweep = prototype("scale sweep")
    assert sweep.passes(np.zeros(5)) and not sweep.passes([0, 0, 0, 0, 0.2])
    mine = Prototype("bowl", criterion=lambda theta, loss: loss < 1.0, statement="J < 1")
    assert mine.passes([1.0]) and not mine.passes([2.0]) and mine.statement() == "J < 1"


def test_bad_arguments_are_refused_with_the_parameter_named():
    with pytest.raises(ValueError, match="shape must be one of"):
        Prototype("banana")
    with pytest.raises(ValueError, match="scales must be > 0"):
        Prototype("bowl", scales=-1.0)
    with pytest.raises(ValueError, match="noise must be"):
        Prototype("bowl", noise="gaussian")
    with pytest.raises(ValueError, match="rotation"):
        Prototype(("bowl", "bowl"), rotation=np.ones((2, 2)))
    with pytest.raises(ValueError, match="sigma must be > 0"):
        Additive(0.0)
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\)"):
        MaskOut(1.0)
    with pytest.raises(ValueError, match="p must be in"):
        Sparse((0.5, 0.0))
    with pytest.raises(ValueError, match="prototype must be one of"):
        prototype("nope")
    with pytest.raises(ValueError, match="has shape"):
        prototype("rotated").loss([1.0])


# --- every optimizer of the course runs on them ----------------------------------------------
OPTIMIZERS = [SGD(lr=0.05), Momentum(lr=0.02), Nesterov(lr=0.02), DeltaBarDelta(lr=0.02),
              AdaGrad(lr=0.3), RMSProp(lr=0.03), RMSPropNesterov(lr=0.01), Adam(lr=0.05),
              AdaDelta(), VSGD(), Newton(alpha=1.0), ConjugateGradient(), BFGS(), LBFGS(),
              HessianFree(), CoordinateDescent(), HypergradientSGD(lr=0.01, beta=1e-3),
              LearnedOptimizer(from_readable(0.05, 0.5, 0.9, 10.0))]


@pytest.mark.parametrize("optimizer", OPTIMIZERS, ids=lambda o: type(o).__name__)
def test_every_optimizer_runs_on_a_noisy_2d_prototype_through_minimize(optimizer):
    p = Prototype(("bowl", "gauss"), scales=(1.0, 3.0), rotation=0.3,
                  noise=Multiplicative(0.2), seed=1)
    trace = minimize(p, optimizer, p.theta0(1), 30, warn=False)
    assert trace.n_steps >= 1 and np.isfinite(trace.loss)
    assert trace.loss < p.loss(p.theta0(1))
