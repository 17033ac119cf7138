"""The offline report: sections present, views embedded, parameters printed, hostile
names escaped, no remote loads, pluggable sections, progress on demand."""

from __future__ import annotations

import importlib
import re

import pandas as pd
import pytest

pytest.importorskip("pyvis", reason="the viz extra is not installed: pip install 'orgnet[viz]'")
pytest.importorskip("matplotlib", reason="the viz extra is not installed: pip install 'orgnet[viz]'")

import orgnet  # noqa: E402
from orgnet.report import report  # noqa: E402
from orgnet.report.page import available  # noqa: E402
from conftest import activity_tables, tiny_tables  # noqa: E402
from viz_helpers import assert_escaped, hostile_net, remote_loads  # noqa: E402

report_module = importlib.import_module("orgnet.report")


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "demo.html"
    out = report(orgnet.datasets.load("demo"), path)
    return out.read_text(encoding="utf-8")


def section(page: str, key: str) -> str:
    m = re.search(rf'<section id="section-{key}" class="orgnet-section">(.*?)</section>\n(?=<section id="section-|'
                  rf'<p class="orgnet-muted">)', page, re.S)
    assert m, f"no section {key!r}"
    return m.group(1)


def test_report_has_every_section(demo_report):
    keys = ("summary", "notes", "coverage", "vacuum", "linkage", "structure", "sharing", "scorecard", "staffing",
            "response", "meetings", "ratings", "views", "parameters")
    for key in keys:
        assert f'id="section-{key}"' in demo_report
    order = [m.group(1) for m in re.finditer(r'<section id="section-(\w+)"', demo_report)]
    assert order[:3] == ["summary", "notes", "coverage"] and order[-1] == "parameters"
    # every analysis module is installed; a section skips only when the demo lacks its table or this
    # checkout lacks the functions it draws (meetings: linkage.cadence/rotation, written alongside)
    demo = orgnet.datasets.load("demo")
    unmet = {s.key for s in report_module.SECTIONS
             if any(len(demo.tables[t]) == 0 for t in s.tables)
             or (s.functions and not any(available(f) for f in s.functions))}
    assert unmet <= {"meetings"}
    for key in keys:
        assert ("Skipped" in section(demo_report, key)) == (key in unmet), key


def test_report_content(demo_report):
    summary = section(demo_report, "summary")
    assert "<td>59</td>" in summary.replace('<td class="num">', "<td>")  # 59 areas
    cov = section(demo_report, "coverage")
    assert "57.6%" in cov  # organisational coverage 19/33 (own 10 + joint 9)
    assert cov.count('<svg ') == 3  # bars, heatmap, map
    assert "云帆网络科技有限公司" in cov  # a unit due but not established
    vac = section(demo_report, "vacuum")
    assert "<svg " in vac and "newly_covered" in vac
    # 5 stations asked for, 3 add residents (C13, C21, C12 cover all 4,198); no district or street pick
    assert "the 3 stations would reach 4,198 of them" in vac and "Only 3 of the k=5 sites" in vac
    assert "<td class=\"\">D1</td>" not in vac and "<td class=\"\">S1</td>" not in vac
    # each resident once (leaf areas): 10,448 of 17,153; the old sum over places said 19,706
    assert "<th>residents living in a vacuum place</th><td class=\"num\">10,448</td>" in vac
    assert "60.9%" in vac and "19,706" not in vac
    assert "<td class=\"num\">6,988</td><td class=\"num\">8,548</td><td class=\"num\">81.8%</td>" in vac  # S2
    link = section(demo_report, "linkage")
    assert "dormant agreements" in link and "partner_diversity" in link
    share = section(demo_report, "sharing")
    assert "Gini of project value" in share and "Recommended new pairings" in share
    # 4 of the 6 open demands fully met (N2, N5, N8, N10; not N4 elderly care, N7 legal); quantities
    # summed across categories said 20,036 / 20,076 = 99.8%, as if 20,000 yuan outweighed 30 people
    assert "<th>share of open demands fully met 需求满足率</th><td class=\"num\">66.7%</td>" in share
    assert "99.8%" not in share and "<th>open quantity</th>" not in share
    assert "<th>demands_met_share</th>" in section(demo_report, "scorecard")
    params = section(demo_report, "parameters")
    for p in ("min_members", "half_life_days", "dormant_days", "radius_m", "max_nodes", "partner_bonus_m"):
        assert f">{p}<" in params
    assert "2025-06-30" in params


