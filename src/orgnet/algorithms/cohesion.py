"""Cohesion of a plain graph: the modularity of any partition, components with the
main component's share and the density, and the Borgatti–Everett core/periphery.

- :func:`modularity` — Newman's modularity Q of any partition (a dict node ->
  group, a list of node sets, a node attribute, or one label per node);
- :func:`component_summary` — nodes, edges, components, the main component's
  share of given members, density;
- :func:`core_periphery` — the discrete core/periphery partition (exact up to
  20 nodes, a seeded local search with restarts above), with its fit.

Every function takes a networkx graph, a :class:`~orgnet.algorithms.graph.Coded`
graph (integer-coded arrays, what the domain modules pass at city scale) or a
square scipy sparse matrix (nodes ``0 .. n-1``, read by
:func:`~orgnet.algorithms.graph.as_coded`).
"""

from __future__ import annotations

from typing import NamedTuple

import networkx as nx
import numpy as np

from .._params import Integer, Nodes, Options, Real, Seed, Text, as_rng, current_function, fail, validate_params
from ..errors import OrgnetParameterError
from .graph import GRAPH, as_coded, node_mask, require_undirected

__all__ = ["modularity", "component_summary", "CorePeriphery", "core_periphery"]

_GRAPH = GRAPH


# ----------------------------------------------------------------------------- modularity


def _edge_arrays(G, weight):
    """Edge ends (codes in node order) and weights, self-loops and parallel edges kept."""
    if not isinstance(G, nx.Graph):  # Coded or sparse: simple undirected
        c = as_coded(G, weight)
        return list(c.nodes), np.asarray(c.u, dtype=np.int64), np.asarray(c.v, dtype=np.int64), c.w
    nodes = list(G.nodes)
    index = {x: i for i, x in enumerate(nodes)}
    m = G.number_of_edges()
    u = np.empty(m, dtype=np.int64)
    v = np.empty(m, dtype=np.int64)
    w = np.ones(m)
    edges = G.edges(data=weight, default=1) if weight is not None else G.edges()
    for k, e in enumerate(edges):
        u[k], v[k] = index[e[0]], index[e[1]]
        if weight is not None:
            try:
                val = float(e[2])
            except (TypeError, ValueError):
                val = float("nan")
            if not val >= 0:
                fail("weight", f"the name of an edge attribute holding numbers >= 0 (edge {e[0]!r}-{e[1]!r} "
                     f"has {weight}={e[2]!r})", weight)
            w[k] = val
    return nodes, u, v, w


def _group_codes(G, nodes: list, partition) -> np.ndarray:
    """Group code of every node (0 .. k-1); refuses what is not a partition of the nodes."""
    what = "a partition of G's nodes (a dict node -> group, a list of node sets or a node attribute name)"
    n = len(nodes)
    if isinstance(partition, str):
        if not isinstance(G, nx.Graph):
            fail("partition", "a dict, a list of node sets or an array of labels (a Coded graph or a "
                 "matrix has no node attributes)", partition)
        attr = nx.get_node_attributes(G, partition)
        missing = [x for x in nodes if x not in attr]
        if missing:
            fail("partition", f"{what}; node {missing[0]!r} has no attribute {partition!r}", partition)
        labels = [attr[x] for x in nodes]
    elif isinstance(partition, np.ndarray):
        if partition.shape != (n,):
            fail("partition", f"{what}, or an array of {n} labels in node order", partition)
        labels = partition.tolist()
    elif isinstance(partition, dict):
        missing = [x for x in nodes if x not in partition]
        if missing:
            fail("partition", f"{what}; node {missing[0]!r} is in no group", partition)
        if len(partition) != n:
            extra = next(k for k in partition if k not in set(nodes))
            fail("partition", f"{what}; {extra!r} is not a node of G", partition)
        labels = [partition[x] for x in nodes]
    else:
        index = {x: i for i, x in enumerate(nodes)}
        code = np.full(n, -1, dtype=np.int64)
        try:
            groups = [list(c) for c in partition]
        except TypeError:
            fail("partition", what, partition)
        for g, members in enumerate(groups):
            for x in members:
                i = index.get(x)
                if i is None:
                    fail("partition", f"{what}; {x!r} is not a node of G", partition)
                if code[i] >= 0:
                    fail("partition", f"{what}; node {x!r} is in two groups", partition)
                code[i] = g
        if (code < 0).any():
            fail("partition", f"{what}; node {nodes[int(np.flatnonzero(code < 0)[0])]!r} is in no group",
                 partition)
        return code
    try:
        import pandas as pd

        return pd.factorize(pd.Series(labels, dtype=object))[0].astype(np.int64)
    except TypeError:
        fail("partition", f"{what} with hashable group labels", partition)


