"""algorithms.centrality against networkx and igraph on Zachary's karate club, Padgett's
Florentine families and Davis' southern women (the bipartite graph as it is, and its weighted
projection onto the women), weighted and unweighted; sampled betweenness against networkx
and igraph with the same pivots; hand-checked small graphs."""

from __future__ import annotations

import random

import igraph as ig
import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from orgnet.algorithms import (Betweenness, betweenness, brandes, closeness, degree, eigenvector, pivots,
                               strength)
from orgnet.algorithms.graph import coded
from orgnet.errors import OrgnetParameterError
from orgnet._params import as_rng

RANDOM_STATE = 12345


def _with_weights(G, seed):
    G = G.copy()
    rng = random.Random(seed)
    for _, _, d in G.edges(data=True):
        d["weight"] = rng.choice([0.5, 1.0, 2.0, 3.0])
    return G


def _davis_women():
    G = nx.davis_southern_women_graph()
    women = [n for n, d in G.nodes(data=True) if d["bipartite"] == 0]
    return nx.bipartite.weighted_projected_graph(G, women)  # weight = events attended together


GRAPHS = {
    "karate": (nx.karate_club_graph, "weight"),  # edge weights: interactions counted by Zachary
    "florentine": (nx.florentine_families_graph, None),
    "florentine_weighted": (lambda: _with_weights(nx.florentine_families_graph(), RANDOM_STATE), "weight"),
    "davis": (nx.davis_southern_women_graph, None),
    "davis_women": (_davis_women, "weight"),
}


def _cases():
    for name, (make, w) in GRAPHS.items():
        yield pytest.param(make, None, id=f"{name}-hops")
        if w is not None:
            yield pytest.param(make, w, id=f"{name}-{w}")


def _igraph(G):
    nodes = list(G)
    h = ig.Graph.from_networkx(G)
    assert h.vs["_nx_name"] == nodes
    return h, nodes


def _close(a: dict, b: dict, tol=1e-12):
    assert set(a) == set(b)
    for x in a:
        assert a[x] == pytest.approx(b[x], abs=tol, nan_ok=True), x


# ---------------------------------------------------------------- degree, strength


@pytest.mark.parametrize("make, weight", list(_cases()))
def test_degree_and_strength_match_networkx(make, weight):
    G = make()
    assert degree(G) == dict(G.degree())
    _close(strength(G, weight=weight), dict(G.degree(weight=weight)))


def test_strength_merges_parallel_edges_and_directions():
    G = nx.MultiDiGraph([("a", "b", {"w": 2}), ("b", "a", {"w": 3}), ("a", "b", {"w": 1}), ("b", "c", {})])
    G.add_edge("c", "c", w=9)  # self-loop: ignored
    assert strength(G, weight="w") == {"a": 6.0, "b": 7.0, "c": 1.0}
    assert degree(G) == {"a": 1, "b": 2, "c": 1}


# ---------------------------------------------------------------- betweenness


def test_betweenness_by_hand():
    assert betweenness(nx.path_graph(3)) == {0: 0.0, 1: 1.0, 2: 0.0}
    # star with 4 leaves: the centre lies on all C(4, 2) = 6 leaf pairs, normalised 6 / C(4, 2) = 1
    b = betweenness(nx.star_graph(4), normalized=False)
    assert b == {0: 6.0, 1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0} and b.method == "exact" and b.sources is None
    # a 4-cycle: each node carries half of the one pair of its two neighbours
    assert betweenness(nx.cycle_graph(4), normalized=False) == dict.fromkeys(range(4), 0.5)
    # weighted: a-b-c of length 1 + 1 beats the direct a-c of length 3
    G = nx.Graph([("a", "b", {"l": 1}), ("b", "c", {"l": 1}), ("a", "c", {"l": 3})])
    assert betweenness(G, weight="l") == {"a": 0.0, "b": 1.0, "c": 0.0}
    assert betweenness(G) == {"a": 0.0, "b": 0.0, "c": 0.0}
    assert betweenness(nx.path_graph(2)) == {0: 0.0, 1: 0.0}


