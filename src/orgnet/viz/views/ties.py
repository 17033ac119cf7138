"""The ``ties`` view: the active co-building network (:func:`orgnet.linkage.tie_strength`).

One edge per tied pair, width by strength, dashed when the pair's agreement is
dormant (签而不联), coloured by the pair's most frequent tie kind; nodes
coloured by kind and scope, sized by members. Above ``max_nodes`` the
entities are aggregated into their community (street, ...), one edge per pair
of areas, coloured by level and described by the linkage index.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ... import schema
from ..palette import (CATEGORY_COLOURS, CATEGORY_ZH, KIND_SHAPES, LEVEL_COLOURS, OUTSIDE_FOCUS, TIE_COLOURS,
                       bilingual, scope_chinese)
from .spec import (Focus, View, ViewOptions, ViewSpec, aggregation_levels, area_names, capture, choose_level,
                   codes, entity_names, group_at, line, num, pct, sizes, subtree, swatch, text, value_filter)

__all__ = ["build", "VIEW"]

_KINDS = list(schema.TIE_KINDS)
_DORMANT_LINE = "#5d6d7e"


def build(net, *, when, focus: Focus, max_nodes: int, params: dict, seed, options: ViewOptions) -> ViewSpec:
    """The ties view of ``net`` at ``when``: one node per tied entity, one edge per tied pair.

    Parameters
    ----------
    net : OrgNetwork
    when : Timestamp
        The as-of date (``net.resolve_as_of(as_of)``).
    focus : Focus
        The area drawn, with its entities' partners outside it (paler), and the entity outlined.
    max_nodes : int
        Above this many tied entities they are aggregated into areas (community, street, ...).
    params : dict
        Keyword arguments of :func:`orgnet.linkage.tie_strength` (and of
        :func:`orgnet.linkage.linkage_index` when aggregated).
    seed : int or numpy.random.Generator
        Seed of the force layout.
    options : ViewOptions
        Not used by this view.

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
    >>> len(spec.nodes), len(spec.edges)  # Every active pair once; 2 of the 73 are dormant agreements (dashed).
    (50, 73)
    """
    from ... import linkage

    spec = ViewSpec("ties", "Co-building ties 共建联系网络")
    ts = capture(linkage.tie_strength, net, as_of=when, notes=spec.notes, **params)
    spec.params.update({k: v for k, v in ts.attrs.items() if k != "func"})
    ts, ids, inside = _restrict(net, spec, ts, focus)
    if len(ids) == 0:
        spec.notes.append("No active ties at this date.")
        return spec
    used_kinds = [k for k in _KINDS if ts[k].sum() > 0]
    if len(ids) <= max_nodes:
        size_note = _entities(net, spec, ts, ids, inside, focus, when, seed)
    else:
        size_note = _areas(net, spec, ts, ids, focus, when, max_nodes, params, seed)
    spec.legend.append({"title": "Ties 联系 (width: strength)", "items": [
        line(bilingual("tie_kind", k), TIE_COLOURS[k]) for k in used_kinds]
        + [line("dormant agreement 签而不联", _DORMANT_LINE, True)]})
    spec.legend.append({"title": size_note, "items": []})
    if focus.area is not None:
        spec.filters.append(value_filter("focus", "Focus 范围", spec.attr("focus")))
    spec.filters.append({"key": "edge:kinds", "label": "Tie kind 联系类型", "values": [
        {"value": k, "label": bilingual("tie_kind", k), "count": int((ts[k] > 0).sum())} for k in used_kinds]})
    return spec


def _restrict(net, spec, ts, focus):
    """The pairs to draw (those touching the focus area), their entities, and the entities inside."""
    names = entity_names(net)
    inside: set = set()
    if focus.area is not None:
        ent_area = net.entity_areas
        sub = set(subtree(net, focus.area))
        inside = set(ent_area.index[ent_area.isin(sub).to_numpy()])
        ts = ts[(ts["a"].isin(inside) | ts["b"].isin(inside)).to_numpy()]
        spec.focus_on(names, focus.area)
    ids = pd.Index(pd.unique(np.concatenate([ts["a"].to_numpy(dtype=object), ts["b"].to_numpy(dtype=object)])),
                   dtype=object)
    if focus.area is not None:
        spec.notes.append(
            f"Focus on {names.get(focus.area, focus.area)} ({focus.area}): "
            f"{sum(i in inside for i in ids):,} tied entities inside and "
            f"{sum(i not in inside for i in ids):,} partners outside (drawn paler)."
        )
    return ts, ids, inside


# ------------------------------------------------------------------ one node per entity


def _entities(net, spec, ts, ids, inside, focus, when, seed) -> str:
    cats = _category(net, ids)
    _entity_nodes(net, spec, ts, ids, cats, inside, focus)
    _pair_edges(net, spec, ts, when)
    ent_area = net.entity_areas
    area_ids = pd.Series([ent_area.get(i) for i in ids], dtype=object)
    spec.layout_graph([codes(group_at(net, area_ids, lv)) for lv in ("community", "street", "district")], seed)
    present = [c for c in CATEGORY_COLOURS if c in set(cats)]
    spec.legend.append({"title": "Nodes 节点", "items": [
        swatch(f"{c} {CATEGORY_ZH.get(c, '')}", CATEGORY_COLOURS[c],
               KIND_SHAPES["organisation" if c.endswith("organisation") else c]) for c in present]})
    spec.filters = spec.filters_of(
        value_filter("kind", "Entity kind 类型", spec.attr("kind"), list(KIND_SHAPES)),
        value_filter("category", "Category 类别", spec.attr("category"), list(CATEGORY_COLOURS),
                     {k: f"{k} {v}" for k, v in CATEGORY_ZH.items()}),
    )
    return "size: Party members (organisations, units) or population (areas)"


def _entity_nodes(net, spec, ts, ids, cats, inside, focus):
    names, anames, ent_area = entity_names(net), area_names(net), net.entity_areas
    kinds = net.entity_kinds.reindex(ids)
    node_sizes = sizes(_size_value(net, ids))
    facts = _facts(net, ids)
    per_node = pd.concat([ts[["a", "strength"]].rename(columns={"a": "id"}),
                          ts[["b", "strength"]].rename(columns={"b": "id"})])
    strength = per_node.groupby("id")["strength"].agg(["sum", "size"])
    for n, i in enumerate(ids):
        cat = cats[i]
        colour = CATEGORY_COLOURS.get(cat, "#7f8c8d")
        outside = focus.area is not None and i not in inside
        area = ent_area.get(i)
        lines = [text(names.get(i)), f"{i} · {cat} {CATEGORY_ZH.get(cat, '')}".rstrip(),
                 f"area: {text(anames.get(area))} ({area})" if area and area != i else "",
                 *facts.get(i, []),
                 f"partners: {int(strength.at[i, 'size'])} · strength: {num(strength.at[i, 'sum'])}",
                 "outside the focus area" if outside else ""]
        spec.node(i, names.get(i), lines, colour if not outside else OUTSIDE_FOCUS, node_sizes[n],
                  shape=KIND_SHAPES.get(kinds[i], "dot"),
                  border=colour if outside else ("#17202a" if i == focus.entity else None),
                  border_width=4 if i == focus.entity else (2 if outside else 1),
                  attrs={"name": text(names.get(i)), "kind": kinds[i], "category": cat,
                         "focus": ("partner outside" if outside else "inside") if focus.area else None})


def _pair_edges(net, spec, ts, when):
    names = entity_names(net)
    notes = _pair_notes(net, when)
    main_kind = ts[_KINDS].to_numpy().argmax(axis=1)
    max_strength = float(ts["strength"].max()) or 1.0
    dormant_days = num(spec.params.get("dormant_days", 365))
    for r, mk in zip(ts.itertuples(index=False), main_kind):
        rd = r._asdict()
        present = [k for k in _KINDS if rd[k] > 0]
        note = notes.get((r.a, r.b))
        lines = [f"{text(names.get(r.a))} — {text(names.get(r.b))}",
                 f"notes 备注: {note}" if note else "",
                 "kinds: " + ", ".join(f"{bilingual('tie_kind', k)} ×{int(rd[k])}" for k in present),
                 f"strength: {num(r.strength)} · multiplexity: {int(r.multiplexity)}",
                 f"last activity: {r.last_activity:%Y-%m-%d}" if not pd.isna(r.last_activity) else "",
                 f"dormant agreement 签而不联: no activity or shared event within {dormant_days} days" if r.dormant else ""]
        spec.edge(r.a, r.b, colour=TIE_COLOURS[_KINDS[mk]],
                  width=1 + 7 * math.sqrt(r.strength / max_strength) if r.strength > 0 else 1,
                  dashes=bool(r.dormant), title_lines=lines, kinds=present)


def _category(net, ids: pd.Index) -> pd.Series:
    """Each entity's node category: ``"<scope> organisation"``, unit, station or area."""
    kinds = net.entity_kinds.reindex(ids)
    scope = net.organisations["scope"].astype(object)
    cat = kinds.astype(object).copy()
    is_org = (kinds == "organisation").to_numpy()
    cat[is_org] = [f"{s} organisation" for s in ids[is_org].map(scope)]
    return cat.fillna("area")


