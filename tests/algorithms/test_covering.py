"""algorithms.covering: served against a brute-force haversine loop, each station's own
radius, and the boundary (a point exactly at the radius is served)."""

from __future__ import annotations

import numpy as np
import pytest

from orgnet._geo import haversine_m
from orgnet.algorithms import covering
from orgnet.errors import OrgnetParameterError

RANDOM_STATE = 12345


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
