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
from conftest import tiny_tables  # noqa: E402
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
    for key in ("summary", "notes", "coverage", "vacuum", "linkage", "structure", "sharing", "scorecard",
                "views", "parameters"):
        assert f'id="section-{key}"' in demo_report
    order = [m.group(1) for m in re.finditer(r'<section id="section-(\w+)"', demo_report)]
    assert order[:3] == ["summary", "notes", "coverage"] and order[-1] == "parameters"
    assert "Skipped" not in demo_report  # every analysis module is installed


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
    assert blocks == ["0", "1", "2", "3", "4"]
    assert demo_report.count("vis-network") >= 1
    assert len(re.findall(r"<section class=\"orgnet-view\"", demo_report)) == 5
    # only the first tab is drawn at load; the others when opened
    assert re.findall(r'data-orgnet-lazy="(\w+)"', demo_report) == ["false", "true", "true", "true", "true"]
    for tab in ("Ties 联系", "Hierarchy 层级", "Coverage 覆盖", "Vacuum 真空", "Sharing 共享"):
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
    assert re.search(r"orgnet report: \[#+-+\] 1/10 summary", loud.err)
    assert "orgnet report: [####################] 10/10 parameters" in loud.err
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
