"""The report's sections, one builder per question, in one place (:data:`SECTIONS`).

Each builder takes the :class:`~orgnet.report.page.Context` and returns a list
of escaped HTML blocks; analyses are run through ``ctx.run`` (their warnings
become notes, their parameters are recorded).
"""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from .. import schema
from ..errors import OrgnetMissingDataError, OrgnetParameterError
from .page import Context, available, fmt_param, pct, sized

__all__ = ["Section", "SECTIONS", "REPORT_VIEWS"]

#: views drawn in the report, in tab order
REPORT_VIEWS = ("ties", "hierarchy", "coverage", "vacuum", "sharing", "staffing", "response")
#: the table an activity view draws (left out, with a note, when the network has none)
_VIEW_TABLES = {"staffing": "people", "response": "cases"}


@dataclass(frozen=True)
class Section:
    """One section of the report.

    ``build(ctx)`` returns a list of HTML blocks (``markupsafe.Markup``; build
    them with :meth:`Context.table`, ``chart``, ``note``, ``para``...).
    ``needs`` names the analysis module it draws (skipped with a note when it
    cannot be imported); ``functions`` names functions of that module it draws
    (``"orgnet.linkage.cadence"``: skipped with a note when none of them
    exists, and the builder notes each one missing); ``tables`` names the
    tables it needs (skipped with a note naming the first one that is empty);
    ``late`` sections are built after all others (the notes, which collect
    what the others found).
    """

    key: str
    title: str
    build: Callable[["Context"], list]
    needs: str | None = None
    late: bool = False
    tables: tuple = ()
    functions: tuple = ()



def _summary(ctx: Context) -> list:
    net = ctx.net
    s = net.summary()
    rows = []
    for t in schema.TABLE_ORDER:
        part = s[s["table"] == t]
        total = int(part.iloc[0]["count"])
        groups = ", ".join(f"{g} {c:,}" for g, c in part.iloc[1:][["group", "count"]].itertuples(index=False))
        rows.append((t, schema.TABLES[t].aliases[0], total, groups))
    df = pd.DataFrame(rows, columns=["table", "表", "rows", "by kind"]).set_index("table")
    return [ctx.facts([("dataset", net.name or "(unnamed)"), ("source", net.source),
                       ("as of 截至", f"{ctx.as_of:%Y-%m-%d}")]),
            ctx.table(df)]


def _notes(ctx: Context) -> list:
    net = ctx.net
    out = []
    n_rows = sum(len(t) for t in net.tables.values())
    out.append(ctx.para(f"The dataset passed validation: {n_rows:,} rows in {len(schema.TABLE_ORDER)} tables, "
                        "every rule of the data format checked when it was read (an invalid dataset does not load)."))
    empty = [t for t in schema.TABLE_ORDER if len(net.tables[t]) == 0]
    if empty:
        out.append(ctx.note("Empty tables: " + ", ".join(empty) + " — the parts of the report that need them "
                            "show nothing or are skipped."))
    loc = net.locations
    kinds = net.entity_kinds
    missing = loc[(loc["source"] == "none").to_numpy()]
    if len(missing):
        by_kind = missing.index.to_series().map(kinds).fillna("demand/resource").value_counts()
        parts = ", ".join(f"{k} {v:,}" for k, v in by_kind.items())
        out.append(ctx.note(f"Without a location (no coordinates of their own, their area's or owner's): {parts}. "
                            "They are left out of distance-based results (service circles, matching distances)."))
    seen = []
    for w in ctx.warnings:
        if w not in seen:
            seen.append(w)
    for w in seen:
        out.append(ctx.note(w))
    for key, why in ctx.skipped:
        out.append(ctx.note(f"Section {key!r} skipped: {why}", "skip"))
    if not seen and not empty and not len(missing):
        out.append(ctx.para("No further notes."))
    return out


