"""Synthetic cities: every table of the data format, calibrated on the seeds' figures.

:func:`synthetic_city` builds a whole city (or district) — areas down to
compounds and buildings, Party organisations of every form and scope, units of
every type and emerging sector, service stations, ties of every kind, and the
three lists of demands, resources and projects — as a validated
:class:`~orgnet.OrgNetwork`. Three presets are calibrated on the reference
figures of the glossary (``lanzhou``, ``district``) or sized for scale tests
(``large``); :func:`calibration` compares a generated network with its
preset's targets.

Everything is vectorised (numpy/pandas): the ``large`` preset (3,000
communities, 300,000 units, ~10^6 ties) generates in about 15 seconds,
most of it the validation of its tables.

Examples
--------
>>> import orgnet
>>> net = orgnet.datasets.synthetic_city("district", seed=0)
>>> int((net.areas["level"] == "community").sum())
70
>>> cal = orgnet.datasets.calibration(net)
>>> bool(cal["ok"].all())
True
"""

from __future__ import annotations

import math
import sys
import time
from functools import reduce
from typing import Any

import numpy as np
import pandas as pd

from ..errors import OrgnetParameterError

__all__ = ["synthetic_city", "calibration", "PRESETS", "PARAMETERS", "AS_OF"]

#: reference date of every preset (passed to OrgNetwork as ``as_of``)
AS_OF = pd.Timestamp("2025-06-30")

UNIT_TYPES = ("agency", "state_enterprise", "public_institution", "private_enterprise",
              "social_organisation", "property_company", "owners_committee", "other")
SECTORS = ("business_building", "park", "market", "internet")
_T = {t: i for i, t in enumerate(UNIT_TYPES)}
_CATEGORIES = ("venue", "volunteers", "funding", "training", "medical", "legal",
               "elderly_care", "employment", "culture_sports", "education", "other")
_CATEGORY_ZH = ("场地", "志愿服务", "资金", "培训", "医疗", "法律", "养老", "就业", "文体", "教育", "综合")

# ----------------------------------------------------------------- parameters

#: every knob of the generator: name -> (kind, documentation). ``kind`` is
#: checked by one helper; see :func:`_check_params`.
PARAMETERS: dict[str, tuple[str, str]] = {
    # naming and geography
    "name": ("text", "display name of the city (network name)"),
    "city_name": ("text", "short city name used in unit and organisation names"),
    "root": ("choice:city|district", "top area level: a whole city, or a single district"),
    "layout": ("choice:valley|radial", "street layout: along a river valley (centreline) or radial around centre"),
    "centre": ("lonlat", "(lon, lat) of the city (radial layout) centre"),
    "centreline": ("lonlats", "valley layout: polyline (lon, lat) points along the valley, west to east"),
    "valley_half_width_km": ("number>0", "valley layout: half width of the built-up valley"),
    "radius_km": ("number>0", "radial layout: radius of the built-up area"),
    "street_size_sigma": ("number>=0", "log-sd of street sizes"),
    "suburban_scale": ("number>=1", "size factor of the outermost streets (valley ends / outer ring): "
                                    "larger, sparser suburbs leave residents beyond the station radius"),
    # area counts
    "districts": ("int>=1", "number of districts (root='district': must be 1)"),
    "district_names": ("names", "district names, in layout order (west to east for a valley); generated if empty"),
    "district_weights": ("weights", "relative number of streets per district (empty: random)"),
    "streets": ("int>=1", "number of streets (街道), exact"),
    "communities": ("int>=1", "number of communities (社区), exact"),
    "grids": ("int>=1", "number of grids (网格), exact"),
    "compounds_per_grid": ("number>=1", "mean compounds (小区) per grid (1 + Poisson)"),
    "building_share": ("share", "share of compounds whose buildings (楼栋) are listed, with coordinates"),
    "households_median": ("number>0", "median households per compound (log-normal)"),
    "households_sigma": ("number>=0", "log-sd of households per compound (heavy tail)"),
    "persons_per_household": ("number>0", "mean residents per household"),
    "three_no": ("count", "three-no compounds (三无小区) before any campaign, exact; None: three_no_share"),
    "three_no_share": ("share", "share of compounds that are three-no when three_no is None"),
    "campaign": ("bool", "the same city after a three-no campaign (flags of remediated compounds set)"),
    "campaign_remaining": ("count", "three-no compounds left after the campaign; None: campaign_success"),
    "campaign_success": ("share", "share of three-no compounds remediated when campaign_remaining is None"),
    # units
    "units": ("int>=1", "number of units (单位), exact"),
    "unit_mix": ("type_shares", "share of units per type (normalised)"),
    "sector_units": ("sector_counts", "units per emerging sector, exact (drawn from private enterprises "
                                      "and, except internet, some social organisations)"),
    "sector_social_share": ("share", "share of business-building/park/market units that are social organisations"),
    "business_buildings": ("int>=0", "business buildings (商务楼宇), listed as building areas"),
    "parks": ("int>=0", "parks (园区)"),
    "markets": ("int>=0", "markets and business districts (商圈市场)"),
    "employees_median": ("type_numbers", "median staff per unit type (log-normal)"),
    "employees_sigma": ("type_numbers", "log-sd of staff per unit type (heavy tail)"),
    "member_rate": ("type_numbers", "mean share of staff who are formal party members, per type"),
    "unit_coords_share": ("share", "share of units (outside business buildings) given their own lon/lat"),
    # coverage
    "org_coverage": ("type_shares", "organisational coverage rate (own + joint) per unit type, exact by quota"),
    "own_rate": ("type_shares", "share of units of each type with their own organisation (establishment rate)"),
    "size_rule": ("bool", "cover every enterprise >= size_rule_enterprise staff and social organisation "
                          ">= size_rule_social staff (Liaoning rule)"),
    "size_rule_enterprise": ("int>=0", "staff threshold of the size rule for private enterprises"),
    "size_rule_social": ("int>=0", "staff threshold of the size rule for social organisations"),
    "street_effect": ("number>=0", "sd of the per-street propensity to cover units: coverage varies by street"),
    "sector_org_share": ("share", "share of clusters (buildings, parks, markets) with a sector organisation"),
    "emerging_orgs": ("count", "emerging-sector organisations (sector scope + own organisations of sector "
                               "units), exact; None: from own_rate"),
    "work_coverage": ("share", "share of units without organisational coverage reached by party work"),
    "instructors": ("count", "active instructor ties (党建指导员 sent), exact; None: instructor_share"),
    "instructor_share": ("share", "share of work-covered units reached by an instructor (rest: backstop)"),
    "ended_instructor_share": ("share", "ended instructor ties, as a share of active ones"),
    "grid_orgs": ("count", "grids with a territorial branch or group, exact; None: grid_org_share"),
    "grid_org_share": ("share", "share of grids with a territorial organisation when grid_orgs is None"),
    "building_group_share": ("share", "share of listed residential buildings with a party group"),
    "weak_share": ("share", "share of community, grid, unit and joint organisations flagged weak (软弱涣散)"),
    "joint_chunk": ("number>0", "mean units per community joint branch (联合党支部)"),
    # ties
    "co_building_units": ("count", "units holding an active co-building agreement, exact; None: co_building_share"),
    "co_building_share": ("share", "share of units holding an agreement when co_building_units is None"),
    "co_building_street_share": ("share", "share of agreements signed with the street (else the community)"),
    "co_building_multi_share": ("share", "share of agreement holders that sign a second agreement"),
    "lapsed_share": ("share", "units whose only agreement ended, as a share of co_building_units"),
    "dormant_share": ("share", "share of active agreements with no activity in the last 365 days (签而不联)"),
    "activity_years": ("int>=0", "years of past yearly activity records kept per agreement"),
    "part_time_share": ("share", "share of agreement holders seated as part-time members of the big committee"),
    "dual_report_share": ("share", "share of agency/state/institution organisations that dual-report"),
    "dual_report_spread": ("number>=0", "mean extra communities an organisation's in-service members report to"),
    "pairings_per_community": ("number>=0", "pairing ties (结对共建) per community"),
    "whistle_per_community": ("number>=0", "mean departments each community has whistled (吹哨报到)"),
    "jc_city": ("count", "units in the city joint conference; None: 0"),
    "jc_district": ("count", "distinct units in district joint conferences; None: 30 per district"),
    "jc_street": ("count", "distinct units in street joint conferences; None: 8 per street"),
    "jc_community": ("count", "distinct units in community joint conferences; None: 2 per community"),
    # stations and lists
    "station_share": ("share", "share of communities with a service station"),
    "posts": ("int>=0", "red posts (红色驿站, radius 500 m) in markets, parks and busy grids"),
    "demands_per_community": ("number>=0", "mean demands listed per community (heavy-tailed)"),
    "resources_per_unit": ("number>=0", "mean resources listed per agreement holder"),
    "projects": ("count", "projects (realised sharing), exact; None: projects_per_community"),
    "projects_per_community": ("number>=0", "projects per community when projects is None"),
    "two_way_share": ("share", "share of (community, partner) pairs of done projects with a project in "
                               "each direction (双向认领: the partner also claims a community project)"),
}

_LANZHOU: dict[str, Any] = dict(
    name="兰州市 (synthetic)", city_name="兰州", root="city", layout="valley",
    centre=(103.83, 36.06),
    centreline=((103.600, 36.090), (103.660, 36.100), (103.720, 36.098), (103.770, 36.075),
                (103.820, 36.060), (103.870, 36.052), (103.930, 36.055), (103.990, 36.070)),
    valley_half_width_km=2.6, radius_km=18.0, street_size_sigma=0.45, suburban_scale=7.0,
    districts=4, district_names=("西固区", "安宁区", "七里河区", "城关区"), district_weights=(10, 9, 12, 22),
    streets=53, communities=427, grids=1768,
    compounds_per_grid=5.0, building_share=0.05, households_median=170, households_sigma=0.8,
    persons_per_household=2.6,
    three_no=526, three_no_share=0.06, campaign=False, campaign_remaining=66, campaign_success=0.875,
    units=20000,
    unit_mix=dict(agency=0.05, state_enterprise=0.025, public_institution=0.08, private_enterprise=0.60,
                  social_organisation=0.08, property_company=0.045, owners_committee=0.07, other=0.05),
    sector_units=dict(business_building=1500, park=900, market=900, internet=250),
    sector_social_share=0.08, business_buildings=180, parks=25, markets=120,
    employees_median=dict(agency=40, state_enterprise=150, public_institution=60, private_enterprise=10,
                          social_organisation=8, property_company=30, owners_committee=5, other=5),
    employees_sigma=dict(agency=0.8, state_enterprise=1.2, public_institution=1.0, private_enterprise=1.3,
                         social_organisation=0.9, property_company=0.8, owners_committee=0.3, other=0.8),
    member_rate=dict(agency=0.55, state_enterprise=0.22, public_institution=0.30, private_enterprise=0.05,
                     social_organisation=0.07, property_company=0.08, owners_committee=0.30, other=0.05),
    unit_coords_share=0.9,
    org_coverage=dict(agency=1.0, state_enterprise=1.0, public_institution=0.97, private_enterprise=0.8818,
                      social_organisation=0.9033, property_company=0.72, owners_committee=0.45, other=0.5),
    own_rate=dict(agency=0.97, state_enterprise=0.95, public_institution=0.80, private_enterprise=0.22,
                  social_organisation=0.25, property_company=0.25, owners_committee=0.08, other=0.05),
    size_rule=True, size_rule_enterprise=100, size_rule_social=30, street_effect=0.6,
    sector_org_share=0.85, emerging_orgs=895,
    work_coverage=0.65, instructors=2714, instructor_share=0.8, ended_instructor_share=0.1,
    grid_orgs=1602, grid_org_share=0.9, building_group_share=0.8, weak_share=0.04, joint_chunk=8.0,
    co_building_units=3297, co_building_share=0.16, co_building_street_share=0.25,
    co_building_multi_share=0.15, lapsed_share=0.08, dormant_share=0.25, activity_years=4,
    part_time_share=0.3, dual_report_share=0.9, dual_report_spread=2.0, pairings_per_community=0.8,
    whistle_per_community=4.0,
    jc_city=22, jc_district=120, jc_street=424, jc_community=854,
    station_share=35 / 45, posts=150, demands_per_community=4.5, resources_per_unit=0.8,
    projects=1200, projects_per_community=2.8, two_way_share=0.15,
)

_DISTRICT = dict(
    _LANZHOU,
    name="甲区 (synthetic district A)", city_name="甲区", root="district", layout="radial",
    centre=(123.43, 41.80), radius_km=7.0, street_size_sigma=0.2, suburban_scale=1.5,
    districts=1, district_names=("甲区",), district_weights=(),
    streets=9, communities=70, grids=420, three_no=None, three_no_share=0.06,
    campaign_remaining=None, units=3000,
    sector_units=dict(business_building=150, park=80, market=90, internet=20),
    business_buildings=15, parks=3, markets=10,
    # Liaoning: private enterprise / social organisation establishment rate 45.4% / 45.1%
    own_rate=dict(_LANZHOU["own_rate"], private_enterprise=0.454, social_organisation=0.451),
    org_coverage=dict(_LANZHOU["org_coverage"], private_enterprise=0.85, social_organisation=0.85),
    emerging_orgs=None, instructors=None, grid_orgs=None,
    co_building_units=196, part_time_share=1.0,
    jc_city=None, jc_district=40, jc_street=86, jc_community=155,
    posts=15, projects=146,
)

_LARGE = dict(
    _LANZHOU,
    name="特大城市 (synthetic large city)", city_name="江城", root="city", layout="radial",
    centre=(114.30, 30.59), radius_km=40.0, street_size_sigma=0.45, suburban_scale=3.0,
    districts=16, district_names=(), district_weights=(),
    streets=300, communities=3000, grids=30000, compounds_per_grid=4.0,
    three_no=None, campaign_remaining=None, units=300000,
    sector_units=dict(business_building=24000, park=14000, market=13000, internet=5000),
    business_buildings=2500, parks=300, markets=1500,
    emerging_orgs=None, instructors=None, grid_orgs=None, co_building_units=None, co_building_share=0.22,
    activity_years=8, dual_report_spread=5.0, pairings_per_community=3.0,
    jc_city=30, jc_district=None, jc_street=None, jc_community=None,
    posts=2000, projects=None,
)

