"""Every knob of the synthetic generator, declared as data with its constraint.

:data:`PARAMETERS` maps each knob to a :class:`Knob` — the constraint its
value must meet (one of :mod:`orgnet._params`'s, or a small one declared here
for coordinates, name lists and per-type dicts) and what it means.
:func:`resolve` merges a preset with overrides and checks every value with the
one mechanism of :mod:`orgnet._params`, so a bad value is refused in the one
message style::

    The 'dormant_share' parameter of synthetic_city must be a number in [0, 1]. Got 1.5 instead.

The vocabularies the knobs are keyed by (unit types, sectors, list categories)
come from :mod:`orgnet.schema`.
"""

from __future__ import annotations

import numbers
from typing import Any, NamedTuple

from ... import schema
from ..._params import (
    Bool,
    Constraint,
    Integer,
    Options,
    Real,
    Text,
    check,
    current_function,
)
from ...errors import OrgnetParameterError
from .presets import PRESETS

__all__ = [
    "UNIT_TYPES", "PUBLIC_SECTOR", "SECTORS", "CATEGORIES", "Knob", "PARAMETERS",
    "LonLat", "LonLats", "Names", "PositiveNumbers", "PerKey", "resolve", "need",
]

#: unit types of the public sector (agencies, state enterprises, institutions): the strong
#: partners of co-building, dual reporting and pairing
PUBLIC_SECTOR = ("agency", "state_enterprise", "public_institution")
#: the schema's unit types, public sector first: the order units are laid out in the ledger
UNIT_TYPES: tuple[str, ...] = PUBLIC_SECTOR + tuple(
    t for t in schema.VOCABULARIES["unit_type"].values if t not in PUBLIC_SECTOR)
#: the schema's emerging sectors
SECTORS: tuple[str, ...] = tuple(schema.VOCABULARIES["sector"].values)
#: the schema's recommended categories of demands and resources
CATEGORIES: tuple[str, ...] = tuple(schema.VOCABULARIES["category"].values)


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


class LonLat(Constraint):
    """A (lon, lat) pair in degrees."""

    def describe(self):
        return "a (lon, lat) pair"

    def convert(self, value):
        if not (isinstance(value, (tuple, list)) and len(value) == 2
                and all(_is_number(v) for v in value)
                and -180 <= value[0] <= 180 and -90 <= value[1] <= 90):
            raise ValueError
        return value


class LonLats(Constraint):
    """A polyline: at least two (lon, lat) points."""

    def describe(self):
        return "a sequence of at least two (lon, lat) points"

    def convert(self, value):
        if not (isinstance(value, (tuple, list)) and len(value) >= 2
                and all(isinstance(p, (tuple, list)) and len(p) == 2 for p in value)):
            raise ValueError
        return value


class Names(Constraint):
    """A tuple (or list) of non-empty names, possibly empty."""

    def describe(self):
        return "a tuple of names"

    def convert(self, value):
        if not (isinstance(value, (tuple, list)) and all(isinstance(v, str) and v for v in value)):
            raise ValueError
        return value


class PositiveNumbers(Constraint):
    """A tuple (or list) of numbers > 0, possibly empty."""

    def describe(self):
        return "a tuple of positive numbers"

    def convert(self, value):
        if not (isinstance(value, (tuple, list)) and all(_is_number(v) and v > 0 for v in value)):
            raise ValueError
        return value


class PerKey(Constraint):
    """A dict with exactly ``keys``, each value meeting ``of`` (worded ``what``)."""

    def __init__(self, keys, of: Constraint, what: str, noun: str):
        self.keys, self.of, self.what, self.noun = tuple(keys), of, what, noun

    def describe(self):
        return f"a dict with {self.what} for every {self.noun} ({', '.join(self.keys)})"

    def convert(self, value):
        if not (isinstance(value, dict) and set(value) == set(self.keys)):
            raise ValueError
        for v in value.values():
            self.of.convert(v)  # ValueError / TypeError: refused
        return value


class _Whole(Integer):
    """An int (not a float), as the per-sector counts must be."""

    def convert(self, value):
        if not isinstance(value, numbers.Integral) or isinstance(value, bool):
            raise TypeError
        return super().convert(value)


class Knob(NamedTuple):
    """One parameter of the generator: its constraint(s) (``None`` in a list allows None) and meaning."""

    constraint: Any
    doc: str


_TEXT = Text()
_SHARE = Real(0, 1)
_COUNT = [Integer(0), None]  # an exact count, or None: derived from the matching share
_N0 = Integer(0)
_N1 = Integer(1)
_POS = Real(0, exclusive=True, finite=True)
_NONNEG = Real(0, finite=True)
_TYPE_SHARES = PerKey(UNIT_TYPES, Real(0, 1), "a share in [0, 1]", "unit type")
_TYPE_NUMBERS = PerKey(UNIT_TYPES, Real(0), "a number >= 0", "unit type")

