"""The definitions, pinned at every threshold, and the demo's documented figures.

Part 1 builds small networks by hand (``net_of`` below) and checks each rule of
docs/coverage_and_vacuum.md, docs/linkage.md, docs/sharing.md and docs/structure.md
exactly at its threshold and one step beyond it. Part 2 asserts every figure the
demo's README (src/orgnet/datasets/demo/README.md) and the docs state, citing where.

Only the public domain API is used.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import orgnet
from orgnet import coverage, linkage, sharing, structure, vacuum

AS_OF = pd.Timestamp("2025-06-30")
DAY = pd.Timedelta(days=1)
LON, LAT = 103.80, 36.00
EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), the great-circle metres of DATA_FORMAT.md


def haversine(lon1, lat1, lon2, lat2) -> float:
    """Great-circle distance in metres, written out independently of orgnet."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


# ---------------------------------------------------------------- a small hand-built world

AREA_COLUMNS = ["id", "name", "level", "parent", "population", "households", "lon", "lat",
                "property_management", "supervisor", "security"]
ORG_COLUMNS = ["id", "name", "form", "scope", "parent", "area", "unit", "members", "established", "status"]
UNIT_COLUMNS = ["id", "name", "type", "sector", "area", "employees", "party_members", "lon", "lat"]
STATION_COLUMNS = ["id", "name", "type", "area", "lon", "lat", "floor_area_m2", "radius_m"]
TIE_COLUMNS = ["source", "target", "kind", "start", "end", "count", "note"]
DEMAND_COLUMNS = ["id", "owner", "category", "quantity", "date", "status"]
RESOURCE_COLUMNS = ["id", "owner", "category", "capacity", "lon", "lat", "date"]
PROJECT_COLUMNS = ["id", "name", "demand", "resource", "owner", "partner", "date", "value", "status"]


def area(id, level, parent, *, population=None, lon=LON, lat=LAT, flags=(True, True, True)):
    row = dict(id=id, name=f"区域{id}", level=level, parent=parent, population=population, lon=lon, lat=lat)
    if level == "compound":
        row.update(property_management=flags[0], supervisor=flags[1], security=flags[2])
    return row


def org(id, scope="territorial", *, area=None, unit=None, parent=None, form="branch", established=None):
    return dict(id=id, name=f"组织{id}", form=form, scope=scope, parent=parent, area=area, unit=unit,
                established=established)


def unit(id, type="private_enterprise", *, area="G1", employees=None, party_members=None, sector=None):
    return dict(id=id, name=f"单位{id}", type=type, sector=sector, area=area, employees=employees,
                party_members=party_members)


def tie(source, target, kind, *, start=None, end=None, count=None):
    return dict(source=source, target=target, kind=kind, start=start, end=end, count=count)


#: D1 > S1 > C1 > G1 > Q1, every centroid at (LON, LAT); O1 the district committee, OC1 C1's
BASE_AREAS = [
    area("D1", "district", None),
    area("S1", "street", "D1"),
    area("C1", "community", "S1"),
    area("G1", "grid", "C1", population=100),
    area("Q1", "compound", "G1", population=100),
]
BASE_ORGS = [org("O1", area="D1", form="committee"), org("OC1", area="C1", parent="O1", form="committee")]


def _frame(rows, columns):
    return pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)


def net_of(*, areas=None, organisations=None, units=(), stations=(), ties=(), demands=(), resources=(),
           projects=(), as_of=AS_OF):
    """An OrgNetwork from lists of row dicts (areas/organisations default to the base world)."""
    return orgnet.OrgNetwork(
        areas=_frame(BASE_AREAS if areas is None else areas, AREA_COLUMNS),
        organisations=_frame(BASE_ORGS if organisations is None else organisations, ORG_COLUMNS),
        units=_frame(units, UNIT_COLUMNS),
        stations=_frame(stations, STATION_COLUMNS),
        ties=_frame(ties, TIE_COLUMNS),
        demands=_frame(demands, DEMAND_COLUMNS),
        resources=_frame(resources, RESOURCE_COLUMNS),
        projects=_frame(projects, PROJECT_COLUMNS),
        as_of=as_of,
    )


def flags(series) -> dict:
    """A nullable boolean column as {id: True/False/None}."""
    return {k: (None if pd.isna(v) else bool(v)) for k, v in series.items()}


# ================================================================ coverage.unit_coverage


def test_due_not_established_at_exactly_min_members():
    net = net_of(
        organisations=BASE_ORGS + [org("OU5", "unit", unit="U5", area="G1"), org("OU7", "unit", unit="U7", area="G1"),
                                   org("OJ", "joint", area="C1", parent="OC1")],
        units=[unit("U3", party_members=3), unit("U2", party_members=2), unit("U4"),
               unit("U5", party_members=5), unit("U6", party_members=3), unit("U7")],
        ties=[tie("OJ", "U6", "covers")],
    )
    uc = coverage.unit_coverage(net)
    # 3 members and nothing of its own: due; 2: not; unknown members: NA unless it has its own
    # organisation; joint coverage (U6) does not satisfy the rule of three
    assert flags(uc["due_not_established"]) == {"U3": True, "U2": False, "U4": None, "U5": False,
                                                 "U6": True, "U7": False}
    assert flags(coverage.unit_coverage(net, min_members=2)["due_not_established"]) == {
        "U3": True, "U2": True, "U4": None, "U5": False, "U6": True, "U7": False}
    assert flags(coverage.unit_coverage(net, min_members=4)["due_not_established"]) == {
        "U3": False, "U2": False, "U4": None, "U5": False, "U6": False, "U7": False}
    assert uc.attrs["min_members"] == 3


def test_size_rule_gap_at_exactly_100_and_30_staff():
    net = net_of(
        organisations=BASE_ORGS + [org("OJ", "joint", area="C1"), org("OUx", "unit", unit="Ux", area="G1")],
        units=[
            unit("P100", employees=100), unit("P99", employees=99),
            unit("S100", "state_enterprise", employees=100), unit("S99", "state_enterprise", employees=99),
            unit("G30", "social_organisation", employees=30), unit("G29", "social_organisation", employees=29),
            unit("A500", "agency", employees=500),
            unit("PJ", employees=100), unit("PW", employees=100),
            unit("PNA"), unit("Ux"),
        ],
        ties=[tie("OJ", "PJ", "covers"), tie("OC1", "PW", "instructor")],
    )
    gap = flags(coverage.unit_coverage(net)["size_rule_gap"])
    # joint coverage is organisational coverage (PJ not a gap); work coverage is not (PW is);
    # agencies have no size rule; unknown staff is NA unless organisationally covered (Ux)
    assert gap == {"P100": True, "P99": False, "S100": True, "S99": False, "G30": True, "G29": False,
                   "A500": False, "PJ": False, "PW": True, "PNA": None, "Ux": False}
    moved = flags(coverage.unit_coverage(net, enterprise_staff=101, social_org_staff=29)["size_rule_gap"])
    assert moved == {"P100": False, "P99": False, "S100": False, "S99": False, "G30": True, "G29": True,
                     "A500": False, "PJ": False, "PW": False, "PNA": None, "Ux": False}
    assert flags(coverage.unit_coverage(net, enterprise_staff=99)["size_rule_gap"])["P99"] is True


def test_organisation_established_exactly_on_as_of_counts():
    net = net_of(
        organisations=BASE_ORGS + [org("OU1", "unit", unit="U1", area="G1", established=AS_OF),
                                   org("OU2", "unit", unit="U2", area="G1", established=AS_OF + DAY)],
        units=[unit("U1", party_members=3), unit("U2", party_members=3)],
    )
    uc = coverage.unit_coverage(net, as_of=AS_OF)
    assert uc["coverage"].astype(str).to_dict() == {"U1": "own", "U2": "none"}
    assert uc["covered_by"].fillna("-").to_dict() == {"U1": "OU1", "U2": "-"}
    assert flags(uc["due_not_established"]) == {"U1": False, "U2": True}
    # one day later both count
    later = coverage.unit_coverage(net, as_of=AS_OF + DAY)
    assert later["coverage"].astype(str).to_dict() == {"U1": "own", "U2": "own"}


def test_tie_ending_or_starting_exactly_on_as_of_is_active():
    net = net_of(
        units=[unit(f"U{i}") for i in range(1, 7)],
        ties=[tie("OC1", "U1", "instructor", start="2024-01-01", end=AS_OF),
              tie("OC1", "U2", "instructor", start="2024-01-01", end=AS_OF - DAY),
              tie("OC1", "U3", "backstop", start=AS_OF),
              tie("OC1", "U4", "backstop", start=AS_OF + DAY),
              tie("OC1", "U5", "backstop"),  # no dates: always active
              tie("OC1", "U6", "co_building")],  # not a coverage relation
        as_of=None,
    )
    uc = coverage.unit_coverage(net, as_of=AS_OF)
    assert uc["coverage"].astype(str).to_dict() == {"U1": "work", "U2": "none", "U3": "work", "U4": "none",
                                                    "U5": "work", "U6": "none"}
    assert uc["work_covered"].to_dict() == {"U1": True, "U2": False, "U3": True, "U4": False, "U5": True,
                                            "U6": False}
    assert not uc["org_covered"].any()


