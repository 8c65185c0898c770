"""Notebook 10's explorers, driven without a browser: the suite's explorer shows exactly the
matrix's runs, every control does something (or is disabled, with the reason), and a
learner's hypergradient_step plugged into the rate explorer shows the check's diagnosis."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_lib.lessons.nb10_testing_optimizers import (  # noqa: E402
    checks,
    rate_explorer,
    testing_explorer,
)
from course_lib.optim import AdaGrad  # noqa: E402
from course_lib.prototypes import prototype, run_one  # noqa: E402


@pytest.fixture(scope="module")
def explorer():
    return testing_explorer.testing_explorer()


def test_default_view(explorer):
    assert explorer.error is None
    assert explorer.summary_text.startswith("Adam (ε = 0.1) on cliff, seed 0: PASSES")
    assert explorer.disabled_reasons == {"alpha": "Adam has no momentum α",
                                         "beta": "β is hypergradient descent's rate of the rate"}


def test_the_explorer_shows_the_matrixs_run():
    r = testing_explorer.compute_run("AdaGrad", 0.1, problem_name="drifting")
    row = run_one(AdaGrad(lr=0.1), prototype("drifting"), seed=0, record=True)
    assert np.allclose(r["frame"] + row["centers"], row["thetas"], rtol=1e-13, atol=1e-13)
    assert r["passed"] is False and r["last_fast_step"] == 15       # exercise 2's "about 15"
    assert "at least that long until step 15" in testing_explorer.summary_run(r)


def test_every_control_changes_the_output_or_is_disabled(explorer):
    explorer.set(optimizer="momentum", problem_name="rotated", lr=0.01, alpha=0.9, seed=0)
    moves = {"optimizer": "SGD-HD", "lr": 0.001, "alpha": 0.5, "beta": 0.1,
             "problem_name": "bowl · additive", "seed": 3}
    for name, value in moves.items():
        before = (explorer.summary_text, explorer.output.outputs[0]["data"]["image/png"])
        explorer.set(**{name: value})
        after = (explorer.summary_text, explorer.output.outputs[0]["data"]["image/png"])
        assert explorer.error is None
        assert after != before or name in explorer.disabled_reasons, name
    explorer.set(optimizer="learned")
    assert set(explorer.disabled_reasons) == {"lr", "alpha", "beta"}


@pytest.mark.parametrize("name", testing_explorer.OPTIMIZERS)
def test_every_optimizer_on_every_kind_of_prototype(explorer, name):
    for problem in ("scale sweep", "line", "coupled"):
        for lr in (1e-4, 10.0):
            explorer.set(optimizer=name, problem_name=problem, lr=lr)
            assert explorer.error is None, (name, problem, lr, explorer.error)


def test_unknown_names_are_refused():
    with pytest.raises(ValueError, match="problem must be one of"):
        testing_explorer.problem("nope")
    with pytest.raises(ValueError, match="optimizer must be one of"):
        testing_explorer.make_optimizer("Newton", 0.1)


# --- the rate explorer with the learner's code --------------------------------------------------
def test_reference_plugged_in_matches():
    e = rate_explorer.reference_plugged_in()
    assert e.error is None and "matches the reference at all 60 steps" in e.summary_text
    assert "the reference's rate goes to 0.172 in 60 steps" in e.summary_text
    for problem in rate_explorer.PROBLEMS:
        for beta in (1e-5, 0.1):
            e.set(problem_name=problem, beta=beta)
            assert e.error is None


def test_a_sign_error_shows_at_step_2_with_the_checks_diagnosis():
    wrong = checks.HYPERGRADIENT_STEP.mistakes[0].fn        # the rate moved the wrong way
    e = rate_explorer.rate_explorer(wrong)
    assert "parts from the reference at step 2" in e.summary_text
    assert "ε moved the wrong way" in e.summary_text
    r = e.result
    assert np.all(r["learner_rates"][1:5] < 0) and np.all(r["reference_rates"][1:5] > 1e-3)
    e.set(beta=1e-5)                                        # almost SGD: the error hides
    assert e.result["run"].first_difference == 2


def slow(theta, lr, g_prev, g, beta):
    while True:
        pass


@pytest.mark.parametrize("fn, words", [
    (None, "not plugged in"),
    (lambda theta, lr, g_prev, g, beta: None, "not done yet"),
    (slow, "took longer than"),
    (lambda theta, lr, g_prev, g, beta: 1 / 0, "ZeroDivisionError"),
    (lambda theta, lr, g_prev, g, beta: "garbage", "should return"),
])
def test_broken_code_shows_a_message_not_a_traceback(fn, words):
    e = rate_explorer.rate_explorer(fn)
    assert e.error is None and words in e.summary_text


def test_used_rates_recover_the_rate_of_sgd():
    from course_lib.objectives import Quadratic
    q = Quadratic((1.0, 3.0))
    path = [np.array([1.0, 1.0])]
    for _ in range(5):
        path.append(path[-1] - 0.07 * q.grad(path[-1]))
    assert np.allclose(rate_explorer.used_rates(q, np.array(path)), 0.07)


def test_companion_figures():
    import matplotlib.pyplot as plt
    assert testing_explorer.companion_figure().axes
    assert rate_explorer.companion_figure().axes
    plt.close("all")
