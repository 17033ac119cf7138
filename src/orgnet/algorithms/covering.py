"""Covering on coordinates: who a set of stations serves, and where k new sites
would cover the most weight (the maximal covering location problem).

- :func:`served` — True where a point lies within some station's own radius;
- :func:`coverage_matrix` — the sparse points x sites incidence within a radius;
- :func:`maximal_covering` — Church–ReVelle maximal covering (greedy + 1-swap,
  or exact by HiGHS) on a coverage matrix.

Distances are great-circle (metres, mean Earth radius). Points are placed on
the unit sphere, where the straight-line (chord) distance is a monotone
function of the great-circle distance, so a k-d tree finds every candidate pair
and an exact haversine test decides it.
"""

from __future__ import annotations

import itertools

import numpy as np

from .._geo import EARTH_RADIUS_M, haversine_m
from .._params import Constraint, current_function, validate_params
from ..errors import OrgnetParameterError

__all__ = ["served"]


def _xyz(lon, lat) -> np.ndarray:
    lon = np.radians(np.asarray(lon, dtype=float))
    lat = np.radians(np.asarray(lat, dtype=float))
    c = np.cos(lat)
    return np.column_stack([c * np.cos(lon), c * np.sin(lon), np.sin(lat)])


def _chord(metres) -> np.ndarray:
    """Unit-sphere chord of a great-circle distance, widened by a tiny slack so that
    boundary pairs reach the exact test."""
    m = np.minimum(np.asarray(metres, dtype=float), np.pi * EARTH_RADIUS_M)
    return 2 * np.sin(m / (2 * EARTH_RADIUS_M)) * (1 + 1e-9) + 1e-15


class _Numbers(Constraint):
    """A number or a 1-d array of finite numbers (>= ``minimum``), passed on as a float array."""

    def __init__(self, minimum=None, scalar: bool = False):
        self.minimum, self.scalar = minimum, scalar

    def describe(self):
        what = "a number or an array of numbers" if self.scalar else "an array of numbers"
        return what + (f" >= {self.minimum:g}" if self.minimum is not None else "") + " (finite, no empty values)"

    def convert(self, value):
        if isinstance(value, (str, bytes, dict)):
            raise TypeError
        arr = np.asarray(value, dtype=float)  # TypeError/ValueError for non-numbers
        if arr.ndim > 1 or (arr.ndim == 0 and not self.scalar):
            raise ValueError
        if not np.isfinite(arr).all() or (self.minimum is not None and (arr < self.minimum).any()):
            raise ValueError
        return arr


def _same_length(n: int, **arrays) -> None:
    for name, arr in arrays.items():
        if len(arr) != n:
            raise OrgnetParameterError(
                f"The {name!r} parameter of {current_function()} must have {n} values, one per row of "
                f"the coordinates it goes with. Got {len(arr)} instead.")


@validate_params(lon=_Numbers(), lat=_Numbers(), s_lon=_Numbers(), s_lat=_Numbers(),
                 s_radius=_Numbers(0, scalar=True))
def served(lon, lat, s_lon, s_lat, s_radius) -> np.ndarray:
    """Boolean per point: within the great-circle ``s_radius`` of at least one station.

    Each station is queried with its OWN radius, so a station with a 1,500 m
    circle serves farther than a neighbour with 500 m.

    Parameters
    ----------
    lon, lat : array_like of float
        Point coordinates in degrees (one value per point).
    s_lon, s_lat : array_like of float
        Station coordinates in degrees (one value per station).
    s_radius : float or array_like of float
        Service radius of each station in metres (>= 0), or one radius for all.

    Returns
    -------
    ndarray of bool
        ``served[p]`` is True when ``haversine(p, s) <= s_radius[s]`` for some
        station ``s``; a point exactly at the radius is served. All False when
        there are no stations.

    Raises
    ------
    OrgnetParameterError
        If array lengths differ, a value is not finite, or a radius is negative.

    Notes
    -----
    A k-d tree over the points on the unit sphere is queried once per station
    with that station's chord radius (``cKDTree.query_ball_point`` takes an
    array of radii); each candidate pair then passes the exact haversine test
    ``d <= r``. O((n + m) log n + pairs) for n points and m stations.

    See Also
    --------
    coverage_matrix : which points each candidate site would cover.

    Examples
    --------
    Two stations, one with a 1,500 m circle and one with 500 m; the points are
    1,112 m north of each (0.01 degree of latitude):

    >>> from orgnet.algorithms import served
    >>> served([0, 1, 2], [0.01, 0.01, 5], [0, 1], [0, 0], [1500, 500]).tolist()
    [True, False, False]
    """
    from scipy.spatial import cKDTree

    r = np.full(len(s_lon), float(s_radius)) if s_radius.ndim == 0 else s_radius
    _same_length(len(lon), lat=lat)
    _same_length(len(s_lon), s_lat=s_lat, s_radius=r)
    out = np.zeros(len(lon), dtype=bool)
    if len(lon) == 0 or len(s_lon) == 0:
        return out
    tree = cKDTree(_xyz(lon, lat))
    hits = tree.query_ball_point(_xyz(s_lon, s_lat), _chord(r), return_sorted=False)
    lens = np.fromiter((len(h) for h in hits), dtype=np.int64, count=len(hits))
    if lens.sum() == 0:
        return out
    j = np.repeat(np.arange(len(s_lon), dtype=np.int64), lens)
    i = np.fromiter(itertools.chain.from_iterable(hits), dtype=np.int64, count=int(lens.sum()))
    d = haversine_m(lon[i], lat[i], s_lon[j], s_lat[j])
    out[i[d <= r[j]]] = True
    return out
