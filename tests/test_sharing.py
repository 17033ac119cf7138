"""sharing: hand-checked matching on a fixture laid along the equator, brute-force
optimum on random instances, realised sharing and inequality."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

import orgnet
from orgnet import sharing
from orgnet.algorithms import transport_match

RANDOM_STATE = 12345
M_PER_DEG = math.radians(1) * 6_371_008.8  # metres per degree of longitude on the equator


def sharing_tables(**extra_ties):
    """Two communities on the equator: C1 at lon 0, C2 at lon 0.02; units at lon 0.005 (U1),
    0.012 (U2), 0.03 (U3), 0.0335 (U4). U2 co-builds with C1's committee, U4 pairs with C2's."""
    areas = pd.DataFrame({
        "id": ["D1", "C1", "C2"], "name": ["区", "一社区", "二社区"], "level": ["district", "community", "community"],
        "parent": [None, "D1", "D1"], "lon": [0.01, 0.0, 0.02], "lat": [0.0, 0.0, 0.0]})
    orgs = pd.DataFrame({
        "id": ["O1", "OC1", "OC2"], "name": ["区委", "一社区党委", "二社区党委"], "form": "committee",
        "scope": "territorial", "parent": [None, "O1", "O1"], "area": ["D1", "C1", "C2"]})
    units = pd.DataFrame({
        "id": ["U1", "U2", "U3", "U4"], "name": ["甲", "乙", "丙", "丁"], "type": "private_enterprise",
        "area": ["C1", "C1", "C2", "C2"], "lon": [0.005, 0.012, 0.03, 0.0335], "lat": 0.0})
    ties = pd.DataFrame({"source": ["U2", "U4"], "target": ["OC1", "OC2"], "kind": ["co_building", "pairing"],
                         "start": ["2024-01-01", "2024-01-01"]})
    demands = pd.DataFrame({
        "id": ["N1", "N2", "N3", "N4"], "owner": ["OC1", "C2", "OC1", "OC2"],
        "category": ["venue", "venue", "legal", "venue"], "quantity": [2, 1, 1, 5],
        "status": ["open", "open", "open", "met"], "date": "2025-01-01"})
    resources = pd.DataFrame({
        "id": ["R1", "R2", "R3"], "owner": ["U1", "U2", "U3"], "category": ["venue", "venue", "training"],
        "capacity": [1, 2, 4], "date": "2025-01-01"})
    return dict(areas=areas, organisations=orgs, units=units, ties=ties, demands=demands, resources=resources)


@pytest.fixture
def snet():
    return orgnet.OrgNetwork(**sharing_tables())


def test_match_hand_checked(snet):
    r = sharing.match(snet)
    a = r.assignments.set_index(["demand", "resource"])
    # venue demand 2 (N1) + 1 (N2) = capacity 1 (R1) + 2 (R2): all matched. Least cost puts R1
    # (556 m) and one unit of R2 (1334 m, an existing partner: -1000) on N1, and R2 (890 m) on N2
    assert a["quantity"].to_dict() == {("N1", "R1"): 1.0, ("N1", "R2"): 1.0, ("N2", "R2"): 1.0}
    assert a.loc[("N1", "R1"), "distance_m"] == pytest.approx(0.005 * M_PER_DEG)
    assert a.loc[("N2", "R2"), "distance_m"] == pytest.approx(0.008 * M_PER_DEG)
    assert a["existing_partner"].to_dict() == {("N1", "R1"): False, ("N1", "R2"): True, ("N2", "R2"): False}
    assert r.matched_quantity == 3
    # N4 is met (not matched); N3 (legal) has no resource of its category
    assert list(r.unmet.index) == ["N1", "N2", "N3"]
    assert r.unmet["unmet"].to_dict() == {"N1": 0, "N2": 0, "N3": 1}
    assert r.idle["idle"].to_dict() == {"R1": 0, "R2": 0, "R3": 4}
    assert r.pairs[["demand_owner", "resource_owner", "quantity"]].values.tolist() == \
        [["C2", "U2", 1.0], ["OC1", "U1", 1.0]]
    s = r.summary()
    assert s.loc["venue", ["demand", "matched", "matched_share"]].tolist() == [3, 3, 1.0]
    assert s.loc["legal", "matched_share"] == 0
    assert s.loc["venue", ["demands", "demands_met", "demands_met_share"]].tolist() == [2, 2, 1.0]
    c = r.summary("community")
    # C1 posts N1 (venue, met) and N3 (legal, unmet); C2 posts N2 (venue, met)
    assert list(c.columns) == ["demands", "demands_met", "demands_met_share"]
    assert c["demands"].to_dict() == {"C1": 2, "C2": 1}
    assert c["demands_met_share"].to_dict() == {"C1": 0.5, "C2": 1.0}


def test_distance_limit(snet):
    r = sharing.match(snet, max_distance_m=1000)
    a = r.assignments.set_index(["demand", "resource"])["quantity"].to_dict()
    # within 1 km only N1-R1 (556 m) and N2-R2 (890 m)
    assert a == {("N1", "R1"): 1.0, ("N2", "R2"): 1.0}
    assert r.unmet["unmet"].to_dict() == {"N1": 1, "N2": 0, "N3": 1}
    assert r.idle.loc["R2", "idle"] == 1
    # a longer limit never matches less
    q = [sharing.match(snet, max_distance_m=d).matched_quantity for d in (100, 600, 1000, 1500, 5000)]
    assert q == sorted(q) and q[0] == 0 and q[-1] == 3


def test_partner_preference():
    t = sharing_tables()
    t["demands"] = t["demands"][t["demands"]["id"] == "N2"]  # C2 needs one venue
    t["resources"] = pd.DataFrame({"id": ["R2", "R4"], "owner": ["U2", "U4"], "category": "venue",
                                   "capacity": [1, 1]})
    net = orgnet.OrgNetwork(**t)
    # R2 is 890 m away; R4 1501 m away but U4 pairs with C2's committee OC2
    assert sharing.match(net).assignments["resource"].tolist() == ["R4"]
    assert sharing.match(net).assignments["existing_partner"].tolist() == [True]
    assert sharing.match(net, prefer_partners=False).assignments["resource"].tolist() == ["R2"]
    assert sharing.match(net, partner_bonus_m=500).assignments["resource"].tolist() == ["R2"]


def test_a_unit_and_its_own_organisation_are_one_party():
    t = sharing_tables()
    t["organisations"].loc[3] = ["OU4", "丁公司党支部", "branch", "unit", "OC2", "C2"]
    t["organisations"]["unit"] = [None, None, None, "U4"]
    t["ties"].loc[1, "source"] = "OU4"  # the pairing is held by U4's organisation
    t["demands"] = t["demands"][t["demands"]["id"] == "N2"]
    t["resources"] = pd.DataFrame({"id": ["R2", "R4"], "owner": ["U2", "U4"], "category": "venue", "capacity": [1, 1]})
    r = sharing.match(orgnet.OrgNetwork(**t))
    assert r.assignments[["resource", "existing_partner"]].values.tolist() == [["R4", True]]


def _brute(q, cap, cost, edges):
    best = (-1, math.inf)
    ranges = [range(int(min(q[i], cap[j])) + 1) for i, j in edges]
    for x in itertools.product(*ranges):
        if any(sum(x[k] for k, (i, _) in enumerate(edges) if i == d) > q[d] for d in range(len(q))):
            continue
        if any(sum(x[k] for k, (_, j) in enumerate(edges) if j == r) > cap[r] for r in range(len(cap))):
            continue
        total, c = sum(x), sum(xk * ck for xk, ck in zip(x, cost))
        if total > best[0] or (total == best[0] and c < best[1] - 1e-9):
            best = (total, c)
    return best


@pytest.mark.parametrize("seed", range(12))
def test_transport_lp_matches_brute_force(seed):
    rng = np.random.default_rng(RANDOM_STATE + seed)
    nd, nr = 3, 2
    q = rng.integers(1, 4, nd).astype(float)
    cap = rng.integers(1, 4, nr).astype(float)
    edges = [(i, j) for i in range(nd) for j in range(nr) if rng.random() < 0.8]
    ei = np.array([e[0] for e in edges], dtype=np.int64)
    ej = np.array([e[1] for e in edges], dtype=np.int64)
    cost = rng.integers(-500, 2000, len(edges)).astype(float)
    x = transport_match(nd, nr, ei, ej, cost, q, cap).flow
    total, c = _brute(q, cap, cost, edges)
    assert x.sum() == total
    assert float(x @ cost) == pytest.approx(c)
    assert np.allclose(x, np.round(x))  # integral data, integral matching


def test_demo_match_properties(demo):
    r = sharing.match(demo)
    assert r.matched_quantity + r.unmet["unmet"].sum() == pytest.approx(r.unmet["quantity"].sum())
    assert (r.idle["used"] <= r.idle["capacity"]).all()
    assert set(r.unmet.index) == set(demo.demands.index[demo.demands["status"] != "met"])
    merged = r.assignments.merge(demo.demands[["category"]], left_on="demand", right_index=True, suffixes=("", "_d"))
    assert (merged["category"] == merged["category_d"]).all()


def test_realised_on_demo(demo):
    rs = sharing.realised(demo)
    # done projects: P1 (C11's O11 with OU01), P2 and P4 (C12's O12), P3 (C21's O21)
    assert rs["projects"].to_dict() == {"C11": 1, "C12": 2, "C13": 0, "C21": 1, "C22": 0, "C23": 0}
    assert rs.loc["C12", ["value", "partners"]].tolist() == [15000.0, 2]
    every = sharing.realised(demo, status="all")
    assert every["projects"].sum() == 6 and every.loc["C23", "projects"] == 1


def test_realised_two_way():
    t = sharing_tables()
    t["projects"] = pd.DataFrame({
        "id": ["P1", "P2", "P3"], "owner": ["OC1", "U2", "OC1"], "partner": ["U2", "C1", "U1"],
        "value": [100, 50, None], "status": "done", "date": "2025-01-01"})
    rs = sharing.realised(orgnet.OrgNetwork(**t))
    # C1 claims from U2 (P1) and U2 claims from C1 (P2): two-way; U1 only one way
    assert rs.loc["C1", ["projects", "value", "partners", "two_way_share"]].tolist() == [3, 150.0, 2, 0.5]
    assert rs.loc["C2", "projects"] == 0 and np.isnan(rs.loc["C2", "two_way_share"])


def test_gini_and_lorenz():
    assert sharing.gini([5, 5, 5]) == 0
    assert sharing.gini([0, 0, 0, 1]) == pytest.approx(0.75)
    assert sharing.gini([1, 2, 3, 4]) == pytest.approx(0.25)
    assert np.isnan(sharing.gini([])) and np.isnan(sharing.gini([0, 0]))
    assert sharing.gini([3, 1, 2]) == sharing.gini([1, 2, 3])  # order does not matter
    lc = sharing.lorenz_curve([1, 2, 3, 4])
    assert lc["value_share"].tolist() == pytest.approx([0, 0.1, 0.3, 0.6, 1.0])
    assert lc["population_share"].tolist() == [0, 0.25, 0.5, 0.75, 1.0]
    with pytest.raises(orgnet.OrgnetParameterError):
        sharing.gini([-1, 2])


def test_gini_refuses_negative_values_at_the_boundary():
    # zero is allowed: the smallest non-negative value
    assert sharing.gini([0, 1]) == pytest.approx(0.5)  # |0-1| * 2 / (2 * 2^2 * 0.5)
    assert np.isnan(sharing.gini([0, 0, 0]))  # all zeros: a zero total, documented as NaN
    assert np.isnan(sharing.gini([np.nan, 0]))  # missing values skipped, zero total left
    # a negative value is refused even when the total is zero (old code: NaN for [-1, 1])
    for bad in ([-1, 1], [-1e-12, 0, 5], [-3]):
        with pytest.raises(orgnet.OrgnetParameterError, match=r"'values' parameter of gini must be numbers >= 0"):
            sharing.gini(bad)


def funding_and_care_tables():
    """C1 posts a funding demand of 20,000 yuan, fully met by U1, and an elderly-care demand
    of 30 people no resource offers; C2 posts one venue, met by U3."""
    t = sharing_tables()
    t["ties"] = t["ties"].iloc[:0]
    t["demands"] = pd.DataFrame({
        "id": ["N1", "N2", "N3"], "owner": ["OC1", "C1", "OC2"],
        "category": ["funding", "elderly_care", "venue"], "quantity": [20000, 30, 1],
        "status": "open", "date": "2025-01-01"})
    t["resources"] = pd.DataFrame({
        "id": ["R1", "R2"], "owner": ["U1", "U3"], "category": ["funding", "venue"],
        "capacity": [50000, 1], "date": "2025-01-01"})
    return t


def test_shares_never_add_quantities_of_different_categories():
    """20,000 yuan of funding must not outweigh 30 people of unmet elderly care."""
    r = sharing.match(orgnet.OrgNetwork(**funding_and_care_tables()))
    assert r.unmet["unmet"].to_dict() == {"N1": 0, "N2": 30, "N3": 0}
    c = r.summary("community")
    # old: C1 matched 20,000 of 20,030 -> 0.9985; now 1 of its 2 demands is fully met
    assert "matched_share" not in c and "demand" not in c
    assert c.loc["C1", ["demands", "demands_met", "demands_met_share"]].tolist() == [2, 1, 0.5]
    assert c.loc["C2", "demands_met_share"] == 1.0
    s = r.summary()
    assert s["matched_share"].to_dict() == {"elderly_care": 0.0, "funding": 1.0, "venue": 1.0}
    assert s["demands_met_share"].to_dict() == {"elderly_care": 0.0, "funding": 1.0, "venue": 1.0}
    assert r.demands_met_share == pytest.approx(2 / 3)  # N1, N3 of N1, N2, N3


def test_new_pairings_are_per_category():
    """OC1 asks U1 for funding 20,000 and a venue: one owner pair, two rows, not 20,001."""
    t = funding_and_care_tables()
    t["demands"].loc[len(t["demands"])] = ["N4", "OC1", "venue", 1, "open", "2025-01-01"]
    t["resources"].loc[len(t["resources"])] = ["R3", "U1", "venue", 1, "2025-01-01"]
    r = sharing.match(orgnet.OrgNetwork(**t))
    got = r.pairs[["demand_owner", "resource_owner", "category", "quantity", "assignments"]].values.tolist()
    assert got == [["OC1", "U1", "funding", 20000.0, 1], ["OC1", "U1", "venue", 1.0, 1],
                   ["OC2", "U3", "venue", 1.0, 1]]


def test_demo_shares_hand_checked(demo):
    """Open demands of the demo (README): N2 volunteers 20 (R7 gives 20), N4 elderly_care 30
    (no resource), N5 employment 15 (R8), N7 legal 10 (no resource), N8 venue 1 (R9),
    N10 funding 20,000 (R6). Quantity summed across categories would say 20,036 of 20,076
    = 99.8%; 4 of the 6 demands are fully met."""
    r = sharing.match(demo)
    assert r.demands_met_share == pytest.approx(4 / 6)
    s = r.summary()
    assert s["matched_share"].to_dict() == {"elderly_care": 0.0, "employment": 1.0, "funding": 1.0,
                                            "legal": 0.0, "venue": 1.0, "volunteers": 1.0}
    assert s["demand"].to_dict() == {"elderly_care": 30.0, "employment": 15.0, "funding": 20000.0,
                                     "legal": 10.0, "venue": 1.0, "volunteers": 20.0}
    assert s["demands"].tolist() == [1] * 6
    c = r.summary("community")
    # owners: N2 O11 (C11); N4 O13 and N10 C13 (C13); N7 O22 (C22); N5 C23 and N8 O23 (C23)
    assert c["demands"].to_dict() == {"C11": 1, "C12": 0, "C13": 2, "C21": 0, "C22": 1, "C23": 2}
    assert c["demands_met"].to_dict() == {"C11": 1, "C12": 0, "C13": 1, "C21": 0, "C22": 0, "C23": 2}
    got = c["demands_met_share"]
    assert got[["C11", "C13", "C22", "C23"]].tolist() == [1.0, 0.5, 0.0, 1.0]  # C13 was 0.9985
    assert got[["C12", "C21"]].isna().all()
    st = r.summary("street")
    assert st["demands_met_share"].tolist() == [pytest.approx(2 / 3), pytest.approx(2 / 3)]  # S1 was 0.9985


def test_parameters(snet):
    with pytest.raises(orgnet.OrgnetParameterError, match="'max_distance_m' parameter of match"):
        sharing.match(snet, max_distance_m=0)
    with pytest.raises(orgnet.OrgnetParameterError, match="max_candidates"):
        sharing.match(snet, max_candidates=1)
    with pytest.raises(orgnet.OrgnetParameterError, match="'prefer_partners' parameter"):
        sharing.match(snet, prefer_partners="yes")


def test_no_demands():
    t = sharing_tables()
    del t["demands"]
    r = sharing.match(orgnet.OrgNetwork(**t))
    assert r.assignments.empty and r.unmet.empty and r.idle["idle"].sum() == 7


@pytest.mark.parametrize("seed", range(4))
def test_separable_solve_equals_one_lp(seed):
    """Solving per component (in small batches) gives the same optimum as one LP."""
    rng = np.random.default_rng(RANDOM_STATE + 100 + seed)
    nd, nr, m = 60, 50, 180
    ei = rng.integers(0, nd, m)
    ej = rng.integers(0, nr, m)
    keep = np.unique(ei * nr + ej, return_index=True)[1]
    ei, ej = ei[keep], ej[keep]
    q = rng.integers(1, 5, nd).astype(float)
    cap = rng.integers(1, 5, nr).astype(float)
    cost = rng.integers(0, 3000, len(ei)).astype(float)
    whole = transport_match(nd, nr, ei, ej, cost, q, cap, batch_edges=None).flow
    parts = transport_match(nd, nr, ei, ej, cost, q, cap, batch_edges=7).flow
    assert parts.sum() == whole.sum()
    assert parts @ cost == pytest.approx(whole @ cost)
