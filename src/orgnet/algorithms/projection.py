"""Two-mode (bipartite) projection: nodes of one side linked by the nodes of the
other side they share, weighted by the count of shared nodes or by Newman's
collaboration weights.

- :func:`weighted_projection` — the projection of a bipartite networkx graph
  onto a given side, as a weighted networkx graph;
- :func:`projection_edges` — the same on an edge list (two aligned arrays of
  tie ends), as a sorted DataFrame of pairs.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from .._params import Instance, Options, fail, validate_params
from .graph import require_undirected

__all__ = ["weighted_projection", "projection_edges", "PROJECTION_WEIGHTINGS"]

#: the weightings of a projection
PROJECTION_WEIGHTINGS = ("count", "newman")


def _project_codes(lc: np.ndarray, rc: np.ndarray, weighting: str):
    """Pairs (a < b) of left codes sharing right codes: a, b, weight, shared, sorted by (a, b).

    ``lc``, ``rc``: integer codes of each tie's ends; repeated ties count once.
    """
    e = pd.DataFrame({"l": lc, "r": rc}).drop_duplicates()
    k = e.groupby("r").size()
    pairs = e.merge(e, on="r", suffixes=("_a", "_b"))
    pairs = pairs[(pairs["l_a"] < pairs["l_b"]).to_numpy()]
    if pairs.empty:
        z = np.zeros(0, dtype=np.int64)
        return z, z, np.zeros(0), z
    kp = pairs["r"].map(k).to_numpy(dtype=float)
    pairs = pairs.assign(w=1.0 if weighting == "count" else 1.0 / (kp - 1.0))
    out = pairs.groupby(["l_a", "l_b"], sort=True).agg(weight=("w", "sum"), shared=("r", "size")).reset_index()
    return (out["l_a"].to_numpy(dtype=np.int64), out["l_b"].to_numpy(dtype=np.int64),
            out["weight"].to_numpy(dtype=float), out["shared"].to_numpy(dtype=np.int64))


@validate_params(weighting=Options(*PROJECTION_WEIGHTINGS))
def projection_edges(left, right, *, weighting: str = "count") -> pd.DataFrame:
    """Project a two-mode edge list onto its left nodes.

    Two left nodes are linked when they share at least one right node.

    Parameters
    ----------
    left, right : array_like
        The two ends of each tie (same length): ``left[i]`` is tied to
        ``right[i]``. Repeated ties count once; ties with a missing end are
        ignored. Left labels must be mutually comparable (they are sorted).
    weighting : {"count", "newman"}, default "count"
        ``count``: the number of shared right nodes; ``newman``: Σ over the
        shared right nodes p of 1 / (k_p − 1), k_p the number of left nodes
        tied to p [1]_.

    Returns
    -------
    DataFrame
        One row per linked pair, sorted: ``a``, ``b`` (``a < b``),
        ``weight`` (float), ``shared`` (number of shared right nodes).

    Raises
    ------
    OrgnetParameterError
        When ``left`` and ``right`` differ in length, or ``weighting`` is unknown.

    See Also
    --------
    weighted_projection : the same on a bipartite networkx graph.

    Notes
    -----
    A self-join on the right nodes: O(Σ_p k_p²). A right node tied to k_p
    left nodes gives each of its k_p (k_p − 1) / 2 pairs 1 (count) or
    1 / (k_p − 1) (newman), so under Newman's weighting each left node
    receives 1 in total from every right node it shares with anyone.

    References
    ----------
    .. [1] Newman, M. E. J. (2001). Scientific collaboration networks. II.
       Shortest paths, weighted networks, and centrality. Physical Review E
       64, 016132.

    Examples
    --------
    Davis' southern women: Evelyn and Laura attended six events together.

    >>> import networkx as nx
    >>> from orgnet.algorithms import projection_edges
    >>> B = nx.davis_southern_women_graph()
    >>> women = set(B.graph["top"])
    >>> ends = [(w, e) if w in women else (e, w) for w, e in B.edges()]
    >>> left, right = [w for w, _ in ends], [e for _, e in ends]
    >>> pair = ("Evelyn Jefferson", "Laura Mandeville")
    >>> int(projection_edges(left, right).set_index(["a", "b"]).loc[pair, "shared"])
    6
    >>> p = projection_edges(left, right, weighting="newman").set_index(["a", "b"])
    >>> round(float(p.loc[pair, "weight"]), 4)
    1.5626
    """
    left = pd.Series(np.asarray(left, dtype=object), dtype=object)
    right = pd.Series(np.asarray(right, dtype=object), dtype=object)
    if left.ndim != 1 or len(left) != len(right):
        fail("right", f"an array of {len(left)} values, one per value of 'left'", len(right))
    keep = (left.notna() & right.notna()).to_numpy()
    lv, rv = left[keep].to_numpy(dtype=object), right[keep].to_numpy(dtype=object)
    labels = np.unique(lv) if len(lv) else np.zeros(0, dtype=object)
    lc = np.searchsorted(labels, lv)
    rc = pd.factorize(rv)[0]
    a, b, w, shared = _project_codes(lc, rc, weighting)
    if len(a):  # labels as pandas infers them (text: its string dtype)
        out = pd.DataFrame({"a": labels[a], "b": labels[b], "weight": w, "shared": shared.astype(int)})
    else:
        out = pd.DataFrame({"a": pd.Series(dtype=object), "b": pd.Series(dtype=object),
                            "weight": pd.Series(dtype=float), "shared": pd.Series(dtype=int)})
    out.attrs.update(weighting=weighting)
    return out


@validate_params(B=Instance(nx.Graph, "a networkx graph"), weighting=Options(*PROJECTION_WEIGHTINGS))
def weighted_projection(B, nodes, *, weighting: str = "count") -> nx.Graph:
    """Project a bipartite graph onto one side, weighting each link.

    Parameters
    ----------
    B : networkx.Graph
        Undirected and bipartite with respect to ``nodes``: no edge joins two
        of them (multigraph edges count once).
    nodes : iterable of nodes
        The side kept.
    weighting : {"count", "newman"}, default "count"
        ``count``: the number of shared neighbours (networkx
        ``bipartite.weighted_projected_graph``); ``newman``: Σ over the shared
        neighbours p of 1 / (k_p − 1), k_p the degree of p (networkx
        ``bipartite.collaboration_weighted_projected_graph``, Newman 2001 [1]_).

    Returns
    -------
    networkx.Graph
        On ``nodes`` (in the given order, with their attributes; isolated when
        they share nothing): an edge between two nodes that share a neighbour,
        with attributes ``weight`` and ``shared`` (the number of shared
        neighbours).

    Raises
    ------
    OrgnetParameterError
        A directed graph, a node not in ``B``, or an edge joining two of ``nodes``.

    See Also
    --------
    projection_edges : the same on an edge list.

    Notes
    -----
    A self-join on the other side's nodes: O(Σ_p k_p²).

    References
    ----------
    .. [1] Newman, M. E. J. (2001). Scientific collaboration networks. II.
       Shortest paths, weighted networks, and centrality. Physical Review E
       64, 016132.

    Examples
    --------
    Davis' southern women: Evelyn and Laura met at six events; events E8 and
    E9 share nine women (most of any pair of events).

    >>> import networkx as nx
    >>> from orgnet.algorithms import weighted_projection
    >>> B = nx.davis_southern_women_graph()
    >>> W = weighted_projection(B, B.graph["top"])
    >>> W["Evelyn Jefferson"]["Laura Mandeville"]
    {'weight': 6.0, 'shared': 6}
    >>> E = weighted_projection(B, B.graph["bottom"], weighting="newman")
    >>> round(E["E8"]["E9"]["weight"], 4), E["E8"]["E9"]["shared"]
    (3.1524, 9)
    """
    require_undirected(B, "B")
    if isinstance(nodes, (str, bytes)):
        nodes = [nodes]
    try:
        keep = list(dict.fromkeys(nodes))
    except TypeError:
        fail("nodes", "an iterable of nodes of B", nodes)
    code = {}
    for x in keep:
        if x not in B:
            fail("nodes", "nodes of B", x)
        code[x] = len(code)
    other = {}
    lc, rc = [], []
    for x, y in B.edges():
        if x in code and y in code:
            fail("nodes", f"one side of a bipartite graph (the edge {x!r}-{y!r} joins two of them)", nodes)
        if y in code:
            x, y = y, x
        if x in code:
            lc.append(code[x])
            rc.append(other.setdefault(y, len(other)))
    a, b, w, shared = _project_codes(np.asarray(lc, dtype=np.int64), np.asarray(rc, dtype=np.int64), weighting)
    G = nx.Graph()
    G.add_nodes_from((x, B.nodes[x]) for x in keep)
    G.add_edges_from((keep[i], keep[j], {"weight": float(wt), "shared": int(s)})
                     for i, j, wt, s in zip(a.tolist(), b.tolist(), w.tolist(), shared.tolist()))
    return G
