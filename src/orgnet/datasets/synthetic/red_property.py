"""Stage 9, red property (红色物业, 三方共治): property companies, owners' committees, community organisations.

Runs last, only with the knob ``red_property`` (default False in every preset),
and draws from one new stream spawned after the activity layer's (so every
other table, and every table at all with the knob off, is unchanged):

- **manages ties** (物业服务): exactly ``red_manages_share`` of the compounds
  whose ``property_management`` flag is set (after any campaign) get one
  ``manages`` tie from a property company to the compound, started up to six
  years before ``as_of``. The company is drawn among the property companies
  located nearest the compound: in the compound itself, else in its grid,
  its community, its street, its district, else anywhere in the city (the
  generator places property companies in grids, so in practice the grid or
  the community).
- **owners' committees at half Party members** (业委会党员比例不少于50%):
  ``red_committee_party_share`` of the owners'-committee units (drawn at
  random, those already at half counted first) get ``party_members`` raised
  to ``ceil(employees / 2)``; only the ``party_members`` column of those
  units changes. The share is at least the committees already at half.
- **complete triads** (三方共治): ``red_triad_share`` of the compounds with all
  three parties (a community organisation, an owners' committee and a
  ``manages`` tie) get the three ``pairing`` ties community organisation -
  owners' committee, community organisation - property company, owners'
  committee - property company (note ``三方共治``).

:func:`orgnet.coverage.property_triads` reads these back; the calibration rows
use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .draws import YEAR, date, days_before, top_k
from .ties import tie
from .units import TYPE

if TYPE_CHECKING:
    from .generator import City

__all__ = ["build", "STREAMS"]

#: random streams of this stage, spawned after the activity layer's
STREAMS = 1


def build(c: City, tables: dict[str, pd.DataFrame], rng: np.random.Generator) -> None:
    """Add the red-property ties to ``tables["ties"]`` and update ``tables["units"]`` (knob on only)."""
    if not c.p["red_property"]:
        return
    p = c.p
    kept, c.ties = c.ties, []  # tie() appends blocks to c.ties: collect this stage's apart
    pm = np.asarray(c.q_pm, dtype=bool)
    managed = np.flatnonzero(pm)
    k = int(round(p["red_manages_share"] * len(managed)))
    qm = np.sort(managed[top_k(rng.random(len(managed)), k)])
    company = _companies(c, qm, rng)
    ok = company >= 0
    qm, company = qm[ok], company[ok]
    start = date(days_before(rng, len(qm), 30, 6 * YEAR))
    tie(c, c.ids_u[company], c.ids_q[qm], "manages", start, note=np.full(len(qm), "物业服务", dtype=object))
    # owners' committees
    oc = np.flatnonzero(c.u_utype == TYPE["owners_committee"])
    pmem = c.u_pmem.copy()
    emp = c.u_emp[oc]
    half = -(-emp // 2)  # ceil(employees / 2)
    met = pmem[oc] >= half
    k_oc = int(round(p["red_committee_party_share"] * len(oc)))
    raise_n = max(0, k_oc - int(met.sum()))
    score = rng.random(len(oc)) - 2.0 * met  # those not yet at half, at random
    up = oc[top_k(score, raise_n)]
    pmem[up] = np.maximum(pmem[up], -(-c.u_emp[up] // 2))
    c.u_pmem_red = pmem
    # complete triads among the compounds with all three parties
    q_company = np.full(c.nq, -1, dtype=np.int64)
    q_company[qm] = company
    q_oc = np.full(c.nq, -1, dtype=np.int64)
    q_oc[c.u_area_ref[oc]] = oc
    org_c = c.org_c[c.g_c[c.q_g]]
    full = np.flatnonzero((q_company >= 0) & (q_oc >= 0) & pd.notna(org_c))
    kt = int(round(p["red_triad_share"] * len(full)))
    tri = np.sort(full[top_k(rng.random(len(full)), kt)])
    n = len(tri)
    org, com, comp = org_c[tri], c.ids_u[q_oc[tri]], c.ids_u[q_company[tri]]
    note = np.full(3 * n, "三方共治", dtype=object)
    tie(c, np.r_[org, org, com], np.r_[com, comp, comp], "pairing",
        date(np.tile(days_before(rng, n, 30, 3 * YEAR), 3)), note=note)
    blocks, c.ties = c.ties, kept + c.ties
    new = pd.concat([tables["ties"]] + blocks, ignore_index=True)
    new["count"] = new["count"].astype("Int64")
    tables["ties"] = new
    units = tables["units"].copy()
    units["party_members"] = pmem
    tables["units"] = units


def _companies(c, q, rng) -> np.ndarray:
    """A property company (unit position; -1: none in the city) for each compound ``q``, drawn among
    those located in the compound, else its grid, community, street, district, else the city."""
    pc = np.flatnonzero(c.u_utype == TYPE["property_company"])
    out = np.full(len(q), -1, dtype=np.int64)
    if not len(pc):
        return out
    q_grid = c.q_g[q]
    q_comm = c.g_c[q_grid]
    q_street = c.c_s[q_comm]
    in_q = c.u_area_kind[pc] == 2
    levels = [
        (np.where(in_q, c.u_area_ref[pc], -1), q),
        (c.u_grid[pc], q_grid),
        (c.u_comm[pc], q_comm),
        (c.u_street[pc], q_street),
        (c.u_district[pc], c.st_d[q_street]),
        (np.zeros(len(pc), dtype=np.int64), np.zeros(len(q), dtype=np.int64)),
    ]
    u = rng.random(len(q))
    for key, qkey in levels:
        todo = out < 0
        if not todo.any():
            break
        ok = key >= 0
        keys, comp = key[ok], pc[ok]
        order = np.argsort(keys, kind="stable")
        keys, comp = keys[order], comp[order]
        lo = np.searchsorted(keys, qkey, side="left")
        hi = np.searchsorted(keys, qkey, side="right")
        has = todo & (hi > lo)
        pick = lo[has] + np.minimum((u[has] * (hi[has] - lo[has])).astype(np.int64), hi[has] - lo[has] - 1)
        out[has] = comp[pick]
    return out
