"""Every measure of orgnet.algorithms on the three classic graphs — Zachary's karate club,
Padgett's Florentine families, Davis' southern women — beside an independent computation
(networkx, or brute force where networkx has no such measure).

The spatial and matching measures take arrays, not graphs; they are run here on arrays made
from each graph (closed neighbourhoods as service areas, hop distances as travel distances,
edges as candidate pairs), so each measure meets all three graphs. Deeper per-measure tests
live in the test_<module>.py files beside this one.
"""

from __future__ import annotations

import itertools
import random

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from orgnet import algorithms as A


def _karate():
    return nx.karate_club_graph()


def _florentine():
    return nx.florentine_families_graph()


def _davis():
    return nx.davis_southern_women_graph()


GRAPHS = {"karate": _karate, "florentine": _florentine, "davis": _davis}


def _partition(name, G):
    if name == "karate":
        return {n: d["club"] for n, d in G.nodes(data=True)}
    if name == "davis":
        return {n: d["bipartite"] for n, d in G.nodes(data=True)}
    return {n: int(G.degree(n) >= 3) for n in G}  # Florentine: well connected families or not


def _close(a: dict, b: dict, tol=1e-9):
    assert set(a) == set(b)
    for k in a:
        assert a[k] == pytest.approx(b[k], abs=tol), k


@pytest.fixture(params=list(GRAPHS))
def case(request):
    return request.param, GRAPHS[request.param]()


def test_degree_strength_betweenness_closeness_eigenvector(case):
    name, G = case
    _close(A.degree(G), dict(G.degree()))
    w = "weight" if name == "karate" else None
    _close(A.strength(G, weight=w), dict(G.degree(weight=w)))
    _close(A.betweenness(G), nx.betweenness_centrality(G))
    _close(A.closeness(G), nx.closeness_centrality(G))
    ev = A.eigenvector(G)
    ref = nx.eigenvector_centrality_numpy(G)
    _close(ev, {k: abs(v) for k, v in ref.items()}, tol=1e-6)


class _Sources(random.Random):
    """A networkx ``seed`` whose sample is the given sources (networkx draws its pivots with seed.sample)."""

    def __init__(self, sources):
        super().__init__(0)
        self.sources = list(sources)

    def sample(self, population, k):
        return list(self.sources)


def test_sampled_betweenness_equals_networkx_on_the_same_sources(case):
    _, G = case
    for normalized in (True, False):
        b = A.betweenness(G, k=8, seed=3, normalized=normalized)
        assert b.method == "sampled" and len(b.sources) == 8
        ref = nx.betweenness_centrality(G, k=8, normalized=normalized, seed=_Sources(b.sources))
        _close(b, ref)


def test_constraint_and_effective_size(case):
    _, G = case
    _close(A.constraint(G), nx.constraint(G))
    _close(A.effective_size(G), nx.effective_size(G))


def test_gould_fernandez_against_every_two_path(case):
    name, G = case
    part = _partition(name, G)
    D = G.to_directed()
    got = A.gould_fernandez(D, part)
    counts = {n: dict.fromkeys(A.ROLES, 0) for n in D}
    for b in D:
        for a in D.predecessors(b):
            for c in D.successors(b):
                if a == c or D.has_edge(a, c):
                    continue
                ga, gb, gc = part[a], part[b], part[c]
                role = ("coordinator" if ga == gb == gc else "consultant" if ga == gc else
                        "gatekeeper" if gb == gc else "representative" if ga == gb else "liaison")
                counts[b][role] += 1
    for n in D:
        assert [int(got.loc[n, r]) for r in A.ROLES] == [counts[n][r] for r in A.ROLES], n


def test_modularity_of_any_partition(case):
    name, G = case
    part = _partition(name, G)
    groups = [{n for n in G if part[n] == g} for g in set(part.values())]
    assert A.modularity(G, part) == pytest.approx(nx.community.modularity(G, groups, weight=None), abs=1e-12)
    greedy = nx.community.greedy_modularity_communities(G, weight=None)
    assert A.modularity(G, greedy) == pytest.approx(nx.community.modularity(G, greedy, weight=None), abs=1e-12)
    if name == "karate":
        assert A.modularity(G, part, weight="weight") == pytest.approx(nx.community.modularity(G, groups), abs=1e-12)


def _cp_fit(G, core):
    """Pearson correlation of the adjacency with the ideal pattern over core–core (1) and
    periphery–periphery (0) pairs; core–periphery pairs are left out (Borgatti & Everett 1999)."""
    obs, ideal = [], []
    for a, b in itertools.combinations(list(G), 2):
        if (a in core) != (b in core):
            continue
        obs.append(1.0 if G.has_edge(a, b) else 0.0)
        ideal.append(1.0 if a in core else 0.0)
    return float(np.corrcoef(obs, ideal)[0, 1])


def test_core_periphery_reports_its_method_and_a_fit_it_achieves(case):
    name, G = case
    cp = A.core_periphery(G, seed=0)
    assert cp.method == ("exact" if G.number_of_nodes() <= 20 else "local")
    core = set(cp.core)
    assert cp.fit == pytest.approx(_cp_fit(G, core), abs=1e-9)
    if name == "florentine":  # the exhaustive optimum (see test_cohesion.py): three families
        assert len(core) == 3 and cp.fit == pytest.approx(0.4226, abs=1e-4)


