"""figures/: every figure of the lessons' FIGURES, committed, matching a fresh rendering.

A fresh rendering is compared with the committed PNG pixel by pixel (the same matplotlib draws
the same pixels; the tolerance absorbs anti-aliasing differences between library builds), the
SVG must be committed beside it, and figures/README.md must be the index the command writes.
Each figure is rendered by its own test, so that the workers share them out (conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from course_lib.figures import build

REPO = Path(__file__).resolve().parents[1]
FIGURES = REPO / "figures"
SPECS = build.figure_specs()
MAX_MEAN_DIFFERENCE = 1.0        # mean |Δ| over all channels, in 0–255 units
MAX_SHARE_DIFFERENT = 0.005      # share of pixels differing by more than 64 in any channel


def pixels(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"), dtype=float)


def test_every_figure_has_a_unique_name_a_notebook_and_a_claim():
    assert len(SPECS) >= 10
    for spec in SPECS:
        assert spec.claim and spec.notebook and spec.name.isidentifier(), spec


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_committed_figure_matches_a_fresh_rendering(spec, tmp_path):
    committed = FIGURES / f"{spec.name}.png"
    assert committed.is_file() and (FIGURES / f"{spec.name}.svg").is_file(), (
        f"{committed} missing: run python -m course_lib.figures")
    import matplotlib

    matplotlib.use("Agg")
    fresh, = build.render(spec, tmp_path, svg=False)
    old, new = pixels(committed), pixels(fresh)
    assert old.shape == new.shape, (f"{spec.name}: committed {old.shape[:2]}, fresh "
                                    f"{new.shape[:2]}: run python -m course_lib.figures")
    difference = np.abs(old - new)
    share = float(np.mean(difference.max(axis=2) > 64))
    assert difference.mean() <= MAX_MEAN_DIFFERENCE and share <= MAX_SHARE_DIFFERENT, (
        f"{spec.name}: mean difference {difference.mean():.2f}, {share:.2%} of the pixels "
        "differ: the figure changed; run python -m course_lib.figures and commit it")
    assert Image.open(committed).info.get("dpi", (0, 0))[0] >= 149


def test_index_is_current_and_nothing_is_stale():
    assert (FIGURES / "README.md").read_text(encoding="utf-8") == build.index(SPECS), (
        "figures/README.md is out of date: run python -m course_lib.figures")
    names = {s.name for s in SPECS}
    stale = sorted(p.name for p in FIGURES.glob("*.*")
                   if p.suffix in (".png", ".svg") and p.stem not in names)
    assert not stale, f"figures/ holds files no lesson draws any more: {stale}"


def test_unknown_names_are_refused():
    with pytest.raises(ValueError, match="unknown figure"):
        build.figure_specs(["no_such_figure"])
