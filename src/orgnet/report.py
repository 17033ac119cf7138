"""One self-contained offline HTML report of a network.

:func:`report` runs the analyses, draws their charts (inline SVG, text left to the browser) and
their interactive views (vis-network, inlined), and writes everything — with
the parameters used — into one HTML file that opens on a machine without
internet access.

The report is a list of sections (:data:`SECTIONS`), each a builder that
turns a network into escaped HTML blocks. A section that needs an analysis
module this installation lacks is skipped with a one-line note, so later
analyses plug in by adding a :class:`Section`.
"""

from __future__ import annotations

import importlib
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from . import schema
from ._atomic import atomic_file, check_writable
from ._params import check_number
from .errors import OrgnetMissingDataError, OrgnetParameterError, OrgnetWarning

__all__ = ["report", "Section", "SECTIONS"]

#: views drawn in the report, in tab order
REPORT_VIEWS = ("ties", "hierarchy", "coverage", "vacuum", "sharing")


@dataclass(frozen=True)
class Section:
    """One section of the report.

    ``build(ctx)`` returns a list of HTML blocks (``markupsafe.Markup``; build
    them with :meth:`_Context.table`, ``chart``, ``note``, ``para``...).
    ``needs`` names the analysis module it draws (skipped with a note when it
    cannot be imported); ``late`` sections are built after all others (the
    notes, which collect what the others found).
    """

    key: str
    title: str
    build: Callable[["_Context"], list]
    needs: str | None = None
    late: bool = False


# ------------------------------------------------------------------ context and HTML blocks


def _markup():
    import markupsafe

    return markupsafe


