"""The orgnet command line: exit codes and messages, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

import orgnet
from orgnet.cli import main
from conftest import tiny_tables, write_csv_dataset


def test_validate_valid_dataset(tmp_path, capsys):
    folder = write_csv_dataset(tmp_path / "ok", tiny_tables())
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"valid: {folder}")
    assert "units" in out and "private_enterprise 2" in out


def test_validate_reports_every_problem_one_per_line(tmp_path, capsys):
    t = tiny_tables()
    t["areas"].loc[1, "level"] = "streat"
    t["units"].loc[2, "employees"] = "-4"
    folder = write_csv_dataset(tmp_path / "bad", t)
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"invalid: {folder}: 2 problems"
    assert err[1].startswith("areas, row 3, column 'level': 'streat' is not a known level")
    assert err[2].startswith("units, row 4, column 'employees'") and "[value '-4']" in err[2]
    assert not any("Traceback" in line for line in err)


def test_missing_path_exits_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err.startswith("error: No such file or folder")


def test_validate_bundled_name_and_export(tmp_path, capsys):
    assert main(["validate", "demo"]) == 0
    out = tmp_path / "demo.graphml"
    assert main(["export", "demo", "-o", str(out)]) == 0
    assert out.exists()
    copy = tmp_path / "copy.xlsx"
    assert main(["export", "demo", "-o", str(copy)]) == 0
    assert orgnet.read_dataset(copy) == orgnet.datasets.load("demo")


def test_console_script_runs_as_module(tmp_path):
    t = tiny_tables()
    t["ties"].loc[0, "end"] = "2020-01-01"
    folder = write_csv_dataset(tmp_path / "bad", t)
    r = subprocess.run([sys.executable, "-m", "orgnet.cli", "validate", str(folder)],
                       capture_output=True, text=True, encoding="utf-8")
    assert r.returncode == 1
    assert "ties, row 2, column 'end': the tie ends (2020-01-01) before it starts (2023-01-10)" in r.stderr
    assert "Traceback" not in r.stderr


def test_usage_error_exits_2():
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2


def test_report_command(tmp_path, capsys):
    out = tmp_path / "r.html"
    assert main(["report", "demo", "-o", str(out), "--quiet"]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "示范区" in text
    assert capsys.readouterr().err == ""
