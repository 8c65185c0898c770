"""Regenerate the learner notebooks in notebooks/ from the nbgrader sources in instructor/.

    python tools/build_notebooks.py                 # all notebooks: generate, execute, write
    python tools/build_notebooks.py --only 00_start_here
    python tools/build_notebooks.py --no-execute    # quick: write without outputs
    python tools/build_notebooks.py --check         # exit 1 if a committed notebook is stale

Each notebooks/<name>.ipynb is made from instructor/source/<name>/<name>.ipynb by
`nbgrader generate_assignment` (in a temporary copy of instructor/: solutions replaced by
stubs, hidden tests removed), then executed with its outputs stored for nbval.
--check compares cell types, sources and nbgrader metadata, not outputs (nbval does those).
See tools/notebook_build.py and docs/maintainers.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.notebook_build import (  # noqa: E402
    INSTRUCTOR,
    BuildError,
    build,
    check,
    source_names,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Regenerate notebooks/<name>.ipynb from instructor/source/<name>/<name>.ipynb.")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if a committed notebook's cells (types, "
                             "sources, nbgrader metadata) differ from a fresh generation")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="only this notebook (repeatable), e.g. --only 00_start_here")
    parser.add_argument("--no-execute", action="store_true",
                        help="write the generated notebooks without executing them")
    args = parser.parse_args(argv)

    available = source_names(INSTRUCTOR)
    names = args.only or available
    unknown = sorted(set(names) - set(available))
    if unknown:
        print(f"error: no instructor/source/<name>/<name>.ipynb for {unknown}; "
              f"available: {available}", file=sys.stderr)
        return 2
    if not names:
        print("nothing to do: no notebooks in instructor/source/")
        return 0

    try:
        if args.check:
            problems = check(names)
            for name, diffs in problems.items():
                print(f"notebooks/{name}.ipynb is out of date with "
                      f"instructor/source/{name}/{name}.ipynb:", file=sys.stderr)
                for diff in diffs:
                    print(f"  {diff}", file=sys.stderr)
            if problems:
                print("run: python tools/build_notebooks.py"
                      + "".join(f" --only {n}" for n in problems), file=sys.stderr)
                return 1
            print(f"{len(names)} notebook(s) up to date: {', '.join(names)}")
            return 0
        build(names, run=not args.no_execute)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
