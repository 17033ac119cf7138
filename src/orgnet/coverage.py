"""Coverage: which units and places Party organisation and Party work reach.

Implements the "two coverages" (两个覆盖) of the glossary:

- **organisational coverage** (组织覆盖): a unit has its own Party organisation,
  or a joint, industry or sector organisation includes its members;
- **work coverage** (工作覆盖): no organisation, but Party work reaches the unit
  through an instructor (党建指导员) or backstop responsibility (兜底管理);

plus the rule "establish wherever due" (应建尽建: a unit with at least three
formal members should have its own organisation) and the size rules (every
enterprise with at least 100 staff and every social organisation with at least
30 staff organisationally covered).

Functions return DataFrames indexed by entity id; every threshold is a keyword.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from . import schema
from ._params import Date, Integer, Level, Network, Options, Real, validate_params
from .errors import OrgnetWarning
from .network import OrgNetwork

__all__ = ["unit_coverage", "coverage_rates", "place_coverage", "property_triads", "COVERAGE_CLASSES"]

#: coverage classes, strongest first
COVERAGE_CLASSES = ("own", "joint", "work", "none")
_JOINT_SCOPES = ("joint", "industry", "sector")
_ENTERPRISES = ("private_enterprise", "state_enterprise")


def _join_ids(s: pd.Series) -> pd.Series:
    """Group ids per key into a sorted, comma-separated string (vectorised: only keys
    with several ids go through a Python join)."""
    if s.empty:
        return pd.Series(dtype=object)
    df = pd.DataFrame({"k": s.index.to_numpy(dtype=object), "v": s.to_numpy(dtype=object)})
    df = df.drop_duplicates().sort_values(["k", "v"], kind="stable")
    multi = df["k"].duplicated(keep=False).to_numpy()
    single = pd.Series(df["v"].to_numpy()[~multi], index=df["k"].to_numpy()[~multi], dtype=object)
    if multi.any():
        joined = df[multi].groupby("k", sort=False)["v"].agg(",".join)
        single = pd.concat([single, joined.astype(object)])
    return single


_UNIT_RULES = dict(min_members=Integer(0), enterprise_staff=Real(0), social_org_staff=Real(0))


@validate_params(net=Network(), as_of=[Date(), None], **_UNIT_RULES)
def unit_coverage(
    net: OrgNetwork,
    *,
    min_members: int = 3,
    enterprise_staff: int = 100,
    social_org_staff: int = 30,
    as_of=None,
) -> pd.DataFrame:
    """Coverage class of every unit, with the "due but not established" and size-rule flags.

    Parameters
    ----------
    net : OrgNetwork
    min_members : int, default 3
        Formal Party members from which a unit should have its own organisation
        (应建尽建, the Party rule of three).
    enterprise_staff : int, default 100
        Size from which a private or state enterprise must be organisationally covered.
    social_org_staff : int, default 30
        Size from which a social organisation must be organisationally covered.
    as_of : date-like, optional
        Date at which ties must be active and organisations established.
        Default: the network's :attr:`~orgnet.OrgNetwork.as_of`.

    Returns
    -------
    DataFrame
        Indexed by unit id (every unit), columns:

        - ``name``, ``type``, ``sector``, ``area``, ``street``, ``community``,
          ``employees``, ``party_members`` — from the units table and the area tree;
        - ``coverage`` — ``own`` (an organisation with scope ``unit`` names the
          unit and is established by ``as_of``), else ``joint`` (an active
          ``covers`` tie from a joint, industry or sector organisation), else
          ``work`` (an active ``instructor`` or ``backstop`` tie to the unit),
          else ``none``; an ordered categorical, strongest first;
        - ``covered_by`` — the organisation(s) giving that class (comma-separated ids);
        - ``org_covered`` (own or joint) and ``work_covered`` (own, joint or work);
        - ``due_not_established`` — at least ``min_members`` Party members and no
          organisation of its own (joint coverage does not satisfy the rule);
          missing (NA) when ``party_members`` is empty and it has none;
        - ``size_rule_gap`` — an enterprise with at least ``enterprise_staff``
          or a social organisation with at least ``social_org_staff`` employees
          without organisational coverage; NA when ``employees`` is empty.

    See Also
    --------
    coverage_rates : the rates by area, unit type or sector.

    Notes
    -----
    Table joins only: O(units + organisations + ties).

    Examples
    --------
    >>> import orgnet
    >>> net = orgnet.datasets.load("demo")
    >>> uc = orgnet.coverage.unit_coverage(net)
    >>> list(uc["coverage"].cat.categories)
    ['own', 'joint', 'work', 'none']
    >>> bool(uc["work_covered"].mean() >= uc["org_covered"].mean())
    True
    """
    when = net.resolve_as_of(as_of)

    u = net.units
    ids = u.index
    orgs = net.organisations_at(when)

    own_orgs = orgs[(orgs["scope"] == "unit").to_numpy()]
    own = _join_ids(pd.Series(own_orgs.index.to_numpy(), index=own_orgs["unit"].astype(object).to_numpy()))

    ties = net.active_ties(when, kinds=["covers", "instructor", "backstop"])
    scope = orgs["scope"].astype(object)
    covers = ties[(ties["kind"] == "covers").to_numpy()]
    covers = covers[covers["source"].astype(object).map(scope).isin(_JOINT_SCOPES).to_numpy()]
    joint = _join_ids(pd.Series(covers["source"].to_numpy(dtype=object), index=covers["target"].to_numpy(dtype=object)))
    work_t = ties[ties["kind"].isin(["instructor", "backstop"]).to_numpy()]
    work = _join_ids(pd.Series(work_t["source"].to_numpy(dtype=object), index=work_t["target"].to_numpy(dtype=object)))

    has_own = ids.isin(own.index)
    has_joint = ids.isin(joint.index)
    has_work = ids.isin(work.index)
    cls = np.select([has_own, has_joint, has_work], ["own", "joint", "work"], default="none")
    covered_by = np.select(
        [has_own, has_joint, has_work],
        [ids.map(own).to_numpy(dtype=object), ids.map(joint).to_numpy(dtype=object),
         ids.map(work).to_numpy(dtype=object)],
        default=None,
    )

    members = u["party_members"]
    # Kleene logic: unknown members stay unknown unless the unit has its own organisation
    due = (members >= min_members).array & ~has_own

    org_cov = has_own | has_joint
    emp = u["employees"]
    kind = u["type"].astype(object)
    big = ((kind.isin(_ENTERPRISES)) & (emp >= enterprise_staff)) | \
          ((kind == "social_organisation") & (emp >= social_org_staff))
    gap = big.array & ~org_cov  # unknown size stays unknown unless covered

    out = pd.DataFrame(
        {
            "name": u["name"],
            "type": u["type"],
            "sector": u["sector"],
            "area": u["area"],
            "street": net.ancestor(u["area"], "street"),
            "community": net.ancestor(u["area"], "community"),
            "employees": emp,
            "party_members": members,
            "coverage": pd.Categorical(cls, categories=COVERAGE_CLASSES, ordered=True),
            "covered_by": pd.array(covered_by, dtype=schema.TEXT_DTYPE),
            "org_covered": org_cov,
            "work_covered": has_own | has_joint | has_work,
            "due_not_established": due,
            "size_rule_gap": gap,
        },
        index=ids,
    )
    out.attrs.update(func="unit_coverage", as_of=when, min_members=min_members,
                     enterprise_staff=enterprise_staff, social_org_staff=social_org_staff)
    return out


_RATE_COLUMNS = ["units", "own", "joint", "work", "none", "org_covered", "work_covered",
                 "org_coverage_rate", "work_coverage_rate", "due_not_established", "size_rule_gaps"]


@validate_params(net=Network(), by=Options(*schema.LEVELS, "type", "sector", "all"),
                 as_of=[Date(), None], **_UNIT_RULES)
def coverage_rates(
    net: OrgNetwork,
    *,
    by: str = "street",
    as_of=None,
    min_members: int = 3,
    enterprise_staff: int = 100,
    social_org_staff: int = 30,
) -> pd.DataFrame:
    """Organisational and work coverage rates (组织覆盖率, 工作覆盖率) by area, type or sector.

    Parameters
    ----------
    net : OrgNetwork
    by : str, default "street"
        An area level (``district``, ``street``, ``community``, ``grid``, ...):
        one row per area of that level over the units located anywhere in its
        subtree; ``"type"``: one row per unit type; ``"sector"``: one row per
        emerging sector plus ``none`` for units in no emerging sector;
        ``"all"``: one row for the whole network.
    as_of, min_members, enterprise_staff, social_org_staff
        As in :func:`unit_coverage`.

    Returns
    -------
    DataFrame
        Columns ``units``; the count per class ``own``, ``joint``, ``work``,
        ``none``; ``org_covered`` (own + joint), ``work_covered`` (own + joint +
        work); ``org_coverage_rate`` and ``work_coverage_rate`` (over
        ``units``; NaN where there are no units); ``due_not_established`` and
        ``size_rule_gaps`` (counts). By area level also ``name``. Every area of
        the level (every type, every sector) has a row, with zero units where
        none are located there.

    Warns
    -----
    OrgnetWarning
        When ``by`` is a level and some units lie outside every area of that
        level (e.g. units seated directly at the district when ``by="street"``);
        their number is in ``result.attrs["outside"]``.

    Examples
    --------
    >>> import orgnet
    >>> net = orgnet.datasets.load("demo")
    >>> rates = orgnet.coverage.coverage_rates(net, by="street")
    >>> bool(rates["units"].sum() == len(net.units))
    True
    >>> bool(((rates["org_coverage_rate"] >= 0) & (rates["org_coverage_rate"] <= 1)).all())
    True
    """
    uc = unit_coverage(net, as_of=as_of, min_members=min_members,
                       enterprise_staff=enterprise_staff, social_org_staff=social_org_staff)
    outside = 0
    if by in schema.LEVELS:
        key = net.ancestor(uc["area"], by)
        index = net.areas.index[(net.areas["level"] == by).to_numpy()]
        outside = int(key.isna().sum())
    elif by == "type":
        key = uc["type"].astype(object)
        index = pd.Index(list(schema.VOCABULARIES["unit_type"].values), dtype=object)
    elif by == "sector":
        key = uc["sector"].astype(object).where(uc["sector"].notna(), "none")
        index = pd.Index(list(schema.VOCABULARIES["sector"].values) + ["none"], dtype=object)
    else:
        key = pd.Series("all", index=uc.index, dtype=object)
        index = pd.Index(["all"], dtype=object)
    key = key.astype(object).where(key.notna(), None)
    cls = uc["coverage"].astype(object)
    frame = pd.DataFrame({
        "key": key.to_numpy(),
        "units": 1,
        "own": (cls == "own").to_numpy(dtype=int),
        "joint": (cls == "joint").to_numpy(dtype=int),
        "work": (cls == "work").to_numpy(dtype=int),
        "none": (cls == "none").to_numpy(dtype=int),
        "due_not_established": uc["due_not_established"].fillna(False).to_numpy(dtype=int),
        "size_rule_gaps": uc["size_rule_gap"].fillna(False).to_numpy(dtype=int),
    })
    frame = frame[frame["key"].notna()]
    counts = frame.groupby("key").sum().reindex(index, fill_value=0)
    counts["org_covered"] = counts["own"] + counts["joint"]
    counts["work_covered"] = counts["org_covered"] + counts["work"]
    with np.errstate(invalid="ignore", divide="ignore"):
        n = counts["units"].to_numpy(dtype=float)
        counts["org_coverage_rate"] = np.where(n > 0, counts["org_covered"] / np.where(n > 0, n, 1), np.nan)
        counts["work_coverage_rate"] = np.where(n > 0, counts["work_covered"] / np.where(n > 0, n, 1), np.nan)
    out = counts[_RATE_COLUMNS]
    if by in schema.LEVELS:
        out.insert(0, "name", net.areas["name"].reindex(index).to_numpy())
    out.index.name = by if by != "all" else None
    out.attrs.update(uc.attrs, func="coverage_rates", by=by, outside=outside)
    if outside:
        warnings.warn(
            f"coverage_rates(by={by!r}): {outside} unit(s) lie outside every {by} "
            f"(located above that level) and are not in any row; see result.attrs['outside']",
            OrgnetWarning, stacklevel=2,
        )
    return out


@validate_params(net=Network(), level=Level(), as_of=[Date(), None])
def place_coverage(net: OrgNetwork, *, level: str = "grid", as_of=None) -> pd.DataFrame:
    """Which places of a level have a territorial organisation seated in them.

    For example grids with a grid branch (网格党支部) or buildings with a building
    group (楼栋党小组).

    Parameters
    ----------
    net : OrgNetwork
    level : str, default "grid"
        The area level to report.
    as_of : date-like, optional
        Organisations established after this date do not count. Default: the
        network's ``as_of``.

    Returns
    -------
    DataFrame
        Indexed by the areas of ``level``: ``name``, ``street``, ``community``,
        ``population``, ``organised`` (bool), ``organisations`` (comma-separated
        ids of the territorial organisations seated there, or None),
        ``n_organisations``. ``result.attrs["organised_share"]`` is the share of
        organised areas among all areas of the level (NaN if there are none).

    Examples
    --------
    >>> import orgnet
    >>> pc = orgnet.coverage.place_coverage(orgnet.datasets.load("demo"), level="grid")
    >>> 0 <= pc.attrs["organised_share"] <= 1
    True
    """
    when = net.resolve_as_of(as_of)
    a = net.areas
    places = a[(a["level"] == level).to_numpy()]
    orgs = net.organisations_at(when)
    terr = orgs[(orgs["scope"] == "territorial").to_numpy()]
    seated = _join_ids(pd.Series(terr.index.to_numpy(), index=terr["area"].astype(object).to_numpy()))
    n_seated = terr.groupby(terr["area"].astype(object)).size()
    ids = places.index
    out = pd.DataFrame({
        "name": places["name"],
        "street": net.ancestor(pd.Series(ids, index=ids), "street"),
        "community": net.ancestor(pd.Series(ids, index=ids), "community"),
        "population": places["population"],
        "organised": ids.isin(seated.index),
        "organisations": pd.array(ids.map(seated).to_numpy(dtype=object), dtype=schema.TEXT_DTYPE),
        "n_organisations": ids.map(n_seated).fillna(0).astype(int).to_numpy(),
    }, index=ids)
    share = float(out["organised"].mean()) if len(out) else float("nan")
    out.attrs.update(func="place_coverage", level=level, as_of=when, organised_share=share)
    return out


@validate_params(net=Network(), as_of=[Date(), None], min_party_share=Real(0, 1))
def property_triads(net: OrgNetwork, *, as_of=None, min_party_share: float = 0.5) -> pd.DataFrame:
    """Red property (红色物业, 三方共治): is each compound governed by three tied parties?

    The practice ties three parties of a compound together: the community's Party
    organisation, the owners' committee (业委会) and the property company (物业企业),
    and asks that at least half the owners' committee be Party members
    (业委会党员比例不少于50%).

    Parameters
    ----------
    net : OrgNetwork
    as_of : date-like, optional
        Ties must be active and organisations established at this date. Default:
        the network's ``as_of``.
    min_party_share : float, default 0.5
        The share of Party members an owners' committee should reach (in [0, 1]).

    Returns
    -------
    DataFrame
        One row per compound (every area of level ``compound``), indexed by id:

        - ``name``, ``community``;
        - ``organisations`` — the territorial organisations responsible for it:
          those seated in the compound, its grid or its community (comma-separated);
        - ``owners_committee`` — units of type ``owners_committee`` located in it;
        - ``property_company`` — the sources of active ``manages`` ties to it
          (property companies managing it), else property companies located in it;
        - ``org_committee``, ``org_company``, ``committee_company`` — whether the
          pair holds an active tie of any kind (either direction; a unit counts
          with its own organisation); False when a party is missing;
        - ``complete`` — all three pairs tied;
        - ``missing`` — the parties the compound lacks (comma-separated), or None;
        - ``party_share`` — the owners' committee's ``party_members / employees``
          (its members), NA when unknown; ``party_share_met`` — at least
          ``min_party_share`` (NA when unknown).

        ``attrs["complete"]``: compounds with a complete triad;
        ``attrs["with_all_parties"]``: compounds where all three parties exist.

    Notes
    -----
    A set lookup per compound over the active ties: O(ties + compounds).

    Examples
    --------
    >>> import orgnet
    >>> pt = orgnet.coverage.property_triads(orgnet.datasets.load("demo"))
    >>> pt.loc["Q1111", ["organisations", "owners_committee", "property_company"]].tolist()
    ['O11,OG111', 'U25', 'U06']
    >>> pt.loc["Q1111", ["org_committee", "org_company", "committee_company", "complete"]].tolist()
    [True, True, False, False]
    >>> round(float(pt.loc["Q1111", "party_share"]), 3), pt.attrs["complete"]
    (0.143, 0)
    """
    when = net.resolve_as_of(as_of)
    a = net.areas
    compounds = a[(a["level"] == "compound").to_numpy()]
    paths = net.area_paths
    orgs = net.organisations_at(when)
    terr = orgs[(orgs["scope"] == "territorial").to_numpy()]
    seated: dict = {}
    for oid, area in zip(terr.index, terr["area"].astype(object)):
        seated.setdefault(area, []).append(oid)
    own: dict = {}  # unit -> its own organisations
    unit_orgs = orgs[((orgs["scope"] == "unit") & orgs["unit"].notna()).to_numpy()]
    for oid, unit in zip(unit_orgs.index, unit_orgs["unit"].astype(object)):
        own.setdefault(unit, []).append(oid)
    ties = net.active_ties(when)
    neighbours: dict = {}
    for s, t in zip(ties["source"].astype(object), ties["target"].astype(object)):
        neighbours.setdefault(s, set()).add(t)
        neighbours.setdefault(t, set()).add(s)
    manages = ties[(ties["kind"] == "manages").to_numpy()]
    managed: dict = {}
    for s, t in zip(manages["source"].astype(object), manages["target"].astype(object)):
        managed.setdefault(t, []).append(s)
    u = net.units
    located: dict = {}
    for uid, typ, area in zip(u.index, u["type"].astype(object), u["area"].astype(object)):
        located.setdefault((area, typ), []).append(uid)

    def with_own(ids):
        return set(ids) | {o for x in ids for o in own.get(x, ())}

    def tied(left, right) -> bool:
        left, right = with_own(left), with_own(right)
        return bool(left and right) and any(neighbours.get(x, set()) & right for x in left)

    rows = []
    for cid in compounds.index:
        path = paths.loc[cid]
        responsible = sorted({o for lv in ("community", "grid", "compound") if pd.notna(path.get(lv))
                              for o in seated.get(path[lv], ())})
        committee = sorted(located.get((cid, "owners_committee"), []))
        company = sorted(managed.get(cid, []) or located.get((cid, "property_company"), []))
        missing = [name for name, ids in (("organisation", responsible), ("owners_committee", committee),
                                          ("property_company", company)) if not ids]
        oc, ok, cc = tied(responsible, committee), tied(responsible, company), tied(committee, company)
        rows.append((",".join(responsible) or None, ",".join(committee) or None, ",".join(company) or None,
                     oc, ok, cc, oc and ok and cc, ", ".join(missing) or None))
    cols = ["organisations", "owners_committee", "property_company", "org_committee", "org_company",
            "committee_company", "complete", "missing"]
    body = pd.DataFrame(rows, columns=cols, index=compounds.index)
    out = pd.DataFrame({"name": compounds["name"], "community": paths.loc[compounds.index, "community"]},
                       index=compounds.index)
    for c in ("organisations", "owners_committee", "property_company", "missing"):
        out[c] = pd.array(body[c].to_numpy(dtype=object), dtype=schema.TEXT_DTYPE)
    for c in ("org_committee", "org_company", "committee_company", "complete"):
        out[c] = body[c].to_numpy(dtype=bool)
    out = out[["name", "community", "organisations", "owners_committee", "property_company", "org_committee",
               "org_company", "committee_company", "complete", "missing"]]
    # the owners' committee's Party-member share (its members are its ``employees``)
    first = body["owners_committee"].astype(object).str.split(",").str[0]
    members = u["employees"].reindex(first.to_numpy()).astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    party = u["party_members"].reindex(first.to_numpy()).astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(members > 0, party / members, np.nan)
    out["party_share"] = share
    met = pd.array(share >= min_party_share, dtype="boolean")
    met[np.isnan(share)] = pd.NA
    out["party_share_met"] = met
    out.index.name = "id"
    out.attrs = {"func": "property_triads", "as_of": when, "min_party_share": min_party_share,
                 "complete": int(out["complete"].sum()),
                 "with_all_parties": int(body["missing"].isna().sum())}
    return out

