"""Cohesion: components, density, modularity and the Borgatti–Everett core per street, and core–periphery on a plain graph."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple, Union

import numpy as np
import pandas as pd

from .._params import check_bool, check_choice, check_level, check_number
from ..errors import OrgnetParameterError
from ..network import OrgNetwork
from .graphs import locations, tie_network

__all__ = ['CorePeriphery', 'core_periphery', 'fragmentation']

#: what ``as_of`` accepts: a date, a Timestamp or an ISO string; None for the network's date
DateLike = Union[str, date, pd.Timestamp, None]


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
    g, notes = tie_network(net, when, weight=None, hierarchy=hierarchy, weights=None,
                            half_life_days=365.0, func=func)
    loc = locations(net, g.ids)
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
