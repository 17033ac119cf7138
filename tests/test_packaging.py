"""What a release ships: the sdist and the wheel that ``python -m build`` makes, installed in a
clean virtual environment; the licence, citation and typing files; the template workbooks.

The build test needs the network (PyPI) for hatchling and for the wheel's dependencies, as CI
has; pip's cache makes it fast (10-30 s for the build and the venv on the 2-core CI machine, up to
a minute when it is busy; most of it installing numpy, pandas and scipy). Nothing is installed into the environment running the tests.
"""

from __future__ import annotations

import email.parser
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: tomli, which build itself needs there
    import tomli as tomllib

import orgnet
from orgnet import schema
from orgnet.datasets import templates

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]
CACHES = {"__pycache__", ".ruff_cache", ".pytest_cache", ".hypothesis", ".mypy_cache"}


def _package_files() -> set[str]:
    """Every file of the package in the source tree, relative to src/: what the wheel must
    hold, and the sdist under src/. In a git checkout: the files git tracks or would track
    (hatch honours .gitignore too); elsewhere every file but caches and compiled files."""
    src = ROOT / "src"
    try:
        listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z", "orgnet"], cwd=src,
                                capture_output=True, text=True, check=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        listed = None
    if listed:
        return {f for f in listed.split("\0") if f and (src / f).is_file()}
    out = set()
    for dirpath, dirnames, filenames in os.walk(src / "orgnet"):
        dirnames[:] = [d for d in dirnames if d not in CACHES]
        for f in filenames:
            if not f.endswith((".pyc", ".pyo")):
                out.add((Path(dirpath) / f).relative_to(src).as_posix())
    return out


@pytest.fixture(scope="module")
def dists(tmp_path_factory):
    """``python -m build``: the sdist, then the wheel built from the unpacked sdist."""
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
                          capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    sdist, = out.glob("orgnet-*.tar.gz")
    wheel, = out.glob("orgnet-*.whl")
    return sdist, wheel


def test_package_data_in_the_tree_is_what_must_ship():
    files = _package_files()
    demo = {f"orgnet/datasets/demo/{t}.csv" for t in schema.TABLE_ORDER} | {"orgnet/datasets/demo/README.md"}
    assert demo <= files
    assert {"orgnet/py.typed", "orgnet/datasets/templates/orgnet-template-en.xlsx",
            "orgnet/datasets/templates/orgnet-template-zh.xlsx", "orgnet/viz/templates/orgnet.js",
            "orgnet/viz/templates/view.html.j2"} <= files


def test_sdist_members(dists):
    sdist, _ = dists
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
        toml = tar.extractfile(f"orgnet-{VERSION}/pyproject.toml").read().decode()
    assert sdist.name == f"orgnet-{VERSION}.tar.gz"
    want = {f"src/{f}" for f in _package_files()}
    assert want - names == set()
    assert {"LICENSE", "CITATION.cff", "README.md", "pyproject.toml", "PKG-INFO",
            "tests/test_packaging.py", "tests/data/cff/schema-1.2.0.json", "docs/data_format.md"} <= names
    # only the listed paths: no link to the demo at the top, no caches
    assert not any(n.startswith(("datasets/", "notebooks/", ".ci/", ".git/")) for n in names)
    assert not any(set(n.split("/")) & CACHES or n.endswith(".pyc") for n in names)
    assert tomllib.loads(toml) == PYPROJECT


