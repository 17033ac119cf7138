"""Turn raw tables (as read from files or given as DataFrames) into validated,
canonical tables — or a list of every problem found.

All checks are vectorised over whole columns, so validating 10^6 ties costs
seconds. The rules are those of DATA_FORMAT.md; the declarations they read are
in :mod:`orgnet.schema`.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import schema
from .errors import Problem

__all__ = ["RawTable", "normalise", "TEXT_DTYPE", "empty_table", "typed_dtype", "cell_text", "UNSAFE_CHARS"]

#: dtype of text columns: pandas' ``str`` dtype where it exists (pandas >= 3),
#: plain object otherwise.
TEXT_DTYPE = schema.TEXT_DTYPE

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

#: characters no cell may hold: C0/C1 control characters other than tab and line feed,
#: lone surrogates and the non-characters U+FFFE/U+FFFF (XML and spreadsheets cannot
#: store them; they are invisible in every editor). A carriage return inside a cell is
#: among them: XML turns it into a line feed, so it would not survive an .xlsx file
#: (line breaks in a cell are line feeds, as Excel writes them).
UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
#: a number written with thousands separators: 1,200 / 1，200 / 12,345.5
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:[,，]\d{3})+(?:\.\d*)?$")
#: the range of dates a table can hold (pandas' nanosecond timestamps)
DATE_MIN, DATE_MAX = pd.Timestamp("1677-09-22"), pd.Timestamp("2262-04-11")
#: date columns where a date beyond DATE_MAX (such as 9999-12-31) means "no end"
OPEN_END_COLUMNS = {"end"}
_INT64_MAX = 2**63 - 1


def display_value(v):
    """A cell value as a message may show it: plain Python, never nan/None/NaT reprs."""
    if v is None:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and np.isnan(v):
        return None
    if v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (pd.Timestamp, _dt.datetime, _dt.date)):
        return _cell_text(v)
    return v


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
    header_row: int = 1  # the header's row number as the user sees it
    problems: list = field(default_factory=list)  # found while reading (no header, formulas, ...)
    unusable: bool = False  # no header was found: nothing more to check
    skipped: list = field(default_factory=list)  # (row, why) of totals and notes rows not read
    records: int = 0  # data records below the header as read, skipped rows included
    maybe_unsafe: bool = True  # False when the source is known to hold no control characters


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


cell_text = _cell_text


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
            v = display_value(vals[i])
            msg = message(v) if callable(message) else message
            self.problems.append(Problem(table, int(rows[i]), column, v, msg))

    def add(self, table, row, column, value, message):
        self.problems.append(Problem(table, row, column, display_value(value), message))


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
        timed = (d.notna() & (d != d.dt.normalize())).to_numpy()
        if timed.any():
            out.add_mask(table, rows, name, s, timed,
                         lambda v: f"expected a date without a time of day, got {v!r}")
        return _bounded_dates(col, d, table, rows, out)
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
            what = col.vocab.replace("_", " ")

            def message(v):
                hints = vocab.suggestions(v)
                mean = ""
                if hints:
                    mean = "did you mean " + " or ".join(
                        f"{spelled!r}" + (f" ({canon})" if spelled != canon else "") for spelled, canon in hints) + "? "
                return f"{v!r} is not a known {what}; {mean}expected one of {vocab.describe()}"

            out.add_mask(table, rows, name, text, bad, message)
        else:
            mapped = mapped.where(mapped.notna(), text)
        return pd.Series(pd.array(mapped.astype(object).where(mapped.notna(), None), dtype=TEXT_DTYPE), index=s.index)

    if dtype in ("int", "float"):
        clean = text
        num = pd.to_numeric(text, errors="coerce").astype("float64")
        failed = present & num.isna().to_numpy()
        if failed.any():  # thousands separators: 1,200 -> 1200 (groups of three digits only)
            vals = text.to_numpy(dtype=object).copy()
            fixed = [i for i in np.flatnonzero(failed) if _THOUSANDS.match(vals[i])]
            if fixed:
                for i in fixed:
                    vals[i] = vals[i].replace(",", "").replace("，", "")
                clean = pd.Series(vals, index=text.index, dtype=object)
                num = pd.to_numeric(clean, errors="coerce").astype("float64")
        bad = present & num.isna().to_numpy()
        kind = "a whole number" if dtype == "int" else "a number"

        def message(v):
            hint = ""
            if "," in v or "，" in v:
                hint = " (thousands separators must group three digits, 1,200; write decimals with a point, 1.5)"
            elif v.startswith("#"):
                hint = " (an Excel error value: fix the formula in the workbook)"
            return f"expected {kind}, got {v!r}{hint}"

        out.add_mask(table, rows, name, text, bad, message)
        exact = None
        if dtype == "int":
            big = present & ~bad & (np.abs(np.nan_to_num(num.to_numpy(), nan=0.0)) >= 2.0**53)
            if big.any():  # beyond float64's exact integers: parse the digits themselves
                exact = {}
                cvals = clean.to_numpy(dtype=object)
                for i in np.flatnonzero(big):
                    try:
                        exact[int(i)] = int(cvals[i])
                    except ValueError:  # 1e20: a float as written; exact when whole
                        f = float(cvals[i])
                        exact[int(i)] = int(f) if np.isfinite(f) and f.is_integer() else None
        return _check_number(col, num, text, table, rows, out, exact=exact)

    if dtype == "bool":
        lowered = pd.Series([v.lower() if v is not None else None for v in text.to_numpy()],
                            index=text.index, dtype=object)
        mapped = lowered.map(_BOOL) if present.any() else text
        bad = present & mapped.isna().to_numpy()
        out.add_mask(table, rows, name, text, bad,
                     lambda v: f"expected a yes/no value (true/false, 1/0, yes/no, 是/否), got {v!r}")
        return pd.Series(pd.array(mapped.where(mapped.notna(), None).astype(object), dtype="boolean"), index=s.index)

    if dtype == "date":
        return _parse_dates(col, text, present, table, rows, out)

    raise AssertionError(f"unknown column type {dtype!r}")  # pragma: no cover


def _check_number(col, num: pd.Series, shown: pd.Series, table, rows, out, exact: dict | None = None):
    """Bounds and whole-number checks; ``exact`` holds the exact value of integers
    beyond 2**53 (by row position), which float64 cannot hold."""
    name = col.name
    vals = num.to_numpy()
    finite = np.isfinite(vals)
    out.add_mask(table, rows, name, shown, ~np.isnan(vals) & ~finite,
                 lambda v: f"expected a finite number, got {v!r}")
    ok = finite
    if col.dtype == "int":
        frac = ok & (np.mod(np.where(ok, vals, 0), 1) != 0)
        if exact:
            for i, v in exact.items():
                frac[i] = v is None
        out.add_mask(table, rows, name, shown, frac, lambda v: f"expected a whole number, got {v!r}")
        ok = ok & ~frac
        huge = ok & (np.abs(np.where(ok, vals, 0)) >= 2.0**63)
        if exact:
            for i, v in exact.items():
                huge[i] = v is not None and not (-_INT64_MAX - 1 <= v <= _INT64_MAX)
        out.add_mask(table, rows, name, shown, huge,
                     lambda v: f"{v!r} is too large for a whole number (at most {_INT64_MAX:,})")
        ok = ok & ~huge
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
        ints = np.where(ok & (np.abs(np.where(ok, vals, 0)) < 2.0**63), vals, 0).round().astype("int64")
        if exact:
            for i, v in exact.items():
                if ok[i]:
                    ints[i] = v
        arr = pd.array(ints, dtype="Int64")
        arr[~ok] = pd.NA
        return pd.Series(arr, index=num.index)
    return pd.Series(np.where(finite, vals, np.nan), index=num.index, dtype="float64")


def _parse_dates(col, text: pd.Series, present: np.ndarray, table, rows, out) -> pd.Series:
    """Dates as written (ISO, YYYY/M/D, YYYY年M月D日), each checked for the range a
    table can hold; beyond it an ``end`` means "no end" and others are problems."""
    name = col.name
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if not present.any():
        return result
    # ISO dates through pandas' C parser (its result may be in us or ns); the rest by regex
    iso = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    in_range = (iso.notna() & (iso >= DATE_MIN) & (iso <= DATE_MAX)).to_numpy()
    result[in_range] = iso[in_range].astype("datetime64[ns]").to_numpy()
    rest = present & ~in_range
    outside = np.zeros(len(text), dtype=bool)
    open_end = np.zeros(len(text), dtype=bool)
    if rest.any():
        parts = text[rest].str.extract(_DATE_RE)
        idx = np.flatnonzero(rest)
        for j, (y, m, d) in enumerate(parts.itertuples(index=False)):
            if not isinstance(y, str):
                continue
            try:
                day = _dt.date(int(y), int(m), int(d))
            except ValueError:
                continue
            if DATE_MIN.date() <= day <= DATE_MAX.date():
                result.iloc[idx[j]] = pd.Timestamp(day)
            elif day > DATE_MAX.date() and name in OPEN_END_COLUMNS:
                open_end[idx[j]] = True  # an end beyond the range is open: 9999-12-31 = no end
            else:
                outside[idx[j]] = True
    if outside.any():
        out.add_mask(table, rows, name, text, outside,
                     lambda v: f"the date {v!r} is outside the range a table can hold "
                     f"({DATE_MIN:%Y-%m-%d} to {DATE_MAX:%Y-%m-%d})"
                     + ("; leave an open end empty" if name in OPEN_END_COLUMNS else ""))
    bad = present & result.isna().to_numpy() & ~outside & ~open_end
    out.add_mask(
        table, rows, name, text, bad,
        lambda v: f"expected a date YYYY-MM-DD, got {v!r}"
        + (" (an Excel serial number? format the cells as dates)" if str(v).isdigit() else ""),
    )
    return result


def _bounded_dates(col, d: pd.Series, table, rows, out) -> pd.Series:
    """Typed datetimes (DataFrames built in Python) to nanoseconds, with the same range rule."""
    if d.dtype == "datetime64[ns]":
        return d
    vals = d.astype(object)
    outside = np.array([v is not pd.NaT and v is not None and not (DATE_MIN <= v <= DATE_MAX) for v in vals])
    if outside.any():
        late = np.array([bool(o) and vals.iloc[i] > DATE_MAX for i, o in enumerate(outside)])
        refuse = outside & ~(late if col.name in OPEN_END_COLUMNS else np.zeros_like(late))
        out.add_mask(table, rows, col.name, vals, refuse,
                     lambda v: f"the date {v!r} is outside the range a table can hold "
                     f"({DATE_MIN:%Y-%m-%d} to {DATE_MAX:%Y-%m-%d})")
        d = d.where(~outside, pd.NaT)
    return d.astype("datetime64[ns]")


# ---------------------------------------------------------------- per table


def _header_map(table: schema.Table, raw: RawTable, out: _Collector):
    """Map raw headers to canonical names: {position: (what, name)} with ``what`` one of
    ``known``, ``extra`` or ``__drop__``."""
    mapping: dict = {}
    seen: dict[str, object] = {}
    seen_pos: dict[str, int] = {}
    frame = raw.frame
    hrow = raw.header_row
    for pos, h in enumerate(frame.columns):
        htext = _cell_text(h) if not isinstance(h, str) else (h.strip() or None)
        if htext is None or (isinstance(h, str) and h.startswith("Unnamed: ")):
            col = frame.iloc[:, pos]
            filled = _as_text(col).notna().to_numpy()
            if filled.any():
                first = int(np.flatnonzero(filled)[0])
                out.add(table.name, int(raw.rows[first]), None, _as_text(col).iloc[first],
                        f"column {_column_letter(pos)} has values but no header (row {hrow}); give it a name")
            mapping[pos] = ("__drop__", None)
            continue
        canon = table.canonical_header(htext)
        if canon is not None and canon in seen:
            out.add(table.name, hrow, canon, htext,
                    f"two columns mean {canon!r}: {seen[canon]!r} and {htext!r} "
                    f"(columns {_column_letter(seen_pos[canon])} and {_column_letter(pos)}); keep one")
            mapping[pos] = ("__drop__", None)
            continue
        if canon is not None:
            seen[canon] = htext
            seen_pos[canon] = pos
            mapping[pos] = ("known", canon)
            continue
        near = table.suggest_header(htext) if raw.from_file else None
        if near is not None and near not in seen:
            alias = table.column(near).aliases
            out.add(table.name, hrow, None, htext,
                    f"column {_column_letter(pos)} is headed {htext!r}, which is not a column of {table.name}; "
                    f"did you mean {near!r}" + (f" ({alias[0]})" if alias else "")
                    + "? Rename the header (an extra column needs a name unlike the known ones)")
            mapping[pos] = ("__drop__", None)
            continue
        if htext.lower() in schema.RESERVED_EXTRA:
            out.add(table.name, hrow, None, htext,
                    f"column {_column_letter(pos)} is headed {htext!r}, a name orgnet keeps for "
                    f"{schema.RESERVED_EXTRA[htext.lower()]}; rename the column")
            mapping[pos] = ("__drop__", None)
            continue
        if htext in seen:
            out.add(table.name, hrow, None, htext,
                    f"two columns are headed {htext!r} (columns {_column_letter(seen_pos[htext])} and "
                    f"{_column_letter(pos)}); rename or remove one")
            mapping[pos] = ("__drop__", None)
            continue
        seen[htext] = htext
        seen_pos[htext] = pos
        mapping[pos] = ("extra", htext)
    return mapping


def _column_letter(pos: int) -> str:
    """0 -> 'A', 26 -> 'AA': the column as a spreadsheet names it."""
    name, n = "", pos + 1
    while n:
        n, r = divmod(n - 1, 26)
        name = chr(65 + r) + name
    return name


#: columns whose cells, as written, later cross-table messages quote
_QUOTED = {("ties", "end")}


def _normalise_table(table: schema.Table, raw: RawTable, out: _Collector, written: dict):
    out.problems.extend(raw.problems)
    if raw.unusable:
        return _empty_raw_table(table), np.array([], dtype=int)
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

    if raw.maybe_unsafe:
        _check_unsafe(table.name, frame, texts, mapping, rows, out)

    present = {canon: pos for pos, (what, canon) in mapping.items() if what == "known"}
    for col in table.columns:
        if col.required and col.name not in present:
            out.add(table.name, raw.header_row, col.name, None,
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


def _empty_raw_table(table: schema.Table) -> pd.DataFrame:
    df = empty_table(table.name)
    return df.reset_index() if table.indexed else df


def _check_unsafe(table: str, frame: pd.DataFrame, texts: dict, mapping: dict, rows, out) -> None:
    """A problem for every cell holding a character no file can carry safely."""
    for pos, (what, name) in mapping.items():
        if what == "__drop__":
            continue
        col = frame.iloc[:, pos]
        if not _is_texty(col):
            continue
        vals = col.to_numpy(dtype=object)
        hits = np.fromiter((type(v) is str and UNSAFE_CHARS.search(v) is not None for v in vals),
                           dtype=bool, count=len(vals))
        if hits.any():
            def message(v):
                ch = UNSAFE_CHARS.search(v).group(0)
                return (f"the cell holds the invisible control character U+{ord(ch):04X}, which files "
                        "cannot carry safely; delete it (retype the cell)")
            out.add_mask(table, rows, name if what == "known" else name, pd.Series(vals), hits, message)


# ---------------------------------------------------------------- cross-table


def _kind_name(table: str) -> str:
    return {"areas": "an area", "organisations": "an organisation", "units": "a unit",
            "stations": "a station", "demands": "a demand", "resources": "a resource",
            "projects": "a project", "people": "a people row", "events": "an event",
            "cases": "a case"}[table]


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


def _names_of(tables, refs) -> dict[str, list[tuple[str, str]]]:
    """name -> [(table, id), ...] over the tables ``refs`` that have a ``name`` column."""
    found: dict[str, list[tuple[str, str]]] = {}
    for r in refs:
        df = tables.get(r)
        if df is None or not len(df) or "name" not in df.columns or "id" not in df.columns:
            continue
        for i, n in zip(df["id"].astype(object), df["name"].astype(object)):
            if isinstance(n, str) and isinstance(i, str):
                found.setdefault(n.strip(), []).append((r, i))
    return found


def _check_refs(tables, rows, id_table: pd.Series, out, unusable=frozenset()):
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
            if unusable & set(col.refs):  # the table it names could not be read: said once already
                unknown[:] = False
            names = _names_of(tables, col.refs) if unknown.any() else {}

            def message(v, refs=col.refs, names=names):
                text = f"{v!r} is not a known id (expected {' or '.join(_kind_name(r) for r in refs)})"
                named = names.get(str(v).strip())
                if named:  # a name written where the id belongs
                    text += (f"; it is the name of {', '.join(f'{_kind_name(t)} {i!r}' for t, i in named[:3])}"
                             "; references take ids")
                return text

            out.add_mask(name, rows[name], col.name, vals, unknown, message)
            wrong = has & target.notna().to_numpy() & ~target.isin(col.refs).to_numpy()
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


def _check_order(table, df, row, out, written, first, last, message):
    """A date ``last`` earlier than the row's ``first`` date is a problem at ``last``."""
    if not len(df):
        return
    s, e = df[first], df[last]
    back = (s.notna() & e.notna() & (e < s)).to_numpy()
    if back.any():
        shown = written.get((table, last))
        for i in np.flatnonzero(back):
            value = shown.iloc[i] if shown is not None else e.iloc[i].strftime("%Y-%m-%d")
            out.add(table, int(row[i]), last, value, message.format(last=e.iloc[i], first=s.iloc[i]))


