"""Ledgers as street offices keep them: title rows, headers with units, thousands
separators, totals and notes rows, merged cells, near misses — and the values at the
edges (big integers, open-end dates, control characters, formulas without values).

Each bad input is one class of mistake; every test asserts where the problem is
reported (table, row as the spreadsheet shows it, column) and that no message shows
``nan``, ``None`` or a Python repr of an internal object.
"""

from __future__ import annotations

import re
import warnings

import openpyxl
import pandas as pd
import pytest

import orgnet
from orgnet import OrgnetDataError, OrgnetError, OrgnetParameterError, OrgnetWarning, schema
from conftest import text_workbook, tiny_tables, write_csv_dataset

LEAKS = re.compile(r"\b(nan|None|NaT|<NA>)\b|np\.(int|float)|Timestamp\(|numpy\.")


def problems(fn, *args, **kwargs):
    with pytest.raises(OrgnetDataError) as info:
        fn(*args, **kwargs)
    for p in info.value.problems:
        assert not LEAKS.search(p.message), p.message
        assert p.value is None or isinstance(p.value, (str, int, float)), repr(p.value)
    return info.value.problems


def located(probs):
    return {(p.table, p.row, p.column) for p in probs}


def read_quiet(path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OrgnetWarning)
        return orgnet.read_dataset(path, **kw)


def chinese_workbook(path, tables=None, *, title=True, blank=True, units=True, thousands=True,
                     totals=True, notes=True, merge_title=True):
    """The tiny dataset as a street office keeps it: Chinese sheet names and headers, a
    merged title row and a blank row above the header, population with its unit and
    thousands separators, a totals row and a notes row below the data."""
    t = tables or tiny_tables()
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    header_at = {}
    for name, df in t.items():
        tb = schema.TABLES[name]
        ws = wb.create_sheet(tb.aliases[0])
        heads = []
        for c in df.columns:
            col = tb.column(c)
            h = col.aliases[0] if col.aliases else c
            if units and c == "population":
                h = "人口（人）"
            if units and c == "employees":
                h = "职工人数 (人)" if False else f"{h}（人）"
            heads.append(h)
        if title:
            ws.append([f"东湖街道党建工作台账——{tb.aliases[0]}"] + [None] * (len(heads) - 1))
            if merge_title:
                ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(heads))
        if blank:
            ws.append([None] * len(heads))
        ws.append(heads)
        header_at[name] = ws.max_row
        for row in df.itertuples(index=False):
            vals = []
            for c, v in zip(df.columns, row):
                if thousands and c == "population" and v:
                    v = f"{int(v) * 10:,}"
                vals.append(v if v != "" else None)
            ws.append(vals)
        if name == "areas" and totals:
            ws.append(["合计", None, None, None, "=SUM(E4:E16)"])
        if name == "areas" and notes:
            ws.append(["注：人口为2025年6月数据"])
    wb.save(path)
    return header_at


# ------------------------------------------------------------ the street-office workbook


def test_street_office_workbook_loads_as_a_person_reads_it(tmp_path):
    chinese_workbook(tmp_path / "台账.xlsx")
    with pytest.warns(OrgnetWarning, match=r"areas: row 17 \(a totals row \(合计\)\); row 18 \(a note\)"):
        net = orgnet.read_dataset(tmp_path / "台账.xlsx")
    plain = orgnet.OrgNetwork(**tiny_tables())
    assert net.areas.loc["G111", "population"] == 12_000  # '12,000' under '人口（人）'
    assert net.areas["population"].sum() == 10 * plain.areas["population"].sum()
    assert net.units.loc["U1", "employees"] == 150  # '职工人数（人）'
    assert len(net.areas) == len(plain.areas)  # neither the totals nor the note became an area
    for t in ("organisations", "units", "stations", "ties", "demands", "resources", "projects"):
        pd.testing.assert_frame_equal(net.tables[t], plain.tables[t], check_dtype=False)


def test_street_office_workbook_with_real_mistakes_names_each_cell(tmp_path):
    t = tiny_tables()
    t["areas"].loc[6, "level"] = "网络"       # near miss of 网格, row 4 + 6 + 1
    t["organisations"].loc[5, "form"] = "支部"  # near miss of 党支部
    t["units"].loc[1, "employees"] = "2O"     # letter O for zero
    at = chinese_workbook(tmp_path / "台账.xlsx", t)
    probs = problems(read_quiet, tmp_path / "台账.xlsx")
    assert located(probs) == {("areas", at["areas"] + 7, "level"),
                              ("organisations", at["organisations"] + 6, "form"),
                              ("units", at["units"] + 2, "employees")}
    msgs = {p.column: p.message for p in probs}
    assert "did you mean '网格' (grid)?" in msgs["level"]
    assert "did you mean '党支部' (branch)?" in msgs["form"]
    assert msgs["employees"] == "expected a whole number, got '2O'"


