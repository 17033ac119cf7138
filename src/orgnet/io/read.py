"""Reading datasets: a folder of CSV files or an .xlsx workbook."""

from __future__ import annotations

import csv
import io as _io
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from .. import _validate
from .._params import Constraint, Date, Encoding, Text, validate_params
from .._validate import RawTable
from ..errors import OrgnetDataError, OrgnetError, OrgnetWarning, Problem
from ..network import OrgNetwork
from .._atomic import TMP_PREFIX
from . import _manifest

__all__ = ["read_dataset", "detect_encoding"]


# ---------------------------------------------------------------- reading


def detect_encoding(data: bytes) -> str:
    """The encoding of a CSV file's bytes: ``utf-8-sig``, ``utf-8`` or ``gb18030``.

    UTF-8 is tried first (it rarely decodes text written in another encoding);
    GB18030, a superset of GBK and GB2312, second.

    Examples
    --------
    >>> detect_encoding("编号,名称".encode("gbk"))
    'gb18030'
    >>> detect_encoding("\\ufeffid,name".encode("utf-8"))
    'utf-8-sig'
    >>> detect_encoding("id,状态".encode("gbk"))  # its bytes are also valid UTF-8
    'gb18030'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and text.isascii():
        return "utf-8"
    try:
        gb = data.decode("gb18030")
    except UnicodeDecodeError:
        gb = None
    if text is not None and (gb is None or _cjk_share(text) >= _cjk_share(gb)):
        return "utf-8"  # a few GBK characters can also be valid UTF-8 (状态 -> ״̬): the text decides
    if gb is not None:
        return "gb18030"
    raise UnicodeError("neither UTF-8 nor GB18030")


_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def _cjk_share(text: str) -> float:
    """The share of the non-ASCII characters of ``text`` that are Chinese characters or
    punctuation (a wrong decoding of Chinese text yields other scripts)."""
    other = sum(1 for ch in text if ord(ch) > 127)
    return len(_CJK.findall(text)) / other if other else 1.0


def _decode(path: Path, encoding: str | None) -> str:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise OrgnetError(
            f"{path.name}: the file is UTF-16 (Excel's 'Unicode text'); save it as "
            "'CSV UTF-8 (comma delimited)' instead"
        )
    try:
        enc = encoding or detect_encoding(data)
        text = data.decode(enc)
    except UnicodeError as err:
        how = f"as {encoding!r}" if encoding else "as UTF-8 or GB18030/GBK"
        raise OrgnetError(
            f"{path.name}: cannot decode the file {how}; "
            "save it as 'CSV UTF-8' or pass the right encoding=..."
        ) from err
    return text[1:] if text.startswith("\ufeff") else text


def _csv_grid(text: str, label: str) -> pd.DataFrame:
    """Every record of a CSV text as a row of text cells (columns 0..n-1), nothing
    taken as the header yet: the header is found later (:func:`_locate`)."""
    if not text.strip():
        return pd.DataFrame()
    kw = dict(header=None, dtype=str, keep_default_na=False, na_filter=False,
              skip_blank_lines=False, skipinitialspace=False)
    try:
        try:
            return pd.read_csv(_io.StringIO(text), **kw)
        except pd.errors.ParserError:
            # records of different lengths (a title row of one cell above a wider header):
            # read again with as many columns as the longest record
            width = max((len(r) for r in csv.reader(_io.StringIO(text))), default=0)
            return pd.read_csv(_io.StringIO(text), names=range(width), **kw)
    except (pd.errors.ParserError, csv.Error, ValueError) as err:
        raise OrgnetError(f"{label}: not a readable CSV file ({err})") from err


#: a row that sums the rows above it (合计 / 总计 / 小计 ...), not data
_TOTALS = re.compile(r"^(合\s*计|总\s*计|小\s*计|共\s*计|总\s*数|累\s*计|total|totals|grand total|subtotal|sum)\s*[:：]?$",
                     re.IGNORECASE)
#: a note below the data (注：… / 备注 / 填表人 …), not data
_NOTE = re.compile(r"^(注|备注|说明|填表|填报|制表|审核|统计|数据来源|资料来源|联系人|联系电话|负责人|note|notes|source)",
                   re.IGNORECASE)
#: how many rows from the top may hold a title before the header
HEADER_SEARCH_ROWS = 20


_cell_str = _validate.cell_text  # one cell as stripped text, or None


def _row_texts(grid: pd.DataFrame, i: int) -> list[str | None]:
    return [_cell_str(v) for v in grid.iloc[i].tolist()]


def _header_score(table: schema.Table, cells: list[str | None]) -> int:
    return len({c for c in (table.canonical_header(x) for x in cells if x) if c is not None})


def _locate(grid: pd.DataFrame, table: schema.Table, label: str, header_row: int | None,
            exact: bool = False, unguard: bool = False) -> RawTable:
    # a file orgnet wrote (``exact``) is read exactly: header in row 1, every row data;
    # ``unguard`` removes the leading ' its writer put before some texts
    """Find the header of a sheet or CSV grid; return its data as a RawTable.

    Title rows and blank rows above the header are read past; so are totals rows
    (合计/总计/小计) anywhere and notes rows (注：…) below the data, each reported
    in ``RawTable.skipped``. When no header can be found, one problem says so.
    """
    n = len(grid)
    if unguard and n:
        grid = _unguard(grid)
    if n == 0:
        return RawTable(pd.DataFrame(), np.array([], dtype=int), label=label)
    if exact:
        header_row = 1
    if header_row is not None:
        if header_row > n:
            return RawTable(pd.DataFrame(), np.array([], dtype=int), label=label, problems=[Problem(
                table.name, None, None, None,
                f"header_row={header_row}, but {label} has only {n} rows")], unusable=True)
        h = header_row - 1
    else:
        top = min(n, HEADER_SEARCH_ROWS)
        scores = [_header_score(table, _row_texts(grid, i)) for i in range(top)]
        best = max(scores) if scores else 0
        if best == 0:
            first = next((x for i in range(top) for x in _row_texts(grid, i) if x), None)
            expected = ", ".join(f"{c.name} ({c.aliases[0]})" if c.aliases else c.name
                                 for c in table.columns if c.required)
            return RawTable(pd.DataFrame(), np.array([], dtype=int), label=label, problems=[Problem(
                table.name, 1 if first is not None else None, None, first,
                f"no header row found in the first {top} rows of {label}: expected a row of column "
                f"names such as {expected}"
                + (f"; the first row reads {first!r}" if first is not None else "")
                + ". Rename the headers, or pass header_row= (the row number of the header)")],
                unusable=True)
        h = scores.index(best)
    header = [(_cell_str(v) or None) for v in grid.iloc[h].tolist()]
    body = grid.iloc[h + 1:]
    rows = np.arange(h + 2, n + 1)
    # totals rows anywhere, notes rows at the end
    skipped: list[tuple[int, str]] = []
    if len(body) and not exact:
        id_pos = next((i for i, x in enumerate(header) if x and table.canonical_header(x) == "id"), None)
        keep = np.ones(len(body), dtype=bool)
        candidates = []
        for pos in sorted({0, 1, 2} & set(range(body.shape[1])) | ({id_pos} if id_pos is not None else set())):
            vals = body.iloc[:, pos].to_numpy(dtype=object)
            candidates += [i for i, v in enumerate(vals) if isinstance(v, str) and _TOTALS.match(v.strip())]
        # a totals word in the id column, or in the first column with the id empty
        for i in sorted(set(candidates)):
            cells = [x for x in _row_texts(body, i)]
            filled = [x for x in cells if x is not None]
            idv = cells[id_pos] if id_pos is not None and id_pos < len(cells) else None
            lead = filled[0] if filled else ""
            if _TOTALS.match(lead) and (idv is None or idv == lead):
                keep[i] = False
                skipped.append((int(rows[i]), f"a totals row ({lead})"))
        # notes: rows of one filled cell starting like a note, with nothing but notes,
        # totals and blank rows below them
        for i in range(len(body) - 1, -1, -1):
            cells = [x for x in _row_texts(body, i) if x is not None]
            if not keep[i] or not cells:
                continue
            if len(cells) == 1 and _NOTE.match(cells[0]):
                keep[i] = False
                skipped.append((int(rows[i]), "a note"))
                continue
            break
        if not keep.all():
            body = body.iloc[keep]
            rows = rows[keep]
        skipped.sort()
    frame = body.reset_index(drop=True)
    frame.columns = [x if x is not None else f"Unnamed: {i}" for i, x in enumerate(header)]
    return RawTable(frame, rows, from_file=True, label=label, header_row=h + 1, skipped=skipped,
                    records=n - h - 1)


def _unguard(grid: pd.DataFrame) -> pd.DataFrame:
    """Undo write_dataset's formula guard: a leading ``'`` on text cells that start with
    ``'`` (only in folders orgnet wrote, as their manifest says)."""
    out = grid.copy()
    for c in out.columns:
        s = out[c]
        vals = s.to_numpy(dtype=object)
        mask = np.fromiter((type(v) is str and v.startswith("'") for v in vals), dtype=bool, count=len(vals))
        if mask.any():
            out[c] = s.where(~mask, s.astype(object).str.slice(1))
    return out


