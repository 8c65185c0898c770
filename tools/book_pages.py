"""The book's pages that are not notebooks: the landing page and the figure gallery.

Both are written as MyST markdown from files the course already keeps up to date, so the
book never needs its own copy of them:

- the landing page is the README's title, its introduction (the text before its first
  section), its map of the notebooks ("## The notebooks") and "## Studying alone". Links to
  ``notebooks/NN_topic.ipynb`` become links to the book's pages; links to other files of the
  repository (which are not in the book) become plain text. A notebook of ``notebooks/``
  missing from the map gets a row (its title), a row whose notebook does not exist yet is
  marked as being written, so the page is right whichever notebooks have landed;
- the gallery shows every PNG of ``figures/`` (with its SVG to download), grouped by
  notebook in course order, captioned from ``figures/README.md``'s table.
"""

from __future__ import annotations

import re
from pathlib import Path

LINK = re.compile(r"(?<!!)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)\s]+)\)")
MAP_SECTION = "The notebooks"
LANDING_SECTIONS = (MAP_SECTION, "Studying alone")


def sections(markdown: str) -> tuple[str, str, dict[str, str]]:
    """(title, introduction, {section heading: body}) of a README-like file."""
    title, intro, found, current = "", [], {}, None
    for line in markdown.splitlines():
        if line.startswith("# ") and not title:
            title = line[2:].strip()
        elif line.startswith("## "):
            current = line[3:].strip()
            found[current] = []
        elif current is None:
            intro.append(line)
        else:
            found[current].append(line)
    return title, "\n".join(intro).strip(), {k: "\n".join(v).strip() for k, v in found.items()}


def rewrite_links(text: str, pages: set[str]) -> str:
    """Links to the course's notebooks → the book's pages; other repository files → text."""

    def replace(match: re.Match) -> str:
        label, target = match.group(1), match.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):          # https:, mailto: ...
            return match.group(0)
        path = target.split("#")[0]
        stem = Path(path).stem
        if path.endswith(".ipynb") and stem in pages:
            return f"[{label}]({stem}.ipynb)"
        return label

    return LINK.sub(replace, text)


def _map_rows(body: str, titles: dict[str, str]) -> str:
    """The map's table with every notebook linked, missing ones added, absent ones marked."""
    lines, seen, table_end = [], set(), None
    for line in body.splitlines():
        cells = line.split("|")
        if line.startswith("|") and len(cells) > 3 and not set(cells[1].strip()) <= set("-: "):
            name = re.sub(r"[`\[\]]|\(.*?\)", "", cells[1]).strip()
            if name in titles:
                seen.add(name)
                cells[1] = f" [`{name}`]({name}.ipynb) "
            elif re.match(r"^\d\d_", name):
                cells[1] = f" `{name}` (being written) "
            line = "|".join(cells)
        if line.startswith("|"):
            table_end = len(lines) + 1
        elif "without a link" in line:              # the README's note on unlinked rows
            continue
        lines.append(line)
    extra = [f"| [`{name}`]({name}.ipynb) | — | {title} |"
             for name, title in titles.items() if name not in seen]
    if table_end is None:
        return "\n".join(lines)
    return "\n".join(lines[:table_end] + extra + lines[table_end:])


def landing_page(readme: str, titles: dict[str, str], gallery: str | None = "gallery") -> str:
    """The book's index.md: the README's map as the landing page, and the book's toctree."""
    title, intro, found = sections(readme)
    pages = set(titles)
    parts = [f"# {title}", rewrite_links(intro, pages)]
    parts.append(
        "```{admonition} About this book\n"
        "This is the course read as a book: every notebook with its figures and printed "
        "measurements, as they were when the notebook was last run. The explorers and the "
        "exercises' checks need Python: get the course (see the README, \"Set-up: two "
        "commands\") and open the notebooks in JupyterLab. Each page says where its "
        "explorers are and links to its notebook file."
        + (f" All figures are also in the [gallery]({gallery}.md)." if gallery else "")
        + "\n```")
    for heading in LANDING_SECTIONS:
        if heading in found:
            body = rewrite_links(found[heading], pages)
            if heading == MAP_SECTION:
                body = _map_rows(body, titles)
            parts += [f"## {heading}", body]
    entries = "\n".join(list(titles) + ([gallery] if gallery else []))
    parts.append(f"```{{toctree}}\n:hidden:\n:caption: The notebooks\n\n{entries}\n```")
    return "\n\n".join(parts) + "\n"


def figure_captions(figures_readme: str) -> dict[str, tuple[str, str]]:
    """{figure name: (notebook, what it shows)} from the table of figures/README.md."""
    found = {}
    for line in figures_readme.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) < 5 or not line.startswith("|"):
            continue
        name = re.findall(r"`([^`]+)`", cells[1])
        notebook = re.findall(r"\[([^\]]+)\]", cells[2])
        if name and notebook:
            found[name[-1]] = (notebook[0], cells[3])
    return found


def gallery_page(figures: Path, titles: dict[str, str]) -> str:
    """gallery.md: every figure of figures/, by notebook in course order."""
    readme = figures / "README.md"
    captions = figure_captions(readme.read_text(encoding="utf-8")) if readme.exists() else {}
    order = list(titles)
    groups: dict[str, list[str]] = {}
    for png in sorted(figures.glob("*.png")):
        notebook = captions.get(png.stem, ("", ""))[0]
        groups.setdefault(notebook if notebook in titles else "", []).append(png.stem)
    parts = ["# Figure gallery",
             "Every figure of `figures/`, drawn by the same code and settings as in its "
             "notebook. Each links to its notebook; the SVG version is for print."]
    for notebook in sorted(groups, key=lambda n: order.index(n) if n in order else len(order)):
        parts.append(f"## {titles[notebook]}" if notebook else "## Other figures")
        for name in groups[notebook]:
            what = captions.get(name, ("", ""))[1]
            caption = f"**{name}**" + (f": {what}" if what else "")
            if notebook:
                caption += f" (from [{notebook}]({notebook}.ipynb))"
            if (figures / f"{name}.svg").exists():
                caption += f" {{download}}`SVG <figures/{name}.svg>`"
            parts.append(f"```{{figure}} figures/{name}.png\n:alt: {name}\n:width: 100%\n\n"
                         f"{caption}\n```")
    return "\n\n".join(parts) + "\n"
