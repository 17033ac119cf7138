"""The content of each interactive view, computed from the analyses' DataFrames.

A builder returns a :class:`_Spec` — nodes, edges, legend, filters, notes and
the parameters used — in plain Python; :mod:`orgnet.viz.interactive` turns it
into a pyvis ``Network`` and a page. Builders call the analyses and draw their
results; they compute no indicator of their own (group-bys of an analysis'
rows for aggregated views, and positions, are drawing work).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

from .. import schema
from ..errors import OrgnetParameterError, OrgnetWarning
from . import _layout

_LEVEL_RANK = {lv: i for i, lv in enumerate(schema.LEVELS)}

# ------------------------------------------------------------------ palettes and labels

ZH = {
    "area": "区域", "organisation": "党组织", "unit": "单位", "station": "阵地",
    "territorial": "区域党组织", "joint": "联合党组织", "industry": "行业党组织", "sector": "新兴领域党组织",
    "city": "市", "district": "区/县", "street": "街道/乡镇", "community": "社区", "grid": "网格",
    "compound": "小区", "building": "楼栋",
    "committee": "党委/党工委", "general_branch": "党总支", "branch": "党支部", "group": "党小组",
    "no_organisation": "无党组织", "three_no": "三无小区", "no_service": "服务圈外",
    "sector_gap": "新兴领域空白", "unlinked": "无共建",
    "co_building": "共驻共建", "part_time_member": "兼职委员", "dual_report": "双报到", "pairing": "结对共建",
    "joint_conference": "联席会议", "activity": "联建活动", "whistle": "吹哨报到", "instructor": "党建指导员",
    "backstop": "兜底管理", "covers": "覆盖",
    "venue": "场地", "volunteers": "志愿服务", "funding": "资金", "training": "培训", "medical": "医疗",
    "legal": "法律", "elderly_care": "养老", "employment": "就业", "culture_sports": "文体",
    "education": "教育", "other": "其他",
}

CATEGORY_COLOURS = {
    "territorial organisation": "#c0392b",
    "unit organisation": "#e67e22",
    "joint organisation": "#b7950b",
    "industry organisation": "#873600",
    "sector organisation": "#d98880",
    "unit": "#2e86c1",
    "area": "#7f8c8d",
    "station": "#27ae60",
}
CATEGORY_ZH = {
    "territorial organisation": "区域党组织", "unit organisation": "单位党组织",
    "joint organisation": "联合党组织", "industry organisation": "行业党组织",
    "sector organisation": "新兴领域党组织", "unit": "单位", "area": "区域", "station": "阵地",
}
KIND_SHAPES = {"organisation": "dot", "unit": "square", "area": "triangle", "station": "diamond"}
TIE_COLOURS = dict(zip(schema.TIE_KINDS, (
    "#c0392b", "#8e44ad", "#2874a6", "#16a085", "#7f8c8d",
    "#e67e22", "#d4ac0d", "#1e8449", "#a04000", "#5d6d7e",
)))
LEVEL_COLOURS = dict(zip(schema.LEVELS, ("#17202a", "#4a235a", "#1a5276", "#117864", "#7d6608",
                                          "#a04000", "#6e2c00")))
FORM_COLOURS = {"committee": "#922b21", "general_branch": "#c0392b", "branch": "#e74c3c", "group": "#f1948a"}
COVERAGE_COLOURS = {"own": "#1e8449", "joint": "#48c9b0", "work": "#f5b041", "none": "#c0392b"}
COVERAGE_ZH = {"own": "单独建立", "joint": "联合/行业覆盖", "work": "仅工作覆盖", "none": "未覆盖"}
REASON_COLOURS = {"no_organisation": "#c0392b", "three_no": "#7d3c98", "no_service": "#e67e22",
                  "sector_gap": "#b7950b", "unlinked": "#ec7063"}
NOT_VACUUM_COLOUR = "#7dcea0"
GAP_BORDER = "#e6190b"
RATE_BINS = ((0.5, "#c0392b", "< 50%"), (0.7, "#e67e22", "50–70%"), (0.85, "#f4d03f", "70–85%"),
             (0.95, "#82e0aa", "85–95%"), (1.01, "#1e8449", "≥ 95%"))
SHARE_BINS = ((0.0001, "#d5f5e3", "none"), (0.25, "#f5b7b1", "< 25%"), (0.5, "#ec7063", "25–50%"),
              (0.75, "#cb4335", "50–75%"), (1.01, "#78281f", "≥ 75%"))
NO_DATA = "#d5d8dc"


# ------------------------------------------------------------------ small helpers


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _num(value, digits: int = 2) -> str:
    if value is None or pd.isna(value):
        return "–"
    v = float(value)
    if v.is_integer():
        return f"{int(v):,}"
    return f"{v:,.{digits}f}"


def _pct(value) -> str:
    return "–" if value is None or pd.isna(value) else f"{100 * float(value):.1f}%"


def _label(name: str, limit: int = 14) -> str:
    name = _text(name)
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _sizes(values, lo: float = 9.0, hi: float = 30.0) -> np.ndarray:
    v = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)
    out = np.full(len(v), lo)
    ok = ~np.isnan(v) & (v > 0)
    if ok.any():
        top = v[ok].max()
        out[ok] = lo + (hi - lo) * np.sqrt(v[ok] / top)
    return out


def _bin(value, bins):
    if value is None or pd.isna(value):
        return NO_DATA, "no data"
    for upper, colour, label in bins:
        if value < upper:
            return colour, label
    return bins[-1][1], bins[-1][2]


def _zh(key: str) -> str:
    zh = ZH.get(key)
    return f"{key} {zh}" if zh else key


def _swatch(label: str, colour: str, shape: str = "dot", border: str | None = None) -> dict:
    css = "triangle" if shape == "triangle" else ("diamond" if shape in ("diamond", "star") else
                                                 ("square" if shape == "square" else ""))
    return {"label": label, "shape": css, "dashed": False,
            "style": f"background-color:{colour};border-color:{border or colour}"}


def _ring(label: str, colour: str, dashed: bool = False) -> dict:
    return {"label": label, "shape": "ring", "dashed": False,
            "style": f"background-color:transparent;border-color:{colour};"
                     f"border-style:{'dashed' if dashed else 'solid'}"}


def _line(label: str, colour: str, dashed: bool = False) -> dict:
    return {"label": label, "shape": "line", "dashed": dashed, "style": f"border-top-color:{colour}"}


def _filter(key: str, label: str, values, order=None, labels=None) -> dict | None:
    counts: dict[str, int] = {}
    for v in values:
        items = v if isinstance(v, (list, tuple)) else [v]
        if not items:
            items = ["(none)"]
        for item in items:
            s = "(none)" if item is None else str(item)
            counts[s] = counts.get(s, 0) + 1
    if not counts:
        return None
    keys = sorted(counts, key=lambda k: (order.index(k) if order and k in order else len(order or ()), k))
    return {"key": key, "label": label,
            "values": [{"value": k, "label": (labels or {}).get(k, k), "count": counts[k]} for k in keys]}


def _merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for k, v in extra.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def _capture(func, *args, notes: list, **kwargs):
    """Call an analysis; OrgnetWarnings it raises become notes shown on the page."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", OrgnetWarning)
        out = func(*args, **kwargs)
    for w in caught:
        if issubclass(w.category, OrgnetWarning):
            notes.append(str(w.message))
        else:  # pragma: no cover - pass other warnings on
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return out


# ------------------------------------------------------------------ entities and areas


def _group_at(net, areas: pd.Series, level: str) -> pd.Series:
    """Each area's ancestor at ``level``, or the area itself when it lies above that level."""
    anc = areas.map(net.area_paths[level])
    out = anc.where(anc.notna(), areas)
    return out.astype(object).where(out.notna(), "(no area)")


def _area_names(net) -> pd.Series:
    return net.areas["name"].astype(object)


def _entity_names(net) -> pd.Series:
    s = pd.concat([net.areas["name"], net.organisations["name"], net.units["name"], net.stations["name"]])
    s = s.astype(object)
    s.index = s.index.astype(object)
    return s


def resolve_focus(net, focus):
    """(area id, highlighted entity id or None) for ``focus``; see :func:`interactive`."""
    if focus is None:
        return None
    if not isinstance(focus, str):
        raise OrgnetParameterError(
            f"The 'focus' parameter of interactive must be an area, organisation, unit or station id "
            f"(a string). Got {focus!r} instead."
        )
    if focus in net.areas.index:
        return focus, None
    areas = net.entity_areas
    if focus in areas.index and focus in net.entity_kinds.index:
        area = areas.get(focus)
        if area is None:
            raise OrgnetParameterError(
                f"The 'focus' parameter of interactive names {focus!r}, which has no area to drill into."
            )
        comm = net.area_paths.at[area, "community"]
        return (comm if comm is not None else area), focus
    raise OrgnetParameterError(
        f"The 'focus' parameter of interactive must be an area, organisation, unit or station id. "
        f"Got {focus!r} instead."
    )