def test_report_embeds_the_views_once(demo_report):
    blocks = re.findall(r'<script type="application/json" id="orgnet-data-(\d)">', demo_report)
    assert blocks == ["0", "1", "2", "3", "4", "5", "6"]
    assert demo_report.count("vis-network") >= 1
    assert len(re.findall(r"<section class=\"orgnet-view\"", demo_report)) == 7
    # only the first tab is drawn at load; the others when opened
    assert re.findall(r'data-orgnet-lazy="(\w+)"', demo_report) == ["false"] + ["true"] * 6
    for tab in ("Ties 联系", "Hierarchy 层级", "Coverage 覆盖", "Vacuum 真空", "Sharing 共享", "Staffing 人员",
                "Response 吹哨"):
        assert f">{tab}</button>" in demo_report


def test_report_is_offline_and_utf8(demo_report):
    assert remote_loads(demo_report) == []
    assert '<meta charset="utf-8">' in demo_report
    assert "<link" not in demo_report and not re.search(r"<script[^>]*\bsrc=", demo_report)
    assert "示范区" in demo_report


def test_report_escapes_hostile_names(tmp_path):
    out = report(hostile_net(), tmp_path / "h.html")
    page = out.read_text(encoding="utf-8")
    assert_escaped(page, json_form=True, html_form=True)
    assert remote_loads(page) == []
    assert "hostile &lt;b&gt;net&lt;/b&gt;" in page  # the network's name, in the heading


def test_missing_section_module_is_skipped_with_a_note(tmp_path, monkeypatch, tiny_net):
    extra = report_module.Section("future", "Future analysis", lambda ctx: [ctx.para("never")],
                                  needs="orgnet.not_yet_written")
    monkeypatch.setattr(report_module, "SECTIONS", [*report_module.SECTIONS, extra])
    page = report(tiny_net, tmp_path / "r.html", views=()).read_text(encoding="utf-8")
    part = section(page, "future")
    assert "Skipped: orgnet.not_yet_written is not available" in part
    assert "never" not in part
    assert "Section &#39;future&#39; skipped" in section(page, "notes")
    assert 'id="section-views"' not in page and "orgnet-data-0" not in page


def test_analysis_warnings_become_notes(tmp_path):
    # a unit seated at the district lies outside every street: coverage_rates warns
    t = tiny_tables()
    t["units"].loc[t["units"]["id"] == "U4", "area"] = "D1"
    net = orgnet.OrgNetwork(**t)
    page = report(net, tmp_path / "w.html", views=()).read_text(encoding="utf-8")  # warnings are errors in pytest
    notes = section(page, "notes")
    assert "lie outside every street" in notes


def test_progress_goes_to_stderr_only_when_asked(tmp_path, capsys, tiny_net):
    report(tiny_net, tmp_path / "a.html", views=("ties",))
    quiet = capsys.readouterr()
    assert quiet.out == "" and quiet.err == ""
    report(tiny_net, tmp_path / "b.html", views=("ties",), progress=True)
    loud = capsys.readouterr()
    assert loud.out == ""
    assert re.search(r"orgnet report: \[#+-+\] 1/14 summary", loud.err)
    assert "orgnet report: [####################] 14/14 parameters" in loud.err
    assert "view ties: 9 nodes, 6 edges" in loud.err
    assert "wrote" in loud.err


