"""The orgnet command line: exit codes and messages, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import tiny_tables, write_csv_dataset

import orgnet
from orgnet.cli import main


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
                       capture_output=True, check=False, text=True, encoding="utf-8")
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


# ---------------------------------------------------------------- issue 10: never a traceback

def _usage_error(capsys, argv):
    """Run main(argv), expecting argparse's exit 2; returns the last stderr line."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("usage: orgnet ")
    return err.strip().splitlines()[-1]


@pytest.fixture
def no_work(monkeypatch):
    """Fail the test if a command starts loading or generating data."""
    import orgnet.datasets.synthetic

    def refuse(*args, **kwargs):
        raise AssertionError("the work started before the options were checked")

    monkeypatch.setattr("orgnet.cli._load", refuse)
    monkeypatch.setattr(orgnet.datasets.synthetic, "synthetic_city", refuse)


@pytest.mark.parametrize("command", [["validate", "demo"], ["export", "demo", "-o", "OUT"],
                                     ["report", "demo", "-o", "OUT.html"]])
def test_unknown_input_encoding_exits_2(tmp_path, capsys, no_work, command):
    argv = [a.replace("OUT", str(tmp_path / "out")) for a in command]
    last = _usage_error(capsys, argv + ["--encoding", "utf-nine"])
    assert last.endswith("error: argument --encoding: unknown text encoding 'utf-nine'; use e.g. utf-8, "
                         "gb18030 or gbk, or leave the option out to detect UTF-8 / GB18030")


def test_bytes_codec_is_not_an_encoding(capsys, no_work):
    last = _usage_error(capsys, ["validate", "demo", "--encoding", "base64"])
    assert "unknown text encoding 'base64'" in last


@pytest.mark.parametrize("enc, why", [
    ("klingon", "unknown text encoding 'klingon'"),
    ("ascii", "'ascii' cannot write Chinese text"),
    ("latin-1", "'latin-1' cannot write Chinese text"),
    ("utf-16", "'utf-16' writes CSV files that orgnet and Excel do not read back (not ASCII-compatible)"),
])
def test_bad_out_encoding_exits_2_before_writing(tmp_path, capsys, no_work, enc, why):
    out = tmp_path / "out"
    last = _usage_error(capsys, ["export", "demo", "-o", str(out), "--out-encoding", enc])
    assert last == (f"orgnet export: error: argument --out-encoding: {why}; "
                    "use utf-8-sig (the default, opens in Excel), utf-8 or gb18030")
    assert not out.exists()


@pytest.mark.parametrize("enc", ["utf-8", "gb18030", "GBK"])
def test_good_out_encodings_round_trip(tmp_path, enc):
    out = tmp_path / "out"
    assert main(["export", "demo", "-o", str(out), "--out-encoding", enc]) == 0
    assert orgnet.read_dataset(out, encoding=enc) == orgnet.datasets.load("demo")


def test_character_outside_out_encoding_exits_2(tmp_path, capsys):
    t = tiny_tables()
    t["areas"].loc[0, "name"] = "示范区\U00020000"  # in GB18030, not in GBK
    folder = write_csv_dataset(tmp_path / "in", t)
    assert main(["export", str(folder), "-o", str(tmp_path / "out"), "--out-encoding", "gbk"]) == 2
    err = capsys.readouterr().err
    # write_dataset names the problem itself; the CLI words it when write_dataset does not
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "gbk" in err and "'\U00020000'" in err and "gb18030" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("option, value, message", [
    ("--as-of", "notadate", "'notadate' is not a date; give one as YYYY-MM-DD, e.g. 2025-06-30"),
    ("--as-of", "NaT", "'NaT' is not a date; give one as YYYY-MM-DD, e.g. 2025-06-30"),
    ("--max-nodes", "0", "expected an integer >= 1 (e.g. --max-nodes 5000). Got '0' instead."),
    ("--max-nodes", "-5", "expected an integer >= 1 (e.g. --max-nodes 5000). Got '-5' instead."),
    ("--max-nodes", "2.5", "expected an integer >= 1 (e.g. --max-nodes 5000). Got '2.5' instead."),
    ("--max-distance-m", "0", "expected a distance in metres > 0 (e.g. 3000). Got '0' instead."),
    ("--max-distance-m", "-100", "expected a distance in metres > 0 (e.g. 3000). Got '-100' instead."),
    ("--max-distance-m", "nan", "expected a distance in metres > 0 (e.g. 3000). Got 'nan' instead."),
    ("--max-distance-m", "inf", "expected a distance in metres > 0 (e.g. 3000). Got 'inf' instead."),
])
def test_bad_report_values_exit_2(tmp_path, capsys, no_work, option, value, message):
    out = tmp_path / "r.html"
    last = _usage_error(capsys, ["report", "demo", "-o", str(out), f"{option}={value}"])
    assert last == f"orgnet report: error: argument {option}: {message}"
    assert not out.exists()


