"""Calibration: a synthetic city's figures recomputed from its tables, against its preset's targets.

Coverage rates come from :func:`orgnet.coverage.coverage_rates` (and
:func:`~orgnet.coverage.unit_coverage`), dormant agreements from
:func:`orgnet.linkage.tie_strength`, the served
residents from :func:`orgnet.algorithms.covering.served`, the two-way share
from :func:`orgnet.sharing.realised`, the activity layer's figures from
:mod:`orgnet.staffing` (``people_by_area``, ``rule_gaps``, ``dual_reporting``)
and :mod:`orgnet.response` (``case_summary``, ``solved_level``); the other
figures are table counts by the definitions of docs/synthetic.md.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ... import schema
from ..._params import Network, Options, validate_params
from ...errors import OrgnetParameterError
from .parameters import UNIT_TYPES, resolve
from .presets import PRESETS

__all__ = ["calibration", "facts"]

_PLURAL = {"district": "districts", "street": "streets", "community": "communities", "grid": "grids",
           "compound": "compounds"}
_G = "GLOSSARY"
_UNSERVED = "residents farther than the station radius (1 km) from every station (%)"


def _pct(mask) -> float:
    return 100.0 * np.asarray(mask).mean() if len(mask) else float("nan")


def facts(net) -> dict[str, float]:
    """The calibrated quantities of ``net``, computed from its tables by the documented definitions."""
    a, o, u = net.areas, net.organisations, net.units
    act = net.active_ties(net.as_of)
    terr = o[o["scope"] == "territorial"]
    org_level = terr["area"].astype(object).map(a["level"])  # territorial organisation -> level it serves
    f: dict[str, float] = {plural: int((a["level"] == level).sum()) for level, plural in _PLURAL.items()}
    f["units"] = len(u)
    f["ties"] = len(net.ties)
    f["grid_orgs"] = int((org_level == "grid").sum())
    cb = act[act["kind"] == "co_building"]
    cb = cb[(cb["source"].isin(u.index)
             & cb["target"].astype(object).map(org_level).isin(["street", "community"])).to_numpy()]
    f["co_building_units"] = int(cb["source"].nunique())
    unit_org = o[o["scope"] == "unit"]
    f["emerging_orgs"] = int((o["scope"] == "sector").sum()
                             + unit_org["unit"].astype(object).map(u["sector"]).notna().sum())
    f.update(_coverage(net))
    f["instructors"] = int((act["kind"] == "instructor").sum())
    jc = act[(act["kind"] == "joint_conference") & act["source"].isin(u.index).to_numpy()]
    jl = jc["target"].astype(object).map(org_level)
    for level in schema.LEVELS[:4]:  # city, district, street, community
        f[f"jc_{level}"] = int(jc.loc[(jl == level).to_numpy(), "source"].nunique())
    q = a[a["level"] == "compound"]
    f["three_no"] = int((~q["property_management"].fillna(False) & ~q["supervisor"].fillna(False)
                         & ~q["security"].fillna(False)).sum())
    f["projects"] = len(net.projects)
    f["two_way"] = _two_way(net)
    f["unserved"] = 100.0 * (1 - _served_share(net))
    comm = a.index[a["level"] == "community"]
    f["station_share"] = _pct(pd.Index(comm).isin(net.stations["area"].astype(object)))
    f["dormant"] = _dormant(net, cb)
    eligible = o[o["scope"].isin(["unit", "joint"])
                 | org_level.reindex(o.index).isin(["community", "grid"]).to_numpy()]
    f["weak"] = _pct(eligible["status"] == "weak")
    f["big_committee_cb_units"] = _big_committee(net, act, cb)
    if len(net.people):
        f.update(_staffing(net))
    if len(net.cases):
        f.update(_response(net))
    if len(net.events):
        f.update(_meetings(net, act))
    return f


def _meetings(net, act) -> dict[str, float]:
    """Meetings per convener and month held, and the attendance of the members who did not chair
    (table counts: members are the sources of active ``joint_conference`` ties to the convener)."""
    ev, at = net.events, net.attendance
    meet = ev[(ev["kind"] == "meeting").to_numpy()]
    months = meet["date"].dt.to_period("M")
    span = (months.max() - months.min()).n + 1 if len(meet) else 0
    f = {"meetings_per_month": len(meet) / (meet["convener"].nunique() * span) if span else float("nan")}
    jc = act[(act["kind"] == "joint_conference").to_numpy()]
    size = jc.groupby(jc["target"].astype(object))["source"].nunique()
    expected = meet["convener"].astype(object).map(size).fillna(0).sum() - len(meet)  # members but the chair
    a = at[at["event"].isin(meet.index).to_numpy()]
    chair = a["event"].astype(object).map(meet["chair"].astype(object))
    others = int((a["entity"].astype(object) != chair).sum())
    f["attendance"] = _pct_of(others, expected)
    from ...linkage import rotation

    rot = rotation(net, cycle_days=365)
    f["chaired"] = _pct_of(rot["chaired"].sum(), rot["members"].sum())
    return f


def _staffing(net) -> dict[str, float]:
    """The people figures, from :mod:`orgnet.staffing` at ``as_of``."""
    from ...staffing import dual_reporting, people_by_area, rule_gaps

    f = {}
    grids = people_by_area(net, level="grid")
    ng = len(grids)
    f["grid_workers_per_grid"] = float(grids["grid_worker"].mean()) if ng else float("nan")
    gaps = rule_gaps(net, grid_workers_per_grid=1, staff_per_station=2, building_heads_per_building=0)
    f["grids_without_worker"] = _pct_of((gaps["rule"] == "grid_workers_per_grid").sum(), ng)
    f["unstaffed_grids"] = _pct_of((grids["total"] == 0).sum(), ng)
    f["stations_short"] = int((gaps["rule"] == "staff_per_station").sum())
    # a rule no station meets lists every station with its actual staff
    every = rule_gaps(net, grid_workers_per_grid=0, building_heads_per_building=0,
                      staff_per_station=int(net.people["count"].fillna(1).sum()) + 1)
    f["staff_per_station"] = float(every["actual"].mean()) if len(every) else float("nan")
    comm = people_by_area(net, level="community")
    f["first_secretaries"] = int(comm["first_secretary"].sum())
    f["cadres"] = int(comm["cadre"].sum())
    dr = dual_reporting(net, level="community")
    members = int(dr["members"].sum())
    f["members_reporting"] = members
    m = net.people[(net.people["role"] == "in_service_member").to_numpy()]
    f["reporting_units_members"] = int(net.units["party_members"].reindex(m["source"].dropna().unique())
                                       .fillna(0).sum())
    f["members_in_grid"] = _pct_of(dr["in_grid"].sum(), members)
    f["posts_per_member"] = float(dr["posts"].sum() / members) if members else float("nan")
    f["units_reporting"] = _pct_of(dr["units_reporting"].sum(), dr["units"].sum())
    return f


def _response(net) -> dict[str, float]:
    """The case figures, from :mod:`orgnet.response` at ``as_of``."""
    from ...response import case_summary, solved_level

    t = case_summary(net).attrs["total"]
    sl = solved_level(net)
    return {"cases": t["cases"], "closure": 100 * t["closure_rate"], "satisfaction": 100 * t["satisfaction"],
            "median_days": t["median_days"],
            "department_cases": _pct_of(sl["cases"].get("department", 0), sl["cases"].sum())}


def _pct_of(part, whole) -> float:
    return 100.0 * float(part) / float(whole) if whole else float("nan")


def _coverage(net) -> dict[str, float]:
    """Coverage and establishment rates per type (:func:`orgnet.coverage.coverage_rates`), the size
    rule and the spread of private enterprises' coverage between streets (from ``unit_coverage``)."""
    from ...coverage import coverage_rates, unit_coverage

    f = {}
    rates = coverage_rates(net, by="type")
    for t in UNIT_TYPES:
        n = rates.loc[t, "units"]
        f[f"coverage_{t}"] = 100 * rates.loc[t, "org_coverage_rate"] if n else float("nan")
        f[f"own_{t}"] = 100 * (rates.loc[t, "own"] / n) if n else float("nan")
    uc = unit_coverage(net)
    orgcov = uc["org_covered"].to_numpy()
    typ = uc["type"].to_numpy(dtype=object)
    emp = uc["employees"].fillna(0).to_numpy()
    big = ((typ == "private_enterprise") & (emp >= 100)) | ((typ == "social_organisation") & (emp >= 30))
    f["size_rule"] = _pct(orgcov[big])
    pe = typ == "private_enterprise"
    per = pd.Series(orgcov[pe]).groupby(uc["street"].to_numpy(dtype=object)[pe]).mean() * 100
    f["coverage_street_min"] = float(per.min()) if len(per) else float("nan")
    f["coverage_street_max"] = float(per.max()) if len(per) else float("nan")
    return f


