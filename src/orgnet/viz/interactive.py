"""Interactive network views: pyvis objects rendered as self-contained, escaped HTML.

:func:`interactive` builds one view of a network — ``ties``, ``hierarchy``,
``coverage``, ``vacuum``, ``sharing``, ``staffing`` or ``response`` — from the DataFrames of the
analyses (:mod:`orgnet.linkage`, :mod:`orgnet.coverage`, :mod:`orgnet.vacuum`,
:mod:`orgnet.sharing`, :mod:`orgnet.staffing`, :mod:`orgnet.response`; one builder module per view in :mod:`orgnet.viz.views`,
dispatched through :data:`orgnet.viz.views.REGISTRY`), and
returns a :class:`pyvis.network.Network` (a subclass that renders through
orgnet's own page). :func:`to_html` writes a view to a standalone file.

The page is orgnet's, not pyvis's: it is rendered by an autoescaping Jinja2
template, inlines vis-network's JavaScript and CSS from the installed pyvis
package (no CDN, no Bootstrap: nothing is requested from the network), passes
the node and edge data as JSON inside ``<script type="application/json">`` with
``<``, ``>`` and ``&`` escaped, and uses plain-text hover titles (vis-network
shows a string title as text). Names from spreadsheets therefore show as text
and run nothing.

Large networks: node positions are computed in Python (a tidy tree for the
area hierarchy, a seeded force layout — two-level above a few hundred nodes —
for the others, longitude/latitude for the vacuum map), and physics is off
above :data:`PHYSICS_MAX_NODES` nodes; above ``max_nodes`` a view is
aggregated to a coarser level (entities into their community, communities into
their street) and the page says so; ``focus=`` drills into one area.

Notebooks: a view displays as an ``<iframe srcdoc>`` with a plain-text caption
under it — what the view is, and what to do when no drawing appears (an
untrusted notebook's outputs are sanitised: JupyterLab removes frames, scripts
and styles, keeping plain text). A page over :data:`INLINE_MAX_BYTES` is shown
aggregated to a coarser level instead. Displaying never writes a file:
``view.save(path)`` writes the full page, ``view.show(path)`` writes it and
returns a :class:`SavedPage` link.
"""

from __future__ import annotations

import html
import importlib
import itertools
import json
import os
import re
import urllib.parse
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .._atomic import atomic_file, check_writable
from .._params import Bool, Constraint, Date, Instance, Integer, Network, Options, Seed, Text, validate_params
from ..errors import OrgnetError, OrgnetParameterError
from . import views
from ._fonts import CSS_FONT_STACK
from .views import ViewOptions, ViewSpec, resolve_focus
from .views.spec import merge_options

__all__ = ["interactive", "to_html", "build_view", "render_page", "require_optional", "SavedPage", "VIEWS",
           "DEFAULT_MAX_NODES", "PHYSICS_MAX_NODES", "INLINE_MAX_BYTES"]

#: the views :func:`interactive` draws (:data:`orgnet.viz.views.REGISTRY`)
VIEWS = tuple(views.REGISTRY)
#: the analysis module each view draws (a view whose module is missing is refused)
VIEW_MODULES = {name: v.analysis for name, v in views.REGISTRY.items()}
#: default node limit above which a view is aggregated to a coarser level
DEFAULT_MAX_NODES = 5000
#: views with more nodes than this start without physics (positions are precomputed)
PHYSICS_MAX_NODES = 200
#: pages larger than this are not inlined in a notebook cell: the view is shown aggregated
#: to a coarser level instead (``view.save(path)`` writes the full page when asked)
INLINE_MAX_BYTES = 2_000_000

INSTALL_HINT = "pip install 'orgnet[viz]'"
_TEMPLATES = Path(__file__).resolve().parent / "templates"
_VIS_OPTION_KEYS = ("autoResize", "width", "height", "locale", "locales", "clickToUse", "configure",
                    "edges", "nodes", "groups", "layout", "interaction", "manipulation", "physics")
_HEIGHT = re.compile(r"^\d+(\.\d+)?(px|vh|em|rem|%)$")


def require_optional(module: str, what: str):
    """Import an optional module (pyvis, jinja2, matplotlib) or raise OrgnetError with the install hint.

    ``what`` names the function that needs it, for the message.
    """
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise OrgnetError(
            f"{what} needs the optional package {module.split('.')[0]!r}, which is not installed. "
            f"Install the visualisation extra: {INSTALL_HINT}"
        ) from err


