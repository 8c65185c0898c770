"""``python -m course_lib.figures [--out DIR] [--only NAME ...] [--list]``: see the package doc."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import figure_specs, write_all

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "figures"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_lib.figures",
                                     description="Regenerate the course's figures.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"folder to write into (default: {DEFAULT_OUT})")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these figures")
    parser.add_argument("--list", action="store_true", help="list the figures and stop")
    args = parser.parse_args(argv)
    try:
        specs = figure_specs(args.only)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.list:
        for s in specs:
            print(f"{s.name:28} {s.notebook:28} {s.claim}")
        return 0
    write_all(args.out, args.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