def _coverage(ctx: Context) -> list:
    from .. import coverage
    from ..viz import plots

    net, when = ctx.net, ctx.as_of
    out = []
    total = ctx.run(coverage.coverage_rates, net, by="all", as_of=when, label="coverage.coverage_rates")
    t = total.iloc[0]
    grid = ctx.run(coverage.place_coverage, net, level="grid", as_of=when, label="coverage.place_coverage")
    items = [("units 单位", int(t["units"])), ("organisational coverage 组织覆盖率", pct(t["org_coverage_rate"])),
             ("work coverage 工作覆盖率", pct(t["work_coverage_rate"])),
             ("due, not established 应建未建", int(t["due_not_established"])),
             ("size rule gaps", int(t["size_rule_gaps"])),
             ("grids with a territorial organisation 网格党组织覆盖", pct(grid.attrs["organised_share"]))]
    out.append(ctx.facts([(k, v) for k, v in items]))
    by_street = ctx.run(coverage.coverage_rates, net, by="street", as_of=when, label="coverage.coverage_rates")
    out.append(ctx.h3("By street 分街道"))
    if len(by_street):
        out.append(ctx.chart(plots.coverage_bars, by_street, alt="coverage by street", size=sized(len(by_street))))
        out.append(ctx.table(by_street))
        uc = ctx.run(coverage.unit_coverage, net, as_of=when, label="coverage.unit_coverage")
        if uc["street"].notna().any():
            n_st = uc["street"].nunique()
            out.append(ctx.chart(plots.rate_heatmap, uc, by="street", alt="coverage by street and unit type",
                                 size=(9.0, min(max(3.0, 1.8 + 0.28 * n_st), 24.0))))
    for by, title in (("type", "By unit type 分单位类型"), ("sector", "By emerging sector 分新兴领域")):
        out.append(ctx.h3(title))
        out.append(ctx.table(ctx.run(coverage.coverage_rates, net, by=by, as_of=when,
                                     label="coverage.coverage_rates")))
    comm = ctx.run(coverage.coverage_rates, net, by="community", as_of=when, label="coverage.coverage_rates")
    a = net.areas.reindex(comm.index)
    if len(comm) and (a["lon"].notna() | a.get("geometry", pd.Series(dtype=object)).notna()).any():
        out.append(ctx.h3("Map: organisational coverage by community 社区组织覆盖率"))
        out.append(ctx.chart(plots.area_map, net, comm["org_coverage_rate"], alt="coverage map", size=(8.0, 6.5),
                             label="组织覆盖率 organisational coverage"))
    uc = ctx.run(coverage.unit_coverage, net, as_of=when, label="coverage.unit_coverage")
    due = uc[uc["due_not_established"].fillna(False).to_numpy(dtype=bool)]
    out.append(ctx.h3(f"Units due but not established 应建未建 ({len(due):,})"))
    if len(due):
        out.append(ctx.table(due[["name", "type", "street", "community", "party_members", "employees", "coverage"]],
                             max_rows=200))
    return out


def _vacuum(ctx: Context) -> list:
    from .. import vacuum
    from ..viz import plots

    net, when = ctx.net, ctx.as_of
    out = []
    va = ctx.run(vacuum.vacuum_areas, net, as_of=when, label="vacuum.vacuum_areas")
    vs = ctx.run(vacuum.vacuum_summary, net, by="street", as_of=when, label="vacuum.vacuum_summary")
    vpop, residents = vs.attrs["vacuum_population"], vs.attrs["residents"]  # each resident once, at a leaf area
    out.append(ctx.facts([("places (grids and compounds)", len(va)), ("vacuum places 真空", int(va["vacuum"].sum())),
                          ("residents living in a vacuum place", vpop),
                          ("their share of all residents", pct(vpop / residents) if residents else "–"),
                          *[(f"{r}", int(va[r].fillna(False).sum())) for r in vacuum.reasons_of(va)]]))
    if len(vs):
        out.append(ctx.chart(plots.vacuum_reasons, vs, alt="vacuum reasons by street", size=sized(len(vs))))
        cols = ["name", "places", "vacuum", "vacuum_population", "residents", "vacuum_population_share",
                *vacuum.reasons_of(vs)]
        out.append(ctx.table(vs[cols]))
    k = ctx.k_stations
    if k and len(net.areas):
        out.append(ctx.h3(f"Where up to {k} new stations would reach the most unserved residents 新增阵地选址"))
        try:
            picks = ctx.run(vacuum.suggest_stations, net, k, label="vacuum.suggest_stations")
        except OrgnetParameterError as err:
            out.append(ctx.note(f"No suggestion: {err}", "skip"))
        else:
            out.append(ctx.para(f"Unserved residents now: {picks.attrs['unserved_population']:,.0f}; the {len(picks)} "
                                f"stations would reach {picks['newly_covered'].sum():,.0f} of them "
                                f"(greedy maximal covering at grid and community centroids, radius "
                                f"{picks.attrs.get('radius_m', 1000):,.0f} m)."
                                + (f" {picks.attrs['note']}" if picks.attrs.get("note") else "")))
            out.append(ctx.table(picks))
    return out


