"""Rendering the lessons' figures: specs, deterministic PNG and SVG files, the index."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

from .. import lessons

DPI = 150
# Deterministic files: SVG ids from a fixed salt, no dates or versions in the metadata.
SAVE_RC = {"svg.hashsalt": "optimization-course", "svg.fonttype": "path"}
PNG_METADATA = {"Software": None}
SVG_METADATA = {"Date": None, "Creator": None}


@dataclass(frozen=True)
class FigureSpec:
    """One figure: ``name`` (its file name), the lesson that draws it and the claim it shows.

    The figure is ``figure_fn(compute_fn(**kwargs))`` from the lesson's module ``module``,
    or ``figure_fn(**kwargs)`` when ``compute_fn`` is empty (a companion figure).
    """

    name: str
    notebook: str
    module: str
    figure_fn: str
    compute_fn: str
    kwargs: dict = field(default_factory=dict)
    claim: str = ""

    def draw(self):
        package = lessons.package_name(self.notebook)
        module = importlib.import_module(f"{package}.{self.module}")
        if self.compute_fn:
            return getattr(module, self.figure_fn)(getattr(module, self.compute_fn)(**self.kwargs))
        return getattr(module, self.figure_fn)(**self.kwargs)


def figure_specs(only=None) -> list[FigureSpec]:
    """The figures of ``catalog.FIGURES``; ``only``: names to keep (ValueError if unknown)."""
    from .catalog import FIGURES

    specs = [FigureSpec(name, notebook, module, figure_fn, compute_fn, dict(kwargs), claim)
             for name, notebook, module, figure_fn, compute_fn, kwargs, claim in FIGURES]
    names = [s.name for s in specs]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"figure names must be unique, repeated: {duplicates}")
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            raise ValueError(f"unknown figure(s) {unknown}; the figures are {names}")
        specs = [s for s in specs if s.name in set(only)]
    return specs


def render(spec: FigureSpec, out: Path, svg: bool = True) -> list[Path]:
    """Draw ``spec`` and write ``out/<name>.png`` (150 dpi) and, unless ``svg=False``,
    ``.svg``; returns the paths written."""
    import matplotlib
    import matplotlib.pyplot as plt

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context(SAVE_RC):
        fig = spec.draw()
        try:
            paths = [out / f"{spec.name}.png"]
            fig.savefig(paths[0], dpi=DPI, metadata=PNG_METADATA)
            if svg:
                paths.append(out / f"{spec.name}.svg")
                _rasterize_meshes(fig)
                fig.savefig(paths[1], dpi=DPI, metadata=SVG_METADATA)
        finally:
            plt.close(fig)
    return paths


def _rasterize_meshes(fig, cells: int = 10_000) -> None:
    """Images and meshes of many cells (a rate map) go into the SVG as pixels: as vectors a
    400 × 400 mesh is 30 MB. Lines, text and contours stay vectors."""
    from matplotlib.collections import QuadMesh
    from matplotlib.image import AxesImage

    for artist in fig.findobj(lambda a: isinstance(a, (QuadMesh, AxesImage))):
        size = artist.get_array().size if artist.get_array() is not None else 0
        if isinstance(artist, AxesImage) or size > cells:
            artist.set_rasterized(True)


def index(specs: list[FigureSpec]) -> str:
    """``figures/README.md``: every figure with its notebook and claim."""
    lines = ["# Figures of the course",
             "",
             "Every figure here is drawn by the same code, with the same settings, as in its",
             "notebook. Regenerate them all with `python -m course_lib.figures` (PNG at "
             f"{DPI} dpi for slides, SVG for print); `tests/test_figures.py` checks that the",
             "committed files match a fresh rendering.",
             "",
             "| figure | notebook | what it shows |",
             "|---|---|---|"]
    for s in specs:
        lines.append(f"| [![{s.name}]({s.name}.png)]({s.name}.svg) `{s.name}` | "
                     f"[{s.notebook}](../notebooks/{s.notebook}.ipynb) | {s.claim} |")
    return "\n".join(lines) + "\n"


def write_all(out: Path, only=None, log=print) -> list[Path]:
    """Render the figures (all, or ``only``) into ``out``; the index too when all are drawn."""
    import matplotlib

    matplotlib.use("Agg")
    specs = figure_specs(only)
    written = []
    for spec in specs:
        written += render(spec, out)
        log(f"wrote {spec.name}.png and .svg ({spec.notebook})")
    if not only:
        path = Path(out) / "README.md"
        path.write_text(index(specs), encoding="utf-8")
        written.append(path)
    return written
