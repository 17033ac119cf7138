"""Exporting the network graph: GraphML, GEXF, node-link JSON.

Every file written here parses back with networkx (``nx.read_graphml``,
``nx.read_gexf``, ``json.load`` + ``nx.node_link_graph``) with the same nodes,
edges and attribute values, as described in the Notes of :func:`write_graph`;
every write is atomic (:mod:`orgnet._atomic`).
"""

from __future__ import annotations

import datetime as _dt
import io as _io
import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .._atomic import atomic_file, check_writable
from .._params import Network, Options, validate_params
from ..errors import OrgnetError, OrgnetParameterError
from ..network import OrgNetwork

__all__ = ["write_graph", "to_node_link"]

_FORMATS = ("graphml", "gexf", "json")

#: Attribute names each format's networkx reader or writer uses for itself,
#: per scope. An attribute with such a name is written as ``name_`` (one more
#: ``_`` while that name is taken too); see the Notes of :func:`write_graph`.
_RESERVED = {
    # read_graphml overwrites the edge attribute "id" with the GraphML edge id
    # when the graph has no parallel edges
    "graphml": {"node": (), "edge": ("id",)},
    # write_gexf replaces "key" by the multigraph key (as "networkx_key"),
    # read_gexf takes "networkx_key" as the key and fails on an attribute "key"
    "gexf": {"node": (), "edge": ("key", "networkx_key")},
    # node_link_data writes the node id as "id" and the edge ends and key as
    # "source", "target", "key", overwriting attributes of those names
    "json": {"node": ("id",), "edge": ("source", "target", "key")},
}

#: Names networkx's GEXF writer turns into GEXF structure (node ids, dynamic
#: times, viz elements, ...) or renames ("key"), and its reader does not take back from
#: ``<attvalue>`` elements: written as ordinary attributes under a temporary
#: title, which is then set back to the real name.
_GEXF_STRUCTURAL = {
    "node": ("id", "pid", "start", "end", "parents", "spells", "slices", "viz", "key"),
    "edge": ("weight", "type", "start", "end", "spells", "slices", "viz"),
}
#: Names written as XML attributes of the GEXF element itself (read back as text).
_GEXF_NATIVE_TEXT = {"node": ("label",), "edge": ("id", "label")}

# characters XML 1.0 cannot hold (also not as &#...; references)
_XML_BAD = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


# ---------------------------------------------------------------- values


