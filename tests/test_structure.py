"""structure: hand-checked numbers on the tiny fixture, networkx and brute-force oracles,
a published brokerage example, properties and parameter errors.

The tiny network as of 2025-06-30 (conftest.tiny_tables), worked out by hand:

active ties (row 4, O4 -> U3 instructor, ended 2024-12-31):
    U4-O4 (co_building + activity), O7-O4, O8-U2, O2-U5, U1-O2, O5-O4
hierarchy: O1-O2, O1-O3, O2-O4, O2-O5, O2-O8, O4-O6, O4-O7 (also a tie), O7-U1 (belongs_to)

tie network (+ hierarchy): 13 nodes (O1..O8, U1..U5), 13 edges; U3 is isolated.
    O1 - O2, O3          O2 - O1 O4 O5 O8 U1 U5     O4 - O2 O5 O6 O7 U4
    O7 - O4, U1          O8 - O2, U2                U1 - O2, O7
a 4-cycle O2-O4-O7-U1, a triangle O2-O4-O5, leaves O3 (behind O1), U2 (behind O8), U5, O6, U4.
"""

from __future__ import annotations

import itertools
import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import orgnet
from orgnet import linkage, structure
from conftest import RANDOM_STATE, tiny_tables


# ---------------------------------------------------------------- helpers


def _net(t=None, **kw):
    return orgnet.OrgNetwork(**(t or tiny_tables()), **kw)


def _add_ties(t, rows):
    extra = pd.DataFrame(rows, columns=["source", "target", "kind", "start", "end", "count", "note"])
    t["ties"] = pd.concat([t["ties"], extra], ignore_index=True)
    return t


def _nx_tie_graph(net, weight="strength", hierarchy=True):
    """The tie network rebuilt independently: linkage.tie_strength pairs + hierarchy edges,
    nodes added in sorted id order (as structure codes them)."""
    ts = linkage.tie_strength(net)
    when = net.as_of
    orgs = net.organisations_at(when)
    w = {}
    for a, b, s in zip(ts["a"], ts["b"], ts["strength"]):
        w[frozenset((a, b))] = w.get(frozenset((a, b)), 0.0) + (s if weight else 1.0)
    if hierarchy:
        for oid, row in orgs.iterrows():
            for other in (row["parent"], row["unit"]):
                if isinstance(other, str) and (other in orgs.index or other in net.units.index):
                    key = frozenset((oid, other))
                    w[key] = w.get(key, 0.0) + 1.0
    if weight is None:
        w = {k: 1.0 for k in w}
    nodes = set(orgs.index) | set(net.units.index) | {x for k in w for x in k}
    g = nx.Graph()
    g.add_nodes_from(sorted(nodes))
    g.add_weighted_edges_from((*sorted(k), v) for k, v in w.items())
    return g


def _random_tables(seed, n_units=40, n_ties=120):
    """A small random but valid network: 2 streets, 4 communities, 8 grids."""
    rng = np.random.default_rng(seed)
    areas = [["D1", "区", "district", ""], ["S1", "街1", "street", "D1"], ["S2", "街2", "street", "D1"]]
    areas += [[f"C{i}", f"社区{i}", "community", f"S{1 + i % 2}"] for i in range(4)]
    areas += [[f"G{i}", f"网格{i}", "grid", f"C{i % 4}"] for i in range(8)]
    areas = pd.DataFrame(areas, columns=["id", "name", "level", "parent"])
    orgs = [["O1", "区委", "committee", "territorial", "", "D1", ""]]
    orgs += [[f"O{a}", f"组织{a}", "committee", "territorial", "O1" if a.startswith("S") else
              ("O" + areas.set_index("id").at[a, "parent"]), a, ""] for a in areas["id"][1:]]
    grids = [f"G{i}" for i in range(8)]
    units = pd.DataFrame({"id": [f"U{i}" for i in range(n_units)], "name": [f"单位{i}" for i in range(n_units)],
                          "type": rng.choice(["private_enterprise", "agency", "social_organisation"], n_units),
                          "area": rng.choice(grids, n_units)})
    own = rng.random(n_units) < 0.4
    orgs += [[f"OU{i}", f"支部{i}", "branch", "unit", "O" + units.at[i, "area"], units.at[i, "area"], f"U{i}"]
             for i in np.flatnonzero(own)]
    orgs.append(["OJ", "联合支部", "branch", "joint", "OS1", "C0", ""])
    orgs = pd.DataFrame(orgs, columns=["id", "name", "form", "scope", "parent", "area", "unit"])
    ends = list(orgs["id"]) + list(units["id"])
    rows = []
    kinds = ["co_building", "activity", "pairing", "covers", "dual_report", "joint_conference"]
    for _ in range(n_ties):
        s, t = rng.choice(ends, 2, replace=False)
        end = "2024-12-31" if rng.random() < 0.1 else ""
        rows.append([s, t, rng.choice(kinds), f"202{rng.integers(0, 5)}-0{rng.integers(1, 9)}-01", end,
                     str(rng.integers(1, 6)), ""])
    ties = pd.DataFrame(rows, columns=["source", "target", "kind", "start", "end", "count", "note"])
    return dict(areas=areas, organisations=orgs, units=units, ties=ties)


def _assert_frame(df, columns, index_name="id"):
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == columns
    assert df.index.name == index_name
    assert df.index.is_unique


# ---------------------------------------------------------------- centrality


def test_centrality_hand_checked(tiny_net):
    c = structure.centrality(tiny_net)
    _assert_frame(c, ["kind", "name", "area", "degree", "strength", "betweenness", "eigenvector",
                      "axis_rank", "is_axis"])
    assert sorted(c.index) == ["O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8", "U1", "U2", "U3", "U4", "U5"]
    assert c.attrs["nodes"] == 13 and c.attrs["edges"] == 13 and c.attrs["betweenness"] == "exact"
    assert c["degree"].to_dict() == {"O1": 2, "O2": 6, "O3": 1, "O4": 5, "O5": 2, "O6": 1, "O7": 2, "O8": 2,
                                     "U1": 2, "U2": 1, "U3": 0, "U4": 1, "U5": 1}
    # betweenness = (pair betweenness) / C(12, 2) with n = 13 nodes (U3 included):
    # O1 lies on every path from O3 to the 10 other nodes of the component; O8 likewise for U2;
    # O7 carries half the paths U1-O4, U1-O6, U1-U4 (the other half go through O2): 1.5;
    # U1 carries half the paths from O7 to O2, O1, O3, O8, U2, U5: 3; O5 is never needed (O2-O4 is direct)
    expect = {"O1": 10 / 66, "O8": 10 / 66, "O7": 1.5 / 66, "U1": 3 / 66, "O5": 0.0, "O3": 0.0, "U3": 0.0}
    for k, v in expect.items():
        assert c.loc[k, "betweenness"] == pytest.approx(v), k
    # strength: O7 - U1 (belongs_to, 1) + O7 - O4 (hierarchy 1 + dual report, count 12, since 2024-02-01)
    dual = np.log2(13) * 0.5 ** ((pd.Timestamp("2025-06-30") - pd.Timestamp("2024-02-01")).days / 365)
    assert c.loc["O7", "strength"] == pytest.approx(1 + 1 + dual)
    assert c.loc["U3", "strength"] == 0 and c.loc["U3", "eigenvector"] == 0


