"""Sphinx configuration of the course book (used by tools/build_book.py; not run by hand).

build_book.py copies this folder into a staging folder beside the notebooks it prepares,
with the vendored MathJax under ``_static/mathjax``, and runs ``sphinx-build -W`` there.
"""

project = "Optimization for Training Deep Models"
author = "the course's authors"
copyright = "the course's authors"  # noqa: A001  (Sphinx's name)
language = "en"

extensions = ["myst_nb"]
exclude_patterns = ["_build", "_extra", "**.ipynb_checkpoints", "README.md"]

# The committed notebooks are already executed: never run them again.
nb_execution_mode = "off"
nb_merge_streams = True
nb_ipywidgets_js = {}           # no widget JavaScript from a CDN: explorers are figures here
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

# MathJax from the vendored copy (third_party/mathjax, npm's mathjax 3.2.2): no network.
mathjax_path = "mathjax/es5/tex-mml-chtml.js"
mathjax3_config = {
    "options": {"processHtmlClass": "tex2jax_process|mathjax_process|math|output_area"}}

html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_extra_path = ["_extra"]    # the learner notebooks, under notebooks/, to download
html_show_sourcelink = False
html_copy_source = False      # the notebooks to download are the originals, in notebooks/
html_last_updated_fmt = None
# One search box (the header's; Ctrl+K opens it), not a second one in the sidebar.
html_sidebars = {"**": ["navbar-logo.html", "icon-links.html", "sbt-sidebar-nav.html"]}
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "navigation_with_keys": False,
    "extra_footer": (
        "A static copy of the course, made from its executed notebooks. Equations are drawn "
        "by a copy of MathJax that ships with these pages, so nothing here needs a network. "
        "The explorers and the exercises' checks run when you open a notebook in JupyterLab."),
}


def _download_learner_notebook(app, pagename, templatename, context, doctree):
    """The download button offers the learner notebook itself (notebooks/NN_topic.ipynb,
    copied from html_extra_path) and the print-to-PDF, instead of Sphinx's _sources copy."""
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        buttons = [b for b in group["buttons"] if b.get("label") == "download-pdf-button"]
        if context.get("page_source_suffix") == ".ipynb":
            buttons.insert(0, {
                "type": "link", "url": context["pathto"](f"notebooks/{pagename}.ipynb", 1),
                "text": ".ipynb", "icon": "fas fa-code", "tooltip": "Download the notebook",
                "label": "download-notebook-button"})
        group["buttons"] = buttons


def setup(app):
    app.connect("html-page-context", _download_learner_notebook, priority=900)
