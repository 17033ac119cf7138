"""A transparent scorecard: each area's headline indicators side by side, with ranks,
and a composite only when asked for, with explicit weights; and the ratings areas receive
(评星定级, 千分制考核) set against the network they are supposed to reward.

- :func:`scorecard` — the indicators per area; ``ratings=`` adds the latest rating of a
  scheme as a column beside them;
- :func:`ratings_vs_network` — Spearman's rank correlation of a scheme's ratings with
  each network indicator: do ratings reward real linkage, coverage and response?

How an area gets a rating: a ``ratings`` row whose ``entity`` is the area itself, or
the territorial organisation seated in it (``scope`` territorial, ``area`` = the area:
``O11`` for community ``C11``). Its value is ``score / max_score`` where ``max_score`` is
given, else ``score``; the latest ``period`` on or before ``as_of`` counts, and several
rows of that period (the area and its organisation both rated) are averaged. Ratings of
units, stations or areas of other levels are not used at the level asked for.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from . import schema
from ._params import (Constraint, Date, Instance, Level, Network, Options, Weights, current_function, require,
                      validate_params)
from .errors import OrgnetMissingDataError, OrgnetParameterError, OrgnetWarning
from .network import OrgNetwork
from . import coverage, linkage, response, sharing, vacuum

__all__ = ["INDICATORS", "RESPONSE_INDICATORS", "scorecard", "ratings_vs_network"]

#: indicator → True when higher is better
INDICATORS: dict[str, bool] = {
    "org_coverage_rate": True,
    "work_coverage_rate": True,
    "vacuum_population_share": False,
    "linkage_strength": True,
    "dormant_share": False,
    "weak_share": False,
    "demands_met_share": True,
    "projects": True,
}

#: response indicators (:func:`orgnet.response.case_summary` by area) that
#: :func:`ratings_vs_network` sets against ratings when the network has cases;
#: indicator → True when higher is better
RESPONSE_INDICATORS: dict[str, bool] = {
    "closure_rate": True,
    "median_days": False,
    "satisfaction": True,
}

#: fewer rated areas than this give no rank correlation (NaN)
_MIN_PAIRS = 3


class _IndicatorWeights(Weights):
    """Weights over :data:`INDICATORS`. A dict naming the retired ``matched_share`` is let
    through, so that :func:`scorecard` can say what replaced it."""

    def __init__(self):
        super().__init__(INDICATORS, "indicators")

    def convert(self, value):
        if isinstance(value, dict) and "matched_share" in value:
            return value
        return super().convert(value)


class _Scheme(Constraint):
    """A rating scheme (DATA_FORMAT.md ``ratings.scheme``), English or Chinese, passed on canonical."""

    def describe(self):
        return "a rating scheme: " + schema.VOCABULARIES["rating_scheme"].describe()

    def convert(self, value):
        if not isinstance(value, str):
            raise TypeError
        canon = schema.VOCABULARIES["rating_scheme"].canonical(value)
        if canon is None:
            raise ValueError
        return canon


class _Schemes(_Scheme):
    """One rating scheme or a non-empty list of distinct schemes, passed on as a tuple."""

    def describe(self):
        return "a rating scheme or a list of rating schemes: " + schema.VOCABULARIES["rating_scheme"].describe()

    def convert(self, value):
        values = [value] if isinstance(value, str) else list(value)  # TypeError for a non-iterable
        out = tuple(super(_Schemes, self).convert(v) for v in values)
        if not out or len(set(out)) != len(out):
            raise ValueError
        return out


class _Indicators(Constraint):
    """One indicator or a non-empty list of indicators among INDICATORS and RESPONSE_INDICATORS."""

    def describe(self):
        return "an indicator or a list of indicators among " + ", ".join([*INDICATORS, *RESPONSE_INDICATORS])

    def convert(self, value):
        values = [value] if isinstance(value, str) else list(value)  # TypeError for a non-iterable
        known = {**INDICATORS, **RESPONSE_INDICATORS}
        if not values or any(not isinstance(v, str) or v not in known for v in values) \
                or len(set(values)) != len(values):
            raise ValueError
        return tuple(values)


def _require_scheme(net: OrgNetwork, scheme: str) -> None:
    require(net, tables=("ratings",))
    present = net.ratings["scheme"].astype(object)
    if not (present == scheme).any():
        raise OrgnetMissingDataError(
            f"{current_function()} needs ratings of the scheme {scheme!r}, but the ratings table has none "
            f"(schemes present: {', '.join(sorted(set(present.dropna())))}). Pass one of those, or add "
            f"{scheme!r} rows to the ratings table."
        )


def _area_ratings(net: OrgNetwork, scheme: str, level: str, when) -> pd.DataFrame:
    """The rating of each area of ``level`` that has one: ``value`` and ``period``."""
    r = net.ratings
    r = r[((r["scheme"].astype(object) == scheme) & (r["period"] <= when)).to_numpy()]
    entity = r["entity"].astype(object)
    areas = net.areas
    own = entity.map(areas["level"].astype(object)) == level
    o = net.organisations
    terr = o[(o["scope"] == "territorial").to_numpy()]
    seat = terr["area"].astype(object)
    seat = seat[(seat.map(areas["level"].astype(object)) == level).to_numpy()]
    area = entity.where(own.to_numpy(), entity.map(seat))
    value = (r["score"] / r["max_score"]).where(r["max_score"].notna(), r["score"]).astype(float)
    df = pd.DataFrame({"area": area.to_numpy(dtype=object), "period": r["period"].to_numpy(),
                       "value": value.to_numpy()})
    df = df[df["area"].notna().to_numpy()]
    if not len(df):
        return pd.DataFrame({"value": pd.Series(dtype=float), "period": pd.Series(dtype="datetime64[ns]")},
                            index=pd.Index([], dtype=object, name=level))
    latest = df.groupby("area")["period"].transform("max")
    df = df[(df["period"] == latest).to_numpy()]
    out = df.groupby("area", sort=True).agg(value=("value", "mean"), period=("period", "max"))
    out.index.name = level
    return out


@validate_params(
    net=Network(),
    level=Level(),
    weights=[Options("equal"), _IndicatorWeights(), None],
    as_of=[Date(), None],
    match_kwargs=[Instance(dict, "a dict of keyword arguments for orgnet.sharing.match"), None],
    match=[Instance(sharing.MatchResult, "a MatchResult from orgnet.sharing.match"), None],
    ratings=[_Schemes(), None],
)
def scorecard(net: OrgNetwork, *, level: str = "community", weights=None, as_of=None,
              match_kwargs: dict | None = None, match: "sharing.MatchResult | None" = None,
              ratings: "str | list[str] | None" = None) -> pd.DataFrame:
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
    ratings : str or list of str, optional
        A rating scheme (``"stars"``, ``"points"``, ``"peer"``, ``"satisfaction"``,
        ``"other"`` or its Chinese name, e.g. ``"星级"``), or a list of schemes:
        each adds the column ``rating_<scheme>``, the area's latest rating of
        that scheme on or before ``as_of`` (see the module docstring for how an
        area gets a rating), and ``rank_rating_<scheme>`` (higher is better).
        None (default): no rating columns, every result as without ratings.

    Returns
    -------
    DataFrame
        Indexed by the areas of ``level``: ``name``; the indicators
        ``org_coverage_rate``, ``work_coverage_rate`` (:func:`~orgnet.coverage.coverage_rates`),
        ``vacuum_population_share`` (residents of leaf areas lying in a vacuum
        grid or compound, over all residents of the area's leaf areas),
        ``linkage_strength`` (:func:`~orgnet.linkage.linkage_index` strength),
        ``dormant_share``, ``weak_share`` (organisations located in the area,
        existing at ``as_of``, marked weak 软弱涣散; lower is better),
        ``demands_met_share`` (share of the open demands
        posted in the area whose quantity the matching fully meets — a share of
        demands, counted, so quantities of different categories are never added;
        :meth:`orgnet.sharing.MatchResult.summary`), ``projects`` (finished,
        :func:`~orgnet.sharing.realised`); ``rank_<indicator>`` (1 = best; higher
        is better except for the three shares of gaps; ties share the best rank;
        NaN stays unranked); with ``weights``, ``composite``: Σ wᵢ sᵢ / Σ wᵢ over
        the indicators available in the row, where sᵢ is the indicator scaled
        to [0, 1] across areas (min–max, oriented so 1 is best; 0.5 when all
        areas are equal), and ``rank_composite``. With ``ratings``, the
        ``rating_<scheme>`` columns follow ``projects`` and their ranks follow
        the other ranks; ``attrs["rating_periods"]`` maps each scheme to the
        period each area's rating refers to. Ratings never enter the
        composite: it summarises the network, the rating is the assessment
        set against it (:func:`ratings_vs_network`).

    Raises
    ------
    OrgnetMissingDataError
        ``ratings`` is given and the network has no ``ratings`` table, or no
        row of a scheme asked for.

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
    C11                    0.600                1.0      0.879             2.0
    C12                    0.833                NaN      0.901             1.0
    C13                    0.200                0.5      0.103             6.0
    C21                    0.714                NaN      0.607             3.0
    C22                    0.571                0.0      0.281             5.0
    C23                    0.333                1.0      0.379             4.0

    C13's funding demand is met, its elderly care not (0.5); C12 and C21 post
    no open demand (NaN, left out of their composite).

    The demo's star ratings of the community committees for 2024 (out of 5):

    >>> sc = orgnet.scorecard.scorecard(orgnet.datasets.load("demo"), ratings="stars")
    >>> sc[["linkage_strength", "rating_stars", "rank_rating_stars"]].round(3)
               linkage_strength  rating_stars  rank_rating_stars
    community
    C11                  15.990           1.0                1.0
    C12                   6.985           0.8                3.0
    C13                   5.887           0.2                6.0
    C21                   7.974           0.4                5.0
    C22                   5.779           1.0                1.0
    C23                   3.029           0.6                4.0
    """
    for scheme in ratings or ():
        _require_scheme(net, scheme)
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
    orgs = net.organisations_at(when)
    org_area = net.ancestor(orgs["area"], level)
    weak = (orgs["status"] == "weak").fillna(False).astype(float)  # empty status: normal
    out["weak_share"] = weak.groupby(org_area.to_numpy(dtype=object)).mean().reindex(index).to_numpy()
    if match is None:
        match = sharing.match(net, as_of=when, **(match_kwargs or {}))
    ms = match.summary(by=level)
    out["demands_met_share"] = ms["demands_met_share"].reindex(index)
    out["projects"] = sharing.realised(net, level=level, as_of=when)["projects"].reindex(index)
    periods = {}
    for scheme in ratings or ():
        rated = _area_ratings(net, scheme, level, when)
        out[f"rating_{scheme}"] = rated["value"].reindex(index).astype(float)
        periods[scheme] = rated["period"].to_dict()

    for k, higher in INDICATORS.items():
        out[f"rank_{k}"] = out[k].rank(ascending=not higher, method="min")
    for scheme in ratings or ():
        out[f"rank_rating_{scheme}"] = out[f"rating_{scheme}"].rank(ascending=False, method="min")
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
    if ratings:
        out.attrs["rating_periods"] = periods
    return out



