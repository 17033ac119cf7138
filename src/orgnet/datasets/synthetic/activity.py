"""Stage 8, activity: the activity layer's people, cases and star ratings.

Runs after every other stage and only reads what they made, drawing from
three new streams spawned after theirs (12 people, 13 cases, 14 ratings), so
every table of the network layer is the same with the layer on or off
(``activity=False``: no activity table at all).

- **people** (counts, never persons): ``grid_workers_per_grid`` full-time
  grid workers in every grid but the ``grid_gap_share`` blank spots (grids
  without an organisation first, never one hosting a red post), where nobody
  at all is placed; ``station_staff_min`` to ``station_staff_max`` community
  workers naming each station; exactly ``members_reporting`` in-service
  members (双报到; derived from ``members_per_community``: at most every
  member of the reporting units) from ``reporting_unit_share`` of the units with party
  members (public sector first), to their own community and others of their
  district, ``member_grid_share`` of them placed down to a grid, each
  claiming at least one post; a head per listed building (residential
  or business); first secretaries in ``first_secretary_share`` of the communities
  (weak ones first) and ``cadres_per_community`` cadres sent down, from
  public-sector units of the district.
- **cases** (吹哨报到): exactly ``cases_per_community × case_years ×
  communities``, heavy-tailed over communities, raised in a grid or the
  community within ``case_years`` before ``as_of``; routed by quota
  (``case_routing``) to the grid, community or street organisation or to a
  department — an agency the community has whistled (its ``whistle`` ties),
  else a public-sector unit of the district; exactly ``case_closure`` closed
  (older ones first) after log-normal days; ``case_answered_share`` of the
  closed answered and exactly ``case_satisfaction`` of those satisfied.
- **ratings**: stars (1-5) for every community organisation at the end of the
  year before ``as_of``, higher with more co-building partners, lower when weak.
- **events and attendance** (unless ``meetings=False``): the joint
  conferences of street and community organisations meet monthly over
  ``meeting_months`` (``meeting_skip_share`` of the months missed) under a
  chair rotating through the members (轮值主席), exactly ``attendance_share``
  of the other members' seats taken, each attendee scored by its peers (评议打分).
  Dormant agreements stay dormant: a member whose active co-building agreement
  with the convener has no activity tie within :data:`DORMANT_DAYS` (365) days
  before ``as_of`` takes no part in that convener's meetings of the window
  (its turn to chair passes to the next member, its seats stay empty; the
  quota counts every non-chair seat and is drawn among the free ones), and a
  conference whose members all hold such agreements does not meet, so the
  dormancy :func:`orgnet.linkage.tie_strength` reads from events and ties is
  that of the ``dormant_share`` knob.

Every date is on or before ``as_of``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .draws import AS_OF64, YEAR, allocate, date, days_before, ids, pick_in_block, top_k
from .parameters import PUBLIC_SECTOR, need
from .units import TYPE

if TYPE_CHECKING:
    from .generator import City

__all__ = ["build", "STREAMS", "CASE_CATEGORIES", "ROUTING_LEVELS", "DORMANT_DAYS"]

#: random streams of this stage, spawned after the generator's twelve: people, cases, ratings, meetings
STREAMS = 4
#: case categories and their shares
CASE_CATEGORIES = {"environment": 0.28, "property": 0.2, "infrastructure": 0.16, "safety": 0.1,
                   "elderly_care": 0.1, "neighbourhood": 0.1, "other": 0.06}
#: the levels ``case_routing`` weighs, in its order
ROUTING_LEVELS = ("grid", "community", "street", "department")
_EXTRA_DESTINATIONS = 1.5  # mean extra communities (besides its own) a unit's members live in
_PUBLIC = tuple(TYPE[t] for t in PUBLIC_SECTOR)
#: the dormancy window (days before as_of) the meetings respect, that of orgnet.linkage.tie_strength
DORMANT_DAYS = 365


def build(c: City) -> None:
    """Fill ``c.people_df``, ``c.cases_df`` and ``c.ratings_df`` (None each when ``activity`` is off)."""
    c.people_df = c.cases_df = c.ratings_df = c.events_df = c.attendance_df = None
    if not c.p["activity"]:
        return
    rp, rc, rr, rm = c.act_rngs
    c.g_gap = _gap_grids(c, rp)
    parts = [_grid_workers(c, rp), _station_staff(c, rp), _members(c, rp), _building_heads(c, rp),
             _first_secretaries(c, rp), _cadres(c, rp)]
    df = pd.concat([p for p in parts if len(p)], ignore_index=True)
    df.insert(0, "id", ids("H", len(df)))
    df["count"] = df["count"].astype("int64")
    df["posts"] = df["posts"].astype("Int64")
    c.people_df = df
    c.cases_df = _cases(c, rc)
    c.ratings_df = _ratings(c, rr)
    if c.p["meetings"]:
        c.events_df, c.attendance_df = _meetings(c, rm)


def _people(role, area, count, start_days, source=None, station=None, posts=None) -> pd.DataFrame:
    n = len(area)
    none = np.full(n, None, dtype=object)
    return pd.DataFrame({
        "role": role, "source": none if source is None else np.asarray(source, dtype=object),
        "area": np.asarray(area, dtype=object), "station": none if station is None else np.asarray(station, dtype=object),
        "count": np.asarray(count, dtype=np.int64),
        "posts": pd.array([pd.NA] * n if posts is None else posts, dtype="Int64"),
        "start": date(start_days), "end": np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"),
    })


def _gap_grids(c, rng) -> np.ndarray:
    """The blank spots: ``grid_gap_share`` of the grids, those without an organisation first,
    never a grid hosting a station (its staff would be placed there)."""
    st_area = c.st_df["area"].to_numpy(dtype=object)
    hosts = pd.Index(c.ids_g).isin(st_area)
    score = 2.0 * pd.isna(c.org_g).astype(float) + rng.gumbel(size=c.ng) - 1e3 * hosts
    k = min(int(round(c.p["grid_gap_share"] * c.ng)), int((~hosts).sum()))
    return top_k(score, k)


def _grid_workers(c, rng) -> pd.DataFrame:
    g = np.flatnonzero(~c.g_gap)
    return _people("grid_worker", c.ids_g[g], np.full(len(g), c.p["grid_workers_per_grid"]),
                   days_before(rng, len(g), 30, 6 * YEAR), source=c.org_c[c.g_c[g]])


def _station_staff(c, rng) -> pd.DataFrame:
    st = c.st_df
    n = len(st)
    cnt = rng.integers(c.p["station_staff_min"], c.p["station_staff_max"] + 1, n)
    keep = cnt > 0
    return _people("community_worker", st["area"].to_numpy(dtype=object)[keep], cnt[keep],
                   days_before(rng, int(keep.sum()), 30, 6 * YEAR), station=st["id"].to_numpy(dtype=object)[keep])


def _staffed_grid(c, rng, comm) -> np.ndarray:
    """A grid of each community that is not a blank spot (-1 where the community has none)."""
    g = pick_in_block(c.g_start_c, c.g_per_c, comm, rng)
    for _ in range(4):  # step to the next grid of the community while on a blank spot
        gap = c.g_gap[g]
        if not gap.any():
            break
        start, cnt = c.g_start_c[comm[gap]], c.g_per_c[comm[gap]]
        g[gap] = start + (g[gap] - start + 1) % cnt
    return np.where(c.g_gap[g], -1, g)


def _members(c, rng) -> pd.DataFrame:
    """Exactly the reporting members, from the units with party members, one row per (unit, place)."""
    p = c.p
    total = p["members_reporting"]
    if total is None:
        total = int(round(p["members_per_community"] * c.nc))
    elig = np.flatnonzero(c.u_pmem > 0)
    k = int(round(p["reporting_unit_share"] * len(elig)))
    score = 3.0 * np.isin(c.u_utype[elig], _PUBLIC) + np.log(c.u_pmem[elig]) + rng.gumbel(size=len(elig))
    rep = elig[top_k(score, k)]
    pm = c.u_pmem[rep]
    if p["members_reporting"] is None:  # derived: at most every member of the reporting units
        total = min(total, int(pm.sum()))
    need(total <= int(pm.sum()), "members_reporting",
         f"at most the party members of the reporting units ({int(pm.sum()):,})", total,
         "Lower members_reporting / members_per_community or raise reporting_unit_share.")
    need(total >= len(rep) or total == 0, "members_reporting",
         f"at least one per reporting unit ({len(rep):,})", total, "Lower reporting_unit_share.")
    if total == 0 or not len(rep):
        return _people("in_service_member", [], [], [])
    # one member each, the rest in proportion to the members left: never more than a unit has
    m = 1 + allocate(total - len(rep), pm - 1, 0)
    dest = np.minimum(m, 1 + rng.poisson(_EXTRA_DESTINATIONS, len(rep)))
    unit = np.repeat(rep, dest)
    mu = np.repeat(m, dest)
    first = np.cumsum(dest) - dest
    j = np.arange(len(unit)) - np.repeat(first, dest)
    w = rng.exponential(size=len(unit))
    wsum = np.bincount(np.repeat(np.arange(len(rep)), dest), w)[np.repeat(np.arange(len(rep)), dest)]
    others = 1 + np.floor((mu - np.repeat(dest, dest)) * w / wsum).astype(np.int64)
    cnt = np.where(j > 0, others, 0)
    cnt[first] = m - np.bincount(np.repeat(np.arange(len(rep)), dest), cnt)
    # where they live: the unit's own community, then other communities of its district
    per_d = np.bincount(c.c_d, minlength=c.nd)  # communities are contiguous by district
    comm = np.where(j == 0, c.u_comm[unit], pick_in_block(np.cumsum(per_d) - per_d, per_d, c.u_district[unit], rng))
    # exactly member_grid_share of the members (up to one row) placed down to a grid
    in_grid = np.zeros(len(unit), dtype=bool)
    left = round(p["member_grid_share"] * total)
    for _ in range(6):  # rows in random order while they fit, then again among the rest
        rest = np.flatnonzero(~in_grid)
        rest = rest[rng.permutation(len(rest))]
        take = rest[np.cumsum(cnt[rest]) <= left]
        if not len(take):
            break
        in_grid[take] = True
        left -= int(cnt[take].sum())
    grid = np.where(in_grid, _staffed_grid(c, rng, comm), -1)
    area = np.where(grid >= 0, c.ids_g[np.maximum(grid, 0)], c.ids_c[comm])
    posts = cnt + rng.poisson((p["posts_per_member"] - 1) * cnt)
    return _people("in_service_member", area, cnt, days_before(rng, len(unit), 30, 5 * YEAR),
                   source=c.ids_u[unit], posts=posts)


def _building_heads(c, rng) -> pd.DataFrame:
    """A head for each listed building (residential 楼栋长, business 楼宇长) outside the blank spots."""
    ids_b = np.r_[c.ids_rb, c.ids_bb].astype(object)
    b = np.flatnonzero(~c.g_gap[np.r_[c.b_g, c.bb_g].astype(np.int64)])
    return _people("building_head", ids_b[b], np.ones(len(b)), days_before(rng, len(b), 30, 8 * YEAR))


def _district_public(c, rng, district) -> np.ndarray:
    """A public-sector unit of each ``district`` (of the city where the district has none; -1: none at all)."""
    pub = np.flatnonzero(np.isin(c.u_utype, _PUBLIC))
    if not len(pub):
        return np.full(len(district), -1, dtype=np.int64)
    pd_ = c.u_district[pub]
    pub = pub[np.argsort(pd_, kind="stable")]
    cnt = np.bincount(pd_, minlength=c.nd)
    has = cnt[district] > 0
    pick = pick_in_block(np.cumsum(cnt) - cnt, np.maximum(cnt, 1), district, rng)
    return np.where(has, pub[np.minimum(pick, len(pub) - 1)], pub[rng.integers(0, len(pub), len(district))])


def _unit_ids(c, idx) -> np.ndarray:
    return np.where(idx >= 0, c.ids_u[np.maximum(idx, 0)], None).astype(object)


def _first_secretaries(c, rng) -> pd.DataFrame:
    n = int(round(c.p["first_secretary_share"] * c.nc))
    ci = np.flatnonzero(top_k(3.0 * c.c_weak + rng.gumbel(size=c.nc), n))
    return _people("first_secretary", c.ids_c[ci], np.ones(len(ci)), days_before(rng, len(ci), 30, 3 * YEAR),
                   source=_unit_ids(c, _district_public(c, rng, c.c_d[ci])))


def _cadres(c, rng) -> pd.DataFrame:
    """Cadres sent down one by one, weak communities five times as often, half of them to a grid."""
    n = int(round(c.p["cadres_per_community"] * c.nc))
    w = np.where(c.c_weak, 5.0, 1.0)
    comm = np.sort(rng.choice(c.nc, size=n, p=w / w.sum())) if n else np.zeros(0, dtype=np.int64)
    grid = np.where(rng.random(n) < 0.5, _staffed_grid(c, rng, comm), -1) if n else comm
    area = np.where(grid >= 0, c.ids_g[np.maximum(grid, 0)], c.ids_c[comm]) if n else np.zeros(0, dtype=object)
    return _people("cadre", area, np.ones(n), days_before(rng, n, 30, 2 * YEAR),
                   source=_unit_ids(c, _district_public(c, rng, c.c_d[comm])))


def _whistled(c):
    """The agencies each community has whistled: (start per community, count per community, unit positions)."""
    blocks = [t for t in c.ties if t["kind"].iat[0] == "whistle"]
    if not blocks:
        return np.zeros(c.nc, dtype=np.int64), np.zeros(c.nc, dtype=np.int64), np.zeros(0, dtype=np.int64)
    w = pd.concat(blocks, ignore_index=True)
    ci = pd.Index(c.org_c).get_indexer(w["source"].to_numpy(dtype=object))
    ui = pd.Index(c.ids_u).get_indexer(w["target"].to_numpy(dtype=object))
    ok = (ci >= 0) & (ui >= 0)
    ci, ui = ci[ok], ui[ok]
    order = np.argsort(ci, kind="stable")
    cnt = np.bincount(ci, minlength=c.nc)
    return np.cumsum(cnt) - cnt, cnt, ui[order]


def _cases(c, rng) -> pd.DataFrame:
    p = c.p
    n = int(round(p["cases_per_community"] * p["case_years"] * c.nc))
    per_c = allocate(n, rng.lognormal(0, 0.6, c.nc) * np.sqrt(c.c_pop / c.c_pop.mean()), 0)
    comm = np.repeat(np.arange(c.nc), per_c)
    # where: a grid of the community (70%) or the community itself
    at_grid = rng.random(n) < 0.7
    grid = np.where(at_grid, pick_in_block(c.g_start_c, c.g_per_c, comm, rng), -1)
    area = np.where(grid >= 0, c.ids_g[np.maximum(grid, 0)], c.ids_c[comm]).astype(object)
    g_org = np.where(grid >= 0, c.org_g[np.maximum(grid, 0)], None)
    raised_by = np.where(pd.notna(g_org), g_org, c.org_c[comm]).astype(object)
    cats = np.array(list(CASE_CATEGORIES), dtype=object)
    shares = np.array(list(CASE_CATEGORIES.values()))
    category = cats[rng.choice(len(cats), size=n, p=shares / shares.sum())]
    # routed by quota to the grid, community or street organisation, or a department
    weights = np.array([p["case_routing"][lv] for lv in ROUTING_LEVELS], dtype=float)
    level = np.repeat(np.arange(len(ROUTING_LEVELS)), allocate(n, weights, 0))[rng.permutation(n)]
    routed = np.where(pd.notna(g_org), g_org, c.org_c[comm]).astype(object)  # grid: its organisation, if any
    routed = np.where(level == 1, c.org_c[comm], routed)
    routed = np.where(level == 2, c.org_s[c.c_s[comm]], routed)
    start, cnt, whistled = _whistled(c)
    dep = np.flatnonzero(level == 3)
    dc = comm[dep]
    use_w = (cnt[dc] > 0) & (rng.random(len(dep)) < 0.7)
    wpick = whistled[np.minimum(pick_in_block(start, np.maximum(cnt, 1), dc, rng), max(len(whistled) - 1, 0))] \
        if len(whistled) else np.zeros(len(dep), dtype=np.int64)
    unit = np.where(use_w, wpick, _district_public(c, rng, c.c_d[dc]))
    routed[dep] = np.where(unit >= 0, _unit_ids(c, unit), c.org_s[c.c_s[dc]])
    # raised within case_years; exactly case_closure closed, older ones first, after log-normal days
    raised = rng.integers(0, p["case_years"] * YEAR, n)
    days = np.round(rng.lognormal(math.log(p["case_days_median"]), p["case_days_sigma"], n)).astype(np.int64)
    closed = top_k(10.0 * (days <= raised) + 0.5 * np.log1p(raised) + rng.gumbel(size=n),
                   int(round(p["case_closure"] * n)))
    days = np.minimum(days, raised)
    closed_days = np.where(closed, raised - days, 0)
    ci = np.flatnonzero(closed)
    answered = ci[top_k(rng.random(len(ci)), int(round(p["case_answered_share"] * len(ci))))]
    sat = top_k(-0.05 * days[answered] + rng.gumbel(size=len(answered)),
                int(round(p["case_satisfaction"] * len(answered))))
    satisfied = pd.array([pd.NA] * n, dtype="boolean")
    satisfied[answered] = sat
    return pd.DataFrame({
        "id": ids("K", n), "area": area, "raised_by": raised_by, "category": category, "raised": date(raised),
        "routed_to": routed,
        "closed": np.where(closed, date(closed_days), np.datetime64("NaT")).astype("datetime64[ns]"),
        "satisfied": satisfied,
    })


def _ratings(c, rng) -> pd.DataFrame:
    """Stars (1-5, 星级) of every community organisation at the end of the year before as_of."""
    cb = [t for t in c.ties if t["kind"].iat[0] == "co_building"]
    targets = pd.concat(cb, ignore_index=True)["target"] if cb else pd.Series(dtype=object)
    partners = targets.value_counts().reindex(c.org_c).fillna(0).to_numpy(dtype=float)
    stars = np.clip(np.round(2.6 + 0.5 * np.log1p(partners) - 1.5 * c.c_weak + rng.normal(0, 0.8, c.nc)), 1, 5)
    year_end = np.datetime64(f"{AS_OF64.astype(object).year - 1}-12-31", "D").astype("datetime64[ns]")
    return pd.DataFrame({"entity": np.asarray(c.org_c, dtype=object), "scheme": "stars",
                         "period": np.full(c.nc, year_end), "score": stars.astype(float),
                         "max_score": np.full(c.nc, 5.0)})


def _dormant_seats(c, member, convener) -> np.ndarray:
    """Whether each (``member``, ``convener``) seat joins the two ends of a dormant agreement: an
    active ``co_building`` tie between them (either way) and no ``activity`` tie between them
    started within ``DORMANT_DAYS`` before as_of (the dormancy of :func:`orgnet.linkage.tie_strength`)."""
    def rows(kind):
        blocks = [t for t in c.ties if t["kind"].iat[0] == kind]
        return pd.concat(blocks, ignore_index=True) if blocks else None

    def pairs(t):
        s, g = t["source"].to_numpy(dtype=object), t["target"].to_numpy(dtype=object)
        return pd.MultiIndex.from_arrays([np.where(s > g, g, s), np.where(s > g, s, g)])

    cb, act = rows("co_building"), rows("activity")
    if cb is None or not len(member):
        return np.zeros(len(member), dtype=bool)
    as_of = AS_OF64.astype("datetime64[ns]")
    cb = cb[((cb["start"] <= as_of) & ~(cb["end"] <= as_of)).to_numpy()]  # active at as_of
    dormant = pairs(cb)
    if act is not None:
        lo = as_of - np.timedelta64(DORMANT_DAYS, "D")
        act = act[((act["start"] >= lo) & (act["start"] <= as_of)).to_numpy()]
        dormant = dormant.difference(pairs(act))
    seat = pairs(pd.DataFrame({"source": member, "target": convener}))
    return seat.isin(dormant)


def _meetings(c, rng):
    """Joint-conference meetings (联席会议) of every street and community organisation with members:
    monthly over ``meeting_months`` (``meeting_skip_share`` of the months missed, by quota), the
    chair rotating through the members in a fixed random order (轮值主席), ``attendance_share``
    of all the other members' seats taken (the chair always attends), every attendee scored by
    its peers (评议打分, 0-100).

    Dormant agreements stay dormant: a member whose active co-building agreement with the
    convener has no activity tie within ``DORMANT_DAYS`` before as_of (签而不联) takes no part in
    the convener's meetings of that window: its turn to chair passes to the next member in the
    rotation and its seats stay empty (the attendance quota is drawn among the other seats); a
    conference whose members all hold such agreements does not meet."""
    p = c.p
    blocks = [t for t in c.ties if t["kind"].iat[0] == "joint_conference"]
    jc = pd.concat(blocks, ignore_index=True) if blocks else pd.DataFrame(columns=["source", "target", "end"])
    conveners = set(np.r_[c.org_s, c.org_c])
    jc = jc[jc["end"].isna().to_numpy() & jc["target"].isin(conveners).to_numpy()]  # active members
    jc = jc.drop_duplicates(["target", "source"])
    jc = jc.iloc[rng.permutation(len(jc))].sort_values("target", kind="stable")  # rotation order: random
    barred = _dormant_seats(c, jc["source"].to_numpy(dtype=object), jc["target"].to_numpy(dtype=object))
    meets = pd.Series(~barred).groupby(jc["target"].to_numpy(dtype=object)).transform("any").to_numpy(dtype=bool)
    jc, barred = jc[meets], barred[meets]  # a conference of dormant partners only does not meet
    conv, first = np.unique(jc["target"].to_numpy(dtype=object), return_index=True)
    size = np.diff(np.r_[first, len(jc)])
    members = jc["source"].to_numpy(dtype=object)
    months = p["meeting_months"]
    nconv = len(conv)
    held = np.flatnonzero(~top_k(rng.random(nconv * months), int(round(p["meeting_skip_share"] * nconv * months))))
    ci, mi = held // months, held % months  # month 0 is the month of as_of
    day = (AS_OF64 - (AS_OF64.astype("datetime64[M]") - mi.astype("timedelta64[M]")).astype("datetime64[D]"))
    offset = day.astype(np.int64) - rng.integers(0, 28, len(held))  # a day of that month, never after as_of
    offset = np.maximum(offset, 0)
    window = offset <= DORMANT_DAYS  # held within the dormancy window
    turn = (months - 1 - mi) % size[ci]  # the chair of the oldest month is the first member, then in turn
    for _ in range(int(size.max(initial=0))):  # a barred member's turn passes to the next member
        skip = window & barred[first[ci] + turn]
        if not skip.any():
            break
        turn[skip] = (turn[skip] + 1) % size[ci[skip]]
    chair = members[first[ci] + turn]
    ev = pd.DataFrame({"id": ids("E", len(held)), "kind": "meeting", "convener": conv[ci].astype(object),
                       "date": date(offset), "chair": chair.astype(object),
                       "hours": np.round(rng.uniform(1.0, 3.0, len(held)), 1), "note": "联席会议"})
    # attendance: every member of the convener, the chair always
    e_rep = np.repeat(np.arange(len(held)), size[ci])
    k = np.arange(len(e_rep)) - np.repeat(np.cumsum(size[ci]) - size[ci], size[ci])
    seat = first[ci][e_rep] + k
    who = members[seat]
    chairs = who == chair[e_rep]
    rest = np.flatnonzero(~chairs)
    free = rest[~(barred[seat[rest]] & window[e_rep[rest]])]  # seats a member may take
    came = chairs.copy()  # attendance_share of all the other members' seats, by quota, among the free
    came[free[top_k(rng.random(len(free)), min(int(round(p["attendance_share"] * len(rest))), len(free)))]] = True
    e_rep, who = e_rep[came], who[came]
    at = pd.DataFrame({"event": ev["id"].to_numpy()[e_rep], "entity": who.astype(object),
                       "people": 1 + rng.poisson(0.6, len(e_rep)),
                       "score": np.round(np.clip(rng.normal(86, 7, len(e_rep)), 0, 100), 1)})
    return ev, at
