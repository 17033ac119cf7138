"""Stage 1, areas: districts, streets, communities, grids, compounds and buildings.

Counts are exact (largest-remainder allocation); streets follow the layout
(a river valley or rings around a centre), children sit on jittered sunflower
patterns inside their parent's disc; compounds carry households, residents
and the three flags (exactly ``three_no`` with none of them); population
rolls up the tree. Draws from stream 0 (the campaign from stream 11).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import words as w
from .draws import (
    KM_LAT,
    allocate,
    blocks,
    cat,
    ids,
    jitter,
    km_lon,
    ordinal,
    pick,
    place,
    top_k,
)
from .parameters import need

if TYPE_CHECKING:
    from .generator import City

__all__ = ["build"]


def build(c: City) -> None:
    """Fill ``c`` with the area tree and ``c.area_df`` (the areas table)."""
    rng = c.rngs[0]
    _hierarchy(c, rng)
    size = np.clip(rng.lognormal(0, c.p["street_size_sigma"], c.ns), 0.5, 4.0)
    if c.p["layout"] == "valley":
        _valley_streets(c, rng, size)
    else:
        _radial_streets(c, rng, size)
    c_size = np.clip(rng.lognormal(0, 0.3, c.nc), 0.5, 2.5)
    c.c_lon, c.c_lat, c.c_rad = place(c.c_s, c.s_lon, c.s_lat, c.s_rad, rng, c_size)
    c.g_lon, c.g_lat, c.g_rad = place(c.g_c, c.c_lon, c.c_lat, c.c_rad, rng)
    _compounds(c, rng)
    _residential_buildings(c, rng)
    _business_buildings(c, rng)
    _names(c, rng)
    _populations(c, rng)
    c.area_df = _frame(c)


def _hierarchy(c, rng) -> None:
    """How many streets per district, communities per street and grids per community."""
    p = c.p
    nd, ns, nc, ng = p["districts"], p["streets"], p["communities"], p["grids"]
    weights = p["district_weights"]
    if len(weights) != nd:
        weights = rng.dirichlet(np.full(nd, 4.0))
    c.d_streets = allocate(ns, weights, 1)
    c.st_d, _ = blocks(c.d_streets)
    c.c_per_s = allocate(nc, rng.lognormal(0, 0.35, ns), 1)
    c.c_s, c.c_start_s = blocks(c.c_per_s)
    c.g_per_c = allocate(ng, rng.lognormal(0, 0.3, nc), 1)
    c.g_c, c.g_start_c = blocks(c.g_per_c)
    c.c_d = c.st_d[c.c_s]
    c.nd, c.ns, c.nc, c.ng = nd, ns, nc, ng


def _valley_streets(c, rng, size) -> None:
    """Streets along the centreline: each district a stretch proportional to its streets."""
    p, ns, st_d, d_streets = c.p, c.ns, c.st_d, c.d_streets
    line = np.asarray(p["centreline"], dtype=float)
    kx = float(km_lon(line[:, 1].mean()))
    xy = (line - line[0]) * [kx, KM_LAT]
    seg = np.diff(xy, axis=0)
    seglen = np.hypot(seg[:, 0], seg[:, 1])
    cum = np.r_[0, np.cumsum(seglen)]
    length = cum[-1]
    hw = p["valley_half_width_km"]
    first = np.r_[0, np.cumsum(d_streets)[:-1]]
    pos_in_d = np.arange(ns) - first[st_d] + rng.uniform(0.2, 0.8, ns)
    t = first[st_d] / ns + pos_in_d / ns  # position along the valley, 0 (west) to 1 (east)
    s = np.clip(t, 0, 1) * length
    i = np.clip(np.searchsorted(cum, s, side="right") - 1, 0, len(seg) - 1)
    pt = xy[i] + seg[i] * ((s - cum[i]) / seglen[i])[:, None]
    normal = np.stack([-seg[i, 1], seg[i, 0]], axis=1) / seglen[i][:, None]
    off = np.clip(rng.normal(0, hw / 2, ns), -hw, hw)
    pt = pt + normal * off[:, None]
    c.s_lon = line[0, 0] + pt[:, 0] / kx
    c.s_lat = line[0, 1] + pt[:, 1] / KM_LAT
    # the valley ends and the slopes are suburban: larger, sparser streets
    edge = np.maximum(np.abs(2 * t - 1) ** 2, np.abs(off) / hw)
    c.street_size = size * (1 + (p["suburban_scale"] - 1) * edge ** 2)
    c.s_rad = math.sqrt(length * 2 * hw / (math.pi * ns)) * c.street_size
    c.d_lon = np.bincount(st_d, c.s_lon) / d_streets
    c.d_lat = np.bincount(st_d, c.s_lat) / d_streets
    c.city_lon, c.city_lat = float(np.mean(c.s_lon)), float(np.mean(c.s_lat))


def _radial_streets(c, rng, size) -> None:
    """Districts around the centre, streets around their district; outer streets suburban."""
    p, nd = c.p, c.nd
    clon, clat = p["centre"]
    big = p["radius_km"]
    if nd == 1:
        d_lon, d_lat, d_rad = np.array([clon]), np.array([clat]), np.array([big])
    else:
        d_lon, d_lat, d_rad = place(np.zeros(nd, dtype=np.int64), np.array([clon]),
                                    np.array([clat]), np.array([big]), rng)
        d_rad = d_rad * 1.15
    s_lon, s_lat, s_rad = place(c.st_d, d_lon, d_lat, d_rad, rng)
    dist = np.hypot((s_lon - clon) * km_lon(clat), (s_lat - clat) * KM_LAT)
    c.street_size = size * (1 + (p["suburban_scale"] - 1) * np.clip(dist / big, 0, 1) ** 2)
    c.s_lon, c.s_lat, c.s_rad = s_lon, s_lat, s_rad * c.street_size
    c.d_lon, c.d_lat = d_lon, d_lat
    c.city_lon, c.city_lat = float(clon), float(clat)


def _compounds(c, rng) -> None:
    """Compounds per grid with households, residents and the three flags (and the campaign)."""
    p = c.p
    q_per_g = 1 + rng.poisson(p["compounds_per_grid"] - 1, c.ng)
    q_g, _ = blocks(q_per_g)
    nq = len(q_g)
    q_lon, q_lat, c.q_rad = place(q_g, c.g_lon, c.g_lat, c.g_rad, rng)
    hh = np.maximum(10, rng.lognormal(math.log(p["households_median"]), p["households_sigma"], nq)).astype(np.int64)
    pop = np.maximum(rng.binomial(hh * 4, p["persons_per_household"] / 4).astype(np.int64), hh)
    three_no = p["three_no"]
    if three_no is None:
        three_no = int(round(p["three_no_share"] * nq))
    need(three_no <= nq, "three_no", f"at most the number of compounds ({nq:,})", three_no,
         "Lower three_no or set it to None to use three_no_share.")
    # old, small, peripheral compounds are the likely three-no ones
    score = -0.7 * np.log(hh) + 0.3 * np.log(c.street_size[c.c_s[c.g_c[q_g]]]) + rng.gumbel(size=nq)
    is3 = top_k(score, three_no)
    pm = rng.random(nq) < 0.82
    sup = rng.random(nq) < 0.6
    sec = rng.random(nq) < 0.75
    pm[is3], sup[is3], sec[is3] = False, False, False
    pm[~is3 & ~pm & ~sup & ~sec] = True
    c.q_pm_base = pm.copy()  # units are placed on the city before any campaign
    if p["campaign"]:
        _campaign(c, is3, three_no, pm, sup, sec)
    c.q_g, c.q_lon, c.q_lat, c.q_hh, c.q_pop = q_g, q_lon, q_lat, hh, pop
    c.q_pm, c.q_sup, c.q_sec, c.nq = pm, sup, sec, nq


def _campaign(c, is3, three_no, pm, sup, sec) -> None:
    """Remediate all but ``campaign_remaining`` three-no compounds (flags changed in place)."""
    p, crng = c.p, c.rngs[11]
    remaining = p["campaign_remaining"]
    if remaining is None:
        remaining = int(round(three_no * (1 - p["campaign_success"])))
    need(remaining <= three_no, "campaign_remaining", f"at most three_no ({three_no:,})", remaining)
    idx = np.flatnonzero(is3)
    fix = idx[top_k(crng.random(len(idx)), len(idx) - remaining)]
    f_pm = crng.random(len(fix)) < 0.6
    f_sec = crng.random(len(fix)) < 0.8
    f_sup = crng.random(len(fix)) < 0.7
    f_pm |= ~(f_pm | f_sec | f_sup)
    pm[fix], sec[fix], sup[fix] = f_pm, f_sec, f_sup


def _residential_buildings(c, rng) -> None:
    """Some compounds list their buildings (楼栋), with households and residents."""
    p = c.p
    listed = np.flatnonzero(rng.random(c.nq) < p["building_share"])
    b_per_q = 2 + rng.poisson(3, len(listed))
    b_q = np.repeat(listed, b_per_q)
    c.b_lon, c.b_lat, _ = place(np.repeat(np.arange(len(listed)), b_per_q), c.q_lon[listed], c.q_lat[listed],
                                c.q_rad[listed] * 0.6, rng)
    share = rng.dirichlet(np.ones(3), len(b_q))[:, 0] if len(b_q) else np.zeros(0)
    b_hh = np.maximum(1, (c.q_hh[b_q] * share * 3 / b_per_q.repeat(b_per_q).clip(1) * 1.0).astype(np.int64))
    c.b_hh = np.minimum(b_hh, c.q_hh[b_q])
    c.b_pop = np.minimum(c.q_pop[b_q], (c.b_hh * p["persons_per_household"]).astype(np.int64))
    c.b_q, c.b_per_q = b_q, b_per_q
    c.b_g = c.q_g[b_q]


def _business_buildings(c, rng) -> None:
    """Business buildings (商务楼宇) in central, busy grids: building areas under grids."""
    nb = c.p["business_buildings"]
    c.c_attr = np.clip(rng.lognormal(0, 0.9, c.nc), 0.05, 30) * (1 / c.street_size[c.c_s]) ** 1.5
    g_w = c.c_attr[c.g_c] ** 2
    bb_g = rng.choice(c.ng, size=nb, p=g_w / g_w.sum()) if nb else np.zeros(0, dtype=np.int64)
    c.bb_g = np.sort(bb_g)
    c.bb_lon, c.bb_lat = jitter(c.g_lon[c.bb_g], c.g_lat[c.bb_g], 0.3, rng)


def _names(c, rng) -> None:
    """Ids (a prefix letter per level) and Chinese names of every area."""
    p, nd, ns, nc, ng, nq = c.p, c.nd, c.ns, c.nc, c.ng, c.nq
    nb, b_q, b_per_q = p["business_buildings"], c.b_q, c.b_per_q
    c.ids_d, c.ids_s, c.ids_c, c.ids_g, c.ids_q = ids("D", nd), ids("S", ns), ids("C", nc), ids("G", ng), ids("Q", nq)
    c.ids_b = ids("B", len(b_q) + nb)
    c.ids_rb, c.ids_bb = c.ids_b[: len(b_q)], c.ids_b[len(b_q):]
    names_d = np.asarray(p["district_names"], dtype=object)
    if len(names_d) != nd:
        names_d = cat(pick(rng, w.PLACE, nd), "区")
    # street names unique within the city as far as the word pool allows
    pw = rng.permutation(len(w.PLACE))
    s_word = w.PLACE[pw[np.arange(ns) % len(w.PLACE)]]
    s_suffix = np.where(np.arange(ns) < len(w.PLACE), "街道",
                        np.char.add(ordinal(np.arange(ns) // len(w.PLACE) + 1), "街道"))
    c.names_s = cat(s_word, np.where(rng.random(ns) < 0.4, "路", ""), s_suffix)
    c.names_c = cat(pick(rng, w.PLACE, nc), np.where(rng.random(nc) < 0.3, "新村", ""), "社区")
    g_rank = np.arange(ng) - c.g_start_c[c.g_c] + 1
    c.names_g = cat(c.names_c[c.g_c].astype(str), "第", ordinal(g_rank), "网格")
    c.names_q = cat(pick(rng, w.PLACE, nq), pick(rng, w.COMPOUND_SUFFIX, nq))
    b_rank = np.arange(len(b_q)) - (np.cumsum(b_per_q) - b_per_q).repeat(b_per_q) + 1
    c.names_rb = cat(c.names_q[b_q].astype(str), b_rank.astype(str), "号楼")
    c.names_bb = cat(p["city_name"], pick(rng, w.BRAND, nb), pick(rng, w.BUILDING_SUFFIX, nb))
    c.names_d = names_d


def _populations(c, rng) -> None:
    """Residents and households rolled up from compounds (plus scattered residents of each grid)."""
    pph = c.p["persons_per_household"]
    g_pop_q = np.bincount(c.q_g, c.q_pop, minlength=c.ng).astype(np.int64)
    g_hh_q = np.bincount(c.q_g, c.q_hh, minlength=c.ng).astype(np.int64)
    scattered = rng.binomial(np.maximum(g_pop_q, 1), 0.08)
    c.g_pop = g_pop_q + scattered
    c.g_hh = g_hh_q + (scattered / pph).astype(np.int64)
    c.c_pop = np.bincount(c.g_c, c.g_pop, minlength=c.nc).astype(np.int64)
    c.c_hh = np.bincount(c.g_c, c.g_hh, minlength=c.nc).astype(np.int64)
    c.s_pop = np.bincount(c.c_s, c.c_pop, minlength=c.ns).astype(np.int64)
    c.s_hh = np.bincount(c.c_s, c.c_hh, minlength=c.ns).astype(np.int64)
    c.d_pop = np.bincount(c.st_d, c.s_pop, minlength=c.nd).astype(np.int64)
    c.d_hh = np.bincount(c.st_d, c.s_hh, minlength=c.nd).astype(np.int64)


def _block(ids_, names, level, parent, popn, hhs, lon, lat, flags=(None, None, None)) -> pd.DataFrame:
    n = len(ids_)
    df = pd.DataFrame({
        "id": ids_, "name": names, "level": level, "parent": parent,
        "population": pd.array(popn, dtype="Int64"), "households": pd.array(hhs, dtype="Int64"),
        "lon": np.round(lon, 6), "lat": np.round(lat, 6),
    })
    for k, col in zip(("property_management", "supervisor", "security"), flags):
        df[k] = pd.array(col if col is not None else [pd.NA] * n, dtype="boolean")
    return df


def _frame(c) -> pd.DataFrame:
    """The areas table, top down (business buildings have no residents listed)."""
    p, nd, nb = c.p, c.nd, c.p["business_buildings"]
    parts = []
    if p["root"] == "city":
        c.city_id = "CT01"
        parts.append(_block(np.array([c.city_id], dtype=object), np.array([p["name"].split(" ")[0]], dtype=object),
                            "city", np.array([None], dtype=object), [int(c.d_pop.sum())], [int(c.d_hh.sum())],
                            np.array([c.city_lon]), np.array([c.city_lat])))
        d_parent = np.full(nd, c.city_id, dtype=object)
    else:
        c.city_id = None
        d_parent = np.full(nd, None, dtype=object)
    parts += [
        _block(c.ids_d, c.names_d, "district", d_parent, c.d_pop, c.d_hh, c.d_lon, c.d_lat),
        _block(c.ids_s, c.names_s, "street", c.ids_d[c.st_d], c.s_pop, c.s_hh, c.s_lon, c.s_lat),
        _block(c.ids_c, c.names_c, "community", c.ids_s[c.c_s], c.c_pop, c.c_hh, c.c_lon, c.c_lat),
        _block(c.ids_g, c.names_g, "grid", c.ids_c[c.g_c], c.g_pop, c.g_hh, c.g_lon, c.g_lat),
        _block(c.ids_q, c.names_q, "compound", c.ids_g[c.q_g], c.q_pop, c.q_hh, c.q_lon, c.q_lat,
               (c.q_pm, c.q_sup, c.q_sec)),
        _block(c.ids_b, np.r_[c.names_rb, c.names_bb].astype(object), "building",
               np.r_[c.ids_q[c.b_q], c.ids_g[c.bb_g]].astype(object),
               np.r_[c.b_pop, np.zeros(nb, dtype=np.int64)], np.r_[c.b_hh, np.zeros(nb, dtype=np.int64)],
               np.r_[c.b_lon, c.bb_lon], np.r_[c.b_lat, c.bb_lat]),
    ]
    df = pd.concat(parts, ignore_index=True)
    isbb = np.r_[np.zeros(len(df) - nb, dtype=bool), np.ones(nb, dtype=bool)]
    df.loc[isbb, ["population", "households"]] = pd.NA
    return df
