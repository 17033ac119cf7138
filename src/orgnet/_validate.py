"""Turn raw tables (as read from files or given as DataFrames) into validated,
canonical tables — or a list of every problem found.

All checks are vectorised over whole columns, so validating 10^6 ties costs
seconds. The rules are those of DATA_FORMAT.md; the declarations they read are
in :mod:`orgnet.schema`.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import schema
from .errors import Problem

__all__ = ["RawTable", "normalise", "TEXT_DTYPE", "empty_table", "typed_dtype"]

#: dtype of text columns: pandas' ``str`` dtype where it exists (pandas >= 3),
#: plain object otherwise.
TEXT_DTYPE = "str" if int(pd.__version__.split(".")[0]) >= 3 else object

_DTYPES = {
    "id": TEXT_DTYPE,
    "text": TEXT_DTYPE,
    "ref": TEXT_DTYPE,
    "vocab": TEXT_DTYPE,
    "int": "Int64",
    "float": "float64",
    "bool": "boolean",
    "date": "datetime64[ns]",
}

_DATE_RE = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]00:00(?::00(?:\.0+)?)?)?$"
)
_BOOL = {**{v: True for v in schema.BOOL_TRUE}, **{v: False for v in schema.BOOL_FALSE}}


def typed_dtype(col: schema.Column):
    return _DTYPES[col.dtype]


def empty_table(name: str) -> pd.DataFrame:
    """An empty table with the documented columns and dtypes."""
    t = schema.TABLES[name]
    df = pd.DataFrame(
        {c.name: pd.Series([], dtype=typed_dtype(c)) for c in t.columns}
    )
    if t.indexed:
        df = df.set_index("id")
    return df


@dataclass
class RawTable:
    """A table as read: every cell as the source gave it.

    ``rows`` holds the row number as the user sees it (header = 1) for each
    DataFrame row; ``from_file`` says whether unknown extra columns should be
    read as text (files) or kept as given (DataFrames built in Python).
    """

    frame: pd.DataFrame
    rows: np.ndarray
    from_file: bool = True
    label: str | None = None  # file or sheet name, for messages


# ---------------------------------------------------------------- cell text


def _cell_text(v) -> str | None:
    """One cell as text, or None when empty. Used for object columns."""
    if v is None:
        return None
    if isinstance(v, str):
        v = v.strip()
        return v or None
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (float, np.floating)):
        if np.isnan(v):
            return None
        if np.isinf(v):
            return repr(float(v))
        return str(int(v)) if float(v).is_integer() else repr(float(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if v is pd.NaT:
        return None
    if isinstance(v, (pd.Timestamp, _dt.datetime)):
        if (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0):
            return v.strftime("%Y-%m-%d")
        return v.isoformat(sep=" ")
    if isinstance(v, _dt.date):
        return v.isoformat()
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    text = str(v).strip()
    return text or None


def _as_text(s: pd.Series) -> pd.Series:
    """A column as stripped text with missing values as None (object dtype).

    A plain comprehension: without pyarrow, pandas' ``.str`` methods also call
    Python once per cell, with more overhead.
    """
    vals = s.to_numpy(dtype=object)
    return pd.Series([(v.strip() or None) if type(v) is str else _cell_text(v) for v in vals],
                     index=s.index, dtype=object)


def _text_keep(s: pd.Series) -> pd.Series:
    """Free text: surrounding white space kept, empty cells as NA."""
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        vals = s.to_numpy(dtype=object)
        out = np.empty(len(vals), dtype=object)
        for i, v in enumerate(vals):
            if isinstance(v, str):
                out[i] = v if v.strip() else None
            else:
                out[i] = _cell_text(v)
        return pd.Series(out, index=s.index, dtype=object)
    return _as_text(s)


# ---------------------------------------------------------------- converters


class _Collector:
    def __init__(self):
        self.problems: list[Problem] = []

    def add_mask(self, table, rows, column, values, mask, message):
        """Add one problem per True in ``mask``; ``message`` may be a callable."""
        idx = np.flatnonzero(np.asarray(mask, dtype=bool))
        vals = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else values
        for i in idx:
            v = vals[i]
            msg = message(v) if callable(message) else message
            self.problems.append(Problem(table, int(rows[i]), column, v, msg))

    def add(self, *args):
        self.problems.append(Problem(*args))


def _is_texty(s: pd.Series) -> bool:
    return s.dtype == object or pd.api.types.is_string_dtype(s.dtype)


def _convert(col: schema.Column, s: pd.Series, table: str, rows, out: _Collector,
             text: pd.Series | None = None) -> pd.Series:
    """Convert one column to its typed form, adding a problem per bad cell.

    ``text`` is the column as stripped text (:func:`_as_text`) when the caller
    has it already."""
    dtype = col.dtype
    name = col.name

    # typed fast paths for DataFrames built in Python
    if dtype in ("int", "float") and pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        num = s.astype("float64")
        return _check_number(col, num, s, table, rows, out)
    if dtype == "date" and pd.api.types.is_datetime64_any_dtype(s.dtype):
        d = s
        if getattr(d.dt, "tz", None) is not None:
            d = d.dt.tz_localize(None)
        d = d.astype("datetime64[ns]")
        out.add_mask(table, rows, name, s, d.notna() & (d != d.dt.normalize()),
                     lambda v: f"expected a date without a time of day, got {v!r}")
        return d
    if dtype == "bool" and pd.api.types.is_bool_dtype(s.dtype):
        return s.astype("boolean")

    if dtype == "text":
        return pd.Series(pd.array(_text_keep(s), dtype=TEXT_DTYPE), index=s.index)

    if text is None:
        text = _as_text(s)
    if dtype in ("id", "ref"):
        return pd.Series(pd.array(text, dtype=TEXT_DTYPE), index=s.index)

    present = text.notna().to_numpy()
    if dtype == "vocab":
        vocab = schema.VOCABULARIES[col.vocab]
        lowered = pd.Series([v.lower() if v is not None else None for v in text.to_numpy()],
                            index=text.index, dtype=object)
        mapped = lowered.map(vocab.lookup) if present.any() else text
        if vocab.closed:
            bad = present & mapped.isna().to_numpy()
            out.add_mask(
                table, rows, name, text, bad,
                lambda v: f"{v!r} is not a known {col.vocab.replace('_', ' ')}; "
                f"expected one of {vocab.describe()}",
            )
        else:
            mapped = mapped.where(mapped.notna(), text)
        return pd.Series(pd.array(mapped.astype(object).where(mapped.notna(), None), dtype=TEXT_DTYPE), index=s.index)

    if dtype in ("int", "float"):
        num = pd.to_numeric(text, errors="coerce").astype("float64")
        bad = present & num.isna().to_numpy()
        kind = "a whole number" if dtype == "int" else "a number"
        out.add_mask(table, rows, name, text, bad, lambda v: f"expected {kind}, got {v!r}")
        return _check_number(col, num, text, table, rows, out)

    if dtype == "bool":
        lowered = pd.Series([v.lower() if v is not None else None for v in text.to_numpy()],
                            index=text.index, dtype=object)
        mapped = lowered.map(_BOOL) if present.any() else text
        bad = present & mapped.isna().to_numpy()
        out.add_mask(table, rows, name, text, bad,
                     lambda v: f"expected a yes/no value (true/false, 1/0, yes/no, 是/否), got {v!r}")
        return pd.Series(pd.array(mapped.where(mapped.notna(), None).astype(object), dtype="boolean"), index=s.index)

    if dtype == "date":
        result = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
        if present.any():
            # ISO dates through pandas' C parser; the other accepted forms by regex
            iso = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")
            result[:] = iso.to_numpy()
            rest = present & iso.isna().to_numpy()
            if rest.any():
                parts = text[rest].str.extract(_DATE_RE)
                ok = parts[0].notna().to_numpy()
                if ok.any():
                    p = parts[ok].astype("int64")
                    d = pd.to_datetime(
                        pd.DataFrame({"year": p[0], "month": p[1], "day": p[2]}),
                        errors="coerce",
                    )
                    idx = np.flatnonzero(rest)[ok]
                    result.iloc[idx] = d.astype("datetime64[ns]").to_numpy()
            bad = present & result.isna().to_numpy()
            out.add_mask(
                table, rows, name, text, bad,
                lambda v: f"expected a date YYYY-MM-DD, got {v!r}"
                + (" (an Excel serial number? format the cells as dates)"
                   if str(v).isdigit() else ""),
            )
        return result

    raise AssertionError(f"unknown column type {dtype!r}")  # pragma: no cover


def _check_number(col, num: pd.Series, shown: pd.Series, table, rows, out):
    name = col.name
    vals = num.to_numpy()
    finite = np.isfinite(vals)
    out.add_mask(table, rows, name, shown, ~np.isnan(vals) & ~finite,
                 lambda v: f"expected a finite number, got {v!r}")
    ok = finite
    if col.dtype == "int":
        frac = ok & (np.mod(np.where(ok, vals, 0), 1) != 0)
        out.add_mask(table, rows, name, shown, frac, lambda v: f"expected a whole number, got {v!r}")
        ok = ok & ~frac
    lo, hi = col.minimum, col.maximum
    if lo is not None or hi is not None:
        outside = np.zeros(len(vals), dtype=bool)
        with np.errstate(invalid="ignore"):
            if lo is not None:
                outside |= (vals <= lo) if col.exclusive else (vals < lo)
            if hi is not None:
                outside |= vals > hi
        if lo is not None and hi is not None:
            what = f"a value in [{lo:g}, {hi:g}]"
        elif col.exclusive:
            what = f"a number > {lo:g}"
        elif lo == 0:
            what = "a number >= 0 (negative values are not allowed)"
        else:
            what = f"a number >= {lo:g}"
        out.add_mask(table, rows, name, shown, ok & outside, lambda v: f"expected {what}, got {v!r}")
    if col.dtype == "int":
        arr = pd.array(np.where(finite, vals, 0).round().astype("int64"), dtype="Int64")
        arr[~finite] = pd.NA
        return pd.Series(arr, index=num.index)
    return pd.Series(np.where(finite, vals, np.nan), index=num.index, dtype="float64")


# ---------------------------------------------------------------- per table


def _header_map(table: schema.Table, raw: RawTable, out: _Collector):
    """Map raw headers to canonical names; returns {raw_header: canonical or None}."""
    lookup = table.header_lookup()
    mapping: dict = {}
    seen: dict[str, object] = {}
    frame = raw.frame
    for pos, h in enumerate(frame.columns):
        htext = _cell_text(h) if not isinstance(h, str) else (h.strip() or None)
        if htext is None or (isinstance(h, str) and h.startswith("Unnamed: ")):
            col = frame.iloc[:, pos]
            if _as_text(col).notna().any():
                out.add(table.name, 1, None, None,
                        f"column {pos + 1} has values but no header; give it a name")
            mapping[pos] = ("__drop__", None)
            continue
        canon = lookup.get(htext.lower())
        if canon is not None and canon in seen:
            out.add(table.name, 1, canon, htext,
                    f"two columns mean {canon!r}: {seen[canon]!r} and {htext!r}; keep one")
            mapping[pos] = ("__drop__", None)
            continue
        if canon is not None:
            seen[canon] = htext
            mapping[pos] = ("known", canon)
        else:
            if htext in seen:
                out.add(table.name, 1, htext, htext, f"two columns are named {htext!r}")
                mapping[pos] = ("__drop__", None)
                continue
            seen[htext] = htext
            mapping[pos] = ("extra", htext)
    return mapping


#: columns whose cells, as written, later cross-table messages quote
_QUOTED = {("ties", "end")}


def _normalise_table(table: schema.Table, raw: RawTable, out: _Collector, written: dict):
    frame = raw.frame
    rows = np.asarray(raw.rows)
    mapping = _header_map(table, raw, out)

    # fully empty rows carry no data: they are skipped (their row numbers stay
    # reserved, so later rows keep the numbers the user sees)
    texts: dict[int, pd.Series | None] = {}
    nonempty = np.zeros(len(frame), dtype=bool)
    for pos, (what, _) in mapping.items():
        if what == "__drop__":
            continue
        col = frame.iloc[:, pos]
        texts[pos] = _as_text(col) if _is_texty(col) else None
        nonempty |= (texts[pos] if texts[pos] is not None else col).notna().to_numpy()
    if len(frame) and not nonempty.all():
        frame = frame.iloc[nonempty]
        rows = rows[nonempty]
        texts = {k: (v[nonempty] if v is not None else None) for k, v in texts.items()}
    frame = frame.reset_index(drop=True)
    texts = {k: (v.reset_index(drop=True) if v is not None else None) for k, v in texts.items()}

    present = {canon: pos for pos, (what, canon) in mapping.items() if what == "known"}
    for col in table.columns:
        if col.required and col.name not in present:
            out.add(table.name, 1, col.name, None,
                    f"required column {col.name!r} is missing"
                    + (f" (Chinese header: {col.aliases[0]})" if col.aliases else ""))

    data: dict[str, pd.Series] = {}
    for col in table.columns:
        if col.name in present:
            s = frame.iloc[:, present[col.name]]
            text = texts[present[col.name]]
            conv = _convert(col, s, table.name, rows, out, text=text)
            if col.required:
                empty = (text if text is not None else s).isna().to_numpy()
                out.add_mask(table.name, rows, col.name, conv, empty,
                             f"required value {col.name!r} is empty")
            data[col.name] = conv.reset_index(drop=True)
            if (table.name, col.name) in _QUOTED:
                written[(table.name, col.name)] = s.reset_index(drop=True)
        else:
            data[col.name] = pd.Series(pd.array([None] * len(frame), dtype=typed_dtype(col)))
    for pos, (what, name) in mapping.items():
        if what == "extra":
            s = frame.iloc[:, pos]
            if raw.from_file or s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
                s = pd.Series(pd.array(_text_keep(s), dtype=TEXT_DTYPE))
            data[name] = s.reset_index(drop=True)
    df = pd.DataFrame(data)
    return df, rows


# ---------------------------------------------------------------- cross-table


def _kind_name(table: str) -> str:
    return {"areas": "an area", "organisations": "an organisation", "units": "a unit",
            "stations": "a station", "demands": "a demand", "resources": "a resource",
            "projects": "a project"}[table]


def _check_ids(tables, rows, out) -> pd.Series:
    """Unique ids across all tables; returns id -> table for the first use."""
    parts = []
    for name, df in tables.items():
        if schema.TABLES[name].indexed and len(df):
            parts.append(pd.DataFrame({"id": df["id"].astype(object), "table": name, "row": rows[name]}))
    if not parts:
        return pd.Series(dtype=object)
    allids = pd.concat(parts, ignore_index=True)
    allids = allids[allids["id"].notna()]
    dup = allids.duplicated("id", keep="first").to_numpy()
    if dup.any():
        first = allids.drop_duplicates("id", keep="first").set_index("id")
        for rec in allids[dup].itertuples(index=False):
            f = first.loc[rec.id]
            out.add(rec.table, int(rec.row), "id", rec.id,
                    f"id {rec.id!r} is already used by {f['table']} row {int(f['row'])}; "
                    "ids must be unique across all tables")
    first = allids.drop_duplicates("id", keep="first")
    return pd.Series(first["table"].to_numpy(), index=pd.Index(first["id"].to_numpy(), dtype=object))


def _check_refs(tables, rows, id_table: pd.Series, out):
    for name, df in tables.items():
        t = schema.TABLES[name]
        for col in t.columns:
            if col.dtype != "ref" or not len(df):
                continue
            vals = df[col.name].astype(object)
            has = vals.notna().to_numpy()
            if not has.any():
                continue
            target = vals.map(id_table)
            unknown = has & target.isna().to_numpy()
            out.add_mask(name, rows[name], col.name, vals, unknown,
                         lambda v: f"{v!r} is not a known id"
                         + f" (expected {' or '.join(_kind_name(r) for r in col.refs)})")
            wrong = has & ~unknown & ~target.isin(col.refs).to_numpy()
            if wrong.any():
                idx = np.flatnonzero(wrong)
                for i in idx:
                    v = vals.iloc[i]
                    out.add(name, int(rows[name][i]), col.name, v,
                            f"{v!r} is {_kind_name(target.iloc[i])}, expected "
                            + " or ".join(_kind_name(r) for r in col.refs))


def _find_cycles(ids: np.ndarray, parent: np.ndarray) -> list[list[int]]:
    """Cycles in a parent-pointer forest; returns lists of row positions.

    Pointer doubling: after ceil(log2 n) + 1 squarings every node outside a
    cycle has reached a root (-1); those left sit on or above a cycle.
    """
    n = len(ids)
    if n == 0:
        return []
    first = pd.Series(np.arange(n), index=pd.Index(ids, dtype=object))
    first = first[~first.index.duplicated() & first.index.notna()]  # an empty id is no parent
    ptr = pd.Series(parent, dtype=object).map(first).to_numpy(dtype=float)
    ptr = np.where(np.isnan(ptr), -1, ptr).astype(np.int64)  # -1: root or unknown parent
    jump = ptr.copy()
    for _ in range(int(np.ceil(np.log2(n + 1))) + 1):
        nxt = np.where(jump >= 0, jump[np.maximum(jump, 0)], -1)
        nxt = np.where(jump >= 0, nxt, -1)
        jump = nxt
    on_or_above = np.flatnonzero(jump >= 0)
    if not len(on_or_above):
        return []
    # jump lands inside the cycle; walk each cycle once
    in_cycle = set(int(j) for j in jump[on_or_above])
    cycles, done = [], set()
    for start in sorted(in_cycle):
        if start in done:
            continue
        cyc, x = [], start
        while x not in done:
            done.add(x)
            cyc.append(x)
            x = int(ptr[x])
        cycles.append(cyc)
    return cycles


def _check_tree(name, df, row, out):
    if not len(df):
        return
    ids = df["id"].astype(object).to_numpy()
    parent = df["parent"].astype(object).to_numpy()
    for cyc in _find_cycles(ids, parent):
        first = min(cyc, key=lambda i: row[i])
        order = cyc[cyc.index(first):] + cyc[: cyc.index(first)]
        path = " → ".join(str(ids[i]) for i in order + [order[0]])
        out.add(name, int(row[first]), "parent", parent[first],
                f"parent cycle: {path}; an {name[:-1]} cannot contain itself")


def _check_areas(df, row, out):
    if not len(df):
        return
    rank = {lv: i for i, lv in enumerate(schema.LEVELS)}
    level = df["level"].astype(object).map(rank)
    ids = df["id"].astype(object)
    by_id = pd.Series(level.to_numpy(), index=pd.Index(ids.to_numpy(), dtype=object))
    by_id = by_id[~by_id.index.duplicated() & by_id.index.notna()]
    parent = df["parent"].astype(object)
    plevel = parent.map(by_id)
    bad = (level.notna() & plevel.notna() & (plevel >= level)).to_numpy()
    if bad.any():
        for i in np.flatnonzero(bad):
            out.add("areas", int(row[i]), "parent", parent.iloc[i],
                    f"area {ids.iloc[i]!r} at level {schema.LEVELS[int(level.iloc[i])]!r} "
                    f"has parent {parent.iloc[i]!r} at level {schema.LEVELS[int(plevel.iloc[i])]!r}; "
                    "levels nest downward (" + " > ".join(schema.LEVELS) + ")")
    # roots: only areas at the top level present may lack a parent
    if level.notna().any():
        top = level.min()
        orphan = (parent.isna() & level.notna() & (level > top)).to_numpy()
        out.add_mask("areas", row, "parent", parent, orphan,
                     f"parent is empty, but only areas at the top level of the dataset "
                     f"({schema.LEVELS[int(top)]!r}) may be roots; name the containing area")


def _check_organisations(df, row, out):
    if not len(df):
        return
    scope = df["scope"].astype(object)
    out.add_mask("organisations", row, "area", df["area"],
                 ((scope == "territorial") & df["area"].isna()).to_numpy(),
                 "a territorial organisation needs the area it is responsible for")
    out.add_mask("organisations", row, "unit", df["unit"],
                 ((scope == "unit") & df["unit"].isna()).to_numpy(),
                 "an organisation with scope 'unit' needs the unit it belongs to")


def _check_ties(df, row, out, written):
    if not len(df):
        return
    s, e = df["start"], df["end"]
    back = (s.notna() & e.notna() & (e < s)).to_numpy()
    if back.any():
        shown = written.get(("ties", "end"))
        for i in np.flatnonzero(back):
            value = shown.iloc[i] if shown is not None else e.iloc[i].strftime("%Y-%m-%d")
            out.add("ties", int(row[i]), "end", value,
                    f"the tie ends ({e.iloc[i]:%Y-%m-%d}) before it starts ({s.iloc[i]:%Y-%m-%d})")
    same = (df["source"].notna() & (df["source"] == df["target"])).fillna(False).to_numpy()
    out.add_mask("ties", row, "target", df["target"], same,
                 "a tie's source and target are the same entity")


# ---------------------------------------------------------------- entry


def normalise(raw: dict[str, RawTable]) -> tuple[dict[str, pd.DataFrame], dict[str, np.ndarray], list[Problem]]:
    """Normalise and validate raw tables.

    Returns the canonical tables (indexed by id where the table has ids), the
    user-visible row number of each table row, and every problem found. The
    tables are meaningful only when the problem list is empty.
    """
    out = _Collector()
    written: dict = {}
    tables: dict[str, pd.DataFrame] = {}
    rows: dict[str, np.ndarray] = {}
    for name in schema.TABLE_ORDER:
        t = schema.TABLES[name]
        if name in raw:
            tables[name], rows[name] = _normalise_table(t, raw[name], out, written)
        else:
            if t.required:
                aliases = "/".join(t.aliases[:1])
                out.add(name, None, None, None,
                        f"required table {name!r} ({aliases}) is missing: add a file "
                        f"{name}.csv or a sheet named {name!r}")
            tables[name] = empty_table(name).reset_index() if t.indexed else empty_table(name)
            rows[name] = np.array([], dtype=int)

    id_table = _check_ids(tables, rows, out)
    _check_refs(tables, rows, id_table, out)
    _check_areas(tables["areas"], rows["areas"], out)
    _check_tree("areas", tables["areas"], rows["areas"], out)
    _check_tree("organisations", tables["organisations"], rows["organisations"], out)
    _check_organisations(tables["organisations"], rows["organisations"], out)
    _check_ties(tables["ties"], rows["ties"], out, written)

    def order(p):
        cols = schema.TABLES[p.table].column_names
        return (schema.TABLE_ORDER.index(p.table), p.row if p.row is not None else 0,
                cols.index(p.column) if p.column in cols else len(cols))

    problems = sorted(out.problems, key=order)
    if not problems:
        for name in tables:
            if schema.TABLES[name].indexed:
                tables[name] = tables[name].set_index("id")
    return tables, rows, problems
