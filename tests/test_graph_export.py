"""Every GraphML/GEXF/JSON file write_graph writes parses back in networkx with
the same nodes, edges and attribute values (as documented in write_graph's
Notes), whatever text, extra columns and typed values the network holds; and
the writes are atomic.

Property tests (hypothesis) build networks from the tiny dataset with hostile
names, hostile extra-column headers and typed extra values, write each format
and read it back. They run derandomized (reproducibly) when ``CI=true``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import orgnet
from orgnet import schema

from conftest import tiny_tables

CI = os.environ.get("CI") == "true"


def _settings(n: int):
    kw = dict(max_examples=n, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    if CI:
        kw.update(derandomize=True, database=None)
    return settings(**kw)


# ---------------------------------------------------------------- strategies

#: characters read_dataset accepts in text: no control characters but tab and
#: line feed; no surrogates; no U+FFFE/U+FFFF
CHARS = st.characters(
    codec="utf-8",
    exclude_categories=("Cs", "Cc"),
    include_characters="\t\n",
    exclude_characters="\ufffe\uffff",
)
HOSTILE = st.sampled_from(["<", ">", "&", '"', "'", "\n", "\t", " ", "😀", "𠀀", "&amp;", "]]>",
                           "<!--", "\u2028", "\u200b", "中文", "=", "&#13;", "\\", "%s"])
TEXT = st.one_of(
    st.text(CHARS, min_size=1, max_size=10),
    st.lists(st.one_of(HOSTILE, st.text(CHARS, max_size=3)), min_size=1, max_size=5).map("".join),
)
LONG_TEXT = st.integers(1000, 20000).map(lambda n: ("长文本<&>\n" * (n // 8 + 1))[:n])
#: a cell value: not only white space (that is an empty cell)
VALUE_TEXT = st.one_of(TEXT, TEXT, TEXT, LONG_TEXT).map(lambda s: s if s.strip() else s + "x")
ID_TEXT = TEXT.map(lambda s: s.strip() or "x")

#: headers the graph formats (or networkx) give a meaning to, and others
SPECIAL_HEADERS = ["label", "viz", "start", "end", "weight", "key", "networkx_key", "type",
                   "pid", "parents", "spells", "slices", "id", "source", "target", "kind", "tie",
                   "中文 列", "with space", "123", "0", "<&>", "id_", "key_", "label_"]
HEADER = st.one_of(st.sampled_from(SPECIAL_HEADERS), ID_TEXT)


def _free_header(table: str, h: str) -> bool:
    """An extra column of ``table`` may be named ``h`` (it is no known column)."""
    known = schema.TABLES[table].header_lookup()
    return (h.lower() not in known and h.strip().lower() not in schema.RESERVED_EXTRA
            and not h.startswith("Unnamed: "))


@st.composite
def typed_column(draw, n: int):
    """n values of one column as a DataFrame built in Python would hold them."""
    kind = draw(st.sampled_from(["text", "bool", "int", "float", "date", "datetime"]))

    def cells(values):
        return draw(st.lists(st.one_of(st.none(), values), min_size=n, max_size=n))

    if kind == "text":
        pool = draw(st.lists(VALUE_TEXT, min_size=1, max_size=3))
        return pd.Series(cells(st.sampled_from(pool)), dtype=object)
    if kind == "bool":
        return pd.Series(pd.array(cells(st.booleans()), dtype="boolean"))
    if kind == "int":
        ints = st.one_of(st.integers(-(2**63), 2**63 - 1), st.integers(-5, 5))
        return pd.Series(pd.array(cells(ints), dtype="Int64"))
    if kind == "float":
        floats = st.one_of(st.floats(allow_nan=False), st.sampled_from([0.1, -0.0, 1e300, 5e-324]))
        return pd.Series([np.nan if v is None else v for v in cells(floats)], dtype="float64")
    if kind == "date":
        days = st.dates(dt.date(1700, 1, 1), dt.date(2250, 12, 31))
        return pd.Series(pd.to_datetime(cells(days)), dtype="datetime64[ns]")
    times = st.datetimes(dt.datetime(1700, 1, 1), dt.datetime(2250, 1, 1))
    return pd.Series(pd.to_datetime(cells(times)), dtype="datetime64[ns]")


@st.composite
def networks(draw, *, typed: bool):
    """The tiny dataset with hostile names, notes and extra columns."""
    t = tiny_tables()
    for table, col in (("areas", "name"), ("organisations", "name"), ("units", "name"),
                       ("ties", "note")):
        df = t[table]
        rows = draw(st.lists(st.integers(0, len(df) - 1), max_size=3, unique=True))
        for r in rows:
            df.loc[r, col] = draw(VALUE_TEXT)
    shared = draw(st.lists(HEADER, min_size=1, max_size=3, unique=True))
    for table in ("areas", "units", "organisations", "stations", "ties"):
        df = t[table]
        headers = draw(st.lists(st.one_of(st.sampled_from(shared), HEADER),
                                max_size=3, unique_by=str.lower))
        for h in headers:
            if not _free_header(table, h):
                continue
            if typed:
                df[h] = draw(typed_column(len(df)))
            else:  # as read from a file: text
                pool = draw(st.lists(VALUE_TEXT, min_size=1, max_size=3)) + [""]
                df[h] = draw(st.lists(st.sampled_from(pool), min_size=len(df), max_size=len(df)))
    # a hostile id: G211 (parent of Q2111) renamed everywhere
    ids = {i for df in t.values() if "id" in df for i in df["id"]}
    new = draw(st.one_of(st.just("G211"), ID_TEXT.filter(lambda s: s not in ids)))
    t["areas"] = t["areas"].replace({"id": {"G211": new}, "parent": {"G211": new}})
    name = draw(st.one_of(st.none(), TEXT))
    return orgnet.OrgNetwork(**t, name=name)


# ---------------------------------------------------------------- expectations

XSD = Path(__file__).parent / "data" / "xsd"
_SCHEMAS: dict = {}


def xsd_schema(fmt):
    """The published XSD of ``fmt`` (checked in under tests/data/xsd, see its README)."""
    if fmt not in _SCHEMAS:
        path = XSD / ("graphml-1.0/graphml.xsd" if fmt == "graphml" else "gexf-1.2draft/gexf.xsd")
        _SCHEMAS[fmt] = etree.XMLSchema(etree.parse(str(path)))
    return _SCHEMAS[fmt]


def assert_valid(path, fmt):
    s = xsd_schema(fmt)
    ok = s.validate(etree.parse(str(path)))
    assert ok, [str(e) for e in list(s.error_log)[:5]]


#: XML name tokens libxml2 accepts for sure (GraphML ids and attribute names must be NMTOKENs)
_NMTOKEN = re.compile(r"[A-Za-z0-9._:\-\u4e00-\u9fa5]+")


def graphml_tokens_only(net) -> bool:
    g = net.graph
    names = {str(a) for _, d in g.nodes(data=True) for a in d} | {str(a) for *_, d in g.edges(data=True) for a in d}
    return all(_NMTOKEN.fullmatch(str(x)) for x in [*g.nodes, *names])


def _value(v):
    """What write_graph documents for one value: None when left out."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) else float(v)
    if isinstance(v, pd.Timestamp):
        if v == v.normalize() and v.tz is None:
            return f"{v.year:04d}-{v.month:02d}-{v.day:02d}"
        return v.isoformat()
    assert isinstance(v, str), type(v)
    return v


