"""algorithms.cohesion: modularity against networkx and igraph on Zachary's karate club
(the club split), Padgett's Florentine families and Davis' southern women; component
summaries against networkx; the Borgatti–Everett core against a brute force over every
node set, and the local search against many restarts and every single move and swap."""

from __future__ import annotations

import itertools

import igraph as ig
import networkx as nx
import numpy as np
import pytest

import orgnet
from orgnet import structure
from orgnet.algorithms import cohesion, component_summary, core_periphery, modularity
from orgnet.algorithms.graph import Coded, coded

RANDOM_STATE = 12345


def _karate():
    return nx.karate_club_graph()


def _clubs(G):
    return [{v for v, d in G.nodes(data=True) if d["club"] == c} for c in ("Mr. Hi", "Officer")]


def _igraph(G, weight=None):
    nodes = list(G)
    index = {x: i for i, x in enumerate(nodes)}
    h = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in G.edges()], directed=G.is_directed())
    w = [d.get(weight, 1) for _, _, d in G.edges(data=True)] if weight else None
    return h, index, w


def _membership(parts, index):
    m = [0] * len(index)
    for k, part in enumerate(parts):
        for x in part:
            m[index[x]] = k
    return m


def _classic_partitions():
    k = _karate()
    f = nx.florentine_families_graph()
    d = nx.davis_southern_women_graph()
    yield "karate clubs", k, _clubs(k)
    yield "karate louvain", k, nx.community.louvain_communities(k, seed=RANDOM_STATE)
    yield "florentine greedy", f, nx.community.greedy_modularity_communities(f)
    yield "florentine halves", f, [set(sorted(f)[:7]), set(sorted(f)[7:])]
    yield "davis sides", d, [set(d.graph["top"]), set(d.graph["bottom"])]
    yield "davis louvain", d, nx.community.louvain_communities(d, seed=RANDOM_STATE)


@pytest.mark.parametrize("case", range(6))
@pytest.mark.parametrize("resolution", [1, 0.5, 2])
def test_modularity_equals_networkx_and_igraph(case, resolution):
    name, G, parts = list(_classic_partitions())[case]
    h, index, _ = _igraph(G)
    expected = nx.community.modularity(G, parts, weight=None, resolution=resolution)
    got = modularity(G, parts, resolution=resolution)
    assert got == pytest.approx(expected, abs=1e-12), name
    assert got == pytest.approx(h.modularity(_membership(parts, index), resolution=resolution), abs=1e-12)


def test_modularity_of_the_karate_clubs():
    G = _karate()
    # the club attribute, a dict, a list of sets and an array of labels give the same Q
    by_dict = {v: d["club"] for v, d in G.nodes(data=True)}
    labels = np.array([by_dict[v] for v in G], dtype=object)
    q = modularity(G, "club")
    assert q == modularity(G, by_dict) == modularity(G, _clubs(G)) == modularity(G, labels)
    assert q == pytest.approx(0.3582347140, abs=1e-10)
    # weighted by Zachary's shared activities, against networkx and igraph
    h, index, w = _igraph(G, "weight")
    qw = modularity(G, "club", weight="weight")
    assert qw == pytest.approx(nx.community.modularity(G, _clubs(G), weight="weight"), abs=1e-12)
    assert qw == pytest.approx(h.modularity(_membership(_clubs(G), index), weights=w), abs=1e-12)
    # the Coded form of the same graph
    c = coded(G, "weight")
    assert modularity(c, labels) == pytest.approx(q, abs=1e-12)
    assert modularity(c, by_dict, weight="w") == pytest.approx(qw, abs=1e-12)
    # and its sparse adjacency (nodes 0 .. 33 are the karate club's own labels)
    A = nx.to_scipy_sparse_array(G, weight="weight")
    assert modularity(A, by_dict, weight="weight") == pytest.approx(qw, abs=1e-12)
    assert modularity(A, labels) == pytest.approx(q, abs=1e-12)
    # one group: Q = 1 - 1 = 0; every node alone: - sum (d_i / 2m)^2
    assert modularity(G, [set(G)]) == pytest.approx(0.0, abs=1e-15)
    deg = np.array([d for _, d in G.degree()], dtype=float)
    assert modularity(G, [{v} for v in G]) == pytest.approx(-((deg / deg.sum()) ** 2).sum())