def _read_csv(path: Path, encoding: str | None, table: schema.Table, header_row, unguard=False) -> RawTable:
    text = _decode(path, encoding)
    raw = _locate(_csv_grid(text, path.name), table, path.name, header_row, exact=unguard,
                  unguard=unguard and "'" in text)
    # one search of the whole text instead of one per cell; a CR is only suspect where it
    # does not end a line, or may sit inside a quoted cell
    raw.maybe_unsafe = (_SAFE_BUT_CR.search(text) is not None
                        or ("\r" in text and ('"' in text or text.count("\r") != text.count("\r\n"))))
    return raw


_SAFE_BUT_CR = re.compile(_validate.UNSAFE_CHARS.pattern.replace("\x0b-\x1f", "\x0b\x0c\x0e-\x1f"))
_CELL_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def _cell_pos(ref: str) -> tuple[int, int]:
    """'B3' -> (row 3, column 2), both 1-based."""
    m = _CELL_REF.match(ref.strip().upper())
    if not m:  # pragma: no cover - openpyxl writes only such references
        raise OrgnetError(f"unexpected cell reference {ref!r} in a workbook")
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


_MERGE_RE = re.compile(rb'<mergeCell\s+ref="([A-Z]+\d+):([A-Z]+\d+)"')
_FORMULA_CELL_RE = re.compile(rb"<c\b([^>]*?)(?<!/)>(.*?)</c>", re.DOTALL)
_REF_ATTR = re.compile(rb'\br="([A-Z]+\d+)"')


