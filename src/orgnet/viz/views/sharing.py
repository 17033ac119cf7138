"""The ``sharing`` view: a map of matched flows from resources to open demands (:func:`orgnet.sharing.match`).

Demands (dots) met / partly met / unmet, resources (squares) fully / partly
used / idle; flows between owners already tied solid, new pairings dashed,
width by quantity. Above ``max_nodes`` areas (by their owners) coloured by the
share of their open demands fully met, one edge per pair of areas (width:
assignments; quantities listed per category, never summed across them).
A match the caller already has is passed as ``options.precomputed["match"]``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ... import schema
from .. import layout
from ..palette import DEMAND_COLOURS, FLOW_COLOURS, NO_DATA, RATE_BINS, RESOURCE_COLOURS, bilingual, chinese
from .spec import (Focus, View, ViewOptions, ViewSpec, aggregation_levels, area_names, bin_colour, capture,
                   choose_level, entity_names, line, num, pct, sizes, subtree, swatch, text, value_filter)

__all__ = ["build", "VIEW"]

_ARROWS = {"edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}}}


def build(net, *, when, focus: Focus, max_nodes: int, params: dict, seed, options: ViewOptions) -> ViewSpec:
    """The sharing map of ``net`` at ``when``: open demands, resources and the flows matched between them.

    Parameters
    ----------
    net : OrgNetwork
    when : Timestamp
        The as-of date (``net.resolve_as_of(as_of)``).
    focus : Focus
        The area whose demands and resources (and the ones matched with them) are drawn; an owner outlined.
    max_nodes : int
        Above this many demands and resources areas (by their owners) are drawn instead.
    params : dict
        Keyword arguments of :func:`orgnet.sharing.match` (when no match is precomputed).
    seed : int or numpy.random.Generator
        Not used (a map has no randomness).
    options : ViewOptions
        ``options.precomputed["match"]``: a MatchResult to draw instead of
        solving the match again.

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
    >>> len(spec.nodes), len(spec.edges)  # Six open demands, eleven resources, four matched flows.
    (17, 4)
    """
    from ... import sharing

    spec = ViewSpec("sharing", "Resource sharing: matched flows 资源共享匹配")
    spec.geographic = True
    r = options.precomputed.get("match")
    if r is None:
        r = capture(sharing.match, net, as_of=when, notes=spec.notes, **params)
    spec.params.update({k: v for k, v in r.params.items() if k != "candidates"})
    owner_area = pd.concat([net.demands["owner"].astype(object).map(net.entity_areas),
                            net.resources["owner"].astype(object).map(net.entity_areas)])
    unmet, idle, flows = _restrict(net, spec, r, owner_area, focus)
    # quantities are in different units per category (yuan, people, venues): demands are counted,
    # quantities compared within a category only (MatchResult.summary)
    n_met = int(r.summary(by="category")["demands_met"].sum())
    spec.notes.append(f"{len(r.unmet):,} open demands, {n_met:,} fully met ({pct(r.demands_met_share)} of the open "
                      f"demands; matched quantity by category: MatchResult.summary()); "
                      f"{len(r.pairs[['demand_owner', 'resource_owner']].drop_duplicates()):,} recommended new "
                      f"pairings (sharing.match).")
    n_entity = len(unmet) + len(idle)
    if n_entity == 0:
        spec.notes.append("No open demands or resources to draw.")
        return spec
    if n_entity <= max_nodes:
        _entities(net, spec, unmet, idle, flows, focus)
    else:
        _areas(net, spec, unmet, idle, flows, owner_area, focus, max_nodes)
    spec.options_extra = _ARROWS
    spec.filters.append({"key": "edge:kinds", "label": "Flows 匹配", "values": [
        {"value": k, "label": k, "count": sum(1 for e in spec.edges if k in e["kinds"])} for k in FLOW_COLOURS]})
    return spec


def _restrict(net, spec, r, owner_area, focus):
    """Open demands, resources and flows to draw: those posted in the focus area or matched with it."""
    unmet, idle, flows = r.unmet, r.idle, r.assignments
    if focus.area is None:
        return unmet, idle, flows
    sub = set(subtree(net, focus.area))
    inside = set(owner_area.index[owner_area.isin(sub).to_numpy()])
    flows = flows[(flows["demand"].isin(inside) | flows["resource"].isin(inside)).to_numpy()]
    keep = inside | set(flows["demand"]) | set(flows["resource"])
    unmet = unmet[unmet.index.isin(keep)]
    idle = idle[idle.index.isin(keep)]
    name = spec.focus_on(entity_names(net), focus.area)
    spec.notes.append(f"Focus on {name} ({focus.area}): {len(unmet):,} open demands and {len(idle):,} resources "
                      f"posted in it or matched with it.")
    return unmet, idle, flows


def _map_pixels(lon, lat, spacing: float = 40.0) -> tuple[np.ndarray, np.ndarray]:
    """Screen positions for points at lon/lat: coincident points spread in a small
    sunflower, points without coordinates in a row below. Returns (xy, located)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    ok = ~(np.isnan(lon) | np.isnan(lat))
    xy = np.zeros((len(lon), 2))
    if ok.any():
        m = layout.geo_positions(lon[ok], lat[ok])
        key = pd.Series([f"{a:.7f},{b:.7f}" for a, b in zip(lon[ok], lat[ok])])
        uniq = ~key.duplicated().to_numpy()
        if uniq.sum() > 1:
            scaled = layout.normalise(m[uniq], spacing * 2)
            raw = m[uniq] - m[uniq].mean(axis=0)
            k = np.abs(raw).max()
            factor = (np.abs(scaled).max() / k) if k > 0 else 1.0
            m = (m - m[uniq].mean(axis=0)) * factor
        else:
            m = m - m.mean(axis=0)
        rank = key.groupby(key).cumcount().to_numpy()
        size = key.map(key.value_counts()).to_numpy()
        sun = layout.sunflower(int(size.max()) + 1) * (spacing * 0.35)
        m = m + np.where(size[:, None] > 1, sun[rank], 0.0)
        xy[ok] = m
    base = (xy[ok, 1].max() if ok.any() else 0.0) + 3 * spacing
    left = xy[ok, 0].min() if ok.any() else 0.0
    for j, k in enumerate(np.flatnonzero(~ok)):
        xy[k] = (left + spacing * j, base)
    return xy, ok


