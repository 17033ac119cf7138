"""Reading and writing: encodings, Chinese headers and values, Excel, round trips, export."""

from __future__ import annotations

import datetime as dt
import json

import networkx as nx
import pandas as pd
import pytest

import orgnet
from orgnet import schema
from conftest import tiny_tables, write_csv_dataset

openpyxl = pytest.importorskip("openpyxl")  # in the test extra: always present in CI

_BOOL_ZH = {"true": "是", "false": "否"}


def to_chinese(tables):
    """The tiny dataset as a Chinese ledger: Chinese table names, headers and values."""
    out = {}
    for name, df in tables.items():
        t = schema.TABLES[name]
        df = df.copy()
        for col in t.columns:
            if col.name not in df:
                continue
            if col.dtype == "vocab":
                vocab = schema.VOCABULARIES[col.vocab]
                df[col.name] = df[col.name].map(
                    lambda v: vocab.values[v][0] if v and vocab.values.get(v) else v)
            elif col.dtype == "bool":
                df[col.name] = df[col.name].map(lambda v: _BOOL_ZH.get(v, v))
        df.columns = [t.column(c).aliases[0] if c in t.column_names and t.column(c).aliases else c
                      for c in df.columns]
        out[t.aliases[0]] = df
    return out


def test_chinese_gb18030_csv_equals_english_utf8(tmp_path):
    english = orgnet.read_dataset(write_csv_dataset(tmp_path / "en", tiny_tables()))
    zh_tables = to_chinese(tiny_tables())
    assert "区域" in zh_tables and "层级" in zh_tables["区域"].columns
    assert zh_tables["区域"]["层级"].iloc[1] == "街道"
    folder = tmp_path / "zh"
    folder.mkdir()
    for stem, df in zh_tables.items():
        df.to_csv(folder / f"{stem}.csv", index=False, encoding="gb18030")
    # really GB18030 on disk, not UTF-8
    raw = (folder / "区域.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    chinese = orgnet.read_dataset(folder)
    assert chinese == english
    for name in schema.TABLE_ORDER:
        pd.testing.assert_frame_equal(chinese.tables[name], english.tables[name])
    assert chinese.areas.loc["S1", "level"] == "street"
    assert chinese.organisations.loc["O1", "form"] == "committee"
    assert chinese.areas.loc["Q1121", "property_management"] is False or \
        chinese.areas.loc["Q1121", "property_management"] == False  # noqa: E712


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings_detected(tmp_path, encoding):
    net = orgnet.read_dataset(write_csv_dataset(tmp_path, tiny_tables(), encoding=encoding))
    assert net.areas.loc["C11", "name"] == "春晖社区"
    assert list(net.areas.columns[:3]) == ["name", "level", "parent"]


def test_forced_encoding_and_undecodable_file(tmp_path):
    folder = write_csv_dataset(tmp_path, tiny_tables(), encoding="gb18030")
    assert orgnet.read_dataset(folder, encoding="gb18030").areas.loc["S1", "name"] == "东湖街道"
    (folder / "units.csv").write_bytes("id,name\n".encode() + b"\xff\xfe\x00bad\n")
    with pytest.raises(orgnet.OrgnetError, match="units.csv"):
        orgnet.read_dataset(folder)


def _chinese_workbook(path, tables):
    """Write tables as an Excel workbook with real Excel numbers, dates and booleans."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    numeric = {"population", "households", "lon", "lat", "members", "employees", "party_members",
               "floor_area_m2", "radius_m", "count", "quantity", "capacity", "value"}
    dates = {"established", "start", "end", "date"}
    for name, df in tables.items():
        t = schema.TABLES[name]
        ws = wb.create_sheet(t.aliases[0])
        ws.append([t.column(c).aliases[0] if t.column(c).aliases else c for c in df.columns])
        for rec in df.itertuples(index=False):
            row = []
            for c, v in zip(df.columns, rec):
                if v == "":
                    row.append(None)
                elif c in numeric:
                    f = float(v)
                    row.append(int(f) if f.is_integer() else f)
                elif c in dates:
                    row.append(dt.datetime.strptime(v, "%Y-%m-%d"))
                elif t.column(c).dtype == "bool":
                    row.append(v in ("true", "是"))
                elif t.column(c).dtype == "vocab":
                    vocab = schema.VOCABULARIES[t.column(c).vocab]
                    row.append(vocab.values[v][0] if vocab.values.get(v) else v)
                else:
                    row.append(v)
            ws.append(row)
    wb.save(path)
    return path


def test_excel_workbook_with_chinese_sheets_dates_numbers(tmp_path):
    english = orgnet.read_dataset(write_csv_dataset(tmp_path / "en", tiny_tables()))
    book = _chinese_workbook(tmp_path / "台账.xlsx", tiny_tables())
    net = orgnet.read_dataset(book)
    assert net == english
    for name in schema.TABLE_ORDER:
        pd.testing.assert_frame_equal(net.tables[name], english.tables[name])
    assert net.ties.loc[0, "start"] == pd.Timestamp("2023-01-10")
    assert net.areas.loc["G111", "population"] == 1200
    # an open binary file works too
    with open(book, "rb") as fh:
        assert orgnet.read_dataset(fh) == english


def test_excel_numeric_ids_become_text(tmp_path):
    tables = tiny_tables()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "areas"
    ws.append(["id", "name", "level", "parent"])
    ws.append([1001, "区", "district", None])
    ws.append([1002.0, "街道", "street", 1001])
    ws2 = wb.create_sheet("organisations")
    ws2.append(["id", "name", "form", "scope", "area"])
    ws2.append(["O1", "区委", "committee", "territorial", 1001])
    wb.save(tmp_path / "n.xlsx")
    net = orgnet.read_dataset(tmp_path / "n.xlsx")
    assert list(net.areas.index) == ["1001", "1002"]
    assert net.areas.loc["1002", "parent"] == "1001"
    del tables


def test_excel_blank_row_keeps_row_numbers(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "areas"
    ws.append(["id", "name", "level", "parent"])
    ws.append(["D1", "区", "district", None])
    ws.append([None, None, None, None])  # row 3 blank
    ws.append(["S1", "街道", "streat", "D1"])  # row 4
    ws2 = wb.create_sheet("organisations")
    ws2.append(["id", "name", "form", "scope", "area"])
    ws2.append(["O1", "区委", "committee", "territorial", "D1"])
    wb.save(tmp_path / "b.xlsx")
    with pytest.raises(orgnet.OrgnetDataError) as info:
        orgnet.read_dataset(tmp_path / "b.xlsx")
    (p,) = info.value.problems
    assert (p.table, p.row, p.column, p.value) == ("areas", 4, "level", "streat")


@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_write_read_round_trip(tmp_path, suffix, tiny_net):
    out = orgnet.write_dataset(tiny_net, tmp_path / f"copy{suffix}")
    back = orgnet.read_dataset(out)
    assert back == tiny_net
    for name in schema.TABLE_ORDER:
        pd.testing.assert_frame_equal(back.tables[name], tiny_net.tables[name])


def test_round_trip_keeps_extra_columns_and_chinese_text(tmp_path):
    tables = tiny_tables()
    tables["units"]["负责人"] = ["张三", "", "李四", "王五", ""]
    net = orgnet.OrgNetwork(**tables)
    assert list(net.units["负责人"].fillna("")) == ["张三", "", "李四", "王五", ""]
    for suffix in ("", ".xlsx"):
        back = orgnet.read_dataset(orgnet.write_dataset(net, tmp_path / f"x{suffix}"))
        pd.testing.assert_frame_equal(back.units, net.units)


@pytest.mark.parametrize("bad", ['=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)"])
def test_formula_cells_are_neutralised(tmp_path, bad):
    tables = tiny_tables()
    tables["units"].loc[0, "name"] = bad
    tables["ties"].loc[0, "note"] = bad
    net = orgnet.OrgNetwork(**tables)
    folder = orgnet.write_dataset(net, tmp_path / "csv")
    text = (folder / "units.csv").read_text(encoding="utf-8-sig")
    line = text.splitlines()[1]
    assert line.split(",", 1)[1].lstrip('"').startswith("'"), line
    book = orgnet.write_dataset(net, tmp_path / "x.xlsx")
    wb = openpyxl.load_workbook(book)
    cell = wb["units"]["B2"]
    assert cell.value == bad and cell.data_type == "s"
    for back in (orgnet.read_dataset(folder), orgnet.read_dataset(book)):
        assert back.units.loc["U1", "name"] == bad
        assert back.ties.loc[0, "note"] == bad


def test_read_dataset_errors(tmp_path):
    with pytest.raises(orgnet.OrgnetError, match="No such file"):
        orgnet.read_dataset(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(orgnet.OrgnetError, match="holds no table files"):
        orgnet.read_dataset(tmp_path / "empty")
    (tmp_path / "a.csv").write_text("id\n")
    with pytest.raises(orgnet.OrgnetError, match="folder of CSV files"):
        orgnet.read_dataset(tmp_path / "a.csv")
    (tmp_path / "old.xls").write_bytes(b"x")
    with pytest.raises(orgnet.OrgnetError, match=r"\.xlsx"):
        orgnet.read_dataset(tmp_path / "old.xls")


def test_two_files_for_one_table(tmp_path):
    folder = write_csv_dataset(tmp_path, tiny_tables())
    tiny_tables()["areas"].to_csv(folder / "区域.csv", index=False)
    with pytest.raises(orgnet.OrgnetDataError, match="two files hold table 'areas'"):
        orgnet.read_dataset(folder)


# ------------------------------------------------------------------ graph export


def test_graph_export_formats(tmp_path, tiny_net):
    g = tiny_net.graph
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        p = orgnet.write_graph(tiny_net, tmp_path / f"g.{fmt}")
        h = reader(p)
        assert h.number_of_nodes() == g.number_of_nodes() == 13 + 8 + 5 + 2
        assert h.number_of_edges() == g.number_of_edges()
        assert h.nodes["C11"]["name"] == "春晖社区"
        assert h.nodes["C11"]["kind"] == "area"
    data = json.loads((orgnet.write_graph(tiny_net, tmp_path / "g.json")).read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 28 and len(data["links"]) == g.number_of_edges()
    back = nx.node_link_graph(data, edges="links")
    tie = [d for _, _, d in back.edges(data=True) if d["kind"] == "instructor"][0]
    assert tie["start"] == "2023-01-01" and tie["end"] == "2024-12-31"
    with pytest.raises(orgnet.OrgnetParameterError, match="'format' parameter of write_graph"):
        orgnet.write_graph(tiny_net, tmp_path / "g.txt")