@dataclass
class _Context:
    net: Any
    as_of: pd.Timestamp
    max_nodes: int
    k_stations: int
    views: tuple
    progress: Callable[[str], None]
    warnings: list = field(default_factory=list)
    params: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)
    panels: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    match_kwargs: dict = field(default_factory=dict)

    # -- running analyses
    def run(self, func: Callable, *args, label: str | None = None, **kwargs):
        """Call an analysis: its OrgnetWarnings become report notes; its parameters are recorded."""
        name = label or getattr(func, "__name__", "analysis")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", OrgnetWarning)
            out = func(*args, **kwargs)
        for w in caught:
            if issubclass(w.category, OrgnetWarning):
                self.warnings.append(f"{name}: {w.message}")
            else:  # pragma: no cover - pass other warnings on
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        attrs = getattr(out, "attrs", None)
        if not isinstance(attrs, dict):
            attrs = getattr(out, "params", None)
        self.record(name, func, attrs if isinstance(attrs, dict) else {}, kwargs)
        return out

    def record(self, name: str, func: Callable, attrs: dict, kwargs: dict) -> None:
        """Record the value of every keyword parameter of ``func``: as the result's attrs
        state it, else as passed, else its default; distinct values of repeated calls are kept."""
        import inspect

        try:
            sig = inspect.signature(func)
        except (TypeError, ValueError):  # pragma: no cover - builtins
            return
        rec = self.params.setdefault(name, {})
        for p in sig.parameters.values():
            if p.kind not in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD) or p.default is p.empty:
                continue
            value = attrs.get(p.name, kwargs.get(p.name, p.default))
            text = _fmt_param(value)
            vals = rec.setdefault(p.name, [])
            if text not in vals:
                vals.append(text)

    def match(self):
        """sharing.match, solved once for the report (its section, its view).

        Raises OrgnetParameterError when the problem is refused (too many
        candidates: pass ``match_kwargs={"max_distance_m": ...}``); the error is
        remembered so the sections that need it skip with the same note."""
        if "match" not in self.cache:
            from . import sharing

            try:
                self.cache["match"] = self.run(sharing.match, self.net, as_of=self.as_of, label="sharing.match",
                                               **self.match_kwargs)
            except OrgnetParameterError as err:
                self.cache["match"] = err
        if isinstance(self.cache["match"], Exception):
            raise self.cache["match"]
        return self.cache["match"]

    # -- blocks
    def para(self, text: str):
        return _markup().Markup("<p>{}</p>").format(text)

    def h3(self, text: str):
        return _markup().Markup("<h3>{}</h3>").format(text)

    def note(self, text: str, kind: str = "note"):
        return _markup().Markup('<div class="orgnet-{}">{}</div>').format(kind, text)

    def facts(self, items: list[tuple[str, Any]]):
        """A two-column table of headline figures (strings are shown as given: use :func:`_pct`)."""
        ms = _markup()
        rows = ms.Markup("").join(ms.Markup("<tr><th>{}</th><td class=\"num\">{}</td></tr>").format(k, _fmt(v, ""))
                                  for k, v in items)
        return ms.Markup('<table class="orgnet-table">{}</table>').format(rows)

    def table(self, df: pd.DataFrame, *, max_rows: int = 1000, caption: str | None = None, index: bool = True):
        """A DataFrame as an escaped HTML table (rates as percentages), scrolling when long."""
        ms = _markup()
        shown = df.iloc[:max_rows]
        cols = list(shown.columns)
        head = ms.Markup("").join(ms.Markup("<th>{}</th>").format(c) for c in
                                  ([shown.index.name or ""] if index else []) + [str(c) for c in cols])
        body = []
        for idx, row in zip(shown.index, shown.itertuples(index=False)):
            cells = [ms.Markup("<th>{}</th>").format(_fmt(idx, ""))] if index else []
            for c, v in zip(cols, row):
                cls = "num" if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) else ""
                cells.append(ms.Markup('<td class="{}">{}</td>').format(cls, _fmt(v, str(c))))
            body.append(ms.Markup("<tr>{}</tr>").format(ms.Markup("").join(cells)))
        cap = ms.Markup("<caption>{}</caption>").format(caption) if caption else ms.Markup("")
        out = ms.Markup('<div class="orgnet-scroll"><table class="orgnet-table">{}<thead><tr>{}</tr></thead>'
                        "<tbody>{}</tbody></table></div>").format(cap, head, ms.Markup("").join(body))
        if len(df) > max_rows:
            out += self.note(f"{len(df) - max_rows:,} more rows not shown (the full table is the analysis' "
                             f"DataFrame in Python).", "skip")
        return out

    def chart(self, draw: Callable, *args, alt: str = "chart", size=(8.0, 4.5), **kwargs):
        """Draw a chart into a fresh Figure (no pyplot state) and embed it as inline SVG.

        Text stays text (``<text>`` elements, escaped), drawn by the browser in
        :data:`~orgnet.viz._fonts.CSS_FONT_STACK`, so Chinese renders wherever
        the reader has a CJK font, even if this machine has none. Ids are
        numbered per report (``orgnet-chart-1-...``) so charts never collide.
        """
        from matplotlib.figure import Figure

        from .viz._fonts import figure_svg

        fig = Figure(figsize=size, layout="constrained")
        ax = fig.add_subplot()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", OrgnetWarning)
            draw(*args, ax=ax, **kwargs)
        for w in caught:
            self.warnings.append(f"chart: {w.message}")
        n = self.cache["charts"] = self.cache.get("charts", 0) + 1
        with warnings.catch_warnings():
            # without a CJK font matplotlib lays Chinese out in its placeholder font and says so for
            # every glyph; the browser draws the text, and the missing font is already a report note
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from", category=UserWarning)
            svg = figure_svg(fig, id_prefix=f"orgnet-chart-{n}", title=alt,
                             style="max-width: 100%; height: auto; border: 1px solid #eaecee; margin: 4px 0")
        return _markup().Markup(svg)  # built by ElementTree: every text and attribute is escaped


def _fmt(v, column: str) -> str:
    if v is None or (not isinstance(v, (str, list, tuple, dict)) and pd.isna(v)):
        return "–"
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, pd.Timestamp):
        return f"{v:%Y-%m-%d}"
    if isinstance(v, (int, np.integer)):
        return f"{int(v):,}"
    if isinstance(v, (float, np.floating)):
        c = column.lower()
        if c.startswith("rank"):
            return f"{float(v):,.0f}" if float(v).is_integer() else f"{float(v):,.1f}"
        if c.endswith(("_rate", "_share", "share", "diversity")) or c in ("rate", "share"):
            return f"{100 * float(v):.1f}%"
        if float(v).is_integer() and abs(v) < 1e15:
            return f"{int(v):,}"
        return f"{float(v):,.3g}" if abs(v) < 1 else f"{float(v):,.2f}"
    return str(v)


