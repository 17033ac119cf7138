"""Linkage: how strongly, through how many channels and how recently entities are tied.

Co-building is only real when ties are used: an agreement signed and never acted
on (签而不联) is not linkage. :func:`tie_strength` scores every connected pair
(multiplex: weighted over tie kinds, growing with intensity, decaying with age)
and flags dormant agreements; :func:`linkage_index` rolls the ties of each
area's territorial organisations up into comparable indicators;
:func:`threshold_steps` shows the network from weak to strong ties.

With the activity layer's ``events`` and ``attendance`` tables, tie strength
reads the dated events as activity ties (a pair's events: one convened and the
other attended, or both attended; see :func:`tie_table`). From the same tables,
:func:`cadence` asks whether each convener's meetings keep their rhythm
(monthly or quarterly joint conferences, 例会) and how many of its members
attend, and :func:`rotation` whether the chair rotates among the members
(轮值主席) and how the members score one another (评议打分).

Default kind weights (``DEFAULT_WEIGHTS``), with the reason for each:

=================  ======  =====================================================
kind               weight  reason
=================  ======  =====================================================
co_building        1.0     the formal agreement (共驻共建协议): the baseline channel
part_time_member   1.5     a unit leader sits on the big committee (兼职委员): a
                           standing cross-membership, stronger than paper
dual_report        1.0     members report to the community (双报到); intensity
                           enters through ``count`` (members reporting)
pairing            1.0     two organisations paired for joint work (结对共建)
joint_conference   0.5     one seat among many in a conference (联席会议):
                           periodic and shared, weaker per pair
activity           1.0     joint activities held (联建活动): realised linkage;
                           intensity through ``count`` (activities)
whistle            0.75    a department answered a summons (吹哨报到): episodic,
                           problem-driven; intensity through ``count`` (requests)
instructor         1.0     an instructor sent to a unit (党建指导员): a person-level
                           channel of work coverage
backstop           0.5     backstop responsibility (兜底管理): a duty on paper
covers             1.5     members organised in the same joint, industry or
                           sector organisation: an organisational bond
manages            0.5     a property company manages a compound (物业服务, the
                           red-property line 红色物业): a service contract, a
                           channel of co-governance but not co-building itself
supervises         0.5     a department supervises or is stationed in an area
                           (条块: 主管/派驻): a standing administrative duty
=================  ======  =====================================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import schema
from ._params import Constraint, Date, Integer, Level, Network, Options, Real, Weights, require, validate_params
from .network import OrgNetwork

__all__ = ["DEFAULT_WEIGHTS", "PERIODS", "tie_strength", "tie_table", "linkage_index", "threshold_steps", "tie_graph",
           "cadence", "rotation"]

DEFAULT_WEIGHTS: dict[str, float] = {
    "co_building": 1.0,
    "part_time_member": 1.5,
    "dual_report": 1.0,
    "pairing": 1.0,
    "joint_conference": 0.5,
    "activity": 1.0,
    "whistle": 0.75,
    "instructor": 1.0,
    "backstop": 0.5,
    "covers": 1.5,
    "manages": 0.5,
    "supervises": 0.5,
}


def _weights(weights):
    w = dict(DEFAULT_WEIGHTS)
    if weights is not None:
        w.update(weights)
    return w


#: the parameters of a tie's strength, shared by every function that scores ties
_STRENGTH = dict(
    net=Network(),
    weights=[Weights(schema.TIE_KINDS, "tie kinds"), None],
    half_life_days=Real(0, exclusive=True),
    as_of=[Date(), None],
)


@validate_params(**_STRENGTH)
def tie_table(net: OrgNetwork, *, weights=None, half_life_days: float = 365.0, as_of=None) -> pd.DataFrame:
    """Every tie active at ``as_of`` with its unordered pair and its strength.

    Returns the active rows of ``net.ties`` (keeping their positions as index)
    with extra columns ``a``, ``b`` (the two ends, ``a < b``), ``age_days``
    and ``strength`` = weight[kind] × log2(1 + count) × 0.5 ** (age_days /
    half_life_days). Used by :func:`tie_strength` and :func:`linkage_index`.

    Two kinds of tie are read from the activity layer and appended after the
    ledger's rows (index ``len(net.ties)`` onwards, ``note`` saying so):

    - **whistle** ties from ``cases`` when the ledger records none (one per
      raised_by → routed_to pair, ``count`` its cases, ``start`` the latest);
    - **activity** ties from ``events``: one per unordered pair that took part
      in a common event held on or before ``as_of`` (one convened it and the
      other attended, or both attended), ``count`` the events shared,
      ``start`` the latest. Where the ledger also records activity ties of
      the pair, both describe the same joint activity and either may be
      incomplete: the pair's one activity tie takes the larger count (the
      ledger's summed over its activity ties) and the later date, and the
      ledger rows it replaces leave the table. No activity is counted twice.

    ``attrs`` records ``whistles_from_cases``, ``activity_from_events``
    (pairs read from events) and ``activity_ties_merged`` (ledger rows
    replaced). Without ``cases`` and ``events`` the table is the ledger's.

    Examples
    --------
    The demo's first agreement, O11 with OU01, signed 1,203 days before the
    ledger date: 1.0 × log2(1 + 1) × 0.5 ** (1203 / 365) = 0.1018. Its 65
    active ledger ties and 46 pairs that shared events give 97 rows: 14
    activity ties merged with the events of their pairs, 32 pairs new:

    >>> import orgnet
    >>> t = orgnet.linkage.tie_table(orgnet.datasets.load("demo"))
    >>> first = t.loc[0]
    >>> len(t), first[["a", "b", "kind"]].tolist(), float(first["age_days"]), round(float(first["strength"]), 4)
    (97, ['O11', 'OU01', 'co_building'], 1203.0, 0.1018)
    >>> t.attrs["activity_from_events"], t.attrs["activity_ties_merged"]
    (46, 14)
    """
    w = _weights(weights)
    when = net.resolve_as_of(as_of)
    t = net.active_ties(when).copy()
    derived = _whistles_from_cases(net, when)
    if len(derived):
        t = pd.concat([t, derived])
    _order_ends(t)
    met = _activity_from_events(net, when, t, start=len(net.ties) + len(derived))
    merged = 0
    if len(met):
        merged = int(met.attrs["merged"].sum())
        t = pd.concat([t[~met.attrs["merged"]], met])
    count = t["count"].fillna(schema.TABLES["ties"].column("count").default).to_numpy(dtype=float)
    age = (when - t["start"]).dt.days.to_numpy(dtype=float)
    age = np.where(np.isnan(age), 0.0, np.maximum(age, 0.0))  # no start date: no decay
    kind_w = t["kind"].astype(object).map(w).to_numpy(dtype=float)
    t["age_days"] = age
    t["strength"] = kind_w * np.log2(1.0 + count) * np.power(0.5, age / float(half_life_days))
    t.attrs.update(as_of=when, weights=w, half_life_days=half_life_days, whistles_from_cases=len(derived),
                   activity_from_events=len(met), activity_ties_merged=merged)
    return t


def _order_ends(t: pd.DataFrame) -> None:
    """Add the unordered pair of each tie: ``a`` the smaller end, ``b`` the larger."""
    s = t["source"].astype(object).to_numpy()
    g = t["target"].astype(object).to_numpy()
    swap = s > g
    t["a"] = np.where(swap, g, s)
    t["b"] = np.where(swap, s, g)


def _activity_from_events(net: OrgNetwork, when, ties: pd.DataFrame, *, start: int) -> pd.DataFrame:
    """Activity ties read from the dated events (联建活动, 联席会议), merged with the ledger's.

    One tie per unordered pair of entities that took part in a common event held on or
    before ``when`` (one convened it and the other attended, or both attended): ``count``
    the events the pair shared, ``start`` the latest. Where ``ties`` (ordered by
    :func:`_order_ends`) also hold ``activity`` ties of the pair, both records describe the
    same joint activity and each may miss some of it, so the pair's tie takes the larger
    count (the ledger's summed over its activity ties) and the later date: no activity is
    counted twice. ``attrs["merged"]`` flags the rows of ``ties`` so merged. Indexed from
    ``start``, with the ``a``/``b`` columns of :func:`tie_table`.
    """
    ev = net.events
    none = pd.DataFrame()
    none.attrs["merged"] = np.zeros(len(ties), dtype=bool)
    if not len(ev):
        return none
    held = ev[(ev["date"] <= when).to_numpy(dtype=bool)]
    at = net.attendance
    at = at[at["event"].isin(held.index).to_numpy(dtype=bool)]
    part = pd.DataFrame({
        "event": np.concatenate([held.index.astype(object).to_numpy(), at["event"].astype(object).to_numpy()]),
        "entity": np.concatenate([held["convener"].astype(object).to_numpy(),
                                  at["entity"].astype(object).to_numpy()]),
    }).drop_duplicates()
    both = part.merge(part, on="event", suffixes=("_a", "_b"))
    both = both[(both["entity_a"] < both["entity_b"]).to_numpy(dtype=bool)]
    if not len(both):
        return none
    both["date"] = held["date"].reindex(both["event"].to_numpy()).to_numpy()
    g = both.groupby(["entity_a", "entity_b"], sort=True)["date"]
    agg = pd.DataFrame({"count": g.size().astype(float), "start": g.max()})
    agg.index.names = ["a", "b"]
    # the ledger's activity record of the same pairs: summed count, latest start
    is_act = (ties["kind"] == "activity").to_numpy(dtype=bool)
    pair = pd.MultiIndex.from_arrays([ties["a"].to_numpy(dtype=object), ties["b"].to_numpy(dtype=object)])
    merged = is_act & pair.isin(agg.index)
    led = ties[merged]
    if len(led):
        default = schema.TABLES["ties"].column("count").default
        rec = pd.DataFrame({"count": led["count"].fillna(default).to_numpy(dtype=float),
                            "start": led["start"].to_numpy()},
                           index=pd.MultiIndex.from_arrays([led["a"].to_numpy(dtype=object),
                                                            led["b"].to_numpy(dtype=object)], names=["a", "b"]))
        rec = rec.groupby(level=["a", "b"]).agg(count=("count", "sum"), start=("start", "max"))
        rec = rec.reindex(agg.index)
        agg["count"] = np.fmax(agg["count"].to_numpy(), rec["count"].to_numpy())
        agg["start"] = pd.concat([agg["start"], rec["start"]], axis=1).max(axis=1)
        noted = pd.Series("from events 由活动记录生成", index=agg.index)
        noted[rec["count"].notna().to_numpy()] = "from events and ledger 活动记录与台账合并"
    else:
        noted = pd.Series("from events 由活动记录生成", index=agg.index)
    agg = agg.reset_index()
    out = _derived_ties(net, agg["a"], agg["b"], "activity", agg["start"], agg["count"].round().astype("int64"),
                        noted.to_numpy(dtype=object), start=start)
    out["a"] = agg["a"].to_numpy(dtype=object)
    out["b"] = agg["b"].to_numpy(dtype=object)
    out.attrs["merged"] = merged
    return out


def _whistles_from_cases(net: OrgNetwork, when) -> pd.DataFrame:
    """Whistle ties read from the cases (吹哨报到), when the ledger records no whistle tie of its own.

    One tie per (raised_by, routed_to) pair of different entities, over the cases raised on
    or before ``when``: ``count`` the number of such cases, ``start`` the latest raised (as an
    ``activity`` tie holds its latest activity). A ledger that records whistle ties keeps
    them: the same summons is never counted from both. Indexed after the ties' positions
    (``len(net.ties)`` onwards), so they never collide with a tie row.
    """
    c = net.cases
    if not len(c) or (net.ties["kind"] == "whistle").any():
        return net.ties.iloc[:0]
    c = c[((c["raised"] <= when) & c["raised_by"].notna() & c["routed_to"].notna()
           & (c["raised_by"] != c["routed_to"])).fillna(False).to_numpy()]
    if not len(c):
        return net.ties.iloc[:0]
    g = c.groupby([c["raised_by"].astype(object), c["routed_to"].astype(object)], sort=True)["raised"]
    agg = pd.DataFrame({"count": g.size(), "start": g.max()}).reset_index()
    return _derived_ties(net, agg["raised_by"], agg["routed_to"], "whistle", agg["start"], agg["count"],
                         "from cases 由诉求生成", start=len(net.ties))


def _derived_ties(net: OrgNetwork, source, target, kind: str, start_dates, count, note, *, start: int) -> pd.DataFrame:
    """Rows shaped and typed as ``net.ties`` (open-ended), indexed from ``start``: the ties
    read from the activity layer rather than recorded in the ledger."""
    ties, n = net.ties, len(source)
    note = [note] * n if isinstance(note, str) else note
    out = pd.DataFrame({
        "source": pd.array(np.asarray(source, dtype=object), dtype=ties["source"].dtype),
        "target": pd.array(np.asarray(target, dtype=object), dtype=ties["target"].dtype),
        "kind": pd.array([kind] * n, dtype=ties["kind"].dtype),
        "start": pd.Series(start_dates).astype(ties["start"].dtype).to_numpy(),
        "end": pd.Series([pd.NaT] * n, dtype=ties["end"].dtype).to_numpy(),
        "count": pd.array(np.asarray(count), dtype=ties["count"].dtype),
        "note": pd.array(np.asarray(note, dtype=object), dtype=ties["note"].dtype),
    }, index=pd.RangeIndex(start, start + n))
    return out[[c for c in ties.columns if c in out.columns]]


def _dormant_pairs(net: OrgNetwork, ties: pd.DataFrame, when, dormant_days) -> pd.Series:
    """Per unordered pair holding an active co_building tie: True if nothing happened between
    its two ends within ``dormant_days`` before ``when``: no ``activity`` tie of the ledger
    between them started in the window and, with an ``events`` table, no event both took
    part in (one convened it and the other attended, or both attended). ``ties`` is a
    :func:`tie_table`: its activity ties read from the events are dated at the pair's latest
    shared event (or a later ledger activity), so one of them starting in the window is an
    event in the window."""
    co = ties[(ties["kind"] == "co_building").to_numpy()]
    pairs = co[["a", "b"]].drop_duplicates()
    lo = when - pd.Timedelta(days=float(dormant_days))
    act = net.ties[(net.ties["kind"] == "activity").to_numpy()]
    recent = act[((act["start"] >= lo) & (act["start"] <= when)).fillna(False).to_numpy()]
    s = recent["source"].astype(object).to_numpy()
    g = recent["target"].astype(object).to_numpy()
    live = set(zip(np.where(s > g, g, s), np.where(s > g, s, g)))
    read = ties[((ties["kind"] == "activity") & (ties["start"] >= lo) & (ties["start"] <= when)).fillna(False).to_numpy()]
    live.update(zip(read["a"], read["b"]))
    flag = [(a, b) not in live for a, b in zip(pairs["a"], pairs["b"])]
    return pd.Series(flag, index=pd.MultiIndex.from_frame(pairs), dtype=bool)


@validate_params(dormant_days=Real(0), **_STRENGTH)
def tie_strength(net: OrgNetwork, *, weights: dict | None = None, half_life_days: float = 365.0,
                 dormant_days: float = 365.0, as_of=None) -> pd.DataFrame:
    """Strength of every pair of entities tied at ``as_of`` (multiplex, intensity, recency).

    Parameters
    ----------
    net : OrgNetwork
    weights : dict, optional
        Weight per tie kind, overriding ``DEFAULT_WEIGHTS`` (see the module
        documentation for the defaults and their reasons).
    half_life_days : float, default 365
        A tie's contribution halves every ``half_life_days`` since its
        ``start`` (for ``activity`` ties, the latest activity). Ties without a
        start date do not decay.
    dormant_days : float, default 365
        Window for the dormancy flag.
    as_of : date-like, optional
        Default: the network's ``as_of``.

    Returns
    -------
    DataFrame
        One row per unordered pair with at least one active tie (``a < b``),
        columns ``a``, ``b``, ``strength`` (sum over the pair's ties of
        weight[kind] × log2(1 + count) × 0.5 ** (age / half_life_days)),
        ``multiplexity`` (distinct tie kinds), ``ties`` (active ties), one
        column per tie kind (number of active ties of that kind),
        ``last_activity`` (latest start of an ``activity`` tie between them,
        the events they shared included),
        and ``dormant``: the pair holds an active ``co_building`` agreement but
        nothing happened between its ends within ``dormant_days`` before
        ``as_of`` (签而不联): no ``activity`` tie between them started in the
        window and, when the network has an ``events`` table, no event both took
        part in (one convened it and the other attended, or both attended).
        ``attrs["dormancy_from"]`` says what was read (``"activity ties"`` or
        ``"activity ties and events"``).

    Notes
    -----
    The ties scored are those of :func:`tie_table`: with an ``events`` table,
    each pair's shared events (one convened, the other attended, or both
    attended) are its ``activity`` tie, merged with the ledger's activity
    record of the pair (the larger count, the later date); with ``cases`` and
    no whistle tie in the ledger, the cases are the whistle ties. Without
    those tables the ledger's ties alone are scored.

    log2(1 + count) is increasing and concave with value 1 at count 1: ten
    activities weigh more than one, but not ten times more. Vectorised table
    work: O(ties log ties + Σ participants² over events).

    Examples
    --------
    The strongest pair of the demo holds three kinds of tie; two agreements are
    dormant — O22 with OU04 (last activity 2023-05-20) and with U30 (none):

    >>> import orgnet
    >>> ts = orgnet.linkage.tie_strength(orgnet.datasets.load("demo"))
    >>> ts.nlargest(1, "strength")[["a", "b", "strength", "multiplexity"]].round(3)
         a     b  strength  multiplexity
    7  O12  OU02      4.11             3
    >>> ts.loc[ts["dormant"], ["a", "b", "last_activity"]]
          a     b last_activity
    24  O22  OU04    2023-05-20
    29  O22   U30           NaT
    """
    t = tie_table(net, weights=weights, half_life_days=half_life_days, as_of=as_of)
    when = t.attrs["as_of"]
    cols = ["a", "b", "strength", "multiplexity", "ties", *schema.TIE_KINDS, "last_activity", "dormant"]
    if t.empty:
        out = pd.DataFrame({c: pd.Series(dtype=object if c in ("a", "b") else float) for c in cols})
        out["dormant"] = out["dormant"].astype(bool)
        out["last_activity"] = pd.Series(dtype="datetime64[ns]")
        out.attrs.update(t.attrs, func="tie_strength", dormant_days=dormant_days)
        return out
    grouped = t.groupby(["a", "b"], sort=True)
    out = grouped.agg(strength=("strength", "sum"), multiplexity=("kind", "nunique"), ties=("kind", "size"))
    kinds = pd.crosstab([t["a"], t["b"]], t["kind"].astype(object))
    out = out.join(kinds.reindex(columns=list(schema.TIE_KINDS), fill_value=0)).fillna(0)
    for k in schema.TIE_KINDS:
        out[k] = out[k].astype(int)
    act = t[(t["kind"] == "activity").to_numpy()]
    out["last_activity"] = act.groupby(["a", "b"])["start"].max().reindex(out.index).astype("datetime64[ns]")
    dormant = _dormant_pairs(net, t, when, dormant_days)
    out["dormant"] = dormant.reindex(out.index, fill_value=False).to_numpy(dtype=bool)
    out = out.reset_index()
    out.attrs.update(t.attrs, func="tie_strength", dormant_days=dormant_days,
                     dormancy_from="activity ties and events" if len(net.events) else "activity ties")
    return out[cols]


def _partner_category(net: OrgNetwork) -> pd.Series:
    """Category of each potential partner: unit type (also for a unit's own organisation),
    else the organisation's scope, else ``area``."""
    u = net.units["type"].astype(object)
    o = net.organisations
    org_cat = o["scope"].astype(object).where(o["scope"] != "unit", o["unit"].astype(object).map(u))
    areas = pd.Series("area", index=net.areas.index.astype(object), dtype=object)
    return pd.concat([u, org_cat.astype(object), areas])


def _is_vertical(net: OrgNetwork) -> pd.Series:
    """Vertical (条) partners: agency units and their organisations, industry organisations,
    and whatever supervises an area (the source of a ``supervises`` tie, 主管/派驻)."""
    u = net.units["type"].astype(object) == "agency"
    o = net.organisations
    org_v = (o["scope"] == "industry") | ((o["scope"] == "unit") & o["unit"].astype(object).map(u).eq(True))
    out = pd.concat([u, org_v.astype(bool)])
    sup = set(net.ties.loc[(net.ties["kind"] == "supervises").to_numpy(), "source"].astype(object))
    if sup:
        out = out | out.index.isin(list(sup))
    return out


@validate_params(level=Level(), dormant_days=Real(0), **_STRENGTH)
def linkage_index(net: OrgNetwork, *, level: str = "community", weights: dict | None = None,
                  half_life_days: float = 365.0, dormant_days: float = 365.0, as_of=None) -> pd.DataFrame:
    """Linkage indicators of each area's territorial organisations with everyone else.

    For each area of ``level``, its *own side* is the territorial organisations
    seated in its subtree (and the areas of the subtree themselves). The index
    is computed over the active ties between the own side and any other
    entity — units, and organisations that are not territorial organisations of
    that subtree (a street's committee is a partner of a community, and vice versa).

    Parameters
    ----------
    net : OrgNetwork
    level : str, default "community"
    weights, half_life_days, dormant_days, as_of
        As in :func:`tie_strength`.

    Returns
    -------
    DataFrame
        Indexed by the areas of ``level``: ``name``; ``ties`` (active ties
        counted); ``partners`` (distinct partners); ``strength`` (sum of tie
        strengths); ``mean_multiplexity`` (mean over partners of the distinct
        tie kinds with the own side); ``partner_types`` (distinct partner
        categories: unit type — also for a unit's organisation — else the
        organisation's scope); ``partner_diversity`` (Blau index 1 − Σ p² of the
        partner categories; 0 with one category); ``co_building`` (active
        agreements, partner pairs); ``dormant_share`` (dormant agreements /
        active agreements; NaN when there are none); ``vertical_share`` (share
        of the ties with agency units or their organisations and industry
        organisations — the vertical lines 条 of 条块结合; NaN without ties).

    Examples
    --------
    C13 and C23 hold no agreement (unlinked); two of C22's three are dormant:

    >>> import orgnet
    >>> li = orgnet.linkage.linkage_index(orgnet.datasets.load("demo"))
    >>> li[["partners", "strength", "co_building", "dormant_share"]].round(3)
               partners  strength  co_building  dormant_share
    community
    C11               5    15.990            3          0.000
    C12               4     6.985            2          0.000
    C13               3     5.887            0            NaN
    C21               4     7.974            2          0.000
    C22               6     5.779            3          0.667
    C23               3     3.029            0            NaN
    """
    t = tie_table(net, weights=weights, half_life_days=half_life_days, as_of=as_of)
    when = t.attrs["as_of"]
    paths = net.area_paths
    index = net.areas.index[(net.areas["level"] == level).to_numpy()]

    # owner area (at `level`) of each territorial organisation and of each area
    orgs = net.organisations_at(when)
    terr = orgs[(orgs["scope"] == "territorial").to_numpy()]
    own_area = pd.concat([
        pd.Series(paths.loc[terr["area"].astype(object), level].to_numpy(), index=terr.index.astype(object)),
        paths[level].astype(object),
    ])
    own_area = own_area[own_area.notna()]
    own_area = own_area[~own_area.index.duplicated()]

    rows = []
    src = t["source"].astype(object)
    dst = t["target"].astype(object)
    for side, other in ((src, dst), (dst, src)):
        area_side = side.map(own_area)
        area_other = other.map(own_area)
        keep = (area_side.notna() & (area_side != area_other)).to_numpy()
        rows.append(pd.DataFrame({
            "area": area_side[keep].to_numpy(),
            "own": side[keep].to_numpy(),
            "partner": other[keep].to_numpy(),
            "kind": t["kind"].astype(object)[keep].to_numpy(),
            "strength": t["strength"][keep].to_numpy(),
            "tie": t.index[keep],
        }))
    e = pd.concat(rows, ignore_index=True).drop_duplicates(["area", "tie"])

    out = pd.DataFrame(index=index)
    out["name"] = net.areas["name"].reindex(index).to_numpy()
    if e.empty:
        for c, v in (("ties", 0), ("partners", 0), ("strength", 0.0), ("mean_multiplexity", np.nan),
                     ("partner_types", 0), ("partner_diversity", np.nan), ("co_building", 0),
                     ("dormant_share", np.nan), ("vertical_share", np.nan)):
            out[c] = v
        out.index.name = level
        out.attrs.update(t.attrs, func="linkage_index", level=level, dormant_days=dormant_days)
        return out

    g = e.groupby("area")
    out["ties"] = g.size().reindex(index, fill_value=0)
    out["partners"] = g["partner"].nunique().reindex(index, fill_value=0)
    out["strength"] = g["strength"].sum().reindex(index, fill_value=0.0)
    mult = e.groupby(["area", "partner"])["kind"].nunique()
    out["mean_multiplexity"] = mult.groupby(level="area").mean().reindex(index)
    cat = e[["area", "partner"]].drop_duplicates()
    cat["category"] = cat["partner"].map(_partner_category(net)).fillna("other")
    out["partner_types"] = cat.groupby("area")["category"].nunique().reindex(index, fill_value=0)
    shares = cat.groupby(["area", "category"]).size() / cat.groupby("area").size()
    out["partner_diversity"] = (1 - (shares ** 2).groupby(level="area").sum()).reindex(index)

    # agreements: (own organisation, partner) pairs holding an active co_building tie
    co = e[(e["kind"] == "co_building").to_numpy()].copy()
    co["a"] = np.where(co["own"] < co["partner"], co["own"], co["partner"])
    co["b"] = np.where(co["own"] < co["partner"], co["partner"], co["own"])
    co = co.drop_duplicates(["area", "a", "b"])
    dormant = _dormant_pairs(net, t, when, dormant_days)
    co["dormant"] = dormant.reindex(pd.MultiIndex.from_frame(co[["a", "b"]]), fill_value=False).to_numpy()
    n_co = co.groupby("area").size().reindex(index, fill_value=0)
    n_dormant = co.groupby("area")["dormant"].sum().reindex(index, fill_value=0)
    out["co_building"] = n_co
    out["dormant_share"] = np.where(n_co > 0, n_dormant / n_co.where(n_co > 0, 1), np.nan)
    vertical = e["partner"].map(_is_vertical(net)).fillna(False).astype(bool)
    out["vertical_share"] = (vertical.groupby(e["area"]).mean()).reindex(index)
    for c in ("ties", "partners", "partner_types", "co_building"):
        out[c] = out[c].astype(int)
    out.index.name = level
    out.attrs.update(t.attrs, func="linkage_index", level=level, dormant_days=dormant_days)
    return out


@validate_params(net=Network(), min_strength=Real())
def tie_graph(net: OrgNetwork, *, min_strength: float = 0.0, **kwargs):
    """The active tie network as a weighted, undirected networkx ``Graph``.

    Edges are the pairs of :func:`tie_strength` with ``strength >= min_strength``
    and carry its columns as attributes (``weight`` = strength); nodes carry
    ``kind`` (area, organisation, unit). Keyword arguments go to :func:`tie_strength`.

    Examples
    --------
    >>> import orgnet
    >>> g = orgnet.linkage.tie_graph(orgnet.datasets.load("demo"), min_strength=1)
    >>> g.number_of_nodes(), g.number_of_edges(), round(g["O11"]["OU01"]["weight"], 3)
    (29, 40, 4.04)
    """
    import networkx as nx

    ts = tie_strength(net, **kwargs)
    ts = ts[ts["strength"] >= min_strength]
    g = nx.Graph()
    kinds = net.entity_kinds
    nodes = pd.unique(np.concatenate([ts["a"].to_numpy(dtype=object), ts["b"].to_numpy(dtype=object)]))
    g.add_nodes_from((n, {"kind": kinds.get(n)}) for n in nodes)
    cols = [c for c in ts.columns if c not in ("a", "b")]
    for rec in ts.itertuples(index=False):
        d = dict(zip(cols, rec[2:]))
        d["weight"] = float(d["strength"])
        g.add_edge(rec.a, rec.b, **d)
    return g


class _Thresholds(Constraint):
    """A non-empty sequence of numbers, passed on as a list."""

    def describe(self):
        return "a non-empty sequence of numbers"

    def convert(self, value):
        if isinstance(value, (str, bytes, dict)):
            raise TypeError
        out = list(value)  # TypeError if not iterable
        if not out:
            raise ValueError
        number = Real()
        return [number.convert(x) for x in out]  # ValueError if one is not a number


@validate_params(net=Network(), thresholds=[_Thresholds(), None])
def threshold_steps(net: OrgNetwork, thresholds=None, **kwargs) -> pd.DataFrame:
    """The tie network at increasing strength thresholds (weak versus strong ties).

    As NetDraw users step a slider over tie strength, this keeps only the pairs
    with ``strength >= threshold`` and summarises the network left.

    Parameters
    ----------
    net : OrgNetwork
    thresholds : sequence of float, optional
        A pair is kept at a threshold when ``strength >= threshold``, so a pair
        whose strength is exactly a threshold counts at that step. Default: the
        exact minimum pair strength, then the 25, 50, 75 and 90th percentiles of
        pair strength (numpy's linear interpolation), unrounded and with
        duplicates dropped, so the first row keeps every pair; ``[0.0]``
        without pairs.
    **kwargs
        Passed to :func:`tie_strength`.

    Returns
    -------
    DataFrame
        Indexed by threshold: ``pairs``, ``nodes`` (entities with a kept tie),
        ``components``, ``largest_component`` (nodes), ``largest_share``
        (of the nodes with any tie at threshold 0), ``density``
        (2 pairs / (nodes (nodes − 1))), ``mean_strength``.

    Examples
    --------
    >>> import orgnet
    >>> steps = orgnet.linkage.threshold_steps(orgnet.datasets.load("demo"), [0, 1, 2])
    >>> bool(steps["pairs"].is_monotonic_decreasing)
    True

    The default first row keeps all 73 pairs of the demo:

    >>> steps = orgnet.linkage.threshold_steps(orgnet.datasets.load("demo"))
    >>> steps["pairs"].tolist()
    [73, 55, 38, 20, 8]
    """
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    ts = tie_strength(net, **kwargs)
    if thresholds is None:
        if len(ts):
            strength = ts["strength"].to_numpy(dtype=float)
            # no rounding: a rounded minimum may exceed the weakest pair and drop it
            qs = np.percentile(strength, [25, 50, 75, 90])
            thresholds = sorted({float(strength.min()), *map(float, qs)})
        else:
            thresholds = [0.0]
    all_nodes = pd.unique(np.concatenate([ts["a"].to_numpy(dtype=object), ts["b"].to_numpy(dtype=object)]))
    base = max(len(all_nodes), 1)
    rows = []
    for th in thresholds:
        k = ts[ts["strength"] >= th]
        codes, uniq = pd.factorize(np.concatenate([k["a"].to_numpy(dtype=object), k["b"].to_numpy(dtype=object)]))
        n = len(uniq)
        m = len(k)
        if n:
            adj = sparse.coo_matrix((np.ones(m), (codes[:m], codes[m:])), shape=(n, n))
            nc, labels = connected_components(adj, directed=False)
            largest = int(np.bincount(labels).max())
        else:
            nc, largest = 0, 0
        rows.append((th, m, n, nc, largest, largest / base,
                     2 * m / (n * (n - 1)) if n > 1 else np.nan,
                     float(k["strength"].mean()) if m else np.nan))
    out = pd.DataFrame(rows, columns=["threshold", "pairs", "nodes", "components", "largest_component",
                                      "largest_share", "density", "mean_strength"]).set_index("threshold")
    out.attrs.update(ts.attrs, func="threshold_steps")
    return out


# ---------------------------------------------------------------- meetings: cadence and rotation

#: the periods :func:`cadence` counts in: calendar months or quarters
PERIODS = ("M", "Q")


class _EventKinds(Constraint):
    """One event kind or a non-empty list of them, passed on as a tuple."""

    def describe(self):
        return "an event kind or a non-empty list of event kinds among " + ", ".join(_EVENT_KINDS)

    def convert(self, value):
        if isinstance(value, str):
            value = (value,)
        try:
            value = tuple(value)
        except TypeError:
            raise TypeError from None
        if not value or any(not isinstance(v, str) or v not in _EVENT_KINDS for v in value):
            raise ValueError
        return value


_EVENT_KINDS = tuple(schema.VOCABULARIES["event_kind"].values)


def _entity_names(net: OrgNetwork) -> pd.Series:
    """Name of every organisation, unit and area (the entities that convene and chair)."""
    s = pd.concat([net.organisations["name"].astype(object), net.units["name"].astype(object),
                   net.areas["name"].astype(object)])
    return s[~s.index.duplicated()]


def _held(net: OrgNetwork, kinds, when) -> pd.DataFrame:
    """Events of ``kinds`` held on or before ``when``, sorted by (convener, date, id)."""
    ev = net.events
    keep = (ev["kind"].isin(list(kinds)) & (ev["date"] <= when)).to_numpy(dtype=bool)
    ev = ev[keep]
    out = pd.DataFrame({
        "event": ev.index.astype(object).to_numpy(),
        "convener": ev["convener"].astype(object).to_numpy(),
        "date": ev["date"].to_numpy(),
        "chair": ev["chair"].astype(object).to_numpy(),
    })
    return out.sort_values(["convener", "date", "event"], kind="stable").reset_index(drop=True)


def _members(net: OrgNetwork, held: pd.DataFrame, when) -> dict[str, frozenset]:
    """Members of each convener of ``held``: the other ends of its active ``joint_conference``
    ties at ``when`` (either direction); for a convener with none, every entity other than
    itself that attended one of its events in ``held``."""
    jc = net.active_ties(when, kinds="joint_conference")
    src = jc["source"].astype(object).to_numpy()
    dst = jc["target"].astype(object).to_numpy()
    by_tie: dict[str, set] = {}
    for a, b in zip(src, dst):
        by_tie.setdefault(a, set()).add(b)
        by_tie.setdefault(b, set()).add(a)
    at = net.attendance
    att = pd.DataFrame({"event": at["event"].astype(object).to_numpy(),
                        "entity": at["entity"].astype(object).to_numpy()})
    att = att.merge(held[["event", "convener"]], on="event")
    attended = att.groupby("convener")["entity"].agg(set).to_dict() if len(att) else {}
    out = {}
    for c in pd.unique(held["convener"]):
        m = by_tie.get(c) or (attended.get(c, set()) - {c})
        out[c] = frozenset(m)
    return out


def _window(held: pd.DataFrame, when, days: int) -> pd.DataFrame:
    """Events held in the ``days`` days up to ``when``: ``when - days < date <= when``."""
    lo = when - pd.Timedelta(days=int(days))
    return held[(held["date"] > lo).to_numpy()]


def _attendees(net: OrgNetwork, events) -> pd.DataFrame:
    """Attendance rows of ``events``: ``event``, ``entity``, ``score`` (float, NaN when empty)."""
    at = net.attendance
    keep = at["event"].isin(list(events)).to_numpy(dtype=bool)
    at = at[keep]
    return pd.DataFrame({"event": at["event"].astype(object).to_numpy(),
                         "entity": at["entity"].astype(object).to_numpy(),
                         "score": at["score"].to_numpy(dtype=float, na_value=np.nan)})


def _joined(ids) -> str | None:
    ids = sorted(ids)
    return ",".join(ids) if ids else None


@validate_params(net=Network(), period=Options(*PERIODS), target_per_period=Integer(1), as_of=[Date(), None],
                 window_days=Integer(1), kinds=_EventKinds())
def cadence(net: OrgNetwork, *, period: str = "M", target_per_period: int = 1, as_of=None,
            window_days: int = 365, kinds=("meeting",)) -> pd.DataFrame:
    """How regularly each convener meets, and how many of its members come (例会制度).

    Joint conferences (联席会议) are meant to meet monthly or quarterly; this
    counts, per convener, its events in the ``window_days`` days up to
    ``as_of``, the calendar periods that reached the target, and the share of
    its members attending.

    Parameters
    ----------
    net : OrgNetwork
    period : {"M", "Q"}, default "M"
        Calendar months or quarters.
    target_per_period : int, default 1
        Events a period needs to count as met (``>=``: a period with exactly
        the target is met).
    as_of : date-like, optional
        Default: the network's ``as_of``.
    window_days : int, default 365
        The window holds the ``window_days`` days ending on ``as_of``, as_of
        included: an event counts when ``as_of - window_days < date <= as_of``
        (an event exactly ``window_days`` before ``as_of`` is outside).
    kinds : str or sequence of str, default ("meeting",)
        Event kinds counted.

    Returns
    -------
    DataFrame
        Indexed by ``convener`` (every entity that convened an event of
        ``kinds`` on or before ``as_of``, sorted; one that has stopped keeps
        its row): ``name``; ``events`` (in the window); ``periods`` (calendar
        periods holding at least one day of the window); ``events_per_period``
        (events / periods); ``target_per_period``; ``periods_met`` (periods
        with at least the target number of events in the window) and
        ``met_share`` (periods_met / periods); ``members``; ``attendance_rate``
        (mean over its events in the window of the share of its members
        attending; NaN without events or members); ``last_event`` (its latest
        event on or before ``as_of``, in the window or not).

    Raises
    ------
    OrgnetMissingDataError
        The network has no ``events`` table.

    Notes
    -----
    A convener's *members* are the other ends of its ``joint_conference`` ties
    active at ``as_of``, in either direction; a convener with no such tie (a
    community's own council) has as members every entity other than itself
    that attended any of its events of ``kinds`` on or before ``as_of``. An
    attendance row counts the entity as present whatever its ``people``.
    Group-bys over events and attendance: O(events + attendance + ties).

    Examples
    --------
    Street O2 meets monthly, O3 quarterly, community O11 every other month, and
    O13 stopped after September 2024:

    >>> import orgnet
    >>> net = orgnet.datasets.load("demo")
    >>> cd = orgnet.linkage.cadence(net)
    >>> cd[["events", "periods", "periods_met", "members"]]  # doctest: +NORMALIZE_WHITESPACE
              events  periods  periods_met  members
    convener
    O11            6       12            6        3
    O13            3       12            3        4
    O2            12       12           12        4
    O3             4       12            4        4
    >>> round(float(cd.loc["O2", "attendance_rate"]), 3), str(cd.loc["O13", "last_event"].date())
    (0.875, '2024-09-12')
    >>> orgnet.linkage.cadence(net, period="Q")["met_share"].tolist()
    [1.0, 0.25, 1.0, 1.0]
    """
    require(net, tables=("events",))
    when = net.resolve_as_of(as_of)
    held = _held(net, kinds, when)
    cols = ["name", "events", "periods", "events_per_period", "target_per_period", "periods_met", "met_share",
            "members", "attendance_rate", "last_event"]
    lo = when - pd.Timedelta(days=int(window_days))
    span = pd.period_range((lo + pd.Timedelta(days=1)).to_period(period), when.to_period(period), freq=period)
    conveners = pd.Index(sorted(pd.unique(held["convener"])), dtype=object, name="convener")
    out = pd.DataFrame(index=conveners)
    out["name"] = pd.array(_entity_names(net).reindex(conveners).to_numpy(dtype=object), dtype=schema.TEXT_DTYPE)
    win = _window(held, when, window_days)
    out["events"] = win.groupby("convener").size().reindex(conveners, fill_value=0).astype("int64")
    out["periods"] = len(span)
    out["events_per_period"] = out["events"] / len(span)
    out["target_per_period"] = target_per_period
    per = win.groupby(["convener", win["date"].dt.to_period(period)]).size()
    met = (per >= target_per_period).groupby(level="convener").sum()
    out["periods_met"] = met.reindex(conveners, fill_value=0).astype("int64")
    out["met_share"] = out["periods_met"] / len(span)
    members = _members(net, held, when)
    out["members"] = pd.Series({c: len(m) for c, m in members.items()}, dtype="int64").reindex(conveners)
    att = _attendees(net, win["event"])
    present = att.groupby("event")["entity"].agg(set).to_dict() if len(att) else {}
    rate = {}
    for c, ev in win.groupby("convener")["event"]:
        m = members[c]
        if m:
            rate[c] = float(np.mean([len(present.get(e, set()) & m) / len(m) for e in ev]))
    out["attendance_rate"] = pd.Series(rate, dtype=float).reindex(conveners)
    out["last_event"] = held.groupby("convener")["date"].max().reindex(conveners).astype("datetime64[ns]")
    out = out[cols]
    out.attrs = {"func": "cadence", "as_of": when, "period": period, "target_per_period": target_per_period,
                 "window_days": window_days, "window": (lo + pd.Timedelta(days=1), when), "kinds": kinds}
    return out


@validate_params(net=Network(), cycle_days=Integer(1), as_of=[Date(), None], kinds=_EventKinds())
def rotation(net: OrgNetwork, *, cycle_days: int = 365, as_of=None, kinds=("meeting",)) -> pd.DataFrame:
    """Rotating chairs and peer scores of each convener's members (轮值主席, 评议打分).

    A joint conference rotates its chair among its members, and the members
    score one another at each meeting. This shows, per convener, which
    members chaired at least once in the cycle, which never did, who chaired
    without being a member, and the peer scores given.

    Parameters
    ----------
    net : OrgNetwork
    cycle_days : int, default 365
        The cycle holds the ``cycle_days`` days ending on ``as_of``, as_of
        included (``as_of - cycle_days < date <= as_of``), as the window of
        :func:`cadence`.
    as_of : date-like, optional
        Default: the network's ``as_of``.
    kinds : str or sequence of str, default ("meeting",)
        Event kinds counted.

    Returns
    -------
    DataFrame
        Indexed by ``convener`` (as in :func:`cadence`): ``name``; ``events``
        (in the cycle); ``members`` (as in :func:`cadence`); ``chaired``
        (members who chaired at least one event in the cycle); ``never_chaired``
        (the other members' ids, comma-separated; missing when every
        member chaired); ``chairs_not_members`` (chairs in the cycle that are
        not members, comma-separated; missing when there are none); ``mean_score`` (mean of the non-empty
        ``score`` of every attendance row of its events in the cycle, members
        or not; NaN without scores).
        ``attrs["scores"]``: the mean peer score per member, a DataFrame
        indexed by convener with one column per entity (its members and any
        other entity scored at its events in the cycle), NaN where an entity
        has no score there (a member who never attended).

    Raises
    ------
    OrgnetMissingDataError
        The network has no ``events`` table.

    Notes
    -----
    Members are defined as in :func:`cadence`. An event without a ``chair``
    counts for ``events`` but for no chair. Group-bys: O(events + attendance
    + ties).

    Examples
    --------
    U27 never chaired O2's conference; O3's last meeting was chaired by its
    co-building partner OU08, not a member; O11 does not score:

    >>> import orgnet
    >>> rot = orgnet.linkage.rotation(orgnet.datasets.load("demo"))
    >>> rot[["members", "chaired", "never_chaired", "chairs_not_members"]]  # doctest: +NORMALIZE_WHITESPACE
              members  chaired never_chaired chairs_not_members
    convener
    O11             3        3           NaN                NaN
    O13             4        3           U26                NaN
    O2              4        3           U27                NaN
    O3              4        3           OJ1               OU08
    >>> rot["mean_score"].round(3).tolist()
    [nan, 7.778, 8.286, 8.038]
    >>> rot.attrs["scores"].loc["O2", ["OU01", "OU02", "OS1", "U27"]].tolist()
    [9.5, 8.5, 8.0, 6.0]
    """
    require(net, tables=("events",))
    when = net.resolve_as_of(as_of)
    held = _held(net, kinds, when)
    conveners = pd.Index(sorted(pd.unique(held["convener"])), dtype=object, name="convener")
    members = _members(net, held, when)
    win = _window(held, when, cycle_days)
    att = _attendees(net, win["event"]).merge(win[["event", "convener"]], on="event")
    chairs = win[win["chair"].notna().to_numpy()].groupby("convener")["chair"].agg(set).to_dict() \
        if len(win) else {}
    rows = []
    for c in conveners:
        m, ch = members[c], chairs.get(c, set())
        rows.append((len(m), len(m & ch), _joined(m - ch), _joined(ch - m)))
    out = pd.DataFrame(rows, index=conveners, columns=["members", "chaired", "never_chaired", "chairs_not_members"])
    out.insert(0, "events", win.groupby("convener").size().reindex(conveners, fill_value=0).astype("int64"))
    out.insert(0, "name", pd.array(_entity_names(net).reindex(conveners).to_numpy(dtype=object),
                                   dtype=schema.TEXT_DTYPE))
    for col in ("never_chaired", "chairs_not_members"):
        out[col] = pd.array(out[col].to_numpy(dtype=object), dtype=schema.TEXT_DTYPE)
    for col in ("members", "chaired"):
        out[col] = out[col].astype("int64")
    scored = att[att["score"].notna().to_numpy()]
    out["mean_score"] = scored.groupby("convener")["score"].mean().reindex(conveners).astype(float)
    per = scored.groupby(["convener", "entity"])["score"].mean()
    entities = sorted(set().union(*members.values(), set(per.index.get_level_values("entity")))) if members else []
    scores = pd.DataFrame(np.nan, index=conveners, columns=pd.Index(entities, dtype=object, name="entity"))
    for (c, e), v in per.items():
        scores.loc[c, e] = float(v)
    out.attrs = {"func": "rotation", "as_of": when, "cycle_days": cycle_days, "kinds": kinds,
                 "cycle": (when - pd.Timedelta(days=int(cycle_days) - 1), when), "scores": scores}
    return out
