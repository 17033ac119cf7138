"""Interactive views: content (nodes, edges, colours, legend), aggregation and focus counts,
escaping of hostile names, offline pages, notebook display, parameter errors.

Expected counts are worked out by hand on the tiny fixture (tests/conftest.py), as of
2025-06-30: the instructor tie O4-U3 ended on 2024-12-31, so six tied pairs are active:
O4-U4 (co_building + activity), O4-O7, O8-U2, O2-U5, O2-U1, O4-O5.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

pytest.importorskip("pyvis", reason="the viz extra is not installed: pip install 'orgnet[viz]'")

import orgnet  # noqa: E402
from orgnet import coverage, linkage, vacuum  # noqa: E402
from orgnet.errors import OrgnetError, OrgnetParameterError  # noqa: E402
from orgnet.viz import interactive, to_html  # noqa: E402
from orgnet.viz import palette  # noqa: E402
from orgnet.viz.views.spec import bin_colour  # noqa: E402
from viz_helpers import (HOSTILE_AREA, HOSTILE_NOTE, HOSTILE_ORG, HOSTILE_UNIT, assert_escaped,  # noqa: E402
                         hostile_net, remote_loads)

ivz = sys.modules["orgnet.viz.interactive"]


def by_id(view):
    return {d["id"]: d for d in view.nodes}


def colour(node):
    return node["color"]["background"]


def legend_labels(view):
    return [item["label"] for sec in view.legend for item in sec["items"]]


# ------------------------------------------------------------------ imports and the pyvis object


def test_import_orgnet_loads_no_optional_package():
    code = ("import sys, orgnet, orgnet.viz, orgnet.report, orgnet.viz.plots; "
            "bad = [m for m in ('pyvis', 'matplotlib', 'jinja2') if m in sys.modules]; "
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_missing_pyvis_gives_install_hint(tiny_net, monkeypatch):
    ivz._view_class.cache_clear()
    monkeypatch.setitem(sys.modules, "pyvis", None)
    monkeypatch.setitem(sys.modules, "pyvis.network", None)
    try:
        with pytest.raises(OrgnetError, match=r"pip install 'orgnet\[viz\]'"):
            interactive(tiny_net)
    finally:
        ivz._view_class.cache_clear()


def test_view_is_a_pyvis_network(tiny_net, tmp_path):
    from pyvis.network import Network

    v = interactive(tiny_net)
    assert isinstance(v, Network)
    assert v.num_nodes() == len(v.nodes) == 9
    assert v.num_edges() == 6
    assert set(v.get_nodes()) == {d["id"] for d in v.nodes}
    v.set_options('{"interaction": {"navigationButtons": true}}')
    assert v.options["interaction"]["navigationButtons"] is True
    assert v.options["physics"]["enabled"] is True  # merged, not replaced
    v.toggle_physics(False)
    assert v.options["physics"]["enabled"] is False
    v.barnes_hut(gravity=-2000)  # pyvis's physics helpers work on orgnet's options
    assert v.options["physics"]["enabled"] is True
    assert v.options["physics"]["barnesHut"]["gravitationalConstant"] == -2000
    path = v.write_html(str(tmp_path / "v.html"))
    assert path.read_text(encoding="utf-8") == v.generate_html()
    assert "9 nodes" in repr(v)


def test_view_does_not_touch_the_network(tiny_net):
    before = {k: df.copy() for k, df in tiny_net.tables.items()}
    for view in _views_list():
        interactive(tiny_net, view=view)
    for k, df in tiny_net.tables.items():
        assert df.equals(before[k])


def _views_list():
    return ["ties", "hierarchy", "coverage", "vacuum", "sharing"]


# ------------------------------------------------------------------ the view modules


def test_every_view_has_the_one_builder_signature():
    import inspect

    from orgnet.viz import views

    assert tuple(views.REGISTRY) == ivz.VIEWS == ("ties", "hierarchy", "coverage", "vacuum", "sharing", "staffing",
                                                  "response")
    expected = ["net", "when", "focus", "max_nodes", "params", "seed", "options"]
    for name, view in views.REGISTRY.items():
        module = getattr(views, name)
        assert view.build is module.build and view.name == name
        sig = inspect.signature(view.build)
        assert list(sig.parameters) == expected, name
        assert all(p.kind is p.KEYWORD_ONLY for p in list(sig.parameters.values())[1:]), name
        assert ivz.VIEW_MODULES[name] == view.analysis
    # the force-laid views, where physics starts on when small
    assert {n for n, v in views.REGISTRY.items() if v.physics} == {"ties", "coverage", "response"}


def test_a_builder_called_directly_returns_the_same_content(tiny_net):
    from orgnet.viz import views

    when = tiny_net.resolve_as_of(None)
    spec = views.REGISTRY["hierarchy"].build(tiny_net, when=when, focus=views.Focus(), max_nodes=10, params={},
                                             seed=1, options=views.ViewOptions(tree="top-down"))
    v = interactive(tiny_net, view="hierarchy", max_nodes=10, tree="top-down")
    assert isinstance(spec, views.ViewSpec)
    assert [d["id"] for d in spec.nodes] == [d["id"] for d in v.nodes]
    assert spec.nodes == v.nodes and spec.edges == v.edges and spec.legend == v.legend


def test_same_seed_same_page_other_seed_other_layout(tiny_net):
    a = interactive(tiny_net, view="ties", seed=7)
    b = interactive(tiny_net, view="ties", seed=7)
    assert a.generate_html() == b.generate_html()
    c = interactive(tiny_net, view="ties", seed=8)
    assert [(d["x"], d["y"]) for d in c.nodes] != [(d["x"], d["y"]) for d in a.nodes]
    assert [d["id"] for d in c.nodes] == [d["id"] for d in a.nodes] and c.edges == a.edges
    # a Generator is one seed convention with the integer it was made from (orgnet._params.as_rng)
    import numpy as np

    g = interactive(tiny_net, view="ties", seed=np.random.default_rng(7))
    assert [(d["x"], d["y"]) for d in g.nodes] == [(d["x"], d["y"]) for d in a.nodes]


def test_layout_draws_from_as_rng():
    import numpy as np

    from orgnet._params import as_rng
    from orgnet.viz import layout

    # a 6-cycle: a force layout (networkx Fruchterman-Reingold) from positions drawn by the Generator
    ei, ej = [0, 1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 0]
    p = layout.graph_positions(6, ei, ej, seed=3)
    assert np.array_equal(p, layout.graph_positions(6, ei, ej, seed=as_rng(3)))
    assert not np.allclose(p, layout.graph_positions(6, ei, ej, seed=4))
    # unit spacing: the median nearest-neighbour distance is 1 (layout.normalise), and a cycle stays
    # a ring: every node at about the same distance from the centre
    from scipy.spatial import cKDTree

    d, _ = cKDTree(p).query(p, k=2)
    assert np.median(d[:, 1]) == pytest.approx(1.0)
    r = np.hypot(*(p - p.mean(axis=0)).T)
    assert r.max() / r.min() < 1.2
    # above SPRING_MAX nodes, with groups: the two-level layout is seeded the same way
    n = layout.SPRING_MAX + 21
    ring_i = np.arange(n)
    groups = [ring_i // 20]
    q1 = layout.graph_positions(n, ring_i, (ring_i + 1) % n, groups=groups, seed=5)
    q2 = layout.graph_positions(n, ring_i, (ring_i + 1) % n, groups=groups, seed=5)
    assert np.array_equal(q1, q2) and q1.shape == (n, 2)


def test_chinese_labels_come_from_the_schema(tiny_net):
    from orgnet import schema

    zh = {name: {k: a[0] for k, a in v.values.items()} for name, v in schema.VOCABULARIES.items()}
    v = interactive(tiny_net, view="ties")
    kinds = [f for f in v.filters if f["key"] == "edge:kinds"][0]
    assert {x["label"] for x in kinds["values"]} == {f"{x['value']} {zh['tie_kind'][x['value']]}"
                                                    for x in kinds["values"]}
    h = interactive(tiny_net, view="hierarchy")
    levels = [f for f in h.filters if f["key"] == "level"][0]
    assert {x["value"]: x["label"] for x in levels["values"]} == {
        "district": "district 区", "street": "street 街道", "community": "community 社区", "grid": "grid 网格",
        "compound": "compound 小区"}
    assert all(x["label"] == f"{x['value']} {zh['level'][x['value']]}" for x in levels["values"])
    forms = [i["label"] for i in h.legend[1]["items"] if i["shape"] == "diamond"]
    assert forms and all(f"{f.split()[0]} {zh['form'][f.split()[0]]}" == f for f in forms)
    # organisation categories: the scope's alias and the organisations table's (区域 + 党组织)
    assert palette.CATEGORY_ZH["territorial organisation"] == zh["scope"]["territorial"] + \
        schema.TABLES["organisations"].aliases[0] == "区域党组织"
    assert palette.CATEGORY_ZH["unit"] == schema.TABLES["units"].aliases[0]


def test_one_copy_of_colours_for_views_and_charts():
    from orgnet.viz import plots

    assert plots.REASON_COLOURS is palette.REASON_COLOURS and plots.ORG_COLOUR is palette.ORG_COLOUR
    assert plots.REASON_LABELS["three_no"] == "三无小区 three-no"


def test_public_functions_declare_their_parameters():
    from orgnet.viz import plots

    for f in (interactive, to_html, ivz.build_view, ivz.render_page, plots.coverage_bars, plots.rate_heatmap, plots.area_map, plots.vacuum_reasons,
              plots.tie_strength_hist, plots.lorenz, plots.compare):
        assert getattr(f, "__orgnet_params__", None), f.__name__
    assert set(interactive.__orgnet_params__) >= {"view", "focus", "max_nodes", "physics", "tree", "params",
                                                  "height", "seed", "options"}


def test_viz_modules_import_no_private_name_of_another_module():
    import ast
    import pathlib

    root = pathlib.Path(orgnet.__file__).parent / "viz"
    bad = []
    # private modules whose public names may be imported (names with a leading underscore may not)
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                mod = node.module or ""
                if mod == "__future__":
                    continue
                allowed = ("_params", "_atomic", "_fonts")
                if any(part.startswith("_") and part not in allowed for part in mod.split(".")):
                    bad.append(f"{path.name}: from {mod}")
                bad += [f"{path.name}: {a.name} from {mod}" for a in node.names if a.name.startswith("_")]
    assert bad == []


# ------------------------------------------------------------------ ties


def test_ties_view_nodes_edges_colours_legend(tiny_net):
    v = interactive(tiny_net, view="ties")
    nodes = by_id(v)
    assert set(nodes) == {"O4", "U4", "O7", "O8", "U2", "O2", "U5", "U1", "O5"}
    pairs = {frozenset((e["from"], e["to"])) for e in v.edges}
    assert pairs == {frozenset(p) for p in [("O4", "U4"), ("O4", "O7"), ("O8", "U2"), ("O2", "U5"),
                                            ("O2", "U1"), ("O4", "O5")]}
    # colour and shape by kind / scope
    terr = palette.CATEGORY_COLOURS["territorial organisation"]
    assert {i for i, d in nodes.items() if colour(d) == terr} == {"O4", "O2", "O5"}
    assert colour(nodes["O7"]) == palette.CATEGORY_COLOURS["unit organisation"]
    assert colour(nodes["O8"]) == palette.CATEGORY_COLOURS["joint organisation"]
    assert {i for i, d in nodes.items() if d["shape"] == "square"} == {"U4", "U2", "U5", "U1"}
    # edge colour: the pair's most frequent kind; width grows with strength
    e = {frozenset((x["from"], x["to"])): x for x in v.edges}
    assert e[frozenset(("O8", "U2"))]["color"]["color"] == palette.TIE_COLOURS["covers"]
    assert sorted(e[frozenset(("O4", "U4"))]["kinds"]) == ["activity", "co_building"]
    ts = linkage.tie_strength(tiny_net)
    order = ts.sort_values("strength")
    widths = [e[frozenset((a, b))]["width"] for a, b in zip(order["a"], order["b"])]
    assert widths == sorted(widths)
    # no dormant pair in the tiny data (the agreement has an activity in 2025)
    assert not any(x["dashes"] for x in v.edges)
    labels = legend_labels(v)
    assert "territorial organisation 区域党组织" in labels
    assert "covers 覆盖" in labels and "dormant agreement 签而不联" in labels
    assert "co_building 共驻共建" in labels
    # tie kinds of the filter: only kinds present
    kinds = [f for f in v.filters if f["key"] == "edge:kinds"][0]
    assert {x["value"] for x in kinds["values"]} == {"co_building", "activity", "dual_report", "covers",
                                                     "backstop", "part_time_member", "pairing"}
    # small: physics on, starting from computed positions
    assert v.options["physics"]["enabled"] is True
    assert all("x" in d and "y" in d for d in v.nodes)


def test_ties_dormant_pairs_are_dashed(demo):
    v = interactive(demo, view="ties")
    ts = linkage.tie_strength(demo)
    dashed = {frozenset((x["from"], x["to"])) for x in v.edges if x["dashes"]}
    assert dashed == {frozenset((a, b)) for a, b in zip(ts["a"][ts["dormant"]], ts["b"][ts["dormant"]])}
    assert len(dashed) == 2
    assert len(v.edges) == len(ts)


def test_ties_aggregated_to_community_then_street(tiny_net):
    v = interactive(tiny_net, view="ties", max_nodes=5)
    assert v.aggregated and v.level == "community"
    # O4, O7, U5, U1 -> C11; O8, U2, O5 -> C12; U4 -> C21; O2 (seated at the street) -> S1
    assert set(by_id(v)) == {"C11", "C12", "C21", "S1"}
    pairs = {frozenset((e["from"], e["to"])) for e in v.edges}
    assert pairs == {frozenset(("C11", "C21")), frozenset(("C11", "S1")), frozenset(("C11", "C12"))}
    e = {frozenset((x["from"], x["to"])): x for x in v.edges}
    assert "tied pairs: 2" in e[frozenset(("C11", "S1"))]["title"]
    note = " ".join(v.notes)
    assert "9 tied entities exceed max_nodes=5" in note and "aggregated to community level" in note
    assert "2 tied pairs inside a node" in note  # O4-O7 in C11, O8-U2 in C12
    assert "pairs inside: 1" in by_id(v)["C11"]["title"]
    assert v.options["physics"]["enabled"] is False

    v = interactive(tiny_net, view="ties", max_nodes=3)
    assert v.level == "street"
    assert set(by_id(v)) == {"S1", "S2"}
    assert [(e["from"], e["to"]) for e in v.edges] == [("S1", "S2")]


def test_ties_focus_on_a_community_and_on_an_organisation(tiny_net):
    v = interactive(tiny_net, view="ties", focus="C11")
    nodes = by_id(v)
    inside = {i for i, d in nodes.items() if d["attrs"]["focus"] == "inside"}
    outside = {i for i, d in nodes.items() if d["attrs"]["focus"] == "partner outside"}
    assert inside == {"O4", "O7", "U5", "U1"}
    assert outside == {"U4", "O2", "O5"}
    assert len(v.edges) == 5  # every active pair but O8-U2 (in C12) touches C11
    assert all(colour(nodes[i]) == "#d5d8dc" for i in outside)
    assert "4 tied entities inside and 3 partners outside" in v.notes[0]

    w = interactive(tiny_net, view="ties", focus="O7")  # O7 sits in G111, community C11
    assert set(by_id(w)) == set(nodes)
    assert by_id(w)["O7"]["borderWidth"] == 4
    assert w.focus == "O7"


def test_ties_on_a_synthetic_district_aggregates_by_community():
    net = orgnet.datasets.synthetic_city("district", seed=0)
    v = interactive(net, view="ties", max_nodes=300)
    assert v.aggregated and v.level == "community"
    communities = set(net.areas.index[net.areas["level"] == "community"])
    ids = set(by_id(v))
    assert communities <= ids  # every community holds tied entities in this city
    assert len(ids - communities) == len(v.nodes) - len(communities)
    assert all(net.areas.at[i, "level"] in ("city", "district", "street") for i in ids - communities)
    assert len(v.nodes) <= 300
    # a smaller limit also caps the links between areas at 4 x max_nodes, strongest first
    w = interactive(net, view="ties", max_nodes=100)
    assert len(w.nodes) == len(v.nodes) and len(w.edges) == 1000 < len(v.edges)
    kept = {frozenset((e["from"], e["to"])) for e in w.edges}
    weakest_kept = min(e["width"] for e in w.edges)
    assert all(e["width"] <= weakest_kept + 1e-9 for e in v.edges if frozenset((e["from"], e["to"])) not in kept)
    assert "the 1,000 strongest are drawn" in w.notes[1]


# ------------------------------------------------------------------ hierarchy


def test_hierarchy_view(tiny_net):
    v = interactive(tiny_net, view="hierarchy")
    nodes = by_id(v)
    assert len(nodes) == 13 + 6  # every area and the six territorial organisations O1..O6
    assert {i for i, d in nodes.items() if d["attrs"]["kind"] == "organisation"} == {f"O{k}" for k in range(1, 7)}
    assert sum(1 for e in v.edges if e["kinds"] == ["contains"]) == 12
    assert sum(1 for e in v.edges if e["kinds"] == ["seated"]) == 6
    gaps = {i for i, d in nodes.items() if d["color"]["border"] == palette.GAP_BORDER}
    assert gaps == {"C21", "G112", "G121", "G211"}  # no territorial organisation seated there
    assert colour(nodes["C11"]) == palette.LEVEL_COLOURS["community"]
    assert "street, community or grid with no territorial organisation" in legend_labels(v)
    assert v.options["physics"]["enabled"] is False
    # a tidy tree: the root in the middle, children further out
    assert (nodes["D1"]["x"], nodes["D1"]["y"]) == (0.0, 0.0)


def test_hierarchy_aggregates_by_dropping_deep_levels(tiny_net):
    # 19 nodes; without compounds 16; without grids 11; without communities 6
    v = interactive(tiny_net, view="hierarchy", max_nodes=10)
    assert v.aggregated and v.level == "street"
    assert set(by_id(v)) == {"D1", "S1", "S2", "O1", "O2", "O3"}
    assert "3 community areas and their 2 organisations" in v.notes[0]
    v = interactive(tiny_net, view="hierarchy", max_nodes=16)
    assert v.level == "grid" and len(v.nodes) == 16


def test_hierarchy_focus(tiny_net):
    v = interactive(tiny_net, view="hierarchy", focus="C11")
    areas = {d["id"] for d in v.nodes if d["attrs"]["kind"] == "area"}
    assert areas == {"D1", "S1", "C11", "G111", "G112", "Q1111", "Q1121"}  # subtree and ancestors


# ------------------------------------------------------------------ coverage


def test_coverage_view_colours_by_class(tiny_net):
    v = interactive(tiny_net, view="coverage")
    nodes = by_id(v)
    uc = coverage.unit_coverage(tiny_net)
    assert uc["coverage"].astype(str).to_dict() == {"U1": "own", "U2": "joint", "U3": "none", "U4": "none",
                                                    "U5": "work"}
    for u, cls in uc["coverage"].astype(str).items():
        assert colour(nodes[u]) == palette.COVERAGE_COLOURS[cls]
    # due but not established (U3: 4 members, U4: 40 members): thick dark border
    assert {i for i, d in nodes.items() if d["borderWidth"] == 4} == {"U3", "U4"}
    # covering organisations O7 (own), O8 (joint), O2 (backstop) and the communities
    assert {i for i, d in nodes.items() if d["attrs"]["kind"] == "organisation"} == {"O7", "O8", "O2"}
    assert {i for i, d in nodes.items() if d["attrs"]["kind"] == "area"} == {"C11", "C12", "C21"}
    assert len(v.nodes) == 11 and len(v.edges) == 3 + 5
    assert "none 未覆盖 (2)" in legend_labels(v)


def test_coverage_view_aggregated(tiny_net):
    v = interactive(tiny_net, view="coverage", max_nodes=5)
    assert v.aggregated and v.level == "community"
    nodes = by_id(v)
    assert set(nodes) == {"C11", "C12", "C21", "S1", "S2"}
    # org coverage: C11 1/3, C12 1/1, C21 0/1, S1 2/4, S2 0/1
    assert colour(nodes["C11"]) == colour(nodes["C21"]) == colour(nodes["S2"]) == "#c0392b"
    assert colour(nodes["C12"]) == "#1e8449"
    assert colour(nodes["S1"]) == "#e67e22"
    assert len(v.edges) == 3


# ------------------------------------------------------------------ vacuum


def test_vacuum_view(tiny_net):
    v = interactive(tiny_net, view="vacuum")
    nodes = by_id(v)
    va = vacuum.vacuum_areas(tiny_net)
    places = {i for i, d in nodes.items() if d["attrs"]["kind"] == "place"}
    assert places == set(va.index) and len(places) == 7
    for pid, row in va.iterrows():
        first = [r for r in vacuum.reasons_of(va) if row[r] is True]
        expected = palette.REASON_COLOURS[first[0]] if first else palette.NOT_VACUUM_COLOUR
        assert colour(nodes[pid]) == expected
    assert {i for i, d in nodes.items() if d["attrs"]["kind"] == "station"} == {"T1", "T2"}
    # service circles to scale: T1 has the default 1000 m, T2 500 m
    assert nodes["circle:T1"]["size"] == pytest.approx(2 * nodes["circle:T2"]["size"], rel=1e-3)
    assert v.nodes[0]["id"].startswith("circle:")  # drawn underneath
    assert v.options["physics"]["enabled"] is False
    assert "no_organisation 无党组织" in legend_labels(v)


def test_vacuum_view_aggregated_and_focus(tiny_net):
    v = interactive(tiny_net, view="vacuum", max_nodes=5)
    assert v.aggregated and v.level == "community"
    assert {d["id"] for d in v.nodes} == {"C11", "C12", "C21"}
    assert any("stations are not drawn" in n for n in v.notes)
    w = interactive(tiny_net, view="vacuum", focus="C21")
    assert {d["id"] for d in w.nodes if d["attrs"]["kind"] == "place"} == {"G211", "Q2111"}


# ------------------------------------------------------------------ sharing


def test_sharing_view(tiny_net):
    v = interactive(tiny_net, view="sharing")
    nodes = by_id(v)
    # open demand N1 (venue 2, by O4); N2 is met; resources R1 (venue 3, U4) and R2 (training, O7)
    assert set(nodes) == {"N1", "R1", "R2"}
    assert colour(nodes["N1"]) == palette.DEMAND_COLOURS["met"]
    assert colour(nodes["R1"]) == palette.RESOURCE_COLOURS["partly used"]
    assert colour(nodes["R2"]) == palette.RESOURCE_COLOURS["idle"]
    assert [(e["from"], e["to"], e["kinds"], e["dashes"]) for e in v.edges] == \
        [("R1", "N1", ["existing partners"], False)]  # U4 and O4 hold a co-building tie


def test_sharing_view_counts_demands_met_not_summed_quantities(demo):
    """Demo: 4 of the 6 open demands fully met. By street (owners): S1 posts N2 (met), N4
    (elderly care 30, unmet), N10 (funding 20,000, met); S2 posts N5, N8 (met) and N7 (legal,
    unmet): 2 of 3 each. Quantities summed across categories coloured S1 at 99.8% (≥ 95%)."""
    v = interactive(demo, view="sharing", max_nodes=5)
    assert v.notes[0].startswith("6 open demands, 4 fully met (66.7% of the open demands")
    assert not any("99.8%" in n or "20,076" in n for n in v.notes)
    nodes = by_id(v)
    assert set(nodes) == {"S1", "S2"}
    two_thirds = bin_colour(2 / 3, palette.RATE_BINS)
    assert two_thirds[1] == "50–70%"
    for g in ("S1", "S2"):
        assert (colour(nodes[g]), nodes[g]["attrs"]["share"]) == two_thirds
    assert "open demands: 3 · fully met 2 (66.7%)" in nodes["S1"]["title"]
    # the one flow between streets (R6 of OU08 in S2 to N10 of C13 in S1) keeps its category
    assert [(e["from"], e["to"]) for e in v.edges] == [("S2", "S1")]
    assert "funding" in v.edges[0]["title"] and "20,000" in v.edges[0]["title"]


# ------------------------------------------------------------------ staffing and response (the activity layer)


def activity_net(tables=None):
    from conftest import activity_tables, tiny_tables

    return orgnet.OrgNetwork(**(tables or tiny_tables()), **activity_tables())


def test_staffing_view_on_the_demo(demo):
    v = interactive(demo, view="staffing")
    nodes = by_id(v)
    assert len(v.nodes) == 28 and v.edges == []  # 22 grids, 6 stations (no circles)
    assert v.geographic and not v.aggregated and v.params["staff_per_station"] == 2
    # G134 has nobody in place (demo README): the gap colour, the smallest size
    g134 = nodes["G134"]
    assert colour(g134) == palette.UNSTAFFED_COLOUR == palette.GAP_BORDER
    assert g134["size"] == 8.0 and g134["attrs"]["gap"] == "nobody in place 无人员"
    # G111: 15 people for 390 residents = 38.46 per 1,000 (the top bin) and the most people (largest)
    assert colour(nodes["G111"]) == bin_colour(38.46, palette.STAFF_BINS)[0] == palette.STAFF_BINS[-1][1]
    assert nodes["G111"]["size"] == 26.0 and "per 1,000 residents: 38.46" in nodes["G111"]["title"]
    # G114: 1 grid worker for 1,790 residents = 0.56 per 1,000 (the lowest bin)
    assert colour(nodes["G114"]) == palette.STAFF_BINS[0][1]
    # G233: 6 volunteers, no grid worker: a gap border; T4 (1 of 2) and T5 (0 of 2) are short of staff
    assert nodes["G233"]["color"]["border"] == palette.GAP_BORDER and nodes["G233"]["borderWidth"] == 3
    assert [i for i, d in nodes.items() if d["attrs"]["gap"] == "station short of staff"] == ["T4", "T5"]
    assert "short of staff: 1 of 2 required" in nodes["T4"]["title"]
    assert nodes["T1"]["color"]["border"] != palette.GAP_BORDER
    gap = next(f for f in v.filters if f["key"] == "gap")
    assert {x["value"]: x["count"] for x in gap["values"]}["nobody in place 无人员"] == 1


def test_staffing_view_aggregated_and_focus(demo):
    v = interactive(demo, view="staffing", max_nodes=10)
    assert v.aggregated and v.level == "community" and len(v.nodes) == 6  # stations left out at this size
    c13 = by_id(v)["C13"]
    # C13: 5 people (3 grid workers, the 2 cadres at G131) for 2,980 residents = 1.68 per 1,000
    assert colour(c13) == bin_colour(5 / 2.980, palette.STAFF_BINS)[0] == palette.STAFF_BINS[1][1]
    assert "with nobody in place: 1; short of a grid worker: 1" in c13["title"]  # G134
    assert c13["color"]["border"] == palette.GAP_BORDER
    assert by_id(v)["C11"]["color"]["border"] != palette.GAP_BORDER
    f = interactive(demo, view="staffing", focus="C13")
    assert sorted(by_id(f)) == ["G131", "G132", "G133", "G134"]


def test_staffing_view_on_the_tiny_fixture(tiny_net):
    v = interactive(activity_net(), view="staffing")
    nodes = by_id(v)
    # G111: H1 grid worker + H3's 2 building heads in Q1111 = 3 for 1,200 residents = 2.5 per 1,000;
    # H4 (cadre at G121) left on 2024-12-31, so G112, G121 and G211 have nobody
    assert colour(nodes["G111"]) == palette.STAFF_BINS[2][1]  # 2–5
    assert [i for i, d in nodes.items() if colour(d) == palette.UNSTAFFED_COLOUR] == ["G112", "G121", "G211"]
    with pytest.raises(orgnet.OrgnetMissingDataError, match="'people' table"):
        interactive(tiny_net, view="staffing")


def test_response_view_on_the_demo(demo):
    v = interactive(demo, view="response")
    nodes = by_id(v)
    departments = [i for i, d in nodes.items() if d["attrs"]["kind"] == "department"]
    assert departments == ["O11", "O13", "O23", "O3", "OG111", "OG122", "U04", "U07", "U31"]
    assert [i for i, d in nodes.items() if d["attrs"]["kind"] == "area"] == ["C11", "C12", "C13", "C21", "C22",
                                                                           "C23"]
    # U04 closed 2 cases (K03, K12), the most with O23: the largest size; O13 none (K11 open): the smallest
    u04 = nodes["U04"]
    assert u04["attrs"]["closed"] == 2 and u04["size"] == nodes["O23"]["size"] == 34.0
    assert nodes["O13"]["size"] == 10.0 and colour(nodes["O13"]) == palette.RATE_BINS[0][1]
    # U07 closed 1 (K08) of 2 (K07 open): 50% closure
    assert nodes["U07"]["size"] == pytest.approx(10 + 24 * (1 / 2) ** 0.5, abs=0.01)
    assert colour(nodes["U07"]) == bin_colour(0.5, palette.RATE_BINS)[0] == palette.RATE_BINS[1][1]
    assert colour(u04) == palette.RATE_BINS[-1][1]
    for line_ in ("cases 事项: 2", "closed 办结: 2 (100.0% of its cases)", "median days, raised to closed: 7",
                  "closed within 7 days: 100.0% of its cases",
                  "satisfied 满意: 100.0% of closed cases with an answer"):
        assert line_ in u04["title"]
    assert "satisfied 满意: – (no closed case with an answer)" in nodes["O13"]["title"]
    # U04's cases were raised in C13 (K03, G132) and C11 (K12, G111): one edge each
    assert sorted(e["from"] for e in v.edges if e["to"] == "U04") == ["C11", "C13"]
    assert len(v.edges) == 11 and v.params["within_days"] == 7


def test_response_view_on_the_tiny_fixture(tiny_net):
    v = interactive(activity_net(), view="response", params={"within_days": 3})
    nodes = by_id(v)
    # K1 G111 -> U4 closed in 4 days; K2 Q1121 -> U5 open; K3 G121 -> nobody, closed the same day
    assert nodes["U4"]["attrs"]["closed"] == 1 and "closed within 3 days: 0.0% of its cases" in nodes["U4"]["title"]
    assert nodes["U5"]["size"] == 10.0 and colour(nodes["U5"]) == palette.RATE_BINS[0][1]
    assert colour(nodes["(unrouted)"]) == palette.NO_DATA
    assert sorted((e["from"], e["to"]) for e in v.edges) == [("C11", "U4"), ("C11", "U5"), ("C12", "(unrouted)")]
    small = interactive(activity_net(), view="response", max_nodes=2)
    assert small.aggregated and small.level == "district" and len(small.nodes) == 2  # D1 and the biggest department
    with pytest.raises(orgnet.OrgnetMissingDataError, match="'cases' table"):
        interactive(tiny_net, view="response")


@pytest.mark.parametrize("view", ["staffing", "response"])
def test_activity_views_escape_hostile_names_offline(view, tmp_path):
    from conftest import activity_tables
    from viz_helpers import hostile_tables

    a = activity_tables()
    a["cases"].loc[a["cases"]["id"] == "K2", "routed_to"] = "U1"  # the hostile unit becomes a department
    net = orgnet.OrgNetwork(**hostile_tables(), **a)
    v = interactive(net, view=view, max_nodes=3 if view == "staffing" else 5000)
    page = to_html(v, tmp_path / "v.html").read_text(encoding="utf-8")
    assert_escaped(page)  # C11, the hostile area, is a node of both (a community)
    assert remote_loads(page) == []
    titles = "".join(d["title"] for d in v.nodes)
    assert HOSTILE_AREA in titles
    if view == "response":
        assert HOSTILE_UNIT in titles


# ------------------------------------------------------------------ escaping and the page


@pytest.mark.parametrize("view", ["ties", "hierarchy", "coverage", "vacuum", "sharing"])
def test_hostile_names_escaped_in_every_view(view, tmp_path):
    net = hostile_net()
    v = interactive(net, view=view, focus="C11" if view == "hierarchy" else None)
    page = to_html(v, tmp_path / "v.html").read_text(encoding="utf-8")
    assert_escaped(page)
    assert not remote_loads(page)
    # the data keep the names as written: titles are plain text shown by vis-network as text
    texts = json.dumps([d.get("title", "") + d.get("label", "") for d in v.nodes + v.edges], ensure_ascii=False)
    if view in ("ties", "coverage"):
        assert HOSTILE_UNIT.replace('"', '\\"') in texts
    if view == "ties":
        assert HOSTILE_NOTE in "".join(e.get("title", "") for e in v.edges)
        assert HOSTILE_ORG in "".join(d["title"] for d in v.nodes)
    if view == "hierarchy":
        assert HOSTILE_AREA in "".join(d["title"] for d in v.nodes)


def test_hostile_heading_and_notebook_iframe_escaped(tmp_path):
    net = hostile_net()
    v = interactive(net, view="ties", focus="C11")  # the title names the hostile area
    page = v.generate_html()
    assert_escaped(page, html_form=True)
    frame = v._repr_html_()
    srcdoc = re.search(r'<iframe srcdoc="([^"]*)"', frame).group(1)
    assert "<" not in srcdoc and ">" not in srcdoc  # the whole page is one escaped attribute value
    assert html.unescape(srcdoc) == page
    assert 'sandbox="allow-scripts"' in frame
    # the caption outside the frame names the view's title, escaped too
    caption = frame[frame.index('<p class="orgnet-caption"'):]
    assert HOSTILE_AREA not in caption and html.escape(HOSTILE_AREA) in caption
    assert "<img" not in frame


def test_page_is_offline_and_utf8(demo):
    page = interactive(demo, view="ties").generate_html()
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert remote_loads(page) == []
    assert "<link" not in page and not re.search(r"<script[^>]*\bsrc=", page)
    assert "Noto Sans CJK SC" in page and "Microsoft YaHei" in page
    # vis-network is inlined (its licence text names URLs: text, not loads)
    assert "vis-network" in page and len(page) > 400_000
    assert "春晖社区" in page  # Chinese names as UTF-8 text


def test_remote_load_check_catches_loads():
    assert remote_loads('<script src="https://cdn.example.org/x.js"></script>')
    assert remote_loads('<link rel="stylesheet" href="//cdn.example.org/b.css">')
    assert remote_loads("<style>@import 'x.css';</style>")
    assert remote_loads("<style>.a { background: url(http://x.org/i.png) }</style>")
    assert not remote_loads("/* licence: https://opensource.org/licenses/MIT */")
    assert not remote_loads('<img src="data:image/png;base64,AAAA">')


def test_script_json_escapes_markup():
    text = ivz.script_json({"t": "</script><b>&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"t": "</script><b>&\u2028"}
    assert json.loads(ivz.script_json({"x": float("nan"), "y": [1.5, float("inf")]})) == {"x": None, "y": [1.5, None]}


# ------------------------------------------------------------------ notebook display

# what JupyterLab's sanitiser keeps in an untrusted output (packages/apputils/src/sanitizer.ts):
# iframes, scripts and <style> go (a <style> with its content); these tags stay
SANITISER_KEEPS = {"div", "p", "b", "span", "code", "a", "small", "br", "em", "strong"}


class _Visible(HTMLParser):
    """The text a person sees of an output once the sanitiser removed frames, scripts and styles."""

    def __init__(self):
        super().__init__()
        self.text, self.tags, self._drop = [], set(), 0

    def handle_starttag(self, tag, attrs):
        if tag in ("iframe", "script", "style"):
            self._drop += 1
        else:
            self.tags.add(tag)

    def handle_endtag(self, tag):
        if tag in ("iframe", "script", "style"):
            self._drop -= 1

    def handle_data(self, data):
        if not self._drop:
            self.text.append(data)


def visible(out: str) -> tuple[str, set]:
    parser = _Visible()
    parser.feed(out)
    return " ".join("".join(parser.text).split()), parser.tags


def test_notebook_output_says_what_it_is_and_what_to_do(tiny_net):
    v = interactive(tiny_net, view="ties")
    out = v._repr_html_()
    assert out.count("<iframe") == 1
    text, tags = visible(out)
    assert tags <= SANITISER_KEEPS, tags - SANITISER_KEEPS  # all of it survives JupyterLab's sanitiser
    assert text.startswith("orgnet ties view: 9 nodes, 6 edges — Co-building ties")
    assert "not trusted" in text and "File ▸ Trust Notebook" in text and "jupyter trust NOTEBOOK.ipynb" in text
    assert "run the cell again" in text
    assert 'view.save("ties.html")' in text
    # where the output is trusted a <style> hides the "not trusted" sentence of this output only
    out_id = re.search(r'<div class="orgnet-output" id="(orgnet-out-\d+)">', out).group(1)
    assert f"<style>#{out_id} .orgnet-untrusted {{display: none}}</style>" in out
    assert re.search(r'<span class="orgnet-untrusted">The drawing is not shown because this notebook is not trusted',
                     out)
    assert out.index("<iframe") < out.index('<p class="orgnet-caption"')  # a caption under the drawing
    again = re.search(r'id="(orgnet-out-\d+)"', v._repr_html_()).group(1)
    assert again != out_id  # each output scopes its own rule


def test_notebook_output_names_the_running_notebook(tiny_net, monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/ana/work/ties <b>.ipynb")
    text, _ = visible(interactive(tiny_net)._repr_html_())
    assert "jupyter trust ties <b>.ipynb" in text  # escaped in the HTML, shown as written


def test_text_plain_repr_says_the_same(tiny_net):
    pretty = pytest.importorskip("IPython.lib.pretty")
    v = interactive(tiny_net, view="ties")
    text = pretty.pretty(v)
    assert text.startswith("<orgnet ties view: 9 nodes, 6 edges>")
    assert "Trust the notebook" in text and "jupyter trust" in text and 'view.save("ties.html")' in text
    assert repr(v) == "<orgnet ties view: 9 nodes, 6 edges>"


def test_displaying_writes_no_file(tiny_net, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    v = interactive(tiny_net, view="ties")
    v._repr_html_()
    for limit in (len(v.generate_html().encode("utf-8")) - 1, 1000):  # aggregated, then not shown at all
        monkeypatch.setattr(ivz, "INLINE_MAX_BYTES", limit)
        v._repr_html_()
        v._repr_pretty_(type("P", (), {"text": lambda self, t: None})(), False)
    assert list(tmp_path.iterdir()) == []
    assert v.path_written is None


def test_large_view_is_aggregated_inline(tiny_net, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    v = interactive(tiny_net, view="ties")
    full = v.generate_html()
    monkeypatch.setattr(ivz, "INLINE_MAX_BYTES", len(full.encode("utf-8")) - 1)
    out = v._repr_html_()
    page = html.unescape(re.search(r'<iframe srcdoc="([^"]*)"', out).group(1))
    assert len(page.encode("utf-8")) <= ivz.INLINE_MAX_BYTES
    shown, shown_page, size = v.inline_view()
    assert shown is not v and shown_page == page and size == len(full.encode("utf-8"))
    assert shown.aggregated and shown.level == "community" and len(shown.nodes) < len(v.nodes)
    assert shown.view == "ties" and shown.params["max_nodes"] < 9
    # the inline page says why it is aggregated, and how to get the full view
    assert "Shown aggregated inside the notebook: the full view (9 nodes" in page
    assert 'view.save(&#34;ties.html&#34;)' in page or 'view.save(&quot;ties.html&quot;)' in page
    text, _ = visible(out)
    assert "orgnet ties view: 9 nodes, 6 edges" in text
    assert f"Shown here aggregated to community level ({len(shown.nodes)} nodes" in text
    assert 'view.save("ties.html") writes the full view' in text and 'view.show("ties.html")' in text
    # the view itself is unchanged: saving writes the full view
    assert len(v.nodes) == 9 and not v.aggregated
    assert v.save(tmp_path / "full.html").read_text(encoding="utf-8") == full
    assert v.inline_view()[0] is shown  # not rebuilt on every display


def test_view_too_large_even_aggregated_is_described_not_written(tiny_net, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(ivz, "INLINE_MAX_BYTES", 1000)
    out = interactive(tiny_net, view="ties")._repr_html_()
    assert "<iframe" not in out
    text, _ = visible(out)
    assert "too large to show inside the notebook, even aggregated to the coarsest level" in text
    assert 'view.save("ties.html")' in text and "focus='<area id>'" in text
    assert list(tmp_path.iterdir()) == []


def test_view_built_elsewhere_is_not_rebuilt(tiny_net, monkeypatch):
    v = interactive(tiny_net, view="hierarchy")
    v._build = None  # e.g. constructed by hand: nothing to rebuild from
    monkeypatch.setattr(ivz, "INLINE_MAX_BYTES", len(v.generate_html().encode("utf-8")) - 1)
    assert v.inline_view()[0] is None
    assert "<iframe" not in v._repr_html_()


def test_save_writes_atomically_and_returns_the_path(tiny_net, tmp_path, monkeypatch):
    v = interactive(tiny_net, view="ties")
    target = tmp_path / "sub" / "ties.html"
    out = v.save(str(target))
    assert out == target and isinstance(out, type(target))
    assert target.read_text(encoding="utf-8") == v.generate_html()
    assert v.path_written == target
    assert v.write_html(tmp_path / "w.html").read_text(encoding="utf-8") == v.generate_html()
    # an interrupted write leaves the previous file whole, and no temporary sibling
    target.write_text("previous", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        v.save(target)
    assert target.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in target.parent.iterdir()) == ["ties.html"]


def test_save_refuses_a_folder(tiny_net, tmp_path):
    with pytest.raises(OrgnetError, match="it is a folder"):
        interactive(tiny_net).save(tmp_path)


def test_show_writes_the_page_and_links_to_it(tiny_net, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "no-server"))
    v = interactive(tiny_net, view="ties")
    link = v.show("out/ties <1>.html")
    assert isinstance(link, ivz.SavedPage)
    assert link.path == (tmp_path / "out" / "ties <1>.html").resolve() and link.path.exists()
    assert link.path.read_text(encoding="utf-8") == v.generate_html()
    assert os.fspath(link) == str(link.path)
    out = link._repr_html_()
    text, tags = visible(out)
    assert tags <= SANITISER_KEEPS
    assert str(link.path) in text and "from your file manager" in text
    assert "orgnet ties view (9 nodes, 6 edges) saved to" in text
    # no Jupyter server started this process: a link relative to the working folder, with the
    # "Trust HTML" advice for JupyterLab's own HTML viewer
    assert not link.served and link.href == "out/ties%20%3C1%3E.html"
    assert '<a href="out/ties%20%3C1%3E.html" target="_blank">' in out and "Trust HTML" in text
    assert "<1>" not in out and "&lt;1&gt;" in out
    assert str(link.path) in repr(link)


def test_show_under_a_jupyter_server_links_to_its_files_url(tiny_net, tmp_path, monkeypatch):
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    root = tmp_path / "root"
    (root / "nb").mkdir(parents=True)
    # what jupyter_server writes for itself; the kernel's parent process is the server
    (runtime / f"jpserver-{os.getppid()}.json").write_text(json.dumps(
        {"pid": os.getppid(), "root_dir": str(root), "base_url": "/user/ana/", "port": 8888}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    monkeypatch.chdir(root / "nb")
    v = interactive(tiny_net, view="ties")
    link = v.show("ties view.html")
    assert link.served and link.href == "/user/ana/files/nb/ties%20view.html"
    out = link._repr_html_()
    assert '<a href="/user/ana/files/nb/ties%20view.html" target="_blank">' in out and "Trust HTML" not in out
    # outside the server's root the server cannot serve it: a relative link instead
    outside = v.show(tmp_path / "elsewhere.html")
    assert not outside.served and outside.href == "../../elsewhere.html"


def test_to_html_accepts_a_network_and_an_open_file(tiny_net, tmp_path):
    p = to_html(tiny_net, tmp_path / "h.html", view="hierarchy")
    assert "Area hierarchy" in p.read_text(encoding="utf-8")
    with open(tmp_path / "t.html", "w", encoding="utf-8") as fh:
        assert to_html(interactive(tiny_net), fh) is None
    assert (tmp_path / "t.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# ------------------------------------------------------------------ parameters


@pytest.mark.parametrize("kwargs, message", [
    ({"view": "network"}, r"The 'view' parameter of interactive must be one of 'ties'"),
    ({"focus": "C99"}, r"The 'focus' parameter of interactive must be an area, organisation"),
    ({"focus": 11}, r"The 'focus' parameter of interactive must be an area"),
    ({"max_nodes": 0}, r"The 'max_nodes' parameter of interactive must be an integer >= 1"),
    ({"height": "100px; background:red"}, r"The 'height' parameter of interactive must be a CSS length"),
    ({"radius_m": 800}, r"The 'options' parameter of interactive must be vis-network options .* params="),
    ({"tree": "circle"}, r"The 'tree' parameter"),
    ({"params": [1]}, r"The 'params' parameter"),
    ({"seed": -1}, r"The 'seed' parameter of interactive must be an integer >= 0 or a numpy.random.Generator"),
    ({"physics": "on"}, r"The 'physics' parameter of interactive must be True or False or None. Got 'on'"),
])
def test_parameter_errors(tiny_net, kwargs, message):
    with pytest.raises(OrgnetParameterError, match=message):
        interactive(tiny_net, **kwargs)


def test_to_html_refuses_what_is_not_a_view(tmp_path):
    with pytest.raises(OrgnetParameterError, match=r"The 'net_or_view' parameter of to_html must be a view from "
                                                   r"orgnet.viz.interactive or an OrgNetwork. Got 42 instead."):
        to_html(42, tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()


def test_params_reach_the_analysis(tiny_net):
    v = interactive(tiny_net, view="vacuum", params={"radius_m": 250})
    assert v.params["radius_m"] == 250
    nodes = by_id(v)
    assert nodes["circle:T1"]["size"] == pytest.approx(nodes["circle:T2"]["size"])
    w = interactive(tiny_net, view="ties", edges={"smooth": True})
    assert w.options["edges"]["smooth"] is True
