"""Brokerage: Gould and Fernandez's five roles over any partition of a directed graph."""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from .._params import Instance, Integer, current_function, validate_params
from ..errors import OrgnetParameterError

__all__ = ["ROLES", "gould_fernandez", "role_counts"]

#: Gould–Fernandez brokerage roles, in the order of the result columns
ROLES = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")


@validate_params(n=Integer(0))
def role_counts(source, target, group, n: int) -> np.ndarray:
    """(n, 5) role counts, columns in :data:`ROLES` order, for integer-coded directed
    edges ``source[i] → target[i]`` between nodes 0 .. n-1 with group codes ``group``.

    The kernel of :func:`gould_fernandez`, for callers that hold coded edges.
    Repeated edges count once; self-loops are ignored.

    Examples
    --------
    >>> role_counts([0, 1], [1, 2], [0, 1, 0], 3).tolist()
    [[0, 0, 0, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 0]]
    """
    s = np.asarray(source, dtype=np.int64)
    t = np.asarray(target, dtype=np.int64)
    group = np.asarray(group)
    keep = s != t
    pairs = np.unique(s[keep] * n + t[keep])
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


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT


@validate_params(G=Instance(nx.Graph, "a networkx graph"),
                 partition=Instance((Mapping, pd.Series, str),
                                    "a dict or Series node -> group, or the name of a node attribute"))
def gould_fernandez(G, partition: Mapping[Hashable, Hashable] | pd.Series | str) -> pd.DataFrame:
    """Gould–Fernandez brokerage role counts of every node over a partition.

    Parameters
    ----------
    G : networkx graph
        Directed ties (a DiGraph or MultiDiGraph); an undirected graph counts
        each edge in both directions. Repeated ties count once, self-loops are
        ignored.
    partition : dict, Series or str
        The group of every node: a mapping node -> group, or the name of a node
        attribute holding it. More nodes may be given; every node of ``G``
        needs a group.

    Returns
    -------
    DataFrame
        Indexed by node (``G``'s node order): ``group``, one column per role
        in :data:`ROLES` and ``total`` (open two-paths through the node).

    Raises
    ------
    OrgnetParameterError
        When a node of ``G`` has no group.

    Notes
    -----
    An open two-path is a → b → c with a ≠ c and no tie a → c; b is the
    broker. With g(x) the group of x [1]_:

    ==============  ==============================
    role            groups
    ==============  ==============================
    coordinator     g(a) = g(b) = g(c)
    gatekeeper      g(a) ≠ g(b) = g(c)
    representative  g(a) = g(b) ≠ g(c)
    consultant      g(a) = g(c) ≠ g(b) (itinerant)
    liaison         g(a), g(b), g(c) all differ
    ==============  ==============================

    These are the raw counts of UCINET's and ``sna::brokerage`` (which also
    report expectations under random group assignment). The two-paths are
    enumerated by a self-join of the edge table on the middle node, then an
    anti-join with the closing ties: O(Σ_b in(b) out(b)) time and memory.

    References
    ----------
    .. [1] Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a
       formal approach to brokerage in transaction networks. Sociological
       Methodology 19, 89–126.

    Examples
    --------
    Zachary's karate club, each friendship both ways, partitioned by the club
    each member joined after the split (the node attribute ``club``): Mr. Hi
    (node 0) brokers mostly inside his own faction; open two-paths 16 · 15 − 2 · 18 = 204
    (16 friends, 18 ties among them).

    >>> import networkx as nx
    >>> from orgnet.algorithms import gould_fernandez
    >>> r = gould_fernandez(nx.karate_club_graph(), "club")
    >>> r.loc[0, ["coordinator", "gatekeeper", "representative", "consultant", "liaison"]].tolist()
    [174, 15, 15, 0, 0]
    >>> int(r.loc[0, "total"])
    204
    """
    nodes = list(G.nodes)
    if isinstance(partition, str):
        attr = nx.get_node_attributes(G, partition)
        groups = [attr.get(v) for v in nodes]
    else:
        lookup = partition if isinstance(partition, Mapping) else partition.to_dict()
        groups = [lookup.get(v) for v in nodes]
    for v, gr in zip(nodes, groups):
        if _missing(gr):
            raise OrgnetParameterError(f"The 'partition' parameter of {current_function()} must give a group "
                                       f"for every node of G. Got none for {v!r} instead.")
    index = {v: i for i, v in enumerate(nodes)}
    edges = list(G.edges())
    s = np.fromiter((index[a] for a, _ in edges), dtype=np.int64, count=len(edges))
    t = np.fromiter((index[b] for _, b in edges), dtype=np.int64, count=len(edges))
    if not G.is_directed():
        s, t = np.r_[s, t], np.r_[t, s]
    codes = pd.factorize(pd.Series(groups, dtype=object))[0]
    counts = role_counts(s, t, codes, len(nodes))
    out = pd.DataFrame(counts, index=pd.Index(nodes, name="node"), columns=list(ROLES))
    out.insert(0, "group", pd.Series(groups, index=out.index, dtype=object))
    out["total"] = counts.sum(axis=1)
    return out
