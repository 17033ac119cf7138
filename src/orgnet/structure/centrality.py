"""Centrality: degree, strength, betweenness and eigenvector of organisations and units,
and the axis rank of committees."""

from __future__ import annotations

from datetime import date
from typing import Union

import numpy as np
import pandas as pd

from .._params import Instance, Integer, Network, Seed, validate_params
from ..algorithms import betweenness, degree, eigenvector, strength
from ..network import OrgNetwork
from .graphs import TIE_NETWORK_PARAMS, TieNetwork, entity_info, resolve_tie_network

__all__ = ['centrality']

#: what ``as_of`` accepts: a date, a Timestamp or an ISO string; None for the network's date
DateLike = Union[str, date, pd.Timestamp, None]


def _values(g, d: dict) -> np.ndarray:
    return np.fromiter(d.values(), dtype=float, count=g.n)


@validate_params(net=Network(), max_exact=Integer(0), k=Integer(1, exclusive=True), seed=Seed(),
                 graph=[Instance(TieNetwork, "a tie network from orgnet.structure.tie_network"), None],
                 **TIE_NETWORK_PARAMS)
def centrality(
    net: OrgNetwork,
    *,
    as_of: DateLike = None,
    weight: str | None = "strength",
    hierarchy: bool = True,
    max_exact: int = 2000,
    k: int = 100,
    seed: int | np.random.Generator = 0,
    weights: dict | None = None,
    half_life_days: float = 365.0,
    graph: TieNetwork | None = None,
) -> pd.DataFrame:
    """Degree, strength, betweenness and eigenvector centrality, and the axis role.

    The network is the active tie network plus (``hierarchy=True``) the
    organisation hierarchy (see the module documentation). Every
    organisation established by ``as_of`` and every unit is reported; areas
    named by ties are nodes of the network but are not reported.

    Parameters
    ----------
    net : OrgNetwork
    as_of : date-like, optional
        Date at which ties must be active and organisations established.
        Default: the network's ``as_of``.
    weight : {"strength", None}, default "strength"
        Edge weight for ``strength`` and ``eigenvector``: the pair strength of
        :func:`orgnet.linkage.tie_strength` (hierarchy edges weigh 1, and add
        to a tie between the same pair), or None for 1 on every edge.
    hierarchy : bool, default True
        Add the organisation hierarchy (``leads``: organisation ↔ leading
        organisation; ``belongs_to``: unit organisation ↔ its unit).
    max_exact : int, default 2000
        Betweenness is exact up to this many nodes, sampled above.
    k : int, default 100
        Number of pivot (source) nodes of sampled betweenness (> 1).
    seed : int or numpy Generator, default 0
        Seed of the pivot choice (:func:`orgnet.algorithms.pivots`, numpy's
        Generator from ``orgnet._params.as_rng(seed)``).
    weights, half_life_days
        Passed to :func:`orgnet.linkage.tie_table` (tie kind weights, decay).
    graph : TieNetwork, optional
        The tie network from :func:`orgnet.structure.tie_network`, built once
        for several analyses; it must have been built for ``net`` with the same
        ``as_of``, ``hierarchy`` and (with ``weight="strength"``) ``weights``
        and ``half_life_days``, else OrgnetParameterError. Default: built here.

    Returns
    -------
    DataFrame
        Indexed by organisation and unit id: ``kind``, ``name``, ``area``
        (seated area; a unit organisation without one: its unit's area);
        ``degree`` (distinct neighbours); ``strength`` (sum of edge weights);
        ``betweenness`` (normalised, on hop distances); ``eigenvector``;
        ``axis_rank`` — for territorial organisations seated at a street or
        community, the rank of their betweenness among all organisations and
        units located in that area's subtree (1 = most central; ties share the
        best rank), NaN for others; ``is_axis`` (``axis_rank == 1``).
        ``attrs`` holds the parameters, ``betweenness`` ("exact" or "sampled"),
        ``pivots``, ``nodes``, ``edges`` and ``notes``.

    See Also
    --------
    constraint : Burt's structural-hole measures on the same network.
    brokerage : Gould–Fernandez roles on the directed ties.

    Notes
    -----
    Thin over :mod:`orgnet.algorithms.centrality` on the coded tie network:
    :func:`~orgnet.algorithms.degree`, :func:`~orgnet.algorithms.strength`
    (row sums of the sparse adjacency, O(n + m)),
    :func:`~orgnet.algorithms.eigenvector` (the leading eigenvector of the
    whole weighted adjacency, ``scipy.sparse.linalg.eigsh``; dense ``eigh`` up
    to 500 nodes; non-negative with unit Euclidean norm as in networkx: nodes
    outside the component with the largest eigenvalue get (nearly) 0; NaN
    everywhere when the network has no edge) and
    :func:`~orgnet.algorithms.betweenness`.

    Betweenness [1]_ uses hop distances (every edge has length 1, whatever its
    strength): c_B(v) = Σ_{s≠v≠t} σ_st(v) / σ_st, normalised by
    (n − 1)(n − 2). It is computed with Brandes' algorithm [2]_ in its
    level-synchronous form: a batch of BFS sources at once as sparse × dense
    products, O(s D (n + m)) for s sources and searches of depth D. Up to
    ``max_exact`` nodes every node is a source; above, ``k`` pivots are drawn by
    :func:`orgnet.algorithms.pivots` (numpy's Generator of
    ``orgnet._params.as_rng(seed)``, the seed rule of all of orgnet) and the
    sums are scaled as networkx does (by 1 / (k (n − 2)), and 1 / ((k − 1)
    (n − 2)) for the pivots themselves), so the result equals
    ``networkx.betweenness_centrality(G, k=k)`` with the same sampled nodes
    on the graph with nodes in sorted-id order.

    References
    ----------
    .. [1] Freeman, L. C. (1977). A set of measures of centrality based on
       betweenness. Sociometry 40(1), 35–41.
    .. [2] Brandes, U. (2001). A faster algorithm for betweenness centrality.
       Journal of Mathematical Sociology 25(2), 163–177.

    Examples
    --------
    >>> import orgnet
    >>> from orgnet import structure
    >>> net = orgnet.datasets.load("demo")
    >>> c = structure.centrality(net)
    >>> c.attrs["betweenness"], c.attrs["nodes"], c.attrs["edges"]
    ('exact', 79, 118)
    >>> c.sort_values("betweenness", ascending=False).index[:3].tolist()
    ['O1', 'O3', 'OU01']

    Read with the meetings, the tax bureau's organisation OU01 — on the street's
    monthly conference and 春晖社区's — bridges more than the committees of 东湖街道
    (O2) and 春晖社区 (O11); the hospital's OU02 and the office tower's OS1,
    also on the street's conference, outrank 湖滨社区's committee (O12); in 园林社区
    (C21) the market-supervision bureau's organisation is more central:

    >>> c.index[c["axis_rank"] > 1].tolist()
    ['O11', 'O12', 'O2', 'O21']
    >>> c.loc[["O2", "O11", "O12"], "axis_rank"].tolist()
    [3.0, 2.0, 3.0]
    >>> c.loc[c["area"] == "C21"].sort_values("betweenness", ascending=False).index[0]
    'OU07'
    """
    when = net.as_of if as_of is None else as_of
    tn = resolve_tie_network(graph, net, as_of=when, weight=weight, hierarchy=hierarchy, weights=weights,
                             half_life_days=half_life_days)
    g, notes = tn.graph, tn.call_notes()

    deg = _values(g, degree(g))
    stren = _values(g, strength(g, weight=weight))
    b = betweenness(g, k=k, max_exact=max_exact, seed=seed)  # hop distances
    btw, mode, pivots = _values(g, b), b.method, b.k
    eig = _values(g, eigenvector(g, weight=weight))

    info = entity_info(net, g.ids)
    out = info.assign(degree=deg.astype(int), strength=stren, betweenness=btw, eigenvector=eig)
    out = out[out["kind"].isin(["organisation", "unit"]).to_numpy()]

    # axis: rank within the subtree of the street / community the committee sits at
    orgs = net.organisations_at(when)
    terr = orgs[(orgs["scope"] == "territorial").to_numpy()]
    seat = terr["area"].astype(object)
    seat_level = seat.map(net.areas["level"].astype(object))
    paths = net.area_paths
    axis = pd.Series(np.nan, index=out.index)
    for level in ("street", "community"):
        key = out["area"].map(paths[level]) if len(out) else pd.Series(dtype=object)
        has = key.notna().to_numpy()
        ranks = out.loc[has, "betweenness"].groupby(key[has].to_numpy()).rank(ascending=False, method="min")
        # a committee seated at this level lies in its own subtree, so it has a rank
        mine = seat.index[(seat_level == level).to_numpy()]
        mine = mine[mine.isin(ranks.index)]
        axis.loc[mine] = ranks.loc[mine].to_numpy()
    out["axis_rank"] = axis
    out["is_axis"] = (axis == 1).to_numpy()
    out.index.name = "id"
    out.attrs.update(func="centrality", as_of=when, weight=weight, hierarchy=hierarchy, max_exact=max_exact, k=k,
                     seed=seed, betweenness=mode, pivots=pivots, nodes=g.n, edges=g.m,
                     eigenvector="leading eigenvector of the whole adjacency", notes=notes)
    return out