def _size_value(net, ids: pd.Index) -> pd.Series:
    vals = pd.concat([
        net.organisations["members"].astype("Float64"),
        net.units["party_members"].astype("Float64"),
        net.areas["population"].astype("Float64"),
    ])
    vals.index = vals.index.astype(object)
    vals = vals[~vals.index.duplicated()]
    return vals.reindex(ids)


def _facts(net, ids: pd.Index) -> dict[str, list[str]]:
    """Key figures per entity for hover titles."""
    o, u, a = net.organisations, net.units, net.areas
    facts: dict[str, list[str]] = {}
    for i in ids:
        lines = []
        if i in o.index:
            r = o.loc[i]
            scope = text(r["scope"])
            zh = scope_chinese(scope)
            lines.append(f"form: {bilingual('form', text(r['form']))} · scope: {scope}" + (f" {zh}" if zh else ""))
            if not pd.isna(r["members"]):
                lines.append(f"members 党员: {num(r['members'])}")
            if text(r["status"]) == "weak":
                lines.append("status: weak 软弱涣散")
        elif i in u.index:
            r = u.loc[i]
            lines.append(f"type: {text(r['type'])}" + (f" · sector: {text(r['sector'])}" if text(r["sector"]) else ""))
            lines.append(f"employees: {num(r['employees'])} · party members: {num(r['party_members'])}")
        elif i in a.index:
            r = a.loc[i]
            lines.append(f"level: {bilingual('level', text(r['level']))}")
            if not pd.isna(r["population"]):
                lines.append(f"population: {num(r['population'])}")
        facts[i] = lines
    return facts