#: the presets: name -> every parameter (see :data:`PARAMETERS`)
PRESETS: dict[str, dict[str, Any]] = {"lanzhou": _LANZHOU, "district": _DISTRICT, "large": _LARGE}

#: what each preset is calibrated on (documentation; the numbers are in calibration())
PRESET_NOTES = {
    "lanzhou": "Lanzhou (seed 002): 53 streets, 427 communities, 1,768 grids, 1,602 grid organisations, "
               "3,297 co-building units, 895 emerging-sector organisations, 2,714 instructors, coverage of "
               "private enterprises 88.18% and social organisations 90.33%, 22 city joint-conference members; "
               "Weinan (seed 001): 526 three-no compounds before a campaign, 66 after.",
    "district": "District A of Liaoning (seed 000): 9 streets, 70 communities; 40 / 86 / 155 units in the "
                "district / street / community joint conferences; 196 co-building units absorbed into big "
                "committees; 146 projects; Liaoning establishment rates 45.4% / 45.1% and the size rule.",
    "large": "A city of the largest Chinese scale for scale tests: about 3,000 communities, 30,000 grids, "
             "300,000 units and 10^6 ties.",
}


def _param_error(name, what, value):
    return OrgnetParameterError(
        f"The {name!r} parameter of synthetic_city must be {what}. Got {value!r} instead."
    )


def _check_params(params: dict) -> None:
    """Check every parameter against its declared kind (one standard message)."""
    for name, value in params.items():
        kind = PARAMETERS[name][0]
        num = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
        if kind == "text":
            ok, what = isinstance(value, str) and value.strip() != "", "a non-empty text"
        elif kind.startswith("choice:"):
            opts = kind.split(":", 1)[1].split("|")
            ok, what = value in opts, "one of " + ", ".join(repr(o) for o in opts)
        elif kind == "bool":
            ok, what = isinstance(value, (bool, np.bool_)), "True or False"
        elif kind == "int>=0":
            ok, what = num and float(value).is_integer() and value >= 0, "an integer >= 0"
        elif kind == "int>=1":
            ok, what = num and float(value).is_integer() and value >= 1, "an integer >= 1"
        elif kind == "count":
            ok = value is None or (num and float(value).is_integer() and value >= 0)
            what = "an integer >= 0 or None"
        elif kind == "number>0":
            ok, what = num and math.isfinite(value) and value > 0, "a number > 0"
        elif kind == "number>=0":
            ok, what = num and math.isfinite(value) and value >= 0, "a number >= 0"
        elif kind == "number>=1":
            ok, what = num and math.isfinite(value) and value >= 1, "a number >= 1"
        elif kind == "share":
            ok, what = num and 0 <= value <= 1, "a number in [0, 1]"
        elif kind == "lonlat":
            ok = (isinstance(value, (tuple, list)) and len(value) == 2
                  and -180 <= value[0] <= 180 and -90 <= value[1] <= 90)
            what = "a (lon, lat) pair"
        elif kind == "lonlats":
            ok = (isinstance(value, (tuple, list)) and len(value) >= 2
                  and all(isinstance(p, (tuple, list)) and len(p) == 2 for p in value))
            what = "a sequence of at least two (lon, lat) points"
        elif kind == "names":
            ok = isinstance(value, (tuple, list)) and all(isinstance(v, str) and v for v in value)
            what = "a tuple of names"
        elif kind == "weights":
            ok = isinstance(value, (tuple, list)) and all(
                isinstance(v, (int, float)) and v > 0 for v in value)
            what = "a tuple of positive numbers"
        elif kind in ("type_shares", "type_numbers"):
            ok = (isinstance(value, dict) and set(value) == set(UNIT_TYPES)
                  and all(isinstance(v, (int, float)) and v >= 0 for v in value.values())
                  and (kind == "type_numbers" or all(v <= 1 for v in value.values())))
            what = (f"a dict with a {'share in [0, 1]' if kind == 'type_shares' else 'number >= 0'} "
                    f"for every unit type ({', '.join(UNIT_TYPES)})")
        elif kind == "sector_counts":
            ok = (isinstance(value, dict) and set(value) == set(SECTORS)
                  and all(isinstance(v, int) and v >= 0 for v in value.values()))
            what = f"a dict with an integer >= 0 for every sector ({', '.join(SECTORS)})"
        else:  # pragma: no cover
            raise AssertionError(kind)
        if not ok:
            raise _param_error(name, what, value)


def _resolve(preset: str, overrides: dict) -> dict:
    if preset not in PRESETS:
        raise OrgnetParameterError(
            f"The 'preset' parameter of synthetic_city must be one of "
            f"{', '.join(repr(p) for p in PRESETS)}. Got {preset!r} instead."
        )
    unknown = [k for k in overrides if k not in PARAMETERS]
    if unknown:
        raise OrgnetParameterError(
            f"synthetic_city got unknown override{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(repr(u) for u in unknown)}. Known overrides: {', '.join(sorted(PARAMETERS))}."
        )
    params = dict(PRESETS[preset])
    params.update(overrides)
    _check_params(params)
    for k in ("districts", "streets", "communities", "grids", "units", "business_buildings", "parks",
              "markets", "posts", "size_rule_enterprise", "size_rule_social", "activity_years"):
        params[k] = int(params[k])
    if params["root"] == "district" and params["districts"] != 1:
        raise _param_error("districts", "1 when root='district'", params["districts"])
    if not params["streets"] >= params["districts"]:
        raise _param_error("streets", f"at least districts={params['districts']}", params["streets"])
    if not params["communities"] >= params["streets"]:
        raise _param_error("communities", f"at least streets={params['streets']}", params["communities"])
    if not params["grids"] >= params["communities"]:
        raise _param_error("grids", f"at least communities={params['communities']}", params["grids"])
    return params


def _need(cond, name, what, value, hint=""):
    if not cond:
        raise OrgnetParameterError(
            f"The {name!r} parameter of synthetic_city must be {what}. Got {value!r} instead."
            + (f" {hint}" if hint else "")
        )


# ----------------------------------------------------------------- helpers

_GOLDEN = math.pi * (3 - math.sqrt(5))
_KM_LAT = 110.574


def _km_lon(lat):
    return 111.320 * np.cos(np.radians(lat))


def _allocate(total: int, weights, minimum: int = 0) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder), each >= minimum."""
    w = np.asarray(weights, dtype=float)
    n = len(w)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    rest = total - minimum * n
    if rest < 0:
        raise ValueError("total below minimum")
    share = w / w.sum() * rest if w.sum() > 0 else np.full(n, rest / n)
    base = np.floor(share).astype(np.int64)
    left = rest - int(base.sum())
    if left:
        order = np.argsort(-(share - base), kind="stable")
        base[order[:left]] += 1
    return base + minimum


def _top_k(score: np.ndarray, k: int) -> np.ndarray:
    """Boolean mask of the k highest scores."""
    n = len(score)
    k = int(max(0, min(k, n)))
    mask = np.zeros(n, dtype=bool)
    if k == 0:
        return mask
    if k == n:
        mask[:] = True
        return mask
    idx = np.argpartition(-score, k - 1)[:k]
    mask[idx] = True
    return mask


def _rank_within(groups: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Rank (0 = highest score) of each element within its group."""
    n = len(groups)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((-score, groups))
    g = groups[order]
    start = np.r_[0, np.flatnonzero(np.diff(g)) + 1]
    counts = np.diff(np.r_[start, n])
    rank_sorted = np.arange(n) - np.repeat(start, counts)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = rank_sorted
    return rank


def _blocks(counts: np.ndarray):
    """(parent index per child, start of each block) for contiguous child blocks."""
    counts = np.asarray(counts, dtype=np.int64)
    parent = np.repeat(np.arange(len(counts)), counts)
    start = np.cumsum(counts) - counts
    return parent, start


def _pick_in_block(start, count, which, rng):
    """A random member index of block ``which`` (each block given by start/count)."""
    c = count[which]
    return start[which] + np.minimum((rng.random(len(which)) * c).astype(np.int64), np.maximum(c - 1, 0))


def _ids(prefix: str, n: int) -> np.ndarray:
    width = max(len(str(n)), 2)
    return np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), width)).astype(object)


def _cat(*parts) -> np.ndarray:
    """Element-wise string concatenation of arrays and scalars."""
    arrs = [np.asarray(p, dtype=str) if not isinstance(p, str) else p for p in parts]
    return reduce(np.char.add, arrs).astype(object)


def _words(pool: str) -> np.ndarray:
    return np.array(pool.split())


def _days_before(rng, n, lo, hi):
    """Integer day offsets in [lo, hi] before AS_OF."""
    return rng.integers(int(lo), int(hi) + 1, size=n)


_AS_OF64 = np.datetime64(AS_OF.date(), "D")


def _date(days_before) -> np.ndarray:
    d = np.asarray(days_before, dtype=np.int64)
    return (_AS_OF64 - d.astype("timedelta64[D]")).astype("datetime64[ns]")


def _place(parent, plon, plat, prad, rng, size_factor=None):
    """Children placed on a jittered sunflower inside each parent's disc (km radii)."""
    n = len(parent)
    counts = np.bincount(parent, minlength=len(plon))
    start = np.cumsum(counts) - counts
    j = np.arange(n) - start[parent]
    m = counts[parent]
    rot = rng.uniform(0, 2 * np.pi, len(plon))[parent]
    r = prad[parent] * np.sqrt((j + 0.5) / m) * rng.uniform(0.8, 1.1, n)
    theta = rot + j * _GOLDEN + rng.normal(0, 0.2, n)
    lat = plat[parent] + r * np.sin(theta) / _KM_LAT
    lon = plon[parent] + r * np.cos(theta) / _km_lon(plat[parent])
    crad = prad[parent] / np.sqrt(m) * 0.9
    if size_factor is not None:
        crad = crad * size_factor
    return lon, lat, crad


def _jitter(lon, lat, km, rng):
    n = len(lon)
    r = np.abs(rng.normal(0, km, n))
    t = rng.uniform(0, 2 * np.pi, n)
    return lon + r * np.cos(t) / _km_lon(lat), lat + r * np.sin(t) / _KM_LAT


def _haversine_m(lon1, lat1, lon2, lat2):
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371008.8 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


class _Progress:
    def __init__(self, on: bool, label: str):
        self.on = on
        self.label = label
        self.t0 = self.t = time.perf_counter()

    def __call__(self, what: str):
        if self.on:
            now = time.perf_counter()
            print(f"[synth {self.label}] {what} ({now - self.t:.1f} s, total {now - self.t0:.1f} s)",
                  file=sys.stderr, flush=True)
            self.t = now


# ----------------------------------------------------------------- word lists

_PLACE = _words(
    "东岗 雁滩 五泉 白银 临夏 酒泉 皋兰 靖远 广武 拱星 草场 盐场 伏龙 渭源 华林 团结 秀川 青白 龚家 焦家 "
    "铁路 嘉峪 敦煌 西园 西湖 建兰 土门 西站 晏家 八里 彭家 陈官 福利 先锋 临洮 西柳 四季 银滩 刘家 培黎 "
    "沙井 十里 孔家 和平 光明 幸福 胜利 建设 友谊 新华 人民 解放 文化 青年 东风 红星 朝阳 长安 永安 金城 "
    "黄河 滨河 阳光 丽水 锦绣 春晖 秋实 明德 振华 兴隆 安康 福康 和谐 润泽 嘉园 民主 北辰 南山 西城 东湖 "
    "枫林 桃园 杏林 柳湾 松柏 梅园 兰亭 翠屏 碧水 金港 银河 宝塔 天河 星火 曙光 育才 科苑 文苑 华庭 滨江"
)
_COMPOUND_SUFFIX = _words("小区 花园 家园 苑 新村 公寓 大院 家属院 雅居 名苑")
_BRAND = _words(
    "华信 金城 黄河 陇原 丝路 恒达 鑫源 瑞丰 天成 宏远 众和 博远 新安 盛世 通达 嘉禾 万通 佳美 锦程 德润 "
    "中瑞 汇通 东方 祥和 利民 天诚 金鼎 明远 正大 永盛 华瑞 泰和 宇航 博雅 创新 益民 康泰 宏图 兴业 鼎盛 "
    "聚源 长城 远航 智达 同心 昌隆 伟业 福瑞 星辰 凯旋"
)
_INDUSTRY = _words(
    "科技 商贸 建筑工程 餐饮管理 物流 信息技术 文化传媒 医药 电子商务 装饰工程 广告 汽车服务 农业科技 "
    "环保科技 教育咨询 软件 家政服务 旅游 服饰 食品 机械 建材 印务 网络科技 酒店管理"
)
_CO_SUFFIX = _words("有限公司 有限责任公司 股份有限公司")
_SO_THEME = _words("阳光 爱心 夕阳红 青年 巾帼 邻里 书香 健康 平安 七彩 同心 向阳 暖心 益家 和美")
_SO_KIND = _words("志愿者协会 养老服务中心 社会工作服务中心 文体协会 调解协会 商会 慈善会 助残服务社 "
                  "青少年服务中心 书画协会 行业协会 公益服务中心")
_AGENCY = _words(
    "税务局 市场监督管理局 公安分局 人力资源和社会保障局 民政局 住房和城乡建设局 卫生健康局 教育局 "
    "城市管理局 司法局 生态环境局 应急管理局 退役军人事务局 医疗保障局 财政局 审计局 统计局 文化和旅游局 "
    "自然资源局 交通运输局 水务局 商务局"
)
_SOE = _words("供电公司 燃气集团有限公司 自来水公司 公交集团有限公司 城市建设投资集团有限公司 银行支行 "
              "邮政分公司 移动分公司 电信分公司 热力公司 铁路工务段 石化分公司 烟草专卖局 建设集团有限公司")
_PI = _words("人民医院 第一中学 第二中学 实验小学 中心幼儿园 疾病预防控制中心 社区卫生服务中心 职业技术学院 "
             "图书馆 文化馆 妇幼保健院 中医医院 科技馆 档案馆 体育中心")