def test_axis_rank_hand_checked(tiny_net):
    c = structure.centrality(tiny_net)
    # territorial organisations seated at a street or community get a rank within that subtree:
    # S1: O2 is the most central; S2 holds O3 and U4, both with betweenness 0 (ties share rank 1);
    # C11: O4 beats O6, O7, U1, U3, U5; C12: the joint organisation O8 (10/66) beats O5 (0)
    ranks = c["axis_rank"].dropna().to_dict()
    assert ranks == {"O2": 1.0, "O3": 1.0, "O4": 1.0, "O5": 2.0}
    assert c.index[c["is_axis"]].tolist() == ["O2", "O3", "O4"]
    assert np.isnan(c.loc["O1", "axis_rank"]) and np.isnan(c.loc["O6", "axis_rank"])  # district, grid


@pytest.mark.parametrize("weight", ["strength", None])
@pytest.mark.parametrize("which", ["tiny", "demo", "random"])
def test_centrality_matches_networkx(which, weight):
    net = {"tiny": _net, "demo": lambda: orgnet.datasets.load("demo"),
           "random": lambda: _net(_random_tables(RANDOM_STATE))}[which]()
    c = structure.centrality(net, weight=weight)
    g = _nx_tie_graph(net, weight)
    assert c.attrs["nodes"] == g.number_of_nodes() and c.attrs["edges"] == g.number_of_edges()
    bt = nx.betweenness_centrality(g)
    ev = nx.eigenvector_centrality(g, weight="weight", max_iter=20000, tol=1e-13)
    st = dict(g.degree(weight="weight"))
    for i in c.index:
        assert c.loc[i, "betweenness"] == pytest.approx(bt[i], abs=1e-12)
        assert c.loc[i, "eigenvector"] == pytest.approx(ev[i], abs=1e-6)
        assert c.loc[i, "strength"] == pytest.approx(st[i])
        assert c.loc[i, "degree"] == g.degree(i)


class _FixedSample(random.Random):
    """A random.Random whose sample() returns given nodes, so networkx's sampled betweenness
    uses the pivots orgnet drew."""

    def __init__(self, chosen):
        super().__init__(0)
        self.chosen = list(chosen)

    def sample(self, population, k):
        return list(self.chosen)


def test_sampled_betweenness_equals_networkx_and_is_seeded():
    net = orgnet.datasets.load("demo")
    g = _nx_tie_graph(net)
    a = structure.centrality(net, max_exact=10, k=20, seed=5)
    assert a.attrs["betweenness"] == "sampled" and a.attrs["pivots"] == 20
    # the pivots: 20 of the nodes in sorted-id order, drawn with numpy's Generator of as_rng(5)
    nodes = list(g)
    chosen = [nodes[i] for i in np.sort(np.random.default_rng(5).choice(len(nodes), 20, replace=False))]
    ref = nx.betweenness_centrality(g, k=20, seed=_FixedSample(chosen))  # networkx with the same pivots
    for i in a.index:
        assert a.loc[i, "betweenness"] == pytest.approx(ref[i], abs=1e-12)
    b = structure.centrality(net, max_exact=10, k=20, seed=5)
    pd.testing.assert_series_equal(a["betweenness"], b["betweenness"])
    other = structure.centrality(net, max_exact=10, k=20, seed=6)
    assert not np.allclose(a["betweenness"], other["betweenness"])
    # k >= n falls back to the exact computation
    assert structure.centrality(net, max_exact=10, k=1000).attrs["betweenness"] == "exact"


def test_batched_brandes_matches_one_batch(monkeypatch):
    from orgnet.algorithms import centrality as kernel

    net = _net(_random_tables(7))
    whole = structure.centrality(net)["betweenness"]
    monkeypatch.setattr(kernel, "BLOCK_CELLS", 50)  # a few sources per batch
    pd.testing.assert_series_equal(structure.centrality(net)["betweenness"], whole)


def test_centrality_without_hierarchy(tiny_net):
    c = structure.centrality(tiny_net, hierarchy=False, weight=None)
    # only the 6 tie pairs remain; O1, O3, O6 and U3 are isolated
    assert c.attrs["edges"] == 6
    assert c.loc[["O1", "O3", "O6", "U3"], "degree"].tolist() == [0, 0, 0, 0]
    assert c.loc["O4", "degree"] == 3  # U4, O7, O5


def test_centrality_without_ties_uses_the_hierarchy_and_says_so():
    t = tiny_tables()
    del t["ties"]
    c = structure.centrality(_net(t))
    assert c.attrs["edges"] == 8  # 7 leads + 1 belongs_to
    assert any("no tie is active" in n for n in c.attrs["notes"])



# ---------------------------------------------------------------- the tie network, built once


def test_tie_network_equals_an_independent_rebuild(demo):
    tn = structure.tie_network(demo)
    assert isinstance(tn, structure.TieNetwork) and tn.network is demo
    assert (tn.nodes, tn.edges, tn.as_of, tn.weight, tn.hierarchy, tn.half_life_days) == (
        79, 118, demo.as_of, "strength", True, 365.0)
    # 65 active ledger ties, 14 of their activity ties merged with the events, 46 pairs from events
    assert tn.kind_weights == linkage.DEFAULT_WEIGHTS and tn.ties == len(linkage.tie_table(demo)) == 65 - 14 + 46
    g = _nx_tie_graph(demo)
    ids = tn.graph.ids
    assert list(ids) == sorted(g)
    got = {frozenset((ids[a], ids[b])): w for a, b, w in zip(tn.graph.u, tn.graph.v, tn.graph.w)}
    assert got == pytest.approx({frozenset((a, b)): d["weight"] for a, b, d in g.edges(data=True)}, abs=1e-12)
    flat = structure.tie_network(demo, weight=None)
    assert (flat.graph.w == 1).all() and (flat.graph.u == tn.graph.u).all() and (flat.graph.v == tn.graph.v).all()


@pytest.mark.parametrize("kw", [{}, {"weight": None}, {"max_exact": 5, "k": 10, "seed": 2},
                                {"weight": None, "half_life_days": 30.0}])
