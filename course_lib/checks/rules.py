"""How an "implement this update rule" exercise is described: ``UpdateRule``, ``Case``, ``Mistake``.

An exercise is data, not code: the rule's name and arguments, a correct reference, the
situations to test it in, and the mistakes learners are known to make. ``check_update_rule``
turns that description into a diagnosing check, so a new exercise takes a few lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# The book's symbol for each argument name, used in every message.
SYMBOLS = {
    "theta": "θ", "g": "g", "lr": "ε", "eps": "ε", "eps0": "ε₀", "eps_tau": "ε_τ", "tau": "τ",
    "k": "k", "t": "t", "v": "v", "alpha": "α", "rho": "ρ", "rho1": "ρ₁", "rho2": "ρ₂",
    "delta": "δ", "r": "r", "s": "s",
}


@dataclass(frozen=True)
class Case:
    """One situation to run the learner's rule in, for ``steps`` steps.

    - ``objective``: supplies the gradient input, g = objective.grad(θ) (e.g. a Quadratic).
    - ``state``: starting values of the inputs that the rule also returns (θ, v, k...);
      from step to step they are fed back from the learner's own outputs.
    - ``hyper``: the hyperparameters, fixed for the whole case (ε, α, ρ...).
    """

    name: str
    objective: object
    state: dict
    hyper: dict
    steps: int = 3


@dataclass(frozen=True)
class Mistake:
    """A known wrong version of the rule, and the hint to give when a learner's matches it."""

    name: str
    fn: Callable
    hint: str


@dataclass(frozen=True)
class UpdateRule:
    """An update-rule exercise.

    - ``signature``: the argument names of the learner's function, in order.
    - ``outputs``: what it returns: ``("theta",)`` means one array, ``("theta", "v")`` a tuple.
      Outputs that are also arguments are the state, fed back from step to step.
    - ``reference``: a correct function with the same signature.
    - ``formula``: the book's rule in its notation, quoted in hints, e.g. "θ ← θ − ε g".
    - ``grad``: the argument that receives the gradient; ``grad_at(inputs)`` says where it
      is evaluated (default θ; Nesterov would use ``lambda a: a["theta"] + a["alpha"] * a["v"]``).
    - ``symbols``: extra argument names → the book's symbols (see ``SYMBOLS``).
    - ``hidden_hyper``: {name: function(rng) → value} for hyperparameters the hidden tests
      (``checks.hidden``) must draw in a range where a known mistake always shows.
    """

    name: str
    signature: tuple
    outputs: tuple
    reference: Callable
    cases: list
    mistakes: list = field(default_factory=list)
    formula: str = ""
    grad: str = "g"
    grad_at: Callable | None = None
    symbols: dict = field(default_factory=dict)
    hidden_hyper: dict = field(default_factory=dict)

    def __post_init__(self):
        missing = [name for name in self.outputs if name not in self.signature]
        if self.grad not in self.signature or not self.outputs or missing:
            raise ValueError(f"UpdateRule {self.name!r}: grad {self.grad!r} and the state "
                             f"outputs must be arguments; signature {self.signature}, "
                             f"outputs {self.outputs}")

    @property
    def state_names(self) -> tuple:
        return tuple(name for name in self.signature if name in self.outputs)

    def symbol(self, name: str) -> str:
        return self.symbols.get(name, SYMBOLS.get(name, name))

    def returns(self) -> str:
        """What the learner's function should return, as code: "theta" or "(theta, k)"."""
        if len(self.outputs) == 1:
            return self.outputs[0]
        return f"({', '.join(self.outputs)})"
