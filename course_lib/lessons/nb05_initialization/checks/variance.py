"""Notebook 05's predict-then-check exercise: the variance after L linear layers.

x has independent entries of variance 1; each of L linear layers multiplies by a matrix
with entries W_ij ~ N(0, s²/n) (n inputs). One layer multiplies the expected variance of
an entry by n · s²/n = s², so after L layers it is s^{2L}. The hidden test recomputes it by
sampling: ‖xW‖² = ‖x‖²·(s²/n)·χ²ₙ for a Gaussian W, so the output's mean square is the
input's times a product of L independent (s²/n)χ²ₙ factors, whose average over 2·10⁵ draws
is within 0.2 % of its expectation.
"""

from __future__ import annotations

import numpy as np

from ....checks.hidden import check_recomputed, hidden_check
from ....checks.numeric import check_number
from ....checks.result import failed, never_raises

LAYERS, SCALE, WIDTH = 10, 1.2, 100


@never_raises
def check_output_variance(answer, layers: int = LAYERS, scale: float = SCALE):
    expected = scale ** (2 * layers)
    name = f"variance after {layers} layers of scale s = {scale:g}"
    result = check_number(
        answer, expected, name=name, rtol=0.01,
        hint_low=("Work out one layer first: an output entry sums n products w·x, each of "
                  "variance (s²/n)·1, and the layers multiply."),
        hint_high=("One layer multiplies the variance by n · s²/n = s²: the 1/n in the "
                   "weights' variance cancels the n terms of the sum."),
        note=(f"each layer multiplies it by s² = {scale ** 2:g}, so after {layers} layers "
              f"by s^{2 * layers} = {expected:.4g}: a scale 20 % too large already grows "
              "the signal 38-fold in ten layers."))
    value = result.details.get("answer")
    if not result.passed and value is not None:
        for wrong, hint in ((scale ** layers, f"s^{layers} = {scale ** layers:.4g} is how "
                             "much the standard deviation grows; the variance grows by s² "
                             "per layer."),
                            (scale ** 2 * layers, "the layers multiply the variance, one "
                             "factor s² each; they do not add."),
                            (scale ** 2, "that is one layer's factor s²; there are "
                             f"{layers} layers.")):
            if abs(value - wrong) <= 0.01 * abs(wrong):
                return failed(f"{name}: {value:.6g} is {result.details.get('kind')}. "
                              f"Likely cause: {hint}", kind=result.details.get("kind"),
                              answer=value)
    return result


def _sampled(rng, layers=LAYERS, scale=SCALE, width=WIDTH, draws=200_000) -> float:
    factors = np.ones(draws)
    for _ in range(layers):
        factors *= scale ** 2 * rng.chisquare(width, size=draws) / width
    return float(factors.mean())


@hidden_check
@never_raises
def check_output_variance_by_sampling(answer, seed: int | None = None):
    """The variance recomputed by sampling the layers' growth factors (see the module doc)."""
    return check_recomputed(answer, _sampled, name=f"variance after {LAYERS} layers of scale "
                            f"s = {SCALE:g}", rtol=0.01,
                            what="by sampling 200,000 products of the layers' factors",
                            seed=seed)
