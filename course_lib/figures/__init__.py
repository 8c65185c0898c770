"""The course's figures, regenerated from the lessons by one command.

    python -m course_lib.figures                 # every figure into figures/ (PNG 150 dpi + SVG)
    python -m course_lib.figures --only momentum_canyon --out /tmp/figs
    python -m course_lib.figures --list          # names, notebooks and claims

``catalog.FIGURES`` lists them: one per claim a notebook makes, drawn by the same
``compute_*``/``figure_*`` functions of its lesson that the notebook calls, with the same
settings, so a figure in ``figures/`` is the notebook's own.
``figures/README.md`` is written beside them: which notebook and claim each belongs to.
This package is a consumer of the lessons, like the grader: the reference library never
imports it.
"""

from .build import FigureSpec, figure_specs, render, write_all

__all__ = ["FigureSpec", "figure_specs", "render", "write_all"]
