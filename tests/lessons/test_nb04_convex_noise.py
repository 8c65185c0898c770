"""Notebook 04, sections 6 and 7: Nesterov's O(1/k²) taken apart, and momentum on noisy
gradients. Every printed number is asserted against the theory or an independent computation
(a second implementation of the recursions, closed forms, the AR(2) variance formula)."""

import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import j1

from course_lib import gradcheck, rates
from course_lib.lessons.nb04_momentum_physics import convex, noise


@pytest.fixture(scope="module")
def runs():
    return convex.compute_convex_rates(steps=3000, alpha=0.5)


@pytest.fixture(scope="module")
def lessard():
    return convex.compute_lessard()


@pytest.fixture(scope="module")
def floors():
    return noise.compute_noise_floor(lr=0.1, alpha=0.9)


def by_hand(lam, theta0, steps, alpha, nesterov):
    """Each direction's two-term recursion in plain numpy: the excess error at every step."""
    theta, v, out = theta0.copy(), np.zeros_like(theta0), []
    for k in range(1, steps + 1):
        a = alpha(k)
        g = lam * (theta + a * v) if nesterov else lam * theta
        v = a * v - g                                   # ε = 1
        theta = theta + v
        out.append(0.5 * np.sum(lam * theta ** 2))
    return np.array(out)


# --- 6. the problem --------------------------------------------------------------------------
def test_the_spread_problem_is_what_the_text_says():
    J, lam, theta0 = convex.spread_problem()
    assert lam.size == 300 and lam.max() < 1.0 and lam.min() > 1e-9
    assert np.allclose(np.diff(np.log(lam)), np.log(1e9) / 300)          # evenly log-spaced
    edges = np.geomspace(1e-9, 1.0, 301)
    np.testing.assert_allclose(0.5 * lam * theta0 ** 2, 0.5 * np.diff(edges))   # ½ dλ each
    assert J.loss(theta0) == pytest.approx(0.5 * (1 - 1e-9))
    assert float(theta0 @ theta0) == pytest.approx(math.log(1e9), rel=1e-3)   # ∫ dλ/λ
    for seed in range(3):
        point = np.random.default_rng(seed).standard_normal(300)
        assert gradcheck.check_grad(J, point).ok


def test_runs_agree_with_a_second_implementation(runs):
    _, lam, theta0 = convex.spread_problem()
    names = list(runs["runs"])
    sched = lambda k: (k - 1) / (k + 2)              # noqa: E731
    for name, alpha, nest in [(names[0], lambda k: 0.0, False), (names[2], lambda k: 0.5, True),
                              (names[3], sched, False), (names[4], sched, True)]:
        np.testing.assert_allclose(runs["runs"][name]["excess"],
                                   by_hand(lam, theta0, 3000, alpha, nest), rtol=1e-9,
                                   atol=1e-300)


def test_gradient_descent_is_the_closed_form_and_one_over_4k(runs):
    _, lam, theta0 = convex.spread_problem()
    k = runs["k"]
    exact = np.array([0.5 * np.sum(lam * theta0 ** 2 * (1 - lam) ** (2 * j)) for j in k])
    gd = runs["runs"]["gradient descent"]["excess"]
    np.testing.assert_allclose(gd, exact, rtol=1e-10)
    # ½ ∫₀¹ (1 − λ)^{2k} dλ = 1/(2(2k + 1)); the sum is that integral to within 1 % for k ≥ 10
    np.testing.assert_allclose(gd[9:], 1 / (2 * (2 * k[9:] + 1)), rtol=0.01)


def test_the_equation_of_motion_gives_two_over_t_squared():
    # (4/t²) ∫₀ᵗ J₁(s)²/s ds → 2/t²: the excess of the Bessel solution, summed over dλ
    for t in (300.0, 3000.0):
        value = 4 * quad(lambda s: j1(s) ** 2 / s, 0, t, limit=4000)[0]
        assert abs(value - 2.0) < 2.0 / t                   # the tail ∫ₜ^∞ is about 1/(πt)