def _sheet_xml(ws) -> bytes:
    with ws._get_source() as src:  # openpyxl's read-only worksheet: the sheet's XML
        return src.read()


def _xlsx_grid(ws, table: str) -> tuple[pd.DataFrame, list[Problem]]:
    """A worksheet as a grid of cell values (row i = sheet row i + 1), merged ranges
    expanded, and a problem for every formula without a cached value."""
    problems: list[Problem] = []
    rows = list(ws.iter_rows(values_only=True))
    # openpyxl's read-only reader starts at the sheet's first used row: pad to row 1
    min_row = getattr(ws, "min_row", 1) or 1
    width = max((len(r) for r in rows), default=0)
    grid = [[None] * width for _ in range(min_row - 1)] + [list(r) + [None] * (width - len(r)) for r in rows]
    try:
        xml = _sheet_xml(ws)
    except (AttributeError, OSError, KeyError):  # pragma: no cover - a workbook opened otherwise
        xml = b""
    if b"<mergeCell" in xml:
        for a, b in _MERGE_RE.findall(xml):
            (r0, c0), (r1, c1) = _cell_pos(a.decode()), _cell_pos(b.decode())
            if r0 > len(grid):
                continue
            v = grid[r0 - 1][c0 - 1] if c0 - 1 < width else None
            for r in range(r0, min(r1, len(grid)) + 1):
                for c in range(c0, min(c1, width) + 1):
                    grid[r - 1][c - 1] = v
    if b"<f" in xml:
        for attrs, inner in _FORMULA_CELL_RE.findall(xml):
            if b"<f" not in inner:
                continue
            v = re.search(rb"<v>(.*?)</v>", inner, re.DOTALL)
            is_text = re.search(rb"<is>", inner)
            if (v is None or not v.group(1).strip()) and not is_text:
                ref = _REF_ATTR.search(attrs)
                where = ref.group(1).decode() if ref else "?"
                r, c = _cell_pos(where) if ref else (None, None)
                problems.append(Problem(table, r, None, None,
                                        f"cell {where} of sheet {ws.title!r} holds a formula without a saved "
                                        "value (the workbook was written by a program that does not compute "
                                        "formulas); open and save the file in Excel or WPS, or replace the "
                                        "formula by its value"))
    frame = pd.DataFrame(grid, dtype=object) if grid else pd.DataFrame()
    return frame, problems


