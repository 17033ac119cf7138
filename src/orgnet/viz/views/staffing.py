"""The ``staffing`` view: a map of grids coloured by staffing (:func:`orgnet.staffing.people_by_area`).

Grids (squares) at their coordinates, coloured by the people placed in them (or
below) per 1,000 residents (:data:`~orgnet.viz.palette.STAFF_BINS`); a grid with
nobody in place (the vacuum reason ``unstaffed``) is filled with the gap colour,
a grid short of a full-time grid worker (:func:`orgnet.staffing.rule_gaps`) has
a gap border; size grows with the people placed. Stations (diamonds) short of
staff have a gap border. Above ``max_nodes`` communities (streets, ...) are
drawn instead, with the same colours and the number of their grids with
nobody or short of a grid worker in the hover text.
"""

from __future__ import annotations

import pandas as pd

from ..palette import CATEGORY_COLOURS, GAP_BORDER, NO_DATA, STAFF_BINS, UNSTAFFED_COLOUR, bilingual
from .spec import (LEVEL_RANK, Focus, View, ViewOptions, ViewSpec, bin_colour, capture, entity_names, num, ring,
                   sizes, subtree, swatch, text, value_filter)
from .vacuum import geo_anchor, map_pixels

__all__ = ["build", "VIEW"]

_NOBODY = "nobody in place 无人员"
_SHORT = "short of a grid worker 缺专职网格员"
_OK = "grid worker in place"
_NO_RESIDENTS = "no residents recorded"


def build(net, *, when, focus: Focus, max_nodes: int, params: dict, seed, options: ViewOptions) -> ViewSpec:
    """The staffing map of ``net`` at ``when``: grids by people per 1,000 residents, unstaffed grids in the gap colour.

    Parameters
    ----------
    net : OrgNetwork
    when : Timestamp
        The as-of date (``net.resolve_as_of(as_of)``).
    focus : Focus
        The area whose grids and stations are drawn, and the entity outlined.
    max_nodes : int
        Above this many grids and stations communities (streets, ...) are drawn instead.
    params : dict
        Keyword arguments of :func:`orgnet.staffing.rule_gaps` (``grid_workers_per_grid``,
        ``staff_per_station``, ``building_heads_per_building``).
    seed : int or numpy.random.Generator
        Not used (a map has no randomness).
    options : ViewOptions
        Not used by this view.

    Returns
    -------
    ViewSpec
        What :func:`orgnet.viz.interactive` draws (see :func:`orgnet.viz.interactive`).

    Raises
    ------
    OrgnetMissingDataError
        The network has no ``people`` table.

    Examples
    --------
    >>> import orgnet
    >>> from orgnet.viz import views
    >>> net = orgnet.datasets.load("demo")
    >>> spec = build(net, when=net.resolve_as_of(None), focus=views.Focus(), max_nodes=5000, params={},
    ...              seed=0, options=views.ViewOptions())
    >>> len(spec.nodes), len(spec.edges)  # 22 grids and 6 stations; no edges
    (28, 0)
    >>> [d["attrs"]["gap"] for d in spec.nodes if d["id"] in ("G134", "G233")]
    ['nobody in place 无人员', 'short of a grid worker 缺专职网格员']
    """
    from ... import staffing

    spec = ViewSpec("staffing", "Staffing of grids 网格人员配置")
    spec.geographic = True
    gaps = capture(staffing.rule_gaps, net, as_of=when, notes=spec.notes, **params)
    spec.params.update({k: v for k, v in gaps.attrs.items() if k != "func"})
    grids = capture(staffing.people_by_area, net, level="grid", as_of=when, notes=spec.notes)
    st = net.stations
    sub = None
    if focus.area is not None:
        sub = set(subtree(net, focus.area))
        grids = grids[grids.index.isin(sub)]
        st = st[st["area"].isin(sub).to_numpy()]
        name = spec.focus_on(entity_names(net), focus.area)
        spec.notes.append(f"Focus on {name} ({focus.area}): {len(grids):,} grids, {len(st):,} stations in it.")
    loc = net.locations.reindex(st.index)
    located = (loc["lon"].notna() & loc["lat"].notna()).to_numpy()
    if (~located).any():
        spec.notes.append(f"{int((~located).sum())} station(s) without a location are not drawn: "
                          + ", ".join(st.index[~located][:10]))
    st = st[located]
    short_grid = set(gaps.index[(gaps["rule"].astype(object) == "grid_workers_per_grid").to_numpy()])
    if len(grids) == 0 and len(st) == 0:
        spec.notes.append("No grids or stations to draw.")
        return spec
    if len(grids) + len(st) <= max_nodes:
        rows = _grids(spec, grids, short_grid, focus, net)
    else:
        rows, st = _areas(net, spec, grids, st, short_grid, sub, focus, when, max_nodes)
    _stations(net, spec, rows, st, gaps, focus)
    return spec