def _renamed(records, reserved):
    names = {a for d in records for a in d}
    out = {}
    for r in reserved:
        if r in names:
            new = r + "_"
            while new in names or new in reserved or new in out.values():
                new += "_"
            out[r] = new
    return [{out.get(a, a): v for a, v in d.items()} for d in records]


#: the names each format reserves, per scope (write_graph's Notes)
RESERVED = {"graphml": ((), ("id",)), "gexf": (("label",), ("id", "key", "networkx_key")),
            "json": (("id",), ("source", "target", "key", "id"))}


def expected(net, fmt):
    """{node: attrs}, {edge id: (u, v, attrs)} as the documentation says ``fmt`` reads back."""
    g = net.graph
    nodes = list(g.nodes)
    ndata = [{str(a): x for a, v in d.items() if (x := _value(v)) is not None}
             for _, d in g.nodes(data=True)]
    ends = [(u, v) for u, v in g.edges()]
    edata = [{str(a): x for a, v in d.items() if (x := _value(v)) is not None}
             for *_, d in g.edges(data=True)]
    reserved = RESERVED[fmt]
    ndata = _renamed(ndata, reserved[0])
    edata = _renamed(edata, reserved[1])
    if fmt == "json":
        inf = {math.inf: "Infinity", -math.inf: "-Infinity"}
        for d in ndata + edata:
            d.update({a: inf[v] for a, v in d.items() if isinstance(v, float) and math.isinf(v)})
    if fmt == "gexf":
        for records, native in ((ndata, ()), (edata, ("label",))):
            types = {}
            for d in records:
                for a, v in d.items():
                    types.setdefault(a, set()).add(type(v))
            text = {a for a, ts in types.items() if len(ts) > 1} | set(native)
            for d in records:
                d.update({a: _text(v) for a, v in d.items() if a in text})
        for n, d in zip(nodes, ndata):  # the label is the name (the id when there is none)
            d["label"] = d["name"] if isinstance(d.get("name"), str) else str(n)
    edges = {f"e{i}": (u, v, d) for i, ((u, v), d) in enumerate(zip(ends, edata))}
    return dict(zip(nodes, ndata)), edges


