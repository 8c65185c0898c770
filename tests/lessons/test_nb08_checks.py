"""Notebook 08's checks: the reference passes, each known mistake is named with its hint,
garbage gets a clear message, the hidden cases catch each mistake over many seeds."""

import numpy as np
import pytest

from course_lib.checks import CheckResult
from course_lib.lessons.nb08_meta_algorithms import checks


def assert_result(result, status, *words):
    assert isinstance(result, CheckResult)
    assert result.status == status, repr(result)
    for word in words:
        assert word in repr(result), f"{word!r} not in:\n{result!r}"


def learner_forward(H, gamma, beta, mu_run, sigma_run, training, rho, delta):
    if training:
        mu = H.mean(axis=0)
        sigma = np.sqrt(delta + np.mean((H - mu) ** 2, axis=0))
        return (gamma * (H - mu) / sigma + beta, rho * mu_run + (1 - rho) * mu,
                rho * sigma_run + (1 - rho) * sigma)
    return gamma * (H - mu_run) / sigma_run + beta, mu_run, sigma_run


def test_forward_reference_and_a_learners_version_pass():
    for fn in (checks.reference_forward, learner_forward):
        assert_result(checks.check_batch_norm(fn), "passed", "training mode", "inference mode")
        for seed in range(20):
            assert checks.check_batch_norm_random(fn, seed=seed).passed, seed


@pytest.mark.parametrize("name", [m[0] for m in checks.FORWARD_MISTAKES])
def test_each_forward_mistake_is_named(name):
    _, fn, hint = next(m for m in checks.FORWARD_MISTAKES if m[0] == name)
    result = checks.check_batch_norm(fn)
    assert_result(result, "failed", "Likely cause", hint[:30])
    assert result.details["mistake"] == name
    for seed in range(20):
        assert not checks.check_batch_norm_random(fn, seed=seed).passed, seed


def test_forward_in_place_and_garbage():
    def in_place(H, gamma, beta, mu_run, sigma_run, training, rho, delta):
        out, mu, sigma = learner_forward(H, gamma, beta, mu_run.copy(), sigma_run.copy(),
                                         training, rho, delta)
        mu_run *= 0
        return out, mu, sigma

    assert_result(checks.check_batch_norm(in_place), "failed", "in place")
    assert_result(checks.check_batch_norm(lambda *a: None), "not done yet")

    def stub(*args):
        raise NotImplementedError()

    assert_result(checks.check_batch_norm(stub), "not done yet", "NotImplementedError")
    assert_result(checks.check_batch_norm(lambda *a: 1 / 0), "error", "ZeroDivisionError")
    assert_result(checks.check_batch_norm(lambda H: H), "error", "8 arguments")
    assert_result(checks.check_batch_norm(lambda *a: (a[0],)), "error", "tuple")

    def endless(*args):
        while True:
            pass

    assert_result(checks.check_batch_norm(endless, timeout=0.3), "error", "longer than")
    assert_result(checks.check_batch_norm(
        lambda *a: (np.full_like(a[0], np.nan), a[3], a[4])), "failed", "NaN")
    assert_result(checks.check_batch_norm(lambda *a: (a[0][:1], a[3], a[4])), "failed",
                  "shape")


def test_backward_reference_passes_and_mistakes_are_named():
    assert_result(checks.check_batch_norm_backward(checks.reference_backward), "passed")
    for seed in range(20):
        assert checks.check_batch_norm_backward_random(checks.reference_backward,
                                                       seed=seed).passed
    for name, fn, hint in checks.BACKWARD_MISTAKES:
        result = checks.check_batch_norm_backward(fn)
        assert_result(result, "failed", "Likely cause", hint[:30])
        assert result.details["mistake"] == name
        for seed in range(10):
            assert not checks.check_batch_norm_backward_random(fn, seed=seed).passed


def test_backward_reference_is_finite_differences():
    from course_lib.gradcheck import numerical_grad
    from course_lib.strategies.batch_norm import batch_norm_forward

    rng = np.random.default_rng(9)
    H, gamma, d_out = rng.standard_normal((6, 3)), rng.uniform(0.5, 2, 3), rng.standard_normal(
        (6, 3))
    numeric = numerical_grad(lambda h: float(np.sum(d_out * batch_norm_forward(
        h.reshape(6, 3), gamma, 0.0, 1e-3)[0])), H.ravel())
    np.testing.assert_allclose(checks.reference_backward(d_out, H, gamma, 1e-3)[0].ravel(),
                               numeric, rtol=1e-6, atol=1e-9)


def test_chain_prediction():
    assert_result(checks.check_chain_output(0.9 ** 10), "passed", "0.3487")
    assert_result(checks.check_chain_output(0.0), "failed", "too low", "product")
    assert_result(checks.check_chain_output(1 / np.e), "failed", "too high")
    assert_result(checks.check_chain_output(None), "not done yet")
    for seed in range(3):
        assert checks.check_chain_output_by_multiplying(0.9 ** 10, seed=seed).passed
        assert not checks.check_chain_output_by_multiplying(0.0, seed=seed).passed


SOLUTION = {"lr": 0.0501187233627, "start": 100}


def test_averaging_challenge():
    assert_result(checks.check_averaging_settings(SOLUTION), "passed", "target met")
    for seed in range(20):
        assert checks.check_averaging_settings_nearby(SOLUTION, seed=seed).passed, seed
    assert_result(checks.check_averaging_settings({"lr": 0.01, "start": 0}), "failed",
                  "above the target", "Start it later")
    assert_result(checks.check_averaging_settings({"lr": 0.3, "start": 440}), "failed",
                  "above the target")
    assert_result(checks.check_averaging_settings(None), "not done yet")
    assert_result(checks.check_averaging_settings({"lr": 0.05}), "error", "missing")


def test_moving_the_controls_turns_the_badge_to_met():
    import matplotlib

    matplotlib.use("Agg")
    from course_lib.lessons.nb08_meta_algorithms.averaging_explorer import averaging_explorer

    explorer = averaging_explorer(challenge=checks.AVERAGING_CHALLENGE)
    assert explorer.badge_state == "not yet"
    explorer.set(lr=10 ** -1.3, start=100)
    assert explorer.badge_state == "met"
    assert explorer.record_text == "averaging_settings = {'lr': 0.0501187233627, 'start': 100}"
    explorer.set(batch_size=4)
    assert explorer.badge_state == "off"
