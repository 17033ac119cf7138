"""Which places are a vacuum, and why: places no organisation, service or tie reaches.

- :func:`vacuum_areas` — grids and compounds (or any levels) with their reasons;
- :func:`vacuum_summary` — counts and residents (each once) by reason per street or community;
- :func:`vacuum_leaf_population` — the residents of the vacuum places, each once;
- :func:`service_circles` — each located station with its service radius;
- :func:`populated_leaves` — the populated leaf areas with coordinates, where
  residents are counted once (also what :mod:`~orgnet.vacuum.siting` and
  :mod:`~orgnet.vacuum.accessibility` count).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema
from .._params import Date, Instance, Level, Levels, Network, Real, validate_params
from ..algorithms.covering import served
from ..coverage import unit_coverage
from ..network import OrgNetwork

__all__ = [
    "REASONS",
    "reasons_of",
    "DEFAULT_RADIUS_M",
    "vacuum_areas",
    "vacuum_summary",
    "vacuum_leaf_population",
    "service_circles",
    "populated_leaves",
]

#: vacuum reasons, in the order they are listed; ``unstaffed`` only with a people table
REASONS = ("no_organisation", "three_no", "no_service", "sector_gap", "unlinked", "unstaffed")


@validate_params(result=Instance(pd.DataFrame, "a vacuum_areas or vacuum_summary result"))
def reasons_of(result: pd.DataFrame) -> list[str]:
    """The reasons a :func:`vacuum_areas` or :func:`vacuum_summary` result holds, in :data:`REASONS` order
    (``unstaffed`` is there only when the network has a ``people`` table); a list, so that
    ``va[reasons_of(va)]`` selects those columns.

    Examples
    --------
    >>> import orgnet
    >>> va = orgnet.vacuum.vacuum_areas(orgnet.datasets.load("demo"))
    >>> orgnet.vacuum.reasons_of(va)
    ['no_organisation', 'three_no', 'no_service', 'sector_gap', 'unlinked', 'unstaffed']
    >>> va[orgnet.vacuum.reasons_of(va)].shape[1]
    6
    """
    return [r for r in REASONS if r in result.columns]

#: a station's service radius in metres where its ``radius_m`` is empty (the
#: ten-minute service circle 十分钟便民服务圈)
DEFAULT_RADIUS_M = schema.TABLES["stations"].column("radius_m").default

_GRID_RANK = schema.LEVELS.index("grid")
_RADIUS = [Real(0, exclusive=True), None]


@validate_params(net=Network(), radius_m=_RADIUS)
def service_circles(net: OrgNetwork, *, radius_m: float | None = None) -> pd.DataFrame:
    """Each located service station with the radius it serves.

    Parameters
    ----------
    net : OrgNetwork
    radius_m : float, optional
        One radius in metres for every station. Default: each station's own
        ``radius_m``, :data:`DEFAULT_RADIUS_M` (1000 m) where empty.

    Returns
    -------
    DataFrame
        Indexed by station id, for the stations with a location
        (:attr:`OrgNetwork.locations`: their own coordinates or their area's):
        ``lon``, ``lat``, ``radius_m``. ``attrs["unlocated"]``: how many
        stations have no location and are left out.

    Examples
    --------
    >>> import orgnet
    >>> net = orgnet.datasets.load("demo")
    >>> c = orgnet.vacuum.service_circles(net)
    >>> len(c), c.attrs["unlocated"], c.loc[["T4", "T5"], "radius_m"].tolist()
    (6, 0, [1500.0, 500.0])
    """
    st = net.stations
    loc = net.locations.reindex(st.index)
    ok = (loc["lon"].notna() & loc["lat"].notna()).to_numpy()
    radius = st["radius_m"].fillna(DEFAULT_RADIUS_M).to_numpy(dtype=float)
    if radius_m is not None:
        radius = np.full(len(st), float(radius_m))
    out = pd.DataFrame({"lon": loc["lon"].to_numpy(dtype=float)[ok], "lat": loc["lat"].to_numpy(dtype=float)[ok],
                        "radius_m": radius[ok]}, index=st.index[ok])
    out.attrs.update(func="service_circles", radius_m=radius_m, unlocated=int((~ok).sum()))
    return out


@validate_params(net=Network())
def populated_leaves(net: OrgNetwork) -> pd.DataFrame:
    """The populated leaf areas with coordinates: where residents are counted once.

    Returns
    -------
    DataFrame
        The rows of :attr:`OrgNetwork.leaf_areas` with population > 0 and
        both coordinates. ``attrs["unlocated_population"]``: residents of
        populated leaf areas without coordinates, left out.

    Examples
    --------
    >>> import orgnet
    >>> leaves = orgnet.vacuum.populated_leaves(orgnet.datasets.load("demo"))
    >>> len(leaves), int(leaves["population"].sum()), leaves.attrs["unlocated_population"]
    (27, 17153, 0.0)
    """
    leaf = net.leaf_areas
    leaf = leaf[leaf["population"].fillna(0).gt(0).to_numpy()]
    located = (leaf["lon"].notna() & leaf["lat"].notna()).to_numpy()
    out = leaf[located].copy()
    out.attrs = {"func": "populated_leaves",
                 "unlocated_population": float(leaf[~located]["population"].sum())}
    return out


@validate_params(net=Network(), levels=Levels(), radius_m=_RADIUS, as_of=[Date(), None])
def vacuum_areas(net: OrgNetwork, *, levels=("grid", "compound"), radius_m: float | None = None,
                 as_of=None) -> pd.DataFrame:
    """Places at the given levels with the reasons they are a vacuum.

    Parameters
    ----------
    net : OrgNetwork
    levels : str or sequence of str, default ("grid", "compound")
        Area levels to report (one row per area of these levels).
    radius_m : float, optional
        Service radius in metres applied to every station. Default: each
        station's own ``radius_m`` (1000 m where empty — the ten-minute service
        circle 十分钟便民服务圈).
    as_of : date-like, optional
        Date at which organisations must exist and ties be active. Default:
        the network's ``as_of``.

    Returns
    -------
    DataFrame
        Indexed by area id: ``name``, ``level``, ``street``, ``community``,
        ``population``, one nullable boolean column per reason, ``vacuum``
        (any reason true), ``reasons`` (the true reasons, comma-separated) and
        ``unknown`` (reasons that could not be decided, comma-separated). Reasons:

        - ``no_organisation`` — no territorial organisation seated in the place,
          nor in an ancestor down from grid level (a compound is reached by its
          grid's branch; a building by its compound's or grid's organisation);
        - ``three_no`` — a compound with no property management, no supervising
          department and no security (三无小区); NA when a flag is empty and none
          is true; always false for other levels;
        - ``no_service`` — the centroid is farther from every station than that
          station's radius; NA when the place has no coordinates;
        - ``sector_gap`` — it contains an emerging-sector unit whose coverage
          (:func:`~orgnet.coverage.unit_coverage`) is ``none``;
        - ``unlinked`` — no territorial organisation seated in its community
          (the community or any area in it) holds an active ``co_building`` tie;
          NA for places outside any community;
        - ``unstaffed`` — only when the network has a ``people`` table: a grid
          with nobody in place at ``as_of`` (no row of any role placed in the
          grid or below, :meth:`OrgNetwork.people_at`); always false for other
          levels. Without the table the column is absent and every result is
          as it was.

    See Also
    --------
    vacuum_summary : the same rolled up per street or community.

    Notes
    -----
    Table joins plus one radius search (:func:`orgnet.algorithms.served`: a k-d tree over
    the places on the unit sphere, queried with each station's own radius):
    O((places + stations) log places + pairs).

    Examples
    --------
    >>> import orgnet
    >>> net = orgnet.datasets.load("demo")
    >>> va = orgnet.vacuum.vacuum_areas(net)
    >>> va.loc["G214", "reasons"]
    'no_organisation, sector_gap'
    >>> int(va["vacuum"].sum()), len(va), int(va["no_service"].sum())
    (27, 44, 13)
    >>> sorted(va.index[va["three_no"].fillna(False).to_numpy(bool)])
    ['Q1131', 'Q1321', 'Q2231']
    """
    when = net.resolve_as_of(as_of)
    a = net.areas
    paths = net.area_paths
    places = a[a["level"].isin(levels).to_numpy()]
    ids = places.index
    n = len(ids)

    # no_organisation: a territorial organisation at the place or an ancestor from grid level down
    orgs = net.organisations_at(when)
    terr = orgs[(orgs["scope"] == "territorial").to_numpy()]
    seated = set(terr["area"].astype(object))
    reached = ids.isin(seated)  # hash-based (np.isin sorts object arrays)
    rank = places["level"].astype(object).map({lv: i for i, lv in enumerate(schema.LEVELS)}).to_numpy()
    for lv in schema.LEVELS[_GRID_RANK:]:
        lv_rank = schema.LEVELS.index(lv)
        anc = paths.loc[ids, lv].to_numpy(dtype=object)
        use = (rank >= _GRID_RANK) & (lv_rank <= rank)
        reached |= use & pd.Series(anc).isin(seated).to_numpy()
    no_org = ~reached

    # three_no
    is_compound = (places["level"] == "compound").to_numpy()
    flags = places[["property_management", "supervisor", "security"]]
    any_true = flags.fillna(False).any(axis=1).to_numpy()
    all_false = (~flags.fillna(True)).all(axis=1).to_numpy()
    three_no = pd.array(np.where(is_compound, all_false, False), dtype="boolean")
    three_no[is_compound & ~any_true & ~all_false] = pd.NA

    # no_service
    circles = service_circles(net, radius_m=radius_m)
    located = (places["lon"].notna() & places["lat"].notna()).to_numpy()
    reached_by_station = np.zeros(n, dtype=bool)
    reached_by_station[located] = served(places["lon"].to_numpy(float)[located],
                                         places["lat"].to_numpy(float)[located],
                                         circles["lon"].to_numpy(), circles["lat"].to_numpy(),
                                         circles["radius_m"].to_numpy())
    no_service = pd.array(~reached_by_station, dtype="boolean")
    no_service[~located] = pd.NA

    # sector_gap
    uc = unit_coverage(net, as_of=when) if len(net.units) else None
    sector_gap = np.zeros(n, dtype=bool)
    if uc is not None:
        gap_units = uc[(uc["sector"].notna() & (uc["coverage"] == "none")).to_numpy()]
        if len(gap_units):
            gpaths = paths.loc[gap_units["area"].astype(object)]
            holders = set()
            for lv in levels:
                holders.update(gpaths[lv].dropna())
            sector_gap = ids.isin(holders)

    # unlinked
    co = net.active_ties(when, kinds="co_building")
    ends = set(co["source"].astype(object)) | set(co["target"].astype(object))
    linked_orgs = terr[terr.index.isin(ends)]
    linked_comm = set(paths.loc[linked_orgs["area"].astype(object), "community"].dropna())
    comm = paths.loc[ids, "community"]
    unlinked = pd.array(~comm.isin(linked_comm).to_numpy(), dtype="boolean")
    unlinked[comm.isna().to_numpy()] = pd.NA

    reasons = pd.DataFrame({
        "no_organisation": pd.array(no_org, dtype="boolean"),
        "three_no": three_no,
        "no_service": no_service,
        "sector_gap": pd.array(sector_gap, dtype="boolean"),
        "unlinked": unlinked,
    }, index=ids)

    # unstaffed (the activity layer): a grid with nobody placed in it or below
    if len(net.people):
        placed = net.people_at(when)
        staffed = set(paths.loc[placed["area"].astype(object), "grid"].dropna())
        is_grid = (places["level"] == "grid").to_numpy()
        reasons["unstaffed"] = pd.array(is_grid & ~ids.isin(staffed), dtype="boolean")
    true = reasons.fillna(False).astype(bool)
    unknown = reasons.isna()
    names = np.array(list(reasons.columns), dtype=object)
    out = pd.DataFrame({
        "name": places["name"],
        "level": places["level"],
        "street": paths.loc[ids, "street"],
        "community": comm,
        "population": places["population"],
    }, index=ids)
    out = pd.concat([out, reasons], axis=1)
    out["vacuum"] = true.any(axis=1).to_numpy()
    out["reasons"] = pd.array([", ".join(names[r]) for r in true.to_numpy()], dtype=schema.TEXT_DTYPE)
    out["unknown"] = pd.array([", ".join(names[r]) for r in unknown.to_numpy()], dtype=schema.TEXT_DTYPE)
    out.attrs.update(func="vacuum_areas", as_of=when, levels=levels, radius_m=radius_m,
                     stations_without_location=circles.attrs["unlocated"],
                     places_without_location=int((~located).sum()))
    return out


def _leaf_hits(net: OrgNetwork, va: pd.DataFrame, flag: pd.Series) -> np.ndarray:
    """Boolean per leaf area (``net.leaf_areas`` order): it is, or lies in, a place of ``va``
    where ``flag`` is true — so a resident of a flagged compound in a flagged grid counts once."""
    leaves = net.leaf_areas
    paths = net.area_paths.loc[leaves.index]
    hit_places = set(va.index[flag.fillna(False).to_numpy(dtype=bool)])
    inside = np.zeros(len(leaves), dtype=bool)
    for lv in dict.fromkeys(va["level"].astype(object)):
        inside |= paths[lv].isin(hit_places).to_numpy()
    return inside


@validate_params(net=Network(), va=Instance(pd.DataFrame, "a DataFrame returned by vacuum_areas"))
def vacuum_leaf_population(net: OrgNetwork, va: pd.DataFrame) -> pd.Series:
    """Population of the leaf areas lying in a vacuum place of ``va``: each resident counted once.

    Parameters
    ----------
    net : OrgNetwork
    va : DataFrame
        The output of :func:`vacuum_areas` on ``net``.

    Returns
    -------
    Series
        Indexed by leaf area id (:attr:`OrgNetwork.leaf_areas`): the population
        (empty as 0) of each leaf that is, or lies in, a place of ``va`` whose
        ``vacuum`` is true. Its sum is ``vacuum_summary(...).attrs["vacuum_population"]``.

    Notes
    -----
    One pass over the leaf areas per level of ``va``: O(leaves × levels).

    Examples
    --------
    >>> import orgnet
    >>> net = orgnet.datasets.load("demo")
    >>> int(orgnet.vacuum.vacuum_leaf_population(net, orgnet.vacuum.vacuum_areas(net)).sum())
    10448
    """
    hit = _leaf_hits(net, va, va["vacuum"])
    return net.leaf_areas["population"].fillna(0).astype(float)[hit]


@validate_params(net=Network(), by=Level(), levels=Levels(), radius_m=_RADIUS, as_of=[Date(), None])
def vacuum_summary(net: OrgNetwork, *, by: str = "street", levels=("grid", "compound"),
                   radius_m: float | None = None, as_of=None) -> pd.DataFrame:
    """Counts of vacuum places and their residents by reason, per area of a level.

    The figures an organisation department reports ("three-no compounds 526 → 66").

    Parameters
    ----------
    net : OrgNetwork
    by : str, default "street"
        Area level of the rows (e.g. ``district``, ``street``, ``community``).
    levels, radius_m, as_of
        As in :func:`vacuum_areas`.

    Returns
    -------
    DataFrame
        Indexed by the areas of level ``by``: ``name``, ``places`` and
        ``vacuum`` (places of ``levels`` in the area, and how many are a
        vacuum), ``vacuum_population``, ``residents``,
        ``vacuum_population_share``, and per reason ``<reason>`` (places) and
        ``<reason>_population`` (residents). ``attrs`` adds the totals over the
        whole network: ``vacuum_population`` and ``residents``.

    Notes
    -----
    Residents are counted once, where they live: in a leaf area (an area with
    no child area, :attr:`OrgNetwork.leaf_areas`), empty populations as 0.
    ``residents`` is the population of the leaf areas in the row's area;
    ``vacuum_population`` is the population of those leaf areas that are, or
    lie in, a vacuum place — a compound that is a vacuum inside a grid that is
    a vacuum counts its residents once, and the whole population of a vacuum
    grid counts even where its compounds are not a vacuum.
    ``vacuum_population_share`` is ``vacuum_population / residents`` (NaN
    where the area has no residents). ``<reason>_population`` is counted the
    same way over the places with that reason, so a resident counts once per
    reason and the reasons of one row may add up to more than
    ``vacuum_population``. Place counts count places, so a grid and its
    compound count two. One pass over the leaf areas per reason:
    O(leaves × levels).

    See Also
    --------
    vacuum_areas : the places and their reasons.

    Examples
    --------
    >>> import orgnet
    >>> net = orgnet.datasets.load("demo")
    >>> s = orgnet.vacuum.vacuum_summary(net, by="street")
    >>> s.loc["S2", ["places", "vacuum", "vacuum_population", "residents"]].tolist()
    [21, 17, 6988, 8548]
    >>> round(float(s.loc["S2", "vacuum_population_share"]), 4)
    0.8175
    """
    va = vacuum_areas(net, levels=levels, radius_m=radius_m, as_of=as_of)
    index = net.areas.index[(net.areas["level"] == by).to_numpy()]

    # places, counted per place
    key = net.area_paths.loc[va.index, by].to_numpy(dtype=object)
    places = pd.DataFrame({"key": key, "places": 1, "vacuum": va["vacuum"].to_numpy(dtype=int)})
    present = reasons_of(va)
    for r in present:
        places[r] = va[r].fillna(False).to_numpy(dtype=int)
    places = places[pd.notna(places["key"])].groupby("key").sum()

    # residents, counted once at their leaf area
    leaves = net.leaf_areas
    lpop = leaves["population"].fillna(0).astype("int64").to_numpy()
    vac_hit = _leaf_hits(net, va, va["vacuum"])
    people = pd.DataFrame({"key": net.area_paths.loc[leaves.index, by].to_numpy(dtype=object),
                           "vacuum_population": np.where(vac_hit, lpop, 0), "residents": lpop})
    for r in present:
        people[f"{r}_population"] = np.where(_leaf_hits(net, va, va[r]), lpop, 0)
    people_by = people[pd.notna(people["key"])].groupby("key").sum()

    out = pd.DataFrame(index=index)
    out.insert(0, "name", net.areas["name"].reindex(index).to_numpy())
    out["places"] = places["places"].reindex(index, fill_value=0)
    out["vacuum"] = places["vacuum"].reindex(index, fill_value=0)
    out["vacuum_population"] = people_by["vacuum_population"].reindex(index, fill_value=0)
    out["residents"] = people_by["residents"].reindex(index, fill_value=0)
    res = out["residents"].astype(float)
    out["vacuum_population_share"] = (out["vacuum_population"] / res.where(res > 0)).astype(float)
    for r in present:
        out[r] = places[r].reindex(index, fill_value=0)
        out[f"{r}_population"] = people_by[f"{r}_population"].reindex(index, fill_value=0)
    out.index.name = by
    out.attrs.update(va.attrs, func="vacuum_summary", by=by, vacuum_population=int(lpop[vac_hit].sum()),
                     residents=int(lpop.sum()))
    return out