def _text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return str(v)


def read_back(path, fmt):
    if fmt == "graphml":
        return nx.read_graphml(path, force_multigraph=True)
    if fmt == "gexf":
        return nx.read_gexf(path)
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    # strict JSON: no NaN / Infinity literals
    data = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    return nx.node_link_graph(data, edges="links")


def check_round_trip(net, path, fmt):
    p = orgnet.write_graph(net, path)
    if fmt == "gexf" or (fmt == "graphml" and graphml_tokens_only(net)):
        assert_valid(p, fmt)
    h = read_back(p, fmt)
    nodes, edges = expected(net, fmt)
    assert h.is_directed() and h.is_multigraph()
    assert set(h.nodes) == set(nodes) and h.number_of_nodes() == len(nodes)
    got = {}
    for u, v, k, d in h.edges(keys=True, data=True):
        d = dict(d)
        if fmt == "json":  # the link's id; networkx numbers the parallel edges itself
            k = d.pop("id")
        if fmt == "gexf":  # read_gexf keeps the edge id as the key and as the attribute "id"
            assert d.pop("id") == k
        got[k] = (u, v, d)
    assert set(got) == set(edges) and h.number_of_edges() == len(edges)
    for n, want in nodes.items():
        assert dict(h.nodes[n]) == want, (fmt, n)
    for e, want in edges.items():
        assert got[e] == want, (fmt, e)
    name = "" if net.name is None else net.name
    if fmt == "gexf":  # GEXF 1.2 has no graph name: it is the description
        desc = etree.parse(str(p)).find("{http://www.gexf.net/1.2draft}meta/{http://www.gexf.net/1.2draft}description")
        assert (desc.text if desc is not None else "") == name
    else:
        assert h.graph.get("name", "") == name
    return h


# ---------------------------------------------------------------- properties


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_tiny_network_round_trips(tmp_path, tiny_net, fmt):
    h = check_round_trip(tiny_net, tmp_path / f"g.{fmt}", fmt)
    assert h.number_of_nodes() == 28
    ties = [d for *_, d in h.edges(keys=True, data=True) if d.get("kind") == "instructor"]
    assert ties[0]["start"] == "2023-01-01" and ties[0]["end"] == "2024-12-31"


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_demo_round_trips(tmp_path, demo, fmt):
    check_round_trip(demo, tmp_path / f"demo.{fmt}", fmt)


@_settings(120)
@given(net=networks(typed=False), fmt=st.sampled_from(["graphml", "gexf", "json"]))
def test_hostile_text_round_trips(tmp_path_factory, net, fmt):
    """Text as read from files: any header, any accepted character, long values."""
    check_round_trip(net, tmp_path_factory.mktemp("g") / f"g.{fmt}", fmt)


@_settings(150)
@given(net=networks(typed=True), fmt=st.sampled_from(["graphml", "gexf", "json"]))
def test_typed_extra_columns_round_trip(tmp_path_factory, net, fmt):
    """DataFrames built in Python: booleans, big ints, floats, inf, dates, NA."""
    check_round_trip(net, tmp_path_factory.mktemp("g") / f"g.{fmt}", fmt)