def _subtree(net, area) -> pd.Index:
    level = net.areas.at[area, "level"]
    paths = net.area_paths
    return paths.index[(paths[level] == area).to_numpy()]


def _aggregation_levels(net, focus_area) -> list[str]:
    if focus_area is None:
        return ["community", "street", "district", "city"]
    rank = _LEVEL_RANK[net.areas.at[focus_area, "level"]]
    finer = [lv for lv in ("grid", "community", "street", "district") if _LEVEL_RANK[lv] > rank]
    return finer + [net.areas.at[focus_area, "level"]]


def _choose_level(net, areas: pd.Series, max_nodes: int, levels):
    """The finest level at which ``areas`` (one per entity) fall into <= max_nodes groups."""
    groups = None
    for lv in levels:
        groups = _group_at(net, areas, lv)
        if groups.nunique() <= max_nodes:
            return lv, groups, True
    return levels[-1], groups, False


# ------------------------------------------------------------------ the spec of a view


class _Spec:
    """Everything a page needs to draw one view (plain Python, no pyvis)."""

    def __init__(self, view: str, title: str):
        self.view = view
        self.title = title
        self.level = "entity"
        self.nodes: list[dict] = []
        self.edges: list[dict] = []
        self.legend: list[dict] = []
        self.filters: list[dict] = []
        self.notes: list[str] = []
        self.params: dict[str, Any] = {}
        self.geographic = False
        self.aggregated = False
        self.options_extra: dict = {}

    def node(self, id, label, title_lines, colour, size, *, shape="dot", border=None, border_width=1,
             dashes=False, attrs=None, font=None):
        d = {"id": str(id), "label": _label(label), "title": "\n".join(x for x in title_lines if x != ""),
             "color": {"background": colour, "border": border or colour,
                       "highlight": {"background": colour, "border": "#17202a"},
                       "hover": {"background": colour, "border": "#17202a"}},
             "size": round(float(size), 2), "shape": shape, "borderWidth": border_width,
             "attrs": attrs or {}}
        if dashes:
            d["shapeProperties"] = {"borderDashes": [5, 3]}
        if font:
            d["font"] = font
        self.nodes.append(d)
        return d

    def edge(self, a, b, *, colour="#aab7b8", width=1.0, dashes=False, title_lines=(), kinds=(), opacity=0.8):
        d = {"id": f"e{len(self.edges)}", "from": str(a), "to": str(b), "width": round(float(width), 2),
             "color": {"color": colour, "highlight": "#17202a", "hover": "#17202a", "opacity": opacity},
             "dashes": bool(dashes), "kinds": list(kinds)}
        if title_lines:
            d["title"] = "\n".join(x for x in title_lines if x != "")
        self.edges.append(d)
        return d


def _place(spec: _Spec, pos: np.ndarray, spacing: float = 45.0, normalise: bool = True):
    pos = _layout.normalise(pos, spacing) if normalise else pos
    for d, (x, y) in zip(spec.nodes, pos):
        d["x"] = round(float(x), 1)
        d["y"] = round(float(y), 1)


def _layout_graph(spec: _Spec, groups=(), seed=12345, spacing=45.0):
    idx = {d["id"]: i for i, d in enumerate(spec.nodes)}
    ei = np.array([idx[e["from"]] for e in spec.edges], dtype=np.int64)
    ej = np.array([idx[e["to"]] for e in spec.edges], dtype=np.int64)
    w = np.array([e["width"] for e in spec.edges], dtype=float)
    pos = _layout.graph_positions(len(spec.nodes), ei, ej, w, groups=groups, seed=seed)
    _place(spec, pos, spacing)


def _codes(values) -> np.ndarray:
    return pd.factorize(pd.Series(list(values), dtype=object).fillna("(none)"))[0]


# ------------------------------------------------------------------ ties


def _entity_category(net, ids: pd.Index) -> pd.Series:
    kinds = net.entity_kinds.reindex(ids)
    scope = net.organisations["scope"].astype(object)
    cat = kinds.astype(object).copy()
    is_org = (kinds == "organisation").to_numpy()
    cat[is_org] = [f"{s} organisation" for s in ids[is_org].map(scope)]
    return cat.fillna("area")


def _entity_size_value(net, ids: pd.Index) -> pd.Series:
    vals = pd.concat([
        net.organisations["members"].astype("Float64"),
        net.units["party_members"].astype("Float64"),
        net.areas["population"].astype("Float64"),
    ])
    vals.index = vals.index.astype(object)
    vals = vals[~vals.index.duplicated()]
    return vals.reindex(ids)


def _entity_facts(net, ids: pd.Index) -> dict[str, list[str]]:
    """Key figures per entity for hover titles."""
    o, u, a = net.organisations, net.units, net.areas
    facts: dict[str, list[str]] = {}
    for i in ids:
        lines = []
        if i in o.index:
            r = o.loc[i]
            lines.append(f"form: {_zh(_text(r['form']))} · scope: {_zh(_text(r['scope']))}")
            if not pd.isna(r["members"]):
                lines.append(f"members 党员: {_num(r['members'])}")
            if _text(r["status"]) == "weak":
                lines.append("status: weak 软弱涣散")
        elif i in u.index:
            r = u.loc[i]
            lines.append(f"type: {_text(r['type'])}" + (f" · sector: {_text(r['sector'])}" if _text(r["sector"]) else ""))
            lines.append(f"employees: {_num(r['employees'])} · party members: {_num(r['party_members'])}")
        elif i in a.index:
            r = a.loc[i]
            lines.append(f"level: {_zh(_text(r['level']))}")
            if not pd.isna(r["population"]):
                lines.append(f"population: {_num(r['population'])}")
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