# ------------------------------------------------------------------ one node per demand and resource


def _entities(net, spec, unmet, idle, flows, focus):
    loc = net.locations
    ids = list(unmet.index) + list(idle.index)
    xy, located = _map_pixels(loc["lon"].reindex(ids).to_numpy(dtype=float),
                             loc["lat"].reindex(ids).to_numpy(dtype=float))
    _demand_nodes(net, spec, unmet, located[: len(unmet)], focus)
    _resource_nodes(net, spec, idle, located[len(unmet):], focus)
    _flow_edges(spec, flows)
    spec.place(xy, normalise=False)
    spec.legend.append({"title": "Demands 需求 (dots)", "items": [swatch(k, c) for k, c in DEMAND_COLOURS.items()]})
    spec.legend.append({"title": "Resources 资源 (squares)", "items": [
        swatch(k, c, "square") for k, c in RESOURCE_COLOURS.items()]})
    spec.legend.append({"title": "Matched flows 匹配 (width: quantity)", "items": [
        line("owners already tied 已有联系", FLOW_COLOURS["existing partners"]),
        line("new pairing 新结对", FLOW_COLOURS["new pairing"], True)]})
    spec.legend.append({"title": "positions: owners' locations (coincident ones spread)", "items": []})
    categories = list(schema.VOCABULARIES["category"].values)
    spec.filters = spec.filters_of(
        value_filter("kind", "Kind 类型", spec.attr("kind"), ["demand", "resource"]),
        value_filter("status", "Status 状态", spec.attr("status"), list(DEMAND_COLOURS) + list(RESOURCE_COLOURS)),
        value_filter("category", "Category 类别", spec.attr("category"), categories,
                     {k: bilingual("category", k) for k in categories}),
    )