# ---------------------------------------------------------------- named cases


def _net_with(extra: dict):
    t = tiny_tables()
    for (table, col), values in extra.items():
        t[table][col] = values
    return orgnet.OrgNetwork(**t)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_reserved_names_are_renamed_as_documented(tmp_path, fmt):
    t = tiny_tables()
    n = len(t["ties"])
    for h in ("id", "key", "networkx_key", "weight", "type", "label", "start", "end"):
        if h not in t["ties"]:
            t["ties"][h] = [f"{h}{i}" for i in range(n)]
    t["ties"]["key_"] = "taken"
    for h in ("viz", "pid", "parents", "spells", "start", "end", "label", "weight"):
        t["areas"][h] = "x<&>"
    net = orgnet.OrgNetwork(**t)
    h = check_round_trip(net, tmp_path / f"g.{fmt}", fmt)
    tie = next(d for *_, d in h.edges(keys=True, data=True) if d.get("kind") == "co_building")
    area = h.nodes["D1"]
    assert area["viz"] == area["parents"] == area["start"] == "x<&>"
    assert tie["key_"] == "taken" and tie["weight"] == "weight0"
    if fmt == "graphml":
        assert tie["id_"] == "id0" and tie["key"] == "key0" and area["label"] == "x<&>"
    if fmt == "gexf":
        assert tie["id_"] == "id0" and tie["key__"] == "key0" and tie["networkx_key_"] == "networkx_key0"
        assert tie["id"].startswith("e") and area["label_"] == "x<&>" and area["label"] == "示范区"
    if fmt == "json":
        assert tie["id_"] == "id0" and tie["key__"] == "key0" and tie["id"].startswith("e")


def test_gexf_tie_dates_are_the_edge_interval(tmp_path, tiny_net):
    p = orgnet.write_graph(tiny_net, tmp_path / "g.gexf")
    text = p.read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    assert 'start="2023-01-01" end="2024-12-31"' in text


def test_gexf_mixed_types_become_text(tmp_path):
    t = tiny_tables()
    t["areas"]["x"] = pd.array(range(len(t["areas"])), dtype="Int64")
    t["units"]["x"] = ["a"] * len(t["units"])
    t["stations"]["x"] = pd.array([True, None], dtype="boolean")
    net = orgnet.OrgNetwork(**t)
    h = check_round_trip(net, tmp_path / "g.gexf", "gexf")
    assert h.nodes["S1"]["x"] == "1" and h.nodes["U1"]["x"] == "a" and h.nodes["T1"]["x"] == "true"
    assert "x" not in h.nodes["T2"]
    g = check_round_trip(net, tmp_path / "g.graphml", "graphml")
    assert g.nodes["S1"]["x"] == 1 and g.nodes["T1"]["x"] is True


def test_carriage_returns_survive_xml(tmp_path):
    # read_dataset refuses carriage returns in cells (an .xlsx file turns them
    # into line feeds); the graph writers keep them anyway
    net = orgnet.OrgNetwork(**tiny_tables())
    net.graph.nodes["D1"]["note"] = "a\r\nb\rc\td\n"
    for fmt in ("graphml", "gexf", "json"):
        h = check_round_trip(net, tmp_path / f"g.{fmt}", fmt)
        assert h.nodes["D1"]["note"] == "a\r\nb\rc\td\n"


def test_infinite_extra_values_are_strict_json(tmp_path):
    net = _net_with({("areas", "x"): [math.inf, -math.inf] + [1.5] * 11})
    h = check_round_trip(net, tmp_path / "g.json", "json")
    assert h.nodes["D1"]["x"] == "Infinity" and h.nodes["S2"]["x"] == 1.5
    for fmt in ("graphml", "gexf"):
        h = check_round_trip(net, tmp_path / f"g.{fmt}", fmt)
        assert h.nodes["D1"]["x"] == math.inf and h.nodes["S1"]["x"] == -math.inf