def ties_spec(net, when, focus, max_nodes, params, seed) -> _Spec:
    from .. import linkage

    spec = _Spec("ties", "Co-building ties 共建联系网络")
    ts = _capture(linkage.tie_strength, net, as_of=when, notes=spec.notes, **params)
    spec.params.update({k: v for k, v in ts.attrs.items() if k != "func"})
    names = _entity_names(net)
    anames = _area_names(net)
    ent_area = net.entity_areas
    focus_area, highlight = focus if focus else (None, None)
    inside: set = set()
    if focus_area is not None:
        sub = set(_subtree(net, focus_area))
        inside = set(ent_area.index[ent_area.isin(sub).to_numpy()])
        keep = (ts["a"].isin(inside) | ts["b"].isin(inside)).to_numpy()
        ts = ts[keep]
        spec.title += f" — {names.get(focus_area, focus_area)} ({focus_area})"
    ids = pd.Index(pd.unique(np.concatenate([ts["a"].to_numpy(dtype=object), ts["b"].to_numpy(dtype=object)])),
                   dtype=object)
    if focus_area is not None:
        spec.notes.append(
            f"Focus on {names.get(focus_area, focus_area)} ({focus_area}): "
            f"{sum(i in inside for i in ids):,} tied entities inside and "
            f"{sum(i not in inside for i in ids):,} partners outside (drawn paler)."
        )
    if len(ids) == 0:
        spec.notes.append("No active ties at this date.")
        return spec
    kinds_cols = list(schema.TIE_KINDS)
    main_kind = ts[kinds_cols].to_numpy().argmax(axis=1)
    max_strength = float(ts["strength"].max()) or 1.0
    used_kinds = [k for k in kinds_cols if ts[k].sum() > 0]

    if len(ids) <= max_nodes:
        cats = _entity_category(net, ids)
        kinds = net.entity_kinds.reindex(ids)
        sizes = _sizes(_entity_size_value(net, ids))
        facts = _entity_facts(net, ids)
        per_node = pd.concat([ts[["a", "strength"]].rename(columns={"a": "id"}),
                              ts[["b", "strength"]].rename(columns={"b": "id"})])
        strength = per_node.groupby("id")["strength"].agg(["sum", "size"])
        for n, i in enumerate(ids):
            cat = cats[i]
            colour = CATEGORY_COLOURS.get(cat, "#7f8c8d")
            outside = focus_area is not None and i not in inside
            area = ent_area.get(i)
            lines = [_text(names.get(i)), f"{i} · {cat} {CATEGORY_ZH.get(cat, '')}".rstrip(),
                     f"area: {_text(anames.get(area))} ({area})" if area and area != i else "",
                     *facts.get(i, []),
                     f"partners: {int(strength.at[i, 'size'])} · strength: {_num(strength.at[i, 'sum'])}",
                     "outside the focus area" if outside else ""]
            spec.node(i, names.get(i), lines, colour if not outside else "#d5d8dc", sizes[n],
                      shape=KIND_SHAPES.get(kinds[i], "dot"),
                      border=colour if outside else ("#17202a" if i == highlight else None),
                      border_width=4 if i == highlight else (2 if outside else 1),
                      attrs={"name": _text(names.get(i)), "kind": kinds[i], "category": cat,
                             "focus": ("partner outside" if outside else "inside") if focus_area else None})
        notes = _pair_notes(net, when)
        for r, mk in zip(ts.itertuples(index=False), main_kind):
            rd = r._asdict()
            present = [k for k in kinds_cols if rd[k] > 0]
            note = notes.get((r.a, r.b))
            lines = [f"{_text(names.get(r.a))} — {_text(names.get(r.b))}",
                     f"notes 备注: {note}" if note else "",
                     "kinds: " + ", ".join(f"{_zh(k)} ×{int(rd[k])}" for k in present),
                     f"strength: {_num(r.strength)} · multiplexity: {int(r.multiplexity)}",
                     f"last activity: {r.last_activity:%Y-%m-%d}" if not pd.isna(r.last_activity) else "",
                     "dormant agreement 签而不联: no activity within "
                     f"{_num(spec.params.get('dormant_days', 365))} days" if r.dormant else ""]
            spec.edge(r.a, r.b, colour=TIE_COLOURS[kinds_cols[mk]],
                      width=1 + 7 * math.sqrt(r.strength / max_strength) if r.strength > 0 else 1,
                      dashes=bool(r.dormant), title_lines=lines, kinds=present)
        area_ids = pd.Series([ent_area.get(i) for i in ids], dtype=object)
        groups = [_codes(_group_at(net, area_ids, lv)) for lv in ("community", "street", "district")]
        _layout_graph(spec, groups, seed)
        present_cats = [c for c in CATEGORY_COLOURS if c in set(cats)]
        spec.legend.append({"title": "Nodes 节点", "items": [
            _swatch(f"{c} {CATEGORY_ZH.get(c, '')}", CATEGORY_COLOURS[c],
                    KIND_SHAPES["organisation" if c.endswith("organisation") else c])
            for c in present_cats]})
        spec.filters = [f for f in (
            _filter("kind", "Entity kind 类型", [d["attrs"]["kind"] for d in spec.nodes], list(KIND_SHAPES)),
            _filter("category", "Category 类别", [d["attrs"]["category"] for d in spec.nodes], list(CATEGORY_COLOURS),
                    {k: f"{k} {v}" for k, v in CATEGORY_ZH.items()}),
        ) if f]
        size_note = "size: Party members (organisations, units) or population (areas)"
    else:
        levels = _aggregation_levels(net, focus_area)
        area_of = pd.Series([ent_area.get(i) for i in ids], index=ids, dtype=object)
        level, groups, fits = _choose_level(net, area_of, max_nodes, levels)
        spec.level = level
        spec.aggregated = True
        ga = ts["a"].map(groups).to_numpy(dtype=object)
        gb = ts["b"].map(groups).to_numpy(dtype=object)
        swap = ga > gb
        g1, g2 = np.where(swap, gb, ga), np.where(swap, ga, gb)
        frame = ts[["strength", "dormant", *kinds_cols]].copy()
        frame["g1"], frame["g2"] = g1, g2
        frame["pairs"] = 1
        frame["co_pairs"] = (ts["co_building"] > 0).to_numpy(dtype=int)
        frame["dormant"] = frame["dormant"].astype(int)
        internal = frame[frame["g1"] == frame["g2"]].groupby("g1")[["pairs", "strength"]].sum()
        cross = frame[frame["g1"] != frame["g2"]].groupby(["g1", "g2"])[
            ["pairs", "co_pairs", "strength", "dormant", *kinds_cols]].sum().reset_index()
        members = groups.groupby(groups).size()
        kinds_by_group = pd.crosstab(groups, net.entity_kinds.reindex(groups.index).fillna("area"))
        li = None
        if level in ("community", "street", "district"):
            li = _capture(linkage.linkage_index, net, level=level, as_of=when, notes=spec.notes, **params)
        gids = pd.Index(members.index, dtype=object)
        glevel = gids.map(net.areas["level"].astype(object)).astype(object)
        sizes = _sizes(members.reindex(gids).to_numpy(), 10, 40)
        for n, g in enumerate(gids):
            lv = glevel[n] if isinstance(glevel[n], str) else "area"
            colour = LEVEL_COLOURS.get(lv, "#7f8c8d")
            kb = kinds_by_group.loc[g] if g in kinds_by_group.index else pd.Series(dtype=int)
            lines = [f"{_text(anames.get(g, g))} ({g}) · {_zh(lv)}",
                     f"tied entities: {int(members[g]):,} (" + ", ".join(
                         f"{k} {int(v)}" for k, v in kb.items() if v) + ")",
                     f"pairs inside: {int(internal['pairs'].get(g, 0)):,} · strength inside: "
                     f"{_num(internal['strength'].get(g, 0.0))}"]
            if li is not None and g in li.index:
                r = li.loc[g]
                lines.append(f"linkage index: partners {int(r['partners'])}, strength {_num(r['strength'])}, "
                             f"agreements {int(r['co_building'])}, dormant share {_pct(r['dormant_share'])}")
            outside = focus_area is not None and g not in set(_subtree(net, focus_area))
            spec.node(g, anames.get(g, g), lines, colour if not outside else "#d5d8dc", sizes[n],
                      shape="dot", border=colour, border_width=2 if outside else 1,
                      attrs={"name": _text(anames.get(g, g)), "level": lv,
                             "focus": ("partner outside" if outside else "inside") if focus_area else None})
        limit = max(4 * max_nodes, 1000)
        dropped_note = None
        if len(cross) > limit:  # a page must stay usable: the strongest links between areas
            order = cross["strength"].rank(method="first", ascending=False)
            dropped = cross[(order > limit).to_numpy()]
            dropped_note = (
                f"{len(cross):,} links between areas: the {limit:,} strongest are drawn, the {len(dropped):,} "
                f"weakest ({int(dropped['pairs'].sum()):,} tied pairs) are not. Drill into one area with "
                f"focus='<area id>' to see all of its ties.")
            cross = cross[(order <= limit).to_numpy()]
        max_s = float(cross["strength"].max()) if len(cross) else 1.0
        for r in cross.itertuples(index=False):
            rd = r._asdict()
            present = [k for k in kinds_cols if rd[k] > 0]
            mk = max(present, key=lambda k: (rd[k], -kinds_cols.index(k))) if present else "co_building"
            lines = [f"{_text(anames.get(r.g1, r.g1))} — {_text(anames.get(r.g2, r.g2))}",
                     f"tied pairs: {int(r.pairs):,} · strength: {_num(r.strength)}",
                     "kinds: " + ", ".join(f"{_zh(k)} ×{int(rd[k])}" for k in present),
                     f"dormant agreements 签而不联: {int(r.dormant)} of {int(r.co_pairs)}" if r.co_pairs else ""]
            spec.edge(r.g1, r.g2, colour=TIE_COLOURS[mk], width=1 + 7 * math.sqrt(max(r.strength, 0) / max_s),
                      dashes=bool(r.pairs and r.dormant == r.pairs), title_lines=lines, kinds=present)
        parent_level = {"grid": "community", "community": "street", "street": "district"}.get(level, "city")
        gseries = pd.Series(list(gids), dtype=object)
        layers = [_codes(_group_at(net, gseries, lv)) for lv in (parent_level, "district") if lv != level]
        _layout_graph(spec, layers, seed)
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
            _swatch(_zh(lv), LEVEL_COLOURS[lv]) for lv in schema.LEVELS if lv in set(glevel)]})
        spec.filters = [f for f in (_filter("level", "Level 层级", [d["attrs"]["level"] for d in spec.nodes],
                                            list(schema.LEVELS), {k: _zh(k) for k in schema.LEVELS}),) if f]
        size_note = "size: number of tied entities"
    spec.legend.append({"title": "Ties 联系 (width: strength)", "items": [
        _line(_zh(k), TIE_COLOURS[k]) for k in used_kinds] + [_line("dormant agreement 签而不联", "#5d6d7e", True)]})
    spec.legend.append({"title": size_note, "items": []})
    if focus_area is not None:
        spec.filters.append(_filter("focus", "Focus 范围", [d["attrs"]["focus"] for d in spec.nodes]))
    spec.filters.append({"key": "edge:kinds", "label": "Tie kind 联系类型", "values": [
        {"value": k, "label": _zh(k), "count": int((ts[k] > 0).sum())} for k in used_kinds]})
    return spec


# ------------------------------------------------------------------ hierarchy


