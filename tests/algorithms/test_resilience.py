"""algorithms.resilience: cut_off, articulation_cut and what_if_remove against networkx
(connected components after removing each node by brute force, articulation_points) on
Zachary's karate club, Padgett's Florentine families and Davis' southern women."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

import orgnet
from orgnet.algorithms import articulation_cut, cut_off, what_if_remove
from orgnet.algorithms.graph import coded

RANDOM_STATE = 12345


def _brute_cut_off(G, anchors, removed=()):
    H = G.copy()
    H.remove_nodes_from(removed)
    out = {}
    for comp in nx.connected_components(H):
        if not comp & (set(anchors) - set(removed)):
            out.update({v: len(comp) for v in comp})
    return out


def _classic():
    k = nx.karate_club_graph()
    f = nx.florentine_families_graph()
    f.add_nodes_from(["Pucci"])  # married no one
    d = nx.davis_southern_women_graph()
    d.add_edges_from([("Olivia Carleton", "Flora Price"), ("Flora Price", "E15")])  # a tail on E11 / Flora
    r = nx.gnp_random_graph(150, 0.012, seed=RANDOM_STATE)  # forest-like, many components
    return [("karate", k, [0]), ("karate two", k, [0, 33]),
            ("florentine", f, ["Medici"]), ("florentine two", f, ["Medici", "Strozzi"]),
            ("davis", d, ["E8"]), ("davis women", d, ["Evelyn Jefferson", "Nora Fayette"]),
            ("random", r, [0, 1, 2, 3])]


@pytest.mark.parametrize("case", range(7))
def test_cut_off_equals_components_after_removal(case):
    name, G, anchors = _classic()[case]
    assert cut_off(G, anchors) == _brute_cut_off(G, anchors)
    rng = np.random.default_rng(RANDOM_STATE + case)
    nodes = list(G)
    for _ in range(5):
        removed = [nodes[i] for i in rng.choice(len(nodes), 3, replace=False)]
        expected = _brute_cut_off(G, anchors, removed)
        got = cut_off(G, anchors, removed=removed)
        assert got == expected, name
        assert list(got) == [v for v in G if v in expected]  # in node order


@pytest.mark.parametrize("case", range(7))
def test_articulation_cut_equals_single_removals(case):
    name, G, anchors = _classic()[case]
    base = set(_brute_cut_off(G, anchors))
    targets = set(list(G)[::2])
    cut = articulation_cut(G, anchors)
    cut_t = articulation_cut(G, anchors, targets=targets)
    assert list(cut) == list(G)
    for v in G:  # brute force: remove v alone, count the nodes newly without an anchor
        lost = set(_brute_cut_off(G, anchors, [v])) - base
        assert cut[v] == len(lost), (name, v)
        assert cut_t[v] == len(lost & targets), (name, v)
        assert what_if_remove(G, [v], anchors) == lost


@pytest.mark.parametrize("which", ["karate", "florentine", "davis"])
def test_one_anchor_finds_networkx_articulation_points(which):
    # in a connected graph with one anchor a, the nodes cutting anything off are exactly
    # networkx's articulation points and a itself
    G = {"karate": nx.karate_club_graph, "florentine": nx.florentine_families_graph,
         "davis": nx.davis_southern_women_graph}[which]()
    G = nx.Graph(G)
    G.add_edges_from([("leaf1", next(iter(G))), ("leaf2", "leaf1")])  # a pendant path: two more cut vertices
    for a in list(G)[:5]:
        cut = articulation_cut(G, [a])
        assert {v for v, c in cut.items() if c} == set(nx.articulation_points(G)) | {a}
        assert cut[a] == len(G) - 1


def test_florentine_figures():
    G = nx.florentine_families_graph()
    cut = articulation_cut(G, ["Medici", "Strozzi"])
    assert {k: v for k, v in cut.items() if v} == {"Medici": 3, "Albizzi": 1, "Salviati": 1, "Guadagni": 1}
    assert what_if_remove(G, ["Medici"], ["Medici", "Strozzi"]) == {"Acciaiuoli", "Salviati", "Pazzi"}
    # removing the Guadagni's three partners besides the Lamberteschi (the Albizzi also hold the Ginori)
    assert what_if_remove(G, ["Albizzi", "Tornabuoni", "Bischeri"], ["Medici"]) == {"Guadagni", "Lamberteschi",
                                                                                   "Ginori"}


def test_masks_coded_graphs_and_long_paths():
    G = nx.karate_club_graph()
    anchors = np.zeros(34, dtype=bool)
    anchors[[0, 33]] = True
    c = coded(G)
    assert articulation_cut(c, anchors) == articulation_cut(G, [0, 33])
    removed = np.zeros(34, dtype=bool)
    removed[[2, 31]] = True
    assert cut_off(c, anchors, removed=removed) == cut_off(G, [0, 33], removed=[2, 31])
    A = nx.to_scipy_sparse_array(G)  # nodes 0 .. 33 as in G
    assert what_if_remove(A, [0], [0, 33]) == what_if_remove(G, [0], [0, 33])
    assert articulation_cut(A, [33], targets=anchors) == articulation_cut(G, [33], targets=[0, 33])
    # a path of 5,000 nodes anchored at one end: no recursion limit; node i cuts off 4,999 - i
    P = nx.path_graph(5000)
    cut = articulation_cut(P, [0])
    assert cut[0] == 4999 and cut[1] == 4998 and cut[4998] == 1 and cut[4999] == 0
    assert cut_off(P, []) == {v: 5000 for v in P}  # no anchor: everyone is cut off


def test_refused():
    G = nx.path_graph(4)
    with pytest.raises(orgnet.OrgnetParameterError, match="'anchors' parameter of cut_off must be nodes of G. Got 9"):
        cut_off(G, [9])
    with pytest.raises(orgnet.OrgnetParameterError, match="'removed' parameter of cut_off"):
        cut_off(G, [0], removed=np.ones(3, dtype=bool))
    with pytest.raises(orgnet.OrgnetParameterError, match="'targets' parameter of articulation_cut"):
        articulation_cut(G, [0], targets=[7])
    with pytest.raises(orgnet.OrgnetParameterError, match="'nodes' parameter of what_if_remove"):
        what_if_remove(G, ["x"], [0])
    with pytest.raises(orgnet.OrgnetParameterError, match="undirected"):
        articulation_cut(nx.DiGraph(G), [0])
    with pytest.raises(orgnet.OrgnetParameterError, match="'G' parameter of cut_off"):
        cut_off([(0, 1)], [0])
