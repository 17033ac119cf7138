"""What every view builder shares: the :class:`ViewSpec` it returns, the focus it
draws, and the small helpers that format figures, legends and filters.

A view builder turns an analysis' DataFrame into a :class:`ViewSpec` — nodes,
edges, legend, filters, notes and the parameters used — in plain Python;
:mod:`orgnet.viz.interactive` turns that into a pyvis ``Network`` and a page.
Builders compute no indicator of their own: group-bys of an analysis' rows for
aggregated views, and positions, are drawing work.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, NamedTuple

import numpy as np
import pandas as pd

from ... import schema
from ..._params import fail
from ...errors import OrgnetWarning
from .. import layout
from ..palette import NO_DATA

__all__ = [
    "ViewSpec", "View", "ViewOptions", "Focus", "resolve_focus", "LEVEL_RANK",
    "text", "num", "pct", "short_label", "sizes", "bin_colour", "swatch", "ring", "line", "value_filter",
    "merge_options", "capture", "group_at", "area_names", "entity_names", "subtree", "aggregation_levels",
    "choose_level", "codes",
]

LEVEL_RANK = {lv: i for i, lv in enumerate(schema.LEVELS)}


# ------------------------------------------------------------------ what a builder gets and returns


class Focus(NamedTuple):
    """The area a view is restricted to (None: everything) and the entity outlined in it."""

    area: str | None = None
    entity: str | None = None


@dataclass(frozen=True)
class ViewOptions:
    """Drawing choices of a view beyond the analysis' parameters.

    ``tree``: layout of the tree-shaped views (``"radial"`` or ``"top-down"``);
    ``precomputed``: analysis results the caller already has (``{"match":
    MatchResult}`` for the sharing view), so a report does not solve the same
    problem twice.
    """

    tree: str = "radial"
    precomputed: Mapping[str, Any] = field(default_factory=dict)

    @property
    def radial(self) -> bool:
        return self.tree == "radial"


@dataclass(frozen=True)
class View:
    """One registered view: its builder and what it draws.

    ``build(net, *, when, focus, max_nodes, params, seed, options) -> ViewSpec``
    is the one builder signature; ``analysis`` the module whose results it
    draws; ``tab`` its short bilingual name; ``physics`` whether it is a
    force-laid view (physics on by default when small).
    """

    name: str
    build: Callable[..., "ViewSpec"]
    analysis: str
    tab: str
    physics: bool = False


class ViewSpec:
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
             dashes=False, attrs=None, font=None) -> dict:
        """Append a node (a vis-network dict; ``attrs`` the values the page filters on)."""
        d = {"id": str(id), "label": short_label(label), "title": "\n".join(x for x in title_lines if x != ""),
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

    def edge(self, a, b, *, colour="#aab7b8", width=1.0, dashes=False, title_lines=(), kinds=(),
             opacity=0.8) -> dict:
        """Append an edge; ``kinds`` are the values the page's edge filter uses."""
        d = {"id": f"e{len(self.edges)}", "from": str(a), "to": str(b), "width": round(float(width), 2),
             "color": {"color": colour, "highlight": "#17202a", "hover": "#17202a", "opacity": opacity},
             "dashes": bool(dashes), "kinds": list(kinds)}
        if title_lines:
            d["title"] = "\n".join(x for x in title_lines if x != "")
        self.edges.append(d)
        return d

    def focus_on(self, names: pd.Series, area: str) -> str:
        """Name the focus area in the title; returns its display name."""
        name = names.get(area, area)
        self.title += f" — {name} ({area})"
        return name

    def place(self, pos: np.ndarray, spacing: float = 45.0, normalise: bool = True, nodes=None) -> None:
        """Set ``x``/``y`` of ``nodes`` (default: every node, in order) from ``pos``."""
        pos = layout.normalise(pos, spacing) if normalise else pos
        for d, (x, y) in zip(self.nodes if nodes is None else nodes, pos):
            d["x"] = round(float(x), 1)
            d["y"] = round(float(y), 1)

    def layout_graph(self, groups=(), seed=12345, spacing: float = 45.0) -> None:
        """Force-lay the nodes out along the edges (two-level by ``groups`` when large)."""
        idx = {d["id"]: i for i, d in enumerate(self.nodes)}
        ei = np.array([idx[e["from"]] for e in self.edges], dtype=np.int64)
        ej = np.array([idx[e["to"]] for e in self.edges], dtype=np.int64)
        w = np.array([e["width"] for e in self.edges], dtype=float)
        self.place(layout.graph_positions(len(self.nodes), ei, ej, w, groups=groups, seed=seed), spacing)

    def filters_of(self, *filters) -> list[dict]:
        """The filters that have values (``value_filter`` returns None for none)."""
        return [f for f in filters if f]

    def attr(self, key: str) -> list:
        """The ``attrs[key]`` of every node, in order (what a filter counts)."""
        return [d["attrs"][key] for d in self.nodes]


# ------------------------------------------------------------------ formatting


