"""algorithms.projection: weighted_projection and projection_edges against networkx's
bipartite.weighted_projected_graph (count) and collaboration_weighted_projected_graph
(Newman) on Davis' southern women, both sides, and on random bipartite graphs."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from networkx.algorithms import bipartite

import orgnet
from orgnet import structure
from orgnet.algorithms import projection_edges, weighted_projection

RANDOM_STATE = 12345


def _assert_same_projection(W, expected, attr):
    assert list(W) == list(expected) or set(W) == set(expected)
    assert {frozenset(e) for e in W.edges()} == {frozenset(e) for e in expected.edges()}
    for a, b, d in expected.edges(data=True):
        assert W[a][b][attr] == pytest.approx(d["weight"], abs=1e-12), (a, b)


def _davis_and_random():
    B = nx.davis_southern_women_graph()
    yield "davis women", B, B.graph["top"]
    yield "davis events", B, B.graph["bottom"]
    for k in range(3):
        R = bipartite.random_graph(25, 15, 0.15 + 0.1 * k, seed=RANDOM_STATE + k)
        top = [v for v, d in R.nodes(data=True) if d["bipartite"] == 0]
        yield f"random {k} top", R, top
        yield f"random {k} bottom", R, [v for v in R if v not in set(top)]


@pytest.mark.parametrize("case", range(8))
def test_weighted_projection_equals_networkx(case):
    name, B, nodes = list(_davis_and_random())[case]
    count = weighted_projection(B, nodes)
    newman = weighted_projection(B, nodes, weighting="newman")
    nx_count = bipartite.weighted_projected_graph(B, nodes)
    nx_newman = bipartite.collaboration_weighted_projected_graph(B, nodes)
    _assert_same_projection(count, nx_count, "weight")
    _assert_same_projection(count, nx_count, "shared")  # shared = the count of shared neighbours
    _assert_same_projection(newman, nx_newman, "weight")
    _assert_same_projection(newman, nx_count, "shared")
    assert list(count) == list(nodes)  # every node kept, isolated or not, in the given order
    # the edge list form gives the same pairs
    side = set(nodes)
    ends = [(a, b) if a in side else (b, a) for a, b in B.edges()]
    e = projection_edges([a for a, _ in ends], [b for _, b in ends], weighting="newman")
    assert len(e) == newman.number_of_edges()
    assert (e["a"] < e["b"]).all() and e[["a", "b"]].apply(tuple, axis=1).is_monotonic_increasing
    for a, b, w, s in e.itertuples(index=False):
        assert newman[a][b]["weight"] == pytest.approx(w, abs=1e-12) and newman[a][b]["shared"] == s


def test_davis_figures_and_newman_strength():
    B = nx.davis_southern_women_graph()
    W = weighted_projection(B, B.graph["top"])
    # Evelyn and Laura attended six of the same events (Davis, Gardner & Gardner 1941)
    assert W["Evelyn Jefferson"]["Laura Mandeville"] == {"weight": 6.0, "shared": 6}
    assert W.number_of_edges() == 139  # 18 women, 153 pairs, 14 of them never met
    E = weighted_projection(B, B.graph["bottom"], weighting="newman")
    assert E["E8"]["E9"]["shared"] == 9 and E["E8"]["E9"]["weight"] == pytest.approx(3.1523809524)
    # Newman: every woman receives 1 from each event she shares with another woman, so her
    # strength in the projection is the number of her events (every event has >= 3 women)
    N = weighted_projection(B, B.graph["top"], weighting="newman")
    for w in B.graph["top"]:
        assert N.degree(w, weight="weight") == pytest.approx(B.degree(w))


def test_projection_edges_ignores_repeats_and_missing_ends():
    left = ["C1", "C2", "C3", "C1", "C2", "C2", None, "C3"]
    right = ["U1", "U1", "U1", "U2", "U2", "U2", "U2", np.nan]
    count = projection_edges(left, right)
    assert count.values.tolist() == [["C1", "C2", 2.0, 2], ["C1", "C3", 1.0, 1], ["C2", "C3", 1.0, 1]]
    newman = projection_edges(left, right, weighting="newman")
    assert newman["weight"].tolist() == [1.5, 0.5, 0.5]
    empty = projection_edges(["C1"], ["U1"])
    assert empty.empty and list(empty.columns) == ["a", "b", "weight", "shared"]
    # the domain's edge-list wrapper is the same
    df = pd.DataFrame({"c": left, "p": right})
    pd.testing.assert_frame_equal(structure.two_mode_projection(df, "c", "p", "newman"), newman,
                                  check_like=True)


def test_refused():
    B = nx.Graph([("a", 1), ("b", 1), ("a", "b")])
    with pytest.raises(orgnet.OrgnetParameterError, match="one side of a bipartite graph .*'a'-'b'"):
        weighted_projection(B, ["a", "b"])
    with pytest.raises(orgnet.OrgnetParameterError, match="'nodes' parameter of weighted_projection"):
        weighted_projection(B, ["z"])
    with pytest.raises(orgnet.OrgnetParameterError, match="undirected"):
        weighted_projection(nx.DiGraph([("a", 1)]), ["a"])
    with pytest.raises(orgnet.OrgnetParameterError, match="'weighting' parameter of weighted_projection"):
        weighted_projection(nx.Graph([("a", 1)]), ["a"], weighting="jaccard")
    with pytest.raises(orgnet.OrgnetParameterError, match="'right' parameter of projection_edges"):
        projection_edges(["a", "b"], [1])