def _owner_node(net, spec, item, owner, category, lines, colour, shape, focus, kind, status):
    names = entity_names(net)
    owner_name = text(names.get(owner))
    spec.node(item, f"{chinese('category', category) or category}·{owner_name}", lines, colour, 12, shape=shape,
              border="#17202a" if owner == focus.entity else None, border_width=3 if owner == focus.entity else 1,
              attrs={"name": f"{owner_name} {item}", "kind": kind, "category": category, "status": status})


def _demand_nodes(net, spec, unmet, located, focus):
    names = entity_names(net)
    for k, (did, row) in enumerate(unmet.iterrows()):
        status = "met" if row["unmet"] <= 0 else ("unmet" if row["matched"] <= 0 else "partly met")
        owner = net.demands.at[did, "owner"]
        category = text(row["category"])
        lines = [f"demand 需求 {did} · {bilingual('category', category)}",
                 f"posted by: {text(names.get(owner))} ({owner})",
                 f"quantity: {num(row['quantity'])} · matched: {num(row['matched'])} · unmet: {num(row['unmet'])}",
                 "" if located[k] else "no location: drawn in the row below the map"]
        _owner_node(net, spec, did, owner, category, lines, DEMAND_COLOURS[status], "dot", focus, "demand", status)


def _resource_nodes(net, spec, idle, located, focus):
    names = entity_names(net)
    for k, (rid, row) in enumerate(idle.iterrows()):
        status = "idle" if row["used"] <= 0 else ("fully used" if row["idle"] <= 0 else "partly used")
        owner = net.resources.at[rid, "owner"]
        category = text(row["category"])
        lines = [f"resource 资源 {rid} · {bilingual('category', category)}",
                 f"offered by: {text(names.get(owner))} ({owner})",
                 f"capacity: {num(row['capacity'])} · used: {num(row['used'])} · idle: {num(row['idle'])}",
                 "" if located[k] else "no location: drawn in the row below the map"]
        _owner_node(net, spec, rid, owner, category, lines, RESOURCE_COLOURS[status], "square", focus, "resource",
                    status)


def _flow_edges(spec, flows):
    max_q = float(flows["quantity"].max()) if len(flows) else 1.0
    for f in flows.itertuples(index=False):
        kind = "existing partners" if f.existing_partner else "new pairing"
        lines = [f"{f.resource} → {f.demand} · {bilingual('category', text(f.category))}",
                 f"quantity: {num(f.quantity)}",
                 f"distance: {num(f.distance_m, 0)} m" if not pd.isna(f.distance_m) else "distance unknown",
                 "owners already tied 已有联系" if f.existing_partner else "a new pairing 新结对"]
        spec.edge(f.resource, f.demand, colour=FLOW_COLOURS[kind], dashes=not f.existing_partner,
                  width=1 + 6 * math.log1p(f.quantity) / math.log1p(max_q) if max_q > 0 else 1,
                  title_lines=lines, kinds=[kind])


# ------------------------------------------------------------------ aggregated to areas


def _areas(net, spec, unmet, idle, flows, owner_area, focus, max_nodes):
    spec.aggregated = True
    ids = pd.Index(list(unmet.index) + list(idle.index), dtype=object)
    level, groups, _ = choose_level(net, owner_area.reindex(ids).astype(object), max_nodes,
                                    aggregation_levels(net, focus.area))
    spec.level = level
    per = _per_area(unmet, idle, groups)
    gids = list(per.index)
    _area_nodes(net, spec, per)
    _area_flows(net, spec, flows, groups)
    a = net.areas
    xy, _ = _map_pixels(a["lon"].reindex(gids).to_numpy(dtype=float), a["lat"].reindex(gids).to_numpy(dtype=float))
    spec.place(xy, normalise=False)
    spec.notes.append(
        f"{len(ids):,} demands and resources exceed max_nodes={max_nodes:,}: shown aggregated to {level} level "
        f"— {len(gids):,} areas (by their owners) coloured by the share of their open demands fully met; "
        f"flows between two areas drawn as one edge (width: assignments; quantities per category). "
        f"Drill into one area with focus='<area id>', or raise max_nodes.")
    spec.legend.append({"title": "Share of open demands fully met 需求满足率 (size: demands + resources)", "items": [
        swatch(label, colour) for _, colour, label in RATE_BINS] + [swatch("no open demand", NO_DATA)]})
    spec.legend.append({"title": "Flows 匹配 (width: assignments)", "items": [
        line("owners already tied 已有联系", FLOW_COLOURS["existing partners"]),
        line("only new pairings 新结对", FLOW_COLOURS["new pairing"], True)]})
    spec.filters = spec.filters_of(value_filter("share", "Demands fully met", spec.attr("share"),
                                                [b[2] for b in RATE_BINS] + ["no data"]))


