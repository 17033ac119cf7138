"""Vectorised building blocks shared by the stages: quotas, ranks, blocks, ids, dates, places.

Everything here is plain numpy on arrays: exact quotas (:func:`allocate`,
:func:`top_k`), contiguous child blocks (:func:`blocks`), id and name
concatenation, dates counted back from the reference date, and children
placed around their parent on a local flat approximation of the sphere
(:data:`KM_LAT` and :func:`km_lon`, km per degree; distances between points
that matter to analyses are measured with :func:`orgnet._geo.haversine_m`).
"""

from __future__ import annotations

import math
from functools import reduce

import numpy as np

from .presets import AS_OF

__all__ = [
    "KM_LAT", "km_lon", "allocate", "top_k", "rank_within", "blocks", "pick_in_block", "ids", "cat",
    "words", "pick", "ordinal", "days_before", "AS_OF64", "date", "place", "jitter", "YEAR",
]

#: days in a year, as the generator counts them
YEAR = 365
#: km per degree of latitude (WGS84, mid latitudes)
KM_LAT = 110.574
_GOLDEN = math.pi * (3 - math.sqrt(5))  # the golden angle of a sunflower pattern
#: the reference date as a numpy day
AS_OF64 = np.datetime64(AS_OF.date(), "D")


def km_lon(lat):
    """km per degree of longitude at latitude ``lat`` (degrees)."""
    return 111.320 * np.cos(np.radians(lat))


def allocate(total: int, weights, minimum: int = 0) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder), each >= minimum."""
    w = np.asarray(weights, dtype=float)
    n = len(w)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    rest = total - minimum * n
    if rest < 0:
        raise ValueError("total below minimum")
    share = w / w.sum() * rest if w.sum() > 0 else np.full(n, rest / n)
    base = np.floor(share).astype(np.int64)
    left = rest - int(base.sum())
    if left:
        order = np.argsort(-(share - base), kind="stable")
        base[order[:left]] += 1
    return base + minimum


def top_k(score: np.ndarray, k: int) -> np.ndarray:
    """Boolean mask of the k highest scores."""
    n = len(score)
    k = int(max(0, min(k, n)))
    mask = np.zeros(n, dtype=bool)
    if k == 0:
        return mask
    if k == n:
        mask[:] = True
        return mask
    idx = np.argpartition(-score, k - 1)[:k]
    mask[idx] = True
    return mask


def rank_within(groups: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Rank (0 = highest score) of each element within its group."""
    n = len(groups)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((-score, groups))
    g = groups[order]
    start = np.r_[0, np.flatnonzero(np.diff(g)) + 1]
    counts = np.diff(np.r_[start, n])
    rank_sorted = np.arange(n) - np.repeat(start, counts)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = rank_sorted
    return rank


def blocks(counts: np.ndarray):
    """(parent index per child, start of each block) for contiguous child blocks."""
    counts = np.asarray(counts, dtype=np.int64)
    parent = np.repeat(np.arange(len(counts)), counts)
    start = np.cumsum(counts) - counts
    return parent, start


def pick_in_block(start, count, which, rng):
    """A random member index of block ``which`` (each block given by start/count)."""
    c = count[which]
    return start[which] + np.minimum((rng.random(len(which)) * c).astype(np.int64), np.maximum(c - 1, 0))


def ids(prefix: str, n: int) -> np.ndarray:
    """``n`` ids ``prefix01``, ``prefix02``, ... zero-padded to the width of ``n``."""
    width = max(len(str(n)), 2)
    if n == 0:  # numpy's zfill fails on an empty array
        return np.array([], dtype=object)
    return np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), width)).astype(object)


def cat(*parts) -> np.ndarray:
    """Element-wise string concatenation of arrays and scalars."""
    arrs = [np.asarray(p, dtype=str) if not isinstance(p, str) else p for p in parts]
    return reduce(np.char.add, arrs).astype(object)


def words(pool: str) -> np.ndarray:
    """A word pool from a space-separated text."""
    return np.array(pool.split())


def pick(rng, pool, n):
    """``n`` words drawn from ``pool`` with replacement."""
    return pool[rng.integers(0, len(pool), n)]


_NUM_ZH = np.array(["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
                    "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十"])


def ordinal(k):
    """Chinese ordinal text for 1-based integers (up to 20, then digits)."""
    k = np.asarray(k)
    return np.where(k <= 20, _NUM_ZH[np.clip(k - 1, 0, 19)], k.astype(str))


def days_before(rng, n, lo, hi):
    """Integer day offsets in [lo, hi] before AS_OF."""
    return rng.integers(int(lo), int(hi) + 1, size=n)


def date(days) -> np.ndarray:
    """``datetime64[ns]`` dates ``days`` before AS_OF."""
    d = np.asarray(days, dtype=np.int64)
    return (AS_OF64 - d.astype("timedelta64[D]")).astype("datetime64[ns]")


def place(parent, plon, plat, prad, rng, size_factor=None):
    """Children placed on a jittered sunflower inside each parent's disc (km radii).

    Returns the children's lon, lat and radius (km).
    """
    n = len(parent)
    counts = np.bincount(parent, minlength=len(plon))
    start = np.cumsum(counts) - counts
    j = np.arange(n) - start[parent]
    m = counts[parent]
    rot = rng.uniform(0, 2 * np.pi, len(plon))[parent]
    r = prad[parent] * np.sqrt((j + 0.5) / m) * rng.uniform(0.8, 1.1, n)
    theta = rot + j * _GOLDEN + rng.normal(0, 0.2, n)
    lat = plat[parent] + r * np.sin(theta) / KM_LAT
    lon = plon[parent] + r * np.cos(theta) / km_lon(plat[parent])
    crad = prad[parent] / np.sqrt(m) * 0.9
    if size_factor is not None:
        crad = crad * size_factor
    return lon, lat, crad


def jitter(lon, lat, km, rng):
    """Points moved a half-normal distance (sd ``km``) in a uniform direction."""
    n = len(lon)
    r = np.abs(rng.normal(0, km, n))
    t = rng.uniform(0, 2 * np.pi, n)
    return lon + r * np.cos(t) / km_lon(lat), lat + r * np.sin(t) / KM_LAT