def test_title_row_in_csv_is_read_past(tmp_path):
    folder = write_csv_dataset(tmp_path / "d", tiny_tables())
    text = (folder / "areas.csv").read_text(encoding="utf-8")
    (folder / "areas.csv").write_text("东湖街道党建工作台账\n\n" + text, encoding="utf-8")
    net = orgnet.read_dataset(folder)
    assert net == orgnet.OrgNetwork(**tiny_tables())
    # and rows keep the numbers the user sees: the header is row 3 now
    (folder / "areas.csv").write_text("东湖街道党建工作台账\n\n" + text.replace("streat", "x").replace(
        "S1,东湖街道,street", "S1,东湖街道,streat"), encoding="utf-8")
    assert located(problems(orgnet.read_dataset, folder)) == {("areas", 5, "level")}


def test_no_header_found_is_one_problem_quoting_the_first_row(tmp_path):
    folder = write_csv_dataset(tmp_path / "d", tiny_tables())
    (folder / "units.csv").write_text("东湖街道党建工作台账\n甲,乙,丙\n1,2,3\n", encoding="utf-8")
    probs = problems(orgnet.read_dataset, folder)
    assert len(probs) == 1 and located(probs) == {("units", 1, None)}
    assert "no header row found in the first 3 rows of units.csv" in probs[0].message
    assert "'东湖街道党建工作台账'" in probs[0].message and "header_row=" in probs[0].message


def test_header_row_parameter(tmp_path):
    folder = write_csv_dataset(tmp_path / "d", tiny_tables())
    text = (folder / "units.csv").read_text(encoding="utf-8")
    # a first row that names known columns would win the search; header_row says which row it is
    (folder / "units.csv").write_text("id,name\n" + text, encoding="utf-8")
    assert orgnet.read_dataset(folder, header_row={"units": 2}).units.equals(orgnet.OrgNetwork(**tiny_tables()).units)
    for bad in (0, -1, 1.5, "2", {"unitz": 2}, True):
        with pytest.raises(OrgnetParameterError, match="'header_row' parameter of read_dataset"):
            orgnet.read_dataset(folder, header_row=bad)
    assert located(problems(orgnet.read_dataset, folder, header_row={"units": 99})) == {("units", None, None)}


@pytest.mark.parametrize("header", ["人口（人）", "人口(人)", "population (people)", "Population（persons）",
                                    "人口【人】", " 人口 ( 人 ) "])
def test_header_with_unit_in_brackets_names_its_column(tmp_path, header):
    t = tiny_tables()
    t["areas"] = t["areas"].rename(columns={"population": header})
    net = orgnet.read_dataset(write_csv_dataset(tmp_path / "d", t))
    assert net.areas.loc["G111", "population"] == 1200
    assert header.strip() not in net.areas.columns


@pytest.mark.parametrize("header,meant", [("popluation", "population"), ("人口数", "population"),
                                          ("house holds", "households"), ("Parent_", "parent")])
def test_header_near_miss_is_a_problem_with_did_you_mean(tmp_path, header, meant):
    t = tiny_tables()
    t["areas"] = t["areas"].rename(columns={meant: header})
    probs = problems(orgnet.read_dataset, write_csv_dataset(tmp_path / "d", t))
    mine = [p for p in probs if p.value == header]
    assert len(mine) == 1 and (mine[0].table, mine[0].row) == ("areas", 1)
    assert f"did you mean {meant!r}" in mine[0].message


def test_unrelated_extra_headers_are_kept(tmp_path):
    t = tiny_tables()
    t["areas"]["备注"] = ""
    t["areas"]["网格员电话"] = "1390000"
    net = orgnet.read_dataset(write_csv_dataset(tmp_path / "d", t))
    assert net.areas.loc["G111", "网格员电话"] == "1390000"