def _pct(v) -> str:
    return "–" if v is None or pd.isna(v) else f"{100 * float(v):.1f}%"


def _sized(n_rows: int, base: float = 1.2, per: float = 0.3, lo: float = 2.5, hi: float = 24.0) -> tuple:
    return (8.0, float(min(max(lo, base + per * n_rows), hi)))


# ------------------------------------------------------------------ sections


def _summary(ctx: _Context) -> list:
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


def _notes(ctx: _Context) -> list:
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


def _coverage(ctx: _Context) -> list:
    from . import coverage
    from .viz import plots

    net, when = ctx.net, ctx.as_of
    out = []
    total = ctx.run(coverage.coverage_rates, net, by="all", as_of=when, label="coverage.coverage_rates")
    t = total.iloc[0]
    grid = ctx.run(coverage.place_coverage, net, level="grid", as_of=when, label="coverage.place_coverage")
    items = [("units 单位", int(t["units"])), ("organisational coverage 组织覆盖率", _pct(t["org_coverage_rate"])),
             ("work coverage 工作覆盖率", _pct(t["work_coverage_rate"])),
             ("due, not established 应建未建", int(t["due_not_established"])),
             ("size rule gaps", int(t["size_rule_gaps"])),
             ("grids with a territorial organisation 网格党组织覆盖", _pct(grid.attrs["organised_share"]))]
    out.append(ctx.facts([(k, v) for k, v in items]))
    by_street = ctx.run(coverage.coverage_rates, net, by="street", as_of=when, label="coverage.coverage_rates")
    out.append(ctx.h3("By street 分街道"))
    if len(by_street):
        out.append(ctx.chart(plots.coverage_bars, by_street, alt="coverage by street", size=_sized(len(by_street))))
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


def _vacuum(ctx: _Context) -> list:
    from . import vacuum
    from .viz import plots

    net, when = ctx.net, ctx.as_of
    out = []
    va = ctx.run(vacuum.vacuum_areas, net, as_of=when, label="vacuum.vacuum_areas")
    vs = ctx.run(vacuum.vacuum_summary, net, by="street", as_of=when, label="vacuum.vacuum_summary")
    vpop, residents = vs.attrs["vacuum_population"], vs.attrs["residents"]  # each resident once, at a leaf area
    out.append(ctx.facts([("places (grids and compounds)", len(va)), ("vacuum places 真空", int(va["vacuum"].sum())),
                          ("residents living in a vacuum place", vpop),
                          ("their share of all residents", _pct(vpop / residents) if residents else "–"),
                          *[(f"{r}", int(va[r].fillna(False).sum())) for r in vacuum.REASONS]]))
    if len(vs):
        out.append(ctx.chart(plots.vacuum_reasons, vs, alt="vacuum reasons by street", size=_sized(len(vs))))
        cols = ["name", "places", "vacuum", "vacuum_population", "residents", "vacuum_population_share",
                *vacuum.REASONS]
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


def _linkage(ctx: _Context) -> list:
    from . import linkage
    from .viz import plots

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


def _structure(ctx: _Context) -> list:
    structure = importlib.import_module("orgnet.structure")
    net, when = ctx.net, ctx.as_of
    out = []
    isl = ctx.run(structure.islands, net, as_of=when, label="structure.islands")
    out.append(ctx.h3(f"Islands 孤岛: units no organisation reaches ({len(isl):,})"))
    if len(isl):
        out.append(ctx.table(isl, max_rows=200))
    frag = ctx.run(structure.fragmentation, net, as_of=when, label="structure.fragmentation")
    out.append(ctx.h3("Fragmentation by street 碎片化"))
    out.append(ctx.table(frag))
    key = ctx.run(structure.key_entities, net, as_of=when, top=20, label="structure.key_entities")
    out.append(ctx.h3("Key entities 关键节点 (top 20)"))
    out.append(ctx.table(key))
    return out