def hierarchy_spec(net, when, focus, max_nodes, params, seed, radial=True) -> _Spec:
    from .. import coverage

    spec = _Spec("hierarchy", "Area hierarchy and territorial organisations 区域层级与党组织")
    a = net.areas
    names = _entity_names(net)
    focus_area, highlight = focus if focus else (None, None)
    keep = pd.Series(True, index=a.index)
    if focus_area is not None:
        sub = set(_subtree(net, focus_area))
        chain = set(x for x in net.area_paths.loc[focus_area].dropna())
        keep = a.index.isin(sub | chain)
        keep = pd.Series(keep, index=a.index)
        spec.title += f" — {names.get(focus_area, focus_area)} ({focus_area})"
    levels_present = [lv for lv in schema.LEVELS if (a["level"][keep.to_numpy()] == lv).any()]
    seated: dict[str, list[str]] = {}
    organised: dict[str, bool] = {}
    for lv in levels_present:
        pc = _capture(coverage.place_coverage, net, level=lv, as_of=when, notes=spec.notes)
        for aid, orgs, ok in zip(pc.index, pc["organisations"], pc["organised"]):
            organised[aid] = bool(ok)
            if isinstance(orgs, str) and orgs:
                seated[aid] = orgs.split(",")
    spec.params.update(as_of=when)
    # aggregation: drop the deepest levels until areas + organisations fit
    shown_levels = list(levels_present)
    hidden_counts = []

    def count(lvls):
        m = keep.to_numpy() & a["level"].isin(lvls).to_numpy()
        ids = a.index[m]
        return int(m.sum()) + sum(len(seated.get(i, ())) for i in ids)

    while len(shown_levels) > 1 and count(shown_levels) > max_nodes:
        dropped = shown_levels.pop()
        m = keep.to_numpy() & (a["level"] == dropped).to_numpy()
        hidden_counts.append((dropped, int(m.sum()), sum(len(seated.get(i, ())) for i in a.index[m])))
    if hidden_counts:
        spec.aggregated = True
        spec.level = shown_levels[-1]
        parts = "; ".join(f"{n:,} {lv} areas and their {k:,} organisations" for lv, n, k in reversed(hidden_counts))
        spec.notes.append(
            f"{count(levels_present):,} nodes exceed max_nodes={max_nodes:,}: shown down to {spec.level} level "
            f"({count(shown_levels):,} nodes). Not drawn: {parts} (counted in each area's hover text). "
            f"Drill into one area with focus='<area id>', or raise max_nodes."
        )
    m = keep.to_numpy() & a["level"].isin(shown_levels).to_numpy()
    areas = a[m]
    below = {}
    if hidden_counts:
        hidden_lv = [lv for lv, _, _ in hidden_counts]
        hid = a[keep.to_numpy() & a["level"].isin(hidden_lv).to_numpy()]
        last = shown_levels[-1]
        anc = net.area_paths.loc[hid.index, last]
        below = anc.groupby(anc).size().to_dict()
    org_tab = net.organisations
    area_sizes = _sizes(areas["population"].to_numpy(dtype=object), 10, 30)
    ids: list[str] = []
    parent: list[int] = []
    index: dict[str, int] = {}
    for n, (aid, r) in enumerate(areas.iterrows()):
        lv = r["level"]
        colour = LEVEL_COLOURS[lv]
        gap = lv in ("street", "community", "grid") and not organised.get(aid, True)
        lines = [_text(r["name"]), f"{aid} · {_zh(lv)}",
                 f"population: {_num(r['population'])}" if not pd.isna(r["population"]) else "",
                 f"territorial organisations seated here: {len(seated.get(aid, ()))}",
                 "no territorial organisation seated here (place_coverage)" if gap else "",
                 f"areas below, not drawn: {below[aid]:,}" if aid in below else ""]
        spec.node(aid, r["name"], lines, colour, area_sizes[n] if lv not in ("city", "district", "street")
                  else {"city": 40, "district": 34, "street": 28}[lv],
                  shape="triangle" if lv in ("city", "district", "street") else "dot",
                  border=GAP_BORDER if gap else ("#17202a" if aid == highlight else None),
                  border_width=4 if gap or aid == highlight else 1,
                  attrs={"name": _text(r["name"]), "kind": "area", "level": lv,
                         "gap": "no organisation seated" if gap else "organised or not assessed"})
        index[aid] = n
        ids.append(aid)
    for aid in list(ids):
        p = areas.at[aid, "parent"]
        parent.append(index.get(p, -1) if isinstance(p, str) else -1)
        if isinstance(p, str) and p in index:
            spec.edge(p, aid, colour="#aab7b8", width=1.5, kinds=["contains"])
    org_ids = [o for aid in ids for o in seated.get(aid, ())]
    org_sizes = _sizes(org_tab["members"].reindex(org_ids).to_numpy(dtype=object), 8, 24)
    for n, oid in enumerate(org_ids):
        r = org_tab.loc[oid]
        form = _text(r["form"])
        weak = _text(r["status"]) == "weak"
        lines = [_text(r["name"]), f"{oid} · territorial organisation · {_zh(form)}",
                 f"seated at: {_text(names.get(r['area']))} ({r['area']})",
                 f"members 党员: {_num(r['members'])}" if not pd.isna(r["members"]) else "",
                 f"established: {r['established']:%Y-%m-%d}" if not pd.isna(r["established"]) else "",
                 f"leading organisation: {_text(names.get(r['parent']))} ({r['parent']})" if _text(r["parent"]) else "",
                 "status: weak 软弱涣散" if weak else ""]
        spec.node(oid, r["name"], lines, FORM_COLOURS.get(form, "#c0392b"), org_sizes[n], shape="diamond",
                  border="#17202a" if (weak or oid == highlight) else None,
                  border_width=3 if (weak or oid == highlight) else 1, dashes=weak,
                  attrs={"name": _text(r["name"]), "kind": "organisation", "level": _text(areas.at[r["area"], "level"]),
                         "gap": "organised or not assessed"})
        index[oid] = len(ids)
        ids.append(oid)
        parent.append(index[r["area"]])
        spec.edge(r["area"], oid, colour="#e6b0aa", width=1, dashes=True, kinds=["seated"])
    pos = _layout.tree_positions(np.array(parent), radial=radial)
    _place(spec, pos * 60.0, normalise=False)
    spec.legend.append({"title": "Areas 区域", "items": [
        _swatch(_zh(lv), LEVEL_COLOURS[lv], "triangle" if lv in ("city", "district", "street") else "dot")
        for lv in shown_levels]})
    forms = [f for f in FORM_COLOURS if (org_tab["form"].reindex(org_ids) == f).any()]
    spec.legend.append({"title": "Territorial organisations 区域党组织", "items": [
        _swatch(_zh(f), FORM_COLOURS[f], "diamond") for f in forms]
        + ([_ring("weak 软弱涣散 (dashed border)", "#17202a", True)]
           if (org_tab["status"].reindex(org_ids) == "weak").any() else [])})
    spec.legend.append({"title": "Gaps 空白", "items": [
        _ring("street, community or grid with no territorial organisation", GAP_BORDER)]})
    spec.filters = [f for f in (
        _filter("kind", "Kind 类型", [d["attrs"]["kind"] for d in spec.nodes], ["area", "organisation"]),
        _filter("level", "Level 层级", [d["attrs"]["level"] for d in spec.nodes], list(schema.LEVELS),
                {k: _zh(k) for k in schema.LEVELS}),
        _filter("gap", "Gaps 空白", [d["attrs"]["gap"] for d in spec.nodes]),
    ) if f]
    return spec


# ------------------------------------------------------------------ coverage


