"""Stage 4, organisations: territorial, industry, sector, unit and joint organisations.

City and district committees, street working committees, community
organisations (form by members), exactly ``grid_orgs`` grid branches or
groups, building groups, industry committees, one sector organisation per
cluster that has one, unit organisations of the units that have their own,
and community joint branches for the jointly covered units that no sector or
industry organisation covers. ``weak_share`` of the community, grid, unit and
joint organisations are weak, smaller ones more often. Draws from stream 3.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .draws import YEAR, cat, date, days_before, ordinal, rank_within, top_k
from .parameters import SECTORS, need
from .units import TYPE, names

if TYPE_CHECKING:
    from .generator import City

__all__ = ["build"]


class _Ledger:
    """The organisations table, appended block by block with consecutive ids O0000001, ..."""

    def __init__(self):
        self.rows: list[pd.DataFrame] = []
        self.n = 0

    def add(self, names_, form, scope, parent, area, unit, members, est_days, status=None) -> np.ndarray:
        n = len(names_)
        ids = np.char.add("O", np.char.zfill(np.arange(self.n + 1, self.n + n + 1).astype(str), 7)).astype(object)
        self.n += n
        self.rows.append(pd.DataFrame({
            "id": ids, "name": np.asarray(names_, dtype=object), "form": form, "scope": scope,
            "parent": parent, "area": area, "unit": unit,
            "members": pd.array(members, dtype="Int64"),
            "established": date(est_days),
            "status": status if status is not None else np.full(n, "normal", dtype=object),
        }))
        return ids


def _none(n) -> np.ndarray:
    return np.full(n, None, dtype=object)


def _weak(rng, members, share):
    """(weak mask, ``status`` column): ``share`` of the organisations weak, smaller ones more often."""
    weak = top_k(-np.log(members) + rng.gumbel(size=len(members)), int(round(share * len(members))))
    return weak, np.where(weak, "weak", "normal").astype(object)


def _form(members, thresholds=(100, 50)):
    """Form and name suffix by members: 党委 >= 100, 党总支 >= 50, else 党支部."""
    hi, mid = thresholds
    form = np.where(members >= hi, "committee", np.where(members >= mid, "general_branch", "branch"))
    suffix = np.where(members >= hi, "党委", np.where(members >= mid, "党总支", "党支部"))
    return form, suffix


def build(c: City) -> None:
    """Fill ``c.org_df`` (the organisations table) and the organisation of each area, unit and cluster."""
    rng, led = c.rngs[3], _Ledger()
    _territorial(c, rng, led)
    _grid_orgs(c, rng, led)
    _building_groups(c, rng, led)
    industry = _industry(c, rng, led)
    _sector_orgs(c, rng, led)
    _unit_orgs(c, rng, led)
    _joint_cover(c, rng, led, *industry)
    df = pd.concat(led.rows, ignore_index=True)
    c.org_est = pd.Series(df["established"].to_numpy(), index=df["id"].to_numpy())
    c.org_df = df


def _territorial(c, rng, led) -> None:
    """City and district committees, street working committees, community organisations."""
    p, nd, ns, nc = c.p, c.nd, c.ns, c.nc
    na = _none(1)
    if c.city_id is not None:
        c.org_city = led.add([f"中共{p['city_name']}市委员会"], "committee", "territorial", na,
                             np.array([c.city_id], dtype=object), na, [pd.NA], [int(YEAR * 35)])[0]
    else:
        c.org_city = None
    c.org_d = led.add(cat("中共", c.names_d.astype(str), "委员会"), "committee", "territorial",
                      np.full(nd, c.org_city, dtype=object), c.ids_d, _none(nd),
                      np.full(nd, pd.NA), days_before(rng, nd, 20 * YEAR, 35 * YEAR))
    s_mem = rng.lognormal(math.log(45), 0.4, ns).astype(np.int64)
    c.org_s = led.add(cat(c.names_s.astype(str), "党工委"), "committee", "territorial",
                      c.org_d[c.st_d], c.ids_s, _none(ns), s_mem, days_before(rng, ns, 8 * YEAR, 30 * YEAR))
    c_mem = np.maximum(3, rng.lognormal(math.log(90), 0.6, nc) * (c.c_pop / c.c_pop.mean()) ** 0.5).astype(np.int64)
    c.c_form, c_suffix = _form(c_mem)
    c.c_weak, status = _weak(rng, c_mem, p["weak_share"])
    c.org_c = led.add(cat(c.names_c.astype(str), c_suffix), c.c_form, "territorial", c.org_s[c.c_s],
                      c.ids_c, _none(nc), c_mem, days_before(rng, nc, 3 * YEAR, 25 * YEAR), status)


def _grid_orgs(c, rng, led) -> None:
    """Exactly ``grid_orgs`` grid branches or groups, populous grids first."""
    p, ng = c.p, c.ng
    n_go = p["grid_orgs"]
    if n_go is None:
        n_go = int(round(p["grid_org_share"] * ng))
    need(n_go <= ng, "grid_orgs", f"at most grids ({ng:,})", n_go,
         "Set grid_orgs=None to derive it from grid_org_share.")
    gi = np.flatnonzero(top_k(np.log(c.g_pop + 10) + rng.gumbel(size=ng), int(n_go)))
    g_mem = np.maximum(3, rng.lognormal(math.log(14), 0.6, len(gi))).astype(np.int64)
    _, status = _weak(rng, g_mem, p["weak_share"])
    gids = led.add(cat(c.names_g[gi].astype(str), np.where(g_mem < 6, "党小组", "党支部")),
                   np.where(g_mem < 6, "group", "branch"), "territorial", c.org_c[c.g_c[gi]], c.ids_g[gi],
                   _none(len(gi)), g_mem, days_before(rng, len(gi), 200, 9 * YEAR), status)
    c.org_g = _none(ng)
    c.org_g[gi] = gids


def _building_groups(c, rng, led) -> None:
    """Party groups (楼栋党小组) in ``building_group_share`` of the listed residential buildings."""
    bi = np.flatnonzero(rng.random(len(c.b_q)) < c.p["building_group_share"])
    b_grid = c.b_g[bi]
    parent = np.where(pd.isna(c.org_g[b_grid]), c.org_c[c.g_c[b_grid]], c.org_g[b_grid])
    led.add(cat(c.names_rb[bi].astype(str), "党小组"), "group", "territorial", parent.astype(object),
            c.ids_rb[bi], _none(len(bi)), np.maximum(3, rng.poisson(5, len(bi))),
            days_before(rng, len(bi), 100, 6 * YEAR))


def _industry(c, rng, led):
    """Industry committees: per district (property, social organisations) and the city's internet one."""
    p, nd = c.p, c.nd
    d_prop = led.add(cat(c.names_d.astype(str), "物业行业党委"), "committee", "industry", c.org_d,
                     c.ids_d, _none(nd), rng.integers(20, 80, nd), days_before(rng, nd, 2 * YEAR, 8 * YEAR))
    d_so = led.add(cat(c.names_d.astype(str), "社会组织综合党委"), "committee", "industry", c.org_d,
                   c.ids_d, _none(nd), rng.integers(20, 80, nd), days_before(rng, nd, 2 * YEAR, 8 * YEAR))
    city = c.city_id is not None
    top_org = c.org_city if city else c.org_d[0]
    top_area = c.city_id if city else c.ids_d[0]
    inet = led.add([f"{p['city_name']}互联网行业党委"], "committee", "industry", np.array([top_org], dtype=object),
                   np.array([top_area], dtype=object), _none(1), [int(rng.integers(30, 120))],
                   [int(rng.integers(YEAR, 6 * YEAR))])[0]
    return d_prop, d_so, inet