def test_other_values_are_written_as_text(tmp_path):
    t = tiny_tables()
    t["areas"]["when"] = pd.Timestamp("2024-05-01 08:30", tz="Asia/Shanghai")
    t["areas"]["span"] = pd.Timedelta("1D")
    t["areas"]["cat"] = pd.Categorical(["a"] * len(t["areas"]))
    net = orgnet.OrgNetwork(**t)
    for fmt in ("graphml", "gexf", "json"):
        h = orgnet.write_graph(net, tmp_path / f"g.{fmt}") and read_back(tmp_path / f"g.{fmt}", fmt)
        d = h.nodes["D1"]
        assert d["when"] == "2024-05-01T08:30:00+08:00"
        assert d["span"] == str(pd.Timedelta("1D")) and d["cat"] == "a"


# ---------------------------------------------------------------- refused characters, atomicity


def _poisoned(where: str, text: str):
    """The tiny network with ``text`` injected into its graph (the reader refuses
    such text; the writer must refuse it too rather than write a broken file)."""
    net = orgnet.OrgNetwork(**tiny_tables(), name="tiny")
    g = net.graph
    if where == "node value":
        g.nodes["C11"]["name"] = text
    elif where == "node name":
        g.nodes["C11"][text] = "x"
    elif where == "edge value":
        next(d for *_, d in g.edges(keys=True, data=True) if d.get("kind") == "pairing")["note"] = text
    elif where == "node id":
        nx.relabel_nodes(g, {"C11": text}, copy=False)
    return net


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize("char", ["\x00", "\x01", "\x0b", "\x1f", "\ufffe", "\uffff", "\ud800"])
@pytest.mark.parametrize("where", ["node value", "node name", "edge value", "node id"])
def test_xml_refuses_characters_it_cannot_hold(tmp_path, fmt, char, where):
    p = tmp_path / f"g.{fmt}"
    p.write_bytes(b"old")
    net = _poisoned(where, f"a{char}b")
    with pytest.raises(orgnet.OrgnetError, match=f"U\\+{ord(char):04X}") as err:
        orgnet.write_graph(net, p)
    msg = str(err.value)
    if where != "node id":
        assert ("'C11'" in msg) if where.startswith("node") else ("'O5' → 'O4' (pairing" in msg)
    if where == "node value":
        assert "attribute 'name'" in msg
    assert p.read_bytes() == b"old"
    assert sorted(x.name for x in tmp_path.iterdir()) == [p.name]


@pytest.mark.parametrize("where", ["node value", "node name", "edge value", "node id"])
def test_json_refuses_lone_surrogates(tmp_path, where):
    p = tmp_path / "g.json"
    with pytest.raises(orgnet.OrgnetError, match="U\\+D800"):
        orgnet.write_graph(_poisoned(where, "a\ud800b"), p)
    assert not p.exists() and not list(tmp_path.iterdir())


def test_json_keeps_control_characters(tmp_path):
    net = _poisoned("node value", "a\x01b")
    h = read_back(orgnet.write_graph(net, tmp_path / "g.json"), "json")
    assert h.nodes["C11"]["name"] == "a\x01b"


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_write_replaces_whole_file_and_leaves_no_temporaries(tmp_path, tiny_net, fmt):
    p = tmp_path / f"g.{fmt}"
    p.write_text("old", encoding="utf-8")
    os.chmod(p, 0o644)
    orgnet.write_graph(tiny_net, p)
    assert read_back(p, fmt).number_of_nodes() == 28
    assert [x.name for x in tmp_path.iterdir()] == [p.name]
    assert p.stat().st_mode & 0o777 == 0o644


def test_interrupted_write_keeps_old_file(tmp_path, tiny_net, monkeypatch):
    import contextlib

    from orgnet.io import graph

    p = tmp_path / "g.gexf"
    p.write_text("old", encoding="utf-8")
    real = graph.atomic_file

    @contextlib.contextmanager
    def full_disk(path, mode="wb", **kw):
        with real(path, mode, **kw) as fh:
            class Half:
                def write(self, data):
                    fh.write(data[:20])
                    raise OSError(28, "No space left on device")
            yield Half()

    monkeypatch.setattr(graph, "atomic_file", full_disk)
    with pytest.raises(OSError):
        orgnet.write_graph(tiny_net, p)
    assert p.read_text(encoding="utf-8") == "old"
    assert [x.name for x in tmp_path.iterdir()] == [p.name]


