"""Write the example ledger workbook 东湖街道党建台账.xlsx from the demo district.

The workbook is what a street office (街道) keeps by hand: the demo's street
``S1`` 东湖街道 (its areas, organisations, units, stations and the ties among
them), with Chinese sheet names, Chinese headers and values, a title row above
each header, a totals row and a notes row — and nine mistakes of the kind such
ledgers carry, each of which orgnet reports with its sheet, row and column:

=====  =========  ==========================================================
sheet  row        mistake (what the demo says)
=====  =========  ==========================================================
区域    Q1111      物业管理 ticked √ instead of 是 (true)
区域    Q1131      物业管理 crossed × instead of 否 (false)
党组织  OG111      党员数 written in words, 十二 (12)
单位    U01        党员数 with its unit, 40人 (40)
单位    U12        the row entered twice
单位    U23        所在区域 written as the grid's name 朝阳第一网格 (G131)
单位    U26        类型 left empty (非公企业, private_enterprise)
联系    OS1→U13    开始日期 2023/15/02: day and month swapped (2023-02-15)
联系    OU05→O12   类型 共建, a word that is no alias (共驻共建, co_building)
=====  =========  ==========================================================

A header with a trailing space (``名称 `` in 单位), headers with a unit in
brackets (``人口（人）``), dates typed as text (``2012年7月1日``), the sheet of
instructions (填表说明), the totals row (合计) and the note below the ties are
not mistakes: orgnet reads past them (the last three with a warning). Fixed, the
ledger is exactly the demo's 东湖街道: the same coverage rates (9/16, 13/16).

Run ``python -m orgnet.datasets.ledger_example.make`` to write the workbook
next to this file. The output is byte-stable: fixed document dates and fixed
zip entry times, so running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from . import FILE_NAME

__all__ = ["build", "write"]

_HERE = Path(__file__).resolve().parent
_STAMP = dt.datetime(2025, 6, 30, 0, 0, 0)
_ZIP_TIME = (2025, 6, 30, 0, 0, 0)

LEVEL = {"district": "区", "street": "街道", "community": "社区", "grid": "网格", "compound": "小区",
         "building": "楼栋"}
FORM = {"committee": "党委", "general_branch": "党总支", "branch": "党支部", "group": "党小组"}
SCOPE = {"territorial": "区域", "unit": "单位", "joint": "联合", "industry": "行业", "sector": "新兴领域"}
STATUS = {"normal": "正常", "weak": "软弱涣散", "": ""}
UNIT_TYPE = {"agency": "机关", "state_enterprise": "国有企业", "private_enterprise": "非公企业",
             "public_institution": "事业单位", "social_organisation": "社会组织",
             "property_company": "物业公司", "owners_committee": "业主委员会", "other": "其他"}
SECTOR = {"business_building": "商务楼宇", "park": "园区", "market": "商圈市场", "internet": "互联网", "": ""}
STATION_TYPE = {"centre": "党群服务中心", "station": "党群服务站", "post": "红色驿站"}
TIE_KIND = {"co_building": "共驻共建", "part_time_member": "兼职委员", "dual_report": "双报到",
            "pairing": "结对共建", "joint_conference": "联席会议", "activity": "联建活动",
            "whistle": "吹哨报到", "instructor": "党建指导员", "backstop": "兜底管理", "covers": "行业覆盖"}
BOOL = {"true": "是", "false": "否", "": ""}

INSTRUCTIONS = [
    "示范区东湖街道党建工作台账",
    "填表说明：",
    "1. 本台账由街道党工委组织办每季度更新一次，数据截至2025年6月30日。",
    "2. 编号全区唯一：区域以D/S/C/G/Q/B开头，党组织以O开头，单位以U开头，阵地以T开头。",
    "3. 日期请按“年/月/日”填写，例如2025/6/30。",
    "4. 本表为虚构示范数据，仅供学习使用。",
]


def _demo(table: str) -> list[dict]:
    import csv

    with open(_HERE.parent / "demo" / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _date(text: str):
    """A real Excel date cell for an ISO date, as a ledger kept in Excel holds it."""
    return dt.datetime.strptime(text, "%Y-%m-%d") if text else None


def _int(text: str):
    return int(text) if text else None


def _float(text: str):
    return float(text) if text else None


def _slice():
    """The demo's street S1 东湖街道 with the district above it: rows of every table."""
    areas = _demo("areas")
    parent = {a["id"]: a["parent"] for a in areas}

    def street(i):
        while i and i not in ("S1", "S2"):
            i = parent.get(i, "")
        return i

    keep = {a["id"] for a in areas if street(a["id"]) == "S1"} | {"D1"}
    areas = [a for a in areas if a["id"] in keep]
    orgs = [o for o in _demo("organisations") if o["area"] in keep]
    units = [u for u in _demo("units") if u["area"] in keep]
    stations = [s for s in _demo("stations") if s["area"] in keep]
    ents = keep | {o["id"] for o in orgs} | {u["id"] for u in units}
    ties = [t for t in _demo("ties") if t["source"] in ents and t["target"] in ents]
    return areas, orgs, units, stations, ties