def test_joint_coverage_needs_a_joint_industry_or_sector_source():
    net = net_of(
        organisations=BASE_ORGS + [org("OJ", "joint", area="C1"), org("OI", "industry", area="D1"),
                                   org("OS", "sector", area="G1"), org("OU1", "unit", unit="U1", area="G1")],
        units=[unit(u) for u in ("U1", "U2", "U3", "U4", "U5", "U6")],
        ties=[tie("OJ", "U1", "covers"),  # U1 has its own organisation: own wins
              tie("OJ", "U2", "covers"), tie("OI", "U2", "covers"),  # both listed, sorted
              tie("OS", "U3", "covers"),
              tie("OC1", "U4", "covers"),  # a territorial "covers" is not organisational coverage
              tie("OJ", "U5", "covers", end=AS_OF - DAY),  # ended
              tie("OI", "U6", "covers"), tie("OC1", "U6", "backstop")],  # joint beats work
    )
    uc = coverage.unit_coverage(net)
    assert uc["coverage"].astype(str).to_dict() == {"U1": "own", "U2": "joint", "U3": "joint", "U4": "none",
                                                    "U5": "none", "U6": "joint"}
    assert uc["covered_by"].fillna("-").to_dict() == {"U1": "OU1", "U2": "OI,OJ", "U3": "OS", "U4": "-",
                                                      "U5": "-", "U6": "OI"}
    assert list(uc["coverage"].cat.categories) == ["own", "joint", "work", "none"]


def test_coverage_rates_hand_checked():
    areas = BASE_AREAS + [area("S2", "street", "D1"), area("C2", "community", "S2"),
                          area("G2", "grid", "C2", population=50)]
    net = net_of(
        areas=areas,
        organisations=BASE_ORGS + [org("OU1", "unit", unit="U1", area="G1"), org("OJ", "joint", area="C1")],
        units=[unit("U1", party_members=3), unit("U2", party_members=4, employees=120, sector="park"),
               unit("U3", "social_organisation", employees=30), unit("U4", area="G2"),
               unit("U5", area="D1")],  # seated at the district: outside every street
        ties=[tie("OJ", "U2", "covers"), tie("OC1", "U3", "instructor")],
    )
    with pytest.warns(orgnet.OrgnetWarning):
        r = coverage.coverage_rates(net, by="street")
    assert r.attrs["outside"] == 1
    assert r.loc["S1", ["units", "own", "joint", "work", "none", "org_covered", "work_covered"]].tolist() == \
        [3, 1, 1, 1, 0, 2, 3]
    assert r.loc["S1", "org_coverage_rate"] == pytest.approx(2 / 3, abs=1e-15)
    assert r.loc["S1", "work_coverage_rate"] == 1.0
    # U2 (4 members, joint only) is due; U3 (social, 30 staff, work only) is a size-rule gap
    assert r.loc["S1", ["due_not_established", "size_rule_gaps"]].tolist() == [1, 1]
    assert r.loc["S2", ["units", "none", "org_coverage_rate", "work_coverage_rate"]].tolist() == [1, 1, 0.0, 0.0]
    a = coverage.coverage_rates(net, by="all")
    assert a.loc["all", ["units", "org_covered", "work_covered"]].tolist() == [5, 2, 3]
    # by community: a community with no unit has NaN rates and a zero count
    with pytest.warns(orgnet.OrgnetWarning, match="1 unit"):
        c = coverage.coverage_rates(net, by="community")
    assert c["units"].to_dict() == {"C1": 3, "C2": 1}
    by_sector = coverage.coverage_rates(net, by="sector")
    assert by_sector.loc["park", "units"] == 1 and by_sector.loc["none", "units"] == 4
    assert math.isnan(by_sector.loc["market", "org_coverage_rate"])
    by_type = coverage.coverage_rates(net, by="type")
    assert by_type.loc["social_organisation", ["units", "work"]].tolist() == [1, 1]
    assert int(by_type["units"].sum()) == 5


def test_place_coverage_counts_territorial_organisations_established_by_as_of():
    areas = BASE_AREAS + [area("G2", "grid", "C1", population=10), area("G3", "grid", "C1", population=10),
                          area("G4", "grid", "C1", population=10)]
    net = net_of(
        areas=areas,
        organisations=BASE_ORGS + [org("OG1", area="G1", established=AS_OF), org("OG1b", area="G1", form="group"),
                                   org("OG2", area="G2", established=AS_OF + DAY),
                                   org("OU3", "unit", unit="U3", area="G3")],
        units=[unit("U3", area="G3")],
    )
    pc = coverage.place_coverage(net, level="grid", as_of=AS_OF)
    assert pc["organised"].to_dict() == {"G1": True, "G2": False, "G3": False, "G4": False}
    assert pc["n_organisations"].to_dict() == {"G1": 2, "G2": 0, "G3": 0, "G4": 0}
    assert pc.loc["G1", "organisations"] == "OG1,OG1b"
    assert pc.attrs["organised_share"] == 0.25
    assert coverage.place_coverage(net, level="grid", as_of=AS_OF + DAY).attrs["organised_share"] == 0.5


# ================================================================ vacuum.vacuum_areas


def _service_net(radius, *, floor=(None,), station_lat=LAT + 0.01):
    """G1 at (LON, LAT), one station at (LON, station_lat) with the given radius."""
    stations = [dict(id="T1", name="站", type="station", area="C1", lon=LON, lat=station_lat,
                     floor_area_m2=floor[0], radius_m=radius)]
    orgs = BASE_ORGS + [org("OG1", area="G1")]
    return net_of(organisations=orgs, stations=stations, ties=[tie("OC1", "U1", "co_building")],
                  units=[unit("U1")])


def test_place_exactly_at_a_station_radius_is_served():
    d = haversine(LON, LAT, LON, LAT + 0.01)  # ~1,112 m
    assert 1111 < d < 1113
    at = vacuum.vacuum_areas(_service_net(d))
    assert flags(at["no_service"]) == {"G1": False, "Q1": False}
    assert at["reasons"].to_dict() == {"G1": "", "Q1": ""}
    assert not at["vacuum"].any()
    beyond = vacuum.vacuum_areas(_service_net(d * (1 - 1e-6)))  # ~1 mm short
    assert flags(beyond["no_service"]) == {"G1": True, "Q1": True}
    assert beyond["reasons"].to_dict() == {"G1": "no_service", "Q1": "no_service"}
    assert beyond["vacuum"].all()


def test_radius_parameter_boundary_and_the_1000_m_default():
    d = haversine(LON, LAT, LON, LAT + 0.01)
    net = _service_net(None)  # empty radius: 1000 m, less than d
    assert vacuum.vacuum_areas(net)["no_service"].all()
    assert not vacuum.vacuum_areas(net, radius_m=d)["no_service"].any()
    assert vacuum.vacuum_areas(net, radius_m=d * (1 - 1e-6))["no_service"].all()
    # the default 1000 m at the boundary: a station 999 m away serves, 1001 m does not
    dlat = math.degrees(1 / EARTH_RADIUS_M)  # one metre of latitude
    assert not vacuum.vacuum_areas(_service_net(None, station_lat=LAT + 999 * dlat))["no_service"].any()
    assert vacuum.vacuum_areas(_service_net(None, station_lat=LAT + 1001 * dlat))["no_service"].all()
    # radius_m= replaces a station's own radius, larger or smaller
    assert vacuum.vacuum_areas(_service_net(5000), radius_m=d * (1 - 1e-6))["no_service"].all()


def test_accessibility_counts_a_station_exactly_at_its_radius():
    d = haversine(LON, LAT, LON, LAT + 0.01)
    acc = vacuum.accessibility(_service_net(d))
    # the leaf is Q1 (100 residents); supply: one station (no floor area) -> 1 / 100
    assert acc.index.tolist() == ["Q1"]
    assert acc.loc["Q1", "stations_in_reach"] == 1
    assert acc.loc["Q1", "accessibility"] == pytest.approx(0.01, rel=1e-12)
    assert acc.attrs["share_below_standard"] == 0.0
    acc = vacuum.accessibility(_service_net(d * (1 - 1e-6)))
    assert acc.loc["Q1", "stations_in_reach"] == 0 and acc.loc["Q1", "accessibility"] == 0.0
    assert acc.attrs["share_below_standard"] == 1.0


def test_no_organisation_from_grid_level_down():
    areas = [
        area("D1", "district", None), area("S1", "street", "D1"), area("C1", "community", "S1"),
        area("G1", "grid", "C1", population=1), area("Q1", "compound", "G1", population=1),
        area("G2", "grid", "C1", population=1), area("Q2", "compound", "G2", population=1),
        area("G3", "grid", "C1", population=1), area("Q3", "compound", "G3", population=1),
        area("G4", "grid", "C1", population=1), area("G5", "grid", "C1", population=1),
    ]
    orgs = BASE_ORGS + [
        org("OG1", area="G1"),  # reaches G1 and its compound Q1
        org("OQ3", area="Q3", form="group"),  # reaches Q3 only, not its grid
        org("OU4", "unit", unit="U4", area="G4"),  # a unit organisation is not territorial
        org("OG5", area="G5", established=AS_OF + DAY),  # not yet established
    ]
    net = net_of(areas=areas, organisations=orgs, units=[unit("U4", area="G4")])
    va = vacuum.vacuum_areas(net)
    # the community committee OC1 (and the district's O1) does not reach grids: G2/Q2 are empty
    assert flags(va["no_organisation"]) == {"G1": False, "Q1": False, "G2": True, "Q2": True, "G3": True,
                                            "Q3": False, "G4": True, "G5": True}
    assert flags(vacuum.vacuum_areas(net, as_of=AS_OF + DAY)["no_organisation"])["G5"] is False


def test_three_no_needs_all_three_flags_false():
    areas = BASE_AREAS[:4] + [
        area("Q1", "compound", "G1", flags=(False, False, False)),
        area("Q2", "compound", "G1", flags=(False, False, None)),
        area("Q3", "compound", "G1", flags=(False, False, True)),
        area("Q4", "compound", "G1", flags=(None, True, None)),
    ]
    va = vacuum.vacuum_areas(net_of(areas=areas))
    assert flags(va["three_no"]) == {"G1": False, "Q1": True, "Q2": None, "Q3": False, "Q4": False}
    assert "three_no" in va.loc["Q2", "unknown"] and "three_no" not in va.loc["Q2", "reasons"]
    assert "three_no" in va.loc["Q1", "reasons"]


