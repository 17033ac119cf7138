"""Reading and writing datasets, and exporting the network graph.

A dataset is a folder of CSV files or one Excel workbook with one sheet per
table (DATA_FORMAT.md). Readers and writers come in pairs:
:func:`read_dataset` / :func:`write_dataset`; the graph is exported with
:func:`write_graph` (GraphML, GEXF or node-link JSON) or :func:`to_node_link`.
"""

from __future__ import annotations

import io as _io
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from . import schema
from ._validate import RawTable
from .errors import OrgnetDataError, OrgnetError, OrgnetParameterError, OrgnetWarning, Problem
from .network import OrgNetwork

__all__ = ["read_dataset", "write_dataset", "write_graph", "to_node_link", "detect_encoding"]

#: characters that make a spreadsheet treat a text cell as a formula
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


# ---------------------------------------------------------------- graph export


def _plain(v):
    """An attribute value as a type GraphML/GEXF/JSON writers accept."""
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    return v


def _export_graph(net: OrgNetwork):
    import networkx as nx

    g = nx.MultiDiGraph(name=net.name or "")
    g.add_nodes_from((n, {k: _plain(v) for k, v in d.items() if v is not None})
                     for n, d in net.graph.nodes(data=True))
    g.add_edges_from((u, v, k, {a: _plain(b) for a, b in d.items() if b is not None})
                     for u, v, k, d in net.graph.edges(keys=True, data=True))
    return g


def to_node_link(net: OrgNetwork) -> dict:
    """The graph as a JSON-ready node-link dict (``networkx.node_link_data``).

    >>> import orgnet, json
    >>> data = orgnet.to_node_link(orgnet.datasets.load("demo"))
    >>> sorted(data)[:3], len(json.dumps(data, ensure_ascii=False)) > 0
    (['directed', 'edges', 'graph'], True)
    """
    import networkx as nx

    return nx.node_link_data(_export_graph(net), edges="edges")


def write_graph(net: OrgNetwork, path, *, format: str | None = None) -> Path:
    """Export the network graph (:attr:`OrgNetwork.graph`) for Gephi and other tools.

    Parameters
    ----------
    net : OrgNetwork
    path : str or Path
    format : {"graphml", "gexf", "json"}, optional
        Default: from the file suffix (``.graphml``, ``.gexf``, ``.json``).

    Returns
    -------
    Path

    Notes
    -----
    Dates are written as ISO text; empty attributes are left out.

    Examples
    --------
    >>> import orgnet, tempfile, os, networkx as nx
    >>> p = orgnet.write_graph(orgnet.datasets.load("demo"), os.path.join(tempfile.mkdtemp(), "demo.gexf"))
    >>> nx.read_gexf(p).number_of_nodes() == orgnet.datasets.load("demo").graph.number_of_nodes()
    True
    """
    import networkx as nx

    p = Path(path)
    fmt = (format or p.suffix.lstrip(".")).lower()
    if fmt not in ("graphml", "gexf", "json"):
        raise OrgnetParameterError(
            f"The 'format' parameter of write_graph must be one of graphml, gexf, json. Got {fmt!r} instead."
        )
    p.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        with open(p, "w", encoding="utf-8") as fh:
            json.dump(to_node_link(net), fh, ensure_ascii=False)
        return p
    g = _export_graph(net)
    if fmt == "graphml":
        nx.write_graphml(g, p)
    else:
        nx.write_gexf(g, p)
    return p