@validate_params(G=_GRAPH, weight=[Text(), None], resolution=Real(0))
def modularity(G, partition, *, weight: str | None = None, resolution: float = 1) -> float:
    """Newman's modularity of a partition of a graph's nodes.

    Parameters
    ----------
    G : networkx graph, Coded or sparse matrix
        Any networkx graph (directed graphs use the directed form; self-loops
        and parallel edges count as in networkx), or a
        :class:`~orgnet.algorithms.graph.Coded` graph or square sparse
        matrix (undirected, simple).
    partition : dict, list of sets, str or ndarray
        The groups: a dict node -> group label, an iterable of node sets (each
        node in exactly one), the name of a node attribute holding the group
        (e.g. ``"club"`` on Zachary's karate club), or an array of one label
        per node in ``G``'s node order.
    weight : str, optional
        Edge attribute holding the weight (missing: 1); None counts each edge
        once. For a Coded graph or a sparse matrix any name uses its
        weights (``w``, the entries).
    resolution : float, default 1
        γ in the formula below (> 1 favours smaller groups).

    Returns
    -------
    float
        Q; NaN when ``G`` has no edge (or only edges of weight 0).

    Raises
    ------
    OrgnetParameterError
        When ``partition`` is not a partition of the nodes (a node in no group
        or in two, a label that is not a node), or a weight is negative.

    See Also
    --------
    networkx.community.modularity : the same measure (default ``weight="weight"``).

    Notes
    -----
    Undirected [1]_: Q = Σ_c [L_c / m − γ (d_c / 2m)²], with m the total edge
    weight, L_c the weight of the edges inside group c and d_c the sum of its
    weighted degrees (a self-loop adds twice to its node's degree). Directed
    [2]_: Q = Σ_c [L_c / m − γ d⁺_c d⁻_c / m²] with out- and in-degree sums.
    Bincounts over the edges: O(n + m).

    References
    ----------
    .. [1] Newman, M. E. J. (2006). Modularity and community structure in
       networks. PNAS 103(23), 8577–8582.
    .. [2] Leicht, E. A. & Newman, M. E. J. (2008). Community structure in
       directed networks. Physical Review Letters 100, 118703.

    Examples
    --------
    The split of Zachary's karate club into its two clubs:

    >>> import networkx as nx
    >>> from orgnet.algorithms import modularity
    >>> G = nx.karate_club_graph()
    >>> round(modularity(G, "club"), 4)
    0.3582
    >>> round(modularity(G, "club", weight="weight"), 4)  # weighted by shared activities
    0.3914
    """
    nodes, u, v, w = _edge_arrays(G, weight)
    group = _group_codes(G, nodes, partition)
    n = len(nodes)
    k = int(group.max()) + 1 if n else 0
    inside = (group[u] == group[v]) if len(u) else np.zeros(0, dtype=bool)
    l_c = np.bincount(group[u][inside], weights=w[inside], minlength=k)
    if isinstance(G, nx.Graph) and G.is_directed():
        m = float(w.sum())
        if not m > 0:
            return float("nan")
        d_out = np.bincount(group[u], weights=w, minlength=k)
        d_in = np.bincount(group[v], weights=w, minlength=k)
        return float((l_c / m).sum() - resolution * (d_out * d_in).sum() / m ** 2)
    deg = np.bincount(u, weights=w, minlength=n) + np.bincount(v, weights=w, minlength=n)
    m = float(deg.sum()) / 2
    if not m > 0:
        return float("nan")
    d_c = np.bincount(group, weights=deg, minlength=k)
    return float((l_c / m).sum() - resolution * ((d_c / (2 * m)) ** 2).sum())