def script_json(obj) -> str:
    """JSON for a ``<script type="application/json">`` block: ``<``, ``>``, ``&``
    (and the JavaScript line separators) escaped as ``\\uXXXX``.

    >>> script_json({"name": "</script><b>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    try:
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_json_default)
    except ValueError:  # a NaN or infinity somewhere: JSON has no such number, null it
        text = json.dumps(_finite(obj), ensure_ascii=False, separators=(",", ":"), allow_nan=False,
                          default=_json_default)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _finite(obj):
    if isinstance(obj, float):
        return obj if obj == obj and obj not in (float("inf"), float("-inf")) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


def _json_default(o):
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return None if np.isnan(o) else float(o)
    if isinstance(o, np.bool_):
        return bool(o)
    if isinstance(o, (pd.Timestamp,)):
        return o.isoformat()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


# ------------------------------------------------------------------ the pyvis object


def _options(spec: ViewSpec, physics: bool, extra: dict) -> dict:
    n = len(spec.nodes)
    opts = {
        "autoResize": True,
        "nodes": {"font": {"face": CSS_FONT_STACK, "size": 13, "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "scaling": {"label": {"enabled": False}}},
        "edges": {"smooth": False if n > PHYSICS_MAX_NODES or not physics else {"type": "continuous"},
                  "selectionWidth": 2, "color": {"highlight": "#17202a", "hover": "#17202a", "opacity": 0.8}},
        "layout": {"improvedLayout": False, "randomSeed": 12345},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": n > 1000,
                        "hideEdgesOnZoom": n > 3000, "navigationButtons": False, "keyboard": False,
                        "multiselect": True},
        "physics": ({"enabled": True, "solver": "barnesHut",
                     "barnesHut": {"gravitationalConstant": -3000, "springLength": 120, "damping": 0.3},
                     "stabilization": {"enabled": True, "iterations": 300, "fit": True}}
                    if physics else {"enabled": False, "stabilization": {"enabled": False}}),
    }
    return merge_options(opts, extra)


_STYLE_KEYS = ("color", "shape", "borderWidth", "shapeProperties", "font", "chosen")


def compact(nodes: list[dict], edges: list[dict], options: dict) -> dict:
    """The page's data: node styles moved into vis-network ``groups`` (one per distinct
    style) and edge colours reduced to the colour, so a city-sized view stays small.
    ``nodes``/``edges`` themselves are not changed."""
    groups: dict[str, dict] = {}
    index: dict[str, str] = {}
    out_nodes = []
    for d in nodes:
        style = {k: d[k] for k in _STYLE_KEYS if k in d}
        key = json.dumps(style, sort_keys=True, ensure_ascii=False)
        g = index.get(key)
        if g is None:
            g = index[key] = f"g{len(index)}"
            groups[g] = style
        nd = {k: v for k, v in d.items() if k not in _STYLE_KEYS}
        nd["group"] = g
        out_nodes.append(nd)
    out_edges = []
    for e in edges:
        ed = {k: v for k, v in e.items() if k not in ("color", "dashes")}
        col = e.get("color")
        ed["color"] = {"color": col["color"]} if isinstance(col, dict) and "color" in col else col
        if e.get("dashes"):
            ed["dashes"] = True
        out_edges.append(ed)
    opts = merge_options(options, {"groups": groups}) if groups else options
    return {"nodes": out_nodes, "edges": out_edges, "options": opts}


@lru_cache(maxsize=1)
def _view_class():
    """The pyvis Network subclass, created on first use (pyvis is optional)."""
    network = require_optional("pyvis.network", "orgnet.viz.interactive")

    class OrgnetView(network.Network):
        """A pyvis ``Network`` holding one orgnet view, rendered through orgnet's own page.

        ``nodes`` and ``edges`` are pyvis-style dicts (vis-network fields plus
        ``attrs``, the values the page filters on). Extra attributes:
        ``view``, ``level`` (``"entity"`` or the level it is aggregated to),
        ``aggregated``, ``focus``, ``notes`` (shown on the page), ``legend``,
        ``filters``, ``params`` (the analysis parameters used) and ``title``.

        ``generate_html()`` returns the page; ``save(path)`` writes it (atomically)
        and returns the path; ``show(path)`` writes it and returns a
        :class:`SavedPage`, which a notebook displays as a link.
        ``_repr_html_()`` shows the view in a notebook — an ``<iframe srcdoc>``
        with a plain-text caption that says what the view is and what to do
        when the drawing does not appear (untrusted notebooks lose their
        frames); a page over :data:`INLINE_MAX_BYTES` is shown aggregated to
        a coarser level. Displaying a view never writes a file.
        """

        def __init__(self, spec: ViewSpec, *, height: str, options: dict, focus=None):
            super().__init__(height=height, width="100%", directed=False, notebook=False,
                             cdn_resources="in_line", heading="")
            self.view = spec.view
            self.title = spec.title
            self.level = spec.level
            self.aggregated = spec.aggregated
            self.geographic = spec.geographic
            self.focus = focus
            self.notes = list(spec.notes)
            self.legend = spec.legend
            self.filters = [f for f in spec.filters if f]
            self.params = dict(spec.params)
            self.nodes = spec.nodes
            self.edges = spec.edges
            self.node_ids = [d["id"] for d in spec.nodes]
            self.node_map = {d["id"]: d for d in spec.nodes}
            self.options = options
            self.path_written: Path | None = None
            self._build: dict | None = None  # build_view's arguments: lets the view redraw itself coarser
            self._inline_cache: tuple | None = None

        # -- pyvis API, on orgnet's page
        def generate_html(self, name="index.html", local=True, notebook=False) -> str:
            """The page as a string (standalone, offline, escaped)."""
            self.html = render_page([self.panel()], title=self.title)
            return self.html

        def save(self, path) -> Path:
            """Write the full page to ``path`` (UTF-8, atomically) and return its Path.

            Parameters
            ----------
            path : str or Path
                The file to write; its folder is created when missing. The
                file appears whole or not at all (written to a temporary
                sibling, then renamed).

            Returns
            -------
            Path
                ``path``, as a Path.

            Raises
            ------
            OrgnetError
                ``path`` is a folder, or its folder cannot be written.

            See Also
            --------
            show : write the page and get a link to it in a notebook.
            orgnet.viz.to_html : the same, from a network or a view.

            Examples
            --------
            >>> import orgnet, tempfile, pathlib
            >>> v = orgnet.viz.interactive(orgnet.datasets.load("demo"), view="ties")
            >>> out = v.save(pathlib.Path(tempfile.mkdtemp()) / "ties.html")
            >>> out.name, out.read_text(encoding="utf-8") == v.generate_html()
            ('ties.html', True)
            """
            target = check_writable(path)
            page = self.generate_html()
            with atomic_file(target, "w", encoding="utf-8", newline="") as fh:
                fh.write(page)
            self.path_written = target
            return target

        def write_html(self, name, local=True, notebook=False, open_browser=False):
            """Write the page to ``name`` (UTF-8, atomically); returns its Path (pyvis's name for :meth:`save`)."""
            path = self.save(name)
            if open_browser:  # pragma: no cover - interactive use
                import webbrowser

                webbrowser.open(path.resolve().as_uri())
            return path

        def save_graph(self, name):
            return self.write_html(name)

        def show(self, name, local=True, notebook=True) -> SavedPage:
            """Write the full page to ``name`` and return a :class:`SavedPage`.

            In a notebook the result shows the file's absolute path and a link
            that opens the page in a new browser tab (served by the Jupyter
            server, ``<base_url>files/...``, when the kernel runs under one).
            With ``notebook=False`` the page is also opened in the default
            browser. ``local`` is accepted for pyvis compatibility.

            Examples
            --------
            >>> import orgnet, tempfile, pathlib
            >>> v = orgnet.viz.interactive(orgnet.datasets.load("demo"), view="ties")
            >>> link = v.show(pathlib.Path(tempfile.mkdtemp()) / "ties.html")
            >>> link.path.name, link.path.is_absolute(), "ties.html" in link._repr_html_()
            ('ties.html', True, True)
            """
            path = self.write_html(name, open_browser=not notebook)
            return SavedPage(path, view=self.view, nodes=len(self.nodes), edges=len(self.edges))

        def prep_notebook(self, custom_template=False, custom_template_path=None):
            """Not needed: orgnet's page works in every notebook front end."""

        def set_options(self, options):
            """Merge vis-network options (a JSON string or a dict) into the view's options."""
            extra = json.loads(options) if isinstance(options, str) else dict(options)
            if "var options" in str(options)[:20]:  # pragma: no cover - pyvis-style string
                extra = json.loads(str(options).split("=", 1)[1])
            self.options = merge_options(self.options, extra)
            return self.options

        def toggle_physics(self, status):
            self.options = merge_options(self.options, {"physics": {"enabled": bool(status)}})

        def toggle_stabilization(self, status):
            self.options = merge_options(self.options, {"physics": {"stabilization": {"enabled": bool(status)}}})

        def toggle_drag_nodes(self, status):
            self.options = merge_options(self.options, {"interaction": {"dragNodes": bool(status)}})

        def toggle_hide_edges_on_drag(self, status):
            self.options = merge_options(self.options, {"interaction": {"hideEdgesOnDrag": bool(status)}})

        def toggle_hide_nodes_on_drag(self, status):
            self.options = merge_options(self.options, {"interaction": {"hideNodesOnDrag": bool(status)}})

        def set_edge_smooth(self, smooth_type):
            self.options = merge_options(self.options, {"edges": {"smooth": {"enabled": True, "type": smooth_type}}})

        def _solver(self, solver: str, settings: dict):
            self.options = merge_options(self.options,
                                         {"physics": {"enabled": True, "solver": solver, solver: settings}})

        def barnes_hut(self, gravity=-80000, central_gravity=0.3, spring_length=250, spring_strength=0.001,
                       damping=0.09, overlap=0):
            self._solver("barnesHut", {"gravitationalConstant": gravity, "centralGravity": central_gravity,
                                       "springLength": spring_length, "springConstant": spring_strength,
                                       "damping": damping, "avoidOverlap": overlap})

        def force_atlas_2based(self, gravity=-50, central_gravity=0.01, spring_length=100, spring_strength=0.08,
                               damping=0.4, overlap=0):
            self._solver("forceAtlas2Based", {"gravitationalConstant": gravity, "centralGravity": central_gravity,
                                              "springLength": spring_length, "springConstant": spring_strength,
                                              "damping": damping, "avoidOverlap": overlap})

        def repulsion(self, node_distance=100, central_gravity=0.2, spring_length=200, spring_strength=0.05,
                      damping=0.09):
            self._solver("repulsion", {"nodeDistance": node_distance, "centralGravity": central_gravity,
                                       "springLength": spring_length, "springConstant": spring_strength,
                                       "damping": damping})

        def hrepulsion(self, node_distance=120, central_gravity=0.0, spring_length=100, spring_strength=0.01,
                       damping=0.09):
            self._solver("hierarchicalRepulsion", {"nodeDistance": node_distance, "centralGravity": central_gravity,
                                                   "springLength": spring_length, "springConstant": spring_strength,
                                                   "damping": damping})

        def show_buttons(self, filter_=None):
            self.options = merge_options(self.options, {"configure": {"enabled": True, "filter": filter_ or True}})

        # -- orgnet
        def panel(self, index: int = 0) -> dict:
            """What the template needs for this view (escaped by the template)."""
            data = compact(self.nodes, self.edges, self.options)
            return {"panel_id": f"orgnet-view-{index}", "data_id": f"orgnet-data-{index}",
                    "title": self.title, "notes": self.notes, "legend": self.legend,
                    "filters": self.filters, "height": self.height, "json": markup(script_json(data))}

        def inline_view(self):
            """What a notebook shows for this view: ``(view, page, full_size)``.

            ``view`` is this view when its page fits in :data:`INLINE_MAX_BYTES`,
            otherwise the same view rebuilt at a lower ``max_nodes`` (so
            aggregated to a coarser level) whose page fits, or None when even
            the coarsest level does not fit (or the view cannot be rebuilt).
            ``page`` is that view's page and ``full_size`` the size in bytes of
            this view's page. Nothing is written.
            """
            page = self.generate_html()
            size = len(page.encode("utf-8"))
            limit = INLINE_MAX_BYTES
            if size <= limit:
                return self, page, size
            key = (size, limit, len(self.nodes), len(self.edges), json.dumps(self.options, sort_keys=True,
                                                                             default=str))
            if self._inline_cache is not None and self._inline_cache[0] == key:
                return self._inline_cache[1], self._inline_cache[2], size
            found = _coarser_fit(self, size, limit)
            small, small_page = found if found else (None, None)
            self._inline_cache = (key, small, small_page)
            return small, small_page, size

        def _repr_html_(self) -> str:
            shown, page, size = self.inline_view()
            return _notebook_html(self, shown, page, size)

        def _repr_pretty_(self, p, cycle):  # IPython's text/plain
            p.text(repr(self) if cycle else _plain_text(self))

        def __str__(self):
            return self.__repr__()

        def __repr__(self):
            agg = f", aggregated to {self.level}" if self.aggregated else ""
            return (f"<orgnet {self.view} view: {len(self.nodes):,} nodes, {len(self.edges):,} edges{agg}>")

    OrgnetView.__module__ = __name__
    OrgnetView.__qualname__ = "OrgnetView"
    return OrgnetView


def _iframe_height(height: str) -> str:
    m = re.match(r"^(\d+(?:\.\d+)?)px$", height)
    return f"{float(m.group(1)) + 170:.0f}px" if m else "900px"


# ------------------------------------------------------------------ notebook display

_OUTPUT_IDS = itertools.count(1)
_CAPTION_STYLE = "font-size:12px;line-height:1.45;color:#4d5656;margin:4px 0 2px 0"


def _coarser_fit(view, size: int, limit: int):
    """``(rebuilt view, page)``: ``view`` rebuilt at lower ``max_nodes`` until its page
    fits in ``limit`` bytes; None when it cannot be rebuilt or the coarsest level is too large."""
    if view._build is None:
        return None
    base = _base_bytes()
    n, cur = len(view.nodes), size
    for _ in range(8):
        if n <= 1:
            return None
        per_node = max(1.0, (cur - base) / n)
        target = max(1, min(n - 1, int(0.9 * (limit - base) / per_node)))
        cand = build_view(**{**view._build, "max_nodes": target})
        if len(cand.nodes) >= n:  # nothing coarser to show
            return None
        page = cand.generate_html()
        n, cur = len(cand.nodes), len(page.encode("utf-8"))
        if cur <= limit:
            cand.notes.append(
                f"Shown aggregated inside the notebook: the full view ({len(view.nodes):,} nodes, "
                f"{size / 1e6:.1f} MB) is larger than a notebook cell takes ({limit / 1e6:.1f} MB). "
                f'view.save("{view.view}.html") writes the full view to a file; focus=\'<area id>\' draws one area.')
            return cand, cand.generate_html()
    return None


@lru_cache(maxsize=1)
def _base_bytes() -> int:
    """Bytes of a page that come from the inlined assets (the part every page has)."""
    return sum(len(str(v).encode("utf-8")) for v in _assets().values())


def _notebook_name() -> str:
    """The running notebook's file name when the Jupyter server told the kernel, else a placeholder."""
    name = os.path.basename(os.environ.get("JPY_SESSION_NAME", ""))
    return name if name.endswith(".ipynb") else "NOTEBOOK.ipynb"


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _describe(view) -> str:
    agg = f", aggregated to {view.level} level" if view.aggregated else ""
    return f"orgnet {view.view} view: {_count(len(view.nodes), 'node')}, {_count(len(view.edges), 'edge')}{agg}"


def _plain_text(view) -> str:
    """The text/plain form: what the view is, and how to see it."""
    file = f"{view.view}.html"
    return (f"<{_describe(view)}>\n"
            f"In a trusted notebook it is drawn inline. No drawing? Trust the notebook (JupyterLab: "
            f"File > Trust Notebook, or `jupyter trust {_notebook_name()}`), or save it as a page: "
            f'view.save("{file}"), and open that file in a browser (offline).')


def _notebook_html(view, shown, page, size: int) -> str:
    """The notebook output: the frame (when something fits) and a caption that survives
    JupyterLab's sanitiser of untrusted outputs (plain <div>/<p>/<span>/<code>/<b>)."""
    esc = html.escape
    file = esc(f"{view.view}.html")
    out_id = f"orgnet-out-{next(_OUTPUT_IDS)}"
    what = f"<b>{esc(_describe(view))}</b> — {esc(view.title)}."
    save = (f'<code>view.save("{file}")</code> writes the full view to a file (open it in any browser, '
            f'offline); <code>view.show("{file}")</code> also gives a link to it.')
    caption = f'<p class="orgnet-caption" style="{_CAPTION_STYLE}">'
    if shown is None:
        return (f'<div class="orgnet-output" id="{out_id}">{caption}{what} Its page is {size / 1e6:.1f} MB, too '
                f"large to show inside the notebook, even aggregated to the coarsest level. {save} Or draw less: "
                f"<code>focus='&lt;area id&gt;'</code>, or a smaller <code>max_nodes</code>.</p></div>")
    if shown is view:
        extra = (f'No drawing? Save it as a page: <code>view.save("{file}")</code>, and open that file in a '
                 f"browser (offline).")
    else:
        extra = (f"Shown here aggregated to {esc(shown.level)} level ({_count(len(shown.nodes), 'node')}, "
                 f"{_count(len(shown.edges), 'edge')}): the full page is {size / 1e6:.1f} MB, too large for a notebook "
                 f"cell. {save}")
    untrusted = ('<span class="orgnet-untrusted">The drawing is not shown because this notebook is not trusted '
                 "(JupyterLab then removes frames and scripts from its outputs). To see it, run the cell again, "
                 "or trust the notebook — File ▸ Trust Notebook, or "
                 f"<code>jupyter trust {esc(_notebook_name())}</code> — and reopen it. </span>")
    frame = (f'<iframe srcdoc="{esc(page, quote=True)}" '
             f'style="width:100%;height:{_iframe_height(view.height)};border:1px solid #ddd" '
             f'sandbox="allow-scripts" title="{esc(shown.title, quote=True)}"></iframe>')
    # a <style> survives only where the output is trusted (the sanitiser drops it with its
    # content); there it hides the "not trusted" sentence, since the frame is shown
    hide = f"<style>#{out_id} .orgnet-untrusted {{display: none}}</style>"
    return (f'<div class="orgnet-output" id="{out_id}">{frame}{hide}{caption}{what} {untrusted}{extra}</p></div>')


def _server_files_url(path: Path) -> str | None:
    """The URL path at which the Jupyter server that started this kernel serves ``path``
    (``<base_url>files/<path relative to its root>``), or None when there is none.

    Reads the server's info file (``jpserver-<pid>.json`` in the Jupyter runtime
    folder, written by jupyter_server; the kernel's parent process is the server).
    Nothing is requested from the network.
    """
    runtime = os.environ.get("JUPYTER_RUNTIME_DIR")
    if not runtime:
        try:
            from jupyter_core.paths import jupyter_runtime_dir
        except ImportError:
            return None
        runtime = jupyter_runtime_dir()
    info_file = Path(runtime) / f"jpserver-{os.getppid()}.json"
    try:
        info = json.loads(info_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    root = info.get("root_dir") or info.get("notebook_dir")
    if not isinstance(root, str) or not root:
        return None
    try:
        rel = path.resolve().relative_to(Path(root).expanduser().resolve())
    except ValueError:  # outside the server's root: it cannot serve the file
        return None
    base = str(info.get("base_url") or "/")
    return "/" + (base.strip("/") + "/" if base.strip("/") else "") + "files/" + urllib.parse.quote(rel.as_posix())


class SavedPage:
    """A view's page written to a file: what :meth:`OrgnetView.show` returns.

    A notebook displays it as the file's absolute path and a link that opens
    the page in a new browser tab. Under a Jupyter server (JupyterLab,
    Notebook, JupyterHub) the link is the server's ``<base_url>files/<path>``
    URL, where the page's scripts run (JupyterLab's own HTML viewer would show
    it blank until "Trust HTML" is clicked); elsewhere it is the path relative
    to the working folder. The file itself opens in any browser, offline.

    Attributes
    ----------
    path : Path
        The file, absolute.
    href : str
        The link's target.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "ties.html"
    >>> _ = p.write_text("<!DOCTYPE html>", encoding="utf-8")
    >>> SavedPage(p, view="ties").path == p.resolve()
    True
    """

    def __init__(self, path, *, view: str = "", nodes: int | None = None, edges: int | None = None):
        self.path = Path(path).resolve()
        self.view = view
        self.nodes = nodes
        self.edges = edges
        served = _server_files_url(self.path)
        if served is not None:
            self.href, self.served = served, True
        else:
            rel = Path(os.path.relpath(self.path, Path.cwd()))
            self.href, self.served = urllib.parse.quote(rel.as_posix()), False

    def __fspath__(self) -> str:
        return str(self.path)

    def _what(self) -> str:
        name = f"orgnet {self.view} view" if self.view else "orgnet view"
        counts = (f" ({_count(self.nodes, 'node')}, {_count(self.edges or 0, 'edge')})"
                  if self.nodes is not None else "")
        return name + counts

    def _size(self) -> str:
        try:
            return f"{self.path.stat().st_size / 1e6:.1f} MB"
        except OSError:
            return "missing"

    def __repr__(self) -> str:
        return f"<{self._what()} saved to {self.path} ({self._size()}): open that file in a browser>"

    def _repr_html_(self) -> str:
        esc = html.escape
        how = ("" if self.served else
               " If JupyterLab opens it in one of its own tabs and the tab stays blank, click "
               "<b>Trust HTML</b> in that tab's toolbar, or open the file from your file manager.")
        return (f'<div class="orgnet-saved"><p style="{_CAPTION_STYLE}"><b>{esc(self._what())}</b> saved to '
                f"<code>{esc(str(self.path))}</code> ({esc(self._size())}): a self-contained page; open it in "
                f"any browser, from your file manager, offline. "
                f'<a href="{esc(self.href, quote=True)}" target="_blank">Open {esc(self.path.name)} in a new '
                f"browser tab</a>.{how}</p></div>")


def __getattr__(name):
    if name == "OrgnetView":
        return _view_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ------------------------------------------------------------------ pages


@lru_cache(maxsize=1)
def _assets() -> dict:
    """vis-network's JS and CSS from the installed pyvis package, and orgnet's own."""
    require_optional("jinja2", "orgnet.viz")
    pyvis = require_optional("pyvis", "orgnet.viz")
    lib = Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2"
    try:
        vis_js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
        vis_css = (lib / "vis-network.css").read_text(encoding="utf-8")
    except OSError as err:  # pragma: no cover - broken install
        raise OrgnetError(f"vis-network was not found in the pyvis package at {lib}; reinstall: "
                          f"{INSTALL_HINT}") from err
    own = {n: (_TEMPLATES / n).read_text(encoding="utf-8") for n in ("orgnet.js", "orgnet.css", "head.js")}
    for name, text, closing in (("vis-network.min.js", vis_js, "</script"), ("vis-network.css", vis_css, "</style"),
                                ("orgnet.js", own["orgnet.js"], "</script"), ("head.js", own["head.js"], "</script"),
                                ("orgnet.css", own["orgnet.css"], "</style")):
        if closing in text.lower():  # pragma: no cover - would end the inline block early
            raise OrgnetError(f"{name} contains {closing!r} and cannot be inlined safely")
    M = markup
    return {"vis_js": M(vis_js), "vis_css": M(vis_css), "orgnet_js": M(own["orgnet.js"]),
            "head_js": M(own["head.js"]), "orgnet_css": M(own["orgnet.css"]), "font_stack": M(CSS_FONT_STACK)}


@lru_cache(maxsize=1)
def environment():
    """The autoescaping Jinja2 environment of orgnet's templates."""
    jinja2 = require_optional("jinja2", "orgnet.viz")
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(_TEMPLATES)), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def markup(text: str):
    """Mark text produced by orgnet's own code (already escaped) as safe for the templates."""
    import markupsafe

    return markupsafe.Markup(text)


@validate_params(title=Text(empty=True), template=Text())
def render_page(views: list[dict], *, title: str, template: str = "view.html.j2", **context) -> str:
    """Render a page template with orgnet's inline assets and the given view panels."""
    env = environment()
    ctx = dict(_assets())
    ctx.update(version=_version(), title=title, views=views,
               footer="offline page: every script and style is inside this file", **context)
    return env.get_template(template).render(**ctx)


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("orgnet")
    except Exception:  # noqa: BLE001 - metadata missing in a source checkout
        return "dev"


# ------------------------------------------------------------------ public API

class _CssLength(Constraint):
    def describe(self):
        return "a CSS length such as '720px' or '80vh'"

    def convert(self, value):
        if not isinstance(value, str) or not _HEIGHT.match(value):
            raise ValueError
        return value


class _FocusId(Constraint):
    def describe(self):
        return "an area, organisation, unit or station id (a string)"

    def convert(self, value):
        if not isinstance(value, str):
            raise TypeError
        return value


class _VisOptions(Constraint):
    def describe(self):
        return (f"vis-network options given as keywords ({', '.join(_VIS_OPTION_KEYS)}); parameters of the "
                f"view's analysis go in params={{...}}")

    def convert(self, value):
        if any(k not in _VIS_OPTION_KEYS for k in value):
            raise ValueError
        return value


class _ViewOrNetwork(Constraint):
    def describe(self):
        return "a view from orgnet.viz.interactive or an OrgNetwork"

    def convert(self, value):
        from ..network import OrgNetwork

        if isinstance(value, OrgNetwork) or (hasattr(value, "panel") and hasattr(value, "generate_html")):
            return value
        raise TypeError


#: the parameters of a view, declared once for :func:`interactive` and :func:`build_view`
_VIEW_PARAMS = dict(
    net=Network(),
    view=Options(*VIEWS),
    focus=[_FocusId(), None],
    as_of=[Date(), None],
    max_nodes=Integer(1),
    physics=[Bool(), None],
    tree=Options("radial", "top-down"),
    params=[Instance(dict, "a dict of keyword arguments for the view's analysis"), None],
    height=_CssLength(),
    seed=Seed(),
)


@validate_params(_VIEW_PARAMS, options=_VisOptions())
def interactive(net, *, view: str = "ties", focus: str | None = None, as_of=None,
                max_nodes: int = DEFAULT_MAX_NODES, physics: bool | None = None, tree: str = "radial",
                params: dict | None = None, height: str = "720px", seed: int = 12345, **options):
    """An interactive view of the network, as a pyvis ``Network`` rendered offline.

    Parameters
    ----------
    net : OrgNetwork
    view : {"ties", "hierarchy", "coverage", "vacuum", "sharing", "staffing", "response"}, default "ties"
        - ``ties`` — the active tie network (:func:`orgnet.linkage.tie_strength`):
          one edge per tied pair, width by strength, dashed when the pair's
          agreement is dormant (签而不联), colour by the pair's most frequent
          tie kind; nodes coloured by kind and scope, sized by members.
        - ``hierarchy`` — the area tree with the territorial organisations seated
          in each area (:func:`orgnet.coverage.place_coverage`), radial or
          top-down; streets, communities and grids with no territorial
          organisation outlined in red; weak (软弱涣散) organisations dashed.
        - ``coverage`` — units coloured by coverage class
          (:func:`orgnet.coverage.unit_coverage`) around their community, with
          the organisations covering them; uncovered units red, units due but
          not established (应建未建) with a thick dark border.
        - ``vacuum`` — a map: grids and compounds at their coordinates coloured
          by their first vacuum reason (:func:`orgnet.vacuum.vacuum_areas`),
          stations with their service circles drawn to scale.
        - ``sharing`` — a map of the matched flows from resources to open
          demands (:func:`orgnet.sharing.match`): demands coloured met, partly
          met or unmet, resources used or idle, flows between owners already
          tied solid, new pairings dashed; width by quantity.
        - ``staffing`` — a map of grids coloured by people in place per 1,000
          residents (:func:`orgnet.staffing.people_by_area`), grids with nobody
          in place in the gap colour, grids and stations short of a staffing
          rule (:func:`orgnet.staffing.rule_gaps`) with a gap border. Needs a
          ``people`` table.
        - ``response`` — whistle-and-report cases
          (:func:`orgnet.response.case_summary`): departments sized by cases
          closed and coloured by closure rate, the communities where cases
          were raised, an edge per area and department with cases. Needs a
          ``cases`` table.
    focus : str, optional
        An area id: draw only that area (its subtree) and, in the ties view,
        its entities' partners outside it (paler). An organisation, unit or
        station id: the community containing it (or its area, when that lies
        above community level), with the entity outlined.
    as_of : date-like, optional
        Default: the network's ``as_of``.
    max_nodes : int, default 5000
        Above this many nodes the view is aggregated to a coarser level:
        entities into their community, communities into their street (and so
        on); the page says so, with the counts.
    physics : bool, optional
        Default: on for ``ties`` and ``coverage`` views of at most
        :data:`PHYSICS_MAX_NODES` nodes (starting from the computed layout,
        switched off once stable), off otherwise.
    tree : {"radial", "top-down"}, default "radial"
        Layout of the tree-shaped views (hierarchy, aggregated coverage).
    params : dict, optional
        Keyword arguments for the view's analysis (e.g. ``{"radius_m": 800}``
        for vacuum, ``{"half_life_days": 180}`` for ties,
        ``{"min_members": 3}`` for coverage, ``{"max_distance_m": 3000}`` for
        sharing, ``{"staff_per_station": 3}`` for staffing, ``{"within_days": 15}``
        for response).
    height : str, default "720px"
        Height of the drawing area (CSS length).
    seed : int or numpy.random.Generator, default 12345
        Seed of the force layout (:func:`orgnet._params.as_rng`): the same
        seed gives the same page.
    **options
        vis-network options merged into orgnet's (e.g.
        ``edges={"smooth": True}``, ``interaction={"navigationButtons": True}``).

    Returns
    -------
    pyvis.network.Network
        An ``OrgnetView`` (subclass): ``nodes``/``edges`` hold the data,
        ``notes``/``legend``/``filters``/``params`` what the page shows;
        display it in Jupyter (aggregated further when its page is too large
        for a notebook cell), write it with ``view.save(path)`` or
        :func:`to_html`, or get a link to the written page with
        ``view.show(path)``.

    Raises
    ------
    OrgnetParameterError
        Unknown view, focus id or vis-network option.
    OrgnetMissingDataError
        The ``staffing`` view without a ``people`` table, the ``response``
        view without a ``cases`` table.
    OrgnetError
        pyvis (``pip install 'orgnet[viz]'``) is not installed.

    See Also
    --------
    to_html : write a view as one offline HTML file.
    orgnet.report : every view and table in one file.

    Notes
    -----
    Positions are computed in Python: a tidy tree (O(n)) for trees; a seeded
    force layout up to 499 nodes, and above that a two-level layout (groups —
    communities, streets — laid out first, their members around them);
    longitude/latitude for the vacuum map. Every label and hover title is plain
    text; the page escapes everything taken from the data.

    Examples
    --------
    >>> import orgnet
    >>> from orgnet.viz import interactive
    >>> net = orgnet.datasets.load("demo")
    >>> v = interactive(net, view="ties")
    >>> len(v.nodes) > 0 and len(v.edges) > 0
    True
    >>> interactive(net, view="vacuum", focus="C13").focus
    'C13'
    """
    return build_view(net, view, focus=focus, as_of=as_of, max_nodes=max_nodes, physics=physics, tree=tree,
                      params=params, height=height, seed=seed, options=options)


@validate_params(_VIEW_PARAMS, options=[_VisOptions(), None],
                 precomputed=[Instance(dict, "a dict of analysis results ({'match': MatchResult})"), None])
def build_view(net, view, *, focus=None, as_of=None, max_nodes=DEFAULT_MAX_NODES, physics=None, tree="radial",
               params=None, height="720px", seed=12345, options=None, precomputed=None):
    """:func:`interactive` with the view positional, vis-network options as a dict, and
    ``precomputed``: analysis results the caller already has (``{"match": MatchResult}``),
    so a report does not solve the same problem twice.

    Examples
    --------
    >>> import orgnet
    >>> v = build_view(orgnet.datasets.load("demo"), "hierarchy", max_nodes=10)
    >>> v.aggregated, v.level
    (True, 'street')
    """
    try:
        importlib.import_module(VIEW_MODULES[view])
    except ImportError as err:  # pragma: no cover - a view whose analysis is missing
        raise OrgnetParameterError(f"The {view!r} view needs {VIEW_MODULES[view]}, which is not available.") from err
    cls = _view_class()  # fail early without pyvis
    when = net.resolve_as_of(as_of)
    registered = views.REGISTRY[view]
    spec = registered.build(net, when=when, focus=resolve_focus(net, focus), max_nodes=max_nodes,
                            params=dict(params or {}), seed=seed,
                            options=ViewOptions(tree=tree, precomputed=dict(precomputed or {})))
    spec.params.setdefault("as_of", when)
    spec.params["max_nodes"] = max_nodes
    if focus is not None:
        spec.params["focus"] = focus
    user_physics = physics
    if physics is None:  # force-laid views start with physics when small
        physics = registered.physics and not spec.aggregated and len(spec.nodes) <= PHYSICS_MAX_NODES
    if physics and spec.geographic:
        physics = False  # a map: positions are coordinates
    spec.params["physics"] = physics
    opts = _options(spec, physics, merge_options(spec.options_extra, options or {}))
    out = cls(spec, height=height, options=opts, focus=focus)
    out._build = {"net": net, "view": view, "focus": focus, "as_of": as_of, "max_nodes": max_nodes,
                  "physics": user_physics, "tree": tree, "params": params, "height": height, "seed": seed,
                  "options": options, "precomputed": precomputed}
    return out


@validate_params(net_or_view=_ViewOrNetwork())
def to_html(net_or_view, path, /, **kwargs) -> Path | None:
    """Write a view (or a network's view) as one self-contained offline HTML file.

    Parameters
    ----------
    net_or_view : OrgnetView or OrgNetwork
        A view from :func:`interactive`, or a network (``interactive(net,
        **kwargs)`` is drawn first).
    path : str or Path or file-like
        Where to write (UTF-8); an open text file is written to.
    **kwargs
        Passed to :func:`interactive` when ``view`` is a network.

    Returns
    -------
    Path or None
        The file written (None when given an open file).

    See Also
    --------
    interactive, orgnet.report

    Examples
    --------
    >>> import orgnet, tempfile, pathlib
    >>> from orgnet.viz import to_html
    >>> out = to_html(orgnet.datasets.load("demo"), pathlib.Path(tempfile.mkdtemp()) / "ties.html")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    from ..network import OrgNetwork

    view = net_or_view
    if isinstance(view, OrgNetwork):
        view = interactive(view, **kwargs)
    elif kwargs:
        raise OrgnetParameterError("to_html takes keyword arguments only when given a network to draw.")
    if hasattr(path, "write"):
        path.write(view.generate_html())
        return None
    return view.write_html(Path(path))

