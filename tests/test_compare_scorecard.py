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
    # N1 (venue 2, by C11's O4) fully met by R1; no other open demand
    assert sc["demands_met_share"].iloc[0] == 1.0 and sc["demands_met_share"].iloc[1:].isna().all()
    assert "matched_share" not in sc
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
    for k in ("org_coverage_rate", "co_building_agreements", "dormant_agreements", "demands_met_share"):
        assert c.indicators.loc[k, "change"] == 0


def test_scorecard_reuses_a_match(tiny_net):
    from orgnet import sharing

    m = sharing.match(tiny_net)
    pd.testing.assert_frame_equal(scorecard.scorecard(tiny_net, match=m), scorecard.scorecard(tiny_net))
    with pytest.raises(orgnet.OrgnetParameterError, match="'match' parameter of scorecard"):
        scorecard.scorecard(tiny_net, match="cached")


def funding_and_care_net():
    """The tiny district where C11's committee O4 also asks for 20,000 yuan of funding (U4
    offers 20,000) and for elderly care for 30 people (nobody offers it)."""
    t = tiny_tables()
    t["demands"].loc[len(t["demands"])] = ["N3", "O4", "funding", "20000", "2025-01-20", "open"]
    t["demands"].loc[len(t["demands"])] = ["N4", "O4", "elderly_care", "30", "2025-01-20", "open"]
    t["resources"].loc[len(t["resources"])] = ["R3", "U4", "funding", "20000", "", "", "2025-01-01"]
    return orgnet.OrgNetwork(**t, name="funding and care")


def test_scorecard_sharing_counts_demands_not_summed_quantities():
    sc = scorecard.scorecard(funding_and_care_net())
    # C11 posts N1 (venue 2, met), N3 (funding 20,000, met), N4 (elderly care 30, unmet): 2 of 3;
    # quantities summed across categories would say 20,002 / 20,032 = 0.9985
    assert sc.loc["C11", "demands_met_share"] == pytest.approx(2 / 3)
    assert sc[["demands_met_share"]].iloc[1:].isna().all().all()
    ind = compare.indicators(funding_and_care_net())
    assert ind[["open_demands", "demands_met"]].tolist() == [3, 2]
    assert ind["demands_met_share"] == pytest.approx(2 / 3)
    assert ind[["matched_share:venue", "matched_share:funding", "matched_share:elderly_care"]].tolist() == \
        [1.0, 1.0, 0.0]
    assert pd.isna(ind["matched_share:legal"])  # N2 (legal) is met already: no open legal demand
    # R1 venue 3 gives 2; R2 training 1 unused (dated 2025-06-30, within the ledger); R3 funding all used
    assert ind[["idle_capacity_share:venue", "idle_capacity_share:funding"]].tolist() == [pytest.approx(1 / 3), 0.0]
    assert "matched_share" not in ind and "open_demand" not in ind


def test_scorecard_on_demo_hand_checked(demo):
    sc = scorecard.scorecard(demo)
    # open demands by community (demo README): C11 N2 met; C13 N10 funding met, N4 elderly care not;
    # C22 N7 legal not; C23 N5, N8 met; C12, C21 none. C13 was 0.9985 by summed quantity.
    got = sc["demands_met_share"]
    assert got[["C11", "C13", "C22", "C23"]].tolist() == [1.0, 0.5, 0.0, 1.0]
    assert got[["C12", "C21"]].isna().all()
    assert sc.loc[["C11", "C13", "C22", "C23"], "rank_demands_met_share"].tolist() == [1, 3, 4, 1]


def test_scorecard_matched_share_weight_points_to_the_new_indicator(tiny_net):
    with pytest.raises(orgnet.OrgnetParameterError, match="weight 'demands_met_share'"):
        scorecard.scorecard(tiny_net, weights={"matched_share": 1})
    sc = scorecard.scorecard(tiny_net, weights={"demands_met_share": 1})
    assert sc["composite"].iloc[0] == 0.5 and sc["composite"].iloc[1:].isna().all()  # one area: all equal