# ----------------------------------------------------------------------------- components


@validate_params(G=_GRAPH, members=[Nodes(), None])
def component_summary(G, *, members=None) -> dict:
    """Connected components of a graph, its main component's share of some members, and density.

    Parameters
    ----------
    G : networkx.Graph, Coded or sparse matrix
        Undirected; self-loops are dropped and parallel edges counted once.
    members : iterable of nodes or boolean array, optional
        The nodes whose share the main component holds (e.g. the units of an
        area); default every node. A boolean array is aligned with ``G``'s
        node order.

    Returns
    -------
    dict
        ``nodes`` (n), ``edges`` (m, distinct pairs), ``components`` (an
        isolated node is one), ``main_component_size``,
        ``main_component_share`` (members in the main component / members;
        NaN without members or nodes) and ``density`` 2m / (n (n − 1)) (NaN
        below 2 nodes, where networkx's ``density`` gives 0). The main
        component is the largest; among equally large ones, the one holding
        most members, then the one whose first node comes first.

    Raises
    ------
    OrgnetParameterError
        A directed graph, or a member that is not a node.

    Notes
    -----
    ``scipy.sparse.csgraph.connected_components``: O(n + m).

    Examples
    --------
    >>> import networkx as nx
    >>> from orgnet.algorithms import component_summary
    >>> g = nx.florentine_families_graph()
    >>> g.add_node("Rucellai")  # a 16th family with no marriage tie
    >>> s = component_summary(g)
    >>> s["components"], s["main_component_size"], round(s["main_component_share"], 4), round(s["density"], 4)
    (2, 15, 0.9375, 0.1667)
    """
    from scipy.sparse.csgraph import connected_components

    require_undirected(G)
    c = as_coded(G)
    n, m = c.n, c.m
    member = np.ones(n, dtype=bool) if members is None else node_mask(c.nodes, members, "members")
    if n == 0:
        return dict(nodes=0, edges=0, components=0, main_component_size=0, main_component_share=np.nan,
                    density=np.nan)
    nc, labels = connected_components(c.adjacency(weighted=False), directed=False)
    size = np.bincount(labels, minlength=nc)
    held = np.bincount(labels, weights=member.astype(float), minlength=nc)
    main = np.lexsort((-held, -size))[0]  # largest; among equals, most members, then first
    total = member.sum()
    return dict(nodes=int(n), edges=int(m), components=int(nc), main_component_size=int(size[main]),
                main_component_share=float(held[main] / total) if total else np.nan,
                density=2 * m / (n * (n - 1)) if n > 1 else np.nan)


# ----------------------------------------------------------------------------- core/periphery

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


def _cp_local(n: int, u, v, restarts: int, rng: np.random.Generator) -> np.ndarray:
    """Best core of ``restarts`` hill climbs from the best prefixes of noisy degree orders."""
    from scipy import sparse

    adj = sparse.csr_matrix((np.ones(2 * len(u)), (np.concatenate([u, v]), np.concatenate([v, u]))),
                            shape=(n, n))
    deg = np.diff(adj.indptr)
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