def test_centrality_and_constraint_take_a_prebuilt_tie_network(demo, kw):
    tn = structure.tie_network(demo)  # weight="strength" also serves weight=None (same edges)
    a, b = structure.centrality(demo, graph=tn, **kw), structure.centrality(demo, **kw)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs == b.attrs
    kw = {k: v for k, v in kw.items() if k not in ("max_exact", "k", "seed")}
    a, b = structure.constraint(demo, graph=tn, **kw), structure.constraint(demo, **kw)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs == b.attrs


def test_a_prebuilt_tie_network_without_ties_gives_the_same_notes():
    t = tiny_tables()
    del t["ties"]
    net = _net(t)
    tn = structure.tie_network(net)
    assert tn.notes == ("no tie is active at 2025-06-30; only the organisation hierarchy is used",)
    assert structure.centrality(net, graph=tn).attrs["notes"] == structure.centrality(net).attrs["notes"] == [
        "centrality: no tie is active at 2025-06-30; only the organisation hierarchy is used"]
    assert structure.constraint(net, graph=tn).attrs["notes"][0].startswith("constraint: no tie is active")


@pytest.mark.parametrize("build, call, match", [
    ({}, {"as_of": "2025-01-01"}, r"as_of 2025-06-30 instead of 2025-01-01"),
    ({}, {"hierarchy": False}, r"hierarchy=True instead of False"),
    ({}, {"weights": {"co_building": 2.0}}, r"other tie kind weights \(co_building: 1\.0 instead of 2\.0\)"),
    ({}, {"half_life_days": 100}, r"half_life_days=365\.0 instead of 100"),
    ({"weight": None}, {}, r"weight=None instead of 'strength'"),
    ({"as_of": "2024-01-01", "hierarchy": False}, {},
     r"as_of 2024-01-01 instead of 2025-06-30; hierarchy=False instead of True"),
])
def test_a_tie_network_built_for_other_parameters_is_refused(tiny_net, build, call, match):
    tn = structure.tie_network(tiny_net, **build)
    for f in (structure.centrality, structure.constraint):
        with pytest.raises(orgnet.OrgnetParameterError,
                           match=rf"The 'graph' parameter of {f.__name__} must be a tie network built for "
                                 rf"this network.*built with {match}\. Got TieNetwork\(as_of="):
            f(tiny_net, graph=tn, **call)


def test_a_tie_network_of_another_network_is_refused(tiny_net):
    tn = structure.tie_network(_net())  # equal tables, another OrgNetwork
    with pytest.raises(orgnet.OrgnetParameterError, match=r"'graph' parameter of centrality.*another network"):
        structure.centrality(tiny_net, graph=tn)
    with pytest.raises(orgnet.OrgnetParameterError,
                       match=r"'graph' parameter of constraint must be a tie network from orgnet\.structure"
                             r"\.tie_network or None\. Got 'x' instead"):
        structure.constraint(tiny_net, graph="x")


# ---------------------------------------------------------------- brokerage


def _brute_roles(edges, groups):
    """Independent triple loop over ordered triples."""
    nodes = sorted(set(groups))
    e = {(s, t) for s, t in edges if s != t}
    out = {n: dict.fromkeys(structure.ROLES, 0) for n in nodes}
    for a, b, c in itertools.permutations(nodes, 3):
        if (a, b) in e and (b, c) in e and (a, c) not in e:
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


def test_brokerage_published_example():
    # The 4-node example with printed role counts from the test suite of the R package
    # cograph (its brokerage is checked there against sna::brokerage, i.e. Gould &
    # Fernandez 1989): A->B, A->C, B->C, B->D, C->D, D->A; groups A,B = 1 and C,D = 2.
    # D->A->B gatekeeper, D->A->C itinerant (consultant); A->B->D representative (A->B->C is
    # closed by A->C); A->C->D gatekeeper (B->C->D closed by B->D); B->D->A itinerant, C->D->A
    # representative.
    e = pd.DataFrame([("A", "B"), ("A", "C"), ("B", "C"), ("B", "D"), ("C", "D"), ("D", "A")],
                     columns=["source", "target"])
    r = structure.brokerage_roles(e, {"A": 1, "B": 1, "C": 2, "D": 2})
    assert r["coordinator"].tolist() == [0, 0, 0, 0]
    assert r["consultant"].tolist() == [1, 0, 0, 1]
    assert r["representative"].tolist() == [0, 1, 0, 1]
    assert r["gatekeeper"].tolist() == [1, 0, 1, 0]
    assert r["liaison"].tolist() == [0, 0, 0, 0]
    assert r["total"].tolist() == [2, 1, 1, 2]


@pytest.mark.parametrize("seed", range(5))
def test_brokerage_roles_match_brute_force(seed):
    rng = np.random.default_rng(RANDOM_STATE + seed)
    n = 14
    nodes = [f"n{i:02d}" for i in range(n)]
    edges = [(nodes[i], nodes[j]) for i in range(n) for j in range(n) if i != j and rng.random() < 0.25]
    edges += edges[:5]  # repeated ties count once
    groups = dict(zip(nodes, rng.integers(0, 3, n).tolist()))
    r = structure.brokerage_roles(pd.DataFrame(edges, columns=["source", "target"]), groups)
    brute = _brute_roles(edges, groups)
    for v in nodes:
        assert r.loc[v, list(structure.ROLES)].tolist() == [brute[v][k] for k in structure.ROLES], v
    # roles sum to the open two-paths through each node
    dg = nx.DiGraph(edges)
    for v in nodes:
        if v not in dg:
            continue
        open_paths = sum(1 for a in dg.predecessors(v) for c in dg.successors(v)
                         if a != c and not dg.has_edge(a, c))
        assert r.loc[v, "total"] == open_paths


def test_brokerage_hand_checked(tiny_net):
    b = structure.brokerage(tiny_net)
    _assert_frame(b, ["kind", "name", "group", *structure.ROLES, "total"])
    # directed active ties: U4->O4, O7->O4, O8->U2, O2->U5, U1->O2, O5->O4. The only two-path is
    # U1 -> O2 -> U5 (unit, street, unit): O2 is a consultant
    assert b.attrs["two_paths"] == 1 and b.loc["O2", "consultant"] == 1
    assert b.loc["O4", "group"] == "community" and b.loc["O7", "group"] == "unit" and b.loc["U1", "group"] == "unit"
    # by type: private_enterprise -> territorial -> property_company all differ: a liaison
    assert structure.brokerage(tiny_net, partition="type").loc["O2", "liaison"] == 1
    assert structure.brokerage(tiny_net, partition="scope").loc["O2", "consultant"] == 1