def _sheets():
    """(sheet name, title, headers, rows, notes) of each sheet, mistakes included."""
    areas, orgs, units, stations, ties = _slice()
    names = {a["id"]: a["name"] for a in areas}

    area_rows = []
    for a in areas:
        pm = BOOL[a["property_management"]]
        if a["id"] == "Q1111":
            pm = "√"  # mistake: a tick for 是
        elif a["id"] == "Q1131":
            pm = "×"  # mistake: a cross for 否
        area_rows.append([a["id"], a["name"], LEVEL[a["level"]], a["parent"] or None, _int(a["population"]),
                          _int(a["households"]), _float(a["lon"]), _float(a["lat"]), pm or None,
                          BOOL[a["supervisor"]] or None, BOOL[a["security"]] or None])

    org_rows = []
    for k, o in enumerate(orgs):
        members = _int(o["members"])
        if o["id"] == "OG111":
            members = "十二"  # mistake: a number in words
        est = _date(o["established"])
        if est is not None and k % 4 == 1:
            est = f"{est.year}年{est.month}月{est.day}日"  # typed as text: read as a date
        org_rows.append([o["id"], o["name"], FORM[o["form"]], SCOPE[o["scope"]], o["parent"] or None,
                         o["area"] or None, o["unit"] or None, members, est, STATUS[o["status"]] or None])

    unit_rows = []
    for u in units:
        row = [u["id"], u["name"], UNIT_TYPE[u["type"]], SECTOR[u["sector"]] or None, u["area"],
               _int(u["employees"]), _int(u["party_members"]), _float(u["lon"]), _float(u["lat"])]
        if u["id"] == "U01":
            row[6] = f"{u['party_members']}人"  # mistake: the unit written into the cell
        if u["id"] == "U23":
            row[4] = names[u["area"]]  # mistake: the grid's name instead of its id
        if u["id"] == "U26":
            row[2] = None  # mistake: a required cell left empty
        unit_rows.append(row)
        if u["id"] == "U12":
            unit_rows.append(list(row))  # mistake: the same row entered twice
    total = [None, "合计", None, None, None, sum(_int(u["employees"]) or 0 for u in units),
             sum(_int(u["party_members"]) or 0 for u in units), None, None]

    station_rows = [[s["id"], s["name"], STATION_TYPE[s["type"]], s["area"], _float(s["lon"]), _float(s["lat"]),
                     _float(s["floor_area_m2"]), _float(s["radius_m"])] for s in stations]

    tie_rows = []
    for t in ties:
        kind = TIE_KIND[t["kind"]]
        start = _date(t["start"])
        if (t["source"], t["target"], t["kind"]) == ("OU05", "O12", "co_building"):
            kind = "共建"  # mistake: a short word that is no alias
        if (t["source"], t["target"], t["kind"]) == ("OS1", "U13", "covers"):
            start = f"{start.year}/{start.day}/{start.month:02d}"  # mistake: day and month swapped
        tie_rows.append([t["source"], t["target"], kind, start, _date(t["end"]), _int(t["count"]),
                         t["note"] or None])

    return [
        ("区域", "示范区东湖街道 区域与网格台账（截至2025年6月30日）",
         ["编号", "名称", "层级", "上级", "人口（人）", "户数（户）", "经度", "纬度", "物业管理", "主管部门", "人防技防"],
         area_rows, []),
        ("党组织", "示范区东湖街道 党组织台账",
         ["编号", "名称", "组织形式", "类别", "上级党组织", "所在区域", "所在单位", "党员数", "成立日期", "状态"],
         org_rows, []),
        ("单位", "示范区东湖街道 驻区单位台账",
         ["编号", "名称 ", "类型", "领域", "所在区域", "职工数（人）", "党员数", "经度", "纬度"],
         unit_rows + [total], []),
        ("阵地", "示范区东湖街道 党群服务阵地台账",
         ["编号", "名称", "类型", "所在区域", "经度", "纬度", "面积（平方米）", "服务半径（米）"],
         station_rows, []),
        ("联系与共建", "示范区东湖街道 共驻共建与联系台账",
         ["发起方", "对象", "类型", "开始日期", "结束日期", "次数", "备注"],
         tie_rows, ["注：联建活动的“次数”为开展活动的次数，“开始日期”为最近一次活动的日期。"]),
    ]


def build() -> bytes:
    """The workbook as bytes (needs openpyxl, the ``excel`` extra)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "填表说明"
    for line in INSTRUCTIONS:
        ws.append([line])
    ws.column_dimensions["A"].width = 80
    for name, title, headers, rows, notes in _sheets():
        ws = wb.create_sheet(name)
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        ws.cell(1, 1).font = Font(bold=True, size=13)
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
        ws.append(headers)
        for c in range(1, len(headers) + 1):
            ws.cell(2, c).font = Font(bold=True)
            ws.column_dimensions[ws.cell(2, c).column_letter].width = 14
        ws.column_dimensions["B"].width = 30
        for r in rows:
            ws.append(r)
        for line in notes:
            ws.append([line])
        for row in ws.iter_rows(min_row=3):
            for cell in row:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = "yyyy/m/d"
    wb.properties.creator = "orgnet"
    wb.properties.title = "示范区东湖街道党建工作台账（虚构示范数据）"
    wb.properties.created = _STAMP
    wb.properties.modified = _STAMP
    buf = io.BytesIO()
    wb.save(buf)
    return _stable_zip(buf.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The same archive with every entry dated _ZIP_TIME and the document dated _STAMP, so the bytes do not
    depend on when it was written."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            z = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            z.compress_type = zipfile.ZIP_DEFLATED
            z.external_attr = 0o600 << 16
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving here
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + _STAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", body)
            dst.writestr(z, body)
    return out.getvalue()


def write(path=None) -> Path:
    """Write the workbook (default: next to this module) and return its path."""
    p = Path(path) if path is not None else _HERE / FILE_NAME
    p.write_bytes(build())
    return p


if __name__ == "__main__":  # pragma: no cover
    print(write())
