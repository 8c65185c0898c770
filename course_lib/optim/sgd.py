"""The basic algorithms of section 8.3: stochastic gradient descent (Algorithm 8.1)."""

from __future__ import annotations

from dataclasses import dataclass

from .base import Optimizer, learning_rate


@dataclass(frozen=True)
class SGDState:
    k: int = 0          # steps taken so far; the next step uses ε_{k+1}


class SGD(Optimizer):
    """Algorithm 8.1, stochastic gradient descent (SGD) update at training iteration k.

    ``lr`` is ε: a number or a schedule k -> ε_k. The minibatch is drawn by ``minimize``;
    the oracle it passes in is the objective bound to that minibatch. With the whole
    training set as the batch (or a plain function) this is gradient descent.
    """

    def __init__(self, lr=0.01):
        self.lr = learning_rate(lr)

    def init(self, theta) -> SGDState:
        return SGDState(k=0)

    def step(self, theta, state: SGDState, oracle):
        k = state.k + 1
        g = oracle.grad(theta)              # g ← (1/m) Σᵢ ∇θ L(f(x⁽ⁱ⁾; θ), y⁽ⁱ⁾)
        theta = theta - self.lr(k) * g      # θ ← θ − ε_k g
        return theta, SGDState(k=k)
