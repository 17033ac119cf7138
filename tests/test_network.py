"""The OrgNetwork object: tables, graph views, helper views, summaries."""

from __future__ import annotations

import copy

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import orgnet
from orgnet import schema
from conftest import tiny_tables


def test_tables_are_indexed_and_typed(tiny_net):
    for name in ("areas", "organisations", "units", "stations", "demands", "resources", "projects"):
        df = tiny_net.tables[name]
        assert df.index.name == "id" and df.index.is_unique
        assert list(df.columns[: len(schema.TABLES[name].columns) - 1]) == schema.TABLES[name].column_names[1:]
    assert isinstance(tiny_net.ties.index, pd.RangeIndex)
    a = tiny_net.areas
    assert str(a["population"].dtype) == "Int64"
    assert a["lon"].dtype == np.float64
    assert str(a["property_management"].dtype) == "boolean"
    assert tiny_net.ties["start"].dtype.kind == "M"
    # booleans: 是/否 and an empty cell stays unknown (NA), never False
    assert a.loc["Q2111", "property_management"] == True  # noqa: E712
    assert a.loc["Q2111", "supervisor"] == False  # noqa: E712
    assert pd.isna(a.loc["Q2111", "security"])
    # defaults are documented, not filled in: an empty radius stays empty
    assert pd.isna(tiny_net.stations.loc["T1", "radius_m"])
    assert schema.TABLES["stations"].column("radius_m").default == 1000.0


def test_absent_optional_tables_are_empty_with_columns():
    t = tiny_tables()
    orgs = t["organisations"][t["organisations"]["scope"] != "unit"]
    net = orgnet.OrgNetwork(areas=t["areas"], organisations=orgs)
    for name in ("units", "stations", "demands", "resources", "projects"):
        df = net.tables[name]
        assert len(df) == 0 and df.index.name == "id"
        assert list(df.columns) == schema.TABLES[name].column_names[1:]
    assert list(net.ties.columns) == schema.TABLES["ties"].column_names
    assert net.active_ties().empty


def test_inputs_are_not_mutated():
    t = tiny_tables()
    before = copy.deepcopy(t)
    orgnet.OrgNetwork(**t)
    for k in t:
        pd.testing.assert_frame_equal(t[k], before[k])


def test_id_as_index_accepted():
    t = tiny_tables()
    t["areas"] = t["areas"].set_index("id")
    net = orgnet.OrgNetwork(**t)
    assert "C11" in net.areas.index


def test_row_order_does_not_change_tables():
    t = tiny_tables()
    a = orgnet.OrgNetwork(**t)
    shuffled = {k: v.sample(frac=1, random_state=3) for k, v in t.items()}
    b = orgnet.OrgNetwork(**shuffled)
    for name in ("areas", "organisations", "units"):
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name].loc[a.tables[name].index])
    assert b.source_rows("areas").loc["D1"] != 2 or a.source_rows("areas").loc["D1"] == 2


def test_graph_nodes_and_edges(tiny_net):
    g = tiny_net.graph
    assert isinstance(g, nx.MultiDiGraph)
    kinds = pd.Series(dict(g.nodes(data="kind"))).value_counts().to_dict()
    assert kinds == {"area": 13, "organisation": 8, "unit": 5, "station": 2}
    ek = pd.Series([d["kind"] for _, _, d in g.edges(data=True)]).value_counts().to_dict()
    # hand count: 12 contains (13 areas, 1 root), 7 leads, 8 orgs + 5 units + 2 stations located_in,
    # 1 belongs_to, 8 ties (one of each kind used)
    assert ek == {"contains": 12, "located_in": 15, "leads": 7, "belongs_to": 1, "co_building": 1,
                  "activity": 1, "dual_report": 1, "covers": 1, "instructor": 1, "backstop": 1,
                  "part_time_member": 1, "pairing": 1}
    assert g.has_edge("S1", "C11") and g.has_edge("O2", "O4") and g.has_edge("O7", "U1")
    (d,) = [d for d in g.get_edge_data("U4", "O4").values() if d["kind"] == "activity"]
    assert d["count"] == 3 and d["start"] == pd.Timestamp("2025-03-01") and d["tie"] == 1
    assert g.nodes["U1"]["employees"] == 150 and "lon" not in g.nodes["U1"]  # empty values left out
    assert tiny_net.graph is g  # cached


def test_area_and_org_trees(tiny_net):
    t = tiny_net.area_tree
    assert nx.is_arborescence(t)
    assert t.nodes["G111"]["level"] == "grid"
    assert set(t.successors("C11")) == {"G111", "G112"}
    o = tiny_net.org_tree
    assert nx.is_arborescence(o) and set(o.successors("O4")) == {"O6", "O7"}


def test_area_paths_and_ancestors(tiny_net):
    p = tiny_net.area_paths
    assert list(p.columns) == list(schema.LEVELS)
    assert p.loc["Q1121", ["district", "street", "community", "grid", "compound"]].tolist() == \
        ["D1", "S1", "C11", "G112", "Q1121"]
    assert p.loc["S2", "community"] is None and p.loc["D1", "city"] is None
    assert tiny_net.ancestor(["Q2111", "G121", "D1"], "street").tolist() == ["S2", "S1", None]
    units = tiny_net.units["area"]
    assert tiny_net.ancestor(units, "community").to_dict() == \
        {"U1": "C11", "U2": "C12", "U3": "C11", "U4": "C21", "U5": "C11"}
    assert set(tiny_net.descendants("S1", level="grid")) == {"G111", "G112", "G121"}
    assert set(tiny_net.descendants("C11")) == {"G111", "G112", "Q1111", "Q1121"}
    assert "C11" in tiny_net.descendants("C11", include_self=True)
    with pytest.raises(orgnet.OrgnetParameterError, match="'level' parameter of ancestor"):
        tiny_net.ancestor(["C11"], "province")
    with pytest.raises(orgnet.OrgnetParameterError, match="must be an area id"):
        tiny_net.descendants("U1")


