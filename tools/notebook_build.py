"""Build the learner notebooks in ``notebooks/`` from the nbgrader sources in ``instructor/``.

The one command is ``python tools/build_notebooks.py`` (see its ``--help``); this module holds
the logic so that tests can import it.

Pipeline for a notebook ``<name>``:

1. ``generate``: copy ``instructor/nbgrader_config.py`` and ``instructor/source/<name>/`` to a
   temporary course folder and run ``nbgrader generate_assignment <name> --force --no-db``
   there (headless, in a subprocess with this Python), so nothing is written into the
   repository. Solutions become the stubs of ``nbgrader_config.py``, hidden tests disappear.
2. ``tidy``: the release notebook keeps its nbgrader cell metadata (``grade_id``, ``locked``,
   ``points``, ``checksum``...) because ``nbgrader autograde`` needs it to recognise the cells
   of a submission: it matches cells by ``grade_id``, restores locked cells and the hidden
   tests from the gradebook and scores grade cells. Without it a submission cannot be graded.
   The metadata is invisible to learners. Removed: widget state, execution timings, the
   Python version in ``language_info`` (noise that changes between machines).
3. ``execute``: run it with nbclient (kernel ``python3``, 120 s per cell, working directory
   ``notebooks/``), fail on any error, then refuse outputs with memory addresses (``0x7f...``)
   which would differ on every run.
4. write ``notebooks/<name>.ipynb`` with its outputs (nbval compares them in the tests).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import nbformat
from nbformat import NotebookNode

# Notebooks run with one BLAS thread, as under the tests (conftest.py), so that a rebuilt
# notebook and nbval's fresh run compute their products the same way.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

REPO = Path(__file__).resolve().parents[1]
INSTRUCTOR = REPO / "instructor"
NOTEBOOKS = REPO / "notebooks"

KERNEL_NAME = "python3"
CELL_TIMEOUT = 120  # seconds per cell
NBGRADER_TIMEOUT = 600  # seconds for one nbgrader command

# Keys of notebook-level ``language_info`` that do not change between machines.
STABLE_LANGUAGE_INFO = ("name", "codemirror_mode", "file_extension", "mimetype",
                        "nbconvert_exporter", "pygments_lexer")
# Memory addresses as printed by default reprs: <function f at 0x7f3a2c1d0e50>.
MEMORY_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")
# Output MIME types that are not text (never scanned for unstable text).
BINARY_MIME_PREFIXES = ("image/", "application/pdf")


class BuildError(RuntimeError):
    """A notebook could not be generated, executed or checked; the message says where."""


# --------------------------------------------------------------------------- discovery

def source_path(name: str, instructor: Path = INSTRUCTOR) -> Path:
    return Path(instructor) / "source" / name / f"{name}.ipynb"


def learner_path(name: str, notebooks: Path = NOTEBOOKS) -> Path:
    return Path(notebooks) / f"{name}.ipynb"


def source_names(instructor: Path = INSTRUCTOR) -> list[str]:
    """Names of all assignments: ``source/<name>/<name>.ipynb`` files, sorted."""
    root = Path(instructor) / "source"
    if not root.is_dir():
        return []
    return sorted(p.parent.name for p in root.glob("*/*.ipynb")
                  if p.stem == p.parent.name and ".ipynb_checkpoints" not in p.parts)


def cell_label(cell: NotebookNode, index: int) -> str:
    """'cell 15 (grade_id gd_step)' or 'cell 3 (markdown, "## Summary")' for messages."""
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    if grade_id:
        return f"cell {index} (grade_id {grade_id!r})"
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    if len(first) > 50:
        first = first[:47] + "..."
    return f"cell {index} ({cell.cell_type}, {first!r})"


# --------------------------------------------------------------------------- nbgrader

def nbgrader_env() -> dict[str, str]:
    """Environment for nbgrader subprocesses.

    nbgrader's Gradebook runs the ``alembic`` executable found on PATH; put this Python's
    scripts folder first so that it is found even when the venv is not activated.
    """
    env = dict(os.environ)
    scripts = str(Path(sys.executable).parent)
    env["PATH"] = scripts + os.pathsep + env.get("PATH", "")
    env.setdefault("JUPYTER_PLATFORM_DIRS", "1")  # silences a jupyter_core deprecation notice
    return env


def run_nbgrader(args: Sequence[str], course_dir: Path,
                 timeout: float = NBGRADER_TIMEOUT) -> subprocess.CompletedProcess:
    """Run ``python -m nbgrader <args>`` in ``course_dir``; BuildError with its log on failure."""
    cmd = [sys.executable, "-m", "nbgrader", *args]
    proc = subprocess.run(cmd, cwd=course_dir, env=nbgrader_env(), capture_output=True,
                          text=True, timeout=timeout)
    if proc.returncode != 0 or "[ERROR]" in proc.stderr or "| ERROR]" in proc.stderr:
        raise BuildError(f"`{' '.join(cmd[1:])}` failed in {course_dir} "
                         f"(exit code {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def copy_course(dest: Path, names: Iterable[str], instructor: Path = INSTRUCTOR) -> Path:
    """Copy the course configuration and the sources of ``names`` into ``dest``."""
    instructor, dest = Path(instructor), Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(instructor / "nbgrader_config.py", dest / "nbgrader_config.py")
    for name in names:
        src = source_path(name, instructor)
        if not src.is_file():
            raise BuildError(f"no source notebook {src}; available: {source_names(instructor)}")
        shutil.copytree(src.parent, dest / "source" / name,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return dest


def generate_many(names: Sequence[str] | None = None,
                  instructor: Path = INSTRUCTOR) -> dict[str, NotebookNode]:
    """Learner versions (not executed) of ``names`` (default: all), by one nbgrader run."""
    names = list(source_names(instructor) if names is None else names)
    if not names:
        return {}
    with tempfile.TemporaryDirectory(prefix="course-build-") as tmp:
        course = copy_course(Path(tmp) / "course", names, instructor)
        assignment = names[0] if len(names) == 1 else "*"
        run_nbgrader(["generate_assignment", assignment, "--force", "--no-db",
                      f"--CourseDirectory.root={course}"], course)
        result = {}
        for name in names:
            release = course / "release" / name / f"{name}.ipynb"
            if not release.is_file():
                raise BuildError(f"nbgrader wrote no {release}")
            result[name] = tidy(nbformat.read(release, as_version=4))
    return result


def generate(name: str, instructor: Path = INSTRUCTOR) -> NotebookNode:
    """The learner version (not executed) of ``instructor/source/<name>/<name>.ipynb``."""
    return generate_many([name], instructor)[name]


# --------------------------------------------------------------------------- tidy/execute

def tidy(nb: NotebookNode) -> NotebookNode:
    """Remove what changes between machines or runs; keep nbgrader metadata (see module doc)."""
    nb.metadata.pop("widgets", None)
    info = nb.metadata.get("language_info")
    if info is not None:
        nb.metadata["language_info"] = {k: v for k, v in info.items()
                                        if k in STABLE_LANGUAGE_INFO}
    has_ids = (nb.nbformat, nb.nbformat_minor) >= (4, 5)
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)  # nbclient timings
        if has_ids and not cell.get("id"):
            cell["id"] = f"cell-{index}"  # deterministic, instead of random ids on write
    return nb


def execute(nb: NotebookNode, cwd: Path = NOTEBOOKS, timeout: int = CELL_TIMEOUT,
            kernel_name: str = KERNEL_NAME, name: str = "notebook",
            allow_errors: bool = False) -> NotebookNode:
    """Execute ``nb`` in place (and return it). BuildError naming the cell on an error."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name,
                            resources={"metadata": {"path": str(cwd)}},
                            allow_errors=allow_errors, record_timing=False,
                            store_widget_state=False)
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        where = ", ".join(error_cells(nb)) or "a cell"
        raise BuildError(f"{name}: executing {where} failed:\n{exc}") from exc
    return tidy(nb)