def test_slopes_and_constants_against_the_theory(runs):
    r = runs["runs"]
    names = list(r)
    for name in names[:3]:                                # gradient descent, constant α
        assert r[name]["slope"] == pytest.approx(-1.0, abs=0.01), name
        assert r[name]["theory_slope"] == -1.0
    assert r[names[0]]["constant"] == pytest.approx(0.25, rel=0.01)          # 1/(4k)
    for name in names[1:3]:                               # (1 − α)/(4k), α = 0.5
        assert r[name]["constant"] == pytest.approx(0.125, rel=0.01), name
    for name in names[3:]:                                # the equation of motion: 2/k²
        assert r[name]["slope"] == pytest.approx(-2.0, abs=0.04), name
        assert r[name]["constant"] == pytest.approx(2.0, rel=0.03), name
    # the printed numbers the notebook quotes
    assert [f"{r[n]['slope']:.2f}" for n in names] == ["-1.00", "-1.00", "-1.00", "-1.98",
                                                       "-1.97"]
    assert [f"{r[n]['constant']:.2f}" for n in names[3:]] == ["1.99", "1.95"]


def test_nesterov_bound_holds_at_every_step(runs):
    nest = list(runs["runs"].values())[-1]["excess"]
    k = runs["k"]
    bound = 2 * runs["distance2"] / (k + 1.0) ** 2            # ε = 1/L = 1
    assert np.all(nest <= bound)
    assert 20 < np.min(bound / nest) < 22                     # "a factor 21 to spare"


def test_the_look_ahead_damps_the_steep_directions(runs):
    heavy, nest = list(runs["runs"].values())[3:]
    k = runs["k"]
    # Π_{j≤k} α_j = 6/(k(k+1)(k+2)), computed as a product
    prod = np.cumprod([(j - 1) / (j + 2) if j > 1 else 1.0 for j in k])
    np.testing.assert_allclose(prod[1:], runs["ring_theory"][1:], rtol=1e-10)
    assert convex.steep_slope(runs) == pytest.approx(-3.0, abs=0.05)
    assert heavy["steep"][999] == pytest.approx(6.9e-9, rel=0.01)
    assert nest["steep"][999] < min(1e-13, 1e-5 * heavy["steep"][999])
    assert nest["steep"][-1] < 1e-24


def test_convex_report(runs):
    text = convex.report_convex_rates(runs)
    for words in ("gradient descent             -0.999      -1               8.33e-05   "
                  "k^1·(J − J*) = 0.250 (0.25)",
                  "momentum, α = 0.5            -0.999      -1",
                  "Nesterov, α = 0.5            -1.000      -1",
                  "momentum, αₖ = (k−1)/(k+2)   -1.984      -2               2.21e-07   "
                  "k^2·(J − J*) = 1.988 (2)",
                  "Nesterov, αₖ = (k−1)/(k+2)   -1.974      -2               2.17e-07   "
                  "k^2·(J − J*) = 1.953 (2)",
                  "by a factor ≥ 21 (‖θ₀ − θ*‖² = 20.7)"):
        assert words in text, words
    steep = convex.report_steep(runs)
    assert "k = 1000: 6.9e-09 vs 1.1e-14" in steep and "k^-2.99" in steep


def test_the_heavy_ball_cycles_on_lessards_function(lessard):
    f = convex.LESSARD
    for x in (-3.0, 0.5, 1.5, 2.5, 5.0):                  # away from the kinks at 1 and 2
        assert gradcheck.check_grad(f, [x]).ok
    # strongly convex with m = 1 and L = 25: slopes of the gradient between 1 and 25
    xs = np.linspace(-5, 5, 2001)
    slopes = np.diff([f.grad([x])[0] for x in xs]) / np.diff(xs)
    assert slopes.min() >= 1 - 1e-9 and slopes.max() <= 25 + 1e-9
    assert f.loss([0.0]) == 0.0 and abs(f.loss([1.0]) - 12.5) < 1e-12   # continuous pieces
    assert lessard["lr"] == pytest.approx(1 / 9) and lessard["alpha"] == pytest.approx(4 / 9)
    assert lessard["period3"] and len(lessard["cycle"]) == 3
    assert min(lessard["heavy_losses"][-30:]) > 5.0               # it never gets closer
    assert lessard["nesterov_final"] == 0.0
    text = convex.report_lessard(lessard)
    assert "cycles through θ = -1.802, 0.647, 2.116 (J = 5.23, 40.61, 41.18)" in text
    assert "J = 0 from step 2 on" in text


# --- 7. noisy gradients -----------------------------------------------------------------------
def ar2_variance(phi1, phi2, s2):
    """Stationary variance of x_{k+1} = φ₁x_k + φ₂x_{k−1} + e_k, Var e = s² (textbook AR(2))."""
    return (1 - phi2) * s2 / ((1 + phi2) * ((1 - phi2) ** 2 - phi1 ** 2))


