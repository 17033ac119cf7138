"""The data format, declared once as data.

Tables, columns, types, vocabularies and Chinese aliases of DATA_FORMAT.md live
here and nowhere else: the reader, the validator, the writer and the docs all
read these declarations.

Examples
--------
>>> from orgnet import schema
>>> [c.name for c in schema.TABLES["stations"].columns][:4]
['id', 'name', 'type', 'area']
>>> schema.VOCABULARIES["level"].canonical("街道")
'street'
>>> schema.LEVELS.index("community") > schema.LEVELS.index("street")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as _pd

#: dtype of text columns in every table and result: pandas' string type on pandas >= 3
#: (Arrow- or Python-backed, whichever pandas chose), plain object before.
TEXT_DTYPE = "str" if int(_pd.__version__.split(".")[0]) >= 3 else object

__all__ = [
    "TEXT_DTYPE",
    "Column",
    "Table",
    "Vocabulary",
    "TABLES",
    "TABLE_ORDER",
    "ENTITY_TABLES",
    "VOCABULARIES",
    "LEVELS",
    "TIE_KINDS",
    "ACTIVITY_TABLES",
    "BOOL_TRUE",
    "BOOL_FALSE",
    "table_for_name",
]


@dataclass(frozen=True)
class Vocabulary:
    """A closed list of allowed values, with Chinese (and other) aliases.

    ``values`` maps each canonical English value to its accepted aliases.
    Matching ignores case and surrounding white space.
    """

    name: str
    values: dict[str, tuple[str, ...]]
    closed: bool = True

    @property
    def lookup(self) -> dict[str, str]:
        """Every accepted spelling (lower-cased) mapped to its canonical value."""
        out: dict[str, str] = {}
        for canon, aliases in self.values.items():
            out[canon.lower()] = canon
            for a in aliases:
                out[a.strip().lower()] = canon
        return out

    def canonical(self, value: str) -> str | None:
        """The canonical value for ``value``, or None if it is not accepted."""
        return self.lookup.get(str(value).strip().lower())

    def suggest(self, value) -> tuple[str, str] | None:
        """The accepted spelling a near miss probably means, with its canonical value.

        >>> VOCABULARIES["level"].suggest("网络"), VOCABULARIES["form"].suggest("支部")
        (('网格', 'grid'), ('党支部', 'branch'))
        >>> VOCABULARIES["level"].suggest("社 区")
        ('社区', 'community')
        """
        lookup = self.lookup
        best = closest(str(value), list(lookup), cutoff=0.5)
        return (best, lookup[best]) if best is not None else None

    def suggestions(self, value) -> list[tuple[str, str]]:
        """Every value a near miss may mean, when spellings of several values are equally close.

        One ``(spelling, canonical)`` per canonical value whose closest spelling ties for the
        best similarity (difflib ratio >= 0.5), the value with more such spellings first, then
        in vocabulary order; a spelling equal once spaces are removed wins alone. ``共建`` is as
        close to ``共驻共建``/``共建协议`` (co_building) as to ``结对共建`` (pairing):

        >>> VOCABULARIES["tie_kind"].suggestions("共建")
        [('共驻共建', 'co_building'), ('结对共建', 'pairing')]
        >>> VOCABULARIES["level"].suggestions("网络"), VOCABULARIES["level"].suggestions("zzz")
        ([('网格', 'grid')], [])
        """
        import difflib

        lookup = self.lookup
        key = _squash(str(value))
        for spelled in lookup:
            if _squash(spelled) == key:
                return [(spelled, lookup[spelled])]
        text = str(value).strip().lower()
        score = {k: difflib.SequenceMatcher(None, text, k.lower()).ratio() for k in lookup}
        best = max(score.values(), default=0.0)
        if best < 0.5:
            return []
        tied: dict[str, list[str]] = {}
        for k, r in score.items():
            if r == best:
                tied.setdefault(lookup[k], []).append(k)
        order = list(self.values)
        ranked = sorted(tied, key=lambda c: (-len(tied[c]), order.index(c) if c in order else len(order)))
        return [(tied[c][0], c) for c in ranked]

    def describe(self) -> str:
        parts = []
        for c, a in self.values.items():
            short = [x for x in a if "/" not in x][:3]
            parts.append(f"{c} ({'/'.join(short)})" if short else c)
        return ", ".join(parts)


#: Area levels, from the top down. A child's level must come after its parent's.
LEVELS = ("city", "district", "street", "community", "grid", "compound", "building")

TIE_KINDS = (
    "co_building",
    "part_time_member",
    "dual_report",
    "pairing",
    "joint_conference",
    "activity",
    "whistle",
    "instructor",
    "backstop",
    "covers",
    # the activity layer: service and administrative lines
    "manages",
    "supervises",
)

VOCABULARIES: dict[str, Vocabulary] = {
    v.name: v
    for v in [
        Vocabulary(
            "level",
            {
                "city": ("市",),
                "district": ("区", "县", "区/县", "区县"),
                "street": ("街道", "乡镇", "乡", "镇", "街道/乡镇"),
                "community": ("社区",),
                "grid": ("网格",),
                "compound": ("小区", "楼院", "小区/楼院", "院落"),
                "building": ("楼栋", "楼"),
            },
        ),
        Vocabulary(
            "form",
            {
                "committee": ("党委", "党工委"),
                "general_branch": ("党总支",),
                "branch": ("党支部",),
                "group": ("党小组",),
            },
        ),
        Vocabulary(
            "scope",
            {
                "territorial": ("区域",),
                "unit": ("单位",),
                "joint": ("联合",),
                "industry": ("行业",),
                "sector": ("新兴领域",),
            },
        ),
        Vocabulary(
            "unit_type",
            {
                "agency": ("机关",),
                "state_enterprise": ("国有企业", "国企"),
                "private_enterprise": ("非公企业", "民营企业"),
                "public_institution": ("事业单位",),
                "social_organisation": ("社会组织",),
                "property_company": ("物业企业", "物业公司"),
                "owners_committee": ("业委会", "业主委员会"),
                "other": ("其他",),
            },
        ),
        Vocabulary(
            "sector",
            {
                "business_building": ("商务楼宇", "楼宇"),
                "park": ("园区",),
                "market": ("商圈市场", "商圈", "市场"),
                "internet": ("互联网",),
            },
        ),
        Vocabulary(
            "station_type",
            {
                "centre": ("中心", "党群服务中心", "center"),
                "station": ("站", "党群服务站"),
                "post": ("驿站", "点", "红色驿站"),
            },
        ),
        Vocabulary(
            "tie_kind",
            {
                "co_building": ("共驻共建", "共驻共建协议", "共建协议"),
                "part_time_member": ("兼职委员",),
                "dual_report": ("双报到",),
                "pairing": ("结对", "结对共建"),
                "joint_conference": ("联席会议", "联席会议成员"),
                "activity": ("联建活动", "活动"),
                "whistle": ("吹哨报到", "吹哨"),
                "instructor": ("指导员", "党建指导员"),
                "backstop": ("兜底", "兜底管理"),
                "covers": ("覆盖", "联合覆盖", "行业覆盖", "楼宇覆盖"),
                "manages": ("物业服务", "物业管理服务"),
                "supervises": ("主管", "派驻", "主管/派驻"),
            },
        ),
        Vocabulary("org_status", {"normal": ("正常",), "weak": ("软弱涣散",)}),
        Vocabulary("demand_status", {"open": ("未满足",), "met": ("已满足",)}),
        Vocabulary("project_status", {"planned": ("计划",), "done": ("完成", "已完成")}),
        # Categories are recommended, not closed: unknown categories are kept as
        # written; the recommended ones are translated from Chinese.
        Vocabulary(
            "category",
            {
                "venue": ("场地",),
                "volunteers": ("志愿服务", "志愿者"),
                "funding": ("资金",),
                "training": ("培训",),
                "medical": ("医疗",),
                "legal": ("法律",),
                "elderly_care": ("养老",),
                "employment": ("就业",),
                "culture_sports": ("文体",),
                "education": ("教育",),
                "other": ("其他",),
            },
            closed=False,
        ),
        # the activity layer
        Vocabulary(
            "person_role",
            {
                "in_service_member": ("在职党员", "在职党员(双报到)", "双报到党员"),
                "cadre": ("下派干部", "下沉干部", "下派/下沉干部"),
                "first_secretary": ("第一书记",),
                "grid_worker": ("网格员", "专职网格员"),
                "community_worker": ("社区工作者",),
                "instructor": ("党建指导员", "指导员"),
                "building_head": ("楼栋长", "楼院长", "楼栋长/楼院长"),
                "member_household": ("党员中心户",),
                "volunteer": ("志愿者", "党员义工", "志愿者/党员义工"),
            },
        ),
        Vocabulary(
            "event_kind",
            {
                "meeting": ("联席会议", "议事会", "联席会议/议事会"),
                "activity": ("联建活动",),
                "theme_day": ("主题党日",),
                "service": ("志愿服务",),
                "training": ("培训",),
                "other": ("其他",),
            },
        ),
        Vocabulary(
            "rating_scheme",
            {
                "stars": ("星级",),
                "points": ("积分", "千分制", "积分/千分制"),
                "peer": ("互评",),
                "satisfaction": ("满意度",),
                "other": ("其他",),
            },
        ),
        # case categories are free: the recommended ones are translated from Chinese
        Vocabulary(
            "case_category",
            {
                "environment": ("环境", "环境卫生"),
                "safety": ("安全",),
                "property": ("物业",),
                "elderly_care": ("养老",),
                "infrastructure": ("设施", "基础设施"),
                "neighbourhood": ("邻里", "邻里纠纷"),
                "other": ("其他",),
            },
            closed=False,
        ),
    ]
}

BOOL_TRUE = ("true", "1", "yes", "y", "t", "是", "有")
BOOL_FALSE = ("false", "0", "no", "n", "f", "否", "无")


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``dtype`` is one of ``id`` (the table's id), ``text``, ``ref`` (an id of
    another entity), ``int``, ``float``, ``bool``, ``date`` or ``vocab``.
    ``refs`` names the tables a ``ref`` may point to. ``minimum`` and
    ``exclusive`` bound numbers (``exclusive=True``: strictly greater).
    ``default`` is the documented meaning of an empty cell; the table keeps the
    empty cell and analyses apply the default.
    """

    name: str
    dtype: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    vocab: str | None = None
    refs: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    exclusive: bool = False
    default: Any = None
    doc: str = ""


