"""The ``vacuum`` view: a map of vacuum places and service circles (:func:`orgnet.vacuum.vacuum_areas`).

Grids (squares) and compounds (dots) at their coordinates, coloured by their
first vacuum reason (a second reason colours the border); stations with their
service circles drawn to scale. Above ``max_nodes`` communities (streets, ...)
coloured by their share of vacuum places (:func:`orgnet.vacuum.vacuum_summary`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import schema
from .. import layout
from ..palette import (CATEGORY_COLOURS, NO_DATA, NOT_VACUUM_COLOUR, REASON_COLOURS, REASON_ZH, SHARE_BINS,
                       bilingual)
from .spec import (LEVEL_RANK, Focus, View, ViewOptions, ViewSpec, bin_colour, capture, entity_names, num, pct,
                   sizes, subtree, swatch, text, value_filter)

__all__ = ["build", "VIEW", "geo_anchor", "map_pixels"]

_STATION = {"kind": "station", "level": "(station)", "reason": ["(station)"], "share": "(station)"}


def _reason(x: str) -> str:
    return f"{x} {REASON_ZH[x]}"


def build(net, *, when, focus: Focus, max_nodes: int, params: dict, seed, options: ViewOptions) -> ViewSpec:
    """The vacuum map of ``net`` at ``when``: grids and compounds by vacuum reason, stations and their circles.

    Parameters
    ----------
    net : OrgNetwork
    when : Timestamp
        The as-of date (``net.resolve_as_of(as_of)``).
    focus : Focus
        The area whose places and stations are drawn, and the entity outlined.
    max_nodes : int
        Above this many places and stations (each station counts twice: it and its circle) communities
        (streets, ...) are drawn instead.
    params : dict
        Keyword arguments of :func:`orgnet.vacuum.vacuum_areas` (and of
        :func:`orgnet.vacuum.vacuum_summary` when aggregated).
    seed : int or numpy.random.Generator
        Not used (a map has no randomness).
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
    >>> len(spec.nodes), len(spec.edges)  # 44 places, 6 stations and their 6 circles; no edges
    (56, 0)
    """
    from ... import vacuum

    spec = ViewSpec("vacuum", "Vacuum places and service circles 真空区域与服务圈")
    spec.geographic = True
    va = capture(vacuum.vacuum_areas, net, as_of=when, notes=spec.notes, **params)
    spec.params.update({k: v for k, v in va.attrs.items() if k not in ("func",)})
    st = net.stations
    sub = None
    if focus.area is not None:
        sub = set(subtree(net, focus.area))
        va = va[va.index.isin(sub)]
        st = st[st["area"].isin(sub).to_numpy()]
        name = spec.focus_on(entity_names(net), focus.area)
        spec.notes.append(f"Focus on {name} ({focus.area}): {len(va):,} places, {len(st):,} stations located in it.")
    st, radius = _located_stations(net, spec, st, params)
    if len(va) == 0 and len(st) == 0:
        spec.notes.append("No places (grids, compounds) or stations to draw.")
        return spec
    if len(va) + 2 * len(st) <= max_nodes:
        rows = _places(net, spec, va, focus)
    else:
        rows, st, radius = _summary(net, spec, va, st, radius, sub, focus, when, max_nodes, params)
    _map(net, spec, rows, st, radius, focus)
    return spec


def _located_stations(net, spec, st, params):
    """The stations that have a location, and each one's service radius in metres."""
    loc = net.locations.reindex(st.index)
    radius_param = params.get("radius_m")
    default_r = schema.TABLES["stations"].column("radius_m").default
    radius = (pd.Series(float(radius_param), index=st.index) if radius_param is not None
              else st["radius_m"].astype("Float64").fillna(default_r).astype(float))
    ok = (loc["lon"].notna() & loc["lat"].notna()).to_numpy()
    if (~ok).any():
        spec.notes.append(f"{int((~ok).sum())} station(s) without a location are not drawn: "
                          + ", ".join(st.index[~ok][:10]))
    return st[ok], radius[ok]


def geo_anchor(net, ids):
    """lon/lat of areas ``ids``: their own, else their nearest located ancestor's (the anchor);
    ``missing`` marks areas without coordinates of their own."""
    a = net.areas
    lon = a["lon"].reindex(ids).to_numpy(dtype=float).copy()
    lat = a["lat"].reindex(ids).to_numpy(dtype=float).copy()
    missing = np.isnan(lon) | np.isnan(lat)
    anchor = np.array([None] * len(ids), dtype=object)
    paths = net.area_paths
    for k in np.flatnonzero(missing):
        i = ids[k]
        if i not in paths.index:
            continue
        for lv in reversed(schema.LEVELS):
            p = paths.at[i, lv]
            if p is not None and p != i and not pd.isna(a.at[p, "lon"]) and not pd.isna(a.at[p, "lat"]):
                anchor[k] = p
                lon[k], lat[k] = a.at[p, "lon"], a.at[p, "lat"]
                break
    return list(zip(lon, lat, missing, anchor))


# ------------------------------------------------------------------ places


