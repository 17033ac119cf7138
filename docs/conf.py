"""Sphinx configuration of the orgnet documentation site.

Build: ``sphinx-build -W -b html docs docs/_build/html`` (see docs/README.md). Offline by
design: no CDN asset at view time (the theme and MathJax are served from the build), no
intersphinx fetching at build time.

At each build this file lays two generated inputs into the source folder (both ignored by
git): the API pages ``api/orgnet.*.rst`` written from each public module's ``__all__``
(and ``api/orgnet.rst``, the top-level namespace linked to them) (and
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


def namespace_page() -> str:
    """The top-level ``orgnet`` namespace: each name it re-exports, linked to its page."""
    homes = {}
    for modname, _ in API_MODULES:
        mod = importlib.import_module(modname)
        for name in public_names(modname):
            homes.setdefault(id(getattr(mod, name)), f"{modname}.{name}")
    heading = "The ``orgnet`` namespace"
    lines = [
        ".. _api-orgnet:",
        "",
        heading,
        "=" * len(heading),
        "",
        ".. py:module:: orgnet",
        "",
        "``import orgnet`` gives the names below; each is documented where it is defined.",
        "",
        ".. list-table::",
        "   :header-rows: 1",
        "",
        "   * - ``orgnet.``",
        "     - documented as",
    ]
    for name in orgnet.__all__:
        obj = getattr(orgnet, name)
        if inspect.ismodule(obj):
            target = f":mod:`{obj.__name__}`"
        elif id(obj) in homes:
            target = f":py:obj:`{homes[id(obj)]}`"
        else:
            target = f"``{obj!r}``"
        lines += [f"   * - ``{name}``", f"     - {target}"]
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
    write_if_changed(api / "orgnet.rst", namespace_page())
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

# --- strict references -------------------------------------------------------------------
# nitpicky: a cross-reference that resolves nowhere is a warning, so (with -W) a broken
# reference fails the build. Not in this reference, hence not checked: other libraries (no
# inventory is fetched) and private names (a leading underscore).
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(numpy|pandas|scipy|networkx|igraph|matplotlib|pyvis|openpyxl)(\..*)?"),
    (r"py:.*", r"(.*\.)?_[A-Za-z].*"),
]
#: references in docstrings to names that are not public (not in any ``__all__``): each is
#: either to be made public or written as plain ``code``; listed so that no new one appears
nitpick_ignore = [
    ("py:data", "orgnet.datasets.synthetic.PRESETS"),
    ("py:data", "PRESETS"),
    ("py:data", "PHYSICS_MAX_NODES"),
    ("py:data", "PARAMETERS"),
    ("py:data", "DENSE_EIGEN"),
    ("py:meth", "Context.table"),
    ("py:mod", "orgnet.vacuum.siting"),
    ("py:mod", "orgnet.vacuum.places"),
    ("py:mod", "orgnet.report.sections"),
]

# --- cross-references to re-exported names -----------------------------------------------
# Docstrings name objects as users import them (orgnet.read_dataset, orgnet.algorithms.burt,
# OrgNetwork.graph); the reference documents each where it is defined. A reference Sphinx
# cannot find is looked up by importing it and sent to the page of that object.

_HOMES: dict[int, str] = {}


def _homes() -> dict[int, str]:
    if not _HOMES:
        for modname, _ in API_MODULES:
            mod = importlib.import_module(modname)
            for name in public_names(modname):
                _HOMES.setdefault(id(getattr(mod, name)), f"{modname}.{name}")
            _HOMES.setdefault(id(mod), modname)
        from orgnet.network import OrgNetwork

        for name in vars(OrgNetwork):
            if not name.startswith("_"):
                _HOMES.setdefault(id(vars(OrgNetwork)[name]), f"orgnet.network.OrgNetwork.{name}")
    return _HOMES


def _lookup(target: str):
    """The object a dotted name imports to, or None."""
    parts = target.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        try:
            for attr in parts[i:]:
                obj = vars(obj)[attr] if isinstance(obj, type) else getattr(obj, attr)
        except (AttributeError, KeyError):
            return None
        return obj
    return None


def _resolve_alias(app, env, node, contnode):
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    for candidate in (target, f"orgnet.{target}", f"orgnet.network.{target}"):
        obj = _lookup(candidate)
        home = _homes().get(id(obj)) if obj is not None else None
        if home and home != target:
            py = env.get_domain("py")
            return py.resolve_xref(env, node["refdoc"], app.builder, "obj", home, node, contnode)
    return None


def setup(app):
    app.connect("missing-reference", _resolve_alias)
