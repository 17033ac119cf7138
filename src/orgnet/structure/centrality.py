"""Centrality: degree, strength, betweenness and eigenvector of organisations and units, and the axis rank of committees."""

from __future__ import annotations

import random
from datetime import date
from typing import Union

import numpy as np
import pandas as pd

from .._params import check_bool, check_number
from ..network import OrgNetwork
from .graphs import EntityGraph, check_weight, entity_info, tie_network

__all__ = ['centrality']

#: what ``as_of`` accepts: a date, a Timestamp or an ISO string; None for the network's date
DateLike = Union[str, date, pd.Timestamp, None]


#: cells of a dense (nodes × sources) block in the batched Brandes passes
_BLOCK_CELLS = 4_000_000


def _brandes(adj, sources: np.ndarray) -> np.ndarray:
    """Sum over ``sources`` of Brandes' dependencies δ_s(v) on hop distances.

    Level-synchronous BFS from a batch of sources at once, as sparse matrix ×
    dense block products (the algebraic form of Brandes' algorithm): forward,
    σ (shortest-path counts) level by level; backward,
    δ_v += σ_v Σ_{w ∈ N(v), d(w) = d(v) + 1} (1 + δ_w) / σ_w.
    """
    n = adj.shape[0]
    bc = np.zeros(n)
    if n == 0 or len(sources) == 0:
        return bc
    batch = max(1, min(len(sources), _BLOCK_CELLS // max(n, 1)))
    for start in range(0, len(sources), batch):
        src = np.asarray(sources[start:start + batch])
        b = len(src)
        cols = np.arange(b)
        dist = np.full((n, b), -1, dtype=np.int32)
        sigma = np.zeros((n, b))
        dist[src, cols] = 0
        sigma[src, cols] = 1.0
        frontier = np.zeros((n, b))
        frontier[src, cols] = 1.0
        depth = 0
        while True:
            nxt = adj @ frontier
            new = (nxt > 0) & (dist < 0)
            if not new.any():
                break
            depth += 1
            frontier = np.where(new, nxt, 0.0)
            sigma += frontier
            dist[new] = depth
        delta = np.zeros((n, b))
        for level in range(depth, 1, -1):
            at = dist == level
            coef = np.zeros((n, b))
            coef[at] = (1.0 + delta[at]) / sigma[at]
            contrib = adj @ coef
            prev = dist == level - 1
            delta[prev] += sigma[prev] * contrib[prev]
        bc += delta.sum(axis=1)
    return bc


def _betweenness(g: EntityGraph, *, max_exact: int, k: int, seed: int) -> tuple[np.ndarray, str, int | None]:
    """Normalised betweenness on hop distances, exact or from ``k`` sampled pivots.

    Normalisation and pivot choice follow networkx's
    ``betweenness_centrality(G, k=k, normalized=True, seed=seed)`` with nodes in
    sorted-id order, so the two agree exactly.
    """
    n = g.n
    if n < 3:
        return np.zeros(n), "exact", None
    adj = g.adjacency(weighted=False)
    if n <= max_exact or k >= n:
        raw = _brandes(adj, np.arange(n))
        return raw / ((n - 1) * (n - 2)), "exact", None
    pivots = np.array(sorted(random.Random(seed).sample(range(n), k)))
    raw = _brandes(adj, pivots)
    scale = np.full(n, 1.0 / (k * (n - 2)))
    scale[pivots] = 1.0 / ((k - 1) * (n - 2))
    return raw * scale, "sampled", k


def _eigenvector(g: EntityGraph, weighted: bool) -> np.ndarray:
    """Leading eigenvector of the whole (symmetric) adjacency, unit norm, non-negative."""
    n = g.n
    if g.m == 0:
        return np.full(n, np.nan)
    adj = g.adjacency(weighted=weighted)
    if n <= 500:
        vals, vecs = np.linalg.eigh(adj.toarray())
        x = vecs[:, -1]
    else:
        from scipy.sparse.linalg import eigsh

        vals, vecs = eigsh(adj, k=1, which="LA", v0=np.ones(n), tol=0)
        x = vecs[:, 0]
    x = x if x.sum() >= 0 else -x
    x = np.where(np.abs(x) < 1e-12, 0.0, x)
    x = np.clip(x, 0.0, None)
    norm = np.linalg.norm(x)
    return x / norm if norm > 0 else x


def centrality(
    net: OrgNetwork,
    *,
    as_of: DateLike = None,
    weight: str | None = "strength",
    hierarchy: bool = True,
    max_exact: int = 2000,
    k: int = 100,
    seed: int = 0,
    weights: dict | None = None,
    half_life_days: float = 365.0,
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
    seed : int, default 0
        Seed of the pivot choice (Python's ``random.Random(seed).sample``).
    weights, half_life_days
        Passed to :func:`orgnet.linkage.tie_table` (tie kind weights, decay).

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
    degree and strength are row sums of the sparse adjacency, O(n + m).
    Eigenvector centrality is the leading eigenvector of the whole weighted
    adjacency (``scipy.sparse.linalg.eigsh``; dense ``eigh`` up to 500
    nodes), non-negative with unit Euclidean norm as in networkx: nodes
    outside the component with the largest eigenvalue get (nearly) 0; NaN
    everywhere when the network has no edge.

    Betweenness [1]_ uses hop distances (every edge has length 1, whatever its
    strength): c_B(v) = Σ_{s≠v≠t} σ_st(v) / σ_st, normalised by
    (n − 1)(n − 2). It is computed with Brandes' algorithm [2]_ in its
    level-synchronous form: a batch of BFS sources at once as sparse × dense
    products, O(s (n + m)) for s sources. Up to ``max_exact`` nodes every node
    is a source; above, ``k`` pivots are drawn with ``random.Random(seed)`` and
    the sums are scaled as networkx does (by 1 / (k (n − 2)), and 1 / ((k − 1)
    (n − 2)) for the pivots themselves), so the result equals
    ``networkx.betweenness_centrality(G, k=k, seed=seed)`` on the graph with
    nodes in sorted-id order.

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
    ('exact', 79, 97)
    >>> c.sort_values("betweenness", ascending=False).index[:3].tolist()
    ['O1', 'O3', 'O2']

    Every street and community committee is the axis of its territory but one:
    in 园林社区 (C21) the market-supervision bureau's organisation is more central.

    >>> c.index[c["axis_rank"] > 1].tolist()
    ['O21']
    >>> c.loc[c["area"] == "C21"].sort_values("betweenness", ascending=False).index[0]
    'OU07'
    """
    func = "centrality"
    check_weight(weight, func)
    hierarchy = check_bool(hierarchy, "hierarchy", func)
    max_exact = check_number(max_exact, "max_exact", func, minimum=0, integer=True)
    k = check_number(k, "k", func, minimum=1, exclusive=True, integer=True)
    seed = check_number(seed, "seed", func, minimum=0, integer=True)
    when = net.resolve_as_of(as_of)
    g, notes = tie_network(net, when, weight=weight, hierarchy=hierarchy, weights=weights,
                            half_life_days=half_life_days, func=func)

    deg = np.bincount(np.concatenate([g.u, g.v]), minlength=g.n)
    stren = np.bincount(np.concatenate([g.u, g.v]), weights=np.concatenate([g.w, g.w]), minlength=g.n)
    btw, mode, pivots = _betweenness(g, max_exact=max_exact, k=k, seed=seed)
    eig = _eigenvector(g, weighted=weight is not None)

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
    out.attrs.update(func=func, as_of=when, weight=weight, hierarchy=hierarchy, max_exact=max_exact, k=k,
                     seed=seed, betweenness=mode, pivots=pivots, nodes=g.n, edges=g.m,
                     eigenvector="leading eigenvector of the whole adjacency", notes=notes)
    return out