def _served_share(net, radius_default: float = 1000.0) -> float:
    """Share of compound residents within some station's own radius (haversine)."""
    from ...algorithms.covering import served

    a = net.areas
    q = a[(a["level"] == "compound") & a["lon"].notna() & a["lat"].notna()]
    st = net.locations.loc[net.stations.index]
    pop = q["population"].fillna(0).to_numpy(dtype=float)
    if not len(q) or not len(st) or not pop.sum():
        return 0.0
    ok = served(q["lon"].to_numpy(dtype=float), q["lat"].to_numpy(dtype=float),
                st["lon"].to_numpy(dtype=float), st["lat"].to_numpy(dtype=float),
                net.stations["radius_m"].fillna(radius_default).to_numpy(dtype=float))
    return float(pop[ok].sum() / pop.sum())


def _two_way(net) -> float:
    """Pooled two-way share of :func:`orgnet.sharing.realised` at the community level (%)."""
    from ...sharing import realised

    rs = realised(net, level="community")
    partners = rs["partners"].sum()
    if not partners:
        return float("nan")
    return 100.0 * float((rs["two_way_share"].fillna(0) * rs["partners"]).sum() / partners)


def _dormant(net, cb) -> float:
    """Share of the agreements ``cb`` whose pair :func:`orgnet.linkage.tie_strength` flags dormant
    (no activity between the same ends within 365 days) (%)."""
    from ...linkage import tie_strength

    if not len(cb):
        return float("nan")
    ts = tie_strength(net, dormant_days=365)
    s, g = cb["source"].to_numpy(dtype=object), cb["target"].to_numpy(dtype=object)
    pairs = pd.MultiIndex.from_arrays([np.where(s > g, g, s), np.where(s > g, s, g)])
    flag = ts.set_index(["a", "b"])["dormant"].reindex(pairs, fill_value=False).to_numpy(dtype=bool)
    return _pct(flag)


