"""Structural holes: Burt's constraint, effective size and efficiency.

The graph is read as undirected: a pair's weight is the sum of the weights of
all its edges in either direction (networkx's "mutual weight" w_ij + w_ji),
self-loops are ignored. A graph is a networkx graph, an
:class:`orgnet.algorithms.graph.Coded` graph or a square scipy sparse matrix.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .._params import Instance, Integer, Text, validate_params
from .graph import Coded, GRAPH, as_coded

__all__ = ["constraint", "effective_size", "efficiency", "masked_product", "burt"]

_GRAPH = GRAPH
_WEIGHT = [Text(), None]
_SPARSE = Instance((sp.spmatrix, sp.sparray), "a scipy sparse matrix")


@validate_params(x=_SPARSE, y=_SPARSE, mask=_SPARSE, chunk_cells=Integer(1))
def masked_product(x, y, mask, *, chunk_cells: int = 20_000_000) -> sp.csr_matrix:
    """``x @ y`` kept only on the pattern of ``mask``, by row blocks to bound memory.

    Parameters
    ----------
    x, y : sparse matrix
        (n, k) and (k, p).
    mask : sparse matrix
        (n, p); the product is multiplied entry-wise by it (a 0/1 pattern keeps
        the product where the mask has an entry).
    chunk_cells : int, default 20,000,000
        Bound on the product entries formed per row block (estimated from the
        row patterns).

    Returns
    -------
    csr_matrix
        (x @ y) ∘ mask.

    Notes
    -----
    Rows are cut into blocks whose product has at most about ``chunk_cells``
    entries before masking: O(Σ_i Σ_{j ∈ row i of x} nnz(row j of y)) time,
    O(chunk_cells) extra memory.

    Examples
    --------
    >>> import networkx as nx
    >>> from orgnet.algorithms import masked_product
    >>> A = nx.to_scipy_sparse_array(nx.complete_graph(3), dtype=float, format="csr")
    >>> masked_product(A, A, A).toarray().tolist()  # common neighbours of adjacent pairs
    [[0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 0.0]]
    """
    x, y, mask = sp.csr_matrix(x), sp.csr_matrix(y), sp.csr_matrix(mask)
    n = x.shape[0]
    if n == 0:
        return sp.csr_matrix(mask.shape)
    ynnz = np.diff(y.indptr)
    xb = x.copy()
    xb.data = np.ones_like(xb.data)
    per_row = np.asarray(xb @ ynnz).ravel() + 1
    blocks = []
    start = 0
    cum = np.cumsum(per_row)
    while start < n:
        base = cum[start - 1] if start else 0
        stop = int(np.searchsorted(cum, base + chunk_cells, side="right"))
        stop = max(stop, start + 1)
        blocks.append(sp.csr_matrix((x[start:stop] @ y).multiply(mask[start:stop])))
        start = stop
    return sp.vstack(blocks).tocsr()


@validate_params(g=Instance(Coded, "an orgnet.algorithms.graph.Coded graph"))
def burt(g: Coded) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Degree, constraint and effective size of every node of a Coded graph, as arrays
    (NaN for nodes without neighbours): the kernel of :func:`constraint` and
    :func:`effective_size`, for callers that hold a coded graph.

    Examples
    --------
    >>> import networkx as nx
    >>> from orgnet.algorithms.graph import coded
    >>> deg, con, eff = burt(coded(nx.star_graph(2)))
    >>> deg.tolist(), con.tolist(), eff.tolist()
    ([2, 1, 1], [0.5, 1.0, 1.0], [2.0, 1.0, 1.0])
    """
    n = g.n
    pattern = g.adjacency(weighted=False)
    wmat = g.adjacency(weighted=True)
    deg = np.asarray(pattern.sum(axis=1)).ravel()
    rowsum = np.asarray(wmat.sum(axis=1)).ravel()
    rowmax = np.asarray(wmat.max(axis=1).toarray()).ravel() if n else np.zeros(0)
    inv_sum = np.divide(1.0, rowsum, out=np.zeros(n), where=rowsum > 0)
    inv_max = np.divide(1.0, rowmax, out=np.zeros(n), where=rowmax > 0)
    p = sp.diags(inv_sum) @ wmat
    mnorm = sp.diags(inv_max) @ wmat
    indirect = masked_product(p, p, pattern)
    total = (p + indirect).tocsr()
    cons = np.asarray(total.multiply(total).sum(axis=1)).ravel()
    redundancy = np.asarray(masked_product(pattern, mnorm, pattern).multiply(p).sum(axis=1)).ravel()
    eff = deg - redundancy
    iso = deg == 0
    return deg.astype(int), np.where(iso, np.nan, cons), np.where(iso, np.nan, eff)