def _colour(total, per_1000) -> tuple[str, str]:
    """(colour, label) of a place: the gap colour when nobody is in place, else its bin."""
    if total == 0:
        return UNSTAFFED_COLOUR, _NOBODY
    if pd.isna(per_1000):
        return NO_DATA, _NO_RESIDENTS
    return bin_colour(per_1000, STAFF_BINS)


def _lines(r, aid, level, names) -> list[str]:
    return [text(r["name"]), f"{aid} · {bilingual('level', level)}",
            f"people in place 在岗人员: {num(r['total'])}",
            f"  grid workers 专职网格员: {num(r['grid_worker'])}",
            f"  in-service members 双报到党员: {num(r['in_service_member'])}",
            f"population: {num(r['population'])}" if not pd.isna(r["population"]) else "no residents recorded",
            f"per 1,000 residents: {num(r['per_1000'])}" if not pd.isna(r["per_1000"]) else "",
            f"service posts claimed 认领岗位: {num(r['posts'])}"]


def _grids(spec, grids, short_grid, focus, net) -> list[tuple]:
    names = entity_names(net)
    node_sizes = sizes(grids["total"].to_numpy(), 8.0, 26.0)
    for n, (aid, r) in enumerate(grids.iterrows()):
        colour, label = _colour(r["total"], r["per_1000"])
        gap = _NOBODY if r["total"] == 0 else (_SHORT if aid in short_grid else _OK)
        lines = _lines(r, aid, "grid", names) + ([f"gap: {gap}"] if gap != _OK else [])
        spec.node(aid, r["name"], lines, colour, node_sizes[n], shape="square",
                  border="#17202a" if aid == focus.entity else (GAP_BORDER if gap == _SHORT else None),
                  border_width=4 if aid == focus.entity else (3 if gap == _SHORT else 1),
                  attrs={"name": text(r["name"]), "kind": "grid", "staffing": label, "gap": gap})
    _legend(spec, "Grids: people in place per 1,000 residents 每千人在岗人员")
    spec.legend.append({"title": "Gaps 缺口", "items": [swatch(_NOBODY, UNSTAFFED_COLOUR, "square"),
                                                      ring(_SHORT + " (border)", GAP_BORDER)]})
    spec.legend.append({"title": "shape: square = grid, diamond = station; size: people in place", "items": []})
    return geo_anchor(net, list(grids.index))


def _legend(spec, title):
    spec.legend.append({"title": title, "items": [swatch(label, colour) for _, colour, label in STAFF_BINS]
                        + [swatch(_NO_RESIDENTS, NO_DATA)]})


