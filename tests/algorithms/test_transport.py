"""algorithms.transport: the two-phase transportation match against networkx's
max_flow_min_cost, brute force, a textbook instance and the conservation constraints."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest

import orgnet
from orgnet.algorithms import TransportMatch, transport_match

RANDOM_STATE = 12345


def random_instance(rng, nd, nr, p=0.5, qmax=6, cmin=-300, cmax=2000):
    """Integral quantities and capacities, integer costs, each candidate pair once."""
    q = rng.integers(0, qmax, nd).astype(float)
    cap = rng.integers(0, qmax, nr).astype(float)
    pairs = [(i, j) for i in range(nd) for j in range(nr) if rng.random() < p]
    ei = np.array([i for i, _ in pairs], dtype=np.int64)
    ej = np.array([j for _, j in pairs], dtype=np.int64)
    cost = rng.integers(cmin, cmax, len(pairs)).astype(float)
    return q, cap, ei, ej, cost


def networkx_optimum(q, cap, ei, ej, cost, scale=1):
    """(max flow, min cost at that flow) by networkx on source -> demands -> resources -> sink;
    ``scale`` multiplies quantities and capacities into whole numbers."""
    G = nx.DiGraph()
    G.add_node("s")
    G.add_node("t")
    for i, x in enumerate(q):
        G.add_edge("s", ("d", i), capacity=int(round(x * scale)), weight=0)
    for j, x in enumerate(cap):
        G.add_edge(("r", j), "t", capacity=int(round(x * scale)), weight=0)
    for i, j, c in zip(ei, ej, cost):
        G.add_edge(("d", int(i)), ("r", int(j)), weight=int(c))
    flow = nx.max_flow_min_cost(G, "s", "t")
    return sum(flow["s"].values()) / scale, nx.cost_of_flow(G, flow) / scale


def check_conservation(t, nd, nr, ei, ej, q, cap, tol=1e-9):
    assert isinstance(t, TransportMatch)
    assert t.flow.shape == ei.shape and (t.flow >= 0).all()
    out_d = np.bincount(ei, weights=t.flow, minlength=nd)
    in_r = np.bincount(ej, weights=t.flow, minlength=nr)
    assert (out_d <= q + tol * np.maximum(1, q)).all()  # no demand gets more than it asks
    assert (in_r <= cap + tol * np.maximum(1, cap)).all()  # no resource gives more than it has
    np.testing.assert_allclose(t.demand_matched, out_d)
    np.testing.assert_allclose(t.resource_used, in_r)
    assert t.quantity == pytest.approx(t.flow.sum())


@pytest.mark.parametrize("seed", range(10))
def test_equals_networkx_max_flow_min_cost(seed):
    rng = np.random.default_rng(RANDOM_STATE + seed)
    nd, nr = int(rng.integers(2, 12)), int(rng.integers(2, 12))
    q, cap, ei, ej, cost = random_instance(rng, nd, nr)
    t = transport_match(nd, nr, ei, ej, cost, q, cap)
    flow, c = networkx_optimum(q, cap, ei, ej, cost)
    assert t.quantity == flow  # integral data: exact
    assert t.cost == c
    assert np.array_equal(t.flow, np.round(t.flow))  # totally unimodular: a whole-number flow
    check_conservation(t, nd, nr, ei, ej, q, cap)


@pytest.mark.parametrize("seed", range(6))
def test_fractional_quantities_equal_networkx_on_the_scaled_problem(seed):
    """Quantities with one decimal: the optimum of the problem scaled by 10 (whole numbers,
    networkx), divided by 10. Without whole numbers the cost phase keeps the maximum to a
    relative 1e-9 (it may give up that much quantity for cost), hence rel=2e-9."""
    rng = np.random.default_rng(RANDOM_STATE + 50 + seed)
    nd, nr = 7, 6
    q, cap, ei, ej, cost = random_instance(rng, nd, nr, p=0.6)
    q = q + rng.integers(0, 10, nd) / 10
    cap = cap + rng.integers(1, 10, nr) / 10  # at least one fractional value
    t = transport_match(nd, nr, ei, ej, cost, q, cap)
    flow, c = networkx_optimum(q, cap, ei, ej, cost, scale=10)
    assert t.quantity == pytest.approx(flow, rel=2e-9) and t.quantity <= flow + 1e-12
    assert t.cost == pytest.approx(c, rel=1e-6, abs=1e-6)
    check_conservation(t, nd, nr, ei, ej, q, cap)


def brute_force(q, cap, cost, edges):
    """Enumerate every whole-number flow: (max quantity, min cost at it)."""
    best = (-1, math.inf)
    for x in itertools.product(*[range(int(min(q[i], cap[j])) + 1) for i, j in edges]):
        if any(sum(xk for xk, (i, _) in zip(x, edges) if i == d) > q[d] for d in range(len(q))):
            continue
        if any(sum(xk for xk, (_, j) in zip(x, edges) if j == r) > cap[r] for r in range(len(cap))):
            continue
        total, c = sum(x), sum(xk * ck for xk, ck in zip(x, cost))
        if total > best[0] or (total == best[0] and c < best[1]):
            best = (total, c)
    return best


@pytest.mark.parametrize("seed", range(10))
def test_equals_brute_force_on_tiny_instances(seed):
    rng = np.random.default_rng(RANDOM_STATE + 100 + seed)
    nd, nr = 3, 3
    q, cap, ei, ej, cost = random_instance(rng, nd, nr, p=0.6, qmax=3, cmin=-500)
    t = transport_match(nd, nr, ei, ej, cost, q, cap)
    total, c = brute_force(q, cap, cost, list(zip(ei, ej)))
    assert (t.quantity, t.cost) == (total, c)


def test_quantity_first_cost_second_hand_checked():
    """d0 may take r0 (cost -1000) or r1 (500); d1 only r0 (500). The cheapest flow alone is
    d0 -> r0 (cost -1000, quantity 1); the lexicographic optimum matches both: quantity 2, cost 1000."""
    t = transport_match(2, 2, [0, 0, 1], [0, 1, 0], [-1000, 500, 500], [1, 1], [1, 1])
    assert t.flow.tolist() == [0.0, 1.0, 1.0]
    assert (t.quantity, t.cost) == (2.0, 1000.0)
    assert t.demand_matched.tolist() == [1.0, 1.0] and t.resource_used.tolist() == [1.0, 1.0]


def test_sunray_textbook_instance():
    """Taha's SunRay Transport: silos 15, 25, 10; mills 5, 15, 15, 15; optimum 435 (networkx agrees)."""
    c = np.array([[10, 2, 20, 11], [12, 7, 9, 20], [4, 14, 16, 18]])
    silo, mill = np.nonzero(np.ones_like(c))
    t = transport_match(4, 3, mill, silo, c[silo, mill], [5, 15, 15, 15], [15, 25, 10])
    assert (t.quantity, t.cost) == (50.0, 435.0)
    assert networkx_optimum([5, 15, 15, 15], [15, 25, 10], mill, silo, c[silo, mill]) == (50, 435)


