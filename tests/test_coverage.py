"""coverage: hand-checked classes, flags and rates on the tiny fixture, plus properties."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import orgnet
from orgnet import coverage
from conftest import tiny_tables


def test_unit_classes_hand_checked(tiny_net):
    uc = coverage.unit_coverage(tiny_net)
    # U1 has its own org O7; U2 is covered by joint org O8; U3's instructor tie ended
    # 2024-12-31; U4 only co-builds; U5 has a backstop from street committee O2
    assert uc["coverage"].astype(str).to_dict() == {
        "U1": "own", "U2": "joint", "U3": "none", "U4": "none", "U5": "work"}
    assert uc["covered_by"].fillna("-").to_dict() == {"U1": "O7", "U2": "O8", "U3": "-", "U4": "-", "U5": "O2"}
    assert uc["org_covered"].tolist() == [True, True, False, False, False]
    assert uc["work_covered"].tolist() == [True, True, False, False, True]
    # 3-member rule: U3 (4 members) and U4 (40) have none of their own; U1 has O7
    assert uc["due_not_established"].tolist() == [False, False, True, True, False]
    # size rules: U1 (150 staff) is covered; U3 is a social org with 35 >= 30 staff, uncovered
    assert uc["size_rule_gap"].tolist() == [False, False, True, False, False]
    assert uc[["street", "community"]].loc["U4"].tolist() == ["S2", "C21"]
    assert list(uc.columns) == ["name", "type", "sector", "area", "street", "community", "employees",
                                "party_members", "coverage", "covered_by", "org_covered", "work_covered",
                                "due_not_established", "size_rule_gap"]


def test_as_of_moves_classes(tiny_net):
    # mid-2024 the instructor tie to U3 was active
    assert coverage.unit_coverage(tiny_net, as_of="2024-06-01").loc["U3", "coverage"] == "work"
    # before O7 was established (2019-07-01) U1 had no organisation; before the 2022 covers tie
    # U2 had none; before the 2024 backstop U5 had none
    early = coverage.unit_coverage(tiny_net, as_of="2019-01-01")["coverage"].astype(str)
    assert early.tolist() == ["none", "none", "none", "none", "none"]
    assert coverage.unit_coverage(tiny_net, as_of="2019-07-01").loc["U1", "coverage"] == "own"


def test_joint_needs_a_joint_industry_or_sector_source():
    t = tiny_tables()
    t["ties"].loc[3, "source"] = "O4"  # a territorial org "covers" U2: not organisational coverage
    uc = coverage.unit_coverage(orgnet.OrgNetwork(**t))
    assert uc.loc["U2", "coverage"] == "none"


def test_thresholds_are_parameters(tiny_net):
    uc = coverage.unit_coverage(tiny_net, min_members=5, social_org_staff=40, enterprise_staff=10)
    assert uc["due_not_established"].tolist() == [False, False, False, True, False]
    assert uc["size_rule_gap"].tolist() == [False, False, False, False, False]  # U3 35 < 40
    # monotone: raising the member threshold never adds due units
    counts = [int(coverage.unit_coverage(tiny_net, min_members=m)["due_not_established"].sum())
              for m in range(0, 50, 5)]
    assert counts == sorted(counts, reverse=True)


def test_unknown_members_or_staff_stay_unknown():
    t = tiny_tables()
    t["units"].loc[2, "party_members"] = ""
    t["units"].loc[2, "employees"] = ""
    t["units"].loc[0, "party_members"] = ""  # U1 has its own org: not due, whatever its members
    uc = coverage.unit_coverage(orgnet.OrgNetwork(**t))
    assert pd.isna(uc.loc["U3", "due_not_established"]) and pd.isna(uc.loc["U3", "size_rule_gap"])
    assert uc.loc["U1", "due_not_established"] == False  # noqa: E712


def test_rates_by_street_hand_checked(tiny_net):
    r = coverage.coverage_rates(tiny_net, by="street")
    assert r.index.tolist() == ["S1", "S2"]
    assert r.loc["S1", ["units", "own", "joint", "work", "none"]].tolist() == [4, 1, 1, 1, 1]
    assert r.loc["S1", "org_coverage_rate"] == 0.5 and r.loc["S1", "work_coverage_rate"] == 0.75
    assert r.loc["S2", ["units", "org_coverage_rate", "due_not_established"]].tolist() == [1, 0.0, 1]
    assert r.loc["S1", "name"] == "东湖街道"


def test_rates_by_community_include_empty_areas(tiny_net):
    r = coverage.coverage_rates(tiny_net, by="community")
    assert r["units"].to_dict() == {"C11": 3, "C12": 1, "C21": 1}
    with pytest.warns(orgnet.OrgnetWarning, match="1 unit"):  # U4 sits in community C21, above grid level
        g = coverage.coverage_rates(tiny_net, by="grid")
    assert g.attrs["outside"] == 1
    assert len(g) == 4 and g.loc["G211", "units"] == 0 and np.isnan(g.loc["G211", "org_coverage_rate"])


def test_rates_by_type_sector_all(tiny_net):
    t = coverage.coverage_rates(tiny_net, by="type")
    assert t.loc["private_enterprise", ["units", "org_coverage_rate"]].tolist() == [2, 1.0]
    assert t.loc["state_enterprise", "units"] == 0
    s = coverage.coverage_rates(tiny_net, by="sector")
    assert s["units"].to_dict() == {"business_building": 1, "park": 1, "market": 0, "internet": 0, "none": 3}
    a = coverage.coverage_rates(tiny_net, by="all")
    assert a.loc["all", ["units", "org_covered", "work_covered", "size_rule_gaps"]].tolist() == [5, 2, 3, 1]
    assert a.loc["all", "org_coverage_rate"] == pytest.approx(0.4)


def test_rates_properties_on_demo(demo):
    for by in ("street", "community", "type", "sector", "all"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", orgnet.OrgnetWarning)
            r = coverage.coverage_rates(demo, by=by)
        rates = r[["org_coverage_rate", "work_coverage_rate"]].dropna()
        assert ((rates >= 0) & (rates <= 1)).all().all()
        assert (r["work_coverage_rate"].fillna(0) >= r["org_coverage_rate"].fillna(0)).all()
        if by in ("type", "sector", "all"):
            assert r["units"].sum() == len(demo.units)


def test_row_order_invariance():
    t = tiny_tables()
    a = coverage.coverage_rates(orgnet.OrgNetwork(**t), by="street")
    shuffled = {k: v.sample(frac=1, random_state=7) for k, v in t.items()}
    b = coverage.coverage_rates(orgnet.OrgNetwork(**shuffled), by="street")
    pd.testing.assert_frame_equal(a, b.loc[a.index])
    ua = coverage.unit_coverage(orgnet.OrgNetwork(**t))
    ub = coverage.unit_coverage(orgnet.OrgNetwork(**shuffled))
    pd.testing.assert_frame_equal(ua, ub.loc[ua.index])


def test_place_coverage_hand_checked(tiny_net):
    pc = coverage.place_coverage(tiny_net, level="grid")
    assert pc["organised"].to_dict() == {"G111": True, "G112": False, "G121": False, "G211": False}
    assert pc.loc["G111", "organisations"] == "O6" and pc.loc["G111", "n_organisations"] == 1
    assert pc.attrs["organised_share"] == 0.25
    c = coverage.place_coverage(tiny_net, level="community")
    assert c["organised"].to_dict() == {"C11": True, "C12": True, "C21": False}
    # O4 was established in 2015; O5 has no established date and counts whatever the date
    early = coverage.place_coverage(tiny_net, level="community", as_of="2014-01-01")
    assert early["organised"].to_dict() == {"C11": False, "C12": True, "C21": False}


def test_parameters_are_checked(tiny_net):
    with pytest.raises(orgnet.OrgnetParameterError,
                       match=r"The 'by' parameter of coverage_rates must be one of .* Got 'province' instead"):
        coverage.coverage_rates(tiny_net, by="province")
    with pytest.raises(orgnet.OrgnetParameterError, match="'min_members' parameter of unit_coverage"):
        coverage.unit_coverage(tiny_net, min_members=-1)
    with pytest.raises(orgnet.OrgnetParameterError, match="'as_of' parameter of unit_coverage"):
        coverage.unit_coverage(tiny_net, as_of="soon")
    with pytest.raises(orgnet.OrgnetParameterError, match="'level' parameter of place_coverage"):
        coverage.place_coverage(tiny_net, level="planet")


def test_no_units_gives_empty_results():
    t = tiny_tables()
    orgs = t["organisations"][t["organisations"]["scope"] != "unit"]
    net = orgnet.OrgNetwork(areas=t["areas"], organisations=orgs)
    assert coverage.unit_coverage(net).empty
    r = coverage.coverage_rates(net, by="street")
    assert r["units"].tolist() == [0, 0] and r["org_coverage_rate"].isna().all()