def test_brokerage_with_hierarchy_hand_checked(tiny_net):
    b = structure.brokerage(tiny_net, hierarchy=True)
    # + O1->O2, O1->O3, O2->O4, O2->O5, O2->O8, O4->O6, O4->O7, O7->U1 (levels: O1 district,
    # O2 street, O4 O5 O8 community, O6 grid, O7 and units "unit"):
    # O2: in {O1, U1} x out {U5, O4, O5, O8}: O1->O2->x four liaisons; U1->O2->U5 consultant,
    #     U1->O2->{O4, O5, O8} three liaisons
    # O4: in {U4, O7, O5, O2} x out {O6, O7}: U4->O4->O6 liaison, U4->O4->O7 consultant,
    #     O7->O4->O6 liaison (O7->O4->O7 is no path), O5->O4->{O6, O7} two representatives,
    #     O2->O4->{O6, O7} two liaisons
    # O5: O2->O5->O4 is closed by O2->O4; O7: O4->O7->U1 gatekeeper; O8: O2->O8->U2 liaison;
    # U1: O7->U1->O2 representative
    roles = b[b["total"] > 0][list(structure.ROLES)]
    assert roles.to_dict("index") == {
        "O2": {"coordinator": 0, "gatekeeper": 0, "representative": 0, "consultant": 1, "liaison": 7},
        "O4": {"coordinator": 0, "gatekeeper": 0, "representative": 2, "consultant": 1, "liaison": 4},
        "O7": {"coordinator": 0, "gatekeeper": 1, "representative": 0, "consultant": 0, "liaison": 0},
        "O8": {"coordinator": 0, "gatekeeper": 0, "representative": 0, "consultant": 0, "liaison": 1},
        "U1": {"coordinator": 0, "gatekeeper": 0, "representative": 1, "consultant": 0, "liaison": 0},
    }
    assert b.attrs["two_paths"] == 18


def test_brokerage_reports_areas_named_by_ties(demo):
    b = structure.brokerage(demo)
    assert b.loc["C21", "kind"] == "area" and b.loc["C21", "group"] == "community"
    assert int(b[list(structure.ROLES)].to_numpy().sum()) == b.attrs["two_paths"]


# ---------------------------------------------------------------- constraint


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("weighted", [False, True])
def test_structural_holes_match_networkx(seed, weighted):
    g = nx.gnm_random_graph(25, 60, seed=RANDOM_STATE + seed)
    g.add_node(99)  # an isolate: NaN
    rng = random.Random(seed)
    for _, _, d in g.edges(data=True):
        d["weight"] = rng.choice([0.5, 1.0, 2.0, 3.5])
    e = pd.DataFrame([(f"v{a:03d}", f"v{b:03d}", d["weight"]) for a, b, d in g.edges(data=True)],
                     columns=["a", "b", "w"])
    e = pd.concat([e, pd.DataFrame({"a": ["v099"], "b": ["v099"], "w": [1.0]})])  # self-loop: ignored
    h = structure.structural_holes(e, weight="w" if weighted else None)
    w = "weight" if weighted else None
    con = nx.constraint(g, weight=w)
    # networkx 3.6's vectorised effective_size divides by the column maximum for weighted graphs
    # (networkx PR #8906); its per-node path, used with nodes=..., is the documented formula
    es = nx.effective_size(g, nodes=list(g), weight=w)
    for node in g:
        if node == 99:
            continue
        key = f"v{node:03d}"
        if g.degree(node) == 0:
            assert np.isnan(h.loc[key, "constraint"]) and np.isnan(h.loc[key, "effective_size"])
            continue
        assert h.loc[key, "constraint"] == pytest.approx(con[node], abs=1e-12)
        assert h.loc[key, "effective_size"] == pytest.approx(es[node], abs=1e-12)
        assert h.loc[key, "efficiency"] == pytest.approx(es[node] / g.degree(node))
    assert np.isnan(h.loc["v099", "constraint"])


def test_constraint_matches_networkx_on_the_demo(demo):
    for weight in ("strength", None):
        c = structure.constraint(demo, weight=weight)
        g = _nx_tie_graph(demo, weight)
        con = nx.constraint(g, weight="weight")
        es = nx.effective_size(g, nodes=list(g), weight="weight")
        for i in c.index:
            assert c.loc[i, "constraint"] == pytest.approx(con[i], abs=1e-12, nan_ok=True)
            assert c.loc[i, "effective_size"] == pytest.approx(es[i], abs=1e-12, nan_ok=True)


def test_constraint_hand_checked(tiny_net):
    c = structure.constraint(tiny_net, weight=None)
    _assert_frame(c, ["kind", "name", "degree", "constraint", "effective_size", "efficiency"])
    # O1: two contacts (O2, O3) that are not tied: 2 x (1/2)^2 = 0.5, effective size 2
    assert c.loc["O1", ["constraint", "effective_size"]].tolist() == [0.5, 2.0]
    # O3: a single contact: (1)^2 = 1, effective size 1
    assert c.loc["O3", ["constraint", "effective_size"]].tolist() == [1.0, 1.0]
    # O5: contacts O2 (6 contacts) and O4 (5 contacts), tied to each other:
    # (1/2 + 1/2 * 1/5)^2 + (1/2 + 1/2 * 1/6)^2 = 0.36 + 49/144; effective size 2 - 2*1/2 = 1
    assert c.loc["O5", "constraint"] == pytest.approx(0.36 + 49 / 144)
    assert c.loc["O5", "effective_size"] == pytest.approx(1.0)
    assert np.isnan(c.loc["U3", "constraint"]) and c.loc["U3", "degree"] == 0
    # the hierarchy-only O1 is weighted 1 on both edges: same with weights
    assert structure.constraint(tiny_net).loc["O1", "constraint"] == pytest.approx(0.5)


# ---------------------------------------------------------------- islands


def test_islands_hand_checked(tiny_net):
    isl = structure.islands(tiny_net)
    _assert_frame(isl, ["name", "type", "area", "street", "community", "component_size"])
    # U3's instructor tie ended on 2024-12-31; it has no organisation and no other tie.
    # U2 is reached through the joint organisation O8 and its parent O2; U5 through a backstop.
    assert isl.index.tolist() == ["U3"]
    assert isl.loc["U3"].tolist() == ["阳光志愿者协会", "social_organisation", "G112", "S1", "C11", 1]
    assert structure.islands(tiny_net, as_of="2024-06-01").empty  # the instructor tie was active


def test_islands_need_a_territorial_organisation_or_area():
    t = tiny_tables()
    t["organisations"].loc[len(t["organisations"])] = ["O9", "游离支部", "branch", "joint", "", "G112", "", "3",
                                                       "", ""]
    t = _add_ties(t, [["O9", "U3", "covers", "2025-01-01", "", "", ""]])
    isl = structure.islands(_net(t))
    # O9 has no leading organisation: U3 and O9 form a component with no territorial organisation
    assert isl.index.tolist() == ["U3"] and isl.loc["U3", "component_size"] == 2
    # a tie naming an area counts as reaching territory; location alone does not
    t = _add_ties(t, [["U3", "C11", "whistle", "2025-01-01", "", "1", ""]])
    assert structure.islands(_net(t)).empty