def _sharing(ctx: _Context) -> list:
    from . import sharing
    from .viz import plots

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
                          ("share of open demands fully met 需求满足率", _pct(r.demands_met_share)),
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


def _scorecard(ctx: _Context) -> list:
    from . import scorecard

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


def _views(ctx: _Context) -> list:
    from .viz.interactive import build_view

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
        panel["tab"] = {"ties": "Ties 联系", "hierarchy": "Hierarchy 层级", "coverage": "Coverage 覆盖",
                        "vacuum": "Vacuum 真空", "sharing": "Sharing 共享"}.get(view, view)
        ctx.panels.append(panel)
        ctx.params[f"view {view}"] = {k: [_fmt_param(x)] for k, x in v.params.items()}
        ctx.progress(f"  view {view}: {len(v.nodes):,} nodes, {len(v.edges):,} edges "
                     f"({time.perf_counter() - t0:.1f} s)")
    return out


def _parameters(ctx: _Context) -> list:
    rows = [(name, k, " | ".join(vals)) for name, rec in ctx.params.items() for k, vals in rec.items()]
    df = pd.DataFrame(rows, columns=["analysis", "parameter", "value"])
    return [ctx.facts([("as of 截至", f"{ctx.as_of:%Y-%m-%d}"), ("max_nodes (views)", ctx.max_nodes),
                       ("k_stations", ctx.k_stations)]),
            ctx.table(df.set_index("analysis"), max_rows=5000)]


