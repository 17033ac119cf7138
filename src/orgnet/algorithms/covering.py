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
from typing import NamedTuple

import numpy as np

from .._geo import EARTH_RADIUS_M, haversine_m
from .._params import Bool, Constraint, Integer, Numbers, Options, Real, current_function, validate_params
from ..errors import OrgnetParameterError

__all__ = ["served", "coverage_matrix", "maximal_covering", "CoveringResult"]


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


def _pairs(lon, lat, s_lon, s_lat, r):
    """Pairs (point i, station j) with haversine(i, j) <= r[j]: one k-d tree over the
    points, queried once per station with its own chord radius, then the exact test."""
    from scipy.spatial import cKDTree

    empty = np.array([], dtype=np.int64)
    if len(lon) == 0 or len(s_lon) == 0:
        return empty, empty
    tree = cKDTree(_xyz(lon, lat))
    hits = tree.query_ball_point(_xyz(s_lon, s_lat), _chord(r), return_sorted=False)
    lens = np.fromiter((len(h) for h in hits), dtype=np.int64, count=len(hits))
    j = np.repeat(np.arange(len(s_lon), dtype=np.int64), lens)
    i = np.fromiter(itertools.chain.from_iterable(hits), dtype=np.int64, count=int(lens.sum()))
    d = haversine_m(lon[i], lat[i], s_lon[j], s_lat[j])
    keep = d <= r[j]
    return i[keep], j[keep]


def _same_length(n: int, **arrays) -> None:
    for name, arr in arrays.items():
        if len(arr) != n:
            raise OrgnetParameterError(
                f"The {name!r} parameter of {current_function()} must have {n} values, one per row of "
                f"the coordinates it goes with. Got {len(arr)} instead.")


@validate_params(lon=Numbers(), lat=Numbers(), s_lon=Numbers(), s_lat=Numbers(),
                 s_radius=Numbers(0, scalar=True))
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
    r = np.full(len(s_lon), float(s_radius)) if s_radius.ndim == 0 else s_radius
    _same_length(len(lon), lat=lat)
    _same_length(len(s_lon), s_lat=s_lat, s_radius=r)
    out = np.zeros(len(lon), dtype=bool)
    if len(lon) == 0 or len(s_lon) == 0:
        return out
    i, _ = _pairs(lon, lat, s_lon, s_lat, r)
    out[i] = True
    return out


@validate_params(p_lon=Numbers(), p_lat=Numbers(), c_lon=Numbers(), c_lat=Numbers(),
                 radius_m=Numbers(0, scalar=True))
def coverage_matrix(p_lon, p_lat, c_lon, c_lat, radius_m):
    """Sparse points x sites matrix: 1 where site ``j`` is within ``radius_m`` of point ``i``.

    Parameters
    ----------
    p_lon, p_lat : array_like of float
        Point (demand) coordinates in degrees.
    c_lon, c_lat : array_like of float
        Candidate site coordinates in degrees.
    radius_m : float or array_like of float
        Coverage radius in metres (>= 0): one for all sites, or one per site.

    Returns
    -------
    scipy.sparse.csr_matrix of shape (points, sites)
        ``A[i, j] = 1.0`` when ``haversine(i, j) <= radius_m[j]`` (a point
        exactly at the radius is covered), no stored entry otherwise.

    Raises
    ------
    OrgnetParameterError
        If array lengths differ, a value is not finite or a radius is negative.

    Notes
    -----
    The same radius search as :func:`served`: a k-d tree over the points on
    the unit sphere queried once per site, then the exact haversine test.
    O((n + m) log n + pairs).

    See Also
    --------
    maximal_covering : choose the sites covering most weight.

    Examples
    --------
    Three points on the equator, 0, 556 and 3,336 m east of the origin; two
    sites at the origin and 3,336 m east, covering 1 km:

    >>> from orgnet.algorithms import coverage_matrix
    >>> A = coverage_matrix([0, 0.005, 0.03], [0, 0, 0], [0, 0.03], [0, 0], 1000)
    >>> A.toarray().tolist()
    [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
    """
    from scipy import sparse

    r = np.full(len(c_lon), float(radius_m)) if radius_m.ndim == 0 else radius_m
    _same_length(len(p_lon), p_lat=p_lat)
    _same_length(len(c_lon), c_lat=c_lat, radius_m=r)
    i, j = _pairs(p_lon, p_lat, c_lon, c_lat, r)
    order = np.lexsort((j, i))
    i, j = i[order], j[order]
    return sparse.csr_matrix((np.ones(len(i)), (i, j)), shape=(len(p_lon), len(c_lon)))