def test_islands_on_the_demo(demo):
    isl = structure.islands(demo)
    assert isl.index.tolist() == ["U32", "U33"]
    assert isl["community"].tolist() == ["C23", "C13"] and isl["component_size"].tolist() == [1, 1]


def test_islands_need_units():
    t = tiny_tables()
    orgs = t["organisations"][t["organisations"]["scope"] != "unit"]
    net = orgnet.OrgNetwork(areas=t["areas"], organisations=orgs)
    with pytest.raises(orgnet.OrgnetMissingDataError, match="islands needs the 'units' table"):
        structure.islands(net)


# ---------------------------------------------------------------- key entities & what-if


def test_key_entities_hand_checked(tiny_net):
    k = structure.key_entities(tiny_net)
    _assert_frame(k, ["kind", "name", "units_cut", "communities_cut"])
    # relation graph anchored at the territorial organisations O1-O6:
    # removing O2 cuts U5 (backstop only) and U2 (through O8, whose leader is O2): 2;
    # removing O4 cuts U4 (its only tie); removing O8 cuts U2; U1 survives O7's loss via O2.
    # C11's only partner is U4 (co_building with O4): removing U4 or O4 leaves C11 without one.
    assert k.index.tolist() == ["O2", "O4", "O8", "U4"]
    assert k[["units_cut", "communities_cut"]].values.tolist() == [[2, 0], [1, 1], [1, 0], [0, 1]]
    assert structure.key_entities(tiny_net, top=2).index.tolist() == ["O2", "O4"]


def test_key_entities_cycle_behind_a_cut_vertex():
    # U3 gets its own organisation O9 (no leader); both are tied only to O5: the triangle
    # O5 - O9 - U3 hangs on O5, so removing O5 strands U3 although U3 has two relations
    t = tiny_tables()
    t["organisations"].loc[len(t["organisations"])] = ["O9", "志愿者协会支部", "branch", "unit", "", "G112", "U3",
                                                       "4", "", ""]
    t = _add_ties(t, [["O9", "O5", "dual_report", "2025-01-01", "", "4", ""],
                      ["U3", "O5", "activity", "2025-01-01", "", "2", ""]])
    k = structure.key_entities(_net(t))
    assert k.loc["O5", "units_cut"] == 1
    assert "O9" not in k.index  # U3 still reaches O5 directly


def _nx_relation_graph(net):
    """The islands relation graph rebuilt with networkx, and its anchors."""
    when = net.as_of
    orgs = net.organisations_at(when)
    g = nx.Graph()
    g.add_nodes_from(list(orgs.index) + list(net.units.index))
    for o, r in orgs.iterrows():
        if r["scope"] == "unit" and isinstance(r["unit"], str):
            g.add_edge(o, r["unit"])
        if isinstance(r["parent"], str) and r["parent"] in orgs.index:
            g.add_edge(o, r["parent"])
    g.add_edges_from(zip(net.active_ties(when)["source"], net.active_ties(when)["target"]))
    anchors = {v for v in g if net.entity_kinds[v] == "area"} | set(orgs.index[orgs["scope"] == "territorial"])
    return g, anchors


def _stranded_units(g, anchors, net):
    reached = set()
    for comp in nx.connected_components(g):
        if comp & anchors:
            reached |= comp
    return {v for v in g if net.entity_kinds[v] == "unit" and v not in reached}


@pytest.mark.parametrize("which", ["demo", "random"])
def test_key_entities_equal_single_removals(which):
    net = orgnet.datasets.load("demo") if which == "demo" else _net(_random_tables(RANDOM_STATE + 1))
    k = structure.key_entities(net)
    g, anchors = _nx_relation_graph(net)
    base = _stranded_units(g, anchors, net)
    assert base == set(structure.islands(net).index)
    for i in list(net.organisations.index) + list(net.units.index):
        row = k.loc[i] if i in k.index else {"units_cut": 0, "communities_cut": 0}
        if i in g:  # units_cut: remove the node alone and recount (an independent brute force)
            h = g.copy()
            h.remove_node(i)
            assert row["units_cut"] == len(_stranded_units(h, anchors - {i}, net) - base), i
        # communities_cut: what_if_remove of the entity alone (a unit with its organisation)
        assert row["communities_cut"] == int(structure.what_if_remove(net, i)["lost"].sum()), i


def test_what_if_remove_hand_checked(tiny_net):
    w = structure.what_if_remove(tiny_net, ["U4"])
    _assert_frame(w, ["name", "partners_before", "partners_after", "lost", "partners_removed"],
                  index_name="community")
    assert w.index.tolist() == ["C11"]
    assert w.loc["C11"].tolist() == ["春晖社区", 1, 0, True, "U4"]
    # the removed unit itself is not counted as cut off; removing O8 strands U2 (covers only)
    assert w.attrs["units_cut"] == [] and w.attrs["removed"] == ["U4"]
    assert structure.what_if_remove(tiny_net, "O8").attrs["units_cut"] == ["U2"]
    assert structure.what_if_remove(tiny_net, ["O6"]).empty


def test_removing_a_unit_removes_its_organisation():
    t = _add_ties(tiny_tables(), [["O7", "O4", "co_building", "2024-01-01", "", "", ""]])
    net = _net(t)
    w = structure.what_if_remove(net, ["U1"])
    # C11's partners: U4 and O7 (U1's organisation); removing U1 removes O7 as well
    assert w.attrs["removed"] == ["O7", "U1"]
    cols = ["partners_before", "partners_after", "lost", "partners_removed"]
    assert w.loc["C11", cols].tolist() == [2, 1, False, "O7"]
    both = structure.what_if_remove(net, ["U1", "U4"])
    assert both.loc["C11", ["partners_after", "lost"]].tolist() == [0, True]
    # removing the community's own committee removes its agreements too
    assert structure.what_if_remove(net, ["O4"]).loc["C11", "lost"]


def test_partners_of_the_same_community_do_not_count():
    # a co_building tie between two territorial organisations of C11 is internal
    t = _add_ties(tiny_tables(), [["O6", "O4", "co_building", "2024-01-01", "", "", ""]])
    assert structure.what_if_remove(_net(t), ["O6"]).empty