def test_sector_gap_flags_the_unit_place_and_its_grid_only_for_coverage_none():
    areas = BASE_AREAS + [area("G2", "grid", "C1"), area("Q2", "compound", "G2"),
                          area("G3", "grid", "C1"), area("Q3", "compound", "G3"),
                          area("G4", "grid", "C1"), area("Q4", "compound", "G4")]
    units = [unit("U1", area="Q1", sector="park"),  # none: Q1 and its grid G1
             unit("U2", area="G2", sector="internet"),  # none, in the grid: G2, not Q2
             unit("U3", area="Q3", sector="market"),  # work-covered: no gap
             unit("U4", area="Q4")]  # no sector: no gap
    net = net_of(areas=areas, units=units, ties=[tie("OC1", "U3", "instructor")])
    va = vacuum.vacuum_areas(net)
    assert flags(va["sector_gap"]) == {"G1": True, "Q1": True, "G2": True, "Q2": False, "G3": False,
                                       "Q3": False, "G4": False, "Q4": False}


def test_unlinked_means_no_active_co_building_in_the_community():
    areas = [area("D1", "district", None), area("S1", "street", "D1"),
             area("G0", "grid", "S1")]  # a grid outside every community
    orgs = [org("O1", area="D1", form="committee")]
    ties = []
    cases = {  # community: its tie
        "C1": tie("OC1", "U1", "co_building"),
        "C2": tie("OC2", "U1", "pairing"),  # pairing is not an agreement
        "C3": tie("U1", "OG3", "co_building"),  # a grid branch of C3 holds it
        "C4": tie("OC4", "U1", "co_building", end=AS_OF - DAY),  # ended the day before
        "C5": tie("OC5", "U1", "co_building", end=AS_OF),  # ends on as_of: active
        "C6": tie("OC6", "U1", "co_building", start=AS_OF + DAY),  # not yet started
    }
    for c, t in cases.items():
        areas += [area(c, "community", "S1"), area("G" + c[1:], "grid", c)]
        orgs.append(org("O" + c, area=c, form="committee"))
        ties.append(t)
    orgs.append(org("OG3", area="G3"))
    net = net_of(areas=areas, organisations=orgs, units=[unit("U1", area="G1")], ties=ties)
    va = vacuum.vacuum_areas(net, levels="grid")
    assert flags(va["unlinked"]) == {"G0": None, "G1": False, "G2": True, "G3": False, "G4": True,
                                     "G5": False, "G6": True}
    assert "unlinked" in va.loc["G0", "unknown"]


def test_vacuum_summary_counts_each_resident_once():
    areas = [area("D1", "district", None), area("S1", "street", "D1"), area("C1", "community", "S1"),
             area("G1", "grid", "C1", population=300),
             area("Q1", "compound", "G1", population=100, flags=(False, False, False)),  # three-no
             area("Q2", "compound", "G1", population=200),
             area("G2", "grid", "C1", population=50)]  # a leaf grid
    orgs = BASE_ORGS + [org("OG2", area="G2")]
    stations = [dict(id="T1", name="站", area="C1", lon=LON, lat=LAT, radius_m=5000)]
    net = net_of(areas=areas, organisations=orgs, stations=stations, ties=[tie("OC1", "U1", "co_building")],
                 units=[unit("U1", area="G2")])
    va = vacuum.vacuum_areas(net)
    # G1 has no organisation: G1, Q1, Q2 are vacuum places; Q1 also three-no
    assert va["reasons"].to_dict() == {"G1": "no_organisation", "Q1": "no_organisation, three_no",
                                       "Q2": "no_organisation", "G2": ""}
    s = vacuum.vacuum_summary(net, by="street")
    # residents at the leaves Q1 100, Q2 200, G2 50: G1's 300 are not counted again
    assert s.loc["S1", ["places", "vacuum", "vacuum_population", "residents"]].tolist() == [4, 3, 300, 350]
    assert s.loc["S1", "vacuum_population_share"] == pytest.approx(300 / 350, rel=1e-12)
    assert s.loc["S1", ["three_no", "three_no_population", "no_organisation", "no_organisation_population"]].tolist() \
        == [1, 100, 3, 300]
    assert s.attrs["vacuum_population"] == 300 and s.attrs["residents"] == 350
    assert vacuum.vacuum_leaf_population(net, va).to_dict() == {"Q1": 100.0, "Q2": 200.0}


# ================================================================ vacuum.accessibility supply


def _two_station_net(floor_t1, floor_t2):
    areas = [area("D1", "district", None), area("S1", "street", "D1"), area("C1", "community", "S1"),
             area("G1", "grid", "C1", population=100), area("G2", "grid", "C1", population=300,
                                                            lat=LAT + 0.001)]
    stations = [dict(id="T1", name="站1", area="C1", lon=LON, lat=LAT, floor_area_m2=floor_t1, radius_m=5000),
                dict(id="T2", name="站2", area="C1", lon=LON, lat=LAT, floor_area_m2=floor_t2, radius_m=5000)]
    return net_of(areas=areas, stations=stations)


def test_accessibility_auto_uses_floor_area_when_every_station_has_one():
    acc = vacuum.accessibility(_two_station_net(200, 600))
    assert acc.attrs["supply"] == "floor_area"
    # R_T1 = 200 / 400, R_T2 = 600 / 400; A = 0.5 + 1.5 = 2 m2 per resident at both leaves
    assert acc["accessibility"].tolist() == pytest.approx([2.0, 2.0], rel=1e-12)
    assert acc["stations_in_reach"].tolist() == [2, 2]
    assert acc.attrs["share_below_standard"] == 0.0
    assert vacuum.accessibility(_two_station_net(200, 600), standard=2.5).attrs["share_below_standard"] == 1.0
    # count supply on the same data: 1/400 + 1/400
    cnt = vacuum.accessibility(_two_station_net(200, 600), supply="count")
    assert cnt.attrs["supply"] == "count"
    assert cnt["accessibility"].tolist() == pytest.approx([0.005, 0.005], rel=1e-12)


def test_accessibility_auto_falls_back_to_counts_when_a_floor_area_is_missing():
    net = _two_station_net(200, None)
    acc = vacuum.accessibility(net)
    assert acc.attrs["supply"] == "count"
    assert acc["accessibility"].tolist() == pytest.approx([0.005, 0.005], rel=1e-12)
    with pytest.raises(orgnet.OrgnetParameterError, match="floor_area"):
        vacuum.accessibility(net, supply="floor_area")


# ================================================================ linkage


def _pair_net(ties, extra_units=()):
    return net_of(units=[unit("U1"), unit("U2"), *extra_units], ties=ties)


def _strengths(net, **kw):
    ts = linkage.tie_strength(net, **kw)
    return {(a, b): s for a, b, s in ts[["a", "b", "strength"]].itertuples(index=False)}


def test_strength_formula_weight_count_and_half_life():
    net = _pair_net([
        tie("U1", "OC1", "co_building", start=AS_OF),  # age 0, count 1: 1.0
        tie("U2", "OC1", "activity", start=AS_OF - 365 * DAY, count=3),  # 1.0 * log2(4) * 0.5 = 1.0
        tie("U2", "OC1", "whistle", count=1),  # no start: no decay, 0.75
        tie("OC1", "O1", "joint_conference", start=AS_OF - 730 * DAY),  # 0.5 * 0.25
    ])
    s = _strengths(net)
    assert s[("OC1", "U1")] == pytest.approx(1.0, rel=1e-12)
    assert s[("OC1", "U2")] == pytest.approx(1.0 + 0.75, rel=1e-12)
    assert s[("O1", "OC1")] == pytest.approx(0.125, rel=1e-12)
    ts = linkage.tie_strength(net).set_index(["a", "b"])
    assert ts.loc[("OC1", "U2"), ["multiplexity", "ties", "activity", "whistle"]].tolist() == [2, 2, 1, 1]
    assert ts.loc[("OC1", "U2"), "last_activity"] == AS_OF - 365 * DAY
    # a tie exactly one half-life old counts half: 100-day half-life, 100-day-old agreement
    one = _pair_net([tie("U1", "OC1", "co_building", start=AS_OF - 100 * DAY)])
    assert _strengths(one, half_life_days=100)[("OC1", "U1")] == pytest.approx(0.5, rel=1e-12)
    assert _strengths(one, half_life_days=50)[("OC1", "U1")] == pytest.approx(0.25, rel=1e-12)
    assert _strengths(one)[("OC1", "U1")] == pytest.approx(0.5 ** (100 / 365), rel=1e-12)
    # weights override one kind, the rest keep their defaults
    assert _strengths(net, weights={"whistle": 2.0})[("OC1", "U2")] == pytest.approx(3.0, rel=1e-12)
    t = linkage.tie_table(net)
    assert t["age_days"].tolist() == [0.0, 365.0, 0.0, 730.0]
    assert bool((t["a"] < t["b"]).all())


def test_ties_active_exactly_on_as_of_count_in_strength():
    net = _pair_net([tie("U1", "OC1", "pairing", start="2024-01-01", end=AS_OF),
                     tie("U2", "OC1", "pairing", start="2024-01-01", end=AS_OF - DAY)])
    ts = linkage.tie_strength(net, as_of=AS_OF)
    assert ts[["a", "b"]].values.tolist() == [["OC1", "U1"]]


def test_dormant_exactly_at_the_window_boundary():
    def dormant(activity_start, **kw):
        net = _pair_net([tie("U1", "OC1", "co_building", start="2023-01-01"),
                         tie("OC1", "U1", "activity", start=activity_start)])  # either direction counts
        ts = linkage.tie_strength(net, as_of=AS_OF, **kw).set_index(["a", "b"])
        return bool(ts.loc[("OC1", "U1"), "dormant"])

    assert dormant(AS_OF - 365 * DAY) is False  # exactly 365 days before as_of: inside the window
    assert dormant(AS_OF - 366 * DAY) is True
    assert dormant(AS_OF - 366 * DAY, dormant_days=366) is False
    assert dormant(AS_OF - 10 * DAY, dormant_days=10) is False
    assert dormant(AS_OF - 11 * DAY, dormant_days=10) is True
    assert dormant(AS_OF) is False
    # a pair with activities but no agreement is never dormant; an agreement with none is
    net = _pair_net([tie("U1", "OC1", "activity", start="2020-01-01"), tie("U2", "OC1", "co_building")])
    ts = linkage.tie_strength(net).set_index(["a", "b"])
    assert ts["dormant"].to_dict() == {("OC1", "U1"): False, ("OC1", "U2"): True}


