"""Stage 6, ties: every kind of :data:`orgnet.schema.TIE_KINDS`, with dates and counts.

Co-building agreements (exactly ``co_building_units`` holders, second
agreements, terms, renewals, lapsed ones) and their activity records
(``dormant_share`` of the active agreements without a recent one),
part-time members of the big committees, dual reporting, pairing, joint
conferences, whistle-and-report, instructors and backstop, and the ``covers``
ties of joint coverage. Draws from stream 6.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ... import schema
from .draws import AS_OF64, YEAR, date, days_before, pick_in_block, top_k
from .parameters import PUBLIC_SECTOR, UNIT_TYPES, need
from .units import TYPE

if TYPE_CHECKING:
    from .generator import City

__all__ = ["build", "tie"]

#: propensity to sign a co-building agreement, by unit type (plus half the log staff)
_CO_BUILDING_WEIGHT = dict(agency=3.0, state_enterprise=2.5, public_institution=1.5, private_enterprise=0.0,
                           social_organisation=0.3, property_company=0.5, owners_committee=-1.5, other=-0.5)
#: propensity to sit in a joint conference, by unit type (plus 0.6 × the log staff)
_CONFERENCE_WEIGHT = dict(agency=3.0, state_enterprise=2.5, public_institution=1.5, private_enterprise=0.5,
                          social_organisation=0.5, property_company=0.8, owners_committee=-1.0, other=-1.0)
_PUBLIC = tuple(TYPE[t] for t in PUBLIC_SECTOR)


def tie(c, source, target, kind, start, end=None, count=None, note=None) -> None:
    """Append a block of ties of one ``kind`` to ``c.ties`` (empty blocks are skipped)."""
    n = len(source)
    if n == 0:
        return
    assert kind in schema.TIE_KINDS, kind
    c.ties.append(pd.DataFrame({
        "source": np.asarray(source, dtype=object), "target": np.asarray(target, dtype=object),
        "kind": kind, "start": start,
        "end": end if end is not None else np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"),
        "count": np.asarray(count if count is not None else np.ones(n), dtype=np.int64),
        "note": np.asarray(note, dtype=object) if note is not None else np.full(n, None, dtype=object),
    }))


def _notes(text, n) -> np.ndarray:
    return np.full(n, text, dtype=object)


def build(c: City) -> None:
    """Fill ``c.ties`` (blocks of the ties table) and ``c.cb_units`` (the agreement holders)."""
    rng = c.rngs[6]
    c.comm_org, c.street_org = c.org_c[c.u_comm], c.org_s[c.u_street]
    ag = _co_building(c, rng)
    _activities(c, rng, ag)
    _part_time_members(c, rng, ag)
    _dual_report(c, rng)
    _pairing(c, rng)
    _joint_conferences(c, rng)
    _whistle(c, rng)
    _work(c, rng)
    _covers(c, rng)


def _co_building(c, rng) -> dict:
    """Agreements: holders, second agreements, terms, renewals and lapsed ones."""
    p, nu, ids_u, comm_org, street_org = c.p, c.nu, c.ids_u, c.comm_org, c.street_org
    k = p["co_building_units"]
    if k is None:
        k = int(round(p["co_building_share"] * nu))
    need(k <= nu, "co_building_units", f"at most units ({nu:,})", k)
    tw = np.array([_CO_BUILDING_WEIGHT[t] for t in UNIT_TYPES])
    cb_score = tw[c.u_utype] + 0.5 * np.log(c.u_emp) + rng.gumbel(size=nu)
    cb = np.flatnonzero(top_k(cb_score, int(k)))
    to_street = rng.random(len(cb)) < p["co_building_street_share"]
    tgt = np.where(to_street, street_org[cb], comm_org[cb])
    # second agreements: the other level, or another community of the street
    n_multi = int(round(p["co_building_multi_share"] * len(cb)))
    multi = cb[top_k(cb_score[cb] + rng.gumbel(size=len(cb)), n_multi)]
    other_comm = pick_in_block(c.c_start_s, c.c_per_s, c.u_street[multi], rng)
    alt = np.where(other_comm == c.u_comm[multi], street_org[multi], c.org_c[other_comm])
    first_tgt = pd.Series(tgt, index=cb).loc[multi].to_numpy()
    alt = np.where(alt == first_tgt, np.where(alt == street_org[multi], comm_org[multi], street_org[multi]), alt)
    ag = dict(cb=cb, score=cb_score, tgt=tgt, src=np.r_[ids_u[cb], ids_u[multi]], to=np.r_[tgt, alt],
              unit=np.r_[cb, multi])
    n_a = len(ag["src"])
    start_d = days_before(rng, n_a, 20, 10 * YEAR)
    term = rng.random(n_a) < 0.3
    end_d = start_d - 3 * YEAR  # days before as_of of the end of a 3-year term
    has_end = term & (end_d < 0)  # a term ending in the future keeps the agreement active
    end = np.where(has_end, date(end_d), np.datetime64("NaT"))
    tie(c, ag["src"], ag["to"], "co_building", date(start_d), end.astype("datetime64[ns]"), None,
        np.where(has_end, "三年期协议", None))
    # renewed agreements: an earlier one that ended
    ren = np.flatnonzero((start_d < 6 * YEAR) & (rng.random(n_a) < 0.2))
    r_end = start_d[ren] + rng.integers(1, 60, len(ren))
    tie(c, ag["src"][ren], ag["to"][ren], "co_building", date(r_end + 3 * YEAR), date(r_end), None,
        _notes("到期续签", len(ren)))
    # lapsed agreements of units holding none now
    not_cb = np.setdiff1d(np.arange(nu), cb)
    n_l = min(len(not_cb), int(round(p["lapsed_share"] * len(cb))))
    lap = not_cb[top_k(cb_score[not_cb] + rng.gumbel(size=len(not_cb)), n_l)]
    l_end = days_before(rng, n_l, 30, 4 * YEAR)
    l_start = l_end + rng.integers(YEAR, 4 * YEAR, n_l)
    tie(c, ids_u[lap], comm_org[lap], "co_building", date(l_start), date(l_end), None, _notes("协议终止", n_l))
    ag["start"] = start_d
    c.cb_units = cb
    return ag


def _activities(c, rng, ag) -> None:
    """A recent record for all but ``dormant_share`` of the agreements; yearly history for all."""
    src, to, start_d = ag["src"], ag["to"], ag["start"]
    n_a = len(src)
    n_dorm = int(round(c.p["dormant_share"] * n_a))
    dorm = top_k(rng.random(n_a) + 0.3 * (c.u_utype[ag["unit"]] == TYPE["private_enterprise"]), n_dorm)
    live = np.flatnonzero(~dorm)
    rec = np.minimum(rng.integers(0, 330, len(live)), start_d[live])
    tie(c, src[live], to[live], "activity", date(rec), None, 1 + rng.geometric(0.25, len(live)))
    years = np.minimum(start_d // YEAR, c.p["activity_years"])
    years = np.where(dorm & (rng.random(n_a) < 0.5), 0, years)
    hi = np.repeat(np.arange(n_a), years)
    kth = np.arange(len(hi)) - np.repeat(np.cumsum(years) - years, years) + 1
    h_days = kth * YEAR + rng.integers(35, 300, len(hi))
    ok = h_days <= start_d[hi]
    hi, h_days = hi[ok], h_days[ok]
    tie(c, src[hi], to[hi], "activity", date(h_days), None, 1 + rng.geometric(0.3, len(hi)))


def _part_time_members(c, rng, ag) -> None:
    """Agreement holders (or their organisations) on the big committee they signed with."""
    cb, tgt = ag["cb"], ag["tgt"]
    unit_or_org = np.where(pd.isna(c.org_u), c.ids_u, c.org_u)
    n_pt = int(round(c.p["part_time_share"] * len(cb)))
    pt = np.flatnonzero(top_k(ag["score"][cb] + rng.gumbel(size=len(cb)), n_pt))
    pt_start = np.minimum(ag["start"][pt], days_before(rng, len(pt), 30, 5 * YEAR))
    tie(c, unit_or_org[cb[pt]], tgt[pt], "part_time_member", date(pt_start))
    # members of the previous term
    prev = pt[rng.random(len(pt)) < 0.15]
    pv_end = days_before(rng, len(prev), 5 * YEAR + 1, 6 * YEAR)
    tie(c, unit_or_org[cb[prev]], tgt[prev], "part_time_member", date(pv_end + 5 * YEAR), date(pv_end),
        None, _notes("上届委员", len(prev)))


def _dual_report(c, rng) -> None:
    """Public-sector unit organisations report to their community; members to others of the district."""
    ui = np.flatnonzero(c.own & np.isin(c.u_utype, _PUBLIC))
    ui = ui[rng.random(len(ui)) < c.p["dual_report_share"]]
    m = c.u_pmem[ui]
    d_cnt = np.maximum(1, np.round(m * rng.uniform(0.3, 0.9, len(ui)))).astype(np.int64)
    tie(c, c.org_u[ui], c.comm_org[ui], "dual_report", date(days_before(rng, len(ui), 30, 7 * YEAR)), None, d_cnt)
    # in-service members report where they live: other communities of the district
    extra = np.minimum(rng.poisson(c.p["dual_report_spread"] * np.log1p(m) / 2), m)
    ei = np.repeat(ui, extra)
    cnt = np.bincount(c.c_d, minlength=c.nd)  # communities are contiguous by district
    oc = pick_in_block(np.cumsum(cnt) - cnt, cnt, c.u_district[ei], rng)
    keep = oc != c.u_comm[ei]
    pair = pd.DataFrame({"u": ei[keep], "c": oc[keep]}).drop_duplicates()
    ei, oc = pair["u"].to_numpy(), pair["c"].to_numpy()
    tie(c, c.org_u[ei], c.org_c[oc], "dual_report", date(days_before(rng, len(ei), 30, 6 * YEAR)),
        None, 1 + rng.geometric(0.5, len(ei)))


def _pairing(c, rng) -> None:
    """Strong unit organisations with communities (weak ones first); communities with each other."""
    n_pair = int(round(c.p["pairings_per_community"] * c.nc))
    strong = np.flatnonzero(c.own & np.isin(c.u_utype, _PUBLIC))
    if not (len(strong) and n_pair):
        return
    cw = np.where(c.c_weak, 20.0, 1.0)
    n_uc = int(round(0.8 * n_pair))
    pc = rng.choice(c.nc, size=n_uc, p=cw / cw.sum())
    su = strong[rng.integers(0, len(strong), n_uc)]
    pair = pd.DataFrame({"u": su, "c": pc}).drop_duplicates()
    su, pc = pair["u"].to_numpy(), pair["c"].to_numpy()
    ps = days_before(rng, len(su), 30, 6 * YEAR)
    tie(c, c.org_u[su], c.org_c[pc], "pairing", date(ps))
    act = rng.random(len(su)) < 0.7
    n_act = int(act.sum())
    tie(c, c.org_u[su[act]], c.org_c[pc[act]], "activity", date(np.minimum(ps[act], rng.integers(0, 500, n_act))),
        None, 1 + rng.geometric(0.3, n_act))
    n_cc = n_pair - n_uc
    a = rng.integers(0, c.nc, n_cc)
    b = pick_in_block(c.c_start_s, c.c_per_s, c.c_s[a], rng)
    b = np.where(b == a, rng.integers(0, c.nc, n_cc), b)
    ok = a != b
    tie(c, c.org_c[a[ok]], c.org_c[b[ok]], "pairing", date(days_before(rng, int(ok.sum()), 30, 6 * YEAR)))


def _joint_conferences(c, rng) -> None:
    """Exactly ``jc_<level>`` distinct units per level, each in its own organisation's conference."""
    p, nu, ids_u = c.p, c.nu, c.ids_u
    jw = np.array([_CONFERENCE_WEIGHT[t] for t in UNIT_TYPES])
    jscore = jw[c.u_utype] + 0.6 * np.log(c.u_emp)
    levels = [("jc_city", None, 0), ("jc_district", c.org_d[c.u_district], 30 * c.nd),
              ("jc_street", c.street_org, 8 * c.ns), ("jc_community", c.comm_org, 2 * c.nc)]
    for key, target, default in levels:
        n = p[key]
        if key == "jc_city":
            if c.org_city is None:
                need(not n, "jc_city", "0 or None when root='district'", n)
                continue
            n = 0 if n is None else n
            target = np.full(nu, c.org_city, dtype=object)
        n = default if n is None else n
        need(n <= nu, key, f"at most units ({nu:,})", n)
        sel = np.flatnonzero(top_k(jscore + rng.gumbel(size=nu), int(n)))
        tie(c, ids_u[sel], target[sel], "joint_conference", date(days_before(rng, len(sel), 30, 6 * YEAR)))
        old = np.setdiff1d(np.flatnonzero(top_k(jscore + rng.gumbel(size=nu), int(n) // 5)), sel)
        oe = days_before(rng, len(old), 200, 3 * YEAR)
        tie(c, ids_u[old], target[old], "joint_conference", date(oe + 2 * YEAR), date(oe), None,
            _notes("已退出", len(old)))


def _whistle(c, rng) -> None:
    """Communities summon agencies of their district (吹哨报到); count = requests, heavy-tailed."""
    ag = np.flatnonzero(c.u_utype == TYPE["agency"])
    if not len(ag):
        return
    wc = np.repeat(np.arange(c.nc), rng.poisson(c.p["whistle_per_community"], c.nc))
    ag_d = c.u_district[ag]
    ag_sorted = ag[np.argsort(ag_d, kind="stable")]
    cnt_d = np.bincount(ag_d, minlength=c.nd)
    dd = c.c_d[wc]
    has_d = cnt_d[dd] > 0
    pick = np.where(has_d, pick_in_block(np.cumsum(cnt_d) - cnt_d, np.maximum(cnt_d, 1), dd, rng), 0)
    wu = np.where(has_d, ag_sorted[np.minimum(pick, len(ag_sorted) - 1)], ag[rng.integers(0, len(ag), len(wc))])
    pair = pd.DataFrame({"c": wc, "u": wu}).drop_duplicates()
    wc, wu = pair["c"].to_numpy(), pair["u"].to_numpy()
    tie(c, c.org_c[wc], c.ids_u[wu], "whistle", date(days_before(rng, len(wc), 0, 2 * YEAR)), None,
        rng.zipf(2.2, len(wc)).clip(1, 200))


def _work(c, rng) -> None:
    """Instructors (some withdrawn from units now without coverage) and backstop."""
    ids_u, comm_org = c.ids_u, c.comm_org
    ii = np.flatnonzero(c.instr)
    i_src = np.where(rng.random(len(ii)) < 0.7, comm_org[ii], c.street_org[ii])
    tie(c, i_src, ids_u[ii], "instructor", date(days_before(rng, len(ii), 10, 7 * YEAR)))
    nn = np.flatnonzero(c.none)
    n_end = min(len(nn), int(round(c.p["ended_instructor_share"] * len(ii))))
    ne = nn[top_k(rng.random(len(nn)), n_end)]
    e_end = days_before(rng, n_end, 30, 3 * YEAR)
    tie(c, comm_org[ne], ids_u[ne], "instructor", date(e_end + rng.integers(200, 3 * YEAR, n_end)),
        date(e_end), None, _notes("指导员调离", n_end))
    bi = np.flatnonzero(c.backstop)
    g_org = c.org_g[c.u_grid[bi]]
    tie(c, np.where(pd.isna(g_org), comm_org[bi], g_org), ids_u[bi], "backstop",
        date(days_before(rng, len(bi), 10, 5 * YEAR)))


def _covers(c, rng) -> None:
    """Joint, industry and sector organisations cover their units from (at earliest) their founding."""
    ji, co = c.joint_idx, c.cover_org
    est_days = (AS_OF64 - c.org_est.reindex(co).to_numpy().astype("datetime64[D]")).astype(np.int64)
    cs = np.maximum(np.minimum(est_days, days_before(rng, len(ji), 10, 10 * YEAR)), 0)
    tie(c, co, c.ids_u[ji], "covers", date(cs))