def _pair_notes(net, when, limit: int = 3) -> dict:
    """The ``note`` texts of the active ties of each unordered pair (at most ``limit``, joined)."""
    t = net.active_ties(when)
    t = t[t["note"].notna().to_numpy()]
    if t.empty:
        return {}
    s = t["source"].astype(object).to_numpy()
    g = t["target"].astype(object).to_numpy()
    frame = pd.DataFrame({"a": np.where(s > g, g, s), "b": np.where(s > g, s, g),
                          "note": t["note"].astype(object).to_numpy()})
    out = {}
    for (a, b), grp in frame.groupby(["a", "b"], sort=False):
        uniq = list(dict.fromkeys(grp["note"]))
        out[(a, b)] = "; ".join(uniq[:limit]) + (f" (+{len(uniq) - limit} more)" if len(uniq) > limit else "")
    return out


# ------------------------------------------------------------------ aggregated to areas


def _areas(net, spec, ts, ids, focus, when, max_nodes, params, seed) -> str:
    from ... import linkage

    ent_area = net.entity_areas
    area_of = pd.Series([ent_area.get(i) for i in ids], index=ids, dtype=object)
    level, groups, fits = choose_level(net, area_of, max_nodes, aggregation_levels(net, focus.area))
    spec.level = level
    spec.aggregated = True
    internal, cross = _area_pairs(ts, groups)
    li = None
    if level in ("community", "street", "district"):
        li = capture(linkage.linkage_index, net, level=level, as_of=when, notes=spec.notes, **params)
    gids, glevel = _area_nodes(net, spec, groups, internal, li, focus)
    cross, dropped_note = _strongest(cross, max_nodes)
    _area_edges(net, spec, cross)
    parent_level = {"grid": "community", "community": "street", "street": "district"}.get(level, "city")
    gseries = pd.Series(list(gids), dtype=object)
    spec.layout_graph([codes(group_at(net, gseries, lv)) for lv in (parent_level, "district") if lv != level], seed)
    n_at = int(sum(1 for lv in glevel if lv == level))
    spec.notes.append(
        f"{len(ids):,} tied entities exceed max_nodes={max_nodes:,}: shown aggregated to {level} level — "
        f"{len(gids):,} nodes ({n_at:,} {level} areas, {len(gids) - n_at:,} areas above that level holding "
        f"entities seated there); {int(internal['pairs'].sum()):,} tied pairs inside a node are counted in "
        f"its hover text. Drill into one area with focus='<area id>', or raise max_nodes."
        + ("" if fits else " (still above max_nodes at the coarsest level)")
    )
    if dropped_note:
        spec.notes.append(dropped_note)
    spec.legend.append({"title": "Areas (aggregated) 区域汇总", "items": [
        swatch(bilingual("level", lv), LEVEL_COLOURS[lv]) for lv in schema.LEVELS if lv in set(glevel)]})
    spec.filters = spec.filters_of(value_filter("level", "Level 层级", spec.attr("level"), list(schema.LEVELS),
                                                {k: bilingual("level", k) for k in schema.LEVELS}))
    return "size: number of tied entities"


