"""Blank template workbooks of the data format, generated from :mod:`orgnet.schema`.

Two workbooks ship in this folder: ``orgnet-template-en.xlsx`` (English sheet
names and headers) and ``orgnet-template-zh.xlsx`` (Chinese sheet names and
headers: each table's and column's first Chinese alias). Each holds one sheet
per table with its header row only, drop-down lists for the closed
vocabularies, and a ``notes`` (``说明``) sheet describing every column and
vocabulary. Fill in the rows and read the workbook with
:func:`orgnet.read_dataset`; keep or delete the sheets of optional tables.

The files are generated, never edited by hand: after a change to the schema run
``python -m orgnet.datasets.templates`` (``tests/test_packaging.py`` checks that
the shipped files are current). The output is byte-for-byte reproducible: fixed
document timestamps and zip entry dates.

Examples
--------
>>> from orgnet.datasets import templates
>>> templates.FILES["zh"]
'orgnet-template-zh.xlsx'
>>> [s for s in templates.sheet_names("zh")][:3]
['区域', '党组织', '单位']
>>> templates.headers("zh")["区域"][:4]
['编号', '名称', '层级', '上级']
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from pathlib import Path

from ... import schema
from ..._params import Options, validate_params

__all__ = ["FILES", "LANGUAGES", "NOTES_SHEET", "build_workbook", "choices", "headers", "sheet_names", "template_path",
           "write_templates"]

#: the template languages: English or Chinese sheet names and headers
LANGUAGES = ("en", "zh")

#: file name of the template of each language, in this folder
FILES = {"en": "orgnet-template-en.xlsx", "zh": "orgnet-template-zh.xlsx"}

#: name of the notes sheet in each language (the reader does not read it)
NOTES_SHEET = {"en": "notes", "zh": "说明"}

HERE = Path(__file__).resolve().parent

#: the fixed document date of the generated workbooks (docProps/core.xml)
_STAMP = _dt.datetime(2026, 1, 1)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_CJK = re.compile(r"[\u3400-\u9fff]")
#: Excel's limit on a literal drop-down list ("a,b,c" with its quotes)
_LIST_MAX = 255


@validate_params(lang=Options(*LANGUAGES))
def template_path(lang: str = "en") -> Path:
    """The blank template workbook of the data format shipped with orgnet.

    Parameters
    ----------
    lang : {"en", "zh"}, default "en"
        ``"en"``: English sheet names and headers (``areas``, ``id``, ``name``);
        ``"zh"``: Chinese ones (``区域``, ``编号``, ``名称``). The reader accepts both.

    Returns
    -------
    pathlib.Path
        The ``.xlsx`` file inside the installed package: copy it, fill one row per
        record below each header, and read it with :func:`orgnet.read_dataset`.

    Raises
    ------
    OrgnetParameterError
        When ``lang`` is neither ``"en"`` nor ``"zh"``.

    Examples
    --------
    >>> import shutil, orgnet
    >>> p = orgnet.datasets.template_path("zh")
    >>> p.name, p.exists()
    ('orgnet-template-zh.xlsx', True)
    >>> mine = shutil.copy(p, getfixture("tmp_path") / "my_ledger.xlsx")  # fill it in, then
    >>> import warnings
    >>> with warnings.catch_warnings():  # the notes sheet is not a table and is not read
    ...     warnings.simplefilter("ignore")
    ...     net = orgnet.read_dataset(mine)
    >>> len(net.areas), list(net.areas.columns)[:3]
    (0, ['name', 'level', 'parent'])
    """
    return HERE / FILES[lang]


def _chinese(aliases, fallback: str) -> str:
    """The first alias written in Chinese (no ``a/b`` spellings), else ``fallback``."""
    for a in aliases:
        if _CJK.search(a) and "/" not in a:
            return a
    return fallback


def _sheet(table: schema.Table, lang: str) -> str:
    return table.name if lang == "en" else _chinese(table.aliases, table.name)


def _header(column: schema.Column, lang: str) -> str:
    return column.name if lang == "en" else _chinese(column.aliases, column.name)


@validate_params(lang=Options(*LANGUAGES))
def sheet_names(lang: str = "en") -> list[str]:
    """The table sheets of the ``lang`` template, in the schema's table order.

    >>> from orgnet.datasets import templates
    >>> templates.sheet_names("en")[:3]
    ['areas', 'organisations', 'units']
    """
    return [_sheet(t, lang) for t in schema.TABLES.values()]


@validate_params(lang=Options(*LANGUAGES))
def headers(lang: str = "en") -> dict[str, list[str]]:
    """The header row of each table sheet of the ``lang`` template, by sheet name.

    >>> from orgnet.datasets import templates
    >>> templates.headers("en")["ties"][:3]
    ['source', 'target', 'kind']
    """
    return {_sheet(t, lang): [_header(c, lang) for c in t.columns] for t in schema.TABLES.values()}


def _reference() -> dict[str, list[list[str]]]:
    """Each table's rows of the data-format reference (column, Chinese header,
    required, type, bounds / default), as :func:`orgnet.schema.to_markdown` words them."""
    out: dict[str, list[list[str]]] = {}
    current = None
    for line in schema.to_markdown().splitlines():
        if line.startswith("### "):
            current = line[4:].split(" ")[0]
            out[current] = []
        elif line.startswith("| ") and current is not None and not line.startswith("| column |"):
            out[current].append([x.strip() for x in line.strip()[1:-1].split("|")])
    return out


@validate_params(lang=Options(*LANGUAGES))
def choices(vocabulary: str, lang: str = "en") -> dict[str, str]:
    """The words of a vocabulary's drop-down list in the ``lang`` template, by canonical value.

    English lists the canonical values; Chinese the first Chinese alias of each
    (the canonical value where it has none). The reader accepts both.

    >>> from orgnet.datasets import templates
    >>> templates.choices("level", "zh")["street"], templates.choices("level", "en")["street"]
    ('街道', 'street')
    """
    vocab = schema.VOCABULARIES[vocabulary]
    return {c: c if lang == "en" else _chinese(a, c) for c, a in vocab.values.items()}


def _notes(ws, lang: str, bold) -> None:
    intro = [
        "orgnet data-format template: fill one sheet per table, one row per record, below the header.",
        "Sheets of optional tables may be deleted; required tables: "
        + ", ".join(_sheet(t, lang) for t in schema.TABLES.values() if t.required) + ".",
        "Headers and vocabulary values may be written in English or Chinese (see the accepted spellings).",
        "This sheet is not read. Read the filled workbook with orgnet.read_dataset(path) or: orgnet validate path",
    ]
    for line in intro:
        ws.append([line])
    ws.append([])
    ws.append(["sheet", "column", "header", "required", "type", "bounds / default"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    ref = _reference()
    for t in schema.TABLES.values():
        for c, row in zip(t.columns, ref[t.name]):
            ws.append([_sheet(t, lang), c.name, _header(c, lang), row[2], row[3], row[4]])
    ws.append([])
    ws.append(["vocabulary", "value", "Chinese", "accepted spellings", "list", "used by"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    used: dict[str, list[str]] = {}
    for t in schema.TABLES.values():
        for c in t.columns:
            if c.vocab:
                used.setdefault(c.vocab, []).append(f"{_sheet(t, lang)}.{_header(c, lang)}")
    for v in schema.VOCABULARIES.values():
        for canon, aliases in v.values.items():
            ws.append([v.name, canon, _chinese(aliases, ""), ", ".join((canon, *aliases)),
                       "closed" if v.closed else "open (other values are kept)", ", ".join(used.get(v.name, []))])
    for col, width in zip("ABCDEF", (16, 22, 18, 40, 60, 30)):
        ws.column_dimensions[col].width = width


def _workbook(lang: str):
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    bold = Font(bold=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for t in schema.TABLES.values():
        ws = wb.create_sheet(_sheet(t, lang))
        ws.append([_header(c, lang) for c in t.columns])
        for i, c in enumerate(t.columns, start=1):
            cell = ws.cell(row=1, column=i)
            cell.font = bold
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = max(10, 2 * len(cell.value) + 4)
            if c.vocab and schema.VOCABULARIES[c.vocab].closed:
                formula = '"' + ",".join(choices(c.vocab, lang).values()) + '"'
                if len(formula) <= _LIST_MAX:
                    # a warning, not a stop: every accepted spelling is allowed, not only the listed ones
                    dv = DataValidation(type="list", formula1=formula, allow_blank=True, errorStyle="warning",
                                        showErrorMessage=True, error="Not a value of the list; see the notes sheet")
                    dv.add(f"{letter}2:{letter}1048576")
                    ws.add_data_validation(dv)
        ws.freeze_panes = "A2"
    _notes(wb.create_sheet(NOTES_SHEET[lang]), lang, bold)
    wb.properties.creator = "orgnet"
    wb.properties.title = f"orgnet data-format template ({lang})"
    return wb


_MODIFIED = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")


@validate_params(lang=Options(*LANGUAGES))
def build_workbook(lang: str = "en") -> bytes:
    """The ``lang`` template workbook as the bytes of an .xlsx file (needs openpyxl).

    The same schema gives the same bytes: the document date is fixed and so is the
    date of every zip entry.

    >>> from orgnet.datasets import templates
    >>> templates.build_workbook("en") == templates.build_workbook("en")
    True
    """
    wb = _workbook(lang)
    wb.properties.created = _STAMP
    raw = io.BytesIO()
    wb.save(raw)
    stamp = _STAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"<dcterms:modified\1>" + stamp + rb"</dcterms:modified>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, data)
    return out.getvalue()


def write_templates(folder=None) -> list[Path]:
    """Write both template workbooks into ``folder`` (default: this package folder).

    Returns the paths written. ``python -m orgnet.datasets.templates [folder]``
    does the same from the command line.
    """
    folder = HERE if folder is None else Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for lang in LANGUAGES:
        p = folder / FILES[lang]
        p.write_bytes(build_workbook(lang))
        paths.append(p)
    return paths
