"""Stage 2, units: types, emerging sectors, clusters, locations, staff and members.

Types by ``unit_mix`` (exact counts); emerging-sector units drawn from private
enterprises (and some social organisations) and clustered in business
buildings, parks and markets; the others in grids with a heavy-tailed
community attraction; owners' committees in managed compounds. The ledger is
ordered by grid. Draws from stream 1; names (:func:`names`) from stream 4.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import words as w
from .draws import allocate, cat, ids, jitter, pick
from .parameters import SECTORS, UNIT_TYPES, need

if TYPE_CHECKING:
    from .generator import City

__all__ = ["build", "names", "TYPE"]

#: unit type -> its index in UNIT_TYPES (the codes the stages use)
TYPE = {t: i for i, t in enumerate(UNIT_TYPES)}
_CLUSTER_KNOBS = ("business_buildings", "parks", "markets")  # one per clustered sector, in SECTORS order
_SPREAD_KM = (0.0, 0.35, 0.12)  # how far units lie from their park / market (buildings: inside)


def build(c: City) -> None:
    """Fill ``c`` with the units (arrays ``c.u_*`` in ledger order, ``c.ids_u``)."""
    rng = c.rngs[1]
    u = {"utype": _types(c), "lon": np.full(c.p["units"], np.nan), "lat": np.full(c.p["units"], np.nan)}
    u["sector"] = _sectors(c, rng, u["utype"])
    _clusters(c, rng, u)
    _locate(c, rng, u)
    _sizes(c, rng, u)
    # order the ledger geographically (by grid), ties broken at random
    order = np.lexsort((rng.random(c.nu), u["grid"]))
    for name, arr in u.items():
        setattr(c, "u_" + name, arr[order])
    c.u_comm = c.g_c[c.u_grid]
    c.u_street = c.c_s[c.u_comm]
    c.u_district = c.st_d[c.u_street]
    c.ids_u = ids("U", c.nu)
    c.u_area_id = _area_ids(c)


def _types(c) -> np.ndarray:
    c.nu = nu = c.p["units"]
    counts = allocate(nu, np.array([c.p["unit_mix"][t] for t in UNIT_TYPES], dtype=float), 0)
    return np.repeat(np.arange(len(UNIT_TYPES)), counts)


def _sectors(c, rng, utype) -> np.ndarray:
    """Sector per unit (-1: none): exact counts from private enterprises and social organisations."""
    p = c.p
    sector = np.full(c.nu, -1, dtype=np.int64)
    pe = np.flatnonzero(utype == TYPE["private_enterprise"])
    so = np.flatnonzero(utype == TYPE["social_organisation"])
    pe = pe[rng.permutation(len(pe))]
    so = so[rng.permutation(len(so))]
    ip, iso = 0, 0
    for k, s in enumerate(SECTORS):
        n = int(p["sector_units"][s])
        n_so = 0 if s == "internet" else int(round(p["sector_social_share"] * n))
        n_so = min(n_so, len(so) - iso)
        n_pe = n - n_so
        need(ip + n_pe <= len(pe), "sector_units",
             f"at most the private enterprises available ({len(pe):,} in total)", p["sector_units"])
        sector[pe[ip: ip + n_pe]] = k
        sector[so[iso: iso + n_so]] = k
        ip += n_pe
        iso += n_so
    return sector


def _clusters(c, rng, u) -> None:
    """Business buildings, parks and markets, and the sector units clustered in them."""
    p, ng, nu = c.p, c.ng, c.nu
    u["grid"] = np.full(nu, -1, dtype=np.int64)
    u["area_kind"] = np.zeros(nu, dtype=np.int64)  # 0 grid, 1 business building, 2 compound
    u["area_ref"] = np.full(nu, -1, dtype=np.int64)
    u["cluster"] = np.full(nu, -1, dtype=np.int64)  # global cluster index
    g_w = c.c_attr[c.g_c] * (c.g_pop + 50) / (c.c_pop[c.g_c] + 50)
    c.g_p = g_w / g_w.sum()
    nb, npk, nm = (p[k] for k in _CLUSTER_KNOBS)
    park_w = c.street_size[c.c_s[c.g_c]] ** 2
    pk_g = rng.choice(ng, size=npk, p=park_w / park_w.sum()) if npk else np.zeros(0, dtype=np.int64)
    mk_g = rng.choice(ng, size=nm, p=c.g_p) if nm else np.zeros(0, dtype=np.int64)
    pk_lon, pk_lat = jitter(c.g_lon[pk_g], c.g_lat[pk_g], 0.3, rng)
    mk_lon, mk_lat = jitter(c.g_lon[mk_g], c.g_lat[mk_g], 0.2, rng)
    c.cl_g = np.r_[c.bb_g, pk_g, mk_g].astype(np.int64)
    c.cl_kind = np.r_[np.zeros(nb), np.ones(npk), np.full(nm, 2)].astype(np.int64)
    c.cl_lon = np.r_[c.bb_lon, pk_lon, mk_lon]
    c.cl_lat = np.r_[c.bb_lat, pk_lat, mk_lat]
    c.ncl = len(c.cl_g)
    for k, (ncl, off) in enumerate(zip((nb, npk, nm), (0, nb, nb + npk))):
        _fill_cluster(c, rng, u, k, ncl, off)
    c.cl_names = np.r_[
        c.names_bb.astype(str),
        cat(p["city_name"], pick(rng, w.PLACE, npk), pick(rng, w.PARK_SUFFIX, npk)).astype(str),
        cat(pick(rng, w.PLACE, nm), pick(rng, w.MARKET_SUFFIX, nm)).astype(str),
    ].astype(object)


def _fill_cluster(c, rng, u, k, ncl, off) -> None:
    """The units of sector ``k`` spread over its ``ncl`` clusters (heavy-tailed sizes)."""
    members = np.flatnonzero(u["sector"] == k)
    if not len(members):
        return
    need(ncl > 0, _CLUSTER_KNOBS[k], f">= 1 when sector_units[{SECTORS[k]!r}] > 0", ncl)
    sizes = allocate(len(members), rng.lognormal(0, 1.0, ncl), 0)
    which = np.repeat(np.arange(ncl), sizes) + off
    members = members[rng.permutation(len(members))]
    u["cluster"][members] = which
    u["grid"][members] = c.cl_g[which]
    if k == 0:
        u["area_kind"][members] = 1
        u["area_ref"][members] = which  # business building index
    else:
        u["lon"][members], u["lat"][members] = jitter(c.cl_lon[which], c.cl_lat[which], _SPREAD_KM[k], rng)


def _locate(c, rng, u) -> None:
    """Grids of the other units, and their own coordinates (most near their grid's centre)."""
    p, ng, nu = c.p, c.ng, c.nu
    grid, area_kind, area_ref, lon, lat = (u[k] for k in ("grid", "area_kind", "area_ref", "lon", "lat"))
    # internet firms sit in central grids
    inet = np.flatnonzero(u["sector"] == SECTORS.index("internet"))
    w2 = c.g_p ** 1.5
    grid[inet] = rng.choice(ng, size=len(inet), p=w2 / w2.sum())
    # owners' committees sit in compounds with property management
    oc = np.flatnonzero(u["utype"] == TYPE["owners_committee"])
    elig = np.flatnonzero(c.q_pm_base)
    need(len(oc) <= len(elig), "unit_mix", "a mix with fewer owners' committees than managed compounds",
         p["unit_mix"])
    qsel = elig[rng.permutation(len(elig))[: len(oc)]]
    grid[oc] = c.q_g[qsel]
    area_kind[oc] = 2
    area_ref[oc] = qsel
    rest = np.flatnonzero(grid < 0)
    grid[rest] = rng.choice(ng, size=len(rest), p=c.g_p)
    # own coordinates near the grid centre, except in business buildings (default: the building)
    free = np.isnan(lon) & (area_kind != 1)
    lo, la = jitter(c.g_lon[grid], c.g_lat[grid], 1.0, rng)
    lo = c.g_lon[grid] + (lo - c.g_lon[grid]) * c.g_rad[grid]
    la = c.g_lat[grid] + (la - c.g_lat[grid]) * c.g_rad[grid]
    q = area_kind == 2
    lo[q], la[q] = jitter(c.q_lon[area_ref[q]], c.q_lat[area_ref[q]], 0.05, rng)
    lon[free], lat[free] = lo[free], la[free]
    nocoord = (rng.random(nu) >= p["unit_coords_share"]) & free
    lon[nocoord], lat[nocoord] = np.nan, np.nan


def _sizes(c, rng, u) -> None:
    """Heavy-tailed staff per type; formal members from heterogeneous unit rates."""
    p, utype = c.p, u["utype"]
    med = np.array([p["employees_median"][t] for t in UNIT_TYPES], dtype=float)
    sig = np.array([p["employees_sigma"][t] for t in UNIT_TYPES], dtype=float)
    emp = rng.lognormal(np.log(np.maximum(med[utype], 0.5)), sig[utype])
    emp = emp * np.where(u["sector"] == SECTORS.index("park"), 2.0, 1.0)
    u["emp"] = np.maximum(1, np.round(emp)).astype(np.int64)
    rate = np.array([p["member_rate"][t] for t in UNIT_TYPES])[utype] * rng.lognormal(-0.3, 0.8, c.nu)
    u["pmem"] = rng.binomial(u["emp"], np.clip(rate, 0, 0.95)).astype(np.int64)


def _area_ids(c) -> np.ndarray:
    """Area of each unit: its grid, business building or (owners' committees) compound."""
    a = c.ids_g[c.u_grid].copy()
    k1 = c.u_area_kind == 1
    a[k1] = c.ids_bb[c.u_area_ref[k1]]
    k2 = c.u_area_kind == 2
    a[k2] = c.ids_q[c.u_area_ref[k2]]
    return a


def names(c) -> np.ndarray:
    """A Chinese name per unit, by type (stream 4)."""
    rng, nu, t = c.rngs[4], c.nu, c.u_utype
    city = c.p["city_name"]
    d_name = c.names_d[c.u_district].astype(str)
    place = pick(rng, w.PLACE, nu)
    out = np.empty(nu, dtype=object)

    def put(typ, names_):
        idx = np.flatnonzero(t == TYPE[typ])
        out[idx] = names_[idx] if len(names_) == nu else names_

    put("private_enterprise", cat(city, pick(rng, w.BRAND, nu), pick(rng, w.INDUSTRY, nu), pick(rng, w.CO_SUFFIX, nu)))
    put("social_organisation", cat(d_name, pick(rng, w.SO_THEME, nu), pick(rng, w.SO_KIND, nu)))
    put("agency", cat(d_name, pick(rng, w.AGENCY, nu)))
    put("state_enterprise", cat(city, pick(rng, w.SOE, nu)))
    put("public_institution", cat(d_name, place, pick(rng, w.PI, nu)))
    put("property_company", cat(city, pick(rng, w.BRAND, nu), "物业管理有限公司"))
    oc = np.flatnonzero(t == TYPE["owners_committee"])
    out[oc] = cat(c.names_q[c.u_area_ref[oc]].astype(str), "业主委员会")
    put("other", cat(place, pick(rng, w.OTHER, nu)))
    return out
