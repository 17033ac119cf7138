"""Structure: who holds the network together, who brokers, and what falls apart.

The "axis" (轴心) role of street and community committees, brokerage between
levels and sectors, structural holes, units no organisation reaches (孤岛),
entities whose loss would cut units or communities off, and the fragmentation
(碎片化) of each street's network:

- :func:`centrality` — degree, strength, betweenness and eigenvector centrality
  of organisations and units in the active tie network plus the organisation
  hierarchy, and the axis rank of each street and community committee;
- :func:`brokerage` — Gould–Fernandez brokerage roles by level, scope or type
  (:func:`brokerage_roles` on a plain edge list);
- :func:`constraint` — Burt's constraint, effective size and efficiency
  (:func:`structural_holes` on a plain edge list);
- :func:`islands` — units with no organisational path to any territorial organisation;
- :func:`key_entities` — articulation points weighted by the units they cut
  off, and entities whose loss leaves communities without a co-building partner;
- :func:`what_if_remove` — communities whose co-building partners change when
  given units or organisations disappear;
- :func:`fragmentation` — components, main-component share, density,
  modularity and core share per street (or any level) and for the whole network;
- :func:`core_periphery` — the Borgatti–Everett core of a plain networkx graph,
  exact for up to 20 nodes, a seeded local search with restarts above;
- :func:`projection` — communities linked by shared co-building partners
  (:func:`two_mode_projection` on a plain edge list).

Two graphs are used (see ``docs/structure.md``):

- the **tie network**: undirected, between the ends of the ties active at
  ``as_of`` (organisations, units, and areas when a tie names one), weighted by
  the pair strength of :func:`orgnet.linkage.tie_strength`; with
  ``hierarchy=True`` also each organisation ↔ its leading organisation and each
  unit organisation ↔ its unit (weight 1). Every organisation established by
  ``as_of`` and every unit is a node, isolated when it has no edge.
- the **relation graph** (islands, key entities): a unit ↔ its own
  organisation, active ties of every kind, organisation ↔ leading organisation.
  Location alone is not a relation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Hashable, Iterable, Mapping, NamedTuple, Union

import numpy as np
import pandas as pd

from ._params import check_bool, check_choice, check_level, check_number, require
from .errors import OrgnetMissingDataError, OrgnetParameterError
from .network import OrgNetwork
from .linkage import tie_table

__all__ = [
    "ROLES",
    "centrality",
    "brokerage",
    "brokerage_roles",
    "constraint",
    "structural_holes",
    "islands",
    "key_entities",
    "what_if_remove",
    "fragmentation",
    "core_periphery",
    "CorePeriphery",
    "projection",
    "two_mode_projection",
]

#: what ``as_of`` accepts: a date, a Timestamp or an ISO string; None for the network's date
DateLike = Union[str, date, pd.Timestamp, None]

#: Gould–Fernandez brokerage roles, in the order of the result columns
ROLES = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")

_WEIGHT_CHOICES = ("strength", None)
_PARTITIONS = ("level", "scope", "type")
_WEIGHTINGS = ("count", "newman")
_MODES = ("community", "partner")
#: cells of a dense (nodes × sources) block in the batched Brandes passes
_BLOCK_CELLS = 4_000_000


# ====================================================================== helpers


@dataclass(frozen=True)
class _Graph:
    """An undirected simple graph on integer codes ``0 .. n-1`` of sorted ids."""

    ids: pd.Index  # sorted entity ids (object dtype)
    u: np.ndarray  # edge ends, u < v, each pair once
    v: np.ndarray
    w: np.ndarray  # edge weights (1.0 when unweighted)

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def m(self) -> int:
        return len(self.u)

    def adjacency(self, weighted: bool = True):
        """Symmetric CSR adjacency (weights, or 1 for every edge)."""
        from scipy import sparse

        data = self.w if weighted else np.ones(self.m)
        rows = np.concatenate([self.u, self.v])
        cols = np.concatenate([self.v, self.u])
        return sparse.csr_matrix((np.concatenate([data, data]).astype(float), (rows, cols)),
                                 shape=(self.n, self.n))


def _obj(values) -> np.ndarray:
    return np.asarray(values, dtype=object)


def _build_graph(ids: Iterable, a: np.ndarray, b: np.ndarray, w: np.ndarray | None = None) -> _Graph:
    """Code ids (sorted, so results do not depend on row order) and merge parallel
    edges (summing weights); self-loops are dropped."""
    a, b = _obj(a), _obj(b)
    w = np.ones(len(a)) if w is None else np.asarray(w, dtype=float)
    allids = pd.Index(np.concatenate([_obj(list(ids)), a, b]), dtype=object)
    index = pd.Index(np.sort(allids.unique().to_numpy(dtype=object)), dtype=object)
    ca, cb = index.get_indexer(a), index.get_indexer(b)
    keep = ca != cb
    lo, hi = np.minimum(ca, cb)[keep], np.maximum(ca, cb)[keep]
    if len(lo):
        key = lo.astype(np.int64) * len(index) + hi
        uniq, inv = np.unique(key, return_inverse=True)
        wsum = np.bincount(inv, weights=w[keep], minlength=len(uniq))
        u, v = uniq // len(index), uniq % len(index)
    else:
        u = v = np.zeros(0, dtype=np.int64)
        wsum = np.zeros(0)
    return _Graph(index, u.astype(np.int64), v.astype(np.int64), wsum)


def _locations(net: OrgNetwork, ids) -> pd.Series:
    """Located area of organisations, units and areas (an area locates itself)."""
    ids = pd.Index(_obj(ids), dtype=object)
    out = pd.Series(net.entity_areas.reindex(ids).to_numpy(dtype=object), index=ids, dtype=object)
    return out.where(out.notna(), None)


def _names(net: OrgNetwork) -> pd.Series:
    s = pd.concat([net.organisations["name"].astype(object), net.units["name"].astype(object),
                   net.areas["name"].astype(object)])
    return s[~s.index.duplicated()]


def _info(net: OrgNetwork, ids) -> pd.DataFrame:
    """kind, name and located area of entities."""
    ids = pd.Index(_obj(ids), dtype=object)
    return pd.DataFrame({
        "kind": net.entity_kinds.reindex(ids).to_numpy(dtype=object),
        "name": _names(net).reindex(ids).to_numpy(dtype=object),
        "area": _locations(net, ids).to_numpy(dtype=object),
    }, index=ids)


def _hierarchy_pairs(net: OrgNetwork, orgs: pd.DataFrame) -> pd.DataFrame:
    """Directed hierarchy edges among existing organisations: ``leads`` (parent →
    organisation) and ``belongs_to`` (unit organisation → its unit)."""
    parent = orgs["parent"].astype(object)
    has_parent = (parent.notna() & parent.isin(orgs.index)).to_numpy()
    unit = orgs["unit"].astype(object)
    has_unit = (unit.notna() & unit.isin(net.units.index)).to_numpy()
    return pd.DataFrame({
        "source": np.concatenate([parent.to_numpy(dtype=object)[has_parent],
                                  orgs.index.to_numpy(dtype=object)[has_unit]]),
        "target": np.concatenate([orgs.index.to_numpy(dtype=object)[has_parent],
                                  unit.to_numpy(dtype=object)[has_unit]]),
        "kind": ["leads"] * int(has_parent.sum()) + ["belongs_to"] * int(has_unit.sum()),
    })


def _tie_network(net: OrgNetwork, when: pd.Timestamp, *, weight, hierarchy: bool, weights,
                 half_life_days, func: str) -> tuple[_Graph, list[str]]:
    """The undirected tie network (plus hierarchy) at ``when``; notes on what is missing."""
    notes = []
    t = tie_table(net, weights=weights, half_life_days=half_life_days, as_of=when, func=func)
    # pair strength = the sum of the pair's tie strengths, as in linkage.tie_strength
    a, b = t["a"].to_numpy(dtype=object), t["b"].to_numpy(dtype=object)
    w = t["strength"].to_numpy(dtype=float) if weight == "strength" else np.ones(len(t))
    if t.empty:
        notes.append(f"{func}: no tie is active at {when:%Y-%m-%d}"
                     + ("; only the organisation hierarchy is used" if hierarchy else ""))
    orgs = net.organisations_at(when)
    if hierarchy:
        h = _hierarchy_pairs(net, orgs)
        a = np.concatenate([a, h["source"].to_numpy(dtype=object)])
        b = np.concatenate([b, h["target"].to_numpy(dtype=object)])
        w = np.concatenate([w, np.ones(len(h))])
    g = _build_graph(np.concatenate([orgs.index.to_numpy(dtype=object), net.units.index.to_numpy(dtype=object)]),
                     a, b, w)
    if weight is None:  # a pair counts once, however many ties and hierarchy edges it has
        g = _Graph(g.ids, g.u, g.v, np.ones(g.m))
    return g, notes


def _check_weight(weight, func):
    if weight not in _WEIGHT_CHOICES:
        raise OrgnetParameterError(
            f"The 'weight' parameter of {func} must be one of 'strength', None. Got {weight!r} instead."
        )
    return weight


def _require_level(net: OrgNetwork, level: str, func: str):
    if not (net.areas["level"] == level).any():
        raise OrgnetMissingDataError(
            f"{func} needs areas of level {level!r} in the 'areas' table, but the network has none. "
            f"Add the {level} areas (with their parent) to areas.csv."
        )


# ====================================================================== centrality


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


def _betweenness(g: _Graph, *, max_exact: int, k: int, seed: int) -> tuple[np.ndarray, str, int | None]:
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


def _eigenvector(g: _Graph, weighted: bool) -> np.ndarray:
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
    _check_weight(weight, func)
    hierarchy = check_bool(hierarchy, "hierarchy", func)
    max_exact = check_number(max_exact, "max_exact", func, minimum=0, integer=True)
    k = check_number(k, "k", func, minimum=1, exclusive=True, integer=True)
    seed = check_number(seed, "seed", func, minimum=0, integer=True)
    when = net.resolve_as_of(as_of)
    g, notes = _tie_network(net, when, weight=weight, hierarchy=hierarchy, weights=weights,
                            half_life_days=half_life_days, func=func)

    deg = np.bincount(np.concatenate([g.u, g.v]), minlength=g.n)
    stren = np.bincount(np.concatenate([g.u, g.v]), weights=np.concatenate([g.w, g.w]), minlength=g.n)
    btw, mode, pivots = _betweenness(g, max_exact=max_exact, k=k, seed=seed)
    eig = _eigenvector(g, weighted=weight is not None)

    info = _info(net, g.ids)
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


# ====================================================================== brokerage


def brokerage_roles(edges: pd.DataFrame, groups: pd.Series | Mapping[Hashable, Hashable], *,
                    source: str = "source", target: str = "target") -> pd.DataFrame:
    """Gould–Fernandez brokerage role counts on a plain directed edge list.

    Parameters
    ----------
    edges : DataFrame
        One row per directed tie, columns ``source`` and ``target`` (names
        configurable); repeated ties count once, self-loops are ignored.
    groups : Series or dict
        Group label of every node appearing in ``edges`` (more nodes may be given;
        they get zero counts).
    source, target : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by node (sorted): ``group``, one column per role in
        :data:`ROLES` and ``total`` (open two-paths through the node).

    Notes
    -----
    An open two-path is a → b → c with a ≠ c and no tie a → c; b is the
    broker. With G(x) the group of x [1]_:

    ==============  ==============================
    role            groups
    ==============  ==============================
    coordinator     G(a) = G(b) = G(c)
    gatekeeper      G(a) ≠ G(b) = G(c)
    representative  G(a) = G(b) ≠ G(c)
    consultant      G(a) = G(c) ≠ G(b) (itinerant)
    liaison         G(a), G(b), G(c) all differ
    ==============  ==============================

    The two-paths are enumerated by a self-join of the edge table on the
    middle node, then an anti-join with the closing ties: O(Σ_b in(b) out(b)).

    References
    ----------
    .. [1] Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a
       formal approach to brokerage in transaction networks. Sociological
       Methodology 19, 89–126.

    Examples
    --------
    >>> import pandas as pd
    >>> from orgnet import structure
    >>> e = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]})
    >>> r = structure.brokerage_roles(e, {"a": 1, "b": 2, "c": 1})
    >>> int(r.loc["b", "consultant"]), int(r.loc["b", "total"])
    (1, 1)
    """
    func = "brokerage_roles"
    if not isinstance(edges, pd.DataFrame) or source not in edges or target not in edges:
        raise OrgnetParameterError(
            f"The 'edges' parameter of {func} must be a DataFrame with columns {source!r} and {target!r}. "
            f"Got {type(edges).__name__} instead."
        )
    groups = pd.Series(groups, dtype=object) if not isinstance(groups, pd.Series) else groups.astype(object)
    s = _obj(edges[source])
    t = _obj(edges[target])
    nodes = pd.Index(np.concatenate([s, t, _obj(groups.index)]), dtype=object).unique()
    index = pd.Index(np.sort(nodes.to_numpy(dtype=object)), dtype=object)
    missing = index[~index.isin(groups.index) | groups.reindex(index).isna().to_numpy()]
    if len(missing):
        raise OrgnetParameterError(
            f"The 'groups' parameter of {func} must give a group for every node in the edges. "
            f"Got none for {missing[0]!r} instead."
        )
    gcode, _ = pd.factorize(groups.reindex(index).to_numpy(dtype=object))
    counts = _roles(index.get_indexer(s), index.get_indexer(t), gcode, len(index))
    out = pd.DataFrame(counts, index=index, columns=list(ROLES))
    out.insert(0, "group", groups.reindex(index).to_numpy(dtype=object))
    out["total"] = counts.sum(axis=1)
    out.index.name = "node"
    return out


def _roles(s: np.ndarray, t: np.ndarray, group: np.ndarray, n: int) -> np.ndarray:
    """(n, 5) role counts for integer-coded directed edges ``s → t``."""
    keep = s != t
    pairs = np.unique(s[keep].astype(np.int64) * n + t[keep])
    counts = np.zeros((n, len(ROLES)), dtype=np.int64)
    if len(pairs) == 0:
        return counts
    e = pd.DataFrame({"a": pairs // n, "b": pairs % n})
    two = e.merge(e.rename(columns={"a": "b", "b": "c"}), on="b")
    two = two[(two["a"] != two["c"]).to_numpy()]
    closing = np.isin(two["a"].to_numpy() * n + two["c"].to_numpy(), pairs)
    two = two[~closing]
    ga, gb, gc = group[two["a"].to_numpy()], group[two["b"].to_numpy()], group[two["c"].to_numpy()]
    role = np.select(
        [(ga == gb) & (gb == gc), (ga != gb) & (gb == gc), (ga == gb) & (gb != gc), (ga == gc) & (ga != gb)],
        [0, 1, 2, 3], default=4)
    np.add.at(counts, (two["b"].to_numpy(), role), 1)
    return counts


def _partition(net: OrgNetwork, ids: pd.Index, partition: str) -> pd.Series:
    kinds = net.entity_kinds.reindex(ids).astype(object)
    o = net.organisations
    u = net.units
    a = net.areas
    is_unit_org = (o["scope"] == "unit").to_numpy()
    if partition == "level":
        org_g = o["area"].astype(object).map(a["level"].astype(object)).where(~is_unit_org, "unit")
        org_g = org_g.where(org_g.notna(), "none")
        unit_g = pd.Series("unit", index=u.index, dtype=object)
        area_g = a["level"].astype(object)
    elif partition == "scope":
        org_g = o["scope"].astype(object)
        unit_g = pd.Series("unit", index=u.index, dtype=object)
        area_g = pd.Series("area", index=a.index, dtype=object)
    else:
        org_g = o["scope"].astype(object).where(~is_unit_org, o["unit"].astype(object).map(u["type"].astype(object)))
        org_g = org_g.where(org_g.notna(), "unit")
        unit_g = u["type"].astype(object)
        area_g = pd.Series("area", index=a.index, dtype=object)
    g = pd.concat([org_g.astype(object), unit_g.astype(object), area_g.astype(object)])
    g = g[~g.index.duplicated()]
    out = pd.Series(g.reindex(ids).to_numpy(dtype=object), index=ids, dtype=object)
    return out.where(out.notna(), kinds.fillna("none"))


def brokerage(net: OrgNetwork, *, partition: str = "level", as_of: DateLike = None,
              hierarchy: bool = False) -> pd.DataFrame:
    """Gould–Fernandez brokerage roles of every entity in the directed tie network.

    Ties run from ``source`` to ``target`` (a unit to the committee it
    co-builds with, an organisation to the unit it sends an instructor to);
    every kind of tie active at ``as_of`` counts once per ordered pair.

    Parameters
    ----------
    net : OrgNetwork
    partition : {"level", "scope", "type"}, default "level"
        The groups: ``level`` — an organisation is in the level of its seated
        area (street committees in ``street``, grid branches in ``grid``; unit
        organisations in ``unit``), a unit in ``unit``, an area in its level;
        ``scope`` — an organisation's scope, ``unit`` for units, ``area`` for
        areas; ``type`` — a unit's type (a unit organisation takes its unit's
        type), another organisation's scope, ``area`` for areas.
    as_of : date-like, optional
        Default: the network's ``as_of``.
    hierarchy : bool, default False
        Add the directed hierarchy: leading organisation → organisation, unit
        organisation → its unit.

    Returns
    -------
    DataFrame
        Indexed by entity id (every organisation established by ``as_of``,
        every unit, and every area named by an active tie): ``kind``, ``name``,
        ``group``, ``coordinator``, ``gatekeeper``, ``representative``,
        ``consultant``, ``liaison``, ``total``.

    Raises
    ------
    OrgnetMissingDataError
        When the network has no ties.

    See Also
    --------
    brokerage_roles : the same on a plain edge list (definitions of the roles).

    Notes
    -----
    Self-join of the edge table on the broker, anti-join with the closing ties:
    O(Σ_b in(b) · out(b)) time and memory.

    References
    ----------
    .. [1] Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a
       formal approach to brokerage in transaction networks. Sociological
       Methodology 19, 89–126.

    Examples
    --------
    >>> import orgnet
    >>> from orgnet import structure
    >>> b = structure.brokerage(orgnet.datasets.load("demo"))
    >>> b.attrs["two_paths"]
    23
    >>> b.loc["O22", list(structure.ROLES)].astype(int).tolist()
    [0, 0, 0, 8, 0]
    >>> b.loc["O3", list(structure.ROLES)].astype(int).tolist()
    [0, 0, 0, 3, 2]
    """
    func = "brokerage"
    check_choice(partition, "partition", func, _PARTITIONS)
    hierarchy = check_bool(hierarchy, "hierarchy", func)
    when = net.resolve_as_of(as_of)
    require(net, func, tables=["ties"])
    t = net.active_ties(when)
    s, d = t["source"].to_numpy(dtype=object), t["target"].to_numpy(dtype=object)
    orgs = net.organisations_at(when)
    if hierarchy:
        h = _hierarchy_pairs(net, orgs)
        s = np.concatenate([s, h["source"].to_numpy(dtype=object)])
        d = np.concatenate([d, h["target"].to_numpy(dtype=object)])
    nodes = pd.Index(np.concatenate([orgs.index.to_numpy(dtype=object), net.units.index.to_numpy(dtype=object),
                                     s, d]), dtype=object).unique()
    groups = _partition(net, nodes, partition)
    r = brokerage_roles(pd.DataFrame({"source": s, "target": d}), groups)
    info = _info(net, r.index)
    out = pd.concat([info[["kind", "name"]], r], axis=1)
    out.index.name = "id"
    out.attrs.update(func=func, as_of=when, partition=partition, hierarchy=hierarchy,
                     two_paths=int(r["total"].sum()))
    return out


# ====================================================================== constraint


def _masked_product(x, y, mask, chunk_cells: int = 20_000_000):
    """(x @ y) kept only on the pattern of ``mask`` (CSR), by row blocks to bound memory."""
    from scipy import sparse

    n = x.shape[0]
    if n == 0:
        return sparse.csr_matrix(mask.shape)
    ynnz = np.diff(y.tocsr().indptr)
    xb = x.tocsr(copy=True)
    xb.data = np.ones_like(xb.data)
    per_row = np.asarray(xb @ ynnz).ravel() + 1
    blocks = []
    start = 0
    cum = np.cumsum(per_row)
    while start < n:
        base = cum[start - 1] if start else 0
        stop = int(np.searchsorted(cum, base + chunk_cells, side="right"))
        stop = max(stop, start + 1)
        blocks.append((x[start:stop] @ y).multiply(mask[start:stop]).tocsr())
        start = stop
    return sparse.vstack(blocks).tocsr()


def structural_holes(edges: pd.DataFrame, *, weight: str | None = None, a: str = "a",
                     b: str = "b") -> pd.DataFrame:
    """Burt's constraint, effective size and efficiency on a plain undirected edge list.

    Parameters
    ----------
    edges : DataFrame
        One row per undirected edge, columns ``a`` and ``b`` (names
        configurable); repeated pairs add their weights, self-loops are ignored.
    weight : str, optional
        Column of edge weights (non-negative); None for 1 on every edge.
    a, b : str
        Column names of the two ends.

    Returns
    -------
    DataFrame
        Indexed by node (sorted): ``degree``, ``constraint``,
        ``effective_size``, ``efficiency`` (effective size / degree); NaN for
        nodes without neighbours.

    Notes
    -----
    With w_ij the weight of the pair (0 if none), N(i) the neighbours of i,
    p_ij = (w_ij + w_ji) / Σ_k (w_ik + w_ki) the proportional tie strength and
    m_ij = (w_ij + w_ji) / max_k (w_ik + w_ki) [1]_:

    - constraint_i = Σ_{j ∈ N(i)} (p_ij + Σ_{q ∈ N(i)} p_iq p_qj)²
    - effective_size_i = Σ_{j ∈ N(i)} (1 − Σ_{q ∈ N(i)} p_iq m_jq)

    the definitions of networkx's ``constraint`` and ``effective_size``
    (with ``weight=None`` effective size reduces to Borgatti's
    n − 2t / n, t the ties among the n neighbours). Computed as masked sparse
    products (P P and A M on the pattern of A), in row blocks:
    O(Σ_q deg(q)²) time.

    References
    ----------
    .. [1] Burt, R. S. (1992). Structural Holes: The Social Structure of
       Competition. Harvard University Press.

    Examples
    --------
    >>> import pandas as pd
    >>> from orgnet import structure
    >>> e = pd.DataFrame({"a": ["x", "x"], "b": ["y", "z"]})
    >>> structure.structural_holes(e).loc["x", ["constraint", "effective_size"]].tolist()
    [0.5, 2.0]
    """
    func = "structural_holes"
    if not isinstance(edges, pd.DataFrame) or a not in edges or b not in edges:
        raise OrgnetParameterError(
            f"The 'edges' parameter of {func} must be a DataFrame with columns {a!r} and {b!r}. "
            f"Got {type(edges).__name__} instead."
        )
    if weight is not None and weight not in edges:
        raise OrgnetParameterError(
            f"The 'weight' parameter of {func} must name a column of edges or be None. Got {weight!r} instead."
        )
    w = None if weight is None else edges[weight].to_numpy(dtype=float)
    if w is not None and (np.isnan(w).any() or (w < 0).any()):
        raise OrgnetParameterError(
            f"The 'weight' parameter of {func} must name a column of numbers >= 0. "
            f"Got {weight!r} with missing or negative values instead."
        )
    g = _build_graph([], _obj(edges[a]), _obj(edges[b]), w)
    return _holes(g, g.ids)


def _holes(g: _Graph, ids: pd.Index) -> pd.DataFrame:
    from scipy import sparse

    n = g.n
    pattern = g.adjacency(weighted=False)
    wmat = g.adjacency(weighted=True)
    deg = np.asarray(pattern.sum(axis=1)).ravel()
    rowsum = np.asarray(wmat.sum(axis=1)).ravel()
    rowmax = np.asarray(wmat.max(axis=1).toarray()).ravel() if n else np.zeros(0)
    inv_sum = np.divide(1.0, rowsum, out=np.zeros(n), where=rowsum > 0)
    inv_max = np.divide(1.0, rowmax, out=np.zeros(n), where=rowmax > 0)
    p = sparse.diags(inv_sum) @ wmat
    mnorm = sparse.diags(inv_max) @ wmat
    indirect = _masked_product(p, p, pattern)
    total = (p + indirect).tocsr()
    cons = np.asarray(total.multiply(total).sum(axis=1)).ravel()
    redundancy = np.asarray(_masked_product(pattern, mnorm, pattern).multiply(p).sum(axis=1)).ravel()
    eff = deg - redundancy
    iso = deg == 0
    cons = np.where(iso, np.nan, cons)
    eff = np.where(iso, np.nan, eff)
    with np.errstate(invalid="ignore", divide="ignore"):
        efficiency = np.where(iso, np.nan, eff / np.where(iso, 1, deg))
    out = pd.DataFrame({"degree": deg.astype(int), "constraint": cons, "effective_size": eff,
                        "efficiency": efficiency}, index=g.ids)
    out.index.name = "node"
    return out.reindex(ids)


def constraint(
    net: OrgNetwork,
    *,
    as_of: DateLike = None,
    weight: str | None = "strength",
    hierarchy: bool = True,
    weights: dict | None = None,
    half_life_days: float = 365.0,
) -> pd.DataFrame:
    """Burt's constraint, effective size and efficiency of organisations and units.

    Structural holes (结构洞) on the same network as :func:`centrality`: low
    constraint and high effective size mean contacts that do not know each
    other — room to broker between them.

    Parameters
    ----------
    net : OrgNetwork
    as_of : date-like, optional
        Default: the network's ``as_of``.
    weight : {"strength", None}, default "strength"
        Pair strength (:func:`orgnet.linkage.tie_strength`; hierarchy edges 1)
        or None for unweighted.
    hierarchy : bool, default True
        Add the organisation hierarchy, as in :func:`centrality`.
    weights, half_life_days
        Passed to :func:`orgnet.linkage.tie_table`.

    Returns
    -------
    DataFrame
        Indexed by organisation and unit id: ``kind``, ``name``, ``degree``,
        ``constraint``, ``effective_size``, ``efficiency``; NaN for entities
        without neighbours.

    See Also
    --------
    structural_holes : the formulas, on a plain edge list.

    Notes
    -----
    Masked sparse products, O(Σ_q deg(q)²); see :func:`structural_holes`.

    References
    ----------
    .. [1] Burt, R. S. (1992). Structural Holes: The Social Structure of
       Competition. Harvard University Press.

    Examples
    --------
    >>> import orgnet
    >>> from orgnet import structure
    >>> c = structure.constraint(orgnet.datasets.load("demo"), weight=None)
    >>> c.sort_values("effective_size", ascending=False).index[:2].tolist()
    ['O3', 'O22']
    >>> round(float(c.loc["O3", "effective_size"]), 3), round(float(c.loc["O3", "constraint"]), 3)
    (9.909, 0.136)
    """
    func = "constraint"
    _check_weight(weight, func)
    hierarchy = check_bool(hierarchy, "hierarchy", func)
    when = net.resolve_as_of(as_of)
    g, notes = _tie_network(net, when, weight=weight, hierarchy=hierarchy, weights=weights,
                            half_life_days=half_life_days, func=func)
    h = _holes(g, g.ids)
    info = _info(net, g.ids)
    out = pd.concat([info[["kind", "name"]], h], axis=1)
    out = out[out["kind"].isin(["organisation", "unit"]).to_numpy()]
    out.index.name = "id"
    out.attrs.update(func=func, as_of=when, weight=weight, hierarchy=hierarchy, notes=notes)
    return out


# ====================================================================== islands & removal


def _relation_graph(net: OrgNetwork, when) -> tuple[_Graph, np.ndarray, np.ndarray]:
    """The relation graph, a mask of its anchors (existing territorial organisations and
    areas) and a mask of its units."""
    orgs = net.organisations_at(when)
    own = orgs[((orgs["scope"] == "unit") & orgs["unit"].notna()).to_numpy()]
    t = net.active_ties(when)
    h = _hierarchy_pairs(net, orgs)
    h = h[(h["kind"] == "leads").to_numpy()]
    a = np.concatenate([own.index.to_numpy(dtype=object), t["source"].to_numpy(dtype=object),
                        h["source"].to_numpy(dtype=object)])
    b = np.concatenate([own["unit"].to_numpy(dtype=object), t["target"].to_numpy(dtype=object),
                        h["target"].to_numpy(dtype=object)])
    g = _build_graph(np.concatenate([orgs.index.to_numpy(dtype=object), net.units.index.to_numpy(dtype=object)]),
                     a, b)
    kinds = net.entity_kinds.reindex(g.ids).to_numpy(dtype=object)
    terr = orgs.index[(orgs["scope"] == "territorial").to_numpy()]
    anchor = (kinds == "area") | g.ids.isin(terr)
    return g, np.asarray(anchor, dtype=bool), kinds == "unit"


def _cut_off(g: _Graph, anchor: np.ndarray, removed: np.ndarray | None = None) -> np.ndarray:
    """Mask of nodes whose component (after dropping ``removed``) holds no anchor."""
    from scipy.sparse.csgraph import connected_components

    keep = np.ones(g.n, dtype=bool) if removed is None else ~removed
    e = keep[g.u] & keep[g.v]
    sub = _Graph(g.ids, g.u[e], g.v[e], g.w[e])
    _, labels = connected_components(sub.adjacency(weighted=False), directed=False)
    anchored = np.zeros(labels.max() + 1 if len(labels) else 0, dtype=bool)
    anchored[labels[anchor & keep]] = True
    return keep & ~anchored[labels]


def _area_columns(net: OrgNetwork, area: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"area": area.to_numpy(dtype=object),
                         "street": net.ancestor(area, "street").to_numpy(dtype=object),
                         "community": net.ancestor(area, "community").to_numpy(dtype=object)},
                        index=area.index)


def islands(net: OrgNetwork, *, as_of: DateLike = None) -> pd.DataFrame:
    """Units with no path to any territorial organisation through organisational relations (孤岛).

    The relations are: a unit ↔ its own organisation (established by
    ``as_of``), every tie active at ``as_of`` (of any kind), and each
    organisation ↔ its leading organisation. A unit is an island when its
    connected component holds no territorial organisation and no area (an area
    named by a tie counts as reached territory). Being located in a community
    is not a relation.

    Parameters
    ----------
    net : OrgNetwork
    as_of : date-like, optional
        Default: the network's ``as_of``.

    Returns
    -------
    DataFrame
        Indexed by the island units' ids (sorted): ``name``, ``type``,
        ``area``, ``street``, ``community``, ``component_size`` (entities in
        its component, itself included).

    Raises
    ------
    OrgnetMissingDataError
        When the network has no units.

    See Also
    --------
    key_entities : which organisations' loss would create new islands.

    Notes
    -----
    Connected components of the sparse relation graph
    (``scipy.sparse.csgraph.connected_components``): O(n + m).

    Examples
    --------
    >>> import orgnet
    >>> from orgnet import structure
    >>> isl = structure.islands(orgnet.datasets.load("demo"))
    >>> isl.index.tolist()
    ['U32', 'U33']
    >>> isl["community"].tolist()
    ['C23', 'C13']
    """
    from scipy.sparse.csgraph import connected_components

    func = "islands"
    when = net.resolve_as_of(as_of)
    require(net, func, tables=["units"])
    g, anchor, is_unit = _relation_graph(net, when)
    _, labels = connected_components(g.adjacency(weighted=False), directed=False)
    size = np.bincount(labels)
    cut = _cut_off(g, anchor) & is_unit
    ids = g.ids[cut]
    u = net.units
    out = pd.DataFrame({"name": u["name"].reindex(ids).to_numpy(dtype=object),
                        "type": u["type"].reindex(ids).to_numpy(dtype=object)}, index=ids)
    out = out.join(_area_columns(net, u["area"].astype(object).reindex(ids)))
    out["component_size"] = size[labels[cut]].astype(int)
    out.index.name = "id"
    out.attrs.update(func=func, as_of=when, units=len(u))
    return out


def _partner_edges(net: OrgNetwork, when) -> pd.DataFrame:
    """(community, own, partner) for every active co_building tie with a territorial
    organisation of the community's subtree at one end; partners that are territorial
    organisations of the same subtree are not partners."""
    orgs = net.organisations_at(when)
    terr = orgs[(orgs["scope"] == "territorial").to_numpy()]
    comm = terr["area"].astype(object).map(net.area_paths["community"])
    comm = comm[comm.notna()]
    co = net.active_ties(when, kinds="co_building")
    s, t = co["source"].to_numpy(dtype=object), co["target"].to_numpy(dtype=object)
    rows = []
    for own, other in ((s, t), (t, s)):
        c = pd.Series(own, dtype=object).map(comm)
        oc = pd.Series(other, dtype=object).map(comm)
        keep = (c.notna() & (c != oc)).to_numpy()
        rows.append(pd.DataFrame({"community": c[keep].to_numpy(dtype=object), "own": own[keep],
                                  "partner": other[keep]}))
    e = pd.concat(rows, ignore_index=True).drop_duplicates().reset_index(drop=True)
    return e.astype(object)


def _killers(net: OrgNetwork, ids: np.ndarray) -> pd.DataFrame:
    """(entity, killer): removing ``killer`` removes ``entity`` — itself, and for a
    unit organisation also its unit."""
    o = net.organisations
    unit_of = o["unit"].astype(object).where((o["scope"] == "unit").to_numpy())
    ids = _obj(ids)
    u = pd.Series(ids, dtype=object).map(unit_of)
    has = u.notna().to_numpy()
    return pd.DataFrame({"entity": np.concatenate([ids, ids[has]]),
                         "killer": np.concatenate([ids, u[has].to_numpy(dtype=object)])})


def _check_ids(net: OrgNetwork, ids, func) -> list:
    if isinstance(ids, str):
        ids = [ids]
    try:
        ids = list(ids)
    except TypeError as err:
        raise OrgnetParameterError(
            f"The 'ids' parameter of {func} must be an id or a list of organisation or unit ids. "
            f"Got {ids!r} instead."
        ) from err
    known = net.organisations.index.union(net.units.index)
    for i in ids:
        if not isinstance(i, str) or i not in known:
            raise OrgnetParameterError(
                f"The 'ids' parameter of {func} must list organisation or unit ids. Got {i!r} instead."
            )
    return ids


def _expand_removed(net: OrgNetwork, ids: list) -> list:
    """The given ids plus the organisations of scope 'unit' naming a removed unit."""
    o = net.organisations
    own = o.index[((o["scope"] == "unit") & o["unit"].astype(object).isin(ids)).to_numpy()]
    return sorted(set(ids) | set(own))


def what_if_remove(net: OrgNetwork, ids: str | Iterable[str], *, as_of: DateLike = None) -> pd.DataFrame:
    """Communities whose co-building partners change if given units or organisations disappear.

    A community's partners are the other ends of the ``co_building`` ties
    active at ``as_of`` whose one end is a territorial organisation seated in
    the community (or any area in it); territorial organisations of the same
    community are not its partners. Removing an entity removes its ties;
    removing a unit also removes the organisations of scope ``unit`` naming it.

    Parameters
    ----------
    net : OrgNetwork
    ids : str or iterable of str
        Organisation and unit ids to remove.
    as_of : date-like, optional
        Default: the network's ``as_of``.

    Returns
    -------
    DataFrame
        Indexed by the ids of the communities whose partner set changes
        (sorted): ``name``, ``partners_before``, ``partners_after``, ``lost``
        (had at least one partner, now none), ``partners_removed`` (the former
        partners, comma-separated). ``attrs["removed"]`` lists every entity
        removed (with the unit organisations); ``attrs["units_cut"]`` the units
        that become islands (see :func:`islands`) through the removal.

    Raises
    ------
    OrgnetParameterError
        When an id is not an organisation or unit.
    OrgnetMissingDataError
        When the network has no ties or no community areas.

    See Also
    --------
    key_entities : every single removal at once.

    Notes
    -----
    Table filters and one connected-components pass: O(n + m).

    Examples
    --------
    >>> import orgnet
    >>> from orgnet import structure
    >>> net = orgnet.datasets.load("demo")
    >>> w = structure.what_if_remove(net, ["U10"])
    >>> int(w.loc["C11", "partners_before"]), int(w.loc["C11", "partners_after"]), bool(w.loc["C11", "lost"])
    (3, 2, False)
    >>> w.attrs["removed"]
    ['OU10', 'U10']
    >>> structure.what_if_remove(net, ["U02", "OU05"])["lost"].to_dict()
    {'C12': True}
    """
    func = "what_if_remove"
    ids = _check_ids(net, ids, func)
    when = net.resolve_as_of(as_of)
    require(net, func, tables=["ties"])
    _require_level(net, "community", func)
    removed = _expand_removed(net, ids)
    e = _partner_edges(net, when)
    gone = e["own"].isin(removed) | e["partner"].isin(removed)
    before = e.groupby("community")["partner"].agg(lambda v: set(v))
    after = e[~gone.to_numpy()].groupby("community")["partner"].agg(lambda v: set(v))
    comms = net.areas.index[(net.areas["level"] == "community").to_numpy()]
    b = before.reindex(comms).apply(lambda x: x if isinstance(x, set) else set())
    a = after.reindex(comms).apply(lambda x: x if isinstance(x, set) else set())
    changed = [c for c in comms if b[c] != a[c]]
    changed = sorted(changed)
    out = pd.DataFrame({
        "name": net.areas["name"].reindex(changed).to_numpy(dtype=object),
        "partners_before": [len(b[c]) for c in changed],
        "partners_after": [len(a[c]) for c in changed],
        "partners_removed": [",".join(sorted(b[c] - a[c])) for c in changed],
    }, index=pd.Index(changed, dtype=object, name="community"))
    out.insert(3, "lost", (out["partners_before"] > 0) & (out["partners_after"] == 0))
    out["partners_before"] = out["partners_before"].astype(int)
    out["partners_after"] = out["partners_after"].astype(int)

    g, anchor, is_unit = _relation_graph(net, when)
    rm = g.ids.isin(removed)
    newly = _cut_off(g, anchor, rm) & ~_cut_off(g, anchor) & is_unit
    out.attrs.update(func=func, as_of=when, ids=list(ids), removed=removed,
                     units_cut=sorted(g.ids[newly].tolist()))
    return out


def _articulation_units(g: _Graph, anchor: np.ndarray, is_unit: np.ndarray) -> np.ndarray:
    """For every node, the units that lose every path to an anchor when it alone is removed.

    One iterative depth-first search from a virtual root joined to every anchor
    (Tarjan's lowpoints): removing v cuts off the subtree of each DFS child c
    with low(c) >= disc(v).
    """
    from scipy import sparse

    n = g.n
    root = n
    anchors = np.flatnonzero(anchor)
    rows = np.concatenate([g.u, g.v, np.full(len(anchors), root), anchors])
    cols = np.concatenate([g.v, g.u, anchors, np.full(len(anchors), root)])
    adj = sparse.csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n + 1, n + 1))
    indptr = adj.indptr.tolist()
    indices = adj.indices.tolist()
    disc = [-1] * (n + 1)
    low = [0] * (n + 1)
    sub = [int(x) for x in is_unit] + [0]
    cut = [0] * (n + 1)
    parent = [-1] * (n + 1)
    ptr = indptr[:]  # next edge to visit, per node
    disc[root] = low[root] = 0
    clock = 1
    stack = [root]
    while stack:
        v = stack[-1]
        if ptr[v] < indptr[v + 1]:
            w = indices[ptr[v]]
            ptr[v] += 1
            if disc[w] < 0:
                disc[w] = low[w] = clock
                clock += 1
                parent[w] = v
                stack.append(w)
            elif w != parent[v] and disc[w] < low[v]:
                low[v] = disc[w]
        else:
            stack.pop()
            p = parent[v]
            if p >= 0:
                if low[v] < low[p]:
                    low[p] = low[v]
                sub[p] += sub[v]
                if low[v] >= disc[p]:
                    cut[p] += sub[v]
    return np.asarray(cut[:n], dtype=np.int64)


def key_entities(net: OrgNetwork, *, as_of: DateLike = None, top: int | None = None) -> pd.DataFrame:
    """Organisations and units whose single removal cuts units or communities off.

    Parameters
    ----------
    net : OrgNetwork
    as_of : date-like, optional
        Default: the network's ``as_of``.
    top : int, optional
        Keep only the first ``top`` rows.

    Returns
    -------
    DataFrame
        Indexed by organisation and unit id: ``kind``, ``name``,
        ``units_cut`` — units that lose every path to a territorial
        organisation or area in the relation graph of :func:`islands` when the
        entity alone is removed (units already islands are not counted);
        ``communities_cut`` — communities with a co-building partner that are
        left with none when it is removed (as in :func:`what_if_remove`:
        removing a unit also removes its organisation; a community's own
        committee counts when it holds all the community's agreements).
        Sorted by ``units_cut + communities_cut`` (descending), then id; rows
        where both are 0 are dropped.

    See Also
    --------
    what_if_remove : the effect of removing a chosen set.
    islands : units already cut off.

    Notes
    -----
    ``units_cut`` comes from articulation points: one iterative depth-first
    search (Tarjan's lowpoints) from a virtual root joined to every
    territorial organisation and area, O(n + m), instead of removing each
    entity and recomputing. ``communities_cut``: a community is lost with
    entity x when x (or the unit of x) is an end of every one of its
    agreements; one group-by over (community, agreement, remover), O(m).

    Examples
    --------
    >>> import orgnet
    >>> from orgnet import structure
    >>> k = structure.key_entities(orgnet.datasets.load("demo"), top=3)
    >>> k.index.tolist()
    ['O22', 'OS1', 'O12']
    >>> k[["units_cut", "communities_cut"]].values.tolist()
    [[3, 1], [3, 0], [1, 1]]
    """
    func = "key_entities"
    check_number(top, "top", func, minimum=1, integer=True, allow_none=True)
    when = net.resolve_as_of(as_of)
    notes = []
    g, anchor, is_unit = _relation_graph(net, when)
    units_cut = pd.Series(_articulation_units(g, anchor, is_unit), index=g.ids)

    e = _partner_edges(net, when) if len(net.ties) else pd.DataFrame(columns=["community", "own", "partner"])
    if len(net.ties) == 0:
        notes.append("key_entities: the network has no ties, so communities_cut is 0 for every entity")
    comm_cut = pd.Series(0, index=g.ids, dtype=np.int64)
    if len(e):  # a community is lost with x when x removes an end of each of its agreements
        e = e.reset_index(drop=True)
        e["edge"] = np.arange(len(e))
        long = []
        for end in ("own", "partner"):
            kill = _killers(net, e[end].unique()).drop_duplicates()
            long.append(pd.DataFrame({"entity": e[end].to_numpy(dtype=object), "edge": e["edge"].to_numpy()})
                        .merge(kill, on="entity"))
        kl = pd.concat(long, ignore_index=True)
        kl["community"] = e["community"].to_numpy(dtype=object)[kl["edge"].to_numpy()]
        kl = kl[["community", "edge", "killer"]].drop_duplicates()
        hits = kl.groupby(["community", "killer"]).size()
        n_edges = e.groupby("community").size()
        lost = hits[hits.to_numpy() == n_edges.reindex(hits.index.get_level_values(0)).to_numpy()]
        per = lost.groupby(level="killer").size()
        comm_cut = per.reindex(g.ids, fill_value=0).astype(np.int64)

    info = _info(net, g.ids)
    out = info[["kind", "name"]].assign(units_cut=units_cut.to_numpy(dtype=np.int64),
                                        communities_cut=comm_cut.reindex(g.ids).to_numpy(dtype=np.int64))
    out = out[out["kind"].isin(["organisation", "unit"]).to_numpy()]
    out = out[((out["units_cut"] > 0) | (out["communities_cut"] > 0)).to_numpy()]
    score = out["units_cut"] + out["communities_cut"]
    order = np.lexsort((out.index.to_numpy(dtype=object).astype(str), -score.to_numpy()))
    out = out.iloc[order]
    if top is not None:
        out = out.iloc[: int(top)]
    out.index.name = "id"
    out.attrs.update(func=func, as_of=when, top=top, notes=notes)
    return out


# ====================================================================== fragmentation


def _modularity(u: np.ndarray, v: np.ndarray, group: np.ndarray, n: int) -> float:
    """Newman's modularity Q = Σ_c [L_c / m − (d_c / 2m)²] of an unweighted partition."""
    m = len(u)
    if m == 0 or n == 0:
        return float("nan")
    deg = np.bincount(np.concatenate([u, v]), minlength=n)
    k = group.max() + 1
    inside = np.bincount(group[u][group[u] == group[v]], minlength=k)
    dsum = np.bincount(group, weights=deg, minlength=k)
    return float((inside / m).sum() - ((dsum / (2 * m)) ** 2).sum())


#: core/periphery: largest graph searched exhaustively by ``method="auto"`` (2^n partitions)
_CP_MAX_EXACT = 20
#: largest graph ``method="exact"`` accepts (2^26 partitions, about 1.5 GB of work arrays)
_CP_EXACT_LIMIT = 26
_CP_METHODS = ("auto", "exact", "local")
#: fits closer than this are equal (ties broken by core size, then node order)
_CP_TOL = 1e-12
#: popcount of every 16-bit integer
_POPCOUNT16 = np.array([bin(i).count("1") for i in range(1 << 16)], dtype=np.int8)


class CorePeriphery(NamedTuple):
    """Result of :func:`core_periphery`: the core, the fit and the method used."""

    core: frozenset
    fit: float
    method: str


def _cp_fit(n: int, c, e_cc, e_pp):
    """Correlation of the adjacency with the ideal core/periphery pattern, core–periphery pairs ignored.

    ``c`` core nodes, ``e_cc`` edges inside the core, ``e_pp`` edges inside the
    periphery (arrays or scalars); NaN where the correlation is undefined.
    """
    c = np.asarray(c, dtype=float)
    n_cc = c * (c - 1) / 2
    n_pp = (n - c) * (n - c - 1) / 2
    total = n_cc + n_pp
    ones = np.asarray(e_cc, dtype=float) + e_pp
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (total * e_cc - ones * n_cc) / np.sqrt(ones * (total - ones) * n_cc * (total - n_cc))
    return np.where(np.isfinite(r), r, np.nan)


def _popcount(x: np.ndarray) -> np.ndarray:
    x = x.astype(np.int64, copy=False)
    return _POPCOUNT16[x & 0xFFFF] + _POPCOUNT16[(x >> 16) & 0xFFFF]


def _cp_exact(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Best core by exhaustive search over the 2^n node sets; a bool mask (all False if undefined)."""
    hi = np.maximum(u, v)
    lo = np.minimum(u, v)
    lower = np.zeros(n, dtype=np.int64)  # bit mask of each node's neighbours with a lower code
    np.bitwise_or.at(lower, hi, np.left_shift(np.int64(1), lo.astype(np.int64)))
    e_cc = np.zeros(1 << n, dtype=np.int32)  # edges inside the node set with bit mask s
    for i in range(n):
        s = np.arange(1 << i, dtype=np.int64)
        e_cc[1 << i: 2 << i] = e_cc[: 1 << i] + _popcount(s & lower[i])
    size = _popcount(np.arange(1 << n, dtype=np.int64))
    # the periphery of set s is its complement, (2^n - 1) - s: the reversed array
    r = _cp_fit(n, size, e_cc, e_cc[::-1])
    mask = np.zeros(n, dtype=bool)
    if np.all(np.isnan(r)):
        return mask
    best = np.flatnonzero(r >= np.nanmax(r) - _CP_TOL)
    # fewest core nodes, then the core whose nodes come first in node order
    best = best[size[best] == size[best].min()]
    pick = min(best.tolist(), key=lambda s: [i for i in range(n) if s >> i & 1])
    mask[[i for i in range(n) if pick >> i & 1]] = True
    return mask


def _cp_prefix(n: int, u, v, order: np.ndarray) -> np.ndarray:
    """Best core among the prefixes of ``order``, from cumulative edge counts (O(n + m))."""
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    hi = np.maximum(rank[u], rank[v])
    lo = np.minimum(rank[u], rank[v])
    c = np.arange(1, n)
    e_cc = np.cumsum(np.bincount(hi, minlength=n))[c - 1]
    e_pp = np.append(np.cumsum(np.bincount(lo, minlength=n)[::-1])[::-1], 0)[c]
    r = _cp_fit(n, c, e_cc, e_pp)
    mask = np.zeros(n, dtype=bool)
    if not np.all(np.isnan(r)):
        mask[order[: c[int(np.nanargmax(r))]]] = True
    return mask


def _cp_climb(n: int, u, v, indptr, indices, deg, mask: np.ndarray) -> tuple[np.ndarray, float]:
    """Move single nodes between core and periphery while the fit rises (best move first).

    A move's fit depends only on the node's side and its neighbours in the core
    and in the periphery, so the moves are evaluated once per such class (a few
    hundred on sparse graphs) and the class's first node in node order moves.
    """
    import heapq

    mask = mask.copy()
    k_core = np.bincount(np.concatenate([u[mask[v]], v[mask[u]]]), minlength=n)  # neighbours in the core
    c = int(mask.sum())
    e_cc = int((mask[u] & mask[v]).sum())
    e_pp = int((~mask[u] & ~mask[v]).sum())
    fit = float(np.nan_to_num(_cp_fit(n, c, e_cc, e_pp), nan=-np.inf))
    width = int(deg.max()) + 1
    cls = (k_core * width + (deg - k_core)) * 2 + mask  # class code: (in core, in periphery, side)
    order = np.argsort(cls, kind="stable")
    keys, first, counts = np.unique(cls[order], return_index=True, return_counts=True)
    heaps = {int(k): order[f:f + m].tolist() for k, f, m in zip(keys, first, counts)}  # sorted: heaps
    count = dict(zip(keys.tolist(), counts.tolist()))
    cls = cls.tolist()
    k_core = k_core.tolist()
    deg_l = deg.tolist()

    def move(j, new):
        old = cls[j]
        count[old] -= 1
        if not count[old]:
            del count[old]
        cls[j] = new
        count[new] = count.get(new, 0) + 1
        heapq.heappush(heaps.setdefault(new, []), j)

    while True:
        key = np.fromiter(count, dtype=np.int64, count=len(count))
        sign = 1 - 2 * (key & 1)  # joining (+1) or leaving (−1) the core
        a = key // 2 // width  # neighbours in the core
        b = key // 2 - a * width  # neighbours in the periphery
        # _cp_fit inlined (the loop's cost): moves to an undefined fit give NaN, never the maximum
        cc = c + sign
        n_cc = cc * (cc - 1) / 2
        total = n_cc + (n - cc) * (n - cc - 1) / 2
        x = e_cc + sign * a
        ones = x + e_pp - sign * b
        with np.errstate(invalid="ignore", divide="ignore"):
            new = (total * x - ones * n_cc) / np.sqrt(ones * (total - ones) * n_cc * (total - n_cc))
        top = np.fmax.reduce(new)
        if not top > fit + _CP_TOL:
            return mask, fit
        i = n
        for k in key[new == top].tolist():  # the first node of the best classes
            h = heaps[k]
            while cls[h[0]] != k:
                heapq.heappop(h)
            i = min(i, h[0])
        s = 1 - 2 * int(mask[i])
        kc = k_core[i]
        c, e_cc, e_pp, fit = c + s, e_cc + s * kc, e_pp - s * (deg_l[i] - kc), float(top)
        mask[i] = not mask[i]
        move(i, (kc * width + deg_l[i] - kc) * 2 + int(mask[i]))
        for j in indices[indptr[i]:indptr[i + 1]].tolist():
            k_core[j] += s
            move(j, (k_core[j] * width + deg_l[j] - k_core[j]) * 2 + int(mask[j]))


def _cp_local(n: int, u, v, restarts: int, seed: int) -> np.ndarray:
    """Best core of ``restarts`` hill climbs from the best prefixes of noisy degree orders."""
    from scipy import sparse

    adj = sparse.csr_matrix((np.ones(2 * len(u)), (np.concatenate([u, v]), np.concatenate([v, u]))),
                            shape=(n, n))
    deg = np.diff(adj.indptr)
    rng = np.random.default_rng(seed)
    best, best_fit = np.zeros(n, dtype=bool), -np.inf
    for r in range(restarts):
        # restart 0: the degree order (then node order); then degrees times ever larger seeded
        # log-normal noise (sigma up to 1), equal keys in random order
        if r == 0:
            order = np.lexsort((np.arange(n), -deg))
        else:
            sigma = r / max(restarts - 1, 1)
            order = np.lexsort((rng.permutation(n), -(deg + 1) * np.exp(sigma * rng.standard_normal(n))))
        start = _cp_prefix(n, u, v, order)
        if not start.any():
            start = rng.random(n) < 0.5
        mask, fit = _cp_climb(n, u, v, adj.indptr, adj.indices, deg, start)
        better = fit > best_fit + _CP_TOL
        tie = abs(fit - best_fit) <= _CP_TOL and (
            mask.sum() < best.sum()
            or (mask.sum() == best.sum() and np.flatnonzero(mask).tolist() < np.flatnonzero(best).tolist()))
        if better or tie:
            best, best_fit = mask, fit
    if not np.isfinite(best_fit):
        best[:] = False
    return best


def _core_periphery(n: int, u: np.ndarray, v: np.ndarray, *, method: str = "auto", restarts: int = 20,
                    seed: int = 0) -> tuple[np.ndarray, float, str]:
    """Core mask, fit and method of the Borgatti–Everett discrete model on codes ``0 .. n-1``."""
    if method == "auto":
        method = "exact" if n <= _CP_MAX_EXACT else "local"
    if n < 3 or len(u) == 0:
        return np.zeros(n, dtype=bool), float("nan"), method
    mask = _cp_exact(n, u, v) if method == "exact" else _cp_local(n, u, v, restarts, seed)
    if not mask.any():
        return mask, float("nan"), method
    fit = float(_cp_fit(n, mask.sum(), (mask[u] & mask[v]).sum(), (~mask[u] & ~mask[v]).sum()))
    return mask, fit, method


def core_periphery(G, *, method: str = "auto", restarts: int = 20, seed: int = 0) -> CorePeriphery:
    """Borgatti–Everett discrete core/periphery partition of a plain graph.

    The core is the node set C whose ideal pattern correlates best with the
    adjacency matrix: core–core pairs 1, periphery–periphery pairs 0, and
    core–periphery pairs ignored (the variant orgnet documents; Borgatti and
    Everett's model with the off-diagonal block left out, their eq. for the
    "ignore" case).

    Parameters
    ----------
    G : networkx.Graph
        Undirected; edge weights are ignored, self-loops dropped, parallel
        edges of a multigraph counted once.
    method : {"auto", "exact", "local"}, default "auto"
        ``"exact"``: every one of the 2^n node sets (refused above 26 nodes);
        ``"local"``: hill climbing with restarts; ``"auto"``: exact up to 20
        nodes, local above.
    restarts : int, default 20
        Hill climbs of the local search (ignored by the exact search).
    seed : int, default 0
        Seed of the local search's random starts (``numpy.random.default_rng``).

    Returns
    -------
    CorePeriphery
        Named tuple ``(core, fit, method)``: the core as a frozenset of nodes
        (empty when the fit is undefined), the correlation r of the core (NaN
        when undefined: fewer than 3 nodes, no edge, or every candidate gives a
        constant pattern, e.g. a complete graph) and ``"exact"`` or ``"local"``.

    Raises
    ------
    OrgnetParameterError
        A directed graph, an unknown ``method``, ``"exact"`` on more than 26
        nodes, ``restarts`` < 1 or a negative ``seed``.

    See Also
    --------
    fragmentation : the core share of each street's tie network.

    Notes
    -----
    Over the pairs {i, j} with both ends in the core or both in the periphery,
    r is the Pearson correlation between a_ij (1 when i and j are adjacent)
    and δ_ij (1 when both are in the core). With c core nodes, e_cc edges
    inside the core, e_pp inside the periphery, n_cc = c(c − 1)/2,
    n_pp = (n − c)(n − c − 1)/2, N = n_cc + n_pp and E = e_cc + e_pp:

        r = (N e_cc − E n_cc) / sqrt(E (N − E) n_cc (N − n_cc))

    The exact search builds e_cc of all 2^n node sets by doubling (the
    periphery of a set is its complement): O(2^n) time and memory. The local
    search starts from the best prefix of a degree order (restart 0: degree,
    then node order — the old heuristic; later restarts add ever larger seeded
    noise to the degrees, the last order almost random) and moves the single
    node that raises r most until none does: O(n) per move, O(n log n + m)
    per start. Fits within 1e-12 are equal; among them the smaller core wins,
    then the core whose nodes come first in ``G``'s node order, so the result
    does not depend on the labels when the optimum is unique.

    References
    ----------
    .. [1] Borgatti, S. P. & Everett, M. G. (1999). Models of core/periphery
       structures. Social Networks 21(4), 375–395.

    Examples
    --------
    Padgett's Florentine families: the Medici, Ridolfi and Tornabuoni form the
    core (the best degree-ordered core has 7 families and r = 0.380).

    >>> import networkx as nx
    >>> from orgnet.structure import core_periphery
    >>> cp = core_periphery(nx.florentine_families_graph())
    >>> sorted(cp.core), round(cp.fit, 4), cp.method
    (['Medici', 'Ridolfi', 'Tornabuoni'], 0.4226, 'exact')
    >>> cp = core_periphery(nx.florentine_families_graph(), method="local", seed=1)
    >>> sorted(cp.core), round(cp.fit, 4), cp.method
    (['Medici', 'Ridolfi', 'Tornabuoni'], 0.4226, 'local')
    """
    func = "core_periphery"
    check_choice(method, "method", func, _CP_METHODS)
    restarts = check_number(restarts, "restarts", func, minimum=1, integer=True)
    seed = check_number(seed, "seed", func, minimum=0, integer=True)
    if G.is_directed():
        raise OrgnetParameterError(
            f"core_periphery needs an undirected graph; got a directed {type(G).__name__}. "
            "Pass G.to_undirected().")
    nodes = list(G.nodes)
    n = len(nodes)
    if method == "exact" and n > _CP_EXACT_LIMIT:
        raise OrgnetParameterError(
            f"The exact core/periphery search of core_periphery takes at most {_CP_EXACT_LIMIT} nodes. "
            f"Got {n} nodes; use method='local' or 'auto'.")
    code = {x: i for i, x in enumerate(nodes)}
    pairs = {(min(code[a], code[b]), max(code[a], code[b])) for a, b in G.edges() if a != b}
    pairs = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    mask, fit, used = _core_periphery(n, pairs[:, 0], pairs[:, 1], method=method, restarts=restarts,
                                      seed=seed)
    return CorePeriphery(frozenset(nodes[i] for i in np.flatnonzero(mask)), fit, used)


def _summarise(u, v, n, is_unit, group, seed) -> dict:
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    m = len(u)
    if n == 0:
        return dict(nodes=0, edges=0, components=0, main_component_share=np.nan, density=np.nan,
                    modularity=np.nan, core_share=np.nan, core_fit=np.nan, core_method="exact")
    adj = sparse.coo_matrix((np.ones(m), (u, v)), shape=(n, n))
    nc, labels = connected_components(adj, directed=False)
    size = np.bincount(labels, minlength=nc)
    units = np.bincount(labels, weights=is_unit.astype(float), minlength=nc)
    main = np.lexsort((-units, -size))[0]  # largest; among equals, most units
    n_units = is_unit.sum()
    core, fit, method = _core_periphery(n, u, v, seed=seed)
    return dict(
        nodes=int(n), edges=int(m), components=int(nc),
        main_component_share=float(units[main] / n_units) if n_units else np.nan,
        density=2 * m / (n * (n - 1)) if n > 1 else np.nan,
        modularity=_modularity(u, v, group, n),
        core_share=float(core.sum() / n) if core.any() else np.nan,
        core_fit=fit, core_method=method,
    )


def fragmentation(net: OrgNetwork, *, by: str = "street", as_of: DateLike = None, hierarchy: bool = True,
                  modularity_level: str = "community", seed: int = 0) -> pd.DataFrame:
    """Fragmentation (碎片化) of the tie network per area and for the whole network.

    For each area of level ``by``, the subgraph of the tie network (unweighted,
    plus the hierarchy) on the entities located in the area: organisations by
    their seated area (else their unit's area), units by their area, areas
    named by ties by themselves.

    Parameters
    ----------
    net : OrgNetwork
    by : str, default "street"
        An area level; one row per area of that level, and a last row ``all``
        for the whole network.
    as_of : date-like, optional
        Default: the network's ``as_of``.
    hierarchy : bool, default True
        Include the organisation hierarchy, as in :func:`centrality`.
    modularity_level : str, default "community"
        Modularity is of the partition of nodes by their area at this level
        (nodes located above it form one group per located area).
    seed : int, default 0
        Seed of the core/periphery local search (areas of more than 20 nodes).

    Returns
    -------
    DataFrame
        Indexed by area id (then ``all``): ``name``, ``nodes``, ``edges``,
        ``components`` (isolated entities count), ``main_component_share``
        (share of the area's units in the largest component; among equally
        large ones, the one holding most units; NaN without units),
        ``density`` (2m / (n (n − 1))), ``modularity`` (NaN without edges;
        0 when the partition has one group), ``core_share`` (share of nodes in
        the core of :func:`core_periphery`; NaN when undefined).
        ``attrs["outside"]``: nodes located in no area of level ``by`` (in the
        ``all`` row only); ``attrs["core_method"]`` and ``attrs["core_fit"]``:
        per row, ``"exact"`` or ``"local"`` and the core's correlation r.

    Notes
    -----
    Modularity [1]_: Q = Σ_c [L_c / m − (d_c / 2m)²] with L_c the edges inside
    group c and d_c the sum of its degrees. Core share: the discrete
    core/periphery model [2]_ (correlation between the adjacency and the ideal
    pattern, core–core pairs 1, periphery–periphery pairs 0, core–periphery
    pairs ignored) fitted by :func:`core_periphery` with ``method="auto"``:
    the optimum over all 2^n partitions for areas of at most 20 nodes
    (O(2^n)), a seeded local search with 20 restarts above (O(n) per move,
    not guaranteed optimal; ties by id order). Components via scipy:
    O(n + m) per area.

    References
    ----------
    .. [1] Newman, M. E. J. (2006). Modularity and community structure in
       networks. PNAS 103(23), 8577–8582.
    .. [2] Borgatti, S. P. & Everett, M. G. (1999). Models of core/periphery
       structures. Social Networks 21(4), 375–395.

    Examples
    --------
    >>> import orgnet
    >>> from orgnet import structure
    >>> f = structure.fragmentation(orgnet.datasets.load("demo"))
    >>> f.index.tolist()
    ['S1', 'S2', 'all']
    >>> f["components"].tolist()
    [3, 3, 3]
    >>> f["main_component_share"].round(3).tolist()
    [0.875, 0.882, 0.939]

    Every street has more than 20 nodes, so its core comes from the local search:

    >>> f["core_share"].round(3).tolist(), f.attrs["core_method"]["S1"]
    ([0.211, 0.205, 0.215], 'local')
    """
    func = "fragmentation"
    check_level(by, "by", func)
    check_level(modularity_level, "modularity_level", func)
    hierarchy = check_bool(hierarchy, "hierarchy", func)
    seed = check_number(seed, "seed", func, minimum=0, integer=True)
    when = net.resolve_as_of(as_of)
    g, notes = _tie_network(net, when, weight=None, hierarchy=hierarchy, weights=None,
                            half_life_days=365.0, func=func)
    loc = _locations(net, g.ids)
    paths = net.area_paths
    key = loc.map(paths[by]).to_numpy(dtype=object)
    mgroup = loc.map(paths[modularity_level])
    mgroup = mgroup.where(mgroup.notna(), loc).fillna("(none)")
    gcode = pd.factorize(mgroup.to_numpy(dtype=object))[0]
    kinds = net.entity_kinds.reindex(g.ids).to_numpy(dtype=object)
    is_unit = kinds == "unit"

    index = net.areas.index[(net.areas["level"] == by).to_numpy()]
    rows = {}
    kcode = pd.Index(index).get_indexer(key)
    same = (kcode[g.u] == kcode[g.v]) & (kcode[g.u] >= 0)
    for i, area in enumerate(index):
        nodes = np.flatnonzero(kcode == i)
        local = np.full(g.n, -1)
        local[nodes] = np.arange(len(nodes))
        e = same & (kcode[g.u] == i)
        rows[area] = _summarise(local[g.u[e]], local[g.v[e]], len(nodes), is_unit[nodes],
                                pd.factorize(gcode[nodes])[0], seed)
    rows["all"] = _summarise(g.u, g.v, g.n, is_unit, gcode, seed)
    out = pd.DataFrame.from_dict(rows, orient="index")
    core_method = out.pop("core_method").to_dict()
    core_fit = out.pop("core_fit").to_dict()
    out.insert(0, "name", list(net.areas["name"].reindex(index).to_numpy(dtype=object)) + [net.name or "all"])
    for c in ("nodes", "edges", "components"):
        out[c] = out[c].astype(int)
    out.index.name = by
    out.attrs.update(func=func, as_of=when, by=by, hierarchy=hierarchy, modularity_level=modularity_level,
                     outside=int((kcode < 0).sum()), seed=seed, core_method=core_method,
                     core_fit=core_fit, notes=notes)
    return out


# ====================================================================== projection


def two_mode_projection(edges: pd.DataFrame, left: str, right: str, weighting: str = "count") -> pd.DataFrame:
    """Project a two-mode (bipartite) edge list onto its ``left`` nodes.

    Two left nodes are linked when they share at least one right node.

    Parameters
    ----------
    edges : DataFrame
        One row per left–right tie, with columns ``left`` and ``right``;
        repeated rows and missing values are ignored.
    left, right : str
        Column names: the mode kept and the mode projected away.
    weighting : {"count", "newman"}, default "count"
        ``count``: the number of shared right nodes; ``newman``:
        Σ over shared right nodes p of 1 / (k_p − 1), k_p the number of left
        nodes tied to p (Newman 2001): a partner shared by two communities
        weighs 1, one shared by ten weighs 1/9 for each of the 45 pairs.

    Returns
    -------
    DataFrame
        One row per linked pair, sorted: ``a``, ``b`` (``a < b``), ``weight``,
        ``shared`` (number of shared right nodes).

    Notes
    -----
    Self-join on the right column: O(Σ_p k_p²).

    References
    ----------
    .. [1] Newman, M. E. J. (2001). Scientific collaboration networks. II.
       Shortest paths, weighted networks, and centrality. Physical Review E
       64, 016132.

    Examples
    --------
    >>> import pandas as pd
    >>> from orgnet import structure
    >>> e = pd.DataFrame({"c": ["C1", "C2", "C3", "C1", "C2"], "p": ["U1", "U1", "U1", "U2", "U2"]})
    >>> structure.two_mode_projection(e, "c", "p", "newman").values.tolist()
    [['C1', 'C2', 1.5, 2], ['C1', 'C3', 0.5, 1], ['C2', 'C3', 0.5, 1]]
    """
    func = "two_mode_projection"
    if not isinstance(edges, pd.DataFrame) or left not in edges or right not in edges or left == right:
        raise OrgnetParameterError(
            f"The 'edges' parameter of {func} must be a DataFrame with two distinct columns {left!r} and "
            f"{right!r}. Got {type(edges).__name__} instead."
        )
    check_choice(weighting, "weighting", func, _WEIGHTINGS)
    e = pd.DataFrame({"l": _obj(edges[left]), "r": _obj(edges[right])})
    e = e[(e["l"].notna() & e["r"].notna()).to_numpy()].drop_duplicates()
    k = e.groupby("r").size()
    pairs = e.merge(e, on="r", suffixes=("_a", "_b"))
    pairs = pairs[(pairs["l_a"] < pairs["l_b"]).to_numpy()]
    cols = ["a", "b", "weight", "shared"]
    if pairs.empty:
        out = pd.DataFrame({"a": pd.Series(dtype=object), "b": pd.Series(dtype=object),
                            "weight": pd.Series(dtype=float), "shared": pd.Series(dtype=int)})
    else:
        kp = pairs["r"].map(k).to_numpy(dtype=float)
        pairs = pairs.assign(w=1.0 if weighting == "count" else 1.0 / (kp - 1.0))
        out = (pairs.groupby(["l_a", "l_b"], sort=True)
               .agg(weight=("w", "sum"), shared=("r", "size")).reset_index()
               .rename(columns={"l_a": "a", "l_b": "b"}))
        out["shared"] = out["shared"].astype(int)
        out["weight"] = out["weight"].astype(float)
    out = out[cols]
    out.attrs.update(func=func, left=left, right=right, weighting=weighting)
    return out


def projection(net: OrgNetwork, *, mode: str = "community", as_of: DateLike = None,
               weighting: str = "count") -> pd.DataFrame:
    """Communities linked by shared co-building partners (or partners by shared communities).

    The two-mode network is community × partner: a community is tied to each
    of its co-building partners as defined in :func:`what_if_remove` (the other
    ends of the active ``co_building`` ties of its territorial organisations).

    Parameters
    ----------
    net : OrgNetwork
    mode : {"community", "partner"}, default "community"
        ``community``: communities linked by shared partners (a unit co-building
        with two communities links them); ``partner``: partners linked by the
        communities they share.
    as_of : date-like, optional
        Default: the network's ``as_of``.
    weighting : {"count", "newman"}, default "count"
        See :func:`two_mode_projection`.

    Returns
    -------
    DataFrame
        One row per linked pair: ``a``, ``b`` (``a < b``), ``weight``, ``shared``.

    Raises
    ------
    OrgnetMissingDataError
        When the network has no ties or no community areas.

    See Also
    --------
    two_mode_projection : the projection of any two-mode edge list.

    Notes
    -----
    O(Σ_p k_p²) over the partners p (k_p: communities of p).

    References
    ----------
    .. [1] Newman, M. E. J. (2001). Scientific collaboration networks. II.
       Shortest paths, weighted networks, and centrality. Physical Review E
       64, 016132.

    Examples
    --------
    >>> import orgnet
    >>> from orgnet import structure
    >>> p = structure.projection(orgnet.datasets.load("demo"), mode="partner")
    >>> len(p), int(p["shared"].max())
    (8, 1)
    >>> p[["a", "b"]].iloc[0].tolist()
    ['OU01', 'OU06']
    """
    func = "projection"
    check_choice(mode, "mode", func, _MODES)
    check_choice(weighting, "weighting", func, _WEIGHTINGS)
    when = net.resolve_as_of(as_of)
    require(net, func, tables=["ties"])
    _require_level(net, "community", func)
    e = _partner_edges(net, when)[["community", "partner"]]
    left, right = ("community", "partner") if mode == "community" else ("partner", "community")
    out = two_mode_projection(e, left, right, weighting)
    out.attrs.update(func=func, as_of=when, mode=mode, weighting=weighting)
    return out
