"""Exporting the network graph: GraphML, GEXF, node-link JSON.

Every file written here is valid against its format's published schema
(GraphML 1.0, GEXF 1.2; the XSDs are in ``tests/data/xsd/``), byte for byte
the same for the same network, and parses back with networkx
(``nx.read_graphml``, ``nx.read_gexf``, ``nx.node_link_graph(..., edges="links")``)
and igraph (``igraph.Graph.Read_GraphML``) with the same nodes, edges and
attribute values, as described in the Notes of :func:`write_graph` and in
``docs/interop.md``. Every write is atomic (:mod:`orgnet._atomic`).

The writers build the text themselves (no networkx writer): so edge ids are
unique, no networkx internal (the multigraph key, ``networkx_key``) and no
time stamp is written, and a GEXF node carries the colour, position and size
of the views (:mod:`orgnet.viz.palette`, :mod:`orgnet.viz.layout`).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .._atomic import atomic_file, check_writable
from .._params import Network, Options, Seed, validate_params
from ..errors import OrgnetError, OrgnetParameterError
from ..network import OrgNetwork

__all__ = ["write_graph", "to_node_link"]

_FORMATS = ("graphml", "gexf", "json")

#: Attribute names a format (or the networkx reader of it) uses for itself,
#: per scope. An attribute with such a name is written as ``name_`` (one more
#: ``_`` while that name is taken too); see the Notes of :func:`write_graph`.
_RESERVED = {
    # read_graphml stores the GraphML edge id as the edge attribute "id" when
    # the graph has no parallel edges
    "graphml": {"node": (), "edge": ("id",)},
    # a GEXF node's label is the entity's name; an edge's id is the edge id
    # (read_gexf stores it as "id"); read_gexf takes "networkx_key" as the
    # multigraph key and fails on an attribute "key"
    "gexf": {"node": ("label",), "edge": ("id", "key", "networkx_key")},
    # the node id is "id"; a link's ends are "source" and "target", its id
    # "id"; node_link_graph takes "key" as the multigraph key
    "json": {"node": ("id",), "edge": ("source", "target", "key", "id")},
}

#: the layout seed of the GEXF positions (the views' default)
SEED = 12345
#: canvas distance between neighbouring nodes (as in the views)
_SPACING = 45.0
#: node sizes (as in the views: 9 to 30, growing with the square root)
_SIZE_LO, _SIZE_HI = 9.0, 30.0

# characters XML 1.0 cannot hold (also not as &#...; references)
_XML_BAD = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")

_GRAPHML_NS = ('xmlns="http://graphml.graphdrawing.org/xmlns" '
               'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
               'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
               'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"')
_GEXF_NS = ('xmlns="http://www.gexf.net/1.2draft" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://www.gexf.net/1.2draft '
            'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2"')
_XML_HEAD = "<?xml version='1.0' encoding='utf-8'?>"


# ---------------------------------------------------------------- values


def _plain(v):
    """An attribute value as a plain Python value the writers accept.

    Returns None for empty values (None, NaN, NaT, pd.NA), which are left out;
    bool, int, float and str as such (numpy scalars as their Python type);
    a date (a timestamp at midnight without a time zone, or a
    ``datetime.date``) as a ``datetime.date``; another timestamp as its ISO
    text; anything else as its text.
    """
    t = type(v)
    if t is str or t is bool or t is int:
        return v
    if t is float:
        return None if math.isnan(v) else v
    if v is None:
        return None
    if isinstance(v, str):
        return str(v)
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) else float(v)
    if isinstance(v, np.datetime64):
        v = pd.Timestamp(v)
    if v is pd.NaT:
        return None
    if isinstance(v, _dt.datetime):
        if v.tzinfo is None and (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0) \
                and not getattr(v, "nanosecond", 0):
            return _dt.date(v.year, v.month, v.day)
        return v.isoformat()
    if isinstance(v, _dt.date):
        return v
    missing = pd.isna(v)
    if isinstance(missing, (bool, np.bool_)) and missing:
        return None
    return str(v)


def _iso(d: _dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def _text(v) -> str:
    """A plain value as text: booleans as true/false, dates ISO, numbers as :func:`_number`."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, _dt.date):
        return _iso(v)
    if isinstance(v, float):
        return _number(v)
    return str(v)


