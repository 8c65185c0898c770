"""The layout rules of docs/DESIGN.md ("Who imports whom"), read from the source files.

- The reference library (every module of course_lib outside ``lessons``, ``checks``,
  ``grade`` and ``figures``) imports nothing from those: it stays usable on its own.
  ``grade`` and ``figures`` consume the lessons and may import anything.
- ``course_lib.checks`` (the generic exercise machinery) imports no lesson and no grader.
- A lesson imports the library, ``course_lib.checks`` and ``lessons.common``, never another
  notebook's lesson.
- Every instructor source has its lesson package, whose ``__init__`` names the notebook and
  loads no plotting library, and whose ``checks`` gives every name the check cells call.
- No module of course_lib grows past ~300 lines: split it along a seam instead.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "course_lib"
LESSONS = PACKAGE / "lessons"
MAX_LINES = 320
SOURCES = sorted(p.parent.name for p in (REPO / "instructor" / "source").glob("*/*.ipynb")
                 if p.stem == p.parent.name)


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Absolute names of the course_lib modules ``path`` imports (relative imports resolved)."""
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.startswith("course_lib")}


def area(module: str) -> str:
    """'library', 'checks', 'grade', 'lessons.common' or 'lessons.nbNN_topic'."""
    parts = module.split(".")
    if len(parts) < 2:
        return "library"
    if parts[1] == "lessons":
        return "lessons" if len(parts) == 2 else f"lessons.{parts[2]}"
    return parts[1] if parts[1] in ("checks", "grade", "figures") else "library"


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_who_imports_whom(path):
    mine = area(module_name(path))
    for name in sorted(imported(path)):
        theirs = area(name)
        if name == "course_lib" or theirs == mine:
            continue
        if mine == "figures" or mine == "grade":
            continue
        if mine == "library":
            assert theirs == "library", (
                f"{path.relative_to(REPO)} (reference library) imports {name}: the library "
                "must not depend on lessons, checks or the grader")
        elif mine == "checks":
            assert theirs == "library", (
                f"{path.relative_to(REPO)} (generic checks) imports {name}: a notebook's own "
                "checks belong in its lesson")
        elif mine.startswith("lessons.nb"):
            assert theirs in ("library", "checks", "lessons.common", "lessons"), (
                f"{path.relative_to(REPO)} imports {name}: a lesson may import the library, "
                "course_lib.checks and lessons.common, never another notebook's lesson")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_short(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, (f"{path.relative_to(REPO)} has {lines} lines: split it along "
                                "a seam (one idea per module)")


def test_every_notebook_has_its_lesson():
    from course_lib import lessons

    assert SOURCES, "no instructor sources found"
    assert set(SOURCES) <= set(lessons.notebook_names()), (
        "every instructor/source/<name> needs course_lib/lessons/nb<name>/: missing "
        f"{sorted(set(SOURCES) - set(lessons.notebook_names()))}")
    for name in lessons.notebook_names():
        package = lessons.lesson(name)
        assert package.NOTEBOOK == name
        assert package.__doc__ and name in package.__doc__


@pytest.mark.parametrize("name", SOURCES)
def test_check_cells_find_what_they_call(name):
    import nbformat

    from course_lib import lessons

    checks = lessons.checks_for(name)
    nb = nbformat.read(REPO / "instructor" / "source" / name / f"{name}.ipynb", as_version=4)
    called = {m for c in nb.cells if c.cell_type == "code"
              for m in re.findall(r"\bchecks\.(\w+)", c.source)}
    missing = sorted(n for n in called if not hasattr(checks, n))
    assert not missing, (f"{name}: its check cells call checks.{missing}, which "
                         f"{checks.__name__} lacks")


def test_lesson_packages_import_no_plotting():
    code = ("import sys, course_lib.lessons as L\n"
            "[L.lesson(n) for n in L.notebook_names()]\n"
            "[L.checks_for(n) for n in L.notebook_names()]\n"
            "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO).stdout.strip()
    assert out == "[]", f"importing the lessons' packages and checks loaded {out}"
