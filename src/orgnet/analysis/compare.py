"""Two snapshots side by side: every headline figure before and after, and who
entered or left each gap list (e.g. three-no compounds 526 → 66)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import OrgnetParameterError
from ..network import OrgNetwork
from . import coverage, linkage, sharing, vacuum

__all__ = ["Comparison", "compare", "indicators", "gap_lists"]


def _structure():
    try:
        return importlib.import_module("orgnet.analysis.structure")
    except ImportError:  # pragma: no cover - structure not installed
        return None


def indicators(net: OrgNetwork, *, as_of=None, match_kwargs: dict | None = None) -> pd.Series:
    """The headline indicators of one network, as a Series indexed by name.

    Coverage (``units``, ``org_coverage_rate``, ``work_coverage_rate``,
    ``uncovered_units``, ``due_not_established``, ``size_rule_gaps``,
    ``organised_grid_share``), vacuum (``vacuum_places``, ``vacuum_population``
    — population of the vacuum places at the finest level, counted once — and
    ``<reason>_places`` per reason, with ``three_no_compounds``), linkage
    (``active_ties``, ``co_building_agreements``, ``dormant_agreements``,
    ``dormant_share``, ``mean_tie_strength``, ``islands`` when
    :mod:`orgnet.structure` is available) and sharing (``open_demand``,
    ``matched_share``, ``idle_capacity_share``, ``projects_done``,
    ``project_value``).

    >>> import orgnet
    >>> ind = orgnet.compare.indicators(orgnet.datasets.load("demo"))
    >>> int(ind["three_no_compounds"]), int(ind["dormant_agreements"])
    (3, 2)
    """
    when = net.resolve_as_of(as_of, func="indicators")
    out: dict[str, float] = {}
    uc = coverage.unit_coverage(net, as_of=when)
    n = len(uc)
    out["units"] = n
    out["org_coverage_rate"] = float(uc["org_covered"].mean()) if n else np.nan
    out["work_coverage_rate"] = float(uc["work_covered"].mean()) if n else np.nan
    out["uncovered_units"] = int((uc["coverage"] == "none").sum())
    out["due_not_established"] = int(uc["due_not_established"].fillna(False).sum())
    out["size_rule_gaps"] = int(uc["size_rule_gap"].fillna(False).sum())
    out["organised_grid_share"] = coverage.place_coverage(net, level="grid", as_of=when).attrs["organised_share"]
    va = vacuum.vacuum_areas(net, as_of=when)
    out["vacuum_places"] = int(va["vacuum"].sum())
    out["vacuum_population"] = float(vacuum_leaf_population(net, va).sum())
    for r in vacuum.REASONS:
        out[f"{r}_places"] = int(va[r].fillna(False).sum())
    out["three_no_compounds"] = int((va["three_no"].fillna(False) & (va["level"] == "compound")).sum())
    ts = linkage.tie_strength(net, as_of=when)
    out["active_ties"] = int(len(net.active_ties(when)))
    agreements = int((ts["co_building"] > 0).sum())
    out["co_building_agreements"] = agreements
    out["dormant_agreements"] = int(ts["dormant"].sum())
    out["dormant_share"] = out["dormant_agreements"] / agreements if agreements else np.nan
    out["mean_tie_strength"] = float(ts["strength"].mean()) if len(ts) else np.nan
    st = _structure()
    if st is not None and hasattr(st, "islands"):
        out["islands"] = int(len(st.islands(net, as_of=when)))
    m = sharing.match(net, as_of=when, **(match_kwargs or {}))
    demand = float(m.unmet["quantity"].sum())
    capacity = float(m.idle["capacity"].sum())
    out["open_demand"] = demand
    out["matched_share"] = m.matched_quantity / demand if demand else np.nan
    out["idle_capacity_share"] = float(m.idle["idle"].sum()) / capacity if capacity else np.nan
    rs = sharing.realised(net, level="community", as_of=when)
    done = net.projects[(net.projects["status"] == "done") & (net.projects["date"].isna() | (net.projects["date"] <= when))]
    out["projects_done"] = int(len(done))
    out["project_value"] = float(done["value"].sum())
    del rs
    return pd.Series(out, dtype=float, name=net.name)


def vacuum_leaf_population(net: OrgNetwork, va: pd.DataFrame) -> pd.Series:
    """Population of leaf areas lying in a vacuum place (the place itself or an
    ancestor among ``va``'s places), indexed by leaf id: each resident once."""
    a = net.areas
    has_child = a.index.isin(a["parent"].dropna().astype(object))
    leaves = a[~has_child]
    vac = set(va.index[va["vacuum"].to_numpy(dtype=bool)])
    paths = net.area_paths.loc[leaves.index]
    inside = np.zeros(len(leaves), dtype=bool)
    for lv in paths.columns:
        inside |= paths[lv].isin(vac).to_numpy()
    return leaves["population"].fillna(0).astype(float)[inside]


def gap_lists(net: OrgNetwork, *, as_of=None, match_kwargs: dict | None = None) -> dict[str, set]:
    """The gap lists of one network: list name → set of ids.

    ``vacuum:<reason>`` (places), ``uncovered_units``, ``due_not_established``,
    ``size_rule_gaps``, ``dormant_agreements`` (pairs as ``"a|b"``),
    ``islands`` (when available), ``unmet_demands``.

    >>> import orgnet
    >>> sorted(orgnet.compare.gap_lists(orgnet.datasets.load("demo"))["dormant_agreements"])
    ['O22|OU04', 'O22|U30']
    """
    when = net.resolve_as_of(as_of, func="gap_lists")
    out: dict[str, set] = {}
    va = vacuum.vacuum_areas(net, as_of=when)
    for r in vacuum.REASONS:
        out[f"vacuum:{r}"] = set(va.index[va[r].fillna(False).to_numpy(dtype=bool)])
    uc = coverage.unit_coverage(net, as_of=when)
    out["uncovered_units"] = set(uc.index[(uc["coverage"] == "none").to_numpy()])
    out["due_not_established"] = set(uc.index[uc["due_not_established"].fillna(False).to_numpy(dtype=bool)])
    out["size_rule_gaps"] = set(uc.index[uc["size_rule_gap"].fillna(False).to_numpy(dtype=bool)])
    ts = linkage.tie_strength(net, as_of=when)
    out["dormant_agreements"] = {f"{a}|{b}" for a, b in ts.loc[ts["dormant"], ["a", "b"]].itertuples(index=False)}
    st = _structure()
    if st is not None and hasattr(st, "islands"):
        out["islands"] = set(st.islands(net, as_of=when).index)
    m = sharing.match(net, as_of=when, **(match_kwargs or {}))
    out["unmet_demands"] = set(m.unmet.index[m.unmet["unmet"] > 0])
    return out


@dataclass
class Comparison:
    """The result of :func:`compare`.

    Attributes
    ----------
    indicators : DataFrame
        Indexed by indicator: ``before``, ``after``, ``change`` (after − before).
    changes : DataFrame
        One row per id that entered or left a gap list: ``list``, ``id``,
        ``change`` (``entered`` or ``left``).
    """

    indicators: pd.DataFrame
    changes: pd.DataFrame

    def _repr_html_(self):  # pragma: no cover - notebook display
        return self.indicators._repr_html_()


def _dates(as_of):
    if isinstance(as_of, (tuple, list)):
        if len(as_of) != 2:
            raise OrgnetParameterError(
                f"The 'as_of' parameter of compare must be a date, a (before, after) pair or None. Got {as_of!r} instead."
            )
        return as_of[0], as_of[1]
    return as_of, as_of


def compare(before: OrgNetwork, after: OrgNetwork, *, as_of=None, match_kwargs: dict | None = None) -> Comparison:
    """Compare two snapshots of the same place.

    Parameters
    ----------
    before, after : OrgNetwork
    as_of : date-like, pair of dates, or None
        None (default): each snapshot at its own ledger date; one date: both at
        that date; a pair: (before's date, after's date).
    match_kwargs : dict, optional
        Passed to :func:`orgnet.sharing.match` (e.g. ``max_distance_m``).

    Returns
    -------
    Comparison

    Examples
    --------
    >>> import orgnet
    >>> net = orgnet.datasets.load("demo")
    >>> c = orgnet.compare.compare(net, net)
    >>> bool((c.indicators["change"].fillna(0) == 0).all()), len(c.changes)
    (True, 0)
    """
    for name, n in (("before", before), ("after", after)):
        if not isinstance(n, OrgNetwork):
            raise OrgnetParameterError(
                f"The {name!r} parameter of compare must be an OrgNetwork. Got {type(n).__name__} instead."
            )
    b_date, a_date = _dates(as_of)
    ib = indicators(before, as_of=b_date, match_kwargs=match_kwargs)
    ia = indicators(after, as_of=a_date, match_kwargs=match_kwargs)
    ind = pd.DataFrame({"before": ib, "after": ia})
    ind["change"] = ind["after"] - ind["before"]
    ind.index.name = "indicator"
    gb = gap_lists(before, as_of=b_date, match_kwargs=match_kwargs)
    ga = gap_lists(after, as_of=a_date, match_kwargs=match_kwargs)
    rows = []
    for lst in sorted(set(gb) | set(ga)):
        b, a = gb.get(lst, set()), ga.get(lst, set())
        rows += [(lst, i, "entered") for i in sorted(a - b)]
        rows += [(lst, i, "left") for i in sorted(b - a)]
    changes = pd.DataFrame(rows, columns=["list", "id", "change"])
    ind.attrs.update(before_as_of=before.resolve_as_of(b_date), after_as_of=after.resolve_as_of(a_date))
    return Comparison(ind, changes)