def test_wheel_members_and_metadata(dists):
    _, wheel = dists
    info = f"orgnet-{VERSION}.dist-info"
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        meta = email.parser.Parser().parsestr(z.read(f"{info}/METADATA").decode())
        licence = z.read(f"{info}/licenses/LICENSE").decode()
    assert wheel.name == f"orgnet-{VERSION}-py3-none-any.whl"
    package = {n for n in names if not n.startswith(info)}
    assert package == _package_files()
    assert names - package == {f"{info}/{x}" for x in
                               ("METADATA", "WHEEL", "RECORD", "entry_points.txt", "licenses/LICENSE")}
    assert licence == (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert meta["License-Expression"] == "BSD-3-Clause"
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
    assert list(urls) == ["Homepage", "Documentation", "Source", "Issues", "Changelog"]
    assert all(u.startswith("https://") and "orgnet-dev" in u for u in urls.values())
    classifiers = set(meta.get_all("Classifier"))
    assert {f"Programming Language :: Python :: 3.{m}" for m in (10, 11, 12, 13)} <= classifiers
    assert {"License :: OSI Approved :: BSD License", "Operating System :: OS Independent",
            "Natural Language :: Chinese (Simplified)", "Typing :: Typed"} <= classifiers
    assert any(c.startswith("Topic :: ") for c in classifiers)
    assert meta["Requires-Python"] == ">=3.10"


def test_wheel_installs_in_a_clean_venv_and_loads_the_demo(dists, tmp_path):
    _, wheel = dists
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    py = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # this environment's pip installs into the venv (--python): the venv has no pip of its own,
    # and nothing of the running environment is visible to it (no --system-site-packages);
    # --no-compile: byte-compiling scipy and pandas would double the time
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-input",
                           "--no-compile", "--disable-pip-version-check", str(wheel)],
                          capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    code = (
        "import json, orgnet, importlib.metadata as m, importlib.resources as r; "
        "net = orgnet.datasets.load('demo'); "
        "print(json.dumps({'units': len(net.units), 'file': orgnet.__file__, "
        "'typed': r.files('orgnet').joinpath('py.typed').is_file(), "
        "'templates': [orgnet.datasets.template_path(x).is_file() for x in ('en', 'zh')], "
        "'licence': m.metadata('orgnet')['License-Expression']}))"
    )
    run = subprocess.run([str(py), "-I", "-c", code], capture_output=True, text=True, check=False, cwd=tmp_path,
                         env=env, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert got["units"] == 33
    assert Path(got["file"]).is_relative_to(venv)  # the installed wheel, not the source tree
    assert got["typed"] and got["templates"] == [True, True]
    assert got["licence"] == "BSD-3-Clause"
    cli = venv / ("Scripts/orgnet.exe" if os.name == "nt" else "bin/orgnet")
    run = subprocess.run([str(cli), "validate", "demo"], capture_output=True, text=True, check=False, cwd=tmp_path,
                         env=env, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert run.stdout.startswith("valid: demo")
    assert re.search(r"^  units +33 ", run.stdout, re.MULTILINE)


# ---------------------------------------------------------------- licence, citation


def test_licence_is_bsd_3_clause_of_the_orgnet_developers():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("BSD 3-Clause License\n")
    assert "Copyright (c) 2026, orgnet developers" in text
    assert "3. Neither the name of the copyright holder" in text
    assert PYPROJECT["project"]["license"] == "BSD-3-Clause"
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]


def test_citation_cff_is_valid_cff_1_2_0():
    import jsonschema
    import yaml

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    spec = json.loads((ROOT / "tests" / "data" / "cff" / "schema-1.2.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(spec, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(cff)] == []
    assert cff["cff-version"] == "1.2.0"
    assert cff["version"] == VERSION
    assert cff["license"] == PYPROJECT["project"]["license"]
    assert cff["authors"] == [{"name": "orgnet developers"}]  # an entity, not a person
    assert cff["title"].startswith("orgnet")
    assert len(cff["abstract"]) > 200 and len(cff["keywords"]) >= 5
    # the validator does catch a broken file: a person without a family name is not an author
    broken = dict(cff, authors=[{"given": "A."}], version=None)
    assert len(list(validator.iter_errors(broken))) >= 2


def test_py_typed_marker_is_empty():
    assert (ROOT / "src" / "orgnet" / "py.typed").read_bytes() == b""


# ---------------------------------------------------------------- template workbooks


def _cells(data: bytes) -> dict[str, list[tuple]]:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


@pytest.mark.parametrize("lang", templates.LANGUAGES)
def test_shipped_template_is_current(lang):
    fresh = templates.build_workbook(lang)
    shipped = orgnet.datasets.template_path(lang).read_bytes()
    assert _cells(shipped) == _cells(fresh), "run: python -m orgnet.datasets.templates"
    # generation is reproducible: two builds give the same bytes, with a fixed document date
    assert templates.build_workbook(lang) == fresh
    with zipfile.ZipFile(io.BytesIO(fresh)) as z:
        core = z.read("docProps/core.xml").decode()
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert "2026-01-01T00:00:00Z</dcterms:created>" in core
    assert "2026-01-01T00:00:00Z</dcterms:modified>" in core


@pytest.mark.parametrize("lang", templates.LANGUAGES)
def test_template_sheets_and_headers_follow_the_schema(lang):
    import openpyxl

    wb = openpyxl.load_workbook(orgnet.datasets.template_path(lang))
    assert wb.sheetnames == templates.sheet_names(lang) + [templates.NOTES_SHEET[lang]]
    for sheet, table in zip(templates.sheet_names(lang), schema.TABLES.values()):
        ws = wb[sheet]
        assert schema.table_for_name(sheet) == table.name
        assert ws.max_row == 1  # the header only
        header = [c.value for c in ws[1]]
        # every header names its column to the reader, in the schema's order
        assert [table.canonical_header(h) for h in header] == table.column_names
        if lang == "en":
            assert header == table.column_names
        else:
            assert all(h in c.aliases for h, c in zip(header, table.columns))
        # a drop-down of accepted values on every closed vocabulary column
        lists = {str(r).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation for r in dv.sqref.ranges}
        for i, c in enumerate(table.columns):
            if c.vocab and schema.VOCABULARIES[c.vocab].closed:
                letter = openpyxl.utils.get_column_letter(i + 1)
                values = lists[f"{letter}2"].strip('"').split(",")
                vocab = schema.VOCABULARIES[c.vocab]
                assert [vocab.canonical(v) for v in values] == list(vocab.values)
    notes = [r for r in wb[templates.NOTES_SHEET[lang]].iter_rows(values_only=True)]
    n_columns = sum(len(t.columns) for t in schema.TABLES.values())
    n_values = sum(len(v.values) for v in schema.VOCABULARIES.values())
    assert sum(1 for r in notes if r[0] in templates.sheet_names(lang)) == n_columns
    assert sum(1 for r in notes if r[0] in schema.VOCABULARIES) == n_values
    # the notes word each type as the data-format reference does
    row = next(r for r in notes if r[0] == templates.sheet_names(lang)[0] and r[1] == "level")
    assert row[3:5] == ("yes", "one of: " + schema.VOCABULARIES["level"].describe())


def test_the_reader_accepts_an_empty_template():
    """A template as shipped reads as an empty network; only the notes sheet is reported."""
    with pytest.warns(orgnet.errors.OrgnetWarning, match="sheet '说明' is not a table") as record:
        net = orgnet.read_dataset(orgnet.datasets.template_path("zh"))
    assert len(record) == 1
    assert all(len(df) == 0 for df in net.tables.values())
    assert list(net.areas.columns) == [c for c in schema.TABLES["areas"].column_names if c != "id"]


@pytest.mark.parametrize("lang", templates.LANGUAGES)
def test_template_filled_with_the_demo_reads_back_the_demo(lang, tmp_path):
    """Each demo CSV written into the template under its headers (and, in the Chinese
    template, vocabulary values in the Chinese of the drop-down lists) reads back equal."""
    import openpyxl

    demo = orgnet.datasets.path("demo")
    wb = openpyxl.load_workbook(orgnet.datasets.template_path(lang))
    filled = 0
    for sheet, table in zip(templates.sheet_names(lang), schema.TABLES.values()):
        f = demo / f"{table.name}.csv"
        if not f.exists():
            del wb[sheet]
            continue
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
        ws = wb[sheet]
        columns = [table.canonical_header(c.value) for c in ws[1]]
        assert set(df.columns) <= set(columns)
        words = {c.name: templates.choices(c.vocab, lang) for c in table.columns if c.vocab}
        for rec in df.to_dict("records"):
            row = []
            for c in columns:
                v = rec.get(c) or None
                if v is not None and c in words:
                    v = words[c].get(v, v)  # open vocabularies hold other values too
                row.append(v)
            ws.append(row)
        filled += 1
    assert filled == len(schema.TABLE_ORDER)  # the demo has every table
    path = tmp_path / f"demo-{lang}.xlsx"
    wb.save(path)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="sheet .* is not a table", category=orgnet.errors.OrgnetWarning)
        net = orgnet.read_dataset(path, name="demo")
    ref = orgnet.datasets.load("demo")
    for t in schema.TABLE_ORDER:
        pd.testing.assert_frame_equal(net.tables[t], ref.tables[t], obj=t)
    assert net == ref


# ---------------------------------------------------------------- dependency floors

#: analyses run under the lowest declared versions and under this environment's: the same numbers
_FLOOR_SCRIPT = r"""
import json, sys, warnings
warnings.simplefilter("ignore")  # pandas 2.2 deprecations and its pyarrow notice
import numpy, pandas, scipy, networkx, orgnet
from orgnet import coverage, linkage, scorecard, sharing, structure, vacuum
net = orgnet.datasets.load("demo")
city = orgnet.datasets.synthetic_city("district", seed=3)
frames = {
    "realised": sharing.realised(net), "vacuum": vacuum.vacuum_areas(net),
    "linkage": linkage.linkage_index(net), "centrality": structure.centrality(net),
    "scorecard": scorecard.scorecard(net), "coverage_rates": coverage.coverage_rates(net),
    "city_vacuum": vacuum.vacuum_areas(city), "city_realised": sharing.realised(city),
}
out = {k: json.loads(v.to_json(orient="split", double_precision=15, date_format="iso")) for k, v in frames.items()}
out["versions"] = {m.__name__: m.__version__ for m in (numpy, pandas, scipy, networkx)}
print(json.dumps(out))
"""


def _floors() -> dict[str, str]:
    """Each dependency's declared floor: ``name>=x`` gives ``{name: x}``."""
    out = {}
    for req in PYPROJECT["project"]["dependencies"]:
        name, _, version = req.partition(">=")
        assert version and "," not in version, req
        out[name.strip()] = version.strip()
    return out


def _same(a, b, path="") -> None:
    if isinstance(a, float) or isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12), path
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            _same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{path}[{i}]")
    else:
        assert a == b, path


if os.environ.get("ORGNET_TEST_FLOORS") == "1":  # opt-in: about a minute, downloads the old releases once

    def test_lowest_declared_versions_give_the_same_results(tmp_path):
        """numpy, pandas, scipy and networkx at exactly their declared floors, in a fresh venv
        running this source tree: the analyses give this environment's numbers, and the
        hand-checked definitions tests pass."""
        floors = _floors()
        venv = tmp_path / "venv"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
        py = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        pins = [f"{n}=={v}" for n, v in floors.items()]
        done = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-input",
                               "--no-compile", "--disable-pip-version-check", *pins, "pytest", "hypothesis",
                               "openpyxl"], capture_output=True, text=True, check=False, timeout=900)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env["PYTHONPATH"] = str(ROOT / "src")
        runs = []
        for python in (str(py), sys.executable):
            run = subprocess.run([python, "-c", _FLOOR_SCRIPT], capture_output=True, text=True, check=False, cwd=tmp_path,
                                 env=env, timeout=600)
            assert run.returncode == 0, run.stderr[-3000:]
            runs.append(json.loads(run.stdout.strip().splitlines()[-1]))
        low, here = runs
        from packaging.version import Version

        assert {n: Version(v) for n, v in low.pop("versions").items()} == {n: Version(v) for n, v in floors.items()}
        here.pop("versions")
        _same(low, here)
        tests = subprocess.run([str(py), "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-o", "addopts=",
                                "tests/test_definitions.py", "tests/test_network.py"],
                               capture_output=True, text=True, check=False, cwd=ROOT, env=env, timeout=900)
        assert tests.returncode == 0, tests.stdout[-5000:]