def error_cells(nb: NotebookNode) -> list[str]:
    """Labels of the cells that have an error output."""
    return [cell_label(cell, i) for i, cell in enumerate(nb.cells)
            if cell.cell_type == "code"
            and any(out.get("output_type") == "error" for out in cell.get("outputs", []))]


def output_texts(cell: NotebookNode) -> Iterable[tuple[int, str, str]]:
    """(output index, kind, text) for every text output of a code cell."""
    for k, out in enumerate(cell.get("outputs", [])):
        kind = out.get("output_type")
        if kind == "stream":
            yield k, f"stream {out.get('name', '')}", str(out.get("text", ""))
        elif kind == "error":
            yield k, "error", "\n".join([f"{out.get('ename')}: {out.get('evalue')}",
                                         *out.get("traceback", [])])
        elif kind in ("execute_result", "display_data"):
            for mime, data in out.get("data", {}).items():
                if not mime.startswith(BINARY_MIME_PREFIXES):
                    yield k, mime, data if isinstance(data, str) else str(data)


def unstable_outputs(nb: NotebookNode) -> list[str]:
    """Messages for outputs that would differ on every run (memory addresses)."""
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for k, kind, text in output_texts(cell):
            for match in MEMORY_ADDRESS.finditer(text):
                start, end = max(0, match.start() - 40), match.end() + 20
                problems.append(f"{cell_label(cell, i)}, output {k} ({kind}): memory address "
                                f"{match.group()} in ...{text[start:end]!r}...")
                break
    return problems