def _linkage(ctx: Context) -> list:
    from .. import linkage
    from ..viz import plots

    net, when = ctx.net, ctx.as_of
    out = []
    ts = ctx.run(linkage.tie_strength, net, as_of=when, label="linkage.tie_strength")
    co = ts[ts["co_building"] > 0]
    out.append(ctx.facts([("tied pairs", len(ts)), ("pairs with a co-building agreement 共建协议", len(co)),
                          ("dormant agreements 签而不联", int(ts["dormant"].sum())),
                          ("mean pair strength", float(ts["strength"].mean()) if len(ts) else float("nan"))]))
    if len(ts):
        out.append(ctx.chart(plots.tie_strength_hist, ts, alt="tie strength distribution", size=(8.0, 4.0)))
    level = "community" if (net.areas["level"] == "community").any() else "street"
    li = ctx.run(linkage.linkage_index, net, level=level, as_of=when, label="linkage.linkage_index")
    out.append(ctx.h3(f"Linkage index by {level} 联系指数"))
    out.append(ctx.table(li))
    if len(ts):
        steps = ctx.run(linkage.threshold_steps, net, as_of=when, label="linkage.threshold_steps")
        out.append(ctx.h3("From weak to strong ties 强弱联系阈值"))
        out.append(ctx.table(steps))
    return out


def _structure(ctx: Context) -> list:
    structure = importlib.import_module("orgnet.structure")
    net, when = ctx.net, ctx.as_of
    # each graph is built once and shared by the measures that read it
    relations = structure.relation_network(net, as_of=when)
    ties = structure.tie_network(net, as_of=when)
    out = []
    isl = ctx.run(structure.islands, net, as_of=when, graph=relations, label="structure.islands")
    out.append(ctx.h3(f"Islands 孤岛: units no organisation reaches ({len(isl):,})"))
    if len(isl):
        out.append(ctx.table(isl, max_rows=200))
    frag = ctx.run(structure.fragmentation, net, as_of=when, graph=ties, label="structure.fragmentation")
    out.append(ctx.h3("Fragmentation by street 碎片化"))
    out.append(ctx.table(frag))
    key = ctx.run(structure.key_entities, net, as_of=when, top=20, graph=relations, label="structure.key_entities")
    out.append(ctx.h3("Key entities 关键节点 (top 20)"))
    out.append(ctx.table(key))
    return out


def _sharing(ctx: Context) -> list:
    from .. import sharing
    from ..viz import plots

    net, when = ctx.net, ctx.as_of
    out = []
    try:
        r = ctx.match()
    except OrgnetParameterError as err:
        return [ctx.note(f"Matching skipped: {err}. Call orgnet.report(..., match_kwargs={{'max_distance_m': 3000}}) "
                         "(or orgnet report --max-distance-m 3000).", "skip")]
    # quantities are in different units per category (yuan, people, venues): the headline counts
    # demands and resources; quantity shares are given per category only
    by_cat = r.summary(by="category")
    out.append(ctx.facts([("open demands 需求", len(r.unmet)),
                          ("fully met 已满足", int(by_cat["demands_met"].sum())),
                          ("share of open demands fully met 需求满足率", pct(r.demands_met_share)),
                          ("resources 资源", len(r.idle)),
                          ("resources left unused 闲置资源", int((r.idle["used"] <= 0).sum())),
                          ("recommended new pairings 建议新结对",
                           len(r.pairs[["demand_owner", "resource_owner"]].drop_duplicates()))]))
    out.append(ctx.h3("By category 分类别"))
    out.append(ctx.para("Quantities are compared within a category only: matched_share is the matched share of "
                        "the category's open quantity; demands_met_share is the share of its open demands fully met."))
    out.append(ctx.table(by_cat))
    if len(r.pairs):
        out.append(ctx.h3("Recommended new pairings 建议新结对 (largest first)"))
        out.append(ctx.table(r.pairs, max_rows=30, index=False))
    level = "community" if (net.areas["level"] == "community").any() else "street"
    rs = ctx.run(sharing.realised, net, level=level, as_of=when, label="sharing.realised")
    out.append(ctx.h3(f"Realised sharing by {level} 项目共享"))
    out.append(ctx.facts([("Gini of project value", rs.attrs.get("gini_value")),
                          ("Gini of project counts", rs.attrs.get("gini_projects"))]))
    if rs["value"].sum() > 0:
        out.append(ctx.chart(plots.lorenz, rs["value"], alt="Lorenz curve of project value", size=(5.5, 5.0),
                             label=f"project value by {level}"))
    out.append(ctx.table(rs))
    return out