@pytest.mark.parametrize("normalized", [True, False])
@pytest.mark.parametrize("make, weight", list(_cases()))
def test_exact_betweenness_matches_networkx_and_igraph(make, weight, normalized):
    G = make()
    b = betweenness(G, weight=weight, normalized=normalized)
    assert b.method == "exact"
    _close(b, nx.betweenness_centrality(G, weight=weight, normalized=normalized))
    h, nodes = _igraph(G)
    n = len(nodes)
    ib = h.betweenness(weights=weight)  # unnormalised, each unordered pair once
    scale = 2 / ((n - 1) * (n - 2)) if normalized else 1.0
    _close(b, {x: v * scale for x, v in zip(nodes, ib)}, tol=1e-9)


class _FixedSample(random.Random):
    """A random.Random whose sample() returns given nodes: networkx's sampled betweenness
    then uses the same pivots as orgnet."""

    def __init__(self, chosen):
        super().__init__(0)
        self.chosen = list(chosen)

    def sample(self, population, k):
        assert k == len(self.chosen)
        return list(self.chosen)


@pytest.mark.parametrize("normalized", [True, False])
@pytest.mark.parametrize("make, weight", list(_cases()))
def test_sampled_betweenness_matches_networkx_and_igraph_with_the_same_pivots(make, weight, normalized):
    G = make()
    k = 7
    b = betweenness(G, k=k, weight=weight, normalized=normalized, seed=RANDOM_STATE)
    assert b.method == "sampled" and b.k == k
    nodes = list(G)
    # the pivots: k codes drawn with as_rng(seed), in the graph's node order
    assert b.sources == [nodes[i] for i in np.sort(as_rng(RANDOM_STATE).choice(len(nodes), k, replace=False))]
    ref = nx.betweenness_centrality(G, k=k, weight=weight, normalized=normalized, seed=_FixedSample(b.sources))
    _close(b, ref)
    # igraph: the raw sums over the same sources (each pair counted once), scaled as networkx does
    h, _ = _igraph(G)
    raw = h.betweenness(sources=[nodes.index(s) for s in b.sources], weights=weight)
    n = len(nodes)
    for x, r in zip(nodes, raw):
        if normalized:
            expect = 2 * r / (((k - 1) if x in b.sources else k) * (n - 2))
        else:
            expect = r * (n - 1) / ((k - 1) if x in b.sources else k)
        assert b[x] == pytest.approx(expect, abs=1e-9), x


def test_sampled_betweenness_is_seeded():
    G = nx.karate_club_graph()
    a = betweenness(G, k=10, seed=3)
    assert betweenness(G, k=10, seed=3) == a and betweenness(G, k=10, seed=3).sources == a.sources
    assert betweenness(G, k=10, seed=4).sources != a.sources
    assert betweenness(G, k=10, seed=np.random.default_rng(3)).sources == a.sources  # a Generator
    # k >= n or n <= max_exact: exact
    assert betweenness(G, k=34).method == "exact" and betweenness(G, k=10, max_exact=34).method == "exact"
    _close(betweenness(G, k=34), nx.betweenness_centrality(G))
    # k = 1: the pivot's own value is undefined (NaN), as in networkx
    one = betweenness(G, k=1, seed=0)
    assert np.isnan(one[one.sources[0]])


def test_pivots():
    p = pivots(100, 12, seed=RANDOM_STATE)
    assert len(set(p.tolist())) == 12 and p.tolist() == sorted(p.tolist()) and p.min() >= 0 and p.max() < 100
    assert p.tolist() == sorted(as_rng(RANDOM_STATE).choice(100, 12, replace=False).tolist())
    assert pivots(5, 5).tolist() == [0, 1, 2, 3, 4]
    with pytest.raises(OrgnetParameterError, match="'k' parameter of pivots must be an integer <= the number"):
        pivots(3, 4)


