"""Colours and labels of every view and chart, declared once.

Chinese labels of vocabulary values (levels, forms, scopes, tie kinds,
categories) come from :mod:`orgnet.schema`: a value's label is its first
alias there (``chinese("level", "community")`` is ``"社区"``), and a table's
label is its table's first alias (``"党组织"`` for organisations). Only words
that are no vocabulary of the data — coverage classes, vacuum reasons — are
declared here.

>>> chinese("tie_kind", "co_building"), bilingual("level", "community")
('共驻共建', 'community 社区')
>>> CATEGORY_ZH["territorial organisation"]
'区域党组织'
"""

from __future__ import annotations

from .. import schema

__all__ = [
    "chinese", "bilingual", "table_chinese", "scope_chinese",
    "CATEGORY_COLOURS", "CATEGORY_ZH", "KIND_SHAPES", "TIE_COLOURS", "LEVEL_COLOURS", "FORM_COLOURS",
    "COVERAGE_COLOURS", "COVERAGE_ZH", "REASON_COLOURS", "REASON_ZH", "REASON_EN", "NOT_VACUUM_COLOUR",
    "GAP_BORDER", "RATE_BINS", "SHARE_BINS", "NO_DATA", "OUTSIDE_FOCUS", "DEMAND_COLOURS", "RESOURCE_COLOURS",
    "FLOW_COLOURS", "ORG_COLOUR", "WORK_COLOUR", "DORMANT_COLOUR", "ACTIVE_COLOUR", "STAFF_BINS",
    "UNSTAFFED_COLOUR", "DEPARTMENT_COLOUR",
]


# ------------------------------------------------------------------ labels


def chinese(vocabulary: str, value) -> str:
    """The Chinese label of a vocabulary value: its first alias in :mod:`orgnet.schema` ("" if none).

    Examples
    --------
    >>> chinese("level", "community"), chinese("scope", "sector"), chinese("level", "nowhere")
    ('社区', '新兴领域', '')
    """
    vocab = schema.VOCABULARIES.get(vocabulary)
    aliases = vocab.values.get(value, ()) if vocab is not None and isinstance(value, str) else ()
    return aliases[0] if aliases else ""


def bilingual(vocabulary: str, value) -> str:
    """``"value 中文"`` (the value alone when the schema has no Chinese alias for it).

    Examples
    --------
    >>> bilingual("scope", "territorial"), bilingual("level", "nowhere")
    ('territorial 区域', 'nowhere')
    """
    zh = chinese(vocabulary, value)
    return f"{value} {zh}" if zh else str(value)


def table_chinese(table: str) -> str:
    """The Chinese name of a table (``"organisations"`` -> ``"党组织"``).

    Examples
    --------
    >>> table_chinese("organisations"), table_chinese("units")
    ('党组织', '单位')
    """
    return schema.TABLES[table].aliases[0]


def scope_chinese(scope: str) -> str:
    """The Chinese name of organisations of a scope (``"territorial"`` -> ``"区域党组织"``).

    Examples
    --------
    >>> scope_chinese("territorial"), scope_chinese("industry"), scope_chinese("nowhere")
    ('区域党组织', '行业党组织', '')
    """
    zh = chinese("scope", scope)
    return zh + table_chinese("organisations") if zh else ""


#: node categories of the entity views: organisations by scope, units, areas, stations
CATEGORY_ZH = {
    **{f"{s} organisation": scope_chinese(s) for s in schema.VOCABULARIES["scope"].values},
    "unit": table_chinese("units"), "area": table_chinese("areas"), "station": table_chinese("stations"),
}
#: coverage classes of :func:`orgnet.coverage.unit_coverage`
COVERAGE_ZH = {"own": "单独建立", "joint": "联合/行业覆盖", "work": "仅工作覆盖", "none": "未覆盖"}
#: vacuum reasons of :func:`orgnet.vacuum.vacuum_areas`
REASON_ZH = {"no_organisation": "无党组织", "three_no": "三无小区", "no_service": "服务圈外",
             "sector_gap": "新兴领域空白", "unlinked": "无共建", "unstaffed": "无人员"}
