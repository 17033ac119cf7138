"""One self-contained offline HTML report of a network.

:func:`report` runs the analyses, draws their charts (inline SVG, text left to the browser) and
their interactive views (vis-network, inlined), and writes everything — with
the parameters used — into one HTML file that opens on a machine without
internet access.

The report is a list of sections (:data:`SECTIONS`, in :mod:`orgnet.report.sections`), each a builder that
turns a network into escaped HTML blocks. A section that needs an analysis
module this installation lacks is skipped with a one-line note, so later
analyses plug in by adding a :class:`Section`.
"""

from __future__ import annotations

import importlib
import time
from pathlib import Path

from .. import schema
from .._atomic import atomic_file, check_writable
from .._params import Bool, Constraint, Date, Instance, Integer, Network, Text, validate_params
from ..errors import OrgnetMissingDataError
from .page import Context, available, markup, printer, progress_bar
from .sections import REPORT_VIEWS, SECTIONS, Section

__all__ = ["report", "Section", "SECTIONS"]


class _Views(Constraint):
    """A view name or a list of them (empty: none)."""

    def describe(self):
        return "a list of views among " + ", ".join(REPORT_VIEWS)

    def convert(self, value):
        value = (value,) if isinstance(value, str) else tuple(value)
        if any(v not in REPORT_VIEWS for v in value):
            raise ValueError
        return value


def _unmet(sec: Section, net) -> str | None:
    """Why ``sec`` cannot be built on ``net`` (a table it needs is empty, none of its functions
    exists), or None."""
    for t in sec.tables:
        if len(net.tables[t]) == 0:
            return (f"the network has no {t!r} table ({schema.TABLES[t].aliases[0]}); add {t}.csv (a file or a "
                    f"sheet) to see this section.")
    if sec.functions and not any(available(f) for f in sec.functions):
        verb = "is" if len(sec.functions) == 1 else "are"
        return f"{' and '.join(sec.functions)} {verb} not available in this installation."
    return None


@validate_params(net=Network(), as_of=[Date(), None], max_nodes=Integer(1), progress=Bool(), views=_Views(),
                 k_stations=Integer(0), title=[Text(), None],
                 match_kwargs=[Instance(dict, "a dict of keyword arguments of orgnet.sharing.match"), None])
