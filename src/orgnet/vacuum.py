"""Vacuum areas (真空/空白点/盲区): places no organisation, service or tie reaches,
and where new service stations would reach the most residents.

- :func:`vacuum_areas` — grids and compounds with a list of reasons;
- :func:`vacuum_summary` — counts and residents (each once) by reason per street or community;
- :func:`suggest_stations` — maximal covering: where up to ``k`` new stations (at
  grids and communities by default) cover the most residents now unserved (the
  "ten-minute service circle", 1 km), stopping when a site adds nobody;
- :func:`maximal_covering` — the same on plain coordinates;
- :func:`accessibility` — two-step floating catchment accessibility of stations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import schema
from ._geo import pairs_within
from ._params import check_choice, check_level, check_levels, check_number
from .errors import OrgnetParameterError
from .network import OrgNetwork
from .coverage import unit_coverage

__all__ = [
    "REASONS",
    "vacuum_areas",
    "vacuum_summary",
    "vacuum_leaf_population",
    "suggest_stations",
    "maximal_covering",
    "accessibility",
]

#: vacuum reasons, in the order they are listed
REASONS = ("no_organisation", "three_no", "no_service", "sector_gap", "unlinked")

_GRID_RANK = schema.LEVELS.index("grid")
DEFAULT_RADIUS_M = schema.TABLES["stations"].column("radius_m").default


def _station_points(net: OrgNetwork, radius_m=None):
    """Located stations with their service radius; also the count of unlocated ones."""
    st = net.stations
    loc = net.locations.reindex(st.index)
    ok = (loc["lon"].notna() & loc["lat"].notna()).to_numpy()
    radius = st["radius_m"].fillna(DEFAULT_RADIUS_M).to_numpy(dtype=float)
    if radius_m is not None:
        radius = np.full(len(st), float(radius_m))
    return (loc["lon"].to_numpy(dtype=float)[ok], loc["lat"].to_numpy(dtype=float)[ok], radius[ok],
            st.index[ok], int((~ok).sum()))


def _served(lon, lat, s_lon, s_lat, s_radius) -> np.ndarray:
    """Boolean per point: within some station's own radius."""
    served = np.zeros(len(lon), dtype=bool)
    if len(s_lon) == 0 or len(lon) == 0:
        return served
    i, j, d = pairs_within(lon, lat, s_lon, s_lat, float(s_radius.max()))
    hit = d <= s_radius[j]
    served[i[hit]] = True
    return served


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
          NA for places outside any community.

    See Also
    --------
    vacuum_summary : the same rolled up per street or community.

    Notes
    -----
    Table joins plus one k-d tree radius search on the unit sphere:
    O((places + stations) log stations + pairs).

    Examples
    --------
    >>> import orgnet
    >>> net = orgnet.datasets.load("demo")
    >>> va = orgnet.vacuum.vacuum_areas(net)
    >>> sorted(set(va["level"]))
    ['compound', 'grid']
    >>> bool((va["vacuum"] == va[list(orgnet.vacuum.REASONS)].fillna(False).any(axis=1)).all())
    True
    """
    func = "vacuum_areas"
    levels = check_levels(levels, "levels", func)
    check_number(radius_m, "radius_m", func, minimum=0, exclusive=True, allow_none=True)
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
    s_lon, s_lat, s_rad, _, unlocated_stations = _station_points(net, radius_m)
    located = (places["lon"].notna() & places["lat"].notna()).to_numpy()
    served = np.zeros(n, dtype=bool)
    served[located] = _served(places["lon"].to_numpy(float)[located], places["lat"].to_numpy(float)[located],
                              s_lon, s_lat, s_rad)
    no_service = pd.array(~served, dtype="boolean")
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
    true = reasons.fillna(False).astype(bool)
    unknown = reasons.isna()
    names = np.array(REASONS, dtype=object)
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
    out.attrs.update(func=func, as_of=when, levels=levels, radius_m=radius_m,
                     stations_without_location=unlocated_stations,
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


def vacuum_leaf_population(net: OrgNetwork, va: pd.DataFrame) -> pd.Series:
    """Population of the leaf areas lying in a vacuum place of ``va`` (the output of
    :func:`vacuum_areas`), indexed by leaf id: each resident counted once.

    >>> import orgnet
    >>> net = orgnet.datasets.load("demo")
    >>> int(orgnet.vacuum.vacuum_leaf_population(net, orgnet.vacuum.vacuum_areas(net)).sum())
    10448
    """
    hit = _leaf_hits(net, va, va["vacuum"])
    return net.leaf_areas["population"].fillna(0).astype(float)[hit]


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
    func = "vacuum_summary"
    check_level(by, "by", func)
    va = vacuum_areas(net, levels=levels, radius_m=radius_m, as_of=as_of)
    index = net.areas.index[(net.areas["level"] == by).to_numpy()]

    # places, counted per place
    key = net.area_paths.loc[va.index, by].to_numpy(dtype=object)
    places = pd.DataFrame({"key": key, "places": 1, "vacuum": va["vacuum"].to_numpy(dtype=int)})
    for r in REASONS:
        places[r] = va[r].fillna(False).to_numpy(dtype=int)
    places = places[pd.notna(places["key"])].groupby("key").sum()

    # residents, counted once at their leaf area
    leaves = net.leaf_areas
    lpop = leaves["population"].fillna(0).astype("int64").to_numpy()
    vac_hit = _leaf_hits(net, va, va["vacuum"])
    people = pd.DataFrame({"key": net.area_paths.loc[leaves.index, by].to_numpy(dtype=object),
                           "vacuum_population": np.where(vac_hit, lpop, 0), "residents": lpop})
    for r in REASONS:
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
    for r in REASONS:
        out[r] = places[r].reindex(index, fill_value=0)
        out[f"{r}_population"] = people_by[f"{r}_population"].reindex(index, fill_value=0)
    out.index.name = by
    out.attrs.update(va.attrs, func=func, by=by, vacuum_population=int(lpop[vac_hit].sum()),
                     residents=int(lpop.sum()))
    return out


# ------------------------------------------------------------------ maximal covering


def _coverage_matrix(p_lon, p_lat, c_lon, c_lat, radius_m):
    from scipy import sparse

    i, j, _ = pairs_within(p_lon, p_lat, c_lon, c_lat, radius_m)
    return sparse.csr_matrix((np.ones(len(i)), (j, i)), shape=(len(c_lon), len(p_lon)))


def _greedy(A, w, k):
    """Greedy maximal covering: k picks maximising newly covered weight."""
    covered = np.zeros(A.shape[1], dtype=bool)
    picks = []
    for _ in range(k):
        gain = A @ np.where(covered, 0.0, w)
        if picks:
            gain[picks] = -1.0
        j = int(np.argmax(gain))
        picks.append(j)
        covered |= A[j].toarray().ravel() > 0
    return picks


def _swap_improve(A, w, picks, max_passes=50):
    """1-swap local search: replace a pick by the candidate that adds most, while it helps."""
    picks = list(picks)
    for _ in range(max_passes):
        count = np.asarray(A[picks].sum(axis=0)).ravel()
        improved = False
        for pos, i in enumerate(list(picks)):
            row = A[i].toarray().ravel() > 0
            only_i = row & (count == 1)
            loss = float(w[only_i].sum())
            # gain of j after removing i: points uncovered, or covered only by i
            free = np.where((count == 0) | only_i, w, 0.0)
            gain = A @ free
            gain[picks] = -np.inf
            j = int(np.argmax(gain))
            if gain[j] > loss + 1e-9:
                picks[pos] = j
                count = np.asarray(A[picks].sum(axis=0)).ravel()
                improved = True
        if not improved:
            break
    return picks


def _exact(A, w, k, time_limit):
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp

    m, n = A.shape
    # variables: x (m sites, binary) then y (n points, continuous in [0, 1])
    c = np.concatenate([np.zeros(m), -w])
    # y_p - sum_j A[j, p] x_j <= 0
    cover = sparse.hstack([-A.T.tocsr(), sparse.identity(n, format="csr")]).tocsr()
    budget = sparse.hstack([sparse.csr_matrix(np.ones((1, m))), sparse.csr_matrix((1, n))]).tocsr()
    cons = [LinearConstraint(cover, -np.inf, 0), LinearConstraint(budget, -np.inf, k)]
    integrality = np.concatenate([np.ones(m), np.zeros(n)])
    res = milp(c, constraints=cons, integrality=integrality, bounds=Bounds(0, 1),
               options={"time_limit": float(time_limit), "disp": False})
    if res.x is None:
        raise OrgnetParameterError(
            f"The exact maximal covering found no solution within time_limit={time_limit} s "
            f"({res.message}); raise time_limit or use method='greedy'."
        )
    x = res.x[:m]
    picks = list(np.flatnonzero(x > 0.5))
    return picks, res


def _order_picks(A, w, picks):
    """Order chosen sites greedily (largest marginal gain first) and report the gains."""
    covered = np.zeros(A.shape[1], dtype=bool)
    left, order, gains = list(picks), [], []
    while left:
        g = [float(w[(A[j].toarray().ravel() > 0) & ~covered].sum()) for j in left]
        b = int(np.argmax(g))
        j = left.pop(b)
        order.append(j)
        gains.append(g[b])
        covered |= A[j].toarray().ravel() > 0
    return order, gains


def maximal_covering(points: pd.DataFrame, sites: pd.DataFrame, k: int, *, radius_m: float = 1000.0,
                     weight: str = "population", method: str = "greedy",
                     time_limit: float = 60.0) -> pd.DataFrame:
    """Choose ``k`` sites covering the largest total weight of points within ``radius_m``.

    The maximal covering location problem (Church & ReVelle 1974) on
    great-circle distances.

    Parameters
    ----------
    points : DataFrame
        Columns ``lon``, ``lat`` and ``weight`` (default ``population``).
    sites : DataFrame
        Candidate sites, columns ``lon``, ``lat``; the index names them.
    k : int
        Number of sites to choose (at most the number of candidate sites).
    radius_m : float, default 1000
        A point is covered by a site within this distance (metres).
    weight : str, default "population"
        Column of ``points`` holding the weights (>= 0).
    method : {"greedy", "exact"}, default "greedy"
        ``greedy``: greedy picks improved by 1-swap local search (fast; measured
        within about 1 % of optimal on city-sized instances). ``exact``: the
        integer programme solved by HiGHS (``scipy.optimize.milp``) within
        ``time_limit`` seconds; if the limit stops it, the best solution found
        is returned and ``result.attrs["optimal"]`` is False.
    time_limit : float, default 60
        Seconds allowed to the exact solver.

    Returns
    -------
    DataFrame
        One row per chosen site, in order of marginal gain, indexed 1..k
        (``rank``): ``site``, ``lon``, ``lat``, ``newly_covered`` and
        ``cumulative_covered`` (weights). ``attrs``: ``covered``, ``total``,
        ``method``, ``optimal`` (True/False for exact, None for greedy).

    References
    ----------
    .. [1] Church, R. & ReVelle, C. (1974). The maximal covering location
       problem. Papers of the Regional Science Association, 32(1), 101–118.

    Examples
    --------
    >>> import pandas as pd
    >>> from orgnet.vacuum import maximal_covering
    >>> pts = pd.DataFrame({"lon": [0, 0, 0.03], "lat": [0, 0.005, 0], "population": [10, 20, 5]})
    >>> sites = pd.DataFrame({"lon": [0, 0.03], "lat": [0.0025, 0]}, index=["A", "B"])
    >>> maximal_covering(pts, sites, 1, radius_m=500)[["site", "newly_covered"]].values.tolist()
    [['A', 30.0]]
    """
    func = "maximal_covering"
    check_choice(method, "method", func, ("greedy", "exact"))
    check_number(radius_m, "radius_m", func, minimum=0, exclusive=True)
    k = check_number(k, "k", func, minimum=0, integer=True)
    check_number(time_limit, "time_limit", func, minimum=0, exclusive=True)
    if k > len(sites):
        raise OrgnetParameterError(
            f"The 'k' parameter of {func} must be at most the number of candidate sites "
            f"({len(sites)}). Got {k} instead."
        )
    for col in ("lon", "lat"):
        if col not in points or col not in sites:
            raise OrgnetParameterError(f"points and sites of {func} need columns 'lon' and 'lat'.")
    if weight not in points:
        raise OrgnetParameterError(f"The 'weight' parameter of {func} must name a column of points. Got {weight!r}.")
    w = points[weight].to_numpy(dtype=float)
    if np.isnan(w).any() or (w < 0).any():
        raise OrgnetParameterError(f"The {weight!r} weights of {func} must be numbers >= 0 (no empty values).")
    A = _coverage_matrix(points["lon"].to_numpy(float), points["lat"].to_numpy(float),
                         sites["lon"].to_numpy(float), sites["lat"].to_numpy(float), radius_m)
    optimal = None
    if k == 0:
        picks = []
    elif method == "greedy":
        picks = _swap_improve(A, w, _greedy(A, w, k))
    else:
        picks, res = _exact(A, w, k, time_limit)
        optimal = bool(res.status == 0)
        if len(picks) < k:  # sites that add nothing: fill greedily so k sites are returned
            extra = [j for j in _greedy(A, w, k) if j not in picks]
            picks += extra[: k - len(picks)]
    order, gains = _order_picks(A, w, picks)
    out = pd.DataFrame({
        "site": sites.index.to_numpy(dtype=object)[order] if order else np.array([], dtype=object),
        "lon": sites["lon"].to_numpy(float)[order],
        "lat": sites["lat"].to_numpy(float)[order],
        "newly_covered": np.asarray(gains, dtype=float),
    }, index=pd.RangeIndex(1, len(order) + 1, name="rank"))
    out["cumulative_covered"] = out["newly_covered"].cumsum()
    out.attrs.update(func=func, method=method, radius_m=radius_m, k=k, optimal=optimal,
                     covered=float(out["newly_covered"].sum()), total=float(w.sum()))
    return out


def _leaf_population(net: OrgNetwork):
    """Populated leaf areas (no child areas) with their coordinates."""
    leaf = net.leaf_areas
    leaf = leaf[leaf["population"].fillna(0).gt(0).to_numpy()]
    located = (leaf["lon"].notna() & leaf["lat"].notna()).to_numpy()
    return leaf[located], leaf[~located]


def suggest_stations(net: OrgNetwork, k: int, *, radius_m: float = 1000.0, candidates=None,
                     levels=("grid", "community"), method: str = "greedy",
                     time_limit: float = 60.0) -> pd.DataFrame:
    """Where up to ``k`` new service stations would cover the most residents now unserved.

    Residents are counted at leaf areas (areas with no child area) at their
    centroids, so nobody is counted twice. A resident is served now if their
    leaf area lies within an existing station's own radius; the new stations
    each serve ``radius_m``. A site that would add nobody is not proposed: the
    picks stop there, so fewer than ``k`` rows come back when fewer sites help.

    Parameters
    ----------
    net : OrgNetwork
    k : int
        Largest number of new stations (at most the number of candidate sites).
    radius_m : float, default 1000
        Service radius of each new station (the 1 km "ten-minute circle").
    candidates : DataFrame or list of area ids, optional
        Candidate sites: a DataFrame with ``lon``, ``lat`` (index = site id),
        or area ids (their centroids), used as given. Default: the centroids of
        the areas of ``levels`` that have coordinates.
    levels : str or sequence of str, default ("grid", "community")
        Area levels where a station could stand, for the default candidates: a
        community service station (社区党群服务站) or a grid post, not the
        centroid of a whole street or district. Ignored when ``candidates`` is
        given.
    method : {"greedy", "exact"}, default "greedy"
        See :func:`maximal_covering`.
    time_limit : float, default 60
        Seconds allowed to the exact solver.

    Returns
    -------
    DataFrame
        One row per useful pick in order (index ``rank`` 1..n, n <= k):
        ``site``, ``area`` (the candidate's area, when it is one), ``name``,
        ``lon``, ``lat``, ``newly_covered`` (> 0), ``cumulative_covered``
        (residents). ``attrs``: ``k`` (asked), ``unserved_population`` before
        the new stations, ``unreachable_population`` (unserved residents no
        candidate reaches), ``unlocated_population`` (leaf areas without
        coordinates, left out), ``levels`` (None when ``candidates`` is given),
        ``method``, ``optimal`` and ``note`` (why fewer than ``k`` sites are
        proposed; None when ``k`` are).

    See Also
    --------
    maximal_covering : the same on plain coordinates.

    Examples
    --------
    >>> import orgnet
    >>> net = orgnet.datasets.load("demo")
    >>> picks = orgnet.vacuum.suggest_stations(net, 5)
    >>> picks[["site", "newly_covered"]].values.tolist()
    [['C13', 2980.0], ['C21', 1158.0], ['C12', 60.0]]
    >>> picks.attrs["unserved_population"], len(picks)
    (4198.0, 3)
    """
    func = "suggest_stations"
    check_number(radius_m, "radius_m", func, minimum=0, exclusive=True)
    leaf, unlocated = _leaf_population(net)
    s_lon, s_lat, s_rad, _, _ = _station_points(net)
    served = _served(leaf["lon"].to_numpy(float), leaf["lat"].to_numpy(float), s_lon, s_lat, s_rad)
    points = leaf[~served]
    points = pd.DataFrame({"lon": points["lon"].to_numpy(float), "lat": points["lat"].to_numpy(float),
                           "population": points["population"].to_numpy(dtype=float)}, index=points.index)
    a = net.areas
    if candidates is None:
        levels = check_levels(levels, "levels", func)
        here = a["level"].isin(levels).to_numpy() & (a["lon"].notna() & a["lat"].notna()).to_numpy()
        cand = a[here][["lon", "lat"]]
    elif isinstance(candidates, pd.DataFrame):
        levels = None
        if not {"lon", "lat"} <= set(candidates.columns):
            raise OrgnetParameterError(f"The 'candidates' parameter of {func} must have columns 'lon' and 'lat'.")
        cand = candidates[["lon", "lat"]]
    else:
        levels = None
        ids = list(candidates)
        bad = [c for c in ids if c not in a.index or pd.isna(a.at[c, "lon"]) or pd.isna(a.at[c, "lat"])]
        if bad:
            raise OrgnetParameterError(
                f"The 'candidates' parameter of {func} must be area ids with coordinates. Got {bad[0]!r} instead."
            )
        cand = a.loc[ids, ["lon", "lat"]]
    picks = maximal_covering(points, cand, k, radius_m=radius_m, method=method, time_limit=time_limit)
    # marginal gains come in decreasing order (coverage is submodular): drop the sites adding nobody
    useful = picks[picks["newly_covered"].to_numpy() > 0]
    reach = _coverage_matrix(points["lon"].to_numpy(float), points["lat"].to_numpy(float),
                             cand["lon"].to_numpy(float), cand["lat"].to_numpy(float), radius_m)
    w = points["population"].to_numpy(dtype=float)
    reachable = np.asarray(reach.sum(axis=0)).ravel() > 0
    unreachable = float(w[~reachable].sum())
    note = None
    if len(useful) < k:
        rows = [cand.index.get_loc(x) for x in useful["site"]]
        covered = np.asarray(reach[rows].sum(axis=0)).ravel() > 0 if rows else np.zeros(len(w), dtype=bool)
        left = float(w[reachable & ~covered].sum())
        why = ("no other candidate reaches anyone still unserved" if left == 0 else
               f"the solver stopped with {left:,.0f} reachable residents uncovered; raise time_limit")
        note = (f"Only {len(useful)} of the k={k} sites asked for add residents: {why}"
                + (f" ({unreachable:,.0f} unserved residents are beyond {radius_m:,.0f} m of every candidate)."
                   if unreachable else "."))
    out = useful.copy()
    site = out["site"].astype(object)
    out.insert(1, "area", site.where(site.isin(a.index), None))
    out.insert(2, "name", site.map(a["name"]))
    out.attrs.update(picks.attrs)
    out.attrs.update(func=func, k=k, levels=levels, note=note, covered=float(out["newly_covered"].sum()),
                     unserved_population=float(points["population"].sum()),
                     unreachable_population=unreachable,
                     unlocated_population=float(unlocated["population"].sum()))
    return out


# ------------------------------------------------------------------ accessibility


def accessibility(net: OrgNetwork, *, radius_m: float | None = None, method: str = "2sfca",
                  supply: str = "auto", standard: float | None = None) -> pd.DataFrame:
    """Two-step floating catchment (2SFCA) accessibility of service stations.

    Step 1: each station's supply-to-demand ratio ``R_j = S_j / Σ P_p`` over the
    populated places ``p`` within its catchment. Step 2: each place's
    accessibility ``A_p = Σ R_j`` over the stations within reach. Zero means no
    station in reach.

    Parameters
    ----------
    net : OrgNetwork
    radius_m : float, optional
        Catchment radius in metres applied to every station. Default: each
        station's own ``radius_m`` (1000 m where empty — the ten-minute service
        circle), as in :func:`vacuum_areas`.
    method : {"2sfca"}, default "2sfca"
        The method (Luo & Wang 2003).
    supply : {"auto", "floor_area", "count"}, default "auto"
        ``floor_area``: a station supplies its ``floor_area_m2``; ``count``: 1
        per station; ``auto``: floor area if every station has one, else count.
    standard : float, optional
        Accessibility below which a place counts as under-served;
        ``result.attrs["share_below_standard"]`` is the population-weighted
        share of such places. Default: places with zero accessibility.

    Returns
    -------
    DataFrame
        Indexed by populated leaf area with coordinates: ``name``,
        ``population``, ``stations_in_reach``, ``accessibility`` (supply per
        resident). ``attrs``: ``supply`` used, ``standard``,
        ``share_below_standard``, ``unlocated_population``.

    References
    ----------
    .. [1] Luo, W. & Wang, F. (2003). Measures of spatial accessibility to health
       care in a GIS environment. Environment and Planning B, 30(6), 865–884.

    Examples
    --------
    >>> import orgnet
    >>> acc = orgnet.vacuum.accessibility(orgnet.datasets.load("demo"))
    >>> acc.attrs["supply"], round(acc.attrs["share_below_standard"] * 17153)  # 17,153 residents
    ('floor_area', 4198)

    No station in reach for 4,198 residents, as in :func:`vacuum_areas`. One
    radius for all instead of each station's own (T4 1500 m, T5 500 m) moves
    G212 (80) out of reach and G122 (60) into it:

    >>> acc = orgnet.vacuum.accessibility(orgnet.datasets.load("demo"), radius_m=1000)
    >>> round(acc.attrs["share_below_standard"] * 17153)
    4218
    """
    func = "accessibility"
    check_choice(method, "method", func, ("2sfca",))
    check_choice(supply, "supply", func, ("auto", "floor_area", "count"))
    check_number(radius_m, "radius_m", func, minimum=0, exclusive=True, allow_none=True)
    check_number(standard, "standard", func, minimum=0, allow_none=True)
    leaf, unlocated = _leaf_population(net)
    st = net.stations
    s_lon, s_lat, s_rad, s_ids, _ = _station_points(net, radius_m)
    floor = st["floor_area_m2"].reindex(s_ids).to_numpy(dtype=float)
    if supply == "auto":
        supply = "floor_area" if len(floor) and not np.isnan(floor).any() else "count"
    if supply == "floor_area":
        if np.isnan(floor).any():
            missing = s_ids[np.isnan(floor)][0]
            raise OrgnetParameterError(
                f"supply='floor_area' of {func} needs floor_area_m2 for every station; "
                f"station {missing!r} has none. Use supply='count'."
            )
        S = floor
    else:
        S = np.ones(len(s_ids))
    P = leaf["population"].to_numpy(dtype=float)
    acc = np.zeros(len(leaf))
    reach = np.zeros(len(leaf), dtype=int)
    if len(s_ids) and len(leaf):
        i, j, d = pairs_within(leaf["lon"].to_numpy(float), leaf["lat"].to_numpy(float), s_lon, s_lat,
                               float(s_rad.max()))
        keep = d <= s_rad[j]
        i, j = i[keep], j[keep]
        demand = np.bincount(j, weights=P[i], minlength=len(s_ids))
        ratio = np.divide(S, demand, out=np.zeros(len(s_ids)), where=demand > 0)
        acc = np.bincount(i, weights=ratio[j], minlength=len(leaf))
        reach = np.bincount(i, minlength=len(leaf))
    out = pd.DataFrame({"name": leaf["name"], "population": leaf["population"],
                        "stations_in_reach": reach, "accessibility": acc}, index=leaf.index)
    below = (acc < standard) if standard is not None else (acc == 0)
    share = float(P[below].sum() / P.sum()) if P.sum() > 0 else float("nan")
    out.attrs.update(func=func, method=method, supply=supply, radius_m=radius_m, standard=standard,
                     share_below_standard=share, unlocated_population=float(unlocated["population"].sum()))
    return out
