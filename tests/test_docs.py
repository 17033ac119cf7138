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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path, tmp_path, monkeypatch):
    """Execute every code cell in order in one namespace (no kernel needed)."""
    monkeypatch.chdir(tmp_path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    ns: dict = {"__name__": "__main__"}
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert cells, f"{path.name} has no code"
    for i, cell in enumerate(cells):
        src = "".join(cell["source"])
        exec(compile(src, f"{path.name}[cell {i}]", "exec"), ns)  # noqa: S102


def test_there_is_a_notebook():
    assert NOTEBOOKS
