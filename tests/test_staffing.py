"""orgnet.staffing on a hand-checked fixture and the demo (issue 12, part 2)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import orgnet
from orgnet import staffing
from conftest import activity_tables, tiny_tables


@pytest.fixture
def net():
    return orgnet.OrgNetwork(**tiny_tables(), **activity_tables())


def test_people_by_area_hand_checked(net):
    g = staffing.people_by_area(net)  # as of 2025-06-30: H4 (a cadre at G121 until 2024-12-31) has left
    assert list(g.index) == ["G111", "G112", "G121", "G211"]
    assert g.loc["G111", ["grid_worker", "building_head", "total", "population", "posts"]].tolist() == [1, 2, 3, 1200, 0]
    assert g.loc["G111", "per_1000"] == pytest.approx(2.5)
    assert g["total"].tolist() == [3, 0, 0, 0]
    assert g.attrs["above_level"] == 12  # the in-service members reporting to community C11
    assert list(g.columns) == ["name", *staffing.ROLES, "total", "population", "per_1000", "posts"]


def test_people_by_area_at_as_of_boundaries(net):
    assert staffing.people_by_area(net, as_of="2024-12-31").loc["G121", "cadre"] == 1  # the end day counts
    assert staffing.people_by_area(net, as_of="2025-01-01").loc["G121", "cadre"] == 0
    assert staffing.people_by_area(net, as_of="2023-04-30").loc["G121", "cadre"] == 0  # before the start
    early = staffing.people_by_area(net, as_of="2023-12-31")
    assert early.loc["G111", "grid_worker"] == 0 and early.loc["G111", "building_head"] == 2  # no start: always


def test_people_by_area_at_community_level(net):
    c = staffing.people_by_area(net, level="community")
    assert c.loc["C11", ["in_service_member", "grid_worker", "building_head", "total", "posts"]].tolist() == [12, 1, 2, 15, 15]
    assert c.loc["C11", "population"] == 2100  # no population of its own: its grids' 1,200 + 900
    assert c.loc["C11", "per_1000"] == pytest.approx(1000 * 15 / 2100)
    s = staffing.people_by_area(net, level="street")
    assert s["population"].tolist() == [3600, 800]  # S1: C11's 2,100 + C12's 1,500 (its grid's)
    assert s.loc["S1", "total"] == 15 and s.loc["S1", "per_1000"] == pytest.approx(1000 * 15 / 3600)


def test_rule_gaps_hand_checked(net):
    gaps = staffing.rule_gaps(net)
    assert gaps[["rule", "required", "actual", "short"]].to_dict("index") == {
        "G112": {"rule": "grid_workers_per_grid", "required": 1, "actual": 0, "short": 1},
        "G121": {"rule": "grid_workers_per_grid", "required": 1, "actual": 0, "short": 1},
        "G211": {"rule": "grid_workers_per_grid", "required": 1, "actual": 0, "short": 1},
        "T1": {"rule": "staff_per_station", "required": 2, "actual": 0, "short": 2},
        "T2": {"rule": "staff_per_station", "required": 2, "actual": 0, "short": 2},
    }
    # H4 staffed T1 until 2024-12-31 (count empty = 1): one short of two on that day
    assert staffing.rule_gaps(net, as_of="2024-12-31").loc["T1", "actual"] == 1
    # exactly at the rule is no gap; a rule of 0 is not checked
    assert "T1" not in staffing.rule_gaps(net, as_of="2024-12-31", staff_per_station=1).index
    assert list(staffing.rule_gaps(net, grid_workers_per_grid=0, staff_per_station=0).index) == []
    assert "G111" in staffing.rule_gaps(net, grid_workers_per_grid=2).index


def test_dual_reporting_hand_checked(net):
    d = staffing.dual_reporting(net)
    assert d.loc["C11", ["members", "in_grid", "posts", "units", "units_reporting"]].tolist() == [12, 0, 15, 2, 0]
    assert d.loc["C11", "grid_share"] == 0 and d.loc["C11", "posts_per_member"] == pytest.approx(1.25)
    nowhere = d["reporting_nowhere"].astype(object)
    assert nowhere.where(nowhere.notna(), None).tolist() == ["U1,U3", "U2", None]
    assert d.loc["C21", "units_reporting"] == 1  # U4 sends its members to C11
    assert d.attrs["reporting_nowhere"] == 3
    assert np.isnan(d.loc["C12", "grid_share"])


def test_results_do_not_depend_on_row_order(net):
    t = {**tiny_tables(), **activity_tables()}
    t["people"] = t["people"].iloc[::-1]
    shuffled = orgnet.OrgNetwork(**t)
    for f in (staffing.people_by_area, staffing.rule_gaps, staffing.dual_reporting):
        pd.testing.assert_frame_equal(f(shuffled), f(net))


def test_absent_people_table_is_said(tiny_net):
    for f in (staffing.people_by_area, staffing.rule_gaps, staffing.dual_reporting):
        with pytest.raises(orgnet.OrgnetMissingDataError, match="needs the 'people' table"):
            f(tiny_net)


def test_parameters_are_declared(net):
    with pytest.raises(orgnet.OrgnetParameterError, match="'level' parameter of people_by_area"):
        staffing.people_by_area(net, level="block")
    with pytest.raises(orgnet.OrgnetParameterError, match="'staff_per_station' parameter of rule_gaps must be an integer >= 0"):
        staffing.rule_gaps(net, staff_per_station=-1)


def test_demo_figures_documented_in_its_readme():
    net = orgnet.datasets.load("demo")
    g = staffing.people_by_area(net)
    assert (g["total"] == 0).sum() == 1 and g.index[g["total"] == 0].tolist() == ["G134"]
    gaps = staffing.rule_gaps(net)
    assert gaps.index.tolist() == ["G134", "G233", "T4", "T5", "B12112"]
    d = staffing.dual_reporting(net)
    assert int(d["members"].sum()) == 65 and int(d["in_grid"].sum()) == 30
    assert d.attrs["reporting_nowhere"] == 23


def test_unstaffed_grids_become_a_vacuum_reason(net):
    va = orgnet.vacuum.vacuum_areas(net)
    grids = va[va["level"] == "grid"]
    assert grids["unstaffed"].to_dict() == {"G111": False, "G112": True, "G121": True, "G211": True}
    assert not va.loc[va["level"] == "compound", "unstaffed"].any()  # grids only
    assert "unstaffed" in va.loc["G112", "reasons"]
    # H4, a cadre placed at G121 until 2024-12-31, staffs it on that day
    assert orgnet.vacuum.vacuum_areas(net, as_of="2024-12-31").loc["G121", "unstaffed"] == False  # noqa: E712
    s = orgnet.vacuum.vacuum_summary(net, by="street")
    assert s.loc["S1", "unstaffed"] == 2 and s.loc["S2", "unstaffed"] == 1
    assert orgnet.vacuum.reasons_of(va)[-1] == "unstaffed"


def test_without_a_people_table_vacuum_is_as_before(tiny_net):
    va = orgnet.vacuum.vacuum_areas(tiny_net)
    assert "unstaffed" not in va.columns and "unstaffed" not in orgnet.vacuum.vacuum_summary(tiny_net).columns
    assert orgnet.vacuum.reasons_of(va) == list(orgnet.vacuum.REASONS[:5])
    assert "unstaffed" not in ",".join(va["reasons"].astype(str))


def test_demo_unstaffed_grid_is_g134():
    va = orgnet.vacuum.vacuum_areas(orgnet.datasets.load("demo"))
    assert va.index[va["unstaffed"].fillna(False).to_numpy(bool)].tolist() == ["G134"]
    assert int(va["vacuum"].sum()) == 27  # G134 was a vacuum already: no count moves