def test_what_if_remove_rejects_unknown_ids(tiny_net):
    with pytest.raises(orgnet.OrgnetParameterError,
                       match=r"The 'ids' parameter of what_if_remove must list organisation or unit ids\. "
                             r"Got 'U99' instead"):
        structure.what_if_remove(tiny_net, ["U1", "U99"])
    with pytest.raises(orgnet.OrgnetParameterError, match="'ids' parameter of what_if_remove"):
        structure.what_if_remove(tiny_net, ["C11"])  # an area is not removable


# ---------------------------------------------------------------- fragmentation


def test_fragmentation_hand_checked(tiny_net):
    f = structure.fragmentation(tiny_net, by="street")
    _assert_frame(f, ["name", "nodes", "edges", "components", "main_component_share", "density",
                      "modularity", "core_share"], index_name="street")
    assert f.index.tolist() == ["S1", "S2", "all"]
    # S1 holds O2 O4 O5 O6 O7 O8 U1 U2 U3 U5 and the 10 edges among them (O1-O2 and O4-U4 cross out);
    # components: the 9 connected ones and U3; units U1 U2 U5 of U1 U2 U3 U5 in the main one
    assert f.loc["S1", ["nodes", "edges", "components"]].tolist() == [10, 10, 2]
    assert f.loc["S1", "main_component_share"] == 0.75
    assert f.loc["S1", "density"] == pytest.approx(20 / 90)
    # groups by community: C11 {O4 O6 O7 U1 U3 U5} (3 edges inside, degrees 10), C12 {O5 O8 U2}
    # (1 edge, degrees 5), and O2 alone at street level (degree 5); m = 10:
    # (3/10 - (10/20)^2) + (1/10 - (5/20)^2) + (0 - (5/20)^2) = 0.025
    assert f.loc["S1", "modularity"] == pytest.approx(0.025)
    # degree order O2 O4 | O5 O7 O8 U1 | O6 U2 U5 | U3; the core {O2, O4, O5} (a triangle) gives the
    # highest correlation, 57 / sqrt(5985) = 0.737 (2: 0.556, 4: 0.636, 5: 0.577); 10 nodes: exhaustive
    assert f.loc["S1", "core_share"] == pytest.approx(0.3)
    assert f.attrs["core_fit"]["S1"] == pytest.approx(57 / np.sqrt(5985))
    assert f.attrs["core_method"] == {"S1": "exact", "S2": "exact", "all": "exact"}
    # all (13 nodes): the degree prefix O2 O4 O1 O5 (O1 before O5 by id) has e_cc 4, e_pp 2 of 6 edges
    # on N = 6 + 36 pairs: r = (42*4 - 6*6) / sqrt(6*36*6*36) = 0.611, and was reported (4/13); the
    # triangle {O2, O4, O5} keeps e_cc 3, e_pp 3 (O1-O3, O7-U1, O8-U2) on N = 3 + 45:
    # r = (48*3 - 6*3) / sqrt(6*42*3*45) = 126 / sqrt(34020) = 0.683, the optimum of all 2^13 sets
    assert f.loc["all", "core_share"] == pytest.approx(3 / 13)
    assert f.attrs["core_fit"]["all"] == pytest.approx(126 / np.sqrt(34020))
    # S2: O3 and U4, no edge between them
    assert f.loc["S2", ["nodes", "edges", "components", "main_component_share", "density"]].tolist() == [
        2, 0, 2, 1.0, 0.0]
    assert np.isnan(f.loc["S2", "modularity"]) and np.isnan(f.loc["S2", "core_share"])
    assert f.loc["all", ["nodes", "edges", "components", "main_component_share"]].tolist() == [13, 13, 2, 0.8]
    assert f.loc["all", "density"] == pytest.approx(26 / (13 * 12))
    assert f.attrs["outside"] == 1  # O1 sits at the district


def _prefix_fit(g):
    """Best correlation among the cores made of the first c nodes by degree (then id)."""
    nodes = sorted(g, key=lambda v: (-g.degree(v), v))
    best = -2.0
    for c in range(1, len(nodes)):
        core = set(nodes[:c])
        x, y = [], []
        for a, b in itertools.combinations(nodes, 2):
            if (a in core) == (b in core):
                x.append(float(g.has_edge(a, b)))
                y.append(float(a in core))
        if np.std(x) == 0 or np.std(y) == 0:
            continue
        best = max(best, np.corrcoef(x, y)[0, 1])
    return best


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


@pytest.mark.parametrize("which", ["demo", "random"])
def test_fragmentation_matches_networkx(which):
    net = orgnet.datasets.load("demo") if which == "demo" else _net(_random_tables(RANDOM_STATE + 2))
    f = structure.fragmentation(net, by="street")
    g = _nx_tie_graph(net, None)
    comm = net.area_paths["community"]
    loc = {**{o: (r["area"] if isinstance(r["area"], str) else net.units.at[r["unit"], "area"])
              for o, r in net.organisations.iterrows()},
           **net.units["area"].to_dict(), **{a: a for a in net.areas.index}}
    group = {v: (comm.get(loc[v]) or loc[v]) for v in g}
    parts = [{v for v in g if group[v] == k} for k in set(group.values())]
    row = f.loc["all"]
    assert row["nodes"] == g.number_of_nodes() and row["edges"] == g.number_of_edges()
    assert row["components"] == nx.number_connected_components(g)
    assert row["density"] == pytest.approx(nx.density(g))
    assert row["modularity"] == pytest.approx(nx.community.modularity(g, parts, weight=None))
    street = net.area_paths["street"]
    subs = {s: g.subgraph([v for v in g if street.get(loc[v]) == s]) for s in f.index[:-1]}
    for s, sub in [*subs.items(), ("all", g)]:
        if s != "all":
            assert f.loc[s, "components"] == nx.number_connected_components(sub)
        # more than 20 nodes: the local search, never worse than the best degree-ordered core
        cp = structure.core_periphery(sub)
        assert cp.method == f.attrs["core_method"][s] == "local"
        assert f.loc[s, "core_share"] == pytest.approx(len(cp.core) / len(sub))
        assert f.attrs["core_fit"][s] == pytest.approx(cp.fit)
        assert cp.fit >= _prefix_fit(sub) - 1e-12


def test_fragmentation_core_on_the_demo(demo):
    f = structure.fragmentation(demo)
    # S1 38 nodes, S2 39, all 79: local search; S2 was 6/39 = 0.154 and all 18/79 = 0.228 by degree order
    assert f["nodes"].tolist() == [38, 39, 79]
    # with the events read as activity ties (before: 8, 8 and 17 with fits 0.5473, 0.53, 0.3847)
    assert (f["core_share"] * f["nodes"]).round().tolist() == [9, 9, 18]
    assert [round(f.attrs["core_fit"][s], 4) for s in f.index] == [0.6222, 0.6238, 0.4277]
    assert f.attrs["core_method"] == {"S1": "local", "S2": "local", "all": "local"}
    assert f.attrs["seed"] == 0


