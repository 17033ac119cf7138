"""compare and scorecard: hand-checked against the underlying analyses on the tiny fixture."""

from __future__ import annotations

import pandas as pd
import pytest

import orgnet
from orgnet import compare, coverage, linkage, scorecard
from conftest import tiny_tables


def after_campaign():
    """The tiny district after a year's work: Q1121 got property management, grid G112 a
    branch, and the instructor at U3 was renewed."""
    t = tiny_tables()
    a = t["areas"]
    a.loc[a["id"] == "Q1121", "property_management"] = "true"
    t["organisations"].loc[len(t["organisations"])] = ["O9", "春晖二网格党支部", "branch", "territorial",
                                                      "O4", "G112", "", "6", "2025-05-01", ""]
    t["ties"].loc[len(t["ties"])] = ["O4", "U3", "instructor", "2025-02-01", "", "", "续派"]
    return orgnet.OrgNetwork(**t, name="after")


def test_compare_indicators_and_changes(tiny_net):
    c = compare.compare(tiny_net, after_campaign())
    ind = c.indicators
    assert ind.loc["three_no_compounds", ["before", "after", "change"]].tolist() == [1, 0, -1]
    assert ind.loc["uncovered_units", ["before", "after"]].tolist() == [2, 1]
    assert ind.loc["work_coverage_rate", ["before", "after"]].tolist() == [pytest.approx(0.6), pytest.approx(0.8)]
    assert ind.loc["organised_grid_share", ["before", "after"]].tolist() == [0.25, 0.5]
    assert ind.loc["units", "change"] == 0
    ch = set(map(tuple, c.changes.to_numpy()))
    assert ("vacuum:three_no", "Q1121", "left") in ch
    assert ("vacuum:no_organisation", "G112", "left") in ch and ("vacuum:no_organisation", "Q1121", "left") in ch
    assert ("uncovered_units", "U3", "left") in ch
    assert all(change in ("entered", "left") for change in c.changes["change"])
    # reversed, everything that left has entered
    back = compare.compare(after_campaign(), tiny_net)
    assert back.indicators["change"].fillna(0).equals(-c.indicators["change"].fillna(0))
    swap = {"entered": "left", "left": "entered"}
    assert set(map(tuple, back.changes.to_numpy())) == {(lst, i, swap[ch]) for lst, i, ch in ch}


def test_compare_agrees_with_the_analyses(tiny_net):
    ind = compare.indicators(tiny_net)
    r = coverage.coverage_rates(tiny_net, by="all")
    assert ind["org_coverage_rate"] == r.loc["all", "org_coverage_rate"]
    ts = linkage.tie_strength(tiny_net)
    assert ind["mean_tie_strength"] == pytest.approx(ts["strength"].mean())
    assert ind["co_building_agreements"] == 1 and ind["dormant_agreements"] == 0
    # vacuum population counts each resident once: leaves G121 1500, Q1121 300, Q2111 500
    assert ind["vacuum_population"] == 2300


def test_compare_as_of_forms(tiny_net):
    c = compare.compare(tiny_net, tiny_net, as_of=("2024-06-01", "2025-06-30"))
    assert c.indicators.loc["uncovered_units", ["before", "after"]].tolist() == [1, 2]  # U3's instructor ended
    with pytest.raises(orgnet.OrgnetParameterError, match="'as_of' parameter of compare"):
        compare.compare(tiny_net, tiny_net, as_of=("2024-01-01",))
    with pytest.raises(orgnet.OrgnetParameterError, match="'after' parameter of compare"):
        compare.compare(tiny_net, "later")


def test_scorecard_hand_checked(tiny_net):
    sc = scorecard.scorecard(tiny_net)
    assert sc["org_coverage_rate"].tolist() == [pytest.approx(1 / 3), 1.0, 0.0]  # C11, C12, C21
    # leaves: Q1111 600 and Q1121 300 (C11), G121 1500 (C12), Q2111 500 (C21); vacuum: Q1121, G121, Q2111
    assert sc["vacuum_population_share"].tolist() == [pytest.approx(1 / 3), 1.0, 1.0]
    li = linkage.linkage_index(tiny_net)
    assert sc["linkage_strength"].tolist() == li["strength"].tolist()
    assert sc["matched_share"].iloc[0] == 1.0 and sc["matched_share"].iloc[1:].isna().all()
    assert sc["projects"].tolist() == [0, 1, 0]  # P1: C12's committee O5 with U4
    assert sc["rank_org_coverage_rate"].tolist() == [2, 1, 3]
    assert sc["rank_vacuum_population_share"].tolist() == [1, 2, 2]  # lower is better; ties share
    assert "composite" not in sc  # off unless asked


def test_scorecard_composite_weights(tiny_net):
    sc = scorecard.scorecard(tiny_net, weights={"org_coverage_rate": 1, "vacuum_population_share": 1})
    # scaled org coverage 1/3, 1, 0; scaled vacuum share (lower better) 1, 0, 0
    assert sc["composite"].tolist() == [pytest.approx(2 / 3), 0.5, 0.0]
    assert sc["rank_composite"].tolist() == [1, 2, 3]
    only = scorecard.scorecard(tiny_net, weights={"org_coverage_rate": 2})
    assert only["composite"].tolist() == [pytest.approx(1 / 3), 1.0, 0.0]
    eq = scorecard.scorecard(tiny_net, weights="equal")
    assert eq["composite"].between(0, 1).all()
    with pytest.raises(orgnet.OrgnetParameterError, match="indicators among"):
        scorecard.scorecard(tiny_net, weights={"happiness": 1})
    with pytest.raises(orgnet.OrgnetParameterError, match="'weights' parameter of scorecard"):
        scorecard.scorecard(tiny_net, weights="best")


def test_compare_synthetic_three_no_campaign():
    """Weinan's figures: 526 three-no compounds before a three-month campaign, 66 after."""
    before = orgnet.datasets.synthetic_city("lanzhou", seed=0)
    after = orgnet.datasets.synthetic_city("lanzhou", seed=0, campaign=True)
    c = compare.compare(before, after, match_kwargs={"max_distance_m": 5000})
    assert c.indicators.loc["three_no_compounds", ["before", "after", "change"]].tolist() == [526, 66, -460]
    left = c.changes[(c.changes["list"] == "vacuum:three_no")]
    assert len(left) == 460 and set(left["change"]) == {"left"}
    # the campaign changes compound flags only: coverage and linkage stay as they were
    for k in ("org_coverage_rate", "co_building_agreements", "dormant_agreements", "matched_share"):
        assert c.indicators.loc[k, "change"] == 0


def test_scorecard_reuses_a_match(tiny_net):
    from orgnet import sharing

    m = sharing.match(tiny_net)
    pd.testing.assert_frame_equal(scorecard.scorecard(tiny_net, match=m), scorecard.scorecard(tiny_net))
    with pytest.raises(orgnet.OrgnetParameterError, match="'match' parameter of scorecard"):
        scorecard.scorecard(tiny_net, match="cached")