def test_locations_follow_the_rules(tiny_net):
    loc = tiny_net.locations
    assert loc.loc["U4", ["lon", "lat", "source"]].tolist() == [103.882, 36.052, "own"]
    assert loc.loc["U5", ["lon", "lat", "source"]].tolist() == [103.8252, 36.0432, "area"]  # Q1121
    assert loc.loc["O7", ["lon", "lat", "source"]].tolist() == [103.821, 36.041, "unit"]  # U1 -> G111
    assert loc.loc["O4", "source"] == "area" and loc.loc["O4", "lon"] == 103.82
    assert loc.loc["T2", ["lon", "lat", "source"]].tolist() == [103.88, 36.05, "area"]  # C21
    assert loc.loc["N1", "source"] == "owner" and loc.loc["N1", "lon"] == 103.82  # O4 -> C11
    assert loc.loc["R1", ["lon", "source"]].tolist() == [103.882, "owner"]  # U4's own
    assert loc.loc["R2", ["lon", "lat", "source"]].tolist() == [103.8, 36.0, "own"]
    assert loc.index.is_unique and len(loc) == 13 + 8 + 5 + 2 + 2 + 2


def test_active_ties_and_as_of(tiny_net):
    assert tiny_net.as_of == pd.Timestamp("2025-06-30")  # resources R2 date, the latest start-type date
    assert tiny_net.active_ties().index.tolist() == [0, 1, 2, 3, 5, 6, 7]  # instructor ended 2024-12-31
    assert 4 in tiny_net.active_ties("2024-12-31").index  # the end day itself is still active
    assert tiny_net.active_ties("2024-06-01").index.tolist() == [0, 2, 3, 4, 5, 6]
    assert tiny_net.active_ties("2020-01-01").empty
    assert tiny_net.active_ties(kinds="co_building").index.tolist() == [0]
    assert len(tiny_net.active_ties(kinds=["covers", "backstop"])) == 2
    with pytest.raises(orgnet.OrgnetParameterError, match="'as_of' parameter of active_ties"):
        tiny_net.active_ties("not a date")
    with pytest.raises(orgnet.OrgnetParameterError, match="'kinds' parameter"):
        tiny_net.active_ties(kinds="friendship")
    explicit = orgnet.OrgNetwork(**tiny_tables(), as_of="2024-01-01")
    assert explicit.as_of == pd.Timestamp("2024-01-01")


def test_entity_kinds(tiny_net):
    k = tiny_net.entity_kinds
    assert k["C11"] == "area" and k["O7"] == "organisation" and k["U3"] == "unit" and k["T1"] == "station"
    assert len(k) == 28


def test_repr_and_html(tiny_net):
    r = repr(tiny_net)
    assert r.splitlines()[0] == "OrgNetwork 'tiny' (as of 2025-06-30)"
    assert "areas" in r and "district 1, street 2, community 3, grid 4, compound 3" in r
    t = tiny_tables()
    t["ties"].loc[0, "kind"] = "co_building"
    net = orgnet.OrgNetwork(**t, name="<script>alert(1)</script>")
    h = net._repr_html_()
    assert "<script>" not in h and "&lt;script&gt;" in h
    s = tiny_net.summary()
    assert s.set_index(["table", "group"]).loc[("units", "private_enterprise"), "count"] == 2


def test_equality(tiny_net):
    assert tiny_net == orgnet.OrgNetwork(**tiny_tables())
    t = tiny_tables()
    t["units"].loc[0, "employees"] = "151"
    assert tiny_net != orgnet.OrgNetwork(**t)


def test_non_dataframe_input_is_refused():
    with pytest.raises(orgnet.OrgnetParameterError, match="'areas' table must be a pandas DataFrame"):
        orgnet.OrgNetwork(areas=[1, 2], organisations=pd.DataFrame())


def test_typed_frames_take_the_fast_path():
    """Frames built in Python with real dtypes validate like text frames."""
    t = tiny_tables()
    typed = dict(t)
    typed["ties"] = t["ties"].assign(
        start=pd.to_datetime(t["ties"]["start"]),
        end=pd.to_datetime(t["ties"]["end"].replace("", None)),
        count=pd.to_numeric(t["ties"]["count"].replace("", None)).astype("Int64"),
    )
    typed["units"] = t["units"].assign(employees=t["units"]["employees"].astype(int))
    a, b = orgnet.OrgNetwork(**t), orgnet.OrgNetwork(**typed)
    pd.testing.assert_frame_equal(a.ties, b.ties)
    pd.testing.assert_frame_equal(a.units, b.units)
    bad = dict(typed)
    bad["units"] = typed["units"].assign(employees=[150, -1, 35, 80, 12])
    with pytest.raises(orgnet.OrgnetDataError) as info:
        orgnet.OrgNetwork(**bad)
    (p,) = info.value.problems
    assert (p.table, p.row, p.column, p.value) == ("units", 3, "employees", -1.0)
