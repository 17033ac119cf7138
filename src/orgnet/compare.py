"""Two snapshots side by side: every headline figure before and after, and who
entered or left each gap list (e.g. three-no compounds 526 → 66)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import schema
from .errors import OrgnetParameterError
from .network import OrgNetwork
from . import coverage, linkage, sharing, structure, vacuum

__all__ = ["Comparison", "compare", "indicators", "gap_lists"]


def _snapshot(net: OrgNetwork, as_of=None, match_kwargs: dict | None = None, func: str = "compare"):
    """Run every analysis once for one network: (indicators Series, gap lists dict)."""
    when = net.resolve_as_of(as_of)
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
    # quantities are in different units per category (yuan, people, venues): counted or
    # compared within a category only, never summed across categories
    ind["open_demands"] = int(len(m.unmet))
    by_cat = m.summary(by="category")
    ind["demands_met"] = int(by_cat["demands_met"].sum())  # a count: summing over categories is sound
    ind["demands_met_share"] = m.demands_met_share
    idle = m.idle.groupby(m.idle["category"].astype(object))[["capacity", "idle"]].sum()
    cats = list(schema.VOCABULARIES["category"].values)
    for cat in cats:
        ind[f"matched_share:{cat}"] = by_cat["matched_share"].get(cat, np.nan)
    for cat in cats:
        cap = idle["capacity"].get(cat, 0.0)
        ind[f"idle_capacity_share:{cat}"] = idle["idle"].get(cat, 0.0) / cap if cap > 0 else np.nan
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
    (``open_demands`` — the number of open demands — ``demands_met``, of them
    fully met, and ``demands_met_share``, their share of the open demands;
    per category ``matched_share:<category>``, the matched share of the
    category's open quantity, and ``idle_capacity_share:<category>``, the idle
    share of its capacity, NaN where the category has none; ``projects_done``,
    ``project_value``). Quantities are never summed across categories (a yuan
    of funding and a person of elderly care are different units).

    >>> import orgnet
    >>> ind = orgnet.compare.indicators(orgnet.datasets.load("demo"))
    >>> int(ind["three_no_compounds"]), int(ind["dormant_agreements"]), int(ind["islands"])
    (3, 2, 2)
    >>> int(ind["open_demands"]), int(ind["demands_met"]), round(float(ind["demands_met_share"]), 4)
    (6, 4, 0.6667)
    >>> float(ind["matched_share:funding"]), float(ind["matched_share:elderly_care"])
    (1.0, 0.0)
    """
    return _snapshot(net, as_of, match_kwargs, func="indicators")[0]


#: the once-per-resident rule lives with the vacuum analysis (kept here for callers of compare)
vacuum_leaf_population = vacuum.vacuum_leaf_population


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