def test_threshold_steps_keep_a_pair_exactly_at_a_threshold():
    net = _pair_net([tie("U1", "OC1", "co_building"),  # 1.0
                     tie("U2", "OC1", "joint_conference"),  # 0.5
                     tie("U3", "OC1", "part_time_member")],  # 1.5
                    extra_units=[unit("U3")])
    steps = linkage.threshold_steps(net, [0.5, 1.0, 1.5, 1.5 + 1e-9])
    assert steps["pairs"].tolist() == [3, 2, 1, 0]
    assert steps["nodes"].tolist() == [4, 3, 2, 0]
    assert steps["components"].tolist() == [1, 1, 1, 0]
    assert steps["largest_share"].tolist() == [1.0, 0.75, 0.5, 0.0]
    assert steps.loc[0.5, "density"] == pytest.approx(0.5, rel=1e-12)  # 2*3 / (4*3)
    assert steps.loc[1.0, "mean_strength"] == pytest.approx(1.25, rel=1e-12)
    # default thresholds: the exact minimum (keeps every pair) then percentiles 25/50/75/90
    d = linkage.threshold_steps(net)
    assert d.index.tolist() == pytest.approx([0.5, 0.75, 1.0, 1.25, 1.4], rel=1e-12)
    assert d["pairs"].tolist() == [3, 2, 2, 1, 1]
    g = linkage.tie_graph(net, min_strength=1.0)
    assert sorted(map(sorted, g.edges())) == [["OC1", "U1"], ["OC1", "U3"]]


def test_linkage_index_hand_checked():
    areas = BASE_AREAS + [area("C2", "community", "S1"), area("G2", "grid", "C2")]
    orgs = BASE_ORGS + [org("OC2", area="C2", parent="O1", form="committee"), org("OG1", area="G1", parent="OC1"),
                        org("OU2", "unit", unit="U2", area="G1")]
    units = [unit("U1", "agency"), unit("U2", "state_enterprise")]
    ties = [tie("U1", "OC1", "co_building", start=AS_OF),
            tie("U1", "OC1", "activity", start=AS_OF),
            tie("OU2", "OG1", "co_building", start=AS_OF),  # dormant: no activity
            tie("OG1", "OC1", "pairing"),  # inside C1's own side: not counted
            tie("OC2", "OC1", "pairing")]  # another community's committee: a partner
    li = linkage.linkage_index(net_of(areas=areas, organisations=orgs, units=units, ties=ties))
    c1 = li.loc["C1"]
    assert [int(c1[k]) for k in ("ties", "partners", "partner_types", "co_building")] == [4, 3, 3, 2]
    assert c1["strength"] == pytest.approx(4.0, rel=1e-12)
    assert c1["dormant_share"] == 0.5
    assert c1["mean_multiplexity"] == pytest.approx(4 / 3, rel=1e-12)  # U1 two kinds, OU2 and OC2 one
    assert c1["partner_diversity"] == pytest.approx(1 - 3 * (1 / 3) ** 2, rel=1e-12)
    assert c1["vertical_share"] == 0.5  # two ties with the agency U1 out of four
    c2 = li.loc["C2"]
    assert [int(c2[k]) for k in ("ties", "partners", "co_building")] == [1, 1, 0]
    assert math.isnan(c2["dormant_share"])
    assert c2["partner_diversity"] == 0.0


# ================================================================ sharing.match


def _match_net(*, resource_lat=LAT + 0.01, capacity=1, quantity=1, tie_kind=None, extra_resources=()):
    areas = BASE_AREAS + [area("G2", "grid", "C1", population=10, lat=LAT + 0.02)]
    demands = [dict(id="N1", owner="OC1", category="venue", quantity=quantity, date=AS_OF, status="open")]
    resources = [dict(id="R1", owner="U1", category="venue", capacity=capacity, lon=LON, lat=resource_lat,
                      date=AS_OF), *extra_resources]
    ties = [tie("U2", "OC1", tie_kind)] if tie_kind else []
    return net_of(areas=areas, units=[unit("U1"), unit("U2", area="G2")], demands=demands,
                  resources=resources, ties=ties)


def test_match_max_distance_exactly_at_the_pair_distance_is_a_candidate():
    net = _match_net()
    free = sharing.match(net)
    d = float(free.assignments.loc[0, "distance_m"])
    assert d == pytest.approx(haversine(LON, LAT, LON, LAT + 0.01), abs=1e-6)
    at = sharing.match(net, max_distance_m=d)
    assert at.params["candidates"] == 1
    assert at.assignments[["demand", "resource", "quantity"]].values.tolist() == [["N1", "R1", 1.0]]
    assert at.demands_met_share == 1.0
    short = sharing.match(net, max_distance_m=d * (1 - 1e-6))
    assert short.params["candidates"] == 0 and len(short.assignments) == 0
    assert short.unmet.loc["N1", "unmet"] == 1.0 and short.demands_met_share == 0.0
    assert short.idle.loc["R1", "idle"] == 1.0


def test_match_capacity_and_quantity_bound_the_flow():
    far = dict(id="R2", owner="U2", category="venue", capacity=2, lon=LON, lat=LAT + 0.03, date=AS_OF)
    other = dict(id="R3", owner="U2", category="legal", capacity=9, lon=LON, lat=LAT, date=AS_OF)
    r = sharing.match(_match_net(quantity=5, capacity=2, extra_resources=[far, other]))
    assert r.unmet.loc["N1", ["quantity", "matched", "unmet"]].tolist() == [5.0, 4.0, 1.0]
    assert r.idle["used"].to_dict() == {"R1": 2.0, "R2": 2.0, "R3": 0.0}  # no cross-category flow
    assert r.matched_quantity == 4.0
    assert r.demands_met_share == 0.0
    r = sharing.match(_match_net(quantity=1, capacity=1, extra_resources=[far]))
    # the nearer resource carries the one unit
    assert r.assignments["resource"].tolist() == ["R1"]


def test_match_partner_bonus_and_demand_status():
    # R1 (U1, ~1.1 km, no tie) vs R2 (U2, ~2.2 km, co-building with OC1): the 1000 m bonus
    # makes R2 cost ~1.2 km, still more than R1; a 1500 m bonus makes R2 cheaper
    r2 = dict(id="R2", owner="U2", category="venue", capacity=1, lon=LON, lat=LAT + 0.02, date=AS_OF)
    net = _match_net(tie_kind="co_building", extra_resources=[r2])
    assert sharing.match(net).assignments["resource"].tolist() == ["R1"]
    bonus = sharing.match(net, partner_bonus_m=1500)
    assert bonus.assignments["resource"].tolist() == ["R2"]
    assert bonus.assignments["existing_partner"].tolist() == [True]
    assert len(bonus.pairs) == 0  # an existing partner is not a recommended new pairing
    assert sharing.match(net, partner_bonus_m=1500, prefer_partners=False).assignments["resource"].tolist() == ["R1"]
    # met demands and demands dated after as_of are not matched
    demands = [dict(id="N1", owner="OC1", category="venue", quantity=1, date=AS_OF, status="met"),
               dict(id="N2", owner="OC1", category="venue", quantity=1, date=AS_OF + DAY, status="open"),
               dict(id="N3", owner="OC1", category="venue", quantity=1, date=AS_OF, status=None)]
    n = net_of(units=[unit("U1")], demands=demands,
               resources=[dict(id="R1", owner="U1", category="venue", capacity=3, date=AS_OF)])
    r = sharing.match(n, as_of=AS_OF)
    assert r.unmet.index.tolist() == ["N3"] and r.matched_quantity == 1.0


# ================================================================ structure


def _structure_net():
    """U1's only relation is one co-building tie to OC1; U2 has two partners; U3 has its own
    organisation OU3 (no leading organisation) and a pairing with U4, nothing else."""
    areas = BASE_AREAS + [area("C2", "community", "S1"), area("G2", "grid", "C2")]
    orgs = BASE_ORGS + [org("OC2", area="C2", parent="O1", form="committee"), org("OU3", "unit", unit="U3")]
    units = [unit("U1"), unit("U2"), unit("U3"), unit("U4"), unit("U5", area="G2")]
    ties = [tie("U1", "OC1", "co_building"),
            tie("U2", "OC1", "co_building"), tie("U2", "OC2", "co_building"),
            tie("OU3", "U4", "pairing")]
    return net_of(areas=areas, organisations=orgs, units=units, ties=ties)


def test_islands_are_units_without_any_path_to_territory():
    isl = structure.islands(_structure_net())
    # U3-OU3-U4 is a component of three with no territorial organisation; U5 has nothing
    # (being located in C2 is not a relation)
    assert isl.index.tolist() == ["U3", "U4", "U5"]
    assert isl["component_size"].to_dict() == {"U3": 3, "U4": 3, "U5": 1}
    assert isl.loc["U5", ["area", "street", "community"]].tolist() == ["G2", "S1", "C2"]