def _scorecard(ctx: Context) -> list:
    from .. import scorecard

    net, when = ctx.net, ctx.as_of
    level = "community" if (net.areas["level"] == "community").any() else "street"
    try:
        m = ctx.match()  # the scorecard's demands-met share: the problem solved once for the report
    except OrgnetParameterError as err:
        return [ctx.note(f"Scorecard skipped: its demands-met share needs sharing.match, which refused: {err}",
                         "skip")]
    sc = ctx.run(scorecard.scorecard, net, level=level, as_of=when, label="scorecard.scorecard", match=m)
    return [ctx.para("Headline indicators side by side with their ranks (1 = best); no composite score "
                     "unless weights are chosen explicitly (orgnet.scorecard.scorecard(net, weights=...)). "
                     "demands_met_share is the share of the area's open demands fully met (demands are "
                     "counted: quantities of different categories are never added)."),
            ctx.table(sc)]


def _of(part: int, whole: int, what: str) -> str:
    """``"8 of 9 (88.9% of <what>)"`` — a share that says what it is a share of."""
    return f"{part:,} of {whole:,} ({pct(part / whole) if whole else '–'} of {what})"


def _staffing(ctx: Context) -> list:
    from .. import staffing

    net, when = ctx.net, ctx.as_of
    out = []
    grids = ctx.run(staffing.people_by_area, net, level="grid", as_of=when, label="staffing.people_by_area")
    gaps = ctx.run(staffing.rule_gaps, net, as_of=when, label="staffing.rule_gaps")
    rule = gaps["rule"].astype(object)
    short_grid = set(gaps.index[(rule == "grid_workers_per_grid").to_numpy()]) & set(grids.index)
    empty = grids["total"] == 0
    placed = int(grids["total"].sum())
    above = int(grids.attrs["above_level"])
    per = grids["per_1000"].dropna()
    n_st = len(net.stations)
    n_bld = int((net.areas["level"] == "building").sum())
    out.append(ctx.facts([
        ("people in place 在岗人员 (Σ count)", placed + above),
        ("of them placed in a grid or below", _of(placed, placed + above, "people in place")),
        ("grids with nobody in place 无人员网格", _of(int(empty.sum()), len(grids), "grids")),
        ("grids short of a full-time grid worker 缺专职网格员", _of(len(short_grid), len(grids), "grids")),
        ("stations short of staff 阵地缺人", _of(int((rule == "staff_per_station").sum()), n_st, "stations")),
        ("buildings without a building head 缺楼栋长",
         _of(int((rule == "building_heads_per_building").sum()), n_bld, "buildings")),
        ("median people per 1,000 residents, over grids with residents",
         float(per.median()) if len(per) else float("nan")),
    ]))
    bad = grids[(empty | grids.index.isin(list(short_grid))).to_numpy()]
    out.append(ctx.h3(f"Grids with nobody in place or short of a grid worker 网格缺人 ({len(bad):,} of "
                      f"{len(grids):,} grids)"))
    if len(bad):
        gap = ["nobody in place 无人员" if t == 0 else "no full-time grid worker 缺专职网格员" for t in bad["total"]]
        shown = bad[["name", "grid_worker", "total", "population", "per_1000", "posts"]].copy()
        shown.insert(1, "gap", gap)
        out.append(ctx.table(shown, max_rows=200))
    out.append(ctx.h3(f"Places and stations short of a staffing rule 配置缺口 ({len(gaps):,})"))
    a = gaps.attrs
    out.append(ctx.para(f"Rules: {a['grid_workers_per_grid']} full-time grid worker(s) per grid, "
                        f"{a['staff_per_station']} staff per station, {a['building_heads_per_building']} building "
                        f"head(s) per building (0 = not checked); short = required − actual."))
    if len(gaps):
        out.append(ctx.table(gaps, max_rows=200))
    level = "community" if (net.areas["level"] == "community").any() else "street"
    dr = ctx.run(staffing.dual_reporting, net, level=level, as_of=when, label="staffing.dual_reporting")
    members, in_grid, posts = int(dr["members"].sum()), int(dr["in_grid"].sum()), int(dr["posts"].sum())
    units, reporting = int(dr["units"].sum()), int(dr["units_reporting"].sum())
    out.append(ctx.h3(f"In-service members reporting, by {level} 在职党员双报到"))
    items = [("in-service members reporting 报到党员", members),
             ("of them placed down to a grid 下沉到网格", _of(in_grid, members, "reporting members")),
             ("service posts claimed 认领岗位", f"{posts:,} ({posts / members:.2f} per reporting member)"
              if members else f"{posts:,}"),
             (f"units with Party members located in a {level}", units),
             ("of them sending no member 无人报到", _of(units - reporting, units, f"units with Party members "
                                                                              f"located in a {level}"))]
    outside = int(dr.attrs["reporting_nowhere"]) - (units - reporting)
    if outside:
        items.append((f"units sending no member, located in no {level}", outside))
    out.append(ctx.facts(items))
    out.append(ctx.table(dr, max_rows=200))
    return out


