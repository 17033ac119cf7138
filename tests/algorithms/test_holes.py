"""algorithms.holes against networkx's constraint and effective_size on Zachary's karate club,
Padgett's Florentine families and Davis' southern women (bipartite graph, and its weighted
projection onto the women), weighted and unweighted; hand-checked ego networks."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from orgnet.algorithms import constraint, effective_size, efficiency, masked_product
from orgnet.algorithms.graph import coded
from orgnet.errors import OrgnetParameterError

RANDOM_STATE = 12345


def _with_weights(G, seed):
    G = G.copy()
    rng = random.Random(seed)
    for _, _, d in G.edges(data=True):
        d["weight"] = rng.choice([0.5, 1.0, 2.0, 3.5])
    return G


def _davis_women():
    G = nx.davis_southern_women_graph()
    women = [n for n, d in G.nodes(data=True) if d["bipartite"] == 0]
    return nx.bipartite.weighted_projected_graph(G, women)


CASES = [
    pytest.param(nx.karate_club_graph, None, id="karate-unweighted"),
    pytest.param(nx.karate_club_graph, "weight", id="karate-weighted"),
    pytest.param(nx.florentine_families_graph, None, id="florentine"),
    pytest.param(lambda: _with_weights(nx.florentine_families_graph(), RANDOM_STATE), "weight",
                 id="florentine-weighted"),
    pytest.param(nx.davis_southern_women_graph, None, id="davis"),
    pytest.param(_davis_women, None, id="davis-women"),
    pytest.param(_davis_women, "weight", id="davis-women-weighted"),
]


@pytest.mark.parametrize("make, weight", CASES)
def test_match_networkx(make, weight):
    G = make()
    G.add_node("isolate")
    con = constraint(G, weight=weight)
    es = effective_size(G, weight=weight)
    ef = efficiency(G, weight=weight)
    ref_con = nx.constraint(G, weight=weight)
    # networkx 3.6's vectorised effective_size divides by the column maximum for weighted graphs
    # (networkx PR #8906); its per-node path, used with nodes=..., is the documented formula
    ref_es = nx.effective_size(G, nodes=list(G), weight=weight)
    for v in G:
        if v == "isolate":
            assert np.isnan(con[v]) and np.isnan(es[v]) and np.isnan(ef[v]) and np.isnan(ref_con[v])
            continue
        assert con[v] == pytest.approx(ref_con[v], abs=1e-12), v
        assert es[v] == pytest.approx(ref_es[v], abs=1e-12), v
        assert ef[v] == pytest.approx(ref_es[v] / G.degree(v), abs=1e-12), v


def test_unweighted_effective_size_is_borgattis_formula():
    G = nx.karate_club_graph()
    es = effective_size(G)
    for v in G:
        n = G.degree(v)
        t = G.subgraph(G[v]).number_of_edges()
        assert es[v] == pytest.approx(n - 2 * t / n, abs=1e-12)


def test_by_hand():
    # a triangle a-b-c with a pendant d on a: a has contacts b, c (tied) and d
    G = nx.Graph([("a", "b"), ("a", "c"), ("b", "c"), ("a", "d")])
    con = constraint(G)
    # a: p = 1/3 each; b and c reach each other: (1/3 + 1/3 * 1/2)^2 twice, d: (1/3)^2
    assert con["a"] == pytest.approx(2 * 0.25 + 1 / 9)
    # b: contacts a (1/2) and c (1/2), a-c tied: (1/2 + 1/2 * 1/2)^2 + (1/2 + 1/2 * 1/3)^2
    assert con["b"] == pytest.approx(0.5625 + (2 / 3) ** 2)
    assert con["d"] == 1.0
    es = effective_size(G)
    assert es["a"] == pytest.approx(3 - 2 * 1 / 3) and es["d"] == 1.0 and es["b"] == pytest.approx(1.0)
    assert efficiency(G)["a"] == pytest.approx((3 - 2 / 3) / 3)


def test_directed_graph_uses_mutual_weights_like_networkx():
    D = nx.gnm_random_graph(20, 70, seed=RANDOM_STATE, directed=True)
    for a, b, d in D.edges(data=True):
        d["weight"] = 1.0 + (a + b) % 3
    for w in (None, "weight"):
        con, es = constraint(D, weight=w), effective_size(D, weight=w)
        ref_con, ref_es = nx.constraint(D, weight=w), nx.effective_size(D, nodes=list(D), weight=w)
        for v in D:
            assert con[v] == pytest.approx(ref_con[v], abs=1e-12, nan_ok=True)
            assert es[v] == pytest.approx(ref_es[v], abs=1e-12, nan_ok=True)


def test_other_inputs():
    G = _with_weights(nx.karate_club_graph(), 1)
    ref = constraint(G, weight="weight")
    A = nx.to_scipy_sparse_array(G, weight="weight", format="csr")
    assert constraint(A, weight="weight") == pytest.approx(dict(enumerate(ref.values())))
    assert constraint(coded(G, "weight"), weight="weight") == pytest.approx(ref)


def test_masked_product_in_row_blocks():
    rng = np.random.default_rng(RANDOM_STATE)
    a = sp.random(40, 40, density=0.15, random_state=rng, format="csr")
    a = (a + a.T).tocsr()
    mask = (a != 0).astype(float).tocsr()
    full = (a @ a).multiply(mask).toarray()
    np.testing.assert_allclose(masked_product(a, a, mask, chunk_cells=7).toarray(), full)  # many blocks
    np.testing.assert_allclose(masked_product(a, a, mask).toarray(), full)
    assert masked_product(sp.csr_matrix((0, 0)), sp.csr_matrix((0, 0)), sp.csr_matrix((0, 0))).shape == (0, 0)


@pytest.mark.parametrize("call, match", [
    (lambda: constraint({"a": 1}), "The 'G' parameter of constraint must be a networkx graph"),
    (lambda: effective_size(nx.Graph([(0, 1, {"w": -2})]), weight="w"), "'weight' parameter of effective_size"),
    (lambda: efficiency(nx.path_graph(3), weight=3), "'weight' parameter of efficiency"),
    (lambda: masked_product(np.eye(2), sp.eye(2), sp.eye(2)), "'x' parameter of masked_product"),
])
def test_parameters_are_checked(call, match):
    with pytest.raises(OrgnetParameterError, match=match):
        call()
