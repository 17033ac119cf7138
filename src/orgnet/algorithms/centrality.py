"""Centrality: degree, strength, betweenness (exact and sampled), closeness, eigenvector.

Every measure here reads the graph as undirected: the direction of a
directed graph's edges is ignored, and parallel edges (and the two directions
of a directed pair) are merged into one edge — weights summed where a weight is
a strength (:func:`strength`, :func:`eigenvector`), the least weight kept where
it is a length (:func:`betweenness`, :func:`closeness`). Self-loops are
ignored. A graph is a networkx graph, an :class:`orgnet.algorithms.graph.Coded`
graph or a square scipy sparse matrix (nodes ``0 .. n-1``; see
:func:`orgnet.algorithms.graph.from_sparse`), so city-sized graphs never need a
networkx object.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .._params import Bool, Instance, Integer, Seed, Text, as_rng, fail, validate_params
from .graph import Coded, GRAPH, as_coded

__all__ = ["degree", "strength", "betweenness", "Betweenness", "brandes", "pivots", "closeness",
           "eigenvector", "BLOCK_CELLS"]

#: cells (nodes × sources) of the dense blocks of the batched Brandes and distance passes
BLOCK_CELLS = 4_000_000

#: up to this many nodes :func:`eigenvector` uses a dense symmetric eigensolver
DENSE_EIGEN = 500

_GRAPH = GRAPH
_WEIGHT = [Text(), None]


def _as_dict(g: Coded, values) -> dict:
    return dict(zip(g.nodes, values.tolist()))


def _lengths(g: Coded, weight) -> Coded:
    """Refuse lengths that are not > 0 (shortest paths need positive lengths)."""
    if weight is not None and g.m and not (g.w > 0).all():
        fail("weight", "the name of an edge attribute holding lengths > 0 (shortest paths need positive "
             "lengths)", weight)
    return g


@validate_params(G=_GRAPH)
def degree(G) -> dict:
    """Number of distinct neighbours of every node (direction ignored, self-loops ignored).

    Parameters
    ----------
    G : graph
        A networkx graph, a Coded graph or a square sparse matrix.

    Returns
    -------
    dict
        Node -> number of distinct neighbours.

    Notes
    -----
    For a simple undirected graph this is networkx's ``G.degree``; a
    MultiGraph's parallel edges and a DiGraph's two directions count once.
    O(n + m).

    References
    ----------
    .. [1] Freeman, L. C. (1978). Centrality in social networks: conceptual
       clarification. Social Networks 1(3), 215–239.

    Examples
    --------
    >>> import networkx as nx
    >>> from orgnet.algorithms import degree
    >>> degree(nx.florentine_families_graph())["Medici"]
    6
    """
    g = as_coded(G, None)
    return _as_dict(g, np.bincount(np.r_[g.u, g.v], minlength=g.n).astype(int))


@validate_params(G=_GRAPH, weight=_WEIGHT)
def strength(G, *, weight: str | None = None) -> dict:
    """Sum of the weights of every node's edges (direction ignored).

    Parameters
    ----------
    G : graph
        A networkx graph, a Coded graph or a square sparse matrix.
    weight : str, optional
        Edge attribute holding the weight (numbers >= 0; 1 where absent);
        None for 1 on every edge (parallel edges then count each).

    Returns
    -------
    dict
        Node -> strength (float).

    Notes
    -----
    s_i = Σ_j w_ij over the merged undirected edges: networkx's
    ``G.degree(weight=weight)`` without self-loops [1]_. O(n + m).

    References
    ----------
    .. [1] Barrat, A., Barthélemy, M., Pastor-Satorras, R. & Vespignani, A.
       (2004). The architecture of complex weighted networks. PNAS 101(11),
       3747–3752.

    Examples
    --------
    >>> import networkx as nx
    >>> from orgnet.algorithms import strength
    >>> strength(nx.karate_club_graph(), weight="weight")[0]
    42.0
    """
    g = as_coded(G, weight)
    return _as_dict(g, np.bincount(np.r_[g.u, g.v], weights=np.r_[g.w, g.w], minlength=g.n))


# ---------------------------------------------------------------- betweenness


def _brandes_hops(adj, sources: np.ndarray, batch: int) -> np.ndarray:
    n = adj.shape[0]
    bc = np.zeros(n)
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


def _brandes_lengths(adj, sources: np.ndarray, batch: int) -> np.ndarray:
    from scipy.sparse.csgraph import dijkstra

    n = adj.shape[0]
    c = adj.tocoo()
    tail, head, length = c.row.astype(np.int64), c.col.astype(np.int64), c.data
    arcs = len(tail)
    at_head = sp.csr_matrix((np.ones(arcs), (head, np.arange(arcs))), shape=(n, arcs))
    at_tail = sp.csr_matrix((np.ones(arcs), (tail, np.arange(arcs))), shape=(n, arcs))
    bc = np.zeros(n)
    for start in range(0, len(sources), batch):
        src = np.asarray(sources[start:start + batch])
        b = len(src)
        cols = np.arange(b)
        dist = dijkstra(adj, directed=True, indices=src).T  # n × b
        # arc tail -> head lies on a shortest path from the source when d(tail) + length == d(head)
        tight = np.isfinite(dist[tail]) & (dist[tail] + length[:, None] == dist[head])
        start_vec = np.zeros((n, b))
        start_vec[src, cols] = 1.0
        sigma = start_vec
        for _ in range(n + 1):  # σ(v) = [v = s] + Σ_{tight u -> v} σ(u), to its fixed point (a DAG)
            new = start_vec + at_head @ np.where(tight, sigma[tail], 0.0)
            if np.array_equal(new, sigma):
                break
            sigma = new
        inv = np.divide(1.0, sigma, out=np.zeros_like(sigma), where=sigma > 0)
        delta = np.zeros((n, b))
        for _ in range(n + 1):  # δ(v) = σ(v) Σ_{tight v -> w} (1 + δ(w)) / σ(w)
            new = sigma * (at_tail @ np.where(tight, ((1.0 + delta) * inv)[head], 0.0))
            if np.array_equal(new, delta):
                break
            delta = new
        delta[src, cols] = 0.0
        bc += delta.sum(axis=1)
    return bc


@validate_params(A=Instance((sp.spmatrix, sp.sparray), "a square scipy sparse matrix"), weighted=Bool(),
                 block_cells=[Integer(1), None])
def brandes(A, sources, *, weighted: bool = False, block_cells: int | None = None) -> np.ndarray:
    """Brandes' dependency sums Σ_{s ∈ sources} δ_s(v) on a symmetric sparse adjacency.

    The kernel of :func:`betweenness`, for callers that hold a CSR matrix.

    Parameters
    ----------
    A : scipy sparse matrix, (n, n)
        Symmetric adjacency; with ``weighted`` its entries are edge lengths
        (> 0), else any stored entry is an edge of length 1.
    sources : array of int
        Source nodes (codes 0 .. n-1).
    weighted : bool, default False
        Shortest paths by length (Dijkstra) instead of hops (BFS).
    block_cells : int, optional
        Cells of the dense (nodes × sources) blocks; default :data:`BLOCK_CELLS`.

    Returns
    -------
    ndarray
        δ summed over the sources, for every node (each unordered pair is
        seen from both ends when every node is a source).

    Notes
    -----
    δ_s(v) = Σ_{w: v ∈ P_s(w)} σ_sv / σ_sw (1 + δ_s(w)) [1]_. Hops: a
    level-synchronous BFS from a batch of sources at once, as sparse matrix ×
    dense block products (the algebraic form of Brandes' algorithm): forward,
    σ level by level; backward, δ_v += σ_v Σ_{w ∈ N(v), d(w) = d(v) + 1}
    (1 + δ_w) / σ_w. Each level is one product over the whole block, so s
    sources cost O(s D (n + m)) with D the depth of the searches (at most the
    diameter): it pays on the small-world graphs of organisations, much less
    on long chains. Lengths: distances by ``scipy.sparse.csgraph.dijkstra``,
    then σ and δ as fixed points over the arcs with d(u) + l(u, v) = d(v)
    (exact float equality, as networkx): O(s (m log n + L m)) with L the most
    arcs on a shortest path.

    References
    ----------
    .. [1] Brandes, U. (2001). A faster algorithm for betweenness centrality.
       Journal of Mathematical Sociology 25(2), 163–177.

    Examples
    --------
    >>> import networkx as nx
    >>> from orgnet.algorithms import brandes
    >>> A = nx.to_scipy_sparse_array(nx.path_graph(3))
    >>> brandes(A, [0, 1, 2]).tolist()
    [0.0, 2.0, 0.0]
    """
    adj = sp.csr_matrix(A)
    n = adj.shape[0]
    sources = np.asarray(sources, dtype=np.int64)
    if n == 0 or len(sources) == 0:
        return np.zeros(n)
    cells = BLOCK_CELLS if block_cells is None else int(block_cells)
    if weighted:
        adj = adj.astype(float)
        batch = max(1, min(len(sources), cells // max(2 * adj.nnz, n, 1)))
        return _brandes_lengths(adj, sources, batch)
    adj = adj.astype(bool).astype(float)
    batch = max(1, min(len(sources), cells // max(n, 1)))
    return _brandes_hops(adj, sources, batch)


@validate_params(n=Integer(0), k=Integer(1), seed=Seed())
def pivots(n: int, k: int, *, seed=0) -> np.ndarray:
    """The ``k`` sampled source nodes of :func:`betweenness`: codes drawn without
    replacement from 0 .. n-1 with :func:`orgnet._params.as_rng` (``seed``), sorted.

    Examples
    --------
    >>> from orgnet.algorithms import pivots
    >>> pivots(10, 3, seed=0).tolist()
    [5, 6, 9]
    """
    if k > n:
        fail("k", f"an integer <= the number of nodes ({n})", k)
    return np.sort(as_rng(seed).choice(n, size=k, replace=False))


class Betweenness(dict):
    """Node -> betweenness, with how it was computed.

    Attributes
    ----------
    method : {"exact", "sampled"}
    sources : list or None
        The sampled source nodes (pivots), None when exact.
    """

    def __init__(self, values, method: str, sources):
        super().__init__(values)
        self.method, self.sources = method, sources

    @property
    def k(self) -> int | None:
        """Number of pivots (None when exact)."""
        return None if self.sources is None else len(self.sources)


@validate_params(G=_GRAPH, k=[Integer(1), None], weight=_WEIGHT, normalized=Bool(), seed=Seed(),
                 max_exact=Integer(0))
def betweenness(G, *, k: int | None = None, weight: str | None = None, normalized: bool = True, seed=0,
                max_exact: int = 0) -> Betweenness:
    """Shortest-path betweenness, exact or from ``k`` sampled sources (pivots).

    Parameters
    ----------
    G : graph
        A networkx graph, a Coded graph or a square sparse matrix; read as
        undirected (direction ignored).
    k : int, optional
        Number of pivots; None for every node as a source (exact).
    weight : str, optional
        Edge attribute holding the edge *length* (> 0); None for hops.
        Parallel edges keep their least length.
    normalized : bool, default True
        Divide by the (n − 1)(n − 2) ordered pairs of other nodes; else half
        the ordered-pair sum (each unordered pair once), as networkx.
    seed : int or numpy Generator, default 0
        Seed of the pivots (:func:`pivots`).
    max_exact : int, default 0
        Exact whenever the graph has at most this many nodes, whatever ``k``.

    Returns
    -------
    Betweenness
        A dict node -> betweenness, with ``method`` ("exact" or "sampled")
        and ``sources`` (the pivots, or None).

    Raises
    ------
    OrgnetParameterError
        When ``G`` is not a graph, or a length is not > 0.

    Notes
    -----
    c_B(v) = Σ_{s ≠ v ≠ t} σ_st(v) / σ_st [1]_, by Brandes' algorithm [2]_
    (:func:`brandes`): O(n D m) exact on hops (D the diameter), O(k D m)
    sampled. Exact when ``k``
    is None, ``k >= n`` or ``n <= max_exact``; else the sums over the k pivots
    are scaled as networkx's ``betweenness_centrality(G, k=k)`` does (networkx
    3.6, endpoints excluded): normalised by 1 / (k (n − 2)) for non-pivots and
    1 / ((k − 1) (n − 2)) for the pivots themselves (NaN when k = 1), so the
    result equals networkx's with the same sampled nodes. Graphs with fewer
    than 3 nodes get 0 everywhere. Equal-length paths are recognised by exact
    float equality of summed lengths, as in networkx.

    References
    ----------
    .. [1] Freeman, L. C. (1977). A set of measures of centrality based on
       betweenness. Sociometry 40(1), 35–41.
    .. [2] Brandes, U. (2001). A faster algorithm for betweenness centrality.
       Journal of Mathematical Sociology 25(2), 163–177.
    .. [3] Brandes, U. & Pich, C. (2007). Centrality estimation in large
       networks. International Journal of Bifurcation and Chaos 17(7), 2303–2318.

    Examples
    --------
    >>> import networkx as nx
    >>> from orgnet.algorithms import betweenness
    >>> b = betweenness(nx.florentine_families_graph())
    >>> round(b["Medici"], 3), b.method
    (0.522, 'exact')
    >>> s = betweenness(nx.karate_club_graph(), k=10, seed=1)
    >>> s.method, len(s.sources)
    ('sampled', 10)
    """
    g = _lengths(as_coded(G, weight, merge="min"), weight)
    n = g.n
    if n < 3:
        return Betweenness(_as_dict(g, np.zeros(n)), "exact", None)
    adj = g.adjacency(weighted=weight is not None)
    if k is None or k >= n or n <= max_exact:
        raw = brandes(adj, np.arange(n), weighted=weight is not None)
        scale = 1.0 / ((n - 1) * (n - 2)) if normalized else 0.5
        return Betweenness(_as_dict(g, raw * scale), "exact", None)
    src = pivots(n, k, seed=seed)
    raw = brandes(adj, src, weighted=weight is not None)
    if normalized:
        s_src = 1.0 / ((k - 1) * (n - 2)) if k > 1 else np.nan
        s_other = 1.0 / (k * (n - 2))
    else:
        s_src = (n - 1) / ((k - 1) * 2) if k > 1 else np.nan
        s_other = (n - 1) / (k * 2)
    scale = np.full(n, s_other)
    scale[src] = s_src
    return Betweenness(_as_dict(g, raw * scale), "sampled", [g.nodes[i] for i in src])


# ---------------------------------------------------------------- closeness


@validate_params(G=_GRAPH, weight=_WEIGHT, wf_improved=Bool())
def closeness(G, *, weight: str | None = None, wf_improved: bool = True) -> dict:
    """Closeness centrality (networkx's definition), direction ignored.

    Parameters
    ----------
    G : graph
        A networkx graph, a Coded graph or a square sparse matrix.
    weight : str, optional
        Edge attribute holding the edge length (> 0); None for hops.
    wf_improved : bool, default True
        Scale by the share of other nodes reached (Wasserman and Faust's
        improved formula for disconnected graphs).

    Returns
    -------
    dict
        Node -> closeness; 0 for a node that reaches no other node.

    Notes
    -----
    C(u) = (r − 1) / Σ_v d(u, v) over the r nodes u reaches (itself
    included) [1]_, times (r − 1) / (n − 1) with ``wf_improved`` [2]_: networkx's
    ``closeness_centrality`` on the undirected graph. Distances by
    ``scipy.sparse.csgraph.shortest_path`` from blocks of sources:
    O(n m) on hops, O(n m log n) with lengths.

    References
    ----------
    .. [1] Freeman, L. C. (1978). Centrality in social networks: conceptual
       clarification. Social Networks 1(3), 215–239.
    .. [2] Wasserman, S. & Faust, K. (1994). Social Network Analysis: Methods
       and Applications. Cambridge University Press.

    Examples
    --------
    >>> import networkx as nx
    >>> from orgnet.algorithms import closeness
    >>> round(closeness(nx.florentine_families_graph())["Medici"], 3)
    0.56
    """
    from scipy.sparse.csgraph import shortest_path

    g = _lengths(as_coded(G, weight, merge="min"), weight)
    n = g.n
    out = np.zeros(n)
    if n <= 1:
        return _as_dict(g, out)
    adj = g.adjacency(weighted=weight is not None)
    batch = max(1, BLOCK_CELLS // n)
    for start in range(0, n, batch):
        idx = np.arange(start, min(n, start + batch))
        d = shortest_path(adj, method="D", directed=False, unweighted=weight is None, indices=idx)
        finite = np.isfinite(d)
        reach = finite.sum(axis=1)
        total = np.where(finite, d, 0.0).sum(axis=1)
        c = np.divide(reach - 1.0, total, out=np.zeros(len(idx)), where=total > 0)
        if wf_improved:
            c = c * (reach - 1.0) / (n - 1)
        out[idx] = c
    return _as_dict(g, out)


# ---------------------------------------------------------------- eigenvector


@validate_params(G=_GRAPH, weight=_WEIGHT)
def eigenvector(G, *, weight: str | None = None) -> dict:
    """Eigenvector centrality: the leading eigenvector of the (weighted) adjacency.

    Parameters
    ----------
    G : graph
        A networkx graph, a Coded graph or a square sparse matrix; read as
        undirected (networkx uses a directed graph's in-edges; here direction
        is ignored).
    weight : str, optional
        Edge attribute holding the weight (>= 0); None for 1 on every edge.

    Returns
    -------
    dict
        Node -> centrality, non-negative with unit Euclidean norm; NaN
        everywhere when the graph has no edge.

    Notes
    -----
    x = A x / λ for the largest eigenvalue λ of the symmetric adjacency A [1]_,
    by a dense symmetric eigensolver up to :data:`DENSE_EIGEN` nodes and
    ``scipy.sparse.linalg.eigsh`` (Lanczos) above: about O(m) per iteration.
    The same vector as networkx's ``eigenvector_centrality`` (power iteration
    on A + I) when the largest eigenvalue is simple; nodes outside the
    component holding it get 0. Values below 1e-12 are set to 0.

    References
    ----------
    .. [1] Bonacich, P. (1987). Power and centrality: a family of measures.
       American Journal of Sociology 92(5), 1170–1182.

    Examples
    --------
    >>> import networkx as nx
    >>> from orgnet.algorithms import eigenvector
    >>> round(eigenvector(nx.florentine_families_graph())["Medici"], 3)
    0.43
    """
    g = as_coded(G, weight)
    n = g.n
    if g.m == 0:
        return _as_dict(g, np.full(n, np.nan))
    adj = g.adjacency(weighted=True)
    if n <= DENSE_EIGEN:
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
    return _as_dict(g, x / norm if norm > 0 else x)