@dataclass(frozen=True)
class Table:
    """One table of a dataset."""

    name: str
    aliases: tuple[str, ...]
    columns: tuple[Column, ...]
    required: bool = False
    indexed: bool = True  # indexed by its id column
    entity: str | None = None  # node kind in the graph, if its rows are nodes
    doc: str = ""
    _by_name: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        self._by_name.update({c.name: c for c in self.columns})

    def column(self, name: str) -> Column:
        return self._by_name[name]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def header_lookup(self) -> dict[str, str]:
        """Accepted header spellings (lower-cased) mapped to canonical names."""
        out = {}
        for c in self.columns:
            out[c.name.lower()] = c.name
            for a in c.aliases:
                out[a.strip().lower()] = c.name
        return out

    def canonical_header(self, text) -> str | None:
        """The column a header names, or None for an extra column.

        Case and surrounding white space are ignored, and so is a unit or note
        in brackets (full- or half-width): ``人口（人）`` and
        ``population (people)`` both name ``population``.

        >>> t = TABLES["areas"]
        >>> t.canonical_header("人口（人）"), t.canonical_header("Population (people)"), t.canonical_header("备注")
        ('population', 'population', None)
        """
        lookup = self.header_lookup()
        key = str(text).strip().lower()
        if key in lookup:
            return lookup[key]
        bare = _BRACKETED.sub(" ", key).strip()
        return lookup.get(bare) if bare else None

    def suggest_header(self, text) -> str | None:
        """The column a header not accepted as written probably means, or None.

        >>> TABLES["areas"].suggest_header("popluation"), TABLES["areas"].suggest_header("人口数")
        ('population', 'population')
        >>> TABLES["areas"].suggest_header("备注") is None
        True
        """
        lookup = self.header_lookup()
        key = _squash(_BRACKETED.sub(" ", str(text).strip().lower()))
        if not key:
            return None
        squashed = {_squash(k): v for k, v in lookup.items()}
        if key in squashed:
            return squashed[key]
        best = closest(key, list(squashed), cutoff=0.8)
        return squashed[best] if best is not None else None