def _case_counts(net, when) -> tuple[int, int]:
    """(satisfied, answered) over the cases raised and closed by ``when`` — the counts behind
    :func:`orgnet.response.case_summary`'s satisfaction, for the headline "8 of 9"."""
    c = net.cases
    closed = ((c["raised"] <= when) & c["closed"].notna() & (c["closed"] <= when)).to_numpy()
    sat = c["satisfied"].astype("boolean")[closed]
    return int(sat.fillna(False).astype(bool).sum()), int(sat.notna().sum())


def _largest_first(ctx: Context, df: pd.DataFrame, what: str, limit: int = 50) -> list:
    """A case table; a long one sorted by cases, most first (the top 200 shown)."""
    if len(df) <= limit:
        return [ctx.table(df)]
    df = df.sort_values("cases", ascending=False, kind="stable")
    return [ctx.para(f"The {len(df):,} {what} sorted by cases, most first."), ctx.table(df, max_rows=200)]


def _response(ctx: Context) -> list:
    from .. import response

    net, when = ctx.net, ctx.as_of
    days = 7
    out = []
    cs = ctx.run(response.case_summary, net, by="routed_to", as_of=when, within_days=days,
                 label="response.case_summary")
    t = cs.attrs["total"]
    n, closed = t.get("cases", 0), t.get("closed", 0)
    satisfied, answered = _case_counts(net, when)
    out.append(ctx.facts([
        ("cases raised 吹哨事项", n),
        ("closed 办结", _of(closed, n, "cases raised")),
        ("median days, raised to closed 办结天数中位数",
         f"{t['median_days']:g} (over the {closed:,} closed cases)" if closed else "–"),
        (f"closed within {days} days", _of(round(t["closed_within"] * n), n, "cases raised") if n else "–"),
        ("satisfied 满意", _of(satisfied, answered, "closed cases with an answer")),
    ]))
    if not n:
        out.append(ctx.note(f"No case was raised by {when:%Y-%m-%d}.", "skip"))
        return out
    out.append(ctx.para(f"A case counts when raised by {when:%Y-%m-%d} and is closed when closed by then; "
                        f"closure_rate = closed / cases; closed_within = share of the cases closed within {days} "
                        "days (the deadline day counts); satisfaction = satisfied / closed cases with an answer "
                        "(no answer is not dissatisfaction)."))
    out.append(ctx.h3(f"By department 按报到部门 ({len(cs):,})"))
    out += _largest_first(ctx, cs, "departments")
    out.append(ctx.h3("By category 按类别"))
    cat = ctx.run(response.case_summary, net, by="category", as_of=when, within_days=days,
                  label="response.case_summary")
    out += _largest_first(ctx, cat, "categories")
    sl = ctx.run(response.solved_level, net, as_of=when, label="response.solved_level")
    out.append(ctx.h3("Where cases are solved 解决层级"))
    out.append(ctx.para("A case is solved at the level of the one it was routed to (a unit or functional "
                        "organisation: department 部门报到); share_of_closed = the level's closed cases over all "
                        "closed cases."))
    if len(sl):
        out.append(ctx.table(sl))
    return out


