"""Writing datasets: a CSV folder or an .xlsx workbook, atomically."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from .._params import Bool, Encoding, Network, validate_params
from ..errors import OrgnetError, OrgnetParameterError
from ..network import OrgNetwork
from .._atomic import atomic_folder, atomic_target, check_writable
from . import _manifest

__all__ = ["write_dataset"]

#: characters that make a spreadsheet treat a text cell as a formula
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# ---------------------------------------------------------------- writing


def _text_out(v):
    """Guard a text cell for CSV: a leading ``'`` before text a spreadsheet would run as
    a formula, and before text that starts with ``'`` itself (so that reading removes
    exactly one, and every text survives)."""
    if isinstance(v, str) and v.startswith(_GUARDED):
        return "'" + v
    return v


_GUARDED = _FORMULA_START + ("'",)
#: Excel's limits: characters in a cell, rows in a sheet
_XLSX_MAX_CELL = 32_767
_XLSX_MAX_ROWS = 1_048_576


def _export_frame(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """A table in its file form: id as a column, dates ISO, booleans true/false."""
    t = schema.TABLES[table]
    out = df.reset_index() if t.indexed else df.copy()
    for c in out.columns:
        s = out[c]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            out[c] = s.dt.strftime("%Y-%m-%d").astype(object).where(s.notna(), None)
        elif pd.api.types.is_bool_dtype(s.dtype):
            out[c] = s.astype(object).map({True: "true", False: "false"}).where(s.notna(), None)
        elif isinstance(s.dtype, pd.Int64Dtype) or pd.api.types.is_integer_dtype(s.dtype):
            out[c] = s.astype(object).where(s.notna(), None)
        elif pd.api.types.is_float_dtype(s.dtype):
            out[c] = s.astype(object).where(s.notna(), None).map(
                lambda v: None if v is None else (int(v) if float(v).is_integer() and abs(v) < 2**53 else v))
        else:
            out[c] = s.astype(object).where(s.notna(), None)
    return out


@validate_params(net=Network(), encoding=Encoding(), empty_tables=Bool())
def write_dataset(net: OrgNetwork, path, *, encoding: str = "utf-8-sig", empty_tables: bool = False) -> Path:
    """Write a network's tables as a CSV folder or an .xlsx workbook.

    Reading the result with :func:`read_dataset` gives equal tables. Text
    cells that a spreadsheet would run as a formula (starting with ``=``,
    ``+``, ``-``, ``@``) are neutralised: in CSV a leading ``'`` is written
    (and removed again by :func:`read_dataset`); in .xlsx they are stored as
    plain text cells.

    Parameters
    ----------
    net : OrgNetwork
    path : str or Path
        A path ending in ``.xlsx`` writes a workbook; anything else is a
        folder (created if needed) of ``<table>.csv`` files.
    encoding : str, default "utf-8-sig"
        CSV encoding. UTF-8 with a BOM opens correctly in Excel; use
        ``"gb18030"`` for older Chinese-locale tools.
    empty_tables : bool, default False
        Also write optional tables that have no rows (header only).

    Returns
    -------
    Path
        The folder or workbook written.

    See Also
    --------
    read_dataset : the reader.

    Examples
    --------
    >>> import orgnet, tempfile, os
    >>> net = orgnet.datasets.load("demo")
    >>> out = orgnet.write_dataset(net, os.path.join(tempfile.mkdtemp(), "copy"))
    >>> orgnet.read_dataset(out) == net
    True
    """
    p = Path(path)
    frames = {t: _export_frame(df, t) for t, df in net.tables.items()
              if len(df) or empty_tables or schema.TABLES[t].required}
    if p.suffix.lower() in (".xlsm", ".xls"):
        raise OrgnetParameterError(
            f"write_dataset writes .xlsx workbooks (no macros) or CSV folders; {p.name!r} asks for "
            f"{p.suffix.lower()}, which Excel would refuse to open as written. Use a path ending in .xlsx")
    if p.suffix.lower() == ".xlsx":
        check_writable(p)
        _write_xlsx(frames, p)
        return p
    check_writable(p, folder=True)
    _check_replaceable(p)
    from .. import __version__

    with atomic_folder(p) as tmp:
        for t, df in frames.items():
            df = df.copy()
            for c in df.columns:
                if df[c].dtype == object:  # (not .map: it would turn whole numbers with gaps into floats)
                    df[c] = pd.Series([_text_out(v) for v in df[c].to_numpy()], index=df.index, dtype=object)
            df.columns = [_text_out(str(c)) for c in df.columns]
            try:
                df.to_csv(tmp / f"{t}.csv", index=False, encoding=encoding, lineterminator="\r\n")  # CRLF, as Excel writes: a lone \r in a text is then quoted too
            except UnicodeEncodeError as err:
                raise OrgnetError(f"table {t!r} holds text that {encoding!r} cannot encode ({err.object[err.start:err.end]!r}); "
                                  "write with encoding='utf-8-sig' or 'gb18030'") from err
        manifest = _manifest.build({t: len(df) for t, df in frames.items()}, encoding=encoding,
                                   orgnet_version=__version__)
        with open(tmp / _manifest.MANIFEST, "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, ensure_ascii=False, indent=1)
    return p


def _check_replaceable(p: Path) -> None:
    """Writing over a folder replaces it whole: only an empty folder or a dataset folder
    (table CSV files and a manifest) may be replaced."""
    if not p.exists():
        return
    others = sorted(f.name for f in p.iterdir()
                    if not (f.is_file() and (f.name == _manifest.MANIFEST or _manifest.is_table_file(f.name))))
    if others:
        shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        raise OrgnetError(
            f"cannot write the dataset to {str(p)!r}: the folder holds files that are not part of a "
            f"dataset ({shown}), and writing replaces the folder whole. Choose a new or empty folder")


def _write_xlsx(frames: dict[str, pd.DataFrame], p: Path) -> None:
    try:
        import openpyxl
        from openpyxl.cell import WriteOnlyCell
    except ImportError as err:  # pragma: no cover
        raise OrgnetError("Writing .xlsx workbooks needs openpyxl: pip install 'orgnet[excel]'") from err
    for t, df in frames.items():
        if len(df) + 1 > _XLSX_MAX_ROWS:
            raise OrgnetError(f"table {t!r} has {len(df):,} rows; an .xlsx sheet holds at most "
                              f"{_XLSX_MAX_ROWS - 1:,}. Write a CSV folder instead")
    wb = openpyxl.Workbook(write_only=True)

    def text_cell(ws, v, t, c):
        if len(v) > _XLSX_MAX_CELL:
            raise OrgnetError(f"table {t!r}, column {c!r} holds a text of {len(v):,} characters; an .xlsx "
                              f"cell holds at most {_XLSX_MAX_CELL:,}. Write a CSV folder instead")
        cell = WriteOnlyCell(ws, value=v)
        cell.data_type = "s"  # never a formula, whatever it starts with
        return cell

    for t, df in frames.items():
        ws = wb.create_sheet(t)
        ws.append([text_cell(ws, str(c), t, c) for c in df.columns])
        cols = list(df.columns)
        for row in df.itertuples(index=False):
            cells = []
            for c, v in zip(cols, row):
                if isinstance(v, str):
                    cells.append(text_cell(ws, v, t, c))
                elif isinstance(v, (int, np.integer)) and not isinstance(v, bool):
                    v = int(v)
                    # Excel keeps 15 significant digits: larger whole numbers are written as text
                    cells.append(v if abs(v) < 2**53 else text_cell(ws, str(v), t, c))
                elif isinstance(v, (float, np.floating)):
                    v = float(v)
                    if v != v:  # a missing value
                        cells.append(None)
                    else:  # openpyxl stores 16 significant digits: a float that needs 17 is written as text
                        cells.append(v if float(f"{v:.16g}") == v else text_cell(ws, repr(v), t, c))
                else:
                    cells.append(v)
            ws.append(cells)
    with atomic_target(p) as tmp:
        wb.save(tmp)
