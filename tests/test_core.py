"""The contracts of DESIGN.md: Objective, Optimizer, SGD (Algorithm 8.1), minimize/Trace."""

import dataclasses
import warnings

import numpy as np
import pytest

from course_lib import DivergenceWarning, minimize
from course_lib.objectives import FunctionObjective, Objective, Quadratic
from course_lib.optim import SGD, Optimizer
from course_lib.run import Oracle, minibatches
from course_lib.schedules import linear_decay


class MeanSquares(Objective):
    """J(θ) = (1/m) Σ ½‖θ − x⁽ⁱ⁾‖²: minibatch gradients are easy to write by hand."""

    def __init__(self, X):
        self.X = np.asarray(X, float)
        self.n_examples, self.dim = self.X.shape
        self.name = "mean squares"

    def _rows(self, batch):
        return self.X if batch is None else self.X[batch]

    def loss(self, theta, batch=None):
        return float(np.mean(0.5 * np.sum((theta - self._rows(batch)) ** 2, axis=1)))

    def grad(self, theta, batch=None):
        return theta - self._rows(batch).mean(axis=0)


# --- the Optimizer contract --------------------------------------------------------------
def test_sgd_step_is_one_line_of_algorithm_8_1_and_pure():
    q = Quadratic((1.0, 10.0))
    sgd = SGD(lr=0.1)
    theta = np.array([1.0, 1.0])
    theta.setflags(write=False)            # a step that writes into θ would raise here
    state = sgd.init(theta)
    new_theta, new_state = sgd.step(theta, state, Oracle(q))
    np.testing.assert_allclose(new_theta, theta - 0.1 * q.grad(theta))
    assert state.k == 0 and new_state.k == 1   # the old state is untouched
    assert dataclasses.is_dataclass(new_state)
    assert isinstance(sgd, Optimizer)


def test_sgd_uses_the_schedule_from_step_one():
    schedule = linear_decay(0.1, tau=10)
    q = Quadratic((1.0, 1.0))
    trace = minimize(q, SGD(lr=schedule), [1.0, 0.0], steps=12)
    np.testing.assert_allclose(trace.lrs, [schedule(k) for k in range(1, 13)])
    # One gradient step on J = ½‖θ‖² multiplies θ by (1 − ε_k).
    expected = np.prod([1 - schedule(k) for k in range(1, 13)])
    np.testing.assert_allclose(trace.thetas[-1, 0], expected)


@pytest.mark.parametrize("lr, message", [(-0.1, "lr must be > 0, got -0.1"), (0, "lr must be > 0"),
                                         ("fast", "lr must be > 0 or a schedule"),
                                         (float("nan"), "lr must be finite, got nan")])
def test_bad_learning_rates_name_the_parameter(lr, message):
    with pytest.raises(ValueError, match=message):
        SGD(lr=lr)


# --- minimize and its Trace ---------------------------------------------------------------
def test_gradient_descent_contracts_at_the_rate_the_theory_gives():
    q = Quadratic.with_condition(10.0, angle=0.3)
    trace = minimize(q, SGD(lr=q.best_gd_lr), [2.0, -1.0], steps=40)
    ratio = np.linalg.norm(trace.thetas[-1]) / np.linalg.norm(trace.thetas[0])
    assert ratio ** (1 / 40) == pytest.approx(9 / 11, rel=1e-9)    # (κ − 1)/(κ + 1)
    assert trace.stop_reason == "steps" and trace.n_steps == 40
    assert trace.ngev == 40 and trace.nfev == 0 and trace.nhev == 0
    assert trace.thetas.shape == (41, 2) and trace.losses.shape == (41,)
    assert trace.grad_norms.shape == (41,) and trace.lrs.shape == (40,) and len(trace.states) == 40


def test_converged_stop_uses_the_infinity_norm_of_the_gradient():
    q = Quadratic((1.0, 4.0))
    trace = minimize(q, SGD(lr=0.2), [1.0, 1.0], steps=1000, tol=1e-6)
    assert trace.stop_reason == "converged"
    assert np.max(np.abs(q.grad(trace.theta))) <= 1e-6
    assert np.max(np.abs(q.grad(trace.thetas[-2]))) > 1e-6   # it stopped at the first such step
    # Each step multiplies the slow component by 0.8: 1e-6 is reached after ⌈log(1e-6)/log 0.8⌉.
    assert trace.n_steps == int(np.ceil(np.log(1e-6) / np.log(0.8)))