def _area_pairs(ts, groups):
    """Pairs and strength inside each area, and summed per pair of areas (kinds counted)."""
    ga = ts["a"].map(groups).to_numpy(dtype=object)
    gb = ts["b"].map(groups).to_numpy(dtype=object)
    swap = ga > gb
    frame = ts[["strength", "dormant", *_KINDS]].copy()
    frame["g1"], frame["g2"] = np.where(swap, gb, ga), np.where(swap, ga, gb)
    frame["pairs"] = 1
    frame["co_pairs"] = (ts["co_building"] > 0).to_numpy(dtype=int)
    frame["dormant"] = frame["dormant"].astype(int)
    internal = frame[frame["g1"] == frame["g2"]].groupby("g1")[["pairs", "strength"]].sum()
    cross = frame[frame["g1"] != frame["g2"]].groupby(["g1", "g2"])[
        ["pairs", "co_pairs", "strength", "dormant", *_KINDS]].sum().reset_index()
    return internal, cross


def _area_nodes(net, spec, groups, internal, li, focus):
    """One node per area holding tied entities, coloured by level; the linkage index in its title."""
    anames = area_names(net)
    members = groups.groupby(groups).size()
    kinds_by_group = pd.crosstab(groups, net.entity_kinds.reindex(groups.index).fillna("area"))
    gids = pd.Index(members.index, dtype=object)
    glevel = gids.map(net.areas["level"].astype(object)).astype(object)
    node_sizes = sizes(members.reindex(gids).to_numpy(), 10, 40)
    focus_sub = set(subtree(net, focus.area)) if focus.area is not None else set()
    for n, g in enumerate(gids):
        lv = glevel[n] if isinstance(glevel[n], str) else "area"
        colour = LEVEL_COLOURS.get(lv, "#7f8c8d")
        kb = kinds_by_group.loc[g] if g in kinds_by_group.index else pd.Series(dtype=int)
        lines = [f"{text(anames.get(g, g))} ({g}) · {bilingual('level', lv)}",
                 f"tied entities: {int(members[g]):,} (" + ", ".join(f"{k} {int(v)}" for k, v in kb.items() if v)
                 + ")",
                 f"pairs inside: {int(internal['pairs'].get(g, 0)):,} · strength inside: "
                 f"{num(internal['strength'].get(g, 0.0))}"]
        if li is not None and g in li.index:
            r = li.loc[g]
            lines.append(f"linkage index: partners {int(r['partners'])}, strength {num(r['strength'])}, "
                         f"agreements {int(r['co_building'])}, dormant share {pct(r['dormant_share'])}")
        outside = focus.area is not None and g not in focus_sub
        spec.node(g, anames.get(g, g), lines, colour if not outside else OUTSIDE_FOCUS, node_sizes[n],
                  shape="dot", border=colour, border_width=2 if outside else 1,
                  attrs={"name": text(anames.get(g, g)), "level": lv,
                         "focus": ("partner outside" if outside else "inside") if focus.area else None})
    return gids, glevel


def _strongest(cross, max_nodes):
    """At most ``max(4 * max_nodes, 1000)`` links between areas, strongest first (a page must
    stay usable), and the note saying what was left out (None when nothing was)."""
    limit = max(4 * max_nodes, 1000)
    if len(cross) <= limit:
        return cross, None
    order = cross["strength"].rank(method="first", ascending=False)
    dropped = cross[(order > limit).to_numpy()]
    note = (f"{len(cross):,} links between areas: the {limit:,} strongest are drawn, the {len(dropped):,} "
            f"weakest ({int(dropped['pairs'].sum()):,} tied pairs) are not. Drill into one area with "
            f"focus='<area id>' to see all of its ties.")
    return cross[(order <= limit).to_numpy()], note


def _area_edges(net, spec, cross):
    anames = area_names(net)
    max_s = float(cross["strength"].max()) if len(cross) else 1.0
    for r in cross.itertuples(index=False):
        rd = r._asdict()
        present = [k for k in _KINDS if rd[k] > 0]
        mk = max(present, key=lambda k: (rd[k], -_KINDS.index(k))) if present else "co_building"
        lines = [f"{text(anames.get(r.g1, r.g1))} — {text(anames.get(r.g2, r.g2))}",
                 f"tied pairs: {int(r.pairs):,} · strength: {num(r.strength)}",
                 "kinds: " + ", ".join(f"{bilingual('tie_kind', k)} ×{int(rd[k])}" for k in present),
                 f"dormant agreements 签而不联: {int(r.dormant)} of {int(r.co_pairs)}" if r.co_pairs else ""]
        spec.edge(r.g1, r.g2, colour=TIE_COLOURS[mk], width=1 + 7 * math.sqrt(max(r.strength, 0) / max_s),
                  dashes=bool(r.pairs and r.dormant == r.pairs), title_lines=lines, kinds=present)


VIEW = View("ties", build, analysis="orgnet.linkage", tab="Ties 联系", physics=True)