def test_fragmentation_by_community(demo):
    f = structure.fragmentation(demo, by="community")
    assert f.index.tolist() == ["C11", "C12", "C13", "C21", "C22", "C23", "all"]
    # a community is a single group of the community partition
    assert (f["modularity"].iloc[:-1].dropna() == 0).all()
    g = structure.fragmentation(demo, by="community", modularity_level="grid")
    assert (g["modularity"].iloc[:-1].dropna() != 0).any()


def test_fragmentation_cores_are_the_exhaustive_optimum(tiny_net):
    # tiny: every row has at most 13 nodes, so the exact search; brute force over every node set
    f = structure.fragmentation(tiny_net)
    g = _nx_tie_graph(tiny_net, None)
    street = tiny_net.area_paths["street"]
    loc = tiny_net.entity_areas
    for s in ("S1", "all"):
        sub = g if s == "all" else g.subgraph([v for v in g if street.get(loc.get(v)) == s])
        best, cores = _brute_core_periphery(sub)
        assert f.attrs["core_fit"][s] == pytest.approx(best)
        assert round(f.loc[s, "core_share"] * len(sub)) in {len(c) for c in cores}


def test_fragmentation_takes_a_prebuilt_tie_network(demo):
    tn = structure.tie_network(demo)  # weighted: fragmentation uses its edges only
    f = structure.fragmentation(demo, graph=tn)
    pd.testing.assert_frame_equal(f, structure.fragmentation(demo))
    assert f.attrs["core_fit"] == structure.fragmentation(demo).attrs["core_fit"]
    g = structure.fragmentation(demo, graph=structure.tie_network(demo, hierarchy=False), hierarchy=False)
    pd.testing.assert_frame_equal(g, structure.fragmentation(demo, hierarchy=False))
    with pytest.raises(orgnet.OrgnetParameterError, match="'graph' parameter of fragmentation.*hierarchy=True"):
        structure.fragmentation(demo, graph=tn, hierarchy=False)
    with pytest.raises(orgnet.OrgnetParameterError, match="'graph' parameter of fragmentation.*as_of"):
        structure.fragmentation(demo, graph=tn, as_of="2024-01-01")
    with pytest.raises(orgnet.OrgnetParameterError, match="'seed' parameter of fragmentation"):
        structure.fragmentation(demo, seed=-1)


# ---------------------------------------------------------------- core/periphery


def test_core_periphery_is_the_algorithm():
    # the algorithm and its tests live in orgnet.algorithms.cohesion (tests/algorithms/test_cohesion.py)
    assert structure.core_periphery is orgnet.algorithms.core_periphery
    assert structure.CorePeriphery is orgnet.algorithms.CorePeriphery
    cp = structure.core_periphery(nx.florentine_families_graph())
    assert sorted(cp.core) == ["Medici", "Ridolfi", "Tornabuoni"] and cp.fit == pytest.approx(0.4225771, abs=1e-7)


# ---------------------------------------------------------------- projection


def test_two_mode_projection_hand_checked():
    e = pd.DataFrame({"c": ["C1", "C2", "C3", "C1", "C2", "C2"], "p": ["U1", "U1", "U1", "U2", "U2", "U2"]})
    # U1 is shared by three communities, U2 by two (the repeated row counts once)
    count = structure.two_mode_projection(e, "c", "p")
    assert count.values.tolist() == [["C1", "C2", 2.0, 2], ["C1", "C3", 1.0, 1], ["C2", "C3", 1.0, 1]]
    newman = structure.two_mode_projection(e, "c", "p", "newman")
    # Newman (2001): U1 adds 1/(3-1) to each of its 3 pairs, U2 adds 1/(2-1) to C1-C2
    assert newman["weight"].tolist() == [1.5, 0.5, 0.5]
    assert structure.two_mode_projection(e.iloc[:1], "c", "p").empty


def test_projection_hand_checked():
    t = _add_ties(tiny_tables(), [["U4", "O5", "co_building", "2024-01-01", "", "", ""],
                                  ["U2", "O4", "co_building", "2024-01-01", "", "", ""],
                                  ["O5", "U2", "co_building", "2024-01-01", "", "", ""],
                                  ["U5", "O4", "co_building", "2024-01-01", "", "", ""]])
    net = _net(t)
    # C11 (O4): U4, U2, U5; C12 (O5): U4, U2
    p = structure.projection(net)
    assert p.values.tolist() == [["C11", "C12", 2.0, 2]]
    assert structure.projection(net, weighting="newman")["weight"].tolist() == [2.0]
    q = structure.projection(net, mode="partner", weighting="newman")
    # partners linked by communities: U2-U4 share C11 (3 partners: 1/2) and C12 (2 partners: 1)
    assert q.values.tolist() == [["U2", "U4", 1.5, 2], ["U2", "U5", 0.5, 1], ["U4", "U5", 0.5, 1]]
    assert q.attrs["mode"] == "partner" and q.attrs["weighting"] == "newman"


# ---------------------------------------------------------------- properties and errors


def test_row_order_invariance():
    t = _random_tables(RANDOM_STATE + 3)
    shuffled = {k: v.sample(frac=1, random_state=7) for k, v in t.items()}
    a, b = _net(t), _net(shuffled)
    for func, kw in [(structure.centrality, {}), (structure.centrality, {"max_exact": 5, "k": 10}),
                     (structure.constraint, {}), (structure.brokerage, {"hierarchy": True}),
                     (structure.islands, {}), (structure.key_entities, {}), (structure.fragmentation, {}),
                     (structure.projection, {"mode": "partner"})]:
        ra, rb = func(a, **kw), func(b, **kw)
        if func is structure.projection:
            pd.testing.assert_frame_equal(ra, rb)
        else:
            pd.testing.assert_frame_equal(ra.sort_index(), rb.sort_index(), check_exact=False, rtol=1e-9)


def test_inputs_are_not_changed(tiny_net):
    before = {k: v.copy() for k, v in tiny_net.tables.items()}
    structure.centrality(tiny_net)
    structure.what_if_remove(tiny_net, ["U4"])
    structure.fragmentation(tiny_net)
    for k, v in tiny_net.tables.items():
        pd.testing.assert_frame_equal(v, before[k])


def test_results_carry_their_parameters(tiny_net):
    c = structure.centrality(tiny_net, as_of="2025-01-01", weight=None, seed=3)
    assert c.attrs["as_of"] == pd.Timestamp("2025-01-01") and c.attrs["weight"] is None and c.attrs["seed"] == 3
    assert structure.brokerage(tiny_net, partition="scope").attrs["partition"] == "scope"
    assert structure.fragmentation(tiny_net, by="community").attrs["by"] == "community"


