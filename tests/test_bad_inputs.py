"""The catalogue of bad-input classes: one mistake each, as people make them in
ledgers, each asserting where the problem is reported — table, row as the
spreadsheet shows it (header = row 1), column — in a CSV folder and, for cell
mistakes, in an .xlsx workbook too. Messages never show ``nan``/``None`` or an
internal repr. ``len(CASES)`` is the figure quoted in docs/reliability.md.
"""

from __future__ import annotations

import re
import warnings

import openpyxl
import pandas as pd
import pytest

import orgnet
from orgnet import OrgnetDataError, OrgnetWarning
from conftest import text_workbook, tiny_tables, write_csv_dataset

LEAKS = re.compile(r"\b(nan|None|NaT|<NA>)\b|np\.(int|float)|Timestamp\(|numpy\.")


def cell(table, i, column, value):
    def mutate(t):
        t[table].loc[i, column] = value
    return mutate


def rename(table, old, new):
    def mutate(t):
        t[table] = t[table].rename(columns={old: new})
    return mutate


def add_column(table, header, values):
    def mutate(t):
        df = t[table]
        t[table] = pd.concat([df, pd.DataFrame({header: values}, index=df.index)], axis=1)
    return mutate


def several(*fns):
    def mutate(t):
        for f in fns:
            f(t)
    return mutate


def drop_column(table, column):
    def mutate(t):
        t[table] = t[table].drop(columns=[column])
    return mutate


def drop_table(table):
    def mutate(t):
        del t[table]
    return mutate


# name: (mutation, expected location, also in xlsx — openpyxl cannot write control characters)
CASES = {
    "unknown level": (cell("areas", 1, "level", "streat"), ("areas", 3, "level"), True),
    "level near miss (网络)": (cell("areas", 6, "level", "网络"), ("areas", 8, "level"), True),
    "level with a space inside (社 区)": (cell("areas", 3, "level", "社 区"), ("areas", 5, "level"), True),
    "empty required name": (cell("areas", 2, "name", ""), ("areas", 4, "name"), True),
    "empty required id": (cell("stations", 1, "id", ""), ("stations", 3, "id"), True),
    "negative count": (cell("areas", 6, "population", "-5"), ("areas", 8, "population"), True),
    "fraction in a whole-number column": (cell("areas", 6, "population", "12.5"), ("areas", 8, "population"), True),
    "letters in a number (2O)": (cell("units", 1, "employees", "2O"), ("units", 3, "employees"), True),
    "misplaced comma (1,2)": (cell("areas", 6, "population", "1,2"), ("areas", 8, "population"), True),
    "whole number beyond int64": (cell("areas", 6, "households", "1e30"), ("areas", 8, "households"), True),
    "Excel error value (#N/A)": (cell("areas", 6, "population", "#N/A"), ("areas", 8, "population"), True),
    "infinite number": (cell("stations", 0, "floor_area_m2", "inf"), ("stations", 2, "floor_area_m2"), True),
    "longitude out of range": (cell("areas", 0, "lon", "190"), ("areas", 2, "lon"), True),
    "latitude out of range": (cell("areas", 0, "lat", "-91"), ("areas", 2, "lat"), True),
    "not a yes/no value": (cell("areas", 10, "property_management", "maybe"), ("areas", 12, "property_management"), True),
    "month 13": (cell("organisations", 0, "established", "2020-13-01"), ("organisations", 2, "established"), True),
    "30 February": (cell("organisations", 0, "established", "2023-02-30"), ("organisations", 2, "established"), True),
    "date before 1677": (cell("ties", 0, "start", "1500-01-01"), ("ties", 2, "start"), True),
    "start date 9999-12-31": (cell("ties", 0, "start", "9999-12-31"), ("ties", 2, "start"), True),
    "Excel serial number as a date": (cell("organisations", 0, "established", "45000"), ("organisations", 2, "established"), False),
    "date with a time of day": (cell("organisations", 0, "established", "2020-01-01 10:30"), ("organisations", 2, "established"), False),
    "unknown organisation form": (cell("organisations", 1, "form", "委员会"), ("organisations", 3, "form"), True),
    "form near miss (支部)": (cell("organisations", 5, "form", "支部"), ("organisations", 7, "form"), True),
    "unknown scope": (cell("organisations", 1, "scope", "regional"), ("organisations", 3, "scope"), True),
    "unknown unit type": (cell("units", 0, "type", "公司"), ("units", 2, "type"), True),
    "unknown tie kind": (cell("ties", 0, "kind", "friendship"), ("ties", 2, "kind"), True),
    "unknown station type": (cell("stations", 0, "type", "palace"), ("stations", 2, "type"), True),
    "unknown organisation status": (cell("organisations", 0, "status", "bad"), ("organisations", 2, "status"), True),
    "unknown project status": (cell("projects", 0, "status", "finished?"), ("projects", 2, "status"), True),
    "id used twice in a table": (cell("units", 1, "id", "U1"), ("units", 3, "id"), True),
    "id used in two tables": (cell("stations", 1, "id", "U4"), ("stations", 3, "id"), True),
    "unknown parent": (cell("areas", 1, "parent", "D9"), ("areas", 3, "parent"), True),
    "parent of the wrong kind": (cell("areas", 1, "parent", "O1"), ("areas", 3, "parent"), True),
    "unit in an unknown area": (cell("units", 0, "area", "G999"), ("units", 2, "area"), True),
    "tie from an unknown entity": (cell("ties", 0, "source", "X1"), ("ties", 2, "source"), True),
    "tie to itself": (cell("ties", 0, "target", "U4"), ("ties", 2, "target"), True),
    "tie ends before it starts": (cell("ties", 4, "end", "2020-01-01"), ("ties", 6, "end"), True),
    "tie count below 1": (cell("ties", 1, "count", "0"), ("ties", 3, "count"), True),
    "negative station radius": (cell("stations", 1, "radius_m", "-1"), ("stations", 3, "radius_m"), True),
    "territorial organisation without its area": (cell("organisations", 5, "area", ""), ("organisations", 7, "area"), True),
    "unit organisation without its unit": (cell("organisations", 6, "unit", ""), ("organisations", 8, "unit"), True),
    "area below the top without a parent": (cell("areas", 3, "parent", ""), ("areas", 5, "parent"), True),
    "area parent cycle": (cell("areas", 1, "parent", "C11"), ("areas", 3, "parent"), True),
    "levels not nesting downward": (cell("areas", 3, "level", "district"), ("areas", 5, "parent"), True),
    "organisation parent cycle": (cell("organisations", 0, "parent", "O2"), ("organisations", 2, "parent"), True),
    "demand quantity 0": (cell("demands", 0, "quantity", "0"), ("demands", 2, "quantity"), True),
    "negative resource capacity": (cell("resources", 0, "capacity", "-3"), ("resources", 2, "capacity"), True),
    "project naming an unknown demand": (cell("projects", 0, "demand", "N9"), ("projects", 2, "demand"), True),
    "control character in a name": (cell("units", 2, "name", "阳光\x07协会"), ("units", 4, "name"), False),
    "control character in an id": (cell("stations", 1, "id", "T\x1b2"), ("stations", 3, "id"), False),
    "control character in an extra column": (add_column("units", "备注", ["", "", "a\x01b", "", ""]), ("units", 4, "备注"), False),
    "header near miss (popluation)": (rename("areas", "population", "popluation"), ("areas", 1, None), True),
    "header near miss (人口数)": (rename("areas", "population", "人口数"), ("areas", 1, None), True),
    "two columns with one header": (several(add_column("units", "备注", ["a"] * 5), add_column("units", "备注 ", ["b"] * 5)),
                                    ("units", 1, None), False),
    "two headers meaning one column": (add_column("units", "名称", ["x"] * 5), ("units", 1, "name"), True),
    "extra column named like a graph attribute (kind)": (add_column("units", "kind", ["x"] * 5), ("units", 1, None), True),
    "extra tie column named tie": (add_column("ties", "tie", ["x"] * 8), ("ties", 1, None), True),
    "values under no header": (add_column("stations", "", ["", "多出来的"]), ("stations", 3, None), False),
    "required column missing": (drop_column("areas", "level"), ("areas", 1, "level"), True),
    "required table missing": (drop_table("organisations"), ("organisations", None, None), True),
    "a note between data rows": (lambda t: t.__setitem__("units", pd.DataFrame(
        t["units"].values.tolist()[:1] + [["注：以下为非公企业"] + [""] * 8] + t["units"].values.tolist()[1:],
        columns=t["units"].columns)), ("units", 3, "name"), True),
}


