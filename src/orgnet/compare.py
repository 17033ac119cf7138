"""Two snapshots side by side: every headline figure before and after, and who
entered or left each gap list (e.g. three-no compounds 526 → 66)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import schema
from ._params import Constraint, Date, Instance, Network, validate_params
from .network import OrgNetwork
from . import coverage, linkage, sharing, structure, vacuum

__all__ = ["Comparison", "compare", "indicators", "gap_lists"]


#: keyword arguments for :func:`orgnet.sharing.match`
_MATCH_KWARGS = [Instance(dict, "a dict of keyword arguments for orgnet.sharing.match"), None]


def _snapshot(net: OrgNetwork, as_of=None, match_kwargs: dict | None = None):
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
    orgs = net.organisations_at(when)
    weak = (orgs["status"] == "weak").fillna(False).to_numpy(dtype=bool)  # empty status: normal
    ind["weak_organisations"] = int(weak.sum())
    ind["weak_organisation_share"] = float(weak.mean()) if len(orgs) else np.nan
    gaps["weak_organisations"] = set(orgs.index[weak])

    va = vacuum.vacuum_areas(net, as_of=when)
    ind["vacuum_places"] = int(va["vacuum"].sum())
    ind["vacuum_population"] = float(vacuum.vacuum_leaf_population(net, va).sum())
    for r in vacuum.reasons_of(va):
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


@validate_params(net=Network(), as_of=[Date(), None], match_kwargs=_MATCH_KWARGS)
def indicators(net: OrgNetwork, *, as_of=None, match_kwargs: dict | None = None) -> pd.Series:
    """The headline indicators of one network, as a Series indexed by name.

    Coverage (``units``, ``org_coverage_rate``, ``work_coverage_rate``,
    ``uncovered_units``, ``due_not_established``, ``size_rule_gaps``,
    ``organised_grid_share``, ``weak_organisations`` and
    ``weak_organisation_share`` — organisations marked weak 软弱涣散 among those
    existing at ``as_of``), vacuum (``vacuum_places``, ``vacuum_population``
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

    Examples
    --------
    >>> import orgnet
    >>> ind = orgnet.compare.indicators(orgnet.datasets.load("demo"))
    >>> int(ind["three_no_compounds"]), int(ind["dormant_agreements"]), int(ind["islands"])
    (3, 2, 2)
    >>> int(ind["weak_organisations"]), round(float(ind["weak_organisation_share"]), 4)
    (2, 0.0444)
    >>> int(ind["open_demands"]), int(ind["demands_met"]), round(float(ind["demands_met_share"]), 4)
    (6, 4, 0.6667)
    >>> float(ind["matched_share:funding"]), float(ind["matched_share:elderly_care"])
    (1.0, 0.0)
    """
    return _snapshot(net, as_of, match_kwargs)[0]


@validate_params(net=Network(), as_of=[Date(), None], match_kwargs=_MATCH_KWARGS)
def gap_lists(net: OrgNetwork, *, as_of=None, match_kwargs: dict | None = None) -> dict[str, set]:
    """The gap lists of one network: list name → set of ids.

    ``vacuum:<reason>`` (places), ``uncovered_units``, ``due_not_established``,
    ``size_rule_gaps``, ``dormant_agreements`` (pairs as ``"a|b"``),
    ``islands``, ``unmet_demands``.

    Examples
    --------
    >>> import orgnet
    >>> sorted(orgnet.compare.gap_lists(orgnet.datasets.load("demo"))["dormant_agreements"])
    ['O22|OU04', 'O22|U30']
    """
    return _snapshot(net, as_of, match_kwargs)[1]


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


class _DatePair(Constraint):
    """A (before, after) pair of dates (either may be None), passed on as a tuple of Timestamps."""

    def describe(self):
        return "a (before, after) pair of dates"

    def convert(self, value):
        if not isinstance(value, (tuple, list)):
            raise TypeError
        if len(value) != 2:
            raise ValueError
        date = Date()
        return tuple(None if v is None else date.convert(v) for v in value)


@validate_params(before=Network(), after=Network(), as_of=[Date(), _DatePair(), None],
                 match_kwargs=_MATCH_KWARGS)
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
    The demo's ledger a year before its date and at it: 14 more active ties,
    8 agreements no longer dormant, and U10, U28 and U29 no longer islands:

    >>> import orgnet
    >>> net = orgnet.datasets.load("demo")
    >>> c = orgnet.compare.compare(net, net, as_of=("2024-06-30", None))
    >>> c.indicators.loc[["active_ties", "dormant_agreements", "islands"]]
                        before  after  change
    indicator
    active_ties           51.0   65.0    14.0
    dormant_agreements    10.0    2.0    -8.0
    islands                5.0    2.0    -3.0
    >>> c.changes.loc[c.changes["list"] == "islands", ["id", "change"]].values.tolist()
    [['U10', 'left'], ['U28', 'left'], ['U29', 'left']]

    A snapshot compared with itself changes nothing:

    >>> same = orgnet.compare.compare(net, net)
    >>> bool((same.indicators["change"].fillna(0) == 0).all()), len(same.changes)
    (True, 0)
    """
    b_date, a_date = as_of if isinstance(as_of, tuple) else (as_of, as_of)
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