def test_a_unit_tied_once_becomes_an_island_when_that_partner_goes():
    net = _structure_net()
    w = structure.what_if_remove(net, ["OC1"])
    assert w.attrs["units_cut"] == ["U1"]  # U2 still reaches OC2
    assert w.index.tolist() == ["C1"]
    assert w.loc["C1", ["partners_before", "partners_after", "lost", "partners_removed"]].tolist() == \
        [2, 0, True, "U1,U2"]
    w = structure.what_if_remove(net, "U1")
    assert w.attrs["units_cut"] == [] and w.attrs["removed"] == ["U1"]
    assert w.loc["C1", ["partners_before", "partners_after", "lost"]].tolist() == [2, 1, False]
    # removing U2 leaves C2 with no partner; removing a unit removes its own organisation too
    assert structure.what_if_remove(net, ["U2"])["lost"].to_dict() == {"C1": False, "C2": True}
    assert structure.what_if_remove(net, ["U3"]).attrs["removed"] == ["OU3", "U3"]
    assert len(structure.what_if_remove(net, ["U3"])) == 0
    with pytest.raises(orgnet.OrgnetParameterError):
        structure.what_if_remove(net, ["C1"])  # an area is not removable


def test_key_entities_count_the_single_removals():
    k = structure.key_entities(_structure_net())
    # OC1 cuts U1; U2 is C2's only partner; O1 cuts nothing (OC1 and OC2 are anchors themselves)
    assert k[["units_cut", "communities_cut"]].to_dict("index") == {
        "OC1": {"units_cut": 1, "communities_cut": 1},
        "U2": {"units_cut": 0, "communities_cut": 1},
        "OC2": {"units_cut": 0, "communities_cut": 1},
    }
    assert k.index.tolist() == ["OC1", "OC2", "U2"]


# ================================================================ the demo's documented figures
# Every number below is stated in src/orgnet/datasets/demo/README.md ("README") or in a docs/ page.


@pytest.fixture(scope="module")
def net():
    return orgnet.datasets.load("demo")


def test_demo_reference_date_and_table_counts(net):
    # README "Reference date": 2025-06-30; "What the district contains" / "Counts per table"
    assert net.as_of == AS_OF
    counts = {"areas": 59, "organisations": 45, "units": 33, "stations": 6, "ties": 70, "demands": 10,
              "resources": 11, "projects": 6}
    assert {t: len(net.tables[t]) for t in counts} == counts
    # README "Areas per level", "Units per type", "Organisations (45)" scopes and forms
    assert net.areas["level"].value_counts().to_dict() == {
        "compound": 22, "grid": 22, "community": 6, "building": 6, "street": 2, "district": 1}
    assert net.units["type"].value_counts().to_dict() == {
        "private_enterprise": 14, "social_organisation": 5, "state_enterprise": 3, "property_company": 3,
        "other": 3, "agency": 2, "public_institution": 2, "owners_committee": 1}
    assert net.organisations["scope"].value_counts().to_dict() == {
        "territorial": 31, "unit": 10, "sector": 2, "industry": 1, "joint": 1}
    assert net.organisations["form"].value_counts().to_dict() == {
        "branch": 25, "committee": 15, "group": 3, "general_branch": 2}
    assert sorted(net.organisations.index[net.organisations["status"] == "weak"]) == ["OG132", "OU09"]


def test_demo_ties_per_kind_and_active(net):
    # README "Ties per kind" and "Active ties on 2025-06-30: 65 of 70 ... rows 8, 28, 37, 53 and 69"
    assert net.ties["kind"].value_counts().to_dict() == {
        "activity": 14, "co_building": 12, "covers": 11, "joint_conference": 9, "dual_report": 5,
        "instructor": 5, "part_time_member": 4, "backstop": 4, "pairing": 3, "whistle": 3}
    act = net.active_ties()
    assert len(act) == 65
    assert sorted(set(net.ties.index) - set(act.index)) == [8, 28, 37, 53, 69]
    assert act["kind"].value_counts().to_dict() == {
        "activity": 14, "co_building": 11, "covers": 10, "joint_conference": 9, "dual_report": 5,
        "instructor": 4, "backstop": 4, "part_time_member": 3, "pairing": 2, "whistle": 3}
    # row 36 ends exactly on 2025-06-30 and is active
    assert net.ties.loc[36, "end"] == AS_OF and 36 in act.index


def test_demo_unit_coverage_classes(net):
    # README gap 1 and "Units per coverage class: own 10, joint 9, work 6, none 8"
    uc = coverage.unit_coverage(net)
    cls = uc["coverage"].astype(str)
    assert {c: sorted(cls.index[cls == c]) for c in ("own", "joint", "work", "none")} == {
        "own": [f"U{i:02d}" for i in range(1, 11)],
        "joint": [f"U{i:02d}" for i in range(11, 20)],
        "work": [f"U{i:02d}" for i in range(20, 26)],
        "none": [f"U{i:02d}" for i in range(26, 34)],
    }
    assert uc.loc[["U11", "U14", "U16", "U18", "U20"], "covered_by"].tolist() == ["OS1", "OS2", "OI1", "OJ1", "O22"]
    # README gaps 2 and 3
    assert sorted(uc.index[uc["due_not_established"].fillna(False)]) == ["U12", "U24", "U27"]
    assert sorted(uc.index[uc["size_rule_gap"].fillna(False)]) == ["U23", "U24", "U27", "U28", "U31"]
    near = uc.loc[["U15", "U09", "U10", "U22"]]
    assert near["size_rule_gap"].tolist() == [False, False, False, False]
    assert near["employees"].tolist() == [110, 120, 35, 28]


def test_demo_coverage_rates(net):
    # README "Coverage rates" table
    s = coverage.coverage_rates(net, by="street")
    cols = ["units", "own", "joint", "work", "none", "org_covered", "work_covered"]
    assert s.loc["S1", cols].tolist() == [16, 5, 4, 4, 3, 9, 13]
    assert s.loc["S2", cols].tolist() == [17, 5, 5, 2, 5, 10, 12]
    assert s["org_coverage_rate"].round(4).to_dict() == {"S1": 0.5625, "S2": 0.5882}
    assert s["work_coverage_rate"].round(4).to_dict() == {"S1": 0.8125, "S2": 0.7059}
    a = coverage.coverage_rates(net, by="all").loc["all"]
    assert a[cols].tolist() == [33, 10, 9, 6, 8, 19, 25]
    assert round(a["org_coverage_rate"], 4) == 0.5758 and round(a["work_coverage_rate"], 4) == 0.7576
    assert a[["due_not_established", "size_rule_gaps"]].tolist() == [3, 5]
    # "By community (organisational / work)"
    c = coverage.coverage_rates(net, by="community")
    assert {k: (int(r.org_covered), int(r.work_covered), int(r.units)) for k, r in c.iterrows()} == {
        "C11": (3, 5, 5), "C12": (5, 6, 6), "C13": (1, 2, 5), "C21": (5, 5, 7), "C22": (4, 5, 7), "C23": (1, 2, 3)}
    # README "Emerging sectors: internet 4, market 4, business_building 2, park 2", 21 in none
    sec = coverage.coverage_rates(net, by="sector")["units"].to_dict()
    assert sec == {"business_building": 2, "park": 2, "market": 4, "internet": 4, "none": 21}


def test_demo_place_coverage(net):
    # README "Grids with a seated territorial organisation: 19/22 = 0.8636 ... Buildings with a group: 3/6"
    g = coverage.place_coverage(net, level="grid")
    assert sorted(g.index[~g["organised"]]) == ["G134", "G214", "G223"]
    assert round(g.attrs["organised_share"], 4) == 0.8636
    assert coverage.place_coverage(net, level="building").attrs["organised_share"] == 0.5


DEMO_REASONS = {  # README "Vacuum reasons per place": 27 flagged places
    "Q1131": "three_no", "G122": "no_service", "G131": "no_service, unlinked",
    "Q1311": "no_service, unlinked", "G132": "no_service, unlinked",
    "Q1321": "three_no, no_service, unlinked", "G133": "no_service, unlinked", "Q1331": "no_service, unlinked",
    # G134 has nobody placed in it (the demo's people table, README "The activity layer", gap 1)
    "G134": "no_organisation, no_service, unlinked, unstaffed", "Q1341": "no_organisation, no_service, unlinked",
    "G211": "no_service", "Q2111": "no_service", "G213": "no_service", "Q2131": "no_service",
    "G214": "no_organisation, sector_gap", "Q2141": "no_organisation", "G222": "sector_gap",
    "G223": "no_organisation", "Q2231": "no_organisation, three_no",
    **{g: "unlinked" for g in ("G231", "G232", "G233", "G234", "Q2311", "Q2321", "Q2331", "Q2341")},
}


def test_demo_vacuum_reasons_per_place(net):
    va = vacuum.vacuum_areas(net)
    flagged = va[va["vacuum"]]
    assert len(flagged) == 27
    assert flagged["reasons"].to_dict() == DEMO_REASONS
    # README gap 5: Q1331 has an empty security flag and false others: unknown, not three-no
    assert sorted(va.index[va["three_no"].fillna(False)]) == ["Q1131", "Q1321", "Q2231"]
    assert pd.isna(va.loc["Q1331", "three_no"]) and va.loc["Q1331", "unknown"] == "three_no"
    # README gap 6: 13 places out of service reach, 7 grids and 6 compounds
    ns = va[va["no_service"].fillna(False)]
    assert sorted(ns.index) == sorted(["G122", "G131", "Q1311", "G132", "Q1321", "G133", "Q1331", "G134",
                                       "Q1341", "G211", "Q2111", "G213", "Q2131"])
    assert ns["level"].value_counts().to_dict() == {"grid": 7, "compound": 6}
    assert int(ns.loc[ns["level"] == "grid", "population"].sum()) == 4198
    # README gap 8: unlinked communities C13 and C23
    assert sorted(set(va.loc[va["unlinked"].fillna(False), "community"])) == ["C13", "C23"]
    populations = {"Q1131": 420, "G122": 60, "G131": 1240, "G214": 1320, "G222": 710, "G223": 380, "G234": 830}
    assert va.loc[list(populations), "population"].to_dict() == populations


def _demo_distances(net):
    """Metres from every grid and compound centroid to every station (independent haversine)."""
    a, loc = net.areas, net.locations
    places = a.index[a["level"].isin(["grid", "compound"])]
    return pd.DataFrame({s: [haversine(a.at[p, "lon"], a.at[p, "lat"], loc.at[s, "lon"], loc.at[s, "lat"])
                             for p in places] for s in net.stations.index}, index=places)