@pytest.mark.parametrize("seed", range(4))
def test_directed_and_multigraph_modularity(seed):
    rng = np.random.default_rng(RANDOM_STATE + seed)
    D = nx.gnp_random_graph(25, 0.15, seed=RANDOM_STATE + seed, directed=True)
    for u, v in D.edges():
        D[u][v]["weight"] = float(rng.integers(1, 5))
    parts = [set(range(0, 9)), set(range(9, 17)), set(range(17, 25))]
    h, index, w = _igraph(D, "weight")
    got = modularity(D, parts, weight="weight")
    assert got == pytest.approx(nx.community.modularity(D, parts, weight="weight"), abs=1e-12)
    assert got == pytest.approx(h.modularity(_membership(parts, index), weights=w, directed=True), abs=1e-12)
    # a multigraph with self-loops counts each parallel edge and a loop as networkx does
    M = nx.MultiGraph(nx.florentine_families_graph())
    M.add_edges_from([("Medici", "Medici"), ("Medici", "Ridolfi"), ("Strozzi", "Peruzzi")])
    p = nx.community.greedy_modularity_communities(nx.florentine_families_graph())
    assert modularity(M, p) == pytest.approx(nx.community.modularity(M, p, weight=None), abs=1e-12)


def test_modularity_refuses_what_is_not_a_partition():
    G = nx.florentine_families_graph()
    nodes = sorted(G)
    with pytest.raises(orgnet.OrgnetParameterError,
                       match="'partition' parameter of modularity.*'Tornabuoni' is in no group"):
        modularity(G, [set(nodes[:-1])])
    with pytest.raises(orgnet.OrgnetParameterError, match="in two groups"):
        modularity(G, [set(nodes), {"Medici"}])
    with pytest.raises(orgnet.OrgnetParameterError, match="'Borgia' is not a node"):
        modularity(G, [set(nodes) | {"Borgia"}])
    with pytest.raises(orgnet.OrgnetParameterError, match="has no attribute 'club'"):
        modularity(G, "club")
    with pytest.raises(orgnet.OrgnetParameterError, match="'resolution' parameter of modularity"):
        modularity(G, [set(nodes)], resolution=-1)
    with pytest.raises(orgnet.OrgnetParameterError, match="'G' parameter of modularity"):
        modularity({"a": "b"}, [{"a"}])
    with pytest.raises(orgnet.OrgnetParameterError, match="no node attributes"):
        modularity(coded(G), "club")
    assert np.isnan(modularity(nx.empty_graph(3), [{0, 1, 2}]))  # no edge: undefined


# ---------------------------------------------------------------- components


@pytest.mark.parametrize("which", ["karate", "florentine", "davis", "random"])
def test_component_summary_equals_networkx(which):
    G = {"karate": _karate, "florentine": nx.florentine_families_graph,
         "davis": nx.davis_southern_women_graph,
         "random": lambda: nx.gnp_random_graph(60, 0.03, seed=RANDOM_STATE)}[which]()
    G = nx.Graph(G)
    G.add_nodes_from(["iso1", "iso2"])
    G.add_edge("iso3", "iso4")
    s = component_summary(G)
    comps = sorted(nx.connected_components(G), key=len, reverse=True)
    assert s["nodes"] == G.number_of_nodes() and s["edges"] == G.number_of_edges()
    assert s["components"] == nx.number_connected_components(G)
    assert s["main_component_size"] == len(comps[0])
    assert s["main_component_share"] == pytest.approx(len(comps[0]) / len(G))
    assert s["density"] == pytest.approx(nx.density(G))
    # members: the share of chosen nodes in the main component, by brute force
    members = set(list(G)[::3])
    t = component_summary(G, members=members)
    assert t["main_component_share"] == pytest.approx(len(members & comps[0]) / len(members))
    mask = np.array([v in members for v in G])
    assert component_summary(G, members=mask) == t


def test_component_summary_ties_and_edge_cases():
    # two components of 3; the second holds both members: it is the main one
    G = nx.Graph([(0, 1), (1, 2), (3, 4), (4, 5)])
    assert component_summary(G, members=[4, 5])["main_component_share"] == 1.0
    assert component_summary(G, members=[0, 5])["main_component_share"] == 0.5  # first by node order
    s = component_summary(nx.empty_graph(1))
    assert (s["components"], s["main_component_share"]) == (1, 1.0) and np.isnan(s["density"])
    assert np.isnan(component_summary(nx.Graph(), members=[])["main_component_share"])
    assert np.isnan(component_summary(G, members=[])["main_component_share"])
    with pytest.raises(orgnet.OrgnetParameterError, match="'members' parameter of component_summary"):
        component_summary(G, members=[9])
    with pytest.raises(orgnet.OrgnetParameterError, match="undirected"):
        component_summary(nx.DiGraph(G))


# ---------------------------------------------------------------- core/periphery


