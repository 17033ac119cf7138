"""Great-circle distances and radius searches.

Points are placed on the unit sphere, where the straight-line (chord) distance
is a monotone function of the great-circle distance, so a k-d tree
(``scipy.spatial.cKDTree``) finds every pair within a radius exactly, in
O((n + m) log n + pairs).
"""

from __future__ import annotations

import itertools

import numpy as np

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)


def haversine_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in metres (vectorised, broadcasting).

    >>> round(float(haversine_m(0, 0, 0, 1)))  # one degree of latitude
    111195
    """
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(x, dtype=float)) for x in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def _xyz(lon, lat) -> np.ndarray:
    lon = np.radians(np.asarray(lon, dtype=float))
    lat = np.radians(np.asarray(lat, dtype=float))
    c = np.cos(lat)
    return np.column_stack([c * np.cos(lon), c * np.sin(lon), np.sin(lat)])


def _chord(metres) -> float:
    return 2 * np.sin(np.minimum(np.asarray(metres, dtype=float), np.pi * EARTH_RADIUS_M) / (2 * EARTH_RADIUS_M))


def pairs_within(lon_a, lat_a, lon_b, lat_b, radius_m: float):
    """All pairs (i, j) with point a[i] within ``radius_m`` of point b[j].

    Returns arrays ``i``, ``j`` and the great-circle distance ``d`` in metres
    (sorted by i, then j).

    >>> i, j, d = pairs_within([0, 0], [0, 1], [0], [0.005], 1000)
    >>> i.tolist(), j.tolist(), [round(x) for x in d]
    ([0], [0], [556])
    """
    from scipy.spatial import cKDTree

    a = _xyz(lon_a, lat_a)
    b = _xyz(lon_b, lat_b)
    if len(a) == 0 or len(b) == 0:
        empty = np.array([], dtype=np.int64)
        return empty, empty, np.array([], dtype=float)
    tb = cKDTree(b)
    # a small slack on the chord so boundary pairs are kept; the exact test follows.
    # (sparse_distance_matrix would drop pairs at distance 0: coincident points)
    hits = tb.query_ball_point(a, float(_chord(radius_m)) * (1 + 1e-9) + 1e-15, return_sorted=False)
    lens = np.fromiter((len(h) for h in hits), dtype=np.int64, count=len(hits))
    i = np.repeat(np.arange(len(a), dtype=np.int64), lens)
    j = np.fromiter(itertools.chain.from_iterable(hits), dtype=np.int64, count=int(lens.sum()))
    d = haversine_m(np.asarray(lon_a, float)[i], np.asarray(lat_a, float)[i],
                    np.asarray(lon_b, float)[j], np.asarray(lat_b, float)[j])
    keep = d <= radius_m
    i, j, d = i[keep], j[keep], d[keep]
    order = np.lexsort((j, i))
    return i[order], j[order], d[order]