def _big_committee(net, act, cb) -> int:
    """Co-building units seated in big committees (directly or through their organisation)."""
    o = net.organisations
    ptm = act[act["kind"] == "part_time_member"]
    pt_unit = ptm["source"].astype(object).map(o["unit"]).fillna(ptm["source"].astype(object))
    pt_unit = pt_unit[pt_unit.isin(net.units.index)]
    return int(pd.Index(pt_unit.unique()).isin(cb["source"].astype(object)).sum())


# ----------------------------------------------------------------- targets


def _red_property(net) -> dict[str, float]:
    """The red-property figures, from :func:`orgnet.coverage.property_triads` at ``as_of``."""
    from ...coverage import property_triads

    pt = property_triads(net)
    q = net.areas.loc[pt.index]
    pm = q["property_management"].fillna(False).to_numpy(dtype=bool)
    oc = pt["owners_committee"].notna().to_numpy()
    met = pt["party_share_met"].fillna(False).to_numpy(dtype=bool)
    return {"red_manages": _pct_of(pt["property_company"].notna().to_numpy()[pm].sum(), pm.sum()),
            "red_committees": _pct_of(met[oc].sum(), oc.sum()),
            "red_triads": _pct_of(pt.attrs["complete"], pt.attrs["with_all_parties"])}


