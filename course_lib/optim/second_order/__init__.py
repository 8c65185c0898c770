"""Approximate second-order methods of section 8.6: Newton, conjugate gradients, BFGS,
L-BFGS and Hessian-free, each in its own module."""

from .conjugate_gradient import ConjugateGradient, ConjugateGradientState
from .hessian_free import HessianFree, HessianFreeState, TruncatedCG, truncated_cg, update_lambda
from .linear_cg import QuadraticRun, linear_cg, steepest_descent_exact
from .newton import Newton, NewtonState, newton_direction
from .quasi_newton import BFGS, LBFGS, BFGSState, LBFGSState, bfgs_update, two_loop

__all__ = ["Newton", "NewtonState", "newton_direction",
           "linear_cg", "steepest_descent_exact", "QuadraticRun",
           "HessianFree", "HessianFreeState", "truncated_cg", "TruncatedCG", "update_lambda",
           "ConjugateGradient", "ConjugateGradientState", "BFGS", "BFGSState", "LBFGS",
           "LBFGSState", "bfgs_update", "two_loop"]