def test_demo_service_reach_margins(net):
    # README gap 6: G122 is 596 m from T5 (radius 500) and every other station is more than
    # 1,000 m away; G212 is in reach only through T4's 1500 m; "for every place, the distance
    # that decides the result differs from the station's radius by at least 96 m (the closest
    # case is G122 and T5)"
    d = _demo_distances(net)
    radius = net.stations["radius_m"].fillna(1000)
    assert radius.to_dict() == {"T1": 1000, "T2": 1000, "T3": 1000, "T4": 1500, "T5": 500, "T6": 1000}
    assert round(d.at["G122", "T5"]) == 596
    assert (d.loc["G122"].drop("T5") > 1000).all()
    assert (d.loc["G212"] > 1000).all() and d.at["G212", "T4"] <= 1500
    inside = radius - d  # > 0: within that station's radius
    deciding = inside.max(axis=1).where(inside.max(axis=1) >= 0, -inside.max(axis=1))
    assert deciding.idxmin() == "G122" and round(deciding.min()) == 96
    va = vacuum.vacuum_areas(net)
    assert (va["no_service"] == (inside.max(axis=1) < 0).reindex(va.index)).all()
    assert va.loc["G212", "no_service"] == False and va.loc["G122", "no_service"] == True  # noqa: E712
    # one radius of 1000 m for all moves G212 out of reach and G122 into it
    one = vacuum.vacuum_areas(net, radius_m=1000)
    assert one.loc["G212", "no_service"] == True and one.loc["G122", "no_service"] == False  # noqa: E712


def test_demo_g212_distance_to_t4_as_documented(net):
    # README gap 6: "G212 ... is 1,201 m from T4" (the README said 1,114 until the tests measured it)
    assert round(_demo_distances(net).at["G212", "T4"]) == 1201


def test_demo_vacuum_residents(net):
    # README "Residents living in a vacuum place": 10,448 of 17,153; S1 3,460 of 8,605; S2
    # 6,988 of 8,548 (docs/coverage_and_vacuum.md: 81.8 %); the naive sum for S2 is 13,266
    s = vacuum.vacuum_summary(net, by="street")
    assert s.loc["S1", ["vacuum_population", "residents"]].tolist() == [3460, 8605]
    assert s.loc["S2", ["places", "vacuum", "vacuum_population", "residents"]].tolist() == [21, 17, 6988, 8548]
    assert round(float(s.loc["S2", "vacuum_population_share"]) * 100, 1) == 81.8
    assert s.attrs["vacuum_population"] == 10448 and s.attrs["residents"] == 17153
    va = vacuum.vacuum_areas(net)
    s2 = va[(va["street"] == "S2") & va["vacuum"]]
    assert int(s2["population"].sum()) == 13266
    c = vacuum.vacuum_summary(net, by="community")
    assert c["vacuum_population"].to_dict() == {"C11": 420, "C12": 60, "C13": 2980, "C21": 2478, "C22": 1090,
                                                "C23": 3420}
    # README "Total population at leaf areas": 17,153 residents, 6,114 households, 27 leaves
    leaves = net.leaf_areas
    assert len(leaves) == 27
    assert int(leaves["population"].sum()) == 17153 and int(leaves["households"].sum()) == 6114
    assert c["residents"].to_dict() == {"C11": 3460, "C12": 2165, "C13": 2980, "C21": 2558, "C22": 2570,
                                        "C23": 3420}
    assert int(vacuum.vacuum_leaf_population(net, va).sum()) == 10448


def test_demo_new_stations_and_accessibility(net):
    # README "New stations" and docs/coverage_and_vacuum.md "New stations"
    picks = vacuum.suggest_stations(net, 5)
    assert picks[["site", "newly_covered"]].values.tolist() == [["C13", 2980.0], ["C21", 1158.0], ["C12", 60.0]]
    assert picks["cumulative_covered"].tolist() == [2980.0, 4138.0, 4198.0]
    assert picks.attrs["unserved_population"] == 4198.0
    assert picks.attrs["note"] is not None
    # docs "Accessibility": 4,198 / 17,153 = 24.5 % below standard; 4,218 with one radius of 1000 m
    acc = vacuum.accessibility(net)
    assert acc.attrs["supply"] == "floor_area"  # every demo station has a floor area
    assert acc.attrs["share_below_standard"] == pytest.approx(4198 / 17153, rel=1e-12)
    assert round(acc.attrs["share_below_standard"] * 100, 1) == 24.5
    assert vacuum.accessibility(net, radius_m=1000).attrs["share_below_standard"] == \
        pytest.approx(4218 / 17153, rel=1e-12)


def test_demo_linkage_figures(net):
    # README gap 9 / "Dormant agreements": rows 4 (OU04 -> O22) and 6 (U30 -> O22)
    ts = linkage.tie_strength(net)
    assert sorted(map(tuple, ts.loc[ts["dormant"], ["a", "b"]].values.tolist())) == [("O22", "OU04"), ("O22", "U30")]
    assert net.ties.loc[[4, 6], ["source", "target", "kind"]].values.tolist() == [
        ["OU04", "O22", "co_building"], ["U30", "O22", "co_building"]]
    # docs/linkage.md "Threshold stepping": 73 pairs at 0.0495749, then [73, 55, 38, 20, 8]
    steps = linkage.threshold_steps(net)
    assert steps["pairs"].tolist() == [73, 55, 38, 20, 8]
    assert len(ts) == 73
    assert round(steps.index[0], 7) == 0.0495749 and steps.index[0] == ts["strength"].min()
    # README gap 8: C13 and C23 hold no active agreement
    li = linkage.linkage_index(net)
    assert sorted(li.index[li["co_building"] == 0]) == ["C13", "C23"]


def test_demo_structure_figures(net):
    # README gap 10 / docs/structure.md "Islands": U32 and U33
    isl = structure.islands(net)
    assert isl.index.tolist() == ["U32", "U33"]
    assert isl["community"].tolist() == ["C23", "C13"]
    # the what_if_remove and key_entities docstrings
    w = structure.what_if_remove(net, ["U10"])
    assert w.loc["C11", ["partners_before", "partners_after", "lost"]].tolist() == [3, 2, False]
    assert w.attrs["removed"] == ["OU10", "U10"]
    assert structure.what_if_remove(net, ["U02", "OU05"])["lost"].to_dict() == {"C12": True}
    k = structure.key_entities(net, top=3)
    assert k.index.tolist() == ["O22", "OS1", "O12"]
    assert k[["units_cut", "communities_cut"]].values.tolist() == [[3, 1], [3, 0], [1, 1]]
    # docs/structure.md "Centrality": OU07 out-ranks committee O21 in 园林社区; read with the
    # meetings, the units on the street's conference out-rank O2, O11 and O12
    c = structure.centrality(net)
    assert c.loc["O21", "axis_rank"] > 1 and not c.loc["O21", "is_axis"]
    assert c.index[c["axis_rank"] > 1].tolist() == ["O11", "O12", "O2", "O21"]
    # docs/structure.md: street cores 9 of 38 and 9 of 39 nodes, the whole network 18 of 79
    f = structure.fragmentation(net, by="street")
    assert f["nodes"].to_dict() == {"S1": 38, "S2": 39, "all": 79}
    assert (f["core_share"] * f["nodes"]).round().astype(int).to_dict() == {"S1": 9, "S2": 9, "all": 18}


def test_florentine_core_periphery_documented():
    # docs/structure.md "Core/periphery": {Medici, Ridolfi, Tornabuoni}, r = 0.423
    cp = structure.core_periphery(nx.florentine_families_graph(), method="exact")
    assert sorted(cp.core) == ["Medici", "Ridolfi", "Tornabuoni"]
    assert round(cp.fit, 3) == 0.423


def test_demo_sharing_figures(net):
    # README "Matching" and docs/sharing.md: 6 open demands, 4 fully met, 66.7 %
    r = sharing.match(net)
    assert r.unmet.index.tolist() == ["N2", "N4", "N5", "N7", "N8", "N10"]
    assert r.unmet["quantity"].to_dict() == {"N2": 20.0, "N4": 30.0, "N5": 15.0, "N7": 10.0, "N8": 1.0,
                                             "N10": 20000.0}
    met = r.unmet.index[r.unmet["unmet"] == 0].tolist()
    assert met == ["N2", "N5", "N8", "N10"]
    assert round(r.demands_met_share * 100, 1) == 66.7
    # the summed quantities the docs warn against: 20,036 of 20,076 (99.8 %)
    assert r.matched_quantity == 20036.0 and float(r.unmet["quantity"].sum()) == 20076.0
    shares = r.summary()["matched_share"].to_dict()
    assert shares == {"elderly_care": 0.0, "employment": 1.0, "funding": 1.0, "legal": 0.0, "venue": 1.0,
                      "volunteers": 1.0}
    by_c = r.summary(by="community")
    assert by_c[["demands", "demands_met"]].to_dict("index") == {
        "C11": {"demands": 1, "demands_met": 1}, "C12": {"demands": 0, "demands_met": 0},
        "C13": {"demands": 2, "demands_met": 1}, "C21": {"demands": 0, "demands_met": 0},
        "C22": {"demands": 1, "demands_met": 0}, "C23": {"demands": 2, "demands_met": 2}}
    # README gap 12: training resources R4 and R10 are idle under any matching
    assert r.idle.loc[["R4", "R10"], "used"].tolist() == [0.0, 0.0]
    # README "Projects (6)": P1-P4 done, total value 23,000; realised counts 4 projects
    p = net.projects
    assert sorted(p.index[p["status"] == "done"]) == ["P1", "P2", "P3", "P4"]
    assert float(p.loc[p["status"] == "done", "value"].sum()) == 23000.0
    assert int(sharing.realised(net)["projects"].sum()) == 4