class _Incidence(Constraint):
    """A points x sites matrix (scipy sparse or dense), passed on as 0/1 float CSR (nonzero = covers)."""

    def describe(self):
        return "a points x sites matrix (scipy sparse or a 2-d array) of finite values"

    def convert(self, value):
        from scipy import sparse

        if isinstance(value, (str, bytes, dict)):
            raise TypeError
        A = sparse.csr_matrix(value if sparse.issparse(value) else np.asarray(value), dtype=float)
        if A.ndim != 2 or not np.isfinite(A.data).all():
            raise ValueError
        A.eliminate_zeros()
        A.data[:] = 1.0
        A.sort_indices()
        return A


class CoveringResult(NamedTuple):
    """The answer of :func:`maximal_covering`."""

    #: chosen site indices (columns of ``A``), largest marginal gain first
    sites: list
    #: weight each site adds to the ones before it (non-increasing)
    gains: list
    #: total weight covered by ``sites``
    covered: float
    #: total weight of all points
    total: float
    #: ``"greedy"`` or ``"exact"``
    method: str
    #: exact: True when HiGHS proved optimality, False when ``time_limit`` stopped it; greedy: None
    optimal: bool | None


def _greedy(A, w, k):
    """Greedy maximal covering: k picks maximising newly covered weight (A: sites x points)."""
    covered = np.zeros(A.shape[1], dtype=bool)
    picks = []
    for _ in range(k):
        gain = A @ np.where(covered, 0.0, w)
        if picks:
            gain[picks] = -1.0
        j = int(np.argmax(gain))
        picks.append(j)
        covered |= A[j].toarray().ravel() > 0
    return picks


def _swap_improve(A, w, picks, max_passes=50):
    """1-swap local search: replace a pick by the candidate that adds most, while it helps."""
    picks = list(picks)
    for _ in range(max_passes):
        count = np.asarray(A[picks].sum(axis=0)).ravel()
        improved = False
        for pos, i in enumerate(list(picks)):
            row = A[i].toarray().ravel() > 0
            only_i = row & (count == 1)
            loss = float(w[only_i].sum())
            # gain of j after removing i: points uncovered, or covered only by i
            free = np.where((count == 0) | only_i, w, 0.0)
            gain = A @ free
            gain[picks] = -np.inf
            j = int(np.argmax(gain))
            if gain[j] > loss + 1e-9:
                picks[pos] = j
                count = np.asarray(A[picks].sum(axis=0)).ravel()
                improved = True
        if not improved:
            break
    return picks


def _exact(A, w, k, time_limit):
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp

    m, n = A.shape
    # variables: x (m sites, binary) then y (n points, continuous in [0, 1])
    c = np.concatenate([np.zeros(m), -w])
    # y_p - sum_j A[j, p] x_j <= 0
    cover = sparse.hstack([-A.T.tocsr(), sparse.identity(n, format="csr")]).tocsr()
    budget = sparse.hstack([sparse.csr_matrix(np.ones((1, m))), sparse.csr_matrix((1, n))]).tocsr()
    cons = [LinearConstraint(cover, -np.inf, 0), LinearConstraint(budget, -np.inf, k)]
    integrality = np.concatenate([np.ones(m), np.zeros(n)])
    res = milp(c, constraints=cons, integrality=integrality, bounds=Bounds(0, 1),
               options={"time_limit": float(time_limit), "disp": False})
    if res.x is None:
        raise OrgnetParameterError(
            f"The exact maximal covering of {current_function()} found no solution within "
            f"time_limit={time_limit} s ({res.message}); raise time_limit or use method='greedy'."
        )
    x = res.x[:m]
    picks = [int(j) for j in np.flatnonzero(x > 0.5)]
    return picks, res


def _order_picks(A, w, picks):
    """Order chosen sites greedily (largest marginal gain first) and report the gains."""
    covered = np.zeros(A.shape[1], dtype=bool)
    left, order, gains = list(picks), [], []
    while left:
        g = [float(w[(A[j].toarray().ravel() > 0) & ~covered].sum()) for j in left]
        b = int(np.argmax(g))
        j = left.pop(b)
        order.append(j)
        gains.append(g[b])
        covered |= A[j].toarray().ravel() > 0
    return order, gains


@validate_params(weights=Numbers(0), A=_Incidence(), k=Integer(0), method=Options("greedy", "exact"),
                 time_limit=Real(0, exclusive=True), pad=Bool())
