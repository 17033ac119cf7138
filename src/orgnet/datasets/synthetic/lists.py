"""Stage 7, the three lists: demands, resources and projects (with two-way claiming).

Demands per community are heavy-tailed; resources are offered by agreement
holders and some unit organisations, with categories typical of their type;
exactly ``projects`` projects match a demand with a resource of the same
category (same street where one exists), ``two_way_share`` of the (community,
partner) pairs mirrored by a reverse project (双向认领). Draws from stream 7
(two-way claiming from stream 8).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ... import schema
from .draws import YEAR, cat, date, days_before, ids, pick_in_block, top_k
from .parameters import CATEGORIES, UNIT_TYPES, need

if TYPE_CHECKING:
    from .generator import City

__all__ = ["build"]

#: how often a community lists a demand of each category
_DEMAND_WEIGHT = dict(venue=0.10, volunteers=0.14, funding=0.08, training=0.07, medical=0.09, legal=0.06,
                      elderly_care=0.14, employment=0.10, culture_sports=0.10, education=0.07, other=0.05)
#: relative weight of each category among the resources a unit of each type offers (in CATEGORIES order)
_OFFERS = dict(
    agency=(3, 2, 1, 3, 1, 4, 1, 2, 2, 1, 1),
    state_enterprise=(3, 2, 4, 2, 1, 1, 1, 3, 2, 1, 1),
    public_institution=(3, 2, 1, 3, 5, 1, 2, 1, 2, 5, 1),
    private_enterprise=(1, 2, 4, 1, 1, 1, 1, 5, 1, 1, 1),
    social_organisation=(1, 5, 1, 2, 1, 1, 4, 1, 3, 2, 1),
    property_company=(2, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2),
    owners_committee=(1, 3, 1, 1, 1, 1, 1, 1, 2, 1, 1),
    other=(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2),
)
_CATEGORY_WORD = {c: a[0] for c, a in schema.VOCABULARIES["category"].values.items()}  # 场地, 志愿服务, ...
_CATEGORY_WORD["other"] = "综合"  # a "comprehensive" project rather than an "other" one


def build(c: City) -> None:
    """Fill ``c.dem_df``, ``c.res_df`` and ``c.proj_df``."""
    rng = c.rngs[7]
    d = _demands(c, rng)
    r = _resources(c, rng)
    pd_i, pr, pdays, done, value = _match(c, rng, d, r)
    # two-way claiming (双向认领): some of the projects are claimed the other way round
    keep, rev = _two_way(c.p["two_way_share"], c.rngs[8], d["comm"][pd_i], r["units"][pr], done, d["score"][pd_i])
    status = np.full(len(d["comm"]), "open", dtype=object)
    status[pd_i[keep & done]] = "met"
    d_ids, r_ids = ids("N", len(d["comm"])), ids("R", len(r["units"]))
    cats = np.array(CATEGORIES, dtype=object)
    c.dem_df = pd.DataFrame({"id": d_ids, "owner": d["owner"], "category": cats[d["cat"]],
                             "quantity": d["qty"].astype(float), "date": date(d["days"]), "status": status})
    c.res_df = pd.DataFrame({"id": r_ids, "owner": r["owner"], "category": cats[r["cat"]],
                             "capacity": r["cap"].astype(float), "lon": r["lon"], "lat": r["lat"],
                             "date": date(r["days"])})
    word = np.array([_CATEGORY_WORD[k] for k in CATEGORIES])
    dc, dcat = d["comm"][pd_i], d["cat"][pd_i]
    fwd = pd.DataFrame({
        "name": cat(c.names_c[dc].astype(str), word[dcat], "共建项目"), "demand": d_ids[pd_i],
        "resource": r_ids[pr], "owner": d["owner"][pd_i], "partner": r["owner"][pr], "date": date(pdays),
        "value": value, "status": np.where(done, "done", "planned").astype(object),
    })
    # a reverse project: the forward partner owns it, the community organisation is
    # its partner; done, dated between the forward project and as_of; no listed demand
    back = pd.DataFrame({
        "name": cat(c.names_c[dc[rev]].astype(str), "双向认领", word[dcat[rev]], "项目"),
        "demand": None, "resource": None,
        "owner": r["owner"][pr[rev]], "partner": c.org_c[dc[rev]].astype(object),
        "date": date(c.rngs[8].integers(0, pdays[rev] + 1)),
        "value": value[~keep], "status": "done",
    })
    c.proj_df = pd.concat([fwd[keep], back], ignore_index=True)
    c.proj_df.insert(0, "id", ids("P", len(c.proj_df)))


def _demands(c, rng) -> dict:
    """Demands: heavy-tailed per community, owned by the community organisation or a grid."""
    lam = c.p["demands_per_community"] * rng.lognormal(-0.3, 0.8, c.nc)
    dc = np.repeat(np.arange(c.nc), rng.poisson(lam))
    n = len(dc)
    owner_kind = rng.random(n)
    g_pick = pick_in_block(c.g_start_c, c.g_per_c, dc, rng)
    owner = np.where(owner_kind < 0.85, c.org_c[dc], c.ids_g[g_pick]).astype(object)
    cat_p = np.array([_DEMAND_WEIGHT[k] for k in CATEGORIES])
    dcat = rng.choice(len(CATEGORIES), size=n, p=cat_p / cat_p.sum())
    qty = 1 + rng.geometric(0.35, n) - 1
    return dict(comm=dc, owner=owner, cat=dcat, qty=qty, days=days_before(rng, n, 0, 2 * YEAR))


def _resources(c, rng) -> dict:
    """Resources: offered by agreement holders and some unit organisations, by type."""
    cb = c.cb_units
    ru = np.repeat(cb, rng.poisson(c.p["resources_per_unit"], len(cb)))
    own_i = np.flatnonzero(c.own)
    ro = own_i[rng.random(len(own_i)) < 0.05]
    units = np.r_[ru, ro]
    nr = len(units)
    pref = np.array([_OFFERS[t] for t in UNIT_TYPES], dtype=float)
    cdf = np.cumsum(pref / pref.sum(1, keepdims=True), axis=1)
    rcat = np.minimum((rng.random(nr)[:, None] > cdf[c.u_utype[units]]).sum(1), len(CATEGORIES) - 1)
    cap = 1 + rng.geometric(0.3, nr) - 1 + rng.integers(0, 3, nr)
    rdays = days_before(rng, nr, 0, 3 * YEAR)
    own_ll = rng.random(nr) < 0.1
    lon = np.where(own_ll, np.round(c.g_lon[c.u_grid[units]] + rng.normal(0, 0.002, nr), 6), np.nan)
    lat = np.where(own_ll, np.round(c.g_lat[c.u_grid[units]] + rng.normal(0, 0.002, nr), 6), np.nan)
    return dict(units=units, owner=np.r_[c.ids_u[ru], c.org_u[ro]].astype(object), cat=rcat, cap=cap,
                days=rdays, lon=lon, lat=lat)


def _match(c, rng, d, r):
    """Candidate projects: demands matched with a resource of the same category, same street if possible.

    Returns the demand and resource of each candidate, its date (days before
    as_of), whether it is done, and its value (yuan, some empty).
    """
    p, ns = c.p, c.ns
    n, nr = len(d["comm"]), len(r["units"])
    npj = p["projects"]
    if npj is None:
        npj = int(round(p["projects_per_community"] * c.nc))
    need(npj <= n, "projects", f"at most the demands generated ({n:,})", npj,
         "Raise demands_per_community or lower projects.")
    need(npj == 0 or nr > 0, "projects", "0 when no resources are listed", npj)
    d["score"] = rng.random(n)
    pd_i = np.flatnonzero(top_k(d["score"], int(npj)))
    dcat = d["cat"][pd_i]
    key_r = r["cat"].astype(np.int64) * (ns + 1) + c.u_street[r["units"]]
    order = np.argsort(key_r, kind="stable")
    ks = key_r[order]
    key_d = dcat.astype(np.int64) * (ns + 1) + c.c_s[d["comm"][pd_i]]
    lo, hi = np.searchsorted(ks, key_d, "left"), np.searchsorted(ks, key_d, "right")
    # fallback: the same category anywhere in the city (then any resource)
    cat_sorted = ks // (ns + 1)
    lo2, hi2 = np.searchsorted(cat_sorted, dcat, "left"), np.searchsorted(cat_sorted, dcat, "right")
    u = rng.random(len(pd_i))
    pick = np.where(hi > lo, lo + (u * (hi - lo)).astype(np.int64),
                    np.where(hi2 > lo2, lo2 + (u * (hi2 - lo2)).astype(np.int64),
                             (u * max(nr, 1)).astype(np.int64)))
    pick = np.minimum(pick, max(nr - 1, 0))
    pr = order[pick] if nr else pick
    pdays = np.maximum(0, np.minimum(d["days"][pd_i], r["days"][pr]) - rng.integers(0, 90, len(pd_i)))
    done = (pdays > 60) | (rng.random(len(pd_i)) < 0.3)
    value = np.round(rng.lognormal(math.log(5000), 1.0, len(pd_i)), -2)
    value = np.where(rng.random(len(pd_i)) < 0.2, np.nan, value)
    return pd_i, pr, pdays, done, value


def _two_way(share, rng, comm, partner, done, score):
    """Which forward projects to keep, and which kept ones to mirror the other way.

    ``comm``, ``partner``, ``done`` and ``score`` describe the candidate
    forward projects (community, partner unit). Keeps the ``m`` best-scored
    candidates and mirrors ``k = len(comm) - m`` of them, so the number of
    projects stays exact and ``k`` is ``share`` of the distinct (community,
    partner) pairs of the kept done projects (the largest ``m`` with
    ``m + round(share * pairs(m)) <= len(comm)``). Returns a boolean mask of
    kept candidates and the candidate index of each reverse project (a pair is
    mirrored once, unless more reverse projects than pairs are needed).
    """
    n = len(comm)
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(-score, kind="stable")] = np.arange(n)
    key = comm.astype(np.int64) * (int(partner.max(initial=0)) + 1) + partner

    def pairs(m):
        return np.unique(key[(rank < m) & done], return_index=True)

    def fits(m):
        return m + round(share * len(pairs(m)[0])) <= n

    lo, hi = 0, n  # fits(0) holds; find the largest m that fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid - 1)
    m = lo
    keep = rank < m
    k = n - m
    if k == 0:
        return keep, np.zeros(0, dtype=np.int64)
    first = np.flatnonzero((rank < m) & done)[pairs(m)[1]]  # one kept done project per pair
    if not len(first):  # pragma: no cover - only for a handful of projects and a share near 1
        return rank < n, np.zeros(0, dtype=np.int64)
    chosen = rng.permutation(first)[:k]
    extra = rng.choice(chosen, k - len(chosen)) if k > len(chosen) else np.zeros(0, dtype=np.int64)
    return keep, np.sort(np.r_[chosen, extra])
