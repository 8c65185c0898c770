"""ConstantSlope: J(θ) = gᵀθ, the endless slope of notebooks 04 and 06."""

import numpy as np
import pytest

from course_lib.gradcheck import check_grad, check_hessian
from course_lib.objectives import ConstantSlope


def test_value_gradient_and_hessian():
    f = ConstantSlope([3.0, 4.0])
    theta = np.array([1.0, -2.0])
    assert f.loss(theta) == pytest.approx(3.0 - 8.0)
    assert np.array_equal(f.grad(theta), [3.0, 4.0]) and f.grad(theta) is not f.g
    assert np.array_equal(f.hessian(theta), np.zeros((2, 2)))
    assert check_grad(f, theta) and check_hessian(f, theta)


def test_shapes_are_checked():
    with pytest.raises(ValueError, match="theta"):
        ConstantSlope([1.0, 2.0]).grad([1.0, 2.0, 3.0])