def _workbook(t, path):
    text_workbook(t).save(path)
    return path


def _check(fn, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OrgnetWarning)
        with pytest.raises(OrgnetDataError) as info:
            fn()
    probs = info.value.problems
    assert expected in {(p.table, p.row, p.column) for p in probs}, [str(p) for p in probs]
    for p in probs:
        assert not LEAKS.search(p.message), p.message
        assert p.value is None or isinstance(p.value, (str, int, float)), repr(p.value)


def test_the_catalogue_has_at_least_50_classes():
    assert len(CASES) >= 50


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_located_in_csv(tmp_path, name):
    mutate, expected, _ = CASES[name]
    t = tiny_tables()
    mutate(t)
    folder = write_csv_dataset(tmp_path / "d", t)
    _check(lambda: orgnet.read_dataset(folder), expected)


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c[2]])
def test_bad_input_is_located_in_xlsx(tmp_path, name):
    mutate, expected, _ = CASES[name]
    t = tiny_tables()
    mutate(t)
    book = _workbook(t, tmp_path / "w.xlsx")
    _check(lambda: orgnet.read_dataset(book), expected)


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c[2] and c[1][1] not in (None, 1)])
def test_bad_input_below_a_title_row_keeps_the_spreadsheet_row(tmp_path, name):
    """The same mistake with a merged title row and a blank row above every header:
    the row reported moves down by two, as the spreadsheet shows it."""
    mutate, (table, row, column), _ = CASES[name]
    t = tiny_tables()
    mutate(t)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for tname, df in t.items():
        ws = wb.create_sheet(tname)
        ws.append(["东湖街道党建工作台账"] + [None] * (len(df.columns) - 1))
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(df.columns))
        ws.append([None] * len(df.columns))
        ws.append([str(c) for c in df.columns])
        for r in df.itertuples(index=False):
            ws.append([v if v != "" else None for v in r])
    wb.save(tmp_path / "t.xlsx")
    _check(lambda: orgnet.read_dataset(tmp_path / "t.xlsx"), (table, row + 2, column))
