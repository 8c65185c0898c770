"""Functions to minimize: the ``Objective`` contract and everything that implements it."""

from .base import FunctionObjective, Objective
from .coupled import CoupledQuadratic
from .deep_linear import DeepLinearChain
from .functions2d import (
    TEST_FUNCTIONS,
    Beale,
    Cliff,
    Function2D,
    Himmelblau,
    MonkeySaddle,
    Rosenbrock,
    Saddle,
    SixHumpCamel,
    StyblinskiTang,
)
from .mlp import MLP
from .plane import ConstantSlope
from .quadratic import Quadratic, rotation_2d
from .regression import EmpiricalRisk, LinearRegression, LogisticRegression, add_bias
from .rosenbrock_nd import ExtendedRosenbrock

__all__ = ["Objective", "FunctionObjective", "Quadratic", "rotation_2d",
           "Function2D", "Rosenbrock", "Beale", "Himmelblau", "Saddle", "MonkeySaddle",
           "SixHumpCamel", "StyblinskiTang", "Cliff", "TEST_FUNCTIONS",
           "EmpiricalRisk", "LinearRegression", "LogisticRegression", "add_bias", "MLP",
           "ExtendedRosenbrock", "CoupledQuadratic", "ConstantSlope", "DeepLinearChain"]