@pytest.mark.parametrize("call, match", [
    (lambda n: structure.centrality(n, weight="count"),
     r"The 'weight' parameter of centrality must be one of 'strength', None\. Got 'count' instead"),
    (lambda n: structure.centrality(n, k=1), r"The 'k' parameter of centrality must be an integer > 1"),
    (lambda n: structure.centrality(n, max_exact=-1), "'max_exact' parameter of centrality"),
    (lambda n: structure.centrality(n, seed=1.5), "'seed' parameter of centrality"),
    (lambda n: structure.centrality(n, hierarchy="yes"), "'hierarchy' parameter of centrality must be True or False"),
    (lambda n: structure.centrality(n, as_of="soon"), "'as_of' parameter of centrality"),
    (lambda n: structure.brokerage(n, partition="age"),
     r"The 'partition' parameter of brokerage must be one of 'level', 'scope', 'type'\. Got 'age' instead"),
    (lambda n: structure.constraint(n, weight="w"), "'weight' parameter of constraint"),
    (lambda n: structure.constraint(n, half_life_days=0),
     "'half_life_days' parameter of constraint must be a number > 0"),
    (lambda n: structure.centrality(n, weights={"co_building": -1}), "'weights' parameter of centrality"),
    (lambda n: structure.centrality(n, graph=structure.tie_network), "'graph' parameter of centrality"),
    (lambda n: structure.tie_network(n, weight="count"),
     r"The 'weight' parameter of tie_network must be one of 'strength', None\. Got 'count' instead"),
    (lambda n: structure.tie_network(n, half_life_days=-1), "'half_life_days' parameter of tie_network"),
    (lambda n: structure.tie_network(n, as_of="soon"), "'as_of' parameter of tie_network"),
    (lambda n: structure.tie_network("net"), "'net' parameter of tie_network must be an OrgNetwork"),
    (lambda n: structure.brokerage(n, hierarchy=1), "'hierarchy' parameter of brokerage must be True or False"),
    (lambda n: structure.brokerage(n, as_of="soon"), "'as_of' parameter of brokerage"),
    (lambda n: structure.structural_holes(pd.DataFrame({"a": ["x"]})),
     r"'edges' parameter of structural_holes must be a DataFrame with columns 'a' and 'b'"),
    (lambda n: structure.structural_holes(pd.DataFrame({"a": ["x"], "b": ["y"]}), weight="w"),
     "'weight' parameter of structural_holes must name a column"),
    (lambda n: structure.fragmentation(n, by="planet"), "'by' parameter of fragmentation"),
    (lambda n: structure.fragmentation(n, modularity_level="x"), "'modularity_level' parameter of fragmentation"),
    (lambda n: structure.projection(n, weighting="jaccard"), "'weighting' parameter of projection"),
    (lambda n: structure.projection(n, mode="unit"), "'mode' parameter of projection"),
    (lambda n: structure.key_entities(n, top=0), r"The 'top' parameter of key_entities must be an integer >= 1"),
    (lambda n: structure.what_if_remove(n, 5), "'ids' parameter of what_if_remove"),
    (lambda n: structure.brokerage_roles(pd.DataFrame({"s": ["a"]}), {}), "'edges' parameter of brokerage_roles"),
    (lambda n: structure.brokerage_roles(pd.DataFrame({"source": ["a"], "target": ["b"]}), {"a": 1}),
     r"'groups' parameter of brokerage_roles must give a group for every node.*'b'"),
    (lambda n: structure.structural_holes(pd.DataFrame({"a": ["x"], "b": ["y"], "w": [-1.0]}), weight="w"),
     "'weight' parameter of structural_holes"),
    (lambda n: structure.two_mode_projection(pd.DataFrame({"c": ["x"]}), "c", "p"),
     "'edges' parameter of two_mode_projection"),
])
def test_parameters_are_checked(tiny_net, call, match):
    with pytest.raises(orgnet.OrgnetParameterError, match=match):
        call(tiny_net)


def test_missing_data_is_named():
    t = tiny_tables()
    del t["ties"]
    net = _net(t)
    for func in (structure.brokerage, structure.projection, lambda n: structure.what_if_remove(n, ["U1"])):
        with pytest.raises(orgnet.OrgnetMissingDataError, match=r"needs the 'ties' table"):
            func(net)
    k = structure.key_entities(net)  # answers what it can: units_cut, and says why communities_cut is 0
    assert (k["communities_cut"] == 0).all() and k.attrs["notes"]
    t = tiny_tables()
    t["areas"] = t["areas"][t["areas"]["level"].isin(["district", "street"])]
    t["organisations"]["area"] = t["organisations"]["area"].where(
        t["organisations"]["area"].isin(t["areas"]["id"]), "S1")
    t["units"]["area"] = "S1"
    net = orgnet.OrgNetwork(**{k: t[k] for k in ("areas", "organisations", "units", "ties")})
    with pytest.raises(orgnet.OrgnetMissingDataError, match="projection needs areas of level 'community'"):
        structure.projection(net)


def test_relation_network_built_once_serves_the_resilience_measures():
    net = orgnet.datasets.load("demo")
    rn = structure.relation_network(net)
    assert (rn.graph.n, rn.graph.m, int(rn.anchor.sum()), int(rn.is_unit.sum())) == (79, 97, 32, 33)
    pd.testing.assert_frame_equal(structure.islands(net, graph=rn), structure.islands(net))
    pd.testing.assert_frame_equal(structure.key_entities(net, graph=rn), structure.key_entities(net))
    pd.testing.assert_frame_equal(structure.what_if_remove(net, ["U01", "O11"], graph=rn),
                                  structure.what_if_remove(net, ["U01", "O11"]))
    with pytest.raises(orgnet.OrgnetParameterError, match="'graph' parameter of key_entities must be a relation "
                       "network built for this network at this call's as_of.*as_of 2025-06-30 instead of 2024-01-01"):
        structure.key_entities(net, as_of="2024-01-01", graph=rn)
    with pytest.raises(orgnet.OrgnetParameterError, match="another network"):
        structure.islands(orgnet.datasets.load("demo"), graph=rn)
    with pytest.raises(orgnet.OrgnetParameterError, match="'graph' parameter of islands must be a relation network"):
        structure.islands(net, graph=structure.tie_network(net))


def test_the_report_builds_each_structure_graph_once(monkeypatch, tmp_path):
    import importlib

    graphs = importlib.import_module("orgnet.structure.graphs")
    calls = []
    real = graphs.build_graph

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(graphs, "build_graph", counting)
    orgnet.report(orgnet.datasets.load("demo"), tmp_path / "r.html", views=())
    assert len(calls) == 2  # the relation network and the tie network; three measures share them