def _places(net, spec, va, focus) -> list[tuple]:
    """One node per grid or compound, coloured by its first reason; returns their map rows."""
    from ... import vacuum

    names = entity_names(net)
    reasons = list(vacuum.reasons_of(va))
    rows = geo_anchor(net, list(va.index))
    true = va[reasons].fillna(False).astype(bool)
    pop_size = sizes(va["population"].to_numpy(dtype=object), 7, 22)
    for n, (aid, r) in enumerate(va.iterrows()):
        why = [x for x in reasons if true.at[aid, x]]
        unknown = text(r["unknown"])
        comm = r["community"]
        _, _, missing, anchor = rows[n]
        lines = [text(r["name"]), f"{aid} · {bilingual('level', text(r['level']))}",
                 f"community: {text(names.get(comm))} ({comm})" if isinstance(comm, str) else "",
                 f"population: {num(r['population'])}" if not pd.isna(r["population"]) else "",
                 ("vacuum 真空: " + ", ".join(_reason(x) for x in why)) if why else "not a vacuum place",
                 f"undecided (missing data): {unknown}" if unknown else "",
                 f"no coordinates: drawn near {names.get(anchor, anchor)}" if missing and anchor
                 else ("no coordinates: drawn in the row below the map" if missing else "")]
        spec.node(aid, r["name"], lines, REASON_COLOURS[why[0]] if why else NOT_VACUUM_COLOUR, pop_size[n],
                  shape="dot" if r["level"] != "grid" else "square",
                  border="#17202a" if aid == focus.entity else (REASON_COLOURS[why[1]] if len(why) > 1 else None),
                  border_width=4 if aid == focus.entity else (3 if len(why) > 1 else 1),
                  attrs={"name": text(r["name"]), "kind": "place", "level": text(r["level"]),
                         "reason": why or ["not a vacuum"]})
    spec.legend.append({"title": "Places by first reason 真空原因 (second reason: border)", "items": [
        swatch(_reason(x), REASON_COLOURS[x]) for x in reasons] + [swatch("not a vacuum", NOT_VACUUM_COLOUR)]})
    spec.legend.append({"title": "shape: square = grid, dot = compound; size: population", "items": []})
    spec.filters = spec.filters_of(
        value_filter("reason", "Reason 原因", spec.attr("reason"), reasons + ["not a vacuum"],
                     {k: _reason(k) for k in reasons}),
        value_filter("level", "Level 层级", spec.attr("level"), list(schema.LEVELS),
                     {k: bilingual("level", k) for k in schema.LEVELS}),
    )
    return rows


# ------------------------------------------------------------------ aggregated


def _summary(net, spec, va, st, radius, sub, focus, when, max_nodes, params):
    """One node per community (or coarser area) coloured by its share of vacuum places."""
    from ... import vacuum

    spec.aggregated = True
    levels = ["community", "street", "district"]
    if focus.area is not None:
        levels = [lv for lv in levels if LEVEL_RANK[lv] >= LEVEL_RANK[net.areas.at[focus.area, "level"]]]
    summary, level = None, None
    for lv in levels:
        s = capture(vacuum.vacuum_summary, net, by=lv, as_of=when, notes=spec.notes, **params)
        summary, level = (s if sub is None else s[s.index.isin(sub)]), lv
        if len(summary) <= max_nodes:
            break
    spec.level = level
    n_stations = len(net.stations if sub is None else st)
    if len(summary) + 2 * len(st) > max_nodes:
        spec.notes.append(f"{len(st):,} stations are not drawn at this size.")
        st, radius = st.iloc[:0], radius.iloc[:0]
    reasons = list(vacuum.reasons_of(summary))
    node_sizes = sizes(summary["places"].to_numpy(), 10, 34)
    for n, (aid, r) in enumerate(summary.iterrows()):
        share = r["vacuum"] / r["places"] if r["places"] else float("nan")
        colour, label = bin_colour(share, SHARE_BINS)
        lines = [text(r["name"]), f"{aid} · {bilingual('level', level)}",
                 f"vacuum places: {int(r['vacuum']):,} of {int(r['places']):,} ({pct(share)}), "
                 f"population {int(r['vacuum_population']):,}",
                 *[f"  {_reason(x)}: {int(r[x]):,} (population {int(r[x + '_population']):,})"
                   for x in reasons if r[x]]]
        spec.node(aid, r["name"], lines, colour, node_sizes[n],
                  attrs={"name": text(r["name"]), "kind": "area", "level": level, "share": label,
                         "reason": [x for x in reasons if r[x]] or ["not a vacuum"]})
    spec.notes.append(
        f"{len(va):,} places (with {n_stations:,} stations) exceed max_nodes={max_nodes:,}: shown aggregated "
        f"to {level} level — {len(summary):,} areas coloured by their share of vacuum places (vacuum_summary). "
        f"Drill into one area with focus='<area id>', or raise max_nodes."
    )
    spec.legend.append({"title": "Share of vacuum places 真空比例", "items": [
        swatch(label, colour) for _, colour, label in SHARE_BINS] + [swatch("no places", NO_DATA)]})
    spec.legend.append({"title": "size: number of places", "items": []})
    spec.filters = spec.filters_of(
        value_filter("share", "Vacuum share 比例", spec.attr("share"), [b[2] for b in SHARE_BINS] + ["no data"]),
        value_filter("reason", "Has places with reason 原因", spec.attr("reason"), reasons + ["not a vacuum"],
                     {k: _reason(k) for k in reasons}),
    )
    return geo_anchor(net, list(summary.index)), st, radius