def _per_area(unmet, idle, groups) -> pd.DataFrame:
    """Per area: demands and resources counted, never quantities of different categories summed."""
    met = (unmet["unmet"].to_numpy(float) <= 1e-9 * np.maximum(1.0, unmet["quantity"].to_numpy(float)))
    dem = pd.DataFrame({"g": groups.reindex(unmet.index).to_numpy(), "demands": 1, "met": met.astype(int)})
    used = idle["used"].to_numpy(float) > 0
    res = pd.DataFrame({"g": groups.reindex(idle.index).to_numpy(), "resources": 1, "used": used.astype(int)})
    return dem.groupby("g").sum().join(res.groupby("g").sum(), how="outer").fillna(0).astype(int)


def _area_nodes(net, spec, per):
    anames = area_names(net)
    node_sizes = sizes((per["demands"] + per["resources"]).to_numpy(float), 10, 34)
    for n, g in enumerate(per.index):
        row = per.loc[g]
        share = row["met"] / row["demands"] if row["demands"] > 0 else float("nan")
        colour, label = bin_colour(share, RATE_BINS)
        lines = [f"{text(anames.get(g, g))} ({g})",
                 f"open demands: {row['demands']:,} · fully met {row['met']:,} ({pct(share)})",
                 f"resources: {row['resources']:,} · used {row['used']:,} · unused {row['resources'] - row['used']:,}"]
        spec.node(g, anames.get(g, g), lines, colour, node_sizes[n],
                  attrs={"name": text(anames.get(g, g)), "kind": "area", "share": label})


def _area_flows(net, spec, flows, groups):
    """One edge per pair of areas: width by the number of assignments, quantities listed per category."""
    anames = area_names(net)
    fl = pd.DataFrame({"a": flows["resource"].map(groups).to_numpy(), "b": flows["demand"].map(groups).to_numpy(),
                       "c": flows["category"].astype(object).to_numpy(), "q": flows["quantity"].to_numpy(),
                       "new": (~flows["existing_partner"].astype(bool)).to_numpy()})
    fl = fl[fl["a"].notna() & fl["b"].notna() & (fl["a"] != fl["b"])]
    agg = fl.groupby(["a", "b"]).agg(n=("q", "size"), new=("new", "sum")).reset_index()
    per_cat = fl.groupby(["a", "b", "c"])["q"].sum()
    mn = float(agg["n"].max()) if len(agg) else 1.0
    for f in agg.itertuples(index=False):
        kind = "new pairing" if f.new == f.n else "existing partners"
        qs = per_cat.loc[(f.a, f.b)]
        spec.edge(f.a, f.b, colour=FLOW_COLOURS[kind], dashes=kind == "new pairing",
                  width=1 + 6 * math.log1p(f.n) / math.log1p(mn),
                  title_lines=[f"{text(anames.get(f.a, f.a))} → {text(anames.get(f.b, f.b))}",
                               f"{int(f.n)} assignments ({int(f.new)} new pairings)",
                               " · ".join(f"{bilingual('category', text(c))} {num(q)}" for c, q in qs.items())],
                  kinds=[kind])


VIEW = View("sharing", build, analysis="orgnet.sharing", tab="Sharing 共享")
