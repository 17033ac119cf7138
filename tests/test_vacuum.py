"""vacuum: reasons hand-checked on the tiny fixture and the demo, maximal covering against
brute force (an independent oracle) on a real instance, and 2SFCA by hand."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest
from conftest import tiny_tables

import orgnet
from orgnet import vacuum
from orgnet._geo import haversine_m

DATA = Path(__file__).resolve().parent / "data"


def _reasons(va):
    return va["reasons"].to_dict()


def test_vacuum_reasons_hand_checked(tiny_net):
    va = vacuum.vacuum_areas(tiny_net)
    assert list(va.index) == ["G111", "G112", "G121", "G211", "Q1111", "Q1121", "Q2111"]
    # O6 is the only territorial org at grid level (G111); the only active co_building tie
    # (U4 -> O4) links community C11; G121 is ~2.7 km from T1 and ~3.5 km from T2 (500 m)
    assert _reasons(va) == {
        "G111": "",
        "G112": "no_organisation",
        "G121": "no_organisation, no_service, unlinked",
        "G211": "no_organisation, unlinked",
        "Q1111": "",
        "Q1121": "no_organisation, three_no",
        "Q2111": "no_organisation, unlinked",
    }
    assert va["vacuum"].sum() == 5
    assert (va["unknown"] == "").all()
    assert va.loc["Q1121", ["street", "community", "population"]].tolist() == ["S1", "C11", 300]
    # Q2111 has property management (是), so it is not three-no even with an empty flag
    assert va.loc["Q2111", "three_no"] == False
    assert va.loc["G111", "three_no"] == False


def test_radius_parameter_replaces_every_station_radius(tiny_net):
    small = vacuum.vacuum_areas(tiny_net, radius_m=100)
    assert small["no_service"].all()  # the nearest place (G111) is ~143 m from T1
    big = vacuum.vacuum_areas(tiny_net, radius_m=5000)
    assert not big["no_service"].any()
    # default: T2 serves with its own 500 m, T1 with the default 1000 m
    assert vacuum.vacuum_areas(tiny_net)["no_service"].sum() == 1
    # monotone in the radius
    counts = [int(vacuum.vacuum_areas(tiny_net, radius_m=r)["no_service"].sum()) for r in (50, 150, 300, 3000, 9000)]
    assert counts == sorted(counts, reverse=True)


def test_missing_coordinates_make_no_service_unknown():
    t = tiny_tables()
    t["areas"].loc[t["areas"]["id"] == "G121", ["lon", "lat"]] = ""
    va = vacuum.vacuum_areas(orgnet.OrgNetwork(**t))
    assert pd.isna(va.loc["G121", "no_service"])
    assert va.loc["G121", "unknown"] == "no_service"
    assert va.loc["G121", "reasons"] == "no_organisation, unlinked"
    assert va.attrs["places_without_location"] == 1


def test_three_no_unknown_when_flags_empty():
    t = tiny_tables()
    t["areas"].loc[t["areas"]["id"] == "Q1121", "security"] = ""
    va = vacuum.vacuum_areas(orgnet.OrgNetwork(**t))
    assert pd.isna(va.loc["Q1121", "three_no"]) and "three_no" in va.loc["Q1121", "unknown"]


def test_sector_gap_and_as_of():
    t = tiny_tables()
    t["ties"] = t["ties"].drop(index=3)  # U2 (business building, in G121) loses its joint coverage
    va = vacuum.vacuum_areas(orgnet.OrgNetwork(**t))
    assert va["sector_gap"][va["sector_gap"]].index.tolist() == ["G121"]
    # before the co-building agreement (2023-01-10) community C11 was unlinked as well
    early = vacuum.vacuum_areas(orgnet.OrgNetwork(**tiny_tables()), as_of="2022-12-31")
    assert early["unlinked"].all()
    # a pairing does not link a community
    t2 = tiny_tables()
    t2["ties"].loc[0, "kind"] = "pairing"
    assert vacuum.vacuum_areas(orgnet.OrgNetwork(**t2))["unlinked"].all()


def test_building_reached_by_its_compound_or_grid():
    t = tiny_tables()
    t["areas"].loc[len(t["areas"])] = ["B1", "1号楼", "building", "Q1111", "100", "30", "", "", "", "", ""]
    va = vacuum.vacuum_areas(orgnet.OrgNetwork(**t), levels=["building"])
    assert va.loc["B1", "no_organisation"] == False
    assert pd.isna(va.loc["B1", "no_service"])


def test_vacuum_summary_hand_checked(tiny_net):
    # residents live in leaf areas: Q1111 600, Q1121 300, G121 1500 (S1) and Q2111 500 (S2).
    # Vacuum grid G112 holds vacuum compound Q1121 (and G211 holds Q2111): their residents
    # count once, at the compound (the old sum over places gave S1 2700 and S2 1300).
    s = vacuum.vacuum_summary(tiny_net, by="street")
    assert s.loc["S1", ["places", "vacuum", "vacuum_population", "residents"]].tolist() == [5, 3, 1800, 2400]
    assert s.loc["S1", "vacuum_population_share"] == pytest.approx(1800 / 2400)
    assert s.loc["S2", ["places", "vacuum", "vacuum_population", "unlinked", "unlinked_population"]].tolist() \
        == [2, 2, 500, 2, 500]
    assert s.loc["S2", "vacuum_population_share"] == 1.0
    assert s.loc["S1", ["three_no", "three_no_population", "no_service_population"]].tolist() == [1, 300, 1500]
    assert s.loc["S1", ["no_organisation", "no_organisation_population"]].tolist() == [3, 1800]
    assert (s.attrs["vacuum_population"], s.attrs["residents"]) == (2300, 2900)


def test_vacuum_summary_counts_each_resident_once_on_the_demo(demo):
    # hand-checked from the demo README tables: the S2 vacuum places are the grids G211 468,
    # G213 690, G214 1320, G222 710 (its compound Q2221 is not a vacuum, but lies in G222),
    # G223 380 and G231-G234 920 + 610 + 1060 + 830, with their compounds inside them;
    # only G212 (80) and G221/Q2211 (1480) are not, so 6,988 of S2's 8,548 residents.
    s = vacuum.vacuum_summary(demo, by="street")
    assert s.loc["S2", ["vacuum_population", "residents"]].tolist() == [6988, 8548]  # was 13,266
    assert s.loc["S1", ["vacuum_population", "residents"]].tolist() == [3460, 8605]  # Q1131, G122, C13
    assert s.loc["S2", "vacuum_population_share"] == pytest.approx(6988 / 8548)
    assert (s["vacuum_population"] <= s["residents"]).all()
    # per reason, once per resident too: G214 + G223 (was 3,400), G211 + G213 (was 2,316), C23
    assert s.loc["S2", ["no_organisation_population", "no_service_population", "unlinked_population",
                        "sector_gap_population", "three_no_population"]].tolist() == [1700, 1158, 3420, 2030, 380]
    assert s.attrs["vacuum_population"] == 3460 + 6988 and s.attrs["residents"] == 17153
    c = vacuum.vacuum_summary(demo, by="community")
    assert c["vacuum_population"].to_dict() == {"C11": 420, "C12": 60, "C13": 2980, "C21": 2478,
                                                "C22": 1090, "C23": 3420}
    assert c["vacuum_population"].sum() == s["vacuum_population"].sum()
    # compounds only: no grid to double-count with, so each compound's population
    q = vacuum.vacuum_summary(demo, by="street", levels="compound")
    assert q.loc["S2", "vacuum_population"] == 468 + 690 + 1320 + 380 + 3420


def test_demo_matches_its_hand_checked_readme(demo):
    va = vacuum.vacuum_areas(demo)
    v = va[va["vacuum"]]
    assert len(v) == 27
    assert v.loc["Q1321", "reasons"] == "three_no, no_service, unlinked"
    assert v.loc["G214", "reasons"] == "no_organisation, sector_gap"
    assert set(va.index[va["three_no"].fillna(False)]) == {"Q1131", "Q1321", "Q2231"}
    assert va["no_service"].sum() == 13
    assert set(va.loc[va["no_organisation"], "level"].index) == {"G134", "Q1341", "G214", "Q2141", "G223", "Q2231"}
    assert set(va.loc[va["unlinked"].fillna(False), "community"]) == {"C13", "C23"}
    s = vacuum.suggest_stations(demo, 3)
    assert s.attrs["unserved_population"] == 4198  # README: residents out of reach


def test_suggest_stations_tiny(tiny_net):
    # leaves: G121 (1500, unserved), Q1111 600 and Q1121 300 (T1), Q2111 500 (T2)
    s = vacuum.suggest_stations(tiny_net, 1)
    assert s.attrs["unserved_population"] == 1500
    assert s.loc[1, "newly_covered"] == 1500 and s.loc[1, "site"] in ("C12", "G121")
    assert s.loc[1, "area"] == s.loc[1, "site"]
    s2 = vacuum.suggest_stations(tiny_net, 1, candidates=["G211"])  # ~3.7 km from G121: adds nobody
    assert s2.empty and s2.attrs["unreachable_population"] == 1500
    assert s2.attrs["note"] == ("Only 0 of the k=1 sites asked for add residents: no other candidate reaches "
                                "anyone still unserved (1,500 unserved residents are beyond 1,000 m of every "
                                "candidate).")
    own = pd.DataFrame({"lon": [103.841], "lat": [36.0615]}, index=["new site"])
    s3 = vacuum.suggest_stations(tiny_net, 1, candidates=own)
    assert s3.loc[1, ["site", "newly_covered"]].tolist() == ["new site", 1500.0] and pd.isna(s3.loc[1, "area"])
    with pytest.raises(orgnet.OrgnetParameterError, match="at most the number of candidate sites"):
        vacuum.suggest_stations(tiny_net, 2, candidates=["G211"])
    with pytest.raises(orgnet.OrgnetParameterError, match="area ids with coordinates"):
        vacuum.suggest_stations(tiny_net, 1, candidates=["nowhere"])


def test_suggest_stations_stops_when_a_site_adds_nobody(tiny_net):
    # only G121's 1,500 residents are unserved, and one site (C12 or G121) covers them all:
    # k=3 gives one site, not two more adding nobody
    for method in ("greedy", "exact"):
        s = vacuum.suggest_stations(tiny_net, 3, method=method)
        assert len(s) == 1 and s["newly_covered"].tolist() == [1500.0]
        assert s.attrs["k"] == 3 and s.attrs["covered"] == 1500 and s.attrs["unreachable_population"] == 0
        assert s.attrs["note"] == ("Only 1 of the k=3 sites asked for add residents: no other candidate "
                                   "reaches anyone still unserved.")
    assert vacuum.suggest_stations(tiny_net, 1).attrs["note"] is None


def test_suggest_stations_stand_at_grids_and_communities(demo):
    # the old default (every area centroid) proposed the district D1 and street S1 as picks 4
    # and 5, adding 0 residents; the README's 4,198 unserved are all covered by three sites
    s = vacuum.suggest_stations(demo, 5)
    assert s["site"].tolist() == ["C13", "C21", "C12"]
    assert s["newly_covered"].tolist() == [2980, 1158, 60] and s.attrs["covered"] == 4198
    assert s.attrs["levels"] == ("grid", "community")
    n_candidates = int(demo.areas["level"].isin(["grid", "community"]).sum())  # 22 grids, 6 communities
    assert n_candidates == 28
    everything = vacuum.suggest_stations(demo, n_candidates)
    assert set(demo.areas.loc[everything["site"], "level"]) <= {"grid", "community"}
    assert len(everything) == 3
    grids = vacuum.suggest_stations(demo, 5, levels="grid")
    assert set(demo.areas.loc[grids["site"], "level"]) == {"grid"} and grids.attrs["covered"] == 4198
    # the district, when asked for, is a candidate (it reaches nobody unserved)
    assert vacuum.suggest_stations(demo, 1, levels="district").empty
    with pytest.raises(orgnet.OrgnetParameterError, match="'levels' parameter of suggest_stations"):
        vacuum.suggest_stations(demo, 1, levels="estate")


@pytest.mark.parametrize("k", [1, 2])
def test_suggest_stations_against_brute_force_on_the_demo(demo, k):
    # oracle: distances from the unserved leaf areas to the 28 grid and community centroids
    s = vacuum.suggest_stations(demo, k, method="exact")
    leaf = demo.leaf_areas
    unserved = ["G122", "Q1311", "Q1321", "Q1331", "Q1341", "B21111", "B21112", "Q2131"]
    pts = leaf.loc[unserved]
    assert pts["population"].sum() == s.attrs["unserved_population"] == 4198
    cand = demo.areas[demo.areas["level"].isin(["grid", "community"])]
    d = haversine_m(pts["lon"].to_numpy(float)[:, None], pts["lat"].to_numpy(float)[:, None],
                    cand["lon"].to_numpy(float)[None, :], cand["lat"].to_numpy(float)[None, :])
    w = pts["population"].to_numpy(float)
    best = max(w[(d[:, list(c)] <= 1000).any(axis=1)].sum() for c in itertools.combinations(range(len(cand)), k))
    assert best == {1: 2980, 2: 4138}[k]
    assert s.attrs["covered"] == best and s.attrs["optimal"]
    assert vacuum.suggest_stations(demo, k).attrs["covered"] == best


def _line_instance():
    """Greedy alone is suboptimal here: the middle site (6) beats either end site (5),
    but the two end sites together cover 10."""
    pts = pd.DataFrame({"lon": [0.0, 0.01, 0.02, 0.03], "lat": 0.0, "population": [2, 3, 3, 2]})
    sites = pd.DataFrame({"lon": [0.005, 0.025, 0.015], "lat": 0.0}, index=["L", "R", "M"])
    return pts, sites


def test_maximal_covering_known_optimum():
    pts, sites = _line_instance()
    A = orgnet.algorithms.coverage_matrix(pts["lon"], pts["lat"], sites["lon"], sites["lat"], 600)
    assert A.toarray().tolist() == [[1, 0, 0], [1, 0, 1], [0, 1, 1], [0, 1, 0]]  # L, R, M
    # plain greedy would take M (6) first and reach 8 with a second site; the swap pass finds L + R
    assert vacuum.maximal_covering(pts, sites, 1, radius_m=600)[["site", "newly_covered"]].values.tolist() == \
        [["M", 6.0]]
    for method in ("greedy", "exact"):
        r = vacuum.maximal_covering(pts, sites, 2, radius_m=600, method=method)
        assert r.attrs["covered"] == 10 and set(r["site"]) == {"L", "R"}
        assert r["cumulative_covered"].tolist() == [5, 10]
    assert vacuum.maximal_covering(pts, sites, 2, radius_m=600, method="exact").attrs["optimal"] is True
    assert vacuum.maximal_covering(pts, sites, 0, radius_m=600).empty


def _sf():
    tracts = pd.read_csv(DATA / "sf_tracts" / "tracts.csv", dtype={"tract": str}).set_index("tract")
    sites = pd.read_csv(DATA / "sf_tracts" / "sites.csv").set_index("site")
    return tracts, sites


@pytest.mark.parametrize("k,radius", [(3, 1500.0), (4, 1200.0)])
def test_maximal_covering_on_sf_tracts_against_brute_force(k, radius):
    tracts, sites = _sf()
    assert len(tracts) == 205 and len(sites) == 16
    # independent oracle: a full distance matrix and every k-subset of the 16 sites
    d = haversine_m(tracts["lon"].to_numpy()[:, None], tracts["lat"].to_numpy()[:, None],
                    sites["lon"].to_numpy()[None, :], sites["lat"].to_numpy()[None, :])
    cover = d <= radius
    w = tracts["population"].to_numpy(float)
    best = max(w[cover[:, list(c)].any(axis=1)].sum() for c in itertools.combinations(range(16), k))
    exact = vacuum.maximal_covering(tracts, sites, k, radius_m=radius, method="exact")
    assert exact.attrs["covered"] == best and exact.attrs["optimal"]
    greedy = vacuum.maximal_covering(tracts, sites, k, radius_m=radius)
    assert greedy.attrs["covered"] >= 0.99 * best
    # recomputed from the oracle's matrix, the picks cover what they claim
    idx = [sites.index.get_loc(s) for s in exact["site"]]
    assert w[cover[:, idx].any(axis=1)].sum() == exact.attrs["covered"]


def test_more_sites_never_cover_less():
    tracts, sites = _sf()
    covered = [vacuum.maximal_covering(tracts, sites, k, radius_m=1500).attrs["covered"] for k in range(8)]
    assert covered == sorted(covered)


def test_accessibility_2sfca_by_hand(tiny_net):
    acc = vacuum.accessibility(tiny_net)
    # T1 (no floor area on T2 -> supply 1 per station) reaches Q1111 (600) and Q1121 (300);
    # T2 reaches Q2111 (500); G121 (1500) has none in reach
    assert acc.attrs["supply"] == "count"
    assert acc.loc["Q1111", "accessibility"] == pytest.approx(1 / 900)
    assert acc.loc["Q1121", "accessibility"] == pytest.approx(1 / 900)
    assert acc.loc["Q2111", "accessibility"] == pytest.approx(1 / 500)
    assert acc.loc["G121", ["accessibility", "stations_in_reach"]].tolist() == [0, 0]
    assert acc.attrs["share_below_standard"] == pytest.approx(1500 / 2900)
    assert vacuum.accessibility(tiny_net, standard=1 / 600).attrs["share_below_standard"] == \
        pytest.approx((1500 + 600 + 300) / 2900)
    with pytest.raises(orgnet.OrgnetParameterError, match="station 'T2' has none"):
        vacuum.accessibility(tiny_net, supply="floor_area")
    # total supply is conserved where every station reaches someone
    assert (acc["accessibility"] * acc["population"]).sum() == pytest.approx(2.0)


def test_accessibility_honours_each_station_radius():
    # T1 (800 m2) with its own radius 200 m; T2 (400 m2) with none, so the default 1000 m.
    # Distances: Q1111 114 m from T1, 252 m from T2; Q1121 317 m from T1, 172 m from T2;
    # G121 and Q2111 more than 2.5 km from both.
    t = tiny_tables()
    t["stations"] = pd.DataFrame(
        [["T1", "东湖街道党群服务中心", "centre", "S1", "103.822", "36.042", "800", "200"],
         ["T2", "春晖社区党群服务站", "station", "C11", "103.8235", "36.0425", "400", ""]],
        columns=["id", "name", "type", "area", "lon", "lat", "floor_area_m2", "radius_m"])
    net = orgnet.OrgNetwork(**t)
    assert round(float(haversine_m(103.822, 36.042, 103.8252, 36.0432))) == 317
    acc = vacuum.accessibility(net)
    assert acc.attrs["supply"] == "floor_area" and acc.attrs["radius_m"] is None
    # own radii: T1 reaches Q1111 only (R1 = 800 / 600); T2 reaches both (R2 = 400 / 900)
    assert acc.loc["Q1111", "accessibility"] == pytest.approx(800 / 600 + 400 / 900)  # 16/9
    assert acc.loc["Q1121", "accessibility"] == pytest.approx(400 / 900)  # was 1200/900 = 4/3
    assert acc["stations_in_reach"].to_dict() == {"Q1111": 2, "Q1121": 1, "G121": 0, "Q2111": 0}
    assert (acc["accessibility"] * acc["population"]).sum() == pytest.approx(1200)  # supply conserved
    assert acc.attrs["share_below_standard"] == pytest.approx((1500 + 500) / 2900)
    # the same radius as vacuum_areas decides who is in reach
    va = vacuum.vacuum_areas(net, levels="compound")
    assert va.loc[["Q1111", "Q1121", "Q2111"], "no_service"].tolist() == [False, False, True]
    # a given radius replaces every station's: 1000 m -> both reach both (R1 = 800/900, R2 = 400/900)
    one = vacuum.accessibility(net, radius_m=1000)
    assert one.loc["Q1111", "accessibility"] == pytest.approx(1200 / 900)
    assert one.loc["Q1121", "accessibility"] == pytest.approx(1200 / 900)
    # 150 m: T1 reaches Q1111 (114 m); T2 reaches nobody (172 m to Q1121)
    small = vacuum.accessibility(net, radius_m=150)
    assert small["accessibility"].to_dict() == pytest.approx({"Q1111": 800 / 600, "Q1121": 0, "G121": 0, "Q2111": 0})


def test_parameters_checked(tiny_net):
    with pytest.raises(orgnet.OrgnetParameterError,
                       match=r"The 'radius_m' parameter of vacuum_areas must be a number > 0 or None. Got -5"):
        vacuum.vacuum_areas(tiny_net, radius_m=-5)
    with pytest.raises(orgnet.OrgnetParameterError, match="'levels' parameter of vacuum_areas"):
        vacuum.vacuum_areas(tiny_net, levels=("grid", "estate"))
    # suggest_stations declares its own parameters: the message names the function called
    with pytest.raises(orgnet.OrgnetParameterError, match="'method' parameter of suggest_stations"):
        vacuum.suggest_stations(tiny_net, 1, method="magic")
    with pytest.raises(orgnet.OrgnetParameterError, match="'k' parameter of suggest_stations must be an integer"):
        vacuum.suggest_stations(tiny_net, 1.5)
    with pytest.raises(orgnet.OrgnetParameterError, match="'k' parameter of maximal_covering must be an integer"):
        vacuum.maximal_covering(*_line_instance(), 1.5)


def test_no_stations_means_no_service_everywhere():
    t = tiny_tables()
    del t["stations"]
    va = vacuum.vacuum_areas(orgnet.OrgNetwork(**t))
    assert va["no_service"].all()
    assert vacuum.accessibility(orgnet.OrgNetwork(**t))["accessibility"].eq(0).all()


# ------------------------------------------------------------------ package layout and shared inputs


def test_every_public_name_is_reachable():
    import importlib
    import sys

    assert set(vacuum.__all__) >= {"REASONS", "vacuum_areas", "vacuum_summary", "vacuum_leaf_population",
                                   "suggest_stations", "maximal_covering", "accessibility"}
    for name in vacuum.__all__:
        assert getattr(orgnet.vacuum, name) is getattr(importlib.import_module("orgnet.vacuum"), name)
        exec(f"from orgnet.vacuum import {name}", {})
    assert vacuum.REASONS == ("no_organisation", "three_no", "no_service", "sector_gap", "unlinked", "unstaffed")
    # one module per question; the name accessibility stays the function
    assert vacuum.places.vacuum_areas is vacuum.vacuum_areas
    assert vacuum.siting.suggest_stations is vacuum.suggest_stations
    assert callable(vacuum.accessibility)
    assert sys.modules["orgnet.vacuum.accessibility"].accessibility is vacuum.accessibility


def test_service_circles_and_populated_leaves(tiny_net):
    c = vacuum.service_circles(tiny_net)
    # T1 has its own coordinates and no radius (1000 m); T2 stands at C21's centroid with 500 m
    assert c.index.tolist() == ["T1", "T2"] and c.attrs["unlocated"] == 0
    assert c["radius_m"].tolist() == [1000.0, 500.0] and vacuum.DEFAULT_RADIUS_M == 1000
    assert c.loc["T2", ["lon", "lat"]].tolist() == [103.88, 36.05]
    assert vacuum.service_circles(tiny_net, radius_m=300)["radius_m"].tolist() == [300.0, 300.0]
    leaves = vacuum.populated_leaves(tiny_net)
    assert sorted(leaves.index) == ["G121", "Q1111", "Q1121", "Q2111"]
    assert leaves["population"].sum() == 2900 and leaves.attrs["unlocated_population"] == 0
    t = tiny_tables()
    t["areas"].loc[t["areas"]["id"] == "G121", ["lon", "lat"]] = ""
    t["areas"].loc[t["areas"]["id"] == "C21", ["lon", "lat"]] = ""  # T2 stands at C21's centroid
    net = orgnet.OrgNetwork(**t)
    assert vacuum.populated_leaves(net).attrs["unlocated_population"] == 1500
    assert vacuum.service_circles(net).index.tolist() == ["T1"] and vacuum.service_circles(net).attrs["unlocated"] == 1


def test_no_service_against_brute_force_on_the_demo(demo):
    # oracle: every place against every station with the station's own radius, by haversine
    for radius_m in (None, 600.0):
        va = vacuum.vacuum_areas(demo, levels=("grid", "compound", "building"), radius_m=radius_m)
        st = demo.stations
        loc = demo.locations.loc[st.index]
        radius = st["radius_m"].fillna(1000).to_numpy(float) if radius_m is None else [radius_m] * len(st)
        expected = {}
        for pid, row in demo.areas.loc[va.index].iterrows():
            if pd.isna(row["lon"]) or pd.isna(row["lat"]):
                continue
            expected[pid] = not any(
                float(haversine_m(row["lon"], row["lat"], loc.at[s, "lon"], loc.at[s, "lat"])) <= r
                for s, r in zip(st.index, radius))
        got = va["no_service"].dropna().astype(bool).to_dict()
        assert got == expected and 0 < sum(expected.values()) < len(expected)


def test_accessibility_gaussian_decay_by_hand(tiny_net):
    # T1 (supply 1, radius 1000 m) reaches Q1111 (600) and Q1121 (300); T2 (500 m) reaches Q2111 (500).
    # Dai's Gaussian: f(d) = (exp(-(d/r)^2 / 2) - exp(-1/2)) / (1 - exp(-1/2))
    import math

    e = math.exp(-0.5)

    def f(d, r):
        return (math.exp(-0.5 * (d / r) ** 2) - e) / (1 - e)

    a = tiny_net.areas
    loc = tiny_net.locations
    d = {p: float(haversine_m(a.at[p, "lon"], a.at[p, "lat"], loc.at[s, "lon"], loc.at[s, "lat"]))
         for p, s in (("Q1111", "T1"), ("Q1121", "T1"), ("Q2111", "T2"))}
    r1 = 1 / (600 * f(d["Q1111"], 1000) + 300 * f(d["Q1121"], 1000))
    r2 = 1 / (500 * f(d["Q2111"], 500))
    acc = vacuum.accessibility(tiny_net, decay="gaussian")
    assert acc.attrs["decay"] == "gaussian"
    assert acc.loc["Q1111", "accessibility"] == pytest.approx(r1 * f(d["Q1111"], 1000), rel=1e-12)
    assert acc.loc["Q1121", "accessibility"] == pytest.approx(r1 * f(d["Q1121"], 1000), rel=1e-12)
    assert acc.loc["Q2111", "accessibility"] == pytest.approx(r2 * f(d["Q2111"], 500), rel=1e-12)
    assert acc.loc["G121", "accessibility"] == 0
    # the nearer compound gains against the step 2SFCA (1/900 each)
    assert acc.loc["Q1111", "accessibility"] > 1 / 900 > acc.loc["Q1121", "accessibility"]
    # supply is still shared out in full
    assert (acc["accessibility"] * acc["population"]).sum() == pytest.approx(2.0)
    assert vacuum.accessibility(tiny_net).attrs["decay"] == "step"


def test_declared_parameters_checked(tiny_net):
    with pytest.raises(orgnet.OrgnetParameterError, match="'by' parameter of vacuum_summary"):
        vacuum.vacuum_summary(tiny_net, by="estate")
    with pytest.raises(orgnet.OrgnetParameterError, match="'as_of' parameter of vacuum_areas"):
        vacuum.vacuum_areas(tiny_net, as_of="not a date")
    with pytest.raises(orgnet.OrgnetParameterError, match="'net' parameter of vacuum_areas must be an OrgNetwork"):
        vacuum.vacuum_areas(tiny_tables())
    with pytest.raises(orgnet.OrgnetParameterError, match="'va' parameter of vacuum_leaf_population"):
        vacuum.vacuum_leaf_population(tiny_net, "va")
    with pytest.raises(orgnet.OrgnetParameterError, match="'decay' parameter of accessibility"):
        vacuum.accessibility(tiny_net, decay="gravity")
    with pytest.raises(orgnet.OrgnetParameterError, match="'standard' parameter of accessibility"):
        vacuum.accessibility(tiny_net, standard=-1)
    with pytest.raises(orgnet.OrgnetParameterError, match="'radius_m' parameter of suggest_stations"):
        vacuum.suggest_stations(tiny_net, 1, radius_m=0)
    with pytest.raises(orgnet.OrgnetParameterError, match="'candidates' parameter of suggest_stations"):
        vacuum.suggest_stations(tiny_net, 1, candidates=42)
    with pytest.raises(orgnet.OrgnetParameterError, match="'weight' parameter of maximal_covering must name"):
        vacuum.maximal_covering(*_line_instance(), 1, weight="residents")
    pts, sites = _line_instance()
    pts.loc[0, "population"] = -1
    with pytest.raises(orgnet.OrgnetParameterError, match="'population' weights of maximal_covering"):
        vacuum.maximal_covering(pts, sites, 1)