def _areas(net, spec, grids, st, short_grid, sub, focus, when, max_nodes):
    """One node per community (or coarser area), coloured as a grid would be."""
    from ... import staffing

    spec.aggregated = True
    levels = ["community", "street", "district"]
    if focus.area is not None:
        levels = [lv for lv in levels if LEVEL_RANK[lv] >= LEVEL_RANK[net.areas.at[focus.area, "level"]]]
    table, level = None, None
    for lv in levels:
        t = capture(staffing.people_by_area, net, level=lv, as_of=when, notes=spec.notes)
        table, level = (t if sub is None else t[t.index.isin(sub)]), lv
        if len(table) <= max_nodes:
            break
    spec.level = level
    if len(table) + len(st) > max_nodes:
        spec.notes.append(f"{len(st):,} stations are not drawn at this size.")
        st = st.iloc[:0]
    up = net.area_paths[level].reindex(grids.index)
    nobody = (grids["total"] == 0).groupby(up.to_numpy(dtype=object)).sum()
    short = pd.Series(grids.index.isin(list(short_grid)), index=grids.index).groupby(up.to_numpy(dtype=object)).sum()
    count = up.groupby(up.to_numpy(dtype=object)).size()
    names = entity_names(net)
    node_sizes = sizes(table["total"].to_numpy(), 10.0, 34.0)
    for n, (aid, r) in enumerate(table.iterrows()):
        colour, label = _colour(r["total"], r["per_1000"])
        k, e, s = int(count.get(aid, 0)), int(nobody.get(aid, 0)), int(short.get(aid, 0))
        lines = _lines(r, aid, level, names) + [f"grids: {k:,}; with nobody in place: {e:,}; "
                                                f"short of a grid worker: {s:,}"]
        spec.node(aid, r["name"], lines, colour, node_sizes[n],
                  border=GAP_BORDER if e or s else None, border_width=3 if e or s else 1,
                  attrs={"name": text(r["name"]), "kind": "area", "staffing": label,
                         "gap": "has grids short or empty" if e or s else "no grid short"})
    spec.notes.append(
        f"{len(grids):,} grids (with {len(net.stations if sub is None else st):,} stations) exceed "
        f"max_nodes={max_nodes:,}: shown aggregated to {level} level — {len(table):,} areas coloured by their "
        f"people per 1,000 residents (people_by_area). Drill into one area with focus='<area id>', or raise "
        f"max_nodes.")
    _legend(spec, f"{bilingual('level', level)}: people in place per 1,000 residents 每千人在岗人员")
    spec.legend.append({"title": "Gaps 缺口", "items": [swatch(_NOBODY, UNSTAFFED_COLOUR),
                                                      ring("has grids with nobody or short of a grid worker",
                                                           GAP_BORDER)]})
    spec.legend.append({"title": "size: people in place", "items": []})
    return geo_anchor(net, list(table.index)), st


def _stations(net, spec, rows, st, gaps, focus):
    """Place the area nodes on the map; add the stations, short ones with a gap border."""
    names = entity_names(net)
    loc = net.locations.reindex(st.index)
    px, _ = map_pixels(rows, loc["lon"].to_numpy(dtype=float), loc["lat"].to_numpy(dtype=float))
    spec.place(px[: len(rows)], normalise=False)
    short = gaps[(gaps["rule"].astype(object) == "staff_per_station").to_numpy()]
    for (sid, r), (x, y) in zip(st.iterrows(), px[len(rows):]):
        is_short = sid in short.index
        lines = [text(r["name"]), f"{sid} · station 阵地 · {text(r['type'])}",
                 f"area: {text(names.get(r['area']))} ({r['area']})",
                 (f"short of staff: {int(short.at[sid, 'actual'])} of {int(short.at[sid, 'required'])} required"
                  if is_short else "staffed to the rule")]
        d = spec.node(sid, r["name"], lines, CATEGORY_COLOURS["station"], 14, shape="diamond",
                      border="#17202a" if sid == focus.entity else (GAP_BORDER if is_short else "#145a32"),
                      border_width=3 if is_short or sid == focus.entity else 2,
                      attrs={"name": text(r["name"]), "kind": "station", "staffing": "(station)",
                             "gap": "station short of staff" if is_short else "station staffed"})
        d["x"], d["y"] = round(float(x), 1), round(float(y), 1)
    if len(st):
        spec.legend.append({"title": "Stations 阵地", "items": [
            swatch("station", CATEGORY_COLOURS["station"], "diamond", "#145a32"),
            ring("station short of staff (border)", GAP_BORDER)]})
    spec.filters = spec.filters_of(
        value_filter("kind", "Kind 类型", spec.attr("kind"), ["grid", "area", "station"]),
        value_filter("staffing", "Per 1,000 residents 每千人", spec.attr("staffing"),
                     [_NOBODY] + [b[2] for b in STAFF_BINS] + [_NO_RESIDENTS, "(station)"]),
        value_filter("gap", "Gap 缺口", spec.attr("gap"), [_NOBODY, _SHORT, _OK]),
    )


VIEW = View("staffing", build, analysis="orgnet.staffing", tab="Staffing 人员")
