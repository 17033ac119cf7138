"""Where new service stations should stand: the maximal covering location problem
on the network's residents.

- :func:`suggest_stations` — up to ``k`` new stations (at grids and communities by
  default) covering the most residents now unserved, stopping when a site adds nobody;
- :func:`maximal_covering` — the same on plain coordinates (points and sites tables).

Both build a coverage matrix with :func:`orgnet.algorithms.coverage_matrix` and
solve it with :func:`orgnet.algorithms.maximal_covering`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._params import (Ids, Instance, Integer, Levels, Network, Options, Real, Text, current_function,
                       validate_params)
from ..algorithms import covering
from ..errors import OrgnetParameterError
from ..network import OrgNetwork
from .places import populated_leaves, service_circles

__all__ = ["suggest_stations", "maximal_covering"]

_FRAME = Instance(pd.DataFrame, "a DataFrame")
_SOLVER = {"k": Integer(0), "radius_m": Real(0, exclusive=True), "method": Options("greedy", "exact"),
           "time_limit": Real(0, exclusive=True)}


def _solve(points, sites, k, radius_m, weight, method, time_limit, pad):
    """Check the tables, build the coverage matrix (points x sites) and solve: (picks, result, A, w)."""
    func = current_function()
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
    A = covering.coverage_matrix(points["lon"].to_numpy(float), points["lat"].to_numpy(float),
                                 sites["lon"].to_numpy(float), sites["lat"].to_numpy(float), radius_m)
    res = covering.maximal_covering(w, A, k, method=method, time_limit=time_limit, pad=pad)
    order = res.sites
    out = pd.DataFrame({
        "site": sites.index.to_numpy(dtype=object)[order] if order else np.array([], dtype=object),
        "lon": sites["lon"].to_numpy(float)[order],
        "lat": sites["lat"].to_numpy(float)[order],
        "newly_covered": np.asarray(res.gains, dtype=float),
    }, index=pd.RangeIndex(1, len(order) + 1, name="rank"))
    out["cumulative_covered"] = out["newly_covered"].cumsum()
    out.attrs.update(func="maximal_covering", method=method, radius_m=radius_m, k=k, optimal=res.optimal,
                     covered=float(out["newly_covered"].sum()), total=float(w.sum()))
    return out, A, w


@validate_params(points=_FRAME, sites=_FRAME, weight=Text(), **_SOLVER)
def maximal_covering(points: pd.DataFrame, sites: pd.DataFrame, k: int, *, radius_m: float = 1000.0,
                     weight: str = "population", method: str = "greedy",
                     time_limit: float = 60.0) -> pd.DataFrame:
    """Choose ``k`` sites covering the largest total weight of points within ``radius_m``.

    The maximal covering location problem (Church & ReVelle 1974) on
    great-circle distances: :func:`orgnet.algorithms.coverage_matrix` and
    :func:`orgnet.algorithms.maximal_covering` on two tables.

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
        ``cumulative_covered`` (weights); all ``k`` sites, the last ones
        adding 0 when fewer help (see :func:`suggest_stations`, which stops
        there). ``attrs``: ``covered``, ``total``, ``method``, ``optimal``
        (True/False for exact, None for greedy).

    Raises
    ------
    OrgnetParameterError
        If ``k`` exceeds the number of sites, a table lacks ``lon``/``lat``,
        ``weight`` is not a column of ``points`` or holds empty or negative
        values.

    Notes
    -----
    O((points + sites) log points + pairs) for the coverage matrix, then
    O(k nnz) per greedy or swap pass; see :func:`orgnet.algorithms.maximal_covering`.

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

    On the demo, the compounds no station serves (the points) and the grid
    centroids (the sites): two grid posts would reach 4,138 of their residents.

    >>> import orgnet
    >>> net = orgnet.datasets.load("demo")
    >>> unserved = orgnet.vacuum.vacuum_areas(net, levels="compound")
    >>> grids = net.areas[net.areas["level"] == "grid"]
    >>> pts = net.areas.loc[unserved.index[unserved["no_service"].fillna(False).to_numpy(bool)]]
    >>> maximal_covering(pts, grids, 2, method="exact")[["site", "newly_covered"]].values.tolist()
    [['G134', 2980.0], ['G214', 1158.0]]
    """
    out, _, _ = _solve(points, sites, k, radius_m, weight, method, time_limit, pad=True)
    return out


@validate_params(net=Network(), candidates=[_FRAME, Ids(), None], levels=Levels(), **_SOLVER)
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

    Raises
    ------
    OrgnetParameterError
        If ``k`` exceeds the number of candidates, a candidate id is not an
        area with coordinates, or a candidates table lacks ``lon``/``lat``.

    See Also
    --------
    maximal_covering : the same on plain coordinates.
    orgnet.algorithms.maximal_covering : the solver, on a coverage matrix.

    Notes
    -----
    Served now: :func:`orgnet.algorithms.served` with each station's own
    radius (:func:`service_circles`); then the maximal covering problem on the
    unserved leaf areas (:func:`populated_leaves`) and the candidates.

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
    leaf = populated_leaves(net)
    circles = service_circles(net)
    now = covering.served(leaf["lon"].to_numpy(float), leaf["lat"].to_numpy(float), circles["lon"].to_numpy(),
                          circles["lat"].to_numpy(), circles["radius_m"].to_numpy())
    points = leaf[~now]
    points = pd.DataFrame({"lon": points["lon"].to_numpy(float), "lat": points["lat"].to_numpy(float),
                           "population": points["population"].to_numpy(dtype=float)}, index=points.index)
    a = net.areas
    if candidates is None:
        here = a["level"].isin(levels).to_numpy() & (a["lon"].notna() & a["lat"].notna()).to_numpy()
        cand = a[here][["lon", "lat"]]
    elif isinstance(candidates, pd.DataFrame):
        levels = None
        if not {"lon", "lat"} <= set(candidates.columns):
            raise OrgnetParameterError(
                f"The 'candidates' parameter of {current_function()} must have columns 'lon' and 'lat'.")
        cand = candidates[["lon", "lat"]]
    else:
        levels = None
        bad = [c for c in candidates if c not in a.index or pd.isna(a.at[c, "lon"]) or pd.isna(a.at[c, "lat"])]
        if bad:
            raise OrgnetParameterError(
                f"The 'candidates' parameter of {current_function()} must be area ids with coordinates. "
                f"Got {bad[0]!r} instead."
            )
        cand = a.loc[candidates, ["lon", "lat"]]
    # ties (sites reaching the same residents) go to the smallest id, whatever the tables' row order
    points = points.sort_index(kind="stable")
    cand = cand.sort_index(kind="stable")
    # the solver stops at the first site adding nobody (marginal gains only decrease: coverage is submodular)
    useful, reach, w = _solve(points, cand, k, radius_m, "population", method, time_limit, pad=False)
    reachable = np.asarray(reach.sum(axis=1)).ravel() > 0
    unreachable = float(w[~reachable].sum())
    note = None
    if len(useful) < k:
        cols = [cand.index.get_loc(x) for x in useful["site"]]
        covered = np.asarray(reach[:, cols].sum(axis=1)).ravel() > 0 if cols else np.zeros(len(w), dtype=bool)
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
    out.attrs.update(useful.attrs)
    out.attrs.update(func="suggest_stations", k=k, levels=levels, note=note,
                     covered=float(out["newly_covered"].sum()),
                     unserved_population=float(points["population"].sum()),
                     unreachable_population=unreachable,
                     unlocated_population=leaf.attrs["unlocated_population"])
    return out
