"""Docs and notebooks stay true: generated references are current, notebooks run."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_data_format_reference_is_current():
    mod = runpy.run_path(str(ROOT / "docs" / "make_data_format.py"), run_name="not_main")
    current = (ROOT / "docs" / "data_format.md").read_text(encoding="utf-8")
    assert mod["render"](current) == current, "run: python docs/make_data_format.py"


def test_readme_starts_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```")[0].strip() for b in text.split("```bash\n")[1:3]]
    assert blocks[0] == 'pip install ".[viz]" && orgnet report demo -o report.html'
    assert blocks[1] == 'pip install -e ".[test]" && python -m pytest'
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1] in ci.splitlines()


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _show(value):
    """What Jupyter does with a cell's last expression: ask for its rich form."""
    for name in ("_repr_html_", "_repr_markdown_"):
        method = getattr(value, name, None)
        if callable(method) and not isinstance(value, type):
            out = method()
            assert out is None or isinstance(out, str)
            return


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path, tmp_path, monkeypatch):
    """Execute every code cell in order in one namespace (no kernel needed); a cell's last
    expression is shown as Jupyter would show it (its HTML form is rendered)."""
    import ast

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.chdir(tmp_path)
    ns: dict = {"__name__": "__main__"}
    cells = [c for c in _cells(path) if c["cell_type"] == "code"]
    assert cells, f"{path.name} has no code"
    # a notebook may set matplotlib's and pandas' options, as a user does: they must not leak
    # into the tests that run after it in this process
    import pandas as pd

    rc = matplotlib.rc_context()
    rc.__enter__()
    display = {k: pd.get_option(k) for k in ("display.width", "display.max_columns", "display.max_rows")}
    try:
        for i, cell in enumerate(cells):
            src = "".join(cell["source"])
            name = f"{path.name}[cell {i}]"
            tree = ast.parse(src, name)
            last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            if last is not None:
                tree.body = tree.body[:-1]
            exec(compile(tree, name, "exec"), ns)  # noqa: S102
            if last is not None:
                _show(eval(compile(ast.Expression(last.value), name, "eval"), ns))  # noqa: S307
    finally:
        plt.close("all")
        rc.__exit__(None, None, None)
        for k, v in display.items():
            pd.set_option(k, v)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_committed_clean(path):
    """A title first, prose before the first code cell, no stored outputs or counts."""
    cells = _cells(path)
    assert cells[0]["cell_type"] == "markdown", f"{path.name}: the first cell is not prose"
    assert "".join(cells[0]["source"]).startswith("# "), f"{path.name}: the first cell is no '# title'"
    kinds = [c["cell_type"] for c in cells]
    assert "code" in kinds and kinds.index("code") > 0
    prose = sum(len("".join(c["source"]).split()) for c in cells if c["cell_type"] == "markdown")
    assert prose >= 150, f"{path.name}: {prose} words of prose; explain the question, method and reading"
    dirty = [i for i, c in enumerate(cells) if c["cell_type"] == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert dirty == [], f"{path.name}: cells {dirty} have stored outputs (clear them before committing)"


def test_notebooks_readme_lists_every_notebook():
    text = (ROOT / "notebooks" / "README.md").read_text(encoding="utf-8")
    missing = [p.stem for p in NOTEBOOKS if p.stem not in text]
    assert missing == []
    assert "01_getting_started" not in text and not (ROOT / "notebooks" / "01_getting_started.ipynb").exists()


def test_example_ledger_is_current():
    """The shipped workbook is what its script writes, byte for byte."""
    from orgnet.datasets.ledger_example import example_ledger_path, make

    assert make.build() == example_ledger_path().read_bytes(), \
        "run: python -m orgnet.datasets.ledger_example.make"


def test_example_ledger_reports_its_nine_mistakes():
    import warnings

    import orgnet
    from orgnet.datasets.ledger_example import example_ledger_path

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(orgnet.OrgnetDataError) as err:
            orgnet.read_dataset(example_ledger_path())
    got = [(p.table, p.row, p.column, p.value) for p in err.value.problems]
    assert got == [
        ("areas", 9, "property_management", "√"),
        ("areas", 15, "property_management", "×"),
        ("organisations", 8, "members", "十二"),
        ("units", 3, "party_members", "40人"),
        ("units", 10, "id", "U12"),
        ("units", 15, "area", "朝阳第一网格"),
        ("units", 17, "type", None),
        ("ties", 5, "kind", "共建"),
        ("ties", 35, "start", "2023/15/02"),
    ]
    said = " | ".join(str(w.message) for w in caught)
    assert "填表说明" in said and "units: row 20 (a totals row (合计))" in said and "ties: row 37 (a note)" in said


def test_there_is_a_notebook():
    assert NOTEBOOKS