def maximal_covering(weights, A, k: int, *, method: str = "greedy", time_limit: float = 60.0,
                     pad: bool = False) -> CoveringResult:
    r"""Choose up to ``k`` sites covering the largest total weight of points.

    The maximal covering location problem (MCLP) of Church & ReVelle [1]_:
    maximise the weight of the points covered by at least one of ``k`` chosen
    sites, given which sites cover which points.

    Parameters
    ----------
    weights : array_like of float
        Weight of each point (>= 0), e.g. residents.
    A : scipy sparse matrix or 2-d array, shape (points, sites)
        Nonzero where the site covers the point (see :func:`coverage_matrix`).
    k : int
        Number of sites to choose (0 <= k <= number of sites).
    method : {"greedy", "exact"}, default "greedy"
        ``greedy``: greedy picks improved by 1-swap local search [2]_ (fast;
        within about 1 % of the optimum on city-sized instances). ``exact``:
        the integer programme solved by HiGHS (``scipy.optimize.milp``) within
        ``time_limit`` seconds; if the limit stops it, the best solution found
        is returned with ``optimal=False``.
    time_limit : float, default 60
        Seconds allowed to the exact solver.
    pad : bool, default False
        False: stop at the first site that adds nobody, so fewer than ``k``
        sites come back when fewer help. True: return ``k`` sites, the last
        ones adding 0 (the fixed-size answer of the textbook MCLP).

    Returns
    -------
    CoveringResult
        ``sites`` (column indices of ``A``, in order of marginal gain),
        ``gains`` (weight each adds to those before it), ``covered``,
        ``total`` (weight of all points), ``method`` and ``optimal``.

    Raises
    ------
    OrgnetParameterError
        If ``k`` exceeds the number of sites, ``weights`` and ``A`` disagree
        in length, a weight is negative or empty, or the exact solver finds no
        solution in time.

    Notes
    -----
    With binary ``x_j`` (site j chosen) and ``y_i`` (point i covered), the MCLP is

    .. math:: \max \sum_i w_i y_i \quad \text{s.t.} \quad
              y_i \le \sum_j A_{ij} x_j, \quad \sum_j x_j \le k.

    Coverage is submodular, so greedy is within ``1 - 1/e`` of the optimum
    [3]_; the swap pass moves it close to the optimum in practice. Greedy
    costs O(k nnz(A)) and each swap pass O(k nnz(A)); the exact programme is
    NP-hard in general (HiGHS branch and bound). The chosen set is ordered
    greedily, so ``gains`` is non-increasing.

    References
    ----------
    .. [1] Church, R. & ReVelle, C. (1974). The maximal covering location
       problem. Papers of the Regional Science Association, 32(1), 101–118.
    .. [2] Teitz, M. B. & Bart, P. (1968). Heuristic methods for estimating the
       generalized vertex median of a weighted graph. Operations Research,
       16(5), 955–961.
    .. [3] Nemhauser, G. L., Wolsey, L. A. & Fisher, M. L. (1978). An analysis
       of approximations for maximizing submodular set functions — I.
       Mathematical Programming, 14(1), 265–294.

    See Also
    --------
    coverage_matrix : build ``A`` from coordinates and a radius.

    Examples
    --------
    Four points on a line with weights 2, 3, 3, 2; site L covers the first
    two, R the last two, M the middle two. Plain greedy takes M (6) first and
    then adds 2; the swap pass finds L + R, covering all 10:

    >>> import numpy as np
    >>> from orgnet.algorithms import maximal_covering
    >>> A = np.array([[1, 0, 0], [1, 0, 1], [0, 1, 1], [0, 1, 0]])  # columns L, R, M
    >>> r = maximal_covering([2, 3, 3, 2], A, 2)
    >>> r.sites, r.gains, r.covered
    ([1, 0], [5.0, 5.0], 10.0)

    A site Z covering only the first point adds nobody once L is chosen: the
    picks stop there unless ``pad=True``:

    >>> B = np.array([[1, 0, 1], [1, 0, 0], [0, 1, 0], [0, 1, 0]])  # columns L, R, Z
    >>> maximal_covering([2, 3, 3, 2], B, 3, method="exact").sites
    [0, 1]
    >>> maximal_covering([2, 3, 3, 2], B, 3, pad=True).gains
    [5.0, 5.0, 0.0]
    """
    w = weights
    if A.shape[0] != len(w):
        raise OrgnetParameterError(
            f"The 'A' parameter of {current_function()} must have one row per weight ({len(w)}). "
            f"Got {A.shape[0]} rows instead."
        )
    m = A.shape[1]
    if k > m:
        raise OrgnetParameterError(
            f"The 'k' parameter of {current_function()} must be at most the number of candidate sites "
            f"({m}). Got {k} instead."
        )
    S = A.T.tocsr()  # sites x points
    optimal = None
    if k == 0:
        picks = []
    elif method == "greedy":
        picks = _swap_improve(S, w, _greedy(S, w, k))
    else:
        picks, res = _exact(S, w, k, time_limit)
        optimal = bool(res.status == 0)
        if len(picks) < k:  # sites that add nothing: fill greedily so k sites are ordered
            extra = [j for j in _greedy(S, w, k) if j not in picks]
            picks += extra[: k - len(picks)]
    order, gains = _order_picks(S, w, picks)
    if not pad:
        useful = [g > 0 for g in gains]
        order = [j for j, u in zip(order, useful) if u]
        gains = [g for g, u in zip(gains, useful) if u]
    return CoveringResult(sites=[int(j) for j in order], gains=[float(g) for g in gains],
                          covered=float(sum(gains)), total=float(w.sum()), method=method, optimal=optimal)