#: every knob of the generator: name -> Knob(constraint, doc)
PARAMETERS: dict[str, Knob] = {
    # naming and geography
    "name": Knob(_TEXT, "display name of the city (network name)"),
    "city_name": Knob(_TEXT, "short city name used in unit and organisation names"),
    "root": Knob(Options("city", "district"), "top area level: a whole city, or a single district"),
    "layout": Knob(Options("valley", "radial"),
                   "street layout: along a river valley (centreline) or radial around centre"),
    "centre": Knob(LonLat(), "(lon, lat) of the city (radial layout) centre"),
    "centreline": Knob(LonLats(), "valley layout: polyline (lon, lat) points along the valley, west to east"),
    "valley_half_width_km": Knob(_POS, "valley layout: half width of the built-up valley"),
    "radius_km": Knob(_POS, "radial layout: radius of the built-up area"),
    "street_size_sigma": Knob(_NONNEG, "log-sd of street sizes"),
    "suburban_scale": Knob(Real(1, finite=True),
                           "size factor of the outermost streets (valley ends / outer ring): "
                           "larger, sparser suburbs leave residents beyond the station radius"),
    # area counts
    "districts": Knob(_N1, "number of districts (root='district': must be 1)"),
    "district_names": Knob(Names(), "district names, in layout order (west to east for a valley); "
                                    "generated if empty"),
    "district_weights": Knob(PositiveNumbers(), "relative number of streets per district (empty: random)"),
    "streets": Knob(_N1, "number of streets (街道), exact"),
    "communities": Knob(_N1, "number of communities (社区), exact"),
    "grids": Knob(_N1, "number of grids (网格), exact"),
    "compounds_per_grid": Knob(Real(1, finite=True), "mean compounds (小区) per grid (1 + Poisson)"),
    "building_share": Knob(_SHARE, "share of compounds whose buildings (楼栋) are listed, with coordinates"),
    "households_median": Knob(_POS, "median households per compound (log-normal)"),
    "households_sigma": Knob(_NONNEG, "log-sd of households per compound (heavy tail)"),
    "persons_per_household": Knob(_POS, "mean residents per household"),
    "three_no": Knob(_COUNT, "three-no compounds (三无小区) before any campaign, exact; None: three_no_share"),
    "three_no_share": Knob(_SHARE, "share of compounds that are three-no when three_no is None"),
    "campaign": Knob(Bool(), "the same city after a three-no campaign (flags of remediated compounds set)"),
    "campaign_remaining": Knob(_COUNT, "three-no compounds left after the campaign; None: campaign_success"),
    "campaign_success": Knob(_SHARE, "share of three-no compounds remediated when campaign_remaining is None"),
    # units
    "units": Knob(_N1, "number of units (单位), exact"),
    "unit_mix": Knob(_TYPE_SHARES, "share of units per type (normalised)"),
    "sector_units": Knob(PerKey(SECTORS, _Whole(0), "an integer >= 0", "sector"),
                         "units per emerging sector, exact (drawn from private enterprises "
                         "and, except internet, some social organisations)"),
    "sector_social_share": Knob(_SHARE, "share of business-building/park/market units that are "
                                        "social organisations"),
    "business_buildings": Knob(_N0, "business buildings (商务楼宇), listed as building areas"),
    "parks": Knob(_N0, "parks (园区)"),
    "markets": Knob(_N0, "markets and business districts (商圈市场)"),
    "employees_median": Knob(_TYPE_NUMBERS, "median staff per unit type (log-normal)"),
    "employees_sigma": Knob(_TYPE_NUMBERS, "log-sd of staff per unit type (heavy tail)"),
    "member_rate": Knob(_TYPE_NUMBERS, "mean share of staff who are formal party members, per type"),
    "unit_coords_share": Knob(_SHARE, "share of units (outside business buildings) given their own lon/lat"),
    # coverage
    "org_coverage": Knob(_TYPE_SHARES, "organisational coverage rate (own + joint) per unit type, exact by quota"),
    "own_rate": Knob(_TYPE_SHARES, "share of units of each type with their own organisation "
                                   "(establishment rate)"),
    "size_rule": Knob(Bool(), "cover every enterprise >= size_rule_enterprise staff and social organisation "
                              ">= size_rule_social staff (Liaoning rule)"),
    "size_rule_enterprise": Knob(_N0, "staff threshold of the size rule for private enterprises"),
    "size_rule_social": Knob(_N0, "staff threshold of the size rule for social organisations"),
    "street_effect": Knob(_NONNEG, "sd of the per-street propensity to cover units: coverage varies by street"),
    "sector_org_share": Knob(_SHARE, "share of clusters (buildings, parks, markets) with a sector organisation"),
    "emerging_orgs": Knob(_COUNT, "emerging-sector organisations (sector scope + own organisations of sector "
                                  "units), exact; None: from own_rate"),
    "work_coverage": Knob(_SHARE, "share of units without organisational coverage reached by party work"),
    "instructors": Knob(_COUNT, "active instructor ties (党建指导员 sent), exact; None: instructor_share"),
    "instructor_share": Knob(_SHARE, "share of work-covered units reached by an instructor (rest: backstop)"),
    "ended_instructor_share": Knob(_SHARE, "ended instructor ties, as a share of active ones"),
    "grid_orgs": Knob(_COUNT, "grids with a territorial branch or group, exact; None: grid_org_share"),
    "grid_org_share": Knob(_SHARE, "share of grids with a territorial organisation when grid_orgs is None"),
    "building_group_share": Knob(_SHARE, "share of listed residential buildings with a party group"),
    "weak_share": Knob(_SHARE, "share of community, grid, unit and joint organisations flagged weak (软弱涣散)"),
    "joint_chunk": Knob(_POS, "mean units per community joint branch (联合党支部)"),
    # ties
    "co_building_units": Knob(_COUNT, "units holding an active co-building agreement, exact; "
                                      "None: co_building_share"),
    "co_building_share": Knob(_SHARE, "share of units holding an agreement when co_building_units is None"),
    "co_building_street_share": Knob(_SHARE, "share of agreements signed with the street (else the community)"),
    "co_building_multi_share": Knob(_SHARE, "share of agreement holders that sign a second agreement"),
    "lapsed_share": Knob(_SHARE, "units whose only agreement ended, as a share of co_building_units"),
    "dormant_share": Knob(_SHARE, "share of active agreements with no activity in the last 365 days (签而不联)"),
    "activity_years": Knob(_N0, "years of past yearly activity records kept per agreement"),
    "part_time_share": Knob(_SHARE, "share of agreement holders seated as part-time members of the big "
                                    "committee"),
    "dual_report_share": Knob(_SHARE, "share of agency/state/institution organisations that dual-report"),
    "dual_report_spread": Knob(_NONNEG, "mean extra communities an organisation's in-service members "
                                        "report to"),
    "pairings_per_community": Knob(_NONNEG, "pairing ties (结对共建) per community"),
    "whistle_per_community": Knob(_NONNEG, "mean departments each community has whistled (吹哨报到)"),
    "jc_city": Knob(_COUNT, "units in the city joint conference; None: 0"),
    "jc_district": Knob(_COUNT, "distinct units in district joint conferences; None: 30 per district"),
    "jc_street": Knob(_COUNT, "distinct units in street joint conferences; None: 8 per street"),
    "jc_community": Knob(_COUNT, "distinct units in community joint conferences; None: 2 per community"),
    # stations and lists
    "station_share": Knob(_SHARE, "share of communities with a service station"),
    "posts": Knob(_N0, "red posts (红色驿站, radius 500 m) in markets, parks and busy grids"),
    "demands_per_community": Knob(_NONNEG, "mean demands listed per community (heavy-tailed)"),
    "resources_per_unit": Knob(_NONNEG, "mean resources listed per agreement holder"),
    "projects": Knob(_COUNT, "projects (realised sharing), exact; None: projects_per_community"),
    "projects_per_community": Knob(_NONNEG, "projects per community when projects is None"),
    "two_way_share": Knob(_SHARE, "share of (community, partner) pairs of done projects with a project in "
                                  "each direction (双向认领: the partner also claims a community project)"),
    # the activity layer (people and cases, ratings): drawn from streams 12-14, after every other stage
    "activity": Knob(Bool(), "generate the activity layer (people, cases, ratings); False: the network layer alone, "
                             "exactly the tables of a city generated before the layer existed"),
    "grid_workers_per_grid": Knob(_N1, "full-time grid workers (专职网格员) per staffed grid"),
    "grid_gap_share": Knob(_SHARE, "share of grids with nobody in place (no grid worker, no one reporting or sent "
                                   "there, no building head): the unstaffed blank spots"),
    "station_staff_min": Knob(_N0, "fewest staff (社区工作者) naming each station"),
    "station_staff_max": Knob(_N0, "most staff naming each station (uniform between min and max)"),
    "members_reporting": Knob(_COUNT, "in-service members reporting (在职党员双报到), exact; "
                                      "None: members_per_community"),
    "members_per_community": Knob(_NONNEG, "in-service members reporting per community when members_reporting "
                                           "is None"),
    "reporting_unit_share": Knob(_SHARE, "share of units with party members whose members report (public sector "
                                         "first)"),
    "member_grid_share": Knob(_SHARE, "share of reporting members placed down to a grid (else the community)"),
    "posts_per_member": Knob(Real(1, finite=True), "mean service posts claimed per reporting member "
                                                   "(每人至少认领1个岗位: at least one each)"),
    "first_secretary_share": Knob(_SHARE, "share of communities with a first secretary (第一书记), weak ones first"),
    "cadres_per_community": Knob(_NONNEG, "cadres sent down (下沉干部) per community, exact in total"),
    "cases_per_community": Knob(_NONNEG, "whistle-and-report cases (吹哨报到) raised per community and year"),
    "case_years": Knob(_N1, "years of cases kept, ending at as_of"),
    "case_routing": Knob(PerKey(("grid", "community", "street", "department"), Real(0), "a weight >= 0",
                                "routing level"),
                         "relative share of cases routed to the grid, community or street organisation or to a "
                         "department (a public-sector unit), exact by quota"),
    "case_closure": Knob(_SHARE, "share of cases closed by as_of, exact by quota"),
    "case_days_median": Knob(_POS, "median days from raised to closed (log-normal)"),
    "case_days_sigma": Knob(_NONNEG, "log-sd of the days to close"),
    "case_answered_share": Knob(_SHARE, "share of closed cases whose resident gave an answer on satisfaction"),
    "case_satisfaction": Knob(_SHARE, "share of satisfied among closed cases with an answer, exact by quota"),
    "meetings": Knob(Bool(), "joint-conference meetings (events and attendance): monthly under a rotating chair, "
                             "scored by the members; members of dormant agreements take no part (see docs/synthetic.md)"),
    "meeting_months": Knob(_N1, "months of meetings kept, ending at as_of"),
    "meeting_skip_share": Knob(_SHARE, "share of a convener's months without a meeting, exact by quota"),
    "attendance_share": Knob(_SHARE, "share of the members' seats (the chair's aside) taken at meetings, "
                                     "exact by quota"),
    # red property (红色物业, 三方共治): drawn from stream 16, after the activity layer's
    "red_property": Knob(Bool(), "red property: manages ties from property companies to managed compounds, owners' "
                                 "committees at half Party members, three-party pairing ties (off by default: "
                                 "every table as without it)"),
    "red_manages_share": Knob(_SHARE, "share of the compounds with property management given a manages tie "
                                      "(物业服务), exact by quota"),
    "red_committee_party_share": Knob(_SHARE, "share of owners' committees with at least half Party members "
                                              "(业委会党员比例不少于50%); at least those already at half"),
    "red_triad_share": Knob(_SHARE, "share of the compounds with all three parties whose community organisation, "
                                    "owners' committee and property company are tied three ways (三方共治), "
                                    "exact by quota"),
}


