"""nbgrader configuration of the course "Optimization for Training Deep Models".

This folder is an nbgrader course directory: sources with solutions and hidden tests live in
``source/<assignment>/<assignment>.ipynb`` (one notebook per assignment, named like the
learner notebook in ``notebooks/``). Run nbgrader from this folder, headless:

    python -m nbgrader generate_assignment 00_start_here --force
    python -m nbgrader autograde 00_start_here --force

The learner notebooks in ``notebooks/`` are made by ``python tools/build_notebooks.py``, which
runs ``generate_assignment`` in a temporary copy of this folder, so that nothing (gradebook,
release/) is written into the repository. See docs/maintainers.md.
"""

import os

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

# The course folder is the folder of this file, wherever it is copied to.
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "optimization-for-deep-models"

# Stubs that replace "### BEGIN SOLUTION ... ### END SOLUTION" regions.
# The code stub ends with `pass`, NOT nbgrader's default `raise NotImplementedError()`:
# it is valid inside a function body (the function then returns None and the check cell
# reports "not done yet") and at top level (e.g. after `largest_lr = None`), where a raise
# would stop "Run All" in the learner notebook. Not `...` either: as the last line of a cell
# it is an expression and Jupyter would display "Ellipsis" as the cell's output.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\npass"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Locking. Autograde restores the source of every cell whose nbgrader metadata says
# "locked" from the gradebook (checksums), whatever the learner did to it, so making cells
# non-editable in Jupyter is not needed for grading. Check cells stay non-editable (and
# nothing nbgrader tracks can be deleted); demonstration cells stay editable so that learners
# can experiment with them.
c.LockCells.lock_solution_cells = True
c.LockCells.lock_grade_cells = True
c.LockCells.lock_readonly_cells = False
c.LockCells.lock_all_cells = False

# Autograding executes whole notebooks; our cells run in seconds, but allow slow machines.
c.Execute.timeout = 120

# Feedback and exchange are not used by the build; graders using JupyterHub configure the
# exchange in their own ~/.jupyter/nbgrader_config.py.