#: a unit or note in brackets, full- or half-width: 人口（人）, population (people), 面积【km²】
_BRACKETED = re.compile(r"[（(【\[［〔][^）)】\]］〕]*[）)】\]］〕]")
_SPACES = re.compile(r"[\s_\-\u3000·.]+")


def _squash(text: str) -> str:
    """Lower-cased text without spaces, underscores, hyphens and dots (for near misses)."""
    return _SPACES.sub("", text.lower())


def closest(value: str, choices, *, cutoff: float = 0.6) -> str | None:
    """The choice most like ``value`` (difflib ratio >= ``cutoff``), or None.

    A choice equal to ``value`` once spaces are removed always wins
    (``社 区`` -> ``社区``).

    >>> closest("网络", ["网格", "社区", "街道"], cutoff=0.5), closest("社 区", ["社区", "小区"])
    ('网格', '社区')
    """
    import difflib

    choices = list(choices)
    key = _squash(str(value))
    for c in choices:
        if _squash(c) == key:
            return c
    found = difflib.get_close_matches(str(value).strip().lower(), [c.lower() for c in choices], n=1, cutoff=cutoff)
    if not found:
        return None
    lowered = {c.lower(): c for c in choices}
    return lowered[found[0]]


def _c(name, dtype, *aliases, **kw) -> Column:
    return Column(name, dtype, aliases=tuple(aliases), **kw)


