"""Plain graphs in and out: a networkx graph as integer-coded arrays or a CSR matrix.

Shared by the algorithm modules (a public module: nothing here is private).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp

from .._params import Instance, current_function, fail

__all__ = ["Coded", "coded", "from_arrays", "from_sparse", "as_coded", "GRAPH_TYPES", "GRAPH",
           "require_undirected", "node_mask"]


class Coded:
    """An undirected simple graph coded as integers 0..n-1.

    Attributes
    ----------
    nodes : list
        Node labels in code order (``nodes[i]`` is node ``i``).
    u, v : ndarray of int
        Ends of each edge, ``u < v``, each pair once.
    w : ndarray of float
        Edge weights (1.0 where unweighted).
    """

    __slots__ = ("nodes", "u", "v", "w", "_adj")

    def __init__(self, nodes, u, v, w):
        self.nodes, self.u, self.v, self.w = list(nodes), np.asarray(u), np.asarray(v), np.asarray(w, float)
        self._adj = {}

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def m(self) -> int:
        return len(self.u)

    def adjacency(self, weighted: bool = True) -> sp.csr_matrix:
        """Symmetric CSR adjacency (weights, or 1 per edge)."""
        if weighted not in self._adj:
            data = self.w if weighted else np.ones(self.m)
            a = sp.coo_matrix((np.r_[data, data], (np.r_[self.u, self.v], np.r_[self.v, self.u])),
                              shape=(self.n, self.n)).tocsr()
            self._adj[weighted] = a
        return self._adj[weighted]

    def index(self) -> dict:
        """Node label -> code."""
        return {x: i for i, x in enumerate(self.nodes)}


def from_arrays(nodes, a, b, w=None, *, merge: str = "sum") -> Coded:
    """Code an edge list over ``nodes`` (labels): self-loops dropped, parallel edges
    merged with their weights summed (``merge="min"``: the least weight kept, as
    for edge lengths).

    Examples
    --------
    The edges a→b (1) and b→a (2) are one pair; summed it weighs 3, kept at
    its least 1:

    >>> g = from_arrays(["a", "b", "c"], [0, 1, 1], [1, 0, 2], [1.0, 2.0, 5.0])
    >>> g.n, g.m, g.u.tolist(), g.v.tolist(), g.w.tolist()
    (3, 2, [0, 1], [1, 2], [3.0, 5.0])
    >>> from_arrays(["a", "b", "c"], [0, 1, 1], [1, 0, 2], [1.0, 2.0, 5.0], merge="min").w.tolist()
    [1.0, 5.0]
    """
    nodes = list(nodes)
    n = len(nodes)
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    w = np.ones(len(a)) if w is None else np.asarray(w, dtype=float)
    keep = a != b
    a, b, w = a[keep], b[keep], w[keep]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    if len(lo) and merge == "min":
        order = np.lexsort((w, hi, lo))
        lo, hi, w = lo[order], hi[order], w[order]
        first = np.r_[True, (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])]
        lo, hi, w = lo[first], hi[first], w[first]
    elif len(lo):
        m = sp.coo_matrix((w, (lo, hi)), shape=(n, n)).tocsr()
        m.sum_duplicates()
        c = m.tocoo()
        lo, hi, w = c.row.astype(np.int64), c.col.astype(np.int64), c.data
    return Coded(nodes, lo, hi, w)


def coded(G, weight: str | None = None, *, func: str | None = None, merge: str = "sum") -> Coded:
    """Code a networkx graph (any of Graph, DiGraph, MultiGraph, MultiDiGraph) as an
    undirected simple graph; direction is ignored, parallel edges are merged with
    their ``weight`` summed (1 per edge when ``weight`` is None; ``merge="min"``:
    the least weight kept, as for edge lengths).

    Raises OrgnetParameterError when ``G`` is not a networkx graph or an edge
    lacks a numeric ``weight`` >= 0.

    Examples
    --------
    >>> import networkx as nx
    >>> g = coded(nx.path_graph(3))
    >>> g.n, g.m, g.u.tolist(), g.v.tolist()
    (3, 2, [0, 1], [1, 2])
    """
    if not isinstance(G, nx.Graph):
        fail("G", "a networkx graph", G, func)
    nodes = list(G.nodes)
    index = {x: i for i, x in enumerate(nodes)}
    m = G.number_of_edges()
    a = np.empty(m, dtype=np.int64)
    b = np.empty(m, dtype=np.int64)
    w = np.ones(m)
    for i, (x, y, d) in enumerate(G.edges(data=True)):
        a[i], b[i] = index[x], index[y]
        if weight is not None:
            val = d.get(weight, 1.0)
            try:
                val = float(val)
            except (TypeError, ValueError):
                val = float("nan")
            if not val >= 0:
                fail("weight", f"the name of an edge attribute holding numbers >= 0 (edge {x!r}-{y!r} "
                     f"has {weight}={d.get(weight)!r})", weight, func)
            w[i] = val
    return from_arrays(nodes, a, b, w, merge=merge)


#: what the algorithms accept as a graph: a networkx graph, a Coded graph or a square sparse matrix
GRAPH_TYPES = (nx.Graph, Coded, sp.spmatrix, sp.sparray)

#: the constraint of a measure's ``G``: what :func:`as_coded` accepts
GRAPH = Instance(GRAPH_TYPES, "a networkx graph, an orgnet.algorithms.graph.Coded graph or a square "
                              "scipy sparse matrix")


def from_sparse(A, weight: str | None = None, *, merge: str = "sum") -> Coded:
    """Code a square scipy sparse matrix as an undirected simple graph on nodes
    ``0, ..., n-1``: each stored entry (i, j), i ≠ j, is an edge; direction is ignored
    (entries (i, j) and (j, i) are one edge; a symmetric matrix, as
    ``nx.to_scipy_sparse_array`` gives for an undirected graph, is read as that
    graph: its two entries of a pair must be equal and count once). With
    ``weight`` None every edge weighs 1, else the entries are the weights
    (numbers >= 0).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> g = from_sparse(sp.csr_array([[0, 2, 0], [2, 0, 3], [0, 3, 0]]), weight="weight")
    >>> g.u.tolist(), g.v.tolist(), g.w.tolist()
    ([0, 1], [1, 2], [2.0, 3.0])
    """
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        fail("G", "a square sparse matrix", A)
    c = sp.coo_matrix(A)
    data = c.data.astype(float)
    if weight is not None and not (np.isfinite(data).all() and (data >= 0).all()):
        fail("G", "a sparse matrix of weights >= 0", A)
    r, k = c.row.astype(np.int64), c.col.astype(np.int64)
    sym = (abs(sp.csr_matrix(A) - sp.csr_matrix(A).T) > 0).nnz == 0
    if sym:  # an undirected graph's adjacency: each pair once
        upper = r < k
        r, k, data = r[upper], k[upper], data[upper]
    return from_arrays(range(A.shape[0]), r, k, None if weight is None else data, merge=merge)


def as_coded(G, weight: str | None = None, *, merge: str = "sum") -> Coded:
    """Any accepted graph (:data:`GRAPH_TYPES`) as a :class:`Coded` graph.

    A networkx graph goes through :func:`coded`, a sparse matrix through
    :func:`from_sparse`; a Coded graph is used as it is (its ``w`` when
    ``weight`` is not None, 1 on every edge when it is).

    Examples
    --------
    >>> import networkx as nx
    >>> as_coded(nx.path_graph(3)).m
    2
    """
    if isinstance(G, Coded):
        return G if weight is not None else Coded(G.nodes, G.u, G.v, np.ones(G.m))
    if isinstance(G, nx.Graph):
        return coded(G, weight, merge=merge)
    if isinstance(G, (sp.spmatrix, sp.sparray)):
        return from_sparse(G, weight, merge=merge)
    fail("G", "a networkx graph, an orgnet.algorithms.graph.Coded graph or a square scipy sparse matrix", G)


def require_undirected(G, name: str = "G") -> None:
    """Refuse a directed networkx graph (the measure ignores direction only where it says so).

    Examples
    --------
    >>> import networkx as nx
    >>> from orgnet.errors import OrgnetParameterError
    >>> require_undirected(nx.karate_club_graph()) is None
    True
    >>> try:
    ...     require_undirected(nx.DiGraph([(0, 1)]))
    ... except OrgnetParameterError as e:
    ...     print(str(e).split("; ")[1])
    got a directed DiGraph. Pass G.to_undirected().
    """
    import networkx as nx

    from ..errors import OrgnetParameterError

    if isinstance(G, nx.Graph) and G.is_directed():
        raise OrgnetParameterError(
            f"{current_function()} needs an undirected graph; got a directed {type(G).__name__}. "
            f"Pass {name}.to_undirected().")


def node_mask(nodes: list, value, name: str) -> np.ndarray:
    """A boolean mask over ``nodes`` from a boolean array aligned with them or an iterable of nodes.

    Examples
    --------
    >>> node_mask(["a", "b", "c"], ["c", "a"], "sources").tolist()
    [True, False, True]
    """
    if isinstance(value, np.ndarray) and value.dtype == bool:
        if value.shape != (len(nodes),):
            fail(name, f"a boolean array of {len(nodes)} values (one per node) or an iterable of nodes",
                 value)
        return value.copy()
    if isinstance(value, (str, bytes)):
        value = [value]
    index = {x: i for i, x in enumerate(nodes)}
    mask = np.zeros(len(nodes), dtype=bool)
    try:
        values = list(value)
    except TypeError:
        fail(name, "an iterable of nodes of G or a boolean array", value)
    for x in values:
        i = index.get(x)
        if i is None:
            fail(name, "nodes of G", x)
        mask[i] = True
    return mask
