"""algorithms.covering: served and coverage_matrix against a brute-force haversine loop
(each station's own radius; a point exactly at the radius is covered), maximal covering
against exhaustive search over every k-subset on random instances and on the San Francisco
tracts of PySAL's spopt test suite."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from orgnet._geo import haversine_m
from orgnet.algorithms import covering
from orgnet.errors import OrgnetParameterError

RANDOM_STATE = 12345
DATA = Path(__file__).resolve().parents[1] / "data"


def _brute_served(lon, lat, s_lon, s_lat, s_radius):
    out = np.zeros(len(lon), dtype=bool)
    for p in range(len(lon)):
        for s in range(len(s_lon)):
            if float(haversine_m(lon[p], lat[p], s_lon[s], s_lat[s])) <= s_radius[s]:
                out[p] = True
                break
    return out


@pytest.mark.parametrize("trial", range(5))
def test_served_against_brute_force(trial):
    rng = np.random.default_rng(RANDOM_STATE + trial)
    n, m = 300, 12
    lon, lat = 103.8 + rng.random(n) * 0.1, 36.0 + rng.random(n) * 0.1
    s_lon, s_lat = 103.8 + rng.random(m) * 0.1, 36.0 + rng.random(m) * 0.1
    s_radius = rng.uniform(200, 2500, m)
    got = covering.served(lon, lat, s_lon, s_lat, s_radius)
    expected = _brute_served(lon, lat, s_lon, s_lat, s_radius)
    assert got.dtype == bool and got.shape == (n,)
    assert got.tolist() == expected.tolist()
    assert 0 < expected.sum() < n  # the instance separates served from unserved


def test_each_station_uses_its_own_radius():
    # both points 1,112 m north of their station (0.01 degree of latitude)
    got = covering.served([0, 1], [0.01, 0.01], [0, 1], [0, 0], [1500, 500])
    assert got.tolist() == [True, False]
    # one radius for all
    assert covering.served([0, 1], [0.01, 0.01], [0, 1], [0, 0], 1200).tolist() == [True, True]


def test_point_exactly_at_the_radius_is_served():
    lon, lat = np.array([103.83, 116.4]), np.array([36.05, 39.9])
    s_lon, s_lat = np.array([103.84, 116.41]), np.array([36.057, 39.893])
    d = haversine_m(lon, lat, s_lon, s_lat)  # point p vs its own station p
    assert covering.served(lon[:1], lat[:1], s_lon[:1], s_lat[:1], d[:1]).tolist() == [True]
    below = np.nextafter(d, 0)
    assert covering.served(lon[:1], lat[:1], s_lon[:1], s_lat[:1], below[:1]).tolist() == [False]
    assert covering.served(lon, lat, s_lon, s_lat, d).tolist() == [True, True]
    # a radius of 0 serves only the station's own spot
    assert covering.served([1.0, 1.0001], [2.0, 2.0], [1.0], [2.0], [0.0]).tolist() == [True, False]


def test_empty_inputs():
    assert covering.served([], [], [0.0], [0.0], [100.0]).tolist() == []
    assert covering.served([0.0, 1.0], [0.0, 1.0], [], [], []).tolist() == [False, False]


def test_served_refuses_bad_input():
    with pytest.raises(OrgnetParameterError, match="'s_radius' parameter of served"):
        covering.served([0], [0], [0], [0], [-1])
    with pytest.raises(OrgnetParameterError, match="'lat' parameter of served must have 1 values"):
        covering.served([0], [0, 1], [0], [0], [1])
    with pytest.raises(OrgnetParameterError, match="'s_radius' parameter of served must have 2 values"):
        covering.served([0], [0], [0, 1], [0, 1], [1, 2, 3])
    with pytest.raises(OrgnetParameterError, match="'lon' parameter of served"):
        covering.served([np.nan], [0], [0], [0], [1])


# ------------------------------------------------------------------ coverage_matrix


def test_coverage_matrix_against_brute_force():
    rng = np.random.default_rng(RANDOM_STATE)
    n, m = 80, 9
    lon, lat = 116.3 + rng.random(n) * 0.05, 39.9 + rng.random(n) * 0.05
    c_lon, c_lat = 116.3 + rng.random(m) * 0.05, 39.9 + rng.random(m) * 0.05
    for radius in (900.0, rng.uniform(300, 2000, m)):
        r = np.broadcast_to(radius, (m,))
        A = covering.coverage_matrix(lon, lat, c_lon, c_lat, radius)
        assert sparse.issparse(A) and A.shape == (n, m)
        expected = np.array([[float(haversine_m(lon[i], lat[i], c_lon[j], c_lat[j])) <= r[j] for j in range(m)]
                             for i in range(n)])
        assert A.toarray().astype(bool).tolist() == expected.tolist()
        assert 0 < expected.sum() < n * m
        assert covering.served(lon, lat, c_lon, c_lat, radius).tolist() == expected.any(axis=1).tolist()


def test_coverage_matrix_boundary_and_coincident_points():
    d = float(haversine_m(103.83, 36.05, 103.84, 36.057))
    assert covering.coverage_matrix([103.83], [36.05], [103.84], [36.057], d).toarray().tolist() == [[1.0]]
    assert covering.coverage_matrix([103.83], [36.05], [103.84], [36.057], np.nextafter(d, 0)).nnz == 0
    # a point on a site (distance 0) is covered, even with radius 0
    assert covering.coverage_matrix([1.0], [2.0], [1.0], [2.0], 0.0).toarray().tolist() == [[1.0]]


# ------------------------------------------------------------------ maximal_covering


def _brute_best(w, A, k):
    A = np.asarray(A, dtype=bool)
    return max(w[A[:, list(c)].any(axis=1)].sum() for c in itertools.combinations(range(A.shape[1]), k))


def _covers(w, A, sites):
    A = np.asarray(A, dtype=bool)
    return float(w[A[:, sites].any(axis=1)].sum()) if sites else 0.0


@pytest.mark.parametrize("trial", range(8))
def test_maximal_covering_against_exhaustive_search(trial):
    rng = np.random.default_rng(RANDOM_STATE + trial)
    n, m = 25, 8
    A = rng.random((n, m)) < 0.18
    w = rng.integers(1, 100, n).astype(float)
    for k in (1, 2, 3):
        best = _brute_best(w, A, k)
        exact = covering.maximal_covering(w, A, k, method="exact")
        assert exact.covered == best and exact.optimal is True and exact.method == "exact"
        assert _covers(w, A, exact.sites) == best
        greedy = covering.maximal_covering(w, sparse.csr_matrix(A), k)
        assert greedy.optimal is None and greedy.method == "greedy"
        assert _covers(w, A, greedy.sites) == greedy.covered >= (1 - 1 / np.e) * best
        for r in (exact, greedy):
            assert len(r.sites) == len(r.gains) <= k and len(set(r.sites)) == len(r.sites)
            assert all(g > 0 for g in r.gains) and r.gains == sorted(r.gains, reverse=True)
            # each gain is what the site adds to those before it
            assert r.gains == [_covers(w, A, r.sites[: p + 1]) - _covers(w, A, r.sites[:p])
                               for p in range(len(r.sites))]
            assert r.total == w.sum()


def test_greedy_swap_finds_the_optimum_plain_greedy_misses():
    # weights 2, 3, 3, 2 on a line; L covers the first two, R the last two, M the middle two
    A = np.array([[1, 0, 0], [1, 0, 1], [0, 1, 1], [0, 1, 0]])
    w = np.array([2.0, 3.0, 3.0, 2.0])
    # plain greedy: M (6), then L or R (2) = 8; the swap pass replaces M
    r = covering.maximal_covering(w, A, 2)
    assert sorted(r.sites) == [0, 1] and r.covered == 10 == _brute_best(w, A, 2)
    assert covering.maximal_covering(w, A, 1).sites == [2]


def test_stops_when_a_site_adds_nobody_unless_padded():
    A = np.array([[1, 0, 1], [1, 0, 0], [0, 1, 0], [0, 1, 0]])  # Z (column 2) only repeats L
    w = np.array([2.0, 3.0, 3.0, 2.0])
    for method in ("greedy", "exact"):
        r = covering.maximal_covering(w, A, 3, method=method)
        assert sorted(r.sites) == [0, 1] and r.gains == [5.0, 5.0] and r.covered == 10
        padded = covering.maximal_covering(w, A, 3, method=method, pad=True)
        assert len(padded.sites) == 3 and padded.gains[-1] == 0 and padded.covered == 10
    assert covering.maximal_covering(w, A, 0) == ([], [], 0.0, 10.0, "greedy", None)
    zero = covering.maximal_covering(np.zeros(4), A, 2)
    assert zero.sites == [] and zero.covered == 0


def _sf():
    tracts = pd.read_csv(DATA / "sf_tracts" / "tracts.csv", dtype={"tract": str}).set_index("tract")
    sites = pd.read_csv(DATA / "sf_tracts" / "sites.csv").set_index("site")
    return tracts, sites


@pytest.mark.parametrize("k,radius", [(2, 1000.0), (3, 1500.0), (5, 1200.0)])
def test_on_sf_tracts_against_exhaustive_search(k, radius):
    tracts, sites = _sf()
    assert len(tracts) == 205 and len(sites) == 16
    w = tracts["population"].to_numpy(float)
    d = haversine_m(tracts["lon"].to_numpy()[:, None], tracts["lat"].to_numpy()[:, None],
                    sites["lon"].to_numpy()[None, :], sites["lat"].to_numpy()[None, :])
    A = covering.coverage_matrix(tracts["lon"], tracts["lat"], sites["lon"], sites["lat"], radius)
    assert A.toarray().astype(bool).tolist() == (d <= radius).tolist()
    best = _brute_best(w, d <= radius, k)
    exact = covering.maximal_covering(w, A, k, method="exact")
    assert exact.covered == best and exact.optimal
    greedy = covering.maximal_covering(w, A, k)
    assert best >= greedy.covered >= 0.99 * best


def test_maximal_covering_refuses_bad_input():
    A = np.eye(3)
    with pytest.raises(OrgnetParameterError, match="'k' parameter of maximal_covering must be at most the number"):
        covering.maximal_covering([1, 1, 1], A, 4)
    with pytest.raises(OrgnetParameterError, match="'k' parameter of maximal_covering must be an integer"):
        covering.maximal_covering([1, 1, 1], A, 1.5)
    with pytest.raises(OrgnetParameterError, match="'weights' parameter of maximal_covering"):
        covering.maximal_covering([1, -1, 1], A, 1)
    with pytest.raises(OrgnetParameterError, match="'weights' parameter of maximal_covering"):
        covering.maximal_covering([1, np.nan, 1], A, 1)
    with pytest.raises(OrgnetParameterError, match="'A' parameter of maximal_covering must have one row per weight"):
        covering.maximal_covering([1, 1], A, 1)
    with pytest.raises(OrgnetParameterError, match="'method' parameter of maximal_covering"):
        covering.maximal_covering([1, 1, 1], A, 1, method="magic")
    with pytest.raises(OrgnetParameterError, match="'time_limit' parameter of maximal_covering"):
        covering.maximal_covering([1, 1, 1], A, 1, time_limit=0)