def _check_ratings(df, row, out):
    if not len(df):
        return
    over = (df["max_score"].notna() & (df["score"] > df["max_score"])).fillna(False).to_numpy()
    for i in np.flatnonzero(over):
        out.add("ratings", int(row[i]), "score", display_value(df["score"].iloc[i]),
                f"the score {df['score'].iloc[i]:g} is above the scheme's max_score "
                f"({df['max_score'].iloc[i]:g})")


def _check_ties(df, row, out, written):
    if not len(df):
        return
    _check_order("ties", df, row, out, written, "start", "end",
                 "the tie ends ({last:%Y-%m-%d}) before it starts ({first:%Y-%m-%d})")
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
    _check_refs(tables, rows, id_table, out, frozenset(t for t, r in raw.items() if r.unusable))
    _check_areas(tables["areas"], rows["areas"], out)
    _check_tree("areas", tables["areas"], rows["areas"], out)
    _check_tree("organisations", tables["organisations"], rows["organisations"], out)
    _check_organisations(tables["organisations"], rows["organisations"], out)
    _check_ties(tables["ties"], rows["ties"], out, written)
    _check_order("people", tables["people"], rows["people"], out, written, "start", "end",
                 "the people leave ({last:%Y-%m-%d}) before they are placed ({first:%Y-%m-%d})")
    _check_order("cases", tables["cases"], rows["cases"], out, written, "raised", "closed",
                 "the case is closed ({last:%Y-%m-%d}) before it was raised ({first:%Y-%m-%d})")
    _check_ratings(tables["ratings"], rows["ratings"], out)

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
