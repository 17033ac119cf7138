"""Two snapshots side by side: every headline figure before and after, and who
entered or left each gap list (e.g. three-no compounds 526 → 66)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import OrgnetParameterError
from ..network import OrgNetwork
from . import coverage, linkage, sharing, structure, vacuum

__all__ = ["Comparison", "compare", "indicators", "gap_lists"]


def _snapshot(net: OrgNetwork, as_of=None, match_kwargs: dict | None = None, func: str = "compare"):
    """Run every analysis once for one network: (indicators Series, gap lists dict)."""
    when = net.resolve_as_of(as_of, func=func)
    ind: dict[str, float] = {}
    gaps: dict[str, set] = {}
    uc = coverage.unit_coverage(net, as_of=when)
    n = len(uc)
    ind["units"] = n
    ind["org_coverage_rate"] = float(uc["org_covered"].mean()) if n else np.nan
    ind["work_coverage_rate"] = float(uc["work_covered"].mean()) if n else np.nan
    none = (uc["coverage"] == "none").to_numpy()
    due = uc["due_not_established"].fillna(False).to_numpy(dtype=bool)
    size = uc["size_rule_gap"].fillna(False).to_numpy(dtype=bool)
    ind["uncovered_units"] = int(none.sum())
    ind["due_not_established"] = int(due.sum())
    ind["size_rule_gaps"] = int(size.sum())
    gaps["uncovered_units"] = set(uc.index[none])
    gaps["due_not_established"] = set(uc.index[due])
    gaps["size_rule_gaps"] = set(uc.index[size])
    ind["organised_grid_share"] = coverage.place_coverage(net, level="grid", as_of=when).attrs["organised_share"]

    va = vacuum.vacuum_areas(net, as_of=when)
    ind["vacuum_places"] = int(va["vacuum"].sum())
    ind["vacuum_population"] = float(vacuum_leaf_population(net, va).sum())
    for r in vacuum.REASONS:
        hit = va[r].fillna(False).to_numpy(dtype=bool)
        ind[f"{r}_places"] = int(hit.sum())
        gaps[f"vacuum:{r}"] = set(va.index[hit])
    ind["three_no_compounds"] = int((va["three_no"].fillna(False) & (va["level"] == "compound")).sum())

    ts = linkage.tie_strength(net, as_of=when)
    ind["active_ties"] = int(len(net.active_ties(when)))
    agreements = int((ts["co_building"] > 0).sum())
    ind["co_building_agreements"] = agreements
    ind["dormant_agreements"] = int(ts["dormant"].sum())
    ind["dormant_share"] = ind["dormant_agreements"] / agreements if agreements else np.nan
    ind["mean_tie_strength"] = float(ts["strength"].mean()) if len(ts) else np.nan
    gaps["dormant_agreements"] = {f"{a}|{b}" for a, b in ts.loc[ts["dormant"], ["a", "b"]].itertuples(index=False)}
    isl = structure.islands(net, as_of=when)
    ind["islands"] = int(len(isl))
    gaps["islands"] = set(isl.index)

    m = sharing.match(net, as_of=when, **(match_kwargs or {}))
    demand = float(m.unmet["quantity"].sum())
    capacity = float(m.idle["capacity"].sum())
    ind["open_demand"] = demand
    ind["matched_share"] = m.matched_quantity / demand if demand else np.nan
    ind["idle_capacity_share"] = float(m.idle["idle"].sum()) / capacity if capacity else np.nan
    gaps["unmet_demands"] = set(m.unmet.index[m.unmet["unmet"] > 0])
    p = net.projects
    done = p[((p["status"] == "done") & (p["date"].isna() | (p["date"] <= when))).to_numpy()]
    ind["projects_done"] = int(len(done))
    ind["project_value"] = float(done["value"].sum())
    return pd.Series(ind, dtype=float, name=net.name), gaps


def indicators(net: OrgNetwork, *, as_of=None, match_kwargs: dict | None = None) -> pd.Series:
    """The headline indicators of one network, as a Series indexed by name.

    Coverage (``units``, ``org_coverage_rate``, ``work_coverage_rate``,
    ``uncovered_units``, ``due_not_established``, ``size_rule_gaps``,
    ``organised_grid_share``), vacuum (``vacuum_places``, ``vacuum_population``
    — population of the vacuum places at the finest level, counted once — and
    ``<reason>_places`` per reason, with ``three_no_compounds``), linkage
    (``active_ties``, ``co_building_agreements``, ``dormant_agreements``,
    ``dormant_share``, ``mean_tie_strength``, ``islands``) and sharing
    (``open_demand``, ``matched_share``, ``idle_capacity_share``,
    ``projects_done``, ``project_value``).

    >>> import orgnet
    >>> ind = orgnet.compare.indicators(orgnet.datasets.load("demo"))
    >>> int(ind["three_no_compounds"]), int(ind["dormant_agreements"]), int(ind["islands"])
    (3, 2, 2)
    """
    return _snapshot(net, as_of, match_kwargs, func="indicators")[0]


def vacuum_leaf_population(net: OrgNetwork, va: pd.DataFrame) -> pd.Series:
    """Population of leaf areas lying in a vacuum place (the place itself or an
    ancestor among ``va``'s places), indexed by leaf id: each resident once."""
    leaves = net.leaf_areas
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
    ``islands``, ``unmet_demands``.

    >>> import orgnet
    >>> sorted(orgnet.compare.gap_lists(orgnet.datasets.load("demo"))["dormant_agreements"])
    ['O22|OU04', 'O22|U30']
    """
    return _snapshot(net, as_of, match_kwargs, func="gap_lists")[1]


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
    ib, gb = _snapshot(before, b_date, match_kwargs)
    ia, ga = _snapshot(after, a_date, match_kwargs)
    ind = pd.DataFrame({"before": ib, "after": ia})
    ind["change"] = ind["after"] - ind["before"]
    ind.index.name = "indicator"
    rows = []
    for lst in sorted(set(gb) | set(ga)):
        b, a = gb.get(lst, set()), ga.get(lst, set())
        rows += [(lst, i, "entered") for i in sorted(a - b)]
        rows += [(lst, i, "left") for i in sorted(b - a)]
    changes = pd.DataFrame(rows, columns=["list", "id", "change"])
    ind.attrs.update(before_as_of=before.resolve_as_of(b_date), after_as_of=after.resolve_as_of(a_date))
    return Comparison(ind, changes)
