"""algorithms.accessibility: 2SFCA by hand, and every decay against the definitions of
PySAL's ``access`` (weighted_catchment / two_stage_fca with its step, gravity and gaussian
weight functions) and of Dai (2010), recomputed by an explicit O(n*m) loop."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import sparse

from orgnet.algorithms import two_step_fca
from orgnet.errors import OrgnetParameterError

RANDOM_STATE = 12345


def _loop_2sfca(S, P, D, max_cost, weight_fn):
    """PySAL access's two_stage_fca, written out: demand within the catchment of each site
    weighted by weight_fn, the supply-to-demand ratio, then the weighted sum per location.
    Here the catchment is d <= max_cost (access uses d < max_cost; the instances have no
    pair exactly at the radius). A site with no demand has ratio 0."""
    n, m = D.shape
    ratio = []
    for j in range(m):
        tot = 0.0
        for k in range(n):
            if D[k, j] <= max_cost[j]:
                tot += P[k] * weight_fn(D[k, j], max_cost[j])
        ratio.append(S[j] / tot if tot > 0 else 0.0)
    out = []
    for i in range(n):
        a = 0.0
        for j in range(m):
            if D[i, j] <= max_cost[j]:
                a += ratio[j] * weight_fn(D[i, j], max_cost[j])
        out.append(a)
    return np.array(out), np.array(ratio)


def _instance(seed, n=40, m=7):
    rng = np.random.default_rng(seed)
    D = rng.uniform(10, 3000, (n, m))
    S = rng.uniform(1, 20, m)
    P = rng.integers(0, 500, n).astype(float)
    return S, P, D


def test_hand_computed_example():
    # sites 0 (supply 10) and 1 (supply 6); locations 0, 1, 2 with demand 100, 50, 50
    D = np.array([[200, np.inf], [600, 300], [np.inf, 800]])
    r = two_step_fca([10, 6], [100, 50, 50], D, radius=1000)
    # R_0 = 10 / (100 + 50), R_1 = 6 / (50 + 50)
    assert r.ratio.tolist() == pytest.approx([10 / 150, 6 / 100])
    assert r.accessibility.tolist() == pytest.approx([10 / 150, 10 / 150 + 6 / 100, 6 / 100])
    assert r.sites_in_reach.tolist() == [1, 2, 1]
    # supply is shared out: sum_i P_i A_i = total supply
    assert float(np.dot([100, 50, 50], r.accessibility)) == pytest.approx(16)
    # a radius of 500 m drops the pairs at 600 and 800 m: R_0 = 10/100, R_1 = 6/50
    small = two_step_fca([10, 6], [100, 50, 50], D, radius=500)
    assert small.accessibility.tolist() == pytest.approx([0.1, 0.12, 0.0])
    # one radius per site: site 0 reaches 600 m, site 1 only 500 m
    per_site = two_step_fca([10, 6], [100, 50, 50], D, radius=[700, 500])
    assert per_site.accessibility.tolist() == pytest.approx([10 / 150, 10 / 150 + 6 / 50, 0.0])
    # gravity, beta = 1: R_0 = 10 / (100/200 + 50/600), A_0 = R_0 / 200
    g = two_step_fca([10, 6], [100, 50, 50], D, decay="gravity")
    r0, r1 = 10 / (100 / 200 + 50 / 600), 6 / (50 / 300 + 50 / 800)
    assert g.accessibility.tolist() == pytest.approx([r0 / 200, r0 / 600 + r1 / 300, r1 / 800])


def test_sparse_equals_dense_and_keeps_zero_distances():
    S, P, D = _instance(RANDOM_STATE)
    D[3, 2] = 0.0  # a location on a site
    Dm = np.where(D <= 1500, D, np.inf)
    rows, cols = np.nonzero(np.isfinite(Dm))
    Ds = sparse.csr_matrix((Dm[rows, cols], (rows, cols)), shape=D.shape)
    assert Ds.nnz == int(np.isfinite(Dm).sum())  # the explicit 0 is stored
    for decay in ("step", "gravity", "gaussian"):
        dense = two_step_fca(S, P, D, radius=1500, decay=decay)
        sp = two_step_fca(S, P, Ds, radius=1500, decay=decay)
        assert sp.accessibility.tolist() == pytest.approx(dense.accessibility.tolist(), rel=1e-12)
        assert sp.sites_in_reach.tolist() == dense.sites_in_reach.tolist()
    # without a radius, the sparse pairs are the catchment
    assert two_step_fca(S, P, Ds).accessibility.tolist() == pytest.approx(
        two_step_fca(S, P, D, radius=1500).accessibility.tolist(), rel=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_step_matches_pysal_access_definition(seed):
    S, P, D = _instance(RANDOM_STATE + seed)
    r = np.full(D.shape[1], 1200.0)
    expected, ratio = _loop_2sfca(S, P, D, r, lambda d, d0: 1.0)
    got = two_step_fca(S, P, D, radius=1200.0)
    assert got.accessibility == pytest.approx(expected, rel=1e-12)
    assert got.ratio == pytest.approx(ratio, rel=1e-12)
    assert got.sites_in_reach.tolist() == (D <= r).sum(axis=1).tolist()
    assert 0 < (expected == 0).sum() < len(P)  # some locations out of reach, most in


@pytest.mark.parametrize("beta", [1.0, 1.5, 2.0])
def test_gravity_matches_pysal_access_gravity(beta):
    # access.weights.gravity(scale=1, alpha=-beta, min_dist): (max(x, min_dist) / scale) ** alpha
    S, P, D = _instance(RANDOM_STATE)
    D[0, 0] = 0.5  # below min_distance
    fn = lambda d, d0: math.pow(max(d, 20.0) / 1.0, -beta)
    for radius in (1000.0, 1e9):
        expected, ratio = _loop_2sfca(S, P, D, np.full(D.shape[1], radius), fn)
        got = two_step_fca(S, P, D, radius=radius, decay="gravity", beta=beta, min_distance=20.0)
        assert got.accessibility == pytest.approx(expected, rel=1e-12)
        assert got.ratio == pytest.approx(ratio, rel=1e-12)
    # no radius = the Hansen / Joseph-Bantock measure over every pair
    assert two_step_fca(S, P, D, decay="gravity", beta=beta, min_distance=20.0).accessibility == \
        pytest.approx(expected, rel=1e-12)


def test_gaussian_matches_dai_2010_and_pysal_access_gaussian():
    S, P, D = _instance(RANDOM_STATE + 7)
    radii = np.linspace(800, 2000, D.shape[1])  # one catchment per site
    e = math.exp(-0.5)
    dai = lambda d, d0: (math.exp(-0.5 * (d / d0) ** 2) - e) / (1 - e)
    expected, _ = _loop_2sfca(S, P, D, radii, dai)
    got = two_step_fca(S, P, D, radius=radii, decay="gaussian")
    assert got.accessibility == pytest.approx(expected, rel=1e-12)
    # the weight is 1 at the site and 0 at the radius
    edge = two_step_fca([1.0], [1.0, 1.0], np.array([[0.0], [900.0]]), radius=900, decay="gaussian")
    assert edge.ratio.tolist() == pytest.approx([1.0]) and edge.sites_in_reach.tolist() == [1, 1]
    assert edge.accessibility.tolist() == pytest.approx([1.0, 0.0], abs=1e-15)
    # access.weights.gaussian(sigma): exp(-x^2 / (2 sigma^2)), passed as a callable decay
    sigma = 600.0
    expected, _ = _loop_2sfca(S, P, D, np.full(D.shape[1], 1500.0), lambda d, d0: math.exp(-d * d / (2 * sigma ** 2)))
    got = two_step_fca(S, P, D, radius=1500.0, decay=lambda d: np.exp(-d * d / (2 * sigma ** 2)))
    assert got.accessibility == pytest.approx(expected, rel=1e-12)


def test_stepwise_e2sfca_weights_as_a_callable():
    # Luo & Qi (2009): zones 0-10, 10-20, 20-30 min with weights 1, 0.68, 0.22 (access.weights.step_fn)
    def zone(d, d0):
        return 1.0 if d <= 10 else 0.68 if d <= 20 else 0.22 if d <= 30 else 0.0

    rng = np.random.default_rng(RANDOM_STATE)
    D = rng.uniform(0, 35, (30, 5))
    S, P = rng.uniform(1, 5, 5), rng.integers(1, 100, 30).astype(float)
    expected, _ = _loop_2sfca(S, P, D, np.full(5, 30.0), zone)
    got = two_step_fca(S, P, D, radius=30, decay=lambda d: np.select([d <= 10, d <= 20, d <= 30], [1, 0.68, 0.22]))
    assert got.accessibility == pytest.approx(expected, rel=1e-12)


def test_no_demand_in_a_catchment_gives_ratio_zero():
    r = two_step_fca([5, 7], [0, 10], np.array([[100, np.inf], [np.inf, np.inf]]), radius=500)
    assert r.ratio.tolist() == [0.0, 0.0] and r.accessibility.tolist() == [0.0, 0.0]
    assert r.sites_in_reach.tolist() == [1, 0]


def test_refuses_bad_input():
    D = np.ones((2, 2))
    with pytest.raises(OrgnetParameterError, match="'supply' parameter of two_step_fca"):
        two_step_fca([-1, 1], [1, 1], D)
    with pytest.raises(OrgnetParameterError, match="'demand' parameter of two_step_fca"):
        two_step_fca([1, 1], [np.nan, 1], D)
    with pytest.raises(OrgnetParameterError, match="'distance' parameter of two_step_fca must have one row"):
        two_step_fca([1, 1], [1, 1, 1], D)
    with pytest.raises(OrgnetParameterError, match="'distance' parameter of two_step_fca"):
        two_step_fca([1, 1], [1, 1], -D)
    with pytest.raises(OrgnetParameterError, match="'distance' parameter of two_step_fca"):
        two_step_fca([1, 1], [1, 1], np.full((2, 2), np.nan))
    dup = sparse.coo_matrix(([1.0, 2.0], ([0, 0], [1, 1])), shape=(2, 2))
    with pytest.raises(OrgnetParameterError, match="'distance' parameter of two_step_fca"):
        two_step_fca([1, 1], [1, 1], dup)
    with pytest.raises(OrgnetParameterError, match="'decay' parameter of two_step_fca"):
        two_step_fca([1, 1], [1, 1], D, decay="cubic")
    with pytest.raises(OrgnetParameterError, match="decay='gaussian' of two_step_fca .* give radius="):
        two_step_fca([1, 1], [1, 1], D, decay="gaussian")
    with pytest.raises(OrgnetParameterError, match="'radius' parameter of two_step_fca must be one number or one per"):
        two_step_fca([1, 1], [1, 1], D, radius=[1, 2, 3])
    with pytest.raises(OrgnetParameterError, match="'beta' parameter of two_step_fca"):
        two_step_fca([1, 1], [1, 1], D, decay="gravity", beta=0)
    with pytest.raises(OrgnetParameterError, match="'decay' function of two_step_fca must return"):
        two_step_fca([1, 1], [1, 1], D, decay=lambda d: -d)
