"""The finite-difference checker: it must pass right derivatives and flag wrong ones."""

import numpy as np
import pytest

from course_lib.gradcheck import (
    GradCheckResult,
    check_grad,
    check_hessian,
    check_hvp,
    compare,
    numerical_grad,
    numerical_hessian,
)
from course_lib.objectives import FunctionObjective, Quadratic

A = np.array([[3.0, 1.0], [1.0, 2.0]])
THETA = np.array([0.7, -1.3])


def cubic(grad_factor=1.0, hess_factor=1.0):
    """J(θ) = θᵀθ + θ₁³; ``grad_factor`` ≠ 1 plants a bug in the ∇(θᵀθ) = 2θ term."""
    return FunctionObjective(lambda t: t @ t + t[0] ** 3,
                             lambda t: grad_factor * 2 * t + np.array([3 * t[0] ** 2, 0.0]),
                             dim=2,
                             hessian=lambda t: hess_factor * 2 * np.eye(2)
                             + np.diag([6 * t[0], 0.0]))


def test_numerical_grad_and_hessian_of_a_quadratic_are_exact_to_rounding():
    f = lambda t: 0.5 * t @ A @ t  # noqa: E731
    np.testing.assert_allclose(numerical_grad(f, THETA), A @ THETA, rtol=1e-8)
    np.testing.assert_allclose(numerical_hessian(lambda t: A @ t, THETA), A, rtol=1e-8)


def test_a_right_gradient_passes():
    result = check_grad(cubic(), THETA)
    assert result.ok and bool(result)
    assert result.max_rel_error < 1e-8
    assert isinstance(result, GradCheckResult)
    assert "OK" in repr(result)


def test_a_gradient_missing_its_factor_2_is_flagged():
    result = check_grad(cubic(grad_factor=0.5), THETA)
    assert not result.ok
    assert result.max_rel_error > 0.1
    text = repr(result)
    assert "MISMATCH" in text and "max_rel_error" in text and "analytic" in text


def test_a_wrong_hessian_and_a_wrong_hvp_are_flagged():
    assert check_hessian(cubic(), THETA).ok
    assert not check_hessian(cubic(hess_factor=2.0), THETA).ok
    v = np.array([0.3, 1.0])
    assert check_hvp(Quadratic((1.0, 4.0), angle=0.3), THETA, v).ok
    bad = cubic()
    bad.hvp = lambda theta, v, batch=None: v      # forgot the Hessian altogether
    assert not check_hvp(bad, THETA, v).ok


def test_relative_error_is_symmetric_and_zeros_pass_on_the_absolute_test():
    result = compare("gradient", [1.0, 0.0], [1.1, 1e-12])
    np.testing.assert_allclose(result.max_rel_error, 0.1 / 2.1)
    assert result.worst_index == (0,)
    assert compare("gradient", [0.0, 2.0], [1e-9, 2.0]).ok


def test_nan_is_a_mismatch():
    assert not compare("gradient", [np.nan, 1.0], [1.0, 1.0]).ok


def test_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="h must be > 0"):
        numerical_grad(lambda t: t @ t, THETA, h=0.0)
    with pytest.raises(ValueError, match="theta"):
        check_grad(cubic(), [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"shape \(2,\).*\(3,\)"):
        compare("gradient", [1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="rtol must be > 0"):
        check_grad(cubic(), THETA, rtol=-1.0)
