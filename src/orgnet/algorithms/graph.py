"""Plain graphs in and out: a networkx graph as integer-coded arrays or a CSR matrix.

Shared by the algorithm modules (a public module: nothing here is private).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp

from .._params import fail

__all__ = ["Coded", "coded", "from_arrays"]


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


def from_arrays(nodes, a, b, w=None) -> Coded:
    """Code an edge list over ``nodes`` (labels): self-loops dropped, parallel edges
    merged with their weights summed."""
    nodes = list(nodes)
    n = len(nodes)
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    w = np.ones(len(a)) if w is None else np.asarray(w, dtype=float)
    keep = a != b
    a, b, w = a[keep], b[keep], w[keep]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    if len(lo):
        m = sp.coo_matrix((w, (lo, hi)), shape=(n, n)).tocsr()
        m.sum_duplicates()
        c = m.tocoo()
        lo, hi, w = c.row.astype(np.int64), c.col.astype(np.int64), c.data
    return Coded(nodes, lo, hi, w)


def coded(G, weight: str | None = None, *, func: str | None = None) -> Coded:
    """Code a networkx graph (any of Graph, DiGraph, MultiGraph, MultiDiGraph) as an
    undirected simple graph; direction is ignored, parallel edges are merged with
    their ``weight`` summed (1 per edge when ``weight`` is None).

    Raises OrgnetParameterError when ``G`` is not a networkx graph or an edge
    lacks a numeric ``weight`` >= 0.

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
    return from_arrays(nodes, a, b, w)