def test_demo_indicators_and_scorecard(net):
    # the compare.indicators, gap_lists and scorecard docstrings, consistent with the README
    ind = orgnet.compare.indicators(net)
    assert {k: float(ind[k]) for k in ("units", "uncovered_units", "due_not_established", "size_rule_gaps",
                                       "vacuum_places", "vacuum_population", "three_no_compounds",
                                       "active_ties", "co_building_agreements", "dormant_agreements",
                                       "islands", "open_demands", "demands_met", "projects_done",
                                       "project_value")} == {
        "units": 33, "uncovered_units": 8, "due_not_established": 3, "size_rule_gaps": 5, "vacuum_places": 27,
        "vacuum_population": 10448, "three_no_compounds": 3, "active_ties": 65, "co_building_agreements": 11,
        "dormant_agreements": 2, "islands": 2, "open_demands": 6, "demands_met": 4, "projects_done": 4,
        "project_value": 23000}
    assert ind["org_coverage_rate"] == pytest.approx(19 / 33, rel=1e-12)
    assert ind["work_coverage_rate"] == pytest.approx(25 / 33, rel=1e-12)
    assert ind["organised_grid_share"] == pytest.approx(19 / 22, rel=1e-12)
    assert ind["dormant_share"] == pytest.approx(2 / 11, rel=1e-12)
    assert ind["no_service_places"] == 13 and ind["three_no_places"] == 3
    gaps = orgnet.compare.gap_lists(net)
    assert sorted(gaps["dormant_agreements"]) == ["O22|OU04", "O22|U30"]
    assert gaps["islands"] == {"U32", "U33"} and gaps["unmet_demands"] == {"N4", "N7"}
    sc = orgnet.scorecard.scorecard(net)
    assert sc["demands_met_share"].dropna().to_dict() == {"C11": 1.0, "C13": 0.5, "C22": 0.0, "C23": 1.0}
    assert sc["vacuum_population_share"].round(6).to_dict() == {
        c: round(v, 6) for c, v in {"C11": 420 / 3460, "C12": 60 / 2165, "C13": 1.0, "C21": 2478 / 2558,
                                    "C22": 1090 / 2570, "C23": 1.0}.items()}
    assert sc["org_coverage_rate"].round(6).to_dict() == {
        c: round(v, 6) for c, v in {"C11": 3 / 5, "C12": 5 / 6, "C13": 1 / 5, "C21": 5 / 7, "C22": 4 / 7,
                                    "C23": 1 / 3}.items()}


def test_read_dataset_reads_the_demo_folder_to_the_same_network(net):
    from pathlib import Path

    folder = Path(orgnet.__file__).parent / "datasets" / "demo"
    assert orgnet.read_dataset(folder) == net


# ================================================================ more definitions, hand-checked


def test_min_members_zero_makes_every_unit_without_its_own_organisation_due():
    net = net_of(organisations=BASE_ORGS + [org("OU1", "unit", unit="U1", area="G1")],
                 units=[unit("U1", party_members=0), unit("U2", party_members=0), unit("U3")])
    due = flags(coverage.unit_coverage(net, min_members=0)["due_not_established"])
    assert due == {"U1": False, "U2": True, "U3": None}


def test_buildings_are_reached_by_their_compound_or_grid():
    areas = BASE_AREAS + [area("B1", "building", "Q1", population=40),
                          area("G2", "grid", "C1"), area("Q2", "compound", "G2"),
                          area("B2", "building", "Q2", population=30),
                          area("G3", "grid", "C1"), area("Q3", "compound", "G3"),
                          area("B3", "building", "Q3", population=20)]
    orgs = BASE_ORGS + [org("OG1", area="G1"), org("OQ2", area="Q2", form="group")]
    va = vacuum.vacuum_areas(net_of(areas=areas, organisations=orgs), levels=["building"])
    assert va.index.tolist() == ["B1", "B2", "B3"] and set(va["level"]) == {"building"}
    assert flags(va["no_organisation"]) == {"B1": False, "B2": False, "B3": True}


def test_no_service_is_unknown_without_coordinates():
    areas = BASE_AREAS + [area("G2", "grid", "C1", lon=None, lat=None)]
    stations = [dict(id="T1", name="站", area="C1", lon=LON, lat=LAT, radius_m=100),
                dict(id="T2", name="无坐标站", area="G2")]  # its area has no centroid either
    va = vacuum.vacuum_areas(net_of(areas=areas, stations=stations))
    assert flags(va["no_service"]) == {"G1": False, "Q1": False, "G2": None}
    assert "no_service" in va.loc["G2", "unknown"]
    assert va.attrs["places_without_location"] == 1 and va.attrs["stations_without_location"] == 1


def test_maximal_covering_counts_a_point_exactly_at_the_radius():
    d = haversine(0.0, 0.0, 0.0, 0.004)
    pts = pd.DataFrame({"lon": [0.0, 0.0], "lat": [0.004, -0.0041], "population": [10.0, 7.0]})
    sites = pd.DataFrame({"lon": [0.0], "lat": [0.0]}, index=["A"])
    at = vacuum.maximal_covering(pts, sites, 1, radius_m=d)
    assert at[["site", "newly_covered"]].values.tolist() == [["A", 10.0]]
    assert at.attrs["covered"] == 10.0 and at.attrs["total"] == 17.0
    short = vacuum.maximal_covering(pts, sites, 1, radius_m=d * (1 - 1e-6))
    assert short["newly_covered"].tolist() == [0.0]
    exact = vacuum.maximal_covering(pts, sites, 1, radius_m=haversine(0.0, 0.0, 0.0, 0.0041), method="exact")
    assert exact.attrs["covered"] == 17.0 and exact.attrs["optimal"] is True


def test_suggest_stations_serves_unserved_leaf_residents_only():
    # Q1 (100, at the station) is served; Q2 (60) 2.2 km north is not; a new station at G2 covers it
    areas = BASE_AREAS + [area("G2", "grid", "C1", population=60, lat=LAT + 0.02),
                          area("Q2", "compound", "G2", population=60, lat=LAT + 0.02)]
    stations = [dict(id="T1", name="站", area="C1", lon=LON, lat=LAT)]
    picks = vacuum.suggest_stations(net_of(areas=areas, stations=stations), 2)
    assert picks[["site", "newly_covered"]].values.tolist() == [["G2", 60.0]]
    assert picks.attrs["unserved_population"] == 60.0 and picks.attrs["unreachable_population"] == 0.0
    assert picks.attrs["note"] is not None  # one of the two asked for adds residents


def test_accessibility_leaves_out_unpopulated_and_unlocated_leaves():
    areas = BASE_AREAS + [area("G2", "grid", "C1", population=0), area("G3", "grid", "C1", population=25,
                                                                       lon=None, lat=None)]
    stations = [dict(id="T1", name="站", area="C1", lon=LON, lat=LAT, floor_area_m2=50)]
    acc = vacuum.accessibility(net_of(areas=areas, stations=stations))
    assert acc.index.tolist() == ["Q1"]
    assert acc.loc["Q1", "accessibility"] == pytest.approx(0.5, rel=1e-12)  # 50 m2 / 100 residents
    assert acc.attrs["unlocated_population"] == 25.0


def test_partner_types_count_a_unit_organisation_as_its_units_type():
    orgs = BASE_ORGS + [org("OU1", "unit", unit="U1", area="G1")]
    units = [unit("U1", "agency"), unit("U2", "agency"), unit("U3", "social_organisation")]
    ties = [tie("OU1", "OC1", "co_building"), tie("U2", "OC1", "co_building"), tie("U3", "OC1", "co_building")]
    li = linkage.linkage_index(net_of(organisations=orgs, units=units, ties=ties))
    # OU1 and U2 are both agencies: 2 categories over 3 partners, Blau 1 - (2/3)^2 - (1/3)^2
    assert li.loc["C1", "partner_types"] == 2 and li.loc["C1", "partners"] == 3
    assert li.loc["C1", "partner_diversity"] == pytest.approx(4 / 9, rel=1e-12)
    assert li.loc["C1", "vertical_share"] == pytest.approx(2 / 3, rel=1e-12)


def test_brokerage_roles_gould_fernandez_definitions():
    # a -> b -> c open two-paths with every grouping; the closing tie x -> z makes x -> y -> z closed
    e = pd.DataFrame({"source": ["a1", "b1", "a2", "b2", "a3", "b3", "a4", "b4", "a5", "b5", "x", "y", "x"],
                      "target": ["b1", "c1", "b2", "c2", "b3", "c3", "b4", "c4", "b5", "c5", "y", "z", "z"]})
    groups = {"a1": 1, "b1": 1, "c1": 1,  # coordinator
              "a2": 1, "b2": 2, "c2": 2,  # gatekeeper
              "a3": 1, "b3": 1, "c3": 2,  # representative
              "a4": 1, "b4": 2, "c4": 1,  # consultant
              "a5": 1, "b5": 2, "c5": 3,  # liaison
              "x": 1, "y": 2, "z": 3}
    r = structure.brokerage_roles(e, groups)
    roles = ["coordinator", "gatekeeper", "representative", "consultant", "liaison"]
    for i, role in enumerate(roles, start=1):
        row = r.loc[f"b{i}"]
        assert row[role] == 1 and row["total"] == 1 and int(row[roles].sum()) == 1, role
    assert int(r.loc["y", "total"]) == 0  # closed by x -> z
    assert int(r[roles].to_numpy().sum()) == 5