@pytest.mark.parametrize("args, message", [
    (["--seed", "-1"], "argument --seed: expected an integer >= 0 (e.g. --seed 0). Got '-1' instead."),
    (["--seed", "x"], "argument --seed: expected an integer >= 0 (e.g. --seed 0). Got 'x' instead."),
    (["--set", "units"], "argument --set: expected KEY=VALUE (e.g. --set units=5000). Got 'units' instead."),
    (["--set", "unit=5000"], ("argument --set: unknown parameter 'unit'; did you mean 'units' or 'unit_mix'? "
                              "known parameters: name, city_name,")),
    (["--set", "frobnicate=1"], "argument --set: unknown parameter 'frobnicate'; known parameters: name,"),
    (["--preset", "lanzou"], ("argument --preset: invalid choice: 'lanzou' (choose from 'lanzhou', 'district', "
                              "'large')")),
])
def test_bad_synth_values_exit_2(tmp_path, capsys, no_work, args, message):
    out = tmp_path / "city"
    last = _usage_error(capsys, ["synth", "-o", str(out)] + args)
    assert last.startswith(f"orgnet synth: error: {message}")
    assert not out.exists()


def test_unknown_set_key_lists_every_parameter(tmp_path, capsys, no_work):
    from orgnet.datasets.synthetic import PARAMETERS

    last = _usage_error(capsys, ["synth", "-o", str(tmp_path / "c"), "--set", "frobnicate=1"])
    assert last.endswith(f"known parameters: {', '.join(PARAMETERS)} (see docs/synthetic.md)")