def test_converged_at_the_start_takes_no_step():
    trace = minimize(Quadratic((1.0, 2.0)), SGD(lr=0.1), [0.0, 0.0], steps=10, tol=1e-8)
    assert trace.stop_reason == "converged" and trace.n_steps == 0 and trace.ngev == 0


def test_divergence_stops_cleanly_keeping_the_last_finite_point():
    q = Quadratic((1.0, 10.0))
    with pytest.warns(DivergenceWarning, match="diverged at step"):
        trace = minimize(q, SGD(lr=0.25), [1.0, 1.0], steps=10_000, blowup=None)
    assert trace.stop_reason == "diverged"
    assert np.all(np.isfinite(trace.thetas)) and np.isfinite(trace.loss)
    # |1 − 0.25·10| = 1.5 per step: float64 overflows the loss after about 870 steps.
    assert 850 < trace.n_steps < 880


def test_blowup_guard_stops_a_diverging_run_early():
    q = Quadratic((1.0, 10.0))
    with pytest.warns(DivergenceWarning):
        trace = minimize(q, SGD(lr=0.25), [1.0, 1.0], steps=10_000)
    assert trace.stop_reason == "diverged"
    # The loss grows by 1.5² per step; it passes 1e12 × (1 + J₀) after this many steps:
    j0 = q.loss([1.0, 1.0])
    assert trace.n_steps == pytest.approx(np.log(1e12 * (1 + j0) / j0) / np.log(2.25), abs=2)


def test_warn_false_reports_divergence_only_in_the_trace():
    with warnings.catch_warnings():
        warnings.simplefilter("error")                # any warning would fail the test
        trace = minimize(Quadratic((1.0, 10.0)), SGD(lr=0.25), [1.0, 1.0], steps=100,
                         warn=False)
    assert trace.stop_reason == "diverged" and "diverged at step" in trace.message