def need(cond, name: str, what: str, value, hint: str = "") -> None:
    """Refuse a knob value that cannot be met (with what to change), in the one message style."""
    if not cond:
        raise OrgnetParameterError(
            f"The {name!r} parameter of {current_function()} must be {what}. Got {value!r} instead."
            + (f" {hint}" if hint else "")
        )


def resolve(preset, overrides: dict) -> dict:
    """The parameters of ``preset`` (a name in :data:`~.presets.PRESETS`) with ``overrides``, checked.

    Unknown override names are refused with the list of the known ones; every
    value is checked against its knob's constraint (integers are passed on as
    ``int``); counts that cannot nest (more districts than streets, ...) are
    refused.
    """
    check(preset, "preset", Options(*PRESETS))
    unknown = [k for k in overrides if k not in PARAMETERS]
    if unknown:
        raise OrgnetParameterError(
            f"{current_function()} got unknown override{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(repr(u) for u in unknown)}. Known overrides: {', '.join(sorted(PARAMETERS))}."
        )
    params = dict(PRESETS[preset])
    params.update(overrides)
    for name, value in params.items():
        params[name] = check(value, name, PARAMETERS[name].constraint)
    need(params["root"] != "district" or params["districts"] == 1,
         "districts", "1 when root='district'", params["districts"])
    need(params["station_staff_max"] >= params["station_staff_min"], "station_staff_max",
         f"at least station_staff_min={params['station_staff_min']}", params["station_staff_max"])
    need(sum(params["case_routing"].values()) > 0, "case_routing", "a dict with some weight > 0",
         params["case_routing"])
    for child, parent in (("streets", "districts"), ("communities", "streets"), ("grids", "communities")):
        need(params[child] >= params[parent], child, f"at least {parent}={params[parent]}", params[child])
    return params
