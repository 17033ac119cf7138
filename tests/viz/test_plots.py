"""Charts: the data behind the artists (bar widths and heights, labels, colours, image
arrays, curve points), the CJK font, and parameter errors. No pixels are compared."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

mpl = pytest.importorskip("matplotlib", reason="the viz extra is not installed: pip install 'orgnet[viz]'")
mpl.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

import orgnet  # noqa: E402
from orgnet import coverage, linkage, sharing, vacuum  # noqa: E402
from orgnet.errors import OrgnetError, OrgnetParameterError, OrgnetWarning  # noqa: E402
from orgnet.viz import _fonts, plots  # noqa: E402
from conftest import tiny_tables  # noqa: E402
from viz_helpers import require  # noqa: E402

# a machine without a CJK font warns once (tested below); the other tests draw anyway
pytestmark = pytest.mark.filterwarnings("ignore:No font with Chinese glyphs:orgnet.errors.OrgnetWarning")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def widths(container):
    return [float(p.get_width()) for p in container]


def heights(container):
    return [float(p.get_height()) for p in container]


def ylabels(ax):
    return [t.get_text() for t in ax.get_yticklabels()]


# ------------------------------------------------------------------ coverage


def test_coverage_bars_draw_the_rates_sorted(tiny_net):
    ax = plots.coverage_bars(tiny_net, by="community")
    rates = coverage.coverage_rates(tiny_net, by="community")
    order = rates.sort_values(["org_coverage_rate", "work_coverage_rate"], kind="stable")
    # C21 0/1 and 0/1; C11 1/3 and 2/3; C12 1/1 and 1/1 -> lowest first, at the top
    assert ylabels(ax) == ["明德社区", "春晖社区", "秋实社区"]
    assert widths(ax.containers[0]) == pytest.approx(order["org_coverage_rate"].tolist())
    assert widths(ax.containers[1]) == pytest.approx(order["work_coverage_rate"].tolist())
    assert widths(ax.containers[0]) == pytest.approx([0.0, 1 / 3, 1.0])
    assert to_hex(ax.containers[0][0].get_facecolor()) == plots.ORG_COLOUR
    assert ax.yaxis_inverted()


def test_coverage_bars_from_a_dataframe_into_a_given_axes(tiny_net):
    fig, ax = plt.subplots()
    rates = coverage.coverage_rates(tiny_net, by="street")
    out = plots.coverage_bars(rates, sort=False, ax=ax)
    assert out is ax
    assert widths(ax.containers[0]) == pytest.approx([0.5, 0.0])  # S1 2/4, S2 0/1
    with pytest.raises(OrgnetParameterError, match="lacks column 'org_coverage_rate'"):
        plots.coverage_bars(rates.drop(columns="org_coverage_rate"))


def test_rate_heatmap_is_the_share_of_covered_units(tiny_net):
    ax = plots.rate_heatmap(tiny_net, by="street")
    table = ax.orgnet_table
    # S1: private enterprises U1 (own) and U2 (joint) covered; social org U3 and property company U5 not
    assert table.loc["S1", "private_enterprise"] == 1.0
    assert table.loc["S1", "social_organisation"] == 0.0
    assert table.loc["S1", "property_company"] == 0.0
    assert table.loc["S2", "agency"] == 0.0
    assert np.isnan(table.loc["S2", "private_enterprise"])  # no such unit there
    arr = ax.images[0].get_array()
    assert arr.mask[list(table.index).index("S2"), list(table.columns).index("private_enterprise")]
    assert ax.orgnet_counts.loc["S1"].sum() == 4
    assert ylabels(ax) == ["东湖街道", "西园街道"]
    work = plots.rate_heatmap(tiny_net, by="street", covered="work").orgnet_table
    assert work.loc["S1", "property_company"] == 1.0  # U5 has backstop work coverage


# ------------------------------------------------------------------ maps


def test_parse_wkt():
    polys = plots.parse_wkt("POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0), (0.5 0.5, 1 0.5, 1 1, 0.5 0.5))")
    assert len(polys) == 1 and len(polys[0]) == 2
    assert polys[0][0].tolist()[1] == [2.0, 0.0]
    multi = plots.parse_wkt("multipolygon Z (((0 0 1, 1 0 1, 1 1 1, 0 0 1)), ((5 5 0, 6 5 0, 6 6 0, 5 5 0)))")
    assert len(multi) == 2 and multi[1][0][0].tolist() == [5.0, 5.0]
    with pytest.raises(OrgnetParameterError, match="POLYGON or MULTIPOLYGON"):
        plots.parse_wkt("POINT (1 2)")
    with pytest.raises(OrgnetParameterError, match="malformed"):
        plots.parse_wkt("POLYGON ((0 0, 1))")


def test_area_map_polygons_and_points():
    t = tiny_tables()
    a = t["areas"]
    a.loc[a["id"] == "C11", "geometry"] = "POLYGON ((103.81 36.03, 103.83 36.03, 103.83 36.05, 103.81 36.03))"
    a.loc[a["id"] == "C12", "geometry"] = ("MULTIPOLYGON (((103.83 36.05, 103.85 36.05, 103.85 36.07, 103.83 36.05)),"
                                           " ((103.86 36.05, 103.87 36.05, 103.87 36.06, 103.86 36.05)))")
    net = orgnet.OrgNetwork(**t)
    values = pd.Series({"C11": 0.0, "C12": 1.0, "C21": 0.5}, name="org_coverage_rate")
    ax = plots.area_map(net, values)
    drawn = ax.orgnet_drawn
    assert drawn["shape"].to_dict() == {"C11": "polygon", "C12": "polygon", "C21": "point"}
    coll = ax.orgnet_patches
    cmap = mpl.colormaps["RdYlGn"]
    assert to_hex(coll.get_facecolors()[0]) == to_hex(cmap(0.0))  # a rate: scale fixed to [0, 1]
    assert to_hex(coll.get_facecolors()[1]) == to_hex(cmap(1.0))
    assert len(coll.get_paths()[1].to_polygons()) == 2  # both parts of the multipolygon
    point = ax.collections[1]
    assert to_hex(point.get_facecolors()[0]) == to_hex(cmap(0.5))
    assert point.get_offsets().tolist() == [[103.88, 36.05]]
    with pytest.raises(OrgnetParameterError, match="'X9' is not an area"):
        plots.area_map(net, pd.Series({"X9": 1.0}))
    with pytest.raises(OrgnetParameterError, match="'column' parameter"):
        plots.area_map(net, values.to_frame())


# ------------------------------------------------------------------ vacuum and linkage


def test_vacuum_reasons_stacked(demo):
    ax = plots.vacuum_reasons(demo)
    s = vacuum.vacuum_summary(demo, by="street")
    assert len(ax.containers) == len(vacuum.reasons_of(s)) == 6  # the demo has people: unstaffed too
    left = np.zeros(len(s))
    for container, reason in zip(ax.containers, vacuum.reasons_of(s)):
        assert widths(container) == pytest.approx(s[reason].tolist())
        assert [float(p.get_x()) for p in container] == pytest.approx(left.tolist())  # stacked
        assert to_hex(container[0].get_facecolor()) == plots.REASON_COLOURS[reason]
        left += s[reason].to_numpy()
    marks = ax.collections[0].get_offsets()
    assert marks[:, 0].tolist() == s["vacuum"].tolist()  # the vacuum total per street
    assert ylabels(ax) == s["name"].tolist()
    pop = plots.vacuum_reasons(s, population=True)
    assert widths(pop.containers[0]) == pytest.approx(s["no_organisation_population"].tolist())


def test_tie_strength_hist(demo):
    ax = plots.tie_strength_hist(demo, bins=10)
    ts = linkage.tie_strength(demo)
    live, dormant = ax.containers
    assert sum(heights(live)) == (~ts["dormant"]).sum()
    assert sum(heights(dormant)) == ts["dormant"].sum() == 2
    assert len(live) == 10
    lo = min(float(p.get_x()) for p in live)
    assert lo == pytest.approx(ts["strength"].min())


# ------------------------------------------------------------------ inequality and comparisons


def test_lorenz_points_and_gini_from_sharing():
    values = [0, 1, 3, 6]
    ax = plots.lorenz(values, label="value")
    x, y = ax.lines[0].get_data()
    curve = sharing.lorenz_curve(values)
    assert list(x) == pytest.approx(curve["population_share"].tolist())
    assert list(y) == pytest.approx(curve["value_share"].tolist())
    assert ax.orgnet_gini == pytest.approx(sharing.gini(values))
    assert ax.orgnet_gini == pytest.approx(0.5)  # hand: 2*(0+2+9+24)/(4*10) - 5/4
    assert "Gini 0.500" in ax.get_legend().get_texts()[0].get_text()
    assert list(ax.lines[1].get_xdata()) == [0, 1]


@pytest.mark.parametrize("values, message", [
    ([], "at least one number"), ([1, -2], r">= 0"), ([0, 0], "positive total")])
def test_lorenz_refuses_pointless_input(values, message):
    with pytest.raises(OrgnetParameterError, match=message):
        plots.lorenz(values)


def test_compare_before_after():
    before = pd.Series({"S1": 526.0, "S2": 40.0}, name="three_no")
    after = pd.Series({"S1": 66.0, "S3": 5.0}, name="three_no")
    ax = plots.compare(before, after, names={"S1": "东湖街道"})
    t = ax.orgnet_table
    assert t.index.tolist() == ["S1", "S2", "S3"]
    assert t["change"].tolist()[0] == -460.0 and np.isnan(t["change"].tolist()[1])
    assert widths(ax.containers[0]) == [526.0, 40.0, 0.0]
    assert widths(ax.containers[1]) == [66.0, 0.0, 5.0]
    assert ylabels(ax) == ["东湖街道", "S2", "S3"]
    assert "-460" in [t.get_text() for t in ax.texts][0]


def test_compare_dataframes(tiny_net):
    r = coverage.coverage_rates(tiny_net, by="street")
    ax = plots.compare(r, r.assign(org_coverage_rate=r["org_coverage_rate"] + 0.1), column="org_coverage_rate")
    assert ax.orgnet_table["change"].tolist() == pytest.approx([0.1, 0.1])
    assert ylabels(ax) == ["东湖街道", "西园街道"]  # names from the DataFrame's name column
    with pytest.raises(OrgnetParameterError, match="pass column="):
        plots.compare(r, r)
    one = coverage.coverage_rates(tiny_net, by="all")
    ax = plots.compare(one, one)
    assert "org_coverage_rate" in ax.orgnet_table.index


# ------------------------------------------------------------------ fonts and dependencies


def test_chinese_text_uses_a_cjk_font(tiny_net):
    name = _fonts.cjk_font()
    require(name is not None, "a CJK font (apt-get install fonts-noto-cjk, or pip install 'orgnet[cjk]')")
    ax = plots.coverage_bars(tiny_net)
    for t in ax.get_yticklabels() + [ax.title, ax.xaxis.label]:
        assert t.get_fontfamily() == [name, "DejaVu Sans"]
    # and matplotlib resolves it to a file that draws Chinese, not a placeholder
    from matplotlib.font_manager import findfont, FontProperties

    path = findfont(FontProperties(family=name), fallback_to_default=False)
    assert _fonts.draws_real_glyphs(path, "东湖街道西园", face_index=getattr(path, "face_index", 0))


def test_no_cjk_font_warns_once_naming_the_package(tiny_net, monkeypatch):
    monkeypatch.setattr(_fonts, "_found", [None])
    monkeypatch.setattr(_fonts, "_warned", False)
    with pytest.warns(OrgnetWarning, match=r'orgnet\[cjk\].*fonts-noto-cjk'):
        ax = plots.coverage_bars(tiny_net)
    with warnings_as_errors():
        plots.coverage_bars(tiny_net)  # once only
    for t in ax.get_yticklabels() + [ax.title, ax.xaxis.label]:
        assert t.get_fontfamily() == ["DejaVu Sans"]  # Latin stays readable: never a placeholder font


class warnings_as_errors:
    def __enter__(self):
        import warnings

        self._cm = warnings.catch_warnings()
        self._cm.__enter__()
        warnings.simplefilter("error")

    def __exit__(self, *exc):
        return self._cm.__exit__(*exc)


def test_missing_matplotlib_gives_install_hint(tiny_net, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(OrgnetError, match=r"pip install 'orgnet\[viz\]'"):
        plots.lorenz([1, 2])


@pytest.mark.parametrize("call, message", [
    (lambda net: plots.rate_heatmap(net, by="grid"),
     r"The 'by' parameter of rate_heatmap must be one of 'street', 'community'. Got 'grid' instead."),
    (lambda net: plots.tie_strength_hist(net, bins=0),
     r"The 'bins' parameter of tie_strength_hist must be an integer >= 1. Got 0 instead."),
    (lambda net: plots.coverage_bars(net, sort="yes"), r"The 'sort' parameter of coverage_bars must be True or False"),
    (lambda net: plots.area_map(net, pd.Series({"C11": 1.0}), size=0),
     r"The 'size' parameter of area_map must be a number > 0"),
    (lambda net: plots.area_map("net", pd.Series({"C11": 1.0})),
     r"The 'net' parameter of area_map must be an OrgNetwork"),
    (lambda net: plots.vacuum_reasons(pd.DataFrame({"x": [1]})),
     r"The 'data' parameter of vacuum_reasons must be the DataFrame of vacuum_summary; it lacks column"),
    (lambda net: plots.lorenz([1, 2], colour=3), r"The 'colour' parameter of lorenz must be a non-empty text"),
])
def test_parameter_errors_name_the_chart(tiny_net, call, message):
    with pytest.raises(OrgnetParameterError, match=message):
        call(tiny_net)


def test_analysis_keywords_only_with_a_network(tiny_net):
    rates = coverage.coverage_rates(tiny_net)
    with pytest.raises(OrgnetParameterError, match="only when given a network"):
        plots.coverage_bars(rates, as_of="2025-01-01")
    # in 2015 U1's organisation (2019) and every covering tie (2022-2024) were still to come
    ax = plots.coverage_bars(tiny_net, as_of="2015-01-01", sort=False)
    assert widths(ax.containers[0]) == [0.0, 0.0]
    assert widths(plots.coverage_bars(tiny_net, sort=False).containers[0]) == [0.5, 0.0]
