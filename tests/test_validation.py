"""Bad input: every rule of DATA_FORMAT.md ("Bad input") is reported as a Problem
naming table, row (as the user sees it in the file: header = row 1), column and
value; several problems come together in one OrgnetDataError, in table order
then row order; inputs are never changed.

Each test breaks the valid tiny dataset of conftest.py and checks the exact set
of Problems: the expected ones and no others. Variants of one rule (say, every
closed vocabulary) are broken together in one dataset, in independent cells, so
that the whole file builds few networks and stays fast. Positions in the tiny
dataset, for reading the tests (file row = DataFrame position + 2):

areas          D1=2 S1=3 S2=4 C11=5 C12=6 C21=7 G111=8 G112=9 G121=10 G211=11
               Q1111=12 Q1121=13 Q2111=14
organisations  O1=2 O2=3 O3=4 O4=5 O5=6 O6=7 O7=8 O8=9
units          U1=2 U2=3 U3=4 U4=5 U5=6          stations  T1=2 T2=3
ties           rows 2..9 (position + 2)          demands   N1=2 N2=3
resources      R1=2 R2=3                         projects  P1=2
"""

from __future__ import annotations

import copy
import re

import numpy as np
import pandas as pd
import pytest

import orgnet
from orgnet import Problem, schema
from conftest import RANDOM_STATE, tiny_tables, write_csv_dataset

_ANY = object()  # "do not check the value"
_TABLE_RANK = {t: i for i, t in enumerate(schema.TABLE_ORDER)}


# ---------------------------------------------------------------- helpers