_ID = _c("id", "id", "编号", "ID", required=True)
_NAME = _c("name", "text", "名称", required=True)
_LON = _c("lon", "float", "经度", "longitude", minimum=-180, maximum=180)
_LAT = _c("lat", "float", "纬度", "latitude", minimum=-90, maximum=90)

TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "areas",
            ("区域", "区域与网格"),
            (
                _ID,
                _NAME,
                _c("level", "vocab", "层级", required=True, vocab="level"),
                _c("parent", "ref", "上级", refs=("areas",)),
                _c("population", "int", "人口", minimum=0),
                _c("households", "int", "户数", minimum=0),
                _LON,
                _LAT,
                _c("geometry", "text", "边界"),
                _c("property_management", "bool", "物业管理"),
                _c("supervisor", "bool", "主管部门"),
                _c("security", "bool", "人防技防"),
            ),
            required=True,
            entity="area",
        ),
        Table(
            "organisations",
            ("党组织", "organizations"),
            (
                _ID,
                _NAME,
                _c("form", "vocab", "组织形式", required=True, vocab="form"),
                _c("scope", "vocab", "类别", required=True, vocab="scope"),
                _c("parent", "ref", "上级", "上级党组织", refs=("organisations",)),
                _c("area", "ref", "所在区域", refs=("areas",)),
                _c("unit", "ref", "所在单位", refs=("units",)),
                _c("members", "int", "党员数", minimum=0),
                _c("established", "date", "成立日期"),
                _c("status", "vocab", "状态", vocab="org_status", default="normal"),
            ),
            required=True,
            entity="organisation",
        ),
        Table(
            "units",
            ("单位",),
            (
                _ID,
                _NAME,
                _c("type", "vocab", "类型", required=True, vocab="unit_type"),
                _c("sector", "vocab", "领域", vocab="sector"),
                _c("area", "ref", "所在区域", required=True, refs=("areas",)),
                _c("employees", "int", "职工数", minimum=0),
                _c("party_members", "int", "党员数", minimum=0),
                _LON,
                _LAT,
            ),
            entity="unit",
        ),
        Table(
            "stations",
            ("阵地",),
            (
                _ID,
                _NAME,
                _c("type", "vocab", "类型", vocab="station_type"),
                _c("area", "ref", "所在区域", required=True, refs=("areas",)),
                _LON,
                _LAT,
                _c("floor_area_m2", "float", "面积", minimum=0),
                _c("radius_m", "float", "服务半径", minimum=0, exclusive=True, default=1000.0),
            ),
            entity="station",
        ),
        Table(
            "ties",
            ("联系", "联系与共建"),
            (
                _c("source", "ref", "发起方", required=True,
                   refs=("organisations", "units", "areas")),
                _c("target", "ref", "对象", required=True,
                   refs=("organisations", "units", "areas")),
                _c("kind", "vocab", "类型", required=True, vocab="tie_kind"),
                _c("start", "date", "开始日期"),
                _c("end", "date", "结束日期"),
                _c("count", "int", "次数", minimum=1, default=1),
                _c("note", "text", "备注"),
            ),
            indexed=False,
        ),
        Table(
            "demands",
            ("需求",),
            (
                _ID,
                _c("owner", "ref", "发布方", required=True, refs=("organisations", "areas")),
                _c("category", "vocab", "类别", required=True, vocab="category"),
                _c("quantity", "float", "数量", minimum=0, exclusive=True, default=1.0),
                _c("date", "date", "日期"),
                _c("status", "vocab", "状态", vocab="demand_status", default="open"),
            ),
        ),
        Table(
            "resources",
            ("资源",),
            (
                _ID,
                _c("owner", "ref", "发布方", required=True, refs=("units", "organisations")),
                _c("category", "vocab", "类别", required=True, vocab="category"),
                _c("capacity", "float", "容量", minimum=0, exclusive=True, default=1.0),
                _LON,
                _LAT,
                _c("date", "date", "日期"),
            ),
        ),
        Table(
            "projects",
            ("项目",),
            (
                _ID,
                _c("name", "text", "名称"),
                _c("demand", "ref", "需求", refs=("demands",)),
                _c("resource", "ref", "资源", refs=("resources",)),
                _c("owner", "ref", "发布方", refs=("organisations", "units", "areas")),
                _c("partner", "ref", "合作方", refs=("organisations", "units", "areas")),
                _c("date", "date", "日期"),
                _c("value", "float", "金额"),
                _c("status", "vocab", "状态", vocab="project_status"),
            ),
        ),
        # ---- the activity layer (optional): what people do in the network
        Table(
            "people",
            ("人员",),
            (
                _ID,
                _c("role", "vocab", "角色", required=True, vocab="person_role"),
                _c("source", "ref", "来源", refs=("organisations", "units")),
                _c("area", "ref", "所在区域", required=True, refs=("areas",)),
                _c("station", "ref", "阵地", refs=("stations",)),
                _c("count", "int", "人数", minimum=1, default=1),
                _c("posts", "int", "认领岗位", minimum=0),
                _c("start", "date", "开始日期"),
                _c("end", "date", "结束日期"),
            ),
            doc="groups of people of one role placed in an area: counts, never personal data",
        ),
        Table(
            "events",
            ("活动",),
            (
                _ID,
                _c("kind", "vocab", "类型", required=True, vocab="event_kind"),
                _c("convener", "ref", "召集方", required=True, refs=("organisations", "areas")),
                _c("date", "date", "日期", required=True),
                _c("chair", "ref", "主持方", refs=("organisations", "units", "areas")),
                _c("hours", "float", "时长", minimum=0),
                _c("note", "text", "备注"),
            ),
            doc="meetings and activities that took place",
        ),
        Table(
            "attendance",
            ("参与",),
            (
                _c("event", "ref", "活动", required=True, refs=("events",)),
                _c("entity", "ref", "对象", required=True, refs=("organisations", "units", "areas")),
                _c("people", "int", "人数", minimum=1, default=1),
                _c("score", "float", "评分", minimum=0),
            ),
            indexed=False,
            doc="who took part in an event, and the score its peers gave it",
        ),
        Table(
            "cases",
            ("诉求",),
            (
                _ID,
                _c("area", "ref", "所在区域", required=True, refs=("areas",)),
                _c("raised_by", "ref", "吹哨方", refs=("organisations", "areas")),
                _c("category", "vocab", "类别", vocab="case_category"),
                _c("raised", "date", "提出日期", required=True),
                _c("routed_to", "ref", "报到部门", refs=("organisations", "units")),
                _c("closed", "date", "办结日期"),
                _c("satisfied", "bool", "满意"),
            ),
            doc="problems raised (whistle-and-report 吹哨报到) and how they were closed",
        ),
        Table(
            "ratings",
            ("评价",),
            (
                _c("entity", "ref", "对象", required=True,
                   refs=("organisations", "units", "areas", "stations")),
                _c("scheme", "vocab", "评价方式", required=True, vocab="rating_scheme"),
                _c("period", "date", "评价期", required=True),
                _c("score", "float", "评分", required=True, minimum=0),
                _c("max_score", "float", "满分", minimum=0, exclusive=True),
            ),
            indexed=False,
            doc="star ratings, points assessments and peer scores of entities",
        ),
    ]
}

