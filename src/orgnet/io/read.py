"""Reading datasets: a folder of CSV files or an .xlsx workbook."""

from __future__ import annotations

import io as _io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from .._validate import RawTable
from ..errors import OrgnetDataError, OrgnetError, OrgnetWarning, Problem
from ..network import OrgNetwork

__all__ = ["read_dataset", "detect_encoding"]


# ---------------------------------------------------------------- reading


def detect_encoding(data: bytes) -> str:
    """The encoding of a CSV file's bytes: ``utf-8-sig``, ``utf-8`` or ``gb18030``.

    UTF-8 is tried first (it rarely decodes text written in another encoding);
    GB18030, a superset of GBK and GB2312, second.

    >>> detect_encoding("编号,名称".encode("gbk"))
    'gb18030'
    >>> detect_encoding("\\ufeffid,name".encode("utf-8"))
    'utf-8-sig'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    for enc in ("utf-8", "gb18030"):
        try:
            data.decode(enc)
            return enc
        except UnicodeDecodeError:
            continue
    raise UnicodeError("neither UTF-8 nor GB18030")


def _read_csv(path: Path, encoding: str | None) -> RawTable:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise OrgnetError(
            f"{path.name}: the file is UTF-16 (Excel's 'Unicode text'); save it as "
            "'CSV UTF-8 (comma delimited)' instead"
        )
    try:
        enc = encoding or detect_encoding(data)
        text = data.decode(enc)
    except (UnicodeError, LookupError) as err:
        raise OrgnetError(
            f"{path.name}: cannot decode the file as UTF-8 or GB18030/GBK; "
            "save it as 'CSV UTF-8' or pass encoding=..."
        ) from err
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return RawTable(pd.DataFrame(), np.array([], dtype=int), label=path.name)
    try:
        frame = pd.read_csv(
            _io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False,
            skip_blank_lines=False, skipinitialspace=False,
        )
    except (pd.errors.ParserError, ValueError) as err:
        raise OrgnetError(f"{path.name}: not a readable CSV file ({err})") from err
    for c in (frame.columns if "'" in text else ()):  # undo write_dataset's formula guard ('=x -> =x)
        s = frame[c]
        guarded = s.str.match(r"'[=+\-@\t\r]").to_numpy(dtype=bool)
        if guarded.any():
            frame[c] = s.where(~guarded, s.str.slice(1))
    return RawTable(frame, np.arange(len(frame)) + 2, from_file=True, label=path.name)


def _read_xlsx(path) -> dict[str, RawTable]:
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
            table = schema.table_for_name(ws.title)
            if table is None:
                _warn_ignored(ws.title, "sheet")
                continue
            if table in out:
                raise OrgnetDataError([Problem(table, None, None, ws.title,
                                               f"two sheets hold table {table!r}; keep one")])
            it = ws.iter_rows(values_only=True)
            header = next(it, None)
            if header is None:
                out[table] = RawTable(pd.DataFrame(), np.array([], dtype=int), label=ws.title)
                continue
            body = list(it)
            width = len(header)
            body = [tuple(r[:width]) + (None,) * (width - len(r)) for r in body]
            cols = [h if h is not None else f"Unnamed: {i}" for i, h in enumerate(header)]
            frame = pd.DataFrame.from_records(body, columns=range(width)) if body else pd.DataFrame(columns=range(width))
            frame.columns = cols
            frame = frame.astype(object)
            out[table] = RawTable(frame, np.arange(len(frame)) + 2, from_file=True, label=ws.title)
    finally:
        wb.close()
    return out


def _warn_ignored(name, what):
    warnings.warn(
        f"{what} {name!r} is not a table of the data format and was not read "
        f"(tables: {', '.join(schema.TABLE_ORDER)}, or their Chinese names)",
        OrgnetWarning, stacklevel=4,
    )


def read_dataset(path, *, encoding: str | None = None, name: str | None = None,
                 as_of=None) -> OrgNetwork:
    """Read and validate a dataset: a folder of CSV files or an .xlsx workbook.

    Table names (file stems or sheet names), headers and vocabulary values may
    be English or Chinese (DATA_FORMAT.md, "Chinese aliases"). CSV files may be
    UTF-8 (with or without BOM) or GB18030/GBK; the encoding is detected.

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

    Returns
    -------
    OrgNetwork

    Raises
    ------
    OrgnetDataError
        Every problem in the data at once, each naming table, row (header =
        row 1), column and value.
    OrgnetError
        The path does not exist, or a file cannot be read at all.

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
        raw = _read_xlsx(path)
        label = name or getattr(path, "name", "workbook")
        return OrgNetwork._from_raw(raw, source=str(label), name=name, as_of=as_of)
    p = Path(path)
    if not p.exists():
        raise OrgnetError(f"No such file or folder: {str(p)!r}")
    if p.is_dir():
        raw = {}
        files = sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith((".", "~$")))
        for f in files:
            if f.suffix.lower() != ".csv":
                if f.suffix.lower() not in (".md", ".txt", ".json", ".yaml", ".yml"):
                    _warn_ignored(f.name, "file")
                continue
            table = schema.table_for_name(f.stem)
            if table is None:
                _warn_ignored(f.name, "file")
                continue
            if table in raw:
                raise OrgnetDataError([Problem(table, None, None, f.name,
                                               f"two files hold table {table!r} "
                                               f"({raw[table].label} and {f.name}); keep one")], source=str(p))
            raw[table] = _read_csv(f, encoding)
        if not raw:
            raise OrgnetError(
                f"{str(p)!r} holds no table files; expected CSV files named like "
                + ", ".join(f"{t}.csv" for t in schema.TABLE_ORDER)
            )
    elif p.suffix.lower() in (".xlsx", ".xlsm"):
        raw = _read_xlsx(p)
    elif p.suffix.lower() == ".xls":
        raise OrgnetError(f"{p.name}: the old .xls format is not supported; save the workbook as .xlsx")
    elif p.suffix.lower() == ".csv":
        raise OrgnetError(
            f"{p.name}: a dataset is a folder of CSV files (one per table) or an .xlsx workbook; "
            f"pass the folder {str(p.parent)!r}"
        )
    else:
        raise OrgnetError(f"{p.name}: expected a folder of CSV files or an .xlsx workbook")
    return OrgNetwork._from_raw(raw, source=str(p), name=name or p.stem, as_of=as_of)


