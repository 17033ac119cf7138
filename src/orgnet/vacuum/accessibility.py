"""How much station supply each resident reaches: two-step floating catchment
accessibility of the service stations (阵地) on the network's residents.

- :func:`accessibility` — per populated leaf area, the station supply per resident
  within each station's radius (2SFCA, or with Gaussian distance decay), and the
  share of residents below a standard.

The measure is :func:`orgnet.algorithms.two_step_fca` on the leaf areas
(:func:`~orgnet.vacuum.populated_leaves`) and the stations
(:func:`~orgnet.vacuum.service_circles`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from .._geo import pairs_within
from .._params import Network, Options, Real, current_function, validate_params
from ..algorithms.accessibility import two_step_fca
from ..errors import OrgnetParameterError
from ..network import OrgNetwork
from .places import populated_leaves, service_circles

__all__ = ["accessibility"]


@validate_params(net=Network(), radius_m=[Real(0, exclusive=True), None], method=Options("2sfca"),
                 supply=Options("auto", "floor_area", "count"), standard=[Real(0), None],
                 decay=Options("step", "gaussian"))
def accessibility(net: OrgNetwork, *, radius_m: float | None = None, method: str = "2sfca",
                  supply: str = "auto", standard: float | None = None, decay: str = "step") -> pd.DataFrame:
    """Two-step floating catchment (2SFCA) accessibility of service stations.

    Step 1: each station's supply-to-demand ratio ``R_j = S_j / Σ P_p f(d_pj)``
    over the populated places ``p`` within its catchment. Step 2: each place's
    accessibility ``A_p = Σ R_j f(d_pj)`` over the stations within reach. With
    the default step decay ``f = 1``; zero means no station in reach.

    Parameters
    ----------
    net : OrgNetwork
    radius_m : float, optional
        Catchment radius in metres applied to every station. Default: each
        station's own ``radius_m`` (1000 m where empty — the ten-minute service
        circle), as in :func:`~orgnet.vacuum.vacuum_areas`.
    method : {"2sfca"}, default "2sfca"
        The method (Luo & Wang 2003).
    supply : {"auto", "floor_area", "count"}, default "auto"
        ``floor_area``: a station supplies its ``floor_area_m2``; ``count``: 1
        per station; ``auto``: floor area if every station has one, else count.
    standard : float, optional
        Accessibility below which a place counts as under-served;
        ``result.attrs["share_below_standard"]`` is the population-weighted
        share of such places. Default: places with zero accessibility.
    decay : {"step", "gaussian"}, default "step"
        Distance decay inside each station's catchment: ``step`` weighs every
        place in reach alike (the 2SFCA); ``gaussian`` is Dai's (2010)
        Gaussian ``f = (exp(-(d/r)**2 / 2) - exp(-1/2)) / (1 - exp(-1/2))``,
        1 at the station and 0 at its radius ``r`` (the enhanced 2SFCA of Luo
        & Qi 2009 in continuous form). Other decays (gravity, any function):
        :func:`orgnet.algorithms.two_step_fca`.

    Returns
    -------
    DataFrame
        Indexed by populated leaf area with coordinates: ``name``,
        ``population``, ``stations_in_reach``, ``accessibility`` (supply per
        resident). ``attrs``: ``supply`` used, ``decay``, ``standard``,
        ``share_below_standard``, ``unlocated_population``.

    Raises
    ------
    OrgnetParameterError
        If ``supply="floor_area"`` and a station has no ``floor_area_m2``.

    Notes
    -----
    One k-d tree radius search for the (place, station) pairs within the
    largest radius, then :func:`orgnet.algorithms.two_step_fca` with each
    station's own radius: O((places + stations) log stations + pairs).

    References
    ----------
    .. [1] Luo, W. & Wang, F. (2003). Measures of spatial accessibility to health
       care in a GIS environment. Environment and Planning B, 30(6), 865–884.
    .. [2] Dai, D. (2010). Black residential segregation, disparities in
       spatial access to health care facilities, and late-stage breast cancer
       diagnosis in metropolitan Detroit. Health & Place, 16(5), 1038–1052.

    Examples
    --------
    >>> import orgnet
    >>> acc = orgnet.vacuum.accessibility(orgnet.datasets.load("demo"))
    >>> acc.attrs["supply"], round(acc.attrs["share_below_standard"] * 17153)  # 17,153 residents
    ('floor_area', 4198)

    No station in reach for 4,198 residents, as in :func:`~orgnet.vacuum.vacuum_areas`.
    One radius for all instead of each station's own (T4 1500 m, T5 500 m) moves
    G212 (80) out of reach and G122 (60) into it:

    >>> acc = orgnet.vacuum.accessibility(orgnet.datasets.load("demo"), radius_m=1000)
    >>> round(acc.attrs["share_below_standard"] * 17153)
    4218
    """
    leaf = populated_leaves(net)
    circles = service_circles(net, radius_m=radius_m)
    s_ids = circles.index
    floor = net.stations["floor_area_m2"].reindex(s_ids).to_numpy(dtype=float)
    if supply == "auto":
        supply = "floor_area" if len(floor) and not np.isnan(floor).any() else "count"
    if supply == "floor_area":
        if np.isnan(floor).any():
            missing = s_ids[np.isnan(floor)][0]
            raise OrgnetParameterError(
                f"supply='floor_area' of {current_function()} needs floor_area_m2 for every station; "
                f"station {missing!r} has none. Use supply='count'."
            )
        S = floor
    else:
        S = np.ones(len(s_ids))
    P = leaf["population"].to_numpy(dtype=float)
    s_rad = circles["radius_m"].to_numpy()
    if len(s_ids) and len(leaf):
        i, j, d = pairs_within(leaf["lon"].to_numpy(float), leaf["lat"].to_numpy(float),
                               circles["lon"].to_numpy(), circles["lat"].to_numpy(), float(s_rad.max()))
    else:
        i = j = np.array([], dtype=np.int64)
        d = np.array([], dtype=float)
    D = sparse.csr_matrix((d, (i, j)), shape=(len(leaf), len(s_ids)))  # explicit zeros kept: distance 0
    fca = two_step_fca(S, P, D, radius=s_rad, decay=decay)
    acc = fca.accessibility
    out = pd.DataFrame({"name": leaf["name"], "population": leaf["population"],
                        "stations_in_reach": fca.sites_in_reach, "accessibility": acc}, index=leaf.index)
    below = (acc < standard) if standard is not None else (acc == 0)
    share = float(P[below].sum() / P.sum()) if P.sum() > 0 else float("nan")
    out.attrs = {}
    out.attrs.update(func="accessibility", method=method, supply=supply, decay=decay, radius_m=radius_m,
                     standard=standard, share_below_standard=share,
                     unlocated_population=leaf.attrs["unlocated_population"])
    return out