def _red_property_rows(row, p) -> None:
    """Red property's targets (only for a city generated with ``red_property=True``)."""
    src = "issue 12: red property (红色物业, 三方共治); knob"
    row("compounds with property management and a property company on record (manages) (%)", "red_manages",
        100 * p["red_manages_share"], 0.5, f"{src} red_manages_share")
    row("owners' committees with at least half Party members (%)", "red_committees",
        100 * p["red_committee_party_share"], 0.5, f"业委会党员比例不少于50%; {src} red_committee_party_share")
    row("compounds with all three parties tied three ways (complete triads) (%)", "red_triads",
        100 * p["red_triad_share"], 0.5, f"{src} red_triad_share")


class _Rows:
    """The calibration rows: (figure, target, tolerance, achieved, source)."""

    def __init__(self, facts_: dict):
        self.f, self.rows = facts_, []

    def __call__(self, figure, key, target, tol, source):
        self.rows.append((figure, float(target) if target is not None else float("nan"), float(tol),
                          float(self.f[key]), source))


def _count_rows(row, p, preset) -> None:
    lanz = preset == "lanzhou"
    seed = "Lanzhou {} (seed 002)" if lanz else "district A {} (seed 000)"
    row("streets", "streets", p["streets"], 0,
        "knob streets" if preset == "large" else f"{_G}: {seed.format('streets')}")
    row("communities", "communities", p["communities"], 0,
        "knob communities" if preset == "large" else f"{_G}: {seed.format('communities')}")
    row("grids", "grids", p["grids"], 0, f"{_G}: Lanzhou third-level grids (seed 002)" if lanz else "knob grids")
    if p["grid_orgs"] is not None:
        row("grid branches and groups", "grid_orgs", p["grid_orgs"], 0,
            f"{_G}: Lanzhou grid branches and groups (seed 002)")
    row("units", "units", p["units"], 0, "knob units")
    if p["co_building_units"] is not None:
        row("units holding an active co-building agreement", "co_building_units", p["co_building_units"], 0,
            f"{_G}: Lanzhou units with co-building agreements (seed 002)" if lanz
            else f"{_G}: district A co-building units (seed 000)")
    if p["emerging_orgs"] is not None:
        row("emerging-sector organisations (sector scope + unit orgs of sector units)", "emerging_orgs",
            p["emerging_orgs"], 0, f"{_G}: Lanzhou emerging-sector organisations (seed 002)")
    if p["instructors"] is not None:
        row("instructors sent (active instructor ties)", "instructors", p["instructors"], 0,
            f"{_G}: Lanzhou instructors sent (seed 002)")


def _coverage_rows(row, p, preset) -> None:
    lanz = preset == "lanzhou"
    for typ, words in (("private_enterprise", "private enterprises"),
                       ("social_organisation", "social organisations")):
        row(f"organisational coverage, {words} (%)", f"coverage_{typ}", 100 * p["org_coverage"][typ], 1,
            f"{_G}: Lanzhou coverage, {words} (seed 002)" if lanz else "knob org_coverage")
    if preset == "district":
        for typ, words, rate in (("private_enterprise", "private enterprises", "45.4"),
                                 ("social_organisation", "social organisations", "45.1")):
            row(f"own organisation (establishment) rate, {words} (%)", f"own_{typ}",
                100 * p["own_rate"][typ], 1, f"{_G}: Liaoning establishment rate {rate}% (seed 000)")
    if p["size_rule"]:
        row("size rule: enterprises >= 100 / social orgs >= 30 staff covered (%)", "size_rule", 100, 0,
            f"{_G}: Liaoning rule (seed 000)")
    row("coverage of private enterprises by street, lowest (%)", "coverage_street_min", None, 0,
        "knob street_effect (coverage varies by street)")
    row("coverage of private enterprises by street, highest (%)", "coverage_street_max", None, 0,
        "knob street_effect")


