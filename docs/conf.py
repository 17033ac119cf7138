"""Sphinx configuration of the orgnet documentation site.

Build: ``sphinx-build -W -b html docs docs/_build/html`` (see docs/README.md). Offline by
design: no CDN asset at view time (the theme and MathJax are served from the build), no
intersphinx fetching at build time.

At each build this file lays two generated inputs into the source folder (both ignored by
git): the API pages ``api/orgnet.*.rst`` written from each public module's ``__all__`` (and
autosummary's stubs under ``api/generated/``, removed first so none outlives its name), and
the notebooks copied from the repository's ``notebooks/`` into ``notebooks/`` here. The
template workbooks are downloads linked from the pages (``../src/orgnet/datasets/templates``).
The repository is the folder above this one, or ``ORGNET_REPO``.
"""

from __future__ import annotations

import importlib
import inspect
import os
import shutil
from pathlib import Path

import orgnet

HERE = Path(__file__).resolve().parent
REPO = Path(os.environ.get("ORGNET_REPO", HERE.parent)).resolve()

project = "orgnet"
author = "orgnet developers"
copyright = "orgnet developers, BSD-3-Clause"
release = orgnet.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_nb",
]

# --- the API pages: one per public module, its __all__ in autosummary tables -------------

#: (module, title) in the order of the reference; the algorithms package is shown by its
#: submodules (the package re-exports every name of them).
API_MODULES = [
    ("orgnet.network", "The network"),
    ("orgnet.io", "Reading and writing"),
    ("orgnet.datasets", "Datasets, synthetic cities and templates"),
    ("orgnet.schema", "The data format"),
    ("orgnet.errors", "Errors and warnings"),
    ("orgnet.coverage", "Coverage"),
    ("orgnet.vacuum", "Vacuum areas"),
    ("orgnet.linkage", "Linkage"),
    ("orgnet.structure", "Structure"),
    ("orgnet.sharing", "Sharing"),
    ("orgnet.compare", "Comparing two snapshots"),
    ("orgnet.scorecard", "Scorecard"),
    ("orgnet.staffing", "Staffing"),
    ("orgnet.response", "Response to cases"),
    ("orgnet.report", "The report"),
    ("orgnet.viz", "Visualisation"),
    ("orgnet.viz.plots", "Charts"),
    ("orgnet.viz.views", "Interactive views"),
    ("orgnet.viz.palette", "Palettes"),
    ("orgnet.viz.layout", "Layouts"),
    ("orgnet.algorithms.graph", "Algorithms: graph coding"),
    ("orgnet.algorithms.centrality", "Algorithms: centrality"),
    ("orgnet.algorithms.brokerage", "Algorithms: brokerage"),
    ("orgnet.algorithms.holes", "Algorithms: structural holes"),
    ("orgnet.algorithms.cohesion", "Algorithms: cohesion"),
    ("orgnet.algorithms.resilience", "Algorithms: resilience"),
    ("orgnet.algorithms.projection", "Algorithms: projection"),
    ("orgnet.algorithms.covering", "Algorithms: covering"),
    ("orgnet.algorithms.accessibility", "Algorithms: accessibility"),
    ("orgnet.algorithms.transport", "Algorithms: transport"),
    ("orgnet.algorithms.inequality", "Algorithms: inequality"),
]


def public_names(modname: str) -> list[str]:
    """The names a module documents: its ``__all__`` less the submodules that have pages of
    their own (a submodule without one gets a stub listing its ``__all__``)."""
    mod = importlib.import_module(modname)
    paged = {m for m, _ in API_MODULES}
    return [
        n
        for n in getattr(mod, "__all__", [])
        if not (inspect.ismodule(getattr(mod, n)) and f"{modname}.{n}" in paged)
    ]


def api_page(modname: str, title: str) -> str:
    heading = f"{title} — ``{modname}``"
    lines = [
        f".. _api-{modname}:",
        "",
        heading,
        "=" * len(heading),
        "",
        f".. automodule:: {modname}",
        "   :no-members:",
        "",
        f".. currentmodule:: {modname}",
        "",
        ".. autosummary::",
        "   :toctree: generated",
        "",
    ]
    lines += [f"   {name}" for name in public_names(modname)]
    return "\n".join(lines) + "\n"


def write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def lay_generated_inputs() -> None:
    api = HERE / "api"
    # autosummary's stubs live for one build only: a stale stub (a name since removed from
    # an __all__) would otherwise linger as a page outside every toctree
    shutil.rmtree(api / "generated", ignore_errors=True)
    wanted = {f"{m}.rst" for m, _ in API_MODULES}
    for old in api.glob("orgnet.*.rst"):
        if old.name not in wanted:
            old.unlink()
    for modname, title in API_MODULES:
        write_if_changed(api / f"{modname}.rst", api_page(modname, title))
    # the notebooks live at the top of the repository; Sphinx reads only its source folder
    nb_dir = HERE / "notebooks"
    nb_dir.mkdir(exist_ok=True)
    for nb in sorted((REPO / "notebooks").glob("*.ipynb")):
        # notebooks/ links the pages as ../docs/<page>.md; here they sit beside docs/notebooks
        text = nb.read_text(encoding="utf-8").replace("](../docs/", "](../")
        write_if_changed(nb_dir / nb.name, text)


lay_generated_inputs()

autosummary_generate = True
autosummary_generate_overwrite = True
autosummary_imported_members = True
templates_path = ["_templates"]
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"  # numpydoc's Parameters section carries the types
autodoc_preserve_defaults = True

numpydoc_show_class_members = False  # the class template lists members itself
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()

# --- sources -----------------------------------------------------------------------------

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"
exclude_patterns = [
    "_build",
    "README.md",
    "Thumbs.db",
    ".DS_Store",
    "**.ipynb_checkpoints",
    "jupyter_execute",
]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
suppress_warnings = [
    # the methods pages are also read on GitHub: links to source files outside the site
    # (../src/..., ../tests/...) stay plain links instead of cross-references
]

# notebooks: executed only when asked (the test suite already executes every notebook in
# tests/test_docs.py; the site build in tests/test_site.py renders them without outputs)
nb_execution_mode = "force" if os.environ.get("ORGNET_DOCS_EXECUTE") == "1" else "off"
nb_execution_timeout = 900
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
nb_ipywidgets_js: dict = {}  # no widget manager from a CDN

# --- HTML --------------------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"orgnet {release}"
html_static_path = ["_static"]
html_css_files = ["orgnet.css"]
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None  # reproducible pages: no build date
html_theme_options = {
    "github_url": "https://github.com/orgnet-dev/orgnet",
    "navbar_align": "left",
    "header_links_before_dropdown": 5,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "use_edit_page_button": False,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_context = {"default_mode": "light"}

# MathJax served from the build (docs/_static/mathjax), never from a CDN
mathjax_path = "mathjax/tex-svg.js"
