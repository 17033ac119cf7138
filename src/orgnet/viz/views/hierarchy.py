"""The ``hierarchy`` view: the area tree and its territorial organisations
(:func:`orgnet.coverage.place_coverage`).

Radial or top-down (``options.tree``); streets, communities and grids with no
territorial organisation seated there outlined in red; weak (软弱涣散)
organisations dashed. Above ``max_nodes`` the deepest levels are dropped
(and counted in their ancestors' hover text).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import schema
from .. import layout
from ..palette import FORM_COLOURS, GAP_BORDER, LEVEL_COLOURS, bilingual
from .spec import (Focus, View, ViewOptions, ViewSpec, capture, entity_names, num, ring, sizes, subtree, swatch,
                   text, value_filter)

__all__ = ["build", "VIEW"]

_TRIANGLES = ("city", "district", "street")
_GAP_LEVELS = ("street", "community", "grid")


def build(net, *, when, focus: Focus, max_nodes: int, params: dict, seed, options: ViewOptions) -> ViewSpec:
    """The hierarchy view of ``net`` at ``when``: every area and its seated territorial organisations.

    Parameters
    ----------
    net : OrgNetwork
    when : Timestamp
        The as-of date (``net.resolve_as_of(as_of)``).
    focus : Focus
        The area drawn (its subtree and its ancestors) and the entity outlined.
    max_nodes : int
        Above this many areas and organisations the deepest levels are dropped.
    params : dict
        Not used: the view draws :func:`orgnet.coverage.place_coverage` with its defaults.
    seed : int or numpy.random.Generator
        Not used (a tidy tree has no randomness).
    options : ViewOptions
        ``options.tree``: ``"radial"`` or ``"top-down"``.

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
    >>> len(spec.nodes), len(spec.edges)  # 59 areas and 31 organisations; one edge to each node's parent.
    (90, 89)
    """
    spec = ViewSpec("hierarchy", "Area hierarchy and territorial organisations 区域层级与党组织")
    a = net.areas
    keep = np.ones(len(a), dtype=bool)
    if focus.area is not None:  # the focus area's subtree and its ancestors
        chain = set(x for x in net.area_paths.loc[focus.area].dropna())
        keep = a.index.isin(set(subtree(net, focus.area)) | chain)
        spec.focus_on(entity_names(net), focus.area)
    levels_present = [lv for lv in schema.LEVELS if (a["level"][keep] == lv).any()]
    seated, organised = _seated(net, spec, levels_present, when)
    spec.params.update(as_of=when)
    shown_levels, below = _fit(net, spec, keep, levels_present, seated, max_nodes)
    areas = a[keep & a["level"].isin(shown_levels).to_numpy()]
    parent = _area_nodes(net, spec, areas, organised, seated, below, focus)
    org_ids = _organisation_nodes(net, spec, areas, seated, parent, focus)
    pos = layout.tree_positions(np.array(parent), radial=options.radial)
    spec.place(pos * 60.0, normalise=False)
    _legend(net, spec, shown_levels, org_ids)
    return spec


def _seated(net, spec, levels, when):
    """Territorial organisations seated in each area, and whether each place is organised."""
    from ... import coverage

    seated: dict[str, list[str]] = {}
    organised: dict[str, bool] = {}
    for lv in levels:
        pc = capture(coverage.place_coverage, net, level=lv, as_of=when, notes=spec.notes)
        for aid, orgs, ok in zip(pc.index, pc["organisations"], pc["organised"]):
            organised[aid] = bool(ok)
            if isinstance(orgs, str) and orgs:
                seated[aid] = orgs.split(",")
    return seated, organised


def _fit(net, spec, keep, levels_present, seated, max_nodes):
    """Drop the deepest levels until areas + organisations fit; the levels shown and, per
    deepest shown area, the number of areas below it not drawn."""
    a = net.areas

    def at(lvls):
        return keep & a["level"].isin(lvls).to_numpy()

    def count(lvls):
        m = at(lvls)
        return int(m.sum()) + sum(len(seated.get(i, ())) for i in a.index[m])

    shown = list(levels_present)
    hidden = []
    while len(shown) > 1 and count(shown) > max_nodes:
        dropped = shown.pop()
        m = at([dropped])
        hidden.append((dropped, int(m.sum()), sum(len(seated.get(i, ())) for i in a.index[m])))
    if not hidden:
        return shown, {}
    spec.aggregated = True
    spec.level = shown[-1]
    parts = "; ".join(f"{n:,} {lv} areas and their {k:,} organisations" for lv, n, k in reversed(hidden))
    spec.notes.append(
        f"{count(levels_present):,} nodes exceed max_nodes={max_nodes:,}: shown down to {spec.level} level "
        f"({count(shown):,} nodes). Not drawn: {parts} (counted in each area's hover text). "
        f"Drill into one area with focus='<area id>', or raise max_nodes."
    )
    hid = a[at([lv for lv, _, _ in hidden])]
    anc = net.area_paths.loc[hid.index, shown[-1]]
    return shown, anc.groupby(anc).size().to_dict()


def _area_nodes(net, spec, areas, organised, seated, below, focus) -> list[int]:
    """One node per area, and one edge to its parent; returns the parent index of each node."""
    area_sizes = sizes(areas["population"].to_numpy(dtype=object), 10, 30)
    index = {}
    for n, (aid, r) in enumerate(areas.iterrows()):
        lv = r["level"]
        colour = LEVEL_COLOURS[lv]
        gap = lv in _GAP_LEVELS and not organised.get(aid, True)
        lines = [text(r["name"]), f"{aid} · {bilingual('level', lv)}",
                 f"population: {num(r['population'])}" if not pd.isna(r["population"]) else "",
                 f"territorial organisations seated here: {len(seated.get(aid, ()))}",
                 "no territorial organisation seated here (place_coverage)" if gap else "",
                 f"areas below, not drawn: {below[aid]:,}" if aid in below else ""]
        spec.node(aid, r["name"], lines, colour,
                  area_sizes[n] if lv not in _TRIANGLES else {"city": 40, "district": 34, "street": 28}[lv],
                  shape="triangle" if lv in _TRIANGLES else "dot",
                  border=GAP_BORDER if gap else ("#17202a" if aid == focus.entity else None),
                  border_width=4 if gap or aid == focus.entity else 1,
                  attrs={"name": text(r["name"]), "kind": "area", "level": lv,
                         "gap": "no organisation seated" if gap else "organised or not assessed"})
        index[aid] = n
    parent = []
    for aid in areas.index:
        p = areas.at[aid, "parent"]
        parent.append(index.get(p, -1) if isinstance(p, str) else -1)
        if isinstance(p, str) and p in index:
            spec.edge(p, aid, colour="#aab7b8", width=1.5, kinds=["contains"])
    return parent


def _organisation_nodes(net, spec, areas, seated, parent, focus) -> list[str]:
    """The territorial organisations seated in the drawn areas, each a child of its area."""
    names = entity_names(net)
    org_tab = net.organisations
    index = {aid: n for n, aid in enumerate(areas.index)}
    org_ids = [o for aid in areas.index for o in seated.get(aid, ())]
    org_sizes = sizes(org_tab["members"].reindex(org_ids).to_numpy(dtype=object), 8, 24)
    for n, oid in enumerate(org_ids):
        r = org_tab.loc[oid]
        form = text(r["form"])
        weak = text(r["status"]) == "weak"
        marked = weak or oid == focus.entity
        lines = [text(r["name"]), f"{oid} · territorial organisation · {bilingual('form', form)}",
                 f"seated at: {text(names.get(r['area']))} ({r['area']})",
                 f"members 党员: {num(r['members'])}" if not pd.isna(r["members"]) else "",
                 f"established: {r['established']:%Y-%m-%d}" if not pd.isna(r["established"]) else "",
                 f"leading organisation: {text(names.get(r['parent']))} ({r['parent']})" if text(r["parent"]) else "",
                 "status: weak 软弱涣散" if weak else ""]
        spec.node(oid, r["name"], lines, FORM_COLOURS.get(form, "#c0392b"), org_sizes[n], shape="diamond",
                  border="#17202a" if marked else None, border_width=3 if marked else 1, dashes=weak,
                  attrs={"name": text(r["name"]), "kind": "organisation", "level": text(areas.at[r["area"], "level"]),
                         "gap": "organised or not assessed"})
        parent.append(index[r["area"]])
        spec.edge(r["area"], oid, colour="#e6b0aa", width=1, dashes=True, kinds=["seated"])
    return org_ids


def _legend(net, spec, shown_levels, org_ids):
    org_tab = net.organisations
    spec.legend.append({"title": "Areas 区域", "items": [
        swatch(bilingual("level", lv), LEVEL_COLOURS[lv], "triangle" if lv in _TRIANGLES else "dot")
        for lv in shown_levels]})
    forms = [f for f in FORM_COLOURS if (org_tab["form"].reindex(org_ids) == f).any()]
    weak = (org_tab["status"].reindex(org_ids) == "weak").any()
    spec.legend.append({"title": "Territorial organisations 区域党组织", "items": [
        swatch(bilingual("form", f), FORM_COLOURS[f], "diamond") for f in forms]
        + ([ring("weak 软弱涣散 (dashed border)", "#17202a", True)] if weak else [])})
    spec.legend.append({"title": "Gaps 空白", "items": [
        ring("street, community or grid with no territorial organisation", GAP_BORDER)]})
    spec.filters = spec.filters_of(
        value_filter("kind", "Kind 类型", spec.attr("kind"), ["area", "organisation"]),
        value_filter("level", "Level 层级", spec.attr("level"), list(schema.LEVELS),
                     {k: bilingual("level", k) for k in schema.LEVELS}),
        value_filter("gap", "Gaps 空白", spec.attr("gap")),
    )


VIEW = View("hierarchy", build, analysis="orgnet.coverage", tab="Hierarchy 层级")