def test_duplicated_headers_are_located_not_renamed(tmp_path):
    folder = write_csv_dataset(tmp_path / "d", tiny_tables())
    text = (folder / "units.csv").read_text(encoding="utf-8").splitlines()
    text = [line + ",x" for line in text]
    text[0] = text[0].replace(",x", ",备注")
    text = [line.replace(",x", ",y") if i else line for i, line in enumerate(text)]
    text = [line + ("," + "备注" if i == 0 else ",z") for i, line in enumerate(text)]
    (folder / "units.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    probs = problems(orgnet.read_dataset, folder)
    assert located(probs) == {("units", 1, None)}
    assert "two columns are headed '备注' (columns J and K)" in probs[0].message
    # two headers meaning one column
    t = tiny_tables()
    t["units"]["名称"] = t["units"]["name"]
    probs = problems(orgnet.read_dataset, write_csv_dataset(tmp_path / "e", t))
    assert located(probs) == {("units", 1, "name")} and "two columns mean 'name'" in probs[0].message


def test_values_without_a_header_are_located(tmp_path):
    folder = write_csv_dataset(tmp_path / "d", tiny_tables())
    lines = (folder / "stations.csv").read_text(encoding="utf-8").splitlines()
    lines[0] += ","
    lines[1] += ","
    lines[2] += ",多出来的"
    (folder / "stations.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    probs = problems(orgnet.read_dataset, folder)
    assert located(probs) == {("stations", 3, None)}
    assert probs[0].message == "column I has values but no header (row 1); give it a name"


# ------------------------------------------------------------ totals and notes rows


@pytest.mark.parametrize("word", ["合计", "总计", "小计", "合 计", "Total", "合计："])
def test_totals_row_is_read_past_with_a_warning(tmp_path, word):
    t = tiny_tables()
    t["areas"].loc[len(t["areas"])] = [word, "", "", "", "5800", "1940", "", "", "", "", ""]
    folder = write_csv_dataset(tmp_path / "d", t)
    with pytest.warns(OrgnetWarning, match=r"areas: row 15 \(a totals row"):
        net = orgnet.read_dataset(folder)
    assert net == orgnet.OrgNetwork(**tiny_tables())


def test_subtotal_rows_between_data_rows(tmp_path):
    t = tiny_tables()
    rows = t["units"].values.tolist()
    rows.insert(2, ["", "小计", "", "", "", "170", "13", "", ""])
    t["units"] = pd.DataFrame(rows, columns=t["units"].columns)
    with pytest.warns(OrgnetWarning, match=r"units: row 4 \(a totals row \(小计\)\)"):
        net = orgnet.read_dataset(write_csv_dataset(tmp_path / "d", t))
    assert list(net.units.index) == ["U1", "U2", "U3", "U4", "U5"]


def test_a_note_inside_the_data_is_not_skipped(tmp_path):
    t = tiny_tables()
    rows = t["units"].values.tolist()
    rows.insert(1, ["注：以下为非公企业", "", "", "", "", "", "", "", ""])
    t["units"] = pd.DataFrame(rows, columns=t["units"].columns)
    probs = problems(orgnet.read_dataset, write_csv_dataset(tmp_path / "d", t))
    assert ("units", 3, "name") in located(probs)  # a row of data with its name missing


def test_totals_row_in_messages_never_shows_nan(tmp_path):
    t = tiny_tables()
    t["areas"].loc[len(t["areas"])] = ["", "合计", "", "", "5800", "", "", "", "", "", ""]
    t["areas"].loc[len(t["areas"])] = ["Z9", "", "", "", "", "", "", "", "", "", ""]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OrgnetWarning)
        probs = problems(orgnet.read_dataset, write_csv_dataset(tmp_path / "d", t))
    assert ("areas", 16, "name") in located(probs) and ("areas", 16, "level") in located(probs)


# ------------------------------------------------------------ numbers


@pytest.mark.parametrize("text,value", [("1,200", 1200), ("12,345,678", 12345678), ("1，200", 1200),
                                        (" 1,200 ", 1200), ("+1,200", 1200)])
def test_thousands_separators(tmp_path, text, value):
    t = tiny_tables()
    t["areas"].loc[6, "population"] = text
    assert orgnet.read_dataset(write_csv_dataset(tmp_path / "d", t)).areas.loc["G111", "population"] == value


@pytest.mark.parametrize("text", ["1,2", "12,34", "1,2000", ",120"])
def test_misplaced_commas_are_refused_with_a_hint(tmp_path, text):
    t = tiny_tables()
    t["areas"].loc[6, "population"] = text
    probs = problems(orgnet.read_dataset, write_csv_dataset(tmp_path / "d", t))
    assert located(probs) == {("areas", 8, "population")}
    assert "thousands separators must group three digits" in probs[0].message


def test_float_thousands_and_decimal(tmp_path):
    t = tiny_tables()
    t["stations"].loc[0, "floor_area_m2"] = "1,250.5"
    assert orgnet.read_dataset(write_csv_dataset(tmp_path / "d", t)).stations.loc["T1", "floor_area_m2"] == 1250.5


@pytest.mark.parametrize("text,value", [("9007199254740993", 9007199254740993),
                                        ("9223372036854775807", 2**63 - 1),
                                        ("-0", 0), ("1e3", 1000), ("1.0", 1)])
def test_whole_numbers_are_exact(tmp_path, text, value):
    t = tiny_tables()
    t["areas"].loc[6, "population"] = text
    net = orgnet.read_dataset(write_csv_dataset(tmp_path / "d", t))
    assert int(net.areas.loc["G111", "population"]) == value
    for out in (tmp_path / "out", tmp_path / "out.xlsx"):
        back = orgnet.read_dataset(orgnet.write_dataset(net, out))
        assert int(back.areas.loc["G111", "population"]) == value


@pytest.mark.parametrize("text", ["9223372036854775808", "1e30", "99999999999999999999999"])
def test_whole_numbers_too_large_are_refused(tmp_path, text):
    t = tiny_tables()
    t["ties"].loc[2, "count"] = text
    probs = problems(orgnet.read_dataset, write_csv_dataset(tmp_path / "d", t))
    assert located(probs) == {("ties", 4, "count")} and "too large for a whole number" in probs[0].message


def test_excel_error_value_in_a_number_cell(tmp_path):
    t = tiny_tables()
    t["areas"].loc[6, "population"] = "#DIV/0!"
    probs = problems(orgnet.read_dataset, write_csv_dataset(tmp_path / "d", t))
    assert located(probs) == {("areas", 8, "population")} and "an Excel error value" in probs[0].message


def test_typed_dataframe_values_are_shown_plainly():
    t = tiny_tables()
    t["units"]["employees"] = [150.0, 20.0, -4.0, 80.0, 12.0]
    probs = problems(orgnet.OrgNetwork, **t)
    assert probs[0].value == -4.0 and probs[0].message.endswith("got -4.0")


# ------------------------------------------------------------ dates


@pytest.mark.parametrize("text", ["9999-12-31", "9999/12/31", "3000-01-01"])
def test_open_end_date_means_no_end(tmp_path, text):
    t = tiny_tables()
    t["ties"].loc[0, "end"] = text
    net = orgnet.read_dataset(write_csv_dataset(tmp_path / "d", t))
    assert pd.isna(net.ties.loc[0, "end"])
    assert len(net.active_ties(as_of="2030-01-01")) >= 1


@pytest.mark.parametrize("column,text", [("start", "9999-12-31"), ("start", "1500-01-01"), ("end", "1500-01-01")])
def test_dates_outside_the_range_are_located(tmp_path, column, text):
    t = tiny_tables()
    t["ties"].loc[0, column] = text
    probs = problems(orgnet.read_dataset, write_csv_dataset(tmp_path / "d", t))
    assert ("ties", 2, column) in located(probs)
    assert any("outside the range a table can hold (1677-09-22 to 2262-04-11)" in p.message for p in probs)


def test_open_end_in_a_dataframe_and_in_a_workbook(tmp_path):
    import datetime as dt

    t = tiny_tables()
    t["ties"]["end"] = pd.Series([dt.datetime(9999, 12, 31)] + [None] * 7, dtype=object)
    net = orgnet.OrgNetwork(**t)
    assert pd.isna(net.ties.loc[0, "end"])
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, df in tiny_tables().items():
        ws = wb.create_sheet(name)
        ws.append(list(df.columns))
        for i, row in enumerate(df.values.tolist()):
            if name == "ties" and i == 0:
                row[4] = dt.datetime(9999, 12, 31)
            ws.append([v if v != "" else None for v in row])
    wb.save(tmp_path / "w.xlsx")
    assert pd.isna(orgnet.read_dataset(tmp_path / "w.xlsx").ties.loc[0, "end"])


def test_impossible_dates_are_located(tmp_path):
    t = tiny_tables()
    t["organisations"].loc[0, "established"] = "2023-02-30"
    probs = problems(orgnet.read_dataset, write_csv_dataset(tmp_path / "d", t))
    assert located(probs) == {("organisations", 2, "established")}


# ------------------------------------------------------------ vocabularies


@pytest.mark.parametrize("column,value,meant", [("level", "社 区", "社区"), ("level", "网络", "网格"),
                                                ("level", "streat", "street"), ("level", "Comunity", "community")])
def test_vocabulary_near_misses_suggest_the_closest_value(tmp_path, column, value, meant):
    t = tiny_tables()
    t["areas"].loc[3, column] = value
    probs = problems(orgnet.read_dataset, write_csv_dataset(tmp_path / "d", t))
    assert located(probs) == {("areas", 5, column)}
    assert f"did you mean {meant!r}" in probs[0].message


# ------------------------------------------------------------ characters


@pytest.mark.parametrize("ch", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufffe", "\r"])
def test_control_characters_are_refused(tmp_path, ch):
    t = tiny_tables()
    t["units"].loc[2, "name"] = f"阳光{ch}协会"
    probs = problems(orgnet.OrgNetwork, **t)
    assert located(probs) == {("units", 4, "name")}
    assert f"U+{ord(ch):04X}" in probs[0].message
    if ch not in "\x00\r":  # pandas cannot write a NUL to CSV; an unquoted \r would end the record
        folder = write_csv_dataset(tmp_path / "d", t)
        assert located(problems(orgnet.read_dataset, folder)) == {("units", 4, "name")}


def test_control_character_in_an_extra_column(tmp_path):
    t = tiny_tables()
    t["units"]["备注"] = ["", "", "a\x01b", "", ""]
    probs = problems(orgnet.read_dataset, write_csv_dataset(tmp_path / "d", t))
    assert located(probs) == {("units", 4, "备注")}


@pytest.mark.parametrize("text", ["line one\nline two", "tab\there", "two\nlines\n", "'quoted", "''two", "'=1+1",
                                  "=1+1", "-5", " padded ", "emoji 🎉", "é\u0301", '"q"', "a,b", "\\N"])
def test_free_text_survives_csv_and_xlsx_round_trips(tmp_path, text):
    t = tiny_tables()
    t["units"].loc[0, "name"] = text
    t["units"]["备注"] = [text, "", "", "", ""]
    net = orgnet.OrgNetwork(**t)
    for out in (tmp_path / "csv", tmp_path / "gb", tmp_path / "x.xlsx"):
        enc = {"gb": "gb18030"}.get(out.name, "utf-8-sig")
        back = orgnet.read_dataset(orgnet.write_dataset(net, out, encoding=enc))
        assert back == net, out
        assert back.units.loc["U1", "name"] == text


# ------------------------------------------------------------ workbooks


def test_merged_data_cells_are_expanded(tmp_path):
    wb = text_workbook(tiny_tables())
    ws = wb["units"]
    # the parent area of U1 and U2 typed once in a merged cell spanning both rows (E2:E3)
    ws["E3"] = None
    ws.merge_cells("E2:E3")
    wb.save(tmp_path / "m.xlsx")
    net = orgnet.read_dataset(tmp_path / "m.xlsx")
    assert net.units.loc["U2", "area"] == "G111"  # E2's value fills the whole range


def test_formula_without_a_saved_value_is_refused_with_advice(tmp_path):
    wb = text_workbook(tiny_tables())
    wb["areas"]["E8"] = "=E9+E10"
    wb.save(tmp_path / "f.xlsx")  # openpyxl saves formulas without computing them
    probs = problems(orgnet.read_dataset, tmp_path / "f.xlsx")
    assert located(probs) == {("areas", 8, None)}
    assert "cell E8 of sheet 'areas' holds a formula without a saved value" in probs[0].message
    assert "open and save the file in Excel" in probs[0].message


# ------------------------------------------------------------ writes: whole, atomic, checked


def test_interrupted_write_leaves_the_old_dataset(tmp_path, monkeypatch):
    net = orgnet.OrgNetwork(**tiny_tables())
    out = orgnet.write_dataset(net, tmp_path / "ds")
    before = sorted(p.name for p in out.iterdir())
    import pandas.core.generic as generic

    calls = {"n": 0}
    real = generic.NDFrame.to_csv

    def dying(self, *a, **k):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the power went while writing the third table
        return real(self, *a, **k)

    monkeypatch.setattr(generic.NDFrame, "to_csv", dying)
    with pytest.raises(KeyboardInterrupt):
        orgnet.write_dataset(net, tmp_path / "ds")
    monkeypatch.undo()
    assert sorted(p.name for p in out.iterdir()) == before
    assert orgnet.read_dataset(out) == net
    assert [p.name for p in tmp_path.iterdir()] == ["ds"]  # no temporary folder left


def test_truncated_or_partial_dataset_is_an_error(tmp_path):
    net = orgnet.OrgNetwork(**tiny_tables())
    out = orgnet.write_dataset(net, tmp_path / "ds")
    lines = (out / "ties.csv").read_text(encoding="utf-8-sig").splitlines()
    (out / "ties.csv").write_text("\n".join(lines[:4]) + "\n", encoding="utf-8-sig")
    with pytest.raises(OrgnetError, match=r"ties.csv has 3 data rows; the manifest says 8"):
        orgnet.read_dataset(out)
    (out / "ties.csv").unlink()
    with pytest.raises(OrgnetError, match=r"ties.csv is listed with 8 rows but is missing"):
        orgnet.read_dataset(out)


def test_writing_over_a_dataset_replaces_it_whole(tmp_path):
    full = orgnet.OrgNetwork(**tiny_tables())
    out = orgnet.write_dataset(full, tmp_path / "ds")
    assert (out / "projects.csv").exists()
    t = tiny_tables()
    for k in ("demands", "resources", "projects"):
        del t[k]
    small = orgnet.OrgNetwork(**t)
    orgnet.write_dataset(small, out)
    assert not (out / "projects.csv").exists()  # no stale table is read back
    assert orgnet.read_dataset(out) == small


def test_writing_over_a_folder_that_is_not_a_dataset_is_refused(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "thesis.docx").write_bytes(b"x")
    with pytest.raises(OrgnetError, match=r"holds files that are not part of a dataset \(thesis.docx\)"):
        orgnet.write_dataset(orgnet.OrgNetwork(**tiny_tables()), tmp_path / "docs")
    assert (tmp_path / "docs" / "thesis.docx").exists()


def test_a_table_added_by_hand_to_a_written_folder_is_named(tmp_path):
    t = tiny_tables()
    del t["projects"]
    out = orgnet.write_dataset(orgnet.OrgNetwork(**t), tmp_path / "ds")
    tiny_tables()["projects"].to_csv(out / "projects.csv", index=False)
    with pytest.raises(OrgnetError, match=r"projects.csv is not listed .*delete orgnet_manifest.json"):
        orgnet.read_dataset(out)
    (out / "orgnet_manifest.json").unlink()
    assert len(orgnet.read_dataset(out).projects) == 1


def test_unfinished_temporary_folder_is_not_read(tmp_path):
    out = orgnet.write_dataset(orgnet.OrgNetwork(**tiny_tables()), tmp_path / ".orgnet-tmp-abc")
    with pytest.raises(OrgnetError, match="unfinished write"):
        orgnet.read_dataset(out)


def test_unknown_encodings_are_parameter_errors(tmp_path):
    net = orgnet.OrgNetwork(**tiny_tables())
    with pytest.raises(OrgnetParameterError, match="'encoding' parameter of write_dataset"):
        orgnet.write_dataset(net, tmp_path / "x", encoding="utf-9")
    folder = write_csv_dataset(tmp_path / "d", tiny_tables())
    with pytest.raises(OrgnetParameterError, match="'encoding' parameter of read_dataset"):
        orgnet.read_dataset(folder, encoding="klingon")
    with pytest.raises(OrgnetError, match="cannot encode"):
        orgnet.write_dataset(net, tmp_path / "y", encoding="latin-1")
    assert not (tmp_path / "y").exists()


def test_xlsx_write_is_atomic_and_keeps_big_integers(tmp_path):
    t = tiny_tables()
    t["ties"].loc[2, "count"] = "9007199254740993"
    net = orgnet.OrgNetwork(**t)
    out = orgnet.write_dataset(net, tmp_path / "x.xlsx")
    assert orgnet.read_dataset(out) == net
    assert [p.name for p in tmp_path.iterdir()] == ["x.xlsx"]


@pytest.mark.parametrize("name", ["x.xlsm", "x.xls"])
def test_write_dataset_refuses_workbook_formats_it_cannot_write(tmp_path, name):
    with pytest.raises(OrgnetParameterError, match="Use a path ending in .xlsx"):
        orgnet.write_dataset(orgnet.OrgNetwork(**tiny_tables()), tmp_path / name)
    assert list(tmp_path.iterdir()) == []
