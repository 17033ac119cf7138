"""The report's page: the context sections write into, and its HTML blocks (escaped)."""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..errors import OrgnetParameterError, OrgnetWarning

__all__ = ["Context", "markup", "fmt", "pct", "sized", "fmt_param", "progress_bar", "printer", "available"]



def markup():
    import markupsafe

    return markupsafe


@dataclass
class Context:
    net: Any
    as_of: pd.Timestamp
    max_nodes: int
    k_stations: int
    views: tuple
    progress: Callable[[str], None]
    warnings: list = field(default_factory=list)
    params: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)
    panels: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    match_kwargs: dict = field(default_factory=dict)

    # -- running analyses
    def run(self, func: Callable, *args, label: str | None = None, **kwargs):
        """Call an analysis: its OrgnetWarnings become report notes; its parameters are recorded."""
        name = label or getattr(func, "__name__", "analysis")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", OrgnetWarning)
            out = func(*args, **kwargs)
        for w in caught:
            if issubclass(w.category, OrgnetWarning):
                self.warnings.append(f"{name}: {w.message}")
            else:  # pragma: no cover - pass other warnings on
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        attrs = getattr(out, "attrs", None)
        if not isinstance(attrs, dict):
            attrs = getattr(out, "params", None)
        self.record(name, func, attrs if isinstance(attrs, dict) else {}, kwargs)
        return out

    def record(self, name: str, func: Callable, attrs: dict, kwargs: dict) -> None:
        """Record the value of every keyword parameter of ``func``: as the result's attrs
        state it, else as passed, else its default; distinct values of repeated calls are kept."""
        import inspect

        try:
            sig = inspect.signature(func)
        except (TypeError, ValueError):  # pragma: no cover - builtins
            return
        rec = self.params.setdefault(name, {})
        for p in sig.parameters.values():
            if p.kind not in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD) or p.default is p.empty:
                continue
            if p.name == "graph":  # a prebuilt graph is an input, not a parameter
                continue
            value = attrs.get(p.name, kwargs.get(p.name, p.default))
            text = fmt_param(value)
            vals = rec.setdefault(p.name, [])
            if text not in vals:
                vals.append(text)

    def match(self):
        """sharing.match, solved once for the report (its section, its view).

        Raises OrgnetParameterError when the problem is refused (too many
        candidates: pass ``match_kwargs={"max_distance_m": ...}``); the error is
        remembered so the sections that need it skip with the same note."""
        if "match" not in self.cache:
            from .. import sharing

            try:
                self.cache["match"] = self.run(sharing.match, self.net, as_of=self.as_of, label="sharing.match",
                                               **self.match_kwargs)
            except OrgnetParameterError as err:
                self.cache["match"] = err
        if isinstance(self.cache["match"], Exception):
            raise self.cache["match"]
        return self.cache["match"]

    # -- blocks
    def para(self, text: str):
        return markup().Markup("<p>{}</p>").format(text)

    def h3(self, text: str):
        return markup().Markup("<h3>{}</h3>").format(text)

    def note(self, text: str, kind: str = "note"):
        return markup().Markup('<div class="orgnet-{}">{}</div>').format(kind, text)

    def facts(self, items: list[tuple[str, Any]]):
        """A two-column table of headline figures (strings are shown as given: use :func:`pct`)."""
        ms = markup()
        rows = ms.Markup("").join(ms.Markup("<tr><th>{}</th><td class=\"num\">{}</td></tr>").format(k, fmt(v, ""))
                                  for k, v in items)
        return ms.Markup('<table class="orgnet-table">{}</table>').format(rows)

    def table(self, df: pd.DataFrame, *, max_rows: int = 1000, caption: str | None = None, index: bool = True):
        """A DataFrame as an escaped HTML table (rates as percentages), scrolling when long."""
        ms = markup()
        shown = df.iloc[:max_rows]
        cols = list(shown.columns)
        head = ms.Markup("").join(ms.Markup("<th>{}</th>").format(c) for c in
                                  ([shown.index.name or ""] if index else []) + [str(c) for c in cols])
        body = []
        for idx, row in zip(shown.index, shown.itertuples(index=False)):
            cells = [ms.Markup("<th>{}</th>").format(fmt(idx, ""))] if index else []
            for c, v in zip(cols, row):
                cls = "num" if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) else ""
                cells.append(ms.Markup('<td class="{}">{}</td>').format(cls, fmt(v, str(c))))
            body.append(ms.Markup("<tr>{}</tr>").format(ms.Markup("").join(cells)))
        cap = ms.Markup("<caption>{}</caption>").format(caption) if caption else ms.Markup("")
        out = ms.Markup('<div class="orgnet-scroll"><table class="orgnet-table">{}<thead><tr>{}</tr></thead>'
                        "<tbody>{}</tbody></table></div>").format(cap, head, ms.Markup("").join(body))
        if len(df) > max_rows:
            out += self.note(f"{len(df) - max_rows:,} more rows not shown (the full table is the analysis' "
                             f"DataFrame in Python).", "skip")
        return out

    def chart(self, draw: Callable, *args, alt: str = "chart", size=(8.0, 4.5), **kwargs):
        """Draw a chart into a fresh Figure (no pyplot state) and embed it as inline SVG.

        Text stays text (``<text>`` elements, escaped), drawn by the browser in
        :data:`~orgnet.viz._fonts.CSS_FONT_STACK`, so Chinese renders wherever
        the reader has a CJK font, even if this machine has none. Ids are
        numbered per report (``orgnet-chart-1-...``) so charts never collide.
        """
        from matplotlib.figure import Figure

        from ..viz._fonts import figure_svg

        fig = Figure(figsize=size, layout="constrained")
        ax = fig.add_subplot()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", OrgnetWarning)
            draw(*args, ax=ax, **kwargs)
        for w in caught:
            self.warnings.append(f"chart: {w.message}")
        n = self.cache["charts"] = self.cache.get("charts", 0) + 1
        with warnings.catch_warnings():
            # without a CJK font matplotlib lays Chinese out in its placeholder font and says so for
            # every glyph; the browser draws the text, and the missing font is already a report note
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from", category=UserWarning)
            svg = figure_svg(fig, id_prefix=f"orgnet-chart-{n}", title=alt,
                             style="max-width: 100%; height: auto; border: 1px solid #eaecee; margin: 4px 0")
        return markup().Markup(svg)  # built by ElementTree: every text and attribute is escaped