def _conference_rows(row, p, preset, f) -> None:
    lanz, dist = preset == "lanzhou", preset == "district"
    src = {"city": f"{_G}: Lanzhou city joint conference member units (seed 002)" if lanz else "knob jc_city"}
    for level in ("district", "street", "community"):
        src[level] = f"{_G}: district A {level}-level members (seed 000)" if dist else f"knob jc_{level}"
    defaults = {"city": 0, "district": 30 * f["districts"], "street": 8 * f["streets"],
                "community": 2 * f["communities"]}
    for level, source in src.items():
        if level == "city" and p["root"] != "city":
            continue
        tgt = p[f"jc_{level}"]
        row(f"joint conference member units, {level} level", f"jc_{level}",
            defaults[level] if tgt is None else tgt, 0, source)
    if dist:
        row("co-building units absorbed into big committees", "big_committee_cb_units", p["co_building_units"], 0,
            f"{_G}: district A co-building units absorbed into big committees (seed 000)")


def _list_and_place_rows(row, p, preset, f) -> None:
    if p["projects"] is not None:
        row("projects", "projects", p["projects"], 0, f"{_G}: district A party-building projects (seed 000)"
            if preset == "district" else "knob projects")
    row("(community, partner) pairs with projects in both directions (%)", "two_way",  # no pairs: no target
        100 * p["two_way_share"] if not math.isnan(f["two_way"]) else None, 1,
        "knob two_way_share (双向认领; no published figure)")
    three = p["three_no"] if p["three_no"] is not None else round(p["three_no_share"] * f["compounds"])
    if p["campaign"]:
        rem = p["campaign_remaining"]
        rem = rem if rem is not None else int(round(three * (1 - p["campaign_success"])))
        row("three-no compounds after the campaign", "three_no", rem, 0,
            f"{_G}: Weinan three-no compounds after a 3-month campaign (seed 001)" if rem == 66
            else "knob campaign_success")
    else:
        row("three-no compounds", "three_no", three, 0,
            f"{_G}: Weinan three-no compounds before a campaign (seed 001)" if p["three_no"] == 526
            else "knob three_no_share")
    row("communities with a service station (%)", "station_share", 100 * p["station_share"], 1,
        f"{_G}: Huichang 35 of 45 planned stations (seed 003)" if abs(p["station_share"] - 35 / 45) < 1e-9
        else "knob station_share")
    row(_UNSERVED, "unserved", 12.5, 7.5,
        f"{_G}: Huichang service radius 1 km (seed 003); realistic band 5-20%, no seed figure")
    row("dormant agreements (no activity within 365 days) (%)", "dormant", 100 * p["dormant_share"], 1,
        "knob dormant_share (签而不联)")
    row("weak organisations among community, grid, unit and joint ones (%)", "weak", 100 * p["weak_share"], 1,
        "knob weak_share (软弱涣散)")
    if preset == "large":
        row("ties", "ties", 1_000_000, 100_000, "issue: 10^6 ties for scale tests")


_HUICHANG = "seed 003: Huichang"


