"""Line searches: Armijo backtracking and strong Wolfe (course_lib.optim.line_search)."""

import numpy as np
import pytest

from course_lib.data import two_gaussians
from course_lib.objectives import (
    Beale,
    ExtendedRosenbrock,
    FunctionObjective,
    LogisticRegression,
    Quadratic,
    Rosenbrock,
)
from course_lib.optim.line_search import (
    LineSearchResult,
    _cubic3,
    _hermite_cubic,
    _quadratic,
    backtracking,
    strong_wolfe,
    value_and_grad,
)
from course_lib.run import Oracle


def _one_d(phi, dphi):
    """φ as a 1-D objective; searching from θ = 0 along d = 1 gives φ itself."""
    return FunctionObjective(lambda x: phi(x[0]), lambda x: np.array([dphi(x[0])]), dim=1)


def _cases():
    """(objective, θ, d): descent directions on several functions, not only −g."""
    rng = np.random.default_rng(3)
    X, y = two_gaussians(m=60, seed=1)
    cases = []
    objectives = [(Rosenbrock(), np.array([-1.2, 1.0])), (Beale(), np.array([1.0, 1.5])),
                  (Quadratic((1.0, 50.0), angle=0.4), np.array([2.0, -1.0])),
                  (ExtendedRosenbrock(8), ExtendedRosenbrock(8).standard_start()),
                  (LogisticRegression(X, y, l2=0.01), np.array([0.3, -0.2]))]
    for objective, theta in objectives:
        g = objective.grad(theta)
        cases.append((objective, theta, -g))
        d = rng.standard_normal(theta.size)
        cases.append((objective, theta, d if d @ g < 0 else -d))   # a random descent direction
        cases.append((objective, theta, -g / np.linalg.norm(g) * 1e-3))  # a very short one
    return cases


CASES = _cases()


@pytest.mark.parametrize("case", range(len(CASES)))
@pytest.mark.parametrize("eta0", [1.0, 1e-4, 100.0])
def test_strong_wolfe_conditions_hold_at_the_returned_step(case, eta0):
    objective, theta, d = CASES[case]
    oracle = Oracle(objective)
    f, g = objective.loss(theta), objective.grad(theta)
    c1, c2 = 1e-4, 0.9
    r = strong_wolfe(oracle, theta, d, f, g, eta0=eta0, c1=c1, c2=c2)
    assert r.success, r.message
    point = theta + r.eta * d
    assert r.f == objective.loss(point)
    assert r.f <= f + c1 * r.eta * (g @ d)                              # Armijo
    assert abs(objective.grad(point) @ d) <= c2 * abs(g @ d)           # strong curvature
    np.testing.assert_array_equal(r.g, objective.grad(point))           # ∇J there, returned
    assert (r.nfev, r.ngev) == (oracle.counts.nfev, oracle.counts.ngev)  # every call counted
    assert r.ngev <= r.nfev <= 50


@pytest.mark.parametrize("case", range(len(CASES)))
def test_strong_wolfe_with_a_tight_c2(case):
    objective, theta, d = CASES[case]
    f, g = objective.loss(theta), objective.grad(theta)
    r = strong_wolfe(Oracle(objective), theta, d, f, g, c1=1e-4, c2=0.1)
    assert r.success, r.message
    assert abs(objective.grad(theta + r.eta * d) @ d) <= 0.1 * abs(g @ d)


@pytest.mark.parametrize("case", range(len(CASES)))
@pytest.mark.parametrize("shrink", [0.5, 0.1])
def test_backtracking_returns_the_first_armijo_step(case, shrink):
    objective, theta, d = CASES[case]
    oracle = Oracle(objective)
    f, g = objective.loss(theta), objective.grad(theta)
    c = 1e-4
    r = backtracking(oracle, theta, d, f, g, eta0=1.0, c=c, shrink=shrink)
    assert r.success and r.g is None and r.ngev == 0
    k = round(np.log(r.eta) / np.log(shrink))
    assert r.eta == pytest.approx(shrink ** k, rel=1e-12)               # η = shrinkᵏ
    assert r.nfev == k + 1 == oracle.counts.nfev and oracle.counts.ngev == 0
    assert r.f <= f + c * r.eta * (g @ d)                               # Armijo at η
    if k > 0:                                                           # and not at η/shrink
        bigger = r.eta / shrink
        assert objective.loss(theta + bigger * d) > f + c * bigger * (g @ d)