#: share columns whose names do not say so (shown as percentages)
_SHARE_COLUMNS = ("satisfaction", "closed_within", "share_of_closed")


def fmt(v, column: str) -> str:
    if v is None or (not isinstance(v, (str, list, tuple, dict)) and pd.isna(v)):
        return "–"
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, pd.Timestamp):
        return f"{v:%Y-%m-%d}"
    if isinstance(v, (int, np.integer)):
        return f"{int(v):,}"
    if isinstance(v, (float, np.floating)):
        c = column.lower()
        if c.startswith("rank"):
            return f"{float(v):,.0f}" if float(v).is_integer() else f"{float(v):,.1f}"
        if c.endswith(("_rate", "_share", "share", "diversity")) or c in ("rate", "share", *_SHARE_COLUMNS):
            return f"{100 * float(v):.1f}%"
        if float(v).is_integer() and abs(v) < 1e15:
            return f"{int(v):,}"
        return f"{float(v):,.3g}" if abs(v) < 1 else f"{float(v):,.2f}"
    return str(v)


def pct(v) -> str:
    return "–" if v is None or pd.isna(v) else f"{100 * float(v):.1f}%"


def sized(n_rows: int, base: float = 1.2, per: float = 0.3, lo: float = 2.5, hi: float = 24.0) -> tuple:
    return (8.0, float(min(max(lo, base + per * n_rows), hi)))



def fmt_param(v) -> str:
    if isinstance(v, pd.Timestamp):
        return f"{v:%Y-%m-%d}"
    if isinstance(v, dict):
        return ", ".join(f"{k}={fmt_param(x)}" for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return ", ".join(fmt_param(x) for x in v)
    return "None (default)" if v is None else str(v)



def available(dotted: str) -> bool:
    """Whether ``"orgnet.module.function"`` can be imported (a module or function not yet written: no)."""
    import importlib

    module, _, name = dotted.rpartition(".")
    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:
        return False


def progress_bar(i: int, n: int, width: int = 20) -> str:
    done = round(width * i / n)
    return "[" + "#" * done + "-" * (width - done) + "]"


def printer(enabled: bool) -> Callable[[str], None]:
    if not enabled:
        return lambda msg: None

    def emit(msg: str) -> None:
        print(f"orgnet report: {msg}", file=sys.stderr, flush=True)

    return emit