def _activity_rows(row, p, f) -> None:
    """The activity layer's targets (only for a city generated with it)."""
    ng, nc = f["grids"], f["communities"]
    gap = round(p["grid_gap_share"] * ng) / ng if ng else 0.0
    row("full-time grid workers per grid (mean)", "grid_workers_per_grid", p["grid_workers_per_grid"] * (1 - gap),
        0.005, f"{_HUICHANG}, one full-time grid worker in each of 66 grids; knob grid_gap_share")
    row("grids without a full-time grid worker (%)", "grids_without_worker", 100 * p["grid_gap_share"], 1,
        "knob grid_gap_share")
    row("grids with nobody in place (unstaffed) (%)", "unstaffed_grids", 100 * p["grid_gap_share"], 1,
        "knob grid_gap_share (the unstaffed vacuum reason)")
    row("stations with fewer than 2 staff", "stations_short", 0 if p["station_staff_min"] >= 2 else None, 0,
        f"{_HUICHANG}, 2 to 3 staff per station")
    row("staff per station (mean)", "staff_per_station", (p["station_staff_min"] + p["station_staff_max"]) / 2,
        0.2, f"{_HUICHANG}, 2 to 3 staff per station; knobs station_staff_min / station_staff_max")
    members = p["members_reporting"]
    if members is None:  # derived: at most every party member of the units whose members report
        members = min(round(p["members_per_community"] * nc), f["reporting_units_members"])
    row("in-service members reporting (双报到)", "members_reporting", members, 0,
        f"{_HUICHANG}, 8,600 members reporting for 66 grids, scaled by communities (130.3 each)"
        if p["members_reporting"] is None and abs(p["members_per_community"] - 8600 / 66) < 1e-9
        else "knob members_reporting / members_per_community")
    row("reporting members placed down to a grid (%)", "members_in_grid", 100 * p["member_grid_share"], 1,
        f"{_HUICHANG}, members placed in the grid branch where they live; knob member_grid_share")
    row("service posts claimed per reporting member", "posts_per_member", p["posts_per_member"], 0.05,
        f"{_HUICHANG}, at least one post each; knob posts_per_member")
    row("units with party members whose members report (%)", "units_reporting", 100 * p["reporting_unit_share"],
        1, "knob reporting_unit_share")
    row("first secretaries (第一书记)", "first_secretaries", round(p["first_secretary_share"] * nc), 0,
        "knob first_secretary_share")
    row("cadres sent down (下沉干部)", "cadres", round(p["cadres_per_community"] * nc), 0,
        "knob cadres_per_community")
    row("whistle-and-report cases (吹哨报到)", "cases", round(p["cases_per_community"] * p["case_years"] * nc), 0,
        f"{_HUICHANG}, 860 cases in a year and a half for 66 grids, scaled by communities (8.7 a year each)"
        if abs(p["cases_per_community"] - 8.7) < 1e-9 else "knob cases_per_community")
    row("cases closed (%)", "closure", 100 * p["case_closure"], 1, "knob case_closure")
    row("satisfied among closed cases with an answer (%)", "satisfaction", 100 * p["case_satisfaction"], 1,
        f"{_HUICHANG}, 98% satisfied with whistle-and-report" if p["case_satisfaction"] == 0.98
        else "knob case_satisfaction")
    row("median days from raised to closed", "median_days", p["case_days_median"], 1, "knob case_days_median")
    dep = p["case_routing"]["department"] / sum(p["case_routing"].values())
    row("cases routed to departments (%)", "department_cases", 100 * dep, 1, "knob case_routing (部门报到)")