def _number(v: float) -> str:
    """A float as XML text every reader parses: ``repr``, infinities as ``Infinity``.

    ``Infinity`` is what Java (Gephi, yEd) parses; Python, networkx and
    igraph (``strtod``) read it too.
    """
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return repr(v)


def _renames(names, reserved) -> dict:
    """Map each reserved name present to ``name_`` (``_`` added until free)."""
    out = {}
    taken = set(names)
    for r in reserved:
        if r in taken:
            new = r + "_"
            while new in taken or new in reserved:
                new += "_"
            taken.add(new)
            out[r] = new
    return out


def _records(net: OrgNetwork, fmt: str):
    """The graph as plain records, in :attr:`OrgNetwork.graph` order.

    Returns ``(name, nodes, edges)``: ``nodes`` a list of ``(id, attrs)``,
    ``edges`` a list of ``(source, target, attrs)`` (edge ``i`` has id
    ``e{i}``); plain values (:func:`_plain`), empty values left out, names
    that ``fmt`` reserves renamed (:data:`_RESERVED`).
    """
    src = net.graph
    nodes = [(str(n), {str(k): pv for k, v in d.items() if (pv := _plain(v)) is not None})
             for n, d in src.nodes(data=True)]
    edges = [(str(u), str(v), {str(k): pv for k, x in d.items() if (pv := _plain(x)) is not None})
             for u, v, d in src.edges(data=True)]
    res = _RESERVED[fmt]
    nmap = _renames({a for _, d in nodes for a in d}, res["node"])
    emap = _renames({a for *_, d in edges for a in d}, res["edge"])
    if nmap:
        nodes = [(n, {nmap.get(a, a): b for a, b in d.items()}) for n, d in nodes]
    if emap:
        edges = [(u, v, {emap.get(a, a): b for a, b in d.items()}) for u, v, d in edges]
    name = "" if net.name is None else str(net.name)
    return name, nodes, edges


def _refuse_characters(name, nodes, edges, bad: re.Pattern, fmt: str, what: str) -> None:
    """Refuse text that ``fmt`` cannot hold, naming the node or edge and attribute."""

    def find(s):
        return bad.search(s) if isinstance(s, str) else None

    def refuse(where, attr, m):
        c = m.group()
        raise OrgnetError(
            f"cannot write the graph as {fmt}: {where}{attr} holds the character "
            f"U+{ord(c):04X} ({c!r}), which {what}; remove it from the data and read it again"
        )

    if (m := find(name)):
        refuse("the network's name", "", m)
    for n, d in nodes:
        if (m := find(n)):
            refuse(f"the id of node {n!r}", "", m)
        for a, v in d.items():
            if (m := find(a) or find(v)):
                refuse(f"node {n!r}, attribute ", repr(a), m)
    for u, v, d in edges:
        for a, x in d.items():
            if (m := find(a) or find(x)):
                label = f"edge {u!r} → {v!r} ({d.get('kind', 'edge')}"
                label += f", tie {d['tie']}" if "tie" in d else ""
                refuse(label + "), attribute ", repr(a), m)


# ---------------------------------------------------------------- XML text

_TEXT_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                           "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _esc(s: str) -> str:
    """Element text: markup characters escaped, a carriage return as a reference
    (an XML parser reads a literal one as a line feed)."""
    return s.translate(_TEXT_ESC)


def _attr(s: str) -> str:
    """An XML attribute value (double-quoted): line breaks and tabs as references,
    since a parser turns literal ones into spaces."""
    return s.translate(_ATTR_ESC)


# ---------------------------------------------------------------- GraphML

