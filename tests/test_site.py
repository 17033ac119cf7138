"""The documentation site builds strictly, documents every public name, and its recipes run.

The site (docs/, Sphinx + pydata-sphinx-theme + numpydoc + myst-nb) is built once per test
session from a copy of docs/ in a temporary folder (the rest of the repository linked beside
it), with ``-W --keep-going -j 1`` and conf.py's ``nitpicky``: any warning — a broken link or
cross-reference, a bad docstring section, a page outside every toctree — fails. Notebooks are rendered without executing them
(tests/test_docs.py executes them). About 25 s on the development machine.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

#: the public modules whose ``__all__`` the API reference must cover (the algorithms
#: package by its submodules, added below)
MODULES = [
    "orgnet.network",
    "orgnet.io",
    "orgnet.datasets",
    "orgnet.schema",
    "orgnet.errors",
    "orgnet.coverage",
    "orgnet.vacuum",
    "orgnet.linkage",
    "orgnet.structure",
    "orgnet.sharing",
    "orgnet.compare",
    "orgnet.scorecard",
    "orgnet.staffing",
    "orgnet.response",
    "orgnet.report",
    "orgnet.viz",
    "orgnet.viz.plots",
    "orgnet.viz.views",
    "orgnet.viz.palette",
    "orgnet.viz.layout",
]

#: public functions whose docstring has no numpydoc Examples section (none today; several had a
#: doctest in their description instead). The test fails for any other function without
#: one, and for a listed function that has gained one (then strike it from the list).
WITHOUT_EXAMPLES_SECTION: set[str] = set()


def _modules() -> list[str]:
    import orgnet.algorithms

    algorithms = [
        f"orgnet.algorithms.{m.name}"
        for m in pkgutil.iter_modules(orgnet.algorithms.__path__)
        if not m.name.startswith("_")
    ]
    return MODULES + sorted(algorithms)


def _mirror(tmp: Path) -> Path:
    """docs/ copied (without what a build lays into it), the rest of the repository linked."""
    ignore = shutil.ignore_patterns("_build", "jupyter_execute", "generated", "orgnet.*.rst",
                                    "notebooks", "__pycache__")
    shutil.copytree(DOCS, tmp / "docs", ignore=ignore)
    for entry in ROOT.iterdir():
        if entry.name not in {"docs", ".git"}:
            (tmp / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    return tmp / "docs"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    src = _mirror(tmp / "repo")
    out = tmp / "html"
    env = {**os.environ, "ORGNET_DOCS_EXECUTE": "0", "ORGNET_REPO": str(src.parent)}
    cmd = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-j", "1", "-q", "-b", "html",
           "-d", str(tmp / "doctrees"), str(src), str(out)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False,
                          timeout=600)
    seconds = time.perf_counter() - start
    return {"out": out, "proc": proc, "seconds": seconds}


def test_site_builds_strictly(site):
    proc = site["proc"]
    problems = [line for line in proc.stderr.splitlines()
                if "WARNING" in line or "ERROR" in line or "CRITICAL" in line]
    assert proc.returncode == 0 and not problems, "\n".join(problems) or proc.stderr[-3000:]
    for page in ("index", "getting_started", "concepts", "glossary", "cookbook", "cite",
                 "performance", "reliability", "data_format", "api/index",
                 "notebooks/01_quickstart", "notebooks/09_validate_a_measure"):
        assert (site["out"] / f"{page}.html").is_file(), page
    # within the budget of the suite (about 25 s here; twice the ~90 s target is a failure)
    assert site["seconds"] < 180, f"site build took {site['seconds']:.0f} s"


def test_references_to_reexported_names_link_to_their_page(site):
    """Docstrings name objects as users import them (``orgnet.read_dataset``); conf.py sends
    such a reference to the page of the object, where it is documented."""
    page = (site["out"] / "api" / "generated" / "orgnet.datasets.load.html").read_text(
        encoding="utf-8")
    assert 'href="orgnet.io.read_dataset.html#orgnet.io.read_dataset"' in page
    namespace = (site["out"] / "api" / "orgnet.html").read_text(encoding="utf-8")
    assert 'href="generated/orgnet.io.write_graph.html#orgnet.io.write_graph"' in namespace


def test_template_workbooks_are_downloads(site):
    names = sorted(p.name for p in (site["out"] / "_downloads").rglob("*.xlsx"))
    assert names == ["orgnet-template-en.xlsx", "orgnet-template-zh.xlsx"]
    page = (site["out"] / "getting_started.html").read_text(encoding="utf-8")
    assert page.count('class="reference download internal"') == 2


def test_site_fetches_nothing_when_viewed(site):
    """No script, stylesheet, font or image comes from another host; MathJax is the local copy."""
    remote = re.compile(r"""<(script|link|img|iframe)\b[^>]*\b(src|href)=["']((https?:)?//[^"']+)""")
    offenders = set()
    for page in site["out"].rglob("*.html"):
        for tag, _, url, _ in remote.findall(page.read_text(encoding="utf-8")):
            if tag == "link" and not url.endswith((".css", ".woff", ".woff2", ".ttf", ".js")):
                continue  # a plain hyperlink-like <link rel="..."> to a page is not fetched
            offenders.add((page.name, url))
    assert not offenders, sorted(offenders)[:10]
    for css in (site["out"] / "_static").rglob("*.css"):
        assert not re.search(r"url\(\s*[\"']?(https?:)?//", css.read_text(encoding="utf-8")), css
    gini = site["out"] / "api" / "generated" / "orgnet.algorithms.inequality.gini.html"
    assert "_static/mathjax/tex-svg.js" in gini.read_text(encoding="utf-8")


def _inventory(site) -> dict[str, set[str]]:
    from sphinx.util.inventory import InventoryFile

    with open(site["out"] / "objects.inv", "rb") as f:
        inv = InventoryFile.load(f, "", lambda base, uri: uri)
    if hasattr(inv, "data"):  # Sphinx >= 8.2 returns an _Inventory object
        inv = inv.data
    return {kind: set(entries) for kind, entries in inv.items()}


def _public_functions():
    """(full name, function) of every public function and OrgNetwork method."""
    from orgnet.network import OrgNetwork

    for modname in _modules():
        mod = importlib.import_module(modname)
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.isfunction(obj):
                yield f"{modname}.{name}", obj
    for name, value in vars(OrgNetwork).items():
        if not name.startswith("_") and inspect.isfunction(value):
            yield f"orgnet.network.OrgNetwork.{name}", value


def test_every_public_name_has_an_api_entry(site):
    from orgnet.network import OrgNetwork

    inv = _inventory(site)
    kinds = {
        "function": {"py:function"},
        "class": {"py:class", "py:exception"},
        "module": {"py:module"},
        "data": {"py:data", "py:attribute"},
    }
    missing = []
    for modname in _modules():
        mod = importlib.import_module(modname)
        assert modname in inv["py:module"], modname
        assert mod.__all__, f"{modname} has an empty __all__"
        for name in mod.__all__:
            obj = getattr(mod, name)
            kind = ("module" if inspect.ismodule(obj) else "class" if inspect.isclass(obj)
                    else "function" if inspect.isfunction(obj) else "data")
            full = obj.__name__ if kind == "module" else f"{modname}.{name}"
            if not any(full in inv.get(k, ()) for k in kinds[kind]):
                missing.append(f"{full} ({kind})")
    for name, value in vars(OrgNetwork).items():
        if name.startswith("_"):
            continue
        kind = "py:method" if inspect.isfunction(value) else "py:property"
        if f"orgnet.network.OrgNetwork.{name}" not in inv.get(kind, ()):
            missing.append(f"OrgNetwork.{name} ({kind})")
    assert not missing, missing


def test_every_public_function_has_an_examples_section():
    from numpydoc.docscrape import FunctionDoc

    without = set()
    for full, func in _public_functions():
        doc = FunctionDoc(func)
        if not any(">>>" in line for line in doc["Examples"]):
            without.add(full)
    assert without - WITHOUT_EXAMPLES_SECTION == set(), "give these an Examples section"
    assert WITHOUT_EXAMPLES_SECTION - without == set(), "these have one now: strike them"


def _cookbook_blocks() -> list[str]:
    text = (DOCS / "cookbook.md").read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


COOKBOOK = _cookbook_blocks()


def test_cookbook_has_its_recipes():
    text = (DOCS / "cookbook.md").read_text(encoding="utf-8")
    titles = re.findall(r"^## (.+)$", text, flags=re.M)
    assert titles == ["Export to Gephi", "Use with igraph", "Custom tie weights",
                      "A sensitivity analysis over a threshold",
                      "From a database query to orgnet"]
    assert len(COOKBOOK) == len(titles)


@pytest.mark.parametrize("block", COOKBOOK, ids=[f"recipe{i}" for i in range(len(COOKBOOK))])
def test_cookbook_block_runs(block, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "cookbook.md", "exec"), {"__name__": "__main__"})


def test_cite_page_matches_citation_cff():
    import yaml

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    page = (DOCS / "cite.md").read_text(encoding="utf-8")
    bibtex = page.split("```bibtex\n", 1)[1].split("```", 1)[0]
    fields = dict(re.findall(r"^\s*(\w+)\s*=\s*\{(.*)\},?$", bibtex, flags=re.M))
    assert fields["title"] == cff["title"]
    assert fields["version"] == str(cff["version"])
    assert fields["license"] == cff["license"]
    assert fields["url"] == cff["repository-code"]
    assert fields["author"] == "{" + cff["authors"][0]["name"] + "}"
    assert "```{literalinclude} ../CITATION.cff" in page
    import orgnet

    assert str(cff["version"]) == orgnet.__version__