def test_folder_path_is_refused(tmp_path, tiny_net):
    (tmp_path / "g.graphml").mkdir()
    with pytest.raises(orgnet.OrgnetError, match="it is a folder"):
        orgnet.write_graph(tiny_net, tmp_path / "g.graphml")


# ---------------------------------------------------------------- schemas, ids, reproducibility


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_demo_and_tiny_are_schema_valid(tmp_path, demo, tiny_net, fmt):
    assert graphml_tokens_only(demo) and graphml_tokens_only(tiny_net)
    for net in (demo, tiny_net):
        assert_valid(orgnet.write_graph(net, tmp_path / f"{net.name}.{fmt}"), fmt)


def test_schema_check_can_fail(tmp_path):
    """The validation catches what the issue found in networkx's files."""
    g = nx.MultiDiGraph([("a", "b"), ("a", "b")], name="x")
    nx.write_gexf(g, tmp_path / "nx.gexf")  # <graph name=...>
    with pytest.raises(AssertionError, match="name"):
        assert_valid(tmp_path / "nx.gexf", "gexf")
    nx.write_graphml(nx.MultiDiGraph([("a", "b"), ("b", "c")]), tmp_path / "nx.graphml")  # edge id "0" twice
    with pytest.raises(AssertionError, match="edge_id_unique|Duplicate"):
        assert_valid(tmp_path / "nx.graphml", "graphml")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_edge_ids_are_unique(tmp_path, demo, fmt):
    p = orgnet.write_graph(demo, tmp_path / f"demo.{fmt}")
    ids = [e.get("id") for e in etree.parse(str(p)).iter("{*}edge")]
    assert len(ids) == demo.graph.number_of_edges() == 425
    assert ids == [f"e{i}" for i in range(425)]


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_output_is_reproducible_and_has_no_internals(tmp_path, demo, fmt):
    a = orgnet.write_graph(demo, tmp_path / f"a.{fmt}").read_bytes()
    b = orgnet.write_graph(orgnet.datasets.load("demo"), tmp_path / f"b.{fmt}").read_bytes()
    assert a == b  # byte-identical
    text = a.decode("utf-8")
    for word in ("networkx", "NetworkX", "lastmodifieddate", dt.date.today().isoformat()):
        assert word not in text
    if fmt == "gexf":
        assert "<graph name" not in text and "viz:" not in text


# ---------------------------------------------------------------- GEXF: labels, colour, position, size


def test_gexf_carries_the_views_colours_positions_sizes_and_names(tmp_path, demo):
    from orgnet.viz import layout, palette

    p = orgnet.write_graph(demo, tmp_path / "demo.gexf")
    ns = "{http://www.gexf.net/1.2draft}"
    got = {n.get("id"): n for n in etree.parse(str(p)).iter(f"{ns}node")}
    g = demo.graph
    nodes = list(g.nodes)
    assert list(got) == nodes
    # layout: the demo has 182 <= SPRING_MAX nodes, so one seeded force layout over every edge
    idx = {n: i for i, n in enumerate(nodes)}
    u = [idx[a] for a, _ in g.edges()]
    v = [idx[b] for _, b in g.edges()]
    pos = layout.normalise(layout.graph_positions(len(nodes), u, v, seed=12345), 45.0)
    deg = np.bincount(u + v, minlength=len(nodes))
    for i, n in enumerate(nodes):
        d, el = g.nodes[n], got[n]
        assert el.get("label") == (d["name"] if isinstance(d.get("name"), str) else n)
        if d["kind"] == "organisation":
            cat = f"{d['scope']} organisation"
        else:
            cat = d["kind"]
        hexc = palette.CATEGORY_COLOURS.get(cat, palette.NO_DATA)
        c = el.find(f"{ns}color")
        assert "#{:02x}{:02x}{:02x}".format(*(int(c.get(k)) for k in "rgb")) == hexc
        q = el.find(f"{ns}position")
        assert float(q.get("x")) == pytest.approx(pos[i, 0], abs=0.051)
        assert float(q.get("y")) == pytest.approx(-pos[i, 1], abs=0.051)  # y upwards
        assert float(el.find(f"{ns}size").get("value")) == pytest.approx(
            9 + 21 * math.sqrt(deg[i] / deg.max()), abs=0.006)
    assert got["C11"].get("label") == "春晖社区"
    assert {got[n].find(f"{ns}color").get("r") for n in nodes if g.nodes[n]["kind"] == "unit"} == {"46"}  # #2e86c1
    # a tie's edge has its kind's colour
    edges = list(etree.parse(str(p)).iter(f"{ns}edge"))
    tie = next(e for e, (_, _, d) in zip(edges, g.edges(data=True)) if d.get("kind") == "pairing")
    c = tie.find(f"{ns}color")
    assert "#{:02x}{:02x}{:02x}".format(*(int(c.get(k)) for k in "rgb")) == palette.TIE_COLOURS["pairing"]