def _brute_core_periphery(g):
    """Every node set of g as the core: (best fit, the best cores), by Pearson's r over the pairs
    with both ends in the core or both in the periphery (core-core 1, periphery-periphery 0)."""
    nodes = list(g)
    n = len(nodes)
    i, j = np.triu_indices(n, 1)
    adj = np.array([g.has_edge(nodes[a], nodes[b]) for a, b in zip(i, j)], dtype=float)
    sets = (np.arange(2 ** n)[:, None] >> np.arange(n)) & 1 == 1  # row s: the nodes of set s
    keep = sets[:, i] == sets[:, j]
    y = (sets[:, i] & sets[:, j]).astype(float)
    cnt = keep.sum(1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = (adj * keep).sum(1) / cnt
        my = (y * keep).sum(1) / cnt
        dx = (adj - mx[:, None]) * keep
        dy = (y - my[:, None]) * keep
        r = (dx * dy).sum(1) / np.sqrt((dx ** 2).sum(1) * (dy ** 2).sum(1))
    best = np.nanmax(r)
    cores = [frozenset(nodes[k] for k in np.flatnonzero(sets[s])) for s in np.flatnonzero(r > best - 1e-9)]
    return best, cores


def _fit_of(g, core):
    """Pearson's r of a given core, pair by pair (NaN when constant)."""
    x, y = [], []
    for a, b in itertools.combinations(list(g), 2):
        if (a in core) == (b in core):
            x.append(float(g.has_edge(a, b)))
            y.append(float(a in core))
    if np.std(x) == 0 or np.std(y) == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def _prefix_fit(g):
    """Best correlation among the cores made of the first c nodes by degree (then node order)."""
    nodes = sorted(g, key=lambda v: (-g.degree(v), list(g).index(v)))
    fits = [_fit_of(g, set(nodes[:c])) for c in range(1, len(nodes))]
    return max(f for f in fits if f == f)


def _random_graphs():
    for k in range(12):
        n = 6 + k % 7
        yield nx.gnp_random_graph(n, (0.2, 0.35, 0.5)[k % 3], seed=RANDOM_STATE + k)


def test_florentine_core_is_the_exhaustive_optimum():
    g = nx.florentine_families_graph()
    best, cores = _brute_core_periphery(g)
    assert cores == [frozenset({"Medici", "Ridolfi", "Tornabuoni"})]
    assert best == pytest.approx(0.4225771, abs=1e-7)
    for method in ("auto", "exact", "local"):
        cp = core_periphery(g, method=method)
        assert cp.core == cores[0] and cp.fit == pytest.approx(best)
        assert cp.method == ("local" if method == "local" else "exact")
    assert len(cp.core) / g.number_of_nodes() == pytest.approx(0.200)
    # the degree-ordered core orgnet reported before: 7 families (share 0.467) at r = 0.380
    old = {"Medici", "Guadagni", "Strozzi", "Albizzi", "Bischeri", "Castellani", "Peruzzi"}
    assert _fit_of(g, old) == pytest.approx(0.3800585, abs=1e-7)
    assert _prefix_fit(g) == pytest.approx(0.3800585, abs=1e-7)


@pytest.mark.parametrize("k", range(12))
def test_exact_and_local_equal_brute_force(k):
    g = list(_random_graphs())[k]
    best, cores = _brute_core_periphery(g)
    exact = core_periphery(g, method="exact")
    local = core_periphery(g, method="local", restarts=20, seed=RANDOM_STATE)
    assert exact.method == "exact" and local.method == "local"
    for cp in (exact, local):
        assert cp.fit == pytest.approx(best)
        assert cp.core in cores
        assert cp.fit == pytest.approx(_fit_of(g, cp.core))
    # among equal fits: the smallest core, then the first nodes in node order
    smallest = min(len(c) for c in cores)
    assert exact.core == min((c for c in cores if len(c) == smallest), key=lambda c: sorted(c))
    # the Coded form and the sparse adjacency give the same
    assert core_periphery(coded(g), method="exact") == exact
    assert core_periphery(nx.to_scipy_sparse_array(g, nodelist=range(len(g))), method="exact") == exact


def test_davis_event_projection_core_is_the_exhaustive_optimum():
    B = nx.davis_southern_women_graph()
    E = nx.algorithms.bipartite.projected_graph(B, B.graph["bottom"])  # 14 events, 66 pairs
    best, cores = _brute_core_periphery(E)
    cp = core_periphery(E)
    assert cp.method == "exact" and cp.core in cores and cp.fit == pytest.approx(best)
    assert sorted(cp.core) == ["E1", "E2", "E3", "E6", "E7", "E8", "E9"]
    assert cp.fit == pytest.approx(np.sqrt(5) / 4)  # 0.559
    assert core_periphery(E, method="local").core == cp.core


def _improving_move(g, core, fit):
    """A single move or swap that raises the fit, found by trying every one (None if there is none)."""
    nodes = list(g)
    for v in nodes:
        if _fit_of(g, core ^ {v}) > fit + 1e-12:
            return {v}
    for a in core:
        for b in set(nodes) - core:
            if _fit_of(g, (core - {a}) | {b}) > fit + 1e-12:
                return {a, b}
    return None


@pytest.mark.parametrize("which", ["karate", "davis"])
def test_local_search_on_karate_and_davis(which):
    # 34 and 32 nodes: no exhaustive search; the default 20 restarts find the best core of
    # 1,000 restarts, which no single move or swap improves (here the degree-ordered core too)
    G = _karate() if which == "karate" else nx.davis_southern_women_graph()
    G = nx.Graph(G)
    cp = core_periphery(G)
    assert cp.method == "local"
    many = max((core_periphery(G, restarts=200, seed=s) for s in range(5)), key=lambda c: c.fit)
    assert cp.fit == pytest.approx(many.fit, abs=1e-12) and cp.core == many.core
    assert cp.fit == pytest.approx(_fit_of(G, set(cp.core)), abs=1e-12)
    assert _improving_move(G, set(cp.core), cp.fit) is None
    assert cp.fit >= _prefix_fit(G) - 1e-12
    if which == "karate":
        # the instructor (0), the administrator (33) and their closest allies
        assert sorted(cp.core) == [0, 1, 2, 3, 8, 13, 31, 32, 33]
        assert cp.fit == pytest.approx(0.5432198, abs=1e-7)
    else:
        assert len(cp.core) == 14 and cp.fit == pytest.approx(0.4166750, abs=1e-7)


@pytest.mark.parametrize("method", ["exact", "local"])
def test_core_is_invariant_to_relabelling(method):
    rng = np.random.default_rng(RANDOM_STATE)
    for k, g in enumerate(_random_graphs()):
        best, cores = _brute_core_periphery(g)
        names = {v: f"n{x}" for v, x in zip(g, rng.permutation(len(g)))}
        h = nx.Graph()
        h.add_nodes_from(sorted(names.values(), key=lambda _: rng.random()))
        h.add_edges_from((names[a], names[b]) for a, b in g.edges())
        a = core_periphery(g, method=method, seed=k)
        b = core_periphery(h, method=method, seed=k)
        assert a.fit == pytest.approx(b.fit)
        if len(cores) == 1:
            assert {names[v] for v in a.core} == set(b.core)


def test_local_search_is_seeded_and_leaves_the_graph_alone():
    g = nx.gnp_random_graph(60, 0.08, seed=RANDOM_STATE)
    before = nx.to_dict_of_dicts(g)
    a = core_periphery(g, seed=3)
    assert a.method == "local" and a == core_periphery(g, seed=3)
    assert a == core_periphery(g, seed=np.random.default_rng(3))  # a Generator as the seed
    assert a.fit >= _prefix_fit(g) - 1e-12
    assert a.fit == pytest.approx(_fit_of(g, a.core))
    assert nx.to_dict_of_dicts(g) == before


def test_core_periphery_undefined_and_refused():
    for g in (nx.empty_graph(5), nx.path_graph(2), nx.complete_graph(6)):
        cp = core_periphery(g)
        assert cp.core == frozenset() and np.isnan(cp.fit) and cp.method == "exact"
    # a star: the hub alone has no core-core pair, any larger core holds leaf pairs; best {hub, leaf}
    cp = core_periphery(nx.star_graph(4))
    assert len(cp.core) == 2 and 0 in cp.core
    # self-loops and parallel edges do not count
    m = nx.MultiGraph(nx.florentine_families_graph())
    m.add_edges_from([("Medici", "Medici"), ("Medici", "Ridolfi")])
    assert core_periphery(m).core == {"Medici", "Ridolfi", "Tornabuoni"}
    with pytest.raises(orgnet.OrgnetParameterError, match="undirected"):
        core_periphery(nx.DiGraph([(0, 1)]))
    with pytest.raises(orgnet.OrgnetParameterError, match="'method' parameter of core_periphery"):
        core_periphery(nx.path_graph(4), method="genetic")
    with pytest.raises(orgnet.OrgnetParameterError, match="at most 26 nodes"):
        core_periphery(nx.path_graph(27), method="exact")
    with pytest.raises(orgnet.OrgnetParameterError, match="'restarts' parameter of core_periphery"):
        core_periphery(nx.path_graph(4), restarts=0)
    with pytest.raises(orgnet.OrgnetParameterError, match="'seed' parameter of core_periphery"):
        core_periphery(nx.path_graph(4), seed=-1)


def test_structure_reexports_the_algorithm():
    assert structure.core_periphery is core_periphery
    assert structure.CorePeriphery is cohesion.CorePeriphery
    assert orgnet.algorithms.modularity is modularity
    assert isinstance(coded(nx.path_graph(3)), Coded)