#: the optional tables of the activity layer (DATA_FORMAT.md, "The activity layer")
ACTIVITY_TABLES = ("people", "events", "attendance", "cases", "ratings")

#: names an extra column may not take: the graph views use them (a node's entity kind,
#: a tie edge's row number), so such a column would be overwritten in ``net.graph``
RESERVED_EXTRA = {"kind": "the entity kind of each node in net.graph", "tie": "the row of each tie edge in net.graph"}


#: Tables in the order they are read, validated and written.
TABLE_ORDER = tuple(TABLES)

#: Tables whose rows are nodes of the network graph, with their node kind.
ENTITY_TABLES = {name: t.entity for name, t in TABLES.items() if t.entity}


def table_for_name(name: str) -> str | None:
    """Canonical table name for a file stem or sheet name (English or Chinese).

    Examples
    --------
    >>> table_for_name("党组织"), table_for_name("Areas"), table_for_name("notes")
    ('organisations', 'areas', None)
    """
    key = str(name).strip().lower()
    for t in TABLES.values():
        if key == t.name or key in (a.lower() for a in t.aliases):
            return t.name
    return None


_TYPE_DOC = {
    "id": "id (text, unique across all tables)",
    "text": "text",
    "ref": "id of {refs}",
    "int": "whole number",
    "float": "number",
    "bool": "yes/no (true/false, 1/0, yes/no, 是/否)",
    "date": "date YYYY-MM-DD (also YYYY/M/D, YYYY年M月D日, Excel dates)",
    "vocab": "one of: {values}",
}