def report(net, path, *, as_of=None, max_nodes: int = 5000, progress: bool = False,
           views=REPORT_VIEWS, k_stations: int = 5, match_kwargs: dict | None = None,
           title: str | None = None) -> Path | None:
    """Write one self-contained offline HTML report: tables, charts and interactive views.

    Sections: dataset summary; validation notes (what is missing, warnings the
    analyses raised); coverage (rates by street, unit type and sector, charts,
    a map, the units due but not established); vacuum areas (reasons by
    street, suggested stations); linkage (strength distribution, linkage index,
    threshold steps); structure, sharing and scorecard when those analyses are
    installed (a missing one is skipped with a note); the activity layer —
    staffing (people per grid, rule gaps, dual reporting), response
    (whistle-and-report cases by department and category, the level solving
    them), meetings (cadence and rotating chairs) and ratings against the
    network — each skipped with a note naming the table when the network has
    none (or the function when this installation lacks it); the interactive
    views; and every parameter used.

    Parameters
    ----------
    net : OrgNetwork
    path : str or Path or file-like
        Where to write the HTML (UTF-8); an open text file is written to.
    as_of : date-like, optional
        Reference date of every analysis. Default: the network's ``as_of``.
    max_nodes : int, default 5000
        Node limit of each interactive view (see :func:`orgnet.viz.interactive`).
    progress : bool, default False
        Print one line per stage to standard error (the command line sets it).
    views : sequence of str, default ("ties", "hierarchy", "coverage", "vacuum", "sharing", "staffing", "response")
        The interactive views to include (empty: none). ``staffing`` and
        ``response`` are left out, with a note, when the network has no
        ``people`` or ``cases`` table.
    k_stations : int, default 5
        Number of new stations to suggest (:func:`orgnet.vacuum.suggest_stations`); 0 for none.
    match_kwargs : dict, optional
        Keyword arguments of :func:`orgnet.sharing.match` (for the sharing
        section, view and the scorecard), e.g. ``{"max_distance_m": 3000}``
        for a large city, where matching every same-category pair is refused
        (the report then skips those parts with a note saying so).
    title : str, optional
        Default: "orgnet report — <network name>".

    Returns
    -------
    Path or None
        The file written (None when given an open file).

    Raises
    ------
    OrgnetError
        The visualisation extra is missing (``pip install 'orgnet[viz]'``).

    See Also
    --------
    orgnet.viz.interactive, orgnet.viz.plots

    Notes
    -----
    Nothing in the file is fetched from the network: vis-network and every
    style are inlined, charts are inline SVG (text kept as text), and all text from the data is
    HTML-escaped. Output is deterministic for a given network and parameters.

    Examples
    --------
    >>> import orgnet, tempfile, pathlib
    >>> from orgnet.report import report
    >>> out = report(orgnet.datasets.load("demo"), pathlib.Path(tempfile.mkdtemp()) / "demo.html")
    >>> "Coverage" in out.read_text(encoding="utf-8")
    True
    """
    from ..viz.interactive import render_page, require_optional as require_extra

    require_extra("matplotlib", "orgnet.report")
    require_extra("pyvis", "orgnet.report")
    require_extra("jinja2", "orgnet.report")
    if not hasattr(path, "write"):
        check_writable(path)  # before the work, not after it
    when = net.resolve_as_of(as_of)
    emit = printer(progress)
    ctx = Context(net=net, as_of=when, max_nodes=max_nodes, k_stations=k_stations, views=tuple(views),
                   progress=emit, match_kwargs=dict(match_kwargs or {}))
    ms = markup()
    built: dict[str, list] = {}
    order = [s for s in SECTIONS if not s.late] + [s for s in SECTIONS if s.late]
    n = len(order)
    t_start = time.perf_counter()
    for i, sec in enumerate(order, 1):
        t0 = time.perf_counter()
        if sec.key == "views" and not views:
            built[sec.key] = None
            continue
        if sec.needs is not None:
            try:
                importlib.import_module(sec.needs)
            except ImportError:
                ctx.skipped.append((sec.key, f"{sec.needs} is not available in this installation."))
                built[sec.key] = [ctx.note(f"Skipped: {sec.needs} is not available in this installation.", "skip")]
                emit(f"{progress_bar(i, n)} {i}/{n} {sec.key}: skipped ({sec.needs} not available)")
                continue
        why = _unmet(sec, net)
        if why is not None:
            ctx.skipped.append((sec.key, why))
            built[sec.key] = [ctx.note(f"Skipped: {why}", "skip")]
            emit(f"{progress_bar(i, n)} {i}/{n} {sec.key}: skipped")
            continue
        try:
            built[sec.key] = sec.build(ctx)
        except OrgnetMissingDataError as err:
            ctx.skipped.append((sec.key, str(err)))
            built[sec.key] = [ctx.note(f"Skipped: {err}", "skip")]
        emit(f"{progress_bar(i, n)} {i}/{n} {sec.key} ({time.perf_counter() - t0:.1f} s)")
    sections = []
    for sec in SECTIONS:
        blocks = built.get(sec.key)
        if blocks is None:
            continue
        sections.append({"key": sec.key, "title": sec.title, "blocks": [ms.Markup(b) for b in blocks],
                         "views": ctx.panels if sec.key == "views" else None})
    name = net.name or "network"
    page = render_page(ctx.panels, title=title or f"orgnet report — {name}", template="report.html.j2",
                       sections=sections,
                       subtitle=f"{name} · as of {when:%Y-%m-%d} · one offline file: no request leaves this machine")
    if hasattr(path, "write"):
        path.write(page)
        out = None
    else:
        out = Path(path)
        with atomic_file(out, "w", encoding="utf-8") as fh:  # never a half-written report
            fh.write(page)
    emit(f"wrote {out if out is not None else 'the report'} ({len(page.encode('utf-8')) / 1e6:.1f} MB) "
         f"in {time.perf_counter() - t_start:.1f} s")
    return out