def _fmt_param(v) -> str:
    if isinstance(v, pd.Timestamp):
        return f"{v:%Y-%m-%d}"
    if isinstance(v, dict):
        return ", ".join(f"{k}={_fmt_param(x)}" for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return ", ".join(_fmt_param(x) for x in v)
    return "None (default)" if v is None else str(v)


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


# ------------------------------------------------------------------ report


def _bar(i: int, n: int, width: int = 20) -> str:
    done = round(width * i / n)
    return "[" + "#" * done + "-" * (width - done) + "]"


def _printer(enabled: bool) -> Callable[[str], None]:
    if not enabled:
        return lambda msg: None

    def emit(msg: str) -> None:
        print(f"orgnet report: {msg}", file=sys.stderr, flush=True)

    return emit


def report(net, path, *, as_of=None, max_nodes: int = 5000, progress: bool = False,
           views=REPORT_VIEWS, k_stations: int = 5, match_kwargs: dict | None = None,
           title: str | None = None) -> Path | None:
    """Write one self-contained offline HTML report: tables, charts and interactive views.

    Sections: dataset summary; validation notes (what is missing, warnings the
    analyses raised); coverage (rates by street, unit type and sector, charts,
    a map, the units due but not established); vacuum areas (reasons by
    street, suggested stations); linkage (strength distribution, linkage index,
    threshold steps); structure, sharing and scorecard when those analyses are
    installed (a missing one is skipped with a note); the interactive views;
    and every parameter used.

    Parameters
    ----------
    net : OrgNetwork
    path : str or Path or file-like
        Where to write the HTML (UTF-8); an open text file is written to.
    as_of : date-like, optional
        Reference date of every analysis. Default: the network's ``as_of``.
    max_nodes : int, default 5000
        Node limit of each interactive view (see :func:`orgnet.viz.interactive`).
    progress : bool, default False
        Print one line per stage to standard error (the command line sets it).
    views : sequence of str, default ("ties", "hierarchy", "coverage", "vacuum", "sharing")
        The interactive views to include (empty: none).
    k_stations : int, default 5
        Number of new stations to suggest (:func:`orgnet.vacuum.suggest_stations`); 0 for none.
    match_kwargs : dict, optional
        Keyword arguments of :func:`orgnet.sharing.match` (for the sharing
        section, view and the scorecard), e.g. ``{"max_distance_m": 3000}``
        for a large city, where matching every same-category pair is refused
        (the report then skips those parts with a note saying so).
    title : str, optional
        Default: "orgnet report — <network name>".

    Returns
    -------
    Path or None
        The file written (None when given an open file).

    Raises
    ------
    OrgnetError
        The visualisation extra is missing (``pip install 'orgnet[viz]'``).

    See Also
    --------
    orgnet.viz.interactive, orgnet.viz.plots

    Notes
    -----
    Nothing in the file is fetched from the network: vis-network and every
    style are inlined, charts are inline SVG (text kept as text), and all text from the data is
    HTML-escaped. Output is deterministic for a given network and parameters.

    Examples
    --------
    >>> import orgnet, tempfile, pathlib
    >>> from orgnet.report import report
    >>> out = report(orgnet.datasets.load("demo"), pathlib.Path(tempfile.mkdtemp()) / "demo.html")
    >>> "Coverage" in out.read_text(encoding="utf-8")
    True
    """
    from .viz.interactive import _require, render_page

    func = "report"
    _require("matplotlib", "orgnet.report")
    _require("pyvis", "orgnet.report")
    _require("jinja2", "orgnet.report")
    max_nodes = check_number(max_nodes, "max_nodes", func, minimum=1, integer=True)
    k_stations = check_number(k_stations, "k_stations", func, minimum=0, integer=True)
    if not hasattr(path, "write"):
        check_writable(path)  # before the work, not after it
    if isinstance(views, str):
        views = (views,)
    from .viz.interactive import VIEWS

    for v in views:
        if v not in VIEWS:
            raise OrgnetParameterError(f"The 'views' parameter of {func} must list views among "
                                       f"{', '.join(VIEWS)}. Got {v!r} instead.")
    if not isinstance(progress, bool):
        raise OrgnetParameterError(f"The 'progress' parameter of {func} must be True or False. Got {progress!r} instead.")
    when = net.resolve_as_of(as_of)
    emit = _printer(progress)
    if match_kwargs is not None and not isinstance(match_kwargs, dict):
        raise OrgnetParameterError(f"The 'match_kwargs' parameter of {func} must be a dict of keyword arguments "
                                   f"of orgnet.sharing.match. Got {match_kwargs!r} instead.")
    ctx = _Context(net=net, as_of=when, max_nodes=max_nodes, k_stations=k_stations, views=tuple(views),
                   progress=emit, match_kwargs=dict(match_kwargs or {}))
    ms = _markup()
    built: dict[str, list] = {}
    order = [s for s in SECTIONS if not s.late] + [s for s in SECTIONS if s.late]
    n = len(order)
    t_start = time.perf_counter()
    for i, sec in enumerate(order, 1):
        t0 = time.perf_counter()
        if sec.key == "views" and not views:
            built[sec.key] = None
            continue
        if sec.needs is not None:
            try:
                importlib.import_module(sec.needs)
            except ImportError:
                ctx.skipped.append((sec.key, f"{sec.needs} is not available in this installation."))
                built[sec.key] = [ctx.note(f"Skipped: {sec.needs} is not available in this installation.", "skip")]
                emit(f"{_bar(i, n)} {i}/{n} {sec.key}: skipped ({sec.needs} not available)")
                continue
        try:
            built[sec.key] = sec.build(ctx)
        except OrgnetMissingDataError as err:
            ctx.skipped.append((sec.key, str(err)))
            built[sec.key] = [ctx.note(f"Skipped: {err}", "skip")]
        emit(f"{_bar(i, n)} {i}/{n} {sec.key} ({time.perf_counter() - t0:.1f} s)")
    sections = []
    for sec in SECTIONS:
        blocks = built.get(sec.key)
        if blocks is None:
            continue
        sections.append({"key": sec.key, "title": sec.title, "blocks": [ms.Markup(b) for b in blocks],
                         "views": ctx.panels if sec.key == "views" else None})
    name = net.name or "network"
    page = render_page(ctx.panels, title=title or f"orgnet report — {name}", template="report.html.j2",
                       sections=sections,
                       subtitle=f"{name} · as of {when:%Y-%m-%d} · one offline file: no request leaves this machine")
    if hasattr(path, "write"):
        path.write(page)
        out = None
    else:
        out = Path(path)
        with atomic_file(out, "w", encoding="utf-8") as fh:  # never a half-written report
            fh.write(page)
    emit(f"wrote {out if out is not None else 'the report'} ({len(page.encode('utf-8')) / 1e6:.1f} MB) "
         f"in {time.perf_counter() - t_start:.1f} s")
    return out
