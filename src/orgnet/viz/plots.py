"""Charts of the analyses' DataFrames (matplotlib).

Each function takes either a network (and calls the analysis with the given
keyword arguments) or the analysis' DataFrame, draws it, and returns the
matplotlib ``Axes``; pass ``ax=`` to draw into an existing one. Charts never
compute an analysis of their own: they draw the columns of
:mod:`orgnet.coverage`, :mod:`orgnet.vacuum` and :mod:`orgnet.linkage`.

- :func:`coverage_bars` — organisational and work coverage rates by area, sorted;
- :func:`rate_heatmap` — coverage rate by area × unit type;
- :func:`area_map` — areas coloured by any indicator (polygons from ``geometry``
  WKT where present, points at lon/lat otherwise);
- :func:`vacuum_reasons` — vacuum places by reason per street (stacked);
- :func:`tie_strength_hist` — distribution of pair strength, dormant pairs apart;
- :func:`lorenz` — Lorenz curve (and Gini coefficient) of any non-negative values;
- :func:`compare` — one indicator before and after (two Series or DataFrames).

Chinese text is drawn with a font that really draws it (a system CJK font or
the ``cjk`` extra's, see :func:`orgnet.viz._fonts.cjk_font`); without one,
Latin text stays in DejaVu Sans and one :class:`~orgnet.OrgnetWarning` says
what to install.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .. import schema
from .._params import Bool, Integer, Network, Options, Real, Text, current_function, validate_params
from ..errors import OrgnetError, OrgnetParameterError
from ._fonts import apply_cjk_font
from .palette import (ACTIVE_COLOUR, DORMANT_COLOUR, NO_DATA, ORG_COLOUR, REASON_COLOURS, REASON_EN, REASON_ZH,
                      WORK_COLOUR)

__all__ = ["coverage_bars", "rate_heatmap", "area_map", "vacuum_reasons", "tie_strength_hist", "lorenz",
           "compare", "parse_wkt"]

#: legend labels of the vacuum reasons (palette.REASON_ZH, palette.REASON_EN)
REASON_LABELS = {r: f"{REASON_ZH[r]} {REASON_EN[r]}" for r in REASON_ZH}


def _mpl():
    import importlib

    try:
        importlib.import_module("matplotlib")
    except ImportError as err:
        raise OrgnetError("orgnet.viz.plots needs the optional package 'matplotlib', which is not installed. "
                          "Install the visualisation extra: pip install 'orgnet[viz]'") from err


def _axes(ax, size):
    _mpl()
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _is_net(obj) -> bool:
    from ..network import OrgNetwork

    return isinstance(obj, OrgNetwork)


def _need_columns(df, cols, what):
    func = current_function()
    if not isinstance(df, pd.DataFrame):
        raise OrgnetParameterError(
            f"The 'data' parameter of {func} must be an OrgNetwork or the DataFrame of {what}. "
            f"Got {type(df).__name__} instead."
        )
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise OrgnetParameterError(
            f"The 'data' parameter of {func} must be the DataFrame of {what}; it lacks column {missing[0]!r}."
        )


def _names(df) -> list[str]:
    if "name" in df.columns:
        return [str(n) if isinstance(n, str) and n else str(i) for i, n in zip(df.index, df["name"])]
    return [str(i) for i in df.index]


def _finish(ax):
    apply_cjk_font(ax.figure)
    return ax


# ------------------------------------------------------------------ coverage


@validate_params(sort=Bool())
def coverage_bars(data, *, by: str = "street", sort: bool = True, ax=None, **kwargs):
    """Organisational and work coverage rates by area, side by side, lowest first.

    Parameters
    ----------
    data : OrgNetwork or DataFrame
        A network (``coverage_rates(data, by=by, **kwargs)`` is drawn) or the
        result of :func:`orgnet.coverage.coverage_rates`.
    by : str, default "street"
        Passed to ``coverage_rates`` when ``data`` is a network.
    sort : bool, default True
        Sort areas by organisational coverage rate, lowest at the top.
    ax : matplotlib Axes, optional
    **kwargs
        Passed to ``coverage_rates`` (``as_of``, ``min_members``, ...).

    Returns
    -------
    matplotlib Axes
        Two ``BarContainer`` s (``ax.containers``): organisational, then work
        coverage, one horizontal bar per area (width = rate); rows with no
        units have zero-width bars and "(no units)" in their label.

    Examples
    --------
    >>> import orgnet
    >>> from orgnet.viz import plots
    >>> ax = plots.coverage_bars(orgnet.datasets.load("demo"))
    >>> len(ax.containers)
    2
    """
    func = current_function()
    if _is_net(data):
        from .. import coverage

        data = coverage.coverage_rates(data, by=by, **kwargs)
    elif kwargs:
        raise OrgnetParameterError(f"{func} takes analysis keyword arguments only when given a network.")
    _need_columns(data, ["org_coverage_rate", "work_coverage_rate", "units"], "coverage_rates")
    df = data
    if sort:
        df = df.sort_values(["org_coverage_rate", "work_coverage_rate"], kind="stable", na_position="first")
    n = len(df)
    ax = _axes(ax, (8, max(2.5, 0.32 * n + 1.2)))
    y = np.arange(n)
    h = 0.4
    org = df["org_coverage_rate"].fillna(0).to_numpy(dtype=float)
    work = df["work_coverage_rate"].fillna(0).to_numpy(dtype=float)
    ax.barh(y - h / 2, org, height=h, color=ORG_COLOUR, label="组织覆盖率 organisational")
    ax.barh(y + h / 2, work, height=h, color=WORK_COLOUR, label="工作覆盖率 work")
    labels = [f"{nm} (no units)" if u == 0 else nm for nm, u in zip(_names(df), df["units"])]
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(_percent())
    ax.set_xlabel("share of units 单位占比")
    level = df.index.name or "area"
    ax.set_title(f"Coverage by {level} 覆盖率")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", borderaxespad=0)
    ax.grid(axis="x", alpha=0.3)
    return _finish(ax)


def _percent():
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(1.0, decimals=0)


@validate_params(by=Options("street", "community"), covered=Options("org", "work"), annotate=[Bool(), None])
def rate_heatmap(data, *, by: str = "street", covered: str = "org", ax=None, annotate: bool | None = None,
                 **kwargs):
    """Coverage rate by area (rows) and unit type (columns).

    Parameters
    ----------
    data : OrgNetwork or DataFrame
        A network (``unit_coverage(data, **kwargs)`` is drawn) or the result of
        :func:`orgnet.coverage.unit_coverage`.
    by : {"street", "community"}, default "street"
        Rows: the areas of this level (columns of ``unit_coverage``).
    covered : {"org", "work"}, default "org"
        Draw the organisational (``org_covered``) or work (``work_covered``) rate.
    annotate : bool, optional
        Write "rate (units)" in each cell; default when the table has at most 400 cells.

    Returns
    -------
    matplotlib Axes
        ``ax.images[0].get_array()`` holds the rates (masked where an area
        has no unit of that type); ``ax.orgnet_table`` the rates and
        ``ax.orgnet_counts`` the unit counts as DataFrames.

    Notes
    -----
    A cell's rate is the share of the units of that type in that area whose
    ``org_covered`` (or ``work_covered``) flag is true — the same definition
    as :func:`orgnet.coverage.coverage_rates`, cut by two keys at once.

    Examples
    --------
    >>> import orgnet
    >>> from orgnet.viz import plots
    >>> ax = plots.rate_heatmap(orgnet.datasets.load("demo"))
    >>> ax.orgnet_table.shape[0]
    2
    """
    func = current_function()
    net = None
    if _is_net(data):
        from .. import coverage

        net = data
        data = coverage.unit_coverage(data, **kwargs)
    elif kwargs:
        raise OrgnetParameterError(f"{func} takes analysis keyword arguments only when given a network.")
    flag = f"{covered}_covered"
    _need_columns(data, [by, "type", flag], "unit_coverage")
    df = data[data[by].notna().to_numpy()]
    key = df[by].astype(object)
    typ = df["type"].astype(object)
    counts = pd.crosstab(key, typ)
    hits = pd.crosstab(key, typ, values=df[flag].astype(float), aggfunc="sum").fillna(0)
    types = [t for t in schema.VOCABULARIES["unit_type"].values if t in counts.columns]
    counts = counts.reindex(columns=types, fill_value=0)
    hits = hits.reindex(index=counts.index, columns=types, fill_value=0)
    rates = (hits / counts.where(counts > 0)).astype(float)
    if net is not None:
        names = net.areas["name"].astype(object)
        row_labels = [str(names.get(i, i)) for i in rates.index]
    else:
        row_labels = [str(i) for i in rates.index]
    nr, nc = rates.shape
    ax = _axes(ax, (max(5, 0.9 * nc + 2.5), max(2.5, 0.3 * nr + 1.5)))
    from matplotlib import colormaps

    cmap = colormaps["RdYlGn"].with_extremes(bad="#eaecee")
    arr = np.ma.masked_invalid(rates.to_numpy(dtype=float))
    im = ax.imshow(arr, cmap=cmap, vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    ax.set_xticks(np.arange(nc), types, rotation=35, ha="right")
    ax.set_yticks(np.arange(nr), row_labels)
    if annotate is None:
        annotate = nr * nc <= 400
    if annotate:
        for i in range(nr):
            for j in range(nc):
                c = int(counts.iat[i, j])
                if c:
                    ax.text(j, i, f"{rates.iat[i, j]:.0%}\n({c})", ha="center", va="center", fontsize=7)
    cb = ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.02, format=_percent())
    cb.set_label("组织覆盖率 organisational" if covered == "org" else "工作覆盖率 work")
    ax.set_title(f"Coverage rate by {by} and unit type 分类型覆盖率")
    ax.orgnet_table = rates
    ax.orgnet_counts = counts
    return _finish(ax)


# ------------------------------------------------------------------ maps

_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def parse_wkt(text: str) -> list[list[np.ndarray]]:
    """Parse a WKT ``POLYGON`` or ``MULTIPOLYGON`` into polygons of rings.

    Returns a list of polygons, each a list of rings (exterior first, then
    holes), each ring an (n, 2) array of x (lon), y (lat). Z/M coordinates
    are ignored.

    Raises
    ------
    OrgnetParameterError
        For other geometry types or malformed text.

    Examples
    --------
    >>> polys = parse_wkt("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), "
    ...                   "((2 2, 3 2, 3 3, 2 2), (2.1 2.1, 2.2 2.1, 2.2 2.2, 2.1 2.1)))")
    >>> [len(p) for p in polys], polys[1][0].shape
    ([1, 2], (4, 2))
    """
    s = str(text).strip()
    m = re.match(r"^(MULTIPOLYGON|POLYGON)\s*(?:Z|M|ZM)?\s*(\(.*\))\s*$", s, re.IGNORECASE | re.DOTALL)
    if not m:
        raise OrgnetParameterError(f"geometry must be WKT POLYGON or MULTIPOLYGON. Got {s[:60]!r} instead.")
    kind, body = m.group(1).upper(), m.group(2)

    def rings_of(poly_body: str) -> list[np.ndarray]:
        rings = re.findall(r"\(([^()]*)\)", poly_body)
        out = []
        for r in rings:
            pts = []
            for pair in r.split(","):
                nums = re.findall(_NUM, pair)
                if len(nums) < 2:
                    raise OrgnetParameterError(f"malformed WKT coordinate {pair.strip()!r} in {s[:60]!r}")
                pts.append((float(nums[0]), float(nums[1])))
            out.append(np.array(pts, dtype=float))
        if not out:
            raise OrgnetParameterError(f"WKT polygon without rings: {s[:60]!r}")
        return out

    inner = body.strip()[1:-1]
    if kind == "POLYGON":
        return [rings_of(inner)]
    polys = []
    depth, start = 0, None
    for k, ch in enumerate(inner):
        if ch == "(":
            if depth == 0:
                start = k
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                polys.append(rings_of(inner[start + 1:k]))
    if depth != 0 or not polys:
        raise OrgnetParameterError(f"malformed WKT MULTIPOLYGON {s[:60]!r}")
    return polys


@validate_params(net=Network(), column=[Text(), None], cmap=Text(), vmin=[Real(finite=True), None],
                 vmax=[Real(finite=True), None], label=[Text(empty=True), None], annotate=Bool(),
                 size=Real(0, exclusive=True, finite=True))
def area_map(net, values, *, column: str | None = None, ax=None, cmap: str = "RdYlGn", vmin=None, vmax=None,
             label: str | None = None, annotate: bool = False, size: float = 60.0):
    """Areas coloured by an indicator: polygons where ``geometry`` is present, points otherwise.

    Parameters
    ----------
    net : OrgNetwork
        Gives each area's ``geometry`` (WKT) or ``lon``/``lat`` and name.
    values : Series or DataFrame
        Indexed by area id, e.g. ``coverage_rates(net, by="community")["org_coverage_rate"]``;
        with a DataFrame, ``column`` names the column.
    column : str, optional
    cmap : str, default "RdYlGn"
    vmin, vmax : float, optional
        Colour scale limits (default: the values' range; [0, 1] for rates).
    label : str, optional
        Colour bar label (default: the Series' name).
    annotate : bool, default False
        Write each area's name.
    size : float, default 60
        Marker area of the points.

    Returns
    -------
    matplotlib Axes
        ``ax.orgnet_drawn``: a DataFrame indexed by the drawn area ids with
        ``value`` and ``shape`` (``polygon`` or ``point``); areas with neither
        geometry nor coordinates are listed in ``ax.orgnet_unlocated``.

    Examples
    --------
    >>> import orgnet
    >>> from orgnet.viz import plots
    >>> net = orgnet.datasets.load("demo")
    >>> rates = orgnet.coverage.coverage_rates(net, by="community")
    >>> ax = plots.area_map(net, rates["org_coverage_rate"])
    >>> sorted(set(ax.orgnet_drawn["shape"]))
    ['point']
    """
    values, vals, is_rate = _area_values(net, values, column)
    lo = vmin if vmin is not None else (0.0 if is_rate else (float(vals.min()) if vals.notna().any() else 0.0))
    hi = vmax if vmax is not None else (1.0 if is_rate else (float(vals.max()) if vals.notna().any() else 1.0))
    if hi <= lo:
        hi = lo + 1.0
    ax = _axes(ax, (8, 7))
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import Normalize

    cm = colormaps[cmap]
    norm = Normalize(lo, hi)

    def colours(ids):
        return [NO_DATA if np.isnan(vals[i]) else cm(norm(vals[i])) for i in ids]

    patches, pts, unlocated = _area_shapes(net, list(vals.index))
    if patches:
        coll = PatchCollection(list(patches.values()), facecolors=colours(patches), edgecolors="#566573",
                               linewidths=0.6)
        ax.add_collection(coll)
        ax.orgnet_patches = coll
    if pts:
        xy = np.array(list(pts.values()))
        ax.scatter(xy[:, 0], xy[:, 1], c=colours(pts), s=size, edgecolors="#566573", linewidths=0.6, zorder=3)
    ax.autoscale_view()
    if annotate:
        _annotate_areas(ax, net, patches, pts)
    cb = ax.figure.colorbar(ScalarMappable(norm=norm, cmap=cm), ax=ax, fraction=0.04, pad=0.02,
                            format=_percent() if is_rate else None)
    cb.set_label(label or str(values.name or "value"))
    ax.set_aspect(1 / np.cos(np.radians(np.nanmean([p[1] for p in pts.values()]) if pts else 35.0)))
    ax.ticklabel_format(useOffset=False, style="plain")
    ax.set_xlabel("longitude 经度")
    ax.set_ylabel("latitude 纬度")
    ax.set_title(f"{label or values.name or 'value'} by area")
    drawn_ids = list(patches) + list(pts)
    ax.orgnet_drawn = pd.DataFrame({"value": [vals[i] for i in drawn_ids],
                                    "shape": ["polygon"] * len(patches) + ["point"] * len(pts)},
                                   index=pd.Index(drawn_ids, name="area"))
    ax.orgnet_unlocated = unlocated
    return _finish(ax)


def _area_values(net, values, column):
    """The Series drawn, its values as floats by area id (in its order), and whether they are rates."""
    func = current_function()
    if isinstance(values, pd.DataFrame):
        if column is None or column not in values.columns:
            raise OrgnetParameterError(
                f"The 'column' parameter of {func} must name a column of the values DataFrame. Got {column!r} instead."
            )
        values = values[column]
    if not isinstance(values, pd.Series):
        raise OrgnetParameterError(
            f"The 'values' parameter of {func} must be a Series (or DataFrame) indexed by area id. "
            f"Got {type(values).__name__} instead."
        )
    a = net.areas
    unknown = [i for i in values.index if i not in a.index]
    if unknown:
        raise OrgnetParameterError(f"The 'values' parameter of {func} must be indexed by area ids; "
                                   f"{unknown[0]!r} is not an area.")
    vals = pd.to_numeric(values.reindex([i for i in values.index if i in a.index]), errors="coerce").astype(float)
    is_rate = bool(vals.dropna().between(0, 1).all()) and ("rate" in str(values.name) or "share" in str(values.name))
    return values, vals, is_rate


def _area_shapes(net, ids):
    """``(polygons, points, unlocated)``: a PathPatch per area with WKT ``geometry``, (lon, lat)
    per area with coordinates only, and the ids of areas with neither."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    a = net.areas
    geom = a["geometry"] if "geometry" in a.columns else pd.Series(None, index=a.index, dtype=object)
    patches, pts, unlocated = {}, {}, []
    for i in ids:
        g = geom.get(i)
        if isinstance(g, str) and g.strip():
            verts, codes = [], []
            for poly in parse_wkt(g):
                for ring in poly:
                    verts.extend(ring.tolist() + [ring[0].tolist()])
                    codes.extend([Path.MOVETO] + [Path.LINETO] * (len(ring) - 1) + [Path.CLOSEPOLY])
            patches[i] = PathPatch(Path(verts, codes))
        elif not pd.isna(a.at[i, "lon"]) and not pd.isna(a.at[i, "lat"]):
            pts[i] = (float(a.at[i, "lon"]), float(a.at[i, "lat"]))
        else:
            unlocated.append(i)
    return patches, pts, unlocated


def _annotate_areas(ax, net, patches, pts):
    names = net.areas["name"].astype(object)
    for i, (x, y) in pts.items():
        ax.annotate(str(names.get(i, i)), (x, y), fontsize=7, xytext=(3, 3), textcoords="offset points")
    for i, p in patches.items():
        ext = p.get_path().get_extents()
        ax.text((ext.x0 + ext.x1) / 2, (ext.y0 + ext.y1) / 2, str(names.get(i, i)), fontsize=7,
                ha="center", va="center")


# ------------------------------------------------------------------ vacuum


@validate_params(population=Bool())
def vacuum_reasons(data, *, by: str = "street", population: bool = False, ax=None, **kwargs):
    """Vacuum places by reason per area (stacked bars), the vacuum total marked.

    Parameters
    ----------
    data : OrgNetwork or DataFrame
        A network (``vacuum_summary(data, by=by, **kwargs)`` is drawn) or the
        result of :func:`orgnet.vacuum.vacuum_summary`.
    by : str, default "street"
    population : bool, default False
        Draw residents (``<reason>_population``) instead of places.

    Returns
    -------
    matplotlib Axes
        One ``BarContainer`` per reason in ``orgnet.vacuum.REASONS`` order
        (``ax.containers``), one bar per area; a place with several reasons
        counts in each, so the black marks give the number of vacuum places.

    Examples
    --------
    >>> import orgnet
    >>> from orgnet.viz import plots
    >>> ax = plots.vacuum_reasons(orgnet.datasets.load("demo"))
    >>> len(ax.containers)
    6
    """
    func = current_function()
    from ..vacuum import REASONS, reasons_of

    if _is_net(data):
        from .. import vacuum

        data = vacuum.vacuum_summary(data, by=by, **kwargs)
    elif kwargs:
        raise OrgnetParameterError(f"{func} takes analysis keyword arguments only when given a network.")
    suffix = "_population" if population else ""
    _need_columns(data, [r + suffix for r in REASONS if r != "unstaffed"] + ["vacuum" + suffix], "vacuum_summary")
    df = data
    n = len(df)
    ax = _axes(ax, (8, max(2.5, 0.32 * n + 1.2)))
    y = np.arange(n)
    left = np.zeros(n)
    for r in reasons_of(df):
        v = df[r + suffix].fillna(0).to_numpy(dtype=float)
        ax.barh(y, v, left=left, color=REASON_COLOURS[r], label=REASON_LABELS[r], height=0.7)
        left += v
    total = df["vacuum" + suffix].to_numpy(dtype=float)
    ax.scatter(total, y, marker="|", s=250, color="#17202a", zorder=4,
               label="真空合计 vacuum " + ("residents" if population else "places"))
    ax.set_yticks(y, _names(df))
    ax.invert_yaxis()
    ax.set_xlabel(("residents 人口" if population else "places 网格/小区") + " — a place may have several reasons")
    ax.set_title(f"Vacuum reasons by {df.index.name or by} 真空原因")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", borderaxespad=0)
    ax.grid(axis="x", alpha=0.3)
    return _finish(ax)


# ------------------------------------------------------------------ linkage


@validate_params(bins=Integer(1), log=Bool())
def tie_strength_hist(data, *, bins: int = 30, log: bool = False, ax=None, **kwargs):
    """Distribution of pair tie strength, dormant agreements (签而不联) stacked apart.

    Parameters
    ----------
    data : OrgNetwork or DataFrame
        A network (``tie_strength(data, **kwargs)`` is drawn) or the result of
        :func:`orgnet.linkage.tie_strength`.
    bins : int, default 30
    log : bool, default False
        Logarithmic count axis.

    Returns
    -------
    matplotlib Axes
        Two ``BarContainer`` s: pairs not dormant, then dormant pairs stacked
        on them; their heights sum to the number of pairs.

    Examples
    --------
    >>> import orgnet
    >>> from orgnet.viz import plots
    >>> ax = plots.tie_strength_hist(orgnet.datasets.load("demo"))
    >>> int(sum(p.get_height() for c in ax.containers for p in c))
    73
    """
    func = current_function()
    if _is_net(data):
        from .. import linkage

        data = linkage.tie_strength(data, **kwargs)
    elif kwargs:
        raise OrgnetParameterError(f"{func} takes analysis keyword arguments only when given a network.")
    _need_columns(data, ["strength", "dormant"], "tie_strength")
    s = data["strength"].to_numpy(dtype=float)
    dormant = data["dormant"].fillna(False).to_numpy(dtype=bool)
    ax = _axes(ax, (7, 4))
    if len(s) == 0:
        ax.text(0.5, 0.5, "no active ties", ha="center", va="center", transform=ax.transAxes)
        return _finish(ax)
    edges = np.histogram_bin_edges(s, bins=bins)
    live, _ = np.histogram(s[~dormant], bins=edges)
    dead, _ = np.histogram(s[dormant], bins=edges)
    width = np.diff(edges)
    ax.bar(edges[:-1], live, width=width, align="edge", color=ACTIVE_COLOUR, edgecolor="white", linewidth=0.4,
           label=f"active pairs ({int((~dormant).sum()):,})", log=log)
    ax.bar(edges[:-1], dead, width=width, align="edge", bottom=live, color=DORMANT_COLOUR, edgecolor="white",
           linewidth=0.4, label=f"dormant agreements 签而不联 ({int(dormant.sum()):,})", log=log)
    ax.set_xlabel("pair tie strength 联系强度")
    ax.set_ylabel("pairs 对")
    ax.set_title(f"Tie strength distribution ({len(s):,} pairs)")
    ax.legend(fontsize="small")
    return _finish(ax)


# ------------------------------------------------------------------ inequality


@validate_params(label=[Text(empty=True), None], colour=Text())
def lorenz(values, *, ax=None, label: str | None = None, colour: str = "#c0392b"):
    """Lorenz curve of non-negative values (e.g. realised sharing per area), with its Gini coefficient.

    Parameters
    ----------
    values : array-like or Series
        One value per unit of observation; NaN values are dropped.
    label : str, optional
        Legend label; the Gini coefficient is appended.

    Returns
    -------
    matplotlib Axes
        ``ax.lines[0]`` is the curve (x: cumulative share of units from the
        smallest value, y: cumulative share of the total; both start at 0),
        ``ax.lines[1]`` the line of equality; ``ax.orgnet_gini`` the Gini
        coefficient. Both come from :func:`orgnet.sharing.lorenz_curve` and
        :func:`orgnet.sharing.gini`.

    Raises
    ------
    OrgnetParameterError
        Negative values, no values, or a zero total (no curve exists).

    Examples
    --------
    >>> from orgnet.viz import plots
    >>> ax = plots.lorenz([1, 1, 1, 1])
    >>> round(ax.orgnet_gini, 6)
    0.0
    >>> round(plots.lorenz([0, 0, 0, 10]).orgnet_gini, 6)
    0.75
    """
    func = current_function()
    v = pd.to_numeric(pd.Series(np.asarray(values, dtype=object).ravel()), errors="coerce").dropna()
    v = v.to_numpy(dtype=float)
    if len(v) == 0:
        raise OrgnetParameterError(f"The 'values' parameter of {func} must hold at least one number. Got none.")
    if (v < 0).any():
        raise OrgnetParameterError(f"The 'values' parameter of {func} must be numbers >= 0. Got {v[v < 0][0]!r}.")
    total = v.sum()
    if total <= 0:
        raise OrgnetParameterError(f"The 'values' parameter of {func} must have a positive total (all are 0): "
                                   "a Lorenz curve of nothing is undefined.")
    from .. import sharing

    curve = sharing.lorenz_curve(v)
    x = curve["population_share"].to_numpy(dtype=float)
    y = curve["value_share"].to_numpy(dtype=float)
    gini = float(sharing.gini(v))
    ax = _axes(ax, (5, 5))
    ax.plot(x, y, color=colour, linewidth=2, label=f"{label or 'Lorenz curve'} (Gini {gini:.3f})")
    ax.plot([0, 1], [0, 1], color="#7f8c8d", linestyle="--", linewidth=1, label="equality 均等")
    ax.fill_between(x, y, x, color=colour, alpha=0.08)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.xaxis.set_major_formatter(_percent())
    ax.yaxis.set_major_formatter(_percent())
    ax.set_xlabel("cumulative share of units 累计单位占比")
    ax.set_ylabel("cumulative share of the total 累计总量占比")
    ax.legend(loc="upper left", fontsize="small")
    ax.orgnet_gini = gini
    return _finish(ax)


# ------------------------------------------------------------------ compare


@validate_params(column=[Text(), None], sort=Bool())
def compare(before, after, *, column: str | None = None, labels=("before 之前", "after 之后"), names=None,
            ax=None, sort: bool = False):
    """One indicator before and after, side by side per row, with the change written at each bar.

    Parameters
    ----------
    before, after : Series or DataFrame
        Two snapshots of the same indicator, e.g.
        ``coverage_rates(net_2023)["org_coverage_rate"]`` and the same for 2025;
        rows are matched by index (the union is drawn; a missing value draws
        no bar). With DataFrames, ``column`` picks the column; single-row
        DataFrames (e.g. ``by="all"``) compare their common numeric columns.
    labels : pair of str
        Legend labels.
    names : mapping or Series, optional
        Display name per index value (default: a ``name`` column of the
        DataFrames, else the index).
    sort : bool, default False
        Sort rows by the change.

    Returns
    -------
    matplotlib Axes
        Two ``BarContainer`` s (before, after), one horizontal bar per row;
        ``ax.orgnet_table``: the rows with ``before``, ``after``, ``change``.

    Examples
    --------
    >>> import pandas as pd
    >>> from orgnet.viz import plots
    >>> ax = plots.compare(pd.Series({"S1": 526}), pd.Series({"S1": 66}))
    >>> ax.orgnet_table["change"].tolist()
    [-460.0]
    """
    func = current_function()
    label_source = None

    def pick(x, which):
        nonlocal label_source
        if isinstance(x, pd.Series):
            return x
        if isinstance(x, pd.DataFrame):
            if "name" in x.columns and label_source is None:
                label_source = x["name"]
            if column is not None:
                if column not in x.columns:
                    raise OrgnetParameterError(f"The 'column' parameter of {func} must name a column of "
                                               f"{which}. Got {column!r} instead.")
                return x[column]
            if len(x) == 1:
                return x.select_dtypes("number").iloc[0]
            raise OrgnetParameterError(
                f"{func} got DataFrames with {len(x)} rows: pass column=... to say which indicator to compare."
            )
        raise OrgnetParameterError(f"The {which!r} parameter of {func} must be a Series or DataFrame. "
                                   f"Got {type(x).__name__} instead.")

    b = pd.to_numeric(pick(before, "before"), errors="coerce").astype(float)
    a = pd.to_numeric(pick(after, "after"), errors="coerce").astype(float)
    index = b.index.union(a.index, sort=False)
    table = pd.DataFrame({"before": b.reindex(index), "after": a.reindex(index)})
    table["change"] = table["after"] - table["before"]
    if sort:
        table = table.sort_values("change", kind="stable")
    lookup = names if names is not None else label_source
    if lookup is not None:
        lk = lookup if isinstance(lookup, pd.Series) else pd.Series(dict(lookup))
        row_labels = [str(lk.get(i, i)) if isinstance(lk.get(i, i), str) else str(i) for i in table.index]
    else:
        row_labels = [str(i) for i in table.index]
    n = len(table)
    ax = _axes(ax, (8, max(2.5, 0.45 * n + 1.2)))
    y = np.arange(n)
    h = 0.38
    ax.barh(y - h / 2, table["before"].fillna(0), height=h, color="#aab7b8", label=labels[0])
    ax.barh(y + h / 2, table["after"].fillna(0), height=h, color="#c0392b", label=labels[1])
    is_rate = bool(pd.concat([table["before"], table["after"]]).dropna().between(0, 1).all()) and \
        not bool((pd.concat([table["before"], table["after"]]).dropna() % 1 == 0).all())
    for k, (bv, av, ch) in enumerate(table[["before", "after", "change"]].itertuples(index=False)):
        if pd.isna(ch):
            continue
        text = f"{ch:+.1%}" if is_rate else f"{ch:+,.4g}"
        ax.annotate(text, (max(0 if pd.isna(av) else av, 0 if pd.isna(bv) else bv), k), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(y, row_labels)
    ax.invert_yaxis()
    if is_rate:
        ax.xaxis.set_major_formatter(_percent())
    name = getattr(before, "name", None) if isinstance(before, pd.Series) else column
    ax.set_title(f"{name or 'indicator'}: {labels[0]} → {labels[1]}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", borderaxespad=0)
    ax.grid(axis="x", alpha=0.3)
    ax.orgnet_table = table
    return _finish(ax)