def _core_periphery(n: int, u: np.ndarray, v: np.ndarray, *, method: str, restarts: int,
                    rng: np.random.Generator) -> tuple[np.ndarray, float, str]:
    """Core mask, fit and method of the Borgatti–Everett discrete model on codes ``0 .. n-1``."""
    if method == "auto":
        method = "exact" if n <= _CP_MAX_EXACT else "local"
    if n < 3 or len(u) == 0:
        return np.zeros(n, dtype=bool), float("nan"), method
    mask = _cp_exact(n, u, v) if method == "exact" else _cp_local(n, u, v, restarts, rng)
    if not mask.any():
        return mask, float("nan"), method
    fit = float(_cp_fit(n, mask.sum(), (mask[u] & mask[v]).sum(), (~mask[u] & ~mask[v]).sum()))
    return mask, fit, method




@validate_params(G=_GRAPH, method=Options(*_CP_METHODS), restarts=Integer(1), seed=Seed())
def core_periphery(G, *, method: str = "auto", restarts: int = 20, seed=0) -> CorePeriphery:
    """Borgatti–Everett discrete core/periphery partition of a plain graph.

    The core is the node set C whose ideal pattern correlates best with the
    adjacency matrix: core–core pairs 1, periphery–periphery pairs 0, and
    core–periphery pairs ignored (the variant orgnet documents; Borgatti and
    Everett's model with the off-diagonal block left out, their eq. for the
    "ignore" case).

    Parameters
    ----------
    G : networkx.Graph, Coded or sparse matrix
        Undirected; edge weights are ignored, self-loops dropped, parallel
        edges of a multigraph counted once.
    method : {"auto", "exact", "local"}, default "auto"
        ``"exact"``: every one of the 2^n node sets (refused above 26 nodes);
        ``"local"``: hill climbing with restarts; ``"auto"``: exact up to 20
        nodes, local above.
    restarts : int, default 20
        Hill climbs of the local search (ignored by the exact search).
    seed : int or numpy.random.Generator, default 0
        Seed of the local search's random starts (see :func:`orgnet._params.as_rng`).

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
    orgnet.structure.fragmentation : the core share of each street's tie network.

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
    then node order; later restarts add ever larger seeded noise to the
    degrees, the last order almost random) and moves the single node that
    raises r most until none does: O(n) per move, O(n log n + m) per start.
    Fits within 1e-12 are equal; among them the smaller core wins, then the
    core whose nodes come first in ``G``'s node order, so the result does not
    depend on the labels when the optimum is unique.

    References
    ----------
    .. [1] Borgatti, S. P. & Everett, M. G. (1999). Models of core/periphery
       structures. Social Networks 21(4), 375–395.

    Examples
    --------
    Padgett's Florentine families: the Medici, Ridolfi and Tornabuoni form the
    core (the best degree-ordered core has 7 families and r = 0.380).

    >>> import networkx as nx
    >>> from orgnet.algorithms import core_periphery
    >>> cp = core_periphery(nx.florentine_families_graph())
    >>> sorted(cp.core), round(cp.fit, 4), cp.method
    (['Medici', 'Ridolfi', 'Tornabuoni'], 0.4226, 'exact')
    >>> cp = core_periphery(nx.florentine_families_graph(), method="local", seed=1)
    >>> sorted(cp.core), round(cp.fit, 4), cp.method
    (['Medici', 'Ridolfi', 'Tornabuoni'], 0.4226, 'local')
    """
    require_undirected(G)
    c = as_coded(G)
    n = c.n
    if method == "exact" and n > _CP_EXACT_LIMIT:
        raise OrgnetParameterError(
            f"The exact core/periphery search of {current_function()} takes at most {_CP_EXACT_LIMIT} nodes. "
            f"Got {n} nodes; use method='local' or 'auto'.")
    mask, fit, used = _core_periphery(n, np.asarray(c.u, dtype=np.int64), np.asarray(c.v, dtype=np.int64),
                                      method=method, restarts=restarts, rng=as_rng(seed))
    return CorePeriphery(frozenset(c.nodes[i] for i in np.flatnonzero(mask)), fit, used)