def _read_xlsx(path, header_row) -> dict[str, RawTable]:
    try:
        import openpyxl
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise OrgnetError(
            "Reading .xlsx workbooks needs openpyxl: pip install 'orgnet[excel]'"
        ) from err
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for a bad file
        raise OrgnetError(f"{getattr(path, 'name', path)}: not a readable .xlsx workbook ({err})") from err
    out: dict[str, RawTable] = {}
    try:
        for ws in wb.worksheets:
            table = _table_of(ws.title, "sheet", out)
            if table is None:
                continue
            grid, problems = _xlsx_grid(ws, table)
            raw = _locate(grid, schema.TABLES[table], f"sheet {ws.title!r}", _header_for(header_row, table))
            # formulas in title, totals and notes rows are not read, so need no value
            skipped = {r for r, _ in raw.skipped}
            raw.problems = [q for q in problems if raw.unusable or (q.row > raw.header_row and q.row not in skipped)
                            ] + raw.problems
            out[table] = raw
    finally:
        wb.close()
    return out


def _header_for(header_row, table: str) -> int | None:
    if isinstance(header_row, dict):
        return header_row.get(table)
    return header_row


class HeaderRow(Constraint):
    """None, a row number >= 1, or a dict of them by table name (``read_dataset``'s ``header_row``)."""

    def describe(self):
        return ("None, a row number >= 1 (the header's row as the spreadsheet shows it), "
                "or a dict of them by table name")

    @staticmethod
    def _row(v):
        from numbers import Integral

        if v is None:
            return None
        if isinstance(v, Integral) and not isinstance(v, bool) and v >= 1:
            return int(v)
        raise ValueError

    def convert(self, value):
        if isinstance(value, dict):
            if any(k not in schema.TABLES for k in value):
                raise ValueError
            return {k: self._row(v) for k, v in value.items()}
        return self._row(value)


def _table_of(name: str, what: str, seen: dict, *, shown: str | None = None, source=None) -> str | None:
    """The table a file stem or sheet name holds, or None (with a warning) for none;
    a second file or sheet for a table already read is an error naming both."""
    shown = shown or name
    table = schema.table_for_name(name)
    if table is None:
        _warn_ignored(shown, what, stacklevel=5)
        return None
    if table in seen:
        raise OrgnetDataError([Problem(table, None, None, shown,
                                       f"two {what}s hold table {table!r} ({seen[table].label} and {shown}); "
                                       "keep one")], source=source)
    return table


def _warn_ignored(name, what, stacklevel=4):
    warnings.warn(
        f"{what} {name!r} is not a table of the data format and was not read "
        f"(tables: {', '.join(schema.TABLE_ORDER)}, or their Chinese names)",
        OrgnetWarning, stacklevel=stacklevel,
    )


def _warn_skipped(raw: dict[str, RawTable]) -> None:
    parts = []
    for t, r in raw.items():
        if r.skipped:
            what = "; ".join(f"row {row} ({why})" for row, why in r.skipped[:10])
            more = f"; and {len(r.skipped) - 10} more" if len(r.skipped) > 10 else ""
            parts.append(f"{t}: {what}{more}")
    if parts:
        warnings.warn("rows that are not data were not read — " + " | ".join(parts), OrgnetWarning, stacklevel=3)


@validate_params(encoding=[Encoding(), None], name=[Text(), None], as_of=[Date(), None],
                 header_row=HeaderRow())