_NOTES = """
    With w_ij the merged weight of the pair (0 if none), N(i) the neighbours of i,
    p_ij = w_ij / Σ_k w_ik the proportional tie strength and
    m_ij = w_ij / max_k w_ik [1]_:

    - constraint_i = Σ_{j ∈ N(i)} (p_ij + Σ_{q ∈ N(i)} p_iq p_qj)²
    - effective_size_i = Σ_{j ∈ N(i)} (1 − Σ_{q ∈ N(i)} p_iq m_jq)
    - efficiency_i = effective_size_i / ``|N(i)|``

    networkx's ``constraint`` and ``effective_size`` (its documented formula;
    with no weight, effective size reduces to Borgatti's n − 2t / n [2]_, t the
    ties among the n neighbours). Computed as masked sparse products (P P and
    A M on the pattern of A, :func:`masked_product`): O(Σ_q deg(q)²) time.
"""

_REFERENCES = """
    .. [1] Burt, R. S. (1992). Structural Holes: The Social Structure of
       Competition. Harvard University Press.
    .. [2] Borgatti, S. P. (1997). Structural holes: unpacking Burt's
       redundancy measures. Connections 20(1), 35–38.
"""


def _holes(G, weight):
    g = as_coded(G, weight)
    return g, burt(g)


@validate_params(G=_GRAPH, weight=_WEIGHT)
def constraint(G, *, weight: str | None = None) -> dict:
    """Burt's constraint of every node.

    Parameters
    ----------
    G : graph
        A networkx graph, a Coded graph or a square sparse matrix.
    weight : str, optional
        Edge attribute holding the tie strength (>= 0; 1 where absent); None
        for 1 on every edge.

    Returns
    -------
    dict
        Node -> constraint; NaN for a node without neighbours.

    See Also
    --------
    effective_size, efficiency

    Notes
    -----
    {notes}
    References
    ----------
    {references}
    Examples
    --------
    >>> import networkx as nx
    >>> from orgnet.algorithms import constraint
    >>> round(constraint(nx.florentine_families_graph())["Medici"], 3)
    0.21
    """
    g, (deg, cons, eff) = _holes(G, weight)
    return dict(zip(g.nodes, cons.tolist()))


@validate_params(G=_GRAPH, weight=_WEIGHT)
def effective_size(G, *, weight: str | None = None) -> dict:
    """Burt's effective size of every node's ego network.

    Parameters
    ----------
    G : graph
        A networkx graph, a Coded graph or a square sparse matrix.
    weight : str, optional
        Edge attribute holding the tie strength (>= 0); None for 1 on every edge.

    Returns
    -------
    dict
        Node -> effective size; NaN for a node without neighbours.

    See Also
    --------
    constraint, efficiency

    Notes
    -----
    {notes}
    References
    ----------
    {references}
    Examples
    --------
    >>> import networkx as nx
    >>> from orgnet.algorithms import effective_size
    >>> round(effective_size(nx.florentine_families_graph())["Medici"], 3)
    5.667
    """
    g, (deg, cons, eff) = _holes(G, weight)
    return dict(zip(g.nodes, eff.tolist()))


@validate_params(G=_GRAPH, weight=_WEIGHT)
def efficiency(G, *, weight: str | None = None) -> dict:
    """Burt's efficiency: effective size per neighbour.

    Parameters
    ----------
    G : graph
        A networkx graph, a Coded graph or a square sparse matrix.
    weight : str, optional
        Edge attribute holding the tie strength (>= 0); None for 1 on every edge.

    Returns
    -------
    dict
        Node -> efficiency in (0, 1]; NaN for a node without neighbours.

    See Also
    --------
    constraint, effective_size

    Notes
    -----
    {notes}
    References
    ----------
    {references}
    Examples
    --------
    >>> import networkx as nx
    >>> from orgnet.algorithms import efficiency
    >>> round(efficiency(nx.florentine_families_graph())["Medici"], 3)
    0.944
    """
    g, (deg, cons, eff) = _holes(G, weight)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.where(deg == 0, np.nan, eff / np.where(deg == 0, 1, deg))
    return dict(zip(g.nodes, values.tolist()))


for _f in (constraint, effective_size, efficiency):
    _f.__doc__ = _f.__doc__.format(notes=_NOTES.lstrip(), references=_REFERENCES.lstrip())
del _f