def test_backtracking_gives_up_after_max_iter():
    q = Quadratic((1.0, 1.0))
    theta = np.array([1.0, 0.0])
    g = q.grad(theta)
    r = backtracking(Oracle(q), theta, -g, q.loss(theta), g, eta0=1e6, max_iter=3)
    assert not r.success and r.nfev == 3 and r.eta == pytest.approx(2.5e5)
    assert "no Armijo step" in r.message


def test_exact_on_a_parabola_by_interpolation():
    # φ(η) = (η − 3)²: the trial η = 10 fails Armijo; the quadratic model through φ(0), φ'(0),
    # φ(10) is φ itself, so the next trial is the minimizer η = 3, where φ' = 0.
    obj = _one_d(lambda a: (a - 3.0) ** 2, lambda a: 2.0 * (a - 3.0))
    r = strong_wolfe(Oracle(obj), [0.0], [1.0], 9.0, [-6.0], eta0=10.0)
    assert r.eta == pytest.approx(3.0, abs=1e-12) and r.success
    assert (r.nfev, r.ngev) == (2, 1)
    # From a short first trial, the Hermite cubic extrapolates (capped at 10η): 0.1, 1, 3.
    r = strong_wolfe(Oracle(obj), [0.0], [1.0], 9.0, [-6.0], eta0=0.1, c2=0.1)
    assert r.eta == pytest.approx(3.0, abs=1e-12) and (r.nfev, r.ngev) == (3, 3)


# Moré & Thuente (1994), "Line search algorithms with guaranteed sufficient decrease",
# functions 1 and 2: φ₁(α) = −α/(α² + 2) and φ₂(α) = (α + 0.004)⁵ − 2(α + 0.004)⁴, whose
# strong-Wolfe intervals with c₂ = 0.1 are narrow (for φ₂ about 5e-9 wide around α = 1.596).
MORE_THUENTE = {
    "phi1": (lambda a: -a / (a * a + 2.0), lambda a: (a * a - 2.0) / (a * a + 2.0) ** 2, 1e-3),
    "phi2": (lambda a: (a + 0.004) ** 5 - 2 * (a + 0.004) ** 4,
             lambda a: 5 * (a + 0.004) ** 4 - 8 * (a + 0.004) ** 3, 1e-4),
}


@pytest.mark.parametrize("name", sorted(MORE_THUENTE))
@pytest.mark.parametrize("eta0", [1e-3, 1e-1, 1e1, 1e3])
def test_more_thuente_functions(name, eta0):
    phi, dphi, c1 = MORE_THUENTE[name]
    r = strong_wolfe(Oracle(_one_d(phi, dphi)), [0.0], [1.0], phi(0.0), [dphi(0.0)],
                     eta0=eta0, c1=c1, c2=0.1)
    assert r.success, r.message
    assert phi(r.eta) <= phi(0.0) + c1 * r.eta * dphi(0.0)
    assert abs(dphi(r.eta)) <= 0.1 * abs(dphi(0.0))
    assert r.nfev <= (6 if name == "phi1" else 35)
    if name == "phi2":
        assert r.eta == pytest.approx(1.596, abs=1e-8)   # the minimizer: 5(α+β) = 8


def test_failure_is_reported_and_keeps_an_armijo_point():
    phi, dphi, _ = MORE_THUENTE["phi2"]
    r = strong_wolfe(Oracle(_one_d(phi, dphi)), [0.0], [1.0], phi(0.0), [dphi(0.0)],
                     eta0=1e-3, c2=0.1, max_iter=15)
    assert not r.success and r.nfev <= 15
    assert r.eta > 0 and phi(r.eta) <= phi(0.0) + 1e-4 * r.eta * dphi(0.0)
    assert r.g[0] == dphi(r.eta)


def test_eta_max_caps_the_step_on_an_unbounded_function():
    obj = _one_d(lambda a: -a, lambda a: -1.0)          # φ' = −1 everywhere: no Wolfe step
    r = strong_wolfe(Oracle(obj), [0.0], [1.0], 0.0, [-1.0], eta_max=1000.0)
    assert not r.success and r.eta == 1000.0 and "eta_max" in r.message


