"""algorithms.brokerage: Gould–Fernandez roles against a brute force over every ordered
triple (random digraphs, Zachary's karate club by its ``club`` split, Padgett's Florentine
families, Davis' southern women by the bipartite side) and a published 4-node example."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from orgnet.algorithms import ROLES, gould_fernandez, role_counts
from orgnet.errors import OrgnetParameterError

RANDOM_STATE = 12345


def _brute(G, groups):
    """Every ordered triple a, b, c of distinct nodes with a -> b -> c and no a -> c."""
    D = nx.DiGraph(G) if G.is_directed() else nx.DiGraph(nx.to_directed(G))
    D.remove_edges_from(nx.selfloop_edges(D))
    out = {v: dict.fromkeys(ROLES, 0) for v in D}
    for a, b, c in itertools.permutations(D, 3):
        if D.has_edge(a, b) and D.has_edge(b, c) and not D.has_edge(a, c):
            ga, gb, gc = groups[a], groups[b], groups[c]
            if ga == gb == gc:
                role = "coordinator"
            elif ga != gb and gb == gc:
                role = "gatekeeper"
            elif ga == gb and gb != gc:
                role = "representative"
            elif ga == gc:
                role = "consultant"
            else:
                role = "liaison"
            out[b][role] += 1
    return out


def _check(G, partition, groups):
    r = gould_fernandez(G, partition)
    assert list(r.index) == list(G) and list(r.columns) == ["group", *ROLES, "total"]
    brute = _brute(G, groups)
    for v in G:
        assert r.loc[v, list(ROLES)].tolist() == [brute[v][k] for k in ROLES], v
        assert r.loc[v, "group"] == groups[v]
    assert (r["total"] == r[list(ROLES)].sum(axis=1)).all()
    return r


def test_published_example():
    # The 4-node example with printed role counts from the test suite of the R package cograph,
    # checked there against sna::brokerage (Gould & Fernandez 1989): A->B, A->C, B->C, B->D,
    # C->D, D->A; groups A, B = 1 and C, D = 2. D->A->B gatekeeper, D->A->C itinerant
    # (consultant); A->B->D representative (A->B->C is closed by A->C); A->C->D gatekeeper
    # (B->C->D closed by B->D); B->D->A itinerant, C->D->A representative.
    G = nx.DiGraph([("A", "B"), ("A", "C"), ("B", "C"), ("B", "D"), ("C", "D"), ("D", "A")])
    r = gould_fernandez(G, {"A": 1, "B": 1, "C": 2, "D": 2})
    assert r.loc[["A", "B", "C", "D"], list(ROLES)].to_numpy().tolist() == [
        [0, 1, 0, 1, 0], [0, 0, 1, 0, 0], [0, 1, 0, 0, 0], [0, 0, 1, 1, 0]]
    assert r["total"].tolist() == [2, 1, 1, 2]


@pytest.mark.parametrize("seed", range(5))
def test_random_digraphs_match_brute_force(seed):
    rng = np.random.default_rng(RANDOM_STATE + seed)
    n = 14
    G = nx.MultiDiGraph()
    G.add_nodes_from(f"n{i:02d}" for i in range(n))
    edges = [(f"n{i:02d}", f"n{j:02d}") for i in range(n) for j in range(n) if i != j and rng.random() < 0.25]
    G.add_edges_from(edges + edges[:5])  # repeated ties count once
    G.add_edge("n00", "n00")  # a self-loop: ignored
    groups = {v: int(rng.integers(0, 3)) for v in G}
    _check(G, groups, groups)
    _check(G, pd.Series(groups), groups)  # a Series works the same
    nx.set_node_attributes(G, groups, "g")
    _check(G, "g", groups)  # and a node attribute


def test_karate_club_by_club():
    G = nx.karate_club_graph()
    groups = nx.get_node_attributes(G, "club")
    r = _check(G, "club", groups)
    # an undirected graph is the digraph with both directions
    pd.testing.assert_frame_equal(r, gould_fernandez(G.to_directed(), "club"))
    # node 0 (Mr. Hi): 16 friends with 18 ties among them: 16 * 15 - 2 * 18 open two-paths
    assert r.loc[0, "total"] == 16 * 15 - 2 * 18


def test_florentine_and_davis():
    F = nx.florentine_families_graph()
    groups = {v: len(v) % 3 for v in F}  # any partition: by name length
    _check(F.to_directed(), groups, groups)
    D = nx.davis_southern_women_graph()
    side = nx.get_node_attributes(D, "bipartite")
    r = _check(D, "bipartite", side)
    # bipartite: every two-path joins two nodes of the same side through the other side
    assert (r[["coordinator", "gatekeeper", "representative", "liaison"]] == 0).all().all()
    assert (r["consultant"] == r["total"]).all()


def test_role_counts_kernel():
    # 0 -> 1 -> 2, groups 0, 1, 0: node 1 is a consultant; 0 -> 2 closes it
    assert role_counts([0, 1], [1, 2], [0, 1, 0], 3)[1].tolist() == [0, 0, 0, 1, 0]
    assert role_counts([0, 1, 0], [1, 2, 2], [0, 1, 0], 3).sum() == 0
    assert role_counts([], [], [0, 0], 2).shape == (2, 5)


@pytest.mark.parametrize("call, match", [
    (lambda: gould_fernandez([("a", "b")], {}), r"The 'G' parameter of gould_fernandez must be a networkx graph"),
    (lambda: gould_fernandez(nx.DiGraph([("a", "b")]), {"a": 1}),
     r"The 'partition' parameter of gould_fernandez must give a group for every node of G\. Got none for 'b'"),
    (lambda: gould_fernandez(nx.DiGraph([("a", "b")]), {"a": 1, "b": np.nan}), "Got none for 'b'"),
    (lambda: gould_fernandez(nx.DiGraph([("a", "b")]), "missing"), "Got none for 'a'"),
    (lambda: gould_fernandez(nx.DiGraph([("a", "b")]), 3), r"'partition' parameter of gould_fernandez must be a dict"),
])
def test_parameters_are_checked(call, match):
    with pytest.raises(OrgnetParameterError, match=match):
        call()