def _call(ctx: Context, dotted: str, **kwargs):
    """``ctx.run`` of ``"orgnet.module.function"`` (one that may not be written yet) on the network,
    or None when it does not exist; ``as_of`` (and ``level``, when given) are passed only when the
    function takes them."""
    import inspect

    if not available(dotted):
        return None
    module, _, name = dotted.rpartition(".")
    func = getattr(importlib.import_module(module), name)
    takes = inspect.signature(func).parameters
    kwargs = {k: v for k, v in kwargs.items() if k != "level" or "level" in takes}
    if "as_of" in takes:
        kwargs["as_of"] = ctx.as_of
    return ctx.run(func, ctx.net, label=dotted.removeprefix("orgnet."), **kwargs)


def _meetings(ctx: Context) -> list:
    out = []
    cad = _call(ctx, "orgnet.linkage.cadence", period="M")
    rot = _call(ctx, "orgnet.linkage.rotation", cycle_days=365)
    items = []
    if isinstance(cad, pd.DataFrame) and {"periods", "periods_met"} <= set(cad.columns):
        every = int((cad["periods_met"] >= cad["periods"]).sum())
        items.append(("conveners meeting the target every month 按月例会", _of(every, len(cad), "conveners")))
    if isinstance(rot, pd.DataFrame) and {"members", "chaired"} <= set(rot.columns):
        members, chaired = int(rot["members"].sum()), int(rot["chaired"].sum())
        items.append(("members who chaired in the last 365 days 轮值主持",
                      _of(chaired, members, "the conveners' members")))
    if items:
        out.append(ctx.facts(items))
    for df, dotted, heading in ((cad, "orgnet.linkage.cadence", "Events per month against the target, per convener "
                                 "会议频次"),
                                (rot, "orgnet.linkage.rotation", "Rotating chairs over 365 days, per convener 轮值主席")):
        if df is None:
            out.append(ctx.note(f"{dotted} is not available in this installation.", "skip"))
        elif isinstance(df, pd.DataFrame):
            out += [ctx.h3(heading), ctx.table(df, max_rows=200) if len(df) else ctx.para("No rows.")]
    return out


def _ratings(ctx: Context) -> list:
    net = ctx.net
    vocab = schema.VOCABULARIES["rating_scheme"].values
    schemes = [s for s in vocab if (net.ratings["scheme"].astype(object) == s).any()]
    level = "community" if (net.areas["level"] == "community").any() else "street"
    areas = {"community": "communities", "street": "streets"}[level]
    out = [ctx.para(f"Do ratings reward real linkage? Per scheme, Spearman's rank correlation of the rated "
                    f"{areas}' ratings with the network's linkage, coverage and response indicators; n = the "
                    "rated areas with a value of the indicator (the pairs used); agreement = rho oriented so "
                    "that a positive value means higher-rated areas do better on the indicator.")]
    for s in schemes:
        heading = f"Scheme {s} {vocab[s][0]}"
        before = len(ctx.warnings)
        try:  # the matching solved once for the report (its section, its view, the scorecard)
            m = ctx.match()
        except OrgnetParameterError:
            m = None
        df = _call(ctx, "orgnet.scorecard.ratings_vs_network", scheme=s, level=level, match=m)
        if df is None:
            return [ctx.note("orgnet.scorecard.ratings_vs_network is not available in this installation.", "skip")]
        rated = df.attrs.get("rated")
        if isinstance(rated, (int, float)) and rated < 3:
            del ctx.warnings[before:]  # one note here says it, not one warning per indicator
            out += [ctx.h3(heading), ctx.note(f"{int(rated)} rated {areas}: too few for a rank correlation "
                                              "(at least 3 are needed).", "skip")]
            continue
        out += [ctx.h3(f"{heading} ({rated:,} rated {areas})" if isinstance(rated, int) else heading),
                ctx.table(df, max_rows=200)]
    return out