def test_flow_only_on_candidate_pairs_and_uncovered_nodes_get_nothing():
    # demand 2 and resource 2 have no candidate pair: nothing flows to or from them
    t = transport_match(3, 3, [0, 1], [1, 0], [5.0, 7.0], [4, 4, 4], [2, 3, 9])
    assert t.flow.tolist() == [3.0, 2.0]
    assert t.demand_matched.tolist() == [3.0, 2.0, 0.0]
    assert t.resource_used.tolist() == [2.0, 3.0, 0.0]
    assert (t.quantity, t.cost) == (5.0, 29.0)


@pytest.mark.parametrize("seed", range(4))
def test_batches_of_components_equal_one_problem(seed):
    rng = np.random.default_rng(RANDOM_STATE + 200 + seed)
    nd, nr, m = 60, 50, 180
    ei = rng.integers(0, nd, m)
    ej = rng.integers(0, nr, m)
    keep = np.unique(ei * nr + ej, return_index=True)[1]
    ei, ej = ei[keep], ej[keep]
    q = rng.integers(1, 5, nd).astype(float)
    cap = rng.integers(1, 5, nr).astype(float)
    cost = rng.integers(0, 3000, len(ei)).astype(float)
    whole = transport_match(nd, nr, ei, ej, cost, q, cap, batch_edges=None)
    for batch in (1, 7, 10_000):
        parts = transport_match(nd, nr, ei, ej, cost, q, cap, batch_edges=batch)
        assert parts.quantity == whole.quantity
        assert parts.cost == pytest.approx(whole.cost)
        check_conservation(parts, nd, nr, ei, ej, q, cap)
    assert (whole.quantity, whole.cost) == networkx_optimum(q, cap, ei, ej, cost)


def test_no_candidates():
    t = transport_match(2, 1, [], [], [], [1, 2], [3])
    assert t.flow.shape == (0,) and t.quantity == 0 and t.cost == 0
    assert t.demand_matched.tolist() == [0.0, 0.0] and t.resource_used.tolist() == [0.0]
    t = transport_match(0, 0, [], [], [], [], [])
    assert t.demand_matched.shape == (0,) and t.resource_used.shape == (0,)


@pytest.mark.parametrize("args, kwargs, message", [
    ((2, 2, [0, 1], [0], [1.0, 1.0], [1, 1], [1, 1]), {}, r"'ej' parameter of transport_match must have one entry"),
    ((2, 2, [0, 1], [0, 1], [1.0], [1, 1], [1, 1]), {}, r"'cost' parameter .* as many as 'ei' \(2\)"),
    ((2, 2, [0, 1], [0, 1], [1.0, 1.0], [1], [1, 1]), {}, r"'demand_quantity' .*\(n_demands=2\)"),
    ((2, 2, [0, 1], [0, 1], [1.0, 1.0], [1, 1], [1, 1, 1]), {}, r"'capacity' .*\(n_resources=2\)"),
    ((2, 2, [0, 2], [0, 1], [1.0, 1.0], [1, 1], [1, 1]), {}, r"'ei' .* below n_demands \(2\). Got 2"),
    ((2, 2, [0, 1], [0, -1], [1.0, 1.0], [1, 1], [1, 1]), {}, r"'ej' .* integers >= 0"),
    ((2, 2, [0, 1], [0, 1], [1.0, 1.0], [1, -1], [1, 1]), {}, r"'demand_quantity' .* numbers >= 0"),
    ((2, 2, [0, 1], [0, 1], [1.0, np.inf], [1, 1], [1, 1]), {}, r"'cost' .* finite numbers"),
    ((2, 2, [0, 1], [0, 1], [1.0, 1.0], [1, 1], [[1, 1]]), {}, r"'capacity' .* one-dimensional"),
    ((2, 2, [0.5, 1], [0, 1], [1.0, 1.0], [1, 1], [1, 1]), {}, r"'ei' .* integers >= 0"),
    ((-1, 2, [], [], [], [], [1, 1]), {}, r"'n_demands' .* integer >= 0"),
    ((1, 1, [0], [0], [1.0], [1], [1]), {"batch_edges": 0}, r"'batch_edges' .* integer >= 1 or None"),
])
def test_bad_parameters(args, kwargs, message):
    with pytest.raises(orgnet.OrgnetParameterError, match=message):
        transport_match(*args, **kwargs)