_OTHER = _words("个体工商户联合会 农贸市场管理处 民办培训学校 诊所 宗教活动场所管理处 合作社 工作室")
_BUILDING_SUFFIX = _words("大厦 国际中心 商务楼 金融中心 写字楼 广场 财富中心")
_PARK_SUFFIX = _words("产业园 科技园 创业园 物流园 工业园 电商产业园")
_MARKET_SUFFIX = _words("市场 商城 步行街商圈 批发市场 农贸市场 商业街")
_NUM_ZH = np.array(["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
                    "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十"])


def _pick(rng, pool, n):
    return pool[rng.integers(0, len(pool), n)]


def _ordinal(k):
    """Chinese ordinal text for 1-based integers (up to 20, then digits)."""
    k = np.asarray(k)
    out = np.where(k <= 20, _NUM_ZH[np.clip(k - 1, 0, 19)], k.astype(str))
    return out


# ----------------------------------------------------------------- the generator


def synthetic_city(preset: str = "lanzhou", *, seed: int = 0, progress: bool = False, **overrides):
    """A synthetic city (or district) with every table of the data format.

    Parameters
    ----------
    preset : {"lanzhou", "district", "large"}, default "lanzhou"
        ``lanzhou``: 53 streets, 427 communities, 1,768 grids, calibrated on
        the Lanzhou and Weinan figures; ``district``: one district shaped like
        district A of Liaoning (9 streets, 70 communities); ``large``: a city
        of the largest Chinese scale (3,000 communities, 300,000 units, ~10^6
        ties) for scale tests. See :data:`PRESETS` and docs/synthetic.md.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``. The same preset, seed and
        overrides give identical tables; another seed gives another city
        with the same calibration.
    progress : bool, default False
        Print stage progress to stderr.
    **overrides
        Any parameter of :data:`PARAMETERS` (e.g. ``units=5000``,
        ``campaign=True``, ``dormant_share=0.4``).

    Returns
    -------
    OrgNetwork
        Validated like a dataset read from files; ``as_of`` is 2025-06-30.
        The generating parameters are in its ``synthetic`` attribute (a dict
        with ``preset``, ``seed`` and ``params``), which :func:`calibration`
        reads.

    Raises
    ------
    OrgnetParameterError
        An unknown preset or override name (the message lists the known
        ones), a value of the wrong kind, or counts that cannot be met
        together (e.g. more grid organisations than grids).

    See Also
    --------
    calibration : targets, source figures and achieved values.
    orgnet.write_dataset : write the city as CSV files or a workbook.

    Notes
    -----
    Every random stage draws from its own stream spawned from ``seed``, so
    an override that changes one stage leaves the others unchanged; in
    particular ``campaign=True`` gives the same city with only the
    remediated compounds' flags changed. Work is O(areas + units + ties),
    vectorised.

    Examples
    --------
    >>> import orgnet
    >>> net = orgnet.datasets.synthetic_city("district", seed=1)
    >>> int((net.areas["level"] == "street").sum()), len(net.projects)
    (9, 146)
    >>> after = orgnet.datasets.synthetic_city("district", seed=1, campaign=True)
    >>> after.units.equals(net.units)
    True
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise _param_error("seed", "an integer >= 0", seed)
    p = _resolve(preset, overrides)
    prog = _Progress(progress, preset)
    streams = np.random.SeedSequence(int(seed)).spawn(12)
    rngs = [np.random.default_rng(s) for s in streams]
    g = _Gen(p, rngs, prog)
    tables = g.run()
    from ..network import OrgNetwork

    net = OrgNetwork(**tables, name=p["name"], as_of=AS_OF)
    net.synthetic = {"preset": preset, "seed": int(seed), "params": p}
    prog(f"validated: {len(net.areas):,} areas, {len(net.organisations):,} organisations, "
         f"{len(net.units):,} units, {len(net.ties):,} ties")
    return net


class _Gen:
    """One generation run; stages fill attributes in order."""

    def __init__(self, p, rngs, prog):
        self.p = p
        self.rngs = rngs
        self.prog = prog
        self.ties: list[pd.DataFrame] = []

    def run(self) -> dict[str, pd.DataFrame]:
        self.areas()
        self.prog(f"areas: {len(self.area_df):,}")
        self.units()
        self.prog(f"units: {self.nu:,}")
        self.coverage()
        self.organisations()
        self.prog(f"organisations: {len(self.org_df):,}")
        self.stations()
        self.make_ties()
        self.prog(f"ties: {sum(len(t) for t in self.ties):,}")
        self.lists()
        self.prog(f"lists: {len(self.dem_df):,} demands, {len(self.res_df):,} resources, "
                  f"{len(self.proj_df):,} projects")
        self.unit_frame()
        ties = pd.concat(self.ties, ignore_index=True)
        ties["count"] = ties["count"].astype("Int64")
        return dict(areas=self.area_df, organisations=self.org_df, units=self.unit_df,
                    stations=self.st_df, ties=ties, demands=self.dem_df, resources=self.res_df,
                    projects=self.proj_df)

    # ------------------------------------------------------------- areas
    def areas(self):
        p, rng = self.p, self.rngs[0]
        nd, ns, nc, ng = p["districts"], p["streets"], p["communities"], p["grids"]
        weights = p["district_weights"]
        if len(weights) != nd:
            weights = rng.dirichlet(np.full(nd, 4.0))
        d_streets = _allocate(ns, weights, 1)
        st_d, _ = _blocks(d_streets)
        c_per_s = _allocate(nc, rng.lognormal(0, 0.35, ns), 1)
        c_s, c_start_s = _blocks(c_per_s)
        g_per_c = _allocate(ng, rng.lognormal(0, 0.3, nc), 1)
        g_c, g_start_c = _blocks(g_per_c)
        self.d_streets, self.st_d = d_streets, st_d
        self.c_per_s, self.c_s, self.c_start_s = c_per_s, c_s, c_start_s
        self.g_per_c, self.g_c, self.g_start_c = g_per_c, g_c, g_start_c
        self.c_d = st_d[c_s]
        self.nd, self.ns, self.nc, self.ng = nd, ns, nc, ng

        # --- positions of districts and streets
        size = np.clip(rng.lognormal(0, p["street_size_sigma"], ns), 0.5, 4.0)
        if p["layout"] == "valley":
            line = np.asarray(p["centreline"], dtype=float)
            lat0 = line[:, 1].mean()
            kx = float(_km_lon(lat0))
            xy = (line - line[0]) * [kx, _KM_LAT]
            seg = np.diff(xy, axis=0)
            seglen = np.hypot(seg[:, 0], seg[:, 1])
            cum = np.r_[0, np.cumsum(seglen)]
            length = cum[-1]
            hw = p["valley_half_width_km"]
            # each district a stretch of the valley proportional to its streets
            d_lo = np.r_[0, np.cumsum(d_streets)[:-1]] / ns
            pos_in_d = (np.arange(ns) - np.r_[0, np.cumsum(d_streets)[:-1]][st_d] + rng.uniform(0.2, 0.8, ns))
            t = d_lo[st_d] + pos_in_d / ns
            s = np.clip(t, 0, 1) * length
            i = np.clip(np.searchsorted(cum, s, side="right") - 1, 0, len(seg) - 1)
            frac = (s - cum[i]) / seglen[i]
            pt = xy[i] + seg[i] * frac[:, None]
            normal = np.stack([-seg[i, 1], seg[i, 0]], axis=1) / seglen[i][:, None]
            off = np.clip(rng.normal(0, hw / 2, ns), -hw, hw)
            pt = pt + normal * off[:, None]
            s_lon = line[0, 0] + pt[:, 0] / kx
            s_lat = line[0, 1] + pt[:, 1] / _KM_LAT
            # the valley ends are suburban: larger, sparser streets
            # the valley ends and the slopes are suburban: larger, sparser streets
            edge = np.maximum(np.abs(2 * t - 1) ** 2, np.abs(off) / hw)
            size = size * (1 + (p["suburban_scale"] - 1) * edge ** 2)
            area = length * 2 * hw
            s_rad = math.sqrt(area / (math.pi * ns)) * size
            d_lon = np.bincount(st_d, s_lon) / d_streets
            d_lat = np.bincount(st_d, s_lat) / d_streets
            d_rad = np.sqrt(d_streets / ns) * math.sqrt(area / math.pi)
            city_lon, city_lat = float(np.mean(s_lon)), float(np.mean(s_lat))
        else:
            clon, clat = p["centre"]
            big = p["radius_km"]
            if nd == 1:
                d_lon, d_lat, d_rad = np.array([clon]), np.array([clat]), np.array([big])
            else:
                d_lon, d_lat, d_rad = _place(np.zeros(nd, dtype=np.int64), np.array([clon]),
                                             np.array([clat]), np.array([big]), rng)
                d_rad = d_rad * 1.15
            s_lon, s_lat, s_rad = _place(st_d, d_lon, d_lat, d_rad, rng)
            # outer streets are suburban: larger, sparser
            dist = np.hypot((s_lon - clon) * _km_lon(clat), (s_lat - clat) * _KM_LAT)
            size = size * (1 + (p["suburban_scale"] - 1) * np.clip(dist / big, 0, 1) ** 2)
            s_rad = s_rad * size
            city_lon, city_lat = float(clon), float(clat)
        c_size = np.clip(rng.lognormal(0, 0.3, nc), 0.5, 2.5)
        c_lon, c_lat, c_rad = _place(c_s, s_lon, s_lat, s_rad, rng, c_size)
        g_lon, g_lat, g_rad = _place(g_c, c_lon, c_lat, c_rad, rng)
        self.s_lon, self.s_lat, self.s_rad = s_lon, s_lat, s_rad
        self.c_lon, self.c_lat, self.c_rad = c_lon, c_lat, c_rad
        self.g_lon, self.g_lat, self.g_rad = g_lon, g_lat, g_rad
        self.d_lon, self.d_lat = d_lon, d_lat
        self.street_size = size

        # --- compounds
        q_per_g = 1 + rng.poisson(p["compounds_per_grid"] - 1, ng)
        q_g, _ = _blocks(q_per_g)
        nq = len(q_g)
        q_lon, q_lat, q_rad = _place(q_g, g_lon, g_lat, g_rad, rng)
        hh = np.maximum(10, rng.lognormal(math.log(p["households_median"]), p["households_sigma"], nq)).astype(np.int64)
        pop = rng.binomial(hh * 4, p["persons_per_household"] / 4).astype(np.int64)
        pop = np.maximum(pop, hh)
        three_no = p["three_no"]
        if three_no is None:
            three_no = int(round(p["three_no_share"] * nq))
        _need(three_no <= nq, "three_no", f"at most the number of compounds ({nq:,})", three_no,
              "Lower three_no or set it to None to use three_no_share.")
        # old, small, peripheral compounds are the likely three-no ones
        score = -0.7 * np.log(hh) + 0.3 * np.log(size[c_s[g_c[q_g]]]) + rng.gumbel(size=nq)
        is3 = _top_k(score, three_no)
        pm = rng.random(nq) < 0.82
        sup = rng.random(nq) < 0.6
        sec = rng.random(nq) < 0.75
        pm[is3], sup[is3], sec[is3] = False, False, False
        none = ~is3 & ~pm & ~sup & ~sec
        pm[none] = True
        self.q_pm_base = pm.copy()  # units are placed on the city before any campaign
        if p["campaign"]:
            crng = self.rngs[11]
            remaining = p["campaign_remaining"]
            if remaining is None:
                remaining = int(round(three_no * (1 - p["campaign_success"])))
            _need(remaining <= three_no, "campaign_remaining", f"at most three_no ({three_no:,})", remaining)
            idx = np.flatnonzero(is3)
            fix = idx[_top_k(crng.random(len(idx)), len(idx) - remaining)]
            f_pm = crng.random(len(fix)) < 0.6
            f_sec = crng.random(len(fix)) < 0.8
            f_sup = crng.random(len(fix)) < 0.7
            f_pm |= ~(f_pm | f_sec | f_sup)
            pm[fix], sec[fix], sup[fix] = f_pm, f_sec, f_sup
        self.q_g, self.q_lon, self.q_lat, self.q_hh, self.q_pop = q_g, q_lon, q_lat, hh, pop
        self.q_pm, self.nq = pm, nq

        # --- residential buildings (some compounds list theirs)
        listed = np.flatnonzero(rng.random(nq) < p["building_share"])
        b_per_q = 2 + rng.poisson(3, len(listed))
        b_q = np.repeat(listed, b_per_q)
        rb_lon, rb_lat, _ = _place(np.repeat(np.arange(len(listed)), b_per_q), q_lon[listed], q_lat[listed],
                                   q_rad[listed] * 0.6, rng)
        share = rng.dirichlet(np.ones(3), len(b_q))[:, 0] if len(b_q) else np.zeros(0)
        b_hh = np.maximum(1, (hh[b_q] * share * 3 / b_per_q.repeat(b_per_q).clip(1) * 1.0).astype(np.int64))
        b_hh = np.minimum(b_hh, hh[b_q])
        b_pop = np.minimum(pop[b_q], (b_hh * p["persons_per_household"]).astype(np.int64))
        self.b_q, self.b_lon, self.b_lat = b_q, rb_lon, rb_lat
        self.b_g = q_g[b_q]

        # --- business buildings (商务楼宇) in central, busy grids: building areas under grids
        nb = p["business_buildings"]
        c_attr = np.clip(rng.lognormal(0, 0.9, nc), 0.05, 30) * (1 / size[c_s]) ** 1.5
        self.c_attr = c_attr
        g_w = c_attr[g_c] ** 2
        bb_g = rng.choice(ng, size=nb, p=g_w / g_w.sum()) if nb else np.zeros(0, dtype=np.int64)
        bb_g = np.sort(bb_g)
        bb_lon, bb_lat = _jitter(g_lon[bb_g], g_lat[bb_g], 0.3, rng)
        self.bb_g, self.bb_lon, self.bb_lat = bb_g, bb_lon, bb_lat

        # --- ids and names
        ids_d = _ids("D", nd)
        ids_s = _ids("S", ns)
        ids_c = _ids("C", nc)
        ids_g = _ids("G", ng)
        ids_q = _ids("Q", nq)
        ids_b = _ids("B", len(b_q) + nb)
        self.ids_d, self.ids_s, self.ids_c, self.ids_g, self.ids_q = ids_d, ids_s, ids_c, ids_g, ids_q
        self.ids_rb = ids_b[: len(b_q)]
        self.ids_bb = ids_b[len(b_q):]
        names_d = np.asarray(p["district_names"], dtype=object)
        if len(names_d) != nd:
            names_d = _cat(_pick(rng, _PLACE, nd), "区")
        # street names unique within the city as far as the word pool allows
        pw = rng.permutation(len(_PLACE))
        s_word = _PLACE[pw[np.arange(ns) % len(_PLACE)]]
        s_suffix = np.where(np.arange(ns) < len(_PLACE), "街道", np.char.add(_ordinal(np.arange(ns) // len(_PLACE) + 1), "街道"))
        names_s = _cat(s_word, np.where(rng.random(ns) < 0.4, "路", ""), s_suffix)
        names_c = _cat(_pick(rng, _PLACE, nc), np.where(rng.random(nc) < 0.3, "新村", ""), "社区")
        g_rank = np.arange(ng) - g_start_c[g_c] + 1
        names_g = _cat(names_c[g_c].astype(str), "第", _ordinal(g_rank), "网格")
        names_q = _cat(_pick(rng, _PLACE, nq), _pick(rng, _COMPOUND_SUFFIX, nq))
        b_rank = np.arange(len(b_q)) - (np.cumsum(b_per_q) - b_per_q).repeat(b_per_q) + 1
        names_rb = _cat(names_q[b_q].astype(str), b_rank.astype(str), "号楼")
        names_bb = _cat(p["city_name"], _pick(rng, _BRAND, nb), _pick(rng, _BUILDING_SUFFIX, nb))
        self.names_d, self.names_s, self.names_c, self.names_g = names_d, names_s, names_c, names_g
        self.names_q, self.names_bb = names_q, names_bb
        self.names_rb = names_rb

        # --- populations rolled up
        g_pop_q = np.bincount(q_g, pop, minlength=ng).astype(np.int64)
        g_hh_q = np.bincount(q_g, hh, minlength=ng).astype(np.int64)
        scattered = rng.binomial(np.maximum(g_pop_q, 1), 0.08)
        g_pop = g_pop_q + scattered
        g_hh = g_hh_q + (scattered / p["persons_per_household"]).astype(np.int64)
        c_pop = np.bincount(g_c, g_pop, minlength=nc).astype(np.int64)
        c_hh = np.bincount(g_c, g_hh, minlength=nc).astype(np.int64)
        s_pop = np.bincount(c_s, c_pop, minlength=ns).astype(np.int64)
        s_hh = np.bincount(c_s, c_hh, minlength=ns).astype(np.int64)
        d_pop = np.bincount(st_d, s_pop, minlength=nd).astype(np.int64)
        d_hh = np.bincount(st_d, s_hh, minlength=nd).astype(np.int64)
        self.g_pop, self.c_pop = g_pop, c_pop

        city = p["root"] == "city"
        parts = []

        def block(ids, names, level, parent, popn, hhs, lon, lat, flags=None):
            n = len(ids)
            df = pd.DataFrame({
                "id": ids, "name": names, "level": level, "parent": parent,
                "population": pd.array(popn, dtype="Int64"), "households": pd.array(hhs, dtype="Int64"),
                "lon": np.round(lon, 6), "lat": np.round(lat, 6),
            })
            for k, col in zip(("property_management", "supervisor", "security"),
                              flags if flags is not None else (None, None, None)):
                df[k] = pd.array(col if col is not None else [pd.NA] * n, dtype="boolean")
            parts.append(df)

        if city:
            self.city_id = "CT01"
            block(np.array([self.city_id], dtype=object), np.array([p["name"].split(" ")[0]], dtype=object),
                  "city", np.array([None], dtype=object), [int(d_pop.sum())], [int(d_hh.sum())],
                  np.array([city_lon]), np.array([city_lat]))
            d_parent = np.full(nd, self.city_id, dtype=object)
        else:
            self.city_id = None
            d_parent = np.full(nd, None, dtype=object)
        block(ids_d, names_d, "district", d_parent, d_pop, d_hh, d_lon, d_lat)
        block(ids_s, names_s, "street", ids_d[st_d], s_pop, s_hh, s_lon, s_lat)
        block(ids_c, names_c, "community", ids_s[c_s], c_pop, c_hh, c_lon, c_lat)
        block(ids_g, names_g, "grid", ids_c[g_c], g_pop, g_hh, g_lon, g_lat)
        block(ids_q, names_q, "compound", ids_g[q_g], pop, hh, q_lon, q_lat, (pm, sup, sec))
        bpop = np.r_[b_pop, np.full(nb, -1)]
        bhh = np.r_[b_hh, np.full(nb, -1)]
        bdf_parent = np.r_[ids_q[b_q], ids_g[bb_g]].astype(object)
        block(ids_b, np.r_[names_rb, names_bb].astype(object), "building", bdf_parent,
              np.where(bpop < 0, 0, bpop), np.where(bhh < 0, 0, bhh),
              np.r_[rb_lon, bb_lon], np.r_[rb_lat, bb_lat])
        df = pd.concat(parts, ignore_index=True)
        # business buildings have no residents listed: population empty
        isbb = np.r_[np.zeros(len(df) - nb, dtype=bool), np.ones(nb, dtype=bool)]
        df.loc[isbb, ["population", "households"]] = pd.NA
        self.area_df = df

    # ------------------------------------------------------------- units
    def units(self):
        p, rng = self.p, self.rngs[1]
        nu = p["units"]
        mix = np.array([p["unit_mix"][t] for t in UNIT_TYPES], dtype=float)
        counts = _allocate(nu, mix, 0)
        utype = np.repeat(np.arange(len(UNIT_TYPES)), counts)
        sector = np.full(nu, -1, dtype=np.int64)
        pe = np.flatnonzero(utype == _T["private_enterprise"])
        so = np.flatnonzero(utype == _T["social_organisation"])
        pe = pe[rng.permutation(len(pe))]
        so = so[rng.permutation(len(so))]
        ip, iso = 0, 0
        for k, s in enumerate(SECTORS):
            n = int(p["sector_units"][s])
            n_so = 0 if s == "internet" else int(round(p["sector_social_share"] * n))
            n_so = min(n_so, len(so) - iso)
            n_pe = n - n_so
            _need(ip + n_pe <= len(pe), "sector_units",
                  f"at most the private enterprises available ({len(pe):,} in total)", p["sector_units"])
            sector[pe[ip: ip + n_pe]] = k
            sector[so[iso: iso + n_so]] = k
            ip += n_pe
            iso += n_so

        # --- location: clusters for sector units, heavy-tailed community attraction for the rest
        ng, g_c = self.ng, self.g_c
        grid = np.full(nu, -1, dtype=np.int64)
        area_kind = np.zeros(nu, dtype=np.int64)  # 0 grid, 1 business building, 2 compound
        area_ref = np.full(nu, -1, dtype=np.int64)
        cluster = np.full(nu, -1, dtype=np.int64)  # global cluster index
        lon = np.full(nu, np.nan)
        lat = np.full(nu, np.nan)
        g_w = self.c_attr[g_c] * (self.g_pop + 50) / (self.c_pop[g_c] + 50)
        g_p = g_w / g_w.sum()
        # clusters: business buildings, then parks, then markets
        nb, npk, nm = p["business_buildings"], p["parks"], p["markets"]
        park_w = self.street_size[self.c_s[g_c]] ** 2
        pk_g = rng.choice(ng, size=npk, p=park_w / park_w.sum()) if npk else np.zeros(0, dtype=np.int64)
        mk_g = rng.choice(ng, size=nm, p=g_p) if nm else np.zeros(0, dtype=np.int64)
        pk_lon, pk_lat = _jitter(self.g_lon[pk_g], self.g_lat[pk_g], 0.3, rng)
        mk_lon, mk_lat = _jitter(self.g_lon[mk_g], self.g_lat[mk_g], 0.2, rng)
        cl_g = np.r_[self.bb_g, pk_g, mk_g].astype(np.int64)
        cl_kind = np.r_[np.zeros(nb), np.ones(npk), np.full(nm, 2)].astype(np.int64)
        cl_lon = np.r_[self.bb_lon, pk_lon, mk_lon]
        cl_lat = np.r_[self.bb_lat, pk_lat, mk_lat]
        offsets = (0, nb, nb + npk)
        spread_km = (0.0, 0.35, 0.12)
        for k, (ncl, off) in enumerate(zip((nb, npk, nm), offsets)):
            members = np.flatnonzero(sector == k)
            if not len(members):
                continue
            _need(ncl > 0, ("business_buildings", "parks", "markets")[k],
                  f">= 1 when sector_units[{SECTORS[k]!r}] > 0", ncl)
            sizes = _allocate(len(members), rng.lognormal(0, 1.0, ncl), 0)
            which = np.repeat(np.arange(ncl), sizes) + off
            members = members[rng.permutation(len(members))]
            cluster[members] = which
            grid[members] = cl_g[which]
            if k == 0:
                area_kind[members] = 1
                area_ref[members] = which  # business building index
            else:
                lo, la = _jitter(cl_lon[which], cl_lat[which], spread_km[k], rng)
                lon[members], lat[members] = lo, la
        self.cl_g, self.cl_kind, self.cl_lon, self.cl_lat = cl_g, cl_kind, cl_lon, cl_lat
        self.ncl = len(cl_g)
        cl_names = np.r_[self.names_bb.astype(str),
                         _cat(p["city_name"], _pick(rng, _PLACE, npk), _pick(rng, _PARK_SUFFIX, npk)).astype(str),
                         _cat(_pick(rng, _PLACE, nm), _pick(rng, _MARKET_SUFFIX, nm)).astype(str)]
        self.cl_names = cl_names.astype(object)
        # internet firms sit in central grids
        inet = np.flatnonzero(sector == 3)
        w2 = g_p ** 1.5
        grid[inet] = rng.choice(ng, size=len(inet), p=w2 / w2.sum())
        # owners' committees sit in compounds with property management
        oc = np.flatnonzero(utype == _T["owners_committee"])
        elig = np.flatnonzero(self.q_pm_base)
        _need(len(oc) <= len(elig), "unit_mix", "a mix with fewer owners' committees than managed compounds",
              p["unit_mix"])
        qsel = elig[rng.permutation(len(elig))[: len(oc)]]
        grid[oc] = self.q_g[qsel]
        area_kind[oc] = 2
        area_ref[oc] = qsel
        rest = np.flatnonzero(grid < 0)
        grid[rest] = rng.choice(ng, size=len(rest), p=g_p)
        # own coordinates near the grid centre, except in business buildings (default: the building)
        free = np.isnan(lon) & (area_kind != 1)
        lo, la = _jitter(self.g_lon[grid], self.g_lat[grid], 1.0, rng)
        lo = self.g_lon[grid] + (lo - self.g_lon[grid]) * self.g_rad[grid]
        la = self.g_lat[grid] + (la - self.g_lat[grid]) * self.g_rad[grid]
        q = area_kind == 2
        lo[q], la[q] = _jitter(self.q_lon[area_ref[q]], self.q_lat[area_ref[q]], 0.05, rng)
        lon[free], lat[free] = lo[free], la[free]
        nocoord = (rng.random(nu) >= p["unit_coords_share"]) & free
        lon[nocoord], lat[nocoord] = np.nan, np.nan

        # --- sizes: heavy-tailed staff, members from heterogeneous rates
        med = np.array([p["employees_median"][t] for t in UNIT_TYPES], dtype=float)
        sig = np.array([p["employees_sigma"][t] for t in UNIT_TYPES], dtype=float)
        emp = rng.lognormal(np.log(np.maximum(med[utype], 0.5)), sig[utype])
        emp = emp * np.where(sector == 1, 2.0, 1.0)
        emp = np.maximum(1, np.round(emp)).astype(np.int64)
        rate = np.array([p["member_rate"][t] for t in UNIT_TYPES])[utype] * rng.lognormal(-0.3, 0.8, nu)
        pmem = rng.binomial(emp, np.clip(rate, 0, 0.95)).astype(np.int64)

        # --- order the ledger geographically (by grid), ties broken at random
        order = np.lexsort((rng.random(nu), grid))
        for name in ("utype", "sector", "grid", "area_kind", "area_ref", "cluster", "lon", "lat", "emp", "pmem"):
            arr = locals()[name]
            setattr(self, "u_" + name, arr[order])
        self.nu = nu
        self.u_comm = g_c[self.u_grid]
        self.u_street = self.c_s[self.u_comm]
        self.u_district = self.st_d[self.u_street]
        self.ids_u = _ids("U", nu)

    # ------------------------------------------------------------- coverage classes
    def coverage(self):
        p, rng = self.p, self.rngs[2]
        nu, ut, sec = self.nu, self.u_utype, self.u_sector
        emp, pm = self.u_emp, self.u_pmem
        s_eff = rng.normal(0, p["street_effect"], self.ns)
        big = np.zeros(nu, dtype=bool)
        if p["size_rule"]:
            big = ((ut == _T["private_enterprise"]) & (emp >= p["size_rule_enterprise"])) | (
                (ut == _T["social_organisation"]) & (emp >= p["size_rule_social"]))
        score = (0.6 * np.log(emp) + 0.5 * np.log1p(pm) + s_eff[self.u_street]
                 + 0.5 * (self.u_cluster >= 0) + rng.gumbel(size=nu) + 1e6 * big)
        covered = np.zeros(nu, dtype=bool)
        for t in range(len(UNIT_TYPES)):
            idx = np.flatnonzero(ut == t)
            k = int(round(p["org_coverage"][UNIT_TYPES[t]] * len(idx)))
            covered[idx[_top_k(score[idx], k)]] = True

        # clusters with a sector organisation: among those holding covered units
        cov_cl = np.bincount(self.u_cluster[covered & (self.u_cluster >= 0)], minlength=self.ncl)
        cand = np.flatnonzero(cov_cl > 0)
        n_sec = min(len(cand), int(round(p["sector_org_share"] * self.ncl)))
        cl_score = np.log1p(cov_cl[cand]) + rng.gumbel(size=len(cand))
        has_org = np.zeros(self.ncl, dtype=bool)
        has_org[cand[_top_k(cl_score, n_sec)]] = True
        self.cl_has_org = has_org

        own = np.zeros(nu, dtype=bool)
        own_score = 1.5 * np.log1p(pm) + 0.3 * np.log(emp) + rng.gumbel(size=nu)
        in_sector = sec >= 0
        if p["emerging_orgs"] is not None:
            q = int(p["emerging_orgs"]) - n_sec
            pool = np.flatnonzero(covered & in_sector)
            _need(0 <= q <= len(pool), "emerging_orgs",
                  f"between the {n_sec:,} sector organisations and {n_sec + len(pool):,} "
                  f"(sector organisations + covered sector units)", p["emerging_orgs"],
                  "Change sector_units, sector_org_share or org_coverage, or set emerging_orgs=None.")
            own[pool[_top_k(own_score[pool], q)]] = True
        for t in range(len(UNIT_TYPES)):
            idx_all = np.flatnonzero(ut == t)
            target = int(round(p["own_rate"][UNIT_TYPES[t]] * len(idx_all)))
            if p["emerging_orgs"] is not None:
                target -= int(own[idx_all].sum())
                idx = np.flatnonzero((ut == t) & covered & ~in_sector)
            else:
                idx = np.flatnonzero((ut == t) & covered)
            target = max(0, min(target, len(idx)))
            own[idx[_top_k(own_score[idx], target)]] = True
        # a branch needs three formal members
        self.u_pmem = np.where(own, np.maximum(pm, 3), pm)

        joint = covered & ~own
        unc = np.flatnonzero(~covered)
        n_work = int(round(p["work_coverage"] * len(unc)))
        work_score = 0.5 * np.log(emp[unc]) + s_eff[self.u_street[unc]] + rng.gumbel(size=len(unc))
        work = np.zeros(nu, dtype=bool)
        work[unc[_top_k(work_score, n_work)]] = True
        widx = np.flatnonzero(work)
        n_instr = p["instructors"]
        want_work_instr = int(round(p["instructor_share"] * len(widx)))
        if n_instr is None:
            n_instr = want_work_instr
        n_instr = int(n_instr)
        k_work = min(want_work_instr, n_instr)
        instr = np.zeros(nu, dtype=bool)
        instr[widx[_top_k(rng.random(len(widx)), k_work)]] = True
        extra = n_instr - k_work
        jidx = np.flatnonzero(joint)
        _need(extra <= len(jidx), "instructors",
              f"at most {k_work + len(jidx):,} (work-covered plus jointly covered units)", n_instr)
        instr[jidx[_top_k(rng.random(len(jidx)), extra)]] = True
        self.own, self.joint, self.work, self.instr = own, joint, work, instr
        self.backstop = work & ~instr
        self.none = ~covered & ~work

    # ------------------------------------------------------------- organisations
    def organisations(self):
        p, rng = self.p, self.rngs[3]
        city = self.city_id is not None
        rows: list[pd.DataFrame] = []
        counter = [0]

        def add(names, form, scope, parent, area, unit, members, est_days, status=None):
            n = len(names)
            ids = np.char.add("O", np.char.zfill(np.arange(counter[0] + 1, counter[0] + n + 1).astype(str), 7)).astype(object)
            counter[0] += n
            rows.append(pd.DataFrame({
                "id": ids, "name": np.asarray(names, dtype=object), "form": form, "scope": scope,
                "parent": parent, "area": area, "unit": unit,
                "members": pd.array(members, dtype="Int64"),
                "established": _date(est_days),
                "status": status if status is not None else np.full(n, "normal", dtype=object),
            }))
            return ids

        nd, ns, nc, ng = self.nd, self.ns, self.nc, self.ng
        na = np.full(1, None, dtype=object)
        yr = 365
        if city:
            self.org_city = add([f"中共{p['city_name']}市委员会"], "committee", "territorial", na,
                                np.array([self.city_id], dtype=object), na, [pd.NA], [int(yr * 35)])[0]
        else:
            self.org_city = None
        self.org_d = add(_cat("中共", self.names_d.astype(str), "委员会"), "committee", "territorial",
                         np.full(nd, self.org_city, dtype=object), self.ids_d, np.full(nd, None, dtype=object),
                         np.full(nd, pd.NA), _days_before(rng, nd, 20 * yr, 35 * yr))
        s_mem = rng.lognormal(math.log(45), 0.4, ns).astype(np.int64)
        self.org_s = add(_cat(self.names_s.astype(str), "党工委"), "committee", "territorial",
                         self.org_d[self.st_d], self.ids_s, np.full(ns, None, dtype=object), s_mem,
                         _days_before(rng, ns, 8 * yr, 30 * yr))
        c_mem = np.maximum(3, rng.lognormal(math.log(90), 0.6, nc) * (self.c_pop / self.c_pop.mean()) ** 0.5).astype(np.int64)
        c_form = np.where(c_mem >= 100, "committee", np.where(c_mem >= 50, "general_branch", "branch"))
        c_suffix = np.where(c_mem >= 100, "党委", np.where(c_mem >= 50, "党总支", "党支部"))
        weak_c = _top_k(-np.log(c_mem) + rng.gumbel(size=nc), int(round(p["weak_share"] * nc)))
        self.org_c = add(_cat(self.names_c.astype(str), c_suffix), c_form, "territorial", self.org_s[self.c_s],
                         self.ids_c, np.full(nc, None, dtype=object), c_mem,
                         _days_before(rng, nc, 3 * yr, 25 * yr), np.where(weak_c, "weak", "normal").astype(object))
        self.c_form = c_form
        self.c_weak = weak_c

        # grid branches and groups
        n_go = p["grid_orgs"]
        if n_go is None:
            n_go = int(round(p["grid_org_share"] * ng))
        _need(n_go <= ng, "grid_orgs", f"at most grids ({ng:,})", n_go,
              "Set grid_orgs=None to derive it from grid_org_share.")
        has = _top_k(np.log(self.g_pop + 10) + rng.gumbel(size=ng), int(n_go))
        gi = np.flatnonzero(has)
        g_mem = np.maximum(3, rng.lognormal(math.log(14), 0.6, len(gi))).astype(np.int64)
        g_form = np.where(g_mem < 6, "group", "branch")
        weak_g = _top_k(-np.log(g_mem) + rng.gumbel(size=len(gi)), int(round(p["weak_share"] * len(gi))))
        gids = add(_cat(self.names_g[gi].astype(str), np.where(g_mem < 6, "党小组", "党支部")), g_form, "territorial",
                   self.org_c[self.g_c[gi]], self.ids_g[gi], np.full(len(gi), None, dtype=object), g_mem,
                   _days_before(rng, len(gi), 200, 9 * yr), np.where(weak_g, "weak", "normal").astype(object))
        self.org_g = np.full(ng, None, dtype=object)
        self.org_g[gi] = gids

        # building groups (楼栋党小组) in listed residential buildings
        bi = np.flatnonzero(rng.random(len(self.b_q)) < p["building_group_share"])
        b_grid = self.b_g[bi]
        b_parent = np.where(pd.isna(self.org_g[b_grid]), self.org_c[self.g_c[b_grid]], self.org_g[b_grid])
        add(_cat(self.names_rb[bi].astype(str), "党小组"), "group", "territorial", b_parent.astype(object),
            self.ids_rb[bi], np.full(len(bi), None, dtype=object),
            np.maximum(3, rng.poisson(5, len(bi))), _days_before(rng, len(bi), 100, 6 * yr))

        # industry organisations: per district (property, social organisations), city-wide internet
        d_prop = add(_cat(self.names_d.astype(str), "物业行业党委"), "committee", "industry", self.org_d,
                     self.ids_d, np.full(nd, None, dtype=object), rng.integers(20, 80, nd),
                     _days_before(rng, nd, 2 * yr, 8 * yr))
        d_so = add(_cat(self.names_d.astype(str), "社会组织综合党委"), "committee", "industry", self.org_d,
                   self.ids_d, np.full(nd, None, dtype=object), rng.integers(20, 80, nd),
                   _days_before(rng, nd, 2 * yr, 8 * yr))
        top_org = self.org_city if city else self.org_d[0]
        top_area = self.city_id if city else self.ids_d[0]
        inet_org = add([f"{p['city_name']}互联网行业党委"], "committee", "industry", np.array([top_org], dtype=object),
                       np.array([top_area], dtype=object), na, [int(rng.integers(30, 120))],
                       [int(rng.integers(yr, 6 * yr))])[0]

        # sector organisations: one per cluster that has one
        ci = np.flatnonzero(self.cl_has_org)
        ncl = len(ci)
        k = self.cl_kind[ci]
        n_units_cl = np.bincount(self.u_cluster[self.u_cluster >= 0], minlength=self.ncl)[ci]
        cl_form = np.where(k == 1, "committee",
                           np.where(n_units_cl >= 30, "committee", np.where(n_units_cl >= 12, "general_branch", "branch")))
        cl_suffix = np.where(cl_form == "committee", "党委", np.where(cl_form == "general_branch", "党总支", "党支部"))
        cl_area = np.where(k == 0, self.ids_bb[np.minimum(ci, len(self.ids_bb) - 1)] if len(self.ids_bb) else None,
                           self.ids_g[self.cl_g[ci]]).astype(object)
        cl_members = np.bincount(self.u_cluster[self.u_cluster >= 0], self.u_pmem[self.u_cluster >= 0],
                                 minlength=self.ncl)[ci].astype(np.int64) + 3
        sec_ids = add(_cat(self.cl_names[ci].astype(str), cl_suffix), cl_form, "sector",
                      self.org_s[self.c_s[self.g_c[self.cl_g[ci]]]], cl_area,
                      np.full(ncl, None, dtype=object), cl_members, _days_before(rng, ncl, 100, 10 * yr))
        self.cl_org = np.full(self.ncl, None, dtype=object)
        self.cl_org[ci] = sec_ids

        # unit organisations
        ui = np.flatnonzero(self.own)
        m = self.u_pmem[ui]
        u_form = np.where(m >= 100, "committee", np.where(m >= 50, "general_branch", "branch"))
        u_suffix = np.where(m >= 100, "党委", np.where(m >= 50, "党总支", "党支部"))
        t = self.u_utype[ui]
        cl = self.u_cluster[ui]
        parent = np.where(rng.random(len(ui)) < 0.5, self.org_c[self.u_comm[ui]], self.org_s[self.u_street[ui]])
        in_cl = cl >= 0
        cl_org = np.where(in_cl, self.cl_org[np.maximum(cl, 0)], None)
        parent = np.where(in_cl & pd.notna(cl_org), cl_org, parent)
        parent = np.where(np.isin(t, (_T["agency"], _T["public_institution"])), self.org_d[self.u_district[ui]], parent)
        if city:
            parent = np.where(t == _T["state_enterprise"], self.org_city, parent)
        else:
            parent = np.where(t == _T["state_enterprise"], self.org_d[self.u_district[ui]], parent)
        weak_u = _top_k(-np.log(m) + rng.gumbel(size=len(ui)), int(round(p["weak_share"] * len(ui))))
        self.unit_names = self._unit_names()
        uids = add(_cat(self.unit_names[ui].astype(str), u_suffix), u_form, "unit", parent.astype(object),
                   self.u_area_id[ui], self.ids_u[ui], m, _days_before(rng, len(ui), 30, 30 * yr),
                   np.where(weak_u, "weak", "normal").astype(object))
        self.org_u = np.full(self.nu, None, dtype=object)
        self.org_u[ui] = uids

        # who covers each jointly covered unit
        ji = np.flatnonzero(self.joint)
        cover = np.full(len(ji), None, dtype=object)
        jt = self.u_utype[ji]
        jcl = self.u_cluster[ji]
        jin = jcl >= 0
        cover[jin] = self.cl_org[jcl[jin]]
        cover[(self.u_sector[ji] == 3)] = inet_org
        free = pd.isna(cover)
        prop = free & (jt == _T["property_company"])
        cover[prop] = d_prop[self.u_district[ji[prop]]]
        soc = free & (jt == _T["social_organisation"]) & (rng.random(len(ji)) < 0.5)
        cover[soc] = d_so[self.u_district[ji[soc]]]
        rest = np.flatnonzero(pd.isna(cover))
        # community joint branches: chunks of units per community
        if len(rest):
            comm = self.u_comm[ji[rest]]
            rank = _rank_within(comm, rng.random(len(rest)))
            chunk_size = np.maximum(2, rng.poisson(p["joint_chunk"], self.nc))
            chunk = rank // chunk_size[comm]
            key = comm.astype(np.int64) * (int(chunk.max()) + 1) + chunk
            uniq, inv = np.unique(key, return_inverse=True)
            j_comm = uniq // (int(chunk.max()) + 1)
            j_chunk = uniq % (int(chunk.max()) + 1)
            j_mem = np.bincount(inv, self.u_pmem[ji[rest]], minlength=len(uniq)).astype(np.int64) + rng.integers(1, 4, len(uniq))
            j_form = np.where(j_mem >= 50, "general_branch", "branch")
            kind = np.where(rng.random(len(uniq)) < 0.6, "非公企业联合", "综合联合")
            nj = len(uniq)
            weak_j = _top_k(-np.log(j_mem) + rng.gumbel(size=nj), int(round(p["weak_share"] * nj)))
            jids = add(_cat(self.names_c[j_comm].astype(str), kind, "第", _ordinal(j_chunk + 1),
                            np.where(j_form == "branch", "党支部", "党总支")),
                       j_form, "joint", self.org_c[j_comm], self.ids_c[j_comm], np.full(nj, None, dtype=object),
                       j_mem, _days_before(rng, nj, 100, 12 * yr), np.where(weak_j, "weak", "normal").astype(object))
            cover[rest] = jids[inv]
        self.cover_org = cover
        self.joint_idx = ji
        df = pd.concat(rows, ignore_index=True)
        self.org_est = pd.Series(df["established"].to_numpy(), index=df["id"].to_numpy())
        self.org_df = df

    def _unit_names(self):
        p, rng = self.p, self.rngs[4]
        nu, t = self.nu, self.u_utype
        city = p["city_name"]
        d_name = self.names_d[self.u_district].astype(str)
        place = _pick(rng, _PLACE, nu)
        out = np.empty(nu, dtype=object)

        def put(ti, names):
            idx = np.flatnonzero(t == ti)
            out[idx] = names[idx] if len(names) == nu else names

        put(_T["private_enterprise"], _cat(city, _pick(rng, _BRAND, nu), _pick(rng, _INDUSTRY, nu), _pick(rng, _CO_SUFFIX, nu)))
        put(_T["social_organisation"], _cat(d_name, _pick(rng, _SO_THEME, nu), _pick(rng, _SO_KIND, nu)))
        put(_T["agency"], _cat(d_name, _pick(rng, _AGENCY, nu)))
        put(_T["state_enterprise"], _cat(city, _pick(rng, _SOE, nu)))
        put(_T["public_institution"], _cat(d_name, place, _pick(rng, _PI, nu)))
        put(_T["property_company"], _cat(city, _pick(rng, _BRAND, nu), "物业管理有限公司"))
        oc = np.flatnonzero(t == _T["owners_committee"])
        out[oc] = _cat(self.names_q[self.u_area_ref[oc]].astype(str), "业主委员会")
        put(_T["other"], _cat(place, _pick(rng, _OTHER, nu)))
        return out

    @property
    def u_area_id(self):
        if not hasattr(self, "_u_area_id"):
            a = self.ids_g[self.u_grid].copy()
            k1 = self.u_area_kind == 1
            a[k1] = self.ids_bb[self.u_area_ref[k1]]
            k2 = self.u_area_kind == 2
            a[k2] = self.ids_q[self.u_area_ref[k2]]
            self._u_area_id = a
        return self._u_area_id

    # ------------------------------------------------------------- stations
    def stations(self):
        p, rng = self.p, self.rngs[5]
        parts = []
        city = self.city_id is not None

        def block(names, typ, area, lon, lat, floor, radius):
            parts.append(pd.DataFrame({"name": np.asarray(names, dtype=object), "type": typ, "area": area,
                                       "lon": np.round(lon, 6), "lat": np.round(lat, 6),
                                       "floor_area_m2": np.round(floor, 0), "radius_m": radius}))

        if city:
            block([f"{p['city_name']}市党群服务中心"], "centre", np.array([self.city_id], dtype=object),
                  *_jitter(np.array([self.area_df.loc[0, "lon"]]), np.array([self.area_df.loc[0, "lat"]]), 0.3, rng),
                  [3000.0], [np.nan])
        nd, ns, nc = self.nd, self.ns, self.nc
        block(_cat(self.names_d.astype(str), "党群服务中心"), "centre", self.ids_d,
              *_jitter(self.d_lon, self.d_lat, 0.3, rng), rng.uniform(1000, 3000, nd), np.full(nd, np.nan))
        block(_cat(self.names_s.astype(str), "党群服务中心"), "centre", self.ids_s,
              *_jitter(self.s_lon, self.s_lat, 0.2, rng), rng.uniform(300, 1200, ns),
              np.where(rng.random(ns) < 0.3, 1000.0, np.nan))
        k = int(round(p["station_share"] * nc))
        has = _top_k(np.log(self.c_pop + 1) + rng.gumbel(size=nc), k)
        ci = np.flatnonzero(has)
        block(_cat(self.names_c[ci].astype(str), "党群服务站"), "station", self.ids_c[ci],
              *_jitter(self.c_lon[ci], self.c_lat[ci], 0.1, rng), rng.uniform(100, 500, len(ci)),
              np.full(len(ci), np.nan))
        npost = p["posts"]
        # red posts: half in markets/parks, half in busy grids
        n_cl = min(npost // 2, self.ncl - p["business_buildings"]) if self.ncl > p["business_buildings"] else 0
        cl_pick = p["business_buildings"] + rng.choice(self.ncl - p["business_buildings"], size=n_cl, replace=False) if n_cl else np.zeros(0, dtype=np.int64)
        g_w = self.g_pop / self.g_pop.sum()
        g_pick = rng.choice(self.ng, size=npost - n_cl, p=g_w)
        plon = np.r_[self.cl_lon[cl_pick], self.g_lon[g_pick]]
        plat = np.r_[self.cl_lat[cl_pick], self.g_lat[g_pick]]
        parea = np.r_[self.ids_g[self.cl_g[cl_pick]], self.ids_g[g_pick]].astype(object)
        pname = np.r_[self.cl_names[cl_pick].astype(str), self.names_g[g_pick].astype(str)]
        block(_cat(pname, "红色驿站"), "post", parea, *_jitter(plon, plat, 0.05, rng),
              rng.uniform(20, 80, npost), np.full(npost, 500.0))
        df = pd.concat(parts, ignore_index=True)
        df.insert(0, "id", _ids("T", len(df)))
        self.st_df = df

    # ------------------------------------------------------------- ties
    def _tie(self, source, target, kind, start, end=None, count=None, note=None):
        n = len(source)
        if n == 0:
            return
        self.ties.append(pd.DataFrame({
            "source": np.asarray(source, dtype=object), "target": np.asarray(target, dtype=object),
            "kind": kind, "start": start,
            "end": end if end is not None else np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"),
            "count": np.asarray(count if count is not None else np.ones(n), dtype=np.int64),
            "note": np.asarray(note, dtype=object) if note is not None else np.full(n, None, dtype=object),
        }))

    def make_ties(self):
        p = self.p
        rng = self.rngs[6]
        nu = self.nu
        yr = 365
        ids_u = self.ids_u
        comm_org, street_org = self.org_c[self.u_comm], self.org_s[self.u_street]
        unit_or_org = np.where(pd.isna(self.org_u), ids_u, self.org_u)

        # ---- co-building agreements
        k = p["co_building_units"]
        if k is None:
            k = int(round(p["co_building_share"] * nu))
        _need(k <= nu, "co_building_units", f"at most units ({nu:,})", k)
        tw = np.array([3.0, 2.5, 1.5, 0.0, 0.3, 0.5, -1.5, -0.5])
        cb_score = tw[self.u_utype] + 0.5 * np.log(self.u_emp) + rng.gumbel(size=nu)
        cb = np.flatnonzero(_top_k(cb_score, int(k)))
        to_street = rng.random(len(cb)) < p["co_building_street_share"]
        tgt = np.where(to_street, street_org[cb], comm_org[cb])
        src = ids_u[cb]
        # second agreements: the other level, or another community of the street
        multi = cb[_top_k(cb_score[cb] + rng.gumbel(size=len(cb)), int(round(p["co_building_multi_share"] * len(cb))))]
        other_comm = _pick_in_block(self.c_start_s, self.c_per_s, self.u_street[multi], rng)
        alt = np.where(other_comm == self.u_comm[multi], street_org[multi], self.org_c[other_comm])
        first_tgt = pd.Series(tgt, index=cb)
        alt = np.where(alt == first_tgt.loc[multi].to_numpy(),
                       np.where(alt == street_org[multi], comm_org[multi], street_org[multi]), alt)
        a_src = np.r_[src, ids_u[multi]]
        a_tgt = np.r_[tgt, alt]
        a_unit = np.r_[cb, multi]
        n_a = len(a_src)
        start_d = _days_before(rng, n_a, 20, 10 * yr)
        term = rng.random(n_a) < 0.3
        end_d = start_d - 3 * yr  # days before as_of of the end of a 3-year term
        has_end = term & (end_d < 0)  # a term ending in the future keeps the agreement active
        end = np.where(has_end, _date(end_d), np.datetime64("NaT"))
        note = np.where(has_end, "三年期协议", None)
        self._tie(a_src, a_tgt, "co_building", _date(start_d), end.astype("datetime64[ns]"), None, note)
        # renewed agreements: an earlier one that ended
        ren = np.flatnonzero((start_d < 6 * yr) & (rng.random(n_a) < 0.2))
        r_end = start_d[ren] + rng.integers(1, 60, len(ren))
        r_start = r_end + 3 * yr
        self._tie(a_src[ren], a_tgt[ren], "co_building", _date(r_start), _date(r_end), None,
                  np.full(len(ren), "到期续签", dtype=object))
        # lapsed agreements of units holding none now
        not_cb = np.setdiff1d(np.arange(nu), cb)
        n_l = min(len(not_cb), int(round(p["lapsed_share"] * len(cb))))
        lap = not_cb[_top_k(cb_score[not_cb] + rng.gumbel(size=len(not_cb)), n_l)]
        l_end = _days_before(rng, n_l, 30, 4 * yr)
        l_start = l_end + rng.integers(yr, 4 * yr, n_l)
        self._tie(ids_u[lap], comm_org[lap], "co_building", _date(l_start), _date(l_end), None,
                  np.full(n_l, "协议终止", dtype=object))

        # ---- activities: recent ones for linked agreements, yearly history for all
        n_dorm = int(round(p["dormant_share"] * n_a))
        dorm = _top_k(rng.random(n_a) + 0.3 * (self.u_utype[a_unit] == _T["private_enterprise"]), n_dorm)
        live = np.flatnonzero(~dorm)
        rec = np.minimum(rng.integers(0, 330, len(live)), start_d[live])
        cnt = 1 + rng.geometric(0.25, len(live))
        self._tie(a_src[live], a_tgt[live], "activity", _date(rec), None, cnt)
        years = np.minimum(start_d // yr, p["activity_years"])
        years = np.where(dorm & (rng.random(n_a) < 0.5), 0, years)
        hi = np.repeat(np.arange(n_a), years)
        kth = np.arange(len(hi)) - np.repeat(np.cumsum(years) - years, years) + 1
        h_days = kth * yr + rng.integers(35, 300, len(hi))
        ok = h_days <= start_d[hi]
        hi, h_days = hi[ok], h_days[ok]
        self._tie(a_src[hi], a_tgt[hi], "activity", _date(h_days), None,
                  1 + rng.geometric(0.3, len(hi)))
        self.cb_units = cb

        # ---- part-time members of the big committees (street or community)
        pt = np.flatnonzero(_top_k(cb_score[cb] + rng.gumbel(size=len(cb)), int(round(p["part_time_share"] * len(cb)))))
        pt_src = unit_or_org[cb[pt]]
        pt_tgt = tgt[pt]
        pt_start = np.minimum(start_d[pt], _days_before(rng, len(pt), 30, 5 * yr))
        self._tie(pt_src, pt_tgt, "part_time_member", _date(pt_start))
        # members of the previous term
        prev = pt[rng.random(len(pt)) < 0.15]
        pv_end = _days_before(rng, len(prev), 5 * yr + 1, 6 * yr)
        self._tie(unit_or_org[cb[prev]], tgt[prev], "part_time_member", _date(pv_end + 5 * yr), _date(pv_end),
                  None, np.full(len(prev), "上届委员", dtype=object))

        # ---- dual reporting: unit organisations of agencies, state enterprises, institutions
        ui = np.flatnonzero(self.own & np.isin(self.u_utype, (_T["agency"], _T["state_enterprise"], _T["public_institution"])))
        ui = ui[rng.random(len(ui)) < p["dual_report_share"]]
        m = self.u_pmem[ui]
        d_cnt = np.maximum(1, np.round(m * rng.uniform(0.3, 0.9, len(ui)))).astype(np.int64)
        d_start = _days_before(rng, len(ui), 30, 7 * yr)
        self._tie(self.org_u[ui], comm_org[ui], "dual_report", _date(d_start), None, d_cnt)
        # in-service members report where they live: other communities of the district
        extra = rng.poisson(p["dual_report_spread"] * np.log1p(m) / 2)
        extra = np.minimum(extra, m)
        ei = np.repeat(ui, extra)
        d_start_c = self._c_by_d()
        oc = _pick_in_block(d_start_c[0], d_start_c[1], self.u_district[ei], rng)
        keep = oc != self.u_comm[ei]
        ei, oc = ei[keep], oc[keep]
        pair = pd.DataFrame({"u": ei, "c": oc}).drop_duplicates()
        ei, oc = pair["u"].to_numpy(), pair["c"].to_numpy()
        self._tie(self.org_u[ei], self.org_c[oc], "dual_report", _date(_days_before(rng, len(ei), 30, 6 * yr)),
                  None, 1 + rng.geometric(0.5, len(ei)))

        # ---- pairing: strong unit organisations with communities (weak ones first); communities with each other
        n_pair = int(round(p["pairings_per_community"] * self.nc))
        strong = np.flatnonzero(self.own & np.isin(self.u_utype, (_T["agency"], _T["state_enterprise"], _T["public_institution"])))
        if len(strong) and n_pair:
            cw = np.where(self.c_weak, 20.0, 1.0)
            n_uc = int(round(0.8 * n_pair))
            pc = rng.choice(self.nc, size=n_uc, p=cw / cw.sum())
            # a unit of the same district when there is one
            su = strong[rng.integers(0, len(strong), n_uc)]
            pair = pd.DataFrame({"u": su, "c": pc}).drop_duplicates()
            su, pc = pair["u"].to_numpy(), pair["c"].to_numpy()
            ps = _days_before(rng, len(su), 30, 6 * yr)
            self._tie(self.org_u[su], self.org_c[pc], "pairing", _date(ps))
            act = rng.random(len(su)) < 0.7
            self._tie(self.org_u[su[act]], self.org_c[pc[act]], "activity",
                      _date(np.minimum(ps[act], rng.integers(0, 500, int(act.sum())))), None,
                      1 + rng.geometric(0.3, int(act.sum())))
            n_cc = n_pair - n_uc
            a = rng.integers(0, self.nc, n_cc)
            b = _pick_in_block(self.c_start_s, self.c_per_s, self.c_s[a], rng)
            b = np.where(b == a, rng.integers(0, self.nc, n_cc), b)
            ok = a != b
            self._tie(self.org_c[a[ok]], self.org_c[b[ok]], "pairing", _date(_days_before(rng, int(ok.sum()), 30, 6 * yr)))

        # ---- joint conferences: distinct units per level, each with its own territorial organisation
        jw = np.array([3.0, 2.5, 1.5, 0.5, 0.5, 0.8, -1.0, -1.0])
        jscore = jw[self.u_utype] + 0.6 * np.log(self.u_emp)
        levels = [("jc_city", None, 0), ("jc_district", self.org_d[self.u_district], 30 * self.nd),
                  ("jc_street", street_org, 8 * self.ns), ("jc_community", comm_org, 2 * self.nc)]
        for key, target, default in levels:
            n = p[key]
            if key == "jc_city":
                if self.org_city is None:
                    _need(not n, "jc_city", "0 or None when root='district'", n)
                    continue
                n = 0 if n is None else n
                target = np.full(nu, self.org_city, dtype=object)
            n = default if n is None else n
            _need(n <= nu, key, f"at most units ({nu:,})", n)
            sel = np.flatnonzero(_top_k(jscore + rng.gumbel(size=nu), int(n)))
            js = _days_before(rng, len(sel), 30, 6 * yr)
            self._tie(ids_u[sel], target[sel], "joint_conference", _date(js))
            old = np.setdiff1d(np.flatnonzero(_top_k(jscore + rng.gumbel(size=nu), int(n) // 5)), sel)
            oe = _days_before(rng, len(old), 200, 3 * yr)
            self._tie(ids_u[old], target[old], "joint_conference", _date(oe + 2 * yr), _date(oe), None,
                      np.full(len(old), "已退出", dtype=object))

        # ---- whistle-and-report: communities summon departments (agencies of their district)
        ag = np.flatnonzero(self.u_utype == _T["agency"])
        if len(ag):
            nw = rng.poisson(p["whistle_per_community"], self.nc)
            wc = np.repeat(np.arange(self.nc), nw)
            ag_d = self.u_district[ag]
            o = np.argsort(ag_d, kind="stable")
            ag_sorted = ag[o]
            cnt_d = np.bincount(ag_d, minlength=self.nd)
            st_d = np.cumsum(cnt_d) - cnt_d
            dd = self.c_d[wc]
            has_d = cnt_d[dd] > 0
            pick = np.where(has_d, _pick_in_block(st_d, np.maximum(cnt_d, 1), dd, rng), 0)
            wu = np.where(has_d, ag_sorted[np.minimum(pick, len(ag_sorted) - 1)], ag[rng.integers(0, len(ag), len(wc))])
            pair = pd.DataFrame({"c": wc, "u": wu}).drop_duplicates()
            wc, wu = pair["c"].to_numpy(), pair["u"].to_numpy()
            self._tie(self.org_c[wc], ids_u[wu], "whistle", _date(_days_before(rng, len(wc), 0, 2 * yr)), None,
                      rng.zipf(2.2, len(wc)).clip(1, 200))

        # ---- work coverage: instructors and backstop
        ii = np.flatnonzero(self.instr)
        i_src = np.where(rng.random(len(ii)) < 0.7, comm_org[ii], street_org[ii])
        self._tie(i_src, ids_u[ii], "instructor", _date(_days_before(rng, len(ii), 10, 7 * yr)))
        nn = np.flatnonzero(self.none)
        n_end = min(len(nn), int(round(p["ended_instructor_share"] * len(ii))))
        ne = nn[_top_k(rng.random(len(nn)), n_end)]
        e_end = _days_before(rng, n_end, 30, 3 * yr)
        self._tie(comm_org[ne], ids_u[ne], "instructor", _date(e_end + rng.integers(200, 3 * yr, n_end)),
                  _date(e_end), None, np.full(n_end, "指导员调离", dtype=object))
        bi = np.flatnonzero(self.backstop)
        g_org = self.org_g[self.u_grid[bi]]
        b_src = np.where(pd.isna(g_org), comm_org[bi], g_org)
        self._tie(b_src, ids_u[bi], "backstop", _date(_days_before(rng, len(bi), 10, 5 * yr)))

        # ---- organisational coverage by joint, industry and sector organisations
        ji, co = self.joint_idx, self.cover_org
        est_days = (_AS_OF64 - self.org_est.reindex(co).to_numpy().astype("datetime64[D]")).astype(np.int64)
        cs = np.minimum(est_days, _days_before(rng, len(ji), 10, 10 * 365))
        cs = np.maximum(cs, 0)
        self._tie(co, ids_u[ji], "covers", _date(cs))

    def _c_by_d(self):
        """Communities grouped by district: (start, count) per district, communities sorted by district."""
        cnt = np.bincount(self.c_d, minlength=self.nd)
        return np.cumsum(cnt) - cnt, cnt  # communities are contiguous by district

    # ------------------------------------------------------------- three lists
    def lists(self):
        p, rng = self.p, self.rngs[7]
        nc = self.nc
        yr = 365
        # demands: heavy-tailed per community
        lam = p["demands_per_community"] * rng.lognormal(-0.3, 0.8, nc)
        nd_c = rng.poisson(lam)
        dc = np.repeat(np.arange(nc), nd_c)
        n = len(dc)
        owner_kind = rng.random(n)
        g_pick = _pick_in_block(self.g_start_c, self.g_per_c, dc, rng)
        owner = np.where(owner_kind < 0.85, self.org_c[dc], self.ids_g[g_pick]).astype(object)
        cat_p = np.array([0.10, 0.14, 0.08, 0.07, 0.09, 0.06, 0.14, 0.10, 0.10, 0.07, 0.05])
        dcat = rng.choice(len(_CATEGORIES), size=n, p=cat_p / cat_p.sum())
        qty = 1 + rng.geometric(0.35, n) - 1
        ddays = _days_before(rng, n, 0, 2 * yr)
        # resources: agreement holders and some unit organisations
        cb = self.cb_units
        nr_u = rng.poisson(p["resources_per_unit"], len(cb))
        ru = np.repeat(cb, nr_u)
        own_i = np.flatnonzero(self.own)
        ro = own_i[rng.random(len(own_i)) < 0.05]
        r_units = np.r_[ru, ro]
        r_owner = np.r_[self.ids_u[ru], self.org_u[ro]].astype(object)
        nr = len(r_units)
        # categories by unit type
        pref = np.array([
            [3, 2, 1, 3, 1, 4, 1, 2, 2, 1, 1],  # agency
            [3, 2, 4, 2, 1, 1, 1, 3, 2, 1, 1],  # state enterprise
            [3, 2, 1, 3, 5, 1, 2, 1, 2, 5, 1],  # public institution
            [1, 2, 4, 1, 1, 1, 1, 5, 1, 1, 1],  # private enterprise
            [1, 5, 1, 2, 1, 1, 4, 1, 3, 2, 1],  # social organisation
            [2, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2],  # property company
            [1, 3, 1, 1, 1, 1, 1, 1, 2, 1, 1],  # owners committee
            [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2],  # other
        ], dtype=float)
        cdf = np.cumsum(pref / pref.sum(1, keepdims=True), axis=1)
        rcat = (rng.random(nr)[:, None] > cdf[self.u_utype[r_units]]).sum(1)
        rcat = np.minimum(rcat, len(_CATEGORIES) - 1)
        cap = 1 + rng.geometric(0.3, nr) - 1 + rng.integers(0, 3, nr)
        rdays = _days_before(rng, nr, 0, 3 * yr)
        own_ll = rng.random(nr) < 0.1
        r_lon = np.where(own_ll, np.round(self.g_lon[self.u_grid[r_units]] + rng.normal(0, 0.002, nr), 6), np.nan)
        r_lat = np.where(own_ll, np.round(self.g_lat[self.u_grid[r_units]] + rng.normal(0, 0.002, nr), 6), np.nan)

        # projects: demands matched with a resource of the same category, same street if possible
        npj = p["projects"]
        if npj is None:
            npj = int(round(p["projects_per_community"] * nc))
        _need(npj <= n, "projects", f"at most the demands generated ({n:,})", npj,
              "Raise demands_per_community or lower projects.")
        _need(npj == 0 or nr > 0, "projects", "0 when no resources are listed", npj)
        score = rng.random(n)
        pd_i = np.flatnonzero(_top_k(score, int(npj)))
        d_street = self.c_s[dc[pd_i]]
        r_street = self.u_street[r_units]
        key_r = rcat.astype(np.int64) * (self.ns + 1) + r_street
        order = np.argsort(key_r, kind="stable")
        ks = key_r[order]
        key_d = dcat[pd_i].astype(np.int64) * (self.ns + 1) + d_street
        lo = np.searchsorted(ks, key_d, "left")
        hi = np.searchsorted(ks, key_d, "right")
        # fallback: the same category anywhere in the city (then any resource)
        cat_sorted = ks // (self.ns + 1)
        lo2 = np.searchsorted(cat_sorted, dcat[pd_i], "left")
        hi2 = np.searchsorted(cat_sorted, dcat[pd_i], "right")
        u = rng.random(len(pd_i))
        pick = np.where(hi > lo, lo + (u * (hi - lo)).astype(np.int64),
                        np.where(hi2 > lo2, lo2 + (u * (hi2 - lo2)).astype(np.int64),
                                 (u * max(nr, 1)).astype(np.int64)))
        pick = np.minimum(pick, max(nr - 1, 0))
        pr = order[pick] if nr else pick
        pdays = np.maximum(0, np.minimum(ddays[pd_i], rdays[pr]) - rng.integers(0, 90, len(pd_i)))
        done = (pdays > 60) | (rng.random(len(pd_i)) < 0.3)
        value = np.round(rng.lognormal(math.log(5000), 1.0, len(pd_i)), -2)
        value = np.where(rng.random(len(pd_i)) < 0.2, np.nan, value)
        # two-way claiming (双向认领): some of the projects are claimed the other way round
        keep, rev = self._two_way(dc[pd_i], r_units[pr], done, score[pd_i])
        dstatus = np.full(n, "open", dtype=object)
        dstatus[pd_i[keep & done]] = "met"
        d_ids = _ids("N", n)
        r_ids = _ids("R", nr)
        self.dem_df = pd.DataFrame({"id": d_ids, "owner": owner, "category": np.array(_CATEGORIES, dtype=object)[dcat],
                                    "quantity": qty.astype(float), "date": _date(ddays), "status": dstatus})
        self.res_df = pd.DataFrame({"id": r_ids, "owner": r_owner,
                                    "category": np.array(_CATEGORIES, dtype=object)[rcat],
                                    "capacity": cap.astype(float), "lon": r_lon, "lat": r_lat,
                                    "date": _date(rdays)})
        pname = _cat(self.names_c[dc[pd_i]].astype(str), np.array(_CATEGORY_ZH)[dcat[pd_i]], "共建项目")
        fwd = pd.DataFrame({
            "name": pname, "demand": d_ids[pd_i], "resource": r_ids[pr],
            "owner": owner[pd_i], "partner": r_owner[pr], "date": _date(pdays), "value": value,
            "status": np.where(done, "done", "planned").astype(object),
        })
        # a reverse project: the forward partner owns it, the community organisation is
        # its partner; done, dated between the forward project and as_of; no listed demand
        back = pd.DataFrame({
            "name": _cat(self.names_c[dc[pd_i[rev]]].astype(str), "双向认领",
                         np.array(_CATEGORY_ZH)[dcat[pd_i[rev]]], "项目"),
            "demand": None, "resource": None,
            "owner": r_owner[pr[rev]], "partner": self.org_c[dc[pd_i[rev]]].astype(object),
            "date": _date(self.rngs[8].integers(0, pdays[rev] + 1)),
            "value": value[~keep], "status": "done",
        })
        self.proj_df = pd.concat([fwd[keep], back], ignore_index=True)
        self.proj_df.insert(0, "id", _ids("P", len(self.proj_df)))

    def _two_way(self, comm, partner, done, score):
        """Which forward projects to keep, and which kept ones to mirror the other way.

        ``comm``, ``partner``, ``done`` and ``score`` describe the candidate
        forward projects (community, partner unit). Keeps the ``m`` best-scored
        candidates and mirrors ``k = len(comm) - m`` of them, so the number of
        projects stays exact and ``k`` is ``two_way_share`` of the distinct
        (community, partner) pairs of the kept done projects (the largest ``m``
        with ``m + round(two_way_share * pairs(m)) <= len(comm)``). Returns a
        boolean mask of kept candidates and the candidate index of each reverse
        project (a pair is mirrored once, unless more reverse projects than
        pairs are needed).
        """
        share, rng = self.p["two_way_share"], self.rngs[8]
        n = len(comm)
        rank = np.empty(n, dtype=np.int64)
        rank[np.argsort(-score, kind="stable")] = np.arange(n)
        key = comm.astype(np.int64) * (int(partner.max(initial=0)) + 1) + partner

        def pairs(m):
            sel = (rank < m) & done
            return np.unique(key[sel], return_index=True)

        def fits(m):
            return m + round(share * len(pairs(m)[0])) <= n

        lo, hi = 0, n  # fits(0) holds; find the largest m that fits
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if fits(mid) else (lo, mid - 1)
        m = lo
        keep = rank < m
        k = n - m
        if k == 0:
            return keep, np.zeros(0, dtype=np.int64)
        first = np.flatnonzero((rank < m) & done)[pairs(m)[1]]  # one kept done project per pair
        if not len(first):  # pragma: no cover - only for a handful of projects and a share near 1
            return rank < n, np.zeros(0, dtype=np.int64)
        chosen = rng.permutation(first)[:k]
        extra = rng.choice(chosen, k - len(chosen)) if k > len(chosen) else np.zeros(0, dtype=np.int64)
        return keep, np.sort(np.r_[chosen, extra])

    def unit_frame(self):
        self.unit_df = pd.DataFrame({
            "id": self.ids_u, "name": self.unit_names, "type": np.array(UNIT_TYPES, dtype=object)[self.u_utype],
            "sector": np.where(self.u_sector >= 0, np.array(SECTORS + ("",), dtype=object)[self.u_sector], None),
            "area": self.u_area_id, "employees": self.u_emp, "party_members": self.u_pmem,
            "lon": np.round(self.u_lon, 6), "lat": np.round(self.u_lat, 6),
        })


# ----------------------------------------------------------------- calibration


def _served_share(net, radius_default=1000.0):
    """Share of compound residents within some station's radius (haversine)."""
    from scipy.spatial import cKDTree

    a = net.areas
    q = a[(a["level"] == "compound") & a["lon"].notna() & a["lat"].notna()]
    st = net.locations.loc[net.stations.index]
    r = net.stations["radius_m"].fillna(radius_default).to_numpy()
    pop = q["population"].fillna(0).to_numpy(dtype=float)
    if not len(q) or not len(st):
        return 0.0
    lat0 = float(q["lat"].mean())
    kx = float(_km_lon(lat0)) * 1000
    qxy = np.c_[q["lon"].to_numpy() * kx, q["lat"].to_numpy() * _KM_LAT * 1000]
    sxy = np.c_[st["lon"].to_numpy() * kx, st["lat"].to_numpy() * _KM_LAT * 1000]
    served = np.zeros(len(q), dtype=bool)
    for rad in np.unique(r):
        sel = np.flatnonzero(r == rad)
        tree = cKDTree(sxy[sel])
        k = min(3, len(sel))
        _, idx = tree.query(qxy, k=k)
        idx = idx.reshape(len(q), k)
        for j in range(k):
            s = sel[idx[:, j]]
            d = _haversine_m(q["lon"].to_numpy(), q["lat"].to_numpy(), st["lon"].to_numpy()[s], st["lat"].to_numpy()[s])
            served |= d <= rad
    return float(pop[served].sum() / pop.sum()) if pop.sum() else 0.0


