"""The activity layer's tables (issue 12, part 1): people, events, attendance, cases, ratings —
read, validated with located problems, held by OrgNetwork, written back, shown in net.graph."""

from __future__ import annotations

import pandas as pd
import pytest

import orgnet
from orgnet import schema
from conftest import ACTIVITY_COLUMNS as COLUMNS, activity_tables, tiny_tables, write_csv_dataset

@pytest.fixture
def full_tables():
    return {**tiny_tables(), **activity_tables()}


def test_schema_declares_the_five_tables_with_the_documented_columns():
    assert schema.ACTIVITY_TABLES == ("people", "events", "attendance", "cases", "ratings")
    for name, cols in COLUMNS.items():
        assert schema.TABLES[name].column_names == cols
    assert schema.table_for_name("人员") == "people"
    assert schema.table_for_name("诉求") == "cases"
    assert schema.TABLES["cases"].canonical_header("办结日期") == "closed"
    assert schema.VOCABULARIES["person_role"].canonical("第一书记") == "first_secretary"
    assert schema.VOCABULARIES["rating_scheme"].canonical("千分制") == "points"


def test_absent_tables_are_empty_with_their_columns(tiny_net):
    for name, cols in COLUMNS.items():
        df = getattr(tiny_net, name)
        assert len(df) == 0
        indexed = schema.TABLES[name].indexed
        assert list(df.columns) == (cols[1:] if indexed else cols)
        if indexed:
            assert df.index.name == "id"


def test_the_tables_are_read_typed_and_kept_as_written(full_tables):
    net = orgnet.OrgNetwork(**full_tables)
    assert net.people.loc["H2", "count"] == 12 and net.people.loc["H2", "posts"] == 15
    assert pd.isna(net.people.loc["H4", "count"])  # empty = the documented default 1, applied by analyses
    assert net.people.loc["H4", "end"] == pd.Timestamp("2024-12-31")
    assert net.events.loc["E2", "hours"] == 6.5
    assert net.attendance["score"].tolist()[:2] == [9.5, 8.0]
    assert net.cases.loc["K2", "category"] == "property"  # a recommended category, in Chinese
    assert net.cases.loc["K3", "category"] == "parking"  # free vocabulary: kept as written
    assert net.cases["satisfied"].tolist()[0] is True and net.cases.loc["K3", "satisfied"] == False  # noqa: E712
    assert net.ratings["max_score"].isna().tolist() == [False, False, True]


def test_activity_dates_count_for_the_default_as_of(full_tables):
    full_tables["events"].loc[1, "date"] = "2025-07-15"
    assert orgnet.OrgNetwork(**full_tables).as_of == pd.Timestamp("2025-07-15")
    full_tables["events"].loc[1, "date"] = "2025-03-05"
    full_tables["cases"].loc[0, "closed"] = "2026-01-01"  # closing dates do not count
    full_tables["ratings"].loc[0, "period"] = "2026-12-31"  # nor rating periods
    assert orgnet.OrgNetwork(**full_tables).as_of == pd.Timestamp("2025-06-30")


def _problems(tables):
    with pytest.raises(orgnet.OrgnetDataError) as info:
        orgnet.OrgNetwork(**tables)
    return [(p.table, p.row, p.column, p.message) for p in info.value.problems]


def test_an_attendance_row_naming_an_unknown_event_is_located(full_tables):
    full_tables["attendance"].loc[2, "event"] = "E9"
    assert _problems(full_tables) == [
        ("attendance", 4, "event", "'E9' is not a known id (expected an event)")]


def test_references_of_the_wrong_kind_are_located(full_tables):
    full_tables["people"].loc[0, "area"] = "U1"  # a unit, not an area
    full_tables["events"].loc[0, "convener"] = "U4"  # a unit may chair, not convene
    full_tables["ratings"].loc[1, "entity"] = "E1"  # events are not rated
    probs = _problems(full_tables)
    assert probs == [
        ("people", 2, "area", "'U1' is a unit, expected an area"),
        ("events", 2, "convener", "'U4' is a unit, expected an organisation or an area"),
        ("ratings", 3, "entity", "'E1' is an event, expected an organisation or a unit or an area or a station"),
    ]


def test_a_case_closed_before_it_was_raised(full_tables):
    full_tables["cases"].loc[2, "closed"] = "2025-03-31"
    assert _problems(full_tables) == [
        ("cases", 4, "closed", "the case is closed (2025-03-31) before it was raised (2025-04-01)")]