def problems_of(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """The problems OrgNetwork reports for ``tables`` (it must refuse them)."""
    with pytest.raises(orgnet.OrgnetDataError) as info:
        orgnet.OrgNetwork(**tables)
    problems = info.value.problems
    assert problems, "an OrgnetDataError must list at least one problem"
    assert all(isinstance(p, Problem) for p in problems)
    return problems


def read_problems(folder) -> list[Problem]:
    """The problems read_dataset reports for a CSV folder."""
    with pytest.raises(orgnet.OrgnetDataError) as info:
        orgnet.read_dataset(folder)
    return info.value.problems


def keys(problems):
    return [(p.table, p.row, p.column) for p in problems]


def _rank(key):
    table, row, column = key[:3]
    return (_TABLE_RANK[table], row or 0, str(column or ""))


def _listing(problems):
    return "\n".join(f"  {p!r}" for p in problems)


def assert_problem(problems, table, row, column, *, value=_ANY, match=None) -> Problem:
    """Exactly one problem at (table, row, column), with ``value`` and a message
    matching ``match`` (a regular expression, searched); returns it."""
    found = [p for p in problems if (p.table, p.row, p.column) == (table, row, column)]
    assert len(found) == 1, (
        f"expected one problem at {(table, row, column)}, found {len(found)} in:\n" + _listing(problems)
    )
    p = found[0]
    if value is not _ANY:
        assert p.value == value, f"value {p.value!r} != {value!r} in {p!r}"
    if match is not None:
        assert re.search(match, p.message), f"{match!r} not in message {p.message!r}"
    return p


def assert_problems(problems, expected) -> None:
    """The problems are exactly ``expected``: tuples (table, row, column[, value[, match]]).

    Also checks the documented order: table order of the data format, then row.
    """
    got = sorted(keys(problems), key=_rank)
    want = sorted([tuple(e[:3]) for e in expected], key=_rank)
    assert got == want, (
        f"missing: {sorted(set(want) - set(got), key=_rank)}\n"
        f"unexpected: {sorted(set(got) - set(want), key=_rank)}\nall problems:\n" + _listing(problems)
    )
    order = [(_TABLE_RANK[p.table], p.row or 0) for p in problems]
    assert order == sorted(order), "problems are not in table, row order:\n" + _listing(problems)
    for e in expected:
        value = e[3] if len(e) > 3 else _ANY
        match = e[4] if len(e) > 4 else None
        assert_problem(problems, *e[:3], value=value, match=match)


def position(tables, table, key) -> int:
    """DataFrame position of the row whose id is ``key`` (ties: ``key`` is the position)."""
    df = tables[table]
    if isinstance(key, (int, np.integer)):
        return int(key)
    hits = np.flatnonzero(df["id"].to_numpy() == key)
    assert len(hits) == 1, f"{key!r} not found once in {table}"
    return int(hits[0])


def file_row(tables, table, key) -> int:
    """The row the user sees in the file: header = 1, first data row = 2."""
    return position(tables, table, key) + 2


def set_cell(tables, table, key, column, value) -> int:
    """Set one cell (row by id, or by position for ties); returns its file row."""
    df = tables[table]
    pos = position(tables, table, key)
    df.iloc[pos, df.columns.get_loc(column)] = value
    return pos + 2


def break_cells(tables, cells, match=None) -> list[tuple]:
    """Set each (table, key, column, value[, match]); returns the expected
    problems (table, row, column, value, match)."""
    return [(cell[0], set_cell(tables, *cell[:4]), cell[2], cell[3], cell[4] if len(cell) > 4 else match)
            for cell in cells]


def add_row(tables, table, **values) -> int:
    """Append a row (missing cells empty); returns its file row."""
    df = tables[table]
    row = {c: values.get(c, "") for c in df.columns}
    tables[table] = pd.concat([df, pd.DataFrame([row])], ignore_index=True)
    return len(tables[table]) + 1


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def core():
    """Only the tiny dataset's areas, organisations and units (organisation O7
    refers to unit U1): enough for rules within those tables, and twice as fast
    to validate as the whole dataset."""
    t = tiny_tables()
    return {k: t[k] for k in ("areas", "organisations", "units")}


@pytest.fixture(scope="module")
def tiny_reference():
    """The valid tiny dataset as a network, built once."""
    net = orgnet.OrgNetwork(**tiny_tables())
    assert len(net.areas) == 13 and len(net.ties) == 8
    return net


def test_assert_problems_catches_extra_and_missing():
    p = [Problem("areas", 3, "lon", "200", "x"), Problem("units", 2, "id", "U1", "y")]
    assert_problems(p, [("areas", 3, "lon"), ("units", 2, "id")])
    with pytest.raises(AssertionError):
        assert_problems(p, [("areas", 3, "lon")])
    with pytest.raises(AssertionError):
        assert_problems(list(reversed(p)), [("areas", 3, "lon"), ("units", 2, "id")])


# ---------------------------------------------------------------- missing tables and columns


@pytest.mark.parametrize("missing", ["areas", "organisations"])
def test_missing_required_table(tmp_path, missing):
    tables = tiny_tables()
    kept = {"areas": tables["areas"], "organisations": tables["organisations"]}
    del kept[missing]
    problems = read_problems(write_csv_dataset(tmp_path, kept))
    p = assert_problem(problems, missing, None, None, match=rf"(?i)required table.*{missing}")
    assert problems[0] == p  # a whole-table problem comes first in its table


@pytest.mark.parametrize(
    "dropped",
    [
        [("areas", "level"), ("units", "area"), ("ties", "kind")],
        [("areas", "name"), ("organisations", "form"), ("stations", "area"), ("demands", "owner")],
        [("organisations", "scope"), ("units", "type"), ("ties", "source"), ("resources", "category")],
    ],
    ids=lambda d: "+".join(f"{t}.{c}" for t, c in d),
)
def test_missing_required_column(tables, dropped):
    for table, column in dropped:
        tables[table] = tables[table].drop(columns=[column])
    problems = problems_of(tables)
    assert_problems(problems, [(t, 1, c, None, rf"(?i)required column '{c}'.*missing") for t, c in dropped])


# ---------------------------------------------------------------- empty required values


EMPTY_REQUIRED = {
    "areas.id": [("areas", "Q2111", "id", "")],
    "organisations.id": [("organisations", "O6", "id", " ")],
    "areas+organisations": [("areas", "D1", "name", ""), ("areas", "Q2111", "level", "  "),
                            ("organisations", "O6", "name", " "), ("organisations", "O6", "form", ""),
                            ("organisations", "O8", "scope", "")],
    "units+stations": [("units", "U3", "type", ""), ("units", "U4", "area", " "), ("units", "U5", "name", ""),
                       ("stations", "T2", "name", " "), ("stations", "T1", "area", "")],
    "ties": [("ties", 0, "source", ""), ("ties", 1, "target", " "), ("ties", 2, "kind", "")],
    "demands+resources": [("demands", "N1", "owner", ""), ("demands", "N2", "category", " "),
                          ("resources", "R2", "owner", ""), ("resources", "R1", "category", "")],
}


@pytest.mark.parametrize("cells", list(EMPTY_REQUIRED.values()), ids=list(EMPTY_REQUIRED))
def test_empty_required_value(tables, cells):
    expected = [(t, set_cell(tables, t, k, c, v), c, _ANY, rf"(?i)required.*'{c}'.*empty")
                for t, k, c, v in cells]
    assert_problems(problems_of(tables), expected)


# ---------------------------------------------------------------- numbers


BAD_INTEGERS = {
    "non-numeric": ([("areas", "G111", "population", "abc"), ("units", "U2", "employees", "many"),
                     ("organisations", "O2", "members", "二十")], r"whole number"),
    "fractional": ([("areas", "G112", "households", "2.5"), ("organisations", "O3", "members", "12.5"),
                    ("units", "U3", "party_members", "0.5"), ("ties", 0, "count", "1.5")], r"whole number"),
    "negative, count below 1": ([("areas", "G121", "population", "-1"), ("areas", "G211", "households", "-3"),
                                 ("organisations", "O4", "members", "-1"), ("units", "U4", "employees", "-5"),
                                 ("units", "U5", "party_members", "-1"),
                                 ("ties", 1, "count", "0", r">= 1"), ("ties", 2, "count", "-2", r">= 1")],
                                r">= 0"),
}


@pytest.mark.parametrize("cells, match", list(BAD_INTEGERS.values()), ids=list(BAD_INTEGERS))
def test_bad_integer(tables, cells, match):
    expected = break_cells(tables, cells, match)
    problems = problems_of(tables)
    assert_problems(problems, expected)
    for t, row, c, v, _ in expected:
        assert repr(v) in assert_problem(problems, t, row, c).message  # quotes what was found


BAD_FLOATS = {
    "not positive": ([("stations", "T2", "radius_m", "0"), ("stations", "T1", "radius_m", "-5"),
                      ("demands", "N1", "quantity", "0"), ("demands", "N2", "quantity", "-1"),
                      ("resources", "R1", "capacity", "-1"), ("resources", "R2", "capacity", "0")], r"> 0"),
    "out of range": ([("stations", "T1", "floor_area_m2", "-10", r">= 0"),
                      ("areas", "D1", "lon", "200", r"\[-180, 180\]"),
                      ("units", "U4", "lon", "-181", r"\[-180, 180\]"),
                      ("areas", "S1", "lat", "-95", r"\[-90, 90\]"),
                      ("resources", "R2", "lat", "91", r"\[-90, 90\]")], None),
    "non-numeric": ([("areas", "S2", "lat", "abc"), ("stations", "T1", "lon", "east"),
                     ("projects", "P1", "value", "五千")], r"number"),
}


@pytest.mark.parametrize("cells, match", list(BAD_FLOATS.values()), ids=list(BAD_FLOATS))
def test_bad_float(tables, cells, match):
    expected = break_cells(tables, cells, match)
    problems = problems_of(tables)
    assert_problems(problems, expected)
    for t, row, c, v, _ in expected:
        assert repr(v) in assert_problem(problems, t, row, c).message


def test_coordinate_bounds_are_inclusive(core):
    tables = core
    for key, lon, lat in [("D1", "180", "90"), ("S1", "-180", "-90")]:
        set_cell(tables, "areas", key, "lon", lon)
        set_cell(tables, "areas", key, "lat", lat)
    net = orgnet.OrgNetwork(**tables)
    assert net.areas.loc["D1", ["lon", "lat"]].tolist() == [180.0, 90.0]
    assert net.areas.loc["S1", ["lon", "lat"]].tolist() == [-180.0, -90.0]


# ---------------------------------------------------------------- booleans


def test_bad_boolean(core):
    tables = core
    expected = break_cells(tables, [("areas", "Q1111", "property_management", "maybe"),
                                    ("areas", "Q1121", "supervisor", "2"),
                                    ("areas", "Q2111", "security", "部分")], r"yes/no")
    assert_problems(problems_of(tables), expected)


def test_chinese_booleans_accepted(core):
    tables = core
    set_cell(tables, "areas", "Q1111", "security", "否")
    set_cell(tables, "areas", "Q1121", "security", "是")
    net = orgnet.OrgNetwork(**tables)
    assert bool(net.areas.loc["Q2111", "property_management"]) is True  # 是
    assert bool(net.areas.loc["Q2111", "supervisor"]) is False  # 否
    assert bool(net.areas.loc["Q1111", "security"]) is False
    assert bool(net.areas.loc["Q1121", "security"]) is True
    assert pd.isna(net.areas.loc["Q2111", "security"])  # empty stays empty, not False


# ---------------------------------------------------------------- dates


BAD_DATES = ["2023-13-01", "2023-02-30", "yesterday", "45000"]


def test_unparseable_date(tables):
    # every bad form in every date column, each in its own cell
    cells = [("organisations", f"O{i + 1}", "established", bad) for i, bad in enumerate(BAD_DATES)]
    cells += [("ties", i, "start", bad) for i, bad in enumerate(BAD_DATES)]
    cells += [("ties", 4 + i, "end", bad) for i, bad in enumerate(BAD_DATES)]
    cells += [("demands", "N1", "date", BAD_DATES[0]), ("demands", "N2", "date", BAD_DATES[1]),
              ("resources", "R1", "date", BAD_DATES[2]), ("resources", "R2", "date", BAD_DATES[3]),
              ("projects", "P1", "date", BAD_DATES[1])]
    expected = break_cells(tables, cells, r"date")
    problems = problems_of(tables)
    assert_problems(problems, expected)
    for t, row, c, bad, _ in expected:
        p = assert_problem(problems, t, row, c)
        assert repr(bad) in p.message
        if bad == "45000":
            assert re.search(r"(?i)excel", p.message), p.message  # says what probably happened


def test_accepted_date_forms(core):
    tables = core
    forms = {"O1": "2023/5/1", "O2": "2023年5月1日", "O3": "2023-05-01 00:00:00", "O4": "2023-05-01"}
    for key, text in forms.items():
        set_cell(tables, "organisations", key, "established", text)
    net = orgnet.OrgNetwork(**tables)
    for key in forms:
        assert net.organisations.loc[key, "established"] == pd.Timestamp("2023-05-01"), key


# ---------------------------------------------------------------- vocabularies


UNKNOWN_VOCABULARY = [
    ("areas", "Q2111", "level", "neighbourhood"),
    ("areas", "Q1121", "level", "片区"),
    ("organisations", "O6", "form", "cell"),
    ("organisations", "O8", "scope", "mixed"),
    ("organisations", "O5", "status", "dormant"),
    ("units", "U3", "type", "ngo"),
    ("units", "U1", "sector", "factory"),
    ("stations", "T2", "type", "hub"),
    ("ties", 0, "kind", "friendship"),
    ("ties", 1, "kind", "友好"),
    ("demands", "N1", "status", "pending"),
    ("projects", "P1", "status", "finished"),
]


def test_unknown_vocabulary_value(tables):
    expected = break_cells(tables, UNKNOWN_VOCABULARY, r"(?i)not a known")
    problems = problems_of(tables)
    assert_problems(problems, expected)
    for t, row, c, v, _ in expected:
        p = assert_problem(problems, t, row, c)
        assert repr(v) in p.message
        assert "expected one of" in p.message  # lists what is allowed


def test_vocabulary_aliases_become_canonical(tables):
    aliases = [
        ("areas", "S1", "level", "街道", "street"),
        ("areas", "S2", "level", " Street ", "street"),
        ("areas", "C11", "level", "社区", "community"),
        ("organisations", "O4", "form", "党委", "committee"),
        ("organisations", "O5", "status", "软弱涣散", "weak"),
        ("organisations", "O6", "scope", "区域", "territorial"),
        ("units", "U1", "type", "非公企业", "private_enterprise"),
        ("units", "U1", "sector", "园区", "park"),
        ("stations", "T2", "type", "驿站", "post"),
        ("ties", 0, "kind", "共驻共建", "co_building"),
        ("demands", "N1", "status", "未满足", "open"),
        ("projects", "P1", "status", "完成", "done"),
    ]
    for t, k, c, alias, _ in aliases:
        set_cell(tables, t, k, c, alias)
    net = orgnet.OrgNetwork(**tables)
    for t, k, c, _, canonical in aliases:
        df = net.tables[t]
        got = df[c].iloc[k] if t == "ties" else df.loc[k, c]
        assert got == canonical, (t, k, c)


def test_category_is_open_and_recommended_chinese_is_translated(tables):
    set_cell(tables, "demands", "N1", "category", "社区食堂")
    set_cell(tables, "demands", "N2", "category", "场地")
    set_cell(tables, "resources", "R1", "category", "Snacks")
    net = orgnet.OrgNetwork(**tables)
    assert net.demands.loc["N1", "category"] == "社区食堂"  # kept as written
    assert net.demands.loc["N2", "category"] == "venue"  # recommended: translated
    assert net.resources.loc["R1", "category"] == "Snacks"  # not lower-cased


# ---------------------------------------------------------------- duplicate ids


def test_duplicate_id_within_a_table(core):
    tables = core
    first_unit = file_row(tables, "units", "U2")
    first_area = file_row(tables, "areas", "Q1121")
    unit_row = add_row(tables, "units", id="U2", name="重复", type="other", area="G111")
    area_row = add_row(tables, "areas", id="Q1121", name="重复小区", level="compound", parent="G112")
    problems = problems_of(tables)
    assert_problems(problems, [("areas", area_row, "id", "Q1121", rf"areas row {first_area}\b"),
                               ("units", unit_row, "id", "U2", rf"units row {first_unit}\b")])


def test_duplicate_id_across_tables(tables):
    # (table, fields, id already used by first_table)
    cases = [
        ("units", dict(name="单位", type="other", area="G111"), "C11", "areas"),
        ("stations", dict(name="驿站", area="C21"), "O1", "organisations"),
        ("stations", dict(name="驿站", area="C21"), "U4", "units"),
        ("resources", dict(owner="U4", category="venue"), "N1", "demands"),
    ]
    expected = []
    for table, fields, dup, first_table in cases:
        first = file_row(tables, first_table, dup)
        row = add_row(tables, table, id=dup, **fields)
        expected.append((table, row, "id", dup, rf"already used by {first_table} row {first}\b"))
    assert_problems(problems_of(tables), expected)


# ---------------------------------------------------------------- references


def test_reference_to_unknown_id(tables):
    cells = [
        ("areas", "G211", "parent", "X1"),
        ("organisations", "O6", "parent", "X2"),
        ("organisations", "O6", "area", "X3"),
        ("organisations", "O7", "unit", "X4"),
        ("units", "U3", "area", "X5"),
        ("stations", "T2", "area", "X6"),
        ("ties", 1, "source", "X7"),
        ("ties", 2, "target", "X8"),
        ("demands", "N2", "owner", "X9"),
        ("resources", "R2", "owner", "X10"),
        ("projects", "P1", "demand", "X11"),
        ("projects", "P1", "resource", "X12"),
        ("projects", "P1", "owner", "X13"),
        ("projects", "P1", "partner", "X14"),
    ]
    expected = break_cells(tables, cells, r"not a known id")
    problems = problems_of(tables)
    assert_problems(problems, expected)
    for t, row, c, v, _ in expected:
        assert repr(v) in assert_problem(problems, t, row, c).message


def test_reference_to_wrong_kind(tables):
    cells = [
        ("areas", "G211", "parent", "O3", r"is an organisation.*expected an area"),
        ("organisations", "O5", "parent", "C11", r"is an area.*expected an organisation"),
        ("organisations", "O6", "area", "U1", r"is a unit.*expected an area"),
        ("organisations", "O7", "unit", "G111", r"is an area.*expected a unit"),
        ("units", "U2", "area", "U1", r"is a unit.*expected an area"),
        ("stations", "T2", "area", "O1", r"is an organisation.*expected an area"),
        ("ties", 0, "target", "T1", r"is a station"),
        ("ties", 1, "source", "T2", r"is a station"),
        ("demands", "N1", "owner", "U1", r"is a unit"),
        ("resources", "R1", "owner", "C11", r"is an area"),
        ("projects", "P1", "demand", "R1", r"is a resource.*expected a demand"),
    ]
    expected = [(t, set_cell(tables, t, k, c, v), c, v, m) for t, k, c, v, m in cells]
    assert_problems(problems_of(tables), expected)


def test_organisation_without_its_area_or_unit(core):
    tables = core
    expected = [
        ("organisations", set_cell(tables, "organisations", "O6", "area", ""), "area", _ANY, r"territorial"),
        ("organisations", set_cell(tables, "organisations", "O7", "unit", ""), "unit", _ANY, r"unit"),
    ]
    assert_problems(problems_of(tables), expected)


def test_joint_organisation_needs_neither_area_nor_unit(core):
    tables = core
    set_cell(tables, "organisations", "O8", "area", "")
    net = orgnet.OrgNetwork(**tables)
    assert pd.isna(net.organisations.loc["O8", "area"])


# ---------------------------------------------------------------- area tree


def test_non_top_level_area_without_parent(core):
    tables = core
    cells = [("areas", key, "parent", "") for key in ["S2", "C21", "G211", "Q2111"]]
    expected = [e[:3] + (_ANY, r"(?i)parent is empty|root") for e in break_cells(tables, cells)]
    assert_problems(problems_of(tables), expected)


def test_several_roots_at_the_top_level_are_allowed(core):
    tables = core
    add_row(tables, "areas", id="D2", name="另一区", level="district")
    net = orgnet.OrgNetwork(**tables)
    assert pd.isna(net.areas.loc["D2", "parent"])


def test_top_level_is_that_of_the_dataset(core):
    tables = core
    # a dataset may start at street level: streets are then roots
    tables["areas"] = tables["areas"][tables["areas"]["level"] != "district"].reset_index(drop=True)
    tables["areas"].loc[tables["areas"]["parent"] == "D1", "parent"] = ""
    tables["organisations"] = tables["organisations"].copy()
    set_cell(tables, "organisations", "O1", "area", "S1")
    net = orgnet.OrgNetwork(**tables)
    assert set(net.areas.index[net.areas["parent"].isna()]) == {"S1", "S2"}


def _cycle_problems(problems):
    return [p for p in problems if "cycle" in p.message.lower()]


def _assert_cycle(problems, tables, table, members):
    """Exactly one cycle problem among ``members`` (ids in parent order), reported
    at one of their rows, column 'parent', with the path written from there."""
    rows = {file_row(tables, table, m): i for i, m in enumerate(members)}
    found = [p for p in _cycle_problems(problems) if p.table == table and p.row in rows]
    assert len(found) == 1, f"expected one cycle problem for {members}, got {found}"
    p = found[0]
    assert p.column == "parent"
    start = rows[p.row]
    rotated = members[start:] + members[:start]
    path = " → ".join(rotated + [rotated[0]])
    assert path in p.message, f"{path!r} not in {p.message!r}"
    return p


def _assert_only_levels_besides_cycles(problems):
    # an area cycle always breaks the downward nesting of levels somewhere too;
    # those are the only other problems allowed
    for p in problems:
        if p not in _cycle_problems(problems):
            assert (p.table, p.column) == ("areas", "parent") and "level" in p.message, p


def test_area_self_parent(core):
    tables = core
    set_cell(tables, "areas", "D1", "parent", "D1")
    problems = problems_of(tables)
    assert len(_cycle_problems(problems)) == 1
    _assert_cycle(problems, tables, "areas", ["D1"])
    _assert_only_levels_besides_cycles(problems)


def test_area_parent_cycles_one_problem_each(core):
    tables = core
    set_cell(tables, "areas", "C11", "parent", "G111")  # C11 -> G111 -> C11
    set_cell(tables, "areas", "S2", "parent", "Q2111")  # S2 -> Q2111 -> G211 -> C21 -> S2
    problems = problems_of(tables)
    # G112, Q1111, Q1121 ... hang below a cycle but add no cycle problems of their own
    assert len(_cycle_problems(problems)) == 2
    _assert_cycle(problems, tables, "areas", ["C11", "G111"])
    _assert_cycle(problems, tables, "areas", ["S2", "Q2111", "G211", "C21"])
    _assert_only_levels_besides_cycles(problems)


def test_organisation_parent_cycles(core):
    tables = core
    set_cell(tables, "organisations", "O1", "parent", "O1")  # self
    set_cell(tables, "organisations", "O2", "parent", "O5")  # O2 -> O5 -> O4 -> O2
    set_cell(tables, "organisations", "O5", "parent", "O4")
    set_cell(tables, "organisations", "O4", "parent", "O2")
    problems = problems_of(tables)
    # organisations have no levels: the cycles are the only problems, one each,
    # even though O6, O7 and O8 hang below the second cycle
    assert len(problems) == 2, problems
    _assert_cycle(problems, tables, "organisations", ["O1"])
    _assert_cycle(problems, tables, "organisations", ["O2", "O5", "O4"])


@pytest.mark.parametrize(
    "cells",
    [[("areas", "S2", "parent", "C11"),  # a street inside a community
      ("areas", "C21", "parent", "Q1111")],  # a community inside a compound
     [("areas", "G112", "parent", "G111"),  # a grid inside a grid
      ("areas", "Q1111", "parent", "Q1121")]],  # a compound inside a compound
    ids=["upward", "sideways"],
)
def test_levels_must_nest_downward(core, cells):
    tables = core
    expected = break_cells(tables, cells, r"level")
    assert_problems(problems_of(tables), expected)


def test_skipping_levels_is_allowed(core):
    tables = core
    set_cell(tables, "areas", "Q2111", "parent", "C21")  # compound directly in a community
    net = orgnet.OrgNetwork(**tables)
    assert net.areas.loc["Q2111", "parent"] == "C21"


# ---------------------------------------------------------------- ties


def test_tie_ends_before_it_starts(tables):
    row = set_cell(tables, "ties", 4, "end", "2022-12-31")
    problems = problems_of(tables)
    assert_problems(problems, [("ties", row, "end", "2022-12-31", r"before")])
    assert "2023-01-01" in problems[0].message


def test_tie_end_problem_quotes_the_end_as_written(tables):
    # Problem.value is "the offending value as read", whatever date form was used
    row = set_cell(tables, "ties", 1, "end", "2025/2/28")  # starts 2025-03-01
    assert_problems(problems_of(tables), [("ties", row, "end", "2025/2/28", r"before")])


def test_tie_ending_the_day_it_starts_is_fine(tables):
    set_cell(tables, "ties", 4, "end", "2023-01-01")
    orgnet.OrgNetwork(**tables)


def test_tie_to_itself(tables):
    row = set_cell(tables, "ties", 0, "target", "U4")
    problems = problems_of(tables)
    assert len(problems) == 1, problems
    p = problems[0]
    assert (p.table, p.row) == ("ties", row)
    assert p.column in ("source", "target")
    assert p.value == "U4"
    assert re.search(r"same", p.message)


# ---------------------------------------------------------------- several problems together


def break_everywhere(tables):
    """One or two problems in every table; returns the expected (table, row, column)
    in the documented order (tables in schema order, then row)."""
    return [
        ("areas", set_cell(tables, "areas", "S1", "lon", "200"), "lon"),
        ("areas", set_cell(tables, "areas", "G211", "households", "x"), "households"),
        ("organisations", set_cell(tables, "organisations", "O5", "status", "bad"), "status"),
        ("units", set_cell(tables, "units", "U3", "employees", "-3"), "employees"),
        ("stations", set_cell(tables, "stations", "T2", "radius_m", "0"), "radius_m"),
        ("ties", set_cell(tables, "ties", 7, "count", "0"), "count"),
        ("demands", set_cell(tables, "demands", "N1", "quantity", "0"), "quantity"),
        ("resources", set_cell(tables, "resources", "R2", "capacity", "-1"), "capacity"),
        ("projects", set_cell(tables, "projects", "P1", "status", "finished"), "status"),
    ]


def test_all_problems_reported_together_in_order(tables):
    expected = break_everywhere(tables)
    # pass the tables in reverse order: the report order must not depend on it
    reordered = dict(reversed(list(tables.items())))
    problems = problems_of(reordered)
    assert keys(problems) == expected  # exactly this order


def test_problems_sorted_by_row_within_a_table(core):
    tables = core
    rows = [set_cell(tables, "areas", k, "population", "-1") for k in ["Q2111", "D1", "G112"]]
    problems = problems_of(tables)
    assert keys(problems) == [("areas", r, "population") for r in sorted(rows)]


def test_csv_folder_reports_the_same_problems(tables, tmp_path):
    break_everywhere(tables)
    # and problems found across rows and tables: references, levels, cycles, ids, dates
    set_cell(tables, "ties", 0, "target", "X1")
    set_cell(tables, "ties", 4, "end", "2022-12-31")
    set_cell(tables, "areas", "G112", "parent", "G111")
    set_cell(tables, "organisations", "O2", "parent", "O4")
    set_cell(tables, "demands", "N2", "owner", "U1")
    add_row(tables, "units", id="C11", name="单位", type="other", area="G111")
    from_frames = problems_of(copy.deepcopy(tables))
    from_files = read_problems(write_csv_dataset(tmp_path, tables))
    assert [(p.table, p.row, p.column, p.value) for p in from_files] == \
           [(p.table, p.row, p.column, p.value) for p in from_frames]


def test_blank_line_in_csv_keeps_later_row_numbers(tables, tmp_path):
    set_cell(tables, "areas", "S1", "lon", "200")  # before the blank line
    set_cell(tables, "areas", "G211", "households", "x")  # after it
    folder = write_csv_dataset(tmp_path, {k: v for k, v in tables.items() if k != "areas"})
    lines = tables["areas"].to_csv(index=False, lineterminator="\n").splitlines()
    # header = line 1, D1 = 2, S1 = 3, blank = 4, S2 = 5 ... G211 = 12
    lines.insert(3, "")
    (folder / "areas.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert (folder / "areas.csv").read_text(encoding="utf-8").splitlines()[11].startswith("G211,")
    problems = read_problems(folder)
    assert keys(problems) == [("areas", 3, "lon"), ("areas", 12, "households")]


def test_blank_line_in_csv_is_not_a_row(tables, tmp_path):
    folder = write_csv_dataset(tmp_path, {k: v for k, v in tables.items() if k != "areas"})
    lines = tables["areas"].to_csv(index=False, lineterminator="\n").splitlines()
    lines.insert(3, "")
    (folder / "areas.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    net = orgnet.read_dataset(folder)
    assert len(net.areas) == 13
    assert int(net.source_rows("areas")["G211"]) == 12


# ---------------------------------------------------------------- Chinese input


def chinese_tables():
    areas = pd.DataFrame({
        "编号": ["D1", "S1", "C1", "G1"],
        "名称": ["示范区", "东湖街道", "春晖社区", "一网格"],
        "层级": ["区", "街道", "社区", "网格"],
        "上级": ["", "D1", "S1", "C1"],
        "人口": ["", "", "", "1200"],
        "物业管理": ["", "", "", "是"],
    })
    organisations = pd.DataFrame({
        "编号": ["O1", "O2", "O3", "O4"],
        "名称": ["区委", "街道党工委", "社区党委", "公司党支部"],
        "组织形式": ["党委", "党工委", "党委", "党支部"],
        "类别": ["区域", "区域", "区域", "单位"],
        "上级": ["", "O1", "O2", "O3"],
        "所在区域": ["D1", "S1", "C1", "G1"],
        "所在单位": ["", "", "", "U1"],
        "党员数": ["30", "20", "15", "8"],
        "成立日期": ["2010年1月1日", "", "", ""],
        "状态": ["正常", "", "软弱涣散", ""],
    })
    units = pd.DataFrame({
        "编号": ["U1"], "名称": ["华信科技"], "类型": ["非公企业"], "领域": ["园区"],
        "所在区域": ["G1"], "职工数": ["100"], "党员数": ["8"],
    })
    ties = pd.DataFrame({
        "发起方": ["O4"], "对象": ["O3"], "类型": ["双报到"], "开始日期": ["2024/2/1"], "次数": ["8"],
    })
    demands = pd.DataFrame({"编号": ["N1"], "发布方": ["O3"], "类别": ["场地"], "数量": ["2"], "状态": ["未满足"]})
    return dict(areas=areas, organisations=organisations, units=units, ties=ties, demands=demands)


def test_chinese_headers_and_values_become_canonical():
    net = orgnet.OrgNetwork(**chinese_tables())
    assert list(net.areas.columns) == schema.TABLES["areas"].column_names[1:]
    assert list(net.organisations.columns) == schema.TABLES["organisations"].column_names[1:]
    assert net.areas["level"].tolist() == ["district", "street", "community", "grid"]
    assert net.areas.loc["C1", "parent"] == "S1"
    assert bool(net.areas.loc["G1", "property_management"]) is True
    o = net.organisations
    assert o["form"].tolist() == ["committee", "committee", "committee", "branch"]
    assert o["scope"].tolist() == ["territorial"] * 3 + ["unit"]
    assert o.loc["O3", "status"] == "weak" and o.loc["O1", "status"] == "normal"
    assert o.loc["O1", "established"] == pd.Timestamp("2010-01-01")
    assert int(o.loc["O4", "members"]) == 8
    assert net.units.loc["U1", "type"] == "private_enterprise"
    assert int(net.units.loc["U1", "party_members"]) == 8
    assert net.ties["kind"].tolist() == ["dual_report"]
    assert net.demands.loc["N1", "category"] == "venue"
    assert net.demands.loc["N1", "status"] == "open"


def test_chinese_headers_problems_name_canonical_columns():
    t = chinese_tables()
    t["areas"].loc[2, "层级"] = "片区"
    t["organisations"].loc[1, "党员数"] = "-2"
    t["units"].loc[0, "党员数"] = "x"
    problems = problems_of(t)
    assert keys(problems) == [("areas", 4, "level"), ("organisations", 3, "members"),
                              ("units", 2, "party_members")]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_chinese_table_file_names(tables, tmp_path, encoding, tiny_reference):
    names = {t: schema.TABLES[t].aliases[0] for t in tables}
    assert names["areas"] == "区域" and names["organisations"] == "党组织"
    folder = write_csv_dataset(tmp_path, tables, encoding=encoding, names=names)
    assert (folder / "区域.csv").exists()
    net = orgnet.read_dataset(folder)
    assert net == tiny_reference
    assert len(net.ties) == 8 and len(net.projects) == 1


def test_chinese_file_names_in_problems(tables, tmp_path):
    set_cell(tables, "units", "U3", "employees", "-3")
    names = {t: schema.TABLES[t].aliases[0] for t in tables}
    problems = read_problems(write_csv_dataset(tmp_path, tables, names=names))
    assert keys(problems) == [("units", 4, "employees")]


# ---------------------------------------------------------------- columns and files


def test_unknown_extra_column_is_kept_as_text_from_csv(tables, tmp_path):
    remarks = ["007", "", " 有物业 ", "1.50"] + [""] * 9
    tables["areas"]["remark"] = remarks
    net = orgnet.read_dataset(write_csv_dataset(tmp_path, tables))
    kept = net.areas["remark"]
    assert kept.loc["D1"] == "007"  # text, not the number 7
    assert kept.loc["S2"] == " 有物业 "
    assert kept.loc["C11"] == "1.50"
    assert pd.isna(kept.loc["S1"])
    assert list(net.areas.columns)[-1] == "remark"


def test_unknown_extra_column_is_kept_from_dataframes(core):
    tables = core
    tables["units"]["联系人"] = ["张三", "李四", "", "王五", "赵六"]
    net = orgnet.OrgNetwork(**tables)
    assert net.units.loc["U1", "联系人"] == "张三"
    assert net.units.loc["U5", "联系人"] == "赵六"


def test_unknown_file_warns_but_is_not_an_error(tables, tmp_path, tiny_reference):
    folder = write_csv_dataset(tmp_path, tables)
    (folder / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.warns(orgnet.OrgnetWarning, match="notes.csv"):
        net = orgnet.read_dataset(folder)
    assert net == tiny_reference


def test_two_columns_with_the_same_meaning(core):
    tables = core
    tables["areas"]["名称"] = tables["areas"]["name"]
    problems = problems_of(tables)
    assert_problems(problems, [("areas", 1, "name", _ANY, r"名称")])
    p = problems[0]
    assert "'name'" in p.message


def test_two_columns_with_the_same_meaning_in_csv(tables, tmp_path):
    tables["organisations"]["组织形式"] = tables["organisations"]["form"]
    problems = read_problems(write_csv_dataset(tmp_path, tables))
    assert keys(problems) == [("organisations", 1, "form")]


# ---------------------------------------------------------------- the error object


def test_error_text_lists_one_problem_per_line(tables):
    break_everywhere(tables)
    with pytest.raises(orgnet.OrgnetDataError) as info:
        orgnet.OrgNetwork(**tables)
    err = info.value
    lines = str(err).splitlines()
    assert len(lines) == 1 + len(err.problems)
    assert lines[0].startswith(f"{len(err.problems)} problems")
    for p, line in zip(err.problems, lines[1:]):
        assert p.table in line
        assert f"row {p.row}" in line
        assert p.column in line
        assert str(p.value) in line, f"value {p.value!r} not named in {line!r}"


def test_error_to_frame(tables):
    expected = break_everywhere(tables)
    with pytest.raises(orgnet.OrgnetDataError) as info:
        orgnet.OrgNetwork(**tables)
    frame = info.value.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["table", "row", "column", "value", "message"]
    assert len(frame) == len(expected)
    assert list(zip(frame["table"], frame["row"], frame["column"])) == expected
    assert frame["message"].map(lambda m: isinstance(m, str) and len(m) > 0).all()
    assert frame.loc[0, "value"] == "200"
    # callers may catch it as any of these
    assert isinstance(info.value, orgnet.OrgnetError) and isinstance(info.value, ValueError)


# ---------------------------------------------------------------- inputs are never changed


def _id_indexed(tables):
    return {k: (v.set_index("id") if "id" in v.columns else v) for k, v in tables.items()}


def _typed(tables):
    t = dict(tables)
    a = t["areas"].copy()
    a["population"] = pd.to_numeric(a["population"]).astype("Int64")
    a["lon"] = pd.to_numeric(a["lon"])
    t["areas"] = a
    ties = t["ties"].copy()
    ties["start"] = pd.to_datetime(ties["start"])
    t["ties"] = ties
    return t


def _broken(tables):
    break_everywhere(tables)
    set_cell(tables, "areas", "C11", "parent", "C12")
    set_cell(tables, "areas", "C12", "parent", "C11")
    return tables


@pytest.mark.parametrize(
    "make, valid",
    [
        (_id_indexed, True),
        (_typed, True),
        (lambda t: chinese_tables(), True),
        (_broken, False),
        (lambda t: _id_indexed(_broken(t)), False),
    ],
    ids=["id-index", "typed", "chinese", "broken", "broken-id-index"],
)
def test_inputs_are_never_mutated(tables, make, valid):
    given = make(tables)
    before = {k: v.copy(deep=True) for k, v in given.items()}
    if valid:
        orgnet.OrgNetwork(**given)
    else:
        with pytest.raises(orgnet.OrgnetDataError):
            orgnet.OrgNetwork(**given)
    for k, df in given.items():
        pd.testing.assert_frame_equal(df, before[k], check_exact=True)
        assert df.index.equals(before[k].index) and df.index.name == before[k].index.name


# ---------------------------------------------------------------- invariance


def _break_ties(tables):
    set_cell(tables, "ties", 0, "kind", "friendship")
    set_cell(tables, "ties", 2, "source", "U99")
    set_cell(tables, "ties", 3, "count", "0")
    set_cell(tables, "ties", 4, "end", "2022-12-31")
    set_cell(tables, "ties", 5, "target", "T1")
    set_cell(tables, "ties", 6, "target", "U1")
    set_cell(tables, "ties", 7, "start", "2024-02-30")


def _break_units(tables):
    set_cell(tables, "units", "U1", "type", "ngo")
    set_cell(tables, "units", "U2", "area", "X1")
    set_cell(tables, "units", "U3", "employees", "-1")
    set_cell(tables, "units", "U4", "lat", "abc")
    set_cell(tables, "units", "U5", "area", "O1")


@pytest.mark.parametrize("table, breaker", [("ties", _break_ties), ("units", _break_units)])
def test_shuffling_rows_gives_the_same_problems(tables, table, breaker):
    if table == "units":  # the other tables do not matter here: validate less
        tables = {k: tables[k] for k in ("areas", "organisations", "units")}
    breaker(tables)
    original = problems_of(copy.deepcopy(tables))
    assert len(original) >= 5
    perm = np.random.default_rng(RANDOM_STATE).permutation(len(tables[table]))
    assert not (perm == np.arange(len(perm))).all()
    shuffled = dict(tables)
    shuffled[table] = tables[table].iloc[perm]  # keeps the old index labels: rows are positions
    problems = problems_of(shuffled)

    def content(ps):
        return sorted((p.table, p.column, str(p.value), p.message) for p in ps)

    assert content(problems) == content(original)
    # and each problem sits at the shuffled row of the same record
    back = {j + 2: int(perm[j]) + 2 for j in range(len(perm))}
    moved = sorted((p.table, back[p.row] if p.table == table else p.row, p.column, p.message)
                   for p in problems)
    assert moved == sorted((p.table, p.row, p.column, p.message) for p in original)


def test_equally_near_values_are_all_offered():
    # '共建' is as close to 共驻共建 (co_building) as to 结对共建 (pairing): both are offered,
    # the value with more equally close spellings (共驻共建, 共建协议) first
    t = tiny_tables()
    t["ties"].loc[0, "kind"] = "共建"
    with pytest.raises(orgnet.OrgnetDataError) as e:
        orgnet.OrgNetwork(**t)
    (p,) = [p for p in e.value.problems if p.column == "kind"]
    assert (p.table, p.row) == ("ties", 2)
    assert "did you mean '共驻共建' (co_building) or '结对共建' (pairing)?" in p.message
    # one clear nearest value still gets one hint
    assert schema.VOCABULARIES["tie_kind"].suggestions("co_buildng") == [("co_building", "co_building")]


def test_a_name_written_for_an_id_is_named():
    # a unit's area given by the area's name (as ledgers often do): the message says whose name it is
    t = tiny_tables()
    name = t["areas"].set_index("id").loc["G111", "name"]
    t["units"].loc[0, "area"] = name
    with pytest.raises(orgnet.OrgnetDataError) as e:
        orgnet.OrgNetwork(**t)
    (p,) = [p for p in e.value.problems if p.column == "area" and p.table == "units"]
    assert p.row == 2 and p.value == name
    assert p.message == (f"{name!r} is not a known id (expected an area); it is the name of an area 'G111'; "
                         "references take ids")
    # an unknown value that is nobody's name keeps the plain message
    t["units"].loc[0, "area"] = "G999"
    with pytest.raises(orgnet.OrgnetDataError) as e:
        orgnet.OrgNetwork(**t)
    assert [p.message for p in e.value.problems if p.column == "area"] == ["'G999' is not a known id (expected an area)"]