def to_markdown() -> str:
    """The data format as Markdown tables, generated from these declarations.

    ``docs/data_format.md`` embeds this text; a test keeps the two equal.

    >>> print(to_markdown().splitlines()[0])
    ### areas (区域) — required
    """
    out = []
    for t in TABLES.values():
        req = " — required" if t.required else ""
        out.append(f"### {t.name} ({t.aliases[0]}){req}")
        out.append("")
        out.append("| column | Chinese header | required | type | bounds / default |")
        out.append("|---|---|---|---|---|")
        for c in t.columns:
            if c.dtype == "vocab":
                v = VOCABULARIES[c.vocab]
                typ = ("one of: " if v.closed else "recommended: ") + v.describe()
            else:
                typ = _TYPE_DOC[c.dtype].format(refs=" or ".join(c.refs))
            bounds = []
            if c.minimum is not None:
                bounds.append(f"{'>' if c.exclusive else '>='} {c.minimum:g}")
            if c.maximum is not None:
                bounds.append(f"<= {c.maximum:g}")
            if c.default is not None:
                bounds.append(f"empty means {c.default!r}")
            out.append(f"| {c.name} | {' / '.join(c.aliases[:2]) or ''} | "
                       f"{'yes' if c.required else ''} | {typ} | {'; '.join(bounds)} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