_GRAPHML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _graphml_text(name: str, nodes, edges) -> str:
    """GraphML 1.0: one ``<key>`` per (scope, name, type); edges ``e0``, ``e1``, ..."""
    keys: dict = {}
    decl: list[str] = []

    def key(scope, a, t) -> str:
        kid = keys[(scope, a, t)] = f"d{len(keys)}"
        decl.append(f'  <key id="{kid}" for="{scope}" attr.name="{_attr(a)}" '
                    f'attr.type="{_GRAPHML_TYPES[t]}" />')
        return kid

    def data(scope, d, out, indent):
        for a, v in d.items():
            t = type(v)
            if t is str:
                s = v.translate(_TEXT_ESC)
            elif t is bool:
                s = "true" if v else "false"
            elif t is int:
                s = str(v)
            elif t is float:
                s = _number(v)
            else:  # a date
                s, t = _iso(v), str
            kid = keys.get((scope, a, t)) or key(scope, a, t)
            out.append(f'{indent}<data key="{kid}">{s}</data>')

    body: list[str] = []
    if name:
        data("graph", {"name": name}, body, "    ")
    for n, d in nodes:
        if d:
            body.append(f'    <node id="{_attr(n)}">')
            data("node", d, body, "      ")
            body.append("    </node>")
        else:
            body.append(f'    <node id="{_attr(n)}" />')
    for i, (u, v, d) in enumerate(edges):
        head = f'    <edge id="e{i}" source="{_attr(u)}" target="{_attr(v)}"'
        if d:
            body.append(head + ">")
            data("edge", d, body, "      ")
            body.append("    </edge>")
        else:
            body.append(head + " />")
    return "\n".join([_XML_HEAD, f"<graphml {_GRAPHML_NS}>", *decl,
                      '  <graph edgedefault="directed">', *body, "  </graph>", "</graphml>", ""])


# ---------------------------------------------------------------- GEXF

_GEXF_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _category(d: dict) -> str:
    """A node's category of the views' palette: ``"<scope> organisation"``, unit, area, station."""
    kind = d.get("kind")
    if kind == "organisation":
        return f"{d.get('scope')} organisation"
    return kind if isinstance(kind, str) else ""


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _gexf_viz(net: OrgNetwork, nodes, edges, seed):
    """Colour, position and size of every node (see the Notes of :func:`write_graph`)."""
    from ..viz import layout, palette

    n = len(nodes)
    index = {v: i for i, (v, _) in enumerate(nodes)}
    ei = np.fromiter((index[u] for u, _, _ in edges), dtype=np.int64, count=len(edges))
    ej = np.fromiter((index[v] for _, v, _ in edges), dtype=np.int64, count=len(edges))
    # groups of the two-level layout, as the ties view: community, street, district
    # of each node's area (an event: its convener's)
    ent_area = {str(k): v for k, v in net.entity_areas.items()}
    area = pd.Series([ent_area.get(v) if d.get("kind") != "event" else ent_area.get(str(d.get("convener")))
                      for v, d in nodes], dtype=object)
    paths = net.area_paths
    groups = []
    for level in ("community", "street", "district"):
        anc = area.map(paths[level]) if level in paths else pd.Series([None] * n, dtype=object)
        g = anc.where(anc.notna(), area)
        groups.append(pd.factorize(g.astype(object).where(g.notna(), "(no area)"))[0])
    deg = np.bincount(np.concatenate([ei, ej]), minlength=n).astype(float)
    if n > layout.SPRING_MAX:
        # two-level: the communities are laid out by the ties between them, each
        # community's members in a disc around its centre, hubs in the middle
        # (the edges inside communities are left out: the small force layouts of
        # the members would cost seconds on a city, and a disc is what the views
        # draw for big groups)
        cross = groups[0][ei] != groups[0][ej]
        ei, ej = ei[cross], ej[cross]
    pos = layout.normalise(layout.graph_positions(n, ei, ej, groups=groups, seed=seed), _SPACING)
    size = np.full(n, _SIZE_LO)
    if n and deg.max() > 0:
        size = _SIZE_LO + (_SIZE_HI - _SIZE_LO) * np.sqrt(deg / deg.max())
    colours = []
    for _, d in nodes:
        cat = _category(d)
        colours.append(_rgb(palette.CATEGORY_COLOURS.get(cat, palette.NO_DATA if cat == "event"
                                                              else "#7f8c8d")))
    tie_colours = {k: _rgb(c) for k, c in palette.TIE_COLOURS.items()}
    return colours, pos, size, tie_colours


