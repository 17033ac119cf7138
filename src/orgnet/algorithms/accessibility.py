r"""Spatial accessibility: the two-step floating catchment area (2SFCA) family on arrays.

- :func:`two_step_fca` — supply-to-demand ratios of sites, summed per location
  within each site's catchment, with a step (Luo & Wang 2003), gravity
  (Hansen 1959; Joseph & Bantock 1982) or Gaussian (Dai 2010, the continuous
  form of the enhanced 2SFCA of Luo & Qi 2009) distance decay, or any decay
  function.

Inputs are plain: supply per site, demand per location, and the distances
between them as a dense ``locations x sites`` array or a sparse matrix holding
only the pairs that can reach each other.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._params import CallableConstraint, Constraint, Numbers, Options, Real, current_function, validate_params
from ..errors import OrgnetParameterError

__all__ = ["two_step_fca", "FloatingCatchment", "DECAYS"]

#: the named distance-decay functions of :func:`two_step_fca`
DECAYS = ("step", "gravity", "gaussian")


class _Distances(Constraint):
    """A locations x sites distance matrix: dense (inf = out of reach) or scipy sparse (stored
    entries are the pairs, explicit zeros included). Passed on as pair arrays (i, j, d)."""

    def describe(self):
        return ("a locations x sites matrix of distances >= 0: a 2-d array (inf where out of reach) "
                "or a scipy sparse matrix holding the pairs in reach")

    def convert(self, value):
        from scipy import sparse

        if sparse.issparse(value):
            coo = sparse.coo_matrix(value, dtype=float)
            i, j, d = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data
            order = np.lexsort((j, i))
            i, j, d = i[order], j[order], d[order]
            if len(i) > 1 and ((np.diff(i) == 0) & (np.diff(j) == 0)).any():
                raise ValueError  # one entry per pair
        else:
            if isinstance(value, (str, bytes, dict)):
                raise TypeError
            arr = np.asarray(value, dtype=float)
            if arr.ndim != 2:
                raise ValueError
            i, j = np.nonzero(~np.isposinf(arr))
            i, j = i.astype(np.int64), j.astype(np.int64)
            d = arr[i, j]
        if not np.isfinite(d).all() or (d < 0).any():
            raise ValueError
        return _Pairs(i, j, d, value.shape)


class _Pairs(NamedTuple):
    i: np.ndarray
    j: np.ndarray
    d: np.ndarray
    shape: tuple


class FloatingCatchment(NamedTuple):
    """The answer of :func:`two_step_fca`."""

    #: accessibility score per location, ``A_i``
    accessibility: np.ndarray
    #: supply-to-demand ratio per site, ``R_j`` (0 where nobody is in the catchment)
    ratio: np.ndarray
    #: number of sites whose catchment holds the location
    sites_in_reach: np.ndarray


def _decay_weights(decay, d, r, beta, min_distance):
    if decay == "step":
        return np.ones(len(d))
    if decay == "gravity":
        return np.maximum(d, min_distance) ** (-beta)
    if decay == "gaussian":
        if r is None:
            raise OrgnetParameterError(
                f"decay='gaussian' of {current_function()} scales distances by the catchment radius: "
                "give radius=."
            )
        e = np.exp(-0.5)
        return (np.exp(-0.5 * (d / r) ** 2) - e) / (1 - e)
    f = np.asarray(decay(d.copy()), dtype=float)
    if f.shape != d.shape or not np.isfinite(f).all() or (f < 0).any():
        raise OrgnetParameterError(
            f"The 'decay' function of {current_function()} must return one finite weight >= 0 per distance "
            f"(an array of shape {d.shape}). Got {f!r} instead."
        )
    return f


@validate_params(supply=Numbers(0), demand=Numbers(0), distance=_Distances(),
                 radius=[Numbers(0, scalar=True), None], decay=[Options(*DECAYS), CallableConstraint()],
                 beta=Real(0, exclusive=True, finite=True), min_distance=Real(0, exclusive=True, finite=True))
def two_step_fca(supply, demand, distance, *, radius=None, decay="step", beta: float = 1.0,
                 min_distance: float = 1.0) -> FloatingCatchment:
    r"""Two-step floating catchment area (2SFCA) accessibility of locations to sites.

    Step 1: each site's supply-to-demand ratio over the demand in its
    catchment; step 2: each location's accessibility, the sum of the ratios of
    the sites whose catchment holds it. Both steps weight a pair by the same
    distance decay ``f``.

    Parameters
    ----------
    supply : array_like of float, shape (sites,)
        Supply of each site (>= 0): staff, floor area, 1 per site, ...
    demand : array_like of float, shape (locations,)
        Demand at each location (>= 0), e.g. residents.
    distance : 2-d array or scipy sparse matrix, shape (locations, sites)
        Distance (or travel cost) from each location to each site, >= 0. A
        dense array marks pairs out of reach with ``inf``; a sparse matrix
        holds only the pairs in reach, one stored entry each (an explicit 0 is
        a pair at distance 0).
    radius : float or array_like of float, optional
        Catchment radius ``d0`` (one for all sites, or one per site): a pair is
        in the catchment when ``d <= radius``. Default None: every pair given
        in ``distance``.
    decay : {"step", "gravity", "gaussian"} or callable, default "step"
        Distance decay ``f(d)`` weighting a pair in both steps:

        - ``step`` — ``f = 1`` in the catchment: the 2SFCA of Luo & Wang [1]_;
        - ``gravity`` — ``f = max(d, min_distance) ** -beta``: the
          gravity-based measure of Hansen [2]_ and Joseph & Bantock [3]_
          (with a radius, gravity decay inside the catchment);
        - ``gaussian`` — Dai's Gaussian [4]_
          ``f = (exp(-(d/d0)**2 / 2) - exp(-1/2)) / (1 - exp(-1/2))``, 1 at
          the site and 0 at the radius ``d0`` (needs ``radius``): the
          continuous form of the enhanced 2SFCA (E2SFCA) of Luo & Qi [5]_;
        - a callable mapping an array of distances to weights >= 0 (e.g. the
          stepwise E2SFCA weights 1, 0.68, 0.22 of [5]_).
    beta : float, default 1
        Exponent of the gravity decay (> 0). Used only by ``gravity``.
    min_distance : float, default 1
        Distances below this count as this in the gravity decay, so a
        location on a site gets a finite weight (same unit as ``distance``).
        Used only by ``gravity``.

    Returns
    -------
    FloatingCatchment
        ``accessibility`` (per location), ``ratio`` (per site; 0 where the
        catchment holds no demand) and ``sites_in_reach`` (per location).

    Raises
    ------
    OrgnetParameterError
        If a value is negative or empty, the shapes disagree, ``distance``
        stores a pair twice, or ``decay="gaussian"`` has no radius.

    Notes
    -----
    With ``P_k`` the demand at location k, ``S_j`` the supply of site j and
    ``d_kj`` their distance,

    .. math::

        R_j = \frac{S_j}{\sum_{k:\, d_{kj} \le d_0} P_k f(d_{kj})}, \qquad
        A_i = \sum_{j:\, d_{ij} \le d_0} R_j f(d_{ij}).

    With the step decay, ``sum_i P_i A_i`` equals the total supply of the
    sites whose catchment holds some demand (supply is shared out, not
    created). O(n m) for a dense matrix, O(pairs) for a sparse one.

    References
    ----------
    .. [1] Luo, W. & Wang, F. (2003). Measures of spatial accessibility to
       health care in a GIS environment: synthesis and a case study in the
       Chicago region. Environment and Planning B, 30(6), 865–884.
    .. [2] Hansen, W. G. (1959). How accessibility shapes land use. Journal of
       the American Institute of Planners, 25(2), 73–76.
    .. [3] Joseph, A. E. & Bantock, P. R. (1982). Measuring potential physical
       accessibility to general practitioners in rural areas: a method and
       case study. Social Science & Medicine, 16(1), 85–90.
    .. [4] Dai, D. (2010). Black residential segregation, disparities in
       spatial access to health care facilities, and late-stage breast cancer
       diagnosis in metropolitan Detroit. Health & Place, 16(5), 1038–1052.
    .. [5] Luo, W. & Qi, Y. (2009). An enhanced two-step floating catchment
       area (E2SFCA) method for measuring spatial accessibility to primary
       care physicians. Health & Place, 15(4), 1100–1107.

    Examples
    --------
    Two sites (supply 10 and 6) and three locations (demand 100, 50, 50);
    site 0 reaches locations 0 and 1, site 1 reaches locations 1 and 2:

    >>> import numpy as np
    >>> from orgnet.algorithms import two_step_fca
    >>> D = np.array([[200, np.inf], [600, 300], [np.inf, 800]])
    >>> r = two_step_fca([10, 6], [100, 50, 50], D, radius=1000)
    >>> r.ratio.tolist()  # 10 / 150, 6 / 100
    [0.0666..., 0.06]
    >>> np.round(r.accessibility, 4).tolist()
    [0.0667, 0.1267, 0.06]

    Dai's Gaussian weighs the near pairs more (f(200) = 0.950, f(800) = 0.304),
    so location 2, 800 m from its only site, falls behind:

    >>> g = two_step_fca([10, 6], [100, 50, 50], D, radius=1000, decay="gaussian")
    >>> np.round(g.accessibility, 4).tolist()
    [0.0766, 0.1363, 0.0306]
    """
    n, m = len(demand), len(supply)
    if distance.shape != (n, m):
        raise OrgnetParameterError(
            f"The 'distance' parameter of {current_function()} must have one row per demand location ({n}) "
            f"and one column per site ({m}). Got shape {distance.shape} instead."
        )
    i, j, d = distance.i, distance.j, distance.d
    r = None
    if radius is not None:
        r = np.full(m, float(radius)) if radius.ndim == 0 else radius
        if len(r) != m:
            raise OrgnetParameterError(
                f"The 'radius' parameter of {current_function()} must be one number or one per site ({m}). "
                f"Got {len(r)} values instead."
            )
        keep = d <= r[j]
        i, j, d = i[keep], j[keep], d[keep]
    f = _decay_weights(decay, d, None if r is None else r[j], beta, min_distance)
    P, S = demand, supply
    catchment = np.bincount(j, weights=P[i] * f, minlength=m)
    ratio = np.divide(S, catchment, out=np.zeros(m), where=catchment > 0)
    acc = np.bincount(i, weights=ratio[j] * f, minlength=n)
    reach = np.bincount(i, minlength=n)
    return FloatingCatchment(accessibility=acc, ratio=ratio, sites_in_reach=reach)