@pytest.mark.parametrize("method, lr, alpha", [("sgd", 0.1, 0.0), ("momentum", 0.01, 0.9),
                                               ("nesterov", 0.01, 0.9), ("momentum", 0.1, 0.9),
                                               ("nesterov", 0.05, 0.6)])
def test_floor_theory_is_the_ar2_variance(method, lr, alpha):
    total = 0.0
    for lam in noise.LAMBDAS:
        shrink = 1 - lr * lam if method == "nesterov" else 1.0
        phi1 = (1 + alpha) * (1 - lr * lam) if method == "nesterov" else 1 + alpha - lr * lam
        total += 0.5 * lam * ar2_variance(phi1, -alpha * shrink, (lr * noise.SIGMA) ** 2)
    assert noise.floor_theory(method, lr, alpha) == pytest.approx(total, rel=1e-10)
    # momentum's closed form (1 + α)εσ²/(2(1 − α)(2(1 + α) − ελ)) per direction
    if method != "nesterov":
        closed = sum((1 + alpha) * lr / (2 * (1 - alpha) * (2 * (1 + alpha) - lr * lam))
                     for lam in noise.LAMBDAS)
        assert noise.floor_theory(method, lr, alpha) == pytest.approx(closed, rel=1e-10)


def test_the_copies_are_independent_runs_of_the_noisy_bowl():
    J, lam_all = noise.noisy_copies((0.1, 1.0), 1.0, copies=3, seed=4)
    rng = np.random.default_rng(4)
    theta = np.tile([5.0, 5.0], 3)
    mine = theta.copy()
    from course_lib import minimize
    from course_lib.optim import SGD
    trace = minimize(J, SGD(lr=0.1), theta, 5, record_every=None)
    rng.standard_normal(6)                   # minimize records ‖∇J(θ₀)‖: one draw first
    for _ in range(5):
        mine = mine - 0.1 * (lam_all * mine + rng.standard_normal(6))
    np.testing.assert_allclose(trace.theta, mine, rtol=1e-12)
    with pytest.raises(ValueError, match="method must be"):
        noise.floor_theory("adam", 0.1)


def test_momentum_is_not_a_noise_reducer(floors):
    r = floors["runs"]
    names = list(r)
    assert names == ["SGD, ε = 0.1", "momentum, ε = 0.01, α = 0.9",
                     "Nesterov, ε = 0.01, α = 0.9", "momentum, ε = 0.1, α = 0.9"]
    for name in names:                                   # each within 3 standard errors
        assert abs(r[name]["floor"] - r[name]["theory"]) < 3 * r[name]["stderr"], name
    assert [r[n]["effective"] for n in names] == pytest.approx([0.1, 0.1, 0.1, 1.0])
    assert abs(floors["ratio"] - floors["ratio_theory"]) < 3 * floors["ratio_stderr"]
    assert floors["ratio_theory"] == pytest.approx(0.973, abs=5e-4)
    # the small-step rule ε/(1 − α)·σ²n/4, and ten times the floor at ten times the rate
    assert floors["small_rate_floor"] == pytest.approx(0.05)
    assert r[names[0]]["theory"] == pytest.approx(0.05, rel=0.05)
    assert r[names[3]]["floor"] / r[names[0]]["floor"] == pytest.approx(10, rel=0.05)
    # at the same effective rate the curves fall at the same speed; at SGD's ε much faster
    reach = [r[n]["reach"] for n in names]
    assert reach == [154, 143, 149, 14]
    assert max(reach[:3]) / min(reach[:3]) < 1.1


def test_noise_report(floors):
    text = noise.report_noise_floor(floors)
    for words in ("SGD, ε = 0.1                            0.1      0.0516 ± 0.0006    0.0514",
                  "momentum, ε = 0.01, α = 0.9             0.1      0.0503 ± 0.0007    0.0501",
                  "Nesterov, ε = 0.01, α = 0.9             0.1      0.0480 ± 0.0007    0.0478",
                  "momentum, ε = 0.1, α = 0.9                1      0.5058 ± 0.0030    0.5074",
                  "0.975 ± 0.002 (theory 0.973)", "= 0.0500"):
        assert words in text, words


def test_figures(runs, floors):
    import matplotlib.pyplot as plt

    for fig in (convex.figure_convex_rates(runs), noise.figure_noise_floor(floors)):
        try:
            for ax in fig.axes:
                assert ax.get_xlabel() and ax.get_ylabel()
        finally:
            plt.close(fig)
    assert rates.loglog_slope([1, 10], [1, 0.1]) == pytest.approx(-1)
