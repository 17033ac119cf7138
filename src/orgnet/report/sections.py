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
from ..errors import OrgnetParameterError
from .page import Context, fmt_param, pct, sized

__all__ = ["Section", "SECTIONS", "REPORT_VIEWS"]

#: views drawn in the report, in tab order
REPORT_VIEWS = ("ties", "hierarchy", "coverage", "vacuum", "sharing")


@dataclass(frozen=True)
class Section:
    """One section of the report.

    ``build(ctx)`` returns a list of HTML blocks (``markupsafe.Markup``; build
    them with :meth:`Context.table`, ``chart``, ``note``, ``para``...).
    ``needs`` names the analysis module it draws (skipped with a note when it
    cannot be imported); ``late`` sections are built after all others (the
    notes, which collect what the others found).
    """

    key: str
    title: str
    build: Callable[["Context"], list]
    needs: str | None = None
    late: bool = False



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
        v = build_view(ctx.net, view, as_of=ctx.as_of, max_nodes=ctx.max_nodes, height="680px", precomputed=pre)
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
    Section("views", "Interactive views 交互视图", _views),
    Section("parameters", "Parameters used 参数", _parameters, late=True),
]


