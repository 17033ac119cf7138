"""Writing datasets: a CSV folder or an .xlsx workbook, atomically."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from ..errors import OrgnetError, OrgnetParameterError
from ..network import OrgNetwork

__all__ = ["write_dataset"]

#: characters that make a spreadsheet treat a text cell as a formula
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# ---------------------------------------------------------------- writing


def _text_out(v):
    if isinstance(v, str) and v.startswith(_FORMULA_START):
        return "'" + v
    return v


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
    if not isinstance(net, OrgNetwork):
        raise OrgnetParameterError(
            f"The 'net' parameter of write_dataset must be an OrgNetwork. Got {type(net).__name__} instead."
        )
    p = Path(path)
    frames = {t: _export_frame(df, t) for t, df in net.tables.items()
              if len(df) or empty_tables or schema.TABLES[t].required}
    if p.suffix.lower() == ".xlsx":
        _write_xlsx(frames, p)
        return p
    p.mkdir(parents=True, exist_ok=True)
    for t, df in frames.items():
        df = df.copy()
        for c in df.columns:
            if df[c].dtype == object:
                df[c] = df[c].map(_text_out)
        df.to_csv(p / f"{t}.csv", index=False, encoding=encoding, lineterminator="\n")
    return p


def _write_xlsx(frames: dict[str, pd.DataFrame], p: Path) -> None:
    try:
        import openpyxl
        from openpyxl.cell import WriteOnlyCell
    except ImportError as err:  # pragma: no cover
        raise OrgnetError("Writing .xlsx workbooks needs openpyxl: pip install 'orgnet[excel]'") from err
    p.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook(write_only=True)
    for t, df in frames.items():
        ws = wb.create_sheet(t)
        ws.append([str(c) for c in df.columns])
        for row in df.itertuples(index=False):
            cells = []
            for v in row:
                if isinstance(v, str):
                    c = WriteOnlyCell(ws, value=v)
                    c.data_type = "s"  # never a formula, whatever it starts with
                    cells.append(c)
                elif isinstance(v, (np.integer,)):
                    cells.append(int(v))
                elif isinstance(v, (np.floating,)):
                    cells.append(float(v))
                else:
                    cells.append(v)
            ws.append(cells)
    wb.save(p)