def coverage_spec(net, when, focus, max_nodes, params, seed, radial=True) -> _Spec:
    from .. import coverage

    spec = _Spec("coverage", "Coverage of units 两个覆盖")
    uc = _capture(coverage.unit_coverage, net, as_of=when, notes=spec.notes, **params)
    spec.params.update({k: v for k, v in uc.attrs.items() if k != "func"})
    names = _entity_names(net)
    anames = _area_names(net)
    focus_area, highlight = focus if focus else (None, None)
    if focus_area is not None:
        uc = uc[uc["area"].isin(set(_subtree(net, focus_area))).to_numpy()]
        spec.title += f" — {names.get(focus_area, focus_area)} ({focus_area})"
        spec.notes.append(f"Focus on {names.get(focus_area, focus_area)} ({focus_area}): {len(uc):,} units.")
    anchor = uc["community"].astype(object).where(uc["community"].notna(), uc["area"].astype(object))
    cov_by = uc["covered_by"].astype(object)
    pairs = [(o, u) for u, s in zip(uc.index, cov_by) if isinstance(s, str) for o in s.split(",")]
    orgs = list(dict.fromkeys(o for o, _ in pairs))
    anchors = list(dict.fromkeys(anchor.dropna()))
    n_entity = len(uc) + len(orgs) + len(anchors)
    if len(uc) == 0:
        spec.notes.append("No units to draw" + (" in this area." if focus_area is not None else "."))
        return spec
    class_counts = uc["coverage"].astype(object).value_counts()
    if n_entity <= max_nodes:
        for aid in anchors:
            spec.node(aid, anames.get(aid, aid),
                      [_text(anames.get(aid)), f"{aid} · {_zh(_text(net.areas.at[aid, 'level']))}",
                       f"units here: {int((anchor == aid).sum())}"],
                      LEVEL_COLOURS.get(net.areas.at[aid, "level"], "#7f8c8d"), 16, shape="triangle",
                      attrs={"name": _text(anames.get(aid)), "kind": "area", "coverage": "(area)",
                             "due": "(area)", "type": "(area)"})
        sizes = _sizes(uc["party_members"].to_numpy(dtype=object), 8, 26)
        for n, (uid, r) in enumerate(uc.iterrows()):
            cls = str(r["coverage"])
            due = r["due_not_established"]
            due_s = "unknown" if pd.isna(due) else ("yes" if due else "no")
            gap = r["size_rule_gap"]
            lines = [_text(r["name"]), f"{uid} · unit · {_text(r['type'])}",
                     f"area: {_text(anames.get(r['area']))} ({r['area']})",
                     f"coverage: {cls} {COVERAGE_ZH[cls]}"
                     + (f" by {r['covered_by']}" if isinstance(r["covered_by"], str) else ""),
                     f"party members: {_num(r['party_members'])} · employees: {_num(r['employees'])}",
                     "due but not established 应建未建 (>= "
                     f"{spec.params.get('min_members', 3)} members, no own organisation)" if due_s == "yes" else "",
                     "size rule gap: large unit without organisational coverage" if gap is True else ""]
            spec.node(uid, r["name"], lines, COVERAGE_COLOURS[cls], sizes[n],
                      shape="star" if gap is True else "dot",
                      border="#641e16" if due_s == "yes" else ("#17202a" if uid == highlight else None),
                      border_width=4 if due_s == "yes" or uid == highlight else 1,
                      attrs={"name": _text(r["name"]), "kind": "unit", "coverage": cls, "due": due_s,
                             "type": _text(r["type"])})
        org_tab = net.organisations
        for oid in orgs:
            r = org_tab.loc[oid]
            scope = _text(r["scope"])
            cat = f"{scope} organisation"
            spec.node(oid, r["name"], [_text(r["name"]), f"{oid} · {cat} {CATEGORY_ZH.get(cat, '')}",
                                       f"covers here: {sum(1 for o, _ in pairs if o == oid)} units"],
                      CATEGORY_COLOURS.get(cat, "#c0392b"), 14, shape="diamond",
                      attrs={"name": _text(r["name"]), "kind": "organisation", "coverage": "(organisation)",
                             "due": "(organisation)", "type": "(organisation)"})
        cls_of = uc["coverage"].astype(object)
        for o, u in pairs:
            spec.edge(o, u, colour=COVERAGE_COLOURS[cls_of[u]], width=2, kinds=[cls_of[u]])
        for u, aid in anchor.items():
            if isinstance(aid, str):
                spec.edge(aid, u, colour="#d5d8dc", width=1, kinds=["located_in"])
        node_area = []
        ent_area = net.entity_areas
        for d in spec.nodes:
            node_area.append(d["id"] if d["attrs"]["kind"] == "area" else ent_area.get(d["id"]))
        node_area = pd.Series(node_area, dtype=object)
        groups = [_codes(_group_at(net, node_area, lv)) for lv in ("community", "street", "district")]
        _layout_graph(spec, groups, seed)
        spec.legend.append({"title": "Units by coverage 覆盖类别", "items": [
            _swatch(f"{c} {COVERAGE_ZH[c]} ({int(class_counts.get(c, 0))})", COVERAGE_COLOURS[c])
            for c in ("own", "joint", "work", "none")]})
        spec.legend.append({"title": "Highlighted 重点", "items": [
            _ring("due, not established 应建未建 (thick dark border)", "#641e16"),
            _swatch("size rule gap (star)", "#c0392b", "star")]})
        spec.legend.append({"title": "Other nodes", "items": [
            _swatch("covering organisation 覆盖党组织", "#c0392b", "diamond"),
            _swatch("community (or the unit's area) 社区", LEVEL_COLOURS["community"], "triangle")]})
        spec.legend.append({"title": "size: Party members of the unit", "items": []})
        spec.filters = [f for f in (
            _filter("coverage", "Coverage 覆盖", [d["attrs"]["coverage"] for d in spec.nodes],
                    ["own", "joint", "work", "none"], {k: f"{k} {v}" for k, v in COVERAGE_ZH.items()}),
            _filter("due", "Due, not established 应建未建", [d["attrs"]["due"] for d in spec.nodes],
                    ["yes", "no", "unknown"]),
            _filter("type", "Unit type 单位类型", [d["attrs"]["type"] for d in spec.nodes]),
        ) if f]
        return spec
    # aggregated: communities and streets coloured by organisational coverage rate
    spec.aggregated = True
    kw = {k: v for k, v in params.items()}
    levels = ["community", "street", "district", "city"]
    if focus_area is not None:
        levels = [lv for lv in levels if _LEVEL_RANK[lv] >= _LEVEL_RANK[net.areas.at[focus_area, "level"]]]
    rates = {}
    chosen = []
    for lv in levels:
        if not (net.areas["level"] == lv).any():
            continue
        r = _capture(coverage.coverage_rates, net, by=lv, as_of=when, notes=spec.notes, **kw)
        if focus_area is not None:
            r = r[r.index.isin(set(_subtree(net, focus_area)))]
        rates[lv] = r
        chosen.append(lv)
    shown = []
    for lv in chosen:
        if sum(len(rates[x]) for x in shown + [lv]) <= max_nodes or not shown:
            shown.append(lv)
    # keep the finest levels that fit: drop from the finest end while too many
    while len(shown) > 1 and sum(len(rates[x]) for x in shown) > max_nodes:
        shown.pop(0)
    spec.level = shown[0]
    ids, parent, index = [], [], {}
    top_down = list(reversed(shown))
    for lv in top_down:
        r = rates[lv]
        sizes = _sizes(r["units"].to_numpy(), 10, 36)
        for n, (aid, row) in enumerate(r.iterrows()):
            colour, label = _bin(row["org_coverage_rate"], RATE_BINS)
            lines = [_text(row["name"]), f"{aid} · {_zh(lv)}", f"units: {int(row['units']):,}",
                     f"organisational coverage 组织覆盖率: {_pct(row['org_coverage_rate'])}",
                     f"work coverage 工作覆盖率: {_pct(row['work_coverage_rate'])}",
                     f"own {int(row['own'])} · joint {int(row['joint'])} · work {int(row['work'])} · "
                     f"none {int(row['none'])}",
                     f"due, not established 应建未建: {int(row['due_not_established'])} · size rule gaps: "
                     f"{int(row['size_rule_gaps'])}"]
            spec.node(aid, row["name"], lines, colour, sizes[n],
                      shape="triangle" if lv != spec.level else "dot",
                      border="#641e16" if row["due_not_established"] else None,
                      border_width=3 if row["due_not_established"] else 1,
                      attrs={"name": _text(row["name"]), "level": lv, "rate": label})
            index[aid] = len(ids)
            ids.append(aid)
            parent.append(-1)
    for n, aid in enumerate(ids):
        lv = net.areas.at[aid, "level"]
        higher = [x for x in top_down if _LEVEL_RANK[x] < _LEVEL_RANK[lv]]
        if higher:
            p = net.area_paths.at[aid, higher[-1]]
            if p in index:
                parent[n] = index[p]
                spec.edge(p, aid, colour="#d5d8dc", width=1.5, kinds=["contains"])
    pos = _layout.tree_positions(np.array(parent), radial=radial)
    _place(spec, pos * 60.0, normalise=False)
    spec.notes.append(
        f"{len(uc):,} units (with {len(orgs):,} covering organisations) exceed max_nodes={max_nodes:,}: shown "
        f"aggregated to {spec.level} level — {len(ids):,} areas coloured by organisational coverage rate "
        f"(coverage_rates). Drill into one area with focus='<area id>', or raise max_nodes."
    )
    spec.legend.append({"title": "Organisational coverage rate 组织覆盖率", "items": [
        _swatch(label, colour) for _, colour, label in RATE_BINS] + [_swatch("no units", NO_DATA)]})
    spec.legend.append({"title": "Highlighted", "items": [
        _ring("has units due, not established 应建未建", "#641e16")]})
    spec.legend.append({"title": "size: number of units", "items": []})
    spec.filters = [f for f in (
        _filter("level", "Level 层级", [d["attrs"]["level"] for d in spec.nodes], list(schema.LEVELS),
                {k: _zh(k) for k in schema.LEVELS}),
        _filter("rate", "Coverage rate 覆盖率", [d["attrs"]["rate"] for d in spec.nodes],
                [b[2] for b in RATE_BINS] + ["no data"]),
    ) if f]
    return spec


