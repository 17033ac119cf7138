"""Fuzz tests of reading: valid datasets transformed and corrupted in the ways
ledgers are (cells, rows, columns, encodings, Excel oddities).

Every outcome must be either a network equal to what a careful human reads in
the files, or an :class:`~orgnet.OrgnetDataError` whose problems locate the
corrupted cell (table, row as the user sees it — header = row 1 — and
column); never another exception, never a changed or dropped row without a
problem.

Cases are generated with hypothesis (``st.data()`` draws which transformation
hits which cell): 3,000 generated cases per run (600 benign CSV, 100 benign xlsx,
200 write->read round trips, 1,850 corrupted CSV, 150 corrupted xlsx, 100 undecodable
files; ``ORGNET_FUZZ_SCALE`` multiplies them). With ``CI=true`` the runs are derandomized (the same cases
every run) and use no example database.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import orgnet
from orgnet import schema

from conftest import tiny_tables

CI = os.environ.get("CI") == "true"
DEMO = Path(orgnet.datasets.path("demo"))


#: scale of the example counts (ORGNET_FUZZ_SCALE=0.1 for a quick run, 10 for a long one)
SCALE = float(os.environ.get("ORGNET_FUZZ_SCALE", "1"))


def N(n: int) -> int:
    return max(1, round(n * SCALE))


def _settings(n: int):
    kw = dict(max_examples=n, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    if CI:
        kw.update(derandomize=True, database=None)
    return settings(**kw)


def _demo_tables() -> dict[str, pd.DataFrame]:
    return {f.stem: pd.read_csv(f, dtype=str, keep_default_na=False) for f in sorted(DEMO.glob("*.csv"))}


BASES = {"tiny": tiny_tables, "demo": _demo_tables}
#: the CSV fuzzers' bases: one case in eight on the demo (13 tables, ~600 rows: a demo case
#: costs about ten tiny ones), the rest on the tiny fixture
DEMO_EIGHTH = ["tiny"] * 7 + ["demo"]
_REFS: dict[str, orgnet.OrgNetwork] = {}


def reference(base: str) -> orgnet.OrgNetwork:
    """The network a careful human reads in the untouched dataset."""
    if base not in _REFS:
        _REFS[base] = orgnet.OrgNetwork(**BASES[base](), name=base)
    return _REFS[base]


# ---------------------------------------------------------------- cases


@dataclass
class Sheet:
    """One table as it will be written: header cells, rows of cells, and for
    every row the index of the base row it holds (None: a blank row)."""

    name: str  # file stem / sheet name
    header: list
    rows: list[list]
    origin: list[int | None]
    title_rows: int = 0  # rows above the header (xlsx only)

    def user_row(self, base_row: int) -> int:
        """The row number the user sees for a base row (header = row 1)."""
        return self.title_rows + 2 + self.origin.index(base_row)


@dataclass
class Case:
    base: str
    sheets: dict[str, Sheet]
    fmt: str = "csv"
    encodings: dict[str, str] = field(default_factory=dict)
    empty_lines: bool = False  # blank rows as empty lines instead of ",,,"
    crlf: bool = False  # CSV lines end with \r\n (as Excel on Windows writes them)
    notes: list[str] = field(default_factory=list)

    def __str__(self):
        lines = [f"base={self.base} fmt={self.fmt} encodings={self.encodings} "
                 f"empty_lines={self.empty_lines} crlf={self.crlf}"] + self.notes
        for t, s in self.sheets.items():
            lines.append(f"  {t} as {s.name!r}: header={s.header} title_rows={s.title_rows}")
            lines += [f"    {r}" for r in s.rows]
        return "\n".join(lines)


def plain_case(base: str) -> Case:
    sheets = {}
    for t, df in BASES[base]().items():
        sheets[t] = Sheet(t, list(df.columns), [list(r) for r in df.itertuples(index=False)],
                          list(range(len(df))))
    return Case(base, sheets)


def column_of(sheet: Sheet, table: str, name: str) -> int:
    lookup = schema.TABLES[table].header_lookup()
    for i, h in enumerate(sheet.header):
        if lookup.get(str(h).strip().lower()) == name:
            return i
    raise KeyError(name)


# ---------------------------------------------------------------- writing


def write_case(case: Case, folder: Path) -> Path:
    if case.fmt == "xlsx":
        return _write_xlsx(case, folder / "ledger.xlsx")
    folder.mkdir(parents=True, exist_ok=True)
    for t, s in case.sheets.items():
        df = pd.DataFrame(s.rows, columns=range(len(s.header)), dtype=object)
        # Windows line ends (as Excel writes them); then a cell holding a
        # carriage return is quoted, as it must be to stay in its cell
        lt = "\r\n" if case.crlf or any("\r" in str(v) for r in s.rows for v in r) else "\n"
        buf = io.StringIO()
        pd.DataFrame([s.header]).to_csv(buf, index=False, header=False, lineterminator=lt)
        df.to_csv(buf, index=False, header=False, lineterminator=lt)
        text = buf.getvalue()
        if case.empty_lines:
            blank = "," * (len(s.header) - 1)
            text = lt.join("" if ln == blank else ln for ln in text.split(lt))
        enc = case.encodings.get(t, "utf-8")
        if enc == "utf-16":
            data = text.encode("utf-16")
        else:
            data = text.encode(enc)
        (folder / f"{s.name}.csv").write_bytes(data)
    return folder


def _excel_value(table: str, header, v):
    """A cell as Excel would hold it: numbers as numbers, dates as dates,
    booleans as booleans; text stays text."""
    if not isinstance(v, str) or not v.strip():
        return v if not isinstance(v, str) else (None if v == "" else v)
    canon = schema.TABLES[table].header_lookup().get(str(header).strip().lower())
    if canon is None:
        return v
    col = schema.TABLES[table].column(canon)
    s = v.strip().replace(",", "")
    try:
        if col.dtype in ("int", "float"):
            f = float(s)
            if not math.isfinite(f):
                return v
            return int(s) if col.dtype == "int" and re.fullmatch(r"[+-]?\d+", s) else f
        if col.dtype == "date" and _EXCEL_DATE.fullmatch(s):
            y, m, d = (int(x) for x in re.findall(r"\d+", s)[:3])
            return dt.datetime(y, m, d)
        if col.dtype == "bool" and s.lower() in ("true", "false"):
            return s.lower() == "true"
    except ValueError:
        return v
    return v


_EXCEL_DATE = re.compile(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?: 00:00:00)?")


def _write_xlsx(case: Case, path: Path) -> Path:
    import openpyxl

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for t, s in case.sheets.items():
        ws = wb.create_sheet(s.name)
        for _ in range(s.title_rows):
            ws.append([f"{t} 台账（示范区）"])
        ws.append(list(s.header))
        for r in s.rows:
            ws.append([_excel_value(t, h, v) for h, v in zip(s.header, r)])
    wb.save(path)
    return path


# ---------------------------------------------------------------- reading


@dataclass
class Outcome:
    net: orgnet.OrgNetwork | None = None
    data_error: orgnet.OrgnetDataError | None = None
    error: orgnet.OrgnetError | None = None


def attempt(case: Case, folder: Path, *, file_errors: bool = False) -> Outcome:
    """Write and read ``case``; fail on any exception but the allowed ones."""
    path = write_case(case, folder)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return Outcome(net=orgnet.read_dataset(path))
    except orgnet.OrgnetDataError as err:
        return Outcome(data_error=err)
    except orgnet.OrgnetError as err:
        if file_errors:
            return Outcome(error=err)
        pytest.fail(f"read_dataset raised OrgnetError (not a located data error): {err}\ncase:\n{case}")
    except Exception as err:  # noqa: BLE001 - any other exception is a failure; report it whole
        pytest.fail(f"read_dataset raised {type(err).__name__}: {err}\n{traceback.format_exc()}\ncase:\n{case}")


def canon_tables(net: orgnet.OrgNetwork) -> dict[str, pd.DataFrame]:
    """Tables in an order-free form: entity tables sorted by id, ties by content,
    extra columns after the documented ones in name order."""
    out = {}
    for name, df in net.tables.items():
        cols = schema.TABLES[name].column_names
        known = [c for c in cols if c in df.columns]
        extra = sorted(c for c in df.columns if c not in cols)
        df = df[known + extra]
        if schema.TABLES[name].indexed:
            df = df.sort_index(kind="stable")
        else:
            order = sorted(range(len(df)), key=lambda i: tuple(str(v) for v in df.iloc[i]))
            df = df.iloc[order].reset_index(drop=True)
        out[name] = df
    return out


def assert_same_network(got: orgnet.OrgNetwork, want: orgnet.OrgNetwork, case, *, ordered=False):
    if ordered:
        a, b = got.tables, want.tables
    else:
        a, b = canon_tables(got), canon_tables(want)
    for t in schema.TABLE_ORDER:
        if not a[t].equals(b[t]):
            pytest.fail(f"table {t!r} differs from what the files say:\n{_diff(a[t], b[t])}\ncase:\n{case}")


def _diff(got: pd.DataFrame, want: pd.DataFrame) -> str:
    """Where two tables differ: shape, index, columns, dtypes, first differing cells."""
    out = []
    if list(got.columns) != list(want.columns):
        out.append(f"columns {list(got.columns)} != expected {list(want.columns)}")
    if not got.index.equals(want.index) or got.index.dtype != want.index.dtype:
        out.append(f"index {list(got.index)} ({got.index.dtype}) != expected {list(want.index)} "
                   f"({want.index.dtype})")
    for c in [c for c in got.columns if c in want.columns]:
        x, y = got[c], want[c]
        if x.equals(y):
            continue
        if x.dtype != y.dtype:
            out.append(f"column {c!r}: dtype {x.dtype} != expected {y.dtype}")
        if len(x) == len(y):
            bad = [(i, u, v) for i, u, v in zip(range(len(x)), x.astype(object), y.astype(object))
                   if repr(u) != repr(v)]
            out += [f"column {c!r} row {i}: {u!r} != expected {v!r}" for i, u, v in bad[:5]]
    return "\n".join(out) or "(no difference found cell by cell)"


def assert_located(err: orgnet.OrgnetDataError, where: list[tuple], case, what: str):
    """One of the problems sits at one of ``where`` ((table, row, column); row
    or column None = any)."""
    def hits(p, w):
        t, r, c = w
        return p.table == t and (r is None or p.row == r) and (c is None or p.column == c)

    if not any(hits(p, w) for p in err.problems for w in where):
        listed = "\n".join(f"  {p.table} row {p.row} col {p.column!r}: {p.message}" for p in err.problems)
        pytest.fail(f"{what}: no problem at {where}; problems:\n{listed}\ncase:\n{case}")


# ---------------------------------------------------------------- benign transformations

_ALIAS_TABLE = {t: [t, *schema.TABLES[t].aliases] for t in schema.TABLE_ORDER}


def _variant(col: schema.Column, v: str, draw) -> str:
    """A spelling of cell ``v`` a careful human reads as the same value."""
    if not isinstance(v, str) or not v.strip() or col.dtype == "text":
        return v
    pad = draw(st.sampled_from(["", "", " ", "  ", "\t", "\u3000"]))
    pad2 = draw(st.sampled_from(["", "", " ", "  "]))
    if col.dtype == "vocab":
        voc = schema.VOCABULARIES[col.vocab]
        canon = voc.canonical(v)
        spellings = [canon, canon.upper(), canon.title(), *voc.values[canon]]
        v = draw(st.sampled_from(spellings))
    elif col.dtype == "bool":
        truth = v.strip().lower() in schema.BOOL_TRUE
        words = schema.BOOL_TRUE if truth else schema.BOOL_FALSE
        v = draw(st.sampled_from(list(words) + [words[0].upper()]))
    elif col.dtype == "date":
        ts = pd.Timestamp(v)
        v = draw(st.sampled_from([
            v, f"{ts.year}/{ts.month}/{ts.day}", f"{ts.year}年{ts.month}月{ts.day}日",
            f"{ts.year}.{ts.month:02d}.{ts.day:02d}", f"{ts:%Y-%m-%d} 00:00:00",
        ]))
    elif col.dtype == "int":
        n = int(v)
        v = draw(st.sampled_from([v, f"{n:,}"] if n >= 1000 else [v]))
    elif col.dtype == "float":
        x = float(v)
        v = draw(st.sampled_from([v, repr(x), v + "0" if "." in v else v + ".0"]))
    return pad + v + pad2


@st.composite
def benign_case(draw, base: str, fmt: str) -> Case:
    case = plain_case(base)
    case.fmt = fmt
    for t, s in case.sheets.items():
        table = schema.TABLES[t]
        cols = [table.column(schema.TABLES[t].header_lookup()[h.lower()]) for h in s.header]
        # cells spelled differently
        if draw(st.booleans()):
            s.rows = [[_variant(c, v, draw) for c, v in zip(cols, r)] for r in s.rows]
        # headers: English, Chinese alias, other case, padded
        if draw(st.booleans()):
            s.header = [draw(st.sampled_from([c.name, c.name.upper(), f" {c.name} ", *c.aliases]))
                        for c in cols]
            # two columns may share an alias (党员数, 类型): keep each header unambiguous
            seen = set()
            for i, (h, c) in enumerate(zip(s.header, cols)):
                key = h.strip().lower()
                if key in seen or table.header_lookup().get(key) != c.name:
                    s.header[i] = c.name
                seen.add(s.header[i].strip().lower())
        # column order
        if draw(st.booleans()):
            perm = draw(st.permutations(range(len(s.header))))
            s.header = [s.header[i] for i in perm]
            s.rows = [[r[i] for i in perm] for r in s.rows]
        # row order
        if len(s.rows) > 1 and draw(st.booleans()):
            perm = draw(st.permutations(range(len(s.rows))))
            s.rows = [s.rows[i] for i in perm]
            s.origin = [s.origin[i] for i in perm]
        # blank rows between data rows
        for _ in range(draw(st.integers(0, 2))):
            at = draw(st.integers(0, len(s.rows)))
            s.rows.insert(at, [""] * len(s.header) if fmt == "csv" else [None] * len(s.header))
            s.origin.insert(at, None)
        s.name = draw(st.sampled_from(_ALIAS_TABLE[t]))
        if fmt == "xlsx":
            s.title_rows = draw(st.sampled_from([0, 0, 0, 1]))
        else:
            case.encodings[t] = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    case.empty_lines = fmt == "csv" and draw(st.booleans())
    case.crlf = fmt == "csv" and draw(st.booleans())
    return case


@_settings(N(400))
@given(data=st.data())
def test_benign_csv_gives_equal_network(tmp_path_factory, data):
    base = data.draw(st.sampled_from(DEMO_EIGHTH))
    case = data.draw(benign_case(base, "csv"))
    out = attempt(case, tmp_path_factory.mktemp("c"))
    if out.net is None:
        pytest.fail(f"a benign change was refused:\n{out.data_error}\ncase:\n{case}")
    assert_same_network(out.net, reference(base), case)


@_settings(N(100))
@given(data=st.data())
def test_benign_xlsx_gives_equal_network(tmp_path_factory, data):
    base = data.draw(st.sampled_from(["tiny", "tiny", "demo"]))
    case = data.draw(benign_case(base, "xlsx"))
    out = attempt(case, tmp_path_factory.mktemp("x"))
    if out.net is None:
        pytest.fail(f"a benign change was refused:\n{out.data_error}\ncase:\n{case}")
    assert_same_network(out.net, reference(base), case)


def test_per_file_encodings_and_bom(tmp_path):
    case = plain_case("tiny")
    encs = ["utf-8", "utf-8-sig", "gb18030"]
    case.encodings = {t: encs[i % 3] for i, t in enumerate(case.sheets)}
    out = attempt(case, tmp_path)
    assert out.net is not None, out.data_error
    assert_same_network(out.net, reference("tiny"), case, ordered=True)


# ---------------------------------------------------------------- write -> read

_HOSTILE = ["=1+1", "+86 138", "-5", "@home", "'quoted", "''=x", "'=x", "  padded  ", "a,b", 'say "hi"',
            "line\nbreak", "tab\there", "00123", "1e5", "TRUE", "NaN", "null", "—", "😀𠀀", "<&>",
            "合计", "#N/A", " ", "\u3000全角空格\u3000", "=HYPERLINK(\"x\")", "\\", "%s"]
TEXT_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                           include_characters="\t\n", exclude_characters="\ufffe\uffff")
HOSTILE_TEXT = st.one_of(st.sampled_from(_HOSTILE), st.text(TEXT_CHARS, min_size=1, max_size=12),
                         st.lists(st.sampled_from(_HOSTILE), min_size=1, max_size=3).map("".join))
#: text for a required cell: not only white space
FILLED_TEXT = HOSTILE_TEXT.map(lambda s: s if s.strip() else s + "x")

_VALID = {
    "int": st.one_of(st.integers(0, 10**6), st.integers(0, 2**63 - 1), st.sampled_from([0, 2**53 + 1])).map(str),
    "float": st.one_of(st.floats(0, 1e12, allow_nan=False, allow_infinity=False),
                       st.sampled_from([0.1, 1e-7, 123456789.123, 5e-324])).map(repr),
    "lon": st.floats(-180, 180, allow_nan=False).map(repr),
    "lat": st.floats(-90, 90, allow_nan=False).map(repr),
    "date": st.dates(pd.Timestamp("1677-09-22").date(), pd.Timestamp("2262-04-11").date()).map(str),
}


@st.composite
def accepted_tables(draw):
    """The tiny tables with unusual values read_dataset accepts: hostile text,
    extra columns, big and small numbers, far dates."""
    t = tiny_tables()
    for table, col in (("areas", "name"), ("organisations", "name"), ("units", "name"),
                       ("stations", "name"), ("ties", "note"), ("projects", "name"),
                       ("areas", "geometry")):
        df = t[table]
        for r in draw(st.lists(st.integers(0, len(df) - 1), max_size=3, unique=True)):
            df.loc[r, col] = draw(FILLED_TEXT if col == "name" else HOSTILE_TEXT)
    for table, col, kind in (("areas", "population", "int"), ("units", "employees", "int"),
                             ("organisations", "members", "int"), ("stations", "floor_area_m2", "float"),
                             ("projects", "value", "float"), ("areas", "lon", "lon"), ("areas", "lat", "lat"),
                             ("organisations", "established", "date"), ("demands", "date", "date")):
        df = t[table]
        for r in draw(st.lists(st.integers(0, len(df) - 1), max_size=2, unique=True)):
            df.loc[r, col] = draw(_VALID[kind])
    for table in draw(st.lists(st.sampled_from(["areas", "units", "ties"]), max_size=2, unique=True)):
        df = t[table]
        header = draw(HOSTILE_TEXT.map(str.strip).filter(
            lambda h: h and h.lower() not in schema.TABLES[table].header_lookup()
            and not h.startswith("Unnamed") and h not in df.columns))
        df[header] = draw(st.lists(st.one_of(st.just(""), HOSTILE_TEXT), min_size=len(df), max_size=len(df)))
    return t


@_settings(N(200))
@given(tables=accepted_tables(), fmt=st.sampled_from(["csv", "xlsx", "gb18030"]))
def test_write_dataset_round_trip_keeps_every_accepted_value(tmp_path_factory, tables, fmt):
    folder = tmp_path_factory.mktemp("r")
    case = Case("tiny", {t: Sheet(t, list(df.columns), [list(r) for r in df.itertuples(index=False)],
                                  list(range(len(df)))) for t, df in tables.items()})
    first = attempt(case, folder / "in")
    if first.net is None:
        # a value chosen to be valid was refused: report it as a reader bug
        pytest.fail(f"read_dataset refused values the data format accepts:\n{first.data_error}\ncase:\n{case}")
    net = first.net
    if fmt == "xlsx":
        out = orgnet.write_dataset(net, folder / "out.xlsx")
    else:
        out = orgnet.write_dataset(net, folder / "out", **({"encoding": "gb18030"} if fmt == "gb18030" else {}))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            back = orgnet.read_dataset(out)
    except Exception as err:  # noqa: BLE001 - report any exception with the case
        pytest.fail(f"reading what write_dataset wrote raised {type(err).__name__}: {err}\ncase:\n{case}")
    assert_same_network(back, net, f"write_dataset({fmt}) of\n{case}", ordered=True)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_demo_round_trip(tmp_path, fmt):
    net = orgnet.datasets.load("demo")
    out = orgnet.write_dataset(net, tmp_path / ("d.xlsx" if fmt == "xlsx" else "d"))
    assert orgnet.read_dataset(out) == net


# ---------------------------------------------------------------- corruptions

#: bad values per column type: (label, value); every one breaks a rule of DATA_FORMAT.md
_BAD = {
    "int": [("garbage", "abc"), ("negative", "-3"), ("fraction", "2.5"), ("infinite", "inf"),
            ("two numbers", "12 13"), ("unit suffix", "12人")],
    "float": [("garbage", "abc"), ("infinite", "inf"), ("two numbers", "1.2.3"), ("nan text", "NaN?")],
    "date": [("invalid day", "2023-02-30"), ("invalid month", "2023-13-01"), ("garbage", "yesterday"),
             ("partial", "2023-05"), ("time of day", "2023-05-01 10:30")],
    "bool": [("garbage", "maybe"), ("number", "2")],
    "vocab": [("unknown", "xyz"), ("misspelt", "comunity")],
    "ref": [("unknown id", "NOPE-404")],
    "id": [("empty", "")],
}
#: range violations per column (label, value)
_OUT_OF_RANGE = {
    "lon": ("longitude > 180", "200"), "lat": ("latitude < -90", "-91"),
    "radius_m": ("radius 0", "0"), "count": ("count 0", "0"), "quantity": ("quantity 0", "0"),
    "capacity": ("capacity negative", "-1"), "floor_area_m2": ("area negative", "-5"),
}

#: every distinct bad-input class the corruptions below draw from (counted in the report)
BAD_INPUT_CLASSES = (
    {f"{dtype}: {label}" for dtype, bad in _BAD.items() for label, _ in bad}
    | {f"range: {label}" for label, _ in _OUT_OF_RANGE.values()}
    | {"required cell emptied", "required column deleted", "duplicate id (same table)",
       "duplicate id (other table)", "entity row duplicated", "required header misspelt", "reference to the wrong kind of entity",
       "tie ends before it starts", "tie to itself", "parent cycle", "level nesting upward",
       "territorial organisation without area", "unit-scoped organisation without unit",
       "undecodable bytes in a cell", "file saved as UTF-16", "duplicate column", "values without header",
       "formula without cached value (xlsx)", "text in a numeric Excel column (xlsx)",
       "title row above the header (xlsx)", "totals row below the data (xlsx)"}
    | {f"control character {ch!r}" for ch in ["\x00", "\x01", "\x07", "\x0b", "\x1b", "\r", "\x7f", "\x85"]}
)


def _cells(case: Case, table: str, dtype: str | None = None, name: str | None = None):
    s = case.sheets[table]
    out = []
    for ci, h in enumerate(s.header):
        col = schema.TABLES[table].column(schema.TABLES[table].header_lookup()[h.lower()])
        if (dtype is None or col.dtype == dtype) and (name is None or col.name == name):
            out += [(ri, ci, col) for ri in range(len(s.rows))]
    return out


@st.composite
def corruption(draw, base: str, fmt: str):
    """A valid case with one corruption; returns (case, where, label) where
    ``where`` lists acceptable problem locations, or None when the corruption
    may be benign (then an equal network is also acceptable)."""
    case = plain_case(base)
    case.fmt = fmt
    if fmt == "csv":
        case.encodings = {t: draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"])) for t in case.sheets}
    kind = draw(st.sampled_from(["bad cell", "bad cell", "bad cell", "range", "empty required",
                                 "control character", "header typo",
                                 "drop column", "duplicate id", "duplicate row", "wrong kind",
                                 "tie backwards", "tie to itself", "cycle", "nest upward",
                                 "territorial no area", "unit no unit"]))
    tables = [t for t, s in case.sheets.items() if s.rows]
    if kind == "bad cell":
        t = draw(st.sampled_from(tables))
        cells = [c for c in _cells(case, t) if c[2].dtype in _BAD
                 and (c[2].vocab is None or schema.VOCABULARIES[c[2].vocab].closed)]
        ri, ci, col = draw(st.sampled_from(cells))
        label, value = draw(st.sampled_from(_BAD[col.dtype]))
        if col.dtype == "id":
            value = ""
        return _set(case, t, ri, ci, value, f"{col.dtype}: {label}")
    if kind == "range":
        options = [(t, c) for t in tables for c in _cells(case, t) if c[2].name in _OUT_OF_RANGE]
        t, (ri, ci, col) = draw(st.sampled_from(options))
        label, value = _OUT_OF_RANGE[col.name]
        return _set(case, t, ri, ci, value, f"range: {label}")
    if kind == "control character":
        t = draw(st.sampled_from(tables))
        ri, ci, col = draw(st.sampled_from(_cells(case, t)))
        old = case.sheets[t].rows[ri][ci]
        # (an .xlsx file cannot hold C0 controls, and turns a carriage return into a line feed)
        chars = ["\x7f", "\x85"] if fmt == "xlsx" else ["\x00", "\x01", "\x07", "\x0b", "\x1b", "\r",
                                                         "\x7f", "\x85"]
        ch = draw(st.sampled_from(chars))
        at = draw(st.integers(0, len(old)))
        return _set(case, t, ri, ci, old[:at] + ch + old[at:], f"control character {ch!r}")
    if kind == "header typo":
        t = draw(st.sampled_from(tables))
        s = case.sheets[t]
        req = [i for i, h in enumerate(s.header) if schema.TABLES[t].column(h).required]
        ci = draw(st.sampled_from(req))
        name = s.header[ci]
        s.header[ci] = name[:-1] + "_" + name[-1]  # a typo: the column is unknown, kept as extra
        case.notes.append(f"header typo {name!r} -> {s.header[ci]!r} in {t}")
        return case, [(t, None, name), (t, 1, name)], "required header misspelt"
    if kind == "empty required":
        options = [(t, c) for t in tables for c in _cells(case, t) if c[2].required]
        t, (ri, ci, col) = draw(st.sampled_from(options))
        return _set(case, t, ri, ci, "", "required cell emptied")
    if kind == "drop column":
        t = draw(st.sampled_from(tables))
        s = case.sheets[t]
        req = [i for i, h in enumerate(s.header) if schema.TABLES[t].column(h).required]
        ci = draw(st.sampled_from(req))
        name = s.header[ci]
        del s.header[ci]
        for r in s.rows:
            del r[ci]
        case.notes.append(f"deleted required column {t}.{name}")
        return case, [(t, None, name)], "required column deleted"
    if kind == "duplicate id":
        ent = [t for t in tables if schema.TABLES[t].indexed]
        t = draw(st.sampled_from(ent))
        other = draw(st.sampled_from(ent))
        s, o = case.sheets[t], case.sheets[other]
        ri = draw(st.integers(0, len(s.rows) - 1))
        oi = draw(st.integers(0, len(o.rows) - 1))
        ci, oc = column_of(s, t, "id"), column_of(o, other, "id")
        if (t, ri) == (other, oi):
            return case, None, "no change"
        dup = o.rows[oi][oc]
        case, _, _ = _set(case, t, ri, ci, dup, "duplicate id")
        where = [(t, s.user_row(ri), "id"), (other, o.user_row(oi), "id")]
        return case, where, "duplicate id (same table)" if t == other else "duplicate id (other table)"
    if kind == "duplicate row":
        ent = [t for t in tables if schema.TABLES[t].indexed]
        t = draw(st.sampled_from(ent))
        s = case.sheets[t]
        ri = draw(st.integers(0, len(s.rows) - 1))
        at = draw(st.integers(0, len(s.rows)))
        s.rows.insert(at, list(s.rows[ri]))
        s.origin.insert(at, -1)  # the copy
        case.notes.append(f"duplicated {t} row {ri} at position {at}")
        first, second = sorted([s.origin.index(-1), s.origin.index(ri)])
        return case, [(t, second + 2, "id")], "entity row duplicated"
    if kind == "wrong kind":
        # an area reference pointing at a unit
        options = [(t, c) for t in tables for c in _cells(case, t)
                   if c[2].dtype == "ref" and c[2].refs == ("areas",)]
        t, (ri, ci, col) = draw(st.sampled_from(options))
        unit = case.sheets["units"].rows[0][column_of(case.sheets["units"], "units", "id")]
        return _set(case, t, ri, ci, unit, "reference to the wrong kind of entity")
    if kind in ("tie backwards", "tie to itself"):
        s = case.sheets["ties"]
        ri = draw(st.integers(0, len(s.rows) - 1))
        if kind == "tie backwards":
            ci = column_of(s, "ties", "end")
            return _set(case, "ties", ri, ci, "1999-01-01", "tie ends before it starts",
                        cols=("end", "start"))
        ci = column_of(s, "ties", "target")
        src = s.rows[ri][column_of(s, "ties", "source")]
        return _set(case, "ties", ri, ci, src, "tie to itself", cols=("target", "source"))
    if kind == "cycle":
        t = draw(st.sampled_from(["areas", "organisations"]))
        s = case.sheets[t]
        pc, ic = column_of(s, t, "parent"), column_of(s, t, "id")
        # the root of a tree takes one of its descendants as parent
        parent = {r[ic]: r[pc] for r in s.rows}
        root = next(i for i, r in enumerate(s.rows) if not r[pc])

        def top(x):
            while parent.get(x):
                x = parent[x]
            return x

        kids = [i for i, r in enumerate(s.rows) if r[pc] and top(r[ic]) == s.rows[root][ic]]
        ri = draw(st.sampled_from(kids))
        return _set(case, t, root, pc, s.rows[ri][ic], "parent cycle", cols=("parent", "level"),
                    anywhere=True)
    if kind == "nest upward":
        s = case.sheets["areas"]
        lc = column_of(s, "areas", "level")
        ri = draw(st.sampled_from([i for i, r in enumerate(s.rows) if r[lc] in ("grid", "compound")]))
        return _set(case, "areas", ri, lc, "district", "level nesting upward",
                    cols=("level", "parent"), anywhere=True)
    s = case.sheets["organisations"]
    sc = column_of(s, "organisations", "scope")
    want = "territorial" if kind == "territorial no area" else "unit"
    rows = [i for i, r in enumerate(s.rows) if r[sc] == want]
    ri = draw(st.sampled_from(rows))
    ci = column_of(s, "organisations", "area" if want == "territorial" else "unit")
    label = ("territorial organisation without area" if want == "territorial"
             else "unit-scoped organisation without unit")
    return _set(case, "organisations", ri, ci, "", label)


def _set(case, table, ri, ci, value, label, *, cols=None, anywhere=False):
    s = case.sheets[table]
    old = s.rows[ri][ci]
    s.rows[ri][ci] = value
    column = schema.TABLES[table].header_lookup()[s.header[ci].lower()]
    case.notes.append(f"{label}: {table} row {s.user_row(s.origin[ri])} column {column!r}: {old!r} -> {value!r}")
    row = s.user_row(s.origin[ri])
    if anywhere:  # a cycle or a nesting is reported on one of the rows it involves
        where = [(table, None, c) for c in cols]
    else:
        where = [(table, row, c) for c in (cols or (column,))]
    if old == value:
        return case, None, label
    return case, where, label


def _check_corruption(case, where, label, out, base):
    if out.net is not None:
        if where is None:
            assert_same_network(out.net, reference(base), case)
            return
        pytest.fail(f"corruption {label!r} was read without a problem:\ncase:\n{case}")
    if where is None:
        return
    assert_located(out.data_error, where, case, label)


@_settings(N(1200))
@given(data=st.data())
def test_corrupted_csv_is_located(tmp_path_factory, data):
    base = data.draw(st.sampled_from(DEMO_EIGHTH))
    case, where, label = data.draw(corruption(base, "csv"))
    out = attempt(case, tmp_path_factory.mktemp("k"))
    _check_corruption(case, where, label, out, base)


@_settings(N(150))
@given(data=st.data())
def test_corrupted_xlsx_is_located(tmp_path_factory, data):
    case, where, label = data.draw(corruption("tiny", "xlsx"))
    out = attempt(case, tmp_path_factory.mktemp("k"))
    _check_corruption(case, where, label, out, "tiny")


# ---------------------------------------------------------------- file-level oddities


def test_utf16_file_is_refused_by_name(tmp_path):
    case = plain_case("tiny")
    case.encodings["units"] = "utf-16"
    out = attempt(case, tmp_path, file_errors=True)
    assert out.error is not None and "units.csv" in str(out.error) and "UTF-16" in str(out.error)


@_settings(N(100))
@given(data=st.data())
def test_undecodable_bytes_are_refused_not_garbled(tmp_path_factory, data):
    """A cell holding bytes that are neither UTF-8 nor GB18030: the file is
    refused as a whole, naming it; never read as something else."""
    case = plain_case("tiny")
    t = data.draw(st.sampled_from(["areas", "units", "ties"]))
    folder = write_case(case, tmp_path_factory.mktemp("b"))
    path = folder / f"{t}.csv"
    raw = path.read_bytes().split(b"\n")
    line = data.draw(st.integers(1, len(raw) - 2))
    junk = data.draw(st.sampled_from([b"\xff", b"\x80\xff", b"\xfe\xfe"]))
    raw[line] = raw[line] + junk
    path.write_bytes(b"\n".join(raw))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            net = orgnet.read_dataset(folder)
    except orgnet.OrgnetDataError as err:
        assert_located(err, [(t, line + 1, None)], f"junk {junk!r} on line {line + 1} of {t}.csv", "junk bytes")
        return
    except orgnet.OrgnetError as err:
        assert f"{t}.csv" in str(err)
        return
    except Exception as err:  # noqa: BLE001
        pytest.fail(f"read_dataset raised {type(err).__name__}: {err}")
    pytest.fail(f"junk bytes {junk!r} on line {line + 1} of {t}.csv were read silently: {net!r}")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_duplicate_header_and_headerless_values_are_located(tmp_path, fmt):
    case = plain_case("tiny")
    case.fmt = fmt
    s = case.sheets["units"]
    s.header.append("名称")  # a second 'name'
    s.header.append("")  # values without a header
    for r in s.rows:
        r += ["x", "y"]
    out = attempt(case, tmp_path)
    assert out.data_error is not None
    assert_located(out.data_error, [("units", 1, "name"), ("units", None, "name")], case, "duplicate column")
    assert any(p.table == "units" and "no header" in p.message for p in out.data_error.problems), \
        out.data_error


def test_xlsx_title_row_and_totals_row(tmp_path):
    """A title row above the header and a totals row below the data, as ledgers
    are kept: the network is what the data rows say."""
    case = plain_case("tiny")
    case.fmt = "xlsx"
    s = case.sheets["areas"]
    s.title_rows = 1
    pc = column_of(s, "areas", "population")
    total = sum(int(r[pc]) for r in s.rows if r[pc])
    s.rows.append(["合计", "", "", "", str(total)] + [""] * (len(s.header) - 5))
    s.origin.append(None)
    out = attempt(case, tmp_path)
    assert out.net is not None, out.data_error
    assert_same_network(out.net, reference("tiny"), case, ordered=True)
    assert list(out.net.source_rows("areas"))[:2] == [3, 4]


def test_xlsx_text_in_numeric_and_formula_without_value(tmp_path):
    import openpyxl

    case = plain_case("tiny")
    case.fmt = "xlsx"
    path = write_case(case, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["areas"]
    ws["E8"] = "一千二"  # population of G111 (row 8) as text
    ws["F8"] = "=E8/3"  # households as a formula without a cached value
    wb.save(path)
    try:
        orgnet.read_dataset(path)
    except orgnet.OrgnetDataError as err:
        assert_located(err, [("areas", 8, "population")], "E8 = 一千二", "text in a numeric column")
        assert_located(err, [("areas", 8, "households"), ("areas", 8, None)], "F8 = formula", "formula")
    else:
        pytest.fail("text in a numeric column and a formula without value were read without a problem")


def test_xlsx_merged_cells_are_read_as_shown(tmp_path):
    """Merged cells over rows holding the same value: the value belongs to each
    row, as the user sees it."""
    import openpyxl

    case = plain_case("tiny")
    case.fmt = "xlsx"
    path = write_case(case, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["organisations"]
    ws.merge_cells("C2:C5")  # form: committee for O1..O4
    ws.merge_cells("D2:D7")  # scope: territorial for O1..O6
    wb.save(path)
    try:
        net = orgnet.read_dataset(path)
    except orgnet.OrgnetDataError as err:
        pytest.fail(f"merged cells were not read as shown:\n{err}")
    assert_same_network(net, reference("tiny"), case, ordered=True)


def test_bad_input_classes_are_many():
    assert len(BAD_INPUT_CLASSES) >= 40, sorted(BAD_INPUT_CLASSES)


# ---------------------------------------------------------------- regressions found by the fuzzers


def test_gb18030_file_whose_bytes_are_also_utf8(tmp_path):
    """GBK "状态" (d7 b4 cc ac) is also valid UTF-8 ("״̬"): a GB18030 file whose
    only Chinese is that header must still be read as GB18030."""
    case = plain_case("tiny")
    case.sheets["demands"].header[5] = "状态"
    case.encodings["demands"] = "gb18030"
    out = attempt(case, tmp_path)
    assert out.net is not None, out.data_error
    assert_same_network(out.net, reference("tiny"), case, ordered=True)


def test_xlsx_keeps_every_float_digit(tmp_path):
    t = tiny_tables()
    t["projects"]["value"] = ["0.30000000000000004"]
    t["areas"].loc[0, "lat"] = "1.0924855265316608e-103"
    net = orgnet.OrgNetwork(**t)
    back = orgnet.read_dataset(orgnet.write_dataset(net, tmp_path / "x.xlsx"))
    assert back.projects["value"].tolist() == [0.30000000000000004]
    assert back.areas.loc["D1", "lat"] == 1.0924855265316608e-103


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_extra_columns_are_kept_as_text(tmp_path, fmt):
    case = plain_case("tiny")
    case.fmt = fmt
    s = case.sheets["demands"]
    s.header.append("备注 2")
    s.rows[0].append("00123")
    s.rows[1].append("")
    out = attempt(case, tmp_path)
    assert out.net is not None, out.data_error
    col = out.net.demands["备注 2"]
    assert col.iloc[0] == "00123" and pd.isna(col.iloc[1])
    want = reference("tiny").demands.assign(**{"备注 2": col})
    assert out.net.demands.drop(columns="备注 2").equals(reference("tiny").demands) and len(want) == 2
