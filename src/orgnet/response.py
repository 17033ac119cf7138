"""Response: which problems got solved, how fast, to whose satisfaction (吹哨报到).

Whistle-and-report (街乡吹哨、部门报到): a grid, community or street raises a
problem ("blows the whistle") and a department reports to solve it. The
activity layer's ``cases`` table records each case: where and when it was
raised, to whom it was routed, when it was closed and whether the resident
was satisfied. Seed figures the practice quotes: 860 cases with 98%
satisfaction in one county.

- :func:`case_summary` — cases, closure rate, median days to close, share
  closed within a deadline and satisfaction, by department, category or area;
- :func:`solved_level` — at which level of the hierarchy cases are solved
  (grid, community, street, district, or a department).

Counting rules, everywhere: a case counts at ``as_of`` when it was raised on
or before it; it is *closed* when its ``closed`` date is on or before
``as_of`` (a case closed later was still open then); *days* are
``closed - raised`` in whole days; *satisfaction* is the share of satisfied
cases among the closed cases with an answer (an empty ``satisfied`` is no
answer, not dissatisfaction).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import schema
from ._params import Date, Integer, Level, Network, Options, require, validate_params
from .network import OrgNetwork

__all__ = ["case_summary", "solved_level", "SOLVED_LEVELS"]

#: the levels :func:`solved_level` reports, lowest first
SOLVED_LEVELS = ("building", "compound", "grid", "community", "street", "district", "city", "department",
                 "unrouted")

_COLUMNS = ["cases", "closed", "closure_rate", "median_days", "closed_within", "satisfaction"]


def _cases(net: OrgNetwork, when) -> pd.DataFrame:
    c = net.cases
    c = c[(c["raised"] <= when).to_numpy()]
    closed = (c["closed"].notna() & (c["closed"] <= when)).to_numpy()
    days = (c["closed"] - c["raised"]).dt.days.to_numpy(dtype=float, na_value=np.nan)
    sat = c["satisfied"].astype("boolean")
    return pd.DataFrame({
        "area": c["area"].astype(object).to_numpy(),
        "category": c["category"].astype(object).to_numpy(),
        "routed_to": c["routed_to"].astype(object).to_numpy(),
        "closed": closed,
        "days": np.where(closed, days, np.nan),
        "answered": (closed & sat.notna().to_numpy()),
        "satisfied": (closed & sat.fillna(False).to_numpy(dtype=bool)),
    }, index=c.index)


def _summarise(df: pd.DataFrame, key, within_days) -> pd.DataFrame:
    g = df.groupby(key, sort=True, dropna=False)
    out = pd.DataFrame({"cases": g.size(), "closed": g["closed"].sum()})
    out["closure_rate"] = out["closed"] / out["cases"]
    out["median_days"] = g["days"].median()
    if within_days is None:
        out["closed_within"] = np.nan
    else:
        fast = df["closed"].to_numpy() & (df["days"].to_numpy() <= within_days)
        out["closed_within"] = pd.Series(fast, index=df.index).groupby(key, sort=True, dropna=False).sum() \
            / out["cases"]
    answered = g["answered"].sum()
    out["satisfaction"] = (g["satisfied"].sum() / answered.where(answered > 0)).astype(float)
    out["cases"] = out["cases"].astype("int64")
    out["closed"] = out["closed"].astype("int64")
    return out[_COLUMNS]


def _name_of(net: OrgNetwork) -> pd.Series:
    s = pd.concat([net.organisations["name"].astype(object), net.units["name"].astype(object),
                   net.areas["name"].astype(object)])
    return s[~s.index.duplicated()]


@validate_params(net=Network(), by=[Options("routed_to", "category"), Level()], as_of=[Date(), None],
                 within_days=[Integer(0), None])
def case_summary(net: OrgNetwork, *, by: str = "routed_to", as_of=None, within_days: int | None = None
                 ) -> pd.DataFrame:
    """Cases raised and closed, by department, category or area.

    Parameters
    ----------
    net : OrgNetwork
    by : str, default "routed_to"
        ``"routed_to"``: one row per department or organisation cases were
        routed to (``(unrouted)`` for cases routed to nobody);
        ``"category"``: one row per category (``(none)`` for no category);
        an area level: one row per area of the level that has cases raised in
        it or below (cases raised above the level are counted in
        ``attrs["outside"]``).
    as_of : date-like, optional
        Count cases raised by this date; closed means closed by it. Default:
        the network's ``as_of``.
    within_days : int, optional
        The deadline of ``closed_within`` in days (e.g. 7); None leaves that
        column NaN.

    Returns
    -------
    DataFrame
        Indexed by the group, sorted: ``name`` (for departments and areas);
        ``cases``; ``closed``; ``closure_rate`` (closed / cases);
        ``median_days`` (raised to closed, over closed cases; NaN with none);
        ``closed_within`` (share of the group's cases closed within
        ``within_days`` days); ``satisfaction`` (satisfied / closed cases with
        an answer; NaN without answers). ``attrs["total"]`` holds the same
        figures for all cases.

    Raises
    ------
    OrgnetMissingDataError
        The network has no ``cases`` table.

    Notes
    -----
    One group-by: O(cases).

    Examples
    --------
    >>> import orgnet
    >>> net = orgnet.datasets.load("demo")
    >>> cs = orgnet.response.case_summary(net, within_days=7)
    >>> cs.loc[["U04"], ["cases", "closed", "median_days", "closed_within", "satisfaction"]].to_dict("records")
    [{'cases': 2, 'closed': 2, 'median_days': 7.0, 'closed_within': 1.0, 'satisfaction': 1.0}]
    >>> t = cs.attrs["total"]
    >>> t["cases"], t["closed"], round(t["satisfaction"], 3), round(t["closed_within"], 3)
    (12, 10, 0.889, 0.417)
    """
    require(net, tables=("cases",))
    when = net.resolve_as_of(as_of)
    df = _cases(net, when)
    outside = 0
    if by == "routed_to":
        key = df["routed_to"].where(df["routed_to"].notna(), "(unrouted)")
    elif by == "category":
        key = df["category"].where(df["category"].notna(), "(none)")
    else:
        key = net.ancestor(df["area"], by)
        outside = int(key.isna().sum())
        df = df[key.notna().to_numpy()]
        key = key[key.notna()]
    out = _summarise(df, key.to_numpy(dtype=object), within_days) if len(df) else \
        pd.DataFrame(columns=_COLUMNS)
    out.index = pd.Index(out.index, dtype=object, name=by)
    if by != "category":
        out.insert(0, "name", pd.array(_name_of(net).reindex(out.index).to_numpy(dtype=object),
                                        dtype=schema.TEXT_DTYPE))
    whole = _cases(net, when)
    total = _summarise(whole, np.zeros(len(whole), dtype=int), within_days).iloc[0] if len(whole) else None
    out.attrs = {"func": "case_summary", "by": by, "as_of": when, "within_days": within_days, "outside": outside,
                 "total": ({k: (int(v) if k in ("cases", "closed") else float(v)) for k, v in total.items()}
                           if total is not None else {})}
    return out


@validate_params(net=Network(), as_of=[Date(), None])
def solved_level(net: OrgNetwork, *, as_of=None) -> pd.DataFrame:
    """At which level of the hierarchy cases are solved.

    A case is solved at the level of the one it was routed to: a territorial
    organisation at the level of its area (grid, community, street,
    district...), a unit or any other organisation at ``department`` (a
    functional department reporting, 部门报到), and ``unrouted`` when it was
    routed to nobody.

    Parameters
    ----------
    net : OrgNetwork
    as_of : date-like, optional
        As in :func:`case_summary`.

    Returns
    -------
    DataFrame
        Indexed by level (:data:`SOLVED_LEVELS` order, levels with cases
        only): the columns of :func:`case_summary` and ``share_of_closed`` (the
        level's closed cases over all closed cases).

    Raises
    ------
    OrgnetMissingDataError
        The network has no ``cases`` table.

    Examples
    --------
    >>> import orgnet
    >>> sl = orgnet.response.solved_level(orgnet.datasets.load("demo"))
    >>> sl[["cases", "closed", "share_of_closed"]].to_dict("index")  # doctest: +NORMALIZE_WHITESPACE
    {'grid': {'cases': 2, 'closed': 2, 'share_of_closed': 0.2},
     'community': {'cases': 4, 'closed': 3, 'share_of_closed': 0.3},
     'street': {'cases': 1, 'closed': 1, 'share_of_closed': 0.1},
     'department': {'cases': 5, 'closed': 4, 'share_of_closed': 0.4}}
    """
    require(net, tables=("cases",))
    when = net.resolve_as_of(as_of)
    df = _cases(net, when)
    o = net.organisations
    terr = o[(o["scope"] == "territorial").to_numpy()]
    org_level = terr["area"].astype(object).map(net.areas["level"].astype(object))
    routed = df["routed_to"]
    level = routed.map(org_level).astype(object)
    level = level.where(level.notna() | routed.isna(), "department").where(routed.notna(), "unrouted")
    out = _summarise(df, level.to_numpy(dtype=object), None) if len(df) else pd.DataFrame(columns=_COLUMNS)
    out = out.drop(columns="closed_within")
    out = out.reindex([lv for lv in SOLVED_LEVELS if lv in out.index])
    total_closed = out["closed"].sum()
    out["share_of_closed"] = out["closed"] / total_closed if total_closed else np.nan
    out.index.name = "level"
    out.attrs = {"func": "solved_level", "as_of": when}
    return out