def _gexf_text(net: OrgNetwork, name: str, nodes, edges, seed) -> str:
    """GEXF 1.2 (namespace ``1.2draft``): typed attributes, tie intervals, viz."""
    # a tie's start and end dates are its time interval; an edge's label its GEXF label
    spans, labels = [], []
    for _, _, d in edges:
        s, e = d.get("start"), d.get("end")
        span = ""
        if isinstance(s, _dt.date):
            span += f' start="{_iso(d.pop("start"))}"'
        if isinstance(e, _dt.date):
            span += f' end="{_iso(d.pop("end"))}"'
        spans.append(span)
        labels.append(f' label="{_attr(_text(d.pop("label")))}"' if "label" in d else "")
    # one type per attribute: several types (or dates) are text
    decl: list[str] = []
    ids: dict = {}
    text_attrs: dict = {}
    for scope, records in (("node", [d for _, d in nodes]), ("edge", [d for *_, d in edges])):
        types: dict = {}
        for d in records:
            for a, v in d.items():
                types.setdefault(a, set()).add(type(v))
        decl.append(f'    <attributes class="{scope}" mode="static">')
        for a, ts in types.items():
            t = _GEXF_TYPES.get(next(iter(ts)), "string") if len(ts) == 1 else "string"
            aid = ids[(scope, a)] = str(len(ids))
            if t == "string":
                text_attrs[(scope, a)] = True
            decl.append(f'      <attribute id="{aid}" title="{_attr(a)}" type="{t}" />')
        decl.append("    </attributes>")

    def attvalues(scope, d, out):
        if d:
            out.append("        <attvalues>")
            out.extend([f'          <attvalue for="{ids[(scope, a)]}" value="{_attr(v if type(v) is str else _text(v))}" />'
                        for a, v in d.items()])
            out.append("        </attvalues>")

    colours, pos, size, tie_colours = _gexf_viz(net, nodes, edges, seed)
    # the views' canvas y grows downwards, Gephi's upwards
    xs = [_number(round(float(x), 1) + 0.0) for x in pos[:, 0]] if len(nodes) else []
    ys = [_number(round(-float(y), 1) + 0.0) for y in pos[:, 1]] if len(nodes) else []
    sizes = [_number(round(float(z), 2)) for z in size]
    body = ["    <nodes>"]
    for i, (n, d) in enumerate(nodes):
        label = d.get("name")
        label = label if isinstance(label, str) else n
        body.append(f'      <node id="{_attr(n)}" label="{_attr(label)}">')
        attvalues("node", d, body)
        r, g, b = colours[i]
        body.append(f'        <color r="{r}" g="{g}" b="{b}" />\n'
                    f'        <position x="{xs[i]}" y="{ys[i]}" z="0.0" />\n'
                    f'        <size value="{sizes[i]}" />\n'
                    "      </node>")
    body.append("    </nodes>")
    body.append("    <edges>")
    for i, (u, v, d) in enumerate(edges):
        body.append(f'      <edge id="e{i}" source="{_attr(u)}" target="{_attr(v)}"{spans[i]}{labels[i]}>')
        attvalues("edge", d, body)
        c = tie_colours.get(d.get("kind")) if "tie" in d else None
        if c is not None:
            body.append(f'        <color r="{c[0]}" g="{c[1]}" b="{c[2]}" />')
        body.append("      </edge>")
    body.append("    </edges>")
    dynamic = any(spans)
    graph = ('  <graph defaultedgetype="directed" idtype="string" '
             + ('mode="dynamic" timeformat="date">' if dynamic else 'mode="static">'))
    meta = ["  <meta>", "    <creator>orgnet</creator>"]
    if name:
        meta.append(f"    <description>{_esc(name)}</description>")
    meta.append("  </meta>")
    return "\n".join([_XML_HEAD, f"<gexf {_GEXF_NS}>", *meta, graph, *decl, *body, "  </graph>",
                      "</gexf>", ""])


# ---------------------------------------------------------------- node-link JSON


