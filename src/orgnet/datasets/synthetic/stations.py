"""Stage 5, stations: service centres, community stations and red posts.

A centre per city, district and street; a station in ``station_share`` of the
communities (populous ones first); ``posts`` red posts (radius 500 m), half in
markets and parks, half in busy grids. Most leave ``radius_m`` empty (the
1,000 m default applies). Draws from stream 5.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .draws import cat, ids, jitter, top_k

if TYPE_CHECKING:
    from .generator import City

__all__ = ["build"]


def _block(names, typ, area, lon, lat, floor, radius) -> pd.DataFrame:
    return pd.DataFrame({"name": np.asarray(names, dtype=object), "type": typ, "area": area,
                         "lon": np.round(lon, 6), "lat": np.round(lat, 6),
                         "floor_area_m2": np.round(floor, 0), "radius_m": radius})


def build(c: City) -> None:
    """Fill ``c.st_df`` (the stations table)."""
    p, rng = c.p, c.rngs[5]
    nd, ns, nc = c.nd, c.ns, c.nc
    parts = []
    if c.city_id is not None:
        parts.append(_block([f"{p['city_name']}市党群服务中心"], "centre", np.array([c.city_id], dtype=object),
                            *jitter(np.array([c.area_df.loc[0, "lon"]]), np.array([c.area_df.loc[0, "lat"]]),
                                    0.3, rng), [3000.0], [np.nan]))
    parts.append(_block(cat(c.names_d.astype(str), "党群服务中心"), "centre", c.ids_d,
                        *jitter(c.d_lon, c.d_lat, 0.3, rng), rng.uniform(1000, 3000, nd), np.full(nd, np.nan)))
    parts.append(_block(cat(c.names_s.astype(str), "党群服务中心"), "centre", c.ids_s,
                        *jitter(c.s_lon, c.s_lat, 0.2, rng), rng.uniform(300, 1200, ns),
                        np.where(rng.random(ns) < 0.3, 1000.0, np.nan)))
    ci = np.flatnonzero(top_k(np.log(c.c_pop + 1) + rng.gumbel(size=nc), int(round(p["station_share"] * nc))))
    parts.append(_block(cat(c.names_c[ci].astype(str), "党群服务站"), "station", c.ids_c[ci],
                        *jitter(c.c_lon[ci], c.c_lat[ci], 0.1, rng), rng.uniform(100, 500, len(ci)),
                        np.full(len(ci), np.nan)))
    parts.append(_posts(c, rng))
    df = pd.concat(parts, ignore_index=True)
    df.insert(0, "id", ids("T", len(df)))
    c.st_df = df


def _posts(c, rng) -> pd.DataFrame:
    """Red posts (红色驿站): half at parks and markets, the rest in grids by population."""
    npost, nb = c.p["posts"], c.p["business_buildings"]
    n_cl = min(npost // 2, c.ncl - nb) if c.ncl > nb else 0
    cl_pick = nb + rng.choice(c.ncl - nb, size=n_cl, replace=False) if n_cl else np.zeros(0, dtype=np.int64)
    g_pick = rng.choice(c.ng, size=npost - n_cl, p=c.g_pop / c.g_pop.sum())
    plon = np.r_[c.cl_lon[cl_pick], c.g_lon[g_pick]]
    plat = np.r_[c.cl_lat[cl_pick], c.g_lat[g_pick]]
    parea = np.r_[c.ids_g[c.cl_g[cl_pick]], c.ids_g[g_pick]].astype(object)
    pname = np.r_[c.cl_names[cl_pick].astype(str), c.names_g[g_pick].astype(str)]
    return _block(cat(pname, "红色驿站"), "post", parea, *jitter(plon, plat, 0.05, rng),
                  rng.uniform(20, 80, npost), np.full(npost, 500.0))
