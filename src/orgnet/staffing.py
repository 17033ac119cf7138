"""Staffing: who is posted where (the activity layer's ``people`` table).

The practice counts people placed in the territory as much as organisations:
in-service members who report to their residential community and the service
posts they claim (双报到, 认领岗位), cadres sent down (下派/下沉干部), first
secretaries (第一书记), one full-time grid worker per grid (专职网格员), two or
three staff per service station, building heads (楼栋长) and member households
(党员中心户) below the building. The ``people`` table holds them as counts (one
row per group of one role from one source at one place), never as persons.

- :func:`people_by_area` — people of each role placed in each area of a level
  (there or below), per 1,000 residents, and the posts they claimed;
- :func:`rule_gaps` — places and stations short of a staffing rule;
- :func:`dual_reporting` — in-service members reporting per community, how many
  are placed down to a grid, posts per member, and the units whose members
  report nowhere.

People are counted at ``as_of`` as ties are: placed on or before it (or no
start) and not gone before it (:meth:`OrgNetwork.people_at`); an empty
``count`` is 1 and an empty ``posts`` is 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import schema
from ._params import Date, Integer, Level, Network, require, validate_params
from .network import OrgNetwork

__all__ = ["ROLES", "people_by_area", "rule_gaps", "dual_reporting"]

#: the roles of the people table, in the data format's order (one result column each)
ROLES = tuple(schema.VOCABULARIES["person_role"].values)


def _placed(net: OrgNetwork, when) -> pd.DataFrame:
    """People in place at ``when`` with ``count`` and ``posts`` defaults applied."""
    p = net.people_at(when)
    return pd.DataFrame({
        "role": p["role"].astype(object).to_numpy(),
        "source": p["source"].astype(object).to_numpy(),
        "area": p["area"].astype(object).to_numpy(),
        "station": p["station"].astype(object).to_numpy(),
        "count": p["count"].fillna(1).astype("int64").to_numpy(),
        "posts": p["posts"].fillna(0).astype("int64").to_numpy(),
    }, index=p.index)


def _population(net: OrgNetwork, level: str) -> pd.Series:
    """Residents of each area of ``level``: its own ``population`` where recorded, else the
    sum over its children, found the same way (so no resident is counted twice)."""
    a = net.areas
    pop = a["population"].astype("Float64").copy()
    rank = {lv: i for i, lv in enumerate(schema.LEVELS)}
    depth = a["level"].astype(object).map(rank)
    parent = a["parent"].astype(object)
    for d in sorted(depth.dropna().unique(), reverse=True)[:-1]:  # bottom-up, up to the level below the top
        rows = (depth == d).to_numpy()
        sums = pop[rows].groupby(parent[rows].to_numpy()).sum(min_count=1)
        fill = pop.isna() & pop.index.isin(sums.index)
        pop[fill.to_numpy()] = sums.reindex(pop.index[fill.to_numpy()]).to_numpy()
    return pop[(a["level"] == level).to_numpy()]


def _areas(net: OrgNetwork, level: str) -> pd.DataFrame:
    a = net.areas
    return a[(a["level"] == level).to_numpy()]


@validate_params(net=Network(), level=Level(), as_of=[Date(), None])
def people_by_area(net: OrgNetwork, *, level: str = "grid", as_of=None) -> pd.DataFrame:
    """People of each role placed in each area of a level, there or below.

    Parameters
    ----------
    net : OrgNetwork
    level : str, default "grid"
        The areas to report (every area of the level has a row).
    as_of : date-like, optional
        Count people in place at this date. Default: the network's ``as_of``.

    Returns
    -------
    DataFrame
        Indexed by the areas of ``level``: ``name``; one column per role of
        :data:`ROLES` (people placed in the area or in an area below it);
        ``total``; ``population`` (its own ``population``, else the sum of its
        children's, found the same way; NA when none is recorded); ``per_1000`` (``total`` per 1,000
        residents; NaN without residents); ``posts`` (service posts claimed).
        ``attrs["above_level"]``: people placed above the level (e.g. station
        staff at a street when ``level="grid"``), counted in no row.

    Raises
    ------
    OrgnetMissingDataError
        The network has no ``people`` table.

    Notes
    -----
    A join and a group-by: O(people + areas).

    Examples
    --------
    >>> import orgnet
    >>> net = orgnet.datasets.load("demo")
    >>> grids = orgnet.staffing.people_by_area(net, level="grid")
    >>> grids.loc["G111", ["grid_worker", "in_service_member", "building_head", "total", "posts"]].tolist()
    [1, 12, 2, 15, 10]
    >>> round(float(grids.loc["G111", "per_1000"]), 2), int(grids.loc["G134", "total"])
    (38.46, 0)
    >>> grids.attrs["above_level"]  # station staff at streets and communities, members reporting to a community
    71
    """
    require(net, tables=("people",))
    when = net.resolve_as_of(as_of)
    p = _placed(net, when)
    places = _areas(net, level)
    key = net.ancestor(pd.Series(p["area"].to_numpy(), index=p.index), level).to_numpy(dtype=object)
    inside = pd.notna(key)
    counts = (pd.crosstab(key[inside], p["role"].to_numpy()[inside], values=p["count"].to_numpy()[inside],
                          aggfunc="sum")
              if inside.any() else pd.DataFrame())
    out = pd.DataFrame(index=places.index)
    out["name"] = places["name"]
    for role in ROLES:
        col = counts[role] if role in counts else pd.Series(dtype=float)
        out[role] = col.reindex(out.index).fillna(0).astype("int64").to_numpy()
    out["total"] = out[list(ROLES)].sum(axis=1).astype("int64")
    out["population"] = _population(net, level).reindex(out.index).astype("Int64")
    pop = out["population"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["per_1000"] = np.where(pop > 0, 1000.0 * out["total"].to_numpy() / pop, np.nan)
    posts = pd.Series(p["posts"].to_numpy()[inside]).groupby(key[inside]).sum() if inside.any() else pd.Series()
    out["posts"] = posts.reindex(out.index).fillna(0).astype("int64").to_numpy()
    out.attrs = {"func": "people_by_area", "level": level, "as_of": when,
                 "above_level": int(p["count"].to_numpy()[~inside].sum())}
    return out


@validate_params(net=Network(), grid_workers_per_grid=Integer(0), staff_per_station=Integer(0),
                 building_heads_per_building=Integer(0), as_of=[Date(), None])
def rule_gaps(net: OrgNetwork, *, grid_workers_per_grid: int = 1, staff_per_station: int = 2,
              building_heads_per_building: int = 1, as_of=None) -> pd.DataFrame:
    """Places and stations short of a staffing rule of the practice.

    The rules: every grid has ``grid_workers_per_grid`` full-time grid workers
    (专职网格员, placed in the grid or below), every service station has
    ``staff_per_station`` people staffing it (any role, rows naming the
    station), every building has ``building_heads_per_building`` building heads
    (楼栋长). A rule set to 0 is not checked.

    Parameters
    ----------
    net : OrgNetwork
    grid_workers_per_grid, staff_per_station, building_heads_per_building : int
        The required numbers (defaults 1, 2 and 1).
    as_of : date-like, optional
        Count people in place at this date. Default: the network's ``as_of``.

    Returns
    -------
    DataFrame
        One row per place or station short of its rule, indexed by its id
        (grids, then stations, then buildings, each in table order): ``name``,
        ``kind`` (``area`` or ``station``), ``rule`` (the parameter's name),
        ``required``, ``actual``, ``short`` (``required - actual`` > 0).

    Raises
    ------
    OrgnetMissingDataError
        The network has no ``people`` table (every place would be short).

    Examples
    --------
    >>> import orgnet
    >>> gaps = orgnet.staffing.rule_gaps(orgnet.datasets.load("demo"))
    >>> gaps[["rule", "required", "actual"]].to_dict("index")  # doctest: +NORMALIZE_WHITESPACE
    {'G134': {'rule': 'grid_workers_per_grid', 'required': 1, 'actual': 0},
     'G233': {'rule': 'grid_workers_per_grid', 'required': 1, 'actual': 0},
     'T4': {'rule': 'staff_per_station', 'required': 2, 'actual': 1},
     'T5': {'rule': 'staff_per_station', 'required': 2, 'actual': 0},
     'B12112': {'rule': 'building_heads_per_building', 'required': 1, 'actual': 0}}
    """
    require(net, tables=("people",))
    when = net.resolve_as_of(as_of)
    p = _placed(net, when)
    parts = []

    def area_rule(level, role, required, rule):
        if not required:
            return
        places = _areas(net, level)
        mine = p[(p["role"] == role).to_numpy()]
        key = net.ancestor(pd.Series(mine["area"].to_numpy(), index=mine.index), level)
        actual = mine["count"].groupby(key.to_numpy(dtype=object)).sum().reindex(places.index).fillna(0)
        parts.append(pd.DataFrame({"name": places["name"], "kind": "area", "rule": rule, "required": required,
                                   "actual": actual.astype("int64").to_numpy()}, index=places.index))

    area_rule("grid", "grid_worker", grid_workers_per_grid, "grid_workers_per_grid")
    if staff_per_station:
        st = net.stations
        actual = p["count"].groupby(p["station"].to_numpy(dtype=object)).sum().reindex(st.index).fillna(0)
        parts.append(pd.DataFrame({"name": st["name"], "kind": "station", "rule": "staff_per_station",
                                   "required": staff_per_station, "actual": actual.astype("int64").to_numpy()},
                                  index=st.index))
    area_rule("building", "building_head", building_heads_per_building, "building_heads_per_building")
    cols = ["name", "kind", "rule", "required", "actual", "short"]
    if not parts:
        out = pd.DataFrame(columns=cols)
    else:
        out = pd.concat(parts)
        out["short"] = out["required"] - out["actual"]
        out = out[(out["short"] > 0).to_numpy()][cols]
    out.index.name = "id"
    out.attrs = {"func": "rule_gaps", "as_of": when, "grid_workers_per_grid": grid_workers_per_grid,
                 "staff_per_station": staff_per_station, "building_heads_per_building": building_heads_per_building}
    return out


@validate_params(net=Network(), level=Level(), as_of=[Date(), None])
def dual_reporting(net: OrgNetwork, *, level: str = "community", as_of=None) -> pd.DataFrame:
    """In-service members reporting to their residential community (在职党员双报到).

    Parameters
    ----------
    net : OrgNetwork
    level : str, default "community"
        The areas to report.
    as_of : date-like, optional
        Count people in place, and organisations established, at this date.

    Returns
    -------
    DataFrame
        Indexed by the areas of ``level``: ``name``; ``members`` (in-service
        members placed in the area or below); ``in_grid`` (those placed in a
        grid or an area below a grid) and ``grid_share`` (``in_grid / members``,
        NaN without members); ``posts`` (service posts claimed) and
        ``posts_per_member``; ``units`` (units located in the area that have
        Party members: ``party_members`` > 0 or an organisation of their own);
        ``units_reporting`` (of those, units whose members report somewhere:
        the source of an in-service member row); ``reporting_nowhere`` (the
        others' ids, comma-separated, or None).
        ``attrs["reporting_nowhere"]``: the number of such units in the whole network.

    Raises
    ------
    OrgnetMissingDataError
        The network has no ``people`` table.

    Examples
    --------
    >>> import orgnet
    >>> dr = orgnet.staffing.dual_reporting(orgnet.datasets.load("demo"))
    >>> dr.loc[["C11", "C12"], ["members", "in_grid", "posts", "units", "units_reporting"]].values.tolist()
    [[12, 12, 10, 5, 1], [20, 0, 18, 6, 1]]
    >>> dr.loc["C11", "reporting_nowhere"], dr.attrs["reporting_nowhere"]
    ('U06,U10,U21,U25', 23)
    """
    require(net, tables=("people",))
    when = net.resolve_as_of(as_of)
    p = _placed(net, when)
    m = p[(p["role"] == "in_service_member").to_numpy()]
    places = _areas(net, level)
    key = net.ancestor(pd.Series(m["area"].to_numpy(), index=m.index), level).to_numpy(dtype=object)
    rank = {lv: i for i, lv in enumerate(schema.LEVELS)}
    deep = net.areas["level"].astype(object).map(rank).reindex(m["area"].to_numpy()).to_numpy(dtype=float)
    in_grid = deep >= rank["grid"]
    out = pd.DataFrame(index=places.index)
    out["name"] = places["name"]

    def total(values):
        return pd.Series(values).groupby(key).sum().reindex(out.index).fillna(0).astype("int64").to_numpy()

    out["members"] = total(m["count"].to_numpy())
    out["in_grid"] = total(np.where(in_grid, m["count"].to_numpy(), 0))
    out["posts"] = total(m["posts"].to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        mem = out["members"].to_numpy(dtype=float)
        out["grid_share"] = np.where(mem > 0, out["in_grid"] / mem, np.nan)
        out["posts_per_member"] = np.where(mem > 0, out["posts"] / mem, np.nan)
    u = net.units
    orgs = net.organisations_at(when)
    own = set(orgs.loc[(orgs["scope"] == "unit").to_numpy(), "unit"].dropna().astype(object))
    has_members = (u["party_members"].fillna(0) > 0).to_numpy() | u.index.isin(list(own))
    units = u[has_members]
    reporting = units.index.isin(list(set(m["source"].dropna())))
    ukey = net.ancestor(units["area"], level).to_numpy(dtype=object)
    ids = units.index.to_numpy(dtype=object)
    out["units"] = pd.Series(np.ones(len(ids), dtype=int)).groupby(ukey).sum().reindex(out.index).fillna(0) \
        .astype("int64").to_numpy()
    out["units_reporting"] = pd.Series(reporting.astype(int)).groupby(ukey).sum().reindex(out.index).fillna(0) \
        .astype("int64").to_numpy()
    nowhere = pd.Series(ids[~reporting]).groupby(ukey[~reporting]).agg(lambda s: ",".join(sorted(s)))
    out["reporting_nowhere"] = pd.array(nowhere.reindex(out.index).to_numpy(dtype=object), dtype=schema.TEXT_DTYPE)
    out = out[["name", "members", "in_grid", "grid_share", "posts", "posts_per_member", "units",
               "units_reporting", "reporting_nowhere"]]
    out.attrs = {"func": "dual_reporting", "level": level, "as_of": when,
                 "reporting_nowhere": int((~reporting).sum())}
    return out