def _sector_orgs(c, rng, led) -> None:
    """One sector organisation per cluster that has one (a business building's is its committee)."""
    ci = np.flatnonzero(c.cl_has_org)
    k = c.cl_kind[ci]
    in_cl = c.u_cluster >= 0
    n_units = np.bincount(c.u_cluster[in_cl], minlength=c.ncl)[ci]
    form = np.where(k == 1, "committee", _form(n_units, (30, 12))[0])
    suffix = np.where(form == "committee", "党委", np.where(form == "general_branch", "党总支", "党支部"))
    area = np.where(k == 0, c.ids_bb[np.minimum(ci, len(c.ids_bb) - 1)] if len(c.ids_bb) else None,
                    c.ids_g[c.cl_g[ci]]).astype(object)
    members = np.bincount(c.u_cluster[in_cl], c.u_pmem[in_cl], minlength=c.ncl)[ci].astype(np.int64) + 3
    sec_ids = led.add(cat(c.cl_names[ci].astype(str), suffix), form, "sector",
                      c.org_s[c.c_s[c.g_c[c.cl_g[ci]]]], area, _none(len(ci)), members,
                      days_before(rng, len(ci), 100, 10 * YEAR))
    c.cl_org = _none(c.ncl)
    c.cl_org[ci] = sec_ids