def test_report_to_an_open_file_and_parameter_errors(tmp_path, tiny_net):
    with open(tmp_path / "f.html", "w", encoding="utf-8") as fh:
        assert report(tiny_net, fh, views=()) is None
    assert (tmp_path / "f.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(orgnet.OrgnetParameterError, match="'views' parameter of report"):
        report(tiny_net, tmp_path / "x.html", views=("network",))
    with pytest.raises(orgnet.OrgnetParameterError, match="'max_nodes' parameter of report"):
        report(tiny_net, tmp_path / "x.html", max_nodes=0)


def test_report_is_deterministic(tmp_path, tiny_net):
    a = report(tiny_net, tmp_path / "a.html").read_text(encoding="utf-8")
    b = report(tiny_net, tmp_path / "b.html").read_text(encoding="utf-8")
    assert a == b


def test_report_aggregates_views_above_max_nodes(tmp_path, tiny_net):
    page = report(tiny_net, tmp_path / "m.html", max_nodes=5, views=("ties",)).read_text(encoding="utf-8")
    assert "aggregated to community level" in page
    assert pd.Series(re.findall(r'"group":"g\d+"', page)).size == 4  # C11, C12, C21, S1


def test_refused_matching_skips_sharing_parts_with_a_note(tmp_path, tiny_net, monkeypatch):
    from orgnet import sharing

    def refuse(net, **kwargs):
        raise orgnet.OrgnetParameterError("match would consider 9,999,999 candidate pairs; pass max_distance_m")

    monkeypatch.setattr(sharing, "match", refuse)
    page = report(tiny_net, tmp_path / "s.html").read_text(encoding="utf-8")
    assert "Matching skipped: match would consider 9,999,999" in section(page, "sharing")
    assert "Scorecard skipped" in section(page, "scorecard")
    views = section(page, "views")
    assert "The sharing view is left out" in views
    assert re.findall(r'id="orgnet-data-(\d)"', page) == ["0", "1", "2", "3"]  # four views, numbered in order


def test_match_kwargs_reach_the_matching(tmp_path, tiny_net):
    page = report(tiny_net, tmp_path / "k.html", views=(), match_kwargs={"max_distance_m": 10.0})
    params = section(page.read_text(encoding="utf-8"), "parameters")
    assert re.search(r"<th>sharing.match</th><td[^>]*>max_distance_m</td><td[^>]*>10.0</td>", params)


# ------------------------------------------------------------------ the activity layer


def facts_of(part: str) -> dict:
    """The headline table of a section part: label -> shown value."""
    return dict(re.findall(r'<tr><th>(.*?)</th><td class="num">(.*?)</td></tr>', part))


def test_staffing_section_on_the_demo(demo_report):
    part = section(demo_report, "staffing")
    f = facts_of(part)
    # demo README: 139 people in place (42 rows), 68 of them in a grid or below, 71 above any grid
    assert f["people in place 在岗人员 (Σ count)"] == "139"
    assert f["of them placed in a grid or below"] == "68 of 139 (48.9% of people in place)"
    assert f["grids with nobody in place 无人员网格"] == "1 of 22 (4.5% of grids)"  # G134
    assert f["grids short of a full-time grid worker 缺专职网格员"] == "2 of 22 (9.1% of grids)"  # G134, G233
    assert f["stations short of staff 阵地缺人"] == "2 of 6 (33.3% of stations)"  # T4, T5
    assert f["buildings without a building head 缺楼栋长"] == "1 of 6 (16.7% of buildings)"  # B12112
    # only the short or empty grids are listed, not all 22
    short = part.split("Grids with nobody in place or short of a grid worker")[1].split("<h3>")[0]
    assert re.findall(r"<tr><th>(G\d+)</th>", short) == ["G134", "G233"]
    assert "(2 of 22 grids)" in part and "nobody in place 无人员" in short
    rules = part.split("short of a staffing rule 配置缺口 (5)")[1].split("<h3>")[0]
    assert re.findall(r"<tr><th>(\w+)</th><td", rules) == ["G134", "G233", "T4", "T5", "B12112"]
    # dual reporting: 65 members, 30 down to a grid; 23 of the 28 units with members send nobody
    assert f["in-service members reporting 报到党员"] == "65"
    assert f["of them placed down to a grid 下沉到网格"] == "30 of 65 (46.2% of reporting members)"
    assert f["service posts claimed 认领岗位"] == "47 (0.72 per reporting member)"
    assert f["of them sending no member 无人报到"] == ("23 of 28 (82.1% of units with Party members located in a "
                                                    "community)")
    assert "U06,U10,U21,U25" in part
    params = section(demo_report, "parameters")
    for p in ("grid_workers_per_grid", "staff_per_station", "building_heads_per_building"):
        assert f">{p}<" in params
    assert re.search(r"<th>staffing.people_by_area</th><td[^>]*>level</td><td[^>]*>grid</td>", params)


def test_response_section_on_the_demo(demo_report):
    part = section(demo_report, "response")
    f = facts_of(part)
    # demo README: 12 cases, 10 closed, median 8.5 days, 5 within 7 days, 8 of 9 answers satisfied
    assert f["cases raised 吹哨事项"] == "12"
    assert f["closed 办结"] == "10 of 12 (83.3% of cases raised)"
    assert f["median days, raised to closed 办结天数中位数"] == "8.5 (over the 10 closed cases)"
    assert f["closed within 7 days"] == "5 of 12 (41.7% of cases raised)"
    assert f["satisfied 满意"] == "8 of 9 (88.9% of closed cases with an answer)"
    # U04: 2 cases, both closed in 7 days, satisfied; U07: 1 of 2 closed (K07 open)
    num = '<td class="num">'
    assert (f"<th>U04</th><td class=\"\">示范区供电公司</td>{num}2</td>{num}2</td>{num}100.0%</td>{num}7</td>"
            f"{num}100.0%</td>{num}100.0%</td>") in part
    assert f"<th>U07</th><td class=\"\">示范区市场监督管理局</td>{num}2</td>{num}1</td>{num}50.0%</td>" in part
    assert "<th>elderly_care</th>" in part  # by category
    # solved at grid 2, community 3 of 4, street 1, department 4 of 5: shares of the closed 20/30/10/40%
    levels = part.split("Where cases are solved")[1]
    assert re.findall(r"<tr><th>(\w+)</th><td", levels) == ["grid", "community", "street", "department"]
    assert f"{num}75.0%</td>{num}40.0%</td></tr>" in levels  # department: 75% satisfied (K04 not), 4 of 10
    params = section(demo_report, "parameters")
    assert re.search(r"<th>response.case_summary</th><td[^>]*>by</td><td[^>]*>routed_to \| category</td>", params)
    assert re.search(r"<td[^>]*>within_days</td><td[^>]*>7</td>", params)


def test_ratings_section_on_the_demo(demo_report):
    part = section(demo_report, "ratings")
    # the demo rates its 6 communities with stars and points; its one satisfaction rating is a station's
    assert "Scheme stars 星级 (6 rated communities)" in part and "Scheme points 积分 (6 rated communities)" in part
    assert "0 rated communities: too few for a rank correlation" in part
    assert "<th>linkage_strength</th>" in part
    notes = section(demo_report, "notes")
    assert "fewer than 3" not in notes  # one note in the section, no warning per indicator


def test_meetings_section(demo_report):
    part = section(demo_report, "meetings")
    if available("orgnet.linkage.cadence") and available("orgnet.linkage.rotation"):
        assert "会议频次" in part and "轮值主席" in part and "Skipped" not in part
        assert "<th>O2</th>" in part  # the demo's street committee convenes monthly
        assert "% of conveners)" in part and "% of the conveners&#39; members)" in part
    else:
        assert "Skipped: orgnet.linkage.cadence and orgnet.linkage.rotation are not available" in part


def test_without_activity_tables_the_sections_skip_naming_the_table(tmp_path, tiny_net):
    page = report(tiny_net, tmp_path / "t.html").read_text(encoding="utf-8")  # no error
    for key, table, zh in (("staffing", "people", "人员"), ("response", "cases", "诉求"),
                           ("meetings", "events", "活动"), ("ratings", "ratings", "评价")):
        part = section(page, key)
        assert f"Skipped: the network has no &#39;{table}&#39; table ({zh})" in part, key
        assert "<table" not in part
        assert f"Section &#39;{key}&#39; skipped" in section(page, "notes")
    views = section(page, "views")
    assert "The staffing view is left out: the network has no &#39;people&#39; table (人员)." in views
    assert "The response view is left out: the network has no &#39;cases&#39; table (诉求)." in views
    assert re.findall(r'id="orgnet-data-(\d)"', page) == ["0", "1", "2", "3", "4"]  # the five others


def test_activity_sections_on_the_tiny_fixture(tmp_path):
    net = orgnet.OrgNetwork(**tiny_tables(), **activity_tables())
    page = report(net, tmp_path / "a.html", views=("staffing", "response")).read_text(encoding="utf-8")
    f = facts_of(section(page, "staffing"))
    # in place on 2025-06-30: H1 (1, G111), H2 (12 at C11), H3 (2 at Q1111 in G111); H4 left 2024-12-31
    assert f["people in place 在岗人员 (Σ count)"] == "15"
    assert f["of them placed in a grid or below"] == "3 of 15 (20.0% of people in place)"
    assert f["grids with nobody in place 无人员网格"] == "3 of 4 (75.0% of grids)"  # G112, G121, G211
    f = facts_of(section(page, "response"))
    # K1 closed in 4 days, satisfied; K3 closed the same day, not satisfied; K2 open
    assert f["closed 办结"] == "2 of 3 (66.7% of cases raised)"
    assert f["median days, raised to closed 办结天数中位数"] == "2 (over the 2 closed cases)"
    assert f["closed within 7 days"] == "2 of 3 (66.7% of cases raised)"
    assert f["satisfied 满意"] == "1 of 2 (50.0% of closed cases with an answer)"
    assert re.findall(r'id="orgnet-data-(\d)"', page) == ["0", "1"]
    assert remote_loads(page) == []
    # as of 2024-01-01 no case was raised yet (K1 is of 2025-02-01); H4, the cadre at G121, is in place
    early = report(net, tmp_path / "e.html", as_of="2024-01-01", views=()).read_text(encoding="utf-8")
    part = section(early, "response")
    assert "No case was raised by 2024-01-01." in part and "<table" not in part.split("No case was raised")[1]
    f = facts_of(section(early, "staffing"))
    assert f["grids short of a full-time grid worker 缺专职网格员"] == "3 of 4 (75.0% of grids)"  # G111 has H1
    assert f["grids with nobody in place 无人员网格"] == "2 of 4 (50.0% of grids)"  # G112, G211 (G121: H4)


def test_meetings_section_draws_what_exists(tmp_path, monkeypatch):
    from orgnet import linkage

    net = orgnet.OrgNetwork(**tiny_tables(), **activity_tables())
    seen = {}

    def cadence(net, *, period="M", as_of=None):
        seen.update(period=period, as_of=as_of)
        return pd.DataFrame({"events": [12, 5], "periods": [12, 12], "periods_met": [12, 5]},
                            index=pd.Index(["O4", "O5"], name="convener"))

    def rotation(net, *, cycle_days=365):  # no as_of: none is passed
        seen.update(cycle_days=cycle_days)
        return pd.DataFrame({"members": [3, 4], "chaired": [3, 1]}, index=pd.Index(["O4", "O5"], name="convener"))

    monkeypatch.setattr(linkage, "cadence", cadence, raising=False)
    monkeypatch.setattr(linkage, "rotation", rotation, raising=False)
    part = section(report(net, tmp_path / "r.html", views=()).read_text(encoding="utf-8"), "meetings")
    f = facts_of(part)
    assert f["conveners meeting the target every month 按月例会"] == "1 of 2 (50.0% of conveners)"
    assert f["members who chaired in the last 365 days 轮值主持"] == "4 of 7 (57.1% of the conveners&#39; members)"
    assert seen == {"period": "M", "as_of": net.as_of, "cycle_days": 365}
    seen.clear()
    monkeypatch.delattr(linkage, "rotation")
    part = section(report(net, tmp_path / "m.html", views=()).read_text(encoding="utf-8"), "meetings")
    assert "会议频次" in part and "<th>O4</th>" in part
    assert seen == {"period": "M", "as_of": net.as_of}
    assert "orgnet.linkage.rotation is not available in this installation." in part
    monkeypatch.delattr(linkage, "cadence")
    page = report(net, tmp_path / "n.html", views=()).read_text(encoding="utf-8")
    assert ("Skipped: orgnet.linkage.cadence and orgnet.linkage.rotation are not available in this installation."
            in section(page, "meetings"))


def test_activity_sections_escape_hostile_names(tmp_path):
    from viz_helpers import hostile_tables

    a = activity_tables()
    a["cases"].loc[a["cases"]["id"] == "K2", "routed_to"] = "U1"  # the hostile unit is a department
    net = orgnet.OrgNetwork(**hostile_tables(), **a)
    page = report(net, tmp_path / "h.html", views=("staffing", "response")).read_text(encoding="utf-8")
    assert_escaped(page, json_form=True, html_form=True)
    assert remote_loads(page) == []
    assert "&lt;img src=x onerror" in section(page, "response")  # U1's name in the department table


def test_the_report_solves_the_matching_once(monkeypatch, tmp_path):
    # sharing, the scorecard and ratings_vs_network (one call per rating scheme) share one solve
    from orgnet import sharing

    calls = []
    real = sharing.match
    monkeypatch.setattr(sharing, "match", lambda *a, **k: calls.append(1) or real(*a, **k))
    report(orgnet.datasets.load("demo"), tmp_path / "r.html", views=())
    assert len(calls) == 1