# ------------------------------------------------------------------ the map


def map_pixels(rows, st_lon, st_lat):
    """Canvas positions of the places (``rows``) then the stations, and metres per pixel:
    the median nearest-neighbour distance of located nodes is ~40 px; places without
    coordinates go around their anchor, or in a row below the map."""
    xy = layout.geo_positions(np.concatenate([np.array([r[0] for r in rows], dtype=float), st_lon]),
                              np.concatenate([np.array([r[1] for r in rows], dtype=float), st_lat]))
    ok = ~np.isnan(xy).any(axis=1)
    m_per_px = 10.0
    if ok.sum() > 1:
        norm = layout.normalise(xy[ok], 40.0)
        raw = xy[ok] - xy[ok].mean(axis=0)
        span = np.abs(raw).max()
        if span > 0:
            m_per_px = float(span / max(np.abs(norm).max(), 1e-9))
    m_per_px = max(m_per_px, 0.5)
    centre = xy[ok].mean(axis=0) if ok.any() else np.zeros(2)
    px = (xy - centre) / m_per_px
    base_y = (np.nanmax(px[:, 1]) if ok.any() else 0.0) + 80.0
    row_x = np.nanmin(px[:, 0]) if ok.any() else 0.0
    around: dict = {}
    sun = layout.sunflower(len(rows) + 1) * 14.0
    k_row = 0
    for n, (_, _, missing, anchor) in enumerate(rows):
        if missing and anchor is not None:
            around[anchor] = around.get(anchor, 0) + 1
            px[n] = px[n] + sun[around[anchor]]
        elif missing:
            px[n] = (row_x + 40.0 * k_row, base_y)
            k_row += 1
    return px, m_per_px


def _circle(sid, radius_px, x, y) -> dict:
    """A station's service circle: a translucent disc of the radius to scale, under everything."""
    return {"id": f"circle:{sid}", "label": "", "shape": "dot", "size": round(radius_px, 1),
            "color": {"background": "rgba(39,174,96,0.10)", "border": "rgba(39,174,96,0.45)",
                      "highlight": {"background": "rgba(39,174,96,0.18)", "border": "#1e8449"},
                      "hover": {"background": "rgba(39,174,96,0.14)", "border": "#1e8449"}},
            "borderWidth": 1, "x": round(float(x), 1), "y": round(float(y), 1),
            "attrs": {**_STATION, "kind": "service circle"},
            "scaling": {"min": 1, "max": 100000}, "fixed": True, "physics": False, "chosen": False}


def _map(net, spec, rows, st, radius, focus):
    """Place the nodes on the map; add the stations and their circles (circles first: drawn underneath)."""
    names = entity_names(net)
    loc = net.locations.reindex(st.index)
    px, m_per_px = map_pixels(rows, loc["lon"].to_numpy(dtype=float), loc["lat"].to_numpy(dtype=float))
    places = list(spec.nodes)
    spec.place(px[: len(rows)], normalise=False, nodes=places)
    station_px = px[len(rows):]
    spec.nodes = [_circle(sid, float(radius[sid]) / m_per_px, x, y) for sid, (x, y) in zip(st.index, station_px)]
    spec.nodes += places
    for (sid, r), (x, y) in zip(st.iterrows(), station_px):
        lines = [text(r["name"]), f"{sid} · station 阵地 · {text(r['type'])}",
                 f"service radius: {num(radius[sid])} m (circle drawn to scale)",
                 f"floor area: {num(r['floor_area_m2'])} m²" if not pd.isna(r["floor_area_m2"]) else "",
                 f"area: {text(names.get(r['area']))} ({r['area']})",
                 "location: its area's centre" if net.locations.at[sid, "source"] == "area" else ""]
        d = spec.node(sid, r["name"], lines, CATEGORY_COLOURS["station"], 14, shape="diamond",
                      border="#17202a" if sid == focus.entity else "#145a32", border_width=2,
                      attrs={"name": text(r["name"]), **_STATION})
        d["x"], d["y"] = round(float(x), 1), round(float(y), 1)
    if len(st):
        spec.legend.append({"title": "Stations 阵地", "items": [
            swatch("station", CATEGORY_COLOURS["station"], "diamond", "#145a32"),
            {"label": "service circle (radius to scale)", "shape": "", "dashed": False,
             "style": "background-color:rgba(39,174,96,0.15);border-color:rgba(39,174,96,0.6)"}]})
    spec.filters.insert(0, value_filter("kind", "Kind 类型", spec.attr("kind"),
                                        ["place", "area", "station", "service circle"]))
    spec.params["metres_per_pixel"] = round(m_per_px, 3)


VIEW = View("vacuum", build, analysis="orgnet.vacuum", tab="Vacuum 真空")