def test_closed_on_the_day_it_was_raised_is_fine(full_tables):
    assert orgnet.OrgNetwork(**full_tables).cases.loc["K3", "closed"] == pd.Timestamp("2025-04-01")


def test_people_leaving_before_they_arrive(full_tables):
    full_tables["people"].loc[3, "end"] = "2023-04-30"
    assert _problems(full_tables) == [
        ("people", 5, "end", "the people leave (2023-04-30) before they are placed (2023-05-01)")]


def test_counts_scores_and_required_values(full_tables):
    full_tables["people"].loc[0, "count"] = "0"
    full_tables["people"].loc[1, "posts"] = "-1"
    full_tables["attendance"].loc[0, "score"] = "-2"
    full_tables["events"].loc[1, "date"] = ""
    full_tables["ratings"].loc[0, "score"] = "6"  # above max_score 5
    probs = _problems(full_tables)
    assert [(t, r, c) for t, r, c, _ in probs] == [
        ("people", 2, "count"), ("people", 3, "posts"), ("events", 3, "date"),
        ("attendance", 2, "score"), ("ratings", 2, "score")]
    assert probs[-1][3] == "the score 6 is above the scheme's max_score (5)"
    assert "required value 'date' is empty" in probs[2][3]


def test_exactly_at_the_max_score_is_fine(full_tables):
    full_tables["ratings"].loc[0, "score"] = "5"
    assert orgnet.OrgNetwork(**full_tables).ratings["score"].iloc[0] == 5


def test_activity_ids_are_unique_across_all_tables(full_tables):
    full_tables["events"].loc[1, "id"] = "H1"
    probs = _problems(full_tables)
    assert probs == [("events", 3, "id",
                      "id 'H1' is already used by people row 2; ids must be unique across all tables"),
                     ("attendance", 4, "event", "'E2' is not a known id (expected an event)")]


def test_unknown_role_gets_a_suggestion(full_tables):
    full_tables["people"].loc[0, "role"] = "网格"
    (t, r, c, msg), = _problems(full_tables)
    assert (t, r, c) == ("people", 2, "role") and "网格员" in msg


def test_chinese_headers_and_table_names_round_trip(tmp_path, full_tables):
    zh = {"people": "人员", "events": "活动", "attendance": "参与", "cases": "诉求", "ratings": "评价"}
    heads = {"role": "角色", "convener": "召集方", "raised": "提出日期", "routed_to": "报到部门",
             "scheme": "评价方式", "event": "活动"}
    tables = {k: (v.rename(columns=heads) if k in zh else v) for k, v in full_tables.items()}
    folder = write_csv_dataset(tmp_path / "zh", tables, names=zh)
    net = orgnet.read_dataset(folder)
    assert net == orgnet.OrgNetwork(**full_tables)
    out = orgnet.write_dataset(net, tmp_path / "copy")
    assert {p.name for p in out.iterdir()} >= {f"{t}.csv" for t in COLUMNS}
    assert orgnet.read_dataset(out) == net
    book = orgnet.write_dataset(net, tmp_path / "copy.xlsx")
    assert orgnet.read_dataset(book) == net


def test_a_dataset_without_the_layer_writes_no_activity_files(tmp_path, tiny_net):
    out = orgnet.write_dataset(tiny_net, tmp_path / "plain")
    assert not ({f"{t}.csv" for t in COLUMNS} & {p.name for p in out.iterdir()})


def test_events_and_attendance_in_the_graph(full_tables):
    g = orgnet.OrgNetwork(**full_tables).graph
    assert g.nodes["E1"]["kind"] == "event" and g.nodes["E1"]["event_kind"] == "meeting" and g.nodes["E1"]["date"] == pd.Timestamp("2025-01-10")
    kinds = sorted((u, v, d["kind"]) for u, v, d in g.edges(data=True) if "E1" in (u, v) or "E2" in (u, v))
    assert kinds == [("C11", "E2", "convened"), ("O4", "E1", "convened"), ("O7", "E1", "attended"),
                     ("U3", "E2", "attended"), ("U4", "E1", "attended"), ("U4", "E1", "chaired")]
    att = [d for u, v, d in g.edges(data=True) if d["kind"] == "attended" and u == "U4"][0]
    assert (att["people"], att["score"]) == (2, 9.5)