def _facts(net) -> dict[str, float]:
    """The calibrated quantities, computed from the tables by the documented definitions."""
    a, o, u, t = net.areas, net.organisations, net.units, net.ties
    as_of = net.as_of
    act = net.active_ties(as_of)
    lvl = a["level"]
    f: dict[str, float] = {}
    for level, plural in (("district", "districts"), ("street", "streets"), ("community", "communities"),
                          ("grid", "grids"), ("compound", "compounds")):
        f[plural] = int((lvl == level).sum())
    f["units"] = len(u)
    f["ties"] = len(t)
    terr = o[o["scope"] == "territorial"]
    terr_level = terr["area"].astype(object).map(lvl)
    f["grid_orgs"] = int((terr_level == "grid").sum())
    org_level = terr_level  # id -> level of the area a territorial org serves
    unit_ids = u.index
    cb = act[act["kind"] == "co_building"]
    cb_ok = cb["source"].isin(unit_ids) & cb["target"].astype(object).map(org_level).isin(["street", "community"])
    cb = cb[cb_ok.to_numpy()]
    f["co_building_units"] = int(cb["source"].nunique())
    unit_org = o[o["scope"] == "unit"]
    f["emerging_orgs"] = int((o["scope"] == "sector").sum()
                             + unit_org["unit"].astype(object).map(u["sector"]).notna().sum())
    own = u.index.isin(unit_org["unit"].astype(object))
    cov = act[act["kind"] == "covers"]
    cov = cov[cov["source"].astype(object).map(o["scope"]).isin(["joint", "industry", "sector"]).to_numpy()]
    joint = u.index.isin(cov["target"].astype(object))
    orgcov = own | joint
    for typ in UNIT_TYPES:
        m = (u["type"] == typ).to_numpy()
        f[f"coverage_{typ}"] = 100.0 * orgcov[m].mean() if m.any() else float("nan")
        f[f"own_{typ}"] = 100.0 * own[m].mean() if m.any() else float("nan")
    pe = (u["type"] == "private_enterprise").to_numpy() & (u["employees"].fillna(0).to_numpy() >= 100)
    so = (u["type"] == "social_organisation").to_numpy() & (u["employees"].fillna(0).to_numpy() >= 30)
    f["size_rule"] = 100.0 * orgcov[pe | so].mean() if (pe | so).any() else float("nan")
    cov_by_street = pd.Series(orgcov, index=u.index)[(u["type"] == "private_enterprise").to_numpy()]
    street = net.ancestor(u["area"], "street")
    per = cov_by_street.groupby(street[(u["type"] == "private_enterprise").to_numpy()].to_numpy()).mean() * 100
    f["coverage_street_min"] = float(per.min()) if len(per) else float("nan")
    f["coverage_street_max"] = float(per.max()) if len(per) else float("nan")
    f["instructors"] = int((act["kind"] == "instructor").sum())
    jc = act[(act["kind"] == "joint_conference") & act["source"].isin(unit_ids).to_numpy()]
    jl = jc["target"].astype(object).map(org_level)
    for level in ("city", "district", "street", "community"):
        f[f"jc_{level}"] = int(jc.loc[(jl == level).to_numpy(), "source"].nunique())
    q = a[lvl == "compound"]
    f["three_no"] = int((~q["property_management"].fillna(False) & ~q["supervisor"].fillna(False)
                         & ~q["security"].fillna(False)).sum())
    f["projects"] = len(net.projects)
    from ..sharing import realised

    rs = realised(net, level="community")
    partners = rs["partners"].sum()
    f["two_way"] = (100.0 * float((rs["two_way_share"].fillna(0) * rs["partners"]).sum() / partners)
                    if partners else float("nan"))
    f["unserved"] = 100.0 * (1 - _served_share(net))
    comm = a.index[lvl == "community"]
    f["station_share"] = 100.0 * pd.Index(comm).isin(net.stations["area"].astype(object)).mean() if len(comm) else float("nan")
    # dormant agreements (签而不联)
    acts = t[(t["kind"] == "activity") & t["start"].notna() & (t["start"] <= as_of)
             & (t["start"] >= as_of - pd.Timedelta(days=365))]
    if len(cb):
        pairs = acts[["source", "target"]].astype(object).drop_duplicates().assign(linked=True)
        linked = cb[["source", "target"]].astype(object).merge(pairs, how="left", on=["source", "target"])
        f["dormant"] = 100.0 * (1 - linked["linked"].notna().mean())
    else:
        f["dormant"] = float("nan")
    eligible = o[o["scope"].isin(["unit", "joint"]) | terr_level.reindex(o.index).isin(["community", "grid"]).to_numpy()]
    f["weak"] = 100.0 * (eligible["status"] == "weak").mean() if len(eligible) else float("nan")
    # co-building units seated in big committees (directly or through their organisation)
    ptm = act[act["kind"] == "part_time_member"]
    pt_unit = ptm["source"].astype(object).map(o["unit"]).fillna(ptm["source"].astype(object))
    pt_unit = pt_unit[pt_unit.isin(unit_ids)]
    f["big_committee_cb_units"] = int(pd.Index(pt_unit.unique()).isin(cb["source"].astype(object)).sum())
    return f


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

    Notes
    -----
    The definitions are those the analyses use: a tie is active at ``as_of``
    when it has started and not ended; a unit is organisationally covered
    when an organisation with scope ``unit`` names it, or an active
    ``covers`` tie reaches it from a joint, industry or sector organisation;
    emerging-sector organisations are the organisations with scope
    ``sector`` plus the unit organisations of units with a sector; a
    co-building unit is the source of an active ``co_building`` tie to a
    street or community organisation; an agreement is dormant when no
    ``activity`` tie between the same pair is dated within 365 days before
    ``as_of``; a resident is served when their compound's centroid lies
    within a station's radius (default 1000 m, haversine); the two-way share
    is that of :func:`orgnet.sharing.realised` at the community level, pooled
    over communities (pairs with done projects in both directions / all
    (community, partner) pairs of done projects).

    Examples
    --------
    >>> import orgnet
    >>> cal = orgnet.datasets.calibration(orgnet.datasets.synthetic_city("district"))
    >>> cal.loc["communities", ["target", "achieved"]].tolist()
    [70.0, 70.0]
    >>> round(float(cal.loc["(community, partner) pairs with projects in both directions (%)", "achieved"]), 2)
    14.56
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
        p = _resolve(preset, overrides)
    f = _facts(net)
    g = "GLOSSARY"
    rows: list[tuple] = []

    def row(figure, key, target, tol, source):
        rows.append((figure, float(target) if target is not None else float("nan"), float(tol),
                     float(f[key]), source))

    row("streets", "streets", p["streets"], 0, "knob streets" if preset == "large" else
        f"{g}: {'Lanzhou streets (seed 002)' if preset == 'lanzhou' else 'district A streets (seed 000)'}")
    row("communities", "communities", p["communities"], 0, "knob communities" if preset == "large" else
        f"{g}: {'Lanzhou communities (seed 002)' if preset == 'lanzhou' else 'district A communities (seed 000)'}")
    row("grids", "grids", p["grids"], 0, f"{g}: Lanzhou third-level grids (seed 002)" if preset == "lanzhou"
        else "knob grids")
    if p["grid_orgs"] is not None:
        row("grid branches and groups", "grid_orgs", p["grid_orgs"], 0,
            f"{g}: Lanzhou grid branches and groups (seed 002)")
    row("units", "units", p["units"], 0, "knob units")
    if p["co_building_units"] is not None:
        row("units holding an active co-building agreement", "co_building_units", p["co_building_units"], 0,
            f"{g}: Lanzhou units with co-building agreements (seed 002)" if preset == "lanzhou"
            else f"{g}: district A co-building units (seed 000)")
    if p["emerging_orgs"] is not None:
        row("emerging-sector organisations (sector scope + unit orgs of sector units)", "emerging_orgs",
            p["emerging_orgs"], 0, f"{g}: Lanzhou emerging-sector organisations (seed 002)")
    if p["instructors"] is not None:
        row("instructors sent (active instructor ties)", "instructors", p["instructors"], 0,
            f"{g}: Lanzhou instructors sent (seed 002)")
    lanz = preset == "lanzhou"
    row("organisational coverage, private enterprises (%)", "coverage_private_enterprise",
        100 * p["org_coverage"]["private_enterprise"], 1,
        f"{g}: Lanzhou coverage, private enterprises (seed 002)" if lanz else "knob org_coverage")
    row("organisational coverage, social organisations (%)", "coverage_social_organisation",
        100 * p["org_coverage"]["social_organisation"], 1,
        f"{g}: Lanzhou coverage, social organisations (seed 002)" if lanz else "knob org_coverage")
    if preset == "district":
        row("own organisation (establishment) rate, private enterprises (%)", "own_private_enterprise",
            100 * p["own_rate"]["private_enterprise"], 1, f"{g}: Liaoning establishment rate 45.4% (seed 000)")
        row("own organisation (establishment) rate, social organisations (%)", "own_social_organisation",
            100 * p["own_rate"]["social_organisation"], 1, f"{g}: Liaoning establishment rate 45.1% (seed 000)")
    if p["size_rule"]:
        row("size rule: enterprises >= 100 / social orgs >= 30 staff covered (%)", "size_rule", 100, 0,
            f"{g}: Liaoning rule (seed 000)")
    row("coverage of private enterprises by street, lowest (%)", "coverage_street_min", None, 0,
        "knob street_effect (coverage varies by street)")
    row("coverage of private enterprises by street, highest (%)", "coverage_street_max", None, 0,
        "knob street_effect")
    jc_src = {"city": f"{g}: Lanzhou city joint conference member units (seed 002)" if lanz else "knob jc_city",
              "district": f"{g}: district A district-level members (seed 000)" if preset == "district" else "knob jc_district",
              "street": f"{g}: district A street-level members (seed 000)" if preset == "district" else "knob jc_street",
              "community": f"{g}: district A community-level members (seed 000)" if preset == "district" else "knob jc_community"}
    defaults = {"city": 0, "district": 30 * f["districts"], "street": 8 * f["streets"], "community": 2 * f["communities"]}
    for level in ("city", "district", "street", "community"):
        if level == "city" and p["root"] != "city":
            continue
        tgt = p[f"jc_{level}"]
        tgt = defaults[level] if tgt is None else tgt
        row(f"joint conference member units, {level} level", f"jc_{level}", tgt, 0, jc_src[level])
    if preset == "district":
        row("co-building units absorbed into big committees", "big_committee_cb_units", p["co_building_units"], 0,
            f"{g}: district A co-building units absorbed into big committees (seed 000)")
    if p["projects"] is not None:
        row("projects", "projects", p["projects"], 0, f"{g}: district A party-building projects (seed 000)"
            if preset == "district" else "knob projects")
    row("(community, partner) pairs with projects in both directions (%)", "two_way",  # no pairs: no target
        100 * p["two_way_share"] if not math.isnan(f["two_way"]) else None, 1,
        "knob two_way_share (双向认领; no published figure)")
    nq = f["compounds"]
    three = p["three_no"] if p["three_no"] is not None else round(p["three_no_share"] * nq)
    src3 = f"{g}: Weinan three-no compounds before a campaign (seed 001)" if p["three_no"] == 526 else "knob three_no_share"
    if p["campaign"]:
        rem = p["campaign_remaining"]
        rem = rem if rem is not None else int(round(three * (1 - p["campaign_success"])))
        row("three-no compounds after the campaign", "three_no", rem, 0,
            f"{g}: Weinan three-no compounds after a 3-month campaign (seed 001)" if rem == 66
            else "knob campaign_success")
    else:
        row("three-no compounds", "three_no", three, 0, src3)
    row("communities with a service station (%)", "station_share", 100 * p["station_share"], 1,
        f"{g}: Huichang 35 of 45 planned stations (seed 003)" if abs(p["station_share"] - 35 / 45) < 1e-9
        else "knob station_share")
    row("residents farther than the station radius (1 km) from every station (%)", "unserved", 12.5, 7.5,
        f"{g}: Huichang service radius 1 km (seed 003); realistic band 5-20%, no seed figure")
    row("dormant agreements (no activity within 365 days) (%)", "dormant", 100 * p["dormant_share"], 1,
        "knob dormant_share (签而不联)")
    row("weak organisations among community, grid, unit and joint ones (%)", "weak", 100 * p["weak_share"], 1,
        "knob weak_share (软弱涣散)")
    if preset == "large":
        row("ties", "ties", 1_000_000, 100_000, "issue: 10^6 ties for scale tests")
    df = pd.DataFrame(rows, columns=["figure", "target", "tolerance", "achieved", "source"]).set_index("figure")
    df["ok"] = df["target"].isna() | ((df["achieved"] - df["target"]).abs() <= df["tolerance"] + 1e-9)
    return df[["target", "tolerance", "achieved", "ok", "source"]]