def test_nan_from_a_learners_objective_is_divergence_not_a_crash():
    f = FunctionObjective(lambda th: np.sqrt(th[0]), lambda th: np.array([0.5 / np.sqrt(th[0])]),
                          dim=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        trace = minimize(f, SGD(lr=1.0), [1.0], steps=5)
    assert trace.stop_reason == "diverged"
    assert any(issubclass(w.category, DivergenceWarning) for w in caught)


def test_callback_can_stop_the_run():
    trace = minimize(Quadratic((1.0, 2.0)), SGD(lr=0.1), [1.0, 1.0], steps=100,
                     callback=lambda k, theta, state: k == 7)
    assert trace.stop_reason == "callback" and trace.n_steps == 7


def test_minibatches_are_seeded_and_cover_each_epoch_once():
    X = np.random.default_rng(0).normal(size=(10, 3))
    objective = MeanSquares(X)
    a = minimize(objective, SGD(lr=0.1), np.zeros(3), steps=9, batch_size=4, rng=1)
    b = minimize(objective, SGD(lr=0.1), np.zeros(3), steps=9, batch_size=4, rng=1)
    np.testing.assert_array_equal(a.thetas, b.thetas)
    sizes = [len(batch) for batch in a.batches]
    assert sizes == [4, 4, 2] * 3                      # the short batch closes each epoch
    for epoch in range(3):
        seen = np.concatenate(a.batches[3 * epoch:3 * epoch + 3])
        assert sorted(seen) == list(range(10))         # every example once per epoch
    assert not np.array_equal(np.concatenate(a.batches[:3]), np.concatenate(a.batches[3:6]))


def test_sampling_modes():
    rng = np.random.default_rng(0)
    fixed = minibatches(6, 3, rng, "fixed")
    first = [next(fixed) for _ in range(2)]
    again = [next(fixed) for _ in range(2)]
    np.testing.assert_array_equal(np.concatenate(first), np.concatenate(again))
    with_replacement = minibatches(6, 4, np.random.default_rng(0), "replacement")
    assert all(len(next(with_replacement)) == 4 for _ in range(5))
    with pytest.raises(ValueError, match="sampling must be"):
        next(minibatches(6, 3, rng, "random"))


def test_nexamples_counts_what_each_request_reads():
    objective = MeanSquares(np.ones((10, 2)))
    full = minimize(objective, SGD(lr=0.1), np.zeros(2), steps=3)
    assert full.nexamples == 3 * 10                       # batch GD reads all 10 per step
    mini = minimize(objective, SGD(lr=0.1), np.zeros(2), steps=4, batch_size=4, rng=0)
    assert mini.nexamples == 4 + 4 + 2 + 4                # the short batch closes the epoch
    plain = minimize(Quadratic((1.0, 2.0)), SGD(lr=0.1), [1.0, 1.0], steps=3)
    assert plain.nexamples == 0                           # a plain function has no examples


def test_minibatch_sgd_matches_a_hand_computed_step():
    X = np.arange(12.0).reshape(6, 2)
    objective = MeanSquares(X)
    trace = minimize(objective, SGD(lr=0.5), np.zeros(2), steps=1, batch_size=2, rng=3)
    batch = trace.batches[0]
    np.testing.assert_allclose(trace.theta, 0.5 * X[batch].mean(axis=0))


@pytest.mark.parametrize("kwargs, message", [
    (dict(theta0=[1.0, 2.0, 3.0]), r"theta0 has shape \(3,\), but the objective expects \(2,\)"),
    (dict(steps=-1), "steps must be an integer >= 0"),
    (dict(steps=2.5), "steps must be an integer"),
    (dict(tol=-1.0), "tol must be >= 0"),
    (dict(batch_size=4), "batch_size needs an objective with n_examples"),
    (dict(callback=3), "callback must be callable"),
])
def test_minimize_rejects_bad_input(kwargs, message):
    args = dict(objective=Quadratic((1.0, 2.0)), optimizer=SGD(lr=0.1), theta0=[1.0, 1.0],
                steps=5)
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        minimize(**args)


def test_batch_size_larger_than_the_training_set_is_rejected():
    with pytest.raises(ValueError, match="batch_size must be <= n_examples = 3, got 5"):
        minimize(MeanSquares(np.ones((3, 2))), SGD(), np.zeros(2), 1, batch_size=5)


def test_duck_typed_objective_and_counting_oracle():
    class Bowl:                      # not a subclass of Objective: only the shape matters
        dim = 2
        n_examples = None

        def loss(self, theta, batch=None):
            return float(theta @ theta)

        def grad(self, theta, batch=None):
            return 2 * theta

    class Probe(Optimizer):
        def init(self, theta):
            return None

        def step(self, theta, state, oracle):
            oracle.loss(theta)
            oracle.hvp(theta, theta) if hasattr(oracle.objective, "hvp") else None
            return theta - 0.25 * oracle.grad(theta), state

    trace = minimize(Bowl(), Probe(), [1.0, -1.0], steps=3)
    assert (trace.nfev, trace.ngev, trace.nhev) == (3, 3, 0)
    np.testing.assert_allclose(trace.theta, [0.125, -0.125])
    assert np.all(np.isnan(trace.lrs))     # an optimizer without ε records NaN


def test_default_hvp_is_a_finite_difference_of_the_gradient():
    f = FunctionObjective(lambda th: th[0] ** 2 * th[1], lambda th: np.array([2 * th[0] * th[1],
                                                                             th[0] ** 2]), dim=2)
    theta, v = np.array([1.5, -0.5]), np.array([0.3, 0.7])
    hessian = np.array([[2 * theta[1], 2 * theta[0]], [2 * theta[0], 0.0]])
    np.testing.assert_allclose(f.hvp(theta, v), hessian @ v, rtol=1e-7)


# --- the quadratic's theory ------------------------------------------------------------------
def test_quadratic_theory_numbers():
    q = Quadratic.with_condition(10.0, angle=np.pi / 6)
    np.testing.assert_allclose(np.linalg.eigvalsh(q.A), [1.0, 10.0])
    assert q.condition_number == pytest.approx(10.0)
    assert q.best_gd_lr == pytest.approx(2 / 11)
    assert q.best_gd_rate == pytest.approx(9 / 11)
    assert q.gd_rate(0.2) == pytest.approx(1.0)        # the edge of stability 2/λ_max
    assert q.gd_rate(0.05) == pytest.approx(0.95)      # limited by the small eigenvalue


@pytest.mark.parametrize("kwargs, message", [
    (dict(eigenvalues=[]), "eigenvalues must hold at least one number"),
    (dict(eigenvalues=[[1.0, 2.0]]), "eigenvalues must be a 1-D array"),
    (dict(eigenvalues=[1.0, 2.0, 3.0], angle=0.5), "angle only applies in 2-D"),
    (dict(eigenvalues=[1.0, 2.0], Q=np.ones((2, 2))), "Q must be orthogonal"),
    (dict(eigenvalues=[1.0, 2.0], center=[1.0]), r"center has shape \(1,\)"),
])
def test_quadratic_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Quadratic(**kwargs)


def test_condition_number_below_one_is_rejected():
    with pytest.raises(ValueError, match="kappa must be >= 1, got 0.5"):
        Quadratic.with_condition(0.5)