def text(value) -> str:
    """A cell as display text ("" for a missing value)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def num(value, digits: int = 2) -> str:
    """A number with thousands separators; integers without decimals; "–" when missing."""
    if value is None or pd.isna(value):
        return "–"
    v = float(value)
    if v.is_integer():
        return f"{int(v):,}"
    return f"{v:,.{digits}f}"


def pct(value) -> str:
    return "–" if value is None or pd.isna(value) else f"{100 * float(value):.1f}%"


def short_label(name, limit: int = 14) -> str:
    name = text(name)
    return name if len(name) <= limit else name[: limit - 1] + "…"


def sizes(values, lo: float = 9.0, hi: float = 30.0) -> np.ndarray:
    """Node sizes in [lo, hi] growing with the square root of the values (lo when missing or 0)."""
    v = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)
    out = np.full(len(v), float(lo))  # a float array even when lo is an int (sizes are not truncated)
    ok = ~np.isnan(v) & (v > 0)
    if ok.any():
        top = v[ok].max()
        out[ok] = lo + (hi - lo) * np.sqrt(v[ok] / top)
    return out


def bin_colour(value, bins, no_data: str = NO_DATA) -> tuple[str, str]:
    """(colour, label) of the first bin whose upper bound exceeds ``value``."""
    if value is None or pd.isna(value):
        return no_data, "no data"
    for upper, colour, label in bins:
        if value < upper:
            return colour, label
    return bins[-1][1], bins[-1][2]


def swatch(label: str, colour: str, shape: str = "dot", border: str | None = None) -> dict:
    """A legend item: a filled shape."""
    css = "triangle" if shape == "triangle" else ("diamond" if shape in ("diamond", "star") else
                                                 ("square" if shape == "square" else ""))
    return {"label": label, "shape": css, "dashed": False,
            "style": f"background-color:{colour};border-color:{border or colour}"}


def ring(label: str, colour: str, dashed: bool = False) -> dict:
    """A legend item: an outline."""
    return {"label": label, "shape": "ring", "dashed": False,
            "style": f"background-color:transparent;border-color:{colour};"
                     f"border-style:{'dashed' if dashed else 'solid'}"}


def line(label: str, colour: str, dashed: bool = False) -> dict:
    """A legend item: an edge."""
    return {"label": label, "shape": "line", "dashed": dashed, "style": f"border-top-color:{colour}"}


def value_filter(key: str, label: str, values, order=None, labels=None) -> dict | None:
    """A page filter on node attribute ``key``: each value with its count (None when no values)."""
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


def merge_options(base: dict, extra: dict) -> dict:
    """``base`` updated by ``extra``, nested dicts merged (neither is changed)."""
    out = dict(base)
    for k, v in extra.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge_options(out[k], v)
        else:
            out[k] = v
    return out


def capture(func, *args, notes: list, **kwargs):
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


def codes(values) -> np.ndarray:
    """Integer codes of the values (missing ones share one code)."""
    return pd.factorize(pd.Series(list(values), dtype=object).fillna("(none)"))[0]


# ------------------------------------------------------------------ entities and areas


def group_at(net, areas: pd.Series, level: str) -> pd.Series:
    """Each area's ancestor at ``level``, or the area itself when it lies above that level."""
    anc = areas.map(net.area_paths[level])
    out = anc.where(anc.notna(), areas)
    return out.astype(object).where(out.notna(), "(no area)")


def area_names(net) -> pd.Series:
    return net.areas["name"].astype(object)


def entity_names(net) -> pd.Series:
    """Names of areas, organisations, units and stations, by id."""
    s = pd.concat([net.areas["name"], net.organisations["name"], net.units["name"], net.stations["name"]])
    s = s.astype(object)
    s.index = s.index.astype(object)
    return s


_FOCUS_WHAT = "an area, organisation, unit or station id"


def resolve_focus(net, focus) -> Focus:
    """The :class:`Focus` that ``focus`` names; see :func:`orgnet.viz.interactive`.

    An area id focuses on that area; an organisation, unit or station id on the
    community containing it (or its area, when that lies above community
    level), with the entity outlined.

    Examples
    --------
    In the demo, O11 (春晖社区's committee) is seated in community C11:

    >>> import orgnet
    >>> net = orgnet.datasets.load("demo")
    >>> resolve_focus(net, "S1"), resolve_focus(net, "O11")
    (Focus(area='S1', entity=None), Focus(area='C11', entity='O11'))
    """
    if focus is None:
        return Focus()
    if not isinstance(focus, str):
        fail("focus", _FOCUS_WHAT + " (a string)", focus)
    if focus in net.areas.index:
        return Focus(focus, None)
    areas = net.entity_areas
    if focus in areas.index and focus in net.entity_kinds.index:
        area = areas.get(focus)
        if area is None:
            fail("focus", f"{_FOCUS_WHAT} with an area to drill into", focus)
        comm = net.area_paths.at[area, "community"]
        return Focus(comm if comm is not None else area, focus)
    fail("focus", _FOCUS_WHAT, focus)


def subtree(net, area) -> pd.Index:
    """The ids of ``area`` and every area below it."""
    level = net.areas.at[area, "level"]
    paths = net.area_paths
    return paths.index[(paths[level] == area).to_numpy()]


def aggregation_levels(net, focus_area) -> list[str]:
    """The levels an aggregated entity view tries, finest first."""
    if focus_area is None:
        return ["community", "street", "district", "city"]
    rank = LEVEL_RANK[net.areas.at[focus_area, "level"]]
    finer = [lv for lv in ("grid", "community", "street", "district") if LEVEL_RANK[lv] > rank]
    return finer + [net.areas.at[focus_area, "level"]]


def choose_level(net, areas: pd.Series, max_nodes: int, levels):
    """``(level, groups, fits)``: the finest level at which ``areas`` (one per entity) fall into
    <= max_nodes groups, each entity's group there, and whether that level fits."""
    groups = None
    for lv in levels:
        groups = group_at(net, areas, lv)
        if groups.nunique() <= max_nodes:
            return lv, groups, True
    return levels[-1], groups, False
