"""Notebook 08's predict-then-check: ŷ after one step on every weight of a deep chain.

l = 10, x = 1, every wᵢ = 1 (ŷ = 1), every weight moved by −εgᵢ with ε chosen so that the
first-order prediction is ŷ = 0: ε gᵀg = 1, ε = 1/10. Then ŷ = (1 − 1/10)^10 = 0.9^10.
The hidden test recomputes it by multiplying out ``DeepLinearChain.step_effect``.
"""

from __future__ import annotations

import numpy as np

from ....checks.hidden import check_recomputed, hidden_check
from ....checks.numeric import check_number
from ....checks.result import never_raises

DEPTH = 10


@never_raises
def check_chain_output(answer, depth: int = DEPTH):
    expected = (1.0 - 1.0 / depth) ** depth
    return check_number(
        answer, expected, name=f"ŷ after the step (l = {depth})", rtol=0.005,
        hint_low=("The first-order prediction is 0, but every weight only shrinks to "
                  f"1 − ε = {1 - 1 / depth:g}: ŷ is their product."),
        hint_high=("Each weight becomes 1 − εgᵢ = 1 − ε; ŷ is the product of all of them."),
        note=(f"every weight becomes 0.9, so ŷ = 0.9^{depth} = {expected:.4f}: the step removed "
              f"only {1 - expected:.0%} of ŷ where the first-order view promised all of it."))


def _by_multiplying(rng) -> float:
    from ....objectives import DeepLinearChain

    chain = DeepLinearChain(depth=DEPTH)
    w = np.ones(DEPTH)
    g = chain.output_gradient(w)
    return chain.step_effect(w, 1.0 / float(g @ g))["actual"]


@hidden_check
@never_raises
def check_chain_output_by_multiplying(answer, seed: int | None = None):
    return check_recomputed(answer, _by_multiplying, name=f"ŷ after the step (l = {DEPTH})",
                            rtol=0.005, what="by multiplying out the chain", seed=seed)
