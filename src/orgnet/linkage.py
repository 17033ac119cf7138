"""Linkage: how strongly, through how many channels and how recently entities are tied.

Co-building is only real when ties are used: an agreement signed and never acted
on (签而不联) is not linkage. :func:`tie_strength` scores every connected pair
(multiplex: weighted over tie kinds, growing with intensity, decaying with age)
and flags dormant agreements; :func:`linkage_index` rolls the ties of each
area's territorial organisations up into comparable indicators;
:func:`threshold_steps` shows the network from weak to strong ties.

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
=================  ======  =====================================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import schema
from ._params import Constraint, Date, Level, Network, Real, Weights, validate_params
from .network import OrgNetwork

__all__ = ["DEFAULT_WEIGHTS", "tie_strength", "tie_table", "linkage_index", "threshold_steps", "tie_graph"]

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

    The demo's first agreement, O11 with OU01, signed 1,203 days before the
    ledger date: 1.0 × log2(1 + 1) × 0.5 ** (1203 / 365) = 0.1018:

    >>> import orgnet
    >>> t = orgnet.linkage.tie_table(orgnet.datasets.load("demo"))
    >>> first = t.loc[0]
    >>> len(t), first[["a", "b", "kind"]].tolist(), float(first["age_days"]), round(float(first["strength"]), 4)
    (65, ['O11', 'OU01', 'co_building'], 1203.0, 0.1018)
    """
    w = _weights(weights)
    when = net.resolve_as_of(as_of)
    t = net.active_ties(when).copy()
    s = t["source"].astype(object).to_numpy()
    g = t["target"].astype(object).to_numpy()
    swap = s > g
    t["a"] = np.where(swap, g, s)
    t["b"] = np.where(swap, s, g)
    count = t["count"].fillna(schema.TABLES["ties"].column("count").default).to_numpy(dtype=float)
    age = (when - t["start"]).dt.days.to_numpy(dtype=float)
    age = np.where(np.isnan(age), 0.0, np.maximum(age, 0.0))  # no start date: no decay
    kind_w = t["kind"].astype(object).map(w).to_numpy(dtype=float)
    t["age_days"] = age
    t["strength"] = kind_w * np.log2(1.0 + count) * np.power(0.5, age / float(half_life_days))
    t.attrs.update(as_of=when, weights=w, half_life_days=half_life_days)
    return t


def _dormant_pairs(net: OrgNetwork, ties: pd.DataFrame, when, dormant_days) -> pd.Series:
    """Per unordered pair holding an active co_building tie: True if no activity tie
    between the same two ends started within ``dormant_days`` before ``when``."""
    co = ties[(ties["kind"] == "co_building").to_numpy()]
    pairs = co[["a", "b"]].drop_duplicates()
    act = net.ties[(net.ties["kind"] == "activity").to_numpy()]
    lo = when - pd.Timedelta(days=float(dormant_days))
    recent = act[((act["start"] >= lo) & (act["start"] <= when)).fillna(False).to_numpy()]
    s = recent["source"].astype(object).to_numpy()
    g = recent["target"].astype(object).to_numpy()
    live = set(zip(np.where(s > g, g, s), np.where(s > g, s, g)))
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
        ``last_activity`` (latest start of an ``activity`` tie between them),
        and ``dormant``: the pair holds an active ``co_building`` agreement but no
        ``activity`` tie started within ``dormant_days`` before ``as_of``
        (签而不联).

    Notes
    -----
    log2(1 + count) is increasing and concave with value 1 at count 1: ten
    activities weigh more than one, but not ten times more. Vectorised table
    work: O(ties log ties).

    Examples
    --------
    The strongest pair of the demo holds three kinds of tie; two agreements are
    dormant — O22 with OU04 (last activity 2023-05-20) and with U30 (none):

    >>> import orgnet
    >>> ts = orgnet.linkage.tie_strength(orgnet.datasets.load("demo"))
    >>> ts.nlargest(1, "strength")[["a", "b", "strength", "multiplexity"]].round(3)
         a     b  strength  multiplexity
    6  O12  OU02      4.11             3
    >>> ts.loc[ts["dormant"], ["a", "b", "last_activity"]]
          a     b last_activity
    21  O22  OU04    2023-05-20
    26  O22   U30           NaT
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
    out.attrs.update(t.attrs, func="tie_strength", dormant_days=dormant_days)
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
    """Vertical (条) partners: agency units and their organisations, and industry organisations."""
    u = net.units["type"].astype(object) == "agency"
    o = net.organisations
    org_v = (o["scope"] == "industry") | ((o["scope"] == "unit") & o["unit"].astype(object).map(u).fillna(False).astype(bool))
    return pd.concat([u, org_v.astype(bool)])


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
    C11               5    10.065            3          0.000
    C12               4     6.985            2          0.000
    C13               3     1.797            0            NaN
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

    >>> import orgnet
    >>> g = orgnet.linkage.tie_graph(orgnet.datasets.load("demo"), min_strength=1)
    >>> g.number_of_nodes(), g.number_of_edges(), round(g["O11"]["OU01"]["weight"], 3)
    (21, 15, 3.699)
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

    The default first row keeps all 49 pairs of the demo:

    >>> steps = orgnet.linkage.threshold_steps(orgnet.datasets.load("demo"))
    >>> steps["pairs"].tolist()
    [49, 37, 25, 13, 5]
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