def semicolon_cells(nb: NotebookNode) -> list[str]:
    """Code cells whose last statement ends with ``;`` to hide its value.

    nbval runs cells with ``store_history=False``, and then IPython ignores the ``;``
    (ipython#14162, nbval#194): the value is shown under nbval but not in Jupyter, so the
    outputs differ. Assign the value instead (``fig = make_figure()``).
    """
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        lines = [line.split("#", 1)[0].rstrip() for line in cell.source.splitlines()]
        lines = [line for line in lines if line]
        if lines and lines[-1].endswith(";") and not lines[-1].startswith(("%", "!")):
            found.append(cell_label(cell, i))
    return found


def check_outputs(nb: NotebookNode, name: str = "notebook") -> None:
    """BuildError if an output has an error or an unstable memory address."""
    errors = error_cells(nb)
    if errors:
        raise BuildError(f"{name}: error output in {', '.join(errors)}")
    problems = unstable_outputs(nb)
    if problems:
        raise BuildError(
            f"{name}: outputs that change on every run (print something stable instead, "
            "e.g. a name or a value, not the object's default repr):\n  "
            + "\n  ".join(problems))


# --------------------------------------------------------------------------- compare

def differences(expected: NotebookNode, actual: NotebookNode, limit: int = 20) -> list[str]:
    """How ``actual`` differs from ``expected`` in cell types, sources and nbgrader metadata.

    Outputs are not compared (that is nbval's job).
    """
    diffs = []
    if len(expected.cells) != len(actual.cells):
        diffs.append(f"{len(actual.cells)} cells, expected {len(expected.cells)}")
    for i, (exp, act) in enumerate(zip(expected.cells, actual.cells, strict=False)):
        label = cell_label(exp, i)
        if exp.cell_type != act.cell_type:
            diffs.append(f"{label}: cell type {act.cell_type}, expected {exp.cell_type}")
        elif exp.source != act.source:
            exp_lines, act_lines = exp.source.splitlines(), act.source.splitlines()
            pairs = enumerate(zip(exp_lines, act_lines, strict=False))
            line = next((j for j, (a, b) in pairs if a != b),
                        min(len(exp_lines), len(act_lines)))
            want = exp_lines[line] if line < len(exp_lines) else "<end of cell>"
            got = act_lines[line] if line < len(act_lines) else "<end of cell>"
            diffs.append(f"{label}: source differs at line {line + 1}: "
                         f"expected {want!r}, found {got!r}")
        elif exp.metadata.get("nbgrader") != act.metadata.get("nbgrader"):
            diffs.append(f"{label}: nbgrader metadata differs: expected "
                         f"{exp.metadata.get('nbgrader')}, found {act.metadata.get('nbgrader')}")
        if len(diffs) >= limit:
            diffs.append("...")
            break
    return diffs


def check(names: Sequence[str] | None = None, instructor: Path = INSTRUCTOR,
          notebooks: Path = NOTEBOOKS) -> dict[str, list[str]]:
    """Out-of-date committed notebooks: {name: [differences]} (empty dict: all up to date)."""
    problems = {}
    for name, fresh in generate_many(names, instructor).items():
        path = learner_path(name, notebooks)
        if not path.is_file():
            problems[name] = [f"{path} does not exist"]
            continue
        diffs = differences(fresh, nbformat.read(path, as_version=4))
        if diffs:
            problems[name] = diffs
    return problems


# --------------------------------------------------------------------------- build

def write(nb: NotebookNode, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.validate(nb)
    nbformat.write(nb, str(path))


def build(names: Sequence[str] | None = None, run: bool = True,
          instructor: Path = INSTRUCTOR, notebooks: Path = NOTEBOOKS,
          log=print) -> list[Path]:
    """Regenerate (and by default execute) learner notebooks; returns the paths written."""
    import time

    written = []
    for name, nb in generate_many(names, instructor).items():
        start = time.perf_counter()
        for label in semicolon_cells(nb):
            log(f"warning: {name}: {label} ends with ';' to hide a value; nbval ignores the ';' "
                "(it runs cells with store_history=False), so its outputs will differ: "
                "assign the value instead, e.g. fig = ...")
        if run:
            execute(nb, cwd=notebooks, name=name)
            check_outputs(nb, name)
        path = learner_path(name, notebooks)
        write(nb, path)
        written.append(path)
        what = f"executed in {time.perf_counter() - start:.1f} s" if run else "not executed"
        log(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path} ({what})")
    return written