def test_bad_set_value_still_exits_2(tmp_path, capsys):
    # the key is known, the value is checked by synthetic_city itself
    assert main(["synth", "--preset", "district", "-o", str(tmp_path / "c"), "--set", "units=-3"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "units" in err and "Traceback" not in err
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize("typo", ["dmeo", "Demo", "demo1"])
def test_bundled_name_typo_suggests_demo(tmp_path, capsys, monkeypatch, typo):
    monkeypatch.chdir(tmp_path)
    assert main(["validate", typo]) == 2
    assert capsys.readouterr().err == (f"error: No such file or folder: {typo!r}. "
                                       "Did you mean the bundled dataset 'demo'? (bundled: demo)\n")


@pytest.mark.parametrize("name", ["out.txt", "out.csv", "out.html", "out.xls"])
def test_export_refuses_unknown_suffix(tmp_path, capsys, no_work, name):
    out = tmp_path / name
    last = _usage_error(capsys, ["export", "demo", "-o", str(out)])
    suffix = name[name.index("."):]
    assert last == (f"orgnet export: error: argument -o/--output: unknown output suffix {suffix!r} in {str(out)!r}; "
                    "give a path ending in .xlsx, .graphml, .gexf or .json, or a folder name without suffix "
                    "for CSV files")
    assert not out.exists()


def test_synth_refuses_unknown_suffix(tmp_path, capsys, no_work):
    out = tmp_path / "city.graphml"
    last = _usage_error(capsys, ["synth", "-o", str(out)])
    assert last.endswith(f"unknown output suffix '.graphml' in {str(out)!r}; give a path ending in .xlsx, "
                         "or a folder name without suffix for CSV files")


def test_export_folder_with_a_dot_by_trailing_slash_or_existing(tmp_path, capsys):
    out = tmp_path / "data.v2"
    assert main(["export", "demo", "-o", f"{out}/"]) == 0
    assert orgnet.read_dataset(out) == orgnet.datasets.load("demo")


@pytest.mark.parametrize("command, target", [
    (["report", "demo"], "r.html"),
    (["export", "demo"], "out.graphml"),
    (["export", "demo"], "out.xlsx"),
    (["export", "demo"], "csvfolder"),
    (["synth", "--preset", "district"], "city"),
    (["synth", "--preset", "district"], "city.xlsx"),
])
def test_output_under_a_file_is_refused_before_the_work(tmp_path, capsys, no_work, command, target):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    out = blocker / target
    last = _usage_error(capsys, command + ["-o", str(out)])
    assert last.endswith(f"error: argument -o/--output: cannot write {str(out)!r}: {str(blocker)!r} is a file, "
                         "not a folder; choose another path")


@pytest.mark.parametrize("command", [["report", "demo"], ["export", "demo"]])
def test_file_output_that_is_a_folder_is_refused(tmp_path, capsys, no_work, command):
    out = tmp_path / ("r.html" if command[0] == "report" else "g.json")
    out.mkdir()
    last = _usage_error(capsys, command + ["-o", str(out)])
    assert last.endswith(f"argument -o/--output: cannot write {str(out)!r}: it is a folder; give a file name")


def test_folder_output_that_is_a_file_is_refused(tmp_path, capsys, no_work):
    out = tmp_path / "city"
    out.write_text("x", encoding="utf-8")
    last = _usage_error(capsys, ["synth", "-o", str(out)])
    assert last.endswith(f"cannot write {str(out)!r}: it is a file, not a folder; choose another path")


def test_default_report_path_is_checked_too(tmp_path, capsys, no_work, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "report.html").mkdir()
    last = _usage_error(capsys, ["report", "demo"])
    assert last.endswith("cannot write 'report.html': it is a folder; give a file name")


def test_os_error_during_the_work_exits_2(tmp_path, capsys, monkeypatch):
    def disk_full(net, path, **kwargs):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr("orgnet.io.write_graph", disk_full)
    out = tmp_path / "g.graphml"
    assert main(["export", "demo", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == (f"error: cannot read or write {str(out)!r}: No space left on device; "
                   "check the path, the free disk space and the permissions\n")


def _env(unbuffered: bool) -> dict:
    env = dict(os.environ)
    env.pop("PYTHONUNBUFFERED", None)
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    return env


def test_python_dash_m_orgnet(tmp_path):
    r = subprocess.run([sys.executable, "-m", "orgnet", "export", "demo", "-o", str(tmp_path / "x.txt")],
                       capture_output=True, check=False, text=True, encoding="utf-8")
    assert r.returncode == 2
    assert r.stderr.startswith("usage: orgnet export ")
    assert "orgnet export: error: argument -o/--output: unknown output suffix '.txt'" in r.stderr
    assert "Traceback" not in r.stderr
    h = subprocess.run([sys.executable, "-m", "orgnet", "--help"], capture_output=True, check=False, text=True,
                       encoding="utf-8")
    assert h.returncode == 0 and h.stdout.startswith("usage: orgnet [-h] [--version] COMMAND")
    ok = subprocess.run([sys.executable, "-m", "orgnet", "validate", "demo"], capture_output=True, check=False,
                        text=True, encoding="utf-8")
    assert ok.returncode == 0 and ok.stdout.startswith("valid: demo\n")


def _console_script() -> str:
    script = shutil.which("orgnet")
    assert script is not None, "the orgnet console script is not on PATH; pip install -e . installs it"
    return script


def test_console_script_bad_value(tmp_path):
    r = subprocess.run([_console_script(), "report", "demo", "-o", str(tmp_path / "r.html"), "--max-nodes", "0"],
                       capture_output=True, check=False, text=True, encoding="utf-8")
    assert r.returncode == 2
    assert r.stderr.startswith("usage: orgnet report ")
    assert r.stderr.endswith("orgnet report: error: argument --max-nodes: expected an integer >= 1 "
                             "(e.g. --max-nodes 5000). Got '0' instead.\n")
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("how", ["module", "script"])
@pytest.mark.parametrize("unbuffered", [False, True])
def test_closed_pipe_ends_quietly(how, unbuffered):
    # The reader closes its end before the command prints anything (the
    # interpreter takes far longer to start), so every write hits a closed pipe,
    # as in `orgnet validate demo | head -0`: at the print when unbuffered,
    # at the final flush otherwise.
    cmd = [sys.executable, "-m", "orgnet"] if how == "module" else [_console_script()]
    proc = subprocess.Popen(cmd + ["validate", "demo"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=_env(unbuffered))
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    proc.stderr.close()
    assert proc.wait(timeout=120) == 141
    assert err == ""


def test_closed_pipe_in_a_shell_pipeline():
    bash = shutil.which("bash")
    assert bash is not None
    r = subprocess.run([bash, "-c", (f"'{_console_script()}' validate demo | head -c 0; "
                                     "echo \"status ${PIPESTATUS[0]}\"")],
                       capture_output=True, check=False, text=True, encoding="utf-8", env=_env(False))
    assert r.stdout == "status 141\n"
    assert r.stderr == ""