REASON_EN = {"no_organisation": "no organisation", "three_no": "three-no", "no_service": "no service",
             "sector_gap": "sector gap", "unlinked": "unlinked", "unstaffed": "unstaffed"}


# ------------------------------------------------------------------ colours

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
KIND_SHAPES = {"organisation": "dot", "unit": "square", "area": "triangle", "station": "diamond"}
TIE_COLOURS = dict(zip(schema.TIE_KINDS, (
    "#c0392b", "#8e44ad", "#2874a6", "#16a085", "#7f8c8d",
    "#e67e22", "#d4ac0d", "#1e8449", "#a04000", "#5d6d7e",
    "#6c3483", "#1b4f72",
)))
LEVEL_COLOURS = dict(zip(schema.LEVELS, ("#17202a", "#4a235a", "#1a5276", "#117864", "#7d6608",
                                          "#a04000", "#6e2c00")))
FORM_COLOURS = {"committee": "#922b21", "general_branch": "#c0392b", "branch": "#e74c3c", "group": "#f1948a"}
COVERAGE_COLOURS = {"own": "#1e8449", "joint": "#48c9b0", "work": "#f5b041", "none": "#c0392b"}
REASON_COLOURS = {"no_organisation": "#c0392b", "three_no": "#7d3c98", "no_service": "#e67e22",
                  "sector_gap": "#b7950b", "unlinked": "#ec7063", "unstaffed": "#5d6d7e"}
NOT_VACUUM_COLOUR = "#7dcea0"
GAP_BORDER = "#e6190b"
#: (upper bound, colour, label) of rates (coverage rate, share of demands met)
RATE_BINS = ((0.5, "#c0392b", "< 50%"), (0.7, "#e67e22", "50–70%"), (0.85, "#f4d03f", "70–85%"),
             (0.95, "#82e0aa", "85–95%"), (1.01, "#1e8449", "≥ 95%"))
#: (upper bound, colour, label) of shares of something bad (vacuum places)
SHARE_BINS = ((0.0001, "#d5f5e3", "none"), (0.25, "#f5b7b1", "< 25%"), (0.5, "#ec7063", "25–50%"),
              (0.75, "#cb4335", "50–75%"), (1.01, "#78281f", "≥ 75%"))
NO_DATA = "#d5d8dc"
#: nodes outside a focus area (partners drawn paler)
OUTSIDE_FOCUS = "#d5d8dc"
DEMAND_COLOURS = {"met": "#1e8449", "partly met": "#f39c12", "unmet": "#c0392b"}
RESOURCE_COLOURS = {"fully used": "#1a5276", "partly used": "#5dade2", "idle": "#aab7b8"}
FLOW_COLOURS = {"existing partners": "#2874a6", "new pairing": "#e67e22"}
#: charts: organisational and work coverage bars
ORG_COLOUR = "#c0392b"
WORK_COLOUR = "#f5b7b1"
#: charts: active pairs and dormant agreements (签而不联)
ACTIVE_COLOUR = "#2874a6"
DORMANT_COLOUR = "#aab7b8"
#: (upper bound, colour, label) of people placed per 1,000 residents (staffing view): more is darker
STAFF_BINS = ((1.0, "#d6eaf8", "< 1"), (2.0, "#aed6f1", "1–2"), (5.0, "#5dade2", "2–5"),
              (20.0, "#2e86c1", "5–20"), (float("inf"), "#1b4f72", "≥ 20"))
#: a grid with nobody in place (the vacuum reason ``unstaffed``): the gap colour
UNSTAFFED_COLOUR = GAP_BORDER
#: response view: departments (units) cases were routed to, when no closure rate colours them
DEPARTMENT_COLOUR = "#2e86c1"
