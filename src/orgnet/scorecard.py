"""A transparent scorecard: each area's headline indicators side by side, with ranks,
and a composite only when asked for, with explicit weights."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ._params import Date, Instance, Level, Network, Options, Weights, validate_params
from .errors import OrgnetParameterError, OrgnetWarning
from .network import OrgNetwork
from . import coverage, linkage, sharing, vacuum

__all__ = ["INDICATORS", "scorecard"]

#: indicator → True when higher is better
INDICATORS: dict[str, bool] = {
    "org_coverage_rate": True,
    "work_coverage_rate": True,
    "vacuum_population_share": False,
    "linkage_strength": True,
    "dormant_share": False,
    "demands_met_share": True,
    "projects": True,
}


class _IndicatorWeights(Weights):
    """Weights over :data:`INDICATORS`. A dict naming the retired ``matched_share`` is let
    through, so that :func:`scorecard` can say what replaced it."""

    def __init__(self):
        super().__init__(INDICATORS, "indicators")

    def convert(self, value):
        if isinstance(value, dict) and "matched_share" in value:
            return value
        return super().convert(value)


@validate_params(
    net=Network(),
    level=Level(),
    weights=[Options("equal"), _IndicatorWeights(), None],
    as_of=[Date(), None],
    match_kwargs=[Instance(dict, "a dict of keyword arguments for orgnet.sharing.match"), None],
    match=[Instance(sharing.MatchResult, "a MatchResult from orgnet.sharing.match"), None],
)
def scorecard(net: OrgNetwork, *, level: str = "community", weights=None, as_of=None,
              match_kwargs: dict | None = None, match: "sharing.MatchResult | None" = None) -> pd.DataFrame:
    """Headline indicators per area, their ranks, and an optional weighted composite.

    Parameters
    ----------
    net : OrgNetwork
    level : str, default "community"
    weights : None, "equal" or dict, optional
        None (default): no composite. ``"equal"``: every indicator weight 1.
        A dict ``{indicator: weight >= 0}``: those weights (others 0).
    as_of : date-like, optional
    match_kwargs : dict, optional
        Passed to :func:`orgnet.sharing.match`.
    match : MatchResult, optional
        A matching already computed for this network (skips solving it again);
        ``match_kwargs`` is then ignored.

    Returns
    -------
    DataFrame
        Indexed by the areas of ``level``: ``name``; the indicators
        ``org_coverage_rate``, ``work_coverage_rate`` (:func:`~orgnet.coverage.coverage_rates`),
        ``vacuum_population_share`` (residents of leaf areas lying in a vacuum
        grid or compound, over all residents of the area's leaf areas),
        ``linkage_strength`` (:func:`~orgnet.linkage.linkage_index` strength),
        ``dormant_share``, ``demands_met_share`` (share of the open demands
        posted in the area whose quantity the matching fully meets — a share of
        demands, counted, so quantities of different categories are never added;
        :meth:`orgnet.sharing.MatchResult.summary`), ``projects`` (finished,
        :func:`~orgnet.sharing.realised`); ``rank_<indicator>`` (1 = best; higher
        is better except for the two shares of gaps; ties share the best rank;
        NaN stays unranked); with ``weights``, ``composite``: Σ wᵢ sᵢ / Σ wᵢ over
        the indicators available in the row, where sᵢ is the indicator scaled
        to [0, 1] across areas (min–max, oriented so 1 is best; 0.5 when all
        areas are equal), and ``rank_composite``.

    Notes
    -----
    In earlier versions the sharing indicator was ``matched_share``, the matched
    quantity over the open quantity summed across categories (on the demo,
    20,000 yuan of funding outweighed 30 people of unmet elderly care: C13
    0.9985). It is replaced by ``demands_met_share``; per-category quantity
    shares are in ``MatchResult.summary(by="category")``.

    Examples
    --------
    >>> import orgnet
    >>> sc = orgnet.scorecard.scorecard(orgnet.datasets.load("demo"), weights="equal")
    >>> sc[["org_coverage_rate", "demands_met_share", "composite", "rank_composite"]].round(3)
               org_coverage_rate  demands_met_share  composite  rank_composite
    community
    C11                    0.600                1.0      0.862             2.0
    C12                    0.833                NaN      0.938             1.0
    C13                    0.200                0.5      0.083             6.0
    C21                    0.714                NaN      0.603             3.0
    C22                    0.571                0.0      0.312             4.0
    C23                    0.333                1.0      0.301             5.0

    C13's funding demand is met, its elderly care not (0.5); C12 and C21 post
    no open demand (NaN, left out of their composite).
    """
    if weights == "equal":
        weights = {k: 1.0 for k in INDICATORS}
    elif isinstance(weights, dict) and "matched_share" in weights:
        raise OrgnetParameterError(
            f"The 'weights' parameter of {scorecard.__name__} names 'matched_share', which summed quantities of "
            "different categories and is no longer an indicator; weight 'demands_met_share' (share of "
            "open demands fully met) instead."
        )
    when = net.resolve_as_of(as_of)
    index = net.areas.index[(net.areas["level"] == level).to_numpy()]
    out = pd.DataFrame(index=index)
    out["name"] = net.areas["name"].reindex(index).to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OrgnetWarning)  # units above the level: not in any row
        rates = coverage.coverage_rates(net, by=level, as_of=when)
    out["org_coverage_rate"] = rates["org_coverage_rate"].reindex(index)
    out["work_coverage_rate"] = rates["work_coverage_rate"].reindex(index)

    leaves = net.leaf_areas
    leaf_area = net.area_paths.loc[leaves.index, level]
    total = leaves["population"].fillna(0).astype(float).groupby(leaf_area.to_numpy()).sum()
    va = vacuum.vacuum_areas(net, as_of=when)
    vac = vacuum.vacuum_leaf_population(net, va)
    vac_by = vac.groupby(net.area_paths.loc[vac.index, level].to_numpy()).sum()
    total = total.reindex(index)
    out["vacuum_population_share"] = (vac_by.reindex(index, fill_value=0.0) / total.where(total > 0)).to_numpy()

    li = linkage.linkage_index(net, level=level, as_of=when)
    out["linkage_strength"] = li["strength"].reindex(index)
    out["dormant_share"] = li["dormant_share"].reindex(index)
    if match is None:
        match = sharing.match(net, as_of=when, **(match_kwargs or {}))
    ms = match.summary(by=level)
    out["demands_met_share"] = ms["demands_met_share"].reindex(index)
    out["projects"] = sharing.realised(net, level=level, as_of=when)["projects"].reindex(index)

    for k, higher in INDICATORS.items():
        out[f"rank_{k}"] = out[k].rank(ascending=not higher, method="min")
    if weights is not None:
        w = pd.Series({k: float(weights.get(k, 0.0)) for k in INDICATORS})
        scaled = pd.DataFrame(index=index)
        for k, higher in INDICATORS.items():
            x = out[k].astype(float)
            lo, hi = x.min(), x.max()
            if pd.isna(lo) or hi == lo:
                s = pd.Series(np.where(x.notna(), 0.5, np.nan), index=index)
            else:
                s = (x - lo) / (hi - lo)
                if not higher:
                    s = 1 - s
            scaled[k] = s
        avail = scaled.notna()
        num = (scaled.fillna(0) * w).sum(axis=1)
        den = (avail * w).sum(axis=1)
        out["composite"] = num / den.where(den > 0)
        out["rank_composite"] = out["composite"].rank(ascending=False, method="min")
        out.attrs["weights"] = w.to_dict()
    out.index.name = level
    out.attrs.update(func="scorecard", level=level, as_of=when)
    return out
