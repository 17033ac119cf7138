"""The ``coverage`` view: units by coverage class (:func:`orgnet.coverage.unit_coverage`).

Units coloured own / joint / work / none around their community, joined to
the organisations covering them; uncovered units red, units due but not
established (应建未建) with a thick dark border, size-rule gaps as stars.
Above ``max_nodes`` a tree of communities and streets coloured by their
organisational coverage rate (:func:`orgnet.coverage.coverage_rates`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import schema
from .. import layout
from ..palette import (CATEGORY_COLOURS, CATEGORY_ZH, COVERAGE_COLOURS, COVERAGE_ZH, LEVEL_COLOURS, NO_DATA,
                       RATE_BINS, bilingual)
from .spec import (LEVEL_RANK, Focus, View, ViewOptions, ViewSpec, area_names, bin_colour, capture, codes,
                   entity_names, group_at, num, pct, ring, sizes, subtree, swatch, text, value_filter)

__all__ = ["build", "VIEW"]

_CLASSES = ("own", "joint", "work", "none")
_DUE_BORDER = "#641e16"


def build(net, *, when, focus: Focus, max_nodes: int, params: dict, seed, options: ViewOptions) -> ViewSpec:
    """The coverage view of ``net`` at ``when``: units by coverage class with their covering organisations.

    Parameters
    ----------
    net : OrgNetwork
    when : Timestamp
        The as-of date (``net.resolve_as_of(as_of)``).
    focus : Focus
        The area whose units are drawn, and the entity outlined.
    max_nodes : int
        Above this many units, organisations and communities a tree of coverage rates by area is drawn.
    params : dict
        Keyword arguments of :func:`orgnet.coverage.unit_coverage` (and of
        :func:`orgnet.coverage.coverage_rates` when aggregated).
    seed : int or numpy.random.Generator
        Seed of the force layout.
    options : ViewOptions
        ``options.tree`` lays out the aggregated tree.

    Returns
    -------
    ViewSpec
        What :func:`orgnet.viz.interactive` draws (see :func:`orgnet.viz.interactive`).

    Examples
    --------
    >>> import orgnet
    >>> from orgnet.viz import views
    >>> net = orgnet.datasets.load("demo")
    >>> spec = build(net, when=net.resolve_as_of(None), focus=views.Focus(), max_nodes=5000, params={},
    ...              seed=0, options=views.ViewOptions())
    >>> len(spec.nodes), len(spec.edges)  # 33 units, 20 covering organisations, 6 communities
    (59, 58)
    """
    from ... import coverage

    spec = ViewSpec("coverage", "Coverage of units 两个覆盖")
    uc = capture(coverage.unit_coverage, net, as_of=when, notes=spec.notes, **params)
    spec.params.update({k: v for k, v in uc.attrs.items() if k != "func"})
    if focus.area is not None:
        uc = uc[uc["area"].isin(set(subtree(net, focus.area))).to_numpy()]
        name = spec.focus_on(entity_names(net), focus.area)
        spec.notes.append(f"Focus on {name} ({focus.area}): {len(uc):,} units.")
    anchor = uc["community"].astype(object).where(uc["community"].notna(), uc["area"].astype(object))
    pairs = [(o, u) for u, s in zip(uc.index, uc["covered_by"].astype(object)) if isinstance(s, str)
             for o in s.split(",")]
    orgs = list(dict.fromkeys(o for o, _ in pairs))
    anchors = list(dict.fromkeys(anchor.dropna()))
    if len(uc) == 0:
        spec.notes.append("No units to draw" + (" in this area." if focus.area is not None else "."))
        return spec
    if len(uc) + len(orgs) + len(anchors) <= max_nodes:
        _units(net, spec, uc, anchor, anchors, pairs, orgs, focus, seed)
    else:
        _rates(net, spec, uc, orgs, focus, when, max_nodes, params, options)
    return spec


# ------------------------------------------------------------------ one node per unit


def _units(net, spec, uc, anchor, anchors, pairs, orgs, focus, seed):
    _anchor_nodes(net, spec, anchor, anchors)
    _unit_nodes(net, spec, uc, focus)
    _organisation_nodes(net, spec, pairs, orgs)
    cls_of = uc["coverage"].astype(object)
    for o, u in pairs:
        spec.edge(o, u, colour=COVERAGE_COLOURS[cls_of[u]], width=2, kinds=[cls_of[u]])
    for u, aid in anchor.items():
        if isinstance(aid, str):
            spec.edge(aid, u, colour="#d5d8dc", width=1, kinds=["located_in"])
    ent_area = net.entity_areas
    node_area = pd.Series([d["id"] if d["attrs"]["kind"] == "area" else ent_area.get(d["id"]) for d in spec.nodes],
                          dtype=object)
    spec.layout_graph([codes(group_at(net, node_area, lv)) for lv in ("community", "street", "district")], seed)
    class_counts = uc["coverage"].astype(object).value_counts()
    spec.legend.append({"title": "Units by coverage 覆盖类别", "items": [
        swatch(f"{c} {COVERAGE_ZH[c]} ({int(class_counts.get(c, 0))})", COVERAGE_COLOURS[c]) for c in _CLASSES]})
    spec.legend.append({"title": "Highlighted 重点", "items": [
        ring("due, not established 应建未建 (thick dark border)", _DUE_BORDER),
        swatch("size rule gap (star)", "#c0392b", "star")]})
    spec.legend.append({"title": "Other nodes", "items": [
        swatch("covering organisation 覆盖党组织", "#c0392b", "diamond"),
        swatch("community (or the unit's area) 社区", LEVEL_COLOURS["community"], "triangle")]})
    spec.legend.append({"title": "size: Party members of the unit", "items": []})
    spec.filters = spec.filters_of(
        value_filter("coverage", "Coverage 覆盖", spec.attr("coverage"), list(_CLASSES),
                     {k: f"{k} {v}" for k, v in COVERAGE_ZH.items()}),
        value_filter("due", "Due, not established 应建未建", spec.attr("due"), ["yes", "no", "unknown"]),
        value_filter("type", "Unit type 单位类型", spec.attr("type")),
    )


def _anchor_nodes(net, spec, anchor, anchors):
    """The communities (or the units' own areas) the units are drawn around."""
    anames = area_names(net)
    for aid in anchors:
        lv = net.areas.at[aid, "level"]
        spec.node(aid, anames.get(aid, aid),
                  [text(anames.get(aid)), f"{aid} · {bilingual('level', text(lv))}",
                   f"units here: {int((anchor == aid).sum())}"],
                  LEVEL_COLOURS.get(lv, "#7f8c8d"), 16, shape="triangle",
                  attrs={"name": text(anames.get(aid)), "kind": "area", "coverage": "(area)",
                         "due": "(area)", "type": "(area)"})


def _unit_nodes(net, spec, uc, focus):
    anames = area_names(net)
    unit_sizes = sizes(uc["party_members"].to_numpy(dtype=object), 8, 26)
    min_members = spec.params.get("min_members", 3)
    for n, (uid, r) in enumerate(uc.iterrows()):
        cls = str(r["coverage"])
        due = r["due_not_established"]
        due_s = "unknown" if pd.isna(due) else ("yes" if due else "no")
        gap = r["size_rule_gap"] is True
        lines = [text(r["name"]), f"{uid} · unit · {text(r['type'])}",
                 f"area: {text(anames.get(r['area']))} ({r['area']})",
                 f"coverage: {cls} {COVERAGE_ZH[cls]}"
                 + (f" by {r['covered_by']}" if isinstance(r["covered_by"], str) else ""),
                 f"party members: {num(r['party_members'])} · employees: {num(r['employees'])}",
                 f"due but not established 应建未建 (>= {min_members} members, no own organisation)"
                 if due_s == "yes" else "",
                 "size rule gap: large unit without organisational coverage" if gap else ""]
        spec.node(uid, r["name"], lines, COVERAGE_COLOURS[cls], unit_sizes[n], shape="star" if gap else "dot",
                  border=_DUE_BORDER if due_s == "yes" else ("#17202a" if uid == focus.entity else None),
                  border_width=4 if due_s == "yes" or uid == focus.entity else 1,
                  attrs={"name": text(r["name"]), "kind": "unit", "coverage": cls, "due": due_s,
                         "type": text(r["type"])})


def _organisation_nodes(net, spec, pairs, orgs):
    org_tab = net.organisations
    for oid in orgs:
        r = org_tab.loc[oid]
        cat = f"{text(r['scope'])} organisation"
        spec.node(oid, r["name"], [text(r["name"]), f"{oid} · {cat} {CATEGORY_ZH.get(cat, '')}",
                                   f"covers here: {sum(1 for o, _ in pairs if o == oid)} units"],
                  CATEGORY_COLOURS.get(cat, "#c0392b"), 14, shape="diamond",
                  attrs={"name": text(r["name"]), "kind": "organisation", "coverage": "(organisation)",
                         "due": "(organisation)", "type": "(organisation)"})


# ------------------------------------------------------------------ aggregated: coverage rates by area


def _rates(net, spec, uc, orgs, focus, when, max_nodes, params, options):
    spec.aggregated = True
    rates = _rates_by_level(net, spec, focus, when, params)
    shown = _levels_that_fit(rates, max_nodes)
    spec.level = shown[0]
    top_down = list(reversed(shown))
    ids = _rate_nodes(spec, rates, top_down)
    parent = _rate_edges(net, spec, ids, top_down)
    spec.place(layout.tree_positions(np.array(parent), radial=options.radial) * 60.0, normalise=False)
    spec.notes.append(
        f"{len(uc):,} units (with {len(orgs):,} covering organisations) exceed max_nodes={max_nodes:,}: shown "
        f"aggregated to {spec.level} level — {len(ids):,} areas coloured by organisational coverage rate "
        f"(coverage_rates). Drill into one area with focus='<area id>', or raise max_nodes."
    )
    spec.legend.append({"title": "Organisational coverage rate 组织覆盖率", "items": [
        swatch(label, colour) for _, colour, label in RATE_BINS] + [swatch("no units", NO_DATA)]})
    spec.legend.append({"title": "Highlighted", "items": [
        ring("has units due, not established 应建未建", _DUE_BORDER)]})
    spec.legend.append({"title": "size: number of units", "items": []})
    spec.filters = spec.filters_of(
        value_filter("level", "Level 层级", spec.attr("level"), list(schema.LEVELS),
                     {k: bilingual("level", k) for k in schema.LEVELS}),
        value_filter("rate", "Coverage rate 覆盖率", spec.attr("rate"), [b[2] for b in RATE_BINS] + ["no data"]),
    )


def _rates_by_level(net, spec, focus, when, params) -> dict:
    """``coverage_rates`` at each level present (community up to city; in the focus area)."""
    from ... import coverage

    levels = ["community", "street", "district", "city"]
    sub = None
    if focus.area is not None:
        levels = [lv for lv in levels if LEVEL_RANK[lv] >= LEVEL_RANK[net.areas.at[focus.area, "level"]]]
        sub = set(subtree(net, focus.area))
    rates = {}
    for lv in levels:
        if not (net.areas["level"] == lv).any():
            continue
        r = capture(coverage.coverage_rates, net, by=lv, as_of=when, notes=spec.notes, **params)
        rates[lv] = r if sub is None else r[r.index.isin(sub)]
    return rates


def _levels_that_fit(rates: dict, max_nodes: int) -> list[str]:
    """The levels drawn, finest first: as many as fit in ``max_nodes``, the finest dropped first."""
    shown = []
    for lv in rates:
        if sum(len(rates[x]) for x in shown + [lv]) <= max_nodes or not shown:
            shown.append(lv)
    while len(shown) > 1 and sum(len(rates[x]) for x in shown) > max_nodes:
        shown.pop(0)
    return shown


def _rate_nodes(spec, rates, top_down) -> list[str]:
    ids = []
    for lv in top_down:
        r = rates[lv]
        node_sizes = sizes(r["units"].to_numpy(), 10, 36)
        for n, (aid, row) in enumerate(r.iterrows()):
            colour, label = bin_colour(row["org_coverage_rate"], RATE_BINS)
            lines = [text(row["name"]), f"{aid} · {bilingual('level', lv)}", f"units: {int(row['units']):,}",
                     f"organisational coverage 组织覆盖率: {pct(row['org_coverage_rate'])}",
                     f"work coverage 工作覆盖率: {pct(row['work_coverage_rate'])}",
                     f"own {int(row['own'])} · joint {int(row['joint'])} · work {int(row['work'])} · "
                     f"none {int(row['none'])}",
                     f"due, not established 应建未建: {int(row['due_not_established'])} · size rule gaps: "
                     f"{int(row['size_rule_gaps'])}"]
            spec.node(aid, row["name"], lines, colour, node_sizes[n], shape="triangle" if lv != spec.level else "dot",
                      border=_DUE_BORDER if row["due_not_established"] else None,
                      border_width=3 if row["due_not_established"] else 1,
                      attrs={"name": text(row["name"]), "level": lv, "rate": label})
            ids.append(aid)
    return ids


def _rate_edges(net, spec, ids, top_down) -> list[int]:
    """Each area joined to its ancestor at the next drawn level up; returns parent indices."""
    index = {aid: n for n, aid in enumerate(ids)}
    parent = [-1] * len(ids)
    for n, aid in enumerate(ids):
        lv = net.areas.at[aid, "level"]
        higher = [x for x in top_down if LEVEL_RANK[x] < LEVEL_RANK[lv]]
        if higher:
            p = net.area_paths.at[aid, higher[-1]]
            if p in index:
                parent[n] = index[p]
                spec.edge(p, aid, colour="#d5d8dc", width=1.5, kinds=["contains"])
    return parent


VIEW = View("coverage", build, analysis="orgnet.coverage", tab="Coverage 覆盖", physics=True)