def _json_value(v):
    """A plain value as JSON holds it: dates ISO, infinite numbers as text."""
    if isinstance(v, _dt.date):
        return _iso(v)
    if isinstance(v, float) and not math.isfinite(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def _node_link(name: str, nodes, edges) -> dict:
    """d3's node-link shape (what ``nx.node_link_data(G, edges="links")`` gives),
    built without networkx: ``links`` carry ``source``, ``target`` and the edge ``id``."""
    return {
        "directed": True,
        "multigraph": True,
        "graph": {"name": name},
        "nodes": [{"id": n, **{a: _json_value(v) for a, v in d.items()}} for n, d in nodes],
        "links": [{"source": u, "target": v, "id": f"e{i}", **{a: _json_value(x) for a, x in d.items()}}
                  for i, (u, v, d) in enumerate(edges)],
    }


@validate_params(net=Network())
def to_node_link(net: OrgNetwork) -> dict:
    """The graph as a JSON-ready node-link dict, in the shape d3 expects.

    ``{"directed": true, "multigraph": true, "graph": {"name": ...},
    "nodes": [{"id": ..., ...}], "links": [{"source": ..., "target": ...,
    "id": "e0", ...}]}``: what ``networkx.node_link_data(G, edges="links")``
    gives, built without networkx (so any networkx the package allows will
    do). Values are those :func:`write_graph` writes to a ``.json`` file (see
    its Notes): dates as ISO text, empty values left out.

    Parameters
    ----------
    net : OrgNetwork

    Returns
    -------
    dict
        With keys ``directed``, ``multigraph``, ``graph``, ``nodes``, ``links``;
        ``json.dumps(data, allow_nan=False)`` accepts it;
        ``nx.node_link_graph(data, edges="links")`` (networkx >= 3.4;
        ``nx.node_link_graph(data)`` before) reads it back.

    See Also
    --------
    write_graph : write it (or GraphML, GEXF) to a file.

    Examples
    --------
    >>> import orgnet
    >>> data = orgnet.to_node_link(orgnet.datasets.load("demo"))
    >>> sorted(data), data["links"][0]
    (['directed', 'graph', 'links', 'multigraph', 'nodes'], {'source': 'D1', 'target': 'S1', 'id': 'e0', 'kind': 'contains'})
    """
    return _node_link(*_records(net, "json"))


# ---------------------------------------------------------------- writing


def _content(net: OrgNetwork, fmt: str, seed) -> bytes:
    name, nodes, edges = _records(net, fmt)
    if fmt == "json":
        text = json.dumps(_node_link(name, nodes, edges), ensure_ascii=False, allow_nan=False)
        bad, what = _SURROGATE, "is half of a UTF-16 pair and no character"
    else:
        text = _graphml_text(name, nodes, edges) if fmt == "graphml" else _gexf_text(net, name, nodes, edges, seed)
        bad, what = _XML_BAD, "XML 1.0 cannot represent"
    if bad.search(text):  # rare: find where, for the message
        _refuse_characters(*_records(net, fmt), bad, {"graphml": "GraphML", "gexf": "GEXF"}.get(fmt, "JSON"), what)
        raise AssertionError("a refused character was not located")  # pragma: no cover
    return text.encode("utf-8")


@validate_params(net=Network(), format=[Options("graphml", "gexf", "json"), None], seed=Seed())
def write_graph(net: OrgNetwork, path, *, format: str | None = None, seed=SEED) -> Path:
    """Export the network graph (:attr:`OrgNetwork.graph`) for Gephi and other tools.

    GraphML and GEXF files are valid against the published schemas (GraphML
    1.0, GEXF 1.2), node-link JSON is in d3's shape; the same network gives
    the same bytes (no time stamps). The file is written atomically: it
    appears whole at ``path`` or not at all (an existing file is replaced only
    once the new one is complete).

    Parameters
    ----------
    net : OrgNetwork
    path : str or Path
    format : {"graphml", "gexf", "json"}, optional
        Default: from the file suffix (``.graphml``, ``.gexf``, ``.json``).
    seed : int or numpy.random.Generator, default 12345
        Seed of the GEXF node positions (the views' default); not used by the
        other formats.

    Returns
    -------
    Path

    Raises
    ------
    OrgnetParameterError
        ``format`` (or the suffix) is not one of the three formats.
    OrgnetError
        ``path`` cannot be written, or a text holds a character the format
        cannot represent (XML 1.0 has no control characters other than tab,
        line feed and carriage return, and no U+FFFE/U+FFFF; no format holds a
        lone surrogate); the message names the node or edge and attribute.

    See Also
    --------
    to_node_link : the JSON form as a dict.
    read_dataset, write_dataset : the tables themselves, which keep every value.

    Notes
    -----
    The files parse with networkx — ``nx.read_graphml(p)``,
    ``nx.read_gexf(p)`` and ``nx.node_link_graph(json.load(f), edges="links")``
    — and give the same nodes (ids as text), edges and attribute values, as
    follows (``docs/interop.md`` has igraph and the table of how each reader
    reads a missing value).

    - Edge ``i`` of :attr:`OrgNetwork.graph` (in its order) has the id
      ``e{i}`` in every format: the GraphML and GEXF edge id (networkx reads
      it as the multigraph key; ``read_gexf`` also as the attribute ``id``),
      the ``id`` of a JSON link. The networkx multigraph key itself is not
      written.
    - Empty cells are left out. Text (including line breaks, tabs, markup
      characters and any Unicode) is kept exactly; whole numbers, numbers and
      booleans keep their type (GraphML ``long``, ``double``, ``boolean``);
      dates are ISO text ``YYYY-MM-DD``; a timestamp with a time of day or
      zone is ISO text (``2024-05-01T08:30:00``); other values (only possible
      in extra columns of DataFrames built in Python) are their text.
    - GraphML: every value as above; infinite numbers are ``Infinity``. An
      edge attribute named ``id`` is written as ``id_``, because
      ``nx.read_graphml`` stores the GraphML edge id there when the graph has
      no parallel edges. The file is schema-valid when every node id and
      attribute name is an XML name token (letters of any script, digits,
      ``.``, ``-``, ``_``, ``:``), as GraphML requires; other ids and names
      are written as they are (every reader takes them).
    - GEXF: a node's label is its ``name`` (its id when it has none), its
      colour the views' colour of its category
      (:data:`orgnet.viz.palette.CATEGORY_COLOURS`: organisations by scope,
      units, areas, stations; events grey), its position the ties view's
      seeded layout (:func:`orgnet.viz.layout.graph_positions` over every
      edge, grouped by community, street and district of the node's area, an
      event's by its convener's; y upwards) and its size 9–30 growing with the
      square root of its degree. A tie's edge has its kind's colour
      (:data:`~orgnet.viz.palette.TIE_COLOURS`); its ``start`` and ``end``
      dates are its time interval (the graph is dynamic,
      ``timeformat="date"``, as Gephi's timeline expects) and read back as
      ISO text. The colour, position and size elements are in the GEXF
      namespace, where the published XSD declares them; Gephi reads them
      there, networkx's reader (which looks in the ``viz`` namespace) does
      not. The network's name is the ``<meta>`` description (GEXF 1.2 has no
      graph name). An edge's ``label`` is its GEXF label, read back as text. An
      attribute has one type in GEXF, so an attribute whose values have
      different types (possible only in extra columns of DataFrames) is
      written as text, booleans as ``true`` / ``false``. A node attribute
      ``label`` and edge attributes ``id``, ``key`` and ``networkx_key`` are
      written as ``label_``, ``id_``, ``key_``, ``networkx_key_``.
    - JSON: every value as above; a non-finite number (possible only in extra
      columns of DataFrames) is the text ``"Infinity"`` or ``"-Infinity"``,
      since JSON has none, so the file is strict JSON. A node attribute
      ``id`` and edge attributes ``source``, ``target``, ``key`` and ``id``
      are written with a ``_`` added, as those names hold the node and link
      themselves.
    - Renamed attributes get one more ``_`` while the new name is taken.

    Examples
    --------
    >>> import orgnet, tempfile, os, networkx as nx
    >>> net = orgnet.datasets.load("demo")
    >>> p = orgnet.write_graph(net, os.path.join(tempfile.mkdtemp(), "demo.gexf"))
    >>> g = nx.read_gexf(p)
    >>> g.number_of_nodes() == net.graph.number_of_nodes(), g.nodes["C11"]["label"]
    (True, '春晖社区')
    """
    p = Path(path)
    fmt = (format or p.suffix.lstrip(".")).lower()
    if fmt not in _FORMATS:
        raise OrgnetParameterError(
            f"The 'format' parameter of write_graph must be one of graphml, gexf, json. Got {fmt!r} instead."
        )
    check_writable(p)
    content = _content(net, fmt, seed)
    with atomic_file(p, "wb") as fh:
        fh.write(content)
    return p