def read_dataset(path, *, encoding: str | None = None, name: str | None = None,
                 as_of=None, header_row: int | dict | None = None) -> OrgNetwork:
    """Read and validate a dataset: a folder of CSV files or an .xlsx workbook.

    Table names (file stems or sheet names), headers and vocabulary values may
    be English or Chinese (DATA_FORMAT.md, "Chinese aliases"). CSV files may be
    UTF-8 (with or without BOM) or GB18030/GBK; the encoding is detected.

    Ledgers are read as people keep them: title rows and blank rows above the
    header are read past (the header is the row among the first 20 that
    names the most known columns), headers may carry a unit in brackets
    (``人口（人）``), numbers may have thousands separators (``1,200``), merged
    cells of a workbook are expanded (every cell of the range holds its
    value), and totals rows (``合计``/``总计``/``小计``) and notes below the data
    are not read, with one :class:`~orgnet.OrgnetWarning` naming them.

    Parameters
    ----------
    path : str, Path or binary file
        A folder of ``<table>.csv`` files, a ``.xlsx`` workbook, or an open
        binary file holding a workbook.
    encoding : str, optional
        Force the CSV encoding instead of detecting it.
    name : str, optional
        Label of the network (default: the folder or file stem).
    as_of : date-like, optional
        The ledger's reference date (see :class:`OrgNetwork`).
    header_row : int or dict, optional
        The header's row number as the spreadsheet shows it (1 = the first
        row), for every table or as ``{table: row}``; default: found.

    Returns
    -------
    OrgNetwork

    Raises
    ------
    OrgnetDataError
        Every problem in the data at once, each naming table, row (as the
        spreadsheet shows it), column and value.
    OrgnetError
        The path does not exist, a file cannot be read at all, or a folder
        written by :func:`write_dataset` is incomplete (its manifest,
        ``orgnet_manifest.json``, lists other files or row counts).

    See Also
    --------
    write_dataset : the writer; ``read_dataset(p) == net`` after ``write_dataset(net, p)``.

    Examples
    --------
    >>> import orgnet
    >>> net = orgnet.read_dataset(orgnet.datasets.path("demo"))
    >>> net.areas.loc["D1", "level"]
    'district'
    """
    if hasattr(path, "read"):
        raw = _read_xlsx(path, header_row)
        label = name or getattr(path, "name", "workbook")
        _warn_skipped(raw)
        return OrgNetwork._from_raw(raw, source=str(label), name=name, as_of=as_of)
    p = Path(path)
    if not p.exists():
        raise OrgnetError(f"No such file or folder: {str(p)!r}")
    if p.name.startswith(TMP_PREFIX):
        raise OrgnetError(f"{str(p)!r} is an unfinished write of orgnet (interrupted); "
                          "it is not a dataset. Delete it and write the dataset again")
    if p.is_dir():
        raw = {}
        manifest = _manifest.read(p)
        files = sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith((".", "~$")))
        for f in files:
            if f.suffix.lower() != ".csv":
                if f.suffix.lower() not in (".md", ".txt", ".json", ".yaml", ".yml"):
                    _warn_ignored(f.name, "file")
                continue
            table = _table_of(f.stem, "file", raw, shown=f.name, source=str(p))
            if table is None:
                continue
            raw[table] = _read_csv(f, encoding, schema.TABLES[table],
                                   _header_for(header_row, table), unguard=manifest is not None)
        if manifest is not None:
            _manifest.check(p, manifest, {t: (r.label, r.records) for t, r in raw.items()})
        if not raw:
            raise OrgnetError(
                f"{str(p)!r} holds no table files; expected CSV files named like "
                + ", ".join(f"{t}.csv" for t in schema.TABLE_ORDER)
            )
    elif p.suffix.lower() in (".xlsx", ".xlsm"):
        raw = _read_xlsx(p, header_row)
    elif p.suffix.lower() == ".xls":
        raise OrgnetError(f"{p.name}: the old .xls format is not supported; save the workbook as .xlsx")
    elif p.suffix.lower() == ".csv":
        raise OrgnetError(
            f"{p.name}: a dataset is a folder of CSV files (one per table) or an .xlsx workbook; "
            f"pass the folder {str(p.parent)!r}"
        )
    else:
        raise OrgnetError(f"{p.name}: expected a folder of CSV files or an .xlsx workbook")
    _warn_skipped(raw)
    return OrgNetwork._from_raw(raw, source=str(p), name=name or p.stem, as_of=as_of)
