"""One package per notebook: everything a notebook computes, draws and checks.

``notebooks/NN_topic.ipynb`` ↔ ``course_lib/lessons/nbNN_topic/`` (a package name cannot
start with a digit, hence the ``nb``). A package holds:

- one module per idea of the notebook: ``compute_*`` functions (settings → the measured
  numbers), ``report_*`` (the lines the notebook prints) and ``figure_*`` (its figures);
- ``<topic>_explorer.py``: the notebook's explorer(s), a pure compute and a draw function wired by
  ``course_lib.widgets``;
- ``checks.py`` (or a ``checks/`` package): its exercises' checks and hidden cases. In the
  notebook, and in the grader, the check cells' ``checks`` name is this module;
- ``__init__.py``: ``NOTEBOOK`` (its name), ``EXPLORERS`` (see ``explorers``) and
  ``EXECUTION_TARGET_S`` (seconds the benchmark allows it), importing nothing heavy.

A lesson imports the reference library, ``course_lib.checks`` and ``lessons.common``, never
another notebook's lesson (``tests/test_layout.py`` enforces it; docs/DESIGN.md, "Who imports
whom"). Importing this package imports nothing but the standard library.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

PREFIX = "nb"


def package_name(notebook: str) -> str:
    """``"04_momentum_physics"`` → ``"course_lib.lessons.nb04_momentum_physics"``."""
    return f"{__name__}.{PREFIX}{notebook}"


def notebook_names() -> list[str]:
    """The notebooks that have a lesson package, in course order."""
    return sorted(info.name.removeprefix(PREFIX) for info in pkgutil.iter_modules(__path__)
                  if info.ispkg and info.name.startswith(PREFIX))


def lesson(notebook: str) -> ModuleType:
    """The lesson package of ``notebook``; ValueError naming the known ones if there is none."""
    if notebook not in notebook_names():
        raise ValueError(f"no lesson package for notebook {notebook!r}; the lessons are "
                         f"{notebook_names()}")
    return importlib.import_module(package_name(notebook))


def checks_for(notebook: str) -> ModuleType:
    """The module a notebook's check cells know as ``checks``."""
    lesson(notebook)
    return importlib.import_module(package_name(notebook) + ".checks")


def explorers(notebook: str | None = None) -> dict:
    """``{"04_momentum_physics: momentum_explorer": factory}`` for one notebook or all.

    Each lesson's ``__init__`` lists its explorers as module:function pairs inside the
    package, ``EXPLORERS = ("momentum_explorer:momentum_explorer",)``; the factories are
    imported here, on demand.
    """
    found = {}
    for name in [notebook] if notebook else notebook_names():
        package = lesson(name)
        for spec in getattr(package, "EXPLORERS", ()):
            module, _, factory = spec.partition(":")
            found[f"{name}: {factory}"] = getattr(
                importlib.import_module(f"{package.__name__}.{module}"), factory)
    return found
