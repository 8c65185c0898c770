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
import shutil
import threading
from pathlib import Path

import pytest

# One BLAS thread per process: the workers (and their notebook kernels) already fill the
# cores, and two threads fighting over two busy cores made small products 100× slower.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

# The lessons' slow experiments (``@cached``, course_lib/lessons/common/cache.py) computed
# once per session and code version, not once per execution of their notebook: the notebook
# kernels and JupyterLab started by the tests inherit this. COURSE_CACHE_DIR= (empty) turns
# it off.
CACHE = Path(__file__).resolve().parent / "build" / "compute-cache"
os.environ.setdefault("COURSE_CACHE_DIR", str(CACHE))

# Files whose parametrized tests form one group per parameter value (slow, independent
# tests that the workers should share out): file name -> the parameter's name.
PER_PARAMETER = {"test_notebooks.py": "name", "test_browser.py": "name",
                 "test_figures.py": "spec"}
# Which tests start first: the instructor versions' executions fill the experiments' cache
# for everything after them, and the browser tests come last, together, so that each worker
# starts JupyterLab and Chromium once (their fixtures are per module) and Run All finds the
# experiments computed.
FIRST = "test_instructor_version_runs_and_all_checks_pass"
LAST = "test_browser.py"


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
            group = (f"browser {value}" if item.path.name == LAST else
                     f"notebook {value}" if param == "name" else
                     f"{item.path.name} {getattr(value, 'name', value)}")
        item.add_marker(pytest.mark.xdist_group(name=group))
    items.sort(key=lambda item: 0 if getattr(item, "originalname", "") == FIRST else
               2 if item.path.name == LAST else 1)     # stable: nbval's cells keep their order



@pytest.fixture(autouse=True)
def _no_timed_out_call_left_running():
    """A learner's function that a check gave up on outside the main thread runs on in its
    thread (``checks.safe_call``). A test that makes one must also end it: an endless loop
    left behind took a core and the GIL from every later test of its worker."""
    yield
    left = [t for t in threading.enumerate() if t.name == "course_lib-check"]
    for thread in left:
        thread.join(timeout=2.0)
    running = [t for t in left if t.is_alive()]
    assert not running, (f"{len(running)} call(s) a check timed out on still run in a thread "
                         "after the test: make the test's function stop (e.g. on an Event)")


def pytest_sessionstart(session):
    """Drop the cache of other code versions (their keys can never match again)."""
    folder = os.environ.get("COURSE_CACHE_DIR")
    if folder != str(CACHE) or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    from course_lib.lessons.common.cache import source_digest

    current = source_digest()[:16]
    for old in CACHE.glob("*"):
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)


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