def _plain(v):
    """An attribute value as a plain Python value the writers accept.

    Returns None for empty values (None, NaN, NaT, pd.NA), which are left out;
    bool, int, float and str as such (numpy scalars as their Python type);
    a date (a timestamp at midnight without a time zone, or a
    ``datetime.date``) as a ``datetime.date``; another timestamp as its ISO
    text; anything else as its text.
    """
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) else float(v)
    if isinstance(v, str):
        return v
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
    """A plain value as text: booleans as true/false, dates ISO."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, _dt.date):
        return _iso(v)
    return str(v)


def _final(v):
    """A plain value as the type GraphML and JSON store: dates as ISO text."""
    return _iso(v) if isinstance(v, _dt.date) else v


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


def _plain_graph(net: OrgNetwork, fmt: str):
    """The network graph with plain values, empty values left out and names
    that ``fmt`` reserves renamed (see :data:`_RESERVED`)."""
    import networkx as nx

    src = net.graph
    nodes = [(n, {str(k): pv for k, v in d.items() if (pv := _plain(v)) is not None})
             for n, d in src.nodes(data=True)]
    edges = [(u, v, k, {str(a): pv for a, b in d.items() if (pv := _plain(b)) is not None})
             for u, v, k, d in src.edges(keys=True, data=True)]
    res = _RESERVED[fmt]
    nmap = _renames({a for _, d in nodes for a in d}, res["node"])
    emap = _renames({a for *_, d in edges for a in d}, res["edge"])
    if nmap:
        nodes = [(n, {nmap.get(a, a): b for a, b in d.items()}) for n, d in nodes]
    if emap:
        edges = [(u, v, k, {emap.get(a, a): b for a, b in d.items()}) for u, v, k, d in edges]
    g = nx.MultiDiGraph(name="" if net.name is None else str(net.name))
    g.add_nodes_from(nodes)
    g.add_edges_from(edges)
    return g


def _export_graph(net: OrgNetwork, fmt: str = "json"):
    """The graph as written in ``fmt`` (GraphML or JSON): plain values, dates as ISO text."""
    g = _plain_graph(net, fmt)
    for _, d in g.nodes(data=True):
        d.update({a: _final(b) for a, b in d.items() if isinstance(b, _dt.date)})
    for *_, d in g.edges(keys=True, data=True):
        d.update({a: _final(b) for a, b in d.items() if isinstance(b, _dt.date)})
    return g


def _check_chars(g, bad: re.Pattern, fmt: str, what: str) -> None:
    """Refuse text that ``fmt`` cannot hold, naming the node or edge and attribute."""

    def find(s):
        return bad.search(s) if isinstance(s, str) else None

    def refuse(where, attr, m):
        c = m.group()
        raise OrgnetError(
            f"cannot write the graph as {fmt}: {where}{attr} holds the character "
            f"U+{ord(c):04X} ({c!r}), which {what}; remove it from the data and read it again"
        )

    if (m := find(g.graph.get("name"))):
        refuse("the network's name", "", m)
    for n, d in g.nodes(data=True):
        if (m := find(n)):
            refuse(f"the id of node {n!r}", "", m)
        for a, v in d.items():
            if (m := find(a) or find(v)):
                refuse(f"node {n!r}, attribute ", repr(a), m)
    for u, v, k, d in g.edges(keys=True, data=True):
        for a, x in d.items():
            if (m := find(a) or find(x)):
                label = f"edge {u!r} → {v!r} ({d.get('kind', 'edge')}"
                label += f", tie {d['tie']}" if "tie" in d else ""
                refuse(label + "), attribute ", repr(a), m)


def _json_ready(v):
    """JSON has no infinite numbers: write them as text."""
    if isinstance(v, float) and not math.isfinite(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


@validate_params(net=Network())
def to_node_link(net: OrgNetwork) -> dict:
    """The graph as a JSON-ready node-link dict (``networkx.node_link_data``).

    Values are those :func:`write_graph` writes to a ``.json`` file (see its
    Notes): dates as ISO text, empty values left out.

    Parameters
    ----------
    net : OrgNetwork

    Returns
    -------
    dict
        With keys ``directed``, ``multigraph``, ``graph``, ``nodes``, ``edges``;
        ``json.dumps(data, allow_nan=False)`` accepts it.

    See Also
    --------
    write_graph : write it (or GraphML, GEXF) to a file.

    Examples
    --------
    >>> import orgnet, json
    >>> data = orgnet.to_node_link(orgnet.datasets.load("demo"))
    >>> sorted(data)[:3], len(json.dumps(data, ensure_ascii=False)) > 0
    (['directed', 'edges', 'graph'], True)
    """
    return _node_link(_export_graph(net, "json"))


def _node_link(g) -> dict:
    import networkx as nx

    data = nx.node_link_data(g, edges="edges")
    for rec in data["nodes"]:
        rec.update({k: _json_ready(v) for k, v in rec.items() if isinstance(v, float)})
    for rec in data["edges"]:
        rec.update({k: _json_ready(v) for k, v in rec.items() if isinstance(v, float)})
    return data


# ---------------------------------------------------------------- XML formats


def _graphml_bytes(net: OrgNetwork) -> bytes:
    from networkx.readwrite.graphml import GraphMLWriter

    g = _export_graph(net, "graphml")
    _check_chars(g, _XML_BAD, "GraphML", "XML 1.0 cannot represent")
    writer = GraphMLWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(g)
    buf = _io.BytesIO()
    writer.dump(buf)
    # ElementTree writes a carriage return in element text as is, and XML
    # parsers read it back as a line feed: write it as a character reference
    return buf.getvalue().replace(b"\r", b"&#13;")


def _gexf_bytes(net: OrgNetwork) -> bytes:
    from networkx.readwrite.gexf import GEXFWriter

    g = _plain_graph(net, "gexf")
    _check_chars(g, _XML_BAD, "GEXF", "XML 1.0 cannot represent")
    scopes = {"node": [d for _, d in g.nodes(data=True)],
              "edge": [d for *_, d in g.edges(keys=True, data=True)]}
    titles: dict[str, str] = {}
    for scope, records in scopes.items():
        names = {a for d in records for a in d}
        # a GEXF attribute has one type: names with values of several types are text
        types: dict[str, set] = {}
        for d in records:
            for a, v in d.items():
                types.setdefault(a, set()).add(type(v))
        mixed = {a for a, ts in types.items() if len(ts) > 1} | set(_GEXF_NATIVE_TEXT[scope])
        # dates at the start or end of an edge become its GEXF time interval
        # (a dynamic graph with timeformat "date"); other values of these names
        # are ordinary attributes
        timed = ("start", "end") if scope == "edge" else ()
        structural = [a for a in _GEXF_STRUCTURAL[scope] if a in names]
        temp = {}
        for i, a in enumerate(structural):
            t = f"orgnet-{scope}-attribute-{i}"
            while t in names:
                t += "_"
            temp[a] = t
            titles[t] = a
        for d in records:
            for a in list(d):
                v = d[a]
                if a in timed and isinstance(v, _dt.date):
                    d[a] = _iso(v)
                    continue
                if a in mixed or isinstance(v, _dt.date):
                    v = _text(v)
                if a in temp:
                    del d[a]
                    d[temp[a]] = v
                else:
                    d[a] = v
    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph(g)
    for el in writer.xml.iter("attribute"):
        if el.get("title") in titles:
            el.set("title", titles[el.get("title")])
    buf = _io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@validate_params(net=Network(), format=[Options("graphml", "gexf", "json"), None])
def write_graph(net: OrgNetwork, path, *, format: str | None = None) -> Path:
    """Export the network graph (:attr:`OrgNetwork.graph`) for Gephi and other tools.

    The file is written atomically: it appears whole at ``path`` or not at
    all (an existing file is replaced only once the new one is complete).

    Parameters
    ----------
    net : OrgNetwork
    path : str or Path
    format : {"graphml", "gexf", "json"}, optional
        Default: from the file suffix (``.graphml``, ``.gexf``, ``.json``).

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
    ``nx.read_gexf(p)`` and ``nx.node_link_graph(json.load(f), edges="edges")``
    — and give the same nodes (ids as text), edges (multigraph keys kept) and
    attribute values, as follows.

    - Empty cells are left out. Text (including line breaks, tabs, markup
      characters and any Unicode) is kept exactly; whole numbers, numbers and
      booleans keep their type; dates are ISO text ``YYYY-MM-DD``; a timestamp
      with a time of day or zone is ISO text (``2024-05-01T08:30:00``); other
      values (only possible in extra columns of DataFrames built in Python)
      are their text.
    - GraphML: every value as above. An edge attribute named ``id`` is
      written as ``id_``, because ``nx.read_graphml`` stores the GraphML edge
      id there when the graph has no parallel edges.
    - GEXF: a tie's ``start`` and ``end`` dates are its time interval (the
      graph is dynamic, ``timeformat="date"``, as Gephi's timeline expects)
      and read back as ISO text. A node's ``label`` and an edge's ``id`` and
      ``label`` are the GEXF label and edge id, read back as text; nodes
      without a label read back with their id as label, edges without an id
      with a generated one. An attribute has one type in GEXF, so an
      attribute whose values have different types (possible only in extra
      columns of DataFrames) is written as text, booleans as ``true`` /
      ``false``. An edge attribute ``key`` (or ``networkx_key``) is written
      as ``key_`` (``networkx_key_``), since networkx uses those names for the
      multigraph key.
    - JSON: every value as above; a non-finite number (possible only in extra
      columns of DataFrames) is the text ``"Infinity"`` or ``"-Infinity"``,
      since JSON has none, so the file is strict JSON. An edge attribute
      ``key`` is written as ``key_``, because ``key``, ``source`` and
      ``target`` hold the edge itself.
    - Renamed attributes get one more ``_`` while the new name is taken.

    Examples
    --------
    >>> import orgnet, tempfile, os, networkx as nx
    >>> p = orgnet.write_graph(orgnet.datasets.load("demo"), os.path.join(tempfile.mkdtemp(), "demo.gexf"))
    >>> nx.read_gexf(p).number_of_nodes() == orgnet.datasets.load("demo").graph.number_of_nodes()
    True
    """
    p = Path(path)
    fmt = (format or p.suffix.lstrip(".")).lower()
    if fmt not in _FORMATS:
        raise OrgnetParameterError(
            f"The 'format' parameter of write_graph must be one of graphml, gexf, json. Got {fmt!r} instead."
        )
    check_writable(p)
    if fmt == "json":
        g = _export_graph(net, "json")
        _check_chars(g, _SURROGATE, "JSON", "is half of a UTF-16 pair and no character")
        text = json.dumps(_node_link(g), ensure_ascii=False, allow_nan=False)
        with atomic_file(p, "w", encoding="utf-8") as fh:
            fh.write(text)
        return p
    content = _graphml_bytes(net) if fmt == "graphml" else _gexf_bytes(net)
    with atomic_file(p, "wb") as fh:
        fh.write(content)
    return p
