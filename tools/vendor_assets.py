"""Refresh the vendored web assets in ``third_party/`` from npm (maintainers only).

    python tools/vendor_assets.py            # reveal.js and MathJax at the pinned versions

The book (``tools/build_book.py``) and the slides (``tools/build_slides.py``) never fetch
anything: they copy these committed files into the site, so that pages and decks work
offline (a lecture hall without a network). This script is the one place that talks to the
npm registry: ``npm pack`` downloads each package's tarball, and only the files the pages
load (plus the licences) are kept, listed in ``KEEP``. Bump a version here, run it, rebuild
the book and slides, run ``tests/test_book.py`` and ``tests/test_slides.py``, and commit
``third_party/``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THIRD_PARTY = ROOT / "third_party"

# package → (version, folder under third_party/, paths inside the package to keep)
KEEP = {
    "reveal.js": ("5.2.1", "reveal.js", (
        "LICENSE", "package.json",
        "dist/reveal.js", "dist/reveal.css", "dist/reset.css",
        # themes whose fonts are in the package (the others import web fonts from a CDN)
        "dist/theme/white.css", "dist/theme/white-contrast.css",
        "dist/theme/black.css", "dist/theme/black-contrast.css",
        "dist/theme/fonts/source-sans-pro",
        "plugin/notes/notes.js",          # the speaker view (press S)
    )),
    "mathjax": ("3.2.2", "mathjax", (
        "LICENSE", "package.json",
        "es5/tex-mml-chtml.js",           # TeX and MathML input, HTML output, the menu
        "es5/input/tex/extensions",       # loaded on demand by \require and autoload
        "es5/output/chtml/fonts/woff-v2",  # the fonts the HTML output uses
    )),
}


def vendor(package: str, version: str, folder: str, keep: tuple, work: Path) -> Path:
    """Download ``package@version`` with npm and copy the ``keep`` paths to third_party/."""
    subprocess.run(["npm", "pack", "--silent", f"{package}@{version}"], cwd=work, check=True,
                   stdout=subprocess.DEVNULL)
    tarball = next(work.glob(f"{package.replace('/', '-')}-{version}.tgz"))
    unpacked = work / folder
    with tarfile.open(tarball) as archive:
        if hasattr(tarfile, "data_filter"):            # Python ≥ 3.10.12 / 3.11.4
            archive.extractall(unpacked, filter="data")
        else:
            archive.extractall(unpacked)  # noqa: S202  (npm's own tarball)
    source = unpacked / "package"
    target = THIRD_PARTY / folder
    shutil.rmtree(target, ignore_errors=True)
    for relative in keep:
        origin, destination = source / relative, target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if origin.is_dir():
            shutil.copytree(origin, destination)
        else:
            shutil.copy2(origin, destination)
    return target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        for package, (version, folder, keep) in KEEP.items():
            target = vendor(package, version, folder, keep, Path(tmp))
            size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
            print(f"{package}@{version} → {target.relative_to(ROOT)} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
