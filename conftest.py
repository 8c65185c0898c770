"""Spreading the tests over the machine's cores (pytest-xdist, ``--dist loadgroup``).

At the repository's root, so that it applies however pytest is called (``pytest
notebooks/04_momentum_physics.ipynb`` too: nbval's cells of one notebook must stay on one
worker, with one kernel).

Every test belongs to a group that one worker runs whole: its file by default (so the
module-scoped fixtures that compute a notebook's demonstrations run once), and, for the
tests parametrized by notebook in ``test_notebooks.py``, that notebook, so that the slow
executions of different notebooks run side by side (in ``test_browser.py`` each worker then
starts its own JupyterLab; each figure of ``test_figures.py`` is its own group too). nbval's
cells of one notebook are one file, hence one group, hence one kernel.
"""

from __future__ import annotations

import os

import pytest

# One BLAS thread per process: the workers (and their notebook kernels) already fill the
# cores, and two threads fighting over two busy cores made small products 100× slower.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

# Files whose parametrized tests form one group per parameter value (slow, independent
# tests that the workers should share out): file name -> the parameter's name.
PER_PARAMETER = {"test_notebooks.py": "name", "test_browser.py": "name",
                 "test_figures.py": "spec"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        group = item.path.name
        callspec = getattr(item, "callspec", None)
        param = PER_PARAMETER.get(item.path.name)
        if param and callspec and param in callspec.params:
            value = callspec.params[param]
            group = (f"notebook {value}" if param == "name" else
                     f"{item.path.name} {getattr(value, 'name', value)}")
        item.add_marker(pytest.mark.xdist_group(name=group))



def pytest_configure(config):
    """Refuse a pytest with which xdist's --dist loadgroup silently stops grouping.

    xdist (3.8) groups by a suffix ``@group`` that it writes into each item's ``_nodeid``;
    pytest 9.2 reads node ids from elsewhere, so the groups vanish, nbval's cells of one
    notebook run on different kernels (each failing with a NameError) and the controller
    ends in an INTERNALERROR. Say so at once instead.
    """
    version = tuple(int(part) for part in pytest.__version__.split(".")[:2])
    if config.getoption("numprocesses", None) and version >= (9, 2):
        raise pytest.UsageError(
            f"pytest {pytest.__version__} breaks pytest-xdist's --dist loadgroup (notebooks "
            f"would be split across workers): install what requirements-dev.txt allows "
            f"(pip install -r requirements-dev.txt), or run with -n 0.")