def test_interpolation_models_are_exact_on_their_own_class():
    cubic = np.poly1d([1.0, -4.0, 1.0, 2.0])            # local minimizer (4 + √13)/3
    slope = cubic.deriv()
    x_star = (4 + np.sqrt(13)) / 3
    assert _hermite_cubic(0.5, cubic(0.5), slope(0.5), 3.0, cubic(3.0), slope(3.0)) == \
        pytest.approx(x_star, rel=1e-12)
    assert _cubic3(0.5, cubic(0.5), slope(0.5), 3.0, cubic(3.0), -1.0, cubic(-1.0)) == \
        pytest.approx(x_star, rel=1e-12)
    assert _quadratic(0.0, 9.0, -6.0, 10.0, 49.0) == pytest.approx(3.0)
    assert _quadratic(0.0, 0.0, -1.0, 1.0, -5.0) is None  # concave: no minimizer


def test_value_and_grad_counts_one_of_each():
    oracle = Oracle(Rosenbrock())
    f, g = value_and_grad(oracle, np.array([0.5, 0.5]))
    assert f == Rosenbrock().loss([0.5, 0.5]) and g.shape == (2,)
    assert (oracle.counts.nfev, oracle.counts.ngev) == (1, 1)


def test_inputs_are_not_mutated():
    objective, theta, d = CASES[0]
    f, g = objective.loss(theta), objective.grad(theta)
    arrays = [np.array(a) for a in (theta, d, g)]
    for a in arrays:
        a.setflags(write=False)                         # any write would raise
    strong_wolfe(Oracle(objective), *arrays[:2], f, arrays[2])
    backtracking(Oracle(objective), *arrays[:2], f, arrays[2])
    np.testing.assert_array_equal(arrays[0], theta)


def test_result_is_frozen():
    r = LineSearchResult(1.0, 0.0, None, 1, 0, True, "")
    with pytest.raises(AttributeError):
        r.eta = 2.0


@pytest.mark.parametrize("search", [backtracking, strong_wolfe])
def test_an_ascent_direction_is_refused(search):
    q = Quadratic((1.0, 2.0))
    theta = np.array([1.0, 1.0])
    g = q.grad(theta)
    with pytest.raises(ValueError, match="descent direction"):
        search(Oracle(q), theta, g, q.loss(theta), g)
    with pytest.raises(ValueError, match="descent direction"):
        search(Oracle(q), theta, np.array([1.0, -0.5]), q.loss(theta), g)   # gᵀd = 0


@pytest.mark.parametrize("kwargs, match", [
    ({"c1": 0.0}, "c1 must be in"), ({"c1": 0.5, "c2": 0.5}, "c2 must be in"),
    ({"c2": 1.0}, "c2 must be in"), ({"eta0": 0.0}, "eta0 must be > 0"),
    ({"eta_max": -1.0}, "eta_max must be > 0"), ({"max_iter": 0}, "max_iter must be")])
def test_strong_wolfe_validation(kwargs, match):
    q = Quadratic((1.0, 2.0))
    theta = np.array([1.0, 1.0])
    g = q.grad(theta)
    with pytest.raises(ValueError, match=match):
        strong_wolfe(Oracle(q), theta, -g, q.loss(theta), g, **kwargs)


@pytest.mark.parametrize("kwargs, match", [
    ({"c": 1.0}, "c must be in"), ({"shrink": 1.0}, "shrink must be in"),
    ({"shrink": 0.0}, "shrink must be in"), ({"eta0": -1.0}, "eta0 must be > 0")])
def test_backtracking_validation(kwargs, match):
    q = Quadratic((1.0, 2.0))
    theta = np.array([1.0, 1.0])
    g = q.grad(theta)
    with pytest.raises(ValueError, match=match):
        backtracking(Oracle(q), theta, -g, q.loss(theta), g, **kwargs)


def test_shape_mismatch_names_both_shapes():
    q = Quadratic((1.0, 2.0))
    with pytest.raises(ValueError, match=r"d has shape \(3,\)"):
        strong_wolfe(Oracle(q), [1.0, 1.0], [1.0, 1.0, 1.0], 1.0, [1.0, 1.0])
