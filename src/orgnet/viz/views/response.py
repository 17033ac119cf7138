"""The ``response`` view: who solves whose problems (:func:`orgnet.response.case_summary`, 吹哨报到).

Departments — the organisations and units cases were routed to — sized by the
cases they closed and coloured by their closure rate
(:data:`~orgnet.viz.palette.RATE_BINS`); the communities (streets, ...) where
cases were raised, sized by the cases raised there; one edge from an area to a
department per pair with cases, its width the number of cases. Hover: cases,
closed, closure rate, median days, share closed within the deadline and
satisfaction among closed cases with an answer. Above ``max_nodes`` the areas
are drawn at a coarser level, then only the departments with the most cases.
"""

from __future__ import annotations

import pandas as pd

from ..palette import CATEGORY_COLOURS, NO_DATA, RATE_BINS, bilingual
from .spec import (LEVEL_RANK, Focus, View, ViewOptions, ViewSpec, bin_colour, capture, codes, entity_names,
                   group_at, line, num, pct, sizes, subtree, swatch, text, value_filter)

__all__ = ["build", "VIEW"]

_UNROUTED = "(unrouted)"


def build(net, *, when, focus: Focus, max_nodes: int, params: dict, seed, options: ViewOptions) -> ViewSpec:
    """The response view of ``net`` at ``when``: departments sized by cases closed, areas by cases raised.

    Parameters
    ----------
    net : OrgNetwork
    when : Timestamp
        The as-of date (``net.resolve_as_of(as_of)``).
    focus : Focus
        The area whose cases are drawn (the areas in it, the departments their
        cases went to; a department's figures stay network-wide) and the entity outlined.
    max_nodes : int
        Above this many areas and departments the areas are drawn at a coarser
        level, then only the departments with the most cases.
    params : dict
        Keyword arguments of :func:`orgnet.response.case_summary` other than
        ``by`` (``within_days``: default 7).
    seed : int or numpy.random.Generator
        Seed of the force layout.
    options : ViewOptions
        Not used by this view.

    Returns
    -------
    ViewSpec
        What :func:`orgnet.viz.interactive` draws (see :func:`orgnet.viz.interactive`).

    Raises
    ------
    OrgnetMissingDataError
        The network has no ``cases`` table.

    Examples
    --------
    >>> import orgnet
    >>> from orgnet.viz import views
    >>> net = orgnet.datasets.load("demo")
    >>> spec = build(net, when=net.resolve_as_of(None), focus=views.Focus(), max_nodes=5000, params={},
    ...              seed=0, options=views.ViewOptions())
    >>> len(spec.nodes), len(spec.edges)  # 9 departments, the 6 communities cases came from; 11 pairs
    (15, 11)
    >>> {d["id"]: d["attrs"]["closed"] for d in spec.nodes if d["id"] in ("U04", "U07", "O13")}
    {'O13': 0, 'U04': 2, 'U07': 1}
    """
    from ... import response

    spec = ViewSpec("response", "Whistle-and-report: who solves whose problems 吹哨报到")
    kwargs = {"within_days": 7, **params}
    kwargs.pop("by", None)
    depts = capture(response.case_summary, net, by="routed_to", as_of=when, notes=spec.notes, **kwargs)
    spec.params.update({k: v for k, v in depts.attrs.items() if k not in ("func", "by", "total", "outside")})
    levels = ["community", "street", "district", "city"]
    if focus.area is not None:
        levels = [lv for lv in levels if LEVEL_RANK[lv] > LEVEL_RANK[net.areas.at[focus.area, "level"]]] \
            or [net.areas.at[focus.area, "level"]]
        spec.focus_on(entity_names(net), focus.area)
    levels = [lv for lv in levels if (net.areas["level"] == lv).any()] or ["district"]
    pairs, areas, level, outside = None, None, None, 0
    for lv in levels:
        pairs, outside = _pairs(net, when, lv)
        if focus.area is not None:
            pairs = pairs[pairs["area"].isin(set(subtree(net, focus.area))).to_numpy()]
        areas, level = pairs["area"].unique(), lv
        if len(areas) + pairs["routed_to"].nunique() <= max_nodes:
            break
    shown = depts[depts.index.isin(set(pairs["routed_to"]))]
    if len(areas) + len(shown) > max_nodes:
        keep = max(max_nodes - len(areas), 1)
        order = shown.sort_values(["cases", "closed"], ascending=False, kind="stable")
        dropped = len(shown) - keep
        shown = shown.loc[order.index[:keep]]
        pairs = pairs[pairs["routed_to"].isin(set(shown.index)).to_numpy()]
        spec.notes.append(f"{dropped:,} departments with the fewest cases are not drawn (max_nodes={max_nodes:,}).")
    if level != levels[0]:
        spec.aggregated = True
        spec.level = level
        spec.notes.append(f"The areas where cases were raised are drawn at {level} level to fit "
                          f"max_nodes={max_nodes:,}. Drill into one area with focus='<area id>', or raise max_nodes.")
    if outside:
        spec.notes.append(f"{outside:,} case(s) raised above {level} level are not drawn as edges.")
    if focus.area is not None:
        spec.notes.append("Department figures (size, colour, hover) count all their cases, not only those "
                          "raised in the focus area; edge widths count the focus area's cases.")
    if len(shown) == 0:
        spec.notes.append(f"No cases raised by {when:%Y-%m-%d}" + (" in this area." if focus.area else "."))
        return spec
    by_area = capture(response.case_summary, net, by=level, as_of=when, notes=spec.notes, **kwargs)
    _departments(net, spec, shown, focus, kwargs["within_days"])
    _areas(net, spec, by_area.reindex(pd.Index(sorted(set(pairs["area"])), dtype=object)), level, focus)
    width = sizes(pairs["cases"].to_numpy(), 1.0, 8.0)
    for (a, d, k), w in zip(pairs[["area", "routed_to", "cases"]].itertuples(index=False), width):
        spec.edge(a, d, colour="#85929e", width=w, title_lines=[f"{k:,} case(s) raised in {a}, routed to {d}"],
                  kinds=["routed"])
    # large views: laid out in two levels, by the street of each area or department's seat
    ids = pd.Series([d["id"] for d in spec.nodes], dtype=object)
    home = ids.where(ids.isin(net.areas.index), ids.map(net.entity_areas))
    spec.layout_graph([codes(group_at(net, home, lv)) for lv in ("street", "district")], seed, spacing=90.0)
    _legend(spec, level)
    return spec