def _unit_orgs(c, rng, led) -> None:
    """The organisations of units with their own, led by the district, the city, their cluster's
    sector organisation, or the community / street."""
    ui = np.flatnonzero(c.own)
    m = c.u_pmem[ui]
    form, suffix = _form(m)
    t = c.u_utype[ui]
    cl = c.u_cluster[ui]
    parent = np.where(rng.random(len(ui)) < 0.5, c.org_c[c.u_comm[ui]], c.org_s[c.u_street[ui]])
    in_cl = cl >= 0
    cl_org = np.where(in_cl, c.cl_org[np.maximum(cl, 0)], None)
    parent = np.where(in_cl & pd.notna(cl_org), cl_org, parent)
    district = c.org_d[c.u_district[ui]]
    parent = np.where(np.isin(t, (TYPE["agency"], TYPE["public_institution"])), district, parent)
    parent = np.where(t == TYPE["state_enterprise"], c.org_city if c.city_id is not None else district, parent)
    _, status = _weak(rng, m, c.p["weak_share"])
    c.unit_names = names(c)
    uids = led.add(cat(c.unit_names[ui].astype(str), suffix), form, "unit", parent.astype(object),
                   c.u_area_id[ui], c.ids_u[ui], m, days_before(rng, len(ui), 30, 30 * YEAR), status)
    c.org_u = _none(c.nu)
    c.org_u[ui] = uids


def _joint_cover(c, rng, led, d_prop, d_so, inet) -> None:
    """Who covers each jointly covered unit: its cluster's sector organisation, the internet,
    property or social-organisation industry committee, else a community joint branch."""
    ji = np.flatnonzero(c.joint)
    cover = _none(len(ji))
    jt = c.u_utype[ji]
    jcl = c.u_cluster[ji]
    jin = jcl >= 0
    cover[jin] = c.cl_org[jcl[jin]]
    cover[(c.u_sector[ji] == SECTORS.index("internet"))] = inet
    free = pd.isna(cover)
    prop = free & (jt == TYPE["property_company"])
    cover[prop] = d_prop[c.u_district[ji[prop]]]
    soc = free & (jt == TYPE["social_organisation"]) & (rng.random(len(ji)) < 0.5)
    cover[soc] = d_so[c.u_district[ji[soc]]]
    rest = np.flatnonzero(pd.isna(cover))
    if len(rest):
        cover[rest] = _joint_branches(c, rng, led, ji[rest])
    c.cover_org = cover
    c.joint_idx = ji


def _joint_branches(c, rng, led, units) -> np.ndarray:
    """Community joint branches (联合党支部) of ~``joint_chunk`` units each; the branch of each unit."""
    comm = c.u_comm[units]
    rank = rank_within(comm, rng.random(len(units)))
    chunk_size = np.maximum(2, rng.poisson(c.p["joint_chunk"], c.nc))
    chunk = rank // chunk_size[comm]
    width = int(chunk.max()) + 1
    uniq, inv = np.unique(comm.astype(np.int64) * width + chunk, return_inverse=True)
    j_comm, j_chunk = uniq // width, uniq % width
    j_mem = np.bincount(inv, c.u_pmem[units], minlength=len(uniq)).astype(np.int64) + rng.integers(1, 4, len(uniq))
    j_form = np.where(j_mem >= 50, "general_branch", "branch")
    kind = np.where(rng.random(len(uniq)) < 0.6, "非公企业联合", "综合联合")
    nj = len(uniq)
    _, status = _weak(rng, j_mem, c.p["weak_share"])
    jids = led.add(cat(c.names_c[j_comm].astype(str), kind, "第", ordinal(j_chunk + 1),
                       np.where(j_form == "branch", "党支部", "党总支")),
                   j_form, "joint", c.org_c[j_comm], c.ids_c[j_comm], _none(nj),
                   j_mem, days_before(rng, nj, 100, 12 * YEAR), status)
    return jids[inv]