# ------------------------------------------------------------------ vacuum


def _geo_layout(net, ids, own_lon, own_lat):
    """Positions in metres for areas ``ids``: their own lon/lat, else near their nearest
    located ancestor (a sunflower around it), else in a row below the map."""
    a = net.areas
    lon = np.asarray(own_lon, dtype=float).copy()
    lat = np.asarray(own_lat, dtype=float).copy()
    missing = np.isnan(lon) | np.isnan(lat)
    anchor = np.array([None] * len(ids), dtype=object)
    if missing.any():
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
    return lon, lat, missing, anchor


def vacuum_spec(net, when, focus, max_nodes, params, seed) -> _Spec:
    from .. import vacuum

    spec = _Spec("vacuum", "Vacuum places and service circles 真空区域与服务圈")
    spec.geographic = True
    va = _capture(vacuum.vacuum_areas, net, as_of=when, notes=spec.notes, **params)
    spec.params.update({k: v for k, v in va.attrs.items() if k not in ("func",)})
    names = _entity_names(net)
    focus_area, highlight = focus if focus else (None, None)
    st = net.stations
    sub = None
    if focus_area is not None:
        sub = set(_subtree(net, focus_area))
        va = va[va.index.isin(sub)]
        st = st[st["area"].isin(sub).to_numpy()]
        spec.title += f" — {names.get(focus_area, focus_area)} ({focus_area})"
        spec.notes.append(f"Focus on {names.get(focus_area, focus_area)} ({focus_area}): {len(va):,} places, "
                          f"{len(st):,} stations located in it.")
    loc = net.locations.reindex(st.index)
    radius_param = params.get("radius_m")
    default_r = schema.TABLES["stations"].column("radius_m").default
    st_radius = (pd.Series(float(radius_param), index=st.index) if radius_param is not None
                 else st["radius_m"].astype("Float64").fillna(default_r).astype(float))
    st_ok = (loc["lon"].notna() & loc["lat"].notna()).to_numpy()
    if (~st_ok).any():
        spec.notes.append(f"{int((~st_ok).sum())} station(s) without a location are not drawn: "
                          + ", ".join(st.index[~st_ok][:10]))
    st = st[st_ok]
    loc = loc[st_ok]
    st_radius = st_radius[st_ok]
    n_entity = len(va) + 2 * len(st)
    if len(va) == 0 and len(st) == 0:
        spec.notes.append("No places (grids, compounds) or stations to draw.")
        return spec
    a = net.areas
    reasons = list(vacuum.REASONS)
    if n_entity <= max_nodes:
        rows = va
        lon, lat, missing, anchor = _geo_layout(net, list(rows.index), a["lon"].reindex(rows.index),
                                                a["lat"].reindex(rows.index))
        true = rows[reasons].fillna(False).astype(bool)
        pop_size = _sizes(rows["population"].to_numpy(dtype=object), 7, 22)
        kind_of = []
        node_rows = []
        for n, (aid, r) in enumerate(rows.iterrows()):
            why = [x for x in reasons if true.at[aid, x]]
            colour = REASON_COLOURS[why[0]] if why else NOT_VACUUM_COLOUR
            unknown = _text(r["unknown"])
            comm = r["community"]
            lines = [_text(r["name"]), f"{aid} · {_zh(_text(r['level']))}",
                     f"community: {_text(names.get(comm))} ({comm})" if isinstance(comm, str) else "",
                     f"population: {_num(r['population'])}" if not pd.isna(r["population"]) else "",
                     ("vacuum 真空: " + ", ".join(_zh(x) for x in why)) if why else "not a vacuum place",
                     f"undecided (missing data): {unknown}" if unknown else "",
                     f"no coordinates: drawn near {names.get(anchor[n], anchor[n])}" if missing[n] and anchor[n]
                     else ("no coordinates: drawn in the row below the map" if missing[n] else "")]
            spec.node(aid, r["name"], lines, colour, pop_size[n], shape="dot" if r["level"] != "grid" else "square",
                      border="#17202a" if aid == highlight else (REASON_COLOURS[why[1]] if len(why) > 1 else None),
                      border_width=4 if aid == highlight else (3 if len(why) > 1 else 1),
                      attrs={"name": _text(r["name"]), "kind": "place", "level": _text(r["level"]),
                             "reason": why or ["not a vacuum"]})
            kind_of.append("place")
            node_rows.append((lon[n], lat[n], missing[n], anchor[n]))
        spec.legend.append({"title": "Places by first reason 真空原因 (second reason: border)", "items": [
            _swatch(_zh(x), REASON_COLOURS[x]) for x in reasons] + [_swatch("not a vacuum", NOT_VACUUM_COLOUR)]})
        spec.legend.append({"title": "shape: square = grid, dot = compound; size: population", "items": []})
        spec.filters = [f for f in (
            _filter("reason", "Reason 原因", [d["attrs"]["reason"] for d in spec.nodes], reasons + ["not a vacuum"],
                    {k: _zh(k) for k in reasons}),
            _filter("level", "Level 层级", [d["attrs"]["level"] for d in spec.nodes], list(schema.LEVELS),
                    {k: _zh(k) for k in schema.LEVELS}),
        ) if f]
    else:
        spec.aggregated = True
        levels = ["community", "street", "district"]
        if focus_area is not None:
            levels = [lv for lv in levels if _LEVEL_RANK[lv] >= _LEVEL_RANK[net.areas.at[focus_area, "level"]]]
        summary, level = None, None
        for lv in levels:
            s = _capture(vacuum.vacuum_summary, net, by=lv, as_of=when, notes=spec.notes, **params)
            if sub is not None:
                s = s[s.index.isin(sub)]
            summary, level = s, lv
            if len(s) <= max_nodes:
                break
        spec.level = level
        if len(summary) + 2 * len(st) > max_nodes:
            spec.notes.append(f"{len(st):,} stations are not drawn at this size.")
            st = st.iloc[:0]
            loc = loc.iloc[:0]
            st_radius = st_radius.iloc[:0]
        lon, lat, missing, anchor = _geo_layout(net, list(summary.index), a["lon"].reindex(summary.index),
                                                a["lat"].reindex(summary.index))
        sizes = _sizes(summary["places"].to_numpy(), 10, 34)
        node_rows = []
        for n, (aid, r) in enumerate(summary.iterrows()):
            share = r["vacuum"] / r["places"] if r["places"] else float("nan")
            colour, label = _bin(share, SHARE_BINS)
            lines = [_text(r["name"]), f"{aid} · {_zh(level)}",
                     f"vacuum places: {int(r['vacuum']):,} of {int(r['places']):,} ({_pct(share)}), "
                     f"population {int(r['vacuum_population']):,}",
                     *[f"  {_zh(x)}: {int(r[x]):,} (population {int(r[x + '_population']):,})"
                       for x in reasons if r[x]]]
            spec.node(aid, r["name"], lines, colour, sizes[n],
                      attrs={"name": _text(r["name"]), "kind": "area", "level": level, "share": label,
                             "reason": [x for x in reasons if r[x]] or ["not a vacuum"]})
            node_rows.append((lon[n], lat[n], missing[n], anchor[n]))
        spec.notes.append(
            f"{len(va):,} places (with {len(net.stations if sub is None else st):,} stations) exceed "
            f"max_nodes={max_nodes:,}: shown aggregated to {level} level — {len(summary):,} areas coloured by "
            f"their share of vacuum places (vacuum_summary). Drill into one area with focus='<area id>', "
            f"or raise max_nodes."
        )
        spec.legend.append({"title": "Share of vacuum places 真空比例", "items": [
            _swatch(label, colour) for _, colour, label in SHARE_BINS] + [_swatch("no places", NO_DATA)]})
        spec.legend.append({"title": "size: number of places", "items": []})
        spec.filters = [f for f in (
            _filter("share", "Vacuum share 比例", [d["attrs"]["share"] for d in spec.nodes],
                    [b[2] for b in SHARE_BINS] + ["no data"]),
            _filter("reason", "Has places with reason 原因", [d["attrs"]["reason"] for d in spec.nodes],
                    reasons + ["not a vacuum"], {k: _zh(k) for k in reasons}),
        ) if f]
    # stations and their service circles, in metres
    st_lon = loc["lon"].to_numpy(dtype=float)
    st_lat = loc["lat"].to_numpy(dtype=float)
    all_lon = np.concatenate([np.array([r[0] for r in node_rows], dtype=float), st_lon])
    all_lat = np.concatenate([np.array([r[1] for r in node_rows], dtype=float), st_lat])
    xy = _layout.geo_positions(all_lon, all_lat)
    place_nodes = list(spec.nodes)
    ok = ~np.isnan(xy).any(axis=1)
    # metres per pixel: median nearest-neighbour distance of located nodes ~ 40 px
    m_per_px = 10.0
    if ok.sum() > 1:
        norm = _layout.normalise(xy[ok], 40.0)
        raw = xy[ok] - xy[ok].mean(axis=0)
        span = np.abs(raw).max()
        if span > 0:
            m_per_px = float(np.abs(raw).max() / max(np.abs(norm).max(), 1e-9))
    m_per_px = max(m_per_px, 0.5)
    centre = xy[ok].mean(axis=0) if ok.any() else np.zeros(2)
    px = (xy - centre) / m_per_px
    # places without coordinates: around their anchor, or in a row below the map
    base_y = (np.nanmax(px[:, 1]) if ok.any() else 0.0) + 80.0
    row_x = (np.nanmin(px[:, 0]) if ok.any() else 0.0)
    extra = {}
    sun = _layout.sunflower(len(place_nodes) + 1) * 14.0
    k_row = 0
    for n, (lo_, la_, miss, anc) in enumerate(node_rows):
        if miss and anc is not None:
            extra[anc] = extra.get(anc, 0) + 1
            px[n] = px[n] + sun[extra[anc]]
        elif miss:
            px[n] = (row_x + 40.0 * k_row, base_y)
            k_row += 1
    circles = []
    st_sizes = []
    for j, (sid, r) in enumerate(st.iterrows()):
        k = len(node_rows) + j
        radius_px = float(st_radius[sid]) / m_per_px
        circles.append({"id": f"circle:{sid}", "label": "", "shape": "dot", "size": round(radius_px, 1),
                        "color": {"background": "rgba(39,174,96,0.10)", "border": "rgba(39,174,96,0.45)",
                                  "highlight": {"background": "rgba(39,174,96,0.18)", "border": "#1e8449"},
                                  "hover": {"background": "rgba(39,174,96,0.14)", "border": "#1e8449"}},
                        "borderWidth": 1, "x": round(float(px[k, 0]), 1), "y": round(float(px[k, 1]), 1),
                        "attrs": {"kind": "service circle", "level": "(station)", "reason": ["(station)"],
                                  "share": "(station)"},
                        "scaling": {"min": 1, "max": 100000}, "fixed": True, "physics": False,
                        "chosen": False})
        lines = [_text(r["name"]), f"{sid} · station 阵地 · {_text(r['type'])}",
                 f"service radius: {_num(st_radius[sid])} m (circle drawn to scale)",
                 f"floor area: {_num(r['floor_area_m2'])} m²" if not pd.isna(r["floor_area_m2"]) else "",
                 f"area: {_text(names.get(r['area']))} ({r['area']})",
                 "location: its area's centre" if net.locations.at[sid, "source"] == "area" else ""]
        st_sizes.append((sid, lines, r, k))
    # circles first (drawn underneath), then places, then stations
    spec.nodes = circles + place_nodes
    for d, (x, y) in zip(place_nodes, px[: len(node_rows)]):
        d["x"] = round(float(x), 1)
        d["y"] = round(float(y), 1)
    for sid, lines, r, k in st_sizes:
        d = spec.node(sid, r["name"], lines, CATEGORY_COLOURS["station"], 14, shape="diamond",
                      border="#17202a" if sid == highlight else "#145a32", border_width=2,
                      attrs={"name": _text(r["name"]), "kind": "station", "level": "(station)",
                             "reason": ["(station)"], "share": "(station)"})
        d["x"] = round(float(px[k, 0]), 1)
        d["y"] = round(float(px[k, 1]), 1)
    if len(st):
        spec.legend.append({"title": "Stations 阵地", "items": [
            _swatch("station", CATEGORY_COLOURS["station"], "diamond", "#145a32"),
            {"label": "service circle (radius to scale)", "shape": "", "dashed": False,
             "style": "background-color:rgba(39,174,96,0.15);border-color:rgba(39,174,96,0.6)"}]})
    spec.filters.insert(0, _filter("kind", "Kind 类型", [d["attrs"]["kind"] for d in spec.nodes],
                                   ["place", "area", "station", "service circle"]))
    spec.params["metres_per_pixel"] = round(m_per_px, 3)
    return spec


