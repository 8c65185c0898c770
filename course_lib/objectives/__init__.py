"""Functions to minimize: the ``Objective`` contract and everything that implements it."""

from .base import FunctionObjective, Objective
from .quadratic import Quadratic, rotation_2d

__all__ = ["Objective", "FunctionObjective", "Quadratic", "rotation_2d"]