@validate_params(net=Network(), preset=[Options(*PRESETS), None])
def calibration(net, preset: str | None = None, **overrides) -> pd.DataFrame:
    """Targets, source figures and achieved values of a synthetic city.

    Parameters
    ----------
    net : OrgNetwork
        A network from :func:`synthetic_city` (its ``synthetic`` attribute
        names the preset and parameters), or any network when ``preset`` is
        given.
    preset : str, optional
        The preset whose targets to compare with (default: the one that made
        ``net``).
    **overrides
        Parameter overrides the network was generated with (when ``preset``
        is given).

    Returns
    -------
    DataFrame
        Indexed by ``figure``; columns ``target``, ``tolerance`` (0 for exact
        counts; rates are in percent), ``achieved``, ``ok`` and ``source``
        (the glossary figure, or the knob, behind the target). Rows whose
        target is NaN are reported without a target (e.g. the spread of
        coverage between streets).

    Raises
    ------
    OrgnetParameterError
        ``preset`` missing for a network not made by :func:`synthetic_city`,
        or an unknown preset or override.

    Notes
    -----
    The definitions are those the analyses use: a tie is active at ``as_of``
    when it has started and not ended; a unit is organisationally covered
    (and has its own organisation) as :func:`orgnet.coverage.unit_coverage`
    says: an organisation with scope ``unit`` names it, or an active
    ``covers`` tie reaches it from a joint, industry or sector organisation;
    emerging-sector organisations are the organisations with scope
    ``sector`` plus the unit organisations of units with a sector; a
    co-building unit is the source of an active ``co_building`` tie to a
    street or community organisation; an agreement is dormant when no
    ``activity`` tie between the same pair is dated within 365 days before
    ``as_of`` and no event of that window had both ends taking part (the
    ``dormant`` flag of :func:`orgnet.linkage.tie_strength`);
    a resident is served when their compound's centroid lies
    within a station's own radius (default 1000 m, haversine:
    :func:`orgnet.algorithms.covering.served`); the two-way share is that of
    :func:`orgnet.sharing.realised` at the community level, pooled over
    communities (pairs with done projects in both directions / all
    (community, partner) pairs of done projects). With meetings (the default
    of every preset), three rows more: meetings per convener and month
    (meetings / (conveners × months from the first to the last)), the members
    not chairing who attended (attendance rows but the chair's / the members'
    seats but the chair's, every active ``joint_conference`` member counted)
    and, without a target, the members who chaired within 365 days (Σ
    ``chaired`` / Σ ``members`` of :func:`orgnet.linkage.rotation`).
    O(areas + units + ties + attendance).

    Examples
    --------
    >>> import orgnet
    >>> cal = orgnet.datasets.calibration(orgnet.datasets.synthetic_city("district"))
    >>> cal.loc["communities", ["target", "achieved"]].tolist()
    [70.0, 70.0]
    >>> round(float(cal.loc["(community, partner) pairs with projects in both directions (%)", "achieved"]), 2)
    14.56
    >>> bool(cal["ok"].all()), round(float(cal.loc["members (not chairing) attending a meeting (%)", "achieved"]), 2)
    (True, 84.98)
    """
    info = getattr(net, "synthetic", None)
    if preset is None:
        if info is None:
            raise OrgnetParameterError(
                "The 'preset' parameter of calibration is needed for a network not made by "
                f"synthetic_city; pass one of {', '.join(repr(p) for p in PRESETS)}."
            )
        p, preset = info["params"], info["preset"]
    else:
        p = resolve(preset, overrides)
    f = facts(net)
    row = _Rows(f)
    _count_rows(row, p, preset)
    _coverage_rows(row, p, preset)
    _conference_rows(row, p, preset, f)
    _list_and_place_rows(row, p, preset, f)
    if p["activity"] and "members_reporting" in f and "cases" in f:
        _activity_rows(row, p, f)
    if p["activity"] and p["meetings"] and "meetings_per_month" in f:
        row("joint-conference meetings per convener and month", "meetings_per_month",
            1 - p["meeting_skip_share"], 0.01, "issue 12: joint conferences meet monthly (轮值主席); "
            "knob meeting_skip_share")
        row("members (not chairing) attending a meeting (%)", "attendance", 100 * p["attendance_share"], 1,
            "knob attendance_share")
        row("members who chaired a meeting within 365 days (轮值主席) (%)", "chaired", None, 0,
            "issue 12: the chair rotates monthly through the members (orgnet.linkage.rotation); no target: "
            "members of larger conferences wait their turn, members of dormant agreements never chair")
    if p.get("red_property"):
        row.f.update(_red_property(net))
        _red_property_rows(row, p)
    df = pd.DataFrame(row.rows, columns=["figure", "target", "tolerance", "achieved", "source"]).set_index("figure")
    df["ok"] = df["target"].isna() | ((df["achieved"] - df["target"]).abs() <= df["tolerance"] + 1e-9)
    return df[["target", "tolerance", "achieved", "ok", "source"]]