def _pairs(net, when, level) -> tuple[pd.DataFrame, int]:
    """Cases raised by ``when`` per (area of ``level`` they were raised in, routed_to): drawing
    work for the edges; and the number raised above the level."""
    c = net.cases
    c = c[(c["raised"] <= when).to_numpy()]
    area = net.ancestor(pd.Series(c["area"].astype(object).to_numpy(), index=c.index), level)
    routed = c["routed_to"].astype(object)
    routed = routed.where(routed.notna(), _UNROUTED)
    ok = area.notna().to_numpy()
    df = pd.DataFrame({"area": area.to_numpy(dtype=object)[ok], "routed_to": routed.to_numpy(dtype=object)[ok]})
    out = df.groupby(["area", "routed_to"], sort=True).size().rename("cases").reset_index()
    return out, int((~ok).sum())


def _satisfied(share) -> str:
    if pd.isna(share):
        return "satisfied 满意: – (no closed case with an answer)"
    return f"satisfied 满意: {pct(share)} of closed cases with an answer"


def _departments(net, spec, shown, focus, within_days):
    kinds = net.entity_kinds
    node_sizes = sizes(shown["closed"].to_numpy(), 10.0, 34.0)
    for n, (did, r) in enumerate(shown.iterrows()):
        kind = "unrouted" if did == _UNROUTED else text(kinds.get(did, "organisation"))
        colour, label = (NO_DATA, "unrouted 未分派") if did == _UNROUTED else bin_colour(r["closure_rate"],
                                                                                         RATE_BINS)
        name = "unrouted 未分派" if did == _UNROUTED else text(r["name"])
        lines = [name, f"{did} · department 报到部门 ({kind})" if did != _UNROUTED else "cases routed to nobody",
                 f"cases 事项: {int(r['cases']):,}",
                 f"closed 办结: {int(r['closed']):,} ({pct(r['closure_rate'])} of its cases)",
                 f"median days, raised to closed: {num(r['median_days'], 1)}",
                 f"closed within {within_days} days: {pct(r['closed_within'])} of its cases"
                 if within_days is not None else "",
                 _satisfied(r["satisfaction"])]
        spec.node(did, name, lines, colour, node_sizes[n],
                  shape="square" if kind == "unit" else "dot",
                  border="#17202a" if did == focus.entity else None, border_width=4 if did == focus.entity else 1,
                  attrs={"name": name, "kind": "department", "closure": label, "closed": int(r["closed"])})


def _areas(net, spec, by_area, level, focus):
    node_sizes = sizes(by_area["cases"].to_numpy(), 8.0, 24.0)
    for n, (aid, r) in enumerate(by_area.iterrows()):
        lines = [text(r["name"]), f"{aid} · {bilingual('level', level)}",
                 f"cases raised here (or below) 吹哨: {int(r['cases']):,}",
                 f"closed: {int(r['closed']):,} ({pct(r['closure_rate'])} of them)",
                 _satisfied(r["satisfaction"])]
        spec.node(aid, r["name"], lines, CATEGORY_COLOURS["area"], node_sizes[n], shape="triangle",
                  border="#17202a" if aid == focus.entity else None, border_width=4 if aid == focus.entity else 1,
                  attrs={"name": text(r["name"]), "kind": "area", "closure": "(area)",
                         "closed": int(r["closed"])})


def _legend(spec, level):
    spec.legend.append({"title": "Departments: closure rate 办结率 (size: cases closed)", "items": [
        swatch(label, colour) for _, colour, label in RATE_BINS] + [swatch("unrouted 未分派", NO_DATA)]})
    spec.legend.append({"title": "Where cases were raised 吹哨", "items": [
        swatch(f"{bilingual('level', level)} (size: cases raised)", CATEGORY_COLOURS["area"], "triangle"),
        line("cases raised there, routed to the department (width: cases)", "#85929e")]})
    spec.legend.append({"title": "shape: square = unit, dot = organisation", "items": []})
    spec.filters = spec.filters_of(
        value_filter("kind", "Kind 类型", spec.attr("kind"), ["department", "area"]),
        value_filter("closure", "Closure rate 办结率", spec.attr("closure"),
                     [b[2] for b in RATE_BINS] + ["unrouted 未分派", "(area)"]),
    )


VIEW = View("response", build, analysis="orgnet.response", tab="Response 吹哨", physics=True)
