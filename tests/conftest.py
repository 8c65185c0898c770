"""Spreading the tests over the machine's cores (pytest-xdist, ``--dist loadgroup``).

Every test belongs to a group that one worker runs whole: its file by default (so the
module-scoped fixtures that compute a notebook's demonstrations run once), and, for the
tests parametrized by notebook in ``test_notebooks.py``, that notebook, so that the slow
executions of different notebooks run side by side. nbval's cells of one notebook are one
file, hence one group, hence one kernel.
"""

from __future__ import annotations

import pytest

PER_NOTEBOOK = ("test_notebooks.py",)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        group = item.path.name
        callspec = getattr(item, "callspec", None)
        if item.path.name in PER_NOTEBOOK and callspec and callspec.params.get("name"):
            group = f"notebook {callspec.params['name']}"
        item.add_marker(pytest.mark.xdist_group(name=group))