@pytest.mark.parametrize("weighted", [False, True])
def test_brandes_in_batches_equals_one_batch(weighted):
    G = _with_weights(nx.gnm_random_graph(60, 150, seed=RANDOM_STATE), 1)
    A = nx.to_scipy_sparse_array(G, weight="weight", format="csr")
    src = np.arange(60)
    whole = brandes(A, src, weighted=weighted)
    np.testing.assert_allclose(brandes(A, src, weighted=weighted, block_cells=50), whole, rtol=1e-12, atol=1e-12)
    # every node a source: twice the unnormalised betweenness (each pair seen from both ends)
    ref = nx.betweenness_centrality(G, weight="weight" if weighted else None, normalized=False)
    np.testing.assert_allclose(whole, [2 * ref[i] for i in range(60)], rtol=1e-12, atol=1e-12)


def test_betweenness_with_equal_length_paths_of_different_hops():
    # a-d directly (length 2) and a-b-d (1 + 1): both shortest, so b carries half of a-d
    G = nx.Graph([("a", "d", {"l": 2}), ("a", "b", {"l": 1}), ("b", "d", {"l": 1}), ("d", "e", {"l": 1})])
    b = betweenness(G, weight="l", normalized=False)
    assert b == pytest.approx(nx.betweenness_centrality(G, weight="l", normalized=False))
    assert b["b"] == pytest.approx(0.5 + 0.5)  # a-d and a-e, half each


def test_inputs_other_than_networkx_graphs():
    G = _with_weights(nx.karate_club_graph(), 2)
    nodes = list(G)
    ref = betweenness(G, weight="weight")
    A = nx.to_scipy_sparse_array(G, weight="weight", format="csr")
    from_sparse = betweenness(A, weight="weight")
    assert list(from_sparse) == list(range(34))
    _close({nodes[i]: v for i, v in from_sparse.items()}, ref)
    _close(betweenness(coded(G, "weight"), weight="weight"), ref)
    _close(closeness(A, weight="weight"), {i: v for i, v in enumerate(closeness(G, weight="weight").values())})
    _close(eigenvector(A), {i: v for i, v in enumerate(eigenvector(G).values())})


def test_direction_and_parallel_edges_are_merged():
    D = _with_weights(nx.gnm_random_graph(30, 70, seed=RANDOM_STATE, directed=True), 3)
    U = nx.Graph()
    U.add_nodes_from(D)
    for a, b, d in D.edges(data=True):  # the two directions of a pair: the shorter length
        if U.has_edge(a, b):
            U[a][b]["weight"] = min(U[a][b]["weight"], d["weight"])
        else:
            U.add_edge(a, b, weight=d["weight"])
    for w in (None, "weight"):
        _close(betweenness(D, weight=w), nx.betweenness_centrality(U, weight=w))
        _close(closeness(D, weight=w), nx.closeness_centrality(U, distance=w))
    M = nx.MultiGraph([(0, 1, {"l": 5}), (0, 1, {"l": 1}), (1, 2, {"l": 1}), (0, 2, {"l": 3})])
    assert betweenness(M, weight="l")[1] == 1.0  # 0-1 has length 1, so 0-1-2 (2) beats 0-2 (3)


def test_betweenness_refuses_lengths_that_are_not_positive():
    G = nx.Graph([(0, 1, {"l": 0}), (1, 2, {"l": 1})])
    with pytest.raises(OrgnetParameterError, match="'weight' parameter of betweenness.*lengths > 0"):
        betweenness(G, weight="l")
    with pytest.raises(OrgnetParameterError, match="'weight' parameter of closeness.*lengths > 0"):
        closeness(G, weight="l")
    assert betweenness(G) == {0: 0.0, 1: 1.0, 2: 0.0}  # hops: fine


# ---------------------------------------------------------------- closeness