def test_structural_holes_burt_on_a_star_and_a_triangle():
    star = pd.DataFrame({"a": ["h", "h"], "b": ["x", "y"]})
    s = structure.structural_holes(star)
    # the hub: p = 1/2 to each unconnected neighbour, constraint 2 (1/2)^2, effective size 2
    assert s.loc["h", ["degree", "constraint", "effective_size", "efficiency"]].tolist() == [2, 0.5, 2.0, 1.0]
    assert s.loc["x", "constraint"] == 1.0
    tri = structure.structural_holes(pd.DataFrame({"a": ["x", "x", "y"], "b": ["y", "z", "z"]}))
    # (1/2 + 1/2 * 1/2)^2 * 2 = 1.125; Borgatti's n - 2t/n = 2 - 1 = 1
    assert tri["constraint"].tolist() == [1.125] * 3 and tri["effective_size"].tolist() == [1.0] * 3
    # weighted: tie strengths enter p_ij
    w = structure.structural_holes(pd.DataFrame({"a": ["h", "h"], "b": ["x", "y"], "w": [3.0, 1.0]}), weight="w")
    assert w.loc["h", "constraint"] == pytest.approx(0.75 ** 2 + 0.25 ** 2, rel=1e-12)


def test_centrality_against_networkx_on_the_demo_tie_graph(net):
    # docs/structure.md: nodes are every established organisation, every unit and every area
    # named by a tie (a node, not reported); with hierarchy=False the edges are the
    # tie_strength pairs
    c = structure.centrality(net, hierarchy=False)
    g = linkage.tie_graph(net)
    g.add_nodes_from(net.organisations_at().index)
    g.add_nodes_from(net.units.index)
    areas = {v for v in g.nodes if v in net.areas.index}
    assert areas == {"C21"}  # README: row 49, a whistle from OU07 to the community area C21
    assert set(c.index) == set(g.nodes) - areas
    deg = dict(g.degree())
    strength = dict(g.degree(weight="weight"))
    bet = nx.betweenness_centrality(g)
    for v in c.index:
        assert c.loc[v, "degree"] == deg[v]
        assert c.loc[v, "strength"] == pytest.approx(strength[v], rel=1e-12, abs=1e-12)
        assert c.loc[v, "betweenness"] == pytest.approx(bet[v], rel=1e-9, abs=1e-12)
    # eigenvector: the leading eigenvector of the whole weighted adjacency, x >= 0, |x| = 1
    nodes = list(g.nodes)
    lam, vec = np.linalg.eigh(nx.to_numpy_array(g, nodelist=nodes, weight="weight"))
    assert lam[-1] - lam[-2] > 1e-6  # a unique leading eigenvector
    x = pd.Series(np.abs(vec[:, -1]), index=nodes)
    assert np.allclose(c["eigenvector"], x.reindex(c.index), atol=1e-9)


def test_fragmentation_definitions_on_a_hand_built_street():
    # S1 holds C1 (OC1, U1, U2) and C2 (OC2, U3); ties U1-OC1, U2-OC1, U3-OC2, U2-OC2
    areas = BASE_AREAS + [area("C2", "community", "S1"), area("G2", "grid", "C2")]
    orgs = [org("O1", area="D1", form="committee"), org("OC1", area="C1", form="committee"),
            org("OC2", area="C2", form="committee")]
    units = [unit("U1"), unit("U2"), unit("U3", area="G2"), unit("U4", area="G2")]
    ties = [tie("U1", "OC1", "pairing"), tie("U2", "OC1", "pairing"), tie("U3", "OC2", "pairing"),
            tie("U2", "OC2", "pairing")]
    f = structure.fragmentation(net_of(areas=areas, organisations=orgs, units=units, ties=ties))
    s1 = f.loc["S1"]
    assert [int(s1[k]) for k in ("nodes", "edges", "components")] == [6, 4, 2]  # U4 isolated
    assert s1["main_component_share"] == 0.75  # 3 of 4 units
    assert s1["density"] == pytest.approx(8 / 30, rel=1e-12)
    # modularity of {OC1, U1, U2} vs {OC2, U3, U4}: L = (2, 1), d = (5, 3), m = 4
    expected = (2 / 4 - (5 / 8) ** 2) + (1 / 4 - (3 / 8) ** 2)
    assert s1["modularity"] == pytest.approx(expected, rel=1e-12)
    g = nx.Graph([("U1", "OC1"), ("U2", "OC1"), ("U3", "OC2"), ("U2", "OC2")])
    g.add_node("U4")
    assert expected == pytest.approx(nx.community.modularity(g, [{"OC1", "U1", "U2"}, {"OC2", "U3", "U4"}]))
    assert int(f.loc["all", "nodes"]) == 7  # with the district committee O1


def test_projection_count_and_newman_weighting():
    areas = BASE_AREAS + [area("C2", "community", "S1"), area("C3", "community", "S1")]
    orgs = BASE_ORGS + [org("OC2", area="C2", form="committee"), org("OC3", area="C3", form="committee")]
    ties = [tie("U1", c, "co_building") for c in ("OC1", "OC2", "OC3")] + [tie("U2", "OC1", "co_building"),
                                                                          tie("U2", "OC2", "co_building")]
    net = net_of(areas=areas, organisations=orgs, units=[unit("U1"), unit("U2")], ties=ties)
    cnt = structure.projection(net)
    assert cnt[["a", "b", "weight", "shared"]].values.tolist() == [["C1", "C2", 2, 2], ["C1", "C3", 1, 1],
                                                                  ["C2", "C3", 1, 1]]
    nw = structure.projection(net, weighting="newman").set_index(["a", "b"])["weight"]
    # U1 links 3 communities: 1/2 to each pair; U2 links 2: 1 to C1-C2
    assert nw.to_dict() == pytest.approx({("C1", "C2"): 1.5, ("C1", "C3"): 0.5, ("C2", "C3"): 0.5}, rel=1e-12)
    partners = structure.projection(net, mode="partner")
    assert partners[["a", "b", "shared"]].values.tolist() == [["U1", "U2", 2]]


def test_realised_two_way_share_and_gini():
    areas = BASE_AREAS + [area("C2", "community", "S1"), area("G2", "grid", "C2")]
    orgs = BASE_ORGS + [org("OC2", area="C2", form="committee")]
    projects = [dict(id="P1", name="甲", owner="OC1", partner="U1", date=AS_OF, value=100, status="done"),
                dict(id="P2", name="乙", owner="U1", partner="OC1", date=AS_OF, value=50, status="done"),
                dict(id="P3", name="丙", owner="OC1", partner="U2", date=AS_OF, value=None, status="done"),
                dict(id="P4", name="丁", owner="OC2", partner="U2", date=AS_OF, status="planned"),
                dict(id="P5", name="戊", owner="OC2", partner="U2", date=AS_OF + DAY, status="done")]
    net = net_of(areas=areas, organisations=orgs, units=[unit("U1"), unit("U2", area="G2")], projects=projects)
    r = sharing.realised(net, as_of=AS_OF)
    # C1: three projects; partners U1 (both directions) and U2 (one): two-way share 1/2
    assert r.loc["C1", ["projects", "value", "partners", "two_way_share"]].tolist() == [3, 150.0, 2, 0.5]
    assert r.loc["C2", "projects"] == 0 and math.isnan(r.loc["C2", "two_way_share"])
    assert r.attrs["gini_projects"] == pytest.approx(sharing.gini([3, 0]), rel=1e-12) == 0.5
    assert sharing.realised(net, as_of=AS_OF, status="all").loc["C2", "projects"] == 1
    assert sharing.gini([1, 1, 1, 1]) == 0.0 and sharing.gini([0, 0, 0, 4]) == 0.75


def test_scorecard_composite_is_the_weighted_mean_of_min_max_scores(net):
    sc = orgnet.scorecard.scorecard(net, weights={"org_coverage_rate": 2, "vacuum_population_share": 1})
    x = sc["org_coverage_rate"]
    s1 = (x - x.min()) / (x.max() - x.min())
    v = sc["vacuum_population_share"]
    s2 = 1 - (v - v.min()) / (v.max() - v.min())  # lower is better
    assert np.allclose(sc["composite"], (2 * s1 + s2) / 3, rtol=0, atol=1e-12)
    assert sc["rank_composite"].tolist() == sc["composite"].rank(ascending=False, method="min").tolist()
    # ranks: 1 = best, ties share the best rank, lower is better for the gap shares
    assert sc["rank_vacuum_population_share"].tolist() == v.rank(method="min").tolist()
    assert sc["rank_org_coverage_rate"].tolist() == x.rank(ascending=False, method="min").tolist()


def test_compare_lists_who_entered_and_left_a_gap_list():
    before = net_of(units=[unit("U1"), unit("U2")], ties=[tie("OC1", "U1", "instructor")])
    after = net_of(units=[unit("U1"), unit("U2")], ties=[tie("OC1", "U2", "instructor")])
    c = orgnet.compare.compare(before, after)
    ch = c.changes[c.changes["list"] == "uncovered_units"]
    assert ch[["id", "change"]].values.tolist() == [["U1", "entered"], ["U2", "left"]]
    assert c.indicators.loc["uncovered_units", ["before", "after", "change"]].tolist() == [1.0, 1.0, 0.0]
    assert c.indicators.loc["islands", ["before", "after"]].tolist() == [1.0, 1.0]


def test_network_as_of_is_the_latest_start_established_or_date_never_an_end():
    net = net_of(organisations=BASE_ORGS + [org("OG1", area="G1", established="2025-03-01")],
                 units=[unit("U1")],
                 ties=[tie("U1", "OC1", "co_building", start="2025-02-01", end="2030-12-31")],
                 demands=[dict(id="N1", owner="OC1", category="venue", date="2025-04-15")],
                 resources=[dict(id="R1", owner="U1", category="venue", date="2025-01-01")],
                 as_of=None)
    assert net.as_of == pd.Timestamp("2025-04-15")
    assert net_of(units=[unit("U1")], as_of="2024-01-01").as_of == pd.Timestamp("2024-01-01")
    act = net.active_ties("2030-12-31")
    assert len(act) == 1 and len(net.active_ties("2031-01-01")) == 0 and len(net.active_ties("2025-01-31")) == 0
    assert net.organisations_at("2025-02-28").index.tolist() == ["O1", "OC1"]
    assert net.organisations_at("2025-03-01").index.tolist() == ["O1", "OC1", "OG1"]