def test_components_islands_and_articulation(case):
    _, G = case
    s = A.component_summary(G)
    assert s["components"] == nx.number_connected_components(G)
    anchor = max(G, key=lambda n: (G.degree(n), str(n)))
    for x in list(G)[:6]:
        H = G.copy()
        H.remove_node(x)
        reach = nx.node_connected_component(H, anchor) if x != anchor else set()
        expected = {n for n in H if n not in reach}
        assert set(A.what_if_remove(G, [x], [anchor])) == expected
    cut = A.articulation_cut(G, [anchor])
    assert {n for n, c in cut.items() if c > 0} <= set(nx.articulation_points(G)) | {anchor}
    assert A.cut_off(G, [anchor]) == {}  # the three graphs are connected


def test_two_mode_projection_on_davis():
    B = _davis()
    women = [n for n, d in B.nodes(data=True) if d["bipartite"] == 0]
    P = A.weighted_projection(B, women)
    ref = nx.algorithms.bipartite.weighted_projected_graph(B, women)
    assert {frozenset(e): d["weight"] for *e, d in ref.edges(data=True)} == \
        {frozenset((a, b)): d["weight"] for a, b, d in P.edges(data=True)}


def test_gini_of_the_degree_sequence(case):
    _, G = case
    x = np.array([d for _, d in G.degree()], dtype=float)
    brute = np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())
    assert A.gini(x) == pytest.approx(brute, abs=1e-12)
    lc = A.lorenz_curve(x)
    assert float(lc.iloc[-1, -1]) == pytest.approx(1.0)


def _closed_neighbourhoods(G):
    nodes = list(G)
    idx = {n: i for i, n in enumerate(nodes)}
    rows, cols = [], []
    for n in nodes:
        for m in [n, *G[n]]:
            rows.append(idx[m])
            cols.append(idx[n])
    return nodes, sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(nodes), len(nodes)))


def test_maximal_covering_on_closed_neighbourhoods(case):
    """Points = nodes, candidate sites = nodes, a site covers its closed neighbourhood (k = 2)."""
    _, G = case
    nodes, cover = _closed_neighbourhoods(G)
    w = np.ones(len(nodes))
    best = max(len(set(cover[:, i].nonzero()[0]) | set(cover[:, j].nonzero()[0]))
               for i, j in itertools.combinations(range(len(nodes)), 2))
    exact = A.maximal_covering(w, cover, 2, method="exact")
    assert exact.covered == best and exact.optimal
    assert A.maximal_covering(w, cover, 2).covered >= (1 - 1 / np.e) * best


def test_two_step_floating_catchment_on_hop_distances(case):
    """Supply 1 per node, demand = degree, distance = hops, catchment 2 hops; against a direct loop."""
    _, G = case
    nodes = list(G)
    hops = dict(nx.all_pairs_shortest_path_length(G))
    D = np.array([[hops[a].get(b, np.inf) for b in nodes] for a in nodes], dtype=float)  # locations × sites
    supply = np.ones(len(nodes))
    demand = np.array([G.degree(n) for n in nodes], dtype=float)
    fca = A.two_step_fca(supply, demand, D, radius=2)
    ratio = np.array([supply[j] / demand[D[:, j] <= 2].sum() for j in range(len(nodes))])
    access = np.array([ratio[D[i] <= 2].sum() for i in range(len(nodes))])
    np.testing.assert_allclose(fca.accessibility, access, rtol=1e-12)


def test_transport_match_on_the_edges(case):
    """Every node asks for 1 and offers degree // 2; candidate pairs are edges (both ways), cost 1
    per unit, 2 for pairs in the same partition group — against networkx max_flow_min_cost."""
    name, G = case
    nodes = list(G)
    idx = {n: i for i, n in enumerate(nodes)}
    part = _partition(name, G)
    pairs = [(idx[a], idx[b]) for a, b in G.edges()] + [(idx[b], idx[a]) for a, b in G.edges()]
    ei = np.array([p[0] for p in pairs])
    ej = np.array([p[1] for p in pairs])
    cost = np.array([2.0 if part[nodes[i]] == part[nodes[j]] else 1.0 for i, j in pairs])
    q = np.ones(len(nodes))
    cap = np.array([G.degree(n) // 2 for n in nodes], dtype=float)
    tm = A.transport_match(len(nodes), len(nodes), ei, ej, cost, q, cap)
    F = nx.DiGraph()
    for i in range(len(nodes)):
        F.add_edge("s", ("d", i), capacity=1, weight=0)
        F.add_edge(("r", i), "t", capacity=int(cap[i]), weight=0)
    for (i, j), c in zip(pairs, cost):
        F.add_edge(("d", i), ("r", j), capacity=1, weight=int(c))
    flow = nx.max_flow_min_cost(F, "s", "t")
    assert tm.quantity == pytest.approx(sum(flow["s"].values()))
    assert tm.cost == pytest.approx(nx.cost_of_flow(F, flow))