def _views(ctx: Context) -> list:
    from ..viz.interactive import build_view
    from ..viz.views import REGISTRY

    out = [ctx.para("Interactive views: drag to pan, scroll to zoom, hover for figures; search by name, filter by "
                    "kind. Each view is drawn when its tab is first opened.")]
    for i, view in enumerate(ctx.views):
        t0 = time.perf_counter()
        pre = None
        if view == "sharing":
            try:
                pre = {"match": ctx.match()}
            except OrgnetParameterError as err:
                out.append(ctx.note(f"The sharing view is left out: {err}", "skip"))
                continue
        table = _VIEW_TABLES.get(view)
        if table is not None and len(ctx.net.tables[table]) == 0:
            out.append(ctx.note(f"The {view} view is left out: the network has no {table!r} table "
                                f"({schema.TABLES[table].aliases[0]}).", "skip"))
            continue
        try:
            v = build_view(ctx.net, view, as_of=ctx.as_of, max_nodes=ctx.max_nodes, height="680px",
                           precomputed=pre)
        except OrgnetMissingDataError as err:  # an activity view without its table
            out.append(ctx.note(f"The {view} view is left out: {err}", "skip"))
            continue
        panel = v.panel(len(ctx.panels))
        panel["tab"] = REGISTRY[view].tab
        ctx.panels.append(panel)
        ctx.params[f"view {view}"] = {k: [fmt_param(x)] for k, x in v.params.items()}
        ctx.progress(f"  view {view}: {len(v.nodes):,} nodes, {len(v.edges):,} edges "
                     f"({time.perf_counter() - t0:.1f} s)")
    return out


def _parameters(ctx: Context) -> list:
    rows = [(name, k, " | ".join(vals)) for name, rec in ctx.params.items() for k, vals in rec.items()]
    df = pd.DataFrame(rows, columns=["analysis", "parameter", "value"])
    return [ctx.facts([("as of 截至", f"{ctx.as_of:%Y-%m-%d}"), ("max_nodes (views)", ctx.max_nodes),
                       ("k_stations", ctx.k_stations)]),
            ctx.table(df.set_index("analysis"), max_rows=5000)]


#: the report's sections, in order; add a Section to extend the report
SECTIONS: list[Section] = [
    Section("summary", "Dataset 数据概况", _summary),
    Section("notes", "Validation notes 数据说明", _notes, late=True),
    Section("coverage", "Coverage 两个覆盖", _coverage, needs="orgnet.coverage"),
    Section("vacuum", "Vacuum areas 真空区域", _vacuum, needs="orgnet.vacuum"),
    Section("linkage", "Linkage 共建联系", _linkage, needs="orgnet.linkage"),
    Section("structure", "Structure 网络结构", _structure, needs="orgnet.structure"),
    Section("sharing", "Resource sharing 资源共享", _sharing, needs="orgnet.sharing"),
    Section("scorecard", "Scorecard 评价", _scorecard, needs="orgnet.scorecard"),
    Section("staffing", "Staffing 人员配置", _staffing, needs="orgnet.staffing", tables=("people",)),
    Section("response", "Response 吹哨报到", _response, needs="orgnet.response", tables=("cases",)),
    Section("meetings", "Meetings 联席会议", _meetings, needs="orgnet.linkage", tables=("events",),
            functions=("orgnet.linkage.cadence", "orgnet.linkage.rotation")),
    Section("ratings", "Ratings 评星定级", _ratings, needs="orgnet.scorecard", tables=("ratings",),
            functions=("orgnet.scorecard.ratings_vs_network",)),
    Section("views", "Interactive views 交互视图", _views),
    Section("parameters", "Parameters used 参数", _parameters, late=True),
]