@pytest.mark.parametrize("wf_improved", [True, False])
@pytest.mark.parametrize("make, weight", list(_cases()))
def test_closeness_matches_networkx_and_igraph(make, weight, wf_improved):
    G = make()
    c = closeness(G, weight=weight, wf_improved=wf_improved)
    _close(c, nx.closeness_centrality(G, distance=weight, wf_improved=wf_improved))
    if not wf_improved:  # igraph: over the nodes each reaches, no correction
        h, nodes = _igraph(G)
        _close(c, dict(zip(nodes, h.closeness(weights=weight, normalized=True))), tol=1e-12)


def test_closeness_by_hand_on_a_disconnected_graph():
    G = nx.Graph([(0, 1), (1, 2)])
    G.add_edge(3, 4)
    G.add_node(5)
    c = closeness(G)
    # node 1 reaches 0 and 2 at 1 each: 2/2 = 1, times (3 - 1)/(6 - 1) = 0.4; node 3: 1/1 x 1/5
    assert c == pytest.approx({0: 2 / 3 * 2 / 5, 1: 0.4, 2: 2 / 3 * 2 / 5, 3: 0.2, 4: 0.2, 5: 0.0})
    assert closeness(G, wf_improved=False)[1] == 1.0


# ---------------------------------------------------------------- eigenvector


@pytest.mark.parametrize("make, weight", list(_cases()))
def test_eigenvector_matches_networkx_and_igraph(make, weight):
    G = make()
    e = eigenvector(G, weight=weight)
    _close(e, nx.eigenvector_centrality(G, weight=weight, max_iter=100_000, tol=1e-14), tol=1e-8)
    assert np.linalg.norm(list(e.values())) == pytest.approx(1.0)
    h, nodes = _igraph(G)
    ie = np.array(h.eigenvector_centrality(weights=weight, scale=True))
    _close(e, dict(zip(nodes, (ie / np.linalg.norm(ie)).tolist())), tol=1e-8)


def test_eigenvector_by_hand_and_without_edges():
    # star with 4 leaves: λ = 2, centre 1/√2, each leaf 1/(2√2)
    e = eigenvector(nx.star_graph(4))
    assert e[0] == pytest.approx(2 ** -0.5) and e[1] == pytest.approx(2 ** -1.5)
    G = nx.empty_graph(3)
    assert all(np.isnan(v) for v in eigenvector(G).values())


def test_eigenvector_sparse_solver_above_the_dense_limit(monkeypatch):
    from orgnet.algorithms import centrality as mod

    G = nx.karate_club_graph()
    dense = eigenvector(G, weight="weight")
    monkeypatch.setattr(mod, "DENSE_EIGEN", 10)
    _close(eigenvector(G, weight="weight"), dense, tol=1e-10)


# ---------------------------------------------------------------- parameters


@pytest.mark.parametrize("call, match", [
    (lambda: betweenness([1, 2]), r"The 'G' parameter of betweenness must be a networkx graph"),
    (lambda: betweenness(nx.path_graph(4), k=0), r"The 'k' parameter of betweenness must be an integer >= 1"),
    (lambda: betweenness(nx.path_graph(4), seed=-1), "'seed' parameter of betweenness"),
    (lambda: betweenness(nx.path_graph(4), normalized="yes"), "'normalized' parameter of betweenness"),
    (lambda: betweenness(nx.path_graph(4), max_exact=-2), "'max_exact' parameter of betweenness"),
    (lambda: closeness(nx.path_graph(4), wf_improved=1), "'wf_improved' parameter of closeness"),
    (lambda: strength(nx.Graph([(0, 1, {"w": -1})]), weight="w"), "'weight' parameter"),
    (lambda: eigenvector(sp.csr_array(np.ones((2, 3)))), "'G' parameter of eigenvector must be a square"),
    (lambda: degree("G"), "'G' parameter of degree"),
])
def test_parameters_are_checked(call, match):
    with pytest.raises(OrgnetParameterError, match=match):
        call()


def test_result_type():
    b = betweenness(nx.karate_club_graph(), k=5)
    assert isinstance(b, Betweenness) and isinstance(b, dict) and len(b) == 34
