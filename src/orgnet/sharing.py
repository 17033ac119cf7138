"""Resource sharing from the three lists (三项清单: 需求、资源、项目).

- :func:`match` — how much of the open demands the listed resources could meet:
  an exact transportation problem (maximum matched quantity, then minimum cost),
  with unmet demands, idle resources and recommended new pairings;
- :func:`realised` — sharing that happened (projects), per area, with two-way
  claiming (双向认领) as reciprocity;
- :func:`gini` and :func:`lorenz_curve` — inequality across areas (from
  :mod:`orgnet.algorithms.inequality`, re-exported here).

The matching itself is :func:`orgnet.algorithms.transport_match` on arrays;
this module builds those arrays from the lists and turns the flow back into
assignments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import schema
from ._geo import haversine_m, pairs_within
from ._params import Bool, Date, Integer, Level, Network, Options, Real, validate_params
from .algorithms.inequality import gini, lorenz_curve
from .algorithms.transport import transport_match
from .errors import OrgnetParameterError
from .network import OrgNetwork

__all__ = ["MatchResult", "match", "realised", "gini", "lorenz_curve", "party_of"]


@dataclass
class MatchResult:
    """The result of :func:`match`.

    Attributes
    ----------
    assignments : DataFrame
        One row per (demand, resource) with a positive flow: ``demand``,
        ``resource``, ``category``, ``quantity``, ``distance_m``,
        ``existing_partner``, ``demand_owner``, ``resource_owner``.
    unmet : DataFrame
        Indexed by open demand: ``category``, ``quantity``, ``matched``, ``unmet``.
    idle : DataFrame
        Indexed by resource: ``category``, ``capacity``, ``used``, ``idle``.
    pairs : DataFrame
        Recommended new pairings: owner pairs not yet tied that the matching
        uses, one row per pair and category (quantities of different
        categories are not added), with ``demand_owner``, ``resource_owner``,
        ``category``, ``quantity`` (in the category's unit), ``assignments``;
        largest quantity first.
    params : dict
        The parameters used.
    """

    assignments: pd.DataFrame
    unmet: pd.DataFrame
    idle: pd.DataFrame
    pairs: pd.DataFrame
    params: dict = field(default_factory=dict)
    _net: OrgNetwork | None = field(default=None, repr=False)

    @property
    def matched_quantity(self) -> float:
        """Total matched quantity, over all categories.

        Quantities of different categories are in different units (yuan of
        funding, people of elderly care, venues), so this total is a check of
        conservation, not a figure to quote: use :meth:`summary` (quantity share
        per category) or :attr:`demands_met_share` (share of demands fully met).
        """
        return float(self.assignments["quantity"].sum())

    @property
    def demands_met_share(self) -> float:
        """Share of the open demands whose quantity is fully matched (a share of demands, not of quantity).

        Counts demands, so no quantities of different categories are added.
        NaN when there is no open demand.

        >>> import orgnet
        >>> r = orgnet.sharing.match(orgnet.datasets.load("demo"))
        >>> round(r.demands_met_share, 4)  # N2, N5, N8, N10 of N2, N4, N5, N7, N8, N10
        0.6667
        """
        u = self.unmet
        return float(_fully_met(u).mean()) if len(u) else float("nan")

    @validate_params(by=Level(extra=("category",)))
    def summary(self, by: str = "category") -> pd.DataFrame:
        """How much of the open demand is met, per category or per area of the demand's owner.

        A demand is *fully met* when the matching gives it its whole quantity.
        Quantities are compared only within a category (a yuan of funding and a
        person of elderly care are not added up), so:

        - ``by="category"`` (default): one row per category, with ``demand``
          (open quantity), ``matched``, ``unmet``, ``matched_share`` (matched
          quantity / open quantity of the category), ``demands`` (open demands),
          ``demands_met`` (of them, fully met) and ``demands_met_share``
          (``demands_met / demands``);
        - ``by=<level>`` (e.g. ``"community"``): one row per area of the level,
          with ``demands``, ``demands_met`` and ``demands_met_share`` — shares of
          the *number* of open demands posted in the area, never of summed
          quantities.

        Shares are NaN where there is no open demand.

        Examples
        --------
        >>> import orgnet
        >>> r = orgnet.sharing.match(orgnet.datasets.load("demo"))
        >>> r.summary().loc[["funding", "elderly_care"], ["demand", "matched_share"]].values.tolist()
        [[20000.0, 1.0], [30.0, 0.0]]
        >>> r.summary(by="community")["demands_met_share"].to_dict()  # C13: N10 met, N4 not
        {'C11': 1.0, 'C12': nan, 'C13': 0.5, 'C21': nan, 'C22': 0.0, 'C23': 1.0}
        """
        u = self.unmet
        met = _fully_met(u).astype(float)
        if by == "category":
            key = u["category"].astype(object)
            index = None
            cols = ["demand", "matched", "unmet", "demands", "demands_met"]
        else:
            net = self._net
            area = net.demands["owner"].astype(object).map(net.entity_areas).reindex(u.index)
            key = net.ancestor(area, by)
            index = net.areas.index[(net.areas["level"] == by).to_numpy()]
            cols = ["demands", "demands_met"]
        g = pd.DataFrame({"key": key.to_numpy(), "demand": u["quantity"].to_numpy(float),
                          "matched": u["matched"].to_numpy(float), "unmet": u["unmet"].to_numpy(float),
                          "demands": np.ones(len(u)), "demands_met": met.to_numpy()})
        out = g.dropna(subset=["key"]).groupby("key")[cols].sum()  # quantities summed within a category only
        if index is not None:
            out = out.reindex(index, fill_value=0.0)
        if by == "category":
            out["matched_share"] = _share(out["matched"], out["demand"])
            out = out[["demand", "matched", "unmet", "matched_share", "demands", "demands_met"]]
        out["demands"] = out["demands"].astype(int)
        out["demands_met"] = out["demands_met"].astype(int)
        out["demands_met_share"] = _share(out["demands_met"], out["demands"])
        out.index.name = by
        return out


def _fully_met(unmet: pd.DataFrame) -> pd.Series:
    """Whether each open demand's quantity is fully matched (unmet within rounding of 0)."""
    q = unmet["quantity"].to_numpy(float)
    return pd.Series(unmet["unmet"].to_numpy(float) <= 1e-9 * np.maximum(1.0, q), index=unmet.index)


def _share(part: pd.Series, whole: pd.Series) -> np.ndarray:
    whole = whole.astype(float)
    return np.where(whole > 0, part.astype(float) / whole.where(whole > 0, 1), np.nan)


@validate_params(net=Network(), as_of=[Date(), None])
def party_of(net: OrgNetwork, as_of=None) -> pd.Series:
    """The *party* an entity acts for in sharing: a unit and its own organisations
    are one party (the unit), a territorial organisation and the area it is seated
    in are one party (the area); every other entity is its own party.

    Examples
    --------
    >>> import orgnet
    >>> p = orgnet.sharing.party_of(orgnet.datasets.load("demo"))
    >>> p["OU05"], p["O11"]
    ('U05', 'C11')
    """
    when = net.resolve_as_of(as_of)
    o = net.organisations_at(when)
    kinds = net.entity_kinds
    # a copy: on pandas < 3 the array is the index's own, and the writes below would change the index
    party = pd.Series(kinds.index.to_numpy(dtype=object, copy=True), index=kinds.index)
    unit_orgs = o[(o["scope"] == "unit").to_numpy()]
    party.loc[unit_orgs.index] = unit_orgs["unit"].astype(object).to_numpy()
    terr = o[(o["scope"] == "territorial").to_numpy()]
    party.loc[terr.index] = terr["area"].astype(object).to_numpy()
    return party


def _partner_pairs(net: OrgNetwork, when) -> set:
    party = party_of(net, when)
    t = net.active_ties(when)
    a = t["source"].astype(object).map(party).to_numpy(dtype=object)
    b = t["target"].astype(object).map(party).to_numpy(dtype=object)
    return set(zip(a, b)) | set(zip(b, a))


@validate_params(
    net=Network(),
    max_distance_m=[Real(0, exclusive=True), None],
    prefer_partners=Bool(),
    partner_bonus_m=Real(0),
    max_candidates=Integer(1),
    as_of=[Date(), None],
)
def match(net: OrgNetwork, *, max_distance_m: float | None = None, prefer_partners: bool = True,
          partner_bonus_m: float = 1000.0, max_candidates: int = 5_000_000, as_of=None) -> MatchResult:
    """Match open demands with listed resources: the most quantity, at the least cost.

    A resource serves a demand only of the same category, within
    ``max_distance_m`` of the demand's owner when given, and no resource gives
    more than its capacity. Among all matchings of the largest total quantity,
    the one of least total cost is returned, where one unit of quantity moved
    from resource *r* to demand *d* costs the distance between them (metres),
    less ``partner_bonus_m`` when their owners already hold an active tie.

    Parameters
    ----------
    net : OrgNetwork
    max_distance_m : float, optional
        Longest distance a resource serves (metres). Default: no limit.
    prefer_partners : bool, default True
        Give existing partners the bonus.
    partner_bonus_m : float, default 1000
        Cost reduction (metres) for a pair whose owners — counting a unit and its
        own organisation, and a territorial organisation and its area, as one
        party (:func:`party_of`) — hold an active tie of any kind.
    max_candidates : int, default 5,000,000
        Refuse problems with more candidate (demand, resource) pairs than this;
        pass ``max_distance_m`` to keep candidates local.
    as_of : date-like, optional
        Date for active ties and open demands (demands dated after it are left
        out). Default: the network's ``as_of``.

    Returns
    -------
    MatchResult

    See Also
    --------
    orgnet.algorithms.transport_match : the matching on arrays.

    Notes
    -----
    A transportation problem, solved exactly by
    :func:`orgnet.algorithms.transport_match`: two sparse linear programmes
    with HiGHS (``scipy.optimize.linprog``) — maximise the matched quantity,
    then minimise cost at that quantity — per connected component of the
    candidate graph (in batches), since the problem separates over them. Its
    constraint matrix is totally unimodular, so whole-number quantities and
    capacities give a whole-number matching. This function builds the
    candidate pairs and their costs from the lists and turns the flow back
    into assignments. Candidates come from a k-d tree per category when
    ``max_distance_m`` is given (all same-category pairs otherwise). Demands
    with status ``met`` are not matched. A demand or resource without a
    location can be matched only when there is no distance limit; its distance
    is then unknown (NaN) and costs more than any known distance.

    Examples
    --------
    On the demo, four of the six open demands are met in full; N7 (legal) and
    N4 (elderly care) find no resource of their category. N2's volunteers come
    from R7, whose owner already co-builds with N2's:

    >>> import orgnet
    >>> net = orgnet.datasets.load("demo")
    >>> r = orgnet.sharing.match(net)
    >>> r.assignments[["demand", "resource", "category", "quantity", "existing_partner"]]
      demand resource    category  quantity  existing_partner
    0    N10       R6     funding   20000.0             False
    1     N2       R7  volunteers      20.0              True
    2     N5       R8  employment      15.0             False
    3     N8       R9       venue       1.0             False
    >>> r.unmet.loc[r.unmet["unmet"] > 0, ["category", "unmet"]]
            category  unmet
    id
    N4  elderly_care   30.0
    N7         legal   10.0
    >>> r.pairs[["demand_owner", "resource_owner", "category", "quantity"]]
      demand_owner resource_owner    category  quantity
    0          C13           OU08     funding   20000.0
    1          C23            U14  employment      15.0
    2          O23           OU09       venue       1.0
    """
    when = net.resolve_as_of(as_of)
    d = net.demands
    d = d[((d["status"].isna() | (d["status"] == "open")) & (d["date"].isna() | (d["date"] <= when))).to_numpy()]
    r = net.resources
    r = r[(r["date"].isna() | (r["date"] <= when)).to_numpy()]
    q = d["quantity"].fillna(schema.TABLES["demands"].column("quantity").default).to_numpy(float)
    cap = r["capacity"].fillna(schema.TABLES["resources"].column("capacity").default).to_numpy(float)
    loc = net.locations
    d_ll = loc.reindex(d.index)[["lon", "lat"]].to_numpy(float)
    r_ll = loc.reindex(r.index)[["lon", "lat"]].to_numpy(float)
    d_cat = d["category"].astype(object).to_numpy()
    r_cat = r["category"].astype(object).to_numpy()

    # candidate edges per category
    parts_i, parts_j, parts_d = [], [], []
    for cat in sorted(set(d_cat) & set(r_cat)):
        di = np.flatnonzero(d_cat == cat)
        rj = np.flatnonzero(r_cat == cat)
        if max_distance_m is not None:
            dok = di[~np.isnan(d_ll[di]).any(axis=1)]
            rok = rj[~np.isnan(r_ll[rj]).any(axis=1)]
            i, j, dist = pairs_within(d_ll[dok, 0], d_ll[dok, 1], r_ll[rok, 0], r_ll[rok, 1], max_distance_m)
            i, j = dok[i], rok[j]
        else:
            if len(di) * len(rj) > max_candidates:
                raise OrgnetParameterError(
                    f"match would consider {len(di) * len(rj):,} candidate pairs in category {cat!r} "
                    f"(max_candidates={max_candidates:,}); pass max_distance_m to keep candidates local"
                )
            i = np.repeat(di, len(rj))
            j = np.tile(rj, len(di))
            dist = haversine_m(d_ll[i, 0], d_ll[i, 1], r_ll[j, 0], r_ll[j, 1])
        parts_i.append(i)
        parts_j.append(j)
        parts_d.append(dist)
    ei = np.concatenate(parts_i) if parts_i else np.zeros(0, dtype=np.int64)
    ej = np.concatenate(parts_j) if parts_j else np.zeros(0, dtype=np.int64)
    dist = np.concatenate(parts_d) if parts_d else np.zeros(0)
    if len(ei) > max_candidates:
        raise OrgnetParameterError(
            f"match would consider {len(ei):,} candidate pairs (max_candidates={max_candidates:,}); "
            "lower max_distance_m"
        )

    d_owner = d["owner"].astype(object).to_numpy()
    r_owner = r["owner"].astype(object).to_numpy()
    party = party_of(net, when)
    tied = _partner_pairs(net, when)
    dp = pd.Series(d_owner).map(party).to_numpy(dtype=object)
    rp = pd.Series(r_owner).map(party).to_numpy(dtype=object)
    existing = np.fromiter(((dp[a], rp[b]) in tied for a, b in zip(ei, ej)), dtype=bool, count=len(ei))
    known = ~np.isnan(dist)
    unknown_cost = (np.nanmax(dist) if known.any() else 0.0) + 1.0
    cost = np.where(known, dist, unknown_cost)
    if prefer_partners:
        cost = cost - partner_bonus_m * existing

    t = transport_match(len(d), len(r), ei, ej, cost, q, cap)
    x = t.flow
    used = x > 0
    assign = pd.DataFrame({
        "demand": d.index.to_numpy(dtype=object)[ei[used]],
        "resource": r.index.to_numpy(dtype=object)[ej[used]],
        "category": d_cat[ei[used]],
        "quantity": x[used],
        "distance_m": dist[used],
        "existing_partner": existing[used],
        "demand_owner": d_owner[ei[used]],
        "resource_owner": r_owner[ej[used]],
    }).sort_values(["demand", "resource"], ignore_index=True)
    matched_d, used_r = t.demand_matched, t.resource_used
    unmet = pd.DataFrame({"category": d["category"], "quantity": q, "matched": matched_d,
                          "unmet": np.maximum(q - matched_d, 0.0)}, index=d.index)
    idle = pd.DataFrame({"category": r["category"], "capacity": cap, "used": used_r,
                         "idle": np.maximum(cap - used_r, 0.0)}, index=r.index)
    new = assign[~assign["existing_partner"]]
    # one row per owner pair and category: quantities of different categories are not added
    pairs = (new.groupby(["demand_owner", "resource_owner", "category"], sort=True)
             .agg(quantity=("quantity", "sum"), assignments=("quantity", "size"))
             .reset_index().sort_values("quantity", ascending=False, kind="stable", ignore_index=True))
    params = dict(as_of=when, max_distance_m=max_distance_m, prefer_partners=prefer_partners,
                  partner_bonus_m=partner_bonus_m, candidates=int(len(ei)))
    return MatchResult(assign, unmet, idle, pairs, params, net)


@validate_params(net=Network(), level=Level(), as_of=[Date(), None], status=Options("done", "all"))
def realised(net: OrgNetwork, *, level: str = "community", as_of=None, status: str = "done") -> pd.DataFrame:
    """Sharing that happened: projects per area, with two-way claiming as reciprocity.

    Parties as in :func:`party_of`: the own side of an area is the area
    parties (areas and their territorial organisations) inside it; units, their
    organisations and other organisations are partners. A project belongs to
    the area of its owner's party and to the area of its partner's party (a
    pairing between two communities counts for both); a project between two
    non-area parties belongs to the area where its owner is located.

    Parameters
    ----------
    net : OrgNetwork
    level : str, default "community"
    as_of : date-like, optional
        Projects dated after it are left out. Default: the network's ``as_of``.
    status : {"done", "all"}, default "done"
        Count only finished projects, or all.

    Returns
    -------
    DataFrame
        Indexed by the areas of ``level``: ``name``, ``projects`` (belonging to
        the area), ``value`` (sum of ``value``, empty values skipped),
        ``partners`` (distinct partner parties, outside the area's own side),
        ``two_way_share`` (share of those partners with projects in both
        directions — the area owns one and is partner in another, 双向认领;
        NaN without partners). ``attrs`` holds the Gini coefficients of value
        and projects across the areas.

    Examples
    --------
    >>> import orgnet
    >>> rs = orgnet.sharing.realised(orgnet.datasets.load("demo"))
    >>> rs[["projects", "value", "partners"]]
               projects    value  partners
    community
    C11               1      0.0         1
    C12               2  15000.0         2
    C13               0      0.0         0
    C21               1   8000.0         1
    C22               0      0.0         0
    C23               0      0.0         0
    >>> round(rs.attrs["gini_value"], 3), round(rs.attrs["gini_projects"], 3)
    (0.717, 0.583)
    """
    when = net.resolve_as_of(as_of)
    p = net.projects
    p = p[(p["date"].isna() | (p["date"] <= when)).to_numpy()]
    if status == "done":
        p = p[(p["status"] == "done").to_numpy()]
    index = net.areas.index[(net.areas["level"] == level).to_numpy()]
    paths = net.area_paths[level]
    party = party_of(net, when)
    is_area = party.map(net.entity_kinds).eq("area")
    own_area = party.map(paths).where(is_area)  # own side: area parties, at `level`
    located = net.entity_areas.map(paths)  # fallback for projects between two non-area parties
    o_party = p["owner"].astype(object).map(party)
    pa_party = p["partner"].astype(object).map(party)
    o_area = p["owner"].astype(object).map(own_area)
    pa_area = p["partner"].astype(object).map(own_area)
    neither = o_area.isna() & pa_area.isna()
    o_area = o_area.where(~neither, p["owner"].astype(object).map(located))
    # one row per (project, area it belongs to, direction): owner side "out", partner side "in"
    rows = pd.concat([
        pd.DataFrame({"project": p.index, "area": o_area.to_numpy(), "other": pa_party.to_numpy(),
                      "other_area": pa_area.to_numpy(), "d": "out", "value": p["value"].to_numpy()}),
        pd.DataFrame({"project": p.index, "area": pa_area.to_numpy(), "other": o_party.to_numpy(),
                      "other_area": o_area.where(~neither).to_numpy(), "d": "in", "value": p["value"].to_numpy()}),
    ], ignore_index=True)
    rows = rows[rows["area"].notna()]
    per_project = rows.drop_duplicates(["project", "area"])
    out = pd.DataFrame(index=index)
    out["name"] = net.areas["name"].reindex(index).to_numpy()
    out["projects"] = per_project.groupby("area").size().reindex(index, fill_value=0).astype(int)
    out["value"] = per_project.groupby("area")["value"].sum().reindex(index, fill_value=0.0)
    partners = rows[rows["other"].notna() & (rows["other_area"] != rows["area"])]
    per = partners.groupby(["area", "other"])["d"].nunique()
    out["partners"] = per.groupby(level="area").size().reindex(index, fill_value=0).astype(int)
    two = (per == 2).groupby(level="area").sum().reindex(index, fill_value=0)
    out["two_way_share"] = np.where(out["partners"] > 0, two / out["partners"].where(out["partners"] > 0, 1), np.nan)
    out.index.name = level
    out.attrs.update(func="realised", level=level, as_of=when, status=status,
                     gini_value=gini(out["value"]), gini_projects=gini(out["projects"]))
    return out