def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rho: Pearson's correlation of the average ranks (ties share the mean rank);
    NaN when either side is constant."""
    rx = pd.Series(x).rank(method="average").to_numpy(dtype=float)
    ry = pd.Series(y).rank(method="average").to_numpy(dtype=float)
    dx, dy = rx - rx.mean(), ry - ry.mean()
    den = np.sqrt((dx * dx).sum() * (dy * dy).sum())
    return float((dx * dy).sum() / den) if den > 0 else float("nan")


@validate_params(
    net=Network(),
    scheme=_Scheme(),
    indicators=[_Indicators(), None],
    level=Level(),
    as_of=[Date(), None],
    match=[Instance(sharing.MatchResult, "a MatchResult from orgnet.sharing.match"), None],
)
def ratings_vs_network(net: OrgNetwork, *, scheme: str = "stars", indicators=None, level: str = "community",
                       as_of=None, match: "sharing.MatchResult | None" = None) -> pd.DataFrame:
    """Do ratings reward real linkage? Spearman's rank correlation of a scheme's ratings
    with each network indicator, over the rated areas of a level.

    Parameters
    ----------
    net : OrgNetwork
    scheme : str, default "stars"
        The rating scheme (``"stars"`` 星级, ``"points"`` 积分/千分制, ``"peer"``,
        ``"satisfaction"``, ``"other"``; English or Chinese).
    indicators : str or list of str, optional
        Indicators to set against the ratings, among :data:`INDICATORS` (the
        columns of :func:`scorecard`) and :data:`RESPONSE_INDICATORS`
        (:func:`orgnet.response.case_summary` by area). Default: all of
        :data:`INDICATORS`, and the response indicators when the network has
        cases.
    level : str, default "community"
        The areas compared; how an area gets a rating is in the module
        docstring (its own rating or its seated territorial organisation's).
    as_of : date-like, optional
        The indicators at this date and the latest rating on or before it
        (a rating whose period is later is not used). Default: the network's
        ``as_of``.
    match : MatchResult, optional
        ``orgnet.sharing.match(net, as_of=...)`` already solved, for the
        ``demands_met_share`` indicator (as in :func:`scorecard`); default: solved here.

    Returns
    -------
    DataFrame
        One row per indicator (index ``indicator``, in the order asked for):
        ``higher_is_better``; ``n`` (rated areas that also have a value of the
        indicator: the pairs used); ``rho`` (Spearman's rank correlation of
        rating and indicator, ties at their average rank); ``p_value``
        (two-sided, from :func:`scipy.stats.spearmanr`: the t approximation,
        rough for a handful of areas); ``agreement`` (``rho`` oriented so that
        a positive value means higher-rated areas do better on the indicator:
        ``-rho`` where lower is better); ``note`` (why ``rho`` is NaN, else
        empty). ``attrs``: ``scheme``, ``level``, ``as_of``, ``rated`` (areas
        with a rating) and ``ratings`` (area → rating value).

    Raises
    ------
    OrgnetMissingDataError
        The network has no ``ratings`` table or no row of ``scheme``; or a
        response indicator is asked for and it has no ``cases``.

    Warns
    -----
    OrgnetWarning
        When fewer than 3 rated areas have a value of an indicator: its
        ``rho`` and ``p_value`` are NaN (a rank correlation of two pairs is
        always ±1 and says nothing). A constant side (all ratings equal) also
        gives NaN, with a note and no warning.

    See Also
    --------
    scorecard : the indicators and ``ratings=``.

    Notes
    -----
    ρ = cov(R(x), R(y)) / (σ(R(x)) σ(R(y))), with R the average ranks [1]_;
    without ties ρ = 1 − 6 Σ dᵢ² / (n (n² − 1)). The scorecard is computed once
    (its cost dominates); each correlation is O(n log n) in the rated areas.

    References
    ----------
    .. [1] Spearman, C. (1904). The proof and measurement of association between
       two things. *The American Journal of Psychology*, 15(1), 72-101.

    Examples
    --------
    The demo's stars hardly reward linkage (C22 has 5 stars, two dormant
    agreements and the second-weakest linkage; C21 2 stars and the
    second-strongest); its 1000-point assessments track linkage more closely:

    >>> import orgnet
    >>> net = orgnet.datasets.load("demo")
    >>> rv = orgnet.scorecard.ratings_vs_network(net, indicators=["linkage_strength", "dormant_share"])
    >>> rv[["n", "rho", "agreement"]].round(3)
                      n    rho  agreement
    indicator
    linkage_strength  6  0.145      0.145
    dormant_share     4  0.544     -0.544
    >>> pv = orgnet.scorecard.ratings_vs_network(net, scheme="points", indicators="linkage_strength")
    >>> int(pv.at["linkage_strength", "n"]), round(float(pv.at["linkage_strength", "rho"]), 3)
    (6, 0.771)

    Points rank C11…C23 as 6, 5, 1, 4, 3, 2 and linkage as 6, 4, 3, 5, 2, 1
    (C13's council meetings of 2024 lift it above C22): Σ d² = 8 and
    ρ = 1 − 6 · 8 / (6 · 35) = 27/35.
    """
    _require_scheme(net, scheme)
    has_cases = len(net.cases) > 0
    if indicators is None:
        indicators = (*INDICATORS, *(RESPONSE_INDICATORS if has_cases else ()))
    if any(k in RESPONSE_INDICATORS for k in indicators):
        require(net, tables=("cases",))
    when = net.resolve_as_of(as_of)
    sc = scorecard(net, level=level, as_of=when, ratings=scheme, match=match)
    values = sc[[k for k in indicators if k in INDICATORS]].astype(float)
    if any(k in RESPONSE_INDICATORS for k in indicators):
        cs = response.case_summary(net, by=level, as_of=when)
        for k in indicators:
            if k in RESPONSE_INDICATORS:
                values[k] = cs[k].reindex(sc.index).astype(float)
    rating = sc[f"rating_{scheme}"]
    higher = {**INDICATORS, **RESPONSE_INDICATORS}
    rows, few = [], []
    for k in indicators:
        both = rating.notna() & values[k].notna()
        x, y = rating[both].to_numpy(dtype=float), values[k][both].to_numpy(dtype=float)
        n, rho, p, note = int(both.sum()), float("nan"), float("nan"), ""
        if n < _MIN_PAIRS:
            note = f"fewer than {_MIN_PAIRS} rated areas with a value"
            few.append(k)
        else:
            rho = _spearman(x, y)
            if rho != rho:
                note = "constant ratings or indicator: no rank order to compare"
            else:
                from scipy import stats

                p = float(stats.spearmanr(x, y).pvalue)
        rows.append({"indicator": k, "higher_is_better": higher[k], "n": n, "rho": rho, "p_value": p,
                     "agreement": rho if higher[k] else -rho, "note": note})
    if few:
        warnings.warn(
            f"{current_function()}: fewer than {_MIN_PAIRS} areas of level {level!r} have a {scheme!r} rating "
            f"by {when:%Y-%m-%d} and a value of {', '.join(few)}; their rho is NaN. Compare at another "
            "level or add ratings.", OrgnetWarning, stacklevel=3)
    out = pd.DataFrame(rows, columns=["indicator", "higher_is_better", "n", "rho", "p_value", "agreement",
                                      "note"]).set_index("indicator")
    out["n"] = out["n"].astype("int64")
    out["higher_is_better"] = out["higher_is_better"].astype(bool)
    out["note"] = out["note"].astype(schema.TEXT_DTYPE)
    out.attrs = {"func": "ratings_vs_network", "scheme": scheme, "level": level, "as_of": when,
                 "rated": int(rating.notna().sum()), "ratings": rating.dropna().to_dict()}
    return out