def test_gexf_seed_moves_positions_only(tmp_path, tiny_net):
    a = orgnet.write_graph(tiny_net, tmp_path / "a.gexf").read_text(encoding="utf-8")
    b = orgnet.write_graph(tiny_net, tmp_path / "b.gexf", seed=7).read_text(encoding="utf-8")
    assert a != b
    drop = re.compile(r'<position [^>]*/>')
    assert drop.sub("", a) == drop.sub("", b)


# ---------------------------------------------------------------- node-link JSON


def test_node_link_is_d3_shape_without_networkx(demo, monkeypatch):
    def no(*a, **k):
        raise AssertionError("networkx's node_link_data was called")

    monkeypatch.setattr(nx, "node_link_data", no)
    data = orgnet.to_node_link(demo)
    assert sorted(data) == ["directed", "graph", "links", "multigraph", "nodes"]
    assert len(data["nodes"]) == 182 and len(data["links"]) == 425
    assert all(set(rec) >= {"source", "target", "id"} for rec in data["links"])
    ids = {rec["id"] for rec in data["nodes"]}
    assert all(rec["source"] in ids and rec["target"] in ids for rec in data["links"])
    assert data["links"][0] == {"source": "D1", "target": "S1", "id": "e0", "kind": "contains"}


def test_node_link_is_what_networkx_writes_with_links(demo):
    """networkx >= 3.4 writes the same dict (plus its multigraph key) with edges="links"."""
    monkey = orgnet.to_node_link(demo)
    h = nx.node_link_graph(monkey, edges="links")
    again = nx.node_link_data(h, edges="links")
    assert again["nodes"] == monkey["nodes"]
    assert [{k: v for k, v in rec.items() if k != "key"} for rec in again["links"]] == monkey["links"]


def test_node_link_reads_with_the_networkx_3_1_keywords(demo):
    """networkx 3.1 has no ``edges=``: its ``node_link_graph(data)`` reads ``links``
    (that default; here as ``link=``-free defaults of source/target/name/key)."""
    data = orgnet.to_node_link(demo)
    h = nx.node_link_graph(data, source="source", target="target", name="id", key="key", edges="links")
    assert h.number_of_edges() == 425 and h.nodes["C11"]["name"] == "春晖社区"


# ---------------------------------------------------------------- igraph, and how missing values read


def _missing_values_net():
    """The tiny network with one extra area column of each type, set on D1 only."""
    t = tiny_tables()
    n = len(t["areas"])
    t["areas"]["b"] = pd.array([True] + [None] * (n - 1), dtype="boolean")
    t["areas"]["i"] = pd.array([7] + [None] * (n - 1), dtype="Int64")
    t["areas"]["f"] = [1.5] + [np.nan] * (n - 1)
    t["areas"]["s"] = ["x"] + [None] * (n - 1)
    t["areas"]["d"] = pd.to_datetime(["2024-01-02"] + [None] * (n - 1))
    return orgnet.OrgNetwork(**t)