# ------------------------------------------------------------------ sharing

DEMAND_COLOURS = {"met": "#1e8449", "partly met": "#f39c12", "unmet": "#c0392b"}
RESOURCE_COLOURS = {"fully used": "#1a5276", "partly used": "#5dade2", "idle": "#aab7b8"}
FLOW_COLOURS = {"existing partners": "#2874a6", "new pairing": "#e67e22"}


def _map_pixels(lon, lat, spacing: float = 40.0) -> tuple[np.ndarray, np.ndarray]:
    """Screen positions for points at lon/lat: coincident points spread in a small
    sunflower, points without coordinates in a row below. Returns (xy, located)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    ok = ~(np.isnan(lon) | np.isnan(lat))
    xy = np.zeros((len(lon), 2))
    if ok.any():
        m = _layout.geo_positions(lon[ok], lat[ok])
        key = pd.Series([f"{a:.7f},{b:.7f}" for a, b in zip(lon[ok], lat[ok])])
        uniq = ~key.duplicated().to_numpy()
        if uniq.sum() > 1:
            scaled = _layout.normalise(m[uniq], spacing * 2)
            raw = m[uniq] - m[uniq].mean(axis=0)
            k = np.abs(raw).max()
            factor = (np.abs(scaled).max() / k) if k > 0 else 1.0
            m = (m - m[uniq].mean(axis=0)) * factor
        else:
            m = m - m.mean(axis=0)
        rank = key.groupby(key).cumcount().to_numpy()
        size = key.map(key.value_counts()).to_numpy()
        sun = _layout.sunflower(int(size.max()) + 1) * (spacing * 0.35)
        m = m + np.where(size[:, None] > 1, sun[rank], 0.0)
        xy[ok] = m
    base = (xy[ok, 1].max() if ok.any() else 0.0) + 3 * spacing
    left = xy[ok, 0].min() if ok.any() else 0.0
    for j, k in enumerate(np.flatnonzero(~ok)):
        xy[k] = (left + spacing * j, base)
    return xy, ok


def sharing_spec(net, when, focus, max_nodes, params, seed, result=None) -> _Spec:
    from .. import sharing

    spec = _Spec("sharing", "Resource sharing: matched flows 资源共享匹配")
    spec.geographic = True
    r = result if result is not None else _capture(sharing.match, net, as_of=when, notes=spec.notes, **params)
    spec.params.update({k: v for k, v in r.params.items() if k != "candidates"})
    names = _entity_names(net)
    ent_area = net.entity_areas
    focus_area, highlight = focus if focus else (None, None)
    unmet, idle, flows = r.unmet, r.idle, r.assignments
    d_tab, r_tab = net.demands, net.resources
    owner_area = pd.concat([d_tab["owner"].astype(object).map(ent_area), r_tab["owner"].astype(object).map(ent_area)])
    if focus_area is not None:
        sub = set(_subtree(net, focus_area))
        inside = set(owner_area.index[owner_area.isin(sub).to_numpy()])
        flows = flows[(flows["demand"].isin(inside) | flows["resource"].isin(inside)).to_numpy()]
        keep = inside | set(flows["demand"]) | set(flows["resource"])
        unmet = unmet[unmet.index.isin(keep)]
        idle = idle[idle.index.isin(keep)]
        spec.title += f" — {names.get(focus_area, focus_area)} ({focus_area})"
        spec.notes.append(f"Focus on {names.get(focus_area, focus_area)} ({focus_area}): {len(unmet):,} open "
                          f"demands and {len(idle):,} resources posted in it or matched with it.")
    # quantities are in different units per category (yuan, people, venues): demands are counted,
    # quantities compared within a category only (MatchResult.summary)
    n_met = int(r.summary(by="category")["demands_met"].sum())
    spec.notes.append(f"{len(r.unmet):,} open demands, {n_met:,} fully met ({_pct(r.demands_met_share)} of the open "
                      f"demands; matched quantity by category: MatchResult.summary()); "
                      f"{len(r.pairs[['demand_owner', 'resource_owner']].drop_duplicates()):,} recommended new "
                      f"pairings (sharing.match).")
    n_entity = len(unmet) + len(idle)
    if n_entity == 0:
        spec.notes.append("No open demands or resources to draw.")
        return spec
    max_q = float(flows["quantity"].max()) if len(flows) else 1.0
    if n_entity <= max_nodes:
        loc = net.locations
        ids = list(unmet.index) + list(idle.index)
        lon = loc["lon"].reindex(ids).to_numpy(dtype=float)
        lat = loc["lat"].reindex(ids).to_numpy(dtype=float)
        xy, located = _map_pixels(lon, lat)
        for k, (did, row) in enumerate(unmet.iterrows()):
            status = "met" if row["unmet"] <= 0 else ("unmet" if row["matched"] <= 0 else "partly met")
            owner = d_tab.at[did, "owner"]
            lines = [f"demand 需求 {did} · {_zh(_text(row['category']))}",
                     f"posted by: {_text(names.get(owner))} ({owner})",
                     f"quantity: {_num(row['quantity'])} · matched: {_num(row['matched'])} · unmet: {_num(row['unmet'])}",
                     "" if located[k] else "no location: drawn in the row below the map"]
            spec.node(did, f"{ZH.get(_text(row['category']), _text(row['category']))}·{_text(names.get(owner))}",
                      lines, DEMAND_COLOURS[status], 12, shape="dot",
                      border="#17202a" if owner == highlight else None, border_width=3 if owner == highlight else 1,
                      attrs={"name": f"{_text(names.get(owner))} {did}", "kind": "demand",
                             "category": _text(row["category"]), "status": status})
        for k2, (rid, row) in enumerate(idle.iterrows()):
            status = "idle" if row["used"] <= 0 else ("fully used" if row["idle"] <= 0 else "partly used")
            owner = r_tab.at[rid, "owner"]
            lines = [f"resource 资源 {rid} · {_zh(_text(row['category']))}",
                     f"offered by: {_text(names.get(owner))} ({owner})",
                     f"capacity: {_num(row['capacity'])} · used: {_num(row['used'])} · idle: {_num(row['idle'])}",
                     "" if located[len(unmet) + k2] else "no location: drawn in the row below the map"]
            spec.node(rid, f"{ZH.get(_text(row['category']), _text(row['category']))}·{_text(names.get(owner))}",
                      lines, RESOURCE_COLOURS[status], 12, shape="square",
                      border="#17202a" if owner == highlight else None, border_width=3 if owner == highlight else 1,
                      attrs={"name": f"{_text(names.get(owner))} {rid}", "kind": "resource",
                             "category": _text(row["category"]), "status": status})
        for f in flows.itertuples(index=False):
            kind = "existing partners" if f.existing_partner else "new pairing"
            lines = [f"{f.resource} → {f.demand} · {_zh(_text(f.category))}",
                     f"quantity: {_num(f.quantity)}",
                     f"distance: {_num(f.distance_m, 0)} m" if not pd.isna(f.distance_m) else "distance unknown",
                     "owners already tied 已有联系" if f.existing_partner else "a new pairing 新结对"]
            spec.edge(f.resource, f.demand, colour=FLOW_COLOURS[kind], dashes=not f.existing_partner,
                      width=1 + 6 * math.log1p(f.quantity) / math.log1p(max_q) if max_q > 0 else 1,
                      title_lines=lines, kinds=[kind])
        for d, (x, y) in zip(spec.nodes, xy):
            d["x"], d["y"] = round(float(x), 1), round(float(y), 1)
        spec.options_extra = {"edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}}}
        spec.legend.append({"title": "Demands 需求 (dots)", "items": [
            _swatch(f"{k}", c) for k, c in DEMAND_COLOURS.items()]})
        spec.legend.append({"title": "Resources 资源 (squares)", "items": [
            _swatch(f"{k}", c, "square") for k, c in RESOURCE_COLOURS.items()]})
        spec.legend.append({"title": "Matched flows 匹配 (width: quantity)", "items": [
            _line("owners already tied 已有联系", FLOW_COLOURS["existing partners"]),
            _line("new pairing 新结对", FLOW_COLOURS["new pairing"], True)]})
        spec.legend.append({"title": "positions: owners' locations (coincident ones spread)", "items": []})
        cats = [d["attrs"]["category"] for d in spec.nodes]
        spec.filters = [f for f in (
            _filter("kind", "Kind 类型", [d["attrs"]["kind"] for d in spec.nodes], ["demand", "resource"]),
            _filter("status", "Status 状态", [d["attrs"]["status"] for d in spec.nodes],
                    list(DEMAND_COLOURS) + list(RESOURCE_COLOURS)),
            _filter("category", "Category 类别", cats, list(schema.VOCABULARIES["category"].values),
                    {k: _zh(k) for k in schema.VOCABULARIES["category"].values}),
        ) if f]
    else:
        spec.aggregated = True
        levels = _aggregation_levels(net, focus_area)
        ids = pd.Index(list(unmet.index) + list(idle.index), dtype=object)
        level, groups, fits = _choose_level(net, owner_area.reindex(ids).astype(object), max_nodes, levels)
        spec.level = level
        # per area: demands and resources counted, never quantities of different categories summed
        met = (unmet["unmet"].to_numpy(float) <= 1e-9 * np.maximum(1.0, unmet["quantity"].to_numpy(float)))
        dem = pd.DataFrame({"g": groups.reindex(unmet.index).to_numpy(), "demands": 1, "met": met.astype(int)})
        used = idle["used"].to_numpy(float) > 0
        res = pd.DataFrame({"g": groups.reindex(idle.index).to_numpy(), "resources": 1, "used": used.astype(int)})
        per = dem.groupby("g").sum().join(res.groupby("g").sum(), how="outer").fillna(0).astype(int)
        anames = _area_names(net)
        gids = list(per.index)
        sizes = _sizes((per["demands"] + per["resources"]).to_numpy(float), 10, 34)
        for n, g in enumerate(gids):
            row = per.loc[g]
            share = row["met"] / row["demands"] if row["demands"] > 0 else float("nan")
            colour, label = _bin(share, RATE_BINS)
            lines = [f"{_text(anames.get(g, g))} ({g})",
                     f"open demands: {row['demands']:,} · fully met {row['met']:,} ({_pct(share)})",
                     f"resources: {row['resources']:,} · used {row['used']:,} · unused {row['resources'] - row['used']:,}"]
            spec.node(g, anames.get(g, g), lines, colour, sizes[n],
                      attrs={"name": _text(anames.get(g, g)), "kind": "area", "share": label})
        fl = pd.DataFrame({"a": flows["resource"].map(groups).to_numpy(), "b": flows["demand"].map(groups).to_numpy(),
                           "c": flows["category"].astype(object).to_numpy(), "q": flows["quantity"].to_numpy(),
                           "new": (~flows["existing_partner"].astype(bool)).to_numpy()})
        fl = fl[fl["a"].notna() & fl["b"].notna() & (fl["a"] != fl["b"])]
        # width by the number of assignments; quantities listed per category, never summed across them
        agg = fl.groupby(["a", "b"]).agg(n=("q", "size"), new=("new", "sum")).reset_index()
        per_cat = fl.groupby(["a", "b", "c"])["q"].sum()
        mn = float(agg["n"].max()) if len(agg) else 1.0
        for f in agg.itertuples(index=False):
            kind = "new pairing" if f.new == f.n else "existing partners"
            qs = per_cat.loc[(f.a, f.b)]
            spec.edge(f.a, f.b, colour=FLOW_COLOURS[kind], dashes=kind == "new pairing",
                      width=1 + 6 * math.log1p(f.n) / math.log1p(mn),
                      title_lines=[f"{_text(anames.get(f.a, f.a))} → {_text(anames.get(f.b, f.b))}",
                                   f"{int(f.n)} assignments ({int(f.new)} new pairings)",
                                   " · ".join(f"{_zh(_text(c))} {_num(q)}" for c, q in qs.items())],
                      kinds=[kind])
        a = net.areas
        xy, _ = _map_pixels(a["lon"].reindex(gids).to_numpy(dtype=float), a["lat"].reindex(gids).to_numpy(dtype=float))
        for d, (x, y) in zip(spec.nodes, xy):
            d["x"], d["y"] = round(float(x), 1), round(float(y), 1)
        spec.options_extra = {"edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}}}
        spec.notes.append(
            f"{n_entity:,} demands and resources exceed max_nodes={max_nodes:,}: shown aggregated to {level} level "
            f"— {len(gids):,} areas (by their owners) coloured by the share of their open demands fully met; "
            f"flows between two areas drawn as one edge (width: assignments; quantities per category). "
            f"Drill into one area with focus='<area id>', or raise max_nodes.")
        spec.legend.append({"title": "Share of open demands fully met 需求满足率 (size: demands + resources)", "items": [
            _swatch(label, colour) for _, colour, label in RATE_BINS] + [_swatch("no open demand", NO_DATA)]})
        spec.legend.append({"title": "Flows 匹配 (width: assignments)", "items": [
            _line("owners already tied 已有联系", FLOW_COLOURS["existing partners"]),
            _line("only new pairings 新结对", FLOW_COLOURS["new pairing"], True)]})
        spec.filters = [f for f in (_filter("share", "Demands fully met", [d["attrs"]["share"] for d in spec.nodes],
                                            [b[2] for b in RATE_BINS] + ["no data"]),) if f]
    spec.filters.append({"key": "edge:kinds", "label": "Flows 匹配", "values": [
        {"value": k, "label": k, "count": sum(1 for e in spec.edges if k in e["kinds"])} for k in FLOW_COLOURS]})
    return spec