def test_missing_values_read_as_docs_interop_says(tmp_path):
    """The table of docs/interop.md, measured: D1 has each value, S1 none."""
    import igraph

    net = _missing_values_net()
    paths = {fmt: orgnet.write_graph(net, tmp_path / f"g.{fmt}") for fmt in ("graphml", "gexf", "json")}
    # networkx, every format: present values keep their type, a missing one is absent
    for fmt, p in paths.items():
        h = read_back(p, fmt)
        assert {a: h.nodes["D1"][a] for a in "bifsd"} == {"b": True, "i": 7, "f": 1.5, "s": "x", "d": "2024-01-02"}
        assert type(h.nodes["D1"]["i"]) is int
        assert not set("bifsd") & set(h.nodes["S1"])
    # igraph: every vertex has every attribute; a missing boolean is False, a missing
    # number NaN (and whole numbers are floats), a missing text or date ""
    g = igraph.Graph.Read_GraphML(str(paths["graphml"]))
    d1, s1 = g.vs.find(id="D1"), g.vs.find(id="S1")
    assert [d1[a] for a in "bifsd"] == [True, 7.0, 1.5, "x", "2024-01-02"] and type(d1["i"]) is float
    assert s1["b"] is False and math.isnan(s1["i"]) and math.isnan(s1["f"]) and s1["s"] == s1["d"] == ""
    # igraph keeps the GraphML node ids as the vertex attribute "id"; its edge attribute
    # "id" does not hold the GraphML edge ids (igraph 1.0 fills it with vertex ids)
    assert g.vs["id"] == list(net.graph.nodes)
    assert g.es["id"][0] != "e0"


def test_igraph_reads_the_demo(tmp_path, demo):
    import igraph

    g = igraph.Graph.Read_GraphML(str(orgnet.write_graph(demo, tmp_path / "demo.graphml")))
    assert g.is_directed() and g.vcount() == 182 and g.ecount() == 425
    h = demo.graph
    ids = g.vs["id"]
    assert ids == list(h.nodes)
    assert [(ids[e.source], ids[e.target]) for e in g.es] == [(u, v) for u, v in h.edges()]
    assert g.es["kind"] == [d["kind"] for *_, d in h.edges(data=True)]
    c11 = g.vs.find(id="C11")
    assert c11["name"] == "春晖社区" and c11["level"] == "community" and math.isnan(c11["population"])
    grids = {v["id"]: v["population"] for v in g.vs if v["level"] == "grid"}
    assert grids == {n: float(d["population"]) for n, d in h.nodes(data=True) if d.get("level") == "grid"}
    members = {v["id"]: v["members"] for v in g.vs if v["kind"] == "organisation"}
    assert members == {n: float(d["members"]) for n, d in h.nodes(data=True) if d["kind"] == "organisation"}


# ---------------------------------------------------------------- a city


def test_lanzhou_gexf_is_valid_and_quick(tmp_path):
    from orgnet.datasets.synthetic import synthetic_city

    net = synthetic_city("lanzhou")
    assert net.graph.number_of_nodes() > 40_000  # built once, before the clock starts
    start = time.perf_counter()
    p = orgnet.write_graph(net, tmp_path / "lanzhou.gexf")
    took = time.perf_counter() - start
    assert took < 60, took  # a few seconds on an idle machine (docs/interop.md)
    assert_valid(p, "gexf")
    root = etree.parse(str(p)).getroot()
    ns = "{http://www.gexf.net/1.2draft}"
    nodes = root.findall(f"{ns}graph/{ns}nodes/{ns}node")
    edges = root.findall(f"{ns}graph/{ns}edges/{ns}edge")
    assert len(nodes) == net.graph.number_of_nodes() and len(edges) == net.graph.number_of_edges()
    assert len({e.get("id") for e in edges}) == len(edges)
    assert all(n.find(f"{ns}position") is not None and n.find(f"{ns}color") is not None for n in nodes)
    named = {n: d["name"] for n, d in net.graph.nodes(data=True) if isinstance(d.get("name"), str)}
    assert all(n.get("label") == named.get(n.get("id"), n.get("id")) for n in nodes)


def test_empty_network_writes_valid_files(tmp_path):
    net = orgnet.OrgNetwork(**{k: v.iloc[0:0] for k, v in tiny_tables().items()})
    for fmt in ("graphml", "gexf"):
        assert_valid(orgnet.write_graph(net, tmp_path / f"g.{fmt}"), fmt)
    data = json.loads(orgnet.write_graph(net, tmp_path / "g.json").read_text(encoding="utf-8"))
    assert data["nodes"] == data["links"] == []
